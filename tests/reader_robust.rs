//! The reader on what users feed it: symlink loops and links out of the
//! site, CRLF files with a byte-order mark, invalid UTF-8, a permalink that
//! climbs out of the site, and many posts.

use std::fs;
use std::path::Path;

use jekyll_migrate::diagnostics::Severity;
use jekyll_migrate::jekyll::{read_site, ReadOptions};

fn write(root: &Path, rel: &str, bytes: &[u8]) {
    let p = root.join(rel);
    fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
    fs::write(p, bytes).expect("write");
}

#[cfg(unix)]
#[test]
fn symlink_loops_end_and_links_out_of_the_site_are_not_followed() {
    let outside = tempfile::tempdir().expect("tmp");
    write(
        outside.path(),
        "secret.md",
        b"---\ntitle: Secret\n---\nno\n",
    );
    let dir = tempfile::tempdir().expect("tmp");
    let root = dir.path();
    write(root, "a/page.md", b"---\ntitle: A\n---\nhi\n");
    std::os::unix::fs::symlink(root.join("a"), root.join("a/loop")).expect("symlink");
    std::os::unix::fs::symlink(outside.path().join("secret.md"), root.join("leak.md"))
        .expect("symlink");
    std::os::unix::fs::symlink(root.join("a/page.md"), root.join("alias.md")).expect("symlink");

    let site = read_site(root, &ReadOptions::default()).expect("read");
    let mut sources: Vec<_> = site.documents.iter().map(|d| d.source.as_str()).collect();
    sources.sort();
    assert_eq!(sources, ["a/page.md", "alias.md"]);
    assert!(site
        .diagnostics
        .iter()
        .any(|d| d.kind == "symlink-outside" && d.file == "leak.md"));
}

#[test]
fn crlf_with_bom_invalid_utf8_and_traversal() {
    let dir = tempfile::tempdir().expect("tmp");
    let root = dir.path();
    write(
        root,
        "_posts/2020-05-05-windows.md",
        b"\xEF\xBB\xBF---\r\ntitle: Windows\r\npermalink: ../../etc/x\r\n---\r\nline one\r\nline two\r\n",
    );
    write(root, "bad.md", b"---\ntitle: Bad\n---\ncaf\xE9 au lait\n");
    write(root, "ok.md", b"---\ntitle: Ok\n---\nfine\n");

    let site = read_site(root, &ReadOptions::default()).expect("read");
    let post = site
        .documents
        .iter()
        .find(|d| d.source == "_posts/2020-05-05-windows.md")
        .expect("the BOM post is read, as Jekyll strips the mark");
    assert_eq!(post.title.as_deref(), Some("Windows"));
    assert_eq!(post.body, "line one\nline two\n");
    assert_eq!(post.body_line, 5);
    // Jekyll's sanitizing turns `..` into `/`, so nothing climbs out.
    assert_eq!(post.url, "/etc/x");

    assert!(site.documents.iter().any(|d| d.source == "ok.md"));
    assert!(site.documents.iter().all(|d| d.source != "bad.md"));
    let bad: Vec<_> = site
        .diagnostics
        .iter()
        .filter(|d| d.file == "bad.md")
        .collect();
    assert_eq!(bad.len(), 1, "{bad:?}");
    assert_eq!(bad[0].severity, Severity::Error);
    assert_eq!((bad[0].line, bad[0].column), (Some(4), Some(4)));
}

#[test]
fn ten_thousand_posts_are_read_in_order() {
    let dir = tempfile::tempdir().expect("tmp");
    let root = dir.path();
    for i in 0..10_000u32 {
        let day = i % 28 + 1;
        let month = (i / 28) % 12 + 1;
        let year = 2000 + i / 336;
        write(
            root,
            &format!("_posts/{year}-{month:02}-{day:02}-post-{i}.md"),
            format!("---\ntitle: Post {i}\ntags: [t{}]\n---\nBody {i}\n", i % 7).as_bytes(),
        );
    }
    let started = std::time::Instant::now();
    let site = read_site(root, &ReadOptions::default()).expect("read");
    let took = started.elapsed();
    eprintln!("read 10000 posts in {took:?}");
    assert_eq!(site.documents.len(), 10_000);
    let problems: Vec<_> = site
        .diagnostics
        .iter()
        .filter(|d| d.severity > Severity::Info)
        .collect();
    assert!(problems.is_empty(), "{problems:?}");
    let first = &site.documents[0];
    assert_eq!(first.url, "/2000/01/01/post-0.html");
    let last = &site.documents[9_999];
    assert_eq!(last.title.as_deref(), Some("Post 9999"));
    // Dates only go up.
    assert!(site.documents.windows(2).all(|w| w[0].date <= w[1].date));
    assert!(took.as_secs() < 60, "reading took {took:?}");
}

#[test]
fn unstable_and_odd_permalinks_are_reported() {
    let dir = tempfile::tempdir().expect("tmp");
    let root = dir.path();
    write(
        root,
        "_config.yml",
        b"collections:\n  talks:\n    output: true\n    permalink: /:collection/:year/:title/\n",
    );
    write(root, "_talks/intro.md", b"---\ntitle: Intro\n---\nx\n");
    write(root, "_talks/dated.md", b"---\ndate: 2019-05-01\n---\nx\n");
    write(root, "odd.md", b"---\npermalink: 5\n---\nx\n");
    let site = read_site(root, &ReadOptions::default()).expect("read");
    let kinds: Vec<(&str, &str)> = site
        .diagnostics
        .iter()
        .filter(|d| d.severity > Severity::Info)
        .map(|d| (d.file.as_str(), d.kind.as_str()))
        .collect();
    assert_eq!(
        kinds,
        [
            ("_talks/intro.md", "url-from-build-time"),
            ("odd.md", "permalink-not-text"),
        ]
    );
    let dated = site
        .documents
        .iter()
        .find(|d| d.source == "_talks/dated.md")
        .expect("dated talk");
    assert_eq!(dated.url, "/talks/2019/dated/");
    let odd = site
        .documents
        .iter()
        .find(|d| d.source == "odd.md")
        .expect("odd");
    assert_eq!(odd.url, "/odd.html");
}

#[cfg(unix)]
#[test]
fn a_file_name_that_is_not_utf8_is_reported() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().expect("tmp");
    let root = dir.path();
    write(root, "ok.md", b"---\ntitle: Ok\n---\nfine\n");
    let name = std::ffi::OsStr::from_bytes(b"caf\xE9.md");
    fs::write(root.join(name), b"---\ntitle: Latin-1 name\n---\n").expect("write");
    let site = read_site(root, &ReadOptions::default()).expect("read");
    assert_eq!(site.documents.len(), 1);
    let d: Vec<_> = site
        .diagnostics
        .iter()
        .filter(|d| d.kind == "file-name")
        .collect();
    assert_eq!(d.len(), 1, "{:?}", site.diagnostics);
    assert_eq!(d[0].severity, Severity::Error);
    assert!(d[0].file.starts_with("caf"), "{}", d[0].file);
}

#[test]
fn toml_config_and_theme_note() {
    let dir = tempfile::tempdir().expect("tmp");
    let root = dir.path();
    write(
        root,
        "_config.toml",
        b"title = \"Toml site\"\npermalink = \"/:title/\"\ntheme = \"minima\"\n",
    );
    write(root, "_posts/2020-01-01-a-b.md", b"---\n---\nx\n");
    let site = read_site(root, &ReadOptions::default()).expect("read");
    assert_eq!(site.config.title.as_deref(), Some("Toml site"));
    assert_eq!(site.documents[0].url, "/a-b/");
    assert!(site
        .diagnostics
        .iter()
        .any(|d| d.kind == "theme" && d.message.contains("minima")));
}

#[test]
fn bad_dates_are_errors_only_where_jekyll_fails() {
    let dir = tempfile::tempdir().expect("tmp");
    let root = dir.path();
    write(
        root,
        "_posts/2020-01-01-post.md",
        b"---\ndate: someday\n---\nx\n",
    );
    write(
        root,
        "page.md",
        b"---\ndate: someday\nlast_modified_at: later\n---\nx\n",
    );
    let site = read_site(root, &ReadOptions::default()).expect("read");
    let found: Vec<(&str, Severity)> = site
        .diagnostics
        .iter()
        .filter(|d| d.kind == "invalid-date")
        .map(|d| (d.file.as_str(), d.severity))
        .collect();
    assert_eq!(
        found,
        [
            ("_posts/2020-01-01-post.md", Severity::Error),
            ("page.md", Severity::Warning),
            ("page.md", Severity::Warning),
        ]
    );
    // The post falls back to its file name's date, as its URL shows.
    let post = &site.documents[0];
    assert_eq!(post.url, "/2020/01/01/post.html");
    assert_eq!(
        post.date.map(|d| d.rfc3339()).as_deref(),
        Some("2020-01-01T00:00:00+00:00")
    );
}
