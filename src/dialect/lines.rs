//! The shapes of the two block lines the translator meets most, headings
//! and fence openers, read by hand: a capture search per heading and per
//! fence cost more than the rest of the line's work. Each gives what its
//! regex (kept in the tests) captures.

/// `^( {0,3})(#{1,6})[ \t]+(.*?)[ \t]*$`: indent, hashes, and the text
/// without its trailing blanks.
pub fn atx(line: &str) -> Option<(&str, &str, &str)> {
    let indent = leading(line, b' ', 3);
    let rest = &line[indent..];
    let hashes = leading(rest, b'#', 6);
    // Seven hashes, or none, is no heading: fewer hashes would be followed
    // by a `#`, not a blank.
    let after = &rest[hashes..];
    // A line feed anywhere fails the pattern (`.` stops at it); checked
    // last, since the lines given are nearly always single lines.
    if hashes == 0 || !after.starts_with([' ', '\t']) || line.contains('\n') {
        return None;
    }
    let text = after
        .trim_start_matches([' ', '\t'])
        .trim_end_matches([' ', '\t']);
    Some((&line[..indent], &rest[..hashes], text))
}

/// ``^( {0,3})(`{3,}|~{3,})(.*)$``: indent, the run of fence characters,
/// and the info string after it.
pub fn fence_open(line: &str) -> Option<(&str, &str, &str)> {
    let indent = leading(line, b' ', 3);
    let rest = &line[indent..];
    let ch = *rest.as_bytes().first()?;
    if ch != b'`' && ch != b'~' {
        return None;
    }
    let run = leading(rest, ch, usize::MAX);
    if run < 3 || line.contains('\n') {
        return None;
    }
    Some((&line[..indent], &rest[..run], &rest[run..]))
}

/// How many of `s`'s first bytes, at most `max`, are `byte`.
fn leading(s: &str, byte: u8, max: usize) -> usize {
    s.bytes().take(max).take_while(|b| *b == byte).count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex::Regex;

    /// Every line of up to six pieces from a set of right and nearly right
    /// ones.
    fn lines(pieces: &[&str]) -> Vec<String> {
        let mut out = vec![String::new()];
        let mut frontier = vec![String::new()];
        for _ in 0..5 {
            let mut next = Vec::new();
            for s in &frontier {
                for p in pieces {
                    next.push(format!("{s}{p}"));
                }
            }
            out.extend(next.iter().cloned());
            frontier = next;
        }
        out
    }

    /// Checks `read` against `pattern` on every line from `pieces`, and that
    /// more than a thousand of them match (not only refusals are tried).
    fn agrees_with(pattern: &str, pieces: &[&str], read: fn(&str) -> Option<(&str, &str, &str)>) {
        let re = Regex::new(pattern).unwrap();
        let all = lines(pieces);
        let mut matched = 0;
        for line in &all {
            let by_regex = re.captures(line).map(|c| {
                let group = |i| c.get(i).map_or("", |m| m.as_str());
                (group(1), group(2), group(3))
            });
            let got = read(line);
            assert_eq!(got, by_regex, "{line:?}");
            matched += usize::from(got.is_some());
        }
        assert!(matched > 1000, "{matched} of {}", all.len());
    }

    #[test]
    fn headings_read_as_the_pattern_reads_them() {
        agrees_with(
            r"^( {0,3})(#{1,6})[ \t]+(.*?)[ \t]*$",
            &[" ", "  ", "#", "###", "\t", "a b", "é", "\n", "{#x}"],
            atx,
        );
    }

    #[test]
    fn fence_openers_read_as_the_pattern_reads_them() {
        agrees_with(
            r"^( {0,3})(`{3,}|~{3,})(.*)$",
            &[" ", "  ", "`", "``", "~~", "~", "rust", "\n", "é"],
            fence_open,
        );
    }
}
