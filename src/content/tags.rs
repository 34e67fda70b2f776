//! Jekyll's Liquid tags, each turning into a content node: `highlight`,
//! `raw`, `post_url`, `link`, `include`, `include_relative`, `gist` and
//! video/tweet embeds, plus the stand-in for unknown tags. The scanner has
//! rewritten each call to `{% name N %}`; `N` indexes the call table in the
//! render context.

use std::io::Write;
use std::sync::LazyLock;

use liquid_core::error::ResultLiquidReplaceExt;
use liquid_core::model::{Value, ValueView};
use liquid_core::runtime::{Renderable, Runtime, Template};
use liquid_core::{
    BlockReflection, Language, ParseBlock, ParseTag, Result, TagBlock, TagReflection, TagTokenIter,
};
use regex::Regex;

use super::engine::{self, Ctx, MAX_INCLUDE_DEPTH};
use super::scan::{TagCall, UNKNOWN_TAG};
use super::values::LValue;
use super::Node;
use crate::diagnostics::Diagnostic;

/// Registers Jekyll's tags in `lang`.
pub(crate) fn register(lang: &mut Language) {
    for name in [
        "include",
        "include_relative",
        "post_url",
        "link",
        "gist",
        "youtube",
        "vimeo",
        "tweet",
        "twitter",
        UNKNOWN_TAG,
    ] {
        lang.tags
            .register(name.to_string(), Box::new(CallTag { name }));
    }
    lang.blocks
        .register("highlight".to_string(), Box::new(HighlightBlock));
    lang.blocks.register("raw".to_string(), Box::new(RawBlock));
}

/// Reads the call index the scanner put as the tag's only argument.
fn call_index(mut arguments: TagTokenIter<'_>) -> Result<usize> {
    let token = arguments.expect_next("call index expected")?;
    let value = token.expect_literal().into_result()?;
    arguments.expect_nothing()?;
    match value {
        Value::Scalar(s) => s
            .to_integer()
            .and_then(|i| usize::try_from(i).ok())
            .ok_or_else(|| liquid_core::Error::with_msg("bad call index")),
        _ => Err(liquid_core::Error::with_msg("bad call index")),
    }
}

fn call(runtime: &dyn Runtime, idx: usize) -> Option<TagCall> {
    runtime.registers().get_mut::<Ctx>().calls.get(idx).cloned()
}

fn push(runtime: &dyn Runtime, node: Node) -> String {
    runtime.registers().get_mut::<Ctx>().push_node(node)
}

fn diag(runtime: &dyn Runtime, make: impl FnOnce(&str) -> Diagnostic) {
    let mut ctx = runtime.registers().get_mut::<Ctx>();
    let d = make(&ctx.file);
    ctx.diags.push(d);
}

/// A tag whose arguments live in the call table.
#[derive(Clone, Copy)]
struct CallTag {
    name: &'static str,
}

impl TagReflection for CallTag {
    fn tag(&self) -> &str {
        self.name
    }
    fn description(&self) -> &str {
        "a Jekyll tag"
    }
}

impl ParseTag for CallTag {
    fn parse(
        &self,
        arguments: TagTokenIter<'_>,
        _options: &Language,
    ) -> Result<Box<dyn Renderable>> {
        let idx = call_index(arguments)?;
        Ok(Box::new(CallRender {
            name: self.name,
            idx,
        }))
    }
    fn reflection(&self) -> &dyn TagReflection {
        self
    }
}

#[derive(Debug)]
struct CallRender {
    name: &'static str,
    idx: usize,
}

impl Renderable for CallRender {
    fn render_to(&self, writer: &mut dyn Write, runtime: &dyn Runtime) -> Result<()> {
        let Some(call) = call(runtime, self.idx) else {
            return Ok(());
        };
        let out = match self.name {
            "post_url" => post_url(runtime, &call),
            "link" => link(runtime, &call),
            "include" => include(runtime, &call, false)?,
            "include_relative" => include(runtime, &call, true)?,
            "gist" | "youtube" | "vimeo" | "tweet" | "twitter" => embed(runtime, &call),
            _ => unresolved(runtime, &call),
        };
        write!(writer, "{out}").replace("Failed to render")?;
        Ok(())
    }
}

/// Records `d` and keeps the tag's source as an unresolved `Literal`.
fn literal_with(
    runtime: &dyn Runtime,
    call: &TagCall,
    d: impl FnOnce(&str) -> Diagnostic,
) -> String {
    diag(runtime, d);
    unresolved(runtime, call)
}

fn unresolved(runtime: &dyn Runtime, call: &TagCall) -> String {
    let mut ctx = runtime.registers().get_mut::<Ctx>();
    let marker = ctx.push_node(Node::Literal {
        text: call.source.clone(),
    });
    let idx = ctx.nodes.len() - 1;
    ctx.unresolved.push(idx);
    marker
}

fn post_url(runtime: &dyn Runtime, call: &TagCall) -> String {
    doc_link(
        runtime,
        call,
        |s, name| s.links.post(name).cloned(),
        |name| format!("no file `_posts/{name}.*` exists; fix the name or remove the link"),
        "names no post",
    )
}

fn link(runtime: &dyn Runtime, call: &TagCall) -> String {
    doc_link(
        runtime,
        call,
        |s, path| s.links.path(path).cloned(),
        |path| format!("`{path}` does not exist; fix the path or remove the link"),
        "names no file of the site",
    )
}

/// `post_url` and `link`: the rendered argument looked up in the site's
/// link map, a `DocLink` node when found, else the tag kept as literal text
/// with a `dangling-link` error.
fn doc_link(
    runtime: &dyn Runtime,
    call: &TagCall,
    lookup: impl Fn(&engine::Shared, &str) -> Option<super::links::Target>,
    missing: impl Fn(&str) -> String,
    what: &str,
) -> String {
    let arg = match engine::render_snippet(runtime, &call.args) {
        Ok(n) => n,
        Err(e) => return literal_with(runtime, call, |f| liquid_diag(f, call, &e)),
    };
    let target = engine::shared(runtime).and_then(|s| lookup(&s, &arg));
    match target {
        Some(t) => push(
            runtime,
            Node::DocLink {
                target: t.source,
                url: t.url,
            },
        ),
        None => literal_with(runtime, call, |f| {
            Diagnostic::error(
                "dangling-link",
                f,
                format!("`{}` {what}: {}", call.source, missing(arg.trim())),
            )
            .at_line(call.line)
        }),
    }
}

fn liquid_diag(file: &str, call: &TagCall, e: &str) -> Diagnostic {
    Diagnostic::error(
        "liquid-error",
        file,
        format!("`{}` could not be evaluated: {e}", call.source),
    )
    .at_line(call.line)
}

// Jekyll's tag patterns are Ruby's, where `\w` and `\s` are ASCII: so
// here too (`(?-u)`), which also keeps these patterns cheap to compile
// (Unicode `\w` cost a few milliseconds of every run).
static PARAM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?-u)([\w-]+)\s*=\s*(?:"((?u:[^"\\]|\\.)*)"|'((?u:[^'\\]|\\.)*)'|([\w.\[\]'"-]+))"#,
    )
    .unwrap_or_else(|_| unreachable!("constant regex"))
});

/// Splits include arguments into the file name (which may hold `{{ … }}`
/// with spaces inside) and the parameter text.
fn include_parts(args: &str) -> (&str, &str) {
    let args = args.trim();
    let mut depth = 0usize;
    for (i, c) in args.char_indices() {
        let rest = &args[i..];
        if rest.starts_with("{{") {
            depth += 1;
        } else if rest.starts_with("}}") && depth > 0 {
            depth -= 1;
        } else if depth == 0 && c.is_whitespace() {
            return (&args[..i], &args[i..]);
        }
    }
    (args, "")
}

/// Evaluates include parameters (`key="v"`, `key='v'`, `key=variable`).
fn include_params(runtime: &dyn Runtime, params_src: &str) -> Vec<(String, Value)> {
    param_parts(params_src)
        .iter()
        .map(|(key, part)| {
            let value = match part {
                ParamPart::Text(text) => Value::scalar(text.clone()),
                ParamPart::Variable(var) => match liquid_core::parser::parse_variable(var) {
                    Ok(v) => match v.try_evaluate(runtime) {
                        Some(path) => super::runtime::lookup(runtime, &path),
                        None => Value::Nil,
                    },
                    Err(_) => Value::scalar(var.clone()),
                },
            };
            (key.clone(), value)
        })
        .collect()
}

/// One include parameter's value as written.
#[derive(Debug)]
enum ParamPart {
    /// A quoted string, its escaped quotes undone.
    Text(String),
    /// A variable, looked up at each call.
    Variable(String),
}

/// The parameters of an include call, split once per distinct string per
/// thread: the same call sits in many posts (a site's figure or note
/// include) and the capture search costs more than looking the values up.
fn param_parts(params_src: &str) -> std::rc::Rc<[(String, ParamPart)]> {
    thread_local! {
        static SEEN: SeenCache<std::rc::Rc<[(String, ParamPart)]>> = Default::default();
    }
    once_per_string(&SEEN, params_src, |src| {
        PARAM
            .captures_iter(src)
            .filter_map(|cap| {
                let key = cap.get(1)?.as_str().to_string();
                // The pattern's value is one of its three alternatives.
                let part = match cap.get(2).or_else(|| cap.get(3)) {
                    Some(v) => {
                        ParamPart::Text(v.as_str().replace("\\\"", "\"").replace("\\'", "'"))
                    }
                    None => ParamPart::Variable(cap.get(4)?.as_str().to_string()),
                };
                Some((key, part))
            })
            .collect()
    })
}

/// Includes that stand for a third-party embed (`{% include youtube.html
/// id="…" %}`, minimal-mistakes' `{% include video id=… provider=… %}`):
/// the provider and id, when the call names both.
fn embed_include(name: &str, params: &[(String, Value)]) -> Option<(String, String)> {
    let stem = name.rsplit('/').next().unwrap_or(name);
    let stem = stem.split('.').next().unwrap_or(stem).to_ascii_lowercase();
    let param = |k: &str| {
        params
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.to_kstr().to_string())
            .filter(|v| !v.is_empty())
    };
    let provider = match stem.as_str() {
        "youtube" | "vimeo" | "gist" | "tweet" | "twitter" => stem.clone(),
        "video" | "embed" => param("provider")?.to_ascii_lowercase(),
        _ => return None,
    };
    let id = param("id").or_else(|| param("url"))?;
    Some((provider, id))
}

fn include(runtime: &dyn Runtime, call: &TagCall, relative: bool) -> Result<String> {
    let Some(shared) = engine::shared(runtime) else {
        return Ok(String::new());
    };
    let (name_src, params_src) = include_parts(&call.args);
    let name = match engine::render_snippet(runtime, name_src) {
        Ok(n) => n.trim().to_string(),
        Err(e) => return Ok(literal_with(runtime, call, |f| liquid_diag(f, call, &e))),
    };
    let text = if relative {
        let dir = runtime.registers().get_mut::<Ctx>().dir.clone();
        let rel = if dir.is_empty() {
            name.clone()
        } else {
            format!("{dir}/{name}")
        };
        if rel.split('/').any(|c| c == "..") {
            None
        } else {
            std::fs::read_to_string(shared.root.join(&rel)).ok()
        }
    } else {
        shared.includes.get(&name).cloned()
    };
    let params = include_params(runtime, params_src);
    let embed = embed_include(&name, &params);
    let Some(text) = text else {
        if let Some((provider, id)) = embed {
            diag(runtime, |f| {
                Diagnostic::warning(
                    "include-embed",
                    f,
                    format!(
                        "`{}`: `{name}` is not in _includes (a theme gem's?); it is carried over as a {provider} embed of `{id}`",
                        call.source
                    ),
                )
                .at_line(call.line)
            });
            return Ok(embed_node(runtime, &provider, &id, None));
        }
        let what = if relative {
            "no such file next to the document"
        } else {
            "no such file in _includes"
        };
        return Ok(literal_with(runtime, call, |f| {
            Diagnostic::error(
                "missing-include",
                f,
                format!(
                    "`{}`: {what} (`{name}`); it may come from a theme gem, so copy it into the site or remove the tag",
                    call.source
                ),
            )
            .at_line(call.line)
        }));
    };
    let depth = runtime.registers().get_mut::<Ctx>().depth;
    if depth >= MAX_INCLUDE_DEPTH {
        return Ok(literal_with(runtime, call, |f| {
            Diagnostic::error(
                "include-loop",
                f,
                format!(
                    "`{}`: includes nest more than {MAX_INCLUDE_DEPTH} deep, so `{name}` probably includes itself; it is left out",
                    call.source
                ),
            )
            .at_line(call.line)
        }));
    }
    let template = match engine::parse_include(runtime, &shared, &name, &text, call.line) {
        Ok(t) => t,
        Err(e) => return Ok(literal_with(runtime, call, |f| liquid_diag(f, call, &e))),
    };
    let params: Vec<(String, LValue)> = params
        .into_iter()
        .map(|(k, v)| (k, LValue::from(v)))
        .collect();
    // Lenient, so `include.missing` is nil as in Jekyll; in the order given.
    let root = LValue::object(vec![("include".to_string(), LValue::object(params))]);
    let Some(root) = root.as_object() else {
        return Ok(String::new());
    };
    runtime.registers().get_mut::<Ctx>().depth += 1;
    let frame = super::runtime::Frame::new(runtime, root);
    let rendered = engine::render_template(&*template, &frame);
    runtime.registers().get_mut::<Ctx>().depth -= 1;
    let html = match rendered {
        Ok(h) => h,
        Err(e) => {
            let e = engine::liquid_error_text(&e);
            return Ok(literal_with(runtime, call, |f| liquid_diag(f, call, &e)));
        }
    };
    let html = {
        let ctx = runtime.registers().get_mut::<Ctx>();
        engine::flatten_markers(&html, &ctx, &shared.baseurl)
    };
    if let Some((provider, id)) = embed {
        return Ok(embed_node(runtime, &provider, &id, Some(html)));
    }
    Ok(push(
        runtime,
        Node::Html {
            html,
            line: call.line,
        },
    ))
}

fn embed(runtime: &dyn Runtime, call: &TagCall) -> String {
    let args = engine::render_snippet(runtime, &call.args).unwrap_or_else(|_| call.args.clone());
    let id = args
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .trim_matches(['"', '\''])
        .to_string();
    let provider = match call.name.as_str() {
        "twitter" => "tweet",
        other => other,
    };
    embed_node(runtime, provider, &id, None)
}

/// An `Embed` node; `html` is what the site's own include rendered, else a
/// link (jekyll-gist's script for gists).
fn embed_node(runtime: &dyn Runtime, provider: &str, id: &str, html: Option<String>) -> String {
    let url = match provider {
        "gist" => format!("https://gist.github.com/{id}"),
        "youtube" => format!("https://www.youtube.com/watch?v={id}"),
        "vimeo" => format!("https://vimeo.com/{id}"),
        _ => id.to_string(),
    };
    let fallback_html = match html {
        Some(h) => h,
        None if provider == "gist" => format!(
            "<script src=\"https://gist.github.com/{}.js\"> </script>",
            super::html::escape_attr(id)
        ),
        None => format!(
            "<a href=\"{}\">{}</a>",
            super::html::escape_attr(&url),
            super::html::escape_text(&url)
        ),
    };
    push(
        runtime,
        Node::Embed {
            provider: provider.to_string(),
            id: id.to_string(),
            fallback_html,
        },
    )
}

static HIGHLIGHT_SYNTAX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?-u)^([a-zA-Z0-9.+#_-]+)((\s+\w+(=(\w+|"([0-9]+\s)*[0-9]+"))?)*)$"#)
        .unwrap_or_else(|_| unreachable!("constant regex"))
});

static HIGHLIGHT_OPTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?-u)(?:\w="(?u:[^"]*)"|\w=\w|\w)+"#)
        .unwrap_or_else(|_| unreachable!("constant regex"))
});

/// `{% highlight lang [linenos] [mark_lines="1 2"] %}` parsed; `None` when
/// the markup is malformed.
pub(crate) fn parse_highlight_args(args: &str) -> Option<(String, bool, Vec<u32>)> {
    // A site repeats a handful of argument strings thousands of times, and
    // the regex with captures costs more than the rest of the tag.
    thread_local! {
        static SEEN: SeenCache<Option<(String, bool, Vec<u32>)>> = Default::default();
    }
    once_per_string(&SEEN, args, parse_highlight_args_uncached)
}

/// What a thread has worked out from argument strings, by string.
type SeenCache<V> = std::cell::RefCell<crate::fast_hash::FastMap<String, V>>;

/// `make(s)`, worked out once per distinct `s` per thread and remembered in
/// `cache`; bounded, as a hostile site could write every call differently.
fn once_per_string<V: Clone + 'static>(
    cache: &'static std::thread::LocalKey<SeenCache<V>>,
    s: &str,
    make: impl FnOnce(&str) -> V,
) -> V {
    if let Some(hit) = cache.with(|m| m.borrow().get(s).cloned()) {
        return hit;
    }
    let made = make(s);
    cache.with(|m| {
        let mut m = m.borrow_mut();
        if m.len() >= 1024 {
            m.clear();
        }
        m.insert(s.to_string(), made.clone());
    });
    made
}

fn parse_highlight_args_uncached(args: &str) -> Option<(String, bool, Vec<u32>)> {
    let caps = HIGHLIGHT_SYNTAX.captures(args.trim())?;
    let lang = caps.get(1)?.as_str().to_lowercase();
    let mut linenos = false;
    let mut marked = Vec::new();
    if let Some(opts) = caps.get(2) {
        for opt in HIGHLIGHT_OPTION.find_iter(opts.as_str()) {
            let (key, value) = match opt.as_str().split_once('=') {
                Some((k, v)) => (k, Some(v)),
                None => (opt.as_str(), None),
            };
            match key {
                "linenos" => linenos = value != Some("false"),
                "mark_lines" | "hl_lines" => {
                    marked = value
                        .unwrap_or_default()
                        .trim_matches('"')
                        .split_whitespace()
                        .filter_map(|n| n.parse().ok())
                        .collect();
                }
                _ => {}
            }
        }
    }
    Some((lang, linenos, marked))
}

/// `{% highlight %}`: its body is Liquid; its output a `Code` node.
#[derive(Clone, Copy)]
struct HighlightBlock;

impl BlockReflection for HighlightBlock {
    fn start_tag(&self) -> &str {
        "highlight"
    }
    fn end_tag(&self) -> &str {
        "endhighlight"
    }
    fn description(&self) -> &str {
        "a code block"
    }
}

impl ParseBlock for HighlightBlock {
    fn parse(
        &self,
        arguments: TagTokenIter<'_>,
        mut tokens: TagBlock<'_, '_>,
        options: &Language,
    ) -> Result<Box<dyn Renderable>> {
        let idx = call_index(arguments)?;
        let body = Template::new(tokens.parse_all(options)?);
        tokens.assert_empty();
        Ok(Box::new(HighlightRender { idx, body }))
    }
    fn reflection(&self) -> &dyn BlockReflection {
        self
    }
}

#[derive(Debug)]
struct HighlightRender {
    idx: usize,
    body: Template,
}

impl Renderable for HighlightRender {
    fn render_to(&self, writer: &mut dyn Write, runtime: &dyn Runtime) -> Result<()> {
        let Some(call) = call(runtime, self.idx) else {
            return Ok(());
        };
        let code = engine::render_template(&self.body, runtime)?;
        let code = {
            let ctx = runtime.registers().get_mut::<Ctx>();
            let baseurl = ctx
                .shared
                .as_ref()
                .map(|s| s.baseurl.clone())
                .unwrap_or_default();
            engine::flatten_markers(&code, &ctx, &baseurl)
        };
        let code = code.trim_matches(['\n', '\r']).to_string();
        let (lang, linenos, marked) = match parse_highlight_args(&call.args) {
            Some((lang, linenos, marked)) => (Some(lang), linenos, marked),
            None => {
                diag(runtime, |f| {
                    Diagnostic::error(
                        "highlight-syntax",
                        f,
                        format!(
                            "malformed `{}`: expected `{{% highlight LANG [linenos] [mark_lines=\"1 2\"] %}}`; the code is kept without a language",
                            call.source
                        ),
                    )
                    .at_line(call.line)
                });
                (None, false, Vec::new())
            }
        };
        let marker = push(
            runtime,
            Node::Code {
                lang,
                linenos,
                marked,
                code,
                line: call.line,
            },
        );
        write!(writer, "{marker}").replace("Failed to render")?;
        Ok(())
    }
}

/// `{% raw %}`: a `Literal` node.
#[derive(Clone, Copy)]
struct RawBlock;

impl BlockReflection for RawBlock {
    fn start_tag(&self) -> &str {
        "raw"
    }
    fn end_tag(&self) -> &str {
        "endraw"
    }
    fn description(&self) -> &str {
        "literal text"
    }
}

impl ParseBlock for RawBlock {
    fn parse(
        &self,
        mut arguments: TagTokenIter<'_>,
        mut tokens: TagBlock<'_, '_>,
        _options: &Language,
    ) -> Result<Box<dyn Renderable>> {
        arguments.expect_nothing()?;
        let text = tokens.escape_liquid(false)?.to_owned();
        tokens.assert_empty();
        Ok(Box::new(RawRender { text }))
    }
    fn reflection(&self) -> &dyn BlockReflection {
        self
    }
}

#[derive(Debug)]
struct RawRender {
    text: String,
}

impl Renderable for RawRender {
    fn render_to(&self, writer: &mut dyn Write, runtime: &dyn Runtime) -> Result<()> {
        let marker = push(
            runtime,
            Node::Literal {
                text: self.text.clone(),
            },
        );
        write!(writer, "{marker}").replace("Failed to render")?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlight_args_as_jekyll_reads_them() {
        assert_eq!(
            parse_highlight_args("ruby linenos mark_lines=\"1 3\""),
            Some(("ruby".to_string(), true, vec![1, 3]))
        );
        assert_eq!(
            parse_highlight_args("C++"),
            Some(("c++".to_string(), false, vec![]))
        );
        assert_eq!(parse_highlight_args("ruby {bad}"), None);
        assert_eq!(parse_highlight_args(""), None);
        // Ruby's `\w` is ASCII: Jekyll refuses an option word with `é`.
        assert_eq!(parse_highlight_args("ruby línenos"), None);
    }

    #[test]
    fn include_parts_split_name_and_params() {
        assert_eq!(include_parts("a.html x=\"1\""), ("a.html", " x=\"1\""));
        assert_eq!(
            include_parts("{{ page.x }}.html y=2"),
            ("{{ page.x }}.html", " y=2")
        );
        assert_eq!(
            include_parts("in{{ page.x | append: 'a' }}.html"),
            ("in{{ page.x | append: 'a' }}.html", "")
        );
    }
}
