//! The reader on `fixtures/reader-features`, a site written to exercise
//! Jekyll's rules: `collections_dir`, collection permalinks, front matter
//! defaults (typed, by path, by glob), `exclude`/`include`, a time zone,
//! permalink templates and placeholders, `_data` and `_includes`.
//! Every expected value below was worked out by hand from Jekyll 4.3's
//! rules, not taken from the reader's output.

use std::path::{Path, PathBuf};

use jekyll_migrate::ir::{Document, Site};
use jekyll_migrate::jekyll::{read_site, ReadOptions};
use serde_json::json;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/reader-features")
}

fn site() -> Site {
    read_site(&root(), &ReadOptions::default()).expect("read")
}

fn doc<'a>(site: &'a Site, source: &str) -> &'a Document {
    site.documents
        .iter()
        .find(|d| d.source == source)
        .unwrap_or_else(|| panic!("{source} not read"))
}

#[test]
fn every_document_gets_jekylls_url() {
    let site = site();
    let mut urls: Vec<(&str, &str)> = site
        .documents
        .iter()
        .map(|d| (d.source.as_str(), d.url.as_str()))
        .collect();
    urls.sort();
    assert_eq!(
        urls,
        [
            ("content/_notes/idea.md", "/notes/idea/"),
            (
                "content/_posts/2019-12-30-weekdate.md",
                "/2020/W01/Mon/weekdate.html"
            ),
            (
                "content/_posts/2020-01-15-ordinal.md",
                "/2020/015/my-slug.html"
            ),
            (
                "content/_posts/2021-03-14-pi-day.md",
                "/food/sweet%20things/2021/03/13/pi-day/"
            ),
            (
                "content/_posts/2022-02-02-unpublished.md",
                "/2022/02/02/unpublished/"
            ),
            ("content/_recipes/cake.md", "/cook/cake/"),
            ("content/_recipes/sub/pie.markdown", "/cook/sub/pie/"),
            (
                "content/sub/_posts/2018-07-04-nested.md",
                "/sub/holiday/2018/07/04/nested/"
            ),
            ("feed.xml", "/feed.xml"),
            ("index.html", "/"),
            ("manual/intro.md", "/manual/intro/"),
            ("style.scss", "/style.css"),
        ]
    );
}

#[test]
fn dates_titles_categories_and_defaults() {
    let site = site();
    let pi = doc(&site, "content/_posts/2021-03-14-pi-day.md");
    // No offset in the YAML time: UTC, which is the evening before in New York
    // (hence /2021/03/13/ in the URL), shown in New York time as Jekyll shows it.
    assert_eq!(
        pi.date.map(|d| d.rfc3339()).as_deref(),
        Some("2021-03-13T20:30:00-05:00")
    );
    assert_eq!(pi.categories, ["Food", "Sweet Things"]);
    assert_eq!(pi.tags, ["math", "fun"]);
    assert_eq!(pi.layout.as_deref(), Some("post"));
    assert_eq!(pi.authors, ["Ann"]);
    assert_eq!(pi.extra.get("series"), Some(&json!("numbers")));
    assert!(pi.extra.get("title").is_none());
    // `front_matter` is what was written, after defaults, in that order.
    let keys: Vec<&str> = pi.front_matter.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "layout",
            "author",
            "title",
            "date",
            "categories",
            "tags",
            "series"
        ]
    );

    let ord = doc(&site, "content/_posts/2020-01-15-ordinal.md");
    assert_eq!(
        ord.date.map(|d| d.rfc3339()).as_deref(),
        Some("2020-01-15T00:00:00-05:00")
    );
    assert_eq!(ord.title.as_deref(), Some("Ordinal"));
    assert_eq!(ord.slug, "My Slug!");

    let nested = doc(&site, "content/sub/_posts/2018-07-04-nested.md");
    assert_eq!(nested.categories, ["sub", "Holiday"]);
    assert!(nested.published);
    assert_eq!(
        nested.date.map(|d| d.rfc3339()).as_deref(),
        Some("2018-07-04T00:00:00-04:00")
    );

    assert!(!doc(&site, "content/_posts/2022-02-02-unpublished.md").published);

    let cake = doc(&site, "content/_recipes/cake.md");
    assert_eq!(cake.collection.as_deref(), Some("recipes"));
    assert_eq!(cake.layout.as_deref(), Some("recipe"));
    assert!(cake.date.is_none());
    assert_eq!(
        doc(&site, "content/_recipes/sub/pie.markdown")
            .title
            .as_deref(),
        Some("Pie")
    );
    assert!(!doc(&site, "content/_notes/idea.md").output);
    assert_eq!(doc(&site, "manual/intro.md").tags, ["manual"]);
    assert_eq!(doc(&site, "index.html").title.as_deref(), Some("Home"));
    assert_eq!(doc(&site, "feed.xml").title, None);
}

#[test]
fn excluded_hidden_and_backup_files_are_not_read_and_include_wins() {
    let site = site();
    let mut statics: Vec<(&str, &str)> = site
        .static_files
        .iter()
        .map(|s| (s.source.as_str(), s.url.as_str()))
        .collect();
    statics.sort();
    assert_eq!(
        statics,
        [
            ("_redirects", "/_redirects"),
            ("assets/logo.png", "/assets/logo.png"),
            ("content/_recipes/cake.jpg", "/cook/cake.jpg"),
        ]
    );
    for gone in ["private.md", ".hidden.md"] {
        assert!(
            site.documents.iter().all(|d| d.source != gone),
            "{gone} was read"
        );
    }
}

#[test]
fn config_data_and_includes() {
    let site = site();
    let c = &site.config;
    assert_eq!(c.url.as_deref(), Some("https://example.org"));
    assert_eq!(c.baseurl, "/blog");
    assert_eq!(c.lang.as_deref(), Some("fr"));
    assert_eq!(c.timezone.as_deref(), Some("America/New_York"));
    assert_eq!(c.authors.len(), 1);
    assert_eq!(c.authors[0].name, "Ann Example");
    assert_eq!(c.authors[0].email.as_deref(), Some("ann@example.org"));
    let labels: Vec<_> = c.collections.iter().map(|c| c.label.as_str()).collect();
    assert_eq!(labels, ["posts", "recipes", "notes"]);
    assert_eq!(c.collections[1].directory, "content/_recipes");

    let data: Vec<(Vec<String>, serde_json::Value)> = site
        .data
        .iter()
        .map(|d| (d.key.clone(), d.value.clone()))
        .collect();
    assert_eq!(
        data,
        [
            (
                vec!["authors".to_string()],
                json!({"ann": {"name": "Ann Example", "active": true}})
            ),
            (
                vec!["nav".to_string(), "main".to_string()],
                json!({"items": [{"title": "Home", "url": "/"}]})
            ),
            (
                vec!["team".to_string()],
                json!([{"name": "Doe, Jane", "role": "editor"}])
            ),
        ]
    );
    let includes: Vec<_> = site.includes.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(includes, ["note.html"]);
    // The one note: the notes collection's image is not copied (no output).
    let notes: Vec<_> = site
        .diagnostics
        .iter()
        .map(|d| (d.kind.as_str(), d.file.as_str()))
        .collect();
    assert_eq!(notes, [("collection-files-not-output", "content/_notes")]);
}

#[test]
fn later_config_files_override_earlier_ones() {
    let opts = ReadOptions {
        config_files: vec![root().join("_config.yml"), root().join("_config.prod.yml")],
        ..ReadOptions::default()
    };
    let site = read_site(&root(), &opts).expect("read");
    assert_eq!(site.config.url.as_deref(), Some("https://prod.example.org"));
    assert_eq!(site.config.title.as_deref(), Some("Reader features"));
    // The first file's settings still apply.
    assert_eq!(doc(&site, "content/_recipes/cake.md").url, "/cook/cake/");
}

#[test]
fn documents_come_in_jekylls_order() {
    let site = site();
    let order: Vec<&str> = site.documents.iter().map(|d| d.source.as_str()).collect();
    assert_eq!(
        order,
        [
            // Posts by date.
            "content/sub/_posts/2018-07-04-nested.md",
            "content/_posts/2019-12-30-weekdate.md",
            "content/_posts/2020-01-15-ordinal.md",
            "content/_posts/2021-03-14-pi-day.md",
            "content/_posts/2022-02-02-unpublished.md",
            // Collections in config order; recipes by their `order` list.
            "content/_recipes/sub/pie.markdown",
            "content/_recipes/cake.md",
            "content/_notes/idea.md",
            // Pages by file name.
            "feed.xml",
            "index.html",
            "manual/intro.md",
            "style.scss",
        ]
    );
}
