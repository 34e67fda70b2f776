//! Hugo front matter: which keys a migrated document gets, and writing them
//! as YAML (`---`) or TOML (`+++`) that Hugo reads back to the same values.
//!
//! Hugo's own keys (`title`, `date`, `lastmod`, `draft`, `slug`, `url`,
//! `aliases`, `tags`, `categories`, `summary`, `description`, `build`) sit
//! at the top; every other Jekyll key goes under `params` in source order.
//! `published` is never written: Hugo 0.135+ reads it as a date and fails.

use serde_json::{Map, Value};

use crate::converters::FrontMatterFormat;
use crate::diagnostics::Diagnostic;
use crate::ir::Document;

/// Jekyll keys that become Hugo keys (or are consumed) and so do not go to
/// `params`.
const MAPPED: &[&str] = &[
    "title",
    "date",
    "last_modified_at",
    "published",
    "permalink",
    "redirect_from",
    "tags",
    "tag",
    "categories",
    "category",
    "excerpt",
    "excerpt_separator",
    "slug",
    "description",
];

/// One front-matter value: a date is kept apart so it is written unquoted.
#[derive(Debug, Clone, PartialEq)]
pub enum FmValue {
    /// An RFC 3339 date-time with offset.
    Date(String),
    /// Anything else.
    Json(Value),
}

/// Ordered front matter of one document.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FrontMatter {
    /// Top-level Hugo keys, in writing order.
    pub top: Vec<(String, FmValue)>,
    /// `params`, in source order.
    pub params: Map<String, Value>,
}

/// Where the document is served and what else must redirect to it.
#[derive(Debug, Clone, Default)]
pub struct Placement {
    /// `url` (relative to the baseURL path), if one is written.
    pub url: Option<String>,
    /// `aliases`.
    pub aliases: Vec<String>,
    /// Hugo must not render it (`output: false` collections).
    pub render_never: bool,
    /// It is a section's or taxonomy's own page (`_index.*`), where Hugo
    /// would read a `slug` as the whole list's URL name.
    pub list_page: bool,
}

/// Builds the front matter of `d`.
pub fn build(d: &Document, place: &Placement) -> FrontMatter {
    let mut fm = FrontMatter::default();
    let mut put = |k: &str, v: FmValue| fm.top.push((k.to_string(), v));
    if let Some(t) = &d.title {
        put("title", FmValue::Json(Value::String(t.clone())));
    }
    if let Some(date) = &d.date {
        put("date", FmValue::Date(date.rfc3339()));
    }
    if let Some(up) = &d.updated {
        put("lastmod", FmValue::Date(up.rfc3339()));
    }
    if d.kind == crate::ir::DocKind::Draft || !d.published {
        put("draft", FmValue::Json(Value::Bool(true)));
    }
    if !d.slug.is_empty() && !place.list_page {
        put("slug", FmValue::Json(Value::String(d.slug.clone())));
    }
    if let Some(url) = &place.url {
        put("url", FmValue::Json(Value::String(url.clone())));
    }
    if !place.aliases.is_empty() {
        put("aliases", FmValue::Json(strings(&place.aliases)));
    }
    // A term Hugo could not write a page for goes to params instead.
    let (tags, unlisted_tags) = split_terms(&d.tags);
    let (categories, unlisted_categories) = split_terms(&d.categories);
    if !tags.is_empty() {
        put("tags", FmValue::Json(strings(&tags)));
    }
    if !categories.is_empty() {
        put("categories", FmValue::Json(strings(&categories)));
    }
    if let Some(ex) = &d.excerpt {
        put("summary", FmValue::Json(Value::String(ex.clone())));
    }
    if let Some(desc) = &d.description {
        put("description", FmValue::Json(Value::String(desc.clone())));
    }
    if place.render_never {
        let mut b = Map::new();
        b.insert("render".into(), Value::String("never".into()));
        put("build", FmValue::Json(Value::Object(b)));
    }
    // The whole front matter (after defaults) in source order; falls back to
    // `extra` when the reader left it empty.
    let source = if d.front_matter.is_empty() {
        &d.extra
    } else {
        &d.front_matter
    };
    for (k, v) in source {
        if MAPPED.contains(&k.as_str()) {
            continue;
        }
        fm.params.insert(k.clone(), v.clone());
    }
    for (key, long) in [
        ("unlisted_tags", unlisted_tags),
        ("unlisted_categories", unlisted_categories),
    ] {
        if !long.is_empty() {
            fm.params.insert(key.into(), strings(&long));
        }
    }
    fm
}

/// Bytes a term may take: Hugo writes its page in a folder named after it.
const MAX_TERM: usize = crate::urls::MAX_NAME - 10;

/// Why Hugo cannot give `term` a page of its own, if it cannot: too long
/// for a folder name ([`MAX_TERM`] bytes); named as a file Hugo writes in
/// the taxonomy's folder (`index.xml`, `index.html`) or its pages (`page`);
/// or made only of characters Hugo's URLs drop (`%`, `?`, `.`, emoji…),
/// which would put its page on the taxonomy's own list, or `..`, above it.
pub fn term_trouble(term: &str) -> Option<&'static str> {
    let urlized = term.trim().to_lowercase().replace(' ', "-");
    if term.len() > MAX_TERM {
        Some("is longer than a folder name may be")
    } else if matches!(urlized.as_str(), "index.xml" | "index.html" | "page") {
        Some("is a name Hugo gives its own files in the taxonomy")
    } else if term.contains("..")
        || !term
            .chars()
            .any(|c| c.is_alphanumeric() || "-_#+~@".contains(c))
    {
        Some("has no letter or digit Hugo keeps in a URL")
    } else {
        None
    }
}

/// `terms` split into those Hugo can give a page and those it cannot
/// ([`term_trouble`]), which [`build`] keeps in `params.unlisted_tags` /
/// `params.unlisted_categories`.
pub fn split_terms(terms: &[String]) -> (Vec<String>, Vec<String>) {
    terms
        .iter()
        .cloned()
        .partition(|t| term_trouble(t).is_none())
}

fn strings(v: &[String]) -> Value {
    Value::Array(v.iter().cloned().map(Value::String).collect())
}

/// Writes `fm` in `format`, with its delimiters and a final newline. Values
/// TOML cannot hold (`null`) are left out and reported against `file`.
pub fn write(fm: &FrontMatter, format: FrontMatterFormat, file: &str) -> (String, Vec<Diagnostic>) {
    match format {
        FrontMatterFormat::Yaml => (yaml(fm), Vec::new()),
        FrontMatterFormat::Toml => toml(fm, file),
    }
}

fn plain_key(k: &str) -> bool {
    !k.is_empty()
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && k.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
}

/// Appends `v` as JSON, which is valid YAML flow syntax: quoting every
/// string keeps YAML 1.1 readers from turning `yes`, `2014-01-01` or `1e3`
/// into other types.
fn push_json(out: &mut Vec<u8>, v: &Value) {
    let mark = out.len();
    if serde_json::to_writer(&mut *out, v).is_err() {
        out.truncate(mark);
        out.extend_from_slice(b"null");
    }
}

/// Words YAML 1.1 reads as booleans or null when they stand unquoted.
const YAML_WORDS: &[&str] = &["y", "n", "yes", "no", "on", "off", "true", "false", "null"];

fn push_yaml_key(out: &mut Vec<u8>, k: &str) {
    if plain_key(k) && !YAML_WORDS.iter().any(|w| k.eq_ignore_ascii_case(w)) {
        out.extend_from_slice(k.as_bytes());
    } else {
        push_json(out, &Value::String(k.to_string()));
    }
}

/// The YAML front matter, written into one buffer (a `format!` per line
/// and a string per value were a third of making a page's front matter).
fn yaml(fm: &FrontMatter) -> String {
    let mut s: Vec<u8> = Vec::with_capacity(512);
    s.extend_from_slice(b"---\n");
    for (k, v) in &fm.top {
        push_yaml_key(&mut s, k);
        s.extend_from_slice(b": ");
        match v {
            FmValue::Date(d) => s.extend_from_slice(d.as_bytes()),
            FmValue::Json(j) => push_json(&mut s, j),
        }
        s.push(b'\n');
    }
    if !fm.params.is_empty() {
        s.extend_from_slice(b"params:\n");
        for (k, v) in &fm.params {
            s.extend_from_slice(b"  ");
            push_yaml_key(&mut s, k);
            s.extend_from_slice(b": ");
            push_json(&mut s, v);
            s.push(b'\n');
        }
    }
    s.extend_from_slice(b"---\n");
    // Every piece is UTF-8 (keys and dates are `str`, JSON is UTF-8).
    String::from_utf8(s).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// A TOML basic string.
pub fn toml_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\u{:04X}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn toml_key(k: &str) -> String {
    if !k.is_empty()
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        k.to_string()
    } else {
        toml_str(k)
    }
}

/// An inline TOML value, or `None` for `null` (TOML has none).
fn toml_value(v: &Value) -> Option<String> {
    Some(match v {
        Value::Null => return None,
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => {
            let s = n.to_string();
            if n.is_f64() && !s.contains(['.', 'e', 'E']) {
                format!("{s}.0")
            } else {
                s
            }
        }
        Value::String(s) => toml_str(s),
        Value::Array(a) => {
            let items: Vec<String> = a.iter().filter_map(toml_value).collect();
            format!("[{}]", items.join(", "))
        }
        Value::Object(m) => {
            let items: Vec<String> = m
                .iter()
                .filter_map(|(k, v)| toml_value(v).map(|v| format!("{} = {v}", toml_key(k))))
                .collect();
            if items.is_empty() {
                "{}".to_string()
            } else {
                format!("{{ {} }}", items.join(", "))
            }
        }
    })
}

fn has_null(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Array(a) => a.iter().any(has_null),
        Value::Object(m) => m.values().any(has_null),
        _ => false,
    }
}

fn toml(fm: &FrontMatter, file: &str) -> (String, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut s = String::from("+++\n");
    for (k, v) in &fm.top {
        let val = match v {
            FmValue::Date(d) => Some(d.clone()),
            FmValue::Json(j) => toml_value(j),
        };
        if let Some(val) = val {
            s.push_str(&format!("{} = {val}\n", toml_key(k)));
        }
    }
    if !fm.params.is_empty() {
        s.push_str("[params]\n");
        for (k, v) in &fm.params {
            if has_null(v) {
                diags.push(Diagnostic::info(
                    "toml-null",
                    file,
                    format!("front-matter key {k:?} holds an empty (null) value, which TOML cannot write; it was left out (use --front-matter yaml to keep it)"),
                ));
            }
            if let Some(val) = toml_value(v) {
                s.push_str(&format!("{} = {val}\n", toml_key(k)));
            }
        }
    }
    s.push_str("+++\n");
    (s, diags)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{DateTime, DocKind};

    fn doc() -> Document {
        let mut d = Document::new(DocKind::Post, "_posts/2014-03-10-a.md");
        d.title = Some("yes: \"quoted\" #1".into());
        d.date = Some(DateTime {
            instant: "2014-03-11T06:30:00Z".parse().unwrap(),
            offset: jiff::tz::Offset::from_hours(-7).unwrap(),
        });
        d.published = false;
        d.slug = "a".into();
        d.tags = vec!["rust".into(), "go".into()];
        d.categories = vec!["blog".into()];
        d.excerpt = Some("Short.".into());
        let fm: Map<String, Value> = serde_json::from_str(
            r#"{"title":"x","published":false,"layout":"post","zeta":null,"alpha":{"b":[1,2.5,"on"]},"tags":"rust go"}"#,
        )
        .unwrap();
        d.front_matter = fm;
        d
    }

    fn place() -> Placement {
        Placement {
            url: Some("/2014/03/11/a.html".into()),
            aliases: vec!["/old/".into()],
            render_never: false,
            list_page: false,
        }
    }

    #[test]
    fn yaml_front_matter_reads_back() {
        let fm = build(&doc(), &place());
        let (text, diags) = write(&fm, FrontMatterFormat::Yaml, "x");
        assert!(diags.is_empty());
        assert!(!text.contains("published"));
        assert!(text.contains("date: 2014-03-10T23:30:00-07:00\n"), "{text}");
        let body = text.trim_start_matches("---\n").trim_end_matches("---\n");
        let docs = yaml_rust2::YamlLoader::load_from_str(body).unwrap();
        let y = &docs[0];
        assert_eq!(y["title"].as_str(), Some("yes: \"quoted\" #1"));
        assert_eq!(y["draft"].as_bool(), Some(true));
        assert_eq!(y["url"].as_str(), Some("/2014/03/11/a.html"));
        assert_eq!(y["aliases"][0].as_str(), Some("/old/"));
        assert_eq!(y["tags"][1].as_str(), Some("go"));
        assert_eq!(y["summary"].as_str(), Some("Short."));
        assert_eq!(y["params"]["layout"].as_str(), Some("post"));
        assert_eq!(y["params"]["alpha"]["b"][2].as_str(), Some("on"));
        // Params keep source order; mapped keys are not repeated.
        let keys: Vec<&str> = y["params"]
            .as_hash()
            .unwrap()
            .keys()
            .filter_map(|k| k.as_str())
            .collect();
        assert_eq!(keys, ["layout", "zeta", "alpha"]);
    }

    #[test]
    fn toml_front_matter_reads_back() {
        let fm = build(&doc(), &place());
        let (text, diags) = write(&fm, FrontMatterFormat::Toml, "x");
        assert_eq!(diags.len(), 1, "null param is reported");
        let body = text.trim_start_matches("+++\n").trim_end_matches("+++\n");
        let t: toml::Table = toml::from_str(body).unwrap();
        assert_eq!(t["title"].as_str(), Some("yes: \"quoted\" #1"));
        assert_eq!(
            t["date"].as_datetime().map(|d| d.to_string()).as_deref(),
            Some("2014-03-10T23:30:00-07:00")
        );
        assert_eq!(t["draft"].as_bool(), Some(true));
        assert_eq!(t["params"]["alpha"]["b"][1].as_float(), Some(2.5));
        assert!(t.get("published").is_none());
        assert!(t["params"].get("zeta").is_none());
    }
}
