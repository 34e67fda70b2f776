//! Cutting text at line feeds with the `memchr` crate's vectorised byte
//! search: the standard library's `split('\n')` and `lines()` search a word
//! at a time, and cutting every body into lines was a few percent of a run.

/// The same pieces as `text.split('\n')`: a trailing line feed leaves an
/// empty last piece, and an empty text is one empty piece.
pub fn split_lines(text: &str) -> Vec<&str> {
    let mut pieces = Vec::with_capacity(text.len() / 40 + 1);
    let mut from = 0;
    for at in memchr::memchr_iter(b'\n', text.as_bytes()) {
        pieces.push(&text[from..at]);
        from = at + 1;
    }
    pieces.push(&text[from..]);
    pieces
}

/// The same pieces as `text.split_inclusive('\n')`, each keeping its line
/// feed; an empty text has none.
pub fn split_lines_inclusive(text: &str) -> impl Iterator<Item = &str> {
    let mut from = 0;
    let mut ends = memchr::memchr_iter(b'\n', text.as_bytes());
    std::iter::from_fn(move || {
        let start = from;
        match ends.next() {
            Some(at) => {
                from = at + 1;
                text.get(start..=at)
            }
            None if start < text.len() => {
                from = text.len();
                text.get(start..)
            }
            None => None,
        }
    })
}

/// Byte offsets where the lines of `text.lines()` start: none for an empty
/// text, and no line after a final line feed.
pub fn line_starts(text: &str) -> Vec<usize> {
    let mut starts = Vec::with_capacity(text.len() / 40 + 1);
    if text.is_empty() {
        return starts;
    }
    starts.push(0);
    for at in memchr::memchr_iter(b'\n', text.as_bytes()) {
        if at + 1 < text.len() {
            starts.push(at + 1);
        }
    }
    starts
}

/// Every text of up to `max` pieces from `alphabet`, the empty one first:
/// line-splitting corners are all in short texts, so the tests of this
/// module and of other line cutters try them all.
#[cfg(test)]
pub(crate) fn every_short_text(alphabet: &[&str], max: usize) -> Vec<String> {
    let mut all = vec![String::new()];
    let mut last = vec![String::new()];
    for _ in 0..max {
        let next: Vec<String> = last
            .iter()
            .flat_map(|t| alphabet.iter().map(move |c| format!("{t}{c}")))
            .collect();
        all.extend(next.iter().cloned());
        last = next;
    }
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every text of up to six pieces from a, line feed, carriage return
    /// and é.
    fn texts() -> Vec<String> {
        every_short_text(&["a", "\n", "\r", "é"], 6)
    }

    #[test]
    fn pieces_are_those_of_split() {
        for t in texts() {
            assert_eq!(split_lines(&t), t.split('\n').collect::<Vec<_>>(), "{t:?}");
        }
    }

    #[test]
    fn inclusive_pieces_are_those_of_split_inclusive() {
        for t in texts() {
            let want: Vec<&str> = t.split_inclusive('\n').collect();
            assert_eq!(split_lines_inclusive(&t).collect::<Vec<_>>(), want, "{t:?}");
        }
    }

    #[test]
    fn starts_are_those_of_lines() {
        for t in texts() {
            let want: Vec<usize> = t
                .lines()
                .map(|l| l.as_ptr() as usize - t.as_ptr() as usize)
                .collect();
            assert_eq!(line_starts(&t), want, "{t:?}");
        }
    }
}
