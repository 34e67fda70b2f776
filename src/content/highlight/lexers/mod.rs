//! Focused lexers for the languages where a Sublime grammar cannot give
//! rouge's spans: each follows the rules of rouge 3.x's lexer for that
//! language (the version Jekyll sites are built with), on a small
//! rouge-style state machine ([`engine`]).

pub mod console;
pub mod coq;
pub mod engine;
pub mod handlebars;
pub mod liquid;
pub mod markdown;
pub mod python;
pub mod ruby;
