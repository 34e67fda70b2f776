//! URLs as Jekyll's `Jekyll::URL` builds them: placeholders filled and
//! escaped, then the result sanitized.

/// The template behind a permalink style name (`date`, `pretty`, …), or the
/// template itself when it is not a style name.
pub fn style_to_template(style: &str) -> String {
    match style {
        "none" => "/:categories/:title:output_ext".into(),
        "date" => "/:categories/:year/:month/:day/:title:output_ext".into(),
        "ordinal" => "/:categories/:year/:y_day/:title:output_ext".into(),
        "pretty" => "/:categories/:year/:month/:day/:title/".into(),
        "weekdate" => "/:categories/:year/W:week/:short_day/:title:output_ext".into(),
        other => other.into(),
    }
}

/// `Utils.add_permalink_suffix`: gives `template` the ending the site's
/// permalink style has (a slash, or `:output_ext`).
pub fn add_permalink_suffix(template: &str, style: &str) -> String {
    let mut t = template.to_string();
    match style {
        "pretty" => t.push('/'),
        "date" | "ordinal" | "none" => t.push_str(":output_ext"),
        other => {
            if other.ends_with('/') {
                t.push('/');
            }
            if other.ends_with(":output_ext") {
                t.push_str(":output_ext");
            }
        }
    }
    t
}

/// True for bytes `URL.escape_path` leaves alone (RFC 3986 `pchar` and `/`).
fn is_path_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@/".contains(&b)
}

/// `URL.escape_path`: percent-encodes what may not appear in a URL path.
pub fn escape_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for &b in path.as_bytes() {
        if is_path_char(b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `URL.unescape_path`: decodes `%XX` sequences (invalid ones are kept).
pub fn unescape_path(path: &str) -> String {
    crate::urls::percent_decode(path)
}

/// `URL#sanitize_url`: a leading `/`, no `..`, no `./`, no `//`.
pub fn sanitize_url(s: &str) -> String {
    let with_slash = format!("/{s}").replace("..", "/").replace("./", "");
    let mut out = String::with_capacity(with_slash.len());
    for c in with_slash.chars() {
        if c == '/' && out.ends_with('/') {
            continue;
        }
        out.push(c);
    }
    out
}

/// Fills a template from an ordered list of placeholders, as Jekyll does for
/// pages and static files (`generate_url_from_hash`): each `:key` in turn is
/// replaced everywhere it occurs; a `None` value removes `/:key`.
pub fn fill_from_list(template: &str, placeholders: &[(&str, Option<&str>)]) -> String {
    let mut result = template.to_string();
    for (key, value) in placeholders {
        if !result.contains(':') {
            break;
        }
        result = match value {
            None => result.replace(&format!("/:{key}"), ""),
            Some(v) => result.replace(&format!(":{key}"), &escape_path(v)),
        };
    }
    result
}

/// Fills a template the way Jekyll does for documents
/// (`generate_url_from_drop`): every `:name` (letters and `_`) is looked up;
/// `:month_` falls back to `:month` followed by `_`. Returns the unknown
/// placeholder names as the error (Jekyll stops the build on them).
pub fn fill_from_lookup<F>(template: &str, lookup: F) -> Result<String, Vec<String>>
where
    F: Fn(&str) -> Option<String>,
{
    let mut out = String::with_capacity(template.len() + 16);
    let mut unknown = Vec::new();
    let mut rest = template;
    while let Some(i) = rest.find(':') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let name_len = after
            .find(|c: char| !(c.is_ascii_lowercase() || c == '_'))
            .unwrap_or(after.len());
        let name = &after[..name_len];
        if name.is_empty() {
            out.push(':');
            rest = after;
            continue;
        }
        let found = lookup(name)
            .map(|v| (v, ""))
            .or_else(|| name.strip_suffix('_').and_then(&lookup).map(|v| (v, "_")));
        match found {
            Some((value, tail)) => {
                out.push_str(&escape_path(&value));
                out.push_str(tail);
            }
            None => {
                unknown.push(name.to_string());
                out.push(':');
                out.push_str(name);
            }
        }
        rest = &after[name_len..];
    }
    out.push_str(rest);
    if unknown.is_empty() {
        Ok(out)
    } else {
        Err(unknown)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_path_matches_jekyll() {
        assert_eq!(escape_path("/a b"), "/a%20b");
        assert_eq!(escape_path("%# +"), "%25%23%20+");
        assert_eq!(escape_path("special-chars-(+)"), "special-chars-(+)");
        assert_eq!(escape_path("中文"), "%E4%B8%AD%E6%96%87");
        assert_eq!(unescape_path("%E4%B8%AD%zz"), "中%zz");
    }

    #[test]
    fn sanitize_url_removes_traversal_and_double_slashes() {
        assert_eq!(sanitize_url("../../etc/x"), "/etc/x");
        assert_eq!(sanitize_url("//a//b/"), "/a/b/");
        assert_eq!(
            sanitize_url("/%2e%2e/%2e%2e/baddie.html"),
            "/%2e%2e/%2e%2e/baddie.html"
        );
    }

    #[test]
    fn drop_placeholders_allow_trailing_underscore() {
        let url = fill_from_lookup("/:year/:month_:day/:title", |k| match k {
            "year" => Some("2020".into()),
            "month" => Some("01".into()),
            "day" => Some("02".into()),
            "title" => Some("a b".into()),
            _ => None,
        });
        assert_eq!(url, Ok("/2020/01_02/a%20b".to_string()));
        assert_eq!(
            fill_from_lookup("/:nope/x", |_| None),
            Err(vec!["nope".to_string()])
        );
    }

    #[test]
    fn list_placeholders_drop_missing_segments() {
        let u = fill_from_list(
            "/:path/:basename:output_ext",
            &[
                ("path", Some("/+")),
                ("basename", Some("%# +")),
                ("output_ext", Some(".html")),
            ],
        );
        assert_eq!(sanitize_url(&u), "/+/%25%23%20+.html");
        assert_eq!(fill_from_list("/x/:path/y", &[("path", None)]), "/x/y");
    }

    #[test]
    fn styles_and_suffixes() {
        assert_eq!(
            style_to_template("pretty"),
            "/:categories/:year/:month/:day/:title/"
        );
        assert_eq!(
            add_permalink_suffix("/:path/:basename", "pretty"),
            "/:path/:basename/"
        );
        assert_eq!(
            add_permalink_suffix("/:path/:basename", "date"),
            "/:path/:basename:output_ext"
        );
        assert_eq!(
            add_permalink_suffix("/:path", "/:categories/:title/"),
            "/:path/"
        );
    }
}
