//! XHTML content documents: the frame every file of the book shares
//! (XML declaration, doctype, XHTML and `epub` namespaces, `lang` and
//! `xml:lang`, a `<title>`, the stylesheet) and the chapter layout.

use super::xml;

/// The language and writing direction of a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lang {
    /// BCP 47 tag.
    pub tag: String,
    /// Right-to-left script.
    pub rtl: bool,
}

impl Lang {
    /// A language from a BCP 47 tag; Arabic, Hebrew, Persian, Urdu and a few
    /// more are written right to left.
    pub fn new(tag: String) -> Self {
        let primary = tag.split('-').next().unwrap_or("").to_ascii_lowercase();
        let rtl = matches!(
            primary.as_str(),
            "ar" | "he" | "fa" | "ur" | "ps" | "sd" | "yi" | "dv" | "ug" | "ckb"
        );
        Lang { tag, rtl }
    }
}

/// A whole XHTML file around `body` (already serialised XHTML).
pub fn document(
    title: &str,
    lang: &Lang,
    css_href: Option<&str>,
    body_class: &str,
    body: &str,
) -> String {
    let mut s = String::with_capacity(body.len() + 600);
    s.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n");
    s.push_str(
        "<html xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:epub=\"http://www.idpf.org/2007/ops\"",
    );
    let tag = xml::attr(&lang.tag);
    s.push_str(&format!(" lang=\"{tag}\" xml:lang=\"{tag}\""));
    if lang.rtl {
        s.push_str(" dir=\"rtl\"");
    }
    s.push_str(">\n<head>\n<title>");
    s.push_str(&xml::text(title));
    s.push_str("</title>\n");
    if let Some(css) = css_href {
        s.push_str(&format!(
            "<link rel=\"stylesheet\" type=\"text/css\" href=\"{}\"/>\n",
            xml::attr(css)
        ));
    }
    s.push_str("</head>\n<body");
    if !body_class.is_empty() {
        s.push_str(&format!(" class=\"{}\"", xml::attr(body_class)));
    }
    s.push_str(">\n");
    s.push_str(body);
    s.push_str("\n</body>\n</html>\n");
    s
}

/// What a chapter shows above the post.
#[derive(Debug, Clone)]
pub struct ChapterHead<'a> {
    /// The post title (plain text).
    pub title: &'a str,
    /// `2024-01-05`, if the post has a date.
    pub date: Option<String>,
    /// Author names.
    pub authors: &'a [String],
    /// Where the post lives on the web.
    pub url: &'a str,
}

/// The body of a chapter: a section holding the heading, the line with date,
/// authors and original address, and the post (`content`, serialised).
pub fn chapter_body(head: &ChapterHead<'_>, top_id: &str, content: &str) -> String {
    let mut meta = Vec::new();
    if let Some(d) = &head.date {
        meta.push(xml::text(d));
    }
    if !head.authors.is_empty() {
        meta.push(xml::text(&head.authors.join(", ")));
    }
    meta.push(format!(
        "<a href=\"{}\">{}</a>",
        xml::attr(head.url),
        xml::text(head.url)
    ));
    format!(
        "<section id=\"{top_id}\" class=\"chapter\" epub:type=\"chapter\" role=\"doc-chapter\">\n\
         <header>\n<h1 class=\"chapter-title\">{}</h1>\n<p class=\"chapter-meta\">{}</p>\n</header>\n\
         <div class=\"post-body\">\n{content}\n</div>\n</section>",
        xml::text(head.title),
        meta.join(" \u{b7} ")
    )
}
