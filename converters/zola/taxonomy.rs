//! Taxonomies: Jekyll's tags and categories as Zola's `tags` and
//! `categories`, declared in `config.toml` and claimed like any output.

use rayon::prelude::*;
use std::collections::BTreeMap;

use crate::diagnostics::Diagnostic;
use crate::ir::{Document, Site};

use super::config::Taxonomy;
use super::paths::{Claimant, Claims};
use super::plan::Placement;

/// Taxonomy names and the document fields they come from.
pub const TAXONOMIES: [&str; 2] = ["tags", "categories"];

/// Terms of a taxonomy for a document: trimmed, non-empty, first spelling.
pub fn terms(d: &Document, name: &str) -> Vec<String> {
    let src = if name == "tags" {
        &d.tags
    } else {
        &d.categories
    };
    let mut out: Vec<String> = Vec::new();
    for t in src {
        let t = t.trim();
        if !t.is_empty() && !out.iter().any(|o| o == t) {
            out.push(t.to_string());
        }
    }
    out
}

/// An approximation of Zola's term slug, to warn about terms that merge.
pub fn term_slug(t: &str) -> String {
    let mut s = String::new();
    for c in t.to_lowercase().chars() {
        if c.is_alphanumeric() {
            s.push(c);
        } else if !s.ends_with('-') {
            s.push('-');
        }
    }
    s.trim_matches('-').to_string()
}

/// The taxonomies used by written pages. With `feeds`, each rendered
/// taxonomy gets a feed per term too (`/tags/<term>/feed.xml`).
pub fn taxonomies_of(
    site: &Site,
    placements: &[Placement],
    feeds: bool,
    claims: &mut Claims,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Taxonomy> {
    let mut out = Vec::new();
    for name in TAXONOMIES {
        let mut by_slug: BTreeMap<String, String> = BTreeMap::new();
        // Each page's terms and their slugs in parallel; only the merge,
        // where the first spelling of a slug wins, goes in page order.
        let named: Vec<Vec<(String, String)>> = site
            .documents
            .par_iter()
            .zip(placements.par_iter())
            .map(|(d, p)| match p {
                Placement::Page { .. } => terms(d, name)
                    .into_iter()
                    .map(|t| (term_slug(&t), t))
                    .collect(),
                _ => Vec::new(),
            })
            .collect();
        for (d, list) in site.documents.iter().zip(named) {
            for (slug, t) in list {
                match by_slug.get(&slug) {
                    Some(first) if *first != t => diags.push(Diagnostic::info(
                        "zola-term-merge",
                        &d.source,
                        format!("{name} term {t:?} shares Zola's URL slug with {first:?}; Zola lists both under {first:?}"),
                    )),
                    Some(_) => {}
                    None => {
                        by_slug.insert(slug, t);
                    }
                }
            }
        }
        if by_slug.is_empty() {
            continue;
        }
        // Jekyll pages that own /tags/… (archive pages) keep their URLs; Zola
        // then writes no term pages for that taxonomy.
        let render = !claims.has_under(name);
        if render {
            let who = Claimant {
                source: "zola".into(),
                what: "taxonomy page",
            };
            let _ = claims.claim(&format!("{name}/index.html"), who.clone());
            for slug in by_slug.keys().filter(|s| !s.is_empty()) {
                let _ = claims.claim(&format!("{name}/{slug}/index.html"), who.clone());
            }
        } else {
            diags.push(Diagnostic::warning(
                "zola-taxonomy-unrendered",
                "_config.yml",
                format!("Jekyll pages already use URLs under /{name}/, so Zola's {name} pages are turned off (render = false); the terms stay in each page's front matter"),
            ));
        }
        out.push(Taxonomy {
            name: name.to_string(),
            feed: feeds && render,
            render,
        });
    }
    out
}
