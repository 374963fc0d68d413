//! A batch from C: file in, file out (FoxPro, Delphi and SQL Server cannot take
//! callbacks), the counts afterwards. The core does the work (`zoomlive::batch`).

use std::cell::Cell;
use std::ffi::c_char;
use std::path::Path;

use super::client::zoomlive_client;
use super::last_error::{self, LastError, status_of};
use super::status::*;
use super::text::copy_out;
use crate::batch::{self, Batch, BatchOptions, InputFormat, Summary};

thread_local! {
    /// The counts of the last batch run on this thread.
    static LAST_COUNTS: Cell<Summary> = const { Cell::new(Summary { ok: 0, failed: 0, deferred: 0, skipped: 0, uncertain: 0 }) };
}

/// Reads, runs and writes a batch (C and COM): the counts, or the error that stopped
/// it before anything was sent.
pub(crate) fn run_batch(
    client: &crate::Client,
    input: &str,
    results: &str,
    options: Option<&str>,
) -> crate::Result<Summary> {
    let options = BatchOptions::from_json(options.unwrap_or(""))?;
    let bytes = std::fs::read(input).map_err(|e| crate::Error::InvalidInput {
        field: "input_path",
        reason: format!("{input} cannot be read: {e}"),
    })?;
    let format = InputFormat::for_path(Path::new(input));
    let ops = batch::parse(&bytes, Some(format), &|name| std::env::var(name).ok())?;
    let all = Batch::start(client, ops, &options)?.collect_sorted();
    batch::write_results(Path::new(results), &all)?;
    Ok(Summary::of(&all))
}

/// The status of a batch that ran: OK, or its failure (failed or uncertain rows;
/// else deferred rows) as the Last* details describe it.
pub(crate) fn batch_failure(s: &Summary, results: &str) -> Option<LastError> {
    let status = if s.failed + s.uncertain > 0 {
        ZOOMLIVE_STATUS_BATCH_FAILED
    } else if s.deferred > 0 {
        ZOOMLIVE_STATUS_BATCH_DEFERRED
    } else {
        return None;
    };
    let message = format!(
        "batch: {} ok, {} failed, {} deferred, {} skipped, {} uncertain; see {results}",
        s.ok, s.failed, s.deferred, s.skipped, s.uncertain
    );
    Some(LastError::simple(status, message, "batch"))
}

ffi_fn! {
    /// Runs the operations of `input_path` (CSV with a header row, or JSON Lines when
    /// it ends in .jsonl/.ndjson/.json; see docs/src/batch.md) and writes one result
    /// row per operation to `results_path` (CSV, or JSON when it ends in .json).
    ///
    /// `options_json`: NULL, "" or `{"concurrency":4,"rate":20,"plan":"pro",
    /// "deadline":60,"journal":"C:\\jobs\\run.jsonl","resume":true,
    /// "resume_uncertain":false}` (every key optional). Blocks until the batch is done.
    /// Every row is checked before anything is sent: a refused row gives
    /// ZOOMLIVE_STATUS_INVALID_ARGUMENT naming its row, and no results file.
    ///
    /// Returns ZOOMLIVE_STATUS_OK when every operation is ok or skipped,
    /// ZOOMLIVE_STATUS_BATCH_FAILED when any failed (or is uncertain),
    /// ZOOMLIVE_STATUS_BATCH_DEFERRED when any were deferred and none failed; the
    /// counts are then read with `zoomlive_last_batch_counts`.
    fn zoomlive_batch_file(
        client: *mut zoomlive_client,
        input_path: *const c_char,
        results_path: *const c_char,
        options_json: *const c_char,
    ) -> zoomlive_status {
        let h = arg_handle!(client);
        let (input, results) = (arg_str!(input_path), arg_str!(results_path));
        let options = arg_opt_str!(options_json);
        LAST_COUNTS.with(|c| c.set(Summary::default()));
        let summary = match status_of(run_batch(&h.current(), input, results, options)) {
            Ok(summary) => summary,
            Err(status) => return status,
        };
        LAST_COUNTS.with(|c| c.set(summary));
        match batch_failure(&summary, results) {
            Some(f) => last_error::simple(f.status, f.message, &f.field),
            None => ZOOMLIVE_STATUS_OK,
        }
    }
}

ffi_fn! {
    /// The counts of the last `zoomlive_batch_file` on this thread as
    /// "ok;failed;deferred;skipped" (uncertain rows counted as failed; "0;0;0;0" when
    /// it ran nothing), copied into `buf` as by `zoomlive_last_error_message` (it does not
    /// clear the last error).
    reader fn zoomlive_last_batch_counts(buf: *mut c_char, cap: usize, needed: *mut usize) -> zoomlive_status {
        let s = LAST_COUNTS.with(Cell::get);
        let text = format!("{};{};{};{}", s.ok, s.failed + s.uncertain, s.deferred, s.skipped);
        // SAFETY: the caller's contract for buf/cap/needed.
        unsafe { copy_out(&text, buf, cap, needed) }
    }
}
