//! `--to` and the flags that belong to one format: a flag given with a
//! format it does not apply to is a usage error, not silently ignored.

use clap::parser::ValueSource;
use clap::ArgMatches;

use crate::converters;

/// A `convert` flag that only one format reads.
struct FormatFlag {
    /// The clap id (the field name).
    id: &'static str,
    /// As typed.
    flag: &'static str,
    /// The `--to` name of the format that reads it.
    format: &'static str,
}

/// Every format-specific flag of `convert`.
const FORMAT_FLAGS: &[FormatFlag] = &[
    FormatFlag {
        id: "front_matter",
        flag: "--front-matter",
        format: "hugo",
    },
    FormatFlag {
        id: "limit",
        flag: "--limit",
        format: "jsonfeed",
    },
    FormatFlag {
        id: "page_size",
        flag: "--page-size",
        format: "jsonfeed",
    },
    FormatFlag {
        id: "group",
        flag: "--group",
        format: "epub",
    },
    FormatFlag {
        id: "order",
        flag: "--order",
        format: "epub",
    },
    FormatFlag {
        id: "cover",
        flag: "--cover",
        format: "epub",
    },
    FormatFlag {
        id: "include_pages",
        flag: "--include-pages",
        format: "epub",
    },
];

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
        .filter(|f| f.format != format)
        .find(|f| matches.value_source(f.id) == Some(ValueSource::CommandLine))
        .map(|f| {
            format!(
                "{} is an option of {} (--to {}); it does not apply to --to {format}",
                f.flag,
                shown_name(f.format),
                f.format
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
