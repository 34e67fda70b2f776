//! The Liquid runtime Jekyll expects: `site`, `page` and `jekyll` as roots,
//! and a missing variable answering nil at every depth instead of failing
//! (the `liquid` crate's own runtime errors; cobalt-org/liquid-rust#338).
//! Missing lookups are recorded so the caller can report them.

use std::collections::BTreeSet;

use liquid_core::model::{
    try_find, KString, KStringCow, KStringRef, ScalarCow, Value, ValueCow, ValueView,
};
use liquid_core::runtime::{PartialStore, Registers, Renderable, Runtime};
use liquid_core::{Error, Result};

/// Variable paths that answered nil because nothing defines them.
#[derive(Default)]
pub(crate) struct MissingVars(pub Vec<String>);

/// The bottom of the runtime stack: the global roots, lenient lookups.
pub(crate) struct Base<'g> {
    roots: Vec<(&'static str, &'g dyn ValueView)>,
    registers: Registers,
    /// Counters of `increment` / `decrement`.
    indexes: std::cell::RefCell<liquid_core::Object>,
}

impl<'g> Base<'g> {
    /// A runtime whose globals are `roots` (name, value).
    pub(crate) fn new(roots: Vec<(&'static str, &'g dyn ValueView)>) -> Self {
        Base {
            roots,
            registers: Registers::default(),
            indexes: std::cell::RefCell::new(liquid_core::Object::new()),
        }
    }

    fn root(&self, name: &str) -> Option<&'g dyn ValueView> {
        self.roots.iter().find(|(n, _)| *n == name).map(|(_, v)| *v)
    }
}

#[derive(Debug)]
struct NoPartials;

impl PartialStore for NoPartials {
    fn contains(&self, _name: &str) -> bool {
        false
    }
    fn names(&self) -> Vec<&str> {
        Vec::new()
    }
    fn try_get(&self, _name: &str) -> Option<std::sync::Arc<dyn Renderable>> {
        None
    }
    fn get(&self, name: &str) -> Result<std::sync::Arc<dyn Renderable>> {
        Err(Error::with_msg("Jekyll has no partials; use include").context("name", name.to_owned()))
    }
}

static NO_PARTIALS: NoPartials = NoPartials;

impl Runtime for Base<'_> {
    fn partials(&self) -> &dyn PartialStore {
        &NO_PARTIALS
    }

    fn name(&self) -> Option<KStringRef<'_>> {
        None
    }

    fn roots(&self) -> BTreeSet<KStringCow<'_>> {
        self.roots
            .iter()
            .map(|(n, _)| KStringCow::from_static(n))
            .collect()
    }

    fn try_get(&self, path: &[ScalarCow<'_>]) -> Option<ValueCow<'_>> {
        let first = path.first()?;
        let root = self.root(first.to_kstr().as_str())?;
        try_find(root, path.get(1..).unwrap_or_default())
    }

    fn get(&self, path: &[ScalarCow<'_>]) -> Result<ValueCow<'_>> {
        match self.try_get(path) {
            // Lenient objects answer nil for missing keys; an output of
            // nil is what gets reported.
            Some(v) if !v.is_nil() => Ok(v),
            found => {
                let name = path
                    .iter()
                    .map(|p| p.to_kstr().to_string())
                    .collect::<Vec<_>>()
                    .join(".");
                self.registers.get_mut::<MissingVars>().0.push(name);
                Ok(found.unwrap_or(ValueCow::Owned(Value::Nil)))
            }
        }
    }

    fn set_global(&self, _name: KString, _val: Value) -> Option<Value> {
        // A GlobalFrame above this one keeps assigned variables.
        None
    }

    fn set_index(&self, name: KString, val: Value) -> Option<Value> {
        self.indexes.borrow_mut().insert(name, val)
    }

    fn get_index<'a>(&'a self, name: &str) -> Option<ValueCow<'a>> {
        self.indexes
            .borrow()
            .get(name)
            .map(|v| ValueCow::Owned(v.clone()))
    }

    fn registers(&self) -> &Registers {
        &self.registers
    }
}

/// Looks a value up leniently: nil when anything along the path is missing.
pub(crate) fn lookup(runtime: &dyn Runtime, path: &[ScalarCow<'_>]) -> Value {
    runtime
        .try_get(path)
        .map(|v| v.into_owned())
        .unwrap_or(Value::Nil)
}
