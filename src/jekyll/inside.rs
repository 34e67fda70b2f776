//! Keeping every read inside the site. Jekyll's safe mode does not follow a
//! symlink that leads out of the site; neither does this tool, wherever the
//! link sits (pages, `_posts`, `_data`, `_includes`, collections), so a site
//! from someone else cannot make it read (and publish) files of the machine.

use std::path::{Path, PathBuf};

use crate::diagnostics::Diagnostic;

/// The site root, resolved once, to test symlink targets against.
#[derive(Debug, Clone)]
pub struct SiteRoot {
    canon: PathBuf,
}

impl SiteRoot {
    /// The root at `root` (resolved through symlinks when it exists).
    pub fn new(root: &Path) -> Self {
        SiteRoot {
            canon: root.canonicalize().unwrap_or_else(|_| root.to_path_buf()),
        }
    }

    /// `Ok` when `abs` (shown as `rel`) is not a symlink, or is one whose
    /// target lies inside the site; otherwise the warning that says why it
    /// is skipped. A missing path is `Ok`: the caller's read reports it.
    pub fn check(&self, abs: &Path, rel: &str) -> Result<(), Diagnostic> {
        let Ok(meta) = std::fs::symlink_metadata(abs) else {
            return Ok(());
        };
        if !meta.file_type().is_symlink() {
            return Ok(());
        }
        match abs.canonicalize() {
            Ok(target) if target.starts_with(&self.canon) => Ok(()),
            Ok(target) => Err(Diagnostic::warning(
                "symlink-outside",
                rel,
                format!(
                    "a symlink to {} outside the site; it is not followed (as in Jekyll's safe \
                     mode); copy the file into the site if it belongs to it",
                    target.display()
                ),
            )),
            Err(e) => Err(Diagnostic::warning(
                "symlink-broken",
                rel,
                format!(
                    "a symlink that cannot be followed ({e}): it points nowhere or at itself; \
                     it is skipped"
                ),
            )),
        }
    }
}

/// The note for a folder reached a second time at `abs` (shown as `rel`,
/// resolved to `canon`): a symlink loop when the folder holds the link,
/// else a second path to a folder already read. `None` when `abs` is not a
/// symlink (a folder below a linked one: the link itself was reported).
pub fn revisit(abs: &Path, canon: &Path, rel: &str) -> Option<Diagnostic> {
    let is_link = std::fs::symlink_metadata(abs).is_ok_and(|m| m.file_type().is_symlink());
    if !is_link {
        return None;
    }
    let parent = abs.parent().and_then(|p| p.canonicalize().ok());
    Some(if parent.is_some_and(|p| p.starts_with(canon)) {
        Diagnostic::warning(
            "symlink-loop",
            rel,
            "a symlink to a folder that holds it (a loop); it is not followed",
        )
    } else {
        Diagnostic::info(
            "symlink-duplicate",
            rel,
            format!(
                "a symlink to {}, a folder read already under another path; its files are \
                 read once, under that path",
                canon.display()
            ),
        )
    })
}

/// The warning for something in the site that is neither a file nor a
/// folder (a FIFO, socket or device): it is skipped, since reading a FIFO
/// would wait forever.
pub fn special_file(rel: &str) -> Diagnostic {
    Diagnostic::warning(
        "special-file",
        rel,
        "neither a file nor a folder (a FIFO, socket or device); it is skipped",
    )
}
