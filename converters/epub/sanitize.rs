//! The allow-list: any HTML a post holds becomes XHTML that EPUBCheck
//! accepts. Elements are kept, renamed (obsolete ones to their HTML5
//! equivalents, presentation to classes), unwrapped or replaced by links
//! (`iframe`, `script`, `embed`, media, remote images); content models are
//! repaired (blocks inside phrasing, stray `li`, `details` without
//! `summary`); kramdown footnotes become EPUB footnotes; local images are
//! embedded. Link targets are left as written: [`super::refs`] rewrites them
//! once every chapter's ids are known.

use url::Url;

use super::dom::{push_text, text_content, Element, Node};
use super::links::{SiteLinks, Target};
use super::media::{EmbedError, Images};
use super::notes::Notes;
use crate::diagnostics::Severity;
use crate::ir::Site;
use crate::lang;

/// Elements kept under their own name.
const KEEP: &[&str] = &[
    "a",
    "abbr",
    "article",
    "aside",
    "b",
    "bdi",
    "bdo",
    "blockquote",
    "br",
    "caption",
    "cite",
    "code",
    "col",
    "colgroup",
    "dd",
    "del",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "i",
    "ins",
    "kbd",
    "li",
    "mark",
    "nav",
    "ol",
    "p",
    "pre",
    "q",
    "rp",
    "rt",
    "ruby",
    "s",
    "samp",
    "section",
    "small",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "u",
    "ul",
    "var",
    "wbr",
];

/// Phrasing elements (allowed where only phrasing content is).
const PHRASING: &[&str] = &[
    "a", "abbr", "b", "bdi", "bdo", "br", "cite", "code", "del", "dfn", "em", "i", "img", "ins",
    "kbd", "mark", "q", "rp", "rt", "ruby", "s", "samp", "small", "span", "strong", "sub", "sup",
    "u", "var", "wbr",
];

/// Elements whose content must be phrasing content.
const PHRASING_ONLY: &[&str] = &[
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "summary", "abbr", "b", "bdi", "bdo", "cite",
    "code", "dfn", "em", "i", "kbd", "mark", "q", "rp", "rt", "ruby", "s", "samp", "small", "span",
    "strong", "sub", "sup", "u", "var",
];

/// What kind of parent an element sits in, for content-model repairs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Parent {
    List,
    Dl,
    Details,
    Figure,
    Ruby,
    Other,
}

#[derive(Debug, Clone, Copy)]
struct Mode {
    /// Only phrasing content is allowed here.
    phrasing: bool,
    /// Inside an `<a>`: no interactive content (no nested links).
    in_a: bool,
    /// Inside a `header`/`footer` (which may not nest).
    in_header: bool,
    parent: Parent,
}

const FLOW: Mode = Mode {
    phrasing: false,
    in_a: false,
    in_header: false,
    parent: Parent::Other,
};

/// Sanitises the HTML of one document.
pub struct Cleaner<'a> {
    /// The site (for static files).
    pub site: &'a Site,
    /// The link map.
    pub links: &'a SiteLinks,
    /// The book's images.
    pub images: &'a mut Images,
    /// The absolute URL of the document on the site.
    pub page: Url,
    /// What could not be carried over.
    pub notes: Notes<'a>,
}

impl<'a> Cleaner<'a> {
    /// A cleaner for one document.
    pub fn new(
        site: &'a Site,
        links: &'a SiteLinks,
        images: &'a mut Images,
        page: Url,
        doc: &'a crate::ir::Document,
    ) -> Self {
        Cleaner {
            site,
            links,
            images,
            page,
            notes: Notes::new(&doc.source, &doc.body, doc.body_line),
        }
    }

    /// Cleans the top-level nodes of a document body (flow content), its
    /// headings renumbered to skip no level under the chapter title.
    pub fn clean(&mut self, nodes: Vec<Node>) -> Vec<Node> {
        let mut nodes = self.nodes(nodes, FLOW);
        if let Some(first) = super::a11y::close_heading_gaps(&mut nodes) {
            self.note(
                Severity::Info,
                "epub-heading-level",
                Some(&first),
                "headings were renumbered so that none skips a level under the chapter title (h1), as screen readers list them".into(),
            );
        }
        nodes
    }

    fn note(&mut self, severity: Severity, kind: &str, needle: Option<&str>, message: String) {
        self.notes.add(severity, kind, needle, message);
    }

    fn nodes(&mut self, nodes: Vec<Node>, m: Mode) -> Vec<Node> {
        let mut out = Vec::new();
        for n in nodes {
            match n {
                Node::Text(t) => push_text(&mut out, &t),
                Node::Element(e) => self.element(e, m, &mut out),
            }
        }
        out
    }

    fn element(&mut self, e: Element, m: Mode, out: &mut Vec<Node>) {
        if !e.html {
            return self.foreign(e, out);
        }
        match e.name.as_str() {
            "script" => return self.script(&e, m, out),
            "style" => {
                self.note(
                    Severity::Info,
                    "epub-style-dropped",
                    Some("<style"),
                    "a <style> block was left out; the book uses its own stylesheet".into(),
                );
                return;
            }
            "template" | "link" | "meta" | "base" | "param" | "source" | "track" | "area"
            | "frameset" | "frame" | "select" | "datalist" | "keygen" | "head" | "title"
            | "option" | "optgroup" => return,
            "iframe" | "embed" | "video" | "audio" | "object" => return self.media(e, m, out),
            "img" => return self.image(&e, m, out),
            "input" => return self.input(&e, out),
            "noscript" | "picture" | "map" | "canvas" | "applet" | "html" | "body" | "progress"
            | "meter" | "output" | "font" | "basefont" | "slot" => {
                let kids = self.nodes(e.children, m);
                out.extend(kids);
                return;
            }
            "textarea" => {
                let t = text_content(&e.children);
                let name = if m.phrasing { "span" } else { "pre" };
                out.push(Node::Element(Element::new(name).with(vec![Node::Text(t)])));
                return;
            }
            _ => {}
        }
        if !m.phrasing
            && e.name == "div"
            && (e.has_class("footnotes") || e.get("role") == Some("doc-endnotes"))
        {
            return self.footnotes(e, out);
        }
        if !m.in_a && is_noteref(&e) {
            return out.push(Node::Element(noteref(&e)));
        }
        let (mut name, class) = match rename(&e.name) {
            Some(r) => r,
            None => {
                self.note(
                    Severity::Info,
                    "epub-unknown-element",
                    Some(&format!("<{}", e.name)),
                    format!("<{}> is not HTML; its content is kept without it", e.name),
                );
                let kids = self.nodes(e.children, m);
                out.extend(kids);
                return;
            }
        };
        // Content-model repairs.
        if m.phrasing && !PHRASING.contains(&name) {
            if name == "hr" {
                return;
            }
            name = "span";
        }
        match name {
            "li" if m.parent != Parent::List => name = "div",
            "dt" | "dd" if m.parent != Parent::Dl => name = "div",
            "summary" if m.parent != Parent::Details => name = "div",
            "figcaption" if m.parent != Parent::Figure => name = "div",
            "rt" | "rp" if m.parent != Parent::Ruby => name = "span",
            "header" | "footer" if m.in_header => name = "div",
            "a" if m.in_a => name = "span",
            "bdo" if !matches!(e.get("dir"), Some("ltr" | "rtl")) => name = "span",
            _ => {}
        }
        let mut el = Element::new(name);
        self.attrs(&e, name, &mut el);
        if let Some(c) = class {
            add_class(&mut el, c);
        }
        let child = Mode {
            phrasing: m.phrasing || PHRASING_ONLY.contains(&name),
            in_a: m.in_a || name == "a",
            in_header: m.in_header || matches!(name, "header" | "footer"),
            parent: match name {
                "ul" | "ol" => Parent::List,
                "dl" => Parent::Dl,
                "details" => Parent::Details,
                "figure" => Parent::Figure,
                "ruby" => Parent::Ruby,
                _ => Parent::Other,
            },
        };
        let mut kids = self.nodes(e.children, child);
        match name {
            "ul" | "ol" => kids = wrap_strays(kids, &["li"], "li"),
            "dl" => kids = wrap_strays(kids, &["dt", "dd", "div"], "dd"),
            "details" => kids = ensure_summary(kids),
            "figure" => fix_figcaption(&mut kids),
            "table" => kids = table_order(kids),
            "ruby" => {
                let has_rt = kids
                    .iter()
                    .any(|k| matches!(k, Node::Element(c) if c.name == "rt"));
                if !has_rt {
                    el.name = "span".into();
                    for k in &mut kids {
                        if let Node::Element(c) = k {
                            if c.name == "rp" {
                                c.name = "span".into();
                            }
                        }
                    }
                }
            }
            _ => {}
        }
        el.children = kids;
        // A heading or header cell with nothing in it is announced as an
        // empty heading or column: it is kept (ids may point at it) as
        // what it shows, nothing.
        if matches!(name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "th")
            && super::a11y::has_no_name(&el.children)
        {
            el.name = if name == "th" { "td" } else { "span" }.into();
        }
        if name == "a" && el.get("href").is_some() && super::a11y::has_no_name(&el.children) {
            self.nameless_link(&mut el);
            if el.children.is_empty() && el.get("id").is_none() {
                return;
            }
        }
        out.push(Node::Element(el));
    }

    /// A link a reader would announce with nothing but "link" (no text, its
    /// pictures without alt text): one with no content at all stops being
    /// a link, one with pictures is named by where it goes.
    fn nameless_link(&mut self, a: &mut Element) {
        let href = a.get("href").unwrap_or("").to_string();
        if a.children.is_empty() {
            a.attrs.retain(|(k, _)| k != "href");
            self.note(
                Severity::Info,
                "epub-empty-link",
                Some(&href),
                format!("a link to {href} has no content, so nothing to click: it was left out"),
            );
            return;
        }
        let label = file_label(&href);
        let label = label.strip_prefix("Image: ").unwrap_or(&label).to_string();
        let label = if label == "Image" || label.is_empty() {
            href.clone()
        } else {
            label
        };
        a.set("aria-label", label);
        self.note(
            Severity::Warning,
            "epub-empty-link",
            Some(&href),
            format!("a link to {href} shows only pictures without alt text: it is named by its target; give the picture an alt text"),
        );
    }

    /// Copies the attributes HTML5 allows on `name`, mapping presentational
    /// ones to classes.
    fn attrs(&mut self, src: &Element, name: &str, el: &mut Element) {
        for (k, v) in &src.attrs {
            let v = v.as_str();
            match k.as_str() {
                "id" if !v.trim().is_empty() => el.set("id", v.trim()),
                "name" if src.name == "a" && src.get("id").is_none() && !v.trim().is_empty() => {
                    el.set("id", v.trim())
                }
                "class" => {
                    for c in v.split_ascii_whitespace() {
                        add_class(el, c);
                    }
                }
                "title" => el.set("title", v),
                "lang" | "xml:lang" => {
                    if let Some(tag) = lang::bcp47(v) {
                        el.set("lang", tag.clone());
                        el.set("xml:lang", tag);
                    }
                }
                "dir" if matches!(v, "ltr" | "rtl" | "auto") => el.set("dir", v),
                "align" => {
                    let a = v.trim().to_ascii_lowercase();
                    if matches!(a.as_str(), "left" | "right" | "center" | "justify") {
                        add_class(el, &format!("align-{a}"));
                    }
                }
                "href" if name == "a" => el.set("href", v),
                "cite" if matches!(name, "blockquote" | "q" | "del" | "ins") => {
                    self.cite(v, name, el);
                }
                "colspan" if matches!(name, "td" | "th") => {
                    if let Some(n) = int(v).filter(|n| (1..=1000).contains(n)) {
                        el.set("colspan", n.to_string());
                    }
                }
                "rowspan" if matches!(name, "td" | "th") => {
                    if let Some(n) = int(v).filter(|n| (0..=65534).contains(n)) {
                        el.set("rowspan", n.to_string());
                    }
                }
                "scope" if name == "th" => {
                    if matches!(v, "row" | "col" | "rowgroup" | "colgroup") {
                        el.set("scope", v);
                    }
                }
                "start" if name == "ol" => {
                    if let Some(n) = int(v) {
                        el.set("start", n.to_string());
                    }
                }
                "reversed" if name == "ol" => el.set("reversed", "reversed"),
                "type" if name == "ol" => {
                    if matches!(v, "1" | "a" | "A" | "i" | "I") {
                        el.set("type", v);
                    }
                }
                "value" if name == "li" => {
                    if let Some(n) = int(v) {
                        el.set("value", n.to_string());
                    }
                }
                "span" if matches!(name, "col" | "colgroup") => {
                    if let Some(n) = int(v).filter(|n| (1..=1000).contains(n)) {
                        el.set("span", n.to_string());
                    }
                }
                "open" if name == "details" => el.set("open", "open"),
                "role" if name == "a" && v == "doc-backlink" => el.set("role", v),
                _ => {}
            }
        }
    }

    /// A `cite` URL, made absolute, is kept when it is `https`. EPUBCheck
    /// wants remote references over HTTPS (RSC-031), and upgrading the
    /// scheme could name a page that does not exist; since neither browsers
    /// nor reading systems show `cite`, dropping an `http` one (with a note)
    /// takes nothing from what the reader saw on the site.
    fn cite(&mut self, value: &str, name: &str, el: &mut Element) {
        let Ok(u) = self.page.join(value.trim()) else {
            return;
        };
        match u.scheme() {
            "https" => el.set("cite", u.to_string()),
            "http" => self.note(
                Severity::Info,
                "epub-cite",
                Some(value.trim()),
                format!(
                    "the cite URL {u} of a <{name}> was left out: a book may refer to the web over HTTPS only, and no reader shows it"
                ),
            ),
            _ => {}
        }
    }

    /// `<svg>` (kept, see [`super::svg`]) and `<math>` in a post.
    fn foreign(&mut self, e: Element, out: &mut Vec<Node>) {
        if e.name == "math" {
            let text = e
                .get("alttext")
                .map(str::to_string)
                .unwrap_or_else(|| text_content(&e.children));
            self.note(
                Severity::Warning,
                "epub-math",
                Some("<math"),
                "MathML was replaced by its text".into(),
            );
            push_text(out, &text);
            return;
        }
        if super::svg::is_drawing(&e) {
            let Some(svg) = super::svg::clean(e, &mut self.notes) else {
                return;
            };
            if !super::a11y::drawing_is_named(&svg) {
                self.note(
                    Severity::Warning,
                    "epub-svg-title",
                    Some("<svg"),
                    "an inline <svg> drawing has no <title> (or aria-label): a screen reader has nothing to say for it; give it a <title> first child".into(),
                );
            }
            out.push(Node::Element(svg));
            return;
        }
        // SVG or MathML elements outside their root cannot happen after an
        // HTML parse; anything else foreign is dropped.
        self.note(
            Severity::Warning,
            "epub-inline-svg",
            Some(&format!("<{}", e.name)),
            format!("an inline <{}> element was left out of the book", e.name),
        );
    }

    fn script(&mut self, e: &Element, m: Mode, out: &mut Vec<Node>) {
        // MathJax's own markup for a formula (kramdown 1 wrote it): its TeX
        // as delimited text, which [`super::math`] typesets with the rest.
        let kind = e.get("type").unwrap_or("").to_ascii_lowercase();
        if kind.starts_with("math/tex") {
            let tex = text_content(&e.children);
            let (open, close) = if kind.contains("mode=display") {
                ("\\[", "\\]")
            } else {
                ("\\(", "\\)")
            };
            push_text(out, &format!("{open}{tex}{close}"));
            return;
        }
        let Some(src) = e.get("src").map(str::trim).filter(|s| !s.is_empty()) else {
            self.note(
                Severity::Warning,
                "epub-script",
                Some("<script"),
                "an inline <script> was left out (ebooks run no scripts)".into(),
            );
            return;
        };
        let url = match self.links.resolve(&self.page, src) {
            Target::Unusable(_) => None,
            Target::Chapter { .. } => Some(self.page.join(src).map(|u| u.to_string()).ok()),
            Target::Static { url, .. } | Target::Site(url) | Target::External(url) => {
                Some(Some(url))
            }
        }
        .flatten();
        let Some(url) = url else { return };
        if url.contains("gist.github.com/") {
            let page = url
                .split(['?', '#'])
                .next()
                .unwrap_or(&url)
                .trim_end_matches(".js")
                .to_string();
            self.note(
                Severity::Warning,
                "epub-embed",
                Some(src),
                format!("the gist {page} is linked, not shown (ebooks run no scripts)"),
            );
            self.push_link(out, &page, "View the code on GitHub Gist", m);
        } else {
            self.note(
                Severity::Warning,
                "epub-script",
                Some(src),
                format!("the script {url} was left out (ebooks run no scripts)"),
            );
        }
    }

    /// `iframe`, `embed`, `object`, `video`, `audio`: a link to what they show.
    fn media(&mut self, e: Element, m: Mode, out: &mut Vec<Node>) {
        let child_src = e.children.iter().find_map(|c| match c {
            Node::Element(s) if s.name == "source" => s.get("src").map(str::to_string),
            _ => None,
        });
        let src = e
            .get("src")
            .or_else(|| e.get("data"))
            .map(str::to_string)
            .or(child_src)
            .filter(|s| !s.trim().is_empty());
        let url = src
            .as_deref()
            .and_then(|s| match self.links.resolve(&self.page, s) {
                Target::Unusable(_) => None,
                Target::Chapter { .. } => self.page.join(s.trim()).ok().map(|u| u.to_string()),
                Target::Static { url, .. } | Target::Site(url) | Target::External(url) => Some(url),
            });
        // An <object>'s children are its own fallback: keep them when they
        // say something.
        if e.name == "object" {
            let kids = self.nodes(e.children.clone(), m);
            if !text_content(&kids).trim().is_empty() {
                out.extend(kids);
                return;
            }
        }
        let Some(url) = url else {
            self.note(
                Severity::Warning,
                "epub-embed",
                Some(&format!("<{}", e.name)),
                format!("an <{}> with no usable source was left out", e.name),
            );
            return;
        };
        let url = watch_url(&url);
        let host = Url::parse(&url)
            .ok()
            .and_then(|u| {
                u.host_str()
                    .map(|h| h.trim_start_matches("www.").to_string())
            })
            .unwrap_or_default();
        let what = match e.name.as_str() {
            "video" => "Video",
            "audio" => "Audio",
            _ if host.contains("youtube") || host.contains("vimeo") || host == "youtu.be" => {
                "Video"
            }
            _ => "Embedded content",
        };
        let label = e
            .get("title")
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(|t| format!("{what}: {t}"))
            .unwrap_or_else(|| {
                if host.is_empty() {
                    what.to_string()
                } else {
                    format!("{what} on {host}")
                }
            });
        self.note(
            Severity::Warning,
            "epub-embed",
            src.as_deref(),
            format!("the <{}> showing {url} became a link", e.name),
        );
        if m.phrasing || m.in_a {
            self.push_link(out, &url, &label, m);
        } else {
            let mut p = Element::new("p");
            add_class(&mut p, "embed");
            self.push_link(&mut p.children, &url, &label, m);
            out.push(Node::Element(p));
        }
    }

    /// A link, or just its text inside another link.
    ///
    /// The text stands in for media (an image, a video, a gist) that the
    /// web page showed without words, so it is marked `media-fallback`: the
    /// stylesheet can set it apart, and text comparisons with the web page
    /// can leave it out.
    fn push_link(&self, out: &mut Vec<Node>, url: &str, text: &str, m: Mode) {
        let mut span = Element::new("span");
        add_class(&mut span, "media-fallback");
        let span = Node::Element(span.with(vec![Node::Text(text.to_string())]));
        if m.in_a {
            out.push(span);
        } else {
            out.push(Node::Element(
                Element::new("a").attr("href", url).with(vec![span]),
            ));
        }
    }

    /// The alt text of an image about to be embedded: as written, else the
    /// file's name. Either way without words is a warning of kind
    /// `epub-image-alt` (what the package metadata counts): a file name
    /// names a picture without describing it, and an empty alt, which HTML
    /// reads as "decorative, skip it", is also what Markdown's `![](…)`
    /// writes when nobody described the picture.
    fn embedded_alt(&mut self, e: &Element, src: &str) -> String {
        if let Some(alt) = e.get("alt").map(str::trim) {
            if alt.is_empty() {
                self.note(
                    Severity::Warning,
                    "epub-image-alt",
                    Some(src),
                    format!("the image {src} has an empty alt text, so screen readers skip it as decorative; describe it if it shows something"),
                );
            }
            return alt.to_string();
        }
        let name = file_label(src);
        let name = name.strip_prefix("Image: ").unwrap_or("image").to_string();
        self.note(
            Severity::Warning,
            "epub-image-alt",
            Some(src),
            format!("the image {src} has no alt text; the book names it {name:?}; write an alt text (alt=\"\" for a decorative one)"),
        );
        name
    }

    fn image(&mut self, e: &Element, m: Mode, out: &mut Vec<Node>) {
        let alt = e.get("alt").map(str::trim).unwrap_or("").to_string();
        let Some(src) = e.get("src").map(str::trim).filter(|s| !s.is_empty()) else {
            push_text(out, &alt);
            return;
        };
        if src
            .get(..5)
            .is_some_and(|p| p.eq_ignore_ascii_case("data:"))
        {
            self.note(
                Severity::Warning,
                "epub-image",
                Some("data:"),
                "an image written as a data: URL was replaced by its alt text".into(),
            );
            push_text(out, &alt);
            return;
        }
        match self.links.resolve(&self.page, src) {
            Target::Static { index, url } => match self.images.embed(self.site, index) {
                Ok(href) => {
                    let alt = self.embedded_alt(e, src);
                    out.push(Node::Element(embedded_img(e, href, alt)));
                }
                Err(EmbedError::Unsupported) => {
                    self.note(
                        Severity::Warning,
                        "epub-image",
                        Some(src),
                        format!("the image {src} is not JPEG, PNG, GIF, WebP or SVG, which every reader shows; it is linked instead"),
                    );
                    let text = if alt.is_empty() {
                        file_label(&url)
                    } else {
                        alt
                    };
                    self.push_link(out, &url, &text, m);
                }
                Err(EmbedError::Unreadable(why)) => {
                    self.note(
                        Severity::Warning,
                        "epub-image",
                        Some(src),
                        format!("the image {src} could not be read ({why}); its alt text is shown instead"),
                    );
                    push_text(out, &alt);
                }
            },
            Target::Chapter { .. } | Target::Site(_) => {
                self.note(
                    Severity::Warning,
                    "epub-image-missing",
                    Some(src),
                    format!(
                        "the image {src} is not a file of the site; its alt text is shown instead"
                    ),
                );
                push_text(out, &alt);
            }
            Target::External(url) => self.remote_image(e, src, &url, alt, m, out),
            Target::Unusable(why) => {
                self.note(
                    Severity::Warning,
                    "epub-image",
                    Some(src),
                    format!("the image source {src:?} is unusable ({why}); its alt text is shown instead"),
                );
                push_text(out, &alt);
            }
        }
    }

    /// An image on another host: embedded when `--fetch-images` got it,
    /// else a link to it (with the reason it could not be fetched, when it
    /// was tried).
    fn remote_image(
        &mut self,
        e: &Element,
        src: &str,
        url: &str,
        alt: String,
        m: Mode,
        out: &mut Vec<Node>,
    ) {
        match self.images.embed_remote(url) {
            Some(Ok(href)) => {
                let alt = self.embedded_alt(e, src);
                out.push(Node::Element(embedded_img(e, href, alt)));
                return;
            }
            Some(Err(why)) => self.note(
                Severity::Warning,
                "image-fetch",
                Some(src),
                format!("the remote image {url} could not be fetched: {why}; it is linked instead"),
            ),
            None => {
                self.images.remote_linked += 1;
                self.note(
                    Severity::Warning,
                    "epub-remote-image",
                    Some(src),
                    format!("the remote image {url} is linked, not embedded (a book may not load images from the web)"),
                );
            }
        }
        let text = if alt.is_empty() { file_label(url) } else { alt };
        self.push_link(out, url, &text, m);
    }

    /// Task-list checkboxes become ☑/☐; other form fields are dropped.
    fn input(&mut self, e: &Element, out: &mut Vec<Node>) {
        if e.get("type")
            .is_some_and(|t| t.eq_ignore_ascii_case("checkbox"))
        {
            push_text(
                out,
                if e.get("checked").is_some() {
                    "\u{2611} "
                } else {
                    "\u{2610} "
                },
            );
        } else {
            self.note(
                Severity::Info,
                "epub-form",
                Some("<input"),
                "a form field was left out".into(),
            );
        }
    }

    /// kramdown's `<div class="footnotes">`: a `section` of `aside`s.
    fn footnotes(&mut self, e: Element, out: &mut Vec<Node>) {
        let mut section = Element::new("section")
            .attr("epub:type", "footnotes")
            .attr("role", "doc-endnotes");
        add_class(&mut section, "footnotes");
        if let Some(id) = e.get("id") {
            section.set("id", id);
        }
        for child in e.children {
            match child {
                Node::Element(ol) if ol.name == "ol" => {
                    let mut number = ol.get("start").and_then(int).unwrap_or(1);
                    for li in ol.children {
                        match li {
                            Node::Element(li) if li.name == "li" => {
                                let aside = self.footnote(li, number);
                                section.children.push(Node::Element(aside));
                                number += 1;
                            }
                            Node::Element(other) => {
                                let kids = self.nodes(vec![Node::Element(other)], FLOW);
                                section.children.extend(kids);
                            }
                            Node::Text(t) => push_text(&mut section.children, &t),
                        }
                    }
                }
                Node::Element(hr) if hr.name == "hr" => {}
                other => {
                    let kids = self.nodes(vec![other], FLOW);
                    section.children.extend(kids);
                }
            }
        }
        out.push(Node::Element(section));
    }

    fn footnote(&mut self, li: Element, number: i64) -> Element {
        let mut aside = Element::new("aside")
            .attr("epub:type", "footnote")
            .attr("role", "doc-footnote");
        if let Some(id) = li.get("id") {
            aside.set("id", id);
        }
        let mut kids = self.nodes(li.children, FLOW);
        let label = Node::Element(
            Element::new("span")
                .attr("class", "footnote-label")
                .with(vec![Node::Text(format!("{number}. "))]),
        );
        match kids.iter_mut().find(|k| matches!(k, Node::Element(_))) {
            Some(Node::Element(p)) if p.name == "p" => p.children.insert(0, label),
            _ => kids.insert(0, label),
        }
        aside.children = kids;
        aside
    }
}

/// The HTML5 name for an element, and a class recording what it was;
/// `None` for elements that are not HTML (their content is kept).
fn rename(name: &str) -> Option<(&'static str, Option<&'static str>)> {
    if let Some(k) = KEEP.iter().find(|k| **k == name) {
        return Some((k, None));
    }
    Some(match name {
        "center" => ("div", Some("center")),
        "big" => ("span", Some("big")),
        "tt" => ("code", None),
        "strike" => ("s", None),
        "acronym" => ("abbr", None),
        "xmp" | "listing" | "plaintext" => ("pre", None),
        "dir" | "menu" => ("ul", None),
        "hgroup" | "main" | "dialog" | "search" | "address" | "form" | "fieldset" | "legend"
        | "multicol" => ("div", None),
        "blink" | "marquee" | "nobr" | "label" | "button" | "data" | "time" | "rb" | "rtc"
        | "spacer" => ("span", None),
        _ => return None,
    })
}

fn is_noteref(e: &Element) -> bool {
    e.name == "a"
        && e.get("href").is_some_and(|h| h.starts_with('#'))
        && (e.get("role") == Some("doc-noteref")
            || e.has_class("footnote")
            || e.has_class("footnote-ref")
            || e.get("rel") == Some("footnote"))
}

/// A footnote reference: EPUB wants no element inside the `<a>`.
fn noteref(e: &Element) -> Element {
    let mut a = Element::new("a");
    if let Some(id) = e.get("id") {
        a.set("id", id);
    }
    a.set("href", e.get("href").unwrap_or("#"));
    a.set("epub:type", "noteref");
    a.set("role", "doc-noteref");
    a.set("class", "footnote-ref");
    a.children = vec![Node::Text(text_content(&e.children).trim().to_string())];
    a
}

fn add_class(el: &mut Element, class: &str) {
    let class = class.trim();
    if class.is_empty() || el.has_class(class) {
        return;
    }
    let joined = match el.get("class") {
        Some(c) if !c.is_empty() => format!("{c} {class}"),
        _ => class.to_string(),
    };
    el.set("class", joined);
}

fn int(v: &str) -> Option<i64> {
    v.trim().parse::<i64>().ok()
}

/// Elements other than `allowed` (and non-blank text) inside a list become
/// items of their own.
fn wrap_strays(kids: Vec<Node>, allowed: &[&str], wrapper: &str) -> Vec<Node> {
    let mut out: Vec<Node> = Vec::new();
    let mut pending: Vec<Node> = Vec::new();
    let flush = |pending: &mut Vec<Node>, out: &mut Vec<Node>| {
        if pending.iter().any(|n| match n {
            Node::Text(t) => !t.trim().is_empty(),
            Node::Element(_) => true,
        }) {
            out.push(Node::Element(
                Element::new(wrapper).with(std::mem::take(pending)),
            ));
        } else {
            out.append(pending);
        }
    };
    for k in kids {
        let ok = match &k {
            Node::Element(e) => allowed.contains(&e.name.as_str()),
            Node::Text(_) => false,
        };
        if ok {
            flush(&mut pending, &mut out);
            out.push(k);
        } else {
            pending.push(k);
        }
    }
    flush(&mut pending, &mut out);
    out
}

/// HTML5 as EPUB validates it wants `tfoot` after the body rows (older
/// HTML put it before `tbody`); a second `tfoot` becomes a `tbody`.
fn table_order(kids: Vec<Node>) -> Vec<Node> {
    let (mut feet, mut rest): (Vec<Node>, Vec<Node>) = kids
        .into_iter()
        .partition(|k| matches!(k, Node::Element(e) if e.name == "tfoot"));
    for (i, f) in feet.iter_mut().enumerate() {
        if let Node::Element(e) = f {
            if i > 0 {
                e.name = "tbody".into();
            }
        }
    }
    // The extra ones go before the footer, with the other body rows.
    if feet.len() > 1 {
        let first = feet.remove(0);
        rest.append(&mut feet);
        rest.push(first);
    } else {
        rest.append(&mut feet);
    }
    rest
}

/// A `details` must start with its `summary`.
fn ensure_summary(mut kids: Vec<Node>) -> Vec<Node> {
    let first_el = kids.iter().position(|k| matches!(k, Node::Element(_)));
    let starts_with_summary =
        first_el.is_some_and(|i| matches!(&kids[i], Node::Element(e) if e.name == "summary"));
    for (i, k) in kids.iter_mut().enumerate() {
        if let Node::Element(e) = k {
            if e.name == "summary" && !(starts_with_summary && Some(i) == first_el) {
                e.name = "div".into();
            }
        }
    }
    if !starts_with_summary {
        kids.insert(
            0,
            Node::Element(Element::new("summary").with(vec![Node::Text("Details".into())])),
        );
    }
    kids
}

/// A `figcaption` must be the first or last child of its `figure`.
fn fix_figcaption(kids: &mut [Node]) {
    let els: Vec<usize> = kids
        .iter()
        .enumerate()
        .filter(|(_, k)| matches!(k, Node::Element(_)))
        .map(|(i, _)| i)
        .collect();
    let (first, last) = (els.first().copied(), els.last().copied());
    let mut seen_caption = false;
    for (i, k) in kids.iter_mut().enumerate() {
        if let Node::Element(e) = k {
            if e.name == "figcaption" {
                if seen_caption || !(Some(i) == first || Some(i) == last) {
                    e.name = "div".into();
                } else {
                    seen_caption = true;
                }
            }
        }
    }
}

/// A YouTube embed URL as the page a reader can open.
fn watch_url(url: &str) -> String {
    for prefix in [
        "https://www.youtube.com/embed/",
        "https://youtube.com/embed/",
        "http://www.youtube.com/embed/",
        "https://www.youtube-nocookie.com/embed/",
    ] {
        if let Some(rest) = url.strip_prefix(prefix) {
            let id: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                .collect();
            if !id.is_empty() {
                return format!("https://www.youtube.com/watch?v={id}");
            }
        }
    }
    url.to_string()
}

/// The `<img>` of an embedded image: its href in the book, the alt text,
/// and what of the original a book keeps (size, id, title, classes, and
/// `align` as a class).
fn embedded_img(e: &Element, href: String, alt: String) -> Element {
    let mut img = Element::new("img").attr("src", href).attr("alt", alt);
    for a in ["width", "height"] {
        if let Some(n) = e.get(a).and_then(int).filter(|n| *n >= 0) {
            img.set(a, n.to_string());
        }
    }
    for a in ["id", "title"] {
        if let Some(v) = e.get(a).filter(|v| !v.trim().is_empty()) {
            img.set(a, v.trim());
        }
    }
    if let Some(c) = e.get("class") {
        for c in c.split_ascii_whitespace() {
            add_class(&mut img, c);
        }
    }
    if let Some(a) = e.get("align") {
        let a = a.trim().to_ascii_lowercase();
        if matches!(a.as_str(), "left" | "right" | "center") {
            add_class(&mut img, &format!("align-{a}"));
        }
    }
    img
}

/// The file name at the end of a URL, for a link that needs some text.
fn file_label(url: &str) -> String {
    let name = url
        .split(['?', '#'])
        .next()
        .unwrap_or(url)
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or("");
    let name = super::links::percent_decode(name);
    if name.is_empty() {
        "Image".to_string()
    } else {
        format!("Image: {name}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::converters::epub::dom::parse_fragment_html;
    use crate::converters::epub::xml;
    use crate::ir::{DocKind, Document};

    fn clean(html: &str) -> (String, Vec<crate::diagnostics::Diagnostic>) {
        let mut site = Site::default();
        site.config.url = Some("https://ex.com".into());
        let links = SiteLinks::new(&site, &["/a.html"]);
        let mut images = Images::default();
        let mut doc = Document::new(DocKind::Post, "_posts/2020-01-01-a.md");
        doc.body = html.to_string();
        let page = links.page_url("/a.html");
        let mut c = Cleaner::new(&site, &links, &mut images, page, &doc);
        let nodes = c.clean(parse_fragment_html(html));
        (xml::to_string(&nodes), c.notes.list)
    }

    #[test]
    fn repairs_content_models() {
        let (x, _) = clean("<span>a<p>b</p><div>c</div><hr></span>");
        assert_eq!(x, "<span>a<span>b</span><span>c</span></span>");
        let (x, _) = clean("<ul><p>stray</p><li>ok</li></ul>");
        assert_eq!(x, "<ul><li><p>stray</p></li><li>ok</li></ul>");
        let (x, _) = clean("<details><p>x</p></details>");
        assert_eq!(x, "<details><summary>Details</summary><p>x</p></details>");
        let (x, _) = clean("<h3 id=x> </h3><table><tr><th></th><th>b</th></tr></table>");
        assert_eq!(
            x,
            "<span id=\"x\"> </span><table><tbody><tr><td></td><th>b</th></tr></tbody></table>"
        );
        let (x, _) = clean("<li>orphan</li>");
        assert_eq!(x, "<div>orphan</div>");
        let (x, _) = clean("<center><font color=red>c</font></center>");
        assert_eq!(x, "<div class=\"center\">c</div>");
        let (x, _) = clean("<p align=CENTER lang=en_us dir=sideways>p</p>");
        assert_eq!(
            x,
            "<p class=\"align-center\" lang=\"en-US\" xml:lang=\"en-US\">p</p>"
        );
    }

    #[test]
    fn media_become_links_and_are_reported() {
        let (x, d) = clean("<p>see <iframe src=\"https://www.youtube.com/embed/abc_1?x=1\" allowfullscreen></iframe></p>");
        assert_eq!(
            x,
            "<p>see <a href=\"https://www.youtube.com/watch?v=abc_1\"><span class=\"media-fallback\">Video on youtube.com</span></a></p>"
        );
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].kind, "epub-embed");
        let (x, d) = clean("<img src=\"https://cdn.ex.org/中.png\" alt=\"\">");
        assert!(
            x.starts_with("<a href=\"https://cdn.ex.org/%E4%B8%AD.png\"><span class=\"media-fallback\">Image: 中.png</span></a>"),
            "{x}"
        );
        assert_eq!(d[0].kind, "epub-remote-image");
    }

    #[test]
    fn odd_input_never_panics() {
        for html in [
            "<img src=\"中文字符.png\">",
            "<img src=\"dat中\">",
            "<a href=\"http://[::1\">x</a>",
            "<iframe src=\"javascript:x\"></iframe>",
            "<svg><foreignObject><p>x</p></foreignObject></svg>",
            "<table><tfoot><tr><td>1</td></tr></tfoot><tfoot></tfoot><tbody></tbody></table>",
            "<ruby><rt>a</rt></ruby><rt>b</rt>",
            "<figure><figcaption>a</figcaption><figcaption>b</figcaption></figure>",
            "\u{0}\u{1}<p\u{0}>",
        ] {
            let _ = clean(html);
        }
    }
}
