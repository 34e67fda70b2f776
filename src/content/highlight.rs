//! Code blocks as Jekyll writes them with rouge: the same wrappers and
//! classes (`<figure class="highlight">` for `{% highlight %}`,
//! `<div class="language-x highlighter-rouge">` for fenced code), the
//! line-number table, and marked lines. Tokens are not coloured; the
//! stylesheet styles the wrappers.

use super::html::{escape_attr, escape_text};

/// The HTML of `{% highlight %}`.
pub fn highlight_tag_html(lang: Option<&str>, linenos: bool, marked: &[u32], code: &str) -> String {
    let lang = lang.unwrap_or("plaintext");
    let body = code_lines(code, marked);
    let inner = if linenos {
        line_table(code, &body)
    } else {
        body
    };
    format!(
        "<figure class=\"highlight\"><pre><code class=\"language-{}\" data-lang=\"{}\">{}</code></pre></figure>",
        escape_attr(&lang.replace('+', "-")),
        escape_attr(lang),
        inner.trim_end_matches('\n')
    )
}

/// The HTML kramdown writes for a fenced or indented code block.
pub fn kramdown_code_block(lang: Option<&str>, code: &str, line_numbers: bool) -> String {
    let lang = lang.unwrap_or("plaintext");
    let body = code_lines(code, &[]);
    let inner = if line_numbers {
        line_table(code, &body)
    } else {
        body
    };
    format!(
        "<div class=\"language-{} highlighter-rouge\"><div class=\"highlight\"><pre class=\"highlight\"><code>{}</code></pre></div></div>\n",
        escape_attr(lang),
        inner
    )
}

/// Escaped code; marked lines wrapped as rouge's line highlighter does.
fn code_lines(code: &str, marked: &[u32]) -> String {
    if marked.is_empty() {
        let mut s = escape_text(code);
        if !s.ends_with('\n') {
            s.push('\n');
        }
        return s;
    }
    let mut s = String::new();
    for (i, line) in code.lines().enumerate() {
        let n = u32::try_from(i + 1).unwrap_or(u32::MAX);
        if marked.contains(&n) {
            s.push_str(&format!(
                "<span class=\"hll\">{}\n</span>",
                escape_text(line)
            ));
        } else {
            s.push_str(&escape_text(line));
            s.push('\n');
        }
    }
    s
}

/// rouge's `HTMLTable`: a gutter of line numbers and the code.
fn line_table(code: &str, body: &str) -> String {
    let count = code.trim_end_matches('\n').lines().count().max(1);
    let numbers: String = (1..=count).map(|n| format!("{n}\n")).collect();
    format!(
        "<table class=\"rouge-table\"><tbody><tr><td class=\"rouge-gutter gl\"><pre class=\"lineno\">{numbers}</pre></td><td class=\"rouge-code\"><pre>{body}</pre></td></tr></tbody></table>"
    )
}

/// A stylesheet for the HTML this module writes (for the feed and EPUB).
pub fn stylesheet() -> &'static str {
    r#"pre, code { font-family: "SFMono-Regular", Menlo, Consolas, monospace; font-size: 0.9em; }
pre { overflow-x: auto; padding: 0.75em; background: #f6f8fa; border-radius: 4px; line-height: 1.4; }
figure.highlight, div.highlighter-rouge { margin: 1em 0; }
div.highlight pre, figure.highlight pre { background: #f6f8fa; }
.highlight .hll { background-color: #fff8c5; display: block; }
table.rouge-table { border-collapse: collapse; border: 0; margin: 0; }
table.rouge-table td { border: 0; padding: 0; vertical-align: top; }
td.rouge-gutter { user-select: none; text-align: right; color: #8a8a8a; padding-right: 1em; }
td.rouge-gutter pre, td.rouge-code pre { margin: 0; padding: 0; background: transparent; }
.footnotes { font-size: 0.9em; border-top: 1px solid #ddd; margin-top: 2em; }
#markdown-toc { list-style: none; padding-left: 1em; }
blockquote { border-left: 3px solid #ddd; margin-left: 0; padding-left: 1em; color: #555; }
table { border-collapse: collapse; }
th, td { border: 1px solid #ddd; padding: 0.3em 0.6em; }
"#
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlight_tag_as_jekyll() {
        assert_eq!(
            highlight_tag_html(Some("ruby"), false, &[], "a < b"),
            "<figure class=\"highlight\"><pre><code class=\"language-ruby\" data-lang=\"ruby\">a &lt; b</code></pre></figure>"
        );
        let t = highlight_tag_html(Some("c++"), true, &[2], "x\ny");
        assert!(
            t.contains("class=\"language-c--\" data-lang=\"c++\""),
            "{t}"
        );
        assert!(t.contains("<pre class=\"lineno\">1\n2\n</pre>"), "{t}");
        assert!(t.contains("<span class=\"hll\">y\n</span>"), "{t}");
    }
}
