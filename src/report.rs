//! The report of a run: a summary for the terminal and `MIGRATION.md` for
//! the output folder.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, Severity};
use crate::ir::{DocKind, Site};

/// Counts of diagnostics by severity and kind, sorted.
pub fn counts_by_kind<'d>(
    diags: impl IntoIterator<Item = &'d Diagnostic>,
) -> BTreeMap<(Severity, String), usize> {
    let mut m = BTreeMap::new();
    for d in diags {
        *m.entry((d.severity, d.kind.clone())).or_insert(0) += 1;
    }
    m
}

/// Number of documents of each kind.
pub fn documents_by_kind(site: &Site) -> BTreeMap<String, usize> {
    let mut m = BTreeMap::new();
    for d in &site.documents {
        let k = match (d.kind, &d.collection) {
            (DocKind::Item, Some(c)) => format!("item ({c})"),
            (k, _) => format!("{k:?}").to_lowercase(),
        };
        *m.entry(k).or_insert(0) += 1;
    }
    m
}

/// A short human summary of a site, as `inspect` prints it.
pub fn site_summary(site: &Site) -> String {
    let mut s = String::new();
    let title = site.config.title.as_deref().unwrap_or("(untitled)");
    let _ = writeln!(s, "site: {title}");
    if let Some(url) = &site.config.url {
        let _ = writeln!(s, "url: {url}{}", site.config.baseurl);
    }
    let _ = writeln!(s, "documents: {}", site.documents.len());
    for (k, n) in documents_by_kind(site) {
        let _ = writeln!(s, "  {k}: {n}");
    }
    let _ = writeln!(s, "static files: {}", site.static_files.len());
    let _ = writeln!(s, "data files: {}", site.data.len());
    let _ = writeln!(s, "diagnostics: {}", site.diagnostics.len());
    for ((sev, kind), n) in counts_by_kind(&site.diagnostics) {
        let _ = writeln!(s, "  {sev}[{kind}]: {n}");
    }
    s
}

/// `MIGRATION.md`: what was converted, copied and skipped, and every
/// diagnostic with its file and line: the reader's (`site.diagnostics`),
/// then the converter's (`converted`).
pub fn migration_markdown(
    site: &Site,
    format: &str,
    documents: usize,
    files_copied: usize,
    converted: &[Diagnostic],
) -> String {
    let diags: Vec<&Diagnostic> = site.diagnostics.iter().chain(converted).collect();
    let mut s = String::new();
    let _ = writeln!(s, "# Migration report ({format})\n");
    let _ = writeln!(
        s,
        "Converted by jekyll-migrate {} from a Jekyll site.\n",
        env!("CARGO_PKG_VERSION")
    );
    let _ = writeln!(s, "- documents read: {}", site.documents.len());
    for (k, n) in documents_by_kind(site) {
        let _ = writeln!(s, "  - {k}: {n}");
    }
    let _ = writeln!(s, "- documents written: {documents}");
    let _ = writeln!(s, "- files copied: {files_copied}");
    let _ = writeln!(s, "- diagnostics: {}\n", diags.len());
    if !diags.is_empty() {
        let _ = writeln!(s, "## Diagnostics by kind\n");
        for ((sev, kind), n) in counts_by_kind(diags.iter().copied()) {
            let _ = writeln!(s, "- {sev} `{kind}`: {n}");
        }
        let _ = writeln!(s, "\n## Every diagnostic\n");
        // Sites can have tens of thousands: their lines are written in
        // chunks on every core while the run has nothing else to do.
        let chunks: Vec<String> = diags.par_chunks(1024).map(diagnostic_lines).collect();
        for c in &chunks {
            s.push_str(c);
        }
    }
    s
}

/// `MIGRATION.md`'s list items for `diags`, one line each.
fn diagnostic_lines(diags: &[&Diagnostic]) -> String {
    let mut s = String::with_capacity(160 * diags.len());
    // One buffer for every line.
    let mut line = String::new();
    for d in diags {
        line.clear();
        let _ = write!(line, "{d}");
        s.push_str("- `");
        if line.contains('`') {
            s.push_str(&line.replace('`', "'"));
        } else {
            s.push_str(&line);
        }
        s.push_str("`\n");
    }
    s
}
