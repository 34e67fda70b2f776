//! Liquid's lax (regex) parsers, used when the strict parser rejects markup
//! (`error_mode: warn`). The patterns are liquid.rb's constants, spelled for
//! Rust's regex: Ruby's `\s` and `\w` are ASCII-only, so the classes are
//! written out.

use regex::Regex;
use std::sync::LazyLock;

/// Ruby's `\s`.
pub const WS: &str = r"[ \t\r\n\x0B\x0C]";
/// Ruby's `\w`.
pub const W: &str = r"[a-zA-Z0-9_]";
/// liquid.rb QuotedFragment.
pub const QF: &str = r#"(?:"[^"]*"|'[^']*'|(?:[^ \t\r\n\x0B\x0C,|'"]|"[^"]*"|'[^']*')+)"#;

fn re(p: &str) -> Regex {
    let p = p.replace("WS", WS).replace("QF", QF).replace("WW", W);
    Regex::new(&p).expect("static Liquid pattern")
}

macro_rules! pattern {
    ($name:ident, $doc:literal, $p:literal) => {
        #[doc = $doc]
        pub static $name: LazyLock<Regex> = LazyLock::new(|| re($p));
    };
}

pattern!(QUOTED_FRAGMENT, "QuotedFragment.", "QF");
pattern!(
    QUOTED_FRAGMENT_HERE,
    "QuotedFragment anchored at the start (fails fast).",
    "^(?:QF)"
);
pattern!(
    MARKUP_WITH_QUOTED_FRAGMENT,
    "variable.rb MarkupWithQuotedFragment.",
    "(?s)(QF)(.*)"
);
pattern!(
    FILTER_MARKUP,
    "variable.rb FilterMarkupRegex.",
    r"(?s)\|WS*(.*)"
);
pattern!(FILTER_PARSER, "variable.rb FilterParser.", r"(?:WS+|QF|,)+");
pattern!(
    FILTER_ARGS,
    "variable.rb FilterArgsRegex.",
    r"(?::|,)WS*((?:WW+WS*:WS*)?QF)"
);
pattern!(
    JUST_TAG_ATTRIBUTES,
    "variable.rb JustTagAttributes.",
    r"^(WW[a-zA-Z0-9_-]*)WS*:WS*(QF)$"
);
pattern!(
    TAG_ATTRIBUTES,
    "liquid.rb TagAttributes.",
    r"(WW[a-zA-Z0-9_-]*)WS*:WS*(QF)"
);
pattern!(
    VARIABLE_PARSER,
    "liquid.rb VariableParser.",
    r"\[[^\]]+\]|[a-zA-Z0-9_-]+\??"
);
pattern!(
    ASSIGN,
    "tag_assign.rb Syntax.",
    r"(?s)((?:\(?[a-zA-Z0-9_.\[\]-]\)?)+)WS*=WS*(.*)"
);
pattern!(
    CAPTURE,
    "tag_capture.rb Syntax.",
    r"((?:\(?[a-zA-Z0-9_.\[\]-]\)?)+)"
);
pattern!(
    FOR,
    "tag_for.rb Syntax.",
    r"^([a-zA-Z0-9_-]+)WS+inWS+((?:QF)+)WS*(reversed)?"
);
pattern!(
    TABLEROW,
    "tag_table_row.rb Syntax.",
    r"(WW+)WS+inWS+((?:QF)+)"
);
pattern!(CASE, "tag_case.rb Syntax.", r"(QF)");
pattern!(
    WHEN,
    "tag_case.rb WhenSyntax, without its trailing `.*`: the next value starts where group 2 does (no quadratic rescans).",
    r"(?s)(QF)(?:(?:WS+orWS+|WS*,WS*)(QF))?"
);
pattern!(CYCLE_SIMPLE, "tag_cycle.rb SimpleSyntax.", r"^(?:QF)+");
pattern!(
    CYCLE_NAMED,
    "tag_cycle.rb NamedSyntax.",
    r"(?s)^(QF)WS*:WS*(.*)"
);
pattern!(
    IF_SYNTAX,
    "tag_if.rb Syntax.",
    r"(QF)WS*([=!<>a-z_]+)?WS*(QF)?"
);

/// A filter as parsed: its name and its argument markups (`key: value`
/// kept whole, as Ruby does before telling keyword arguments apart).
pub type FilterMarkup = (String, Vec<String>);

/// variable.rb `lax_parse`: the name markup and the filters; `None` when no
/// quoted fragment is found at all (the output is then nil).
pub fn variable(markup: &str) -> Option<(String, Vec<FilterMarkup>)> {
    let caps = MARKUP_WITH_QUOTED_FRAGMENT.captures(markup)?;
    let name = caps.get(1)?.as_str().to_string();
    let rest = caps.get(2).map_or("", |m| m.as_str());
    let mut filters = Vec::new();
    if let Some(fm) = FILTER_MARKUP.captures(rest) {
        let body = fm.get(1).map_or("", |m| m.as_str());
        for f in FILTER_PARSER.find_iter(body) {
            let f = f.as_str();
            let Some(name) = first_word(f) else { continue };
            let args = FILTER_ARGS
                .captures_iter(f)
                .filter_map(|c| c.get(1).map(|m| m.as_str().to_string()))
                .collect();
            filters.push((name.to_string(), args));
        }
    }
    Some((name, filters))
}

/// The first run of word characters (Ruby `/\w+/`).
pub fn first_word(s: &str) -> Option<&str> {
    let b = s.as_bytes();
    let start = b
        .iter()
        .position(|c| c.is_ascii_alphanumeric() || *c == b'_')?;
    let len = b[start..]
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric() || **c == b'_')
        .count();
    Some(&s[start..start + len])
}

/// A comparison as If::Syntax reads it: left, operator, right markups.
pub type LaxComparison = (String, Option<String>, Option<String>);

/// tag_if.rb `lax_parse`: the markup scanned with ExpressionsAndOperators
/// into expressions and `and`/`or` words, each expression matched with
/// If::Syntax. Returns the comparisons and the words between them; `None`
/// where Ruby raises (a piece If::Syntax does not match, a word that is
/// not `and`/`or` between two expressions).
pub fn if_conditions(markup: &str) -> Option<(Vec<LaxComparison>, Vec<String>)> {
    let mut pieces = expressions_and_operators(markup);
    // Ruby pops from the end: expression, (operator, expression)*.
    let mut conds = Vec::new();
    let mut ops = Vec::new();
    conds.push(if_syntax(&pieces.pop()?)?);
    while let Some(op) = pieces.pop() {
        let op = op.trim().to_string();
        conds.push(if_syntax(&pieces.pop().unwrap_or_default())?);
        if op != "and" && op != "or" {
            return None;
        }
        ops.push(op);
    }
    conds.reverse();
    ops.reverse();
    Some((conds, ops))
}

fn if_syntax(piece: &str) -> Option<LaxComparison> {
    let c = IF_SYNTAX.captures(piece)?;
    Some((
        c.get(1)?.as_str().to_string(),
        c.get(2).map(|m| m.as_str().to_string()),
        c.get(3).map(|m| m.as_str().to_string()),
    ))
}

fn is_word_at(b: &[u8], i: usize) -> bool {
    b.get(i)
        .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_')
}

fn is_space_at(b: &[u8], i: usize) -> bool {
    b.get(i)
        .is_some_and(|c| matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c))
}

fn boundary(b: &[u8], i: usize) -> bool {
    (i > 0 && is_word_at(b, i - 1)) != is_word_at(b, i)
}

/// `\b(?:\s?and\s?|\s?or\s?)\b` at `p`: where it ends.
fn and_or_at(b: &[u8], p: usize) -> Option<usize> {
    if !boundary(b, p) {
        return None;
    }
    for word in [&b"and"[..], b"or"] {
        for lead in [usize::from(is_space_at(b, p)), 0] {
            let q = p + lead;
            if !b[q.min(b.len())..].starts_with(word) {
                continue;
            }
            let r = q + word.len();
            for trail in [usize::from(is_space_at(b, r)), 0] {
                if boundary(b, r + trail) {
                    return Some(r + trail);
                }
            }
        }
    }
    None
}

/// `(?:\s*(?!and/or)(?:QuotedFragment|\S+)\s*)+` at `p`: where it ends.
fn operand_run_at(s: &str, p: usize) -> Option<usize> {
    let b = s.as_bytes();
    let mut q = p;
    let mut end = None;
    loop {
        let mut c = q;
        while is_space_at(b, c) {
            c += 1;
        }
        if c >= b.len() || and_or_at(b, c).is_some() {
            return end;
        }
        let frag = QUOTED_FRAGMENT_HERE
            .find(&s[c..])
            .map(|m| c + m.end())
            .unwrap_or_else(|| {
                c + s[c..]
                    .find(|ch: char| ch.is_ascii_whitespace())
                    .unwrap_or(s.len() - c)
            });
        let mut e = frag;
        while is_space_at(b, e) {
            e += 1;
        }
        end = Some(e);
        q = e;
    }
}

/// tag_if.rb ExpressionsAndOperators, scanned as Ruby's `String#scan` does.
fn expressions_and_operators(s: &str) -> Vec<String> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut p = 0;
    while p < b.len() {
        let end = and_or_at(b, p).or_else(|| operand_run_at(s, p));
        match end {
            Some(e) if e > p => {
                out.push(s[p..e].to_string());
                p = e;
            }
            // Only whitespace fails here; none of its positions can match.
            _ if is_space_at(b, p) => {
                while is_space_at(b, p) {
                    p += 1;
                }
            }
            _ => p += s[p..].chars().next().map_or(1, char::len_utf8),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    // variable.rb lax_parse: filters split at `|`, arguments after `:` / `,`.
    #[test]
    fn lax_variable() {
        let (name, f) = variable("  'a b' | append: 'c', x  | upcase ").unwrap();
        assert_eq!(name, "'a b'");
        assert_eq!(
            f[0],
            (
                "append".to_string(),
                vec!["'c'".to_string(), "x".to_string()]
            )
        );
        assert_eq!(f[1].0, "upcase");
        assert!(variable("   ").is_none());
    }

    // tag_if.rb ExpressionsAndOperators and Syntax.
    #[test]
    fn lax_if() {
        let (c, ops) = if_conditions("a == 'x y' or b").unwrap();
        assert_eq!(ops, ["or"]);
        assert_eq!(c[0].2.as_deref(), Some("'x y'"));
        assert_eq!(expressions_and_operators("a and b"), ["a ", "and ", "b"]);
        // `android` is no `and`; `a b` reads `b` as the operator.
        assert_eq!(
            expressions_and_operators("android or x"),
            ["android ", "or ", "x"]
        );
        let (c, _) = if_conditions("a b").unwrap();
        assert_eq!(c[0].1.as_deref(), Some("b"));
        assert!(if_conditions("").is_none());
    }
}
