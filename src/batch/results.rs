//! What a batch reports: one result per input operation (outcome, Zoom's details,
//! attempts, time), the counts, and the results file (CSV or JSON) whose columns
//! FoxPro's `APPEND FROM` and SQL Server's `BULK INSERT` read by position.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::exchange::retry_after::iso_8601;
use crate::model::Livestream;

/// How an operation of a batch ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// Zoom accepted it (now, or in the run a journal records).
    Ok,
    /// Zoom refused it, or it could not be sent; see the error columns.
    Failed,
    /// Not sent: the daily limit (see `resume_at`), the deadline, or a stop.
    Deferred,
    /// Not sent again: a duplicate of an earlier row.
    Skipped,
    /// Sent by an earlier run that died before the answer: Zoom may have done it.
    /// Sent again only with `resume_uncertain`.
    Uncertain,
}

impl Outcome {
    /// `ok`, `failed`, `deferred`, `skipped` or `uncertain`.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Ok => "ok",
            Outcome::Failed => "failed",
            Outcome::Deferred => "deferred",
            Outcome::Skipped => "skipped",
            Outcome::Uncertain => "uncertain",
        }
    }
}

/// The result of one operation. Its fields are the results file's columns, in order.
/// Holds no token, secret or stream key.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BatchResult {
    /// The operation's 1-based position in the input.
    pub index: usize,
    /// The caller's key, if given.
    pub key: Option<String>,
    /// `start`, `stop`, `update` or `get`.
    pub op: String,
    /// `meeting` or `webinar`.
    pub kind: String,
    /// The meeting or webinar id.
    pub id: String,
    /// How it ended.
    pub outcome: Outcome,
    /// The HTTP status of the last answer, if there was one.
    pub http_status: Option<u16>,
    /// Zoom's error code, if it gave one.
    pub zoom_code: Option<i64>,
    /// The error's kind (`not_found`, `rate_limited`, ... as `ErrorKind::as_str`).
    pub error_kind: Option<String>,
    /// What went wrong (or, for a skipped row, which row it repeats).
    pub message: Option<String>,
    /// Zoom's `x-zm-trackingid`, to quote to Zoom support.
    pub tracking_id: Option<String>,
    /// Calls made for it (0 when not sent).
    pub attempts: u32,
    /// Milliseconds from its first call to its result.
    pub ms: u64,
    /// For a daily-limit deferral: when Zoom's limit resets (ISO 8601, UTC).
    pub resume_at: Option<String>,
    /// A `get`'s answer (stream key included: never written to any file).
    #[serde(skip)]
    pub livestream: Option<Livestream>,
    /// The error, for `failed` (and a deferral Zoom answered).
    #[serde(skip)]
    pub error: Option<Arc<Error>>,
}

impl BatchResult {
    /// A result with no call made yet.
    pub(crate) fn new(index: usize, op: &super::BatchOp, outcome: Outcome) -> Self {
        BatchResult {
            index,
            key: op.key.clone(),
            op: op.operation.name().to_owned(),
            kind: op.owner.kind().as_str().to_owned(),
            id: op.owner.id().to_string(),
            outcome,
            http_status: None,
            zoom_code: None,
            error_kind: None,
            message: None,
            tracking_id: None,
            attempts: 0,
            ms: 0,
            resume_at: None,
            livestream: None,
            error: None,
        }
    }

    /// Fills the error columns from `error`.
    pub(crate) fn set_error(&mut self, error: Error) {
        let api = error.api();
        self.http_status = api.map(|a| a.status);
        self.zoom_code = api.and_then(|a| a.code);
        self.tracking_id = api.and_then(|a| a.tracking_id.clone());
        self.error_kind = Some(error.kind().as_str().to_owned());
        self.message = Some(error.to_string());
        self.error = Some(Arc::new(error));
    }
}

/// How many operations ended each way.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Accepted.
    pub ok: usize,
    /// Refused or not sendable.
    pub failed: usize,
    /// Not sent (daily limit, deadline, stop).
    pub deferred: usize,
    /// Duplicates, and rows a resumed journal records as done.
    pub skipped: usize,
    /// Possibly done by a run that died; not sent again.
    pub uncertain: usize,
}

impl Summary {
    /// The counts of these results.
    pub fn of<'a>(results: impl IntoIterator<Item = &'a BatchResult>) -> Self {
        let mut s = Summary::default();
        for r in results {
            s.add(r.outcome);
        }
        s
    }

    /// Counts one more outcome.
    pub fn add(&mut self, outcome: Outcome) {
        match outcome {
            Outcome::Ok => self.ok += 1,
            Outcome::Failed => self.failed += 1,
            Outcome::Deferred => self.deferred += 1,
            Outcome::Skipped => self.skipped += 1,
            Outcome::Uncertain => self.uncertain += 1,
        }
    }

    /// Every operation counted.
    pub fn total(&self) -> usize {
        self.ok + self.failed + self.deferred + self.skipped + self.uncertain
    }
}

/// Writes the results, one row per input operation in input order: JSON (an array of
/// objects) when the path ends in `.json`, else CSV with a header row.
pub fn write_results(path: &Path, results: &[BatchResult]) -> Result<()> {
    let mut sorted: Vec<&BatchResult> = results.iter().collect();
    sorted.sort_by_key(|r| r.index);
    let refused = |e: String| {
        Error::input(
            "results_path",
            format!("cannot be written ({}): {e}", path.display()),
        )
    };
    let json = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    let bytes = if json {
        let mut text = serde_json::to_vec_pretty(&sorted).map_err(|e| refused(e.to_string()))?;
        text.push(b'\n');
        text
    } else {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(Vec::new());
        for r in &sorted {
            w.serialize(r).map_err(|e| refused(e.to_string()))?;
        }
        if sorted.is_empty() {
            w.write_record(COLUMNS)
                .map_err(|e| refused(e.to_string()))?;
        }
        w.into_inner().map_err(|e| refused(e.to_string()))?
    };
    std::fs::write(path, bytes).map_err(|e| refused(e.to_string()))
}

/// The results file's columns, in order.
pub const COLUMNS: [&str; 14] = [
    "index",
    "key",
    "op",
    "kind",
    "id",
    "outcome",
    "http_status",
    "zoom_code",
    "error_kind",
    "message",
    "tracking_id",
    "attempts",
    "ms",
    "resume_at",
];

/// When a wait from now ends, in ISO 8601.
pub(crate) fn iso_after(wait: Duration) -> String {
    iso_8601(SystemTime::now() + wait)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::batch::BatchOp;
    use crate::model::MeetingId;

    #[test]
    fn the_csv_columns_come_in_the_documented_order() {
        let op = BatchOp::get(MeetingId::new(5).unwrap())
            .with_key("a,b")
            .unwrap();
        let mut r = BatchResult::new(2, &op, Outcome::Deferred);
        r.resume_at = Some(iso_8601(
            std::time::UNIX_EPOCH + Duration::from_secs(951_782_400),
        ));
        let dir = std::env::temp_dir().join(format!("zoomlive-results-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("r.csv");
        write_results(&path, &[r.clone(), BatchResult::new(1, &op, Outcome::Ok)]).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        let mut lines = text.lines();
        assert_eq!(lines.next().unwrap(), COLUMNS.join(","));
        assert_eq!(
            lines.next().unwrap(),
            "1,\"a,b\",get,meeting,5,ok,,,,,,0,0,"
        );
        assert_eq!(
            lines.next().unwrap(),
            "2,\"a,b\",get,meeting,5,deferred,,,,,,0,0,2000-02-29T00:00:00Z"
        );
        let path = dir.join("r.json");
        write_results(&path, &[r]).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        let keys: Vec<&String> = v[0].as_object().unwrap().keys().collect();
        assert_eq!(keys.len(), COLUMNS.len());
        let _ = std::fs::remove_dir_all(dir);
    }
}
