//! Accessibility: what the package says about the book (EPUB
//! Accessibility 1.1 / schema.org metadata), worked out from the book that
//! was written; the test of whether a link has an accessible name; and
//! headings renumbered so that none skips a level.
//!
//! Every statement is true of the book or left out:
//! - `accessMode` `visual` only when the book has pictures (the cover is
//!   one); `accessModeSufficient` `textual` only when every picture has a
//!   text alternative, `alternativeText` likewise.
//! - `MathML` only when a chapter has formulas.
//! - `accessibilityHazard` `none` only when no picture is an animated GIF
//!   (which may flash); `unknown` otherwise, since nothing here looks at
//!   its frames.
//! - No `dcterms:conformsTo`: a claim of WCAG 2.1 AA conformance needs a
//!   person to judge what no program can (whether an alt text describes its
//!   picture, the contrast inside images, the sense of the reading order),
//!   so a converter that claimed it would claim it untested. Ace by DAISY,
//!   which the tests run on every book, reports the claim as missing, not
//!   as a violation.

use super::dom::{Element, Node};
use super::xml;
use crate::diagnostics::Diagnostic;

/// What the book holds, as far as its accessibility metadata goes.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// Pictures: the cover, embedded images and inline SVG drawings.
    pub pictures: usize,
    /// Pictures without a text alternative written for them (an image
    /// without `alt`, named by its file instead, or with an empty one; a
    /// drawing without a title or label).
    pub without_alt: usize,
    /// Some chapter holds MathML.
    pub math: bool,
    /// Some picture is an animated GIF.
    pub animated: bool,
}

impl Facts {
    /// The facts of the chapters, each given as (holds MathML, inline SVG
    /// drawings); the pictures and their text alternatives are added with
    /// [`Facts::add_pictures`].
    pub fn new(chapters: impl Iterator<Item = (bool, usize)>) -> Self {
        let mut f = Facts::default();
        for (math, drawings) in chapters {
            f.math |= math;
            f.pictures += drawings;
        }
        f
    }

    /// Counts `pictures` (the bytes of each image file) in, and the
    /// pictures without a text alternative that `diags` report (an
    /// `epub-image-alt` or `epub-svg-title` warning each).
    pub fn add_pictures<'b>(
        &mut self,
        diags: &[Diagnostic],
        pictures: impl Iterator<Item = &'b [u8]>,
    ) {
        for p in pictures {
            self.pictures += 1;
            self.animated |= is_animated_gif(p);
        }
        self.without_alt += diags
            .iter()
            .filter(|d| matches!(d.kind.as_str(), "epub-image-alt" | "epub-svg-title"))
            .count();
    }

    /// The `<meta>` elements of the package for these facts.
    pub fn metadata(&self) -> String {
        let mut m = Vec::new();
        let mut meta = |property: &str, value: &str| {
            m.push(format!(
                "<meta property=\"schema:{property}\">{}</meta>",
                xml::text(value)
            ));
        };
        meta("accessMode", "textual");
        let all_alt = self.without_alt == 0;
        if self.pictures > 0 {
            meta("accessMode", "visual");
            meta("accessModeSufficient", "textual,visual");
        }
        if all_alt {
            meta("accessModeSufficient", "textual");
        }
        meta("accessibilityFeature", "structuralNavigation");
        meta("accessibilityFeature", "tableOfContents");
        meta("accessibilityFeature", "readingOrder");
        if self.pictures > 0 && all_alt {
            meta("accessibilityFeature", "alternativeText");
        }
        if self.math {
            meta("accessibilityFeature", "MathML");
        }
        meta(
            "accessibilityHazard",
            if self.animated { "unknown" } else { "none" },
        );
        meta("accessibilitySummary", &self.summary());
        m.join("\n") + "\n"
    }

    /// A plain-language account of the same facts.
    fn summary(&self) -> String {
        let mut s = String::from(
            "A website's posts or documents, one chapter each, in reading order, with headings and a table of contents.",
        );
        match (self.pictures, self.without_alt) {
            (0, _) => s.push_str(" There are no pictures."),
            (_, 0) => s.push_str(" Every picture has a text alternative."),
            (_, 1) => s.push_str(
                " One picture has no text alternative written for it (it has an empty one, or its file name).",
            ),
            (_, k) => s.push_str(&format!(
                " {k} pictures have no text alternative written for them (they have an empty one, or their file name)."
            )),
        }
        if self.math {
            s.push_str(" Formulas are MathML.");
        }
        if self.animated {
            s.push_str(" Some images are animated GIFs, which were not checked for flashing.");
        }
        s.push_str(" Not evaluated against WCAG by a person, so no conformance is claimed.");
        s
    }
}

/// Whether GIF `bytes` hold an animation (the NETSCAPE2.0 looping block,
/// which every animated GIF writer adds, or more than one frame).
pub fn is_animated_gif(bytes: &[u8]) -> bool {
    if !bytes.starts_with(b"GIF8") {
        return false;
    }
    memchr::memmem::find(bytes, b"NETSCAPE2.0").is_some()
        || memchr::memmem::find_iter(bytes, b"\x00\x21\xf9\x04").count() > 1
}

/// Whether a reader would have nothing to say for `nodes` as a link's
/// content: no text, no image with alt text, no titled drawing.
pub fn has_no_name(nodes: &[Node]) -> bool {
    !nodes.iter().any(|n| match n {
        Node::Text(t) => !t.trim().is_empty(),
        Node::Element(e) => named(e) || !has_no_name(&e.children),
    })
}

fn named(e: &Element) -> bool {
    match e.name.as_str() {
        "img" => e.get("alt").is_some_and(|a| !a.trim().is_empty()),
        "svg" if !e.html => drawing_is_named(e),
        _ => false,
    }
}

/// Whether an inline drawing has a text alternative: a `<title>` child
/// with text, or an `aria-label`.
pub fn drawing_is_named(svg: &Element) -> bool {
    svg.get("aria-label").is_some_and(|l| !l.trim().is_empty())
        || svg.children.iter().any(|c| {
            matches!(c, Node::Element(t) if !t.html && t.name == "title"
                && !super::dom::text_content(&t.children).trim().is_empty())
        })
}

/// Renumbers the headings of a chapter's content so that none skips a
/// level below the one it belongs to (the chapter title is `h1`; a post
/// whose first heading is `h3`, or that goes from `h2` to `h4`, leaves a
/// screen reader's outline with holes). Each heading becomes one level
/// below the nearest earlier heading of a higher rank as written, so the
/// post's own structure is kept; `h1` stays `h1`. Returns the first
/// heading renamed, as written (`<h3`), if any.
pub fn close_heading_gaps(nodes: &mut [Node]) -> Option<String> {
    // (level as written, level given), for the headings still open.
    let mut open: Vec<(u8, u8)> = Vec::new();
    let mut first = None;
    walk_headings(nodes, &mut open, &mut first);
    first
}

fn walk_headings(nodes: &mut [Node], open: &mut Vec<(u8, u8)>, first: &mut Option<String>) {
    for n in nodes {
        let Node::Element(e) = n else { continue };
        let level = match e.name.as_bytes() {
            [b'h', d @ b'1'..=b'6'] if e.html => d - b'0',
            _ => {
                walk_headings(&mut e.children, open, first);
                continue;
            }
        };
        while open.last().is_some_and(|(w, _)| *w >= level) {
            open.pop();
        }
        let given = if level == 1 {
            1
        } else {
            open.last().map_or(2, |(_, g)| g + 1).min(level)
        };
        open.push((level, given));
        if given != level {
            first.get_or_insert_with(|| format!("<h{level}"));
            e.name = format!("h{given}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_says_only_what_is_true() {
        let plain = Facts {
            pictures: 1,
            ..Facts::default()
        }
        .metadata();
        assert!(plain.contains(">alternativeText<"));
        assert!(plain.contains("<meta property=\"schema:accessModeSufficient\">textual</meta>"));
        assert!(!plain.contains("MathML"));
        assert!(plain.contains("schema:accessibilityHazard\">none<"));
        let rough = Facts {
            pictures: 3,
            without_alt: 2,
            math: true,
            animated: true,
        }
        .metadata();
        assert!(!rough.contains("alternativeText"));
        assert!(!rough.contains("accessModeSufficient\">textual<"));
        assert!(rough.contains("accessModeSufficient\">textual,visual<"));
        assert!(rough.contains(">MathML<"));
        assert!(rough.contains("accessibilityHazard\">unknown<"));
        assert!(rough.contains(" 2 pictures have no text alternative"));
        assert!(!rough.contains("conformsTo"));
    }

    #[test]
    fn headings_skip_no_level() {
        use crate::converters::epub::{dom::parse_fragment_html, xml};
        let mut n = parse_fragment_html(
            "<h3>a</h3><h4>b</h4><h3>c</h3><h2>d</h2><h4>e</h4><h1>f</h1><h3>g</h3>",
        );
        assert_eq!(close_heading_gaps(&mut n).as_deref(), Some("<h3"));
        assert_eq!(
            xml::to_string(&n),
            "<h2>a</h2><h3>b</h3><h2>c</h2><h2>d</h2><h3>e</h3><h1>f</h1><h2>g</h2>"
        );
        let mut n = parse_fragment_html("<h2>a</h2><section><h3>b</h3></section>");
        assert_eq!(close_heading_gaps(&mut n), None);
    }

    #[test]
    fn animated_gifs_are_told_apart() {
        assert!(is_animated_gif(b"GIF89a....NETSCAPE2.0...."));
        assert!(!is_animated_gif(b"GIF89a...\x00\x21\xf9\x04..."));
        assert!(!is_animated_gif(b"\x89PNG NETSCAPE2.0"));
    }
}
