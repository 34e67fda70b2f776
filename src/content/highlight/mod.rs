//! Code blocks as Jekyll writes them with rouge: the same wrappers and
//! classes (`<figure class="highlight">` for `{% highlight %}`,
//! `<div class="language-x highlighter-rouge">` for fenced code), the
//! line-number table, marked lines, and, in the HTML this crate writes
//! (feed, ebook, `inspect --html`), rouge's token spans
//! (`<span class="k">def</span>`).
//!
//! Tokens come from [`lexers`] (Coq, Python, Ruby: rouge's own rules) or
//! from Sublime grammars through syntect ([`grammars`]), named with
//! rouge's classes ([`rouge_classes`]) for the languages rouge knows by
//! the names it knows them ([`languages`]). Hugo and Zola get Markdown
//! fences and highlight code themselves, so callers ask for tokens only
//! where HTML is the output.

mod grammars;
pub mod languages;
pub mod lexers;
pub mod rouge_classes;

use super::html::{escape_attr, escape_text};
use languages::Lexer;
use lexers::engine::Tok;

/// Code past this size is written plain: highlighting is a nicety, and a
/// pathological block must not make a run slow.
const MAX_CODE_BYTES: usize = 128 * 1024;
/// Nor a line this long (minified code, data): grammars backtrack on them.
const MAX_LINE_BYTES: usize = 4 * 1024;

/// The HTML of `{% highlight %}`; `tokens` asks for rouge's token spans.
pub fn highlight_tag_html(
    lang: Option<&str>,
    linenos: bool,
    marked: &[u32],
    code: &str,
    tokens: bool,
) -> String {
    let lang = lang.unwrap_or("plaintext");
    let toks = if tokens { tokenise(lang, code) } else { None };
    let body = code_lines(code, marked, toks.as_deref());
    let inner = if linenos {
        line_table(code, &body)
    } else {
        body
    };
    format!(
        "<figure class=\"highlight\"><pre><code class=\"language-{}\" data-lang=\"{}\">{}</code></pre></figure>",
        escape_attr(&lang.replace('+', "-")),
        escape_attr(lang),
        inner.trim_end_matches('\n')
    )
}

/// The HTML kramdown writes for a fenced or indented code block; `tokens`
/// asks for rouge's token spans.
pub fn kramdown_code_block(
    lang: Option<&str>,
    code: &str,
    line_numbers: bool,
    tokens: bool,
) -> String {
    let lang = lang.unwrap_or("plaintext");
    // kramdown hands rouge the block with its final newline.
    let with_newline;
    let lexed = if tokens && !code.ends_with('\n') {
        with_newline = format!("{code}\n");
        with_newline.as_str()
    } else {
        code
    };
    let toks = if tokens { tokenise(lang, lexed) } else { None };
    let body = code_lines(lexed, &[], toks.as_deref());
    let inner = if line_numbers {
        line_table(code, &body)
    } else {
        body
    };
    format!(
        "<div class=\"language-{} highlighter-rouge\"><div class=\"highlight\"><pre class=\"highlight\"><code>{}</code></pre></div></div>\n",
        escape_attr(lang),
        inner
    )
}

/// Rouge's tokens for `code` in `lang`, or `None` to write it plain (a
/// language rouge does not know or this crate does not tokenise, or code
/// past the size bounds).
pub fn tokenise<'s>(lang: &str, code: &'s str) -> Option<Vec<(Tok, &'s str)>> {
    let lexer = languages::lexer_for(lang)?;
    if code.len() > MAX_CODE_BYTES || code.split('\n').any(|l| l.len() > MAX_LINE_BYTES) {
        return None;
    }
    // Bounded work for the state machines: two rule applications per byte
    // is more than real code needs (most consume a token or more).
    let steps = code.len() * 2 + 1024;
    match lexer {
        Lexer::Coq => Some(lexers::coq::grammar().lex(code, steps)),
        Lexer::Python => Some(lexers::python::grammar().lex(code, steps)),
        Lexer::Ruby => Some(lexers::ruby::grammar().lex(code, steps)),
        Lexer::Liquid => Some(lexers::liquid::grammar().lex(code, steps)),
        Lexer::Handlebars => {
            Some(lexers::handlebars::grammar().lex_with(code, steps, Some(tokenise)))
        }
        Lexer::Markdown => Some(lexers::markdown::grammar().lex_with(code, steps, Some(tokenise))),
        Lexer::Console => Some(lexers::console::tokens(code, tokenise)),
        Lexer::Grammar(name) => grammars::tokens(name, code),
        Lexer::Plain => None,
    }
}

/// Tokens as rouge's HTML formatter writes them: `Text` as escaped text,
/// every other type in a span with its class; `&`, `<` and `>` escaped
/// (rouge escapes no quotes).
pub fn tokens_html(toks: &[(Tok, &str)]) -> String {
    let mut out = String::new();
    for (t, text) in toks {
        match rouge_classes::class_of(t) {
            None => out.push_str(&escape_text(text)),
            Some(class) => {
                out.push_str("<span class=\"");
                out.push_str(class);
                out.push_str("\">");
                out.push_str(&escape_text(text));
                out.push_str("</span>");
            }
        }
    }
    out
}

/// The tokens of each line, newlines left out, as rouge's
/// `HTMLLineHighlighter` splits them (a token spanning lines is cut).
fn token_lines<'s>(toks: &[(Tok, &'s str)]) -> Vec<Vec<(Tok, &'s str)>> {
    let mut lines = vec![Vec::new()];
    for (t, text) in toks {
        let mut parts = text.split('\n');
        if let Some(first) = parts.next() {
            if let Some(l) = lines.last_mut().filter(|_| !first.is_empty()) {
                l.push((*t, first));
            }
        }
        for part in parts {
            lines.push(Vec::new());
            if let Some(l) = lines.last_mut().filter(|_| !part.is_empty()) {
                l.push((*t, part));
            }
        }
    }
    // A final newline ends the last line rather than opening one.
    if lines.len() > 1 && lines.last().is_some_and(Vec::is_empty) {
        lines.pop();
    }
    lines
}

/// The code's HTML: tokens or escaped text, marked lines wrapped as
/// rouge's line highlighter wraps them.
fn code_lines(code: &str, marked: &[u32], toks: Option<&[(Tok, &str)]>) -> String {
    if marked.is_empty() {
        let mut s = match toks {
            Some(t) => tokens_html(t),
            None => escape_text(code),
        };
        // The text must end with a newline (a token's span may close after it).
        if !code.ends_with('\n') {
            s.push('\n');
        }
        return s;
    }
    let lines: Vec<String> = match toks {
        Some(t) => token_lines(t).iter().map(|l| tokens_html(l)).collect(),
        None => code.lines().map(escape_text).collect(),
    };
    let mut s = String::new();
    for (i, line) in lines.iter().enumerate() {
        let n = u32::try_from(i + 1).unwrap_or(u32::MAX);
        if marked.contains(&n) {
            s.push_str(&format!("<span class=\"hll\">{line}\n</span>"));
        } else {
            s.push_str(line);
            s.push('\n');
        }
    }
    s
}

/// rouge's `HTMLTable`: a gutter of line numbers and the code.
fn line_table(code: &str, body: &str) -> String {
    let count = code.trim_end_matches('\n').lines().count().max(1);
    let numbers: String = (1..=count).map(|n| format!("{n}\n")).collect();
    format!(
        "<table class=\"rouge-table\"><tbody><tr><td class=\"rouge-gutter gl\"><pre class=\"lineno\">{numbers}</pre></td><td class=\"rouge-code\"><pre>{body}</pre></td></tr></tbody></table>"
    )
}

/// The background every code block keeps, whatever the page's or the
/// reader's theme: token colours are chosen against it.
pub const CODE_BACKGROUND: &str = "#f6f8fa";

/// Token colours by rouge class, all at least 4.5:1 against
/// [`CODE_BACKGROUND`] (WCAG AA for text; checked by a test), in the
/// spirit of GitHub's light theme.
pub const TOKEN_COLOURS: &[(&str, &str)] = &[
    ("c", "#57606a"),
    ("c1", "#57606a"),
    ("ch", "#57606a"),
    ("cd", "#57606a"),
    ("cm", "#57606a"),
    ("cs", "#57606a"),
    ("cp", "#8a4600"),
    ("cpf", "#0a3069"),
    ("sd", "#57606a"),
    ("k", "#a0111f"),
    ("kd", "#a0111f"),
    ("kn", "#a0111f"),
    ("kp", "#a0111f"),
    ("kr", "#a0111f"),
    ("kc", "#0550ae"),
    ("kt", "#6639ba"),
    ("kv", "#a0111f"),
    ("nf", "#6639ba"),
    ("fm", "#6639ba"),
    ("nc", "#953800"),
    ("nn", "#953800"),
    ("ne", "#953800"),
    ("nb", "#0550ae"),
    ("bp", "#0550ae"),
    ("no", "#0550ae"),
    ("nv", "#8a4600"),
    ("vi", "#8a4600"),
    ("vc", "#8a4600"),
    ("vg", "#8a4600"),
    ("vm", "#8a4600"),
    ("nt", "#116329"),
    ("na", "#0550ae"),
    ("nd", "#6639ba"),
    ("ni", "#0550ae"),
    ("nl", "#953800"),
    ("py", "#0550ae"),
    ("s", "#0a3069"),
    ("s1", "#0a3069"),
    ("sa", "#0a3069"),
    ("dl", "#0a3069"),
    ("s2", "#0a3069"),
    ("sb", "#0a3069"),
    ("sc", "#0a3069"),
    ("sh", "#0a3069"),
    ("sx", "#0a3069"),
    ("si", "#a0111f"),
    ("se", "#0550ae"),
    ("esc", "#0550ae"),
    ("sr", "#116329"),
    ("ss", "#0550ae"),
    ("m", "#0550ae"),
    ("mi", "#0550ae"),
    ("mb", "#0550ae"),
    ("mx", "#0550ae"),
    ("mf", "#0550ae"),
    ("mh", "#0550ae"),
    ("mo", "#0550ae"),
    ("il", "#0550ae"),
    ("o", "#a0111f"),
    ("ow", "#a0111f"),
    ("gd", "#82071e"),
    ("gi", "#116329"),
    ("gh", "#0550ae"),
    ("gu", "#6639ba"),
    ("gp", "#57606a"),
    ("go", "#24292f"),
    ("gr", "#82071e"),
    ("gt", "#82071e"),
    ("err", "#82071e"),
];

/// The text colour of code: what tokens without a class of their own get.
pub const CODE_TEXT: &str = "#24292f";

/// The token colour rules, as CSS (for the feed's and the book's
/// stylesheets); bold and italic where rouge's default themes use them.
pub fn token_css() -> String {
    let mut css = String::new();
    for (class, colour) in TOKEN_COLOURS {
        let extra = match *class {
            "c" | "c1" | "ch" | "cd" | "cm" | "cs" | "sd" | "ge" => " font-style: italic;",
            "gh" | "gu" | "gs" => " font-weight: bold;",
            _ => "",
        };
        css.push_str(&format!(
            ".highlight .{class} {{ color: {colour};{extra} }}\n"
        ));
    }
    css
}

/// A stylesheet for the HTML this module writes (for the feed and EPUB).
/// Code keeps its light background and dark text in every theme, so the
/// token colours' contrast does not depend on the reader's theme.
pub fn stylesheet() -> String {
    format!(
        r#"pre, code {{ font-family: "SFMono-Regular", Menlo, Consolas, monospace; font-size: 0.9em; }}
pre {{ overflow-x: auto; padding: 0.75em; background: {bg}; color: {fg}; border-radius: 4px; line-height: 1.4; }}
figure.highlight, div.highlighter-rouge {{ margin: 1em 0; }}
div.highlight pre, figure.highlight pre {{ background: {bg}; color: {fg}; }}
.highlight .hll {{ background-color: #fff8c5; display: block; }}
table.rouge-table {{ border-collapse: collapse; border: 0; margin: 0; }}
table.rouge-table td {{ border: 0; padding: 0; vertical-align: top; }}
td.rouge-gutter {{ user-select: none; text-align: right; color: #57606a; padding-right: 1em; }}
td.rouge-gutter pre, td.rouge-code pre {{ margin: 0; padding: 0; background: transparent; }}
{tokens}.footnotes {{ font-size: 0.9em; border-top: 1px solid #ddd; margin-top: 2em; }}
#markdown-toc {{ list-style: none; padding-left: 1em; }}
blockquote {{ border-left: 3px solid #ddd; margin-left: 0; padding-left: 1em; color: #555; }}
table {{ border-collapse: collapse; }}
th, td {{ border: 1px solid #ddd; padding: 0.3em 0.6em; }}
"#,
        bg = CODE_BACKGROUND,
        fg = CODE_TEXT,
        tokens = token_css(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlight_tag_as_jekyll() {
        assert_eq!(
            highlight_tag_html(Some("ruby"), false, &[], "a < b", false),
            "<figure class=\"highlight\"><pre><code class=\"language-ruby\" data-lang=\"ruby\">a &lt; b</code></pre></figure>"
        );
        let t = highlight_tag_html(Some("c++"), true, &[2], "x\ny", false);
        assert!(
            t.contains("class=\"language-c--\" data-lang=\"c++\""),
            "{t}"
        );
        assert!(t.contains("<pre class=\"lineno\">1\n2\n</pre>"), "{t}");
        assert!(t.contains("<span class=\"hll\">y\n</span>"), "{t}");
    }

    #[test]
    fn highlight_tokens_as_rouge_writes_them() {
        // Written out from rouge's rules: `a < b` is a name, an operator and
        // a name, the spaces plain text.
        assert_eq!(
            highlight_tag_html(Some("ruby"), false, &[], "a < b", true),
            "<figure class=\"highlight\"><pre><code class=\"language-ruby\" data-lang=\"ruby\"><span class=\"n\">a</span> <span class=\"o\">&lt;</span> <span class=\"n\">b</span></code></pre></figure>"
        );
    }

    #[test]
    fn highlight_marked_lines_split_tokens() {
        let t = highlight_tag_html(Some("python"), false, &[1], "# one\nx = 1", true);
        assert!(
            t.contains("<span class=\"hll\"><span class=\"c1\"># one</span>\n</span>"),
            "{t}"
        );
    }

    #[test]
    fn highlight_unknown_language_is_plain() {
        let t = kramdown_code_block(Some("no-such-lang"), "if x < 1\n", false, true);
        assert!(t.contains("<code>if x &lt; 1\n</code>"), "{t}");
        let t = kramdown_code_block(Some("plaintext"), "{{ x }}\n", false, true);
        assert!(!t.contains("<span"), "{t}");
    }

    #[test]
    fn highlight_pathological_code_finishes() {
        // Unclosed quotes and symbols at every position: each rule that
        // looks for the closing quote scans a bounded window only.
        let cases = [
            ("ruby", r##":'a %w( "#{ "##),
            ("python", r#"''' " f'{ "#),
            ("coq", r#"(* " "#),
            ("markdown", "``` [a](b `x "),
        ];
        for (lang, unit) in cases {
            let code = unit.repeat(100 * 1024 / unit.len());
            let t = kramdown_code_block(Some(lang), &code, false, true);
            assert!(t.len() >= code.len(), "{lang}");
        }
    }

    #[test]
    fn highlight_bounds_long_lines() {
        let long = "x = 1; ".repeat(2000);
        let t = kramdown_code_block(Some("js"), &long, false, true);
        assert!(!t.contains("<span"), "a very long line is written plain");
    }

    #[test]
    fn highlight_grammar_languages_exist() {
        // Every syntect syntax the language table names is in the set.
        for name in languages::grammar_names() {
            assert!(grammars::has(name), "no syntax {name}");
        }
        let t = kramdown_code_block(Some("sh"), "echo hi # greet\n", false, true);
        assert!(t.contains("<span class=\"c\"># greet</span>\n"), "{t}");
    }

    /// WCAG 2 relative luminance of `#rrggbb`.
    fn luminance(hex: &str) -> f64 {
        let v = u32::from_str_radix(hex, 16).unwrap_or(0);
        let chan = |shift: u32| {
            let c = f64::from((v >> shift) & 0xff) / 255.0;
            if c <= 0.03928 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * chan(16) + 0.7152 * chan(8) + 0.0722 * chan(0)
    }

    fn contrast(a: &str, b: &str) -> f64 {
        let (x, y) = (luminance(a), luminance(b));
        (x.max(y) + 0.05) / (x.min(y) + 0.05)
    }

    /// The `color` and `background`/`background-color` values of a
    /// stylesheet (`#rrggbb` or `#rgb`).
    pub(crate) fn css_colours(css: &str) -> (Vec<String>, Vec<String>) {
        let (mut fg, mut bg) = (Vec::new(), Vec::new());
        for decl in css.split(['{', '}', ';']) {
            let Some((prop, value)) = decl.split_once(':') else {
                continue;
            };
            let value = value.trim();
            if !value.starts_with('#') {
                continue;
            }
            let hex: String = value
                .chars()
                .take_while(|c| *c == '#' || c.is_ascii_hexdigit())
                .collect();
            let hex = if hex.len() == 4 {
                hex.chars().skip(1).flat_map(|c| [c, c]).collect::<String>()
            } else {
                hex.trim_start_matches('#').to_string()
            };
            match prop.trim() {
                "color" => fg.push(hex),
                "background" | "background-color" => bg.push(hex),
                _ => {}
            }
        }
        (fg, bg)
    }

    #[test]
    fn highlight_token_colours_have_contrast() {
        // The WCAG formula, checked on its known values first.
        assert!((contrast("000000", "ffffff") - 21.0).abs() < 1e-9);
        assert!((contrast("777777", "ffffff") - 4.48).abs() < 0.01);
        let css = stylesheet();
        let start = css.find("div.highlight pre").unwrap_or(0);
        let end = css.find(".footnotes").unwrap_or(css.len());
        let (fg, bg) = css_colours(&css[start..end]);
        assert!(fg.len() > TOKEN_COLOURS.len(), "{css}");
        assert!(bg.len() >= 2, "{css}");
        for c in &fg {
            for b in &bg {
                let r = contrast(c, b);
                assert!(r >= 4.5, "#{c} on #{b}: {r:.2}");
            }
        }
        // Classes rouge writes that have no colour are plain code text.
        for class in rouge_classes::all_classes() {
            let styled = TOKEN_COLOURS.iter().any(|(c, _)| *c == class);
            assert!(
                styled
                    || ["w", "x", "n", "nx", "p", "pi", "l", "ld", "g", "ge", "gs", "gl"]
                        .contains(&class),
                "{class} has no colour"
            );
        }
    }
}
