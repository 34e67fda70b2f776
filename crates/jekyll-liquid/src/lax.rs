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

/// tag_if.rb `lax_parse`, reduced: the markup split into comparisons at the
/// words `and` / `or`, each matched with If::Syntax. Returns
/// `(left, operator, right)` markups and the joining words.
#[allow(clippy::type_complexity)]
pub fn if_conditions(
    markup: &str,
) -> Option<(Vec<(String, Option<String>, Option<String>)>, Vec<String>)> {
    let mut parts = Vec::new();
    let mut ops = Vec::new();
    let mut current = String::new();
    for frag in split_fragments(markup) {
        if frag == "and" || frag == "or" {
            parts.push(std::mem::take(&mut current));
            ops.push(frag.to_string());
        } else {
            if !current.is_empty() {
                current.push(' ');
            }
            current.push_str(frag);
        }
    }
    parts.push(current);
    let mut conds = Vec::new();
    for p in parts {
        let c = IF_SYNTAX.captures(&p)?;
        conds.push((
            c.get(1)?.as_str().to_string(),
            c.get(2).map(|m| m.as_str().to_string()),
            c.get(3).map(|m| m.as_str().to_string()),
        ));
    }
    Some((conds, ops))
}

/// Whitespace-separated pieces, quoted strings kept whole.
fn split_fragments(s: &str) -> Vec<&str> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() {
            if b[i] == b'"' || b[i] == b'\'' {
                let q = b[i];
                i += 1;
                while i < b.len() && b[i] != q {
                    i += 1;
                }
            }
            i += 1;
        }
        out.push(&s[start..i.min(b.len())]);
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

    #[test]
    fn lax_if() {
        let (c, ops) = if_conditions("a == 'x y' or b").unwrap();
        assert_eq!(ops, ["or"]);
        assert_eq!(c[0].2.as_deref(), Some("'x y'"));
    }
}
