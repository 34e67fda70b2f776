//! Property tests for URL and path mapping (issue 9): whatever a permalink,
//! slug, title or category says, the URL the reader computes and the output
//! path made of it either pass `output::safe_relative` and stay inside OUT,
//! or are refused; nothing ever escapes.

use std::path::{Component, Path};

use jekyll_migrate::jekyll::url::unescape_path;
use jekyll_migrate::jekyll::{read_site, ReadOptions};
use jekyll_migrate::output::{safe_relative, OutputTree};
use proptest::prelude::*;

/// Strings built from the pieces path attacks are made of, plus any text.
fn hostile_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("..".to_string()),
        Just(".".to_string()),
        Just("/".to_string()),
        Just("//".to_string()),
        Just("\\".to_string()),
        Just("%2e".to_string()),
        Just("%2E%2e".to_string()),
        Just("%2f".to_string()),
        Just("%00".to_string()),
        Just("\0".to_string()),
        Just("C:".to_string()),
        Just("~".to_string()),
        Just(":title".to_string()),
        Just(":slug".to_string()),
        Just(":categories".to_string()),
        Just(":year".to_string()),
        Just("é".to_string()),
        Just(" ".to_string()),
        "[a-z]{1,3}",
        "\\PC{0,4}",
    ];
    prop::collection::vec(piece, 0..12).prop_map(|v| v.concat())
}

/// True when `p` is made only of plain names (no root, `..`, `.`, prefix).
fn plain(p: &Path) -> bool {
    p.components().all(|c| matches!(c, Component::Normal(_)))
}

/// The property every output path must have: refused, or plain, free of
/// NUL and backslash, and inside any root it is joined to.
fn check_output_path(rel: &str) -> Result<(), TestCaseError> {
    if let Ok(p) = safe_relative(rel) {
        prop_assert!(plain(&p), "{rel:?} -> {p:?}");
        let s = p.to_string_lossy();
        prop_assert!(!s.contains('\0') && !s.contains('\\'), "{rel:?} -> {p:?}");
        let root = Path::new("/srv/out");
        prop_assert!(root.join(&p).starts_with(root));
        prop_assert!(!p.as_os_str().is_empty());
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn safe_relative_never_escapes(rel in hostile_text()) {
        check_output_path(&rel)?;
    }
}

proptest! {
    // Each case reads a site from disk: fewer cases.
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn reader_urls_map_to_safe_paths(
        permalink in hostile_text(),
        slug in hostile_text(),
        title in hostile_text(),
        category in hostile_text(),
        style in prop_oneof![Just(true), Just(false)],
    ) {
        let dir = tempfile::tempdir().expect("tmp");
        let root = dir.path().join("site");
        let q = |s: &str| serde_json::to_string(s).expect("json");
        let mut front = format!(
            "---\ntitle: {}\nslug: {}\ncategories: [{}]\n",
            q(&title),
            q(&slug),
            q(&category)
        );
        if style {
            front.push_str(&format!("permalink: {}\n", q(&permalink)));
        }
        front.push_str("---\nbody\n");
        std::fs::create_dir_all(root.join("_posts")).expect("mkdir");
        std::fs::write(root.join("_posts/2020-01-01-post.md"), front).expect("write");
        std::fs::write(
            root.join("_config.yml"),
            format!("permalink: {}\n", q(&format!("/:categories/{permalink}"))),
        )
        .expect("write");
        let site = read_site(&root, &ReadOptions::default()).expect("read");
        prop_assert_eq!(site.documents.len(), 1);
        let url = &site.documents[0].url;
        // Jekyll's sanitising leaves no `..` segment in a URL (a `.` may
        // stay, as in Jekyll: it names the folder itself, no escape).
        prop_assert!(
            url.split('/').all(|s| s != ".."),
            "URL {:?}",
            url
        );
        // Converters write the URL's path, decoded as Jekyll decodes it.
        let path = unescape_path(url);
        check_output_path(path.trim_start_matches('/'))?;
        check_output_path(url.trim_start_matches('/'))?;

        // And writing there really stays inside the tree.
        let out = dir.path().join("out");
        std::fs::create_dir(&out).expect("mkdir");
        let tree = OutputTree::new(&out);
        let rel = format!("{}/index.html", path.trim_start_matches('/'));
        let _ = tree.write(&rel, b"x");
        let mut names: Vec<String> = std::fs::read_dir(dir.path())
            .expect("list")
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        prop_assert_eq!(names, ["out", "site"]);
    }
}
