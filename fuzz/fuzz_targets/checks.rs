#![allow(dead_code)] // each fuzz target uses one of these
//! What each fuzz target checks, shared with `tests/fuzz_regressions.rs`,
//! which replays the inputs that once found bugs.

use jekyll_migrate::content;
use jekyll_migrate::ir::{CollectionInfo, DocKind, Document, Include, Site};
use jekyll_migrate::jekyll::{source, yaml};

/// Any bytes as a source file: NUL and UTF-8 checks, byte-order mark, front
/// matter split, YAML as Psych reads it, line-end normalisation; then the
/// same text as a whole YAML document (`_config.yml`, `_data`).
pub fn front_matter(bytes: &[u8]) {
    let mut diags = Vec::new();
    if let Some(src) = source::from_bytes(bytes, "_posts/2020-01-01-fuzz.md", &mut diags) {
        // The body line points inside the file (or just past its end).
        let lines = bytes.iter().filter(|b| **b == b'\n').count() + 2;
        assert!(src.body_line >= 1 && src.body_line <= lines);
        assert!(!src.body.contains("\r\n"));
    }
    for d in &diags {
        assert!(d.line.is_none_or(|l| l >= 1));
        assert!(d.column.is_none_or(|c| c >= 1));
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        let _ = yaml::parse(text);
    }
}

fn post(source: &str, url: &str, body: &str) -> Document {
    let mut d = Document::new(DocKind::Post, source);
    d.url = url.into();
    d.title = Some("Post".into());
    d.collection = Some("posts".into());
    d.body = body.into();
    d.body_line = 4;
    d
}

/// Any text as the body of one post of a small site (and as an include):
/// Liquid with Jekyll's tags, filters and includes, one of which includes
/// itself, the kramdown dialect, and HTML rendering. Every document must
/// come out rendered, and no diagnostic may be an internal error (a caught
/// panic).
pub fn content(bytes: &[u8]) {
    let Ok(body) = std::str::from_utf8(bytes) else {
        return;
    };
    let mut site = Site::default();
    site.config.url = Some("https://example.org".into());
    site.config.baseurl = "/blog".into();
    site.config.collections.push(CollectionInfo {
        label: "posts".into(),
        output: true,
        permalink: None,
        directory: "_posts".into(),
    });
    site.documents = vec![
        post(
            "_posts/2020-01-01-a.md",
            "/2020/01/01/a.html",
            "first *post*",
        ),
        post("_posts/2020-01-02-fuzz.md", "/2020/01/02/fuzz.html", body),
    ];
    site.includes = vec![
        Include {
            name: "box.html".into(),
            text: "<div>{{ include.t | upcase }}</div>".into(),
        },
        Include {
            name: "self.html".into(),
            text: "x{% include self.html %}".into(),
        },
        Include {
            name: "fuzz.html".into(),
            text: body.into(),
        },
    ];
    content::process(&mut site);
    for doc in &site.documents {
        assert!(doc.html.is_some(), "{} was not rendered", doc.source);
    }
    let bugs: Vec<_> = site
        .diagnostics
        .iter()
        .filter(|d| d.kind == "internal-error")
        .collect();
    assert!(bugs.is_empty(), "{bugs:?}");
}

/// Any text as the rendered HTML of one post, made into an EPUB: the book
/// is built, and every XHTML file in it is well-formed XML (the EPUB
/// converter parses the HTML as a browser would and writes XHTML).
pub fn xhtml(bytes: &[u8]) {
    use jekyll_migrate::converters::{epub, ConvertOptions};
    use std::io::Read;
    let Ok(html) = std::str::from_utf8(bytes) else {
        return;
    };
    let mut site = Site::default();
    site.config.url = Some("https://example.org".into());
    site.config.title = Some("Fuzz".into());
    site.config.collections.push(CollectionInfo {
        label: "posts".into(),
        output: true,
        permalink: None,
        directory: "_posts".into(),
    });
    let mut doc = post("_posts/2020-01-02-fuzz.md", "/2020/01/02/fuzz.html", "x");
    doc.date = jekyll_migrate::jekyll::dates::parse(
        "2020-01-02",
        &jekyll_migrate::jekyll::dates::SiteZone::default(),
    );
    doc.html = Some(html.to_string());
    site.documents = vec![doc];
    let book = epub::build(&site, &ConvertOptions::default()).expect("the book is built");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(book.bytes)).expect("a zip");
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).expect("entry");
        let name = f.name().to_string();
        if !(name.ends_with(".xhtml") || name.ends_with(".opf") || name.ends_with(".ncx")) {
            continue;
        }
        let mut text = String::new();
        f.read_to_string(&mut text).expect("UTF-8 entry");
        if let Err(e) = roxmltree::Document::parse_with_options(
            &text,
            roxmltree::ParsingOptions {
                allow_dtd: true,
                ..Default::default()
            },
        ) {
            panic!("{name} is not well-formed XML: {e}\n{text}");
        }
    }
}
