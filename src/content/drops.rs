//! Liquid's view of the site: `site.*` and `page.*` as Jekyll's drops
//! present them, built from the IR.

use crate::fast_hash::FastMap as HashMap;

use liquid_core::model::{DateTime as LDateTime, Value};

use super::values::LValue;
use crate::ir::{DateTime, Document, Site};

/// A JSON value as a Liquid value.
pub(crate) fn json_to_liquid(v: &serde_json::Value) -> Value {
    match v {
        serde_json::Value::Null => Value::Nil,
        serde_json::Value::Bool(b) => Value::scalar(*b),
        serde_json::Value::Number(n) => match n.as_i64() {
            Some(i) => Value::scalar(i),
            None => Value::scalar(n.as_f64().unwrap_or(0.0)),
        },
        serde_json::Value::String(s) => Value::scalar(s.clone()),
        serde_json::Value::Array(a) => Value::Array(a.iter().map(json_to_liquid).collect()),
        serde_json::Value::Object(o) => Value::Object(
            o.iter()
                .map(|(k, v)| (k.clone().into(), json_to_liquid(v)))
                .collect(),
        ),
    }
}

/// A date as a Liquid date-time (so `date` and Jekyll's date filters work).
pub(crate) fn date_value(d: &DateTime) -> Value {
    match liquid_date(d) {
        Some(dt) => Value::scalar(dt),
        None => Value::scalar(d.rfc3339()),
    }
}

/// The same instant and offset as Liquid's date type, to the second, built
/// from its parts (parsing a formatted string cost a fifth of a whole
/// conversion: every document's drop carries a date).
fn liquid_date(d: &DateTime) -> Option<LDateTime> {
    let c = d.civil();
    let month = time::Month::try_from(u8::try_from(c.month()).ok()?).ok()?;
    let day = u8::try_from(c.day()).ok()?;
    let date = time::Date::from_calendar_date(i32::from(c.year()), month, day).ok()?;
    let clock = time::Time::from_hms(
        u8::try_from(c.hour()).ok()?,
        u8::try_from(c.minute()).ok()?,
        u8::try_from(c.second()).ok()?,
    )
    .ok()?;
    let offset = time::UtcOffset::from_whole_seconds(d.offset.seconds()).ok()?;
    let mut out = LDateTime::from_ymd(1970, 1, 1);
    *out = date.with_time(clock).assume_offset(offset);
    Some(out)
}

fn strings(list: &[String]) -> Value {
    Value::Array(list.iter().map(|s| Value::scalar(s.clone())).collect())
}

/// The raw excerpt Jekyll would cut (first part up to the separator).
fn excerpt_text(doc: &Document) -> String {
    if let Some(e) = &doc.excerpt {
        return e.clone();
    }
    let sep = if doc.excerpt_separator.is_empty() {
        "\n\n"
    } else {
        &doc.excerpt_separator
    };
    let body = doc.body.trim_start_matches('\n');
    match body.find(sep) {
        Some(p) => body[..p].to_string(),
        None => body.to_string(),
    }
}

/// Rendered HTML of documents (and of their excerpts), for drops that
/// carry `content` and `excerpt` as Jekyll's do.
#[derive(Default)]
pub(crate) struct Rendered {
    pub(crate) by_source: HashMap<String, (String, String)>,
}

impl Rendered {
    /// Collects the HTML of every document already processed.
    pub(crate) fn of(site: &Site, opts: &super::markdown::Options) -> Self {
        let mut by_source = HashMap::default();
        for d in &site.documents {
            let Some(html) = &d.html else { continue };
            let excerpt = excerpt_text(d);
            let excerpt = match d.format {
                crate::ir::Format::Markdown => super::markdown::render(&excerpt, opts).html,
                _ => excerpt,
            };
            by_source.insert(d.source.clone(), (html.clone(), excerpt));
        }
        Rendered { by_source }
    }
}

/// `page.*` for a document: front matter plus Jekyll's computed fields.
pub(crate) fn document_drop<'d>(doc: &Document) -> LValue<'d> {
    document_drop_with(doc, None)
}

/// [`document_drop`], with the rendered content and excerpt of the second
/// pass when `rendered` has them. Built as the lenient value directly (no
/// Liquid object on the way: this runs twice per document).
pub(crate) fn document_drop_with<'d>(doc: &Document, rendered: Option<&Rendered>) -> LValue<'d> {
    // Jekyll's computed fields, pushed in key order (as the object's keys
    // sort; a test holds the order): merged with the sorted front matter
    // below instead of sorting some twenty entries, which moved them about
    // many times over.
    let mut computed: Vec<(&'static str, LValue<'d>)> = Vec::with_capacity(16);
    let mut put = |k: &'static str, v: Value| computed.push((k, LValue::from(v)));
    put("categories", strings(&doc.categories));
    if let Some(c) = &doc.collection {
        put("collection", Value::scalar(c.clone()));
    }
    let excerpt = match rendered.and_then(|r| r.by_source.get(&doc.source)) {
        Some((content, excerpt)) => {
            put("content", Value::scalar(content.clone()));
            excerpt.clone()
        }
        None => excerpt_text(doc),
    };
    if let Some(d) = &doc.date {
        put("date", date_value(d));
    }
    put(
        "draft",
        Value::scalar(doc.kind == crate::ir::DocKind::Draft),
    );
    put("excerpt", Value::scalar(excerpt));
    put("ext", Value::scalar(doc.ext.clone()));
    let id = doc
        .url
        .strip_suffix(".html")
        .unwrap_or(&doc.url)
        .trim_end_matches('/')
        .to_string();
    put("id", Value::scalar(id));
    let name = doc
        .source
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .to_string();
    put("name", Value::scalar(name));
    put("path", Value::scalar(doc.source.clone()));
    put("relative_path", Value::scalar(doc.source.clone()));
    put("slug", Value::scalar(doc.slug.clone()));
    put("tags", strings(&doc.tags));
    if let Some(t) = &doc.title {
        put("title", Value::scalar(t.clone()));
    }
    put("url", Value::scalar(doc.url.clone()));
    let mut front: Vec<(&String, &serde_json::Value)> = doc.front_matter.iter().collect();
    front.sort_by(|a, b| a.0.cmp(b.0));
    LValue::object(merge_fields(front, computed))
}

/// The front matter's entries (sorted by key) and the computed ones (in key
/// order) as one sorted list; a computed field replaces a front-matter key
/// of its name, as Jekyll's drop answers with the computed value.
fn merge_fields<'d>(
    front: Vec<(&String, &serde_json::Value)>,
    computed: Vec<(&'static str, LValue<'d>)>,
) -> Vec<(String, LValue<'d>)> {
    let mut out = Vec::with_capacity(front.len() + computed.len());
    let mut front = front.into_iter().peekable();
    for (key, value) in computed {
        while let Some((k, v)) = front.next_if(|(k, _)| k.as_str() <= key) {
            if k.as_str() != key {
                out.push((k.clone(), LValue::from(json_to_liquid(v))));
            }
        }
        out.push((key.to_string(), value));
    }
    out.extend(front.map(|(k, v)| (k.clone(), LValue::from(json_to_liquid(v)))));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::DocKind;
    use liquid_core::model::ValueView;

    /// The drop as it was built before the merge: every entry pushed, then
    /// sorted with the last of each key kept.
    fn by_sorting(doc: &Document) -> LValue<'static> {
        let mut e: Vec<(String, LValue<'static>)> = Vec::new();
        for (k, v) in &doc.front_matter {
            e.push((k.clone(), LValue::from(json_to_liquid(v))));
        }
        let mut put = |k: &str, v: Value| e.push((k.to_string(), LValue::from(v)));
        put("url", Value::scalar(doc.url.clone()));
        if let Some(t) = &doc.title {
            put("title", Value::scalar(t.clone()));
        }
        if let Some(d) = &doc.date {
            put("date", date_value(d));
        }
        put("categories", strings(&doc.categories));
        put("tags", strings(&doc.tags));
        put("slug", Value::scalar(doc.slug.clone()));
        put("path", Value::scalar(doc.source.clone()));
        put("relative_path", Value::scalar(doc.source.clone()));
        let name = doc.source.rsplit('/').next().unwrap_or_default();
        put("name", Value::scalar(name.to_string()));
        put("ext", Value::scalar(doc.ext.clone()));
        if let Some(c) = &doc.collection {
            put("collection", Value::scalar(c.clone()));
        }
        let id = doc.url.strip_suffix(".html").unwrap_or(&doc.url);
        put("id", Value::scalar(id.trim_end_matches('/').to_string()));
        put("excerpt", Value::scalar(excerpt_text(doc)));
        put("draft", Value::scalar(doc.kind == DocKind::Draft));
        LValue::object_last_wins_sorted(e)
    }

    fn shown(v: &LValue) -> Vec<(String, String)> {
        let o = v.as_object().expect("an object");
        o.keys()
            .map(|k| {
                let value = o
                    .get(&k)
                    .map(|x| x.to_kstr().to_string())
                    .unwrap_or_default();
                (k.to_string(), value)
            })
            .collect()
    }

    #[test]
    fn merged_drop_equals_the_sorted_one() {
        let mut doc = Document::new(DocKind::Post, "_posts/2020-01-02-a-b.md");
        doc.url = "/2020/01/02/a-b.html".into();
        doc.slug = "a-b".into();
        doc.ext = ".md".into();
        doc.collection = Some("posts".into());
        doc.categories = vec!["x".into()];
        doc.tags = vec!["t1".into(), "t2".into()];
        doc.body = "First para.\n\nSecond.".into();
        doc.excerpt_separator = "\n\n".into();
        // Keys before, between, after and equal to the computed ones.
        for (k, v) in [
            ("zzz", "last"),
            ("title", "from front matter"),
            ("aaa", "first"),
            ("layout", "post"),
            ("url", "/elsewhere/"),
            ("tagz", "between tags and title"),
            ("excerpt", "given"),
        ] {
            doc.front_matter
                .insert(k.into(), serde_json::Value::String(v.into()));
        }
        for title in [None, Some("Computed title".to_string())] {
            doc.title = title;
            let merged = document_drop_with(&doc, None);
            assert_eq!(shown(&merged), shown(&by_sorting(&doc)));
        }
        let keys: Vec<String> = shown(&document_drop(&doc))
            .into_iter()
            .map(|(k, _)| k)
            .collect();
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(keys, sorted);
    }
}
