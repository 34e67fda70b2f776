//! Is this folder a Jekyll site? Checked before anything is read, so a
//! mistyped path, a folder of something else or Jekyll's own built output
//! is refused with a message that says what to give instead, rather than
//! "converted" into an empty site.
//!
//! A folder is a site when it has any of the things Jekyll reads as
//! source: a config file, `_posts`, `_drafts`, `_layouts` or `_includes`,
//! or a file that starts with front matter (Jekyll's own test site has no
//! config but has posts; a site of plain pages with front matter is a site
//! too). Jekyll's output has none of them: every page in it is rendered.

use std::io::Read as _;
use std::path::{Path, PathBuf};

/// Why a path is not a Jekyll site's source folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotASite {
    /// Nothing is at the path.
    Missing(PathBuf),
    /// The path is a file.
    NotAFolder(PathBuf),
    /// The folder is Jekyll's built output (`_site/`), not its source.
    BuiltOutput {
        /// The folder given.
        path: PathBuf,
        /// The source folder next to it, when one is plainly there.
        source: Option<PathBuf>,
    },
    /// The folder holds nothing Jekyll would read as source.
    NoSource(PathBuf),
}

impl std::fmt::Display for NotASite {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NotASite::Missing(p) => write!(
                f,
                "{}: no such file or folder; give the folder that holds the Jekyll site \
                 (its _config.yml, _posts, …)",
                p.display()
            ),
            NotASite::NotAFolder(p) => write!(
                f,
                "{}: is a file, not a folder; give the folder that holds the Jekyll site",
                p.display()
            ),
            NotASite::BuiltOutput { path, source } => {
                write!(
                    f,
                    "{}: this looks like Jekyll's output, not its source (the pages are \
                     already rendered and there is no _config.yml, _posts or front matter)",
                    path.display()
                )?;
                match source {
                    Some(s) => write!(f, "; the site's source seems to be {}", s.display()),
                    None => write!(f, "; give the folder Jekyll builds from"),
                }
            }
            NotASite::NoSource(p) => write!(
                f,
                "{}: does not look like a Jekyll site: it has no _config.yml, no _posts, \
                 _drafts, _layouts or _includes folder and no file that starts with front \
                 matter (---); give the site's folder, or --config FILE if its config has \
                 another name",
                p.display()
            ),
        }
    }
}

impl std::error::Error for NotASite {}

/// Folders that mark a site's source by their mere presence.
const SOURCE_FOLDERS: &[&str] = &["_posts", "_drafts", "_layouts", "_includes"];

/// Config file names Jekyll reads by default.
const CONFIG_FILES: &[&str] = &["_config.yml", "_config.yaml", "_config.toml"];

/// Folders never searched for front matter: they hold no source Jekyll
/// reads by default, and some (`node_modules`) are huge.
const SKIPPED: &[&str] = &["node_modules", "vendor", "_site", ".git", ".jekyll-cache"];

/// How many files are looked at for front matter before giving up: a site
/// has a marker near the top, so this bounds the check on a folder that
/// is not one (a home folder given by mistake).
const MAX_FILES_SCANNED: usize = 20_000;

/// Checks that `root` is a Jekyll site's source folder. `has_config` is
/// true when config files were given on the command line (`--config`),
/// which makes any folder a site.
pub fn check(root: &Path, has_config: bool) -> Result<(), NotASite> {
    let meta = match std::fs::metadata(root) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(NotASite::Missing(root.to_path_buf()))
        }
        // Unreadable for another reason: the reader says why.
        Err(_) => return Ok(()),
    };
    if !meta.is_dir() {
        return Err(NotASite::NotAFolder(root.to_path_buf()));
    }
    if has_config
        || CONFIG_FILES.iter().any(|c| root.join(c).is_file())
        || SOURCE_FOLDERS.iter().any(|d| root.join(d).is_dir())
        || has_front_matter_file(root)
    {
        return Ok(());
    }
    if looks_built(root) {
        return Err(NotASite::BuiltOutput {
            path: root.to_path_buf(),
            source: source_beside(root),
        });
    }
    Err(NotASite::NoSource(root.to_path_buf()))
}

/// Whether any file below `root` (outside [`SKIPPED`] and hidden folders)
/// starts with a front matter line, as Jekyll tests it: `---` and then
/// only blanks to the end of the line, after an optional byte-order mark.
fn has_front_matter_file(root: &Path) -> bool {
    let walk = walkdir::WalkDir::new(root)
        .follow_links(false)
        .min_depth(1)
        .into_iter()
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            !(e.file_type().is_dir() && (name.starts_with('.') || SKIPPED.contains(&&*name)))
        });
    walk.flatten()
        .filter(|e| e.file_type().is_file())
        .take(MAX_FILES_SCANNED)
        .any(|e| starts_with_front_matter(e.path()))
}

/// Whether the file at `path` starts with a front matter line.
fn starts_with_front_matter(path: &Path) -> bool {
    let mut head = [0u8; 64];
    let Ok(mut file) = std::fs::File::open(path) else {
        return false;
    };
    let n = file.read(&mut head).unwrap_or(0);
    let head = &head[..n];
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let Some(rest) = head.strip_prefix(b"---") else {
        return false;
    };
    let line_end = rest.iter().position(|&b| b == b'\n');
    match line_end {
        Some(end) => rest[..end].iter().all(|b| b" \t\r".contains(b)),
        None => false,
    }
}

/// Whether `root` looks like what `jekyll build` writes: a folder named
/// `_site`, or HTML pages that name Jekyll as their generator (jekyll-seo-tag
/// and jekyll-feed write that into nearly every built site).
fn looks_built(root: &Path) -> bool {
    if root
        .canonicalize()
        .ok()
        .and_then(|p| p.file_name().map(|n| n == "_site"))
        .unwrap_or(false)
    {
        return true;
    }
    ["index.html", "feed.xml", "404.html"].iter().any(|name| {
        let Ok(mut f) = std::fs::File::open(root.join(name)) else {
            return false;
        };
        let mut head = Vec::with_capacity(8192);
        let _ = f.by_ref().take(64 * 1024).read_to_end(&mut head);
        let text = String::from_utf8_lossy(&head).to_ascii_lowercase();
        text.contains("content=\"jekyll v")
            || text.contains("<generator uri=\"https://jekyllrb.com")
    })
}

/// The folder Jekyll built `root` from, when `root` is its `_site` and the
/// parent holds a config or posts.
fn source_beside(root: &Path) -> Option<PathBuf> {
    let parent = root.canonicalize().ok()?.parent()?.to_path_buf();
    let is_source = CONFIG_FILES.iter().any(|c| parent.join(c).is_file())
        || SOURCE_FOLDERS.iter().any(|d| parent.join(d).is_dir());
    is_source.then_some(parent)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (rel, text) in files {
            let p = dir.path().join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        dir
    }

    #[test]
    fn sites_are_recognised_by_any_source_marker() {
        for files in [
            &[("_config.yml", "title: x\n")][..],
            &[("_posts/2020-01-01-a.md", "no front matter\n")],
            &[("_layouts/default.html", "{{ content }}\n")],
            &[("about/index.md", "---\ntitle: About\n---\nHi\n")],
            &[("a.html", "\u{feff}---  \r\n---\n")],
        ] {
            let dir = folder(files);
            assert_eq!(check(dir.path(), false), Ok(()), "{files:?}");
        }
    }

    #[test]
    fn other_folders_are_refused_with_the_reason() {
        let dir = folder(&[("notes.txt", "hello\n"), ("img/a.png", "png")]);
        assert_eq!(
            check(dir.path(), false),
            Err(NotASite::NoSource(dir.path().to_path_buf()))
        );
        // A config given with --config makes it a site.
        assert_eq!(check(dir.path(), true), Ok(()));
        let missing = dir.path().join("nope");
        assert_eq!(
            check(&missing, false),
            Err(NotASite::Missing(missing.clone()))
        );
        let file = dir.path().join("notes.txt");
        assert_eq!(check(&file, false), Err(NotASite::NotAFolder(file.clone())));
        // Front matter that is not on its own line does not count.
        let dir = folder(&[("a.md", "--- not front matter\n")]);
        assert!(matches!(
            check(dir.path(), false),
            Err(NotASite::NoSource(_))
        ));
    }

    #[test]
    fn built_output_is_named_as_such() {
        let dir = folder(&[
            ("_config.yml", "title: x\n"),
            (
                "_site/index.html",
                "<html><meta name=\"generator\" content=\"Jekyll v4.3.4\" /></html>",
            ),
        ]);
        let built = dir.path().join("_site");
        match check(&built, false) {
            Err(NotASite::BuiltOutput { source, .. }) => {
                assert_eq!(source, Some(dir.path().canonicalize().unwrap()))
            }
            other => panic!("{other:?}"),
        }
        // Elsewhere, known by its generator tag.
        let dir = folder(&[(
            "public/index.html",
            "<meta name=\"generator\" content=\"Jekyll v3.9.0\">",
        )]);
        let err = check(&dir.path().join("public"), false).unwrap_err();
        assert!(
            err.to_string()
                .contains("looks like Jekyll's output, not its source"),
            "{err}"
        );
    }
}
