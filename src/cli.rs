//! The command line: `convert` and `inspect`, as DESIGN.md fixes them.
//!
//! Exit codes: 0 clean, 1 when any document could not be converted (the rest
//! is still written), 2 on bad usage, an unreadable site, or when no output
//! could be written at all (OUT is then left as it was), 130 when
//! interrupted (nothing partial is left).

use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand, ValueEnum};

use crate::converters::{self, ConvertOptions, FrontMatterFormat, Target, TocGroup};
use crate::diagnostics::{Diagnostic, Severity};
use crate::jekyll::{self, ReadOptions};
use crate::output::{self, OutputTree};
use crate::report;

/// Move a whole Jekyll site to Hugo, Zola, JSON Feed or EPUB.
#[derive(Debug, Parser)]
#[command(name = "jekyll-migrate", version, about)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Convert SITE to another format.
    Convert(ConvertArgs),
    /// Read SITE and show what was found (or print the IR as JSON).
    Inspect(InspectArgs),
}

/// Options shared by every subcommand that reads a site.
#[derive(Debug, clap::Args)]
pub struct SiteArgs {
    /// The Jekyll site folder.
    #[arg(default_value = ".")]
    pub site: PathBuf,
    /// Config files to use instead of _config.yml, comma separated (later
    /// files win), as `jekyll build --config` takes them.
    #[arg(long, value_delimiter = ',')]
    pub config: Vec<PathBuf>,
    /// Read _drafts too.
    #[arg(long)]
    pub drafts: bool,
    /// Worker threads (default: one per core).
    #[arg(long)]
    pub threads: Option<usize>,
}

/// `convert` options.
#[derive(Debug, clap::Args)]
pub struct ConvertArgs {
    /// Site options.
    #[command(flatten)]
    pub site: SiteArgs,
    /// Output format.
    #[arg(long = "to", value_name = "FORMAT")]
    pub to: String,
    /// Output folder or file (default: beside the site, named after it).
    #[arg(short = 'o', long = "out", value_name = "OUT")]
    pub out: Option<PathBuf>,
    /// Replace an existing, non-empty OUT.
    #[arg(long)]
    pub force: bool,
    /// Print nothing but errors on stderr.
    #[arg(short, long)]
    pub quiet: bool,
    /// Hugo: front matter syntax.
    #[arg(long, value_enum, default_value = "yaml")]
    pub front_matter: FmArg,
    /// JSON Feed: at most N items, newest first.
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
    /// JSON Feed: N items per file, linked with next_url.
    #[arg(long, value_name = "N")]
    pub page_size: Option<usize>,
    /// EPUB: group the table of contents.
    #[arg(long, value_enum, default_value = "year")]
    pub group: GroupArg,
    /// EPUB: chapter order.
    #[arg(long, value_enum, default_value = "oldest")]
    pub order: OrderArg,
    /// EPUB: cover image.
    #[arg(long, value_name = "IMAGE")]
    pub cover: Option<PathBuf>,
    /// EPUB: add the site's pages and collections' documents after the posts.
    #[arg(long)]
    pub include_pages: bool,
}

/// `--front-matter`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum FmArg {
    /// YAML between `---`.
    Yaml,
    /// TOML between `+++`.
    Toml,
}

/// `--group`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum GroupArg {
    /// By year.
    Year,
    /// By first category.
    Category,
    /// Flat.
    None,
}

/// `--order`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum OrderArg {
    /// Oldest post first.
    Oldest,
    /// Newest post first.
    Newest,
}

/// `inspect` options.
#[derive(Debug, clap::Args)]
pub struct InspectArgs {
    /// Site options.
    #[command(flatten)]
    pub site: SiteArgs,
    /// Print the IR as JSON.
    #[arg(long)]
    pub json: bool,
    /// With --json: add each document's rendered HTML.
    #[arg(long)]
    pub html: bool,
}

/// Runs the command line and returns the exit code.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { 2 } else { 0 };
        }
    };
    let code = match cli.command {
        Command::Convert(args) => convert(args),
        Command::Inspect(args) => inspect(args),
    };
    crate::progress::report_timings();
    report_peak_memory();
    if code != 0 && crate::output::interrupt::interrupted() {
        // A write refused because of Ctrl-C ends the run with an error
        // before the handler has removed the staging folder and exited;
        // the handler's exit code (130) and message are the true ones.
        return crate::output::interrupt::wait_for_handler();
    }
    code
}

/// For the benchmark: prints the peak resident memory (Linux `VmHWM`) on
/// stderr when `JEKYLL_MIGRATE_PEAK_RSS` is set.
fn report_peak_memory() {
    if std::env::var_os("JEKYLL_MIGRATE_PEAK_RSS").is_none() {
        return;
    }
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    if let Some(kib) = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
    {
        eprintln!("peak_rss_kib: {kib}");
    }
}

fn read_options(args: &SiteArgs) -> ReadOptions {
    ReadOptions {
        config_files: args.config.clone(),
        drafts: args.drafts,
        ..ReadOptions::default()
    }
}

/// Stack of each worker thread. The Liquid and Markdown parsers recurse
/// on nesting; the content layer refuses what nests past Jekyll's own
/// bounds, and this leaves room well beyond them (only the pages a
/// thread touches are taken from memory).
const WORKER_STACK: usize = 64 << 20;

fn set_threads(threads: Option<usize>) {
    let mut pool = rayon::ThreadPoolBuilder::new().stack_size(WORKER_STACK);
    if let Some(n) = threads {
        pool = pool.num_threads(n.max(1));
    }
    let _ = pool.build_global();
}

/// Exit code for a finished run: 1 when any error-level diagnostic exists.
fn exit_code(diags: &[Diagnostic]) -> i32 {
    if diags.iter().any(|d| d.severity == Severity::Error) {
        1
    } else {
        0
    }
}

fn inspect(args: InspectArgs) -> i32 {
    set_threads(args.site.threads);
    let mut site = match jekyll::read_site(&args.site.site, &read_options(&args.site)) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("jekyll-migrate: {e}");
            return 2;
        }
    };
    if args.html {
        crate::content::process(&mut site);
    }
    if args.json {
        match serde_json::to_string_pretty(&site) {
            Ok(s) => println!("{s}"),
            Err(e) => {
                eprintln!("jekyll-migrate: could not print the IR as JSON: {e}");
                return 2;
            }
        }
    } else {
        print!("{}", report::site_summary(&site));
        for d in &site.diagnostics {
            eprintln!("{d}");
        }
    }
    exit_code(&site.diagnostics)
}

/// Runs one whole stage, turning a panic that escaped the per-document
/// guards into a message, so the staging folder is still removed.
fn guard_stage<T>(stage: &str, work: impl FnOnce() -> T) -> Result<T, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)).map_err(|_| {
        format!(
            "jekyll-migrate hit a bug while {stage} (see the panic message above); please \
             report it"
        )
    })
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

/// The default OUT: beside the site, named after it and the format.
fn default_out(site: &Path, name: &str) -> PathBuf {
    let abs = std::fs::canonicalize(site).unwrap_or_else(|_| site.to_path_buf());
    let stem = abs
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "site".into());
    let parent = abs.parent().map(Path::to_path_buf).unwrap_or_default();
    parent.join(format!("{stem}-{name}"))
}

fn convert(args: ConvertArgs) -> i32 {
    let Some(conv) = converters::find(&args.to) else {
        eprintln!(
            "jekyll-migrate: unknown format {:?} for --to; known formats: {}",
            args.to,
            converters::known_names()
        );
        return 2;
    };
    set_threads(args.site.threads);
    output::interrupt::install();
    let started = std::time::Instant::now();
    crate::progress::mark("preparing");
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| default_out(&args.site.site, conv.default_out_name()));
    let target = conv.target(&out);
    // Check OUT before reading, so a refusal is quick and nothing is written.
    let staging = match output::prepare(&args.site.site, &out, args.force) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("jekyll-migrate: {e}");
            return 2;
        }
    };
    crate::progress::init(args.quiet);
    crate::progress::phase("reading", "files", None);
    let read = guard_stage("reading the site", || {
        jekyll::read_site(&args.site.site, &read_options(&args.site))
    });
    let mut site = match read {
        Ok(Ok(s)) => s,
        Ok(Err(e)) => {
            crate::progress::finish();
            staging.abandon();
            eprintln!("jekyll-migrate: {e}");
            return 2;
        }
        Err(bug) => {
            crate::progress::finish();
            staging.abandon();
            eprintln!("jekyll-migrate: {bug}");
            return 2;
        }
    };
    crate::progress::phase("rendering", "documents", Some(site.documents.len() as u64));
    let leftovers = match guard_stage("rendering the site", || {
        crate::content::process_with(&mut site, &|d| conv.wants_html(d))
    }) {
        Ok(l) => l,
        Err(bug) => {
            crate::progress::finish();
            staging.abandon();
            eprintln!("jekyll-migrate: {bug}");
            return 2;
        }
    };
    crate::progress::phase("writing", "files", None);
    let opts = ConvertOptions {
        front_matter: match args.front_matter {
            FmArg::Yaml => FrontMatterFormat::Yaml,
            FmArg::Toml => FrontMatterFormat::Toml,
        },
        limit: args.limit,
        page_size: args.page_size,
        group: match args.group {
            GroupArg::Year => TocGroup::Year,
            GroupArg::Category => TocGroup::Category,
            GroupArg::None => TocGroup::None,
        },
        newest_first: matches!(args.order, OrderArg::Newest),
        cover: args.cover.clone(),
        include_pages: args.include_pages,
        drafts: args.site.drafts,
    };
    let file_name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| conv.default_out_name().to_string());
    let mut tree = OutputTree::new(&staging.dir);
    let converted = guard_stage(&format!("converting to {}", conv.name()), || {
        conv.convert(&site, &opts, &mut tree, &file_name)
    });
    crate::progress::finish();
    crate::progress::mark("finishing");
    let summary = match converted {
        Ok(Ok(s)) => s,
        Ok(Err(e)) => {
            staging.abandon();
            // After Ctrl-C the handler says what happened.
            if !crate::output::interrupt::interrupted() {
                eprintln!(
                    "jekyll-migrate: converting to {} failed: {e}; nothing was written, {} is as it was",
                    conv.name(),
                    out.display()
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
    if target == Target::Dir && !refused.is_empty() {
        append_refused(&staging.dir.join("MIGRATION.md"), &refused);
    }
    let commit = match target {
        Target::Dir => staging.commit(None),
        Target::File => staging.commit(Some(&file_name)),
    };
    if let Err(e) = commit {
        eprintln!("jekyll-migrate: could not move the output into place: {e}");
        return 2;
    }
    let mut all = std::mem::take(&mut site.diagnostics);
    all.extend(summary.diagnostics);
    all.extend(refused);
    if !args.quiet {
        // A folder's notes are in its MIGRATION.md; a single file (a feed, a
        // book) has no room for them, so they are printed with the rest.
        let shown = match target {
            Target::Dir => Severity::Warning,
            Target::File => Severity::Info,
        };
        for d in &all {
            if d.severity >= shown {
                eprintln!("{d}");
            }
        }
        let by_sev = |s: Severity| all.iter().filter(|d| d.severity == s).count();
        let kinds: Vec<String> = report::counts_by_kind(&all)
            .into_iter()
            .filter(|((sev, _), _)| *sev >= Severity::Warning)
            .map(|((_, kind), n)| format!("{kind} {n}"))
            .collect();
        let kinds = if kinds.is_empty() {
            String::new()
        } else {
            format!(" ({})", kinds.join(", "))
        };
        println!(
            "{}: {} documents converted, {} files copied, {} errors, {} warnings{kinds}, {} notes, in {:.2}s -> {}",
            conv.name(),
            summary.documents,
            summary.files_copied,
            by_sev(Severity::Error),
            by_sev(Severity::Warning),
            by_sev(Severity::Info),
            started.elapsed().as_secs_f64(),
            out.display()
        );
    }
    // The process ends next: freeing every document, node and drop one by
    // one took a tenth of a 10,000-post run, on one core.
    std::mem::forget(site);
    std::mem::forget(leftovers);
    exit_code(&all)
}
