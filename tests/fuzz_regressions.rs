//! Replays the fuzz inputs that once found bugs (`tests/fuzz_regressions/
//! TARGET/*`) through the same checks the fuzz targets run.

#[path = "../fuzz/fuzz_targets/checks.rs"]
mod checks;

use std::path::Path;

fn replay(target: &str, check: fn(&[u8])) -> usize {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz_regressions")
        .join(target);
    let mut n = 0;
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .map(|rd| rd.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    files.sort();
    for f in files.iter().filter(|f| f.is_file()) {
        let bytes = std::fs::read(f).expect("read");
        eprintln!("replaying {}", f.display());
        check(&bytes);
        n += 1;
    }
    n
}

#[test]
fn front_matter_regressions() {
    assert!(replay("front_matter", checks::front_matter) >= 1);
}

#[test]
fn content_regressions() {
    replay("content", checks::content);
}

#[test]
fn xhtml_regressions() {
    replay("xhtml", checks::xhtml);
    // The check itself runs on HTML no XML parser would take.
    checks::xhtml(
        b"<p>a<b>b<i>c</p><br><img src=x><script>if (a < b) {}</script>&nbsp;&bogus; \
          <table><td>cell<tr><div>x</table><svg><foreignObject><p>y</svg><!-- -- -->",
    );
}

/// Found by the fourth content fuzz run (after 123,170 executions): a body
/// on which pulldown-cmark 0.13.6 panics while slicing text (`begin > end`
/// in `item_to_event`). The run survives it: the per-document guard turns
/// the panic into an `internal-error` diagnostic for that file and converts
/// the rest; but the document loses its rendering, so it stays open.
#[test]
#[ignore = "open: pulldown-cmark 0.13.6 panics on this body (parse.rs:2327, begin > end); \
            caught per document in real runs; needs a minimal case for an upstream report \
            or a pre-pass that avoids the construct"]
fn content_known_pulldown_cmark_panic() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz_regressions/known/content-pulldown-slice-77940180");
    checks::content(&std::fs::read(path).expect("read"));
}
