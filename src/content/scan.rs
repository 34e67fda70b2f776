//! Pre-tokenizing of Liquid source: Jekyll's own tags take arguments that
//! Liquid's grammar cannot tokenize (`{% post_url 2010-07-21-name %}`,
//! `{% gist user/abc %}`, `{% include {{ x }}.html %}`), and the `liquid`
//! crate refuses unknown tags at parse time. The scanner rewrites each such
//! tag to `{% name N %}`, where `N` indexes a table that keeps the original
//! arguments, the source text and the line.

use std::fmt::Write as _;

/// One Jekyll (or unknown) tag found in a template.
#[derive(Debug, Clone)]
pub(crate) struct TagCall {
    /// Tag name (`include`, `highlight`, `foo` for an unknown tag).
    pub name: String,
    /// Everything after the name, trimmed.
    pub args: String,
    /// The tag as written (`{% foo bar %}`).
    pub source: String,
    /// 1-based line in the document's source file.
    pub line: usize,
}

/// Tags the `liquid` crate knows and that take Liquid-grammar arguments.
const LIQUID_TAGS: &[&str] = &[
    "assign",
    "capture",
    "endcapture",
    "if",
    "elsif",
    "else",
    "endif",
    "unless",
    "endunless",
    "case",
    "when",
    "endcase",
    "for",
    "endfor",
    "break",
    "continue",
    "cycle",
    "increment",
    "decrement",
    "tablerow",
    "endtablerow",
    "ifchanged",
    "endifchanged",
    "endhighlight",
];

/// Jekyll tags whose arguments are kept in the table.
const JEKYLL_TAGS: &[&str] = &[
    "highlight",
    "include",
    "include_relative",
    "post_url",
    "link",
    "gist",
    "youtube",
    "vimeo",
    "tweet",
    "twitter",
];

/// The name the renderer registers for unknown tags.
pub(crate) const UNKNOWN_TAG: &str = "jm_unknown";

/// Searchers for the tag delimiters, built once (`str::find` with a
/// two-byte pattern sets up a new searcher at every call).
static TAG_OPEN: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
    std::sync::LazyLock::new(|| memchr::memmem::Finder::new("{%"));
static TAG_CLOSE: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
    std::sync::LazyLock::new(|| memchr::memmem::Finder::new("%}"));

/// Result of scanning one template.
pub(crate) struct Scanned {
    /// The template with Jekyll and unknown tags rewritten.
    pub text: String,
    /// Unknown tags found, as indexes into the call table.
    pub unknown: Vec<usize>,
}

/// Rewrites `src` for the `liquid` crate, appending tag calls to `calls`.
/// `first_line` is the source line of `src`'s first line; `fixed_line`, when
/// set, is used for every tag instead (tags inside an include are reported
/// at the include's line).
pub(crate) fn scan(
    src: &str,
    first_line: usize,
    fixed_line: Option<usize>,
    calls: &mut Vec<TagCall>,
) -> Scanned {
    let mut out = String::with_capacity(src.len() + 64);
    let mut unknown = Vec::new();
    let mut pos = 0;
    let mut line = first_line;
    let mut line_pos = 0;
    while let Some(rel) = TAG_OPEN.find(&src.as_bytes()[pos..]) {
        let start = pos + rel;
        out.push_str(&src[pos..start]);
        let Some(end_rel) = TAG_CLOSE.find(&src.as_bytes()[start + 2..]) else {
            pos = start;
            break;
        };
        let end = start + 2 + end_rel + 2;
        line += memchr::memchr_iter(b'\n', &src.as_bytes()[line_pos..start]).count();
        line_pos = start;
        let tag_line = fixed_line.unwrap_or(line);
        let whole = &src[start..end];
        let inner = &whole[2..whole.len() - 2];
        let (dash_open, inner) = match inner.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, inner),
        };
        let (dash_close, inner) = match inner.strip_suffix('-') {
            Some(rest) => (true, rest),
            None => (false, inner),
        };
        let inner = inner.trim();
        let name_end = inner
            .find(|c: char| c.is_whitespace())
            .unwrap_or(inner.len());
        let name = &inner[..name_end];
        let args = inner[name_end..].trim();
        let open = if dash_open { "{%-" } else { "{%" };
        let close = if dash_close { "-%}" } else { "%}" };
        if name == "raw" || name == "comment" {
            // Copy the block verbatim: its content is not Liquid.
            let end_name = if name == "raw" {
                "endraw"
            } else {
                "endcomment"
            };
            match find_end_tag(src, end, end_name) {
                Some(block_end) => {
                    out.push_str(&src[start..block_end]);
                    pos = block_end;
                }
                None => {
                    out.push_str(whole);
                    pos = end;
                }
            }
            continue;
        }
        if LIQUID_TAGS.contains(&name) {
            if !args.is_empty() && (name.starts_with("end") || name == "else") {
                // Ruby's Liquid ignores what follows an end tag's or
                // `else`'s name (`{% endhighlight raw %}`); the crate
                // refuses it.
                let _ = write!(out, "{open} {name} {close}");
            } else {
                out.push_str(whole);
            }
        } else if JEKYLL_TAGS.contains(&name) {
            calls.push(TagCall {
                name: name.to_string(),
                args: args.to_string(),
                source: whole.to_string(),
                line: tag_line,
            });
            // Straight into `out`, which has room: no string of its own.
            let _ = write!(out, "{open} {name} {} {close}", calls.len() - 1);
        } else {
            calls.push(TagCall {
                name: name.to_string(),
                args: args.to_string(),
                source: whole.to_string(),
                line: tag_line,
            });
            unknown.push(calls.len() - 1);
            let _ = write!(out, "{open} {UNKNOWN_TAG} {} {close}", calls.len() - 1);
        }
        pos = end;
    }
    out.push_str(&src[pos..]);
    Scanned { text: out, unknown }
}

/// Finds the end (exclusive) of the first `{% end_name %}` at or after `from`.
fn find_end_tag(src: &str, from: usize, end_name: &str) -> Option<usize> {
    let mut pos = from;
    while let Some(rel) = TAG_OPEN.find(&src.as_bytes()[pos..]) {
        let start = pos + rel;
        let end = start + 2 + TAG_CLOSE.find(&src.as_bytes()[start + 2..])? + 2;
        let inner = src[start + 2..end - 2]
            .trim_start_matches('-')
            .trim_end_matches('-')
            .trim();
        if inner == end_name {
            return Some(end);
        }
        pos = start + 2;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Ruby's Liquid ends a block at its end tag whatever follows the name
    /// (indigo's theme demo has `{% endhighlight raw %}`).
    #[test]
    fn words_after_an_end_tag_or_else_are_dropped() {
        let mut calls = Vec::new();
        let src = "{% if a %}x{% else if b %}y{%- endif a -%}{% highlight raw %}\nq\n{% endhighlight raw %}";
        let s = scan(src, 1, None, &mut calls);
        assert_eq!(
            s.text,
            "{% if a %}x{% else %}y{%- endif -%}{% highlight 0 %}\nq\n{% endhighlight %}"
        );
    }

    #[test]
    fn rewrites_jekyll_and_unknown_tags_and_keeps_raw() {
        let mut calls = Vec::new();
        let src = "a\n{% post_url 2010-01-01-x %}\n{%- foo bar -%}\n{% raw %}{% gist x %}{% endraw %}{% if a %}b{% endif %}";
        let s = scan(src, 10, None, &mut calls);
        assert_eq!(
            s.text,
            "a\n{% post_url 0 %}\n{%- jm_unknown 1 -%}\n{% raw %}{% gist x %}{% endraw %}{% if a %}b{% endif %}"
        );
        assert_eq!(calls[0].args, "2010-01-01-x");
        assert_eq!(calls[0].line, 11);
        assert_eq!(calls[1].line, 12);
        assert_eq!(calls[1].source, "{%- foo bar -%}");
        assert_eq!(s.unknown, vec![1]);
    }
}
