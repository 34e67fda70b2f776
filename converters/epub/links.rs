//! Where a link in a post points: another chapter of the book, a file of the
//! site, some other page of the site, or elsewhere. Jekyll URLs are matched
//! in every form a post may write them (relative, root-relative, absolute
//! with the site URL, with or without `index.html` / `.html`).

use crate::fast_hash::FastMap as HashMap;

use url::Url;

use crate::ir::{Site, SiteConfig};
use crate::urls;

/// What a link resolves to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// Chapter `index` of the book, with the fragment as written (decoded).
    Chapter {
        /// Chapter index.
        index: usize,
        /// Fragment without `#`, if any.
        fragment: Option<String>,
    },
    /// Static file `index` of the site; `url` is its absolute URL.
    Static {
        /// Index into `Site::static_files`.
        index: usize,
        /// Absolute URL on the site.
        url: String,
    },
    /// A page of the site that is not in the book (absolute URL).
    Site(String),
    /// Anywhere else (absolute `http(s)`, `mailto:`, `tel:`, `ftp:`).
    External(String),
    /// A link a book cannot hold (`javascript:`, `file:`, unparsable).
    Unusable(String),
}

/// The link map of one book.
#[derive(Debug)]
pub struct SiteLinks {
    home: Url,
    base_path: String,
    chapters: HashMap<String, usize>,
    statics: HashMap<String, usize>,
}

impl SiteLinks {
    /// A map for `site` whose chapters are the documents with these Jekyll
    /// URLs, in chapter order.
    pub fn new(site: &Site, chapter_urls: &[&str]) -> Self {
        let home = home(&site.config);
        let base_path = home.path().trim_end_matches('/').to_string();
        let mut chapters = HashMap::default();
        for (i, u) in chapter_urls.iter().enumerate() {
            chapters.entry(page_key(u)).or_insert(i);
        }
        let mut statics = HashMap::default();
        for (i, f) in site.static_files.iter().enumerate() {
            statics.entry(percent_decode(&f.url)).or_insert(i);
        }
        SiteLinks {
            home,
            base_path,
            chapters,
            statics,
        }
    }

    /// The absolute URL of a site-relative Jekyll URL, as a parsed URL.
    pub fn page_url(&self, site_url: &str) -> Url {
        let rel = site_url.trim_start_matches('/');
        self.home.join(rel).unwrap_or_else(|_| self.home.clone())
    }

    /// Resolves `link` as written in a page whose absolute URL is `page`.
    pub fn resolve(&self, page: &Url, link: &str) -> Target {
        // Browsers strip leading/trailing ASCII white space and tabs/newlines.
        let cleaned: String = link
            .trim()
            .chars()
            .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
            .collect();
        let mut abs = match page.join(&cleaned) {
            Ok(u) => u,
            Err(e) => return Target::Unusable(format!("{e}")),
        };
        // The url crate leaves a `#` inside the fragment as it is, which is
        // not a valid URL (RSC-020): escape it.
        if let Some(f) = abs
            .fragment()
            .filter(|f| f.contains('#'))
            .map(|f| f.replace('#', "%23"))
        {
            abs.set_fragment(Some(&f));
        }
        match abs.scheme() {
            "http" | "https" => {}
            "mailto" | "tel" | "ftp" | "ftps" | "sms" | "xmpp" | "irc" | "ircs" | "news" => {
                return Target::External(written(&abs))
            }
            other => {
                return Target::Unusable(format!("the {other}: scheme has no place in a book"))
            }
        }
        // The url crate lower-cases hosts. `http` and `https` links to the
        // site's host both count: old posts often use the other scheme.
        let same_host = abs.host_str() == self.home.host_str()
            && (abs.scheme() != self.home.scheme()
                || abs.port_or_known_default() == self.home.port_or_known_default());
        if !same_host {
            return Target::External(written(&abs));
        }
        let path = abs.path();
        let Some(rest) = path.strip_prefix(&self.base_path) else {
            return Target::External(written(&abs));
        };
        if !(rest.is_empty() || rest.starts_with('/')) {
            return Target::External(written(&abs));
        }
        let rel = if rest.is_empty() { "/" } else { rest };
        let fragment = abs.fragment().map(percent_decode).filter(|f| !f.is_empty());
        if let Some(&index) = self.chapters.get(&page_key(rel)) {
            return Target::Chapter { index, fragment };
        }
        if let Some(&index) = self.statics.get(&percent_decode(rel)) {
            return Target::Static {
                index,
                url: written(&abs),
            };
        }
        Target::Site(written(&abs))
    }
}

/// `url` as the book writes it: a `%` that starts no `%XX` escape
/// (`balance%%202C`, a typo browsers forgive) becomes `%25`, since the url
/// crate keeps it and EPUBCheck rejects the URL (RSC-020).
fn written(url: &Url) -> String {
    let s = url.as_str();
    let b = s.as_bytes();
    let stray = |i: usize| {
        b[i] == b'%'
            && !(b.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && b.get(i + 2).is_some_and(u8::is_ascii_hexdigit))
    };
    if !(0..b.len()).any(stray) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 8);
    for (i, c) in s.char_indices() {
        if stray(i) {
            out.push_str("%25");
        } else {
            out.push(c);
        }
    }
    out
}

fn home(config: &SiteConfig) -> Url {
    let h = urls::home_url(config);
    // A `url` without a scheme (`example.com`) does not parse; fall back to
    // the same default `home_url` uses for a missing one.
    Url::parse(&h).unwrap_or_else(|_| {
        #[allow(clippy::expect_used)]
        Url::parse("http://localhost/").expect("a constant URL parses")
    })
}

/// The lookup key of a page URL: decoded, and `index.html`, `.html` and the
/// trailing slash removed, so `/a/`, `/a/index.html`, `/a.html` and `/a`
/// meet (Jekyll serves all of them for one page).
fn page_key(u: &str) -> String {
    let d = percent_decode(u.split(['#', '?']).next().unwrap_or(""));
    let d = d.strip_suffix("index.html").unwrap_or(&d);
    let d = d.strip_suffix(".html").unwrap_or(d);
    let d = d.trim_end_matches('/');
    if d.starts_with('/') {
        d.to_string()
    } else {
        format!("/{d}")
    }
}

pub use crate::urls::percent_decode;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Site, StaticFile};

    fn site() -> Site {
        let mut s = Site::default();
        s.config.url = Some("https://ex.com".into());
        s.config.baseurl = "/blog".into();
        s.static_files.push(StaticFile {
            source: "assets/a b.png".into(),
            url: "/assets/a%20b.png".into(),
            path: "/nonexistent".into(),
            size: 0,
        });
        s
    }

    /// A `%` that starts no escape (opensource.guide links a text
    /// fragment with `balance%%202C`) is written as `%25`; real escapes stay.
    #[test]
    fn stray_percent_signs_are_escaped() {
        let s = site();
        let l = SiteLinks::new(&s, &[]);
        let page = l.page_url("/x.html");
        assert_eq!(
            l.resolve(&page, "https://o.org/a%20b/#:~:text=bal%%202C%2"),
            Target::External("https://o.org/a%20b/#:~:text=bal%25%202C%252".into())
        );
        assert_eq!(
            l.resolve(&page, "/blog/100%/"),
            Target::Site("https://ex.com/blog/100%25/".into())
        );
    }

    #[test]
    fn finds_chapters_in_every_form() {
        let s = site();
        let l = SiteLinks::new(&s, &["/2020/01/02/hello.html", "/about/"]);
        let page = l.page_url("/2020/01/03/other.html");
        let ch = |i, f: Option<&str>| Target::Chapter {
            index: i,
            fragment: f.map(str::to_string),
        };
        assert_eq!(l.resolve(&page, "../02/hello.html#x"), ch(0, Some("x")));
        assert_eq!(l.resolve(&page, "/blog/2020/01/02/hello"), ch(0, None));
        assert_eq!(
            l.resolve(&page, "http://ex.com/blog/2020/01/02/hello.html"),
            ch(0, None)
        );
        assert_eq!(
            l.resolve(&page, "https://EX.com/blog/about/index.html"),
            ch(1, None)
        );
        assert_eq!(
            l.resolve(&page, "#top"),
            Target::Site("https://ex.com/blog/2020/01/03/other.html#top".into())
        );
        assert!(matches!(
            l.resolve(&page, "/blog/assets/a b.png"),
            Target::Static { index: 0, .. }
        ));
        assert_eq!(
            l.resolve(&page, "/elsewhere"),
            Target::External("https://ex.com/elsewhere".into())
        );
        assert_eq!(
            l.resolve(&page, "mailto:a@b.c"),
            Target::External("mailto:a@b.c".into())
        );
        assert!(matches!(
            l.resolve(&page, "javascript:alert(1)"),
            Target::Unusable(_)
        ));
        assert_eq!(percent_decode("%E4%B8%AD%2"), "中%2");
        assert_eq!(
            l.resolve(&page, "https://o.org/x##a b"),
            Target::External("https://o.org/x#%23a%20b".into())
        );
    }
}
