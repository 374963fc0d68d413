//! `zoomlive batch INPUT`: many operations from a CSV or JSON Lines file (`-`: standard
//! input), paced, journaled and resumable (the core's `zoomlive::batch`); a results
//! file for FoxPro's `APPEND FROM` and SQL Server's `BULK INSERT`.

use std::io::{IsTerminal, Read, Write};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde_json::json;
use zoomlive::batch::{
    self, Batch, BatchOptions, BatchResult, InputFormat, Outcome, Plan, Stopper, Summary,
};
use zoomlive::{Client, Error};

/// Exit status when an operation failed (or may have been done: uncertain).
pub const EXIT_FAILED: u8 = 12;
/// Exit status when operations were deferred (daily limit, deadline) and none failed.
pub const EXIT_DEFERRED: u8 = 13;

/// Options of `zoomlive batch`.
#[derive(Args)]
pub struct BatchArgs {
    /// The operations: CSV with a header row (op,kind,id,display_name,...) or JSON
    /// Lines (.jsonl), `-` for standard input.
    input: PathBuf,
    /// Calls in flight at most.
    #[arg(long, default_value_t = 4)]
    concurrency: usize,
    /// Calls per second at most (default: half the plan's Light limit).
    #[arg(long)]
    rate: Option<f64>,
    /// The Zoom account's plan, for the default rate: free (4/s), pro (30/s) or
    /// business (80/s).
    #[arg(long, default_value = "pro", value_parser = plan)]
    plan: Plan,
    /// Seconds after which nothing more is sent (what is left is deferred).
    #[arg(long, value_name = "SECS")]
    deadline: Option<f64>,
    /// An append-only journal (JSON Lines) for resuming after a crash or kill.
    #[arg(long, value_name = "PATH")]
    journal: Option<PathBuf>,
    /// Continue the journal of an earlier run of the same input.
    #[arg(long, requires = "journal")]
    resume: bool,
    /// With --resume: send again what the earlier run left in flight (start and stop
    /// are safe to repeat).
    #[arg(long, requires = "resume")]
    resume_uncertain: bool,
    /// Write one row per input operation here: CSV, or JSON when it ends in .json.
    #[arg(long, value_name = "FILE")]
    results: Option<PathBuf>,
    /// Progress: a bar on stderr when it is a terminal (auto), one JSON line per
    /// completed operation on stdout (jsonl), or none.
    #[arg(long, value_enum, default_value = "auto")]
    progress: Progress,
}

#[derive(Clone, Copy, PartialEq, ValueEnum)]
enum Progress {
    Auto,
    Jsonl,
    None,
}

fn plan(text: &str) -> Result<Plan, String> {
    Plan::parse(text).map_err(|_| "free, pro or business".into())
}

/// What a finished batch reports.
pub struct Finished {
    summary: Summary,
    seconds: f64,
    results: Option<PathBuf>,
}

impl Finished {
    /// `ok 398, failed 0, deferred 2, skipped 0, uncertain 0 in 20.3 s`.
    pub fn text(&self) -> String {
        let s = &self.summary;
        format!(
            "ok {}, failed {}, deferred {}, skipped {}, uncertain {} in {:.1} s",
            s.ok, s.failed, s.deferred, s.skipped, s.uncertain, self.seconds
        )
    }

    /// `{"ok":true,"operation":"batch","counts":{...},"seconds":..,"results":..}`.
    pub fn json(&self) -> serde_json::Value {
        json!({"ok": true, "operation": "batch", "counts": self.summary,
               "seconds": self.seconds, "results": self.results})
    }

    /// 0 when every operation is ok or skipped; else EXIT_FAILED or EXIT_DEFERRED.
    pub fn exit_code(&self) -> u8 {
        let s = &self.summary;
        if s.failed > 0 || s.uncertain > 0 {
            EXIT_FAILED
        } else if s.deferred > 0 {
            EXIT_DEFERRED
        } else {
            0
        }
    }
}

/// Reads and checks the input and options (nothing sent yet), then runs the batch.
pub fn run(
    args: &BatchArgs,
    client: impl FnOnce() -> Result<Client, Error>,
) -> Result<Finished, Error> {
    let stdin = args.input.as_os_str() == "-";
    let bytes = if stdin {
        let mut bytes = Vec::new();
        std::io::stdin()
            .read_to_end(&mut bytes)
            .map_err(|e| Error::InvalidInput {
                field: "input",
                reason: format!("standard input cannot be read: {e}"),
            })?;
        bytes
    } else {
        std::fs::read(&args.input).map_err(|e| Error::InvalidInput {
            field: "input",
            reason: format!("{} cannot be read: {e}", args.input.display()),
        })?
    };
    let format = (!stdin).then(|| InputFormat::for_path(&args.input));
    let ops = batch::parse(&bytes, format, &|name| std::env::var(name).ok())?;
    let options = BatchOptions {
        concurrency: args.concurrency,
        rate: args.rate,
        plan: args.plan,
        deadline: args
            .deadline
            .map(|s| {
                (s.is_finite() && s > 0.0 && s <= 86_400.0)
                    .then(|| Duration::from_secs_f64(s))
                    .ok_or(Error::InvalidInput {
                        field: "deadline",
                        reason: "must be seconds, more than 0 and at most 86400".into(),
                    })
            })
            .transpose()?,
        journal: args.journal.clone(),
        resume: args.resume,
        resume_uncertain: args.resume_uncertain,
    };
    options.check()?;
    let client = client()?;
    let started = Instant::now();
    let mut running = Batch::start(&client, ops, &options)?;
    on_ctrl_c(running.stopper());
    eprintln!(
        "zoomlive batch: {} operations ({} to send) at {:.1}/s: about {:.1} s",
        running.total(),
        running.to_send(),
        options.start_rate(),
        running.expected_duration().as_secs_f64()
    );
    let bar = progress_bar(args.progress, running.total() as u64);
    let mut stdout = std::io::stdout().lock();
    let mut all: Vec<BatchResult> = Vec::with_capacity(running.total());
    let mut failures = 0;
    while let Some(r) = running.next() {
        if args.progress == Progress::Jsonl {
            // A closed stdout must not stop the batch: its journal and results matter more.
            let _ = writeln!(stdout, "{}", serde_json::to_string(&r).unwrap_or_default());
            let _ = stdout.flush();
        }
        if matches!(r.outcome, Outcome::Failed | Outcome::Uncertain) {
            failures += 1;
        }
        if let Some(bar) = &bar {
            bar.set_message(format!("{failures} failed, {:.1}/s", running.rate()));
            bar.inc(1);
        }
        all.push(r);
    }
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    drop(stdout);
    if let Some(path) = &args.results {
        batch::write_results(path, &all)?;
    }
    Ok(Finished {
        summary: Summary::of(&all),
        seconds: started.elapsed().as_secs_f64(),
        results: args.results.clone(),
    })
}

/// Ctrl-C (SIGINT; the console's Ctrl-C on Windows) during a batch: the first stops
/// dispatching (calls in flight finish, the rest are `deferred`: exit 13, the journal
/// resumable with `--resume`); a second ends the process at once (exit 130), the journal
/// as it stands (calls in flight then are `uncertain` on resume). The handler is in
/// place when this returns; without it (it cannot be installed) Ctrl-C ends the process.
/// A SIGINT ignored when the process started (`nohup`, a script's background job) stays
/// ignored: that Ctrl-C is meant for the foreground program, not this batch.
fn on_ctrl_c(stopper: Stopper) {
    if interrupt_ignored() {
        return;
    }
    let Ok(rt) = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    else {
        return;
    };
    let signal = {
        let _inside = rt.enter();
        #[cfg(unix)]
        let signal = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt());
        #[cfg(windows)]
        let signal = tokio::signal::windows::ctrl_c();
        signal
    };
    let Ok(mut signal) = signal else { return };
    let _ = std::thread::Builder::new()
        .name("zoomlive-ctrl-c".into())
        .spawn(move || {
            rt.block_on(async {
                if signal.recv().await.is_none() {
                    return;
                }
                stopper.stop();
                // (writeln!, not eprintln!: a closed stderr must not panic this thread)
                let _ = writeln!(
                    std::io::stderr(),
                    "zoomlive batch: interrupted: no further call is sent, the calls in flight \
                     finish (Ctrl-C again to quit at once)"
                );
                if signal.recv().await.is_some() {
                    let _ = writeln!(
                        std::io::stderr(),
                        "zoomlive batch: quit; resume with --resume and the same journal"
                    );
                    std::process::exit(130);
                }
            })
        });
}

/// Whether SIGINT is ignored (inherited so from the parent).
#[cfg(unix)]
fn interrupt_ignored() -> bool {
    // SAFETY: with a null new action, sigaction only writes the current one into `old`,
    // a plain struct for which all zeroes is a valid value.
    unsafe {
        let mut old: libc::sigaction = std::mem::zeroed();
        libc::sigaction(libc::SIGINT, std::ptr::null(), &mut old) == 0
            && old.sa_sigaction == libc::SIG_IGN
    }
}

#[cfg(not(unix))]
fn interrupt_ignored() -> bool {
    false
}

/// The bar on stderr: done/total, rate, ETA and failures, when stderr is a terminal.
fn progress_bar(progress: Progress, total: u64) -> Option<ProgressBar> {
    if progress != Progress::Auto || !std::io::stderr().is_terminal() {
        return None;
    }
    let style = ProgressStyle::with_template("{bar:40} {pos}/{len} {per_sec} ETA {eta} {msg}")
        .unwrap_or_else(|_| ProgressStyle::default_bar());
    Some(ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr()).with_style(style))
}
