//! Turning Python arguments into the core's owned values. Only the Python types are
//! checked here (a wrong type is a `TypeError`); every value is checked by the core.

use pyo3::exceptions::{PyRecursionError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyInt, PyString};

use crate::{Error, LivestreamSettings};

/// The decimal text of an id given as `int` or `str`, for `MeetingId::parse` /
/// `WebinarId::parse` to check (so `0`, negative and too large ids get the core's
/// message). `bool`, `float` and anything else are a `TypeError`.
pub fn id_text(value: &Bound<'_, PyAny>, field: &str) -> PyResult<String> {
    if value.is_instance_of::<PyString>() {
        return value.extract();
    }
    if value.is_instance_of::<PyInt>() && !value.is_instance_of::<PyBool>() {
        // int(...) first, so that int subclasses (IntEnum, ...) give their digits.
        return value
            .py()
            .get_type::<PyInt>()
            .call1((value,))?
            .str()?
            .extract();
    }
    Err(PyTypeError::new_err(format!(
        "{field} must be an int or a str of decimal digits, not {}",
        type_name(value)
    )))
}

fn type_name(value: &Bound<'_, PyAny>) -> String {
    value
        .get_type()
        .name()
        .map_or_else(|_| "an unknown type".to_owned(), |n| n.to_string())
}

/// The live-stream settings of a status call: the `settings` object (a `dict` or JSON
/// text), then each keyword that was given, which wins over the same key in it.
pub struct SettingsArgs<'py> {
    settings: Option<Bound<'py, PyAny>>,
    active_speaker_name: Option<bool>,
    display_name: Option<String>,
    layout: Option<String>,
    close_caption: Option<String>,
}

impl<'py> SettingsArgs<'py> {
    /// The arguments meetings and webinars share.
    pub fn new(
        settings: Option<Bound<'py, PyAny>>,
        active_speaker_name: Option<bool>,
        display_name: Option<String>,
    ) -> Self {
        SettingsArgs {
            settings,
            active_speaker_name,
            display_name,
            layout: None,
            close_caption: None,
        }
    }

    /// Adds the keywords only meetings take.
    pub fn with_meeting_fields(
        self,
        layout: Option<String>,
        close_caption: Option<String>,
    ) -> Self {
        SettingsArgs {
            layout,
            close_caption,
            ..self
        }
    }

    /// Checks the settings with the core; `None` when none were given.
    pub fn into_settings(self) -> PyResult<Option<LivestreamSettings>> {
        let s = match &self.settings {
            None => LivestreamSettings::new(),
            Some(v) if v.is_none() => LivestreamSettings::new(),
            Some(v) if v.is_instance_of::<PyString>() => {
                LivestreamSettings::from_json(&v.extract::<String>()?)?
            }
            Some(v) if v.is_instance_of::<PyDict>() => {
                // json.dumps turns the dict into the JSON text the core parses; what
                // JSON cannot hold is json's own TypeError.
                // A structure json cannot walk (circular, or deeper than Python's
                // recursion limit) is the caller's bad input, not a crash.
                let py = v.py();
                let json = match py.import("json")?.call_method1("dumps", (v,)) {
                    Ok(json) => json,
                    Err(e)
                        if e.is_instance_of::<PyRecursionError>(py)
                            || e.is_instance_of::<PyValueError>(py) =>
                    {
                        return Err(Error::input(
                            "settings",
                            "is circular or nests too deeply to be sent as JSON",
                        )
                        .into());
                    }
                    Err(e) => return Err(e),
                };
                LivestreamSettings::from_json(&json.extract::<String>()?)?
            }
            Some(v) => {
                return Err(PyTypeError::new_err(format!(
                    "settings must be a dict or a JSON object as str, not {}",
                    type_name(v)
                )));
            }
        };
        let s = s.with_fields(
            self.active_speaker_name,
            self.display_name.as_deref(),
            self.layout.as_deref(),
            self.close_caption.as_deref(),
        )?;
        Ok((!s.is_empty()).then_some(s))
    }
}

/// `max_retries` as the core's count: 0 to 4294967295.
pub fn retry_count(max_retries: i64) -> Result<u32, Error> {
    u32::try_from(max_retries)
        .map_err(|_| Error::input("max_retries", "must be between 0 and 4294967295"))
}

/// Python's `repr()` of a str.
pub(crate) fn py_repr(py: Python<'_>, text: &str) -> PyResult<String> {
    PyString::new(py, text).repr()?.extract()
}
