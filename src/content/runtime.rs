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

/// A scope over `parent` with extra variables (`include`, a `where_exp`
/// item), handing out borrowed values: Liquid's own `StackFrame` copies a
/// value on each lookup, which loses the lenient objects and their order.
pub(crate) struct Frame<'p> {
    parent: &'p dyn Runtime,
    data: &'p dyn liquid_core::ObjectView,
}

impl<'p> Frame<'p> {
    /// A scope with `data`'s keys as variables.
    pub(crate) fn new(parent: &'p dyn Runtime, data: &'p dyn liquid_core::ObjectView) -> Self {
        Frame { parent, data }
    }

    fn owns(&self, path: &[ScalarCow<'_>]) -> bool {
        path.first()
            .is_some_and(|k| self.data.contains_key(k.to_kstr().as_str()))
    }
}

impl Runtime for Frame<'_> {
    fn partials(&self) -> &dyn PartialStore {
        self.parent.partials()
    }
    fn name(&self) -> Option<KStringRef<'_>> {
        self.parent.name()
    }
    fn roots(&self) -> BTreeSet<KStringCow<'_>> {
        let mut r = self.parent.roots();
        r.extend(self.data.keys());
        r
    }
    fn try_get(&self, path: &[ScalarCow<'_>]) -> Option<ValueCow<'_>> {
        if self.owns(path) {
            try_find(self.data.as_value(), path)
        } else {
            self.parent.try_get(path)
        }
    }
    fn get(&self, path: &[ScalarCow<'_>]) -> Result<ValueCow<'_>> {
        if self.owns(path) {
            Ok(try_find(self.data.as_value(), path).unwrap_or(ValueCow::Owned(Value::Nil)))
        } else {
            self.parent.get(path)
        }
    }
    fn set_global(&self, name: KString, val: Value) -> Option<Value> {
        self.parent.set_global(name, val)
    }
    fn set_index(&self, name: KString, val: Value) -> Option<Value> {
        self.parent.set_index(name, val)
    }
    fn get_index<'a>(&'a self, name: &str) -> Option<ValueCow<'a>> {
        self.parent.get_index(name)
    }
    fn registers(&self) -> &Registers {
        self.parent.registers()
    }
}

/// Slots that never move once filled: chunk `k` holds `64 << k` slots.
struct Arena {
    chunks: Vec<
        std::cell::OnceCell<Box<[std::cell::OnceCell<crate::content::values::LValue<'static>>]>>,
    >,
    len: std::cell::Cell<usize>,
}

impl Arena {
    const CHUNKS: usize = 24;

    fn new() -> Self {
        Arena {
            chunks: (0..Self::CHUNKS)
                .map(|_| std::cell::OnceCell::new())
                .collect(),
            len: std::cell::Cell::new(0),
        }
    }

    fn locate(i: usize) -> (usize, usize) {
        // Chunk k starts at 64 * (2^k - 1).
        let mut k = 0;
        let mut start = 0;
        while i >= start + (64 << k) {
            start += 64 << k;
            k += 1;
        }
        (k, i - start)
    }

    /// Stores `v`; returns its slot, or `None` when the arena is full.
    fn push(&self, v: crate::content::values::LValue<'static>) -> Option<usize> {
        let i = self.len.get();
        let (k, j) = Self::locate(i);
        let chunk = self.chunks.get(k)?.get_or_init(|| {
            (0..(64usize << k))
                .map(|_| std::cell::OnceCell::new())
                .collect()
        });
        chunk.get(j)?.set(v).ok()?;
        self.len.set(i + 1);
        Some(i)
    }

    fn get(&self, i: usize) -> Option<&crate::content::values::LValue<'static>> {
        let (k, j) = Self::locate(i);
        self.chunks.get(k)?.get()?.get(j)?.get()
    }
}

/// Variables set by `assign` and `capture`, kept as lenient values so that
/// `{% assign p = site.posts | first %}{{ p.missing }}` is nil as in
/// Jekyll (Liquid's own global frame keeps strict copies).
pub(crate) struct Globals<P> {
    parent: P,
    arena: Arena,
    names: std::cell::RefCell<std::collections::HashMap<String, usize>>,
}

impl<P: Runtime> Globals<P> {
    /// A global scope over `parent`.
    pub(crate) fn new(parent: P) -> Self {
        Globals {
            parent,
            arena: Arena::new(),
            names: std::cell::RefCell::new(std::collections::HashMap::new()),
        }
    }

    fn slot(&self, path: &[ScalarCow<'_>]) -> Option<&crate::content::values::LValue<'static>> {
        let key = path.first()?.to_kstr();
        let i = *self.names.borrow().get(key.as_str())?;
        self.arena.get(i)
    }
}

impl<P: Runtime> Runtime for Globals<P> {
    fn partials(&self) -> &dyn PartialStore {
        self.parent.partials()
    }
    fn name(&self) -> Option<KStringRef<'_>> {
        self.parent.name()
    }
    fn roots(&self) -> BTreeSet<KStringCow<'_>> {
        let mut r = self.parent.roots();
        r.extend(
            self.names
                .borrow()
                .keys()
                .map(|k| KStringCow::from_string(k.clone())),
        );
        r
    }
    fn try_get(&self, path: &[ScalarCow<'_>]) -> Option<ValueCow<'_>> {
        match self.slot(path) {
            Some(v) => try_find(v, path.get(1..).unwrap_or_default()),
            None => self.parent.try_get(path),
        }
    }
    fn get(&self, path: &[ScalarCow<'_>]) -> Result<ValueCow<'_>> {
        match self.slot(path) {
            Some(v) => Ok(try_find(v, path.get(1..).unwrap_or_default())
                .unwrap_or(ValueCow::Owned(Value::Nil))),
            None => self.parent.get(path),
        }
    }
    fn set_global(&self, name: KString, val: Value) -> Option<Value> {
        // Past its bound the variable is emptied, which ends a doubling
        // loop at once; the render is then refused (see `limits`).
        let max = super::limits::of(self).value;
        let val = if super::limits::larger_than(&val, max) {
            let _ = super::limits::stop(
                self,
                format!("`{name}` is set to more than {} MiB", max >> 20),
            );
            Value::Nil
        } else {
            val
        };
        match self.arena.push(crate::content::values::LValue::from(val)) {
            Some(i) => {
                self.names.borrow_mut().insert(name.to_string(), i);
            }
            None => {
                // Past millions of assignments: forget the name rather
                // than grow without bound.
                self.names.borrow_mut().remove(name.as_str());
            }
        }
        None
    }
    fn set_index(&self, name: KString, val: Value) -> Option<Value> {
        self.parent.set_index(name, val)
    }
    fn get_index<'a>(&'a self, name: &str) -> Option<ValueCow<'a>> {
        self.parent.get_index(name)
    }
    fn registers(&self) -> &Registers {
        self.parent.registers()
    }
}
