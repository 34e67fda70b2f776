//! A reader for the front matter most posts have — top-level `key: value`
//! lines with plain, simply quoted or flow-list values, and block lists of
//! plain items — that gives the same value as the full YAML parser without
//! its event machinery. Anything else makes it step aside (`None`), and
//! the full parser reads the text; a test holds the two equal.

use serde_json::{Map, Value};

use super::{key_string, plain_scalar};

/// Texts longer than this go to the full parser, which bounds their size.
const MAX_FAST_LEN: usize = 16 * 1024;

/// Characters that may not start a plain scalar (YAML's indicators).
const INDICATORS: &[u8] = b"-?:,[]{}#&*!|>'\"%@`";

/// The value of `text` when it is in the simple form, else `None`.
pub(super) fn parse(text: &str) -> Option<Value> {
    if text.len() > MAX_FAST_LEN || !text.bytes().all(|b| b >= 0x20 || b == b'\n') {
        return None;
    }
    // YAML 1.1 also breaks lines at NEL, LS and PS, and the BOM is special.
    if text.contains(['\u{85}', '\u{2028}', '\u{2029}', '\u{feff}']) {
        return None;
    }
    let mut map = Map::new();
    // The key whose value is a block list being read, with the list's indent.
    let mut list: Option<(String, Vec<Value>, Option<usize>)> = None;
    let mut any = false;
    // Front matter comes with its opening `---` line (so that lines count
    // from the file's first): a document start marker and nothing else.
    let mut lines = text.split('\n').peekable();
    if lines
        .next_if(|l| l.starts_with("---") && l[3..].bytes().all(|b| b == b' '))
        .is_none()
    {
        lines = text.split('\n').peekable();
    }
    for line in lines {
        let trimmed = line.trim_start_matches(' ');
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        if let Some(item) = trimmed.strip_prefix("- ") {
            let (_, items, indent) = list.as_mut()?;
            let here = line.len() - trimmed.len();
            if *indent.get_or_insert(here) != here {
                return None;
            }
            items.push(block_value(item)?);
            continue;
        }
        if trimmed.len() != line.len() {
            return None;
        }
        if let Some((key, items, _)) = list.take() {
            finish(&mut map, key, items)?;
        }
        let (key, value) = line.split_once(':')?;
        let key = simple_key(key)?;
        any = true;
        if value.is_empty() || value.bytes().all(|b| b == b' ') {
            list = Some((key, Vec::new(), None));
            continue;
        }
        let value = value.strip_prefix(' ')?;
        insert(&mut map, key, block_value(value)?)?;
    }
    if let Some((key, items, _)) = list.take() {
        finish(&mut map, key, items)?;
    }
    any.then_some(Value::Object(map))
}

/// Places a key whose value was empty: `null`, or the block list under it.
fn finish(map: &mut Map<String, Value>, key: String, items: Vec<Value>) -> Option<()> {
    let value = if items.is_empty() {
        Value::Null
    } else {
        Value::Array(items)
    };
    insert(map, key, value)
}

fn insert(map: &mut Map<String, Value>, key: String, value: Value) -> Option<()> {
    // A merge key needs the full parser's rules.
    if key == "<<" {
        return None;
    }
    // As the full parser: the last of duplicate keys wins, in the first's place.
    map.insert(key, value);
    Some(())
}

/// A key of ASCII letters, digits, `_` and `-`, typed as the full parser
/// types a plain key (`yes` is `true`) and then made a string.
fn simple_key(key: &str) -> Option<String> {
    let b = key.as_bytes();
    let ok = !b.is_empty()
        && b[0] != b'-'
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-'));
    ok.then(|| key_string(&plain_scalar(key.to_string())))
}

/// A value in block context: a plain scalar, a quoted string without
/// escapes, or a flow list of plain scalars.
fn block_value(v: &str) -> Option<Value> {
    let v = v.trim_matches(' ');
    let first = *v.as_bytes().first()?;
    match first {
        b'"' | b'\'' => quoted(v, first),
        b'[' => flow_list(v),
        _ => plain(v, false),
    }
}

/// `"text"` or `'text'` with no quote or backslash inside.
fn quoted(v: &str, q: u8) -> Option<Value> {
    let inner = v.strip_prefix(q as char)?.strip_suffix(q as char)?;
    let bad = |b: u8| b == q || b == b'\\';
    (!inner.bytes().any(bad)).then(|| Value::String(inner.to_string()))
}

/// `[a, b c, 3]`: items that are plain scalars; `[]` is an empty list.
fn flow_list(v: &str) -> Option<Value> {
    let inner = v.strip_prefix('[')?.strip_suffix(']')?;
    if inner.bytes().all(|b| b == b' ') {
        return Some(Value::Array(Vec::new()));
    }
    inner
        .split(',')
        .map(|item| plain(item.trim_matches(' '), true))
        .collect::<Option<Vec<_>>>()
        .map(Value::Array)
}

/// A plain scalar typed as the full parser types it. Refuses anything a
/// plain scalar could end at or be read otherwise with: indicators first,
/// `: `, ` #`, a trailing `:`, brackets, and in a flow list `:` at all.
fn plain(v: &str, in_flow: bool) -> Option<Value> {
    let b = v.as_bytes();
    let first = *b.first()?;
    if INDICATORS.contains(&first) || b.contains(&b'\t') {
        return None;
    }
    if b.iter().any(|c| matches!(c, b'[' | b']' | b'{' | b'}')) {
        return None;
    }
    if v.contains(": ") || v.contains(" #") || v.ends_with(':') || (in_flow && v.contains(':')) {
        return None;
    }
    Some(plain_scalar(v.to_string()))
}

#[cfg(test)]
mod tests {
    use super::super::parse_full;
    use super::parse;

    /// The fast reader either steps aside or agrees with the full parser.
    fn agrees(doc: &str) -> bool {
        match parse(doc) {
            Some(v) => {
                assert_eq!(Ok(v), parse_full(doc), "fast and full differ on {doc:?}");
                true
            }
            None => false,
        }
    }

    #[test]
    fn usual_front_matter_is_read_fast_and_the_same() {
        for doc in [
            "layout: post\ntitle: \"Post 0: travel 東京\"\ndate: 2005-01-01 00:37:27 -0500\n\
             categories: [food]\ntags: [photos, howto]\n",
            "title: 'It is'\ndate: 2010-01-10 13:07:09\npublished: no\nweight: 0755\n",
            "tags:\n  - jekyll\n  - rust 2\nempty:\ncomments: true\n# a note\n",
            "categories: jekyll update\nyes: 1_000\nurl: http://x.org/a#b\nlang: C#\n",
            "---\ntitle: With its fence\n",
            "---  \ntitle: Fence and blanks\n",
        ] {
            assert!(agrees(doc), "not read fast: {doc:?}");
        }
    }

    #[test]
    fn anything_unusual_goes_to_the_full_parser() {
        for doc in [
            "a: |\n  text\n",
            "a: b\n  continued\n",
            "a: &x 1\nb: *x\n",
            "<<: {a: 1}\n",
            "a: b: c\n",
            "a: 'it''s'\n",
            "a: \"tab\\t\"\n",
            "a:b\n",
            "a: [x, [y]]\n",
            "a: x\r\nb: y\r\n",
            "\u{feff}a: b\n",
            "- a\n- b\n",
            "tags:\n  - a\n - b\n",
            "a: x #c\n",
            "",
            "--- a: b\n",
            "---\n---\na: b\n",
            "a: b\n---\n",
        ] {
            assert_eq!(parse(doc), None, "{doc:?}");
        }
    }

    /// Documents assembled from awkward pieces; wherever the fast reader
    /// answers, its answer must be the full parser's.
    #[test]
    fn generated_documents_agree_with_the_full_parser() {
        let keys = [
            "title", "yes", "0755", "tags", "a-b", "_x", "<<", "my key", "-k", "2010", "null",
            "Off", "k1",
        ];
        let seps = [": ", ":", ":  ", " : ", ": \t", ":   "];
        let values = [
            "word",
            "two words",
            "\"q\"",
            "'q'",
            "\"a\\\"b\"",
            "[a, b]",
            "[]",
            "[ ]",
            "[a,,b]",
            "[a, b,]",
            "[-1, 2]",
            "a: b",
            "a #c",
            "C#",
            "http://x/#y",
            "yes",
            "~",
            "",
            "2010-01-10 13:07:09",
            "2017-05-01 01:21:12 -0700",
            "1_000",
            "-1",
            "|",
            "&a x",
            "*a",
            "!!str 1",
            "東京 博客",
            "a:b",
            "[a:b]",
            "[a, [b]]",
            "{a: b}",
            "\"\"",
            "''",
            "'it''s'",
            "say \"hi\"",
            "it's",
            "a ,b",
            "%x",
            "@x",
            "`x`",
            "x:",
            "- a",
            "? x",
            "=",
            ".inf",
            "1.5",
            "0x1f",
            "12:30",
            "1,000",
            "[yes, 0755, 1.5, ~]",
            "x ]",
            "[a] b",
            "'a' b",
            "\"a\" ",
            "[ a , b ]",
            "NULL",
            "a\u{2028}b",
            "1e5",
        ];
        let extra = [
            "  - item",
            "- item",
            "    - item",
            "  continued",
            "# comment",
            "  # comment",
            "",
            "---",
            "...",
            "  - \"q\"",
            "  - [a]",
            "  -",
            "-",
            "  - a: b",
            "  - yes",
            "- 12:30",
            "--- ",
            "--- a",
        ];
        let mut x: u32 = 7;
        let mut next = |n: usize| {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            (x >> 16) as usize % n
        };
        let mut fast = 0;
        for _ in 0..30_000 {
            let mut doc = String::new();
            for _ in 0..1 + next(4) {
                if next(4) == 0 {
                    doc.push_str(extra[next(extra.len())]);
                } else {
                    doc.push_str(keys[next(keys.len())]);
                    doc.push_str(seps[next(seps.len())]);
                    doc.push_str(values[next(values.len())]);
                }
                doc.push('\n');
            }
            fast += usize::from(agrees(&doc));
        }
        // The generator must exercise the fast reader, not only its refusals.
        assert!(fast > 1_000, "only {fast} documents were read fast");
    }

    /// Every front matter in the corpus of real sites.
    #[test]
    fn corpus_front_matter_agrees_with_the_full_parser() {
        let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
        let (mut seen, mut fast) = (0, 0);
        for entry in walkdir::WalkDir::new(&corpus).into_iter().flatten() {
            let Ok(text) = std::fs::read_to_string(entry.path()) else {
                continue;
            };
            // The text exactly as the reader hands it over.
            let Some(front) = crate::jekyll::frontmatter::split(&text).front else {
                continue;
            };
            // Every front matter must agree; how many are read fast is a
            // fact of real sites, not of the conformance suites' odd cases
            // (golden-liquid's and kramdown's tests).
            let suite = entry.path().components().any(|c| {
                let c = c.as_os_str().to_string_lossy();
                c == "golden-liquid" || c.starts_with("kd-")
            });
            let read_fast = agrees(front);
            if !suite {
                seen += 1;
                fast += usize::from(read_fast);
            }
        }
        eprintln!("{fast} of {seen} corpus front matters of real sites read fast");
        assert!(seen > 300 && fast > seen / 2, "{fast} of {seen} read fast");
    }
}
