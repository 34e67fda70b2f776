//! Block structure (block_body.rb, block.rb): tokens → a tree of nodes, with
//! `-` whitespace control and blank-body trimming. A tag that cannot be
//! parsed becomes an error node; the rest of the template still parses.

use crate::condition::Condition;
use crate::expression::Expr;
use crate::limits::MAX_DEPTH;
use crate::output::Output;
use crate::tokenizer::{tokenize, Token};
use crate::Engine;
use crate::{Diagnostic, ErrorMode, TagKind};
use regex::Regex;
use std::sync::{Arc, LazyLock};

/// A sequence of nodes (BlockBody).
#[derive(Debug, Clone)]
pub struct Block {
    /// The nodes in order.
    pub nodes: Vec<Node>,
    /// Only whitespace and blank tags (BlockBody#blank?).
    pub blank: bool,
}

/// The `offset:` of a `for`.
#[derive(Debug, Clone)]
pub enum Offset {
    /// No offset.
    None,
    /// `offset: continue`.
    Continue,
    /// An expression.
    Expr(Expr),
}

/// A `for` loop.
#[derive(Debug, Clone)]
pub struct ForLoop {
    /// Loop variable.
    pub var: String,
    /// Collection expression.
    pub collection: Expr,
    /// `var-collection` markup: the key of `offset: continue` and `forloop.name`.
    pub name: String,
    /// `reversed`.
    pub reversed: bool,
    /// `limit:`.
    pub limit: Option<Expr>,
    /// `offset:`.
    pub offset: Offset,
    /// The body.
    pub body: Block,
    /// The `else` body.
    pub else_body: Option<Block>,
}

/// A `tablerow` loop.
#[derive(Debug, Clone)]
pub struct TableRow {
    /// Loop variable.
    pub var: String,
    /// Collection expression.
    pub collection: Expr,
    /// `cols:`, `limit:`, `offset:` (any `key: value`, as Ruby keeps them).
    pub attrs: Vec<(String, Expr)>,
    /// The body.
    pub body: Block,
}

/// What keys a `cycle`'s position in the registers.
#[derive(Debug, Clone)]
pub enum CycleKey {
    /// A named group (`{% cycle 'g': a, b %}`), evaluated.
    Named(Expr),
    /// Ruby keys by the values' `to_s`: equal for literal lists, unique to
    /// the tag when a value is a variable (its object identity).
    Fixed(String),
}

/// A host tag's call, kept for rendering.
#[derive(Clone)]
pub struct CustomNode {
    /// The host's implementation.
    pub tag: Arc<dyn crate::Tag>,
    /// Tag name.
    pub name: String,
    /// Markup after the name.
    pub markup: String,
    /// Line of the tag.
    pub line: usize,
    /// Parsed body of a block tag.
    pub body: Option<Block>,
    /// Raw body of a raw block tag.
    pub raw: Option<String>,
}

impl std::fmt::Debug for CustomNode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "CustomNode({})", self.name)
    }
}

/// A node of the tree.
#[derive(Debug, Clone)]
pub enum Node {
    /// Literal text.
    Text(String),
    /// `{{ … }}`, and `echo`.
    Output(Output, usize),
    /// `assign`.
    Assign(String, Output, usize),
    /// `capture`.
    Capture(String, Block),
    /// `if`/`unless` branches; `else` is a `None` condition. `unless` negates the first.
    If(Vec<(Option<Condition>, Block)>, bool, usize),
    /// `case`: conditions pointing at bodies (one `when a, b` shares a body).
    Case(Vec<(Option<Condition>, usize)>, Vec<Block>, usize),
    /// `for`.
    For(Box<ForLoop>, usize),
    /// `tablerow`.
    TableRow(Box<TableRow>, usize),
    /// `cycle`.
    Cycle(CycleKey, Vec<Expr>, usize),
    /// `increment` (true) / `decrement`.
    Counter(String, bool),
    /// `raw`: its text, not blank unless empty.
    Raw(String),
    /// `ifchanged`.
    IfChanged(Block),
    /// `break`.
    Break,
    /// `continue`.
    Continue,
    /// A host tag.
    Custom(Box<CustomNode>),
    /// A tag that could not be parsed: renders nothing.
    Error(usize),
}

impl Block {
    /// An empty, blank body.
    pub fn new() -> Block {
        Block {
            nodes: Vec::new(),
            blank: true,
        }
    }
}

impl Default for Block {
    fn default() -> Self {
        Block::new()
    }
}

impl Node {
    fn blank(&self) -> bool {
        match self {
            Node::Text(t) => t.bytes().all(|b| b.is_ascii_whitespace() || b == 0x0b),
            Node::Assign(..) | Node::Capture(..) | Node::Error(_) => true,
            Node::If(b, ..) => b.iter().all(|(_, b)| b.blank),
            Node::Case(_, b, _) => b.iter().all(|b| b.blank),
            Node::For(f, _) => f.body.blank && f.else_body.as_ref().is_none_or(|b| b.blank),
            Node::TableRow(t, _) => t.body.blank,
            Node::IfChanged(b) => b.blank,
            Node::Raw(s) => s.is_empty(),
            _ => false,
        }
    }
}

/// What a block's step did with the tag that ended a body.
pub enum Step {
    /// The block's end tag: the block is complete.
    Done,
    /// An intermediate tag the block handled (`else`, `when`): keep parsing.
    Continue,
    /// A tag the block does not know, or the end of the template.
    End(EndTag),
}

/// An end or intermediate tag handed back to the enclosing block.
pub struct EndTag {
    /// Tag name (`endif`, `else`, `when`, …); `None` at the end of the template.
    pub name: Option<String>,
    /// Its markup.
    pub markup: String,
    /// Its line.
    pub line: usize,
}

static FULL_TOKEN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?s)\A\{%-?([ \t\r\n\x0B\x0C]*)(#|[a-zA-Z0-9_]+)([ \t\r\n\x0B\x0C]*)(.*?)-?%\}\z")
        .expect("static pattern")
});
static CONTENT_OF_VARIABLE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?s)\A\{\{-?(.*?)-?\}\}\z").expect("static pattern"));
static LIQUID_TAG_TOKEN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\A[ \t\r\n\x0B\x0C]*(#|[a-zA-Z0-9_]+)[ \t\r\n\x0B\x0C]*(.*?)\z")
        .expect("static pattern")
});
static RAW_END: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?s)\A(.*)\{%[ \t\r\n\x0B\x0C]*([a-zA-Z0-9_]+)[ \t\r\n\x0B\x0C]*(.*)%\}\z")
        .expect("static pattern")
});

/// Parser state over one template.
pub struct ParseState<'s, 'e> {
    tokens: Vec<Token<'s>>,
    pos: usize,
    trim_next: bool,
    depth: usize,
    counter: usize,
    /// Inside `{% liquid %}`: every token is a line holding one tag.
    liquid_lines: bool,
    pub(crate) engine: &'e Engine,
    pub(crate) diagnostics: Vec<Diagnostic>,
}

/// Parses a whole template.
pub fn parse_document(source: &str, engine: &Engine) -> (Block, Vec<Diagnostic>) {
    let mut st = ParseState {
        tokens: tokenize(source),
        pos: 0,
        trim_next: false,
        depth: 0,
        counter: 0,
        liquid_lines: false,
        engine,
        diagnostics: Vec::new(),
    };
    let mut block = Block {
        nodes: Vec::new(),
        blank: true,
    };
    loop {
        let end = st.parse_body(&mut block, false);
        match end.name {
            None => break,
            Some(name) => {
                let msg = unknown_tag_message(&name, None);
                st.error(end.line, msg);
                block.nodes.push(Node::Error(end.line));
            }
        }
    }
    (block, st.diagnostics)
}

/// Block::raise_unknown_tag's message.
fn unknown_tag_message(name: &str, block: Option<&str>) -> String {
    match block {
        Some(b) if name == "else" => format!("{b} tag does not expect 'else' tag"),
        Some(b) if name.starts_with("end") => {
            format!("'{name}' is not a valid delimiter for {b} tags. use end{b}")
        }
        _ => format!("Unknown tag '{name}'"),
    }
}

impl<'s> ParseState<'s, '_> {
    pub(crate) fn error(&mut self, line: usize, message: String) {
        self.diagnostics.push(Diagnostic {
            template: None,
            line,
            message,
            warning: false,
        });
    }

    pub(crate) fn warn(&mut self, line: usize, message: String) {
        self.diagnostics.push(Diagnostic {
            template: None,
            line,
            message,
            warning: true,
        });
    }

    /// Parses markup as the engine's error mode says: strict, lax, or
    /// strict with lax as fallback (a warning). `None` is an error
    /// (recorded, with the strict parser's message or `lax_error`).
    pub(crate) fn switch<T>(
        &mut self,
        line: usize,
        lax_error: &str,
        strict: impl FnOnce() -> Result<T, String>,
        lax: impl FnOnce() -> Option<T>,
    ) -> Option<T> {
        let mode = self.engine.error_mode;
        if mode != ErrorMode::Lax {
            match strict() {
                Ok(t) => return Some(t),
                Err(e) if mode == ErrorMode::Strict => {
                    self.error(line, e);
                    return None;
                }
                Err(w) => self.warn(line, w),
            }
        }
        let r = lax();
        if r.is_none() {
            self.error(line, lax_error.to_string());
        }
        r
    }

    /// Parses nodes into `block` until a tag this body does not know (handed
    /// back) or the end of the template.
    pub(crate) fn parse_body(&mut self, block: &mut Block, in_comment: bool) -> EndTag {
        while let Some(tok) = self.tokens.get(self.pos).cloned() {
            self.pos += 1;
            let text = tok.text;
            if text.is_empty() || (self.liquid_lines && text.trim().is_empty()) {
                continue;
            }
            let end = if self.liquid_lines {
                // block_body.rb LiquidTagToken: a line is a tag name and markup.
                match LIQUID_TAG_TOKEN.captures(text) {
                    Some(c) => self.add_tag(block, &c[1], &c[2], tok.line, in_comment),
                    None => Some(EndTag {
                        name: Some(text.to_string()),
                        markup: String::new(),
                        line: tok.line,
                    }),
                }
            } else if text.starts_with("{%") {
                self.whitespace_control(text, block);
                match FULL_TOKEN.captures(text) {
                    Some(c) => {
                        let line =
                            tok.line + c[1].matches('\n').count() + c[3].matches('\n').count();
                        if &c[2] == "liquid" {
                            self.parse_liquid_tag(c.get(4).map_or("", |m| m.as_str()), line, block);
                            None
                        } else {
                            self.add_tag(block, &c[2], &c[4], line, in_comment)
                        }
                    }
                    None => {
                        let msg = format!(
                            "Tag '{text}' was not properly terminated with regexp: /\\%\\}}/"
                        );
                        self.error(tok.line, msg);
                        block.nodes.push(Node::Error(tok.line));
                        None
                    }
                }
            } else if text.starts_with("{{") {
                self.whitespace_control(text, block);
                self.add_output(block, text, tok.line);
                None
            } else {
                let mut s = text;
                if self.trim_next {
                    s = s.trim_start_matches(is_ruby_space);
                }
                self.trim_next = false;
                let node = Node::Text(s.to_string());
                block.blank &= node.blank();
                block.nodes.push(node);
                None
            };
            if let Some(end) = end {
                return end;
            }
        }
        EndTag {
            name: None,
            markup: String::new(),
            line: self.tokens.last().map_or(1, |t| t.line),
        }
    }

    /// Parses a tag into `block`; a tag this body does not know comes back
    /// as the end tag (ignored inside a comment, except `endcomment`).
    fn add_tag(
        &mut self,
        block: &mut Block,
        name: &str,
        markup: &str,
        line: usize,
        in_comment: bool,
    ) -> Option<EndTag> {
        match self.parse_tag(name, markup, line) {
            Some(node) => {
                block.blank &= node.blank();
                block.nodes.push(node);
                None
            }
            None if in_comment && name != "endcomment" => None,
            None => Some(EndTag {
                name: Some(name.to_string()),
                markup: markup.to_string(),
                line,
            }),
        }
    }

    /// `{{ … }}` (block_body.rb create_variable).
    fn add_output(&mut self, block: &mut Block, text: &str, line: usize) {
        block.blank = false;
        let node = match CONTENT_OF_VARIABLE.captures(text) {
            Some(c) => {
                let m = &c[1];
                match self.switch(line, "", || Output::strict(m), || Some(Output::lax(m))) {
                    Some(out) => Node::Output(out, line),
                    None => Node::Error(line),
                }
            }
            None => {
                let msg = format!(
                    "Variable '{text}' was not properly terminated with regexp: /\\}}\\}}/"
                );
                self.error(line, msg);
                Node::Error(line)
            }
        };
        block.nodes.push(node);
    }

    /// `{% liquid %}`: its lines are tags, parsed into the current body
    /// (block_body.rb parse_liquid_tag).
    fn parse_liquid_tag(&mut self, markup: &'s str, line: usize, block: &mut Block) {
        let tokens = markup
            .split('\n')
            .enumerate()
            .map(|(i, text)| Token {
                text,
                line: line + i,
            })
            .collect();
        let mut sub = ParseState {
            tokens,
            pos: 0,
            trim_next: false,
            depth: self.depth,
            counter: self.counter,
            liquid_lines: true,
            engine: self.engine,
            diagnostics: Vec::new(),
        };
        loop {
            let end = sub.parse_body(block, false);
            let Some(name) = end.name else { break };
            let msg = unknown_tag_message(&name, Some("liquid"));
            sub.error(end.line, msg);
            block.nodes.push(Node::Error(end.line));
        }
        self.counter = sub.counter;
        self.diagnostics.append(&mut sub.diagnostics);
    }

    /// `{%-` strips the text before; `-%}` the text after.
    fn whitespace_control(&mut self, text: &str, block: &mut Block) {
        let b = text.as_bytes();
        if b.get(2) == Some(&b'-') {
            if let Some(Node::Text(t)) = block.nodes.last_mut() {
                let keep = t.trim_end_matches(is_ruby_space).len();
                t.truncate(keep);
            }
        }
        self.trim_next = b.len() >= 3 && b[b.len() - 3] == b'-';
    }

    fn parse_tag(&mut self, name: &str, markup: &str, line: usize) -> Option<Node> {
        if let Some(tag) = self.engine.tags.get(name).cloned() {
            return Some(self.parse_custom(tag, name, markup, line));
        }
        crate::tags::parse_builtin(self, name, markup, line)
    }

    fn parse_custom(
        &mut self,
        tag: Arc<dyn crate::Tag>,
        name: &str,
        markup: &str,
        line: usize,
    ) -> Node {
        let mut node = CustomNode {
            tag: tag.clone(),
            name: name.to_string(),
            markup: markup.to_string(),
            line,
            body: None,
            raw: None,
        };
        match tag.kind() {
            TagKind::Simple => {}
            TagKind::Raw => node.raw = Some(self.raw_body(name, line)),
            TagKind::Block => {
                let end = format!("end{name}");
                match self.sub_block(line, name, |st, block| {
                    let e = st.parse_body(block, false);
                    if e.name.as_deref() == Some(end.as_str()) {
                        Step::Done
                    } else {
                        Step::End(e)
                    }
                }) {
                    Some(b) => node.body = Some(b),
                    None => return Node::Error(line),
                }
            }
        }
        Node::Custom(Box::new(node))
    }

    /// The text up to `{% endNAME %}` (raw.rb: end tags with `-` do not close).
    pub(crate) fn raw_body(&mut self, name: &str, line: usize) -> String {
        let end = format!("end{name}");
        let mut body = String::new();
        while let Some(tok) = self.tokens.get(self.pos).cloned() {
            self.pos += 1;
            if let Some(c) = RAW_END.captures(tok.text) {
                if c[2] == *end {
                    body.push_str(&c[1]);
                    return body;
                }
            }
            body.push_str(tok.text);
        }
        self.error(line, format!("'{name}' tag was never closed"));
        body
    }

    /// Parses one body of a block tag at one more level of nesting. `step`
    /// parses until an end or intermediate tag and says whether the block is
    /// done; unknown tags inside become error nodes. `None` when nested too
    /// deep (the block's tokens are skipped).
    pub(crate) fn sub_block(
        &mut self,
        line: usize,
        name: &str,
        mut step: impl FnMut(&mut Self, &mut Block) -> Step,
    ) -> Option<Block> {
        if self.depth >= MAX_DEPTH {
            self.error(line, "Nesting too deep".into());
            self.skip_block();
            return None;
        }
        self.depth += 1;
        let mut block = Block {
            nodes: Vec::new(),
            blank: true,
        };
        loop {
            let end = match step(self, &mut block) {
                Step::Done => break,
                Step::Continue => continue,
                Step::End(end) => end,
            };
            match end.name {
                None => {
                    self.error(line, format!("'{name}' tag was never closed"));
                    break;
                }
                Some(n) => {
                    let msg = unknown_tag_message(&n, Some(name));
                    self.error(end.line, msg);
                    block.nodes.push(Node::Error(end.line));
                }
            }
        }
        self.depth -= 1;
        Some(block)
    }

    /// Skips the tokens of a block nested too deep, counting its nesting
    /// without recursion.
    fn skip_block(&mut self) {
        let mut depth = 1usize;
        while let Some(tok) = self.tokens.get(self.pos) {
            self.pos += 1;
            let Some(c) = FULL_TOKEN.captures(tok.text) else {
                continue;
            };
            let name = &c[2];
            if let Some(base) = name.strip_prefix("end") {
                if is_block_name(base, self.engine) {
                    depth -= 1;
                    if depth == 0 {
                        return;
                    }
                }
            } else if is_block_name(name, self.engine) {
                depth += 1;
            }
        }
    }

    /// A number unique within this parse.
    pub(crate) fn next_id(&mut self) -> usize {
        self.counter += 1;
        self.counter
    }
}

fn is_block_name(name: &str, engine: &Engine) -> bool {
    matches!(
        name,
        "if" | "unless" | "case" | "for" | "tablerow" | "capture" | "comment" | "raw" | "ifchanged"
    ) || engine
        .tags
        .get(name)
        .is_some_and(|t| !matches!(t.kind(), TagKind::Simple))
}

/// Ruby's whitespace for `strip`/`lstrip`/`rstrip`.
pub fn is_ruby_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0b' | '\x0c' | '\0')
}

#[cfg(test)]
mod tests {
    use crate::render_test as r;
    use serde_json::json;

    // block_body.rb whitespace_handler: `{%-` strips before, `-%}` after.
    #[test]
    fn whitespace_control() {
        assert_eq!(
            r("a  {%- if true -%}  b  {%- endif -%}  c", json!({})),
            "abc"
        );
        assert_eq!(r("a \n {{- 'x' -}} \n b", json!({})), "axb");
    }

    // tag_if.rb parse: a blank block (only whitespace and assigns) drops its text.
    #[test]
    fn blank_blocks_lose_whitespace() {
        assert_eq!(
            r(
                "[{% if true %}  {% assign x = 1 %}  {% endif %}]",
                json!({})
            ),
            "[]"
        );
        assert_eq!(
            r("[{% if true %}  {{ 'x' }}  {% endif %}]", json!({})),
            "[  x  ]"
        );
    }

    // tag_raw.rb: the body is kept as written; comments render nothing.
    #[test]
    fn raw_and_comment() {
        assert_eq!(
            r("{% raw %}{{ x }}{% if %}{% endraw %}", json!({})),
            "{{ x }}{% if %}"
        );
        assert_eq!(
            r(
                "a{% comment %}{% if x %}{% endif %}b{% endcomment %}c",
                json!({})
            ),
            "ac"
        );
    }

    // block_body.rb parse_liquid_tag: one tag a line, blocks across lines.
    #[test]
    fn liquid_tag() {
        let src = "{% liquid\n  assign x = 2\n  if x > 1\n    echo 'big'\n  endif\n  for i in (1..2)\n echo i\n endfor %}";
        assert_eq!(r(src, json!({})), "big12");
    }

    // tokenizer.rb: `{{ x }` is a token; it fails ContentOfVariable (an error node).
    #[test]
    fn unterminated() {
        assert_eq!(r("a{{ x }b", json!({"x": 1})), "ab");
        assert_eq!(r("a{% if true %}b", json!({})), "ab");
    }
}
