//! Rendering (context.rb, block_body.rb and the tags' render methods): the
//! scope stack, `forloop` / `tablerowloop`, registers for `cycle`,
//! `increment`, `for offset: continue` and `ifchanged`, break/continue.

use crate::expression::{self, Expr};
use crate::number::{ruby_to_i, to_integer};
use crate::parse::{Block, CycleKey, ForLoop, Node, Offset, TableRow};
use crate::value::{Hash, Value};
use crate::{Diagnostic, Engine, Template};
use std::collections::HashMap;

/// An error that stops the whole render (a resource limit).
#[derive(Debug, Clone)]
pub struct Fatal(pub String);

enum Interrupt {
    Break,
    Continue,
}

/// The render context handed to host tags and filters.
pub struct Context<'e> {
    engine: &'e Engine,
    globals: &'e Hash,
    /// `increment`/`decrement` counters (Ruby writes them into the first
    /// environment, beside the globals, not into the assign scope).
    pub(crate) counters: Hash,
    /// Scopes, outermost first: `assign` writes to the outermost.
    scopes: Vec<Hash>,
    cycles: HashMap<String, usize>,
    for_offsets: HashMap<String, i64>,
    ifchanged: Option<String>,
    forloops: Vec<Value>,
    /// Pending break/continue, a stack as in Ruby (a `break` in a tablerow
    /// is never taken off, so each iteration adds one).
    interrupts: Vec<Interrupt>,
    pub(crate) diagnostics: Vec<Diagnostic>,
    iterations: u64,
    work: u64,
    /// Nesting of blocks and templates being rendered.
    depth: usize,
    /// Name of the template being rendered, for diagnostics.
    template: Option<std::sync::Arc<str>>,
    /// A limit was hit: the render stops, whatever a host tag does with it.
    fatal: Option<Fatal>,
    line: usize,
}

impl<'e> Context<'e> {
    pub(crate) fn new(engine: &'e Engine, globals: &'e Hash, counters: Hash) -> Self {
        Context {
            engine,
            globals,
            counters,
            scopes: vec![Hash::new()],
            cycles: HashMap::new(),
            for_offsets: HashMap::new(),
            ifchanged: None,
            forloops: Vec::new(),
            interrupts: Vec::new(),
            diagnostics: Vec::new(),
            iterations: 0,
            work: 0,
            depth: 0,
            fatal: None,
            template: None,
            line: 1,
        }
    }

    /// The engine (for its filters, tags and limits).
    pub fn engine(&self) -> &'e Engine {
        self.engine
    }

    /// The line of the node being rendered.
    pub fn line(&self) -> usize {
        self.line
    }

    /// A variable by name: scopes innermost first, then counters and globals.
    pub fn find_variable(&self, name: &str) -> Value {
        self.lookup_variable(name).unwrap_or_default()
    }

    /// A variable by name, `None` when it is nowhere.
    pub fn lookup_variable(&self, name: &str) -> Option<Value> {
        for s in self.scopes.iter().rev() {
            if let Some(v) = s.get(name) {
                return Some(v.clone());
            }
        }
        if let Some(v) = self.counters.get(name) {
            return Some(v.clone());
        }
        self.globals.get(name).cloned()
    }

    /// Evaluates an expression written in Liquid (`page.title`, `'x'`,
    /// `(1..n)`); nil when it cannot be evaluated.
    pub fn evaluate_markup(&mut self, markup: &str) -> Value {
        expression::parse(markup).eval(self).unwrap_or(Value::Nil)
    }

    /// Evaluates a parsed expression.
    pub fn evaluate(&mut self, expr: &Expr) -> Result<Value, String> {
        expr.eval(self)
    }

    /// Sets a variable in the innermost scope (Ruby `context[name] = value`).
    pub fn set(&mut self, name: &str, value: Value) {
        if let Some(s) = self.scopes.last_mut() {
            s.insert(name.to_string(), value);
        }
    }

    /// Opens a scope (for an include's `include` variable).
    pub fn push_scope(&mut self) {
        self.scopes.push(Hash::new());
    }

    /// Closes the scope opened by `push_scope`; the outermost stays.
    pub fn pop_scope(&mut self) {
        if self.scopes.len() > 1 {
            self.scopes.pop();
        }
    }

    /// Records a render error at the current line.
    pub fn error(&mut self, message: String) {
        self.diagnostics.push(Diagnostic {
            template: self.template.clone(),
            line: self.line,
            message,
            warning: false,
        });
    }

    /// Renders another template (an include) into `out`, in this context,
    /// one level deeper; `Err` stops the whole render.
    pub fn render_template(&mut self, t: &Template, out: &mut String) -> Result<(), Fatal> {
        let line = self.line;
        let outer = std::mem::replace(&mut self.template, t.name.clone());
        let r = self.render_block(&t.root, out);
        self.template = outer;
        self.line = line;
        r
    }

    /// Counts work (see `Limits::max_work`); past the limit the render stops.
    pub fn charge(&mut self, units: usize) -> Result<(), String> {
        self.work = self.work.saturating_add(units as u64 + 1);
        if self.work > self.engine.limits.max_work {
            return Err(self.stop("Memory limits exceeded (too much work)").0);
        }
        Ok(())
    }

    fn stop(&mut self, message: &str) -> Fatal {
        let f = Fatal(message.to_string());
        self.fatal = Some(f.clone());
        f
    }

    /// Calls a filter; an unknown filter passes its input through
    /// (`strict_filters: false`).
    pub fn invoke_filter(
        &mut self,
        name: &str,
        input: Value,
        args: &[Value],
    ) -> Result<Value, String> {
        match self.engine.filters.get(name).cloned() {
            Some(f) => {
                let v = f(&input, args, self)?;
                let units = match &v {
                    Value::Array(a) => a.len(),
                    Value::Str(s) => s.len() / 8,
                    _ => 0,
                };
                self.charge(units)?;
                Ok(v)
            }
            None if self.engine.strict_filters => Err(format!("undefined filter {name}")),
            None => Ok(input),
        }
    }

    /// Renders a block's nodes (BlockBody#render_to_output_buffer).
    pub fn render_block(&mut self, block: &Block, out: &mut String) -> Result<(), Fatal> {
        if let Some(f) = &self.fatal {
            return Err(f.clone());
        }
        // Templates (includes) and blocks together: Liquid's MAX_DEPTH for
        // one template, and as much again for the templates it brings in.
        if self.depth >= self.engine.limits.max_depth * 2 {
            return Err(self.stop("Nesting too deep"));
        }
        self.depth += 1;
        let r = self.render_nodes(block, out);
        self.depth -= 1;
        r
    }

    fn render_nodes(&mut self, block: &Block, out: &mut String) -> Result<(), Fatal> {
        for node in &block.nodes {
            match node {
                Node::Text(t) => out.push_str(t),
                Node::Raw(t) => out.push_str(t),
                n => {
                    self.render_node(n, out)?;
                    if let Some(f) = &self.fatal {
                        return Err(f.clone());
                    }
                    if !self.interrupts.is_empty() {
                        break;
                    }
                }
            }
            if out.len() > self.engine.limits.max_output {
                return Err(self.stop("Memory limits exceeded (output too large)"));
            }
        }
        Ok(())
    }

    fn render_node(&mut self, node: &Node, out: &mut String) -> Result<(), Fatal> {
        let r: Result<(), String> = match node {
            Node::Output(o, line) => {
                self.line = *line;
                let before = out.len();
                o.eval(self)
                    .map(|v| v.write_output(out))
                    .and_then(|()| self.charge((out.len() - before) / 8))
            }
            Node::Assign(to, o, line) => {
                self.line = *line;
                match o.eval(self) {
                    Ok(v) => self.assign(to, v),
                    Err(e) => Err(e),
                }
            }
            Node::Capture(to, body) => {
                let mut buf = String::new();
                self.render_block(body, &mut buf)?;
                self.assign(to, Value::string(buf))
            }
            Node::If(branches, unless, line) => {
                self.line = *line;
                return self.render_if(branches, *unless, out);
            }
            Node::Case(conds, bodies, line) => {
                self.line = *line;
                return self.render_case(conds, bodies, out);
            }
            Node::For(f, line) => {
                self.line = *line;
                return self.render_for(f, out);
            }
            Node::TableRow(t, line) => {
                self.line = *line;
                return self.render_tablerow(t, out);
            }
            Node::Cycle(key, values, line) => {
                self.line = *line;
                self.render_cycle(key, values, out)
            }
            Node::Counter(name, up) => {
                self.counter(name, *up, out);
                Ok(())
            }
            Node::IfChanged(body) => {
                let mut buf = String::new();
                self.render_block(body, &mut buf)?;
                if self.ifchanged.as_deref() != Some(buf.as_str()) {
                    out.push_str(&buf);
                    self.ifchanged = Some(buf);
                }
                Ok(())
            }
            Node::Break => {
                self.interrupts.push(Interrupt::Break);
                Ok(())
            }
            Node::Continue => {
                self.interrupts.push(Interrupt::Continue);
                Ok(())
            }
            Node::Custom(c) => {
                self.line = c.line;
                let call = crate::TagCall {
                    name: &c.name,
                    markup: &c.markup,
                    line: c.line,
                    body: c.body.as_ref(),
                    raw: c.raw.as_deref(),
                };
                let r = c.tag.render(&call, self, out);
                if let Some(f) = &self.fatal {
                    return Err(f.clone());
                }
                r
            }
            Node::Text(_) | Node::Raw(_) | Node::Error(_) => Ok(()),
        };
        if let Err(e) = r {
            self.error(e);
        }
        Ok(())
    }

    fn assign(&mut self, to: &str, v: Value) -> Result<(), String> {
        if let Value::Str(s) = &v {
            if s.len() > self.engine.limits.max_output / 4 {
                return Err("Memory limits exceeded (assigned value too large)".into());
            }
        }
        self.scopes[0].insert(to.to_string(), v);
        Ok(())
    }

    fn render_if(
        &mut self,
        branches: &[(Option<crate::condition::Condition>, Block)],
        unless: bool,
        out: &mut String,
    ) -> Result<(), Fatal> {
        for (i, (cond, body)) in branches.iter().enumerate() {
            let mut result = match cond {
                None => true,
                Some(c) => match c.eval(self) {
                    Ok(b) => b,
                    Err(e) => {
                        self.error(e);
                        return Ok(());
                    }
                },
            };
            if unless && i == 0 {
                result = !result;
            }
            if result {
                return self.render_block(body, out);
            }
        }
        Ok(())
    }

    fn render_case(
        &mut self,
        conds: &[(Option<crate::condition::Condition>, usize)],
        bodies: &[Block],
        out: &mut String,
    ) -> Result<(), Fatal> {
        let mut run_else = true;
        for (cond, idx) in conds {
            let Some(body) = bodies.get(*idx) else {
                continue;
            };
            match cond {
                None if run_else => self.render_block(body, out)?,
                None => {}
                Some(c) => match c.eval(self) {
                    Ok(true) => {
                        run_else = false;
                        self.render_block(body, out)?;
                    }
                    Ok(false) => {}
                    Err(e) => {
                        self.error(e);
                        return Ok(());
                    }
                },
            }
        }
        Ok(())
    }

    fn count_iteration(&mut self) -> Result<(), Fatal> {
        self.iterations += 1;
        if self.iterations > self.engine.limits.max_iterations {
            return Err(Fatal(
                "Memory limits exceeded (too many loop iterations)".into(),
            ));
        }
        Ok(())
    }

    fn for_segment(&mut self, f: &ForLoop) -> Result<Segment, String> {
        let from = match &f.offset {
            Offset::Continue => self.for_offsets.get(&f.name).copied().unwrap_or(0),
            Offset::None => 0,
            Offset::Expr(e) => match e.eval(self)? {
                Value::Nil => 0,
                v => to_integer(&v)?,
            },
        };
        let collection = f.collection.eval(self)?;
        let to = match &f.limit {
            None => None,
            Some(e) => match e.eval(self)? {
                Value::Nil => None,
                v => Some(to_integer(&v)?.saturating_add(from)),
            },
        };
        let mut segment = Segment::slice(&collection, from, to);
        if f.reversed {
            segment.reverse();
        }
        self.for_offsets
            .insert(f.name.clone(), from.saturating_add(segment.len()));
        Ok(segment)
    }

    fn render_for(&mut self, f: &ForLoop, out: &mut String) -> Result<(), Fatal> {
        let segment = match self.for_segment(f) {
            Ok(s) => s,
            Err(e) => {
                self.error(e);
                return Ok(());
            }
        };
        if segment.len() == 0 {
            if let Some(e) = &f.else_body {
                self.render_block(e, out)?;
            }
            return Ok(());
        }
        let parent = self.forloops.last().cloned().unwrap_or(Value::Nil);
        let len = segment.len();
        self.scopes.push(Hash::new());
        let mut result = Ok(());
        for i in 0..len {
            if let Err(e) = self.count_iteration() {
                result = Err(e);
                break;
            }
            let item = segment.get(i);
            let fl = forloop(&f.name, len, i, &parent);
            self.forloops.push(fl.clone());
            self.set("forloop", fl);
            self.set(&f.var, item);
            let r = self.render_block(&f.body, out);
            self.forloops.pop();
            if let Err(e) = r {
                result = Err(e);
                break;
            }
            if let Some(Interrupt::Break) = self.interrupts.pop() {
                break;
            }
        }
        self.scopes.pop();
        result
    }

    fn render_tablerow(&mut self, t: &TableRow, out: &mut String) -> Result<(), Fatal> {
        match self.tablerow(t, out) {
            Ok(r) => r,
            Err(e) => {
                self.error(e);
                Ok(())
            }
        }
    }

    fn attr(&mut self, t: &TableRow, key: &str) -> Result<Option<i64>, String> {
        match t.attrs.iter().find(|(k, _)| k == key) {
            None => Ok(None),
            Some((_, e)) => Ok(Some(value_to_i(&e.eval(self)?))),
        }
    }

    fn tablerow(&mut self, t: &TableRow, out: &mut String) -> Result<Result<(), Fatal>, String> {
        let collection = t.collection.eval(self)?;
        if !collection.truthy() {
            return Ok(Ok(()));
        }
        let from = self.attr(t, "offset")?.unwrap_or(0);
        let to = self.attr(t, "limit")?.map(|l| from.saturating_add(l));
        let items = Segment::slice(&collection, from, to);
        let cols = self.attr(t, "cols")?.unwrap_or(0);
        let len = items.len();
        out.push_str("<tr class=\"row1\">\n");
        self.scopes.push(Hash::new());
        let (mut row, mut col) = (1i64, 1i64);
        let mut result = Ok(());
        for i in 0..len {
            if let Err(e) = self.count_iteration() {
                result = Err(e);
                break;
            }
            let item = items.get(i);
            self.set("tablerowloop", tablerowloop(len, i, row, col, cols));
            self.set(&t.var, item);
            out.push_str(&format!("<td class=\"col{col}\">"));
            if let Err(e) = self.render_block(&t.body, out) {
                result = Err(e);
                break;
            }
            out.push_str("</td>");
            if col == cols && i != len - 1 {
                out.push_str(&format!("</tr>\n<tr class=\"row{}\">", row + 1));
            }
            if col == cols {
                col = 1;
                row += 1;
            } else {
                col += 1;
            }
        }
        self.scopes.pop();
        out.push_str("</tr>\n");
        Ok(result)
    }

    fn render_cycle(
        &mut self,
        key: &CycleKey,
        values: &[Expr],
        out: &mut String,
    ) -> Result<(), String> {
        let key = match key {
            CycleKey::Fixed(s) => s.clone(),
            CycleKey::Named(e) => e.eval(self)?.inspect(),
        };
        let iteration = self.cycles.get(&key).copied().unwrap_or(0);
        let v = match values.get(iteration) {
            Some(e) => e.eval(self)?,
            None => Value::Nil,
        };
        v.write_output(out);
        let next = if iteration + 1 >= values.len() {
            0
        } else {
            iteration + 1
        };
        self.cycles.insert(key, next);
        Ok(())
    }

    fn counter(&mut self, name: &str, up: bool, out: &mut String) {
        let current = match self.counters.get(name).or_else(|| self.globals.get(name)) {
            Some(Value::Int(i)) => *i,
            _ => 0,
        };
        let (shown, stored) = if up {
            (current, current.saturating_add(1))
        } else {
            (current.saturating_sub(1), current.saturating_sub(1))
        };
        out.push_str(&shown.to_string());
        self.counters.insert(name.to_string(), Value::Int(stored));
    }
}

/// Ruby `to_i` on a value (tablerow's attributes).
fn value_to_i(v: &Value) -> i64 {
    match v {
        Value::Int(i) => *i,
        Value::Float(f) => *f as i64,
        Value::Str(s) => ruby_to_i(s),
        _ => 0,
    }
}

/// The items a loop goes over (Utils.slice_collection). A range stays a
/// range, so a loop over `(1..1000000000)` runs into the iteration limit
/// instead of building a billion values.
enum Segment {
    Items(Vec<Value>),
    Range {
        first: i64,
        len: i64,
        reversed: bool,
    },
}

impl Segment {
    /// Items `from <= index < to` of `c`; a string is one item, what cannot
    /// be iterated is none.
    fn slice(c: &Value, from: i64, to: Option<i64>) -> Segment {
        match c {
            Value::Str(s) => Segment::Items(if s.is_empty() {
                Vec::new()
            } else {
                vec![c.clone()]
            }),
            Value::Range(a, b) => {
                let count = (*b as i128 - *a as i128 + 1).max(0);
                let lower = (from as i128).max(0);
                let upper = to.map_or(count, |t| (t as i128).min(count));
                let len = (upper - lower).max(0);
                Segment::Range {
                    first: (*a as i128 + lower).clamp(i64::MIN as i128, i64::MAX as i128) as i64,
                    len: len.min(i64::MAX as i128) as i64,
                    reversed: false,
                }
            }
            v => Segment::Items(
                v.each_items()
                    .unwrap_or_default()
                    .into_iter()
                    .enumerate()
                    .take_while(|(i, _)| to.is_none_or(|t| (*i as i64) < t))
                    .filter(|(i, _)| from <= *i as i64)
                    .map(|(_, v)| v)
                    .collect(),
            ),
        }
    }

    fn len(&self) -> i64 {
        match self {
            Segment::Items(v) => v.len() as i64,
            Segment::Range { len, .. } => *len,
        }
    }

    fn reverse(&mut self) {
        match self {
            Segment::Items(v) => v.reverse(),
            Segment::Range { reversed, .. } => *reversed = !*reversed,
        }
    }

    fn get(&self, i: i64) -> Value {
        match self {
            Segment::Items(v) => v.get(i as usize).cloned().unwrap_or_default(),
            Segment::Range {
                first,
                len,
                reversed,
            } => {
                let k = if *reversed { len - 1 - i } else { i };
                Value::Int(first.saturating_add(k))
            }
        }
    }
}

fn forloop(name: &str, len: i64, i: i64, parent: &Value) -> Value {
    let mut h = Hash::new();
    h.insert("name".into(), Value::str(name));
    h.insert("length".into(), Value::Int(len));
    h.insert("index".into(), Value::Int(i + 1));
    h.insert("index0".into(), Value::Int(i));
    h.insert("rindex".into(), Value::Int(len - i));
    h.insert("rindex0".into(), Value::Int(len - i - 1));
    h.insert("first".into(), Value::Bool(i == 0));
    h.insert("last".into(), Value::Bool(i == len - 1));
    h.insert("parentloop".into(), parent.clone());
    Value::hash(h)
}

fn tablerowloop(len: i64, i: i64, row: i64, col: i64, cols: i64) -> Value {
    let mut h = Hash::new();
    h.insert("length".into(), Value::Int(len));
    h.insert("index".into(), Value::Int(i + 1));
    h.insert("index0".into(), Value::Int(i));
    h.insert("rindex".into(), Value::Int(len - i));
    h.insert("rindex0".into(), Value::Int(len - i - 1));
    h.insert("first".into(), Value::Bool(i == 0));
    h.insert("last".into(), Value::Bool(i == len - 1));
    h.insert("row".into(), Value::Int(row));
    h.insert("col".into(), Value::Int(col));
    h.insert("col0".into(), Value::Int(col - 1));
    h.insert("col_first".into(), Value::Bool(col == 1));
    h.insert("col_last".into(), Value::Bool(col == cols));
    Value::hash(h)
}

#[cfg(test)]
mod tests {
    use crate::render_test as r;
    use serde_json::json;

    // tag_assign.rb: assign writes to the outermost scope, so it outlives the loop.
    #[test]
    fn assign_outlives_loops() {
        assert_eq!(
            r(
                "{% for i in (1..2) %}{% assign x = i %}{% endfor %}{{ x }}",
                json!({})
            ),
            "2"
        );
    }

    // tag_for.rb: limit/offset, offset: continue (registers[:for]), reversed, else.
    #[test]
    fn for_loops() {
        let src = "{% for i in (1..6) limit:2 %}{{ i }}{% endfor %}|{% for i in (1..6) offset:continue limit:2 %}{{ i }}{% endfor %}";
        assert_eq!(r(src, json!({})), "12|34");
        assert_eq!(
            r(
                "{% for i in (1..3) reversed %}{{ forloop.rindex }}{{ i }}{% endfor %}",
                json!({})
            ),
            "332211"
        );
        assert_eq!(
            r(
                "{% for i in x %}a{% else %}none{% endfor %}",
                json!({"x": []})
            ),
            "none"
        );
        // A hash iterates as [key, value] pairs; a string is one item.
        assert_eq!(
            r(
                "{% for p in h %}{{ p[0] }}={{ p[1] }};{% endfor %}",
                json!({"h": {"a": 1}})
            ),
            "a=1;"
        );
        assert_eq!(
            r("{% for c in 'abc' %}[{{ c }}]{% endfor %}", json!({})),
            "[abc]"
        );
        assert_eq!(
            r(
                "{% for i in (1..3) %}{% if i == 2 %}{% continue %}{% endif %}{{ i }}{% endfor %}",
                json!({})
            ),
            "13"
        );
        assert_eq!(
            r(
                "{% for i in (1..3) %}{{ forloop.parentloop.index }}{% endfor %}",
                json!({})
            ),
            ""
        );
    }

    // tag_table_row.rb: rows of `cols` cells.
    #[test]
    fn tablerow() {
        assert_eq!(
            r("{% tablerow i in (1..3) cols:2 %}{{ i }}{% endtablerow %}", json!({})),
            "<tr class=\"row1\">\n<td class=\"col1\">1</td><td class=\"col2\">2</td></tr>\n<tr class=\"row2\"><td class=\"col1\">3</td></tr>\n"
        );
    }

    // tag_cycle.rb: literal lists share a position; named groups have their own.
    #[test]
    fn cycle_and_counters() {
        assert_eq!(
            r(
                "{% cycle 'a', 'b' %}{% cycle 'a', 'b' %}{% cycle 'a', 'b' %}",
                json!({})
            ),
            "aba"
        );
        assert_eq!(
            r("{% cycle 'g': 1, 2 %}{% cycle 'h': 1, 2 %}", json!({})),
            "11"
        );
        // tag_increment.rb: counters live beside the assigns, not in them.
        assert_eq!(
            r(
                "{% assign n = 5 %}{% increment n %}{% increment n %}{{ n }}",
                json!({})
            ),
            "015"
        );
    }

    #[test]
    fn capture_ifchanged() {
        assert_eq!(
            r(
                "{% capture x %}a{{ 1 }}{% endcapture %}[{{ x }}]",
                json!({})
            ),
            "[a1]"
        );
        assert_eq!(r("{% for i in (1..4) %}{% ifchanged %}{{ i | divided_by: 2 }}{% endifchanged %}{% endfor %}", json!({})), "012");
    }
}
