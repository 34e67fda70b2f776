//! The Jekyll reader: turns a site folder into the IR, computing URLs, dates,
//! slugs and categories exactly as Jekyll 4.3 does. Nothing here knows about
//! output formats.
//!
//! Modules, one job each: [`config`] (merged settings), [`yaml`] (YAML as
//! Psych reads it), [`frontmatter`] and [`source`] (one file's front matter
//! and body), [`filter`] and [`walk`] (which files), [`document`] (posts,
//! drafts, collection items), [`page`] (pages, static files), [`defaults`]
//! (front matter defaults), [`url`], [`permalink`], [`slug`] and [`dates`]
//! (Jekyll's rules), [`fields`] (front matter → IR fields), [`data`] (`_data`).

pub mod config;
pub mod conflicts;
pub mod data;
pub mod dates;
pub mod defaults;
pub mod document;
pub mod fields;
pub mod filter;
pub mod frontmatter;
pub mod inside;
pub mod page;
pub mod permalink;
pub mod sass;
pub mod site_check;
pub mod slug;
pub mod source;
pub mod url;
pub mod walk;
pub mod yaml;

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diagnostics::{guard, Diagnostic};
use crate::ir::{DocKind, Document, Include, Site};
use document::{DocFile, SiteCtx};

/// Whether an ASCII byte is whitespace as the `regex` crate's `\s` has it
/// (tab, line feed, vertical tab, form feed, carriage return, space): the
/// hand matchers that stand in for regexes on ASCII text share it.
pub(crate) fn is_regex_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ')
}

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
    // The walk counts files as it finds them; how many will be read is
    // known only once it ends.
    crate::progress::count("files", "listing", None);
    let (found, walk_diags) = walk::Walker::new(root, &cfg, &filter, drafts).run();
    diags.extend(walk_diags);

    let ctx = SiteCtx {
        cfg: &cfg,
        defaults: &defaults,
        now: cfg.zone.now(),
    };
    crate::progress::mark("reading documents");
    let files = doc_files(&found, &cfg);
    crate::progress::count("files", "", Some((files.len() + found.pages.len()) as u64));
    let mut documents = read_documents(root, &files, &found.pages, &ctx, &mut diags);
    if !opts.unpublished {
        documents.retain(|d| d.published);
    }
    crate::progress::mark("reading the rest");
    sort_documents(&mut documents, &cfg);
    let static_files = static_files(root, &found, &cfg, &defaults, &mut diags);
    diags.extend(conflicts::check(&documents, &static_files));

    let data = data::read_all(root, &cfg.data_dir, &mut diags);
    let includes = read_includes(root, &cfg.includes_dir, &mut diags);
    let sass = sass::read_partials(root, &sass::settings(&cfg.raw).0);
    plugin_notes(root, &cfg, &mut diags);
    diags.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));

    Ok(Site {
        root: root.to_path_buf(),
        config: config::site_config(&cfg),
        documents,
        data,
        static_files,
        includes,
        sass,
        diagnostics: diags,
        drafts_not_read: found.drafts_not_read,
    })
}

/// The posts, drafts and collection items found, with their collection.
fn doc_files<'c>(found: &walk::Found, cfg: &'c config::Config) -> Vec<DocFile<'c>> {
    // Jekyll's `relative_path` of a document is relative to `collections_dir`.
    let strip_cd = |rel: &str| -> String {
        if cfg.collections_dir.is_empty() {
            rel.to_string()
        } else {
            rel.strip_prefix(&format!("{}/", cfg.collections_dir))
                .unwrap_or(rel)
                .to_string()
        }
    };
    let mut files = Vec::new();
    if let Some(posts) = cfg.collection("posts") {
        let kinds = [
            (DocKind::Post, &found.posts),
            (DocKind::Draft, &found.drafts),
        ];
        for (kind, list) in kinds {
            for p in list {
                files.push(DocFile {
                    kind,
                    collection: posts,
                    source: p.clone(),
                    relative_path: strip_cd(p),
                });
            }
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
    files
}

/// Reads documents and pages. They are independent, so they are read in
/// parallel; diagnostics are gathered in a stable order afterwards.
fn read_documents(
    root: &Path,
    files: &[DocFile<'_>],
    pages: &[String],
    ctx: &SiteCtx<'_>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Document> {
    // Documents and pages in one parallel pass, each result written in
    // its final place; the failed ones are then squeezed out in place.
    // (Gathering them into a second vector copied every document on the
    // one thread: a sixtieth of a 10,000-post run.)
    let jobs: Vec<Job<'_, '_>> = files
        .iter()
        .map(Job::Doc)
        .chain(pages.iter().map(|p| Job::Page(p)))
        .collect();
    let (read, read_diags): (Vec<Option<Document>>, Vec<Vec<Diagnostic>>) = jobs
        .par_iter()
        .map(|job| {
            let read = match job {
                Job::Doc(f) => guarded(&f.source, |d| document::read(root, f, ctx, d)),
                Job::Page(p) => guarded(p, |d| page::read(root, p, ctx.cfg, ctx.defaults, d)),
            };
            crate::progress::tick();
            read
        })
        .unzip();
    diags.extend(read_diags.into_iter().flatten());
    #[allow(clippy::filter_map_identity)] // `flatten` here does not reuse the vector in place
    read.into_iter().filter_map(|d| d).collect()
}

/// One file for [`read_documents`] to read.
enum Job<'f, 'c> {
    /// A post, draft or collection item.
    Doc(&'f DocFile<'c>),
    /// A page.
    Page(&'f str),
}

/// Reads one file with [`guard`]: a panic leaves that file out with an
/// error instead of ending the run.
fn guarded(
    file: &str,
    read: impl FnOnce(&mut Vec<Diagnostic>) -> Option<Document>,
) -> (Option<Document>, Vec<Diagnostic>) {
    let mut d = Vec::new();
    match guard(file, "reading", || read(&mut d)) {
        Ok(doc) => (doc, d),
        Err(bug) => {
            d.push(bug);
            (None, d)
        }
    }
}

/// The static files Jekyll copies: those outside collections, and those of
/// collections it writes (`output: true`).
fn static_files(
    root: &Path,
    found: &walk::Found,
    cfg: &config::Config,
    defaults: &defaults::Defaults,
    diags: &mut Vec<Diagnostic>,
) -> Vec<crate::ir::StaticFile> {
    let mut static_files: Vec<_> = found
        .statics
        .iter()
        .map(|s| page::static_file(root, s))
        .filter(|f| static_published(f, "", defaults, diags))
        .collect();
    let mut unwritten: Vec<(String, usize)> = Vec::new();
    for (label, rel, in_coll) in &found.item_statics {
        let Some(coll) = cfg.collection(label) else {
            continue;
        };
        let file = page::collection_static_file(root, rel, in_coll, coll);
        if !static_published(&file, label, defaults, diags) {
            continue;
        }
        if coll.output {
            static_files.push(file);
        } else {
            match unwritten.iter_mut().find(|(l, _)| l == label) {
                Some((_, n)) => *n += 1,
                None => unwritten.push((label.clone(), 1)),
            }
        }
    }
    for (label, n) in unwritten {
        diags.push(Diagnostic::info(
            "collection-files-not-output",
            format!(
                "{}_{label}",
                if cfg.collections_dir.is_empty() {
                    String::new()
                } else {
                    format!("{}/", cfg.collections_dir)
                }
            ),
            format!(
                "{n} file(s) without front matter in collection {label:?} are not copied: the \
                 collection has no `output: true`, so Jekyll does not write them either"
            ),
        ));
    }
    static_files.sort_by(|a, b| a.source.cmp(&b.source));
    static_files
}

/// Jekyll's orders: posts and drafts by date then path; each collection
/// (in config order) by its `order` list, its `sort_by` key, or date then
/// path; pages by file name.
fn sort_documents(docs: &mut [Document], cfg: &config::Config) {
    use std::cmp::Ordering;
    let coll_rank = |d: &Document| {
        d.collection
            .as_deref()
            .and_then(|c| cfg.collections.iter().position(|x| x.label == c))
            .unwrap_or(usize::MAX)
    };
    let rank = |d: &Document| match d.kind {
        DocKind::Post | DocKind::Draft => 0,
        DocKind::Item => 1,
        DocKind::Page => 2,
    };
    fn file_name(d: &Document) -> &str {
        d.source.rsplit('/').next().unwrap_or("")
    }
    // In parallel (and stable, as `sort_by` was): documents are large to
    // move, and sorting them was a serial step of every run.
    docs.par_sort_by(|a, b| {
        rank(a).cmp(&rank(b)).then_with(|| match a.kind {
            DocKind::Page => file_name(a)
                .cmp(file_name(b))
                .then_with(|| a.source.cmp(&b.source)),
            DocKind::Item => coll_rank(a).cmp(&coll_rank(b)).then_with(|| {
                let coll = a.collection.as_deref().and_then(|c| cfg.collection(c));
                collection_order(a, b, coll)
            }),
            _ => a.date.cmp(&b.date).then_with(|| a.source.cmp(&b.source)),
        })
    });

    /// Two items of the same collection.
    fn collection_order(a: &Document, b: &Document, coll: Option<&config::Collection>) -> Ordering {
        let by_date = || a.date.cmp(&b.date).then_with(|| a.source.cmp(&b.source));
        let Some(coll) = coll else {
            return by_date();
        };
        if let Some(serde_json::Value::Array(order)) = coll.metadata.get("order") {
            // Listed files first, in the listed order; the rest after.
            let dir = format!("{}/", coll.relative_directory());
            let pos = |d: &Document| {
                let in_coll = d.source.split_once(&dir).map_or("", |(_, r)| r);
                order
                    .iter()
                    .position(|o| o.as_str() == Some(in_coll))
                    .unwrap_or(usize::MAX)
            };
            return pos(a).cmp(&pos(b)).then_with(by_date);
        }
        if let Some(key) = coll
            .metadata
            .get("sort_by")
            .and_then(serde_json::Value::as_str)
        {
            let (va, vb) = (a.front_matter.get(key), b.front_matter.get(key));
            let ord = match (va, vb) {
                (Some(x), Some(y)) => compare_values(x, y),
                (None, Some(_)) => Ordering::Greater,
                (Some(_), None) => Ordering::Less,
                (None, None) => Ordering::Equal,
            };
            return ord.then_with(by_date);
        }
        by_date()
    }

    fn compare_values(x: &serde_json::Value, y: &serde_json::Value) -> Ordering {
        use serde_json::Value;
        match (x, y) {
            (Value::Number(a), Value::Number(b)) => a
                .as_f64()
                .partial_cmp(&b.as_f64())
                .unwrap_or(Ordering::Equal),
            (Value::String(a), Value::String(b)) => a.cmp(b),
            _ => Ordering::Equal,
        }
    }
}

/// Whether Jekyll writes a static file: front matter defaults for its URL
/// can set `published: false`.
fn static_published(
    file: &crate::ir::StaticFile,
    kind: &str,
    defaults: &defaults::Defaults,
    diags: &mut Vec<Diagnostic>,
) -> bool {
    let values = defaults.all(&file.url, kind);
    if values.get("published") == Some(&serde_json::Value::Bool(false)) {
        diags.push(Diagnostic::info(
            "static-unpublished",
            &file.source,
            "front matter defaults set `published: false` for it, so it is not copied, as in Jekyll",
        ));
        return false;
    }
    true
}

/// Every file of `_includes`, by its path below it. Symlinks are followed
/// only inside the site.
fn read_includes(root: &Path, dir: &str, diags: &mut Vec<Diagnostic>) -> Vec<Include> {
    let base = root.join(dir);
    let site_root = inside::SiteRoot::new(root);
    let mut out = Vec::new();
    let mut refused = Vec::new();
    let entries = walkdir::WalkDir::new(&base)
        .follow_links(true)
        .max_depth(32)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let rel = e.path().strip_prefix(root).unwrap_or(e.path());
            match site_root.check(e.path(), &rel.to_string_lossy()) {
                Ok(()) => true,
                Err(d) => {
                    refused.push(d);
                    false
                }
            }
        });
    for entry in entries {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                if let (Some(path), Some(_)) = (e.path(), e.loop_ancestor()) {
                    let rel = path.strip_prefix(root).unwrap_or(path);
                    diags.push(Diagnostic::warning(
                        "symlink-loop",
                        rel.to_string_lossy(),
                        "a symlink to a folder that holds it (a loop); it is not followed",
                    ));
                }
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(&base) else {
            continue;
        };
        let shown = format!("{dir}/{}", rel.to_string_lossy());
        if entry
            .metadata()
            .is_ok_and(|m| m.len() > source::MAX_DOCUMENT_BYTES)
        {
            let len = entry.metadata().map(|m| m.len()).unwrap_or(0);
            diags.push(source::too_large(&shown, len, "include"));
            continue;
        }
        let Ok(bytes) = std::fs::read(entry.path()) else {
            continue;
        };
        out.push(Include {
            name: rel.to_string_lossy().replace('\\', "/"),
            text: String::from_utf8_lossy(&bytes).into_owned(),
        });
    }
    diags.extend(refused);
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
    for key in ["theme", "remote_theme"] {
        if let Some(name) = cfg.raw.get(key).and_then(fields::to_s) {
            diags.push(Diagnostic::warning(
                "theme",
                "_config.yml",
                format!(
                    "`{key}: {name}`: the theme's layouts, includes, Sass and assets live outside \
                     the site and are not read; includes the posts use from it will be missing"
                ),
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
