//! Liquid's strict parser (parser.rb): checks markup and returns each
//! expression as a normalised markup string (`foo . bar` → `foo.bar`), which
//! `expression::parse` then reads as Ruby's Expression.parse does.

use crate::lexer::{lex, Kind, Tok};
use crate::limits::MAX_DEPTH;

/// A syntax error: the tag falls back to the lax parser.
pub type Error = String;

/// The strict parser over one piece of markup.
pub struct Parser<'a> {
    toks: Vec<Tok<'a>>,
    p: usize,
    depth: usize,
}

impl<'a> Parser<'a> {
    /// Lexes `markup`; lexing errors are syntax errors.
    pub fn new(markup: &'a str) -> Result<Self, Error> {
        Ok(Parser {
            toks: lex(markup)?,
            p: 0,
            depth: 0,
        })
    }

    fn tok(&self, ahead: usize) -> Option<Tok<'a>> {
        self.toks.get(self.p + ahead).copied()
    }

    /// Whether the token `ahead` positions on is of kind `k`.
    pub fn look(&self, k: Kind, ahead: usize) -> bool {
        self.tok(ahead).is_some_and(|t| t.0 == k)
    }

    /// Takes the next token, which must be of kind `k`.
    pub fn consume(&mut self, k: Kind) -> Result<&'a str, Error> {
        match self.tok(0) {
            Some(t) if t.0 == k => {
                self.p += 1;
                Ok(t.1)
            }
            Some(t) => Err(format!("Expected {k:?} but found {:?}", t.0)),
            None => Err("Unexpected end".into()),
        }
    }

    /// Takes the next token, whatever it is.
    pub fn consume_any(&mut self) -> Result<&'a str, Error> {
        match self.tok(0) {
            Some(t) if t.0 != Kind::End => {
                self.p += 1;
                Ok(t.1)
            }
            _ => Err("Unexpected end".into()),
        }
    }

    /// Takes the next token if it is of kind `k`.
    pub fn consume_if(&mut self, k: Kind) -> Option<&'a str> {
        if self.look(k, 0) {
            self.p += 1;
            self.toks.get(self.p - 1).map(|t| t.1)
        } else {
            None
        }
    }

    /// Takes the next token if it is the identifier `s`.
    pub fn id(&mut self, s: &str) -> bool {
        if self.tok(0) == Some((Kind::Id, s)) {
            self.p += 1;
            true
        } else {
            false
        }
    }

    /// One expression, normalised.
    pub fn expression(&mut self) -> Result<String, Error> {
        if self.depth >= MAX_DEPTH {
            return Err("Nesting too deep".into());
        }
        self.depth += 1;
        let r = self.expression_inner();
        self.depth -= 1;
        r
    }

    fn expression_inner(&mut self) -> Result<String, Error> {
        let t = self.tok(0).ok_or("Unexpected end")?;
        match t.0 {
            Kind::Id => {
                self.p += 1;
                let mut s = t.1.to_string();
                s.push_str(&self.variable_lookups()?);
                Ok(s)
            }
            Kind::OpenSquare => {
                self.p += 1;
                let mut s = String::from("[");
                s.push_str(&self.expression()?);
                s.push_str(self.consume(Kind::CloseSquare)?);
                s.push_str(&self.variable_lookups()?);
                Ok(s)
            }
            Kind::Str | Kind::Number => {
                self.p += 1;
                Ok(t.1.to_string())
            }
            Kind::OpenRound => {
                self.p += 1;
                let first = self.expression()?;
                self.consume(Kind::DotDot)?;
                let last = self.expression()?;
                self.consume(Kind::CloseRound)?;
                Ok(format!("({first}..{last})"))
            }
            k => Err(format!("{k:?} is not a valid expression")),
        }
    }

    /// A filter argument: `name: expr` or `expr`.
    pub fn argument(&mut self) -> Result<String, Error> {
        let mut s = String::new();
        if self.look(Kind::Id, 0) && self.look(Kind::Colon, 1) {
            s.push_str(self.consume_any()?);
            s.push_str(self.consume_any()?);
            s.push(' ');
        }
        s.push_str(&self.expression()?);
        Ok(s)
    }

    fn variable_lookups(&mut self) -> Result<String, Error> {
        let mut s = String::new();
        loop {
            if self.look(Kind::OpenSquare, 0) {
                self.p += 1;
                s.push('[');
                s.push_str(&self.expression()?);
                s.push_str(self.consume(Kind::CloseSquare)?);
            } else if self.look(Kind::Dot, 0) {
                self.p += 1;
                s.push('.');
                s.push_str(self.consume(Kind::Id)?);
            } else {
                return Ok(s);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // parser.rb: expressions come back as markup with the spaces dropped.
    #[test]
    fn normalises() {
        let mut p = Parser::new("foo . bar [ 'x' ]").unwrap();
        assert_eq!(p.expression().unwrap(), "foo.bar['x']");
        let mut p = Parser::new("( 1 .. n )").unwrap();
        assert_eq!(p.expression().unwrap(), "(1..n)");
        let deep = "[".repeat(10_000);
        let mut p = Parser::new(&deep).unwrap();
        assert!(p.expression().is_err());
    }
}
