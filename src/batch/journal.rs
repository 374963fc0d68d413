//! The journal: an append-only JSON Lines file saying, before each call, that it is
//! being sent, and after it, how it ended; every line flushed and synced before the
//! next step. A resumed batch reads it back to skip what is done and name what may be.
//!
//! Lines: a header `{"zoomlive_batch_journal":1,"input":FINGERPRINT,"operations":N}`,
//! then `{"event":"sending","index":I,"attempt":A,...}`, `{"event":"retry",...}` (a
//! per-second 429: not done) and `{"event":"result",...}` with the result's columns.
//! No token, secret or stream key is ever written (a stream key appears only as a
//! hash prefix, in the operation's identity).

use std::collections::{HashMap, HashSet};
use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use serde_json::{Value, json};

use super::op::BatchOp;
use super::results::{BatchResult, Outcome};
use crate::error::{Error, Result};

/// The journal format's version, in its header line.
const VERSION: u64 = 1;

/// What an earlier run of the same input recorded.
#[derive(Debug, Default)]
pub(crate) struct Prior {
    /// Operations whose last line is an `ok` or `skipped` result: not sent again.
    pub done: HashMap<usize, BatchResult>,
    /// Operations whose last line is `sending`: the run died while they were in flight.
    pub in_flight: HashSet<usize>,
}

/// An open journal, appended to by every worker.
pub(crate) struct Journal {
    file: Mutex<File>,
    path: PathBuf,
}

fn refused(path: &Path, why: impl std::fmt::Display) -> Error {
    Error::input("journal", format!("{}: {why}", path.display()))
}

impl Journal {
    /// Opens the journal for `ops`. Without `resume` the file must not exist or be
    /// empty; with it, an existing journal must have been written for the same input.
    pub(crate) fn open(path: &Path, ops: &[BatchOp], resume: bool) -> Result<(Journal, Prior)> {
        let fingerprint = super::op::fingerprint(ops);
        let mut file = OpenOptions::new()
            .read(true)
            .append(true)
            .create(true)
            .open(path)
            .map_err(|e| refused(path, format!("cannot be opened: {e}")))?;
        let mut text = String::new();
        file.read_to_string(&mut text)
            .map_err(|e| refused(path, format!("cannot be read: {e}")))?;
        let journal = Journal {
            file: Mutex::new(file),
            path: path.to_owned(),
        };
        if text.trim().is_empty() {
            let header = json!({"zoomlive_batch_journal": VERSION, "input": fingerprint, "operations": ops.len()});
            journal.append(&header)?;
            return Ok((journal, Prior::default()));
        }
        if !resume {
            return Err(refused(
                path,
                "already holds a journal: resume it (--resume, resume=True) or name a new file",
            ));
        }
        let prior = read(path, &text, &fingerprint, ops.len())?;
        if !text.ends_with('\n') {
            // The last run died in the middle of a line: that step never completed,
            // and its fragment goes, so that the next line starts whole.
            let whole = text.rfind('\n').map_or(0, |at| at + 1);
            let file = journal.file.lock().unwrap_or_else(PoisonError::into_inner);
            file.set_len(whole as u64)
                .and_then(|()| file.sync_data())
                .map_err(|e| refused(path, format!("cannot be written: {e}")))?;
        }
        Ok((journal, prior))
    }

    /// Notes that attempt `attempt` of operation `index` is about to be sent.
    pub(crate) fn sending(&self, index: usize, op: &BatchOp, attempt: u32) -> Result<()> {
        let mut line = json!({"event": "sending", "index": index, "attempt": attempt});
        line["op"] = op.identity();
        self.append(&line)
    }

    /// Notes that a per-second 429 refused operation `index` (not done; it is retried).
    pub(crate) fn retry(&self, index: usize, attempt: u32) -> Result<()> {
        self.append(
            &json!({"event": "retry", "index": index, "attempt": attempt, "http_status": 429}),
        )
    }

    /// Notes how operation `result.index` ended.
    pub(crate) fn result(&self, result: &BatchResult) -> Result<()> {
        let mut line = serde_json::to_value(result).unwrap_or(Value::Null);
        line["event"] = json!("result");
        self.append(&line)
    }

    fn append(&self, line: &Value) -> Result<()> {
        let mut bytes = line.to_string().into_bytes();
        bytes.push(b'\n');
        self.write_raw(&bytes)
    }

    /// Writes, flushes and syncs, so that the line is on disk before the next step.
    fn write_raw(&self, bytes: &[u8]) -> Result<()> {
        let mut file = self.file.lock().unwrap_or_else(PoisonError::into_inner);
        file.seek(SeekFrom::End(0))
            .and_then(|_| file.write_all(bytes))
            .and_then(|()| file.flush())
            .and_then(|()| file.sync_data())
            .map_err(|e| refused(&self.path, format!("cannot be written: {e}")))
    }
}

/// Reads an existing journal for an input of `count` operations with `fingerprint`.
fn read(path: &Path, text: &str, fingerprint: &str, count: usize) -> Result<Prior> {
    let mut lines = text.lines().enumerate().peekable();
    let header: Value = lines
        .next()
        .and_then(|(_, l)| serde_json::from_str(l).ok())
        .unwrap_or(Value::Null);
    if header["zoomlive_batch_journal"] != json!(VERSION) {
        return Err(refused(path, "is not a zoomlive batch journal (version 1)"));
    }
    if header["input"] != json!(fingerprint) || header["operations"] != json!(count) {
        return Err(refused(
            path,
            "was written for another input (its operations differ): resume with the \
             input it was written for, or name a new journal",
        ));
    }
    let mut last: HashMap<usize, Value> = HashMap::new();
    while let Some((n, line)) = lines.next() {
        let is_last = lines.peek().is_none();
        if line.trim().is_empty() {
            continue;
        }
        let value: Value = match serde_json::from_str(line) {
            Ok(v) => v,
            // The run died while writing its last line: that step never completed.
            Err(_) if is_last && !text.ends_with('\n') => break,
            Err(e) => return Err(refused(path, format!("is damaged at line {}: {e}", n + 1))),
        };
        let index = value["index"]
            .as_u64()
            .map(|i| i as usize)
            .filter(|i| (1..=count).contains(i))
            .ok_or_else(|| refused(path, format!("is damaged at line {}: no index", n + 1)))?;
        last.insert(index, value);
    }
    let mut prior = Prior::default();
    for (index, value) in last {
        match value["event"].as_str() {
            Some("sending") => {
                prior.in_flight.insert(index);
            }
            Some("result") => {
                let result: BatchResult = serde_json::from_value(value).map_err(|e| {
                    refused(
                        path,
                        format!("holds an unreadable result for row {index}: {e}"),
                    )
                })?;
                if matches!(result.outcome, Outcome::Ok | Outcome::Skipped) {
                    prior.done.insert(index, result);
                }
            }
            _ => {}
        }
    }
    Ok(prior)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{LivestreamUpdate, MeetingId};

    fn ops() -> Vec<BatchOp> {
        let m = MeetingId::new(5).unwrap();
        vec![
            BatchOp::get(m),
            BatchOp::update(
                m,
                LivestreamUpdate::new("rtmp://x", "sk-very-secret", "https://p.x").unwrap(),
            ),
        ]
    }

    #[test]
    fn a_journal_is_resumed_only_for_its_input() {
        let path =
            std::env::temp_dir().join(format!("zoomlive-journal-{}.jsonl", std::process::id()));
        let _ = std::fs::remove_file(&path);
        let ops = ops();
        let (j, prior) = Journal::open(&path, &ops, false).unwrap();
        assert!(prior.done.is_empty());
        j.sending(1, &ops[0], 1).unwrap();
        let mut r = BatchResult::new(1, &ops[0], Outcome::Ok);
        r.attempts = 1;
        j.result(&r).unwrap();
        j.sending(2, &ops[1], 1).unwrap();
        drop(j);
        // A torn last line, as a kill in the middle of a write leaves.
        std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap()
            .write_all(b"{\"event\":\"res")
            .unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(!text.contains("sk-very-secret"), "{text}");
        assert_eq!(
            Journal::open(&path, &ops, false).err().unwrap().field(),
            Some("journal")
        );
        let other = vec![ops[0].clone()];
        let err = Journal::open(&path, &other, true).err().unwrap();
        assert!(err.to_string().contains("another input"), "{err}");
        let (j, prior) = Journal::open(&path, &ops, true).unwrap();
        assert_eq!(prior.done.keys().collect::<Vec<_>>(), [&1]);
        assert_eq!(prior.in_flight.iter().collect::<Vec<_>>(), [&2]);
        j.retry(2, 1).unwrap();
        drop(j);
        let (_, prior) = Journal::open(&path, &ops, true).unwrap();
        assert!(prior.in_flight.is_empty());
        let _ = std::fs::remove_file(&path);
    }
}
