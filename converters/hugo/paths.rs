//! Where each document goes in `content/` and at which URL Hugo serves it.
//!
//! Every document gets an explicit `url` equal to the path Jekyll wrote it
//! at (Hugo writes `x.html` for a `url` ending in `.html`, and
//! `x/index.html` for one ending in `/`), so content paths only need to be
//! tidy and free of Hugo's bundle rules: a page named `index.*` becomes
//! `_index.*` (a section's own page) whenever other content sits below its
//! folder, since a leaf bundle would swallow that content.

use rayon::prelude::*;
use std::collections::BTreeSet;

use crate::fast_hash::{FastMap as HashMap, FastSet as HashSet};

use crate::ir::{DocKind, Document, Format, Site};

pub use crate::urls::percent_decode;

/// The path Jekyll writes a URL's file at, as a URL path: unescaped, with
/// `.` and `..` resolved and clamped at the root (as Jekyll's
/// `in_dest_dir` does), a leading `/`, and the trailing `/` kept.
pub fn served_path(url: &str) -> String {
    let decoded = percent_decode(url);
    let trailing = decoded.ends_with('/') || decoded.is_empty();
    let mut parts: Vec<&str> = Vec::new();
    for p in decoded.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    let mut s = format!("/{}", parts.join("/"));
    if trailing && s != "/" {
        s.push('/');
    }
    s
}

/// Characters Hugo cannot take in a page `url` or alias: it parses them as
/// URLs, so `%` (it panics on a bad escape), `#` and `?` cannot appear, and
/// it reads `:name` as one of its permalink tokens (`/:title/` became the
/// title; an unknown one made it panic).
const NOT_SERVABLE: [char; 5] = ['%', '#', '?', '\\', ':'];

/// Whether Hugo can take `served` as a page `url` or alias.
pub fn hugo_can_serve(served: &str) -> bool {
    !served.contains(NOT_SERVABLE)
}

/// A served path Hugo accepts, for a page whose Jekyll path it cannot take:
/// the offending characters become `-`.
pub fn hugo_safe(served: &str) -> String {
    served.replace(NOT_SERVABLE, "-")
}

/// `served` with `-n` added to its last name (before an extension).
pub fn numbered(served: &str, n: usize) -> String {
    let (base, slash) = match served.strip_suffix('/') {
        Some(b) => (b, "/"),
        None => (served, ""),
    };
    let (dir, last) = base.rsplit_once('/').unwrap_or(("", base));
    let last = match last.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() && slash.is_empty() => format!("{stem}-{n}.{ext}"),
        _ => format!("{last}-{n}"),
    };
    format!("{dir}/{last}{slash}")
}

/// The file below `public/` that serves a served path (`/a/` →
/// `a/index.html`, `/a.html` → `a.html`, `/a` → `a/index.html`: Hugo's
/// choice for a `url` without an extension).
pub fn public_file(served: &str) -> String {
    let rel = served.trim_start_matches('/');
    if rel.is_empty() {
        "index.html".into()
    } else if rel.ends_with('/') {
        format!("{rel}index.html")
    } else if rel
        .rsplit('/')
        .next()
        .is_some_and(|last| last.contains('.'))
    {
        rel.to_string()
    } else {
        format!("{rel}/index.html")
    }
}

/// The file below `public/` Hugo writes an alias at: the alias itself when
/// it ends in `.html`, else `<alias>/index.html` (whatever its extension).
pub fn alias_file(served: &str) -> String {
    let rel = served.trim_start_matches('/');
    // `/a.html/` is `a.html` to Hugo too.
    let file = rel.trim_end_matches('/');
    if file.ends_with(".html") {
        file.to_string()
    } else if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        format!("{rel}/index.html")
    }
}

/// The folder below a taxonomy's Hugo makes a term's page in, as near as
/// its URL rules go: white space becomes `-`, letters, digits and
/// `-_#+~@./\` stay, the rest goes.
pub fn term_path(term: &str) -> String {
    term.trim()
        .chars()
        .filter_map(|c| {
            if c.is_whitespace() {
                Some('-')
            } else if c.is_alphanumeric() || "-_#+~@./\\".contains(c) {
                Some(c)
            } else {
                None
            }
        })
        .collect()
}

/// Every distinct `(taxonomy, term)` of the site's documents (a big blog
/// repeats a few hundred terms over thousands of posts).
pub fn site_terms(site: &Site) -> HashSet<(&'static str, &str)> {
    let mut terms = HashSet::default();
    for d in &site.documents {
        for t in &d.tags {
            terms.insert(("tags", t.as_str()));
        }
        for t in &d.categories {
            terms.insert(("categories", t.as_str()));
        }
    }
    terms
}

/// Whether Hugo writes `file` (below `public/`) itself: the home page's
/// feed, the sitemap, and each taxonomy's list page and feed. An alias
/// there, or below it as a folder, fails the build.
pub fn hugo_generated(file: &str, taxonomies: &[&str]) -> bool {
    matches!(file, "index.html" | "index.xml" | "sitemap.xml")
        || file.split_once('/').is_some_and(|(t, rest)| {
            taxonomies.contains(&t) && matches!(rest, "index.html" | "index.xml")
        })
}

/// The content path of every document (by index into `site.documents`),
/// relative to `content/`; `None` for documents that are not Hugo content
/// (formats other than Markdown and HTML).
pub fn content_paths(site: &Site, served: &[String], taxonomies: &[&str]) -> Vec<Option<String>> {
    let mut planned: Vec<Option<(String, String, String)>> = site
        .documents
        .par_iter()
        .map(|d| base_path(site, d).map(|(dir, stem)| (dir, stem, ext(d).to_string())))
        .collect();
    // Folders that hold content, and the top-level sections Hugo will create.
    let mut dirs_with_content: HashMap<String, usize> = HashMap::default();
    let mut sections: BTreeSet<String> = BTreeSet::new();
    for (dir, _, _) in planned.iter().flatten() {
        let mut acc = String::new();
        for part in dir.split('/').filter(|p| !p.is_empty()) {
            if acc.is_empty() {
                sections.insert(part.to_string());
            }
            if !acc.is_empty() {
                acc.push('/');
            }
            acc.push_str(part);
        }
        // Count the file against every ancestor folder (and the root).
        let mut a = String::new();
        *dirs_with_content.entry(String::new()).or_insert(0) += 1;
        for part in dir.split('/').filter(|p| !p.is_empty()) {
            if !a.is_empty() {
                a.push('/');
            }
            a.push_str(part);
            *dirs_with_content.entry(a.clone()).or_insert(0) += 1;
        }
    }
    for t in taxonomies {
        sections.insert((*t).to_string());
    }
    // The terms Hugo makes a page for, as `taxonomy/term` folders: wanted
    // only when a page is served inside a taxonomy's folder.
    let in_taxonomy = served.iter().any(|s| {
        taxonomies.iter().any(|t| {
            s.strip_prefix('/')
                .and_then(|s| s.strip_prefix(t))
                .is_some_and(|r| r.len() > 1)
        })
    });
    let terms = if in_taxonomy {
        site_terms(site)
    } else {
        HashSet::default()
    };
    let term_dirs: HashSet<String> = terms
        .into_iter()
        .filter(|(taxonomy, t)| {
            taxonomies.contains(taxonomy) && super::front_matter::term_trouble(t).is_none()
        })
        .map(|(taxonomy, t)| format!("{taxonomy}/{}", term_path(t)))
        .collect();
    // A page served where Hugo puts a list page (home, a section, a
    // taxonomy) becomes that list's own `_index` page, or the two collide.
    for (i, d) in site.documents.iter().enumerate() {
        let Some((dir, stem, _)) = planned[i].as_mut() else {
            continue;
        };
        let Some(served) = served.get(i) else {
            continue;
        };
        if served == "/" && d.kind == DocKind::Page {
            *dir = String::new();
            *stem = "_index".into();
            continue;
        }
        let trimmed = served.trim_matches('/');
        // Content below that folder other than this page makes it a section.
        let own = usize::from(dir.as_str() == trimmed);
        let others = dirs_with_content.get(trimmed).copied().unwrap_or(0) > own;
        // Alone in its folder under another name, it would still make the
        // folder a section, whose list page Hugo puts at this same URL.
        let alone_under_its_url = own == 1 && stem != "index";
        let list_page = sections.contains(trimmed)
            && (others || alone_under_its_url || taxonomies.contains(&trimmed));
        if served.ends_with('/') && !trimmed.is_empty() && !trimmed.contains('/') && list_page {
            *dir = trimmed.to_string();
            *stem = "_index".into();
        } else if served.ends_with('/') && term_dirs.contains(trimmed) {
            // A Jekyll archive page for a term (`/tags/x/`) is the page Hugo
            // makes for that term: its content and title, at its URL.
            *dir = trimmed.to_string();
            *stem = "_index".into();
        } else if stem == "index" && dirs_with_content.get(dir.as_str()).copied().unwrap_or(0) > 1 {
            *stem = "_index".into();
        }
    }
    // Make every path unique (the first keeps its name). Each path and the
    // name Hugo knows it by are made in parallel; only a clash, which is
    // rare, makes new ones in the ordered pass.
    let first: Vec<Option<(String, String)>> = planned
        .par_iter()
        .map(|p| {
            let (dir, stem, ext) = p.as_ref()?;
            let path = join_path(dir, stem, ext);
            let key = logical(dir, &path);
            Some((path, key))
        })
        .collect();
    let mut used: HashSet<String> = HashSet::default();
    planned
        .into_iter()
        .zip(first)
        .map(|(p, first)| {
            let (dir, stem, ext) = p?;
            let (mut path, mut key) = first?;
            let mut n = 2;
            while used.contains(&key) {
                path = join_path(&dir, &format!("{}-{n}", stem.trim_start_matches('_')), &ext);
                key = logical(&dir, &path);
                n += 1;
            }
            used.insert(key);
            Some(path)
        })
        .collect()
}

/// `dir/stemext`, or `stemext` at the top.
fn join_path(dir: &str, stem: &str, ext: &str) -> String {
    if dir.is_empty() {
        format!("{stem}{ext}")
    } else {
        format!("{dir}/{stem}{ext}")
    }
}

/// The path Hugo identifies a content file by: no extension, `index` and
/// `_index` standing for their folder, lower case, spaces as `-` (so
/// `a.html` and `a/_index.md` are the same page to Hugo).
fn logical(dir: &str, path: &str) -> String {
    let file = path.rsplit('/').next().unwrap_or(path);
    let stem = file.rsplit_once('.').map_or(file, |(s, _)| s);
    let key = if stem == "index" || stem == "_index" {
        dir.to_string()
    } else if dir.is_empty() {
        stem.to_string()
    } else {
        format!("{dir}/{stem}")
    };
    key.to_lowercase().replace(' ', "-")
}

/// `.md` for Markdown, `.html` for HTML and the identity-converted rest.
fn ext(d: &Document) -> &'static str {
    match d.format {
        Format::Markdown => ".md",
        _ => ".html",
    }
}

/// Folder (relative to `content/`) and file stem of a document, before
/// collisions are resolved.
fn base_path(site: &Site, d: &Document) -> Option<(String, String)> {
    // Pages in other formats (feed.xml, robots.txt) are files, not pages;
    // posts and collection items in them (`.Rmd`, `.text`) are still dated
    // documents that Jekyll passes through its identity converter.
    if matches!(d.format, Format::Other(_)) && d.kind == DocKind::Page {
        return None;
    }
    let src = d.source.trim_start_matches("./");
    let (dir, file) = match src.rsplit_once('/') {
        Some((dir, file)) => (dir.to_string(), file.to_string()),
        None => (String::new(), src.to_string()),
    };
    let stem = match file.rsplit_once('.') {
        Some((s, _)) if !s.is_empty() => s.to_string(),
        _ => file.clone(),
    };
    let stem = sanitize(&stem);
    let dir = match d.kind {
        DocKind::Post | DocKind::Draft => {
            // `a/_posts/b/x.md` → `posts/a/b`.
            let parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
            let rest: Vec<String> = parts
                .iter()
                .filter(|p| **p != "_posts" && **p != "_drafts")
                .map(|p| sanitize(p))
                .collect();
            let mut out = String::from("posts");
            for r in rest {
                out.push('/');
                out.push_str(&r);
            }
            out
        }
        DocKind::Item => {
            let label = d.collection.clone().unwrap_or_default();
            let coll_dir = site
                .config
                .collections
                .iter()
                .find(|c| c.label == label)
                .map(|c| c.directory.trim_matches('/').to_string())
                .unwrap_or_else(|| format!("_{label}"));
            let below = dir
                .strip_prefix(&coll_dir)
                .map(|r| r.trim_start_matches('/').to_string())
                .unwrap_or_else(|| {
                    dir.split_once('/')
                        .map(|x| x.1.to_string())
                        .unwrap_or_default()
                });
            let mut out = sanitize(&label);
            for p in below.split('/').filter(|p| !p.is_empty()) {
                out.push('/');
                out.push_str(&sanitize(p));
            }
            out
        }
        DocKind::Page => dir
            .split('/')
            .filter(|p| !p.is_empty())
            .map(sanitize)
            .collect::<Vec<_>>()
            .join("/"),
    };
    Some((dir, stem))
}

/// A file or folder name Hugo and every file system accept: no characters
/// that are special in Hugo paths or on Windows; never starting with `_` or
/// `.` (Hugo reserves `_index`; dot files are ignored).
pub fn sanitize(name: &str) -> String {
    let mut s: String = name
        .chars()
        .map(|c| match c {
            '<' | '>' | ':' | '"' | '\\' | '|' | '?' | '*' | '#' | '%' | '[' | ']' => '-',
            c if c.is_control() => '-',
            c => c,
        })
        .collect();
    while s.starts_with(['_', '.']) {
        s.remove(0);
    }
    if s.is_empty() {
        s = "page".into();
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn served_paths_follow_jekylls_destination() {
        assert_eq!(
            served_path("/2014/03/22/escape-+-20.html"),
            "/2014/03/22/escape-+-20.html"
        );
        assert_eq!(served_path("/+/%25%23%20+.html"), "/+/%# +.html");
        assert_eq!(
            served_path("/%2e%2e/%2e%2e/%2e%2e/baddie.html"),
            "/baddie.html"
        );
        assert_eq!(served_path("/about/"), "/about/");
        assert_eq!(served_path("/"), "/");
        assert_eq!(
            served_path("/extensionless-permalink"),
            "/extensionless-permalink"
        );
    }

    #[test]
    fn numbered_paths() {
        assert_eq!(numbered("/baddie.html", 2), "/baddie-2.html");
        assert_eq!(numbered("/a/b/", 2), "/a/b-2/");
        assert_eq!(numbered("/", 2), "/-2/");
    }

    #[test]
    fn alias_files_as_hugo_writes_them() {
        assert_eq!(alias_file("/old/"), "old/index.html");
        assert_eq!(alias_file("/old.html"), "old.html");
        assert_eq!(alias_file("/index.xml"), "index.xml/index.html");
        assert_eq!(alias_file("/feed"), "feed/index.html");
        assert_eq!(alias_file("/a.html/"), "a.html");
        assert_eq!(term_path(" C++ and  more?"), "C++-and--more");
        assert!(hugo_generated("index.xml", &["tags"]));
        assert!(hugo_generated("tags/index.html", &["tags"]));
        assert!(!hugo_generated("tags/x/index.html", &["tags"]));
        assert!(!hugo_generated("posts/index.xml", &["tags"]));
    }

    #[test]
    fn public_files() {
        assert_eq!(public_file("/"), "index.html");
        assert_eq!(public_file("/a/"), "a/index.html");
        assert_eq!(public_file("/a/b.html"), "a/b.html");
        assert_eq!(public_file("/a"), "a/index.html");
    }

    fn doc(kind: DocKind, src: &str, url: &str) -> Document {
        let mut d = Document::new(kind, src);
        d.url = url.into();
        if kind == DocKind::Item {
            d.collection = Some("docs".into());
        }
        d
    }

    #[test]
    fn content_paths_mirror_the_site() {
        let mut site = Site::default();
        site.config.collections.push(crate::ir::CollectionInfo {
            label: "docs".into(),
            output: true,
            permalink: None,
            directory: "_docs".into(),
        });
        site.documents = vec![
            doc(
                DocKind::Post,
                "foo/_posts/bar/2008-12-12-topical.markdown",
                "/foo/2008/12/12/topical.html",
            ),
            doc(DocKind::Page, "index.html", "/"),
            doc(DocKind::Page, "about/index.md", "/about/"),
            doc(DocKind::Page, "docs/index.md", "/docs/"),
            doc(DocKind::Item, "_docs/install/index.md", "/docs/install/"),
            doc(DocKind::Page, "tags.md", "/tags/"),
            doc(DocKind::Page, "posts/2008-12-12-topical.md", "/p/"),
            doc(DocKind::Post, "_posts/2008-12-12-topical.md", "/x.html"),
            doc(DocKind::Page, "contacts/index.html", "/contacts/"),
            doc(DocKind::Page, "contacts/foo.md", "/contacts/foo.html"),
            doc(DocKind::Page, "contacts.html", "/contacts.html"),
        ];
        site.documents[1].format = Format::Html;
        let served: Vec<String> = site.documents.iter().map(|d| served_path(&d.url)).collect();
        let p = content_paths(&site, &served, &["tags", "categories"]);
        let p: Vec<&str> = p.iter().map(|x| x.as_deref().unwrap_or("-")).collect();
        assert_eq!(
            p,
            [
                "posts/foo/bar/2008-12-12-topical.md",
                "_index.html",
                "about/index.md",
                "docs/_index.md",
                "docs/install/index.md",
                "tags/_index.md",
                "posts/2008-12-12-topical.md",
                "posts/2008-12-12-topical-2.md",
                "contacts/_index.md",
                "contacts/foo.md",
                "contacts-2.md",
            ]
        );
    }
}
