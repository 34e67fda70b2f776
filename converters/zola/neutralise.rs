//! Making template syntax inert in content, for Zola 0.22 and 0.23 at once.
//!
//! Both versions look at a page body only when it contains `{{` or `{%`
//! (0.22 to find shortcodes, 0.23 to render the whole body with Tera v2);
//! a body without either pair is passed to Markdown untouched. So the one
//! output that serves both versions is a body in which those pairs never
//! occur: in prose and raw HTML the `{` becomes the entity `&#123;` (the
//! browser shows `{`), and code that contains them is written as an HTML
//! `<pre><code>` block or `<code>` span with entities, because entities
//! inside Markdown code would be shown literally. `{#` is treated the same
//! way (a Tera comment opener), except in the `{#id}` heading attributes
//! this converter writes on purpose.

/// The pairs that open template syntax.
pub const OPENERS: [&str; 3] = ["{{", "{%", "{#"];

/// Whether `s` holds any template opener.
pub fn has_opener(s: &str) -> bool {
    OPENERS.iter().any(|o| s.contains(o))
}

/// Replaces the `{` of every opener in prose or HTML with `&#123;`.
pub fn entities(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len() + 16);
    let mut from = 0;
    // Braces found with memchr; the text between them copied whole.
    for at in memchr::memchr_iter(b'{', b) {
        if matches!(b.get(at + 1), Some(b'{' | b'%' | b'#')) {
            out.push_str(&s[from..at]);
            out.push_str("&#123;");
            from = at + 1;
        }
    }
    out.push_str(&s[from..]);
    out
}

/// Escapes text for HTML and turns every ASCII punctuation character into a
/// numeric entity, so that neither Markdown nor a template engine can read
/// anything into it (used for code written as raw HTML).
pub fn inert_html_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 2);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c if c.is_ascii_punctuation() => {
                out.push_str(&format!("&#{};", c as u32));
            }
            c => out.push(c),
        }
    }
    out
}

/// Byte offsets of every opener in `s` that is not a `{#id}` heading
/// attribute at the end of a heading line. Tests use this to check output.
pub fn stray_openers(s: &str) -> Vec<usize> {
    let mut found = Vec::new();
    let mut line_start = 0;
    for line in s.split_inclusive('\n') {
        for o in OPENERS {
            let mut from = 0;
            while let Some(i) = line[from..].find(o) {
                let at = from + i;
                if !(o == "{#" && is_heading_attribute(line, at)) {
                    found.push(line_start + at);
                }
                from = at + o.len();
            }
        }
        line_start += line.len();
    }
    found.sort_unstable();
    found
}

/// Whether the `{#` at byte `at` of `line` starts a `{#id …}` block that ends
/// an ATX heading line (or a setext heading's text line, which we cannot see
/// from one line, so any line ending in the block counts).
fn is_heading_attribute(line: &str, at: usize) -> bool {
    let rest = line[at..].trim_end();
    rest.ends_with('}')
        && !rest[1..].contains('{')
        && rest
            .chars()
            .skip(2)
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | ':' | '.' | ' ' | '}'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entities_break_every_opener() {
        let s = entities("{{ site.url }} {% if %} {# c #} {x}");
        assert!(!has_opener(&s), "{s}");
        assert!(s.contains("{x}"));
        assert_eq!(entities("{{{"), "&#123;&#123;{");
    }

    #[test]
    fn inert_text_has_no_markup() {
        let s = inert_html_text("{{ a_b *c* }} <x> &");
        assert!(!has_opener(&s));
        assert!(!s.contains('_') && !s.contains('*') && !s.contains('<'));
    }

    #[test]
    fn heading_ids_are_not_stray() {
        assert!(stray_openers("## Title {#title}\n").is_empty());
        assert_eq!(stray_openers("a {#x} b\n"), vec![2]);
        assert_eq!(stray_openers("x {{ y }}"), vec![2]);
    }
}
