//! JSON Feed 1.1: every corpus site and the demo site give a feed that the
//! JSON Feed 1.1 schema accepts, that keeps the rules the schema cannot
//! express, that has one item per published post at Jekyll's URL, and whose
//! content matches Jekyll's rendering.

mod common;

use std::collections::HashSet;
use std::path::Path;

use jekyll_migrate::converters::{self, ConvertOptions};
use jekyll_migrate::jekyll::{read_site, ReadOptions};
use jekyll_migrate::output::OutputTree;
use serde_json::Value;

fn schema() -> jsonschema::Validator {
    let path = common::corpus_dir().join("../schemas/jsonfeed-1.1.schema.json");
    let text =
        std::fs::read_to_string(&path).expect("the JSON Feed schema is in ../shared/schemas");
    let schema: Value = serde_json::from_str(&text).expect("schema is JSON");
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("schema compiles")
}

/// Converts `site_dir` to a feed folder and returns the parsed pages, in
/// `next_url` order, and the site.
fn convert(site_dir: &Path, opts: &ConvertOptions) -> (Vec<Value>, jekyll_migrate::ir::Site) {
    let mut site = read_site(site_dir, &ReadOptions::default()).expect("site reads");
    jekyll_migrate::content::process(&mut site);
    let conv = converters::find("jsonfeed").expect("jsonfeed is registered");
    let out = tempfile::tempdir().expect("temp dir");
    let mut tree = OutputTree::new(out.path());
    conv.convert(&site, opts, &mut tree, None)
        .expect("conversion succeeds");
    let mut pages = Vec::new();
    let mut name = "feed.json".to_string();
    loop {
        let text = std::fs::read_to_string(out.path().join(&name))
            .unwrap_or_else(|e| panic!("{name} missing: {e}"));
        let v: Value = serde_json::from_str(&text).expect("valid JSON");
        // Items are written a batch at a time; together they must lay out
        // exactly as serde pretty-prints the whole page.
        assert_eq!(
            text,
            serde_json::to_string_pretty(&v).expect("serialises"),
            "{name} is not laid out as one pretty-printed document"
        );
        let next = v["next_url"].as_str().map(str::to_string);
        pages.push(v);
        match next {
            Some(u) => name = u.rsplit('/').next().unwrap_or_default().to_string(),
            None => break,
        }
        assert!(pages.len() < 10_000, "next_url loop");
    }
    (pages, site)
}

fn is_absolute(u: &str) -> bool {
    url::Url::parse(u).is_ok_and(|p| p.has_host())
}

/// Checks the spec rules the schema cannot express on one set of pages.
fn check_rules(label: &str, pages: &[Value]) -> Vec<String> {
    let mut errors = Vec::new();
    let mut ids = HashSet::new();
    let mut seen_next = HashSet::new();
    let feed_url = pages[0]["feed_url"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    for page in pages {
        if let Some(next) = page["next_url"].as_str() {
            if next == feed_url || !seen_next.insert(next.to_string()) {
                errors.push(format!("{label}: next_url {next} repeats"));
            }
        }
        for item in page["items"].as_array().into_iter().flatten() {
            let id = item["id"].as_str().unwrap_or_default();
            if !ids.insert(id.to_string()) {
                errors.push(format!("{label}: duplicate id {id}"));
            }
            for key in ["url", "image", "banner_image", "external_url"] {
                if let Some(u) = item[key].as_str() {
                    if !is_absolute(u) {
                        errors.push(format!("{label}: {key} {u} is not absolute"));
                    }
                }
            }
            let html = item["content_html"].as_str().unwrap_or_default();
            // The links of the HTML's tags (markup shown as code is text).
            let links = jekyll_migrate::html_attrs::start_tag_attrs(html)
                .into_iter()
                .filter(|a| matches!(a.name.as_str(), "src" | "href" | "poster"));
            for a in links {
                let u = &html[a.value];
                let special = u.starts_with("mailto:")
                    || u.starts_with("data:")
                    || u.starts_with("tel:")
                    || u.starts_with("javascript:");
                if !special && !is_absolute(&u.replace("&amp;", "&")) {
                    errors.push(format!("{label}: {id}: relative URL {u} in content_html"));
                }
            }
            for key in ["date_published", "date_modified"] {
                if let Some(d) = item[key].as_str() {
                    if d.parse::<jiff::Timestamp>().is_err() {
                        errors.push(format!("{label}: {id}: {key} {d} is not RFC 3339"));
                    }
                }
            }
            // Plain text: no rendered markup. (A literal `<figure>` or `{{`
            // may be the author's own words: front-matter excerpts are not
            // rendered by Jekyll.)
            for key in ["title", "summary"] {
                if let Some(t) = item[key].as_str() {
                    if t.contains("</p>") || t.contains("<br") || t.contains("&lt;") {
                        errors.push(format!("{label}: {id}: {key} is not plain text: {t}"));
                    }
                }
            }
        }
    }
    errors
}

#[test]
fn corpus_feeds_are_valid_complete_and_faithful() {
    let validator = schema();
    let mut failures = Vec::new();
    for name in common::corpus_sites() {
        let dir = common::corpus_dir().join(&name);
        let (pages, site) = convert(&dir, &ConvertOptions::default());
        for page in &pages {
            for e in validator.iter_errors(page) {
                failures.push(format!("{name}: schema: {e} at {}", e.instance_path()));
            }
        }
        failures.extend(check_rules(&name, &pages));

        // Every published post of the truth has exactly one item at
        // site URL + Jekyll's URL.
        let items: Vec<&Value> = pages
            .iter()
            .flat_map(|p| p["items"].as_array().into_iter().flatten())
            .collect();
        let home = jekyll_migrate::urls::home_url(&site.config);
        let home = home.trim_end_matches('/');
        let posts: Vec<common::TruthRow> = common::truth(&name, "truth.tsv")
            .into_iter()
            .filter(|r| r.kind == "post")
            .collect();
        for row in &posts {
            let want = url::Url::parse(&format!("{home}{}", row.url))
                .map(|u| u.to_string())
                .unwrap_or_default();
            let n = items.iter().filter(|i| i["url"] == want.as_str()).count();
            if n != 1 {
                failures.push(format!("{name}: {} ({want}) has {n} items", row.source));
            }
        }
        if items.len() != posts.len() {
            failures.push(format!(
                "{name}: {} items for {} published posts",
                items.len(),
                posts.len()
            ));
        }

        // Visible text of content_html against Jekyll's rendering.
        let mut scores = Vec::new();
        for row in &posts {
            let Some(jekyll) = common::jekyll_html(&name, &row.url) else {
                continue;
            };
            let want = url::Url::parse(&format!("{home}{}", row.url))
                .map(|u| u.to_string())
                .unwrap_or_default();
            let Some(item) = items.iter().find(|i| i["url"] == want.as_str()) else {
                continue;
            };
            let html = item["content_html"].as_str().unwrap_or_default();
            let ours = common::visible(html);
            let theirs = common::visible(&jekyll);
            // Compared as visible text: Jekyll's highlighter splits code
            // into spans, so `{{ site.x` in code is text on both sides.
            for leak in ["{%", "{{ site.", "{{ page.", "{:", "{::"] {
                if ours.matches(leak).count() > theirs.matches(leak).count() {
                    failures.push(format!(
                        "{name}: {}: {leak} leaks into content_html",
                        row.source
                    ));
                }
            }
            scores.push((common::similarity(&ours, &theirs), row.source.clone()));
        }
        let share = common::report_scores(&format!("jsonfeed {name}"), &mut scores, 0.95, 10);
        if share < 0.95 {
            failures.push(format!(
                "{name}: only {:.1}% of posts reach similarity 0.95",
                share * 100.0
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn pagination_chains_pages_and_limit_caps_items() {
    let dir = common::corpus_dir().join("jekyll-docs");
    let opts = ConvertOptions {
        page_size: Some(7),
        ..ConvertOptions::default()
    };
    let (pages, site) = convert(&dir, &opts);
    let published = site
        .documents
        .iter()
        .filter(|d| d.kind == jekyll_migrate::ir::DocKind::Post && d.published)
        .count();
    assert!(published > 14, "jekyll-docs has many posts");
    assert_eq!(pages.len(), published.div_ceil(7));
    let total: usize = pages
        .iter()
        .map(|p| p["items"].as_array().map_or(0, Vec::len))
        .sum();
    assert_eq!(total, published);
    assert!(check_rules("paged", &pages).is_empty());
    let validator = schema();
    for p in &pages {
        assert!(validator.is_valid(p));
    }
    // Newest first across pages.
    let dates: Vec<String> = pages
        .iter()
        .flat_map(|p| p["items"].as_array().into_iter().flatten())
        .filter_map(|i| i["date_published"].as_str().map(str::to_string))
        .collect();
    let instants: Vec<jiff::Timestamp> = dates.iter().filter_map(|d| d.parse().ok()).collect();
    assert!(
        instants.windows(2).all(|w| w[0] >= w[1]),
        "not newest first"
    );

    let (limited, _) = convert(
        &dir,
        &ConvertOptions {
            limit: Some(3),
            ..ConvertOptions::default()
        },
    );
    assert_eq!(limited.len(), 1);
    assert_eq!(limited[0]["items"].as_array().map_or(0, Vec::len), 3);
}

#[test]
fn demo_blog_feed_is_valid_and_has_every_published_post() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/demo-blog");
    let (pages, site) = convert(&dir, &ConvertOptions::default());
    let validator = schema();
    let schema_errors: Vec<String> = validator
        .iter_errors(&pages[0])
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(schema_errors.is_empty(), "demo-blog: {schema_errors:?}");
    let errors = check_rules("demo-blog", &pages);
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    let published: Vec<&jekyll_migrate::ir::Document> = site
        .documents
        .iter()
        .filter(|d| d.kind == jekyll_migrate::ir::DocKind::Post && d.published)
        .collect();
    let items = pages[0]["items"].as_array().expect("items");
    assert_eq!(items.len(), published.len());
    assert!(published.len() >= 3, "the demo blog has several posts");
    // Drafts and unpublished posts stay out.
    for d in site
        .documents
        .iter()
        .filter(|d| !d.published || d.kind == jekyll_migrate::ir::DocKind::Draft)
    {
        assert!(
            !items
                .iter()
                .any(|i| i["url"].as_str().is_some_and(|u| u.ends_with(&d.url))),
            "{} is in the feed",
            d.source
        );
    }
    // The demo's images are absolute in content_html.
    let all_html: String = items
        .iter()
        .filter_map(|i| i["content_html"].as_str())
        .collect();
    assert!(all_html.contains("<img"), "the demo blog shows images");
    assert!(!all_html.contains("src=\"/"), "a root-relative src is left");
}

/// A site with no published post gets a warning, not a silent empty feed,
/// and the warning says how to add drafts.
#[test]
fn a_site_without_posts_is_warned_about() {
    let dir = common::site_dir(&[
        ("_config.yml", "title: T\nurl: https://example.org\n"),
        ("about.md", "---\ntitle: About\n---\nHi.\n"),
        ("_drafts/soon.md", "---\ntitle: Soon\n---\nLater.\n"),
    ]);
    let site = common::read_rendered(dir.path());
    let out = tempfile::tempdir().expect("temp dir");
    let mut tree = jekyll_migrate::output::OutputTree::new(out.path());
    let summary = jekyll_migrate::converters::find("jsonfeed")
        .expect("registered")
        .convert(
            &site,
            &ConvertOptions::default(),
            &mut tree,
            Some("feed.json"),
        )
        .expect("converts");
    let warned = common::of_kind(&summary.diagnostics, "feed-empty", |d| &d.message);
    assert_eq!(warned.len(), 1, "{:?}", summary.diagnostics);
    assert!(warned[0].contains("--drafts"), "{warned:?}");
}

/// The feed's `language` follows the one rule of every format: a Korean
/// blog without `lang` is `ko` (guessed, with the shared note), a site with
/// `lang: fr` is `fr` with no note. Authors keep their `_data` names.
#[test]
fn language_is_the_sites_or_guessed_with_a_note() {
    let feed = |out: &Path| -> Value {
        let text = std::fs::read_to_string(out.join("feed.json")).expect("feed.json");
        serde_json::from_str(&text).expect("valid JSON")
    };
    let ko = common::korean_site("");
    let (out, summary, _) = common::convert_with("jsonfeed", ko.path(), "feed.json");
    let v = feed(out.path());
    assert_eq!(v["language"], "ko");
    common::assert_lang_guessed(&summary.diagnostics, "ko");
    assert!(schema().is_valid(&v));
    let hello = v["items"]
        .as_array()
        .and_then(|items| items.iter().find(|i| i["title"] == "안녕하세요"))
        .expect("the post is an item");
    assert_eq!(hello["authors"][0]["name"], "Robin Sloan");
    assert_eq!(hello["authors"][0]["url"], "https://robinsloan.com/");

    let fr = common::french_site();
    let (out, summary, _) = common::convert_with("jsonfeed", fr.path(), "feed.json");
    assert_eq!(feed(out.path())["language"], "fr");
    common::assert_no_lang_note(&summary.diagnostics);
}

/// Links are made absolute in real attributes only: a Django sample in a
/// code block (escaped markup) stays as written, not
/// `href="https://ex.com/…/%7B%%20url…"`.
#[test]
fn markup_shown_as_code_is_not_rewritten() {
    let dir = common::django_site();
    let (out, _, _) = common::convert_with("jsonfeed", dir.path(), "feed.json");
    let text = std::fs::read_to_string(out.path().join("feed.json")).expect("feed.json");
    let v: Value = serde_json::from_str(&text).expect("valid JSON");
    let items = v["items"].as_array().expect("items");
    assert_eq!(items.len(), 2);
    // The fenced block is highlighted: its text is the same once the
    // token spans are taken away.
    let spans = regex::Regex::new(r#"<span class="[^"]*">|</span>"#).expect("regex");
    for item in items {
        let html = item["content_html"].as_str().unwrap_or_default();
        let code = spans.replace_all(html, "");
        assert!(code.contains(common::DJANGO_SAMPLE), "{html}");
        assert!(!html.contains("%7B"), "{html}");
    }
    let html_post = items[1]["content_html"].as_str().unwrap_or_default();
    assert!(
        html_post.contains(r#"<a href="https://ex.com/2020/01/01/memo.html">"#),
        "{html_post}"
    );
}
