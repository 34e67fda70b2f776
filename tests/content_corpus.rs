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

use jekyll_migrate::ir::Site;

/// Kinds of documents in the truth files that Jekyll renders from a body.
const RENDERED_KINDS: &[&str] = &["post", "doc", "page"];

/// Reads a corpus site with the reader.
fn load_site(name: &str) -> Site {
    let root = common::corpus_dir().join(name);
    jekyll_migrate::jekyll::read_site(&root, &jekyll_migrate::jekyll::ReadOptions::default())
        .unwrap_or_else(|e| panic!("{name}: the reader failed: {e}"))
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
                let s = common::similarity(&common::visible(&c.ours), &common::visible(&c.theirs));
                (s, format!("{} ({})", c.url, c.source))
            })
            .collect();
        let share = common::report_scores(&name, &mut scores, 0.95, 10);
        if share < 0.95 {
            failures.push(format!(
                "{name}: {:.1}% of documents at >= 0.95",
                share * 100.0
            ));
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
    let re =
        regex::Regex::new(r#"(?i)<h[1-6]\b[^>]*\bid="([^"]*)""#).unwrap_or_else(|e| panic!("{e}"));
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
    let share = if total == 0 {
        1.0
    } else {
        same as f64 / total as f64
    };
    eprintln!("all sites: {same}/{total} ({:.2}%)", share * 100.0);
    assert!(share >= 0.99, "{:.2}% of heading ids match", share * 100.0);
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

/// Identical input gives identical output (EPUB must be byte-identical).
#[test]
fn rendering_is_deterministic() {
    for name in ["mm-docs", "jekyll-testsrc"] {
        let mut a = load_site(name);
        let mut b = load_site(name);
        jekyll_migrate::content::process(&mut a);
        jekyll_migrate::content::process(&mut b);
        for (x, y) in a.documents.iter().zip(&b.documents) {
            assert_eq!(
                x.html, y.html,
                "{name} {}: HTML differs between runs",
                x.source
            );
            assert_eq!(
                x.content, y.content,
                "{name} {}: nodes differ between runs",
                x.source
            );
        }
        assert_eq!(a.diagnostics, b.diagnostics, "{name}: diagnostics differ");
    }
}
