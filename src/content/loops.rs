//! Liquid's `for`, `tablerow` and `capture` blocks, written for the bounds
//! of [`super::limits`]: the `liquid` crate's own build a range's every
//! number before the first turn (`(1..1000000000)` took gigabytes) and
//! capture without a size check, so one hostile post could exhaust the
//! machine.
//!
//! Both loops follow Ruby Liquid (what Jekyll runs): `offset` and `limit`
//! cut the collection as `Utils.slice_collection` does (no padding past its
//! end), a string is one item, a hash gives `[key, value]` pairs, nil gives
//! none. `for` applies `reversed` after the cut and offers `forloop`
//! (`index`, `index0`, `rindex`, `rindex0`, `first`, `last`, `length`,
//! `parentloop`), `break`, `continue` and `{% else %}`; `tablerow` writes
//! `<tr class="row1">`, a line break, a `<td class="colN">` per item and a
//! new row after every `cols` items, with `tablerowloop` inside.

use std::fmt;
use std::io::Write;

use liquid_core::error::ResultLiquidExt;
use liquid_core::model::{
    ArrayView, DisplayCow, KString, KStringCow, ObjectView, State, Value, ValueCow, ValueView,
};
use liquid_core::parser::{BlockElement, TryMatchToken};
use liquid_core::runtime::{Interrupt, InterruptRegister};

use super::runtime::Frame;
use liquid_core::{
    BlockReflection, Error, Expression, Language, ParseBlock, Renderable, Result, Runtime,
    TagBlock, TagTokenIter, Template,
};

use super::limits;

/// `{% for item in collection %}…{% else %}…{% endfor %}`.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct ForBlock;

impl BlockReflection for ForBlock {
    fn start_tag(&self) -> &str {
        "for"
    }
    fn end_tag(&self) -> &str {
        "endfor"
    }
    fn description(&self) -> &str {
        "Repeats its content for every item of a collection or range."
    }
}

/// What a loop runs over.
#[derive(Debug)]
enum Source {
    /// A variable or literal holding a collection.
    Collection(Expression),
    /// `(start..stop)`, both ends included.
    Range(Expression, Expression),
}

#[derive(Debug)]
struct For {
    var: KString,
    source: Source,
    body: Template,
    otherwise: Option<Template>,
    limit: Option<Expression>,
    offset: Option<Expression>,
    reversed: bool,
    /// The tag as written, for error traces.
    trace: String,
}

impl ParseBlock for ForBlock {
    fn parse(
        &self,
        mut arguments: TagTokenIter<'_>,
        mut tokens: TagBlock<'_, '_>,
        options: &Language,
    ) -> Result<Box<dyn Renderable>> {
        let var = arguments
            .expect_next("Identifier expected.")?
            .expect_identifier()
            .into_result()?;
        arguments
            .expect_next("\"in\" expected.")?
            .expect_str("in")
            .into_result_custom_msg("\"in\" expected.")?;
        let source = arguments.expect_next("Array or range expected.")?;
        let mut trace = format!("{{% for {var} in {}", source.as_str());
        let source = match source.expect_value() {
            TryMatchToken::Matches(e) => Source::Collection(e),
            TryMatchToken::Fails(token) => match token.expect_range() {
                TryMatchToken::Matches((start, stop)) => Source::Range(start, stop),
                TryMatchToken::Fails(token) => return Err(token.raise_error()),
            },
        };
        let mut limit = None;
        let mut offset = None;
        let mut reversed = false;
        while let Some(token) = arguments.next() {
            trace.push(' ');
            trace.push_str(token.as_str());
            match token.as_str() {
                "limit" => limit = Some(attribute(&mut arguments)?),
                "offset" => offset = Some(attribute(&mut arguments)?),
                "reversed" => reversed = true,
                _ => {
                    return Err(
                        token.raise_custom_error("\"limit\", \"offset\" or \"reversed\" expected.")
                    )
                }
            }
        }
        arguments.expect_nothing()?;
        trace.push_str(" %}");
        let mut body = Vec::new();
        let mut otherwise = None;
        while let Some(element) = tokens.next()? {
            match element {
                BlockElement::Tag(mut tag) if tag.name() == "else" => {
                    tag.tokens().expect_nothing()?;
                    otherwise = Some(Template::new(tokens.parse_all(options)?));
                    break;
                }
                BlockElement::Tag(tag) => body.push(tag.parse(&mut tokens, options)?),
                element => body.push(element.parse(&mut tokens, options)?),
            }
        }
        tokens.assert_empty();
        Ok(Box::new(For {
            var: KString::from_ref(var),
            source,
            body: Template::new(body),
            otherwise,
            limit,
            offset,
            reversed,
            trace,
        }))
    }

    fn reflection(&self) -> &dyn BlockReflection {
        self
    }
}

/// The value after `limit:` or `offset:`.
fn attribute(arguments: &mut TagTokenIter<'_>) -> Result<Expression> {
    arguments
        .expect_next("\":\" expected.")?
        .expect_str(":")
        .into_result_custom_msg("\":\" expected.")?;
    arguments
        .expect_next("Value expected.")?
        .expect_value()
        .into_result()
}

/// A whole number from `e`, or an error naming what it was.
fn whole_number(e: &Expression, runtime: &dyn Runtime, what: &str) -> Result<i64> {
    let v = e.evaluate(runtime)?;
    v.as_scalar().and_then(|s| s.to_integer()).ok_or_else(|| {
        Error::with_msg(format!(
            "Expected whole number for {what}, found `{}`",
            v.to_kstr()
        ))
    })
}

/// A `[key, value]` pair of a hash being looped over, borrowing the value.
#[derive(Debug)]
struct Pair<'v> {
    key: Value,
    value: &'v dyn ValueView,
}

impl ValueView for Pair<'_> {
    fn as_debug(&self) -> &dyn fmt::Debug {
        self
    }
    fn render(&self) -> DisplayCow<'_> {
        DisplayCow::Owned(Box::new(format!(
            "{}{}",
            self.key.render(),
            self.value.render()
        )))
    }
    fn source(&self) -> DisplayCow<'_> {
        DisplayCow::Owned(Box::new(format!(
            "[{}, {}]",
            self.key.source(),
            self.value.source()
        )))
    }
    fn type_name(&self) -> &'static str {
        "array"
    }
    fn query_state(&self, state: State) -> bool {
        matches!(state, State::Truthy)
    }
    fn to_kstr(&self) -> KStringCow<'_> {
        KStringCow::from_string(self.render().to_string())
    }
    fn to_value(&self) -> Value {
        Value::Array(vec![self.key.clone(), self.value.to_value()])
    }
    fn as_array(&self) -> Option<&dyn ArrayView> {
        Some(self)
    }
}

impl ArrayView for Pair<'_> {
    fn as_value(&self) -> &dyn ValueView {
        self
    }
    fn size(&self) -> i64 {
        2
    }
    fn values<'k>(&'k self) -> Box<dyn Iterator<Item = &'k dyn ValueView> + 'k> {
        Box::new([&self.key as &dyn ValueView, self.value].into_iter())
    }
    fn contains_key(&self, index: i64) -> bool {
        (-2..=1).contains(&index)
    }
    fn get(&self, index: i64) -> Option<&dyn ValueView> {
        match index {
            0 | -2 => Some(&self.key),
            1 | -1 => Some(self.value),
            _ => None,
        }
    }
}

/// The items of one loop, before the cut.
enum Items<'v> {
    /// Borrowed from an array or string.
    Borrowed(Vec<&'v dyn ValueView>),
    /// A hash's pairs.
    Pairs(Vec<Pair<'v>>),
    /// A range's numbers, made one at a time.
    Numbers(i64, i64),
}

impl Items<'_> {
    fn len(&self) -> u64 {
        match self {
            Items::Borrowed(v) => v.len() as u64,
            Items::Pairs(v) => v.len() as u64,
            Items::Numbers(a, b) => u64::try_from(i128::from(*b) - i128::from(*a) + 1).unwrap_or(0),
        }
    }
}

/// `loop.forloop` as Liquid shows it.
#[derive(Debug, liquid_core::ValueView, liquid_core::ObjectView)]
struct Forloop<'p> {
    length: i64,
    parentloop: Option<&'p dyn ValueView>,
    index0: i64,
    index: i64,
    rindex0: i64,
    rindex: i64,
    first: bool,
    last: bool,
}

impl Renderable for For {
    fn render_to(&self, writer: &mut dyn Write, runtime: &dyn Runtime) -> Result<()> {
        self.run(writer, runtime)
            .trace_with(|| self.trace.clone().into())
    }
}

/// The items `source` gives.
fn gather<'v>(
    source: &Source,
    collection: &'v Option<ValueCow<'v>>,
    runtime: &dyn Runtime,
) -> Result<Items<'v>> {
    Ok(match source {
        Source::Range(start, stop) => Items::Numbers(
            whole_number(start, runtime, "start")?,
            whole_number(stop, runtime, "end")?,
        ),
        Source::Collection(_) => {
            let Some(collection) = collection else {
                return Ok(Items::Borrowed(Vec::new()));
            };
            let c = collection.as_view();
            if let Some(a) = c.as_array() {
                Items::Borrowed(a.values().collect())
            } else if let Some(o) = c.as_object() {
                Items::Pairs(
                    o.iter()
                        .map(|(k, value)| Pair {
                            key: Value::scalar(k.into_owned()),
                            value,
                        })
                        .collect(),
                )
            } else if c.type_name() == "string" && !c.to_kstr().is_empty() {
                // Ruby Liquid loops once over a non-empty string.
                Items::Borrowed(vec![c])
            } else {
                Items::Borrowed(Vec::new())
            }
        }
    })
}

/// The collection value a loop reads, evaluated once.
fn collection<'a>(source: &'a Source, runtime: &'a dyn Runtime) -> Result<Option<ValueCow<'a>>> {
    match source {
        Source::Collection(e) => Ok(Some(e.evaluate(runtime)?)),
        Source::Range(..) => Ok(None),
    }
}

/// Ruby Liquid's `slice_collection`: the items from `offset` on, `limit`
/// of them, as a range of indices into `total` items.
fn cut(
    total: u64,
    offset: &Option<Expression>,
    limit: &Option<Expression>,
    runtime: &dyn Runtime,
) -> Result<(u64, u64)> {
    let from = match offset {
        Some(e) => whole_number(e, runtime, "offset")?,
        None => 0,
    };
    let to = match limit {
        Some(e) => Some(whole_number(e, runtime, "limit")?.saturating_add(from)),
        None => None,
    };
    let start = u64::try_from(from.max(0)).unwrap_or(0).min(total);
    let end = to.map_or(total, |t| u64::try_from(t.max(0)).unwrap_or(0).min(total));
    Ok((start, end.max(start)))
}

/// Item `at` of `items`, made in `number` when it is a range's.
fn item_at<'i>(items: &'i Items<'_>, at: u64, number: &'i mut Value) -> Option<&'i dyn ValueView> {
    let i = usize::try_from(at).ok()?;
    match items {
        Items::Numbers(a, _) => {
            *number = Value::scalar(a.saturating_add(i64::try_from(at).ok()?));
            Some(number)
        }
        Items::Borrowed(v) => v.as_slice().get(i).copied(),
        Items::Pairs(v) => v.as_slice().get(i).map(|p| p as &dyn ValueView),
    }
}

impl For {
    fn run(&self, writer: &mut dyn Write, runtime: &dyn Runtime) -> Result<()> {
        let collection = collection(&self.source, runtime)?;
        let items = gather(&self.source, &collection, runtime)?;
        let (start, end) = cut(items.len(), &self.offset, &self.limit, runtime)?;
        let count = end - start;
        if count == 0 {
            if let Some(t) = &self.otherwise {
                t.render_to(writer, runtime)?;
            }
            return Ok(());
        }
        let parent = runtime.try_get(&[liquid_core::model::ScalarCow::new("forloop")]);
        let parent = parent.as_ref().map(|v| v.as_view());
        let length = i64::try_from(count).unwrap_or(i64::MAX);
        for turn in 0..count {
            limits::count_iteration(runtime)?;
            let at = if self.reversed {
                end - 1 - turn
            } else {
                start + turn
            };
            let mut number = Value::Nil;
            let Some(item) = item_at(&items, at, &mut number) else {
                break;
            };
            let index0 = i64::try_from(turn).unwrap_or(i64::MAX);
            let forloop = Forloop {
                length,
                parentloop: parent,
                index0,
                index: index0 + 1,
                rindex0: length - index0 - 1,
                rindex: length - index0,
                first: turn == 0,
                last: turn + 1 == count,
            };
            let mut root = std::collections::HashMap::<
                liquid_core::model::KStringRef<'_>,
                &dyn ValueView,
            >::new();
            root.insert("forloop".into(), &forloop);
            root.insert(self.var.as_ref(), item);
            let scope = Frame::new(runtime, &root);
            self.body.render_to(writer, &scope)?;
            let interrupt = scope.registers().get_mut::<InterruptRegister>().reset();
            if let Some(Interrupt::Break) = interrupt {
                break;
            }
        }
        Ok(())
    }
}

/// `{% tablerow item in collection cols:n limit:n offset:n %}`.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct TableRowBlock;

impl BlockReflection for TableRowBlock {
    fn start_tag(&self) -> &str {
        "tablerow"
    }
    fn end_tag(&self) -> &str {
        "endtablerow"
    }
    fn description(&self) -> &str {
        "Writes an HTML table row per `cols` items of a collection."
    }
}

#[derive(Debug)]
struct TableRow {
    var: KString,
    source: Source,
    body: Template,
    cols: Option<Expression>,
    limit: Option<Expression>,
    offset: Option<Expression>,
    trace: String,
}

impl ParseBlock for TableRowBlock {
    fn parse(
        &self,
        mut arguments: TagTokenIter<'_>,
        mut tokens: TagBlock<'_, '_>,
        options: &Language,
    ) -> Result<Box<dyn Renderable>> {
        let var = arguments
            .expect_next("Identifier expected.")?
            .expect_identifier()
            .into_result()?;
        arguments
            .expect_next("\"in\" expected.")?
            .expect_str("in")
            .into_result_custom_msg("\"in\" expected.")?;
        let source = arguments.expect_next("Array or range expected.")?;
        let mut trace = format!("{{% tablerow {var} in {}", source.as_str());
        let source = match source.expect_value() {
            TryMatchToken::Matches(e) => Source::Collection(e),
            TryMatchToken::Fails(token) => match token.expect_range() {
                TryMatchToken::Matches((start, stop)) => Source::Range(start, stop),
                TryMatchToken::Fails(token) => return Err(token.raise_error()),
            },
        };
        let (mut cols, mut limit, mut offset) = (None, None, None);
        while let Some(token) = arguments.next() {
            trace.push(' ');
            trace.push_str(token.as_str());
            match token.as_str() {
                "cols" => cols = Some(attribute(&mut arguments)?),
                "limit" => limit = Some(attribute(&mut arguments)?),
                "offset" => offset = Some(attribute(&mut arguments)?),
                _ => {
                    return Err(
                        token.raise_custom_error("\"cols\", \"limit\" or \"offset\" expected.")
                    )
                }
            }
        }
        arguments.expect_nothing()?;
        trace.push_str(" %}");
        let body = Template::new(tokens.parse_all(options)?);
        tokens.assert_empty();
        Ok(Box::new(TableRow {
            var: KString::from_ref(var),
            source,
            body,
            cols,
            limit,
            offset,
            trace,
        }))
    }

    fn reflection(&self) -> &dyn BlockReflection {
        self
    }
}

/// `tablerowloop` as Liquid shows it.
#[derive(Debug, liquid_core::ValueView, liquid_core::ObjectView)]
struct Tablerowloop {
    length: i64,
    index0: i64,
    index: i64,
    rindex0: i64,
    rindex: i64,
    first: bool,
    last: bool,
    col0: i64,
    col: i64,
    col_first: bool,
    col_last: bool,
    row: i64,
}

impl Renderable for TableRow {
    fn render_to(&self, writer: &mut dyn Write, runtime: &dyn Runtime) -> Result<()> {
        self.run(writer, runtime)
            .trace_with(|| self.trace.clone().into())
    }
}

impl TableRow {
    fn run(&self, writer: &mut dyn Write, runtime: &dyn Runtime) -> Result<()> {
        let collection = collection(&self.source, runtime)?;
        // Ruby Liquid writes nothing for a nil collection.
        if collection.as_ref().is_some_and(|c| c.is_nil()) {
            return Ok(());
        }
        let items = gather(&self.source, &collection, runtime)?;
        let (start, end) = cut(items.len(), &self.offset, &self.limit, runtime)?;
        let cols = match &self.cols {
            Some(e) => whole_number(e, runtime, "cols")?.max(0),
            None => 0,
        };
        let write = |w: &mut dyn Write, text: &str| {
            w.write_all(text.as_bytes())
                .map_err(|e| Error::with_msg(e.to_string()))
        };
        write(writer, "<tr class=\"row1\">\n")?;
        let count = end - start;
        let length = i64::try_from(count).unwrap_or(i64::MAX);
        let (mut col, mut row) = (1i64, 1i64);
        for turn in 0..count {
            limits::count_iteration(runtime)?;
            let mut number = Value::Nil;
            let Some(item) = item_at(&items, start + turn, &mut number) else {
                break;
            };
            let index0 = i64::try_from(turn).unwrap_or(i64::MAX);
            let col_last = col == cols;
            let tablerowloop = Tablerowloop {
                length,
                index0,
                index: index0 + 1,
                rindex0: length - index0 - 1,
                rindex: length - index0,
                first: turn == 0,
                last: turn + 1 == count,
                col0: col - 1,
                col,
                col_first: col == 1,
                col_last,
                row,
            };
            let mut root = std::collections::HashMap::<
                liquid_core::model::KStringRef<'_>,
                &dyn ValueView,
            >::new();
            root.insert("tablerowloop".into(), &tablerowloop);
            root.insert(self.var.as_ref(), item);
            write(writer, &format!("<td class=\"col{col}\">"))?;
            self.body.render_to(writer, &Frame::new(runtime, &root))?;
            write(writer, "</td>")?;
            if col_last && cols > 0 {
                write(writer, &format!("</tr>\n<tr class=\"row{}\">", row + 1))?;
            }
            if col_last {
                col = 1;
                row += 1;
            } else {
                col += 1;
            }
        }
        write(writer, "</tr>\n")
    }
}

/// `{% capture name %}…{% endcapture %}`, bounded as `assign` is
/// ([`limits::Limits::value`]).
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct CaptureBlock;

impl BlockReflection for CaptureBlock {
    fn start_tag(&self) -> &str {
        "capture"
    }
    fn end_tag(&self) -> &str {
        "endcapture"
    }
    fn description(&self) -> &str {
        "Sets a variable to what its content renders to."
    }
}

#[derive(Debug)]
struct Capture {
    name: KString,
    body: Template,
}

impl ParseBlock for CaptureBlock {
    fn parse(
        &self,
        mut arguments: TagTokenIter<'_>,
        mut tokens: TagBlock<'_, '_>,
        options: &Language,
    ) -> Result<Box<dyn Renderable>> {
        let name = arguments
            .expect_next("Identifier expected")?
            .expect_identifier()
            .into_result()?;
        arguments.expect_nothing()?;
        let body = Template::new(tokens.parse_all(options)?);
        tokens.assert_empty();
        Ok(Box::new(Capture {
            name: KString::from_ref(name),
            body,
        }))
    }

    fn reflection(&self) -> &dyn BlockReflection {
        self
    }
}

impl Renderable for Capture {
    fn render_to(&self, _writer: &mut dyn Write, runtime: &dyn Runtime) -> Result<()> {
        let mut captured = Vec::new();
        let max = limits::of(runtime).value;
        let mut capped = limits::Capped::new(&mut captured, max);
        let rendered = self.body.render_to(&mut capped, runtime);
        if capped.hit() {
            return Err(limits::stop(
                runtime,
                format!("`{}` is set to more than {} MiB", self.name, max >> 20),
            ));
        }
        rendered.trace_with(|| format!("{{% capture {} %}}", self.name).into())?;
        let text = String::from_utf8_lossy(&captured).into_owned();
        runtime.set_global(self.name.clone(), Value::scalar(text));
        Ok(())
    }
}
