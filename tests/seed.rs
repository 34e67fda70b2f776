//! The seed post of `../shared/seed/`, placed in `fixtures/seed-site` as
//! `_posts/2017-05-01-day-1-in-san-francisco.md`, read with the site in UTC.

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
fn every_image_the_seed_post_shows_is_a_static_file() {
    let site = read_site(&fixture("seed-site"), &ReadOptions::default()).expect("read");
    let post = &site.documents[0];
    let statics: Vec<&str> = site.static_files.iter().map(|s| s.url.as_str()).collect();
    let mut shown = 0;
    for part in post.body.split("{{ site.url }}").skip(1) {
        let path = part.split(')').next().unwrap_or("");
        assert!(
            statics.contains(&path),
            "{path} is not a static file: {statics:?}"
        );
        shown += 1;
    }
    assert_eq!(shown, 8);
}

#[test]
fn inspect_json_lists_every_field_of_the_seed_post() {
    let bin = env!("CARGO_BIN_EXE_jekyll-migrate");
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
