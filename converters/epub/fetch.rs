//! `--fetch-images`: remote images downloaded so the book shows them.
//!
//! Each URL is fetched once per run, a few at a time, with a timeout, a size
//! cap and a limit on redirects; the answer must say it is an image and its
//! bytes must be one ([`super::media::sniff_image`], the check local images
//! pass). Good images are kept in a cache folder, keyed by a hash of the URL,
//! so a second run asks the network for none of them. A cached image is
//! handed on as its cache file, not its bytes: the book reads it when it
//! zips it, so downloads are not all held in memory. Failures are not
//! cached: a server that was down is tried again next time.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use crate::converters::ImageFetch;
use crate::fast_hash::FastMap as HashMap;

use super::media::{sniff_file, sniff_image, ImageData, ImageType};

/// Redirects followed for one image (CDNs use one or two).
const MAX_REDIRECTS: u32 = 5;

/// What fetching gave for each URL: the image, or why there is none.
pub type Fetched = HashMap<String, Result<FetchedImage, String>>;

/// One image fetched (or found in the cache).
#[derive(Debug, Clone)]
pub struct FetchedImage {
    /// Its type, from its bytes.
    pub kind: ImageType,
    /// Its cache file, or its bytes when it could not be cached.
    pub data: ImageData,
    /// Its size in bytes.
    pub len: u64,
}

/// Fetches every URL in `urls` (duplicates once) and returns the results,
/// and a problem with the cache folder, if it could not be used.
pub fn fetch_all(urls: &[String], opts: &ImageFetch) -> (Fetched, Option<String>) {
    let mut unique: Vec<&str> = urls.iter().map(String::as_str).collect();
    unique.sort_unstable();
    unique.dedup();
    let (cache, cache_problem) = match opts.cache_dir.clone().or_else(default_cache_dir) {
        Some(dir) => match std::fs::create_dir_all(&dir) {
            Ok(()) => (Some(dir), None),
            Err(e) => {
                let why = format!("the image cache {} could not be made ({e}); images are downloaded but not kept", dir.display());
                (None, Some(why))
            }
        },
        None => (
            None,
            Some("no cache folder was found (no XDG_CACHE_HOME or HOME); pass --image-cache DIR to keep downloaded images".into()),
        ),
    };
    let agent = agent(opts);
    crate::progress::count("images", "fetching", Some(unique.len() as u64));
    let next = AtomicUsize::new(0);
    let results = Mutex::new(Fetched::default());
    let workers = opts.parallel.clamp(1, 16).min(unique.len());
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(url) = unique.get(i) else { break };
                let got = fetch_one(&agent, url, opts, cache.as_deref());
                if let Ok(mut r) = results.lock() {
                    r.insert((*url).to_string(), got);
                }
                crate::progress::tick();
            });
        }
    });
    (results.into_inner().unwrap_or_default(), cache_problem)
}

/// The user's cache folder for images: `$XDG_CACHE_HOME` (absolute only,
/// as the XDG spec says), else `~/.cache`, or `%LOCALAPPDATA%` on Windows.
fn default_cache_dir() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| std::env::var_os("LOCALAPPDATA").map(PathBuf::from))
        .or_else(|| {
            std::env::var_os("HOME")
                .filter(|h| !h.is_empty())
                .map(|h| PathBuf::from(h).join(".cache"))
        })?;
    Some(base.join("jekyll-migrate").join("images"))
}

fn agent(opts: &ImageFetch) -> ureq::Agent {
    let t = opts.timeout;
    ureq::Agent::config_builder()
        .https_only(!opts.allow_http)
        .http_status_as_error(false)
        .max_redirects(MAX_REDIRECTS)
        .timeout_connect(Some(t))
        // A server that stops sending for `t` fails; a slow one that keeps
        // sending may take longer, up to a bound.
        .timeout_per_read(Some(t))
        .timeout_global(Some(t.saturating_mul(6)))
        .user_agent(concat!("jekyll-migrate/", env!("CARGO_PKG_VERSION")))
        .build()
        .into()
}

/// The cache file's name: the URL's UUID v5 (SHA-1 in the URL namespace,
/// the identifier the book's `dc:identifier` is made with too) as 32 hex
/// digits, the same on every machine and Rust release.
fn cache_key(url: &str) -> String {
    uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_URL, url.as_bytes())
        .simple()
        .to_string()
}

/// The cache file of `url`, when the cache holds a valid image of it
/// (the `.url` file beside it rules out a hash collision).
fn from_cache(dir: &Path, url: &str) -> Option<FetchedImage> {
    let key = cache_key(url);
    let stored = std::fs::read_to_string(dir.join(format!("{key}.url"))).ok()?;
    if stored != url {
        return None;
    }
    let path = dir.join(format!("{key}.img"));
    match sniff_file(&path).ok()? {
        (Some(kind), len) => Some(FetchedImage {
            kind,
            data: ImageData::File(path),
            len,
        }),
        (None, _) => None,
    }
}

/// Keeps `bytes` for next time; written aside and renamed so a run that
/// stops midway leaves no half file under the real name. The cache file,
/// when it was written.
fn store(dir: &Path, url: &str, bytes: &[u8]) -> Option<PathBuf> {
    let key = cache_key(url);
    let tmp = dir.join(format!("{key}.{}.tmp", std::process::id()));
    let path = dir.join(format!("{key}.img"));
    let ok = std::fs::write(&tmp, bytes).is_ok() && std::fs::rename(&tmp, &path).is_ok();
    if ok {
        let _ = std::fs::write(dir.join(format!("{key}.url")), url);
        Some(path)
    } else {
        let _ = std::fs::remove_file(&tmp);
        None
    }
}

/// One image: from the cache, else from the network.
fn fetch_one(
    agent: &ureq::Agent,
    url: &str,
    opts: &ImageFetch,
    cache: Option<&Path>,
) -> Result<FetchedImage, String> {
    let scheme = url.split(':').next().unwrap_or("").to_ascii_lowercase();
    match scheme.as_str() {
        "https" => {}
        "http" if opts.allow_http => {}
        "http" => return Err("it is served over plain http; pass --allow-http to fetch it".into()),
        _ => return Err(format!("the {scheme}: scheme is not fetched")),
    }
    if let Some(got) = cache.and_then(|d| from_cache(d, url)) {
        return Ok(got);
    }
    let bytes = download(agent, url, opts)?;
    // download() checked the bytes are an image.
    let kind = sniff_image(&bytes).ok_or("its bytes are not an image")?;
    let len = bytes.len() as u64;
    // Once cached, the book reads the file: the bytes need not be kept.
    let data = match cache.and_then(|dir| store(dir, url, &bytes)) {
        Some(path) => ImageData::File(path),
        None => ImageData::Bytes(bytes.into()),
    };
    Ok(FetchedImage { kind, data, len })
}

fn download(agent: &ureq::Agent, url: &str, opts: &ImageFetch) -> Result<Vec<u8>, String> {
    let mut resp = agent
        .get(url)
        .header("Accept", "image/*")
        .call()
        .map_err(|e| reason(&e, opts))?;
    let status = resp.status();
    if !status.is_success() {
        return Err(format!("the server answered {status}"));
    }
    let ctype = resp
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    // Object stores often send images as octet-stream; the bytes decide then.
    let image_like = ctype.is_empty()
        || ctype.starts_with("image/")
        || ctype == "application/octet-stream"
        || ctype == "binary/octet-stream";
    if !image_like {
        return Err(format!("the server sent {ctype}, not an image"));
    }
    if resp
        .body()
        .content_length()
        .is_some_and(|n| n > opts.max_bytes)
    {
        return Err(too_large(opts));
    }
    let bytes = resp
        .body_mut()
        .with_config()
        .limit(opts.max_bytes)
        .read_to_vec()
        .map_err(|e| reason(&e, opts))?;
    if sniff_image(&bytes).is_none() {
        return Err("its bytes are not a JPEG, PNG, GIF, WebP or SVG image".into());
    }
    Ok(bytes)
}

fn too_large(opts: &ImageFetch) -> String {
    format!(
        "it is larger than the {} cap (--image-max-size)",
        human_size(opts.max_bytes)
    )
}

/// `20 MiB`, `512 KiB` or `100 bytes`.
fn human_size(n: u64) -> String {
    if n >= 1024 * 1024 && n.is_multiple_of(1024 * 1024) {
        format!("{} MiB", n / (1024 * 1024))
    } else if n >= 1024 && n.is_multiple_of(1024) {
        format!("{} KiB", n / 1024)
    } else {
        format!("{n} bytes")
    }
}

/// A ureq error in words for the diagnostic.
fn reason(e: &ureq::Error, opts: &ImageFetch) -> String {
    match e {
        ureq::Error::Timeout(_) => format!("no answer within {} (timed out)", secs(opts.timeout)),
        ureq::Error::BodyExceedsLimit(_) => too_large(opts),
        ureq::Error::TooManyRedirects => format!("more than {MAX_REDIRECTS} redirects"),
        ureq::Error::HostNotFound => "the host name was not found".into(),
        ureq::Error::ConnectionFailed => "the connection failed".into(),
        ureq::Error::RequireHttpsOnly(_) => {
            "it redirects to plain http; pass --allow-http to follow".into()
        }
        ureq::Error::Tls(_) | ureq::Error::Rustls(_) => format!("TLS error: {e}"),
        ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::TimedOut => {
            format!("no answer within {} (timed out)", secs(opts.timeout))
        }
        other => other.to_string(),
    }
}

fn secs(d: Duration) -> String {
    format!("{} s", d.as_secs_f64())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cache_key_is_stable_and_differs_by_url() {
        assert_eq!(cache_key("https://a/b.png"), cache_key("https://a/b.png"));
        assert_ne!(cache_key("https://a/b.png"), cache_key("https://a/c.png"));
        assert_eq!(cache_key("").len(), 32);
    }

    #[test]
    fn sizes_read_well() {
        assert_eq!(human_size(20 * 1024 * 1024), "20 MiB");
        assert_eq!(human_size(2048), "2 KiB");
        assert_eq!(human_size(1000), "1000 bytes");
    }

    #[test]
    fn schemes_are_refused_before_any_request() {
        let opts = ImageFetch::default();
        let a = agent(&opts);
        let r = fetch_one(&a, "http://127.0.0.1:9/x.png", &opts, None);
        assert!(r.unwrap_err().contains("--allow-http"));
        let r = fetch_one(&a, "ftp://ex.org/x.png", &opts, None);
        assert!(r.unwrap_err().contains("ftp:"));
    }
}
