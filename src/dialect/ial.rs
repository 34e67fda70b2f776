//! kramdown inline attribute lists (`{: .class #id key="value" ref}`) as
//! goldmark attribute tokens (`.class`, `#id`, `key="value"`).

use std::sync::LazyLock;

use regex::Regex;

static ATTR_TOKEN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"([.#][\w:-]+)|([\w:-]+)=("[^"]*"|'[^']*'|[^\s"']+)|(\S+)"#).expect("static regex")
});

/// One attribute set parsed from a kramdown IAL.
#[derive(Debug, Default)]
pub struct Attrs {
    /// `.class`, `#id` and `key="value"` tokens, values double-quoted.
    pub tokens: Vec<String>,
    /// Bare names: references to attribute list definitions.
    pub refs: Vec<String>,
}

/// Parses the inside of an IAL (without `{:` and `}`).
pub fn parse_ial(body: &str) -> Attrs {
    let mut a = Attrs::default();
    for c in ATTR_TOKEN.captures_iter(body) {
        if let Some(m) = c.get(1) {
            a.tokens.push(m.as_str().to_string());
        } else if let (Some(k), Some(v)) = (c.get(2), c.get(3)) {
            let v = v.as_str();
            let v = if v.starts_with('"') {
                v.to_string()
            } else if let Some(inner) = v.strip_prefix('\'').and_then(|x| x.strip_suffix('\'')) {
                format!("\"{}\"", inner.replace('"', "&quot;"))
            } else {
                format!("\"{v}\"")
            };
            a.tokens.push(format!("{}={v}", k.as_str()));
        } else if let Some(m) = c.get(4) {
            a.refs.push(m.as_str().to_string());
        }
    }
    a
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ial_tokens() {
        let a = parse_ial(" .note #x title='a \"b\"' k=v ref");
        assert_eq!(
            a.tokens,
            [".note", "#x", "title=\"a &quot;b&quot;\"", "k=\"v\""]
        );
        assert_eq!(a.refs, ["ref"]);
    }
}
