//! Files Hugo serves as they are (`static/`, `assets/`): redirect pages
//! at Jekyll paths Hugo cannot take, jekyll-paginate's pages, and documents
//! that are not HTML pages (`feed.xml`, `robots.txt`, Sass sources).

use crate::fast_hash::FastSet as HashSet;

use serde_json::Value;

use super::paths;
use crate::converters::ConvertError;
use crate::diagnostics::Diagnostic;
use crate::ir::{Document, Site};
use crate::output::OutputTree;

/// jekyll-paginate's pages (`/page2/` …) as redirect pages to Hugo's
/// (`/page/2/`), which the home layout pages with the same size.
pub fn write_pagination_redirects(
    site: &Site,
    size: u64,
    taken: &HashSet<String>,
    out: &mut OutputTree,
    diags: &mut Vec<Diagnostic>,
) -> Result<(), ConvertError> {
    let pattern = site
        .config
        .raw
        .get("paginate_path")
        .and_then(Value::as_str)
        .unwrap_or("/page:num/")
        .to_string();
    let dir = pattern.rsplit_once('/').map_or("", |(d, _)| d);
    if !pattern.contains(":num") || dir.contains(":num") || !dir.trim_matches('/').is_empty() {
        diags.push(Diagnostic::warning(
            "pagination",
            "_config.yml",
            format!("paginate_path {pattern:?} is not at the site root; its pages are not redirected (Hugo pages the home page at /page/N/)"),
        ));
        return Ok(());
    }
    let posts = site
        .documents
        .iter()
        .filter(|d| d.kind == crate::ir::DocKind::Post && d.published && d.output)
        .count() as u64;
    let pages = posts.div_ceil(size);
    for n in 2..=pages {
        let jekyll = paths::served_path(&pattern.replace(":num", &n.to_string()));
        let file = paths::public_file(&jekyll);
        if taken.contains(&file) {
            continue;
        }
        let html = redirect_html(&site.config.baseurl, &format!("/page/{n}/"));
        out.write(&format!("static/{file}"), html.as_bytes())?;
    }
    diags.push(Diagnostic::info(
        "pagination",
        "_config.yml",
        format!(
            "jekyll-paginate pages ({}) redirect to Hugo's /page/N/ pages",
            pattern.replace(":num", "N")
        ),
    ));
    Ok(())
}

/// A redirect page like the ones Hugo writes for aliases.
pub fn redirect_html(baseurl: &str, to: &str) -> String {
    let target =
        html_escape::encode_double_quoted_attribute(&format!("{baseurl}{to}")).into_owned();
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><title>{target}</title><link rel=\"canonical\" href=\"{target}\"><meta charset=\"utf-8\"><meta http-equiv=\"refresh\" content=\"0; url={target}\"></head></html>\n"
    )
}

/// Where [`write_other`] puts a document served at `served`, below
/// `static/` (and so below `public/`).
pub fn other_file(served: &str) -> String {
    let rel = served.trim_start_matches('/');
    if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.to_string()
    }
}

/// Documents that are not Markdown or HTML (`feed.xml`, `robots.txt`,
/// `.scss`): their Liquid-rendered text is written as a static file where
/// Jekyll served it; Sass is compiled to CSS there (kept under `assets/` for
/// Hugo Pipes when it does not compile).
pub fn write_other(
    site: &crate::ir::Site,
    d: &Document,
    served: &str,
    out: &mut OutputTree,
    diags: &mut Vec<Diagnostic>,
    copied: &mut usize,
) -> Result<(), ConvertError> {
    if crate::sass::is_sass(d) {
        match crate::sass::compile(site, d) {
            Ok(css) => {
                let rel = served.trim_start_matches('/');
                out.write(&format!("static/{rel}"), css.as_bytes())?;
                *copied += 1;
            }
            Err(e) => {
                let rel = format!("assets/{}", d.source.trim_start_matches('/'));
                out.write(&rel, d.body.as_bytes())?;
                diags.push(Diagnostic::warning(
                    "sass",
                    &d.source,
                    format!("Sass did not compile ({e}); the source was kept at {rel}: fix it and build {served} with Hugo Pipes (css.Sass)"),
                ));
            }
        }
        return Ok(());
    }
    if !d.output {
        return Ok(());
    }
    let rel = other_file(served);
    let text: String = if d.content.is_empty() {
        d.body.clone()
    } else {
        d.content
            .iter()
            .map(|n| match n {
                crate::content::Node::Markdown { text, .. } => text.clone(),
                crate::content::Node::Html { html, .. } => html.clone(),
                crate::content::Node::Literal { text } => text.clone(),
                crate::content::Node::Code { code, .. } => code.clone(),
                crate::content::Node::DocLink { url, .. } => url.clone(),
                crate::content::Node::Embed { fallback_html, .. } => fallback_html.clone(),
                crate::content::Node::Toc => String::new(),
            })
            .collect()
    };
    out.write(&format!("static/{rel}"), text.as_bytes())?;
    *copied += 1;
    diags.push(Diagnostic::info(
        "rendered-once",
        &d.source,
        format!("{served} was rendered once and copied to static/; its Liquid no longer runs"),
    ));
    Ok(())
}
