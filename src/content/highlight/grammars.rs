//! Languages tokenised by Sublime Text grammars through syntect, with
//! bat's syntax set from `two-face` (Haskell, TypeScript, SCSS, nginx, …
//! beyond Sublime's defaults). The set is loaded once, on the first code
//! block that needs it, so runs that write no HTML never pay for it.
//!
//! syntect reports a stack of scopes for each run of text; the innermost
//! scope that [`rouge_classes`](super::rouge_classes) maps gives the rouge
//! token type, and runs of the same type are merged as rouge merges them.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::LazyLock;

use syntect::parsing::{ParseState, Scope, ScopeStack, SyntaxSet};

use super::lexers::engine::Tok;
use super::rouge_classes::token_for_scope;

fn syntaxes() -> &'static SyntaxSet {
    static SET: LazyLock<SyntaxSet> = LazyLock::new(two_face::syntax::extra_newlines);
    &SET
}

thread_local! {
    /// The token type of each scope met so far: building a scope's name is
    /// the costly part, and a site uses few distinct scopes.
    static TOKENS: RefCell<HashMap<Scope, Option<Tok>>> = RefCell::new(HashMap::new());
}

fn token_of(stack: &[Scope]) -> Tok {
    TOKENS.with(|cache| {
        let mut cache = cache.borrow_mut();
        for scope in stack.iter().rev() {
            let t = *cache
                .entry(*scope)
                .or_insert_with(|| token_for_scope(&scope.build_string()));
            if let Some(t) = t {
                return t;
            }
        }
        "Text"
    })
}

/// Whether the syntax set has a syntax of this name.
#[cfg(test)]
pub fn has(name: &str) -> bool {
    syntaxes().find_syntax_by_name(name).is_some()
}

/// A line comment (a block comment keeps its newlines, as in rouge).
fn line_comment(t: Tok, body: &str) -> bool {
    !body.is_empty()
        && !body.contains('\n')
        && (t == "Comment.Single" || (t == "Comment" && body.starts_with('#')))
}

/// Appends a token, merged into the previous one of the same type (they
/// are contiguous slices of `code`).
fn push_merged<'s>(out: &mut Vec<(Tok, &'s str)>, code: &'s str, t: Tok, text: &'s str) {
    if text.is_empty() {
        return;
    }
    if let Some((last, prev)) = out.last_mut() {
        if *last == t {
            let start = prev.as_ptr() as usize - code.as_ptr() as usize;
            *prev = &code[start..start + prev.len() + text.len()];
            return;
        }
    }
    out.push((t, text));
}

/// Tokens of `code` in the syntax called `name` (syntect's name for it),
/// or `None` when there is no such syntax or the grammar fails on it.
pub fn tokens<'s>(name: &str, code: &'s str) -> Option<Vec<(Tok, &'s str)>> {
    let set = syntaxes();
    let syntax = set.find_syntax_by_name(name)?;
    let mut state = ParseState::new(syntax);
    let mut stack = ScopeStack::new();
    let mut out: Vec<(Tok, &'s str)> = Vec::new();
    let mut push = |t: Tok, text: &'s str| push_merged(&mut out, code, t, text);
    for line in code.split_inclusive('\n') {
        let ops = state.parse_line(line, set).ok()?;
        let mut at = 0;
        for (i, op) in ops {
            if i > at {
                push(token_of(stack.as_slice()), line.get(at..i)?);
                at = i;
            }
            stack.apply(&op).ok()?;
        }
        push(token_of(stack.as_slice()), line.get(at..)?);
    }
    // Rouge's line comments (but Python's) stop before the line's end, and
    // Sublime's take the newline: the newline is plain text.
    let mut split = Vec::with_capacity(out.len());
    for (t, text) in out {
        match text.strip_suffix('\n') {
            Some(body) if line_comment(t, body) => {
                push_merged(&mut split, code, t, body);
                push_merged(&mut split, code, "Text", &text[body.len()..]);
            }
            _ => push_merged(&mut split, code, t, text),
        }
    }
    Some(split)
}
