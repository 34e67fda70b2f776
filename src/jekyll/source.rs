//! Reading one source file as text: bytes, byte-order mark, UTF-8 check,
//! front matter split and parse. Shared by posts, collection items and pages.

use std::path::Path;

use serde_json::{Map, Value};

use super::frontmatter;
use crate::diagnostics::Diagnostic;

/// Documents (and data files, includes) larger than this are left out with
/// an error instead of being read.
///
/// Why refuse rather than stream: Liquid and Markdown need the whole text at
/// once, and the converted document is written whole too, so a huge file
/// costs several times its size in memory and minutes of work, once per
/// output format. No hand-written post comes near 16 MiB; a file that big
/// is a data dump or a pasted binary, better moved to a static file.
pub const MAX_DOCUMENT_BYTES: u64 = 16 * 1024 * 1024;

/// The buffer a document is first read into: most posts fit.
const FIRST_READ: usize = 32 * 1024;

/// The error for a file over [`MAX_DOCUMENT_BYTES`].
pub fn too_large(rel: &str, len: u64, what: &str) -> Diagnostic {
    Diagnostic::error(
        "too-large",
        rel,
        format!(
            "the {what} is {:.1} MiB, more than the {} MiB this tool reads; it is left out; \
             split it, or move what makes it large (embedded images, data) to static files",
            len as f64 / (1024.0 * 1024.0),
            MAX_DOCUMENT_BYTES / (1024 * 1024)
        ),
    )
}

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
    // Open, read, read (to find the end), close: no size lookup for a
    // document that fits in the first read, as most do. (Reading a `File`
    // whole asks for its size and position first, a statx and an lseek,
    // and so did this function itself: three of seven system calls.) A
    // bigger file is asked its size before the rest is read, so a huge one
    // is refused without being read.
    let read = std::fs::File::open(path).and_then(|mut file| {
        let mut bytes = Vec::with_capacity(FIRST_READ);
        std::io::Read::read_to_end(
            &mut std::io::Read::take(&file, FIRST_READ as u64),
            &mut bytes,
        )?;
        if bytes.len() == FIRST_READ {
            let len = file.metadata()?.len();
            if len > MAX_DOCUMENT_BYTES {
                return Ok(Err(len));
            }
            bytes.reserve((len as usize + 1).saturating_sub(bytes.len()));
            let rest = MAX_DOCUMENT_BYTES + 1 - FIRST_READ as u64;
            std::io::Read::read_to_end(&mut std::io::Read::take(&mut file, rest), &mut bytes)?;
            // It grew after the size was asked.
            if bytes.len() as u64 > MAX_DOCUMENT_BYTES {
                return Ok(Err(bytes.len() as u64));
            }
        }
        Ok(Ok(bytes))
    });
    let bytes = match read {
        Ok(Ok(b)) => b,
        Ok(Err(len)) => {
            diags.push(too_large(rel, len, "document"));
            return None;
        }
        Err(e) => {
            diags.push(Diagnostic::error(
                "unreadable",
                rel,
                format!("could not read the file: {e}; it is left out"),
            ));
            return None;
        }
    };
    from_bytes(&bytes, rel, diags)
}

/// Cuts a file's `bytes` (shown as `rel`) into front matter and body.
/// Returns `None`, with an error diagnostic, when they are not UTF-8 text.
/// Split from [`read`] so the fuzz target can feed it any bytes.
pub fn from_bytes(bytes: &[u8], rel: &str, diags: &mut Vec<Diagnostic>) -> Option<SourceText> {
    if let Some(nul) = memchr::memchr(0, &bytes[..bytes.len().min(8000)]) {
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
    let text = match std::str::from_utf8(bytes) {
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
    let body = if memchr::memchr(b'\r', split.body.as_bytes()).is_some() {
        crlf_to_lf(split.body)
    } else {
        split.body.to_string()
    };
    Some(SourceText {
        data,
        body,
        body_line: split.body_line,
    })
}

/// Line ends to `\n`: every run of `\r` before a `\n` goes (`\r\r\n`, which
/// a single `\r\n` replacement would leave as `\r\n`, found by fuzzing);
/// a `\r` elsewhere stays.
fn crlf_to_lf(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut lines = text.split('\n').peekable();
    while let Some(line) = lines.next() {
        if lines.peek().is_some() {
            out.push_str(line.trim_end_matches('\r'));
            out.push('\n');
        } else {
            out.push_str(line);
        }
    }
    out
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
    fn documents_of_any_size_up_to_the_limit_are_read_whole() {
        let dir = tempfile::tempdir().unwrap();
        // Below, at and above the first read's size, and far above it.
        for size in [
            10,
            FIRST_READ - 20,
            FIRST_READ,
            FIRST_READ + 1,
            5 * FIRST_READ + 7,
        ] {
            let body: String = (0..size)
                .map(|i| char::from(b'a' + (i % 26) as u8))
                .collect();
            let path = dir.path().join(format!("p{size}.md"));
            std::fs::write(&path, format!("---\ntitle: t\n---\n{body}")).unwrap();
            let mut diags = Vec::new();
            let text = read(&path, "p.md", &mut diags).expect("read");
            assert_eq!(text.body, body, "size {size}");
            assert!(diags.is_empty());
        }
    }

    #[test]
    fn every_cr_before_a_line_end_goes() {
        assert_eq!(crlf_to_lf("a\r\nb\r\r\nc\rd\r"), "a\nb\nc\rd\r");
    }

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
