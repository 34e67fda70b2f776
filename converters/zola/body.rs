//! A document's body for Zola: content nodes rendered back to back, then the
//! Markdown pass of [`super::markdown`].

use crate::fast_hash::FastMap as HashMap;

use crate::content::Node;
use crate::diagnostics::Diagnostic;
use crate::ir::{Document, Format};

use super::kramdown;
use super::markdown::{fence_info, finish, rewrite_html_links, KramdownIds, LinkBase};
use super::neutralise::entities;

/// What a body needs to know about the rest of the site.
pub struct BodyContext<'a> {
    /// Content file (below `content/`) of every document written as a page or
    /// section, by source path.
    pub content_files: &'a HashMap<&'a str, &'a str>,
    /// The site's `baseurl` (`/blog` or empty).
    pub baseurl: &'a str,
    /// kramdown's heading-id rule: `Some(true)` GFM (Jekyll's default),
    /// `Some(false)` kramdown's own, `None` when `auto_ids` is off.
    pub heading_ids: Option<bool>,
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
    // About the source's size: grown by doubling it was copied several times.
    let mut out = String::with_capacity(doc.body.len() + doc.body.len() / 4);
    let mut toc = false;
    for node in nodes {
        match node {
            Node::Markdown { text, .. } | Node::Literal { text } => out.push_str(text),
            Node::Html { html, .. } => out.push_str(&one_html_block(html)),
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
                match ctx.content_files.get(target.as_str()) {
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
            let (stripped, ials) = kramdown::prepare(&out);
            if ials > 0 {
                diags.push(
                    Diagnostic::info(
                        "zola-kramdown-ial",
                        &doc.source,
                        format!("{ials} kramdown attribute or abbreviation line(s) ({{: …}}, *[…]: …) have no Zola equivalent and were dropped (heading ids were kept)"),
                    )
                    .at_line(doc.body_line),
                );
            }
            let ids = ctx.heading_ids.map(KramdownIds::new);
            let (text, rep) = finish(&stripped, &base, ids);
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
        // An HTML body is written as one raw HTML block.
        Format::Html | Format::Other(_) => {
            entities(&one_html_block(&rewrite_html_links(&out, &base)))
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

/// HTML made by Liquid (an include) as one raw HTML block: a blank line
/// inside would end the block and let Markdown read the rest (indented lines
/// become code), so blank lines between its first and last non-blank lines
/// become an empty comment. Blank lines at its edges separate it from the
/// text around it and stay.
fn one_html_block(html: &str) -> String {
    let lines: Vec<&str> = html.split('\n').collect();
    let first = lines.iter().position(|l| !l.trim().is_empty());
    let last = lines.iter().rposition(|l| !l.trim().is_empty());
    let (Some(first), Some(last)) = (first, last) else {
        return html.to_string();
    };
    lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            if i > first && i < last && l.trim().is_empty() {
                "<!---->"
            } else {
                l
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
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
    let fence = crate::dialect::fence::ticks_for(code);
    out.push_str(&fence);
    out.push_str(&fence_info(lang, linenos, marked));
    out.push('\n');
    out.push_str(code);
    if !code.ends_with('\n') {
        out.push('\n');
    }
    out.push_str(&fence);
    out.push('\n');
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
        let mut files = HashMap::default();
        files.insert("_posts/2017-01-01-b.md", "posts/2017-01-01-b.md");
        let ctx = BodyContext {
            content_files: &files,
            baseurl: "",
            heading_ids: Some(true),
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
                text: "\">b</a>\n{: .note}\n## Head\n{: #h .c}\nSetext\n------\n{: #s}\n\n## getset(key) {block}\n\n*[HTML]: Hyper Text\n".into(),
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
        assert!(!b.text.contains("*[HTML]"));
        assert!(b.text.contains("## Head {#h .c}\n"), "{}", b.text);
        assert!(b.text.contains("Setext {#s}\n------\n"), "{}", b.text);
        assert!(
            b.text
                .contains("## getset(key) &#123;block} {#getsetkey-block}\n"),
            "{}",
            b.text
        );
        assert_eq!(diags.len(), 1);
    }

    #[test]
    fn include_html_stays_one_block() {
        assert_eq!(
            one_html_block("\n<div>\n\n    <p>x</p>\n</div>\n\n"),
            "\n<div>\n<!---->\n    <p>x</p>\n</div>\n\n"
        );
        assert_eq!(one_html_block("<b>x</b>"), "<b>x</b>");
    }

    #[test]
    fn html_bodies_stay_one_block() {
        let mut d = doc(vec![Node::Markdown {
            text: "<div>\n\n    <p>{{ x }}</p>\n</div>\n".into(),
            line: 1,
        }]);
        d.format = Format::Html;
        let files = HashMap::default();
        let ctx = BodyContext {
            content_files: &files,
            baseurl: "",
            heading_ids: Some(true),
        };
        let b = render(&d, &ctx, &mut Vec::new());
        assert_eq!(b.text, "<div>\n<!---->\n    <p>&#123;{ x }}</p>\n</div>\n");
    }
}

#[cfg(test)]
mod hostile {
    use super::*;
    use crate::converters::zola::neutralise::stray_openers;
    use crate::ir::DocKind;

    /// Odd input never panics and never leaves template syntax behind.
    #[test]
    fn odd_bodies_are_safe() {
        let cases = [
            "",
            "#",
            "# {",
            "## {#}",
            "## x {#a} {#b}",
            "```\nunclosed {{ fence",
            "~~~~\n{% x %}\n~~~",
            "{{{{{{",
            "{%%}{##}{{}}",
            "`{{` `` {% `` ```{#```",
            "<div>\n\n\n    {{ x }}\n",
            "</div>\n<div markdown=\"1\">",
            "{: #id}\n{::comment}\n{{ never closed",
            "[a](b c d) [x]: y\n[x]: {{ z }}",
            "é{#\u{200b}{{\r\n{%\r\n",
            "Title\n===\n{: .c}\n",
            "* a\n  ```\n  {{ x }}\n  ```\n",
            "> ```\n> {% y %}\n> ```\n",
            "<pre>{{ a }}</pre>\n<script>{% b %}</script>",
            "\u{feff}---\n---\n{{",
        ];
        let files = HashMap::default();
        for (i, case) in cases.iter().enumerate() {
            for format in [Format::Markdown, Format::Html] {
                let mut d = Document::new(DocKind::Page, "p.md");
                d.url = "/p/".into();
                d.format = format.clone();
                d.content = vec![Node::Markdown {
                    text: case.to_string(),
                    line: 1,
                }];
                let ctx = BodyContext {
                    content_files: &files,
                    baseurl: "/b",
                    heading_ids: Some(i % 2 == 0),
                };
                let out = render(&d, &ctx, &mut Vec::new()).text;
                assert!(
                    !out.contains("{{") && !out.contains("{%"),
                    "case {i} {format:?}: {out:?}"
                );
                if format == Format::Markdown {
                    assert!(stray_openers(&out).is_empty(), "case {i}: {out:?}");
                }
            }
        }
    }
}
