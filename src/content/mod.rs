//! The content layer: Liquid and kramdown resolved into neutral nodes that
//! every converter renders its own way, and HTML rendering for the feed and
//! the ebook.

use serde::Serialize;

/// One piece of a document body after Liquid and kramdown are resolved.
///
/// Converters render each variant in their own syntax; `Markdown` text is
/// the author's Markdown with Liquid already resolved.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(tag = "node", rename_all = "snake_case")]
pub enum Node {
    /// Markdown text as written (Liquid output included).
    Markdown {
        /// The text.
        text: String,
    },
    /// Raw HTML to pass through.
    Html {
        /// The HTML.
        html: String,
    },
    /// Literal text that must not be interpreted as a template by any target
    /// (from `{% raw %}`).
    Literal {
        /// The text.
        text: String,
    },
    /// A code block (`{% highlight %}` or a fence).
    Code {
        /// Language, if given.
        lang: Option<String>,
        /// Whether line numbers are shown.
        linenos: bool,
        /// 1-based lines to mark.
        marked: Vec<u32>,
        /// The code.
        code: String,
    },
    /// A link to another document (`post_url`, `link`).
    DocLink {
        /// Source path of the target, relative to the site root.
        target: String,
        /// Jekyll's URL of the target (without baseurl).
        url: String,
    },
    /// Where kramdown's `{:toc}` stood.
    Toc,
}

/// Runs the content layer over every document of `site`: fills
/// `Document::content` and `Document::html`, and adds diagnostics.
pub fn process(site: &mut crate::ir::Site) {
    let _ = site;
}
