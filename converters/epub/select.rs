//! What goes in the book and in what order: the published posts the
//! selection chooses (drafts with `--drafts`; `--tag`, `--category`,
//! `--since`, `--until`), oldest first unless `--order newest`, grouped by
//! year, category or not at all (the spine follows the grouping, so the
//! table of contents is in reading order), then pages and collections'
//! documents with `--include-pages`. A site without posts is a book of its
//! collections' documents.

use crate::converters::selection::{self, Source};
use crate::converters::{ConvertOptions, TocGroup};
use crate::ir::{DocKind, Document, Site};

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

/// The chapters of the book, in reading order, and what they were made
/// of (posts, or a documentation site's collection documents).
pub fn chapters<'a>(site: &'a Site, opts: &ConvertOptions) -> (Source, Vec<Chapter<'a>>) {
    let (source, mut docs) = selection::chosen(site, opts);
    let mut out: Vec<Chapter<'a>> = match source {
        Source::Posts => post_chapters(docs, opts),
        Source::Documents => {
            // Documents are seldom dated: their URLs give the site's order.
            docs.sort_by(|a, b| a.url.cmp(&b.url).then_with(|| a.source.cmp(&b.source)));
            let group = (opts.group == TocGroup::Category).then_some(TocGroup::Category);
            numbered(docs, "doc", |d| group.and_then(|g| group_of(d, g)))
        }
    };
    if opts.include_pages {
        let mut pages: Vec<&Document> = site
            .documents
            .iter()
            .filter(|d| selection::is_readable_page(d, opts.drafts))
            // Documents already in the book as its chapters.
            .filter(|d| !(source == Source::Documents && d.kind == DocKind::Item))
            .collect();
        pages.sort_by(|a, b| a.url.cmp(&b.url).then_with(|| a.source.cmp(&b.source)));
        let label = (opts.group != TocGroup::None).then(|| "Pages".to_string());
        out.extend(numbered(pages, "page", |_| label.clone()));
    }
    (source, out)
}

/// Posts oldest first (newest with `--order newest`), in their groups.
fn post_chapters<'a>(mut posts: Vec<&'a Document>, opts: &ConvertOptions) -> Vec<Chapter<'a>> {
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
    grouped
        .into_iter()
        .enumerate()
        .map(|(i, (group, doc))| Chapter {
            doc,
            group,
            file: format!("post-{:04}.xhtml", i + 1),
            id: format!("post-{:04}", i + 1),
        })
        .collect()
}

/// Chapters `{prefix}-0001.xhtml`, … of `docs` in their order.
fn numbered<'a>(
    docs: Vec<&'a Document>,
    prefix: &str,
    group: impl Fn(&Document) -> Option<String>,
) -> Vec<Chapter<'a>> {
    docs.into_iter()
        .enumerate()
        .map(|(i, doc)| Chapter {
            doc,
            group: group(doc),
            file: format!("{prefix}-{:04}.xhtml", i + 1),
            id: format!("{prefix}-{:04}", i + 1),
        })
        .collect()
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
