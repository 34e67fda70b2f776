//! Which posts a book or a feed holds (`--tag`, `--category`, `--since`,
//! `--until`), and what stands in for posts on a site that has none: its
//! collections' documents (a documentation site keeps its articles there).

use jiff::civil::Date;
use jiff::tz::TimeZone;

use crate::ir::{DocKind, Document, Site};

/// The posts chosen by the command line; empty chooses every post.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    /// Posts with any of these tags (case-insensitive); any post when empty.
    pub tags: Vec<String>,
    /// Posts in any of these categories (case-insensitive); any post when
    /// empty.
    pub categories: Vec<String>,
    /// Posts dated on or after this day, in the site's time zone.
    pub since: Option<Date>,
    /// Posts dated on or before this day, in the site's time zone.
    pub until: Option<Date>,
}

impl Selection {
    /// Whether every post is chosen.
    pub fn is_everything(&self) -> bool {
        *self == Selection::default()
    }

    /// A matcher for the documents of `site` (its time zone read once).
    pub fn matcher<'s>(&'s self, site: &Site) -> Matcher<'s> {
        Matcher {
            selection: self,
            zone: site
                .config
                .timezone
                .as_deref()
                .and_then(|name| TimeZone::get(name).ok()),
        }
    }

    /// The selection as the flags that made it, for messages
    /// (`--tag rust --since 2020-01-01`).
    pub fn describe(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        parts.extend(self.tags.iter().map(|t| format!("--tag {t}")));
        parts.extend(self.categories.iter().map(|c| format!("--category {c}")));
        parts.extend(self.since.map(|d| format!("--since {d}")));
        parts.extend(self.until.map(|d| format!("--until {d}")));
        parts.join(" ")
    }
}

/// A [`Selection`] ready to test the documents of one site.
pub struct Matcher<'s> {
    selection: &'s Selection,
    /// The site's `timezone`; without one, a post's day is the one its
    /// own date shows.
    zone: Option<TimeZone>,
}

impl Matcher<'_> {
    /// Whether `d` is chosen: any of the tags, any of the categories, and
    /// the dates; an undated document is outside any date range.
    pub fn matches(&self, d: &Document) -> bool {
        let s = self.selection;
        let any_of = |wanted: &[String], has: &[String]| {
            wanted.is_empty()
                || wanted.iter().any(|w| {
                    has.iter()
                        .any(|h| h.trim().to_lowercase() == w.to_lowercase())
                })
        };
        if !any_of(&s.tags, &d.tags) || !any_of(&s.categories, &d.categories) {
            return false;
        }
        if s.since.is_none() && s.until.is_none() {
            return true;
        }
        let Some(date) = d.date else {
            return false;
        };
        let day = match &self.zone {
            Some(tz) => tz.to_datetime(date.instant).date(),
            None => date.civil().date(),
        };
        s.since.is_none_or(|from| day >= from) && s.until.is_none_or(|to| day <= to)
    }
}

/// A collection's document a book or a feed can hold in place of posts:
/// written by hand, published (or `drafts`), not a generated file.
pub fn is_readable_item(d: &Document, drafts: bool) -> bool {
    d.kind == DocKind::Item && is_readable_page(d, drafts)
}

/// Whether a page or a collection's document is worth reading: written by
/// hand (Markdown or HTML), not a generated file (feeds, sitemaps, 404).
pub fn is_readable_page(d: &Document, drafts: bool) -> bool {
    use crate::ir::Format;
    matches!(d.kind, DocKind::Page | DocKind::Item)
        && d.output
        && (d.published || drafts)
        && matches!(d.format, Format::Markdown | Format::Html)
        && !d.url.ends_with(".xml")
        && !d.url.ends_with(".json")
        && !d.url.ends_with(".txt")
        && !d.url.starts_with("/404")
}

/// Whether a post (or draft) is in a book or a feed before any selection.
pub fn is_published_post(d: &Document, drafts: bool) -> bool {
    match d.kind {
        DocKind::Post => d.output && (d.published || drafts),
        DocKind::Draft => drafts,
        _ => false,
    }
}

/// What a book or a feed is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The site's posts.
    Posts,
    /// Its collections' documents: it has no post but has those.
    Documents,
}

/// The documents a book or a feed holds, before ordering: the chosen
/// posts, or on a site without any post, its chosen collection documents.
pub fn chosen<'s>(site: &'s Site, opts: &super::ConvertOptions) -> (Source, Vec<&'s Document>) {
    let m = opts.selection.matcher(site);
    let has_posts = site
        .documents
        .iter()
        .any(|d| is_published_post(d, opts.drafts));
    let has_items = site
        .documents
        .iter()
        .any(|d| is_readable_item(d, opts.drafts));
    let (source, keep): (Source, fn(&Document, bool) -> bool) = if !has_posts && has_items {
        (Source::Documents, is_readable_item)
    } else {
        (Source::Posts, is_published_post)
    };
    let docs = site
        .documents
        .iter()
        .filter(|d| keep(d, opts.drafts) && m.matches(d))
        .collect();
    (source, docs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::DateTime;

    fn post(date: &str, tags: &[&str]) -> Document {
        let mut d = Document::new(DocKind::Post, "_posts/x.md");
        let ts: jiff::Timestamp = date.parse().expect("a timestamp");
        d.date = Some(DateTime {
            instant: ts,
            offset: jiff::tz::Offset::UTC,
        });
        d.tags = tags.iter().map(|t| t.to_string()).collect();
        d
    }

    #[test]
    fn dates_are_inclusive_days_in_the_sites_zone() {
        let sel = Selection {
            since: Some(jiff::civil::date(2020, 1, 2)),
            until: Some(jiff::civil::date(2020, 1, 2)),
            ..Selection::default()
        };
        let mut site = Site::default();
        // 23:30 UTC on the 1st is the 2nd in Tokyo.
        let late = post("2020-01-01T23:30:00Z", &[]);
        assert!(!sel.matcher(&site).matches(&late));
        site.config.timezone = Some("Asia/Tokyo".into());
        assert!(sel.matcher(&site).matches(&late));
        assert!(sel
            .matcher(&site)
            .matches(&post("2020-01-02T14:59:59Z", &[])));
        assert!(!sel
            .matcher(&site)
            .matches(&post("2020-01-02T15:00:00Z", &[])));
    }

    #[test]
    fn any_tag_in_any_case() {
        let sel = Selection {
            tags: vec!["Rust".into(), "go".into()],
            ..Selection::default()
        };
        let site = Site::default();
        let m = sel.matcher(&site);
        assert!(m.matches(&post("2020-01-01T00:00:00Z", &["rust"])));
        assert!(m.matches(&post("2020-01-01T00:00:00Z", &["x", "Go"])));
        assert!(!m.matches(&post("2020-01-01T00:00:00Z", &["python"])));
        assert_eq!(sel.describe(), "--tag Rust --tag go");
    }
}
