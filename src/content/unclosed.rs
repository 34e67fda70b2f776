//! Finding Liquid that never closes, so that when the `liquid` crate refuses
//! a document the diagnostic can name the line of the culprit instead of
//! only the first line of the body: a `{{` or `{%` with no `}}`/`%}` after
//! it, or a block tag (`if`, `for`, `raw`, `comment`, …) with no end tag.

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

/// What never closes: the 1-based line (counting the body's first line as
/// `first_line`) and the construct as a short description.
pub(crate) fn find(body: &str, first_line: usize) -> Option<(usize, String)> {
    let line_of = |pos: usize| first_line + body[..pos].matches('\n').count();
    // Open blocks: (name, line).
    let mut open: Vec<(&str, usize)> = Vec::new();
    let mut pos = 0;
    while let Some(found) = next_opener(body, pos) {
        let (start, is_tag) = found;
        let close = if is_tag { "%}" } else { "}}" };
        let inner_start = start + 2;
        let Some(len) = body[inner_start..].find(close) else {
            let what = if is_tag { "`{%` tag" } else { "`{{` output" };
            return Some((
                line_of(start),
                format!("a {what} with no closing `{close}`"),
            ));
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
        if let Some((_, end)) = BLOCKS.iter().find(|(b, _)| *b == name) {
            if matches!(name, "raw" | "comment") {
                // Their content is not Liquid: jump to the end tag.
                match find_end_tag(body, pos, end) {
                    Some(after) => pos = after,
                    None => {
                        return Some((
                            line_of(start),
                            format!("`{{% {name} %}}` with no `{{% {end} %}}`"),
                        ))
                    }
                }
                continue;
            }
            open.push((name, line_of(start)));
        } else if let Some(opener) = name.strip_prefix("end") {
            if let Some(i) = open.iter().rposition(|(n, _)| *n == opener) {
                open.truncate(i);
            }
        }
    }
    open.first().map(|(name, line)| {
        let end = BLOCKS
            .iter()
            .find(|(b, _)| b == name)
            .map_or("end", |(_, e)| e);
        (*line, format!("`{{% {name} %}}` with no `{{% {end} %}}`"))
    })
}

/// The next `{%` or `{{` at or after `from`: (offset, is a tag).
fn next_opener(body: &str, from: usize) -> Option<(usize, bool)> {
    let rest = body.get(from..)?;
    let i = rest.find('{').map(|i| from + i)?;
    match body.as_bytes().get(i + 1) {
        Some(b'%') => Some((i, true)),
        Some(b'{') => Some((i, false)),
        _ => next_opener(body, i + 1),
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
    use super::find;

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
}
