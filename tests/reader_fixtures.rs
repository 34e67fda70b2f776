//! The reader on the small sites of `fixtures/`: the seed post, and a site
//! broken in each way a reader must survive.

use std::path::{Path, PathBuf};
use std::process::Command;

use jekyll_migrate::jekyll::{read_site, ReadOptions};
use serde_json::Value;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(name)
}

#[test]
fn seed_post_gets_jekylls_url_title_date_and_categories() {
    let site = read_site(&fixture("seed-site"), &ReadOptions::default()).expect("read");
    let post = site
        .documents
        .iter()
        .find(|d| d.source == "_posts/2017-05-01-day-1-in-san-francisco.md")
        .expect("the seed post is read");
    assert_eq!(
        post.url,
        "/jekyll/update/2017/05/01/day-1-in-san-francisco.html"
    );
    assert_eq!(post.title.as_deref(), Some("Day 1 in  San Francisco"));
    assert_eq!(
        post.date.map(|d| d.rfc3339()).as_deref(),
        Some("2017-05-01T01:21:12-07:00")
    );
    assert_eq!(post.categories, ["jekyll", "update"]);
    assert_eq!(post.layout.as_deref(), Some("post"));
    assert!(post.body.starts_with("## Hello, world"));
    assert_eq!(post.body_line, 7);
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
fn inspect_exits_1_on_a_broken_site_and_json_lists_every_field() {
    let bin = env!("CARGO_BIN_EXE_jekyll-migrate");
    let out = Command::new(bin)
        .args(["inspect"])
        .arg(fixture("broken-site"))
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("_posts/2020-01-02-broken-yaml.md:2:"),
        "stderr: {stderr}"
    );

    let out = Command::new(bin)
        .args(["inspect", "--json"])
        .arg(fixture("seed-site"))
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&out.stdout).expect("json");
    let doc = &v["documents"][0];
    for key in [
        "source",
        "kind",
        "url",
        "title",
        "date",
        "categories",
        "tags",
        "published",
        "collection",
    ] {
        assert!(doc.get(key).is_some(), "{key} missing in {doc}");
    }
    assert_eq!(doc["kind"], "post");
    assert_eq!(doc["collection"], "posts");
    assert_eq!(doc["date"], "2017-05-01T01:21:12-07:00");
}

#[test]
fn a_missing_site_is_exit_2() {
    let out = Command::new(env!("CARGO_BIN_EXE_jekyll-migrate"))
        .args(["inspect", "/nonexistent/site/folder"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
}
