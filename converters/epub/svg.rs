//! Inline `<svg>` drawings of a post, kept in the chapter (EPUB 3 allows SVG
//! inside XHTML; the chapter's manifest item then says `svg`).
//!
//! Two steps, because ids are only made unique once the whole chapter is
//! known:
//! - [`clean`] (while sanitising) keeps SVG 1.1 elements and attributes
//!   only: no script, no event attributes, no `foreignObject` (its HTML is
//!   outside the allow-list the rest of the chapter went through), no
//!   animation (a reader may not pause it), no reference to anything outside
//!   the chapter. Each thing left out is a diagnostic at its source line.
//! - [`link`] (after [`super::refs::assign_scoped`] made every id a unique
//!   XML name) rewrites every reference to an id, `href="#…"`,
//!   `xlink:href="#…"`, `url(#…)` in attributes and in `style`, and
//!   `aria-labelledby`/`aria-describedby`, to the id it now has. A reference
//!   is looked up in its own drawing first (two drawings exported by one
//!   tool often reuse the same ids), then in the chapter; one to no id at
//!   all is dropped, with a diagnostic.

use super::dom::{Element, Node};
use super::notes::Notes;
use super::refs::IdMap;
use crate::diagnostics::Severity;

/// The SVG namespace.
pub const SVG_NS: &str = "http://www.w3.org/2000/svg";
/// The XLink namespace (SVG 1.1 references).
const XLINK_NS: &str = "http://www.w3.org/1999/xlink";

/// SVG 1.1 elements a static drawing is made of (names as the HTML parser
/// gives them, camel case restored).
const ELEMENTS: &[&str] = &[
    "svg",
    "g",
    "defs",
    "desc",
    "title",
    "symbol",
    "use",
    "switch",
    "path",
    "rect",
    "circle",
    "ellipse",
    "line",
    "polyline",
    "polygon",
    "text",
    "tspan",
    "textPath",
    "linearGradient",
    "radialGradient",
    "stop",
    "pattern",
    "clipPath",
    "mask",
    "marker",
    "filter",
    "feBlend",
    "feColorMatrix",
    "feComponentTransfer",
    "feComposite",
    "feConvolveMatrix",
    "feDiffuseLighting",
    "feDisplacementMap",
    "feDistantLight",
    "feFlood",
    "feFuncA",
    "feFuncB",
    "feFuncG",
    "feFuncR",
    "feGaussianBlur",
    "feMerge",
    "feMergeNode",
    "feMorphology",
    "feOffset",
    "fePointLight",
    "feSpecularLighting",
    "feSpotLight",
    "feTile",
    "feTurbulence",
];

/// Attributes kept (geometry, presentation, filter parameters, and the
/// ARIA ones that name a drawing).
const ATTRIBUTES: &[&str] = &[
    "id",
    "class",
    "style",
    "transform",
    "viewBox",
    "preserveAspectRatio",
    "width",
    "height",
    "x",
    "y",
    "x1",
    "y1",
    "x2",
    "y2",
    "cx",
    "cy",
    "r",
    "rx",
    "ry",
    "fx",
    "fy",
    "d",
    "points",
    "pathLength",
    "dx",
    "dy",
    "rotate",
    "textLength",
    "lengthAdjust",
    "startOffset",
    "method",
    "spacing",
    "offset",
    "gradientUnits",
    "gradientTransform",
    "spreadMethod",
    "patternUnits",
    "patternContentUnits",
    "patternTransform",
    "clipPathUnits",
    "maskUnits",
    "maskContentUnits",
    "markerUnits",
    "markerWidth",
    "markerHeight",
    "refX",
    "refY",
    "orient",
    "filterUnits",
    "primitiveUnits",
    "in",
    "in2",
    "result",
    "stdDeviation",
    "mode",
    "type",
    "values",
    "operator",
    "k1",
    "k2",
    "k3",
    "k4",
    "order",
    "kernelMatrix",
    "divisor",
    "bias",
    "targetX",
    "targetY",
    "edgeMode",
    "preserveAlpha",
    "surfaceScale",
    "diffuseConstant",
    "specularConstant",
    "specularExponent",
    "kernelUnitLength",
    "azimuth",
    "elevation",
    "z",
    "pointsAtX",
    "pointsAtY",
    "pointsAtZ",
    "limitingConeAngle",
    "scale",
    "xChannelSelector",
    "yChannelSelector",
    "baseFrequency",
    "numOctaves",
    "seed",
    "stitchTiles",
    "tableValues",
    "slope",
    "intercept",
    "amplitude",
    "exponent",
    "version",
    "fill",
    "fill-opacity",
    "fill-rule",
    "stroke",
    "stroke-width",
    "stroke-linecap",
    "stroke-linejoin",
    "stroke-miterlimit",
    "stroke-dasharray",
    "stroke-dashoffset",
    "stroke-opacity",
    "opacity",
    "color",
    "display",
    "visibility",
    "clip-path",
    "clip-rule",
    "mask",
    "filter",
    "marker-start",
    "marker-mid",
    "marker-end",
    "font-family",
    "font-size",
    "font-style",
    "font-weight",
    "font-variant",
    "font-stretch",
    "text-anchor",
    "text-decoration",
    "dominant-baseline",
    "alignment-baseline",
    "baseline-shift",
    "letter-spacing",
    "word-spacing",
    "writing-mode",
    "direction",
    "unicode-bidi",
    "stop-color",
    "stop-opacity",
    "flood-color",
    "flood-opacity",
    "lighting-color",
    "color-interpolation",
    "color-interpolation-filters",
    "color-rendering",
    "shape-rendering",
    "text-rendering",
    "image-rendering",
    "overflow",
    "xml:space",
    "xml:lang",
    "href",
    "xlink:href",
    "role",
    "aria-label",
    "aria-labelledby",
    "aria-describedby",
    "aria-hidden",
];

/// Elements left out without a word: they draw nothing.
const SILENT: &[&str] = &["metadata"];

/// Attributes that hold id references (besides `url(#…)` in any value).
const IDREFS: &[&str] = &["aria-labelledby", "aria-describedby"];

/// Sanitises one inline `<svg>` (the outermost one of a drawing) and its
/// content; `None` when nothing drawable is left.
pub fn clean(svg: Element, notes: &mut Notes<'_>) -> Option<Element> {
    let mut xlink = false;
    let mut out = element(svg, notes, &mut xlink)?;
    // The namespace declarations the parser read are written anew: the
    // element names alone are what the HTML parser went by.
    out.attrs
        .insert(0, ("xmlns".to_string(), SVG_NS.to_string()));
    if xlink {
        out.attrs
            .insert(1, ("xmlns:xlink".to_string(), XLINK_NS.to_string()));
    }
    Some(out)
}

fn element(e: Element, notes: &mut Notes<'_>, xlink: &mut bool) -> Option<Element> {
    let name = e.name.as_str();
    if e.html || !ELEMENTS.contains(&name) {
        if name == "a" && !e.html {
            // A link inside a drawing: what it draws stays, as a group.
            notes.add(
                Severity::Warning,
                "epub-svg",
                Some("<a"),
                "a link inside an inline <svg> drawing was left out; what it draws is kept".into(),
            );
            let mut g = Element {
                name: "g".into(),
                ..Element::default()
            };
            g.children = children(e.children, notes, xlink);
            return Some(g);
        }
        if !SILENT.contains(&name) {
            let why = match name {
                "script" => "ebooks run no scripts",
                "foreignObject" => "the HTML inside a drawing is not carried",
                "style" => "the book uses its own stylesheet",
                "image" | "feImage" => "a drawing may not load pictures by reference",
                n if n.starts_with("animate") || matches!(n, "set" | "mpath") => {
                    "an animation cannot be paused in a book"
                }
                _ => "it is not part of a static SVG 1.1 drawing",
            };
            notes.add(
                Severity::Warning,
                "epub-svg",
                Some(&format!("<{}", e.name)),
                format!(
                    "an inline <svg> drawing lost its <{}> element: {why}",
                    e.name
                ),
            );
        }
        return None;
    }
    let mut out = Element {
        name: e.name.clone(),
        ..Element::default()
    };
    for (k, v) in &e.attrs {
        attribute(&e.name, k, v, &mut out, notes, xlink);
    }
    // SVG 1.1 requires the reference these draw from.
    if matches!(name, "use" | "textPath") && out.get("xlink:href").is_none() {
        // A reference that was there and dropped has its own note.
        let had_reference = e
            .attrs
            .iter()
            .any(|(k, _)| matches!(k.as_str(), "href" | "xlink:href"));
        if had_reference {
            return None;
        }
        notes.add(
            Severity::Warning,
            "epub-svg",
            Some(&format!("<{}", e.name)),
            format!(
                "an inline <svg> drawing lost a <{}> element: what it points at is not in the drawing",
                e.name
            ),
        );
        return None;
    }
    out.children = children(e.children, notes, xlink);
    Some(out)
}

fn children(nodes: Vec<Node>, notes: &mut Notes<'_>, xlink: &mut bool) -> Vec<Node> {
    let mut out = Vec::new();
    for n in nodes {
        match n {
            Node::Text(t) => super::dom::push_text(&mut out, &t),
            Node::Element(c) => out.extend(element(c, notes, xlink).map(Node::Element)),
        }
    }
    out
}

/// Copies one attribute of `<name>` when it is allowed and refers to
/// nothing outside the chapter.
fn attribute(
    name: &str,
    key: &str,
    value: &str,
    out: &mut Element,
    notes: &mut Notes<'_>,
    xlink: &mut bool,
) {
    if key.starts_with("xmlns") {
        return;
    }
    let lower = key.to_ascii_lowercase();
    if lower.starts_with("on") {
        notes.add(
            Severity::Warning,
            "epub-svg",
            Some(key),
            format!("the event attribute {key} of an inline <svg> drawing was left out (ebooks run no scripts)"),
        );
        return;
    }
    if !ATTRIBUTES.contains(&key) {
        notes.add(
            Severity::Info,
            "epub-svg",
            Some(key),
            format!("the attribute {key} of an inline <{name}> was left out: it is not SVG 1.1"),
        );
        return;
    }
    let value = if key == "style" {
        match local_style(value) {
            (kept, Some(dropped)) => {
                notes.add(
                    Severity::Warning,
                    "epub-svg",
                    Some(&dropped),
                    format!("the style {dropped:?} of an inline <{name}> was left out: it refers to something outside the book"),
                );
                kept
            }
            (kept, None) => kept,
        }
    } else {
        value.to_string()
    };
    if matches!(key, "href" | "xlink:href") {
        if !value.trim_start().starts_with('#') {
            notes.add(
                Severity::Warning,
                "epub-svg",
                Some(&value),
                format!("the reference {value} of an inline <{name}> was left out: a drawing in a book may only refer to its own chapter"),
            );
            return;
        }
        // SVG 1.1 (what EPUB readers implement) knows xlink:href only.
        *xlink = true;
        out.set("xlink:href", value.trim());
        return;
    }
    if key != "style" && has_remote_url(&value) {
        notes.add(
            Severity::Warning,
            "epub-svg",
            Some(&value),
            format!("the attribute {key}={value:?} of an inline <{name}> was left out: it refers to something outside the book"),
        );
        return;
    }
    if key == "style" && value.trim().is_empty() {
        return;
    }
    out.set(key, value);
}

/// Whether `value` holds a `url(…)` that is not a reference inside the
/// chapter (`url(#id)`), or a script URL.
fn has_remote_url(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    if lower.contains("javascript:") || lower.contains("expression(") {
        return true;
    }
    let mut rest = lower.as_str();
    while let Some(at) = rest.find("url(") {
        let arg = rest[at + 4..].trim_start_matches([' ', '"', '\'']);
        if !arg.starts_with('#') {
            return true;
        }
        rest = &rest[at + 4..];
    }
    false
}

/// A `style` attribute without the declarations that refer outside the
/// chapter, and the first of those left out.
fn local_style(style: &str) -> (String, Option<String>) {
    let mut kept = Vec::new();
    let mut dropped = None;
    for decl in style.split(';') {
        let decl = decl.trim();
        if decl.is_empty() {
            continue;
        }
        if has_remote_url(decl) || decl.contains('@') || decl.contains('\\') {
            dropped.get_or_insert_with(|| decl.to_string());
        } else {
            kept.push(decl);
        }
    }
    (kept.join("; "), dropped)
}

/// Rewrites the id references of every drawing in `nodes` to the ids
/// [`super::refs::assign_scoped`] gave; `scopes` holds the id map of each
/// outermost drawing, in document order, `chapter` that of the whole
/// chapter.
pub fn link(nodes: &mut [Node], scopes: &[IdMap], chapter: &IdMap, notes: &mut Notes<'_>) {
    let mut next = 0;
    link_walk(nodes, scopes, &mut next, chapter, notes);
}

fn link_walk(
    nodes: &mut [Node],
    scopes: &[IdMap],
    next: &mut usize,
    chapter: &IdMap,
    notes: &mut Notes<'_>,
) {
    for n in nodes {
        let Node::Element(e) = n else { continue };
        if is_drawing(e) {
            let empty = IdMap::default();
            let local = scopes.get(*next).unwrap_or(&empty);
            *next += 1;
            let find = |id: &str| local.get(id).or_else(|| chapter.get(id)).cloned();
            // The outermost <svg> has no reference of its own to lose.
            let _ = rewrite(e, &find, notes);
        } else {
            link_walk(&mut e.children, scopes, next, chapter, notes);
        }
    }
}

/// An outermost inline drawing.
pub fn is_drawing(e: &Element) -> bool {
    !e.html && e.name == "svg"
}

/// Rewrites the references of `e` and below; false when `e` is a `<use>`
/// or `<textPath>` whose reference names nothing (they draw nothing then,
/// and SVG 1.1 requires one).
fn rewrite(e: &mut Element, find: &dyn Fn(&str) -> Option<String>, notes: &mut Notes<'_>) -> bool {
    let mut drop = Vec::new();
    for (k, v) in e.attrs.iter_mut() {
        if k == "xlink:href" || k == "href" {
            let target = v.trim().trim_start_matches('#');
            match find(target) {
                Some(id) => *v = format!("#{id}"),
                None => drop.push(k.clone()),
            }
        } else if IDREFS.contains(&k.as_str()) {
            let ids: Vec<String> = v.split_ascii_whitespace().filter_map(find).collect();
            if ids.is_empty() {
                drop.push(k.clone());
            } else {
                *v = ids.join(" ");
            }
        } else if v.contains("url(") {
            match rewrite_urls(v, find) {
                Some(new) => *v = new,
                None => drop.push(k.clone()),
            }
        }
    }
    let mut keep = true;
    for k in drop {
        let v = e.get(&k).unwrap_or("").to_string();
        notes.add(
            Severity::Warning,
            "epub-svg",
            Some(v.trim()),
            format!(
                "the reference {k}={v:?} of an inline <{}> names no id of its chapter; it was left out",
                e.name
            ),
        );
        e.attrs.retain(|(n, _)| *n != k);
        keep &= !(k.ends_with("href") && matches!(e.name.as_str(), "use" | "textPath"));
    }
    e.children.retain_mut(|c| match c {
        Node::Element(c) => rewrite(c, find, notes),
        Node::Text(_) => true,
    });
    keep
}

/// `value` with every `url(#id)` naming the id's new name; `None` when one
/// names no id of the chapter.
fn rewrite_urls(value: &str, find: &dyn Fn(&str) -> Option<String>) -> Option<String> {
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(at) = rest.find("url(") {
        out.push_str(&rest[..at + 4]);
        rest = &rest[at + 4..];
        let end = rest.find(')')?;
        let arg = rest[..end].trim().trim_matches(['"', '\'']);
        let id = find(arg.strip_prefix('#')?)?;
        out.push('#');
        out.push_str(&id);
        rest = &rest[end..];
    }
    out.push_str(rest);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::converters::epub::dom::parse_fragment_html;
    use crate::converters::epub::{refs, xml};

    fn run(html: &str) -> (String, Vec<crate::diagnostics::Diagnostic>) {
        let mut notes = Notes::new("_posts/a.html", html, 1);
        let mut nodes: Vec<Node> = parse_fragment_html(html)
            .into_iter()
            .filter_map(|n| match n {
                Node::Element(e) if is_drawing(&e) => clean(e, &mut notes).map(Node::Element),
                other => Some(other),
            })
            .collect();
        let (map, scopes) = refs::assign_scoped(&mut nodes, &[refs::TOP_ID]);
        link(&mut nodes, &scopes, &map, &mut notes);
        (xml::to_string(&nodes), notes.list)
    }

    #[test]
    fn ids_are_xml_names_and_references_follow_them() {
        let (x, d) = run(concat!(
            r##"<svg viewbox="0 0 10 10" onload="x()"><defs><linearGradient id="1g"><stop offset="0"/></linearGradient></defs>"##,
            r##"<title id="2t">T</title><rect id="3r" fill="url(#1g)" style="stroke: url('#1g'); fill: url(http://ex.org/p.svg#a)" aria-labelledby="2t"/>"##,
            r##"<use href="#3r"/><use xlink:href="http://ex.org/x.svg#y"/><script>alert(1)</script><foreignObject><p>x</p></foreignObject></svg>"##,
            r##"<svg><linearGradient id="1g"/><rect fill="url(#1g)"/></svg>"##,
        ));
        assert_eq!(
            x,
            concat!(
                r##"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10"><defs><linearGradient id="id-1g"><stop offset="0"/></linearGradient></defs>"##,
                r##"<title id="id-2t">T</title><rect id="id-3r" fill="url(#id-1g)" style="stroke: url(#id-1g)" aria-labelledby="id-2t"/>"##,
                r##"<use xlink:href="#id-3r"/></svg>"##,
                r##"<svg xmlns="http://www.w3.org/2000/svg"><linearGradient id="id-1g-2"/><rect fill="url(#id-1g-2)"/></svg>"##,
            )
        );
        let kinds: Vec<&str> = d.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(d.len(), 5, "{kinds:#?}");
        assert!(d.iter().all(|d| d.kind == "epub-svg"));
    }

    #[test]
    fn odd_drawings_never_panic() {
        for html in [
            r##"<svg><use href="#"></use><rect fill="url(#" style="fill:url("/></svg>"##,
            r##"<svg><a xlink:href="javascript:x"><text>t</text></a><svg id="é"><g id="é"/></svg></svg>"##,
            r##"<svg><title><b>bold</b></title><math><mi>x</mi></math><animate/></svg>"##,
            r##"<svg style="@import url(x)"><rect style="fill: url( '#a' ) ; \75rl(x)" id="a"/></svg>"##,
        ] {
            let (x, _) = run(html);
            assert!(
                x.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""),
                "{x}"
            );
        }
    }

    #[test]
    fn references_to_nothing_are_dropped() {
        let (x, d) = run(
            r##"<svg><rect fill="url(#nope)" aria-describedby="nope"/><use href="#gone"/></svg>"##,
        );
        assert_eq!(
            x,
            r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><rect/></svg>"#
        );
        assert_eq!(d.len(), 3);
    }

    /// A `<use>` that never named what it draws is dropped with a note,
    /// not silently.
    #[test]
    fn a_use_without_reference_is_reported() {
        let (x, d) = run(r##"<svg><rect/><use x="1"/></svg>"##);
        assert!(!x.contains("<use"), "{x}");
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(d[0].message.contains("lost a <use> element"), "{d:?}");
    }
}
