//! Conditions of `if`, `unless`, `case`/`when` and `where_exp` (condition.rb).

use crate::expression::{self, Expr};
use crate::lax;
use crate::lexer::Kind;
use crate::render::Context;
use crate::strict::Parser;
use crate::value::{ruby_cmp, ruby_eq, Value};
use std::cmp::Ordering;

/// One side of a comparison: an expression, or the `blank` / `empty`
/// method literals (Condition::MethodLiteral), which only exist here.
#[derive(Debug, Clone)]
pub enum Operand {
    /// An ordinary expression.
    Expr(Expr),
    /// `blank`: calls `blank?`, which plain Ruby values lack (no ActiveSupport).
    Blank,
    /// `empty`: calls `empty?`.
    Empty,
}

impl Operand {
    /// Condition.parse_expression.
    pub fn parse(markup: &str) -> Operand {
        match markup {
            "blank" => Operand::Blank,
            "empty" => Operand::Empty,
            m => Operand::Expr(expression::parse(m)),
        }
    }
}

/// `a`, or `a op b`.
#[derive(Debug, Clone)]
pub struct Comparison {
    /// Left side.
    pub left: Operand,
    /// Operator and right side.
    pub op: Option<(String, Operand)>,
}

/// A chain `c1 and c2 or c3`, evaluated left to right with each `and`/`or`
/// taking everything after it as its right side (Ruby's child_condition).
#[derive(Debug, Clone)]
pub struct Condition {
    /// The comparisons, each with the word joining it to the next.
    pub chain: Vec<(Comparison, Option<bool>)>,
}

enum Evaluated {
    Value(Value),
    Method(bool),
}

impl Condition {
    /// tag_if.rb strict_parse: operands as Condition.parse_expression
    /// reads them (`blank`/`empty` are method literals).
    pub fn strict(markup: &str) -> Result<Condition, String> {
        Condition::strict_with(markup, Operand::parse)
    }

    /// The strict parse of a chain of comparisons, each side read by
    /// `operand` (Jekyll's `parse_condition` reads plain expressions).
    pub fn strict_with(markup: &str, operand: fn(&str) -> Operand) -> Result<Condition, String> {
        let mut p = Parser::new(markup)?;
        let mut chain = Vec::new();
        loop {
            let left = operand(&p.expression()?);
            let op = match p.consume_if(Kind::Comparison) {
                Some(op) => Some((op.to_string(), operand(&p.expression()?))),
                None => None,
            };
            let join = if p.id("and") {
                Some(true)
            } else if p.id("or") {
                Some(false)
            } else {
                None
            };
            chain.push((Comparison { left, op }, join));
            if join.is_none() {
                break;
            }
        }
        p.consume(Kind::End)?;
        Ok(Condition { chain })
    }

    /// tag_if.rb lax_parse (see `lax::if_conditions` for how close it is).
    pub fn lax(markup: &str) -> Option<Condition> {
        let (conds, ops) = lax::if_conditions(markup)?;
        let mut chain = Vec::new();
        for (i, (l, op, r)) in conds.into_iter().enumerate() {
            let join = ops.get(i).map(|w| w == "and");
            let op = op.map(|o| (o, Operand::parse(r.as_deref().unwrap_or(""))));
            chain.push((
                Comparison {
                    left: Operand::parse(&l),
                    op,
                },
                join,
            ));
        }
        Some(Condition { chain })
    }

    /// A single `left == right` (case/when).
    pub fn equals(left: Expr, right: Operand) -> Condition {
        Condition {
            chain: vec![(
                Comparison {
                    left: Operand::Expr(left),
                    op: Some(("==".into(), right)),
                },
                None,
            )],
        }
    }

    /// Condition#evaluate: truthiness of the chain's result.
    pub fn eval(&self, ctx: &mut Context<'_>) -> Result<bool, String> {
        let mut result = false;
        for (cmp, join) in &self.chain {
            result = cmp.eval(ctx)?;
            match join {
                Some(false) if result => break,
                Some(true) if !result => break,
                None => break,
                _ => {}
            }
        }
        Ok(result)
    }
}

fn operand(o: &Operand, ctx: &mut Context<'_>) -> Result<Evaluated, String> {
    Ok(match o {
        Operand::Expr(e) => Evaluated::Value(e.eval(ctx)?),
        Operand::Blank => Evaluated::Method(true),
        Operand::Empty => Evaluated::Method(false),
    })
}

impl Comparison {
    fn eval(&self, ctx: &mut Context<'_>) -> Result<bool, String> {
        let left = operand(&self.left, ctx)?;
        let Some((op, right)) = &self.op else {
            // A method literal alone is an object: truthy.
            return Ok(match left {
                Evaluated::Value(v) => v.truthy(),
                Evaluated::Method(_) => true,
            });
        };
        let right = operand(right, ctx)?;
        match op.as_str() {
            "==" => Ok(equal(&left, &right)),
            "!=" | "<>" => Ok(!equal(&left, &right)),
            "contains" => Ok(contains(&left, &right)),
            "<" | ">" | "<=" | ">=" => compare(&left, &right, op),
            other => Err(format!("Unknown operator {other}")),
        }
    }
}

/// `equal_variables`: a method literal calls `empty?` (or `blank?`, which
/// no plain value has) on the other side.
fn equal(l: &Evaluated, r: &Evaluated) -> bool {
    match (l, r) {
        (Evaluated::Method(blank), Evaluated::Value(v))
        | (Evaluated::Value(v), Evaluated::Method(blank)) => {
            !*blank && v.resolved().empty() == Some(true)
        }
        (Evaluated::Method(_), Evaluated::Method(_)) => false,
        (Evaluated::Value(a), Evaluated::Value(b)) => ruby_eq(a, b),
    }
}

fn contains(l: &Evaluated, r: &Evaluated) -> bool {
    let (Evaluated::Value(l), right) = (l, r) else {
        return false;
    };
    let right = match right {
        Evaluated::Value(v) => v.clone(),
        // A method literal's to_s is "".
        Evaluated::Method(_) => Value::str(""),
    };
    if !l.truthy() || !right.truthy() {
        return false;
    }
    match &l.resolved() {
        Value::Str(s) => s.contains(right.to_s().as_str()),
        Value::Array(a) => a.iter().any(|x| ruby_eq(x, &right)),
        Value::Hash(h) => right.as_str().is_some_and(|k| h.contains_key(k)),
        Value::Range(a, b) => match right {
            Value::Int(i) => *a <= i && i <= *b,
            Value::Float(f) => (*a as f64) <= f && f <= (*b as f64),
            _ => false,
        },
        _ => false,
    }
}

fn compare(l: &Evaluated, r: &Evaluated, op: &str) -> Result<bool, String> {
    let (Evaluated::Value(a), Evaluated::Value(b)) = (l, r) else {
        return Ok(false);
    };
    // Only numbers, strings and times respond to `<`; nil and hashes do not.
    let comparable = |v: &Value| {
        matches!(
            v,
            Value::Int(_) | Value::Float(_) | Value::Str(_) | Value::Date(_)
        )
    };
    if !comparable(a) || !comparable(b) {
        return Ok(false);
    }
    let Some(ord) = ruby_cmp(a, b) else {
        return Err(format!(
            "comparison of {} with {} failed",
            ruby_class(a),
            b.inspect()
        ));
    };
    Ok(match op {
        "<" => ord == Ordering::Less,
        ">" => ord == Ordering::Greater,
        "<=" => ord != Ordering::Greater,
        _ => ord != Ordering::Less,
    })
}

/// Ruby's class name of a value, for error messages.
pub fn ruby_class(v: &Value) -> &'static str {
    match v {
        Value::Nil => "NilClass",
        Value::Bool(true) => "TrueClass",
        Value::Bool(false) => "FalseClass",
        Value::Int(_) => "Integer",
        Value::Float(_) => "Float",
        Value::Str(_) => "String",
        Value::Array(_) => "Array",
        Value::Hash(_) | Value::Object(_) => "Hash",
        Value::Range(..) => "Range",
        Value::Date(_) => "Time",
    }
}

#[cfg(test)]
mod tests {
    use crate::render_test as r;
    use serde_json::json;

    fn cond(c: &str, data: serde_json::Value) -> String {
        r(&format!("{{% if {c} %}}T{{% else %}}F{{% endif %}}"), data)
    }

    // condition.rb: `empty` calls empty?; `blank` calls blank?, which plain
    // Ruby values lack, so `== blank` is false (no ActiveSupport in Jekyll).
    #[test]
    fn method_literals() {
        assert_eq!(cond("x == empty", json!({"x": []})), "T");
        assert_eq!(cond("x == empty", json!({"x": "a"})), "F");
        assert_eq!(cond("x == blank", json!({"x": ""})), "F");
        assert_eq!(cond("blank", json!({})), "T");
    }

    // Ruby truthiness: only nil and false are false; and/or group to the right.
    #[test]
    fn truthiness_and_chains() {
        assert_eq!(cond("0", json!({})), "T");
        assert_eq!(cond("''", json!({})), "T");
        assert_eq!(cond("nil", json!({})), "F");
        assert_eq!(cond("false and false or true", json!({})), "F");
        assert_eq!(cond("true or false and false", json!({})), "T");
    }

    // condition.rb operators: contains on strings/arrays/hashes, `<` on nil is false.
    #[test]
    fn operators() {
        assert_eq!(cond("'abc' contains 'b'", json!({})), "T");
        assert_eq!(cond("a contains 2", json!({"a": [1, 2]})), "T");
        assert_eq!(cond("h contains 'k'", json!({"h": {"k": 1}})), "T");
        assert_eq!(cond("nil < 1", json!({})), "F");
        assert_eq!(cond("1 == 1.0", json!({})), "T");
        assert_eq!(cond("'b' > 'a'", json!({})), "T");
        assert_eq!(cond("1 <> 2", json!({})), "T");
    }
}
