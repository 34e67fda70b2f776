//! Coq, tokenised as rouge 3.x tokenises it (the rouge that Jekyll sites
//! build with): an identifier's token waits for what follows it (`Foo.bar`
//! is a namespace, `Qed.` ends a sentence), keywords come from rouge's
//! word lists, and every other symbol is one character of punctuation or
//! operator. No Sublime grammar for Coq exists in syntect's or bat's sets,
//! and Coq is the language with the most blocks in real sites.

use std::sync::LazyLock;

use super::engine::{call, groups, mixin, tok, tok_then, Grammar, Lex, Then, Tok};

const GALLINA: &[&str] = &[
    "as", "fun", "if", "in", "let", "match", "then", "else", "return", "end", "Type", "Set",
    "Prop", "forall",
];

const COQ: &[&str] = &[
    "Definition",
    "Theorem",
    "Lemma",
    "Remark",
    "Example",
    "Fixpoint",
    "CoFixpoint",
    "Record",
    "Inductive",
    "CoInductive",
    "Corollary",
    "Goal",
    "Proof",
    "Ltac",
    "Require",
    "Import",
    "Export",
    "Module",
    "Section",
    "End",
    "Variable",
    "Context",
    "Polymorphic",
    "Monomorphic",
    "Universe",
    "Universes",
    "Variables",
    "Class",
    "Instance",
    "Global",
    "Local",
    "Include",
    "Printing",
    "Notation",
    "Infix",
    "Arguments",
    "Hint",
    "Rewrite",
    "Immediate",
    "Qed",
    "Defined",
    "Opaque",
    "Transparent",
    "Existing",
    "Compute",
    "Eval",
    "Print",
    "SearchAbout",
    "Search",
    "About",
    "Check",
];

const LTAC: &[&str] = &[
    "apply",
    "eapply",
    "auto",
    "eauto",
    "rewrite",
    "setoid_rewrite",
    "with",
    "in",
    "as",
    "at",
    "destruct",
    "split",
    "inversion",
    "injection",
    "intro",
    "intros",
    "unfold",
    "fold",
    "cbv",
    "cbn",
    "lazy",
    "subst",
    "clear",
    "symmetry",
    "transitivity",
    "etransitivity",
    "erewrite",
    "edestruct",
    "constructor",
    "econstructor",
    "eexists",
    "exists",
    "f_equal",
    "refine",
    "instantiate",
    "revert",
    "simpl",
    "specialize",
    "generalize",
    "dependent",
    "red",
    "induction",
    "beta",
    "iota",
    "zeta",
    "delta",
    "exfalso",
    "autorewrite",
    "compute",
    "vm_compute",
    "native_compute",
    "repeat",
    "first",
    "try",
];

const TERMINATORS: &[&str] = &[
    "omega",
    "solve",
    "congruence",
    "reflexivity",
    "exact",
    "assumption",
    "eassumption",
];

/// Symbols that are punctuation rather than operators, one character each
/// (rouge compares single characters with this list, so only the
/// one-character entries of it ever apply).
const KEYOPTS: &[&str] = &[
    "_", ";", ":", "⇒", "→", "↔", "⇔", "≔", "≡", "∀", "∃", "∧", "∨", "¬", "⊤", "⊥", "⊢", "⊨", "∈",
];

const OPERATOR_CHARS: &str = "[];,{}_()!$%&*+./:<=>?@^|~#-";

fn classify(word: &str) -> Tok {
    if COQ.contains(&word) {
        "Keyword"
    } else if GALLINA.contains(&word) {
        "Keyword.Reserved"
    } else if LTAC.contains(&word) {
        "Keyword.Pseudo"
    } else if TERMINATORS.contains(&word) {
        "Name.Exception"
    } else {
        "Name.Constant"
    }
}

const ID: &str = r"(?:[A-Za-z][0-9A-Za-z_']*|[_A-Za-z][0-9A-Za-z_']+)";

fn start_id(lx: &mut Lex<'_>, g: &[Option<(usize, usize)>]) {
    lx.vars.name = g[0];
    lx.vars.flag = false;
    lx.pos = g[0].map_or(lx.pos, |m| m.1);
    lx.stack.push("continue_id");
}

fn flush_name(lx: &mut Lex<'_>) {
    if let Some((a, b)) = lx.vars.name.take() {
        let t = if lx.vars.flag {
            "Name.Constant"
        } else {
            classify(&lx.src[a..b])
        };
        lx.token(t, a, b);
    }
    lx.vars.flag = false;
}

fn dot_id(lx: &mut Lex<'_>, g: &[Option<(usize, usize)>]) {
    if let Some((a, b)) = lx.vars.name.take() {
        lx.token("Name.Namespace", a, b);
    }
    let (start, end) = g[0].unwrap_or((lx.pos, lx.pos));
    lx.token("Punctuation", start, start + 1);
    lx.vars.flag = true;
    lx.vars.name = g[1];
    lx.pos = end;
}

fn dot_space(lx: &mut Lex<'_>, g: &[Option<(usize, usize)>]) {
    flush_name(lx);
    let (start, end) = g[0].unwrap_or((lx.pos, lx.pos));
    lx.token("Punctuation.Indicator", start, start + 1);
    lx.token("Text.Whitespace", start + 1, end);
    lx.pos = end;
    lx.pop();
}

fn end_id(lx: &mut Lex<'_>, _: &[Option<(usize, usize)>]) {
    flush_name(lx);
    lx.pop();
}

fn set_options(lx: &mut Lex<'_>, g: &[Option<(usize, usize)>]) {
    // Keyword, then (whitespace, keyword) pairs while the keyword is there,
    // then the sentence's full stop.
    let mut i = 1;
    if let Some((a, b)) = g[i] {
        lx.token("Keyword", a, b);
    }
    i += 1;
    while i + 1 < g.len() {
        match (g[i], g[i + 1]) {
            (Some(ws), Some(kw)) if kw.1 > kw.0 => {
                lx.token("Text.Whitespace", ws.0, ws.1);
                lx.token("Keyword", kw.0, kw.1);
            }
            _ => break,
        }
        i += 2;
    }
    let end = g[0].map_or(lx.pos, |m| m.1);
    lx.token("Punctuation.Indicator", end - 1, end);
    lx.pos = end;
}

fn symbol(lx: &mut Lex<'_>, g: &[Option<(usize, usize)>]) {
    let Some((a, b)) = g[0] else { return };
    let c = &lx.src[a..b];
    let t = if KEYOPTS.contains(&c) {
        "Punctuation"
    } else if c.len() == 1 && OPERATOR_CHARS.contains(c) {
        "Operator"
    } else {
        "Error"
    };
    lx.token(t, a, b);
    lx.pos = b;
}

/// The grammar, built on first use.
pub fn grammar() -> &'static Grammar {
    static G: LazyLock<Grammar> = LazyLock::new(|| {
        let id_rule: &'static str = Box::leak(ID.to_string().into_boxed_str());
        let dot_id_rule: &'static str = Box::leak(format!(r"\.({ID})").into_boxed_str());
        let var_rule: &'static str = Box::leak(format!(r"[~?]{ID}").into_boxed_str());
        Grammar::new(&[
            (
                "root",
                vec![
                    call(r"\(\*", |lx, g| {
                        // `(*)` is not a comment (rouge: `(?![)])`).
                        let end = g[0].map_or(lx.pos, |m| m.1);
                        if lx.src[end..].starts_with(')') {
                            lx.vars.reject = true;
                            return;
                        }
                        lx.token("Comment", end - 2, end);
                        lx.pos = end;
                        lx.stack.push("comment");
                    }),
                    tok(r"[ \t\r\n\x0B\x0C]+", "Text.Whitespace"),
                    groups(
                        r"(Module)([ \t\r\n\x0B\x0C]+)(Type)([ \t\r\n\x0B\x0C]+)",
                        &["Keyword", "Text.Whitespace", "Keyword", "Text.Whitespace"],
                        Then::Stay,
                    ),
                    call(
                        r"(Set|Unset)([ \t\r\n\x0B\x0C]+)(Universe|Printing|Implicit|Strict)([ \t\r\n\x0B\x0C]+)(Polymorphism|All|Notations|Arguments|Universes|Implicit)([ \t\r\n\x0B\x0C]*)()\.",
                        set_options,
                    ),
                    call(id_rule, start_id),
                    tok(r"/\\", "Operator"),
                    tok(r"\\/", "Operator"),
                    tok(
                        r"(?i)-?[0-9][0-9_]*(?-s:.)?[0-9_]*e[+-]?[0-9][0-9_]*",
                        "Literal.Number.Float",
                    ),
                    tok(r"[0-9][0-9_]*", "Literal.Number.Integer"),
                    tok(
                        r#"'(?:\\[\\"'ntbr ]|\\[0-9]{3}|\\x[0-9A-Fa-f]{2})'"#,
                        "Literal.String.Char",
                    ),
                    tok("'", "Keyword"),
                    tok_then("\"", "Literal.String.Double", Then::Push("string")),
                    tok(var_rule, "Name.Variable"),
                    call(r"(?-s:.)", symbol),
                ],
            ),
            (
                "comment",
                vec![
                    tok(r"[^(*)]+", "Comment"),
                    tok_then(r"\(\*", "Comment", Then::Push("comment")),
                    tok_then(r"\*\)", "Comment", Then::Pop),
                    tok(r"[(*)]", "Comment"),
                ],
            ),
            (
                "string",
                vec![
                    tok(r#"(?:\\")+|[^"]"#, "Literal.String.Double"),
                    mixin("escape_sequence"),
                    tok(r"\\\n", "Literal.String.Double"),
                    tok_then("\"", "Literal.String.Double", Then::Pop),
                ],
            ),
            (
                "escape_sequence",
                vec![tok(r#"\\[\\"'ntbr]"#, "Literal.String.Escape")],
            ),
            (
                "continue_id",
                vec![
                    call(dot_id_rule, dot_id),
                    call(r"\.([ \t\r\n\x0B\x0C]+)", dot_space),
                    call(r"", end_id),
                ],
            ),
        ])
    });
    &G
}
