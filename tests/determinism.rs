//! Deterministic output (issue 9): every corpus site, converted by every
//! converter in the registry once with `--threads 1` and once with all
//! threads, gives byte-identical trees (every file compared) and the same
//! diagnostics.

mod common;
mod harness;

use std::path::Path;

use jekyll_migrate::converters;

/// Converts `site` to `format` at `out`, with `threads` worker threads
/// (all when `None`).
fn convert(site: &Path, format: &str, out: &Path, threads: Option<usize>) -> harness::Run {
    let mut args: Vec<std::ffi::OsString> = vec![
        "convert".into(),
        site.into(),
        "--to".into(),
        format.into(),
        "-o".into(),
        out.into(),
        "--quiet".into(),
    ];
    if let Some(n) = threads {
        args.push("--threads".into());
        args.push(n.to_string().into());
    }
    harness::run(&args)
}

#[test]
fn one_thread_and_all_threads_give_identical_output() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut compared = 0usize;
    let mut files = 0usize;
    let mut problems = Vec::new();
    for name in common::corpus_sites() {
        let site = common::corpus_dir().join(&name);
        for conv in converters::registry() {
            let fmt = conv.name();
            let a = tmp.path().join(format!("{name}-{fmt}-1"));
            let b = tmp.path().join(format!("{name}-{fmt}-n"));
            let ra = convert(&site, fmt, &a, Some(1));
            let rb = convert(&site, fmt, &b, None);
            if ra.code != rb.code || !matches!(ra.code, Some(0 | 1)) {
                problems.push(format!(
                    "{name}/{fmt}: exit {:?} vs {:?}\n{}{}",
                    ra.code, rb.code, ra.stderr, rb.stderr
                ));
                continue;
            }
            if ra.stderr != rb.stderr {
                problems.push(format!("{name}/{fmt}: stderr differs"));
            }
            let (ta, tb) = (harness::read_tree(&a), harness::read_tree(&b));
            let keys_a: Vec<_> = ta.keys().collect();
            let keys_b: Vec<_> = tb.keys().collect();
            if keys_a != keys_b {
                problems.push(format!(
                    "{name}/{fmt}: file lists differ: {} vs {} files",
                    keys_a.len(),
                    keys_b.len()
                ));
                continue;
            }
            for (path, bytes) in &ta {
                if tb.get(path) != Some(bytes) {
                    problems.push(format!("{name}/{fmt}: {} differs", path.display()));
                }
            }
            files += ta.len();
            compared += 1;
        }
    }
    eprintln!("determinism: {compared} site×format pairs, {files} files compared byte for byte");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(compared >= 5, "only {compared} pairs compared");
}
