//! The package document (`package.opf`, EPUB 3.3): metadata, manifest,
//! spine, plus the EPUB 2 leftovers older readers look for (`toc="ncx"`,
//! `<meta name="cover">`).

use super::xml;

/// Book-level metadata.
#[derive(Debug, Clone, Default)]
pub struct Metadata {
    /// `urn:uuid:…`.
    pub identifier: String,
    /// Title.
    pub title: String,
    /// BCP 47 language of the book.
    pub lang: String,
    /// Authors.
    pub creators: Vec<String>,
    /// `CCYY-MM-DDThh:mm:ssZ`.
    pub modified: String,
    /// W3CDTF date of publication.
    pub date: Option<String>,
    /// Plain-text description.
    pub description: Option<String>,
    /// Rights statement.
    pub rights: Option<String>,
    /// The site's address.
    pub source: String,
    /// Right-to-left page progression.
    pub rtl: bool,
    /// What the accessibility metadata is worked out from.
    pub a11y: super::a11y::Facts,
}

/// One manifest item.
#[derive(Debug, Clone)]
pub struct Item {
    /// Manifest id.
    pub id: String,
    /// Path inside the content folder.
    pub href: String,
    /// Media type.
    pub media_type: String,
    /// Space-separated properties (`nav`, `cover-image`, `svg`, `mathml`), if any.
    pub properties: Option<String>,
}

/// The package document for `meta`, `items` and the `spine` (item ids in
/// reading order). `cover_id` is the id of the cover image item.
pub fn opf(meta: &Metadata, items: &[Item], spine: &[String], cover_id: &str) -> String {
    let mut s = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    s.push_str(&format!(
        "<package xmlns=\"http://www.idpf.org/2007/opf\" version=\"3.0\" unique-identifier=\"pub-id\" xml:lang=\"{}\"{}>\n",
        xml::attr(&meta.lang),
        if meta.rtl { " dir=\"rtl\"" } else { "" }
    ));
    s.push_str("<metadata xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n");
    s.push_str(&format!(
        "<dc:identifier id=\"pub-id\">{}</dc:identifier>\n",
        xml::text(&meta.identifier)
    ));
    s.push_str(&format!(
        "<dc:title id=\"title\">{}</dc:title>\n",
        xml::text(&meta.title)
    ));
    s.push_str(&format!(
        "<dc:language>{}</dc:language>\n",
        xml::text(&meta.lang)
    ));
    for (i, c) in meta.creators.iter().enumerate() {
        let id = format!("creator-{}", i + 1);
        s.push_str(&format!(
            "<dc:creator id=\"{id}\">{}</dc:creator>\n",
            xml::text(c)
        ));
        s.push_str(&format!(
            "<meta refines=\"#{id}\" property=\"role\" scheme=\"marc:relators\">aut</meta>\n"
        ));
    }
    if let Some(d) = &meta.date {
        s.push_str(&format!("<dc:date>{}</dc:date>\n", xml::text(d)));
    }
    if let Some(d) = meta.description.as_deref().filter(|d| !d.is_empty()) {
        s.push_str(&format!(
            "<dc:description>{}</dc:description>\n",
            xml::text(d)
        ));
    }
    if let Some(r) = meta.rights.as_deref().filter(|r| !r.is_empty()) {
        s.push_str(&format!("<dc:rights>{}</dc:rights>\n", xml::text(r)));
    }
    s.push_str(&format!(
        "<dc:source>{}</dc:source>\n",
        xml::text(&meta.source)
    ));
    s.push_str(&format!(
        "<meta property=\"dcterms:modified\">{}</meta>\n",
        xml::text(&meta.modified)
    ));
    // Accessibility metadata (schema.org), true of this book.
    s.push_str(&meta.a11y.metadata());
    s.push_str(&format!(
        "<meta name=\"cover\" content=\"{}\"/>\n",
        xml::attr(cover_id)
    ));
    s.push_str("</metadata>\n<manifest>\n");
    for it in items {
        s.push_str(&format!(
            "<item id=\"{}\" href=\"{}\" media-type=\"{}\"",
            xml::attr(&it.id),
            xml::attr(&it.href),
            xml::attr(&it.media_type)
        ));
        if let Some(p) = &it.properties {
            s.push_str(&format!(" properties=\"{}\"", xml::attr(p)));
        }
        s.push_str("/>\n");
    }
    s.push_str("</manifest>\n");
    s.push_str(&format!(
        "<spine toc=\"ncx\"{}>\n",
        if meta.rtl {
            " page-progression-direction=\"rtl\""
        } else {
            ""
        }
    ));
    for id in spine {
        s.push_str(&format!("<itemref idref=\"{}\"/>\n", xml::attr(id)));
    }
    s.push_str("</spine>\n</package>\n");
    s
}

/// `META-INF/container.xml`.
pub const CONTAINER: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<container version=\"1.0\" xmlns=\"urn:oasis:names:tc:opendocument:xmlns:container\">\n<rootfiles>\n<rootfile full-path=\"EPUB/package.opf\" media-type=\"application/oebps-package+xml\"/>\n</rootfiles>\n</container>\n";
