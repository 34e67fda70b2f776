//! Accessibility: what the package says about the book (EPUB
//! Accessibility 1.1 / schema.org metadata), worked out from the book that
//! was written, and the test of whether a link has an accessible name.
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
            "The posts of a blog, one chapter each, in reading order, with headings and a table of contents.",
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
    fn animated_gifs_are_told_apart() {
        assert!(is_animated_gif(b"GIF89a....NETSCAPE2.0...."));
        assert!(!is_animated_gif(b"GIF89a...\x00\x21\xf9\x04..."));
        assert!(!is_animated_gif(b"\x89PNG NETSCAPE2.0"));
    }
}
