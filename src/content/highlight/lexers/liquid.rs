//! Liquid, tokenised as rouge 3.x tokenises it: text outside tags is
//! plain, `{% … %}` and `{{ … }}` are read by tag (conditions, loops,
//! assignments, includes, filters). Jekyll documentation is full of
//! Liquid examples, and no syntect syntax covers Liquid.

use std::sync::LazyLock;

use super::engine::{call, groups, mixin, tok, tok_then, Grammar, Lex, Then, Tok};

/// A Liquid literal's token: quoted strings by their quotes, else `other`.
fn literal(text: &str, other: Tok) -> Tok {
    let single = text.len() >= 2 && text.starts_with('\'') && text.ends_with('\'');
    let double = text.len() >= 2 && text.starts_with('"') && text.ends_with('"');
    if text.contains('\'') && single {
        "Literal.String.Single"
    } else if double {
        "Literal.String.Double"
    } else {
        other
    }
}

/// rouge's `reset_stack`: back to the root state.
fn end_tag(lx: &mut Lex<'_>, g: &[Option<(usize, usize)>]) {
    let Some((a, b)) = g[0] else { return };
    lx.token("Punctuation", a, b);
    lx.pos = b;
    lx.stack.truncate(1);
}

fn cycle(lx: &mut Lex<'_>, g: &[Option<(usize, usize)>]) {
    let name = lx.text(g[3]);
    let t = if name.starts_with('\'') && name.ends_with('\'') && name.len() >= 2 {
        "Literal.String.Single"
    } else if name.starts_with('"') && name.ends_with('"') && name.len() >= 2 {
        "Literal.String.Double"
    } else {
        "Name.Attribute"
    };
    let toks: [Tok; 6] = [
        "Name.Tag",
        "Text.Whitespace",
        t,
        "Text.Whitespace",
        "Punctuation",
        "Text.Whitespace",
    ];
    for (i, t) in toks.iter().enumerate() {
        if let Some((a, b)) = g[i + 1] {
            lx.token(t, a, b);
        }
    }
    lx.pos = g[0].map_or(lx.pos, |m| m.1);
    lx.stack.push("variable_tag_markup");
}

fn for_loop(lx: &mut Lex<'_>, g: &[Option<(usize, usize)>]) {
    let toks: [Tok; 6] = [
        "Name.Tag",
        "Text.Whitespace",
        "Name.Variable",
        "Text.Whitespace",
        "Name.Tag",
        "Text.Whitespace",
    ];
    for (i, t) in toks.iter().enumerate() {
        if let Some((a, b)) = g[i + 1] {
            lx.token(t, a, b);
        }
    }
    if let Some((a, b)) = g[7] {
        let t = literal(&lx.src[a..b], "Name.Variable");
        lx.token(t, a, b);
    }
    if let Some((a, b)) = g[8] {
        lx.token("Text.Whitespace", a, b);
    }
    lx.pos = g[0].map_or(lx.pos, |m| m.1);
    lx.stack.push("tag_markup");
}

const S: &str = r"[ \t\r\n\x0B\x0C]";

fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

/// The grammar, built on first use.
pub fn grammar() -> &'static Grammar {
    static G: LazyLock<Grammar> = LazyLock::new(|| {
        let ws = |body: &str| leak(body.replace("\\s", S));
        let pipe_filter = ws(r"(\|)(\s*)([a-zA-Z_][^\s}\|:]*)");
        Grammar::new(&[
            (
                "root",
                vec![
                    tok(r"[^{]+", "Text"),
                    groups(
                        ws(r"(\{%-?)(\s*)"),
                        &["Punctuation", "Text.Whitespace"],
                        Then::Push("tag_or_block"),
                    ),
                    groups(
                        ws(r"(\{\{-?)(\s*)"),
                        &["Punctuation", "Text.Whitespace"],
                        Then::Push("output"),
                    ),
                    tok(r"\{", "Text"),
                ],
            ),
            (
                "tag_or_block",
                vec![
                    tok_then(
                        r"(?:if|elsif|unless|case)\b",
                        "Keyword.Reserved",
                        Then::Push("condition"),
                    ),
                    tok_then(r"when\b", "Keyword.Reserved", Then::Push("when")),
                    groups(
                        ws(r"(else)(\s*)(-?%\})"),
                        &["Keyword.Reserved", "Text.Whitespace", "Punctuation"],
                        Then::Pop,
                    ),
                    groups(
                        ws(r"(capture|(?:in|de)crement)(\s+)([^\s%]+)(\s*)(-?%\})"),
                        &[
                            "Name.Tag",
                            "Text.Whitespace",
                            "Name.Variable",
                            "Text.Whitespace",
                            "Punctuation",
                        ],
                        Then::Pop,
                    ),
                    groups(
                        ws(r"(comment)(\s*)(-?%\})"),
                        &["Name.Tag", "Text.Whitespace", "Punctuation"],
                        Then::Push("comment"),
                    ),
                    groups(
                        ws(r"(raw)(\s*)(-?%\})"),
                        &["Name.Tag", "Text.Whitespace", "Punctuation"],
                        Then::Push("raw"),
                    ),
                    groups(
                        ws(r"(end(?:if|unless|case))(\s*)(-?%\})"),
                        &["Keyword.Reserved", "Text.Whitespace", "Punctuation"],
                        Then::Pop,
                    ),
                    groups(
                        ws(r"(end[^\s%]+)(\s*)(-?%\})"),
                        &["Name.Tag", "Text.Whitespace", "Punctuation"],
                        Then::Pop,
                    ),
                    tok_then(r"(?:assign|echo)\b", "Name.Tag", Then::Push("assign")),
                    tok_then(r"(?:include|render)\b", "Name.Tag", Then::Push("include")),
                    call(ws(r"(cycle)(\s+)(?:([^\s:]*)(\s*)(:))?(\s*)"), cycle),
                    call(
                        ws(
                            r#"(for|tablerow)(\s+)([0-9A-Za-z_-]+)(\s+)(in)(\s+)((?:[^\s%,|'"]|"[^"]*"|'[^']*')+)(\s*)"#,
                        ),
                        for_loop,
                    ),
                    groups(
                        ws(r"([^\s%]+)(\s*)"),
                        &["Name.Tag", "Text.Whitespace"],
                        Then::Push("tag_markup"),
                    ),
                ],
            ),
            (
                "output",
                vec![
                    groups(
                        pipe_filter,
                        &["Punctuation", "Text.Whitespace", "Name.Function"],
                        Then::Push("filters"),
                    ),
                    mixin("end_of_tag"),
                    mixin("generic"),
                ],
            ),
            (
                "filters",
                vec![
                    groups(
                        ws(r"(\|)(\s*)([a-zA-Z_][^\s%}\|:]*)"),
                        &["Punctuation", "Text.Whitespace", "Name.Function"],
                        Then::Stay,
                    ),
                    mixin("end_of_tag"),
                    mixin("end_of_block"),
                    mixin("variable_param_markup"),
                ],
            ),
            (
                "condition",
                vec![
                    tok(r"[=!]=|[<>]=?", "Operator"),
                    tok(r"(?:and|or|contains)\b", "Operator.Word"),
                    mixin("end_of_block"),
                    mixin("generic"),
                ],
            ),
            ("when", vec![mixin("end_of_block"), mixin("generic")]),
            ("end_of_tag", vec![call(r"-?\}\}", end_tag)]),
            ("end_of_block", vec![call(r"-?%\}", end_tag)]),
            (
                "param_markup",
                vec![
                    mixin("whitespace"),
                    mixin("keyword"),
                    mixin("string"),
                    mixin("number"),
                    groups(
                        ws(r"([^\s=:]+)(\s*)(=|:)"),
                        &["Name.Attribute", "Text.Whitespace", "Operator"],
                        Then::Stay,
                    ),
                    tok("[,:]", "Punctuation"),
                ],
            ),
            (
                "default_param_markup",
                vec![mixin("param_markup"), tok(ws(r"[^\s]+"), "Text")],
            ),
            (
                "variable_param_markup",
                vec![
                    mixin("param_markup"),
                    mixin("variable"),
                    tok(ws(r"[^\s]+"), "Text"),
                ],
            ),
            (
                "tag_markup",
                vec![
                    tok(r"reversed\b", "Name.Attribute"),
                    mixin("end_of_block"),
                    mixin("default_param_markup"),
                ],
            ),
            (
                "variable_tag_markup",
                vec![mixin("end_of_block"), mixin("variable_param_markup")],
            ),
            (
                "keyword",
                vec![tok(r"(?:false|true|nil)\b", "Keyword.Constant")],
            ),
            (
                "variable",
                vec![
                    tok(
                        ws(r"(?:empty|blank|forloop\.[^\s%}\|:]+)\b"),
                        "Name.Builtin",
                    ),
                    call(r"\.|\[|\]", |lx, g| {
                        let Some((a, b)) = g[0] else { return };
                        // rouge: a dot only before a word character.
                        if &lx.src[a..b] == "."
                            && !lx.src[b..]
                                .chars()
                                .next()
                                .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
                        {
                            lx.vars.reject = true;
                            return;
                        }
                        lx.token("Punctuation", a, b);
                        lx.pos = b;
                    }),
                    tok(r"(?:first|last|size)\b", "Name.Function"),
                    tok(r"[a-zA-Z_][0-9A-Za-z_-]*\??", "Name.Variable"),
                ],
            ),
            (
                "string",
                vec![
                    tok(r"'[^']*'", "Literal.String.Single"),
                    tok(r#""[^"]*""#, "Literal.String.Double"),
                ],
            ),
            (
                "number",
                vec![
                    tok("-", "Operator"),
                    tok(r"[0-9]+\.[0-9]+", "Literal.Number.Float"),
                    tok(r"[0-9]+", "Literal.Number.Integer"),
                ],
            ),
            (
                "generic",
                vec![
                    mixin("whitespace"),
                    mixin("keyword"),
                    mixin("string"),
                    mixin("number"),
                    mixin("variable"),
                ],
            ),
            ("whitespace", vec![tok(r"[ \t]+", "Text.Whitespace")]),
            (
                "comment",
                vec![
                    tok(r"[^{]+", "Comment"),
                    call(ws(r"(\{%-?)(\s*)(endcomment)(\s*)(-?%\})"), end_block_tag),
                    tok(r"\{", "Comment"),
                ],
            ),
            (
                "raw",
                vec![
                    tok(r"[^{]+", "Text"),
                    call(ws(r"(\{%-?)(\s*)(endraw)(\s*)(-?%\})"), end_block_tag),
                    tok(r"\{", "Text"),
                ],
            ),
            (
                "assign",
                vec![
                    tok("=", "Operator"),
                    groups(
                        ws(r"(\|)(\s*)([a-zA-Z_][^\s%\|:]*)"),
                        &["Punctuation", "Text.Whitespace", "Name.Function"],
                        Then::Push("filters"),
                    ),
                    mixin("end_of_block"),
                    mixin("generic"),
                ],
            ),
            (
                "include",
                vec![
                    groups(
                        ws(r"(\{\{-?)(\s*)"),
                        &["Punctuation", "Text.Whitespace"],
                        Then::Push("output_embed"),
                    ),
                    tok(r"(?:with|for)\b", "Name.Tag"),
                    tok(r"[/0-9A-Za-z_-]+(?:\.[0-9A-Za-z_-]+)+\b", "Text"),
                    mixin("variable_tag_markup"),
                ],
            ),
            (
                "output_embed",
                vec![
                    groups(
                        pipe_filter,
                        &["Punctuation", "Text.Whitespace", "Name.Function"],
                        Then::Stay,
                    ),
                    tok_then(r"-?\}\}", "Punctuation", Then::Pop),
                    mixin("variable_param_markup"),
                ],
            ),
        ])
    });
    &G
}

/// `{% endcomment %}` / `{% endraw %}`: the tag's tokens, then the root.
fn end_block_tag(lx: &mut Lex<'_>, g: &[Option<(usize, usize)>]) {
    let toks: [Tok; 5] = [
        "Punctuation",
        "Text.Whitespace",
        "Name.Tag",
        "Text.Whitespace",
        "Punctuation",
    ];
    for (i, t) in toks.iter().enumerate() {
        if let Some((a, b)) = g[i + 1] {
            lx.token(t, a, b);
        }
    }
    lx.pos = g[0].map_or(lx.pos, |m| m.1);
    lx.stack.truncate(1);
}
