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
//! written with ` UTC` appended when it has no offset (as Ruby prints such a
//! time), so later parsing gives the instant SafeYAML would.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;
use serde_json::{Map, Number, Value};
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser, Tag};
use yaml_rust2::scanner::{Marker, TScalarStyle};

mod fast;
mod quoted;

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
    // Most front matter is a few `key: value` lines, which a line reader
    // gives the same value for at a fraction of the full parser's cost.
    match fast::parse(text) {
        Some(v) => Ok(v),
        None => parse_full(text),
    }
}

/// [`parse`] with the full YAML parser, whatever the text.
fn parse_full(text: &str) -> Result<Value, YamlError> {
    // The YAML crate recurses once per nesting level, and documents are read
    // on threads with small stacks: refuse deep nesting before parsing.
    if let Some((line, column)) = too_deep_flow(text) {
        return Err(YamlError {
            line,
            column,
            message: format!("brackets nested more than {MAX_FLOW_DEPTH} levels deep"),
        });
    }
    if let Some(line) = too_deep_block(text) {
        return Err(YamlError {
            line,
            column: MAX_BLOCK_INDENT + 1,
            message: format!("indented more than {MAX_BLOCK_INDENT} columns"),
        });
    }
    let mut fixed: Option<String> = None;
    // Each round re-indents one quoted scalar Psych would have read and
    // parses again; the rounds are bounded so that a big data file full of
    // them costs a few parses, not hundreds.
    let rounds = MAX_REINDENTS.min(1 + REINDENT_BYTES / text.len().max(1));
    for _ in 0..=rounds {
        let now = fixed.as_deref().unwrap_or(text);
        let mut builder = Builder::default();
        let mut parser = Parser::new_from_str(now);
        if let Err(e) = parser.load(&mut builder, false) {
            let m = e.marker();
            if e.info() == quoted::UNDER_INDENTED {
                if let Some(t) = quoted::reindent(now, m.line(), m.col()) {
                    fixed = Some(t);
                    continue;
                }
            }
            return Err(YamlError {
                line: m.line(),
                column: m.col() + 1,
                message: e.info().to_string(),
            });
        }
        if let Some(err) = builder.error {
            return Err(err);
        }
        return Ok(builder.root.unwrap_or(Value::Null));
    }
    Err(YamlError {
        line: 1,
        column: 1,
        message: format!(
            "more than {rounds} quoted values continue on lines indented less than their key; indent those lines"
        ),
    })
}

/// How many under-indented quoted scalars one text may hold.
const MAX_REINDENTS: usize = 256;
/// About how many bytes the parses of one text for re-indenting may read.
const REINDENT_BYTES: usize = 16 << 20;

/// Flow collections (`[`/`{`) nested deeper than this are refused.
const MAX_FLOW_DEPTH: usize = 64;

/// Where unclosed `[`/`{` first go past [`MAX_FLOW_DEPTH`] (counting every
/// bracket, quoted or not: a false alarm needs 64 unclosed brackets).
fn too_deep_flow(text: &str) -> Option<(usize, usize)> {
    let mut depth = 0usize;
    let (mut line, mut column) = (1, 0);
    for c in text.chars() {
        column += 1;
        match c {
            '\n' => {
                line += 1;
                column = 0;
            }
            '[' | '{' => {
                depth += 1;
                if depth > MAX_FLOW_DEPTH {
                    return Some((line, column));
                }
            }
            ']' | '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// Lines whose indentation (spaces and `- `/`? `/`: ` indicators) passes
/// this many columns are refused: block nesting is bounded by it.
const MAX_BLOCK_INDENT: usize = 256;

/// The first line indented past [`MAX_BLOCK_INDENT`].
fn too_deep_block(text: &str) -> Option<usize> {
    text.lines().enumerate().find_map(|(i, l)| {
        let rest = l.trim_start_matches([' ', '\t', '-', '?', ':']);
        (l.len() - rest.len() > MAX_BLOCK_INDENT).then_some(i + 1)
    })
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

/// Deeper nesting is refused: no front matter needs it, and dropping or
/// printing a value recurses once per level.
const MAX_DEPTH: usize = 200;

/// More values than this (aliases expanded) are refused, so a "billion
/// laughs" document cannot exhaust memory.
const MAX_NODES: usize = 1_000_000;

#[derive(Default)]
struct Builder {
    stack: Vec<Frame>,
    root: Option<Value>,
    /// Anchored values with their number of nodes.
    anchors: HashMap<usize, (Value, usize)>,
    /// Values built so far, aliases counted in full.
    nodes: usize,
    /// Where the current event is, for errors found while placing a value.
    mark: (usize, usize),
    error: Option<YamlError>,
}

/// The number of values in `v`, itself included.
/// Mapping keys count too, one per 8 bytes: a key that is itself a
/// collection becomes its JSON text, and keys made of keys made of
/// aliases grew past any size (a 1.5 KB input took 9 s, found by fuzzing).
fn node_count(v: &Value) -> usize {
    match v {
        Value::Array(items) => 1 + items.iter().map(node_count).sum::<usize>(),
        Value::Object(m) => {
            1 + m
                .iter()
                .map(|(k, v)| k.len() / 8 + node_count(v))
                .sum::<usize>()
        }
        _ => 1,
    }
}

impl Builder {
    /// Places a finished value into the enclosing container (or as the root).
    fn push_value(&mut self, value: Value, anchor: usize) {
        if anchor > 0 {
            let n = node_count(&value);
            self.anchors.insert(anchor, (value.clone(), n));
        }
        match self.stack.last_mut() {
            None => {
                if self.root.is_none() {
                    self.root = Some(value);
                }
            }
            Some(Frame::Seq { items, .. }) => items.push(value),
            Some(Frame::Map { map, key, .. }) => match key.take() {
                None => {
                    if !matches!(value, Value::String(_) | Value::Null) {
                        // Written out as text: charged as a copy.
                        let n = node_count(&value);
                        if self.nodes + n > MAX_NODES {
                            self.error = Some(YamlError {
                                line: self.mark.0,
                                column: self.mark.1,
                                message: format!(
                                    "keys that are collections expand to more than {MAX_NODES} values"
                                ),
                            });
                            return;
                        }
                        self.nodes += n;
                    }
                    *key = Some(key_string(&value));
                }
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
        self.mark = (mark.line(), mark.col() + 1);
        match ev {
            Event::Scalar(text, style, anchor, tag) => {
                self.nodes += 1;
                let v = scalar(text, style, tag.as_ref());
                self.push_value(v, anchor);
            }
            Event::SequenceStart(..) | Event::MappingStart(..) if self.stack.len() >= MAX_DEPTH => {
                self.error = Some(YamlError {
                    line: mark.line(),
                    column: mark.col() + 1,
                    message: format!("nested more than {MAX_DEPTH} levels deep"),
                });
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
            Event::Alias(id) => match self.anchors.get(&id) {
                Some((_, n)) if self.nodes + n > MAX_NODES => {
                    self.error = Some(YamlError {
                        line: mark.line(),
                        column: mark.col() + 1,
                        message: format!("aliases expand to more than {MAX_NODES} values"),
                    });
                }
                Some((v, n)) => {
                    self.nodes += n;
                    let v = v.clone();
                    self.push_value(v, 0);
                }
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
    LazyLock::new(|| re(r"^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]+(?:[eE][-+][0-9]+)?$"));
static FLOAT_SEXA: LazyLock<Regex> =
    LazyLock::new(|| re(r"^[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\.[0-9_]*$"));
/// YAML 1.1 timestamp with a time part and no offset: SafeYAML's pattern
/// with its optional offset group left out, since only that case changes
/// the value (a match, not captures, is all it takes).
static TIME_NO_OFFSET: LazyLock<Regex> = LazyLock::new(|| {
    re(r"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|\s+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?\s*$")
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
    // Every number and time form needs an ASCII digit (Ruby's `\d`); most
    // scalars in front matter are words, which then skip eight regexes.
    let has_digit = text.bytes().any(|b| b.is_ascii_digit());
    // The integer and float forms hold nothing but these bytes; a date with
    // a time, or a title with a number in it, has a space and skips them.
    let numeric_bytes = text
        .bytes()
        .all(|b| b.is_ascii_hexdigit() || b"xXbB_,:.+-".contains(&b));
    if has_digit && numeric_bytes {
        if let Some(v) = to_integer(&text) {
            return v;
        }
        if let Some(v) = to_float(&text) {
            return v;
        }
    }
    let lower = text.to_ascii_lowercase();
    match lower.as_str() {
        "" | "~" | "null" => return Value::Null,
        "true" | "yes" | "on" => return Value::Bool(true),
        "false" | "no" | "off" => return Value::Bool(false),
        _ => {}
    }
    if has_digit && TIME_NO_OFFSET.is_match(&text) {
        // SafeYAML reads a time with no offset as UTC.
        return Value::String(format!("{} UTC", text.trim_end()));
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

    /// Psych reads a quoted value whose later lines start at column 0 (an
    /// editor's wrap; www.ruby-lang.org has such a post); the value is
    /// folded as if they were indented.
    #[test]
    fn quoted_values_continued_at_column_0_are_read_like_psych() {
        let v =
            parse("layout: post\ntitle: \"Concurso 2022 - serán\njuzgados por Matz\"\nlang: es\n")
                .unwrap();
        assert_eq!(
            v,
            json!({"layout": "post", "title": "Concurso 2022 - serán juzgados por Matz", "lang": "es"})
        );
        let v = parse("a:\n  t: 'one\ntwo'\n  u: \"x\n\ny\"\nb: 1\n").unwrap();
        assert_eq!(v, json!({"a": {"t": "one two", "u": "x\ny"}, "b": 1}));
        // A document marker inside the scalar is refused, as libyaml does.
        assert!(parse("t: \"a\n...\nb\"\n").is_err());
    }

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
        assert_eq!(v["a"], json!("2010-01-10 13:07:09 UTC"));
        assert_eq!(v["b"], json!("2010-01-10"));
        assert_eq!(v["c"], json!("2017-05-01 01:21:12 -0700"));
        // Ruby's `\d` is ASCII: other scripts' digits make neither a time
        // nor a number.
        let v = parse("a: ٢٠١٠-٠١-١٠ ١٣:٠٧:٠٩\nb: ١.٥\n").unwrap();
        assert_eq!(v["a"], json!("٢٠١٠-٠١-١٠ ١٣:٠٧:٠٩"));
        assert_eq!(v["b"], json!("١.٥"));
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
    fn deep_nesting_and_garbage_give_errors_not_panics() {
        let deep = "[".repeat(100_000);
        assert_eq!(parse(&deep).unwrap_err().column, 65);
        assert!(parse(&"[a, ".repeat(60)).is_err());
        assert!(parse("a: [[[1]], {b: [2]}]").is_ok());
        let deep_map = (0..1000)
            .map(|i| format!("{}k:\n", "  ".repeat(i)))
            .collect::<String>();
        assert_eq!(parse(&deep_map).map_err(|e| e.line), Err(130));
        assert!(parse(&"- ".repeat(500)).is_err());
        // A cheap deterministic byte soup.
        let table = b"-:[]{}&*!|>'\"%@` #?,\n\tab01.";
        let mut x: u32 = 12345;
        for _ in 0..300 {
            let s: String = (0..64)
                .map(|_| {
                    x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                    char::from(table[(x >> 16) as usize % table.len()])
                })
                .collect();
            let _ = parse(&s);
        }
    }

    #[test]
    fn alias_bombs_are_refused() {
        let mut doc = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..9 {
            let refs = vec![format!("*a{}", i - 1); 10].join(", ");
            doc.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
        }
        let e = parse(&doc).unwrap_err();
        assert!(e.message.contains("aliases expand"), "{e:?}");
    }

    #[test]
    fn keys_made_of_collections_cannot_grow_without_end() {
        // Each level's keys hold the level below twice, as JSON text: the
        // text doubles with every level, while the values stay few.
        let mut doc = String::from("k0: &k0 {a: b}\n");
        for i in 1..40 {
            let p = i - 1;
            doc.push_str(&format!("k{i}: &k{i} {{? *k{p} : 1, ? [*k{p}] : 2}}\n"));
        }
        let e = parse(&doc).unwrap_err();
        assert!(e.message.contains("expand to more than"), "{e:?}");
        assert!(e.line >= 10, "{e:?}");
        // Such keys are still read when they are small.
        let v = parse("{? [a, b] : 1}").expect("parses");
        assert_eq!(v.to_string(), r#"{"[\"a\",\"b\"]":1}"#);
    }

    #[test]
    fn empty_document_is_null() {
        assert_eq!(parse("").unwrap(), Value::Null);
        assert_eq!(parse("---\n").unwrap(), Value::Null);
    }
}
