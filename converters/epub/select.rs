//! What goes in the book and in what order: published posts (drafts with
//! `--drafts`), oldest first unless `--order newest`, grouped by year,
//! category or not at all (the spine follows the grouping, so the table of
//! contents is in reading order), then pages and collections' documents
//! with `--include-pages`.

use crate::converters::{ConvertOptions, TocGroup};
use crate::ir::{DocKind, Document, Format, Site};

/// One chapter to be.
#[derive(Debug, Clone)]
pub struct Chapter<'a> {
    /// The document.
    pub doc: &'a Document,
    /// Its group heading in the table of contents.
    pub group: Option<String>,
    /// File name inside the content folder (`post-0001.xhtml`).
    pub file: String,
    /// Manifest id.
    pub id: String,
}

/// Whether a post belongs in the book.
fn is_book_post(d: &Document, drafts: bool) -> bool {
    match d.kind {
        DocKind::Post => d.output && (d.published || drafts),
        DocKind::Draft => drafts,
        _ => false,
    }
}

/// Whether a page or a collection's document is worth a chapter: written
/// by hand (Markdown or HTML), not a generated file (feeds, sitemaps, 404).
pub fn is_book_page(d: &Document, drafts: bool) -> bool {
    matches!(d.kind, DocKind::Page | DocKind::Item)
        && d.output
        && (d.published || drafts)
        && matches!(d.format, Format::Markdown | Format::Html)
        && !d.url.ends_with(".xml")
        && !d.url.ends_with(".json")
        && !d.url.ends_with(".txt")
        && !d.url.starts_with("/404")
}

/// The chapters of the book, in reading order.
pub fn chapters<'a>(site: &'a Site, opts: &ConvertOptions) -> Vec<Chapter<'a>> {
    let mut posts: Vec<&Document> = site
        .documents
        .iter()
        .filter(|d| is_book_post(d, opts.drafts))
        .collect();
    // Oldest first; the source path breaks ties so the order is stable.
    posts.sort_by(|a, b| a.date.cmp(&b.date).then_with(|| a.source.cmp(&b.source)));
    if opts.newest_first {
        posts.reverse();
    }
    let mut grouped: Vec<(Option<String>, &Document)> = posts
        .into_iter()
        .map(|d| (group_of(d, opts.group), d))
        .collect();
    if opts.group == TocGroup::Category {
        // Categories in alphabetical order, the uncategorised last; posts
        // keep their order inside each (a stable sort).
        grouped.sort_by_key(|(g, _)| match g {
            Some(g) if g != UNCATEGORIZED => (0, g.to_lowercase()),
            _ => (1, String::new()),
        });
    }
    let mut out: Vec<Chapter<'a>> = grouped
        .into_iter()
        .enumerate()
        .map(|(i, (group, doc))| Chapter {
            doc,
            group,
            file: format!("post-{:04}.xhtml", i + 1),
            id: format!("post-{:04}", i + 1),
        })
        .collect();
    if opts.include_pages {
        let mut pages: Vec<&Document> = site
            .documents
            .iter()
            .filter(|d| is_book_page(d, opts.drafts))
            .collect();
        pages.sort_by(|a, b| a.url.cmp(&b.url).then_with(|| a.source.cmp(&b.source)));
        let label = (opts.group != TocGroup::None).then(|| "Pages".to_string());
        out.extend(pages.into_iter().enumerate().map(|(i, doc)| Chapter {
            doc,
            group: label.clone(),
            file: format!("page-{:04}.xhtml", i + 1),
            id: format!("page-{:04}", i + 1),
        }));
    }
    out
}

const UNCATEGORIZED: &str = "Uncategorized";

fn group_of(d: &Document, group: TocGroup) -> Option<String> {
    match group {
        TocGroup::None => None,
        TocGroup::Year => Some(
            d.date
                .map(|t| t.civil().year().to_string())
                .unwrap_or_else(|| "Undated".to_string()),
        ),
        TocGroup::Category => Some(
            d.categories
                .first()
                .map(|c| c.trim().to_string())
                .filter(|c| !c.is_empty())
                .unwrap_or_else(|| UNCATEGORIZED.to_string()),
        ),
    }
}
