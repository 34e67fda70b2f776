//! Compiling a Sass page (`.scss`/`.sass` with front matter) to CSS, as
//! jekyll-sass-converter does, from the IR alone: the page's Liquid-rendered
//! text and the partials the reader loaded (`Site::sass`), through an
//! in-memory file system so nothing outside the IR is read.

use std::collections::HashMap;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::LazyLock;

use regex::Regex;

use crate::content::Node;
use crate::ir::{Document, Site};

/// Whether a document is a Sass page.
pub fn is_sass(doc: &Document) -> bool {
    matches!(doc.ext.to_ascii_lowercase().as_str(), ".scss" | ".sass")
}

/// The page's text after Liquid (the body as written when the content layer
/// has not run).
fn rendered_text(doc: &Document) -> String {
    if doc.content.is_empty() {
        return doc.body.clone();
    }
    doc.content
        .iter()
        .map(|n| match n {
            Node::Markdown { text, .. } | Node::Literal { text } => text.as_str(),
            Node::Html { html, .. } => html.as_str(),
            Node::Code { code, .. } => code.as_str(),
            Node::DocLink { url, .. } => url.as_str(),
            Node::Embed { fallback_html, .. } => fallback_html.as_str(),
            Node::Toc => "",
        })
        .collect()
}

/// Lexical normalisation (`a/./b/../c` → `a/c`); `..` above the root is
/// dropped, so lookups never leave the in-memory tree.
fn normalise(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::Normal(n) => out.push(n),
            Component::ParentDir => {
                out.pop();
            }
            _ => {}
        }
    }
    out
}

/// The files grass may read: the partials and the page itself.
#[derive(Debug)]
struct MemFs {
    files: HashMap<PathBuf, Vec<u8>>,
}

impl grass::Fs for MemFs {
    fn is_dir(&self, path: &Path) -> bool {
        let p = normalise(path);
        self.files.keys().any(|f| f.starts_with(&p) && *f != p)
    }

    fn is_file(&self, path: &Path) -> bool {
        self.files.contains_key(&normalise(path))
    }

    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        self.files
            .get(&normalise(path))
            .cloned()
            .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, "not in the site's Sass files"))
    }

    fn canonicalize(&self, path: &Path) -> io::Result<PathBuf> {
        Ok(normalise(path))
    }
}

/// Compiles a Sass page to CSS. The error is grass's message, to be put in a
/// diagnostic for the page.
pub fn compile(site: &Site, doc: &Document) -> Result<String, String> {
    let mut files: HashMap<PathBuf, Vec<u8>> = site
        .sass
        .iter()
        .map(|i| (normalise(Path::new(&i.name)), sass_source(&i.text)))
        .collect();
    let own = normalise(Path::new(&doc.source));
    files.insert(own.clone(), sass_source(&rendered_text(doc)));
    let fs = MemFs { files };
    let style = if site.config.sass_style == "compressed" {
        grass::OutputStyle::Compressed
    } else {
        grass::OutputStyle::Expanded
    };
    let syntax = if doc.ext.eq_ignore_ascii_case(".sass") {
        grass::InputSyntax::Sass
    } else {
        grass::InputSyntax::Scss
    };
    let options = grass::Options::default()
        .fs(&fs)
        .logger(&grass::NullLogger)
        .style(style)
        .input_syntax(syntax)
        .load_paths(&site.config.sass_load_paths);
    let uses_extend = fs.files.values().any(|f| contains(f, b"@extend"));
    let once = || -> Result<String, String> {
        // grass is a parser of untrusted text: a panic in it must not end the run.
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            grass::from_path(&own, &options)
        })) {
            Ok(Ok(css)) => Ok(css),
            Ok(Err(e)) => Err(e.to_string()),
            Err(_) => Err("the Sass compiler failed on this file".to_string()),
        }
    };
    if !uses_extend {
        return once();
    }
    // grass 0.13 walks hash sets (seeded at random per process) while it
    // applies `@extend`, so on some input one run in dozens differs (seen on
    // Jekyll's own docs: `.highlighter-rouge .highlight` extending
    // `.highlight`). The output seen twice first is kept: two conversions of
    // one site then agree but for odds too small to see.
    let mut seen: Vec<String> = Vec::new();
    for _ in 0..EXTEND_RUNS {
        let css = once()?;
        if seen.contains(&css) {
            return Ok(css);
        }
        seen.push(css);
    }
    seen.into_iter()
        .min()
        .ok_or_else(|| "no output".to_string())
}

/// An `@import`, `@use` or `@forward` rule's quoted URLs.
static LOAD_RULE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"@(?:import|use|forward)\s+(?:"[^"\n]*"|'[^'\n]*')(?:\s*,\s*(?:"[^"\n]*"|'[^'\n]*'))*"#,
    )
    .expect("static regex")
});

/// A quoted URL ending in `.scss` or `.sass`.
static SASS_EXT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"\.(?:scss|sass)(["'])"#).expect("static regex"));

/// `text` as grass is given it. grass 0.13 looks for an import written
/// with its extension (`@import "primer-core/index.scss"`) only beside the
/// importing file, not on the load paths as Dart Sass and libsass do, so
/// such URLs lose their `.scss`/`.sass`: without it grass searches both
/// (`.css` stays: that is a plain CSS import).
fn sass_source(text: &str) -> Vec<u8> {
    if !text.contains('@') || !(text.contains(".scss") || text.contains(".sass")) {
        return text.as_bytes().to_vec();
    }
    LOAD_RULE
        .replace_all(text, |m: &regex::Captures<'_>| {
            SASS_EXT.replace_all(&m[0], "$1").into_owned()
        })
        .into_owned()
        .into_bytes()
}

/// Most compiles of a Sass page that uses `@extend`.
const EXTEND_RUNS: usize = 5;

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{DocKind, Include, SiteConfig};

    #[test]
    fn compiles_with_partials_from_the_load_path() {
        let site = Site {
            sass: vec![Include {
                name: "_sass/_grid.scss".into(),
                text: "$w: 10px;\n.grid { width: $w * 2; }\n".into(),
            }],
            config: SiteConfig {
                sass_load_paths: vec!["_sass".into()],
                sass_style: "compressed".into(),
                ..SiteConfig::default()
            },
            ..Site::default()
        };
        let mut doc = Document::new(DocKind::Page, "css/main.scss");
        doc.ext = ".scss".into();
        doc.body = "@import \"grid\";\nbody { a { color: red; } }\n".into();
        let css = compile(&site, &doc).expect("compiles");
        assert!(css.contains(".grid{width:20px}"), "{css}");
        assert!(css.contains("body a{color:red}"), "{css}");
    }

    /// `@import "p/index.scss"` is found on a load path (opensource.guide
    /// imports Primer from node_modules this way); `.css` imports stay
    /// plain CSS imports.
    #[test]
    fn imports_written_with_their_extension_are_found_on_the_load_paths() {
        let site = Site {
            sass: vec![
                Include {
                    name: "node_modules/p/index.scss".into(),
                    text: "@import 'lib.sass';\n.a { color: red; }\n".into(),
                },
                Include {
                    name: "node_modules/p/_lib.sass".into(),
                    text: ".b\n  color: blue\n".into(),
                },
            ],
            config: SiteConfig {
                sass_load_paths: vec!["_sass".into(), "node_modules".into()],
                sass_style: "compressed".into(),
                ..SiteConfig::default()
            },
            ..Site::default()
        };
        let mut doc = Document::new(DocKind::Page, "assets/css/index.scss");
        doc.ext = ".scss".into();
        doc.body = "@import \"p/index.scss\", \"x.css\";\n".into();
        let css = compile(&site, &doc).expect("compiles");
        assert!(css.contains(".a{color:red}"), "{css}");
        assert!(css.contains(".b{color:blue}"), "{css}");
        assert!(css.contains("@import \"x.css\""), "{css}");
    }

    #[test]
    fn a_missing_partial_is_an_error_not_a_panic() {
        let site = Site::default();
        let mut doc = Document::new(DocKind::Page, "css/main.scss");
        doc.ext = ".scss".into();
        doc.body = "@import \"../../../etc/passwd\";\n".into();
        assert!(compile(&site, &doc).is_err());
    }
}
