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

/// A language for a site that names none, from the scripts its posts are
/// written in: `zh`, `ja`, `ko`, `ru`, `ar`, `he`, or `en`.
pub fn guess_language(texts: &[String]) -> &'static str {
    let (mut han, mut kana, mut hangul, mut cyr, mut arabic, mut hebrew, mut latin) =
        (0usize, 0usize, 0usize, 0usize, 0usize, 0usize, 0usize);
    for t in texts {
        for c in t.chars() {
            match c as u32 {
                0x4E00..=0x9FFF | 0x3400..=0x4DBF => han += 1,
                0x3040..=0x30FF => kana += 1,
                0xAC00..=0xD7AF => hangul += 1,
                0x0400..=0x04FF => cyr += 1,
                0x0600..=0x06FF => arabic += 1,
                0x0590..=0x05FF => hebrew += 1,
                _ if c.is_ascii_alphabetic() => latin += 1,
                _ => {}
            }
        }
    }
    // One CJK character carries about as much as a Latin word.
    let cjk = han + kana + hangul;
    if cjk * 4 > latin {
        if kana * 10 > cjk {
            return "ja";
        }
        if hangul > han {
            return "ko";
        }
        return "zh";
    }
    let best = [(cyr, "ru"), (arabic, "ar"), (hebrew, "he")]
        .into_iter()
        .max_by_key(|(n, _)| *n)
        .filter(|(n, _)| *n > latin);
    best.map(|(_, l)| l).unwrap_or("en")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guesses_scripts() {
        assert_eq!(
            guess_language(&["这是一个中文博客，讲前端 JavaScript".into()]),
            "zh"
        );
        assert_eq!(guess_language(&["これは日本語のブログです".into()]), "ja");
        assert_eq!(guess_language(&["Just an English blog.".into()]), "en");
        assert_eq!(guess_language(&[]), "en");
    }
}
