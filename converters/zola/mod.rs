//! Zola: a site that `zola build` (0.22 and 0.23) accepts, with every Jekyll
//! URL kept. Planned first ([`plan`]), then written (`write`).
//!
//! - `content/`: one `.md` per document with TOML front matter holding only
//!   Zola's keys ([`frontmatter`]); a section `_index.md` for every folder
//!   that holds pages (not rendered, so sections add no URL of their own);
//!   the document at `/` is the root section `content/_index.md`.
//! - URLs ([`paths`]): `path` for the page, an alias for the `.html` file
//!   Jekyll wrote, `redirect_from` as aliases; every output file is claimed
//!   before writing, and a clash is a diagnostic, never a silent overwrite.
//! - Bodies ([`body`], [`kramdown`], [`markdown`], [`neutralise`]): fenced
//!   code with Zola's options, `@/…md` links, kramdown heading ids as
//!   `{#id}`, kramdown-only syntax rewritten or reported, relative links made
//!   absolute, and no `{{`/`{%` left anywhere, so neither 0.22's shortcode
//!   parser nor 0.23's Tera v2 runs anything. One output serves both
//!   versions, so there is no `--zola-version` option.
//! - Tags and categories as declared taxonomies ([`taxonomy`]).
//! - Non-HTML pages (`.xml`, `.json`, `.txt`…) and static files go to
//!   `static/` at their URL, self-contained Sass to `sass/`; `sitemap.xml`,
//!   `robots.txt` and feeds are left to Zola, which writes its own.
//! - `config.toml` ([`config`]), `templates/` ([`templates`]), `MIGRATION.md`.

pub mod body;
pub mod config;
pub mod frontmatter;
pub mod kramdown;
pub mod markdown;
pub mod neutralise;
pub mod paths;
pub mod plain_toml;
pub mod taxonomy;
pub mod templates;

mod plan;
mod write;

use crate::converters::{ConvertError, ConvertOptions, Converter, Summary};
use crate::ir::Site;
use crate::output::OutputTree;

pub use plan::{plan, Plan};

/// The Zola converter.
pub struct Zola;

impl Converter for Zola {
    /// Zola renders the Markdown itself; only the 404 page's HTML is
    /// written (as the `404.html` template).
    fn wants_html(&self, doc: &crate::ir::Document) -> bool {
        crate::urls::is_not_found_page(&doc.url)
    }

    fn highlights_code(&self) -> bool {
        false
    }
    fn name(&self) -> &'static str {
        "zola"
    }

    fn description(&self) -> &'static str {
        "a Zola site (content/, static/, templates/, config.toml) for Zola 0.22 and 0.23"
    }

    fn default_out_name(&self) -> &'static str {
        "zola"
    }

    fn convert(
        &self,
        site: &Site,
        opts: &ConvertOptions,
        out: &mut OutputTree,
        _file_name: Option<&str>,
    ) -> Result<Summary, ConvertError> {
        let plan = plan(site, opts);
        crate::progress::mark("zola pages");
        plan.write(site, out)
    }
}
