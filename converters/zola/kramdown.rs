//! kramdown constructs that pulldown-cmark (Zola's Markdown reader) would
//! print as text or read differently, rewritten before the Markdown pass:
//! extensions (`{::comment}`, `{::nomarkdown}`), attribute lists (IALs),
//! abbreviations, `markdown="1"` elements and HTML elements with blank
//! lines inside. Fenced code is never touched.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;

use crate::find::{Needle, KRAMDOWN_EXT_OPEN};

/// Runs every rewrite of this module over `md`; returns the text and how
/// many kramdown lines or spans were dropped.
pub fn prepare(md: &str) -> (String, usize) {
    // A pass runs only when its text holds what it rewrites; each would
    // otherwise copy the body line by line to change nothing.
    let (extended, dropped) = if may_hold_extensions(md) {
        let (text, n) = kramdown_extensions(md);
        (Cow::Owned(text), n)
    } else {
        (Cow::Borrowed(md), 0)
    };
    let whole = match memchr::memchr(b'<', extended.as_bytes())
        .and_then(|_| html_blocks_whole(&extended))
    {
        Some(text) => Cow::Owned(text),
        None => extended,
    };
    let inner = if whole.contains("markdown") {
        Cow::Owned(markdown_in_html(&whole))
    } else {
        whole
    };
    let (stripped, ials) = strip_block_ials(&inner);
    (stripped, ials + dropped)
}

/// Whether [`kramdown_extensions`] may change `md`: it drops extension
/// lines (`{::…}`, `{:/…}`) and span IALs, a `{:` right after a character
/// that is not white space. A block IAL alone on its line (most of them)
/// is for [`strip_block_ials`].
fn may_hold_extensions(md: &str) -> bool {
    let bytes = md.as_bytes();
    let mut from = 0;
    while let Some(i) = md.get(from..).and_then(|rest| KRAMDOWN_EXT_OPEN.find(rest)) {
        let at = from + i;
        if matches!(bytes.get(at + 2), Some(b':' | b'/')) {
            return true;
        }
        // The span IAL pattern's `\S`: Unicode's white space among ASCII
        // bytes; any other character before it may be a span's end.
        let spaced = at == 0
            || matches!(
                bytes.get(at - 1),
                Some(b' ' | b'\t' | b'\n' | b'\x0B' | b'\x0C' | b'\r')
            );
        if !spaced {
            return true;
        }
        from = at + 2;
    }
    false
}

/// The markdown attribute (kramdown's extensions are found by
/// [`KRAMDOWN_EXT_OPEN`]).
static MARKDOWN_EQ: Needle = Needle::new("markdown=");
static MARKDOWN_WORD: Needle = Needle::new("markdown");

/// The run of backticks or tildes `t` starts with (a fence when three or
/// more).
fn fence_marker(t: &str) -> &str {
    let n = t.bytes().take_while(|b| *b == b'`' || *b == b'~').count();
    &t[..n]
}

static SPAN_IAL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(\S)\{:[^}\n]*\}").expect("static regex"));

/// kramdown extensions Zola would print as text: `{::comment}…{:/comment}`
/// is dropped, `{::nomarkdown}…{:/nomarkdown}` keeps its content as raw
/// HTML, and span IALs (`*x*{: .c}`) are dropped. Returns how many.
fn kramdown_extensions(md: &str) -> (String, usize) {
    let mut out = String::with_capacity(md.len());
    let mut n = 0;
    let mut fence: Option<String> = None;
    let mut in_comment = false;
    for line in crate::line_split::split_lines_inclusive(md) {
        let t = line.trim();
        if in_comment {
            if t.contains("{:/comment}") || t == "{:/}" {
                in_comment = false;
            }
            continue;
        }
        let marker = fence_marker(t);
        if marker.len() >= 3 {
            match &fence {
                Some(f) if marker.starts_with(f.as_str()) && t.len() == marker.len() => {
                    fence = None
                }
                None => fence = Some(marker.to_string()),
                _ => {}
            }
        }
        // Everything below starts with `{:`.
        if fence.is_some() || !KRAMDOWN_EXT_OPEN.is_in(line) {
            out.push_str(line);
            continue;
        }
        if t.starts_with("{::comment}") {
            n += 1;
            in_comment = !(t.contains("{:/comment}") || t.ends_with("{:/}"));
            continue;
        }
        if matches!(t, "{::nomarkdown}" | "{:/nomarkdown}" | "{:/}") {
            continue;
        }
        // Only outside code spans: `{: .notice}` in backticks is text.
        for (i, part) in line.split('`').enumerate() {
            if i > 0 {
                out.push('`');
            }
            // The regex only where it can match: it ran on every line.
            if i % 2 == 0 && part.contains("{:") {
                n += SPAN_IAL.find_iter(part).count();
                out.push_str(&SPAN_IAL.replace_all(part, "$1"));
            } else {
                out.push_str(part);
            }
        }
    }
    (out, n)
}

static BLOCK_OPEN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^ {0,3}<(div|table|thead|tbody|tfoot|tr|td|th|ul|ol|li|section|figure|figcaption|details|summary|blockquote|dl|dt|dd|form|nav|aside|header|footer|article|center|fieldset|main|p|iframe|video|audio|object|canvas|svg|center)[\s>/]")
        .expect("static regex")
});

/// How far `line` opens (+) or closes (−) elements named `tag` (lower
/// case): each `<tag` followed by white space, `>`, `/` or the line's end
/// opens one unless its first `>` follows a `/`; each `</tag` closes one.
/// Letters are compared without case.
fn tag_depth(line: &str, tag: &str) -> i32 {
    let bytes = line.as_bytes();
    let name = tag.as_bytes();
    let named_at = |at: usize| {
        bytes
            .get(at..at + name.len())
            .is_some_and(|b| b.eq_ignore_ascii_case(name))
    };
    let mut depth = 0;
    // Where the last `<tag` or `</tag` ended: matches do not overlap.
    let mut from = 0;
    for lt in memchr::memchr_iter(b'<', bytes) {
        if lt < from {
            continue;
        }
        if bytes.get(lt + 1) == Some(&b'/') && named_at(lt + 2) {
            depth -= 1;
            from = lt + 2 + name.len();
        } else if named_at(lt + 1) {
            let after = lt + 1 + name.len();
            from = after;
            if matches!(
                bytes.get(after),
                Some(b' ' | b'>' | b'\t' | b'\n' | b'/') | None
            ) {
                let self_closing = memchr::memchr(b'>', &bytes[lt..])
                    .is_some_and(|gt| lt + gt > 0 && bytes.get(lt + gt - 1) == Some(&b'/'));
                if !self_closing {
                    depth += 1;
                }
            }
        }
    }
    depth
}

/// kramdown reads an HTML block element up to its closing tag, blank lines
/// and all; CommonMark ends the block at the first blank line and reads what
/// follows as Markdown (indented lines become code). Blank lines inside such
/// an element become an empty comment, so it stays one HTML block. Elements
/// with `markdown="1"` are left to [`markdown_in_html`]. `None` when there
/// is no such blank line (most texts: they are not copied).
fn html_blocks_whole(md: &str) -> Option<String> {
    let mut out: Option<String> = None;
    // Where the current line starts in `md`.
    let mut at = 0;
    let mut fence: Option<String> = None;
    let mut open: Option<(String, i32)> = None;
    for line in crate::line_split::split_lines_inclusive(md) {
        let line_start = at;
        at += line.len();
        let t = line.trim();
        if let Some((tag, depth)) = open.as_mut() {
            if t.is_empty() {
                out.get_or_insert_with(|| {
                    let mut o = String::with_capacity(md.len() + 64);
                    o.push_str(&md[..line_start]);
                    o
                })
                .push_str("<!---->\n");
                continue;
            }
            *depth += tag_depth(line, tag);
            if *depth <= 0 {
                open = None;
            }
            if let Some(o) = out.as_mut() {
                o.push_str(line);
            }
            continue;
        }
        let marker = fence_marker(t);
        if marker.len() >= 3 {
            match &fence {
                Some(f) if marker.starts_with(f.as_str()) && t.len() == marker.len() => {
                    fence = None
                }
                None => fence = Some(marker.to_string()),
                _ => {}
            }
        }
        if fence.is_none()
            && memchr::memchr(b'<', line.as_bytes()).is_some()
            && !MARKDOWN_EQ.is_in(line)
        {
            if let Some(c) = BLOCK_OPEN.captures(line) {
                let tag = c[1].to_ascii_lowercase();
                let depth = tag_depth(line, &tag);
                if depth > 0 {
                    open = Some((tag, depth));
                }
            }
        }
        if let Some(o) = out.as_mut() {
            o.push_str(line);
        }
    }
    out
}

static MARKDOWN_ATTR_OPEN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"^(\s*<([A-Za-z][A-Za-z0-9-]*)\b[^>]*?)\s+markdown\s*=\s*(?:"(?:1|block)"|'(?:1|block)'|1)([^>]*>)\s*$"#)
        .expect("static regex")
});

/// kramdown's `<div markdown="1">`: the attribute is dropped and blank lines
/// put after the opening and before the closing tag line, which is how
/// CommonMark reads Markdown inside an HTML element.
fn markdown_in_html(md: &str) -> String {
    let mut out = String::with_capacity(md.len() + 16);
    let mut open: Vec<String> = Vec::new();
    let mut fence: Option<String> = None;
    for line in crate::line_split::split_lines_inclusive(md) {
        let t = line.trim();
        let marker = fence_marker(t);
        if marker.len() >= 3 {
            match &fence {
                Some(f) if marker.starts_with(f.as_str()) && t.len() == marker.len() => {
                    fence = None
                }
                None => fence = Some(marker.to_string()),
                _ => {}
            }
            out.push_str(line);
            continue;
        }
        if fence.is_none() {
            // The regex only where it can match: it ran on every line.
            if let Some(c) = MARKDOWN_WORD
                .is_in(line)
                .then(|| MARKDOWN_ATTR_OPEN.captures(line.trim_end_matches(['\n', '\r'])))
                .flatten()
            {
                out.push_str(&format!("{}{}\n\n", &c[1], &c[3]));
                open.push(c[2].to_ascii_lowercase());
                continue;
            }
            let closes = open
                .last()
                .is_some_and(|tag| t.eq_ignore_ascii_case(&format!("</{tag}>")));
            if closes {
                open.pop();
                out.push('\n');
            }
        }
        out.push_str(line);
    }
    out
}

/// Removes kramdown block attribute lines (`{: .class}`, `{:toc}`,
/// `{::options …/}`), which Zola would print as text; returns how many. An
/// IAL right under a heading gives that heading its id and classes, written
/// as the `{#id .class}` attribute block pulldown-cmark reads.
fn strip_block_ials(md: &str) -> (String, usize) {
    let mut out = String::with_capacity(md.len());
    let mut n = 0;
    let mut fence: Option<String> = None;
    // Start in `out` of the last line if it is a heading's text line, and
    // the setext underline that follows it, if any.
    let mut prev_heading: Option<(usize, Option<String>)> = None;
    let mut prev_start = 0;
    // Whether the last line was blank, and whether it was an ATX heading.
    let mut prev_blank = true;
    let mut prev_atx = false;
    for line in crate::line_split::split_lines_inclusive(md) {
        let t = line.trim();
        let marker = fence_marker(t);
        if marker.len() >= 3 {
            match &fence {
                Some(f) if marker.starts_with(f.as_str()) && t.len() == marker.len() => {
                    fence = None
                }
                None => fence = Some(marker.to_string()),
                _ => {}
            }
        }
        // kramdown abbreviation definitions (`*[HTML]: …`): Zola has no
        // abbreviations and would print the line.
        let abbreviation =
            t.starts_with("*[") && t.contains("]:") && line.len() - line.trim_start().len() < 4;
        if fence.is_none() && abbreviation {
            n += 1;
            continue;
        }
        if fence.is_none() && t.starts_with("{:") && t.ends_with('}') {
            n += 1;
            if let (Some((start, underline)), Some(attrs)) = (prev_heading.take(), heading_attrs(t))
            {
                let text_end = start + out[start..].find('\n').unwrap_or(out.len() - start);
                let heading = out[start..text_end].trim_end().to_string();
                let has_attrs = heading.rfind('{').is_some_and(|i| {
                    heading[i..].starts_with("{#") || heading[i..].starts_with("{.")
                });
                if !(has_attrs && heading.ends_with('}')) {
                    out.truncate(start);
                    out.push_str(&format!("{heading} {attrs}\n"));
                    out.push_str(underline.as_deref().unwrap_or(""));
                }
            }
            continue;
        }
        // kramdown reads a trailing `{text}` on a heading as text; pulldown-cmark
        // would take it as an attribute block and drop it.
        let escaped;
        let line = if fence.is_none() && t.starts_with('#') {
            escaped = escape_heading_braces(line);
            escaped.as_str()
        } else {
            line
        };
        let is_underline = !t.is_empty()
            && (t.chars().all(|c| c == '=') || t.chars().all(|c| c == '-'))
            && !prev_blank
            && !prev_atx;
        prev_heading = if fence.is_some() {
            None
        } else if t.starts_with('#') {
            Some((out.len(), None))
        } else if is_underline {
            Some((prev_start, Some(line.to_string())))
        } else {
            None
        };
        prev_start = out.len();
        // `line` differs from the one `t` trims only by an escaped brace.
        prev_blank = t.is_empty();
        prev_atx = t.starts_with('#');
        out.push_str(line);
    }
    (out, n)
}

/// `## f() {block}` → `## f() &#123;block}`: a trailing brace block that is not
/// an `{#id …}`/`{.class …}` attribute block stays text, as in kramdown.
fn escape_heading_braces(line: &str) -> String {
    let body = line.trim_end();
    if let Some(open) = body.rfind('{') {
        let block = &body[open..];
        let inner = block[1..].trim_start();
        let is_attr = inner.starts_with('#') || inner.starts_with('.');
        let preceded = open > 0 && body.as_bytes()[open - 1] == b'\\';
        if block.ends_with('}') && !block[1..].contains('{') && !is_attr && !preceded {
            // An entity, not `\{`: pulldown-cmark finds the block either way.
            return format!("{}&#123;{}", &line[..open], &line[open + 1..]);
        }
    }
    line.to_string()
}

/// `{: #id .a .b k="v"}` → `{#id .a .b}` (id and classes only), or `None`.
fn heading_attrs(ial: &str) -> Option<String> {
    let inner = ial.strip_prefix("{:")?.strip_suffix('}')?.trim();
    let parts: Vec<&str> = inner
        .split_whitespace()
        .filter(|p| {
            (p.starts_with('#') || p.starts_with('.'))
                && p.len() > 1
                && p[1..]
                    .chars()
                    .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | ':' | '.'))
        })
        .collect();
    let id = parts.iter().position(|p| p.starts_with('#'))?;
    let mut ordered = vec![parts[id]];
    ordered.extend(parts.iter().filter(|p| p.starts_with('.')));
    Some(format!("{{{}}}", ordered.join(" ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kramdown_extensions_are_not_printed() {
        let md = "a\n{::comment}\nhidden\n{:/comment}\n*x*{: .c} y `a{: .b}`\n{::nomarkdown}\n<b>raw</b>\n{:/nomarkdown}\n```\n{::comment}\n```\n";
        let (out, n) = kramdown_extensions(md);
        assert_eq!(
            out,
            "a\n*x* y `a{: .b}`\n<b>raw</b>\n```\n{::comment}\n```\n"
        );
        assert_eq!(n, 2);
    }

    #[test]
    fn texts_ruled_out_for_extensions_are_left_as_they_are() {
        let pieces = [
            "{:",
            "{::comment}",
            "{:/comment}",
            "{:/}",
            "{::nomarkdown}",
            " ",
            "x",
            "\n",
            "`",
            "```\n",
            "}",
            "é",
            "\u{3000}",
            "\u{b}",
            "\t",
            "{: .c}",
            "*x*",
            "\u{a0}",
        ];
        let mut rng = crate::synth::Rng::new(5);
        let mut ruled_out = 0;
        for _ in 0..30_000 {
            let n = rng.below(12);
            let md: String = (0..n).map(|_| rng.pick(&pieces)).collect();
            if !may_hold_extensions(&md) {
                ruled_out += 1;
                assert_eq!(kramdown_extensions(&md), (md.clone(), 0), "{md:?}");
            }
        }
        // The check must rule out the usual text (block IALs on their own).
        assert!(ruled_out > 5_000, "{ruled_out}");
        assert!(!may_hold_extensions("a\n{: .note}\n\tb {: #x}\n"));
        assert!(may_hold_extensions("*x*{: .c}"));
    }

    /// The first way `tag_depth` was written, kept to check the byte scan.
    fn tag_depth_by_lowering(line: &str, tag: &str) -> i32 {
        let lower = line.to_ascii_lowercase();
        let open = format!("<{tag}");
        let close = format!("</{tag}");
        let mut depth = 0;
        let mut from = 0;
        while let Some(i) = lower[from..].find(&open) {
            let at = from + i;
            let after = lower[at + open.len()..].chars().next();
            if matches!(after, Some(' ' | '>' | '\t' | '\n' | '/') | None) {
                let end = lower[at..].find('>').map(|e| at + e);
                let self_closing =
                    end.is_some_and(|e| e > 0 && lower.as_bytes().get(e - 1) == Some(&b'/'));
                if !self_closing {
                    depth += 1;
                }
            }
            from = at + open.len();
        }
        depth - lower.matches(&close).count() as i32
    }

    #[test]
    fn tag_depth_counts_as_the_lowering_scan_did() {
        let pieces = [
            "<div", "</div", "<DIV", "</Div", ">", "/>", "/", " ", "\t", "\n", "x", "é", "<",
            "<di", "divx", "<divx", "</", "<td",
        ];
        let mut rng = crate::synth::Rng::new(3);
        for _ in 0..50_000 {
            let n = rng.below(8);
            let line: String = (0..n).map(|_| rng.pick(&pieces)).collect();
            for tag in ["div", "td"] {
                assert_eq!(
                    tag_depth(&line, tag),
                    tag_depth_by_lowering(&line, tag),
                    "{line:?} {tag}"
                );
            }
        }
    }

    #[test]
    fn html_elements_stay_whole_across_blank_lines() {
        let md = "<table>\n  <tr>\n\n    <td>x</td>\n  </tr>\n</table>\n\n    code\n";
        assert_eq!(
            html_blocks_whole(md).as_deref(),
            Some("<table>\n  <tr>\n<!---->\n    <td>x</td>\n  </tr>\n</table>\n\n    code\n")
        );
        let md = "<div markdown=\"1\">\n\n*x*\n</div>\n";
        assert_eq!(html_blocks_whole(md), None);
        let md = "<div>a</div>\n\nplain\n\n```\n<div>\n\n```\n";
        assert_eq!(html_blocks_whole(md), None);
    }

    #[test]
    fn markdown_inside_html_is_read() {
        let md = "<div class=\"notice\" markdown=\"1\">\n**x**\n</div>\n";
        assert_eq!(
            markdown_in_html(md),
            "<div class=\"notice\">\n\n**x**\n\n</div>\n"
        );
    }
}
