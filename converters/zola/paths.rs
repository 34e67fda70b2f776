//! Where every document lands in Zola and which output files it claims.
//!
//! Zola has no ugly-URL mode: a page `path` always becomes `<path>/index.html`,
//! while an alias whose last segment ends in `.html` is written as exactly that
//! file. So a Jekyll URL `/a/b.html` becomes `path = "/a/b/"` plus the alias
//! `/a/b.html`, and a pretty URL `/a/b/` becomes `path` alone. Every file a
//! page, alias, section, static file or Zola itself would write is claimed
//! here first, so collisions are reported before Zola fails on them.

use crate::fast_hash::FastMap as HashMap;
use std::sync::Arc;

use crate::diagnostics::Diagnostic;

/// Where a Jekyll URL goes in Zola.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    /// The page `path`: decoded, without leading or trailing `/` (empty for
    /// the home page).
    pub path: String,
    /// The alias that keeps the `.html` file Jekyll wrote, with a leading `/`.
    pub html_alias: Option<String>,
    /// The URL holds a name longer than a file system takes
    /// ([`crate::urls::MAX_NAME`]): `path` is cut short and there is no
    /// alias, since no one could have served the URL.
    pub too_long: bool,
}

/// Bytes a page path's names leave for what claims may add (`-html-99`).
const ROOM: usize = 10;

pub use crate::urls::percent_decode;

/// The segments of a URL path after decoding, with empty, `.` and `..`
/// segments dropped (a server normalises `/../x` to `/x`; Jekyll's own
/// sanitizer writes such a URL at `/x`). Query and fragment are cut off.
pub fn segments(url: &str) -> Vec<String> {
    let path = url.split(['?', '#']).next().unwrap_or("");
    percent_decode(path)
        .split('/')
        .filter(|s| !s.is_empty() && *s != "." && *s != "..")
        .map(str::to_string)
        .collect()
}

/// The route for a Jekyll URL of an HTML page.
pub fn route(url: &str) -> Route {
    let mut r = full_route(url);
    if let Some(short) = crate::urls::shorten_long_names(&r.path, ROOM) {
        r = Route {
            path: short,
            html_alias: None,
            too_long: true,
        };
    }
    r
}

fn full_route(url: &str) -> Route {
    let segs = segments(url);
    let joined = segs.join("/");
    let pretty = url.ends_with('/') || segs.is_empty();
    if pretty {
        return Route {
            path: joined,
            html_alias: None,
            too_long: false,
        };
    }
    if let Some(stem) = joined.strip_suffix(".html") {
        return Route {
            path: stem.to_string(),
            html_alias: Some(format!("/{joined}")),
            too_long: false,
        };
    }
    // `/about` with no extension: Jekyll writes `about.html`, servers answer
    // `/about` from it. Zola serves `/about/`; keep the file Jekyll wrote as
    // an alias too.
    Route {
        path: joined.clone(),
        html_alias: Some(format!("/{joined}.html")),
        too_long: false,
    }
}

/// The file Zola writes for a page or section `path` (`a/b` → `a/b/index.html`).
pub fn path_output(path: &str) -> String {
    let p = path.trim_matches('/');
    if p.is_empty() {
        "index.html".to_string()
    } else {
        format!("{p}/index.html")
    }
}

/// The file Zola writes for an alias: the alias itself when its last segment
/// ends in `.html` (case-sensitive), else `<alias>/index.html`.
pub fn alias_output(alias: &str) -> String {
    let p = alias.trim_matches('/');
    let last = p.rsplit('/').next().unwrap_or("");
    if last.ends_with(".html") {
        p.to_string()
    } else {
        path_output(p)
    }
}

/// The file a static file or a non-HTML page is served from, for a URL.
pub fn static_output(url: &str) -> String {
    let joined = segments(url).join("/");
    if url.ends_with('/') || joined.is_empty() {
        path_output(&joined)
    } else {
        joined
    }
}

/// Who claims an output file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claimant {
    /// Source file (or `zola` for files Zola generates); shared, since a
    /// page's one name is held by each file and folder it claims.
    pub source: Arc<str>,
    /// What the claim is: `path`, `alias`, `static`, `generated`.
    pub what: &'static str,
}

/// Every output file claimed so far, and the folders they need.
#[derive(Debug, Default)]
pub struct Claims {
    files: HashMap<String, Claimant>,
    dirs: HashMap<String, Arc<str>>,
}

impl Claims {
    /// Room for about `n` files, so a big site's claims are not rehashed
    /// as they grow.
    pub fn with_capacity(n: usize) -> Self {
        Claims {
            files: crate::fast_hash::map_with_capacity(n),
            dirs: HashMap::default(),
        }
    }

    /// Claims `file` for `who`. On a clash (same file, or a file where a
    /// folder is needed, or the reverse) the claim is refused and the
    /// current owner is returned.
    pub fn claim(&mut self, file: &str, who: Claimant) -> Result<(), Claimant> {
        if let Some(owner) = self.files.get(file) {
            return Err(owner.clone());
        }
        if let Some(owner) = self.dirs.get(file) {
            return Err(Claimant {
                source: owner.clone(),
                what: "folder",
            });
        }
        let mut ancestors = Vec::new();
        let mut rest = file;
        while let Some((parent, _)) = rest.rsplit_once('/') {
            // A folder already needed had all its ancestors checked and
            // recorded then, and no file can be claimed at a needed folder
            // since: the walk up can stop there.
            if self.dirs.contains_key(parent) {
                break;
            }
            if let Some(owner) = self.files.get(parent) {
                return Err(owner.clone());
            }
            ancestors.push(parent);
            rest = parent;
        }
        for a in ancestors {
            self.dirs.insert(a.to_string(), who.source.clone());
        }
        self.files.insert(file.to_string(), who);
        Ok(())
    }

    /// Whether `file` is claimed.
    pub fn is_claimed(&self, file: &str) -> bool {
        self.files.contains_key(file)
    }

    /// Whether any claimed file lies below folder `dir`.
    pub fn has_under(&self, dir: &str) -> bool {
        self.dirs.contains_key(dir) || self.files.contains_key(dir)
    }

    /// A collision diagnostic for `source` losing `file` to `owner`.
    pub fn collision(source: &str, what: &str, file: &str, owner: &Claimant) -> Diagnostic {
        Diagnostic::error(
            "zola-path-collision",
            source,
            format!(
                "its {what} needs the output file {file:?}, which the {} of {} already claims; Zola would fail with \"Found path collisions\" or overwrite one of them, so this {what} was not written; give one of the two another permalink",
                owner.what, owner.source
            ),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_urls_become_path_and_alias() {
        let r = route("/jekyll/update/2017/05/01/day-1.html");
        assert_eq!(r.path, "jekyll/update/2017/05/01/day-1");
        assert_eq!(
            r.html_alias.as_deref(),
            Some("/jekyll/update/2017/05/01/day-1.html")
        );
        assert_eq!(
            path_output(&r.path),
            "jekyll/update/2017/05/01/day-1/index.html"
        );
        assert_eq!(
            alias_output("/jekyll/update/2017/05/01/day-1.html"),
            "jekyll/update/2017/05/01/day-1.html"
        );
    }

    #[test]
    fn pretty_urls_are_paths_only() {
        assert_eq!(
            route("/docs/home/"),
            Route {
                path: "docs/home".into(),
                html_alias: None,
                too_long: false,
            }
        );
        assert_eq!(route("/").path, "");
    }

    #[test]
    fn names_too_long_for_a_file_system_are_cut() {
        let long = format!("/a/{}.html", "b".repeat(400));
        let r = route(&long);
        assert!(r.too_long);
        assert_eq!(r.html_alias, None);
        assert!(r.path.starts_with("a/bbb"), "{r:?}");
        assert!(path_output(&r.path)
            .split('/')
            .all(|n| n.len() + ROOM <= 255));
    }

    #[test]
    fn escapes_are_decoded_and_dot_segments_dropped() {
        let r = route("/+/%25%23%20+.html");
        assert_eq!(r.path, "+/%# +");
        assert_eq!(route("/%2e%2e/%2e%2e/baddie.html").path, "baddie");
    }

    #[test]
    fn alias_outputs_follow_zola() {
        assert_eq!(alias_output("/old/x"), "old/x/index.html");
        assert_eq!(alias_output("/x/P.HTML"), "x/P.HTML/index.html");
        assert_eq!(alias_output("/feed/index.xml"), "feed/index.xml/index.html");
        assert_eq!(
            static_output("/contacts/humans/"),
            "contacts/humans/index.html"
        );
        assert_eq!(static_output("/css/main.css"), "css/main.css");
    }

    #[test]
    fn claims_detect_files_and_folders() {
        let who = |s: &str| Claimant {
            source: s.into(),
            what: "path",
        };
        let mut c = Claims::default();
        assert!(c.claim("a/b.html", who("one")).is_ok());
        assert_eq!(&*c.claim("a/b.html", who("two")).unwrap_err().source, "one");
        // a folder `a/b.html/` cannot exist beside the file `a/b.html`
        assert!(c.claim("a/b.html/index.html", who("three")).is_err());
        assert!(c.claim("x/y/index.html", who("four")).is_ok());
        assert!(c.claim("x/y", who("five")).is_err());
    }
}
