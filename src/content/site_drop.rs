//! `site.*`, `paginator` and `page.previous` / `page.next` as Liquid sees
//! them. Every document's drop is built once and shared (`LValue::Shared`)
//! by every list that holds it (`site.posts`, `site.documents`,
//! `site.tags.x`, `site.collections[i].docs`, neighbours, the paginator):
//! a post with three tags was once copied seven times, which made memory
//! grow several times faster than the site.

use crate::fast_hash::FastMap as HashMap;
use std::sync::Arc;

use liquid_core::model::{DateTime as LDateTime, Object, Value};
use rayon::prelude::*;

use super::drops::{date_value, document_drop_with, json_to_liquid, Rendered};
use super::values::LValue;
use crate::ir::{DocKind, Document, Site};

/// `site` for Liquid, with the shared drops of its published posts.
pub(crate) struct SiteValue<'d> {
    /// The `site` variable (shared, so a post's `site` can add its
    /// `related_posts` on top without a copy).
    pub value: Arc<LValue<'d>>,
    /// Published posts, newest first (as `site.posts` lists them): their
    /// indices in the site's documents.
    posts: Vec<usize>,
    /// Every document's drop, in the site's document order.
    pub docs: Vec<Arc<LValue<'d>>>,
}

/// Keys of `site` that list documents, computed from the site (a
/// configuration key of the same name is hidden, as are collection labels).
const LISTS: &[&str] = &[
    "categories",
    "tags",
    "html_pages",
    "pages",
    "posts",
    "collections",
    "documents",
];

/// The other keys of `site` computed from the site rather than read from
/// the configuration.
const COMPUTED: &[&str] = &["url", "baseurl", "title", "time", "static_files", "data"];

/// Builds `site`; with `rendered`, drops carry `content` and `excerpt` as
/// rendered HTML. Each document's drop is made the first time a template
/// reads it: most read a few (`site.posts limit:5`) or none, and making
/// them all cost a tenth of a conversion.
pub(crate) fn site_value<'d>(site: &'d Site, rendered: Option<&'d Rendered>) -> SiteValue<'d> {
    let drops: Vec<Arc<LValue<'d>>> = site
        .documents
        .iter()
        .map(|d| Arc::new(LValue::lazy(move || document_drop_with(d, rendered))))
        .collect();
    let share = |i: usize| drops.get(i).map_or(LValue::Missing, LValue::share);

    let mut posts: Vec<usize> = (0..site.documents.len())
        .filter(|&i| site.documents[i].is_post() && site.documents[i].published)
        .collect();
    let by_date_desc =
        |a: &Document, b: &Document| b.date.cmp(&a.date).then_with(|| b.source.cmp(&a.source));
    posts.sort_by(|&a, &b| by_date_desc(&site.documents[a], &site.documents[b]));

    // The scalar part first, with a placeholder for each list, so the
    // object's keys sort as they always have; the lists are set after.
    let mut base = Object::new();
    for (k, v) in &site.config.raw {
        base.insert(k.clone().into(), json_to_liquid(v));
    }
    base.insert(
        "url".into(),
        Value::scalar(site.config.url.clone().unwrap_or_default()),
    );
    base.insert("baseurl".into(), Value::scalar(site.config.baseurl.clone()));
    if let Some(t) = &site.config.title {
        base.insert("title".into(), Value::scalar(t.clone()));
    }
    // A fixed time: the migration must not depend on when it runs.
    let newest = site.documents.iter().filter_map(|d| d.date).max();
    let time = match newest {
        Some(d) => date_value(&d),
        None => LDateTime::from_str("1970-01-01 00:00:00 +0000").map_or(Value::Nil, Value::scalar),
    };
    base.insert("time".into(), time);
    base.insert("static_files".into(), static_files(site));
    let mut lists = LISTS.to_vec();
    let labels: Vec<&str> = site
        .config
        .collections
        .iter()
        .map(|c| c.label.as_str())
        .filter(|l| *l != "posts")
        .collect();
    lists.extend(&labels);
    for key in &lists {
        base.insert((*key).to_string().into(), Value::Nil);
    }
    let mut value = LValue::from(Value::Object(base));

    // site.categories / site.tags as Jekyll's `Site#post_attr_hash` builds
    // them: names in the order they are first met going through the posts
    // oldest first (`posts.docs`), each name's posts newest first.
    let mut categories = Groups::default();
    let mut tags = Groups::default();
    for &i in posts.iter().rev() {
        let d = &site.documents[i];
        for c in &d.categories {
            categories.push(c, i);
        }
        for t in &d.tags {
            tags.push(t, i);
        }
    }
    value.set("categories", grouped(categories.lists, &share));
    value.set("tags", grouped(tags.lists, &share));

    let pages: Vec<usize> = (0..site.documents.len())
        .filter(|&i| site.documents[i].kind == DocKind::Page)
        .collect();
    // In parallel: each share touches a drop's count somewhere in memory,
    // and site.posts, site.documents and the post collection's docs are
    // each as long as the blog.
    let list = |idx: &[usize]| LValue::array(idx.par_iter().map(|&i| share(i)).collect());
    value.set("html_pages", list(&pages));
    value.set("pages", list(&pages));

    let mut collections = Vec::new();
    let mut documents: Vec<usize> = Vec::new();
    // Jekyll lists `site.collections` sorted by label.
    let mut infos: Vec<&crate::ir::CollectionInfo> = site.config.collections.iter().collect();
    infos.sort_by(|a, b| a.label.cmp(&b.label));
    for info in infos {
        let docs: Vec<usize> = if info.label == "posts" {
            posts.clone()
        } else {
            (0..site.documents.len())
                .filter(|&i| site.documents[i].collection.as_deref() == Some(info.label.as_str()))
                .collect()
        };
        documents.extend(&docs);
        let mut c = Object::new();
        c.insert("label".into(), Value::scalar(info.label.clone()));
        c.insert("docs".into(), Value::Nil);
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
        let mut c = LValue::from(Value::Object(c));
        c.set("docs", list(&docs));
        collections.push(c);
        if info.label != "posts" {
            value.set(&info.label, list(&docs));
        }
    }
    value.set("posts", list(&posts));
    value.set("collections", LValue::array(collections));
    value.set("documents", list(&documents));

    // The configuration's own keys in the order they were written, and
    // `site.data` likewise.
    for (k, raw) in &site.config.raw {
        let computed = COMPUTED.contains(&k.as_str()) || lists.contains(&k.as_str());
        if !computed {
            value.set(k, LValue::from_json(raw));
        }
    }
    let mut data = serde_json::Map::new();
    for file in &site.data {
        insert_json_path(&mut data, &file.key, file.value.clone());
    }
    value.set("data", LValue::from_json(&serde_json::Value::Object(data)));

    SiteValue {
        value: Arc::new(value),
        posts,
        docs: drops,
    }
}

fn static_files(site: &Site) -> Value {
    let mut out = Vec::new();
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
        out.push(Value::Object(s));
    }
    Value::Array(out)
}

/// Posts (their indices in the site's documents) grouped by a name, names
/// in the order first met; found by a hash, since a blog may have
/// thousands of tags. Indices, not drops: each list's drops are then
/// made once, at their final size, instead of grown push by push.
#[derive(Default)]
struct Groups {
    lists: Vec<(String, Vec<usize>)>,
    index: HashMap<String, usize>,
}

impl Groups {
    fn push(&mut self, key: &str, v: usize) {
        match self.index.get(key) {
            Some(&at) => {
                if let Some((_, list)) = self.lists.get_mut(at) {
                    list.push(v);
                }
            }
            None => {
                self.index.insert(key.to_string(), self.lists.len());
                self.lists.push((key.to_string(), vec![v]));
            }
        }
    }
}

/// Groups as an object of lists of drops (`share` gives a document's),
/// names in the order met, each list reversed (gathered oldest first,
/// listed newest first).
fn grouped<'d>(
    groups: Vec<(String, Vec<usize>)>,
    share: &(dyn Fn(usize) -> LValue<'d> + Sync),
) -> LValue<'d> {
    LValue::object(
        groups
            .into_iter()
            .map(|(k, v)| {
                let list = v.into_par_iter().rev().map(share).collect();
                (k, LValue::array(list))
            })
            .collect(),
    )
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
pub(crate) struct Neighbours<'d> {
    /// The post before, if any.
    pub previous: Option<Arc<LValue<'d>>>,
    /// The post after, if any.
    pub next: Option<Arc<LValue<'d>>>,
    /// `site.related_posts` while this post renders: Jekyll without LSI
    /// (`RelatedPosts#most_recent_posts`, lib/jekyll/related_posts.rb)
    /// takes the 11 newest posts, newest first, less this one, and keeps 10.
    pub related: Vec<Arc<LValue<'d>>>,
}

impl<'d> SiteValue<'d> {
    /// `page.previous` / `page.next` of every published post, by index in
    /// the site's documents (`None` for the other documents).
    pub(crate) fn neighbours(&self) -> Vec<Option<Neighbours<'d>>> {
        let mut out: Vec<Option<Neighbours<'d>>> = Vec::new();
        out.resize_with(self.docs.len(), || None);
        let p = &self.posts;
        let drop = |i: Option<&usize>| i.and_then(|&i| self.docs.get(i)).cloned();
        let newest = p.get(..11).unwrap_or(p);
        for (at, &doc) in p.iter().enumerate() {
            // Newest first: the older post comes after.
            let previous = drop(p.get(at + 1));
            let next = drop(at.checked_sub(1).and_then(|j| p.get(j)));
            let related = newest
                .iter()
                .filter(|&&i| i != doc)
                .take(10)
                .filter_map(|i| drop(Some(i)))
                .collect();
            if let Some(slot) = out.get_mut(doc) {
                *slot = Some(Neighbours {
                    previous,
                    next,
                    related,
                });
            }
        }
        out
    }

    /// jekyll-paginate's `paginator` for the first page, keyed by the
    /// source of the page it applies to (`index.html` in the folder of
    /// `paginate_path`).
    pub(crate) fn paginators(&self, site: &Site) -> HashMap<String, LValue<'d>> {
        let mut out = HashMap::default();
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
        // jekyll-paginate leaves out posts marked `hidden` (read from the
        // front matter: asking the drops would make every one of them).
        let hidden = |i: usize| {
            site.documents
                .get(i)
                .and_then(|d| d.front_matter.get("hidden"))
                .is_some_and(|h| {
                    !matches!(h, serde_json::Value::Null | serde_json::Value::Bool(false))
                })
        };
        let posts: Vec<&Arc<LValue<'d>>> = self
            .posts
            .iter()
            .filter(|&&i| !hidden(i))
            .filter_map(|&i| self.docs.get(i))
            .collect();
        let total = posts.len() as u64;
        let pages = total.div_ceil(per_page).max(1);
        let mut p = Object::new();
        p.insert("page".into(), Value::scalar(1i64));
        p.insert("per_page".into(), Value::scalar(per_page as i64));
        p.insert("posts".into(), Value::Nil);
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
        let mut p = LValue::from(Value::Object(p));
        p.set(
            "posts",
            LValue::array(
                posts
                    .into_iter()
                    .take(per_page as usize)
                    .map(LValue::share)
                    .collect(),
            ),
        );
        out.insert(source, p);
        out
    }
}
