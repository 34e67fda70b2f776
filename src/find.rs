//! Substring search over `str` by SIMD byte search (the memchr crate).
//! `str::find` and `contains` with a `&str` set up a Two-Way searcher on
//! every call, and with a `char` scan a word at a time (a multi-byte `char`
//! by its last byte, which CJK text is full of). Called per line, per tag
//! or per marker over whole document bodies, those were a tenth of a run's
//! work.
//!
//! A match of a whole UTF-8 needle in UTF-8 text starts on a character
//! boundary, so the offsets returned can be sliced at.

/// Byte offset of the first `needle` in `hay`: each place its first byte
/// is found, checked for the rest. (`memchr::memmem::find` sets up a
/// searcher per call, which cost more than these short needles' search.)
pub fn find(hay: &str, needle: &str) -> Option<usize> {
    let (hay, needle) = (hay.as_bytes(), needle.as_bytes());
    let Some((&first, rest)) = needle.split_first() else {
        return Some(0);
    };
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

/// Whether `hay` holds `needle`.
pub fn contains(hay: &str, needle: &str) -> bool {
    find(hay, needle).is_some()
}

/// Byte offset of the first `c` in `hay`.
pub fn find_char(hay: &str, c: char) -> Option<usize> {
    if c.is_ascii() {
        memchr::memchr(c as u8, hay.as_bytes())
    } else {
        let mut buf = [0u8; 4];
        find(hay, c.encode_utf8(&mut buf))
    }
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
    const NEEDLES: &[&str] = &[
        "$$",
        "{%",
        "%}",
        "\u{E000}",
        "<!--more-->",
        "技術",
        "toc",
        "x",
        "",
    ];

    #[test]
    fn finds_what_std_finds() {
        for hay in HAYS {
            for needle in NEEDLES {
                assert_eq!(find(hay, needle), hay.find(needle), "{hay:?} / {needle:?}");
                assert_eq!(contains(hay, needle), hay.contains(needle));
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
