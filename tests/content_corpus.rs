//! The content layer on the real sites of `../shared/corpus`: every post,
//! page and collection document rendered and compared with Jekyll's own
//! rendering in `NAME.site/`.
//!
//! Similarity measure: the visible text of both sides (tags stripped,
//! entities decoded) with all white space removed, compared character by
//! character: 2 × matched characters / total characters (the ratio of a
//! character diff). White space is removed because rouge splits code into
//! token `<span>`s, so stripping tags puts spaces where the source has none;
//! characters are what the reader sees.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use jekyll_migrate::ir::{
    CollectionInfo, DataFile, DateTime, DocKind, Document, Format, Include, Site, StaticFile,
};

/// Kinds of documents in the truth files that Jekyll renders from a body.
const RENDERED_KINDS: &[&str] = &["post", "doc", "page"];

/// Reads a corpus site with the reader, or, while the reader is not
/// available, with the small loader below (truth URLs, front matter parsed
/// from the files).
fn load_site(name: &str) -> Site {
    let root = common::corpus_dir().join(name);
    if let Ok(site) =
        jekyll_migrate::jekyll::read_site(&root, &jekyll_migrate::jekyll::ReadOptions::default())
    {
        if !site.documents.is_empty() {
            return site;
        }
    }
    fallback::load(name, &root)
}

/// Character-level similarity of the visible texts, white space removed.
fn char_similarity(ours: &str, theirs: &str) -> f64 {
    let a: String = ours.chars().filter(|c| !c.is_whitespace()).collect();
    let b: String = theirs.chars().filter(|c| !c.is_whitespace()).collect();
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    let diff = similar::TextDiff::configure()
        .algorithm(similar::Algorithm::Patience)
        .timeout(std::time::Duration::from_secs(2))
        .diff_chars(&a, &b);
    f64::from(diff.ratio())
}

struct Compared {
    url: String,
    source: String,
    ours: String,
    theirs: String,
}

/// Renders `name` and pairs each rendered document with Jekyll's output.
fn compare_site(name: &str) -> Vec<Compared> {
    let mut site = load_site(name);
    jekyll_migrate::content::process(&mut site);
    let truth = common::truth(name, "truth.tsv");
    let wanted: BTreeSet<(String, String)> = truth
        .iter()
        .filter(|r| RENDERED_KINDS.contains(&r.kind.as_str()))
        .map(|r| (r.source.clone(), r.url.clone()))
        .collect();
    let mut out = Vec::new();
    for doc in &site.documents {
        if !wanted.contains(&(doc.source.clone(), doc.url.clone())) {
            continue;
        }
        let Some(theirs) = common::jekyll_html(name, &doc.url) else {
            continue;
        };
        out.push(Compared {
            url: doc.url.clone(),
            source: doc.source.clone(),
            ours: doc.html.clone().unwrap_or_default(),
            theirs,
        });
    }
    out
}

#[test]
fn visible_text_matches_jekyll() {
    let mut failures = Vec::new();
    for name in common::corpus_sites() {
        let compared = compare_site(&name);
        assert!(!compared.is_empty(), "{name}: no document compared");
        let mut scores: Vec<(f64, String)> = compared
            .iter()
            .map(|c| {
                let s = char_similarity(&common::visible(&c.ours), &common::visible(&c.theirs));
                (s, format!("{} ({})", c.url, c.source))
            })
            .collect();
        let share = common::report_scores(&name, &mut scores, 0.95, 10);
        if share < 0.95 {
            failures.push(format!("{name}: {:.1}% of documents at >= 0.95", share * 100.0));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

/// Template and kramdown syntax that must not leak into output.
const LEAKS: &[&str] = &["{%", "{{ site.", "{{ page.", "{:", "{::"];

#[test]
fn no_template_syntax_leaks() {
    let mut leaks = Vec::new();
    for name in common::corpus_sites() {
        for c in compare_site(&name) {
            // Compared as text: rouge splits `{{ page.title }}` into token
            // spans, so the raw HTML of highlighted code never holds it.
            let (ours_text, theirs_text) = (tagless(&c.ours), tagless(&c.theirs));
            for pat in LEAKS {
                let ours = ours_text.matches(pat).count();
                let theirs = theirs_text.matches(pat).count();
                if ours > theirs {
                    leaks.push(format!(
                        "{name} {} ({}): `{pat}` {ours}× (Jekyll: {theirs}×)",
                        c.url, c.source
                    ));
                }
            }
        }
    }
    for l in &leaks {
        eprintln!("{l}");
    }
    assert!(leaks.is_empty(), "{} leaks", leaks.len());
}

/// Text with tags removed (nothing put in their place), entities decoded.
fn tagless(html: &str) -> String {
    let re = regex::Regex::new(r"(?s)<[^>]*>").unwrap_or_else(|e| panic!("{e}"));
    html_escape::decode_html_entities(&re.replace_all(html, "")).into_owned()
}

/// Ids of h1–h6 in document order.
fn heading_ids(html: &str) -> Vec<String> {
    let re = regex::Regex::new(r#"(?i)<h[1-6]\b[^>]*\bid="([^"]*)""#).unwrap_or_else(|e| panic!("{e}"));
    re.captures_iter(html).map(|c| c[1].to_string()).collect()
}

#[test]
fn heading_ids_match_kramdown() {
    let mut total = 0usize;
    let mut same = 0usize;
    let mut misses = Vec::new();
    for name in common::corpus_sites() {
        let (mut t, mut s) = (0usize, 0usize);
        for c in compare_site(&name) {
            let theirs = heading_ids(&c.theirs);
            let ours: BTreeSet<String> = heading_ids(&c.ours).into_iter().collect();
            for id in theirs {
                t += 1;
                if ours.contains(&id) {
                    s += 1;
                } else {
                    misses.push(format!("{name} {}: #{id}", c.url));
                }
            }
        }
        eprintln!("{name}: {s}/{t} heading ids as kramdown's");
        total += t;
        same += s;
    }
    for m in misses.iter().take(20) {
        eprintln!("  missing {m}");
    }
    let share = if total == 0 { 1.0 } else { same as f64 / total as f64 };
    eprintln!("all sites: {same}/{total} ({:.2}%)", share * 100.0);
    assert!(share >= 0.99, "{:.2}% of heading ids match", share * 100.0);
}

/// A minimal loader used until the reader is merged: documents from the
/// truth file (URLs as Jekyll gave them), front matter parsed from the
/// source, `_config.yml`, `_includes`, `_data` (YAML/JSON) and static files.
mod fallback {
    use super::*;
    use serde_json::{Map, Value};
    use yaml_rust2::{Yaml, YamlLoader};

    fn yaml_to_json(y: &Yaml) -> Value {
        match y {
            Yaml::Real(s) => s.parse::<f64>().map(Value::from).unwrap_or(Value::Null),
            Yaml::Integer(i) => Value::from(*i),
            Yaml::String(s) => Value::String(s.clone()),
            Yaml::Boolean(b) => Value::Bool(*b),
            Yaml::Array(a) => Value::Array(a.iter().map(yaml_to_json).collect()),
            Yaml::Hash(h) => Value::Object(
                h.iter()
                    .map(|(k, v)| {
                        let key = match k {
                            Yaml::String(s) => s.clone(),
                            Yaml::Integer(i) => i.to_string(),
                            Yaml::Boolean(b) => b.to_string(),
                            _ => String::new(),
                        };
                        (key, yaml_to_json(v))
                    })
                    .collect(),
            ),
            _ => Value::Null,
        }
    }

    fn yaml_map(text: &str) -> Map<String, Value> {
        match YamlLoader::load_from_str(text) {
            Ok(docs) => match docs.first().map(yaml_to_json) {
                Some(Value::Object(m)) => m,
                _ => Map::new(),
            },
            Err(_) => Map::new(),
        }
    }

    /// Splits `---` front matter; returns (front matter, body, body line).
    fn split(text: &str) -> (String, String, usize) {
        let text = text.trim_start_matches('\u{feff}').replace("\r\n", "\n");
        if let Some(rest) = text.strip_prefix("---\n").or_else(|| text.strip_prefix("---\r\n")) {
            let mut line = 2;
            let mut fm = String::new();
            let mut lines = rest.split_inclusive('\n');
            for l in lines.by_ref() {
                if l.trim_end() == "---" || l.trim_end() == "..." {
                    let body: String = lines.collect();
                    return (fm, body, line + 1);
                }
                fm.push_str(l);
                line += 1;
            }
        }
        (String::new(), text.to_string(), 1)
    }

    fn strings(v: Option<&Value>) -> Vec<String> {
        match v {
            Some(Value::String(s)) => s.split_whitespace().map(str::to_string).collect(),
            Some(Value::Array(a)) => a
                .iter()
                .filter_map(|x| match x {
                    Value::String(s) => Some(s.clone()),
                    Value::Number(n) => Some(n.to_string()),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        }
    }

    fn date(text: &str) -> Option<DateTime> {
        let instant: jiff::Timestamp = text.parse().ok()?;
        let tail = text.get(text.len().saturating_sub(6)..)?;
        let sign = if tail.starts_with('-') { -1 } else { 1 };
        let h: i32 = tail.get(1..3)?.parse().ok()?;
        let m: i32 = tail.get(4..6)?.parse().ok()?;
        let offset = jiff::tz::Offset::from_seconds(sign * (h * 3600 + m * 60)).ok()?;
        Some(DateTime { instant, offset })
    }

    pub fn load(name: &str, root: &Path) -> Site {
        let mut site = Site {
            root: root.to_path_buf(),
            ..Default::default()
        };
        let config = std::fs::read_to_string(root.join("_config.yml")).unwrap_or_default();
        let raw = yaml_map(&config);
        let text = |k: &str| raw.get(k).and_then(|v| v.as_str()).map(str::to_string);
        site.config.url = text("url").map(|u| u.trim_end_matches('/').to_string());
        site.config.baseurl = text("baseurl")
            .map(|b| b.trim_end_matches('/').to_string())
            .unwrap_or_default();
        site.config.title = text("title");
        site.config.markdown = text("markdown").unwrap_or_else(|| "kramdown".into());
        let mut labels = vec!["posts".to_string()];
        if let Some(Value::Object(c)) = raw.get("collections") {
            labels.extend(c.keys().cloned());
        }
        if let Some(Value::Array(c)) = raw.get("collections") {
            labels.extend(c.iter().filter_map(|v| v.as_str().map(str::to_string)));
        }
        let cdir = text("collections_dir").unwrap_or_default();
        for label in labels {
            let directory = if cdir.is_empty() {
                format!("_{label}")
            } else {
                format!("{cdir}/_{label}")
            };
            site.config.collections.push(CollectionInfo {
                label,
                output: true,
                permalink: None,
                directory,
            });
        }
        site.config.raw = raw;

        for row in common::truth(name, "truth.tsv") {
            if !RENDERED_KINDS.contains(&row.kind.as_str()) {
                continue;
            }
            let Ok(bytes) = std::fs::read(root.join(&row.source)) else {
                continue;
            };
            let (fm_text, body, body_line) = split(&String::from_utf8_lossy(&bytes));
            let fm = yaml_map(&fm_text);
            let kind = match row.kind.as_str() {
                "post" => DocKind::Post,
                "doc" => DocKind::Item,
                _ => DocKind::Page,
            };
            let mut doc = Document::new(kind, row.source.clone());
            doc.url = row.url.clone();
            doc.title = (!row.title.is_empty()).then(|| row.title.clone());
            doc.date = date(&row.date);
            let ext = row
                .source
                .rfind('.')
                .map(|p| row.source[p..].to_string())
                .unwrap_or_default();
            doc.format = match ext.as_str() {
                ".md" | ".markdown" | ".mkdn" | ".mkd" | ".mdown" | ".text" | ".mdwn" => {
                    Format::Markdown
                }
                ".html" | ".htm" => Format::Html,
                other => Format::Other(other.trim_start_matches('.').to_string()),
            };
            doc.ext = ext;
            doc.collection = match kind {
                DocKind::Post => Some("posts".into()),
                DocKind::Item => row
                    .source
                    .split('/')
                    .find(|c| c.starts_with('_'))
                    .map(|c| c.trim_start_matches('_').to_string()),
                _ => None,
            };
            doc.categories = strings(fm.get("categories").or(fm.get("category")));
            doc.tags = strings(fm.get("tags"));
            doc.body = body;
            doc.body_line = body_line;
            doc.front_matter = fm;
            site.documents.push(doc);
        }

        for entry in walkdir::WalkDir::new(root).into_iter().filter_map(|e| e.ok()) {
            if !entry.file_type().is_file() {
                continue;
            }
            let Ok(rel) = entry.path().strip_prefix(root) else {
                continue;
            };
            let rel = rel.to_string_lossy().replace('\\', "/");
            if let Some(inc) = rel.strip_prefix("_includes/") {
                site.includes.push(Include {
                    name: inc.to_string(),
                    text: std::fs::read_to_string(entry.path()).unwrap_or_default(),
                });
            } else if let Some(data) = rel.strip_prefix("_data/") {
                let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
                let (stem, ext) = data.rsplit_once('.').unwrap_or((data, ""));
                let value = match ext {
                    "yml" | "yaml" => match YamlLoader::load_from_str(&text) {
                        Ok(d) => d.first().map(yaml_to_json).unwrap_or(Value::Null),
                        Err(_) => continue,
                    },
                    "json" => serde_json::from_str(&text).unwrap_or(Value::Null),
                    _ => continue,
                };
                site.data.push(DataFile {
                    source: rel.clone(),
                    key: stem.split('/').map(str::to_string).collect(),
                    value,
                });
            } else if !rel.split('/').any(|c| c.starts_with('_') || c.starts_with('.')) {
                site.static_files.push(StaticFile {
                    source: rel.clone(),
                    url: format!("/{rel}"),
                    path: entry.path().to_path_buf(),
                    size: 0,
                });
            }
        }
        site
    }
}

/// Prints both renderings of one document: `JM_SHOW=site:/url/`.
#[test]
fn show_one_document() {
    let Ok(spec) = std::env::var("JM_SHOW") else {
        return;
    };
    let Some((name, url)) = spec.split_once(':') else {
        return;
    };
    for c in compare_site(name) {
        if c.url == url {
            println!("=== OURS\n{}\n=== JEKYLL\n{}", c.ours, c.theirs);
        }
    }
}

/// Prints the diagnostics of one site: `JM_DIAG=site`.
#[test]
fn show_diagnostics() {
    let Ok(name) = std::env::var("JM_DIAG") else {
        return;
    };
    let mut site = load_site(&name);
    jekyll_migrate::content::process(&mut site);
    for d in &site.diagnostics {
        println!("{d}");
    }
}
