//! JSON Feed 1.1: the whole archive of posts as one feed (or pages of it).
//!
//! - OUT ending in `.json` is the feed file; any other OUT is a folder that
//!   receives `feed.json` and, with `--page-size`, `feed-2.json`, … linked by
//!   `next_url`.
//! - Items are published posts, newest first (drafts and unpublished posts
//!   only with `--drafts`); `id` and `url` are the absolute Jekyll URL, so
//!   subscribers of a moved site see no duplicates.
//! - Every URL is absolute, including those inside `content_html`.
//! - Written with serde from typed structs: stable key order, valid JSON.

mod escape;
mod model;

use rayon::prelude::*;
use std::path::Path;

use serde_json::Value;

use crate::converters::selection::{self, Source};
use crate::converters::{ConvertError, ConvertOptions, Converter, Summary, Target};
use crate::diagnostics::Diagnostic;
use crate::ir::{Document, Site};
use crate::output::OutputTree;
use crate::{authors, lang, text, urls};

pub use model::{Author, Feed, Item, JekyllExtension, VERSION};

/// The JSON Feed converter.
pub struct JsonFeed;

/// Where the `_jekyll` extension is described.
const EXTENSION_ABOUT: &str = "https://github.com/jekyll-migrate/jekyll-migrate#json-feed";

impl Converter for JsonFeed {
    fn name(&self) -> &'static str {
        "jsonfeed"
    }

    fn description(&self) -> &'static str {
        "a JSON Feed 1.1 of every post"
    }

    fn aliases(&self) -> &'static [&'static str] {
        &["json", "json-feed", "feed"]
    }

    fn target(&self, out: &Path) -> Target {
        let is_json = out
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"));
        if is_json {
            Target::File
        } else {
            Target::Files
        }
    }

    /// A feed in a folder is `feed.json`, the name feed readers look for.
    fn name_in_folder(&self, _site_name: &str) -> String {
        self.default_out_name().to_string()
    }

    fn default_out_name(&self) -> &'static str {
        "feed.json"
    }

    fn convert(
        &self,
        site: &Site,
        opts: &ConvertOptions,
        out: &mut OutputTree,
        file_name: Option<&str>,
    ) -> Result<Summary, ConvertError> {
        if file_name.is_some() && opts.page_size.is_some() {
            return Err(ConvertError::Other(
                "--page-size writes several files; give a folder to -o instead of a .json file"
                    .into(),
            ));
        }
        let first_name = file_name.unwrap_or(self.default_out_name());
        let (source, posts) = feed_posts(site, opts);
        let home = urls::home_url(&site.config);
        let ids: Vec<String> = posts.par_iter().map(|d| item_url(&home, d)).collect();
        let duplicates = duplicate_ids(&ids);
        let mut summary = Summary::default();
        let language = lang::site_language(site);
        summary.diagnostics.extend(language.diagnostics);
        crate::progress::mark("jsonfeed items");
        // The feed is one file (or a few): its items are what is counted.
        crate::progress::count("items", "", Some(posts.len() as u64));
        let heads = FeedHead {
            home: &home,
            first_name,
            language: &language.tag,
        };
        for page in plan_pages(site, opts, &heads, &posts) {
            out.write_with(&page.name, |w| {
                write_page(site, &page, w, &mut summary.diagnostics)
            })?;
            summary.documents += page.posts.len();
        }
        summary.diagnostics.extend(duplicates);
        summary
            .diagnostics
            .extend(what_it_holds(opts, source, posts.len()));
        Ok(summary)
    }
}

/// The note on a feed made of a documentation site's documents, or the
/// warning on an empty feed (naming the selection that chose nothing).
fn what_it_holds(opts: &ConvertOptions, source: Source, items: usize) -> Option<Diagnostic> {
    let what = match source {
        Source::Posts => "published post",
        Source::Documents => "collection document",
    };
    if items == 0 && !opts.selection.is_everything() {
        return Some(Diagnostic::warning(
            "feed-empty",
            "_config.yml",
            format!(
                "no {what} matches {}, so the feed has no item",
                opts.selection.describe()
            ),
        ));
    }
    if items == 0 {
        // Drafts are not even read without --drafts, so only say how.
        let hint = if opts.drafts {
            ""
        } else {
            "; --drafts adds drafts and posts marked `published: false`"
        };
        return Some(Diagnostic::warning(
            "feed-empty",
            "_config.yml",
            format!("the site has no published post, so the feed has no item{hint}"),
        ));
    }
    (source == Source::Documents).then(|| {
        Diagnostic::info(
            "feed-documents",
            "_config.yml",
            format!("the site has no post, so the feed's {items} items are its collection documents (as for a documentation site)"),
        )
    })
}

/// The posts of the feed (or a documentation site's documents): newest
/// first (documents, seldom dated, then by URL), the source path breaking
/// ties so the order is stable, cut to `--limit`.
fn feed_posts<'s>(site: &'s Site, opts: &ConvertOptions) -> (Source, Vec<&'s Document>) {
    let (source, mut posts) = selection::chosen(site, opts);
    let by_url = source == Source::Documents;
    posts.sort_by(|a, b| {
        b.date
            .cmp(&a.date)
            .then_with(|| {
                if by_url {
                    a.url.cmp(&b.url)
                } else {
                    std::cmp::Ordering::Equal
                }
            })
            .then_with(|| a.source.cmp(&b.source))
    });
    if let Some(limit) = opts.limit {
        posts.truncate(limit);
    }
    (source, posts)
}

/// One file of the feed: its name, every field but the items, and the
/// posts that become its items.
struct PagePlan<'p, 's> {
    name: String,
    head: Feed,
    posts: &'p [&'s Document],
}

/// What every file of the feed shares in its head.
struct FeedHead<'a> {
    /// The site's home URL.
    home: &'a str,
    /// The first file's name.
    first_name: &'a str,
    /// The site's language (BCP 47).
    language: &'a str,
}

/// Splits the posts into the feed's files (one unless `--page-size`), the
/// first named `heads.first_name`, each but the last linking the next.
fn plan_pages<'p, 's>(
    site: &Site,
    opts: &ConvertOptions,
    heads: &FeedHead<'_>,
    posts: &'p [&'s Document],
) -> Vec<PagePlan<'p, 's>> {
    let (home, first_name) = (heads.home, heads.first_name);
    let page_size = opts.page_size.filter(|&n| n > 0).unwrap_or(usize::MAX);
    let mut chunks: Vec<&[&Document]> = posts.chunks(page_size).collect();
    if chunks.is_empty() {
        chunks.push(&[]);
    }
    let page_name = |i: usize| {
        if i == 0 {
            first_name.to_string()
        } else {
            format!("feed-{}.json", i + 1)
        }
    };
    let count = chunks.len();
    chunks
        .into_iter()
        .enumerate()
        .map(|(i, posts)| {
            let next_url = (i + 1 < count).then(|| format!("{home}{}", page_name(i + 1)));
            PagePlan {
                name: page_name(i),
                head: feed_head(site, heads, next_url),
                posts,
            }
        })
        .collect()
}

/// How many items are made (in parallel) before they are written: the
/// feed is streamed, so its items are never all in memory at once.
const ITEMS_AT_A_TIME: usize = 256;

/// Writes one file of the feed: the bytes `serde_json::to_writer_pretty`
/// gives for the whole `Feed`, with the items (the last field) made and
/// written a batch at a time. Diagnostics come in feed order.
fn write_page(
    site: &Site,
    page: &PagePlan<'_, '_>,
    w: &mut (dyn std::io::Write + Send),
    diags: &mut Vec<Diagnostic>,
) -> std::io::Result<()> {
    let head = serde_json::to_vec_pretty(&page.head).map_err(std::io::Error::other)?;
    // With no items the head ends `"items": []` and the closing brace.
    let Some(open) = head.strip_suffix(b"[]\n}") else {
        return Err(std::io::Error::other(
            "the feed's last field is not its items",
        ));
    };
    w.write_all(open)?;
    if page.posts.is_empty() {
        return w.write_all(b"[]\n}");
    }
    w.write_all(b"[")?;
    let make = |batch: &[&Document]| -> Made {
        batch
            .par_iter()
            .map(|d| {
                let mut item_diags = Vec::new();
                let it = item(site, d, &mut item_diags);
                let made = (item_json(it), item_diags);
                crate::progress::tick();
                made
            })
            .collect()
    };
    let mut first = true;
    let mut put = |made: Made, w: &mut (dyn std::io::Write + Send)| -> std::io::Result<()> {
        for (json, item_diags) in made {
            w.write_all(if first { b"\n    " } else { b",\n    " })?;
            first = false;
            w.write_all(&json?)?;
            diags.extend(item_diags);
        }
        Ok(())
    };
    // Each batch is written while the next is made.
    let mut batches = page.posts.chunks(ITEMS_AT_A_TIME);
    let mut made = batches.next().map(make).unwrap_or_default();
    for batch in batches {
        let (written, next) = rayon::join(|| put(made, &mut *w), || make(batch));
        written?;
        made = next;
    }
    put(made, w)?;
    w.write_all(b"\n  ]\n}")
}

/// Items made, JSON and diagnostics, in feed order.
type Made = Vec<(std::io::Result<Vec<u8>>, Vec<Diagnostic>)>;

/// One item as it appears inside the pretty-printed feed: two levels
/// deeper than on its own, as `serde_json::to_writer_pretty` writes it.
/// The item is serialised without its HTML, which is then escaped into its
/// place by [`escape::escape_into`] (serde's escaping of the HTML, most of
/// the item, was slow).
fn item_json(mut item: Item) -> std::io::Result<Vec<u8>> {
    let html = std::mem::take(&mut item.content_html);
    let mut alone = Vec::with_capacity(1024);
    serde_json::to_writer_pretty(&mut alone, &item).map_err(std::io::Error::other)?;
    // The empty HTML's place: serde escapes every `"` inside a string, so
    // only the key itself can read like this.
    const PLACE: &[u8] = b"\"content_html\": \"";
    let Some(at) = memchr::memmem::find(&alone, PLACE).map(|i| i + PLACE.len()) else {
        return Err(std::io::Error::other("an item without its content_html"));
    };
    let mut out = Vec::with_capacity(alone.len() + html.len() + html.len() / 8 + 64);
    // JSON strings hold no raw line ends, so every `\n` in serde's output
    // is a line break of the layout, indented two levels more.
    let indented = |out: &mut Vec<u8>, part: &[u8]| {
        let mut from = 0;
        for nl in memchr::memchr_iter(b'\n', part) {
            out.extend_from_slice(&part[from..=nl]);
            out.extend_from_slice(b"    ");
            from = nl + 1;
        }
        out.extend_from_slice(&part[from..]);
    };
    indented(&mut out, &alone[..at]);
    escape::escape_into(&html, &mut out);
    indented(&mut out, &alone[at..]);
    Ok(out)
}

/// Every field of a feed page but its items, which [`write_page`] streams
/// in after the head.
fn feed_head(site: &Site, heads: &FeedHead<'_>, next_url: Option<String>) -> Feed {
    let cfg = &site.config;
    let (home, first_name) = (heads.home, heads.first_name);
    Feed {
        version: VERSION,
        title: cfg
            .title
            .as_deref()
            .map(text::collapse_whitespace)
            .filter(|t| !t.is_empty())
            .unwrap_or_else(|| "Untitled".to_string()),
        home_page_url: Some(home.to_string()),
        feed_url: Some(format!("{home}{first_name}")),
        description: cfg
            .description
            .as_deref()
            .map(text::visible_text)
            .filter(|t| !t.is_empty()),
        next_url,
        icon: find_static(site, &["icon.png", "apple-touch-icon.png", "logo.png"])
            .map(|u| urls::resolve(home, &u)),
        favicon: find_static(site, &["favicon.png", "favicon.ico", "favicon.svg"])
            .map(|u| urls::resolve(home, &u)),
        authors: cfg
            .authors
            .iter()
            .filter_map(|a| feed_author(site, &authors::site_author(site, a)))
            .collect(),
        language: Some(heads.language.to_string()),
        items: Vec::new(),
    }
}

/// The URL of the first static file (at any depth) with one of `names`,
/// preferring the site root.
fn find_static(site: &Site, names: &[&str]) -> Option<String> {
    for name in names {
        let mut found: Vec<&str> = site
            .static_files
            .iter()
            .filter(|f| f.source == *name || f.source.ends_with(&format!("/{name}")))
            .map(|f| f.url.as_str())
            .collect();
        found.sort_by_key(|u| (u.matches('/').count(), u.to_string()));
        if let Some(u) = found.first() {
            return Some(u.trim_start_matches('/').to_string());
        }
    }
    None
}

/// A site or post author as the feed writes it, URLs made absolute;
/// `None` when it has nothing to show.
fn feed_author(site: &Site, a: &crate::ir::Author) -> Option<Author> {
    let home = urls::home_url(&site.config);
    let author = Author {
        name: Some(a.name.clone()).filter(|n| !n.trim().is_empty()),
        url: a.url.as_deref().map(|u| urls::resolve(&home, u)),
        avatar: a
            .avatar
            .as_deref()
            .map(|u| urls::resolve(&home, u.trim_start_matches('/'))),
    };
    (author.name.is_some() || author.url.is_some() || author.avatar.is_some()).then_some(author)
}

/// A post's absolute URL, which is also its item id.
fn item_url(home: &str, d: &Document) -> String {
    urls::resolve(home, d.url.trim_start_matches('/'))
}

fn item(site: &Site, d: &Document, diags: &mut Vec<Diagnostic>) -> Item {
    let url = item_url(&urls::home_url(&site.config), d);
    let content_html = match &d.html {
        Some(h) => urls::absolutize_html(h, &url),
        None => {
            diags.push(Diagnostic::warning(
                "not-rendered",
                &d.source,
                "the content layer gave no HTML for this post; its source text is in the feed as preformatted text",
            ));
            format!("<pre>{}</pre>", html_escape::encode_text(&d.body))
        }
    };
    let summary = d
        .excerpt
        .as_deref()
        .or(d.description.as_deref())
        .map(text::visible_text)
        .filter(|s| !s.is_empty())
        .or_else(|| first_paragraph_text(&content_html))
        .map(|s| text::truncate_words(&s, 500));
    let mut tags: Vec<String> = Vec::new();
    for t in d.tags.iter().chain(d.categories.iter()) {
        if !t.trim().is_empty() && !tags.contains(t) {
            tags.push(t.clone());
        }
    }
    let banner = front_matter_str(d, &["banner_image"])
        .or_else(|| nested_str(d, "header", &["overlay_image", "image"]));
    let site_home = urls::home_url(&site.config);
    let abs_image = |p: String| urls::resolve(&site_home, p.trim_start_matches('/'));
    Item {
        id: url.clone(),
        external_url: front_matter_str(d, &["link", "external_url"])
            .filter(|l| l.starts_with("http://") || l.starts_with("https://")),
        url,
        title: d
            .title
            .as_deref()
            .map(text::visible_text)
            .filter(|t| !t.is_empty()),
        content_html,
        summary,
        image: d.image.clone().map(&abs_image),
        banner_image: banner.map(&abs_image),
        date_published: d.date.map(|t| t.rfc3339()),
        date_modified: d.updated.map(|t| t.rfc3339()),
        authors: d
            .authors
            .iter()
            .filter_map(|a| feed_author(site, &authors::resolve(site, a)))
            .collect(),
        tags,
        language: d.lang.as_deref().and_then(lang::bcp47),
        jekyll: (!d.categories.is_empty()).then(|| JekyllExtension {
            about: EXTENSION_ABOUT,
            categories: d.categories.clone(),
        }),
    }
}

fn front_matter_str(d: &Document, keys: &[&str]) -> Option<String> {
    keys.iter().find_map(|k| {
        d.front_matter
            .get(*k)
            .and_then(Value::as_str)
            .map(str::to_string)
    })
}

fn nested_str(d: &Document, key: &str, inner: &[&str]) -> Option<String> {
    let map = d.front_matter.get(key)?;
    inner
        .iter()
        .find_map(|k| map.get(*k).and_then(Value::as_str).map(str::to_string))
        .filter(|s| !s.starts_with('#'))
}

/// The visible text of the first `<p>` of `html`, as Jekyll's default
/// excerpt is the first paragraph.
fn first_paragraph_text(html: &str) -> Option<String> {
    let start = html.find("<p")?;
    let end = html[start..].find("</p>").map(|e| start + e)?;
    Some(text::visible_text(&html[start..end])).filter(|s| !s.is_empty())
}

/// An error for every id used by more than one item.
fn duplicate_ids(ids: &[String]) -> Vec<Diagnostic> {
    let mut seen = crate::fast_hash::FastSet::default();
    ids.iter()
        .filter(|id| !seen.insert(id.as_str()))
        .map(|id| {
            Diagnostic::error(
                "duplicate-url",
                id.clone(),
                "two posts have this URL; the feed holds both items with the same id, so readers will show only one",
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The item as serde writes it whole, indented two levels.
    fn by_serde(item: &Item) -> Vec<u8> {
        let alone = serde_json::to_vec_pretty(item).expect("an item serialises");
        let mut out = Vec::new();
        for &b in &alone {
            out.push(b);
            if b == b'\n' {
                out.extend_from_slice(b"    ");
            }
        }
        out
    }

    #[test]
    fn items_are_written_as_serde_writes_them() {
        let tricky = "\"content_html\": \"<p>\n\t\\ \u{1} é</p>";
        let mut item = Item {
            id: "https://ex.org/a.html".into(),
            url: "https://ex.org/a.html".into(),
            external_url: None,
            title: Some(tricky.into()),
            content_html: format!("<p class=\"x\">{tricky}</p>\n<pre>a\r\nb</pre>"),
            summary: Some(tricky.into()),
            image: None,
            banner_image: None,
            date_published: Some("2020-01-01T00:00:00+00:00".into()),
            date_modified: None,
            authors: vec![Author {
                name: Some("A \"B\"".into()),
                url: None,
                avatar: None,
            }],
            tags: vec!["x".into(), "y\nz".into()],
            language: Some("en".into()),
            jekyll: Some(JekyllExtension {
                about: EXTENSION_ABOUT,
                categories: vec!["c".into()],
            }),
        };
        assert_eq!(
            String::from_utf8(item_json(item.clone()).expect("written")),
            String::from_utf8(by_serde(&item))
        );
        // The fewest fields, and an empty HTML.
        item.title = None;
        item.summary = None;
        item.authors.clear();
        item.tags.clear();
        item.jekyll = None;
        item.language = None;
        item.date_published = None;
        for html in ["", "plain"] {
            item.content_html = html.into();
            assert_eq!(
                String::from_utf8(item_json(item.clone()).expect("written")),
                String::from_utf8(by_serde(&item))
            );
        }
    }
}
