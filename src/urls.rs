//! Site URLs: joining Jekyll's site-relative URLs with `url` and `baseurl`,
//! and making the links inside rendered HTML absolute.

use std::sync::LazyLock;

use regex::Regex;

use crate::ir::SiteConfig;

/// Decodes `%XX` escapes of a URL path, as Jekyll's `URL.unescape_path`
/// does: invalid escapes are kept, invalid UTF-8 is replaced.
pub fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

/// The absolute home URL of the site: `url` + `baseurl` + `/`. Falls back to
/// `http://localhost/` when the site has no `url` (Jekyll's own default in
/// development), so feeds still carry absolute URLs.
pub fn home_url(config: &SiteConfig) -> String {
    let base = config
        .url
        .as_deref()
        .map(|u| u.trim_end_matches('/'))
        .filter(|u| !u.is_empty())
        .unwrap_or("http://localhost");
    format!("{base}{}/", config.baseurl.trim_end_matches('/'))
}

/// The absolute URL of a site-relative Jekyll URL (`/2017/05/01/x.html`):
/// `url` + `baseurl` + path.
pub fn absolute(config: &SiteConfig, site_url: &str) -> String {
    let home = home_url(config);
    let home = home.trim_end_matches('/');
    if site_url.starts_with('/') {
        format!("{home}{site_url}")
    } else {
        format!("{home}/{site_url}")
    }
}

/// Resolves `link` (as found in an `href`/`src`) against the absolute URL of
/// the page it appears on. Links that are already absolute, `mailto:`, `data:`
/// and the like are returned unchanged; unparsable ones too.
pub fn resolve(page_url: &str, link: &str) -> String {
    resolve_against(url::Url::parse(page_url).ok().as_ref(), page_url, link)
}

/// [`resolve`] with the page URL already parsed (`None` when it does not
/// parse): a page's links share one parse.
fn resolve_against(base: Option<&url::Url>, page_url: &str, link: &str) -> String {
    let trimmed = link.trim();
    if trimmed.is_empty() {
        // An empty reference is the page itself.
        return page_url.to_string();
    }
    match base {
        Some(base) => match base.join(trimmed) {
            Ok(u) => u.to_string(),
            Err(_) => link.to_string(),
        },
        None => link.to_string(),
    }
}

/// A URL attribute with its quoted value: `srcset` and the ones holding
/// one URL, in one pattern so each document is scanned once.
static URL_ATTR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)(\s(href|src|poster|cite|data|action|srcset)\s*=\s*)("([^"]*)"|'([^']*)')"#)
        .expect("static regex")
});

/// Rewrites every `href`, `src`, `poster`, `cite`, `data`, `action` and
/// `srcset` URL in `html` to an absolute URL resolved against `page_url`.
pub fn absolutize_html(html: &str, page_url: &str) -> String {
    let base = url::Url::parse(page_url).ok();
    let resolve = |link: &str| resolve_against(base.as_ref(), page_url, link);
    URL_ATTR
        .replace_all(html, |c: &regex::Captures<'_>| {
            let (value, quote) = match (c.get(4), c.get(5)) {
                (Some(v), _) => (v.as_str(), '"'),
                (None, Some(v)) => (v.as_str(), '\''),
                _ => ("", '"'),
            };
            if c[2].eq_ignore_ascii_case("srcset") {
                let parts: Vec<String> = value
                    .split(',')
                    .map(|cand| {
                        let cand = cand.trim();
                        let mut it = cand.splitn(2, char::is_whitespace);
                        let u = it.next().unwrap_or("");
                        let rest = it.next().unwrap_or("").trim();
                        let abs = resolve(u);
                        if rest.is_empty() {
                            abs
                        } else {
                            format!("{abs} {rest}")
                        }
                    })
                    .collect();
                return format!("{}{quote}{}{quote}", &c[1], parts.join(", "));
            }
            let decoded = value.replace("&amp;", "&");
            let resolved = resolve(&decoded).replace('&', "&amp;");
            format!("{}{quote}{resolved}{quote}", &c[1])
        })
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(url: &str, baseurl: &str) -> SiteConfig {
        SiteConfig {
            url: Some(url.into()),
            baseurl: baseurl.into(),
            ..SiteConfig::default()
        }
    }

    #[test]
    fn absolute_joins_url_and_baseurl() {
        let c = cfg("https://ex.com/", "/blog");
        assert_eq!(home_url(&c), "https://ex.com/blog/");
        assert_eq!(
            absolute(&c, "/2017/a.html"),
            "https://ex.com/blog/2017/a.html"
        );
    }

    #[test]
    fn html_links_become_absolute() {
        let page = "https://ex.com/blog/2017/05/01/a.html";
        let html = r##"<a href="/x">x</a> <img src='pic.png' srcset="a.png 1x, /b.png 2x"> <a href="#f">f</a> <a href="mailto:a@b.c">m</a> <a href="https://o.org/?a=1&amp;b=2">o</a>"##;
        let out = absolutize_html(html, page);
        assert!(out.contains(r#"href="https://ex.com/x""#), "{out}");
        assert!(
            out.contains(r#"src='https://ex.com/blog/2017/05/01/pic.png'"#),
            "{out}"
        );
        assert!(out.contains("https://ex.com/blog/2017/05/01/a.png 1x, https://ex.com/b.png 2x"));
        assert!(out.contains(r#"href="https://ex.com/blog/2017/05/01/a.html#f""#));
        assert!(out.contains(r#"href="mailto:a@b.c""#));
        assert!(
            out.contains(r#"href="https://o.org/?a=1&amp;b=2""#),
            "{out}"
        );
    }
}
