//! Any bytes as a source file: NUL and UTF-8 checks, byte-order mark, front
//! matter split, YAML as Psych reads it, CRLF normalisation. Then the same
//! text as a whole YAML document (`_config.yml`, `_data`).
#![no_main]

use jekyll_migrate::jekyll::{source, yaml};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let mut diags = Vec::new();
    if let Some(src) = source::from_bytes(bytes, "_posts/2020-01-01-fuzz.md", &mut diags) {
        // The body line must point inside the file (or just past its end).
        let lines = bytes.iter().filter(|b| **b == b'\n').count() + 2;
        assert!(src.body_line >= 1 && src.body_line <= lines);
        assert!(!src.body.contains("\r\n"));
    }
    for d in &diags {
        assert!(d.line.is_none_or(|l| l >= 1));
        assert!(d.column.is_none_or(|c| c >= 1));
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        let _ = yaml::parse(text);
    }
});
