//! `hugo.toml`: the site settings that make Hugo serve the migrated content
//! at Jekyll's URLs and render kramdown-flavoured Markdown the same way.

use std::fmt::Write as _;

use serde_json::Value;

use super::front_matter::toml_str;
use crate::ir::Site;

/// What the content needs from the configuration.
#[derive(Debug, Default)]
pub struct Needs {
    /// Some content file is `.html` (Hugo ≥0.162 refuses those by default).
    pub html_content: bool,
    /// Block attribute lines were written.
    pub block_attributes: bool,
    /// `$$` math was seen.
    pub math: bool,
    /// Posts per home page (jekyll-paginate's `paginate`).
    pub pager_size: Option<u64>,
    /// Write the RSS feed as `feed.xml` (the site used jekyll-feed and no
    /// file of its own is served there).
    pub feed_xml: bool,
    /// The site serves its own file at `/index.html` (a static page, not a
    /// document): Hugo must not render the home page over it.
    pub own_home: bool,
    /// The site serves its own file where Hugo writes the home feed.
    pub own_home_feed: bool,
    /// The site serves its own `/sitemap.xml`.
    pub own_sitemap: bool,
}

fn kramdown_opt<'a>(site: &'a Site, key: &str) -> Option<&'a Value> {
    site.config.raw.get("kramdown").and_then(|k| k.get(key))
}

/// The goldmark typographer entity for a kramdown `smart_quotes` name.
fn entity(name: &str) -> String {
    let name = name.trim();
    if name.chars().all(|c| c.is_ascii_alphanumeric()) && !name.is_empty() {
        format!("&{name};")
    } else {
        name.to_string()
    }
}

/// kramdown's `toc_levels` (`2..3`, `"1..6"`, `[2, 3]`) as the first and
/// last heading level of Hugo's table of contents; 1 to 6 by default.
fn toc_levels(v: Option<&Value>) -> (u64, u64) {
    let levels: Vec<u64> = match v {
        Some(Value::String(r)) => match r.split_once("..") {
            Some((a, b)) => match (a.trim().parse::<u64>(), b.trim().parse::<u64>()) {
                (Ok(a), Ok(b)) => (a..=b).collect(),
                _ => Vec::new(),
            },
            None => r.split(',').filter_map(|x| x.trim().parse().ok()).collect(),
        },
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_u64).collect(),
        Some(Value::Number(n)) => n.as_u64().into_iter().collect(),
        _ => Vec::new(),
    };
    let levels: Vec<u64> = levels.into_iter().filter(|l| (1..=6).contains(l)).collect();
    match (levels.iter().min(), levels.iter().max()) {
        (Some(a), Some(b)) => (*a, *b),
        _ => (1, 6),
    }
}

/// The text of `hugo.toml`; `language` is the site's BCP 47 tag (see
/// [`crate::lang::site_language`]).
pub fn hugo_toml(site: &Site, needs: &Needs, language: &str) -> String {
    let c = &site.config;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "# Written by jekyll-migrate from the Jekyll site's _config.yml."
    );
    let base = crate::urls::home_url(c);
    let _ = writeln!(s, "baseURL = {}", toml_str(&base));
    if let Some(t) = &c.title {
        let _ = writeln!(s, "title = {}", toml_str(t));
    }
    // Hugo writes its language keys in lower case (`en-us`).
    let _ = writeln!(s, "locale = {}", toml_str(&language.to_lowercase()));
    if let Some(tz) = &c.timezone {
        let _ = writeln!(s, "timeZone = {}", toml_str(tz));
    }
    // Jekyll keeps the case of URLs and of term names.
    let _ = writeln!(s, "disablePathToLower = true");
    let _ = writeln!(s, "capitalizeListTitles = false");
    let _ = writeln!(s, "pluralizeListTitles = false");
    if needs.own_sitemap {
        // The site's own sitemap is copied from static/.
        let _ = writeln!(s, "disableKinds = [\"sitemap\"]");
    }
    if c.raw.get("future").and_then(Value::as_bool) == Some(true) {
        let _ = writeln!(s, "buildFuture = true");
    }
    if c.description.is_some() || needs.math {
        let _ = writeln!(s, "\n[params]");
        if let Some(d) = &c.description {
            let _ = writeln!(s, "description = {}", toml_str(d));
        }
        if needs.math {
            // The built-in layouts load MathJax when this is set.
            let _ = writeln!(s, "math = true");
        }
    }
    let _ = writeln!(
        s,
        "\n[taxonomies]\ntag = \"tags\"\ncategory = \"categories\""
    );

    let _ = writeln!(s, "\n[markup]\ndefaultMarkdownHandler = \"goldmark\"");
    let _ = writeln!(s, "\n[markup.goldmark.renderer]");
    // Jekyll passes raw HTML through; goldmark drops it unless unsafe.
    let _ = writeln!(s, "unsafe = true");
    let gfm = kramdown_opt(site, "input")
        .and_then(Value::as_str)
        .is_none_or(|i| i.eq_ignore_ascii_case("gfm"));
    let hard_wrap = gfm && kramdown_opt(site, "hard_wrap").and_then(Value::as_bool) == Some(true);
    let _ = writeln!(s, "hardWraps = {hard_wrap}");
    let _ = writeln!(
        s,
        "\n[markup.goldmark.parser]\nautoHeadingID = true\nautoHeadingIDType = \"github\""
    );
    let _ = writeln!(
        s,
        "\n[markup.goldmark.parser.attribute]\nblock = {}\ntitle = true",
        needs.block_attributes
    );
    // kramdown's typographic symbols and smart quotes.
    let quotes: Vec<String> = kramdown_opt(site, "smart_quotes")
        .and_then(Value::as_str)
        .map(|q| q.split(',').map(entity).collect())
        .filter(|v: &Vec<String>| v.len() == 4)
        .unwrap_or_else(|| {
            ["&lsquo;", "&rsquo;", "&ldquo;", "&rdquo;"]
                .map(String::from)
                .to_vec()
        });
    let _ = writeln!(
        s,
        "\n[markup.goldmark.extensions.typographer]\ndisable = false"
    );
    let _ = writeln!(s, "leftSingleQuote = {}", toml_str(&quotes[0]));
    let _ = writeln!(s, "rightSingleQuote = {}", toml_str(&quotes[1]));
    let _ = writeln!(s, "leftDoubleQuote = {}", toml_str(&quotes[2]));
    let _ = writeln!(s, "rightDoubleQuote = {}", toml_str(&quotes[3]));
    let _ = writeln!(s, "apostrophe = {}", toml_str(&quotes[1]));
    let _ = writeln!(
        s,
        "enDash = \"&ndash;\"\nemDash = \"&mdash;\"\nellipsis = \"&hellip;\""
    );
    let _ = writeln!(
        s,
        "leftAngleQuote = \"&laquo;\"\nrightAngleQuote = \"&raquo;\""
    );
    if needs.math {
        let _ = writeln!(
            s,
            "\n[markup.goldmark.extensions.passthrough]\nenable = true\n[markup.goldmark.extensions.passthrough.delimiters]\nblock = [[\"$$\", \"$$\"], [\"\\\\[\", \"\\\\]\"]]\ninline = [[\"\\\\(\", \"\\\\)\"]]"
        );
    }
    // Rouge and Chroma share Pygments' class names, so class output keeps
    // working with the site's own highlighting CSS; Rouge's block
    // `line_numbers` becomes Hugo's `lineNos`.
    let line_numbers = kramdown_opt(site, "syntax_highlighter_opts")
        .and_then(|o| o.get("block"))
        .and_then(|b| b.get("line_numbers"))
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let _ = writeln!(
        s,
        "\n[markup.highlight]\ncodeFences = true\nguessSyntax = false\nnoClasses = false\nlineNos = {line_numbers}\nlineNumbersInTable = true"
    );
    let (start, end) = toc_levels(kramdown_opt(site, "toc_levels"));
    let _ = writeln!(
        s,
        "\n[markup.tableOfContents]\nstartLevel = {start}\nendLevel = {end}\nordered = false"
    );
    if let Some(n) = needs.pager_size {
        // Hugo pages the home page at /page/N/; static redirect pages stand
        // at jekyll-paginate's paths.
        let _ = writeln!(s, "\n[pagination]\npagerSize = {n}\npath = \"page\"");
    }
    if needs.html_content {
        // Hugo 0.162+ refuses .html content files unless allowed.
        let _ = writeln!(s, "\n[security]\nallowContent = [\".*\"]");
    }
    if needs.feed_xml {
        // jekyll-feed served /feed.xml; keep subscribers' URL.
        let _ = writeln!(s, "\n[outputFormats.RSS]\nbaseName = \"feed\"");
    }
    if needs.own_home || needs.own_home_feed {
        // The home page or feed Jekyll served is a file copied from
        // static/; Hugo writes only what the site does not have.
        let mut home = Vec::new();
        if !needs.own_home {
            home.push("\"html\"");
        }
        if !needs.own_home_feed {
            home.push("\"rss\"");
        }
        let _ = writeln!(s, "\n[outputs]\nhome = [{}]", home.join(", "));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toc_levels_from_kramdown() {
        assert_eq!(toc_levels(Some(&Value::String("2..3".into()))), (2, 3));
        assert_eq!(toc_levels(Some(&serde_json::json!([2, 4]))), (2, 4));
        assert_eq!(toc_levels(None), (1, 6));
        assert_eq!(toc_levels(Some(&Value::String("x".into()))), (1, 6));
    }

    #[test]
    fn config_parses_and_keeps_the_base_path() {
        let mut site = Site::default();
        site.config.url = Some("https://example.com".into());
        site.config.baseurl = "/blog".into();
        site.config.title = Some("My \"blog\"".into());
        site.config.timezone = Some("America/New_York".into());
        let text = hugo_toml(
            &site,
            &Needs {
                html_content: true,
                block_attributes: true,
                math: true,
                feed_xml: true,
                pager_size: Some(5),
                own_home: true,
                own_home_feed: false,
                own_sitemap: true,
            },
            "zh-CN",
        );
        let t: toml::Table = toml::from_str(&text).unwrap();
        assert_eq!(t["baseURL"].as_str(), Some("https://example.com/blog/"));
        assert_eq!(t["title"].as_str(), Some("My \"blog\""));
        assert_eq!(t["locale"].as_str(), Some("zh-cn"));
        assert!(t.get("languageCode").is_none());
        assert_eq!(t["timeZone"].as_str(), Some("America/New_York"));
        assert_eq!(t["disableKinds"].as_array().map(Vec::len), Some(1));
        assert_eq!(t["outputs"]["home"].as_array().map(Vec::len), Some(1));
        assert_eq!(
            t["markup"]["goldmark"]["renderer"]["unsafe"].as_bool(),
            Some(true)
        );
        assert_eq!(
            t["markup"]["goldmark"]["parser"]["attribute"]["block"].as_bool(),
            Some(true)
        );
        assert_eq!(t["security"]["allowContent"][0].as_str(), Some(".*"));
        assert_eq!(t["outputFormats"]["RSS"]["baseName"].as_str(), Some("feed"));
        assert_eq!(t["pagination"]["pagerSize"].as_integer(), Some(5));
        assert_eq!(t["params"]["math"].as_bool(), Some(true));
        assert_eq!(
            t["markup"]["goldmark"]["extensions"]["passthrough"]["delimiters"]["block"][1][0]
                .as_str(),
            Some("\\[")
        );
    }
}
