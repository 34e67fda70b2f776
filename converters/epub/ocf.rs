//! The container (OCF): a ZIP whose first entry is `mimetype`, stored, with
//! no extra field, then every other file deflated (or stored, when it is
//! already compressed), in a fixed order with a fixed time, so the same
//! book gives the same bytes.
//!
//! [`Container`] writes into any `Write + Seek` (the staging file, or a
//! `Cursor` for tests), one entry at a time: an image can be copied from
//! its file as it is zipped, so a book of any size never needs to be whole
//! in memory. [`stored_entry_size`] says what a stored entry adds to the
//! file, so a book's size can be planned before it is written.

use std::io::{Read, Seek, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

/// The `mimetype` content.
pub const MIMETYPE: &[u8] = b"application/epub+zip";

/// A book's ZIP being written, `mimetype` already in it.
pub struct Container<W: Write + Seek> {
    zip: ZipWriter<W>,
    /// What [`Container::add_from`] copies through, made on first use.
    buf: Vec<u8>,
}

/// How much of an image is copied at a time: as much as the staging
/// file's buffer holds, so each piece goes to the file without being
/// copied into that buffer first (`io::copy`'s 8 KiB made a read call for
/// every 8 KiB of a book's pictures).
const COPY_CHUNK: usize = 1 << 20;

fn err(e: &dyn std::fmt::Display) -> String {
    format!("could not write the EPUB container: {e}")
}

/// 1980-01-01 00:00, the ZIP epoch: a fixed time keeps builds identical.
fn options(method: CompressionMethod) -> SimpleFileOptions {
    let o = SimpleFileOptions::default()
        .compression_method(method)
        .last_modified_time(DateTime::default())
        .unix_permissions(0o644);
    match method {
        CompressionMethod::Deflated => o.compression_level(Some(9)),
        _ => o,
    }
}

impl<W: Write + Seek> Container<W> {
    /// Starts a book in `out` with its `mimetype` entry.
    pub fn new(out: W) -> Result<Self, String> {
        let mut zip = ZipWriter::new(out);
        zip.start_file("mimetype", options(CompressionMethod::Stored))
            .map_err(|e| err(&e))?;
        zip.write_all(MIMETYPE).map_err(|e| err(&e))?;
        Ok(Container {
            zip,
            buf: Vec::new(),
        })
    }

    /// Adds `bytes` at `path`: stored when already compressed, else deflated.
    pub fn add(&mut self, path: &str, bytes: &[u8]) -> Result<(), String> {
        let method = if already_compressed(bytes) {
            CompressionMethod::Stored
        } else {
            CompressionMethod::Deflated
        };
        self.zip
            .start_file(path, options(method))
            .map_err(|e| err(&e))?;
        self.zip.write_all(bytes).map_err(|e| err(&e))
    }

    /// Adds what `from` reads at `path`, copied through a small buffer
    /// (an image file is never whole in memory); `compress` says whether it
    /// is deflated (an SVG) or stored (an already compressed image).
    pub fn add_from(
        &mut self,
        path: &str,
        compress: bool,
        from: &mut dyn Read,
    ) -> Result<(), String> {
        let method = if compress {
            CompressionMethod::Deflated
        } else {
            CompressionMethod::Stored
        };
        self.zip
            .start_file(path, options(method))
            .map_err(|e| err(&e))?;
        if self.buf.is_empty() {
            self.buf = vec![0u8; COPY_CHUNK];
        }
        loop {
            let n = match from.read(&mut self.buf) {
                Ok(0) => return Ok(()),
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(err(&e)),
            };
            self.zip.write_all(&self.buf[..n]).map_err(|e| err(&e))?;
        }
    }

    /// Writes the central directory; gives back the writer.
    pub fn finish(self) -> Result<W, String> {
        self.zip.finish().map_err(|e| err(&e))
    }
}

/// The bytes a stored entry of `len` bytes at `path` adds to a book: its
/// local header (30 bytes and the name), the data, and its central
/// directory record (46 bytes and the name); no extra field, no comment.
pub fn stored_entry_size(path: &str, len: u64) -> u64 {
    30 + 46 + 2 * path.len() as u64 + len
}

/// Whether `bytes` are in a format that is compressed already (JPEG, PNG,
/// GIF, WebP, WOFF fonts): deflating them again costs most of a book's
/// build time for a gain of a percent or two, so they are stored.
fn already_compressed(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0xFF, 0xD8, 0xFF])
        || bytes.starts_with(b"\x89PNG\r\n\x1a\n")
        || bytes.starts_with(b"GIF8")
        || (bytes.len() >= 12 && bytes.starts_with(b"RIFF") && &bytes[8..12] == b"WEBP")
        || bytes.starts_with(b"wOFF")
        || bytes.starts_with(b"wOF2")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    /// Writes `files` (path in the container, bytes), after `mimetype`, into a
    /// ZIP in memory. The caller gives them in the order wanted.
    pub fn zip(files: &[(String, Vec<u8>)]) -> Result<Vec<u8>, String> {
        let mut c = Container::new(Cursor::new(Vec::new()))?;
        for (path, bytes) in files {
            c.add(path, bytes)?;
        }
        Ok(c.finish()?.into_inner())
    }

    #[test]
    fn mimetype_is_first_stored_without_extra_field() {
        let bytes = zip(&[("EPUB/a.xhtml".into(), b"<x/>".to_vec())]).unwrap();
        assert_eq!(&bytes[0..4], b"PK\x03\x04");
        assert_eq!(u16::from_le_bytes([bytes[8], bytes[9]]), 0, "method");
        assert_eq!(u16::from_le_bytes([bytes[26], bytes[27]]), 8, "name length");
        assert_eq!(
            u16::from_le_bytes([bytes[28], bytes[29]]),
            0,
            "extra length"
        );
        assert_eq!(&bytes[30..38], b"mimetype");
        assert_eq!(&bytes[38..58], MIMETYPE);
        let again = zip(&[("EPUB/a.xhtml".into(), b"<x/>".to_vec())]).unwrap();
        assert_eq!(bytes, again);
    }

    /// The compression method of every entry but `mimetype`, by name.
    fn methods(book: &[u8]) -> Vec<(String, zip::CompressionMethod)> {
        let mut archive = zip::ZipArchive::new(Cursor::new(book)).unwrap();
        (1..archive.len())
            .map(|i| {
                let f = archive.by_index(i).unwrap();
                (f.name().to_string(), f.compression())
            })
            .collect()
    }

    #[test]
    fn a_stored_entry_adds_what_stored_entry_size_says() {
        let text = vec![("EPUB/a.xhtml".to_string(), b"<x/>".repeat(50))];
        let alone = zip(&text).unwrap().len() as u64;
        let image = b"\x89PNG\r\n\x1a\n0123456789".to_vec();
        let mut c = Container::new(Cursor::new(Vec::new())).unwrap();
        c.add("EPUB/a.xhtml", &text[0].1).unwrap();
        c.add_from("EPUB/images/b.png", false, &mut image.as_slice())
            .unwrap();
        let both = c.finish().unwrap().into_inner();
        assert_eq!(
            both.len() as u64,
            alone + stored_entry_size("EPUB/images/b.png", image.len() as u64)
        );
    }

    #[test]
    fn compressed_images_are_stored_and_text_deflated() {
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        png.extend(std::iter::repeat_n(0u8, 4096));
        let mut jpeg = vec![0xFF, 0xD8, 0xFF, 0xE0];
        jpeg.extend(std::iter::repeat_n(7u8, 4096));
        let text = "<p>again</p>".repeat(400).into_bytes();
        let book = zip(&[
            ("EPUB/images/a.png".into(), png.clone()),
            ("EPUB/images/b.jpg".into(), jpeg),
            ("EPUB/a.xhtml".into(), text),
        ])
        .unwrap();
        assert_eq!(
            methods(&book),
            [
                ("EPUB/images/a.png".to_string(), CompressionMethod::Stored),
                ("EPUB/images/b.jpg".to_string(), CompressionMethod::Stored),
                ("EPUB/a.xhtml".to_string(), CompressionMethod::Deflated),
            ]
        );
        // Stored means the bytes themselves are in the container.
        assert!(book.windows(png.len()).any(|w| w == png.as_slice()));
    }
}
