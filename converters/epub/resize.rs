//! Scaling an image down for the book (`--max-image-width`, and the steps
//! `--max-book-size` takes): decoded, scaled to a width with its aspect
//! kept, and encoded again in its own format, so its href and media type
//! stay as they are (JPEG stays JPEG, PNG stays PNG, GIF and WebP too).
//!
//! One image is decoded at a time, under [`Limits`] that refuse a picture
//! whose size or memory would be out of proportion (a decompression bomb):
//! such an image, an animated one, or one the codecs cannot read is left as
//! it is, with the reason, never a panic. The same bytes and [`Shrink`]
//! always give the same result, which lets the book's size be planned by
//! one pass and written by another.

use std::io::Cursor;

use image::codecs::gif::GifEncoder;
use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::{CompressionType, FilterType as PngFilter, PngEncoder};
use image::codecs::webp::WebPEncoder;
use image::imageops::FilterType;
use image::{DynamicImage, ImageDecoder, ImageError, ImageFormat, ImageReader, Limits};

use super::media::ImageType;

/// The JPEG quality of a scaled JPEG, unless a step asks for less: high
/// enough that a photo shows no block artefacts on a reading device.
pub const JPEG_QUALITY: u8 = 85;

/// The widest or tallest picture decoded: larger ones (no camera makes
/// them) are left as they are rather than risk memory on them.
const MAX_SIDE: u32 = 24_000;

/// The most memory one decoded picture may take: a 48-megapixel photo in
/// RGB fits, a decompression bomb does not.
const MAX_ALLOC: u64 = 192 * 1024 * 1024;

/// What to do to an image.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shrink {
    /// Images wider than this many pixels are scaled down to it.
    pub max_width: Option<u32>,
    /// The quality JPEGs are encoded at.
    pub jpeg_quality: u8,
    /// Encode JPEGs that are narrow enough again at `jpeg_quality` too,
    /// keeping the result only when it is smaller (a `--max-book-size`
    /// step).
    pub recompress_jpeg: bool,
}

impl Shrink {
    /// Whether this changes anything at all.
    pub fn is_nothing(&self) -> bool {
        self.max_width.is_none() && !self.recompress_jpeg
    }
}

/// What became of one image.
#[derive(Debug)]
pub enum Outcome {
    /// Its own bytes go into the book.
    Unchanged,
    /// Scaled down to a new size in pixels.
    Scaled {
        /// The new bytes.
        bytes: Vec<u8>,
        /// Width and height after.
        to: (u32, u32),
    },
    /// Encoded again at a lower JPEG quality, same size in pixels.
    Recompressed(Vec<u8>),
    /// It should have been scaled but is left as it is, for this reason.
    LeftAsIs(String),
}

impl Outcome {
    /// The bytes that go into the book instead of the original, if any.
    pub fn new_bytes(&self) -> Option<&[u8]> {
        match self {
            Outcome::Scaled { bytes, .. } | Outcome::Recompressed(bytes) => Some(bytes),
            _ => None,
        }
    }
}

fn format_of(kind: ImageType) -> Option<ImageFormat> {
    match kind.ext {
        "jpg" => Some(ImageFormat::Jpeg),
        "png" => Some(ImageFormat::Png),
        "gif" => Some(ImageFormat::Gif),
        "webp" => Some(ImageFormat::WebP),
        _ => None,
    }
}

fn limits() -> Limits {
    let mut l = Limits::default();
    l.max_image_width = Some(MAX_SIDE);
    l.max_image_height = Some(MAX_SIDE);
    l.max_alloc = Some(MAX_ALLOC);
    l
}

/// Applies `how` to the image `bytes` of type `kind`.
pub fn shrink(bytes: &[u8], kind: ImageType, how: &Shrink) -> Outcome {
    if how.is_nothing() {
        return Outcome::Unchanged;
    }
    // A vector image has no pixels to scale; the reader draws it to fit.
    let Some(format) = format_of(kind) else {
        return Outcome::Unchanged;
    };
    let is_jpeg = format == ImageFormat::Jpeg;
    let (img, (w, h)) = match decode(bytes, format, how, is_jpeg) {
        Ok(Some(decoded)) => decoded,
        Ok(None) => return Outcome::Unchanged,
        Err(why) => return Outcome::LeftAsIs(why),
    };
    match how.max_width.filter(|m| w > *m) {
        Some(max) => {
            // Rounded, and never 0 (a very wide, one-pixel-high strip).
            let new_h = ((u64::from(h) * u64::from(max) + u64::from(w) / 2) / u64::from(w))
                .clamp(1, u64::from(u32::MAX)) as u32;
            let scaled = img.resize_exact(max, new_h, FilterType::CatmullRom);
            drop(img);
            match encode(&scaled, format, how.jpeg_quality) {
                Ok(bytes) => Outcome::Scaled {
                    bytes,
                    to: (max, new_h),
                },
                Err(e) => Outcome::LeftAsIs(format!("it could not be encoded again ({e})")),
            }
        }
        None => match encode(&img, format, how.jpeg_quality) {
            // Kept only when it saves something: a JPEG saved at a low
            // quality already gains nothing from another pass.
            Ok(again) if again.len() < bytes.len() => Outcome::Recompressed(again),
            Ok(_) => Outcome::Unchanged,
            Err(e) => Outcome::LeftAsIs(format!("it could not be encoded again ({e})")),
        },
    }
}

/// The picture as it is shown (EXIF orientation applied) and its size,
/// or `None` when nothing is to be done to it: narrow enough and not a
/// JPEG to recompress. Reads only the header to decide that.
#[allow(clippy::type_complexity)]
fn decode(
    bytes: &[u8],
    format: ImageFormat,
    how: &Shrink,
    is_jpeg: bool,
) -> Result<Option<(DynamicImage, (u32, u32))>, String> {
    if is_animated(bytes, format) {
        return Err("it is animated, and only its first frame could be kept".into());
    }
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    reader.limits(limits());
    let mut decoder = reader.into_decoder().map_err(|e| why_not(&e))?;
    let orientation = decoder.orientation().map_err(|e| why_not(&e))?;
    let (w, h) = decoder.dimensions();
    // A quarter turn swaps width and height as shown.
    let turned = matches!(
        orientation,
        image::metadata::Orientation::Rotate90
            | image::metadata::Orientation::Rotate270
            | image::metadata::Orientation::Rotate90FlipH
            | image::metadata::Orientation::Rotate270FlipH
    );
    let (w, h) = if turned { (h, w) } else { (w, h) };
    let wide = how.max_width.is_some_and(|m| w > m);
    if !(wide || is_jpeg && how.recompress_jpeg) {
        return Ok(None);
    }
    let mut img = DynamicImage::from_decoder(decoder).map_err(|e| why_not(&e))?;
    img.apply_orientation(orientation);
    Ok(Some((img, (w, h))))
}

/// The reason an image could not be decoded, in words.
fn why_not(e: &ImageError) -> String {
    match e {
        ImageError::Limits(_) => format!(
            "it is too large to decode safely (more than {MAX_SIDE} pixels a side or {} MiB of pixels)",
            MAX_ALLOC / (1024 * 1024)
        ),
        other => format!("it could not be decoded ({other})"),
    }
}

/// `img` encoded in `format`.
fn encode(img: &DynamicImage, format: ImageFormat, quality: u8) -> Result<Vec<u8>, ImageError> {
    let mut out = Vec::new();
    match format {
        ImageFormat::Jpeg => {
            // JPEG has no alpha: grey stays grey, everything else is RGB.
            let enc = JpegEncoder::new_with_quality(&mut out, quality);
            match img {
                DynamicImage::ImageLuma8(_) => img.write_with_encoder(enc)?,
                _ => DynamicImage::ImageRgb8(img.to_rgb8()).write_with_encoder(enc)?,
            }
        }
        ImageFormat::Png => {
            let enc =
                PngEncoder::new_with_quality(&mut out, CompressionType::Best, PngFilter::Adaptive);
            img.write_with_encoder(enc)?;
        }
        ImageFormat::Gif => {
            let mut enc = GifEncoder::new(&mut out);
            enc.encode_frame(image::Frame::new(img.to_rgba8()))?;
        }
        _ => {
            // The WebP encoder is lossless only, and takes 8-bit pixels.
            let enc = WebPEncoder::new_lossless(&mut out);
            match img {
                DynamicImage::ImageRgb8(_) | DynamicImage::ImageRgba8(_) => {
                    img.write_with_encoder(enc)?
                }
                _ => DynamicImage::ImageRgba8(img.to_rgba8()).write_with_encoder(enc)?,
            }
        }
    }
    Ok(out)
}

/// Whether the image has more than one frame (an animated GIF, an APNG,
/// an animated WebP): scaling would keep only the first.
fn is_animated(bytes: &[u8], format: ImageFormat) -> bool {
    match format {
        ImageFormat::Gif => gif_frames(bytes) > 1,
        ImageFormat::Png => png_has_chunk(bytes, b"acTL"),
        // VP8X header flags: bit 1 is "animation".
        ImageFormat::WebP => {
            bytes.get(12..16) == Some(b"VP8X") && bytes.get(20).is_some_and(|f| f & 0x02 != 0)
        }
        _ => false,
    }
}

/// How many images a GIF holds (counting stops at 2), walking its blocks
/// without decoding any.
fn gif_frames(b: &[u8]) -> usize {
    // Header (6) and logical screen descriptor (7), then the global colour
    // table when its flag is set.
    let Some(&flags) = b.get(10) else { return 0 };
    let mut i = 13
        + if flags & 0x80 != 0 {
            3 << ((flags & 7) + 1)
        } else {
            0
        };
    let mut frames = 0;
    let skip_sub_blocks = |mut i: usize| -> Option<usize> {
        loop {
            let n = *b.get(i)? as usize;
            i += 1 + n;
            if n == 0 {
                return Some(i);
            }
        }
    };
    while let Some(&tag) = b.get(i) {
        i = match tag {
            0x21 => match skip_sub_blocks(i + 2) {
                Some(next) => next,
                None => break,
            },
            0x2C => {
                frames += 1;
                if frames > 1 {
                    break;
                }
                let Some(&local) = b.get(i + 9) else { break };
                let table = if local & 0x80 != 0 {
                    3 << ((local & 7) + 1)
                } else {
                    0
                };
                // Descriptor (10), local table, LZW code size (1), data.
                match skip_sub_blocks(i + 10 + table + 1) {
                    Some(next) => next,
                    None => break,
                }
            }
            _ => break,
        };
    }
    frames
}

/// Whether a PNG has a chunk of type `kind` before its image data.
fn png_has_chunk(b: &[u8], kind: &[u8; 4]) -> bool {
    let mut i = 8;
    while let (Some(len), Some(t)) = (b.get(i..i + 4), b.get(i + 4..i + 8)) {
        if t == kind {
            return true;
        }
        if t == b"IDAT" {
            return false;
        }
        let len = u32::from_be_bytes([len[0], len[1], len[2], len[3]]) as usize;
        i = i.saturating_add(12).saturating_add(len);
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::converters::epub::media::sniff_image;

    fn picture(w: u32, h: u32, format: ImageFormat) -> Vec<u8> {
        let img = image::RgbImage::from_fn(w, h, |x, y| {
            image::Rgb([(x * 7) as u8, (y * 5) as u8, ((x ^ y) * 3) as u8])
        });
        let mut out = Cursor::new(Vec::new());
        DynamicImage::ImageRgb8(img)
            .write_to(&mut out, format)
            .unwrap();
        out.into_inner()
    }

    fn width(bytes: &[u8]) -> (u32, u32) {
        image::load_from_memory(bytes)
            .unwrap()
            .into_rgb8()
            .dimensions()
    }

    const WIDE: Shrink = Shrink {
        max_width: Some(100),
        jpeg_quality: JPEG_QUALITY,
        recompress_jpeg: false,
    };

    #[test]
    fn wide_images_are_scaled_in_their_own_format_and_narrow_ones_kept() {
        for format in [
            ImageFormat::Jpeg,
            ImageFormat::Png,
            ImageFormat::Gif,
            ImageFormat::WebP,
        ] {
            let wide = picture(400, 200, format);
            let kind = sniff_image(&wide).unwrap();
            let out = shrink(&wide, kind, &WIDE);
            let bytes = out
                .new_bytes()
                .unwrap_or_else(|| panic!("{format:?}: {out:?}"));
            assert_eq!(sniff_image(bytes), Some(kind), "{format:?}");
            assert_eq!(width(bytes), (100, 50), "{format:?}");
            let narrow = picture(80, 200, format);
            assert!(
                matches!(shrink(&narrow, kind, &WIDE), Outcome::Unchanged),
                "{format:?}"
            );
        }
    }

    #[test]
    fn corrupt_huge_and_animated_images_are_left_with_a_reason() {
        let mut png = picture(400, 200, ImageFormat::Png);
        png.truncate(60);
        let kind = sniff_image(&png).unwrap();
        assert!(matches!(shrink(&png, kind, &WIDE), Outcome::LeftAsIs(_)));
        // A JPEG whose frame header claims 60,000 × 60,000 pixels: refused
        // by the limits before any memory is taken for it.
        let mut bomb = picture(400, 200, ImageFormat::Jpeg);
        let sof = bomb.windows(2).position(|w| w == [0xFF, 0xC0]).unwrap();
        bomb[sof + 5..sof + 7].copy_from_slice(&60_000u16.to_be_bytes());
        bomb[sof + 7..sof + 9].copy_from_slice(&60_000u16.to_be_bytes());
        match shrink(&bomb, sniff_image(&bomb).unwrap(), &WIDE) {
            Outcome::LeftAsIs(why) => assert!(why.contains("too large"), "{why}"),
            other => panic!("{other:?}"),
        }
        let mut gif = Vec::new();
        {
            let mut enc = GifEncoder::new(&mut gif);
            for shade in [0u8, 255] {
                let frame = image::RgbaImage::from_pixel(300, 10, image::Rgba([shade, 0, 0, 255]));
                enc.encode_frame(image::Frame::new(frame)).unwrap();
            }
        }
        assert_eq!(gif_frames(&gif), 2);
        assert_eq!(gif_frames(&picture(300, 10, ImageFormat::Gif)), 1);
        match shrink(&gif, sniff_image(&gif).unwrap(), &WIDE) {
            Outcome::LeftAsIs(why) => assert!(why.contains("animated"), "{why}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn recompressing_keeps_a_jpeg_only_when_smaller() {
        let jpeg = picture(90, 90, ImageFormat::Jpeg);
        let kind = sniff_image(&jpeg).unwrap();
        let low = Shrink {
            max_width: Some(100),
            jpeg_quality: 40,
            recompress_jpeg: true,
        };
        let out = shrink(&jpeg, kind, &low);
        let bytes = out.new_bytes().expect("smaller at quality 40");
        assert!(bytes.len() < jpeg.len());
        assert_eq!(width(bytes), (90, 90));
        // The same input gives the same bytes (the size plan relies on it).
        assert_eq!(shrink(&jpeg, kind, &low).new_bytes(), Some(bytes));
    }
}
