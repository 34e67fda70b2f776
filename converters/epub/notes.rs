//! Diagnostics of one document, each reported once, at the source line
//! where what it is about was written (rendered HTML has no lines of its
//! own, so the first occurrence of a telling string in the body is used).

use crate::fast_hash::FastSet as HashSet;

use crate::diagnostics::{Diagnostic, Severity};

/// Collects the diagnostics of one document.
#[derive(Debug)]
pub struct Notes<'a> {
    source: &'a str,
    body: &'a str,
    body_line: usize,
    seen: HashSet<(String, String)>,
    /// What was recorded, in order.
    pub list: Vec<Diagnostic>,
}

impl<'a> Notes<'a> {
    /// Notes for the document at `source` whose body starts at `body_line`.
    pub fn new(source: &'a str, body: &'a str, body_line: usize) -> Self {
        Notes {
            source,
            body,
            body_line,
            seen: HashSet::default(),
            list: Vec::new(),
        }
    }

    /// Records a diagnostic unless the same one was recorded already.
    pub fn add(&mut self, severity: Severity, kind: &str, needle: Option<&str>, message: String) {
        if !self.seen.insert((kind.to_string(), message.clone())) {
            return;
        }
        let line = needle
            .filter(|n| !n.is_empty())
            .and_then(|n| self.body.find(n))
            .map(|at| self.body_line + self.body[..at].matches('\n').count())
            .unwrap_or(self.body_line);
        let mut d = Diagnostic::new(severity, kind, self.source, message);
        d.line = Some(line);
        self.list.push(d);
    }
}
