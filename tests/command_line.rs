//! The command line as a new user meets it (issue 28): where a book or a
//! feed goes when OUT is a folder, which folders are sites, how formats
//! and flags are named and refused, how diagnostics and the summary read,
//! what `inspect` lists, and that staging folders of dead runs go away.

mod harness;

use std::fs;
use std::path::Path;

use harness::{run, run_in, Sandbox};

/// A small site: two posts (one with a Liquid error), a page, a draft.
fn blog() -> Sandbox {
    let sb = Sandbox::new().with_good_post();
    sb.write("_config.yml", "title: Blog\nurl: https://example.org\n");
    sb.write(
        "_posts/2021-02-03-second.md",
        "---\ntitle: Second\n---\nBroken {% if %} Liquid.\n",
    );
    sb.write(
        "about.md",
        "---\ntitle: About\npermalink: /about/\n---\nMe.\n",
    );
    sb.write("_drafts/soon.md", "---\ntitle: Soon\n---\nLater.\n");
    sb
}

fn convert(sb: &Sandbox, format: &str, out: &str, extra: &[&str]) -> harness::Run {
    let site = sb.site();
    let mut args = vec![
        "convert",
        site.to_str().expect("utf-8 temp path"),
        "--to",
        format,
        "-o",
        out,
    ];
    args.extend(extra);
    run_in(Some(sb.root()), args, &[])
}

fn is_epub(path: &Path) -> bool {
    fs::read(path).is_ok_and(|b| b.starts_with(b"PK\x03\x04") && b[30..].starts_with(b"mimetype"))
}

// ---- OUT for a book or a feed -------------------------------------------

#[test]
fn a_book_goes_into_an_existing_folder_and_keeps_what_is_there() {
    let sb = blog();
    fs::create_dir(sb.path("books")).unwrap();
    fs::write(sb.path("books/other.epub"), "another book").unwrap();
    let r = convert(&sb, "epub", "books/", &["--force"]);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert_eq!(
        fs::read_to_string(sb.path("books/other.epub")).unwrap(),
        "another book"
    );
    assert!(is_epub(&sb.path("books/site-book.epub")));
    assert!(r.stdout.contains("books/site-book.epub"), "{}", r.stdout);
    // Without a trailing slash too: the folder exists.
    let r = convert(&sb, "epub", "books", &["--force"]);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(sb.path("books").is_dir());
    assert!(sb.path("books/other.epub").is_file());
}

#[test]
fn an_empty_folder_or_a_trailing_slash_gets_the_file_inside() {
    let sb = blog();
    fs::create_dir_all(sb.path("some/dir")).unwrap();
    let r = convert(&sb, "epub", "some/dir/", &[]);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(is_epub(&sb.path("some/dir/site-book.epub")));
    // A folder that does not exist yet, named with a trailing slash.
    let r = convert(&sb, "book", "new/", &[]);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(is_epub(&sb.path("new/site-book.epub")));
    // A folder named like a book is still a folder.
    fs::create_dir(sb.path("x.epub")).unwrap();
    let r = convert(&sb, "epub", "x.epub", &[]);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(is_epub(&sb.path("x.epub/site-book.epub")));
}

#[test]
fn force_replaces_only_the_file_written_and_never_a_folder() {
    let sb = blog();
    fs::create_dir(sb.path("books")).unwrap();
    fs::write(sb.path("books/site-book.epub"), "old").unwrap();
    // Without --force the old book stays.
    let r = convert(&sb, "epub", "books/", &[]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(r.stderr.contains("already exists"), "{}", r.stderr);
    assert_eq!(
        fs::read_to_string(sb.path("books/site-book.epub")).unwrap(),
        "old"
    );
    let r = convert(&sb, "epub", "books/", &["--force"]);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(is_epub(&sb.path("books/site-book.epub")));
    // A folder where the book would go is never replaced, even with --force.
    fs::create_dir_all(sb.path("shelf/site-book.epub/notes")).unwrap();
    let r = convert(&sb, "epub", "shelf/", &["--force"]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(
        r.stderr.contains("never replaced by a file"),
        "{}",
        r.stderr
    );
    assert!(sb.path("shelf/site-book.epub/notes").is_dir());
    // A single file named as OUT is replaced with --force, and only it.
    fs::write(sb.path("mine.epub"), "old").unwrap();
    fs::write(sb.path("keep.txt"), "keep").unwrap();
    let r = convert(&sb, "epub", "mine.epub", &["--force"]);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(is_epub(&sb.path("mine.epub")));
    assert!(sb.path("keep.txt").is_file());
    // Nothing is left beside the outputs.
    let hidden: Vec<_> = fs::read_dir(sb.root())
        .unwrap()
        .chain(fs::read_dir(sb.path("books")).unwrap())
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains("jekyll-migrate"))
        .collect();
    assert!(hidden.is_empty(), "{hidden:?}");
}

#[test]
fn a_feed_goes_into_its_folder_next_to_the_files_there() {
    let sb = blog();
    fs::create_dir(sb.path("feeds")).unwrap();
    fs::write(sb.path("feeds/notes.txt"), "mine").unwrap();
    let r = convert(&sb, "jsonfeed", "feeds", &["--force"]);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert_eq!(
        fs::read_to_string(sb.path("feeds/notes.txt")).unwrap(),
        "mine"
    );
    harness::assert_good_post_converted(&sb.path("feeds"));
    // Pages of a feed too; an existing first page needs --force.
    let r = convert(&sb, "json", "feeds", &["--page-size", "1"]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(!sb.path("feeds/feed-2.json").exists());
    let r = convert(&sb, "json-feed", "feeds", &["--page-size", "1", "--force"]);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(sb.path("feeds/feed-2.json").is_file());
    assert_eq!(
        fs::read_to_string(sb.path("feeds/notes.txt")).unwrap(),
        "mine"
    );
}

// ---- Which folders are sites ---------------------------------------------

#[test]
fn a_missing_path_or_a_folder_that_is_no_site_is_refused() {
    let sb = Sandbox::new();
    let r = run(["convert", sb.path("nope").to_str().unwrap(), "--to", "hugo"]);
    assert_eq!(r.code, Some(2));
    assert!(r.stderr.contains("no such file or folder"), "{}", r.stderr);
    // 66 files of something else.
    for i in 0..66 {
        sb.write(&format!("notes/{i}.txt"), "just text\n");
    }
    for format in ["hugo", "epub"] {
        let r = convert(&sb, format, "out", &[]);
        assert_eq!(r.code, Some(2), "{format}: {}", r.stdout);
        assert!(
            r.stderr.contains("does not look like a Jekyll site"),
            "{}",
            r.stderr
        );
        assert!(!sb.path("out").exists(), "{format} wrote something");
    }
    let r = run(["inspect", sb.site().to_str().unwrap()]);
    assert_eq!(r.code, Some(2));
    // With the config named by --config, it is a site.
    sb.write("my-config.yml", "title: Notes\n");
    let cfg = sb.site().join("my-config.yml");
    let r = convert(&sb, "hugo", "out", &["--config", cfg.to_str().unwrap()]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
}

#[test]
fn jekyll_output_is_named_as_output_and_the_source_pointed_to() {
    let sb = blog();
    sb.write(
        "_site/index.html",
        "<html><head><meta name=\"generator\" content=\"Jekyll v4.3.4\" /></head></html>\n",
    );
    sb.write("_site/2020/01/01/good.html", "<p>The good post.</p>\n");
    let built = sb.site().join("_site");
    let r = run([
        "convert",
        built.to_str().unwrap(),
        "--to",
        "epub",
        "-o",
        sb.path("b.epub").to_str().unwrap(),
    ]);
    assert_eq!(r.code, Some(2), "{}", r.stdout);
    assert!(
        r.stderr
            .contains("looks like Jekyll's output, not its source"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains(sb.site().canonicalize().unwrap().to_str().unwrap()),
        "{}",
        r.stderr
    );
    assert!(!sb.path("b.epub").exists());
}

#[test]
fn a_site_without_config_but_with_posts_or_front_matter_is_a_site() {
    let sb = Sandbox::new().with_good_post();
    let r = convert(&sb, "jsonfeed", "feed.json", &[]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let sb = Sandbox::new();
    sb.write("index.md", "---\ntitle: Home\n---\nHello\n");
    let r = convert(&sb, "hugo", "out", &[]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
}

// ---- --to and flags ------------------------------------------------------

#[test]
fn formats_are_listed_and_taken_by_any_of_their_names() {
    let help = run(["convert", "--help"]);
    assert_eq!(help.code, Some(0));
    for name in [
        "hugo",
        "zola",
        "jsonfeed",
        "epub",
        "Hugo options",
        "EPUB options",
    ] {
        assert!(
            help.stdout.contains(name),
            "--help lacks {name}:\n{}",
            help.stdout
        );
    }
    let sb = blog();
    let r = run(["convert", sb.site().to_str().unwrap()]);
    assert_eq!(r.code, Some(2));
    for name in ["hugo", "zola", "jsonfeed", "epub", "--to"] {
        assert!(r.stderr.contains(name), "no {name} in:\n{}", r.stderr);
    }
    for (alias, out) in [
        ("json", "a.json"),
        ("json-feed", "b.json"),
        ("HUGO", "c"),
        ("book", "d.epub"),
        ("EPub", "e.epub"),
    ] {
        let r = convert(&sb, alias, out, &[]);
        assert_eq!(r.code, Some(1), "--to {alias}: {}", r.stderr);
        assert!(sb.path(out).exists(), "--to {alias}");
    }
    let r = convert(&sb, "jsonfed", "f", &[]);
    assert_eq!(r.code, Some(2));
    assert!(
        r.stderr.contains("similar value exists: 'jsonfeed'"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_flag_of_another_format_is_a_usage_error() {
    let sb = blog();
    for (format, flag, owner) in [
        ("hugo", &["--limit", "3"][..], "JSON Feed"),
        ("epub", &["--front-matter", "toml"], "Hugo"),
        ("zola", &["--include-pages"], "EPUB"),
        ("jsonfeed", &["--order", "newest"], "EPUB"),
        ("hugo", &["--fetch-images"], "EPUB"),
    ] {
        let r = convert(&sb, format, "out-x", flag);
        assert_eq!(r.code, Some(2), "{format} {flag:?}");
        assert!(
            r.stderr.contains(flag[0]) && r.stderr.contains(owner),
            "{format} {flag:?}: {}",
            r.stderr
        );
        assert!(!sb.path("out-x").exists());
    }
    let r = convert(&sb, "jsonfeed", "f.json", &["--limit", "0"]);
    assert_eq!(r.code, Some(2));
    assert!(r.stderr.contains("1 or more"), "{}", r.stderr);
    let r = run(["inspect", sb.site().to_str().unwrap(), "--html"]);
    assert_eq!(r.code, Some(2));
    assert!(r.stderr.contains("--json"), "{}", r.stderr);
}

// ---- Diagnostics and the summary ------------------------------------------

#[test]
fn diagnostics_name_files_as_they_open_from_the_current_folder() {
    let sb = blog();
    let r = run_in(
        Some(sb.root()),
        ["convert", "site", "--to", "hugo", "-o", "out"],
        &[],
    );
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    let line = r
        .stderr
        .lines()
        .find(|l| l.contains("error[") && l.contains("second"))
        .unwrap_or_else(|| panic!("no error for the broken post:\n{}", r.stderr));
    let file = line.split(':').next().unwrap();
    assert_eq!(file, "site/_posts/2021-02-03-second.md");
    assert!(sb.root().join(file).is_file());
    let report = fs::read_to_string(sb.path("out/MIGRATION.md")).unwrap();
    assert!(
        report.contains("site/_posts/2021-02-03-second.md:"),
        "{report}"
    );
    // From inside the site, the path is the site's own.
    let r = run_in(
        Some(&sb.site()),
        ["convert", ".", "--to", "hugo", "-o", "../out2"],
        &[],
    );
    assert!(
        r.stderr.contains("\n_posts/2021-02-03-second.md:")
            || r.stderr.starts_with("_posts/2021-02-03-second.md:"),
        "{}",
        r.stderr
    );
}

#[test]
fn message_format_json_prints_one_object_a_line() {
    let sb = blog();
    let r = run_in(
        Some(sb.root()),
        [
            "convert",
            "site",
            "--to",
            "epub",
            "-o",
            "b.epub",
            "--message-format",
            "json",
        ],
        &[],
    );
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    let lines: Vec<serde_json::Value> = r
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    let diags: Vec<_> = lines.iter().filter(|v| v["type"] == "diagnostic").collect();
    assert!(diags.len() >= 2, "{}", r.stdout);
    for d in &diags {
        for key in ["file", "line", "column", "severity", "kind", "message"] {
            assert!(d.get(key).is_some(), "{key} missing in {d}");
        }
    }
    let err = diags
        .iter()
        .find(|d| d["severity"] == "error")
        .expect("an error");
    assert_eq!(err["file"], "site/_posts/2021-02-03-second.md");
    assert!(err["line"].as_u64().is_some());
    assert!(diags.iter().any(|d| d["severity"] == "info"), "notes too");
    assert_eq!(lines.last().unwrap()["type"], "summary");
    assert_eq!(lines.last().unwrap()["errors"], 1);
}

#[test]
fn the_summary_counts_with_plurals_and_names_the_report() {
    let sb = blog();
    let r = run_in(
        Some(sb.root()),
        ["convert", "site", "--to", "hugo", "-o", "out"],
        &[],
    );
    let summary = r.stdout.lines().last().unwrap_or_default().to_string();
    assert!(summary.contains("1 error (liquid"), "{summary}");
    assert!(
        !summary.contains(" 1 errors")
            && !summary.contains(" 1 warnings")
            && !summary.contains(" 1 notes"),
        "{summary}"
    );
    // Each breakdown follows its own count.
    let errors_at = summary.find("error").unwrap();
    let warnings_at = summary.find("warning").unwrap();
    assert!(errors_at < warnings_at, "{summary}");
    assert!(summary.contains("out/MIGRATION.md"), "{summary}");
    // A book has no report to name.
    let r = run_in(
        Some(sb.root()),
        ["convert", "site", "--to", "epub", "-o", "b.epub"],
        &[],
    );
    assert!(!r.stdout.contains("MIGRATION.md"), "{}", r.stdout);
}

// ---- inspect ---------------------------------------------------------------

#[test]
fn inspect_lists_documents_with_their_urls_and_says_what_of_drafts() {
    let sb = blog();
    sb.write(
        "_posts/2021-03-01-bad.md",
        "---\ntitle: [unclosed\n---\nBody\n",
    );
    let r = run_in(Some(sb.root()), ["inspect", "site"], &[]);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    for want in [
        "/2020/01/01/good.html",
        "Good post",
        "2021-02-03",
        "/about/",
        "About",
        "1 draft in _drafts, not read",
    ] {
        assert!(r.stdout.contains(want), "no {want:?} in:\n{}", r.stdout);
    }
    // Diagnostics in full, from where the user stands.
    assert!(
        r.stderr
            .contains("site/_posts/2021-03-01-bad.md:3:1: error[yaml-syntax]"),
        "{}",
        r.stderr
    );
    let r = run_in(
        Some(sb.root()),
        ["inspect", "site", "--kind", "page", "--drafts"],
        &[],
    );
    assert!(
        r.stdout.contains("/about/") && !r.stdout.contains("good.html"),
        "{}",
        r.stdout
    );
    let r = run_in(
        Some(sb.root()),
        ["inspect", "site", "--kind", "draft", "--drafts"],
        &[],
    );
    assert!(
        r.stdout.contains("Soon") && !r.stdout.contains("/about/"),
        "{}",
        r.stdout
    );
    assert!(!r.stdout.contains("not read"), "{}", r.stdout);
}

// ---- Staging folders of dead runs --------------------------------------------

#[test]
fn staging_folders_of_dead_runs_are_removed_and_only_those() {
    let sb = blog();
    // A run killed with SIGKILL leaves its staging folder; its process
    // (number above Linux's limit) is gone.
    let dead = sb.path(".out.jekyll-migrate-4999999");
    let dead_old = sb.path(".out.jekyll-migrate-4999999.old");
    let other_out = sb.path(".other.jekyll-migrate-4999999");
    // A live run of this program: a process whose name is jekyll-migrate.
    let fake = sb.path("bin/jekyll-migrate");
    fs::create_dir_all(fake.parent().unwrap()).unwrap();
    fs::copy("/bin/sleep", &fake).unwrap();
    let mut live_run = std::process::Command::new(&fake).arg("30").spawn().unwrap();
    let live = sb.path(&format!(".out.jekyll-migrate-{}", live_run.id()));
    for d in [&dead, &dead_old, &other_out, &live] {
        fs::create_dir_all(d.join("content")).unwrap();
    }
    let r = convert(&sb, "hugo", "out", &[]);
    let _ = live_run.kill();
    let _ = live_run.wait();
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(
        !dead.exists() && !dead_old.exists(),
        "dead run's folders are left"
    );
    assert!(live.exists(), "a live run's folder was removed");
    assert!(other_out.exists(), "another output's folder was removed");
}

// ---- Set-up ------------------------------------------------------------------

#[test]
fn completions_and_the_man_page_are_generated() {
    let r = run(["completions", "bash"]);
    assert_eq!(r.code, Some(0));
    assert!(
        r.stdout.contains("complete -F") && r.stdout.contains("--message-format"),
        "{}",
        &r.stdout[..200.min(r.stdout.len())]
    );
    let r = run(["man"]);
    assert_eq!(r.code, Some(0));
    assert!(
        r.stdout.starts_with(".ie") || r.stdout.contains(".TH"),
        "{}",
        &r.stdout[..200.min(r.stdout.len())]
    );
    assert!(r.stdout.contains("convert"));
}

#[test]
fn the_test_script_stops_at_once_without_the_shared_corpus() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("project");
    fs::create_dir_all(project.join("scripts")).unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for f in ["scripts/test.sh", "scripts/install-test-tools.sh"] {
        fs::copy(root.join(f), project.join(f)).unwrap();
    }
    let out = std::process::Command::new("bash")
        .arg(project.join("scripts/test.sh"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(stderr.contains("../shared/corpus"), "{stderr}");
    // It stopped before installing anything.
    assert!(!project.join(".tools").exists());
}

#[test]
fn the_readme_names_prerequisites_and_how_to_install() {
    let readme =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    for want in [
        "Prerequisites",
        "cargo install --path .",
        "Java 17",
        "../shared",
        "jekyll-migrate completions",
        "jekyll-migrate man",
        "hugo server",
    ] {
        assert!(readme.contains(want), "README lacks {want:?}");
    }
}

#[cfg(unix)]
#[test]
fn a_run_killed_outright_leaves_a_folder_the_next_run_removes() {
    let sb = harness::busy_site(4000);
    let (mut child, staging) = harness::start_until_staged(&sb, "hugo", &sb.path("out"), &[]);
    child.kill().expect("SIGKILL");
    let status = child.wait().expect("wait");
    assert_eq!(
        status.code(),
        None,
        "the run ended before SIGKILL; make the site bigger"
    );
    assert!(staging.exists(), "SIGKILL leaves the staging folder");
    let r = convert(&sb, "hugo", "out", &[]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(
        !staging.exists(),
        "the next run into the same OUT removes it"
    );
    assert!(sb.path("out/hugo.toml").is_file());
}

#[cfg(unix)]
#[test]
fn ctrl_c_on_a_book_going_into_a_new_folder_leaves_no_folder() {
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};
    let sb = harness::busy_site(4000);
    let books = sb.path("books");
    let child = Command::new(env!("CARGO_BIN_EXE_jekyll-migrate"))
        .arg("convert")
        .arg(sb.site())
        .args(["--to", "epub", "-o"])
        .arg(format!("{}/", books.display()))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let started = Instant::now();
    while !fs::read_dir(&books).is_ok_and(|mut d| d.next().is_some()) {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "no staging folder"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    let code = harness::interrupt(child);
    assert_eq!(code, Some(130), "the run ended before the signal");
    assert!(!books.exists(), "the folder the run made is left behind");
}

// ---- books and feeds of a part of the site --------------------------------

/// Three posts in Tokyo time: the first written at 23:30 UTC on 1 January,
/// which is already 2 January on the site.
fn tagged_blog() -> Sandbox {
    let sb = Sandbox::new();
    sb.write(
        "_config.yml",
        "title: Tagged\nurl: https://example.org\ntimezone: Asia/Tokyo\n",
    );
    sb.write(
        "_posts/2020-01-02-rust.md",
        "---\ntitle: Rust\ndate: 2020-01-01 23:30:00 +0000\ntags: [rust]\ncategories: code\n---\nR.\n",
    );
    sb.write(
        "_posts/2020-06-01-go.md",
        "---\ntitle: Go\ntags: [Go, web]\ncategories: code\n---\nG.\n",
    );
    sb.write(
        "_posts/2021-01-01-bread.md",
        "---\ntitle: Bread\ntags: [cooking]\ncategories: life\n---\nB.\n",
    );
    sb
}

/// The titles of a feed's items, in feed order.
fn feed_titles(sb: &Sandbox, out: &str) -> Vec<String> {
    harness::feed(&sb.path(out))["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|i| i["title"].as_str().map(str::to_string))
        .collect()
}

/// The titles of a book's chapters, in spine order.
fn book_titles(sb: &Sandbox, out: &str) -> Vec<String> {
    let bytes = fs::read(sb.path(out)).expect("the book");
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    let mut names: Vec<String> = z
        .file_names()
        .filter(|n| n.starts_with("EPUB/post-") || n.starts_with("EPUB/doc-"))
        .map(str::to_string)
        .collect();
    names.sort();
    let title = regex::Regex::new(r"<h1[^>]*>([^<]*)</h1>").unwrap();
    names
        .iter()
        .map(|n| {
            let mut text = String::new();
            std::io::Read::read_to_string(&mut z.by_name(n).expect("entry"), &mut text)
                .expect("utf-8");
            title
                .captures(&text)
                .map(|c| c[1].to_string())
                .unwrap_or_else(|| panic!("{n} has no title: {text}"))
        })
        .collect()
}

#[test]
fn tags_categories_and_dates_choose_the_posts_of_a_feed_and_a_book() {
    let sb = tagged_blog();
    let cases: &[(&[&str], &[&str])] = &[
        (&["--tag", "rust", "--tag", "go"], &["Go", "Rust"]),
        (&["--category", "life"], &["Bread"]),
        (&["--category", "code", "--tag", "web"], &["Go"]),
        // Inclusive days in the site's time zone.
        (
            &["--since", "2020-01-02", "--until", "2020-06-01"],
            &["Go", "Rust"],
        ),
        (&["--until", "2020-01-01"], &[]),
        (&["--since", "2020-06-02"], &["Bread"]),
    ];
    for (flags, want) in cases {
        let r = convert(
            &sb,
            "jsonfeed",
            "feed.json",
            &[&["--force"], *flags].concat(),
        );
        assert!(r.code.is_some_and(|c| c <= 1), "{flags:?}: {}", r.stderr);
        assert_eq!(feed_titles(&sb, "feed.json"), *want, "{flags:?}");
        let r = convert(&sb, "epub", "b.epub", &[&["--force"], *flags].concat());
        assert!(r.code.is_some_and(|c| c <= 1), "{flags:?}: {}", r.stderr);
        // Oldest first in the book.
        let mut oldest: Vec<&str> = want.to_vec();
        oldest.reverse();
        assert_eq!(book_titles(&sb, "b.epub"), oldest, "{flags:?}");
    }
}

#[test]
fn a_selection_of_nothing_is_named_in_the_empty_warnings() {
    let sb = tagged_blog();
    let r = convert(&sb, "jsonfeed", "feed.json", &["--tag", "nope"]);
    let warned = r.one("feed-empty", "site/_config.yml");
    assert!(warned.message.contains("--tag nope"), "{}", r.stderr);
    let r = convert(
        &sb,
        "epub",
        "b.epub",
        &["--tag", "nope", "--since", "2020-01-01"],
    );
    let warned = r.one("epub-empty", "site/_config.yml");
    assert!(
        warned.message.contains("--tag nope --since 2020-01-01"),
        "{}",
        r.stderr
    );
}

#[test]
fn selection_flags_are_usage_errors_when_wrong() {
    let sb = tagged_blog();
    for (format, out, flags, says) in [
        ("epub", "b.epub", &["--since", "2020-13-01"][..], "--since"),
        (
            "jsonfeed",
            "f.json",
            &["--until", "1/2/2020"][..],
            "YYYY-MM-DD",
        ),
        (
            "jsonfeed",
            "f.json",
            &["--since", "2020-1-2"][..],
            "YYYY-MM-DD",
        ),
        (
            "epub",
            "b.epub",
            &["--since", "2021-01-01", "--until", "2020-01-01"][..],
            "is after --until",
        ),
        (
            "hugo",
            "h",
            &["--tag", "rust"][..],
            "--tag is an option of EPUB and JSON Feed (--to epub, --to jsonfeed)",
        ),
    ] {
        let r = convert(&sb, format, out, flags);
        assert_eq!(r.code, Some(2), "{flags:?}: {}", r.stderr);
        assert!(r.stderr.contains(says), "{flags:?}: {}", r.stderr);
        assert!(!sb.path(out).exists(), "{flags:?}");
    }
}

/// A documentation site (no post, its articles in a collection) is a book
/// and a feed of its documents, with a note saying so.
#[test]
fn a_site_without_posts_gives_its_collection_documents() {
    let sb = Sandbox::new();
    sb.write(
        "_config.yml",
        "title: Guides\nurl: https://example.org\ncollections:\n  articles:\n    output: true\n",
    );
    sb.write(
        "_articles/starting.md",
        "---\ntitle: Starting\n---\nFirst steps.\n",
    );
    sb.write(
        "_articles/finishing.md",
        "---\ntitle: Finishing\n---\nLast steps.\n",
    );
    sb.write("index.md", "---\ntitle: Home\n---\nWelcome.\n");
    let r = convert(&sb, "epub", "b.epub", &[]);
    assert!(r.code.is_some_and(|c| c <= 1), "{}", r.stderr);
    assert!(r.of_kind("epub-empty").is_empty(), "{}", r.stderr);
    let note = r.one("epub-documents", "site/_config.yml");
    assert_eq!(note.severity, "info");
    assert!(
        note.message.contains("2 collection documents"),
        "{}",
        r.stderr
    );
    assert_eq!(book_titles(&sb, "b.epub"), ["Finishing", "Starting"]);
    let r = convert(&sb, "jsonfeed", "feed.json", &[]);
    assert!(r.code.is_some_and(|c| c <= 1), "{}", r.stderr);
    assert!(r.of_kind("feed-empty").is_empty(), "{}", r.stderr);
    assert_eq!(r.one("feed-documents", "site/_config.yml").severity, "info");
    let mut titles = feed_titles(&sb, "feed.json");
    titles.sort();
    assert_eq!(titles, ["Finishing", "Starting"]);
    // With --include-pages, the pages follow the documents, once each.
    let r = convert(&sb, "epub", "b.epub", &["--force", "--include-pages"]);
    assert!(r.code.is_some_and(|c| c <= 1), "{}", r.stderr);
    let bytes = fs::read(sb.path("b.epub")).unwrap();
    let z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let pages = z
        .file_names()
        .filter(|n| n.starts_with("EPUB/page-"))
        .count();
    assert_eq!(pages, 1, "{:?}", z.file_names().collect::<Vec<_>>());
}
