//! YAML as Jekyll reads it, behind one function so the YAML crate can be
//! swapped in one place.
//!
//! Jekyll loads front matter and `_config.yml` with SafeYAML on top of Ruby's
//! Psych, which follows YAML 1.1: `yes`/`no`/`on`/`off` are booleans, unquoted
//! `2010-01-10` is a date and `2010-01-10 13:07:09` a time (UTC when it names
//! no offset), `0755` is octal and `1_000` is an integer. Only *plain*
//! (unquoted) scalars are typed; quoted and block scalars stay strings.
//!
//! Values come out as `serde_json::Value` with keys in source order. Dates and
//! times stay strings (JSON has no date type): a date as written, a time as
//! written with ` +00:00` appended when it has no offset, so later parsing
//! gives the instant SafeYAML would.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;
use serde_json::{Map, Number, Value};
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser, Tag};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// Why a YAML text could not be read, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    /// 1-based line in the parsed text.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// What the parser said.
    pub message: String,
}

/// Parses one YAML document. An empty document gives `Value::Null`.
pub fn parse(text: &str) -> Result<Value, YamlError> {
    let mut builder = Builder::default();
    let mut parser = Parser::new_from_str(text);
    if let Err(e) = parser.load(&mut builder, false) {
        let m = e.marker();
        return Err(YamlError {
            line: m.line(),
            column: m.col() + 1,
            message: e.info().to_string(),
        });
    }
    if let Some(err) = builder.error {
        return Err(err);
    }
    Ok(builder.root.unwrap_or(Value::Null))
}

/// A container being filled while events arrive.
enum Frame {
    Seq {
        anchor: usize,
        items: Vec<Value>,
    },
    Map {
        anchor: usize,
        map: Map<String, Value>,
        /// The key read, waiting for its value.
        key: Option<String>,
    },
}

#[derive(Default)]
struct Builder {
    stack: Vec<Frame>,
    root: Option<Value>,
    anchors: HashMap<usize, Value>,
    error: Option<YamlError>,
}

impl Builder {
    /// Places a finished value into the enclosing container (or as the root).
    fn push_value(&mut self, value: Value, anchor: usize) {
        if anchor > 0 {
            self.anchors.insert(anchor, value.clone());
        }
        match self.stack.last_mut() {
            None => {
                if self.root.is_none() {
                    self.root = Some(value);
                }
            }
            Some(Frame::Seq { items, .. }) => items.push(value),
            Some(Frame::Map { map, key, .. }) => match key.take() {
                None => *key = Some(key_string(&value)),
                Some(k) if k == "<<" => merge_into(map, value),
                Some(k) => {
                    // Psych keeps the last of duplicate keys.
                    map.insert(k, value);
                }
            },
        }
    }
}

/// Applies a YAML merge key (`<<: *base` or `<<: [*a, *b]`), as Psych does:
/// the merged entries replace the ones already there.
fn merge_into(map: &mut Map<String, Value>, value: Value) {
    match value {
        Value::Object(other) => {
            for (k, v) in other {
                map.insert(k, v);
            }
        }
        Value::Array(items) => {
            for item in items {
                if let Value::Object(other) = item {
                    for (k, v) in other {
                        map.insert(k, v);
                    }
                }
            }
        }
        other => {
            map.insert("<<".to_string(), other);
        }
    }
}

/// A mapping key as a string (Ruby would keep `1` or `true` as non-string
/// keys; Liquid and our JSON both want strings).
fn key_string(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        if self.error.is_some() {
            return;
        }
        match ev {
            Event::Scalar(text, style, anchor, tag) => {
                let v = scalar(text, style, tag.as_ref());
                self.push_value(v, anchor);
            }
            Event::SequenceStart(anchor, _) => self.stack.push(Frame::Seq {
                anchor,
                items: Vec::new(),
            }),
            Event::MappingStart(anchor, _) => self.stack.push(Frame::Map {
                anchor,
                map: Map::new(),
                key: None,
            }),
            Event::SequenceEnd | Event::MappingEnd => {
                let (value, anchor) = match self.stack.pop() {
                    Some(Frame::Seq { anchor, items }) => (Value::Array(items), anchor),
                    Some(Frame::Map { anchor, map, .. }) => (Value::Object(map), anchor),
                    None => return,
                };
                self.push_value(value, anchor);
            }
            Event::Alias(id) => match self.anchors.get(&id).cloned() {
                Some(v) => self.push_value(v, 0),
                None => {
                    self.error = Some(YamlError {
                        line: mark.line(),
                        column: mark.col() + 1,
                        message: "alias names an anchor that is not defined before it".into(),
                    })
                }
            },
            _ => {}
        }
    }
}

// SafeYAML's matchers, in the order it tries them.
static INT_DEC: LazyLock<Regex> = LazyLock::new(|| re(r"^[-+]?(0|[1-9][0-9_,]*)$"));
static INT_OCT: LazyLock<Regex> = LazyLock::new(|| re(r"^0[0-7]+$"));
static INT_HEX: LazyLock<Regex> = LazyLock::new(|| re(r"^[-+]?0x[0-9a-fA-F_]+$"));
static INT_BIN: LazyLock<Regex> = LazyLock::new(|| re(r"^0b[01_]+$"));
static INT_SEXA: LazyLock<Regex> = LazyLock::new(|| re(r"^[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+$"));
static FLOAT: LazyLock<Regex> =
    LazyLock::new(|| re(r"^[-+]?(?:\d[\d_]*)?\.[\d_]+(?:[eE][-+]\d+)?$"));
static FLOAT_SEXA: LazyLock<Regex> =
    LazyLock::new(|| re(r"^[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\.[0-9_]*$"));
/// YAML 1.1 timestamp with a time part, as SafeYAML matches it.
static TIME: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^\d{4}-\d{1,2}-\d{1,2}(?:[Tt]|\s+)\d{1,2}:\d{2}:\d{2}(?:\.\d*)?\s*(Z|[-+]\d{1,2}(?::?\d{2})?)?$",
    )
});

fn re(s: &str) -> Regex {
    // The patterns are constants checked by the tests below.
    Regex::new(s).unwrap_or_else(|e| panic!("bad built-in pattern {s}: {e}"))
}

/// Types one scalar the way SafeYAML does.
fn scalar(text: String, style: TScalarStyle, tag: Option<&Tag>) -> Value {
    if let Some(t) = tag {
        // `!!str 123` forces a string; other tags are ignored, as SafeYAML
        // ignores them in safe mode.
        if t.suffix == "str" {
            return Value::String(text);
        }
    }
    if style != TScalarStyle::Plain {
        return Value::String(text);
    }
    plain_scalar(text)
}

/// SafeYAML's transforms of a plain scalar: integer, float, null,
/// boolean, date — the first that matches wins.
fn plain_scalar(text: String) -> Value {
    if let Some(v) = to_integer(&text) {
        return v;
    }
    if let Some(v) = to_float(&text) {
        return v;
    }
    let lower = text.to_ascii_lowercase();
    match lower.as_str() {
        "" | "~" | "null" => return Value::Null,
        "true" | "yes" | "on" => return Value::Bool(true),
        "false" | "no" | "off" => return Value::Bool(false),
        _ => {}
    }
    if let Some(c) = TIME.captures(&text) {
        if c.get(1).is_none() {
            // SafeYAML reads a time with no offset as UTC.
            return Value::String(format!("{} +00:00", text.trim_end()));
        }
    }
    // Dates (and times with an offset) stay as written.
    Value::String(text)
}

fn to_integer(text: &str) -> Option<Value> {
    // SafeYAML drops `_` and `,` before trying the integer forms.
    let t: String = text.chars().filter(|c| *c != '_' && *c != ',').collect();
    let parsed = if INT_DEC.is_match(&t) {
        t.parse::<i64>().ok()
    } else if INT_OCT.is_match(&t) {
        i64::from_str_radix(&t[1..], 8).ok()
    } else if INT_HEX.is_match(&t) {
        let (neg, body) = split_sign(&t);
        i64::from_str_radix(&body[2..], 16)
            .ok()
            .map(|n| if neg { -n } else { n })
    } else if INT_BIN.is_match(&t) {
        i64::from_str_radix(&t[2..], 2).ok()
    } else if INT_SEXA.is_match(&t) {
        let (neg, body) = split_sign(&t);
        let mut total: i64 = 0;
        for part in body.split(':') {
            total = total
                .checked_mul(60)?
                .checked_add(part.parse::<i64>().ok()?)?;
        }
        Some(if neg { -total } else { total })
    } else {
        return None;
    };
    // Too large for JSON's integers: keep the text.
    Some(parsed.map_or_else(
        || Value::String(text.to_string()),
        |n| Value::Number(n.into()),
    ))
}

fn to_float(text: &str) -> Option<Value> {
    let number = if FLOAT.is_match(text) {
        let clean: String = text.chars().filter(|c| *c != '_').collect();
        clean.parse::<f64>().ok()
    } else if FLOAT_SEXA.is_match(text) {
        let (neg, body) = split_sign(text);
        let clean: String = body.chars().filter(|c| *c != '_').collect();
        let mut total = 0.0;
        for part in clean.split(':') {
            total = total * 60.0 + part.parse::<f64>().ok()?;
        }
        Some(if neg { -total } else { total })
    } else {
        return None;
    };
    // `.inf`/`.nan` have no JSON form; they stay text.
    Some(
        number
            .and_then(Number::from_f64)
            .map_or_else(|| Value::String(text.to_string()), Value::Number),
    )
}

fn split_sign(t: &str) -> (bool, &str) {
    match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn yaml_1_1_scalars_are_typed_like_psych() {
        let v = parse(
            "a: yes\nb: Off\nc: 0755\nd: 1_000\ne: 1.5\nf: ~\ng: 'yes'\nh: 0x1f\ni: 1:30\nj: y\n",
        )
        .unwrap();
        assert_eq!(
            v,
            json!({"a": true, "b": false, "c": 493, "d": 1000, "e": 1.5, "f": null,
                   "g": "yes", "h": 31, "i": 90, "j": "y"})
        );
        // SafeYAML quirks: commas vanish from integers, `1e5` is text, and
        // a float needs digits after its dot.
        let v = parse("a: 1,000\nb: 1e5\nc: 1.\nd: .5\ne: 12:30\nf: NULL\ng: 0b101\n").unwrap();
        assert_eq!(
            v,
            json!({"a": 1000, "b": "1e5", "c": "1.", "d": 0.5, "e": 750, "f": null, "g": 5})
        );
    }

    #[test]
    fn times_without_offset_are_utc_and_dates_stay_as_written() {
        let v =
            parse("a: 2010-01-10 13:07:09\nb: 2010-01-10\nc: 2017-05-01 01:21:12 -0700\n").unwrap();
        assert_eq!(v["a"], json!("2010-01-10 13:07:09 +00:00"));
        assert_eq!(v["b"], json!("2010-01-10"));
        assert_eq!(v["c"], json!("2017-05-01 01:21:12 -0700"));
    }

    #[test]
    fn keys_keep_source_order_and_merge_keys_apply() {
        let v = parse("base: &b\n  x: 1\n  y: 2\nz: 0\nm:\n  <<: *b\n  y: 3\n").unwrap();
        let keys: Vec<_> = v.as_object().unwrap().keys().cloned().collect();
        assert_eq!(keys, ["base", "z", "m"]);
        assert_eq!(v["m"], json!({"x": 1, "y": 3}));
    }

    #[test]
    fn syntax_errors_carry_line_and_column() {
        let e = parse("title: ok\ntags: [a, b\nx: 1\n").unwrap_err();
        assert!(e.line >= 2, "{e:?}");
        assert!(e.column >= 1);
    }

    #[test]
    fn empty_document_is_null() {
        assert_eq!(parse("").unwrap(), Value::Null);
        assert_eq!(parse("---\n").unwrap(), Value::Null);
    }
}
