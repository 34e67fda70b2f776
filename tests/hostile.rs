//! Hostile and broken input (issue 9): one case per thing users feed the
//! tool. Each runs the real binary (`convert --to jsonfeed`) on a small site
//! that holds the bad file next to a good post, and asserts
//! - the diagnostic: kind, file, and line and column where they are known;
//! - the exit code: 0 clean, 1 some documents not converted, 2 unusable;
//! - that the rest of the site is still converted (the good post is in the
//!   feed);
//! - that nothing appeared or changed outside OUT (the site and OUT's parent
//!   are snapshotted before and after).

mod harness;

use harness::{assert_good_post_converted, convert_checked, feed, feed_urls, Sandbox};

/// Converts to a JSON Feed in `out/` and returns the run.
fn convert(sb: &Sandbox) -> harness::Run {
    convert_checked(sb, "jsonfeed", "out", &[])
}

#[test]
fn malformed_yaml_in_front_matter() {
    let sb = Sandbox::new().with_good_post();
    sb.write(
        "_posts/2020-02-01-bad-yaml.md",
        "---\ntitle: Fine\ntags: [one, two\ndate: 2020-02-01\n---\nBody kept.\n",
    );
    let r = convert(&sb);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    let d = r.one("yaml-syntax", "_posts/2020-02-01-bad-yaml.md");
    assert_eq!(d.severity, "error");
    // The flow list opened on line 3 is cut by the `date:` line; the YAML
    // parser notices at line 4 (the key indicator it did not expect).
    assert_eq!(d.line, Some(4), "{d:?}");
    assert!(d.column.is_some(), "{d:?}");
    assert_good_post_converted(&sb.path("out"));
    // Read as Jekyll reads it: no front matter, title from the file name.
    let f = feed(&sb.path("out"));
    let titles: Vec<&str> = f["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|i| i["title"].as_str())
        .collect();
    assert!(titles.contains(&"Bad Yaml"), "{titles:?}");
}

#[test]
fn malformed_yaml_in_config() {
    let sb = Sandbox::new().with_good_post();
    sb.write(
        "_config.yml",
        "title: My blog\nurl: \"https://example.org\nbaseurl: /x\n",
    );
    let r = convert(&sb);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    let d = r.one("config-syntax", "_config.yml");
    assert_eq!(d.severity, "error");
    assert!(d.line.is_some() && d.column.is_some(), "{d:?}");
    assert!(d.message.contains("defaults"), "{d:?}");
    assert_good_post_converted(&sb.path("out"));
}

#[test]
fn malformed_data_files() {
    let sb = Sandbox::new().with_good_post();
    sb.write("_data/people.yml", "- name: Ann\n  - broken: [\n");
    sb.write("_data/links.json", "{\"a\": 1,\n \"b\": }\n");
    sb.write("_data/ok.yml", "answer: 42\n");
    sb.write(
        "_posts/2020-02-02-uses-data.md",
        "---\ntitle: Uses data\n---\nThe answer is {{ site.data.ok.answer }}.\n",
    );
    let r = convert(&sb);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    let yaml = r.one("yaml-syntax", "_data/people.yml");
    assert_eq!(yaml.line, Some(2), "{yaml:?}");
    let json = r.one("json-syntax", "_data/links.json");
    assert_eq!((json.line, json.column), (Some(2), Some(7)), "{json:?}");
    assert_good_post_converted(&sb.path("out"));
    let text = serde_json::to_string(&feed(&sb.path("out"))).expect("json");
    assert!(text.contains("The answer is 42."), "{text}");
}

#[test]
fn front_matter_never_closed() {
    let sb = Sandbox::new().with_good_post();
    sb.write(
        "_posts/2020-02-03-open.md",
        "---\ntitle: Never closed\n\nThe body starts here.\n",
    );
    let r = convert(&sb);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    let d = r.one("front-matter-unclosed", "_posts/2020-02-03-open.md");
    assert_eq!((d.line, d.column), (Some(1), Some(1)));
    assert_good_post_converted(&sb.path("out"));
    // Kept, as Jekyll keeps it: the whole file is the body.
    let urls = feed_urls(&feed(&sb.path("out")));
    assert!(urls.iter().any(|u| u.ends_with("/2020/02/03/open.html")));
}

#[test]
fn empty_files() {
    let sb = Sandbox::new().with_good_post();
    sb.write("_posts/2020-02-04-empty.md", "");
    sb.write("empty.md", "");
    sb.write("_posts/2020-02-05-only-fences.md", "---\n---\n");
    let r = convert(&sb);
    // Empty files are legal: Jekyll copies an empty page and reads an empty
    // front matter; nothing is lost, so the run is clean.
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(r.of_kind("internal-error").is_empty());
    assert_good_post_converted(&sb.path("out"));
    let urls = feed_urls(&feed(&sb.path("out")));
    assert!(
        urls.iter()
            .any(|u| u.ends_with("/2020/02/05/only-fences.html")),
        "{urls:?}"
    );
}

#[test]
fn byte_order_mark() {
    let sb = Sandbox::new().with_good_post();
    // In a post, Jekyll reads with `bom|utf-8`: the mark is dropped.
    sb.write(
        "_posts/2020-02-06-bom.md",
        b"\xEF\xBB\xBF---\ntitle: With a BOM\n---\nText.\n",
    );
    // A page is recognised by its first bytes, so with a mark in front
    // Jekyll copies it as a static file: reported.
    sb.write("bom-page.md", b"\xEF\xBB\xBF---\ntitle: Page\n---\nText.\n");
    let r = convert(&sb);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let d = r.one("bom-front-matter", "bom-page.md");
    assert_eq!(d.severity, "warning");
    let f = feed(&sb.path("out"));
    let item = f["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["title"] == "With a BOM")
        .cloned()
        .expect("the BOM post keeps its title");
    assert!(item["url"]
        .as_str()
        .unwrap_or("")
        .ends_with("/2020/02/06/bom.html"));
    assert_good_post_converted(&sb.path("out"));
}

#[test]
fn crlf_and_mixed_line_ends() {
    let sb = Sandbox::new().with_good_post();
    // Front matter in CRLF, body mixing CRLF and LF; the unknown tag on
    // line 6 must be reported on line 6.
    sb.write(
        "_posts/2020-02-07-crlf.md",
        "---\r\ntitle: Windows\r\ntags: [a, b]\r\n---\r\nFirst line.\n{% unknowntag x %}\r\nLast line.\r\n",
    );
    let r = convert(&sb);
    let d = r.one("unknown-tag", "_posts/2020-02-07-crlf.md");
    assert_eq!(d.line, Some(6), "{d:?}");
    assert_eq!(r.code, Some(0), "an unknown tag is a warning: {}", r.stderr);
    let f = feed(&sb.path("out"));
    let item = f["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["title"] == "Windows")
        .cloned()
        .expect("the CRLF post keeps its title");
    assert_eq!(item["tags"], serde_json::json!(["a", "b"]));
    let html = item["content_html"].as_str().unwrap_or("");
    assert!(!html.contains('\r'), "{html:?}");
    assert!(html.contains("Last line."), "{html}");
    assert_good_post_converted(&sb.path("out"));
}

#[test]
fn invalid_utf8_and_binary_files_named_md() {
    let sb = Sandbox::new().with_good_post();
    let mut png = b"---\ntitle: Picture\n---\n".to_vec();
    png.extend_from_slice(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10");
    sb.write("_posts/2020-02-08-binary.md", &png);
    sb.write(
        "_posts/2020-02-09-broken.md",
        b"---\ntitle: Broken\n---\nok line\nbad \xC3\x28 byte\n",
    );
    // Binary with no front matter at all: a static file, copied as is.
    sb.write("image.md", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    let r = convert(&sb);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    // The first NUL is on line 6: three lines of front matter, then the
    // PNG signature's own line ends (`\r\n`, `\n`).
    let bin = r.one("binary", "_posts/2020-02-08-binary.md");
    assert_eq!(bin.line, Some(6), "{bin:?}");
    let utf = r.one("not-utf8", "_posts/2020-02-09-broken.md");
    assert_eq!((utf.line, utf.column), (Some(5), Some(5)), "{utf:?}");
    assert!(r.diagnostics().iter().all(|d| d.file != "image.md"));
    let urls = feed_urls(&feed(&sb.path("out")));
    assert!(!urls
        .iter()
        .any(|u| u.contains("binary") || u.contains("broken")));
    assert_good_post_converted(&sb.path("out"));
}

#[test]
fn latin1_text() {
    let sb = Sandbox::new().with_good_post();
    // "Café crème" in Latin-1: é is 0xE9, è is 0xE8.
    sb.write(
        "_posts/2020-02-10-latin1.md",
        b"---\ntitle: Caf\xE9\n---\ncr\xE8me\n",
    );
    let r = convert(&sb);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    let d = r.one("not-utf8", "_posts/2020-02-10-latin1.md");
    assert_eq!((d.line, d.column), (Some(2), Some(11)), "{d:?}");
    assert!(d.message.contains("UTF-8"), "{d:?}");
    assert_good_post_converted(&sb.path("out"));
}

#[test]
fn yaml_alias_bomb_and_deep_nesting() {
    let sb = Sandbox::new().with_good_post();
    // "Billion laughs": nine levels of nine aliases, 9^9 values.
    let mut bomb = String::from("---\na0: &a0 [lol]\n");
    for i in 1..=9 {
        let prev = format!("*a{}", i - 1);
        let list = [prev.as_str(); 9].join(", ");
        bomb.push_str(&format!("a{i}: &a{i} [{list}]\n"));
    }
    bomb.push_str("---\nboom\n");
    sb.write("_posts/2020-02-11-bomb.md", &bomb);
    sb.write(
        "_data/bomb.yml",
        bomb.trim_start_matches("---\n").replace("---\nboom\n", ""),
    );
    let deep = format!(
        "---\nx: {}1{}\n---\ndeep\n",
        "[".repeat(5000),
        "]".repeat(5000)
    );
    sb.write("_posts/2020-02-12-deep.md", &deep);
    let mut block = String::from("---\n");
    for i in 0..400 {
        block.push_str(&format!("{}k{i}:\n", " ".repeat(i)));
    }
    block.push_str("---\nblock\n");
    sb.write("_posts/2020-02-13-block.md", &block);
    let started = std::time::Instant::now();
    let r = convert(&sb);
    assert!(
        started.elapsed().as_secs() < 30,
        "took {:?}",
        started.elapsed()
    );
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    let b = r.one("yaml-syntax", "_posts/2020-02-11-bomb.md");
    assert!(b.message.contains("values"), "{b:?}");
    let data = r.one("yaml-syntax", "_data/bomb.yml");
    assert!(data.message.contains("values"), "{data:?}");
    let d = r.one("yaml-syntax", "_posts/2020-02-12-deep.md");
    assert_eq!((d.line, d.column), (Some(2), Some(68)), "{d:?}");
    let k = r.one("yaml-syntax", "_posts/2020-02-13-block.md");
    assert_eq!(k.line, Some(259), "{k:?}");
    assert_good_post_converted(&sb.path("out"));
}

#[test]
fn a_100_mb_post_is_refused_quickly() {
    use std::io::Write;
    let sb = Sandbox::new().with_good_post();
    let path = sb.site().join("_posts/2020-02-14-huge.md");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&path).expect("create"));
    f.write_all(b"---\ntitle: Huge\n---\n").expect("write");
    let line = [b"All work and no play makes a huge post. ".as_slice(); 16].concat();
    let mut written = 0usize;
    while written < 100 * 1024 * 1024 {
        f.write_all(&line).expect("write");
        f.write_all(b"\n").expect("write");
        written += line.len() + 1;
    }
    f.flush().expect("flush");
    drop(f);
    let started = std::time::Instant::now();
    let before = harness::snapshot(sb.root());
    let r = harness::run_env(
        [
            "convert".as_ref(),
            sb.site().as_os_str(),
            "--to".as_ref(),
            "jsonfeed".as_ref(),
            "-o".as_ref(),
            sb.path("out").as_os_str(),
        ],
        &[("JEKYLL_MIGRATE_PEAK_RSS", "1")],
    );
    let took = started.elapsed();
    harness::assert_only_out_changed(&before, &harness::snapshot(sb.root()), "out".as_ref());
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    let d = r.one("too-large", "_posts/2020-02-14-huge.md");
    assert!(d.message.contains("MiB"), "{d:?}");
    // Refused from its size alone: never read into memory.
    let peak_kib: u64 = r
        .stderr
        .lines()
        .find_map(|l| l.strip_prefix("peak_rss_kib: "))
        .and_then(|v| v.trim().parse().ok())
        .expect("peak RSS printed");
    assert!(peak_kib < 64 * 1024, "peak RSS {peak_kib} KiB");
    assert!(took.as_secs() < 20, "took {took:?}");
    assert_good_post_converted(&sb.path("out"));
}

#[test]
fn dates_that_do_not_exist() {
    let sb = Sandbox::new().with_good_post();
    sb.write("_posts/2021-02-30-ghost.md", "---\ntitle: Ghost\n---\nx\n");
    sb.write(
        "_posts/2021-01-01-front.md",
        "---\ntitle: Front\ndate: 2021-04-31 10:00:00\n---\nx\n",
    );
    sb.write(
        "_posts/2021-01-02-nonsense.md",
        "---\ntitle: Nonsense\ndate: 2021-13-45\n---\nx\n",
    );
    let r = convert(&sb);
    // Ruby rolls Feb 30 over to Mar 2 and Apr 31 to May 1: Jekyll's URLs
    // are kept, with a warning. Month 13 Jekyll cannot read: an error, the
    // file name's date is used.
    let ghost = r.one("date-rolled-over", "_posts/2021-02-30-ghost.md");
    assert!(ghost.message.contains("2021-03-02"), "{ghost:?}");
    let front = r.one("date-rolled-over", "_posts/2021-01-01-front.md");
    assert!(front.message.contains("2021-05-01"), "{front:?}");
    let bad = r.one("invalid-date", "_posts/2021-01-02-nonsense.md");
    assert_eq!(bad.severity, "error");
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    let urls = feed_urls(&feed(&sb.path("out")));
    for wanted in [
        "/2021/03/02/ghost.html",
        "/2021/05/01/front.html",
        "/2021/01/02/nonsense.html",
    ] {
        assert!(
            urls.iter().any(|u| u.ends_with(wanted)),
            "{wanted}: {urls:?}"
        );
    }
    assert_good_post_converted(&sb.path("out"));
}

#[test]
fn impossible_permalinks() {
    let sb = Sandbox::new().with_good_post();
    let cases = [
        ("a", "/:nonexistent/:title/"),
        ("b", "../../../etc/passwd"),
        ("c", "/%2e%2e/%2e%2e/etc/x.html"),
        ("d", "C:\\\\Windows\\\\x.html"),
        ("e", "/with\\0nul/x.html"),
        ("f", ""),
        ("g", "/////"),
    ];
    for (name, permalink) in cases {
        sb.write(
            &format!("_posts/2020-03-01-{name}.md"),
            format!("---\ntitle: {name}\npermalink: \"{permalink}\"\n---\nx\n"),
        );
    }
    let r = convert(&sb);
    let p = r.one("permalink-placeholder", "_posts/2020-03-01-a.md");
    assert_eq!(p.severity, "error");
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    let urls = feed_urls(&feed(&sb.path("out")));
    assert_eq!(urls.len(), 8, "every post is kept: {urls:?}");
    // No URL climbs above the site.
    for u in &urls {
        let path = u.trim_start_matches("http://localhost");
        assert!(!path.contains("/../") && !path.contains('\0'), "{u}");
    }
    assert_good_post_converted(&sb.path("out"));
}

#[test]
fn duplicate_urls_keep_both_and_report_the_clash() {
    let sb = Sandbox::new().with_good_post();
    sb.write(
        "_posts/2020-04-01-one.md",
        "---\ntitle: One\npermalink: /same/\n---\nfirst\n",
    );
    sb.write(
        "_posts/2020-04-02-two.md",
        "---\ntitle: Two\npermalink: /same/\n---\nsecond\n",
    );
    sb.write("same/index.html", "a static file in the way\n");
    let r = convert(&sb);
    for file in [
        "_posts/2020-04-01-one.md",
        "_posts/2020-04-02-two.md",
        "same/index.html",
    ] {
        let d = r.one("url-conflict", file);
        assert_eq!(d.severity, "warning");
        assert!(d.message.contains("/same/index.html"), "{d:?}");
    }
    // The feed converter cannot give two items one id: it says so, as an
    // error (readers show one of them), and keeps both.
    let dup = r.one("duplicate-url", "http://localhost/same/");
    assert_eq!(dup.severity, "error");
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    // The reader alone: warnings only, exit 0.
    let inspect = harness::run(["inspect".as_ref(), sb.site().as_os_str()]);
    assert_eq!(
        inspect.of_kind("url-conflict").len(),
        3,
        "{}",
        inspect.stderr
    );
    assert_eq!(inspect.code, Some(0), "{}", inspect.stderr);
    let f = feed(&sb.path("out"));
    let titles: Vec<&str> = f["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|i| i["title"].as_str())
        .collect();
    assert!(
        titles.contains(&"One") && titles.contains(&"Two"),
        "{titles:?}"
    );
    assert_good_post_converted(&sb.path("out"));
}

#[test]
fn liquid_that_never_closes() {
    let sb = Sandbox::new().with_good_post();
    sb.write(
        "_posts/2020-05-01-if.md",
        "---\ntitle: If\n---\nline 4\n{% if page.title %}\nnever closed\n",
    );
    sb.write(
        "_posts/2020-05-02-output.md",
        "---\ntitle: Output\n---\nline 4\nline 5 {{ page.title \nmore\n",
    );
    sb.write(
        "_posts/2020-05-03-raw.md",
        "---\ntitle: Raw\n---\n{% raw %}\n{{ kept }}\n",
    );
    sb.write(
        "_posts/2020-05-04-comment.md",
        "---\ntitle: Comment\n---\nshown\n{% comment %}\nhidden forever\n",
    );
    let r = convert(&sb);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    for (file, line) in [
        ("_posts/2020-05-01-if.md", 5),
        ("_posts/2020-05-02-output.md", 5),
        ("_posts/2020-05-03-raw.md", 4),
        ("_posts/2020-05-04-comment.md", 5),
    ] {
        let d = r.one("liquid-unclosed", file);
        assert_eq!(d.severity, "error", "{d:?}");
        assert_eq!(d.line, Some(line), "{d:?}");
    }
    // The documents are kept with their body as written.
    let text = serde_json::to_string(&feed(&sb.path("out"))).expect("json");
    assert!(text.contains("never closed"), "{text}");
    assert_good_post_converted(&sb.path("out"));
}

#[test]
fn liquid_nested_past_jekylls_limit() {
    let sb = Sandbox::new().with_good_post();
    // Blocks n deep, one opening tag a line from the body's second line on.
    let nested = |n: usize| {
        let mut t = String::from("first line\n");
        for i in 0..n {
            t.push_str(&format!("{{% if page.title %}}level {i}\n"));
        }
        t.push_str(&"{% endif %}".repeat(n));
        t.push('\n');
        t
    };
    // Jekyll's Liquid allows 100 blocks inside one another: rendered.
    sb.write(
        "_posts/2020-05-05-hundred.md",
        format!("---\ntitle: Hundred\n---\n{}", nested(100)),
    );
    // Far past it: Liquid refuses the document (and a recursive parser
    // would overflow its stack); the body is kept as written.
    sb.write(
        "_posts/2020-05-06-deep.md",
        format!("---\ntitle: Deep\n---\n{}", nested(20_000)),
    );
    let r = convert(&sb);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    let d = r.one("liquid-too-deep", "_posts/2020-05-06-deep.md");
    assert_eq!(d.severity, "error", "{d:?}");
    // Body from line 4; the 101st `if` is on the body's 102nd line.
    assert_eq!(d.line, Some(105), "{d:?}");
    assert!(r
        .diagnostics()
        .iter()
        .all(|d| d.file != "_posts/2020-05-05-hundred.md"));
    let f = feed(&sb.path("out"));
    let item = |title: &str| {
        f["items"]
            .as_array()
            .expect("items")
            .iter()
            .find(|i| i["title"] == title)
            .and_then(|i| i["content_html"].as_str())
            .map(str::to_string)
            .unwrap_or_else(|| panic!("{title} is in the feed"))
    };
    let hundred = item("Hundred");
    assert!(hundred.contains("level 99"), "{hundred}");
    assert!(!hundred.contains("{%"), "{hundred}");
    assert!(item("Deep").contains("{% if page.title %}level 19999"));
    assert_good_post_converted(&sb.path("out"));
}

#[test]
fn runaway_liquid_is_stopped_not_run_until_memory_runs_out() {
    let sb = Sandbox::new().with_good_post();
    // A string doubled forty times: a terabyte by the end.
    sb.write(
        "_posts/2020-05-07-double.md",
        "---\ntitle: Double\n---\nintro\n{% assign s = 'ab' %}{% for i in (1..40) %}{% assign s = s | append: s %}{% endfor %}{{ s | size }}\n",
    );
    // A megabyte written a thousand times.
    sb.write(
        "_posts/2020-05-08-output.md",
        format!(
            "---\ntitle: Output\n---\n{{% assign k = '{}' %}}{{% for i in (1..14) %}}{{% assign k = k | append: k %}}{{% endfor %}}{{% for i in (1..1000) %}}{{{{ k }}}}{{% endfor %}}\n",
            "k".repeat(64)
        ),
    );
    // A billion-number range the loop leaves at once: made one number at
    // a time, as Ruby does, not all before the first turn.
    sb.write(
        "_posts/2020-05-09-range.md",
        "---\ntitle: Range\n---\n{% for i in (1..1000000000) %}{% if i > 3 %}{% break %}{% endif %}{{ i }}{% endfor %}\n",
    );
    let started = std::time::Instant::now();
    let r = convert(&sb);
    assert!(started.elapsed().as_secs() < 60, "{:?}", started.elapsed());
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    for (file, says) in [
        ("_posts/2020-05-07-double.md", "`s` is set to more than"),
        ("_posts/2020-05-08-output.md", "it writes more than"),
    ] {
        let d = r.one("liquid-too-large", file);
        assert_eq!(d.severity, "error", "{d:?}");
        assert_eq!(d.line, Some(4), "{d:?}");
        assert!(d.message.contains(says), "{d:?}");
    }
    let f = feed(&sb.path("out"));
    let html = |title: &str| {
        f["items"]
            .as_array()
            .expect("items")
            .iter()
            .find(|i| i["title"] == title)
            .and_then(|i| i["content_html"].as_str())
            .map(str::to_string)
            .unwrap_or_else(|| panic!("{title} is in the feed"))
    };
    // Kept as written.
    assert!(html("Double").contains("append: s"), "{}", html("Double"));
    assert!(html("Range").contains("<p>123</p>"), "{}", html("Range"));
    assert_good_post_converted(&sb.path("out"));
}

#[test]
fn conditions_too_long_for_the_parser_are_refused_not_a_crash() {
    let sb = Sandbox::new().with_good_post();
    let terms: Vec<String> = (0..20_000).map(|i| format!("a{i}")).collect();
    sb.write(
        "_posts/2020-05-10-and.md",
        format!(
            "---\ntitle: And\n---\nfirst\n{{% if {} %}}x{{% endif %}}\n",
            terms.join(" and ")
        ),
    );
    sb.write(
        "_posts/2020-05-11-elsif.md",
        format!(
            "---\ntitle: Elsif\n---\n{{% if a %}}\n{}{{% endif %}}\n",
            "{% elsif b %}\n".repeat(20_000)
        ),
    );
    // The same condition in a where_exp filter fails that document alone.
    sb.write(
        "_posts/2020-05-12-where.md",
        format!(
            "---\ntitle: Where\n---\n{{{{ site.posts | where_exp: 'p', '{}' | size }}}}\n",
            terms.join(" or ")
        ),
    );
    let r = convert(&sb);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    let d = r.one("liquid-too-deep", "_posts/2020-05-10-and.md");
    assert_eq!(d.line, Some(5), "{d:?}");
    assert!(d.message.contains("`and`/`or`"), "{d:?}");
    // The 1,001st elsif, on the body's 1,002nd line.
    let d = r.one("liquid-too-deep", "_posts/2020-05-11-elsif.md");
    assert_eq!(d.line, Some(4 + 1001), "{d:?}");
    let d = r.one("liquid-error", "_posts/2020-05-12-where.md");
    assert!(d.message.contains("`and`/`or`"), "{d:?}");
    // Without the filter's input (every post, in hash order).
    assert!(!d.message.contains("input="), "{d:?}");
    assert_good_post_converted(&sb.path("out"));
}

#[test]
fn an_include_that_includes_itself() {
    let sb = Sandbox::new().with_good_post();
    sb.write("_includes/loop.html", "<b>again</b>{% include loop.html %}");
    sb.write("_includes/ping.html", "ping {% include pong.html %}");
    sb.write("_includes/pong.html", "pong {% include ping.html %}");
    sb.write(
        "_posts/2020-06-01-loop.md",
        "---\ntitle: Loop\n---\nintro\n\n{% include loop.html %}\n\n{% include ping.html %}\n",
    );
    let started = std::time::Instant::now();
    let r = convert(&sb);
    assert!(started.elapsed().as_secs() < 30);
    let loops = r.of_kind("include-loop");
    assert_eq!(loops.len(), 2, "{}", r.stderr);
    for d in &loops {
        assert_eq!(d.file, "_posts/2020-06-01-loop.md");
        assert!(d.line == Some(6) || d.line == Some(8), "{d:?}");
    }
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    let text = serde_json::to_string(&feed(&sb.path("out"))).expect("json");
    assert!(text.contains("intro"), "{text}");
    assert_good_post_converted(&sb.path("out"));
}

#[cfg(unix)]
#[test]
fn symlink_loops() {
    use std::os::unix::fs::symlink;
    let sb = Sandbox::new().with_good_post();
    let site = sb.site();
    sb.write("a/page.md", "---\ntitle: A\n---\nhi\n");
    symlink(site.join("a"), site.join("a/again")).expect("symlink");
    symlink(site.join("_posts"), site.join("_posts/nested")).expect("symlink");
    symlink(site.join("self.md"), site.join("self.md")).expect("symlink");
    sb.write("_data/ok.yml", "x: 1\n");
    symlink(site.join("_data"), site.join("_data/deeper")).expect("symlink");
    sb.write("_includes/x.html", "x");
    symlink(site.join("_includes"), site.join("_includes/inner")).expect("symlink");
    let started = std::time::Instant::now();
    let r = convert(&sb);
    assert!(started.elapsed().as_secs() < 30);
    let d = r.one("symlink-broken", "self.md");
    assert_eq!(d.severity, "warning");
    for file in [
        "a/again",
        "_posts/nested",
        "_data/deeper",
        "_includes/inner",
    ] {
        assert_eq!(r.one("symlink-loop", file).severity, "warning");
    }
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert_good_post_converted(&sb.path("out"));
    // The good post once, not once per loop turn.
    let urls = feed_urls(&feed(&sb.path("out")));
    assert_eq!(urls.len(), 1, "{urls:?}");
}

#[cfg(unix)]
#[test]
fn symlinks_out_of_the_site_are_not_followed() {
    use std::os::unix::fs::symlink;
    let sb = Sandbox::new().with_good_post();
    let secret = sb.path("secret");
    harness::write_file(
        &secret.join("post.md"),
        b"---\ntitle: SECRET\n---\nSECRET TEXT\n",
    );
    harness::write_file(&secret.join("data.yml"), b"pin: SECRET-PIN\n");
    harness::write_file(&secret.join("inc.html"), b"SECRET INCLUDE");
    let site = sb.site();
    symlink(
        secret.join("post.md"),
        site.join("_posts/2020-07-01-leak.md"),
    )
    .expect("symlink");
    symlink(secret.join("data.yml"), site.join("_data_link.yml")).expect("symlink");
    std::fs::create_dir_all(site.join("_data")).expect("mkdir");
    symlink(secret.join("data.yml"), site.join("_data/pins.yml")).expect("symlink");
    std::fs::create_dir_all(site.join("_includes")).expect("mkdir");
    symlink(secret.join("inc.html"), site.join("_includes/inc.html")).expect("symlink");
    symlink(&secret, site.join("assets")).expect("symlink");
    sb.write(
        "_posts/2020-07-02-reader.md",
        "---\ntitle: Reader\n---\n{{ site.data.pins.pin }} {% include inc.html %}\n",
    );
    let r = convert(&sb);
    for file in [
        "_posts/2020-07-01-leak.md",
        "_data/pins.yml",
        "_includes/inc.html",
        "assets",
    ] {
        let d = r.one("symlink-outside", file);
        assert_eq!(d.severity, "warning");
    }
    // The include is then missing, which the content layer reports as an
    // error of the post that uses it: exit 1.
    let missing = r.one("missing-include", "_posts/2020-07-02-reader.md");
    assert_eq!(
        (missing.severity.as_str(), missing.line),
        ("error", Some(4))
    );
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    let text = serde_json::to_string(&feed(&sb.path("out"))).expect("json");
    assert!(!text.contains("SECRET"), "{text}");
    assert_good_post_converted(&sb.path("out"));
}

#[test]
fn usage_errors_and_unusable_sites_exit_2_and_write_nothing() {
    let sb = Sandbox::new().with_good_post();
    sb.write("not-a-site.md", "just a file\n");
    let site = sb.site();
    let out = sb.path("out");
    let file_site = site.join("not-a-site.md");
    let missing = sb.path("no-such-site");
    let cases: Vec<(&str, Vec<&std::ffi::OsStr>)> = vec![
        (
            "unknown format",
            vec![
                "convert".as_ref(),
                site.as_os_str(),
                "--to".as_ref(),
                "docx".as_ref(),
            ],
        ),
        ("no --to", vec!["convert".as_ref(), site.as_os_str()]),
        (
            "unknown flag",
            vec![
                "convert".as_ref(),
                site.as_os_str(),
                "--to".as_ref(),
                "jsonfeed".as_ref(),
                "--bogus".as_ref(),
            ],
        ),
        (
            "missing site",
            vec![
                "convert".as_ref(),
                missing.as_os_str(),
                "--to".as_ref(),
                "jsonfeed".as_ref(),
                "-o".as_ref(),
                out.as_os_str(),
            ],
        ),
        (
            "a file as the site",
            vec![
                "convert".as_ref(),
                file_site.as_os_str(),
                "--to".as_ref(),
                "jsonfeed".as_ref(),
                "-o".as_ref(),
                out.as_os_str(),
            ],
        ),
        (
            "missing --config file",
            vec![
                "convert".as_ref(),
                site.as_os_str(),
                "--to".as_ref(),
                "jsonfeed".as_ref(),
                "-o".as_ref(),
                out.as_os_str(),
                "--config".as_ref(),
                "nope.yml".as_ref(),
            ],
        ),
        (
            "inspect of a missing site",
            vec!["inspect".as_ref(), missing.as_os_str()],
        ),
    ];
    for (what, args) in cases {
        let before = harness::snapshot(sb.root());
        let r = harness::run(&args);
        assert_eq!(r.code, Some(2), "{what}: {}", r.stderr);
        assert!(!r.stderr.trim().is_empty(), "{what}: says why");
        assert!(!r.stderr.contains("panicked"), "{what}: {}", r.stderr);
        assert_eq!(
            before,
            harness::snapshot(sb.root()),
            "{what}: wrote something"
        );
    }
}

/// Every case above in one site, through every converter in the registry:
/// no panic, nothing outside OUT, exit 1 (some documents could not be
/// converted) with the rest written.
#[test]
fn every_converter_survives_every_case() {
    let sb = Sandbox::new().with_good_post();
    sb.write(
        "_config.yml",
        "title: All of it\nurl: \"https://example.org\"\n",
    );
    sb.write("_data/bad.yml", "- a\n  - [\n");
    sb.write("_data/bad.json", "{\n");
    sb.write("_posts/2020-02-01-bad-yaml.md", "---\ntags: [a\n---\nx\n");
    sb.write("_posts/2020-02-02-open.md", "---\ntitle: open\n\nbody\n");
    sb.write("_posts/2020-02-03-empty.md", "");
    sb.write("empty.md", "");
    sb.write(
        "_posts/2020-02-04-bom.md",
        b"\xEF\xBB\xBF---\r\ntitle: BOM\r\n---\r\nx\n",
    );
    sb.write("bom-page.md", b"\xEF\xBB\xBF---\ntitle: P\n---\nx\n");
    sb.write(
        "_posts/2020-02-05-crlf.md",
        "---\r\ntitle: CRLF\r\n---\r\na\nb\r\r\nc\r",
    );
    sb.write("_posts/2020-02-06-bin.md", b"---\n---\n\x89PNG\0\0");
    sb.write("_posts/2020-02-07-latin1.md", b"---\ntitle: Caf\xE9\n---\n");
    let mut bomb = String::from("---\na0: &a0 [x]\n");
    for i in 1..=9 {
        let list = vec![format!("*a{}", i - 1); 9].join(", ");
        bomb.push_str(&format!("a{i}: &a{i} [{list}]\n"));
    }
    bomb.push_str("---\nx\n");
    sb.write("_posts/2020-02-08-bomb.md", &bomb);
    sb.write(
        "_posts/2020-02-09-deep.md",
        format!("---\nx: {}\n---\nx\n", "[".repeat(3000)),
    );
    sb.write("_posts/2021-02-30-ghost.md", "---\n---\nx\n");
    for (i, p) in [
        "/../../../etc/x.html",
        "/%2e%2e/%2e%2e/y/",
        "/:nope/",
        "C:/z.html",
    ]
    .iter()
    .enumerate()
    {
        sb.write(
            &format!("_posts/2020-03-0{}-perm.md", i + 1),
            format!("---\npermalink: \"{p}\"\n---\nx\n"),
        );
    }
    sb.write(
        "_posts/2020-04-01-one.md",
        "---\npermalink: /same/\n---\n1\n",
    );
    sb.write(
        "_posts/2020-04-02-two.md",
        "---\npermalink: /same/\n---\n2\n",
    );
    sb.write(
        "_posts/2020-05-01-liquid.md",
        "---\n---\n{% if x %}\n{{ y\n",
    );
    sb.write(
        "_posts/2020-05-02-comment.md",
        "---\n---\n{% comment %}{% if x %}\n",
    );
    sb.write("_includes/loop.html", "{% include loop.html %}");
    sb.write(
        "_posts/2020-06-01-loop.md",
        "---\n---\n{% include loop.html %}\n",
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::symlink;
        let site = sb.site();
        std::fs::create_dir_all(site.join("a")).expect("mkdir");
        symlink(site.join("a"), site.join("a/loop")).expect("symlink");
        symlink(site.join("self.md"), site.join("self.md")).expect("symlink");
        harness::write_file(&sb.path("secret.txt"), b"SECRET");
        symlink(sb.path("secret.txt"), site.join("leak.txt")).expect("symlink");
    }
    for conv in jekyll_migrate::converters::registry() {
        let out = format!("out-{}", conv.name());
        let r = convert_checked(&sb, conv.name(), &out, &[]);
        assert_eq!(r.code, Some(1), "{}: {}", conv.name(), r.stderr);
        let tree = harness::read_tree(&sb.path(&out));
        assert!(!tree.is_empty(), "{}", conv.name());
        for (path, bytes) in &tree {
            assert!(
                !String::from_utf8_lossy(bytes).contains("SECRET"),
                "{}: {} holds the file outside the site",
                conv.name(),
                path.display()
            );
        }
    }
}

#[cfg(unix)]
#[test]
fn fifos_are_skipped_not_read() {
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};
    let sb = Sandbox::new().with_good_post();
    std::fs::create_dir_all(sb.site().join("_data")).expect("mkdir");
    let fifos = ["pipe.md", "_posts/2020-01-02-pipe.md", "_data/pipe.yml"];
    for f in fifos {
        let ok = Command::new("mkfifo")
            .arg(sb.site().join(f))
            .status()
            .expect("mkfifo");
        assert!(ok.success());
    }
    let before = harness::snapshot(sb.root());
    // Reading a FIFO would block for ever: run with a deadline.
    let mut child = Command::new(env!("CARGO_BIN_EXE_jekyll-migrate"))
        .arg("convert")
        .arg(sb.site())
        .args(["--to", "jsonfeed", "-o"])
        .arg(sb.path("out"))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let started = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().expect("wait") {
            break s;
        }
        if started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("the run blocked on a FIFO");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let out = child.wait_with_output().expect("output");
    let r = harness::Run {
        code: status.code(),
        stdout: String::new(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    harness::assert_only_out_changed(&before, &harness::snapshot(sb.root()), "out".as_ref());
    for f in fifos {
        assert_eq!(r.one("special-file", f).severity, "warning");
    }
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert_good_post_converted(&sb.path("out"));
}
