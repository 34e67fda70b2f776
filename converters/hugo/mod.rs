//! Hugo: a `content/` tree with YAML or TOML front matter that current Hugo
//! (≥0.146, checked with 0.168) accepts, every Jekyll URL kept (`url` on each
//! page, `aliases` for `redirect_from`), `static/`, `data/`, `hugo.toml` and
//! a built-in layout set, so `hugo` builds the migrated site with no error
//! and no warning.
//!
//! Modules: [`paths`] (content paths and served URLs), [`front_matter`],
//! [`body`] (content nodes → goldmark Markdown), [`config`] (`hugo.toml`),
//! [`files`] (redirect pages and files served as they are),
//! [`layouts`].

pub mod body;
pub mod config;
pub mod files;
pub mod front_matter;
pub mod layouts;
pub mod paths;

use crate::fast_hash::{FastMap as HashMap, FastSet as HashSet};

use rayon::prelude::*;
use serde_json::Value;
use std::borrow::Cow;

use super::{ConvertError, ConvertOptions, Converter, Summary};
use crate::diagnostics::Diagnostic;
use crate::dialect::IdStyle;
use crate::ir::{Document, Format, Site};
use crate::output::OutputTree;

/// The Hugo converter.
pub struct Hugo;

impl Converter for Hugo {
    fn name(&self) -> &'static str {
        "hugo"
    }

    fn description(&self) -> &'static str {
        "a Hugo site (content/, static/, data/, hugo.toml, layouts) that keeps every Jekyll URL"
    }

    fn default_out_name(&self) -> &'static str {
        "hugo"
    }

    fn wants_html(&self, doc: &crate::ir::Document) -> bool {
        body::needs_rendered_ids(doc)
    }

    fn highlights_code(&self) -> bool {
        false
    }

    fn convert(
        &self,
        site: &Site,
        opts: &ConvertOptions,
        out: &mut OutputTree,
        _file_name: Option<&str>,
    ) -> Result<Summary, ConvertError> {
        convert(site, opts, out)
    }
}

/// Which kramdown id generator the site's Markdown settings select.
pub fn id_style(site: &Site) -> IdStyle {
    let k = site.config.raw.get("kramdown");
    if k.and_then(|k| k.get("auto_ids")).and_then(Value::as_bool) == Some(false) {
        return IdStyle::Off;
    }
    match k.and_then(|k| k.get("input")).and_then(Value::as_str) {
        Some(i) if i.eq_ignore_ascii_case("kramdown") => IdStyle::Kramdown,
        _ => IdStyle::Gfm,
    }
}

fn uses_plugin(site: &Site, name: &str) -> bool {
    site.config.plugins.iter().any(|p| p == name)
}

/// Writes the whole Hugo site for `site` into `out`.
pub fn convert(
    site: &Site,
    opts: &ConvertOptions,
    out: &mut OutputTree,
) -> Result<Summary, ConvertError> {
    let mut summary = Summary::default();
    let diags = &mut summary.diagnostics;
    let taxonomies = ["tags", "categories"];
    // Served paths of every document, so DocLinks, aliases and static files
    // can be checked against them. Made in parallel, with each one's file
    // below `public/`: the loop that places documents in order is the
    // conversion's one serial step, so it should only look things up.
    let served: Vec<String> = site
        .documents
        .par_iter()
        .map(|d| {
            // `/404` is written to `404.html` by Jekyll, the file hosts
            // serve for a missing page; Hugo would make it `404/index.html`.
            if crate::urls::is_not_found_page(&d.url) {
                "/404.html".to_string()
            } else {
                paths::served_path(&d.url)
            }
        })
        .collect();
    let public: Vec<String> = served.par_iter().map(|s| paths::public_file(s)).collect();
    let paths = paths::content_paths(site, &served, &taxonomies);
    let style = id_style(site);
    let by_source: HashMap<&str, &str> = site
        .documents
        .iter()
        .zip(&served)
        .map(|(d, s)| (d.source.as_str(), s.as_str()))
        .collect();
    let url_of = |target: &str| by_source.get(target).map(|s| (*s).to_string());
    let mut taken: HashSet<String> = HashSet::default();
    for (d, file) in site.documents.iter().zip(&public) {
        if d.output && !matches!(d.format, Format::Other(_)) {
            taken.insert(file.clone());
        }
    }
    // Folders that pages and static files need: a page or alias file at
    // one of these names would clash with it (`/x.html/` beside `/x.html`),
    // and Hugo fails the build on it.
    let static_public: Vec<String> = site
        .static_files
        .iter()
        .map(|f| {
            paths::served_path(&f.url)
                .trim_start_matches('/')
                .to_string()
        })
        .collect();
    // The folders pages need, and the pages and feeds Hugo makes itself.
    let (folders, made_by_hugo) = rayon::join(
        || folders_of(taken.iter().chain(&static_public)),
        || hugo_made(site, &paths),
    );
    // Files Jekyll served that Hugo copies instead of rendering: static
    // files, and documents neither Markdown nor HTML (`feed.xml`, Sass).
    let copied_files: HashSet<String> = static_public
        .iter()
        .filter(|f| !f.is_empty())
        .cloned()
        .chain(
            site.documents
                .iter()
                .zip(&paths)
                .zip(&served)
                .filter(|((d, rel), _)| rel.is_none() && (d.output || crate::sass::is_sass(d)))
                .map(|(_, s)| files::other_file(s)),
        )
        .collect();
    let mut needs = config::Needs {
        feed_xml: uses_plugin(site, "jekyll-feed")
            && !taken.contains("feed.xml")
            && !copied_files.contains("feed.xml"),
        ..config::Needs::default()
    };
    // The site's own home page, home feed or sitemap served as a file:
    // Hugo is told not to write its own over it.
    needs.own_home = copied_files.contains("index.html");
    needs.own_home_feed = copied_files.contains(if needs.feed_xml {
        "feed.xml"
    } else {
        "index.xml"
    });
    needs.own_sitemap = copied_files.contains("sitemap.xml");
    let section_pages: HashSet<String> = sections(&paths)
        .into_iter()
        .filter(|s| {
            !paths.iter().flatten().any(|rel| {
                rel.strip_prefix(s)
                    .is_some_and(|r| r.starts_with("/_index."))
            })
        })
        .map(|s| format!("{s}/index.html"))
        .collect();
    let rendered_over =
        |file: &str| renders_over(file, needs.feed_xml, &made_by_hugo, &section_pages);

    let mut info = body::BodyInfo::default();
    if site
        .documents
        .iter()
        .any(|d| d.content.is_empty() && !d.body.is_empty())
    {
        diags.push(Diagnostic::warning(
            "no-content-layer",
            "content/",
            "documents carry no content nodes: bodies were written as read, so Liquid tags in them are not resolved",
        ));
    }
    let mut alias_files: HashSet<String> = HashSet::default();
    let mut served_by: HashSet<String> = HashSet::default();
    let unresolved = unresolved_tags(site);
    // Each document's diagnostics, joined in document order at the end.
    let mut per_doc: Vec<Vec<Diagnostic>> = vec![Vec::new(); site.documents.len()];
    // Where each page goes is decided in order (a document sees the paths
    // and aliases of the ones before it) ...
    let mut jobs: Vec<(usize, &String, front_matter::Placement)> = Vec::new();
    for (i, d) in site.documents.iter().enumerate() {
        let Some(rel) = &paths[i] else {
            if d.output && rendered_over(&files::other_file(&served[i])) {
                per_doc[i].push(shadowed(&d.source, &served[i]));
                continue;
            }
            files::write_other(
                site,
                d,
                &served[i],
                out,
                &mut per_doc[i],
                &mut summary.files_copied,
            )?;
            continue;
        };
        if d.format != Format::Markdown {
            needs.html_content = true;
        }
        // A section's or taxonomy's own page (`_index.*`) is the list page
        // Hugo makes there, not a second page at its path.
        let list_page = rel
            .rsplit('/')
            .next()
            .is_some_and(|name| name.starts_with("_index."));
        let place = placement(
            site,
            d,
            list_page,
            (&served[i], &public[i]),
            (&taken, &folders, &made_by_hugo),
            &mut alias_files,
            &mut served_by,
            out,
            &mut per_doc[i],
        )?;
        jobs.push((i, rel, place));
    }
    crate::progress::mark("hugo pages");
    // ... then the pages are made in parallel (the bodies are the heavy
    // part), each handed to the writing thread as soon as it is made.
    let made: Vec<(usize, Vec<Diagnostic>, body::BodyInfo)> = out.with_writer(|w| {
        jobs.into_par_iter()
            .map(|(i, rel, place)| {
                let d = &site.documents[i];
                let fm = front_matter::build(d, &place);
                let (mut all, mut doc_diags) =
                    front_matter::write(&fm, opts.front_matter, &d.source);
                for (name, list) in [("tags", &d.tags), ("categories", &d.categories)] {
                    for term in list {
                        let Some(why) = front_matter::term_trouble(term) else {
                            continue;
                        };
                        let kind = if term.len() > crate::urls::MAX_NAME - 10 {
                            "term-too-long"
                        } else {
                            "term-unlisted"
                        };
                        doc_diags.push(Diagnostic::warning(
                            kind,
                            &d.source,
                            format!(
                                "the {name} term {:?} {why}, so Hugo could not make its page; it is kept in params.unlisted_{name}, not as a term",
                                crate::urls::shown(term)
                            ),
                        ));
                    }
                }
                let mut body_info = body::BodyInfo::default();
                let tags = unresolved
                    .get(d.source.as_str())
                    .map_or(&[][..], Vec::as_slice);
                let mut text =
                    body::render(d, style, &url_of, tags, &mut doc_diags, &mut body_info);
                if d.excerpt.is_none() && d.kind != crate::ir::DocKind::Page {
                    text = body::insert_more(&text, &d.excerpt_separator);
                }
                all.push_str(&text);
                if !all.ends_with('\n') {
                    all.push('\n');
                }
                w.write(&format!("content/{rel}"), all.into_bytes())?;
                Ok((i, doc_diags, body_info))
            })
            .collect::<Result<_, ConvertError>>()
    })??;
    for (i, doc_diags, body_info) in made {
        per_doc[i].extend(doc_diags);
        info.block_attributes |= body_info.block_attributes;
        info.math |= body_info.math;
        summary.documents += 1;
    }
    diags.extend(per_doc.into_iter().flatten());
    needs.block_attributes = info.block_attributes;
    needs.math = info.math;
    if info.math {
        diags.push(Diagnostic::info(
            "math",
            "hugo.toml",
            "$$ math is passed through untouched (goldmark passthrough); the built-in layouts load MathJax for it (params.math), a theme must do the same",
        ));
    }

    crate::progress::mark("hugo static");
    // Static files at the path Jekyll served them.
    for (f, rel) in site.static_files.iter().zip(&static_public) {
        if rel.is_empty() {
            continue;
        }
        // (A page whose file is a folder here has moved, see `placement`.)
        if folders.contains(rel) {
            diags.push(Diagnostic::warning(
                "static-collision",
                &f.source,
                format!("/{rel} is also the folder of pages or files below it; Jekyll could write only one of them, so this file is not copied"),
            ));
            continue;
        }
        if rendered_over(rel) {
            diags.push(shadowed(&f.source, &format!("/{rel}")));
            continue;
        }
        out.copy(&format!("static/{rel}"), &f.path)?;
        taken.insert(rel.clone());
        summary.files_copied += 1;
    }
    // _data as JSON under data/.
    for df in &site.data {
        if !(df.value.is_object() || df.value.is_array()) {
            diags.push(Diagnostic::warning(
                "data-scalar",
                &df.source,
                "Hugo data files must hold a map or a list; this one holds a single value and was not written",
            ));
            continue;
        }
        let key: Vec<String> = df.key.iter().map(|k| paths::sanitize(k)).collect();
        let rel = format!("data/{}.json", key.join("/"));
        let text = serde_json::to_string_pretty(&df.value).unwrap_or_default();
        out.write(&rel, text.as_bytes())?;
        summary.files_copied += 1;
    }
    needs.pager_size = site
        .config
        .raw
        .get("paginate")
        .and_then(Value::as_u64)
        .filter(|n| *n > 0 && uses_plugin(site, "jekyll-paginate"));
    let language = crate::lang::site_language(site);
    diags.extend(language.diagnostics);
    out.write(
        "hugo.toml",
        config::hugo_toml(site, &needs, &language.tag).as_bytes(),
    )?;
    for (name, text) in layouts::files() {
        out.write(&format!("layouts/{name}"), text.as_bytes())?;
    }
    for p in &site.config.plugins {
        if !matches!(
            p.as_str(),
            "jekyll-feed"
                | "jekyll-redirect-from"
                | "jekyll-paginate"
                | "jekyll-sitemap"
                | "jekyll-seo-tag"
        ) {
            diags.push(Diagnostic::info(
                "plugin",
                "_config.yml",
                format!(
                    "plugin {p} has no Hugo counterpart here; what it generated is not reproduced"
                ),
            ));
        }
    }
    if let Some(n) = needs.pager_size {
        files::write_pagination_redirects(site, n, &taken, out, diags)?;
    }
    crate::progress::mark("hugo report");
    let mut report = crate::report::migration_markdown(
        site,
        "hugo",
        summary.documents,
        summary.files_copied,
        &summary.diagnostics,
    );
    report.push_str(HUGO_NOTES);
    out.write("MIGRATION.md", report.as_bytes())?;
    Ok(summary)
}

/// Where `d` is served (`url`), which of its `redirect_from` become
/// aliases, and the redirect page for a Jekyll path Hugo cannot take.
/// `taken` holds the files pages are written at; `alias_files` and
/// `served_by` grow with each document.
#[allow(clippy::too_many_arguments)]
fn placement(
    site: &Site,
    d: &Document,
    list_page: bool,
    (served, public): (&str, &str),
    (taken, folders, made_by_hugo): (&HashSet<String>, &HashSet<String>, &HashSet<String>),
    alias_files: &mut HashSet<String>,
    served_by: &mut HashSet<String>,
    out: &mut OutputTree,
    diags: &mut Vec<Diagnostic>,
) -> Result<front_matter::Placement, ConvertError> {
    if d.url.contains("%2e") && served != percent_free(&d.url) {
        diags.push(Diagnostic::warning(
            "url-traversal",
            &d.source,
            format!(
                "URL {} climbs above the site root; Jekyll writes it at {}, and so does Hugo",
                d.url, served
            ),
        ));
    }
    let mut aliases = Vec::new();
    for r in &d.redirect_from {
        let a = paths::served_path(r);
        if !paths::hugo_can_serve(&a) {
            diags.push(Diagnostic::warning(
                "url-chars",
                &d.source,
                format!(
                    "redirect_from {r} holds %, #, ? or :, which Hugo cannot serve; no alias written"
                ),
            ));
            continue;
        }
        if a == "/" {
            // Hugo refuses an alias at the site's root (the home page).
            diags.push(Diagnostic::warning(
                "alias-root",
                &d.source,
                format!("redirect_from {r:?} points at the home page, which Hugo cannot alias; no alias written"),
            ));
            continue;
        }
        if crate::urls::shorten_long_names(&a, 0).is_some() {
            diags.push(Diagnostic::warning(
                "url-too-long",
                &d.source,
                format!(
                    "redirect_from {} holds a name longer than file systems take ({} bytes); no alias written",
                    crate::urls::shown(r),
                    crate::urls::MAX_NAME
                ),
            ));
            continue;
        }
        let file = paths::alias_file(&a);
        if file == public {
            // A redirect to the page's own file: the page serves it.
            continue;
        }
        let generated =
            |f: &str| paths::hugo_generated(f, &["tags", "categories"]) || made_by_hugo.contains(f);
        if taken.contains(&file)
            || alias_files.contains(&file)
            || folders.contains(&file)
            || generated(&file)
            || ancestors(&file).any(|f| taken.contains(f) || generated(f))
        {
            diags.push(Diagnostic::warning(
                "alias-collision",
                &d.source,
                format!("redirect_from {r} is already served by another page; no alias written"),
            ));
            continue;
        }
        alias_files.insert(file);
        aliases.push(a);
    }
    let mut url = served.to_string();
    let generated =
        |f: &str| paths::hugo_generated(f, &["tags", "categories"]) || made_by_hugo.contains(f);
    // Why the page is not served at Jekyll's path, if it is not.
    let mut moved: Option<&str> = None;
    let under_generated = ancestors(public).any(generated);
    if d.output && under_generated {
        // Below a folder named as a file Hugo writes itself (a category
        // `index.xml` in the permalink): that folder's name changes.
        url = url
            .split('/')
            .scan(String::new(), |above, name| {
                let file = if above.is_empty() {
                    name.to_string()
                } else {
                    format!("{above}/{name}")
                };
                let out = if generated(&file) {
                    name.replace('.', "-")
                } else {
                    name.to_string()
                };
                *above = file.trim_start_matches('/').to_string();
                Some(out)
            })
            .collect::<Vec<_>>()
            .join("/");
        moved = Some("lies below a folder named as a file Hugo writes itself");
    } else if d.output && (folders.contains(public) || (generated(public) && !list_page)) {
        // Another page or a static file lives below a folder of this
        // page's file name (Jekyll could write only one of them), or Hugo
        // writes a file of its own there.
        // An extensionless URL (`/categories`) was the file
        // `categories.html` for Jekyll, which hosts serve for it: that name
        // keeps the URL working where a numbered one would not.
        let html_file = format!("{}.html", url.trim_start_matches('/'));
        let extensionless = !url.ends_with('/')
            && !url.rsplit('/').next().unwrap_or("").contains('.')
            && url != "/";
        if extensionless
            && !folders.contains(&html_file)
            && !taken.contains(&html_file)
            && !generated(&html_file)
        {
            url = format!("{url}.html");
            moved = Some("is also a folder Hugo needs for other pages or its own lists, so it keeps the file name Jekyll gave it");
        } else {
            url = paths::numbered(&url, 2);
            moved = Some("is also a folder of other files, or a file Hugo writes itself");
        }
    }
    // Room for `-2` and `.html`, which a page's last name may gain.
    let too_long = crate::urls::shorten_long_names(&url, 8);
    if let Some(short) = &too_long {
        diags.push(crate::urls::too_long_warning(
            &d.source,
            &d.url,
            "Hugo",
            &format!("the page is served at {}", crate::urls::shown(short)),
        ));
        url = short.clone();
    }
    // The exact old path can hold a redirect page only where Hugo writes
    // nothing of its own and no folder is needed.
    let old_path_free =
        !(under_generated || (generated(public) && !list_page) || folders.contains(public));
    if !paths::hugo_can_serve(&url) && too_long.is_none() && old_path_free {
        // Serve the page at a path Hugo takes and put a redirect page,
        // as a static file, at the exact path Jekyll used.
        url = paths::hugo_safe(&url);
        let redirect = files::redirect_html(&site.config.baseurl, &url);
        out.write(&format!("static/{public}"), redirect.as_bytes())?;
        diags.push(Diagnostic::warning(
            "url-chars",
            &d.source,
            format!("Hugo cannot serve {} (it holds %, #, ? or :); the page is at {url} and a redirect page stands at the old path", served),
        ));
    } else if !paths::hugo_can_serve(&url) {
        url = paths::hugo_safe(&url);
    }
    // Last, the page's own file must be free: Jekyll overwrote one of two
    // pages at one path (Hugo refuses duplicates), and the renames above
    // may meet (`/x#y` and `/x?y` both become `/x-y`).
    if d.output {
        let base = url.clone();
        let mut n = 2;
        let file_of = |url: &str| {
            if url == served {
                public.to_lowercase()
            } else {
                paths::public_file(url).to_lowercase()
            }
        };
        while !served_by.insert(file_of(&url)) {
            url = paths::numbered(&base, n);
            n += 1;
            moved.get_or_insert("is also written by another document");
        }
    }
    if let Some(why) = moved {
        diags.push(Diagnostic::warning(
            "url-conflict",
            &d.source,
            format!("{served} {why}; this page is served at {url}"),
        ));
    }
    Ok(front_matter::Placement {
        url: Some(url),
        aliases,
        render_never: !d.output,
        list_page,
    })
}

/// The pages Hugo makes for the site's terms, and the feeds of its terms
/// and sections, which a page or alias there would duplicate (a page that
/// is a term's own `_index` page is that term's page: see
/// `paths::content_paths`). A folder holding an `index.*` page is a leaf
/// bundle, not a section.
fn hugo_made(site: &Site, paths: &[Option<String>]) -> HashSet<String> {
    let mut made: HashSet<String> = HashSet::default();
    for section in sections(paths) {
        made.insert(format!("{section}/index.xml"));
    }
    for (taxonomy, t) in paths::site_terms(site) {
        if front_matter::term_trouble(t).is_none() {
            let dir = format!("{taxonomy}/{}", paths::term_path(t));
            made.insert(format!("{dir}/index.html"));
            made.insert(format!("{dir}/index.xml"));
        }
    }
    made
}

/// The top-level folders of `content/` that Hugo makes sections of (a
/// folder holding an `index.*` page is a leaf bundle, not a section).
fn sections(paths: &[Option<String>]) -> HashSet<&str> {
    let leaf_bundles: HashSet<&str> = paths
        .iter()
        .flatten()
        .filter_map(|rel| rel.rsplit_once('/'))
        .filter(|(_, name)| name.starts_with("index."))
        .map(|(dir, _)| dir)
        .collect();
    paths
        .iter()
        .flatten()
        .filter_map(|rel| rel.split_once('/').map(|(section, _)| section))
        .filter(|section| !leaf_bundles.contains(section))
        .collect()
}

/// Whether Hugo renders `file` (below `public/`) itself, so that a file
/// copied there from `static/` would be replaced: a taxonomy's or term's
/// page or feed, a section's feed, or the list page of a section that has
/// no `_index` document. The home page, the home feed and the sitemap are
/// not counted: `hugo.toml` turns those off when the site has its own
/// (see [`config::Needs`]).
fn renders_over(
    file: &str,
    feed_xml: bool,
    made_by_hugo: &HashSet<String>,
    section_pages: &HashSet<String>,
) -> bool {
    let name = file.rsplit('/').next().unwrap_or(file);
    // Feeds are `feed.xml` when jekyll-feed's URL is kept.
    let file: Cow<str> = match (feed_xml, name) {
        (true, "index.xml") => return false,
        (true, "feed.xml") => Cow::Owned(format!("{}index.xml", &file[..file.len() - 8])),
        _ => Cow::Borrowed(file),
    };
    if matches!(&*file, "index.html" | "index.xml" | "sitemap.xml") {
        return false;
    }
    paths::hugo_generated(&file, &["tags", "categories"])
        || made_by_hugo.contains(&*file)
        || section_pages.contains(&*file)
}

/// The warning for a file Jekyll served at `url` where Hugo writes a page
/// of its own.
fn shadowed(source: &str, url: &str) -> Diagnostic {
    Diagnostic::warning(
        "static-shadowed",
        source,
        format!("Hugo writes its own list page or feed at {url} and would replace this file, so it is not copied; give it another path in Jekyll or remove the tags, categories or section Hugo makes the page for"),
    )
}

/// Every folder the files at `files` (paths below `public/`) need.
fn folders_of<'a>(files: impl Iterator<Item = &'a String>) -> HashSet<String> {
    let mut folders: HashSet<String> = HashSet::default();
    for f in files {
        for a in ancestors(f) {
            if folders.contains(a) {
                // Its own ancestors were added with it.
                break;
            }
            folders.insert(a.to_string());
        }
    }
    folders
}

/// The folders above `file`, innermost first (`a/b/c` → `a/b`, `a`).
fn ancestors(file: &str) -> impl Iterator<Item = &str> {
    std::iter::successors(file.rsplit_once('/').map(|(a, _)| a), |a| {
        a.rsplit_once('/').map(|(b, _)| b)
    })
}

/// How to use the result, appended to `MIGRATION.md`.
const HUGO_NOTES: &str = "
## Using the Hugo site

- `hugo server` serves it at once with the small built-in layouts in `layouts/`
  (`baseof`, `home`, `page`, `section`, `taxonomy`, `term`); replace them with a theme.
- Every page has a `url` equal to the path Jekyll wrote it at, and `aliases` for
  `redirect_from`, so links from elsewhere keep working; keep them when you rework the
  content tree.
- Jekyll front-matter keys that Hugo has no name for are under `params` (`.Params.x`).
- kramdown's `{:toc}` became the `{{< toc >}}` shortcode (`layouts/_shortcodes/toc.html`).
- Build with `hugo --buildFuture` if the site had `future: true` or dated posts ahead.
";

/// The Liquid tags, by document, that the content layer could not resolve
/// and kept as literal text: its diagnostics quote each one in backticks
/// (`` `{% include x %}`: no such file ``, `` `{% plugin_tag %}` is kept as
/// literal text ``).
fn unresolved_tags(site: &Site) -> HashMap<&str, Vec<&str>> {
    let mut m: HashMap<&str, Vec<&str>> = HashMap::default();
    for d in &site.diagnostics {
        if d.severity < crate::diagnostics::Severity::Warning {
            continue;
        }
        for q in d.message.split('`').skip(1).step_by(2) {
            let tag = (q.starts_with("{%") && q.ends_with("%}"))
                || (q.starts_with("{{") && q.ends_with("}}"));
            if tag {
                m.entry(d.file.as_str()).or_default().push(q);
            }
        }
    }
    m
}

fn percent_free(url: &str) -> String {
    paths::percent_decode(url)
}
