//! What a run prints: its diagnostics (as compilers print them, or as JSON
//! lines for editors and CI) and the summary line.

use std::io::Write as _;
use std::path::Path;

use serde::Serialize;

use super::args::MessageFormat;
use crate::diagnostics::{Diagnostic, Severity};
use crate::report;

/// `n` and the noun, singular for one, thousands separated: `1 warning`,
/// `10,002 documents`.
pub fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{} {many}", indicatif::HumanCount(n as u64))
    }
}

/// One diagnostic as `--message-format json` prints it.
#[derive(Serialize)]
struct JsonDiagnostic<'d> {
    #[serde(rename = "type")]
    kind_of_line: &'static str,
    file: String,
    line: Option<usize>,
    column: Option<usize>,
    severity: Severity,
    kind: &'d str,
    message: &'d str,
}

/// Prints `diags` at `min` severity and above: on stderr as text, or every
/// one (notes too) on stdout as JSON lines.
pub fn diagnostics(diags: &[Diagnostic], min: Severity, format: MessageFormat) {
    match format {
        MessageFormat::Human => {
            let stderr = std::io::stderr();
            let mut err = stderr.lock();
            for d in diags.iter().filter(|d| d.severity >= min) {
                let _ = writeln!(err, "{d}");
            }
        }
        MessageFormat::Json => {
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::new(stdout.lock());
            for d in diags {
                let line = JsonDiagnostic {
                    kind_of_line: "diagnostic",
                    file: d.shown_file(),
                    line: d.line,
                    column: d.column,
                    severity: d.severity,
                    kind: &d.kind,
                    message: &d.message,
                };
                if let Ok(s) = serde_json::to_string(&line) {
                    let _ = writeln!(out, "{s}");
                }
            }
        }
    }
}

/// What the summary line reports.
pub struct Summary<'a> {
    /// The format's `--to` name.
    pub format: &'a str,
    /// Documents written.
    pub documents: usize,
    /// Static and data files copied.
    pub files_copied: usize,
    /// What the converter adds about its output (a book's size).
    pub detail: Option<&'a str>,
    /// Every diagnostic of the run.
    pub diagnostics: &'a [Diagnostic],
    /// Seconds the run took.
    pub seconds: f64,
    /// Where the output is.
    pub out: &'a Path,
    /// The report file, when the output has one.
    pub report: Option<&'a Path>,
}

/// The severity's count with its kinds: `2 errors (liquid 1, yaml-syntax 1)`.
fn with_kinds(diags: &[Diagnostic], sev: Severity, one: &str, many: &str) -> String {
    let kinds: Vec<String> = report::counts_by_kind(diags)
        .into_iter()
        .filter(|((s, _), _)| *s == sev)
        .map(|((_, kind), n)| format!("{kind} {n}"))
        .collect();
    let n = diags.iter().filter(|d| d.severity == sev).count();
    if kinds.is_empty() {
        count(n, one, many)
    } else {
        format!("{} ({})", count(n, one, many), kinds.join(", "))
    }
}

impl Summary<'_> {
    /// The line printed at the end of a run.
    pub fn line(&self) -> String {
        let d = self.diagnostics;
        let notes = d.iter().filter(|x| x.severity == Severity::Info).count();
        let report = match self.report {
            Some(r) => format!("; every diagnostic is listed in {}", r.display()),
            None => String::new(),
        };
        let detail = match self.detail {
            Some(d) => format!(" ({d})"),
            None => String::new(),
        };
        format!(
            "{}: {} converted, {} copied, {}, {}, {}, in {:.2}s -> {}{detail}{report}",
            self.format,
            count(self.documents, "document", "documents"),
            count(self.files_copied, "file", "files"),
            with_kinds(d, Severity::Error, "error", "errors"),
            with_kinds(d, Severity::Warning, "warning", "warnings"),
            count(notes, "note", "notes"),
            self.seconds,
            self.out.display()
        )
    }

    /// The summary as the last JSON line of `--message-format json`.
    pub fn json(&self) -> String {
        let by = |s: Severity| self.diagnostics.iter().filter(|d| d.severity == s).count();
        serde_json::json!({
            "type": "summary",
            "format": self.format,
            "documents": self.documents,
            "files_copied": self.files_copied,
            "errors": by(Severity::Error),
            "warnings": by(Severity::Warning),
            "notes": by(Severity::Info),
            "seconds": self.seconds,
            "out": self.out.display().to_string(),
            "detail": self.detail,
            "report": self.report.map(|r| r.display().to_string()),
        })
        .to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_worded_with_plurals_and_kinds_follow_their_count() {
        let diags = vec![
            Diagnostic::warning("url-conflict", "a.md", "x"),
            Diagnostic::error("liquid", "b.md", "y"),
            Diagnostic::info("lang-guessed", "_config.yml", "z"),
        ];
        let s = Summary {
            format: "hugo",
            documents: 1,
            files_copied: 2,
            detail: None,
            diagnostics: &diags,
            seconds: 0.5,
            out: Path::new("out"),
            report: Some(Path::new("out/MIGRATION.md")),
        };
        assert_eq!(count(10_002, "document", "documents"), "10,002 documents");
        assert_eq!(count(0, "note", "notes"), "0 notes");
        assert_eq!(
            s.line(),
            "hugo: 1 document converted, 2 files copied, 1 error (liquid 1), \
             1 warning (url-conflict 1), 1 note, in 0.50s -> out; every diagnostic is listed \
             in out/MIGRATION.md"
        );
    }
}
