//! The content layer: Liquid and kramdown resolved into neutral nodes that
//! every converter renders its own way, and HTML rendering for the feed and
//! the ebook.
//!
//! How a document goes through it:
//! 1. `scan` rewrites Jekyll's own tags (whose arguments Liquid's grammar
//!    cannot read) and unknown tags to `{% name N %}`, keeping their text
//!    and line in a table.
//! 2. `engine` renders the body with the `liquid` crate: Liquid's standard
//!    tags and filters, Jekyll's `filters`, and Jekyll's `tags`, which
//!    write a private-use marker for each node they make. `site`, `page`
//!    and `paginator` come from `drops` as lenient `values` (a missing
//!    key is nil at any depth, as in Jekyll).
//! 3. The output is split at the markers into [`Node`]s; kramdown `{:toc}`
//!    lists become [`Node::Toc`] (`toc`).
//! 4. [`html`] puts the nodes back together as Jekyll hands them to kramdown
//!    and renders Markdown with [`markdown`] (pulldown-cmark plus the
//!    `kramdown` dialect, [`headings`] ids as kramdown makes them, code
//!    wrapped as rouge wraps it by [`highlight`]).
//!
//! Pages that list other documents' `content`/`excerpt` or paginate are
//! rendered in a second pass, once those documents have HTML.

mod drops;
mod engine;
mod filters;
pub mod headings;
pub mod highlight;
pub mod html;
mod kramdown;
mod limits;
mod links;
mod loops;
pub mod markdown;
mod parse_cache;
mod pulldown_guard;
mod raw_runs;
mod rescue;
mod runtime;
mod sanitize;
mod scan;
mod site_drop;
mod tags;
mod toc;
mod unclosed;
mod values;

use crate::fast_hash::FastMap as HashMap;
use std::collections::BTreeSet;
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use crate::diagnostics::{guard, Diagnostic};
use crate::find;
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
    drop(process_with(site, &|_| true));
}

/// [`process`], rendering `Document::html` only for the documents
/// `wants_html` picks (a converter that writes Markdown needs the HTML of
/// few or none; Markdown rendering is a seventh of a conversion). It is
/// asked once a document's `content` is set (its `html` is still `None`).
/// Every document gets its HTML when a page lists documents with their
/// content.
pub fn process_with(site: &mut Site, wants_html: &(dyn Fn(&Document) -> bool + Sync)) -> Leftovers {
    process_for(site, wants_html, true)
}

/// [`process_with`]; `highlight` gives code blocks rouge's token spans,
/// for a converter whose output is the HTML (the feed, the book), not one
/// that writes Markdown and uses the HTML for its headings' ids only.
pub fn process_for(
    site: &mut Site,
    wants_html: &(dyn Fn(&Document) -> bool + Sync),
    highlight: bool,
) -> Leftovers {
    let mut opts = markdown_options(site);
    opts.highlight = highlight;
    // Pages that list other documents with their content (or paginate)
    // need those rendered first: they go in a second pass.
    let second: Vec<bool> = site
        .documents
        .iter()
        .map(|d| d.kind == DocKind::Page && needs_rendered_documents(&d.body))
        .collect();
    let all_html = second.iter().any(|&b| b);
    // Liquid reads the site while it renders (other documents' drops are
    // made from them on first read), so it only reads: what it makes is
    // stored in the documents afterwards.
    let (shared, resolved) = {
        let site: &Site = site;
        // The link map is filled on one thread; the site's drop meanwhile.
        crate::progress::mark("site drop");
        let (links, first) = rayon::join(
            || links::LinkMap::build(site),
            || site_drop::site_value(site, None),
        );
        let shared = Arc::new(engine::Shared {
            lang: Arc::new(engine::language()),
            includes: site
                .includes
                .iter()
                .map(|i| (i.name.clone(), neutralise_markers(&i.text).into_owned()))
                .collect::<HashMap<_, _>>(),
            links,
            root: site.root.clone(),
            url: site.config.url.clone().unwrap_or_default(),
            baseurl: site.config.baseurl.clone(),
            gfm: opts.gfm,
            highlight,
            parsed: parse_cache::ParseCache::default(),
            limits: limits::Limits::for_site(
                site.documents.len(),
                site.documents.iter().map(|d| d.body.len()).sum::<usize>()
                    + site.includes.iter().map(|i| i.text.len()).sum::<usize>(),
            ),
        });
        let neighbours = first.neighbours();
        crate::progress::mark("rendering documents");
        // Two passes over the documents, each shown: Liquid here, HTML
        // after. Pages that list rendered documents get their Liquid in
        // the HTML pass, so they are counted there only.
        crate::progress::count(
            "documents",
            "Liquid",
            Some(second.iter().filter(|&&s| !s).count() as u64),
        );
        let resolved: Vec<Option<Resolved>> = site
            .documents
            .par_iter()
            .enumerate()
            .map(|(i, doc)| {
                if second.get(i).copied().unwrap_or(false) {
                    return None;
                }
                let env = LiquidEnv {
                    shared: &shared,
                    site_value: &first.value,
                    paginator: None,
                    neighbours: neighbours.get(i).and_then(Option::as_ref),
                    own_drop: first.docs.get(i),
                };
                let r = resolve_guarded(doc, &env);
                crate::progress::tick();
                Some(r)
            })
            .collect();
        // The drops go now (they borrow the documents about to change),
        // on both threads: a template that read them all made thousands.
        drop(neighbours);
        drop(first.value);
        first.docs.into_par_iter().for_each(drop);
        (shared, resolved)
    };
    let html_env = HtmlEnv {
        opts: &opts,
        baseurl: &shared.baseurl,
        all_html,
        wants_html,
    };
    crate::progress::count("documents", "HTML", Some(site.documents.len() as u64));
    let mut diags: Vec<Vec<Diagnostic>> = site
        .documents
        .par_iter_mut()
        .zip(resolved.into_par_iter())
        .map(|(doc, resolved)| match resolved {
            Some(r) => {
                let d = finish_guarded(doc, r, &html_env);
                crate::progress::tick();
                d
            }
            None => Vec::new(),
        })
        .collect();
    if all_html {
        let rendered = drops::Rendered::of(site, &opts);
        let resolved: Vec<(usize, Resolved)> = {
            let site: &Site = site;
            let second_site = site_drop::site_value(site, Some(&rendered));
            let paginators = second_site.paginators(site);
            site.documents
                .iter()
                .enumerate()
                .filter(|(i, _)| second.get(*i).copied().unwrap_or(false))
                .map(|(i, doc)| {
                    let env = LiquidEnv {
                        shared: &shared,
                        site_value: &second_site.value,
                        paginator: paginators
                            .get(&doc.source)
                            .map(|p| p as &dyn liquid_core::model::ValueView),
                        // Only posts have neighbours, and these are pages.
                        neighbours: None,
                        own_drop: None,
                    };
                    (i, resolve_guarded(doc, &env))
                })
                .collect()
        };
        let html_env = HtmlEnv {
            all_html: true,
            ..html_env
        };
        for (i, r) in resolved {
            if let (Some(doc), Some(slot)) = (site.documents.get_mut(i), diags.get_mut(i)) {
                *slot = finish_guarded(doc, r, &html_env);
                crate::progress::tick();
            }
        }
    }
    site.diagnostics.extend(diags.into_iter().flatten());
    Leftovers {
        _held: Box::new(shared),
    }
}

/// What rendering built and no longer needs (the parsed templates and
/// includes). Dropping it frees them, which is a noticeable
/// single-threaded step on a big site: a process about to exit can
/// `std::mem::forget` it instead.
#[must_use = "dropping it frees the drops; forget it only when the process is about to exit"]
pub struct Leftovers {
    _held: Box<dyn std::any::Any + Send>,
}

/// The private-use characters the content layer uses as markers.
const MARKER_CHARS: &[char] = &[
    engine::MARK_OPEN,
    engine::MARK_CLOSE,
    kramdown::STASH_OPEN,
    kramdown::STASH_CLOSE,
    '\u{E020}',
    '\u{E021}',
    raw_runs::RUN_OPEN,
    raw_runs::RUN_CLOSE,
];

/// The author's text with the characters the content layer uses as
/// markers written as character references: they render the same, and a
/// text holding them (a fuzzer found one) can no longer forge a marker,
/// which made the stash expand itself without end.
/// A text with none is borrowed back, not copied.
pub(crate) fn neutralise_markers(text: &str) -> std::borrow::Cow<'_, str> {
    // Every marker is U+0001, U+0002 or in U+E000..U+E0FF (UTF-8 0xEE
    // 0x80..0x83 …): a byte search rules most texts out at memchr speed.
    let may_hold = memchr::memchr3(0x01, 0x02, 0xEE, text.as_bytes()).is_some();
    if !may_hold || !text.contains(MARKER_CHARS) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if MARKER_CHARS.contains(&c) {
            out.push_str(&format!("&#x{:X};", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
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
        highlight: false,
    }
}

/// What Liquid made of one document, to be stored in it.
struct Resolved {
    /// The body with the content layer's marker characters neutralised,
    /// when it held any.
    body: Option<String>,
    /// The content nodes.
    nodes: Vec<Node>,
    /// Which nodes Markdown must not see (see [`engine::split_markers`]).
    hidden: Vec<bool>,
    diags: Vec<Diagnostic>,
    /// Rendering panicked: the body is kept as written.
    failed: bool,
}

/// The body as written, as the one content node of a document that could
/// not be rendered.
fn as_written(body: &str, body_line: usize) -> (Vec<Node>, Vec<bool>) {
    (
        vec![Node::Markdown {
            text: body.to_string(),
            line: body_line,
        }],
        vec![false],
    )
}

const STAGE: &str = "rendering Liquid and Markdown of";

/// [`resolve`], with a panic turned into an error for that document, whose
/// body is then kept as written (escaped, in `<pre>`).
fn resolve_guarded(doc: &Document, env: &LiquidEnv<'_, '_>) -> Resolved {
    match guard(&doc.source, STAGE, || resolve(doc, env)) {
        Ok(r) => r,
        Err(bug) => {
            let (nodes, hidden) = as_written(&doc.body, doc.body_line);
            Resolved {
                body: None,
                nodes,
                hidden,
                diags: vec![bug],
                failed: true,
            }
        }
    }
}

/// Stores what Liquid made in `doc` and renders its HTML when asked (a
/// panic there is an error for the document, as in [`resolve_guarded`]);
/// returns the document's diagnostics.
fn finish_guarded(doc: &mut Document, r: Resolved, env: &HtmlEnv<'_>) -> Vec<Diagnostic> {
    let Resolved {
        body,
        nodes,
        hidden,
        mut diags,
        failed,
    } = r;
    if let Some(body) = body {
        doc.body = body;
    }
    doc.content = nodes;
    if !failed {
        let source = doc.source.clone();
        match guard(&source, STAGE, || render_html(doc, &hidden, env)) {
            Ok((html, d)) => {
                doc.html = html;
                diags.extend(d);
                return dedup(diags);
            }
            Err(bug) => {
                diags = vec![bug];
                (doc.content, _) = as_written(&doc.body, doc.body_line);
            }
        }
    }
    doc.html = Some(format!(
        "<pre>{}</pre>",
        html_escape::encode_text(&doc.body)
    ));
    diags
}

/// A tag inside an include used in a loop reports once, not per pass.
fn dedup(mut diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut seen = crate::fast_hash::FastSet::default();
    diags.retain(|d| seen.insert(d.clone()));
    diags
}

/// What Liquid renders one document with.
struct LiquidEnv<'a, 'd> {
    shared: &'a Arc<engine::Shared>,
    site_value: &'a Arc<values::LValue<'d>>,
    paginator: Option<&'a dyn liquid_core::model::ValueView>,
    neighbours: Option<&'a site_drop::Neighbours<'d>>,
    /// The document's drop as `site` lists it, which `page` shows too
    /// (first pass only: the second adds rendered content to the lists).
    own_drop: Option<&'a Arc<values::LValue<'d>>>,
}

/// What a document's HTML is rendered with.
struct HtmlEnv<'a> {
    opts: &'a markdown::Options,
    baseurl: &'a str,
    /// Render `Document::html` whatever `wants_html` says.
    all_html: bool,
    /// Whether the converter reads this document's HTML; asked once the
    /// document's content nodes are known.
    wants_html: &'a (dyn Fn(&Document) -> bool + Sync),
}

/// Resolves one document's Liquid into content nodes.
fn resolve<'d>(doc: &Document, env: &LiquidEnv<'_, 'd>) -> Resolved {
    let LiquidEnv {
        shared,
        site_value,
        paginator,
        neighbours,
        ..
    } = *env;
    let mut diags = Vec::new();
    // The shared drop was built from the body as read; it stands for
    // `page` only while that body had no marker characters to neutralise.
    let (neutral, own_drop) = match neutralise_markers(&doc.body) {
        std::borrow::Cow::Borrowed(_) => (None, env.own_drop),
        std::borrow::Cow::Owned(neutral) => (Some(neutral), None),
    };
    let body = neutral.as_deref().unwrap_or(&doc.body);
    let liquid_on = doc
        .front_matter
        .get("render_with_liquid")
        .and_then(|v| v.as_bool())
        .unwrap_or(true);
    let (nodes, hidden) = if liquid_on {
        // Text with no Liquid in it comes out of Liquid as it went in: no
        // drops to build, nothing to parse (most posts of most blogs).
        let rendered = if !find::LIQUID_OUTPUT_OPEN.is_in(body)
            && !find::LIQUID_TAG_OPEN.is_in(body)
        {
            Ok(engine::Rendered::plain(body.to_string()))
        } else {
            let mut page = match own_drop {
                Some(shared_drop) => values::LValue::overlay(shared_drop.clone()),
                None => {
                    let mut neutral_doc;
                    let as_read = match &neutral {
                        // The drop's excerpt is cut from the body Liquid sees.
                        Some(n) => {
                            neutral_doc = doc.clone();
                            neutral_doc.body = n.clone();
                            &neutral_doc
                        }
                        None => doc,
                    };
                    drops::document_drop(as_read)
                }
            };
            if let Some(n) = neighbours {
                let near = |d: &Option<Arc<values::LValue<'d>>>| -> values::LValue<'d> {
                    d.as_ref().map_or(
                        values::LValue::Leaf(liquid_core::model::Value::Nil),
                        values::LValue::share,
                    )
                };
                page.set("previous", near(&n.previous));
                page.set("next", near(&n.next));
            }
            // A post's `site` has its `related_posts` (a page's has none).
            let with_related;
            let site_value: &values::LValue<'d> = match neighbours {
                Some(n) if !n.related.is_empty() => {
                    let mut s = values::LValue::overlay(site_value.clone());
                    let related = n.related.iter().map(values::LValue::share).collect();
                    s.set("related_posts", values::LValue::array(related));
                    with_related = s;
                    &with_related
                }
                _ => site_value,
            };
            // A bug in the Liquid crate must not take the whole run down: a
            // panic while rendering one document becomes that document's error.
            let rendered = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                engine::render(
                    shared,
                    &doc.source,
                    body,
                    doc.body_line,
                    site_value,
                    &page,
                    paginator,
                )
            }))
            .unwrap_or_else(|_| {
                Err((
                    "the Liquid engine failed on this document (an internal error; please report it)"
                        .to_string(),
                    Vec::new(),
                ))
            });
            match rendered {
                Err((message, d)) if rescuable(body, doc.body_line, &message) => {
                    let globals = rescue::Globals {
                        site: site_value,
                        page: &page,
                        paginator,
                    };
                    match rescue::render(shared, &doc.source, body, doc.body_line, &globals) {
                        Some(mut r) => {
                            r.diags.splice(0..0, d);
                            Ok(r)
                        }
                        None => Err((message, d)),
                    }
                }
                r => r,
            }
        };
        match rendered {
            Ok(r) => {
                diags.extend(r.diags);
                diags.extend(missing_diags(doc, body, &r.missing));
                let (nodes, hidden) =
                    engine::split_markers(&r.text, &r.nodes, &r.unresolved, doc.body_line);
                let (mut nodes, hidden) = toc::split_toc(nodes, hidden);
                locate_markdown_lines(&mut nodes, body, doc.body_line);
                (nodes, hidden)
            }
            Err((message, d)) => {
                diags.extend(d);
                // Name the line of Liquid that never closes, when that is
                // the trouble; else the body's first line.
                let too_deep = match unclosed::too_deep(body, doc.body_line) {
                    Some(line) => Some((line, format!(
                        "a Liquid block opens inside {} others, more than Jekyll's Liquid allows (it fails with \"Nesting too deep\"), so this document's body is kept as written; flatten the nesting",
                        unclosed::MAX_DEPTH
                    ))),
                    None => unclosed::too_complex(body, doc.body_line).map(|(line, what)| (line, format!(
                        "{what}, more than the Liquid engine can parse without overflowing its stack, so this document's body is kept as written; split the condition"
                    ))),
                };
                let diag = match (too_deep, unclosed::find(body, doc.body_line)) {
                    (Some((line, message)), _) => {
                        Diagnostic::error("liquid-too-deep", &doc.source, message).at_line(line)
                    }
                    (None, Some((line, what))) => Diagnostic::error(
                        "liquid-unclosed",
                        &doc.source,
                        format!("{what}, so Liquid cannot render this document and its body is kept as written; close it, or wrap literal braces in {{% raw %}}…{{% endraw %}}"),
                    )
                    .at_line(line),
                    (None, None) if limits::is_limit_error(&message) => Diagnostic::error(
                        "liquid-too-large",
                        &doc.source,
                        format!("this document's Liquid runs away ({}), so its body is kept as written; Jekyll would run it until memory or patience ran out; bound the loop or the variable", limits::reason(&message)),
                    )
                    .at_line(doc.body_line),
                    (None, None) => Diagnostic::error(
                        "liquid-error",
                        &doc.source,
                        format!("Liquid could not render this document, so its body is kept as written: {message}"),
                    )
                    .at_line(doc.body_line),
                };
                diags.push(diag);
                as_written(body, doc.body_line)
            }
        }
    } else {
        as_written(body, doc.body_line)
    };
    Resolved {
        body: neutral,
        nodes,
        hidden,
        diags,
        failed: false,
    }
}

/// Whether a document the `liquid` crate refused goes to [`rescue`]: not
/// when a runaway, too deep a nesting, too long a condition (also inside a
/// `where_exp`) or an unclosed block is the trouble (those keep their own
/// diagnostics and the body as written).
fn rescuable(body: &str, body_line: usize, message: &str) -> bool {
    !limits::is_limit_error(message)
        && !message.contains(&format!("more than {} terms", unclosed::MAX_CHAIN))
        && unclosed::too_deep(body, body_line).is_none()
        && unclosed::too_complex(body, body_line).is_none()
        && unclosed::find(body, body_line).is_none()
}

/// The document's HTML, when it is wanted, and the diagnostics of making it.
fn render_html(
    doc: &Document,
    hidden: &[bool],
    env: &HtmlEnv<'_>,
) -> (Option<String>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let want_html = env.all_html || (env.wants_html)(doc);
    let html = want_html.then(|| match doc.format {
        Format::Markdown => {
            let r = html::render_markdown(&doc.content, hidden, env.opts, env.baseurl);
            if r.degraded {
                diags.push(
                    Diagnostic::warning(
                        "markdown-parser-failed",
                        &doc.source,
                        "the Markdown parser (pulldown-cmark) failed on this document and it was \
                         rendered again without heading attributes (`{#id}`); check its headings, \
                         and please report it with the file attached",
                    )
                    .at_line(doc.body_line),
                );
            }
            r.html
        }
        Format::Html | Format::Other(_) => {
            html::render_plain(&doc.content, hidden, env.baseurl, env.opts.highlight)
        }
    });
    (html, diags)
}

/// Sets the source line of each `Markdown` node by finding its first line
/// of text in the body, searching forward from the previous node (Liquid's
/// output does not say where it came from; text mostly passes through).
fn locate_markdown_lines(nodes: &mut [Node], body: &str, body_line: usize) {
    // Where each line starts: the search runs over the body at once (one
    // substring search, not one per line), then maps the hit to its line.
    let starts = crate::line_split::line_starts(body);
    let line_from = |cursor: usize, first: &str| -> Option<usize> {
        let from = *starts.get(cursor)?;
        // Search for a short prefix and check the rest at each hit: setting
        // up a search for a whole paragraph line costs more than the search.
        let hay = body.as_bytes().get(from..)?;
        let needle = first.as_bytes();
        let prefix = needle.get(..16).unwrap_or(needle);
        let hit = from
            + memchr::memmem::find_iter(hay, prefix)
                .find(|at| hay.get(*at..).is_some_and(|h| h.starts_with(needle)))?;
        Some(starts.partition_point(|s| *s <= hit) - 1)
    };
    let mut cursor = 0usize;
    for node in nodes.iter_mut() {
        match node {
            Node::Markdown { text, line } => {
                let leading = text.len() - text.trim_start_matches('\n').len();
                // Not found (text made by Liquid, or blank): at least where
                // the previous text was.
                *line = (*line).max(body_line + cursor);
                let Some(first) = text.lines().map(str::trim).find(|l| l.len() >= 3) else {
                    continue;
                };
                if let Some(found) = line_from(cursor, first) {
                    let skipped = text
                        .trim_start_matches('\n')
                        .lines()
                        .take_while(|l| l.trim() != first)
                        .count();
                    let start = found.saturating_sub(skipped + leading).max(cursor);
                    *line = body_line + start;
                    cursor = found;
                }
            }
            Node::Html { line, .. } | Node::Code { line, .. } => {
                cursor = cursor.max(line.saturating_sub(body_line));
            }
            _ => {}
        }
    }
}

/// Info diagnostics for variables that answered nil, one per name.
fn missing_diags(doc: &Document, body: &str, missing: &[String]) -> Vec<Diagnostic> {
    let names: BTreeSet<&String> = missing.iter().collect();
    names
        .into_iter()
        .map(|name| {
            let line = body
                .find(name.as_str())
                .map(|p| doc.body_line + body[..p].matches('\n').count())
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

    #[test]
    fn markdown_nodes_get_the_line_their_text_is_on() {
        // The first line of the second node shares its first 16 bytes with
        // an earlier line, which must not be taken for it.
        let body = "intro\nA long opening line, first\nmiddle\nA long opening line, second\nend\n";
        let md = |text: &str| Node::Markdown {
            text: text.into(),
            line: 0,
        };
        let mut nodes = vec![
            md("intro\n"),
            md("\nA long opening line, second\nend\n"),
            md("made by Liquid, not in the body"),
        ];
        locate_markdown_lines(&mut nodes, body, 10);
        let lines: Vec<usize> = nodes
            .iter()
            .map(|n| match n {
                Node::Markdown { line, .. } => *line,
                _ => 0,
            })
            .collect();
        // Line 13 is `A long opening line, second`; the node's leading blank
        // line puts its start one above. Text not found stays at the last hit.
        assert_eq!(lines, [10, 12, 13]);
    }

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

    #[test]
    fn a_value_that_forges_a_raw_run_marker_is_printed_as_it_is() {
        // The title holds what a marker for run 0 looks like; the fast path
        // must notice the duplicate and render the full text instead.
        let forged = "\u{1}0\u{2}";
        let body = "A first run of plain text, long enough.\n\n{{ site.posts[0].title }}\n\n\
                    A second run of plain text, long enough.";
        let mut s = site(body);
        s.documents[1].title = Some(forged.into());
        drop(process_with(&mut s, &|_| true));
        let Some(Node::Markdown { text, .. }) = s.documents[2].content.first() else {
            panic!("one Markdown node");
        };
        assert_eq!(
            text,
            &format!(
                "A first run of plain text, long enough.\n\n{forged}\n\n\
                 A second run of plain text, long enough."
            )
        );
    }

    #[test]
    fn html_is_rendered_only_where_asked_unless_a_page_lists_content() {
        let mut s = site("just text");
        drop(process_with(&mut s, &|d| d.source == "about.md"));
        let html: Vec<bool> = s.documents.iter().map(|d| d.html.is_some()).collect();
        assert_eq!(html, vec![false, false, true]);
        assert!(s.documents.iter().all(|d| !d.content.is_empty()));
        let mut s = site("{% for p in site.posts %}{{ p.content }}{% endfor %}");
        drop(process_with(&mut s, &|_| false));
        assert!(s.documents.iter().all(|d| d.html.is_some()));
    }

    fn text_of(nodes: &[Node]) -> String {
        nodes
            .iter()
            .map(|n| html::node_source(n, "/blog", false))
            .collect()
    }

    /// Jekyll's `Site#post_attr_hash` (lib/jekyll/site.rb, v4.3.4) goes
    /// through `posts.docs` oldest first, adding each post to its tags'
    /// lists, then reverses each list: names in order of first appearance
    /// in the oldest post, each list newest first.
    #[test]
    fn site_tags_and_categories_follow_jekylls_order() {
        let mut s = site("{% for t in site.tags %}{{ t[0] }}:{% for p in t[1] %}{{ p.title }}{% endfor %};{% endfor %}|{% for c in site.categories %}{{ c[0] }}{% endfor %}");
        // First (2020) is older than Second (2021).
        s.documents[0].tags = vec!["y".into(), "x".into()];
        s.documents[1].tags = vec!["x".into(), "z".into()];
        s.documents[0].categories = vec!["old".into()];
        s.documents[1].categories = vec!["new".into(), "old".into()];
        process(&mut s);
        assert_eq!(
            text_of(&s.documents[2].content),
            "y:First;x:SecondFirst;z:Second;|oldnew"
        );
    }

    /// A tag Ruby's Liquid refuses at render time (here `cycle` on a value
    /// the `liquid` crate refuses to parse) no longer keeps the whole
    /// document as written: the rest renders, as in Jekyll, and the error
    /// names the line. Jekyll (Liquid 5.4, `error_mode: warn`) renders
    /// `{{ site.title | fakefilter: 1 }}` with the lax parser and an
    /// unknown filter passes its input through.
    #[test]
    fn a_document_the_crate_refuses_is_rendered_around_the_failure() {
        let (nodes, _, diags) = render(
            "Before {{ site.title }}\n{{ (1..3) | join: '-' }}\nAfter {{ 2 | divided_by: 0 }}.\n",
        );
        assert_eq!(text_of(&nodes), "Before Ex\n1-2-3\nAfter .\n");
        let d = diags
            .iter()
            .find(|d| d.kind == "liquid-error")
            .unwrap_or_else(|| panic!("{diags:?}"));
        assert_eq!(d.line, Some(7), "{d:?}");
        assert!(d.message.contains("divided by 0"), "{d:?}");
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
    fn markdown_nodes_carry_their_source_lines() {
        let (nodes, _, _) = render("Intro\n\n{% include box.html t=\"a\" %}\n\nAfter text\n");
        assert_eq!(
            nodes,
            vec![
                Node::Markdown {
                    text: "Intro\n\n".into(),
                    line: 5
                },
                Node::Html {
                    html: "<div class=\"box\">A</div>".into(),
                    line: 7
                },
                Node::Markdown {
                    text: "\n\nAfter text\n".into(),
                    line: 7
                },
            ]
        );
    }

    #[test]
    fn youtube_style_includes_become_embeds() {
        let (nodes, html, diags) = render("{% include video id=\"abc\" provider=\"youtube\" %}\n");
        assert_eq!(
            nodes.first(),
            Some(&Node::Embed {
                provider: "youtube".into(),
                id: "abc".into(),
                fallback_html: "<a href=\"https://www.youtube.com/watch?v=abc\">https://www.youtube.com/watch?v=abc</a>".into()
            })
        );
        assert!(html.contains("watch?v=abc"), "{html}");
        assert!(
            diags
                .iter()
                .any(|d| d.kind == "include-embed" && d.line == Some(5)),
            "{diags:?}"
        );
    }

    #[test]
    fn unknown_filters_pass_input_through() {
        let (nodes, _, diags) = render("a\n{{ 'x' | plugin_filter: 2 | upcase }}\n");
        assert_eq!(text_of(&nodes), "a\nX\n");
        assert!(
            diags
                .iter()
                .any(|d| d.kind == "unknown-filter" && d.line == Some(6)),
            "{diags:?}"
        );
    }

    #[test]
    fn self_including_include_stops() {
        let mut s = site("{% include loop.html %}");
        s.includes.push(Include {
            name: "loop.html".into(),
            text: "x{% include loop.html %}".into(),
        });
        process(&mut s);
        let doc = &s.documents[2];
        assert!(
            s.diagnostics.iter().any(|d| d.kind == "include-loop"),
            "{:?}",
            s.diagnostics
        );
        assert!(doc.html.as_deref().unwrap_or_default().contains("xxxx"));
    }

    /// Bodies stitched from awkward fragments never make the layer panic.
    #[test]
    fn arbitrary_bodies_do_not_panic() {
        const PARTS: &[&str] = &[
            "{%",
            "%}",
            "{{",
            "}}",
            "{% if",
            "{% endif %}",
            "{% for x in site.posts %}",
            "{% endfor %}",
            "{% raw %}",
            "{% endraw %}",
            "{% highlight",
            "{% endhighlight %}",
            "{% include",
            " box.html t=\"中\"",
            "{% include {{ x }}.html %}",
            "{% post_url ",
            "{:",
            "{: .c #i}",
            "{::comment}",
            "{:/comment}",
            "{::nomarkdown}",
            "{:/}",
            "$$",
            "```",
            "~~~",
            "\n",
            "\n\n",
            "    ",
            "<div>",
            "</div>",
            "<div markdown=\"1\">",
            "# 标题",
            "## x {#id}",
            "* TOC\n{:toc}",
            "[^1]",
            "[^1]: n",
            "*[A]: b",
            "| a | b |",
            "|---|---|",
            "中文",
            "é",
            "\u{E000}",
            "\u{E001}",
            "\u{E010}",
            "7\u{E011}",
            "-%}",
            "{%-",
            "'",
            "\"",
            "--",
            "...",
            "<!--",
            "-->",
            "{{ page.a.b.c }}",
            "{{ 'x' | nope }}",
            "{% youtube abc %}",
            "{% unknown %}",
            "{% case 1 %}",
            "{% when 1 %}",
            "{% endcase %}",
        ];
        let mut seed: u64 = 0x9e3779b97f4a7c15;
        for _ in 0..300 {
            let mut body = String::new();
            for _ in 0..24 {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                body.push_str(PARTS[(seed % PARTS.len() as u64) as usize]);
            }
            let mut s = site(&body);
            process(&mut s);
            assert!(s.documents[2].html.is_some());
        }
    }

    #[test]
    fn assigned_values_stay_lenient() {
        let (nodes, _, diags) = render(
            "{% assign sorted = site.posts | sort: 'title' %}{% for p in sorted %}[{{ p.title }}{{ p.nothing.at_all }}]{% endfor %}\
             {% assign first = sorted | first %}{{ first.missing }}{{ first.title }}\
             {% assign n = 1 %}{% assign n = n | plus: 1 %}{{ n }}{% capture c %}x{% endcapture %}{{ c }}",
        );
        assert_eq!(text_of(&nodes), "[First][Second]First2x");
        assert!(!diags.iter().any(|d| d.kind == "liquid-error"), "{diags:?}");
    }

    /// Values made by filters (`push` turns drops into plain objects) stay
    /// lenient inside `for`: a missing key is nil, as in Ruby, not an error
    /// (just-the-docs' search index reads `page.search_exclude` this way).
    #[test]
    fn loop_items_made_by_filters_answer_nil_for_missing_keys() {
        let (nodes, _, diags) = render(
            "{% assign arr = '' | split: '' | push: site.posts %}{% for group in arr %}{% for p in group %}             [{% if p['title'] and p['search_exclude'] != true %}{{ p.title }}{{ p.nothing.at_all }}{% endif %}]             {% endfor %}{% endfor %}{% tablerow p in site.posts %}{{ p['missing'] }}{% endtablerow %}",
        );
        let text: String = text_of(&nodes).split_whitespace().collect();
        assert!(text.starts_with("[Second][First]<tr"), "{text}");
        assert!(!diags.iter().any(|d| d.kind == "liquid-error"), "{diags:?}");
    }

    #[test]
    fn drops_are_made_when_first_read() {
        use liquid_core::model::ValueView;
        let s = site("");
        let v = site_drop::site_value(&s, None);
        let made = |v: &site_drop::SiteValue<'_>| -> Vec<Option<bool>> {
            v.docs.iter().map(|d| d.is_made()).collect()
        };
        assert_eq!(made(&v), [Some(false); 3]);
        // `site.posts` lists the newest (documents[1]) first.
        let newest = v
            .value
            .as_object()
            .and_then(|o| o.get("posts"))
            .and_then(|p| p.as_array())
            .and_then(|a| a.get(0))
            .and_then(|d| d.as_object())
            .and_then(|d| d.get("title"))
            .map(|t| t.to_kstr().to_string());
        assert_eq!(newest.as_deref(), Some("Second"));
        assert_eq!(made(&v), [Some(false), Some(true), Some(false)]);
        // A page's own `page` does not make its drop unless read.
        let mut s = site("{{ site.title }}");
        s.documents[0].body = "{{ page.title }}".into();
        process(&mut s);
        assert_eq!(text_of(&s.documents[0].content), "First");
        assert_eq!(text_of(&s.documents[2].content), "Ex");
    }

    #[test]
    fn the_paginator_leaves_out_hidden_posts() {
        let mut s = site("");
        s.config
            .raw
            .insert("paginate".into(), serde_json::Value::from(1));
        s.documents[1]
            .front_matter
            .insert("hidden".into(), serde_json::Value::Bool(true));
        let mut index = Document::new(DocKind::Page, "index.html");
        index.url = "/".into();
        index.format = Format::Html;
        index.body =
            "{% for p in paginator.posts %}{{ p.title }}{% endfor %}|{{ paginator.total_posts }}"
                .into();
        s.documents.push(index);
        process(&mut s);
        assert_eq!(text_of(&s.documents[3].content), "First|1");
        // `hidden: false` is shown.
        s.documents[1]
            .front_matter
            .insert("hidden".into(), serde_json::Value::Bool(false));
        process(&mut s);
        assert_eq!(text_of(&s.documents[3].content), "Second|2");
    }

    #[test]
    fn for_loops_follow_ruby_liquid() {
        let (nodes, _, diags) = render(
            "{% assign a = 'a,b,c,d,e' | split: ',' %}\
             [{% for x in a offset:3 limit:5 %}{{ x }}{{ forloop.length }}{% endfor %}]\
             [{% for x in a limit:2 reversed %}{{ x }}{% endfor %}]\
             [{% for x in (2..4) %}{{ forloop.index }}{{ x }}{{ forloop.rindex0 }}{% if forloop.last %}L{% endif %}{% endfor %}]\
             [{% for x in (5..1) %}{{ x }}{% else %}none{% endfor %}]\
             [{% for x in 'str' %}{{ x }}{% endfor %}]\
             [{% for x in nothing %}{{ x }}{% else %}nil{% endfor %}]\
             [{% for t in site.tags %}{{ t[0] }}:{{ t[1].size }}{% endfor %}]\
             [{% for x in (1..3) %}{% if x == 2 %}{% continue %}{% endif %}{% for y in (1..2) %}{{ forloop.parentloop.index }}{{ y }}{% endfor %}{% endfor %}]\
             [{% for x in (1..9) %}{% if x > 2 %}{% break %}{% endif %}{{ x }}{% endfor %}]\
             [{% assign n = 3 %}{% for x in (1..n) offset:1 %}{{ x }}{% endfor %}]\
             [{% capture c %}{% for p in site.posts %}{{ p.title }};{% endfor %}{% endcapture %}{{ c }}]",
        );
        assert_eq!(
            text_of(&nodes),
            "[d2e2][ba][122231340L][none][str][nil][x:1][11123132][12][23][Second;First;]"
        );
        assert!(
            !diags
                .iter()
                .any(|d| d.severity == crate::diagnostics::Severity::Error),
            "{diags:?}"
        );
    }

    #[test]
    fn tablerow_writes_the_table_ruby_liquid_writes() {
        let (nodes, _, _) = render(
            "{% tablerow x in (1..5) cols:2 %}{{ x }}{{ tablerowloop.col_last }}{% endtablerow %}\
             |{% tablerow x in (1..2) %}{{ x }}{% endtablerow %}|{% tablerow x in nothing %}x{% endtablerow %}|",
        );
        assert_eq!(
            text_of(&nodes),
            "<tr class=\"row1\">\n<td class=\"col1\">1false</td><td class=\"col2\">2true</td></tr>\n\
             <tr class=\"row2\"><td class=\"col1\">3false</td><td class=\"col2\">4true</td></tr>\n\
             <tr class=\"row3\"><td class=\"col1\">5false</td></tr>\n\
             |<tr class=\"row1\">\n<td class=\"col1\">1</td><td class=\"col2\">2</td></tr>\n||"
        );
    }

    #[test]
    fn runaway_liquid_is_stopped_and_reported() {
        for body in [
            // A range of a billion numbers.
            "{% for i in (1..1000000000) %}{% endfor %}",
            // Loops inside loops, three hundred million turns.
            "{% for a in (1..1000) %}{% for b in (1..1000) %}{% for c in (1..300) %}{% endfor %}{% endfor %}{% endfor %}",
            "{% tablerow i in (1..1000000000) %}{% endtablerow %}",
            // A string doubled forty times, by assign and by capture.
            "{% assign s = 'ab' %}{% for i in (1..40) %}{% assign s = s | append: s %}{% endfor %}",
            "{% capture s %}ab{% endcapture %}{% for i in (1..40) %}{% capture s %}{{ s }}{{ s }}{% endcapture %}{% endfor %}",
            // A list doubled forty times.
            "{% assign a = 'x' | split: ',' %}{% for i in (1..40) %}{% assign a = a | concat: a %}{% endfor %}",
            // Output past the bound: a 1 MiB string written a hundred times.
            "{% assign k = 'kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk' %}\
             {% for i in (1..14) %}{% assign k = k | append: k %}{% endfor %}\
             {% for i in (1..100) %}{{ k }}{% endfor %}",
        ] {
            limits::TEST_LIMITS.with(|l| {
                l.set(Some(limits::Limits {
                    output: 8 << 20,
                    value: 4 << 20,
                    iterations: 200_000,
                }))
            });
            let started = std::time::Instant::now();
            let (nodes, _, diags) = render(body);
            limits::TEST_LIMITS.with(|l| l.set(None));
            let d = diags
                .iter()
                .find(|d| d.kind == "liquid-too-large")
                .unwrap_or_else(|| panic!("{body}: {diags:?}"));
            assert_eq!(d.file, "about.md");
            assert_eq!(d.line, Some(5), "{d:?}");
            // The body is kept as written.
            assert_eq!(text_of(&nodes), body);
            assert!(started.elapsed().as_secs() < 120, "{body}");
        }
    }

    /// Jekyll without LSI (`RelatedPosts#most_recent_posts`,
    /// lib/jekyll/related_posts.rb, v4.3.4): the 11 newest posts, newest
    /// first, less the post rendering, at most 10; a page has none
    /// (`SiteDrop#related_posts` answers nil unless a document renders).
    #[test]
    fn site_related_posts_are_the_most_recent_other_posts() {
        let mut s = site("[{% for p in site.related_posts %}{{ p.title }}{% endfor %}]");
        for i in 0..12 {
            let mut p = post(
                &format!("_posts/2022-01-{:02}-p{i}.md", i + 1),
                &format!("/p{i}.html"),
                &format!("P{i}"),
                "",
            );
            p.date = Some(crate::ir::DateTime {
                instant: jiff::Timestamp::from_second(1641081600 + 86400 * i64::from(i))
                    .unwrap_or_default(),
                offset: jiff::tz::Offset::UTC,
            });
            s.documents.push(p);
        }
        let body = "[{% for p in site.related_posts %}{{ p.title }},{% endfor %}]";
        s.documents[0].body = body.into(); // First (2020), the oldest
        s.documents[14].body = body.into(); // P11, the newest
        process(&mut s);
        assert_eq!(
            text_of(&s.documents[0].content),
            "[P11,P10,P9,P8,P7,P6,P5,P4,P3,P2,]"
        );
        assert_eq!(
            text_of(&s.documents[14].content),
            "[P10,P9,P8,P7,P6,P5,P4,P3,P2,P1,]"
        );
        assert_eq!(text_of(&s.documents[2].content), "[]");
    }

    #[test]
    fn posts_know_their_neighbours() {
        let mut s = site("");
        s.documents[0].body = "[{{ page.previous.title }}|{{ page.next.title }}]".into();
        s.documents[1].body = "[{{ page.previous.title }}|{{ page.next.title }}]".into();
        process(&mut s);
        assert_eq!(text_of(&s.documents[0].content), "[|Second]");
        assert_eq!(text_of(&s.documents[1].content), "[First|]");
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
