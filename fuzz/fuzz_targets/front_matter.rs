//! Fuzz target: any bytes as a source file (see `checks::front_matter`).
#![no_main]

mod checks;

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| checks::front_matter(bytes));
