//! Ctrl-C (SIGINT, and SIGTERM) during a run: the staging folder is removed
//! before the process ends, so an interrupted run leaves OUT as it was and
//! no partial output beside it. Without a handler the process would die at
//! once and leave the hidden staging folder behind.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard, Once};

/// Paths to remove if the run is interrupted.
static PENDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
/// Folders this run made that are removed on an interrupt only if they
/// are empty by then (the folder a file was to be written into).
static EMPTY_FOLDERS: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
/// Set by the handler: no more writes.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// True once Ctrl-C (or SIGTERM) arrived.
pub fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::SeqCst)
}
static INSTALL: Once = Once::new();

fn pending() -> MutexGuard<'static, Vec<PathBuf>> {
    PENDING.lock().unwrap_or_else(|e| e.into_inner())
}

/// The exit code of an interrupted run (128 + SIGINT, as shells report it).
pub const EXIT_INTERRUPTED: i32 = 130;

/// Installs the handler once per process. On a signal it removes every
/// registered path, says so, and exits with [`EXIT_INTERRUPTED`].
pub fn install() {
    INSTALL.call_once(|| {
        let installed = ctrlc::set_handler(|| {
            // Stop new writes, let one already under way finish, then
            // remove what was staged.
            INTERRUPTED.store(true, Ordering::SeqCst);
            std::thread::sleep(std::time::Duration::from_millis(100));
            let paths = pending();
            for p in paths.iter() {
                super::remove_any(p);
            }
            for p in empty_folders().iter() {
                // Fails, as it should, on a folder that is not empty.
                let _ = std::fs::remove_dir(p);
            }
            // The message on a line of its own, not after a half-drawn bar.
            crate::progress::clear();
            eprintln!("jekyll-migrate: interrupted; no partial output is left behind");
            std::process::exit(EXIT_INTERRUPTED);
        });
        if let Err(e) = installed {
            eprintln!(
                "jekyll-migrate: warning: no Ctrl-C handler ({e}); an interrupted run may \
                 leave a hidden staging folder beside the output"
            );
        }
    });
}

/// For a run whose work stopped because of the interrupt: waits for the
/// handler to clean up and exit the process (it always does, within a
/// moment); [`EXIT_INTERRUPTED`] if it somehow has not after 10 s.
pub fn wait_for_handler() -> i32 {
    for _ in 0..200 {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    EXIT_INTERRUPTED
}

/// Removes `path` if the run is interrupted.
pub fn register(path: &Path) {
    pending().push(path.to_path_buf());
}

/// Removes the folder `path` if the run is interrupted and it is empty.
pub fn register_empty_folder(path: &Path) {
    empty_folders().push(path.to_path_buf());
}

fn empty_folders() -> MutexGuard<'static, Vec<PathBuf>> {
    EMPTY_FOLDERS.lock().unwrap_or_else(|e| e.into_inner())
}

/// Forgets `path`.
pub fn unregister(path: &Path) {
    pending().retain(|p| p != path);
    empty_folders().retain(|p| p != path);
}

/// Runs `f` with the handler held off until it returns; `f` gets the
/// list of paths to remove on an interrupt, to change it as it goes.
pub fn while_held<T>(f: impl FnOnce(&mut Vec<PathBuf>) -> T) -> T {
    let mut held = pending();
    f(&mut held)
}
