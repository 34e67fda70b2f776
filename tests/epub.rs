//! The EPUB converter judged by EPUBCheck 5.3.0 and by reading the books
//! back: zip layout, chapters, images, links, reproducibility, and (once the
//! reader and content layer exist) every corpus site and the demo blog.
//!
//! EPUBCheck comes from `scripts/install-test-tools.sh` (`.tools/epubcheck.jar`).
//! Without it the EPUBCheck assertions are skipped with a note, except under
//! CI=true, where a missing jar fails the test.

mod common;

use std::collections::BTreeSet;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

use jekyll_migrate::converters::{epub, ConvertOptions};
use jekyll_migrate::ir::{DateTime, DocKind, Document, Format, Site, StaticFile};
use regex::Regex;

fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

use common::epubcheck::{assert_valid, epubcheck};

// ---------------------------------------------------------------- reading books back

struct Unzipped {
    names: Vec<String>,
    files: std::collections::BTreeMap<String, Vec<u8>>,
}

fn unzip(bytes: &[u8]) -> Unzipped {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a readable zip");
    let mut names = Vec::new();
    let mut files = std::collections::BTreeMap::new();
    for i in 0..z.len() {
        let mut f = z.by_index(i).expect("entry");
        let mut b = Vec::new();
        f.read_to_end(&mut b).expect("entry bytes");
        names.push(f.name().to_string());
        files.insert(f.name().to_string(), b);
    }
    Unzipped { names, files }
}

impl Unzipped {
    fn text(&self, name: &str) -> String {
        String::from_utf8(
            self.files
                .get(name)
                .unwrap_or_else(|| panic!("{name} in the book"))
                .clone(),
        )
        .expect("UTF-8")
    }
    /// Chapter files in spine order.
    fn spine_chapters(&self) -> Vec<String> {
        let opf = self.text("EPUB/package.opf");
        let item = Regex::new(r#"<item id="([^"]+)" href="([^"]+)""#).unwrap();
        let hrefs: std::collections::HashMap<String, String> = item
            .captures_iter(&opf)
            .map(|c| (c[1].to_string(), c[2].to_string()))
            .collect();
        Regex::new(r#"<itemref idref="([^"]+)""#)
            .unwrap()
            .captures_iter(&opf)
            .filter_map(|c| hrefs.get(&c[1]).cloned())
            .filter(|h| h.starts_with("post-") || h.starts_with("page-") || h.starts_with("doc-"))
            .collect()
    }
}

/// The byte layout OCF requires of the first entry.
fn assert_mimetype_first(bytes: &[u8]) {
    assert_eq!(&bytes[0..4], b"PK\x03\x04", "a local file header at 0");
    assert_eq!(
        u16::from_le_bytes([bytes[8], bytes[9]]),
        0,
        "mimetype stored"
    );
    assert_eq!(u16::from_le_bytes([bytes[26], bytes[27]]), 8, "name length");
    assert_eq!(
        u16::from_le_bytes([bytes[28], bytes[29]]),
        0,
        "no extra field"
    );
    assert_eq!(&bytes[30..38], b"mimetype");
    assert_eq!(&bytes[38..58], b"application/epub+zip");
}

/// Every `<img src>` of every chapter is a file of the book, declared in the
/// manifest with the media type its bytes have.
fn assert_images_present(book: &Unzipped) -> usize {
    let opf = book.text("EPUB/package.opf");
    let img = Regex::new(r#"<img [^>]*src="([^"]+)""#).unwrap();
    let mut seen = BTreeSet::new();
    for name in book.names.iter().filter(|n| n.ends_with(".xhtml")) {
        for c in img.captures_iter(&book.text(name)) {
            let src = c[1].to_string();
            assert!(
                !src.contains("://"),
                "{name}: remote image {src} left in the book"
            );
            let path = format!("EPUB/{src}");
            let bytes = book
                .files
                .get(&path)
                .unwrap_or_else(|| panic!("{name}: {src} is not in the book"));
            assert!(
                opf.contains(&format!("href=\"{src}\"")),
                "{src} is not in the manifest"
            );
            let expected = if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
                "image/jpeg"
            } else if bytes.starts_with(b"\x89PNG") {
                "image/png"
            } else if bytes.starts_with(b"GIF8") {
                "image/gif"
            } else if bytes.len() > 12 && &bytes[8..12] == b"WEBP" {
                "image/webp"
            } else {
                "image/svg+xml"
            };
            assert!(
                opf.contains(&format!("href=\"{src}\" media-type=\"{expected}\"")),
                "{src} is not declared as {expected}"
            );
            seen.insert(src);
        }
    }
    seen.len()
}

// ---------------------------------------------------------------- the hostile fixture, read by hand

/// Reads `fixtures/hostile-html` the simple way (title and lang from front
/// matter, date and slug from the file name, `{{ site.url }}` and
/// `{{ site.baseurl }}` substituted), so the converter can be judged before
/// the Jekyll reader and content layer exist.
fn hostile_site_by_hand() -> Site {
    let root = crate_dir().join("fixtures/hostile-html");
    let mut site = Site {
        root: root.clone(),
        ..Site::default()
    };
    site.config.title = Some("Hostile & <Odd> HTML".into());
    site.config.description = Some("Posts full of HTML that breaks ebook tools".into());
    site.config.url = Some("https://hostile.example".into());
    site.config.baseurl = "/blog".into();
    site.config.lang = Some("en_US".into());
    site.config.authors = vec![jekyll_migrate::ir::Author {
        name: "Test Author".into(),
        ..Default::default()
    }];
    let mut names: Vec<_> = std::fs::read_dir(root.join("_posts"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    for name in names {
        let text = std::fs::read_to_string(root.join("_posts").join(&name)).unwrap();
        let rest = text.strip_prefix("---\n").unwrap();
        let (fm, body) = rest.split_once("\n---\n").unwrap();
        let field = |k: &str| {
            fm.lines()
                .find_map(|l| l.strip_prefix(&format!("{k}: ")))
                .map(|v| v.trim().trim_matches('"').to_string())
        };
        let (y, m, d) = (&name[0..4], &name[5..7], &name[8..10]);
        let (stem, ext) = name[11..].rsplit_once('.').unwrap();
        let mut doc = Document::new(DocKind::Post, format!("_posts/{name}"));
        doc.collection = Some("posts".into());
        doc.url = format!("/{y}/{m}/{d}/{stem}.html");
        doc.slug = stem.to_string();
        doc.title = field("title");
        doc.lang = field("lang");
        doc.format = if ext == "html" {
            Format::Html
        } else {
            Format::Markdown
        };
        doc.body_line = fm.lines().count() + 3;
        let ts: jiff::Timestamp = format!("{y}-{m}-{d}T12:00:00Z").parse().unwrap();
        doc.date = Some(DateTime {
            instant: ts,
            offset: jiff::tz::Offset::UTC,
        });
        doc.body = body.to_string();
        doc.html = Some(
            body.replace("{{ site.url }}", "https://hostile.example")
                .replace("{{ site.baseurl }}", "/blog"),
        );
        site.documents.push(doc);
    }
    for e in walkdir::WalkDir::new(root.join("assets")).sort_by_file_name() {
        let e = e.unwrap();
        if e.file_type().is_file() {
            let rel = e
                .path()
                .strip_prefix(&root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            site.static_files.push(StaticFile {
                url: format!("/{}", rel.replace(' ', "%20")),
                source: rel,
                path: e.path().to_path_buf(),
                size: e.metadata().unwrap().len(),
            });
        }
    }
    site
}

#[test]
fn zip_layout_is_ocf_and_builds_are_identical() {
    let site = hostile_site_by_hand();
    let a = epub::build(&site, &ConvertOptions::default()).expect("a book");
    let b = epub::build(&site, &ConvertOptions::default()).expect("a book");
    assert_mimetype_first(&a.bytes);
    assert!(a.bytes == b.bytes, "two builds of one site differ");
    let book = unzip(&a.bytes);
    assert_eq!(book.names[0], "mimetype");
    assert_eq!(book.names[1], "META-INF/container.xml");
}

#[test]
fn hostile_html_chapters_links_images_and_notes() {
    let site = hostile_site_by_hand();
    let built = epub::build(&site, &ConvertOptions::default()).expect("a book");
    let book = unzip(&built.bytes);
    // Every post is a chapter, oldest first.
    let spine = book.spine_chapters();
    assert_eq!(
        spine,
        [
            "post-0001.xhtml",
            "post-0002.xhtml",
            "post-0003.xhtml",
            "post-0004.xhtml"
        ]
    );
    let titles: Vec<String> = spine
        .iter()
        .map(|f| {
            let t = book.text(&format!("EPUB/{f}"));
            let s = t.find("<title>").unwrap() + 7;
            let e = t.find("</title>").unwrap();
            t[s..e].to_string()
        })
        .collect();
    assert_eq!(titles[0], "Voids, entities &amp; booleans");
    assert_eq!(titles[3], "Leap day, in Chinese: 闰日");

    // Images: the JPEG named .png is embedded once as image/jpeg; the PNG
    // written two ways is embedded once; the SVG too.
    let embedded = assert_images_present(&book);
    assert_eq!(embedded, 4, "the cover, portrait, red dot, diagram");
    let opf = book.text("EPUB/package.opf");
    assert!(
        opf.contains(r#"href="images/assets-img-portrait.jpg" media-type="image/jpeg""#),
        "{opf}"
    );
    assert_eq!(opf.matches("assets-img-red-dot").count(), 1);

    let ch3 = book.text("EPUB/post-0003.xhtml");
    // Language per chapter.
    assert!(ch3.contains(r#"lang="en-GB" xml:lang="en-GB""#));
    assert!(book
        .text("EPUB/post-0004.xhtml")
        .contains(r#"lang="zh-CN" xml:lang="zh-CN""#));
    assert!(opf.contains("<dc:language>en-US</dc:language>"));
    // Remote image → link; missing image → alt text.
    assert!(
        ch3.contains(r#"<a href="https://images.example.org/photo.jpg"><span class="media-fallback">A remote photo</span></a>"#),
        "{ch3}"
    );
    assert!(ch3.contains("Missing picture"));
    assert!(!ch3.contains("nope.png\""));
    // Links between posts go to chapter files; fragments exist or are dropped.
    assert!(
        ch3.contains(r#"<a href="post-0001.xhtml">root-relative</a>"#),
        "{ch3}"
    );
    assert!(
        ch3.contains(r#"<a href="post-0002.xhtml">relative with a missing fragment</a>"#),
        "{ch3}"
    );
    assert!(
        ch3.contains(r#"<a href="post-0004.xhtml#note">other scheme with fragment</a>"#),
        "{ch3}"
    );
    assert!(
        ch3.contains(r#"<a href="https://hostile.example/blog/about/">a page not in the book</a>"#),
        "{ch3}"
    );
    assert!(
        ch3.contains(r##"<a href="#top">to a missing anchor</a>"##),
        "{ch3}"
    );
    assert!(
        ch3.contains(r##"<a href="#a-b">to the colon id</a>"##),
        "{ch3}"
    );
    assert!(ch3.contains(r#"id="old-anchor""#) && ch3.contains(r##"href="#old-anchor""##));
    // Footnotes as EPUB footnotes.
    assert!(ch3.contains(r##"<sup id="fnref-1"><a href="#fn-1" epub:type="noteref" role="doc-noteref" class="footnote-ref">1</a></sup>"##), "{ch3}");
    assert!(
        ch3.contains(r#"<aside epub:type="footnote" role="doc-footnote" id="fn-1">"#),
        "{ch3}"
    );
    assert!(
        ch3.contains(r#"<section epub:type="footnotes" role="doc-endnotes" class="footnotes">"#)
    );
    assert!(book
        .text("EPUB/post-0004.xhtml")
        .contains(r#"href="post-0003.xhtml#fn-1""#));

    let ch1 = book.text("EPUB/post-0001.xhtml");
    assert!(ch1.contains("line\u{a0}three \u{a9} 2019 \u{2014} done \u{2026}"));
    assert!(ch1.contains(r#"href="https://example.com/search?q=a&amp;b=2&amp;c=3""#));
    assert!(ch1.contains(r#"<div class="center">"#));
    assert!(!ch1.contains("<center") && !ch1.contains("<font") && !ch1.contains("align=\""));
    assert!(!ch1.contains('\u{b}') && !ch1.contains('\u{1}'));
    let ch2 = book.text("EPUB/post-0002.xhtml");
    assert!(
        ch2.contains(
            r#"<a href="https://www.youtube.com/watch?v=dQw4w9WgXcQ"><span class="media-fallback">Video on youtube.com</span></a>"#
        ),
        "{ch2}"
    );
    assert!(ch2.contains(r#"href="https://gist.github.com/someone/0123456789abcdef""#));
    assert!(!ch2.contains("<iframe") && !ch2.contains("<script"));
    // Inline SVG is kept (issue 31), in its namespace.
    assert!(
        ch2.contains(r#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><title>Icon</title><circle cx="5" cy="5" r="4"/></svg>"#),
        "{ch2}"
    );
    let ch2_text = jekyll_migrate::text::visible_text(&ch2);
    assert!(
        ch2_text.contains("\u{2611} done") && ch2_text.contains("\u{2610} todo"),
        "{ch2_text}"
    );

    // What was not carried over is reported, with file and line.
    let has = |kind: &str, file: &str, line: usize| {
        built
            .diagnostics
            .iter()
            .any(|d| d.kind == kind && d.file.ends_with(file) && d.line == Some(line))
    };
    assert!(
        has("epub-remote-image", "2020-01-10-images-and-links.md", 7),
        "{:#?}",
        built.diagnostics
    );
    assert!(has(
        "epub-image-missing",
        "2020-01-10-images-and-links.md",
        9
    ));
    assert!(
        has("epub-image", "2020-01-10-images-and-links.md", 10),
        "bmp"
    );
    assert!(
        has("epub-embed", "2019-06-15-embeds-and-scripts.html", 6),
        "{:#?}",
        built.diagnostics
    );
    assert!(
        has("epub-broken-fragment", "2020-01-10-images-and-links.md", 21),
        "{:#?}",
        built.diagnostics
    );
}

#[test]
fn options_group_order_cover_pages_keep_the_book_valid() {
    use jekyll_migrate::converters::TocGroup;
    let site = common::read_rendered(&crate_dir().join("fixtures/hostile-html"));
    let opts = ConvertOptions {
        group: TocGroup::Category,
        newest_first: true,
        include_pages: true,
        cover: Some(crate_dir().join("fixtures/hostile-html/assets/img/portrait.png")),
        ..ConvertOptions::default()
    };
    let built = epub::build(&site, &opts).expect("a book");
    let book = unzip(&built.bytes);
    let nav = book.text("EPUB/nav.xhtml");
    assert!(nav.contains("<span>Uncategorized</span>"), "{nav}");
    assert!(nav.contains("<span>Pages</span>"), "{nav}");
    assert!(
        book.text("EPUB/post-0001.xhtml").contains("Leap day"),
        "newest first"
    );
    let page = book.text("EPUB/page-0001.xhtml");
    assert!(
        page.contains("<title>About this &lt;odd&gt; site</title>"),
        "{page}"
    );
    assert!(
        page.contains(r#"href="post-0004.xhtml""#),
        "the oldest post is last: {page}"
    );
    // The page is a chapter now, so links to it stay in the book.
    assert!(book
        .text("EPUB/post-0002.xhtml")
        .contains(r#"href="page-0001.xhtml""#));
    let opf = book.text("EPUB/package.opf");
    assert!(
        opf.contains(r#"href="images/cover.jpg" media-type="image/jpeg" properties="cover-image""#),
        "{opf}"
    );
    assert_images_present(&book);
    assert_valid("hostile-newest-category-pages-cover", &built.bytes);
}

/// A site with no post (documentation in a collection, a few pages) is a
/// book of its collection documents, with a note saying so and one on the
/// pages left out; with `--include-pages` its pages follow them.
#[test]
fn a_site_of_pages_and_collections_is_a_book_of_its_documents() {
    let dir = common::site_dir(&[
        (
            "_config.yml",
            "title: Guides\nlang: en\ncollections:\n  guides:\n    output: true\n",
        ),
        ("about.md", "---\ntitle: About\n---\nAbout us.\n"),
        (
            "_guides/start.md",
            "---\ntitle: Starting\n---\nFirst steps.\n",
        ),
        ("_guides/grow.md", "---\ntitle: Growing\n---\nNext steps.\n"),
    ]);
    let site = common::read_rendered(dir.path());
    let docs = epub::build(&site, &ConvertOptions::default()).expect("a book");
    let kinds: Vec<&str> = docs.diagnostics.iter().map(|d| d.kind.as_str()).collect();
    assert!(!kinds.contains(&"epub-empty"), "{kinds:?}");
    let noted = common::of_kind(&docs.diagnostics, "epub-documents", |d| &d.message);
    assert_eq!(noted.len(), 1, "{:?}", docs.diagnostics);
    assert!(noted[0].contains("its 2 collection documents"), "{noted:?}");
    let left = common::of_kind(&docs.diagnostics, "epub-pages-left-out", |d| &d.message);
    assert!(
        left.len() == 1 && left[0].starts_with("1 pages"),
        "{left:?}"
    );
    let book = unzip(&docs.bytes);
    // In URL order: /guides/grow.html, /guides/start.html.
    assert!(book.text("EPUB/doc-0001.xhtml").contains("Next steps."));
    assert!(book.text("EPUB/doc-0002.xhtml").contains("First steps."));
    assert_valid("collection-documents", &docs.bytes);
    let opts = ConvertOptions {
        include_pages: true,
        ..ConvertOptions::default()
    };
    let built = epub::build(&site, &opts).expect("a book");
    assert!(
        !built
            .diagnostics
            .iter()
            .any(|d| d.kind.starts_with("epub-empty") || d.kind == "epub-pages-left-out"),
        "{:?}",
        built.diagnostics
    );
    let book = unzip(&built.bytes);
    assert_eq!(book.spine_chapters().len(), 3, "{:?}", book.names);
    assert!(book.text("EPUB/page-0001.xhtml").contains("About us."));
    assert_valid("pages-and-collections", &built.bytes);
}

/// The checker itself must be able to fail: the same book with one chapter
/// made malformed (an entity XML lacks, an unclosed void element) is
/// rejected.
#[test]
fn epubcheck_rejects_a_malformed_chapter() {
    use std::io::Write;
    let site = hostile_site_by_hand();
    let built = epub::build(&site, &ConvertOptions::default()).expect("a book");
    let book = unzip(&built.bytes);
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for name in &book.names {
        let mut bytes = book.files[name].clone();
        if name == "EPUB/post-0001.xhtml" {
            let t = String::from_utf8(bytes)
                .unwrap()
                .replacen("<p>", "<p>&nbsp;<br>", 1);
            bytes = t.into_bytes();
        }
        w.start_file(name.as_str(), stored).unwrap();
        w.write_all(&bytes).unwrap();
    }
    let broken = w.finish().unwrap().into_inner();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken.epub");
    std::fs::write(&path, broken).unwrap();
    if let Some(c) = epubcheck(&path) {
        assert!(
            c.fatal + c.error > 0,
            "EPUBCheck accepted a malformed chapter: {:?}",
            c.lines
        );
    }
}

// ---------------------------------------------------------------- real sites

/// Every `<img>` of a published post's HTML whose URL is a static file of
/// the site (an image type every reader shows) is embedded in the book:
/// compared by bytes. Returns how many distinct files that is.
fn assert_local_images_embedded(site: &Site, book: &Unzipped, home: &str) -> usize {
    let img = Regex::new(r#"(?i)<img\b[^>]*?\ssrc\s*=\s*["']([^"']+)["']"#).unwrap();
    let base = url::Url::parse(home).expect("home URL");
    let in_book: BTreeSet<&Vec<u8>> = book
        .files
        .iter()
        .filter(|(n, _)| n.starts_with("EPUB/images/"))
        .map(|(_, b)| b)
        .collect();
    let mut expected = BTreeSet::new();
    for d in site
        .documents
        .iter()
        .filter(|d| d.kind == DocKind::Post && d.published)
    {
        let Some(html) = &d.html else { continue };
        let page = base.join(d.url.trim_start_matches('/')).expect("page URL");
        for c in img.captures_iter(html) {
            let src = c[1].replace("&amp;", "&");
            let Ok(abs) = page.join(src.trim()) else {
                continue;
            };
            let Some(path) = abs.as_str().strip_prefix(home.trim_end_matches('/')) else {
                continue;
            };
            let path = common::percent_decode(path.split(['?', '#']).next().unwrap_or(""));
            let Some(f) = site
                .static_files
                .iter()
                .find(|f| common::percent_decode(&f.url) == path)
            else {
                continue;
            };
            let bytes = std::fs::read(&f.path).expect("static file bytes");
            let core = bytes.starts_with(&[0xFF, 0xD8, 0xFF])
                || bytes.starts_with(b"\x89PNG")
                || bytes.starts_with(b"GIF8")
                || (bytes.len() > 12 && &bytes[8..12] == b"WEBP")
                || f.source.to_ascii_lowercase().ends_with(".svg");
            if core {
                assert!(
                    in_book.contains(&bytes),
                    "{}: image {} is not in the book",
                    d.source,
                    f.source
                );
                expected.insert(f.source.clone());
            }
        }
    }
    expected.len()
}

/// The Jekyll URL each chapter came from (the address in its meta line),
/// in spine order.
fn chapter_urls(book: &Unzipped, home: &str) -> Vec<String> {
    let meta = Regex::new(r#"<p class="chapter-meta">.*?<a href="([^"]+)">"#).unwrap();
    book.spine_chapters()
        .iter()
        .map(|f| {
            let t = book.text(&format!("EPUB/{f}"));
            let abs = meta
                .captures(&t)
                .unwrap_or_else(|| panic!("{f} has no meta line"))[1]
                .to_string();
            let path = abs.strip_prefix(home.trim_end_matches('/')).unwrap_or(&abs);
            common::percent_decode(path)
        })
        .collect()
}

/// The visible text of a chapter's post body.
fn chapter_text(xhtml: &str) -> String {
    let start = xhtml
        .find("<div class=\"post-body\">")
        .expect("a post body");
    let end = xhtml
        .rfind("</div>\n</section>")
        .expect("end of the post body");
    common::visible(&xhtml[start..end])
}

/// The chapter without the link text the book writes in place of media
/// (`<span class="media-fallback">`): the web page showed an image or a
/// video there, which has no visible text to compare with.
fn without_media_fallbacks(xhtml: &str) -> String {
    let re = regex::Regex::new(r#"<span class="media-fallback">[^<]*</span>"#).unwrap();
    re.replace_all(xhtml, "").into_owned()
}

/// Visible text without the control characters XML 1.0 cannot hold (some
/// posts carry stray backspaces; the book must drop them, and they are not
/// visible anyway).
fn comparable(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_control() || c.is_whitespace())
        .collect()
}

/// Scores each chapter of `book` against Jekyll's rendering of its URL;
/// returns the share at or above 0.95.
fn text_share(name: &str, book: &Unzipped, home: &str) -> f64 {
    let urls = chapter_urls(book, home);
    let mut scores = Vec::new();
    for (file, url) in book.spine_chapters().iter().zip(&urls) {
        let Some(jekyll) = common::jekyll_html(name, url) else {
            continue;
        };
        let ours = comparable(&chapter_text(&without_media_fallbacks(
            &book.text(&format!("EPUB/{file}")),
        )));
        let theirs = comparable(&common::visible(&jekyll));
        scores.push((common::similarity(&theirs, &ours), format!("{name} {url}")));
    }
    common::report_scores(name, &mut scores, 0.95, 5)
}

/// Builds the book of one real site and checks it: EPUBCheck, OCF bytes,
/// every published post a chapter in date order, every image present,
/// identical bytes on a second build. Returns the site, book and home URL.
fn check_real_site(
    name: &str,
    root: &Path,
    truth: Option<Vec<common::TruthRow>>,
) -> (Site, Unzipped) {
    let site = common::read_rendered(root);
    let built = epub::build(&site, &ConvertOptions::default()).expect("a book");
    assert_mimetype_first(&built.bytes);
    let again = epub::build(&site, &ConvertOptions::default()).expect("a book");
    assert!(built.bytes == again.bytes, "{name}: two builds differ");
    let book = unzip(&built.bytes);
    let home = jekyll_migrate::urls::home_url(&site.config);
    let got = chapter_urls(&book, &home);
    if let Some(truth) = truth {
        let mut posts: Vec<&common::TruthRow> = truth.iter().filter(|r| r.kind == "post").collect();
        posts.sort_by(|a, b| {
            let ia = a.date.parse::<jiff::Timestamp>().ok();
            let ib = b.date.parse::<jiff::Timestamp>().ok();
            ia.cmp(&ib).then_with(|| a.source.cmp(&b.source))
        });
        // Compared as a browser sees them (WHATWG parsing turns `%2e%2e`
        // segments into `..`, as our absolute URLs do).
        let base = url::Url::parse(&home).expect("home URL");
        let want: Vec<String> = posts
            .iter()
            .map(|r| {
                let abs = base
                    .join(r.url.trim_start_matches('/'))
                    .expect("truth URL joins");
                let abs = abs.as_str();
                common::percent_decode(abs.strip_prefix(home.trim_end_matches('/')).unwrap_or(abs))
            })
            .collect();
        // Same posts; same order, leaving out dates no timestamp can hold
        // (mm-docs' 9999-12-31T00:00:00-05:00, which the reader reports
        // and replaces by the file-name date).
        let sorted = |v: &[String]| v.iter().cloned().collect::<BTreeSet<_>>();
        assert_eq!(
            sorted(&got),
            sorted(&want),
            "{name}: chapters are not Jekyll's posts"
        );
        let odd: BTreeSet<String> = posts
            .iter()
            .zip(&want)
            .filter(|(r, _)| r.date.parse::<jiff::Timestamp>().is_err())
            .map(|(_, u)| u.clone())
            .collect();
        let keep = |v: &[String]| {
            v.iter()
                .filter(|u| !odd.contains(*u))
                .cloned()
                .collect::<Vec<_>>()
        };
        assert_eq!(
            keep(&got),
            keep(&want),
            "{name}: chapters are not in date order"
        );
    }
    let images = assert_images_present(&book);
    let local = assert_local_images_embedded(&site, &book, &home);
    eprintln!(
        "{name}: {} chapters, {images} images in the book (cover included), {local} local images referenced by posts, all embedded",
        got.len()
    );
    assert_valid(name, &built.bytes);
    (site, book)
}

#[test]
fn corpus_books_pass_epubcheck_with_every_post_and_image() {
    for name in common::corpus_sites() {
        let root = common::corpus_dir().join(&name);
        check_real_site(&name, &root, Some(common::truth(&name, "truth.tsv")));
    }
}

#[test]
fn hostile_fixture_read_by_the_reader_passes_epubcheck() {
    let root = crate_dir().join("fixtures/hostile-html");
    let (_, book) = check_real_site("hostile-html", &root, None);
    assert_eq!(book.spine_chapters().len(), 4);
}

#[test]
fn demo_blog_book_passes_epubcheck() {
    let root = crate_dir().join("fixtures/demo-blog");
    assert!(root.is_dir(), "fixtures/demo-blog is missing");
    check_real_site("demo-blog", &root, None);
}

/// Issue 7, point 3: each chapter's visible text matches Jekyll's own
/// rendering (NAME.site/) at similarity ≥ 0.95 for ≥ 95% of the posts.
#[test]
fn corpus_chapter_text_matches_jekyll() {
    let mut failed = Vec::new();
    for name in common::corpus_sites() {
        let root = common::corpus_dir().join(&name);
        let site = common::read_rendered(&root);
        assert!(
            site.documents.iter().any(|d| d.html.is_some()),
            "{name}: the content layer rendered nothing"
        );
        let built = epub::build(&site, &ConvertOptions::default()).expect("a book");
        let book = unzip(&built.bytes);
        let home = jekyll_migrate::urls::home_url(&site.config);
        let share = text_share(&name, &book, &home);
        if share < 0.95 {
            failed.push(format!("{name}: {:.1}%", share * 100.0));
        }
    }
    assert!(
        failed.is_empty(),
        "below 95% of posts at similarity 0.95: {failed:?}"
    );
}

/// The corpus sites with Jekyll's own rendering (NAME.site/) as each
/// document's HTML: the sanitiser judged on real blog HTML, whatever the
/// content layer does.
#[test]
fn corpus_books_from_jekylls_html_pass_epubcheck() {
    for name in common::corpus_sites() {
        let root = common::corpus_dir().join(&name);
        let mut site = jekyll_migrate::jekyll::read_site(
            &root,
            &jekyll_migrate::jekyll::ReadOptions::default(),
        )
        .unwrap_or_else(|e| panic!("reading {}: {e}", root.display()));
        for d in &mut site.documents {
            d.html = common::jekyll_html(&name, &d.url);
        }
        let built = epub::build(&site, &ConvertOptions::default()).expect("a book");
        let book = unzip(&built.bytes);
        let images = assert_images_present(&book);
        let by_kind = |k: &str| built.diagnostics.iter().filter(|d| d.kind == k).count();
        eprintln!(
            "{name} (Jekyll's HTML): {} chapters, {images} images, {} remote images, {} missing images, {} embeds",
            built.chapters,
            by_kind("epub-remote-image"),
            by_kind("epub-image-missing"),
            by_kind("epub-embed")
        );
        let home = jekyll_migrate::urls::home_url(&site.config);
        let share = text_share(&name, &book, &home);
        assert!(
            share >= 0.95,
            "{name}: only {:.1}% of chapters keep Jekyll's text",
            share * 100.0
        );
        assert_valid(&format!("{name}-jekyll-html"), &built.bytes);
    }
}

/// The command line writes the book at OUT (a single file moved into place)
/// and refuses to replace it without --force.
#[test]
fn cli_writes_the_book_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("demo.epub");
    let run = || {
        Command::new(env!("CARGO_BIN_EXE_jekyll-migrate"))
            .arg("convert")
            .arg(crate_dir().join("fixtures/hostile-html"))
            .args(["--to", "epub", "-q", "-o"])
            .arg(&out)
            .output()
            .expect("the binary runs")
    };
    let first = run();
    assert!(first.status.code().is_some_and(|c| c <= 1), "{first:?}");
    let bytes = std::fs::read(&out).expect("OUT is written");
    assert_mimetype_first(&bytes);
    assert_eq!(unzip(&bytes).spine_chapters().len(), 4);
    let again = run();
    assert_eq!(
        again.status.code(),
        Some(2),
        "an existing OUT is kept without --force"
    );
    assert_eq!(std::fs::read(&out).expect("OUT"), bytes);
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .expect("temp dir")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(
        leftovers.len(),
        1,
        "no staging folder left behind: {leftovers:?}"
    );
}

/// A book has no MIGRATION.md, so what was left out at the note level (a
/// form field, a `<style>` block, a broken fragment) is printed on stderr
/// with its file and line, like the warnings.
#[test]
fn cli_prints_the_books_notes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let run = Command::new(env!("CARGO_BIN_EXE_jekyll-migrate"))
        .arg("convert")
        .arg(crate_dir().join("fixtures/hostile-html"))
        .args(["--to", "epub", "-o"])
        .arg(dir.path().join("book.epub"))
        .output()
        .expect("the binary runs");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.code().is_some_and(|c| c <= 1), "{stderr}");
    for line in [
        "_posts/2019-06-15-embeds-and-scripts.html:10: info[epub-style-dropped]",
        "_posts/2019-06-15-embeds-and-scripts.html:15: info[epub-form]",
        "_posts/2020-01-10-images-and-links.md:18: info[epub-broken-fragment]",
    ] {
        assert!(stderr.contains(line), "{line} missing from: {stderr}");
    }
    let stdout = String::from_utf8_lossy(&run.stdout);
    let notes = stderr.lines().filter(|l| l.contains(": info[")).count();
    assert!(
        stdout.contains(&format!(", {notes} notes,")),
        "every note counted in the summary is printed ({notes}): {stdout}"
    );
}

/// HTML nested far deeper than a book keeps (a post of 100,000 `<div>`s, a
/// line of 50,000 `>` quote markers) is flattened to its text with a
/// warning, quickly, and the book stays valid.
#[test]
fn html_nested_past_what_a_book_keeps_is_flattened_and_reported() {
    let dir = tempfile::tempdir().expect("temp dir");
    let site = dir.path().join("site");
    let posts = site.join("_posts");
    std::fs::create_dir_all(&posts).expect("mkdir");
    std::fs::write(
        site.join("_config.yml"),
        "title: Deep\nurl: https://deep.example\n",
    )
    .expect("config");
    std::fs::write(
        posts.join("2020-01-01-shallow.md"),
        "---\ntitle: Shallow\n---\n<div><div><p>kept as it is</p></div></div>\n",
    )
    .expect("post");
    std::fs::write(
        posts.join("2020-01-02-divs.md"),
        format!(
            "---\ntitle: Divs\n---\n<div>\n{}deep text{}\n</div>\n",
            "<div>".repeat(100_000),
            "</div>".repeat(100_000)
        ),
    )
    .expect("post");
    std::fs::write(
        posts.join("2020-01-03-quotes.md"),
        format!(
            "---\ntitle: Quotes\n---\n{} quoted text\n",
            ">".repeat(50_000)
        ),
    )
    .expect("post");
    let out = dir.path().join("deep.epub");
    let run = Command::new(env!("CARGO_BIN_EXE_jekyll-migrate"))
        .arg("convert")
        .arg(&site)
        .args(["--to", "epub", "-o"])
        .arg(&out)
        .output()
        .expect("the binary runs");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(0), "{stderr}");
    for post in ["_posts/2020-01-02-divs.md", "_posts/2020-01-03-quotes.md"] {
        let warned = stderr
            .lines()
            .filter(|l| l.contains(&format!("/{post}:")) && l.contains("warning[html-too-deep]"))
            .count();
        assert_eq!(warned, 1, "{post}: {stderr}");
    }
    assert!(!stderr.contains("2020-01-01-shallow.md"), "{stderr}");
    let bytes = std::fs::read(&out).expect("OUT is written");
    let book = unzip(&bytes);
    let chapters = book.spine_chapters();
    assert_eq!(chapters.len(), 3, "{chapters:?}");
    let texts: Vec<String> = chapters
        .iter()
        .map(|c| book.text(&format!("EPUB/{c}")))
        .collect();
    for (chapter, text) in texts
        .iter()
        .zip(["kept as it is", "deep text", "quoted text"])
    {
        assert!(chapter.contains(text), "{text} is in its chapter");
    }
    // Shallow nesting keeps its structure.
    assert!(
        texts[0].contains("<div><div><p>kept as it is</p></div></div>"),
        "{}",
        texts[0]
    );
    assert_valid("deep", &bytes);
}

/// `dc:language` follows the one rule of every format: a Korean blog
/// without `lang` is `ko` (guessed, with the shared note), a site with
/// `lang: fr` is `fr` with no note.
#[test]
fn the_books_language_is_the_sites_or_guessed_with_a_note() {
    let ko = common::korean_site("");
    let site = common::read_rendered(ko.path());
    let built = epub::build(&site, &ConvertOptions::default()).expect("a book");
    let book = unzip(&built.bytes);
    let opf = book.text("EPUB/package.opf");
    assert!(opf.contains("<dc:language>ko</dc:language>"), "{opf}");
    assert!(book
        .text("EPUB/nav.xhtml")
        .contains(r#"lang="ko" xml:lang="ko""#));
    common::assert_lang_guessed(&built.diagnostics, "ko");
    assert_valid("korean-guessed", &built.bytes);

    let fr = common::french_site();
    let built = epub::build(
        &common::read_rendered(fr.path()),
        &ConvertOptions::default(),
    )
    .expect("a book");
    let opf = unzip(&built.bytes).text("EPUB/package.opf");
    assert!(opf.contains("<dc:language>fr</dc:language>"), "{opf}");
    common::assert_no_lang_note(&built.diagnostics);
}

/// A post's `author: robin` is shown by the name `_data/authors.yml` gives
/// it, in its chapter, on the title page and cover, and as `dc:creator`.
#[test]
fn authors_are_shown_by_their_data_names() {
    let dir = common::korean_site("");
    let built = epub::build(
        &common::read_rendered(dir.path()),
        &ConvertOptions::default(),
    )
    .expect("a book");
    let book = unzip(&built.bytes);
    let chapter = book.text("EPUB/post-0001.xhtml");
    let meta = Regex::new(r#"<p class="chapter-meta">([^<]*)"#).unwrap();
    let line = meta.captures(&chapter).map(|c| c[1].to_string());
    assert_eq!(
        line.as_deref(),
        Some("2020-01-01 · Robin Sloan · "),
        "{chapter}"
    );
    let opf = book.text("EPUB/package.opf");
    assert!(opf.contains(">Robin Sloan</dc:creator>"), "{opf}");
    assert!(!opf.contains(">robin</dc:creator>"), "{opf}");
    assert!(book.text("EPUB/title.xhtml").contains("Robin Sloan"));
    assert!(book.text("EPUB/images/cover.svg").contains("Robin Sloan"));
}

// ---------------------------------------------------------------- math

/// A `<math>` element as its element names and text, without attributes
/// and whitespace, e.g. `<mfrac><mi>a</mi><mi>b</mi></mfrac>`: what a
/// formula means, whatever spacing or styling it carries (so `mstyle`
/// wrappers count only by their content).
fn math_structure(node: roxmltree::Node<'_, '_>, out: &mut String) {
    for child in node.children() {
        if child.is_text() {
            let t = child
                .text()
                .unwrap_or("")
                .split_whitespace()
                .collect::<Vec<_>>();
            out.push_str(&t.join(" "));
        } else if child.has_tag_name("mstyle") {
            math_structure(child, out);
        } else if child.is_element() {
            let name = child.tag_name().name();
            out.push_str(&format!("<{name}>"));
            math_structure(child, out);
            out.push_str(&format!("</{name}>"));
        }
    }
}

/// Every `<math>` of a chapter (which must be well-formed XML): its
/// `display`, `alttext` and structure.
fn formulas(xhtml: &str) -> Vec<(String, String, String)> {
    let opts = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..roxmltree::ParsingOptions::default()
    };
    let doc = roxmltree::Document::parse_with_options(xhtml, opts)
        .unwrap_or_else(|e| panic!("chapter is well-formed XML: {e}\n{xhtml}"));
    doc.descendants()
        .filter(|n| n.has_tag_name(("http://www.w3.org/1998/Math/MathML", "math")))
        .map(|m| {
            let mut s = String::new();
            math_structure(m, &mut s);
            (
                m.attribute("display").unwrap_or("").to_string(),
                m.attribute("alttext").unwrap_or("").to_string(),
                s,
            )
        })
        .collect()
}

/// The structure of hand-written MathML, normalised as [`formulas`] does.
fn expected(mathml: &str) -> String {
    let wrapped = format!("<math xmlns=\"http://www.w3.org/1998/Math/MathML\">{mathml}</math>");
    let doc = roxmltree::Document::parse(&wrapped).expect("hand-written MathML parses");
    let mut s = String::new();
    math_structure(doc.root_element(), &mut s);
    s
}

/// kramdown `$$` math (inline and display) and MathJax's `\(…\)`, `\[…\]`,
/// `$$…$$` and `<script type="math/tex">` in HTML become MathML with the TeX
/// as `alttext`; code keeps its TeX; what cannot be typeset stays TeX with a
/// warning; the chapters are marked `mathml` and the book is valid.
#[test]
fn tex_math_becomes_mathml_outside_code() {
    // More of what posts write, for EPUBCheck; then a formula past the size
    // the book typesets and one nested past what it keeps.
    let more = format!(
        "---\ntitle: More\n---\n\
         <p>\\[\\begin{{align}} a &amp;= b \\\\ c &amp;= d \\end{{align}}\\]</p>\n\
         <p>\\(\\begin{{cases}} 1 &amp; x &gt; 0 \\\\ 0 &amp; \\text{{else}} \\end{{cases}}\\)</p>\n\
         <p>\\(\\binom{{n}}{{k}} \\left( \\frac{{a}}{{b}} \\right) \\mathrm{{d}}x \\lVert v \\rVert \\int_0^\\infty \\lim_{{n\\to\\infty}} \\sqrt[3]{{x}} \\overbrace{{a+b}}^{{c}} \\underbrace{{d}}_{{e}} \\not= \\color{{red}}{{r}} \\tfrac12 \\R \\vec{{v}} \\bar{{y}} \\mathcal{{L}} \\mathbf{{B}} \\dots a &lt; b \\begin{{bmatrix}} a &amp; b \\\\ c &amp; d \\end{{bmatrix}}\\)</p>\n\
         <p>Huge \\({}x\\) and deep \\({}x{}\\).</p>\n",
        "x^{2}+".repeat(600),
        "\\sqrt{".repeat(300),
        "}".repeat(300),
    );
    let dir = common::site_dir(&[
        ("_config.yml", "title: Maths\nurl: https://maths.example\n"),
        (
            "_posts/2021-01-01-ten.md",
            "---\ntitle: Ten kinds\n---\n\
             Inline $$a+b$$ and $$x \\text{ if } y$$, an accent $$\\hat{x}$$, \
             a fraction $$\\frac{a}{b}$$, the reals $$\\mathbb{R}$$ and $$\\operatorname{sgn}(x)$$.\n\n\
             $$\n E = mc^2\n$$\n\n\
             $$\n\\begin{aligned} a &= b + c \\\\ d &= e \\end{aligned}\n$$\n\n\
             $$\n\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}\n$$\n\n\
             $$\n\\sum_{i=1}^{n} i\n$$\n\n\
             ```\nlet s = \"\\(x\\)\";\n```\n\n\
             Code `\\(y\\)` stays.\n",
        ),
        (
            "_posts/2021-01-02-mathjax.html",
            "---\ntitle: MathJax\n---\n\
             <p>Euler: \\(e^{i\\pi} + 1 = 0\\) and \\[\\dfrac{1}{2}\\] and $$z^2$$.</p>\n\
             <p><script type=\"math/tex; mode=display\">\\sqrt{2}</script></p>\n\
             <pre><code>\\(kept\\) $$kept$$</code></pre>\n\
             <p>Broken: \\(\\notacommand{q}\\) stays.</p>\n",
        ),
        ("_posts/2021-01-03-more.html", &more),
    ]);
    let site = common::read_rendered(dir.path());
    let built = epub::build(&site, &ConvertOptions::default()).expect("a book");
    let book = unzip(&built.bytes);

    ten_kinds(&book.text("EPUB/post-0001.xhtml"));
    mathjax_html(&book.text("EPUB/post-0002.xhtml"), &built.diagnostics);
    too_big_or_deep(&book.text("EPUB/post-0003.xhtml"), &built.diagnostics);
    let opf = book.text("EPUB/package.opf");
    for file in ["post-0001.xhtml", "post-0002.xhtml", "post-0003.xhtml"] {
        let item = opf
            .lines()
            .find(|l| l.contains(&format!("href=\"{file}\"")))
            .expect("manifest item");
        assert!(item.contains("properties=\"mathml\""), "{item}");
    }
    assert!(!opf.contains("title.xhtml\" media-type=\"application/xhtml+xml\" properties"));
    assert_valid("math", &built.bytes);
}

/// The kramdown post: one `<math>` per formula, in order, six of them as
/// written by hand; code keeps its TeX.
fn ten_kinds(chapter: &str) {
    let ten = formulas(chapter);
    let alt: Vec<&str> = ten.iter().map(|f| f.1.trim()).collect();
    assert_eq!(
        alt,
        [
            "a+b",
            "x \\text{ if } y",
            "\\hat{x}",
            "\\frac{a}{b}",
            "\\mathbb{R}",
            "\\operatorname{sgn}(x)",
            "E = mc^2",
            "\\begin{aligned} a &= b + c \\\\ d &= e \\end{aligned}",
            "\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}",
            "\\sum_{i=1}^{n} i",
        ],
        "one <math> per formula, in order: {ten:#?}"
    );
    let display: Vec<&str> = ten.iter().map(|f| f.0.as_str()).collect();
    assert_eq!(display, [["inline"; 6].as_slice(), &["block"; 4]].concat());
    let by_alt = |tex: &str| &ten.iter().find(|f| f.1.trim() == tex).expect(tex).2;
    assert_eq!(
        by_alt("\\frac{a}{b}"),
        &expected("<mfrac><mi>a</mi><mi>b</mi></mfrac>")
    );
    assert_eq!(
        by_alt("\\sum_{i=1}^{n} i"),
        &expected(
            "<munderover><mo>∑</mo><mrow><mi>i</mi><mo>=</mo><mn>1</mn></mrow><mi>n</mi></munderover><mi>i</mi>"
        )
    );
    assert_eq!(
        by_alt("\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}"),
        &expected(
            "<mrow><mo>(</mo><mtable>\
             <mtr><mtd><mn>1</mn></mtd><mtd><mn>2</mn></mtd></mtr>\
             <mtr><mtd><mn>3</mn></mtd><mtd><mn>4</mn></mtd></mtr>\
             </mtable><mo>)</mo></mrow>"
        )
    );
    assert_eq!(by_alt("\\mathbb{R}"), &expected("<mi>ℝ</mi>"));
    assert_eq!(
        by_alt("x \\text{ if } y"),
        &expected("<mi>x</mi><mtext> if </mtext><mi>y</mi>")
    );
    assert_eq!(
        by_alt("\\hat{x}"),
        &expected("<mover><mi>x</mi><mo>\u{2c6}</mo></mover>")
    );
    assert!(chapter.contains("let s = \"\\(x\\)\";"), "{chapter}");
    assert!(chapter.contains(">\\(y\\)</code>"), "{chapter}");
}

/// The HTML post: MathJax delimiters and scripts typeset, code kept, the
/// unknown command left as TeX with a warning at its line.
fn mathjax_html(html: &str, diagnostics: &[jekyll_migrate::diagnostics::Diagnostic]) {
    let mj = formulas(html);
    let alt: Vec<(&str, &str)> = mj.iter().map(|f| (f.0.as_str(), f.1.as_str())).collect();
    assert_eq!(
        alt,
        [
            ("inline", "e^{i\\pi} + 1 = 0"),
            ("block", "\\dfrac{1}{2}"),
            ("block", "z^2"),
            ("block", "\\sqrt{2}"),
        ],
        "{html}"
    );
    assert!(html.contains("<code>\\(kept\\) $$kept$$</code>"), "{html}");
    assert!(
        html.contains("Broken: \\(\\notacommand{q}\\) stays."),
        "{html}"
    );
    let unconverted: Vec<_> = diagnostics
        .iter()
        .filter(|d| d.kind == "math-unconverted" && !d.file.ends_with("more.html"))
        .collect();
    assert_eq!(unconverted.len(), 1, "{diagnostics:#?}");
    assert!(unconverted[0].file.ends_with("2021-01-02-mathjax.html"));
    assert_eq!(unconverted[0].line, Some(7), "{:?}", unconverted[0]);
    assert!(unconverted[0].message.contains("\\notacommand"));
}

/// The post of many constructs: what math-core can typeset is, the huge and
/// the deep formulas stay TeX, each with its reason.
fn too_big_or_deep(more: &str, diagnostics: &[jekyll_migrate::diagnostics::Diagnostic]) {
    assert_eq!(formulas(more).len(), 3, "{more}");
    let left: Vec<&str> = diagnostics
        .iter()
        .filter(|d| d.kind == "math-unconverted" && d.file.ends_with("more.html"))
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(left.len(), 2, "{left:#?}");
    assert!(
        left[0].contains("over 1000 groups and commands"),
        "{left:#?}"
    );
    assert!(left[1].contains("nested more deeply"), "{left:#?}");
    assert!(more.contains("Huge \\(x^{2}+x^{2}+"), "{more}");
    assert!(more.contains("deep \\(\\sqrt{\\sqrt{"), "{more}");
}

/// `cite` URLs over `http` drew RSC-031 warnings (a book refers to the web
/// over HTTPS only): they are left out with a note, `https` ones are kept.
#[test]
fn quotes_citing_http_pages_keep_the_book_valid() {
    let dir = common::site_dir(&[
        ("_config.yml", "title: Quotes\nurl: https://ex.com\n"),
        (
            "_posts/2020-01-01-quotes.html",
            "---\ntitle: Quotes\n---\n<blockquote cite=\"http://example.org/source\"><p>Quoted.</p></blockquote>\n<blockquote cite=\"https://example.org/secure\"><p>Secure.</p></blockquote>\n<p>He said <q cite=\"http://example.org/q\">hi</q>. <ins cite=\"http://example.org/i\">new</ins> <del cite=\"/local.html\">old</del></p>\n",
        ),
    ]);
    let built = epub::build(
        &common::read_rendered(dir.path()),
        &ConvertOptions::default(),
    )
    .expect("a book");
    let chapter = unzip(&built.bytes).text("EPUB/post-0001.xhtml");
    assert!(!chapter.contains("cite=\"http:"), "{chapter}");
    assert!(chapter.contains(r#"<blockquote cite="https://example.org/secure">"#));
    assert!(chapter.contains(r#"<del cite="https://ex.com/local.html">"#));
    let notes = common::of_kind(&built.diagnostics, "epub-cite", |d| d.message.as_str());
    assert_eq!(notes.len(), 3, "{notes:?}");
    assert!(notes[0].contains("http://example.org/source"), "{notes:?}");
    assert_valid("quotes", &built.bytes);
}

/// A Django sample in a code block (escaped markup) stays as written in
/// the book, beside a real link made absolute.
#[test]
fn markup_shown_as_code_stays_text_in_the_book() {
    let dir = common::django_site();
    let built = epub::build(
        &common::read_rendered(dir.path()),
        &ConvertOptions::default(),
    )
    .expect("a book");
    let book = unzip(&built.bytes);
    // The fenced sample is highlighted: its text is the same once the
    // token spans are taken away.
    let spans = regex::Regex::new(r#"<span class="[^"]*">|</span>"#).expect("regex");
    for chapter in ["EPUB/post-0001.xhtml", "EPUB/post-0002.xhtml"] {
        let x = book.text(chapter);
        assert!(
            spans.replace_all(&x, "").contains(common::DJANGO_SAMPLE),
            "{x}"
        );
        assert!(!x.contains("%7B"), "{x}");
    }
    assert!(book
        .text("EPUB/post-0001.xhtml")
        .contains(r#"<a href="https://ex.com/2020/01/01/memo.html">"#));
    assert_valid("django", &built.bytes);
}

// ---------------------------------------------------------------- --fetch-images

/// A tiny HTTP server on 127.0.0.1 for the remote-image tests: a PNG, a
/// JPEG, a 404, one that answers too late, a web page served as an image,
/// one larger than the cap, a redirect and a redirect loop. It counts the requests for each path.
struct ImageServer {
    port: u16,
    hits: std::sync::Arc<std::sync::Mutex<std::collections::HashMap<String, usize>>>,
}

const SERVED_PNG: &str = "fixtures/demo-blog/assets/images/tram.png";
const SERVED_JPEG: &str = "fixtures/seed-site/assets/20170427_day1/IMG_0958.JPG";

impl ImageServer {
    fn start() -> ImageServer {
        use std::io::Write;
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a local port");
        let port = listener.local_addr().expect("address").port();
        let hits = std::sync::Arc::new(std::sync::Mutex::new(std::collections::HashMap::new()));
        let counted = hits.clone();
        let png = std::fs::read(crate_dir().join(SERVED_PNG)).expect("png");
        let jpeg = std::fs::read(crate_dir().join(SERVED_JPEG)).expect("jpeg");
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let (png, jpeg, counted) = (png.clone(), jpeg.clone(), counted.clone());
                // One thread a connection: the slow answer must not hold up
                // the others.
                std::thread::spawn(move || {
                    let path = request_path(&mut stream);
                    *counted.lock().unwrap().entry(path.clone()).or_insert(0) += 1;
                    let (status, ctype, body): (&str, &str, Vec<u8>) = match path.as_str() {
                        "/cat.png" | "/moved-here.png" => ("200 OK", "image/png", png),
                        "/moved.png" => (
                            "302 Found\r\nLocation: /moved-here.png",
                            "text/plain",
                            vec![],
                        ),
                        "/loop.png" => ("302 Found\r\nLocation: /loop.png", "text/plain", vec![]),
                        "/photo.jpg" => ("200 OK", "image/jpeg", jpeg),
                        "/slow.png" => {
                            std::thread::sleep(std::time::Duration::from_secs(3));
                            ("200 OK", "image/png", png)
                        }
                        "/page.png" => ("200 OK", "text/html", b"<html>no</html>".to_vec()),
                        "/huge.png" => {
                            let mut big = png.clone();
                            big.resize(8192, 0);
                            ("200 OK", "image/png", big)
                        }
                        _ => ("404 Not Found", "text/plain", b"missing".to_vec()),
                    };
                    let head = format!(
                        "HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                        body.len()
                    );
                    let _ = stream.write_all(head.as_bytes());
                    let _ = stream.write_all(&body);
                });
            }
        });
        ImageServer { port, hits }
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    fn hits(&self, path: &str) -> usize {
        self.hits.lock().unwrap().get(path).copied().unwrap_or(0)
    }

    fn total(&self) -> usize {
        self.hits.lock().unwrap().values().sum()
    }
}

/// The path of an HTTP request, read up to the end of its head.
fn request_path(stream: &mut std::net::TcpStream) -> String {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") && head.len() < 8192 {
        match stream.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => break,
        }
    }
    String::from_utf8_lossy(&head)
        .split_whitespace()
        .nth(1)
        .unwrap_or("")
        .to_string()
}

/// A blog whose two posts show the server's images (the cat twice).
fn remote_image_site(server: &ImageServer) -> tempfile::TempDir {
    let first = format!(
        "---\ntitle: Pictures\n---\nA cat:\n\n![cat]({})\n\nA photo:\n\n![photo]({})\n\nGone:\n\n![gone]({})\n\nSlow:\n\n![slow]({})\n",
        server.url("/cat.png"),
        server.url("/photo.jpg"),
        server.url("/missing.png"),
        server.url("/slow.png"),
    );
    let second = format!(
        "---\ntitle: More\n---\nThe cat again:\n\n![cat]({})\n\nA page:\n\n![page]({})\n\nToo big:\n\n![huge]({})\n\nMoved:\n\n![moved]({})\n\nRound and round:\n\n![loop]({})\n",
        server.url("/cat.png"),
        server.url("/page.png"),
        server.url("/huge.png"),
        server.url("/moved.png"),
        server.url("/loop.png"),
    );
    common::site_dir(&[
        (
            "_config.yml",
            "title: Remote\nurl: https://remote.example\n",
        ),
        ("_posts/2021-01-01-pictures.md", first.as_str()),
        ("_posts/2021-02-01-more.md", second.as_str()),
    ])
}

fn convert_book(site: &Path, out: &Path, extra: &[&str]) -> (std::process::Output, String) {
    let run = Command::new(env!("CARGO_BIN_EXE_jekyll-migrate"))
        .arg("convert")
        .arg(site)
        .args(["--to", "epub", "--force", "-o"])
        .arg(out)
        .args(extra)
        .output()
        .expect("the binary runs");
    let stderr = String::from_utf8_lossy(&run.stderr).into_owned();
    assert!(run.status.code().is_some_and(|c| c <= 1), "{stderr}");
    (run, stderr)
}

/// The images in the book, cover left out.
fn book_images(book: &Unzipped) -> Vec<Vec<u8>> {
    book.files
        .iter()
        .filter(|(n, _)| n.starts_with("EPUB/images/") && !n.contains("cover"))
        .map(|(_, b)| b.clone())
        .collect()
}

/// `--fetch-images --allow-http` embeds the good remote images byte for
/// byte (each fetched once), names every bad one with its reason, keeps
/// the book valid, and a second run with the same cache asks for none of
/// the good ones again.
#[test]
fn fetch_images_embeds_remote_images_and_names_each_failure() {
    let server = ImageServer::start();
    let site = remote_image_site(&server);
    let dir = tempfile::tempdir().expect("temp dir");
    let cache = dir.path().join("cache");
    let out = dir.path().join("book.epub");
    let flags = [
        "--fetch-images",
        "--allow-http",
        "--image-cache",
        cache.to_str().unwrap(),
        "--image-timeout",
        "0.5",
        "--image-max-size",
        "4K",
    ];
    let (_, stderr) = convert_book(site.path(), &out, &flags);
    let bytes = std::fs::read(&out).expect("the book is made");
    let book = unzip(&bytes);
    let mut got = book_images(&book);
    got.sort();
    let png = std::fs::read(crate_dir().join(SERVED_PNG)).unwrap();
    let mut want = vec![
        png.clone(),
        png,
        std::fs::read(crate_dir().join(SERVED_JPEG)).unwrap(),
    ];
    want.sort();
    assert_eq!(
        got, want,
        "the PNG, the JPEG and the redirected PNG, byte for byte, once each"
    );
    assert_eq!(
        server.hits("/moved-here.png"),
        1,
        "the redirect is followed"
    );
    assert_eq!(
        server.hits("/cat.png"),
        1,
        "one URL is fetched once per run"
    );
    for (path, why) in [
        ("/missing.png", "404"),
        ("/slow.png", "timed out"),
        ("/page.png", "text/html"),
        ("/huge.png", "larger than the 4 KiB cap"),
        ("/loop.png", "more than 5 redirects"),
    ] {
        let line = stderr
            .lines()
            .find(|l| l.contains("warning[image-fetch]") && l.contains(&server.url(path)))
            .unwrap_or_else(|| panic!("no image-fetch warning for {path}: {stderr}"));
        assert!(line.contains(why), "{path}: {line}");
        assert!(line.contains(".md:"), "at the post's file and line: {line}");
    }
    assert!(!stderr.contains("epub-remote-images"), "{stderr}");
    let chapters = book.spine_chapters();
    assert_eq!(chapters.len(), 2);
    let second = book.text(&format!("EPUB/{}", chapters[1]));
    assert!(
        second.contains("<span class=\"media-fallback\">huge</span>") && second.contains("<img "),
        "the post keeps its link for the image that failed: {second}"
    );
    assert_valid("fetched-images", &bytes);

    // Again, with the cache: the good images come from it.
    let good = ["/cat.png", "/photo.jpg", "/moved.png", "/moved-here.png"];
    let before: Vec<usize> = good.iter().map(|p| server.hits(p)).collect();
    let (_, _) = convert_book(site.path(), &out, &flags);
    let after: Vec<usize> = good.iter().map(|p| server.hits(p)).collect();
    assert_eq!(after, before, "no good image is requested again");
    let again = unzip(&std::fs::read(&out).unwrap());
    assert_eq!(book_images(&again).len(), 3);
}

/// Without the flag nothing is fetched, the remote images are links as
/// before, and one note (not one per image) says --fetch-images would
/// embed them.
#[test]
fn without_fetch_images_one_note_counts_the_remote_images() {
    let server = ImageServer::start();
    let site = remote_image_site(&server);
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("book.epub");
    let (_, stderr) = convert_book(site.path(), &out, &[]);
    assert_eq!(server.total(), 0, "nothing is fetched");
    let notes: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("info[epub-remote-images]"))
        .collect();
    assert_eq!(notes.len(), 1, "{stderr}");
    assert!(
        notes[0].contains("9 remote images") && notes[0].contains("--fetch-images"),
        "{}",
        notes[0]
    );
    assert_eq!(stderr.matches("warning[epub-remote-image]").count(), 9);
    assert!(book_images(&unzip(&std::fs::read(&out).unwrap())).is_empty());
}

/// Issue 31: inline SVG stays in the chapter, sanitised, with every id a
/// valid XML name unique in its chapter and every reference following it;
/// what cannot be carried is a diagnostic with its line. Quotes citing
/// `http` pages and an SVG file shown with `<img>` keep the book valid too.
#[test]
fn inline_svg_is_kept_with_valid_ids_and_the_book_passes_epubcheck() {
    let dir = common::svg_site();
    let built = epub::build(
        &common::read_rendered(dir.path()),
        &ConvertOptions::default(),
    )
    .expect("a book");
    let book = unzip(&built.bytes);
    let chapter = book.text("EPUB/post-0002.xhtml");
    let opts = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..roxmltree::ParsingOptions::default()
    };
    let doc = roxmltree::Document::parse_with_options(&chapter, opts).expect("the chapter is XML");
    let svgs: Vec<_> = doc
        .descendants()
        .filter(|n| n.tag_name().name() == "svg")
        .collect();
    assert_eq!(svgs.len(), 2, "{chapter}");
    assert!(svgs
        .iter()
        .all(|s| s.tag_name().namespace() == Some("http://www.w3.org/2000/svg")));
    // Ids: valid XML names, unique in the chapter.
    let ids: Vec<&str> = doc
        .descendants()
        .filter_map(|n| n.attribute("id"))
        .collect();
    let unique: BTreeSet<&str> = ids.iter().copied().collect();
    assert_eq!(ids.len(), unique.len(), "{ids:?}");
    assert!(
        ids.iter()
            .all(|i| i.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')),
        "{ids:?}"
    );
    // Every reference follows its id, each drawing to its own gradient.
    for want in [
        r##"aria-labelledby="id-1-title""##,
        r#"<title id="id-1-title">"#,
        r#"<linearGradient id="id-2grad">"#,
        r##"fill="url(#id-2grad)" clip-path="url(#id-3clip)" style="stroke: url(#id-2grad); stroke-width: 2""##,
        r##"<use xlink:href="#id-4rect" x="5"/><use xlink:href="#id-4rect" y="5"/>"##,
        r#"<radialGradient id="id-2grad-2">"#,
        r##"<circle cx="20" cy="20" r="18" fill="url(#id-2grad-2)"/>"##,
    ] {
        assert!(chapter.contains(want), "{want} not in {chapter}");
    }
    for gone in [
        "onload",
        "onclick",
        "<script",
        "foreignObject",
        "HTML inside",
        "sprite.svg",
        "cite=",
    ] {
        assert!(!chapter.contains(gone), "{gone} still in {chapter}");
    }
    // What was left out, each at its line.
    let svg_notes: Vec<(&str, Option<usize>)> = built
        .diagnostics
        .iter()
        .filter(|d| d.kind == "epub-svg")
        .map(|d| (d.message.as_str(), d.line))
        .collect();
    assert_eq!(svg_notes.len(), 5, "{svg_notes:#?}");
    let line_of = |what: &str| {
        svg_notes
            .iter()
            .find(|(m, _)| m.contains(what))
            .and_then(|(_, l)| *l)
    };
    assert_eq!(line_of("onload"), Some(5), "{svg_notes:#?}");
    assert_eq!(line_of("onclick"), Some(9), "{svg_notes:#?}");
    assert_eq!(line_of("sprite.svg"), Some(10), "{svg_notes:#?}");
    assert_eq!(line_of("<script>"), Some(11), "{svg_notes:#?}");
    assert_eq!(line_of("<foreignObject>"), Some(11), "{svg_notes:#?}");
    assert!(!built
        .diagnostics
        .iter()
        .any(|d| d.kind == "epub-inline-svg"));
    // The manifest says which chapter holds SVG; the file is an image.
    let opf = book.text("EPUB/package.opf");
    assert!(
        Regex::new(r#"<item id="[^"]+" href="post-0002.xhtml" media-type="application/xhtml\+xml" properties="svg"/>"#)
            .expect("regex")
            .is_match(&opf),
        "{opf}"
    );
    assert!(
        opf.contains(r#"href="post-0001.xhtml" media-type="application/xhtml+xml"/>"#),
        "{opf}"
    );
    assert!(
        Regex::new(r#"href="images/[^"]*dot[^"]*\.svg" media-type="image/svg\+xml""#)
            .expect("regex")
            .is_match(&opf),
        "{opf}"
    );
    assert!(book
        .text("EPUB/post-0001.xhtml")
        .contains(r#"alt="A red dot""#));
    assert_valid("svg-site", &built.bytes);
}

/// Issue 31: the package's accessibility metadata is true of the book that
/// was written: MathML only with formulas, `alternativeText` and a
/// `textual` sufficient access mode only when every picture has a text
/// alternative, and no conformance claim nobody checked.
#[test]
fn accessibility_metadata_is_true_of_each_book() {
    let a11y_meta = |opf: &str| -> Vec<String> {
        Regex::new(r#"<meta property="(schema:access[A-Za-z]+|dcterms:conformsTo)">([^<]*)</meta>"#)
            .expect("regex")
            .captures_iter(opf)
            .map(|c| format!("{}={}", &c[1], &c[2]))
            .filter(|m| !m.starts_with("schema:accessibilitySummary"))
            .collect()
    };
    // Pictures all described (the cover, an SVG file, two titled drawings), no math.
    let dir = common::svg_site();
    let built = epub::build(
        &common::read_rendered(dir.path()),
        &ConvertOptions::default(),
    )
    .expect("a book");
    let opf = unzip(&built.bytes).text("EPUB/package.opf");
    assert_eq!(
        a11y_meta(&opf),
        [
            "schema:accessMode=textual",
            "schema:accessMode=visual",
            "schema:accessModeSufficient=textual,visual",
            "schema:accessModeSufficient=textual",
            "schema:accessibilityFeature=structuralNavigation",
            "schema:accessibilityFeature=tableOfContents",
            "schema:accessibilityFeature=readingOrder",
            "schema:accessibilityFeature=alternativeText",
            "schema:accessibilityHazard=none",
        ],
        "{opf}"
    );
    assert!(
        opf.contains("Every picture has a text alternative."),
        "{opf}"
    );

    // Formulas, and an image without alt text.
    let dir = common::site_dir(&[
        ("_config.yml", "title: Sums\nurl: https://ex.com\nlang: en\n"),
        (
            "_posts/2021-01-01-sums.md",
            "---\ntitle: Sums\n---\nThe area is $$\\pi r^2$$.\n\n<img src=\"/assets/dot.svg\">\n\n![](/assets/dot.svg)\n",
        ),
        (
            "assets/dot.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><circle cx=\"5\" cy=\"5\" r=\"4\"/></svg>\n",
        ),
    ]);
    let built = epub::build(
        &common::read_rendered(dir.path()),
        &ConvertOptions::default(),
    )
    .expect("a book");
    let book = unzip(&built.bytes);
    let opf = book.text("EPUB/package.opf");
    assert_eq!(
        a11y_meta(&opf),
        [
            "schema:accessMode=textual",
            "schema:accessMode=visual",
            "schema:accessModeSufficient=textual,visual",
            "schema:accessibilityFeature=structuralNavigation",
            "schema:accessibilityFeature=tableOfContents",
            "schema:accessibilityFeature=readingOrder",
            "schema:accessibilityFeature=MathML",
            "schema:accessibilityHazard=none",
        ],
        "{opf}"
    );
    assert!(
        opf.contains("2 pictures have no text alternative written for them"),
        "{opf}"
    );
    assert!(opf.contains("properties=\"mathml\""), "{opf}");
    let chapter = book.text("EPUB/post-0001.xhtml");
    // No alt: named by the file; an empty alt (Markdown's `![](…)`) is
    // kept as written, but neither counts as described.
    assert!(chapter.contains("alt=\"dot.svg\""), "{chapter}");
    assert!(chapter.contains("alt=\"\""), "{chapter}");
    let notes = common::of_kind(&built.diagnostics, "epub-image-alt", |d| d.message.as_str());
    assert_eq!(notes.len(), 2, "{notes:?}");
    assert_valid("sums", &built.bytes);
}

/// A chapter with highlighted code (rouge's token spans, marked lines,
/// line numbers, `&` and `<` inside tokens) is well-formed XHTML that
/// EPUBCheck accepts, and keeps its spans and the highlighting styles.
#[test]
fn highlighted_code_chapter_passes_epubcheck() {
    let post = concat!(
        "---\ntitle: Code\n---\n",
        "```ruby\n# a comment & more\ndef greet(name) = puts \"hi #{name} <b>\"\n```\n\n",
        "```python\nclass A:\n    def f(self): return 1 < 2 and 'x'\n```\n\n",
        "```coq\nTheorem t : forall n, n + 0 = n.\nProof. intros. reflexivity. Qed.\n```\n\n",
        "{% raw %}\n```liquid\n{% if a < b %}{{ x | escape }}{% endif %}\n```\n{% endraw %}\n\n",
        "```yaml\nkey: value # note\n```\n\n",
        "```html\n<p class=\"x\">a &amp; b</p>\n```\n\n",
        "{% highlight js linenos mark_lines=\"2\" %}\nconst a = 1;\nif (a < 2) { alert(\"<&>\"); }\n{% endhighlight %}\n",
    );
    let dir = common::site_dir(&[
        ("_config.yml", "title: Code\nlang: en\n"),
        ("_posts/2024-01-02-code.md", post),
    ]);
    let site = common::read_rendered(dir.path());
    let built = epub::build(&site, &ConvertOptions::default()).expect("a book");
    let book = unzip(&built.bytes);
    let chapter = book.text("EPUB/post-0001.xhtml");
    let xml = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    };
    roxmltree::Document::parse_with_options(&chapter, xml).expect("the chapter is well-formed XML");
    for span in [
        r#"<span class="k">def</span>"#,
        r#"<span class="nc">A</span>"#,
        r#"<span class="k">Theorem</span>"#,
        r#"<span class="kr">if</span>"#,
        r#"<span class="na">key</span>"#,
        r#"class="hll""#,
        r#"class="rouge-table""#,
    ] {
        assert!(chapter.contains(span), "{span} in:\n{chapter}");
    }
    assert!(book.text("EPUB/css/book.css").contains(".highlight .k,"));
    assert_valid("highlighted-code", &built.bytes);
}
