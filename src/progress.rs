//! Progress on stderr while a long run works: one bar per phase (reading,
//! rendering, writing) with counts and rate, shown only when stderr is a
//! terminal and `--quiet` is not given, so CI logs and pipes get none.
//!
//! Deep code reports with [`tick`]; it costs one atomic add when no bar is
//! shown.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

static ENABLED: AtomicBool = AtomicBool::new(false);
static CURRENT: Mutex<Option<ProgressBar>> = Mutex::new(None);

/// Turns progress display on when stderr is a terminal and `quiet` is false.
pub fn init(quiet: bool) {
    ENABLED.store(!quiet && std::io::stderr().is_terminal(), Ordering::Relaxed);
}

/// When each phase started, kept only when `JEKYLL_MIGRATE_TIMINGS` is set
/// (for profiling; see [`report_timings`]).
static STARTS: Mutex<Vec<(String, Instant, u64, u64)>> = Mutex::new(Vec::new());

/// The sum of two adjacent clock-tick fields of `/proc/self/stat`, counted
/// from the field after the command name (which is in parentheses and may
/// hold spaces); 0 where there is no such file. Ticks are a hundredth of a
/// second on Linux. Field 11 gives this process's user + system CPU time
/// (every thread), field 13 that of the children it has waited for.
pub fn stat_ticks(field: usize) -> u64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    rest.split_whitespace()
        .skip(field)
        .take(2)
        .map(|f| f.parse::<u64>().unwrap_or(0))
        .sum()
}

/// CPU time of the whole process so far, in clock ticks: a phase whose CPU
/// is near its wall time ran on one core.
fn cpu_ticks() -> u64 {
    stat_ticks(11)
}

/// Resident memory in MiB when the phase started (Linux only; 0 elsewhere),
/// so a profile shows which phase makes the peak.
fn resident_mib() -> u64 {
    std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| s.split_whitespace().nth(1)?.parse::<u64>().ok())
        .map_or(0, |pages| pages * 4096 / (1024 * 1024))
}

/// Starts a phase: a bar when `total` is known, else a spinner. Ends the
/// previous phase.
pub fn phase(name: &str, total: Option<u64>) {
    mark(name);
    if !ENABLED.load(Ordering::Relaxed) {
        return;
    }
    let bar = match total {
        Some(n) => ProgressBar::with_draw_target(Some(n), ProgressDrawTarget::stderr()).with_style(
            ProgressStyle::with_template(
                "{prefix:>9} [{bar:30}] {pos}/{len} ({per_sec}, {elapsed})",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
        ),
        None => ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr()).with_style(
            ProgressStyle::with_template("{prefix:>9} {spinner} {pos} ({elapsed})")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        ),
    };
    bar.set_prefix(name.to_string());
    bar.enable_steady_tick(Duration::from_millis(120));
    if let Ok(mut cur) = CURRENT.lock() {
        if let Some(old) = cur.take() {
            old.finish_and_clear();
        }
        *cur = Some(bar);
    }
}

/// One more item done in the current phase.
pub fn tick() {
    if !ENABLED.load(Ordering::Relaxed) {
        return;
    }
    if let Ok(cur) = CURRENT.lock() {
        if let Some(bar) = cur.as_ref() {
            bar.inc(1);
        }
    }
}

/// Ends the current phase and clears its bar.
pub fn finish() {
    if let Ok(mut cur) = CURRENT.lock() {
        if let Some(bar) = cur.take() {
            bar.finish_and_clear();
        }
    }
}

/// Notes that a phase starts, for [`report_timings`] only (no bar).
pub fn mark(name: &str) {
    if std::env::var_os("JEKYLL_MIGRATE_TIMINGS").is_some() {
        if let Ok(mut starts) = STARTS.lock() {
            starts.push((
                name.to_string(),
                Instant::now(),
                resident_mib(),
                cpu_ticks(),
            ));
        }
    }
}

/// Prints how long each phase took on stderr (`timings: reading 0.21s ...`),
/// when `JEKYLL_MIGRATE_TIMINGS` is set: the benchmark's view of where a
/// run's wall time goes.
pub fn report_timings() {
    let Ok(starts) = STARTS.lock() else { return };
    if starts.is_empty() {
        return;
    }
    let now = Instant::now();
    let cpu_now = cpu_ticks();
    let parts: Vec<String> = starts
        .iter()
        .enumerate()
        .map(|(i, (name, at, rss, cpu))| {
            let (end, cpu_end) = starts
                .get(i + 1)
                .map_or((now, cpu_now), |(_, next, _, c)| (*next, *c));
            format!(
                "{name} {:.3}s cpu {:.2}s (from {rss} MiB)",
                end.duration_since(*at).as_secs_f64(),
                cpu_end.saturating_sub(*cpu) as f64 / 100.0
            )
        })
        .collect();
    eprintln!("timings: {}", parts.join(", "));
}
