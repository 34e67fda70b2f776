//! Packing the book: every file in its fixed order into the container,
//! straight into the writer given (the staging file), images read from
//! their files as they are zipped and scaled first when a [`Shrink`] says
//! so, one at a time.

use std::io::{Seek, Write};

use super::media::{BookImage, SVG};
use super::ocf;
use super::resize::{self, Outcome, Shrink};
use crate::diagnostics::Diagnostic;

/// Everything a book holds, before it is zipped.
pub struct Parts {
    /// Files made in memory (chapters, navigation, package, cover), by
    /// path in the container.
    pub files: Vec<(String, Vec<u8>)>,
    /// The embedded images, read from where they are when zipped.
    pub images: Vec<BookImage>,
}

/// One entry of the container.
enum Entry<'a> {
    Made(&'a str, &'a [u8]),
    Image(String, &'a BookImage),
}

impl Entry<'_> {
    fn path(&self) -> &str {
        match self {
            Entry::Made(p, _) => p,
            Entry::Image(p, _) => p,
        }
    }
}

impl Parts {
    /// The entries in the book's order: the container file first (some
    /// readers look for it early), then everything else by path.
    fn entries(&self) -> Vec<Entry<'_>> {
        let mut all: Vec<Entry<'_>> = self
            .files
            .iter()
            .map(|(p, b)| Entry::Made(p, b))
            .chain(
                self.images
                    .iter()
                    .map(|i| Entry::Image(format!("EPUB/{}", i.href), i)),
            )
            .collect();
        all.sort_by(|a, b| {
            let key = |e: &Entry<'_>| (e.path() != "META-INF/container.xml", e.path().to_string());
            key(a).cmp(&key(b))
        });
        all
    }

    /// The container's path of image `i`.
    pub fn image_path(i: &BookImage) -> String {
        format!("EPUB/{}", i.href)
    }
}

/// What packing did.
#[derive(Debug, Default)]
pub struct Packed {
    /// The book's size in bytes.
    pub size: u64,
    /// Images scaled down.
    pub scaled: usize,
    /// The widest of the scaled images, after scaling.
    pub widest: u32,
    /// JPEGs encoded again at a lower quality, their size in pixels kept.
    pub recompressed: usize,
    /// Notes on images left as they are.
    pub diagnostics: Vec<Diagnostic>,
}

/// Writes the book into `out`, each image after `shrink`.
pub fn pack<W: Write + Seek>(
    parts: &Parts,
    shrink: &Shrink,
    out: W,
) -> Result<(W, Packed), String> {
    let entries = parts.entries();
    let mut packed = Packed::default();
    let mut c = ocf::Container::new(out)?;
    // Zipping is a good part of a big book's time: shown as a pass.
    crate::progress::count("files", "zipping", Some(entries.len() as u64));
    for e in &entries {
        match e {
            Entry::Made(path, bytes) => c.add(path, bytes)?,
            Entry::Image(path, img) => {
                let shrunk = image_bytes(img, shrink)?;
                match &shrunk {
                    Outcome::Scaled { to, .. } => {
                        packed.scaled += 1;
                        packed.widest = packed.widest.max(to.0);
                    }
                    Outcome::Recompressed(_) => packed.recompressed += 1,
                    Outcome::LeftAsIs(why) => packed.diagnostics.push(Diagnostic::info(
                        "epub-image-not-scaled",
                        &img.source,
                        format!("this image is in the book at its own size: {why}"),
                    )),
                    Outcome::Unchanged => {}
                }
                match shrunk.new_bytes() {
                    Some(b) => c.add(path, b)?,
                    None => {
                        let mut from = img.data.open().map_err(|e| unreadable(img, &e))?;
                        c.add_from(path, img.kind == SVG, &mut from)?;
                    }
                }
            }
        }
        crate::progress::tick();
    }
    let mut out = c.finish()?;
    packed.size = out
        .stream_position()
        .map_err(|e| format!("could not write the EPUB container: {e}"))?;
    Ok((out, packed))
}

/// What `shrink` makes of `img` (the image is read whole, once, only when
/// something may be done to it).
pub fn image_bytes(img: &BookImage, shrink: &Shrink) -> Result<Outcome, String> {
    if shrink.is_nothing() || img.kind == SVG {
        return Ok(Outcome::Unchanged);
    }
    let bytes = img.data.read_all().map_err(|e| unreadable(img, &e))?;
    Ok(resize::shrink(&bytes, img.kind, shrink))
}

fn unreadable(img: &BookImage, e: &std::io::Error) -> String {
    format!(
        "could not read the image {} to put it in the book: {e}",
        img.source
    )
}

/// The size of the book without its stored images: the files made in
/// memory and the SVG images, zipped in memory here (their deflated size
/// cannot be known otherwise). Each stored image then adds
/// [`ocf::stored_entry_size`].
pub fn fixed_size(parts: &Parts) -> Result<u64, String> {
    let mut c = ocf::Container::new(std::io::Cursor::new(Vec::new()))?;
    for e in parts.entries() {
        match e {
            Entry::Made(path, bytes) => c.add(path, bytes)?,
            Entry::Image(path, img) if img.kind == SVG => {
                let mut from = img.data.open().map_err(|e| unreadable(img, &e))?;
                c.add_from(&path, true, &mut from)?;
            }
            Entry::Image(..) => {}
        }
    }
    Ok(c.finish()?.into_inner().len() as u64)
}
