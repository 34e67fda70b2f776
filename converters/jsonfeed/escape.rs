//! JSON string contents written exactly as `serde_json` writes them, eight
//! bytes at a time: a feed is mostly HTML, and serde's byte-by-byte escape
//! loop was a sixteenth of making one.

/// Appends `text`, escaped as the inside of a JSON string, to `out`: `"`,
/// `\` and the control characters below U+0020 are escaped (`\b`, `\t`,
/// `\n`, `\f`, `\r`, else `\u00xx` in lower-case hex), everything else is
/// copied, as `serde_json` does.
pub fn escape_into(text: &str, out: &mut Vec<u8>) {
    let bytes = text.as_bytes();
    out.reserve(bytes.len() + bytes.len() / 16 + 8);
    let mut done = 0;
    let mut at = 0;
    while at < bytes.len() {
        // The next byte to escape: a word at a time, then the tail.
        let hit = match bytes.get(at..at + 8) {
            Some(word) => {
                let mut eight = [0u8; 8];
                eight.copy_from_slice(word);
                let mask = escape_mask(u64::from_le_bytes(eight));
                if mask == 0 {
                    at += 8;
                    continue;
                }
                // The lowest flag is exact (the trick errs only above a
                // true hit); little-endian puts the first byte lowest.
                at + (mask.trailing_zeros() / 8) as usize
            }
            None => match bytes[at..].iter().position(|&b| escape_of(b).is_some()) {
                Some(i) => at + i,
                None => break,
            },
        };
        if let Some(escaped) = bytes.get(hit).and_then(|&b| escape_of(b)) {
            out.extend_from_slice(&bytes[done..hit]);
            escaped.write(out);
            done = hit + 1;
        }
        at = hit + 1;
    }
    out.extend_from_slice(&bytes[done..]);
}

/// The high bit of each byte of `w` that is `"`, `\` or below 0x20, from
/// the lowest such byte up (above it a flag may be wrong: each test is the
/// "has a byte below n" / "has a zero byte" bit trick, whose borrow can
/// only run on from a true hit).
fn escape_mask(w: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let below_space = w.wrapping_sub(ONES * 0x20) & !w;
    let quote = w ^ (ONES * u64::from(b'"'));
    let backslash = w ^ (ONES * u64::from(b'\\'));
    let zero_in = |v: u64| v.wrapping_sub(ONES) & !v;
    (below_space | zero_in(quote) | zero_in(backslash)) & HIGHS
}

/// How one byte is written when it must be escaped.
enum Escaped {
    /// A backslash and this character.
    Short(u8),
    /// `\u00` and two lower-case hex digits.
    Unicode(u8),
}

impl Escaped {
    fn write(self, out: &mut Vec<u8>) {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        match self {
            Escaped::Short(c) => out.extend_from_slice(&[b'\\', c]),
            Escaped::Unicode(b) => out.extend_from_slice(&[
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[usize::from(b >> 4)],
                HEX[usize::from(b & 0xF)],
            ]),
        }
    }
}

fn escape_of(b: u8) -> Option<Escaped> {
    Some(match b {
        b'"' => Escaped::Short(b'"'),
        b'\\' => Escaped::Short(b'\\'),
        0x08 => Escaped::Short(b'b'),
        0x09 => Escaped::Short(b't'),
        0x0A => Escaped::Short(b'n'),
        0x0C => Escaped::Short(b'f'),
        0x0D => Escaped::Short(b'r'),
        0x00..=0x1F => Escaped::Unicode(b),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synth::Rng;

    fn serde(text: &str) -> String {
        let quoted = serde_json::to_string(text).expect("a string serialises");
        quoted[1..quoted.len() - 1].to_string()
    }

    fn ours(text: &str) -> String {
        let mut out = Vec::new();
        escape_into(text, &mut out);
        String::from_utf8(out).expect("UTF-8 in, UTF-8 out")
    }

    #[test]
    fn every_byte_below_0x80_is_written_as_serde_writes_it() {
        for b in 0u8..0x80 {
            let c = char::from(b);
            // Alone, and at each place in a word and across word ends.
            for pad in 0..10 {
                let text = format!("{}{c}{}", "a".repeat(pad), "b".repeat(9 - pad));
                assert_eq!(ours(&text), serde(&text), "byte {b:#04x} at {pad}");
            }
        }
    }

    #[test]
    fn generated_texts_match_serde() {
        let alphabet = [
            "a",
            "<p class=\"x\">",
            "\\",
            "\n",
            "\t",
            "\r",
            "\u{1}",
            "\u{1f}",
            " ",
            "é",
            "東京",
            "\u{7f}",
            "\u{2028}",
            "😀",
            "&amp;",
            "\u{8}",
            "\u{c}",
            "\"",
        ];
        let mut rng = Rng::new(7);
        for _ in 0..20_000 {
            let n = rng.below(40);
            let text: String = (0..n).map(|_| rng.pick(&alphabet)).collect();
            assert_eq!(ours(&text), serde(&text), "{text:?}");
        }
    }

    #[test]
    fn the_word_test_finds_the_first_byte_to_escape() {
        let mut rng = Rng::new(11);
        for _ in 0..200_000 {
            let mut w = [0u8; 8];
            for b in &mut w {
                // Mostly bytes near the ones tested, to reach the edges.
                *b = match rng.below(4) {
                    0 => 0x1E + rng.below(4) as u8,
                    1 => b'"' - 1 + rng.below(3) as u8,
                    2 => b'\\' - 1 + rng.below(3) as u8,
                    _ => rng.below(256) as u8,
                };
            }
            let first = w.iter().position(|&b| escape_of(b).is_some());
            let mask = escape_mask(u64::from_le_bytes(w));
            let found = (mask != 0).then(|| (mask.trailing_zeros() / 8) as usize);
            assert_eq!(found, first, "{w:?}");
        }
    }
}
