//! The attributes of the start tags in HTML, found as the HTML tokenizer
//! finds them (WHATWG "tokenization": data, tag, attribute, comment and
//! raw-text states), with their byte offsets, so a caller can rewrite
//! attribute values in place and leave every other byte as written.
//!
//! html5ever's tokenizer gives tokens without source offsets; rebuilding
//! the HTML from them would rewrite every entity and quote of a feed item.
//! This scanner only follows the states that decide what is a tag: text
//! (where `&lt;a href="…"&gt;` is text, not a link), comments, the content
//! of `script`, `style` and the other raw-text elements, and quoted values.

use std::ops::Range;

/// One attribute with a value, in a start tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attr {
    /// The element's name, ASCII lower case.
    pub element: String,
    /// The attribute's name, ASCII lower case.
    pub name: String,
    /// The value's bytes (inside the quotes, if any).
    pub value: Range<usize>,
    /// Whether the value is quoted (`"` or `'`).
    pub quoted: bool,
}

/// Elements whose content is text up to their end tag (raw text, RCDATA,
/// and `noembed`/`noframes`/`iframe` as browsers parse them): no tag
/// inside them is a tag.
const RAW_TEXT: &[&str] = &[
    "script", "style", "xmp", "iframe", "noembed", "noframes", "textarea", "title",
];

/// Every attribute with a value of every start tag in `html`, in order.
pub fn start_tag_attrs(html: &str) -> Vec<Attr> {
    let b = html.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while let Some(rel) = memchr::memchr(b'<', &b[i..]) {
        let lt = i + rel;
        let next = match b.get(lt + 1) {
            Some(&c) => c,
            None => break,
        };
        i = match next {
            b'!' if b[lt..].starts_with(b"<!--") => match comment_end(b, lt + 4) {
                Some(end) => end,
                None => break,
            },
            // A doctype, CDATA or a bogus comment: up to the next `>`.
            b'!' | b'?' => match memchr::memchr(b'>', &b[lt..]) {
                Some(gt) => lt + gt + 1,
                None => break,
            },
            b'/' if b.get(lt + 2).is_some_and(u8::is_ascii_alphabetic) => {
                // End tags may carry (ignored) attributes, quotes and all.
                let mut ignored = Vec::new();
                match tag(html, lt + 2, &mut ignored) {
                    Some((_, end)) => end,
                    None => break,
                }
            }
            b'/' => match memchr::memchr(b'>', &b[lt..]) {
                Some(gt) => lt + gt + 1,
                None => break,
            },
            c if c.is_ascii_alphabetic() => {
                let mut attrs = Vec::new();
                let Some((name, end)) = tag(html, lt + 1, &mut attrs) else {
                    break;
                };
                found.append(&mut attrs);
                if name == "plaintext" {
                    break;
                }
                if RAW_TEXT.contains(&name.as_str()) {
                    match raw_text_end(b, end, &name) {
                        Some(close) => close,
                        None => break,
                    }
                } else {
                    end
                }
            }
            _ => lt + 1,
        };
    }
    found
}

/// Just past the end of the comment whose text starts at `from` (after
/// `<!--`): `-->` or `--!>`, or the `>` of an abrupt `<!-->` / `<!--->`.
fn comment_end(b: &[u8], from: usize) -> Option<usize> {
    let rest = b.get(from..)?;
    if rest.starts_with(b">") {
        return Some(from + 1);
    }
    if rest.starts_with(b"->") {
        return Some(from + 2);
    }
    let mut at = 0;
    while let Some(rel) = memchr::memmem::find(&rest[at..], b"--") {
        let dashes = at + rel + 2;
        if rest[dashes..].starts_with(b">") {
            return Some(from + dashes + 1);
        }
        if rest[dashes..].starts_with(b"!>") {
            return Some(from + dashes + 2);
        }
        at = at + rel + 1;
    }
    None
}

/// Where the end tag `</name` closing a raw-text element starts, searching
/// from `from`; `None` when the element runs to the end.
fn raw_text_end(b: &[u8], from: usize, name: &str) -> Option<usize> {
    let mut at = from;
    while let Some(rel) = memchr::memmem::find(&b[at..], b"</") {
        let lt = at + rel;
        let after = lt + 2 + name.len();
        let named = b
            .get(lt + 2..after)
            .is_some_and(|n| n.eq_ignore_ascii_case(name.as_bytes()));
        let ends = matches!(
            b.get(after),
            Some(b'\t' | b'\n' | b'\x0c' | b' ' | b'/' | b'>')
        );
        if named && ends {
            return Some(lt);
        }
        at = lt + 2;
    }
    None
}

fn is_space(c: u8) -> bool {
    matches!(c, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
}

/// Reads the tag whose name starts at `from`: its lower-case name and
/// just past its `>`, the attributes with a value pushed to `attrs`;
/// `None` when the HTML ends inside the tag (the tokenizer drops it).
fn tag(html: &str, from: usize, attrs: &mut Vec<Attr>) -> Option<(String, usize)> {
    let b = html.as_bytes();
    let mut i = from;
    while i < b.len() && !is_space(b[i]) && b[i] != b'/' && b[i] != b'>' {
        i += 1;
    }
    let element = html[from..i].to_ascii_lowercase();
    loop {
        while i < b.len() && (is_space(b[i]) || b[i] == b'/') {
            i += 1;
        }
        if *b.get(i)? == b'>' {
            return Some((element, i + 1));
        }
        // A name runs to white space, `/`, `>` or an `=` after its first
        // character (a leading `=` belongs to the name).
        let name_start = i;
        i += 1;
        while i < b.len() && !is_space(b[i]) && !matches!(b[i], b'/' | b'>' | b'=') {
            i += 1;
        }
        let name = html[name_start..i].to_ascii_lowercase();
        while i < b.len() && is_space(b[i]) {
            i += 1;
        }
        if b.get(i) != Some(&b'=') {
            continue;
        }
        i += 1;
        while i < b.len() && is_space(b[i]) {
            i += 1;
        }
        let (value, quoted) = match b.get(i)? {
            &q @ (b'"' | b'\'') => {
                let close = i + 1 + memchr::memchr(q, &b[i + 1..])?;
                let v = i + 1..close;
                i = close + 1;
                (v, true)
            }
            b'>' => (i..i, false),
            _ => {
                let start = i;
                while i < b.len() && !is_space(b[i]) && b[i] != b'>' {
                    i += 1;
                }
                (start..i, false)
            }
        };
        attrs.push(Attr {
            element: element.clone(),
            name,
            value,
            quoted,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(html: &str) -> Vec<(String, String, String)> {
        start_tag_attrs(html)
            .into_iter()
            .map(|a| (a.element, a.name, html[a.value].to_string()))
            .collect()
    }

    fn one(e: &str, n: &str, v: &str) -> (String, String, String) {
        (e.into(), n.into(), v.into())
    }

    #[test]
    fn attributes_of_start_tags_only() {
        assert_eq!(
            shown(r#"<A HREF="/x" class=c title='t'>x</a><img src=p.png/>"#),
            vec![
                one("a", "href", "/x"),
                one("a", "class", "c"),
                one("a", "title", "t"),
                one("img", "src", "p.png/"),
            ]
        );
        // Escaped markup is text; so is what comments and scripts hold.
        for text in [
            r#"<pre><code>&lt;a href="{% url 'memo' %}"&gt;</code></pre>"#,
            r#"<p>a href="x" and 1 < 2 href="y"</p>"#,
            r#"<!-- <a href="c"> --><!--><p>"#,
            r#"<script>var s = '<a href="s">';</script>"#,
            r#"<style>a[href="q"]{}</style ><textarea><img src="t"></textarea>"#,
            r#"<a title='x href="no"' data-x="a > href=b">"#,
            r#"</a href="end"><? href="pi" ><!doctype href="d">"#,
        ] {
            let names: Vec<_> = shown(text).into_iter().map(|(_, n, _)| n).collect();
            assert!(
                !names.iter().any(|n| n == "href" || n == "src"),
                "{text}: {names:?}"
            );
        }
        // After a raw-text element, tags are tags again.
        assert_eq!(
            shown(r#"<script>"</scripts>"</script><a href=x>"#),
            vec![one("a", "href", "x")]
        );
        // A tag the HTML ends inside is no tag.
        assert_eq!(shown(r#"<a href="x"#), vec![]);
    }
}
