//! `_data`: YAML, JSON, CSV and TSV files, keyed as `site.data.a.b`.

use std::path::Path;

use serde_json::{Map, Value};

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
    read_dir(root, dir, &mut Vec::new(), &mut out, diags, 0);
    out
}

fn read_dir(
    root: &Path,
    rel_dir: &str,
    keys: &mut Vec<String>,
    out: &mut Vec<DataFile>,
    diags: &mut Vec<Diagnostic>,
    depth: usize,
) {
    // A symlink loop cannot take us deeper than this.
    if depth > 32 {
        return;
    }
    let Ok(rd) = std::fs::read_dir(root.join(rel_dir)) else {
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
        if path.is_dir() {
            if name.starts_with('.') {
                continue;
            }
            keys.push(sanitize_key(&name));
            read_dir(root, &rel, keys, out, diags, depth + 1);
            keys.pop();
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
        let Some(value) = read_file(&path, &rel, &ext, diags) else {
            continue;
        };
        let mut key = keys.clone();
        key.push(sanitize_key(stem));
        out.push(DataFile {
            source: rel,
            key,
            value,
        });
    }
}

fn read_file(path: &Path, rel: &str, ext: &str, diags: &mut Vec<Diagnostic>) -> Option<Value> {
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
