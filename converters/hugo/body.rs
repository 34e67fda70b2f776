//! Document bodies for Hugo: the content nodes rendered as goldmark Markdown
//! (or HTML for `.html` documents), with kramdown translated by
//! [`crate::dialect`], code blocks as fences with Hugo's highlighting
//! options, and anything Hugo would read as a shortcode escaped.

use crate::content::Node;
use crate::diagnostics::Diagnostic;
use crate::dialect::{self, fence, Flavor, IdStyle, Translator};
use crate::ir::{Document, Format};

/// Hugo's Markdown: fences with `{linenos=table,hl_lines=[…]}`, the TOC as
/// the `toc` shortcode the built-in layouts ship, GitHub-style heading ids.
pub struct HugoFlavor;

impl Flavor for HugoFlavor {
    fn fence_info(&self, lang: Option<&str>, linenos: bool, marked: &[u32]) -> String {
        let mut opts = Vec::new();
        if linenos {
            opts.push("linenos=table".to_string());
        }
        if !marked.is_empty() {
            let lines: Vec<String> = marked.iter().map(u32::to_string).collect();
            opts.push(format!("hl_lines=[{}]", lines.join(",")));
        }
        let lang = lang.unwrap_or("");
        match (lang.is_empty(), opts.is_empty()) {
            (_, true) => lang.to_string(),
            (true, false) => format!("text {{{}}}", opts.join(",")),
            (false, false) => format!("{lang} {{{}}}", opts.join(",")),
        }
    }

    fn toc_marker(&self) -> String {
        TOC_SHORTCODE.to_string()
    }

    fn auto_id(&self, plain: &str) -> Option<String> {
        // Only trust Hugo's id for text made of letters, digits, single
        // spaces, `-` and `_`: typographer and markup make the rest uncertain.
        let simple = plain
            .chars()
            .all(|c| c.is_alphanumeric() || c == ' ' || c == '-' || c == '_')
            && !plain.contains("  ")
            && !plain.contains("--")
            && plain.trim() == plain;
        simple.then(|| dialect::ids::github_base(plain))
    }
}

/// The shortcode call that stands for kramdown's `{:toc}` (the layouts ship
/// `layouts/_shortcodes/toc.html`).
pub const TOC_SHORTCODE: &str = "{{< toc >}}";

/// What rendering a body found out.
#[derive(Debug, Default)]
pub struct BodyInfo {
    /// Block attributes were written.
    pub block_attributes: bool,
    /// `$$` math was seen.
    pub math: bool,
}

/// Renders the body of `d` for Hugo. `url_of` maps a DocLink target
/// (source path) to its served URL; `unresolved` holds the source text of
/// Liquid tags the content layer reported as unresolved in this document.
pub fn render(
    d: &Document,
    style: IdStyle,
    url_of: &(dyn Fn(&str) -> Option<String> + Sync),
    unresolved: &[&str],
    diags: &mut Vec<Diagnostic>,
    info: &mut BodyInfo,
) -> String {
    let fallback;
    let nodes: &[Node] = if d.content.is_empty() {
        fallback = [Node::Markdown {
            text: d.body.clone(),
            line: d.body_line,
        }];
        &fallback
    } else {
        &d.content
    };
    // HTML and identity-converted documents are written as HTML content.
    let html_doc = d.format != Format::Markdown;
    let flavor = HugoFlavor;
    let mut tr = Translator::new(&flavor, style);
    let mut out = String::new();
    // Attributes of a heading line that the following nodes continue: they
    // go at the end of that line.
    let mut open_attrs: Option<(String, usize)> = None;
    let html_ids = heading_ids(d.html.as_deref().unwrap_or(""));
    let mut used_ids: Vec<String> = Vec::new();
    for node in nodes {
        if let Some((attrs, from)) = open_attrs.take() {
            if let Some(nl) = out[from..].find('\n') {
                let attrs = complete_id(&attrs, &html_ids, &mut used_ids);
                out.insert_str(from + nl, &format!(" {attrs}"));
            } else {
                open_attrs = Some((attrs, from));
            }
        }
        match node {
            Node::Markdown { text, line } => {
                if html_doc {
                    push_escaped(&mut out, text);
                    continue;
                }
                let t = tr.translate(text, *line);
                let open = t.open_heading_attrs.clone();
                info.block_attributes |= t.block_attributes;
                info.math |= t.math;
                for n in t.notes {
                    let diag = if n.lossy {
                        Diagnostic::warning(n.kind, &d.source, n.message)
                    } else {
                        Diagnostic::info(n.kind, &d.source, n.message)
                    };
                    diags.push(diag.at_line(n.line));
                }
                // The TOC marker is ours: escape everything else only.
                if has_shortcode_opener(&t.text) {
                    let escaped =
                        escape_shortcodes(&t.text.replace(TOC_SHORTCODE, "\u{0}TOC\u{0}"));
                    out.push_str(&escaped.replace("\u{0}TOC\u{0}", TOC_SHORTCODE));
                } else {
                    out.push_str(&t.text);
                }
                if let Some(a) = open {
                    open_attrs = Some((a, out.len()));
                }
            }
            Node::Html { html, .. } => out.push_str(&escape_shortcodes(&block_html(html))),
            // A Liquid tag the content layer could not resolve (it reported
            // it) stays in the source as a comment instead of showing as text.
            Node::Literal { text } if unresolved.contains(&text.as_str()) => {
                out.push_str(&format!(
                    "<!-- unresolved Liquid: {} -->",
                    text.replace("--", "- -")
                ));
            }
            Node::Literal { text } => push_escaped(&mut out, text),
            Node::Code {
                lang,
                linenos,
                marked,
                code,
                ..
            } => {
                if html_doc {
                    out.push_str(&html_code(lang.as_deref(), code));
                } else {
                    out.push_str(&fenced(
                        &flavor,
                        lang.as_deref(),
                        *linenos,
                        marked,
                        code,
                        &out,
                    ));
                }
            }
            Node::DocLink { target, url } => {
                let u = url_of(target).unwrap_or_else(|| url.clone());
                out.push_str(&u);
            }
            Node::Embed {
                provider,
                id,
                fallback_html,
            } => match provider.as_str() {
                // Hugo's built-in youtube and vimeo shortcodes work offline;
                // gist and tweet were removed (build errors) so they fall back.
                "youtube" | "vimeo" if is_embed_id(id) => {
                    out.push_str(&format!("{{{{< {provider} {id} >}}}}"));
                }
                _ => out.push_str(&escape_shortcodes(fallback_html)),
            },
            Node::Toc => {
                if !html_doc {
                    // A block of its own: text run into it, or a `---`
                    // under it (a setext heading in goldmark), would put the
                    // table of contents inside a heading it lists, and Hugo
                    // never finishes rendering such a page.
                    if !out.is_empty() && !out.ends_with("\n\n") {
                        out.push_str(if out.ends_with('\n') { "\n" } else { "\n\n" });
                    }
                    out.push_str(TOC_SHORTCODE);
                    out.push_str("\n\n");
                }
            }
        }
    }
    if let Some((attrs, from)) = open_attrs {
        let attrs = complete_id(&attrs, &html_ids, &mut used_ids);
        match out[from..].find('\n') {
            Some(nl) => out.insert_str(from + nl, &format!(" {attrs}")),
            None => out.push_str(&format!(" {attrs}")),
        }
    }
    out
}

/// The excerpt marker Hugo reads.
static MORE: crate::find::Needle = crate::find::Needle::new("<!--more-->");

static HEADING_ID: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r#"<h[1-6][^>]*\sid="([^"]+)""#).expect("static regex")
});

/// Whether [`render`] needs `d.html` for its heading ids: only when a
/// Markdown node ends in the middle of a heading line (an ATX heading with
/// no line end), which the next node (an include, say) completes and whose
/// kramdown id therefore counts text only the rendering saw.
pub fn needs_rendered_ids(d: &Document) -> bool {
    d.format == Format::Markdown
        && d.content.iter().any(|n| match n {
            Node::Markdown { text, .. } => {
                !text.ends_with('\n')
                    && text
                        .rsplit('\n')
                        .next()
                        .is_some_and(|last| last.trim_start().starts_with('#'))
            }
            _ => false,
        })
}

/// Heading ids of the content layer's HTML rendering, in order.
fn heading_ids(html: &str) -> Vec<String> {
    HEADING_ID
        .captures_iter(html)
        .map(|c| c[1].to_string())
        .collect()
}

/// For a heading whose line an include completes, kramdown's id counts the
/// include's text too, which only the content layer's rendering knows: take
/// the first unused id there that starts with the one computed from the
/// heading's own text (`binary-operators` → `binary-operators40`).
fn complete_id(attrs: &str, html_ids: &[String], used: &mut Vec<String>) -> String {
    let inner = attrs.trim_start_matches('{').trim_end_matches('}');
    let mut tokens: Vec<String> = inner.split_whitespace().map(str::to_string).collect();
    if let Some(tok) = tokens.iter_mut().find(|t| t.starts_with('#')) {
        let partial = tok[1..].to_string();
        // Compare without `_` and `-`: emphasis-like `_` in code spans is
        // where the two computations may part.
        let bare = |s: &str| s.replace(['_', '-'], "");
        let found = html_ids
            .iter()
            .filter(|id| !used.contains(id))
            .find(|id| id.starts_with(&partial))
            .or_else(|| {
                html_ids
                    .iter()
                    .filter(|id| !used.contains(id))
                    .find(|id| bare(id).starts_with(&bare(&partial)))
            });
        if let Some(id) = found {
            used.push(id.clone());
            *tok = format!("#{id}");
        }
    }
    format!("{{{}}}", tokens.join(" "))
}

fn is_embed_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// A fenced code block on lines of its own, with a fence longer than any
/// backtick run in the code.
fn fenced(
    flavor: &HugoFlavor,
    lang: Option<&str>,
    linenos: bool,
    marked: &[u32],
    code: &str,
    before: &str,
) -> String {
    let lang = lang.and_then(|l| fence::parse_info(l).lang);
    let ticks = fence::ticks_for(code);
    let info = flavor.fence_info(lang.as_deref(), linenos, marked);
    let lead = if before.is_empty() || before.ends_with('\n') {
        ""
    } else {
        "\n"
    };
    let code = escape_shortcodes(code.trim_end_matches('\n'));
    let mut out = String::with_capacity(code.len() + info.len() + 2 * ticks.len() + 4);
    for piece in [lead, &ticks, &info, "\n", &code, "\n", &ticks, "\n"] {
        out.push_str(piece);
    }
    out
}

/// A code block in an HTML document: `<pre><code>` with the text escaped.
fn html_code(lang: Option<&str>, code: &str) -> String {
    let class = lang
        .and_then(|l| fence::parse_info(l).lang)
        .map(|l| format!(" class=\"language-{l}\" data-lang=\"{l}\""))
        .unwrap_or_default();
    let text = html_escape::encode_text(code.trim_end_matches('\n'));
    format!(
        "<div class=\"highlight\"><pre><code{class}>{}</code></pre></div>",
        escape_shortcodes(&text)
    )
}

/// HTML produced by Liquid (an include) placed into Markdown: on several
/// lines it is made one HTML block (no blank lines, no indentation that
/// CommonMark would read as code), except inside `<pre>`.
fn block_html(html: &str) -> String {
    if !html.contains('\n') {
        return html.to_string();
    }
    let mut out = Vec::new();
    let mut in_pre = false;
    for line in html.split('\n') {
        let lower = line.to_ascii_lowercase();
        if in_pre {
            out.push(line.to_string());
            if lower.contains("</pre") || lower.contains("</textarea") {
                in_pre = false;
            }
            continue;
        }
        if line.trim().is_empty() {
            continue;
        }
        out.push(line.trim_start().to_string());
        if (lower.contains("<pre") && !lower.contains("</pre"))
            || (lower.contains("<textarea") && !lower.contains("</textarea"))
        {
            in_pre = true;
        }
    }
    let mut s = out.join("\n");
    if html.starts_with('\n') {
        s.insert(0, '\n');
    }
    if html.ends_with('\n') {
        s.push('\n');
    }
    s
}

/// Whether `text` holds `{{<` or `{{%`, found with one byte scan: most
/// texts have neither, and two substring searches per node were a visible
/// share of a big run.
fn has_shortcode_opener(text: &str) -> bool {
    let b = text.as_bytes();
    memchr::memchr_iter(b'{', b)
        .any(|p| b.get(p + 1) == Some(&b'{') && matches!(b.get(p + 2), Some(b'<' | b'%')))
}

/// Appends `text` to `out` with shortcodes escaped, copying it only once
/// when there is nothing to escape.
fn push_escaped(out: &mut String, text: &str) {
    if has_shortcode_opener(text) {
        out.push_str(&escape_shortcodes(text));
    } else {
        out.push_str(text);
    }
}

/// Escapes everything Hugo would read as a shortcode. A `{{< … >}}` or
/// `{{% … %}}` pair becomes Hugo's comment form `{{</* … */>}}`, which Hugo
/// prints as the original text; a lone opener gets an invisible word joiner
/// after `{{` so Hugo does not see it.
pub fn escape_shortcodes(text: &str) -> String {
    if !has_shortcode_opener(text) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    loop {
        let next = [rest.find("{{<"), rest.find("{{%")]
            .into_iter()
            .flatten()
            .min();
        let Some(p) = next else {
            out.push_str(rest);
            break;
        };
        out.push_str(&rest[..p]);
        let kind = &rest[p + 2..p + 3];
        let closer = if kind == "<" { ">}}" } else { "%}}" };
        let after = &rest[p + 3..];
        let next_open = [after.find("{{<"), after.find("{{%")]
            .into_iter()
            .flatten()
            .min();
        match after.find(closer) {
            Some(c) if next_open.is_none_or(|o| c < o) => {
                let inner = &after[..c];
                out.push_str(&format!("{{{{{kind}/*{inner}*/{closer}"));
                rest = &after[c + 3..];
            }
            _ => {
                out.push_str(&format!("{{{{\u{2060}{kind}"));
                rest = after;
            }
        }
    }
    out
}

/// Places Hugo's `<!--more-->` summary divider where Jekyll's excerpt ends,
/// unless the front matter gave an explicit excerpt. Jekyll's default
/// separator (a blank line) ends the excerpt after the first paragraph.
pub fn insert_more(body: &str, sep: &str) -> String {
    if MORE.is_in(body) {
        return body.to_string();
    }
    let comment_like = sep.trim_start().starts_with("<!--") && sep.trim_end().ends_with("-->");
    if sep.trim().is_empty() && !sep.is_empty() {
        // Split at the first occurrence outside a fenced block, after text.
        let mut fence: Option<String> = None;
        let mut offset = 0;
        let mut seen_text = false;
        for line in body.split_inclusive('\n') {
            let t = line.trim_start();
            if let Some(f) = &fence {
                if t.starts_with(f.as_str()) {
                    fence = None;
                    seen_text = true;
                }
            } else if t.starts_with("```") || t.starts_with("~~~") {
                let f: String = t.chars().take_while(|c| *c == '`' || *c == '~').collect();
                fence = Some(f);
            } else if !t.trim().is_empty() {
                seen_text = true;
            } else if seen_text {
                let rest = body[offset..].trim_start_matches('\n');
                if rest.trim().is_empty() {
                    return body.to_string();
                }
                return [&body[..offset], "\n<!--more-->\n\n", rest].concat();
            }
            offset += line.len();
        }
        body.to_string()
    } else if comment_like {
        match body.find(sep) {
            Some(p) => [&body[..p], "<!--more-->", &body[p + sep.len()..]].concat(),
            None => body.to_string(),
        }
    } else {
        body.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortcodes_are_escaped() {
        assert_eq!(escape_shortcodes("a {{< x y >}} b"), "a {{</* x y */>}} b");
        assert_eq!(escape_shortcodes("{{% md %}}"), "{{%/* md */%}}");
        assert_eq!(escape_shortcodes("lone {{< here"), "lone {{\u{2060}< here");
        assert_eq!(
            escape_shortcodes("{{< a {{< b >}}"),
            "{{\u{2060}< a {{</* b */>}}"
        );
        assert_eq!(
            escape_shortcodes("{{ site.x }} {% raw %}"),
            "{{ site.x }} {% raw %}"
        );
        // An opener right after another brace is still an opener.
        assert_eq!(escape_shortcodes("{{{< x >}}"), "{{{</* x */>}}");
        assert_eq!(escape_shortcodes("{{{{% x"), "{{{{\u{2060}% x");
        assert!(!has_shortcode_opener("{ {< {%{ {{"));
    }

    #[test]
    fn code_nodes_become_hugo_fences() {
        let f = fenced(
            &HugoFlavor,
            Some("ruby"),
            true,
            &[1, 3],
            "puts 1\n```\nx",
            "text",
        );
        assert_eq!(
            f,
            "\n````ruby {linenos=table,hl_lines=[1,3]}\nputs 1\n```\nx\n````\n"
        );
        assert_eq!(
            fenced(&HugoFlavor, None, false, &[], "x", ""),
            "```\nx\n```\n"
        );
        assert_eq!(
            fenced(&HugoFlavor, Some("{r}"), false, &[2], "x", ""),
            "```r {hl_lines=[2]}\nx\n```\n"
        );
    }

    #[test]
    fn ids_completed_from_the_rendering() {
        let ids = heading_ids("<h2 id=\"a\">x</h2><h3 class=\"c\" id=\"binary-ops40\">y</h3>");
        let mut used = Vec::new();
        assert_eq!(
            complete_id("{#binary-ops .x}", &ids, &mut used),
            "{#binary-ops40 .x}"
        );
        assert_eq!(complete_id("{#zzz}", &ids, &mut used), "{#zzz}");
        let ids = heading_ids("<h3 id=\"with-data-dir\">");
        assert_eq!(
            complete_id("{#with-_data-dir}", &ids, &mut used),
            "{#with-data-dir}"
        );
    }

    #[test]
    fn include_html_is_one_block() {
        assert_eq!(
            block_html("\n<div>\n\n    <p>x</p>\n</div>\n"),
            "\n<div>\n<p>x</p>\n</div>\n"
        );
        assert_eq!(
            block_html("<pre>\n  a\n\n  b\n</pre>"),
            "<pre>\n  a\n\n  b\n</pre>"
        );
    }

    #[test]
    fn more_divider() {
        assert_eq!(
            insert_more("First para.\n\nSecond.\n", "\n\n"),
            "First para.\n\n<!--more-->\n\nSecond.\n"
        );
        assert_eq!(insert_more("Only one.\n", "\n\n"), "Only one.\n");
        assert_eq!(
            insert_more("```\na\n\nb\n```\n\nafter\n", "\n\n"),
            "```\na\n\nb\n```\n\n<!--more-->\n\nafter\n"
        );
        assert_eq!(
            insert_more("a\n<!-- more -->\nb", "<!-- more -->"),
            "a\n<!--more-->\nb"
        );
    }
}
