//! Writing a planned site: content files with their front matter, sections,
//! static files, stylesheets, templates, `config.toml` and `MIGRATION.md`.

use crate::fast_hash::FastMap as HashMap;

use rayon::prelude::*;

use crate::content::Node;
use crate::converters::{ConvertError, Summary};
use crate::diagnostics::Diagnostic;
use crate::ir::{Document, Site};
use crate::output::OutputTree;
use crate::report;

use super::body::{self, BodyContext};
use super::config;
use super::frontmatter::{self, PageFrontMatter, SectionFrontMatter};
use super::plan::{Placement, Plan};
use super::taxonomy::{term_slug, terms, TAXONOMIES};
use super::templates;

impl Plan {
    /// Content file (below `content/`) of every document written as a
    /// rendered, non-draft page or as the root section, by source path.
    pub fn content_files<'a>(&'a self, site: &'a Site) -> HashMap<&'a str, &'a str> {
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
                } => Some((d.source.as_str(), file.as_str())),
                Placement::Root { .. } => Some((d.source.as_str(), "_index.md")),
                _ => None,
            })
            .collect()
    }

    /// Writes the planned site into `out`.
    pub fn write(mut self, site: &Site, out: &mut OutputTree) -> Result<Summary, ConvertError> {
        let mut diags = std::mem::take(&mut self.diagnostics);
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
        let mut page_dates: HashMap<&str, (usize, usize)> = HashMap::default();
        // Pages are made in parallel (their bodies are the heavy part) and
        // handed to the writing thread as soon as each is made; their
        // diagnostics are joined in document order below.
        let mut pages: Vec<Option<Vec<Diagnostic>>> = out.with_writer(|w| {
            site.documents
                .par_iter()
                .zip(self.placements.par_iter())
                .map(|(d, p)| {
                    let Placement::Page {
                        file,
                        path,
                        aliases,
                        draft,
                    } = p
                    else {
                        return Ok(None);
                    };
                    let mut page_diags = Vec::new();
                    let fm = page_front_matter(
                        site,
                        d,
                        path.as_deref(),
                        aliases,
                        *draft,
                        &mut page_diags,
                    );
                    let b = body::render(d, &ctx, &mut page_diags);
                    let mut text = render_or_report(fm, d, b.text.len(), &mut page_diags)?;
                    text.push_str(&b.text);
                    w.write(&format!("content/{file}"), text.into_bytes())?;
                    Ok(Some(page_diags))
                })
                .collect::<Result<_, ConvertError>>()
        })??;
        for (i, (d, p)) in site.documents.iter().zip(&self.placements).enumerate() {
            match p {
                Placement::Page { file, .. } => {
                    if let Some(page_diags) = pages.get_mut(i).and_then(Option::take) {
                        diags.extend(page_diags);
                    }
                    documents += 1;
                    let dir = file.rsplit_once('/').map(|(a, _)| a).unwrap_or("");
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
                Placement::Css { file, css } => {
                    out.write(&format!("static/{file}"), css.as_bytes())?;
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
        crate::progress::mark("zola sections");
        if !root_written {
            let fm = root_front_matter(site, None, &[], &mut diags);
            let text = frontmatter::render(&fm).map_err(ConvertError::Other)?;
            out.write("content/_index.md", text.as_bytes())?;
        }
        for s in &self.sections {
            let (n, dated) = page_dates.get(s.as_str()).copied().unwrap_or((0, 0));
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
        let mut own_templates: Vec<&str> = Vec::new();
        for (i, name) in &self.template_copies {
            let Some(f) = site.static_files.get(*i) else {
                continue;
            };
            match std::fs::read_to_string(&f.path) {
                Ok(text) => {
                    out.write(
                        &format!("templates/{name}"),
                        templates::verbatim(&text).as_bytes(),
                    )?;
                    own_templates.push(name);
                    copied += 1;
                }
                Err(e) => diags.push(Diagnostic::error(
                    "zola-static-copy",
                    &f.source,
                    format!(
                        "could not keep it as templates/{name} ({e}); Zola writes its own /{name}"
                    ),
                )),
            }
        }
        let posts_section = self.sections.contains("posts").then_some("posts/_index.md");
        for (name, text) in templates::files(posts_section, &self.feeds) {
            if !own_templates.contains(&name.as_str()) {
                out.write(&format!("templates/{name}"), text.as_bytes())?;
            }
        }
        let mut cfg = config::build(site, self.taxonomies.clone(), &self.feeds, &mut diags);
        cfg.compile_sass = self
            .placements
            .iter()
            .any(|p| matches!(p, Placement::Sass { .. }));
        let cfg_text = config::render(&cfg).map_err(ConvertError::Other)?;
        out.write("config.toml", cfg_text.as_bytes())?;
        let mut md = report::migration_markdown(site, "zola", documents, copied, &diags);
        md.push_str(ZOLA_NOTES);
        out.write("MIGRATION.md", md.as_bytes())?;
        Ok(Summary {
            documents,
            files_copied: copied,
            diagnostics: diags,
            detail: None,
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
            .find(|d| crate::urls::is_not_found_page(&d.url) && d.output)
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
        let safe = templates::verbatim(&html);
        let text = format!(
            "<!DOCTYPE html>\n<html lang=\"{{{{ lang }}}}\">\n<head><meta charset=\"utf-8\"><title>{}</title></head>\n<body>\n{safe}\n</body>\n</html>\n",
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
    spare: usize,
    diags: &mut Vec<Diagnostic>,
) -> Result<String, ConvertError> {
    if let Some(text) = super::plain_toml::page(&fm, spare) {
        return Ok(text);
    }
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
    let mut dropped = Vec::new();
    let mut t = toml::Table::new();
    for (k, v) in &d.front_matter {
        if MAPPED.contains(&k.as_str()) || also.contains(&k.as_str()) {
            continue;
        }
        if let Some(x) = frontmatter::json_to_toml(v, k, &mut dropped) {
            t.insert(k.clone(), x);
        }
    }
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
    site: &Site,
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
        // Names, not `_data/authors` keys: Zola shows `page.authors` as is.
        authors: crate::authors::names(site, &d.authors),
        extra: extra_of(d, &also, diags),
        ..PageFrontMatter::default()
    };
    for name in TAXONOMIES {
        let (t, dropped): (Vec<String>, Vec<String>) = terms(d, name).into_iter().partition(|t| {
            let slug = term_slug(t);
            !slug.is_empty() && slug.len() <= crate::urls::MAX_NAME - 10
        });
        for term in dropped {
            let (kind, why) = if term_slug(&term).is_empty() {
                ("zola-term-empty-slug", "has no letters or digits")
            } else {
                ("term-too-long", "is longer than a folder name may be")
            };
            diags.push(Diagnostic::warning(
                kind,
                &d.source,
                format!(
                    "the {name} term {:?} {why}, so Zola cannot give it a URL; it is kept only in [extra]",
                    crate::urls::shown(&term)
                ),
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
