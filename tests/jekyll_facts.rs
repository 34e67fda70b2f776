//! Facts from Jekyll's own test suite (`test/test_document.rb`,
//! `test/test_url.rb`), checked on Jekyll's test site as the corpus holds it
//! (`../shared/corpus/jekyll-testsrc`), with the collections those tests
//! configure passed through `--config`.

use std::path::{Path, PathBuf};

use jekyll_migrate::ir::Site;
use jekyll_migrate::jekyll::{read_site, ReadOptions};

fn testsrc() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/jekyll-testsrc")
}

/// Reads Jekyll's test site with `config` as its only configuration.
fn read_with(config: &str) -> Site {
    let dir = tempfile::tempdir().expect("tmp");
    let cfg = dir.path().join("_config.yml");
    std::fs::write(&cfg, config).expect("write config");
    let opts = ReadOptions {
        config_files: vec![cfg],
        ..ReadOptions::default()
    };
    read_site(&testsrc(), &opts).expect("read")
}

fn url<'a>(site: &'a Site, source: &str) -> &'a str {
    site.documents
        .iter()
        .find(|d| d.source == source)
        .map(|d| d.url.as_str())
        .unwrap_or_else(|| panic!("{source} not read"))
}

#[test]
fn methods_collection_urls() {
    let site = read_with("collections:\n  methods:\n    output: true\n");
    assert_eq!(
        url(&site, "_methods/trailing-dots...md"),
        "/methods/trailing-dots.html"
    );
    assert_eq!(
        url(&site, "_methods/escape-+ #%20[].md"),
        "/methods/escape-+%20%23%2520%5B%5D.html"
    );
    assert_eq!(
        url(&site, "_methods/3940394-21-9393050-fifif1323-test.md"),
        "/methods/3940394-21-9393050-fifif1323-test.html"
    );
    assert_eq!(
        url(&site, "_posts/2018-10-12-trailing-dots...markdown"),
        "/2018/10/12/trailing-dots.html"
    );
    // `_methods/site/_dont_include_me_either.md` is special: not read.
    assert!(site
        .documents
        .iter()
        .all(|d| !d.source.ends_with("_dont_include_me_either.md")));
}

#[test]
fn url_drop_placeholders() {
    let site = read_with(
        "collections:\n  methods:\n    output: true\n    permalink: /methods/:title/:name:output_ext\n",
    );
    assert_eq!(
        url(&site, "_methods/escape-+ #%20[].md"),
        "/methods/escape-+-20/escape-20.html"
    );
    let site = read_with(
        "collections:\n  methods:\n    output: true\n    permalink: /methods/:name-:slug_:collection_:title\n",
    );
    assert_eq!(
        url(&site, "_methods/configuration.md"),
        "/methods/configuration-configuration_methods_configuration"
    );
}

#[test]
fn slides_with_title_permalinks() {
    let site =
        read_with("collections:\n  slides:\n    output: true\n    permalink: /slides/:title\n");
    assert_eq!(
        url(&site, "_slides/example-slide-4.html"),
        "/slides/so-what-is-jekyll-exactly"
    );
    assert_eq!(
        url(&site, "_slides/example-slide-5.html"),
        "/slides/example-slide-5"
    );
    assert_eq!(
        url(&site, "_slides/example-slide-6.html"),
        "/slides/Well,-so-what-is-Jekyll,-then"
    );
}

#[test]
fn slides_with_name_permalinks_and_pretty_style() {
    let site = read_with(
        "permalink: pretty\ncollections:\n  slides:\n    output: true\n    permalink: /slides/test/:name\n",
    );
    assert_eq!(
        url(&site, "_slides/example-slide-1.html"),
        "/slides/test/example-slide-1"
    );
    assert_eq!(
        url(&site, "_slides/example-slide-7.md"),
        "/slides/example-slide-7.php"
    );
    assert_eq!(url(&site, "_slides/example-slide-3.html"), "/slide/3/");

    let site = read_with("permalink: pretty\ncollections:\n  slides:\n    output: true\n");
    assert_eq!(
        url(&site, "_slides/example-slide-1.html"),
        "/slides/example-slide-1/"
    );
    assert_eq!(
        url(&site, "_slides/example-slide-Upper-Cased.html"),
        "/slides/example-slide-Upper-Cased/"
    );
}

#[test]
fn page_urls_follow_the_site_permalink_style() {
    for (style, contacts, bar, odd) in [
        ("pretty", "/contacts/", "/contacts/bar/", "/+/%25%23%20+/"),
        (
            "date",
            "/contacts.html",
            "/contacts/bar.html",
            "/+/%25%23%20+.html",
        ),
        ("/:title/", "/contacts/", "/contacts/bar/", "/+/%25%23%20+/"),
        (
            "/:title:output_ext",
            "/contacts.html",
            "/contacts/bar.html",
            "/+/%25%23%20+.html",
        ),
        ("/:title", "/contacts", "/contacts/bar", "/+/%25%23%20+"),
    ] {
        let site = read_with(&format!("permalink: \"{style}\"\n"));
        assert_eq!(url(&site, "contacts.html"), contacts, "style {style}");
        assert_eq!(url(&site, "contacts/bar.html"), bar, "style {style}");
        assert_eq!(url(&site, "+/%# +.md"), odd, "style {style}");
        assert_eq!(
            url(&site, "contacts/index.html"),
            "/contacts/",
            "style {style}"
        );
        assert_eq!(url(&site, "index.html"), "/", "style {style}");
        assert_eq!(
            url(&site, "dynamic_file.php"),
            "/dynamic_file.php",
            "style {style}"
        );
    }
}
