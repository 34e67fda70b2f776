//! The command line: `convert` and `inspect`, as DESIGN.md fixes them, and
//! `completions` and `man` for installing it.
//!
//! Exit codes: 0 clean, 1 when any document could not be converted (the rest
//! is still written), 2 on bad usage, an unreadable site, or when no output
//! could be written at all (OUT is then left as it was), 130 when
//! interrupted (nothing partial is left).

pub mod args;
mod convert;
mod formats;
mod inspect;
mod show;
mod size;

use std::path::Path;

use clap::{CommandFactory, FromArgMatches};

use crate::diagnostics::{Diagnostic, Severity};
use crate::jekyll::ReadOptions;
pub use args::{Cli, Command, ConvertArgs, InspectArgs, SiteArgs};

/// Runs the command line and returns the exit code.
pub fn main() -> i32 {
    let matches = match Cli::command().try_get_matches() {
        Ok(m) => m,
        Err(e) => return print_clap_error(e),
    };
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(c) => c,
        Err(e) => return print_clap_error(e),
    };
    let code = match cli.command {
        Command::Convert(args) => {
            let sub = matches.subcommand_matches("convert");
            let format = args.to.as_deref().and_then(crate::converters::find);
            if let (Some(sub), Some(conv)) = (sub, format) {
                if let Some(msg) = formats::misplaced_flag(sub, conv.name()) {
                    return usage_error(&msg);
                }
            }
            if let (Some(since), Some(until)) = (args.since, args.until) {
                if since > until {
                    return usage_error(&format!(
                        "--since {since} is after --until {until}: no day is in both"
                    ));
                }
            }
            convert::run(args)
        }
        Command::Inspect(args) => inspect::run(args),
        Command::Completions { shell } => {
            let mut text = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "jekyll-migrate", &mut text);
            print_bytes(&text)
        }
        Command::Man => {
            let mut text = Vec::new();
            match clap_mangen::Man::new(Cli::command()).render(&mut text) {
                Ok(()) => print_bytes(&text),
                Err(e) => {
                    eprintln!("jekyll-migrate: could not make the manual page: {e}");
                    2
                }
            }
        }
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

/// Writes `bytes` on stdout; a closed pipe (`| head`) is no error.
fn print_bytes(bytes: &[u8]) -> i32 {
    use std::io::Write as _;
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(bytes).and_then(|()| out.flush());
    0
}

/// Prints clap's error (or help) and returns its exit code.
fn print_clap_error(e: clap::Error) -> i32 {
    let _ = e.print();
    if e.use_stderr() {
        2
    } else {
        0
    }
}

/// Prints a usage error for `convert` as clap prints its own (with the
/// usage line), and returns 2.
fn usage_error(message: &str) -> i32 {
    let mut cmd = Cli::command();
    // Built, the subcommand's usage line names the program too.
    cmd.build();
    let convert = cmd.find_subcommand_mut("convert").map(|c| c.clone());
    let err = match convert {
        Some(mut c) => c.error(clap::error::ErrorKind::ArgumentConflict, message.trim_end()),
        None => cmd.error(clap::error::ErrorKind::ArgumentConflict, message.trim_end()),
    };
    let _ = err.print();
    2
}

/// Makes diagnostics show their files from where the user stands.
fn show_paths_for(site: &Path) {
    let cwd = std::env::current_dir().unwrap_or_default();
    crate::diagnostics::show_paths_from(crate::diagnostics::base_for(site, &cwd));
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

fn set_threads(threads: Option<u16>) {
    let mut pool = rayon::ThreadPoolBuilder::new().stack_size(WORKER_STACK);
    if let Some(n) = threads {
        pool = pool.num_threads(usize::from(n).max(1));
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
