//! Markdown, tokenised as rouge 3.x tokenises it: headings, list bullets,
//! emphasis, links and code by line-oriented rules, with the front matter
//! handed to YAML, fenced code to the fence's language and inline HTML to
//! HTML. Sublime's grammar reads lists and headings inside paragraphs
//! differently, and Jekyll's docs show Markdown with front matter often.

use std::sync::LazyLock;

use super::engine::{call, groups, tok, tok_then, Grammar, Lex, Then};

/// rouge's `edot`: an escaped character or any but a backslash or newline.
const EDOT: &str = r"(?:\\.|[^\\\n])";

fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

/// Front matter at the very start: `---` … `---`, handed to YAML.
fn front_matter(lx: &mut Lex<'_>, g: &[Option<(usize, usize)>]) {
    let Some((a, b)) = g[0] else { return };
    if a != 0 {
        lx.vars.reject = true;
        return;
    }
    // The closing `---` line: the first line after the opening that is
    // `---` and spaces (rouge: `.*?\n?^(---\s*$\n?)`).
    let src = lx.src;
    let mut at = b;
    let mut end = None;
    while at <= src.len() {
        let line_end = src[at..].find('\n').map_or(src.len(), |i| at + i);
        let line = &src[at..line_end];
        if line.starts_with("---") && line[3..].trim().is_empty() {
            end = Some((line_end + 1).min(src.len()));
            break;
        }
        if line_end >= src.len() {
            break;
        }
        at = line_end + 1;
    }
    let Some(end) = end else {
        lx.vars.reject = true;
        return;
    };
    lx.delegate("yaml", 0, end, "Text");
    lx.pos = end;
}

/// A fenced block: the fence, its info string, the code handed to the
/// language the info string names, the closing fence.
fn fence(lx: &mut Lex<'_>, g: &[Option<(usize, usize)>]) {
    let (Some(indent), Some(fence), Some(info)) = (g[1], g[2], g[3]) else {
        return;
    };
    let src = lx.src;
    let (indent_s, fence_s) = (&src[indent.0..indent.1], &src[fence.0..fence.1]);
    lx.token("Text", indent.0, indent.1);
    lx.token("Punctuation", fence.0, fence.1);
    lx.token("Name.Label", info.0, info.1);
    let name = src[info.0..info.1].trim();
    let body_start = info.1;
    // rouge: `(.*?)(\n\1)(\2)`, the code up to the first newline followed by
    // the same indent and fence.
    let closing = format!("\n{indent_s}{fence_s}");
    let lang = if name.is_empty() { "plaintext" } else { name };
    match src[body_start..].find(&closing) {
        Some(i) => {
            let code_end = body_start + i;
            lx.delegate(lang, body_start, code_end, "Literal.String.Backtick");
            lx.token("Text", code_end, code_end + 1 + indent_s.len());
            let f = code_end + 1 + indent_s.len();
            lx.token("Punctuation", f, f + fence_s.len());
            lx.pos = f + fence_s.len();
        }
        None => {
            // No closing fence: the rest is code.
            lx.delegate(lang, body_start, src.len(), "Literal.String.Backtick");
            lx.pos = src.len();
        }
    }
}

/// A list bullet followed by white space (rouge: `(?=\s)`).
fn bullet(lx: &mut Lex<'_>, g: &[Option<(usize, usize)>]) {
    let Some((a, b)) = g[0] else { return };
    if !lx.src[b..]
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_whitespace())
    {
        lx.vars.reject = true;
        return;
    }
    lx.token("Punctuation", a, b);
    lx.pos = b;
}

/// `[text]` or `![alt]` followed by `[` or `(` (rouge: `(?=[\[(])`).
fn link_text(lx: &mut Lex<'_>, g: &[Option<(usize, usize)>]) {
    let Some((_, b)) = g[0] else { return };
    if !lx.src[b..].starts_with(['[', '(']) {
        lx.vars.reject = true;
        return;
    }
    for (grp, t) in g[1..]
        .iter()
        .zip(["Punctuation", "Name.Variable", "Punctuation"])
    {
        if let Some((x, y)) = grp {
            lx.token(t, *x, *y);
        }
    }
    lx.pos = b;
    lx.stack.push("link");
}

fn html(lx: &mut Lex<'_>, g: &[Option<(usize, usize)>]) {
    let Some((a, b)) = g[0] else { return };
    lx.delegate("html", a, b, "Text");
    lx.pos = b;
}

/// The grammar, built on first use.
pub fn grammar() -> &'static Grammar {
    static G: LazyLock<Grammar> = LazyLock::new(|| {
        let e = EDOT;
        Grammar::new(&[
            (
                "root",
                vec![
                    call(r"---[ \t\r\x0B\x0C]*\n", front_matter),
                    tok(r"\\(?-s:.)", "Literal.String.Escape"),
                    tok(r"^(?:[^\s]| )+\n--+\n", "Generic.Heading"),
                    tok(r"^(?:[^\s]| )+\n==+\n", "Generic.Subheading"),
                    tok(r"^#(?:[^#\n].*)?$", "Generic.Heading"),
                    tok(r"^#+.*$", "Generic.Subheading"),
                    call(r"^([ \t]*)(`{3,}|~{3,})([^\n]*\n)", fence),
                    tok(r"\n\n(?:(?:    |\t).*\n|\n)+", "Literal.String.Backtick"),
                    call(r"`+", |lx, g| {
                        // rouge: (`+)(?:edot|\n)+?\1, the same run closes it.
                        let Some((a, b)) = g[0] else { return };
                        let ticks = &lx.src[a..b];
                        let rest = &lx.src[b..];
                        let mut i = 0;
                        let mut close = None;
                        while i < rest.len() {
                            if i > 0 && rest[i..].starts_with(ticks) {
                                close = Some(i);
                                break;
                            }
                            let c = rest[i..].chars().next().map_or(1, char::len_utf8);
                            i += if rest[i..].starts_with('\\') && i + 1 < rest.len() {
                                1 + rest[i + 1..].chars().next().map_or(1, char::len_utf8)
                            } else {
                                c
                            };
                        }
                        let Some(close) = close else {
                            lx.vars.reject = true;
                            return;
                        };
                        let end = b + close + ticks.len();
                        lx.token("Literal.String.Backtick", a, end);
                        lx.pos = end;
                    }),
                    tok(r"^(?:[ \t]*\*){3,}[ \t]*$", "Punctuation"),
                    tok(r"^(?:[ \t]*-){3,}[ \t]*$", "Punctuation"),
                    call(r"^[ \t\r\n\x0B\x0C]*[*+-]", bullet),
                    tok(r"^[ \t\r\n\x0B\x0C]*[0-9]+\.", "Punctuation"),
                    tok(r"^[ \t\r\n\x0B\x0C]*>.*$", "Generic.Traceback"),
                    groups(
                        leak(format!(
                            r"^([ \t\r\n\x0B\x0C]*)(\[)({e}+?)(\])([ \t\r\n\x0B\x0C]*)(:)"
                        )),
                        &[
                            "Text",
                            "Punctuation",
                            "Literal.String.Symbol",
                            "Punctuation",
                            "Text",
                            "Punctuation",
                        ],
                        Then::Push("title"),
                    ),
                    call(leak(format!(r"(!?\[)({e}*?|[^\]]*?)(\])")), link_text),
                    tok(leak(format!(r"\*\*{e}*?\*\*")), "Generic.Strong"),
                    tok(leak(format!(r"__{e}*?__")), "Generic.Strong"),
                    tok(leak(format!(r"\*{e}*?\*")), "Generic.Emph"),
                    tok(leak(format!(r"_{e}*?_")), "Generic.Emph"),
                    tok(r"<.*?@.+[.].+>", "Name.Variable"),
                    tok(
                        leak(format!(r"<(?:https?|mailto|ftp)://{e}*?>")),
                        "Name.Variable",
                    ),
                    tok(r"[^\\`\[*\n&<]+", "Text"),
                    call(r"&[^\s]*;", html),
                    call(leak(format!(r"<{e}*?>")), html),
                    tok("[&<]", "Text"),
                    tok(r"\[", "Text"),
                    tok(r"\n", "Text"),
                ],
            ),
            (
                "link",
                vec![
                    groups(
                        leak(format!(r"(\[)({e}*?)(\])")),
                        &["Punctuation", "Literal.String.Symbol", "Punctuation"],
                        Then::Pop,
                    ),
                    call(r"\(", |lx, g| {
                        let Some((a, b)) = g[0] else { return };
                        lx.token("Punctuation", a, b);
                        lx.pos = b;
                        lx.stack.push("inline_title");
                        lx.stack.push("inline_url");
                    }),
                    tok(r"[ \t]+", "Text"),
                    call("", |lx, _| lx.pop()),
                ],
            ),
            (
                "url",
                vec![
                    tok(r"[ \t]+", "Text"),
                    groups(
                        leak(format!(r"(<)({e}*?)(>)")),
                        &["Name.Tag", "Literal.String.Other", "Name.Tag"],
                        Then::Pop,
                    ),
                    tok_then(r"[^\s]+", "Literal.String.Other", Then::Pop),
                ],
            ),
            (
                "title",
                vec![
                    tok(leak(format!(r#""{e}*?""#)), "Name.Namespace"),
                    tok(leak(format!(r"'{e}*?'")), "Name.Namespace"),
                    tok(leak(format!(r"\({e}*?\)")), "Name.Namespace"),
                    call(r"[ \t\r\n\x0B\x0C]*", |lx, g| {
                        // rouge: `\s*(?=["'()])`.
                        let Some((a, b)) = g[0] else { return };
                        if !lx.src[b..].starts_with(['"', '\'', '(', ')']) {
                            lx.pop();
                            return;
                        }
                        lx.token("Text", a, b);
                        lx.pos = b;
                        if a == b {
                            lx.vars.reject = true;
                        }
                    }),
                    call("", |lx, _| lx.pop()),
                ],
            ),
            (
                "inline_title",
                vec![
                    tok_then(r"\)", "Punctuation", Then::Pop),
                    tok(leak(format!(r#""{e}*?""#)), "Name.Namespace"),
                    tok(leak(format!(r"'{e}*?'")), "Name.Namespace"),
                    tok(leak(format!(r"\({e}*?\)")), "Name.Namespace"),
                    call(r"[ \t\r\n\x0B\x0C]*", |lx, g| {
                        let Some((a, b)) = g[0] else { return };
                        if !lx.src[b..].starts_with(['"', '\'', '(', ')']) {
                            lx.pop();
                            return;
                        }
                        lx.token("Text", a, b);
                        lx.pos = b;
                        if a == b {
                            lx.vars.reject = true;
                        }
                    }),
                    call("", |lx, _| lx.pop()),
                ],
            ),
            (
                "inline_url",
                vec![
                    tok_then(r"[^<\s)]+", "Literal.String.Other", Then::Pop),
                    tok(r"[ \t\r\n\x0B\x0C]+", "Text"),
                    tok(r"[ \t]+", "Text"),
                    groups(
                        leak(format!(r"(<)({e}*?)(>)")),
                        &["Name.Tag", "Literal.String.Other", "Name.Tag"],
                        Then::Pop,
                    ),
                    tok_then(r"[^\s]+", "Literal.String.Other", Then::Pop),
                ],
            ),
        ])
    });
    &G
}
