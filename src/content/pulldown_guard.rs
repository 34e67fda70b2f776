//! Rewrites of Markdown that trips known pulldown-cmark bugs into text that
//! renders the same and does not. Each rewrite names the bug it avoids; drop
//! it when the pinned pulldown-cmark fixes that bug (the regression test in
//! `tests/fuzz_regressions/content` tells).

use std::borrow::Cow;

/// pulldown-cmark 0.13.6 panics (`begin > end` while slicing, parse.rs) on a
/// setext heading inside a list item or block quote whose last text line is
/// only a heading-attribute block indented past the container's content,
/// e.g. `- d\n   {}\n  -`. Such a line can never be a kramdown heading id
/// (kramdown reads `{#id}` only at the end of the heading's own line), so its
/// `{` becomes `&#123;`: the reader sees the same braces, and pulldown-cmark
/// no longer takes them for attributes. Lines inside fenced code are left
/// alone.
pub(crate) fn setext_attribute_lines(text: &str) -> Cow<'_, str> {
    if !text.contains('{') {
        return Cow::Borrowed(text);
    }
    let lines = commonmark_lines(text);
    // Cheap test first: some line ending in `}` must be followed by one
    // that could be an underline once its containers are taken off.
    let maybe_underline = |l: &str| {
        let t = l.trim();
        t.bytes().any(|b| b == b'-' || b == b'=')
            && t.bytes().all(|b| b" \t>-*+0123456789.)=".contains(&b))
    };
    if !lines
        .windows(2)
        .any(|w| w[0].trim_end().ends_with('}') && maybe_underline(w[1]))
    {
        return Cow::Borrowed(text);
    }
    let mut fence: Option<(char, usize)> = None;
    let mut hits = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let content = strip_container(line);
        if let Some(open) = fence_of(content) {
            match fence {
                None => fence = Some(open),
                Some((c, n)) if open.0 == c && open.1 >= n && is_bare_fence(content) => {
                    fence = None
                }
                Some(_) => {}
            }
            continue;
        }
        if fence.is_some() || i == 0 {
            continue;
        }
        let trimmed = content.trim_end();
        let prev_blank = strip_container(lines[i - 1]).trim().is_empty();
        let next_underline = lines
            .get(i + 1)
            .is_some_and(|n| is_setext_underline(strip_container(n)));
        if trimmed.starts_with('{') && trimmed.ends_with('}') && !prev_blank && next_underline {
            hits.push(i);
        }
    }
    if hits.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + hits.len() * 5);
    for (i, line) in lines.iter().enumerate() {
        if hits.binary_search(&i).is_ok() {
            if let Some(at) = line.find('{') {
                out.push_str(&line[..at]);
                out.push_str("&#123;");
                out.push_str(&line[at + 1..]);
                continue;
            }
        }
        out.push_str(line);
    }
    Cow::Owned(out)
}

/// `text` cut into lines as CommonMark cuts them: after `\n`, `\r\n`, or a
/// `\r` alone (a lone `\r` split a line the fuzzer found, so the rewrite
/// missed it).
fn commonmark_lines(text: &str) -> Vec<&str> {
    let b = text.as_bytes();
    let mut out = Vec::with_capacity(text.len() / 40 + 1);
    let mut start = 0;
    // Jump from line end to line end with a vectorised search.
    for i in memchr::memchr2_iter(b'\n', b'\r', b) {
        if i < start {
            // The `\n` of a `\r\n` already taken.
            continue;
        }
        let e = match b[i] {
            b'\r' if b.get(i + 1) == Some(&b'\n') => i + 2,
            _ => i + 1,
        };
        out.push(&text[start..e]);
        start = e;
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
}

/// The line without block-quote markers, list markers and indentation.
fn strip_container(line: &str) -> &str {
    let mut s = line;
    loop {
        let t = s.trim_start_matches([' ', '\t']);
        if let Some(rest) = t.strip_prefix('>') {
            s = rest;
            continue;
        }
        let marker = t
            .strip_prefix(['-', '*', '+'])
            .or_else(|| {
                let digits = t.bytes().take_while(u8::is_ascii_digit).count();
                (1..=9)
                    .contains(&digits)
                    .then(|| t[digits..].strip_prefix(['.', ')']))
                    .flatten()
            })
            .filter(|rest| rest.starts_with([' ', '\t']));
        match marker {
            Some(rest) => s = rest,
            None => return t,
        }
    }
}

/// The fence character and length when the line opens or closes a fence.
fn fence_of(content: &str) -> Option<(char, usize)> {
    let c = content.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let n = content.chars().take_while(|x| *x == c).count();
    (n >= 3).then_some((c, n))
}

/// A closing fence has nothing after its fence characters.
fn is_bare_fence(content: &str) -> bool {
    content.trim_end().chars().all(|c| c == '`' || c == '~')
}

fn is_setext_underline(content: &str) -> bool {
    let t = content.trim_end();
    !t.is_empty() && (t.chars().all(|c| c == '-') || t.chars().all(|c| c == '='))
}

#[cfg(test)]
mod tests {
    use super::commonmark_lines;
    use super::setext_attribute_lines as fix;

    #[test]
    fn lines_end_where_commonmark_ends_them() {
        for t in &crate::line_split::every_short_text(&["a", "\n", "\r"], 6) {
            let lines = commonmark_lines(t);
            assert_eq!(lines.concat(), *t, "{t:?}");
            for (k, line) in lines.iter().enumerate() {
                let body = line
                    .strip_suffix("\r\n")
                    .or_else(|| line.strip_suffix('\n'))
                    .or_else(|| line.strip_suffix('\r'));
                let last = k + 1 == lines.len();
                match body {
                    Some(b) => assert!(!b.contains(['\n', '\r']), "{t:?}: {line:?}"),
                    None => assert!(last && !line.contains(['\n', '\r']), "{t:?}: {line:?}"),
                }
                assert!(!line.is_empty(), "{t:?}");
                // A CR LF pair is one line end, never split.
                if line.ends_with('\r') && !last {
                    assert!(!lines[k + 1].starts_with('\n'), "{t:?}");
                }
            }
        }
    }

    #[test]
    fn escapes_the_brace_of_an_attribute_only_line_before_an_underline() {
        assert_eq!(fix("- d\n   {}\n  -"), "- d\n   &#123;}\n  -");
        assert_eq!(fix("> d\n>  {.a} \n> ==="), "> d\n>  &#123;.a} \n> ===");
        // Any line end CommonMark knows (the fuzzer's had a lone `\r`).
        assert_eq!(fix("- d\r   {}\r  -"), "- d\r   &#123;}\r  -");
        assert_eq!(fix("- d\r\n   {}\r\n  -"), "- d\r\n   &#123;}\r\n  -");
    }

    #[test]
    fn leaves_everything_else_alone() {
        for text in [
            "# Title {#id}\n",
            "Title {#id}\n---\n",
            "{}\n---\n",
            "a\n\n{}\n---\n",
            "a\n{} x\n---\n",
            "```\na\n  {}\n  -\n```\n",
            "- a\n  {}\n  text\n",
        ] {
            assert_eq!(fix(text), text, "{text:?}");
        }
    }
}
