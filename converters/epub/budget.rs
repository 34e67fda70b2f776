//! `--max-book-size`: choosing, before the book is written, how far its
//! images must be scaled down for it to fit.
//!
//! The text is zipped in memory once to learn its size; every stored
//! image adds a known number of bytes ([`ocf::stored_entry_size`]). When
//! the images as they are do not fit, [`STEPS`] are tried in order —
//! narrower, then at a lower JPEG quality — each measured by scaling the
//! images (one at a time, their bytes dropped once counted) until one
//! fits. The book is then written once, with that step: scaling is
//! deterministic, so it comes out at the size planned.

use super::media::{BookImage, SVG};
use super::ocf;
use super::pack::{self, Parts};
use super::resize::{Shrink, JPEG_QUALITY};

/// The steps tried, in order: the widest image kept and the JPEG quality.
/// A screen a book is read on is rarely wider than 1600 pixels; below
/// 480 a photo stops being worth its place.
pub const STEPS: &[(u32, u8)] = &[
    (1600, JPEG_QUALITY),
    (1280, 80),
    (1024, 75),
    (800, 70),
    (640, 60),
    (480, 50),
];

/// The plan for the book's images.
#[derive(Debug)]
pub struct Choice {
    /// What is done to every image.
    pub shrink: Shrink,
    /// The book's size with it, as planned.
    pub planned: u64,
}

/// The shrink `--max-image-width` alone asks for (`None`: nothing).
pub fn base(max_width: Option<u32>) -> Shrink {
    Shrink {
        max_width,
        jpeg_quality: JPEG_QUALITY,
        recompress_jpeg: false,
    }
}

/// Chooses the first shrink, from `--max-image-width` alone through
/// [`STEPS`], that brings the book to `limit` bytes or under; the last
/// step when none does (the caller reports by how much it misses).
pub fn choose(parts: &Parts, max_width: Option<u32>, limit: u64) -> Result<Choice, String> {
    let fixed = pack::fixed_size(parts)?;
    let first = base(max_width);
    let steps = STEPS.iter().map(|&(w, q)| Shrink {
        max_width: Some(max_width.map_or(w, |m| m.min(w))),
        jpeg_quality: q,
        recompress_jpeg: true,
    });
    let all: Vec<Shrink> = std::iter::once(first).chain(steps).collect();
    for (i, shrink) in all.iter().enumerate() {
        // The last step is measured whole, for the message that says by
        // how much the book misses; when the text alone is too big, only
        // that one is worth measuring.
        let is_last = i + 1 == all.len();
        if fixed > limit && !is_last {
            continue;
        }
        crate::progress::count("images", "measuring", Some(parts.images.len() as u64));
        let stop = (!is_last).then_some(limit);
        if let Some(size) = measure(fixed, &parts.images, shrink, stop)? {
            if size <= limit || is_last {
                return Ok(Choice {
                    shrink: *shrink,
                    planned: size,
                });
            }
        }
    }
    // `all` is never empty and its last step always returns.
    Ok(Choice {
        shrink: first,
        planned: fixed,
    })
}

/// `48.7 MiB`, `512.0 KiB` or `100 bytes`: a book's size in a summary.
pub fn shown_size(n: u64) -> String {
    const MIB: f64 = 1024.0 * 1024.0;
    if n >= 1024 * 1024 {
        format!("{:.1} MiB", n as f64 / MIB)
    } else if n >= 1024 {
        format!("{:.1} KiB", n as f64 / 1024.0)
    } else {
        format!("{n} bytes")
    }
}

/// The book's size with every image after `shrink`, or `None` as soon as
/// it passes `stop`.
fn measure(
    fixed: u64,
    images: &[BookImage],
    shrink: &Shrink,
    stop: Option<u64>,
) -> Result<Option<u64>, String> {
    let mut total = fixed;
    for img in images {
        crate::progress::tick();
        if img.kind == SVG {
            continue;
        }
        let len = match pack::image_bytes(img, shrink)?.new_bytes() {
            Some(b) => b.len() as u64,
            None => img.len,
        };
        total += ocf::stored_entry_size(&Parts::image_path(img), len);
        if stop.is_some_and(|s| total > s) {
            return Ok(None);
        }
    }
    Ok(Some(total))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::converters::epub::media::{sniff_image, ImageData};
    use std::io::Cursor;

    /// A JPEG of noise (which no step shrinks for free), `w` pixels wide.
    fn noise_jpeg(w: u32, seed: u64) -> Vec<u8> {
        let mut x = seed | 1;
        let img = image::RgbImage::from_fn(w, 300, |_, _| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            image::Rgb([x as u8, (x >> 8) as u8, (x >> 16) as u8])
        });
        let mut out = Vec::new();
        let enc = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 95);
        image::DynamicImage::ImageRgb8(img)
            .write_with_encoder(enc)
            .unwrap();
        out
    }

    fn parts() -> Parts {
        let images = (0..3)
            .map(|i| {
                let bytes = noise_jpeg(1800, i + 1);
                BookImage {
                    href: format!("images/p{i}.jpg"),
                    kind: sniff_image(&bytes).unwrap(),
                    source: format!("p{i}.jpg"),
                    len: bytes.len() as u64,
                    data: ImageData::Bytes(bytes.into()),
                }
            })
            .collect();
        Parts {
            files: vec![("EPUB/a.xhtml".into(), b"<p>words</p>".repeat(100))],
            images,
        }
    }

    fn packed_size(parts: &Parts, shrink: &Shrink) -> u64 {
        pack::pack(parts, shrink, Cursor::new(Vec::new()))
            .unwrap()
            .1
            .size
    }

    #[test]
    fn the_plan_is_the_size_written_and_the_first_step_that_fits() {
        let parts = parts();
        let whole = choose(&parts, None, u64::MAX).unwrap();
        assert_eq!(whole.shrink, base(None));
        assert_eq!(whole.planned, packed_size(&parts, &whole.shrink));

        let limit = whole.planned / 3;
        let fit = choose(&parts, None, limit).unwrap();
        assert!(fit.shrink.recompress_jpeg, "{fit:?}");
        assert!(fit.planned <= limit, "{fit:?}");
        assert_eq!(fit.planned, packed_size(&parts, &fit.shrink));
        // The step before it did not fit: no more is scaled than needed.
        let i = STEPS
            .iter()
            .position(|&(w, _)| Some(w) == fit.shrink.max_width)
            .unwrap();
        if i > 0 {
            let (w, q) = STEPS[i - 1];
            let before = Shrink {
                max_width: Some(w),
                jpeg_quality: q,
                recompress_jpeg: true,
            };
            assert!(packed_size(&parts, &before) > limit);
        }

        // Too small for anything: the last step, planned whole.
        let none = choose(&parts, None, 1000).unwrap();
        assert_eq!(none.shrink.max_width, Some(STEPS[STEPS.len() - 1].0));
        assert_eq!(none.planned, packed_size(&parts, &none.shrink));
    }

    #[test]
    fn sizes_are_shown_in_binary_units() {
        assert_eq!(shown_size(52_428_800), "50.0 MiB");
        assert_eq!(shown_size(20 * 1024), "20.0 KiB");
        assert_eq!(shown_size(999), "999 bytes");
    }
}
