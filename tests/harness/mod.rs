//! Helpers for the tests that run the real binary on hostile sites: a site
//! in a temporary folder, a run of `jekyll-migrate`, its diagnostics parsed
//! back from stderr, and snapshots of the folders around OUT to prove that
//! nothing was written where it must not be.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A temporary folder holding `site/` (the Jekyll site) and room for OUT
/// beside it, so one snapshot of the folder covers the site, OUT's parent
/// and OUT.
pub struct Sandbox {
    dir: tempfile::TempDir,
}

impl Sandbox {
    /// An empty sandbox with an empty `site/`.
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        fs::create_dir(dir.path().join("site")).expect("site dir");
        Sandbox { dir }
    }

    /// The sandbox folder (the parent of the site and of OUT).
    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// The site folder.
    pub fn site(&self) -> PathBuf {
        self.root().join("site")
    }

    /// `name` in the sandbox (a place for OUT).
    pub fn path(&self, name: &str) -> PathBuf {
        self.root().join(name)
    }

    /// Writes `bytes` at `rel` in the site, creating folders.
    pub fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) {
        write_file(&self.site().join(rel), bytes.as_ref());
    }

    /// A good post every hostile site has, to show the rest is converted.
    pub fn with_good_post(self) -> Self {
        self.write(
            "_posts/2020-01-01-good.md",
            "---\ntitle: Good post\n---\nThe good post survives.\n",
        );
        self
    }
}

/// Writes `bytes` at `path`, creating folders.
pub fn write_file(path: &Path, bytes: &[u8]) {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).expect("mkdir");
    }
    fs::write(path, bytes).expect("write");
}

/// What one run of the binary gave.
#[derive(Debug)]
pub struct Run {
    /// Exit code (`None` when killed by a signal).
    pub code: Option<i32>,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

impl Run {
    /// The diagnostics printed on stderr.
    pub fn diagnostics(&self) -> Vec<Diag> {
        self.stderr.lines().filter_map(Diag::parse).collect()
    }

    /// The diagnostics of `kind`.
    pub fn of_kind(&self, kind: &str) -> Vec<Diag> {
        self.diagnostics()
            .into_iter()
            .filter(|d| d.kind == kind)
            .collect()
    }

    /// The one diagnostic of `kind` for `file`; fails the test otherwise.
    pub fn one(&self, kind: &str, file: &str) -> Diag {
        let found: Vec<Diag> = self
            .diagnostics()
            .into_iter()
            .filter(|d| d.kind == kind && d.file == file)
            .collect();
        assert_eq!(
            found.len(),
            1,
            "wanted one {kind} for {file}; stderr:\n{}",
            self.stderr
        );
        found.into_iter().next().expect("one")
    }
}

/// Runs `jekyll-migrate` with `args`.
pub fn run<I, S>(args: I) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    run_env(args, &[])
}

/// Runs `jekyll-migrate` with `args` and extra environment variables.
pub fn run_env<I, S>(args: I, env: &[(&str, &str)]) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    run_in(None, args, env)
}

/// Runs `jekyll-migrate` with `args` and extra environment variables, in
/// the folder `cwd` when given.
pub fn run_in<I, S>(cwd: Option<&Path>, args: I, env: &[(&str, &str)]) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_jekyll-migrate"));
    cmd.args(args);
    if let Some(dir) = cwd {
        cmd.current_dir(dir);
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out: Output = cmd.output().expect("run jekyll-migrate");
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// One diagnostic line: `file[:line[:col]]: severity[kind]: message`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diag {
    /// File as printed.
    pub file: String,
    /// Line, if printed.
    pub line: Option<usize>,
    /// Column, if printed.
    pub column: Option<usize>,
    /// `error`, `warning` or `info`.
    pub severity: String,
    /// The kind code.
    pub kind: String,
    /// The message.
    pub message: String,
}

impl Diag {
    /// Parses one stderr line; `None` for lines that are not diagnostics.
    pub fn parse(line: &str) -> Option<Diag> {
        for sev in ["error", "warning", "info"] {
            let marker = format!(": {sev}[");
            let Some(at) = line.find(&marker) else {
                continue;
            };
            let (place, rest) = line.split_at(at);
            let rest = &rest[marker.len()..];
            let (kind, message) = rest.split_once("]: ")?;
            // `file:line:col`, `file:line` or `file`: numbers from the right.
            let mut file = place.to_string();
            let mut nums = Vec::new();
            while nums.len() < 2 {
                match file.rsplit_once(':') {
                    Some((f, n)) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => {
                        nums.insert(0, n.parse::<usize>().ok()?);
                        file = f.to_string();
                    }
                    _ => break,
                }
            }
            return Some(Diag {
                file: site_relative(&file),
                line: nums.first().copied(),
                column: nums.get(1).copied(),
                severity: sev.to_string(),
                kind: kind.to_string(),
                message: message.to_string(),
            });
        }
        None
    }
}

/// A diagnostic's file relative to the site: the binary shows it from
/// where the user stands, which for a site in a temporary folder is its
/// absolute path (`/tmp/.tmpAb12/site/_posts/a.md`).
fn site_relative(file: &str) -> String {
    let temp = std::env::temp_dir();
    let Ok(rest) = Path::new(file).strip_prefix(&temp) else {
        return file.to_string();
    };
    // The temporary folder's own name, then `site/` for a sandbox.
    let mut parts = rest.components().skip(1).peekable();
    if parts.peek().is_some_and(|c| c.as_os_str() == "site") {
        parts.next();
    }
    parts.collect::<PathBuf>().to_string_lossy().into_owned()
}

/// One entry of a snapshot: what is at a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    /// A folder.
    Dir,
    /// A file: its size and, for files up to 1 MiB, its bytes.
    File(u64, Option<Vec<u8>>),
    /// A symlink and where it points.
    Link(PathBuf),
    /// A FIFO, socket or device (never read).
    Special,
}

/// Every path below `root` (symlinks not followed), relative to it.
pub fn snapshot(root: &Path) -> BTreeMap<PathBuf, Entry> {
    let mut out = BTreeMap::new();
    for e in walkdir::WalkDir::new(root)
        .follow_links(false)
        .min_depth(1)
        .into_iter()
        .flatten()
    {
        let rel = e
            .path()
            .strip_prefix(root)
            .expect("below root")
            .to_path_buf();
        let ft = e.file_type();
        let entry = if ft.is_symlink() {
            Entry::Link(fs::read_link(e.path()).unwrap_or_default())
        } else if ft.is_dir() {
            Entry::Dir
        } else if !ft.is_file() {
            // A FIFO would block a read.
            Entry::Special
        } else {
            let len = e.metadata().map(|m| m.len()).unwrap_or(0);
            let bytes = (len <= 1 << 20).then(|| fs::read(e.path()).unwrap_or_default());
            Entry::File(len, bytes)
        };
        out.insert(rel, entry);
    }
    out
}

/// Asserts that between `before` and `after` (snapshots of the same folder)
/// nothing changed except below `out` (relative to that folder).
pub fn assert_only_out_changed(
    before: &BTreeMap<PathBuf, Entry>,
    after: &BTreeMap<PathBuf, Entry>,
    out: &Path,
) {
    let outside = |p: &&PathBuf| !p.starts_with(out);
    let b: BTreeMap<_, _> = before.iter().filter(|(p, _)| outside(p)).collect();
    let a: BTreeMap<_, _> = after.iter().filter(|(p, _)| outside(p)).collect();
    let appeared: Vec<_> = a.keys().filter(|p| !b.contains_key(*p)).collect();
    let vanished: Vec<_> = b.keys().filter(|p| !a.contains_key(*p)).collect();
    let changed: Vec<_> = a
        .iter()
        .filter(|(p, e)| b.get(*p).is_some_and(|old| old != *e))
        .map(|(p, _)| p)
        .collect();
    assert!(
        appeared.is_empty() && vanished.is_empty() && changed.is_empty(),
        "outside OUT ({}): appeared {appeared:?}, vanished {vanished:?}, changed {changed:?}",
        out.display()
    );
}

/// Converts the sandbox's site with `--to format -o OUT` (OUT named
/// `out_name` in the sandbox) and checks that nothing outside OUT changed.
pub fn convert_checked(sb: &Sandbox, format: &str, out_name: &str, extra: &[&str]) -> Run {
    let before = snapshot(sb.root());
    let mut args: Vec<std::ffi::OsString> = vec!["convert".into(), sb.site().into()];
    args.extend(["--to".into(), format.into(), "-o".into()]);
    args.push(sb.path(out_name).into());
    args.extend(extra.iter().map(|a| a.into()));
    let r = run(&args);
    let after = snapshot(sb.root());
    assert_only_out_changed(&before, &after, Path::new(out_name));
    assert!(
        !r.stderr.contains("panicked"),
        "the run panicked:\n{}",
        r.stderr
    );
    r
}

/// Every file of the tree at `root`, relative path → bytes.
pub fn read_tree(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    if root.is_file() {
        let mut m = BTreeMap::new();
        m.insert(PathBuf::new(), fs::read(root).expect("read"));
        return m;
    }
    walkdir::WalkDir::new(root)
        .follow_links(false)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(root).expect("below").to_path_buf();
            (rel, fs::read(e.path()).expect("read"))
        })
        .collect()
}

/// The feed written at `out` (a folder holding `feed.json`).
pub fn feed(out: &Path) -> serde_json::Value {
    let path = if out.is_dir() {
        out.join("feed.json")
    } else {
        out.to_path_buf()
    };
    let text = fs::read_to_string(&path).expect("feed.json");
    serde_json::from_str(&text).expect("feed JSON")
}

/// The `url` of every item of a feed.
pub fn feed_urls(feed: &serde_json::Value) -> Vec<String> {
    feed["items"]
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|i| i["url"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// Asserts the good post of [`Sandbox::with_good_post`] is in the feed.
pub fn assert_good_post_converted(out: &Path) {
    let urls = feed_urls(&feed(out));
    assert!(
        urls.iter().any(|u| u.ends_with("/2020/01/01/good.html")),
        "the good post is missing from the feed: {urls:?}"
    );
}

/// A sandbox whose site has `posts` small posts with Liquid in them: big
/// enough that a run is still going a moment after it has started.
pub fn busy_site(posts: u32) -> Sandbox {
    let sb = Sandbox::new();
    for i in 0..posts {
        sb.write(
            &format!("_posts/2001-01-01-p{i}.md"),
            format!("---\ntitle: P{i}\n---\n{{% if true %}}Post *{i}*{{% endif %}}\n\n# Heading\n"),
        );
    }
    sb
}

/// Starts `convert SITE --to FORMAT -o OUT` (and `extra`) in the background
/// and returns once its staging folder beside OUT exists: the run, and that
/// folder.
pub fn start_until_staged(
    sb: &Sandbox,
    format: &str,
    out: &Path,
    extra: &[&str],
) -> (std::process::Child, PathBuf) {
    use std::time::{Duration, Instant};
    let child = Command::new(env!("CARGO_BIN_EXE_jekyll-migrate"))
        .arg("convert")
        .arg(sb.site())
        .args(["--to", format, "-o"])
        .arg(out)
        .args(extra)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn");
    let name = out.file_name().expect("OUT has a name").to_string_lossy();
    let staging = out.with_file_name(format!(".{name}.jekyll-migrate-{}", child.id()));
    let started = Instant::now();
    while !staging.exists() {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "no staging folder"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    (child, staging)
}

/// Sends SIGINT (Ctrl-C) to a run and waits for it: its exit code.
#[cfg(unix)]
pub fn interrupt(mut child: std::process::Child) -> Option<i32> {
    let killed = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(killed.success());
    child.wait().expect("wait").code()
}
