//! For every real site of `../shared/corpus`, `inspect --json` must give each
//! document the URL, title and date that real Jekyll 4.3 gave it
//! (`NAME.truth.tsv`), with no document missing or extra.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

/// Differences that do not come from the reader: (site, source, reason).
/// Each must still occur, so the list cannot go stale.
const KNOWN: &[(&str, &str, &str)] = &[
    (
        "jekyll-testsrc",
        "symlink-test/symlinked-file",
        "a symlink to index.html in Jekyll's repository; the corpus copy stores it as a \
         plain text file holding the link target, so it is a static file here",
    ),
    (
        "jekyll-testsrc",
        "symlink-test/symlinked-dir/main.scss",
        "symlinked-dir is a symlink in Jekyll's repository and a plain text file in the \
         corpus copy, so the page behind it does not exist here",
    ),
    (
        "mm-docs",
        "_posts/2010-10-25-post-future-date.md",
        "its date 9999-12-31 (New York) lies past the last instant the date library \
         represents (9999-12-30T22:00Z); the reader reports it and falls back to the file \
         name's date",
    ),
    (
        "jekyll-docs",
        "pages/redirects/github.html",
        "a `redirect_to` page: the truth build's jekyll-redirect-from plugin made it a \
         redirect (kind redirect), which this test leaves out; the reader keeps it as a page",
    ),
    (
        "jekyll-docs",
        "pages/redirects/issues.html",
        "a `redirect_to` page, made a redirect by jekyll-redirect-from in the truth build",
    ),
];

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus")
}

/// One expected document.
#[derive(Debug)]
struct Truth {
    url: String,
    title: String,
    date: String,
    kind: String,
}

fn read_truth(site: &str, drafts: bool) -> BTreeMap<String, Truth> {
    let name = if drafts { "truth.drafts" } else { "truth" };
    let path = corpus().join(format!("{site}.{name}.tsv"));
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let mut out = BTreeMap::new();
    for line in text.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        let [source, url, title, date, kind] = cols[..] else {
            panic!("bad truth line in {site}: {line:?}");
        };
        if !matches!(kind, "post" | "doc" | "page" | "draft") {
            continue;
        }
        out.insert(
            source.to_string(),
            Truth {
                url: url.into(),
                title: title.into(),
                date: date.into(),
                kind: kind.into(),
            },
        );
    }
    out
}

fn inspect(site: &str, drafts: bool) -> Value {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_jekyll-migrate"));
    cmd.args(["inspect", "--json"]);
    if drafts {
        cmd.arg("--drafts");
    }
    let out = cmd
        .arg(corpus().join(site))
        .output()
        .expect("run jekyll-migrate");
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "inspect --json on {site} did not print JSON ({e}); stderr:\n{}",
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

fn instant(s: &str) -> Option<jiff::Timestamp> {
    s.parse().ok()
}

/// `2026/11/25` from an RFC 3339 date.
fn ymd_path(date: &str) -> String {
    date.get(..10).unwrap_or("").replace('-', "/")
}

/// The differences between the reader and the truth for one site (with
/// `--drafts` when `drafts`).
fn differences(site: &str, drafts: bool) -> Vec<(String, String)> {
    let truth = read_truth(site, drafts);
    let ir = inspect(site, drafts);
    let mut diffs = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for doc in ir["documents"].as_array().expect("documents") {
        let s = |k: &str| doc[k].as_str().unwrap_or("").to_string();
        let source = s("source");
        // What Jekyll writes: published documents, items of output collections.
        let written = doc["published"] == Value::Bool(true)
            && doc["output"] == Value::Bool(true)
            && (drafts || doc["kind"] != "draft");
        if !written {
            continue;
        }
        seen.insert(source.clone());
        let Some(t) = truth.get(&source) else {
            diffs.push((source, format!("extra document (url {})", s("url"))));
            continue;
        };
        // A draft's date is its file's modification time, which differs
        // between the truth build's checkout and this one: compare its URL
        // with the date part taken from ours, and not its date.
        let is_draft = t.kind == "draft";
        let want_url = if is_draft {
            t.url.replace(&ymd_path(&t.date), &ymd_path(&s("date")))
        } else {
            t.url.clone()
        };
        if s("url") != want_url {
            diffs.push((
                source.clone(),
                format!("url {:?}, Jekyll {want_url:?}", s("url")),
            ));
        }
        if s("title") != t.title {
            diffs.push((
                source.clone(),
                format!("title {:?}, Jekyll {:?}", s("title"), t.title),
            ));
        }
        // Jekyll gives pages no date of its own; compare where it has one.
        let ours = s("date");
        let same = is_draft
            || match (instant(&ours), instant(&t.date)) {
                (Some(a), Some(b)) => a == b,
                (None, None) => true,
                (Some(_), None) => t.kind == "page",
                (None, Some(_)) => false,
            };
        if !same {
            diffs.push((
                source.clone(),
                format!("date {ours:?}, Jekyll {:?}", t.date),
            ));
        }
    }
    for (source, t) in &truth {
        if !seen.contains(source) {
            diffs.push((
                source.clone(),
                format!("missing {} (url {})", t.kind, t.url),
            ));
        }
    }
    diffs
}

fn check(site: &str) {
    check_with(site, false);
}

fn check_with(site: &str, drafts: bool) {
    let diffs = differences(site, drafts);
    let mut unexpected = Vec::new();
    for (source, what) in &diffs {
        match KNOWN.iter().find(|(s, src, _)| *s == site && src == source) {
            Some((_, _, why)) => eprintln!("{site}: {source}: {what} (known: {why})"),
            None => {
                eprintln!("{site}: {source}: {what}");
                unexpected.push(format!("{source}: {what}"));
            }
        }
    }
    let stale: Vec<_> = KNOWN
        .iter()
        .filter(|(s, src, _)| *s == site && !diffs.iter().any(|(d, _)| d == src))
        .collect();
    assert!(
        stale.is_empty(),
        "{site}: known differences that no longer occur: {stale:?}"
    );
    assert!(
        unexpected.is_empty(),
        "{site}: {} differences from Jekyll:\n{}",
        unexpected.len(),
        unexpected.join("\n")
    );
}

#[test]
fn lanyon_matches_jekyll() {
    check("lanyon");
}

#[test]
fn hux_zh_matches_jekyll() {
    check("hux-zh");
}

#[test]
fn mm_docs_matches_jekyll() {
    check("mm-docs");
}

#[test]
fn jekyll_docs_matches_jekyll() {
    check("jekyll-docs");
}

#[test]
fn jekyll_testsrc_matches_jekyll() {
    check("jekyll-testsrc");
}

#[test]
fn jekyll_testsrc_with_drafts_matches_jekyll() {
    check_with("jekyll-testsrc", true);
}

#[test]
fn mm_docs_with_drafts_matches_jekyll() {
    check_with("mm-docs", true);
}
