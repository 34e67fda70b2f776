//! Liquid values as Ruby holds them: what prints, what is truthy, what is equal.

use indexmap::IndexMap;
use std::cmp::Ordering;
use std::fmt::Write as _;
use std::sync::Arc;

/// An ordered hash with string keys, as Ruby's Hash from JSON/YAML.
pub type Hash = IndexMap<String, Value>;

/// A host object: a value the host computes on demand (Jekyll's `site`,
/// `page`), shared across threads.
pub trait Object: Send + Sync + std::fmt::Debug {
    /// The value under `key`, `None` when there is none (Liquid then gives nil).
    fn get(&self, key: &str) -> Option<Value>;
    /// The keys, in order, for `jsonify`, `inspect` and loops.
    fn keys(&self) -> Vec<String>;
    /// What `{{ object }}` prints (Ruby's `to_s`); `None` prints the
    /// object's value as a Ruby hash would (`{"title"=>"…"}`). Jekyll's drops
    /// print their class name, for instance.
    fn display_string(&self) -> Option<String> {
        None
    }
    /// The whole object as a plain value (a hash, usually).
    fn to_value(&self) -> Value {
        let mut h = Hash::new();
        for k in self.keys() {
            let v = self.get(&k).unwrap_or(Value::Nil);
            h.insert(k, v);
        }
        Value::Hash(Arc::new(h))
    }
}

/// A Liquid value. Cloning is cheap: compound values are behind `Arc`.
#[derive(Clone, Debug, Default)]
pub enum Value {
    /// Ruby's nil.
    #[default]
    Nil,
    /// true / false.
    Bool(bool),
    /// Ruby Integer (within i64).
    Int(i64),
    /// Ruby Float.
    Float(f64),
    /// Ruby String.
    Str(Arc<str>),
    /// Ruby Array.
    Array(Arc<Vec<Value>>),
    /// Ruby Hash with string keys, in insertion order.
    Hash(Arc<Hash>),
    /// Ruby Range of integers (inclusive), as `(1..5)` makes.
    Range(i64, i64),
    /// A point in time (Ruby Time), e.g. a post's date.
    Date(Arc<jiff::ZonedDateTime>),
    /// A host object.
    Object(Arc<dyn Object>),
}

impl Value {
    /// A string value.
    pub fn str(s: &str) -> Value {
        Value::Str(Arc::from(s))
    }

    /// A string value from an owned string.
    pub fn string(s: String) -> Value {
        Value::Str(Arc::from(s))
    }

    /// An array value.
    pub fn array(v: Vec<Value>) -> Value {
        Value::Array(Arc::new(v))
    }

    /// A hash value.
    pub fn hash(h: Hash) -> Value {
        Value::Hash(Arc::new(h))
    }

    /// Builds a value from JSON (numbers that fit i64 become integers).
    pub fn from_json(j: &serde_json::Value) -> Value {
        match j {
            serde_json::Value::Null => Value::Nil,
            serde_json::Value::Bool(b) => Value::Bool(*b),
            serde_json::Value::Number(n) => match n.as_i64() {
                Some(i) => Value::Int(i),
                None => Value::Float(n.as_f64().unwrap_or(0.0)),
            },
            serde_json::Value::String(s) => Value::str(s),
            serde_json::Value::Array(a) => Value::array(a.iter().map(Value::from_json).collect()),
            serde_json::Value::Object(o) => Value::hash(
                o.iter()
                    .map(|(k, v)| (k.clone(), Value::from_json(v)))
                    .collect(),
            ),
        }
    }

    /// Ruby truthiness: only nil and false are false.
    pub fn truthy(&self) -> bool {
        !matches!(self, Value::Nil | Value::Bool(false))
    }

    /// Whether this is nil.
    pub fn is_nil(&self) -> bool {
        matches!(self, Value::Nil)
    }

    /// Host objects resolved to plain values; everything else unchanged.
    pub fn resolved(&self) -> Value {
        match self {
            Value::Object(o) => o.to_value(),
            v => v.clone(),
        }
    }

    /// The string inside, if this is a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// Ruby's `to_s`.
    pub fn to_s(&self) -> String {
        let mut out = String::new();
        self.write_to_s(&mut out);
        out
    }

    /// Appends Ruby's `to_s` to `out`.
    pub fn write_to_s(&self, out: &mut String) {
        match self {
            Value::Nil => {}
            Value::Str(s) => out.push_str(s),
            Value::Object(o) if o.display_string().is_some() => {
                out.push_str(&o.display_string().unwrap_or_default())
            }
            Value::Array(_) | Value::Hash(_) | Value::Object(_) => {
                self.write_inspect(out, 0, &Budget::new())
            }
            other => other.write_scalar(out),
        }
    }

    /// What `{{ }}` writes: arrays joined without separator (Ruby `join`).
    pub fn write_output(&self, out: &mut String) {
        match self {
            Value::Array(a) => write_join(a, "", out, 0, &Budget::new()),
            v => v.write_to_s(out),
        }
    }

    fn write_scalar(&self, out: &mut String) {
        match self {
            Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Value::Int(i) => {
                let _ = write!(out, "{i}");
            }
            Value::Float(f) => out.push_str(&ruby_float(*f)),
            Value::Range(a, b) => {
                let _ = write!(out, "{a}..{b}");
            }
            Value::Date(d) => out.push_str(&d.strftime("%Y-%m-%d %H:%M:%S %z").to_string()),
            _ => {}
        }
    }

    /// Ruby's `inspect` (`{"a"=>1}`, `["a", nil]`), as Ruby 3.1–3.3 writes it.
    pub fn inspect(&self) -> String {
        let mut out = String::new();
        self.write_inspect(&mut out, 0, &Budget::new());
        out
    }

    fn write_inspect(&self, out: &mut String, depth: usize, budget: &Budget) {
        if depth > crate::limits::MAX_DEPTH || !budget.spend(out) {
            out.push_str("...");
            return;
        }
        match self {
            Value::Nil => out.push_str("nil"),
            Value::Str(s) => inspect_str(s, out),
            Value::Array(a) => {
                out.push('[');
                for (i, v) in a.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    v.write_inspect(out, depth + 1, budget);
                }
                out.push(']');
            }
            Value::Hash(h) => {
                out.push('{');
                for (i, (k, v)) in h.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    inspect_str(k, out);
                    out.push_str("=>");
                    v.write_inspect(out, depth + 1, budget);
                }
                out.push('}');
            }
            Value::Object(o) => o.to_value().write_inspect(out, depth + 1, budget),
            Value::Date(d) => out.push_str(&d.strftime("%Y-%m-%d %H:%M:%S %z").to_string()),
            other => other.write_scalar(out),
        }
    }

    /// Number of items (Ruby `size`), when the value has one.
    pub fn size(&self) -> Option<i64> {
        Some(match self {
            Value::Str(s) => s.chars().count() as i64,
            Value::Array(a) => a.len() as i64,
            Value::Hash(h) => h.len() as i64,
            Value::Range(a, b) => (*b as i128 - *a as i128 + 1).clamp(0, i64::MAX as i128) as i64,
            // Integer#size is its width in bytes.
            Value::Int(_) => 8,
            Value::Object(o) => o.keys().len() as i64,
            _ => return None,
        })
    }

    /// Ruby's `empty?`, when the value has it (strings, arrays, hashes).
    pub fn empty(&self) -> Option<bool> {
        match self {
            Value::Str(s) => Some(s.is_empty()),
            Value::Array(a) => Some(a.is_empty()),
            Value::Hash(h) => Some(h.is_empty()),
            Value::Object(o) => Some(o.keys().is_empty()),
            _ => None,
        }
    }

    /// Items for iteration as Ruby's `each` yields them (hash → [key, value] pairs).
    pub fn each_items(&self) -> Option<Vec<Value>> {
        match self {
            Value::Array(a) => Some(a.as_ref().clone()),
            Value::Hash(h) => Some(
                h.iter()
                    .map(|(k, v)| Value::array(vec![Value::str(k), v.clone()]))
                    .collect(),
            ),
            Value::Range(a, b) => Some(range_items(*a, *b)),
            Value::Object(o) => o.to_value().each_items(),
            _ => None,
        }
    }
}

/// Dropping a value nested a million deep must not recurse a million
/// times: children whose last owner this is are moved to a stack first.
impl Drop for Value {
    fn drop(&mut self) {
        let mut stack = Vec::new();
        take_children(self, &mut stack);
        while let Some(mut v) = stack.pop() {
            take_children(&mut v, &mut stack);
        }
    }
}

fn take_children(v: &mut Value, stack: &mut Vec<Value>) {
    match v {
        Value::Array(a) => {
            if let Some(items) = Arc::get_mut(a) {
                stack.append(items);
            }
        }
        Value::Hash(h) => {
            if let Some(map) = Arc::get_mut(h) {
                stack.extend(map.drain(..).map(|(_, x)| x));
            }
        }
        _ => {}
    }
}

/// The integers of `a..b`, capped so a hostile range cannot exhaust memory
/// (the render limits stop loops long before).
pub fn range_items(a: i64, b: i64) -> Vec<Value> {
    if b < a {
        return Vec::new();
    }
    let n = (b as i128 - a as i128 + 1).min(crate::limits::MAX_RANGE_ITEMS as i128) as i64;
    (0..n).map(|i| Value::Int(a + i)).collect()
}

/// Writes `items` joined by `glue`, nested arrays flattened (Array#join).
pub(crate) fn write_join(
    items: &[Value],
    glue: &str,
    out: &mut String,
    depth: usize,
    budget: &Budget,
) {
    for (i, v) in items.iter().enumerate() {
        if !budget.spend(out) {
            return;
        }
        if i > 0 {
            out.push_str(glue);
        }
        match v {
            Value::Array(inner) if depth < crate::limits::MAX_DEPTH => {
                write_join(inner, glue, out, depth + 1, budget)
            }
            v => v.write_to_s(out),
        }
    }
}

fn inspect_str(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\u{1b}' => out.push_str("\\e"),
            '#' => out.push('#'),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\x{:02X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Ruby's `Float#to_s`: shortest round-trip digits, `.0` for whole numbers,
/// exponent form below 1e-4 and from 1e16 on.
pub fn ruby_float(f: f64) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "Infinity" } else { "-Infinity" }.into();
    }
    if f == 0.0 {
        return if f.is_sign_negative() { "-0.0" } else { "0.0" }.into();
    }
    let e = format!("{f:e}");
    let (mant, exp) = e.split_once('e').unwrap_or((&e, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let neg = mant.starts_with('-');
    let digits: String = mant.chars().filter(|c| c.is_ascii_digit()).collect();
    let decpt = exp + 1;
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    if (-3..=16).contains(&decpt) {
        if decpt <= 0 {
            out.push_str("0.");
            out.extend(std::iter::repeat_n('0', (-decpt) as usize));
            out.push_str(&digits);
        } else {
            let d = decpt as usize;
            if digits.len() <= d {
                out.push_str(&digits);
                out.extend(std::iter::repeat_n('0', d - digits.len()));
                out.push_str(".0");
            } else {
                out.push_str(&digits[..d]);
                out.push('.');
                out.push_str(&digits[d..]);
            }
        }
    } else {
        out.push_str(&digits[..1]);
        out.push('.');
        out.push_str(if digits.len() > 1 { &digits[1..] } else { "0" });
        let _ = write!(out, "e{}{:02}", if exp < 0 { '-' } else { '+' }, exp.abs());
    }
    out
}

/// How much one traversal of a value (printing, comparing, flattening)
/// may do. Arrays can share their items, so a value built in a few dozen
/// steps can unfold into billions of nodes; past the budget a traversal
/// stops (the output is cut, a comparison is false).
pub(crate) struct Budget(std::cell::Cell<usize>);

impl Budget {
    /// A fresh budget of `limits::MAX_VISITS` nodes.
    pub(crate) fn new() -> Budget {
        Budget(std::cell::Cell::new(crate::limits::MAX_VISITS))
    }

    /// Takes one visit; `false` when spent or `out` is already too long.
    pub(crate) fn spend(&self, out: &str) -> bool {
        let n = self.0.get();
        if n == 0 || out.len() > crate::limits::MAX_VALUE_BYTES {
            return false;
        }
        self.0.set(n - 1);
        true
    }
}

/// Ruby `==` between Liquid values (1 == 1.0; arrays and hashes by content).
pub fn ruby_eq(a: &Value, b: &Value) -> bool {
    eq_in(a, b, 0, &Budget::new())
}

fn eq_in(a: &Value, b: &Value, depth: usize, budget: &Budget) -> bool {
    if depth > crate::limits::MAX_DEPTH * 2 || !budget.spend("") {
        return false;
    }
    match (a, b) {
        (Value::Nil, Value::Nil) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Int(x), Value::Int(y)) => x == y,
        (Value::Int(x), Value::Float(y)) | (Value::Float(y), Value::Int(x)) => (*x as f64) == *y,
        (Value::Float(x), Value::Float(y)) => x == y,
        (Value::Str(x), Value::Str(y)) => x == y,
        (Value::Array(x), Value::Array(y)) => {
            Arc::ptr_eq(x, y)
                || (x.len() == y.len()
                    && x.iter()
                        .zip(y.iter())
                        .all(|(p, q)| eq_in(p, q, depth + 1, budget)))
        }
        (Value::Hash(x), Value::Hash(y)) => {
            Arc::ptr_eq(x, y)
                || (x.len() == y.len()
                    && x.iter()
                        .all(|(k, v)| y.get(k).is_some_and(|w| eq_in(v, w, depth + 1, budget))))
        }
        (Value::Range(a1, b1), Value::Range(a2, b2)) => a1 == a2 && b1 == b2,
        (Value::Date(x), Value::Date(y)) => x.timestamp() == y.timestamp(),
        (Value::Object(x), Value::Object(y)) => Arc::ptr_eq(x, y),
        (Value::Object(o), other) | (other, Value::Object(o)) => {
            eq_in(&o.to_value(), other, depth + 1, budget)
        }
        _ => false,
    }
}

/// Ruby's `eql?` (used by `uniq`): like `==` but 1 and 1.0 differ.
pub fn ruby_eql(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Int(_), Value::Float(_)) | (Value::Float(_), Value::Int(_)) => false,
        (Value::Array(x), Value::Array(y)) if !Arc::ptr_eq(x, y) => {
            x.len() == y.len() && a.inspect() == b.inspect()
        }
        _ => ruby_eq(a, b),
    }
}

/// Ruby's `<=>`: `None` where Ruby gives nil (values that do not compare).
pub fn ruby_cmp(a: &Value, b: &Value) -> Option<Ordering> {
    cmp_in(a, b, 0, &Budget::new())
}

fn cmp_in(a: &Value, b: &Value, depth: usize, budget: &Budget) -> Option<Ordering> {
    if depth > crate::limits::MAX_DEPTH * 2 || !budget.spend("") {
        return None;
    }
    match (a, b) {
        (Value::Int(x), Value::Int(y)) => Some(x.cmp(y)),
        (Value::Int(x), Value::Float(y)) => (*x as f64).partial_cmp(y),
        (Value::Float(x), Value::Int(y)) => x.partial_cmp(&(*y as f64)),
        (Value::Float(x), Value::Float(y)) => x.partial_cmp(y),
        (Value::Str(x), Value::Str(y)) => Some(x.as_bytes().cmp(y.as_bytes())),
        (Value::Date(x), Value::Date(y)) => Some(x.timestamp().cmp(&y.timestamp())),
        (Value::Array(x), Value::Array(y)) => {
            for (p, q) in x.iter().zip(y.iter()) {
                match cmp_in(p, q, depth + 1, budget)? {
                    Ordering::Equal => {}
                    o => return Some(o),
                }
            }
            Some(x.len().cmp(&y.len()))
        }
        (Value::Nil, Value::Nil) => Some(Ordering::Equal),
        (Value::Bool(x), Value::Bool(y)) if x == y => Some(Ordering::Equal),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Ruby: Float#to_s (flo_to_s in numeric.c).
    #[test]
    fn floats_print_as_ruby() {
        assert_eq!(ruby_float(1.0), "1.0");
        assert_eq!(ruby_float(0.1 + 0.2), "0.30000000000000004");
        assert_eq!(ruby_float(1e20), "1.0e+20");
        assert_eq!(ruby_float(1e15), "1000000000000000.0");
        assert_eq!(ruby_float(1e16), "1.0e+16");
        assert_eq!(ruby_float(0.0001), "0.0001");
        assert_eq!(ruby_float(0.00001), "1.0e-05");
        assert_eq!(ruby_float(-2.5), "-2.5");
    }

    #[test]
    fn inspect_as_ruby_3() {
        let v = Value::from_json(&serde_json::json!({"z": null, "a": [1, "b"]}));
        assert_eq!(v.inspect(), r#"{"z"=>nil, "a"=>[1, "b"]}"#);
        let mut out = String::new();
        Value::from_json(&serde_json::json!([["a", 1], null, 2.0])).write_output(&mut out);
        assert_eq!(out, "a12.0");
    }
}
