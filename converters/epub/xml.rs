//! XML output: escaping and serialising the sanitised tree as XHTML
//! (void elements closed, every attribute quoted, only the five XML
//! entities, characters XML 1.0 forbids removed).

use super::dom::{Element, Node};

/// Elements HTML defines as void: written `<br/>`, never with content.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
];

/// Whether `c` may appear in an XML 1.0 document.
fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Escapes text content.
pub fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c if xml_char(c) => out.push(c),
            _ => {}
        }
    }
    out
}

/// Escapes an attribute value (for double quotes).
pub fn attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            // A literal newline or tab in an attribute is normalised to a
            // space by XML parsers anyway.
            '\n' | '\t' => out.push(' '),
            c if xml_char(c) => out.push(c),
            _ => {}
        }
    }
    out
}

/// Serialises nodes as XHTML into `out`.
pub fn write_nodes(nodes: &[Node], out: &mut String) {
    for n in nodes {
        match n {
            Node::Text(t) => out.push_str(&text(t)),
            Node::Element(e) => write_element(e, out),
        }
    }
}

/// Serialises one element as XHTML into `out`.
pub fn write_element(e: &Element, out: &mut String) {
    out.push('<');
    out.push_str(&e.name);
    for (n, v) in &e.attrs {
        out.push(' ');
        out.push_str(n);
        out.push_str("=\"");
        out.push_str(&attr(v));
        out.push('"');
    }
    // SVG and MathML elements are XML: an empty one closes itself.
    if VOID.contains(&e.name.as_str()) || (!e.html && e.children.is_empty()) {
        out.push_str("/>");
        return;
    }
    out.push('>');
    write_nodes(&e.children, out);
    out.push_str("</");
    out.push_str(&e.name);
    out.push('>');
}

/// Serialises nodes to a new string.
pub fn to_string(nodes: &[Node]) -> String {
    let mut s = String::new();
    write_nodes(nodes, &mut s);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_closes() {
        let e = Element::new("p").with(vec![
            Node::Text("a & b < c\u{0}\u{b}".into()),
            Node::Element(Element::new("br")),
            Node::Element(
                Element::new("a")
                    .attr("href", "x?a=1&b=\"2\"")
                    .with(vec![Node::Text("\u{a0}".into())]),
            ),
        ]);
        let mut s = String::new();
        write_element(&e, &mut s);
        assert_eq!(
            s,
            "<p>a &amp; b &lt; c<br/><a href=\"x?a=1&amp;b=&quot;2&quot;\">\u{a0}</a></p>"
        );
    }
}
