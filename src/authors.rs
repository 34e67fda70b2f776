//! Authors as every output format shows them. A post's `author: robin` is
//! often a key into `_data/authors.yml` (jekyll-feed, minimal-mistakes and
//! most themes look it up there), whose entry holds the name to show.

use serde_json::{Map, Value};

use crate::ir::{Author, Site};

/// The `_data/authors` table (`authors.yml`, `.json`, …), keyed by author id.
fn table(site: &Site) -> Option<&Map<String, Value>> {
    site.data
        .iter()
        .find(|d| d.key.len() == 1 && d.key[0] == "authors")
        .and_then(|d| d.value.as_object())
}

/// The author a document names: its `_data/authors` entry when `key` is
/// one (`name`, `uri`/`url`, `email`, `avatar`), else just the name as
/// written.
pub fn resolve(site: &Site, key: &str) -> Author {
    let entry = table(site).and_then(|t| t.get(key));
    // `robin: Robin Sloan` names the author without a map.
    if let Some(Value::String(name)) = entry {
        return Author {
            name: name.clone(),
            ..Author::default()
        };
    }
    let field = |keys: &[&str]| {
        keys.iter()
            .find_map(|k| entry.and_then(|e| e.get(*k)).and_then(Value::as_str))
            .map(str::to_string)
    };
    Author {
        name: field(&["name"]).unwrap_or_else(|| key.to_string()),
        url: field(&["uri", "url", "web", "home"]),
        email: field(&["email"]),
        avatar: field(&["avatar", "picture"]),
    }
}

/// The display names of the authors a document names, in its order.
pub fn names(site: &Site, keys: &[String]) -> Vec<String> {
    keys.iter().map(|k| resolve(site, k).name).collect()
}

/// A site author (`author:` in `_config.yml`): a bare name that is a key of
/// `_data/authors` is looked up there, as jekyll-feed does; anything more
/// (a map with a URL or avatar) is already the author.
pub fn site_author(site: &Site, a: &Author) -> Author {
    let bare = a.url.is_none() && a.email.is_none() && a.avatar.is_none();
    if bare && table(site).is_some_and(|t| t.contains_key(&a.name)) {
        resolve(site, &a.name)
    } else {
        a.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::DataFile;

    fn site() -> Site {
        Site {
            data: vec![DataFile {
                source: "_data/authors.yml".into(),
                key: vec!["authors".into()],
                value: serde_json::json!({
                    "robin": {"name": "Robin Sloan", "uri": "https://robinsloan.com", "avatar": "/r.png"},
                    "ann": "Ann Smith",
                }),
            }],
            ..Site::default()
        }
    }

    #[test]
    fn keys_become_names_and_others_stay() {
        let s = site();
        let robin = resolve(&s, "robin");
        assert_eq!(robin.name, "Robin Sloan");
        assert_eq!(robin.url.as_deref(), Some("https://robinsloan.com"));
        assert_eq!(robin.avatar.as_deref(), Some("/r.png"));
        assert_eq!(
            names(&s, &["ann".into(), "Jo Doe".into()]),
            ["Ann Smith", "Jo Doe"]
        );
        assert_eq!(resolve(&Site::default(), "robin").name, "robin");
    }

    #[test]
    fn a_bare_site_author_is_looked_up() {
        let s = site();
        let bare = Author {
            name: "robin".into(),
            ..Author::default()
        };
        assert_eq!(site_author(&s, &bare).name, "Robin Sloan");
        let full = Author {
            name: "robin".into(),
            url: Some("https://x.org".into()),
            ..Author::default()
        };
        assert_eq!(site_author(&s, &full), full);
    }
}
