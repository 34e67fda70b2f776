//! Expressions (expression.rb, variable_lookup.rb, range_lookup.rb):
//! literals, variable lookups with `.key` / `[expr]`, ranges.

use crate::lax::VARIABLE_PARSER;
use crate::number::{ruby_to_f, ruby_to_i};
use crate::render::Context;
use crate::value::Value;

/// A parsed expression.
#[derive(Debug, Clone)]
pub enum Expr {
    /// A literal value.
    Lit(Value),
    /// A variable and its lookups.
    Lookup(Box<Lookup>),
    /// A range with at least one end to evaluate.
    Range(Box<Expr>, Box<Expr>),
}

/// One `.name` or `[expr]` step.
#[derive(Debug, Clone)]
pub enum Key {
    /// `.name`; `command` for `size`/`first`/`last`, which also call the method.
    Name(String, bool),
    /// `[expr]`.
    Expr(Expr),
}

/// A variable lookup (VariableLookup).
#[derive(Debug, Clone)]
pub struct Lookup {
    /// The variable's name: usually a string literal, `[expr]` evaluates.
    pub name: Expr,
    /// The steps after the name.
    pub keys: Vec<Key>,
}

/// Expression.parse: markup (already normalised by the strict parser, or
/// raw from a lax one) → expression.
pub fn parse(markup: &str) -> Expr {
    parse_depth(markup, 0)
}

fn parse_depth(markup: &str, depth: usize) -> Expr {
    let m = ruby_strip(markup);
    let b = m.as_bytes();
    if b.len() >= 2
        && ((b[0] == b'"' && b[b.len() - 1] == b'"') || (b[0] == b'\'' && b[b.len() - 1] == b'\''))
    {
        return Expr::Lit(Value::str(&m[1..m.len() - 1]));
    }
    if is_integer(m) {
        return Expr::Lit(match m.parse::<i64>() {
            Ok(i) => Value::Int(i),
            Err(_) => Value::Float(m.parse::<f64>().unwrap_or(0.0)),
        });
    }
    if let Some((a, z)) = range_parts(m) {
        return range(a, z, depth);
    }
    if is_float(m) {
        return Expr::Lit(Value::Float(ruby_to_f(m)));
    }
    match m {
        "" | "nil" | "null" => Expr::Lit(Value::Nil),
        "true" => Expr::Lit(Value::Bool(true)),
        "false" => Expr::Lit(Value::Bool(false)),
        "blank" | "empty" => Expr::Lit(Value::str("")),
        _ => lookup(m, depth),
    }
}

/// Ruby's `strip` (whitespace and NUL).
pub fn ruby_strip(s: &str) -> &str {
    s.trim_matches(|c: char| matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0b' | '\x0c' | '\0'))
}

fn is_integer(m: &str) -> bool {
    let d = m.strip_prefix('-').unwrap_or(m);
    !d.is_empty() && d.bytes().all(|c| c.is_ascii_digit())
}

fn is_float(m: &str) -> bool {
    // FLOATS_REGEX: -?\d[\d.]+
    let d = m.strip_prefix('-').unwrap_or(m).as_bytes();
    d.len() >= 2 && d[0].is_ascii_digit() && d[1..].iter().all(|c| c.is_ascii_digit() || *c == b'.')
}

/// RANGES_REGEX `\A\(\s*(?>(\S+)\s*\.\.)\s*(\S+)\s*\)\z`: the atomic group
/// takes the longest start that a `..` follows, and never gives it back.
fn range_parts(m: &str) -> Option<(&str, &str)> {
    let inner = m.strip_prefix('(')?;
    let ws = |c: char| c.is_ascii_whitespace() || c == '\x0b';
    let s = inner.trim_start_matches(ws);
    let run = s.find(ws).unwrap_or(s.len());
    let mut start_end = None;
    for e in (1..=run).rev() {
        if !s.is_char_boundary(e) {
            continue;
        }
        if s[e..].trim_start_matches(ws).starts_with("..") {
            start_end = Some(e);
            break;
        }
    }
    let e = start_end?;
    let rest = s[e..].trim_start_matches(ws).strip_prefix("..")?;
    let rest = rest
        .trim_start_matches(ws)
        .strip_suffix(')')?
        .trim_end_matches(ws);
    if rest.is_empty() || rest.contains(ws) {
        return None;
    }
    Some((&s[..e], rest))
}

fn range(a: &str, z: &str, depth: usize) -> Expr {
    let (a, z) = (parse_depth(a, depth + 1), parse_depth(z, depth + 1));
    match (&a, &z) {
        (Expr::Lit(x), Expr::Lit(y)) => Expr::Lit(Value::Range(lit_to_i(x), lit_to_i(y))),
        _ => Expr::Range(Box::new(a), Box::new(z)),
    }
}

/// `to_i` of a literal range end (range_lookup.rb `start_obj.to_i`).
fn lit_to_i(v: &Value) -> i64 {
    match v {
        Value::Int(i) => *i,
        Value::Float(f) => *f as i64,
        Value::Str(s) => ruby_to_i(s),
        _ => 0,
    }
}

fn lookup(markup: &str, depth: usize) -> Expr {
    let mut parts = VARIABLE_PARSER.find_iter(markup).map(|m| m.as_str());
    let name = match parts.next() {
        None => Expr::Lit(Value::Nil),
        Some(n) => bracketed(n, depth).unwrap_or_else(|| Expr::Lit(Value::str(n))),
    };
    let keys = parts
        .map(|p| match bracketed(p, depth) {
            Some(e) => Key::Expr(e),
            None => Key::Name(p.to_string(), matches!(p, "size" | "first" | "last")),
        })
        .collect();
    Expr::Lookup(Box::new(Lookup { name, keys }))
}

fn bracketed(p: &str, depth: usize) -> Option<Expr> {
    let inner = p.strip_prefix('[')?.strip_suffix(']')?;
    if depth >= crate::limits::MAX_DEPTH {
        return Some(Expr::Lit(Value::Nil));
    }
    Some(parse_depth(inner, depth + 1))
}

impl Expr {
    /// Evaluates in `ctx`.
    pub fn eval(&self, ctx: &mut Context<'_>) -> Result<Value, String> {
        match self {
            Expr::Lit(v) => Ok(v.clone()),
            Expr::Range(a, z) => {
                let a = range_end(a.eval(ctx)?)?;
                let z = range_end(z.eval(ctx)?)?;
                Ok(Value::Range(a, z))
            }
            Expr::Lookup(l) => l.eval(ctx),
        }
    }
}

/// range_lookup.rb `to_integer`: strings and nil by `to_i`, others strictly.
fn range_end(v: Value) -> Result<i64, String> {
    match &v {
        Value::Int(i) => Ok(*i),
        Value::Nil => Ok(0),
        Value::Str(s) => Ok(ruby_to_i(s)),
        other => crate::number::to_integer(other),
    }
}

impl Lookup {
    fn eval(&self, ctx: &mut Context<'_>) -> Result<Value, String> {
        let name = self.name.eval(ctx)?;
        let strict = ctx.engine().strict_variables;
        let found = match &name {
            Value::Str(s) => ctx.lookup_variable(s),
            _ => None,
        };
        let mut obj = match found {
            Some(v) => v,
            None if strict => return Err(format!("undefined variable {}", name.to_s())),
            None => Value::Nil,
        };
        for key in &self.keys {
            let (k, command) = match key {
                Key::Name(n, c) => (Value::str(n), *c),
                Key::Expr(e) => (e.eval(ctx)?, false),
            };
            obj = match step(&obj, &k, command) {
                Some(v) => v,
                None if strict => return Err(format!("undefined variable {}", k.to_s())),
                None => return Ok(Value::Nil),
            };
        }
        Ok(obj)
    }
}

/// One lookup step (variable_lookup.rb `evaluate`); `None` ends the lookup with nil.
pub fn step(obj: &Value, key: &Value, command: bool) -> Option<Value> {
    match (obj, key) {
        (Value::Hash(h), Value::Str(k)) if h.contains_key(&**k) => return h.get(&**k).cloned(),
        // Hash responds to `fetch`, so an integer key is a (nil) lookup.
        (Value::Hash(_), Value::Int(_)) => return Some(Value::Nil),
        (Value::Array(a), Value::Int(i)) => {
            let idx = if *i < 0 { a.len() as i64 + i } else { *i };
            return Some(if idx < 0 {
                Value::Nil
            } else {
                a.get(idx as usize).cloned().unwrap_or(Value::Nil)
            });
        }
        (Value::Object(o), Value::Str(k)) => {
            if let Some(v) = o.get(k) {
                return Some(v);
            }
        }
        _ => {}
    }
    if !command {
        return None;
    }
    let Value::Str(k) = key else { return None };
    match (&**k, obj) {
        ("size", v) => v.size().map(Value::Int),
        ("first", Value::Array(a)) => Some(a.first().cloned().unwrap_or_default()),
        ("last", Value::Array(a)) => Some(a.last().cloned().unwrap_or_default()),
        ("first", Value::Range(a, b)) => Some(if a <= b { Value::Int(*a) } else { Value::Nil }),
        ("last", Value::Range(a, b)) => Some(if a <= b { Value::Int(*b) } else { Value::Nil }),
        ("first", Value::Hash(h)) => Some(
            h.first()
                .map(|(k, v)| Value::array(vec![Value::str(k), v.clone()]))
                .unwrap_or_default(),
        ),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // expression.rb: literals, ranges, floats like `1.2.3`.
    #[test]
    fn literals() {
        assert!(matches!(&parse(" 'a' "), Expr::Lit(Value::Str(s)) if &**s == "a"));
        assert!(matches!(parse("-3"), Expr::Lit(Value::Int(-3))));
        assert!(matches!(parse("1.2.3"), Expr::Lit(Value::Float(f)) if f == 1.2));
        assert!(matches!(parse("(1..5)"), Expr::Lit(Value::Range(1, 5))));
        assert!(matches!(parse("( 1 .. x )"), Expr::Range(..)));
        assert!(matches!(&parse("blank"), Expr::Lit(Value::Str(s)) if s.is_empty()));
        assert!(matches!(parse("a.b[0]"), Expr::Lookup(_)));
    }
}
