//! Finding Liquid that never closes or nests too deep, so that when a
//! document cannot be rendered the diagnostic can name the line of the
//! culprit instead of only the first line of the body: a `{{` or `{%` with
//! no `}}`/`%}` after it, a block tag (`if`, `for`, `raw`, `comment`, …)
//! with no end tag, or a block inside more than [`MAX_DEPTH`] others.

/// Block tags and the tag that ends each.
const BLOCKS: &[(&str, &str)] = &[
    ("if", "endif"),
    ("unless", "endunless"),
    ("for", "endfor"),
    ("case", "endcase"),
    ("capture", "endcapture"),
    ("tablerow", "endtablerow"),
    ("ifchanged", "endifchanged"),
    ("highlight", "endhighlight"),
    ("raw", "endraw"),
    ("comment", "endcomment"),
];

/// How many blocks Liquid lets sit inside one another: Jekyll's Liquid
/// (`Block::MAX_DEPTH`) refuses a template with more ("Nesting too deep"),
/// and the `liquid` crate parses blocks recursively, so far deeper nesting
/// would overflow the stack of the thread rendering it.
pub(crate) const MAX_DEPTH: usize = 100;

/// What the walk over a template's tags meets.
enum Event<'a> {
    /// A block tag opens, at this offset, with its text inside `{%`…`%}`.
    Open(&'a str, &'a str, usize),
    /// `{% endname %}`, for the name after `end`.
    End(&'a str),
    /// Another tag (`elsif`, `assign`, …): its name, text and offset.
    Tag(&'a str, &'a str, usize),
    /// A construct never closes: its offset and a short description.
    Unclosed(usize, String),
}

/// Walks the tags of `body` in order, stepping over the content of `raw`
/// and `comment` (which is not Liquid); `each` returns `false` to stop.
fn walk<'a>(body: &'a str, mut each: impl FnMut(Event<'a>) -> bool) {
    let mut pos = 0;
    while let Some((start, is_tag)) = next_opener(body, pos) {
        let close = if is_tag { "%}" } else { "}}" };
        let inner_start = start + 2;
        let Some(len) = body[inner_start..].find(close) else {
            let what = if is_tag { "`{%` tag" } else { "`{{` output" };
            each(Event::Unclosed(
                start,
                format!("a {what} with no closing `{close}`"),
            ));
            return;
        };
        let inner = &body[inner_start..inner_start + len];
        pos = inner_start + len + 2;
        if !is_tag {
            continue;
        }
        let name = inner
            .trim_matches(|c: char| c == '-' || c.is_whitespace())
            .split_whitespace()
            .next()
            .unwrap_or("");
        let going_on = if let Some((_, end)) = BLOCKS.iter().find(|(b, _)| *b == name) {
            if matches!(name, "raw" | "comment") {
                // Their content is not Liquid: jump to the end tag.
                match find_end_tag(body, pos, end) {
                    Some(after) => {
                        pos = after;
                        true
                    }
                    None => {
                        each(Event::Unclosed(
                            start,
                            format!("`{{% {name} %}}` with no `{{% {end} %}}`"),
                        ));
                        return;
                    }
                }
            } else {
                each(Event::Open(name, inner, start))
            }
        } else if let Some(opener) = name.strip_prefix("end") {
            each(Event::End(opener))
        } else {
            each(Event::Tag(name, inner, start))
        };
        if !going_on {
            return;
        }
    }
}

/// 1-based line numbers of offsets asked in increasing order, counting
/// only the text between one offset and the next (a body with many blocks
/// is not counted again from its start for each).
struct Lines<'a> {
    text: &'a str,
    at: usize,
    line: usize,
}

impl Lines<'_> {
    fn of(&mut self, pos: usize) -> usize {
        if pos > self.at {
            let upto = pos.min(self.text.len());
            self.line += memchr::memchr_iter(b'\n', &self.text.as_bytes()[self.at..upto]).count();
            self.at = upto;
        }
        self.line
    }
}

/// What never closes: the 1-based line (counting the body's first line as
/// `first_line`) and the construct as a short description.
pub(crate) fn find(body: &str, first_line: usize) -> Option<(usize, String)> {
    let mut lines = Lines {
        text: body,
        at: 0,
        line: first_line,
    };
    // Open blocks: (name, line).
    let mut open: Vec<(&str, usize)> = Vec::new();
    let mut unclosed = None;
    walk(body, |event| {
        match event {
            Event::Open(name, _, at) => open.push((name, lines.of(at))),
            Event::End(opener) => {
                if let Some(i) = open.iter().rposition(|(n, _)| *n == opener) {
                    open.truncate(i);
                }
            }
            Event::Unclosed(at, what) => unclosed = Some((lines.of(at), what)),
            Event::Tag(..) => {}
        }
        true
    });
    if unclosed.is_some() {
        return unclosed;
    }
    open.first().map(|(name, line)| {
        let end = BLOCKS
            .iter()
            .find(|(b, _)| b == name)
            .map_or("end", |(_, e)| e);
        (*line, format!("`{{% {name} %}}` with no `{{% {end} %}}`"))
    })
}

/// Where a block opens inside [`MAX_DEPTH`] others: the 1-based line
/// (counting the body's first line as `first_line`), or `None` when the
/// nesting stays within Liquid's limit.
pub(crate) fn too_deep(body: &str, first_line: usize) -> Option<usize> {
    let mut open: Vec<&str> = Vec::new();
    let mut culprit = None;
    walk(body, |event| {
        match event {
            Event::Open(name, _, at) => {
                if open.len() >= MAX_DEPTH {
                    culprit = Some(at);
                    return false;
                }
                open.push(name);
            }
            Event::End(opener) => {
                if let Some(i) = open.iter().rposition(|n| *n == opener) {
                    open.truncate(i);
                }
            }
            Event::Unclosed(..) | Event::Tag(..) => {}
        }
        true
    });
    let mut lines = Lines {
        text: body,
        at: 0,
        line: first_line,
    };
    culprit.map(|at| lines.of(at))
}

/// Terms one condition may join with `and`/`or`, and `elsif` branches one
/// `if` may have: the `liquid` crate parses and evaluates both by
/// recursion, so thousands overflow a thread's stack (Ruby Liquid has no
/// bound; no real template comes near it).
pub(crate) const MAX_CHAIN: usize = 1000;

/// Where a condition joins more than [`MAX_CHAIN`] terms, or an `if` has
/// more than [`MAX_CHAIN`] `elsif` branches: the 1-based line (the body's
/// first line being `first_line`) and what it is.
pub(crate) fn too_complex(body: &str, first_line: usize) -> Option<(usize, String)> {
    // Only a text with that many words of the kind can hold one.
    let words = |w: &str| memchr::memmem::find_iter(body.as_bytes(), w).count();
    if words("and") + words("or") + words("elsif") < MAX_CHAIN {
        return None;
    }
    let terms = |inner: &str| {
        inner
            .split_whitespace()
            .filter(|w| *w == "and" || *w == "or")
            .count()
    };
    // `elsif` branches of each open block.
    let mut branches: Vec<usize> = Vec::new();
    let mut culprit = None;
    walk(body, |event| {
        match event {
            Event::Open(name, inner, at) => {
                if matches!(name, "if" | "unless") && terms(inner) >= MAX_CHAIN {
                    culprit = Some((
                        at,
                        format!("a condition joins more than {MAX_CHAIN} terms with `and`/`or`"),
                    ));
                    return false;
                }
                branches.push(0);
            }
            Event::End(_) => {
                branches.pop();
            }
            Event::Tag("elsif", inner, at) => {
                let n = branches.last_mut().map_or(0, |b| {
                    *b += 1;
                    *b
                });
                if n > MAX_CHAIN || terms(inner) >= MAX_CHAIN {
                    culprit = Some((at, format!("an `if` has more than {MAX_CHAIN} `elsif` branches, or one joins more than {MAX_CHAIN} terms")));
                    return false;
                }
            }
            Event::Tag(..) | Event::Unclosed(..) => {}
        }
        true
    });
    let mut lines = Lines {
        text: body,
        at: 0,
        line: first_line,
    };
    culprit.map(|(at, what)| (lines.of(at), what))
}

/// The next `{%` or `{{` at or after `from`: (offset, is a tag).
fn next_opener(body: &str, from: usize) -> Option<(usize, bool)> {
    let mut from = from;
    loop {
        let i = body.get(from..)?.find('{').map(|i| from + i)?;
        match body.as_bytes().get(i + 1) {
            Some(b'%') => return Some((i, true)),
            Some(b'{') => return Some((i, false)),
            _ => from = i + 1,
        }
    }
}

/// The offset just past the first `{% end %}` (any white space or `-`
/// trimming) at or after `from`.
fn find_end_tag(body: &str, from: usize, end: &str) -> Option<usize> {
    let mut pos = from;
    while let Some((start, is_tag)) = next_opener(body, pos) {
        let close = body[start + 2..].find("%}")? + start + 2;
        if is_tag {
            let name = body[start + 2..close].trim_matches(|c: char| c == '-' || c.is_whitespace());
            if name == end {
                return Some(close + 2);
            }
        }
        pos = start + 2;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::{find, too_complex, too_deep, MAX_CHAIN, MAX_DEPTH};

    #[test]
    fn names_the_line_of_what_never_closes() {
        assert_eq!(find("a\n{% if x %}\nb\n", 4).map(|f| f.0), Some(5));
        assert_eq!(find("a\nb {{ x \n", 1).map(|f| f.0), Some(2));
        assert_eq!(find("{% raw %}\n{{ x }}\n", 4).map(|f| f.0), Some(4));
        assert_eq!(find("x\n{% comment %}{% if %}", 1).map(|f| f.0), Some(2));
        assert_eq!(
            find("{% for a in b %}{% if c %}{% endif %}", 1).map(|f| f.0),
            Some(1)
        );
        assert_eq!(find("x {% raw %}{% if %}{% endraw %} {{ y }}", 1), None);
        assert_eq!(find("{%- if a -%}x{%- endif -%} { not liquid }", 1), None);
    }

    #[test]
    fn finds_the_block_past_liquids_nesting_limit() {
        let nested = |n: usize| {
            let mut t = String::new();
            for i in 0..n {
                t.push_str(&format!("{{% if a{i} %}}\n"));
            }
            t.push_str(&"{% endif %}".repeat(n));
            t
        };
        assert_eq!(too_deep(&nested(MAX_DEPTH), 1), None);
        // The 101st `if` is on the 101st line of the body.
        assert_eq!(too_deep(&nested(MAX_DEPTH + 1), 5), Some(5 + MAX_DEPTH));
        // Closed blocks do not count, nor do tags inside raw.
        let siblings = "{% for x in y %}{% endfor %}".repeat(1000);
        assert_eq!(too_deep(&siblings, 1), None);
        let raw = format!("{{% raw %}}{}{{% endraw %}}", nested(500));
        assert_eq!(too_deep(&raw, 1), None);
        assert_eq!(find(&raw, 1), None);
    }

    #[test]
    fn finds_conditions_and_branch_chains_too_long_to_parse() {
        let cond = |n: usize| {
            let terms: Vec<String> = (0..=n).map(|i| format!("a{i}")).collect();
            format!("x\n{{% if {} %}}y{{% endif %}}", terms.join(" and "))
        };
        assert_eq!(too_complex(&cond(MAX_CHAIN - 1), 1), None);
        assert_eq!(too_complex(&cond(MAX_CHAIN), 3).map(|c| c.0), Some(4));
        let elsifs = |n: usize| format!("{{% if a %}}{}{{% endif %}}", "{% elsif b %}\n".repeat(n));
        assert_eq!(too_complex(&elsifs(MAX_CHAIN), 1), None);
        assert_eq!(
            too_complex(&elsifs(MAX_CHAIN + 1), 1).map(|c| c.0),
            Some(1 + MAX_CHAIN)
        );
        // Many short conditions, many `and`s in text, are fine.
        let many = "{% if a and b or c %}x{% endif %} and or ".repeat(2000);
        assert_eq!(too_complex(&many, 1), None);
    }

    #[test]
    fn many_braces_and_blocks_are_walked_without_recursion() {
        let braces = "{x".repeat(200_000);
        assert_eq!(find(&braces, 1), None);
        let open = "{% if a %}\n".repeat(50_000);
        assert_eq!(find(&open, 1).map(|f| f.0), Some(1));
        assert_eq!(too_deep(&open, 1), Some(1 + MAX_DEPTH));
    }
}
