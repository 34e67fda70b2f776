//! Template → tokens, as Liquid's `TemplateParser` regex splits a template
//! (liquid.rb, tokenizer.rb): text, `{{…}}`, `{%…%}`, and a lone `{{` / `{%`
//! when nothing closes it.

/// One piece of the template source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token<'a> {
    /// The source text of the token, delimiters included.
    pub text: &'a str,
    /// Line where the token starts (1-based).
    pub line: usize,
}

/// Splits `source`. A tag runs to the first `%}`; an output to the first `}`
/// and one more `}` if it follows (`{{ x }` ends at one brace); an opening
/// delimiter with no end is a token of its own.
pub fn tokenize(source: &str) -> Vec<Token<'_>> {
    let mut tokens = Vec::new();
    let bytes = source.as_bytes();
    let mut pos = 0;
    let mut text_start = 0;
    let mut line = 1;
    let mut out: Vec<(usize, usize)> = Vec::new();
    // The next `%}` / `}` found from an earlier start: searching again from
    // each of thousands of unclosed `{%` would be quadratic.
    let mut tag_end = NextFind::default();
    let mut brace = NextFind::default();
    while let Some(off) = memfind_open(&bytes[pos..]) {
        let start = pos + off;
        let end = if bytes[start + 1] == b'%' {
            tag_end.find(source, start + 2, "%}").map(|e| e + 2)
        } else {
            brace.find(source, start + 2, "}").map(|e| {
                let close = e + 1;
                if bytes.get(close) == Some(&b'}') {
                    close + 1
                } else {
                    close
                }
            })
        }
        .unwrap_or(start + 2);
        if start > text_start {
            out.push((text_start, start));
        }
        out.push((start, end));
        pos = end;
        text_start = end;
    }
    if text_start < source.len() {
        out.push((text_start, source.len()));
    }
    for (a, b) in out {
        let text = &source[a..b];
        tokens.push(Token { text, line });
        line += text.bytes().filter(|&c| c == b'\n').count();
    }
    tokens
}

/// Remembers the last search for a needle, so later searches from further
/// on reuse it while it still lies ahead.
#[derive(Default)]
struct NextFind {
    searched_from: Option<usize>,
    found: Option<usize>,
}

impl NextFind {
    fn find(&mut self, hay: &str, from: usize, needle: &str) -> Option<usize> {
        if let Some(f) = self.searched_from {
            if f <= from && self.found.is_none_or(|at| at >= from) {
                return self.found;
            }
        }
        self.searched_from = Some(from);
        self.found = hay[from..].find(needle).map(|e| from + e);
        self.found
    }
}

fn memfind_open(b: &[u8]) -> Option<usize> {
    b.windows(2)
        .position(|w| w[0] == b'{' && (w[1] == b'{' || w[1] == b'%'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(s: &str) -> Vec<&str> {
        tokenize(s).into_iter().map(|t| t.text).collect()
    }

    // liquid.rb TemplateParser: `{{.*?}}?` and the bare AnyStartingTag fallback.
    #[test]
    fn splits_as_template_parser() {
        assert_eq!(texts("a{{ x }}b"), ["a", "{{ x }}", "b"]);
        assert_eq!(texts("{{ x }b"), ["{{ x }", "b"]);
        assert_eq!(texts("a{% if %}b{%"), ["a", "{% if %}", "b", "{%"]);
        assert_eq!(texts("{{ a"), ["{{", " a"]);
        let t = tokenize("a\n{{ x }}\nb");
        assert_eq!(t[2].line, 2);
    }
}
