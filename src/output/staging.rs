//! Where a run's output goes and how it gets there: OUT is checked before
//! anything is read, the output is built in a staging folder beside its
//! final place, and moved there only once it is complete.
//!
//! Three shapes of output ([`Destination`]): a whole folder (Hugo, Zola),
//! replaced as a whole and only with `--force`; one file (`-o book.epub`);
//! or files laid into a folder the user already has (`-o books/`,
//! `-o public/` for a feed), where only the files written are replaced,
//! each only with `--force`, and a folder is never replaced by a file.

use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::{interrupt, remove_any, stale};

/// What a converter writes at OUT.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// A folder that is the whole output (a Hugo or Zola site).
    Dir,
    /// One file; when OUT is a folder (it exists, or is written with a
    /// trailing `/`), the file is written into it.
    File,
    /// Files laid into the folder OUT (made if missing), next to what
    /// it already holds.
    Files,
}

/// Where the output goes, OUT resolved against the file system.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    /// The folder at this path is the output.
    Folder(PathBuf),
    /// One file at this path.
    File(PathBuf),
    /// Files written into the folder `dir`: the one named `file`, or for
    /// [`Target::Files`] (`file` is `None`) whichever the converter writes.
    Into {
        /// The folder.
        dir: PathBuf,
        /// The single file's name, for [`Target::File`].
        file: Option<String>,
    },
}

/// Whether `out` names a folder: it is one (a symlink to one counts), or
/// it is written with a trailing separator (`-o books/`).
fn names_folder(out: &Path) -> bool {
    let s = out.as_os_str().to_string_lossy();
    out.is_dir() || s.ends_with('/') || s.ends_with(std::path::MAIN_SEPARATOR)
}

/// Resolves OUT for a converter's `target`. `name_in_folder` is the name a
/// single file gets when OUT is a folder.
pub fn destination(out: &Path, target: Target, name_in_folder: &str) -> Destination {
    match target {
        Target::Dir => Destination::Folder(out.to_path_buf()),
        Target::File if names_folder(out) => Destination::Into {
            dir: out.to_path_buf(),
            file: Some(name_in_folder.to_string()),
        },
        Target::File => Destination::File(out.to_path_buf()),
        Target::Files => Destination::Into {
            dir: out.to_path_buf(),
            file: None,
        },
    }
}

impl Destination {
    /// The path shown to the user as where the output went: the file for
    /// a single file written into a folder, else OUT.
    pub fn shown(&self) -> PathBuf {
        match self {
            Destination::Folder(p) | Destination::File(p) => p.clone(),
            Destination::Into {
                dir,
                file: Some(name),
            } => dir.join(name),
            Destination::Into { dir, file: None } => dir.clone(),
        }
    }

    /// The name of the single file the converter is to write, `None` when
    /// the output is a folder.
    pub fn file_name(&self) -> Option<String> {
        match self {
            Destination::Folder(_) | Destination::Into { file: None, .. } => None,
            Destination::File(p) => Some(
                p.file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_else(|| "out".into()),
            ),
            Destination::Into { file: Some(n), .. } => Some(n.clone()),
        }
    }
}

/// Where a run writes: the staging folder, and what becomes of it.
#[derive(Debug)]
pub struct Staging {
    /// The final output path (its folder resolved, its own name kept, so an
    /// OUT that is a symlink is replaced as a link, never followed). For
    /// files laid into a folder, that folder.
    out: PathBuf,
    /// The staging folder (beside the final path, or inside the folder the
    /// files go into).
    pub dir: PathBuf,
    /// Where the old OUT waits while the new one is moved into place.
    backup: PathBuf,
    /// The output's shape.
    shape: Shape,
    /// Whether an existing file may be replaced.
    force: bool,
    /// The folder files go into, when this run made it (removed again if
    /// the run fails, so a failed run leaves nothing).
    made_folder: Option<PathBuf>,
}

/// How the staged output is moved into place.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Shape {
    /// The staging folder becomes OUT.
    Folder,
    /// The staged file of this name becomes OUT.
    File(String),
    /// Every staged file moves into the folder OUT.
    Into,
}

/// Why OUT cannot be used.
#[derive(Debug)]
pub enum PlaceError {
    /// OUT and SITE overlap.
    Overlap(String),
    /// OUT exists and is not empty, and `--force` was not given.
    Exists(PathBuf),
    /// A file would replace a folder, which is never done.
    FolderInTheWay(PathBuf),
    /// The folder to write into is a file.
    NotAFolder(PathBuf),
    /// I/O error while preparing or moving.
    Io(PathBuf, io::Error),
}

impl fmt::Display for PlaceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PlaceError::Overlap(s) => f.write_str(s),
            PlaceError::Exists(p) if p.is_dir() => write!(
                f,
                "{} already exists and is not empty; pass --force to replace it, or choose another -o",
                p.display()
            ),
            PlaceError::Exists(p) => write!(
                f,
                "{} already exists; pass --force to replace it, or choose another -o",
                p.display()
            ),
            PlaceError::FolderInTheWay(p) => write!(
                f,
                "{} is a folder; a folder is never replaced by a file, even with --force; \
                 choose another -o",
                p.display()
            ),
            PlaceError::NotAFolder(p) => write!(
                f,
                "{} is a file, not a folder to write into; drop the trailing / or choose another -o",
                p.display()
            ),
            PlaceError::Io(p, e) => write!(f, "{}: {e}", p.display()),
        }
    }
}

impl std::error::Error for PlaceError {}

/// Absolute form of `p` without touching the file system.
fn absolute(p: &Path) -> PathBuf {
    if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir()
            .map(|d| d.join(p))
            .unwrap_or_else(|_| p.to_path_buf())
    }
}

/// Absolute, lexically normalised form of `p` (symlinks of existing parts
/// resolved), for overlap checks.
fn normalise(p: &Path) -> PathBuf {
    let abs = absolute(p);
    // Canonicalise the longest existing ancestor, then append the rest.
    let mut existing = abs.clone();
    let mut tail = Vec::new();
    while !existing.exists() {
        match (existing.file_name(), existing.parent()) {
            (Some(name), Some(parent)) => {
                tail.push(name.to_os_string());
                existing = parent.to_path_buf();
            }
            _ => break,
        }
    }
    let mut base = fs::canonicalize(&existing).unwrap_or(existing);
    for name in tail.into_iter().rev() {
        if name == ".." {
            base.pop();
        } else if name != "." {
            base.push(name);
        }
    }
    base
}

/// The path OUT is replaced at: its parent folder resolved, its last name
/// kept as given (so a symlink named as OUT is itself replaced).
fn replace_target(out: &Path) -> PathBuf {
    let abs = absolute(out);
    match (abs.parent(), abs.file_name()) {
        (Some(parent), Some(name)) if name != ".." => normalise(parent).join(name),
        // `/`, `..`, `a/..`: no name to keep.
        _ => normalise(&abs),
    }
}

/// Refuses a final path that is SITE, inside it, or (for a folder that
/// replaces what is there) one that holds SITE.
fn check_overlap(site: &Path, out: &Path, replaces_folder: bool) -> Result<(), PlaceError> {
    let site_n = normalise(site);
    // Both OUT as named and OUT resolved through a symlink must stay clear of
    // the site: replacing either would touch it.
    for out_n in [replace_target(out), normalise(out)] {
        if out_n == site_n {
            return Err(PlaceError::Overlap(format!(
                "the output {} is the site itself; choose an -o outside the site",
                out.display()
            )));
        }
        if out_n.starts_with(&site_n) {
            return Err(PlaceError::Overlap(format!(
                "the output {} is inside the site {}; choose an -o outside the site",
                out.display(),
                site.display()
            )));
        }
        if replaces_folder && site_n.starts_with(&out_n) {
            return Err(PlaceError::Overlap(format!(
                "the site {} is inside the output {}; choose another -o",
                site.display(),
                out.display()
            )));
        }
    }
    Ok(())
}

/// Whether `p` is an empty folder (not a symlink to one).
fn is_empty_dir(p: &Path) -> bool {
    !p.is_symlink()
        && p.is_dir()
        && fs::read_dir(p)
            .map(|mut d| d.next().is_none())
            .unwrap_or(false)
}

/// Checks that a file may be written at `path`: never over a folder, over
/// an existing file only with `--force`.
fn check_file_slot(path: &Path, force: bool) -> Result<(), PlaceError> {
    if path.is_dir() && !path.is_symlink() {
        return Err(PlaceError::FolderInTheWay(path.to_path_buf()));
    }
    if (path.exists() || path.is_symlink()) && !force {
        return Err(PlaceError::Exists(path.to_path_buf()));
    }
    Ok(())
}

/// Checks the destination against SITE and `--force`, removes the staging
/// folders that runs no longer alive left there, and creates an empty
/// staging folder. `first_file` names the file checked up front when a
/// converter lays several files into a folder (the rest are checked before
/// anything is moved into place).
pub fn prepare(
    site: &Path,
    dest: &Destination,
    first_file: &str,
    force: bool,
) -> Result<Staging, PlaceError> {
    let (final_path, shape, made_folder) = match dest {
        Destination::Folder(out) => {
            check_overlap(site, out, true)?;
            let out_n = replace_target(out);
            if (out_n.exists() || out_n.is_symlink()) && !force && !is_empty_dir(&out_n) {
                return Err(PlaceError::Exists(out.to_path_buf()));
            }
            (out_n, Shape::Folder, None)
        }
        Destination::File(out) => {
            check_overlap(site, out, false)?;
            let out_n = replace_target(out);
            check_file_slot(&out_n, force)?;
            let name = out_n
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| "out".into());
            (out_n, Shape::File(name), None)
        }
        Destination::Into { dir, file } => {
            let first = file.as_deref().unwrap_or(first_file);
            check_overlap(site, dir, false)?;
            check_overlap(site, &dir.join(first), false)?;
            let dir_n = normalise(dir);
            if dir_n.exists() && !dir_n.is_dir() {
                return Err(PlaceError::NotAFolder(dir.to_path_buf()));
            }
            check_file_slot(&dir_n.join(first), force)?;
            let made = (!dir_n.exists()).then(|| dir_n.clone());
            fs::create_dir_all(&dir_n).map_err(|e| PlaceError::Io(dir.to_path_buf(), e))?;
            (dir_n.join(first), Shape::Into, made)
        }
    };
    let parent = final_path
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    fs::create_dir_all(&parent).map_err(|e| PlaceError::Io(parent.clone(), e))?;
    let name = final_path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".into());
    stale::remove_dead_runs(&parent, &name);
    let stem = stale::staging_name(&name, std::process::id());
    let dir = parent.join(&stem);
    let backup = parent.join(format!("{stem}.old"));
    if dir.exists() {
        fs::remove_dir_all(&dir).map_err(|e| PlaceError::Io(dir.clone(), e))?;
    }
    fs::create_dir(&dir).map_err(|e| PlaceError::Io(dir.clone(), e))?;
    interrupt::register(&dir);
    if let Some(made) = &made_folder {
        interrupt::register_empty_folder(made);
    }
    let out = match shape {
        Shape::Into => parent,
        _ => final_path,
    };
    Ok(Staging {
        out,
        dir,
        backup,
        shape,
        force,
        made_folder,
    })
}

impl Staging {
    /// Moves the finished output into place. The file a single-file
    /// converter wrote is the one named at [`prepare`]; files laid into a
    /// folder are each moved next to what the folder holds. On failure OUT
    /// is as it was and the staging folder is gone.
    pub fn commit(self) -> Result<(), PlaceError> {
        let result = match &self.shape {
            Shape::Folder => self.swap(&self.dir.clone(), true),
            Shape::File(name) => self.swap(&self.dir.join(name), false),
            Shape::Into => self.move_each_into_place(),
        };
        remove_any(&self.dir);
        remove_any(&self.backup);
        interrupt::unregister(&self.dir);
        interrupt::unregister(&self.backup);
        if let Some(made) = &self.made_folder {
            interrupt::unregister(made);
            if result.is_err() && is_empty_dir(made) {
                let _ = fs::remove_dir(made);
            }
        }
        result
    }

    /// Puts `from` (the staging folder, or the one file in it) at OUT,
    /// moving the old OUT aside first and back if the move fails.
    fn swap(&self, from: &Path, whole_folder: bool) -> Result<(), PlaceError> {
        // Ctrl-C waits while OUT is swapped, so OUT is never missing.
        interrupt::while_held(|pending| -> Result<(), PlaceError> {
            let mut old = false;
            if self.out.exists() || self.out.is_symlink() {
                fs::rename(&self.out, &self.backup)
                    .map_err(|e| PlaceError::Io(self.out.clone(), e))?;
                old = true;
            }
            if let Err(e) = fs::rename(from, &self.out) {
                // Put the old output back so a failure leaves OUT as it was.
                if old {
                    let _ = fs::rename(&self.backup, &self.out);
                }
                return Err(PlaceError::Io(self.out.clone(), e));
            }
            // From here an interrupt removes the old output, not the new one.
            if whole_folder {
                pending.retain(|p| p != &self.dir);
            }
            if old {
                pending.push(self.backup.clone());
            }
            Ok(())
        })
    }

    /// Moves every staged file into the folder OUT, after checking all of
    /// them: none may land on a folder, none on a file without `--force`.
    /// Each move replaces at most its own file, atomically.
    fn move_each_into_place(&self) -> Result<(), PlaceError> {
        let mut names: Vec<std::ffi::OsString> = fs::read_dir(&self.dir)
            .map_err(|e| PlaceError::Io(self.dir.clone(), e))?
            .filter_map(|e| e.ok().map(|e| e.file_name()))
            .collect();
        names.sort();
        for name in &names {
            check_file_slot(&self.out.join(name), self.force)?;
        }
        interrupt::while_held(|_| -> Result<(), PlaceError> {
            for name in &names {
                let to = self.out.join(name);
                fs::rename(self.dir.join(name), &to).map_err(|e| PlaceError::Io(to, e))?;
            }
            Ok(())
        })
    }

    /// Removes the staging folder (after a failure), and the folder the
    /// files were to go into if this run made it.
    pub fn abandon(self) {
        remove_any(&self.dir);
        interrupt::unregister(&self.dir);
        if let Some(made) = &self.made_folder {
            interrupt::unregister(made);
            if is_empty_dir(made) {
                let _ = fs::remove_dir(made);
            }
        }
    }
}
