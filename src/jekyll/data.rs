//! `_data`: YAML, JSON, CSV and TSV files, keyed as `site.data.a.b`.

use crate::fast_hash::FastSet as HashSet;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::inside::SiteRoot;
use super::source::{too_large, MAX_DOCUMENT_BYTES};
use super::yaml;
use crate::diagnostics::Diagnostic;
use crate::ir::DataFile;

/// Jekyll's `sanitize_filename` for data keys: drops characters other than
/// word characters, spaces and `-`, then turns spaces into `_`.
pub fn sanitize_key(name: &str) -> String {
    let kept: String = name
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == '_' || *c == '-' || c.is_whitespace())
        .collect();
    kept.split_whitespace().collect::<Vec<_>>().join("_")
}

/// Reads every data file below `dir` (relative to `root`), sorted by path.
pub fn read_all(root: &Path, dir: &str, diags: &mut Vec<Diagnostic>) -> Vec<DataFile> {
    let mut out = Vec::new();
    let site_root = SiteRoot::new(root);
    if let Err(d) = site_root.check(&root.join(dir), dir) {
        diags.push(d);
        return out;
    }
    let mut walk = DataWalk {
        root,
        site_root,
        keys: Vec::new(),
        out: &mut out,
        diags,
        visited: HashSet::default(),
    };
    walk.read_dir(dir, 0);
    out
}

/// State of one walk through `_data`.
struct DataWalk<'a> {
    root: &'a Path,
    site_root: SiteRoot,
    /// Keys of the folders above the current one.
    keys: Vec<String>,
    out: &'a mut Vec<DataFile>,
    diags: &'a mut Vec<Diagnostic>,
    /// Folders read already (resolved), so a symlink loop ends.
    visited: HashSet<PathBuf>,
}

impl DataWalk<'_> {
    fn read_dir(&mut self, rel_dir: &str, depth: usize) {
        let root = self.root;
        // Loops are caught above; no real data tree is nested this deep.
        if depth > 32 {
            self.diags.push(Diagnostic::warning(
                "too-deep",
                rel_dir,
                "folders nested more than 32 deep (a symlink loop?); what is below is not read",
            ));
            return;
        }
        let abs = root.join(rel_dir);
        let Ok(canon) = abs.canonicalize() else {
            return;
        };
        if self.visited.contains(&canon) {
            self.diags
                .extend(super::inside::revisit(&abs, &canon, rel_dir));
            return;
        }
        self.visited.insert(canon);
        let Ok(rd) = std::fs::read_dir(&abs) else {
            return;
        };
        let mut names: Vec<String> = rd
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        for name in names {
            let rel = format!("{rel_dir}/{name}");
            let path = root.join(&rel);
            if let Err(d) = self.site_root.check(&path, &rel) {
                self.diags.push(d);
                continue;
            }
            if path.is_dir() {
                if name.starts_with('.') {
                    continue;
                }
                self.keys.push(sanitize_key(&name));
                self.read_dir(&rel, depth + 1);
                self.keys.pop();
                continue;
            }
            if !path.is_file() {
                self.diags.push(super::inside::special_file(&rel));
                continue;
            }
            let raw_ext = super::source::extname(&name);
            let ext = raw_ext.to_lowercase();
            if !matches!(ext.as_str(), ".yml" | ".yaml" | ".json" | ".csv" | ".tsv")
                || name.starts_with('.')
            {
                continue;
            }
            let stem = &name[..name.len() - raw_ext.len()];
            let Some(value) = read_file(&path, &rel, &ext, self.diags) else {
                continue;
            };
            let mut key = self.keys.clone();
            key.push(sanitize_key(stem));
            self.out.push(DataFile {
                source: rel,
                key,
                value,
            });
        }
    }
}

fn read_file(path: &Path, rel: &str, ext: &str, diags: &mut Vec<Diagnostic>) -> Option<Value> {
    if let Ok(meta) = std::fs::metadata(path) {
        if meta.len() > MAX_DOCUMENT_BYTES {
            diags.push(too_large(rel, meta.len(), "data file"));
            return None;
        }
    }
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            diags.push(Diagnostic::error(
                "unreadable",
                rel,
                format!("could not read the data file: {e}"),
            ));
            return None;
        }
    };
    let text = String::from_utf8_lossy(&bytes);
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    match ext {
        ".csv" => table(text, b',', rel, diags),
        ".tsv" => table(text, b'\t', rel, diags),
        ".json" => match serde_json::from_str(text) {
            Ok(v) => Some(v),
            Err(e) => {
                diags.push(
                    Diagnostic::error(
                        "json-syntax",
                        rel,
                        format!("broken JSON: {e}; `site.data` will not have it"),
                    )
                    .at(e.line(), e.column()),
                );
                None
            }
        },
        _ => match yaml::parse(text) {
            Ok(v) => Some(v),
            Err(e) => {
                diags.push(
                    Diagnostic::error(
                        "yaml-syntax",
                        rel,
                        format!("broken YAML: {}; `site.data` will not have it", e.message),
                    )
                    .at(e.line, e.column),
                );
                None
            }
        },
    }
}

/// A CSV/TSV table with a header row, as a list of maps (Ruby's
/// `CSV.read(headers: true)` rows as hashes).
fn table(text: &str, sep: u8, rel: &str, diags: &mut Vec<Diagnostic>) -> Option<Value> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(sep)
        .has_headers(true)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(str::to_string).collect(),
        Err(e) => {
            diags.push(Diagnostic::error(
                "csv-syntax",
                rel,
                format!("broken table: {e}"),
            ));
            return None;
        }
    };
    let mut rows = Vec::new();
    for rec in reader.records() {
        match rec {
            Ok(r) => {
                let mut row = Map::new();
                for (i, h) in headers.iter().enumerate() {
                    let v = r
                        .get(i)
                        .map_or(Value::Null, |s| Value::String(s.to_string()));
                    row.insert(h.clone(), v);
                }
                rows.push(Value::Object(row));
            }
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(0);
                let mut d = Diagnostic::error("csv-syntax", rel, format!("broken table row: {e}"));
                if line > 0 {
                    d = d.at_line(usize::try_from(line).unwrap_or(0));
                }
                diags.push(d);
            }
        }
    }
    Some(Value::Array(rows))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_sanitized_like_jekyll() {
        assert_eq!(sanitize_key("my data"), "my_data");
        assert_eq!(sanitize_key("a.b"), "ab");
        assert_eq!(sanitize_key("members-2020"), "members-2020");
    }

    #[test]
    fn csv_rows_become_maps() {
        let v = table(
            "name,age\n\"Doe, J\",3\nX\n",
            b',',
            "x.csv",
            &mut Vec::new(),
        )
        .unwrap();
        assert_eq!(
            v,
            serde_json::json!([{"name": "Doe, J", "age": "3"}, {"name": "X", "age": null}])
        );
    }
}
