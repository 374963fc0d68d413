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
    Ok(())
}
