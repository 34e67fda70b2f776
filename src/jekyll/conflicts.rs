//! Two files claiming one URL, reported as Jekyll's `doctor` reports them:
//! both are kept in the IR (each converter decides what it can write), and
//! every file of the clash gets a warning naming the others.

use crate::fast_hash::FastMap as HashMap;

use rayon::prelude::*;

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
    // Destinations are made in parallel (unescaping every URL is most of
    // the work); the map is filled in order, so claims keep theirs.
    let docs: Vec<(String, &str, &str)> = documents
        .par_iter()
        .filter(|d| d.output && d.published)
        .map(|d| (destination(&d.url, true), d.source.as_str(), d.url.as_str()))
        .collect();
    let files: Vec<(String, &str, &str)> = statics
        .par_iter()
        .map(|s| {
            (
                destination(&s.url, false),
                s.source.as_str(),
                s.url.as_str(),
            )
        })
        .collect();
    let mut by_dest: HashMap<String, Vec<(&str, &str)>> = HashMap::default();
    for (dest, source, url) in docs.into_iter().chain(files) {
        by_dest.entry(dest).or_default().push((source, url));
    }
    // Clashes are reported in the order of their destinations.
    let mut clashes: Vec<(String, Vec<(&str, &str)>)> =
        by_dest.into_iter().filter(|(_, c)| c.len() > 1).collect();
    clashes.sort_by(|a, b| a.0.cmp(&b.0));
    let mut diags = Vec::new();
    for (dest, claims) in clashes {
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
