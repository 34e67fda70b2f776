//! Posts, drafts and collection items: Jekyll's `Document`, with its
//! categories, title, slug, date and URL.

use std::path::Path;
use std::sync::LazyLock;

use regex::Regex;
use serde_json::{Map, Value};

use super::config::{deep_merge, Collection, Config};
use super::defaults::Defaults;
use super::fields::{self, to_s};
use super::permalink;
use super::slug;
use super::source::{self, basename_without_ext, extname};
use super::url;
use crate::diagnostics::Diagnostic;
use crate::ir::{DateTime, DocKind, Document};

/// `DATE_FILENAME_MATCHER`: `YYYY-MM-DD-slug.ext` at the end of a path.
pub static DATE_FILENAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:.+/)*?(\d{2,4}-\d{1,2}-\d{1,2})-([^/]*)(\.[^./]+)$")
        .unwrap_or_else(|e| panic!("bad built-in pattern: {e}"))
});

/// `DATELESS_FILENAME_MATCHER`.
pub static DATELESS_FILENAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:.+/)*(.*)(\.[^./]+)$").unwrap_or_else(|e| panic!("bad built-in pattern: {e}"))
});

/// The date and slug of a `YYYY-MM-DD-slug.ext` name at the end of `rel`:
/// [`DATE_FILENAME`]'s first two groups. Plain ASCII paths are matched by
/// hand, as every post's name is and the regex's capture search cost more
/// than the rest of naming a post; the tests check both agree.
pub fn dated_name(rel: &str) -> Option<(&str, &str)> {
    if !rel.is_ascii() || rel.contains('\n') {
        return dated_name_by_regex(rel);
    }
    // The lazy folder prefix can only end at the last `/`, as nothing after
    // the date may hold one; being `(.+/)*` it is empty or two bytes or more.
    let start = rel.rfind('/').map_or(0, |i| i + 1);
    if start == 1 {
        return None;
    }
    let name = &rel[start..];
    let b = name.as_bytes();
    // Each digit run ends at a `-`, so the greedy count is the only one
    // that can match.
    let mut i = 0;
    for (min, max) in [(2, 4), (1, 2), (1, 2)] {
        let n = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        if n < min || n > max || b.get(i + n) != Some(&b'-') {
            return None;
        }
        i += n + 1;
    }
    // The extension is the last `.` and at least one byte after it.
    let dot = name.rfind('.').filter(|d| *d >= i && *d + 1 < name.len())?;
    Some((&name[..i - 1], &name[i..dot]))
}

/// [`dated_name`] from the regex itself.
fn dated_name_by_regex(rel: &str) -> Option<(&str, &str)> {
    let c = DATE_FILENAME.captures(rel)?;
    Some((c.get(1)?.as_str(), c.get(2)?.as_str()))
}

/// What the reader knows about one document file before reading it.
pub struct DocFile<'a> {
    /// Post, draft or collection item.
    pub kind: DocKind,
    /// Its collection (`posts` for posts and drafts).
    pub collection: &'a Collection,
    /// Path relative to the site root.
    pub source: String,
    /// Path relative to `collections_dir` (Jekyll's `relative_path`).
    pub relative_path: String,
}

/// Everything a document needs from the site.
pub struct SiteCtx<'a> {
    /// The configuration.
    pub cfg: &'a Config,
    /// Front matter defaults.
    pub defaults: &'a Defaults,
    /// `site.time`, for documents with no date.
    pub now: DateTime,
}

/// Reads one document; `None` when the file is not readable text.
pub fn read(
    root: &Path,
    file: &DocFile<'_>,
    site: &SiteCtx<'_>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Document> {
    let cfg = site.cfg;
    let src = source::read(&root.join(&file.source), &file.source, diags)?;
    let rel = file.relative_path.as_str();
    let label = file.collection.label.as_str();
    let special_dir = if file.kind == DocKind::Draft {
        "_drafts".to_string()
    } else {
        file.collection.relative_directory()
    };

    // Categories from the folders above `_posts` (Jekyll does this for every
    // collection, not only posts).
    let mut categories = path_categories(rel, &special_dir);

    // Defaults, then the file's own front matter.
    let defaults = site.defaults.all(rel, label);
    let mut data = Map::new();
    merge_with_categories(&mut data, &mut categories, &defaults);
    if data.is_empty() {
        // No defaults apply: merging the front matter into an empty map
        // would copy it value by value into the same order; it is moved.
        front_matter_categories(&mut categories, &src.data);
        data = src.data;
    } else {
        merge_with_categories(&mut data, &mut categories, &src.data);
    }

    let mut doc = Document::new(file.kind, file.source.clone());
    doc.collection = Some(label.to_string());
    doc.output = file.collection.output;
    doc.ext = extname(rel).to_string();
    doc.body = src.body;
    doc.body_line = src.body_line;

    // populate_title: date and slug from the file name.
    let (name_date, name_slug) = match dated_name(rel) {
        Some((date, slug)) => (Some(date.to_string()), Some(slug.to_string())),
        None => (
            None,
            DATELESS_FILENAME
                .captures(rel)
                .and_then(|c| c.get(1).map(|m| m.as_str().to_string())),
        ),
    };
    let base_no_ext = basename_without_ext(rel).to_string();
    let file_slug = name_slug
        .unwrap_or_else(|| base_no_ext.clone())
        .trim_end_matches('.')
        .to_string();

    let mut date = fields::date_of(
        data.get("date"),
        "date",
        cfg,
        &file.source,
        fields::DateUse::DocumentDate,
        diags,
    );
    if date.is_none() {
        if let Some(d) = &name_date {
            date = fields::date_of(
                Some(&Value::String(d.clone())),
                "date",
                cfg,
                &file.source,
                fields::DateUse::DocumentDate,
                diags,
            );
        }
    }
    if date.is_none() && file.kind == DocKind::Draft {
        date = mtime(&root.join(&file.source)).map(|d| cfg.zone.localize(d));
    }

    // populate_categories: `categories` plus the singular `category`.
    let mut cats = categories;
    let singular = fields::singular_list(data.get("category"));
    if singular.is_empty() {
        let again = fields::plural_list(data.get("categories"));
        fields::union(&mut cats, again);
    } else {
        fields::union(&mut cats, singular);
    }
    // populate_tags: singular `tag` wins over `tags`.
    let mut tags = fields::singular_list(data.get("tag"));
    if tags.is_empty() {
        tags = fields::plural_list(data.get("tags"));
    }

    fields::fill_common(&mut doc, &data, cfg, diags);
    if doc.title.is_none() {
        doc.title = Some(slug::titleize(&file_slug));
    }
    let slug_value = data
        .get("slug")
        .and_then(to_s)
        .unwrap_or_else(|| file_slug.clone());
    doc.slug = slug_value.clone();
    doc.categories = cats;
    doc.tags = tags;
    doc.date = date;

    // The URL.
    let out_ext = fields::output_ext(&doc.ext, doc.permalink.as_deref(), cfg);
    let url_date = date.unwrap_or(site.now);
    let civil = cfg.zone.civil(&url_date);
    let ext_len = doc.ext.len();
    let cleaned = rel
        .get(..rel.len() - ext_len)
        .unwrap_or(rel)
        .replacen(&file.collection.relative_directory(), "", 1)
        .trim_end_matches('.')
        .to_string();
    let template = doc
        .permalink
        .clone()
        .unwrap_or_else(|| file.collection.url_template.clone());
    let placeholders = permalink::DocPlaceholders {
        collection: label,
        path: &cleaned,
        output_ext: &out_ext,
        basename: &base_no_ext,
        slug: &slug_value,
        categories: &doc.categories,
        date: civil,
    };
    let (filled, used_date) = match placeholders.fill(&template) {
        Ok(done) => done,
        Err(unknown) => {
            diags.push(Diagnostic::error(
                "permalink-placeholder",
                &file.source,
                format!(
                    "the permalink {template:?} uses {}, which Jekyll does not know (it stops the \
                     build here); the URL keeps them as written",
                    unknown
                        .iter()
                        .map(|u| format!(":{u}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
            (template.clone(), false)
        }
    };
    doc.url = url::sanitize_url(&filled);
    if date.is_none() && used_date {
        diags.push(Diagnostic::warning(
            "url-from-build-time",
            &file.source,
            format!(
                "the URL template {template:?} uses date placeholders but the document has no \
                 date, so Jekyll fills them with the build time ({}); give it a `date` to keep \
                 a stable URL",
                url_date.rfc3339()
            ),
        ));
    }

    // The front matter as written, after defaults; what Jekyll computes
    // (title, slug, date, categories, tags) is in the typed fields.
    let fm = data;
    doc.front_matter = fm;
    Some(doc)
}

/// Jekyll's `merge_data!` for categories: a string is split on spaces and a
/// list is joined to the categories already there; the rest deep-merges.
fn merge_with_categories(
    data: &mut Map<String, Value>,
    cats: &mut Vec<String>,
    other: &Map<String, Value>,
) {
    front_matter_categories(cats, other);
    deep_merge(data, other);
}

/// Adds the `categories` of `other` (defaults or front matter) to `cats`.
fn front_matter_categories(cats: &mut Vec<String>, other: &Map<String, Value>) {
    if let Some(v) = other.get("categories") {
        if !v.is_null() {
            fields::union(cats, fields::plural_list(Some(v)));
        }
    }
}

/// `categories_from_path`: the folders above the special folder
/// (`es/_posts/x.md` gives `es`; `_posts/es/x.md` gives none).
fn path_categories(rel: &str, special_dir: &str) -> Vec<String> {
    if rel.starts_with(special_dir) {
        return Vec::new();
    }
    let above = match rel.find(special_dir) {
        Some(i) => &rel[..i],
        None => rel,
    };
    let base = rel.rsplit('/').next().unwrap_or(rel);
    above
        .split('/')
        .filter(|c| !c.is_empty() && *c != special_dir && *c != base)
        .map(str::to_string)
        .collect()
}

/// A file's modification time (the date of a draft without one).
fn mtime(path: &Path) -> Option<DateTime> {
    let modified = std::fs::metadata(path).ok()?.modified().ok()?;
    let instant = jiff::Timestamp::try_from(modified).ok()?;
    Some(DateTime {
        instant,
        offset: jiff::tz::Offset::UTC,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn categories_come_from_folders_above_the_special_folder() {
        assert_eq!(
            path_categories("win/_posts/2009-05-24-x.md", "_posts"),
            ["win"]
        );
        assert_eq!(
            path_categories("foo/_posts/bar/2008-12-12-topical-post.markdown", "_posts"),
            ["foo"]
        );
        assert!(path_categories("_posts/es/2008-11-21-nested.markdown", "_posts").is_empty());
    }

    #[test]
    fn filename_matchers() {
        let c = DATE_FILENAME
            .captures("_posts/2018-10-12-trailing-dots...markdown")
            .unwrap();
        assert_eq!(&c[1], "2018-10-12");
        assert_eq!(&c[2], "trailing-dots..");
        assert_eq!(&c[3], ".markdown");
        assert!(DATE_FILENAME.captures("_posts/notes.md").is_none());
        let c = DATELESS_FILENAME.captures("_docs/a/b.md").unwrap();
        assert_eq!(&c[1], "b");
    }

    #[test]
    fn dated_names_match_the_pattern() {
        let by_regex = dated_name_by_regex;
        let dirs = [
            "",
            "_posts/",
            "a/_posts/b/",
            "/",
            "//",
            "2020-01-01-x/",
            "é/",
        ];
        let dates = [
            "2020-01-01",
            "20-1-1",
            "2020-1-12",
            "12345-01-01",
            "2020-001-01",
            "2020-01-011",
            "2020-01",
            "x020-01-01",
            "2020-01-01-2021-02-02",
            "٢٠٢٠-01-01",
            "",
        ];
        let rests = [
            "-post.md",
            "-.md",
            "-a.b.c",
            "-trailing...markdown",
            "-x.",
            "-x",
            "post.md",
            "-a/b.md",
            "-é.md",
            "-x.md\n",
            "-..md",
            "-x.y/z",
        ];
        let (mut tried, mut matched) = (0, 0);
        for d in dirs {
            for date in dates {
                for rest in rests {
                    let rel = format!("{d}{date}{rest}");
                    assert_eq!(dated_name(&rel), by_regex(&rel), "{rel:?}");
                    tried += 1;
                    matched += usize::from(by_regex(&rel).is_some());
                }
            }
        }
        assert!(matched > tried / 10, "{matched} of {tried}");
    }
}
