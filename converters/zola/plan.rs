//! Deciding, before anything is written, where every document and file goes,
//! which output files each claims, and what is reported; then writing it.

use crate::fast_hash::FastSet as HashSet;
use rayon::prelude::*;
use std::collections::BTreeSet;
use std::sync::Arc;

use crate::converters::ConvertOptions;
use crate::diagnostics::Diagnostic;
use crate::ir::{DocKind, Document, Format, Site};

use super::config::Taxonomy;
use super::paths::{self, Claimant, Claims};
use super::taxonomy::{taxonomies_of, TAXONOMIES};

/// What becomes of one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Placement {
    /// A page at `content/<file>`.
    Page {
        /// File below `content/`.
        file: String,
        /// `path` (without slashes), `None` when not rendered.
        path: Option<String>,
        /// Aliases, each with a leading `/`.
        aliases: Vec<String>,
        /// Draft (drafts, `published: false`).
        draft: bool,
    },
    /// The root section `content/_index.md`.
    Root {
        /// Aliases.
        aliases: Vec<String>,
    },
    /// A file in `static/` (non-HTML pages).
    Static {
        /// Path below `static/`.
        file: String,
    },
    /// A Sass page compiled to CSS here, written to `static/<file>`.
    Css {
        /// Path below `static/`.
        file: String,
        /// The compiled stylesheet.
        css: String,
    },
    /// A stylesheet Zola compiles (`sass/<file>`).
    Sass {
        /// Path below `sass/`.
        file: String,
    },
    /// Left to Zola (`sitemap.xml`, `robots.txt`, the feed, `404.html`).
    Generated {
        /// The output file Zola writes.
        file: String,
    },
    /// Not written.
    Skipped,
}

/// The whole plan of a conversion.
#[derive(Debug)]
pub struct Plan {
    /// One placement per document of the site, same order.
    pub placements: Vec<Placement>,
    /// Sections (folders below `content/`, without the root).
    pub sections: BTreeSet<String>,
    /// Declared taxonomies.
    pub taxonomies: Vec<Taxonomy>,
    /// Feeds Zola generates: `(file name, RSS rather than Atom)`.
    pub feeds: Vec<(String, bool)>,
    /// Static files to copy: `(index in site.static_files, path below static/)`.
    pub static_copies: Vec<(usize, String)>,
    /// Static files where Zola writes a file of its own (`robots.txt`, a
    /// home page when no document is one), kept as the template Zola
    /// renders there: `(index in site.static_files, template name)`.
    pub template_copies: Vec<(usize, String)>,
    /// Everything reported while planning.
    pub diagnostics: Vec<Diagnostic>,
    /// Every claimed output file (for tests and reports).
    pub claims: Claims,
}

/// What planning needs of one document that depends on it alone, worked
/// out for every document in parallel before the claims are made in order.
struct Prepared {
    route: paths::Route,
    /// Its content file before duplicates are renamed.
    own_file: String,
    /// The file Zola writes for `route.path`.
    page_file: String,
    /// Its source path, shared by the claims it makes.
    source: Arc<str>,
}

impl Prepared {
    fn of(d: &Document, site: &Site) -> Self {
        let route = paths::route(&d.url);
        Prepared {
            page_file: paths::path_output(&route.path),
            own_file: content_file(d, site),
            route,
            source: d.source.as_str().into(),
        }
    }
}

/// What the alias keeping a `.html` URL is called in reports.
const HTML_ALIAS: &str = "alias for its .html URL";

/// Plans the conversion of `site`.
pub fn plan(site: &Site, opts: &ConvertOptions) -> Plan {
    let mut diags = Vec::new();
    // Pages, their aliases and a few generated files.
    let mut claims = Claims::with_capacity(2 * site.documents.len() + 16);
    let gen = |file: &str| Claimant {
        source: "zola".into(),
        what: if file == "index.html" {
            "home page"
        } else {
            "generated file"
        },
    };
    let feeds = feeds_of(site);
    let mut generated: Vec<&str> = vec!["index.html", "sitemap.xml", "robots.txt", "404.html"];
    generated.extend(feeds.iter().map(|(f, _)| f.as_str()));
    for g in &generated {
        let _ = claims.claim(g, gen(g));
    }

    let mut placements: Vec<Placement> = vec![Placement::Skipped; site.documents.len()];
    let mut used_files: HashSet<String> = HashSet::default();
    let mut root_taken = false;
    // Pretty URLs first: they have no second name to fall back on.
    let mut order: Vec<usize> = (0..site.documents.len()).collect();
    order.sort_by_key(|&i| !site.documents[i].url.ends_with('/'));
    let mut pending_aliases: Vec<(usize, Arc<str>, String, &'static str)> = Vec::new();
    // What depends on a page alone is worked out in parallel; only the
    // claims below, which depend on every page before, are made in order.
    let mut prepared: Vec<Option<Prepared>> = site
        .documents
        .par_iter()
        .map(|d| Some(Prepared::of(d, site)))
        .collect();

    for &i in &order {
        let d = &site.documents[i];
        let draft = d.kind == DocKind::Draft || !d.published;
        if draft && !opts.drafts {
            diags.push(Diagnostic::info(
                "zola-unpublished",
                &d.source,
                "draft or `published: false`: not written; pass --drafts to write it with `draft = true`",
            ));
            continue;
        }
        if let Format::Other(ext) = &d.format {
            placements[i] = other_placement(site, d, ext, &feeds, &mut claims, &mut diags);
            continue;
        }
        let Prepared {
            route,
            own_file,
            page_file,
            source,
        } = prepared
            .get_mut(i)
            .and_then(Option::take)
            .unwrap_or_else(|| Prepared::of(d, site));
        if d.output && route.path.is_empty() && !root_taken && !draft {
            root_taken = true;
            placements[i] = Placement::Root {
                aliases: Vec::new(),
            };
            for r in &d.redirect_from {
                pending_aliases.push((i, source.clone(), r.clone(), "redirect_from alias"));
            }
            continue;
        }
        let file = unique(own_file, &mut used_files);
        if !d.output {
            placements[i] = Placement::Page {
                file,
                path: None,
                aliases: Vec::new(),
                draft,
            };
            continue;
        }
        let who = Claimant {
            source,
            what: "page path",
        };
        let mut path = route.path;
        if let Err(owner) = claims.claim(&page_file, who.clone()) {
            // A `.html` URL keeps its exact file through the alias, so the
            // page itself may live at another path.
            let fallback = format!("{path}-html");
            let alt = (1..100)
                .map(|n| {
                    if n == 1 {
                        fallback.clone()
                    } else {
                        format!("{fallback}-{n}")
                    }
                })
                .find(|p| claims.claim(&paths::path_output(p), who.clone()).is_ok());
            match (alt, &route.html_alias) {
                (Some(p), Some(_)) => {
                    diags.push(Diagnostic::info(
                        "zola-path-moved",
                        &d.source,
                        format!(
                            "the path /{path}/ is taken by {}; the page lives at /{p}/ and its Jekyll URL {} is kept as a redirect",
                            owner.source, d.url
                        ),
                    ));
                    path = p;
                }
                (alt, _) => {
                    diags.push(Claims::collision(
                        &d.source,
                        "page path",
                        &paths::path_output(&path),
                        &owner,
                    ));
                    path = alt.unwrap_or_else(|| format!("{path}-{i}"));
                }
            }
        }
        if route.too_long {
            diags.push(crate::urls::too_long_warning(
                &d.source,
                &d.url,
                "Zola",
                &format!("the page lives at /{}/", crate::urls::shown(&path)),
            ));
        }
        if let Some(a) = route.html_alias {
            pending_aliases.push((i, who.source.clone(), a, HTML_ALIAS));
        }
        for r in &d.redirect_from {
            pending_aliases.push((i, who.source.clone(), r.clone(), "redirect_from alias"));
        }
        placements[i] = Placement::Page {
            file,
            path: Some(path),
            aliases: Vec::new(),
            draft,
        };
    }

    // Static files, then aliases: a real file beats a redirect.
    let mut static_copies = Vec::new();
    let mut template_copies = Vec::new();
    let page_404 = site
        .documents
        .iter()
        .any(|d| crate::urls::is_not_found_page(&d.url) && d.output);
    for (i, f) in site.static_files.iter().enumerate() {
        let file = paths::static_output(&f.url);
        let who = Claimant {
            source: f.source.as_str().into(),
            what: "static file",
        };
        match claims.claim(&file, who) {
            Ok(()) => static_copies.push((i, file)),
            Err(owner) => {
                // Zola renders these from a template the site may supply:
                // the file itself, verbatim, becomes that template.
                let own_template = &*owner.source == "zola"
                    && match file.as_str() {
                        "robots.txt" | "sitemap.xml" => true,
                        "index.html" => !root_taken,
                        "404.html" => !page_404,
                        _ => false,
                    };
                if own_template {
                    diags.push(Diagnostic::info(
                        "zola-own-file",
                        &f.source,
                        format!("Zola writes /{file} itself; this file is kept as templates/{file}, which Zola renders there as it is"),
                    ));
                    template_copies.push((i, file));
                } else {
                    diags.push(Claims::collision(&f.source, "static file", &file, &owner));
                }
            }
        }
    }
    pending_aliases.sort_by_key(|(_, _, _, what)| *what != HTML_ALIAS);
    for (i, source, alias, what) in pending_aliases {
        let d = &site.documents[i];
        // `.html` aliases come decoded from the route; `redirect_from` is a
        // URL as the author wrote it.
        let (norm, empty) = if what == HTML_ALIAS {
            (alias.clone(), alias.trim_matches('/').is_empty())
        } else {
            let segs = paths::segments(&alias);
            let norm = if alias.ends_with('/') && !segs.is_empty() {
                format!("/{}/", segs.join("/"))
            } else {
                format!("/{}", segs.join("/"))
            };
            (norm, segs.is_empty())
        };
        if what == HTML_ALIAS && crate::urls::is_not_found_page(&d.url) {
            diags.push(Diagnostic::info(
                "zola-404",
                &d.source,
                "Zola writes /404.html itself from templates/404.html, which holds this page's content",
            ));
            continue;
        }
        if crate::urls::shorten_long_names(&norm, 0).is_some() {
            diags.push(Diagnostic::warning(
                "url-too-long",
                &d.source,
                format!(
                    "the redirect {} holds a name longer than file systems take ({} bytes); dropped",
                    crate::urls::shown(&alias),
                    crate::urls::MAX_NAME
                ),
            ));
            continue;
        }
        if empty {
            diags.push(Diagnostic::warning(
                "zola-alias-root",
                &d.source,
                format!("the redirect {alias:?} points at the home page, which Zola cannot alias; dropped"),
            ));
            continue;
        }
        let file = paths::alias_output(&norm);
        let who = Claimant { source, what };
        match claims.claim(&file, who) {
            Ok(()) => match placements.get_mut(i) {
                Some(Placement::Page { aliases, .. } | Placement::Root { aliases })
                    if !aliases.contains(&norm) =>
                {
                    aliases.push(norm)
                }
                _ => {}
            },
            Err(owner) => diags.push(Claims::collision(&d.source, what, &file, &owner)),
        }
    }

    let sections = sections_of(&placements);
    let taxonomies = taxonomies_of(
        site,
        &placements,
        !feeds.is_empty(),
        &mut claims,
        &mut diags,
    );
    Plan {
        placements,
        sections,
        taxonomies,
        feeds,
        static_copies,
        template_copies,
        diagnostics: diags,
        claims,
    }
}

/// The feeds the site had: jekyll-feed's (Atom, at `feed.path` or
/// `/feed.xml`) and Liquid feed templates at the site root (`atom.xml`,
/// `feed.xml`, `rss.xml` looping over `site.posts`). Zola generates each.
fn feeds_of(site: &Site) -> Vec<(String, bool)> {
    let mut feeds: Vec<(String, bool)> = Vec::new();
    if site.config.plugins.iter().any(|p| p == "jekyll-feed") {
        let path = site
            .config
            .raw
            .get("feed")
            .and_then(|f| f.get("path"))
            .and_then(serde_json::Value::as_str)
            .map(|p| p.trim_start_matches('/').to_string())
            .filter(|p| !p.is_empty() && !p.contains('/'))
            .unwrap_or_else(|| "feed.xml".to_string());
        feeds.push((path, false));
    }
    for d in &site.documents {
        let Some(name) = d.url.strip_prefix('/') else {
            continue;
        };
        let is_feed = d.output
            && !name.contains('/')
            && name.ends_with(".xml")
            && d.body.contains("site.posts")
            && (d.body.contains("<feed") || d.body.contains("<rss"));
        if is_feed && !feeds.iter().any(|(f, _)| f == name) {
            feeds.push((name.to_string(), d.body.contains("<rss")));
        }
    }
    feeds
}

/// Where a non-HTML page (`feed.xml`, `search.json`, `.htaccess`…) goes.
fn other_placement(
    site: &Site,
    d: &Document,
    ext: &str,
    feeds: &[(String, bool)],
    claims: &mut Claims,
    diags: &mut Vec<Diagnostic>,
) -> Placement {
    if !d.output {
        return Placement::Skipped;
    }
    let file = paths::static_output(&d.url);
    match file.as_str() {
        "sitemap.xml" | "robots.txt" => {
            diags.push(Diagnostic::info(
                "zola-generated",
                &d.source,
                format!("Zola writes its own /{file}; this page is not carried over"),
            ));
            return Placement::Generated { file };
        }
        f if feeds.iter().any(|(name, _)| name == f) => {
            diags.push(Diagnostic::info(
                "zola-generated",
                &d.source,
                format!("Zola generates the feed at /{f} (generate_feeds); this Liquid template is not carried over"),
            ));
            return Placement::Generated { file };
        }
        _ => {}
    }
    if crate::sass::is_sass(d) {
        // Compiled here with the site's partials, like jekyll-sass-converter;
        // Zola's own Sass step is the fallback for what does not compile.
        if let Ok(css) = crate::sass::compile(site, d) {
            let who = Claimant {
                source: d.source.as_str().into(),
                what: "compiled stylesheet",
            };
            return match claims.claim(&file, who) {
                Ok(()) => Placement::Css { file, css },
                Err(owner) => {
                    diags.push(Claims::collision(
                        &d.source,
                        "compiled stylesheet",
                        &file,
                        &owner,
                    ));
                    Placement::Skipped
                }
            };
        }
        return sass_placement(d, ext, &file, claims, diags);
    }
    let who = Claimant {
        source: d.source.as_str().into(),
        what: "static page",
    };
    match claims.claim(&file, who) {
        Ok(()) => Placement::Static { file },
        Err(owner) => {
            diags.push(Claims::collision(&d.source, "static page", &file, &owner));
            Placement::Skipped
        }
    }
}

/// A Sass page: Zola compiles `sass/x/y.scss` to `/x/y.css`, so a
/// stylesheet that imports nothing goes there. Partials of `_sass` are not
/// part of what the reader hands over, so one that imports is reported.
fn sass_placement(
    d: &Document,
    ext: &str,
    css_file: &str,
    claims: &mut Claims,
    diags: &mut Vec<Diagnostic>,
) -> Placement {
    let imports = ["@import", "@use", "@forward"]
        .iter()
        .any(|k| d.body.contains(k));
    let Some(stem) = css_file.strip_suffix(".css") else {
        diags.push(Diagnostic::warning(
            "zola-sass",
            &d.source,
            format!(
                "Sass served at {} (not a .css URL) is not carried over",
                d.url
            ),
        ));
        return Placement::Skipped;
    };
    let last = stem.rsplit('/').next().unwrap_or(stem);
    if imports || last.starts_with('_') {
        diags.push(Diagnostic::warning(
            "zola-sass",
            &d.source,
            format!("this stylesheet imports Sass partials, which the converter does not carry; {} will be missing until you copy it and its _sass partials to sass/ (compile_sass is on)", d.url),
        ));
        return Placement::Skipped;
    }
    let who = Claimant {
        source: d.source.as_str().into(),
        what: "compiled stylesheet",
    };
    match claims.claim(css_file, who) {
        Ok(()) => Placement::Sass {
            file: format!("{stem}.{ext}"),
        },
        Err(owner) => {
            diags.push(Claims::collision(
                &d.source,
                "compiled stylesheet",
                css_file,
                &owner,
            ));
            Placement::Skipped
        }
    }
}

/// A content-file name: letters, digits, `-`, `_`, `.`; no leading `_`/`.`
/// (Zola reserves `_index.md`), never `index` (that is a bundle beside a
/// section's `_index.md`).
fn clean_segment(s: &str) -> String {
    let mapped: String = s
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '-'
            }
        })
        .collect();
    let t = mapped.trim_start_matches(['_', '.']).to_string();
    if t.is_empty() {
        "page".into()
    } else {
        t
    }
}

/// The file below `content/` for a document.
fn content_file(d: &Document, site: &Site) -> String {
    let source = d.source.as_str();
    let (dir, name) = match source.rsplit_once('/') {
        Some((a, b)) => (a, b),
        None => ("", source),
    };
    let stem = name.rsplit_once('.').map(|(s, _)| s).unwrap_or(name);
    let mut stem = clean_segment(stem);
    if stem == "index" {
        stem = "index-page".into();
    }
    let dirs: Vec<String> = match (d.kind, &d.collection) {
        (DocKind::Post | DocKind::Draft, _) => vec!["posts".into()],
        (DocKind::Item, Some(label)) => {
            let cdir = site
                .config
                .collections
                .iter()
                .find(|c| &c.label == label)
                .map(|c| c.directory.trim_end_matches('/').to_string())
                .unwrap_or_else(|| format!("_{label}"));
            let inner = dir
                .strip_prefix(cdir.as_str())
                .unwrap_or(dir)
                .trim_start_matches('/');
            std::iter::once(clean_segment(label))
                .chain(
                    inner
                        .split('/')
                        .filter(|s| !s.is_empty())
                        .map(clean_segment),
                )
                .collect()
        }
        _ => dir
            .split('/')
            .filter(|s| !s.is_empty())
            .map(clean_segment)
            .collect(),
    };
    let mut parts = dirs;
    // Zola 0.23 treats a section and a taxonomy of the same name as a
    // collision (getzola/zola#3274); page paths are explicit, so the folder
    // name is free to change.
    if let Some(first) = parts.first_mut() {
        if TAXONOMIES.contains(&first.as_str()) {
            first.push_str("-pages");
        }
    }
    parts.push(format!("{stem}.md"));
    parts.join("/")
}

/// `file`, or `file` with `-2`, `-3`… before `.md` when already used.
fn unique(file: String, used: &mut HashSet<String>) -> String {
    if used.insert(file.clone()) {
        return file;
    }
    let stem = file.trim_end_matches(".md").to_string();
    let mut n = 2;
    loop {
        let f = format!("{stem}-{n}.md");
        if used.insert(f.clone()) {
            return f;
        }
        n += 1;
    }
}

/// Every folder below `content/` that holds a page, and its ancestors.
fn sections_of(placements: &[Placement]) -> BTreeSet<String> {
    let mut set = BTreeSet::new();
    for p in placements {
        if let Placement::Page { file, .. } = p {
            let mut dir = file.as_str();
            while let Some((parent, _)) = dir.rsplit_once('/') {
                // Known folders' ancestors are known too.
                if set.contains(parent) {
                    break;
                }
                set.insert(parent.to_string());
                dir = parent;
            }
        }
    }
    set
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::CollectionInfo;

    fn site_with(docs: Vec<Document>) -> Site {
        let mut site = Site::default();
        site.config.collections = vec![CollectionInfo {
            label: "docs".into(),
            output: true,
            permalink: None,
            directory: "collections/_docs".into(),
        }];
        site.documents = docs;
        site
    }

    #[test]
    fn content_files_are_safe_names() {
        let site = site_with(Vec::new());
        let mut d = Document::new(DocKind::Page, "+/%# +.md");
        assert_eq!(content_file(&d, &site), "-/----.md");
        d = Document::new(DocKind::Page, "_pages/index.html");
        assert_eq!(content_file(&d, &site), "pages/index-page.md");
        d = Document::new(DocKind::Item, "collections/_docs/a/b.md");
        d.collection = Some("docs".into());
        assert_eq!(content_file(&d, &site), "docs/a/b.md");
        d = Document::new(DocKind::Post, "travel/_posts/2023-07-14-lisbon.md");
        assert_eq!(content_file(&d, &site), "posts/2023-07-14-lisbon.md");
        d = Document::new(DocKind::Page, "tags/rust.md");
        assert_eq!(content_file(&d, &site), "tags-pages/rust.md");
        let mut used = HashSet::default();
        assert_eq!(unique("a.md".into(), &mut used), "a.md");
        assert_eq!(unique("a.md".into(), &mut used), "a-2.md");
    }

    #[test]
    fn sections_cover_every_folder_with_pages() {
        let placements = vec![Placement::Page {
            file: "docs/a/b.md".into(),
            path: Some("x".into()),
            aliases: Vec::new(),
            draft: false,
        }];
        let s: Vec<String> = sections_of(&placements).into_iter().collect();
        assert_eq!(s, vec!["docs", "docs/a"]);
    }

    #[test]
    fn pretty_urls_win_their_path_over_html_urls() {
        let mut a = Document::new(DocKind::Page, "contacts.html");
        a.url = "/contacts.html".into();
        let mut b = Document::new(DocKind::Page, "contacts/index.html");
        b.url = "/contacts/".into();
        let site = site_with(vec![a, b]);
        let p = plan(&site, &ConvertOptions::default());
        match &p.placements[0] {
            Placement::Page { path, aliases, .. } => {
                assert_eq!(path.as_deref(), Some("contacts-html"));
                assert_eq!(aliases, &vec!["/contacts.html".to_string()]);
            }
            other => panic!("{other:?}"),
        }
        match &p.placements[1] {
            Placement::Page { path, .. } => assert_eq!(path.as_deref(), Some("contacts")),
            other => panic!("{other:?}"),
        }
        assert!(p
            .diagnostics
            .iter()
            .all(|d| d.kind != "zola-path-collision"));
    }
}
