//! golden-liquid (the language-independent Liquid test suite, one case a
//! page, in `../shared/corpus/golden-liquid`) through the real pipeline:
//! the reader, then the content layer, each page's HTML compared with what
//! real Jekyll 4.3 (Liquid 5.4) wrote for it in `golden-liquid.site/`, as
//! `../shared/tools/content_check.py` compares them ("canonical HTML same":
//! tags with sorted attributes, decoded text, white space collapsed).
//!
//! The test prints the figure and the differing cases, and fails below
//! [`MIN_SAME`]: the figure reached, to be raised as the rest of issue #30
//! (our own engine for every document) lands.

mod common;

use std::collections::BTreeMap;

/// The share of cases rendered exactly as Jekyll renders them, in percent,
/// below which the test fails.
///
/// Why the rest differ: documents are rendered by the `liquid` crate
/// (0.26), whose Liquid is not Ruby's (lax parsing, filters on nil and
/// strings, `split`, `blank`/`empty`, whitespace in lookups, ranges…), and
/// only the documents it refuses go to our own engine (`src/content/rescue.rs`),
/// which renders all 817 cases as Jekyll does on its own (see
/// `crates/jekyll-liquid/tests/golden_liquid.rs`).
const MIN_SAME: f64 = 83.8;

/// How many differing cases are printed.
const SHOW: usize = 40;

#[test]
fn golden_liquid_renders_as_jekyll() {
    let name = "golden-liquid";
    let root = common::corpus_dir().join(name);
    let mut site =
        jekyll_migrate::jekyll::read_site(&root, &jekyll_migrate::jekyll::ReadOptions::default())
            .unwrap_or_else(|e| panic!("{name}: the reader failed: {e}"));
    jekyll_migrate::content::process(&mut site);
    let cases = case_names();
    let mut total = 0usize;
    let mut differing = Vec::new();
    for doc in &site.documents {
        let Some(theirs) = common::jekyll_html(name, &doc.url) else {
            continue;
        };
        total += 1;
        let ours = doc.html.as_deref().unwrap_or_default();
        if canon(ours) != canon(&theirs) {
            let case = cases.get(&doc.source).map_or("", String::as_str);
            differing.push(format!(
                "{} ({case})\n    jekyll: {:.200}\n    ours:   {:.200}",
                doc.source,
                canon(&theirs),
                canon(ours)
            ));
        }
    }
    assert!(total > 800, "only {total} cases compared");
    let same = 100.0 * (total - differing.len()) as f64 / total as f64;
    println!(
        "golden-liquid: {} of {total} cases as Jekyll renders them ({same:.1}%)",
        total - differing.len()
    );
    for d in differing.iter().take(SHOW) {
        println!("  {d}");
    }
    assert!(
        same >= MIN_SAME,
        "golden-liquid: {same:.1}% of cases as Jekyll renders them, below {MIN_SAME}%"
    );
}

/// golden-liquid's test name of each page (`t/0000.html` → its name).
fn case_names() -> BTreeMap<String, String> {
    let path = common::corpus_dir().join("golden-liquid.tests.tsv");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    text.lines()
        .skip(1)
        .filter_map(|l| l.split_once('\t'))
        .map(|(page, case)| (page.to_string(), case.to_string()))
        .collect()
}

/// Canonical HTML as `content_check.py` makes it: each tag with its
/// attributes sorted, comments left out, character references decoded, no
/// white space around tags, runs of white space as one space.
fn canon(html: &str) -> String {
    let tag = regex::Regex::new(r"(?s)<!--.*?-->|<(/?)([A-Za-z][^\s/>]*)([^>]*)>")
        .unwrap_or_else(|e| panic!("{e}"));
    let attr = regex::Regex::new(r#"([^\s=/"']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?"#)
        .unwrap_or_else(|e| panic!("{e}"));
    let mut out = String::new();
    let mut last = 0;
    for m in tag.captures_iter(html) {
        let whole = m.get(0).map_or(0..0, |g| g.range());
        out.push_str(&html_escape::decode_html_entities(&html[last..whole.start]));
        last = whole.end;
        let Some(name) = m.get(2) else {
            continue; // a comment
        };
        let name = name.as_str().to_ascii_lowercase();
        if m.get(1).is_some_and(|s| !s.as_str().is_empty()) {
            out.push_str(&format!("</{name}>"));
            continue;
        }
        let rest = m.get(3).map_or("", |r| r.as_str());
        let mut attrs: Vec<String> = attr
            .captures_iter(rest)
            .map(|a| {
                let key = a.get(1).map_or("", |k| k.as_str()).to_ascii_lowercase();
                let value = a
                    .get(2)
                    .or(a.get(3))
                    .or(a.get(4))
                    .map(|v| html_escape::decode_html_entities(v.as_str()).into_owned());
                format!("{key}=\"{}\"", value.unwrap_or_default())
            })
            .collect();
        attrs.sort();
        if attrs.is_empty() {
            out.push_str(&format!("<{name}>"));
        } else {
            out.push_str(&format!("<{name} {}>", attrs.join(" ")));
        }
        // Python's parser reports `<br/>` as a start and an end tag.
        if rest.trim_end().ends_with('/') {
            out.push_str(&format!("</{name}>"));
        }
    }
    out.push_str(&html_escape::decode_html_entities(&html[last..]));
    let around = regex::Regex::new(r"\s*(<[^>]+>)\s*").unwrap_or_else(|e| panic!("{e}"));
    let tight = around.replace_all(&out, "$1");
    tight.split_whitespace().collect::<Vec<_>>().join(" ")
}
