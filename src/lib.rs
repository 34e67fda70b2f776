//! jekyll-migrate: read a whole Jekyll site once into an intermediate
//! representation and hand it to converters that write a Hugo site, a Zola
//! site, a JSON Feed or an EPUB book.
//!
//! Data flows one way: [`jekyll`] (reader) → [`ir`] → [`content`] →
//! [`converters`].

pub mod authors;
pub mod cli;
pub mod content;
pub mod diagnostics;
pub mod dialect;
pub mod fast_hash;
pub mod find;
pub mod html_attrs;
pub mod ir;
pub mod jekyll;
pub mod lang;
pub mod line_split;
pub mod output;
pub mod progress;
pub mod report;
pub mod sass;
pub mod synth;
pub mod text;
pub mod urls;

#[path = "../converters/mod.rs"]
pub mod converters;
