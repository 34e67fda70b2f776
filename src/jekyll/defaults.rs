//! Front matter defaults (`defaults:` in the config), as Jekyll's
//! `FrontmatterDefaults` applies them.

use regex::Regex;
use serde_json::{Map, Value};

use super::config::deep_merge;
use crate::diagnostics::Diagnostic;

/// One `defaults` entry.
#[derive(Debug, Clone)]
struct Set {
    /// `scope.path` as written (`None` or empty: every path).
    path: Option<String>,
    /// `scope.path` as a glob, when it has a `*`.
    glob: Option<Regex>,
    /// `scope.type`, with the old singular names made plural.
    kind: Option<String>,
    values: Map<String, Value>,
}

/// All the sets of a site.
#[derive(Debug, Clone, Default)]
pub struct Defaults {
    sets: Vec<Set>,
    collections_dir: String,
}

impl Defaults {
    /// Reads `defaults` from the merged config; invalid sets are reported and
    /// skipped, as Jekyll skips them.
    pub fn new(
        raw: &Map<String, Value>,
        collections_dir: &str,
        diags: &mut Vec<Diagnostic>,
    ) -> Self {
        let mut sets = Vec::new();
        if let Some(Value::Array(items)) = raw.get("defaults") {
            for (i, item) in items.iter().enumerate() {
                let Some(values) = item.get("values").and_then(Value::as_object) else {
                    diags.push(Diagnostic::warning(
                        "config-defaults",
                        "_config.yml",
                        format!(
                            "defaults entry {} has no `values` map; it is skipped",
                            i + 1
                        ),
                    ));
                    continue;
                };
                let scope = item.get("scope");
                let path = scope
                    .and_then(|s| s.get("path"))
                    .and_then(Value::as_str)
                    .map(str::to_string);
                let kind = scope
                    .and_then(|s| s.get("type"))
                    .and_then(Value::as_str)
                    .map(|t| match t {
                        "page" => "pages".to_string(),
                        "post" => "posts".to_string(),
                        "draft" => "drafts".to_string(),
                        other => other.to_string(),
                    });
                let glob = path
                    .as_deref()
                    .filter(|p| p.contains('*'))
                    .and_then(|p| glob_regex(&strip_dir(p, collections_dir)));
                sets.push(Set {
                    path,
                    glob,
                    kind,
                    values: values.clone(),
                });
            }
        }
        Defaults {
            sets,
            collections_dir: collections_dir.to_string(),
        }
    }

    /// `FrontmatterDefaults#all`: the merged values for a file at `path`
    /// (relative to the site root, or to `collections_dir` for documents) of
    /// `kind` (`pages`, `posts`, or a collection label).
    pub fn all(&self, path: &str, kind: &str) -> Map<String, Value> {
        let mut out = Map::new();
        let mut old: Option<&Set> = None;
        for set in self.sets.iter().filter(|s| self.applies(s, path, kind)) {
            if has_precedence(old, set) {
                deep_merge(&mut out, &set.values);
                old = Some(set);
            } else {
                let mut under = set.values.clone();
                deep_merge(&mut under, &out);
                out = under;
            }
        }
        out
    }

    fn applies(&self, set: &Set, path: &str, kind: &str) -> bool {
        if let Some(k) = &set.kind {
            if k != kind {
                return false;
            }
        }
        let Some(scope) = set.path.as_deref().filter(|p| !p.is_empty()) else {
            return true;
        };
        let path = sanitize(path);
        match &set.glob {
            Some(g) => {
                // Jekyll globs the scope against the files on disk and checks
                // whether the document lies at or below a match.
                let mut prefixes: Vec<&str> =
                    path.match_indices('/').map(|(i, _)| &path[..i]).collect();
                prefixes.push(path);
                prefixes.iter().any(|p| g.is_match(p))
            }
            None if scope.contains('*') => false,
            None => path.starts_with(&strip_dir(scope, &self.collections_dir)),
        }
    }
}

/// `sanitize_path`: no leading `/`.
fn sanitize(p: &str) -> &str {
    p.strip_prefix('/').unwrap_or(p)
}

/// `strip_collections_dir`.
fn strip_dir(path: &str, collections_dir: &str) -> String {
    if collections_dir.is_empty() {
        return path.to_string();
    }
    let slashed = format!("{collections_dir}/");
    path.strip_prefix(&slashed).unwrap_or(path).to_string()
}

/// `has_precedence?`: a longer scope path wins; with equal paths a set with
/// a type wins over one without.
fn has_precedence(old: Option<&Set>, new: &Set) -> bool {
    let Some(old) = old else {
        return true;
    };
    let np = sanitize(new.path.as_deref().unwrap_or(""));
    let op = sanitize(old.path.as_deref().unwrap_or(""));
    if np.len() != op.len() {
        np.len() >= op.len()
    } else if new.kind.is_some() {
        true
    } else {
        old.kind.is_none()
    }
}

/// `Dir.glob` pattern as a regex: `*` stays within a folder, `**/` crosses.
fn glob_regex(pattern: &str) -> Option<Regex> {
    let p = sanitize(pattern).trim_end_matches('/');
    let mut re = String::from("^");
    let mut rest = p;
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix("**/") {
            re.push_str("(?:[^/]*/)*");
            rest = r;
        } else if let Some(r) = rest.strip_prefix('*') {
            re.push_str("[^/]*");
            rest = r;
        } else if let Some(r) = rest.strip_prefix('?') {
            re.push_str("[^/]");
            rest = r;
        } else {
            let c = rest.chars().next()?;
            re.push_str(&regex::escape(&c.to_string()));
            rest = &rest[c.len_utf8()..];
        }
    }
    re.push('$');
    Regex::new(&re).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn defaults(v: Value) -> Defaults {
        let m = json!({ "defaults": v });
        Defaults::new(m.as_object().unwrap(), "", &mut Vec::new())
    }

    #[test]
    fn longer_path_and_typed_scopes_win() {
        let d = defaults(json!([
            {"scope": {"path": ""}, "values": {"layout": "default", "author": "a"}},
            {"scope": {"path": "", "type": "posts"}, "values": {"layout": "post"}},
            {"scope": {"path": "_posts/2020"}, "values": {"layout": "old"}},
        ]));
        let v = d.all("_posts/2020/2020-01-01-x.md", "posts");
        assert_eq!(v["layout"], json!("old"));
        assert_eq!(v["author"], json!("a"));
        assert_eq!(d.all("about.md", "pages")["layout"], json!("default"));
        assert_eq!(
            d.all("_posts/2021-01-01-x.md", "posts")["layout"],
            json!("post")
        );
    }

    #[test]
    fn glob_scopes_match_files_and_folders() {
        let d = defaults(json!([
            {"scope": {"path": "docs/*/img"}, "values": {"image": true}},
            {"scope": {"path": "_docs/*.md"}, "values": {"x": 1}},
        ]));
        assert_eq!(d.all("docs/a/img/b.md", "pages")["image"], json!(true));
        assert!(d.all("docs/a/b/img/b.md", "pages").get("image").is_none());
        assert_eq!(d.all("_docs/a.md", "docs")["x"], json!(1));
    }
}
