//! Handlebars and Mustache, tokenised as rouge 3.x tokenises them: the
//! `{{…}}` parts by rouge's rules, the text between them handed to the
//! HTML tokeniser (rouge delegates it to its HTML lexer).

use std::sync::LazyLock;

use super::engine::{call, tok, tok_then, Grammar, Lex, Then};

const ID: &str = r"[0-9A-Za-z_$-]+";

/// Text up to the next `\` or `{{` (rouge: `(.+?)(?=\\|{{)`), or to the end.
fn text_run(lx: &mut Lex<'_>, g: &[Option<(usize, usize)>]) {
    let Some((a, _)) = g[0] else { return };
    let rest = &lx.src[a..];
    // At least one character, as `.+?` takes.
    let first = rest.chars().next().map_or(1, char::len_utf8);
    let end = (first..rest.len())
        .filter(|i| rest.is_char_boundary(*i))
        .find(|i| rest[*i..].starts_with('\\') || rest[*i..].starts_with("{{"))
        .unwrap_or(rest.len());
    lx.delegate("html", a, a + end, "Text");
    lx.pos = a + end;
}

/// A `}` or space follows (rouge: `(?=[}\s])`).
fn before_close(lx: &Lex<'_>, end: usize) -> bool {
    lx.src[end..]
        .chars()
        .next()
        .is_some_and(|c| c == '}' || c.is_ascii_whitespace())
}

fn lookahead_word(
    lx: &mut Lex<'_>,
    g: &[Option<(usize, usize)>],
    t: super::engine::Tok,
    then: Then,
) {
    let Some((a, b)) = g[0] else { return };
    if !before_close(lx, b) {
        lx.vars.reject = true;
        return;
    }
    lx.token(t, a, b);
    lx.pos = b;
    lx.then(then);
}

/// The grammar, built on first use.
pub fn grammar() -> &'static Grammar {
    static G: LazyLock<Grammar> = LazyLock::new(|| {
        let id: &'static str = ID;
        let at_id: &'static str = Box::leak(format!("@{ID}").into_boxed_str());
        Grammar::new(&[
            (
                "root",
                vec![
                    call(r"\\\{+", |lx, g| {
                        let Some((a, b)) = g[0] else { return };
                        lx.delegate("html", a, b, "Text");
                        lx.pos = b;
                    }),
                    tok_then(r"\{\{!--", "Comment", Then::Push("comment")),
                    tok(r"\{\{!.*?\}\}", "Comment"),
                    call(r"\{\{\{?", |lx, g| {
                        let Some((a, b)) = g[0] else { return };
                        lx.token("Keyword", a, b);
                        lx.pos = b;
                        lx.stack.push("stache");
                        lx.stack.push("open_sym");
                    }),
                    call(r"(?s).", text_run),
                ],
            ),
            (
                "comment",
                vec![
                    tok_then(r"\{\{", "Comment", Then::Push("comment")),
                    tok_then(r"\}\}", "Comment", Then::Pop),
                    tok(r"[^{}]+", "Comment"),
                    tok(r"[{}]", "Comment"),
                ],
            ),
            (
                "stache",
                vec![
                    tok_then(r"\}\}\}?", "Keyword", Then::Pop),
                    tok(r"\|", "Punctuation"),
                    tok("~", "Keyword"),
                    tok(r"[ \t\r\n\x0B\x0C]+", "Text"),
                    tok("=", "Operator"),
                    tok(r"[\[\]]", "Punctuation"),
                    tok(r"[()]", "Punctuation"),
                    call(r"\.", |lx, g| {
                        lookahead_word(lx, g, "Name.Variable", Then::Stay)
                    }),
                    tok(r"\.\.", "Name.Variable"),
                    tok(r"[/.]", "Punctuation"),
                    tok(r#""(?:\\.|.)*?""#, "Literal.String.Double"),
                    tok(r"'(?:\\.|.)*?'", "Literal.String.Single"),
                    call(r"[0-9]+", |lx, g| {
                        // rouge: `\d+(?=}\s)`.
                        let Some((a, b)) = g[0] else { return };
                        let rest = &lx.src[b..];
                        if !(rest.starts_with('}')
                            && rest[1..]
                                .chars()
                                .next()
                                .is_some_and(|c| c.is_ascii_whitespace()))
                        {
                            lx.vars.reject = true;
                            return;
                        }
                        lx.token("Literal.Number", a, b);
                        lx.pos = b;
                    }),
                    call("true|false", |lx, g| {
                        lookahead_word(lx, g, "Keyword.Constant", Then::Stay)
                    }),
                    call("else", |lx, g| lookahead_word(lx, g, "Keyword", Then::Stay)),
                    call("this", |lx, g| {
                        lookahead_word(lx, g, "Name.Builtin.Pseudo", Then::Stay)
                    }),
                    tok(at_id, "Name.Attribute"),
                    tok(id, "Name.Variable"),
                ],
            ),
            (
                "open_sym",
                vec![
                    tok_then("[#/]", "Keyword", Then::Goto("block_name")),
                    tok("[>^&~]", "Keyword"),
                    call("", |lx, _| lx.pop()),
                ],
            ),
            (
                "block_name",
                vec![
                    call("if", |lx, g| lookahead_word(lx, g, "Keyword", Then::Stay)),
                    tok_then(id, "Name.Namespace", Then::Pop),
                    call("", |lx, _| lx.pop()),
                ],
            ),
        ])
    });
    &G
}
