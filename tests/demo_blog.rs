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
