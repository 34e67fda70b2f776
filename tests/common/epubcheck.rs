//! EPUBCheck 5.3.0 run on a book, for the tests that make books
//! (`tests/epub.rs`, `tests/epub_size.rs`). The jar comes from
//! `scripts/install-test-tools.sh` (`.tools/epubcheck.jar`); without it
//! the checks are skipped with a note, except under CI=true.

use std::path::Path;
use std::process::Command;

/// Messages EPUBCheck gave, by severity.
#[derive(Debug, Default)]
pub struct Check {
    pub fatal: usize,
    pub error: usize,
    pub warning: usize,
    pub lines: Vec<String>,
}

/// Runs EPUBCheck on `book`; `None` when the jar is not installed (outside CI).
pub fn epubcheck(book: &Path) -> Option<Check> {
    let jar = super::tool("epubcheck.jar")?;
    let json = book.with_extension("check.json");
    let out = Command::new("java")
        .arg("-jar")
        .arg(&jar)
        .arg(book)
        .arg("--json")
        .arg(&json)
        .output()
        .expect("java runs (Java 17 is on the machine)");
    let text = std::fs::read_to_string(&json).unwrap_or_else(|e| {
        panic!(
            "EPUBCheck wrote no JSON ({e}); stdout: {} stderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let v: serde_json::Value = serde_json::from_str(&text).expect("EPUBCheck JSON parses");
    let mut c = Check::default();
    for m in v["messages"].as_array().into_iter().flatten() {
        let sev = m["severity"].as_str().unwrap_or("");
        match sev {
            "FATAL" => c.fatal += 1,
            "ERROR" => c.error += 1,
            "WARNING" => c.warning += 1,
            _ => continue,
        }
        let loc = m["locations"]
            .as_array()
            .and_then(|l| l.first())
            .map(|l| format!("{}:{}", l["path"].as_str().unwrap_or("?"), l["line"]))
            .unwrap_or_default();
        c.lines.push(format!(
            "{sev} {} {loc} {}",
            m["ID"].as_str().unwrap_or(""),
            m["message"].as_str().unwrap_or("")
        ));
    }
    Some(c)
}

/// Writes `bytes` as `name.epub` in a temporary folder and asserts
/// EPUBCheck finds nothing at all in it (skipped without the jar, outside CI).
pub fn assert_valid(name: &str, bytes: &[u8]) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join(format!("{name}.epub"));
    std::fs::write(&path, bytes).expect("write book");
    if let Some(c) = epubcheck(&path) {
        eprintln!(
            "EPUBCheck {name}: {} fatal, {} errors, {} warnings",
            c.fatal, c.error, c.warning
        );
        assert!(
            c.fatal + c.error + c.warning == 0,
            "EPUBCheck on {name}: {} fatal, {} errors, {} warnings:\n{}",
            c.fatal,
            c.error,
            c.warning,
            c.lines.join("\n")
        );
    }
}
