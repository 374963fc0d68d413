//! The one mapping from `zoomlive::Error` to the Python exceptions defined in
//! `zoomlive/_errors.py` (plain Python classes, so that each can also derive from
//! `ValueError`, `ConnectionError` or `TimeoutError`).

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyModule};

use crate::{Error, ErrorKind};

/// The module holding the exception classes, imported once.
static ERRORS: PyOnceLock<Py<PyModule>> = PyOnceLock::new();

/// The name of the `zoomlive` exception class raised for each kind of error.
fn class_name(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::InvalidInput => "InvalidInputError",
        ErrorKind::Transport => "TransportError",
        ErrorKind::Timeout => "TimeoutError",
        ErrorKind::Auth => "AuthError",
        ErrorKind::NotFound => "NotFoundError",
        ErrorKind::RateLimited => "RateLimitError",
        ErrorKind::Api => "ApiError",
        ErrorKind::ProxyAuth => "ProxyAuthError",
    }
}

/// Builds the exception instance: the core's one-line `Display` as its message, and
/// the core's details (`field()`, `api()`) as its attributes.
pub(crate) fn exception<'py>(py: Python<'py>, err: &Error) -> PyResult<Bound<'py, PyAny>> {
    let module = ERRORS.get_or_try_init(py, || {
        PyModule::import(py, "zoomlive._errors").map(Bound::unbind)
    })?;
    let class = module.bind(py).getattr(class_name(err.kind()))?;
    let kwargs = PyDict::new(py);
    if let Error::InvalidInput { field, reason } = err {
        kwargs.set_item("field", *field)?;
        kwargs.set_item("reason", reason)?;
    }
    if let Some(api) = err.api() {
        let errors: Vec<(&str, &str)> = api
            .errors
            .iter()
            .map(|e| (e.field.as_str(), e.message.as_str()))
            .collect();
        kwargs.set_item("status", api.status)?;
        kwargs.set_item("code", api.code)?;
        kwargs.set_item("message", &api.message)?;
        kwargs.set_item("errors", errors)?;
        kwargs.set_item("tracking_id", &api.tracking_id)?;
        kwargs.set_item("retry_after", api.retry_after.map(|d| d.as_secs_f64()))?;
        kwargs.set_item("oauth_error", &api.oauth_error)?;
        kwargs.set_item("rate_limit_type", &api.rate_limit_type)?;
        kwargs.set_item("rate_limit_category", &api.rate_limit_category)?;
        kwargs.set_item("rate_limit_limit", api.rate_limit_limit)?;
        kwargs.set_item("rate_limit_remaining", api.rate_limit_remaining)?;
        kwargs.set_item("missing_scopes", api.missing_scopes())?;
    }
    let instance = class.call((err.to_string(),), Some(&kwargs))?;
    if let Some(trace) = err.trace() {
        instance.setattr("trace", trace)?;
    }
    Ok(instance)
}

impl From<Error> for PyErr {
    /// Raises the matching `zoomlive` exception (see `zoomlive/_errors.py`).
    fn from(err: Error) -> PyErr {
        Python::attach(|py| match exception(py, &err) {
            Ok(instance) => PyErr::from_value(instance),
            // Only when the package is broken (zoomlive._errors missing): say so.
            Err(import_failure) => import_failure,
        })
    }
}
