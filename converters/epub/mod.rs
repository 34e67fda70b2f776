//! EPUB 3: the blog as an ebook that passes EPUBCheck with no message.
//!
//! - One XHTML chapter per published post (oldest first, or newest with
//!   `--order newest`), pages after them with `--include-pages`, a cover
//!   (`--cover IMAGE`, else one drawn from the title), a title page, a table
//!   of contents grouped by year, category or not at all, and an NCX.
//! - Post HTML is parsed as a browser would ([`dom`]), cut down to an
//!   allow-list and repaired ([`sanitize`]), its ids and links fixed for the
//!   book ([`refs`]) and written as XML ([`xml`]).
//! - TeX math (`\(…\)`, `\[…\]`, `$$…$$`) becomes MathML ([`math`]).
//! - Inline SVG stays, cut down to static SVG 1.1, its ids and references
//!   made valid ([`svg`]).
//! - Accessible: headings that skip no level, links and pictures with text,
//!   and package metadata true of the book ([`a11y`]).
//! - Every local image is embedded once with its true media type
//!   ([`media`]); remote images too with `--fetch-images` ([`fetch`]),
//!   else they become links, as iframes and scripts do, each reported.
//! - Reproducible: a UUID v5 of the site URL for the identifier,
//!   `dcterms:modified` from `SOURCE_DATE_EPOCH` or the newest post, fixed
//!   ZIP times and order ([`ocf`]).
//! - Streamed: [`write`] zips the book straight into its file (the staging
//!   file) and reads each image from disk when it is zipped ([`pack`]); only
//!   the chapters' XHTML is held in memory. [`build`] makes one in memory,
//!   byte for byte the same, for tests.
//! - Sized: `--max-image-width` scales wide images down ([`resize`]);
//!   `--max-book-size` plans, before writing, how far they must be scaled
//!   for the book to fit ([`budget`]).

mod a11y;
mod budget;
mod cover;
mod depth;
mod dom;
mod fetch;
mod links;
mod math;
mod media;
mod nav;
mod notes;
mod ocf;
mod pack;
mod package;
mod page;
mod refs;
mod resize;
mod sanitize;
mod select;
mod style;
mod svg;
mod xml;

use std::io::{Cursor, Seek, Write};
use std::path::Path;

use crate::converters::selection::{self, Source};
use crate::converters::{ConvertError, ConvertOptions, Converter, Summary, Target};
use crate::diagnostics::Diagnostic;
use crate::ir::{DateTime, DocKind, Document, Site};
use crate::{authors, lang, text, urls};

use dom::Node;
use page::Lang;

pub use ocf::MIMETYPE;

/// The EPUB converter.
pub struct Epub;

impl Converter for Epub {
    fn name(&self) -> &'static str {
        "epub"
    }

    fn description(&self) -> &'static str {
        "an EPUB 3 book of every post"
    }

    fn aliases(&self) -> &'static [&'static str] {
        &["book", "ebook"]
    }

    fn target(&self, _out: &Path) -> Target {
        Target::File
    }

    fn default_out_name(&self) -> &'static str {
        "book.epub"
    }

    fn convert(
        &self,
        site: &Site,
        opts: &ConvertOptions,
        out: &mut crate::output::OutputTree,
        file_name: Option<&str>,
    ) -> Result<Summary, ConvertError> {
        // The book is zipped straight into its staging file; a failure to
        // make it (not to write it) is returned as itself.
        let mut made = None;
        let mut failed = None;
        let written = out.write_with(
            file_name.unwrap_or(self.default_out_name()),
            |w| match write(site, opts, w) {
                Ok((_, m)) => {
                    made = Some(m);
                    Ok(())
                }
                Err(e) => {
                    let why = e.to_string();
                    failed = Some(e);
                    Err(std::io::Error::other(why))
                }
            },
        );
        if let Some(e) = failed {
            return Err(e);
        }
        written?;
        // `None`: the output tree refused the name, and says so itself.
        let made = made.unwrap_or_default();
        Ok(Summary {
            documents: made.chapters,
            files_copied: made.images,
            diagnostics: made.diagnostics,
            detail: made.detail,
        })
    }
}

/// What writing a book did.
#[derive(Debug, Default)]
pub struct Made {
    /// Chapters written (posts and pages).
    pub chapters: usize,
    /// Images embedded (the cover not counted).
    pub images: usize,
    /// The book's size in bytes.
    pub size: u64,
    /// For the summary line: the book's size and what was scaled
    /// (`book: 48.7 MiB; 153 images scaled to at most 1200 px wide`).
    pub detail: Option<String>,
    /// What could not be carried over.
    pub diagnostics: Vec<Diagnostic>,
}

/// A finished book, in memory.
#[derive(Debug)]
pub struct Book {
    /// The `.epub` bytes.
    pub bytes: Vec<u8>,
    /// Chapters written (posts and pages).
    pub chapters: usize,
    /// Images embedded (the cover not counted).
    pub images: usize,
    /// The summary line's words on the book ([`Made::detail`]).
    pub detail: Option<String>,
    /// What could not be carried over.
    pub diagnostics: Vec<Diagnostic>,
}

/// One chapter after sanitising, before its links are rewritten.
struct Cleaned {
    nodes: Vec<Node>,
    ids: refs::IdMap,
    /// Holds MathML (its manifest item says so).
    math: bool,
    /// Inline SVG drawings (its manifest item says so when there are any).
    svg: usize,
}

/// Says what the book is made of and what it leaves out of the site as a
/// whole: that a site without posts is a book of its collection documents,
/// its pages when `--include-pages` is not given, and that the book is
/// empty when it has no chapter at all (naming the selection that chose
/// none).
fn left_out_pages(
    site: &Site,
    opts: &ConvertOptions,
    source: Source,
    chapters: &[select::Chapter<'_>],
    diags: &mut Vec<Diagnostic>,
) {
    // Pages added by --include-pages are counted apart.
    let main = chapters
        .iter()
        .filter(|c| !c.file.starts_with("page-"))
        .count();
    let pages = if opts.include_pages {
        0
    } else {
        site.documents
            .iter()
            .filter(|d| selection::is_readable_page(d, opts.drafts))
            .filter(|d| !(source == Source::Documents && d.kind == DocKind::Item))
            .count()
    };
    let what = match source {
        Source::Posts => "published post",
        Source::Documents => "collection document",
    };
    if chapters.is_empty() && !opts.selection.is_everything() {
        diags.push(Diagnostic::warning(
            "epub-empty",
            "_config.yml",
            format!(
                "no {what} matches {}, so the book has no chapter",
                opts.selection.describe()
            ),
        ));
        return;
    }
    if chapters.is_empty() {
        let hint = if pages > 0 {
            format!("; pass --include-pages to make a book of its {pages} pages and collection documents")
        } else {
            String::new()
        };
        diags.push(Diagnostic::warning(
            "epub-empty",
            "_config.yml",
            format!("the site has no published post, so the book has no chapter{hint}"),
        ));
        return;
    }
    if source == Source::Documents {
        diags.push(Diagnostic::info(
            "epub-documents",
            "_config.yml",
            format!("the site has no post, so the book holds its {main} collection documents (as for a documentation site)"),
        ));
    }
    if pages > 0 {
        let (left, holds) = match source {
            Source::Posts => ("pages and collection documents", "the posts"),
            Source::Documents => ("pages", "the collection documents"),
        };
        diags.push(Diagnostic::info(
            "epub-pages-left-out",
            "_config.yml",
            format!("{pages} {left} are not in the book, which holds {holds}; pass --include-pages to add them after {holds}"),
        ));
    }
}

/// Builds the whole book for `site` in memory: the bytes [`write`] would
/// write into a file.
pub fn build(site: &Site, opts: &ConvertOptions) -> Result<Book, ConvertError> {
    let (out, made) = write(site, opts, Cursor::new(Vec::new()))?;
    Ok(Book {
        bytes: out.into_inner(),
        chapters: made.chapters,
        images: made.images,
        detail: made.detail,
        diagnostics: made.diagnostics,
    })
}

/// Writes the whole book for `site` into `out`, as it is made: the
/// chapters are made in memory, then zipped with the images, which are
/// read from disk (and scaled when asked) one at a time.
pub fn write<W: Write + Seek>(
    site: &Site,
    opts: &ConvertOptions,
    out: W,
) -> Result<(W, Made), ConvertError> {
    let mut diags = Vec::new();
    let (parts, chapters) = assemble(site, opts, &mut diags)?;
    let choice = match opts.max_book_size {
        Some(limit) => {
            Some(budget::choose(&parts, opts.max_image_width, limit).map_err(ConvertError::Other)?)
        }
        None => None,
    };
    let shrink = choice
        .as_ref()
        .map_or(budget::base(opts.max_image_width), |c| c.shrink);
    let (out, packed) = pack::pack(&parts, &shrink, out).map_err(ConvertError::Other)?;
    // Scaling is deterministic: the book is the size planned (unless a
    // file changed on disk meanwhile, which the limit check still catches).
    debug_assert!(choice.as_ref().is_none_or(|c| c.planned == packed.size));
    let detail = size_report(opts, &parts, &shrink, &packed, &mut diags);
    diags.extend(packed.diagnostics);
    Ok((
        out,
        Made {
            chapters,
            images: parts.images.len(),
            size: packed.size,
            detail: Some(detail),
            diagnostics: diags,
        },
    ))
}

/// The summary's words on the book's size and scaled images, with a note
/// for each kind of change, and the error when the book is bigger than
/// `--max-book-size` even so.
fn size_report(
    opts: &ConvertOptions,
    parts: &pack::Parts,
    shrink: &resize::Shrink,
    packed: &pack::Packed,
    diags: &mut Vec<Diagnostic>,
) -> String {
    let mut detail = format!("book: {}", budget::shown_size(packed.size));
    let why = match (opts.max_book_size, opts.max_image_width) {
        (Some(limit), _) if shrink.recompress_jpeg => {
            format!("to fit --max-book-size {}", budget::shown_size(limit))
        }
        (_, Some(w)) => format!("(--max-image-width {w})"),
        _ => String::new(),
    };
    if packed.scaled > 0 {
        let at_most = shrink.max_width.unwrap_or(packed.widest);
        let images = count(packed.scaled, "image", "images");
        detail.push_str(&format!("; {images} scaled to at most {at_most} px wide"));
        diags.push(Diagnostic::info(
            "epub-image-scaled",
            "_config.yml",
            format!("{images} wider than {at_most} px scaled down to {at_most} px, in their own format, {why}"),
        ));
    }
    if packed.recompressed > 0 {
        let q = shrink.jpeg_quality;
        let jpegs = count(packed.recompressed, "JPEG", "JPEGs");
        detail.push_str(&format!("; {jpegs} saved again at quality {q}"));
        diags.push(Diagnostic::info(
            "epub-image-recompressed",
            "_config.yml",
            format!("{jpegs} saved again at JPEG quality {q}, at their own size in pixels, {why}"),
        ));
    }
    let svgs = parts.images.iter().filter(|i| i.kind == media::SVG).count();
    if svgs > 0 && !shrink.is_nothing() {
        diags.push(Diagnostic::info(
            "epub-image-not-scaled",
            "_config.yml",
            format!(
                "{} left as they are: a vector image has no pixels to scale (a reader draws it to fit)",
                count(svgs, "SVG image is", "SVG images are")
            ),
        ));
    }
    if let Some(limit) = opts.max_book_size.filter(|l| packed.size > *l) {
        diags.push(Diagnostic::error(
            "epub-book-too-big",
            "_config.yml",
            format!(
                "the book is {} ({} bytes), {} more than --max-book-size {} allows, even with its images scaled down to {} px wide and JPEGs at quality {}: its text and the images that cannot be scaled take too much room; raise the limit or make smaller books (--since/--until, --tag, --category)",
                budget::shown_size(packed.size),
                packed.size,
                budget::shown_size(packed.size - limit),
                budget::shown_size(limit),
                shrink.max_width.unwrap_or(0),
                shrink.jpeg_quality
            ),
        ));
    }
    detail
}

/// `1 image`, `3 images`.
fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// Makes everything the book holds (chapters, navigation, package,
/// cover) and finds its images; the number of chapters.
fn assemble(
    site: &Site,
    opts: &ConvertOptions,
    diags: &mut Vec<Diagnostic>,
) -> Result<(pack::Parts, usize), ConvertError> {
    let (source, chapters) = select::chapters(site, opts);
    left_out_pages(site, opts, source, &chapters, diags);
    let chapter_urls: Vec<&str> = chapters.iter().map(|c| c.doc.url.as_str()).collect();
    let links = links::SiteLinks::new(site, &chapter_urls);
    let mut images = media::Images::default();
    images.reserve(cover::GENERATED_HREF);
    let cleaned = clean_chapters(site, opts, &chapters, &links, &mut images, diags);

    let site_lang = lang::site_language(site);
    diags.extend(site_lang.diagnostics);
    let book_lang = Lang::new(site_lang.tag);
    let title = book_title(site);
    let home = urls::home_url(&site.config);
    let files: Vec<String> = chapters.iter().map(|c| c.file.clone()).collect();
    let idmaps: Vec<refs::IdMap> = cleaned.iter().map(|c| c.ids.clone()).collect();
    let with_math: Vec<(bool, bool)> = cleaned.iter().map(|c| (c.math, c.svg > 0)).collect();
    let mut access = a11y::Facts::new(cleaned.iter().map(|c| (c.math, c.svg)));
    let book_refs = refs::Book {
        links: &links,
        files: &files,
        ids: &idmaps,
    };

    // Pass 2: links, then the XHTML files.
    crate::progress::count("chapters", "linking", Some(chapters.len() as u64));
    let mut out_files: Vec<(String, Vec<u8>)> = Vec::new();
    for (i, (ch, c)) in chapters.iter().zip(cleaned).enumerate() {
        let mut nodes = c.nodes;
        let page = links.page_url(&ch.doc.url);
        let mut notes = notes::Notes::new(&ch.doc.source, &ch.doc.body, ch.doc.body_line);
        refs::rewrite_links(&mut nodes, &book_refs, &page, Some(i), &mut notes);
        diags.append(&mut notes.list);
        let xhtml = chapter_xhtml(site, ch, &nodes, &page, &book_lang);
        out_files.push((format!("EPUB/{}", ch.file), xhtml.into_bytes()));
        crate::progress::tick();
    }
    let front = Front {
        site,
        chapters: &chapters,
        title: &title,
        home: &home,
        book_lang: &book_lang,
    };
    // Every picture counts for the accessibility metadata, with the alt
    // warnings given so far; only a GIF is read (to see whether it moves).
    let gifs: Vec<Vec<u8>> = images
        .items()
        .iter()
        .map(|i| match i.kind.ext {
            "gif" => i.data.read_all().unwrap_or_default(),
            _ => Vec::new(),
        })
        .collect();
    access.add_pictures(diags, gifs.iter().map(Vec::as_slice));
    front_and_back(&front, opts, &with_math, &images, access, &mut out_files)?;
    Ok((
        pack::Parts {
            files: out_files,
            images: images.into_items(),
        },
        chapters.len(),
    ))
}

/// What the files around the chapters are made from.
struct Front<'a> {
    site: &'a Site,
    chapters: &'a [select::Chapter<'a>],
    title: &'a str,
    home: &'a str,
    book_lang: &'a Lang,
}

/// The files around the chapters: cover, title page, navigation, style
/// sheet, package document and container file.
fn front_and_back(
    f: &Front<'_>,
    opts: &ConvertOptions,
    with_math: &[(bool, bool)],
    images: &media::Images,
    mut access: a11y::Facts,
    out_files: &mut Vec<(String, Vec<u8>)>,
) -> Result<(), ConvertError> {
    let Front {
        site,
        chapters,
        title,
        home,
        book_lang,
    } = *f;
    let title = title.to_string();
    let home = home.to_string();

    // Cover.
    let authors = creators(site, chapters);
    let span = year_span(chapters);
    let (cover_href, cover_type, cover_bytes) =
        cover_image(opts, &title, &span, &authors.join(", "), book_lang)?;
    access.add_pictures(&[], std::iter::once(cover_bytes.as_slice()));
    out_files.push((format!("EPUB/{cover_href}"), cover_bytes));
    out_files.push((
        "EPUB/cover.xhtml".into(),
        page::document(
            &title,
            book_lang,
            Some(style::HREF),
            "cover",
            &cover::page_body(&cover_href, &title),
        )
        .into_bytes(),
    ));
    let description = site
        .config
        .description
        .as_deref()
        .map(text::visible_text)
        .unwrap_or_default();
    out_files.push((
        "EPUB/title.xhtml".into(),
        page::document(
            &title,
            book_lang,
            Some(style::HREF),
            "",
            &cover::title_body(&title, &description, &authors.join(", "), &span, &home),
        )
        .into_bytes(),
    ));

    // Navigation.
    let groups = nav_groups(&title, chapters);
    let landmarks = nav::Landmarks {
        cover: "cover.xhtml".into(),
        bodymatter: chapters.first().map(|c| c.file.clone()),
    };
    let heading = nav::contents_heading(&book_lang.tag);
    out_files.push((
        "EPUB/nav.xhtml".into(),
        page::document(
            heading,
            book_lang,
            Some(style::HREF),
            "",
            &nav::nav_body(heading, &groups, &landmarks),
        )
        .into_bytes(),
    ));
    let identifier = identifier(site);
    let flat: Vec<nav::Entry> = groups.iter().flat_map(|g| g.entries.clone()).collect();
    out_files.push((
        "EPUB/toc.ncx".into(),
        nav::ncx(&identifier, &title, &book_lang.tag, &flat).into_bytes(),
    ));
    out_files.push(("EPUB/css/book.css".into(), style::CSS.as_bytes().to_vec()));

    // Package document.
    let items = manifest(&cover_href, cover_type, chapters, with_math, images);
    let mut spine = vec!["cover-page".to_string(), "title-page".into(), "nav".into()];
    spine.extend(chapters.iter().map(|c| c.id.clone()));
    let newest = newest_date(chapters);
    let meta = package::Metadata {
        identifier: identifier.clone(),
        title: title.clone(),
        lang: book_lang.tag.clone(),
        creators: authors.clone(),
        modified: modified(newest),
        date: newest.map(|d| {
            let c = d.civil();
            format!("{:04}-{:02}-{:02}", c.year(), c.month(), c.day())
        }),
        description: Some(description).filter(|d| !d.is_empty()),
        rights: rights(site),
        source: home.clone(),
        rtl: book_lang.rtl,
        a11y: access,
    };
    out_files.push((
        "EPUB/package.opf".into(),
        package::opf(&meta, &items, &spine, "cover-image").into_bytes(),
    ));
    out_files.push((
        "META-INF/container.xml".into(),
        package::CONTAINER.as_bytes().to_vec(),
    ));
    Ok(())
}

/// Pass 1: fetches the remote images first with `--fetch-images`, then
/// sanitises every chapter and learns its ids; with remote images left as
/// links, one note says `--fetch-images` would embed them.
fn clean_chapters(
    site: &Site,
    opts: &ConvertOptions,
    chapters: &[select::Chapter<'_>],
    links: &links::SiteLinks,
    images: &mut media::Images,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Cleaned> {
    if let Some(fetch) = &opts.fetch_images {
        let urls = remote_image_urls(chapters, links);
        let (fetched, cache_problem) = fetch::fetch_all(&urls, fetch);
        if let Some(why) = cache_problem {
            diags.push(Diagnostic::warning("image-cache", "_config.yml", why));
        }
        images.set_fetched(fetched);
    }

    // Pass 1: sanitise every chapter and learn its ids. (The book is one
    // file, so its chapters are what the progress line counts.)
    crate::progress::count("chapters", "parsing", Some(chapters.len() as u64));
    let mut cleaned = Vec::with_capacity(chapters.len());
    let typesetter = math::Typesetter::new();
    for ch in chapters {
        let html = body_html(ch.doc, diags);
        let page = links.page_url(&ch.doc.url);
        let mut cleaner = sanitize::Cleaner::new(site, links, images, page, ch.doc);
        let (parsed, flattened) = dom::parse_fragment_checked(&html);
        if flattened {
            diags.push(Diagnostic::warning(
                "html-too-deep",
                &ch.doc.source,
                "elements nested more deeply than an ebook keeps (hundreds inside one another) are flattened: their text is kept, their structure is not; un-nest them if it matters",
            ));
        }
        let mut nodes = cleaner.clean(parsed);
        let math = typesetter.typeset(&mut nodes, &mut cleaner.notes) > 0;
        let (ids, drawings) = refs::assign_scoped(&mut nodes, &[refs::TOP_ID]);
        svg::link(&mut nodes, &drawings, &ids, &mut cleaner.notes);
        diags.append(&mut cleaner.notes.list);
        let svg = drawings.len();
        cleaned.push(Cleaned {
            nodes,
            ids,
            math,
            svg,
        });
        crate::progress::tick();
    }

    if images.remote_linked > 0 {
        let n = images.remote_linked;
        let (what, are) = if n == 1 {
            ("image", "is")
        } else {
            ("images", "are")
        };
        diags.push(Diagnostic::info(
            "epub-remote-images",
            "_config.yml",
            format!("{n} remote {what} {are} links in the book, not pictures; --fetch-images would download and embed them"),
        ));
    }
    cleaned
}

/// The table of contents: the title page, then the chapters in groups
/// (a group per label in a row, unlabelled ones together).
fn nav_groups(title: &str, chapters: &[select::Chapter<'_>]) -> Vec<nav::Group> {
    let mut groups = vec![nav::Group {
        label: None,
        entries: vec![nav::Entry {
            href: "title.xhtml".into(),
            title: title.to_string(),
        }],
    }];
    for ch in chapters {
        let entry = nav::Entry {
            href: ch.file.clone(),
            title: doc_title(ch.doc),
        };
        match groups.last_mut() {
            Some(g) if g.label == ch.group && g.label.is_some() => g.entries.push(entry),
            Some(g) if g.label.is_none() && ch.group.is_none() => g.entries.push(entry),
            _ => groups.push(nav::Group {
                label: ch.group.clone(),
                entries: vec![entry],
            }),
        }
    }
    groups
}

/// The cover: `--cover IMAGE` (a core image type), else one drawn from
/// the title; its href in the book, its type and its bytes.
fn cover_image(
    opts: &ConvertOptions,
    title: &str,
    span: &str,
    authors: &str,
    book_lang: &Lang,
) -> Result<(String, media::ImageType, Vec<u8>), ConvertError> {
    Ok(match &opts.cover {
        Some(path) => {
            let bytes = std::fs::read(path).map_err(|e| {
                ConvertError::Other(format!(
                    "--cover {}: could not read it ({e}); give a JPEG, PNG, GIF, WebP or SVG file",
                    path.display()
                ))
            })?;
            let kind = media::sniff_image(&bytes).ok_or_else(|| {
                ConvertError::Other(format!(
                    "--cover {}: not a JPEG, PNG, GIF, WebP or SVG image; convert it to one of those",
                    path.display()
                ))
            })?;
            (format!("images/cover.{}", kind.ext), kind, bytes)
        }
        None => (
            cover::GENERATED_HREF.to_string(),
            media::SVG,
            cover::svg(title, span, authors, &book_lang.tag).into_bytes(),
        ),
    })
}

/// Every `<img src>` of the chapters that points to another host, for
/// `--fetch-images` to download before the chapters are cleaned.
fn remote_image_urls(chapters: &[select::Chapter<'_>], links: &links::SiteLinks) -> Vec<String> {
    let mut urls = Vec::new();
    for ch in chapters {
        let Some(html) = &ch.doc.html else { continue };
        let page = links.page_url(&ch.doc.url);
        // An explicit stack: post HTML may nest deeply.
        let mut stack: Vec<Node> = dom::parse_fragment_checked(html).0;
        while let Some(node) = stack.pop() {
            let Node::Element(e) = node else { continue };
            if e.name == "img" {
                if let Some(src) = e.get("src").map(str::trim).filter(|s| !s.is_empty()) {
                    if let links::Target::External(url) = links.resolve(&page, src) {
                        urls.push(url);
                    }
                }
            }
            stack.extend(e.children);
        }
    }
    urls
}

/// One chapter's XHTML document: its header (title, date of a post,
/// authors, address on the site) and body, in its own language if it sets
/// one.
fn chapter_xhtml(
    site: &Site,
    ch: &select::Chapter<'_>,
    nodes: &[Node],
    page: &url::Url,
    book_lang: &Lang,
) -> String {
    let chapter_lang = ch
        .doc
        .lang
        .as_deref()
        .and_then(lang::bcp47)
        .map(Lang::new)
        .unwrap_or_else(|| book_lang.clone());
    let date = ch.doc.date.map(|d| {
        let c = d.civil();
        format!("{:04}-{:02}-{:02}", c.year(), c.month(), c.day())
    });
    let head = page::ChapterHead {
        title: &doc_title(ch.doc),
        date: if ch.doc.is_post() { date } else { None },
        authors: &authors::names(site, &ch.doc.authors),
        url: page.as_str(),
    };
    let body = page::chapter_body(&head, refs::TOP_ID, &xml::to_string(nodes));
    page::document(head.title, &chapter_lang, Some(style::HREF), "", &body)
}

/// The package's manifest: the fixed files, the cover, every chapter
/// (marked when it holds MathML or SVG) and every embedded image.
fn manifest(
    cover_href: &str,
    cover_type: media::ImageType,
    chapters: &[select::Chapter<'_>],
    with_math: &[(bool, bool)],
    images: &media::Images,
) -> Vec<package::Item> {
    let mut items = vec![
        item("cover-page", "cover.xhtml", "application/xhtml+xml", None),
        item("title-page", "title.xhtml", "application/xhtml+xml", None),
        item("nav", "nav.xhtml", "application/xhtml+xml", Some("nav")),
        item("ncx", "toc.ncx", "application/x-dtbncx+xml", None),
        item("css", style::HREF, "text/css", None),
        item(
            "cover-image",
            cover_href,
            cover_type.media_type,
            Some("cover-image"),
        ),
    ];
    for (ch, &(math, svg)) in chapters.iter().zip(with_math) {
        // EPUB 3 asks for `mathml` on every content document holding
        // MathML, `svg` on every one holding inline SVG.
        let props = match (math, svg) {
            (true, true) => Some("mathml svg"),
            (true, false) => Some("mathml"),
            (false, true) => Some("svg"),
            (false, false) => None,
        };
        items.push(item(&ch.id, &ch.file, "application/xhtml+xml", props));
    }
    for (i, img) in images.items().iter().enumerate() {
        items.push(item(
            &format!("img-{:04}", i + 1),
            &img.href,
            img.kind.media_type,
            None,
        ));
    }
    items
}

fn item(id: &str, href: &str, media_type: &str, props: Option<&str>) -> package::Item {
    package::Item {
        id: id.to_string(),
        href: href.to_string(),
        media_type: media_type.to_string(),
        properties: props.map(str::to_string),
    }
}

/// The rendered HTML of a document, or its source as preformatted text when
/// the content layer gave none.
fn body_html(doc: &Document, diags: &mut Vec<Diagnostic>) -> String {
    match &doc.html {
        Some(h) => h.clone(),
        None => {
            let mut d = Diagnostic::warning(
                "not-rendered",
                &doc.source,
                "the content layer gave no HTML for this document; its source text is in the book as preformatted text",
            );
            d.line = Some(doc.body_line);
            diags.push(d);
            format!("<pre>{}</pre>", xml::text(&doc.body))
        }
    }
}

fn doc_title(doc: &Document) -> String {
    let t = doc
        .title
        .as_deref()
        .map(text::collapse_whitespace)
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| doc.slug.clone());
    if t.trim().is_empty() {
        "Untitled".to_string()
    } else {
        t
    }
}

fn book_title(site: &Site) -> String {
    site.config
        .title
        .as_deref()
        .map(text::visible_text)
        .filter(|t| !t.is_empty())
        .or_else(|| {
            site.root
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .filter(|n| !n.is_empty())
        })
        .unwrap_or_else(|| "Untitled".to_string())
}

/// The site authors, else the post authors in order of appearance, by the
/// names `_data/authors` gives them.
fn creators(site: &Site, chapters: &[select::Chapter<'_>]) -> Vec<String> {
    let mut names: Vec<String> = site
        .config
        .authors
        .iter()
        .map(|a| text::collapse_whitespace(&authors::site_author(site, a).name))
        .filter(|n| !n.is_empty())
        .collect();
    if names.is_empty() {
        for ch in chapters {
            for a in authors::names(site, &ch.doc.authors) {
                let a = text::collapse_whitespace(&a);
                if !a.is_empty() && !names.contains(&a) && names.len() < 10 {
                    names.push(a);
                }
            }
        }
    }
    names.dedup();
    names
}

/// `2014–2019`, from the post dates.
fn year_span(chapters: &[select::Chapter<'_>]) -> String {
    let years: Vec<i16> = chapters
        .iter()
        .filter(|c| c.doc.is_post())
        .filter_map(|c| c.doc.date.map(|d| d.civil().year()))
        .collect();
    match (years.iter().min(), years.iter().max()) {
        (Some(a), Some(b)) if a == b => a.to_string(),
        (Some(a), Some(b)) => format!("{a}\u{2013}{b}"),
        _ => String::new(),
    }
}

fn newest_date(chapters: &[select::Chapter<'_>]) -> Option<DateTime> {
    chapters
        .iter()
        .flat_map(|c| [c.doc.date, c.doc.updated])
        .flatten()
        .max_by_key(|d| d.instant)
}

/// `dcterms:modified`: `SOURCE_DATE_EPOCH` when set (reproducible-builds
/// convention), else the newest post, else the ZIP epoch.
fn modified(newest: Option<DateTime>) -> String {
    let from_env = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .and_then(|s| jiff::Timestamp::from_second(s).ok());
    let ts = from_env
        .or(newest.map(|d| d.instant))
        .unwrap_or_else(|| jiff::Timestamp::from_second(315_532_800).unwrap_or_default());
    ts.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// The identifier: a UUID v5 of the site's address, so every build of one
/// site carries the same one.
fn identifier(site: &Site) -> String {
    let name = match site.config.url.as_deref().filter(|u| !u.trim().is_empty()) {
        Some(_) => urls::home_url(&site.config),
        None => format!("jekyll-migrate:site:{}", book_title(site)),
    };
    format!(
        "urn:uuid:{}",
        uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_URL, name.as_bytes())
    )
}

/// `copyright`, `license` or `rights` from `_config.yml`, when a string.
fn rights(site: &Site) -> Option<String> {
    ["copyright", "rights", "license"]
        .iter()
        .find_map(|k| site.config.raw.get(*k).and_then(|v| v.as_str()))
        .map(text::visible_text)
        .filter(|s| !s.is_empty())
}
