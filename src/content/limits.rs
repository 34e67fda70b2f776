//! Bounds on what one document's Liquid may make. Jekyll sets none, so a
//! post looping a billion times or doubling a string forty times runs
//! until memory runs out; here it stops at a bound far above what any real
//! page needs (and that grows with the site, since a page may list every
//! post with its content), the document is reported (`liquid-too-large`)
//! and kept as written, and the rest of the site is converted.

use std::io::{self, Write};

use liquid_core::model::ValueView;
use liquid_core::Runtime;

use super::engine::Ctx;

/// The bounds for one site's documents.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Limits {
    /// Bytes of output one document's Liquid may write.
    pub output: usize,
    /// Bytes one variable may hold (`assign`, `capture`), counting each
    /// item of a list or hash as 64.
    pub value: usize,
    /// Loop iterations one document may run, counting every turn of nested
    /// loops.
    pub iterations: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits::for_site(0, 0)
    }
}

impl Limits {
    /// Bounds for a site of `documents` documents holding `bytes` bytes of
    /// text: at least 256 MiB of output (a page listing 10,000 posts with
    /// their content writes some 30 MiB), 64 MiB in one variable and 20
    /// million loop iterations, and more for a site big enough to need it
    /// (eight times the site's text; twice a loop over every document
    /// inside another).
    pub(crate) fn for_site(documents: usize, bytes: usize) -> Self {
        #[cfg(test)]
        if let Some(small) = TEST_LIMITS.with(std::cell::Cell::get) {
            return small;
        }
        let scaled = bytes.saturating_mul(8);
        let n = documents as u64;
        Limits {
            output: scaled.max(256 << 20),
            value: scaled.max(64 << 20),
            iterations: n.saturating_mul(n).saturating_mul(2).max(20_000_000),
        }
    }
}

#[cfg(test)]
thread_local! {
    /// Bounds the content layer's tests set for the sites they process on
    /// this thread, small enough to reach quickly in a debug build.
    pub(crate) static TEST_LIMITS: std::cell::Cell<Option<Limits>> =
        const { std::cell::Cell::new(None) };
}

/// The start of every error a bound raises.
const TOO_LARGE: &str = "past jekyll-migrate's bound: ";

/// The bounds in force for the render `runtime` belongs to.
pub(crate) fn of(runtime: &dyn Runtime) -> Limits {
    runtime.registers().get_mut::<Ctx>().limits
}

/// Records in `runtime` that `what` went past its bound and returns the
/// error that stops the render.
pub(crate) fn stop(runtime: &dyn Runtime, what: String) -> liquid_core::Error {
    let error = liquid_core::Error::with_msg(message(&what));
    let mut ctx = runtime.registers().get_mut::<Ctx>();
    ctx.over_limit.get_or_insert(what);
    error
}

/// The bound a render went past, if it stopped at one.
pub(crate) fn exceeded(runtime: &dyn Runtime) -> Option<String> {
    runtime.registers().get_mut::<Ctx>().over_limit.clone()
}

/// The error text for a render stopped because `what`.
pub(crate) fn message(what: &str) -> String {
    format!("{TOO_LARGE}{what}")
}

/// What a render wrote past its bound: `"it writes more than N MiB"`.
pub(crate) fn too_much_output(max: usize) -> String {
    format!("it writes more than {} MiB", max >> 20)
}

/// Counts one loop iteration; an error once the document's loops have run
/// more than their bound, or once another bound was passed (a loop goes on
/// after an `assign` that was refused).
pub(crate) fn count_iteration(runtime: &dyn Runtime) -> liquid_core::Result<()> {
    let over = {
        let mut ctx = runtime.registers().get_mut::<Ctx>();
        ctx.iterations += 1;
        match &ctx.over_limit {
            Some(what) => Some(what.clone()),
            None => (ctx.iterations > ctx.limits.iterations)
                .then(|| format!("its loops run more than {} times", ctx.limits.iterations)),
        }
    };
    match over {
        Some(what) => Err(stop(runtime, what)),
        None => Ok(()),
    }
}

/// Whether `value` holds more than `max` bytes (strings' lengths and hash
/// keys, 64 for each item of a list or hash); stops counting past `max`.
pub(crate) fn larger_than(value: &dyn ValueView, max: usize) -> bool {
    fn take(budget: &mut usize, n: usize) -> bool {
        match budget.checked_sub(n) {
            Some(b) => {
                *budget = b;
                true
            }
            None => false,
        }
    }
    fn fits(v: &dyn ValueView, budget: &mut usize) -> bool {
        if let Some(s) = v.as_scalar() {
            return take(budget, s.to_kstr().len());
        }
        if let Some(a) = v.as_array() {
            return a
                .values()
                .all(|item| take(budget, 64) && fits(item, budget));
        }
        if let Some(o) = v.as_object() {
            return o
                .iter()
                .all(|(k, item)| take(budget, 64 + k.len()) && fits(item, budget));
        }
        take(budget, 8)
    }
    let mut budget = max;
    !fits(value, &mut budget)
}

/// A writer that refuses to grow `out` past `max` bytes, and remembers it
/// did (a Liquid error loses the writer's message).
pub(crate) struct Capped<'a> {
    out: &'a mut Vec<u8>,
    max: usize,
    hit: bool,
}

impl<'a> Capped<'a> {
    /// Writes into `out`, at most `max` bytes in all.
    pub(crate) fn new(out: &'a mut Vec<u8>, max: usize) -> Self {
        Capped {
            out,
            max,
            hit: false,
        }
    }

    /// Whether a write was refused.
    pub(crate) fn hit(&self) -> bool {
        self.hit
    }
}

impl Write for Capped<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.out.len() + buf.len() > self.max {
            self.hit = true;
            return Err(io::Error::other(message(&too_much_output(self.max))));
        }
        self.out.extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Whether an error raised by a render is a bound's.
pub(crate) fn is_limit_error(message: &str) -> bool {
    message.contains(TOO_LARGE)
}

/// The bound a bound's error names (`its loops run more than …`).
pub(crate) fn reason(message: &str) -> &str {
    message
        .split_once(TOO_LARGE)
        .map_or(message, |(_, rest)| {
            rest.split("; from:").next().unwrap_or(rest)
        })
        .trim()
}

#[cfg(test)]
mod tests {
    use super::*;
    use liquid_core::model::{Object, Value};

    #[test]
    fn sizes_count_text_and_items_through_arrays_and_objects() {
        let s = |n: usize| Value::scalar("x".repeat(n));
        assert!(!larger_than(&s(100), 100));
        assert!(larger_than(&s(101), 100));
        // Two items: 2 × 64 + 2 × 10.
        let list = Value::Array(vec![s(10), s(10)]);
        assert!(!larger_than(&list, 148));
        assert!(larger_than(&list, 147));
        let mut o = Object::new();
        o.insert("k".into(), list);
        // 64 + 1 for the key, then the list.
        assert!(!larger_than(&Value::Object(o.clone()), 213));
        assert!(larger_than(&Value::Object(o), 212));
    }

    #[test]
    fn bounds_grow_with_big_sites() {
        let small = Limits::for_site(10, 1000);
        assert_eq!(small.output, 256 << 20);
        assert_eq!(small.value, 64 << 20);
        assert_eq!(small.iterations, 20_000_000);
        let big = Limits::for_site(50_000, 100 << 20);
        assert_eq!(big.value, 800 << 20);
        assert_eq!(big.iterations, 5_000_000_000);
    }

    #[test]
    fn the_capped_writer_stops_at_its_bound() {
        let mut out = Vec::new();
        let mut w = Capped::new(&mut out, 10);
        assert!(w.write_all(b"12345").is_ok());
        assert!(w.write_all(b"67890").is_ok());
        let err = w.write_all(b"x").map_err(|e| e.to_string());
        assert!(err.as_ref().is_err_and(|e| is_limit_error(e)), "{err:?}");
        assert!(w.hit());
        assert_eq!(out, b"1234567890");
    }
}
