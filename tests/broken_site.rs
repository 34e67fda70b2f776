//! `fixtures/broken-site`: a broken-YAML post, a post with no closing
//! `---`, a binary `.md` file, and good documents.

use std::path::{Path, PathBuf};
use std::process::Command;

use jekyll_migrate::jekyll::{read_site, ReadOptions};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(name)
}

#[test]
fn broken_files_give_one_diagnostic_each_and_the_rest_is_read() {
    let site = read_site(&fixture("broken-site"), &ReadOptions::default()).expect("read");
    let sources: Vec<&str> = site.documents.iter().map(|d| d.source.as_str()).collect();
    for wanted in [
        "_posts/2020-01-01-good.md",
        "_posts/2020-01-02-broken-yaml.md",
        "_posts/2020-01-03-no-closing.md",
        "about.md",
    ] {
        assert!(
            sources.contains(&wanted),
            "{wanted} missing from {sources:?}"
        );
    }
    assert!(!sources.contains(&"_posts/2020-01-04-binary.md"));
    let errors: Vec<_> = site
        .diagnostics
        .iter()
        .filter(|d| d.severity == jekyll_migrate::diagnostics::Severity::Error)
        .map(|d| (d.file.as_str(), d.kind.as_str(), d.line))
        .collect();
    assert_eq!(
        errors,
        [
            ("_posts/2020-01-02-broken-yaml.md", "yaml-syntax", Some(2)),
            (
                "_posts/2020-01-03-no-closing.md",
                "front-matter-unclosed",
                Some(1)
            ),
            ("_posts/2020-01-04-binary.md", "binary", Some(3)),
        ]
    );
    // (the first NUL byte of the PNG header is on its third line)
    // The good post keeps its front matter.
    let good = site
        .documents
        .iter()
        .find(|d| d.source == "_posts/2020-01-01-good.md")
        .expect("good post");
    assert_eq!(good.title.as_deref(), Some("A good post"));
    assert_eq!(good.tags, ["ok"]);
    // The unclosed one is all body, titled from its file name as Jekyll does.
    let unclosed = site
        .documents
        .iter()
        .find(|d| d.source == "_posts/2020-01-03-no-closing.md")
        .expect("unclosed post");
    assert_eq!(unclosed.title.as_deref(), Some("No Closing"));
    assert!(unclosed.body.starts_with("---\ntitle: Never closed"));
}

#[test]
fn inspect_exits_1_and_names_file_and_line() {
    let out = Command::new(env!("CARGO_BIN_EXE_jekyll-migrate"))
        .args(["inspect"])
        .arg(fixture("broken-site"))
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    for wanted in [
        "_posts/2020-01-02-broken-yaml.md:2:",
        "_posts/2020-01-03-no-closing.md:1:1:",
        "_posts/2020-01-04-binary.md:3:",
    ] {
        assert!(stderr.contains(wanted), "{wanted} not in stderr: {stderr}");
    }
}

#[test]
fn a_missing_site_is_exit_2() {
    let out = Command::new(env!("CARGO_BIN_EXE_jekyll-migrate"))
        .args(["inspect", "/nonexistent/site/folder"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
}
