//! Documents the `liquid` crate refuses are rendered again with our own
//! engine (`crates/jekyll-liquid`), which renders as Ruby's Liquid does in
//! Jekyll: everything around a failing tag, with an error at the tag's
//! line. Before this, such a document was kept as written (issue #30).
//!
//! This is the first step of replacing the crate: only documents the crate
//! cannot render come here, and only those whose Jekyll tags the engine is
//! given here (`post_url`, `link`, `highlight`); a document with an
//! include or a plugin's tag still fails as before.

use std::sync::{Arc, Mutex};

use jekyll_liquid::{Context, Engine, Hash, Tag, TagCall, TagKind, Template, Value};
use liquid_core::model::ValueView;

use super::engine::{Rendered, Shared, MARK_CLOSE, MARK_OPEN};
use super::Node;
use crate::diagnostics::Diagnostic;

/// Jekyll tags the rescue renders; a document using any other (an
/// include, an embed, a plugin's) is not rescued.
const HOST_TAGS: &[&str] = &["post_url", "link", "highlight"];

/// How deep site values are copied into the engine's values: deep enough
/// for `site.posts[0].tags[0]`, bounded against values that refer back.
const MAX_DEPTH: usize = 8;

/// Loop iterations a rescued document may run (an archive page looping
/// over a few thousand posts stays well under it).
const RESCUE_ITERATIONS: u64 = 200_000;

/// Work (values copied, bytes written / 8) a rescued document may do.
const RESCUE_WORK: u64 = 20_000_000;

/// What one document's globals and tags need.
pub(crate) struct Globals<'a> {
    pub site: &'a dyn ValueView,
    pub page: &'a dyn ValueView,
    pub paginator: Option<&'a dyn ValueView>,
}

/// Renders `body` with the engine when every Jekyll tag in it is one the
/// rescue knows; `None` otherwise. Errors come back as `liquid-error`
/// diagnostics at their lines in `file`.
pub(crate) fn render(
    shared: &Arc<Shared>,
    file: &str,
    body: &str,
    first_line: usize,
    globals: &Globals<'_>,
) -> Option<Rendered> {
    if !only_known_tags(body) {
        return None;
    }
    let nodes = Arc::new(Mutex::new(Vec::new()));
    let engine = engine(shared, &nodes);
    let template = Template::parse(body, &engine);
    let rendered = template.render(&engine, &globals_of(body, globals));
    if rendered.fatal.is_some() {
        // A limit: the caller's runaway handling applies.
        return None;
    }
    let diags = template
        .errors()
        .chain(rendered.diagnostics.iter())
        .map(|d| {
            Diagnostic::error(
                "liquid-error",
                file,
                format!(
                    "Liquid error, the rest of the document is rendered around it (as Jekyll does): {}",
                    d.message
                ),
            )
            .at_line(first_line + d.line.saturating_sub(1))
        })
        .collect();
    let nodes = std::mem::take(&mut *nodes.lock().unwrap_or_else(|e| e.into_inner()));
    Some(Rendered {
        text: rendered.output,
        nodes,
        diags,
        missing: Vec::new(),
        unresolved: Vec::new(),
    })
}

/// Whether every `{% name …` in `body` names a Liquid tag or one of
/// [`HOST_TAGS`]: a tag the engine does not know renders nothing, where the
/// main path keeps it as text for the author to replace.
fn only_known_tags(body: &str) -> bool {
    const LIQUID: &[&str] = &[
        "assign",
        "capture",
        "if",
        "elsif",
        "else",
        "unless",
        "case",
        "when",
        "for",
        "break",
        "continue",
        "cycle",
        "increment",
        "decrement",
        "tablerow",
        "ifchanged",
        "comment",
        "raw",
        "echo",
        "liquid",
        "render",
    ];
    body.split("{%").skip(1).all(|rest| {
        let name: String = rest
            .trim_start_matches('-')
            .trim_start()
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        name.is_empty()
            || name.starts_with("end")
            || LIQUID.contains(&name.as_str())
            || HOST_TAGS.contains(&name.as_str())
    })
}

/// Jekyll's engine with the site's URL filters and the rescue's tags, whose
/// nodes go to `nodes`.
fn engine(shared: &Arc<Shared>, nodes: &Arc<Mutex<Vec<Node>>>) -> Engine {
    let mut e = Engine::jekyll();
    // Tighter than the site's bounds: a document stopped here goes back to
    // the main path's handling (kept as written, with its error), so a
    // hostile one cannot cost a long second render.
    e.limits.max_iterations = RESCUE_ITERATIONS;
    e.limits.max_work = RESCUE_WORK;
    e.limits.max_output = shared.limits.output;
    let baseurl = shared.baseurl.clone();
    e.register_filter("relative_url", move |input, _, _| {
        Ok(match input {
            Value::Nil => Value::Nil,
            v => Value::string(super::filters::relative_url_of(&v.to_s(), &baseurl)),
        })
    });
    let (url, baseurl) = (shared.url.clone(), shared.baseurl.clone());
    e.register_filter("absolute_url", move |input, _, _| {
        Ok(match input {
            Value::Nil => Value::Nil,
            v => Value::string(super::filters::absolute_url_of(&v.to_s(), &url, &baseurl)),
        })
    });
    let (gfm, highlight) = (shared.gfm, shared.highlight);
    e.register_filter("markdownify", move |input, _, _| {
        Ok(Value::string(super::filters::markdownify_html(
            &input.to_s(),
            gfm,
            highlight,
        )))
    });
    e.register_filter("smartify", |input, _, _| {
        Ok(Value::string(super::markdown::smarten(&input.to_s())))
    });
    for name in ["post_url", "link"] {
        e.register_tag(
            name,
            LinkTag {
                shared: shared.clone(),
                nodes: nodes.clone(),
            },
        );
    }
    e.register_tag(
        "highlight",
        HighlightTag {
            nodes: nodes.clone(),
        },
    );
    e
}

/// Stores `node` and writes its marker, as the main path's tags do.
fn push(nodes: &Mutex<Vec<Node>>, node: Node, out: &mut String) {
    let mut nodes = nodes.lock().unwrap_or_else(|e| e.into_inner());
    nodes.push(node);
    out.push(MARK_OPEN);
    out.push_str(&(nodes.len() - 1).to_string());
    out.push(MARK_CLOSE);
}

/// `{% post_url %}` and `{% link %}`: a `DocLink` node.
struct LinkTag {
    shared: Arc<Shared>,
    nodes: Arc<Mutex<Vec<Node>>>,
}

impl Tag for LinkTag {
    fn render(
        &self,
        call: &TagCall<'_>,
        ctx: &mut Context<'_>,
        out: &mut String,
    ) -> Result<(), String> {
        // The argument may hold `{{ }}` (Jekyll renders it first).
        let mut arg = String::new();
        let t = Template::parse(call.markup, ctx.engine());
        ctx.render_template(&t, &mut arg).map_err(|f| f.0)?;
        let target = match call.name {
            "post_url" => self.shared.links.post(&arg),
            _ => self.shared.links.path(&arg),
        };
        let Some(t) = target else {
            return Err(format!(
                "`{{% {} {} %}}` names nothing of the site",
                call.name,
                arg.trim()
            ));
        };
        let node = Node::DocLink {
            target: t.source.clone(),
            url: t.url.clone(),
        };
        push(&self.nodes, node, out);
        Ok(())
    }
}

/// `{% highlight %}`: a `Code` node of the rendered body.
struct HighlightTag {
    nodes: Arc<Mutex<Vec<Node>>>,
}

impl Tag for HighlightTag {
    fn kind(&self) -> TagKind {
        TagKind::Block
    }

    fn render(
        &self,
        call: &TagCall<'_>,
        ctx: &mut Context<'_>,
        out: &mut String,
    ) -> Result<(), String> {
        let mut code = String::new();
        if let Some(body) = call.body {
            ctx.render_block(body, &mut code).map_err(|f| f.0)?;
        }
        let (lang, linenos, marked) = match super::tags::parse_highlight_args(call.markup) {
            Some((lang, linenos, marked)) => (Some(lang), linenos, marked),
            None => (None, false, Vec::new()),
        };
        let node = Node::Code {
            lang,
            linenos,
            marked,
            code: code.trim_matches(['\n', '\r']).to_string(),
            line: call.line,
        };
        push(&self.nodes, node, out);
        Ok(())
    }
}

/// `site`, `page`, `paginator` and `jekyll` as the engine's values. Of
/// `site`, only the keys the body names are copied (a site's every post
/// would be copied for a `site.title`).
fn globals_of(body: &str, g: &Globals<'_>) -> Hash {
    let mut h = Hash::new();
    let site = match g.site.as_object() {
        Some(o) => Value::hash(
            o.iter()
                .filter(|(k, _)| body.contains(k.as_str()))
                .map(|(k, v)| (k.to_string(), convert(v, 1)))
                .collect(),
        ),
        None => Value::Nil,
    };
    h.insert("site".into(), site);
    h.insert("page".into(), convert(g.page, 0));
    if let Some(p) = g.paginator {
        h.insert("paginator".into(), convert(p, 0));
    }
    let mut jekyll = Hash::new();
    jekyll.insert("version".into(), Value::str("4.3.1"));
    jekyll.insert("environment".into(), Value::str("production"));
    h.insert("jekyll".into(), Value::hash(jekyll));
    h
}

/// A `liquid` crate value as an engine value, `depth` levels down.
fn convert(v: &dyn ValueView, depth: usize) -> Value {
    if depth > MAX_DEPTH || v.is_nil() {
        return Value::Nil;
    }
    if let Some(a) = v.as_array() {
        return Value::array(a.values().map(|x| convert(x, depth + 1)).collect());
    }
    if let Some(o) = v.as_object() {
        return Value::hash(
            o.iter()
                .map(|(k, x)| (k.to_string(), convert(x, depth + 1)))
                .collect(),
        );
    }
    let Some(s) = v.as_scalar() else {
        return Value::Nil;
    };
    match v.type_name() {
        "whole number" => s.to_integer().map_or(Value::Nil, Value::Int),
        "fractional number" => s.to_float().map_or(Value::Nil, Value::Float),
        "boolean" => s.to_bool().map_or(Value::Nil, Value::Bool),
        "date time" => s
            .to_date_time()
            .and_then(|dt| {
                let ts = jiff::Timestamp::from_second(dt.unix_timestamp()).ok()?;
                let off = jiff::tz::Offset::from_seconds(dt.offset().whole_seconds()).ok()?;
                Some(Value::Date(Arc::new(
                    ts.to_zoned_datetime(jiff::tz::TimeZone::fixed(off)),
                )))
            })
            .unwrap_or(Value::Nil),
        _ => Value::string(s.into_string().to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_liquid_and_known_jekyll_tags_are_rescued() {
        assert!(only_known_tags(
            "{% if a %}{%- for x in y -%}{% endfor %}{% endif %}{% post_url x %}{%"
        ));
        assert!(!only_known_tags("{% include a.html %}"));
        assert!(!only_known_tags("{% gist user/abc %}"));
    }
}
