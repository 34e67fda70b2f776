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
pub fn render<T: Serialize>(fm: &T) -> Result<String, String> {
    let body = toml::to_string(fm).map_err(|e| e.to_string())?;
    // A line ending in `+++` or `---` would close Zola's front matter early;
    // the plain (non-pretty) serialiser writes every string on one line, so
    // only a key could end that way, and keys are quoted. Checked anyway.
    if let Some(bad) = body
        .lines()
        .find(|l| l.trim_end().ends_with("+++") || l.trim_end().ends_with("---"))
    {
        return Err(format!(
            "front matter line {bad:?} would end Zola's front matter early"
        ));
    }
    Ok(format!("+++\n{body}+++\n"))
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
    fn nulls_are_dropped_and_reported() {
        let v: Value = serde_json::json!({"a": null, "b": [1, null], "c": {"d": null}});
        let mut dropped = Vec::new();
        let t = json_map_to_table(v.as_object().unwrap(), "", &mut dropped);
        assert_eq!(dropped, vec!["a", "b[1]", "c.d"]);
        assert_eq!(t["b"].as_array().map(Vec::len), Some(1));
    }
}
