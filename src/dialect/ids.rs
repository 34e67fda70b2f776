//! Heading ids: the ones kramdown gives (so `#fragment` links keep working)
//! and the ones a GitHub-style generator (Hugo's goldmark default) would give,
//! so a converter can tell where an explicit `{#id}` is needed.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;

/// Which of kramdown's id generators a site uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdStyle {
    /// The GFM parser (Jekyll's default `kramdown.input`): lowercase, drop
    /// everything but word characters, `-`, space and tab, spaces become `-`,
    /// duplicates get `-1`, `-2`, ….
    Gfm,
    /// The kramdown parser: leading non-letters dropped, only ASCII letters,
    /// digits, space and `-` kept, duplicates numbered the same way, `section`
    /// when nothing is left.
    Kramdown,
    /// `auto_ids: false`: headings get no id.
    Off,
}

static TAG: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"</?[A-Za-z][^>]*>").expect("static regex"));
static IMAGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"!\[[^\]]*\]\([^)]*\)|!\[[^\]]*\]\[[^\]]*\]").expect("static regex")
});
static LINK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\[([^\]]*)\](?:\((?:[^()]|\([^()]*\))*\)|\[[^\]]*\])").expect("static regex")
});
static AUTOLINK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"<((?:https?|ftp)://[^>\s]*|mailto:[^>\s]*)>").expect("static regex")
});
static ENTITY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"&(#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);").expect("static regex")
});

fn decode_entity(name: &str) -> Option<char> {
    if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        return char::from_u32(code);
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        "mdash" => '—',
        "ndash" => '–',
        "hellip" => '…',
        "copy" => '©',
        _ => return None,
    })
}

/// The text kramdown's GFM parser reads a heading's id from: the heading
/// source with its inline markup resolved (link text kept, URLs, images and
/// tags dropped, code spans kept, entities decoded, typographic `--`/`...`
/// turned into symbols that the id rules then drop).
pub fn heading_plain_text(src: &str) -> String {
    // Links first (their text may hold code spans, their URL anything), then
    // code spans kept verbatim, everything else un-marked-up.
    let src = without_links(Cow::Borrowed(src));
    let mut out = String::new();
    let mut rest: &str = &src;
    while let Some(start) = rest.find('`') {
        let (before, after) = rest.split_at(start);
        out.push_str(&unmarkup(before));
        let ticks = after.len() - after.trim_start_matches('`').len();
        let fence = &after[..ticks];
        let body = &after[ticks..];
        match body.find(fence) {
            Some(end) => {
                out.push_str(body[..end].trim());
                rest = &body[end + ticks..];
            }
            None => {
                out.push_str(&unmarkup(after));
                rest = "";
            }
        }
    }
    out.push_str(&unmarkup(rest));
    out
}

/// `s` with images dropped and links reduced to their text; both need a
/// `[`, so text without one is not searched.
fn without_links(s: Cow<'_, str>) -> Cow<'_, str> {
    if !s.contains('[') {
        return s;
    }
    let no_images = IMAGE.replace_all(&s, "");
    Cow::Owned(LINK.replace_all(&no_images, "$1").into_owned())
}

fn unmarkup(s: &str) -> String {
    // Each pattern needs its own character; headings are mostly plain
    // words, so most are not run at all.
    let mut s = without_links(Cow::Borrowed(s));
    if s.contains('<') {
        s = Cow::Owned(AUTOLINK.replace_all(&s, "$1").into_owned());
        s = Cow::Owned(TAG.replace_all(&s, "").into_owned());
    }
    if s.contains('&') {
        s = Cow::Owned(
            ENTITY
                .replace_all(&s, |c: &regex::Captures| {
                    decode_entity(&c[1])
                        .map(String::from)
                        .unwrap_or_else(|| c[0].to_string())
                })
                .into_owned(),
        );
    }
    // Typographic symbols become characters the id rules drop.
    let s = if s.contains("--") || s.contains("...") {
        Cow::Owned(s.replace("---", "—").replace("--", "–").replace("...", "…"))
    } else {
        s
    };
    let mut out = String::with_capacity(s.len());
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\\' if i + 1 < chars.len() && chars[i + 1].is_ascii_punctuation() => {
                out.push(chars[i + 1]);
                i += 2;
                continue;
            }
            '*' => {}
            // `_` is emphasis only at a word edge; inside `snake_case` it is text.
            '_' => {
                let prev_alnum = i > 0 && chars[i - 1].is_alphanumeric();
                let next_alnum = chars.get(i + 1).is_some_and(|n| n.is_alphanumeric());
                if prev_alnum && next_alnum {
                    out.push('_');
                }
            }
            _ => out.push(c),
        }
        i += 1;
    }
    out
}

/// Hands out kramdown's ids for the headings of one document, in order,
/// numbering repeats (`x`, `x-1`, `x-2`). The rules themselves are the
/// content layer's ([`crate::content::headings::IdGenerator`]); this adds
/// the plain-text extraction a Markdown source line needs.
#[derive(Debug, Default)]
pub struct KramdownIds {
    gfm: Option<crate::content::headings::IdGenerator>,
    kramdown: Option<crate::content::headings::IdGenerator>,
}

impl KramdownIds {
    /// Fresh counter, one per document.
    pub fn new() -> Self {
        Self::default()
    }

    /// The id kramdown gives the next heading whose source text is `src`
    /// and whose [`heading_plain_text`] is `plain` (the GFM rule starts from
    /// it, kramdown's from `src`), or `None` when ids are off.
    pub fn next(&mut self, src: &str, plain: &str, style: IdStyle) -> Option<String> {
        use crate::content::headings::IdGenerator;
        match style {
            IdStyle::Off => None,
            IdStyle::Gfm => Some(
                self.gfm
                    .get_or_insert_with(|| IdGenerator::new(true))
                    .id(plain),
            ),
            IdStyle::Kramdown => Some(
                self.kramdown
                    .get_or_insert_with(|| IdGenerator::new(false))
                    .id(src),
            ),
        }
    }
}

/// The id a GitHub-style generator (goldmark as Hugo configures it by
/// default) derives from a heading's plain text, before duplicate numbering.
pub fn github_base(plain: &str) -> String {
    let mut out = String::new();
    for c in plain.trim().chars() {
        if c == '-' || c == ' ' {
            out.push('-');
        } else if c == '_' || c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(heads: &[&str], style: IdStyle) -> Vec<String> {
        let mut k = KramdownIds::new();
        heads
            .iter()
            .filter_map(|h| k.next(h, &heading_plain_text(h), style))
            .collect()
    }

    #[test]
    fn gfm_ids_follow_kramdown_parser_gfm() {
        assert_eq!(
            ids(
                &["What's Jekyll?", "Using `site.url` *now*", "Foo", "Foo"],
                IdStyle::Gfm
            ),
            ["whats-jekyll", "using-siteurl-now", "foo", "foo-1"]
        );
        // Link text stays, the URL goes; typographic dashes vanish.
        assert_eq!(
            ids(&["See [the docs](http://x.org/a) -- now"], IdStyle::Gfm),
            ["see-the-docs--now"]
        );
        // Unicode letters are word characters.
        assert_eq!(ids(&["中文 标题"], IdStyle::Gfm), ["中文-标题"]);
        assert_eq!(
            ids(
                &[
                    "[`inttypes.h` from C99](http://x.org/?a=%2F)",
                    "[Maps](https://w.org/Map_(math)#x)",
                    "<https://a.org/b-c>"
                ],
                IdStyle::Gfm
            ),
            ["inttypesh-from-c99", "maps", "httpsaorgb-c"]
        );
        assert_eq!(
            ids(&["snake_case and _em_"], IdStyle::Gfm),
            ["snake_case-and-em"]
        );
    }

    #[test]
    fn kramdown_ids_follow_kramdown() {
        assert_eq!(
            ids(&["1. Intro: *A*", "???", "???"], IdStyle::Kramdown),
            ["intro-a", "section", "section-1"]
        );
        assert!(ids(&["x"], IdStyle::Off).is_empty());
    }

    #[test]
    fn github_ids() {
        assert_eq!(github_base(" What's up? "), "whats-up");
        assert_eq!(github_base("a_b C"), "a_b-c");
    }
}
