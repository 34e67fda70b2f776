//! Ace by DAISY 1.4 (the accessibility checker EPUB publishers use) on the
//! books of every real corpus site, the demo blog, the hostile-HTML fixture
//! and a site of quotes and inline SVG: no `critical` or `serious`
//! violation, metadata checks included.
//!
//! Ace comes from `scripts/install-test-tools.sh` (`.tools/ace`, npm
//! `@daisy/ace`) and runs in Debian's `chromium` through Puppeteer
//! (`PUPPETEER_EXECUTABLE_PATH`, `/usr/bin/chromium` unless set; Ace itself
//! launches it with `--no-sandbox`, which running as root needs). Without
//! Ace the test says so and does nothing, except under CI=true, where that
//! fails; an Ace that is there but does not run always fails.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;
use std::time::Instant;

use jekyll_migrate::converters::{epub, ConvertOptions};

/// Books checked at once: Ace drives a browser with several tabs, and the
/// machine has two cores shared with the other tests.
const PARALLEL: usize = 2;

/// One finding Ace rates critical or serious.
#[derive(Debug)]
struct Violation {
    impact: String,
    rule: String,
    file: String,
    message: String,
    html: String,
}

/// Ace's command, or `None` (with a note) when it is not installed outside CI.
fn ace_command() -> Option<(PathBuf, PathBuf)> {
    let ace = common::tool("ace/node_modules/.bin/ace-puppeteer")?;
    let chromium = std::env::var_os("PUPPETEER_EXECUTABLE_PATH")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    assert!(
        chromium.exists(),
        "Ace is installed but {} is not: Ace cannot run without a browser; run scripts/install-test-tools.sh (it installs Debian's chromium) or set PUPPETEER_EXECUTABLE_PATH",
        chromium.display()
    );
    Some((ace, chromium))
}

/// Runs Ace on `book` and returns its critical and serious findings.
fn ace(ace: &Path, chromium: &Path, book: &Path) -> Vec<Violation> {
    let out_dir = book.with_extension("ace");
    let out = Command::new(ace)
        .arg("--silent")
        .arg("--force")
        .arg("--outdir")
        .arg(&out_dir)
        .arg(book)
        .env("PUPPETEER_EXECUTABLE_PATH", chromium)
        // The browser must start within this; Ace's 5 s default is too
        // short on a busy two-core machine.
        .env("ACE_TIMEOUT_INITIAL", "60000")
        .output()
        .expect("node runs Ace");
    let report = out_dir.join("report.json");
    let text = std::fs::read_to_string(&report).unwrap_or_else(|e| {
        panic!(
            "Ace could not check {} (no {}: {e}); exit {:?}\nstdout: {}\nstderr: {}",
            book.display(),
            report.display(),
            out.status.code(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let v: serde_json::Value = serde_json::from_str(&text).expect("Ace's report.json parses");
    let mut found = Vec::new();
    for doc in v["assertions"].as_array().into_iter().flatten() {
        let file = doc["earl:testSubject"]["url"].as_str().unwrap_or("?");
        for a in doc["assertions"].as_array().into_iter().flatten() {
            let impact = a["earl:test"]["earl:impact"].as_str().unwrap_or("");
            if !matches!(impact, "critical" | "serious") {
                continue;
            }
            found.push(Violation {
                impact: impact.to_string(),
                rule: a["earl:test"]["dct:title"]
                    .as_str()
                    .unwrap_or("?")
                    .to_string(),
                file: file.to_string(),
                message: a["earl:result"]["dct:description"]
                    .as_str()
                    .unwrap_or("")
                    .lines()
                    .next()
                    .unwrap_or("")
                    .to_string(),
                html: a["earl:result"]["html"]
                    .as_str()
                    .unwrap_or("")
                    .chars()
                    .take(160)
                    .collect(),
            });
        }
    }
    found
}

/// The books: every real corpus site, the demo, the hostile fixture and
/// the SVG site, written into `dir`.
fn write_books(dir: &Path) -> Vec<(String, PathBuf)> {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let svg = common::svg_site();
    let mut sites: Vec<(String, PathBuf)> = common::corpus_sites()
        .into_iter()
        .map(|n| (n.clone(), common::corpus_dir().join(n)))
        .collect();
    sites.push(("demo-blog".into(), crate_dir.join("fixtures/demo-blog")));
    sites.push((
        "hostile-html".into(),
        crate_dir.join("fixtures/hostile-html"),
    ));
    sites.push(("svg-site".into(), svg.path().to_path_buf()));
    sites
        .into_iter()
        .map(|(name, root)| {
            let site = common::read_rendered(&root);
            let built = epub::build(&site, &ConvertOptions::default()).expect("a book");
            let path = dir.join(format!("{name}.epub"));
            std::fs::write(&path, &built.bytes).expect("write the book");
            (name, path)
        })
        .collect()
}

#[test]
fn ace_finds_no_critical_or_serious_violation_in_any_book() {
    let Some((ace_bin, chromium)) = ace_command() else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let books = write_books(dir.path());
    let queue = Mutex::new(books.into_iter());
    let results = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..PARALLEL {
            s.spawn(|| loop {
                let next = queue.lock().expect("queue").next();
                let Some((name, path)) = next else { break };
                let start = Instant::now();
                let found = ace(&ace_bin, &chromium, &path);
                eprintln!(
                    "Ace {name}: {} critical or serious in {:.0?}",
                    found.len(),
                    start.elapsed()
                );
                results.lock().expect("results").push((name, found));
            });
        }
    });
    let mut results = results.into_inner().expect("results");
    results.sort_by(|a, b| a.0.cmp(&b.0));
    let mut report = String::new();
    for (name, found) in &results {
        for v in found.iter().take(20) {
            report.push_str(&format!(
                "{name}: {} {} {}: {} [{}]\n",
                v.impact, v.rule, v.file, v.message, v.html
            ));
        }
        if found.len() > 20 {
            report.push_str(&format!("{name}: … and {} more\n", found.len() - 20));
        }
    }
    assert!(
        report.is_empty(),
        "Ace found critical or serious violations:\n{report}"
    );
}
