//! Targets of `{% post_url %}` and `{% link %}`, built once per site so each
//! lookup is a map access.

use std::collections::HashMap;

use crate::ir::{DocKind, Site};

/// A resolved link target.
#[derive(Debug, Clone)]
pub(crate) struct Target {
    /// Source path relative to the site root.
    pub source: String,
    /// Jekyll's URL, without baseurl.
    pub url: String,
}

/// Every document and static file, by the names the tags use.
#[derive(Debug, Default)]
pub(crate) struct LinkMap {
    /// `2010-07-21-name` (and `sub/2010-07-21-name`) → post.
    posts: HashMap<String, Target>,
    /// Source path relative to the site root → document or static file.
    paths: HashMap<String, Target>,
}

impl LinkMap {
    /// Indexes `site`.
    pub(crate) fn build(site: &Site) -> Self {
        let mut map = LinkMap::default();
        for doc in &site.documents {
            let target = Target {
                source: doc.source.clone(),
                url: doc.url.clone(),
            };
            if matches!(doc.kind, DocKind::Post | DocKind::Draft) {
                // post_url names a post by its file name without extension,
                // optionally with the folders below `_posts`.
                if let Some((_, after)) = doc.source.rsplit_once("_posts/") {
                    let stem = strip_ext(after);
                    map.posts.entry(stem.to_string()).or_insert(target.clone());
                    if let Some((_, file)) = stem.rsplit_once('/') {
                        map.posts.entry(file.to_string()).or_insert(target.clone());
                    }
                }
            }
            map.paths.insert(doc.source.clone(), target);
        }
        for file in &site.static_files {
            map.paths.insert(
                file.source.clone(),
                Target {
                    source: file.source.clone(),
                    url: file.url.clone(),
                },
            );
        }
        map
    }

    /// The post `{% post_url name %}` names.
    pub(crate) fn post(&self, name: &str) -> Option<&Target> {
        let name = name.trim().trim_start_matches('/');
        self.posts
            .get(name)
            .or_else(|| self.posts.get(strip_ext(name)))
    }

    /// The document or file `{% link path %}` names.
    pub(crate) fn path(&self, path: &str) -> Option<&Target> {
        self.paths.get(path.trim().trim_start_matches('/'))
    }
}

fn strip_ext(name: &str) -> &str {
    match name.rsplit_once('.') {
        Some((stem, ext)) if !ext.contains('/') && !stem.is_empty() => stem,
        _ => name,
    }
}
