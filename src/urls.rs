//! Site URLs: joining Jekyll's site-relative URLs with `url` and `baseurl`,
//! making the links inside rendered HTML absolute, and keeping the names of
//! the files a URL is written to within what file systems take.

use crate::ir::SiteConfig;

/// Decodes `%XX` escapes of a URL path, as Jekyll's `URL.unescape_path`
/// does: invalid escapes are kept, invalid UTF-8 is replaced.
pub fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

/// Bytes in one file or folder name on ext4, APFS, NTFS and most others.
pub const MAX_NAME: usize = 255;

/// The `url-too-long` warning for the document `source` at `url`, which
/// no file system can hold and `tool` (Hugo, Zola) serves elsewhere, as
/// `now` says (`the page is served at /a/b-1f2e`).
pub fn too_long_warning(
    source: &str,
    url: &str,
    tool: &str,
    now: &str,
) -> crate::diagnostics::Diagnostic {
    crate::diagnostics::Diagnostic::warning(
        "url-too-long",
        source,
        format!(
            "the URL {} holds a name longer than file systems take ({MAX_NAME} bytes), so neither Jekyll nor {tool} can write it; {now}",
            shown(url)
        ),
    )
}

/// Whether a document at `url` is the site's not-found page: Jekyll writes
/// both `/404.html` and the extensionless `/404` (just-the-docs'
/// `permalink: /404`) to `404.html`, the file static hosts serve for a
/// missing page.
pub fn is_not_found_page(url: &str) -> bool {
    matches!(url, "/404.html" | "/404")
}

/// `path` (a decoded URL path, `/`-separated) with every name longer than
/// `MAX_NAME - room` bytes cut short and ended with a hash of the whole
/// name, so two long names stay apart; an extension of up to 16 bytes is
/// kept. `room` is what the writer may add to a name (`-2`, `.html`).
/// `None` when every name fits. Jekyll cannot write such a page either
/// (the file system refuses the name); a static site generator given the
/// URL fails the whole build.
pub fn shorten_long_names(path: &str, room: usize) -> Option<String> {
    let max = MAX_NAME.saturating_sub(room);
    if path.split('/').all(|name| name.len() <= max) {
        return None;
    }
    let names: Vec<String> = path
        .split('/')
        .map(|name| {
            if name.len() <= max {
                return name.to_string();
            }
            let (stem, ext) = match name.rsplit_once('.') {
                Some((stem, ext)) if !stem.is_empty() && ext.len() < 16 => {
                    (stem, &name[stem.len()..])
                }
                _ => (name, ""),
            };
            // 17 bytes for `-` and the hash.
            let mut keep = max.saturating_sub(17 + ext.len());
            while !stem.is_char_boundary(keep) {
                keep -= 1;
            }
            format!("{}-{:016x}{ext}", &stem[..keep], fnv1a(name.as_bytes()))
        })
        .collect();
    Some(names.join("/"))
}

/// `url` as a message shows it: cut after about 100 bytes, since a URL
/// long enough to need [`shorten_long_names`] would fill a screen.
pub fn shown(url: &str) -> std::borrow::Cow<'_, str> {
    if url.len() <= 120 {
        return url.into();
    }
    let mut cut = 100;
    while !url.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}…", &url[..cut]).into()
}

/// FNV-1a, 64 bits: a stable hash that names a shortened file the same on
/// every run and machine.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
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
        // A fragment the URL parser would copy as it is: the page's URL
        // with it; joining and serialising the URL was a tenth of making a
        // feed, and footnotes make half of a post's links.
        Some(base) if is_plain_fragment(trimmed) => {
            format!("{}{trimmed}", &base[..url::Position::AfterQuery])
        }
        Some(base) => match base.join(trimmed) {
            Ok(u) => u.to_string(),
            Err(_) => link.to_string(),
        },
        None => link.to_string(),
    }
}

/// Whether `link` is `#` and then only characters a URL fragment keeps as
/// they are (no space, quote, angle bracket, backtick, control or
/// non-ASCII character, which the parser percent-encodes or drops).
fn is_plain_fragment(link: &str) -> bool {
    link.strip_prefix('#').is_some_and(|f| {
        f.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~:!$&'()*+,;=/?@%".contains(&b))
    })
}

/// The attributes whose value is rewritten: `srcset` and the ones holding
/// one URL.
const URL_ATTR_NAMES: [&str; 7] = ["href", "src", "poster", "cite", "data", "action", "srcset"];

/// Rewrites every `href`, `src`, `poster`, `cite`, `data`, `action` and
/// `srcset` URL of the start tags in `html` to an absolute URL resolved
/// against `page_url`. Only real attributes are touched (found as the HTML
/// tokenizer finds them): markup shown as text, such as escaped HTML in a
/// code block, and what comments and scripts hold stay as written.
pub fn absolutize_html(html: &str, page_url: &str) -> String {
    let base = url::Url::parse(page_url).ok();
    let resolve = |link: &str| resolve_against(base.as_ref(), page_url, link);
    let mut out = String::with_capacity(html.len() + html.len() / 8);
    let mut done = 0;
    for attr in crate::html_attrs::start_tag_attrs(html) {
        if !URL_ATTR_NAMES.contains(&attr.name.as_str()) {
            continue;
        }
        let value = &html[attr.value.clone()];
        out.push_str(&html[done..attr.value.start]);
        let rewritten = if attr.name == "srcset" {
            value
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
                .collect::<Vec<_>>()
                .join(", ")
        } else {
            resolve(&value.replace("&amp;", "&")).replace('&', "&amp;")
        };
        if attr.quoted {
            out.push_str(&rewritten);
        } else {
            // An unquoted value ends at white space: quoted, it may hold any.
            out.push('"');
            out.push_str(&rewritten.replace('"', "&quot;"));
            out.push('"');
        }
        done = attr.value.end;
    }
    out.push_str(&html[done..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_names_are_cut_apart_and_keep_their_extension() {
        assert_eq!(shorten_long_names("/2020/01/a.html", 10), None);
        let long = format!("/{}/b{}.html", "a".repeat(300), "é".repeat(200));
        let short = shorten_long_names(&long, 10).expect("shortened");
        let names: Vec<&str> = short.split('/').collect();
        assert_eq!(names[0], "");
        assert!(names.iter().all(|n| n.len() <= MAX_NAME - 10), "{names:?}");
        assert!(names[1].starts_with("aaaa"), "{names:?}");
        assert!(
            names[2].starts_with("bé") && names[2].ends_with(".html"),
            "{names:?}"
        );
        // Another long name with the same start stays apart.
        let other = shorten_long_names(&format!("/{}x/", "a".repeat(300)), 10).expect("shortened");
        assert_ne!(other.split('/').nth(1), Some(names[1]));
        // The same name, the same result.
        assert_eq!(
            shorten_long_names(&long, 10).as_deref(),
            Some(short.as_str())
        );
    }

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
    fn plain_fragments_resolve_as_the_url_parser_resolves_them() {
        let bases = [
            "https://ex.com/blog/2017/05/01/a.html",
            "https://EX.com:443/a/b/?q=1&r=%20#old",
            "http://ex.com",
            "https://ex.com/a%20b/c.html#top",
            "http://localhost:4000/x/",
        ];
        let pieces = [
            "a", "Z", "9", "-", ":", "%", "%2", "/", "?", "&", "'", "(", "é", " ", "\"", "#", "`",
            "<",
        ];
        let mut rng = crate::synth::Rng::new(5);
        let mut plain = 0;
        for _ in 0..20_000 {
            let len = rng.below(8);
            let frag: String = (0..len).map(|_| rng.pick(&pieces)).collect();
            let link = format!("#{frag}");
            let base_text = rng.pick(&bases);
            let base = url::Url::parse(base_text).ok();
            let want = base
                .as_ref()
                .and_then(|b| b.join(&link).ok())
                .map(|u| u.to_string());
            plain += usize::from(is_plain_fragment(&link));
            assert_eq!(
                Some(resolve_against(base.as_ref(), base_text, &link)),
                want,
                "{base_text} {link}"
            );
        }
        assert!(plain > 2_000, "{plain}");
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
        // Unquoted values are rewritten too, and quoted.
        assert_eq!(
            absolutize_html("<a href=x.html>x</a>", page),
            r#"<a href="https://ex.com/blog/2017/05/01/x.html">x</a>"#
        );
        // Markup shown as text is text.
        let code =
            r#"<pre><code>&lt;a href="{% url 'memo' %}"&gt;</code></pre><!-- <a href="c"> -->"#;
        assert_eq!(absolutize_html(code, page), code);
    }
}
