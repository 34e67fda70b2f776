//! Ids and links of the finished chapters: ids made unique XML names per
//! file (`fn:1` → `fn-1`), then every `href` pointed at its place in the
//! book (`post-0007.xhtml#id`) or made absolute on the site. A fragment whose
//! anchor does not exist is dropped, so the link opens the chapter.

use crate::fast_hash::{FastMap as HashMap, FastSet as HashSet};

use url::Url;

use super::dom::{Element, Node};
use super::links::{SiteLinks, Target};
use super::notes::Notes;
use crate::diagnostics::Severity;

/// The id every chapter's top element has; content ids never take it.
pub const TOP_ID: &str = "top";

/// Original id (as written) → id in the book.
pub type IdMap = HashMap<String, String>;

/// Makes every id in `nodes` a unique XML name and returns the map from
/// the ids as written (ids in `reserved` are taken already), and also the
/// id map of each inline SVG drawing on its own, in document order, for
/// [`super::svg::link`] to rewrite the drawing's references with.
pub fn assign_scoped(nodes: &mut [Node], reserved: &[&str]) -> (IdMap, Vec<IdMap>) {
    let mut used: HashSet<String> = reserved.iter().map(|s| s.to_string()).collect();
    let mut map = IdMap::default();
    let mut scopes = Vec::new();
    walk_ids(nodes, &mut used, &mut map, &mut scopes);
    (map, scopes)
}

fn walk_ids(
    nodes: &mut [Node],
    used: &mut HashSet<String>,
    map: &mut IdMap,
    scopes: &mut Vec<IdMap>,
) {
    for n in nodes {
        let Node::Element(e) = n else { continue };
        if super::svg::is_drawing(e) {
            // A drawing's ids are also learnt on their own: its references
            // go to its own ids first. (A drawing nested in it is part of it.)
            let mut local = IdMap::default();
            assign_one(e, used, &mut local);
            walk_ids(&mut e.children, used, &mut local, &mut Vec::new());
            for (k, v) in &local {
                map.entry(k.clone()).or_insert_with(|| v.clone());
            }
            scopes.push(local);
        } else {
            assign_one(e, used, map);
            walk_ids(&mut e.children, used, map, scopes);
        }
    }
}

/// Gives `e`'s id, if any, a unique XML name.
fn assign_one(e: &mut Element, used: &mut HashSet<String>, map: &mut IdMap) {
    if let Some(orig) = e.get("id").map(str::to_string) {
        let base = xml_name(&orig);
        let mut id = base.clone();
        let mut k = 2;
        while used.contains(&id) {
            id = format!("{base}-{k}");
            k += 1;
        }
        used.insert(id.clone());
        // A link to a duplicated id goes to the first, as in a browser.
        map.entry(orig).or_insert_with(|| id.clone());
        e.set("id", id);
    }
}

/// An XML name (NCName) from any id: ASCII letters, digits, `-`, `_`, `.`,
/// starting with a letter or `_`.
pub fn xml_name(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-') {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_matches('-');
    match out.chars().next() {
        None => "id".to_string(),
        Some(c) if c.is_ascii_alphabetic() || c == '_' => out.to_string(),
        Some(_) => format!("id-{out}"),
    }
}

/// What link rewriting needs to know about the book.
pub struct Book<'a> {
    /// The link map.
    pub links: &'a SiteLinks,
    /// File name of each chapter (`post-0001.xhtml`).
    pub files: &'a [String],
    /// Id map of each chapter.
    pub ids: &'a [IdMap],
}

/// Rewrites every `href` of `nodes`, which belong to chapter `current` (if a
/// chapter) at absolute URL `page`.
pub fn rewrite_links(
    nodes: &mut [Node],
    book: &Book<'_>,
    page: &Url,
    current: Option<usize>,
    notes: &mut Notes<'_>,
) {
    for n in nodes {
        if let Node::Element(e) = n {
            if e.name == "a" {
                rewrite_one(e, book, page, current, notes);
            }
            rewrite_links(&mut e.children, book, page, current, notes);
        }
    }
}

fn rewrite_one(
    e: &mut Element,
    book: &Book<'_>,
    page: &Url,
    current: Option<usize>,
    notes: &mut Notes<'_>,
) {
    let Some(href) = e.get("href").map(str::to_string) else {
        return;
    };
    if href.trim().is_empty() {
        e.attrs.retain(|(k, _)| k != "href");
        return;
    }
    let new = match book.links.resolve(page, &href) {
        Target::Chapter { index, fragment } => {
            let ids = book.ids.get(index);
            let frag = match (&fragment, ids) {
                (Some(f), Some(map)) => match map.get(f) {
                    Some(id) => Some(id.clone()),
                    None => {
                        notes.add(
                            Severity::Info,
                            "epub-broken-fragment",
                            Some(&href),
                            format!("the link {href} names an anchor #{f} that does not exist; it now opens the page"),
                        );
                        None
                    }
                },
                _ => None,
            };
            if Some(index) == current {
                format!("#{}", frag.as_deref().unwrap_or(TOP_ID))
            } else {
                let file = book.files.get(index).map(String::as_str).unwrap_or("");
                match frag {
                    Some(f) => format!("{file}#{f}"),
                    None => file.to_string(),
                }
            }
        }
        Target::Static { url, .. } | Target::Site(url) | Target::External(url) => url,
        Target::Unusable(why) => {
            notes.add(
                Severity::Warning,
                "epub-link",
                Some(&href),
                format!("the link {href:?} cannot work in a book ({why}); its text is kept"),
            );
            e.attrs.retain(|(k, _)| k != "href");
            return;
        }
    };
    e.set("href", new);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_become_unique_xml_names() {
        assert_eq!(xml_name("fn:1"), "fn-1");
        assert_eq!(xml_name("1-intro"), "id-1-intro");
        assert_eq!(xml_name("中文"), "id");
        assert_eq!(xml_name("a b:c"), "a-b-c");
        assert_eq!(xml_name(""), "id");
        let mut nodes = vec![
            Node::Element(Element::new("h2").attr("id", "top")),
            Node::Element(Element::new("p").attr("id", "x")),
            Node::Element(Element::new("p").attr("id", "x")),
        ];
        let map = assign_scoped(&mut nodes, &[TOP_ID]).0;
        assert_eq!(map.get("top").map(String::as_str), Some("top-2"));
        assert_eq!(map.get("x").map(String::as_str), Some("x"));
        let ids: Vec<_> = nodes
            .iter()
            .filter_map(|n| match n {
                Node::Element(e) => e.get("id").map(str::to_string),
                Node::Text(_) => None,
            })
            .collect();
        assert_eq!(ids, ["top-2", "x", "x-2"]);
    }
}
