//! The intermediate representation: a whole site as plain data.
//!
//! The Jekyll reader fills it, the content layer adds rendered content, and the
//! converters only read it. It is `Serialize` so `inspect --json` can print it
//! and an external converter could receive it.

use std::path::PathBuf;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::diagnostics::Diagnostic;

/// A whole site, read once.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Site {
    /// Absolute path of the site root (not serialized: converters never read it).
    #[serde(skip)]
    pub root: PathBuf,
    /// Site-wide settings.
    pub config: SiteConfig,
    /// Posts, drafts, pages and collection items, in a stable order.
    pub documents: Vec<Document>,
    /// Files of `_data`, parsed.
    pub data: Vec<DataFile>,
    /// Files copied as they are.
    pub static_files: Vec<StaticFile>,
    /// Templates of `_includes`, by their path below `_includes` (`foo/bar.html`).
    #[serde(skip)]
    pub includes: Vec<Include>,
    /// Sass partials (`_sass/**`, `sass.load_paths`), by their path relative
    /// to the site root, for compiling `.scss`/`.sass` pages.
    #[serde(skip)]
    pub sass: Vec<Include>,
    /// Everything that could not be read or carried over.
    pub diagnostics: Vec<Diagnostic>,
    /// Drafts in `_drafts` folders that were not read (no `--drafts`).
    pub drafts_not_read: usize,
}

/// Site-wide settings taken from `_config.yml`.
#[derive(Debug, Clone, Serialize, Default)]
pub struct SiteConfig {
    /// `title`.
    pub title: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `url`, without a trailing slash (`https://example.com`).
    pub url: Option<String>,
    /// `baseurl`, with a leading and without a trailing slash, or empty.
    pub baseurl: String,
    /// `lang` (or `locale`), as written.
    pub lang: Option<String>,
    /// IANA name from `timezone`, if any.
    pub timezone: Option<String>,
    /// Site authors (`author` as a string or a map's `name`).
    pub authors: Vec<Author>,
    /// The site `permalink` setting as written (style name or template).
    pub permalink: String,
    /// The site `excerpt_separator`.
    pub excerpt_separator: String,
    /// `markdown` (kramdown, GFM, CommonMarkGhPages, …).
    pub markdown: String,
    /// Plugins named in `plugins` / `gems`.
    pub plugins: Vec<String>,
    /// Sass load paths relative to the site root (`sass.sass_dir`, default
    /// `_sass`, then `sass.load_paths`).
    pub sass_load_paths: Vec<String>,
    /// `sass.style`: `compressed` or `expanded` (Jekyll's default).
    pub sass_style: String,
    /// Collections that exist on the site, posts included.
    pub collections: Vec<CollectionInfo>,
    /// The whole merged configuration, for Liquid's `site.*` and for keys no
    /// converter maps.
    pub raw: Map<String, Value>,
    /// Top-level keys of `raw` that only Jekyll's defaults set: the user's
    /// `_config.yml` (or `--config` files) does not name them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub defaulted: Vec<String>,
}

impl SiteConfig {
    /// Whether the user's own configuration names the top-level setting
    /// `key`, so a note about its value speaks of something they wrote.
    pub fn user_wrote(&self, key: &str) -> bool {
        self.raw.contains_key(key) && !self.defaulted.iter().any(|k| k == key)
    }
}

/// One author: a name, and where known a URL, an e-mail and an avatar.
#[derive(Debug, Clone, Serialize, Default, PartialEq, Eq)]
pub struct Author {
    /// Display name.
    pub name: String,
    /// Home page.
    pub url: Option<String>,
    /// E-mail address.
    pub email: Option<String>,
    /// Avatar image URL.
    pub avatar: Option<String>,
}

/// A collection as configured (`posts` is one too).
#[derive(Debug, Clone, Serialize, Default)]
pub struct CollectionInfo {
    /// Label (`posts`, `docs`, …).
    pub label: String,
    /// Whether Jekyll writes its documents as pages.
    pub output: bool,
    /// The collection's permalink template, if set.
    pub permalink: Option<String>,
    /// Folder relative to the site root (`_docs`, or `collections/_docs`).
    pub directory: String,
}

/// What kind of document this is.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum DocKind {
    /// A file of `_posts`.
    Post,
    /// A file of `_drafts`.
    Draft,
    /// A file with front matter outside the special folders.
    Page,
    /// A document of a collection other than posts.
    Item,
}

/// The markup a document is written in.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase", tag = "type", content = "ext")]
pub enum Format {
    /// Any of `markdown_ext` (md, markdown, mkdn, …).
    Markdown,
    /// `.html` / `.htm`.
    Html,
    /// Anything else (`.xml`, `.txt`, `.json`, …); kept as it is.
    Other(String),
}

/// A date-time that remembers the offset it was written (or resolved) with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DateTime {
    /// The instant.
    pub instant: jiff::Timestamp,
    /// The offset to show it in.
    pub offset: jiff::tz::Offset,
}

impl DateTime {
    /// The civil date-time at this offset.
    pub fn civil(&self) -> jiff::civil::DateTime {
        self.offset.to_datetime(self.instant)
    }

    /// RFC 3339 with seconds and a `+hh:mm` offset (`Z` is never used).
    pub fn rfc3339(&self) -> String {
        let dt = self.civil();
        let secs = self.offset.seconds();
        let sign = if secs < 0 { '-' } else { '+' };
        let abs = secs.unsigned_abs();
        let year = dt.year();
        if (0..=9999).contains(&year) && abs < 100 * 3600 {
            // Digit by digit: `format!` with nine padded numbers cost as
            // much as the rest of a Hugo page's front matter.
            let two = |out: &mut String, n: u32| {
                out.push(char::from(b'0' + (n / 10 % 10) as u8));
                out.push(char::from(b'0' + (n % 10) as u8));
            };
            let mut out = String::with_capacity(25);
            two(&mut out, year as u32 / 100);
            two(&mut out, year as u32 % 100);
            out.push('-');
            two(&mut out, dt.month() as u32);
            out.push('-');
            two(&mut out, dt.day() as u32);
            out.push('T');
            two(&mut out, dt.hour() as u32);
            out.push(':');
            two(&mut out, dt.minute() as u32);
            out.push(':');
            two(&mut out, dt.second() as u32);
            out.push(sign);
            two(&mut out, abs / 3600);
            out.push(':');
            two(&mut out, abs % 3600 / 60);
            return out;
        }
        self.rfc3339_formatted()
    }

    /// [`DateTime::rfc3339`] by `format!`, for any year and offset.
    fn rfc3339_formatted(&self) -> String {
        let dt = self.civil();
        let secs = self.offset.seconds();
        let abs = secs.unsigned_abs();
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{}{:02}:{:02}",
            dt.year(),
            dt.month(),
            dt.day(),
            dt.hour(),
            dt.minute(),
            dt.second(),
            if secs < 0 { '-' } else { '+' },
            abs / 3600,
            (abs % 3600) / 60
        )
    }
}

impl Serialize for DateTime {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.rfc3339())
    }
}

/// One post, draft, page or collection item.
#[derive(Debug, Clone, Serialize)]
pub struct Document {
    /// Post, draft, page or collection item.
    pub kind: DocKind,
    /// Collection label (`posts` for posts and drafts), `None` for pages.
    pub collection: Option<String>,
    /// Path relative to the site root, with `/` separators.
    pub source: String,
    /// The URL Jekyll gives it (without `baseurl`), escaped as Jekyll escapes it.
    pub url: String,
    /// Whether Jekyll writes it (false for items of `output: false` collections).
    pub output: bool,
    /// Title: front matter, else derived from the file name as Jekyll does.
    pub title: Option<String>,
    /// Slug as Jekyll computes it (front matter `slug`, else from the file name).
    pub slug: String,
    /// Date with its offset (posts always; others when front matter has one).
    pub date: Option<DateTime>,
    /// `last_modified_at` / `updated`, when given.
    pub updated: Option<DateTime>,
    /// Categories (front matter plus folders above `_posts`).
    pub categories: Vec<String>,
    /// Tags.
    pub tags: Vec<String>,
    /// Authors named by the document (`author` / `authors`).
    pub authors: Vec<String>,
    /// `description`.
    pub description: Option<String>,
    /// An explicit `excerpt` from front matter.
    pub excerpt: Option<String>,
    /// The excerpt separator in force for this document (page beats site).
    pub excerpt_separator: String,
    /// False for `published: false`.
    pub published: bool,
    /// `layout`.
    pub layout: Option<String>,
    /// `redirect_from` (jekyll-redirect-from), as site-relative URLs.
    pub redirect_from: Vec<String>,
    /// The front-matter `permalink`, as written.
    pub permalink: Option<String>,
    /// `lang` of the document, if set.
    pub lang: Option<String>,
    /// `image` (a string, or the `path`/`feature` of a map), if set.
    pub image: Option<String>,
    /// Front-matter keys not mapped to a field above, in source order.
    pub extra: Map<String, Value>,
    /// The whole front matter after defaults, in source order (for `page.*`).
    pub front_matter: Map<String, Value>,
    /// The markup of the body.
    pub format: Format,
    /// The file extension with its dot (`.md`).
    pub ext: String,
    /// 1-based line in `source` where the body starts.
    pub body_line: usize,
    /// The body as written (after front matter), line ends normalised to `\n`.
    pub body: String,
    /// Content after the content layer (empty until it runs).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub content: Vec<crate::content::Node>,
    /// HTML rendering of the body, as Jekyll would render it (empty until the
    /// content layer runs).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub html: Option<String>,
}

impl Document {
    /// A document with every field empty, for the reader and for tests.
    pub fn new(kind: DocKind, source: impl Into<String>) -> Self {
        Document {
            kind,
            collection: None,
            source: source.into(),
            url: String::new(),
            output: true,
            title: None,
            slug: String::new(),
            date: None,
            updated: None,
            categories: Vec::new(),
            tags: Vec::new(),
            authors: Vec::new(),
            description: None,
            excerpt: None,
            excerpt_separator: "\n\n".to_string(),
            published: true,
            layout: None,
            redirect_from: Vec::new(),
            permalink: None,
            lang: None,
            image: None,
            extra: Map::new(),
            front_matter: Map::new(),
            format: Format::Markdown,
            ext: ".md".to_string(),
            body_line: 1,
            body: String::new(),
            content: Vec::new(),
            html: None,
        }
    }

    /// True for posts and drafts.
    pub fn is_post(&self) -> bool {
        matches!(self.kind, DocKind::Post | DocKind::Draft)
    }
}

/// A parsed file of `_data`.
#[derive(Debug, Clone, Serialize)]
pub struct DataFile {
    /// Path relative to the site root (`_data/authors.yml`).
    pub source: String,
    /// Key path below `site.data` (`["i18n", "en"]` for `_data/i18n/en.yml`).
    pub key: Vec<String>,
    /// Its content.
    pub value: Value,
}

/// A file copied as it is.
#[derive(Debug, Clone, Serialize)]
pub struct StaticFile {
    /// Path relative to the site root, with `/` separators.
    pub source: String,
    /// The URL Jekyll serves it at (without `baseurl`).
    pub url: String,
    /// Absolute path to read its bytes from.
    #[serde(skip)]
    pub path: PathBuf,
    /// Size in bytes.
    pub size: u64,
}

/// A template of `_includes`.
#[derive(Debug, Clone)]
pub struct Include {
    /// Path below `_includes` with `/` separators.
    pub name: String,
    /// Its text.
    pub text: String,
}

#[cfg(test)]
mod tests {
    use super::DateTime;
    use jiff::tz::Offset;

    #[test]
    fn rfc3339_matches_the_formatted_form() {
        let instants = [
            "2005-01-01T05:37:27Z",
            "1999-12-31T23:59:59Z",
            "0045-03-15T12:00:00Z",
            "2038-01-19T03:14:08Z",
            "1970-01-01T00:00:00Z",
        ];
        let offsets = [
            0,
            -7 * 3600,
            5 * 3600 + 45 * 60,
            -(9 * 3600 + 30 * 60),
            14 * 3600,
        ];
        for i in instants {
            for o in offsets {
                let d = DateTime {
                    instant: i.parse().unwrap(),
                    offset: Offset::from_seconds(o).unwrap(),
                };
                assert_eq!(d.rfc3339(), d.rfc3339_formatted(), "{i} at {o}");
            }
        }
        let seed = DateTime {
            instant: "2016-01-29T19:08:00Z".parse().unwrap(),
            offset: Offset::from_seconds(-7 * 3600).unwrap(),
        };
        assert_eq!(seed.rfc3339(), "2016-01-29T12:08:00-07:00");
    }
}
