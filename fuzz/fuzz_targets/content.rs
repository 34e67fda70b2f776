//! Any text as the body of one post of a small site: Liquid (with Jekyll's
//! tags, filters and includes, one of which includes itself) and the
//! kramdown dialect, then HTML rendering.
#![no_main]

use jekyll_migrate::content;
use jekyll_migrate::ir::{CollectionInfo, DocKind, Document, Include, Site};
use libfuzzer_sys::fuzz_target;

fn post(source: &str, url: &str, body: &str) -> Document {
    let mut d = Document::new(DocKind::Post, source);
    d.url = url.into();
    d.title = Some("Post".into());
    d.collection = Some("posts".into());
    d.body = body.into();
    d.body_line = 4;
    d
}

fuzz_target!(|bytes: &[u8]| {
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
        post("_posts/2020-01-01-a.md", "/2020/01/01/a.html", "first *post*"),
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
        // The fuzzed text as an include too, so include parsing is reached.
        Include {
            name: "fuzz.html".into(),
            text: body.into(),
        },
    ];
    content::process(&mut site);
    for doc in &site.documents {
        assert!(doc.html.is_some(), "{} was not rendered", doc.source);
    }
});
