//! One pass over a page's Markdown (after the content nodes are joined) that
//! does what Zola needs and kramdown did implicitly:
//!
//! - headings without an id get kramdown's automatic id as `{#id}`, so
//!   `#fragment` links from other pages and sites keep working;
//! - relative link and image URLs are made absolute site paths (Zola would
//!   prefix them with the page's own permalink, which now ends in `/`);
//! - code blocks and code spans holding template syntax become raw HTML with
//!   entities, and every other template opener becomes an entity
//!   (see [`super::neutralise`]).
//!
//! The text is parsed with pulldown-cmark (the parser Zola uses) and edited
//! by byte range, so everything not touched stays as the author wrote it.

use std::ops::Range;
use std::sync::LazyLock;

use crate::content::headings::IdGenerator;
use crate::dialect::fence;
use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd};
use regex::Regex;

use super::neutralise::{entities, has_opener, inert_html_text};

/// How links of one page are resolved.
pub struct LinkBase {
    /// Absolute URL of the page as Jekyll served it (any host), for joining.
    pub page_url: String,
}

impl LinkBase {
    /// The absolute site path for a relative `link`, or `None` when the link
    /// is not relative (absolute, `#…`, `mailto:`, `@/…`) or cannot be parsed.
    pub fn absolute_path(&self, link: &str) -> Option<String> {
        let l = link.trim();
        if l.is_empty()
            || l.starts_with('/')
            || l.starts_with('#')
            || l.starts_with('?')
            || l.starts_with("@/")
            || l.starts_with('{')
            || l.starts_with('&')
            || has_scheme(l)
        {
            return None;
        }
        let base = url::Url::parse(&self.page_url).ok()?;
        let joined = base.join(l).ok()?;
        let mut out = joined.path().to_string();
        if let Some(q) = joined.query() {
            out.push('?');
            out.push_str(q);
        }
        if let Some(f) = joined.fragment() {
            out.push('#');
            out.push_str(f);
        }
        Some(out)
    }
}

fn has_scheme(l: &str) -> bool {
    let Some((scheme, _)) = l.split_once(':') else {
        return false;
    };
    let mut cs = scheme.chars();
    cs.next().is_some_and(|c| c.is_ascii_alphabetic())
        && cs.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

static HTML_URL_ATTR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)(\s(?:href|src|poster)\s*=\s*)("([^"]*)"|'([^']*)')"#).expect("static regex")
});

/// Rewrites relative `href`/`src`/`poster` URLs in an HTML fragment.
pub fn rewrite_html_links(html: &str, base: &LinkBase) -> String {
    HTML_URL_ATTR
        .replace_all(html, |c: &regex::Captures<'_>| {
            let (value, quote) = match (c.get(3), c.get(4)) {
                (Some(v), _) => (v.as_str(), '"'),
                (None, Some(v)) => (v.as_str(), '\''),
                _ => ("", '"'),
            };
            match base.absolute_path(value) {
                Some(abs) => format!("{}{quote}{abs}{quote}", &c[1]),
                None => c[0].to_string(),
            }
        })
        .into_owned()
}

/// kramdown's automatic heading ids, computed by the content layer's
/// [`IdGenerator`] under the site's rule: kramdown-parser-gfm (Jekyll's
/// default) from the heading's text, or kramdown's own from its source.
#[derive(Debug)]
pub struct KramdownIds {
    gen: IdGenerator,
    gfm: bool,
}

impl KramdownIds {
    /// Ids under the GFM parser's rule (`gfm`) or kramdown's.
    pub fn new(gfm: bool) -> Self {
        KramdownIds {
            gen: IdGenerator::new(gfm),
            gfm,
        }
    }

    /// Prose of a heading as kramdown sees it for ids: `--`/`---` become
    /// dashes and `...` an ellipsis, characters the id then drops.
    pub fn typographic(text: &str) -> String {
        text.replace("---", "").replace("--", "").replace("...", "")
    }

    /// The id for a heading: `text` is its text content (prose through
    /// [`KramdownIds::typographic`], code spans as they are), `source` its
    /// text as written.
    pub fn next(&mut self, text: &str, source: &str) -> String {
        self.gen.id(if self.gfm { text } else { source })
    }
}

/// What the pass changed, for diagnostics.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct PassReport {
    /// Code blocks written as HTML because they held template syntax
    /// (1-based line in the joined body).
    pub code_blocks_as_html: Vec<usize>,
    /// Relative links made absolute.
    pub links_rewritten: usize,
    /// Heading ids added.
    pub ids_added: usize,
    /// Author fence info strings rewritten in Zola's form.
    pub fences_rewritten: usize,
}

struct Edit {
    range: Range<usize>,
    text: String,
    /// Safe text written on purpose (not passed through [`entities`]).
    verbatim: bool,
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Runs the pass over `md` (see the module comment).
///
/// `ids` is `None` when the site turned kramdown's `auto_ids` off.
pub fn finish(md: &str, base: &LinkBase, mut ids: Option<KramdownIds>) -> (String, PassReport) {
    let mut edits: Vec<Edit> = Vec::new();
    let mut report = PassReport::default();
    let mut heading: Option<(Range<usize>, bool, String)> = None;
    let mut code: Option<(Range<usize>, Option<String>, String)> = None;

    let mut parser = Parser::new_ext(md, options()).into_offset_iter();
    for (event, range) in parser.by_ref() {
        match event {
            Event::Start(Tag::Heading { id, level, .. }) => {
                let _: HeadingLevel = level;
                heading = Some((range, id.is_some(), String::new()));
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((r, has_id, text)) = heading.take() {
                    if has_id {
                        // Keep the author's `{#id}` out of the neutralising.
                        if let Some(block) = heading_attribute_block(md, &r) {
                            edits.push(Edit {
                                text: md[block.clone()].to_string(),
                                range: block,
                                verbatim: true,
                            });
                        }
                    } else {
                        let source = heading_source(md, &r);
                        let id = ids
                            .as_mut()
                            .map(|g| g.next(&text, &source))
                            .unwrap_or_default();
                        if !id.is_empty() {
                            if let Some(at) = heading_text_end(md, &r) {
                                edits.push(Edit {
                                    range: at,
                                    text: format!(" {{#{id}}}"),
                                    verbatim: true,
                                });
                                report.ids_added += 1;
                            }
                        }
                    }
                }
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    // Info strings as Jekyll authors write them (`js {1,3}`,
                    // `{r}`, `ruby {% raw %}`) become Zola's `js,hl_lines=1 3`;
                    // plain ones (and this converter's own) stay as they are.
                    CodeBlockKind::Fenced(info)
                        if info.contains('{')
                            || (info.trim().contains([' ', '\t']) && !info.contains(',')) =>
                    {
                        let parsed = fence::parse_info(&info);
                        if let Some(at) = fence_info_range(md, &range) {
                            edits.push(Edit {
                                range: at,
                                text: fence_info(parsed.lang.as_deref(), false, &parsed.marked),
                                verbatim: true,
                            });
                            report.fences_rewritten += 1;
                        }
                        parsed.lang
                    }
                    CodeBlockKind::Fenced(info) => info
                        .split([',', ' ', '{'])
                        .next()
                        .filter(|l| !l.is_empty())
                        .map(str::to_string),
                    CodeBlockKind::Indented => None,
                };
                code = Some((range, lang, String::new()));
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some((r, lang, text)) = code.take() {
                    if has_opener(&text) {
                        report
                            .code_blocks_as_html
                            .push(md[..r.start].matches('\n').count() + 1);
                        edits.push(Edit {
                            text: html_code_block(md, &r, lang.as_deref(), &text),
                            range: r,
                            verbatim: true,
                        });
                    }
                }
            }
            Event::Text(t) => {
                if let Some((_, _, s)) = heading.as_mut() {
                    s.push_str(&KramdownIds::typographic(&t));
                }
                if let Some((_, _, s)) = code.as_mut() {
                    s.push_str(&t);
                }
            }
            Event::Code(t) => {
                if let Some((_, _, s)) = heading.as_mut() {
                    s.push_str(&t);
                }
                if has_opener(&t) {
                    edits.push(Edit {
                        range,
                        text: format!("<code>{}</code>", inert_html_text(&t)),
                        verbatim: true,
                    });
                }
            }
            Event::Start(Tag::Link {
                dest_url,
                link_type,
                ..
            })
            | Event::Start(Tag::Image {
                dest_url,
                link_type,
                ..
            }) if !matches!(link_type, LinkType::Email | LinkType::Autolink) => {
                if dest_url.trim().is_empty() && link_type == LinkType::Inline {
                    // `[text]()` is the page itself for kramdown (`href=""`);
                    // Zola refuses a link without a URL, so name the page.
                    let own = url::Url::parse(&base.page_url)
                        .map(|u| u.path().to_string())
                        .unwrap_or_else(|_| "/".to_string());
                    if let Some(at) = md.get(range.clone()).and_then(|s| s.rfind("]()")) {
                        let pos = range.start + at + 2;
                        edits.push(Edit {
                            range: pos..pos,
                            text: own,
                            verbatim: false,
                        });
                        report.links_rewritten += 1;
                    }
                } else if let Some(abs) = base.absolute_path(&dest_url) {
                    if let Some(at) = find_destination(md, &range, &dest_url) {
                        edits.push(Edit {
                            range: at,
                            text: abs,
                            verbatim: false,
                        });
                        report.links_rewritten += 1;
                    }
                }
            }
            Event::Html(h) | Event::InlineHtml(h) => {
                let rewritten = rewrite_html_links(&h, base);
                if rewritten != *h && md.get(range.clone()) == Some(&*h) {
                    edits.push(Edit {
                        range,
                        text: rewritten,
                        verbatim: false,
                    });
                    report.links_rewritten += 1;
                }
            }
            _ => {}
        }
    }
    for (_, def) in parser.reference_definitions().iter() {
        if let Some(abs) = base.absolute_path(&def.dest) {
            if let Some(slice) = md.get(def.span.clone()) {
                if let Some(i) = slice.find(&*def.dest) {
                    let start = def.span.start + i;
                    edits.push(Edit {
                        range: start..start + def.dest.len(),
                        text: abs,
                        verbatim: false,
                    });
                    report.links_rewritten += 1;
                }
            }
        }
    }
    (apply(md, edits), report)
}

/// Applies non-overlapping edits (later overlapping ones are dropped) and
/// neutralises template openers everywhere except in verbatim edits.
fn apply(md: &str, mut edits: Vec<Edit>) -> String {
    edits.sort_by_key(|e| (e.range.start, e.range.end));
    let mut out = String::with_capacity(md.len() + 64);
    let mut pos = 0;
    for e in edits {
        if e.range.start < pos || e.range.end > md.len() {
            continue;
        }
        out.push_str(&entities(&md[pos..e.range.start]));
        if e.verbatim {
            out.push_str(&e.text);
        } else {
            out.push_str(&entities(&e.text));
        }
        pos = e.range.end;
    }
    out.push_str(&entities(&md[pos..]));
    out
}

/// The range to replace with ` {#id}` in a heading: from the end of its text
/// to the end of its text line (dropping an ATX closing `#` sequence).
fn heading_text_end(md: &str, r: &Range<usize>) -> Option<Range<usize>> {
    let slice = md.get(r.clone())?;
    let body = slice.trim_end_matches(['\n', '\r']);
    let lines: Vec<&str> = body.split('\n').collect();
    let setext = lines.len() > 1
        && lines
            .last()
            .map(|l| {
                let t = l.trim();
                !t.is_empty() && (t.chars().all(|c| c == '=') || t.chars().all(|c| c == '-'))
            })
            .unwrap_or(false);
    let (line_start, line) = if setext {
        let idx = lines.len() - 2;
        let start: usize = lines[..idx].iter().map(|l| l.len() + 1).sum();
        (r.start + start, lines[idx])
    } else {
        (r.start, lines.first().copied().unwrap_or(""))
    };
    let line = line.trim_end_matches('\r');
    let mut text = line.trim_end();
    if !setext {
        let stripped = text.trim_end_matches('#');
        if stripped.len() != text.len()
            && (stripped.ends_with([' ', '\t']) || stripped.trim_start_matches('#').is_empty())
        {
            text = stripped.trim_end();
        }
    }
    Some(line_start + text.len()..line_start + line.len())
}

/// A heading's text as written: the text line without `#` marks, closing
/// `#`s or setext underline.
fn heading_source(md: &str, r: &Range<usize>) -> String {
    let Some(at) = heading_text_end(md, r) else {
        return String::new();
    };
    let line_start = md[..at.start].rfind('\n').map(|i| i + 1).unwrap_or(0);
    md[line_start.max(r.start)..at.start]
        .trim_start()
        .trim_start_matches('#')
        .trim()
        .to_string()
}

/// The byte range of the `{#id …}` block that ends a heading's text line.
fn heading_attribute_block(md: &str, r: &Range<usize>) -> Option<Range<usize>> {
    let line_end = heading_text_end(md, r)?.end;
    let line_start = md[..line_end].rfind('\n').map(|i| i + 1).unwrap_or(0);
    let line = md[line_start..line_end].trim_end();
    let open = line.rfind('{')?;
    let block = &line[open..];
    (block.starts_with("{#") && block.ends_with('}') && !block[1..].contains('{'))
        .then(|| line_start + open..line_start + line.len())
}

/// The byte range of `dest` in the link source `range` (`](dest` or
/// `](<dest>`), searching from the end so a nested image is skipped.
fn find_destination(md: &str, range: &Range<usize>, dest: &str) -> Option<Range<usize>> {
    let slice = md.get(range.clone())?;
    for prefix in ["](", "](<"] {
        let needle = format!("{prefix}{dest}");
        if let Some(i) = slice.rfind(&needle) {
            let start = range.start + i + prefix.len();
            return Some(start..start + dest.len());
        }
    }
    // `](  dest` with spaces, or reference links: leave them as they are.
    None
}

/// A fence info string in Zola's form: `lang,linenos,hl_lines=1 3`.
pub fn fence_info(lang: Option<&str>, linenos: bool, marked: &[u32]) -> String {
    let mut info: Vec<String> = Vec::new();
    if let Some(l) = lang.filter(|l| !l.trim().is_empty()) {
        info.push(l.trim().replace([',', '`', ' ', '{', '}'], ""));
    }
    if linenos {
        info.push("linenos".into());
    }
    if !marked.is_empty() {
        let lines: Vec<String> = marked.iter().map(u32::to_string).collect();
        info.push(format!("hl_lines={}", lines.join(" ")));
    }
    info.join(",")
}

/// The byte range of the info string on a fenced block's opening line.
fn fence_info_range(md: &str, r: &Range<usize>) -> Option<Range<usize>> {
    let slice = md.get(r.clone())?;
    let line = slice.split('\n').next()?.trim_end_matches('\r');
    let indent = line.len() - line.trim_start().len();
    let marks = line[indent..]
        .chars()
        .take_while(|c| *c == '`' || *c == '~')
        .count();
    let start = r.start + indent + marks;
    let end = r.start + line.trim_end().len();
    (start <= end).then_some(start..end)
}

/// A code block as raw HTML with every template opener made inert. Lines
/// after the first repeat the container prefix (list indent, `> `) the block
/// started with, so it stays inside its list item or quote.
fn html_code_block(md: &str, r: &Range<usize>, lang: Option<&str>, code: &str) -> String {
    let line_start = md[..r.start].rfind('\n').map(|i| i + 1).unwrap_or(0);
    let prefix = &md[line_start..r.start];
    let prefix = if prefix.chars().all(|c| c == ' ' || c == '>' || c == '\t') {
        prefix
    } else {
        ""
    };
    let class = lang
        .map(|l| format!(" class=\"language-{}\"", inert_html_text(l)))
        .unwrap_or_default();
    let body = inert_html_text(code.strip_suffix('\n').unwrap_or(code));
    let mut out = format!("<pre><code{class}>");
    for (i, line) in body.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
            out.push_str(prefix);
        }
        out.push_str(line);
    }
    out.push_str("</code></pre>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::converters::zola::neutralise::stray_openers;

    fn base() -> LinkBase {
        LinkBase {
            page_url: "http://site.invalid/blog/2017/05/01/post.html".into(),
        }
    }

    #[test]
    fn kramdown_ids() {
        let mut ids = KramdownIds::new(true);
        assert_eq!(
            ids.next("What's new? Ünïcode & stuff", ""),
            "whats-new-ünïcode--stuff"
        );
        assert_eq!(ids.next("Intro", ""), "intro");
        assert_eq!(ids.next("Intro", ""), "intro-1");
        assert_eq!(ids.next(&KramdownIds::typographic("a -- b"), ""), "a--b");
        let (out, _) = finish(
            "## Step `-->*` 多步\n",
            &base(),
            Some(KramdownIds::new(true)),
        );
        assert_eq!(out, "## Step `-->*` 多步 {#step----多步}\n");
        assert_eq!(ids.next("snake_case", ""), "snake_case");
    }

    #[test]
    fn kramdown_rule_and_auto_ids_off() {
        let (out, _) = finish(
            "## 1. Getting `started`!\n",
            &base(),
            Some(KramdownIds::new(false)),
        );
        assert_eq!(out, "## 1. Getting `started`! {#getting-started}\n");
        let (out, _) = finish("## Title\n", &base(), None);
        assert_eq!(out, "## Title\n");
    }

    #[test]
    fn headings_get_ids_and_keep_their_own() {
        let (out, rep) = finish(
            "# One #\n\n## Two {#mine}\n\nThree\n-----\n",
            &base(),
            Some(KramdownIds::new(true)),
        );
        assert_eq!(
            out,
            "# One {#one}\n\n## Two {#mine}\n\nThree {#three}\n-----\n"
        );
        assert_eq!(rep.ids_added, 2);
    }

    #[test]
    fn empty_link_destinations_name_the_page() {
        let base = LinkBase {
            page_url: "https://ex.com/2019/01/07/p/".into(),
        };
        let (out, _) = finish("See [paper]() and [x](y.png).\n", &base, None);
        assert!(out.contains("[paper](/2019/01/07/p/)"), "{out}");
    }

    #[test]
    fn relative_links_become_site_paths() {
        let md = "[a](pic.png) ![b](../img/x.png \"t\") [c](/abs) [d](#f) [e](https://x.org)\n\n[r]: notes.html\n\n<img src=\"y.png\">\n";
        let (out, rep) = finish(md, &base(), Some(KramdownIds::new(true)));
        assert!(out.contains("[a](/blog/2017/05/01/pic.png)"), "{out}");
        assert!(out.contains("![b](/blog/2017/05/img/x.png \"t\")"), "{out}");
        assert!(
            out.contains("[c](/abs) [d](#f) [e](https://x.org)"),
            "{out}"
        );
        assert!(out.contains("[r]: /blog/2017/05/01/notes.html"), "{out}");
        assert!(
            out.contains("<img src=\"/blog/2017/05/01/y.png\">"),
            "{out}"
        );
        assert_eq!(rep.links_rewritten, 4);
    }

    #[test]
    fn author_fence_info_becomes_zola_options() {
        let md = "```js {1,3}\na\n```\n\n```ruby,linenos\nb\n```\n\n~~~ {.python}\nc\n~~~\n";
        let (out, rep) = finish(md, &base(), None);
        assert!(out.contains("```js,hl_lines=1 3\na\n```"), "{out}");
        assert!(out.contains("```ruby,linenos\nb\n```"), "{out}");
        assert!(out.contains("~~~python\nc\n~~~"), "{out}");
        assert_eq!(rep.fences_rewritten, 2);
    }

    #[test]
    fn template_syntax_is_inert_everywhere() {
        let md = "Use {{ site.url }} and `{% raw %}` here.\n\n```liquid\n{% for p in site.posts %}\n  {{ p.title }}\n{% endfor %}\n```\n\n- item\n\n      {{ indented }}\n\n```rust\nfn main() {}\n```\n";
        let (out, rep) = finish(md, &base(), Some(KramdownIds::new(true)));
        assert!(stray_openers(&out).is_empty(), "{out}");
        assert!(
            out.contains("<pre><code class=\"language-liquid\">"),
            "{out}"
        );
        assert!(out.contains("```rust\nfn main() {}\n```"), "{out}");
        assert!(out.contains("Use &#123;{ site.url }}"), "{out}");
        assert_eq!(rep.code_blocks_as_html.len(), 2);
    }
}
