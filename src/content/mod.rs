//! The content layer: Liquid and kramdown resolved into neutral nodes that
//! every converter renders its own way, and HTML rendering for the feed and
//! the ebook.

mod drops;
mod engine;
mod filters;
pub mod headings;
pub mod highlight;
pub mod html;
mod kramdown;
mod links;
pub mod markdown;
mod runtime;
mod scan;
mod tags;
mod toc;
mod values;

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use crate::diagnostics::Diagnostic;
use crate::ir::{DocKind, Document, Format, Site};

pub use highlight::stylesheet;

/// One piece of a document body after Liquid is resolved.
///
/// A body is a sequence of nodes; concatenating each node's rendering gives
/// the converted body. `Markdown` runs hold the author's Markdown (kramdown
/// dialect, Liquid output already substituted), so converters keep it as
/// written and translate only what their Markdown flavour lacks. Inline
/// constructs (a `post_url` inside `[text](…)`) split a `Markdown` run, so a
/// converter must render nodes back to back without adding separators.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(tag = "node", rename_all = "snake_case")]
pub enum Node {
    /// Markdown text as written (for `.html` documents: HTML text).
    Markdown {
        /// The text.
        text: String,
        /// 1-based line in the source file where it starts.
        line: usize,
    },
    /// HTML produced by Liquid that is not the author's text: a rendered
    /// `{% include %}`, `{::nomarkdown}` content.
    Html {
        /// The HTML.
        html: String,
        /// 1-based source line.
        line: usize,
    },
    /// Literal text that no target may interpret as a template or markup
    /// directive (from `{% raw %}`); it is still Markdown/HTML for rendering.
    Literal {
        /// The text.
        text: String,
    },
    /// A code block from `{% highlight %}`.
    Code {
        /// Language, if given.
        lang: Option<String>,
        /// Whether line numbers are shown.
        linenos: bool,
        /// 1-based lines to mark.
        marked: Vec<u32>,
        /// The code, without a trailing newline.
        code: String,
        /// 1-based source line.
        line: usize,
    },
    /// A URL pointing at another document (`post_url`, `link`); rendered as
    /// just the URL, since it usually sits inside `[text](…)` or `href="…"`.
    DocLink {
        /// Source path of the target, relative to the site root.
        target: String,
        /// Jekyll's URL of the target, without baseurl.
        url: String,
    },
    /// A third-party embed (`{% gist %}`, youtube-style includes).
    Embed {
        /// `gist`, `youtube`, `vimeo`, `tweet`, …
        provider: String,
        /// The id or URL given.
        id: String,
        /// Fallback HTML (a link), for targets with no embed.
        fallback_html: String,
    },
    /// Where kramdown's `{:toc}` stood.
    Toc,
}

/// Runs the content layer over every document of `site`: fills
/// `Document::content` and `Document::html`, and adds diagnostics.
pub fn process(site: &mut Site) {
    let opts = markdown_options(site);
    let shared = Arc::new(engine::Shared {
        lang: Arc::new(engine::language()),
        includes: site
            .includes
            .iter()
            .map(|i| (i.name.clone(), i.text.clone()))
            .collect::<HashMap<_, _>>(),
        links: links::LinkMap::build(site),
        root: site.root.clone(),
        url: site.config.url.clone().unwrap_or_default(),
        baseurl: site.config.baseurl.clone(),
        gfm: opts.gfm,
    });
    // Pages that list other documents with their content (or paginate)
    // need those rendered first: they go in a second pass.
    let second: Vec<bool> = site
        .documents
        .iter()
        .map(|d| d.kind == DocKind::Page && needs_rendered_documents(&d.body))
        .collect();
    let site_value = values::LValue::from(drops::site_drop(site, None));
    let mut diags: Vec<Vec<Diagnostic>> = site
        .documents
        .par_iter_mut()
        .zip(second.par_iter())
        .map(|(doc, &later)| {
            if later {
                Vec::new()
            } else {
                process_document(doc, &shared, &site_value, None, &opts)
            }
        })
        .collect();
    if second.iter().any(|&b| b) {
        let rendered = drops::Rendered::of(site, &opts);
        let site_plain = drops::site_drop(site, Some(&rendered));
        let paginators: HashMap<String, values::LValue> = drops::paginators(site, &site_plain)
            .into_iter()
            .map(|(k, v)| (k, values::LValue::from(v)))
            .collect();
        let site_value = values::LValue::from(site_plain);
        for (i, doc) in site.documents.iter_mut().enumerate() {
            if second.get(i).copied().unwrap_or(false) {
                let pag = paginators
                    .get(&doc.source)
                    .map(|p| p as &dyn liquid_core::model::ValueView);
                let d = process_document(doc, &shared, &site_value, pag, &opts);
                if let Some(slot) = diags.get_mut(i) {
                    *slot = d;
                }
            }
        }
    }
    site.diagnostics.extend(diags.into_iter().flatten());
}

/// Whether a page's Liquid reads documents' rendered content or paginates.
fn needs_rendered_documents(body: &str) -> bool {
    body.contains("paginator") || body.contains(".content") || body.contains(".excerpt")
}

/// The Markdown options the site's configuration asks for (Jekyll's
/// defaults: kramdown with the GFM parser, no hard wraps, auto ids).
pub fn markdown_options(site: &Site) -> markdown::Options {
    let raw = &site.config.raw;
    let kd = raw.get("kramdown");
    let get = |key: &str| kd.and_then(|k| k.get(key));
    let engine = site.config.markdown.to_ascii_lowercase();
    let input = get("input")
        .and_then(|v| v.as_str())
        .unwrap_or("GFM")
        .to_ascii_lowercase();
    let gfm = engine.contains("gfm") || engine.contains("commonmark") || input != "kramdown";
    markdown::Options {
        gfm,
        hard_wrap: get("hard_wrap").and_then(|v| v.as_bool()).unwrap_or(false),
        auto_ids: get("auto_ids").and_then(|v| v.as_bool()).unwrap_or(true),
        block_line_numbers: get("syntax_highlighter_opts")
            .and_then(|o| o.get("block"))
            .and_then(|b| b.get("line_numbers"))
            .and_then(|v| v.as_bool())
            .unwrap_or(false),
    }
}

/// Resolves one document; returns its diagnostics.
fn process_document(
    doc: &mut Document,
    shared: &Arc<engine::Shared>,
    site_value: &values::LValue,
    paginator: Option<&dyn liquid_core::model::ValueView>,
    opts: &markdown::Options,
) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let liquid_on = doc
        .front_matter
        .get("render_with_liquid")
        .and_then(|v| v.as_bool())
        .unwrap_or(true);
    let (nodes, hidden) = if liquid_on {
        let page = values::LValue::from(drops::document_drop(doc));
        match engine::render(
            shared,
            &doc.source,
            &doc.body,
            doc.body_line,
            site_value,
            &page,
            paginator,
        ) {
            Ok(r) => {
                diags.extend(r.diags);
                diags.extend(missing_diags(doc, &r.missing));
                let (nodes, hidden) =
                    engine::split_markers(&r.text, &r.nodes, &r.unresolved, doc.body_line);
                toc::split_toc(nodes, hidden)
            }
            Err((message, d)) => {
                diags.extend(d);
                diags.push(
                    Diagnostic::error(
                        "liquid-error",
                        &doc.source,
                        format!("Liquid could not render this document, so its body is kept as written: {message}"),
                    )
                    .at_line(doc.body_line),
                );
                (
                    vec![Node::Markdown {
                        text: doc.body.clone(),
                        line: doc.body_line,
                    }],
                    vec![false],
                )
            }
        }
    } else {
        (
            vec![Node::Markdown {
                text: doc.body.clone(),
                line: doc.body_line,
            }],
            vec![false],
        )
    };
    let html = match doc.format {
        Format::Markdown => html::render_markdown(&nodes, &hidden, opts, &shared.baseurl).html,
        Format::Html | Format::Other(_) => html::render_plain(&nodes, &hidden, &shared.baseurl),
    };
    doc.content = nodes;
    doc.html = Some(html);
    diags
}

/// Info diagnostics for variables that answered nil, one per name.
fn missing_diags(doc: &Document, missing: &[String]) -> Vec<Diagnostic> {
    let names: BTreeSet<&String> = missing.iter().collect();
    names
        .into_iter()
        .map(|name| {
            let line = doc
                .body
                .find(name.as_str())
                .map(|p| doc.body_line + doc.body[..p].matches('\n').count())
                .unwrap_or(doc.body_line);
            Diagnostic::info(
                "undefined-variable",
                &doc.source,
                format!("`{name}` is not defined; Jekyll renders it as nothing, and so does the migration"),
            )
            .at_line(line)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{CollectionInfo, DocKind, Include};

    fn post(source: &str, url: &str, title: &str, body: &str) -> Document {
        let mut d = Document::new(DocKind::Post, source);
        d.url = url.into();
        d.title = Some(title.into());
        d.collection = Some("posts".into());
        d.body = body.into();
        d.body_line = 4;
        d.front_matter
            .insert("title".into(), serde_json::Value::String(title.into()));
        d
    }

    fn site(body: &str) -> Site {
        let mut s = Site::default();
        s.config.url = Some("https://example.org".into());
        s.config.baseurl = "/blog".into();
        s.config.title = Some("Ex".into());
        s.config.collections.push(CollectionInfo {
            label: "posts".into(),
            output: true,
            permalink: None,
            directory: "_posts".into(),
        });
        let mut a = post("_posts/2020-01-01-a.md", "/2020/01/01/a.html", "First", "a");
        a.date = Some(crate::ir::DateTime {
            instant: jiff::Timestamp::from_second(1577836800).unwrap_or_default(),
            offset: jiff::tz::Offset::UTC,
        });
        a.tags = vec!["x".into()];
        let mut b = post(
            "_posts/2021-01-01-b.md",
            "/2021/01/01/b.html",
            "Second",
            "b",
        );
        b.date = Some(crate::ir::DateTime {
            instant: jiff::Timestamp::from_second(1609459200).unwrap_or_default(),
            offset: jiff::tz::Offset::UTC,
        });
        let mut page = Document::new(DocKind::Page, "about.md");
        page.url = "/about/".into();
        page.body = body.into();
        page.body_line = 5;
        s.documents = vec![a, b, page];
        s.includes.push(Include {
            name: "box.html".into(),
            text: "<div class=\"box\">{{ include.t | upcase }}</div>".into(),
        });
        s
    }

    fn render(body: &str) -> (Vec<Node>, String, Vec<Diagnostic>) {
        let mut s = site(body);
        process(&mut s);
        let doc = s.documents.remove(2);
        (doc.content, doc.html.unwrap_or_default(), s.diagnostics)
    }

    fn text_of(nodes: &[Node]) -> String {
        nodes
            .iter()
            .map(|n| html::node_source(n, "/blog"))
            .collect()
    }

    #[test]
    fn liquid_control_flow_and_whitespace_control() {
        let (nodes, _, _) = render(
            "{% assign n = 3 %}{% capture c %}n={{ n }}{% endcapture %}{{ c }}\n\
             {%- if n > 2 -%} big {%- else -%} small {%- endif %}\n\
             {% unless false %}u{% endunless %}{% case n %}{% when 3 %}three{% else %}other{% endcase %}\n\
             {% for p in site.posts %}{{ p.title }}{% unless forloop.last %},{% endunless %}{% endfor %}",
        );
        assert_eq!(text_of(&nodes), "n=3big\nuthree\nSecond,First");
    }

    #[test]
    fn jekyll_filters_and_missing_variables() {
        let (nodes, _, diags) = render(
            "{{ '/a b/' | relative_url }} {{ 'x' | absolute_url }} {{ site.posts[1].date | date_to_string }} \
             {{ site.posts[1].date | date_to_xmlschema }} {{ 'Hello, World!' | slugify }} \
             {{ site.posts | where: 'tags', 'x' | map: 'title' | join: ',' }} \
             {{ page.nothing.deeper }}|{{ site.posts | size }}|{{ '**b**' | markdownify | strip }}",
        );
        assert_eq!(
            text_of(&nodes),
            "/blog/a%20b/ https://example.org/blog/x 01 Jan 2020 2020-01-01T00:00:00+00:00 hello-world First |2|<p><strong>b</strong></p>"
        );
        assert!(diags
            .iter()
            .any(|d| d.kind == "undefined-variable" && d.message.contains("page.nothing.deeper")));
    }

    #[test]
    fn jekyll_tags_become_nodes() {
        let (nodes, html, diags) = render(
            "[A]({% post_url 2020-01-01-a %}) {% link _posts/2021-01-01-b.md %}\n\n\
             {% include box.html t=\"hi\" %}\n\n\
             {% raw %}{{ kept }}{% endraw %}\n\n\
             {% comment %}gone{% endcomment %}\
             {% highlight ruby linenos mark_lines=\"2\" %}\nputs 1\nputs 2\n{% endhighlight %}\n\n\
             {% gist user/abc123 %}",
        );
        assert!(diags.is_empty(), "{diags:?}");
        assert!(nodes.contains(&Node::DocLink {
            target: "_posts/2020-01-01-a.md".into(),
            url: "/2020/01/01/a.html".into()
        }));
        assert!(nodes.contains(&Node::DocLink {
            target: "_posts/2021-01-01-b.md".into(),
            url: "/2021/01/01/b.html".into()
        }));
        assert!(nodes.contains(&Node::Html {
            html: "<div class=\"box\">HI</div>".into(),
            line: 7
        }));
        assert!(nodes.contains(&Node::Literal {
            text: "{{ kept }}".into()
        }));
        assert!(nodes.contains(&Node::Code {
            lang: Some("ruby".into()),
            linenos: true,
            marked: vec![2],
            code: "puts 1\nputs 2".into(),
            line: 11
        }));
        assert!(nodes.iter().any(|n| matches!(n,
            Node::Embed { provider, id, .. } if provider == "gist" && id == "user/abc123")));
        assert!(!text_of(&nodes).contains("gone"));
        assert!(
            html.contains("<a href=\"/blog/2020/01/01/a.html\">A</a>"),
            "{html}"
        );
        assert!(html.contains("<div class=\"box\">HI</div>"), "{html}");
        assert!(html.contains("<p>{{ kept }}</p>"), "{html}");
    }
}
