//! The two date patterns of [`super`] matched by hand for plain ASCII text,
//! the form nearly every front matter date and file name has: the regex
//! engine's capture search cost more than the rest of reading a date.
//! Text with anything else in it (non-ASCII, a line break) is left to the
//! regexes, and the tests check that both give the same parts.

/// The capture groups of `DATE_TIME`, indexed by group number (0 is the
/// whole text, as the pattern runs from `^` to `$`).
pub(super) type Groups<'a> = [Option<&'a str>; 9];

use crate::jekyll::is_regex_space as is_space;

/// How many ASCII digits, at most `max`, start at `at`.
fn digits(b: &[u8], at: usize, max: usize) -> usize {
    b.get(at..).map_or(0, |s| {
        s.iter()
            .take(max)
            .take_while(|c| c.is_ascii_digit())
            .count()
    })
}

/// `DATE_TIME`'s groups for `text`: `Some(Some(_))` a match, `Some(None)`
/// none, `None` when the text is not one this matcher decides.
pub(super) fn date_time(text: &str) -> Option<Option<Groups<'_>>> {
    if !text.is_ascii() || text.contains('\n') {
        return None;
    }
    Some(date_time_ascii(text))
}

fn date_time_ascii(t: &str) -> Option<Groups<'_>> {
    let b = t.as_bytes();
    let mut g: Groups<'_> = [None; 9];
    g[0] = Some(t);
    let mut i = b.iter().take_while(|c| is_space(**c)).count();
    if digits(b, i, 4) != 4 {
        return None;
    }
    g[1] = t.get(i..i + 4);
    i += 4;
    // Month and day: one or two digits after `-` or `/`. Where two digits
    // are not followed by what comes next, one digit is not either, so the
    // greedy choice is the regex's.
    for slot in [2, 3] {
        if !matches!(b.get(i), Some(b'-' | b'/')) {
            return None;
        }
        i += 1;
        let n = digits(b, i, 2);
        if n == 0 {
            return None;
        }
        g[slot] = t.get(i..i + n);
        i += n;
    }
    if let Some((end, [h, m, s, f])) = time_part(t, i) {
        (g[4], g[5], g[6], g[7]) = (h, m, s, f);
        i = end;
    }
    // The tail `(.*)$` takes whatever is left, so every optional part the
    // matcher took locally stays taken.
    g[8] = t.get(i..);
    Some(g)
}

/// The optional `[Tt\s]\s*HH:MM(:SS([.,]F+)?)?` from `start`: where it ends
/// and its four groups.
fn time_part(t: &str, start: usize) -> Option<(usize, [Option<&str>; 4])> {
    let b = t.as_bytes();
    let first = *b.get(start)?;
    if !(first == b'T' || first == b't' || is_space(first)) {
        return None;
    }
    let mut i = start + 1;
    i += b.get(i..)?.iter().take_while(|c| is_space(**c)).count();
    let hour = digits(b, i, 2);
    if hour == 0 || b.get(i + hour) != Some(&b':') {
        return None;
    }
    let mut out = [None; 4];
    out[0] = t.get(i..i + hour);
    i += hour + 1;
    if digits(b, i, 2) != 2 {
        return None;
    }
    out[1] = t.get(i..i + 2);
    i += 2;
    if b.get(i) == Some(&b':') && digits(b, i + 1, 2) == 2 {
        out[2] = t.get(i + 1..i + 3);
        i += 3;
        if matches!(b.get(i), Some(b'.' | b',')) {
            let n = digits(b, i + 1, usize::MAX);
            if n > 0 {
                out[3] = t.get(i + 1..i + 1 + n);
                i += 1 + n;
            }
        }
    }
    Some((i, out))
}

/// What `ZONE` finds in `rest`: `Some(Some(zone))`, `Some(None)` none,
/// `None` when the text is not ASCII. A match of that pattern is always a
/// whole whitespace-separated word, so it is the first word that is a zone.
pub(super) fn zone(rest: &str) -> Option<Option<&str>> {
    if !rest.is_ascii() {
        return None;
    }
    Some(
        rest.split(|c: char| c.is_ascii() && is_space(c as u8))
            .find(|w| is_zone_word(w)),
    )
}

/// `Z`, `z`, `UTC`, `GMT`, or a sign and then one to four digits or one or
/// two digits, `:` and two digits.
fn is_zone_word(w: &str) -> bool {
    if matches!(w, "Z" | "z" | "UTC" | "GMT") {
        return true;
    }
    let Some(body) = w.strip_prefix(['+', '-']) else {
        return false;
    };
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    match body.split_once(':') {
        None => (1..=4).contains(&body.len()) && all_digits(body),
        Some((h, m)) => {
            (1..=2).contains(&h.len()) && all_digits(h) && m.len() == 2 && all_digits(m)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{regex_groups as by_regex, ZONE};
    use super::*;
    use crate::synth::Rng;

    /// Dates built part by part from right and nearly right pieces, so that
    /// most match and every way of failing is tried.
    fn generated(n: usize) -> Vec<String> {
        let mut p = Rng::new(7);
        let lead = ["", "", " ", "\t", "  ", "\x0b"];
        let year = ["2021", "1999", "2021", "1999", "202", "20211", "abcd"];
        let sep = ["-", "-", "-", "-", "/", "/", ".", ""];
        let md = ["1", "01", "12", "30", "9", "1", "01", "12", "123", "", "x"];
        let tsep = ["", " ", "T", "t", "  ", "\t", " T", "x", "T "];
        let hour = ["1", "10", "23", "123", "", "a"];
        let colon = [":", ":", "", "."];
        let two = ["00", "59", "5", "123", "", "0a"];
        let frac = ["", ".5", ",25", ".", ".123456789123", "e"];
        let rest = [
            "",
            "",
            " -0700",
            " +05:30",
            "Z",
            " UTC",
            " GMT",
            " +5",
            " +053",
            " -12345",
            " 2023 -0800",
            " x",
            "x",
            " +1:2",
            " z ",
            "\t-07:00\t",
            " +:12",
            "-0700",
            " +12:345",
            " ابc",
            " +05 30",
            "\n",
        ];
        (0..n)
            .map(|_| {
                let mut s = String::new();
                s += p.pick(&lead);
                s += p.pick(&year);
                s += p.pick(&sep);
                s += p.pick(&md);
                s += p.pick(&sep);
                s += p.pick(&md);
                s += p.pick(&tsep);
                s += p.pick(&hour);
                s += p.pick(&colon);
                s += p.pick(&two);
                s += p.pick(&colon);
                s += p.pick(&two);
                s += p.pick(&frac);
                s += p.pick(&rest);
                s
            })
            .collect()
    }

    #[test]
    fn matches_the_date_pattern_on_generated_dates() {
        let (mut decided, mut matched) = (0, 0);
        for text in generated(40_000) {
            if let Some(fast) = date_time(&text) {
                decided += 1;
                matched += usize::from(fast.is_some());
                assert_eq!(fast, by_regex(&text), "{text:?}");
            }
        }
        // Both outcomes are well covered, not only failures.
        assert!(decided > 35_000 && matched > 5_000, "{decided} {matched}");
    }

    #[test]
    fn finds_the_zone_the_pattern_finds() {
        let mut p = Rng::new(11);
        let words = [
            "", " ", "\t", "\n", "Z", "z", "UTC", "GMT", "utc", "+0530", "-07:00", "+5", "-12",
            "+053", "+12345", "+1:2", "+:12", "+12:345", "x", "2023", "-", "+", "ZZ", "+05:3",
        ];
        for _ in 0..40_000 {
            let mut rest = String::new();
            for _ in 0..p.pick(&["1", "2", "3", "5"]).len() * 2 {
                rest += p.pick(&words);
            }
            let by_regex = ZONE
                .captures(&rest)
                .and_then(|z| z.get(1))
                .map(|m| m.as_str());
            assert_eq!(zone(&rest), Some(by_regex), "{rest:?}");
        }
    }

    #[test]
    fn leaves_other_text_to_the_regex() {
        assert_eq!(date_time("2021-01-01 ١٢:00"), None);
        assert_eq!(date_time("2021-01-01\n"), None);
        assert_eq!(zone(" +٠٥"), None);
    }
}
