//! Hugo: every corpus site and the demo site, converted by the library, are
//! built by the real Hugo (from `.tools/`, see `scripts/install-test-tools.sh`)
//! with no ERROR and no WARN line; every Jekyll URL is served; the visible
//! text of each document matches Jekyll's rendering; dates and terms match;
//! local links and images that worked in Jekyll's site work in Hugo's.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use jekyll_migrate::content::Node;
use jekyll_migrate::converters::{self, ConvertOptions, FrontMatterFormat};
use jekyll_migrate::ir::{DateTime, DocKind, Document, Format, Site, StaticFile};
use jekyll_migrate::output::OutputTree;

/// Converts `site` into a fresh folder and returns it.
fn convert(site: &Site, fm: FrontMatterFormat) -> tempfile::TempDir {
    let mut b = tempfile::Builder::new();
    // HUGO_TEST_KEEP=1 leaves the converted sites behind for a look.
    b.disable_cleanup(std::env::var_os("HUGO_TEST_KEEP").is_some());
    let out = b.tempdir().expect("temp dir");
    eprintln!("converted into {}", out.path().display());
    let mut tree = OutputTree::new(out.path());
    let opts = ConvertOptions {
        front_matter: fm,
        ..ConvertOptions::default()
    };
    converters::find("hugo")
        .expect("hugo is registered")
        .convert(site, &opts, &mut tree, None)
        .expect("conversion succeeds");
    out
}

/// Reads the Jekyll site at `root`, renders it and converts it to Hugo with
/// the default options into a fresh folder.
fn read_and_convert(root: &Path) -> (tempfile::TempDir, converters::Summary) {
    let site = common::read_rendered(root);
    let out = tempfile::tempdir().expect("temp dir");
    let mut tree = OutputTree::new(out.path());
    let summary = converters::find("hugo")
        .expect("hugo is registered")
        .convert(&site, &ConvertOptions::default(), &mut tree, None)
        .expect("conversion succeeds");
    (out, summary)
}

/// Runs `hugo --buildFuture` in `dir`, stopped after five minutes (a page
/// Hugo cannot finish must fail the test, not hang the suite); returns the
/// exit code and the log lines that are ERROR or WARN.
fn build(hugo: &Path, dir: &Path) -> (i32, Vec<String>, String) {
    let out = Command::new("timeout")
        .arg("300")
        .arg(hugo)
        .args(["--buildFuture", "--printPathWarnings"])
        .current_dir(dir)
        .env("HUGO_CACHEDIR", dir.join(".hugo-cache"))
        .output()
        .expect("hugo runs");
    let log = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let bad = log
        .lines()
        .filter(|l| l.contains("ERROR") || l.contains("WARN"))
        .map(str::to_string)
        .collect();
    (out.status.code().unwrap_or(-1), bad, log)
}

/// Builds `dir` with Hugo and asserts exit 0 with no ERROR or WARN line;
/// returns the log.
fn built_clean(hugo: &Path, dir: &Path) -> String {
    let (code, bad, log) = build(hugo, dir);
    assert!(
        code == 0 && bad.is_empty(),
        "hugo exit {code}, {bad:?}\n{log}"
    );
    log
}

/// `/a/../b` → `b` below `root`, clamped at the root as Jekyll does.
fn under(root: &Path, url_path: &str) -> PathBuf {
    let mut parts: Vec<&str> = Vec::new();
    for p in url_path.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    let mut out = root.to_path_buf();
    for p in parts {
        out.push(p);
    }
    out
}

/// The file that serves `url` below `root`, if any.
fn served(root: &Path, url: &str) -> Option<PathBuf> {
    let path = common::percent_decode(url.split(['?', '#']).next().unwrap_or(""));
    let p = under(root, &path);
    let dir_like = path.is_empty() || path.ends_with('/');
    let mut cands = vec![p.join("index.html")];
    if !dir_like {
        cands.insert(0, p.clone());
        cands.push(PathBuf::from(format!("{}.html", p.display())));
    }
    cands.into_iter().find(|c| c.is_file())
}

/// Follows a meta-refresh redirect page (a Hugo alias or our static
/// redirect) to the file it points at, once.
fn follow(root: &Path, file: PathBuf, baseurl: &str) -> PathBuf {
    let text = String::from_utf8_lossy(&std::fs::read(&file).unwrap_or_default()).into_owned();
    if text.len() > 2000 || !text.contains("http-equiv=\"refresh\"") {
        return file;
    }
    let Some(p) = text.find("url=") else {
        return file;
    };
    let rest = &text[p + 4..];
    let target = &rest[..rest.find('"').unwrap_or(rest.len())];
    let target = html_escape::decode_html_entities(target).into_owned();
    let path = match target.find("://") {
        Some(i) => target[i + 3..]
            .find('/')
            .map_or("/".to_string(), |j| target[i + 3 + j..].to_string()),
        None => target,
    };
    let path = path
        .strip_prefix(baseurl)
        .filter(|_| !baseurl.is_empty())
        .map_or(path.clone(), str::to_string);
    served(root, &path).unwrap_or(file)
}

/// The body of a built Hugo page: between the layout's content markers.
fn hugo_content(html: &str) -> Option<&str> {
    let start = html.find("<div class=\"e-content\">")? + "<div class=\"e-content\">".len();
    let end = html[start..].rfind("</div>\n<footer class=\"post-meta\">")? + start;
    Some(&html[start..end])
}

fn article_attr(html: &str, name: &str) -> Option<String> {
    let art = &html[html.find("<article")?..];
    let head = &art[..art.find('>')?];
    let key = format!(" {name}=\"");
    let s = head.find(&key)? + key.len();
    let e = head[s..].find('"')? + s;
    Some(html_escape::decode_html_entities(&head[s..e]).into_owned())
}

static LINK: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r#"(?i)\s(?:href|src)\s*=\s*"([^"]*)""#).unwrap()
});

static HEADING_ID: std::sync::LazyLock<regex::Regex> =
    std::sync::LazyLock::new(|| regex::Regex::new(r#"<h[1-6][^>]*\sid="([^"]+)""#).unwrap());

/// Local link targets of an HTML fragment, as site paths (baseurl removed),
/// resolved against the page's own URL.
fn local_targets(html: &str, page_url: &str, baseurl: &str) -> Vec<String> {
    let mut out = Vec::new();
    for c in LINK.captures_iter(html) {
        let raw = html_escape::decode_html_entities(&c[1]).into_owned();
        let raw = raw.split(['#', '?']).next().unwrap_or("").to_string();
        if raw.is_empty() || raw.contains(':') || raw.starts_with("//") || raw.contains("{{") {
            continue;
        }
        let abs = if raw.starts_with('/') {
            raw.clone()
        } else {
            let dir = &page_url[..page_url.rfind('/').map_or(0, |i| i + 1)];
            format!("{dir}{raw}")
        };
        let site_path = match abs.strip_prefix(baseurl) {
            Some(rest) if !baseurl.is_empty() && (rest.is_empty() || rest.starts_with('/')) => {
                rest.to_string()
            }
            _ => abs,
        };
        out.push(site_path);
    }
    out
}

/// What checking one site found, one list per goal of issue 4.
#[derive(Default)]
struct SiteCheck {
    /// Figures printed by every test.
    lines: Vec<String>,
    /// Goal 1: hugo exit code and ERROR/WARN lines (YAML and TOML runs).
    build: Vec<String>,
    /// Goal 2: Jekyll URLs Hugo does not serve.
    urls: Vec<String>,
    /// Goal 3: visible text of each document, Jekyll's and Hugo's, with a
    /// label (compared only by the text test: diffs are slow).
    texts: Vec<(String, String, String)>,
    /// Goal 4: local links and images that resolve in Jekyll's site only.
    links: Vec<String>,
    /// Goal 5: dates and terms that differ.
    terms: Vec<String>,
}

fn check_site(hugo: &Path, name: &str, site_dir: &Path, truth_name: Option<&str>) -> SiteCheck {
    let mut r = SiteCheck::default();
    let mut site = jekyll_migrate::jekyll::read_site(site_dir, &Default::default())
        .unwrap_or_else(|e| panic!("{name}: the site does not read: {e}"));
    jekyll_migrate::content::process(&mut site);
    let out = convert(&site, FrontMatterFormat::Yaml);
    let (code, bad, log) = build(hugo, out.path());
    let errors = bad.iter().filter(|l| l.contains("ERROR")).count();
    r.lines.push(format!(
        "{name}: hugo exit {code}, {errors} ERROR, {} WARN",
        bad.len() - errors
    ));
    if code != 0 || !bad.is_empty() {
        r.build.push(format!("{name}: hugo exit {code}\n{log}"));
    }
    let toml_out = convert(&site, FrontMatterFormat::Toml);
    let (tcode, tbad, tlog) = build(hugo, toml_out.path());
    r.lines.push(format!(
        "{name} (TOML front matter): hugo exit {tcode}, {} ERROR/WARN lines",
        tbad.len()
    ));
    if tcode != 0 || !tbad.is_empty() {
        r.build
            .push(format!("{name} (TOML): hugo exit {tcode}\n{tlog}"));
    }
    let public = out.path().join("public");
    let Some(tn) = truth_name else {
        // No truth file (the demo site): every document the IR says Jekyll
        // writes must be served at its URL.
        let mut missing = Vec::new();
        let mut total = 0;
        for d in &site.documents {
            let sass = matches!(d.ext.as_str(), ".scss" | ".sass");
            if !d.output || !d.published || d.kind == DocKind::Draft || sass {
                continue;
            }
            total += 1;
            if served(&public, &d.url).is_none() {
                missing.push(format!("{} ({})", d.url, d.source));
            }
        }
        r.lines.push(format!(
            "{name}: IR URLs served {}/{total}",
            total - missing.len()
        ));
        if !missing.is_empty() {
            r.urls.push(format!(
                "{name}: URLs not served:\n  {}",
                missing.join("\n  ")
            ));
        }
        return r;
    };
    let rows = common::truth(tn, "truth.tsv");
    let by_source: BTreeMap<&str, &Document> = site
        .documents
        .iter()
        .map(|d| (d.source.as_str(), d))
        .collect();
    let wanted: Vec<_> = rows
        .iter()
        .filter(|t| matches!(t.kind.as_str(), "post" | "doc" | "page" | "redirect"))
        .collect();
    let mut missing = Vec::new();
    let mut known = 0;
    for t in &wanted {
        if served(&public, &t.url).is_none() {
            // Documents the reader does not produce (listed with their
            // reasons in tests/corpus_urls.rs) cannot be served.
            if !by_source.contains_key(t.source.as_str()) {
                known += 1;
            } else {
                missing.push(format!("{} ({})", t.url, t.source));
            }
        }
    }
    r.lines.push(format!(
        "{name}: URLs served {}/{} (not served: {known} documents the reader does not produce, see corpus_urls.rs; {} others)",
        wanted.len() - missing.len() - known,
        wanted.len(),
        missing.len()
    ));
    if !missing.is_empty() {
        r.urls.push(format!(
            "{name}: URLs not served:\n  {}",
            missing.join("\n  ")
        ));
    }
    let jekyll_root = common::corpus_dir().join(format!("{tn}.site"));
    let mut link_failures = Vec::new();
    let mut id_failures = Vec::new();
    let mut checked_posts = 0;
    for t in rows
        .iter()
        .filter(|t| matches!(t.kind.as_str(), "post" | "doc" | "page"))
    {
        let Some(file) = served(&public, &t.url) else {
            continue;
        };
        let file = follow(&public, file, &site.config.baseurl);
        let built = String::from_utf8_lossy(&std::fs::read(&file).unwrap_or_default()).into_owned();
        if t.kind == "post" {
            checked_posts += 1;
            let doc = by_source.get(t.source.as_str()).copied();
            check_terms(&mut r, name, t, doc, &site, &built);
        }
        let Some(jk) = common::jekyll_html(tn, &t.url) else {
            continue;
        };
        let hugo_text = match hugo_content(&built) {
            Some(hc) => common::visible(hc),
            // A file copied as it is (feed, robots.txt): the whole file.
            None => common::visible(&built),
        };
        r.texts.push((
            common::visible(&jk),
            hugo_text,
            format!("{} ({})", t.url, t.source),
        ));
        // Heading ids, so `#fragment` links into the page keep working.
        if let Some(hc) = hugo_content(&built) {
            for c in HEADING_ID.captures_iter(&jk) {
                let id = &c[1];
                if !hc.contains(&format!("id=\"{id}\"")) {
                    id_failures.push(format!("{}#{id}", t.url));
                }
            }
        }
        for target in local_targets(&jk, &t.url, &site.config.baseurl) {
            if served(&jekyll_root, &target).is_some() && served(&public, &target).is_none() {
                link_failures.push(format!("{} → {target}", t.url));
            }
        }
    }
    r.lines.push(format!(
        "{name}: dates and terms checked on {checked_posts} posts"
    ));
    r.lines.push(format!(
        "{name}: local links/images missing: {}",
        link_failures.len()
    ));
    r.lines.push(format!(
        "{name}: heading ids of Jekyll's pages missing: {}",
        id_failures.len()
    ));
    if !id_failures.is_empty() {
        id_failures.truncate(30);
        r.links.push(format!(
            "{name}: heading ids missing in Hugo's pages:\n  {}",
            id_failures.join("\n  ")
        ));
    }
    if !link_failures.is_empty() {
        link_failures.truncate(20);
        r.links.push(format!(
            "{name}: local targets missing in Hugo's build:\n  {}",
            link_failures.join("\n  ")
        ));
    }
    r
}

/// Goal 5 for one post: its date equals the IR's and Jekyll's, its terms
/// the IR's.
fn check_terms(
    r: &mut SiteCheck,
    name: &str,
    t: &common::TruthRow,
    doc: Option<&Document>,
    site: &Site,
    built: &str,
) {
    let Some(doc) = doc else {
        r.terms
            .push(format!("{name}: {} ({}) is not in the IR", t.url, t.source));
        return;
    };
    let ours = article_attr(built, "data-date").unwrap_or_default();
    let ours_ts = ours.parse::<jiff::Timestamp>().ok();
    if ours_ts != doc.date.map(|d| d.instant) {
        r.terms.push(format!(
            "{name}: {} date {ours:?}, IR {:?}",
            t.url,
            doc.date.map(|d| d.rfc3339())
        ));
    }
    // Only a date the IR cannot hold (reported by the reader) may differ
    // from Jekyll's.
    let reported = site
        .diagnostics
        .iter()
        .any(|d| d.kind == "date-out-of-range" && d.file == doc.source);
    if !t.date.is_empty() && !reported && t.date.parse::<jiff::Timestamp>().ok() != ours_ts {
        r.terms.push(format!(
            "{name}: {} date {ours:?}, Jekyll {}",
            t.url, t.date
        ));
    }
    let split = |s: Option<String>| -> Vec<String> {
        s.map(|s| s.split('|').map(str::to_string).collect())
            .unwrap_or_default()
    };
    let tags = split(article_attr(built, "data-tags"));
    let cats = split(article_attr(built, "data-categories"));
    if tags != doc.tags || cats != doc.categories {
        r.terms.push(format!(
            "{name}: {} terms tags={tags:?} categories={cats:?}, IR tags={:?} categories={:?}",
            t.url, doc.tags, doc.categories
        ));
    }
}

/// Every corpus site and the demo site, converted and built once for all
/// the corpus tests; `None` when Hugo is not installed (outside CI).
fn corpus() -> Option<&'static [SiteCheck]> {
    static RESULTS: std::sync::OnceLock<Option<Vec<SiteCheck>>> = std::sync::OnceLock::new();
    RESULTS
        .get_or_init(|| {
            let hugo = common::tool("hugo")?;
            let mut sites: Vec<(String, PathBuf, Option<String>)> = common::corpus_sites()
                .into_iter()
                .map(|n| (n.clone(), common::corpus_dir().join(&n), Some(n)))
                .collect();
            let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/demo-blog");
            if demo.is_dir() {
                sites.push(("demo-blog".into(), demo, None));
            }
            // HUGO_TEST_SITES=a,b limits the run to those sites (for iterating).
            let only: Option<Vec<String>> = std::env::var("HUGO_TEST_SITES")
                .ok()
                .map(|s| s.split(',').map(str::to_string).collect());
            Some(
                sites
                    .iter()
                    .filter(|(name, _, _)| only.as_ref().is_none_or(|o| o.contains(name)))
                    .map(|(name, dir, truth)| check_site(&hugo, name, dir, truth.as_deref()))
                    .collect(),
            )
        })
        .as_deref()
}

/// Prints the figures of every site and fails with the goal's findings.
fn assert_goal(pick: fn(&SiteCheck) -> &Vec<String>) {
    let Some(results) = corpus() else {
        return;
    };
    for r in results {
        for l in &r.lines {
            eprintln!("{l}");
        }
    }
    let failures: Vec<&str> = results.iter().flat_map(pick).map(String::as_str).collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Goal 1: `hugo --buildFuture` exits 0 with no ERROR and no WARN line,
/// with YAML and with TOML front matter.
#[test]
fn corpus_builds_with_no_error_or_warning() {
    assert_goal(|r| &r.build);
}

/// Goal 2: every post, doc, page and redirect URL of the truth is served
/// (the page, or an alias page that redirects to it).
#[test]
fn corpus_every_url_is_served() {
    assert_goal(|r| &r.urls);
}

/// Goal 3: visible-text similarity ≥ 0.95 for ≥ 95% of documents per site
/// (prints the worst ten of each site).
#[test]
fn corpus_text_matches_jekyll() {
    let Some(results) = corpus() else {
        return;
    };
    let mut failures = Vec::new();
    for r in results {
        let Some(name) = r.lines.first().and_then(|l| l.split(':').next()) else {
            continue;
        };
        let mut scores: Vec<(f64, String)> = r
            .texts
            .iter()
            .map(|(j, h, label)| (common::similarity(h, j), label.clone()))
            .collect();
        let share = common::report_scores(name, &mut scores, 0.95, 10);
        if share < 0.95 {
            failures.push(format!(
                "{name}: only {:.1}% of documents reach similarity 0.95",
                share * 100.0
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Goal 4: local links and images that worked in Jekyll's site work.
#[test]
fn corpus_local_links_and_images_exist() {
    assert_goal(|r| &r.links);
}

/// Goal 5: dates and terms of every post equal the truth and the IR.
#[test]
fn corpus_dates_and_terms_match() {
    assert_goal(|r| &r.terms);
}

fn dt(s: &str, hours: i8) -> DateTime {
    DateTime {
        instant: s.parse().expect("test date"),
        offset: jiff::tz::Offset::from_hours(hours).expect("offset"),
    }
}

fn md(text: &str) -> Vec<Node> {
    vec![Node::Markdown {
        text: text.to_string(),
        line: 4,
    }]
}

/// A hand-built site holding what breaks Hugo builds and loses URLs.
fn tricky_site(root: &Path) -> Site {
    let mut site = Site::default();
    site.config.title = Some("Tricky".into());
    site.config.url = Some("https://example.com".into());
    site.config.baseurl = "/blog".into();
    site.config.plugins = vec!["jekyll-feed".into()];
    let mut post = Document::new(DocKind::Post, "_posts/2014-03-10-welcome.md");
    post.collection = Some("posts".into());
    post.url = "/jekyll/update/2014/03/11/welcome.html".into();
    post.title = Some("Welcome: \"yes\"".into());
    post.date = Some(dt("2014-03-10T23:30:00-07:00", -7));
    post.categories = vec!["jekyll".into(), "update".into()];
    post.tags = vec!["rust go".into(), "c++".into()];
    post.redirect_from = vec!["/old/welcome/".into(), "/old.html".into()];
    post.front_matter =
        serde_json::from_str(r#"{"layout":"post","published":true,"custom":{"a":[1,"yes"]}}"#)
            .unwrap();
    post.content = vec![
        Node::Markdown {
            text: "* TOC\n{:toc}\n\nIntro with {{< lone and {{% pair %}}.\n{: .lead}\n\n## What's new?\n\n```{r}\nx <- 1\n```\n\n```js {1,3}\na\nb\nc\n```\n\n<div class=\"x\">\n\n    <p>indented html</p>\n\n</div>\n\nSee [the page](".into(),
            line: 4,
        },
        Node::DocLink {
            target: "about.md".into(),
            url: "/about/".into(),
        },
        Node::Markdown {
            text: ") and *x*{: .span}.\n\n".into(),
            line: 30,
        },
        Node::Code {
            lang: Some("ruby".into()),
            linenos: true,
            marked: vec![2],
            code: "def x\n  \"{{< y >}}\"\nend".into(),
            line: 31,
        },
        Node::Literal {
            text: "\n{{< raw >}} text\n\n".into(),
        },
        Node::Embed {
            provider: "gist".into(),
            id: "parkr/123".into(),
            fallback_html: "<p><a href=\"https://gist.github.com/parkr/123\">gist</a></p>".into(),
        },
        Node::Markdown {
            text: "\n\n".into(),
            line: 40,
        },
        Node::Embed {
            provider: "youtube".into(),
            id: "dQw4w9WgXcQ".into(),
            fallback_html: String::new(),
        },
        Node::Html {
            html: "\n<figure>\n\n    <img src=\"/blog/assets/a.png\">\n\n</figure>\n".into(),
            line: 41,
        },
    ];
    let mut html_post = Document::new(DocKind::Post, "_posts/2014-03-12-html.html");
    html_post.collection = Some("posts".into());
    html_post.url = "/2014/03/12/html.html".into();
    html_post.title = Some("HTML post".into());
    html_post.date = Some(dt("2014-03-12T08:00:00+02:00", 2));
    html_post.format = Format::Html;
    html_post.ext = ".html".into();
    html_post.content = md("<p>Raw {{< html >}}</p>\n\n    <p>indented</p>\n");
    let mut about = Document::new(DocKind::Page, "about.md");
    about.url = "/about/".into();
    about.title = Some("About".into());
    about.content = md("About me.\n");
    let mut home = Document::new(DocKind::Page, "index.html");
    home.url = "/".into();
    home.format = Format::Html;
    home.ext = ".html".into();
    home.content = md("<p>Home</p>\n");
    let mut tags = Document::new(DocKind::Page, "tags.md");
    tags.url = "/tags/".into();
    tags.title = Some("Tags".into());
    tags.content = md("All tags.\n");
    let mut odd = Document::new(DocKind::Page, "+/%# +.md");
    odd.url = "/+/%25%23%20+.html".into();
    odd.content = md("odd name\n");
    let mut nofm = Document::new(DocKind::Post, "_posts/2015-02-04-nofm.md");
    nofm.collection = Some("posts".into());
    nofm.url = "/2015/02/04/nofm.html".into();
    nofm.date = Some(dt("2015-02-04T00:00:00+00:00", 0));
    nofm.content = md("No front matter at all.\n");
    let mut draft = Document::new(DocKind::Draft, "_drafts/undated.md");
    draft.collection = Some("posts".into());
    draft.url = "/2020/01/01/undated.html".into();
    draft.content = md("draft\n");
    draft.published = false;
    let mut item = Document::new(DocKind::Item, "_docs/install/index.md");
    item.collection = Some("docs".into());
    item.url = "/docs/install/".into();
    item.content = md("Install.\n\nMore.\n");
    let mut hidden = Document::new(DocKind::Item, "_notes/x.md");
    hidden.collection = Some("notes".into());
    hidden.url = "/notes/x/".into();
    hidden.output = false;
    hidden.content = md("hidden\n");
    let mut feed = Document::new(DocKind::Page, "robots.txt");
    feed.url = "/robots.txt".into();
    feed.format = Format::Other("txt".into());
    feed.ext = ".txt".into();
    feed.content = md("User-agent: *\n");
    site.documents = vec![
        post, html_post, about, home, tags, odd, nofm, draft, item, hidden, feed,
    ];
    let img = root.join("a.png");
    std::fs::write(&img, b"\x89PNG").unwrap();
    site.static_files.push(StaticFile {
        source: "assets/a.png".into(),
        url: "/assets/a.png".into(),
        path: img,
        size: 4,
    });
    site.data.push(jekyll_migrate::ir::DataFile {
        source: "_data/authors.yml".into(),
        key: vec!["authors".into()],
        value: serde_json::json!({"al": {"name": "Al"}}),
    });
    site
}

#[test]
fn handmade_site_builds_clean_in_both_front_matter_formats() {
    let Some(hugo) = common::tool("hugo") else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let site = tricky_site(tmp.path());
    for fm in [FrontMatterFormat::Yaml, FrontMatterFormat::Toml] {
        let out = convert(&site, fm);
        let (code, bad, log) = build(&hugo, out.path());
        assert!(
            code == 0 && bad.is_empty(),
            "{fm:?}: hugo exit {code}, {bad:?}\n{log}"
        );
        let public = out.path().join("public");
        for url in [
            "/jekyll/update/2014/03/11/welcome.html",
            "/old/welcome/",
            "/old.html",
            "/2014/03/12/html.html",
            "/about/",
            "/",
            "/tags/",
            "/+/%25%23%20+.html",
            "/2015/02/04/nofm.html",
            "/docs/install/",
            "/assets/a.png",
            "/robots.txt",
            "/feed.xml",
        ] {
            assert!(
                served(&public, url).is_some(),
                "{fm:?}: {url} is not served"
            );
        }
        // Drafts and output:false items are not rendered.
        assert!(served(&public, "/2020/01/01/undated.html").is_none());
        assert!(served(&public, "/notes/x/").is_none());
        let page =
            std::fs::read_to_string(public.join("jekyll/update/2014/03/11/welcome.html")).unwrap();
        let body = hugo_content(&page).expect("content markers");
        // The word joiner that defuses a lone `{{<` is invisible.
        let text = common::visible(body).replace('\u{2060}', "");
        for want in [
            "What’s new?",
            "{{< lone",
            "{{% pair %}}",
            "{{< y >}}",
            "{{< raw >}} text",
            "indented html",
        ] {
            assert!(text.contains(want), "{fm:?}: {want:?} missing from {text}");
        }
        for leak in ["{:", "TOC", "{r}", "{1,3}"] {
            assert!(!text.contains(leak), "{fm:?}: {leak:?} leaked into {text}");
        }
        assert!(body.contains("id=\"whats-new\""), "kramdown id kept");
        assert!(
            body.contains("<p class=\"lead\">"),
            "block IAL applied: {body}"
        );
        assert!(body.contains("href=\"/about/\""), "DocLink resolved");
        assert!(body.contains("TableOfContents"), "toc rendered");
        assert!(body.contains("youtube"), "youtube embed");
        assert!(
            body.contains("https://gist.github.com/parkr/123"),
            "gist fallback"
        );
        assert!(
            !body.contains("<pre><code>&lt;p&gt;indented"),
            "indented HTML is not code"
        );
        assert_eq!(
            article_attr(&page, "data-date").as_deref(),
            Some("2014-03-10T23:30:00-07:00")
        );
        assert_eq!(
            article_attr(&page, "data-tags").as_deref(),
            Some("rust go|c++")
        );
        assert_eq!(
            article_attr(&page, "data-categories").as_deref(),
            Some("jekyll|update")
        );
        assert!(out.path().join("data/authors.json").is_file());
        assert!(out.path().join("MIGRATION.md").is_file());
        let fm_text =
            std::fs::read_to_string(out.path().join("content/posts/2014-03-10-welcome.md"))
                .unwrap();
        assert!(!fm_text.contains("published"), "published is never written");
    }
}

/// A heading line an include completes: kramdown's id counts the include's
/// text, which only the rendered HTML has; the Hugo converter asks for that
/// HTML for this document (and only such documents), and writes the full id.
#[test]
fn heading_completed_by_an_include_keeps_kramdowns_id() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    std::fs::create_dir_all(root.join("_includes")).expect("mkdir");
    std::fs::create_dir_all(root.join("_posts")).expect("mkdir");
    std::fs::write(root.join("_includes/badge.html"), "<span>4.0</span>").expect("write");
    std::fs::write(
        root.join("_posts/2020-01-01-a.md"),
        "---\ntitle: A\n---\n### Binary ops{% include badge.html %}\n\ntext\n",
    )
    .expect("write");
    std::fs::write(
        root.join("_posts/2020-01-02-b.md"),
        "---\ntitle: B\n---\n### Plain heading\n\n{% include badge.html %}\n",
    )
    .expect("write");
    let mut site = jekyll_migrate::jekyll::read_site(root, &Default::default()).expect("reads");
    let hugo = converters::find("hugo").expect("hugo is registered");
    drop(jekyll_migrate::content::process_with(&mut site, &|d| {
        hugo.wants_html(d)
    }));
    let html_of = |name: &str| {
        site.documents
            .iter()
            .find(|d| d.source.ends_with(name))
            .map(|d| d.html.is_some())
    };
    assert_eq!(
        html_of("a.md"),
        Some(true),
        "the completed heading needs HTML"
    );
    assert_eq!(html_of("b.md"), Some(false), "a plain document does not");
    let out = convert(&site, FrontMatterFormat::Yaml);
    let files: Vec<PathBuf> = walk(out.path());
    let a = files
        .iter()
        .find(|p| p.to_string_lossy().ends_with("a.md"))
        .expect("post a written");
    let text = std::fs::read_to_string(a).expect("readable");
    assert!(text.contains("{#binary-ops40}"), "{text}");
}

/// Every file below `dir`.
fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// A permalink or redirect holding a name longer than file systems take
/// (255 bytes): Jekyll cannot write it, and Hugo given it fails the whole
/// build. The page is served at a shortened URL and the redirect dropped,
/// each with a warning, and Hugo builds.
#[test]
fn names_too_long_for_a_file_system_are_shortened_and_hugo_builds() {
    let Some(hugo) = common::tool("hugo") else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    std::fs::create_dir_all(root.join("_posts")).expect("mkdir");
    std::fs::write(
        root.join("_posts/2020-01-01-long.md"),
        format!(
            "---\ntitle: Long\npermalink: /{}/{}.html\nredirect_from:\n  - /{}/\ntags: [short, {}]\ncategories: [{}]\n---\nText.\n",
            "a".repeat(300),
            "b".repeat(5000),
            "r".repeat(300),
            "t".repeat(300),
            "日本語".repeat(100)
        ),
    )
    .expect("write");
    std::fs::write(
        root.join("_posts/2020-01-02-short.md"),
        "---\ntitle: Short\n---\nText.\n",
    )
    .expect("write");
    let (out, summary) = read_and_convert(root);
    let warned = common::of_kind(&summary.diagnostics, "url-too-long", |d| &d.message);
    assert_eq!(warned.len(), 2, "{warned:?}");
    assert!(warned.iter().all(|m| m.len() < 600), "{warned:?}");
    // The long tag and category are kept in params, not as terms.
    let terms = summary
        .diagnostics
        .iter()
        .filter(|d| d.kind == "term-too-long")
        .count();
    assert_eq!(terms, 2, "{:?}", summary.diagnostics);
    built_clean(&hugo, out.path());
    let public = walk(&out.path().join("public"));
    assert!(public
        .iter()
        .all(|p| p.iter().all(|name| name.len() <= 255)));
    let long_page = public
        .iter()
        .filter(|p| p.to_string_lossy().contains("bbbb"))
        .count();
    assert_eq!(long_page, 1, "the long page is served once: {public:?}");
    assert!(served(&out.path().join("public"), "/2020/01/02/short.html").is_some());
    assert!(served(&out.path().join("public"), "/tags/short/").is_some());
}

/// A page at `/x.html` and another at `/x.html/` (a file and a folder of
/// one name, which Jekyll cannot both write and Hugo fails the build on),
/// and a page at `/y.html` beside a static file `y.html/inner.txt`: the
/// page files move aside with a warning, and Hugo builds.
#[test]
fn a_file_and_a_folder_of_one_name_do_not_break_the_build() {
    let Some(hugo) = common::tool("hugo") else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    std::fs::create_dir_all(root.join("_posts")).expect("mkdir");
    std::fs::create_dir_all(root.join("y.html")).expect("mkdir");
    std::fs::write(root.join("y.html/inner.txt"), "inner").expect("write");
    for (i, link) in ["/x.html", "/x.html/", "/y.html"].iter().enumerate() {
        std::fs::write(
            root.join(format!("_posts/2020-01-0{}-p.md", i + 1)),
            format!("---\ntitle: P{i}\npermalink: {link}\n---\nText {i}.\n"),
        )
        .expect("write");
    }
    let (out, summary) = read_and_convert(root);
    let moved: Vec<&str> = summary
        .diagnostics
        .iter()
        .filter(|d| d.kind == "url-conflict")
        .map(|d| d.file.as_str())
        .collect();
    assert_eq!(
        moved,
        ["_posts/2020-01-01-p.md", "_posts/2020-01-03-p.md"],
        "{:?}",
        summary.diagnostics
    );
    built_clean(&hugo, out.path());
    let public = out.path().join("public");
    for url in ["/x.html/", "/x-2.html", "/y-2.html", "/y.html/inner.txt"] {
        assert!(served(&public, url).is_some(), "{url} is not served");
    }
}

/// Redirects Hugo cannot alias (the home page, its own feed, a taxonomy
/// list) are dropped with a warning instead of failing the build.
#[test]
fn redirects_onto_hugos_own_pages_are_dropped_not_fatal() {
    let Some(hugo) = common::tool("hugo") else {
        return;
    };
    let dir = common::site_dir(&[(
        "_posts/2020-01-01-p.md",
        "---\ntitle: P\ntags: [t]\nredirect_from: [\"\", \"/\", \"/index.xml\", \"/tags/\", \"/old/\"]\n---\nText.\n",
    )]);
    let (out, summary) = read_and_convert(dir.path());
    let kinds: Vec<&str> = summary
        .diagnostics
        .iter()
        .filter(|d| d.kind.starts_with("alias"))
        .map(|d| d.kind.as_str())
        .collect();
    assert_eq!(
        kinds,
        [
            "alias-root",
            "alias-root",
            "alias-collision",
            "alias-collision"
        ],
        "{:?}",
        summary.diagnostics
    );
    built_clean(&hugo, out.path());
    let public = out.path().join("public");
    assert!(served(&public, "/old/").is_some());
    assert!(std::fs::read_to_string(public.join("index.xml")).is_ok_and(|x| x.contains("<rss")));
}

/// A site's own files where Hugo writes pages of its own: a static home
/// page and home feed, a Liquid `sitemap.xml`, a static tags list. Hugo is
/// told not to write the first three, so the site's files are served; the
/// tags list, which Hugo always writes, is reported, not silently replaced.
#[test]
fn the_sites_own_home_page_feed_and_sitemap_are_kept() {
    let Some(hugo) = common::tool("hugo") else {
        return;
    };
    let dir = common::site_dir(&[
        ("_config.yml", "title: T\nurl: https://example.org\n"),
        ("_posts/2020-01-01-p.md", "---\ntitle: P\ntags: [a]\n---\nText.\n"),
        ("index.html", "<html>the site's own home</html>\n"),
        ("index.xml", "<rss>the site's own feed</rss>\n"),
        (
            "sitemap.xml",
            "---\nlayout: null\n---\n<urlset>{% for p in site.posts %}<url>{{ p.url }}</url>{% endfor %}</urlset>\n",
        ),
        ("tags/index.html", "<html>the site's own tags</html>\n"),
    ]);
    let (out, summary) = read_and_convert(dir.path());
    assert_eq!(
        common::of_kind(&summary.diagnostics, "static-shadowed", |d| &d.file),
        ["tags/index.html"],
        "{:?}",
        summary.diagnostics
    );
    built_clean(&hugo, out.path());
    let public = out.path().join("public");
    let read = |f: &str| std::fs::read_to_string(public.join(f)).unwrap_or_default();
    assert_eq!(read("index.html"), "<html>the site's own home</html>\n");
    assert_eq!(read("index.xml"), "<rss>the site's own feed</rss>\n");
    assert_eq!(
        read("sitemap.xml"),
        "<urlset><url>/2020/01/01/p.html</url></urlset>\n"
    );
    assert!(served(&public, "/2020/01/01/p.html").is_some());
}

/// kramdown's `{:toc}` list right above a `---` rule (just-the-docs writes
/// its pages so): the shortcode must stay a block of its own, or goldmark
/// reads `---` as a setext underline, the table of contents lands inside a
/// heading it lists, and Hugo never finishes (every build here is bounded
/// by `timeout`, so a regression fails instead of hanging the suite).
#[test]
fn a_table_of_contents_above_a_rule_builds() {
    let Some(hugo) = common::tool("hugo") else {
        return;
    };
    let dir = common::site_dir(&[(
        "guide.md",
        "---\ntitle: Guide\n---\n## Contents\n\n1. TOC\n{:toc}\n---\n\n## One\n\nText.\n\n1. TOC\n{:toc}\n\n---\n\n## Two\n",
    )]);
    let (out, _) = read_and_convert(dir.path());
    let page = std::fs::read_to_string(out.path().join("content/guide.md")).expect("page");
    assert_eq!(page.matches("{{< toc >}}\n\n").count(), 2, "{page}");
    built_clean(&hugo, out.path());
    let html = served(&out.path().join("public"), "/guide.html")
        .and_then(|f| std::fs::read_to_string(f).ok())
        .expect("built");
    assert!(html.contains("href=\"#one\""), "{html}");
}

/// A not-found page at the extensionless `permalink: /404` is the file
/// `404.html` for Jekyll, which static hosts serve for a missing page; Hugo
/// must write that file, not `404/index.html`.
#[test]
fn an_extensionless_404_page_is_404_html() {
    let Some(hugo) = common::tool("hugo") else {
        return;
    };
    let dir = common::site_dir(&[(
        "404.md",
        "---\ntitle: Lost\npermalink: /404\n---\nNothing here.\n",
    )]);
    let (out, _) = read_and_convert(dir.path());
    let log = built_clean(&hugo, out.path());
    let html = std::fs::read_to_string(out.path().join("public/404.html")).unwrap_or_default();
    assert!(html.contains("Nothing here."), "{log}");
}

/// A page at the extensionless `/tags` (a tag index, as themes ship it) is
/// the file `tags.html` for Jekyll, and Hugo needs `/tags/` for its tag
/// list: the page keeps Jekyll's file name, which hosts serve for `/tags`,
/// instead of moving to a numbered URL nobody links to.
#[test]
fn an_extensionless_page_on_hugos_folder_keeps_jekylls_file() {
    let Some(hugo) = common::tool("hugo") else {
        return;
    };
    let dir = common::site_dir(&[
        (
            "_posts/2020-01-01-p.md",
            "---\ntitle: P\ntags: [a]\n---\nText.\n",
        ),
        (
            "tags.md",
            "---\ntitle: All tags\npermalink: /tags\n---\nThe tag index.\n",
        ),
    ]);
    let (out, summary) = read_and_convert(dir.path());
    let moved = common::of_kind(&summary.diagnostics, "url-conflict", |d| &d.message);
    assert_eq!(moved.len(), 1, "{:?}", summary.diagnostics);
    assert!(moved[0].ends_with("served at /tags.html"), "{moved:?}");
    let log = built_clean(&hugo, out.path());
    let html = std::fs::read_to_string(out.path().join("public/tags.html")).unwrap_or_default();
    assert!(html.contains("The tag index."), "{log}");
}

/// Small sites full of what breaks Hugo builds: permalinks and redirects
/// onto Hugo's own pages and feeds, onto one another, onto folders of
/// other pages, with `:`, `%`, `#`, `?`, spaces and dots; terms made only
/// of punctuation, named like Hugo's files, or `..`. Each must build with
/// no error and no warning (the fixes were found by generating such sites).
#[test]
fn generated_hostile_sites_build_clean() {
    let Some(hugo) = common::tool("hugo") else {
        return;
    };
    const LINKS: &[&str] = &[
        "/",
        "/a/",
        "/a.html",
        "/a.html/",
        "/A/",
        "/a",
        "/a/b/",
        "/index.html",
        "/posts/x/",
        "/posts/",
        "/tags/",
        "/tags/x/",
        "/categories/",
        "/x y/",
        "/ü/",
        "/%20/",
        "/..",
        "//x//",
        "/x.xml",
        "/sitemap.xml",
        "/index.xml",
        "/index.xml/",
        "/404.html",
        "/page/2/",
        "/x?y",
        "/x#y",
        "/:title/",
        "/a:b/",
        "/:year/",
        "/index/",
        "/x/index.html",
        "/-/",
        "/~x/",
        "/a.b.c/",
    ];
    const TERMS: &[&str] = &[
        "x",
        "X",
        "a b",
        "a/b",
        "..",
        ".",
        "-",
        "#",
        "%",
        "?",
        "ü",
        "日本",
        "😀",
        "c++",
        " ",
        "index",
        "page",
        "tags",
        "index.xml",
        "posts",
    ];
    /// xorshift: the same sites on every run.
    struct Gen(u64);
    impl Gen {
        fn next(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }
        /// A YAML list of up to `most` items of `list`.
        fn pick(&mut self, list: &[&str], most: usize) -> String {
            let k = 1 + self.next(most);
            let picked: Vec<String> = (0..k)
                .map(|_| format!("{:?}", list[self.next(list.len())]))
                .collect();
            format!("[{}]", picked.join(", "))
        }
    }
    let mut g = Gen(0x9e37_79b9_7f4a_7c15);
    for site_no in 0..24 {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path();
        std::fs::create_dir_all(root.join("_posts")).expect("mkdir");
        std::fs::write(root.join("_config.yml"), "title: Hostile\n").expect("write");
        for i in 0..6 {
            let mut fm = format!("title: P{i}\n");
            let roll = g.next(10);
            if roll < 6 {
                fm.push_str(&format!("permalink: {:?}\n", LINKS[g.next(LINKS.len())]));
            }
            if roll.is_multiple_of(3) {
                fm.push_str(&format!("redirect_from: {}\n", g.pick(LINKS, 3)));
            }
            if roll.is_multiple_of(2) {
                fm.push_str(&format!("tags: {}\n", g.pick(TERMS, 4)));
            }
            if roll < 4 {
                fm.push_str(&format!("categories: {}\n", g.pick(TERMS, 2)));
            }
            let file = if i < 4 {
                format!("_posts/2020-01-0{}-p{i}.md", i + 1)
            } else {
                format!("page{i}.md")
            };
            std::fs::write(root.join(file), format!("---\n{fm}---\nBody {i}.\n")).expect("write");
        }
        let (out, _) = read_and_convert(root);
        let (code, bad, log) = build(&hugo, out.path());
        if code != 0 || !bad.is_empty() {
            let posts: Vec<String> = walk(root)
                .iter()
                .filter(|p| p.extension().is_some_and(|e| e == "md"))
                .map(|p| std::fs::read_to_string(p).unwrap_or_default())
                .collect();
            panic!(
                "site {site_no}: hugo exit {code}, {bad:?}\n{}\n{log}",
                posts.join("\n")
            );
        }
    }
}

/// The site's language follows the one rule of every format: a Korean
/// blog without `lang` is marked `ko` (guessed, with the shared note), a
/// site with `lang: fr` is `fr` with no note.
#[test]
fn the_locale_is_the_sites_language_or_guessed_with_a_note() {
    let locale = |out: &Path| {
        let text = std::fs::read_to_string(out.join("hugo.toml")).expect("hugo.toml");
        let t: toml::Table = toml::from_str(&text).expect("hugo.toml parses");
        t["locale"].as_str().map(str::to_string)
    };
    let ko = common::korean_site("");
    let (out, summary, _) = common::convert_with("hugo", ko.path(), "hugo");
    assert_eq!(locale(out.path()).as_deref(), Some("ko"));
    common::assert_lang_guessed(&summary.diagnostics, "ko");

    let fr = common::french_site();
    let (out, summary, _) = common::convert_with("hugo", fr.path(), "hugo");
    assert_eq!(locale(out.path()).as_deref(), Some("fr"));
    common::assert_no_lang_note(&summary.diagnostics);
}

/// The built-in layouts show a post's author by the name `_data/authors`
/// gives its key (the params keep the key, as themes look it up), and the
/// page is in the site's language.
#[test]
fn the_layouts_show_authors_by_name() {
    let Some(hugo) = common::tool("hugo") else {
        return;
    };
    let dir = common::korean_site("");
    let (out, _, _) = common::convert_with("hugo", dir.path(), "hugo");
    let log = built_clean(&hugo, out.path());
    let html = std::fs::read_to_string(out.path().join("public/2020/01/01/hello.html"))
        .unwrap_or_else(|e| panic!("the post is built ({e}): {log}"));
    assert!(html.contains("<html lang=\"ko\">"), "{html}");
    assert!(
        html.contains("<p class=\"meta p-author\">Robin Sloan</p>"),
        "{html}"
    );
    let md = std::fs::read_to_string(out.path().join("content/posts/2020-01-01-hello.md"))
        .expect("the post's content file");
    assert!(md.contains("author: \"robin\""), "{md}");
}
