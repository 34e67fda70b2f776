//! Diagnostics: everything that could not be read or carried over.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::RwLock;

use serde::Serialize;

/// The folder diagnostic paths are shown from (see [`show_paths_from`]).
static SHOWN_BASE: RwLock<Option<PathBuf>> = RwLock::new(None);

/// Makes every diagnostic of the site show its file as `base/file`, where
/// `base` is the site folder as the user can open it from where they
/// stand (see [`base_for`]). The command line sets it once, before any
/// diagnostic is printed or written to `MIGRATION.md`; a library user who
/// does not sees paths relative to the site.
pub fn show_paths_from(base: PathBuf) {
    if let Ok(mut b) = SHOWN_BASE.write() {
        *b = Some(base);
    }
}

/// The site folder `site` as a path to show: relative to `cwd` when the
/// site is below it (`blog/`, or nothing for the current folder itself),
/// as given when it was given relative (`../blog`), else absolute.
pub fn base_for(site: &Path, cwd: &Path) -> PathBuf {
    let plain: PathBuf = site
        .components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .collect();
    if plain.is_relative() {
        return plain;
    }
    match plain.strip_prefix(cwd) {
        Ok(rel) => rel.to_path_buf(),
        Err(_) => plain,
    }
}

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing, nothing lost (an undefined Liquid variable that Jekyll
    /// also renders as nothing).
    Info,
    /// Something was carried over differently or partly.
    Warning,
    /// A document or file could not be converted at all.
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// One thing that could not be read or carried over, with where it is.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Diagnostic {
    /// How serious it is.
    pub severity: Severity,
    /// A short stable code for grouping in the report (`yaml-syntax`,
    /// `unknown-tag`, …).
    pub kind: String,
    /// Path relative to the site root (or the output for converter notes).
    pub file: String,
    /// 1-based line, where known.
    pub line: Option<usize>,
    /// 1-based column, where known.
    pub column: Option<usize>,
    /// What happened and what to do.
    pub message: String,
    /// The file is a path in the output (a file that could not be written
    /// there), not in the site.
    #[serde(skip)]
    pub in_output: bool,
}

impl Diagnostic {
    /// A diagnostic with no position.
    pub fn new(
        severity: Severity,
        kind: impl Into<String>,
        file: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity,
            kind: kind.into(),
            file: file.into(),
            line: None,
            column: None,
            message: message.into(),
            in_output: false,
        }
    }

    /// An error.
    pub fn error(kind: &str, file: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, kind, file, message)
    }

    /// A warning.
    pub fn warning(kind: &str, file: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, kind, file, message)
    }

    /// An informational note.
    pub fn info(kind: &str, file: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(Severity::Info, kind, file, message)
    }

    /// Marks the file as a path in the output.
    pub fn in_output(mut self) -> Self {
        self.in_output = true;
        self
    }

    /// The file as the user can open it: below the folder set by
    /// [`show_paths_from`], for files of the site.
    pub fn shown_file(&self) -> String {
        // Output paths, and the URLs some checks name instead of a file.
        if self.in_output || self.file.contains("://") {
            return self.file.clone();
        }
        let base = SHOWN_BASE.read().ok().and_then(|b| b.clone());
        match base {
            Some(base) if !base.as_os_str().is_empty() => {
                if self.file.is_empty() {
                    base.display().to_string()
                } else {
                    base.join(&self.file).display().to_string()
                }
            }
            _ => self.file.clone(),
        }
    }

    /// Sets the line (1-based).
    pub fn at_line(mut self, line: usize) -> Self {
        self.line = Some(line);
        self
    }

    /// Sets line and column (1-based).
    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.line = Some(line);
        self.column = Some(column);
        self
    }
}

impl fmt::Display for Diagnostic {
    /// `file:line:col: severity[kind]: message`, as compilers print it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.shown_file())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(col) = self.column {
                write!(f, ":{col}")?;
            }
        }
        write!(f, ": {}[{}]: {}", self.severity, self.kind, self.message)
    }
}

/// Runs `work` for the file `file`, turning a panic into an error
/// diagnostic of kind `internal-error` for that file, so one document that
/// trips a bug costs that document only, not the whole run. (A panic is
/// still a bug: the message asks for a report.)
pub fn guard<T>(file: &str, stage: &str, work: impl FnOnce() -> T) -> Result<T, Diagnostic> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)).map_err(|payload| {
        let what = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "no message".to_string());
        Diagnostic::error(
            "internal-error",
            file,
            format!(
                "jekyll-migrate hit a bug while {stage} this file ({what}); it is left out; \
                 please report it with the file attached"
            ),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::{base_for, guard};
    use std::path::{Path, PathBuf};

    #[test]
    fn site_paths_are_shown_from_where_the_user_stands() {
        let cwd = Path::new("/home/ann");
        assert_eq!(base_for(Path::new("."), cwd), PathBuf::new());
        assert_eq!(base_for(Path::new("./blog"), cwd), PathBuf::from("blog"));
        assert_eq!(
            base_for(Path::new("../blog"), cwd),
            PathBuf::from("../blog")
        );
        assert_eq!(
            base_for(Path::new("/home/ann/w/blog"), cwd),
            PathBuf::from("w/blog")
        );
        assert_eq!(
            base_for(Path::new("/srv/blog"), cwd),
            PathBuf::from("/srv/blog")
        );
    }

    #[test]
    fn a_panic_becomes_an_error_for_its_file() {
        let d = guard("_posts/a.md", "reading", || -> usize {
            panic!("boom {}", 42)
        })
        .expect_err("the panic is caught");
        assert_eq!(d.kind, "internal-error");
        assert_eq!(d.file, "_posts/a.md");
        assert_eq!(d.severity, super::Severity::Error);
        assert!(d.message.contains("boom 42"), "{}", d.message);
        assert_eq!(guard("b.md", "reading", || 5).ok(), Some(5));
    }
}
