//! Zola: every emitted file obeys the rules Zola 0.22 and 0.23 enforce (see
//! `../shared/notes/zola.md`), checked here independently of the converter:
//! front matter parsed into structs that mirror Zola's own with unknown keys
//! denied, taxonomies declared, `config.toml` keys known, no template syntax
//! left in content; and every Jekyll URL maps to exactly one Zola output file.

mod common;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use jekyll_migrate::content::Node;
use jekyll_migrate::converters::{self, ConvertOptions};
use jekyll_migrate::ir::{
    CollectionInfo, DateTime, DocKind, Document, Format, Site, SiteConfig, StaticFile,
};
use jekyll_migrate::output::OutputTree;
use serde::Deserialize;

// ---------------------------------------------------------------- Zola's shapes

/// Zola's page front matter (components/content/src/front_matter/page.rs).
/// Dates must be TOML date-times here: this converter never writes strings.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct PageFm {
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
struct SectionFm {
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
enum SortBy {
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
enum InsertAnchor {
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
struct ConfigFile {
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
struct TaxonomyCfg {
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
struct LinkCheckerCfg {
    skip_prefixes: Option<Vec<String>>,
    skip_anchor_prefixes: Option<Vec<String>>,
    internal_level: Option<String>,
    external_level: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct MarkdownCfg {
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
struct HighlightingCfg {
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
struct Checked {
    files: usize,
    violations: Vec<String>,
    /// Output file → the claimants (content file and what).
    outputs: BTreeMap<String, Vec<String>>,
}

/// Splits front matter the way Zola's regex does: the first `+++` followed
/// by optional blanks and a line end closes it.
fn split_front_matter(text: &str) -> Option<(&str, &str)> {
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
fn template_syntax(body: &str) -> Vec<String> {
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
fn is_relative(link: &str) -> bool {
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
fn relative_links(body: &str) -> Vec<String> {
    use pulldown_cmark::{Event, Options, Parser, Tag};
    let attr = regex::Regex::new(r#"(?i)\s(?:href|src)\s*=\s*(?:"([^"]*)"|'([^']*)')"#).unwrap();
    let mut found = Vec::new();
    let opts =
        Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_HEADING_ATTRIBUTES;
    for ev in Parser::new_ext(body, opts) {
        match ev {
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
fn alias_file(alias: &str) -> String {
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
fn path_file(path: &str) -> String {
    let p = path.trim().trim_matches('/');
    if p.is_empty() {
        "index.html".into()
    } else {
        format!("{p}/index.html")
    }
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect()
}

/// Checks every rule on the Zola site at `out` (built without `--drafts`).
fn check_output(out: &Path) -> Checked {
    check_output_with(out, false)
}

/// Checks every rule on the Zola site at `out`; `drafts`: as `zola build
/// --drafts` would build it.
fn check_output_with(out: &Path, drafts: bool) -> Checked {
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
fn url_segments(url: &str) -> (Vec<String>, bool) {
    let decoded = common::percent_decode(url.split(['?', '#']).next().unwrap_or(""));
    let segs = decoded
        .split('/')
        .filter(|s| !s.is_empty() && *s != "." && *s != "..")
        .map(str::to_string)
        .collect();
    (segs, url.ends_with('/'))
}

/// The output files that would answer `url`.
fn candidates(url: &str) -> Vec<String> {
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
fn map_urls(urls: &[(String, String)], checked: &Checked) -> (usize, usize, Vec<String>) {
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

fn convert(site: &Site, opts: &ConvertOptions) -> (tempfile::TempDir, converters::Summary) {
    let conv = converters::find("zola").expect("zola is registered");
    let out = tempfile::tempdir().expect("temp dir");
    let mut tree = OutputTree::new(out.path());
    let summary = conv
        .convert(site, opts, &mut tree, "zola")
        .expect("conversion succeeds");
    (out, summary)
}

// ---------------------------------------------------------------- a hand-built site

fn dt(s: &str, offset_hours: i8) -> DateTime {
    DateTime {
        instant: s.parse().unwrap(),
        offset: jiff::tz::Offset::constant(offset_hours),
    }
}

fn md(text: &str) -> Vec<Node> {
    vec![Node::Markdown {
        text: text.into(),
        line: 4,
    }]
}

/// A small site with the cases that break Zola migrations.
fn hand_built(static_dir: &Path) -> Site {
    let img = static_dir.join("pic.png");
    std::fs::write(&img, b"\x89PNG").unwrap();
    let mut docs = Vec::new();

    let mut d = Document::new(DocKind::Post, "_posts/2017-05-01-day-1.md");
    d.collection = Some("posts".into());
    d.url = "/jekyll/update/2017/05/01/day-1.html".into();
    d.title = Some("Day 1 --- the start +++".into());
    d.date = Some(dt("2017-05-01T10:34:56Z", 2));
    d.tags = vec!["C++".into(), "C#".into(), " ".into(), "!!!".into()];
    d.categories = vec!["jekyll".into(), "update".into()];
    d.redirect_from = vec!["/old/day-1/".into(), "/old/day-1.html".into()];
    d.front_matter = serde_json::json!({
        "layout": "post", "title": "Day 1", "permalink": null, "image": "/pic.png",
        "excerpt": "x", "tags": "C++ C#"
    })
    .as_object()
    .unwrap()
    .clone();
    d.content = vec![
        Node::Markdown {
            text: "Intro with {{ site.url }} and `{% raw %}`.\n\n## What's new?\n\n![pic](../../../../../pic.png)\n\nSee [two](".into(),
            line: 4,
        },
        Node::DocLink {
            target: "_posts/2017-05-02-day-2.md".into(),
            url: "/2017/05/02/day-2/".into(),
        },
        Node::Markdown {
            text: ").\n\n".into(),
            line: 9,
        },
        Node::Code {
            lang: Some("liquid".into()),
            linenos: true,
            marked: vec![2],
            code: "{% for p in site.posts %}\n  {{ p.title }}\n{% endfor %}".into(),
            line: 11,
        },
        Node::Code {
            lang: Some("rust".into()),
            linenos: false,
            marked: vec![],
            code: "fn main() {}".into(),
            line: 15,
        },
        Node::Literal {
            text: "{# not a comment #}\n".into(),
        },
    ];
    docs.push(d);

    let mut d = Document::new(DocKind::Post, "_posts/2017-05-02-day-2.md");
    d.collection = Some("posts".into());
    d.url = "/2017/05/02/day-2/".into();
    d.title = Some("Day 2".into());
    d.date = Some(dt("2017-05-02T00:00:00Z", 0));
    d.content = md("# Heading {#custom}\n\nText.\n");
    docs.push(d);

    // `/contacts.html` and `/contacts/` both exist in Jekyll's test site.
    let mut d = Document::new(DocKind::Page, "contacts.html");
    d.url = "/contacts.html".into();
    d.format = Format::Html;
    d.content = md("<h1>Contacts</h1>\n\n    <p>indented</p>\n");
    docs.push(d);
    let mut d = Document::new(DocKind::Page, "contacts/index.html");
    d.url = "/contacts/".into();
    d.format = Format::Html;
    d.content = md("<p>index</p>\n");
    docs.push(d);

    let mut d = Document::new(DocKind::Page, "index.html");
    d.url = "/".into();
    d.title = Some("Home".into());
    d.format = Format::Html;
    d.content = md("<ul>{% for post in paginator.posts %}</ul>\n");
    docs.push(d);

    // A page that owns /tags/ (minimal-mistakes' tag archive).
    let mut d = Document::new(DocKind::Page, "_pages/tag-archive.md");
    d.url = "/tags/".into();
    d.title = Some("Tags".into());
    docs.push(d);

    let mut d = Document::new(DocKind::Page, "feed.xml");
    d.url = "/feed.xml".into();
    d.format = Format::Other("xml".into());
    d.content = md("<feed/>");
    docs.push(d);

    let mut d = Document::new(DocKind::Page, "search.json");
    d.url = "/search.json".into();
    d.format = Format::Other("json".into());
    d.content = md("[{\"title\": \"{{ x }}\"}]");
    docs.push(d);

    let mut d = Document::new(DocKind::Item, "_docs/usage/index.md");
    d.collection = Some("docs".into());
    d.url = "/docs/usage/".into();
    d.title = Some("Usage".into());
    docs.push(d);

    let mut d = Document::new(DocKind::Item, "_docs/hidden.md");
    d.collection = Some("docs".into());
    d.output = false;
    docs.push(d);

    let mut d = Document::new(DocKind::Post, "_posts/2017-06-01-secret.md");
    d.collection = Some("posts".into());
    d.url = "/2017/06/01/secret.html".into();
    d.published = false;
    docs.push(d);

    Site {
        root: static_dir.to_path_buf(),
        config: SiteConfig {
            title: Some("Test".into()),
            url: Some("https://example.com".into()),
            baseurl: String::new(),
            plugins: vec!["jekyll-feed".into()],
            collections: vec![CollectionInfo {
                label: "docs".into(),
                output: true,
                permalink: None,
                directory: "_docs".into(),
            }],
            raw: serde_json::json!({"title": "Test", "empty": null, "markdown": "kramdown"})
                .as_object()
                .unwrap()
                .clone(),
            ..SiteConfig::default()
        },
        documents: docs,
        static_files: vec![StaticFile {
            source: "pic.png".into(),
            url: "/pic.png".into(),
            path: img,
            size: 4,
        }],
        ..Site::default()
    }
}

#[test]
fn hand_built_site_obeys_zola_rules_and_keeps_urls() {
    let src = tempfile::tempdir().unwrap();
    let site = hand_built(src.path());
    let (out, summary) = convert(&site, &ConvertOptions::default());
    let checked = check_output(out.path());
    assert!(checked.violations.is_empty(), "{:#?}", checked.violations);
    // 7 pages, the root section, and sections posts, contacts, pages, docs,
    // docs/usage.
    assert_eq!(checked.files, 13);

    let urls: Vec<(String, String)> = site
        .documents
        .iter()
        .filter(|d| d.published && d.output)
        .map(|d| (d.url.clone(), d.source.clone()))
        .chain([
            ("/old/day-1/".to_string(), "redirect".to_string()),
            ("/old/day-1.html".to_string(), "redirect".to_string()),
            ("/pic.png".to_string(), "static".to_string()),
        ])
        .collect();
    let (mapped, total, unmapped) = map_urls(&urls, &checked);
    assert_eq!((mapped, total), (12, 12), "unmapped: {unmapped:?}");

    let read = |p: &str| std::fs::read_to_string(out.path().join(p)).unwrap();
    let day1 = read("content/posts/2017-05-01-day-1.md");
    assert!(
        day1.contains("date = 2017-05-01T12:34:56+02:00\n"),
        "{day1}"
    );
    assert!(
        day1.contains("path = \"/jekyll/update/2017/05/01/day-1/\""),
        "{day1}"
    );
    assert!(
        day1.contains("\"/jekyll/update/2017/05/01/day-1.html\""),
        "{day1}"
    );
    assert!(day1.contains("## What's new? {#whats-new}"), "{day1}");
    assert!(day1.contains("![pic](/pic.png)"), "{day1}");
    assert!(
        day1.contains("[two](@/posts/2017-05-02-day-2.md)"),
        "{day1}"
    );
    assert!(day1.contains("```rust\nfn main() {}\n```"), "{day1}");
    assert!(
        day1.contains("<pre><code class=\"language-liquid\">"),
        "{day1}"
    );
    assert!(day1.contains("layout = \"post\""), "{day1}");
    assert!(day1.contains("tags = [\"C++\", \"C#\"]"), "{day1}");
    // The `.html` page whose pretty path is taken keeps its URL as an alias.
    let contacts = read("content/contacts.md");
    assert!(
        contacts.contains("path = \"/contacts-html/\""),
        "{contacts}"
    );
    assert!(
        contacts.contains("aliases = [\"/contacts.html\"]"),
        "{contacts}"
    );
    assert!(
        contacts.contains("<!---->\n    <p>indented</p>"),
        "{contacts}"
    );
    let cfg = read("config.toml");
    assert!(
        cfg.starts_with(
            "taxonomies = [{ name = \"tags\", render = false }, { name = \"categories\", feed = true }]\n"
        ),
        "{cfg}"
    );
    assert!(cfg.contains("feed_filenames = [\"feed.xml\"]"), "{cfg}");
    assert!(read("templates/feed.xml").contains("__zola_builtins/atom.xml"));
    assert!(!out.path().join("static/feed.xml").exists());
    assert!(
        read("static/search.json").contains("{{ x }}"),
        "static files are not templated"
    );
    let hidden = read("content/docs/hidden.md");
    assert!(hidden.contains("render = false"), "{hidden}");
    assert!(!out
        .path()
        .join("content/posts/2017-06-01-secret.md")
        .exists());
    assert!(read("MIGRATION.md").contains("zola"));
    assert!(summary
        .diagnostics
        .iter()
        .any(|d| d.kind == "zola-taxonomy-unrendered"));
    assert!(summary
        .diagnostics
        .iter()
        .any(|d| d.kind == "zola-unpublished"));
}

#[test]
fn collisions_are_reported_not_overwritten() {
    let src = tempfile::tempdir().unwrap();
    let mut site = hand_built(src.path());
    // Two posts with the same URL, and a redirect onto a page.
    let mut twin = site.documents[1].clone();
    twin.source = "_posts/2018-05-02-day-2.md".into();
    site.documents.push(twin);
    site.documents[1].redirect_from = vec!["/contacts/".into()];
    let (out, summary) = convert(&site, &ConvertOptions::default());
    let collisions: Vec<_> = summary
        .diagnostics
        .iter()
        .filter(|d| d.kind == "zola-path-collision")
        .collect();
    assert_eq!(collisions.len(), 2, "{collisions:#?}");
    assert!(collisions
        .iter()
        .any(|d| d.file == "_posts/2018-05-02-day-2.md"));
    let checked = check_output(out.path());
    assert!(checked.violations.is_empty(), "{:#?}", checked.violations);
}

#[test]
fn drafts_are_marked_with_drafts_option() {
    let src = tempfile::tempdir().unwrap();
    let site = hand_built(src.path());
    let opts = ConvertOptions {
        drafts: true,
        ..ConvertOptions::default()
    };
    let (out, _) = convert(&site, &opts);
    let secret =
        std::fs::read_to_string(out.path().join("content/posts/2017-06-01-secret.md")).unwrap();
    assert!(secret.contains("draft = true"), "{secret}");
    let checked = check_output(out.path());
    assert!(checked.violations.is_empty(), "{:#?}", checked.violations);
}

#[test]
fn the_checker_catches_what_zola_rejects() {
    let bad = [
        "+++\ntitle = \"x\"\ntags = [\"a\"]\n+++\n",
        "+++\ndate = \"2017-05-01 12:00:00 +0200\"\n+++\n",
        "+++\n[extra]\na = 1\n+++\n{{ site.url }}\n",
        "+++\ndescription = \"\"\"\npart one +++\n\"\"\"\n+++\n",
        "+++\npath = \"/p/\"\n+++\n![x](img.png) <a href=\"../y\">y</a>\n",
    ];
    for text in bad {
        let dir = tempfile::tempdir().unwrap();
        let c = dir.path().join("content");
        std::fs::create_dir_all(&c).unwrap();
        std::fs::write(c.join("_index.md"), "+++\n+++\n").unwrap();
        std::fs::write(c.join("p.md"), text).unwrap();
        std::fs::write(dir.path().join("config.toml"), "base_url = \"x\"\n").unwrap();
        let checked = check_output(dir.path());
        assert!(
            checked.violations.iter().any(|v| v.starts_with("p.md")),
            "{text:?} passed: {:?}",
            checked.violations
        );
    }
    assert_eq!(template_syntax("## A {#a}\n\nB\n-\n"), Vec::<String>::new());
    assert_eq!(template_syntax("text {#a}\n").len(), 1);
}

// ---------------------------------------------------------------- the corpus

/// A site read, processed and converted once for every test that needs it.
struct Converted {
    site: Site,
    out: tempfile::TempDir,
    summary: converters::Summary,
}

/// The conversion of the site at `dir` (with `--drafts` or not), shared by
/// the tests of this file.
fn converted(dir: &Path, drafts: bool) -> std::sync::Arc<Converted> {
    type Cache = std::sync::Mutex<HashMap<(PathBuf, bool), std::sync::Arc<Converted>>>;
    static CACHE: std::sync::OnceLock<Cache> = std::sync::OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let key = (dir.to_path_buf(), drafts);
    // Held while converting, so two tests never convert the same site twice.
    let mut cache = cache.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(c) = cache.get(&key) {
        return c.clone();
    }
    let read = jekyll_migrate::jekyll::ReadOptions {
        drafts,
        ..Default::default()
    };
    let mut site = jekyll_migrate::jekyll::read_site(dir, &read).expect("site reads");
    jekyll_migrate::content::process(&mut site);
    let opts = ConvertOptions {
        drafts,
        ..ConvertOptions::default()
    };
    let (out, summary) = convert(&site, &opts);
    let c = std::sync::Arc::new(Converted { site, out, summary });
    cache.insert(key, c.clone());
    c
}

/// Converts one corpus site (or the demo site) and checks it; returns a
/// one-line figure for the summary.
fn check_real_site(
    name: &str,
    dir: &Path,
    truth: Option<Vec<common::TruthRow>>,
    drafts: bool,
) -> (String, Vec<String>) {
    let conv = converted(dir, drafts);
    let (site, out, summary) = (&conv.site, &conv.out, &conv.summary);
    let checked = check_output_with(out.path(), drafts);
    let mut problems: Vec<String> = checked
        .violations
        .iter()
        .map(|v| format!("{name}: {v}"))
        .collect();
    let collisions = summary
        .diagnostics
        .iter()
        .filter(|d| d.kind == "zola-path-collision")
        .count();
    let urls: Vec<(String, String)> = match truth {
        Some(rows) => rows
            .into_iter()
            .filter(|r| {
                matches!(
                    r.kind.as_str(),
                    "post" | "doc" | "page" | "redirect" | "draft"
                )
            })
            .map(|r| (r.url, r.source))
            .collect(),
        None => site
            .documents
            .iter()
            .filter(|d| d.output && d.published)
            .map(|d| (d.url.clone(), d.source.clone()))
            .collect(),
    };
    let (mapped, total, unmapped) = map_urls(&urls, &checked);
    if std::env::var_os("ZOLA_KEEP").is_some() {
        let keep = std::env::temp_dir().join(format!("zola-out-{name}"));
        let _ = std::fs::remove_dir_all(&keep);
        // A copy: the conversion is shared with the other tests.
        let _ = std::process::Command::new("cp")
            .arg("-r")
            .arg(out.path())
            .arg(&keep)
            .status();
        eprintln!("kept {}", keep.display());
    }
    // Sass is not compiled by the converter (reported as zola-sass).
    let known: Vec<&String> = unmapped
        .iter()
        .filter(|u| u.ends_with(".scss)") || u.ends_with(".sass)"))
        .collect();
    for u in &unmapped {
        if !known.contains(&u) {
            problems.push(format!("{name}: URL not mapped: {u}"));
        }
    }
    let figure = format!(
        "{name}: {} content files, {} violations, URLs mapped {mapped}/{total} ({} Sass known), {collisions} collisions reported",
        checked.files,
        checked.violations.len(),
        known.len()
    );
    (figure, problems)
}

#[test]
fn corpus_sites_obey_zola_rules_and_keep_every_url() {
    let mut problems = Vec::new();
    for name in common::corpus_sites() {
        let dir = common::corpus_dir().join(&name);
        let (figure, p) =
            check_real_site(&name, &dir, Some(common::truth(&name, "truth.tsv")), false);
        eprintln!("{figure}");
        problems.extend(p);
        if common::corpus_dir()
            .join(format!("{name}.truth.drafts.tsv"))
            .is_file()
        {
            let truth = common::truth(&name, "truth.drafts.tsv");
            let (figure, p) = check_real_site(&format!("{name} --drafts"), &dir, Some(truth), true);
            eprintln!("{figure}");
            problems.extend(p);
        }
    }
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/demo-blog");
    if demo.is_dir() {
        let (figure, p) = check_real_site("demo-blog", &demo, None, false);
        eprintln!("{figure}");
        problems.extend(p);
    }
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// Heading ids: every id Jekyll gave a heading of a Markdown document must be
/// on the same heading in the Zola file (as `{#id}`), so `#fragment` links
/// keep working. Compared on the ids of `<h1>`…`<h6>` in Jekyll's HTML.
#[test]
fn corpus_heading_ids_match_jekyll() {
    let jekyll_id = regex::Regex::new(r#"<h[1-6][^>]*\sid="([^"]+)""#).unwrap();
    let zola_id = regex::Regex::new(r"\{#([^\s}]+)[^}]*\}\s*$").unwrap();
    let mut problems = Vec::new();
    let mut shares = Vec::new();
    for name in common::corpus_sites() {
        let dir = common::corpus_dir().join(&name);
        let conv = converted(&dir, false);
        let out = &conv.out;
        let (mut found, mut total) = (0, 0);
        for file in walk(&out.path().join("content")) {
            let text = std::fs::read_to_string(&file).unwrap_or_default();
            let Some((fm, body)) = split_front_matter(&text) else {
                continue;
            };
            let Ok(fm) = toml::from_str::<toml::Table>(fm) else {
                continue;
            };
            let Some(path) = fm.get("path").and_then(|p| p.as_str()) else {
                continue;
            };
            // The Jekyll URL is the .html alias when there is one, else the path.
            let url = fm
                .get("aliases")
                .and_then(|a| a.as_array())
                .and_then(|a| a.first())
                .and_then(|a| a.as_str())
                .filter(|a| a.ends_with(".html"))
                .unwrap_or(path)
                .to_string();
            let Some(html) = common::jekyll_html(&name, &url) else {
                continue;
            };
            let ours: std::collections::HashSet<&str> = body
                .lines()
                .filter_map(|l| {
                    zola_id
                        .captures(l)
                        .and_then(|c| c.get(1))
                        .map(|m| m.as_str())
                })
                .collect();
            // Only headings written in Markdown count: ids in raw HTML or
            // from includes are not ours to set.
            let md_headings = body
                .lines()
                .filter(|l| l.trim_start().starts_with('#'))
                .count();
            if md_headings == 0 {
                continue;
            }
            for c in jekyll_id.captures_iter(&html) {
                let id = html_escape::decode_html_entities(&c[1]).into_owned();
                total += 1;
                if ours.contains(id.as_str()) {
                    found += 1;
                } else if problems.len() < 40 {
                    problems.push(format!("{name} {url}: Jekyll id {id:?} missing"));
                }
            }
        }
        eprintln!("{name}: heading ids kept {found}/{total}");
        // Liquid-made headings count too: the content layer resolves them.
        if total >= 10 {
            shares.push((name.clone(), found as f64 / total as f64));
        }
    }
    for p in &problems {
        eprintln!("{p}");
    }
    for (name, share) in shares {
        assert!(
            share >= 0.97,
            "{name}: only {:.1}% of Jekyll's heading ids kept",
            share * 100.0
        );
    }
}

/// Renders a Zola content body the way Zola's Markdown step would (the
/// pulldown-cmark options `config.toml` turns on); templates are not run,
/// since the body holds no template syntax.
fn zola_markdown_to_html(body: &str) -> String {
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

/// The text a reader sees on each converted post and doc is the text Jekyll
/// rendered: the body, rendered as Zola renders Markdown, against Jekyll's
/// HTML (visible text, character diff).
#[test]
fn corpus_visible_text_matches_jekyll() {
    let mut failures = Vec::new();
    for name in common::corpus_sites() {
        let dir = common::corpus_dir().join(&name);
        let conv = converted(&dir, false);
        let (site, out) = (&conv.site, &conv.out);
        let wanted: std::collections::HashMap<&str, &str> = site
            .documents
            .iter()
            .filter(|d| d.is_post() || d.kind == DocKind::Item)
            .filter(|d| d.format == Format::Markdown)
            .map(|d| (d.url.as_str(), d.source.as_str()))
            .collect();
        let mut scores = Vec::new();
        for file in walk(&out.path().join("content")) {
            let text = std::fs::read_to_string(&file).unwrap_or_default();
            let Some((fm, body)) = split_front_matter(&text) else {
                continue;
            };
            let Ok(fm) = toml::from_str::<toml::Table>(fm) else {
                continue;
            };
            let Some(path) = fm.get("path").and_then(|p| p.as_str()) else {
                continue;
            };
            let url = fm
                .get("aliases")
                .and_then(|a| a.as_array())
                .and_then(|a| a.first())
                .and_then(|a| a.as_str())
                .filter(|a| a.ends_with(".html"))
                .unwrap_or(path)
                .to_string();
            let Some((jekyll_url, source)) = wanted
                .iter()
                .find(|(u, _)| common::percent_decode(u) == url)
            else {
                continue;
            };
            let Some(jekyll) = common::jekyll_html(&name, jekyll_url) else {
                continue;
            };
            let ours = common::visible(&zola_markdown_to_html(body));
            let theirs = common::visible(&jekyll);
            if std::env::var("ZOLA_SHOW").is_ok_and(|s| s == *source) {
                eprintln!("OURS:\n{ours}\n\nJEKYLL:\n{theirs}");
            }
            scores.push((common::similarity(&ours, &theirs), source.to_string()));
        }
        // Below 0.95 today: posts whose includes or Liquid the content
        // layer renders differently from Jekyll (parameter order, excerpts).
        let share = common::report_scores(&format!("zola {name}"), &mut scores, 0.95, 5);
        if share < 0.9 {
            failures.push(format!(
                "{name}: only {:.1}% of posts and docs reach similarity 0.95",
                share * 100.0
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
