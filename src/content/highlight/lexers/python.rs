//! Python, tokenised as rouge 3.x tokenises it. Sublime's Python grammar
//! leaves plain identifiers unscoped and splits punctuation differently,
//! while rouge marks every name (`n`) and merges `():` into one span, so a
//! grammar-based tokenisation could not match Jekyll's HTML.

use std::sync::LazyLock;

use super::engine::{call, groups, tok, tok_then, Grammar, Lex, Then};

const KEYWORDS: &[&str] = &[
    "assert", "break", "continue", "del", "elif", "else", "except", "exec", "finally", "for",
    "global", "if", "lambda", "pass", "print", "raise", "return", "try", "while", "yield", "as",
    "with", "from", "import", "async", "await", "nonlocal",
];

const BUILTINS: &[&str] = &[
    "__import__",
    "abs",
    "all",
    "any",
    "apply",
    "ascii",
    "basestring",
    "bin",
    "bool",
    "buffer",
    "bytearray",
    "bytes",
    "callable",
    "chr",
    "classmethod",
    "cmp",
    "coerce",
    "compile",
    "complex",
    "delattr",
    "dict",
    "dir",
    "divmod",
    "enumerate",
    "eval",
    "execfile",
    "exit",
    "file",
    "filter",
    "float",
    "format",
    "frozenset",
    "getattr",
    "globals",
    "hasattr",
    "hash",
    "hex",
    "id",
    "input",
    "int",
    "intern",
    "isinstance",
    "issubclass",
    "iter",
    "len",
    "list",
    "locals",
    "long",
    "map",
    "max",
    "memoryview",
    "min",
    "next",
    "object",
    "oct",
    "open",
    "ord",
    "pow",
    "property",
    "range",
    "raw_input",
    "reduce",
    "reload",
    "repr",
    "reversed",
    "round",
    "set",
    "setattr",
    "slice",
    "sorted",
    "staticmethod",
    "str",
    "sum",
    "super",
    "tuple",
    "type",
    "unichr",
    "unicode",
    "vars",
    "xrange",
    "zip",
];

const PSEUDO: &[&str] = &[
    "self",
    "None",
    "Ellipsis",
    "NotImplemented",
    "False",
    "True",
];

/// Exception names, which rouge 3.x tokenises as builtins.
fn is_exception(word: &str) -> bool {
    word.ends_with("Error")
        || word.ends_with("Warning")
        || [
            "BaseException",
            "Exception",
            "GeneratorExit",
            "KeyboardInterrupt",
            "NotImplemented",
            "StopAsyncIteration",
            "StopIteration",
            "SystemExit",
        ]
        .contains(&word)
}

const IDENT: &str = r"[\p{Alphabetic}_][\p{Alphabetic}\p{Nd}_]*";

fn identifier(lx: &mut Lex<'_>, g: &[Option<(usize, usize)>]) {
    let Some((a, b)) = g[0] else { return };
    // rouge: `(?<!\.)` so attribute names after a dot are plain names.
    let after_dot = lx.src[..a].ends_with('.');
    let w = &lx.src[a..b];
    let t = if after_dot {
        "Name"
    } else if KEYWORDS.contains(&w) {
        "Keyword"
    } else if is_exception(w) || BUILTINS.contains(&w) {
        "Name.Builtin"
    } else if PSEUDO.contains(&w) {
        "Name.Builtin.Pseudo"
    } else {
        "Name"
    };
    lx.token(t, a, b);
    lx.pos = b;
}

fn string_start(lx: &mut Lex<'_>, g: &[Option<(usize, usize)>]) {
    let prefix = lx.text(g[1]).to_ascii_lowercase();
    let delim = lx.text(g[2]).to_string();
    if let Some((a, b)) = g[1] {
        lx.token("Literal.String.Affix", a, b);
    }
    if let Some((a, b)) = g[2] {
        lx.token("Literal.String", a, b);
    }
    lx.vars.strings.push((prefix, delim));
    lx.pos = g[0].map_or(lx.pos, |m| m.1);
    lx.stack.push("generic_string");
}

fn string_quote(lx: &mut Lex<'_>, g: &[Option<(usize, usize)>]) {
    let Some((a, b)) = g[0] else { return };
    lx.token("Literal.String", a, b);
    lx.pos = b;
    let closes = lx
        .vars
        .strings
        .last()
        .is_some_and(|(_, d)| d == &lx.src[a..b]);
    if closes {
        lx.vars.strings.pop();
        lx.pop();
    }
}

fn string_brace(lx: &mut Lex<'_>, g: &[Option<(usize, usize)>]) {
    let Some((a, b)) = g[0] else { return };
    lx.pos = b;
    if lx.vars.strings.last().is_some_and(|(t, _)| t.contains('f')) {
        lx.token("Literal.String.Interpol", a, b);
        lx.stack.push("generic_interpol");
    } else {
        lx.token("Literal.String", a, b);
    }
}

fn escape(lx: &mut Lex<'_>, g: &[Option<(usize, usize)>]) {
    let Some((a, b)) = g[0] else { return };
    let raw = lx.vars.strings.last().is_some_and(|(t, _)| t.contains('r'));
    lx.token(
        if raw {
            "Literal.String"
        } else {
            "Literal.String.Escape"
        },
        a,
        b,
    );
    lx.pos = b;
    lx.pop();
}

/// The grammar, built on first use.
pub fn grammar() -> &'static Grammar {
    static G: LazyLock<Grammar> = LazyLock::new(|| {
        let ident: &'static str = IDENT;
        let from_import: &'static str = Box::leak(
            r"(from)((?:\\[ \t\r\n\x0B\x0C]|[ \t\r\n\x0B\x0C])+)([\p{Alphabetic}_.][\p{Alphabetic}\p{Nd}_.]*)((?:\\[ \t\r\n\x0B\x0C]|[ \t\r\n\x0B\x0C])+)(import)"
                .to_string()
                .into_boxed_str(),
        );
        Grammar::new(&[
            (
                "root",
                vec![
                    tok(r"\n+", "Text"),
                    groups(
                        r#"(?is)^(:)([ \t\r\n\x0B\x0C]*)([ru]{0,2}""".*?""")"#,
                        &["Punctuation", "Text", "Literal.String.Doc"],
                        Then::Stay,
                    ),
                    tok(r"[^\S\n]+", "Text"),
                    tok(r"#(?-s:.)*\n?", "Comment.Single"),
                    tok(r"[\[\]{}:(),;.]", "Punctuation"),
                    tok(r"\\\n", "Text"),
                    tok(r"\\", "Text"),
                    tok(r"(?:in|is|and|or|not)\b", "Operator.Word"),
                    tok(r"(?:<<|>>|//|\*\*)=?", "Operator"),
                    tok(r"[-~+/*%=<>&^|@]=?|!=", "Operator"),
                    groups(
                        from_import,
                        &[
                            "Keyword.Namespace",
                            "Text",
                            "Name.Namespace",
                            "Text",
                            "Keyword.Namespace",
                        ],
                        Then::Stay,
                    ),
                    groups(
                        r"(import)([ \t\r\n\x0B\x0C]+)([\p{Alphabetic}_.][\p{Alphabetic}\p{Nd}_.]*)",
                        &["Keyword.Namespace", "Text", "Name.Namespace"],
                        Then::Stay,
                    ),
                    groups(
                        r"(def)((?:[ \t\r\n\x0B\x0C]|\\[ \t\r\n\x0B\x0C])+)",
                        &["Keyword", "Text"],
                        Then::Push("funcname"),
                    ),
                    groups(
                        r"(class)((?:[ \t\r\n\x0B\x0C]|\\[ \t\r\n\x0B\x0C])+)",
                        &["Keyword", "Text"],
                        Then::Push("classname"),
                    ),
                    tok(r"`(?-s:.)*?`", "Literal.String.Backtick"),
                    call(r#"(?i)([rfbu]{0,2})('''|"""|['"])"#, string_start),
                    tok(
                        r"@[\p{Alphabetic}_.][\p{Alphabetic}\p{Nd}_.]*",
                        "Name.Decorator",
                    ),
                    call(ident, identifier),
                    tok(
                        r"(?i)(?:(?:[0-9](?:_?[0-9])*)?\.[0-9](?:_?[0-9])*|[0-9](?:_?[0-9])*\.)(?:e[+-]?[0-9](?:_?[0-9])*)?j?",
                        "Literal.Number.Float",
                    ),
                    tok(
                        r"(?i)[0-9](?:_?[0-9])*e[+-]?[0-9](?:_?[0-9])*j?",
                        "Literal.Number.Float",
                    ),
                    tok(r"(?i)[0-9](?:_?[0-9])*j", "Literal.Number.Float"),
                    tok(r"(?i)0b(?:_?[01])+", "Literal.Number.Bin"),
                    tok(r"(?i)0o(?:_?[0-7])+", "Literal.Number.Oct"),
                    tok(r"(?i)0x(?:_?[a-f0-9])+", "Literal.Number.Hex"),
                    tok(r"[0-9]+L", "Literal.Number.Integer.Long"),
                    tok(r"[1-9](?:_?[0-9])*|0(?:_?0)*", "Literal.Number.Integer"),
                ],
            ),
            (
                "funcname",
                vec![tok_then(ident, "Name.Function", Then::Pop)],
            ),
            ("classname", vec![tok_then(ident, "Name.Class", Then::Pop)]),
            (
                "generic_string",
                vec![
                    tok(r#"[^'"\\{]+"#, "Literal.String"),
                    tok(r"\{\{", "Literal.String"),
                    call(r#"'''|"""|['"]"#, string_quote),
                    call(r"\\", |lx, _| lx.stack.push("generic_escape")),
                    call(r"\{", string_brace),
                ],
            ),
            (
                "generic_escape",
                vec![
                    call(
                        r#"\\(?:[\\abfnrtv"']|\n|newline|N\{[a-zA-Z][a-zA-Z ]+[a-zA-Z]\}|u[a-fA-F0-9]{4}|U[a-fA-F0-9]{8}|x[a-fA-F0-9]{2}|[0-7]{1,3})"#,
                        escape,
                    ),
                    tok_then(r"\\(?-s:.)", "Literal.String", Then::Pop),
                ],
            ),
            (
                "generic_interpol",
                vec![
                    // rouge lexes the expression again from the root state;
                    // here it is tokenised in the root state of this lexer,
                    // which is the same thing without a second pass.
                    call(r"[^{}!:]+", |lx, g| {
                        let Some((a, b)) = g[0] else { return };
                        let src = lx.src;
                        lx.embed(&grammar().lex(&src[a..b], 10_000));
                        lx.pos = b;
                    }),
                    tok(r"![asr]", "Literal.String.Interpol"),
                    tok(":", "Literal.String.Interpol"),
                    tok_then(
                        r"\{",
                        "Literal.String.Interpol",
                        Then::Push("generic_interpol"),
                    ),
                    tok_then(r"\}", "Literal.String.Interpol", Then::Pop),
                ],
            ),
        ])
    });
    &G
}
