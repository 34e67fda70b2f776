//! The conversion benchmark: generates synthetic sites (src/synth.rs), then
//! times `cp -r` of each site as the floor and every converter on it, and
//! prints median wall time, its ratio to the floor, median CPU time (user +
//! system, all threads) and peak memory.
//!
//! `cargo bench --bench convert` (sizes and runs via `BENCH_SIZES=1000,10000`
//! and `BENCH_RUNS=3`; converters via `BENCH_FORMATS=hugo,zola,jsonfeed,epub`).
//!
//! Then a book of pictures: 100 posts with `BENCH_IMAGES_MIB` (default 200;
//! 0 skips it) of noise JPEGs and PNGs, which nothing compresses, timed
//! against `cp -r` of that site, to EPUB as it is and with
//! `--max-book-size 50MB`, with peak memory and the book's size. Only this
//! part: `BENCH_SIZES= BENCH_RUNS=1 cargo bench --bench convert`.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

fn env_list(name: &str, default: &str) -> Vec<String> {
    std::env::var(name)
        .unwrap_or_else(|_| default.to_string())
        .split(',')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// CPU time (user + system, all threads) of the children this process has
/// waited for, from `/proc/self/stat` (`cutime`, `cstime`; 100 ticks a
/// second on Linux). Wall time swings with the file system's state; CPU
/// time much less.
fn children_cpu() -> Duration {
    Duration::from_millis(jekyll_migrate::progress::stat_ticks(13) * 10)
}

/// Runs `cmd` once, returning wall time, CPU time and the peak RSS it
/// reported (KiB).
fn time_run(cmd: &mut Command) -> (Duration, Duration, Option<u64>) {
    let cpu0 = children_cpu();
    let start = Instant::now();
    let out = cmd.output().expect("command runs");
    let took = start.elapsed();
    let cpu = children_cpu().saturating_sub(cpu0);
    assert!(
        out.status.success() || out.status.code() == Some(1),
        "command failed: {:?}\n{}",
        cmd,
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    let rss = stderr
        .lines()
        .find_map(|l| l.strip_prefix("peak_rss_kib: "))
        .and_then(|v| v.trim().parse().ok());
    (took, cpu, rss)
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` passes nothing
    // useful either: run only when asked to benchmark.
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let exe = env!("CARGO_BIN_EXE_jekyll-migrate");
    let sizes: Vec<usize> = env_list("BENCH_SIZES", "1000,10000")
        .iter()
        .filter_map(|s| s.parse().ok())
        .collect();
    let runs: usize = std::env::var("BENCH_RUNS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3)
        .max(1);
    let formats = env_list("BENCH_FORMATS", "hugo,zola,jsonfeed,epub");
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let work = tempfile::tempdir().expect("temp dir");
    println!("jekyll-migrate bench: {cores} cores, {runs} runs each, median wall time");
    println!(
        "{:>7}  {:<9} {:>9} {:>9} {:>9} {:>10}",
        "posts", "job", "median s", "x floor", "cpu s", "peak MiB"
    );
    for &n in &sizes {
        let site = work.path().join(format!("site-{n}"));
        jekyll_migrate::synth::generate(&site, n, 42).expect("site generated");
        // Jobs take turns within each run, and nothing is deleted until a
        // size is done: ext4 skips inodes freed in the last minutes when it
        // allocates new ones, so deleting one job's output made the next
        // job's file creation several times slower (seen: the same `cp -r`
        // at 0.4 s, then 3.7 s right after an `rm -rf`).
        let mut jobs: Vec<&str> = vec!["cp -r"];
        jobs.extend(formats.iter().map(String::as_str));
        let mut times: Vec<Vec<Duration>> = vec![Vec::new(); jobs.len()];
        let mut cpus: Vec<Vec<Duration>> = vec![Vec::new(); jobs.len()];
        let mut peaks = vec![0u64; jobs.len()];
        let mut outputs = Vec::new();
        for i in 0..runs {
            for (j, job) in jobs.iter().enumerate() {
                let out = out_path(work.path(), job, n, i);
                let (t, cpu, rss) = if *job == "cp -r" {
                    time_run(Command::new("cp").arg("-r").arg(&site).arg(&out))
                } else {
                    time_run(
                        Command::new(exe)
                            .args(["convert"])
                            .arg(&site)
                            .args(["--to", job, "--quiet", "-o"])
                            .arg(&out)
                            .env("JEKYLL_MIGRATE_PEAK_RSS", "1"),
                    )
                };
                times[j].push(t);
                cpus[j].push(cpu);
                peaks[j] = peaks[j].max(rss.unwrap_or(0));
                outputs.push(out);
            }
        }
        let medians: Vec<Duration> = times.into_iter().map(median).collect();
        let cpu_medians: Vec<Duration> = cpus.into_iter().map(median).collect();
        let floor = medians[0].as_secs_f64().max(1e-9);
        for (j, job) in jobs.iter().enumerate() {
            let peak = if j == 0 {
                "-".to_string()
            } else {
                format!("{:.1}", peaks[j] as f64 / 1024.0)
            };
            println!(
                "{n:>7}  {:<9} {:>9.3} {:>9.2} {:>9.2} {:>10}",
                job,
                medians[j].as_secs_f64(),
                medians[j].as_secs_f64() / floor,
                cpu_medians[j].as_secs_f64(),
                peak
            );
        }
        for out in outputs {
            let _ = std::fs::remove_dir_all(&out);
            let _ = std::fs::remove_file(&out);
        }
        let _ = std::fs::remove_dir_all(&site);
    }
    let image_mib: u64 = std::env::var("BENCH_IMAGES_MIB")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(200);
    if image_mib > 0 {
        image_bench(exe, work.path(), image_mib, runs);
    }
}

/// A noise picture (xorshift), `w` × `h`, in `format`: incompressible, as
/// photos are to deflate, and quick to make.
fn noise_image(w: u32, h: u32, seed: u64, format: image::ImageFormat) -> Vec<u8> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut px = vec![0u8; (w * h * 3) as usize];
    for chunk in px.chunks_mut(8) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let b = x.to_le_bytes();
        chunk.copy_from_slice(&b[..chunk.len()]);
    }
    let img = image::RgbImage::from_raw(w, h, px).expect("buffer size");
    let mut out = std::io::Cursor::new(Vec::new());
    match format {
        image::ImageFormat::Jpeg => {
            let enc = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90);
            img.write_with_encoder(enc).expect("JPEG")
        }
        _ => {
            let enc = image::codecs::png::PngEncoder::new_with_quality(
                &mut out,
                image::codecs::png::CompressionType::Fast,
                image::codecs::png::FilterType::NoFilter,
            );
            img.write_with_encoder(enc).expect("PNG")
        }
    }
    out.into_inner()
}

/// The synthetic blog of 100 posts with `mib` MiB of pictures: JPEGs of
/// 1600 × 900 and, one in three, PNGs of 1000 × 700 (2 to 3 MiB each),
/// shown by the posts in turn.
fn site_with_pictures(site: &Path, mib: u64) -> u64 {
    jekyll_migrate::synth::generate(site, 100, 42).expect("site generated");
    let pics = site.join("assets/pictures");
    std::fs::create_dir_all(&pics).expect("pictures folder");
    let mut posts: Vec<_> = std::fs::read_dir(site.join("_posts"))
        .expect("posts")
        .map(|e| e.expect("entry").path())
        .collect();
    posts.sort();
    let mut total = 0u64;
    let mut k = 0usize;
    while total < mib * 1024 * 1024 {
        let (name, bytes) = if k % 3 == 2 {
            let b = noise_image(1000, 700, k as u64, image::ImageFormat::Png);
            (format!("pic-{k}.png"), b)
        } else {
            let b = noise_image(1600, 900, k as u64, image::ImageFormat::Jpeg);
            (format!("pic-{k}.jpg"), b)
        };
        total += bytes.len() as u64;
        std::fs::write(pics.join(&name), bytes).expect("picture");
        let post = &posts[k % posts.len()];
        let mut text = std::fs::read_to_string(post).expect("post");
        // The synthetic site has a baseurl, which site links carry.
        text.push_str(&format!(
            "\n\n![picture {k}]({{{{ site.baseurl }}}}/assets/pictures/{name})\n"
        ));
        std::fs::write(post, text).expect("post");
        k += 1;
    }
    println!(
        "book of pictures: 100 posts, {k} pictures, {:.1} MiB",
        total as f64 / (1024.0 * 1024.0)
    );
    total
}

/// `cp -r` of the site of pictures, the EPUB as it is and the EPUB with
/// `--max-book-size 50MB`, taking turns; median wall time, its ratio to
/// the copy, CPU time, peak memory and the book's size.
fn image_bench(exe: &str, work: &Path, mib: u64, runs: usize) {
    let site = work.join("site-pictures");
    let made = Instant::now();
    let pictures = site_with_pictures(&site, mib);
    println!("(made in {:.1} s)", made.elapsed().as_secs_f64());
    let jobs: [(&str, &[&str]); 3] = [
        ("cp -r", &[]),
        ("epub", &[]),
        ("epub 50MB", &["--max-book-size", "50MB"]),
    ];
    let mut times: Vec<Vec<Duration>> = vec![Vec::new(); jobs.len()];
    let mut cpus: Vec<Vec<Duration>> = vec![Vec::new(); jobs.len()];
    let mut peaks = vec![0u64; jobs.len()];
    let mut sizes = vec![0u64; jobs.len()];
    for i in 0..runs {
        for (j, (job, flags)) in jobs.iter().enumerate() {
            let out = work.join(format!("pictures-{j}-{i}"));
            let (t, cpu, rss) = if *job == "cp -r" {
                time_run(Command::new("cp").arg("-r").arg(&site).arg(&out))
            } else {
                time_run(
                    Command::new(exe)
                        .arg("convert")
                        .arg(&site)
                        .args(["--to", "epub", "--quiet", "-o"])
                        .arg(&out)
                        .args(*flags)
                        .env("JEKYLL_MIGRATE_PEAK_RSS", "1"),
                )
            };
            times[j].push(t);
            cpus[j].push(cpu);
            peaks[j] = peaks[j].max(rss.unwrap_or(0));
            if out.is_file() {
                sizes[j] = std::fs::metadata(&out).map_or(0, |m| m.len());
            }
        }
    }
    // A book without its pictures would time nothing of what is meant.
    assert!(
        sizes[1] > pictures / 10 * 9,
        "the book ({} bytes) lacks the pictures ({pictures} bytes)",
        sizes[1]
    );
    let medians: Vec<Duration> = times.into_iter().map(median).collect();
    let floor = medians[0].as_secs_f64().max(1e-9);
    println!(
        "{:<10} {:>9} {:>9} {:>9} {:>10} {:>10}",
        "job", "median s", "x cp -r", "cpu s", "peak MiB", "book MiB"
    );
    for (j, (job, _)) in jobs.iter().enumerate() {
        let (peak, size) = if j == 0 {
            ("-".to_string(), "-".to_string())
        } else {
            (
                format!("{:.1}", peaks[j] as f64 / 1024.0),
                format!("{:.2}", sizes[j] as f64 / (1024.0 * 1024.0)),
            )
        };
        println!(
            "{:<10} {:>9.3} {:>9.2} {:>9.2} {:>10} {:>10}",
            job,
            medians[j].as_secs_f64(),
            medians[j].as_secs_f64() / floor,
            median(cpus[j].clone()).as_secs_f64(),
            peak,
            size
        );
    }
}

fn out_path(work: &Path, format: &str, n: usize, i: usize) -> std::path::PathBuf {
    match format {
        "cp -r" => work.join(format!("cp-{n}-{i}")),
        "jsonfeed" => work.join(format!("feed-{n}-{i}.json")),
        "epub" => work.join(format!("book-{n}-{i}.epub")),
        _ => work.join(format!("{format}-{n}-{i}")),
    }
}
