//! `{{ expression | filter: args }}` (variable.rb): parsed strictly, or by the
//! lax regexes when the strict parser refuses; rendered through the filters.

use crate::expression::{self, Expr};
use crate::lax;
use crate::lexer::Kind;
use crate::render::Context;
use crate::strict::Parser;
use crate::value::{Hash, Value};

/// One filter call.
#[derive(Debug, Clone)]
pub struct FilterCall {
    /// The filter's name.
    pub name: String,
    /// Positional arguments.
    pub args: Vec<Expr>,
    /// Keyword arguments (`allow_false: true`), passed as a last hash argument.
    pub kwargs: Vec<(String, Expr)>,
}

/// A variable with its filters (Liquid::Variable).
#[derive(Debug, Clone)]
pub struct Output {
    /// The expression; `None` for empty markup (renders nil).
    pub name: Option<Expr>,
    /// Filters applied in order.
    pub filters: Vec<FilterCall>,
}

impl Output {
    /// Parses markup as `error_mode: warn` does; the strict parser's error
    /// comes back as a warning when the lax parser took over.
    pub fn parse(markup: &str) -> (Output, Option<String>) {
        match Output::strict(markup) {
            Ok(o) => (o, None),
            Err(w) => (Output::lax(markup), Some(w)),
        }
    }

    /// variable.rb strict_parse.
    pub fn strict(markup: &str) -> Result<Output, String> {
        strict(markup)
    }

    /// variable.rb lax_parse (never fails: no fragment is a nil output).
    pub fn lax(markup: &str) -> Output {
        lax_parse(markup)
    }

    /// Evaluates the expression and applies the filters.
    pub fn eval(&self, ctx: &mut Context<'_>) -> Result<Value, String> {
        let mut v = match &self.name {
            Some(e) => e.eval(ctx)?,
            None => Value::Nil,
        };
        for f in &self.filters {
            let mut args = Vec::with_capacity(f.args.len() + 1);
            for a in &f.args {
                args.push(a.eval(ctx)?);
            }
            if !f.kwargs.is_empty() {
                let mut h = Hash::new();
                for (k, e) in &f.kwargs {
                    let val = e.eval(ctx)?;
                    h.insert(k.clone(), val);
                }
                args.push(Value::hash(h));
            }
            v = ctx.invoke_filter(&f.name, v, &args)?;
        }
        Ok(v)
    }
}

fn strict(markup: &str) -> Result<Output, String> {
    let mut p = Parser::new(markup)?;
    if p.look(Kind::End, 0) {
        return Ok(Output {
            name: None,
            filters: Vec::new(),
        });
    }
    let name = Some(expression::parse(&p.expression()?));
    let mut filters = Vec::new();
    while p.consume_if(Kind::Pipe).is_some() {
        let fname = p.consume(Kind::Id)?.to_string();
        let mut args = Vec::new();
        if p.consume_if(Kind::Colon).is_some() {
            args.push(p.argument()?);
            while p.consume_if(Kind::Comma).is_some() {
                args.push(p.argument()?);
            }
        }
        filters.push(filter_call(fname, &args));
    }
    p.consume(Kind::End)?;
    Ok(Output { name, filters })
}

fn lax_parse(markup: &str) -> Output {
    match lax::variable(markup) {
        None => Output {
            name: None,
            filters: Vec::new(),
        },
        Some((name, filters)) => Output {
            name: Some(expression::parse(&name)),
            filters: filters
                .into_iter()
                .map(|(n, args)| filter_call(n, &args))
                .collect(),
        },
    }
}

/// parse_filter_expressions: `key: value` arguments become keyword arguments.
fn filter_call(name: String, args: &[String]) -> FilterCall {
    let mut call = FilterCall {
        name,
        args: Vec::new(),
        kwargs: Vec::new(),
    };
    for a in args {
        match lax::JUST_TAG_ATTRIBUTES.captures(a) {
            Some(c) => call
                .kwargs
                .push((c[1].to_string(), expression::parse(&c[2]))),
            None => call.args.push(expression::parse(a)),
        }
    }
    call
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strict_then_lax() {
        let (o, w) = Output::parse(" a | f: 1, k: 2 | g ");
        assert!(w.is_none());
        assert_eq!(o.filters.len(), 2);
        assert_eq!(o.filters[0].kwargs.len(), 1);
        // `%` is no strict token: the lax parser reads it.
        let (o, w) = Output::parse(" a | f: 1 % ");
        assert!(w.is_some());
        assert_eq!(o.filters[0].name, "f");
    }
}
