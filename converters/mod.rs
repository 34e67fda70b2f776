//! Output formats. Each converter is one module that reads like a spec of its
//! format; this file holds the trait they implement and the registry.

use std::path::Path;

use crate::diagnostics::Diagnostic;
use crate::ir::Site;
use crate::output::{OutputError, OutputTree};

/// Options of one `convert` run that converters may read.
#[derive(Debug, Clone, Default)]
pub struct ConvertOptions {
    /// Hugo front matter format.
    pub front_matter: FrontMatterFormat,
    /// JSON Feed: at most this many items (all when `None`).
    pub limit: Option<usize>,
    /// JSON Feed: items per page file (one file when `None`).
    pub page_size: Option<usize>,
    /// EPUB: how the table of contents is grouped.
    pub group: TocGroup,
    /// EPUB: newest post first instead of oldest.
    pub newest_first: bool,
    /// EPUB: cover image file.
    pub cover: Option<std::path::PathBuf>,
    /// EPUB: add pages after the posts.
    pub include_pages: bool,
    /// Include drafts and unpublished documents where the format can mark them.
    pub drafts: bool,
    /// EPUB and JSON Feed: the posts chosen by `--tag`, `--category`,
    /// `--since` and `--until`.
    pub selection: selection::Selection,
    /// EPUB: download remote images into the book (`--fetch-images`);
    /// `None` keeps them as links.
    pub fetch_images: Option<ImageFetch>,
    /// EPUB: images wider than this many pixels are scaled down to it
    /// (`--max-image-width`).
    pub max_image_width: Option<u32>,
    /// EPUB: the largest book wanted, in bytes (`--max-book-size`); its
    /// images are scaled down step by step until it fits.
    pub max_book_size: Option<u64>,
}

/// How `--fetch-images` downloads remote images for a book.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageFetch {
    /// Fetch `http:` images too (`--allow-http`); otherwise only `https:`.
    pub allow_http: bool,
    /// Where downloaded images are kept between runs; `None` for the
    /// user's cache folder (`$XDG_CACHE_HOME/jekyll-migrate/images`,
    /// `~/.cache/jekyll-migrate/images`).
    pub cache_dir: Option<std::path::PathBuf>,
    /// Longest wait to connect and between two reads of one image.
    pub timeout: std::time::Duration,
    /// Largest image accepted, in bytes.
    pub max_bytes: u64,
    /// Images downloaded at once.
    pub parallel: usize,
}

impl Default for ImageFetch {
    fn default() -> Self {
        ImageFetch {
            allow_http: false,
            cache_dir: None,
            timeout: std::time::Duration::from_secs(20),
            max_bytes: 20 * 1024 * 1024,
            parallel: 4,
        }
    }
}

/// Front matter syntax for Hugo.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum FrontMatterFormat {
    /// `---` YAML.
    #[default]
    Yaml,
    /// `+++` TOML.
    Toml,
}

/// How an EPUB's table of contents is grouped.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum TocGroup {
    /// By year of the post date.
    #[default]
    Year,
    /// By first category.
    Category,
    /// A flat list.
    None,
}

pub use crate::output::Target;

/// What a converter did, for the summary line and `MIGRATION.md`.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    /// Documents written.
    pub documents: usize,
    /// Static and data files copied.
    pub files_copied: usize,
    /// Notes from the converter (things it could not carry over).
    pub diagnostics: Vec<Diagnostic>,
    /// What the summary line adds for this output (a book's size and what
    /// was scaled to reach it).
    pub detail: Option<String>,
}

/// A failure that stops a converter as a whole.
#[derive(Debug)]
pub enum ConvertError {
    /// Writing the output failed.
    Output(OutputError),
    /// Anything else, already worded for the user.
    Other(String),
}

impl std::fmt::Display for ConvertError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ConvertError::Output(e) => write!(f, "{e}"),
            ConvertError::Other(s) => f.write_str(s),
        }
    }
}

impl std::error::Error for ConvertError {}

impl From<OutputError> for ConvertError {
    fn from(e: OutputError) -> Self {
        ConvertError::Output(e)
    }
}

/// One output format.
pub trait Converter: Sync {
    /// The name given to `--to`.
    fn name(&self) -> &'static str;
    /// One line for `--help` and error messages.
    fn description(&self) -> &'static str;
    /// Other names `--to` takes for this format (any case is accepted).
    fn aliases(&self) -> &'static [&'static str] {
        &[]
    }
    /// Whether OUT is a folder or a file, given the OUT the user named
    /// (a folder unless the format says otherwise).
    fn target(&self, out: &Path) -> Target {
        let _ = out;
        Target::Dir
    }
    /// The default OUT name (a folder or a file name) when `-o` is not given.
    fn default_out_name(&self) -> &'static str;
    /// The name of the single file written into a folder given as OUT
    /// (`-o books/`): the default OUT's name, `SITE-book.epub`.
    fn name_in_folder(&self, site_name: &str) -> String {
        format!("{site_name}-{}", self.default_out_name())
    }
    /// Whether [`Converter::convert`] reads `doc.html` (rendered only for
    /// the documents that answer yes: Markdown-writing targets need little).
    fn wants_html(&self, doc: &crate::ir::Document) -> bool {
        let _ = doc;
        true
    }
    /// Whether the HTML it writes is the documents' HTML, so code in it
    /// gets rouge's token spans; a converter that writes Markdown (whose
    /// generator highlights code itself) and reads the HTML for heading ids
    /// says no, and skips the work.
    fn highlights_code(&self) -> bool {
        true
    }
    /// Writes the whole output into `out` (a staging tree; the caller moves it
    /// into place only when this returns `Ok`). `file_name` is the name of
    /// the one file to write when the output is a single file, `None` when
    /// it is a folder.
    fn convert(
        &self,
        site: &Site,
        opts: &ConvertOptions,
        out: &mut OutputTree,
        file_name: Option<&str>,
    ) -> Result<Summary, ConvertError>;
}

pub mod epub;
pub mod hugo;
pub mod jsonfeed;
pub mod selection;
pub mod zola;

/// Every converter compiled in, in the order `--help` lists them.
pub fn registry() -> Vec<&'static dyn Converter> {
    vec![&hugo::Hugo, &zola::Zola, &jsonfeed::JsonFeed, &epub::Epub]
}

/// The converter called `name` (or one of its aliases, in any case), or
/// `None`.
pub fn find(name: &str) -> Option<&'static dyn Converter> {
    registry().into_iter().find(|c| {
        c.name().eq_ignore_ascii_case(name)
            || c.aliases().iter().any(|a| a.eq_ignore_ascii_case(name))
    })
}

/// The known names, comma separated, for error messages.
pub fn known_names() -> String {
    registry()
        .iter()
        .map(|c| c.name())
        .collect::<Vec<_>>()
        .join(", ")
}
