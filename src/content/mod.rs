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
