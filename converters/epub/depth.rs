//! Bounding how deep HTML nests before html5ever sees it. The parser checks
//! its stack of open elements for every tag, so a post of a hundred thousand
//! nested `<div>`s (or `>` quote markers) took minutes; tags past
//! [`PARSE_DEPTH`] are left out here, their text kept, which the tree copy
//! would have flattened anyway.
//!
//! The walk follows the parser only roughly: an end tag closes up to the
//! nearest open element of its name, a `<p>` or `<li>`-like start tag
//! closes an open one of its name near the top, void elements never open,
//! and comments and raw-text elements (`<script>`, `<style>`, …) are stepped
//! over.

use std::borrow::Cow;

/// Open elements past which start tags (and their end tags) are dropped;
/// far above the depth the book keeps as structure.
pub const PARSE_DEPTH: usize = 1024;

/// Elements that never have content.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr", "keygen", "frame", "basefont", "bgsound",
];

/// Elements a following start tag of their own name closes (end tag optional).
const SELF_CLOSING_SIBLINGS: &[&str] = &[
    "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "rb", "rt", "rtc", "rp",
    "thead", "tbody", "tfoot", "colgroup",
];

/// Containers a start tag of [`SELF_CLOSING_SIBLINGS`] does not close
/// through.
const BOUNDARIES: &[&str] = &[
    "ol",
    "ul",
    "menu",
    "dl",
    "table",
    "tbody",
    "thead",
    "tfoot",
    "tr",
    "td",
    "th",
    "select",
    "div",
    "blockquote",
    "section",
    "article",
    "aside",
    "nav",
    "figure",
    "details",
    "li",
    "dd",
];

/// Elements whose content is text, not markup, up to their end tag.
const RAW_TEXT: &[&str] = &[
    "script",
    "style",
    "textarea",
    "title",
    "xmp",
    "iframe",
    "noembed",
    "noframes",
    "plaintext",
];

/// `html` with the start and end tags nested deeper than `limit` left out
/// (borrowed back when none are), and whether any were.
pub fn limit(html: &str, limit: usize) -> (Cow<'_, str>, bool) {
    let bytes = html.as_bytes();
    let mut open: Vec<&str> = Vec::new();
    // Start tags dropped and not yet matched by an end tag.
    let mut dropped_open = 0usize;
    // Byte ranges to leave out, in order.
    let mut cuts: Vec<(usize, usize)> = Vec::new();
    let mut pos = 0;
    while let Some(rel) = memchr::memchr(b'<', &bytes[pos..]) {
        let start = pos + rel;
        let rest = &html[start..];
        if let Some(comment) = rest.strip_prefix("<!--") {
            pos = comment
                .find("-->")
                .map_or(html.len(), |e| start + 4 + e + 3);
            continue;
        }
        if rest.starts_with("<!") || rest.starts_with("<?") {
            pos = rest.find('>').map_or(html.len(), |e| start + e + 1);
            continue;
        }
        let closing = rest.starts_with("</");
        let name_from = if closing { 2 } else { 1 };
        let name_len = rest[name_from..]
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || *b == b'-' || *b == b':')
            .count();
        if name_len == 0 || !rest[name_from..].starts_with(|c: char| c.is_ascii_alphabetic()) {
            pos = start + 1;
            continue;
        }
        let name = &rest[name_from..name_from + name_len];
        let Some(tag_len) = tag_end(&rest[name_from + name_len..]) else {
            break;
        };
        let end = start + name_from + name_len + tag_len;
        pos = end;
        let lower = name.to_ascii_lowercase();
        if closing {
            if dropped_open > 0 {
                // The innermost start tags were the dropped ones.
                dropped_open -= 1;
                cuts.push((start, end));
            } else if let Some(i) = open.iter().rposition(|n| n.eq_ignore_ascii_case(name)) {
                open.truncate(i);
            }
            continue;
        }
        let self_closed = html[..end].ends_with("/>");
        if VOID.contains(&lower.as_str()) || self_closed {
            continue;
        }
        // Inside a dropped element the open list's top is not the real
        // parent, so no sibling is closed there: everything nests deeper.
        if dropped_open == 0 && SELF_CLOSING_SIBLINGS.contains(&lower.as_str()) {
            // An open one of its name closes, unless a list, table or other
            // container opened since (`<li><ol><li>` nests).
            let sibling = open
                .iter()
                .enumerate()
                .rev()
                .take(8)
                .take_while(|(_, n)| {
                    n.eq_ignore_ascii_case(name)
                        || !BOUNDARIES.iter().any(|b| n.eq_ignore_ascii_case(b))
                })
                .find(|(_, n)| n.eq_ignore_ascii_case(name))
                .map(|(i, _)| i);
            if let Some(i) = sibling {
                open.truncate(i);
            }
        }
        if RAW_TEXT.contains(&lower.as_str()) {
            // Its text runs to its end tag; it opens nothing inside.
            let close = format!("</{lower}");
            let tail = &html[end..];
            pos = tail
                .to_ascii_lowercase()
                .find(&close)
                .map_or(html.len(), |i| end + i);
            continue;
        }
        if dropped_open > 0 || open.len() >= limit {
            dropped_open += 1;
            cuts.push((start, end));
        } else {
            open.push(name);
        }
    }
    if cuts.is_empty() {
        return (Cow::Borrowed(html), false);
    }
    let mut out = String::with_capacity(html.len());
    let mut from = 0;
    for (a, b) in cuts {
        out.push_str(&html[from..a]);
        from = b;
    }
    out.push_str(&html[from..]);
    (Cow::Owned(out), true)
}

/// Length of a tag's remainder after its name, up to and including the
/// `>` that ends it (a `>` inside a quoted attribute value does not).
fn tag_end(rest: &str) -> Option<usize> {
    let mut quote: Option<u8> = None;
    for (i, b) in rest.bytes().enumerate() {
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if b == b'"' || b == b'\'' => quote = Some(b),
            None if b == b'>' => return Some(i + 1),
            None => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::limit;

    #[test]
    fn shallow_html_is_borrowed_untouched() {
        let html = "<div class=\"a>b\"><p>x<p>y<ul><li>1<li>2</ul><br><img src=a.png/></div>\
                    <script>if (a<b) { document.write('<div>') }</script><!-- <div> -->";
        let (out, cut) = limit(html, 5);
        assert!(!cut);
        assert_eq!(out, html);
    }

    #[test]
    fn tags_past_the_limit_go_and_their_text_stays() {
        let html = format!("{}deep{}", "<div>".repeat(10), "</div>".repeat(10));
        let (out, cut) = limit(&html, 4);
        assert!(cut);
        assert_eq!(
            out,
            format!("{}deep{}", "<div>".repeat(4), "</div>".repeat(4))
        );
    }

    #[test]
    fn unclosed_paragraphs_and_items_do_not_count_as_nesting() {
        let html = "<p>para".repeat(5000) + &"<ul>".repeat(2) + &"<li>item".repeat(5000);
        let (_, cut) = limit(&html, 10);
        assert!(!cut);
        // Closing an outer element closes what was left open inside it.
        let sloppy = "<div><span><b>x</div>".repeat(5000);
        assert!(!limit(&sloppy, 10).1);
        // But an item holding a list holding an item nests.
        let lists = format!("{}x{}", "<ol><li>".repeat(50), "</li></ol>".repeat(50));
        let (out, cut) = limit(&lists, 10);
        assert!(cut);
        assert_eq!(
            out,
            format!("{}x{}", "<ol><li>".repeat(5), "</li></ol>".repeat(5))
        );
    }
}
