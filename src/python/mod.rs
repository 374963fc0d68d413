//! The pyo3 module `zoomlive._zoomlive` (feature `python`): a thin translation of the
//! Rust API. Arguments are extracted into owned values, checked by the core, and the
//! network call runs with the GIL released; every `zoomlive::Error` becomes a Python
//! exception in one place (`errors.rs`). No validation or classification lives here.

mod batch;
mod client;
mod convert;
mod errors;
mod livestream;

use pyo3::prelude::*;

/// `zoomlive._zoomlive`: `Client`, `Livestream`, `BatchRun`, `BatchResult`,
/// `__version__` and the default URLs.
/// Import `zoomlive` instead, which adds the exception classes.
#[pymodule(gil_used = false)]
#[pyo3(name = "_zoomlive")]
fn zoomlive_module(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<client::Client>()?;
    m.add_class::<livestream::Livestream>()?;
    m.add_class::<batch::BatchRun>()?;
    m.add_class::<batch::BatchResult>()?;
    m.add("__version__", crate::VERSION)?;
    m.add("DEFAULT_BASE_URL", crate::DEFAULT_BASE_URL)?;
    m.add("DEFAULT_OAUTH_URL", crate::DEFAULT_OAUTH_URL)?;
    m.add("USER_AGENT", crate::USER_AGENT)?;
    m.add_function(wrap_pyfunction!(reset_logging, m)?)?;
    install_logging(m.py());
    Ok(())
}

/// The handle that clears the cached Python logging levels (see `reset_logging`).
static LOGGING: std::sync::OnceLock<pyo3_log::ResetHandle> = std::sync::OnceLock::new();

/// Makes zoomlive ask Python's `logging` again for the levels of the `"zoomlive"`
/// logger: it caches them (so a call whose records nobody wants costs nothing), so
/// call this after changing logging levels while the program runs.
#[pyfunction]
fn reset_logging() {
    if let Some(handle) = LOGGING.get() {
        handle.reset();
    }
}

/// Sends the trace's records to Python's `logging` logger `"zoomlive"` (debug: each
/// event; info: one line per call). Only target `zoomlive` passes: the HTTP and TLS
/// libraries' own records are not redacted, so they are dropped. Left alone when the
/// process already has a `log` consumer (zoomlive embedded in a Rust host).
fn install_logging(py: Python<'_>) {
    let Ok(logger) = pyo3_log::Logger::new(py, pyo3_log::Caching::LoggersAndLevels) else {
        return;
    };
    if let Ok(handle) = logger
        .filter(log::LevelFilter::Off)
        .filter_target(crate::LOG_TARGET.to_owned(), log::LevelFilter::Debug)
        .install()
    {
        let _ = LOGGING.set(handle);
    }
}
