//! Plain text from HTML: for JSON Feed `summary`, EPUB descriptions and the
//! visible-text comparisons in tests.

use std::sync::LazyLock;

use regex::Regex;

static DROP_BLOCKS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?is)<(script|style|template)\b[^>]*>.*?</(script|style|template)\s*>|<!--.*?-->")
        .expect("static regex")
});
static TAG: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?s)<(/?)([a-zA-Z][a-zA-Z0-9]*)?[^>]*>").expect("static regex"));

/// Elements whose boundaries separate words; inline ones (`span`, `a`, `em`)
/// do not, so `<span>{</span><span>{</span>` reads as `{{`.
const BLOCK_TAGS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "br",
    "dd",
    "details",
    "div",
    "dl",
    "dt",
    "figcaption",
    "figure",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "img",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
];

/// The text a reader sees: tags, comments, scripts and styles removed,
/// entities decoded, runs of white space collapsed to one space, trimmed.
pub fn visible_text(html: &str) -> String {
    // Tags, comments and scripts start `<`, entities `&`: a text with
    // neither (most titles) only has its white space collapsed.
    if memchr::memchr2(b'<', b'&', html.as_bytes()).is_none() {
        return collapse_whitespace(html);
    }
    markup_removed(html)
}

/// [`visible_text`] by the patterns, for any text.
fn markup_removed(html: &str) -> String {
    let no_blocks = DROP_BLOCKS.replace_all(html, " ");
    let no_tags = TAG.replace_all(&no_blocks, |c: &regex::Captures<'_>| {
        let name = c.get(2).map_or("", |m| m.as_str()).to_ascii_lowercase();
        if BLOCK_TAGS.contains(&name.as_str()) {
            " "
        } else {
            ""
        }
    });
    let decoded = html_escape::decode_html_entities(&no_tags);
    collapse_whitespace(&decoded)
}

/// Collapses every run of white space (including non-breaking spaces) to
/// one space and trims the ends.
pub fn collapse_whitespace(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for ch in s.chars() {
        if ch.is_whitespace() || ch == '\u{a0}' {
            space = true;
        } else {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(ch);
        }
    }
    out
}

/// At most `max` characters of `s`, cut at a word boundary, with `…` added
/// when something was cut.
pub fn truncate_words(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let cut: String = s.chars().take(max).collect();
    let at = cut.rfind(' ').filter(|&i| i > max / 2).unwrap_or(cut.len());
    format!("{}…", cut[..at].trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_tags_and_decodes() {
        let html =
            "<p>Caf&eacute; &amp; <b>bar</b></p>\n<script>x()</script><!-- c --><p>a&nbsp;b</p>";
        assert_eq!(visible_text(html), "Café & bar a b");
        assert_eq!(
            visible_text("<span>{</span><span>{</span> x<br>y"),
            "{{ x y"
        );
    }

    #[test]
    fn text_without_markup_skips_the_patterns_to_the_same_result() {
        for t in [
            "",
            "  Post 0: compiler travel 東京 library  ",
            "a\u{a0}\u{a0}b\n\tc",
            "{{ not liquid }} 5 > 3",
            "x  y",
        ] {
            assert_eq!(visible_text(t), markup_removed(t), "{t:?}");
        }
    }

    #[test]
    fn truncates_at_words() {
        assert_eq!(truncate_words("one two three four", 9), "one two…");
        assert_eq!(truncate_words("short", 9), "short");
    }
}
