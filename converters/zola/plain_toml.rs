//! A page's front matter written straight into a string when every key and
//! value is plain, as the `toml` serialiser would write it: that serialiser
//! builds a document model per page, a tenth of a big Zola run's CPU.
//!
//! Plain means: keys that need no quotes, strings with nothing to escape or
//! choose a quoting style for, integers, booleans, dates, and arrays of
//! those. Anything else (floats, nested tables or arrays, double quotes,
//! backslashes, control characters) returns `None`, and the caller uses the
//! serialiser. A test checks this writer against it on many shapes.

use std::fmt::Write as _;

use super::frontmatter::PageFrontMatter;

/// `+++`-fenced TOML for `fm`, with room for `spare` more bytes, or `None`
/// when some value is not plain.
pub fn page(fm: &PageFrontMatter, spare: usize) -> Option<String> {
    let mut out = String::with_capacity(256 + spare);
    out.push_str("+++\n");
    let mut plain = false;
    if let Some(t) = &fm.title {
        string_entry(&mut out, "title", t)?;
        plain = true;
    }
    if let Some(t) = &fm.description {
        string_entry(&mut out, "description", t)?;
        plain = true;
    }
    if let Some(d) = &fm.date {
        let _ = writeln!(out, "date = {d}");
        plain = true;
    }
    if let Some(d) = &fm.updated {
        let _ = writeln!(out, "updated = {d}");
        plain = true;
    }
    if let Some(w) = fm.weight {
        // Beyond i64 the serialiser refuses the value: let it say so.
        i64::try_from(w).ok()?;
        let _ = writeln!(out, "weight = {w}");
        plain = true;
    }
    if let Some(b) = fm.draft {
        let _ = writeln!(out, "draft = {b}");
        plain = true;
    }
    if let Some(b) = fm.render {
        let _ = writeln!(out, "render = {b}");
        plain = true;
    }
    if let Some(p) = &fm.path {
        string_entry(&mut out, "path", p)?;
        plain = true;
    }
    if !fm.aliases.is_empty() {
        string_array_entry(&mut out, "aliases", &fm.aliases)?;
        plain = true;
    }
    if !fm.authors.is_empty() {
        string_array_entry(&mut out, "authors", &fm.authors)?;
        plain = true;
    }
    if !fm.taxonomies.is_empty() {
        table_header(&mut out, "taxonomies", plain);
        plain = true;
        for (k, v) in &fm.taxonomies {
            bare_key(k)?;
            string_array_entry(&mut out, k, v)?;
        }
    }
    if !fm.extra.is_empty() {
        table_header(&mut out, "extra", plain);
        for (k, v) in &fm.extra {
            bare_key(k)?;
            out.push_str(k);
            out.push_str(" = ");
            value(&mut out, v, true)?;
            out.push('\n');
        }
    }
    out.push_str("+++\n");
    Some(out)
}

/// A table header, after a blank line when something came before it.
fn table_header(out: &mut String, name: &str, after_something: bool) {
    if after_something {
        out.push('\n');
    }
    out.push('[');
    out.push_str(name);
    out.push_str("]\n");
}

fn string_entry(out: &mut String, key: &str, s: &str) -> Option<()> {
    out.push_str(key);
    out.push_str(" = ");
    string(out, s)?;
    out.push('\n');
    Some(())
}

fn string_array_entry(out: &mut String, key: &str, items: &[String]) -> Option<()> {
    out.push_str(key);
    out.push_str(" = [");
    for (i, s) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        string(out, s)?;
    }
    out.push_str("]\n");
    Some(())
}

/// A plain value; an array only at the top (`top` is false inside one).
fn value(out: &mut String, v: &toml::Value, top: bool) -> Option<()> {
    match v {
        toml::Value::String(s) => string(out, s)?,
        toml::Value::Integer(i) => {
            let _ = write!(out, "{i}");
        }
        toml::Value::Boolean(b) => {
            let _ = write!(out, "{b}");
        }
        toml::Value::Datetime(d) => {
            let _ = write!(out, "{d}");
        }
        toml::Value::Array(items) if top => {
            out.push('[');
            for (i, x) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                value(out, x, false)?;
            }
            out.push(']');
        }
        toml::Value::Array(_) | toml::Value::Float(_) | toml::Value::Table(_) => return None,
    }
    Some(())
}

/// A basic string, when it needs no escape and no other quoting style.
fn string(out: &mut String, s: &str) -> Option<()> {
    let plain = s
        .chars()
        .all(|c| !matches!(c, '"' | '\\' | '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}'));
    if !plain {
        return None;
    }
    out.push('"');
    out.push_str(s);
    out.push('"');
    Some(())
}

/// `Some` when `k` is a bare key (written without quotes).
fn bare_key(k: &str) -> Option<()> {
    let bare = !k.is_empty()
        && k.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    bare.then_some(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::converters::zola::frontmatter::{datetime, render};
    use crate::ir::DateTime;

    fn date(s: &str, offset_s: i32) -> Option<toml::value::Datetime> {
        datetime(&DateTime {
            instant: s.parse().unwrap(),
            offset: jiff::tz::Offset::from_seconds(offset_s).unwrap(),
        })
    }

    /// Strings of every kind the fast path must either write exactly as the
    /// serialiser does or refuse.
    const STRINGS: &[&str] = &[
        "",
        "plain",
        "Post 1: compiler travel 東京 library",
        "한국어 제목 ---",
        "ends with +++",
        "it's",
        "a \"quote\"",
        "back\\slash",
        "tab\there",
        "two\nlines",
        "cr\r",
        "nul\u{0}",
        "del\u{7f}",
        "c1\u{85}",
        "line sep\u{2028}",
        "bom\u{feff}",
        "emoji 🎉",
        "''' triple",
        "#hash [brackets] {braces} = equals",
    ];

    fn shapes() -> Vec<PageFrontMatter> {
        let mut all = Vec::new();
        for s in STRINGS {
            let mut fm = PageFrontMatter {
                title: Some(s.to_string()),
                ..Default::default()
            };
            all.push(fm.clone());
            fm.description = Some(format!("d {s}"));
            fm.path = Some("/a/b/".into());
            fm.aliases = vec!["/a/b.html".into(), s.to_string()];
            all.push(fm.clone());
            let mut e = PageFrontMatter::default();
            e.extra
                .insert("layout".into(), toml::Value::String(s.to_string()));
            all.push(e);
        }
        let full = PageFrontMatter {
            title: Some("Full".into()),
            description: Some("desc".into()),
            date: date("2017-05-01T10:34:56Z", 7200),
            updated: date("2018-01-01T00:00:00Z", 0),
            weight: Some(3),
            draft: Some(true),
            render: Some(false),
            path: Some("/p/".into()),
            aliases: vec!["/p.html".into()],
            authors: vec!["Ann".into(), "Bob".into()],
            ..Default::default()
        };
        all.push(full.clone());
        let mut t = full.clone();
        t.taxonomies
            .insert("categories".into(), vec!["travel".into()]);
        t.taxonomies
            .insert("tags".into(), vec!["a".into(), "b c".into()]);
        all.push(t.clone());
        let only_tax = PageFrontMatter {
            taxonomies: t.taxonomies.clone(),
            ..Default::default()
        };
        all.push(only_tax.clone());
        let mut x = t.clone();
        let values = [
            ("int", toml::Value::Integer(-42)),
            ("bool", toml::Value::Boolean(false)),
            ("float", toml::Value::Float(1.5)),
            (
                "date",
                toml::Value::Datetime(date("2001-02-03T04:05:06Z", -25200).unwrap()),
            ),
            ("empty", toml::Value::Array(Vec::new())),
            (
                "list",
                toml::Value::Array(vec![
                    toml::Value::String("x".into()),
                    toml::Value::Integer(1),
                    toml::Value::Boolean(true),
                ]),
            ),
            (
                "nested",
                toml::Value::Array(vec![toml::Value::Array(vec![toml::Value::Integer(1)])]),
            ),
            ("table", {
                let mut m = toml::Table::new();
                m.insert("k".into(), toml::Value::String("v".into()));
                toml::Value::Table(m)
            }),
            ("quoted key", toml::Value::Integer(1)),
            ("", toml::Value::Integer(1)),
            ("dotted.key", toml::Value::Integer(1)),
            ("ünicode", toml::Value::Integer(1)),
            ("Key_9-x", toml::Value::Integer(1)),
        ];
        for (k, v) in values {
            let mut one = only_tax.clone();
            one.extra.insert(k.to_string(), v.clone());
            all.push(one);
            let mut bare = PageFrontMatter::default();
            bare.extra.insert(k.to_string(), v.clone());
            all.push(bare);
            x.extra.insert(k.to_string(), v);
        }
        all.push(x);
        let mut big = full.clone();
        big.weight = Some(u64::MAX);
        all.push(big);
        all.push(PageFrontMatter::default());
        all
    }

    #[test]
    fn writes_what_the_serialiser_writes_or_declines() {
        let mut written = 0;
        for fm in shapes() {
            let slow = render(&fm);
            if let Some(fast) = page(&fm, 0) {
                written += 1;
                assert_eq!(Ok(fast), slow, "{fm:?}");
            }
        }
        // Most shapes are plain: a writer that always declined would pass
        // the comparison above without being of any use.
        assert!(written >= 40, "only {written} shapes written directly");
    }

    #[test]
    fn declines_what_needs_escapes_or_tables() {
        for s in ["a \"q\"", "b\\c", "x\ny", "\u{7f}"] {
            let fm = PageFrontMatter {
                title: Some(s.into()),
                ..Default::default()
            };
            assert_eq!(page(&fm, 0), None, "{s:?}");
        }
        let mut fm = PageFrontMatter::default();
        fm.extra.insert("f".into(), toml::Value::Float(0.5));
        assert_eq!(page(&fm, 0), None);
    }
}
