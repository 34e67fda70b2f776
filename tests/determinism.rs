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
    convert_env(site, format, out, threads, &[])
}

fn convert_env(
    site: &Path,
    format: &str,
    out: &Path,
    threads: Option<usize>,
    env: &[(&str, &str)],
) -> harness::Run {
    let mut args: Vec<std::ffi::OsString> = vec![
        "convert".into(),
        site.into(),
        "--to".into(),
        format.into(),
        "-o".into(),
        out.into(),
    ];
    if let Some(n) = threads {
        args.push("--threads".into());
        args.push(n.to_string().into());
    }
    harness::run_env(&args, env)
}

/// The diagnostics a run printed: its stderr without the closing summary
/// line, which names OUT and the time taken.
fn diagnostics(stderr: &str, format: &str) -> Vec<String> {
    let summary = format!("{format}: ");
    stderr
        .lines()
        .filter(|l| !l.starts_with(&summary))
        .map(str::to_string)
        .collect()
}

/// What differs between two output trees (empty when byte-identical).
fn tree_differences(label: &str, a: &Path, b: &Path) -> (Vec<String>, usize) {
    let (ta, tb) = (harness::read_tree(a), harness::read_tree(b));
    let keys_a: Vec<_> = ta.keys().collect();
    let keys_b: Vec<_> = tb.keys().collect();
    if keys_a != keys_b {
        return (
            vec![format!(
                "{label}: file lists differ: {} vs {} files",
                keys_a.len(),
                keys_b.len()
            )],
            0,
        );
    }
    let problems = ta
        .iter()
        .filter(|(path, bytes)| tb.get(*path) != Some(*bytes))
        .map(|(path, _)| format!("{label}: {} differs", path.display()))
        .collect();
    (problems, ta.len())
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
            if diagnostics(&ra.stderr, fmt) != diagnostics(&rb.stderr, fmt) {
                problems.push(format!("{name}/{fmt}: stderr differs"));
            }
            let (mut p, n) = tree_differences(&format!("{name}/{fmt}"), &a, &b);
            problems.append(&mut p);
            files += n;
            compared += 1;
        }
    }
    eprintln!("determinism: {compared} site×format pairs, {files} files compared byte for byte");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(compared >= 5, "only {compared} pairs compared");
}

/// Top-level text is kept out of the Liquid parser for speed
/// (`content/raw_runs.rs`); the full parse, asked for with
/// `JEKYLL_MIGRATE_FULL_LIQUID_PARSE`, must give the same bytes on every
/// corpus site, the demo blog and a synthetic blog.
#[test]
fn keeping_text_out_of_the_liquid_parser_changes_nothing() {
    let tmp = tempfile::tempdir().expect("tmp");
    let synth = tmp.path().join("synth-site");
    jekyll_migrate::synth::generate(&synth, 200, 7).expect("synthetic site");
    let mut sites: Vec<(String, std::path::PathBuf)> = common::corpus_sites()
        .into_iter()
        .map(|n| (n.clone(), common::corpus_dir().join(n)))
        .collect();
    sites.push((
        "demo-blog".into(),
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/demo-blog"),
    ));
    sites.push(("synthetic".into(), synth));
    let mut problems = Vec::new();
    let mut files = 0;
    for (name, site) in &sites {
        // Hugo keeps the Liquid output as Markdown; JSON Feed holds the HTML.
        for fmt in ["hugo", "jsonfeed"] {
            let fast = tmp.path().join(format!("{name}-{fmt}-fast"));
            let full = tmp.path().join(format!("{name}-{fmt}-full"));
            let rf = convert(site, fmt, &fast, None);
            let rs = convert_env(
                site,
                fmt,
                &full,
                None,
                &[("JEKYLL_MIGRATE_FULL_LIQUID_PARSE", "1")],
            );
            if rf.code != rs.code || diagnostics(&rf.stderr, fmt) != diagnostics(&rs.stderr, fmt) {
                problems.push(format!(
                    "{name}/{fmt}: exit {:?} vs {:?}, or stderr differs\n{}\n---\n{}",
                    rf.code, rs.code, rf.stderr, rs.stderr
                ));
                continue;
            }
            let (mut p, n) = tree_differences(&format!("{name}/{fmt}"), &fast, &full);
            problems.append(&mut p);
            files += n;
        }
    }
    eprintln!("full Liquid parse: {files} files compared byte for byte");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(files > 500, "only {files} files compared");
}
