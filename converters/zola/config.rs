//! `config.toml`: only keys both Zola 0.22 and 0.23 know (an unknown key is
//! an error in both); Jekyll's own settings go under `[extra]`.

use serde::Serialize;

use crate::diagnostics::Diagnostic;
use crate::ir::Site;

use super::frontmatter::json_to_toml;

/// The whole `config.toml`. Field order is output order: plain keys first.
#[derive(Debug, Serialize)]
pub struct ZolaConfig {
    /// Site URL with `baseurl`.
    pub base_url: String,
    /// Site title.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Site description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Language code.
    pub default_language: String,
    /// Site author.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    /// Whether `sass/` is compiled (Jekyll Sass pages).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub compile_sass: bool,
    /// Whether a feed is generated.
    pub generate_feeds: bool,
    /// Feed file names (Jekyll's: `feed.xml`, `atom.xml`…).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub feed_filenames: Vec<String>,
    /// Declared taxonomies (written inline at the top by [`render`]).
    #[serde(skip)]
    pub taxonomies: Vec<Taxonomy>,
    /// Markdown rendering.
    pub markdown: Markdown,
    /// Link checking.
    pub link_checker: LinkChecker,
    /// Jekyll settings, for templates.
    pub extra: toml::Table,
}

/// One taxonomy.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Taxonomy {
    /// Name: front-matter key and URL folder.
    pub name: String,
    /// A feed per term.
    pub feed: bool,
    /// Whether term pages are written (false when Jekyll pages own the URLs).
    pub render: bool,
}

/// `[markdown]`.
#[derive(Debug, Serialize)]
pub struct Markdown {
    /// kramdown's smart quotes and dashes.
    pub smart_punctuation: bool,
    /// kramdown puts footnotes at the end of the page.
    pub bottom_footnotes: bool,
    /// kramdown definition lists.
    pub definition_list: bool,
    /// Syntax highlighting (0.22's `[markdown.highlighting]`; the old
    /// `highlight_code` keys fail in 0.22 and 0.23).
    pub highlighting: Highlighting,
}

/// `[markdown.highlighting]`.
#[derive(Debug, Serialize)]
pub struct Highlighting {
    /// A built-in giallo theme.
    pub theme: String,
}

/// `[link_checker]`.
#[derive(Debug, Serialize)]
pub struct LinkChecker {
    /// `warn`: Jekyll pages link to anchors in raw HTML, which Zola does not
    /// see as anchors; those links must not fail the build.
    pub internal_level: String,
}

/// Builds the configuration; `feeds` are the feed files Zola generates.
pub fn build(
    site: &Site,
    taxonomies: Vec<Taxonomy>,
    feeds: &[(String, bool)],
    diags: &mut Vec<Diagnostic>,
) -> ZolaConfig {
    let c = &site.config;
    let base_url = format!(
        "{}{}",
        c.url
            .as_deref()
            .map(|u| u.trim_end_matches('/'))
            .filter(|u| !u.is_empty())
            .unwrap_or("http://localhost"),
        c.baseurl.trim_end_matches('/')
    );
    if c.url.as_deref().is_none_or(str::is_empty) {
        diags.push(Diagnostic::warning(
            "zola-no-url",
            "_config.yml",
            "the site has no `url`; config.toml has base_url = \"http://localhost\": set the real address there before publishing",
        ));
    }
    let extra = extra_table(site, diags);
    ZolaConfig {
        base_url,
        title: c.title.clone(),
        description: c.description.clone(),
        default_language: default_language(site, diags),
        author: c
            .authors
            .first()
            .map(|a| crate::authors::site_author(site, a).name),
        compile_sass: false,
        generate_feeds: !feeds.is_empty(),
        feed_filenames: feeds.iter().map(|(f, _)| f.clone()).collect(),
        taxonomies,
        markdown: Markdown {
            smart_punctuation: true,
            bottom_footnotes: true,
            definition_list: true,
            highlighting: Highlighting {
                theme: "github-light".into(),
            },
        },
        link_checker: LinkChecker {
            internal_level: "warn".into(),
        },
        extra,
    }
}

/// Every Jekyll setting as `[extra]`. TOML has no null, so null values are
/// left out, with a note for each in a setting the user wrote: Jekyll's
/// defaults hold nulls too (`timezone`, `baseurl`) that nobody asked for.
fn extra_table(site: &Site, diags: &mut Vec<Diagnostic>) -> toml::Table {
    let c = &site.config;
    let mut extra = toml::Table::new();
    for (key, value) in &c.raw {
        let mut dropped = Vec::new();
        if let Some(v) = json_to_toml(value, key, &mut dropped) {
            extra.insert(key.clone(), v);
        }
        if !c.user_wrote(key) {
            continue;
        }
        for path in dropped {
            diags.push(Diagnostic::info(
                "zola-null-value",
                "_config.yml",
                format!("setting `{path}` is empty (null) and TOML has no empty value; it is left out of config.toml [extra]"),
            ));
        }
    }
    extra
}

/// The site's language as Zola takes it: a Unicode language identifier, so
/// a BCP 47 tag loses what Zola would refuse (extensions, private use).
fn default_language(site: &Site, diags: &mut Vec<Diagnostic>) -> String {
    let language = crate::lang::site_language(site);
    diags.extend(language.diagnostics);
    // `site_language` gives a tag whose first subtag Zola always accepts.
    let id = crate::lang::language_id(&language.tag).unwrap_or_else(|| "en".to_string());
    if id != language.tag {
        diags.push(Diagnostic::info(
            "zola-lang-shortened",
            "_config.yml",
            format!(
                "language {:?} is written as default_language = {id:?}: Zola takes only a language, script, region and variants",
                language.tag
            ),
        ));
    }
    id
}

/// `config.toml` text. Taxonomies are written as one inline array at the
/// top, before any table, as Zola's documentation shows them.
pub fn render(cfg: &ZolaConfig) -> Result<String, String> {
    let rest = toml::to_string(cfg).map_err(|e| e.to_string())?;
    let items: Vec<String> = cfg
        .taxonomies
        .iter()
        .map(|t| {
            let mut s = format!("{{ name = {}", toml::Value::String(t.name.clone()));
            if t.feed {
                s.push_str(", feed = true");
            }
            if !t.render {
                s.push_str(", render = false");
            }
            s.push_str(" }");
            s
        })
        .collect();
    Ok(format!("taxonomies = [{}]\n{rest}", items.join(", ")))
}
