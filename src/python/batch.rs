//! `Client.batch(...)`'s Python side: the operations (dicts with the CSV file's names)
//! read into the core's checked operations, the running batch as an iterator of
//! `BatchResult` in completion order, the GIL released while waiting, Ctrl-C stopping
//! dispatching and leaving a resumable journal.

use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};

use super::errors::exception;
use super::livestream::Livestream;
use crate::batch::{self, Batch, BatchOp, BatchOptions, Next, Plan};

/// How long one wait for a result lasts before signals (Ctrl-C) are looked at.
const POLL: Duration = Duration::from_millis(100);

/// One operation's field as the text a CSV field would hold (`None`: not given).
fn field_text(value: &Bound<'_, PyAny>) -> PyResult<Option<String>> {
    if value.is_none() {
        return Ok(None);
    }
    if let Ok(b) = value.extract::<bool>() {
        return Ok(Some(b.to_string()));
    }
    if value.is_instance_of::<PyString>() {
        let text = value.extract::<String>()?.trim().to_owned();
        return Ok(Some(text).filter(|t| !t.is_empty()));
    }
    if let Ok(n) = value.extract::<i128>() {
        return Ok(Some(n.to_string()));
    }
    Err(PyTypeError::new_err(format!(
        "an operation's fields are str, int, bool or None, not {}",
        value.get_type().name()?
    )))
}

/// Reads the operations (each a dict, as `zoomlive.op.*` builds them); the first
/// refused one fails them all, named by its 1-based row, before anything is sent.
pub(crate) fn read_ops(ops: &Bound<'_, PyAny>) -> PyResult<Vec<BatchOp>> {
    let mut out = Vec::new();
    for (i, item) in ops.try_iter()?.enumerate() {
        let item = item?;
        let dict = item
            .cast::<PyDict>()
            .map_err(|_| PyTypeError::new_err(format!("operation {} is not a dict", i + 1)))?;
        let mut fields = std::collections::HashMap::new();
        for (k, v) in dict.iter() {
            let name: String = k.extract()?;
            if let Some(text) = field_text(&v)? {
                fields.insert(name, text);
            }
        }
        let get = |name: &str| fields.get(name).cloned();
        let env = |name: &str| std::env::var(name).ok();
        out.push(batch::op_from_fields(&get, &env, i + 1)?);
    }
    Ok(out)
}

/// The batch's options from `Client.batch`'s keywords, checked by the core.
pub(crate) fn options(
    concurrency: usize,
    rate: Option<f64>,
    plan: &str,
    deadline: Option<f64>,
    journal: Option<std::path::PathBuf>,
    resume: bool,
    resume_uncertain: bool,
) -> PyResult<BatchOptions> {
    let deadline = match deadline {
        Some(s) if s.is_finite() && s > 0.0 && s <= 86_400.0 => Some(Duration::from_secs_f64(s)),
        Some(_) => {
            return Err(crate::Error::InvalidInput {
                field: "deadline",
                reason: "must be seconds, more than 0 and at most 86400".into(),
            }
            .into());
        }
        None => None,
    };
    let options = BatchOptions {
        concurrency,
        rate,
        plan: Plan::parse(plan)?,
        deadline,
        journal,
        resume,
        resume_uncertain,
    };
    options.check()?;
    Ok(options)
}

/// The result of one operation of a batch: the results file's columns as attributes
/// (`index`, `key`, `op`, `kind`, `id`, `outcome`, `http_status`, `zoom_code`,
/// `error_kind`, `message`, `tracking_id`, `attempts`, `ms`, `resume_at`), plus
/// `error` (the `ZoomLiveError`, or None) and `livestream` (a `get`'s answer).
#[pyclass(frozen, get_all, module = "zoomlive._zoomlive")]
pub struct BatchResult {
    index: usize,
    key: Option<String>,
    op: String,
    kind: String,
    id: String,
    outcome: &'static str,
    http_status: Option<u16>,
    zoom_code: Option<i64>,
    error_kind: Option<String>,
    message: Option<String>,
    tracking_id: Option<String>,
    attempts: u32,
    ms: u64,
    resume_at: Option<String>,
    error: Option<Py<PyAny>>,
    livestream: Option<Py<Livestream>>,
}

impl BatchResult {
    fn new(py: Python<'_>, r: batch::BatchResult) -> PyResult<Self> {
        let error = match &r.error {
            Some(e) => Some(exception(py, e)?.unbind()),
            None => None,
        };
        let livestream = match r.livestream {
            Some(ls) => Some(Py::new(py, Livestream(ls))?),
            None => None,
        };
        Ok(BatchResult {
            index: r.index,
            key: r.key,
            op: r.op,
            kind: r.kind,
            id: r.id,
            outcome: r.outcome.as_str(),
            http_status: r.http_status,
            zoom_code: r.zoom_code,
            error_kind: r.error_kind,
            message: r.message,
            tracking_id: r.tracking_id,
            attempts: r.attempts,
            ms: r.ms,
            resume_at: r.resume_at,
            error,
            livestream,
        })
    }
}

#[pymethods]
impl BatchResult {
    /// `<zoomlive.BatchResult 3 start meeting 68423085 ok>`.
    fn __repr__(&self) -> String {
        format!(
            "<zoomlive.BatchResult {} {} {} {} {}>",
            self.index, self.op, self.kind, self.id, self.outcome
        )
    }
}

/// A running batch: iterate it for its results in completion order (`len()` is the
/// number of operations, so `tqdm(client.batch(ops))` shows a bar). Ctrl-C while
/// waiting stops dispatching, lets calls in flight finish (their results go to the
/// journal), then raises `KeyboardInterrupt`.
#[pyclass(frozen, module = "zoomlive._zoomlive")]
pub struct BatchRun {
    batch: Mutex<Option<Batch>>,
    on_result: Option<Py<PyAny>>,
    total: usize,
    to_send: usize,
    expected: f64,
}

impl BatchRun {
    pub(crate) fn new(batch: Batch, on_result: Option<Py<PyAny>>) -> Self {
        BatchRun {
            total: batch.total(),
            to_send: batch.to_send(),
            expected: batch.expected_duration().as_secs_f64(),
            batch: Mutex::new(Some(batch)),
            on_result,
        }
    }

    /// Stops dispatching and waits for calls in flight (their results are journaled).
    fn stop_and_wait(&self, py: Python<'_>) {
        let batch = self
            .batch
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        if let Some(batch) = batch {
            // Dropping it stops dispatching and joins the workers.
            py.detach(move || drop(batch));
        }
    }
}

#[pymethods]
impl BatchRun {
    fn __iter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    fn __next__(&self, py: Python<'_>) -> PyResult<Option<Py<BatchResult>>> {
        loop {
            // Looked at before every wait, not only after an empty one: results may come
            // faster than POLL, and a Ctrl-C taken by another thread (Python 3.11 may not
            // wake the main thread's evaluation loop for it) is seen only here.
            if let Err(interrupt) = py.check_signals() {
                self.stop_and_wait(py);
                return Err(interrupt);
            }
            let next = py.detach(|| {
                let mut guard = self.batch.lock().unwrap_or_else(PoisonError::into_inner);
                match guard.as_mut() {
                    Some(batch) => batch.next_within(POLL),
                    None => Next::Done,
                }
            });
            match next {
                Next::Result(r) => {
                    let result = Py::new(py, BatchResult::new(py, *r)?)?;
                    if let Some(callback) = &self.on_result {
                        callback.call1(py, (result.clone_ref(py),))?;
                    }
                    return Ok(Some(result));
                }
                Next::Done => return Ok(None),
                Next::Pending => {}
            }
        }
    }

    fn __len__(&self) -> usize {
        self.total
    }

    /// How many operations this run sends (not done by an earlier run, not repeats).
    #[getter]
    fn to_send(&self) -> usize {
        self.to_send
    }

    /// How long sending them should take at the starting rate, in seconds.
    #[getter]
    fn expected_seconds(&self) -> f64 {
        self.expected
    }

    /// The current pace, in calls per second (lowered by Zoom's limits).
    #[getter]
    fn rate(&self) -> Option<f64> {
        self.batch
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .as_ref()
            .map(Batch::rate)
    }

    /// Counts of the results read so far: `{"ok": .., "failed": .., "deferred": ..,
    /// "skipped": .., "uncertain": ..}`.
    #[getter]
    fn summary<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let guard = self.batch.lock().unwrap_or_else(PoisonError::into_inner);
        let s = guard.as_ref().map(Batch::summary).unwrap_or_default();
        let d = PyDict::new(py);
        d.set_item("ok", s.ok)?;
        d.set_item("failed", s.failed)?;
        d.set_item("deferred", s.deferred)?;
        d.set_item("skipped", s.skipped)?;
        d.set_item("uncertain", s.uncertain)?;
        Ok(d)
    }

    /// Stops dispatching: calls in flight finish; the rest are reported `deferred`.
    fn stop(&self) {
        if let Some(batch) = self
            .batch
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .as_ref()
        {
            batch.stop();
        }
    }
}
