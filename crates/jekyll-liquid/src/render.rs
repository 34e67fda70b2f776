//! Rendering (context.rb, block_body.rb and the tags' render methods): the
//! scope stack, `forloop` / `tablerowloop`, registers for `cycle`,
//! `increment`, `for offset: continue` and `ifchanged`, break/continue.

use crate::expression::{self, Expr};
use crate::number::{ruby_to_i, to_integer};
use crate::parse::{Block, CycleKey, ForLoop, Node, Offset, TableRow};
use crate::value::{range_items, Hash, Value};
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
    /// Nesting of blocks and templates being rendered.
    depth: usize,
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
            depth: 0,
            fatal: None,
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
        for s in self.scopes.iter().rev() {
            if let Some(v) = s.get(name) {
                return v.clone();
            }
        }
        if let Some(v) = self.counters.get(name) {
            return v.clone();
        }
        self.globals.get(name).cloned().unwrap_or(Value::Nil)
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
            line: self.line,
            message,
            warning: false,
        });
    }

    /// Renders another template (an include) into `out`, in this context,
    /// one level deeper; `Err` stops the whole render.
    pub fn render_template(&mut self, t: &Template, out: &mut String) -> Result<(), Fatal> {
        let line = self.line;
        let r = self.render_block(&t.root, out);
        self.line = line;
        r
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
            Some(f) => f(&input, args, self),
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
                o.eval(self).map(|v| v.write_output(out))
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

    fn for_segment(&mut self, f: &ForLoop) -> Result<Vec<Value>, String> {
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
        let mut segment = slice_collection(&collection, from, to);
        if f.reversed {
            segment.reverse();
        }
        self.for_offsets
            .insert(f.name.clone(), from + segment.len() as i64);
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
        if segment.is_empty() {
            if let Some(e) = &f.else_body {
                self.render_block(e, out)?;
            }
            return Ok(());
        }
        let parent = self.forloops.last().cloned().unwrap_or(Value::Nil);
        let len = segment.len() as i64;
        self.scopes.push(Hash::new());
        let mut result = Ok(());
        for (i, item) in segment.into_iter().enumerate() {
            if let Err(e) = self.count_iteration() {
                result = Err(e);
                break;
            }
            let fl = forloop(&f.name, len, i as i64, &parent);
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
        let items = slice_collection(&collection, from, to);
        let cols = self.attr(t, "cols")?.unwrap_or(0);
        let len = items.len() as i64;
        out.push_str("<tr class=\"row1\">\n");
        self.scopes.push(Hash::new());
        let (mut row, mut col) = (1i64, 1i64);
        let mut result = Ok(());
        for (i, item) in items.into_iter().enumerate() {
            if let Err(e) = self.count_iteration() {
                result = Err(e);
                break;
            }
            let i = i as i64;
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

/// Utils.slice_collection: a string is one item; what cannot be iterated is none.
pub fn slice_collection(c: &Value, from: i64, to: Option<i64>) -> Vec<Value> {
    if let Value::Str(s) = c {
        return if s.is_empty() {
            Vec::new()
        } else {
            vec![c.clone()]
        };
    }
    let items = match c {
        Value::Range(a, b) => {
            // Only the slice is built, not the whole range.
            let start = a.saturating_add(from.max(0));
            let end = match to {
                Some(t) => (*b).min(a.saturating_add(t).saturating_sub(1)),
                None => *b,
            };
            return range_items(start, end);
        }
        v => v.each_items().unwrap_or_default(),
    };
    items
        .into_iter()
        .enumerate()
        .take_while(|(i, _)| to.is_none_or(|t| (*i as i64) < t))
        .filter(|(i, _)| from <= *i as i64)
        .map(|(_, v)| v)
        .collect()
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
