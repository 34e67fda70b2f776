//! Staging folders left by runs that died (SIGKILL, a power cut) before
//! they could remove them: each is named after the output and the process
//! that made it, so the next run into the same OUT removes those whose
//! process is gone, and only those.

use std::path::Path;

/// The name of the staging folder that process `pid` builds the output
/// named `out_name` in (hidden, beside the output).
pub fn staging_name(out_name: &str, pid: u32) -> String {
    format!(".{out_name}.jekyll-migrate-{pid}")
}

/// The process that made `entry`, when `entry` is a staging folder (or its
/// `.old` backup) for the output named `out_name`.
fn maker(entry: &str, out_name: &str) -> Option<u32> {
    let rest = entry.strip_prefix(&format!(".{out_name}.jekyll-migrate-"))?;
    let pid = rest.strip_suffix(".old").unwrap_or(rest);
    if pid.is_empty() || !pid.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    pid.parse().ok()
}

/// Whether process `pid` may still be a run of this program. Where that
/// cannot be known (no `/proc`), it is taken to be alive: a leftover folder
/// is better than a live run's output removed.
fn may_be_alive(pid: u32) -> bool {
    let proc_dir = Path::new("/proc");
    if !proc_dir.join("self").exists() {
        return true;
    }
    let entry = proc_dir.join(pid.to_string());
    if !entry.exists() {
        return false;
    }
    // A live process of another program reuses the number of a dead run.
    let comm = |p: &Path| std::fs::read_to_string(p.join("comm")).ok();
    match (comm(&entry), comm(&proc_dir.join("self"))) {
        (Some(theirs), Some(ours)) => theirs == ours,
        _ => true,
    }
}

/// Removes, in `parent`, the staging folders (and backups) of runs into
/// the output named `out_name` whose process is no longer alive.
pub fn remove_dead_runs(parent: &Path, out_name: &str) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    let own = std::process::id();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = maker(&name.to_string_lossy(), out_name) else {
            continue;
        };
        if pid != own && !may_be_alive(pid) {
            super::remove_any(&entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_this_outputs_staging_folders_are_recognised() {
        assert_eq!(
            maker(".blog-hugo.jekyll-migrate-123", "blog-hugo"),
            Some(123)
        );
        assert_eq!(
            maker(".blog-hugo.jekyll-migrate-123.old", "blog-hugo"),
            Some(123)
        );
        assert_eq!(maker(".blog-hugo.jekyll-migrate-123", "blog"), None);
        assert_eq!(maker(".blog-hugo.jekyll-migrate-", "blog-hugo"), None);
        assert_eq!(maker(".blog-hugo.jekyll-migrate-12x", "blog-hugo"), None);
        assert_eq!(maker("blog-hugo", "blog-hugo"), None);
    }

    #[test]
    fn dead_runs_are_removed_and_live_ones_kept() {
        let dir = tempfile::tempdir().unwrap();
        // A process number above Linux's limit (2^22) is never alive.
        let dead = dir.path().join(staging_name("out", 4_999_999));
        let dead_old = dir
            .path()
            .join(format!("{}.old", staging_name("out", 4_999_999)));
        let live = dir.path().join(staging_name("out", std::process::id()));
        let other = dir.path().join(staging_name("other", 4_999_999));
        for d in [&dead, &dead_old, &live, &other] {
            std::fs::create_dir_all(d.join("posts")).unwrap();
        }
        remove_dead_runs(dir.path(), "out");
        assert!(!dead.exists() && !dead_old.exists());
        assert!(live.exists(), "this run's own folder is kept");
        assert!(other.exists(), "another output's folder is kept");
    }
}
