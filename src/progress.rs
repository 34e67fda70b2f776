//! Progress on stderr while a long run works: one line per phase (reading,
//! rendering, writing) with a count, a bar when the total is known, the
//! time taken and, once it can be measured, a rate; each finished phase
//! leaves a one-line record. Shown only when stderr is a terminal and
//! `--quiet` is not given, so CI logs and pipes get none.
//!
//! Deep code reports with [`tick`] (and the output tree with
//! [`wrote_file`]): one relaxed atomic add, or one load when nothing is
//! shown. Work threads never touch the bar: indicatif's steady-tick thread
//! redraws it, reading the count from the atomic.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use indicatif::{HumanCount, ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};

static ENABLED: AtomicBool = AtomicBool::new(false);
/// Items done in the current count: what [`tick`] adds to and each frame
/// reads.
static DONE: AtomicU64 = AtomicU64::new(0);
/// Whether files the output tree writes go into the current count (true
/// from [`phase`] on, until [`count`] says what is counted instead).
static FILES_COUNT: AtomicBool = AtomicBool::new(false);
/// The phase on screen. Locked only when a phase or count starts or ends.
static SHOWN: Mutex<Option<Shown>> = Mutex::new(None);

/// How often the line is redrawn: often enough to look alive, rarely
/// enough to cost nothing.
const FRAME: Duration = Duration::from_millis(100);
/// A rate over less than this is noise (a burst of cached files, a pause
/// while a pass starts), so none is shown before it.
const RATE_AFTER: Duration = Duration::from_millis(500);
/// Width of the bar between brackets.
const BAR_WIDTH: usize = 20;

/// The phase on screen.
struct Shown {
    name: String,
    /// What the current count counts, for the phase's record line.
    unit: &'static str,
    bar: ProgressBar,
    started: Instant,
}

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

/// Starts a phase counting `unit` (files, documents), out of `total` when
/// it is known, and ends the previous one. Until [`count`] says
/// otherwise, files the output tree writes count too.
pub fn phase(name: &str, unit: &'static str, total: Option<u64>) {
    finish();
    mark(name);
    if !ENABLED.load(Ordering::Relaxed) {
        return;
    }
    DONE.store(0, Ordering::Relaxed);
    FILES_COUNT.store(true, Ordering::Relaxed);
    let now = Instant::now();
    let bar = ProgressBar::with_draw_target(total, ProgressDrawTarget::stderr())
        .with_style(style(name, unit, "", total, now));
    bar.enable_steady_tick(FRAME);
    if let Ok(mut shown) = SHOWN.lock() {
        *shown = Some(Shown {
            name: name.to_string(),
            unit,
            bar,
            started: now,
        });
    }
}

/// Starts the current phase's count again at 0, now counting `unit` out of
/// `total` when known: for a phase that goes over its items in passes, or
/// counts something else than files written (a converter that writes one
/// big file counts what goes into it; the output tree's files then no
/// longer count). `pass`, when not empty, names the pass on screen
/// (`documents (Liquid)`); the phase's record line shows `unit` alone.
pub fn count(unit: &'static str, pass: &'static str, total: Option<u64>) {
    FILES_COUNT.store(false, Ordering::Relaxed);
    if !ENABLED.load(Ordering::Relaxed) {
        return;
    }
    if let Ok(mut shown) = SHOWN.lock() {
        if let Some(s) = shown.as_mut() {
            DONE.store(0, Ordering::Relaxed);
            s.unit = unit;
            // The rate is this count's, measured from now.
            s.bar
                .set_style(style(&s.name, unit, pass, total, Instant::now()));
        }
    }
}

/// One more item done in the current count.
pub fn tick() {
    if ENABLED.load(Ordering::Relaxed) {
        DONE.fetch_add(1, Ordering::Relaxed);
    }
}

/// One more file written by the output tree: counted while the phase
/// counts files written (see [`count`]).
pub fn wrote_file() {
    if FILES_COUNT.load(Ordering::Relaxed) {
        DONE.fetch_add(1, Ordering::Relaxed);
    }
}

/// Ends the current phase: its line is replaced by a record of it
/// (`  reading  5,000 files  0.4s`).
pub fn finish() {
    FILES_COUNT.store(false, Ordering::Relaxed);
    let Some(s) = SHOWN.lock().ok().and_then(|mut shown| shown.take()) else {
        return;
    };
    s.bar.finish_and_clear();
    // No rate here: the count may be of the last pass only, and the time
    // is the phase's; the two side by side say enough.
    eprintln!(
        "{:>9}  {} {}  {}",
        s.name,
        HumanCount(DONE.load(Ordering::Relaxed)),
        s.unit,
        took(s.started.elapsed())
    );
}

/// Takes the current phase's line off the screen, leaving no record: for
/// an interrupted run, whose message follows.
pub fn clear() {
    FILES_COUNT.store(false, Ordering::Relaxed);
    if let Some(s) = SHOWN.lock().ok().and_then(|mut shown| shown.take()) {
        s.bar.finish_and_clear();
    }
}

/// The look of a phase's line: `rendering [=====>    ] 2,345/5,000
/// documents  0.6s  4,210/s` with a total, a spinner and a count without.
/// The count, bar, time and rate are drawn by keys of ours, from [`DONE`].
fn style(name: &str, unit: &str, pass: &str, total: Option<u64>, since: Instant) -> ProgressStyle {
    let what = if pass.is_empty() {
        unit.to_string()
    } else {
        format!("{unit} ({pass})")
    };
    let template = match total {
        Some(n) => format!(
            "{name:>9} [{{fill}}] {{done}}/{} {what}  {{took}}{{rate}}",
            HumanCount(n)
        ),
        None => format!("{name:>9} {{spinner}} {{done}} {what}  {{took}}{{rate}}"),
    };
    // A unit is one of our own words, so the template always parses; the
    // fallback only keeps a typo from costing the run.
    ProgressStyle::with_template(&template)
        .unwrap_or_else(|_| ProgressStyle::default_spinner())
        .with_key("done", |_: &ProgressState, w: &mut dyn std::fmt::Write| {
            let _ = write!(w, "{}", HumanCount(DONE.load(Ordering::Relaxed)));
        })
        .with_key(
            "fill",
            move |_: &ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = w.write_str(&fill(DONE.load(Ordering::Relaxed), total.unwrap_or(0)));
            },
        )
        .with_key(
            "took",
            |state: &ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = w.write_str(&took(state.elapsed()));
            },
        )
        .with_key(
            "rate",
            move |_: &ProgressState, w: &mut dyn std::fmt::Write| {
                if let Some(r) = rate(DONE.load(Ordering::Relaxed), since.elapsed()) {
                    let _ = write!(w, "  {r}");
                }
            },
        )
}

/// The bar between brackets: `=====>    `, full at `total` (and beyond,
/// should a count overshoot).
fn fill(done: u64, total: u64) -> String {
    let filled = if total == 0 {
        BAR_WIDTH
    } else {
        (done.min(total) as u128 * BAR_WIDTH as u128 / total as u128) as usize
    };
    let mut s = "=".repeat(filled);
    if filled < BAR_WIDTH {
        s.push('>');
        s.push_str(&" ".repeat(BAR_WIDTH - filled - 1));
    }
    s
}

/// Items a second, whole, with thousands separators (`4,210/s`); `None`
/// before [`RATE_AFTER`], for nothing done, or past seven digits, where it
/// would say more about the clock than the work.
fn rate(done: u64, over: Duration) -> Option<String> {
    if over < RATE_AFTER || done == 0 {
        return None;
    }
    let per_sec = (done as f64 / over.as_secs_f64()).round() as u64;
    (per_sec <= 9_999_999).then(|| format!("{}/s", HumanCount(per_sec)))
}

/// Time taken: `0.4s`, `12.3s`, `2m 05s`.
fn took(d: Duration) -> String {
    let secs = d.as_secs();
    if secs < 60 {
        format!("{:.1}s", d.as_secs_f64())
    } else {
        format!("{}m {:02}s", secs / 60, secs % 60)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_is_whole_bounded_and_only_once_measurable() {
        assert_eq!(rate(17_899, Duration::from_millis(300)), None);
        assert_eq!(rate(0, Duration::from_secs(3)), None);
        assert_eq!(
            rate(4_210, Duration::from_secs(1)).as_deref(),
            Some("4,210/s")
        );
        assert_eq!(
            rate(10, Duration::from_millis(3_000)).as_deref(),
            Some("3/s")
        );
        assert_eq!(rate(50_000_000, Duration::from_millis(500)), None);
    }

    #[test]
    fn times_and_bars_read_well() {
        assert_eq!(took(Duration::from_millis(420)), "0.4s");
        assert_eq!(took(Duration::from_secs(125)), "2m 05s");
        assert_eq!(fill(0, 10), format!(">{}", " ".repeat(BAR_WIDTH - 1)));
        assert_eq!(fill(5, 10).len(), BAR_WIDTH);
        assert_eq!(fill(12, 10), "=".repeat(BAR_WIDTH));
    }
}
