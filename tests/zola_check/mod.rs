//! An independent checker of a Zola site: the rules Zola 0.22 and 0.23
//! enforce (see `../shared/notes/zola.md`), written from Zola's own shapes and
//! the notes, not from the converter, and the output file each URL maps to.
#![allow(dead_code)]

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::common;

// ---------------------------------------------------------------- Zola's shapes

/// Zola's page front matter (components/content/src/front_matter/page.rs).
/// Dates must be TOML date-times here: this converter never writes strings.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct PageFm {
    title: Option<String>,
    description: Option<String>,
    date: Option<toml::value::Datetime>,
    updated: Option<toml::value::Datetime>,
    weight: Option<u64>,
    draft: Option<bool>,
    render: Option<bool>,
    slug: Option<String>,
    path: Option<String>,
    aliases: Option<Vec<String>>,
    authors: Option<Vec<String>>,
    template: Option<String>,
    in_search_index: Option<bool>,
    taxonomies: Option<HashMap<String, Vec<String>>>,
    extra: Option<toml::Table>,
}

/// Zola's section front matter (front_matter/section.rs, deny_unknown_fields).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct SectionFm {
    title: Option<String>,
    description: Option<String>,
    sort_by: Option<SortBy>,
    weight: Option<u64>,
    draft: Option<bool>,
    template: Option<String>,
    page_template: Option<String>,
    paginate_by: Option<u64>,
    paginate_path: Option<String>,
    paginate_reversed: Option<bool>,
    insert_anchor_links: Option<InsertAnchor>,
    render: Option<bool>,
    redirect_to: Option<String>,
    in_search_index: Option<bool>,
    transparent: Option<bool>,
    aliases: Option<Vec<String>>,
    generate_feeds: Option<bool>,
    extra: Option<toml::Table>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SortBy {
    None,
    Date,
    UpdateDate,
    Title,
    TitleBytes,
    Weight,
    Slug,
    Permalink,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum InsertAnchor {
    Left,
    Right,
    Heading,
    None,
}

/// Zola's config.toml (components/config/src/config/mod.rs, deny_unknown_fields),
/// the keys 0.22 and 0.23 share (`skip_content_templating` is 0.23 only).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct ConfigFile {
    base_url: String,
    theme: Option<String>,
    title: Option<String>,
    description: Option<String>,
    default_language: Option<String>,
    languages: Option<toml::Table>,
    translations: Option<toml::Table>,
    generate_feeds: Option<bool>,
    feed_limit: Option<u64>,
    feed_filenames: Option<Vec<String>>,
    hard_link_static: Option<bool>,
    taxonomies: Option<Vec<TaxonomyCfg>>,
    taxonomy_root: Option<String>,
    author: Option<String>,
    compile_sass: Option<bool>,
    minify_html: Option<bool>,
    build_search_index: Option<bool>,
    ignored_content: Option<Vec<String>>,
    ignored_static: Option<Vec<String>>,
    output_dir: Option<String>,
    preserve_dotfiles_in_output: Option<bool>,
    link_checker: Option<LinkCheckerCfg>,
    slugify: Option<toml::Table>,
    search: Option<toml::Table>,
    markdown: Option<MarkdownCfg>,
    extra: Option<toml::Table>,
    generate_sitemap: Option<bool>,
    generate_robots_txt: Option<bool>,
    exclude_paginated_pages_in_sitemap: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct TaxonomyCfg {
    name: String,
    paginate_by: Option<u64>,
    paginate_path: Option<String>,
    render: Option<bool>,
    feed: Option<bool>,
    lang: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct LinkCheckerCfg {
    skip_prefixes: Option<Vec<String>>,
    skip_anchor_prefixes: Option<Vec<String>>,
    internal_level: Option<String>,
    external_level: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct MarkdownCfg {
    highlighting: Option<HighlightingCfg>,
    render_emoji: Option<bool>,
    external_links_class: Option<String>,
    external_links_target_blank: Option<bool>,
    external_links_no_follow: Option<bool>,
    external_links_no_referrer: Option<bool>,
    external_links_external: Option<bool>,
    smart_punctuation: Option<bool>,
    definition_list: Option<bool>,
    bottom_footnotes: Option<bool>,
    lazy_async_image: Option<bool>,
    insert_anchor_links: Option<String>,
    github_alerts: Option<bool>,
}

/// 0.23 denies unknown keys here; 0.22 needs `theme` or both light/dark.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct HighlightingCfg {
    error_on_missing_language: Option<bool>,
    style: Option<String>,
    theme: Option<String>,
    light_theme: Option<String>,
    dark_theme: Option<String>,
    extra_grammars: Option<Vec<String>>,
    extra_themes: Option<Vec<String>>,
}

// ---------------------------------------------------------------- the checker

/// What the checks found in one output folder.
#[derive(Debug, Default)]
pub struct Checked {
    /// Content files checked.
    pub files: usize,
    /// Every rule broken, worded for a failure message.
    pub violations: Vec<String>,
    /// Output file → the claimants (content file and what).
    pub outputs: BTreeMap<String, Vec<String>>,
}

/// Splits front matter the way Zola's regex does: the first `+++` followed
/// by optional blanks and a line end closes it.
pub fn split_front_matter(text: &str) -> Option<(&str, &str)> {
    let rest = text.trim_start().strip_prefix("+++")?;
    let rest = rest
        .strip_prefix('\n')
        .or_else(|| rest.strip_prefix("\r\n"))?;
    let re = regex::Regex::new(r"\+\+\+[ \t]*(\r?\n|$)").unwrap();
    let m = re.find(rest)?;
    Some((&rest[..m.start()], &rest[m.end()..]))
}

/// Template openers Zola 0.22 or 0.23 would act on: any `{{` or `{%`, and a
/// `{#` that is not a heading-id attribute at the end of a heading line.
pub fn template_syntax(body: &str) -> Vec<String> {
    let container_prefix = regex::Regex::new(r"^\s*(?:(?:[-*+]|\d+[.)])\s+|>\s?)*").unwrap();
    let heading_attr = regex::Regex::new(r"\{#[\w:.-]+(?:\s+[^{}]*)?\}\s*$").unwrap();
    let mut found = Vec::new();
    let lines: Vec<&str> = body.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        if line.contains("{{") || line.contains("{%") {
            found.push(format!("line {}: {line}", i + 1));
            continue;
        }
        if let Some(pos) = line.find("{#") {
            // An ATX heading, possibly inside list items or quotes.
            let is_heading = container_prefix.replace(line, "").starts_with('#')
                || lines.get(i + 1).is_some_and(|n| {
                    let t = n.trim();
                    !t.is_empty() && (t.chars().all(|c| c == '=') || t.chars().all(|c| c == '-'))
                });
            let only_at_end = line[pos..].find("{#").is_some()
                && line.matches("{#").count() == 1
                && heading_attr.is_match(&line[pos..]);
            if !(is_heading && only_at_end) {
                found.push(format!("line {}: {line}", i + 1));
            }
        }
    }
    found
}

/// Whether a link is relative to the page (so Zola would resolve it against
/// the page's new permalink, not Jekyll's URL).
pub fn is_relative(link: &str) -> bool {
    let l = link.trim();
    let scheme = regex::Regex::new(r"^[A-Za-z][A-Za-z0-9+.-]*:").unwrap();
    !(l.is_empty()
        || l.starts_with('/')
        || l.starts_with('#')
        || l.starts_with('?')
        || l.starts_with("@/")
        || l.starts_with('&')
        || scheme.is_match(l))
}

/// Relative link and image destinations in Markdown and raw HTML.
pub fn relative_links(body: &str) -> Vec<String> {
    use pulldown_cmark::{Event, Options, Parser, Tag};
    let attr = regex::Regex::new(r#"(?i)\s(?:href|src)\s*=\s*(?:"([^"]*)"|'([^']*)')"#).unwrap();
    let mut found = Vec::new();
    let opts =
        Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_HEADING_ATTRIBUTES;
    for ev in Parser::new_ext(body, opts) {
        match ev {
            // Zola fails the build on a link with no URL at all.
            Event::Start(Tag::Link { dest_url, .. }) if dest_url.trim().is_empty() => {
                found.push(String::new());
            }
            Event::Start(Tag::Link {
                dest_url,
                link_type,
                ..
            })
            | Event::Start(Tag::Image {
                dest_url,
                link_type,
                ..
            // `<a@b.c>` is an e-mail autolink, rendered as mailto:.
            }) if link_type != pulldown_cmark::LinkType::Email && is_relative(&dest_url) => {
                found.push(dest_url.to_string());
            }
            Event::Html(h) | Event::InlineHtml(h) => {
                for c in attr.captures_iter(&h) {
                    let v = c.get(1).or(c.get(2)).map(|m| m.as_str()).unwrap_or("");
                    if is_relative(v) {
                        found.push(v.to_string());
                    }
                }
            }
            _ => {}
        }
    }
    found
}

/// The file Zola writes for an alias (notes: URL mapping table).
pub fn alias_file(alias: &str) -> String {
    let a = alias.trim_matches('/');
    if a.rsplit('/').next().unwrap_or("").ends_with(".html") {
        a.to_string()
    } else if a.is_empty() {
        "index.html".into()
    } else {
        format!("{a}/index.html")
    }
}

/// The file Zola writes for a page `path`.
pub fn path_file(path: &str) -> String {
    let p = path.trim().trim_matches('/');
    if p.is_empty() {
        "index.html".into()
    } else {
        format!("{p}/index.html")
    }
}

pub fn walk(dir: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect()
}

/// Checks every rule on the Zola site at `out` (built without `--drafts`).
pub fn check_output(out: &Path) -> Checked {
    check_output_with(out, false)
}

/// Checks every rule on the Zola site at `out`; `drafts`: as `zola build
/// --drafts` would build it.
pub fn check_output_with(out: &Path, drafts: bool) -> Checked {
    let mut c = Checked::default();
    let mut violations = Vec::new();
    let mut v = |s: String| violations.push(s);
    let mut outputs: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut claim = |file: String, who: String| outputs.entry(file).or_default().push(who);

    // config.toml
    let cfg_text = std::fs::read_to_string(out.join("config.toml")).unwrap_or_default();
    let cfg: Option<ConfigFile> = match toml::from_str(&cfg_text) {
        Ok(c) => Some(c),
        Err(e) => {
            v(format!("config.toml: {e}"));
            None
        }
    };
    let declared: Vec<String> = cfg
        .as_ref()
        .and_then(|c| c.taxonomies.as_ref())
        .map(|t| t.iter().map(|t| t.name.clone()).collect())
        .unwrap_or_default();
    let rendered_taxonomies: Vec<String> = cfg
        .as_ref()
        .and_then(|c| c.taxonomies.as_ref())
        .map(|t| {
            t.iter()
                .filter(|t| t.render != Some(false))
                .map(|t| t.name.clone())
                .collect()
        })
        .unwrap_or_default();
    if let Some(cfg) = &cfg {
        // Taxonomies must come before any table, or a table would swallow them.
        let first_table = cfg_text.find("\n[").unwrap_or(cfg_text.len());
        if cfg.taxonomies.is_some() && cfg_text.find("taxonomies").is_none_or(|i| i > first_table) {
            v("config.toml: taxonomies come after a table".into());
        }
        // Zola checks it is a Unicode language identifier.
        let lang_ok = regex::Regex::new(r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$").unwrap();
        if let Some(l) = &cfg.default_language {
            if !lang_ok.is_match(l) {
                v(format!(
                    "config.toml: default_language {l:?} is not a language identifier"
                ));
            }
        }
        match cfg.markdown.as_ref().and_then(|m| m.highlighting.as_ref()) {
            Some(h) if h.theme.is_some() || (h.light_theme.is_some() && h.dark_theme.is_some()) => {
            }
            Some(_) => v("config.toml: [markdown.highlighting] needs a theme in 0.22".into()),
            None => {}
        }
        if cfg.generate_feeds == Some(true) {
            for f in cfg
                .feed_filenames
                .clone()
                .unwrap_or_else(|| vec!["atom.xml".into()])
            {
                claim(f.clone(), "zola feed".into());
                if !out.join("templates").join(&f).is_file() && f != "atom.xml" && f != "rss.xml" {
                    v(format!("templates/{f} missing for the feed"));
                }
            }
        }
        if cfg.generate_sitemap != Some(false) {
            claim("sitemap.xml".into(), "zola sitemap".into());
        }
        if cfg.generate_robots_txt != Some(false) {
            claim("robots.txt".into(), "zola robots".into());
        }
    }
    claim("404.html".into(), "zola 404".into());
    for t in [
        "index.html",
        "page.html",
        "section.html",
        "taxonomy_list.html",
        "taxonomy_single.html",
    ] {
        if !out.join("templates").join(t).is_file() {
            v(format!("templates/{t} missing"));
        }
    }

    // content/
    let content = out.join("content");
    if content.join("index.md").exists() {
        v("content/index.md exists (Zola error)".into());
    }
    if !content.join("_index.md").is_file() {
        v("content/_index.md missing".into());
    }
    for file in walk(&content) {
        let rel = file
            .strip_prefix(&content)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if !rel.ends_with(".md") {
            continue;
        }
        c.files += 1;
        let text = match std::fs::read_to_string(&file) {
            Ok(t) => t,
            Err(e) => {
                v(format!("{rel}: {e}"));
                continue;
            }
        };
        let Some((fm, body)) = split_front_matter(&text) else {
            v(format!("{rel}: no TOML front matter"));
            continue;
        };
        for line in fm.lines() {
            if line.trim_end().ends_with("---") || line.trim_end().ends_with("+++") {
                v(format!("{rel}: front-matter line ends in ---/+++: {line}"));
            }
        }
        for s in template_syntax(body) {
            v(format!("{rel}: template syntax: {s}"));
        }
        for l in relative_links(body) {
            v(format!(
                "{rel}: relative link {l:?} (Zola would prefix the page's permalink)"
            ));
        }
        let dir = rel
            .rsplit_once('/')
            .map(|(d, _)| d.to_string())
            .unwrap_or_default();
        if !dir.is_empty() && !content.join(&dir).join("_index.md").is_file() {
            v(format!(
                "{rel}: folder {dir} has no _index.md (pages would be orphans)"
            ));
        }
        let name = rel.rsplit('/').next().unwrap_or("");
        if name == "index.md" {
            v(format!("{rel}: index.md beside _index.md"));
        }
        if name == "_index.md" {
            match toml::from_str::<SectionFm>(fm) {
                Ok(s) => {
                    if s.render != Some(false) {
                        let path = if dir.is_empty() {
                            String::new()
                        } else {
                            dir.clone()
                        };
                        claim(path_file(&path), format!("{rel} (section)"));
                    }
                    for a in s.aliases.unwrap_or_default() {
                        claim(alias_file(&a), format!("{rel} (alias)"));
                    }
                }
                Err(e) => v(format!("{rel}: section front matter: {e}")),
            }
            continue;
        }
        match toml::from_str::<PageFm>(fm) {
            Ok(p) => {
                for (k, d) in [("date", &p.date), ("updated", &p.updated)] {
                    if let Some(d) = d {
                        if d.time.is_some() && d.offset.is_none() {
                            v(format!("{rel}: {k} has no offset"));
                        }
                    }
                }
                for (name, terms) in p.taxonomies.iter().flatten() {
                    if !declared.contains(name) {
                        v(format!(
                            "{rel}: taxonomy {name} not declared in config.toml"
                        ));
                    }
                    if terms.iter().any(|t| t.trim().is_empty()) {
                        v(format!("{rel}: empty {name} term"));
                    }
                    if rendered_taxonomies.contains(name) {
                        claim(format!("{name}/index.html"), format!("zola {name}"));
                    }
                }
                if p.authors.is_some()
                    && p.authors
                        .as_ref()
                        .is_some_and(|a| a.iter().any(String::is_empty))
                {
                    v(format!("{rel}: empty author"));
                }
                if p.render == Some(false) {
                    continue;
                }
                if p.draft == Some(true) && !drafts {
                    continue;
                }
                match &p.path {
                    Some(path) if !path.trim().is_empty() => {
                        claim(path_file(path), format!("{rel} (path)"));
                        for a in p.aliases.iter().flatten() {
                            if a.trim_matches('/') == path.trim_matches('/') {
                                v(format!("{rel}: alias {a} equals its path"));
                            }
                        }
                    }
                    _ => v(format!(
                        "{rel}: page without a path (its URL would be Zola's, not Jekyll's)"
                    )),
                }
                for a in p.aliases.iter().flatten() {
                    claim(alias_file(a), format!("{rel} (alias)"));
                }
            }
            Err(e) => v(format!("{rel}: page front matter: {e}")),
        }
    }
    // The feed template, a 404 template and every static file.
    let stat = out.join("static");
    for file in walk(&stat) {
        let rel = file
            .strip_prefix(&stat)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        claim(rel.clone(), format!("static/{rel}"));
    }
    // Zola compiles sass/**/*.scss|sass (not `_partials`) to the same path in .css.
    let sass = out.join("sass");
    if sass.is_dir() && cfg.as_ref().and_then(|c| c.compile_sass) != Some(true) {
        v("sass/ exists but compile_sass is not set".into());
    }
    for file in walk(&sass) {
        let rel = file
            .strip_prefix(&sass)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let name = rel.rsplit('/').next().unwrap_or("");
        if name.starts_with('_') {
            continue;
        }
        if let Some(stem) = rel
            .strip_suffix(".scss")
            .or_else(|| rel.strip_suffix(".sass"))
        {
            claim(format!("{stem}.css"), format!("sass/{rel}"));
        }
    }
    // One output file, one owner; and no file where another needs a folder.
    // (Taxonomy list pages are claimed once per page that uses them.)
    for (file, who) in &outputs {
        let owners: std::collections::BTreeSet<&String> =
            who.iter().filter(|w| !w.starts_with("zola ")).collect();
        let zola = who.iter().any(|w| w.starts_with("zola "));
        if owners.len() > 1 || (zola && !owners.is_empty() && file != "404.html") {
            v(format!("collision on {file}: {who:?}"));
        }
        let mut rest = file.as_str();
        while let Some((parent, _)) = rest.rsplit_once('/') {
            if outputs.contains_key(parent) {
                v(format!(
                    "{parent} is a file but {file} needs it as a folder"
                ));
            }
            rest = parent;
        }
    }
    c.outputs = outputs;
    c.violations = violations;
    c
}

/// Decodes `%XX` and drops empty, `.` and `..` segments (a server normalises
/// `/../x` to `/x`).
pub fn url_segments(url: &str) -> (Vec<String>, bool) {
    let decoded = common::percent_decode(url.split(['?', '#']).next().unwrap_or(""));
    let segs = decoded
        .split('/')
        .filter(|s| !s.is_empty() && *s != "." && *s != "..")
        .map(str::to_string)
        .collect();
    (segs, url.ends_with('/'))
}

/// The output files that would answer `url`.
pub fn candidates(url: &str) -> Vec<String> {
    let (segs, slash) = url_segments(url);
    let joined = segs.join("/");
    if slash || joined.is_empty() {
        return vec![path_file(&joined)];
    }
    let last = segs.last().map(String::as_str).unwrap_or("");
    if last.contains('.') {
        vec![joined]
    } else {
        // Extension-less: a server answers from `x.html`, `x/index.html`, or
        // a file named exactly `x` (a non-HTML page).
        vec![format!("{joined}.html"), path_file(&joined), joined]
    }
}

/// Maps every URL to an output file; returns (mapped, total, unmapped URLs).
pub fn map_urls(urls: &[(String, String)], checked: &Checked) -> (usize, usize, Vec<String>) {
    let mut unmapped = Vec::new();
    for (url, source) in urls {
        if !candidates(url)
            .iter()
            .any(|f| checked.outputs.contains_key(f))
        {
            unmapped.push(format!("{url} ({source})"));
        }
    }
    (urls.len() - unmapped.len(), urls.len(), unmapped)
}

/// Renders a Zola content body the way Zola's Markdown step would (the
/// pulldown-cmark options `config.toml` turns on); templates are not run,
/// since the body holds no template syntax.
pub fn zola_markdown_to_html(body: &str) -> String {
    use pulldown_cmark::{html, Options, Parser};
    let opts = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_DEFINITION_LIST;
    // `bottom_footnotes = true`: definitions move to the end, as kramdown
    // puts them.
    let mut main = Vec::new();
    let mut notes = Vec::new();
    let mut depth = 0;
    for ev in Parser::new_ext(body, opts) {
        let starts = matches!(
            ev,
            pulldown_cmark::Event::Start(pulldown_cmark::Tag::FootnoteDefinition(_))
        );
        let ends = matches!(
            ev,
            pulldown_cmark::Event::End(pulldown_cmark::TagEnd::FootnoteDefinition)
        );
        if starts {
            depth += 1;
        }
        if depth > 0 {
            notes.push(ev);
        } else {
            main.push(ev);
        }
        if ends {
            depth -= 1;
        }
    }
    let mut out = String::new();
    html::push_html(&mut out, main.into_iter().chain(notes));
    out
}
