//! Fuzz target: any text through the content layer (see `checks::content`).
#![no_main]

mod checks;

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| checks::content(bytes));
