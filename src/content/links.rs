//! Targets of `{% post_url %}` and `{% link %}`, built once per site so each
//! lookup is a map access.

use crate::fast_hash::FastMap as HashMap;

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
    /// Every target once, in site order; the maps hold indexes into it so
    /// a post named two ways is not copied twice.
    targets: Vec<Target>,
    /// `2010-07-21-name` (and `sub/2010-07-21-name`) → post.
    posts: HashMap<String, usize>,
    /// Source path relative to the site root → document or static file.
    paths: HashMap<String, usize>,
}

impl LinkMap {
    /// Indexes `site`.
    pub(crate) fn build(site: &Site) -> Self {
        let count = site.documents.len() + site.static_files.len();
        let mut map = LinkMap {
            targets: Vec::with_capacity(count),
            posts: crate::fast_hash::map_with_capacity(site.documents.len()),
            paths: crate::fast_hash::map_with_capacity(count),
        };
        for doc in &site.documents {
            let at = map.targets.len();
            map.targets.push(Target {
                source: doc.source.clone(),
                url: doc.url.clone(),
            });
            if matches!(doc.kind, DocKind::Post | DocKind::Draft) {
                // post_url names a post by its file name without extension,
                // optionally with the folders below `_posts`.
                if let Some((_, after)) = doc.source.rsplit_once("_posts/") {
                    let stem = strip_ext(after);
                    map.posts.entry(stem.to_string()).or_insert(at);
                    if let Some((_, file)) = stem.rsplit_once('/') {
                        map.posts.entry(file.to_string()).or_insert(at);
                    }
                }
            }
            map.paths.insert(doc.source.clone(), at);
        }
        for file in &site.static_files {
            let at = map.targets.len();
            map.targets.push(Target {
                source: file.source.clone(),
                url: file.url.clone(),
            });
            map.paths.insert(file.source.clone(), at);
        }
        map
    }

    /// The post `{% post_url name %}` names.
    pub(crate) fn post(&self, name: &str) -> Option<&Target> {
        let name = name.trim().trim_start_matches('/');
        let at = self
            .posts
            .get(name)
            .or_else(|| self.posts.get(strip_ext(name)))?;
        self.targets.get(*at)
    }

    /// The document or file `{% link path %}` names.
    pub(crate) fn path(&self, path: &str) -> Option<&Target> {
        let at = self.paths.get(path.trim().trim_start_matches('/'))?;
        self.targets.get(*at)
    }
}

fn strip_ext(name: &str) -> &str {
    match name.rsplit_once('.') {
        Some((stem, ext)) if !ext.contains('/') && !stem.is_empty() => stem,
        _ => name,
    }
}
