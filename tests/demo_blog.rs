//! `fixtures/demo-blog`, the README's demo site, read by the reader.

use std::path::{Path, PathBuf};

use jekyll_migrate::jekyll::{read_site, ReadOptions};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(name)
}

#[test]
fn demo_blog_reads_without_warnings_and_with_jekylls_urls() {
    let site = read_site(&fixture("demo-blog"), &ReadOptions::default()).expect("read");
    let problems: Vec<_> = site
        .diagnostics
        .iter()
        .filter(|d| d.severity > jekyll_migrate::diagnostics::Severity::Info)
        .collect();
    assert!(problems.is_empty(), "{problems:?}");
    let url = |src: &str| {
        site.documents
            .iter()
            .find(|d| d.source == src)
            .map(|d| d.url.as_str())
    };
    // `permalink: pretty`, categories from front matter and from the folder
    // above `_posts`, the collection's own permalink.
    assert_eq!(
        url("_posts/2020-02-29-kramdown-tour.md"),
        Some("/code/writing/2020/02/29/kramdown-tour/")
    );
    assert_eq!(
        url("travel/_posts/2023-07-14-lisbon.md"),
        Some("/travel/2023/07/14/lisbon/")
    );
    assert_eq!(url("_projects/alpha.md"), Some("/projects/alpha/"));
    assert_eq!(url("about.md"), Some("/about/"));
    assert_eq!(url("assets/css/style.scss"), Some("/assets/css/style.css"));
    assert_eq!(url("_drafts/ideas.md"), None);
    assert!(url("README.md").is_none());
}

/// Zola asks the content layer for the HTML of the 404 page only (it writes
/// the rest as Markdown); that page's rendered HTML becomes Zola's
/// `templates/404.html`, with no warning that it is missing.
#[test]
fn zola_gets_the_html_of_the_404_page() {
    let out = tempfile::tempdir().expect("tmp");
    let zola = out.path().join("zola");
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_jekyll-migrate"))
        .args(["convert"])
        .arg(fixture("demo-blog"))
        .args(["--to", "zola", "-o"])
        .arg(&zola)
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("zola-404"), "{stderr}");
    let template = std::fs::read_to_string(zola.join("templates/404.html")).expect("404 template");
    assert!(
        template.contains("<p>That page is not here.</p>"),
        "{template}"
    );
}
