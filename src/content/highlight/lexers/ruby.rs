//! Ruby, tokenised as rouge 3.x tokenises it: the state machine that tells
//! a regex literal from a division (`expr_start` after operators and
//! keywords, `method_call` after names), interpolation in double-quoted
//! strings, symbols, `%w()`-style literals and heredocs. Ruby is rouge's
//! home language and Jekyll's docs are full of it; Sublime's grammar scopes
//! names and punctuation too differently to give the same spans.

use std::sync::LazyLock;

use super::engine::{call, groups, mixin, tok, tok_then, Grammar, Lex, Then};

const KEYWORDS: &str = r"BEGIN|END|alias|begin|break|case|defined\?|do|else|elsif|end|ensure|for|if|in|next|redo|rescue|raise|retry|return|super|then|undef|unless|until|when|while|yield";

const KEYWORDS_PSEUDO: &str = r"loop|include|extend|raise|alias_method|attr|catch|throw|private|module_function|public|protected|true|false|nil|__FILE__|__LINE__";

const BUILTINS_G: &str = r"attr_reader|attr_writer|attr_accessor|__id__|__send__|abort|ancestors|at_exit|autoload|binding|callcc|caller|catch|chomp|chop|class_eval|class_variables|clone|const_defined\?|const_get|const_missing|const_set|constants|display|dup|eval|exec|exit|extend|fail|fork|format|freeze|getc|gets|global_variables|gsub|hash|id|included_modules|inspect|instance_eval|instance_method|instance_methods|instance_variable_get|instance_variable_set|instance_variables|lambda|load|local_variables|loop|method|method_missing|methods|module_eval|name|object_id|open|p|print|printf|private_class_method|private_instance_methods|private_methods|proc|protected_instance_methods|protected_methods|public_class_method|public_instance_methods|public_methods|putc|puts|raise|rand|readline|readlines|require|require_relative|scan|select|self|send|set_trace_func|singleton_methods|sleep|split|sprintf|srand|sub|syscall|system|taint|test|throw|to_a|to_s|trace_var|trap|untaint|untrace_var|warn";

const BUILTINS_Q: &str = r"autoload|block_given|const_defined|eql|equal|frozen|include|instance_of|is_a|iterator|kind_of|method_defined|nil|private_method_defined|protected_method_defined|public_method_defined|respond_to|tainted";

const WS: &str = r"[ \t\r\n\x0B\x0C]";

fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

/// A keyword must be followed by a non-word character or the end
/// (rouge: `(?=\W|$)`).
fn word_end(lx: &Lex<'_>, end: usize) -> bool {
    lx.src[end..]
        .chars()
        .next()
        .is_none_or(|c| !(c.is_alphanumeric() || c == '_'))
}

fn keyword(lx: &mut Lex<'_>, g: &[Option<(usize, usize)>]) {
    let Some((a, b)) = g[0] else { return };
    if !word_end(lx, b) {
        lx.vars.reject = true;
        return;
    }
    lx.token("Keyword", a, b);
    lx.pos = b;
    lx.stack.push("expr_start");
}

fn builtin(lx: &mut Lex<'_>, g: &[Option<(usize, usize)>]) {
    let Some((a, b)) = g[0] else { return };
    // rouge: `(?<!\.)`, a method called on something is not the builtin.
    if lx.src[..a].ends_with('.') {
        lx.vars.reject = true;
        return;
    }
    lx.token("Name.Builtin", a, b);
    lx.pos = b;
    lx.stack.push("method_call");
}

/// `%w(…)`, `%r{…}`, `%Q[…]`: the delimiters pair up and nest.
fn sigil_string(lx: &mut Lex<'_>, g: &[Option<(usize, usize)>]) {
    let Some((a, b)) = g[0] else { return };
    let kind = lx.text(g[1]);
    let open = lx.text(g[2]).chars().next().unwrap_or('(');
    let close = match open {
        '{' => '}',
        '[' => ']',
        '(' => ')',
        '<' => '>',
        c => c,
    };
    let t = if kind == "r" {
        "Literal.String.Regex"
    } else {
        "Literal.String.Other"
    };
    let interp = matches!(kind, "r" | "Q" | "W" | "x" | "I");
    lx.token(t, a, b);
    let src = lx.src;
    let mut i = b;
    let mut depth = 1usize;
    let mut run = i;
    while i < src.len() {
        let c = src[i..].chars().next().unwrap_or(' ');
        let n = c.len_utf8();
        if c == '\\' {
            let next = src[i + 1..].chars().next();
            if let Some(nc) =
                next.filter(|nc| *nc == '\\' || *nc == '#' || *nc == open || *nc == close)
            {
                lx.token(t, run, i);
                lx.token("Literal.String.Escape", i, i + 1 + nc.len_utf8());
                i += 1 + nc.len_utf8();
                run = i;
                continue;
            }
        } else if interp && src[i..].starts_with("#{") {
            lx.token(t, run, i);
            lx.token("Literal.String.Interpol", i, i + 2);
            // The interpolated code: lexed on its own from the root state.
            let end = matching_brace(src, i + 2);
            lx.embed(&grammar().lex(&src[i + 2..end], 20_000));
            lx.token("Literal.String.Interpol", end, (end + 1).min(src.len()));
            i = (end + 1).min(src.len());
            run = i;
            continue;
        } else if c == close && open != close {
            depth -= 1;
            if depth == 0 {
                i += n;
                break;
            }
        } else if c == open && open != close {
            depth += 1;
        } else if c == close {
            i += n;
            break;
        }
        i += n;
    }
    lx.token(t, run, i);
    lx.pos = i;
    if kind == "r" {
        let flags = src[i..]
            .bytes()
            .take_while(|c| b"mixounse".contains(c))
            .count();
        lx.token(t, i, i + flags);
        lx.pos = i + flags;
    }
    lx.pop_expr();
}

/// Where the `}` closing an interpolation opened before `from` is (or the
/// end of the text), counting nested braces.
fn matching_brace(src: &str, from: usize) -> usize {
    let mut depth = 0usize;
    for (i, c) in src[from..].char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => return from + i,
            '}' => depth -= 1,
            _ => {}
        }
    }
    src.len()
}

impl Lex<'_> {
    /// Leaves `expr_start`/`method_call` states after a literal, as rouge's
    /// sigil rules do by popping the state they were found in.
    fn pop_expr(&mut self) {
        if matches!(
            self.stack.last(),
            Some(&"expr_start") | Some(&"method_call_spaced")
        ) {
            self.pop();
        }
    }
}

fn heredoc(lx: &mut Lex<'_>, g: &[Option<(usize, usize)>]) {
    let Some((a, b)) = g[0] else { return };
    // rouge: `(?<!\w)`.
    if lx.src[..a]
        .chars()
        .next_back()
        .is_some_and(|c| c.is_alphanumeric() || c == '_')
    {
        lx.vars.reject = true;
        return;
    }
    let op = g[1].unwrap_or((a, a));
    let quote = lx.text(g[2]);
    let name = lx.text(g[3]);
    let close_q = lx.text(g[4]);
    if quote != close_q {
        lx.vars.reject = true;
        return;
    }
    lx.token("Operator", op.0, op.1);
    lx.token("Name.Constant", op.1, b);
    lx.pos = b;
    let tolerant = lx.text(Some(op)) != "<<";
    // The body starts on the next line: the rest of this line is code.
    let src = lx.src;
    let line_end = src[b..].find('\n').map_or(src.len(), |i| b + i);
    lx.embed(&grammar().lex(&src[b..line_end], 20_000));
    let mut i = line_end;
    while i < src.len() {
        // The newline before each body line.
        lx.token("Literal.String.Heredoc", i, i + 1);
        i += 1;
        let end = src[i..].find('\n').map_or(src.len(), |j| i + j);
        let line = &src[i..end];
        let check = if tolerant {
            line.trim()
        } else {
            line.trim_end()
        };
        if check == name {
            lx.token("Name.Constant", i, end);
            i = end;
            break;
        }
        lx.token("Literal.String.Heredoc", i, end);
        i = end;
    }
    lx.pos = i;
}

/// The grammar, built on first use.
pub fn grammar() -> &'static Grammar {
    static G: LazyLock<Grammar> = LazyLock::new(|| {
        let kw = leak(format!("(?:{KEYWORDS})"));
        let kw_pseudo = leak(format!(r"(?:{KEYWORDS_PSEUDO})\b"));
        let b_q = leak(format!(r"(?:{BUILTINS_Q})\?"));
        let b_g = leak(format!(r"(?:{BUILTINS_G})\b"));
        let module = leak(format!(
            r"(module)({WS}+)([a-zA-Z_][a-zA-Z0-9_]*(?:::[a-zA-Z_][a-zA-Z0-9_]*)*)"
        ));
        let def = leak(format!(r"(def\b)({WS}*)"));
        let class = leak(format!(r"(class\b)({WS}*)"));
        let sym_key = leak(format!(r"\b[a-z_][0-9A-Za-z_]*?[?!]?:{WS}+"));
        let ws = leak(format!("{WS}+"));
        Grammar::new(&[
            (
                "symbols",
                vec![
                    tok(r"(?i):@{0,2}[a-z_][0-9A-Za-z_]*[!?]?", "Literal.String.Symbol"),
                    tok(
                        r":(?:\*\*|[-+]@|[/%&|^`~]|\[\]=?|<<|>>|<=?>|<=?|===?)",
                        "Literal.String.Symbol",
                    ),
                    tok(r"(?s):'(?:\\\\|\\'|[^'])*'", "Literal.String.Symbol"),
                    tok_then(":\"", "Literal.String.Symbol", Then::Push("simple_sym")),
                ],
            ),
            (
                "sigil_strings",
                vec![call(r"%([rqswQWxiI])?([^0-9A-Za-z_ \t\r\n\x0B\x0C])", sigil_string)],
            ),
            (
                "strings",
                vec![
                    mixin("symbols"),
                    tok_then(sym_key, "Literal.String.Symbol", Then::Push("expr_start")),
                    tok(r"(?s)'(?:\\\\|\\'|[^'])*'", "Literal.String.Single"),
                    tok_then("\"", "Literal.String.Double", Then::Push("simple_string")),
                    call("`", |lx, g| {
                        let Some((a, b)) = g[0] else { return };
                        if lx.src[..a].ends_with('.') {
                            lx.vars.reject = true;
                            return;
                        }
                        lx.token("Literal.String.Backtick", a, b);
                        lx.pos = b;
                        lx.stack.push("simple_backtick");
                    }),
                ],
            ),
            (
                "regex_flags",
                vec![tok_then("[mixounse]*", "Literal.String.Regex", Then::Pop)],
            ),
            (
                "simple_string",
                vec![
                    mixin("string_intp_escaped"),
                    tok(r##"[^\\"#]+"##, "Literal.String.Double"),
                    tok(r"[\\#]", "Literal.String.Double"),
                    tok_then("\"", "Literal.String.Double", Then::Pop),
                ],
            ),
            (
                "simple_sym",
                vec![
                    mixin("string_intp_escaped"),
                    tok(r##"[^\\"#]+"##, "Literal.String.Symbol"),
                    tok(r"[\\#]", "Literal.String.Symbol"),
                    tok_then("\"", "Literal.String.Symbol", Then::Pop),
                ],
            ),
            (
                "simple_backtick",
                vec![
                    mixin("string_intp_escaped"),
                    tok(r"[^\\`#]+", "Literal.String.Backtick"),
                    tok(r"[\\#]", "Literal.String.Backtick"),
                    tok_then("`", "Literal.String.Backtick", Then::Pop),
                ],
            ),
            (
                "whitespace",
                vec![
                    mixin("inline_whitespace"),
                    tok_then(r"\n[ \t\r\n\x0B\x0C]*", "Text", Then::Push("expr_start")),
                    tok(r"#.*$", "Comment.Single"),
                    tok(r"(?s)=begin\b.*?\n=end\b", "Comment.Multiline"),
                ],
            ),
            ("inline_whitespace", vec![tok(r"[ \t\r]+", "Text")]),
            (
                "root",
                vec![
                    mixin("whitespace"),
                    tok_then("__END__", "Comment.Preproc", Then::Push("end_part")),
                    tok(r"0_?[0-7]+(?:_[0-7]+)*", "Literal.Number.Oct"),
                    tok(r"0x[0-9A-Fa-f]+(?:_[0-9A-Fa-f]+)*", "Literal.Number.Hex"),
                    tok(r"0b[01]+(?:_[01]+)*", "Literal.Number.Bin"),
                    tok(
                        r"(?i)[0-9]+(?:_[0-9]+)*(?:\.[0-9]+(?:_[0-9]+)*(?:e[+-]?[0-9]+)?|e[+-]?[0-9]+)",
                        "Literal.Number.Float",
                    ),
                    tok(r"[0-9]+(?:_[0-9]+)*", "Literal.Number.Integer"),
                    tok(r"(?i)@@[a-z_][0-9A-Za-z_]*", "Name.Variable.Class"),
                    tok(r"(?i)@[a-z_][0-9A-Za-z_]*", "Name.Variable.Instance"),
                    tok(r"\$[0-9A-Za-z_]+", "Name.Variable.Global"),
                    tok(r#"\$[!@&`'+~=/\\,;.<>_*$?:"]"#, "Name.Variable.Global"),
                    tok(r"\$-[0adFiIlpvw]", "Name.Variable.Global"),
                    tok("::", "Operator"),
                    mixin("strings"),
                    call(kw, keyword),
                    tok_then(kw_pseudo, "Keyword.Pseudo", Then::Push("expr_start")),
                    groups(module, &["Keyword", "Text", "Name.Namespace"], Then::Stay),
                    groups(def, &["Keyword", "Text"], Then::Push("funcname")),
                    groups(class, &["Keyword", "Text"], Then::Push("classname")),
                    tok_then(b_q, "Name.Builtin", Then::Push("expr_start")),
                    tok_then(
                        r"(?:chomp|chop|exit|gsub|sub)!",
                        "Name.Builtin",
                        Then::Push("expr_start"),
                    ),
                    call(b_g, builtin),
                    mixin("has_heredocs"),
                    tok_then(r"\.{2,3}", "Operator", Then::Push("expr_start")),
                    tok_then(r"[A-Z][a-zA-Z0-9_]*", "Name.Constant", Then::Push("method_call")),
                    groups(
                        r"(\.|::)([ \t\r\n\x0B\x0C]*)([a-z_][0-9A-Za-z_]*[!?]?|[*%&^`~+\-/\[<>=])",
                        &["Punctuation", "Text", "Name.Function"],
                        Then::Push("method_call"),
                    ),
                    tok_then(r"[a-zA-Z_][0-9A-Za-z_]*[?!]", "Name", Then::Push("expr_start")),
                    tok_then(r"[a-zA-Z_][0-9A-Za-z_]*", "Name", Then::Push("method_call")),
                    tok_then(
                        r"\*\*|<<?|>>?|>=|<=|<=>|=~|={3}|!~|&&?|\|\||\.",
                        "Operator",
                        Then::Push("expr_start"),
                    ),
                    tok_then(r"[-+/*%=<>&!^|~]=?", "Operator", Then::Push("expr_start")),
                    call(r"\?", |lx, g| {
                        let Some((a, b)) = g[0] else { return };
                        lx.token("Punctuation", a, b);
                        lx.pos = b;
                        lx.stack.push("ternary");
                        lx.stack.push("expr_start");
                    }),
                    tok_then(r"[\[({,:\\;/]", "Punctuation", Then::Push("expr_start")),
                    tok(r"[\])}]", "Punctuation"),
                ],
            ),
            (
                "has_heredocs",
                vec![call(r#"(<<[-~]?)(["`']?)([a-zA-Z_][0-9A-Za-z_]*)(["`']?)"#, heredoc)],
            ),
            (
                "funcname",
                vec![
                    tok(r"[ \t\r\n\x0B\x0C]+", "Text"),
                    tok_then(r"\(", "Punctuation", Then::Goto("defexpr")),
                    groups(
                        r"(?:([a-zA-Z_][0-9A-Za-z_]*)(\.))?([a-zA-Z_][0-9A-Za-z_]*[!?]?|\*\*?|[-+]@?|[/%&|^`~]|\[\]=?|<<?|>>?|<=>?|>=|===?)",
                        &["Name.Class", "Operator", "Name.Function"],
                        Then::Pop,
                    ),
                    call("", |lx, _| lx.pop()),
                ],
            ),
            (
                "classname",
                vec![
                    tok(r"[ \t\r\n\x0B\x0C]+", "Text"),
                    tok(r"[0-9A-Za-z_]+(?:::[0-9A-Za-z_]+)+", "Name.Class"),
                    call(r"\(", |lx, g| {
                        let Some((a, b)) = g[0] else { return };
                        lx.token("Punctuation", a, b);
                        lx.pos = b;
                        lx.stack.push("defexpr");
                        lx.stack.push("expr_start");
                    }),
                    tok_then("<<", "Operator", Then::Goto("expr_start")),
                    tok_then(r"[A-Z_][0-9A-Za-z_]*", "Name.Class", Then::Pop),
                    call("", |lx, _| lx.pop()),
                ],
            ),
            (
                "ternary",
                vec![
                    groups(
                        r"(:)([ \t\r\n\x0B\x0C]+)",
                        &["Punctuation", "Text"],
                        Then::Goto("expr_start"),
                    ),
                    call(":", |lx, g| {
                        let Some((a, b)) = g[0] else { return };
                        // rouge: `:(?![^#\n]*?[:\\])`.
                        let rest = &lx.src[b..];
                        let upto = rest.find(['#', '\n']).unwrap_or(rest.len());
                        if rest[..upto].contains([':', '\\']) {
                            lx.vars.reject = true;
                            return;
                        }
                        lx.token("Punctuation", a, b);
                        lx.pos = b;
                        lx.then(Then::Goto("expr_start"));
                    }),
                    mixin("root"),
                ],
            ),
            (
                "defexpr",
                vec![
                    groups(r"(\))(\.|::)?", &["Punctuation", "Operator"], Then::Pop),
                    call(r"\(", |lx, g| {
                        let Some((a, b)) = g[0] else { return };
                        lx.token("Punctuation", a, b);
                        lx.pos = b;
                        lx.stack.push("defexpr");
                        lx.stack.push("expr_start");
                    }),
                    mixin("root"),
                ],
            ),
            (
                "in_interp",
                vec![
                    tok_then(r"\}", "Literal.String.Interpol", Then::Pop),
                    mixin("root"),
                ],
            ),
            (
                "string_intp",
                vec![
                    tok_then(r"#\{", "Literal.String.Interpol", Then::Push("in_interp")),
                    tok(r"(?i)#(?:@@?|\$)[a-z_][0-9A-Za-z_]*", "Literal.String.Interpol"),
                ],
            ),
            (
                "string_intp_escaped",
                vec![
                    mixin("string_intp"),
                    tok(
                        r#"\\(?:[\\abefnrstv#"']|x[a-fA-F0-9]{1,2}|[0-7]{1,3})"#,
                        "Literal.String.Escape",
                    ),
                    tok(r"(?s)\\.", "Literal.String.Escape"),
                ],
            ),
            (
                "method_call",
                vec![
                    tok_then("/|%", "Operator", Then::Goto("expr_start")),
                    call(r"", |lx, _| {
                        if lx.src[lx.pos..].starts_with('\n') {
                            lx.pop();
                        } else {
                            lx.then(Then::Goto("method_call_spaced"));
                        }
                    }),
                ],
            ),
            (
                "method_call_spaced",
                vec![
                    mixin("whitespace"),
                    tok_then("[%/]=", "Operator", Then::Goto("expr_start")),
                    call("/", |lx, g| {
                        let Some((a, b)) = g[0] else { return };
                        // rouge: `(/)(?=\S|\s*/)`.
                        let rest = &lx.src[b..];
                        let ok = rest.chars().next().is_some_and(|c| !c.is_ascii_whitespace())
                            || rest.trim_start().starts_with('/');
                        if !ok {
                            lx.vars.reject = true;
                            return;
                        }
                        lx.token("Literal.String.Regex", a, b);
                        lx.pos = b;
                        lx.then(Then::Goto("slash_regex"));
                    }),
                    mixin("sigil_strings"),
                    call("", |lx, _| {
                        let rest = lx.src[lx.pos..].trim_start();
                        if rest.starts_with('/') {
                            lx.pop();
                        } else {
                            lx.vars.reject = true;
                        }
                    }),
                    tok_then(ws, "Text", Then::Goto("expr_start")),
                    call("", |lx, _| lx.pop()),
                ],
            ),
            (
                "expr_start",
                vec![
                    mixin("inline_whitespace"),
                    tok_then("/", "Literal.String.Regex", Then::Goto("slash_regex")),
                    call(
                        r#"\?(?:\\[MC]-)*(?:\\(?:[\\abefnrstv#"']|x[a-fA-F0-9]{1,2}|[0-7]{1,3})|[^ \t\r\n\x0B\x0C])"#,
                        |lx, g| {
                            let Some((a, b)) = g[0] else { return };
                            // rouge: `(?!\w)`.
                            if !word_end(lx, b) {
                                lx.vars.reject = true;
                                return;
                            }
                            lx.token("Literal.String.Char", a, b);
                            lx.pos = b;
                            lx.pop();
                        },
                    ),
                    mixin("sigil_strings"),
                    call("", |lx, _| lx.pop()),
                ],
            ),
            (
                "slash_regex",
                vec![
                    mixin("string_intp"),
                    tok(r"\\\\", "Literal.String.Regex"),
                    tok(r"\\/", "Literal.String.Regex"),
                    tok(r"[\\#]", "Literal.String.Regex"),
                    tok(r"[^\\/#]+", "Literal.String.Regex"),
                    tok_then("/", "Literal.String.Regex", Then::Goto("regex_flags")),
                ],
            ),
            ("end_part", vec![tok_then(r"(?s).+", "Comment.Preproc", Then::Pop)]),
        ])
        // A program starts where an expression may (a regex, not a division).
        .starting_in(&["root", "expr_start"])
    });
    &G
}
