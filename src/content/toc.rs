//! kramdown's table of contents: the one-item list followed by `{:toc}`
//! becomes a [`Node::Toc`], so each converter can put its own there.

use std::sync::LazyLock;

use regex::Regex;

use super::Node;

static TOC_LIST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?m)^[ \t]{0,3}(?:[*+-]|\d+\.)[ \t]+.*\n[ \t]*\{:[ \t]*toc[ \t]*\}[ \t]*(?:\n|\z)")
        .unwrap_or_else(|_| unreachable!("constant regex"))
});

/// Whether `text` holds a `{:toc}` list (the substring test rules most
/// texts out before the pattern runs).
fn holds_toc(text: &str) -> bool {
    TOC_WORD.is_in(text) && TOC_LIST.is_match(text)
}

/// What every `{:toc}` holds, searched for before the full pattern.
static TOC_WORD: crate::find::Needle = crate::find::Needle::new("toc");

/// Splits `Markdown` nodes around each `{:toc}` list.
pub(crate) fn split_toc(nodes: Vec<Node>, hidden: Vec<bool>) -> (Vec<Node>, Vec<bool>) {
    // Most documents have no `{:toc}`: then the nodes stay where they are.
    if !nodes
        .iter()
        .any(|n| matches!(n, Node::Markdown { text, .. } if holds_toc(text)))
    {
        return (nodes, hidden);
    }
    let mut out = Vec::with_capacity(nodes.len());
    let mut flags = Vec::with_capacity(hidden.len());
    for (node, flag) in nodes.into_iter().zip(hidden) {
        let Node::Markdown { text, line } = node else {
            out.push(node);
            flags.push(flag);
            continue;
        };
        if !holds_toc(&text) {
            out.push(Node::Markdown { text, line });
            flags.push(flag);
            continue;
        }
        let mut pos = 0;
        for m in TOC_LIST.find_iter(&text) {
            let before = &text[pos..m.start()];
            let before_line = line + text[..pos].matches('\n').count();
            if !before.is_empty() {
                out.push(Node::Markdown {
                    text: before.to_string(),
                    line: before_line,
                });
                flags.push(false);
            }
            out.push(Node::Toc);
            flags.push(false);
            pos = m.end();
        }
        if pos < text.len() {
            out.push(Node::Markdown {
                text: text[pos..].to_string(),
                line: line + text[..pos].matches('\n').count(),
            });
            flags.push(false);
        }
    }
    (out, flags)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toc_list_becomes_a_node() {
        let nodes = vec![Node::Markdown {
            text: "Intro\n\n* TOC\n{:toc}\n\n## A\n".into(),
            line: 5,
        }];
        let (out, flags) = split_toc(nodes, vec![false]);
        assert_eq!(
            out,
            vec![
                Node::Markdown {
                    text: "Intro\n\n".into(),
                    line: 5
                },
                Node::Toc,
                Node::Markdown {
                    text: "\n## A\n".into(),
                    line: 9
                },
            ]
        );
        assert_eq!(flags, vec![false, false, false]);
    }
}
