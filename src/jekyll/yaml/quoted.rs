//! Quoted scalars whose continuation lines are indented less than their
//! block, which Psych reads and the YAML crate refuses.
//!
//! libyaml (under Ruby's Psych) does not check the indentation of a quoted
//! scalar's later lines, so front matter such as
//!
//! ```yaml
//! title: "A long title that an editor
//! wrapped at column 0"
//! ```
//!
//! is a title for Jekyll. yaml-rust2 stops with "invalid indentation in
//! quoted scalar". Folding drops a continuation line's leading white space,
//! so indenting those lines further changes nothing in the value: that is
//! what [`reindent`] does, for the one scalar the error names.

/// The message yaml-rust2 gives for an under-indented continuation line.
pub const UNDER_INDENTED: &str = "invalid indentation in quoted scalar";

/// `text` with the continuation lines of the quoted scalar that opens at
/// `line` (1-based) and `column` (0-based, in characters) indented past its
/// opening quote; `None` when no quote is there or no line was changed.
/// A scalar with a document marker line (`---`, `...`) inside is left as
/// it is: libyaml refuses those too.
pub fn reindent(text: &str, line: usize, column: usize) -> Option<String> {
    let line_start = if line <= 1 {
        0
    } else {
        let mut seen = 1;
        let mut at = None;
        for (i, b) in text.bytes().enumerate() {
            if b == b'\n' {
                seen += 1;
                if seen == line {
                    at = Some(i + 1);
                    break;
                }
            }
        }
        at?
    };
    let (quote_at, quote) = text
        .get(line_start..)?
        .char_indices()
        .nth(column)
        .map(|(i, c)| (line_start + i, c))?;
    if quote != '"' && quote != '\'' {
        return None;
    }
    let pad = column + 1;
    let mut out = String::with_capacity(text.len() + 64);
    out.push_str(&text[..=quote_at]);
    let rest = &text[quote_at + 1..];
    let mut chars = rest.char_indices().peekable();
    let mut changed = false;
    let mut end = rest.len();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' if quote == '"' => {
                out.push(c);
                if let Some((_, next)) = chars.next() {
                    out.push(next);
                }
            }
            '\'' if quote == '\'' => {
                out.push(c);
                if chars.peek().map(|&(_, n)| n) == Some('\'') {
                    chars.next();
                    out.push('\'');
                } else {
                    end = i + 1;
                    break;
                }
            }
            '"' if quote == '"' => {
                out.push(c);
                end = i + 1;
                break;
            }
            '\n' => {
                out.push(c);
                let next = &rest[i + 1..];
                let line_text = next.split('\n').next().unwrap_or("");
                let indent = line_text.len() - line_text.trim_start_matches(' ').len();
                let blank = line_text.trim().is_empty();
                let marker = ["---", "..."].iter().any(|m| {
                    line_text.strip_prefix(m).is_some_and(|after| {
                        after.is_empty() || after.starts_with([' ', '\t', '\r'])
                    })
                });
                if marker {
                    return None;
                }
                if !blank && indent < pad {
                    out.extend(std::iter::repeat_n(' ', pad - indent));
                    changed = true;
                }
            }
            _ => out.push(c),
        }
    }
    out.push_str(&rest[end..]);
    changed.then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn continuation_lines_are_indented_past_the_quote() {
        let text = "layout: post\ntitle: \"two\nlines\" \nx: 1\n";
        assert_eq!(
            reindent(text, 2, 7).as_deref(),
            Some("layout: post\ntitle: \"two\n        lines\" \nx: 1\n")
        );
        // Single quotes, with a doubled quote inside.
        let text = "t: 'it''s\nwrapped'\n";
        assert_eq!(
            reindent(text, 1, 3).as_deref(),
            Some("t: 'it''s\n    wrapped'\n")
        );
        // An escaped quote does not end a double-quoted scalar.
        let text = "t: \"a \\\"b\nc\"\nd: \"x\ny\"\n";
        assert_eq!(
            reindent(text, 1, 3).as_deref(),
            Some("t: \"a \\\"b\n    c\"\nd: \"x\ny\"\n")
        );
    }

    #[test]
    fn nothing_to_change_gives_none() {
        assert_eq!(reindent("t: plain\n", 1, 3), None);
        assert_eq!(reindent("t: \"one line\"\n", 1, 3), None);
        assert_eq!(reindent("t: \"a\n    b\"\n", 1, 3), None);
        assert_eq!(reindent("t: \"a\n...\nb\"\n", 1, 3), None);
        assert_eq!(reindent("t: \"a\nb\"\n", 9, 3), None);
        assert_eq!(reindent("t: \"a\nb\"\n", 1, 40), None);
    }

    #[test]
    fn wide_characters_count_as_one_column() {
        let text = "é: \"ü\nx\"\n";
        assert_eq!(reindent(text, 1, 3).as_deref(), Some("é: \"ü\n    x\"\n"));
    }
}
