//! Media types: what an image file really is (EPUBCheck sniffs bytes, so a
//! `.png` holding a JPEG must be declared `image/jpeg`), and the images
//! embedded in the book, each stored once.
//!
//! An image is known by where its bytes are ([`ImageData`]: its file, or
//! a download that could not be cached) and its size; only the head of a
//! file is read to learn its type. The bytes are read when the image is
//! zipped, one image at a time, so a book of gigabytes of pictures needs
//! no more memory than one of them.

use std::io::Read;
use std::path::PathBuf;
use std::sync::Arc;

use crate::fast_hash::{FastMap as HashMap, FastSet as HashSet};

use crate::ir::Site;

/// An image format a reading system must support (EPUB 3.3 core media types).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImageType {
    /// The media type for the manifest.
    pub media_type: &'static str,
    /// The file extension used inside the book.
    pub ext: &'static str,
}

const PNG: ImageType = ImageType {
    media_type: "image/png",
    ext: "png",
};
const JPEG: ImageType = ImageType {
    media_type: "image/jpeg",
    ext: "jpg",
};
const GIF: ImageType = ImageType {
    media_type: "image/gif",
    ext: "gif",
};
const WEBP: ImageType = ImageType {
    media_type: "image/webp",
    ext: "webp",
};
/// SVG.
pub const SVG: ImageType = ImageType {
    media_type: "image/svg+xml",
    ext: "svg",
};

/// The core image type of `bytes`, by their content, or `None` for anything
/// else (BMP, ICO, TIFF, AVIF, HEIC, not an image at all).
pub fn sniff_image(bytes: &[u8]) -> Option<ImageType> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Some(PNG);
    }
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Some(JPEG);
    }
    if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        return Some(GIF);
    }
    if bytes.len() >= 12 && &bytes[0..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        return Some(WEBP);
    }
    if looks_like_svg(bytes) {
        return Some(SVG);
    }
    None
}

/// An SVG file starts (after a BOM, white space, an XML declaration,
/// comments or a doctype) with an `<svg` element.
fn looks_like_svg(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(4096)];
    let Ok(text) =
        std::str::from_utf8(head).or_else(|e| std::str::from_utf8(&head[..e.valid_up_to()]))
    else {
        return false;
    };
    let lower = text.trim_start_matches('\u{feff}').to_ascii_lowercase();
    match lower.find("<svg") {
        Some(i) => {
            let before = &lower[..i];
            // Only prolog constructs may precede the root element.
            !before.contains("<html") && !before.contains("<body")
        }
        None => false,
    }
}

/// Where an image's bytes are.
#[derive(Debug, Clone)]
pub enum ImageData {
    /// A file: the site's, or the `--fetch-images` cache's.
    File(PathBuf),
    /// Downloaded and not cached (no cache folder could be used).
    Bytes(Arc<[u8]>),
}

/// How much of a file is read to learn its type: an SVG's root element may
/// follow a long prolog (the sniffer looks that far).
const HEAD: u64 = 4096;

impl ImageData {
    /// A reader of the whole image.
    pub fn open(&self) -> std::io::Result<Box<dyn Read + '_>> {
        Ok(match self {
            ImageData::File(p) => Box::new(std::fs::File::open(p)?),
            ImageData::Bytes(b) => Box::new(&b[..]),
        })
    }

    /// The whole image in memory (for one image being scaled).
    pub fn read_all(&self) -> std::io::Result<Vec<u8>> {
        let mut v = Vec::new();
        self.open()?.read_to_end(&mut v)?;
        Ok(v)
    }
}

/// The type of the file at `path` (from its head) and its length.
pub fn sniff_file(path: &std::path::Path) -> std::io::Result<(Option<ImageType>, u64)> {
    let f = std::fs::File::open(path)?;
    let len = f.metadata()?.len();
    let mut head = Vec::with_capacity(HEAD as usize);
    f.take(HEAD).read_to_end(&mut head)?;
    Ok((sniff_image(&head), len))
}

/// One image stored in the book.
#[derive(Debug, Clone)]
pub struct BookImage {
    /// Path inside the book's content folder (`images/assets-cat.png`).
    pub href: String,
    /// Its true type.
    pub kind: ImageType,
    /// Where it comes from, for messages: its path in the site, or its URL.
    pub source: String,
    /// Where its bytes are.
    pub data: ImageData,
    /// Its size in bytes.
    pub len: u64,
}

/// Why a local image could not be embedded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EmbedError {
    /// The file could not be read.
    Unreadable(String),
    /// The bytes are not a type every reading system shows.
    Unsupported,
}

/// The images embedded so far, keyed by the static file or the remote URL
/// they come from.
#[derive(Debug, Default)]
pub struct Images {
    items: Vec<BookImage>,
    by_static: HashMap<usize, Result<usize, EmbedError>>,
    names: HashSet<String>,
    /// What `--fetch-images` downloaded; `None` without the flag.
    fetched: Option<super::fetch::Fetched>,
    by_url: HashMap<String, usize>,
    /// Remote images left as links because nothing was fetched (for the
    /// one note that says `--fetch-images` would embed them).
    pub remote_linked: usize,
}

impl Images {
    /// Embeds static file `index` of `site` (once) and returns its href
    /// inside the book.
    pub fn embed(&mut self, site: &Site, index: usize) -> Result<String, EmbedError> {
        if let Some(done) = self.by_static.get(&index) {
            return done.clone().map(|i| self.items[i].href.clone());
        }
        let result = self.load(site, index);
        self.by_static.insert(index, result.clone());
        result.map(|i| self.items[i].href.clone())
    }

    fn load(&mut self, site: &Site, index: usize) -> Result<usize, EmbedError> {
        let file = site
            .static_files
            .get(index)
            .ok_or_else(|| EmbedError::Unreadable("no such file".into()))?;
        let (kind, len) =
            sniff_file(&file.path).map_err(|e| EmbedError::Unreadable(e.to_string()))?;
        let kind = kind.ok_or(EmbedError::Unsupported)?;
        let href = self.unique_name(&file.source, kind.ext);
        self.items.push(BookImage {
            href,
            kind,
            source: file.source.clone(),
            data: ImageData::File(file.path.clone()),
            len,
        });
        Ok(self.items.len() - 1)
    }

    /// An ASCII file name from the site path, unique after case folding
    /// (EPUB file names must be unique that way and ASCII avoids PKG-012).
    fn unique_name(&mut self, source: &str, ext: &str) -> String {
        // The extension only: a dot in a folder or host name stays.
        let stem = match source.rsplit_once('.') {
            Some((s, ext)) if !ext.contains('/') => s,
            _ => source,
        };
        let mut clean = String::new();
        for c in stem.chars() {
            if c.is_ascii_alphanumeric() {
                clean.push(c.to_ascii_lowercase());
            } else if !clean.ends_with('-') {
                clean.push('-');
            }
        }
        let clean = clean.trim_matches('-');
        let clean: String = clean.chars().take(80).collect();
        let clean = if clean.is_empty() {
            "image".to_string()
        } else {
            clean
        };
        let mut name = format!("images/{clean}.{ext}");
        let mut n = 2;
        while self.names.contains(&name) {
            name = format!("images/{clean}-{n}.{ext}");
            n += 1;
        }
        self.names.insert(name.clone());
        name
    }

    /// Sets what `--fetch-images` downloaded: from now on remote images are
    /// embedded from it.
    pub fn set_fetched(&mut self, fetched: super::fetch::Fetched) {
        self.fetched = Some(fetched);
    }

    /// The href in the book of the remote image `url` (embedded once), the
    /// reason it could not be fetched, or `None` when nothing was fetched.
    pub fn embed_remote(&mut self, url: &str) -> Option<Result<String, String>> {
        if let Some(&i) = self.by_url.get(url) {
            return Some(Ok(self.items[i].href.clone()));
        }
        let (kind, data, len) = match self.fetched.as_ref()?.get(url) {
            Some(Ok(got)) => (got.kind, got.data.clone(), got.len),
            Some(Err(why)) => return Some(Err(why.clone())),
            None => return Some(Err("it was not fetched".into())),
        };
        // Host and path make a readable name (`cdn-ex-org-img-cat.png`).
        let source = url
            .split_once("://")
            .map(|(_, rest)| rest)
            .unwrap_or(url)
            .split(['?', '#'])
            .next()
            .unwrap_or(url);
        let href = self.unique_name(source, kind.ext);
        self.items.push(BookImage {
            href,
            kind,
            source: url.to_string(),
            data,
            len,
        });
        self.by_url.insert(url.to_string(), self.items.len() - 1);
        Some(Ok(self.items[self.items.len() - 1].href.clone()))
    }

    /// Every embedded image, in the order first referenced.
    pub fn items(&self) -> &[BookImage] {
        &self.items
    }

    /// The embedded images, taken out.
    pub fn into_items(self) -> Vec<BookImage> {
        self.items
    }

    /// Reserves a name (the cover) so no site image takes it.
    pub fn reserve(&mut self, href: &str) {
        self.names.insert(href.to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_by_content_not_name() {
        assert_eq!(
            sniff_image(b"\xFF\xD8\xFF\xE0rest").map(|t| t.media_type),
            Some("image/jpeg")
        );
        assert_eq!(
            sniff_image(b"\x89PNG\r\n\x1a\n....").map(|t| t.ext),
            Some("png")
        );
        assert_eq!(sniff_image(b"GIF89a...").map(|t| t.ext), Some("gif"));
        assert_eq!(
            sniff_image(b"RIFF\0\0\0\0WEBPVP8 ").map(|t| t.ext),
            Some("webp")
        );
        assert_eq!(
            sniff_image(b"\xef\xbb\xbf<?xml version=\"1.0\"?>\n<!-- x --><svg xmlns=\"http://www.w3.org/2000/svg\"/>")
                .map(|t| t.ext),
            Some("svg")
        );
        assert_eq!(sniff_image(b"BM\0\0"), None);
        assert_eq!(sniff_image(b"<html><svg/></html>"), None);
    }

    #[test]
    fn names_are_ascii_and_unique_ignoring_case() {
        let mut imgs = Images::default();
        assert_eq!(
            imgs.unique_name("assets/Café Photo.PNG", "png"),
            "images/assets-caf-photo.png"
        );
        assert_eq!(
            imgs.unique_name("assets/caf photo.png", "png"),
            "images/assets-caf-photo-2.png"
        );
    }
}
