//! The Liquid engine: the language (Liquid's standard tags and filters,
//! Jekyll's tags and filters), the per-render context, and rendering a
//! template to text in which Jekyll's tags stand as node markers.

use crate::fast_hash::FastMap as HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use liquid_core::model::{Value, ValueView};
use liquid_core::runtime::{Renderable, Runtime, Template};
use liquid_core::Language;

use super::links::LinkMap;
use super::parse_cache::ParseCache;
use super::runtime::{Base, MissingVars};
use super::scan::{scan, TagCall};
use super::{raw_runs, Node};
use crate::diagnostics::Diagnostic;

/// Marks the start of a node marker in Liquid's output.
pub(crate) const MARK_OPEN: char = '\u{E000}';
/// Marks the end of a node marker.
pub(crate) const MARK_CLOSE: char = '\u{E001}';

/// How deep includes may nest before we assume self-inclusion.
pub(crate) const MAX_INCLUDE_DEPTH: usize = 12;

/// What every render of a site shares.
pub(crate) struct Shared {
    /// The Liquid language (for includes and `where_exp`).
    pub lang: Arc<Language>,
    /// `_includes` templates by name.
    pub includes: HashMap<String, String>,
    /// Targets of `post_url` and `link`.
    pub links: LinkMap,
    /// Site root, for `include_relative`.
    pub root: PathBuf,
    /// `site.url`, without trailing slash.
    pub url: String,
    /// `site.baseurl`, `/x` or empty.
    pub baseurl: String,
    /// GFM input (`kramdown.input: GFM` or `markdown: GFM`).
    pub gfm: bool,
    /// Code gets rouge's token spans (the run's output is the HTML).
    pub highlight: bool,
    /// Liquid items and includes parsed so far.
    pub parsed: ParseCache,
    /// How much one document's Liquid may make.
    pub limits: super::limits::Limits,
}

/// State of one document's render, kept in Liquid's registers.
#[derive(Default)]
pub(crate) struct Ctx {
    /// Site-wide data.
    pub shared: Option<Arc<Shared>>,
    /// Jekyll tag calls found by the scanner.
    pub calls: Vec<TagCall>,
    /// Nodes produced by tags; markers in the output index this.
    pub nodes: Vec<Node>,
    /// Diagnostics found while rendering.
    pub diags: Vec<Diagnostic>,
    /// Source path of the document being rendered.
    pub file: String,
    /// Folder of the document, for `include_relative`.
    pub dir: String,
    /// Current include depth.
    pub depth: usize,
    /// Nodes standing for tags that could not be resolved (kept as
    /// `Literal` for converters, left out of the HTML as Jekyll's stubs are).
    pub unresolved: Vec<usize>,
    /// Loop iterations run so far (see [`super::limits`]).
    pub iterations: u64,
    /// How much this document's Liquid may make.
    pub limits: super::limits::Limits,
    /// The bound of [`super::limits`] the render went past, if any.
    pub over_limit: Option<String>,
}

impl Ctx {
    /// Stores `node` and returns its marker.
    pub(crate) fn push_node(&mut self, node: Node) -> String {
        self.nodes.push(node);
        // Sized up front: `format!` grew the string a few times over.
        let mut marker = String::with_capacity(16);
        marker.push(MARK_OPEN);
        let _ = std::fmt::Write::write_fmt(&mut marker, format_args!("{}", self.nodes.len() - 1));
        marker.push(MARK_CLOSE);
        marker
    }
}

/// Fetches the shared site data from a runtime's registers.
pub(crate) fn shared(runtime: &dyn Runtime) -> Option<Arc<Shared>> {
    runtime.registers().get_mut::<Ctx>().shared.clone()
}

/// Builds the language: Liquid's standard library plus Jekyll's tags and
/// filters.
pub(crate) fn language() -> Language {
    use liquid_lib::stdlib;
    let mut l = Language::empty();
    macro_rules! tag {
        ($($t:expr),*) => { $( { let t = $t; let name = liquid_core::ParseTag::reflection(&t).tag().to_owned(); l.tags.register(name, Box::new(t)); } )* };
    }
    macro_rules! block {
        ($($t:expr),*) => { $( { let t = $t; let name = liquid_core::ParseBlock::reflection(&t).start_tag().to_owned(); l.blocks.register(name, Box::new(t)); } )* };
    }
    macro_rules! filter {
        ($($t:expr),*) => { $( { let t = $t; let name = liquid_core::ParseFilter::reflection(&t).name().to_owned(); l.filters.register(name, Box::new(t)); } )* };
    }
    tag!(
        stdlib::AssignTag,
        stdlib::BreakTag,
        stdlib::ContinueTag,
        stdlib::CycleTag,
        stdlib::IncrementTag,
        stdlib::DecrementTag
    );
    block!(
        stdlib::IfBlock,
        stdlib::UnlessBlock,
        stdlib::IfChangedBlock,
        super::loops::ForBlock,
        super::loops::TableRowBlock,
        stdlib::CommentBlock,
        super::loops::CaptureBlock,
        stdlib::CaseBlock
    );
    filter!(
        stdlib::Abs,
        stdlib::Append,
        stdlib::AtLeast,
        stdlib::AtMost,
        stdlib::Capitalize,
        stdlib::Ceil,
        stdlib::Compact,
        stdlib::Concat,
        stdlib::Date,
        stdlib::Default,
        stdlib::DividedBy,
        stdlib::Downcase,
        stdlib::Escape,
        stdlib::EscapeOnce,
        stdlib::First,
        stdlib::Floor,
        stdlib::Join,
        stdlib::Last,
        stdlib::Lstrip,
        stdlib::Map,
        stdlib::Minus,
        stdlib::Modulo,
        stdlib::NewlineToBr,
        stdlib::Plus,
        stdlib::Prepend,
        stdlib::Remove,
        stdlib::RemoveFirst,
        stdlib::Replace,
        stdlib::ReplaceFirst,
        stdlib::Reverse,
        stdlib::Round,
        stdlib::Rstrip,
        stdlib::Size,
        stdlib::Slice,
        stdlib::SortNatural,
        stdlib::Split,
        stdlib::Strip,
        stdlib::StripHtml,
        stdlib::StripNewlines,
        stdlib::Times,
        stdlib::Truncate,
        stdlib::TruncateWords,
        stdlib::Uniq,
        stdlib::Upcase,
        stdlib::UrlDecode,
        stdlib::UrlEncode
    );
    super::tags::register(&mut l);
    super::filters::register(&mut l);
    l
}

/// The result of rendering one template.
pub(crate) struct Rendered {
    /// Output with node markers.
    pub text: String,
    /// Nodes the markers index.
    pub nodes: Vec<Node>,
    /// Diagnostics (unknown tags, missing includes, Liquid errors).
    pub diags: Vec<Diagnostic>,
    /// Variables that answered nil.
    pub missing: Vec<String>,
    /// Indexes of nodes that are unresolved tags.
    pub unresolved: Vec<usize>,
}

impl Rendered {
    /// What Liquid makes of text with no Liquid in it: the text itself.
    pub(crate) fn plain(text: String) -> Self {
        Rendered {
            text,
            nodes: Vec::new(),
            diags: Vec::new(),
            missing: Vec::new(),
            unresolved: Vec::new(),
        }
    }
}

/// Renders `body` (a document's body, whose first line is `first_line` of
/// `file`) with `site` and `page` as globals.
pub(crate) fn render(
    shared: &Arc<Shared>,
    file: &str,
    body: &str,
    first_line: usize,
    site: &dyn ValueView,
    page: &dyn ValueView,
    paginator: Option<&dyn ValueView>,
) -> Result<Rendered, (String, Vec<Diagnostic>)> {
    let mut calls = Vec::new();
    let scanned = scan(body, first_line, None, &mut calls);
    let mut diags = Vec::new();
    for &i in &scanned.unknown {
        if let Some(call) = calls.get(i) {
            diags.push(unknown_tag_diag(file, call, None));
        }
    }
    let env = RenderEnv {
        shared,
        file,
        site,
        page,
        paginator,
    };
    let prepared = super::sanitize::prepare(&scanned.text);
    // Fast path: top-level text kept out of the parser (see `raw_runs`);
    // anything short of an exact round trip falls through to the full text.
    if let Some(short) = raw_runs_enabled()
        .then(|| raw_runs::compress(&prepared))
        .flatten()
    {
        // Each top-level item parsed once per run, not once per document.
        let parsed = match &short.items {
            Some(items) => shared.parsed.assemble(&short.text, items, &shared.lang),
            None => None,
        };
        if let Some((elements, added)) =
            parsed.or_else(|| parse_lenient(&short.text, &shared.lang).ok())
        {
            if let Ok(mut r) = run_template(elements, calls.clone(), &env) {
                if let Some(text) = raw_runs::restore(&r.text, &mut r.nodes, &short) {
                    r.text = text;
                    diags.extend(unknown_filter_diags(file, body, first_line, &added));
                    diags.append(&mut r.diags);
                    r.diags = diags;
                    return Ok(r);
                }
            }
        }
    }
    let elements = match parse_lenient(&prepared, &shared.lang) {
        Ok((e, added)) => {
            diags.extend(unknown_filter_diags(file, body, first_line, &added));
            e
        }
        Err(e) => return Err((liquid_error_text(&e), diags)),
    };
    match run_template(elements, calls, &env) {
        Ok(mut r) => {
            diags.append(&mut r.diags);
            r.diags = diags;
            Ok(r)
        }
        Err((message, mut d)) => {
            diags.append(&mut d);
            Err((message, diags))
        }
    }
}

/// Whether top-level text is kept out of the Liquid parser; the
/// `JEKYLL_MIGRATE_FULL_LIQUID_PARSE` variable turns that off, so tests can
/// show both ways give the same output.
fn raw_runs_enabled() -> bool {
    static ON: std::sync::LazyLock<bool> =
        std::sync::LazyLock::new(|| std::env::var_os("JEKYLL_MIGRATE_FULL_LIQUID_PARSE").is_none());
    *ON
}

/// What a template renders against.
struct RenderEnv<'a> {
    shared: &'a Arc<Shared>,
    file: &'a str,
    site: &'a dyn ValueView,
    page: &'a dyn ValueView,
    paginator: Option<&'a dyn ValueView>,
}

/// Renders parsed `elements` with the document's tag-call table.
fn run_template(
    elements: Elements,
    calls: Vec<TagCall>,
    env: &RenderEnv<'_>,
) -> Result<Rendered, (String, Vec<Diagnostic>)> {
    let template = Template::new(elements);
    let jekyll = jekyll_root();
    let empty = Value::Object(liquid_core::Object::new());
    let mut roots: Vec<(&'static str, &dyn ValueView)> = vec![
        ("site", env.site),
        ("page", env.page),
        ("jekyll", &jekyll),
        ("layout", &empty),
    ];
    if let Some(p) = env.paginator {
        roots.push(("paginator", p));
    }
    let base = Base::new(roots);
    {
        let mut ctx = base.registers().get_mut::<Ctx>();
        ctx.shared = Some(env.shared.clone());
        ctx.limits = env.shared.limits;
        ctx.calls = calls;
        ctx.file = env.file.to_string();
        ctx.dir = match env.file.rsplit_once('/') {
            Some((d, _)) => d.to_string(),
            None => String::new(),
        };
    }
    let runtime = super::runtime::Globals::new(base);
    // Small: the text runs are markers by now (see `raw_runs`).
    let mut out = Vec::with_capacity(512);
    let mut capped = super::limits::Capped::new(&mut out, env.shared.limits.output);
    let result = template.render_to(&mut capped, &runtime);
    let over_limit = super::limits::exceeded(&runtime).or_else(|| {
        capped
            .hit()
            .then(|| super::limits::too_much_output(env.shared.limits.output))
    });
    let (nodes, diags, unresolved) = {
        let mut ctx = runtime.registers().get_mut::<Ctx>();
        (
            std::mem::take(&mut ctx.nodes),
            std::mem::take(&mut ctx.diags),
            std::mem::take(&mut ctx.unresolved),
        )
    };
    let missing = std::mem::take(&mut runtime.registers().get_mut::<MissingVars>().0);
    // A bound passed stops the document, even where the render went on
    // (a refused `assign` only empties the variable).
    if let Some(what) = over_limit {
        return Err((super::limits::message(&what), diags));
    }
    if let Err(e) = result {
        return Err((liquid_error_text(&e), diags));
    }
    Ok(Rendered {
        text: String::from_utf8_lossy(&out).into_owned(),
        nodes,
        diags,
        missing,
        unresolved,
    })
}

/// `liquid_core::parser::parse` on the text made safe for it by
/// [`super::sanitize`] (the crate panics on some input).
/// A template nesting blocks deeper than Jekyll's Liquid allows is refused
/// before the parser's recursion can overflow the stack.
pub(crate) fn parse_checked(text: &str, lang: &Language) -> Result<Elements, liquid_core::Error> {
    let max = super::unclosed::MAX_DEPTH;
    // Only a text with more tags than the limit can nest past it.
    if memchr::memmem::find_iter(text.as_bytes(), "{%")
        .nth(max)
        .is_some()
        && super::unclosed::too_deep(text, 1).is_some()
    {
        return Err(liquid_core::Error::with_msg(format!(
            "Nesting too deep: more than {max} blocks inside one another"
        )));
    }
    if let Some((_, what)) = super::unclosed::too_complex(text, 1) {
        return Err(liquid_core::Error::with_msg(what));
    }
    liquid_core::parser::parse(&super::sanitize::prepare(text), lang)
}

/// Parsed template elements.
pub(crate) type Elements = Vec<Box<dyn Renderable>>;

/// Parses `text`; a filter Liquid does not know (a plugin's) is added as
/// one that passes its input through, as Jekyll does with
/// `strict_filters: false`. Returns the elements and the names added.
pub(crate) fn parse_lenient(
    text: &str,
    lang: &Language,
) -> Result<(Elements, Vec<String>), liquid_core::Error> {
    let mut added = Vec::new();
    let mut extended: Option<Language> = None;
    loop {
        let current = extended.as_ref().unwrap_or(lang);
        match parse_checked(text, current) {
            Ok(e) => return Ok((e, added)),
            Err(e) => {
                let msg = e.to_string();
                let name = msg
                    .contains("Unknown filter")
                    .then(|| {
                        msg.split("requested filter=")
                            .nth(1)
                            .and_then(|r| r.split_whitespace().next())
                            .map(str::to_string)
                    })
                    .flatten();
                match name {
                    Some(n) if !added.contains(&n) && added.len() < 32 => {
                        let l = extended.get_or_insert_with(|| lang.clone());
                        super::filters::register_passthrough(l, &n);
                        added.push(n);
                    }
                    _ => return Err(e),
                }
            }
        }
    }
}

/// Warnings for filters that were passed through.
pub(crate) fn unknown_filter_diags(
    file: &str,
    body: &str,
    first_line: usize,
    names: &[String],
) -> Vec<Diagnostic> {
    names
        .iter()
        .map(|n| {
            let line = body
                .find(&format!("| {n}"))
                .or_else(|| body.find(&format!("|{n}")))
                .map(|p| first_line + body[..p].matches('\n').count())
                .unwrap_or(first_line);
            Diagnostic::warning(
                "unknown-filter",
                file,
                format!("unknown Liquid filter `{n}` (a plugin's?): its input is passed through unchanged"),
            )
            .at_line(line)
        })
        .collect()
}

/// `jekyll.version`, `jekyll.environment`.
fn jekyll_root() -> Value {
    let mut o = liquid_core::Object::new();
    o.insert("version".into(), Value::scalar("4.3.1"));
    o.insert("environment".into(), Value::scalar("production"));
    Value::Object(o)
}

/// A diagnostic for an unknown tag; `include` names the include it is in.
pub(crate) fn unknown_tag_diag(file: &str, call: &TagCall, include: Option<&str>) -> Diagnostic {
    let place = match include {
        Some(name) => format!(" (in _includes/{name})"),
        None => String::new(),
    };
    Diagnostic::warning(
        "unknown-tag",
        file,
        format!(
            "unknown Liquid tag `{}`{place}: `{}` is kept as literal text; it probably came from a Jekyll plugin, so replace it by hand",
            call.name, call.source
        ),
    )
    .at_line(call.line)
}

/// One line of text from a Liquid error (its message and context).
pub(crate) fn liquid_error_text(e: &liquid_core::Error) -> String {
    // Liquid quotes a failing filter's whole input, which for `site.posts`
    // is every post, in an order of its hash maps' own: left out.
    let text = e
        .to_string()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("input="))
        .collect::<Vec<_>>()
        .join("; ");
    // Keep the message readable.
    match text.char_indices().nth(400) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text,
    }
}

/// Renders a small template (a tag argument with `{{ }}`) in `runtime`.
pub(crate) fn render_snippet(runtime: &dyn Runtime, text: &str) -> Result<String, String> {
    if !text.contains("{{") && !text.contains("{%") {
        return Ok(text.to_string());
    }
    let Some(shared) = shared(runtime) else {
        return Ok(text.to_string());
    };
    let (elements, _) = parse_lenient(text, &shared.lang).map_err(|e| liquid_error_text(&e))?;
    let mut out = Vec::new();
    let max = super::limits::of(runtime).output;
    let mut capped = super::limits::Capped::new(&mut out, max);
    let rendered = Template::new(elements).render_to(&mut capped, runtime);
    if capped.hit() {
        let e = super::limits::stop(runtime, super::limits::too_much_output(max));
        return Err(liquid_error_text(&e));
    }
    rendered.map_err(|e| liquid_error_text(&e))?;
    Ok(String::from_utf8_lossy(&out).into_owned())
}

/// Parses `text` (an include) after scanning it, appending its tag calls to
/// the context. Unknown tags become diagnostics at `line`.
pub(crate) fn parse_include(
    runtime: &dyn Runtime,
    shared: &Shared,
    name: &str,
    text: &str,
    line: usize,
) -> Result<Arc<super::parse_cache::Parsed>, String> {
    let scanned = {
        let mut ctx = runtime.registers().get_mut::<Ctx>();
        let mut calls = std::mem::take(&mut ctx.calls);
        let scanned = scan(text, line, Some(line), &mut calls);
        for &i in &scanned.unknown {
            if let Some(call) = calls.get(i) {
                let d = unknown_tag_diag(&ctx.file, call, Some(name));
                ctx.diags.push(d);
            }
        }
        ctx.calls = calls;
        scanned
    };
    let parsed = shared
        .parsed
        .parse(&scanned.text, &shared.lang)
        .map_err(|e| liquid_error_text(&e))?;
    let added = &parsed.added;
    if !added.is_empty() {
        let mut ctx = runtime.registers().get_mut::<Ctx>();
        let file = ctx.file.clone();
        for mut d in unknown_filter_diags(&file, text, line, added) {
            d.line = Some(line);
            d.message = format!("{} (in _includes/{name})", d.message);
            ctx.diags.push(d);
        }
    }
    Ok(parsed)
}

/// Renders a template to a string.
pub(crate) fn render_template(
    template: &dyn Renderable,
    runtime: &dyn Runtime,
) -> liquid_core::Result<String> {
    let mut out = Vec::new();
    let max = super::limits::of(runtime).output;
    let mut capped = super::limits::Capped::new(&mut out, max);
    let rendered = template.render_to(&mut capped, runtime);
    if capped.hit() {
        return Err(super::limits::stop(
            runtime,
            super::limits::too_much_output(max),
        ));
    }
    rendered?;
    Ok(String::from_utf8_lossy(&out).into_owned())
}

/// Splits rendered text into nodes at the markers. Text between markers
/// becomes `Markdown` nodes. The second vector flags unresolved tags.
pub(crate) fn split_markers(
    text: &str,
    nodes: &[Node],
    unresolved: &[usize],
    first_line: usize,
) -> (Vec<Node>, Vec<bool>) {
    let mut out = Vec::new();
    let mut flags = Vec::new();
    let mut line = first_line;
    let mut rest = text;
    while let Some(open) = crate::find::find_char(rest, MARK_OPEN) {
        let after = &rest[open + MARK_OPEN.len_utf8()..];
        let idx = crate::find::find_char(after, MARK_CLOSE)
            .and_then(|close| after[..close].parse::<usize>().ok().map(|i| (i, close)));
        let Some((idx, close)) = idx else {
            // The author's own private-use character, not a marker.
            let upto = open + MARK_OPEN.len_utf8();
            push_markdown(&mut out, &mut flags, &rest[..upto], line);
            rest = &rest[upto..];
            continue;
        };
        push_markdown(&mut out, &mut flags, &rest[..open], line);
        if let Some(node) = nodes.get(idx) {
            if let Some(l) = node_line(node) {
                line = l;
            }
            out.push(node.clone());
            flags.push(unresolved.contains(&idx));
        }
        rest = &after[close + MARK_CLOSE.len_utf8()..];
    }
    push_markdown(&mut out, &mut flags, rest, line);
    (out, flags)
}

fn push_markdown(out: &mut Vec<Node>, flags: &mut Vec<bool>, text: &str, line: usize) {
    if text.is_empty() {
        return;
    }
    if let Some(Node::Markdown { text: prev, .. }) = out.last_mut() {
        prev.push_str(text);
        return;
    }
    out.push(Node::Markdown {
        text: text.to_string(),
        line,
    });
    flags.push(false);
}

fn node_line(node: &Node) -> Option<usize> {
    match node {
        Node::Markdown { line, .. } | Node::Html { line, .. } | Node::Code { line, .. } => {
            Some(*line)
        }
        _ => None,
    }
}

/// Replaces markers in `text` by the HTML of their nodes (for include
/// output, which becomes one `Html` node); unresolved tags give nothing.
pub(crate) fn flatten_markers(text: &str, ctx: &Ctx, baseurl: &str) -> String {
    if !text.contains(MARK_OPEN) {
        return text.to_string();
    }
    let (nodes, hidden) = split_markers(text, &ctx.nodes, &ctx.unresolved, 0);
    nodes
        .iter()
        .zip(hidden)
        .filter(|(_, h)| !h)
        // Include output is Liquid's, kept in every target's body; Hugo
        // and Zola highlight code themselves, so no tokens here.
        .map(|(n, _)| super::html::node_source(n, baseurl, false))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn authors_private_use_characters_are_text() {
        let nodes = vec![Node::Toc];
        let text = format!("a{MARK_OPEN}x b{MARK_OPEN}0{MARK_CLOSE}c");
        let (out, flags) = split_markers(&text, &nodes, &[], 1);
        assert_eq!(
            out,
            vec![
                Node::Markdown {
                    text: format!("a{MARK_OPEN}x b"),
                    line: 1
                },
                Node::Toc,
                Node::Markdown {
                    text: "c".into(),
                    line: 1
                }
            ]
        );
        assert_eq!(flags, vec![false, false, false]);
    }
}
