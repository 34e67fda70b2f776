//! Writing output safely: every path is checked to stay inside the output
//! tree, the tree is built in a staging folder beside OUT, and it replaces
//! OUT only once it is complete.

use std::fmt;
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

pub mod interrupt;
pub mod staging;
mod stale;

pub use staging::{destination, prepare, Destination, PlaceError, Staging, Target};

/// Why a file could not be written.
#[derive(Debug)]
pub enum OutputError {
    /// The relative path would leave the output folder or is not a usable name.
    UnsafePath {
        /// The path as asked for.
        path: String,
        /// Why it was refused.
        reason: &'static str,
    },
    /// An I/O error while writing.
    Io {
        /// The file being written.
        path: PathBuf,
        /// The error.
        error: io::Error,
    },
}

impl fmt::Display for OutputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OutputError::UnsafePath { path, reason } => {
                write!(f, "refused to write {path:?}: {reason}")
            }
            OutputError::Io { path, error } => {
                write!(f, "could not write {}: {error}", path.display())
            }
        }
    }
}

impl std::error::Error for OutputError {}

/// Checks that `rel` is a plain relative path made of normal names and returns
/// it as a `PathBuf`. Refuses absolute paths, `..`, drive letters, NUL bytes
/// and backslashes, so nothing can be written outside the tree.
pub fn safe_relative(rel: &str) -> Result<PathBuf, OutputError> {
    let refuse = |reason| {
        Err(OutputError::UnsafePath {
            path: rel.to_string(),
            reason,
        })
    };
    if rel.is_empty() {
        return refuse("the path is empty");
    }
    if rel.contains('\0') {
        return refuse("the path holds a NUL byte");
    }
    if rel.contains('\\') {
        return refuse("the path holds a backslash");
    }
    if rel.starts_with('/') {
        return refuse("the path is absolute");
    }
    let mut out = PathBuf::new();
    for part in rel.split('/') {
        if part.is_empty() || part == "." {
            continue;
        }
        if part == ".." {
            return refuse("the path climbs out with '..'");
        }
        let b = part.as_bytes();
        if b.len() >= 2 && b[1] == b':' && b[0].is_ascii_alphabetic() {
            return refuse("the path starts with a drive letter");
        }
        if part.len() > 255 {
            return refuse("a name in the path is longer than 255 bytes");
        }
        out.push(part);
    }
    if out.as_os_str().is_empty() {
        return refuse("the path names no file");
    }
    // Belt and braces: only normal components may remain.
    if !out.components().all(|c| matches!(c, Component::Normal(_))) {
        return refuse("the path is not a plain relative path");
    }
    Ok(out)
}

/// A folder being filled with output. Every write goes through
/// [`safe_relative`]. Writes take `&self`, so converters may write files
/// from several threads at once (each file as soon as it is made).
#[derive(Debug)]
pub struct OutputTree {
    root: PathBuf,
    files: AtomicUsize,
    /// Writes refused because their path would leave the tree or is not a
    /// usable name; each costs only its own file.
    refused: Mutex<Vec<crate::diagnostics::Diagnostic>>,
    /// Testing hook: fail every write after this many files
    /// ([`FAIL_AFTER_ENV`]), to check that a run failing midway leaves OUT
    /// as it was.
    fail_after: Option<usize>,
    /// Folders already made: one `stat` per file saved on big sites.
    made: Mutex<crate::fast_hash::FastSet<PathBuf>>,
}

/// Environment variable read by [`OutputTree::new`]: when set to N, every
/// write after the N-th fails with an I/O error. Only for tests of the
/// failure path (a full disk cannot be had on demand).
pub const FAIL_AFTER_ENV: &str = "JEKYLL_MIGRATE_TEST_FAIL_AFTER_WRITES";

impl OutputTree {
    /// A tree rooted at `root`, which must exist.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        OutputTree {
            root: root.into(),
            files: AtomicUsize::new(0),
            refused: Mutex::new(Vec::new()),
            fail_after: std::env::var(FAIL_AFTER_ENV)
                .ok()
                .and_then(|v| v.parse().ok()),
            made: Mutex::new(crate::fast_hash::FastSet::default()),
        }
    }

    /// Makes the folder that will hold `path`, once.
    fn make_parent(&self, path: &Path) -> Result<(), OutputError> {
        let Some(parent) = path.parent() else {
            return Ok(());
        };
        if self.made.lock().is_ok_and(|m| m.contains(parent)) {
            return Ok(());
        }
        // Two threads may both get here for one folder; making a folder
        // that exists is no error for `create_dir_all`.
        fs::create_dir_all(parent).map_err(|error| OutputError::Io {
            path: parent.to_path_buf(),
            error,
        })?;
        if let Ok(mut m) = self.made.lock() {
            m.insert(parent.to_path_buf());
        }
        Ok(())
    }

    /// The root folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// How many files were written (counting those a [`Writer`] has
    /// queued: once [`OutputTree::with_writer`] returns, all are written).
    pub fn files_written(&self) -> usize {
        self.files.load(Ordering::Relaxed)
    }

    /// The absolute path `rel` would be written at, after the safety checks.
    pub fn path_of(&self, rel: &str) -> Result<PathBuf, OutputError> {
        Ok(self.root.join(safe_relative(rel)?))
    }

    /// The injected failure of [`FAIL_AFTER_ENV`], if it is due; and no
    /// write at all once the run is interrupted, so nothing recreates the
    /// staging folder the interrupt handler removes.
    fn injected_failure(&self, path: &Path) -> Result<(), OutputError> {
        if interrupt::interrupted() {
            return Err(OutputError::Io {
                path: path.to_path_buf(),
                error: io::Error::new(io::ErrorKind::Interrupted, "interrupted"),
            });
        }
        match self.fail_after {
            Some(n) if self.files.load(Ordering::Relaxed) >= n => Err(OutputError::Io {
                path: path.to_path_buf(),
                error: io::Error::other(format!("{FAIL_AFTER_ENV}={n}")),
            }),
            _ => Ok(()),
        }
    }

    /// The path to write `rel` at, or `None` after recording why a path
    /// that would leave the tree (or is no usable name) was refused: a
    /// hostile permalink or file name costs its own file, not the run.
    fn checked_path(&self, rel: &str) -> Result<Option<PathBuf>, OutputError> {
        match self.path_of(rel) {
            Ok(p) => Ok(Some(p)),
            Err(e @ OutputError::UnsafePath { .. }) => {
                let diag = crate::diagnostics::Diagnostic::error(
                    "unsafe-output-path",
                    rel.replace('\0', "\\0"),
                    format!(
                        "{e}; this file was not written (rename the source or fix its permalink)"
                    ),
                )
                .in_output();
                if let Ok(mut r) = self.refused.lock() {
                    r.push(diag);
                }
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }

    /// The writes refused so far, as diagnostics (taken out of the tree),
    /// in path order: writes from several threads come in any order.
    pub fn take_refused(&mut self) -> Vec<crate::diagnostics::Diagnostic> {
        let mut refused = self
            .refused
            .get_mut()
            .map(std::mem::take)
            .unwrap_or_default();
        refused.sort_by(|a, b| a.file.cmp(&b.file));
        refused
    }

    /// What every write does first: the path checked (`None` when it was
    /// refused and recorded), the injected failure, the folder made.
    fn prepare(&self, rel: &str) -> Result<Option<PathBuf>, OutputError> {
        let Some(path) = self.checked_path(rel)? else {
            return Ok(None);
        };
        self.injected_failure(&path)?;
        self.make_parent(&path)?;
        Ok(Some(path))
    }

    /// Writes `bytes` at `rel`, creating folders as needed.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), OutputError> {
        let Some(path) = self.prepare(rel)? else {
            return Ok(());
        };
        fs::write(&path, bytes).map_err(|error| OutputError::Io { path, error })?;
        self.files.fetch_add(1, Ordering::Relaxed);
        crate::progress::wrote_file();
        Ok(())
    }

    /// Writes `rel` through a buffered writer that `fill` writes into: for
    /// a big file made piece by piece, so it need not be whole in memory.
    /// The writer can seek too (a ZIP goes back to fill in each entry's
    /// header once its data is written).
    pub fn write_with(
        &self,
        rel: &str,
        fill: impl FnOnce(&mut io::BufWriter<fs::File>) -> io::Result<()>,
    ) -> Result<(), OutputError> {
        let Some(path) = self.prepare(rel)? else {
            return Ok(());
        };
        let written = fs::File::create(&path).and_then(|file| {
            let mut w = io::BufWriter::with_capacity(1 << 20, file);
            fill(&mut w)?;
            io::Write::flush(&mut w)
        });
        written.map_err(|error| OutputError::Io { path, error })?;
        self.files.fetch_add(1, Ordering::Relaxed);
        crate::progress::wrote_file();
        Ok(())
    }

    /// Runs `work` with a [`Writer`] whose files are written by a thread of
    /// its own, and returns once every one is on disk. For the many-page
    /// loops: a file system creates the files of one folder one at a time
    /// (a lock per folder), so two threads that both create files there
    /// mostly wait on each other, while a single writer lets both go on
    /// making pages. Returns the first failed write, if any, over `work`'s
    /// result.
    pub fn with_writer<R: Send>(
        &self,
        work: impl FnOnce(&Writer<'_>) -> R + Send,
    ) -> Result<R, OutputError> {
        // A few batches in flight at most: memory stays flat however many
        // pages a site has, and a slow disk slows the makers down.
        let (send, receive) = std::sync::mpsc::sync_channel::<Batch>(2);
        let failed: Mutex<Option<OutputError>> = Mutex::new(None);
        let result = std::thread::scope(|scope| {
            let failed = &failed;
            scope.spawn(move || {
                for (path, bytes) in receive.into_iter().flatten() {
                    // After Ctrl-C the staging folder is being removed:
                    // stop, and say why the pages are not all there.
                    let written = if interrupt::interrupted() {
                        Err(io::Error::new(io::ErrorKind::Interrupted, "interrupted"))
                    } else {
                        fs::write(&path, &bytes)
                    };
                    if let Err(error) = written {
                        if let Ok(mut f) = failed.lock() {
                            f.get_or_insert(OutputError::Io { path, error });
                        }
                        // Dropping the receiver makes every later send fail.
                        return;
                    }
                    // Shown when on disk, not when queued: the display
                    // says what is written.
                    crate::progress::wrote_file();
                }
            });
            let writer = Writer {
                tree: self,
                send,
                pending: Mutex::new(Vec::with_capacity(BATCH)),
            };
            let result = work(&writer);
            // The last, partial batch; a send that fails means the writing
            // thread stopped on a failure, which is returned below.
            if let Ok(rest) = writer.pending.into_inner() {
                if !rest.is_empty() {
                    let _ = writer.send.send(rest);
                }
            }
            result
            // The sender drops here, which ends the writing thread's loop
            // once it has written everything sent; the scope waits for it.
        });
        match failed.into_inner().ok().flatten() {
            Some(e) => Err(e),
            None => Ok(result),
        }
    }

    /// Copies the file at `from` to `rel`.
    pub fn copy(&self, rel: &str, from: &Path) -> Result<(), OutputError> {
        let Some(path) = self.prepare(rel)? else {
            return Ok(());
        };
        fs::copy(from, &path).map_err(|error| OutputError::Io {
            path: path.clone(),
            error,
        })?;
        self.files.fetch_add(1, Ordering::Relaxed);
        crate::progress::wrote_file();
        Ok(())
    }
}

/// Hands files to the writing thread of [`OutputTree::with_writer`]. Shared
/// by every thread that makes pages.
#[derive(Debug)]
pub struct Writer<'t> {
    tree: &'t OutputTree,
    send: std::sync::mpsc::SyncSender<Batch>,
    /// Files queued but not yet sent: handing them over one by one woke
    /// the writing thread for each (a twentieth of a 10,000-page run's CPU
    /// went on the channel and its wake-ups).
    pending: Mutex<Batch>,
}

/// Files handed to the writing thread together.
type Batch = Vec<(PathBuf, Vec<u8>)>;

/// How many files go to the writing thread at a time.
const BATCH: usize = 32;

impl Writer<'_> {
    /// Queues `bytes` to be written at `rel`, after the same checks as
    /// [`OutputTree::write`] (its folder is made here, so the writing
    /// thread only creates files). Fails at once when an earlier write has
    /// failed; [`OutputTree::with_writer`] then returns that failure.
    pub fn write(&self, rel: &str, bytes: Vec<u8>) -> Result<(), OutputError> {
        let Some(path) = self.tree.prepare(rel)? else {
            return Ok(());
        };
        // Counted when queued, so the failure hook of FAIL_AFTER_ENV
        // fires after the same number of files however fast the writing
        // thread is; a failed write fails the whole run anyway.
        self.tree.files.fetch_add(1, Ordering::Relaxed);
        let full = {
            let mut pending = self.pending.lock().map_err(|_| OutputError::Io {
                path: path.clone(),
                error: io::Error::other("not written: a page maker stopped while queueing"),
            })?;
            pending.push((path, bytes));
            if pending.len() < BATCH {
                return Ok(());
            }
            std::mem::replace(&mut *pending, Vec::with_capacity(BATCH))
        };
        self.send.send(full).map_err(|e| OutputError::Io {
            path: e.0.into_iter().next().map(|f| f.0).unwrap_or_default(),
            error: io::Error::other("not written: an earlier file could not be written"),
        })
    }
}

/// Removes whatever is at `p`: a folder with its contents, a file, or a
/// symlink (never followed).
fn remove_any(p: &Path) {
    if p.is_dir() && !p.is_symlink() {
        let _ = fs::remove_dir_all(p);
    } else if p.is_symlink() || p.exists() {
        let _ = fs::remove_file(p);
    }
}

#[cfg(test)]
mod tests {
    use super::safe_relative;

    #[test]
    fn refuses_paths_that_leave_the_tree() {
        for bad in [
            "../x",
            "a/../../x",
            "/etc/passwd",
            "C:/x",
            "a\\..\\x",
            "a\0b",
            "",
            "./",
        ] {
            assert!(safe_relative(bad).is_err(), "{bad:?} was accepted");
        }
    }

    #[test]
    fn keeps_plain_paths() {
        assert_eq!(
            safe_relative("a/./b//c.html").unwrap(),
            std::path::PathBuf::from("a/b/c.html")
        );
        assert_eq!(
            safe_relative("%2e%2e/x").unwrap(),
            std::path::PathBuf::from("%2e%2e/x")
        );
    }

    #[test]
    fn the_writing_thread_writes_every_file_before_returning() {
        use rayon::prelude::*;
        let dir = tempfile::tempdir().unwrap();
        let tree = super::OutputTree::new(dir.path());
        let sent = tree
            .with_writer(|w| {
                (0..500)
                    .into_par_iter()
                    .map(|i| w.write(&format!("posts/{i}.md"), format!("page {i}").into_bytes()))
                    .collect::<Result<Vec<()>, _>>()
            })
            .unwrap();
        assert!(sent.is_ok());
        assert_eq!(tree.files_written(), 500);
        for i in 0..500 {
            let text = std::fs::read_to_string(dir.path().join(format!("posts/{i}.md"))).unwrap();
            assert_eq!(text, format!("page {i}"));
        }
        // A refused path costs only its own file, as with `write`.
        let mut tree = tree;
        tree.with_writer(|w| w.write("../escape.md", b"x".to_vec()))
            .unwrap()
            .unwrap();
        assert_eq!(tree.take_refused().len(), 1);
        assert!(!dir.path().join("../escape.md").exists());
    }

    #[test]
    fn a_failed_background_write_is_returned() {
        let dir = tempfile::tempdir().unwrap();
        // A folder where the file should go makes the write itself fail.
        std::fs::create_dir_all(dir.path().join("posts/taken.md")).unwrap();
        let tree = super::OutputTree::new(dir.path());
        let result = tree.with_writer(|w| {
            w.write("posts/taken.md", b"x".to_vec())?;
            // Later writes fail once the writing thread has stopped, or
            // are written; either way the failure above is what returns.
            for i in 0..200 {
                let _ = w.write(&format!("posts/{i}.md"), b"y".to_vec());
            }
            Ok::<(), super::OutputError>(())
        });
        match result {
            Err(super::OutputError::Io { path, .. }) => {
                assert!(path.ends_with("posts/taken.md"), "{}", path.display())
            }
            other => panic!("expected the failed write, got {other:?}"),
        }
    }
}
