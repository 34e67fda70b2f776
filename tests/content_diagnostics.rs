//! Every construct the content layer cannot resolve is a diagnostic with
//! the file and line it stands on.

use std::path::Path;

use jekyll_migrate::content::Node;
use jekyll_migrate::diagnostics::Severity;
use jekyll_migrate::jekyll::{read_site, ReadOptions};

const POST: &str = "_posts/2020-01-02-broken.md";

fn site() -> jekyll_migrate::ir::Site {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/content-diagnostics");
    let mut site = read_site(&root, &ReadOptions::default())
        .unwrap_or_else(|e| panic!("reading the fixture failed: {e}"));
    jekyll_migrate::content::process(&mut site);
    site
}

#[test]
fn unresolved_constructs_are_reported_with_file_and_line() {
    let site = site();
    let found: Vec<(Severity, String, String, Option<usize>)> = site
        .diagnostics
        .iter()
        .filter(|d| d.file == POST)
        .map(|d| (d.severity, d.kind.clone(), d.file.clone(), d.line))
        .collect();
    for d in &site.diagnostics {
        eprintln!("{d}");
    }
    // Lines counted in the fixture file by hand (front matter is lines 1-3).
    let expected = [
        (Severity::Warning, "unknown-tag", 7),
        (Severity::Error, "missing-include", 11),
        (Severity::Error, "highlight-syntax", 16),
        (Severity::Error, "dangling-link", 20),
        (Severity::Info, "undefined-variable", 22),
    ];
    for (sev, kind, line) in expected {
        assert!(
            found
                .iter()
                .any(|(s, k, f, l)| *s == sev && k == kind && f == POST && *l == Some(line)),
            "no {sev} {kind} at {POST}:{line}; found {found:#?}"
        );
    }
    assert_eq!(
        found.len(),
        expected.len(),
        "unexpected extra diagnostics: {found:#?}"
    );
}

#[test]
fn unresolved_tags_stay_as_literal_text_and_the_rest_resolves() {
    let site = site();
    let doc = site
        .documents
        .iter()
        .find(|d| d.source == POST)
        .unwrap_or_else(|| panic!("{POST} was not read"));
    let literals: Vec<&str> = doc
        .content
        .iter()
        .filter_map(|n| match n {
            Node::Literal { text } => Some(text.as_str()),
            _ => None,
        })
        .collect();
    assert!(
        literals.contains(&"{% youtube_lite abc123 %}"),
        "{literals:?}"
    );
    assert!(
        literals.contains(&"{% include missing.html x=\"1\" %}"),
        "{literals:?}"
    );
    assert!(
        literals.contains(&"{% post_url 2001-01-01-nothing %}"),
        "{literals:?}"
    );
    assert!(
        doc.content.iter().any(|n| matches!(n,
        Node::Html { html, line: 12 } if html.trim() == "<aside class=\"note\">kept</aside>")),
        "{:#?}",
        doc.content
    );
    assert!(
        doc.content.iter().any(|n| matches!(n,
        Node::Code { lang: None, code, line: 16, .. } if code == "puts 1")),
        "{:#?}",
        doc.content
    );
    let html = doc.html.as_deref().unwrap_or_default();
    assert!(!html.contains("{%"), "{html}");
    assert!(
        html.contains("<aside class=\"note\">kept</aside>"),
        "{html}"
    );
}
