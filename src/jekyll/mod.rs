//! The Jekyll reader: turns a site folder into the IR, computing URLs, dates,
//! slugs and categories exactly as Jekyll 4.3 does. Nothing here knows about
//! output formats.

use std::path::{Path, PathBuf};

use crate::ir::Site;

/// What to read and how.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// Config files to read instead of `_config.yml` (`--config a.yml,b.yml`),
    /// relative to the current folder.
    pub config_files: Vec<PathBuf>,
    /// Read `_drafts` too (`--drafts`).
    pub drafts: bool,
    /// Keep `published: false` documents (`--unpublished`); they are marked
    /// unpublished either way.
    pub unpublished: bool,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            config_files: Vec::new(),
            drafts: false,
            unpublished: true,
        }
    }
}

/// Why a site could not be read at all.
#[derive(Debug)]
pub struct ReadError {
    /// The path at fault.
    pub path: PathBuf,
    /// What went wrong and what to do.
    pub message: String,
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.message)
    }
}

impl std::error::Error for ReadError {}

/// Reads the whole site at `root`. Problems with single files become
/// diagnostics in the returned site; only an unusable root is an error.
pub fn read_site(root: &Path, opts: &ReadOptions) -> Result<Site, ReadError> {
    let _ = opts;
    if !root.is_dir() {
        return Err(ReadError {
            path: root.to_path_buf(),
            message: "is not a folder; give the folder that holds _config.yml".into(),
        });
    }
    Err(ReadError {
        path: root.to_path_buf(),
        message: "the reader is not written yet".into(),
    })
}
