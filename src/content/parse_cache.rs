//! Parsed Liquid shared by every document of a run.
//!
//! Once `raw_runs` has taken the text out of a template, what is left is a
//! handful of short top-level items (`{{ site.url }}`, `{% include 3 %}`,
//! `{% highlight 1 %}…{% endhighlight %}`), and the same items recur in
//! post after post. Parsing them with the `liquid` crate's PEG parser was
//! a fifth of a conversion; parsing each distinct item once and sharing the
//! result (a parsed template is immutable and `Sync`) removes nearly all of
//! it. Includes, parsed at every use before, go through the same cache.

use crate::fast_hash::FastMap as HashMap;
use std::io::Write;
use std::sync::{Arc, Mutex};

use liquid_core::runtime::{Renderable, Runtime, Template};
use liquid_core::Language;

/// Items longer than this are parsed each time: long ones rarely recur.
const MAX_KEY: usize = 8 * 1024;
/// At most this many bytes of source are kept (a bound on memory for odd
/// sites; a blog's recurring items take a few kilobytes).
const MAX_BYTES: usize = 4 * 1024 * 1024;

/// One parsed text and the unknown filters the parse let through.
#[derive(Debug)]
pub(crate) struct Parsed {
    template: Template,
    /// Filters Liquid does not know, passed through (see
    /// [`super::engine::parse_lenient`]).
    pub added: Vec<String>,
}

/// Parsed texts by their exact source.
#[derive(Default)]
pub(crate) struct ParseCache {
    map: Mutex<Kept>,
}

/// The cache's contents and their size.
#[derive(Default)]
struct Kept {
    parsed: HashMap<String, Arc<Parsed>>,
    bytes: usize,
}

impl ParseCache {
    /// `text` parsed with `lang` (leniently), from the cache when this text
    /// was parsed before. Errors are not kept: the caller reports them.
    pub(crate) fn parse(
        &self,
        text: &str,
        lang: &Language,
    ) -> Result<Arc<Parsed>, liquid_core::Error> {
        if let Some(hit) = self
            .map
            .lock()
            .ok()
            .and_then(|m| m.parsed.get(text).cloned())
        {
            return Ok(hit);
        }
        // Parsed outside the lock: two threads may parse the same text
        // once each, which is harmless.
        let (elements, added) = super::engine::parse_lenient(text, lang)?;
        let parsed = Arc::new(Parsed {
            template: Template::new(elements),
            added,
        });
        if text.len() <= MAX_KEY {
            if let Ok(mut m) = self.map.lock() {
                if m.bytes + text.len() <= MAX_BYTES
                    && m.parsed.insert(text.to_string(), parsed.clone()).is_none()
                {
                    m.bytes += text.len();
                }
            }
        }
        Ok(parsed)
    }

    /// The template `items` describe: literal text as is, each Liquid item
    /// parsed through the cache. `None` when an item does not parse on its
    /// own (the caller then parses the whole text, which reports the error
    /// where it is). Returns the elements and the filters let through.
    pub(crate) fn assemble(
        &self,
        text: &str,
        items: &[Item],
        lang: &Language,
    ) -> Option<(super::engine::Elements, Vec<String>)> {
        let mut elements: super::engine::Elements = Vec::with_capacity(items.len());
        let mut added: Vec<String> = Vec::new();
        for item in items {
            match item {
                Item::Text(r) => elements.push(Box::new(Literal(text.get(r.clone())?.to_string()))),
                Item::Liquid(r) => {
                    let parsed = self.parse(text.get(r.clone())?, lang).ok()?;
                    for name in &parsed.added {
                        if !added.contains(name) {
                            added.push(name.clone());
                        }
                    }
                    elements.push(Box::new(Cached(parsed)));
                }
            }
        }
        Some((elements, added))
    }
}

/// A piece of a template at its top level, as a byte range of its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Item {
    /// Plain text (markers included), written as it is.
    Text(std::ops::Range<usize>),
    /// An output, a tag, or a whole block from its opening tag to its end
    /// tag: parses on its own exactly as it does in place.
    Liquid(std::ops::Range<usize>),
}

impl Renderable for Parsed {
    fn render_to(&self, writer: &mut dyn Write, runtime: &dyn Runtime) -> liquid_core::Result<()> {
        self.template.render_to(writer, runtime)
    }
}

/// Literal text of a template.
#[derive(Debug)]
struct Literal(String);

impl Renderable for Literal {
    fn render_to(&self, writer: &mut dyn Write, _runtime: &dyn Runtime) -> liquid_core::Result<()> {
        use liquid_core::error::ResultLiquidReplaceExt;
        writer
            .write_all(self.0.as_bytes())
            .replace("cannot write the output")
    }
}

/// A cached parse as one element of a template. A `{% break %}` inside it
/// sets the runtime's interrupt, which the enclosing template sees after
/// this element, as it would after the element itself.
#[derive(Debug)]
struct Cached(Arc<Parsed>);

impl Renderable for Cached {
    fn render_to(&self, writer: &mut dyn Write, runtime: &dyn Runtime) -> liquid_core::Result<()> {
        self.0.render_to(writer, runtime)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_parse_per_distinct_text() {
        let lang = super::super::engine::language();
        let cache = ParseCache::default();
        let a = cache.parse("{{ x }}", &lang).expect("parses");
        let b = cache.parse("{{ x }}", &lang).expect("parses");
        assert!(Arc::ptr_eq(&a, &b));
        let c = cache.parse("{{ y }}", &lang).expect("parses");
        assert!(!Arc::ptr_eq(&a, &c));
        assert!(cache.parse("{{ x ", &lang).is_err());
    }

    #[test]
    fn unknown_filters_are_reported_once_per_template() {
        let lang = super::super::engine::language();
        let cache = ParseCache::default();
        let text = "{{ a | nosuch }}-{{ b | nosuch }}";
        let items = [
            Item::Liquid(0..16),
            Item::Text(16..17),
            Item::Liquid(17..33),
        ];
        let (elements, added) = cache.assemble(text, &items, &lang).expect("assembles");
        assert_eq!(elements.len(), 3);
        assert_eq!(added, vec!["nosuch".to_string()]);
        let bad = [Item::Liquid(0..5)];
        assert!(cache.assemble(text, &bad, &lang).is_none());
    }
}
