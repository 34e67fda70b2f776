//! A small state machine that steps through code the way rouge's
//! `RegexLexer` does: in the state on top of a stack, the first rule whose
//! regex matches *at* the current position wins (not the longest match),
//! emits tokens and may push, pop or replace states. Consecutive tokens of
//! the same type are merged, as rouge's `continue_lex` merges them, because
//! that is what decides where its `<span>`s start and end.
//!
//! The regexes are `regex-automata` anchored searches over the whole text,
//! so `^`, `$` and `\b` see the text around the position as rouge's
//! `StringScanner` does. Look-arounds, which it lacks, are written as
//! checks in the rules that need them.

use std::collections::HashMap;

use regex_automata::meta::Regex;
use regex_automata::util::captures::Captures;
use regex_automata::{Anchored, Input};

/// How far ahead of the position one rule's match may reach.
const WINDOW: usize = 2048;

/// A rouge token type by its full name (`Keyword.Pseudo`); see
/// `rouge_classes` for the short class names.
pub type Tok = &'static str;

/// What a rule does to the state stack after its tokens.
#[derive(Clone, Copy)]
pub enum Then {
    /// Stay in the current state.
    Stay,
    /// Push a state.
    Push(&'static str),
    /// Pop the current state.
    Pop,
    /// Replace the current state.
    Goto(&'static str),
}

/// The capture groups of a match (0 is the whole match) as byte ranges.
pub type Groups<'g> = &'g [Option<(usize, usize)>];

/// A lexer's own code for a rule.
pub type RuleFn = fn(&mut Lex<'_>, Groups<'_>);

/// A rule's action.
#[derive(Clone)]
pub enum Act {
    /// The whole match is one token.
    Tok(Tok, Then),
    /// Each capture group (1, 2, …) is a token; the groups cover the match.
    Groups(&'static [Tok], Then),
    /// Anything else: the lexer's own code, with the capture groups.
    Call(RuleFn),
}

/// One rule of a state: a regex, or the rules of another state (rouge's
/// `mixin`), resolved when the grammar is built.
#[derive(Clone)]
pub enum RuleDef {
    /// A regex and what it does.
    Rule(&'static str, Act),
    /// The rules of another state, in place.
    Mixin(&'static str),
}

/// `rule(re, Tok(t, then))`, shorter.
pub fn tok(re: &'static str, t: Tok) -> RuleDef {
    RuleDef::Rule(re, Act::Tok(t, Then::Stay))
}

/// A token, then a state change.
pub fn tok_then(re: &'static str, t: Tok, then: Then) -> RuleDef {
    RuleDef::Rule(re, Act::Tok(t, then))
}

/// Capture groups as tokens, then a state change.
pub fn groups(re: &'static str, toks: &'static [Tok], then: Then) -> RuleDef {
    RuleDef::Rule(re, Act::Groups(toks, then))
}

/// The lexer's own code.
pub fn call(re: &'static str, f: RuleFn) -> RuleDef {
    RuleDef::Rule(re, Act::Call(f))
}

/// Another state's rules.
pub fn mixin(state: &'static str) -> RuleDef {
    RuleDef::Mixin(state)
}

struct Rule {
    re: Regex,
    act: Act,
}

/// A lexer's states, with mixins expanded and regexes compiled.
pub struct Grammar {
    states: HashMap<&'static str, Vec<Rule>>,
    /// The states pushed before lexing starts (rouge's `start` block).
    start: Vec<&'static str>,
}

impl Grammar {
    /// Compiles the states. The patterns are this crate's own constants, so a
    /// pattern that does not compile is a bug caught by the lexers' tests.
    pub fn new(defs: &[(&'static str, Vec<RuleDef>)]) -> Grammar {
        let by_name: HashMap<&'static str, &Vec<RuleDef>> =
            defs.iter().map(|(n, r)| (*n, r)).collect();
        fn expand(
            name: &'static str,
            by_name: &HashMap<&'static str, &Vec<RuleDef>>,
            out: &mut Vec<(&'static str, Act)>,
            depth: usize,
        ) {
            let Some(rules) = by_name.get(name) else {
                return;
            };
            for r in rules.iter() {
                match r {
                    RuleDef::Rule(re, act) => out.push((re, act.clone())),
                    RuleDef::Mixin(other) if depth < 8 => expand(other, by_name, out, depth + 1),
                    RuleDef::Mixin(_) => {}
                }
            }
        }
        let mut states = HashMap::new();
        // A pattern shared by several states (mixins) is compiled once; no
        // full DFA is built ahead (the lazy DFA is enough for short code
        // blocks, and building hundreds of DFAs made the first block slow).
        let mut compiled: HashMap<&'static str, Regex> = HashMap::new();
        for (name, _) in defs {
            let mut flat = Vec::new();
            expand(name, &by_name, &mut flat, 0);
            let rules = flat
                .into_iter()
                .filter_map(|(re, act)| {
                    if let Some(r) = compiled.get(re) {
                        return Some(Rule { re: r.clone(), act });
                    }
                    let built = Regex::builder()
                        .configure(Regex::config().dfa(false).onepass(false))
                        .syntax(
                            regex_automata::util::syntax::Config::new()
                                .multi_line(true)
                                .crlf(false),
                        )
                        .build(re);
                    debug_assert!(built.is_ok(), "{built:?}");
                    let built = built.ok()?;
                    compiled.insert(re, built.clone());
                    Some(Rule { re: built, act })
                })
                .collect();
            states.insert(*name, rules);
        }
        Grammar {
            states,
            start: vec!["root"],
        }
    }

    /// The states the lexer starts in, `root` first (rouge's `start` block
    /// pushing states).
    pub fn starting_in(mut self, start: &[&'static str]) -> Grammar {
        self.start = start.to_vec();
        self
    }

    /// Lexes `src` from state `root`, with `vars` as the lexer's own state.
    /// Work is bounded: past `max_steps` rule applications the rest of the
    /// text is one `Text` token (a pathological input stays readable).
    pub fn lex<'s>(&self, src: &'s str, max_steps: usize) -> Vec<(Tok, &'s str)> {
        self.lex_with(src, max_steps, None)
    }

    /// [`Grammar::lex`], with `sub` tokenising text the lexer hands to
    /// another language (a template's HTML).
    pub fn lex_with<'s>(
        &self,
        src: &'s str,
        max_steps: usize,
        sub: Option<Sub>,
    ) -> Vec<(Tok, &'s str)> {
        let mut lx = Lex {
            src,
            pos: 0,
            stack: self.start.clone(),
            toks: Vec::new(),
            vars: Vars {
                sub,
                ..Vars::default()
            },
        };
        let mut caps: HashMap<*const Regex, Captures> = HashMap::new();
        let mut steps = 0usize;
        let mut empty_run = 0usize;
        while lx.pos < src.len() {
            steps += 1;
            if steps > max_steps {
                lx.token("Text", lx.pos, src.len());
                lx.pos = src.len();
                break;
            }
            let state = lx.stack.last().copied().unwrap_or("root");
            let rules = self.states.get(state).map(Vec::as_slice).unwrap_or(&[]);
            let mut matched = false;
            for rule in rules {
                // A match may reach at most WINDOW bytes ahead, so a rule that
                // fails far away (an unclosed quote) costs a bounded scan;
                // a longer token is continued by the next step.
                let input = Input::new(src)
                    .range(lx.pos..(lx.pos + WINDOW).min(src.len()))
                    .anchored(Anchored::Yes);
                let c = caps
                    .entry(&rule.re as *const Regex)
                    .or_insert_with(|| rule.re.create_captures());
                rule.re.search_captures(&input, c);
                let Some(m) = c.get_match() else { continue };
                let (start, end) = (m.start(), m.end());
                let groups: Vec<Option<(usize, usize)>> = (1..c.group_len())
                    .map(|i| c.get_group(i).map(|s| (s.start, s.end)))
                    .collect();
                let before = (lx.pos, lx.stack.len(), lx.stack.last().copied());
                match &rule.act {
                    Act::Tok(t, then) => {
                        lx.token(t, start, end);
                        lx.pos = end;
                        lx.then(*then);
                    }
                    Act::Groups(ts, then) => {
                        for (g, t) in groups.iter().zip(ts.iter()) {
                            if let Some((a, b)) = g {
                                lx.token(t, *a, *b);
                            }
                        }
                        lx.pos = end;
                        lx.then(*then);
                    }
                    Act::Call(f) => {
                        let mut all = vec![Some((start, end))];
                        all.extend(groups);
                        f(&mut lx, &all);
                        if lx.pos == before.0 && lx.vars.reject {
                            // The rule's code declined the match (a
                            // look-around it checks by hand failed).
                            lx.vars.reject = false;
                            continue;
                        }
                    }
                }
                if lx.pos == before.0 {
                    empty_run += 1;
                    if empty_run > 32
                        || (lx.stack.len(), lx.stack.last().copied()) == (before.1, before.2)
                    {
                        // An empty match that changes nothing would loop.
                        break;
                    }
                } else {
                    empty_run = 0;
                }
                matched = true;
                break;
            }
            if !matched || empty_run > 32 {
                // As rouge: no rule matches, so one character is an error.
                empty_run = 0;
                let len = src[lx.pos..].chars().next().map_or(1, char::len_utf8);
                lx.token("Error", lx.pos, lx.pos + len);
                lx.pos += len;
            }
        }
        lx.toks
    }
}

/// Tokenises text in another language, named as rouge names it; `None`
/// leaves it plain.
pub type Sub = for<'a> fn(&str, &'a str) -> Option<Vec<(Tok, &'a str)>>;

/// Lexer-specific state that rouge keeps in instance variables.
#[derive(Default)]
pub struct Vars {
    /// Another language's tokeniser, for text a template hands on.
    pub sub: Option<Sub>,
    /// A name held back until what follows decides its token (Coq).
    pub name: Option<(usize, usize)>,
    /// A flag the lexer sets (Coq: the name was dotted).
    pub flag: bool,
    /// Open strings: (prefix letters, delimiter) (Python).
    pub strings: Vec<(String, String)>,
    /// Set by a `Call` rule that declines its match.
    pub reject: bool,
}

/// The running lexer, for `Call` rules.
pub struct Lex<'s> {
    /// The code.
    pub src: &'s str,
    /// Where the next rule is tried.
    pub pos: usize,
    /// The state stack.
    pub stack: Vec<&'static str>,
    toks: Vec<(Tok, &'s str)>,
    /// The lexer's own state.
    pub vars: Vars,
}

impl<'s> Lex<'s> {
    /// Emits `src[a..b]` as `t`, merged into the previous token if it has the
    /// same type (empty text emits nothing, as in rouge).
    pub fn token(&mut self, t: Tok, a: usize, b: usize) {
        let Some(text) = self.src.get(a..b).filter(|s| !s.is_empty()) else {
            return;
        };
        if let Some((last, prev)) = self.toks.last_mut() {
            if *last == t && prev.as_ptr() as usize + prev.len() == text.as_ptr() as usize {
                *prev = &self.src[a - prev.len()..b];
                return;
            }
        }
        self.toks.push((t, text));
    }

    /// Emits tokens of a part of the text (slices of `src`, in order from
    /// the current token on), as `Text` when they are not.
    pub fn embed(&mut self, toks: &[(Tok, &'s str)]) {
        let base = self.src.as_ptr() as usize;
        for (t, text) in toks {
            let off = (text.as_ptr() as usize).wrapping_sub(base);
            if off <= self.src.len() && off + text.len() <= self.src.len() {
                self.token(t, off, off + text.len());
            }
        }
    }

    /// Emits `src[a..b]` in the language `lang`, or as `fallback`.
    pub fn delegate(&mut self, lang: &str, a: usize, b: usize, fallback: Tok) {
        let src = self.src;
        let part = &src[a..b];
        match self.vars.sub.and_then(|f| f(lang, part)) {
            Some(toks) => self.embed(&toks),
            None => self.token(fallback, a, b),
        }
    }

    /// Applies a state change.
    pub fn then(&mut self, then: Then) {
        match then {
            Then::Stay => {}
            Then::Push(s) => self.stack.push(s),
            Then::Pop => self.pop(),
            Then::Goto(s) => {
                self.pop();
                self.stack.push(s);
            }
        }
    }

    /// Pops a state; the root state stays (rouge never pops it either).
    pub fn pop(&mut self) {
        if self.stack.len() > 1 {
            self.stack.pop();
        }
    }

    /// The text of a capture.
    pub fn text(&self, g: Option<(usize, usize)>) -> &'s str {
        g.and_then(|(a, b)| self.src.get(a..b)).unwrap_or("")
    }
}
