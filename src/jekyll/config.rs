//! `_config.yml` (or the `--config` files) merged over Jekyll's defaults.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::dates::SiteZone;
use super::url;
use super::yaml;
use crate::diagnostics::Diagnostic;
use crate::ir::{Author, CollectionInfo, SiteConfig};

/// Jekyll's `DEFAULT_EXCLUDES`, added to every site's `exclude`.
const DEFAULT_EXCLUDES: &[&str] = &[
    ".sass-cache",
    ".jekyll-cache",
    ".ruby-lsp",
    "gemfiles",
    "Gemfile",
    "Gemfile.lock",
    "node_modules",
    "vendor/bundle/",
    "vendor/cache/",
    "vendor/gems/",
    "vendor/ruby/",
];

/// A collection as the reader needs it.
#[derive(Debug, Clone)]
pub struct Collection {
    /// Label (`posts`, `docs`).
    pub label: String,
    /// `output`.
    pub output: bool,
    /// The URL template for its documents.
    pub url_template: String,
    /// The collection's own settings (`future`, `order`, …).
    pub metadata: Map<String, Value>,
}

impl Collection {
    /// `_label`: the folder name.
    pub fn relative_directory(&self) -> String {
        format!("_{}", self.label)
    }
}

/// The merged configuration and the settings the reader uses.
#[derive(Debug, Clone)]
pub struct Config {
    /// Everything, merged over Jekyll's defaults.
    pub raw: Map<String, Value>,
    /// Top-level keys of `raw` that only the defaults set.
    pub defaulted: Vec<String>,
    /// `include`.
    pub include: Vec<String>,
    /// `exclude` plus the default excludes.
    pub exclude: Vec<String>,
    /// `markdown_ext`, as `.md`, lower case.
    pub markdown_exts: Vec<String>,
    /// `permalink` as written (a style name or a template).
    pub permalink_style: String,
    /// `collections_dir` (empty for the site root).
    pub collections_dir: String,
    /// Collections, `posts` first.
    pub collections: Vec<Collection>,
    /// `future`.
    pub future: bool,
    /// `excerpt_separator`.
    pub excerpt_separator: String,
    /// The site's time zone.
    pub zone: SiteZone,
    /// `data_dir`.
    pub data_dir: String,
    /// `includes_dir`.
    pub includes_dir: String,
    /// `layouts_dir`.
    pub layouts_dir: String,
    /// `plugins_dir`.
    pub plugins_dir: String,
}

impl Config {
    /// The collection with this label.
    pub fn collection(&self, label: &str) -> Option<&Collection> {
        self.collections.iter().find(|c| c.label == label)
    }

    /// True when `ext` (with its dot) is one of the markdown extensions.
    pub fn is_markdown(&self, ext: &str) -> bool {
        let lower = ext.to_lowercase();
        self.markdown_exts.contains(&lower)
    }
}

/// Jekyll's `Configuration::DEFAULTS`, the parts a reader can see.
fn defaults() -> Map<String, Value> {
    let v = serde_json::json!({
        "collections_dir": "",
        "plugins_dir": "_plugins",
        "layouts_dir": "_layouts",
        "data_dir": "_data",
        "includes_dir": "_includes",
        "collections": {},
        "safe": false,
        "include": [".htaccess"],
        "exclude": [],
        "keep_files": [".git", ".svn"],
        "encoding": "utf-8",
        "markdown_ext": "markdown,mkdown,mkdn,mkd,md",
        "strict_front_matter": false,
        "show_drafts": null,
        "limit_posts": 0,
        "future": false,
        "unpublished": false,
        "whitelist": [],
        "plugins": [],
        "markdown": "kramdown",
        "highlighter": "rouge",
        "excerpt_separator": "\n\n",
        "baseurl": null,
        "permalink": "date",
        "paginate_path": "/page:num",
        "timezone": null,
        "defaults": [],
        "liquid": {"error_mode": "warn", "strict_filters": false, "strict_variables": false},
        "kramdown": {
            "auto_ids": true, "toc_levels": [1, 2, 3, 4, 5, 6], "entity_output": "as_char",
            "smart_quotes": "lsquo,rsquo,ldquo,rdquo", "input": "GFM", "hard_wrap": false,
            "guess_lang": true, "footnote_nr": 1, "show_warnings": false
        }
    });
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

/// `Utils.deep_merge_hashes`: maps merge recursively, `null` never
/// overrides, anything else replaces.
pub fn deep_merge(target: &mut Map<String, Value>, other: &Map<String, Value>) {
    for (k, new) in other {
        if new.is_null() {
            target.entry(k.clone()).or_insert(Value::Null);
            continue;
        }
        match (target.get_mut(k), new) {
            (Some(Value::Object(old)), Value::Object(newm)) => deep_merge(old, newm),
            _ => {
                target.insert(k.clone(), new.clone());
            }
        }
    }
}

/// Reads one config file (YAML or TOML) into a map.
fn read_file(path: &Path, shown: &str, diags: &mut Vec<Diagnostic>) -> Option<Map<String, Value>> {
    let text = match std::fs::read(path) {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(e) => {
            diags.push(Diagnostic::error(
                "config-unreadable",
                shown,
                format!("could not read the configuration file: {e}; Jekyll's defaults are used"),
            ));
            return None;
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let is_toml = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("toml"));
    let value = if is_toml {
        match toml::from_str::<toml::Table>(text) {
            Ok(t) => serde_json::to_value(t).unwrap_or(Value::Null),
            Err(e) => {
                let mut d = Diagnostic::error(
                    "config-syntax",
                    shown,
                    format!("broken TOML: {}; Jekyll's defaults are used", e.message()),
                );
                if let Some(span) = e.span() {
                    let line = text[..span.start.min(text.len())].matches('\n').count() + 1;
                    d = d.at_line(line);
                }
                diags.push(d);
                return None;
            }
        }
    } else {
        match yaml::parse(text) {
            Ok(v) => v,
            Err(e) => {
                diags.push(
                    Diagnostic::error(
                        "config-syntax",
                        shown,
                        format!(
                            "broken YAML: {}; Jekyll's defaults are used, as Jekyll does; fix the \
                             file to keep the site's settings",
                            e.message
                        ),
                    )
                    .at(e.line, e.column),
                );
                return None;
            }
        }
    };
    match value {
        Value::Object(m) => Some(m),
        Value::Null => Some(Map::new()),
        _ => {
            diags.push(Diagnostic::error(
                "config-not-a-map",
                shown,
                "the configuration is not a map of settings; Jekyll's defaults are used",
            ));
            None
        }
    }
}

/// Loads the configuration of the site at `root`: the given files (later
/// ones win), else `_config.yml`, `_config.yaml` or `_config.toml`.
pub fn load(root: &Path, files: &[PathBuf], diags: &mut Vec<Diagnostic>) -> Config {
    let mut raw = defaults();
    // Every top-level key the user's files name, to tell them from defaults.
    let mut written: Vec<String> = Vec::new();
    if files.is_empty() {
        let found = ["_config.yml", "_config.yaml", "_config.toml"]
            .iter()
            .map(|n| (n, root.join(n)))
            .find(|(_, p)| p.is_file());
        match found {
            Some((name, path)) => {
                if let Some(m) = read_file(&path, name, diags) {
                    written.extend(m.keys().cloned());
                    deep_merge(&mut raw, &m);
                }
            }
            None => diags.push(Diagnostic::info(
                "no-config",
                "_config.yml",
                "the site has no _config.yml; Jekyll's defaults are used",
            )),
        }
    } else {
        for f in files {
            let shown = f.display().to_string();
            if let Some(m) = read_file(f, &shown, diags) {
                written.extend(m.keys().cloned());
                deep_merge(&mut raw, &m);
            }
        }
    }
    let mut cfg = from_raw(raw, diags);
    cfg.defaulted = defaults()
        .keys()
        .filter(|k| !written.contains(k))
        .cloned()
        .collect();
    cfg
}

fn str_of(v: Option<&Value>) -> Option<String> {
    match v {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        Some(Value::Bool(b)) => Some(b.to_string()),
        _ => None,
    }
}

/// A list setting: a list of strings, or one string.
fn list_of(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::Array(items)) => items.iter().filter_map(|i| str_of(Some(i))).collect(),
        Some(Value::String(s)) => vec![s.clone()],
        _ => Vec::new(),
    }
}

fn truthy(v: Option<&Value>) -> bool {
    !matches!(v, None | Some(Value::Null) | Some(Value::Bool(false)))
}

/// Builds the reader's settings from the merged map.
pub fn from_raw(mut raw: Map<String, Value>, diags: &mut Vec<Diagnostic>) -> Config {
    let permalink_style = str_of(raw.get("permalink")).unwrap_or_else(|| "date".into());
    // `collections` as a list or a map; `posts` always exists and is written.
    let mut coll_map: Map<String, Value> = match raw.get("collections") {
        Some(Value::Object(m)) => m.clone(),
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|i| str_of(Some(i)))
            .map(|l| (l, Value::Object(Map::new())))
            .collect(),
        _ => Map::new(),
    };
    let mut posts_meta = match coll_map.get("posts") {
        Some(Value::Object(m)) => m.clone(),
        _ => Map::new(),
    };
    posts_meta.insert("output".into(), Value::Bool(true));
    if !posts_meta.get("permalink").is_some_and(|p| p.is_string()) {
        posts_meta.insert(
            "permalink".into(),
            Value::String(url::style_to_template(&permalink_style)),
        );
    }
    coll_map.shift_remove("posts");
    let mut collections = vec![Collection {
        label: "posts".into(),
        output: true,
        url_template: str_of(posts_meta.get("permalink")).unwrap_or_default(),
        metadata: posts_meta.clone(),
    }];
    for (label, meta) in &coll_map {
        let meta = match meta {
            Value::Object(m) => m.clone(),
            _ => Map::new(),
        };
        // Jekyll keeps only `[a-z0-9_\-.]` of a label.
        let clean: String = label
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
            .collect();
        let url_template = str_of(meta.get("permalink"))
            .unwrap_or_else(|| url::add_permalink_suffix("/:collection/:path", &permalink_style));
        collections.push(Collection {
            label: clean,
            output: truthy(meta.get("output")),
            url_template,
            metadata: meta,
        });
    }
    let mut rebuilt = Map::new();
    rebuilt.insert("posts".into(), Value::Object(posts_meta));
    for (k, v) in coll_map {
        rebuilt.insert(k, v);
    }
    raw.insert("collections".into(), Value::Object(rebuilt));

    let mut exclude = list_of(raw.get("exclude"));
    for d in DEFAULT_EXCLUDES {
        if !exclude.iter().any(|e| e == d) {
            exclude.push((*d).to_string());
        }
    }
    raw.insert(
        "exclude".into(),
        Value::Array(exclude.iter().cloned().map(Value::String).collect()),
    );
    let markdown_exts = str_of(raw.get("markdown_ext"))
        .unwrap_or_default()
        .split(',')
        .map(|e| format!(".{}", e.trim().to_lowercase()))
        .collect();
    let zone = match str_of(raw.get("timezone")) {
        None => SiteZone::default(),
        Some(name) => match SiteZone::named(&name) {
            Ok(z) => z,
            Err(e) => {
                diags.push(Diagnostic::warning(
                    "config-timezone",
                    "_config.yml",
                    format!(
                        "timezone {name:?} is not an IANA zone name ({e}); dates are read as UTC, \
                         as Ruby does with an unknown TZ"
                    ),
                ));
                SiteZone::default()
            }
        },
    };
    let mut dir = |k: &str, d: &str| {
        let asked = str_of(raw.get(k)).unwrap_or_else(|| d.to_string());
        let kept = confine(&asked);
        if kept != asked.trim_matches('/') {
            diags.push(Diagnostic::warning(
                "config-path-outside",
                "_config.yml",
                format!(
                    "`{k}: {asked}` reaches outside the site; it is read as {kept:?} inside the \
                     site, as Jekyll does"
                ),
            ));
        }
        kept
    };
    let collections_dir = dir("collections_dir", "");
    let data_dir = dir("data_dir", "_data");
    let includes_dir = dir("includes_dir", "_includes");
    let layouts_dir = dir("layouts_dir", "_layouts");
    let plugins_dir = dir("plugins_dir", "_plugins");
    Config {
        defaulted: Vec::new(),
        include: list_of(raw.get("include")),
        exclude,
        markdown_exts,
        permalink_style,
        collections_dir,
        collections,
        future: truthy(raw.get("future")),
        excerpt_separator: str_of(raw.get("excerpt_separator")).unwrap_or_default(),
        zone,
        data_dir,
        includes_dir,
        layouts_dir,
        plugins_dir,
        raw,
    }
}

/// A folder setting kept inside the site, as Jekyll's `sanitized_path`
/// keeps it: `..` cannot climb above the site root, a leading `/`, `~` or
/// drive letter is dropped, and the result is relative to the site root
/// (empty for the root itself).
pub fn confine(dir: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for (i, part) in dir.split('/').enumerate() {
        let drive = i == 0 && part.len() == 2 && part.ends_with(':');
        match part {
            "" | "." | "~" => {}
            ".." => {
                parts.pop();
            }
            _ if drive => {}
            _ => parts.push(part),
        }
    }
    parts.join("/")
}

/// The IR's view of the configuration.
pub fn site_config(cfg: &Config) -> SiteConfig {
    let raw = &cfg.raw;
    let baseurl = str_of(raw.get("baseurl"))
        .map(|b| {
            let t = b.trim_matches('/');
            if t.is_empty() {
                String::new()
            } else {
                format!("/{t}")
            }
        })
        .unwrap_or_default();
    let mut plugins = list_of(raw.get("plugins"));
    for g in list_of(raw.get("gems")) {
        if !plugins.contains(&g) {
            plugins.push(g);
        }
    }
    SiteConfig {
        title: str_of(raw.get("title")),
        description: str_of(raw.get("description")),
        url: str_of(raw.get("url"))
            .map(|u| u.trim_end_matches('/').to_string())
            .filter(|u| !u.is_empty()),
        baseurl,
        lang: str_of(raw.get("lang")).or_else(|| str_of(raw.get("locale"))),
        // Only a zone that exists (an unknown one was reported, and dates
        // read as UTC): a converter may hand it to a tool that refuses it.
        timezone: str_of(raw.get("timezone")).filter(|name| SiteZone::named(name).is_ok()),
        authors: authors(raw.get("author")),
        permalink: cfg.permalink_style.clone(),
        excerpt_separator: cfg.excerpt_separator.clone(),
        markdown: str_of(raw.get("markdown")).unwrap_or_else(|| "kramdown".into()),
        plugins,
        sass_load_paths: super::sass::settings(raw).0,
        sass_style: super::sass::settings(raw).1,
        collections: cfg
            .collections
            .iter()
            .map(|c| CollectionInfo {
                label: c.label.clone(),
                output: c.output,
                permalink: Some(c.url_template.clone()),
                directory: if cfg.collections_dir.is_empty() {
                    c.relative_directory()
                } else {
                    format!("{}/{}", cfg.collections_dir, c.relative_directory())
                },
            })
            .collect(),
        raw: raw.clone(),
        defaulted: cfg.defaulted.clone(),
    }
}

/// `author` as a name, a map (`name`, `url`, `email`, `avatar`), or a list
/// of either.
pub fn authors(v: Option<&Value>) -> Vec<Author> {
    match v {
        Some(Value::String(s)) if !s.trim().is_empty() => vec![Author {
            name: s.clone(),
            ..Author::default()
        }],
        Some(Value::Object(m)) => {
            let name = str_of(m.get("name")).unwrap_or_default();
            if name.is_empty() {
                return Vec::new();
            }
            vec![Author {
                name,
                url: str_of(m.get("url")).or_else(|| str_of(m.get("uri"))),
                email: str_of(m.get("email")),
                avatar: str_of(m.get("avatar")).or_else(|| str_of(m.get("picture"))),
            }]
        }
        Some(Value::Array(items)) => items.iter().flat_map(|i| authors(Some(i))).collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn cfg(v: Value) -> Config {
        let mut raw = defaults();
        if let Value::Object(m) = v {
            deep_merge(&mut raw, &m);
        }
        from_raw(raw, &mut Vec::new())
    }

    #[test]
    fn posts_take_the_site_permalink_style() {
        let c = cfg(json!({"permalink": "pretty", "collections": {"docs": {"output": true}}}));
        assert_eq!(
            c.collection("posts").unwrap().url_template,
            "/:categories/:year/:month/:day/:title/"
        );
        assert_eq!(
            c.collection("docs").unwrap().url_template,
            "/:collection/:path/"
        );
        assert!(c.collection("docs").unwrap().output);
    }

    #[test]
    fn only_a_zone_that_exists_reaches_the_site_config() {
        let named = |tz: &str| site_config(&cfg(json!({ "timezone": tz }))).timezone;
        assert_eq!(
            named("America/New_York").as_deref(),
            Some("America/New_York")
        );
        assert_eq!(named("Invalid/Zone"), None);
        assert_eq!(named("UTC+25"), None);
    }

    #[test]
    fn defaults_and_excludes() {
        let c = cfg(json!({"exclude": ["README.md"], "timezone": null}));
        assert!(c.exclude.contains(&"README.md".to_string()));
        assert!(c.exclude.contains(&"node_modules".to_string()));
        assert_eq!(c.include, [".htaccess"]);
        assert!(c.is_markdown(".MD"));
        assert!(!c.is_markdown(".text"));
        assert_eq!(
            c.collection("posts").unwrap().url_template,
            "/:categories/:year/:month/:day/:title:output_ext"
        );
    }

    #[test]
    fn folder_settings_stay_inside_the_site() {
        assert_eq!(confine("_data"), "_data");
        assert_eq!(confine("../../etc"), "etc");
        assert_eq!(confine("/etc/x/"), "etc/x");
        assert_eq!(confine("a/../../b"), "b");
        assert_eq!(confine("C:/Windows"), "Windows");
        assert_eq!(confine("~/x"), "x");
        assert_eq!(confine("/"), "");
    }

    #[test]
    fn defaulted_keys_are_told_from_the_users() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("_config.yml"),
            "title: T\nbaseurl: /b\nfoo:\n",
        )
        .unwrap();
        let c = site_config(&load(dir.path(), &[], &mut Vec::new()));
        assert!(c.user_wrote("title") && c.user_wrote("baseurl") && c.user_wrote("foo"));
        assert!(!c.user_wrote("timezone") && !c.user_wrote("show_drafts"));
        assert!(!c.user_wrote("absent"));
    }

    #[test]
    fn collections_as_a_list() {
        let c = cfg(json!({"collections": ["tutorials"]}));
        let t = c.collection("tutorials").unwrap();
        assert!(!t.output);
        assert_eq!(t.url_template, "/:collection/:path:output_ext");
    }
}
