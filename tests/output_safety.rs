//! Output safety (issue 9), through the real binary and every converter in
//! the registry: nothing is written outside OUT whatever the site's names
//! say; OUT and SITE may not overlap; an existing OUT is replaced only with
//! `--force`, and only once the new output is complete (a failure midway or
//! Ctrl-C leaves the old OUT as it was and no staging folder behind).

mod harness;

use std::fs;
use std::path::Path;

use harness::{assert_only_out_changed, convert_checked, run, run_env, snapshot, Sandbox};
use jekyll_migrate::converters;

/// A site whose every name tries to climb out of OUT.
fn hostile_names() -> Sandbox {
    let sb = Sandbox::new().with_good_post();
    sb.write(
        "_config.yml",
        "title: Escape\ncollections:\n  \"../../escape-coll\":\n    output: true\n  \"..\":\n    output: true\n  \"/abs\":\n    output: true\n",
    );
    let permalinks = [
        "../../../escape-a/x.html",
        "/%2e%2e/%2e%2e/escape-b/",
        "/..%2f..%2fescape-c/",
        "C:/escape-d/x.html",
        "C:\\\\escape-e\\\\x.html",
        "/nul\\0/escape-f/",
        "//escape-g/x.html",
        "/./../escape-h/",
    ];
    for (i, p) in permalinks.iter().enumerate() {
        sb.write(
            &format!("_posts/2020-01-{:02}-perm{i}.md", i + 2),
            format!("---\ntitle: perm {i}\npermalink: \"{p}\"\n---\nx\n"),
        );
    }
    sb.write(
        "_posts/2020-02-01-fields.md",
        "---\ntitle: ../../escape-title\nslug: ../../escape-slug\npath: ../../escape-path\n\
         categories: [../../escape-cat, /abs-cat]\ntags: [../escape-tag, \"C:\\\\tag\"]\n\
         layout: ../../../escape-layout\naliases: [../../escape-alias]\n\
         redirect_from: [../../escape-redirect/, /%2e%2e/escape-r2/]\n---\nx\n",
    );
    sb.write(
        "_posts/2020-02-02-..%2f..%2fescape-name.md",
        "---\ntitle: odd name\n---\nx\n",
    );
    sb.write("_..escape-coll/item.md", "---\ntitle: Item\n---\nx\n");
    sb.write("_../item.md", "---\ntitle: Dots\n---\nx\n");
    sb.write("_abs/item.md", "---\ntitle: Abs\n---\nx\n");
    sb.write("_data/..%2f..%2fescape-data.yml", "a: 1\n");
    sb.write("_data/C:escape-data.yml", "a: 1\n");
    sb.write("_data/..\\..\\escape-data.yml", "a: 1\n");
    sb.write("..\\..\\escape-static.txt", "static\n");
    sb.write("%2e%2e%2fescape-static.txt", "static\n");
    sb.write("C:escape-static.txt", "static\n");
    sb.write("...", "three dots\n");
    sb.write("assets/..../x.png", "png\n");
    sb
}

#[test]
fn hostile_names_never_leave_out_for_any_converter() {
    let sb = hostile_names();
    for conv in converters::registry() {
        let out = format!("out-{}", conv.name());
        // `convert_checked` asserts nothing changed outside OUT.
        let r = convert_checked(&sb, conv.name(), &out, &[]);
        match r.code {
            Some(0 | 1) => assert_plain_tree(conv.name(), &sb.path(&out)),
            // Refusing the whole conversion is safe, if nothing is written.
            Some(2) => assert!(!sb.path(&out).exists(), "{}: partial OUT", conv.name()),
            other => panic!("{}: exit {other:?}\n{}", conv.name(), r.stderr),
        }
    }
}

/// Something was written at `out`, and inside it too no name is `..`
/// (impossible on disk anyway) or a root.
fn assert_plain_tree(name: &str, out: &Path) {
    let tree = harness::read_tree(out);
    assert!(!tree.is_empty(), "{name}: nothing written");
    for p in tree.keys() {
        assert!(
            p.components()
                .all(|c| matches!(c, std::path::Component::Normal(_))),
            "{name}: {}",
            p.display()
        );
    }
}

/// The hostile names cost only their own files: the run finishes (exit 0
/// or 1), the good post is converted.
fn hostile_names_cost_only_their_own_files(name: &str) {
    let sb = hostile_names();
    let out = format!("out-{name}");
    let r = convert_checked(&sb, name, &out, &[]);
    assert!(
        matches!(r.code, Some(0 | 1)),
        "{name}: exit {:?}\n{}",
        r.code,
        r.stderr
    );
    assert_plain_tree(name, &sb.path(&out));
    if name == "jsonfeed" {
        harness::assert_good_post_converted(&sb.path(&out));
    }
    // A refused file is in the written report too, not only on stderr.
    let report = sb.path(&out).join("MIGRATION.md");
    if r.stderr.contains("unsafe-output-path") && report.is_file() {
        let text = std::fs::read_to_string(&report).expect("MIGRATION.md reads");
        assert!(
            text.contains("unsafe-output-path"),
            "{name}: MIGRATION.md does not list the refused files"
        );
    }
}

#[test]
fn hostile_names_cost_only_their_own_files_in_every_converter() {
    for conv in converters::registry() {
        hostile_names_cost_only_their_own_files(conv.name());
    }
}

#[test]
fn out_and_site_may_not_overlap() {
    let sb = Sandbox::new().with_good_post();
    let site = sb.site();
    #[cfg(unix)]
    std::os::unix::fs::symlink(&site, sb.path("link-to-site")).expect("symlink");
    let cases: Vec<(&str, std::path::PathBuf)> = vec![
        ("OUT is SITE", site.clone()),
        ("OUT inside SITE", site.join("out")),
        ("OUT inside SITE, new folders", site.join("a/b/out")),
        ("SITE inside OUT", sb.root().to_path_buf()),
        ("OUT is SITE through ..", site.join("_posts/..")),
        #[cfg(unix)]
        ("OUT is a symlink to SITE", sb.path("link-to-site")),
    ];
    for conv in converters::registry() {
        for (what, out) in &cases {
            // A book or a feed is a file laid into a folder given as OUT:
            // the site's parent may hold it (checked below).
            if *what == "SITE inside OUT" && conv.target(out) != converters::Target::Dir {
                continue;
            }
            let before = snapshot(sb.root());
            let r = run([
                "convert".as_ref(),
                site.as_os_str(),
                "--to".as_ref(),
                conv.name().as_ref(),
                "-o".as_ref(),
                out.as_os_str(),
                "--force".as_ref(),
            ]);
            assert_eq!(r.code, Some(2), "{what} ({}): {}", conv.name(), r.stderr);
            assert!(
                r.stderr.contains("site"),
                "{what}: the refusal names the site: {}",
                r.stderr
            );
            // Nothing changed anywhere: no OUT, no staging folder.
            assert_eq!(before, snapshot(sb.root()), "{what} ({})", conv.name());
        }
    }
    // A feed written into the folder that holds the site adds one file.
    let before = snapshot(sb.root());
    let r = run([
        "convert".as_ref(),
        site.as_os_str(),
        "--to".as_ref(),
        "jsonfeed".as_ref(),
        "-o".as_ref(),
        sb.root().as_os_str(),
    ]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let after = snapshot(sb.root());
    let added: Vec<_> = after.keys().filter(|p| !before.contains_key(*p)).collect();
    assert_eq!(added, [Path::new("feed.json")]);
    assert!(before.iter().all(|(p, e)| after.get(p) == Some(e)));
}

#[test]
fn an_existing_out_is_replaced_only_with_force() {
    let sb = Sandbox::new().with_good_post();
    for conv in converters::registry() {
        if conv.target(Path::new("out")) != converters::Target::Dir {
            existing_file_is_replaced_only_with_force(&sb, conv.name());
            continue;
        }
        let name = format!("out-{}", conv.name());
        let out = sb.path(&name);
        harness::write_file(&out.join("keep.txt"), b"precious");
        let before = snapshot(sb.root());
        let r = run([
            "convert".as_ref(),
            sb.site().as_os_str(),
            "--to".as_ref(),
            conv.name().as_ref(),
            "-o".as_ref(),
            out.as_os_str(),
        ]);
        assert_eq!(r.code, Some(2), "{}: {}", conv.name(), r.stderr);
        assert!(r.stderr.contains("--force"), "{}", r.stderr);
        assert_eq!(before, snapshot(sb.root()), "{}", conv.name());

        let r = convert_checked(&sb, conv.name(), &name, &["--force"]);
        assert_eq!(r.code, Some(0), "{}: {}", conv.name(), r.stderr);
        assert!(
            !out.join("keep.txt").exists(),
            "{}: old OUT kept",
            conv.name()
        );
        assert_no_staging_left(sb.root());
    }
    // An empty folder is not "existing output": no --force needed.
    let empty = sb.path("empty-out");
    fs::create_dir(&empty).expect("mkdir");
    let r = convert_checked(&sb, "hugo", "empty-out", &[]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
}

/// A book or a feed given an existing folder goes into it, next to what it
/// holds; the file it writes is replaced only with `--force`.
fn existing_file_is_replaced_only_with_force(sb: &Sandbox, format: &str) {
    let name = format!("out-{format}");
    let out = sb.path(&name);
    harness::write_file(&out.join("keep.txt"), b"precious");
    for round in 0..2 {
        let before = snapshot(sb.root());
        let r = run([
            "convert".as_ref(),
            sb.site().as_os_str(),
            "--to".as_ref(),
            format.as_ref(),
            "-o".as_ref(),
            out.as_os_str(),
        ]);
        if round == 0 {
            assert_eq!(r.code, Some(0), "{format}: {}", r.stderr);
        } else {
            // The file of the first round is there now.
            assert_eq!(r.code, Some(2), "{format}: {}", r.stderr);
            assert!(r.stderr.contains("--force"), "{}", r.stderr);
            assert_eq!(before, snapshot(sb.root()), "{format}");
        }
    }
    let r = convert_checked(sb, format, &name, &["--force"]);
    assert_eq!(r.code, Some(0), "{format}: {}", r.stderr);
    assert_eq!(fs::read(out.join("keep.txt")).expect("kept"), b"precious");
    assert_no_staging_left(sb.root());
    assert_no_staging_left(&out);
}

#[cfg(unix)]
#[test]
fn an_out_that_is_a_symlink_is_replaced_not_followed() {
    let sb = Sandbox::new().with_good_post();
    let target = sb.path("elsewhere");
    harness::write_file(&target.join("keep.txt"), b"not yours");
    std::os::unix::fs::symlink(&target, sb.path("out")).expect("symlink");
    let r = convert_checked(&sb, "hugo", "out", &["--force"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert_eq!(
        fs::read(target.join("keep.txt")).expect("kept"),
        b"not yours"
    );
    let meta = fs::symlink_metadata(sb.path("out")).expect("out");
    assert!(meta.is_dir(), "OUT is now a real folder");
    assert!(sb.path("out/hugo.toml").is_file());
    // A feed is a file laid into the folder a link points to, as `cp`
    // does; the folder and what it holds stay.
    std::os::unix::fs::symlink(&target, sb.path("feeds")).expect("symlink");
    let r = run([
        "convert".as_ref(),
        sb.site().as_os_str(),
        "--to".as_ref(),
        "jsonfeed".as_ref(),
        "-o".as_ref(),
        sb.path("feeds").as_os_str(),
    ]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(fs::symlink_metadata(sb.path("feeds"))
        .expect("link")
        .is_symlink());
    assert_eq!(
        fs::read(target.join("keep.txt")).expect("kept"),
        b"not yours"
    );
    harness::assert_good_post_converted(&target);
}

/// No `.NAME.jekyll-migrate-PID` staging folder (or its `.old` backup) is
/// left in `dir`.
fn assert_no_staging_left(dir: &Path) {
    let left: Vec<String> = fs::read_dir(dir)
        .expect("list")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".jekyll-migrate-"))
        .collect();
    assert!(left.is_empty(), "staging left behind: {left:?}");
}

#[test]
fn a_failure_midway_leaves_the_old_out_untouched() {
    let sb = hostile_names();
    for conv in converters::registry() {
        let name = format!("out-{}", conv.name());
        let out = sb.path(&name);
        harness::write_file(&out.join("keep.txt"), b"the old output");
        for fail_after in ["0", "2"] {
            let before = snapshot(sb.root());
            let r = run_env(
                [
                    "convert".as_ref(),
                    sb.site().as_os_str(),
                    "--to".as_ref(),
                    conv.name().as_ref(),
                    "-o".as_ref(),
                    out.as_os_str(),
                    "--force".as_ref(),
                ],
                &[(jekyll_migrate::output::FAIL_AFTER_ENV, fail_after)],
            );
            // A converter that writes fewer files than `fail_after` finishes.
            if r.code == Some(0) || r.code == Some(1) {
                assert_ne!(fail_after, "0", "{}: {}", conv.name(), r.stderr);
                continue;
            }
            assert_eq!(r.code, Some(2), "{}: {}", conv.name(), r.stderr);
            assert!(r.stderr.contains("nothing was written"), "{}", r.stderr);
            assert_eq!(before, snapshot(sb.root()), "{}", conv.name());
            assert_no_staging_left(sb.root());
        }
    }
}

#[cfg(unix)]
#[test]
fn ctrl_c_leaves_the_old_out_untouched_and_no_staging() {
    use std::time::Duration;
    let sb = harness::busy_site(4000);
    let out = sb.path("out.json");
    harness::write_file(&out, b"the old output");
    let before = snapshot(sb.root());
    let (child, _) = harness::start_until_staged(&sb, "jsonfeed", &out, &["--force"]);
    // Soon: a release build converts this site in about a tenth of a second.
    std::thread::sleep(Duration::from_millis(20));
    assert_eq!(
        harness::interrupt(child),
        Some(jekyll_migrate::output::interrupt::EXIT_INTERRUPTED),
        "the run ended before the signal; make the site bigger"
    );
    assert_eq!(before, snapshot(sb.root()));
    assert_no_staging_left(sb.root());
    assert_only_out_changed(&before, &snapshot(sb.root()), Path::new("out.json"));
}

#[test]
fn config_folders_cannot_point_out_of_the_site() {
    let sb = Sandbox::new().with_good_post();
    let secret = sb.path("secret");
    harness::write_file(&secret.join("pins.yml"), b"pin: SECRET-PIN\n");
    harness::write_file(&secret.join("inc.html"), b"SECRET INCLUDE");
    harness::write_file(&secret.join("_base.scss"), b"/* SECRET SASS */ a { b: c }");
    sb.write(
        "_config.yml",
        "data_dir: ../secret\nincludes_dir: ../../secret\nlayouts_dir: /etc\n\
         collections_dir: ../secret\nsass:\n  sass_dir: ../secret\n  load_paths: [/etc]\n",
    );
    sb.write(
        "_posts/2020-01-02-reader.md",
        "---\ntitle: Reader\n---\n{{ site.data.pins.pin }} {% include inc.html %}\n",
    );
    sb.write("style.scss", "---\n---\n@import \"base\";\nb { c: d }\n");
    for conv in converters::registry() {
        let out = format!("out-{}", conv.name());
        let r = convert_checked(&sb, conv.name(), &out, &[]);
        assert!(
            matches!(r.code, Some(0 | 1)),
            "{}: {}",
            conv.name(),
            r.stderr
        );
        // (`layouts_dir: /etc` is no escape: Jekyll reads it as SITE/etc.)
        for key in ["data_dir", "includes_dir", "collections_dir"] {
            assert!(
                r.of_kind("config-path-outside")
                    .iter()
                    .any(|d| d.message.contains(key)),
                "{}: {key} not reported\n{}",
                conv.name(),
                r.stderr
            );
        }
        for (path, bytes) in harness::read_tree(&sb.path(&out)) {
            assert!(
                !String::from_utf8_lossy(&bytes).contains("SECRET"),
                "{}: {} holds a file from outside the site",
                conv.name(),
                path.display()
            );
        }
    }
}
