//! Jekyll 4.3's filters that need no site (jekyll/filters.rb and
//! filters/{grouping,date}_filters.rb). They replace Liquid's `where` and
//! `sort`; site-dependent ones (`relative_url`, `markdownify`…) are the host's.

use crate::condition::{Condition, Operand};
use crate::date::{strftime, to_date};
use crate::filters::{cgi_escape, reg, total_cmp};
use crate::number::{ruby_to_f, ruby_to_i, to_integer};
use crate::output::Output;
use crate::render::Context;
use crate::value::{ruby_cmp, Budget, Hash, Value};
use crate::Engine;
use std::cmp::Ordering;

pub(crate) fn register(e: &mut Engine) {
    reg(e, "where", 2, 2, where_);
    reg(e, "where_exp", 2, 2, |i, a, ctx| {
        select_exp(i, a, ctx, false)
    });
    reg(e, "find", 2, 2, find);
    reg(e, "find_exp", 2, 2, |i, a, ctx| select_exp(i, a, ctx, true));
    reg(e, "sort", 0, 2, sort);
    reg(e, "group_by", 1, 1, group_by);
    reg(e, "group_by_exp", 2, 2, group_by_exp);
    reg(e, "jsonify", 0, 0, |i, _, _| Ok(Value::string(to_json(i))));
    reg(e, "xml_escape", 0, 0, |i, _, _| {
        Ok(Value::string(xml_escape(&i.to_s())))
    });
    reg(e, "cgi_escape", 0, 0, |i, _, _| match i {
        Value::Str(s) => Ok(Value::string(cgi_escape(s))),
        _ => Err("no implicit conversion into String".into()),
    });
    reg(e, "uri_escape", 0, 0, |i, _, _| {
        Ok(Value::string(uri_escape(&i.to_s())))
    });
    reg(e, "normalize_whitespace", 0, 0, |i, _, _| {
        Ok(Value::string(
            i.to_s()
                .split_ascii_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
        ))
    });
    reg(e, "number_of_words", 0, 1, number_of_words);
    reg(e, "array_to_sentence_string", 0, 1, array_to_sentence);
    reg(e, "to_integer", 0, 0, |i, _, _| match i {
        Value::Bool(b) => Ok(Value::Int(i64::from(*b))),
        Value::Int(n) => Ok(Value::Int(*n)),
        Value::Float(f) => Ok(Value::Int(*f as i64)),
        Value::Str(s) => Ok(Value::Int(ruby_to_i(s))),
        Value::Nil => Ok(Value::Int(0)),
        _ => Err("undefined method `to_i'".into()),
    });
    reg(e, "push", 1, 1, |i, a, _| {
        Ok(edit_array(i, |v| v.push(a[0].clone())))
    });
    reg(e, "unshift", 1, 1, |i, a, _| {
        Ok(edit_array(i, |v| v.insert(0, a[0].clone())))
    });
    reg(e, "pop", 0, 1, |i, a, _| pop_shift(i, a, true));
    reg(e, "shift", 0, 1, |i, a, _| pop_shift(i, a, false));
    reg(e, "inspect", 0, 0, |i, _, _| {
        Ok(Value::string(xml_escape(&i.inspect())))
    });
    reg(e, "slugify", 0, 1, |i, a, _| Ok(slugify(i, a.first())));
    reg(e, "date_to_xmlschema", 0, 0, |i, _, ctx| {
        date_format(i, ctx, |d| strftime(d, "%Y-%m-%dT%H:%M:%S%:z"))
    });
    reg(e, "date_to_rfc822", 0, 0, |i, _, ctx| {
        date_format(i, ctx, |d| strftime(d, "%a, %d %b %Y %H:%M:%S %z"))
    });
    reg(e, "date_to_string", 0, 2, |i, a, ctx| {
        stringify_date(i, a, ctx, "%b")
    });
    reg(e, "date_to_long_string", 0, 2, |i, a, ctx| {
        stringify_date(i, a, ctx, "%B")
    });
}

/// Liquid's `date` filter: input unchanged when the format is empty or the
/// input no time.
pub(crate) fn date_filter(i: &Value, fmt: &Value, ctx: &mut Context<'_>) -> Value {
    let f = fmt.to_s();
    if f.is_empty() {
        return i.clone();
    }
    match to_date(i, &ctx.engine().timezone) {
        Some(d) => Value::string(strftime(&d, &f)),
        None => i.clone(),
    }
}

/// Jekyll's `time`: the input as a time in the local zone, or an error.
fn time(i: &Value, ctx: &Context<'_>) -> Result<jiff::ZonedDateTime, String> {
    let tz = &ctx.engine().timezone;
    to_date(i, tz)
        .map(|d| d.with_time_zone(tz.clone()))
        .ok_or_else(|| format!("Invalid Date: '{}' is not a valid datetime.", i.inspect()))
}

fn date_format(
    i: &Value,
    ctx: &mut Context<'_>,
    f: impl Fn(&jiff::ZonedDateTime) -> String,
) -> Result<Value, String> {
    if i.to_s().is_empty() {
        return Ok(i.clone());
    }
    Ok(Value::string(f(&time(i, ctx)?)))
}

fn stringify_date(
    i: &Value,
    a: &[Value],
    ctx: &mut Context<'_>,
    month: &str,
) -> Result<Value, String> {
    if i.to_s().is_empty() {
        return Ok(i.clone());
    }
    let t = time(i, ctx)?;
    if a.first().and_then(Value::as_str) == Some("ordinal") {
        let day = t.day();
        let suffix = match (day, day % 10) {
            (11..=13, _) => "th",
            (_, 1) => "st",
            (_, 2) => "nd",
            (_, 3) => "rd",
            _ => "th",
        };
        let od = format!("{day}{suffix}");
        let f = if a.get(1).and_then(Value::as_str) == Some("US") {
            format!("{month} {od}, %Y")
        } else {
            format!("{od} {month} %Y")
        };
        return Ok(Value::string(strftime(&t, &f)));
    }
    Ok(Value::string(strftime(&t, &format!("%d {month} %Y"))))
}

/// The items `where`/`find`/`*_exp` look through: a hash's values, or `None`
/// when the input has no `select` (it is then returned as it is).
fn selectable(i: &Value) -> Option<Vec<Value>> {
    match i {
        Value::Array(a) => Some(a.as_ref().clone()),
        Value::Hash(h) => Some(h.values().cloned().collect()),
        Value::Object(o) => selectable(&o.to_value()),
        Value::Range(..) => i.each_items(),
        _ => None,
    }
}

/// `item_property`: a (dotted) property of an item, numeric-looking
/// strings turned into numbers (`parse_sort_input`).
fn item_property(item: &Value, prop: &Value) -> Result<Value, String> {
    let prop = prop.to_s();
    let v = if prop.contains('.') {
        let mut cur = item.clone();
        for key in prop.split('.') {
            cur = match crate::filters::index(&cur, &Value::str(key)) {
                Ok(Some(v)) => v,
                _ => Value::Bool(false),
            };
            if !cur.truthy() {
                break;
            }
        }
        cur
    } else {
        match crate::filters::index(item, &Value::str(&prop))? {
            Some(v) => v,
            None if item.is_nil() => return Err("undefined method `[]' for nil:NilClass".into()),
            None => Value::Nil,
        }
    };
    Ok(parse_sort_input(v))
}

fn parse_sort_input(v: Value) -> Value {
    let s = v.to_s();
    let t = s.trim();
    let d = t.strip_prefix('-').unwrap_or(t);
    if !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()) {
        return Value::Int(ruby_to_i(t));
    }
    let float_like = match d.split_once('.') {
        Some((a, b)) => {
            a.bytes().all(|c| c.is_ascii_digit())
                && b.bytes().all(|c| c.is_ascii_digit())
                && !(a.is_empty() && b.is_empty())
        }
        None => false,
    };
    if float_like {
        return Value::Float(ruby_to_f(&format!(
            "{}0{}",
            if t.starts_with('-') { "-" } else { "" },
            d
        )));
    }
    v
}

fn compare_property_vs_target(prop: &Value, target: &Value) -> bool {
    if target.is_nil() {
        return prop.is_nil();
    }
    let t = target.to_s();
    match prop {
        Value::Str(s) => **s == *t,
        Value::Nil => false,
        Value::Array(a) => a.iter().any(|p| p.to_s() == t),
        Value::Hash(_) => prop
            .each_items()
            .unwrap_or_default()
            .iter()
            .any(|p| p.to_s() == t),
        p => p.to_s() == t,
    }
}

fn where_(i: &Value, a: &[Value], _: &mut Context<'_>) -> Result<Value, String> {
    if !a[0].truthy() || matches!(a[1], Value::Array(_) | Value::Hash(_)) {
        return Ok(i.clone());
    }
    let Some(items) = selectable(i) else {
        return Ok(i.clone());
    };
    let mut out = Vec::new();
    for item in items {
        if compare_property_vs_target(&item_property(&item, &a[0])?, &a[1]) {
            out.push(item);
        }
    }
    Ok(Value::array(out))
}

fn find(i: &Value, a: &[Value], _: &mut Context<'_>) -> Result<Value, String> {
    if !a[0].truthy() || matches!(a[1], Value::Array(_) | Value::Hash(_)) {
        return Ok(i.clone());
    }
    let Some(items) = selectable(i) else {
        return Ok(i.clone());
    };
    for item in items {
        if compare_property_vs_target(&item_property(&item, &a[0])?, &a[1]) {
            return Ok(item);
        }
    }
    Ok(Value::Nil)
}

/// Jekyll's `parse_condition`: the strict parser only, plain expressions
/// (no `blank`/`empty` method literals).
fn parse_condition(exp: &str) -> Result<Condition, String> {
    Condition::strict_with(exp, |m| Operand::Expr(crate::expression::parse(m)))
}

fn select_exp(i: &Value, a: &[Value], ctx: &mut Context<'_>, first: bool) -> Result<Value, String> {
    let Some(items) = selectable(i) else {
        return Ok(i.clone());
    };
    let cond = parse_condition(&a[1].to_s())?;
    let var = a[0].to_s();
    ctx.push_scope();
    let mut out = Vec::new();
    let mut result = Ok(());
    for item in items {
        ctx.set(&var, item.clone());
        match cond.eval(ctx) {
            Ok(true) => {
                out.push(item);
                if first {
                    break;
                }
            }
            Ok(false) => {}
            Err(e) => {
                result = Err(e);
                break;
            }
        }
    }
    ctx.pop_scope();
    result?;
    Ok(if first {
        out.into_iter().next().unwrap_or_default()
    } else {
        Value::array(out)
    })
}

fn sort(i: &Value, a: &[Value], _: &mut Context<'_>) -> Result<Value, String> {
    if i.is_nil() {
        return Err("Cannot sort a null object.".into());
    }
    let items = match i {
        Value::Array(x) => x.as_ref().clone(),
        v => v.each_items().ok_or("undefined method `sort'")?,
    };
    match a.first() {
        None | Some(Value::Nil) => {
            let mut items = items;
            for w in items.windows(2) {
                if ruby_cmp(&w[0], &w[1]).is_none() {
                    return Err(format!(
                        "comparison of {} with {} failed",
                        crate::condition::ruby_class(&w[0]),
                        w[1].inspect()
                    ));
                }
            }
            items.sort_by(total_cmp);
            Ok(Value::array(items))
        }
        Some(p) => {
            // Where a present value goes against a nil one.
            let order = match a.get(1).map(Value::to_s).as_deref() {
                None | Some("first") => Ordering::Greater,
                Some("last") => Ordering::Less,
                Some(o) => {
                    return Err(format!(
                        "Invalid nils order: '{o}' is not a valid nils order. It must be 'first' or 'last'."
                    ))
                }
            };
            let mut keyed = Vec::with_capacity(items.len());
            for item in items {
                keyed.push((item_property(&item, p)?, item));
            }
            keyed.sort_by(|(x, _), (y, _)| match (x.is_nil(), y.is_nil()) {
                (false, true) => order,
                (true, false) => order.reverse(),
                _ => ruby_cmp(x, y).unwrap_or_else(|| x.to_s().cmp(&y.to_s())),
            });
            Ok(Value::array(keyed.into_iter().map(|(_, v)| v).collect()))
        }
    }
}

fn grouped(groups: Vec<(Value, Vec<Value>)>) -> Value {
    Value::array(
        groups
            .into_iter()
            .map(|(name, items)| {
                let mut h = Hash::new();
                h.insert("name".into(), name);
                h.insert("size".into(), Value::Int(items.len() as i64));
                h.insert("items".into(), Value::array(items));
                let mut ordered = Hash::new();
                for k in ["name", "items", "size"] {
                    ordered.insert(k.into(), h.swap_remove(k).unwrap_or_default());
                }
                Value::hash(ordered)
            })
            .collect(),
    )
}

fn push_group(groups: &mut Vec<(Value, Vec<Value>)>, key: Value, item: Value) {
    match groups
        .iter_mut()
        .find(|(k, _)| crate::value::ruby_eql(k, &key))
    {
        Some((_, v)) => v.push(item),
        None => groups.push((key, vec![item])),
    }
}

fn groupable(i: &Value) -> Option<Vec<Value>> {
    match i {
        Value::Array(a) => Some(a.as_ref().clone()),
        Value::Hash(_) | Value::Range(..) | Value::Object(_) => i.each_items(),
        _ => None,
    }
}

fn group_by(i: &Value, a: &[Value], _: &mut Context<'_>) -> Result<Value, String> {
    let Some(items) = groupable(i) else {
        return Ok(i.clone());
    };
    let mut groups = Vec::new();
    for item in items {
        let key = Value::string(item_property(&item, &a[0])?.to_s());
        push_group(&mut groups, key, item);
    }
    Ok(grouped(groups))
}

fn group_by_exp(i: &Value, a: &[Value], ctx: &mut Context<'_>) -> Result<Value, String> {
    let Some(items) = groupable(i) else {
        return Ok(i.clone());
    };
    let (expr, _) = Output::parse(&a[1].to_s());
    let var = a[0].to_s();
    ctx.push_scope();
    let mut groups = Vec::new();
    let mut result = Ok(());
    for item in items {
        ctx.set(&var, item.clone());
        match expr.eval(ctx) {
            Ok(k) => push_group(&mut groups, k, item),
            Err(e) => {
                result = Err(e);
                break;
            }
        }
    }
    ctx.pop_scope();
    result?;
    Ok(grouped(groups))
}

/// `to_json` of a value, as Ruby's JSON generator writes it.
fn to_json(v: &Value) -> String {
    let mut out = String::new();
    write_json(v, &mut out, 0, &Budget::new());
    out
}

fn write_json(v: &Value, out: &mut String, depth: usize, budget: &Budget) {
    if depth > crate::limits::MAX_DEPTH || !budget.spend(out) {
        out.push_str("null");
        return;
    }
    match v {
        Value::Nil => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(i) => out.push_str(&i.to_string()),
        Value::Float(f) => out.push_str(&crate::value::ruby_float(*f)),
        Value::Str(s) => out.push_str(&json_str(s)),
        Value::Array(a) => {
            out.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json(x, out, depth + 1, budget);
            }
            out.push(']');
        }
        Value::Hash(h) => {
            out.push('{');
            for (i, (k, x)) in h.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&json_str(k));
                out.push(':');
                write_json(x, out, depth + 1, budget);
            }
            out.push('}');
        }
        Value::Object(o) => write_json(&o.to_value(), out, depth + 1, budget),
        other => out.push_str(&json_str(&other.to_s())),
    }
}

fn json_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `encode(xml: :attr)` without the surrounding quotes.
fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Addressable's normalize_component, approximately: bytes outside URI
/// characters are percent-encoded, existing escapes kept.
fn uri_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@/?#[]%".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x4E00..=0x9FFF | 0x3400..=0x4DBF | 0x20000..=0x2A6DF | 0xF900..=0xFAFF | 0x3040..=0x309F | 0x30A0..=0x30FF | 0x31F0..=0x31FF | 0xAC00..=0xD7AF | 0x1100..=0x11FF | 0x3130..=0x318F)
}

fn number_of_words(i: &Value, a: &[Value], _: &mut Context<'_>) -> Result<Value, String> {
    let s = i.to_s();
    let words = || s.split_ascii_whitespace().count() as i64;
    let cjk = s.chars().filter(|c| is_cjk(*c)).count() as i64;
    let non_cjk = || {
        s.split(|c: char| c.is_ascii_whitespace() || is_cjk(c))
            .filter(|w| !w.is_empty())
            .count() as i64
    };
    Ok(Value::Int(match a.first().and_then(Value::as_str) {
        Some("cjk") => cjk + non_cjk(),
        Some("auto") if cjk > 0 => cjk + non_cjk(),
        _ => words(),
    }))
}

fn array_to_sentence(i: &Value, a: &[Value], _: &mut Context<'_>) -> Result<Value, String> {
    let Value::Array(arr) = i else {
        return Ok(i.clone());
    };
    let conn = a.first().map_or_else(|| "and".to_string(), Value::to_s);
    let s = |v: &Value| v.to_s();
    let total = arr.iter().fold(0usize, |n, v| {
        n.saturating_add(v.to_s().len() + conn.len() + 2)
    });
    crate::filters::check_size(total)?;
    Ok(Value::string(match arr.len() {
        0 => String::new(),
        1 => s(&arr[0]),
        2 => format!("{} {conn} {}", s(&arr[0]), s(&arr[1])),
        n => format!(
            "{}, {conn} {}",
            arr[..n - 1].iter().map(s).collect::<Vec<_>>().join(", "),
            s(&arr[n - 1])
        ),
    }))
}

fn edit_array(i: &Value, f: impl FnOnce(&mut Vec<Value>)) -> Value {
    match i {
        Value::Array(a) => {
            let mut v = a.as_ref().clone();
            f(&mut v);
            Value::array(v)
        }
        other => other.clone(),
    }
}

fn pop_shift(i: &Value, a: &[Value], pop: bool) -> Result<Value, String> {
    let Value::Array(arr) = i else {
        return Ok(i.clone());
    };
    let n = match a.first() {
        Some(v) => to_integer(v)?,
        None => 1,
    };
    if n < 0 {
        return Err("negative array size".into());
    }
    let n = (n as usize).min(arr.len());
    Ok(Value::array(if pop {
        arr[..arr.len() - n].to_vec()
    } else {
        arr[n..].to_vec()
    }))
}

/// Jekyll's `Utils.slugify` for the modes that need no site: `default`
/// (and nil), `raw`, `pretty`, `ascii`, `none`.
fn slugify(i: &Value, mode: Option<&Value>) -> Value {
    if i.is_nil() {
        return Value::Nil;
    }
    let s = i.to_s();
    let mode = mode.map(Value::to_s).unwrap_or_else(|| "default".into());
    if mode == "none" {
        return Value::string(s);
    }
    let keep = |c: char| -> bool {
        match mode.as_str() {
            "raw" => !c.is_whitespace(),
            "pretty" => c.is_alphanumeric() || "._~!$&'()+,;=@".contains(c),
            "ascii" => c.is_ascii_alphanumeric(),
            _ => c.is_alphanumeric(),
        }
    };
    let mut out = String::new();
    let mut dash = false;
    for c in s.chars() {
        if keep(c) {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c);
        } else {
            dash = true;
        }
    }
    Value::string(out.to_lowercase())
}

#[cfg(test)]
mod tests {
    use crate::render_test as r;
    use serde_json::json;

    fn data() -> serde_json::Value {
        json!({"posts": [
            {"title": "a", "n": "2", "tags": ["x", "y"]},
            {"title": "b", "n": 1},
            {"title": "c"}
        ]})
    }

    // filters.rb where: item properties compared as strings, arrays by member.
    #[test]
    fn where_find() {
        assert_eq!(r("{{ posts | where: 'n', 1 | map: 'title' }}", data()), "b");
        assert_eq!(
            r("{{ posts | where: 'tags', 'y' | map: 'title' }}", data()),
            "a"
        );
        assert_eq!(
            r(
                "{{ posts | where_exp: 'p', 'p.title > \"a\"' | map: 'title' }}",
                data()
            ),
            "bc"
        );
        // `'2' > 1` raises in Ruby: the filter fails, the output is empty.
        assert_eq!(r("{{ posts | where_exp: 'p', 'p.n > 1' }}", data()), "");
        assert_eq!(
            r("{{ posts | find: 'title', 'c' | map: 'title' }}", data()),
            "c"
        );
        assert_eq!(
            r(
                "{{ posts | find_exp: 'p', \"p.title == 'b'\" | map: 'n' }}",
                data()
            ),
            "1"
        );
    }

    // filters.rb sort: numeric strings compare as numbers, nils first by default.
    #[test]
    fn sort_and_group() {
        assert_eq!(
            r("{{ posts | sort: 'n' | map: 'title' | join }}", data()),
            "c b a"
        );
        assert_eq!(
            r(
                "{{ posts | sort: 'n', 'last' | map: 'title' | join }}",
                data()
            ),
            "b a c"
        );
        assert_eq!(
            r(
                "{% assign g = posts | group_by: 'n' %}{{ g[0].name }}{{ g[0].size }}{{ g.size }}",
                data()
            ),
            "213"
        );
    }

    #[test]
    fn strings_and_json() {
        assert_eq!(
            r("{{ posts[0] | jsonify }}", data()),
            r#"{"title":"a","n":"2","tags":["x","y"]}"#
        );
        assert_eq!(
            r("{{ '<a href=\"x\">' | xml_escape }}", json!({})),
            "&lt;a href=&quot;x&quot;&gt;"
        );
        assert_eq!(
            r("{{ ' a \n b ' | normalize_whitespace }}", json!({})),
            "a b"
        );
        assert_eq!(r("{{ 'one two three' | number_of_words }}", json!({})), "3");
        assert_eq!(
            r(
                "{{ posts | map: 'title' | array_to_sentence_string }}",
                data()
            ),
            "a, b, and c"
        );
        assert_eq!(
            r("{{ 'Hello, World!' | slugify }}", json!({})),
            "hello-world"
        );
        assert_eq!(
            r("{{ posts[0].tags | push: 'z' | join: ',' }}", data()),
            "x,y,z"
        );
    }

    // filters/date_filters.rb.
    #[test]
    fn dates() {
        let d = json!({"d": "2016-03-04 05:06:07 +0000"});
        assert_eq!(r("{{ d | date_to_string }}", d.clone()), "04 Mar 2016");
        assert_eq!(
            r("{{ d | date_to_long_string: 'ordinal', 'US' }}", d.clone()),
            "March 4th, 2016"
        );
        assert_eq!(
            r("{{ d | date_to_xmlschema }}", d.clone()),
            "2016-03-04T05:06:07+00:00"
        );
        assert_eq!(
            r("{{ d | date_to_rfc822 }}", d),
            "Fri, 04 Mar 2016 05:06:07 +0000"
        );
    }
}
