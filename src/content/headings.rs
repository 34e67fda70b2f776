//! Heading ids exactly as kramdown computes them (`auto_ids`), so that
//! `#fragment` links keep working after the move.
//!
//! Two rules exist: kramdown's own parser (`Converter::Base#generate_id`,
//! from the header's source text) and kramdown-parser-gfm
//! (`generate_gfm_header_id`, from the header's text content).

use crate::fast_hash::FastMap as HashMap;

/// Hands out ids for one document, remembering those already used.
#[derive(Debug, Default)]
pub struct IdGenerator {
    gfm: bool,
    used: HashMap<String, usize>,
}

impl IdGenerator {
    /// A generator for kramdown's rule (`gfm == false`) or the GFM parser's.
    pub fn new(gfm: bool) -> Self {
        IdGenerator {
            gfm,
            used: HashMap::default(),
        }
    }

    /// The id for a heading. `raw` is the heading's source text (kramdown)
    /// or its text content (GFM).
    pub fn id(&mut self, raw: &str) -> String {
        if self.gfm {
            self.gfm_id(raw)
        } else {
            self.kramdown_id(raw)
        }
    }

    /// kramdown: drop everything up to the first ASCII letter, keep
    /// `[a-zA-Z0-9 -]`, spaces become dashes, lower-case; `section` when
    /// empty; a repeated id gets `-1`, `-2`, … .
    fn kramdown_id(&mut self, raw: &str) -> String {
        let start = raw
            .char_indices()
            .find(|(_, c)| c.is_ascii_alphabetic())
            .map(|(i, _)| i)
            .unwrap_or(raw.len());
        // Ruby's `^` anchors at every line start; headings are one line.
        let mut id: String = raw[start..]
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == ' ' || *c == '-')
            .map(|c| {
                if c == ' ' {
                    '-'
                } else {
                    c.to_ascii_lowercase()
                }
            })
            .collect();
        if id.is_empty() {
            id = "section".to_string();
        }
        match self.used.get_mut(&id) {
            Some(n) => {
                *n += 1;
                format!("{id}-{n}")
            }
            None => {
                self.used.insert(id.clone(), 0);
                id
            }
        }
    }

    /// kramdown-parser-gfm: lower-case, drop what is not a word character,
    /// `-`, space or tab; spaces and tabs become dashes; the n-th repeat
    /// gets `-n`. An empty id stays empty.
    fn gfm_id(&mut self, raw: &str) -> String {
        let mut id: String = raw
            .to_lowercase()
            .chars()
            .filter(|c| is_word(*c) || matches!(c, '-' | ' ' | '\t'))
            .map(|c| if c == ' ' || c == '\t' { '-' } else { c })
            .collect();
        let n = self.used.entry(id.clone()).or_insert(usize::MAX);
        *n = n.wrapping_add(1);
        if *n > 0 {
            id.push_str(&format!("-{n}"));
        }
        id
    }
}

/// Ruby's `\p{Word}`: letters, marks, numbers, connector punctuation.
fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || is_mark(c) || c == '\u{203F}' || c == '\u{2040}'
}

fn is_mark(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kramdown_rule() {
        let mut g = IdGenerator::new(false);
        assert_eq!(g.id("Hello World"), "hello-world");
        assert_eq!(g.id("Hello World"), "hello-world-1");
        assert_eq!(g.id("Hello World"), "hello-world-2");
        assert_eq!(g.id("1. Getting `started`!"), "getting-started");
        assert_eq!(g.id("中文"), "section");
        assert_eq!(g.id("中文"), "section-1");
    }

    #[test]
    fn gfm_rule() {
        let mut g = IdGenerator::new(true);
        assert_eq!(g.id("Hello World"), "hello-world");
        assert_eq!(g.id("Hello World"), "hello-world-1");
        assert_eq!(g.id("1. Getting started!"), "1-getting-started");
        assert_eq!(g.id("中文 标题"), "中文-标题");
    }
}
