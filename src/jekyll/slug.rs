//! Slugs exactly as Jekyll's `Utils.slugify` makes them, and
//! `Utils.titleize_slug`.

use std::sync::LazyLock;

use regex::Regex;

/// A slugify mode (`slugify` filter's second argument, or the URL code's
/// choice).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// `none`: the string as it is.
    None,
    /// `raw`: runs of whitespace become `-`.
    Raw,
    /// `default`: everything but letters, marks and digits becomes `-`.
    Default,
    /// `pretty`: like default, but keeps `._~!$&'()+,;=@`.
    Pretty,
    /// `ascii`: everything but `A-Za-z0-9` becomes `-`.
    Ascii,
    /// `latin`: accents dropped first, then `default`.
    Latin,
}

impl Mode {
    /// Reads a mode name; unknown names behave like `none` (Jekyll returns
    /// the string, downcased unless `cased`).
    pub fn from_name(name: &str) -> Mode {
        match name {
            "raw" => Mode::Raw,
            "default" => Mode::Default,
            "pretty" => Mode::Pretty,
            "ascii" => Mode::Ascii,
            "latin" => Mode::Latin,
            _ => Mode::None,
        }
    }
}

static RAW: LazyLock<Regex> = LazyLock::new(|| re(r"\s+"));
static DEFAULT: LazyLock<Regex> = LazyLock::new(|| re(r"[^\p{M}\p{L}\p{Nd}]+"));
static PRETTY: LazyLock<Regex> = LazyLock::new(|| re(r"[^\p{M}\p{L}\p{Nd}._~!$&'()+,;=@]+"));
static ASCII: LazyLock<Regex> = LazyLock::new(|| re(r"[^A-Za-z0-9]+"));

fn re(s: &str) -> Regex {
    Regex::new(s).unwrap_or_else(|e| panic!("bad built-in pattern {s}: {e}"))
}

/// `Utils.slugify(string, mode:, cased:)`.
pub fn slugify(s: &str, mode: Mode, cased: bool) -> String {
    let replaced = match mode {
        Mode::None => {
            return if cased {
                s.to_string()
            } else {
                s.to_lowercase()
            };
        }
        // Within ASCII each class is a plain byte test, which is cheaper
        // than the regex engine; most titles and file names are ASCII.
        Mode::Raw if s.is_ascii() => hyphenate_ascii(s, |b| !super::is_regex_space(b)),
        Mode::Default | Mode::Ascii if s.is_ascii() => {
            hyphenate_ascii(s, |b| b.is_ascii_alphanumeric())
        }
        Mode::Pretty if s.is_ascii() => hyphenate_ascii(s, |b| {
            b.is_ascii_alphanumeric() || b"._~!$&'()+,;=@".contains(&b)
        }),
        Mode::Raw => RAW.replace_all(s, "-").into_owned(),
        Mode::Default => DEFAULT.replace_all(s, "-").into_owned(),
        Mode::Pretty => PRETTY.replace_all(s, "-").into_owned(),
        Mode::Ascii => ASCII.replace_all(s, "-").into_owned(),
        Mode::Latin => DEFAULT.replace_all(&transliterate(s), "-").into_owned(),
    };
    // Ruby's `gsub(/^-|-$/, "")`: one hyphen at each line start and end.
    let trimmed = strip_line_hyphens(&replaced);
    if cased {
        trimmed
    } else {
        trimmed.to_lowercase()
    }
}

/// `s` (ASCII) with each run of bytes that `keep` refuses made one `-`.
fn hyphenate_ascii(s: &str, keep: impl Fn(u8) -> bool) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_run = false;
    for b in s.bytes() {
        if keep(b) {
            out.push(char::from(b));
            in_run = false;
        } else if !in_run {
            out.push('-');
            in_run = true;
        }
    }
    out
}

fn strip_line_hyphens(s: &str) -> String {
    s.split('\n')
        .map(|line| {
            let l = line.strip_prefix('-').unwrap_or(line);
            l.strip_suffix('-').unwrap_or(l)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// `Utils.titleize_slug`: `my-first-post` → `My First Post`.
pub fn titleize(slug: &str) -> String {
    slug.split('-')
        .map(capitalize)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Ruby's `String#capitalize`: first character up, the rest down.
fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first
            .to_uppercase()
            .chain(chars.flat_map(char::to_lowercase))
            .collect(),
        None => String::new(),
    }
}

/// What `I18n.transliterate` does with the default English rules: Latin
/// letters lose their accents, other non-ASCII characters become `?`.
fn transliterate(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii() {
                return c.to_string();
            }
            latin_base(c).map_or_else(|| "?".to_string(), str::to_string)
        })
        .collect()
}

fn latin_base(c: char) -> Option<&'static str> {
    const TABLE: &[(&str, &str)] = &[
        ("ÀÁÂÃÄÅĀĂĄ", "A"),
        ("àáâãäåāăą", "a"),
        ("Æ", "AE"),
        ("æ", "ae"),
        ("ÇĆĈĊČ", "C"),
        ("çćĉċč", "c"),
        ("ĎĐÐ", "D"),
        ("ďđð", "d"),
        ("ÈÉÊËĒĔĖĘĚ", "E"),
        ("èéêëēĕėęě", "e"),
        ("ĜĞĠĢ", "G"),
        ("ĝğġģ", "g"),
        ("ĤĦ", "H"),
        ("ĥħ", "h"),
        ("ÌÍÎÏĨĪĬĮİ", "I"),
        ("ìíîïĩīĭįı", "i"),
        ("Ĵ", "J"),
        ("ĵ", "j"),
        ("Ķ", "K"),
        ("ķ", "k"),
        ("ĹĻĽĿŁ", "L"),
        ("ĺļľŀł", "l"),
        ("ÑŃŅŇ", "N"),
        ("ñńņň", "n"),
        ("ÒÓÔÕÖØŌŎŐ", "O"),
        ("òóôõöøōŏő", "o"),
        ("Œ", "OE"),
        ("œ", "oe"),
        ("ŔŖŘ", "R"),
        ("ŕŗř", "r"),
        ("ŚŜŞŠ", "S"),
        ("śŝşš", "s"),
        ("ß", "ss"),
        ("ŢŤŦ", "T"),
        ("ţťŧ", "t"),
        ("Þ", "Th"),
        ("þ", "th"),
        ("ÙÚÛÜŨŪŬŮŰŲ", "U"),
        ("ùúûüũūŭůűų", "u"),
        ("Ŵ", "W"),
        ("ŵ", "w"),
        ("ÝŶŸ", "Y"),
        ("ýÿŷ", "y"),
        ("ŹŻŽ", "Z"),
        ("źżž", "z"),
    ];
    TABLE
        .iter()
        .find(|(set, _)| set.contains(c))
        .map(|(_, base)| *base)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_runs_are_replaced_as_the_regexes_replace_them() {
        // Every ASCII byte, in runs and alone, for each mode with a regex.
        let all: String = (0u8..128).map(char::from).collect();
        let mut texts = vec![all.clone(), all.chars().rev().collect()];
        for (i, c) in all.chars().enumerate() {
            texts.push(format!(
                "a{c}b{c}{c}c{}",
                all.chars().nth((i * 7) % 128).unwrap_or('x')
            ));
        }
        for text in &texts {
            for (mode, regex) in [
                (Mode::Raw, &*RAW),
                (Mode::Default, &*DEFAULT),
                (Mode::Pretty, &*PRETTY),
                (Mode::Ascii, &*ASCII),
            ] {
                let by_regex = strip_line_hyphens(&regex.replace_all(text, "-"));
                assert_eq!(slugify(text, mode, true), by_regex, "{mode:?} {text:?}");
            }
        }
    }

    // Expected values are the examples of Jekyll's own slugify docs.
    #[test]
    fn modes_match_jekyll_examples() {
        let s = "The _config.yml file";
        assert_eq!(slugify(s, Mode::Default, false), "the-config-yml-file");
        assert_eq!(slugify(s, Mode::Pretty, false), "the-_config.yml-file");
        assert_eq!(slugify(s, Mode::Ascii, false), "the-config-yml-file");
        assert_eq!(slugify(s, Mode::Latin, false), "the-config-yml-file");
        assert_eq!(slugify(s, Mode::Raw, false), "the-_config.yml-file");
        assert_eq!(slugify(s, Mode::None, true), s);
        assert_eq!(slugify("Ünïcödé Café", Mode::Latin, false), "unicode-cafe");
        assert_eq!(slugify("Ünïcödé", Mode::Default, false), "ünïcödé");
    }

    // Facts from Jekyll's own test suite (test_utils.rb).
    #[test]
    fn scripts_marks_and_transliteration() {
        assert_eq!(slugify("كيف حالك؟", Mode::Default, false), "كيف-حالك");
        assert_eq!(
            slugify("5時〜6時 三・一四", Mode::Default, false),
            "5時-6時-三-一四"
        );
        assert_eq!(
            slugify("மல்லிப்பூ வகைகள்", Mode::Pretty, false),
            "மல்லிப்பூ-வகைகள்"
        );
        assert_eq!(
            slugify("  Working with drafts   ", Mode::Default, false),
            "working-with-drafts"
        );
        assert_eq!(
            slugify("fürtive glance!!!!", Mode::Ascii, false),
            "f-rtive-glance"
        );
        assert_eq!(
            slugify("fürtive glance!!!!", Mode::Latin, false),
            "furtive-glance"
        );
        assert_eq!(slugify("àáçèéíïòóúü", Mode::Latin, false), "aaceeiioouu");
        assert_eq!(slugify("Aあわれ鬱господинZ", Mode::Latin, false), "a-z");
        assert_eq!(slugify("💎", Mode::Default, false), "");
        assert_eq!(
            slugify("The _config.yml file?", Mode::Pretty, true),
            "The-_config.yml-file"
        );
    }

    #[test]
    fn pretty_cased_keeps_url_safe_punctuation() {
        assert_eq!(slugify("escape-+ %20[]", Mode::Pretty, true), "escape-+-20");
        assert_eq!(
            slugify("special-chars-(+)", Mode::Pretty, true),
            "special-chars-(+)"
        );
        assert_eq!(slugify("hash-#1", Mode::Pretty, true), "hash-1");
    }

    #[test]
    fn titleize_capitalizes_words() {
        assert_eq!(titleize("no-yaml"), "No Yaml");
        assert_eq!(titleize("i-dont-LIKE-zeroes"), "I Dont Like Zeroes");
    }
}
