//! Front matter values turned into the IR's typed fields, and the
//! front-matter keys those fields take (everything else goes to `extra`).

use serde_json::{Map, Value};

use super::config::Config;
use super::dates;
use crate::diagnostics::Diagnostic;
use crate::ir::{DateTime, Document, Format};

/// Keys mapped to a typed field of `Document`.
const MAPPED: &[&str] = &[
    "title",
    "slug",
    "date",
    "last_modified_at",
    "updated",
    "categories",
    "category",
    "tags",
    "tag",
    "author",
    "authors",
    "description",
    "excerpt",
    "excerpt_separator",
    "published",
    "layout",
    "redirect_from",
    "permalink",
    "lang",
    "image",
];

/// A scalar as Ruby's `to_s` shows it.
pub fn to_s(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// `categories` / `tags` as Jekyll reads a plural key: a list, or a string
/// split on whitespace; a lone number is one item.
pub fn plural_list(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::String(s)) => s.split_whitespace().map(str::to_string).collect(),
        Some(Value::Array(items)) => items.iter().flat_map(flatten_item).collect(),
        Some(other) => to_s(other).into_iter().collect(),
        None => Vec::new(),
    }
}

/// A singular key (`category`, `tag`): one item, never split; a list is
/// flattened.
pub fn singular_list(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::Array(items)) => items.iter().flat_map(flatten_item).collect(),
        Some(other) => to_s(other).into_iter().collect(),
        None => Vec::new(),
    }
}

fn flatten_item(v: &Value) -> Vec<String> {
    match v {
        Value::Array(items) => items.iter().flat_map(flatten_item).collect(),
        other => to_s(other).into_iter().collect(),
    }
}

/// Appends the items of `more` not yet in `list`.
pub fn union(list: &mut Vec<String>, more: Vec<String>) {
    for m in more {
        if !list.contains(&m) {
            list.push(m);
        }
    }
}

/// How much a date that cannot be read matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateUse {
    /// A document's `date`: Jekyll stops the build on a bad one, and the
    /// date shapes the URL.
    DocumentDate,
    /// A date Jekyll itself never parses (a page's `date`,
    /// `last_modified_at`): a bad one only loses that field.
    Informational,
}

/// Reads a date value; reports what cannot be read as a date.
pub fn date_of(
    v: Option<&Value>,
    key: &str,
    cfg: &Config,
    file: &str,
    usage: DateUse,
    diags: &mut Vec<Diagnostic>,
) -> Option<DateTime> {
    let v = v?;
    if v.is_null() {
        return None;
    }
    let text = to_s(v).unwrap_or_else(|| v.to_string());
    match dates::parse_noting_rollover(&text, &cfg.zone) {
        Some((d, rolled)) => {
            if let Some(written) = rolled {
                diags.push(Diagnostic::warning(
                    "date-rolled-over",
                    file,
                    format!(
                        "`{key}: {text}`: {written} does not exist; Jekyll (Ruby) reads it as \
                         {}, and so does the migration, so the URL matches the old site; fix \
                         the date if that is not what was meant",
                        d.civil().date()
                    ),
                ));
            }
            Some(d)
        }
        None if dates::looks_like_date(&text) => {
            let severity = match usage {
                DateUse::DocumentDate => crate::diagnostics::Severity::Error,
                DateUse::Informational => crate::diagnostics::Severity::Warning,
            };
            diags.push(Diagnostic::new(
                severity,
                "date-out-of-range",
                file,
                format!(
                    "`{key}: {text}` is a real date but lies outside what this tool can represent \
                     (years -9999 to 9999-12-30); it is ignored{}",
                    if key == "date" {
                        " and the file name's date, if any, is used"
                    } else {
                        ""
                    }
                ),
            ));
            None
        }
        None if usage == DateUse::DocumentDate => {
            diags.push(Diagnostic::error(
                "invalid-date",
                file,
                format!(
                    "`{key}: {text}` is not a date Jekyll can read (Jekyll stops the build here); \
                     it is ignored; write it as YYYY-MM-DD HH:MM:SS +hhmm"
                ),
            ));
            None
        }
        None => {
            diags.push(Diagnostic::warning(
                "invalid-date",
                file,
                format!(
                    "`{key}: {text}` cannot be read as a date, so it is not carried over as one \
                     (it stays in the front matter as text)"
                ),
            ));
            None
        }
    }
}

/// Fills the typed fields of `doc` that come straight from the data, and
/// `extra` with the keys they do not take.
pub fn fill_common(
    doc: &mut Document,
    data: &Map<String, Value>,
    cfg: &Config,
    diags: &mut Vec<Diagnostic>,
) {
    let file = doc.source.clone();
    doc.title = data.get("title").and_then(to_s);
    doc.updated = date_of(
        data.get("last_modified_at").or_else(|| data.get("updated")),
        "last_modified_at",
        cfg,
        &file,
        DateUse::Informational,
        diags,
    );
    doc.authors = match data.get("authors").or_else(|| data.get("author")) {
        Some(Value::Object(m)) => m.get("name").and_then(to_s).into_iter().collect(),
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|i| match i {
                Value::Object(m) => m.get("name").and_then(to_s),
                other => to_s(other),
            })
            .collect(),
        Some(other) => to_s(other).into_iter().collect(),
        None => Vec::new(),
    };
    doc.description = data.get("description").and_then(to_s);
    doc.excerpt = data.get("excerpt").and_then(to_s);
    doc.excerpt_separator = data
        .get("excerpt_separator")
        .and_then(to_s)
        .unwrap_or_else(|| cfg.excerpt_separator.clone());
    // Jekyll's publisher drops a document whose `published` is false (or
    // null, which Ruby also reads as false).
    doc.published = !matches!(
        data.get("published"),
        Some(Value::Bool(false) | Value::Null)
    );
    doc.layout = data.get("layout").and_then(to_s);
    doc.redirect_from = plural_list_keep_spaces(data.get("redirect_from"))
        .into_iter()
        .map(|r| {
            if r.starts_with('/') {
                r
            } else {
                format!("/{r}")
            }
        })
        .collect();
    doc.permalink = match data.get("permalink") {
        Some(Value::String(p)) => Some(p.clone()),
        // `false`/`null` mean "no permalink" to Ruby.
        None | Some(Value::Null) | Some(Value::Bool(false)) => None,
        Some(other) => {
            diags.push(Diagnostic::warning(
                "permalink-not-text",
                &file,
                format!(
                    "`permalink: {other}` is not text; it is ignored and the default URL is used"
                ),
            ));
            None
        }
    };
    doc.lang = data.get("lang").and_then(to_s);
    doc.image = match data.get("image") {
        Some(Value::Object(m)) => ["path", "feature", "url", "teaser"]
            .iter()
            .find_map(|k| m.get(*k).and_then(to_s)),
        Some(other) => to_s(other),
        None => None,
    };
    doc.extra = data
        .iter()
        .filter(|(k, _)| !MAPPED.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    doc.format = format_of(&doc.ext, cfg);
}

/// A string or a list of strings, never split on spaces.
fn plural_list_keep_spaces(v: Option<&Value>) -> Vec<String> {
    singular_list(v)
}

/// The markup of a file from its extension.
pub fn format_of(ext: &str, cfg: &Config) -> Format {
    let lower = ext.to_lowercase();
    if cfg.is_markdown(ext) {
        Format::Markdown
    } else if matches!(lower.as_str(), ".html" | ".htm" | ".xhtml") {
        Format::Html
    } else {
        Format::Other(lower.trim_start_matches('.').to_string())
    }
}

/// The extension Jekyll writes a file with: markdown → `.html`, Sass →
/// `.css`, anything else unchanged; a permalink with an extension wins.
pub fn output_ext(ext: &str, permalink: Option<&str>, cfg: &Config) -> String {
    if let Some(p) = permalink.filter(|p| !p.ends_with('/')) {
        let e = super::source::extname(p);
        if !e.is_empty() {
            return e.to_string();
        }
    }
    let lower = ext.to_lowercase();
    if cfg.is_markdown(ext) {
        ".html".into()
    } else if lower == ".scss" || lower == ".sass" {
        ".css".into()
    } else {
        ext.to_string()
    }
}
