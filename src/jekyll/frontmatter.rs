//! Splitting a file into front matter and body, the way Jekyll's
//! `YAML_FRONT_MATTER_REGEXP` does, and reading the front matter.

use serde_json::{Map, Value};

use super::yaml;
use crate::diagnostics::Diagnostic;

/// A file's text cut in two.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    /// The front matter block, opening `---` line included, closing line
    /// excluded; `None` when the file has none (or it is never closed).
    pub front: Option<&'a str>,
    /// Everything after the closing line.
    pub body: &'a str,
    /// 1-based line where `body` starts.
    pub body_line: usize,
    /// True when the file opens with `---` but no closing `---`/`...` line
    /// follows: Jekyll then treats the whole file as body.
    pub unclosed: bool,
}

/// True when `text` opens with a `---` line, as Jekyll's `has_yaml_header?`
/// tests it (on the raw bytes: a byte-order mark in front means no).
pub fn has_yaml_header(bytes: &[u8]) -> bool {
    let Some(rest) = bytes.strip_prefix(b"---") else {
        return false;
    };
    // `\A---\s*\r?\n` on the first line only.
    let line_end = rest.iter().position(|b| *b == b'\n');
    match line_end {
        Some(i) => rest
            .get(..i)
            .is_some_and(|ws| ws.iter().all(|b| b.is_ascii_whitespace())),
        None => false,
    }
}

/// Splits `text` (already without a byte-order mark).
pub fn split(text: &str) -> Split<'_> {
    let whole = Split {
        front: None,
        body: text,
        body_line: 1,
        unclosed: false,
    };
    // Opening: `---` then whitespace up to a newline.
    let Some(after_dashes) = text.strip_prefix("---") else {
        return whole;
    };
    let first_nl = match after_dashes.find('\n') {
        Some(i) if after_dashes[..i].chars().all(char::is_whitespace) => i,
        _ => return whole,
    };
    // Byte offset where the second line starts.
    let mut pos = 3 + first_nl + 1;
    let mut line_no = 2;
    while pos <= text.len() {
        let rest = &text[pos..];
        if rest.is_empty() {
            break;
        }
        let line_len = rest.find('\n').unwrap_or(rest.len());
        let line = &rest[..line_len];
        let trimmed = line.trim_end();
        if (trimmed == "---" || trimmed == "...") && line.starts_with(trimmed) {
            let fence_end = pos + 3;
            let (body_start, lines_eaten) = after_fence(text, fence_end);
            return Split {
                front: Some(&text[..pos]),
                body: &text[body_start..],
                body_line: line_no + lines_eaten,
                unclosed: false,
            };
        }
        pos += line_len + 1;
        line_no += 1;
    }
    Split {
        unclosed: true,
        ..whole
    }
}

/// After the closing fence, Jekyll's `\s*$\n?` eats whitespace up to the
/// last line end inside the run of whitespace that follows. Returns the
/// byte offset where the body starts and how many newlines were eaten.
fn after_fence(text: &str, fence_end: usize) -> (usize, usize) {
    let rest = &text[fence_end..];
    let ws_len = rest
        .char_indices()
        .find(|(_, c)| !c.is_whitespace())
        .map(|(i, _)| i)
        .unwrap_or(rest.len());
    let ws = &rest[..ws_len];
    if ws_len == rest.len() {
        return (text.len(), ws.matches('\n').count());
    }
    match ws.rfind('\n') {
        Some(i) => (fence_end + i + 1, ws[..=i].matches('\n').count()),
        // Only blanks then text on the fence line: `$` cannot match, but the
        // line was already accepted as a fence only when it is bare.
        None => (fence_end + ws_len, 0),
    }
}

/// Front matter read from a file: the mapping, or what went wrong.
pub struct FrontMatter {
    /// The keys in source order (empty when there is none or it is broken).
    pub data: Map<String, Value>,
    /// Problems found, with lines in the file.
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses the front matter block of `file` (lines counted from the file's
/// first line, which is where the block starts).
pub fn parse(front: &str, file: &str) -> FrontMatter {
    let mut diagnostics = Vec::new();
    let data = match yaml::parse(front) {
        Ok(Value::Object(m)) => m,
        Ok(Value::Null) => Map::new(),
        Ok(other) => {
            diagnostics.push(
                Diagnostic::error(
                    "front-matter-not-a-map",
                    file,
                    format!(
                        "the front matter is a {} instead of `key: value` lines; it is ignored \
                         (Jekyll stops with an error here)",
                        json_kind(&other)
                    ),
                )
                .at(2, 1),
            );
            Map::new()
        }
        Err(e) => {
            diagnostics.push(
                Diagnostic::error(
                    "yaml-syntax",
                    file,
                    format!(
                        "broken YAML in the front matter: {}; the document is read with no front \
                         matter (Jekyll does the same); fix the YAML to keep its title, date and \
                         other settings",
                        e.message
                    ),
                )
                .at(e.line, e.column),
            );
            Map::new()
        }
    };
    FrontMatter { data, diagnostics }
}

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "list",
        Value::Object(_) => "map",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter_and_counts_body_line() {
        let s = split("---\ntitle: x\n---\nbody\n");
        assert_eq!(s.front, Some("---\ntitle: x\n"));
        assert_eq!(s.body, "body\n");
        assert_eq!(s.body_line, 4);
    }

    #[test]
    fn dots_close_and_blank_lines_after_fence_are_eaten() {
        let s = split("---\na: 1\n...\n\n\nbody");
        assert_eq!(s.body, "body");
        assert_eq!(s.body_line, 6);
    }

    #[test]
    fn triple_dash_inside_a_value_does_not_close() {
        let s = split("---\ntitle: Foo --- Bar\n---\n\nx");
        assert_eq!(s.front, Some("---\ntitle: Foo --- Bar\n"));
        assert_eq!(s.body, "x");
    }

    #[test]
    fn unclosed_front_matter_is_all_body() {
        let s = split("---\ntitle: x\nbody\n");
        assert!(s.unclosed);
        assert_eq!(s.front, None);
        assert_eq!(s.body, "---\ntitle: x\nbody\n");
    }

    #[test]
    fn crlf_and_empty_front_matter() {
        let s = split("---\r\n---\r\nhi\r\n");
        assert_eq!(s.front, Some("---\r\n"));
        assert_eq!(s.body, "hi\r\n");
        let s = split("---\n---\n");
        assert_eq!(s.body, "");
    }

    #[test]
    fn header_test_is_on_raw_bytes() {
        assert!(has_yaml_header(b"---\ntitle: x\n---\n"));
        assert!(has_yaml_header(b"--- \r\n"));
        assert!(!has_yaml_header(b"\xEF\xBB\xBF---\n"));
        assert!(!has_yaml_header(b"---"));
        assert!(!has_yaml_header(b"----\n"));
    }
}
