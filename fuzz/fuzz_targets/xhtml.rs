//! Fuzz target: any text as a post's HTML, made into an EPUB whose XHTML
//! must be well-formed (see `checks::xhtml`).
#![no_main]

mod checks;

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| checks::xhtml(bytes));
