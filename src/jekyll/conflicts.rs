//! Two files claiming one URL, reported as Jekyll's `doctor` reports them:
//! both are kept in the IR (each converter decides what it can write), and
//! every file of the clash gets a warning naming the others.

use std::collections::BTreeMap;

use super::url::unescape_path;
use crate::diagnostics::Diagnostic;
use crate::ir::{Document, StaticFile};

/// The file a URL is written to below the site's destination, as Jekyll's
/// `destination` computes it: decoded, `index.html` for a folder URL, and
/// `.html` added to an extension-less document URL (Jekyll adds the output
/// extension, which is `.html` for Markdown and HTML documents).
fn destination(url: &str, is_document: bool) -> String {
    let path = unescape_path(url);
    if path.ends_with('/') {
        format!("{path}index.html")
    } else if is_document && !path.rsplit('/').next().unwrap_or("").contains('.') {
        format!("{path}.html")
    } else {
        path
    }
}

/// Warnings for every destination claimed by more than one written file.
pub fn check(documents: &[Document], statics: &[StaticFile]) -> Vec<Diagnostic> {
    let mut by_dest: BTreeMap<String, Vec<(&str, &str)>> = BTreeMap::new();
    for d in documents.iter().filter(|d| d.output && d.published) {
        by_dest
            .entry(destination(&d.url, true))
            .or_default()
            .push((&d.source, &d.url));
    }
    for s in statics {
        by_dest
            .entry(destination(&s.url, false))
            .or_default()
            .push((&s.source, &s.url));
    }
    let mut diags = Vec::new();
    for (dest, claims) in by_dest.into_iter().filter(|(_, c)| c.len() > 1) {
        for (i, (source, url)) in claims.iter().enumerate() {
            let others: Vec<&str> = claims
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .map(|(_, (s, _))| *s)
                .collect();
            diags.push(Diagnostic::warning(
                "url-conflict",
                *source,
                format!(
                    "its URL {url} is written to {dest}, which {} also claims{}; Jekyll writes \
                     only one of them there; both are kept, give one a `permalink` of its own",
                    others.join(", "),
                    if others.len() > 1 {
                        " (all of them)"
                    } else {
                        ""
                    },
                ),
            ));
        }
    }
    diags
}

#[cfg(test)]
mod tests {
    use super::destination;

    #[test]
    fn destinations_as_jekyll_computes_them() {
        assert_eq!(destination("/a/", true), "/a/index.html");
        assert_eq!(destination("/a", true), "/a.html");
        assert_eq!(destination("/a.html", true), "/a.html");
        assert_eq!(destination("/img/a%20b.png", false), "/img/a b.png");
        assert_eq!(destination("/LICENSE", false), "/LICENSE");
    }
}
