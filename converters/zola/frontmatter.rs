//! TOML front matter with only the keys Zola knows.
//!
//! Pages and sections are typed structs serialised by the `toml` crate, so
//! every value is quoted and escaped by the serialiser and plain keys always
//! come before `[taxonomies]` and `[extra]` (a key after a table header would
//! land inside that table: `aliases` after `[extra]` silently stops being a
//! redirect). Anything Zola has no key for goes under `[extra]`.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use crate::ir::DateTime;

/// A page's front matter, in the order Zola documents its keys.
#[derive(Debug, Clone, Default, Serialize)]
pub struct PageFrontMatter {
    /// Title.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Publication date, a TOML offset date-time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<toml::value::Datetime>,
    /// Last update, a TOML offset date-time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updated: Option<toml::value::Datetime>,
    /// Sort weight.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weight: Option<u64>,
    /// Draft (Jekyll drafts and `published: false`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub draft: Option<bool>,
    /// `false` for items of collections Jekyll does not write.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub render: Option<bool>,
    /// The URL path.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Redirects to this page.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// Authors.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub authors: Vec<String>,
    /// Taxonomy terms, by taxonomy name.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub taxonomies: BTreeMap<String, Vec<String>>,
    /// Everything else.
    #[serde(skip_serializing_if = "toml::Table::is_empty")]
    pub extra: toml::Table,
}

/// A section's front matter (`_index.md`): Zola rejects any other key.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SectionFrontMatter {
    /// Title.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `date` when every page of the section has a date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sort_by: Option<String>,
    /// `false` for sections that only group files (no page at their URL).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub render: Option<bool>,
    /// Redirects to this section.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// Everything else.
    #[serde(skip_serializing_if = "toml::Table::is_empty")]
    pub extra: toml::Table,
}

/// Serialises front matter between `+++` lines.
///
/// Zola's front matter ends at the first `+++` followed by a line end, even
/// inside a multi-line string, and the serialiser writes strings holding
/// newlines as `"""` strings. A line of such a string that ends in `+++` (or
/// `---`, which ends YAML front matter for tools that guess the format) gets
/// its last character written as a `\u` escape. A `'''` string has no
/// escapes, so that case is an error for the caller to report.
pub fn render<T: Serialize>(fm: &T) -> Result<String, String> {
    let body = toml::to_string(fm).map_err(|e| e.to_string())?;
    let body = escape_line_ends(&body)?;
    Ok(format!("+++\n{body}+++\n"))
}

/// Where the TOML lexer is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Lex {
    Normal,
    Basic,
    Literal,
    MlBasic,
    MlLiteral,
    Comment,
}

/// See [`render`].
fn escape_line_ends(toml_text: &str) -> Result<String, String> {
    // Only a line ending in `+++` or `---` is changed (or refused); most
    // front matter has none, and is then not lexed at all.
    let risky = toml_text.split('\n').any(|l| {
        let l = l.trim_end_matches('\r');
        l.ends_with("+++") || l.ends_with("---")
    });
    if !risky {
        return Ok(toml_text.to_string());
    }
    let mut out = String::with_capacity(toml_text.len());
    let mut state = Lex::Normal;
    let mut rest = toml_text;
    let mut line_start = 0;
    // Start (in `out`) of the `'''` string being read, and whether one of its
    // lines must change: it is then rewritten as a one-line basic string.
    let mut literal_start = 0;
    let mut literal_bad = false;
    while let Some(c) = rest.chars().next() {
        // How many bytes of `rest` to copy as they are, and the next state.
        let (n, next) = match state {
            Lex::Normal if rest.starts_with("\"\"\"") => (3, Lex::MlBasic),
            Lex::Normal if rest.starts_with("'''") => (3, Lex::MlLiteral),
            Lex::Normal if c == '"' => (1, Lex::Basic),
            Lex::Normal if c == '\'' => (1, Lex::Literal),
            Lex::Normal if c == '#' => (1, Lex::Comment),
            Lex::Basic | Lex::MlBasic if c == '\\' => {
                let escaped = rest[1..].chars().next().map_or(0, char::len_utf8);
                (1 + escaped, state)
            }
            Lex::Basic if c == '"' => (1, Lex::Normal),
            Lex::Literal if c == '\'' => (1, Lex::Normal),
            // A closing delimiter may be followed by up to two more quotes
            // that belong to the string.
            Lex::MlBasic if rest.starts_with("\"\"\"") => {
                (rest.bytes().take_while(|b| *b == b'"').count(), Lex::Normal)
            }
            Lex::MlLiteral if rest.starts_with("'''") => (
                rest.bytes().take_while(|b| *b == b'\'').count(),
                Lex::Normal,
            ),
            _ => (c.len_utf8(), state),
        };
        if c == '\n' {
            let line = out[line_start..].trim_end_matches('\r');
            if (line.ends_with("+++") || line.ends_with("---")) && state == Lex::MlLiteral {
                literal_bad = true;
            } else if line.ends_with("+++") || line.ends_with("---") {
                if state != Lex::MlBasic {
                    return Err(format!(
                        "the front matter line {line:?} would end Zola's front matter early and cannot be escaped"
                    ));
                }
                let cut = line_start + line.len() - 1;
                let esc = if out[cut..].starts_with('+') {
                    "\\u002B"
                } else {
                    "\\u002D"
                };
                let tail = out[cut + 1..].to_string();
                out.truncate(cut);
                out.push_str(esc);
                out.push_str(&tail);
            }
            out.push('\n');
            line_start = out.len();
            rest = &rest[1..];
            if state == Lex::Comment {
                state = Lex::Normal;
            }
            continue;
        }
        if state != Lex::MlLiteral && next == Lex::MlLiteral {
            literal_start = out.len();
            literal_bad = false;
        }
        out.push_str(&rest[..n]);
        rest = &rest[n..];
        if state == Lex::MlLiteral && next == Lex::Normal && literal_bad {
            // `'''` + content + `'''`, where a newline right after the
            // opening delimiter is not part of the value.
            let raw = &out[literal_start + 3..out.len() - 3];
            let value = raw.strip_prefix('\n').unwrap_or(raw);
            // JSON string escapes are a subset of TOML basic-string escapes.
            let basic = serde_json::to_string(value).map_err(|e| e.to_string())?;
            out.truncate(literal_start);
            out.push_str(&basic);
        }
        state = next;
    }
    Ok(out)
}

/// An IR date as a TOML offset date-time (`2017-05-01T12:34:56+02:00`).
pub fn datetime(d: &DateTime) -> Option<toml::value::Datetime> {
    d.rfc3339().parse().ok()
}

/// A JSON value as TOML. `null` has no TOML form: it is dropped and its key
/// path reported in `dropped`.
pub fn json_to_toml(v: &Value, key: &str, dropped: &mut Vec<String>) -> Option<toml::Value> {
    Some(match v {
        Value::Null => {
            dropped.push(key.to_string());
            return None;
        }
        Value::Bool(b) => toml::Value::Boolean(*b),
        Value::Number(n) => match n.as_i64() {
            Some(i) => toml::Value::Integer(i),
            None => toml::Value::Float(n.as_f64().unwrap_or(0.0)),
        },
        Value::String(s) => toml::Value::String(s.clone()),
        Value::Array(a) => toml::Value::Array(
            a.iter()
                .enumerate()
                .filter_map(|(i, x)| json_to_toml(x, &format!("{key}[{i}]"), dropped))
                .collect(),
        ),
        Value::Object(m) => toml::Value::Table(json_map_to_table(m, key, dropped)),
    })
}

/// A JSON object as a TOML table (see [`json_to_toml`]).
pub fn json_map_to_table(
    m: &serde_json::Map<String, Value>,
    prefix: &str,
    dropped: &mut Vec<String>,
) -> toml::Table {
    let mut t = toml::Table::new();
    for (k, v) in m {
        let path = if prefix.is_empty() {
            k.clone()
        } else {
            format!("{prefix}.{k}")
        };
        if let Some(x) = json_to_toml(v, &path, dropped) {
            t.insert(k.clone(), x);
        }
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_keys_come_before_tables_and_dates_are_bare() {
        let d = DateTime {
            instant: "2017-05-01T10:34:56Z".parse().unwrap(),
            offset: jiff::tz::Offset::from_seconds(7200).unwrap(),
        };
        let mut fm = PageFrontMatter {
            title: Some("A \"quoted\" title ---".into()),
            date: datetime(&d),
            path: Some("/x/".into()),
            aliases: vec!["/x.html".into()],
            ..Default::default()
        };
        fm.taxonomies.insert("tags".into(), vec!["a".into()]);
        fm.extra
            .insert("layout".into(), toml::Value::String("post".into()));
        let out = render(&fm).unwrap();
        assert!(out.contains("date = 2017-05-01T12:34:56+02:00\n"), "{out}");
        let aliases = out.find("aliases").unwrap();
        let tax = out.find("[taxonomies]").unwrap();
        let extra = out.find("[extra]").unwrap();
        assert!(aliases < tax && tax < extra, "{out}");
        let parsed: toml::Table = toml::from_str(&out[4..out.len() - 4]).unwrap();
        assert_eq!(parsed["title"].as_str(), Some("A \"quoted\" title ---"));
    }

    #[test]
    fn multi_line_strings_never_end_a_line_in_delimiters() {
        let mut fm = PageFrontMatter::default();
        let tricky = "part one ---\nx +++\nplain";
        let quoted = "a \"\"\"q\"\"\" ---\nb";
        fm.extra
            .insert("sep".into(), toml::Value::String(tricky.into()));
        fm.extra
            .insert("quoted".into(), toml::Value::String(quoted.into()));
        let out = render(&fm).unwrap();
        let inner = &out[4..out.len() - 4];
        assert!(
            inner
                .lines()
                .all(|l| !l.ends_with("---") && !l.ends_with("+++")),
            "{out}"
        );
        let parsed: toml::Table = toml::from_str(inner).unwrap();
        assert_eq!(parsed["extra"]["sep"].as_str(), Some(tricky));
        assert_eq!(parsed["extra"]["quoted"].as_str(), Some(quoted));
    }

    #[test]
    fn nulls_are_dropped_and_reported() {
        let v: Value = serde_json::json!({"a": null, "b": [1, null], "c": {"d": null}});
        let mut dropped = Vec::new();
        let t = json_map_to_table(v.as_object().unwrap(), "", &mut dropped);
        assert_eq!(dropped, vec!["a", "b[1]", "c.d"]);
        assert_eq!(t["b"].as_array().map(Vec::len), Some(1));
    }
}
