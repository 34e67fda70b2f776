//! A book of any size: `--max-image-width` scales wide images in their own
//! format, `--max-book-size` brings a book of incompressible pictures
//! under its limit (or says by how much it misses), and the book streamed
//! into its file by the command line is byte for byte the one `build`
//! makes in memory. Images are read back from the books and decoded.
//!
//! No time or memory is asserted here: `cargo bench --bench convert` (the
//! `images` group) measures those.

mod common;

use std::io::{Cursor, Read};
use std::path::Path;
use std::process::Command;

use common::epubcheck::assert_valid;
use image::{DynamicImage, ImageFormat};
use jekyll_migrate::converters::{epub, ConvertOptions};
use jekyll_migrate::diagnostics::Severity;

const MIB: u64 = 1024 * 1024;

/// Pixels no codec can squeeze (xorshift noise), seeded so every run
/// makes the same picture.
fn noise(w: u32, h: u32, seed: u64) -> DynamicImage {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let img = image::RgbImage::from_fn(w, h, |_, _| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        image::Rgb([x as u8, (x >> 8) as u8, (x >> 16) as u8])
    });
    DynamicImage::ImageRgb8(img)
}

/// A smooth picture (gradients), for checks of size in pixels.
fn gradient(w: u32, h: u32) -> DynamicImage {
    DynamicImage::ImageRgb8(image::RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, ((x + y) % 256) as u8])
    }))
}

fn encoded(img: &DynamicImage, format: ImageFormat) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    match format {
        ImageFormat::Jpeg => {
            let enc = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 95);
            img.write_with_encoder(enc).expect("JPEG")
        }
        _ => img.write_to(&mut out, format).expect("image"),
    }
    out.into_inner()
}

/// A site whose posts each show one of `images` (name, bytes), with
/// `words` of text each.
fn site_with_images(images: &[(&str, Vec<u8>)], words: usize) -> tempfile::TempDir {
    let text = "lorem ipsum dolor sit amet ".repeat(words / 5);
    let mut files = vec![(
        "_config.yml".to_string(),
        "title: Pictures\nurl: https://pictures.example\n".to_string(),
    )];
    for (i, (name, _)) in images.iter().enumerate() {
        files.push((
            format!("_posts/2021-01-{:02}-post-{i}.md", i % 28 + 1),
            format!("---\ntitle: Post {i}\n---\n{text}\n\n![picture {i}](/assets/{name})\n"),
        ));
    }
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let dir = common::site_dir(&refs);
    std::fs::create_dir_all(dir.path().join("assets")).expect("assets");
    for (name, bytes) in images {
        std::fs::write(dir.path().join("assets").join(name), bytes).expect("image");
    }
    dir
}

/// Every image of the book but the cover, by its name in the book.
fn book_images(book: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut z = zip::ZipArchive::new(Cursor::new(book)).expect("a readable zip");
    let mut out = Vec::new();
    for i in 0..z.len() {
        let mut f = z.by_index(i).expect("entry");
        let name = f.name().to_string();
        if name.starts_with("EPUB/images/") && !name.contains("cover") {
            let mut b = Vec::new();
            f.read_to_end(&mut b).expect("bytes");
            out.push((name, b));
        }
    }
    out
}

fn image_named<'a>(images: &'a [(String, Vec<u8>)], part: &str) -> &'a [u8] {
    &images
        .iter()
        .find(|(n, _)| n.contains(part))
        .unwrap_or_else(|| panic!("no image named like {part} in {images:?}"))
        .1
}

fn size_in_pixels(bytes: &[u8]) -> (u32, u32) {
    let img = image::load_from_memory(bytes).expect("the image decodes");
    (img.width(), img.height())
}

fn run(site: &Path, extra: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_jekyll-migrate"))
        .arg("convert")
        .arg(site)
        .args(["--to", "epub", "--force"])
        .args(extra)
        .output()
        .expect("the binary runs")
}

/// `--max-image-width 500`: a wide JPEG and a wide PNG come out 500 px
/// wide, aspect kept, in their own format; a narrow one is the same bytes;
/// the book stays valid and the summary says what was scaled.
#[test]
fn max_image_width_scales_wide_jpeg_and_png_and_keeps_narrow_ones() {
    let wide_jpeg = encoded(&gradient(1200, 800), ImageFormat::Jpeg);
    let wide_png = encoded(&gradient(900, 300), ImageFormat::Png);
    let narrow = encoded(&gradient(300, 200), ImageFormat::Jpeg);
    let site = site_with_images(
        &[
            ("wide.jpg", wide_jpeg.clone()),
            ("wide.png", wide_png.clone()),
            ("narrow.jpg", narrow.clone()),
        ],
        20,
    );
    let site = common::read_rendered(site.path());
    let opts = ConvertOptions {
        max_image_width: Some(500),
        ..ConvertOptions::default()
    };
    let built = epub::build(&site, &opts).expect("a book");
    let images = book_images(&built.bytes);
    let jpeg = image_named(&images, "wide.jpg");
    assert_eq!(image::guess_format(jpeg).ok(), Some(ImageFormat::Jpeg));
    assert_eq!(size_in_pixels(jpeg), (500, 333));
    let png = image_named(&images, "wide.png");
    assert_eq!(image::guess_format(png).ok(), Some(ImageFormat::Png));
    assert_eq!(size_in_pixels(png), (500, 167));
    assert_eq!(image_named(&images, "narrow.jpg"), narrow.as_slice());
    let detail = built.detail.as_deref().unwrap_or("");
    assert!(
        detail.starts_with("book: ") && detail.contains("2 images scaled to at most 500 px wide"),
        "{detail}"
    );
    assert!(
        built
            .diagnostics
            .iter()
            .any(|d| d.kind == "epub-image-scaled" && d.message.contains("2 images")),
        "{:#?}",
        built.diagnostics
    );
    assert_valid("max-image-width", &built.bytes);

    // Without the flag the same images go in as they are.
    let plain = epub::build(&site, &ConvertOptions::default()).expect("a book");
    let plain_images = book_images(&plain.bytes);
    assert_eq!(image_named(&plain_images, "wide.jpg"), wide_jpeg.as_slice());
    assert_eq!(image_named(&plain_images, "wide.png"), wide_png.as_slice());
}

/// Twelve posts with about 20 MiB of noise pictures (JPEG and PNG, which
/// no deflating shrinks): with `--max-book-size 5MB` the book is under
/// 5 MiB, valid, and its images still decode; the summary and a note say
/// they were scaled.
#[test]
fn max_book_size_brings_a_book_of_20_mib_of_pictures_under_5_mib() {
    let images: Vec<(String, Vec<u8>)> = (0..12)
        .map(|i| {
            let (name, format) = if i % 3 == 0 {
                (format!("photo-{i}.png"), ImageFormat::Png)
            } else {
                (format!("photo-{i}.jpg"), ImageFormat::Jpeg)
            };
            (name, encoded(&noise(1000, 650, i), format))
        })
        .collect();
    let total: u64 = images.iter().map(|(_, b)| b.len() as u64).sum();
    assert!(total > 15 * MIB, "the pictures are {total} bytes");
    let named: Vec<(&str, Vec<u8>)> = images
        .iter()
        .map(|(n, b)| (n.as_str(), b.clone()))
        .collect();
    let dir = site_with_images(&named, 200);
    let site = common::read_rendered(dir.path());

    let plain = epub::build(&site, &ConvertOptions::default()).expect("a book");
    assert!(plain.bytes.len() as u64 > 15 * MIB, "{}", plain.bytes.len());

    let opts = ConvertOptions {
        max_book_size: Some(5 * MIB),
        ..ConvertOptions::default()
    };
    let built = epub::build(&site, &opts).expect("a book");
    let size = built.bytes.len() as u64;
    assert!(size <= 5 * MIB, "the book is {size} bytes");
    let inside = book_images(&built.bytes);
    assert_eq!(inside.len(), 12);
    for (name, bytes) in &inside {
        let (w, _) = size_in_pixels(bytes);
        assert!(w < 1000, "{name} is {w} px wide");
    }
    assert!(
        !built
            .diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error),
        "{:#?}",
        built.diagnostics
    );
    let detail = built.detail.as_deref().unwrap_or("");
    assert!(detail.contains("12 images scaled to at most"), "{detail}");
    assert!(
        built
            .diagnostics
            .iter()
            .any(|d| d.kind == "epub-image-scaled" && d.message.contains("--max-book-size 5.0 MiB")),
        "{:#?}",
        built.diagnostics
    );
    assert_valid("max-book-size", &built.bytes);
}

/// A limit that text alone passes: the book is still written, with every
/// image at the smallest step, and an error says by how much it misses;
/// the command line exits 1 and the book is there.
#[test]
fn an_unreachable_book_size_is_an_error_but_the_book_is_written() {
    let img = encoded(&noise(700, 400, 7), ImageFormat::Jpeg);
    let dir = site_with_images(&[("a.jpg", img.clone()), ("b.jpg", img)], 200);
    let outside = tempfile::tempdir().expect("temp dir");
    let out = outside.path().join("out.epub");
    let run = run(
        dir.path(),
        &["--max-book-size", "20K", "-o", out.to_str().expect("utf-8")],
    );
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("error[epub-book-too-big]")
            && stderr.contains("more than --max-book-size 20.0 KiB"),
        "{stderr}"
    );
    let book = std::fs::read(&out).expect("the book is written");
    assert!(book.len() as u64 > 20 * 1024);
    let images = book_images(&book);
    assert_eq!(images.len(), 2);
    for (name, bytes) in &images {
        assert_eq!(size_in_pixels(bytes).0, 480, "{name}");
    }
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(stdout.contains("(book: "), "{stdout}");
}

/// The book the command line streams into its file is byte for byte the
/// one `build` makes in memory, with images scaled or not.
#[test]
fn the_streamed_book_is_the_built_book() {
    let dir = site_with_images(
        &[
            ("wide.jpg", encoded(&gradient(1200, 800), ImageFormat::Jpeg)),
            ("small.png", encoded(&gradient(200, 100), ImageFormat::Png)),
        ],
        50,
    );
    let site = common::read_rendered(dir.path());
    let outside = tempfile::tempdir().expect("temp dir");
    for (flags, opts) in [
        (vec![], ConvertOptions::default()),
        (
            vec!["--max-image-width", "640"],
            ConvertOptions {
                max_image_width: Some(640),
                ..ConvertOptions::default()
            },
        ),
    ] {
        let out = outside.path().join("streamed.epub");
        let mut args = flags.clone();
        args.extend(["-o", out.to_str().expect("utf-8")]);
        let run = run(dir.path(), &args);
        assert!(run.status.code().is_some_and(|c| c <= 1), "{run:?}");
        let streamed = std::fs::read(&out).expect("the book");
        let built = epub::build(&site, &opts).expect("a book");
        assert!(streamed == built.bytes, "{flags:?}: the books differ");
    }
}

/// A size that is not one, or a width of 0, is a usage error naming the
/// flag; the flags belong to EPUB.
#[test]
fn bad_sizes_and_widths_are_usage_errors() {
    let dir = common::site_dir(&[("_config.yml", "title: T\n")]);
    for bad in ["0", "5TB", "abc", "-1M", "1.2.3M", ""] {
        // `=` so a value starting with `-` is a value, not a flag.
        let run = run(dir.path(), &[&format!("--max-book-size={bad}")]);
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert_eq!(run.status.code(), Some(2), "{bad:?}: {stderr}");
        assert!(stderr.contains("--max-book-size"), "{bad:?}: {stderr}");
        assert!(stderr.contains("50MiB"), "{bad:?}: {stderr}");
    }
    for bad in ["0", "wide", "-3"] {
        let run = run(dir.path(), &[&format!("--max-image-width={bad}")]);
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert_eq!(run.status.code(), Some(2), "{bad:?}: {stderr}");
        assert!(stderr.contains("--max-image-width"), "{bad:?}: {stderr}");
    }
    for flag in [["--max-book-size", "5MB"], ["--max-image-width", "800"]] {
        let run = Command::new(env!("CARGO_BIN_EXE_jekyll-migrate"))
            .arg("convert")
            .arg(dir.path())
            .args(["--to", "hugo"])
            .args(flag)
            .output()
            .expect("the binary runs");
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert_eq!(run.status.code(), Some(2), "{stderr}");
        assert!(
            stderr.contains(&format!("{} is an option of EPUB", flag[0])),
            "{stderr}"
        );
    }
}
