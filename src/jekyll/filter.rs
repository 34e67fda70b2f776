//! Which files Jekyll reads: its `EntryFilter` (hidden, `_special`, backup
//! `~` files, `exclude` and `include` globs).

use regex::Regex;

/// A compiled `include`/`exclude` pattern, matched as Ruby's
/// `File.fnmatch?` without flags (`*` crosses `/`), or as a path prefix.
#[derive(Debug, Clone)]
struct Pattern {
    /// The pattern as written, without a leading `/`.
    text: String,
    glob: Option<Regex>,
}

impl Pattern {
    fn new(text: &str) -> Pattern {
        let text = text.trim_start_matches('/').to_string();
        Pattern {
            glob: fnmatch_regex(&text),
            text,
        }
    }

    /// `glob_include?` for one pattern: `entry` is relative to the site root.
    fn matches(&self, entry: &str, is_dir: bool) -> bool {
        let entry = entry.trim_start_matches('/');
        self.glob.as_ref().is_some_and(|g| g.is_match(entry))
            || entry.starts_with(&self.text)
            || (is_dir && self.text == format!("{entry}/"))
    }
}

/// `File.fnmatch?` (no flags) as a regex: `*` any run, `?` one character,
/// `[...]` a class, `\x` a literal.
fn fnmatch_regex(pattern: &str) -> Option<Regex> {
    let mut re = String::from("^");
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '*' => re.push_str(".*"),
            '?' => re.push('.'),
            '[' => {
                let mut class = String::new();
                let mut closed = false;
                for d in chars.by_ref() {
                    if d == ']' && !class.is_empty() {
                        closed = true;
                        break;
                    }
                    class.push(d);
                }
                if !closed {
                    return None;
                }
                let class = match class.strip_prefix('!') {
                    Some(rest) => format!("^{rest}"),
                    None => class,
                };
                re.push('[');
                re.push_str(&class.replace('\\', "\\\\").replace('[', "\\["));
                re.push(']');
            }
            '\\' => {
                if let Some(n) = chars.next() {
                    re.push_str(&regex::escape(&n.to_string()));
                }
            }
            other => re.push_str(&regex::escape(&other.to_string())),
        }
    }
    re.push('$');
    Regex::new(&re).ok()
}

/// The site's entry filter.
#[derive(Debug, Clone)]
pub struct EntryFilter {
    include: Vec<Pattern>,
    /// `exclude - include`.
    exclude: Vec<Pattern>,
}

impl EntryFilter {
    /// Builds the filter from the site's `include` and `exclude` lists.
    pub fn new(include: &[String], exclude: &[String]) -> EntryFilter {
        EntryFilter {
            include: include.iter().map(|p| Pattern::new(p)).collect(),
            exclude: exclude
                .iter()
                .filter(|e| !include.contains(e))
                .map(|p| Pattern::new(p))
                .collect(),
        }
    }

    /// Whether an entry is kept. `entry` is the name as listed (a bare name,
    /// or a path below a posts/collection folder), `rel` the same entry
    /// relative to the site root (what `exclude` is matched against),
    /// `is_dir` whether it is a folder.
    pub fn keep(&self, entry: &str, rel: &str, is_dir: bool) -> bool {
        // Jekyll rejects `.`, `..` and any name ending in a dot.
        if entry.ends_with('.') {
            return false;
        }
        let base = entry.rsplit('/').next().unwrap_or(entry);
        let included = self.included(entry, base, is_dir);
        if !included && self.excluded(rel, is_dir) {
            return false;
        }
        if included {
            return true;
        }
        !(is_special(entry) || is_special(base) || entry.ends_with('~'))
    }

    fn included(&self, entry: &str, base: &str, is_dir: bool) -> bool {
        self.include
            .iter()
            .any(|p| p.matches(entry, is_dir) || p.matches(base, is_dir))
    }

    /// True when `rel` (relative to the site root) is excluded.
    pub fn excluded(&self, rel: &str, is_dir: bool) -> bool {
        self.exclude.iter().any(|p| p.matches(rel, is_dir))
    }
}

/// Starts with `.`, `_`, `#` or `~`.
fn is_special(name: &str) -> bool {
    name.starts_with(['.', '_', '#', '~'])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(include: &[&str], exclude: &[&str]) -> EntryFilter {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        EntryFilter::new(&s(include), &s(exclude))
    }

    #[test]
    fn hidden_special_and_backup_entries_are_dropped() {
        let flt = f(&[".htaccess"], &[]);
        assert!(!flt.keep(".git", ".git", true));
        assert!(!flt.keep("_drafts", "_drafts", true));
        assert!(!flt.keep("#notes", "#notes", false));
        assert!(!flt.keep("index.html~", "index.html~", false));
        assert!(flt.keep(".htaccess", ".htaccess", false));
        assert!(flt.keep("about.md", "about.md", false));
    }

    // Facts from Jekyll's test_entry_filter.rb.
    #[test]
    fn jekyll_entry_filter_cases() {
        let flt = f(&[".htaccess"], &[]);
        let kept: Vec<&str> = [
            "foo.markdown",
            "bar.markdown",
            "baz.markdown",
            "#baz.markdown#",
            ".baz.markdown",
            "foo.markdown~",
            ".htaccess",
            "_posts",
            "_pages",
            "~$benbalter.docx",
        ]
        .into_iter()
        .filter(|e| flt.keep(e, e, false))
        .collect();
        assert_eq!(
            kept,
            ["foo.markdown", "bar.markdown", "baz.markdown", ".htaccess"]
        );

        let flt = f(
            &[".htaccess"],
            &["README", "TODO", "vendor/bundle", "exclude*"],
        );
        let kept: Vec<&str> = [
            "README",
            "TODO",
            "vendor/bundle",
            "index.html",
            "site.css",
            ".htaccess",
            "vendor",
            "excludeA",
        ]
        .into_iter()
        .filter(|e| flt.keep(e, e, false))
        .collect();
        assert_eq!(kept, ["index.html", "site.css", ".htaccess", "vendor"]);

        let flt = f(&[".htaccess"], &["README", "TODO", "css"]);
        for (e, keep) in [
            ("vendor/css", true),
            ("css", false),
            ("css/main.css", false),
        ] {
            assert_eq!(flt.keep(e, e, false), keep, "{e}");
        }

        let flt = f(&["_index.html", ".htaccess", "include*"], &[]);
        for e in ["index.html", "_index.html", ".htaccess", "includeA"] {
            assert!(flt.keep(e, e, false), "{e}");
        }

        let flt = f(&["README", ".htaccess"], &["README", "TODO", "css"]);
        let kept: Vec<&str> = ["README", "TODO", "css", ".htaccess"]
            .into_iter()
            .filter(|e| flt.keep(e, e, false))
            .collect();
        assert_eq!(kept, ["README", ".htaccess"]);
    }

    #[test]
    fn exclude_is_a_glob_or_a_prefix_and_include_wins() {
        let flt = f(&["vendor/keep"], &["vendor", "*.log", "Gemfile"]);
        assert!(!flt.keep("vendor", "vendor", true));
        assert!(!flt.keep("debug.log", "logs/debug.log", false));
        assert!(!flt.keep("Gemfile.lock", "Gemfile.lock", false));
        assert!(flt.keep("notes.md", "notes.md", false));
    }
}
