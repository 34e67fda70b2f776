//! kramdown's dialect, as a pass over the source before CommonMark parsing:
//! block HTML kept whole (kramdown does not end it at a blank line),
//! `markdown="1"`, `{::comment}`, `{::nomarkdown}`, `{::options}`, ALDs,
//! abbreviation definitions and `$$` math. What must not be touched by the
//! Markdown parser goes into a [`Stash`] and stands in the text as a marker.

use crate::fast_hash::FastMap as HashMap;
use std::sync::LazyLock;

use regex::Regex;

/// Start of a stash marker.
pub(crate) const STASH_OPEN: char = '\u{E010}';
/// End of a stash marker.
pub(crate) const STASH_CLOSE: char = '\u{E011}';

/// HTML set aside while Markdown is parsed.
#[derive(Debug, Default)]
pub(crate) struct Stash(pub Vec<String>);

impl Stash {
    /// Stores `html`; returns the marker to put in the text.
    pub(crate) fn put(&mut self, html: String) -> String {
        self.0.push(html);
        format!("{STASH_OPEN}{}{STASH_CLOSE}", self.0.len() - 1)
    }

    /// Replaces markers in `html` by their content (a marker alone in a
    /// paragraph replaces the paragraph).
    pub(crate) fn restore(&self, html: String) -> String {
        let mut out = html;
        // Each stashed block is used once, so the result is never larger
        // than the text plus the stash; anything past a generous bound is a
        // forged marker expanding itself, and expansion stops there.
        let bound = 4 * (out.len() + self.0.iter().map(String::len).sum::<usize>()) + (1 << 20);
        // Stashed HTML may hold markers of its own (nested blocks); a few
        // rounds resolve them.
        for _ in 0..8 {
            if !out.contains(STASH_OPEN) || out.len() > bound {
                break;
            }
            // Markers alone in a paragraph first, then the rest (which
            // includes those the first replacements brought in).
            out = self.replace_markers(&out, true);
            out = self.replace_markers(&out, false);
        }
        out
    }

    /// `text` with every marker (with `in_paragraph`, every
    /// `<p>marker</p>` and the line end after it) replaced by its content,
    /// left to right; a stashed block's own markers are left for the next
    /// call.
    fn replace_markers(&self, text: &str, in_paragraph: bool) -> String {
        let (opener, opener_len) = if in_paragraph {
            (&STASH_P_OPEN, "<p>".len() + STASH_OPEN.len_utf8())
        } else {
            (&STASH_BARE_OPEN, STASH_OPEN.len_utf8())
        };
        let mut out = String::new();
        let mut copied = 0;
        let mut from = 0;
        while let Some(at) = text
            .get(from..)
            .and_then(|t| opener.find(t))
            .map(|p| p + from)
        {
            let digits_at = at + opener_len;
            let rest = &text[digits_at..];
            let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
            let after = &rest[digits..];
            let tail = if in_paragraph {
                after
                    .strip_prefix(STASH_CLOSE)
                    .and_then(|a| a.strip_prefix("</p>"))
                    .map(|a| a.strip_prefix('\n').unwrap_or(a))
            } else {
                after.strip_prefix(STASH_CLOSE)
            };
            let Some(tail) = tail.filter(|_| digits > 0) else {
                // No match can start inside the opener.
                from = digits_at;
                continue;
            };
            if out.capacity() == 0 {
                out.reserve(text.len() + 256);
            }
            out.push_str(&text[copied..at]);
            out.push_str(self.get(&rest[..digits]));
            copied = text.len() - tail.len();
            from = copied;
        }
        if copied == 0 {
            return text.to_string();
        }
        out.push_str(&text[copied..]);
        out
    }

    fn get(&self, idx: &str) -> &str {
        idx.parse::<usize>()
            .ok()
            .and_then(|i| self.0.get(i))
            .map_or("", String::as_str)
    }
}

/// What a marker alone in a paragraph starts with ([`STASH_OPEN`]).
static STASH_P_OPEN: crate::find::Needle = crate::find::Needle::new("<p>\u{E010}");
/// What any marker starts with ([`STASH_OPEN`]).
static STASH_BARE_OPEN: crate::find::Needle = crate::find::Needle::new("\u{E010}");

/// HTML elements kramdown treats as blocks when they start a line.
const BLOCK_TAGS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "button",
    "canvas",
    "center",
    "dd",
    "details",
    "dir",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "html",
    "iframe",
    "legend",
    "li",
    "main",
    "map",
    "math",
    "menu",
    "nav",
    "noscript",
    "ol",
    "p",
    "pre",
    "script",
    "section",
    "style",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
    "video",
    "audio",
    "object",
    "svg",
    "picture",
];

const VOID_TAGS: &[&str] = &[
    "hr", "br", "img", "input", "meta", "link", "source", "embed",
];

static OPEN_TAG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^ {0,3}<([A-Za-z][A-Za-z0-9-]*)(\s[^>]*)?(/?)>").unwrap_or_else(|_| unreachable!())
});
static MARKDOWN_ATTR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"\s+markdown\s*=\s*("[^"]*"|'[^']*'|\S+)"#).unwrap_or_else(|_| unreachable!())
});
static ALD: LazyLock<Regex> = LazyLock::new(|| {
    // kramdown's ALD names are Ruby's ASCII `\w`.
    Regex::new(r"^ {0,3}\{:((?-u:[\w-])+):\s*([^}]*)\}\s*$").unwrap_or_else(|_| unreachable!())
});
static ABBR_DEF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^ {0,3}\*\[([^\]]+)\]:\s*(.*)$").unwrap_or_else(|_| unreachable!())
});
static EXT_OPTIONS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^ {0,3}\{::options\b[^}]*/\}\s*$").unwrap_or_else(|_| unreachable!())
});
static SPAN_COMMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\{::comment\}.*?\{:/(?:comment)?\}").unwrap_or_else(|_| unreachable!())
});
static SPAN_NOMARKDOWN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\{::nomarkdown\}(.*?)\{:/(?:nomarkdown)?\}").unwrap_or_else(|_| unreachable!())
});
static INLINE_MATH: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\$\$(.+?)\$\$").unwrap_or_else(|_| unreachable!()));

/// What the pre-pass learned besides the rewritten text.
#[derive(Debug, Default)]
pub(crate) struct Extracted {
    /// Abbreviations: text → title.
    pub abbreviations: Vec<(String, String)>,
    /// ALDs: name → attribute list text.
    pub alds: HashMap<String, String>,
}

/// Span extensions (`{::comment}…{:/}`), searched for on every line with a
/// kept searcher (as is inline math, by [`crate::find::MATH_DELIMITER`]).
static SPAN_EXT_OPEN: crate::find::Needle = crate::find::Needle::new("{::");

/// Rewrites kramdown-only block constructs. `render_inner` renders Markdown
/// (for `markdown="1"` content).
pub(crate) fn preprocess(
    src: &str,
    stash: &mut Stash,
    extracted: &mut Extracted,
    render_inner: &dyn Fn(&str, &mut Stash) -> String,
) -> String {
    let lines: Vec<&str> = crate::line_split::split_lines_inclusive(src).collect();
    let mut out = String::with_capacity(src.len());
    let mut i = 0;
    let mut fence: Option<(char, usize)> = None;
    let mut prev_blank = true;
    while i < lines.len() {
        let line = lines.get(i).copied().unwrap_or_default();
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        // Fenced code is left alone.
        if let Some((ch, n)) = fence {
            let t = trimmed.trim_end();
            if t.len() >= n && t.chars().all(|c| c == ch) {
                fence = None;
            }
            out.push_str(line);
            i += 1;
            continue;
        }
        if indent <= 3 {
            let t = trimmed.trim_end();
            for ch in ['`', '~'] {
                let n = t.chars().take_while(|&c| c == ch).count();
                if n >= 3 && !(ch == '`' && t[n..].contains('`')) {
                    fence = Some((ch, n));
                }
            }
            if let Some((ch, n)) = fence {
                // kramdown only takes a fence that is closed; an unclosed
                // one is text (CommonMark would run it to the end).
                let closed = lines.iter().skip(i + 1).any(|l| {
                    let lt = l.trim();
                    l.len() - l.trim_start().len() <= 3
                        && lt.len() >= n
                        && lt.chars().all(|c| c == ch)
                });
                if !closed {
                    fence = None;
                    let entity = if ch == '`' { "&#96;" } else { "&#126;" };
                    let lead = &line[..indent];
                    out.push_str(lead);
                    out.push_str(&entity.repeat(n));
                    out.push_str(&line[indent + n..]);
                    prev_blank = false;
                    i += 1;
                    continue;
                }
                out.push_str(line);
                prev_blank = false;
                i += 1;
                continue;
            }
        }
        // Indented code (after a blank line) is left alone too.
        if indent >= 4 && prev_blank && !trimmed.is_empty() {
            out.push_str(line);
            i += 1;
            continue;
        }
        let t = trimmed.trim_end();
        // {::comment} … {:/comment} and {::nomarkdown} … {:/nomarkdown}
        // (Each test below runs only on lines that start with what it
        // looks for: they ran on every line.)
        let first = trimmed.chars().next();
        if let Some(kind) = ["comment", "nomarkdown"].into_iter().find(|k| {
            first == Some('{') &&
            // The block form stands alone: `{::k}` on its line, or the
            // whole line is `{::k}…{:/k}`; otherwise it is a span.
            t.starts_with(&format!("{{::{k}"))
                && (!t.contains("{:/") || t.ends_with(&format!("{{:/{k}}}")) || t.ends_with("{:/}"))
        }) {
            let (body, next) = collect_extension(&lines, i, kind);
            if kind == "nomarkdown" {
                let marker = stash.put(body);
                out.push_str(&format!("\n{marker}\n\n"));
            }
            i = next;
            prev_blank = true;
            continue;
        }
        if first == Some('{') && EXT_OPTIONS.is_match(line) {
            i += 1;
            continue;
        }
        if let Some(c) = (first == Some('{')).then(|| ALD.captures(line)).flatten() {
            extracted
                .alds
                .insert(c[1].to_string(), c[2].trim().to_string());
            i += 1;
            continue;
        }
        if let Some(c) = (first == Some('*'))
            .then(|| ABBR_DEF.captures(line.trim_end()))
            .flatten()
        {
            extracted
                .abbreviations
                .push((c[1].to_string(), c[2].trim().to_string()));
            i += 1;
            continue;
        }
        // $$ display math on its own lines.
        if t.starts_with("$$") && prev_blank {
            if let Some((math, next)) = collect_math(&lines, i) {
                let html = format!("\\[{}\\]\n", super::html::escape_text(math.trim()));
                let marker = stash.put(html);
                out.push_str(&format!("{marker}\n"));
                i = next;
                prev_blank = false;
                continue;
            }
        }
        // Block HTML.
        if let Some(c) = (first == Some('<'))
            .then(|| OPEN_TAG.captures(line))
            .flatten()
        {
            let name = c[1].to_ascii_lowercase();
            if BLOCK_TAGS.contains(&name.as_str()) {
                let self_closing = &c[3] == "/" || VOID_TAGS.contains(&name.as_str());
                let end = if self_closing {
                    Some(i + 1)
                } else {
                    find_close(&lines, i, &name)
                };
                if let Some(end) = end {
                    let chunk: String = lines.get(i..end).unwrap_or_default().concat();
                    let html = block_html(&chunk, &name, stash, render_inner);
                    let marker = stash.put(html);
                    if !prev_blank {
                        out.push('\n');
                    }
                    out.push_str(&format!("{marker}\n\n"));
                    i = end;
                    prev_blank = true;
                    continue;
                }
            }
        }
        // Multi-line HTML comments.
        if t.starts_with("<!--") && indent <= 3 {
            if let Some(end) =
                (i..lines.len()).find(|&j| lines.get(j).is_some_and(|l| l.contains("-->")))
            {
                let chunk: String = lines.get(i..=end).unwrap_or_default().concat();
                let marker = stash.put(chunk);
                out.push_str(&format!("{marker}\n\n"));
                i = end + 1;
                prev_blank = true;
                continue;
            }
        }
        // Span forms: `{::comment}…{:/}` and `{::nomarkdown}…{:/}` in a line.
        let line: std::borrow::Cow<'_, str> = if SPAN_EXT_OPEN.is_in(line) {
            let l = SPAN_COMMENT.replace_all(line, "");
            SPAN_NOMARKDOWN
                .replace_all(&l, |c: &regex::Captures<'_>| stash.put(c[1].to_string()))
                .into_owned()
                .into()
        } else {
            line.into()
        };
        let line: std::borrow::Cow<'_, str> = if crate::find::MATH_DELIMITER.is_in(&line) {
            INLINE_MATH
                .replace_all(&line, |c: &regex::Captures<'_>| {
                    stash.put(format!("\\({}\\)", super::html::escape_text(c[1].trim())))
                })
                .into_owned()
                .into()
        } else {
            line
        };
        prev_blank = line.trim().is_empty();
        out.push_str(&line);
        i += 1;
    }
    out
}

/// Collects `{::kind}` … `{:/kind}` (or `{::kind /}`) from line `i`;
/// returns the body and the index of the line after it.
fn collect_extension(lines: &[&str], i: usize, kind: &str) -> (String, usize) {
    let first = lines.get(i).copied().unwrap_or_default();
    let open = format!("{{::{kind}");
    let close = format!("{{:/{kind}}}");
    let close_short = "{:/}";
    let after_open = first
        .find(&open)
        .map(|p| &first[p + open.len()..])
        .unwrap_or_default();
    if after_open.trim_start().starts_with("/}") {
        return (String::new(), i + 1);
    }
    let after_open = after_open
        .split_once('}')
        .map(|(_, r)| r)
        .unwrap_or_default();
    let mut body = String::new();
    let mut j = i;
    let mut text = after_open.to_string();
    loop {
        if let Some(p) = text.find(&close).or_else(|| text.find(close_short)) {
            body.push_str(&text[..p]);
            return (body, j + 1);
        }
        body.push_str(&text);
        j += 1;
        match lines.get(j) {
            Some(l) => text = l.to_string(),
            None => return (body, j),
        }
    }
}

/// Collects a `$$ … $$` block starting at line `i`.
fn collect_math(lines: &[&str], i: usize) -> Option<(String, usize)> {
    let first = lines.get(i)?.trim();
    let rest = first.strip_prefix("$$")?;
    if let Some(inner) = rest.strip_suffix("$$") {
        return Some((inner.to_string(), i + 1));
    }
    let mut math = rest.to_string();
    let mut j = i + 1;
    while let Some(l) = lines.get(j) {
        let t = l.trim_end();
        if let Some(before) = t.strip_suffix("$$") {
            math.push('\n');
            math.push_str(before);
            return Some((math, j + 1));
        }
        math.push('\n');
        math.push_str(t);
        j += 1;
    }
    None
}

/// Finds the line after the one closing the `<name>` opened at line `i`.
fn find_close(lines: &[&str], i: usize, name: &str) -> Option<usize> {
    let open_re = format!("<{name}");
    let close_re = format!("</{name}");
    let mut depth = 0usize;
    for (j, l) in lines.iter().enumerate().skip(i) {
        let lower = l.to_ascii_lowercase();
        let mut k = 0;
        while k < lower.len() {
            let rest = &lower[k..];
            if rest.starts_with(&close_re) && is_name_end(rest, close_re.len()) {
                depth = depth.saturating_sub(1);
                k += close_re.len();
                if depth == 0 {
                    return Some(j + 1);
                }
            } else if rest.starts_with(&open_re) && is_name_end(rest, open_re.len()) {
                // `<div/>` does not open.
                let tag_end = rest.find('>').unwrap_or(rest.len());
                if !rest[..tag_end].ends_with('/') {
                    depth += 1;
                }
                k += open_re.len();
            } else {
                k += rest.chars().next().map(char::len_utf8).unwrap_or(1);
            }
        }
        if depth == 0 {
            return Some(j + 1);
        }
    }
    None
}

fn is_name_end(s: &str, at: usize) -> bool {
    s[at..]
        .chars()
        .next()
        .is_none_or(|c| c == '>' || c == '/' || c.is_whitespace())
}

/// The HTML of a block element; with `markdown="1"` its content is
/// rendered as Markdown.
fn block_html(
    chunk: &str,
    name: &str,
    stash: &mut Stash,
    render_inner: &dyn Fn(&str, &mut Stash) -> String,
) -> String {
    let Some(open_end) = chunk.find('>') else {
        return chunk.to_string();
    };
    let open = &chunk[..=open_end];
    let Some(m) = MARKDOWN_ATTR.captures(open) else {
        return chunk.to_string();
    };
    let mode = m[1].trim_matches(['"', '\'']).to_string();
    let open_clean = MARKDOWN_ATTR.replace(open, "").into_owned();
    if mode == "0" {
        return format!("{open_clean}{}", &chunk[open_end + 1..]);
    }
    let close_tag = format!("</{name}");
    let inner_end = chunk
        .to_ascii_lowercase()
        .rfind(&close_tag)
        .unwrap_or(chunk.len());
    let inner = chunk.get(open_end + 1..inner_end).unwrap_or_default();
    let tail = chunk.get(inner_end..).unwrap_or_default();
    let rendered = if mode == "span" {
        let r = render_inner(inner.trim(), stash);
        r.trim()
            .strip_prefix("<p>")
            .and_then(|x| x.strip_suffix("</p>"))
            .unwrap_or(r.trim())
            .to_string()
    } else {
        format!(
            "\n{}",
            render_inner(&dedent(inner.trim_start_matches('\n')), stash)
        )
    };
    format!("{open_clean}{rendered}{tail}")
}

/// Removes the common leading indentation of `text`'s lines.
fn dedent(text: &str) -> String {
    let min = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    text.lines()
        .map(|l| l.get(min..).unwrap_or(l.trim_start()))
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pre(src: &str) -> (String, Stash) {
        let mut stash = Stash::default();
        let mut ex = Extracted::default();
        let out = preprocess(src, &mut stash, &mut ex, &|s, _| format!("[{s}]"));
        (out, stash)
    }

    #[test]
    fn block_html_survives_blank_lines() {
        let (out, stash) = pre("a\n\n<div>\nx\n\n  y\n</div>\nb\n");
        assert_eq!(out, "a\n\n\u{E010}0\u{E011}\n\nb\n");
        assert_eq!(stash.0[0], "<div>\nx\n\n  y\n</div>\n");
    }

    #[test]
    fn comments_and_markdown_attr() {
        let (out, stash) =
            pre("{::comment}\nhidden\n{:/comment}\n<div markdown=\"1\">\n*x*\n</div>\n");
        assert_eq!(out, "\u{E010}0\u{E011}\n\n");
        assert_eq!(stash.0[0], "<div>\n[*x*]</div>\n");
    }

    #[test]
    fn span_extensions() {
        let (out, stash) = pre("a {::comment}hidden{:/comment} b {::nomarkdown}<i>*x*</i>{:/} c\n");
        assert_eq!(out, "a  b \u{E010}0\u{E011} c\n");
        assert_eq!(stash.0[0], "<i>*x*</i>");
    }

    #[test]
    fn unclosed_fence_is_text() {
        let (out, _) = pre("```coq\nx\n``\n");
        assert_eq!(out, "&#96;&#96;&#96;coq\nx\n``\n");
    }

    #[test]
    fn fenced_code_untouched() {
        let (out, _) = pre("```\n<div>\n{::comment}\n```\n");
        assert_eq!(out, "```\n<div>\n{::comment}\n```\n");
    }
}
