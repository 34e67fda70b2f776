//! `convert`: check SITE and OUT, read, render, convert into a staging
//! folder, move it into place, report.

use std::path::{Path, PathBuf};

use super::args::{ConvertArgs, FmArg, GroupArg, MessageFormat, OrderArg};
use super::{exit_code, guard_stage, read_options, set_threads, show};
use crate::converters::{self, ConvertOptions, Converter, FrontMatterFormat, TocGroup};
use crate::diagnostics::{Diagnostic, Severity};
use crate::ir::Site;
use crate::jekyll;
use crate::output::{self, Destination, OutputTree, Staging};

/// The default OUT: beside the site, named after it and the format.
fn default_out(site: &Path, name: &str) -> PathBuf {
    let (parent, stem) = site_parent_and_name(site);
    parent.join(format!("{stem}-{name}"))
}

/// The site's folder and its name (`site` when it has none, as `/`).
fn site_parent_and_name(site: &Path) -> (PathBuf, String) {
    let abs = std::fs::canonicalize(site).unwrap_or_else(|_| site.to_path_buf());
    let stem = abs
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "site".into());
    let parent = abs.parent().map(Path::to_path_buf).unwrap_or_default();
    (parent, stem)
}

/// The converter's options from the flags (each flag was checked to
/// belong to the chosen format).
fn convert_options(args: &ConvertArgs) -> ConvertOptions {
    ConvertOptions {
        front_matter: match args.front_matter {
            Some(FmArg::Toml) => FrontMatterFormat::Toml,
            _ => FrontMatterFormat::Yaml,
        },
        limit: args.limit.map(|n| n as usize),
        page_size: args.page_size.map(|n| n as usize),
        group: match args.group {
            Some(GroupArg::Category) => TocGroup::Category,
            Some(GroupArg::None) => TocGroup::None,
            _ => TocGroup::Year,
        },
        newest_first: matches!(args.order, Some(OrderArg::Newest)),
        cover: args.cover.clone(),
        include_pages: args.include_pages,
        fetch_images: args.fetch_images.then(|| {
            let default = converters::ImageFetch::default();
            converters::ImageFetch {
                allow_http: args.allow_http,
                cache_dir: args.image_cache.clone(),
                timeout: args.image_timeout.unwrap_or(default.timeout),
                max_bytes: args.image_max_size.unwrap_or(default.max_bytes),
                ..default
            }
        }),
        max_image_width: args.max_image_width,
        max_book_size: args.max_book_size,
        drafts: args.site.drafts,
        selection: converters::selection::Selection {
            tags: args.tag.clone(),
            categories: args.category.clone(),
            since: args.since,
            until: args.until,
        },
    }
}

/// Where the run writes, checked and staged before anything is read.
struct Prepared {
    conv: &'static dyn Converter,
    dest: Destination,
    staging: Staging,
}

/// Resolves OUT and makes the staging folder; the message on failure.
fn prepare(args: &ConvertArgs, conv: &'static dyn Converter) -> Result<Prepared, String> {
    let site = &args.site.site;
    jekyll::site_check::check(site, !args.site.config.is_empty()).map_err(|e| e.to_string())?;
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| default_out(site, conv.default_out_name()));
    let (_, site_name) = site_parent_and_name(site);
    let dest = output::destination(&out, conv.target(&out), &conv.name_in_folder(&site_name));
    let staging = output::prepare(site, &dest, conv.default_out_name(), args.force)
        .map_err(|e| e.to_string())?;
    Ok(Prepared {
        conv,
        dest,
        staging,
    })
}

/// Reads and renders the site; the message on failure.
fn read_and_render(args: &ConvertArgs, conv: &dyn Converter) -> Result<(Site, impl Sized), String> {
    crate::progress::phase("reading", "files", None);
    let mut site = guard_stage("reading the site", || {
        jekyll::read_site(&args.site.site, &read_options(&args.site))
    })?
    .map_err(|e| e.to_string())?;
    crate::progress::phase("rendering", "documents", Some(site.documents.len() as u64));
    let leftovers = guard_stage("rendering the site", || {
        crate::content::process_for(&mut site, &|d| conv.wants_html(d), conv.highlights_code())
    })?;
    Ok((site, leftovers))
}

/// Runs `convert`; the exit code.
pub fn run(args: ConvertArgs) -> i32 {
    let Some(conv) = args.to.as_deref().and_then(converters::find) else {
        // clap checked the name; only a missing --to gets here.
        return super::usage_error(&super::formats::missing_format());
    };
    set_threads(args.site.threads);
    output::interrupt::install();
    let started = std::time::Instant::now();
    crate::progress::mark("preparing");
    let prepared = match prepare(&args, conv) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("jekyll-migrate: {e}");
            return 2;
        }
    };
    super::show_paths_for(&args.site.site);
    crate::progress::init(args.quiet || args.site.message_format == MessageFormat::Json);
    let (mut site, leftovers) = match read_and_render(&args, conv) {
        Ok(r) => r,
        Err(e) => {
            crate::progress::finish();
            prepared.staging.abandon();
            eprintln!("jekyll-migrate: {e}");
            return 2;
        }
    };
    crate::progress::phase("writing", "files", None);
    let code = write_and_report(&args, prepared, &mut site, started);
    // The process ends next: freeing every document, node and drop one by
    // one took a tenth of a 10,000-post run, on one core.
    std::mem::forget(site);
    std::mem::forget(leftovers);
    code
}

/// Converts into the staging folder, moves it into place and reports.
fn write_and_report(
    args: &ConvertArgs,
    prepared: Prepared,
    site: &mut Site,
    started: std::time::Instant,
) -> i32 {
    let Prepared {
        conv,
        dest,
        staging,
    } = prepared;
    let file_name = dest.file_name();
    let mut tree = OutputTree::new(&staging.dir);
    let converted = guard_stage(&format!("converting to {}", conv.name()), || {
        conv.convert(
            site,
            &convert_options(args),
            &mut tree,
            file_name.as_deref(),
        )
    });
    crate::progress::finish();
    crate::progress::mark("finishing");
    let summary = match converted {
        Ok(Ok(s)) => s,
        Ok(Err(e)) => {
            staging.abandon();
            // After Ctrl-C the handler says what happened.
            if !output::interrupt::interrupted() {
                eprintln!(
                    "jekyll-migrate: converting to {} failed: {e}; nothing was written, {} is as it was",
                    conv.name(),
                    dest.shown().display()
                );
            }
            return 2;
        }
        Err(bug) => {
            staging.abandon();
            eprintln!("jekyll-migrate: {bug}; nothing was written");
            return 2;
        }
    };
    let refused = tree.take_refused();
    let is_folder = matches!(dest, Destination::Folder(_));
    if is_folder && !refused.is_empty() {
        append_refused(&staging.dir.join("MIGRATION.md"), &refused);
    }
    if let Err(e) = staging.commit() {
        eprintln!("jekyll-migrate: could not move the output into place: {e}");
        return 2;
    }
    let mut all = std::mem::take(&mut site.diagnostics);
    all.extend(summary.diagnostics);
    all.extend(refused);
    let shown = dest.shown();
    let report = shown.join("MIGRATION.md");
    let line = show::Summary {
        format: conv.name(),
        documents: summary.documents,
        files_copied: summary.files_copied,
        detail: summary.detail.as_deref(),
        diagnostics: &all,
        seconds: started.elapsed().as_secs_f64(),
        out: &shown,
        report: (is_folder && report.is_file()).then_some(report.as_path()),
    };
    print_report(args, is_folder, &all, &line);
    exit_code(&all)
}

/// Prints the diagnostics and the summary line. A folder's notes are in
/// its MIGRATION.md; a single file (a feed, a book) has no room for them,
/// so they are printed with the rest. `--quiet` prints errors only.
fn print_report(args: &ConvertArgs, is_folder: bool, all: &[Diagnostic], line: &show::Summary) {
    let format = args.site.message_format;
    if format == MessageFormat::Json {
        show::diagnostics(all, Severity::Info, format);
        println!("{}", line.json());
        return;
    }
    let min = if args.quiet {
        Severity::Error
    } else if is_folder {
        Severity::Warning
    } else {
        Severity::Info
    };
    show::diagnostics(all, min, format);
    if !args.quiet {
        println!("{}", line.line());
    }
}

/// Adds the files the output tree refused to write to the converter's
/// `MIGRATION.md`, which was written before the tree handed them over.
fn append_refused(report: &Path, refused: &[Diagnostic]) {
    if !report.is_file() {
        return;
    }
    let mut text = String::from("\n## Files not written (unsafe output paths)\n\n");
    for d in refused {
        text.push_str(&format!("- `{}`\n", d.to_string().replace('`', "'")));
    }
    if let Ok(mut f) = std::fs::OpenOptions::new().append(true).open(report) {
        use std::io::Write as _;
        let _ = f.write_all(text.as_bytes());
    }
}
