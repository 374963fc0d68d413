//! The Python class `Livestream`: the core's read-back live stream, shown to Python.

use pyo3::prelude::*;
use pyo3::types::PyDict;

use super::convert::py_repr;
use crate::Secret;

/// A live stream's configuration, as `get_meeting_livestream` /
/// `get_webinar_livestream` return it: the core's value, shown to Python. Each field
/// is None when Zoom's answer lacked it. Immutable; compares by value; its `repr()`
/// hides the stream key.
#[pyclass(frozen, eq, hash, module = "zoomlive._zoomlive")]
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Livestream(pub(crate) crate::Livestream);

#[pymethods]
impl Livestream {
    /// A live stream configuration (for tests and fakes; the client builds them).
    #[new]
    #[pyo3(signature = (*, stream_url, stream_key, page_url, resolution=None))]
    fn new(
        stream_url: Option<String>,
        stream_key: Option<String>,
        page_url: Option<String>,
        resolution: Option<String>,
    ) -> Self {
        Livestream(crate::Livestream {
            stream_url,
            stream_key: stream_key.map(Secret::new),
            page_url,
            resolution,
        })
    }

    /// The streaming endpoint URL (`rtmp://...`), or None.
    #[getter]
    fn stream_url(&self) -> Option<&str> {
        self.0.stream_url.as_deref()
    }

    /// The stream key, or None.
    #[getter]
    fn stream_key(&self) -> Option<&str> {
        self.0.stream_key()
    }

    /// The page where viewers watch the stream, or None.
    #[getter]
    fn page_url(&self) -> Option<&str> {
        self.0.page_url.as_deref()
    }

    /// `"720p"`, `"1080p"`, or None when Zoom reports none.
    #[getter]
    fn resolution(&self) -> Option<&str> {
        self.0.resolution.as_deref()
    }

    /// The fields as a dict (the stream key included; None for a missing field), from
    /// the core's one serialisation of a live stream.
    fn to_dict(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let dict = PyDict::new(py);
        if let serde_json::Value::Object(fields) = self.0.to_json() {
            for (key, value) in fields {
                dict.set_item(key, value.as_str())?;
            }
        }
        Ok(dict.into_any().unbind())
    }

    /// `Livestream(stream_url=..., stream_key='***', page_url=..., resolution=...)`.
    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let show = |text: Option<&str>| match text {
            Some(t) => py_repr(py, t),
            None => Ok("None".to_owned()),
        };
        let key = if self.0.stream_key.is_some() {
            "'***'"
        } else {
            "None"
        };
        Ok(format!(
            "Livestream(stream_url={}, stream_key={key}, page_url={}, resolution={})",
            show(self.stream_url())?,
            show(self.page_url())?,
            show(self.resolution())?
        ))
    }
}
