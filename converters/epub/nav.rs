//! Navigation: `nav.xhtml` (the EPUB 3 table of contents, grouped by year,
//! category or not at all, plus landmarks) and `toc.ncx` for EPUB 2 readers.
//! Entries are given in spine order, which NAV-011 requires.

use super::xml;

/// One entry of the table of contents.
#[derive(Debug, Clone)]
pub struct Entry {
    /// File (and fragment) inside the content folder.
    pub href: String,
    /// Plain-text label.
    pub title: String,
}

/// Entries under one heading (`None`: at the top level).
#[derive(Debug, Clone)]
pub struct Group {
    /// Heading (`2019`, a category), or `None` for top-level entries.
    pub label: Option<String>,
    /// Its entries, in spine order.
    pub entries: Vec<Entry>,
}

/// Hrefs of the landmarks.
#[derive(Debug, Clone)]
pub struct Landmarks {
    /// The cover page.
    pub cover: String,
    /// The first chapter, if any.
    pub bodymatter: Option<String>,
}

/// "Contents" in the book's language (primary subtag), English otherwise.
pub fn contents_heading(lang: &str) -> &'static str {
    match lang
        .split('-')
        .next()
        .unwrap_or("")
        .to_ascii_lowercase()
        .as_str()
    {
        "zh" => "目录",
        "ja" => "目次",
        "ko" => "목차",
        "fr" => "Table des matières",
        "de" => "Inhalt",
        "es" => "Índice",
        "it" => "Indice",
        "pt" => "Sumário",
        "ru" => "Содержание",
        "nl" => "Inhoud",
        _ => "Contents",
    }
}

fn label(title: &str) -> String {
    let t = crate::text::collapse_whitespace(title);
    if t.is_empty() {
        "Untitled".to_string()
    } else {
        xml::text(&t)
    }
}

fn entry_li(e: &Entry) -> String {
    format!(
        "<li><a href=\"{}\">{}</a></li>\n",
        xml::attr(&e.href),
        label(&e.title)
    )
}

/// The body of `nav.xhtml`.
pub fn nav_body(heading: &str, groups: &[Group], landmarks: &Landmarks) -> String {
    let mut s = String::from("<nav epub:type=\"toc\" id=\"toc\" role=\"doc-toc\">\n");
    s.push_str(&format!("<h1>{}</h1>\n<ol>\n", xml::text(heading)));
    for g in groups.iter().filter(|g| !g.entries.is_empty()) {
        match &g.label {
            None => {
                for e in &g.entries {
                    s.push_str(&entry_li(e));
                }
            }
            Some(l) => {
                s.push_str(&format!("<li><span>{}</span>\n<ol>\n", label(l)));
                for e in &g.entries {
                    s.push_str(&entry_li(e));
                }
                s.push_str("</ol>\n</li>\n");
            }
        }
    }
    s.push_str("</ol>\n</nav>\n");
    s.push_str("<nav epub:type=\"landmarks\" id=\"landmarks\" hidden=\"hidden\">\n<h2>Landmarks</h2>\n<ol>\n");
    s.push_str(&format!(
        "<li><a epub:type=\"cover\" href=\"{}\">Cover</a></li>\n",
        xml::attr(&landmarks.cover)
    ));
    s.push_str(&format!(
        "<li><a epub:type=\"toc\" href=\"nav.xhtml#toc\">{}</a></li>\n",
        xml::text(heading)
    ));
    if let Some(b) = &landmarks.bodymatter {
        s.push_str(&format!(
            "<li><a epub:type=\"bodymatter\" href=\"{}\">Start</a></li>\n",
            xml::attr(b)
        ));
    }
    s.push_str("</ol>\n</nav>");
    s
}

/// `toc.ncx`: a flat list of every entry, numbered in spine order.
pub fn ncx(uid: &str, title: &str, lang: &str, entries: &[Entry]) -> String {
    let mut s = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    s.push_str(&format!(
        "<ncx xmlns=\"http://www.daisy.org/z3986/2005/ncx/\" version=\"2005-1\" xml:lang=\"{}\">\n",
        xml::attr(lang)
    ));
    s.push_str("<head>\n");
    s.push_str(&format!(
        "<meta name=\"dtb:uid\" content=\"{}\"/>\n",
        xml::attr(uid)
    ));
    s.push_str("<meta name=\"dtb:depth\" content=\"1\"/>\n<meta name=\"dtb:totalPageCount\" content=\"0\"/>\n<meta name=\"dtb:maxPageNumber\" content=\"0\"/>\n");
    s.push_str("</head>\n");
    s.push_str(&format!(
        "<docTitle><text>{}</text></docTitle>\n<navMap>\n",
        label(title)
    ));
    for (i, e) in entries.iter().enumerate() {
        s.push_str(&format!(
            "<navPoint id=\"np-{n}\" playOrder=\"{n}\"><navLabel><text>{}</text></navLabel><content src=\"{}\"/></navPoint>\n",
            label(&e.title),
            xml::attr(&e.href),
            n = i + 1
        ));
    }
    s.push_str("</navMap>\n</ncx>\n");
    s
}
