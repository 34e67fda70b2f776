//! Garbled and random templates: parsing and rendering never panic, never
//! hang, and stay within the limits.

use jekyll_liquid::{Engine, Hash, Template, Value};
use proptest::prelude::*;

/// Pieces of Liquid syntax, glued at random into templates.
const PIECES: &[&str] = &[
    "{{",
    "}}",
    "{%",
    "%}",
    "{%-",
    "-%}",
    "{{-",
    "-}}",
    "if",
    "elsif",
    "else",
    "endif",
    "for",
    "endfor",
    "in",
    "(1..3)",
    "case",
    "when",
    "endcase",
    "unless",
    "endunless",
    "raw",
    "endraw",
    "comment",
    "endcomment",
    "capture",
    "endcapture",
    "assign",
    "=",
    "x",
    "a.b",
    "[0]",
    "'s'",
    "\"q\"",
    "|",
    "upcase",
    "split:",
    "join",
    "plus:",
    "1",
    "-1",
    "2.5",
    "nil",
    "blank",
    "empty",
    "contains",
    "==",
    "<",
    "and",
    "or",
    "cycle",
    ",",
    ":",
    "tablerow",
    "endtablerow",
    "cols:2",
    "limit:",
    "offset:",
    "continue",
    "break",
    "increment",
    "decrement",
    "ifchanged",
    "endifchanged",
    "echo",
    " ",
    "\n",
    "text",
    "where_exp:",
    "sort",
    "map:",
    "date:",
    "'%Y'",
    "(",
    ")",
    "..",
    "[",
    "]",
    "?",
    "-",
    "default:",
    "allow_false: true",
    "truncatewords:",
    "slice:",
    "round:",
    "divided_by:",
    "0",
    "modulo:",
    "%",
    "é",
    "liquid",
    "liquid\n",
    "\n endif",
    "\u{0}",
];

fn globals() -> Hash {
    let mut g = Hash::new();
    g.insert(
        "a".into(),
        Value::from_json(&serde_json::json!({"b": [1, "two", null, {"c": 3.5}], "s": "str"})),
    );
    g
}

fn check(src: &str, engine: &Engine, g: &Hash) {
    let t = Template::parse(src, engine);
    let _ = t.diagnostics();
    let r = t.render(engine, g);
    assert!(r.output.len() <= engine.limits.max_output + src.len() + 1024);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn pieces_never_panic(parts in proptest::collection::vec(0..PIECES.len(), 0..60)) {
        let mut engine = Engine::jekyll();
        engine.limits.max_iterations = 100_000;
        engine.limits.max_output = 1 << 20;
        let src: String = parts.iter().map(|&i| PIECES[i]).collect::<Vec<_>>().join(" ");
        check(&src, &engine, &globals());
    }

    #[test]
    fn any_text_never_panics(src in "\\PC{0,200}") {
        let engine = Engine::jekyll();
        check(&src, &engine, &globals());
    }
}
