//! Markdown to HTML as Jekyll's kramdown renders it: pulldown-cmark for the
//! CommonMark core, with kramdown's block pre-pass (`kramdown`),
//! IALs, `{:toc}`, heading ids, kramdown-style footnotes and code blocks
//! wrapped as rouge wraps them.

use crate::fast_hash::FastMap as HashMap;
use std::sync::LazyLock;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Parser, Tag, TagEnd};
use regex::Regex;

use super::headings::IdGenerator;
use super::html::{escape_attr, escape_text};
use super::kramdown::{self, Extracted, Stash};

/// How to render.
#[derive(Debug, Clone)]
pub struct Options {
    /// kramdown's GFM parser (`kramdown.input: GFM` or `markdown: GFM`).
    pub gfm: bool,
    /// Line breaks become `<br />` (GFM's default).
    pub hard_wrap: bool,
    /// Give headings ids (`auto_ids`, on by default).
    pub auto_ids: bool,
    /// Line numbers on fenced code blocks
    /// (`syntax_highlighter_opts.block.line_numbers`).
    pub block_line_numbers: bool,
    /// Give code blocks rouge's token spans: only where the HTML is the
    /// output (Hugo and Zola get Markdown and highlight code themselves).
    pub highlight: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            gfm: false,
            hard_wrap: false,
            auto_ids: true,
            block_line_numbers: false,
            highlight: false,
        }
    }
}

/// One heading of the rendered document.
#[derive(Debug, Clone, PartialEq)]
pub struct Heading {
    /// 1–6.
    pub level: u8,
    /// Its id.
    pub id: String,
    /// Its text.
    pub text: String,
    /// Left out of the table of contents (`{:.no_toc}`).
    pub no_toc: bool,
}

/// Rendered HTML and what was learned on the way.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// The HTML.
    pub html: String,
    /// Headings in order.
    pub headings: Vec<Heading>,
    /// pulldown-cmark panicked on this text with kramdown's extensions and
    /// it was parsed again with fewer (see [`parse_events`]).
    pub degraded: bool,
}

/// Renders `src`.
pub fn render(src: &str, opts: &Options) -> Rendered {
    render_with(src, opts, Stash::default())
}

const TOC_MARK: &str = "\u{E020}toc\u{E021}";

static IAL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\{:(?:[^}\n]*)\}").unwrap_or_else(|_| unreachable!()));
static IAL_ONLY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*\{:\s*([^}\n]*)\}\s*$").unwrap_or_else(|_| unreachable!()));
static IAL_TRAILING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\n?\s*\{:\s*([^}\n]*)\}\s*$").unwrap_or_else(|_| unreachable!()));
static ATTR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"([.#])([\w-]+)|([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|[“”]([^“”]*)[“”]|[‘’]([^‘’]*)[‘’])"#)
        .unwrap_or_else(|_| unreachable!())
});

/// Attributes of an IAL (`.class #id key="v"`, or a reference to an ALD).
#[derive(Debug, Default, Clone)]
struct Attrs {
    id: Option<String>,
    classes: Vec<String>,
    other: Vec<(String, String)>,
    toc: bool,
    no_toc: bool,
}

fn parse_attrs(text: &str, alds: &HashMap<String, String>, depth: u8) -> Attrs {
    let mut a = Attrs::default();
    for word in text.split_whitespace() {
        if word == "toc" {
            a.toc = true;
        } else if word
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
        {
            if let (Some(ald), true) = (alds.get(word), depth < 4) {
                let inner = parse_attrs(ald, alds, depth + 1);
                a.classes.extend(inner.classes);
                a.id = a.id.or(inner.id);
                a.other.extend(inner.other);
            }
        }
    }
    for c in ATTR.captures_iter(text) {
        if let (Some(kind), Some(name)) = (c.get(1), c.get(2)) {
            if kind.as_str() == "." {
                if name.as_str() == "no_toc" {
                    a.no_toc = true;
                }
                a.classes.push(name.as_str().to_string());
            } else {
                a.id = Some(name.as_str().to_string());
            }
        } else if let Some(key) = c.get(3) {
            let v = (4..=7)
                .find_map(|i| c.get(i))
                .map(|m| m.as_str())
                .unwrap_or_default();
            a.other.push((key.as_str().to_string(), v.to_string()));
        }
    }
    a
}

fn attrs_html(a: &Attrs) -> String {
    let mut s = String::new();
    if let Some(id) = &a.id {
        s.push_str(&format!(" id=\"{}\"", escape_attr(id)));
    }
    if !a.classes.is_empty() {
        s.push_str(&format!(" class=\"{}\"", escape_attr(&a.classes.join(" "))));
    }
    for (k, v) in &a.other {
        s.push_str(&format!(" {}=\"{}\"", escape_attr(k), escape_attr(v)));
    }
    s
}

/// Renders `src` with HTML already set aside in `stash`.
pub(crate) fn render_with(src: &str, opts: &Options, mut stash: Stash) -> Rendered {
    let mut extracted = Extracted::default();
    let inner_opts = opts.clone();
    // Content of `markdown="1"` blocks renders on its own (with a stash of
    // its own, restored before it returns), leaving the outer stash alone.
    let render_inner = move |s: &str, _outer: &mut Stash| -> String {
        render_with(s, &inner_opts, Stash::default()).html
    };
    let text = kramdown::preprocess(src, &mut stash, &mut extracted, &render_inner);
    let text = protect_heading_braces(&text);
    let text = super::pulldown_guard::setext_attribute_lines(&text);
    let mut popts = pulldown_cmark::Options::ENABLE_TABLES
        | pulldown_cmark::Options::ENABLE_FOOTNOTES
        | pulldown_cmark::Options::ENABLE_SMART_PUNCTUATION
        | pulldown_cmark::Options::ENABLE_HEADING_ATTRIBUTES
        | pulldown_cmark::Options::ENABLE_DEFINITION_LIST;
    if opts.gfm {
        popts |= pulldown_cmark::Options::ENABLE_STRIKETHROUGH
            | pulldown_cmark::Options::ENABLE_TASKLISTS;
    }
    let (events, degraded) = parse_events(&text, popts);
    let events = merge_text(events);
    let mut ids = IdGenerator::new(opts.gfm);
    let mut r = Transform {
        src: &text,
        opts,
        alds: &extracted.alds,
        ids: &mut ids,
        headings: Vec::new(),
        footnotes: Vec::new(),
        footnote_bodies: HashMap::default(),
    };
    let out_events = r.run(events);
    let mut html = String::with_capacity(text.len() * 2);
    pulldown_cmark::html::push_html(&mut html, out_events.into_iter());
    html.push_str(&r.footnotes_html());
    let headings = std::mem::take(&mut r.headings);
    if html.contains(TOC_MARK) {
        html = html.replace(TOC_MARK, &toc_html(&headings));
    }
    let html = stash.restore(html);
    let html = abbreviate(html, &extracted.abbreviations);
    Rendered {
        html,
        headings,
        degraded,
    }
}

/// Events of `text`. pulldown-cmark 0.13 has panicked on text the fuzzer
/// made (each such input is rewritten first, see `pulldown_guard`); should
/// another one turn up, the text is parsed again without heading
/// attributes, where both known panics lived, then as plain CommonMark,
/// so the document keeps its rendering. The flag says it happened.
fn parse_events(
    text: &str,
    popts: pulldown_cmark::Options,
) -> (Vec<(Event<'_>, std::ops::Range<usize>)>, bool) {
    let attempt = |o: pulldown_cmark::Options| {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            Parser::new_ext(text, o)
                .into_offset_iter()
                .collect::<Vec<_>>()
        }))
    };
    if let Ok(events) = attempt(popts) {
        return (events, false);
    }
    let fewer = popts - pulldown_cmark::Options::ENABLE_HEADING_ATTRIBUTES;
    match attempt(fewer).or_else(|_| attempt(pulldown_cmark::Options::empty())) {
        Ok(events) => (events, true),
        Err(payload) => std::panic::resume_unwind(payload),
    }
}

static HEADING_BRACES: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?m)^( {0,3}#{1,6}[ \t].*?)\{([^#}][^}]*)\}[ \t]*$")
        .unwrap_or_else(|_| unreachable!())
});

/// kramdown reads only `{#id}` at the end of a heading; pulldown-cmark's
/// heading attributes would also eat `{block}` or `{.x}`, so those braces
/// are escaped.
fn protect_heading_braces(text: &str) -> String {
    // Only a heading line holding a brace can match; most texts have
    // braces (IALs) but none in a heading.
    let candidate = text.split('\n').any(|line| {
        let body = line.trim_start_matches(' ');
        line.len() - body.len() <= 3 && body.starts_with('#') && body.contains('{')
    });
    if !candidate {
        return text.to_string();
    }
    HEADING_BRACES
        .replace_all(text, |c: &regex::Captures<'_>| {
            format!("{}&#123;{}}}", &c[1], &c[2])
        })
        .into_owned()
}

/// Joins adjacent text events (pulldown splits text at quotes and other
/// special characters), so IALs can be recognised.
fn merge_text<'a>(
    events: Vec<(Event<'a>, std::ops::Range<usize>)>,
) -> Vec<(Event<'a>, std::ops::Range<usize>)> {
    let mut out: Vec<(Event<'a>, std::ops::Range<usize>)> = Vec::with_capacity(events.len());
    // A run of text events is joined once, into one buffer: joining them
    // pairwise copied the growing text again at every piece.
    let mut run: Vec<(CowStr<'a>, std::ops::Range<usize>)> = Vec::new();
    let flush = |run: &mut Vec<(CowStr<'a>, std::ops::Range<usize>)>,
                 out: &mut Vec<(Event<'a>, std::ops::Range<usize>)>| {
        match run.len() {
            0 => {}
            1 => {
                if let Some((t, r)) = run.pop() {
                    out.push((Event::Text(t), r));
                }
            }
            _ => {
                let len = run.iter().map(|(t, _)| t.len()).sum();
                let mut joined = String::with_capacity(len);
                for (t, _) in run.iter() {
                    joined.push_str(t);
                }
                let start = run.first().map_or(0, |(_, r)| r.start);
                let end = run.last().map_or(start, |(_, r)| r.end);
                run.clear();
                out.push((Event::Text(CowStr::from(joined)), start..end));
            }
        }
    };
    for (ev, range) in events {
        match ev {
            Event::Text(t) => run.push((t, range)),
            other => {
                flush(&mut run, &mut out);
                out.push((other, range));
            }
        }
    }
    flush(&mut run, &mut out);
    out
}

struct Transform<'s, 'o> {
    src: &'s str,
    opts: &'o Options,
    alds: &'o HashMap<String, String>,
    ids: &'o mut IdGenerator,
    headings: Vec<Heading>,
    footnotes: Vec<String>,
    footnote_bodies: HashMap<String, Vec<Event<'static>>>,
}

type Ev<'a> = (Event<'a>, std::ops::Range<usize>);

impl<'s> Transform<'s, '_> {
    fn run(&mut self, events: Vec<Ev<'s>>) -> Vec<Event<'s>> {
        let mut events = self.apply_block_ials(events);
        let mut out: Vec<Event<'s>> = Vec::with_capacity(events.len());
        let mut i = 0;
        let mut footnote: Option<(String, Vec<Event<'static>>)> = None;
        while i < events.len() {
            // Taken, not cloned (a clone copies merged text); only events
            // after `i` are looked at from here on.
            let Some((ev, range)) = events
                .get_mut(i)
                .map(|slot| std::mem::replace(slot, (Event::Rule, 0..0)))
            else {
                break;
            };
            i += 1;
            let ev = match ev {
                Event::Start(Tag::Heading {
                    level,
                    id,
                    classes,
                    attrs,
                }) => {
                    let end = events[i..]
                        .iter()
                        .position(|(e, _)| matches!(e, Event::End(TagEnd::Heading(_))))
                        .map(|p| i + p)
                        .unwrap_or(events.len());
                    let inner: Vec<Ev<'s>> = events.get(i..end).unwrap_or_default().to_vec();
                    let text = plain_text(&inner);
                    let no_toc = classes.iter().any(|c| c.as_ref() == "no_toc");
                    let id = match id {
                        Some(id) => Some(id),
                        None if self.opts.auto_ids => {
                            let raw = if self.opts.gfm {
                                text.clone()
                            } else {
                                heading_source(self.src, range.clone())
                            };
                            let id = self.ids.id(&raw);
                            (!id.is_empty()).then(|| CowStr::from(id))
                        }
                        None => None,
                    };
                    self.headings.push(Heading {
                        level: level_num(level),
                        id: id.as_ref().map(|s| s.to_string()).unwrap_or_default(),
                        text,
                        no_toc,
                    });
                    Event::Start(Tag::Heading {
                        level,
                        id,
                        classes,
                        attrs,
                    })
                }
                Event::Start(Tag::CodeBlock(kind)) => {
                    let lang = match kind {
                        CodeBlockKind::Fenced(info) => info
                            .split_whitespace()
                            .next()
                            .map(|s| s.to_string())
                            .filter(|s| !s.is_empty()),
                        CodeBlockKind::Indented => None,
                    };
                    let mut code = String::new();
                    while let Some((e, _)) = events.get(i) {
                        i += 1;
                        match e {
                            Event::Text(t) => code.push_str(t),
                            Event::End(TagEnd::CodeBlock) => break,
                            _ => {}
                        }
                    }
                    Event::Html(CowStr::from(super::highlight::kramdown_code_block(
                        lang.as_deref(),
                        &code,
                        self.opts.block_line_numbers,
                        self.opts.highlight,
                    )))
                }
                Event::Text(t) => {
                    let t = if t.contains("{:") {
                        // A span IAL right after a link, image or emphasis
                        // puts its attributes there.
                        if let Some(c) = SPAN_IAL.captures(&t) {
                            // From the source when it is there, as kramdown
                            // reads it: smart punctuation has curled quotes
                            // inside attribute values.
                            let from_source = self
                                .src
                                .get(range.clone())
                                .and_then(|s| SPAN_IAL.captures(s))
                                .map(|sc| sc[1].to_string());
                            let a =
                                parse_attrs(from_source.as_deref().unwrap_or(&c[1]), self.alds, 0);
                            let target = match &mut footnote {
                                Some((_, body)) => apply_span_ial(body, &a),
                                None => apply_span_ial(&mut out, &a),
                            };
                            if target {
                                let rest = t.get(c.get(0).map_or(0, |m| m.end())..).unwrap_or("");
                                CowStr::from(IAL.replace_all(rest, "").into_owned())
                            } else {
                                CowStr::from(IAL.replace_all(&t, "").into_owned())
                            }
                        } else {
                            CowStr::from(IAL.replace_all(&t, "").into_owned())
                        }
                    } else {
                        t
                    };
                    Event::Text(t)
                }
                Event::SoftBreak if self.opts.gfm && self.opts.hard_wrap => Event::HardBreak,
                // kramdown hands code spans to rouge, which marks them so.
                Event::Code(code) => Event::InlineHtml(CowStr::from(format!(
                    "<code class=\"language-plaintext highlighter-rouge\">{}</code>",
                    escape_text(&code)
                ))),
                Event::FootnoteReference(label) => {
                    let n = match self.footnotes.iter().position(|l| l == label.as_ref()) {
                        Some(p) => p + 1,
                        None => {
                            self.footnotes.push(label.to_string());
                            self.footnotes.len()
                        }
                    };
                    let l = escape_attr(&label);
                    Event::InlineHtml(CowStr::from(format!(
                        "<sup id=\"fnref:{l}\" role=\"doc-noteref\"><a href=\"#fn:{l}\" class=\"footnote\" rel=\"footnote\">{n}</a></sup>"
                    )))
                }
                Event::Start(Tag::FootnoteDefinition(label)) => {
                    footnote = Some((label.to_string(), Vec::new()));
                    continue;
                }
                Event::End(TagEnd::FootnoteDefinition) => {
                    if let Some((label, body)) = footnote.take() {
                        self.footnote_bodies.insert(label, body);
                    }
                    continue;
                }
                other => other,
            };
            match &mut footnote {
                Some((_, body)) => body.push(ev.into_static()),
                None => out.push(ev),
            }
        }
        out
    }

    /// Finds IALs standing alone or ending a block, removes them and puts
    /// their attributes on the block they belong to; `{:toc}` lists become
    /// the table-of-contents marker.
    fn apply_block_ials(&mut self, mut events: Vec<Ev<'s>>) -> Vec<Ev<'s>> {
        // Block start index → attributes.
        let mut attach: HashMap<usize, Attrs> = HashMap::default();
        let mut remove: Vec<std::ops::Range<usize>> = Vec::new();
        let mut block_stack: Vec<usize> = Vec::new();
        // Last closed top-level-ish block: (start index, end byte offset).
        let mut last_block: Option<(usize, usize)> = None;
        let mut pending_next: Option<Attrs> = None;
        let mut i = 0;
        while i < events.len() {
            // What the event is, without cloning it (a clone copies its
            // text: that was most of this pass).
            let range = events[i].1.clone();
            let start = match &events[i].0 {
                Event::Start(tag) => Some((is_attr_block(tag), matches!(tag, Tag::Paragraph))),
                _ => None,
            };
            let is_end = matches!(events[i].0, Event::End(_));
            match (start, is_end) {
                (Some((attr_block, paragraph)), _) => {
                    if let Some(a) = pending_next.take() {
                        if attr_block {
                            attach.insert(i, a);
                        }
                    }
                    block_stack.push(i);
                    // An IAL-only paragraph.
                    if paragraph {
                        if let (
                            Some((Event::Text(t), _)),
                            Some((Event::End(TagEnd::Paragraph), _)),
                        ) = (events.get(i + 1), events.get(i + 2))
                        {
                            if let Some(c) =
                                t.contains("{:").then(|| IAL_ONLY.captures(t)).flatten()
                            {
                                // Read the attributes from the source: smart
                                // punctuation has turned `--` into a dash.
                                let src_text = self.src.get(range.clone()).unwrap_or_default();
                                let attrs = IAL_ONLY
                                    .captures(src_text)
                                    .map(|sc| sc[1].to_string())
                                    .unwrap_or_else(|| c[1].to_string());
                                let a = parse_attrs(&attrs, self.alds, 0);
                                let gap = last_block
                                    .map(|(_, end)| self.src.get(end..range.start).unwrap_or(""))
                                    .unwrap_or("\n\n");
                                let directly_after = gap.matches('\n').count() <= 1;
                                match (directly_after, last_block) {
                                    (true, Some((start, _))) => {
                                        merge_attrs(attach.entry(start).or_default(), a)
                                    }
                                    _ => pending_next = Some(a),
                                }
                                remove.push(i..i + 3);
                                block_stack.pop();
                                i += 3;
                                continue;
                            }
                        }
                    }
                }
                (None, true) => {
                    let start = block_stack.pop().unwrap_or(0);
                    // A trailing IAL inside this block's last text.
                    if i > 0 {
                        if let Some((Event::Text(t), _)) = events.get(i - 1) {
                            if t.contains("{:") {
                                if let Some(c) = IAL_TRAILING.captures(t) {
                                    let src_text = self.src.get(range.clone()).unwrap_or_default();
                                    let attrs = IAL_TRAILING
                                        .captures(src_text.trim_end())
                                        .map(|sc| sc[1].to_string())
                                        .unwrap_or_else(|| c[1].to_string());
                                    let a = parse_attrs(&attrs, self.alds, 0);
                                    let trimmed = IAL_TRAILING.replace(t, "").into_owned();
                                    let target = self.ial_target(&events, &block_stack, start);
                                    merge_attrs(attach.entry(target).or_default(), a);
                                    events[i - 1].0 = Event::Text(CowStr::from(trimmed));
                                    // Drop a soft break left dangling before it.
                                    if let Some((Event::SoftBreak, _)) = events.get(i - 2) {
                                        if let Some((Event::Text(t2), _)) = events.get(i - 1) {
                                            if t2.is_empty() {
                                                events[i - 2].0 = Event::Text(CowStr::from(""));
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                    if block_stack.len() <= 1 {
                        last_block = Some((start, range.end));
                    }
                }
                _ => {}
            }
            i += 1;
        }
        // Apply (most texts have nothing to apply).
        if attach.is_empty() && remove.is_empty() {
            return events;
        }
        if !attach.values().any(|a| a.toc) {
            // Nothing is inserted: attributes go on their events in place,
            // and only the IAL paragraphs are taken out.
            for (idx, a) in attach {
                if let Some(slot) = events.get_mut(idx) {
                    let ev = std::mem::replace(&mut slot.0, Event::SoftBreak);
                    slot.0 = apply_attrs(ev, &a);
                }
            }
            if !remove.is_empty() {
                let mut removed = vec![false; events.len()];
                for idx in remove.into_iter().flatten() {
                    if let Some(r) = removed.get_mut(idx) {
                        *r = true;
                    }
                }
                let mut idx = 0;
                events.retain(|_| {
                    idx += 1;
                    !removed.get(idx - 1).copied().unwrap_or(false)
                });
            }
            return events;
        }
        // A table of contents adds its mark before the list: rebuilt.
        let mut out = Vec::with_capacity(events.len());
        let mut toc = false;
        // By event index, so the pass over every event does no hashing.
        let mut removed = vec![false; events.len()];
        for idx in remove.into_iter().flatten() {
            if let Some(r) = removed.get_mut(idx) {
                *r = true;
            }
        }
        let mut attach_at: Vec<Option<Attrs>> = (0..events.len()).map(|_| None).collect();
        for (idx, a) in attach {
            if let Some(slot) = attach_at.get_mut(idx) {
                *slot = Some(a);
            }
        }
        for ((ev, range), (gone, a)) in events.into_iter().zip(removed.into_iter().zip(attach_at)) {
            if gone {
                continue;
            }
            let Some(a) = a else {
                out.push((ev, range));
                continue;
            };
            if a.toc {
                if let Event::Start(Tag::List(_)) = ev {
                    // The whole list gives way to the table of contents.
                    out.push((Event::Html(CowStr::from(TOC_MARK)), range.clone()));
                    out.push((ev, range));
                    toc = true;
                    continue;
                }
            }
            out.push((apply_attrs(ev, &a), range));
        }
        // Only a table of contents put in above has a list to cut.
        if toc {
            cut_toc_lists(out)
        } else {
            out
        }
    }

    /// The block a trailing IAL belongs to: the list for a list item's last
    /// paragraph (kramdown puts `{:toc}` and `{: .x}` after the list),
    /// otherwise the block itself.
    fn ial_target(&self, events: &[Ev<'s>], stack: &[usize], start: usize) -> usize {
        let mut target = start;
        // Paragraph inside an item inside a list: the list.
        if let [.., list, item] = stack {
            if matches!(events.get(*item), Some((Event::Start(Tag::Item), _)))
                && matches!(events.get(*list), Some((Event::Start(Tag::List(_)), _)))
            {
                target = *list;
            }
        } else if let [.., list] = stack {
            if matches!(events.get(start), Some((Event::Start(Tag::Item), _)))
                && matches!(events.get(*list), Some((Event::Start(Tag::List(_)), _)))
            {
                target = *list;
            }
        }
        target
    }

    fn footnotes_html(&self) -> String {
        if self.footnotes.is_empty() {
            return String::new();
        }
        let mut s = String::from("<div class=\"footnotes\" role=\"doc-endnotes\">\n  <ol>\n");
        for label in &self.footnotes {
            let l = escape_attr(label);
            let mut body = String::new();
            if let Some(events) = self.footnote_bodies.get(label) {
                pulldown_cmark::html::push_html(&mut body, events.iter().cloned());
            }
            let back = format!(
                "&nbsp;<a href=\"#fnref:{l}\" class=\"reversefootnote\" role=\"doc-backlink\">&#8617;</a>"
            );
            let body = match body.trim_end().strip_suffix("</p>") {
                Some(b) => format!("{b}{back}</p>"),
                None => format!("{body}<p>{back}</p>"),
            };
            s.push_str(&format!(
                "    <li id=\"fn:{l}\" role=\"doc-endnote\">\n      {}\n    </li>\n",
                body.trim()
            ));
        }
        s.push_str("  </ol>\n</div>\n");
        s
    }
}

static SPAN_IAL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\{:\s*([^}\n]*)\}").unwrap_or_else(|_| unreachable!()));

/// Puts span IAL attributes on the link, image, emphasis or strong element
/// that `events` ends with; false when it ends with something else.
fn apply_span_ial<'a>(events: &mut [Event<'a>], a: &Attrs) -> bool {
    let Some(last) = events.last() else {
        return false;
    };
    #[derive(PartialEq)]
    enum Kind {
        Link,
        Em,
        Strong,
        Image,
    }
    let (kind, close) = match last {
        Event::End(TagEnd::Link) => (Kind::Link, "</a>"),
        Event::End(TagEnd::Emphasis) => (Kind::Em, "</em>"),
        Event::End(TagEnd::Strong) => (Kind::Strong, "</strong>"),
        Event::End(TagEnd::Image) => (Kind::Image, ""),
        _ => return false,
    };
    let Some(start) = events.iter().rposition(|e| match e {
        Event::Start(Tag::Link { .. }) => kind == Kind::Link,
        Event::Start(Tag::Emphasis) => kind == Kind::Em,
        Event::Start(Tag::Strong) => kind == Kind::Strong,
        Event::Start(Tag::Image { .. }) => kind == Kind::Image,
        _ => false,
    }) else {
        return false;
    };
    let extra = attrs_html(a);
    let end = events.len() - 1;
    let open = match &events[start] {
        Event::Start(Tag::Link {
            dest_url, title, ..
        }) => {
            let t = if title.is_empty() {
                String::new()
            } else {
                format!(" title=\"{}\"", escape_attr(title))
            };
            format!("<a href=\"{}\"{t}{extra}>", escape_attr(dest_url))
        }
        Event::Start(Tag::Image {
            dest_url, title, ..
        }) => {
            let alt: String = events[start + 1..end]
                .iter()
                .filter_map(|e| match e {
                    Event::Text(t) | Event::Code(t) => Some(t.to_string()),
                    _ => None,
                })
                .collect();
            let t = if title.is_empty() {
                String::new()
            } else {
                format!(" title=\"{}\"", escape_attr(title))
            };
            let html = format!(
                "<img src=\"{}\" alt=\"{}\"{t}{extra} />",
                escape_attr(dest_url),
                escape_attr(&alt)
            );
            for e in &mut events[start + 1..=end] {
                *e = Event::Text(CowStr::from(""));
            }
            html
        }
        Event::Start(Tag::Emphasis) => format!("<em{extra}>"),
        Event::Start(Tag::Strong) => format!("<strong{extra}>"),
        _ => return false,
    };
    events[start] = Event::InlineHtml(CowStr::from(open));
    if !close.is_empty() {
        events[end] = Event::InlineHtml(CowStr::from(close));
    }
    true
}

fn merge_attrs(into: &mut Attrs, a: Attrs) {
    if a.id.is_some() {
        into.id = a.id;
    }
    into.classes.extend(a.classes);
    into.other.extend(a.other);
    into.toc |= a.toc;
    into.no_toc |= a.no_toc;
}

fn is_attr_block(tag: &Tag<'_>) -> bool {
    matches!(
        tag,
        Tag::Paragraph
            | Tag::Heading { .. }
            | Tag::BlockQuote(_)
            | Tag::List(_)
            | Tag::Table(_)
            | Tag::CodeBlock(_)
    )
}

/// Puts IAL attributes on a block start.
fn apply_attrs<'a>(ev: Event<'a>, a: &Attrs) -> Event<'a> {
    match ev {
        Event::Start(Tag::Heading {
            level,
            id,
            mut classes,
            mut attrs,
        }) => {
            let new_id = a.id.clone().map(CowStr::from).or(id);
            classes.extend(a.classes.iter().cloned().map(CowStr::from));
            attrs.extend(
                a.other
                    .iter()
                    .map(|(k, v)| (CowStr::from(k.clone()), Some(CowStr::from(v.clone())))),
            );
            Event::Start(Tag::Heading {
                level,
                id: new_id,
                classes,
                attrs,
            })
        }
        Event::Start(Tag::Paragraph) => Event::Html(CowStr::from(format!("<p{}>", attrs_html(a)))),
        Event::Start(Tag::BlockQuote(_)) => {
            Event::Html(CowStr::from(format!("<blockquote{}>\n", attrs_html(a))))
        }
        Event::Start(Tag::List(None)) => {
            Event::Html(CowStr::from(format!("<ul{}>\n", attrs_html(a))))
        }
        Event::Start(Tag::List(Some(1))) => {
            Event::Html(CowStr::from(format!("<ol{}>\n", attrs_html(a))))
        }
        other => other,
    }
}

/// Removes the list following each TOC marker (it was the `{:toc}` list).
fn cut_toc_lists<'a>(events: Vec<Ev<'a>>) -> Vec<Ev<'a>> {
    let mut out = Vec::with_capacity(events.len());
    let mut depth: Option<usize> = None;
    let mut iter = events.into_iter().peekable();
    while let Some((ev, range)) = iter.next() {
        if let Event::Html(h) = &ev {
            if h.as_ref() == TOC_MARK {
                out.push((ev, range));
                // The next event is the placeholder list start.
                iter.next();
                depth = Some(1);
                continue;
            }
        }
        if let Some(d) = depth.as_mut() {
            match ev {
                Event::Start(Tag::List(_)) => *d += 1,
                Event::End(TagEnd::List(_)) => {
                    *d -= 1;
                    if *d == 0 {
                        depth = None;
                    }
                }
                _ => {}
            }
            continue;
        }
        out.push((ev, range));
    }
    out
}

fn level_num(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

fn plain_text(events: &[Ev<'_>]) -> String {
    let mut s = String::new();
    for (e, _) in events {
        match e {
            Event::Text(t) | Event::Code(t) | Event::InlineMath(t) => s.push_str(t),
            Event::SoftBreak | Event::HardBreak => s.push(' '),
            _ => {}
        }
    }
    s
}

/// The source text of a heading, as kramdown keeps it for `generate_id`:
/// ATX markers, a closing `#` run and a `{#id}` removed; for setext headings
/// the first line.
fn heading_source(src: &str, range: std::ops::Range<usize>) -> String {
    let raw = src.get(range).unwrap_or_default().replace("&#123;", "{");
    let first = raw.lines().next().unwrap_or_default().trim();
    let text = if first.starts_with('#') {
        let t = first.trim_start_matches('#').trim();
        let t = t.trim_end_matches('#').trim_end();
        t.to_string()
    } else {
        first.to_string()
    };
    match text.rfind('{') {
        Some(p) if text.ends_with('}') && text[p..].contains('#') => text[..p].trim().to_string(),
        _ => text,
    }
}

fn toc_html(headings: &[Heading]) -> String {
    let items: Vec<&Heading> = headings
        .iter()
        .filter(|h| !h.no_toc && !h.id.is_empty())
        .collect();
    if items.is_empty() {
        return String::new();
    }
    let mut s = String::from("<ul id=\"markdown-toc\">\n");
    let mut stack: Vec<u8> = vec![items.first().map(|h| h.level).unwrap_or(1)];
    let mut open_li = false;
    for h in items {
        let top = stack.last().copied().unwrap_or(h.level);
        if h.level > top && open_li {
            s.push_str("\n<ul>\n");
            stack.push(h.level);
        } else {
            while stack.len() > 1 && h.level < stack.last().copied().unwrap_or(0) {
                stack.pop();
                s.push_str("</li>\n</ul>\n");
            }
            if open_li {
                s.push_str("</li>\n");
            }
        }
        s.push_str(&format!(
            "<li><a href=\"#{id}\" id=\"markdown-toc-{id}\">{}</a>",
            escape_text(&h.text),
            id = escape_attr(&h.id)
        ));
        open_li = true;
    }
    while stack.len() > 1 {
        stack.pop();
        s.push_str("</li>\n</ul>\n");
    }
    s.push_str("</li>\n</ul>\n");
    s
}

/// Wraps defined abbreviations in `<abbr>` in text (not inside tags).
fn abbreviate(html: String, abbrs: &[(String, String)]) -> String {
    if abbrs.is_empty() {
        return html;
    }
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    let mut text = String::new();
    let patterns: Vec<(Regex, &String, &String)> = abbrs
        .iter()
        .filter_map(|(abbr, title)| {
            Regex::new(&format!(r"\b{}\b", regex::escape(abbr)))
                .ok()
                .map(|re| (re, abbr, title))
        })
        .collect();
    let flush = |text: &mut String, out: &mut String| {
        let mut t = std::mem::take(text);
        for (re, abbr, title) in &patterns {
            {
                t = re
                    .replace_all(&t, |_: &regex::Captures<'_>| {
                        format!(
                            "<abbr title=\"{}\">{}</abbr>",
                            escape_attr(title),
                            escape_text(abbr)
                        )
                    })
                    .into_owned();
            }
        }
        out.push_str(&t);
    };
    // Text inside code, pre, script and style is left alone, as kramdown
    // does.
    let mut verbatim = 0usize;
    let mut tag = String::new();
    for c in html.chars() {
        if c == '<' {
            if verbatim == 0 {
                flush(&mut text, &mut out);
            } else {
                out.push_str(&std::mem::take(&mut text));
            }
            in_tag = true;
            tag.clear();
        }
        if in_tag {
            out.push(c);
            tag.push(c);
        } else {
            text.push(c);
        }
        if c == '>' && in_tag {
            in_tag = false;
            let t = tag.to_ascii_lowercase();
            let is = |name: &str| {
                t.strip_prefix('<')
                    .and_then(|r| r.strip_prefix(name))
                    .is_some_and(|r| r.starts_with('>') || r.starts_with(' '))
            };
            if ["code", "pre", "script", "style"].iter().any(|n| is(n)) {
                verbatim += 1;
            } else if ["/code", "/pre", "/script", "/style"].iter().any(|n| is(n)) {
                verbatim = verbatim.saturating_sub(1);
            }
        }
    }
    if verbatim == 0 {
        flush(&mut text, &mut out);
    } else {
        out.push_str(&text);
    }
    out
}

/// kramdown's typographic replacements on plain text (`smartify`).
pub fn smarten(text: &str) -> String {
    let r = render(text, &Options::default()).html;
    let r = r.trim();
    r.strip_prefix("<p>")
        .and_then(|x| x.strip_suffix("</p>"))
        .unwrap_or(r)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pulldown_cmark_panic_is_parsed_again_without_heading_attributes() {
        let opts = pulldown_cmark::Options::ENABLE_HEADING_ATTRIBUTES;
        // Unguarded, this panics pulldown-cmark 0.13.6 (found by fuzzing).
        let (events, degraded) = parse_events("- d\n   {}\n  -\n", opts);
        assert!(degraded);
        assert!(events
            .iter()
            .any(|(e, _)| matches!(e, Event::Start(Tag::Heading { .. }))));
        let (_, degraded) = parse_events("# fine {#id}\n", opts);
        assert!(!degraded);
    }

    fn html(src: &str) -> String {
        render(src, &Options::default()).html
    }

    #[test]
    fn heading_ids_and_duplicates() {
        let h = html("# Hello World\n\n## Hello World\n\n### `code` here\n");
        assert!(h.contains("<h1 id=\"hello-world\">"), "{h}");
        assert!(h.contains("<h2 id=\"hello-world-1\">"), "{h}");
        assert!(h.contains("<h3 id=\"code-here\">"), "{h}");
    }

    #[test]
    fn ial_on_paragraph_and_heading() {
        let h = html("Some note.\n{: .notice}\n\n## Title\n{: .no_toc}\n");
        assert!(h.contains("<p class=\"notice\">Some note.</p>"), "{h}");
        assert!(h.contains("<h2 id=\"title\" class=\"no_toc\">"), "{h}");
        assert!(!h.contains("{:"), "{h}");
    }

    #[test]
    fn toc_replaces_list() {
        let h = html("* TOC\n{:toc}\n\n## One\n\n### Two\n\n## Three\n");
        assert!(h.contains("<ul id=\"markdown-toc\">"), "{h}");
        assert!(
            h.contains("<a href=\"#two\" id=\"markdown-toc-two\">Two</a>"),
            "{h}"
        );
        assert!(!h.contains("TOC"), "{h}");
    }

    #[test]
    fn footnotes_kramdown_style() {
        let h = html("A[^1] b.\n\n[^1]: The note.\n");
        assert!(
            h.contains("<sup id=\"fnref:1\" role=\"doc-noteref\">"),
            "{h}"
        );
        assert!(h.contains("<li id=\"fn:1\" role=\"doc-endnote\">"), "{h}");
        assert!(h.contains("The note."), "{h}");
    }

    #[test]
    fn heading_braces_and_dashed_ial_ids() {
        let h = html("## getset(key) {block}\n\n### Minor\n{: #minor-v--}\n");
        assert!(
            h.contains("<h2 id=\"getsetkey-block\">getset(key) {block}</h2>"),
            "{h}"
        );
        assert!(h.contains("<h3 id=\"minor-v--\">"), "{h}");
    }

    #[test]
    fn abbreviations_definition_lists_math_nomarkdown() {
        let h = html("The HTML spec.\n\n*[HTML]: Hyper Text Markup Language\n\nTerm\n: Definition\n\n$$\na_1 + b_2\n$$\n\nInline $$x_i$$ here.\n\n{::nomarkdown}\n<b>*raw*</b>\n{:/nomarkdown}\n");
        assert!(
            h.contains("<abbr title=\"Hyper Text Markup Language\">HTML</abbr>"),
            "{h}"
        );
        assert!(!h.contains("*[HTML]"), "{h}");
        assert!(h.contains("<dt>Term</dt>"), "{h}");
        assert!(h.contains("<dd>Definition</dd>"), "{h}");
        assert!(h.contains("\\[a_1 + b_2\\]"), "{h}");
        assert!(h.contains("\\(x_i\\)"), "{h}");
        assert!(h.contains("<b>*raw*</b>"), "{h}");
    }

    #[test]
    fn span_ials_on_links_images_and_emphasis() {
        let h = html("See [the site](https://x.org){:target=\"_blank\"} and ![alt *t*](/a.png){: .wide} and *em*{: .hl} ok.\n");
        assert!(
            h.contains("<a href=\"https://x.org\" target=\"_blank\">the site</a> and"),
            "{h}"
        );
        assert!(
            h.contains("<img src=\"/a.png\" alt=\"alt t\" class=\"wide\" /> and"),
            "{h}"
        );
        assert!(h.contains("<em class=\"hl\">em</em> ok."), "{h}");
    }

    #[test]
    fn markdown_blocks_keep_earlier_stashed_html() {
        let h = html("$$\ne = mc^2\n$$\n\n<div markdown=\"1\">\n**Bold**\n</div>\n");
        assert!(h.contains("\\[e = mc^2\\]"), "{h}");
        assert_eq!(h.matches("<strong>Bold</strong>").count(), 1, "{h}");
    }

    #[test]
    fn text_split_by_pulldown_is_joined_before_ials_are_read() {
        // Quotes, `&` and brackets split the text into several events; the
        // span IAL after the emphasis and the trailing block IAL are only
        // seen once they are joined again.
        let h = html("It's \"a\" & [b] *em*{: title=\"x's\"} 'c' d\n{: title=\"n\" .note}\n");
        assert!(h.contains("<p class=\"note\" title=\"n\">"), "{h}");
        assert!(h.contains("<em title=\"x's\">em</em>"), "{h}");
        // Read from the source, so `--` in a class stays two hyphens.
        let h = html("[Go](#){: .btn .btn--primary}\n");
        assert!(h.contains("class=\"btn btn--primary\""), "{h}");
        assert!(!h.contains("{:"), "{h}");
    }

    #[test]
    fn abbreviations_skip_code() {
        let h = html("HTML and `HTML`.\n\n    HTML\n\n*[HTML]: Markup\n");
        assert_eq!(h.matches("<abbr").count(), 1, "{h}");
    }

    #[test]
    fn smart_punctuation() {
        assert_eq!(smarten("\"a\" -- b --- c..."), "“a” – b — c…");
    }
}
