//! Liquid 5.4's standard filters (standardfilters.rb), with Ruby's
//! conversions: `to_s` of the input, `Utils.to_integer` / `to_number` of
//! numeric arguments, InputIterator's flattening of arrays.

use crate::number::{apply, round_half_up, to_integer, to_number, Num, Op};
use crate::render::Context;
use crate::value::{ruby_cmp, ruby_eq, Budget, Value};
use crate::Engine;
use base64::Engine as _;
use regex::Regex;
use std::cmp::Ordering;
use std::sync::{Arc, LazyLock};

/// A built-in filter function.
pub(crate) type Builtin = fn(&Value, &[Value], &mut Context<'_>) -> Result<Value, String>;

/// Registers `f` under `name`, taking `min..=max` arguments after the input
/// (Ruby raises ArgumentError otherwise).
pub(crate) fn reg(e: &mut Engine, name: &str, min: usize, max: usize, f: Builtin) {
    e.filters.insert(
        name.to_string(),
        Arc::new(
            move |input: &Value, args: &[Value], ctx: &mut Context<'_>| {
                if args.len() < min || args.len() > max {
                    return Err(format!(
                        "wrong number of arguments (given {}, expected {})",
                        args.len() + 1,
                        if min == max {
                            format!("{}", min + 1)
                        } else {
                            format!("{}..{}", min + 1, max + 1)
                        }
                    ));
                }
                f(input, args, ctx)
            },
        ),
    );
}

/// Registers Liquid 5.4's standard filters.
pub(crate) fn register(e: &mut Engine) {
    register_strings(e);
    register_collections(e);
    register_math(e);
}

/// Case, escaping, encoding, trimming.
fn register_strings(e: &mut Engine) {
    reg(e, "size", 0, 0, |i, _, _| {
        Ok(Value::Int(i.resolved().size().unwrap_or(0)))
    });
    reg(e, "downcase", 0, 0, |i, _, _| {
        Ok(Value::string(i.to_s().to_lowercase()))
    });
    reg(e, "upcase", 0, 0, |i, _, _| {
        Ok(Value::string(i.to_s().to_uppercase()))
    });
    reg(e, "capitalize", 0, 0, |i, _, _| {
        Ok(Value::string(capitalize(&i.to_s())))
    });
    reg(e, "escape", 0, 0, escape);
    reg(e, "h", 0, 0, escape);
    reg(e, "escape_once", 0, 0, |i, _, _| {
        Ok(Value::string(escape_once(&i.to_s())))
    });
    reg(e, "url_encode", 0, 0, |i, _, _| {
        Ok(if i.is_nil() {
            Value::Nil
        } else {
            Value::string(cgi_escape(&i.to_s()))
        })
    });
    reg(e, "url_decode", 0, 0, url_decode);
    reg(e, "base64_encode", 0, 0, |i, _, _| {
        Ok(Value::string(
            base64::engine::general_purpose::STANDARD.encode(i.to_s()),
        ))
    });
    reg(e, "base64_decode", 0, 0, |i, _, _| {
        b64_decode(&i.to_s(), false, "base64_decode")
    });
    reg(e, "base64_url_safe_encode", 0, 0, |i, _, _| {
        Ok(Value::string(
            base64::engine::general_purpose::URL_SAFE.encode(i.to_s()),
        ))
    });
    reg(e, "base64_url_safe_decode", 0, 0, |i, _, _| {
        b64_decode(&i.to_s(), true, "base64_url_safe_decode")
    });
    reg(e, "slice", 1, 2, slice);
    reg(e, "truncate", 0, 2, truncate);
    reg(e, "truncatewords", 0, 2, truncatewords);
    reg(e, "split", 1, 1, |i, a, _| {
        Ok(Value::array(
            ruby_split(&i.to_s(), &a[0].to_s())
                .into_iter()
                .map(Value::string)
                .collect(),
        ))
    });
    reg(e, "strip", 0, 0, |i, _, _| {
        Ok(Value::str(
            i.to_s().trim_matches(crate::parse::is_ruby_space),
        ))
    });
    reg(e, "lstrip", 0, 0, |i, _, _| {
        Ok(Value::str(
            i.to_s().trim_start_matches(crate::parse::is_ruby_space),
        ))
    });
    reg(e, "rstrip", 0, 0, |i, _, _| {
        Ok(Value::str(
            i.to_s().trim_end_matches(crate::parse::is_ruby_space),
        ))
    });
    reg(e, "strip_html", 0, 0, strip_html);
    reg(e, "strip_newlines", 0, 0, |i, _, _| {
        Ok(Value::string(
            i.to_s().replace("\r\n", "").replace('\n', ""),
        ))
    });
    reg(e, "newline_to_br", 0, 0, |i, _, _| {
        Ok(Value::string(
            i.to_s().replace("\r\n", "\n").replace('\n', "<br />\n"),
        ))
    });
}

/// Arrays, string edits and dates.
fn register_collections(e: &mut Engine) {
    reg(e, "join", 0, 1, join);
    reg(e, "sort", 0, 1, sort);
    reg(e, "sort_natural", 0, 1, sort_natural);
    reg(e, "where", 1, 2, where_);
    reg(e, "uniq", 0, 1, uniq);
    reg(e, "reverse", 0, 0, |i, _, _| {
        Ok(Value::array(input_iter(i).into_iter().rev().collect()))
    });
    reg(e, "map", 1, 1, map);
    reg(e, "compact", 0, 1, compact);
    reg(e, "replace", 1, 2, |i, a, _| {
        let (s, pat, rep) = (i.to_s(), a[0].to_s(), arg_s(a, 1));
        let count = if pat.is_empty() {
            s.chars().count() + 1
        } else {
            s.matches(pat.as_str()).count()
        };
        check_size(s.len().saturating_add(count.saturating_mul(rep.len())))?;
        Ok(Value::string(s.replace(&pat, &rep)))
    });
    reg(e, "replace_first", 1, 2, |i, a, _| {
        Ok(Value::string(i.to_s().replacen(
            &a[0].to_s(),
            &arg_s(a, 1),
            1,
        )))
    });
    reg(e, "replace_last", 2, 2, |i, a, _| {
        Ok(Value::string(replace_last(
            &i.to_s(),
            &a[0].to_s(),
            &a[1].to_s(),
        )))
    });
    reg(e, "remove", 1, 1, |i, a, _| {
        Ok(Value::string(i.to_s().replace(&a[0].to_s(), "")))
    });
    reg(e, "remove_first", 1, 1, |i, a, _| {
        Ok(Value::string(i.to_s().replacen(&a[0].to_s(), "", 1)))
    });
    reg(e, "remove_last", 1, 1, |i, a, _| {
        Ok(Value::string(replace_last(&i.to_s(), &a[0].to_s(), "")))
    });
    reg(e, "append", 1, 1, |i, a, _| {
        Ok(Value::string(i.to_s() + &a[0].to_s()))
    });
    reg(e, "prepend", 1, 1, |i, a, _| {
        Ok(Value::string(a[0].to_s() + &i.to_s()))
    });
    reg(e, "concat", 1, 1, concat);
    reg(e, "date", 1, 1, |i, a, ctx| {
        Ok(crate::jekyll_filters::date_filter(i, &a[0], ctx))
    });
    reg(e, "first", 0, 0, |i, _, _| Ok(first_last(i, true)));
    reg(e, "last", 0, 0, |i, _, _| Ok(first_last(i, false)));
}

/// Math and `default`.
fn register_math(e: &mut Engine) {
    reg(e, "abs", 0, 0, abs);
    reg(e, "plus", 1, 1, |i, a, _| {
        apply(to_number(i), to_number(&a[0]), Op::Add)
    });
    reg(e, "minus", 1, 1, |i, a, _| {
        apply(to_number(i), to_number(&a[0]), Op::Sub)
    });
    reg(e, "times", 1, 1, |i, a, _| {
        apply(to_number(i), to_number(&a[0]), Op::Mul)
    });
    reg(e, "divided_by", 1, 1, |i, a, _| {
        apply(to_number(i), to_number(&a[0]), Op::Div)
    });
    reg(e, "modulo", 1, 1, |i, a, _| {
        apply(to_number(i), to_number(&a[0]), Op::Rem)
    });
    reg(e, "round", 0, 1, round);
    reg(e, "ceil", 0, 0, |i, _, _| ceil_floor(i, true));
    reg(e, "floor", 0, 0, |i, _, _| ceil_floor(i, false));
    reg(e, "at_least", 1, 1, |i, a, _| {
        Ok(clamp(i, &a[0], Ordering::Greater))
    });
    reg(e, "at_most", 1, 1, |i, a, _| {
        Ok(clamp(i, &a[0], Ordering::Less))
    });
    reg(e, "default", 0, 2, default);
}

fn arg_s(a: &[Value], i: usize) -> String {
    a.get(i).map(Value::to_s).unwrap_or_default()
}

/// InputIterator: arrays flattened, a hash as one item, nil as none, other
/// values as one item.
pub(crate) fn input_iter(v: &Value) -> Vec<Value> {
    fn flatten(a: &[Value], out: &mut Vec<Value>, depth: usize, budget: &Budget) {
        for x in a {
            if !budget.spend("") {
                return;
            }
            match x {
                Value::Array(inner) if depth < crate::limits::MAX_DEPTH => {
                    flatten(inner, out, depth + 1, budget)
                }
                x => out.push(x.clone()),
            }
        }
    }
    match v {
        Value::Array(a) => {
            let mut out = Vec::with_capacity(a.len());
            flatten(a, &mut out, 0, &Budget::new());
            out
        }
        Value::Nil => Vec::new(),
        Value::Range(..) => v.each_items().unwrap_or_default(),
        v => vec![v.clone()],
    }
}

/// Ruby's `capitalize`: first character up, the rest down.
fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f
            .to_uppercase()
            .chain(c.as_str().to_lowercase().chars())
            .collect(),
        None => String::new(),
    }
}

fn escape(i: &Value, _: &[Value], _: &mut Context<'_>) -> Result<Value, String> {
    if i.is_nil() {
        return Ok(Value::Nil);
    }
    Ok(Value::string(html_escape(&i.to_s())))
}

/// CGI.escapeHTML.
pub(crate) fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// HTML_ESCAPE_ONCE_REGEXP: `&` is kept when an entity (`&amp;`, `&#39;`) follows.
fn escape_once(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for (i, c) in s.char_indices() {
        match c {
            '&' => {
                let rest = &s.as_bytes()[i + 1..];
                let name = rest.iter().take_while(|b| b.is_ascii_alphabetic()).count();
                let num = if rest.first() == Some(&b'#') {
                    rest[1..].iter().take_while(|b| b.is_ascii_digit()).count()
                } else {
                    0
                };
                let entity = (name > 0 && rest.get(name) == Some(&b';'))
                    || (num > 0 && rest.get(num + 1) == Some(&b';'));
                out.push_str(if entity { "&" } else { "&amp;" });
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// CGI.escape: `a-zA-Z0-9_.-~` kept, space as `+`, the rest `%XX`.
pub(crate) fn cgi_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'_' | b'.' | b'-' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            b => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

fn url_decode(i: &Value, _: &[Value], _: &mut Context<'_>) -> Result<Value, String> {
    if i.is_nil() {
        return Ok(Value::Nil);
    }
    let s = i.to_s();
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut k = 0;
    while k < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        match b[k] {
            b'+' => out.push(b' '),
            b'%' if k + 2 < b.len() && hex(b[k + 1]).is_some() && hex(b[k + 2]).is_some() => {
                out.push((hex(b[k + 1]).unwrap_or(0) * 16 + hex(b[k + 2]).unwrap_or(0)) as u8);
                k += 2;
            }
            c => out.push(c),
        }
        k += 1;
    }
    String::from_utf8(out)
        .map(Value::string)
        .map_err(|_| "invalid byte sequence in UTF-8".into())
}

fn b64_decode(s: &str, url_safe: bool, name: &str) -> Result<Value, String> {
    let decoded = if url_safe {
        // Ruby's urlsafe_decode64 pads a missing `=` before decoding strictly.
        let mut p = s.to_string();
        if !p.ends_with('=') && !p.len().is_multiple_of(4) {
            p.push_str(&"=".repeat(4 - p.len() % 4));
        }
        base64::engine::general_purpose::URL_SAFE.decode(p)
    } else {
        base64::engine::general_purpose::STANDARD.decode(s)
    };
    decoded
        .map(|b| Value::string(String::from_utf8_lossy(&b).into_owned()))
        .map_err(|_| format!("invalid base64 provided to {name}"))
}

/// Ruby `slice(start, len)` bounds on a sequence of `n` items.
fn slice_bounds(n: i64, start: i64, len: i64) -> Option<(usize, usize)> {
    if len < 0 {
        return None;
    }
    let start = if start < 0 { start + n } else { start };
    if start < 0 || start > n {
        return None;
    }
    let end = start.saturating_add(len).min(n);
    Some((start as usize, end as usize))
}

fn slice(i: &Value, a: &[Value], _: &mut Context<'_>) -> Result<Value, String> {
    let offset = to_integer(&a[0])?;
    let len = match a.get(1) {
        Some(Value::Nil) | None => 1,
        Some(l) => to_integer(l)?,
    };
    if let Value::Array(arr) = i {
        return Ok(Value::array(
            match slice_bounds(arr.len() as i64, offset, len) {
                Some((s, e)) => arr[s..e].to_vec(),
                None => Vec::new(),
            },
        ));
    }
    let chars: Vec<char> = i.to_s().chars().collect();
    Ok(Value::string(
        match slice_bounds(chars.len() as i64, offset, len) {
            Some((s, e)) => chars[s..e].iter().collect(),
            None => String::new(),
        },
    ))
}

fn truncate(i: &Value, a: &[Value], _: &mut Context<'_>) -> Result<Value, String> {
    if i.is_nil() {
        return Ok(Value::Nil);
    }
    let s = i.to_s();
    let length = match a.first() {
        Some(l) => to_integer(l)?,
        None => 50,
    };
    let ts = a.get(1).map_or_else(|| "...".to_string(), Value::to_s);
    let l = length.saturating_sub(ts.chars().count() as i64).max(0) as usize;
    if s.chars().count() as i64 > length {
        Ok(Value::string(s.chars().take(l).collect::<String>() + &ts))
    } else {
        Ok(Value::string(s))
    }
}

fn truncatewords(i: &Value, a: &[Value], _: &mut Context<'_>) -> Result<Value, String> {
    if i.is_nil() {
        return Ok(Value::Nil);
    }
    let s = i.to_s();
    let mut words = match a.first() {
        Some(l) => to_integer(l)?,
        None => 15,
    };
    if words <= 0 {
        words = 1;
    }
    let ts = a.get(1).map_or_else(|| "...".to_string(), Value::to_s);
    let list = split_whitespace_limit(&s, words.saturating_add(1) as usize);
    if list.len() as i64 <= words {
        return Ok(Value::string(s));
    }
    Ok(Value::string(list[..list.len() - 1].join(" ") + &ts))
}

/// Ruby `split(" ", limit)`: whitespace runs, leading blanks skipped, the
/// last of `limit` parts keeps the rest.
fn split_whitespace_limit(s: &str, limit: usize) -> Vec<&str> {
    let ws = |c: char| matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0b' | '\x0c' | '\0');
    let mut out = Vec::new();
    let mut rest = s.trim_start_matches(ws);
    while !rest.is_empty() {
        if out.len() + 1 == limit {
            out.push(rest);
            break;
        }
        let end = rest.find(ws).unwrap_or(rest.len());
        out.push(&rest[..end]);
        rest = rest[end..].trim_start_matches(ws);
    }
    out
}

/// Ruby `String#split(pattern)` with a string pattern; trailing empty parts dropped.
pub(crate) fn ruby_split(s: &str, pat: &str) -> Vec<String> {
    let mut parts: Vec<String> = if pat == " " {
        split_whitespace_limit(s, usize::MAX)
            .into_iter()
            .map(String::from)
            .collect()
    } else if pat.is_empty() {
        s.chars().map(String::from).collect()
    } else {
        s.split(pat).map(String::from).collect()
    };
    while parts.last().is_some_and(|p| p.is_empty()) {
        parts.pop();
    }
    parts
}

static STRIP_HTML_BLOCKS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?s)<script.*?</script>|<!--.*?-->|<style.*?</style>").expect("static pattern")
});
static STRIP_HTML_TAGS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?s)<.*?>").expect("static pattern"));

fn strip_html(i: &Value, _: &[Value], _: &mut Context<'_>) -> Result<Value, String> {
    let s = i.to_s();
    let s = STRIP_HTML_BLOCKS.replace_all(&s, "");
    Ok(Value::string(
        STRIP_HTML_TAGS.replace_all(&s, "").into_owned(),
    ))
}

fn join(i: &Value, a: &[Value], _: &mut Context<'_>) -> Result<Value, String> {
    let glue = a.first().map_or_else(|| " ".to_string(), Value::to_s);
    let mut out = String::new();
    for (k, v) in input_iter(i).iter().enumerate() {
        if k > 0 {
            out.push_str(&glue);
        }
        v.write_to_s(&mut out);
        check_size(out.len())?;
    }
    Ok(Value::string(out))
}

/// A string a filter makes may not pass `limits::MAX_VALUE_BYTES`: the
/// check comes before the work (`replace` of "" by a long string).
pub(crate) fn check_size(bytes: usize) -> Result<(), String> {
    if bytes > crate::limits::MAX_VALUE_BYTES {
        return Err("Memory limits exceeded (value too large)".into());
    }
    Ok(())
}

/// `item[property]` as Ruby answers it for the values Liquid holds:
/// `Err` where Ruby raises (an Integer indexed by a string).
pub(crate) fn index(item: &Value, prop: &Value) -> Result<Option<Value>, String> {
    Ok(Some(match (item, prop) {
        (Value::Hash(h), Value::Str(k)) => h.get(&**k).cloned().unwrap_or_default(),
        (Value::Hash(_), _) => Value::Nil,
        (Value::Object(o), p) => o.get(&p.to_s()).unwrap_or_default(),
        // String#[] with a string: the substring when present.
        (Value::Str(s), Value::Str(k)) => {
            if s.contains(&**k) {
                Value::Str(k.clone())
            } else {
                Value::Nil
            }
        }
        (Value::Array(arr), Value::Int(n)) => {
            crate::expression::step(&Value::Array(arr.clone()), &Value::Int(*n), false)
                .unwrap_or_default()
        }
        (Value::Array(_), _) | (Value::Int(_), _) | (Value::Str(_), _) => {
            return Err(format!("cannot select the property '{}'", prop.to_s()))
        }
        _ => return Ok(None),
    }))
}

/// A total order for sorting: Ruby's `<=>` where it answers, else by
/// type, so the sort never panics (Ruby raises instead; see `sort`).
pub(crate) fn total_cmp(a: &Value, b: &Value) -> Ordering {
    ruby_cmp(a, b).unwrap_or_else(|| rank(a).cmp(&rank(b)))
}

fn rank(v: &Value) -> u8 {
    match v {
        Value::Nil => 0,
        Value::Bool(false) => 1,
        Value::Bool(true) => 2,
        Value::Int(_) | Value::Float(_) => 3,
        Value::Str(_) => 4,
        _ => 5,
    }
}

fn sort(i: &Value, a: &[Value], _: &mut Context<'_>) -> Result<Value, String> {
    let mut ary = input_iter(i);
    if ary.is_empty() {
        return Ok(Value::array(ary));
    }
    match a.first() {
        None | Some(Value::Nil) => {
            check_comparable(ary.iter())?;
            ary.sort_by(nil_safe_compare);
        }
        Some(p) => {
            let mut keyed = Vec::with_capacity(ary.len());
            for item in ary {
                match index(&item, p)? {
                    Some(k) => keyed.push((k, item)),
                    None => return Ok(Value::Nil),
                }
            }
            check_comparable(keyed.iter().map(|(k, _)| k))?;
            keyed.sort_by(|x, y| nil_safe_compare(&x.0, &y.0));
            ary = keyed.into_iter().map(|(_, v)| v).collect();
        }
    }
    Ok(Value::array(ary))
}

/// nil_safe_compare raises for values that do not compare; nils go last.
fn check_comparable<'a>(mut it: impl Iterator<Item = &'a Value>) -> Result<(), String> {
    let first = it.by_ref().find(|v| !v.is_nil());
    if let Some(f) = first {
        for v in it {
            if !v.is_nil() && ruby_cmp(f, v).is_none() {
                return Err("cannot sort values of incompatible types".into());
            }
        }
    }
    Ok(())
}

fn nil_safe_compare(a: &Value, b: &Value) -> Ordering {
    match (a.is_nil(), b.is_nil()) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Greater,
        (false, true) => Ordering::Less,
        _ => total_cmp(a, b),
    }
}

fn casecmp(a: &Value, b: &Value) -> Ordering {
    match (a.is_nil(), b.is_nil()) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Greater,
        (false, true) => Ordering::Less,
        _ => {
            let (x, y) = (a.to_s().to_ascii_lowercase(), b.to_s().to_ascii_lowercase());
            x.as_bytes().cmp(y.as_bytes())
        }
    }
}

fn sort_natural(i: &Value, a: &[Value], _: &mut Context<'_>) -> Result<Value, String> {
    let mut ary = input_iter(i);
    match a.first() {
        None | Some(Value::Nil) => ary.sort_by(casecmp),
        Some(p) => {
            let mut keyed = Vec::with_capacity(ary.len());
            for item in ary {
                match index(&item, p)? {
                    Some(k) => keyed.push((k, item)),
                    None => return Ok(Value::Nil),
                }
            }
            keyed.sort_by(|x, y| casecmp(&x.0, &y.0));
            ary = keyed.into_iter().map(|(_, v)| v).collect();
        }
    }
    Ok(Value::array(ary))
}

fn where_(i: &Value, a: &[Value], _: &mut Context<'_>) -> Result<Value, String> {
    let ary = input_iter(i);
    let mut out = Vec::new();
    for item in ary {
        let Some(v) = index(&item, &a[0])? else {
            return Ok(Value::Nil);
        };
        let keep = match a.get(1) {
            None | Some(Value::Nil) => v.truthy(),
            Some(t) => ruby_eq(&v, t),
        };
        if keep {
            out.push(item);
        }
    }
    Ok(Value::array(out))
}

/// Dedup by Ruby's `eql?` (inspect tells 1 from 1.0 and "1").
fn dedup_by_key(items: Vec<(Value, Value)>) -> Vec<Value> {
    let mut seen = std::collections::HashSet::new();
    items
        .into_iter()
        .filter(|(k, _)| seen.insert(k.inspect()))
        .map(|(_, v)| v)
        .collect()
}

fn uniq(i: &Value, a: &[Value], _: &mut Context<'_>) -> Result<Value, String> {
    let ary = input_iter(i);
    match a.first() {
        None | Some(Value::Nil) => Ok(Value::array(dedup_by_key(
            ary.into_iter().map(|v| (v.clone(), v)).collect(),
        ))),
        Some(p) => {
            let mut keyed = Vec::new();
            for item in ary {
                match index(&item, p)? {
                    Some(k) => keyed.push((k, item)),
                    None => return Ok(Value::Nil),
                }
            }
            Ok(Value::array(dedup_by_key(keyed)))
        }
    }
}

fn map(i: &Value, a: &[Value], _: &mut Context<'_>) -> Result<Value, String> {
    let mut out = Vec::new();
    for item in input_iter(i) {
        if a[0].as_str() == Some("to_liquid") {
            out.push(item);
            continue;
        }
        out.push(index(&item, &a[0])?.unwrap_or_default());
    }
    Ok(Value::array(out))
}

fn compact(i: &Value, a: &[Value], _: &mut Context<'_>) -> Result<Value, String> {
    let ary = input_iter(i);
    match a.first() {
        None | Some(Value::Nil) => Ok(Value::array(
            ary.into_iter().filter(|v| !v.is_nil()).collect(),
        )),
        Some(p) => {
            let mut out = Vec::new();
            for item in ary {
                match index(&item, p)? {
                    Some(k) if k.is_nil() => {}
                    Some(_) => out.push(item),
                    None => return Ok(Value::Nil),
                }
            }
            Ok(Value::array(out))
        }
    }
}

fn replace_last(s: &str, pat: &str, rep: &str) -> String {
    match s.rfind(pat) {
        Some(i) => format!("{}{}{}", &s[..i], rep, &s[i + pat.len()..]),
        None => s.to_string(),
    }
}

fn concat(i: &Value, a: &[Value], _: &mut Context<'_>) -> Result<Value, String> {
    let Value::Array(extra) = &a[0] else {
        return Err("concat filter requires an array argument".into());
    };
    let mut out = input_iter(i);
    out.extend(extra.iter().cloned());
    Ok(Value::array(out))
}

fn first_last(i: &Value, first: bool) -> Value {
    match i {
        Value::Array(a) => (if first { a.first() } else { a.last() })
            .cloned()
            .unwrap_or_default(),
        Value::Range(x, y) if x <= y => Value::Int(if first { *x } else { *y }),
        Value::Hash(h) if first => h
            .first()
            .map(|(k, v)| Value::array(vec![Value::str(k), v.clone()]))
            .unwrap_or_default(),
        _ => Value::Nil,
    }
}

fn abs(i: &Value, _: &[Value], _: &mut Context<'_>) -> Result<Value, String> {
    Ok(match to_number(i) {
        Num::Int(n) => n
            .checked_abs()
            .map_or(Value::Float((n as f64).abs()), Value::Int),
        n => Value::Float(n.to_f64().abs()),
    })
}

fn round(i: &Value, a: &[Value], _: &mut Context<'_>) -> Result<Value, String> {
    let places = match a.first() {
        None => Num::Int(0),
        Some(p) => to_number(p),
    };
    let places = match places {
        Num::Int(p) => p,
        n => n.to_f64() as i64,
    };
    match to_number(i) {
        Num::Int(n) => {
            if places >= 0 {
                return Ok(Value::Int(n));
            }
            let p = 10i64
                .checked_pow(places.unsigned_abs().min(64) as u32)
                .unwrap_or(i64::MAX);
            let r = (n as i128
                + if n >= 0 {
                    p as i128 / 2
                } else {
                    -(p as i128) / 2
                })
                / p as i128
                * p as i128;
            Ok(Value::Int(r as i64))
        }
        n => {
            let f = n.to_f64();
            if !f.is_finite() {
                return Err(crate::value::ruby_float(f));
            }
            let r = round_half_up(n, places);
            // BigDecimal#round(n) gives an Integer for n <= 0.
            Ok(if places <= 0 {
                Value::Int(r as i64)
            } else {
                Value::Float(r)
            })
        }
    }
}

fn ceil_floor(i: &Value, ceil: bool) -> Result<Value, String> {
    match to_number(i) {
        Num::Int(n) => Ok(Value::Int(n)),
        n => {
            let f = n.to_f64();
            if !f.is_finite() {
                return Err(crate::value::ruby_float(f));
            }
            // Decimal digits decide, not the float (BigDecimal#ceil).
            let r = round_toward(n, ceil);
            Ok(Value::Int(r))
        }
    }
}

fn round_toward(n: Num, up: bool) -> i64 {
    match n {
        Num::Dec(m, s) => {
            let p = 10i128.pow(s.min(38));
            let q = m.div_euclid(p);
            let r = m.rem_euclid(p);
            (if up && r != 0 { q + 1 } else { q }) as i64
        }
        n => {
            let f = n.to_f64();
            (if up { f.ceil() } else { f.floor() }) as i64
        }
    }
}

fn clamp(i: &Value, bound: &Value, keep_bound_if: Ordering) -> Value {
    let b = to_number(bound);
    let x = to_number(i);
    let cmp = b
        .to_f64()
        .partial_cmp(&x.to_f64())
        .unwrap_or(Ordering::Equal);
    let r = if cmp == keep_bound_if { b } else { x };
    r.to_value()
}

fn default(i: &Value, a: &[Value], _: &mut Context<'_>) -> Result<Value, String> {
    let dflt = a.first().cloned().unwrap_or_else(|| Value::str(""));
    let allow_false = match a.get(1) {
        Some(Value::Hash(h)) => h.get("allow_false").is_some_and(Value::truthy),
        _ => false,
    };
    let falsy = if allow_false { i.is_nil() } else { !i.truthy() };
    if falsy || i.resolved().empty() == Some(true) {
        Ok(dflt)
    } else {
        Ok(i.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Ruby String#split: " " is awk-style, "" splits characters, trailing empties go.
    #[test]
    fn split_as_ruby() {
        assert_eq!(ruby_split("  a  b ", " "), ["a", "b"]);
        assert_eq!(ruby_split("abc", ""), ["a", "b", "c"]);
        assert_eq!(ruby_split("a,b,,", ","), ["a", "b"]);
        assert!(ruby_split("", ",").is_empty());
    }

    #[test]
    fn escapes() {
        assert_eq!(escape_once("&amp; & <"), "&amp; &amp; &lt;");
        assert_eq!(cgi_escape("a b&c~"), "a+b%26c~");
        assert_eq!(capitalize("hELLO"), "Hello");
    }
}
