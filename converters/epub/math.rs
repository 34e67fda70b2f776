//! TeX math as MathML, which EPUB 3 reading systems show without scripts.
//!
//! Posts hold math as TeX between the delimiters MathJax reads by default:
//! `\(…\)` inline, `\[…\]` and `$$…$$` displayed (kramdown's `$$` math
//! reaches the book as `\(…\)` and `\[…\]`, from the content layer, and
//! `<script type="math/tex">` becomes delimited text in [`super::sanitize`]).
//! Each formula in the text of a sanitised chapter, outside code, becomes a
//! `<math>` element typeset by the `math-core` crate, with the TeX kept in
//! `alttext` for readers that speak it. A formula the crate cannot typeset
//! stays TeX, as it was, with a `math-unconverted` warning.

use math_core::{LatexToMathML, MathCoreConfig, MathDisplay};

use super::dom::{parse_fragment_checked, push_text, Element, Node};
use super::notes::Notes;
use crate::diagnostics::Severity;

/// The MathML namespace, written on every `<math>` (XHTML needs it).
pub const MATHML_NS: &str = "http://www.w3.org/1998/Math/MathML";

/// The stack of the thread a chapter's formulas are typeset on: math-core
/// parses recursively, about 45 KiB a nesting level in a debug build, which
/// a 2 MiB worker stack runs out of at 48 levels.
const STACK: usize = 128 << 20;

/// Most groups and commands (`{`, `\…`, `^`, `_`) a formula may hold. Every
/// nesting level takes one, so this bounds math-core's recursion: 1,000
/// levels of any construct fit in half of [`STACK`] in a debug build.
const MAX_TOKENS: usize = 1000;

/// Elements whose text is code or input, never math to typeset.
const CODE: &[&str] = &["code", "pre", "kbd", "samp", "script", "style", "textarea"];

/// Turns TeX formulas into MathML elements.
pub struct Typesetter {
    converter: LatexToMathML,
}

impl Default for Typesetter {
    fn default() -> Self {
        Self::new()
    }
}

impl Typesetter {
    /// A typesetter with math-core's defaults: errors are returned, not
    /// drawn into the output, so a failed formula can stay TeX.
    pub fn new() -> Self {
        let config = MathCoreConfig {
            xml_namespace: true,
            ..MathCoreConfig::default()
        };
        // Only custom macros can make `new` fail, and there are none.
        let converter = LatexToMathML::new(config).unwrap_or_default();
        Typesetter { converter }
    }

    /// One formula as a `<math>` element carrying its TeX as `alttext`, or
    /// the reason it could not be typeset.
    pub fn formula(&self, tex: &str, display: bool) -> Result<Element, String> {
        let tokens = tex.bytes().filter(|b| b"{\\^_".contains(b)).count();
        if tokens > MAX_TOKENS {
            return Err(format!(
                "over {MAX_TOKENS} groups and commands, more than the book typesets; split it"
            ));
        }
        let mode = if display {
            MathDisplay::Block
        } else {
            MathDisplay::Inline
        };
        // math-core parses untrusted text: a panic in it costs the formula,
        // which stays TeX, not the book.
        let out = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            self.converter.convert_with_local_state(tex, mode)
        }))
        .map_err(|_| "the typesetter failed on it".to_string())?
        .map_err(|e| e.error_message())?;
        // math-core writes well-formed markup; reading it with the same HTML
        // parser as the posts gives our own tree, escaped again on output.
        let (parsed, flattened) = parse_fragment_checked(&out.mathml);
        if flattened {
            // Flattened MathML would be its text in a row: wrong, not TeX.
            return Err("nested more deeply than the book keeps".into());
        }
        let mut math = parsed
            .into_iter()
            .find_map(|n| match n {
                Node::Element(e) if e.name == "math" && !e.html => Some(e),
                _ => None,
            })
            .ok_or_else(|| "the typesetter gave no <math> element".to_string())?;
        math.attrs.clear();
        math.set("xmlns", MATHML_NS);
        math.set("display", if display { "block" } else { "inline" });
        math.set("alttext", tex);
        mathml3(&mut math.children);
        Ok(math)
    }

    /// Typesets every formula in the text of `nodes`, except in code, and
    /// reports those that stay TeX to `notes`. Returns how many became
    /// MathML (the chapter's manifest item says `mathml` when any did).
    pub fn typeset(&self, nodes: &mut Vec<Node>, notes: &mut Notes<'_>) -> usize {
        if !has_opener(nodes) {
            return 0;
        }
        // Deep formulas need a deep stack (see [`STACK`]); one thread per
        // chapter that has math, not per formula, keeps that cheap.
        std::thread::scope(|scope| {
            std::thread::Builder::new()
                .name("math".into())
                .stack_size(STACK)
                .spawn_scoped(scope, || self.walk(nodes, notes))
                .ok()
                .and_then(|t| t.join().ok())
        })
        // No thread could be made: the TeX stays, as it was.
        .unwrap_or(0)
    }

    /// [`Self::typeset`] on the current thread.
    fn walk(&self, nodes: &mut Vec<Node>, notes: &mut Notes<'_>) -> usize {
        let mut count = 0;
        let old = std::mem::take(nodes);
        for n in old {
            match n {
                Node::Text(t) => count += self.text(&t, nodes, notes),
                Node::Element(mut e) => {
                    if e.html && !CODE.contains(&e.name.as_str()) {
                        count += self.walk(&mut e.children, notes);
                    }
                    nodes.push(Node::Element(e));
                }
            }
        }
        count
    }

    /// Appends `text` to `out` with its formulas typeset.
    fn text(&self, text: &str, out: &mut Vec<Node>, notes: &mut Notes<'_>) -> usize {
        let mut count = 0;
        for piece in split(text) {
            match piece {
                Piece::Text(t) => push_text(out, t),
                Piece::Math { tex, display, raw } => match self.formula(tex, display) {
                    Ok(m) => {
                        out.push(Node::Element(m));
                        count += 1;
                    }
                    Err(why) => {
                        let needle = tex.trim().lines().next().unwrap_or("");
                        notes.add(
                            Severity::Warning,
                            "math-unconverted",
                            Some(needle),
                            format!(
                                "the formula {} could not be typeset as MathML ({why}); it is in the book as TeX",
                                short(raw)
                            ),
                        );
                        push_text(out, raw);
                    }
                },
            }
        }
        count
    }
}

/// Whether any text below `nodes`, code included, holds an opener (a cheap
/// test before starting the typesetting thread).
fn has_opener(nodes: &[Node]) -> bool {
    nodes.iter().any(|n| match n {
        Node::Text(t) => next_opener(t, 0).is_some(),
        Node::Element(e) => has_opener(&e.children),
    })
}

/// A run of text, or a delimited formula in it.
#[derive(Debug, PartialEq)]
enum Piece<'a> {
    Text(&'a str),
    Math {
        /// The TeX between the delimiters.
        tex: &'a str,
        display: bool,
        /// The formula with its delimiters, as written.
        raw: &'a str,
    },
}

/// Splits text at MathJax's default delimiters. An opener with no closer,
/// an escaped one (`\\(`, `\$$`) or an empty formula is left as text.
fn split(text: &str) -> Vec<Piece<'_>> {
    let mut pieces = Vec::new();
    let mut start = 0; // start of the pending text
    let mut at = 0; // where to look for the next opener
    while let Some((open, close, display)) = next_opener(text, at) {
        let body = open + 2;
        let Some(end) = find_closer(text, body, close) else {
            at = body;
            continue;
        };
        let tex = &text[body..end];
        if tex.trim().is_empty() {
            at = end + 2;
            continue;
        }
        if start < open {
            pieces.push(Piece::Text(&text[start..open]));
        }
        pieces.push(Piece::Math {
            tex,
            display,
            raw: &text[open..end + 2],
        });
        start = end + 2;
        at = start;
    }
    if start < text.len() {
        pieces.push(Piece::Text(&text[start..]));
    }
    pieces
}

/// The first opener at or after `from` that no backslash escapes: its
/// offset, the closer it needs and whether it is displayed math.
fn next_opener(text: &str, from: usize) -> Option<(usize, &'static str, bool)> {
    let bytes = text.as_bytes();
    let mut i = from;
    while i + 1 < bytes.len() {
        match (bytes[i], bytes[i + 1]) {
            (b'\\', b'(') => return Some((i, "\\)", false)),
            (b'\\', b'[') => return Some((i, "\\]", true)),
            (b'$', b'$') => return Some((i, "$$", true)),
            // `\\`, `\$`: an escaped character, never an opener.
            (b'\\', _) => i += 2,
            _ => i += 1,
        }
    }
    None
}

/// The offset of the first `close` at or after `from`, stepping over TeX's
/// escapes (`\\`, `\{`) so that `a \\)` does not end a formula.
fn find_closer(text: &str, from: usize, close: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = from;
    while i < bytes.len() {
        if bytes[i..].starts_with(close.as_bytes()) {
            return Some(i);
        }
        i += if bytes[i] == b'\\' { 2 } else { 1 };
    }
    None
}

/// MathML Core attributes that MathML 3 (what EPUBCheck checks) allows only
/// on `mstyle` and a few elements move to an `mstyle` around the element, so
/// the book validates and still renders the same.
fn mathml3(nodes: &mut [Node]) {
    for n in nodes.iter_mut() {
        let Node::Element(e) = n else { continue };
        mathml3(&mut e.children);
        let keeps = |name: &str, attr: &str| match attr {
            "displaystyle" => matches!(name, "mstyle" | "mtable"),
            _ => name == "mstyle",
        };
        let (moved, kept): (Vec<_>, Vec<_>) =
            std::mem::take(&mut e.attrs)
                .into_iter()
                .partition(|(k, _)| {
                    matches!(k.as_str(), "displaystyle" | "scriptlevel") && !keeps(&e.name, k)
                });
        e.attrs = kept;
        if !moved.is_empty() {
            let inner = std::mem::take(e);
            let mut style = Element {
                name: "mstyle".into(),
                html: false,
                attrs: moved,
                children: vec![Node::Element(inner)],
            };
            std::mem::swap(e, &mut style);
        }
    }
}

/// A formula for a message: whole when short, else its start.
fn short(raw: &str) -> String {
    let one_line = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    match one_line.char_indices().nth(80) {
        Some((at, _)) => format!("{}…", &one_line[..at]),
        None => one_line,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<String> {
        split(text)
            .into_iter()
            .map(|p| match p {
                Piece::Text(t) => format!("T:{t}"),
                Piece::Math { tex, display, .. } => {
                    format!("{}:{tex}", if display { "D" } else { "I" })
                }
            })
            .collect()
    }

    #[test]
    fn splits_at_mathjax_delimiters() {
        assert_eq!(
            kinds(r"a \(x\) b \[y\] c $$z$$ d"),
            ["T:a ", "I:x", "T: b ", "D:y", "T: c ", "D:z", "T: d"]
        );
        assert_eq!(kinds(r"\(\left(x\right)\)"), [r"I:\left(x\right)"]);
        assert_eq!(
            kinds(r"costs \$$5 and \\(no\\)"),
            [r"T:costs \$$5 and \\(no\\)"]
        );
        assert_eq!(kinds(r"open \( only"), [r"T:open \( only"]);
        assert_eq!(kinds("$$ $$"), ["T:$$ $$"]);
        assert_eq!(kinds(r"\(a \\ b\)"), [r"I:a \\ b"]);
    }

    #[test]
    fn moves_core_only_attributes_to_mstyle() {
        let t = Typesetter::new();
        let m = t.formula(r"\dfrac{1}{2}", false).expect("typesets");
        let mut s = String::new();
        super::super::xml::write_element(&m, &mut s);
        assert!(s.contains("<mstyle displaystyle=\"true\"><mfrac>"), "{s}");
        assert!(s.starts_with("<math xmlns=\"http://www.w3.org/1998/Math/MathML\" display=\"inline\" alttext=\"\\dfrac{1}{2}\">"), "{s}");
    }
}
