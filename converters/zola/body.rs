//! A document's body for Zola: content nodes rendered back to back, then the
//! Markdown pass of [`super::markdown`].

use std::collections::HashMap;

use crate::content::Node;
use crate::diagnostics::Diagnostic;
use crate::ir::{Document, Format};

use super::markdown::{finish, rewrite_html_links, LinkBase};
use super::neutralise::entities;

/// What a body needs to know about the rest of the site.
pub struct BodyContext<'a> {
    /// Content file (below `content/`) of every document written as a page or
    /// section, by source path.
    pub content_files: &'a HashMap<String, String>,
    /// The site's `baseurl` (`/blog` or empty).
    pub baseurl: &'a str,
}

/// The rendered body and whether kramdown's `{:toc}` was in it.
pub struct Body {
    /// The body text.
    pub text: String,
    /// A `{:toc}` marker was dropped.
    pub toc: bool,
}

/// Renders `doc`'s body for a Zola `.md` file.
pub fn render(doc: &Document, ctx: &BodyContext<'_>, diags: &mut Vec<Diagnostic>) -> Body {
    let fallback;
    let nodes: &[Node] = if doc.content.is_empty() {
        fallback = [Node::Markdown {
            text: doc.body.clone(),
            line: doc.body_line,
        }];
        &fallback
    } else {
        &doc.content
    };
    let mut out = String::new();
    let mut toc = false;
    for node in nodes {
        match node {
            Node::Markdown { text, .. } | Node::Literal { text } => out.push_str(text),
            Node::Html { html, .. } => out.push_str(html),
            Node::Code {
                lang,
                linenos,
                marked,
                code,
                ..
            } => push_fence(&mut out, lang.as_deref(), *linenos, marked, code),
            Node::DocLink { target, url } => {
                let in_md_link =
                    out.ends_with("](") || out.ends_with("](<") || ends_with_ref_def(&out);
                match ctx.content_files.get(target) {
                    Some(file) if in_md_link && doc.format == Format::Markdown => {
                        out.push_str("@/");
                        out.push_str(file);
                    }
                    _ => {
                        out.push_str(ctx.baseurl);
                        out.push_str(url);
                    }
                }
            }
            Node::Embed { fallback_html, .. } => out.push_str(fallback_html),
            Node::Toc => toc = true,
        }
    }
    let base = LinkBase {
        page_url: format!("http://site.invalid{}{}", ctx.baseurl, doc.url),
    };
    let text = match doc.format {
        Format::Markdown => {
            let (stripped, ials) = strip_block_ials(&out);
            if ials > 0 {
                diags.push(
                    Diagnostic::info(
                        "zola-kramdown-ial",
                        &doc.source,
                        format!("{ials} kramdown attribute line(s) ({{: …}}) have no Zola equivalent and were dropped"),
                    )
                    .at_line(doc.body_line),
                );
            }
            let (text, rep) = finish(&stripped, &base);
            for line in rep.code_blocks_as_html {
                diags.push(
                    Diagnostic::info(
                        "zola-code-as-html",
                        &doc.source,
                        "this code block holds {{, {% or {#, which Zola 0.22 and 0.23 would run as a template; it is written as an HTML <pre> block with entities, without syntax highlighting",
                    )
                    .at_line(doc.body_line + line - 1),
                );
            }
            text
        }
        // An HTML body is written as one raw HTML block: a blank line would
        // end the block and let Markdown read the rest (indented lines would
        // become code), so blank lines are replaced by an empty comment.
        Format::Html | Format::Other(_) => {
            let html = rewrite_html_links(&out, &base);
            let joined: Vec<&str> = html
                .split('\n')
                .map(|l| if l.trim().is_empty() { "<!---->" } else { l })
                .collect();
            entities(joined.join("\n").trim_end_matches("<!---->"))
        }
    };
    if toc {
        diags.push(Diagnostic::info(
            "zola-toc",
            &doc.source,
            "kramdown's {:toc} marker was removed; Zola offers the headings as page.toc to templates",
        ));
    }
    Body { text, toc }
}

fn ends_with_ref_def(out: &str) -> bool {
    let line = out.rsplit('\n').next().unwrap_or("");
    let t = line.trim_start();
    t.starts_with('[') && t.trim_end().ends_with("]:")
}

/// A fenced code block with Zola's options (`lang,linenos,hl_lines=1 3`).
fn push_fence(out: &mut String, lang: Option<&str>, linenos: bool, marked: &[u32], code: &str) {
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
    let longest = code.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    let mut info: Vec<String> = Vec::new();
    if let Some(l) = lang.filter(|l| !l.trim().is_empty()) {
        info.push(l.trim().replace([',', '`', ' '], ""));
    }
    if linenos {
        info.push("linenos".into());
    }
    if !marked.is_empty() {
        let lines: Vec<String> = marked.iter().map(u32::to_string).collect();
        info.push(format!("hl_lines={}", lines.join(" ")));
    }
    out.push_str(&fence);
    out.push_str(&info.join(","));
    out.push('\n');
    out.push_str(code);
    if !code.ends_with('\n') {
        out.push('\n');
    }
    out.push_str(&fence);
    out.push('\n');
}

/// Removes kramdown block attribute lines (`{: .class}`, `{:toc}`,
/// `{::options …/}`), which Zola would print as text; returns how many.
fn strip_block_ials(md: &str) -> (String, usize) {
    let mut out = String::with_capacity(md.len());
    let mut n = 0;
    let mut fence: Option<String> = None;
    for line in md.split_inclusive('\n') {
        let t = line.trim();
        let marker: String = t.chars().take_while(|c| *c == '`' || *c == '~').collect();
        if marker.len() >= 3 {
            match &fence {
                Some(f) if marker.starts_with(f.as_str()) && t.len() == marker.len() => {
                    fence = None
                }
                None => fence = Some(marker),
                _ => {}
            }
        }
        if fence.is_none() && t.starts_with("{:") && t.ends_with('}') {
            n += 1;
            continue;
        }
        out.push_str(line);
    }
    (out, n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::DocKind;

    fn doc(nodes: Vec<Node>) -> Document {
        let mut d = Document::new(DocKind::Post, "_posts/2017-05-01-a.md");
        d.url = "/2017/05/01/a.html".into();
        d.content = nodes;
        d
    }

    #[test]
    fn nodes_render_for_zola() {
        let mut files = HashMap::new();
        files.insert(
            "_posts/2017-01-01-b.md".to_string(),
            "posts/2017-01-01-b.md".to_string(),
        );
        let ctx = BodyContext {
            content_files: &files,
            baseurl: "",
        };
        let d = doc(vec![
            Node::Markdown {
                text: "See [b](".into(),
                line: 1,
            },
            Node::DocLink {
                target: "_posts/2017-01-01-b.md".into(),
                url: "/2017/01/01/b.html".into(),
            },
            Node::Markdown {
                text: "#x) and <a href=\"".into(),
                line: 1,
            },
            Node::DocLink {
                target: "_posts/2017-01-01-b.md".into(),
                url: "/2017/01/01/b.html".into(),
            },
            Node::Markdown {
                text: "\">b</a>\n{: .note}\n".into(),
                line: 1,
            },
            Node::Code {
                lang: Some("ruby".into()),
                linenos: true,
                marked: vec![1, 3],
                code: "puts 1\nputs 2\nputs 3".into(),
                line: 3,
            },
            Node::Literal {
                text: "{{ not liquid }}\n".into(),
            },
        ]);
        let mut diags = Vec::new();
        let b = render(&d, &ctx, &mut diags);
        assert!(
            b.text.contains("See [b](@/posts/2017-01-01-b.md#x)"),
            "{}",
            b.text
        );
        assert!(
            b.text.contains("<a href=\"/2017/01/01/b.html\">"),
            "{}",
            b.text
        );
        assert!(
            b.text
                .contains("```ruby,linenos,hl_lines=1 3\nputs 1\nputs 2\nputs 3\n```"),
            "{}",
            b.text
        );
        assert!(b.text.contains("&#123;{ not liquid }}"), "{}", b.text);
        assert!(!b.text.contains("{: .note}"));
        assert_eq!(diags.len(), 1);
    }

    #[test]
    fn html_bodies_stay_one_block() {
        let mut d = doc(vec![Node::Markdown {
            text: "<div>\n\n    <p>{{ x }}</p>\n</div>\n".into(),
            line: 1,
        }]);
        d.format = Format::Html;
        let files = HashMap::new();
        let ctx = BodyContext {
            content_files: &files,
            baseurl: "",
        };
        let b = render(&d, &ctx, &mut Vec::new());
        assert_eq!(b.text, "<div>\n<!---->\n    <p>&#123;{ x }}</p>\n</div>\n");
    }
}
