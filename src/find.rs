//! Substring search over `str` by SIMD (the memchr crate). `str::find` and
//! `contains` with a `&str` set up a Two-Way searcher on every call, and
//! with a `char` scan a word at a time (a multi-byte `char` by its last
//! byte, which CJK text is full of). Called per line, per tag or per
//! marker over whole document bodies, those were a tenth of a run's work.
//!
//! A match of a whole UTF-8 needle in UTF-8 text starts on a character
//! boundary, so the offsets returned can be sliced at.

use std::sync::OnceLock;

use memchr::memmem::Finder;

/// A fixed string to search for, its searcher made on first use and kept
/// (making one per search cost more than the search; searching by the
/// needle's first byte met every `t` of the text for `toc`).
pub struct Needle {
    text: &'static str,
    finder: OnceLock<Finder<'static>>,
}

impl Needle {
    /// A needle for `text`; usable in a `static`.
    pub const fn new(text: &'static str) -> Self {
        Needle {
            text,
            finder: OnceLock::new(),
        }
    }

    /// Byte offset of the first occurrence in `hay`.
    pub fn find(&self, hay: &str) -> Option<usize> {
        self.finder
            .get_or_init(|| Finder::new(self.text.as_bytes()))
            .find(hay.as_bytes())
    }

    /// Whether `hay` holds it.
    pub fn is_in(&self, hay: &str) -> bool {
        self.find(hay).is_some()
    }
}

/// Liquid's openers, kramdown's extension opener and the math delimiter:
/// searched for by the content layer and by converters alike.
pub static LIQUID_OUTPUT_OPEN: Needle = Needle::new("{{");
/// See [`LIQUID_OUTPUT_OPEN`].
pub static LIQUID_TAG_OPEN: Needle = Needle::new("{%");
/// See [`LIQUID_OUTPUT_OPEN`].
pub static KRAMDOWN_EXT_OPEN: Needle = Needle::new("{:");
/// See [`LIQUID_OUTPUT_OPEN`].
pub static MATH_DELIMITER: Needle = Needle::new("$$");

/// Byte offset of the first `c` in `hay`. A multi-byte `c` is looked for
/// by its first byte, which for the content layer's private-use markers
/// text hardly ever holds.
pub fn find_char(hay: &str, c: char) -> Option<usize> {
    let mut buf = [0u8; 4];
    let needle = c.encode_utf8(&mut buf).as_bytes();
    let hay = hay.as_bytes();
    let (&first, rest) = needle.split_first()?;
    let mut from = 0;
    while let Some(i) = memchr::memchr(first, hay.get(from..)?) {
        let at = from + i;
        if hay.get(at + 1..)?.starts_with(rest) {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const HAYS: &[&str] = &[
        "",
        "plain ascii text {% tag %} and {{ var }}",
        "東京 site 博客 数据\u{E000}12\u{E001} 技術 静态网站 \u{1}3\u{2} end",
        "\u{E000}\u{E000}€€ 𝄞 $$x$$ <!--more--> {:toc}",
        "ends with the needle $$",
    ];

    #[test]
    fn finds_what_std_finds() {
        static NEEDLES: [Needle; 8] = [
            Needle::new("$$"),
            Needle::new("{%"),
            Needle::new("%}"),
            Needle::new("\u{E000}"),
            Needle::new("<!--more-->"),
            Needle::new("技術"),
            Needle::new("toc"),
            Needle::new("x"),
        ];
        for hay in HAYS {
            for needle in &NEEDLES {
                assert_eq!(
                    needle.find(hay),
                    hay.find(needle.text),
                    "{hay:?} / {:?}",
                    needle.text
                );
                assert_eq!(needle.is_in(hay), hay.contains(needle.text));
            }
            for c in [
                '\u{E000}', '\u{E001}', '\u{1}', '\u{2}', '{', '€', '𝄞', '東', '\n',
            ] {
                assert_eq!(find_char(hay, c), hay.find(c), "{hay:?} / {c:?}");
            }
        }
    }

    #[test]
    fn offsets_are_character_boundaries() {
        let hay = "€\u{E000}€\u{E000}";
        let at = find_char(&hay[1 + 2..], '\u{E000}').map(|i| i + 3);
        assert_eq!(at, Some(3));
        assert!(hay.is_char_boundary(3));
        // The last byte of U+E000 (0x80) is inside `€` too; std and this
        // search both skip it.
        assert_eq!(find_char("€", '\u{E000}'), None);
    }
}
