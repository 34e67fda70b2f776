//! Finding the site's files the way Jekyll's `Reader` walks the source:
//! pages and static files folder by folder, posts and drafts in every
//! `_posts`/`_drafts` met on the way, and collection folders.
//!
//! Symlinks are followed only when they point inside the site (a link out
//! of the site, or a broken one, is reported and skipped), and a folder is
//! never walked twice, so a symlink loop ends.

use crate::fast_hash::FastSet as HashSet;
use std::path::{Path, PathBuf};

use super::config::Config;
use super::document::{dated_name, DATELESS_FILENAME};
use super::filter::EntryFilter;
use super::frontmatter::has_yaml_header;
use super::inside::SiteRoot;
use crate::diagnostics::Diagnostic;

/// The files found, as paths relative to the site root.
#[derive(Debug, Default)]
pub struct Found {
    /// Files with front matter outside special folders.
    pub pages: Vec<String>,
    /// Files without front matter outside special folders.
    pub statics: Vec<String>,
    /// Files of `_posts` folders named `YYYY-MM-DD-slug.ext`.
    pub posts: Vec<String>,
    /// Files of `_drafts` folders (when drafts are read).
    pub drafts: Vec<String>,
    /// How many drafts `_drafts` folders hold when drafts are not read, so
    /// a summary can say they were left out.
    pub drafts_not_read: usize,
    /// Collection files with front matter: (label, path from root, path in
    /// the collection folder).
    pub items: Vec<(String, String, String)>,
    /// Collection files without front matter, same shape.
    pub item_statics: Vec<(String, String, String)>,
}

/// Walks the site.
pub struct Walker<'a> {
    root: &'a Path,
    site_root: SiteRoot,
    cfg: &'a Config,
    filter: &'a EntryFilter,
    drafts: bool,
    visited: HashSet<PathBuf>,
    /// The folders that listing their parent showed (by the directory
    /// entry's type, so no symlinks): [`Walker::kind`] then needs no
    /// `stat` for them. Files are told by [`Walker::list`] itself.
    listed_dirs: HashSet<String>,
    /// Problems met on the way.
    pub diags: Vec<Diagnostic>,
    /// What was found.
    pub found: Found,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    File,
    Dir,
}

fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    }
}

impl<'a> Walker<'a> {
    /// A walker over `root`.
    pub fn new(root: &'a Path, cfg: &'a Config, filter: &'a EntryFilter, drafts: bool) -> Self {
        Walker {
            root,
            site_root: SiteRoot::new(root),
            cfg,
            filter,
            drafts,
            visited: HashSet::default(),
            listed_dirs: HashSet::default(),
            diags: Vec::new(),
            found: Found::default(),
        }
    }

    /// Walks everything: the site folders, then the collections.
    pub fn run(mut self) -> (Found, Vec<Diagnostic>) {
        self.read_directories("");
        self.read_collections();
        (self.found, self.diags)
    }

    /// What `rel` is, following symlinks that stay inside the site.
    fn kind(&mut self, rel: &str) -> Option<Kind> {
        if self.listed_dirs.contains(rel) {
            return Some(Kind::Dir);
        }
        let abs = self.root.join(rel);
        if let Err(d) = self.site_root.check(&abs, rel) {
            self.diags.push(d);
            return None;
        }
        let meta = std::fs::metadata(&abs).ok()?;
        if meta.is_dir() {
            Some(Kind::Dir)
        } else if meta.is_file() {
            Some(Kind::File)
        } else {
            // A FIFO would block the read forever; devices and sockets are
            // no site content either.
            self.diags.push(super::inside::special_file(rel));
            None
        }
    }

    /// Sorted names in a folder, each with what its directory entry says
    /// it is (`None` for a symlink or anything else, which
    /// [`Walker::kind`] then checks); `None` when the folder was walked
    /// already (a symlink loop) or cannot be listed.
    fn list(&mut self, rel: &str) -> Option<Vec<(String, Option<Kind>)>> {
        let abs = self.root.join(rel);
        let canon = abs.canonicalize().ok()?;
        if self.visited.contains(&canon) {
            self.diags.extend(super::inside::revisit(&abs, &canon, rel));
            return None;
        }
        self.visited.insert(canon);
        let rd = match std::fs::read_dir(&abs) {
            Ok(rd) => rd,
            Err(e) => {
                self.diags.push(Diagnostic::error(
                    "unreadable",
                    if rel.is_empty() { "." } else { rel },
                    format!("could not list the folder: {e}; its files are left out"),
                ));
                return None;
            }
        };
        let mut names: Vec<(String, Option<Kind>)> = Vec::new();
        for entry in rd.flatten() {
            match entry.file_name().into_string() {
                Ok(n) => {
                    // A symlink's type says nothing of its target; it gets
                    // the full check.
                    let kind = entry.file_type().ok().and_then(|t| {
                        if t.is_dir() {
                            Some(Kind::Dir)
                        } else if t.is_file() {
                            Some(Kind::File)
                        } else {
                            None
                        }
                    });
                    if kind == Some(Kind::Dir) {
                        // `rel` may end in `/` (the top of a collection).
                        self.listed_dirs.insert(join(rel.trim_end_matches('/'), &n));
                    }
                    names.push((n, kind))
                }
                Err(raw) => self.diags.push(Diagnostic::error(
                    "file-name",
                    join(rel, &raw.to_string_lossy()),
                    "a file name that is not UTF-8; it is left out; rename it",
                )),
            }
        }
        names.sort_by(|a, b| a.0.cmp(&b.0));
        Some(names)
    }

    /// Jekyll's `read_directories`.
    fn read_directories(&mut self, dir: &str) {
        let Some(names) = self.list(dir) else {
            return;
        };
        let mut subdirs = Vec::new();
        for (name, listed) in names {
            let rel = join(dir, &name);
            let Some(kind) = listed.or_else(|| self.kind(&rel)) else {
                continue;
            };
            if !self.filter.keep(&name, &rel, kind == Kind::Dir) {
                continue;
            }
            match kind {
                Kind::Dir => subdirs.push(rel),
                Kind::File => {
                    crate::progress::tick();
                    let head = read_head(&self.root.join(&rel));
                    if has_yaml_header(&head) {
                        self.found.pages.push(rel);
                    } else {
                        if head.starts_with(b"\xEF\xBB\xBF---") {
                            self.diags.push(Diagnostic::warning(
                                "bom-front-matter",
                                &rel,
                                "front matter after a byte-order mark: Jekyll does not see it \
                                 and copies the file as it is; so does this tool; remove the \
                                 mark to make it a page",
                            ));
                        }
                        self.found.statics.push(rel);
                    }
                }
            }
        }
        self.retrieve_posts(dir);
        for sub in subdirs {
            self.read_directories(&sub);
        }
    }

    /// Posts (and drafts) of `dir/_posts` (`dir/_drafts`).
    fn retrieve_posts(&mut self, dir: &str) {
        let cd = &self.cfg.collections_dir;
        if !cd.is_empty() && !dir.starts_with(cd.as_str()) {
            return;
        }
        for rel in self.entries_below(&join(dir, "_posts"), false) {
            let in_posts = rel.rsplit_once("_posts/").map_or(rel.as_str(), |(_, r)| r);
            if dated_name(in_posts).is_none() {
                continue;
            }
            let lower = rel.to_lowercase();
            if lower.ends_with(".yml") || lower.ends_with(".yaml") {
                // Jekyll reads a YAML "post" as data with no content and
                // then leaves it out.
                self.diags.push(Diagnostic::info(
                    "yaml-post",
                    &rel,
                    "a YAML file in _posts; Jekyll leaves it out, and so does this tool",
                ));
                continue;
            }
            self.found.posts.push(rel);
        }
        // Listed either way: read with --drafts, only counted without (and
        // then quietly: a draft nobody asked for earns no diagnostic).
        let quiet_from = self.diags.len();
        let drafts: Vec<String> = self
            .entries_below(&join(dir, "_drafts"), false)
            .into_iter()
            .filter(|rel| DATELESS_FILENAME.is_match(rel))
            .collect();
        if self.drafts {
            self.found.drafts.extend(drafts);
        } else {
            self.diags.truncate(quiet_from);
            self.found.drafts_not_read += drafts.len();
        }
    }

    /// Every file below `base` (relative to the root) that the entry filter
    /// keeps, as Jekyll's `Dir["**/*"]` lists them (`dotmatch`: hidden ones
    /// too, as collections list them).
    fn entries_below(&mut self, base: &str, dotmatch: bool) -> Vec<String> {
        let mut out = Vec::new();
        if self.kind(base) != Some(Kind::Dir) {
            return out;
        }
        let mut stack = vec![String::new()];
        while let Some(sub) = stack.pop() {
            let Some(names) = self.list(&join(base, &sub)) else {
                continue;
            };
            for (name, listed) in names.into_iter().rev() {
                if !dotmatch && name.starts_with('.') {
                    continue;
                }
                let entry = join(&sub, &name);
                let rel = join(base, &entry);
                match listed.or_else(|| self.kind(&rel)) {
                    Some(Kind::Dir) => stack.push(entry),
                    Some(Kind::File) if self.filter.keep(&entry, &rel, false) => {
                        crate::progress::tick();
                        out.push(rel);
                    }
                    _ => {}
                }
            }
        }
        out.sort();
        out
    }

    /// Every collection but posts.
    fn read_collections(&mut self) {
        let labels: Vec<String> = self
            .cfg
            .collections
            .iter()
            .map(|c| c.label.clone())
            .filter(|l| l != "posts" && l != "data")
            .collect();
        for label in labels {
            let dir = join(&self.cfg.collections_dir, &format!("_{label}"));
            let prefix = format!("{dir}/");
            for rel in self.entries_below(&dir, true) {
                let in_coll = rel.strip_prefix(&prefix).unwrap_or(&rel).to_string();
                let head = read_head(&self.root.join(&rel));
                let item = (label.clone(), rel, in_coll);
                if has_yaml_header(&head) {
                    self.found.items.push(item);
                } else {
                    self.found.item_statics.push(item);
                }
            }
        }
    }
}

/// The first bytes of a file, enough for the front matter test.
fn read_head(path: &Path) -> Vec<u8> {
    use std::io::Read;
    let mut buf = vec![0u8; 512];
    let Ok(mut f) = std::fs::File::open(path) else {
        return Vec::new();
    };
    let mut filled = 0;
    while filled < buf.len() {
        match f.read(&mut buf[filled..]) {
            Ok(0) | Err(_) => break,
            Ok(n) => filled += n,
        }
    }
    buf.truncate(filled);
    buf
}
