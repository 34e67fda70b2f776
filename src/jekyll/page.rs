//! Pages (files with front matter outside the special folders) and static
//! files, with the URLs Jekyll gives them.

use std::path::Path;

use super::config::{deep_merge, Collection, Config};
use super::defaults::Defaults;
use super::fields;
use super::source::{self, extname};
use super::url;
use crate::diagnostics::Diagnostic;
use crate::ir::{DocKind, Document, StaticFile};

/// Splits `a/b/c.md` into (`a/b`, `c.md`).
fn split_dir(rel: &str) -> (&str, &str) {
    match rel.rfind('/') {
        Some(i) => (&rel[..i], &rel[i + 1..]),
        None => ("", rel),
    }
}

/// Reads one page (`rel` relative to the site root).
pub fn read(
    root: &Path,
    rel: &str,
    cfg: &Config,
    defaults: &Defaults,
    diags: &mut Vec<Diagnostic>,
) -> Option<Document> {
    let src = source::read(&root.join(rel), rel, diags)?;
    let mut data = defaults.all(rel, "pages");
    deep_merge(&mut data, &src.data);

    let (dir, name) = split_dir(rel);
    let ext = extname(name).to_string();
    let basename = name[..name.len() - ext.len()]
        .trim_end_matches('.')
        .to_string();

    let mut doc = Document::new(DocKind::Page, rel.to_string());
    doc.ext = ext.clone();
    doc.body = src.body;
    doc.body_line = src.body_line;
    fields::fill_common(&mut doc, &data, cfg, diags);
    doc.slug = basename.clone();
    doc.date = fields::date_of(
        data.get("date"),
        "date",
        cfg,
        rel,
        fields::DateUse::Informational,
        diags,
    );
    doc.categories = fields::plural_list(data.get("categories"));
    fields::union(
        &mut doc.categories,
        fields::singular_list(data.get("category")),
    );
    doc.tags = fields::plural_list(data.get("tags"));
    fields::union(&mut doc.tags, fields::singular_list(data.get("tag")));

    if doc.permalink.as_deref() == Some("") {
        diags.push(Diagnostic::error(
            "permalink-empty",
            rel,
            "`permalink` is empty (Jekyll stops the build here); the default URL is used",
        ));
        doc.permalink = None;
    }
    let out_ext = fields::output_ext(&ext, doc.permalink.as_deref(), cfg);
    let html = matches!(out_ext.as_str(), ".html" | ".xhtml" | ".htm");
    let template = if !html {
        "/:path/:basename:output_ext".to_string()
    } else if basename == "index" {
        "/:path/".to_string()
    } else {
        url::add_permalink_suffix("/:path/:basename", &cfg.permalink_style)
    };
    let path = if dir.is_empty() {
        String::new()
    } else {
        format!("/{dir}")
    };
    let chosen = doc.permalink.clone().unwrap_or(template);
    let filled = url::fill_from_list(
        &chosen,
        &[
            ("path", Some(&path)),
            ("basename", Some(&basename)),
            ("output_ext", Some(&out_ext)),
        ],
    );
    doc.url = url::sanitize_url(&filled);

    doc.front_matter = data;
    Some(doc)
}

/// A static file outside any collection.
pub fn static_file(root: &Path, rel: &str) -> StaticFile {
    let ext = extname(rel);
    let cleaned = rel[..rel.len() - ext.len()].trim_end_matches('.');
    let path = root.join(rel);
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    StaticFile {
        source: rel.to_string(),
        url: format!("/{cleaned}{ext}"),
        path,
        size,
    }
}

/// A static file inside a collection: its URL follows the collection's
/// template. `rel` is relative to the site root, `in_coll` to the
/// collection folder.
pub fn collection_static_file(
    root: &Path,
    rel: &str,
    in_coll: &str,
    coll: &Collection,
) -> StaticFile {
    let name = in_coll.rsplit('/').next().unwrap_or(in_coll);
    let ext = extname(name);
    let rel_dir = coll.relative_directory();
    let rel_path = format!("{rel_dir}/{in_coll}");
    let cleaned = rel_path[..rel_path.len() - ext.len()]
        .trim_end_matches('.')
        .replacen(&rel_dir, "", 1);
    let basename = &name[..name.len() - ext.len()];
    let filled = url::fill_from_list(
        &coll.url_template,
        &[
            ("collection", Some(&coll.label)),
            ("path", Some(&cleaned)),
            ("output_ext", Some("")),
            ("name", Some(basename)),
            ("title", Some("")),
        ],
    );
    let base = url::sanitize_url(&filled);
    let path = root.join(rel);
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    StaticFile {
        source: rel.to_string(),
        url: format!("{}{ext}", base.trim_end_matches('/')),
        path,
        size,
    }
}
