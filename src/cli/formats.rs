//! `--to` and the flags that belong to one format: a flag given with a
//! format it does not apply to is a usage error, not silently ignored.

use clap::parser::ValueSource;
use clap::ArgMatches;

use crate::converters;

/// A `convert` flag that only some formats read.
struct FormatFlag {
    /// The clap id (the field name).
    id: &'static str,
    /// As typed.
    flag: &'static str,
    /// The `--to` names of the formats that read it.
    formats: &'static [&'static str],
}

/// Every format-specific flag of `convert`.
const FORMAT_FLAGS: &[FormatFlag] = &[
    FormatFlag {
        id: "front_matter",
        flag: "--front-matter",
        formats: &["hugo"],
    },
    FormatFlag {
        id: "limit",
        flag: "--limit",
        formats: &["jsonfeed"],
    },
    FormatFlag {
        id: "page_size",
        flag: "--page-size",
        formats: &["jsonfeed"],
    },
    FormatFlag {
        id: "group",
        flag: "--group",
        formats: &["epub"],
    },
    FormatFlag {
        id: "order",
        flag: "--order",
        formats: &["epub"],
    },
    FormatFlag {
        id: "cover",
        flag: "--cover",
        formats: &["epub"],
    },
    FormatFlag {
        id: "include_pages",
        flag: "--include-pages",
        formats: &["epub"],
    },
    FormatFlag {
        id: "fetch_images",
        flag: "--fetch-images",
        formats: &["epub"],
    },
    FormatFlag {
        id: "allow_http",
        flag: "--allow-http",
        formats: &["epub"],
    },
    FormatFlag {
        id: "image_cache",
        flag: "--image-cache",
        formats: &["epub"],
    },
    FormatFlag {
        id: "image_timeout",
        flag: "--image-timeout",
        formats: &["epub"],
    },
    FormatFlag {
        id: "image_max_size",
        flag: "--image-max-size",
        formats: &["epub"],
    },
    FormatFlag {
        id: "max_image_width",
        flag: "--max-image-width",
        formats: &["epub"],
    },
    FormatFlag {
        id: "max_book_size",
        flag: "--max-book-size",
        formats: &["epub"],
    },
    FormatFlag {
        id: "tag",
        flag: "--tag",
        formats: BOOK_AND_FEED,
    },
    FormatFlag {
        id: "category",
        flag: "--category",
        formats: BOOK_AND_FEED,
    },
    FormatFlag {
        id: "since",
        flag: "--since",
        formats: BOOK_AND_FEED,
    },
    FormatFlag {
        id: "until",
        flag: "--until",
        formats: BOOK_AND_FEED,
    },
];

/// The formats that choose posts (`--tag`, `--since`, …).
const BOOK_AND_FEED: &[&str] = &["epub", "jsonfeed"];

/// The name people know a format by, for messages.
fn shown_name(format: &str) -> &str {
    match format {
        "hugo" => "Hugo",
        "zola" => "Zola",
        "jsonfeed" => "JSON Feed",
        "epub" => "EPUB",
        other => other,
    }
}

/// The first flag given on the command line that `format` does not read,
/// worded as the usage error.
pub fn misplaced_flag(matches: &ArgMatches, format: &str) -> Option<String> {
    FORMAT_FLAGS
        .iter()
        .filter(|f| !f.formats.contains(&format))
        .find(|f| matches.value_source(f.id) == Some(ValueSource::CommandLine))
        .map(|f| {
            let names: Vec<&str> = f.formats.iter().map(|n| shown_name(n)).collect();
            let tos: Vec<String> = f.formats.iter().map(|n| format!("--to {n}")).collect();
            format!(
                "{} is an option of {} ({}); it does not apply to --to {format}",
                f.flag,
                names.join(" and "),
                tos.join(", ")
            )
        })
}

/// The message for a `convert` without `--to`: every format, one a line.
pub fn missing_format() -> String {
    let mut s = String::from("choose an output format with --to FORMAT:\n");
    for c in converters::registry() {
        let aliases = c.aliases();
        let also = if aliases.is_empty() {
            String::new()
        } else {
            format!(" (also: {})", aliases.join(", "))
        };
        s.push_str(&format!("  {:<9} {}{also}\n", c.name(), c.description()));
    }
    s
}
