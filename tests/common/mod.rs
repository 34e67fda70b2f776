//! Helpers shared by the integration tests: the corpus in `../shared/corpus`,
//! its truth files, Jekyll's rendered pages, and visible-text similarity.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

pub mod epubcheck;

/// The corpus folder (`../shared/corpus` beside the crate).
pub fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus")
}

/// The conformance suites of the corpus: other projects' test cases, one a
/// page (kramdown's, golden-liquid's), judged by their own tests against
/// their own targets, not as real sites.
pub const CONFORMANCE_SUITES: &[&str] = &["kd-gfm", "kd-plain", "golden-liquid"];

/// The names of the real corpus sites (folders that have a
/// `NAME.truth.tsv`, the conformance suites left out).
pub fn corpus_sites() -> Vec<String> {
    let dir = corpus_dir();
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read the corpus at {}: {e}", dir.display()))
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.strip_suffix(".truth.tsv").map(str::to_string)
        })
        .filter(|n| !n.contains('.') && !CONFORMANCE_SUITES.contains(&n.as_str()))
        .collect();
    names.sort();
    assert!(
        !names.is_empty(),
        "no corpus sites found in {}",
        dir.display()
    );
    names
}

/// One row of `NAME.truth.tsv`.
#[derive(Debug, Clone)]
pub struct TruthRow {
    /// Source path relative to the site root.
    pub source: String,
    /// Jekyll's URL.
    pub url: String,
    /// Title (may be empty).
    pub title: String,
    /// RFC 3339 date (may be empty).
    pub date: String,
    /// post, doc, doc-nooutput, page, paginate, redirect, generated, draft.
    pub kind: String,
}

/// Reads `NAME.truth.tsv` (or another truth file given by its suffix).
pub fn truth(name: &str, suffix: &str) -> Vec<TruthRow> {
    let path = corpus_dir().join(format!("{name}.{suffix}"));
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            let get = |i: usize| f.get(i).copied().unwrap_or("").to_string();
            TruthRow {
                source: get(0),
                url: get(1),
                title: get(2),
                date: get(3),
                kind: get(4),
            }
        })
        .collect()
}

/// The file Jekyll wrote for `url` below `root` (`/a/` → `a/index.html`,
/// `/a.html` → `a.html`, `/a` → `a.html` or `a/index.html`), URL-unescaped.
pub fn file_for_url(root: &Path, url: &str) -> Option<PathBuf> {
    let path = percent_decode(url);
    let rel = path.trim_start_matches('/');
    let candidates = if rel.is_empty() || rel.ends_with('/') {
        vec![root.join(rel).join("index.html")]
    } else {
        vec![
            root.join(rel),
            root.join(format!("{rel}.html")),
            root.join(rel).join("index.html"),
        ]
    };
    candidates.into_iter().find(|p| p.is_file())
}

/// Decodes `%XX` escapes (the library's decoder).
pub fn percent_decode(s: &str) -> String {
    jekyll_migrate::urls::percent_decode(s)
}

/// The CONTENT of Jekyll's rendering of `url` in `NAME.site/` (the inside of
/// its `<article …>` wrapper), if Jekyll wrote that page.
pub fn jekyll_html(name: &str, url: &str) -> Option<String> {
    let root = corpus_dir().join(format!("{name}.site"));
    let file = file_for_url(&root, url)?;
    let text = String::from_utf8_lossy(&std::fs::read(file).ok()?).into_owned();
    let start = text.find("<article")?;
    let open_end = text[start..].find('>')? + start + 1;
    let end = text.rfind("</article>").unwrap_or(text.len());
    Some(text[open_end..end.max(open_end)].to_string())
}

/// Visible text of HTML (tags stripped, entities decoded, whitespace collapsed).
pub fn visible(html: &str) -> String {
    jekyll_migrate::text::visible_text(html)
}

/// Similarity of two visible texts in [0, 1]: the ratio of a character-level
/// diff (2 × matched characters / total characters) with white space removed,
/// so CJK text (no spaces between words) is judged as finely as English and
/// spacing alone never counts. 1.0 when both are empty.
pub fn similarity(ours: &str, theirs: &str) -> f64 {
    let a: String = ours.chars().filter(|c| !c.is_whitespace()).collect();
    let b: String = theirs.chars().filter(|c| !c.is_whitespace()).collect();
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    // A generous deadline: under load (tests run in parallel on few cores)
    // a short one cut diffs short and made scores flaky.
    let diff = similar::TextDiff::configure()
        .algorithm(similar::Algorithm::Patience)
        .timeout(std::time::Duration::from_secs(30))
        .diff_chars(&a, &b);
    f64::from(diff.ratio())
}

/// Summary of similarity scores: prints the worst `n` and returns the share
/// of scores at or above `threshold`.
pub fn report_scores(label: &str, scores: &mut [(f64, String)], threshold: f64, n: usize) -> f64 {
    scores.sort_by(|a, b| a.0.partial_cmp(&b.0).unwrap_or(std::cmp::Ordering::Equal));
    let ok = scores.iter().filter(|s| s.0 >= threshold).count();
    let share = if scores.is_empty() {
        1.0
    } else {
        ok as f64 / scores.len() as f64
    };
    eprintln!(
        "{label}: {ok}/{} documents at similarity >= {threshold} ({:.1}%)",
        scores.len(),
        share * 100.0
    );
    for (score, what) in scores.iter().take(n) {
        eprintln!("  {score:.3}  {what}");
    }
    share
}

/// Path of a tool installed by `scripts/install-test-tools.sh`, or `None`.
/// With CI=true a missing tool is a failure, not a skip.
pub fn tool(name: &str) -> Option<PathBuf> {
    let env_name = format!(
        "JEKYLL_MIGRATE_{}",
        name.to_uppercase().replace(['.', '-'], "_")
    );
    if let Ok(p) = std::env::var(&env_name) {
        return Some(PathBuf::from(p));
    }
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(".tools")
        .join(name);
    if p.exists() {
        return Some(p);
    }
    // scripts/test.sh (and so CI) installs every tool first and sets this:
    // there a missing tool is a failure, never a check quietly skipped.
    let required = ["JEKYLL_MIGRATE_REQUIRE_TOOLS", "CI"]
        .iter()
        .any(|v| std::env::var(v).is_ok_and(|v| v == "1" || v == "true"));
    if required {
        panic!(
            "{} is missing; run scripts/install-test-tools.sh (scripts/test.sh must have it)",
            p.display()
        );
    }
    eprintln!(
        "skipping: {} is missing; run scripts/install-test-tools.sh",
        p.display()
    );
    None
}

/// A Jekyll site in a fresh temporary folder, made of `files` (path
/// relative to the site, text); folders are made as needed.
pub fn site_dir(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, text) in files {
        let path = dir.path().join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(&path, text).expect("write");
    }
    dir
}

/// The site at `root`, read and rendered as `convert` does.
pub fn read_rendered(root: &Path) -> jekyll_migrate::ir::Site {
    let mut site =
        jekyll_migrate::jekyll::read_site(root, &jekyll_migrate::jekyll::ReadOptions::default())
            .unwrap_or_else(|e| panic!("reading {}: {e}", root.display()));
    jekyll_migrate::content::process(&mut site);
    site
}

/// What the diagnostics of `kind` say, field chosen by `pick`.
pub fn of_kind<'a>(
    diags: &'a [jekyll_migrate::diagnostics::Diagnostic],
    kind: &str,
    pick: fn(&jekyll_migrate::diagnostics::Diagnostic) -> &str,
) -> Vec<&'a str> {
    diags.iter().filter(|d| d.kind == kind).map(pick).collect()
}

/// Files of a Korean blog that sets no `lang`, with extra `_config.yml`
/// lines; its first post names its author by a `_data/authors.yml` key.
pub fn korean_site(config: &str) -> tempfile::TempDir {
    site_dir(&[
        (
            "_config.yml",
            &format!("title: 나의 블로그\nurl: https://example.com\n{config}"),
        ),
        (
            "_data/authors.yml",
            "robin:\n  name: Robin Sloan\n  uri: https://robinsloan.com\n",
        ),
        (
            "_posts/2020-01-01-hello.md",
            "---\ntitle: 안녕하세요\nauthor: robin\n---\n오늘은 날씨가 좋습니다. 한국어로 글을 씁니다.\n",
        ),
        (
            "_posts/2020-02-01-code.md",
            "---\ntitle: 코드\n---\n`cargo build` 명령으로 프로젝트를 빌드합니다.\n",
        ),
    ])
}

/// The same kind of blog in French, which says so with `lang: fr`.
pub fn french_site() -> tempfile::TempDir {
    site_dir(&[
        (
            "_config.yml",
            "title: Mon blog\nurl: https://example.com\nlang: fr\n",
        ),
        (
            "_posts/2020-01-01-bonjour.md",
            "---\ntitle: Bonjour\n---\nIl fait beau aujourd'hui.\n",
        ),
    ])
}

/// Reads and renders the site at `root` and converts it with `converter`
/// and the default options; a single-file format writes `file_name`.
pub fn convert_with(
    converter: &str,
    root: &Path,
    file_name: &str,
) -> (
    tempfile::TempDir,
    jekyll_migrate::converters::Summary,
    jekyll_migrate::ir::Site,
) {
    let site = read_rendered(root);
    let out = tempfile::tempdir().expect("temp dir");
    let mut tree = jekyll_migrate::output::OutputTree::new(out.path());
    let conv = jekyll_migrate::converters::find(converter)
        .unwrap_or_else(|| panic!("{converter} is registered"));
    // A folder format writes no single file.
    let single = conv.target(Path::new(file_name)) != jekyll_migrate::converters::Target::Dir;
    let summary = conv
        .convert(
            &site,
            &jekyll_migrate::converters::ConvertOptions::default(),
            &mut tree,
            single.then_some(file_name),
        )
        .expect("conversion succeeds");
    (out, summary, site)
}

/// Asserts the one note every format gives for a guessed language: an
/// `info[lang-guessed]` on `_config.yml` naming `tag`, word for word the
/// shared rule's.
pub fn assert_lang_guessed(diags: &[jekyll_migrate::diagnostics::Diagnostic], tag: &str) {
    let notes: Vec<_> = diags
        .iter()
        .filter(|d| d.kind.starts_with("lang-"))
        .collect();
    assert_eq!(notes.len(), 1, "{diags:#?}");
    let note = notes[0];
    assert_eq!(note.kind, "lang-guessed");
    assert_eq!(note.severity, jekyll_migrate::diagnostics::Severity::Info);
    assert_eq!(note.file, "_config.yml");
    for says in [format!("{tag:?}"), "guessed".into(), "set lang:".into()] {
        assert!(note.message.contains(&says), "{}", note.message);
    }
    // Word for word the same in every format, as written here.
    assert_eq!(
        note.message,
        format!(
            "the site is marked as {tag:?}, a language guessed from its text; set lang: in \
             _config.yml to choose"
        )
    );
}

/// Asserts that no note speaks of the site's language.
pub fn assert_no_lang_note(diags: &[jekyll_migrate::diagnostics::Diagnostic]) {
    let notes: Vec<_> = diags
        .iter()
        .filter(|d| d.kind.starts_with("lang-"))
        .collect();
    assert!(notes.is_empty(), "{notes:#?}");
}

/// The Django sample in a code block, as the post shows it (escaped
/// markup, which is text, not a link).
pub const DJANGO_SAMPLE: &str = r#"&lt;a href="{% url 'memo' %}"&gt;"#;

/// A post whose code blocks show Django templates: one written in HTML
/// (`<pre><code>` with escaped markup), one fenced in Markdown, beside a
/// real relative link.
pub fn django_site() -> tempfile::TempDir {
    site_dir(&[
        ("_config.yml", "title: Code\nurl: https://ex.com\n"),
        (
            "_posts/2020-01-01-html.html",
            "---\ntitle: In HTML\n---\n<p><a href=\"memo.html\">memo</a></p>\n<pre><code>{% raw %}&lt;a href=\"{% url 'memo' %}\"&gt;memo&lt;/a&gt;{% endraw %}</code></pre>\n",
        ),
        (
            "_posts/2020-01-02-markdown.md",
            "---\ntitle: In Markdown\n---\n```html\n{% raw %}<a href=\"{% url 'memo' %}\">memo</a>{% endraw %}\n```\n",
        ),
    ])
}

/// A site of posts quoting `http` pages (`<blockquote cite="http://…">`)
/// and drawing with inline SVG whose ids start with a digit (RSC-005 if
/// written as they are), references to them of every kind (`href`,
/// `xlink:href`, `url(#…)` in attributes and `style`, `aria-labelledby`),
/// two drawings reusing the same ids, what a book may not carry (script,
/// event attributes, `foreignObject`, a remote reference), and an SVG file
/// shown through `<img>`.
pub fn svg_site() -> tempfile::TempDir {
    site_dir(&[
        ("_config.yml", "title: Drawings\nurl: https://ex.com\nlang: en\n"),
        (
            "_posts/2021-03-01-quotes.html",
            "---\ntitle: Quotes\n---\n<blockquote cite=\"http://example.org/source\"><p>Quoted from the web.</p></blockquote>\n<p>He said <q cite=\"http://example.org/q\">hi</q>.</p>\n<p><img src=\"/assets/dot.svg\" alt=\"A red dot\"></p>\n",
        ),
        (
            "_posts/2021-03-02-drawings.html",
            concat!(
                "---\ntitle: Drawings\n---\n",
                "<p>A gradient square:</p>\n",
                "<svg width=\"120\" height=\"120\" viewBox=\"0 0 120 120\" role=\"img\" aria-labelledby=\"1-title\" onload=\"alert(1)\">\n",
                "<title id=\"1-title\">A square filled with a gradient</title>\n",
                "<defs><linearGradient id=\"2grad\"><stop offset=\"0\" stop-color=\"#036\"/><stop offset=\"1\" stop-color=\"#69c\"/></linearGradient>\n",
                "<clipPath id=\"3clip\"><circle cx=\"60\" cy=\"60\" r=\"50\"/></clipPath></defs>\n",
                "<rect id=\"4rect\" width=\"100\" height=\"100\" x=\"10\" y=\"10\" fill=\"url(#2grad)\" clip-path=\"url(#3clip)\" style=\"stroke: url(#2grad); stroke-width: 2\" onclick=\"steal()\"/>\n",
                "<use href=\"#4rect\" x=\"5\"/><use xlink:href=\"#4rect\" y=\"5\"/><use href=\"https://example.org/sprite.svg#icon\"/>\n",
                "<script>alert(2)</script><foreignObject width=\"10\" height=\"10\"><p>HTML inside</p></foreignObject>\n",
                "</svg>\n",
                "<p>The same ids again, in a second drawing:</p>\n",
                "<svg width=\"40\" height=\"40\" viewBox=\"0 0 40 40\"><title>A small circle</title><defs><radialGradient id=\"2grad\"><stop offset=\"0\" stop-color=\"#930\"/><stop offset=\"1\" stop-color=\"#fc6\"/></radialGradient></defs><circle cx=\"20\" cy=\"20\" r=\"18\" fill=\"url(#2grad)\"/></svg>\n",
                "<blockquote cite=\"http://example.org/drawings\"><p>Drawn by hand.</p></blockquote>\n",
            ),
        ),
        (
            "assets/dot.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\" viewBox=\"0 0 10 10\"><circle cx=\"5\" cy=\"5\" r=\"4\" fill=\"#c00\"/></svg>\n",
        ),
    ])
}
