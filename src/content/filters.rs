//! Jekyll's Liquid filters (`relative_url`, `date_to_string`, `where`,
//! `markdownify`, …), as Jekyll 4.3 defines them.

use std::fmt;

use liquid_core::model::{Object, ScalarCow, Value, ValueView};
use liquid_core::parser::{FilterArguments, ParameterReflection};
use liquid_core::runtime::Runtime;
use liquid_core::{Error, Expression, Filter, FilterReflection, Language, ParseFilter, Result};

use super::engine;

type FilterFn = fn(&dyn ValueView, &[Value], &dyn Runtime) -> Result<Value>;

/// A filter given by a plain function over its evaluated arguments.
#[derive(Clone)]
struct FnFilter {
    name: String,
    f: FilterFn,
}

impl FilterReflection for FnFilter {
    fn name(&self) -> &str {
        &self.name
    }
    fn description(&self) -> &str {
        "a Jekyll filter"
    }
    fn positional_parameters(&self) -> &'static [ParameterReflection] {
        &[]
    }
    fn keyword_parameters(&self) -> &'static [ParameterReflection] {
        &[]
    }
}

impl ParseFilter for FnFilter {
    fn parse(&self, arguments: FilterArguments<'_>) -> Result<Box<dyn Filter>> {
        Ok(Box::new(FnCall {
            name: self.name.clone(),
            f: self.f,
            args: arguments.positional.collect(),
        }))
    }
    fn reflection(&self) -> &dyn FilterReflection {
        self
    }
}

struct FnCall {
    name: String,
    f: FilterFn,
    args: Vec<Expression>,
}

impl fmt::Debug for FnCall {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.name)
    }
}

impl fmt::Display for FnCall {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.name)
    }
}

impl Filter for FnCall {
    fn evaluate(&self, input: &dyn ValueView, runtime: &dyn Runtime) -> Result<Value> {
        let args: Vec<Value> = self
            .args
            .iter()
            .map(|e| {
                e.try_evaluate(runtime)
                    .map(|v| v.into_owned())
                    .unwrap_or(Value::Nil)
            })
            .collect();
        // Text captured around an include or a highlight holds node
        // markers; a filter must see the text they stand for.
        if let Some(sc) = input.as_scalar() {
            let text = sc.to_kstr();
            if text.contains(engine::MARK_OPEN) {
                let flat = {
                    let ctx = runtime.registers().get_mut::<engine::Ctx>();
                    let baseurl = ctx
                        .shared
                        .as_ref()
                        .map(|s| s.baseurl.clone())
                        .unwrap_or_default();
                    engine::flatten_markers(text.as_str(), &ctx, &baseurl)
                };
                return (self.f)(&Value::scalar(flat), &args, runtime);
            }
        }
        (self.f)(input, &args, runtime)
    }
}

/// Registers Jekyll's filters in `lang` (replacing Liquid's `where` and
/// `sort`, which differ from Jekyll's).
pub(crate) fn register(lang: &mut Language) {
    let list: &[(&'static str, FilterFn)] = &[
        ("relative_url", relative_url),
        ("absolute_url", absolute_url),
        ("date_to_xmlschema", date_to_xmlschema),
        ("date_to_rfc822", date_to_rfc822),
        ("date_to_string", date_to_string),
        ("date_to_long_string", date_to_long_string),
        ("markdownify", markdownify),
        ("smartify", smartify),
        ("slugify", slugify),
        ("jsonify", jsonify),
        ("inspect", jsonify),
        ("xml_escape", xml_escape),
        ("cgi_escape", cgi_escape),
        ("uri_escape", uri_escape),
        ("number_of_words", number_of_words),
        ("array_to_sentence_string", array_to_sentence_string),
        ("normalize_whitespace", normalize_whitespace),
        ("where", where_filter),
        ("where_exp", where_exp),
        ("find", find),
        ("find_exp", find_exp),
        ("sort", sort),
        ("group_by", group_by),
        ("to_integer", to_integer),
        ("sample", sample),
        ("push", push),
        ("pop", pop),
        ("shift", shift),
        ("unshift", unshift),
    ];
    for &(name, f) in list {
        lang.filters.register(
            name.to_string(),
            Box::new(FnFilter {
                name: name.to_string(),
                f,
            }),
        );
    }
}

/// Registers `name` as a filter that returns its input unchanged.
pub(crate) fn register_passthrough(lang: &mut Language, name: &str) {
    lang.filters.register(
        name.to_string(),
        Box::new(FnFilter {
            name: name.to_string(),
            f: passthrough,
        }),
    );
}

fn passthrough(input: &dyn ValueView, _: &[Value], _: &dyn Runtime) -> Result<Value> {
    Ok(input.to_value())
}

fn s(v: &dyn ValueView) -> String {
    if v.is_nil() {
        String::new()
    } else {
        v.to_kstr().to_string()
    }
}

fn arg(args: &[Value], i: usize) -> Option<&Value> {
    args.get(i).filter(|v| !v.is_nil())
}

fn base(runtime: &dyn Runtime) -> (String, String) {
    match engine::shared(runtime) {
        Some(sh) => (sh.url.clone(), sh.baseurl.clone()),
        None => (String::new(), String::new()),
    }
}

/// Jekyll's `relative_url`: baseurl + `/` + input, unless the input is
/// already absolute.
pub(crate) fn relative_url_of(input: &str, baseurl: &str) -> String {
    if input.contains("://") || input.starts_with("//") {
        return input.to_string();
    }
    let path = format!("/{}", input.trim_start_matches('/'));
    let joined = format!("{}{}", baseurl.trim_end_matches('/'), path);
    // Jekyll escapes the result as a URI path.
    joined.replace(' ', "%20")
}

fn relative_url(input: &dyn ValueView, _: &[Value], rt: &dyn Runtime) -> Result<Value> {
    if input.is_nil() {
        return Ok(Value::Nil);
    }
    let (_, baseurl) = base(rt);
    Ok(Value::scalar(relative_url_of(&s(input), &baseurl)))
}

fn absolute_url(input: &dyn ValueView, _: &[Value], rt: &dyn Runtime) -> Result<Value> {
    if input.is_nil() {
        return Ok(Value::Nil);
    }
    let (url, baseurl) = base(rt);
    Ok(Value::scalar(absolute_url_of(&s(input), &url, &baseurl)))
}

/// Jekyll's `absolute_url` of a non-nil input: a URL with a scheme stays,
/// anything else is `site.url` + its `relative_url`.
pub(crate) fn absolute_url_of(text: &str, url: &str, baseurl: &str) -> String {
    if text.contains("://") {
        return text.to_string();
    }
    format!(
        "{}{}",
        url.trim_end_matches('/'),
        relative_url_of(text, baseurl)
    )
}

fn to_datetime(input: &dyn ValueView) -> Option<liquid_core::model::DateTime> {
    let scalar = input.as_scalar()?;
    if let Some(dt) = scalar.to_date_time() {
        return Some(dt);
    }
    let text = scalar.to_kstr().to_string();
    // ISO 8601 (`2020-01-02T03:04:05+01:00`, `2020-01-02`), which Liquid's
    // own parser does not read.
    let c = ISO_DATE.captures(text.trim())?;
    let g = |i: usize, d: &str| {
        c.get(i)
            .map(|m| m.as_str().to_string())
            .unwrap_or(d.to_string())
    };
    let offset = match c.get(7).map(|m| m.as_str()) {
        None | Some("Z") => "+0000".to_string(),
        Some(o) => o.replace(':', ""),
    };
    liquid_core::model::DateTime::from_str(&format!(
        "{}-{}-{} {}:{}:{} {offset}",
        g(1, ""),
        g(2, ""),
        g(3, ""),
        g(4, "00"),
        g(5, "00"),
        g(6, "00")
    ))
}

static ISO_DATE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(
        r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$",
    )
    .unwrap_or_else(|_| unreachable!("constant regex"))
});

fn offset_text(dt: &liquid_core::model::DateTime, colon: bool) -> String {
    let secs = dt.offset().whole_seconds();
    let sign = if secs < 0 { '-' } else { '+' };
    let abs = secs.unsigned_abs();
    if colon {
        format!("{sign}{:02}:{:02}", abs / 3600, (abs % 3600) / 60)
    } else {
        format!("{sign}{:02}{:02}", abs / 3600, (abs % 3600) / 60)
    }
}

fn date_to_xmlschema(input: &dyn ValueView, _: &[Value], _: &dyn Runtime) -> Result<Value> {
    match to_datetime(input) {
        Some(dt) => {
            let base = dt
                .format("%Y-%m-%dT%H:%M:%S")
                .map_err(|e| Error::with_msg(e.to_string()))?;
            Ok(Value::scalar(format!("{base}{}", offset_text(&dt, true))))
        }
        None => Ok(Value::scalar(s(input))),
    }
}

fn date_to_rfc822(input: &dyn ValueView, _: &[Value], _: &dyn Runtime) -> Result<Value> {
    match to_datetime(input) {
        Some(dt) => {
            let base = dt
                .format("%a, %d %b %Y %H:%M:%S")
                .map_err(|e| Error::with_msg(e.to_string()))?;
            Ok(Value::scalar(format!("{base} {}", offset_text(&dt, false))))
        }
        None => Ok(Value::scalar(s(input))),
    }
}

fn ordinal(day: u8) -> String {
    let suffix = match (day % 10, day % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{day}{suffix}")
}

fn date_string(input: &dyn ValueView, args: &[Value], month: &str) -> Result<Value> {
    let Some(dt) = to_datetime(input) else {
        return Ok(Value::scalar(s(input)));
    };
    let kind = arg(args, 0).map(|v| s(v)).unwrap_or_default();
    let style = arg(args, 1).map(|v| s(v)).unwrap_or_default();
    let month_name = dt
        .format(month)
        .map_err(|e| Error::with_msg(e.to_string()))?;
    let year = dt.year();
    let day = dt.day();
    let text = if kind == "ordinal" {
        if style == "US" {
            format!("{month_name} {}, {year}", ordinal(day))
        } else {
            format!("{} {month_name} {year}", ordinal(day))
        }
    } else {
        format!("{:02} {month_name} {year}", day)
    };
    Ok(Value::scalar(text))
}

fn date_to_string(input: &dyn ValueView, args: &[Value], _: &dyn Runtime) -> Result<Value> {
    date_string(input, args, "%b")
}

fn date_to_long_string(input: &dyn ValueView, args: &[Value], _: &dyn Runtime) -> Result<Value> {
    date_string(input, args, "%B")
}

fn markdownify(input: &dyn ValueView, _: &[Value], rt: &dyn Runtime) -> Result<Value> {
    let shared = engine::shared(rt);
    let (gfm, highlight) = shared
        .as_ref()
        .map_or((false, false), |s| (s.gfm, s.highlight));
    Ok(Value::scalar(markdownify_html(&s(input), gfm, highlight)))
}

/// Jekyll's `markdownify`: `text` as Markdown, to HTML. Its HTML is part
/// of the page in every target; code in it gets tokens where the run's
/// output is the HTML (`highlight`).
pub(crate) fn markdownify_html(text: &str, gfm: bool, highlight: bool) -> String {
    let opts = super::markdown::Options {
        gfm,
        highlight,
        ..Default::default()
    };
    super::markdown::render(text, &opts).html
}

fn smartify(input: &dyn ValueView, _: &[Value], _: &dyn Runtime) -> Result<Value> {
    Ok(Value::scalar(super::markdown::smarten(&s(input))))
}

/// Jekyll's `slugify` in its default mode.
pub(crate) fn slugify_default(text: &str) -> String {
    let mut out = String::new();
    let mut dash = false;
    for c in text.chars() {
        if c.is_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.extend(c.to_lowercase());
        } else {
            dash = true;
        }
    }
    out
}

fn slugify(input: &dyn ValueView, args: &[Value], _: &dyn Runtime) -> Result<Value> {
    let text = s(input);
    let mode = arg(args, 0).map(|v| s(v)).unwrap_or_default();
    let out = match mode.as_str() {
        "none" => text,
        "raw" => text
            .split_whitespace()
            .collect::<Vec<_>>()
            .join("-")
            .to_lowercase(),
        "ascii" | "latin" => {
            let ascii: String = text
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
                .collect();
            slugify_default(&ascii)
        }
        "pretty" => {
            let mut out = String::new();
            let mut dash = false;
            for c in text.chars() {
                if c.is_alphanumeric() || "._~!$&'()+,;=@".contains(c) {
                    if dash && !out.is_empty() {
                        out.push('-');
                    }
                    dash = false;
                    out.extend(c.to_lowercase());
                } else {
                    dash = true;
                }
            }
            out
        }
        _ => slugify_default(&text),
    };
    Ok(Value::scalar(out))
}

fn to_json(v: &dyn ValueView) -> serde_json::Value {
    if let Some(a) = v.as_array() {
        serde_json::Value::Array(a.values().map(to_json).collect())
    } else if let Some(o) = v.as_object() {
        serde_json::Value::Object(o.iter().map(|(k, v)| (k.to_string(), to_json(v))).collect())
    } else if v.is_nil() {
        serde_json::Value::Null
    } else if let Some(sc) = v.as_scalar() {
        if let Some(b) = sc.to_bool() {
            serde_json::Value::Bool(b)
        } else if let Some(i) = sc.to_integer() {
            serde_json::Value::from(i)
        } else if let Some(f) = sc.to_float() {
            serde_json::Value::from(f)
        } else {
            serde_json::Value::String(sc.to_kstr().to_string())
        }
    } else {
        serde_json::Value::String(v.render().to_string())
    }
}

fn jsonify(input: &dyn ValueView, _: &[Value], _: &dyn Runtime) -> Result<Value> {
    Ok(Value::scalar(to_json(input).to_string()))
}

fn xml_escape(input: &dyn ValueView, _: &[Value], _: &dyn Runtime) -> Result<Value> {
    Ok(Value::scalar(
        s(input)
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;"),
    ))
}

fn percent(text: &str, keep: &str, space_plus: bool) -> String {
    let mut out = String::new();
    for b in text.bytes() {
        let c = b as char;
        if c.is_ascii_alphanumeric() || keep.contains(c) {
            out.push(c);
        } else if c == ' ' && space_plus {
            out.push('+');
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn cgi_escape(input: &dyn ValueView, _: &[Value], _: &dyn Runtime) -> Result<Value> {
    Ok(Value::scalar(percent(&s(input), "-._~", true)))
}

fn uri_escape(input: &dyn ValueView, _: &[Value], _: &dyn Runtime) -> Result<Value> {
    Ok(Value::scalar(percent(
        &s(input),
        "-_.!~*'();/?:@&=+$,[]#%",
        false,
    )))
}

fn number_of_words(input: &dyn ValueView, _: &[Value], _: &dyn Runtime) -> Result<Value> {
    Ok(Value::scalar(s(input).split_whitespace().count() as i64))
}

fn array_to_sentence_string(
    input: &dyn ValueView,
    args: &[Value],
    _: &dyn Runtime,
) -> Result<Value> {
    let conn = arg(args, 0).map(|v| s(v)).unwrap_or_else(|| "and".into());
    let items: Vec<String> = match input.as_array() {
        Some(a) => a.values().map(s).collect(),
        None => return Ok(Value::scalar(s(input))),
    };
    let text = match items.len() {
        0 => String::new(),
        1 => items[0].clone(),
        2 => format!("{} {conn} {}", items[0], items[1]),
        n => format!("{}, {conn} {}", items[..n - 1].join(", "), items[n - 1]),
    };
    Ok(Value::scalar(text))
}

fn normalize_whitespace(input: &dyn ValueView, _: &[Value], _: &dyn Runtime) -> Result<Value> {
    Ok(Value::scalar(
        s(input).split_whitespace().collect::<Vec<_>>().join(" "),
    ))
}

fn items(input: &dyn ValueView) -> Vec<Value> {
    if let Some(a) = input.as_array() {
        a.values().map(|v| v.to_value()).collect()
    } else if let Some(o) = input.as_object() {
        o.values().map(|v| v.to_value()).collect()
    } else if input.is_nil() {
        Vec::new()
    } else {
        vec![input.to_value()]
    }
}

fn property(item: &Value, prop: &str) -> Value {
    let mut cur = item.clone();
    for key in prop.split('.') {
        cur = match cur.as_object().and_then(|o| o.get(key)) {
            Some(v) => v.to_value(),
            None => return Value::Nil,
        };
    }
    cur
}

fn matches_value(found: &Value, wanted: &str) -> bool {
    match found.as_array() {
        Some(a) => a.values().any(|v| s(v) == wanted),
        None => s(found) == wanted,
    }
}

fn where_filter(input: &dyn ValueView, args: &[Value], _: &dyn Runtime) -> Result<Value> {
    let prop = arg(args, 0).map(|v| s(v)).unwrap_or_default();
    let wanted = args.get(1).map(|v| s(v)).unwrap_or_default();
    Ok(Value::Array(
        items(input)
            .into_iter()
            .filter(|i| matches_value(&property(i, &prop), &wanted))
            .collect(),
    ))
}

/// Evaluates a `where_exp` condition for `item` with Liquid's `if`.
fn exp_holds(rt: &dyn Runtime, var: &str, cond: &str, item: &Value) -> Result<bool> {
    let Some(shared) = engine::shared(rt) else {
        return Ok(false);
    };
    let src = format!("{{% if {cond} %}}1{{% endif %}}");
    let elements = super::engine::parse_checked(&src, &shared.lang)?;
    let template = liquid_core::runtime::Template::new(elements);
    let mut root = Object::new();
    root.insert(var.to_string().into(), item.clone());
    // Lenient, so `item.missing` is nil as in Jekyll.
    let root = super::values::LValue::from(Value::Object(root));
    let Some(obj) = root.as_object() else {
        return Ok(false);
    };
    let frame = super::runtime::Frame::new(rt, obj);
    Ok(engine::render_template(&template, &frame)? == "1")
}

fn where_exp(input: &dyn ValueView, args: &[Value], rt: &dyn Runtime) -> Result<Value> {
    let var = arg(args, 0).map(|v| s(v)).unwrap_or_default();
    let cond = arg(args, 1).map(|v| s(v)).unwrap_or_default();
    let mut out = Vec::new();
    for item in items(input) {
        if exp_holds(rt, &var, &cond, &item)? {
            out.push(item);
        }
    }
    Ok(Value::Array(out))
}

fn find(input: &dyn ValueView, args: &[Value], rt: &dyn Runtime) -> Result<Value> {
    let all = where_filter(input, args, rt)?;
    Ok(all
        .as_array()
        .and_then(|a| a.first().map(|v| v.to_value()))
        .unwrap_or(Value::Nil))
}

fn find_exp(input: &dyn ValueView, args: &[Value], rt: &dyn Runtime) -> Result<Value> {
    let all = where_exp(input, args, rt)?;
    Ok(all
        .as_array()
        .and_then(|a| a.first().map(|v| v.to_value()))
        .unwrap_or(Value::Nil))
}

fn cmp_values(a: &Value, b: &Value) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    match (a.as_scalar(), b.as_scalar()) {
        (Some(x), Some(y)) => {
            if let (Some(x), Some(y)) = (x.to_float(), y.to_float()) {
                return x.partial_cmp(&y).unwrap_or(Ordering::Equal);
            }
            if let (Some(x), Some(y)) = (x.to_date_time(), y.to_date_time()) {
                return x.cmp(&y);
            }
            x.to_kstr().as_str().cmp(y.to_kstr().as_str())
        }
        _ => Ordering::Equal,
    }
}

fn sort(input: &dyn ValueView, args: &[Value], _: &dyn Runtime) -> Result<Value> {
    let mut list = items(input);
    let prop = arg(args, 0).map(|v| s(v));
    let nils_last = arg(args, 1).map(|v| s(v)).as_deref() == Some("last");
    list.sort_by(|a, b| {
        let (x, y) = match &prop {
            Some(p) => (property(a, p), property(b, p)),
            None => (a.clone(), b.clone()),
        };
        match (x.is_nil(), y.is_nil()) {
            (true, true) => std::cmp::Ordering::Equal,
            (true, false) if nils_last => std::cmp::Ordering::Greater,
            (true, false) => std::cmp::Ordering::Less,
            (false, true) if nils_last => std::cmp::Ordering::Less,
            (false, true) => std::cmp::Ordering::Greater,
            _ => cmp_values(&x, &y),
        }
    });
    Ok(Value::Array(list))
}

fn group_by(input: &dyn ValueView, args: &[Value], _: &dyn Runtime) -> Result<Value> {
    let prop = arg(args, 0).map(|v| s(v)).unwrap_or_default();
    let mut groups: Vec<(String, Vec<Value>)> = Vec::new();
    for item in items(input) {
        let key = s(&property(&item, &prop));
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, list)) => list.push(item),
            None => groups.push((key, vec![item])),
        }
    }
    Ok(Value::Array(
        groups
            .into_iter()
            .map(|(name, list)| {
                let mut o = Object::new();
                o.insert("name".into(), Value::scalar(name));
                o.insert("size".into(), Value::scalar(list.len() as i64));
                o.insert("items".into(), Value::Array(list));
                Value::Object(o)
            })
            .collect(),
    ))
}

fn to_integer(input: &dyn ValueView, _: &[Value], _: &dyn Runtime) -> Result<Value> {
    let v = input
        .as_scalar()
        .and_then(|sc: ScalarCow<'_>| sc.to_integer().or_else(|| sc.to_float().map(|f| f as i64)))
        .unwrap_or(0);
    Ok(Value::scalar(v))
}

fn sample(input: &dyn ValueView, _: &[Value], _: &dyn Runtime) -> Result<Value> {
    // Deterministic output: the first item.
    Ok(items(input).into_iter().next().unwrap_or(Value::Nil))
}

fn push(input: &dyn ValueView, args: &[Value], _: &dyn Runtime) -> Result<Value> {
    let mut list = items(input);
    list.push(args.first().cloned().unwrap_or(Value::Nil));
    Ok(Value::Array(list))
}

fn pop(input: &dyn ValueView, _: &[Value], _: &dyn Runtime) -> Result<Value> {
    let mut list = items(input);
    list.pop();
    Ok(Value::Array(list))
}

fn shift(input: &dyn ValueView, _: &[Value], _: &dyn Runtime) -> Result<Value> {
    let mut list = items(input);
    if !list.is_empty() {
        list.remove(0);
    }
    Ok(Value::Array(list))
}

fn unshift(input: &dyn ValueView, args: &[Value], _: &dyn Runtime) -> Result<Value> {
    let mut list = items(input);
    list.insert(0, args.first().cloned().unwrap_or(Value::Nil));
    Ok(Value::Array(list))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_url_joins_baseurl() {
        assert_eq!(relative_url_of("/a/b/", "/blog"), "/blog/a/b/");
        assert_eq!(relative_url_of("a.png", ""), "/a.png");
        assert_eq!(
            relative_url_of("https://x.org/a", "/blog"),
            "https://x.org/a"
        );
    }

    #[test]
    fn slugify_as_jekyll() {
        assert_eq!(slugify_default("Hello, World!  Again"), "hello-world-again");
        assert_eq!(ordinal(1), "1st");
        assert_eq!(ordinal(12), "12th");
        assert_eq!(ordinal(23), "23rd");
    }
}
