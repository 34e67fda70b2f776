//! The content layer: Liquid and kramdown resolved into neutral nodes that
//! every converter renders its own way, and HTML rendering for the feed and
//! the ebook.

use serde::Serialize;

/// One piece of a document body after Liquid is resolved.
///
/// A body is a sequence of nodes; concatenating each node's rendering gives
/// the converted body. `Markdown` runs hold the author's Markdown (kramdown
/// dialect, Liquid output already substituted), so converters keep it as
/// written and translate only what their Markdown flavour lacks. Inline
/// constructs (a `post_url` inside `[text](…)`) split a `Markdown` run, so a
/// converter must render nodes back to back without adding separators.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(tag = "node", rename_all = "snake_case")]
pub enum Node {
    /// Markdown text as written (for `.html` documents: HTML text).
    Markdown {
        /// The text.
        text: String,
        /// 1-based line in the source file where it starts.
        line: usize,
    },
    /// HTML produced by Liquid that is not the author's text: a rendered
    /// `{% include %}`, `{::nomarkdown}` content.
    Html {
        /// The HTML.
        html: String,
        /// 1-based source line.
        line: usize,
    },
    /// Literal text that no target may interpret as a template or markup
    /// directive (from `{% raw %}`); it is still Markdown/HTML for rendering.
    Literal {
        /// The text.
        text: String,
    },
    /// A code block from `{% highlight %}`.
    Code {
        /// Language, if given.
        lang: Option<String>,
        /// Whether line numbers are shown.
        linenos: bool,
        /// 1-based lines to mark.
        marked: Vec<u32>,
        /// The code, without a trailing newline.
        code: String,
        /// 1-based source line.
        line: usize,
    },
    /// A URL pointing at another document (`post_url`, `link`); rendered as
    /// just the URL, since it usually sits inside `[text](…)` or `href="…"`.
    DocLink {
        /// Source path of the target, relative to the site root.
        target: String,
        /// Jekyll's URL of the target, without baseurl.
        url: String,
    },
    /// A third-party embed (`{% gist %}`, youtube-style includes).
    Embed {
        /// `gist`, `youtube`, `vimeo`, `tweet`, …
        provider: String,
        /// The id or URL given.
        id: String,
        /// Fallback HTML (a link), for targets with no embed.
        fallback_html: String,
    },
    /// Where kramdown's `{:toc}` stood.
    Toc,
}

/// Runs the content layer over every document of `site`: fills
/// `Document::content` and `Document::html`, and adds diagnostics.
pub fn process(site: &mut crate::ir::Site) {
    let _ = site;
}
