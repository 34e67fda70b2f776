//! kramdown → CommonMark-family translation.
//!
//! Jekyll authors write kramdown; Hugo (goldmark) and Zola (pulldown-cmark)
//! read CommonMark with extensions. This module rewrites only what those
//! readers would render differently, line by line, and leaves the rest of
//! the author's text as written:
//!
//! - block IALs `{: .c #id k="v"}` become `{.c #id k="v"}` (goldmark block
//!   attributes), merged into the heading line after a heading;
//! - headings get an explicit `{#id}` where the target's own id generator
//!   would not give kramdown's id, so `#fragment` links survive;
//! - `* TOC` + `{:toc}` becomes the target's table-of-contents marker;
//! - `{::comment}` is dropped, `{::nomarkdown}` unwrapped, `{::options}`,
//!   ALDs, span IALs and abbreviation definitions dropped with a diagnostic;
//! - fence info strings are reduced to a language the target accepts, with
//!   kramdown/Rouge-style `{1,3}` line marks kept as marked lines;
//! - lines indented by four spaces after a blank line inside a raw HTML
//!   block are dedented, so CommonMark does not turn them into code.
//!
//! What is target-specific (fence attributes, the TOC marker, the target's id
//! rules) comes from a [`Flavor`].

pub mod fence;
pub mod ial;
pub mod ids;
mod lines;

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;

use ial::parse_ial;

use crate::find::{KRAMDOWN_EXT_OPEN, MATH_DELIMITER};
pub use ids::{IdStyle, KramdownIds};

/// What a target Markdown reader needs written its own way.
pub trait Flavor {
    /// The info string of a fenced block (after the backticks).
    fn fence_info(&self, lang: Option<&str>, linenos: bool, marked: &[u32]) -> String;
    /// The text that stands where kramdown's `{:toc}` list was.
    fn toc_marker(&self) -> String;
    /// The id the target gives a heading whose plain text is `plain`, before
    /// duplicate numbering; `None` when it gives none (always write ids).
    fn auto_id(&self, plain: &str) -> Option<String>;
}

/// Something the translation could not carry over exactly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// 1-based line in the source file.
    pub line: usize,
    /// Short kind (`span-ial`, `abbreviation`, …).
    pub kind: &'static str,
    /// What happened.
    pub message: String,
    /// True when content or meaning was lost (a warning), false for notes.
    pub lossy: bool,
}

/// The result of translating one run of Markdown.
#[derive(Debug, Clone, Default)]
pub struct Translated {
    /// The translated text.
    pub text: String,
    /// What could not be carried over.
    pub notes: Vec<Note>,
    /// A `{:toc}` was replaced by the target's marker.
    pub toc: bool,
    /// Block attribute lines were written (goldmark needs `attribute.block`).
    pub block_attributes: bool,
    /// `$$` math was seen.
    pub math: bool,
    /// The run ended inside a heading line that the next node continues (an
    /// include after the heading text): the attributes (`{#id}`) to write at
    /// the end of that line, after the next node's text.
    pub open_heading_attrs: Option<String>,
}

/// State kept across the Markdown runs of one document (heading id counters).
pub struct Translator<'f> {
    flavor: &'f dyn Flavor,
    style: IdStyle,
    kramdown_ids: KramdownIds,
    target_seen: crate::fast_hash::FastSet<String>,
}

static ATX_CLOSE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[ \t]+#+$").expect("static regex"));
static EXPLICIT_ID: LazyLock<Regex> =
    // kramdown's header ids take Ruby's ASCII `\w`.
    LazyLock::new(|| {
        Regex::new(r"[ \t]*\{#([A-Za-z](?-u:[\w:.-])*)\}$").expect("static regex")
    });
static SETEXT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^ {0,3}(=+|-+)[ \t]*$").expect("static regex"));
static IAL_LINE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^ {0,3}\{:(.*)\}[ \t]*$").expect("static regex"));
static SPAN_IAL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\{:[^}\n]*\}").expect("static regex"));
static TOC_ITEM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^ {0,3}(?:[*+-]|[0-9]+\.)[ \t]+TOC[ \t]*$").expect("static regex")
});
static ABBR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^ {0,3}\*\[[^\]]+\]:").expect("static regex"));
static BLOCK_TAG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)<(/?)(div|table|thead|tbody|tfoot|tr|td|th|ul|ol|li|section|figure|figcaption|details|summary|blockquote|dl|dt|dd|form|nav|aside|header|footer|article|center|fieldset|p|main)\b[^>]*?(/?)>").expect("static regex")
});
static MD_ATTR_OPEN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"^ {0,3}<([A-Za-z][A-Za-z0-9]*)\b[^>]*\smarkdown=["']?(?:1|block)["']?[^>]*>\s*$"#)
        .expect("static regex")
});
static MD_ATTR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"\smarkdown=["']?(?:1|block)["']?"#).expect("static regex"));
static RAW_OPEN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^ {0,3}<(pre|script|style|textarea)[\s>]").expect("static regex")
});

/// Whether the first character of `line` after its leading spaces is one
/// of `chars`: a line-start regex below can only match then, and running
/// every one of them on every line was most of a translation.
fn starts(line: &str, chars: &[char]) -> bool {
    line.trim_start_matches(' ')
        .chars()
        .next()
        .is_some_and(|c| chars.contains(&c))
}

impl<'f> Translator<'f> {
    /// A translator for one document.
    pub fn new(flavor: &'f dyn Flavor, style: IdStyle) -> Self {
        Translator {
            flavor,
            style,
            kramdown_ids: KramdownIds::new(),
            target_seen: Default::default(),
        }
    }

    /// The heading line with an explicit id appended where needed.
    fn heading(&mut self, indent: &str, hashes: &str, text: &str, extra: &[String]) -> String {
        self.heading_parts(indent, hashes, text, extra, false).0
    }

    /// The heading line, and its attribute block apart when `open` (the line
    /// goes on in the next node, so the target's own id would differ and
    /// the attributes must come after the rest of the line).
    fn heading_parts(
        &mut self,
        indent: &str,
        hashes: &str,
        text: &str,
        extra: &[String],
        open: bool,
    ) -> (String, Option<String>) {
        // Both patterns are anchored at the end: most headings end in
        // neither `#` nor `}`.
        let text = if text.ends_with('#') {
            ATX_CLOSE.replace(text, "").to_string()
        } else {
            text.to_string()
        };
        let (text, explicit) = match text
            .ends_with('}')
            .then(|| EXPLICIT_ID.captures(&text))
            .flatten()
        {
            Some(c) => (
                text[..c.get(0).map_or(text.len(), |m| m.start())].to_string(),
                Some(c[1].to_string()),
            ),
            None => (text, None),
        };
        let mut attrs: Vec<String> = Vec::new();
        // Made once: both id rules start from it.
        let plain = ids::heading_plain_text(&text);
        let id = match explicit {
            Some(id) => Some(id),
            None => self.kramdown_ids.next(&text, &plain, self.style),
        };
        let needs_explicit = match (&id, self.flavor.auto_id(&plain)) {
            (Some(id), Some(auto)) => {
                let differs = *id != auto || self.target_seen.contains(&auto);
                self.target_seen.insert(auto);
                differs
            }
            (Some(_), None) => true,
            (None, _) => false,
        };
        if let Some(id) = &id {
            self.target_seen.insert(id.clone());
            if needs_explicit || open || !extra.is_empty() {
                attrs.push(format!("#{id}"));
            }
        }
        attrs.extend(extra.iter().filter(|t| !t.starts_with('#')).cloned());
        let block = (!attrs.is_empty()).then(|| format!("{{{}}}", attrs.join(" ")));
        match block {
            Some(b) if open => (format!("{indent}{hashes} {text}"), Some(b)),
            Some(b) => (format!("{indent}{hashes} {text} {b}"), None),
            None => (format!("{indent}{hashes} {text}"), None),
        }
    }

    /// Translates one run of Markdown that starts at source line `first_line`.
    pub fn translate(&mut self, text: &str, first_line: usize) -> Translated {
        let mut t = Translated::default();
        // Lines are borrowed from `text` unless changed: most are not.
        let mut out: Vec<Cow<'_, str>> = Vec::with_capacity(text.len() / 32);
        let mut fence: Option<(char, usize)> = None;
        let mut raw_until: Option<String> = None;
        let mut in_comment = false;
        let mut html_depth: i32 = 0;
        let mut md_html = false;
        let mut md_close: Vec<String> = Vec::new();
        let mut prev_blank = true;
        let mut pending: Option<Vec<String>> = None;
        let mut last_heading: Option<usize> = None;
        let mut prev_was_fence_close = false;
        let lines = crate::line_split::split_lines(text);
        // kramdown's extensions all start `{:`; most texts have none, and
        // then the per-line searches for them are skipped.
        let has_ext = KRAMDOWN_EXT_OPEN.is_in(text);
        // Likewise `$$` math: searched for once in the whole text.
        let has_math = MATH_DELIMITER.is_in(text);
        for (i, raw) in lines.iter().enumerate() {
            let line_no = first_line + i;
            let mut line: Cow<'_, str> = Cow::Borrowed(raw);
            // Inside a fenced block nothing is touched.
            if let Some((ch, len)) = fence {
                let tr = line.trim();
                let n = tr.chars().take_while(|c| *c == ch).count();
                if n >= len
                    && tr.chars().all(|c| c == ch)
                    && line.len() - line.trim_start().len() <= 3
                {
                    fence = None;
                    prev_was_fence_close = true;
                } else {
                    prev_was_fence_close = false;
                }
                out.push(line);
                prev_blank = false;
                continue;
            }
            if let Some(close) = &raw_until {
                if line.to_ascii_lowercase().contains(close.as_str()) {
                    raw_until = None;
                }
                out.push(line);
                prev_blank = false;
                continue;
            }
            if in_comment {
                match line.find("{:/comment}").or_else(|| line.find("{:/}")) {
                    Some(pos) => {
                        in_comment = false;
                        let close_len = if line[pos..].starts_with("{:/comment}") {
                            11
                        } else {
                            4
                        };
                        line = Cow::Owned(line[pos + close_len..].to_string());
                        if line.trim().is_empty() {
                            continue;
                        }
                    }
                    None => continue,
                }
            }
            // Block-level kramdown extensions; each starts `{:`, so a line
            // without one skips the searches for them.
            let line_ext = has_ext && KRAMDOWN_EXT_OPEN.is_in(&line);
            if let Some(pos) = line_ext.then(|| line.find("{::comment}")).flatten() {
                let after = &line[pos + 11..];
                match after.find("{:/comment}").or_else(|| after.find("{:/}")) {
                    Some(end) => {
                        let close_len = if after[end..].starts_with("{:/comment}") {
                            11
                        } else {
                            4
                        };
                        line = Cow::Owned(format!("{}{}", &line[..pos], &after[end + close_len..]));
                    }
                    None => {
                        in_comment = true;
                        line = Cow::Owned(line[..pos].to_string());
                    }
                }
                if line.trim().is_empty() {
                    continue;
                }
            }
            if line_ext && (line.contains("{::nomarkdown}") || line.contains("{:/nomarkdown}")) {
                line = Cow::Owned(
                    line.replace("{::nomarkdown}", "")
                        .replace("{:/nomarkdown}", ""),
                );
                if line.trim().is_empty() {
                    continue;
                }
            }
            if line_ext && line.trim_start().starts_with("{::options") {
                t.notes.push(Note {
                    line: line_no,
                    kind: "kramdown-options",
                    message: "kramdown {::options} has no equivalent and was dropped".into(),
                    lossy: false,
                });
                continue;
            }
            if let Some((indent, marker, info)) = lines::fence_open(&line) {
                let ch = marker.chars().next().unwrap_or('`');
                let info = info.trim();
                // A backtick fence whose info holds a backtick is not a fence.
                if !(ch == '`' && info.contains('`')) {
                    fence = Some((ch, marker.len()));
                    let parsed = fence::parse_info(info);
                    if parsed.dropped {
                        t.notes.push(Note {
                            line: line_no,
                            kind: "fence-info",
                            message: format!(
                                "fence info {info:?} rewritten as {:?}",
                                parsed.lang.as_deref().unwrap_or("")
                            ),
                            lossy: false,
                        });
                    }
                    let new_info =
                        self.flavor
                            .fence_info(parsed.lang.as_deref(), false, &parsed.marked);
                    out.push(Cow::Owned(format!("{indent}{marker}{new_info}")));
                    prev_blank = false;
                    last_heading = None;
                    continue;
                }
            }
            if let Some(c) = starts(&line, &['<'])
                .then(|| RAW_OPEN.captures(&line))
                .flatten()
            {
                let tag = c[1].to_ascii_lowercase();
                let close = format!("</{tag}>");
                if !line.to_ascii_lowercase().contains(&close) {
                    raw_until = Some(close);
                }
                out.push(line);
                prev_blank = false;
                continue;
            }
            let blank = line.trim().is_empty();
            if blank {
                if let Some(attrs) = pending.take() {
                    // An IAL written before a block applies to it: goldmark wants it after.
                    if !prev_blank {
                        out.push(Cow::Owned(format!("{{{}}}", attrs.join(" "))));
                        t.block_attributes = true;
                    } else {
                        pending = Some(attrs);
                    }
                }
                out.push(line);
                prev_blank = true;
                prev_was_fence_close = false;
                continue;
            }
            // Raw HTML blocks: keep indented lines from turning into code.
            if html_depth > 0 && prev_blank && !md_html {
                let indent = line.len() - line.trim_start().len();
                if indent >= 4 || line.starts_with('\t') {
                    line = Cow::Owned(line.trim_start().to_string());
                }
            }
            // `markdown="1"`: kramdown reads the element's content as
            // Markdown; CommonMark does so only with blank lines around it.
            if let Some(tag) = md_close.last() {
                if line.trim().eq_ignore_ascii_case(&format!("</{tag}>")) {
                    md_close.pop();
                    if !prev_blank {
                        out.push(Cow::Borrowed(""));
                    }
                }
            }
            if let Some(c) = starts(&line, &['<'])
                .then(|| MD_ATTR_OPEN.captures(&line))
                .flatten()
            {
                let tag = c[1].to_ascii_lowercase();
                let cleaned = MD_ATTR.replace(&line, "").into_owned();
                if !cleaned.to_ascii_lowercase().contains(&format!("</{tag}>")) {
                    md_close.push(tag);
                    out.push(Cow::Owned(cleaned));
                    out.push(Cow::Borrowed(""));
                    html_depth += 1;
                    md_html = true;
                    prev_blank = true;
                    continue;
                }
            }
            let trimmed = line.trim_start();
            if trimmed.starts_with('<') || html_depth > 0 {
                for c in BLOCK_TAG.captures_iter(&line) {
                    if &c[3] == "/" {
                        continue;
                    }
                    if &c[1] == "/" {
                        html_depth -= 1;
                    } else {
                        html_depth += 1;
                    }
                }
                if html_depth <= 0 {
                    html_depth = 0;
                    md_html = false;
                } else if line.contains("markdown=\"1\"")
                    || line.contains("markdown='1'")
                    || line.contains("markdown=\"block\"")
                {
                    md_html = true;
                }
            }
            // Standalone IAL / ALD lines.
            if let Some(c) = starts(&line, &['{'])
                .then(|| IAL_LINE.captures(&line))
                .flatten()
            {
                let body = c[1].trim().to_string();
                if body == "toc" || body == "toc " || body.split_whitespace().any(|w| w == "toc") {
                    if out.last().is_some_and(|l| TOC_ITEM.is_match(l)) {
                        out.pop();
                    }
                    out.push(Cow::Owned(self.flavor.toc_marker()));
                    t.toc = true;
                    prev_blank = false;
                    continue;
                }
                if body.starts_with(':') || body.starts_with('/') {
                    // `{::x}` / `{:/x}` extensions not handled above.
                    t.notes.push(Note {
                        line: line_no,
                        kind: "kramdown-extension",
                        message: format!("kramdown extension {{:{body}}} dropped"),
                        lossy: true,
                    });
                    continue;
                }
                if let Some((name, _)) = body.split_once(':') {
                    if !name.contains(' ') && !name.contains('=') && !name.is_empty() {
                        t.notes.push(Note {
                            line: line_no,
                            kind: "kramdown-ald",
                            message: format!(
                                "attribute list definition {name:?} has no equivalent; dropped"
                            ),
                            lossy: true,
                        });
                        continue;
                    }
                }
                let attrs = parse_ial(&body);
                for r in &attrs.refs {
                    t.notes.push(Note {
                        line: line_no,
                        kind: "kramdown-ald",
                        message: format!("reference to attribute list {r:?} dropped"),
                        lossy: true,
                    });
                }
                if attrs.tokens.is_empty() {
                    continue;
                }
                if prev_was_fence_close {
                    t.notes.push(Note {
                        line: line_no,
                        kind: "block-ial",
                        message: format!("attributes {{:{body}}} on a code block dropped"),
                        lossy: true,
                    });
                    continue;
                }
                if let (false, Some(h)) = (prev_blank, last_heading) {
                    if h + 1 == out.len() {
                        if let Some(prev) = out.pop() {
                            let rebuilt = self.reheading(&prev, &attrs.tokens);
                            out.push(Cow::Owned(rebuilt));
                            last_heading = Some(out.len() - 1);
                            continue;
                        }
                    }
                }
                if prev_blank {
                    pending = Some(attrs.tokens);
                } else {
                    out.push(Cow::Owned(format!("{{{}}}", attrs.tokens.join(" "))));
                    t.block_attributes = true;
                }
                prev_blank = false;
                continue;
            }
            if starts(&line, &['*']) && ABBR.is_match(&line) {
                t.notes.push(Note {
                    line: line_no,
                    kind: "abbreviation",
                    message: "abbreviation definition dropped (the text keeps the abbreviation, without its <abbr> title)".into(),
                    lossy: true,
                });
                continue;
            }
            if has_math && MATH_DELIMITER.is_in(&line) {
                t.math = true;
            }
            // Span IALs have no goldmark form.
            if has_ext && KRAMDOWN_EXT_OPEN.is_in(&line) && !in_code_span(&line) {
                let before = line.clone();
                line = Cow::Owned(SPAN_IAL.replace_all(&line, "").into_owned());
                if line != before {
                    t.notes.push(Note {
                        line: line_no,
                        kind: "span-ial",
                        message:
                            "span attributes {: …} have no Markdown equivalent and were dropped"
                                .into(),
                        lossy: true,
                    });
                }
            }
            // Headings.
            if html_depth == 0 {
                if let Some((indent, hashes, heading)) = lines::atx(&line) {
                    let mut extra = Vec::new();
                    if let Some(attrs) = pending.take() {
                        extra = attrs;
                    }
                    let open = i + 1 == lines.len() && !text.ends_with('\n');
                    // Keep the author's trailing space before the next node.
                    let tail = if open && raw.ends_with([' ', '\t']) {
                        " "
                    } else {
                        ""
                    };
                    let (h, attrs) = self.heading_parts(indent, hashes, heading, &extra, open);
                    out.push(Cow::Owned(format!("{h}{tail}")));
                    t.open_heading_attrs = attrs;
                    last_heading = Some(out.len() - 1);
                    prev_blank = false;
                    prev_was_fence_close = false;
                    continue;
                }
                if starts(&line, &['=', '-']) && SETEXT.is_match(&line) && !prev_blank {
                    let para_start =
                        out.len() >= 2 && out[out.len() - 2].trim().is_empty() || out.len() == 1;
                    if let Some(prev) = out.last() {
                        let is_text = !prev.trim().is_empty()
                            && !prev
                                .trim_start()
                                .starts_with(['<', '>', '-', '*', '+', '|', '#'])
                            && !prev.starts_with("    ");
                        if para_start && is_text {
                            let level = if line.trim_start().starts_with('=') {
                                "#"
                            } else {
                                "##"
                            };
                            let prev = out.pop().unwrap_or_default();
                            let h = self.heading("", level, prev.trim(), &[]);
                            // Keep the setext form's underline: write an ATX heading instead.
                            out.push(Cow::Owned(h));
                            last_heading = Some(out.len() - 1);
                            prev_blank = false;
                            continue;
                        }
                    }
                }
            }
            out.push(line);
            prev_blank = false;
            prev_was_fence_close = false;
        }
        if let Some(attrs) = pending.take() {
            if !prev_blank {
                out.push(Cow::Owned(format!("{{{}}}", attrs.join(" "))));
                t.block_attributes = true;
            }
        }
        t.text = out.join("\n");
        t
    }

    /// Rebuilds an ATX heading line with extra attributes from an IAL below it.
    fn reheading(&mut self, line: &str, tokens: &[String]) -> String {
        // The line was written by `heading`, so it may end in `{…}` already.
        let (head, existing) = match line.rfind(" {") {
            Some(p) if line.ends_with('}') => (&line[..p], &line[p + 2..line.len() - 1]),
            _ => (line, ""),
        };
        let mut all: Vec<String> = existing.split_whitespace().map(String::from).collect();
        for tok in tokens {
            if tok.starts_with('#') {
                all.retain(|t| !t.starts_with('#'));
            }
            all.push(tok.clone());
        }
        format!("{head} {{{}}}", all.join(" "))
    }
}

fn in_code_span(line: &str) -> bool {
    match line.find("{:") {
        Some(p) => line[..p].matches('`').count() % 2 == 1,
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Test;
    impl Flavor for Test {
        fn fence_info(&self, lang: Option<&str>, _l: bool, marked: &[u32]) -> String {
            let mut s = lang.unwrap_or("").to_string();
            if !marked.is_empty() {
                s.push_str(&format!(" {marked:?}"));
            }
            s
        }
        fn toc_marker(&self) -> String {
            "[TOC]".into()
        }
        fn auto_id(&self, plain: &str) -> Option<String> {
            Some(ids::github_base(plain))
        }
    }

    fn tr(s: &str) -> Translated {
        Translator::new(&Test, IdStyle::Gfm).translate(s, 1)
    }

    #[test]
    fn ials_become_block_attributes() {
        let t = tr("Para\n{: .note}\n\n{: .lead}\nNext para\n\n## Head\n{: #x .c}\n");
        assert_eq!(
            t.text,
            "Para\n{.note}\n\nNext para\n{.lead}\n\n## Head {#x .c}\n"
        );
        assert!(t.block_attributes);
    }

    #[test]
    fn toc_and_comments() {
        let t = tr(
            "* TOC\n{:toc}\n\n{::comment}\nhidden\n{:/comment}\nshown {::comment}x{:/comment}\n",
        );
        assert_eq!(t.text, "[TOC]\n\nshown \n");
        assert!(t.toc);
    }

    #[test]
    fn heading_ids_written_only_where_they_differ() {
        let t = tr("# Plain words\n\n## What's new?\n\n## Plain words\n\n### Own {#mine}\n");
        assert_eq!(
            t.text,
            "# Plain words\n\n## What's new?\n\n## Plain words {#plain-words-1}\n\n### Own {#mine}\n"
        );
    }

    #[test]
    fn a_heading_continued_by_the_next_node_gets_its_id_apart() {
        let t = tr("Intro\n\n## Custom Sorting ");
        assert_eq!(t.text, "Intro\n\n## Custom Sorting ");
        assert_eq!(t.open_heading_attrs.as_deref(), Some("{#custom-sorting}"));
    }

    #[test]
    fn fences_are_cleaned_and_left_alone_inside() {
        let t = tr("```{r}\n{: .x}\n## not a heading\n```\n\n```js {1,3}\nx\n```\n");
        assert_eq!(
            t.text,
            "```r\n{: .x}\n## not a heading\n```\n\n```js [1, 3]\nx\n```\n"
        );
    }

    #[test]
    fn html_blocks_are_dedented_after_blank_lines() {
        let t = tr("<div class=\"x\">\n\n    <p>in div</p>\n\n</div>\n\n    real code\n");
        assert_eq!(
            t.text,
            "<div class=\"x\">\n\n<p>in div</p>\n\n</div>\n\n    real code\n"
        );
    }

    #[test]
    fn markdown_inside_html_gets_blank_lines() {
        let t = tr("<div class=\"x\" markdown=\"1\">\n**Bold** here.\n</div>\n");
        assert_eq!(t.text, "<div class=\"x\">\n\n**Bold** here.\n\n</div>\n");
    }

    #[test]
    fn span_ials_and_abbreviations_are_noted() {
        let t = tr("A [link](x){: target=\"_blank\"} here\n\n*[HTML]: Hyper Text\n");
        assert_eq!(t.text, "A [link](x) here\n\n");
        let kinds: Vec<_> = t.notes.iter().map(|n| (n.kind, n.line)).collect();
        assert_eq!(kinds, [("span-ial", 1), ("abbreviation", 3)]);
    }
}
