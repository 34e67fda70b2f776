//! Language tags: Jekyll sites write `en_US`, `zh-Hans`, `EN`; feeds and
//! ebooks need BCP 47 (`en-US`). [`site_language`] is the one rule every
//! output format follows for the site's language.

use crate::diagnostics::Diagnostic;
use crate::ir::{Document, Format, Site};
use crate::text;

/// The BCP 47 form of a Jekyll `lang`/`locale` value, or `None` when it is
/// not a plausible tag (empty, spaces, odd characters, a primary language
/// of 4 letters, which BCP 47 reserves).
pub fn bcp47(lang: &str) -> Option<String> {
    let raw = lang.trim().replace('_', "-");
    if raw.is_empty() || raw.len() > 35 {
        return None;
    }
    let parts: Vec<&str> = raw.split('-').collect();
    if parts
        .iter()
        .any(|p| p.is_empty() || p.len() > 8 || !p.chars().all(|c| c.is_ascii_alphanumeric()))
    {
        return None;
    }
    let first = parts[0];
    if !matches!(first.len(), 2 | 3 | 5..=8) || !first.chars().all(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    let mut out = Vec::with_capacity(parts.len());
    for (i, p) in parts.iter().enumerate() {
        let s = if i == 0 {
            p.to_ascii_lowercase()
        } else if p.len() == 2 && p.chars().all(|c| c.is_ascii_alphabetic()) {
            p.to_ascii_uppercase()
        } else if p.len() == 4 && p.chars().all(|c| c.is_ascii_alphabetic()) {
            let mut c = p.chars();
            let head = c.next().map(|h| h.to_ascii_uppercase()).unwrap_or('X');
            format!("{head}{}", c.as_str().to_ascii_lowercase())
        } else {
            p.to_ascii_lowercase()
        };
        out.push(s);
    }
    Some(out.join("-"))
}

/// The longest start of a BCP 47 tag that is a Unicode language identifier
/// (language, script, region, variants: what Zola's `default_language`
/// accepts); extended languages, extensions and private use are cut off.
pub fn language_id(tag: &str) -> Option<String> {
    let mut parts = tag.split('-').peekable();
    let first = parts.next()?;
    let alpha = |s: &str| s.chars().all(|c| c.is_ascii_alphabetic());
    let alnum = |s: &str| s.chars().all(|c| c.is_ascii_alphanumeric());
    let digit = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if !(matches!(first.len(), 2 | 3 | 5..=8) && alpha(first)) {
        return None;
    }
    let mut kept = vec![first];
    if let Some(s) = parts.next_if(|s| s.len() == 4 && alpha(s)) {
        kept.push(s);
    }
    if let Some(r) = parts.next_if(|s| (s.len() == 2 && alpha(s)) || (s.len() == 3 && digit(s))) {
        kept.push(r);
    }
    while let Some(v) = parts.next_if(|s| {
        ((5..=8).contains(&s.len()) && alnum(s))
            || (s.len() == 4 && s.starts_with(|c: char| c.is_ascii_digit()) && alnum(s))
    }) {
        kept.push(v);
    }
    Some(kept.join("-"))
}

/// How the site's language was chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Chosen {
    /// The site's `lang` (or `locale`) setting.
    Site,
    /// The `lang` that most posts set.
    Posts,
    /// Guessed from the script the text is written in.
    Guessed,
}

/// The site's language as every output format writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteLanguage {
    /// BCP 47 tag (`en-US`, `ko`).
    pub tag: String,
    /// Where the tag came from.
    pub chosen: Chosen,
    /// A warning for a `lang` that is not a tag, a note for a guess.
    pub diagnostics: Vec<Diagnostic>,
}

/// The site's language: its `lang`, else the `lang` most posts set, else
/// guessed from the text (with an `info[lang-guessed]` note). A `lang` that
/// is no language tag is reported (`lang-invalid`) and passed over.
pub fn site_language(site: &Site) -> SiteLanguage {
    let mut diagnostics = Vec::new();
    if let Some(raw) = site.config.lang.as_deref() {
        if let Some(tag) = bcp47(raw) {
            return SiteLanguage {
                tag,
                chosen: Chosen::Site,
                diagnostics,
            };
        }
        diagnostics.push(Diagnostic::warning(
            "lang-invalid",
            "_config.yml",
            format!("lang {raw:?} is not a language tag (like en or en-US), so it is not used; set lang: to a tag in _config.yml"),
        ));
    }
    if let Some(tag) = posts_language(site) {
        return SiteLanguage {
            tag,
            chosen: Chosen::Posts,
            diagnostics,
        };
    }
    let tag = guess_language(&sample_text(site)).to_string();
    diagnostics.push(Diagnostic::info(
        "lang-guessed",
        "_config.yml",
        format!("the site is marked as {tag:?}, a language guessed from its text; set lang: in _config.yml to choose"),
    ));
    SiteLanguage {
        tag,
        chosen: Chosen::Guessed,
        diagnostics,
    }
}

/// The `lang` more than half of the posts set, if any.
fn posts_language(site: &Site) -> Option<String> {
    let mut counts: std::collections::BTreeMap<String, usize> = Default::default();
    let mut posts = 0;
    for d in site.documents.iter().filter(|d| d.is_post()) {
        posts += 1;
        if let Some(tag) = d.lang.as_deref().and_then(bcp47) {
            *counts.entry(tag).or_default() += 1;
        }
    }
    counts
        .into_iter()
        .max_by_key(|(_, n)| *n)
        .filter(|(_, n)| n * 2 > posts)
        .map(|(tag, _)| tag)
}

/// Documents read for a guess: enough to tell a script, few enough that a
/// site of 10,000 posts costs nothing.
const SAMPLE_DOCS: usize = 50;
/// Bytes of a document's HTML (or source) read for a guess.
const SAMPLE_BYTES: usize = 16 * 1024;
/// Characters of a document's visible text kept for a guess.
const SAMPLE_CHARS: usize = 4000;

/// A bounded sample of what the site says, as visible text: its title and
/// description, then the start of its first posts (and of its pages, when
/// it has fewer than [`SAMPLE_DOCS`] posts).
fn sample_text(site: &Site) -> Vec<String> {
    let c = &site.config;
    let mut out: Vec<String> = [&c.title, &c.description]
        .into_iter()
        .flatten()
        .map(|s| text::visible_text(s))
        .collect();
    let posts = site.documents.iter().filter(|d| d.is_post());
    let others = site
        .documents
        .iter()
        .filter(|d| !d.is_post() && matches!(d.format, Format::Markdown | Format::Html));
    out.extend(posts.chain(others).take(SAMPLE_DOCS).map(doc_sample));
    out
}

/// The start of a document's visible text: of its rendered HTML where the
/// content layer made it, else of its source.
fn doc_sample(d: &Document) -> String {
    let source = d.html.as_deref().unwrap_or(&d.body);
    let mut cut = source.len().min(SAMPLE_BYTES);
    while !source.is_char_boundary(cut) {
        cut -= 1;
    }
    let head = &source[..cut];
    text::visible_text(head)
        .chars()
        .take(SAMPLE_CHARS)
        .collect()
}

/// A language for a site that names none, from the scripts its text is
/// written in: `zh`, `ja`, `ko`, `ru`, `ar`, `he`, or `en`.
pub fn guess_language(texts: &[String]) -> &'static str {
    let (mut han, mut kana, mut hangul, mut cyr, mut arabic, mut hebrew, mut latin) =
        (0usize, 0usize, 0usize, 0usize, 0usize, 0usize, 0usize);
    for t in texts {
        for c in t.chars() {
            match c as u32 {
                0x4E00..=0x9FFF | 0x3400..=0x4DBF => han += 1,
                0x3040..=0x30FF => kana += 1,
                0xAC00..=0xD7AF => hangul += 1,
                0x0400..=0x04FF => cyr += 1,
                0x0600..=0x06FF => arabic += 1,
                0x0590..=0x05FF => hebrew += 1,
                _ if c.is_ascii_alphabetic() => latin += 1,
                _ => {}
            }
        }
    }
    // One CJK character carries about as much as a Latin word.
    let cjk = han + kana + hangul;
    if cjk * 4 > latin {
        if kana * 10 > cjk {
            return "ja";
        }
        if hangul > han {
            return "ko";
        }
        return "zh";
    }
    let best = [(cyr, "ru"), (arabic, "ar"), (hebrew, "he")]
        .into_iter()
        .max_by_key(|(n, _)| *n)
        .filter(|(n, _)| *n > latin);
    best.map(|(_, l)| l).unwrap_or("en")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_jekyll_locales() {
        assert_eq!(bcp47("en_US").as_deref(), Some("en-US"));
        assert_eq!(bcp47("zh-hans-cn").as_deref(), Some("zh-Hans-CN"));
        assert_eq!(bcp47("EN").as_deref(), Some("en"));
        assert_eq!(bcp47("not a tag"), None);
        assert_eq!(bcp47(""), None);
    }

    #[test]
    fn bcp47_rejects_a_four_letter_language() {
        assert_eq!(bcp47("engl"), None);
        assert_eq!(bcp47("deu").as_deref(), Some("deu"));
    }

    #[test]
    fn language_ids_keep_what_zola_accepts() {
        assert_eq!(language_id("zh-Hans-CN").as_deref(), Some("zh-Hans-CN"));
        assert_eq!(language_id("de-CH-1901").as_deref(), Some("de-CH-1901"));
        assert_eq!(language_id("es-419").as_deref(), Some("es-419"));
        assert_eq!(language_id("zh-yue-HK").as_deref(), Some("zh"));
        assert_eq!(language_id("en-US-u-ca-gregory").as_deref(), Some("en-US"));
        assert_eq!(language_id("en-x-private").as_deref(), Some("en"));
        assert_eq!(language_id("x-private"), None);
    }

    #[test]
    fn guesses_scripts() {
        let g = |t: &str| guess_language(&[t.to_string()]);
        assert_eq!(g("这是一个中文博客，讲前端 JavaScript"), "zh");
        assert_eq!(g("これは日本語のブログです"), "ja");
        assert_eq!(g("한국어 블로그입니다. Rust 이야기"), "ko");
        assert_eq!(g("Just an English blog."), "en");
        assert_eq!(guess_language(&[]), "en");
    }
}
