//! The container (OCF): a ZIP whose first entry is `mimetype`, stored, with
//! no extra field, then every other file deflated (or stored, when it is
//! already compressed), in a fixed order with a fixed time, so the same
//! book gives the same bytes.

use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

/// The `mimetype` content.
pub const MIMETYPE: &[u8] = b"application/epub+zip";

/// Writes `files` (path in the container, bytes), after `mimetype`, into a
/// ZIP. The caller gives them in the order wanted.
pub fn zip(files: &[(String, Vec<u8>)]) -> Result<Vec<u8>, String> {
    let mut w = ZipWriter::new(Cursor::new(Vec::new()));
    // 1980-01-01 00:00: the ZIP epoch; a fixed time keeps builds identical.
    let time = DateTime::default();
    let stored = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Stored)
        .last_modified_time(time)
        .unix_permissions(0o644);
    let deflated = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .compression_level(Some(9))
        .last_modified_time(time)
        .unix_permissions(0o644);
    let err = |e: &dyn std::fmt::Display| format!("could not write the EPUB container: {e}");
    w.start_file("mimetype", stored).map_err(|e| err(&e))?;
    w.write_all(MIMETYPE).map_err(|e| err(&e))?;
    // Compressing is a good part of a big book's time: shown as a pass.
    crate::progress::count("files", "zipping", Some(files.len() as u64));
    for (path, bytes) in files {
        let how = if already_compressed(bytes) {
            stored
        } else {
            deflated
        };
        w.start_file(path.as_str(), how).map_err(|e| err(&e))?;
        w.write_all(bytes).map_err(|e| err(&e))?;
        crate::progress::tick();
    }
    let cursor = w.finish().map_err(|e| err(&e))?;
    Ok(cursor.into_inner())
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
