//! The Jekyll reader: turns a site folder into the IR, computing URLs, dates,
//! slugs and categories exactly as Jekyll 4.3 does. Nothing here knows about
//! output formats.
//!
//! Modules, one job each: [`config`] (merged settings), [`yaml`] (YAML as
//! Psych reads it), [`frontmatter`] and [`source`] (one file's front matter
//! and body), [`filter`] and [`walk`] (which files), [`document`] (posts,
//! drafts, collection items), [`page`] (pages, static files), [`defaults`]
//! (front matter defaults), [`url`], [`slug`] and [`dates`] (Jekyll's
//! rules), [`fields`] (front matter → IR fields), [`data`] (`_data`).

pub mod config;
pub mod data;
pub mod dates;
pub mod defaults;
pub mod document;
pub mod fields;
pub mod filter;
pub mod frontmatter;
pub mod page;
pub mod slug;
pub mod source;
pub mod url;
pub mod walk;
pub mod yaml;

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diagnostics::Diagnostic;
use crate::ir::{DocKind, Document, Include, Site};
use document::{DocFile, SiteCtx};

/// What to read and how.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// Config files to read instead of `_config.yml` (`--config a.yml,b.yml`),
    /// relative to the current folder.
    pub config_files: Vec<PathBuf>,
    /// Read `_drafts` too (`--drafts`).
    pub drafts: bool,
    /// Keep `published: false` documents (`--unpublished`); they are marked
    /// unpublished either way.
    pub unpublished: bool,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            config_files: Vec::new(),
            drafts: false,
            unpublished: true,
        }
    }
}

/// Why a site could not be read at all.
#[derive(Debug)]
pub struct ReadError {
    /// The path at fault.
    pub path: PathBuf,
    /// What went wrong and what to do.
    pub message: String,
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.message)
    }
}

impl std::error::Error for ReadError {}

/// Reads the whole site at `root`. Problems with single files become
/// diagnostics in the returned site; only an unusable root is an error.
pub fn read_site(root: &Path, opts: &ReadOptions) -> Result<Site, ReadError> {
    if !root.is_dir() {
        return Err(ReadError {
            path: root.to_path_buf(),
            message: "is not a folder; give the folder that holds _config.yml".into(),
        });
    }
    if let Err(e) = std::fs::read_dir(root) {
        return Err(ReadError {
            path: root.to_path_buf(),
            message: format!("cannot be listed ({e}); check its permissions"),
        });
    }
    for f in &opts.config_files {
        if !f.is_file() {
            return Err(ReadError {
                path: f.clone(),
                message: "config file not found; --config takes files relative to the current \
                          folder, comma separated"
                    .into(),
            });
        }
    }
    let mut diags: Vec<Diagnostic> = Vec::new();
    let cfg = config::load(root, &opts.config_files, &mut diags);
    let defaults = defaults::Defaults::new(&cfg.raw, &cfg.collections_dir, &mut diags);
    let filter = filter::EntryFilter::new(&cfg.include, &cfg.exclude);
    // `show_drafts: true` in the config reads drafts as `--drafts` does.
    let drafts = opts.drafts || cfg.raw.get("show_drafts") == Some(&serde_json::Value::Bool(true));
    let (found, walk_diags) = walk::Walker::new(root, &cfg, &filter, drafts).run();
    diags.extend(walk_diags);

    let ctx = SiteCtx {
        cfg: &cfg,
        defaults: &defaults,
        now: cfg.zone.now(),
    };
    let posts = cfg.collection("posts");
    let strip_cd = |rel: &str| -> String {
        if cfg.collections_dir.is_empty() {
            rel.to_string()
        } else {
            rel.strip_prefix(&format!("{}/", cfg.collections_dir))
                .unwrap_or(rel)
                .to_string()
        }
    };
    let mut files: Vec<DocFile<'_>> = Vec::new();
    if let Some(posts) = posts {
        for p in &found.posts {
            files.push(DocFile {
                kind: DocKind::Post,
                collection: posts,
                source: p.clone(),
                relative_path: strip_cd(p),
            });
        }
        for p in &found.drafts {
            files.push(DocFile {
                kind: DocKind::Draft,
                collection: posts,
                source: p.clone(),
                relative_path: strip_cd(p),
            });
        }
    }
    for (label, rel, _) in &found.items {
        if let Some(coll) = cfg.collection(label) {
            files.push(DocFile {
                kind: DocKind::Item,
                collection: coll,
                source: rel.clone(),
                relative_path: strip_cd(rel),
            });
        }
    }

    // Documents and pages are independent: read them in parallel, keep the
    // order stable afterwards.
    let read_docs: Vec<(Option<Document>, Vec<Diagnostic>)> = files
        .par_iter()
        .map(|f| {
            let mut d = Vec::new();
            let doc = document::read(root, f, &ctx, &mut d);
            (doc, d)
        })
        .collect();
    let read_pages: Vec<(Option<Document>, Vec<Diagnostic>)> = found
        .pages
        .par_iter()
        .map(|p| {
            let mut d = Vec::new();
            let doc = page::read(root, p, &cfg, &defaults, &mut d);
            (doc, d)
        })
        .collect();
    let mut documents = Vec::new();
    for (doc, d) in read_docs.into_iter().chain(read_pages) {
        diags.extend(d);
        if let Some(doc) = doc {
            if doc.published || opts.unpublished {
                documents.push(doc);
            }
        }
    }
    sort_documents(&mut documents);

    let mut static_files: Vec<_> = found
        .statics
        .iter()
        .map(|s| page::static_file(root, s))
        .collect();
    for (label, rel, in_coll) in &found.item_statics {
        if let Some(coll) = cfg.collection(label) {
            static_files.push(page::collection_static_file(root, rel, in_coll, coll));
        }
    }
    static_files.sort_by(|a, b| a.source.cmp(&b.source));

    let data = data::read_all(root, &cfg.data_dir, &mut diags);
    let includes = read_includes(root, &cfg.includes_dir);
    plugin_notes(root, &cfg, &mut diags);
    diags.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));

    Ok(Site {
        root: root.to_path_buf(),
        config: config::site_config(&cfg),
        documents,
        data,
        static_files,
        includes,
        diagnostics: diags,
    })
}

/// Posts and drafts by date then path (Jekyll's order), then collection
/// items by collection and path, then pages by path.
fn sort_documents(docs: &mut [Document]) {
    docs.sort_by(|a, b| {
        let rank = |d: &Document| match d.kind {
            DocKind::Post | DocKind::Draft => 0,
            DocKind::Item => 1,
            DocKind::Page => 2,
        };
        rank(a)
            .cmp(&rank(b))
            .then_with(|| match (a.kind, b.kind) {
                (DocKind::Item, DocKind::Item) => a.collection.cmp(&b.collection),
                (DocKind::Post | DocKind::Draft, _) => a.date.cmp(&b.date),
                _ => std::cmp::Ordering::Equal,
            })
            .then_with(|| a.source.cmp(&b.source))
    });
}

/// Every file of `_includes`, by its path below it.
fn read_includes(root: &Path, dir: &str) -> Vec<Include> {
    let base = root.join(dir);
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(&base)
        .follow_links(true)
        .max_depth(32)
        .sort_by_file_name()
        .into_iter()
        .flatten()
    {
        if !entry.file_type().is_file() {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(&base) else {
            continue;
        };
        let Ok(bytes) = std::fs::read(entry.path()) else {
            continue;
        };
        out.push(Include {
            name: rel.to_string_lossy().replace('\\', "/"),
            text: String::from_utf8_lossy(&bytes).into_owned(),
        });
    }
    out
}

/// Notes about plugins: Ruby code in `_plugins` is not run, and plugins
/// named in the config are not available.
fn plugin_notes(root: &Path, cfg: &config::Config, diags: &mut Vec<Diagnostic>) {
    let dir = root.join(&cfg.plugins_dir);
    if let Ok(rd) = std::fs::read_dir(&dir) {
        let mut names: Vec<String> = rd
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".rb"))
            .collect();
        names.sort();
        for n in names {
            diags.push(Diagnostic::warning(
                "plugin-not-run",
                format!("{}/{n}", cfg.plugins_dir),
                "a Ruby plugin: its tags, filters and generators are not run; what it adds to \
                 the site is missing unless the content layer reports a replacement",
            ));
        }
    }
    let plugins = config::site_config(cfg).plugins;
    for p in plugins {
        diags.push(Diagnostic::info(
            "plugin",
            "_config.yml",
            format!(
                "the site uses the plugin {p}; only what this tool knows of it is carried over"
            ),
        ));
    }
}
