//! Reading one source file as text: bytes, byte-order mark, UTF-8 check,
//! front matter split and parse. Shared by posts, collection items and pages.

use std::path::Path;

use serde_json::{Map, Value};

use super::frontmatter;
use crate::diagnostics::Diagnostic;

/// A text file cut into front matter and body.
pub struct SourceText {
    /// The front matter (empty when there is none or it is broken).
    pub data: Map<String, Value>,
    /// The body, line ends normalised to `\n`.
    pub body: String,
    /// 1-based line where the body starts.
    pub body_line: usize,
}

/// Reads `path` (shown as `rel`). Returns `None`, with an error diagnostic,
/// when the file cannot be read or is not UTF-8 text.
pub fn read(path: &Path, rel: &str, diags: &mut Vec<Diagnostic>) -> Option<SourceText> {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            diags.push(Diagnostic::error(
                "unreadable",
                rel,
                format!("could not read the file: {e}; it is left out"),
            ));
            return None;
        }
    };
    if let Some(nul) = bytes.iter().take(8000).position(|b| *b == 0) {
        let line = bytes.iter().take(nul).filter(|b| **b == b'\n').count() + 1;
        diags.push(
            Diagnostic::error(
                "binary",
                rel,
                "a binary file (it holds NUL bytes) where a text document was expected; it is \
                 left out; move it out of the content folders or give it its real extension",
            )
            .at_line(line),
        );
        return None;
    }
    let text = match std::str::from_utf8(&bytes) {
        Ok(t) => t,
        Err(e) => {
            let good = bytes.get(..e.valid_up_to()).unwrap_or(&[]);
            let line = good.iter().filter(|b| **b == b'\n').count() + 1;
            let column = good.iter().rev().take_while(|b| **b != b'\n').count() + 1;
            diags.push(
                Diagnostic::error(
                    "not-utf8",
                    rel,
                    format!(
                        "not UTF-8 text (byte {} is invalid); it is left out, as Jekyll leaves \
                         out such posts; re-save it as UTF-8 if it is text",
                        e.valid_up_to()
                    ),
                )
                .at(line, column),
            );
            return None;
        }
    };
    // Jekyll reads with `bom|utf-8`, so a byte-order mark is dropped.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let split = frontmatter::split(text);
    let mut data = Map::new();
    if split.unclosed {
        diags.push(
            Diagnostic::error(
                "front-matter-unclosed",
                rel,
                "the front matter opened on line 1 is never closed with a `---` line; the whole \
                 file is read as the body, as Jekyll does; add the closing `---`",
            )
            .at(1, 1),
        );
    }
    if let Some(front) = split.front {
        let fm = frontmatter::parse(front, rel);
        data = fm.data;
        diags.extend(fm.diagnostics);
    }
    let body = if split.body.contains('\r') {
        split.body.replace("\r\n", "\n")
    } else {
        split.body.to_string()
    };
    Some(SourceText {
        data,
        body,
        body_line: split.body_line,
    })
}

/// Ruby's `File.extname`: the last `.xxx` of the name, none for dot files
/// (`.htaccess`), and `.` for a name ending in a dot.
pub fn extname(name: &str) -> &str {
    let base = name.rsplit('/').next().unwrap_or(name);
    let stem_start = base.len() - base.trim_start_matches('.').len();
    let body = &base[stem_start..];
    match body.rfind('.') {
        Some(i) if i > 0 => &body[i..],
        _ => "",
    }
}

/// Ruby's `File.basename(name, ".*")`.
pub fn basename_without_ext(name: &str) -> &str {
    let base = name.rsplit('/').next().unwrap_or(name);
    let ext = extname(base);
    &base[..base.len() - ext.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extname_follows_ruby() {
        assert_eq!(extname("a/b.md"), ".md");
        assert_eq!(extname(".htaccess"), "");
        assert_eq!(extname("trailing-dots...md"), ".md");
        assert_eq!(extname("x.tar.gz"), ".gz");
        assert_eq!(extname("noext"), "");
        assert_eq!(
            basename_without_ext("_posts/2020-01-01-a.b.md"),
            "2020-01-01-a.b"
        );
        assert_eq!(basename_without_ext(".htaccess"), ".htaccess");
    }
}
