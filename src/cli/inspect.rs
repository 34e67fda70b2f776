//! `inspect`: what the reader found, as a table of documents with their
//! URLs, or the whole IR as JSON.

use std::fmt::Write as _;

use super::args::{InspectArgs, MessageFormat};
use super::{exit_code, read_options, set_threads, show};
use crate::diagnostics::Severity;
use crate::ir::{DocKind, Document, Site};
use crate::{jekyll, report};

/// Runs `inspect`; the exit code.
pub fn run(args: InspectArgs) -> i32 {
    set_threads(args.site.threads);
    if let Err(e) = jekyll::site_check::check(&args.site.site, !args.site.config.is_empty()) {
        eprintln!("jekyll-migrate: {e}");
        return 2;
    }
    super::show_paths_for(&args.site.site);
    let mut site = match jekyll::read_site(&args.site.site, &read_options(&args.site)) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("jekyll-migrate: {e}");
            return 2;
        }
    };
    if args.html {
        crate::content::process(&mut site);
    }
    if args.json {
        match serde_json::to_string_pretty(&site) {
            Ok(s) => println!("{s}"),
            Err(e) => {
                eprintln!("jekyll-migrate: could not print the IR as JSON: {e}");
                return 2;
            }
        }
        return exit_code(&site.diagnostics);
    }
    if args.site.message_format == MessageFormat::Human {
        print!("{}", report::site_summary(&site));
        print!("{}", document_table(&site, args.kind.as_deref()));
    }
    // Every diagnostic, notes included: inspecting is asking for them.
    show::diagnostics(&site.diagnostics, Severity::Info, args.site.message_format);
    exit_code(&site.diagnostics)
}

/// The kind of a document as the table and `--kind` name it.
fn kind_name(d: &Document) -> &str {
    match (d.kind, &d.collection) {
        (DocKind::Post, _) => "post",
        (DocKind::Draft, _) => "draft",
        (DocKind::Page, _) => "page",
        (DocKind::Item, Some(c)) => c,
        (DocKind::Item, None) => "item",
    }
}

/// Whether `d` is of the kind `--kind` asks for (`item` takes every
/// collection's documents, a collection's name only its own).
fn is_of_kind(d: &Document, kind: &str) -> bool {
    kind_name(d).eq_ignore_ascii_case(kind) || (kind == "item" && d.kind == DocKind::Item)
}

/// What the table says of a document besides its kind: whether Jekyll
/// writes it.
fn status(d: &Document) -> &'static str {
    if !d.published {
        "unpublished"
    } else if !d.output {
        "not written"
    } else {
        ""
    }
}

/// The documents as a table (kind, date, URL, title), sorted by kind then
/// date then URL, and a line about drafts.
pub fn document_table(site: &Site, kind: Option<&str>) -> String {
    let mut docs: Vec<&Document> = site
        .documents
        .iter()
        .filter(|d| kind.is_none_or(|k| is_of_kind(d, k)))
        .collect();
    docs.sort_by(|a, b| (kind_name(a), &a.date, &a.url).cmp(&(kind_name(b), &b.date, &b.url)));
    let rows: Vec<[String; 5]> = docs
        .iter()
        .map(|d| {
            [
                kind_name(d).to_string(),
                d.date
                    .as_ref()
                    .map(|t| t.rfc3339().chars().take(10).collect())
                    .unwrap_or_else(|| "-".into()),
                d.url.clone(),
                d.title.clone().unwrap_or_default(),
                status(d).to_string(),
            ]
        })
        .collect();
    let mut s = String::new();
    let head = ["KIND", "DATE", "URL", "TITLE", ""];
    let width = |i: usize| {
        rows.iter()
            .map(|r| r[i].chars().count())
            .chain([head[i].len()])
            .max()
            .unwrap_or(0)
    };
    let (w0, w1, w2) = (width(0), width(1), width(2));
    let _ = writeln!(s, "\n{}", show::count(rows.len(), "document", "documents"));
    if !rows.is_empty() {
        let _ = writeln!(s, "{:<w0$}  {:<w1$}  {:<w2$}  TITLE", "KIND", "DATE", "URL");
        for r in &rows {
            let status = if r[4].is_empty() {
                String::new()
            } else {
                format!("  ({})", r[4])
            };
            let line = format!(
                "{:<w0$}  {:<w1$}  {:<w2$}  {}{status}",
                r[0], r[1], r[2], r[3]
            );
            let _ = writeln!(s, "{}", line.trim_end());
        }
    }
    let n = site.drafts_not_read;
    if n > 0 {
        let _ = writeln!(
            s,
            "\n{} in _drafts, not read; --drafts lists them",
            show::count(n, "draft", "drafts")
        );
    }
    s
}
