//! Parsing Liquid 5.4's built-in tags (tag_*.rb). Rendering is in render.rs.

use crate::condition::{Condition, Operand};
use crate::expression::{self, Expr};
use crate::lax;
use crate::lexer::Kind;
use crate::output::Output;
use crate::parse::{Block, CycleKey, ForLoop, Node, Offset, ParseState, Step, TableRow};
use crate::strict::Parser;
use crate::value::Value;

/// Parses a built-in tag; `None` when `name` is not one (an end or
/// intermediate tag, or unknown), for the enclosing block to handle.
pub(crate) fn parse_builtin(
    st: &mut ParseState<'_, '_>,
    name: &str,
    markup: &str,
    line: usize,
) -> Option<Node> {
    Some(match name {
        "assign" => assign(st, markup, line),
        "capture" => capture(st, markup, line),
        "if" | "unless" => if_tag(st, name, markup, line),
        "case" => case_tag(st, markup, line),
        "for" => for_tag(st, markup, line),
        "tablerow" => tablerow(st, markup, line),
        "cycle" => cycle(st, markup, line),
        "increment" | "decrement" => Node::Counter(
            expression::ruby_strip(markup).to_string(),
            name == "increment",
        ),
        "comment" => {
            st.sub_block(line, name, |st, b| {
                st.parse_body(b, true);
                Step::Done
            });
            Node::Text(String::new())
        }
        "raw" => {
            let body = st.raw_body(name, line);
            if !markup.trim().is_empty() {
                st.error(line, "Syntax Error in 'raw' - Valid syntax: raw".into());
                return Some(Node::Error(line));
            }
            Node::Raw(body)
        }
        "echo" => {
            match st.switch(
                line,
                "",
                || Output::strict(markup),
                || Some(Output::lax(markup)),
            ) {
                Some(out) => Node::Output(out, line),
                None => Node::Error(line),
            }
        }
        "break" => Node::Break,
        "continue" => Node::Continue,
        "ifchanged" => match simple_block(st, name, line) {
            Some(b) => Node::IfChanged(b),
            None => Node::Error(line),
        },
        _ => return None,
    })
}

/// A block with one body closed by `end<name>`.
fn simple_block(st: &mut ParseState<'_, '_>, name: &str, line: usize) -> Option<Block> {
    let end = format!("end{name}");
    st.sub_block(line, name, |st, b| {
        let e = st.parse_body(b, false);
        if e.name.as_deref() == Some(end.as_str()) {
            Step::Done
        } else {
            Step::End(e)
        }
    })
}

fn assign(st: &mut ParseState<'_, '_>, markup: &str, line: usize) -> Node {
    let Some(c) = lax::ASSIGN.captures(markup) else {
        st.error(
            line,
            "Syntax Error in 'assign' - Valid syntax: assign [var] = [source]".into(),
        );
        return Node::Error(line);
    };
    let m = &c[2];
    match st.switch(line, "", || Output::strict(m), || Some(Output::lax(m))) {
        Some(out) => Node::Assign(c[1].to_string(), out, line),
        None => Node::Error(line),
    }
}

fn capture(st: &mut ParseState<'_, '_>, markup: &str, line: usize) -> Node {
    let to = lax::CAPTURE.captures(markup).map(|c| c[1].to_string());
    let body = simple_block(st, "capture", line);
    match (to, body) {
        (Some(to), Some(body)) => Node::Capture(to, body),
        (None, _) => {
            st.error(
                line,
                "Syntax Error in 'capture' - Valid syntax: capture [var]".into(),
            );
            Node::Error(line)
        }
        _ => Node::Error(line),
    }
}

fn condition(st: &mut ParseState<'_, '_>, markup: &str, line: usize) -> Option<Condition> {
    st.switch(
        line,
        "Syntax Error in tag 'if' - Valid syntax: if [expression]",
        || Condition::strict(markup),
        || Condition::lax(markup),
    )
}

/// Drops whitespace text from the bodies of a blank block (remove_blank_strings).
fn remove_blank_strings(bodies: &mut [&mut Block]) {
    if bodies.iter().all(|b| b.blank) {
        for b in bodies {
            b.nodes.retain(|n| !matches!(n, Node::Text(_)));
        }
    }
}

fn if_tag(st: &mut ParseState<'_, '_>, name: &str, markup: &str, line: usize) -> Node {
    let mut ok = true;
    let first = condition(st, markup, line);
    ok &= first.is_some();
    let mut branches: Vec<(Option<Condition>, Block)> = Vec::new();
    let mut pending = first;
    let end = format!("end{name}");
    let last = st.sub_block(line, name, |st, b| {
        let e = st.parse_body(b, false);
        match e.name.as_deref() {
            Some(n) if n == end => Step::Done,
            Some("elsif") | Some("else") => {
                let cond = if e.name.as_deref() == Some("else") {
                    None
                } else {
                    let c = condition(st, &e.markup, e.line);
                    ok &= c.is_some();
                    c
                };
                branches.push((pending.take(), std::mem::take(b)));
                pending = cond;
                Step::Continue
            }
            _ => Step::End(e),
        }
    });
    let Some(last) = last else {
        return Node::Error(line);
    };
    branches.push((pending, last));
    if !ok {
        return Node::Error(line);
    }
    let mut bodies: Vec<&mut Block> = branches.iter_mut().map(|(_, b)| b).collect();
    remove_blank_strings(&mut bodies);
    Node::If(branches, name == "unless", line)
}

fn case_tag(st: &mut ParseState<'_, '_>, markup: &str, line: usize) -> Node {
    let left = lax::CASE.captures(markup).map(|c| expression::parse(&c[1]));
    if left.is_none() {
        st.error(
            line,
            "Syntax Error in 'case' - Valid syntax: case [condition]".into(),
        );
    }
    let left_expr = left.clone().unwrap_or(Expr::Lit(Value::Nil));
    let mut bodies: Vec<Block> = Vec::new();
    let mut conds: Vec<(Option<Condition>, usize)> = Vec::new();
    let mut first = true;
    let last = st.sub_block(line, "case", |st, b| {
        let e = st.parse_body(b, false);
        match e.name.as_deref() {
            Some("endcase") => Step::Done,
            Some(n @ ("when" | "else")) => {
                let body = std::mem::take(b);
                if !first {
                    bodies.push(body);
                }
                first = false;
                let idx = bodies.len();
                if n == "when" {
                    for v in when_values(st, &e.markup, e.line) {
                        conds.push((Some(Condition::equals(left_expr.clone(), v)), idx));
                    }
                } else {
                    if !e.markup.trim().is_empty() {
                        st.error(e.line, "Syntax Error in tag 'case' - Valid else condition: {% else %} (no parameters) ".into());
                    }
                    conds.push((None, idx));
                }
                Step::Continue
            }
            _ => Step::End(e),
        }
    });
    let Some(last) = last else {
        return Node::Error(line);
    };
    if !first {
        bodies.push(last);
    }
    if left.is_none() {
        return Node::Error(line);
    }
    let mut refs: Vec<&mut Block> = bodies.iter_mut().collect();
    remove_blank_strings(&mut refs);
    Node::Case(conds, bodies, line)
}

/// tag_case.rb record_when_condition: `a, b or c`.
fn when_values(st: &mut ParseState<'_, '_>, markup: &str, line: usize) -> Vec<Operand> {
    let mut out = Vec::new();
    let mut rest = Some(markup);
    while let Some(m) = rest.take() {
        let Some(c) = lax::WHEN.captures(m) else {
            st.error(line, "Syntax Error in tag 'case' - Valid when condition: {% when [condition] [or condition2...] %}".into());
            break;
        };
        out.push(Operand::parse(&c[1]));
        rest = c.get(2).map(|g| &m[g.start()..]);
    }
    out
}

fn for_tag(st: &mut ParseState<'_, '_>, markup: &str, line: usize) -> Node {
    let head = st.switch(
        line,
        "Syntax Error in 'for loop' - Valid syntax: for [item] in [collection]",
        || for_strict(markup),
        || for_lax(markup),
    );
    let mut else_body: Option<Block> = None;
    let mut in_else = false;
    let mut main = Block::new();
    let last = st.sub_block(line, "for", |st, b| {
        let e = st.parse_body(b, false);
        match e.name.as_deref() {
            Some("endfor") => Step::Done,
            Some("else") if !in_else => {
                in_else = true;
                main = std::mem::take(b);
                Step::Continue
            }
            _ => Step::End(e),
        }
    });
    let Some(last) = last else {
        return Node::Error(line);
    };
    let Some(mut f) = head else {
        return Node::Error(line);
    };
    if in_else {
        f.body = main;
        else_body = Some(last);
    } else {
        f.body = last;
    }
    f.else_body = else_body;
    let mut refs: Vec<&mut Block> = vec![&mut f.body];
    if let Some(e) = f.else_body.as_mut() {
        refs.push(e);
    }
    remove_blank_strings(&mut refs);
    Node::For(Box::new(f), line)
}

fn new_for(var: &str, coll_markup: &str) -> ForLoop {
    ForLoop {
        var: var.to_string(),
        collection: expression::parse(coll_markup),
        name: format!("{var}-{coll_markup}"),
        reversed: false,
        limit: None,
        offset: Offset::None,
        body: Block::new(),
        else_body: None,
    }
}

fn set_attribute(f: &mut ForLoop, key: &str, value: &str) {
    match key {
        "offset" if value == "continue" => f.offset = Offset::Continue,
        "offset" => f.offset = Offset::Expr(expression::parse(value)),
        "limit" => f.limit = Some(expression::parse(value)),
        _ => {}
    }
}

fn for_strict(markup: &str) -> Result<ForLoop, String> {
    let mut p = Parser::new(markup)?;
    let var = p.consume(Kind::Id)?;
    if !p.id("in") {
        return Err("For loops require an 'in' clause".into());
    }
    let coll = p.expression()?;
    let mut f = new_for(var, &coll);
    f.reversed = p.id("reversed");
    while p.look(Kind::Id, 0) && p.look(Kind::Colon, 1) {
        let attr = if p.id("limit") {
            "limit"
        } else if p.id("offset") {
            "offset"
        } else {
            return Err(
                "Invalid attribute in for loop. Valid attributes are limit and offset".into(),
            );
        };
        p.consume_any()?;
        let v = p.expression()?;
        set_attribute(&mut f, attr, &v);
    }
    p.consume(Kind::End)?;
    Ok(f)
}

fn for_lax(markup: &str) -> Option<ForLoop> {
    let c = lax::FOR.captures(markup)?;
    let mut f = new_for(&c[1], &c[2]);
    f.reversed = c.get(3).is_some();
    for a in lax::TAG_ATTRIBUTES.captures_iter(markup) {
        set_attribute(&mut f, &a[1], &a[2]);
    }
    Some(f)
}

fn tablerow(st: &mut ParseState<'_, '_>, markup: &str, line: usize) -> Node {
    let head = lax::TABLEROW.captures(markup).map(|c| {
        let attrs = lax::TAG_ATTRIBUTES
            .captures_iter(markup)
            .map(|a| (a[1].to_string(), expression::parse(&a[2])))
            .collect();
        (c[1].to_string(), expression::parse(&c[2]), attrs)
    });
    let body = simple_block(st, "tablerow", line);
    match (head, body) {
        (Some((var, collection, attrs)), Some(body)) => Node::TableRow(
            Box::new(TableRow {
                var,
                collection,
                attrs,
                body,
            }),
            line,
        ),
        (None, _) => {
            st.error(line, "Syntax Error in 'table_row loop' - Valid syntax: table_row [item] in [collection] cols=3".into());
            Node::Error(line)
        }
        _ => Node::Error(line),
    }
}

fn cycle(st: &mut ParseState<'_, '_>, markup: &str, line: usize) -> Node {
    let values_of = |m: &str| -> Vec<Expr> {
        m.split(',')
            .filter_map(|v| {
                lax::QUOTED_FRAGMENT
                    .find(v)
                    .map(|f| expression::parse(f.as_str()))
            })
            .collect()
    };
    if let Some(c) = lax::CYCLE_NAMED.captures(markup) {
        let values = values_of(&c[2]);
        return Node::Cycle(CycleKey::Named(expression::parse(&c[1])), values, line);
    }
    if lax::CYCLE_SIMPLE.is_match(markup) {
        let values = values_of(markup);
        let key = if values.iter().all(|v| matches!(v, Expr::Lit(_))) {
            let lits: Vec<Value> = values
                .iter()
                .filter_map(|v| match v {
                    Expr::Lit(l) => Some(l.clone()),
                    _ => None,
                })
                .collect();
            Value::array(lits).inspect()
        } else {
            // A variable's inspect holds its object id: no two tags share it.
            format!("#<cycle {}>", st.next_id())
        };
        return Node::Cycle(CycleKey::Fixed(key), values, line);
    }
    st.error(
        line,
        "Syntax Error in 'cycle' - Valid syntax: cycle [name :] var [, var2, var3 ...]".into(),
    );
    Node::Error(line)
}

#[cfg(test)]
mod tests {
    use crate::render_test as r;
    use serde_json::json;

    // tag_case.rb: `when a, b` / `when a or b`; every matching when renders.
    #[test]
    fn case_when() {
        let src = "{% case x %}{% when 1, 2 %}low{% when 2 %}two{% else %}other{% endcase %}";
        assert_eq!(r(src, json!({"x": 2})), "lowtwo");
        assert_eq!(
            r("{% case 1 %}{% when 1, 1 %}x{% endcase %}", json!({})),
            "xx"
        );
        assert_eq!(r(src, json!({"x": 9})), "other");
    }

    // tag_for.rb strict_parse accepts `x?` identifiers; lax takes over on junk.
    #[test]
    fn for_heads() {
        assert_eq!(
            r("{% for x? in (1..2) %}{{ x? }}{% endfor %}", json!({})),
            "12"
        );
        assert_eq!(
            r(
                "{% for x in (1..3) limit: 1 junk %}{{ x }}{% endfor %}",
                json!({})
            ),
            "1"
        );
    }

    // tag_unless.rb: the first condition negated, elsif as in if.
    #[test]
    fn unless() {
        assert_eq!(r("{% unless false %}a{% endunless %}", json!({})), "a");
        assert_eq!(
            r(
                "{% unless true %}a{% elsif true %}b{% endunless %}",
                json!({})
            ),
            "b"
        );
    }

    // tag_assign.rb: any VariableSignature as target, even `blank`.
    #[test]
    fn assign_targets() {
        assert_eq!(
            r(
                "{% assign blank = 'x' %}{{ blank }}|{% if blank == '' %}e{% endif %}",
                json!({})
            ),
            "|"
        );
    }
}
