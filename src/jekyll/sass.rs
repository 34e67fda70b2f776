//! Sass partials: `sass.sass_dir` (default `_sass`) and `sass.load_paths`,
//! read into memory so converters can compile `.scss`/`.sass` pages as
//! jekyll-sass-converter does, without reading the source tree.

use std::path::Path;

use serde_json::{Map, Value};

use crate::ir::Include;

/// The Sass load paths of a config, relative to the site root, and the
/// output style.
pub fn settings(raw: &Map<String, Value>) -> (Vec<String>, String) {
    let sass = raw.get("sass").and_then(Value::as_object);
    let get = |k: &str| sass.and_then(|m| m.get(k));
    // Kept inside the site as Jekyll's `sanitized_path` keeps them, so a
    // config cannot make the tool read Sass from elsewhere.
    let mut paths = vec![super::config::confine(
        get("sass_dir").and_then(Value::as_str).unwrap_or("_sass"),
    )];
    if let Some(list) = get("load_paths").and_then(Value::as_array) {
        for p in list.iter().filter_map(Value::as_str) {
            let p = super::config::confine(p);
            if !p.is_empty() && !p.contains("..") && !paths.contains(&p) {
                paths.push(p);
            }
        }
    }
    let style = get("style")
        .and_then(Value::as_str)
        .unwrap_or("expanded")
        .to_ascii_lowercase();
    (paths, style)
}

/// Every `.scss`, `.sass` and `.css` file below the load paths, named by its
/// path relative to `root`. Symlinks are not followed, so nothing outside
/// the site is read.
pub fn read_partials(root: &Path, load_paths: &[String]) -> Vec<Include> {
    let mut out = Vec::new();
    let site_root = super::inside::SiteRoot::new(root);
    for dir in load_paths {
        let base = root.join(dir);
        // A load path that is a symlink out of the site is not read.
        if site_root.check(&base, dir).is_err() {
            continue;
        }
        for entry in walkdir::WalkDir::new(&base)
            .follow_links(false)
            .max_depth(16)
            .sort_by_file_name()
            .into_iter()
            .flatten()
        {
            if !entry.file_type().is_file() {
                continue;
            }
            let path = entry.path();
            let is_sass = path
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| matches!(e, "scss" | "sass" | "css"));
            if !is_sass {
                continue;
            }
            let (Ok(rel), Ok(bytes)) = (path.strip_prefix(root), std::fs::read(path)) else {
                continue;
            };
            out.push(Include {
                name: rel.to_string_lossy().replace('\\', "/"),
                text: String::from_utf8_lossy(&bytes).into_owned(),
            });
        }
    }
    out
}
