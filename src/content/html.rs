//! HTML rendering of a document's nodes, in the order Jekyll works: the
//! nodes are put back together as Liquid's output, then kramdown renders
//! Markdown documents.

use super::highlight::highlight_tag_html;
use super::kramdown::Stash;
use super::markdown::{self, Options, Rendered};
use super::Node;

/// Escapes text for an HTML text node.
pub fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            _ => out.push(c),
        }
    }
    out
}

/// Escapes text for a double-quoted HTML attribute.
pub fn escape_attr(s: &str) -> String {
    escape_text(s).replace('"', "&quot;")
}

/// What a node contributes to the text Jekyll hands to kramdown; `tokens`
/// gives code rouge's token spans (only where HTML is the output).
pub(crate) fn node_source(node: &Node, baseurl: &str, tokens: bool) -> String {
    match node {
        Node::Markdown { text, .. } => text.clone(),
        Node::Html { html, .. } => html.clone(),
        Node::Literal { text } => text.clone(),
        Node::Code {
            lang,
            linenos,
            marked,
            code,
            ..
        } => highlight_tag_html(lang.as_deref(), *linenos, marked, code, tokens),
        Node::DocLink { url, .. } => format!("{baseurl}{url}"),
        Node::Embed { fallback_html, .. } => fallback_html.clone(),
        Node::Toc => "* toc\n{:toc}\n".to_string(),
    }
}

/// Renders nodes of a Markdown document to HTML. `hidden[i]` leaves node
/// `i` out (an unresolved tag, which Jekyll's build had no output for).
pub fn render_markdown(nodes: &[Node], hidden: &[bool], opts: &Options, baseurl: &str) -> Rendered {
    let mut stash = Stash::default();
    let mut text = String::new();
    for (i, node) in nodes.iter().enumerate() {
        if hidden.get(i).copied().unwrap_or(false) {
            continue;
        }
        match node {
            // Highlighted code would not survive Markdown parsing (blank
            // lines end HTML blocks in CommonMark); kramdown keeps it whole.
            Node::Code { .. } => {
                let html = node_source(node, baseurl, opts.highlight);
                text.push_str(&stash.put(html));
            }
            _ => text.push_str(&node_source(node, baseurl, opts.highlight)),
        }
    }
    markdown::render_with(&text, opts, stash)
}

/// Renders nodes of an HTML (or other) document: their text, concatenated;
/// `highlight` gives code rouge's token spans.
pub fn render_plain(nodes: &[Node], hidden: &[bool], baseurl: &str, highlight: bool) -> String {
    nodes
        .iter()
        .enumerate()
        .filter(|(i, _)| !hidden.get(*i).copied().unwrap_or(false))
        .map(|(_, n)| node_source(n, baseurl, highlight))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_node_survives_blank_lines() {
        let nodes = vec![
            Node::Markdown {
                text: "Intro\n\n".into(),
                line: 1,
            },
            Node::Code {
                lang: Some("ruby".into()),
                linenos: false,
                marked: vec![],
                code: "a\n\n    b".into(),
                line: 3,
            },
            Node::Markdown {
                text: "\n\nSee [x](".into(),
                line: 7,
            },
            Node::DocLink {
                target: "_posts/2020-01-01-x.md".into(),
                url: "/2020/01/01/x.html".into(),
            },
            Node::Markdown {
                text: ").\n".into(),
                line: 9,
            },
        ];
        let r = render_markdown(&nodes, &[], &Options::default(), "/blog");
        assert!(r.html.contains("<figure class=\"highlight\"><pre><code class=\"language-ruby\" data-lang=\"ruby\">a\n\n    b</code></pre></figure>"), "{}", r.html);
        assert!(
            r.html.contains("<a href=\"/blog/2020/01/01/x.html\">x</a>"),
            "{}",
            r.html
        );
    }
}
