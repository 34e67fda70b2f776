//! The command line's words: subcommands, flags and their values.

use std::path::PathBuf;

use clap::builder::{PossibleValue, PossibleValuesParser};
use clap::{Parser, Subcommand, ValueEnum};

use crate::converters;

/// Move a whole Jekyll site to Hugo, Zola, JSON Feed or EPUB.
#[derive(Debug, Parser)]
#[command(name = "jekyll-migrate", version, about)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
// `convert` has many flags, so its variant is the big one; there is one
// value of this type per process, so boxing it would save nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Convert SITE to another format.
    Convert(ConvertArgs),
    /// Read SITE and show what was found (or print the IR as JSON).
    Inspect(InspectArgs),
    /// Print a shell completion script (e.g. `jekyll-migrate completions bash
    /// > ~/.local/share/bash-completion/completions/jekyll-migrate`).
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), e.g. `jekyll-migrate man > jekyll-migrate.1`.
    Man,
}

/// Options shared by every subcommand that reads a site.
#[derive(Debug, clap::Args)]
pub struct SiteArgs {
    /// The Jekyll site folder.
    #[arg(default_value = ".")]
    pub site: PathBuf,
    /// Config files to use instead of _config.yml, comma separated (later
    /// files win), as `jekyll build --config` takes them.
    #[arg(long, value_delimiter = ',')]
    pub config: Vec<PathBuf>,
    /// Read _drafts too.
    #[arg(long)]
    pub drafts: bool,
    /// Worker threads (default: one per core).
    #[arg(long, value_name = "N", value_parser = at_least_one::<u16>)]
    pub threads: Option<u16>,
    /// How diagnostics are printed: `human` (file:line:col: severity[kind]:
    /// message, on stderr) or `json` (one JSON object a line on stdout, as
    /// cargo prints them, for editors and CI).
    #[arg(long, value_enum, value_name = "FORMAT", default_value = "human")]
    pub message_format: MessageFormat,
}

/// A count flag's value: a whole number of at least 1 (0 items or threads
/// is never what was meant).
fn at_least_one<T: std::str::FromStr + PartialOrd + From<u8>>(s: &str) -> Result<T, String> {
    match s.trim().parse::<T>() {
        Ok(n) if n >= T::from(1) => Ok(n),
        Ok(_) => Err("must be 1 or more".into()),
        Err(_) => Err("must be a whole number, 1 or more".into()),
    }
}

/// `--message-format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MessageFormat {
    /// `file:line:col: severity[kind]: message` on stderr.
    Human,
    /// One JSON object a line on stdout.
    Json,
}

/// `convert` options. Those of one format are refused with another (see
/// `formats::check_flags`).
#[derive(Debug, clap::Args)]
pub struct ConvertArgs {
    /// Site options.
    #[command(flatten)]
    pub site: SiteArgs,
    /// Output format, in any case. Required.
    #[arg(long = "to", value_name = "FORMAT", ignore_case = true, value_parser = format_parser())]
    pub to: Option<String>,
    /// Output folder or file (default: beside the site, named after it). A
    /// book or a feed given an existing folder, or a path ending in `/`, is
    /// written into it.
    #[arg(short = 'o', long = "out", value_name = "OUT")]
    pub out: Option<PathBuf>,
    /// Replace an existing OUT (for a book or a feed: only the file written).
    #[arg(long)]
    pub force: bool,
    /// Print nothing but errors on stderr.
    #[arg(short, long)]
    pub quiet: bool,
    /// Front matter syntax [default: yaml].
    #[arg(long, value_enum, help_heading = "Hugo options")]
    pub front_matter: Option<FmArg>,
    /// At most N items, newest first.
    #[arg(long, value_name = "N", help_heading = "JSON Feed options",
          value_parser = at_least_one::<u64>)]
    pub limit: Option<u64>,
    /// N items per file, linked with next_url.
    #[arg(long, value_name = "N", help_heading = "JSON Feed options",
          value_parser = at_least_one::<u64>)]
    pub page_size: Option<u64>,
    /// Group the table of contents [default: year].
    #[arg(long, value_enum, help_heading = "EPUB options")]
    pub group: Option<GroupArg>,
    /// Chapter order [default: oldest].
    #[arg(long, value_enum, help_heading = "EPUB options")]
    pub order: Option<OrderArg>,
    /// Cover image.
    #[arg(long, value_name = "IMAGE", help_heading = "EPUB options")]
    pub cover: Option<PathBuf>,
    /// Add the site's pages and collections' documents after the posts.
    #[arg(long, help_heading = "EPUB options")]
    pub include_pages: bool,
    /// Download the posts' remote images (https) into the book; kept in a
    /// cache folder, so a second run fetches none of them again.
    #[arg(long, help_heading = "EPUB options")]
    pub fetch_images: bool,
    /// With --fetch-images: fetch plain-http images too.
    #[arg(long, help_heading = "EPUB options", requires = "fetch_images")]
    pub allow_http: bool,
    /// With --fetch-images: where downloaded images are kept
    /// [default: $XDG_CACHE_HOME/jekyll-migrate/images or
    /// ~/.cache/jekyll-migrate/images].
    #[arg(
        long,
        value_name = "DIR",
        help_heading = "EPUB options",
        requires = "fetch_images"
    )]
    pub image_cache: Option<PathBuf>,
    /// With --fetch-images: seconds to wait to connect to a server and for
    /// each read from it [default: 20].
    #[arg(long, value_name = "SECS", help_heading = "EPUB options",
          requires = "fetch_images", value_parser = seconds)]
    pub image_timeout: Option<std::time::Duration>,
    /// With --fetch-images: the largest image downloaded, in bytes or with
    /// K, M or G (KiB, MiB, GiB) [default: 20M].
    #[arg(long, value_name = "SIZE", help_heading = "EPUB options",
          requires = "fetch_images", value_parser = super::size::parse)]
    pub image_max_size: Option<u64>,
    /// Scale images wider than N pixels down to N (aspect kept), in their
    /// own format (JPEG at quality 85); animated and SVG images are kept.
    #[arg(long, value_name = "N", help_heading = "EPUB options",
          value_parser = at_least_one::<u32>)]
    pub max_image_width: Option<u32>,
    /// The largest book wanted (50MB, 50M, 50MiB or 52428800 bytes; K, M and
    /// G are powers of 1024): its images are scaled down and JPEGs saved at
    /// lower qualities, step by step, until it fits.
    #[arg(long, value_name = "SIZE", help_heading = "EPUB options",
          value_parser = super::size::parse)]
    pub max_book_size: Option<u64>,
    /// Only posts with this tag (any case); repeat for any of several.
    #[arg(long, value_name = "TAG", help_heading = "EPUB and JSON Feed options")]
    pub tag: Vec<String>,
    /// Only posts in this category (any case); repeat for any of several.
    #[arg(
        long,
        value_name = "CATEGORY",
        help_heading = "EPUB and JSON Feed options"
    )]
    pub category: Vec<String>,
    /// Only posts dated on or after this day (YYYY-MM-DD, in the site's
    /// timezone).
    #[arg(long, value_name = "DATE", help_heading = "EPUB and JSON Feed options",
          value_parser = day)]
    pub since: Option<jiff::civil::Date>,
    /// Only posts dated on or before this day (YYYY-MM-DD, in the site's
    /// timezone).
    #[arg(long, value_name = "DATE", help_heading = "EPUB and JSON Feed options",
          value_parser = day)]
    pub until: Option<jiff::civil::Date>,
}

/// An `--image-timeout` value: a positive number of seconds (a fraction
/// allowed, for tests that wait for less than a second).
fn seconds(s: &str) -> Result<std::time::Duration, String> {
    match s.trim().parse::<f64>() {
        Ok(n) if n > 0.0 && n <= 3600.0 => Ok(std::time::Duration::from_secs_f64(n)),
        _ => Err("must be a number of seconds above 0 and at most 3600".into()),
    }
}

/// A `--since`/`--until` value: a real day written `YYYY-MM-DD`.
fn day(s: &str) -> Result<jiff::civil::Date, String> {
    let s = s.trim();
    let shaped = s.len() == 10
        && s.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    match s.parse::<jiff::civil::Date>() {
        Ok(d) if shaped => Ok(d),
        Ok(_) => Err("must be a day written YYYY-MM-DD".into()),
        Err(e) => Err(format!("must be a day written YYYY-MM-DD ({e})")),
    }
}

/// The values `--to` takes: each converter's name, described, with the
/// other names people type for it.
fn format_parser() -> PossibleValuesParser {
    PossibleValuesParser::new(converters::registry().into_iter().map(|c| {
        let also = match c.aliases() {
            [] => String::new(),
            names => format!(" (also: {})", names.join(", ")),
        };
        PossibleValue::new(c.name())
            .help(format!("{}{also}", c.description()))
            .aliases(c.aliases().iter().copied())
    }))
}

/// `--front-matter`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum FmArg {
    /// YAML between `---`.
    Yaml,
    /// TOML between `+++`.
    Toml,
}

/// `--group`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum GroupArg {
    /// By year.
    Year,
    /// By first category.
    Category,
    /// Flat.
    None,
}

/// `--order`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum OrderArg {
    /// Oldest post first.
    Oldest,
    /// Newest post first.
    Newest,
}

/// `inspect` options.
#[derive(Debug, clap::Args)]
pub struct InspectArgs {
    /// Site options.
    #[command(flatten)]
    pub site: SiteArgs,
    /// Print the IR as JSON.
    #[arg(long, conflicts_with_all = ["kind", "message_format"])]
    pub json: bool,
    /// With --json: add each document's rendered HTML.
    #[arg(long, requires = "json")]
    pub html: bool,
    /// List only documents of this kind: post, draft, page, item, or a
    /// collection's name.
    #[arg(long, value_name = "KIND")]
    pub kind: Option<String>,
}
