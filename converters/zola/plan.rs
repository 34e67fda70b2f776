//! Deciding, before anything is written, where every document and file goes,
//! which output files each claims, and what is reported; then writing it.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use crate::content::Node;
use crate::converters::{ConvertError, ConvertOptions, Summary};
use crate::diagnostics::Diagnostic;
use crate::ir::{DocKind, Document, Format, Site};
use crate::output::OutputTree;
use crate::report;

use super::body::{self, BodyContext};
use super::config::{self, Taxonomy};
use super::frontmatter::{self, PageFrontMatter, SectionFrontMatter};
use super::paths::{self, Claimant, Claims};
use super::templates;

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
    /// Everything reported while planning.
    pub diagnostics: Vec<Diagnostic>,
    /// Every claimed output file (for tests and reports).
    pub claims: Claims,
}

/// What the alias keeping a `.html` URL is called in reports.
const HTML_ALIAS: &str = "alias for its .html URL";

/// Taxonomy names and the document fields they come from.
const TAXONOMIES: [&str; 2] = ["tags", "categories"];

/// Plans the conversion of `site`.
pub fn plan(site: &Site, opts: &ConvertOptions) -> Plan {
    let mut diags = Vec::new();
    let mut claims = Claims::default();
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
    let mut used_files: HashSet<String> = HashSet::new();
    let mut root_taken = false;
    // Pretty URLs first: they have no second name to fall back on.
    let mut order: Vec<usize> = (0..site.documents.len()).collect();
    order.sort_by_key(|&i| !site.documents[i].url.ends_with('/'));
    let mut pending_aliases: Vec<(usize, String, &'static str)> = Vec::new();

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
            placements[i] = other_placement(d, ext, &feeds, &mut claims, &mut diags);
            continue;
        }
        let route = paths::route(&d.url);
        if d.output && route.path.is_empty() && !root_taken && !draft {
            root_taken = true;
            placements[i] = Placement::Root {
                aliases: Vec::new(),
            };
            for r in &d.redirect_from {
                pending_aliases.push((i, r.clone(), "redirect_from alias"));
            }
            continue;
        }
        let file = unique(content_file(d, site), &mut used_files);
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
            source: d.source.clone(),
            what: "page path",
        };
        let mut path = route.path.clone();
        if let Err(owner) = claims.claim(&paths::path_output(&path), who.clone()) {
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
        if let Some(a) = &route.html_alias {
            pending_aliases.push((i, a.clone(), HTML_ALIAS));
        }
        for r in &d.redirect_from {
            pending_aliases.push((i, r.clone(), "redirect_from alias"));
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
    for (i, f) in site.static_files.iter().enumerate() {
        let file = paths::static_output(&f.url);
        let who = Claimant {
            source: f.source.clone(),
            what: "static file",
        };
        match claims.claim(&file, who) {
            Ok(()) => static_copies.push((i, file)),
            Err(owner) => diags.push(Claims::collision(&f.source, "static file", &file, &owner)),
        }
    }
    pending_aliases.sort_by_key(|(_, _, what)| *what != HTML_ALIAS);
    for (i, alias, what) in pending_aliases {
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
        if what == HTML_ALIAS && d.url == "/404.html" {
            diags.push(Diagnostic::info(
                "zola-404",
                &d.source,
                "Zola writes /404.html itself from templates/404.html, which holds this page's content",
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
        let who = Claimant {
            source: d.source.clone(),
            what,
        };
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
    if matches!(ext, "scss" | "sass") {
        return sass_placement(d, ext, &file, claims, diags);
    }
    let who = Claimant {
        source: d.source.clone(),
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
        source: d.source.clone(),
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
                set.insert(parent.to_string());
                dir = parent;
            }
        }
    }
    set
}

/// Terms of a taxonomy for a document: trimmed, non-empty, first spelling.
pub fn terms(d: &Document, name: &str) -> Vec<String> {
    let src = if name == "tags" {
        &d.tags
    } else {
        &d.categories
    };
    let mut out: Vec<String> = Vec::new();
    for t in src {
        let t = t.trim();
        if !t.is_empty() && !out.iter().any(|o| o == t) {
            out.push(t.to_string());
        }
    }
    out
}

/// An approximation of Zola's term slug, to warn about terms that merge.
fn term_slug(t: &str) -> String {
    let mut s = String::new();
    for c in t.to_lowercase().chars() {
        if c.is_alphanumeric() {
            s.push(c);
        } else if !s.ends_with('-') {
            s.push('-');
        }
    }
    s.trim_matches('-').to_string()
}

/// The taxonomies used by written pages. With `feeds`, each rendered
/// taxonomy gets a feed per term too (`/tags/<term>/feed.xml`).
fn taxonomies_of(
    site: &Site,
    placements: &[Placement],
    feeds: bool,
    claims: &mut Claims,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Taxonomy> {
    let mut out = Vec::new();
    for name in TAXONOMIES {
        let mut by_slug: BTreeMap<String, String> = BTreeMap::new();
        for (d, p) in site.documents.iter().zip(placements) {
            if !matches!(p, Placement::Page { .. }) {
                continue;
            }
            for t in terms(d, name) {
                let slug = term_slug(&t);
                match by_slug.get(&slug) {
                    Some(first) if *first != t => diags.push(Diagnostic::info(
                        "zola-term-merge",
                        &d.source,
                        format!("{name} term {t:?} shares Zola's URL slug with {first:?}; Zola lists both under {first:?}"),
                    )),
                    Some(_) => {}
                    None => {
                        by_slug.insert(slug, t);
                    }
                }
            }
        }
        if by_slug.is_empty() {
            continue;
        }
        // Jekyll pages that own /tags/… (archive pages) keep their URLs; Zola
        // then writes no term pages for that taxonomy.
        let render = !claims.has_under(name);
        if render {
            let who = Claimant {
                source: "zola".into(),
                what: "taxonomy page",
            };
            let _ = claims.claim(&format!("{name}/index.html"), who.clone());
            for slug in by_slug.keys().filter(|s| !s.is_empty()) {
                let _ = claims.claim(&format!("{name}/{slug}/index.html"), who.clone());
            }
        } else {
            diags.push(Diagnostic::warning(
                "zola-taxonomy-unrendered",
                "_config.yml",
                format!("Jekyll pages already use URLs under /{name}/, so Zola's {name} pages are turned off (render = false); the terms stay in each page's front matter"),
            ));
        }
        out.push(Taxonomy {
            name: name.to_string(),
            feed: feeds && render,
            render,
        });
    }
    out
}

impl Plan {
    /// Content file (below `content/`) of every document written as a
    /// rendered, non-draft page or as the root section, by source path.
    pub fn content_files(&self, site: &Site) -> HashMap<String, String> {
        site.documents
            .iter()
            .zip(&self.placements)
            .filter_map(|(d, p)| match p {
                // Drafts are not built by default, so `@/` links to them
                // would break; they get the absolute URL instead.
                Placement::Page {
                    file,
                    path: Some(_),
                    draft: false,
                    ..
                } => Some((d.source.clone(), file.clone())),
                Placement::Root { .. } => Some((d.source.clone(), "_index.md".to_string())),
                _ => None,
            })
            .collect()
    }

    /// Writes the planned site into `out`.
    pub fn write(self, site: &Site, out: &mut OutputTree) -> Result<Summary, ConvertError> {
        let mut diags = self.diagnostics.clone();
        let files = self.content_files(site);
        let ctx = BodyContext {
            content_files: &files,
            baseurl: site.config.baseurl.trim_end_matches('/'),
            heading_ids: {
                let o = crate::content::markdown_options(site);
                o.auto_ids.then_some(o.gfm)
            },
        };
        let mut documents = 0;
        let mut root_written = false;
        let mut page_dates: HashMap<String, (usize, usize)> = HashMap::new();
        for (d, p) in site.documents.iter().zip(&self.placements) {
            match p {
                Placement::Page {
                    file,
                    path,
                    aliases,
                    draft,
                } => {
                    let fm = page_front_matter(d, path.as_deref(), aliases, *draft, &mut diags);
                    let b = body::render(d, &ctx, &mut diags);
                    let text = render_or_report(fm, d, &mut diags)?;
                    out.write(
                        &format!("content/{file}"),
                        format!("{text}{}", b.text).as_bytes(),
                    )?;
                    documents += 1;
                    let dir = file
                        .rsplit_once('/')
                        .map(|(a, _)| a)
                        .unwrap_or("")
                        .to_string();
                    let e = page_dates.entry(dir).or_insert((0, 0));
                    e.0 += 1;
                    if d.date.is_some() {
                        e.1 += 1;
                    }
                }
                Placement::Root { aliases } => {
                    let fm = root_front_matter(site, Some(d), aliases, &mut diags);
                    let b = body::render(d, &ctx, &mut diags);
                    let text = frontmatter::render(&fm)
                        .map_err(|e| ConvertError::Other(format!("{}: {e}", d.source)))?;
                    out.write("content/_index.md", format!("{text}{}", b.text).as_bytes())?;
                    root_written = true;
                    documents += 1;
                }
                Placement::Sass { file } => {
                    out.write(
                        &format!("sass/{file}"),
                        static_text(d, &ctx, &mut diags).as_bytes(),
                    )?;
                    documents += 1;
                }
                Placement::Static { file } => {
                    out.write(
                        &format!("static/{file}"),
                        static_text(d, &ctx, &mut diags).as_bytes(),
                    )?;
                    documents += 1;
                }
                Placement::Generated { .. } | Placement::Skipped => {}
            }
        }
        if !root_written {
            let fm = root_front_matter(site, None, &[], &mut diags);
            let text = frontmatter::render(&fm).map_err(ConvertError::Other)?;
            out.write("content/_index.md", text.as_bytes())?;
        }
        for s in &self.sections {
            let (n, dated) = page_dates.get(s).copied().unwrap_or((0, 0));
            let fm = SectionFrontMatter {
                title: Some(s.rsplit('/').next().unwrap_or(s).to_string()),
                // `sort_by = "date"` drops pages without a date from the
                // build, so only sections whose pages all have one get it.
                sort_by: (n > 0 && n == dated).then(|| "date".to_string()),
                render: Some(false),
                ..SectionFrontMatter::default()
            };
            let text = frontmatter::render(&fm).map_err(ConvertError::Other)?;
            out.write(&format!("content/{s}/_index.md"), text.as_bytes())?;
        }
        let mut copied = 0;
        for (i, file) in &self.static_copies {
            let Some(f) = site.static_files.get(*i) else {
                continue;
            };
            match out.copy(&format!("static/{file}"), &f.path) {
                Ok(()) => copied += 1,
                Err(e) => diags.push(Diagnostic::error(
                    "zola-static-copy",
                    &f.source,
                    format!("could not copy it to static/{file}: {e}"),
                )),
            }
        }
        self.write_404(site, out, &mut diags)?;
        let posts_section = self.sections.contains("posts").then_some("posts/_index.md");
        for (name, text) in templates::files(posts_section, &self.feeds) {
            out.write(&format!("templates/{name}"), text.as_bytes())?;
        }
        let mut cfg = config::build(site, self.taxonomies.clone(), &self.feeds, &mut diags);
        cfg.compile_sass = self
            .placements
            .iter()
            .any(|p| matches!(p, Placement::Sass { .. }));
        let cfg_text = config::render(&cfg).map_err(ConvertError::Other)?;
        out.write("config.toml", cfg_text.as_bytes())?;
        let mut all = site.diagnostics.clone();
        all.extend(diags.iter().cloned());
        let mut md = report::migration_markdown(site, "zola", documents, copied, &all);
        md.push_str(ZOLA_NOTES);
        out.write("MIGRATION.md", md.as_bytes())?;
        Ok(Summary {
            documents,
            files_copied: copied,
            diagnostics: diags,
        })
    }

    /// Zola writes `404.html` from `templates/404.html`: the Jekyll page at
    /// `/404.html` becomes that template (its HTML inside `{% raw %}`).
    fn write_404(
        &self,
        site: &Site,
        out: &mut OutputTree,
        diags: &mut Vec<Diagnostic>,
    ) -> Result<(), ConvertError> {
        let Some(d) = site
            .documents
            .iter()
            .find(|d| d.url == "/404.html" && d.output)
        else {
            return Ok(());
        };
        let html = match &d.html {
            Some(h) => h.clone(),
            None => {
                diags.push(Diagnostic::warning(
                    "zola-404",
                    &d.source,
                    "no rendered HTML for the 404 page; templates/404.html shows its source text",
                ));
                format!("<pre>{}</pre>", html_escape::encode_text(&d.body))
            }
        };
        let safe = html.replace(
            "{% endraw %}",
            "{% endraw %}{{ \"{% endraw %}\" }}{% raw %}",
        );
        let text = format!(
            "<!DOCTYPE html>\n<html lang=\"{{{{ lang }}}}\">\n<head><meta charset=\"utf-8\"><title>{}</title></head>\n<body>\n{{% raw %}}{safe}{{% endraw %}}\n</body>\n</html>\n",
            html_escape::encode_text(d.title.as_deref().unwrap_or("Page not found"))
                .replace('{', "&#123;")
        );
        out.write("templates/404.html", text.as_bytes())?;
        Ok(())
    }
}

/// Renders page front matter; when a value cannot be written safely, the
/// page is written without its `[extra]` and the problem reported.
fn render_or_report(
    mut fm: PageFrontMatter,
    d: &Document,
    diags: &mut Vec<Diagnostic>,
) -> Result<String, ConvertError> {
    match frontmatter::render(&fm) {
        Ok(t) => Ok(t),
        Err(e) => {
            diags.push(Diagnostic::error(
                "zola-front-matter",
                &d.source,
                format!("{e}; the page is written without its [extra] values"),
            ));
            fm.extra.clear();
            frontmatter::render(&fm).map_err(|e| ConvertError::Other(format!("{}: {e}", d.source)))
        }
    }
}

/// What every Zola migration should know, appended to `MIGRATION.md`.
const ZOLA_NOTES: &str = r#"
## About this Zola site

- Built for Zola 0.22 and 0.23 alike: no page contains `{{` or `{%`, so
  neither version runs a template in content (0.22 looks for shortcodes,
  0.23 renders content with Tera). Literal braces in text are written as
  `&#123;`; code that shows Liquid or Tera is written as an HTML
  `<pre><code>` block, without syntax highlighting.
- Every Jekyll URL is kept: a page lives at its `path`; the `.html` file
  Jekyll wrote is an alias (a redirect page), as are `redirect_from` URLs.
  Zola has no `.html` page URLs, so `/a/b.html` now redirects to `/a/b/`.
- Sections (`_index.md`) group pages and are not rendered (`render = false`);
  only the home page is a rendered section.
- Drafts and `published: false` documents are written only with `--drafts`,
  as `draft = true` (build them with `zola build --drafts`).
- `[link_checker] internal_level = "warn"`: anchors Jekyll pages link to in
  raw HTML are not seen by Zola's checker, and must not fail the build.
- Build with `zola build` (or `zola serve`) in this folder; the templates in
  `templates/` are deliberately plain: replace them with a theme.
"#;

/// Front-matter keys that become Zola keys (the rest goes to `[extra]`).
const MAPPED: [&str; 5] = ["title", "description", "date", "published", "redirect_from"];

fn extra_of(d: &Document, also: &[&str], diags: &mut Vec<Diagnostic>) -> toml::Table {
    let mut m = d.front_matter.clone();
    for k in MAPPED.iter().chain(also) {
        m.remove(*k);
    }
    let mut dropped = Vec::new();
    let t = frontmatter::json_map_to_table(&m, "", &mut dropped);
    for key in dropped {
        diags.push(Diagnostic::info(
            "zola-null-value",
            &d.source,
            format!("front matter `{key}` is empty (null); TOML has no empty value, so it is left out of [extra]"),
        ));
    }
    t
}

fn page_front_matter(
    d: &Document,
    path: Option<&str>,
    aliases: &[String],
    draft: bool,
    diags: &mut Vec<Diagnostic>,
) -> PageFrontMatter {
    let weight = d
        .front_matter
        .get("weight")
        .and_then(serde_json::Value::as_u64);
    let mut also: Vec<&str> = Vec::new();
    if weight.is_some() {
        also.push("weight");
    }
    if d.updated.is_some() {
        also.extend(["last_modified_at", "updated"]);
    }
    let mut fm = PageFrontMatter {
        title: d.title.clone(),
        description: d.description.clone(),
        date: d.date.as_ref().and_then(frontmatter::datetime),
        updated: d.updated.as_ref().and_then(frontmatter::datetime),
        weight,
        draft: draft.then_some(true),
        render: (!d.output).then_some(false),
        path: path.map(|p| format!("/{p}/")),
        aliases: aliases.to_vec(),
        authors: d.authors.clone(),
        extra: extra_of(d, &also, diags),
        ..PageFrontMatter::default()
    };
    for name in TAXONOMIES {
        let (t, dropped): (Vec<String>, Vec<String>) = terms(d, name)
            .into_iter()
            .partition(|t| !term_slug(t).is_empty());
        for term in dropped {
            diags.push(Diagnostic::warning(
                "zola-term-empty-slug",
                &d.source,
                format!("the {name} term {term:?} has no letters or digits, so Zola cannot give it a URL; it is kept only in [extra]"),
            ));
        }
        if !t.is_empty() {
            fm.taxonomies.insert(name.to_string(), t);
        }
    }
    fm
}

fn root_front_matter(
    site: &Site,
    d: Option<&Document>,
    aliases: &[String],
    diags: &mut Vec<Diagnostic>,
) -> SectionFrontMatter {
    match d {
        Some(d) => SectionFrontMatter {
            title: d.title.clone().or_else(|| site.config.title.clone()),
            description: d.description.clone(),
            aliases: aliases.to_vec(),
            extra: extra_of(d, &[], diags),
            ..SectionFrontMatter::default()
        },
        None => SectionFrontMatter {
            title: site.config.title.clone(),
            description: site.config.description.clone(),
            ..SectionFrontMatter::default()
        },
    }
}

/// The text of a non-HTML page: its Liquid-resolved nodes as they are
/// (static files are not templated by Zola).
fn static_text(d: &Document, ctx: &BodyContext<'_>, diags: &mut Vec<Diagnostic>) -> String {
    if d.content.is_empty() {
        if d.body.contains("{{") || d.body.contains("{%") {
            diags.push(Diagnostic::warning(
                "zola-unresolved-liquid",
                &d.source,
                "the content layer did not resolve this file's Liquid; it is copied to static/ with its Liquid as text",
            ));
        }
        return d.body.clone();
    }
    let mut s = String::new();
    for n in &d.content {
        match n {
            Node::Markdown { text, .. } | Node::Literal { text } => s.push_str(text),
            Node::Html { html, .. } => s.push_str(html),
            Node::Code { code, .. } => s.push_str(code),
            Node::DocLink { url, .. } => {
                s.push_str(ctx.baseurl);
                s.push_str(url);
            }
            Node::Embed { fallback_html, .. } => s.push_str(fallback_html),
            Node::Toc => {}
        }
    }
    s
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
        let mut used = HashSet::new();
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
