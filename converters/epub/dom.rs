//! HTML parsing: a post's rendered HTML, whatever it holds, parsed the way a
//! browser parses it (html5ever) and copied into a small owned tree that the
//! sanitiser rewrites and the XML writer serialises.

use html5ever::tendril::TendrilSink;
use html5ever::tree_builder::TreeBuilderOpts;
use html5ever::{local_name, ns, parse_fragment, ParseOpts, QualName};
use markup5ever_rcdom::{Handle, NodeData, RcDom};

/// Nesting deeper than this is flattened to its text: real posts never come
/// close, and it keeps every later recursive pass far from the stack limit.
const MAX_DEPTH: usize = 200;

/// A node of an HTML tree.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// An element.
    Element(Element),
    /// Text, entities already decoded.
    Text(String),
}

/// An element with a lower-case local name and its attributes in source order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Element {
    /// Local name (`p`, `img`); foreign elements keep their local name too.
    pub name: String,
    /// Whether the element is in the HTML namespace (false for SVG and MathML).
    pub html: bool,
    /// Attributes (`name`, `value`); names as the parser gave them.
    pub attrs: Vec<(String, String)>,
    /// Children.
    pub children: Vec<Node>,
}

impl Element {
    /// A new HTML element.
    pub fn new(name: &str) -> Self {
        Element {
            name: name.to_string(),
            html: true,
            attrs: Vec::new(),
            children: Vec::new(),
        }
    }

    /// Adds an attribute (builder style).
    pub fn attr(mut self, name: &str, value: impl Into<String>) -> Self {
        self.set(name, value);
        self
    }

    /// Adds children (builder style).
    pub fn with(mut self, children: Vec<Node>) -> Self {
        self.children.extend(children);
        self
    }

    /// The value of attribute `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Sets attribute `name`, replacing an existing value.
    pub fn set(&mut self, name: &str, value: impl Into<String>) {
        let value = value.into();
        match self.attrs.iter_mut().find(|(n, _)| n == name) {
            Some(slot) => slot.1 = value,
            None => self.attrs.push((name.to_string(), value)),
        }
    }

    /// Whether the `class` attribute holds `class`.
    pub fn has_class(&self, class: &str) -> bool {
        self.get("class")
            .is_some_and(|c| c.split_ascii_whitespace().any(|t| t == class))
    }
}

/// Parses `html` as the content of a `<body>` (what a post body is) and
/// returns its top-level nodes. Comments, doctypes and processing
/// instructions are dropped: a book has no use for them, and dropping them is
/// also how `--` inside comments stops being a problem.
#[cfg(test)]
pub fn parse_fragment_html(html: &str) -> Vec<Node> {
    parse_fragment_checked(html).0
}

/// [`parse_fragment_html`], and whether nesting deeper than the book keeps
/// ([`MAX_DEPTH`]) was flattened to its text.
pub fn parse_fragment_checked(html: &str) -> (Vec<Node>, bool) {
    let (html, cut) = super::depth::limit(html, super::depth::PARSE_DEPTH);
    let html = html.as_ref();
    let opts = ParseOpts {
        tree_builder: TreeBuilderOpts {
            // With scripting off, `<noscript>` content is parsed as markup:
            // it is the fallback a book wants.
            scripting_enabled: false,
            ..TreeBuilderOpts::default()
        },
        ..ParseOpts::default()
    };
    let context = QualName::new(None, ns!(html), local_name!("body"));
    let dom = parse_fragment(RcDom::default(), opts, context, Vec::new(), false).one(html);
    // A fragment parse puts everything under one synthetic <html> element.
    let root: Vec<Handle> = dom.document.children.borrow().clone();
    let mut out = Vec::new();
    let mut flattened = cut;
    for top in root {
        let children: Vec<Handle> = top.children.borrow().clone();
        for child in children {
            copy(&child, 0, &mut out, &mut flattened);
        }
    }
    (out, flattened)
}

fn copy(handle: &Handle, depth: usize, out: &mut Vec<Node>, flattened: &mut bool) {
    match &handle.data {
        NodeData::Text { contents } => push_text(out, &contents.borrow()),
        NodeData::Element {
            name,
            attrs,
            template_contents,
            ..
        } => {
            if depth >= MAX_DEPTH {
                *flattened = true;
                push_text(out, &text_of(handle));
                return;
            }
            let mut el = Element {
                name: name.local.to_string(),
                html: name.ns == ns!(html),
                attrs: Vec::new(),
                children: Vec::new(),
            };
            for a in attrs.borrow().iter() {
                let n = match &a.name.prefix {
                    Some(p) => format!("{p}:{}", a.name.local),
                    None => a.name.local.to_string(),
                };
                // The parser already drops duplicate attributes; keep the
                // first of any that remain after prefixing.
                if el.get(&n).is_none() {
                    el.attrs.push((n, a.value.to_string()));
                }
            }
            // `<template>` content lives apart from the children; it is inert
            // and never shown, so it is not copied.
            let _ = template_contents;
            let kids: Vec<Handle> = handle.children.borrow().clone();
            for k in &kids {
                copy(k, depth + 1, &mut el.children, flattened);
            }
            out.push(Node::Element(el));
        }
        NodeData::Document
        | NodeData::Doctype { .. }
        | NodeData::Comment { .. }
        | NodeData::ProcessingInstruction { .. } => {}
    }
}

/// Appends text, merging with a preceding text node.
pub fn push_text(out: &mut Vec<Node>, s: &str) {
    if s.is_empty() {
        return;
    }
    if let Some(Node::Text(t)) = out.last_mut() {
        t.push_str(s);
    } else {
        out.push(Node::Text(s.to_string()));
    }
}

/// All text below `handle`, iteratively (used past [`MAX_DEPTH`]).
fn text_of(handle: &Handle) -> String {
    let mut s = String::new();
    let mut stack = vec![handle.clone()];
    while let Some(h) = stack.pop() {
        if let NodeData::Text { contents } = &h.data {
            s.push_str(&contents.borrow());
        }
        let kids = h.children.borrow();
        for k in kids.iter().rev() {
            stack.push(k.clone());
        }
    }
    s
}

/// All text below a list of nodes of our own tree.
pub fn text_content(nodes: &[Node]) -> String {
    let mut s = String::new();
    for n in nodes {
        match n {
            Node::Text(t) => s.push_str(t),
            Node::Element(e) => s.push_str(&text_content(&e.children)),
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_broken_html_like_a_browser() {
        let nodes = parse_fragment_html("<p>a<br>b&nbsp;c<img src=x.png><!-- a -- b --></p><p>d");
        assert_eq!(nodes.len(), 2);
        let Node::Element(p) = &nodes[0] else {
            panic!("not an element: {nodes:?}")
        };
        assert_eq!(p.name, "p");
        assert_eq!(text_content(&p.children), "ab\u{a0}c");
        assert!(p.children.iter().any(
            |n| matches!(n, Node::Element(e) if e.name == "img" && e.get("src") == Some("x.png"))
        ));
    }

    #[test]
    fn deep_nesting_is_flattened_not_overflowing() {
        let html = format!("{}deep{}", "<div>".repeat(5000), "</div>".repeat(5000));
        let (nodes, flattened) = parse_fragment_checked(&html);
        assert_eq!(text_content(&nodes), "deep");
        assert!(flattened);
        assert!(!parse_fragment_checked("<div><p>shallow</p></div>").1);
    }
}
