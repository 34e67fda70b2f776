//! The progress display as a user sees it: the binary run under a
//! pseudo-terminal (so stderr is a terminal), its output read from the
//! master side. Each phase's count must move, rates must be whole numbers,
//! and nothing may be shown on a pipe or with `--quiet`.
#![cfg(unix)]

use std::fs::File;
use std::io::Read;
use std::os::fd::{FromRawFd, OwnedFd};
use std::path::Path;
use std::process::{Command, Stdio};

const EXE: &str = env!("CARGO_BIN_EXE_jekyll-migrate");

/// A synthetic site of `posts` posts in a temporary folder.
fn synthetic_site(posts: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    jekyll_migrate::synth::generate(dir.path(), posts, 7).expect("site written");
    dir
}

/// Runs the binary with `args`, stdout and stderr on the slave side of a
/// new pseudo-terminal (120 columns, so no line wraps), and returns all it
/// wrote and whether it succeeded.
fn run_on_pty(args: &[&str]) -> (String, bool) {
    let mut master: libc::c_int = -1;
    let mut slave: libc::c_int = -1;
    let size = libc::winsize {
        ws_row: 40,
        ws_col: 120,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    // SAFETY: openpty writes two descriptors into the ints given; no name
    // buffer is asked for and the termios pointer may be null.
    let rc = unsafe {
        libc::openpty(
            &mut master,
            &mut slave,
            std::ptr::null_mut(),
            std::ptr::null(),
            &size,
        )
    };
    assert_eq!(rc, 0, "openpty: {}", std::io::Error::last_os_error());
    // Not inherited by the children other tests spawn meanwhile: a stray
    // copy of the slave would keep the master open past our child's exit.
    for fd in [master, slave] {
        // SAFETY: fcntl on descriptors we own, with plain integer flags.
        unsafe { libc::fcntl(fd, libc::F_SETFD, libc::FD_CLOEXEC) };
    }
    // SAFETY: both descriptors were just opened and are owned by nothing else.
    let (master, slave) = unsafe { (File::from_raw_fd(master), OwnedFd::from_raw_fd(slave)) };
    let slave_err = slave.try_clone().expect("dup slave");
    let mut child = Command::new(EXE)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::from(slave))
        .stderr(Stdio::from(slave_err))
        .spawn()
        .expect("binary runs");
    // The Command (and its copies of the slave) went with `spawn`: only the
    // child holds the slave now, so reads end when it exits.
    let mut master = master;
    let mut out = Vec::new();
    let mut buf = [0u8; 8192];
    loop {
        match master.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => out.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            // Linux answers EIO once the last slave descriptor is closed.
            Err(e) if e.raw_os_error() == Some(libc::EIO) => break,
            Err(e) => panic!("reading the pty: {e}"),
        }
    }
    let status = child.wait().expect("child waited for");
    (String::from_utf8_lossy(&out).into_owned(), status.success())
}

/// `text` without its escape sequences (colours, line clearing).
fn strip_escapes(text: &str) -> String {
    let mut plain = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            // CSI: ESC [ parameters, then one final letter.
            if chars.peek() == Some(&'[') {
                chars.next();
                for c in chars.by_ref() {
                    if c.is_ascii_alphabetic() || c == '~' {
                        break;
                    }
                }
            } else {
                chars.next();
            }
        } else {
            plain.push(c);
        }
    }
    plain
}

/// The output cut into what was drawn between carriage returns and line
/// feeds, escape sequences removed: each progress frame, each line.
fn frames(raw: &str) -> Vec<String> {
    strip_escapes(raw)
        .split(['\r', '\n'])
        .map(|f| f.trim_end().to_string())
        .filter(|f| !f.is_empty())
        .collect()
}

/// What stays on screen: each line as its last carriage return left it
/// (the terminal's own `\r\n` line ends aside).
fn screen(raw: &str) -> Vec<String> {
    raw.split('\n')
        .map(|l| {
            let l = l.trim_end_matches('\r');
            strip_escapes(l.rsplit('\r').next().unwrap_or(""))
                .trim_end()
                .to_string()
        })
        .filter(|l| !l.is_empty())
        .collect()
}

/// The count a live frame of `phase` shows (`reading ⠂ 1,234 files`,
/// `rendering [===>   ] 456/5,000 documents`), or `None` for any other
/// line (a phase's record line has no spinner or bar).
fn live_count(frame: &str, phase: &str) -> Option<u64> {
    let rest = frame.trim_start().strip_prefix(phase)?.strip_prefix(' ')?;
    let rest = if let Some(bar) = rest.strip_prefix('[') {
        bar.split_once("] ")?.1
    } else {
        // A spinner frame: one character (a braille dot), then the count.
        let mut cs = rest.chars();
        let spinner = cs.next()?;
        if spinner.is_ascii_digit() || spinner == ' ' {
            return None;
        }
        cs.as_str().strip_prefix(' ')?
    };
    let number: String = rest
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == ',')
        .collect();
    number.replace(',', "").parse().ok()
}

/// Every rate shown (`4,210/s`), as written.
fn rates(raw: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = raw;
    while let Some(at) = rest.find("/s") {
        let before = &rest[..at];
        let start = before
            .rfind(|c: char| !(c.is_ascii_digit() || c == ',' || c == '.'))
            .map_or(0, |i| i + 1);
        if start < at {
            found.push(before[start..].to_string());
        }
        rest = &rest[at + 2..];
    }
    found
}

/// Whether `text` holds the run's summary line (the synthetic site has a
/// few pages besides its posts, so the count is not checked).
fn is_summary(text: &str) -> bool {
    text.lines()
        .any(|l| l.starts_with("hugo: ") && l.contains(" documents converted, "))
}

/// Whether `text` names a phase.
fn progress_words(text: &str) -> bool {
    ["reading", "rendering", "writing"]
        .iter()
        .any(|w| text.contains(w))
}

#[test]
fn progress_moves_on_a_terminal() {
    let (raw, ok) = convert_on_pty(4000, &[]);
    assert!(ok, "the run failed:\n{raw}");
    let frames = frames(&raw);
    for phase in ["reading", "rendering", "writing"] {
        let counts: Vec<u64> = frames.iter().filter_map(|f| live_count(f, phase)).collect();
        assert!(
            counts.iter().any(|&n| n > 0),
            "{phase}: no frame shows a count above 0 (counts {counts:?}); output:\n{}",
            frames.join("\n")
        );
    }
    for r in rates(&raw) {
        let digits = r.chars().filter(char::is_ascii_digit).count();
        assert!(
            !r.contains('.') && digits <= 7,
            "rate {r:?}/s is not a whole number of at most 7 digits; output:\n{}",
            frames.join("\n")
        );
    }
    assert!(
        is_summary(&raw),
        "no summary line; output:\n{}",
        frames.join("\n")
    );
    // What stays on screen at the end: records and the summary, no
    // spinner or bar.
    let screen = screen(&raw);
    for line in &screen {
        assert!(
            !line.contains('[') && !line.chars().any(|c| ('\u{2800}'..='\u{28ff}').contains(&c)),
            "progress debris left on screen: {line:?}; screen:\n{}",
            screen.join("\n")
        );
    }
}

#[test]
fn no_progress_on_a_pipe() {
    let run = convert_synthetic(300, &[], |args| {
        Command::new(EXE).args(args).output().expect("binary runs")
    });
    assert!(run.status.success());
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        !progress_words(&stderr) && !stderr.contains('\r') && !stderr.contains('\x1b'),
        "progress on a pipe:\n{stderr}"
    );
    assert!(is_summary(&String::from_utf8_lossy(&run.stdout)));
}

#[test]
fn no_progress_with_quiet_on_a_terminal() {
    let (raw, ok) = convert_on_pty(300, &["--quiet"]);
    assert!(ok, "the run failed:\n{raw}");
    assert!(
        !progress_words(&raw) && !raw.contains('\x1b'),
        "progress with --quiet:\n{raw}"
    );
}

/// Converts a synthetic site of `posts` posts to Hugo under a pty, with
/// `extra` arguments: what the terminal got, and whether the run succeeded.
fn convert_on_pty(posts: usize, extra: &[&str]) -> (String, bool) {
    convert_synthetic(posts, extra, run_on_pty)
}

/// Makes a synthetic site of `posts` posts and hands `run` the command line
/// converting it to Hugo (with `extra` arguments): on a pty or on pipes.
fn convert_synthetic<R>(posts: usize, extra: &[&str], run: impl FnOnce(&[&str]) -> R) -> R {
    let site = synthetic_site(posts);
    let out_dir = tempfile::tempdir().expect("temp dir");
    let out = out_dir.path().join("hugo");
    let mut args = vec![
        "convert",
        "--to",
        "hugo",
        path(site.path()),
        "-o",
        path(&out),
    ];
    args.extend(extra);
    run(&args)
}

fn path(p: &Path) -> &str {
    p.to_str().expect("temp paths are UTF-8")
}
