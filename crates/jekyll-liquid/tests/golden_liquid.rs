//! golden-liquid (the language-independent Liquid test suite) as Jekyll 4.3
//! rendered each case: every case in `../shared/corpus/golden-liquid/t/` is
//! rendered with its front matter as `page`, and compared byte for byte with
//! the article Jekyll wrote in `golden-liquid.site/t/`.
//!
//! Every case is identical (817 of 817). No known difference remains; any
//! that appears is printed with a short diff and fails the floor. One fact
//! of Jekyll's, not of Liquid's, matters here: `increment`/`decrement`
//! counters live in the site payload, shared by every page in render order,
//! so the cases are rendered in path order with their counters carried over
//! (`t/0057`, `t/0784`, `t/0965`–`t/0969` depend on it).

use jekyll_liquid::{Engine, Hash, Template, Value};
use std::path::PathBuf;

/// Identical cases needed to pass: all 817 (every case Jekyll renders).
const FLOOR: usize = 817;

fn corpus() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus")
}

/// Front matter (one JSON line between `---` lines) and the template after it.
fn split_page(src: &str) -> Option<(serde_json::Value, &str)> {
    let rest = src.strip_prefix("---\n")?;
    let end = rest.find("\n---\n")?;
    let fm = serde_json::from_str(&rest[..end]).ok()?;
    Some((fm, &rest[end + 5..]))
}

fn short_diff(want: &str, got: &str) -> String {
    let common = want
        .bytes()
        .zip(got.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    let mut start = common.saturating_sub(20);
    while !want.is_char_boundary(start) || !got.is_char_boundary(start) {
        start -= 1;
    }
    let clip = |s: &str| -> String {
        s[start..]
            .chars()
            .take(70)
            .collect::<String>()
            .escape_debug()
            .to_string()
    };
    format!(
        "at byte {common}: want «{}» got «{}»",
        clip(want),
        clip(got)
    )
}

#[test]
fn golden_liquid_as_jekyll_renders_it() {
    let root = corpus();
    let tsv = std::fs::read_to_string(root.join("golden-liquid.tests.tsv"))
        .expect("golden-liquid.tests.tsv");
    let engine = Engine::jekyll();
    let mut total = 0;
    let mut same = 0;
    let mut report = Vec::new();
    // Jekyll keeps increment/decrement counters in the site payload: they go
    // on from page to page, in the order Jekyll renders them (by path).
    let mut counters = Hash::new();
    for line in tsv.lines().skip(1) {
        let Some((page, name)) = line.split_once('\t') else {
            continue;
        };
        let src = std::fs::read_to_string(root.join("golden-liquid").join(page)).expect("case");
        let out = std::fs::read_to_string(root.join("golden-liquid.site").join(page))
            .expect("Jekyll's output");
        let want = out
            .strip_prefix("<article>")
            .and_then(|s| s.strip_suffix("</article>\n"))
            .expect("article wrapper");
        let (fm, template) = split_page(&src).expect("front matter");
        let mut globals = Hash::new();
        globals.insert("page".into(), Value::from_json(&fm));
        let t = Template::parse(template, &engine);
        let got = t
            .render_with_counters(&engine, &globals, &mut counters)
            .output;
        total += 1;
        if got == want {
            same += 1;
        } else {
            report.push(format!("{page} {name}: {}", short_diff(want, &got)));
        }
    }
    for r in &report {
        println!("{r}");
    }
    println!(
        "golden-liquid: {same}/{total} identical ({:.1}%)",
        same as f64 * 100.0 / total.max(1) as f64
    );
    assert!(
        same >= FLOOR,
        "{same} identical cases, below the floor of {FLOOR}"
    );
}
