//! Replays the fuzz inputs that once found bugs (`tests/fuzz_regressions/
//! TARGET/*`) through the same checks the fuzz targets run.

#[path = "../fuzz/fuzz_targets/checks.rs"]
mod checks;

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Once;

/// Panics seen, caught or not: the fuzzer aborts on any panic, even one the
/// program catches (a caught panic in a parser still loses a document).
static PANICS: AtomicUsize = AtomicUsize::new(0);

fn count_panics() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            PANICS.fetch_add(1, Ordering::SeqCst);
            default(info);
        }));
    });
}

fn replay(target: &str, check: fn(&[u8])) -> usize {
    count_panics();
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
        assert_eq!(
            PANICS.load(Ordering::SeqCst),
            0,
            "a panic (maybe caught) while replaying {}",
            f.display()
        );
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
