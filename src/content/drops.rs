//! Liquid's view of the site: `site.*` and `page.*` as Jekyll's drops
//! present them, built from the IR.

use std::collections::HashMap;

use liquid_core::model::{DateTime as LDateTime, Object, Value, ValueView};

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
    by_source: HashMap<String, (String, String)>,
}

impl Rendered {
    /// Collects the HTML of every document already processed.
    pub(crate) fn of(site: &Site, opts: &super::markdown::Options) -> Self {
        let mut by_source = HashMap::new();
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
pub(crate) fn document_drop(doc: &Document) -> Value {
    document_drop_with(doc, None)
}

fn document_drop_with(doc: &Document, rendered: Option<&Rendered>) -> Value {
    let mut o = Object::new();
    for (k, v) in &doc.front_matter {
        o.insert(k.clone().into(), json_to_liquid(v));
    }
    o.insert("url".into(), Value::scalar(doc.url.clone()));
    if let Some(t) = &doc.title {
        o.insert("title".into(), Value::scalar(t.clone()));
    }
    if let Some(d) = &doc.date {
        o.insert("date".into(), date_value(d));
    }
    o.insert("categories".into(), strings(&doc.categories));
    o.insert("tags".into(), strings(&doc.tags));
    o.insert("slug".into(), Value::scalar(doc.slug.clone()));
    o.insert("path".into(), Value::scalar(doc.source.clone()));
    o.insert("relative_path".into(), Value::scalar(doc.source.clone()));
    let name = doc
        .source
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .to_string();
    o.insert("name".into(), Value::scalar(name));
    o.insert("ext".into(), Value::scalar(doc.ext.clone()));
    if let Some(c) = &doc.collection {
        o.insert("collection".into(), Value::scalar(c.clone()));
    }
    let id = doc
        .url
        .strip_suffix(".html")
        .unwrap_or(&doc.url)
        .trim_end_matches('/')
        .to_string();
    o.insert("id".into(), Value::scalar(id));
    match rendered.and_then(|r| r.by_source.get(&doc.source)) {
        Some((content, excerpt)) => {
            o.insert("content".into(), Value::scalar(content.clone()));
            o.insert("excerpt".into(), Value::scalar(excerpt.clone()));
        }
        None => {
            o.insert("excerpt".into(), Value::scalar(excerpt_text(doc)));
        }
    }
    o.insert(
        "draft".into(),
        Value::scalar(doc.kind == crate::ir::DocKind::Draft),
    );
    Value::Object(o)
}

/// `site.*`: the configuration, documents, data and collections.
pub(crate) fn site_drop(site: &Site, rendered: Option<&Rendered>) -> Value {
    let document_drop = |d: &Document| document_drop_with(d, rendered);
    let mut o = Object::new();
    for (k, v) in &site.config.raw {
        o.insert(k.clone().into(), json_to_liquid(v));
    }
    o.insert(
        "url".into(),
        Value::scalar(site.config.url.clone().unwrap_or_default()),
    );
    o.insert("baseurl".into(), Value::scalar(site.config.baseurl.clone()));
    if let Some(t) = &site.config.title {
        o.insert("title".into(), Value::scalar(t.clone()));
    }
    // A fixed time: the migration must not depend on when it runs.
    if let Some(dt) = LDateTime::from_str("1970-01-01 00:00:00 +0000") {
        let newest = site.documents.iter().filter_map(|d| d.date).max();
        let time = newest.map(|d| date_value(&d)).unwrap_or(Value::scalar(dt));
        o.insert("time".into(), time);
    }

    let mut posts: Vec<&Document> = site
        .documents
        .iter()
        .filter(|d| d.is_post() && d.published)
        .collect();
    posts.sort_by(|a, b| b.date.cmp(&a.date).then(b.source.cmp(&a.source)));
    let post_values: Vec<Value> = posts.iter().map(|d| document_drop(d)).collect();

    // site.categories / site.tags: name → posts (newest first).
    let mut categories = Object::new();
    let mut tags = Object::new();
    for (d, v) in posts.iter().zip(&post_values) {
        for c in &d.categories {
            push_to(&mut categories, c, v.clone());
        }
        for t in &d.tags {
            push_to(&mut tags, t, v.clone());
        }
    }
    o.insert("categories".into(), Value::Object(categories));
    o.insert("tags".into(), Value::Object(tags));

    let pages: Vec<Value> = site
        .documents
        .iter()
        .filter(|d| d.kind == crate::ir::DocKind::Page)
        .map(&document_drop)
        .collect();
    o.insert("html_pages".into(), Value::Array(pages.clone()));
    o.insert("pages".into(), Value::Array(pages));

    let mut collections = Vec::new();
    let mut documents = Vec::new();
    // Jekyll lists `site.collections` sorted by label.
    let mut infos: Vec<&crate::ir::CollectionInfo> = site.config.collections.iter().collect();
    infos.sort_by(|a, b| a.label.cmp(&b.label));
    for info in infos {
        let docs: Vec<Value> = if info.label == "posts" {
            post_values.clone()
        } else {
            site.documents
                .iter()
                .filter(|d| d.collection.as_deref() == Some(info.label.as_str()))
                .map(&document_drop)
                .collect()
        };
        documents.extend(docs.iter().cloned());
        let mut c = Object::new();
        c.insert("label".into(), Value::scalar(info.label.clone()));
        c.insert("docs".into(), Value::Array(docs.clone()));
        c.insert("output".into(), Value::scalar(info.output));
        c.insert(
            "relative_directory".into(),
            Value::scalar(info.directory.clone()),
        );
        c.insert("directory".into(), Value::scalar(info.directory.clone()));
        if let Some(p) = &info.permalink {
            c.insert("permalink".into(), Value::scalar(p.clone()));
        }
        // Collection metadata from the config (`collections.docs.title`).
        if let Some(serde_json::Value::Object(meta)) = site
            .config
            .raw
            .get("collections")
            .and_then(|c| c.get(&info.label))
        {
            for (k, v) in meta {
                c.entry(k.clone()).or_insert_with(|| json_to_liquid(v));
            }
        }
        collections.push(Value::Object(c));
        if info.label != "posts" {
            o.insert(info.label.clone().into(), Value::Array(docs));
        }
    }
    o.insert("posts".into(), Value::Array(post_values));
    o.insert("collections".into(), Value::Array(collections));
    o.insert("documents".into(), Value::Array(documents));

    let mut static_files = Vec::new();
    for f in &site.static_files {
        let mut s = Object::new();
        s.insert("path".into(), Value::scalar(f.url.clone()));
        s.insert("url".into(), Value::scalar(f.url.clone()));
        let name = f.source.rsplit('/').next().unwrap_or_default().to_string();
        let ext = name
            .rfind('.')
            .map(|p| name[p..].to_string())
            .unwrap_or_default();
        s.insert("name".into(), Value::scalar(name));
        s.insert("extname".into(), Value::scalar(ext));
        static_files.push(Value::Object(s));
    }
    o.insert("static_files".into(), Value::Array(static_files));

    let mut data = Object::new();
    for file in &site.data {
        insert_path(&mut data, &file.key, json_to_liquid(&file.value));
    }
    o.insert("data".into(), Value::Object(data));
    Value::Object(o)
}

fn push_to(map: &mut Object, key: &str, v: Value) {
    let entry = map
        .entry(key.to_string())
        .or_insert_with(|| Value::Array(Vec::new()));
    if let Value::Array(a) = entry {
        a.push(v);
    }
}

fn insert_path(map: &mut Object, path: &[String], v: Value) {
    match path {
        [] => {}
        [last] => {
            map.insert(last.clone().into(), v);
        }
        [first, rest @ ..] => {
            let entry = map
                .entry(first.clone())
                .or_insert_with(|| Value::Object(Object::new()));
            if !matches!(entry, Value::Object(_)) {
                *entry = Value::Object(Object::new());
            }
            if let Value::Object(inner) = entry {
                insert_path(inner, rest, v);
            }
        }
    }
}

/// jekyll-paginate's `paginator` for the first page, keyed by the source of
/// the page it applies to (`index.html` in the folder of `paginate_path`).
pub(crate) fn paginators(site: &Site, site_value: &Value) -> HashMap<String, Value> {
    let mut out = HashMap::new();
    let per_page = site
        .config
        .raw
        .get("paginate")
        .and_then(|v| v.as_u64())
        .filter(|&n| n > 0);
    let Some(per_page) = per_page else {
        return out;
    };
    let path = site
        .config
        .raw
        .get("paginate_path")
        .and_then(|v| v.as_str())
        .unwrap_or("/page:num");
    let dir = path
        .trim_start_matches('/')
        .rsplit_once('/')
        .map(|(d, _)| d.to_string())
        .unwrap_or_default();
    let dir = if dir.contains(":num") {
        String::new()
    } else {
        dir
    };
    let source = if dir.is_empty() {
        "index.html".to_string()
    } else {
        format!("{dir}/index.html")
    };
    let posts: Vec<Value> = site_value
        .as_object()
        .and_then(|o| o.get("posts"))
        .and_then(|p| p.as_array())
        .map(|a| a.values().map(|v| v.to_value()).collect())
        .unwrap_or_default();
    // jekyll-paginate leaves out posts marked `hidden`.
    let posts: Vec<Value> = posts
        .into_iter()
        .filter(|p| {
            !p.as_object()
                .and_then(|o| o.get("hidden"))
                .is_some_and(|h| h.query_state(liquid_core::model::State::Truthy))
        })
        .collect();
    let total = posts.len() as u64;
    let pages = total.div_ceil(per_page).max(1);
    let mut p = Object::new();
    p.insert("page".into(), Value::scalar(1i64));
    p.insert("per_page".into(), Value::scalar(per_page as i64));
    p.insert(
        "posts".into(),
        Value::Array(posts.into_iter().take(per_page as usize).collect()),
    );
    p.insert("total_posts".into(), Value::scalar(total as i64));
    p.insert("total_pages".into(), Value::scalar(pages as i64));
    p.insert("previous_page".into(), Value::Nil);
    p.insert("previous_page_path".into(), Value::Nil);
    if pages > 1 {
        p.insert("next_page".into(), Value::scalar(2i64));
        let next = format!("/{}", path.trim_start_matches('/').replace(":num", "2"));
        p.insert("next_page_path".into(), Value::scalar(next));
    } else {
        p.insert("next_page".into(), Value::Nil);
        p.insert("next_page_path".into(), Value::Nil);
    }
    out.insert(source, Value::Object(p));
    out
}

/// `site` as Liquid sees it: `plain` (from [`site_drop`]) with the
/// configuration's own keys and `site.data` in the order they were written.
pub(crate) fn site_lvalue(site: &Site, plain: Value) -> super::values::LValue {
    use super::values::LValue;
    const COMPUTED: &[&str] = &[
        "url",
        "baseurl",
        "title",
        "time",
        "categories",
        "tags",
        "html_pages",
        "pages",
        "posts",
        "collections",
        "documents",
        "static_files",
        "data",
    ];
    let mut v = LValue::from(plain);
    for (k, raw) in &site.config.raw {
        let computed =
            COMPUTED.contains(&k.as_str()) || site.config.collections.iter().any(|c| &c.label == k);
        if !computed {
            v.set(k, LValue::from_json(raw));
        }
    }
    let mut data = serde_json::Map::new();
    for file in &site.data {
        insert_json_path(&mut data, &file.key, file.value.clone());
    }
    v.set("data", LValue::from_json(&serde_json::Value::Object(data)));
    v
}

fn insert_json_path(
    map: &mut serde_json::Map<String, serde_json::Value>,
    path: &[String],
    v: serde_json::Value,
) {
    match path {
        [] => {}
        [last] => {
            map.insert(last.clone(), v);
        }
        [first, rest @ ..] => {
            let entry = map
                .entry(first.clone())
                .or_insert_with(|| serde_json::Value::Object(serde_json::Map::new()));
            if !entry.is_object() {
                *entry = serde_json::Value::Object(serde_json::Map::new());
            }
            if let serde_json::Value::Object(inner) = entry {
                insert_json_path(inner, rest, v);
            }
        }
    }
}

/// A post's neighbours in date order (`page.previous` is the older one).
pub(crate) struct Neighbours {
    /// The post before, or nil.
    pub previous: Value,
    /// The post after, or nil.
    pub next: Value,
}

/// `page.previous` / `page.next` of every published post, by source.
pub(crate) fn neighbours(site: &Site) -> HashMap<String, Neighbours> {
    let mut posts: Vec<&Document> = site
        .documents
        .iter()
        .filter(|d| d.is_post() && d.published)
        .collect();
    posts.sort_by(|a, b| a.date.cmp(&b.date).then(a.source.cmp(&b.source)));
    let drops: Vec<Value> = posts.iter().map(|d| document_drop(d)).collect();
    let mut out = HashMap::new();
    for (i, d) in posts.iter().enumerate() {
        let previous = i
            .checked_sub(1)
            .and_then(|p| drops.get(p))
            .cloned()
            .unwrap_or(Value::Nil);
        let next = drops.get(i + 1).cloned().unwrap_or(Value::Nil);
        out.insert(d.source.clone(), Neighbours { previous, next });
    }
    out
}
