//! A Liquid engine that renders templates as Jekyll 4.3 does: Liquid 5.4.0
//! with `error_mode: warn` (every tag and output is parsed strictly first
//! and, on a syntax error, with the lax regex parsers), `strict_filters` and
//! `strict_variables` off (an unknown filter passes its input through, an
//! unknown variable is nil), and Jekyll's own filters on top.
//!
//! Where Ruby refuses a whole page (a tag neither parser accepts, an unclosed
//! block, a filter raising), this engine renders around the fault and
//! reports it with its line: [`Template::diagnostics`] for parse problems,
//! [`Rendered::diagnostics`] for render problems.
//!
//! ```
//! use jekyll_liquid::{Engine, Template, Value, Hash};
//! let engine = Engine::jekyll();
//! let t = Template::parse("{{ page.title | upcase }}{% for i in (1..3) %}{{ i }}{% endfor %}", &engine);
//! let mut globals = Hash::new();
//! globals.insert("page".into(), Value::from_json(&serde_json::json!({"title": "hi"})));
//! assert_eq!(t.render(&engine, &globals).output, "HI123");
//! ```
//!
//! The host (the converter) adds what depends on the site: filters with
//! [`Engine::register_filter`] (`relative_url`, `markdownify`…), tags with
//! [`Engine::register_tag`] (`include`, `highlight`, `post_url`…), and
//! globals whose values may be lazy [`Object`]s. Values are `Send + Sync`
//! and cheap to clone, so one engine and its templates serve many threads.
//!
//! Resource limits ([`Limits`]) bound loop iterations, output size, work
//! (values copied by filters) and nesting: hitting one stops the render with
//! [`Rendered::fatal`]. Blocks nest at most 100 deep in a template (Liquid's
//! `MAX_DEPTH`), blocks and included templates together 200; values are
//! printed, compared and dropped without unbounded recursion. No input makes
//! parsing or rendering panic, hang or overflow the stack
//! (`tests/garbled.rs`, `tests/api.rs`).
//!
//! Module map: `tokenizer` (template → tokens), `lexer` + `strict` (the
//! strict parser), `lax` (the regex parsers), `expression` (literals,
//! lookups, ranges), `output` (`{{ }}` and filters), `parse` (block
//! structure), `tags` (built-in tags), `condition`, `value`, `number`
//! (Ruby's Integer/BigDecimal arithmetic), `render` (the context), `filters`
//! (Liquid's), `jekyll_filters` (Jekyll's), `date`, `limits`.

#![warn(missing_docs)]

mod condition;
mod date;
mod expression;
mod filters;
mod jekyll_filters;
mod lax;
mod lexer;
pub mod limits;
mod number;
mod output;
mod parse;
mod render;
mod strict;
mod tags;
mod tokenizer;
pub mod value;

pub use limits::Limits;
pub use parse::Block;
pub use render::{Context, Fatal};
pub use value::{Hash, Object, Value};

use std::collections::HashMap;
use std::sync::Arc;

/// A filter: input, arguments (keyword arguments as a last hash), context.
pub type FilterFn =
    dyn Fn(&Value, &[Value], &mut Context<'_>) -> Result<Value, String> + Send + Sync;

/// How a host tag takes its body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TagKind {
    /// No body: `{% include x.html %}`.
    Simple,
    /// A Liquid body up to `{% endNAME %}`, parsed (`{% highlight %}`).
    Block,
    /// A raw body up to `{% endNAME %}`, not parsed.
    Raw,
}

/// A tag the host implements.
pub trait Tag: Send + Sync {
    /// Whether the tag has a body.
    fn kind(&self) -> TagKind {
        TagKind::Simple
    }
    /// Renders the tag into `out`; `Err` is reported with the tag's line and
    /// the render goes on.
    fn render(
        &self,
        call: &TagCall<'_>,
        ctx: &mut Context<'_>,
        out: &mut String,
    ) -> Result<(), String>;
}

/// One use of a host tag.
pub struct TagCall<'a> {
    /// Tag name.
    pub name: &'a str,
    /// Markup after the name, as written.
    pub markup: &'a str,
    /// Line of the tag.
    pub line: usize,
    /// Parsed body ([`TagKind::Block`]); render it with [`Context::render_block`].
    pub body: Option<&'a Block>,
    /// Raw body ([`TagKind::Raw`]).
    pub raw: Option<&'a str>,
}

/// A parse or render problem, with its line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The template's name ([`Template::parse_named`]), when it has one: an
    /// error inside an include names the include.
    pub template: Option<Arc<str>>,
    /// 1-based line in the template.
    pub line: usize,
    /// What went wrong, in Liquid's words where it has some.
    pub message: String,
    /// A warning (the strict parser refused, the lax one took over) rather
    /// than an error (Ruby would have refused the page).
    pub warning: bool,
}

/// How markup is parsed (Jekyll's `liquid: error_mode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorMode {
    /// The strict parser, the lax one when it refuses (Jekyll's default).
    Warn,
    /// The strict parser only: what it refuses is an error.
    Strict,
    /// The lax (regex) parsers only.
    Lax,
}

/// Filters, tags and limits: what templates are parsed and rendered with.
#[derive(Clone)]
pub struct Engine {
    pub(crate) filters: HashMap<String, Arc<FilterFn>>,
    pub(crate) tags: HashMap<String, Arc<dyn Tag>>,
    /// Bounds on each render.
    pub limits: Limits,
    /// Jekyll's `liquid: error_mode` (default `warn`).
    pub error_mode: ErrorMode,
    /// Jekyll's `liquid: strict_filters`: an unknown filter is an error
    /// instead of passing its input through.
    pub strict_filters: bool,
    /// Jekyll's `liquid: strict_variables`: an undefined variable or key is
    /// an error instead of nil.
    pub strict_variables: bool,
    /// The zone times are shown in (Jekyll's `timezone`, else the machine's;
    /// UTC by default here).
    pub timezone: jiff::tz::TimeZone,
}

impl Engine {
    /// Liquid 5.4's standard filters only.
    pub fn liquid() -> Engine {
        let mut e = Engine {
            filters: HashMap::new(),
            tags: HashMap::new(),
            limits: Limits::default(),
            error_mode: ErrorMode::Warn,
            strict_filters: false,
            strict_variables: false,
            timezone: jiff::tz::TimeZone::UTC,
        };
        filters::register(&mut e);
        e
    }

    /// Liquid's filters with Jekyll 4.3's pure filters over them (`where`,
    /// `sort`, `jsonify`, `date_to_string`…). Site-dependent ones are the
    /// host's to register.
    pub fn jekyll() -> Engine {
        let mut e = Engine::liquid();
        jekyll_filters::register(&mut e);
        e
    }

    /// Adds or replaces a filter.
    pub fn register_filter(
        &mut self,
        name: &str,
        f: impl Fn(&Value, &[Value], &mut Context<'_>) -> Result<Value, String> + Send + Sync + 'static,
    ) {
        self.filters.insert(name.to_string(), Arc::new(f));
    }

    /// Adds or replaces a tag (host tags take precedence over built-ins).
    pub fn register_tag(&mut self, name: &str, tag: impl Tag + 'static) {
        self.tags.insert(name.to_string(), Arc::new(tag));
    }
}

/// A parsed template.
#[derive(Debug, Clone)]
pub struct Template {
    root: Block,
    name: Option<Arc<str>>,
    diagnostics: Vec<Diagnostic>,
}

/// The result of a render.
#[derive(Debug, Clone)]
pub struct Rendered {
    /// The output (up to the point a limit stopped it).
    pub output: String,
    /// Render errors, in order.
    pub diagnostics: Vec<Diagnostic>,
    /// The limit that stopped the render, if one did.
    pub fatal: Option<String>,
}

impl Template {
    /// Parses `source`. Never fails as a whole: a tag that cannot be parsed
    /// renders nothing and is listed in [`Template::diagnostics`].
    pub fn parse(source: &str, engine: &Engine) -> Template {
        let (root, diagnostics) = parse::parse_document(source, engine);
        Template {
            root,
            name: None,
            diagnostics,
        }
    }

    /// Parses `source` with a name (its path) that its diagnostics, and
    /// render errors inside it, carry.
    pub fn parse_named(source: &str, name: &str, engine: &Engine) -> Template {
        let mut t = Template::parse(source, engine);
        let name: Arc<str> = Arc::from(name);
        for d in &mut t.diagnostics {
            d.template = Some(name.clone());
        }
        t.name = Some(name);
        t
    }

    /// The name given to [`Template::parse_named`].
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    /// Parse errors and warnings, with lines.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    /// Parse errors only (what Ruby would have refused the page for).
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(|d| !d.warning)
    }

    /// Renders with `globals` (`site`, `page`, …) as the outer variables.
    pub fn render(&self, engine: &Engine, globals: &Hash) -> Rendered {
        self.render_with_counters(engine, globals, &mut Hash::new())
    }

    /// Renders with `increment`/`decrement` counters carried in and out.
    /// Jekyll keeps them in the site payload, so a counter goes on from
    /// where the previous page (in render order) left it.
    pub fn render_with_counters(
        &self,
        engine: &Engine,
        globals: &Hash,
        counters: &mut Hash,
    ) -> Rendered {
        let mut ctx = Context::new(engine, globals, std::mem::take(counters));
        let mut output = String::new();
        let fatal = ctx.render_template(self, &mut output).err().map(|f| f.0);
        *counters = std::mem::take(&mut ctx.counters);
        Rendered {
            output,
            diagnostics: ctx.diagnostics,
            fatal,
        }
    }
}

/// Renders `src` with the JSON object `data` as globals, for unit tests.
#[cfg(test)]
pub(crate) fn render_test(src: &str, data: serde_json::Value) -> String {
    let engine = Engine::jekyll();
    let mut globals = Hash::new();
    if let Value::Hash(h) = &Value::from_json(&data) {
        globals = h.as_ref().clone();
    }
    Template::parse(src, &engine)
        .render(&engine, &globals)
        .output
}
