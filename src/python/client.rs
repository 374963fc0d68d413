//! The Python classes `Client` and `Livestream`.

use std::sync::{Mutex, PoisonError};

use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};

use super::convert::{self, SettingsArgs, id_text};
use crate::{Action, BodyEncoding, ClientBuilder, Credentials, MeetingId, WebinarId};

/// Performs Zoom's REST v2 live-stream operations.
///
/// `Client(access_token, *, base_url=None, encoding="multipart", timeout=None,
/// connect_timeout=None, max_retries=None, allow_insecure_http=False)`, or
/// `Client.server_to_server(account_id, client_id, client_secret, *, oauth_url=None,
/// ...)`. `encoding` is `"multipart"` (what the legacy code sends) or `"json"`;
/// `timeout` / `connect_timeout` are seconds (defaults 30 and 10); `max_retries` counts
/// retries after a 429 asking for a short wait (default 2; 0 raises at once).
///
/// Thread-safe: share one client between threads; each call releases the GIL while it
/// talks to Zoom. Use it as a context manager (or call `close()`) to release its
/// connections. Never shows its token or secret, in `repr()` or in any error.
#[pyclass(frozen, module = "zoomlive._zoomlive")]
pub struct Client {
    /// `None` once closed. Locked only to clone the (Arc-based) client.
    inner: Mutex<Option<crate::Client>>,
    /// The API base URL in use (kept for `repr()` after `close()`).
    base_url: String,
    /// The body encoding in use.
    encoding: BodyEncoding,
    /// `access_token` or `server_to_server`, for `repr()`.
    auth: &'static str,
}

/// Python's `repr()` of a str.
fn py_repr(py: Python<'_>, text: &str) -> PyResult<String> {
    PyString::new(py, text).repr()?.extract()
}

/// The keyword options both constructors share.
struct Options {
    base_url: Option<String>,
    oauth_url: Option<String>,
    encoding: String,
    timeout: Option<f64>,
    connect_timeout: Option<f64>,
    max_retries: Option<i64>,
    allow_insecure_http: bool,
}

impl Options {
    /// Applies the options to a builder and builds; every check is the core's.
    fn build(self, credentials: Credentials, auth: &'static str) -> PyResult<Client> {
        let mut builder = ClientBuilder::new(credentials)
            .encoding(BodyEncoding::parse(&self.encoding)?)
            .allow_insecure_http(self.allow_insecure_http);
        if let Some(url) = self.base_url {
            builder = builder.base_url(url);
        }
        if let Some(url) = self.oauth_url {
            builder = builder.oauth_url(url);
        }
        if let Some(secs) = self.timeout {
            builder = builder.timeout(convert::seconds("timeout", secs)?);
        }
        if let Some(secs) = self.connect_timeout {
            builder = builder.connect_timeout(convert::seconds("connect_timeout", secs)?);
        }
        if let Some(n) = self.max_retries {
            builder = builder.retry_policy(convert::retry_policy(n)?);
        }
        let client = builder.build()?;
        Ok(Client {
            base_url: client.base_url().to_owned(),
            encoding: client.encoding(),
            inner: Mutex::new(Some(client)),
            auth,
        })
    }
}

impl Client {
    /// The core client, or `RuntimeError` once closed.
    fn core(&self) -> PyResult<crate::Client> {
        self.inner
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
            .ok_or_else(|| PyRuntimeError::new_err("this zoomlive.Client is closed"))
    }
}

#[pymethods]
impl Client {
    /// A client authenticating with a bearer access token obtained elsewhere.
    ///
    /// `base_url`: the API base (default Zoom's `https://api.zoom.us/v2`; `http://` only
    /// to loopback unless `allow_insecure_http`). `encoding`: `"multipart"` (default,
    /// as the legacy code sends) or `"json"`. `timeout` / `connect_timeout`: seconds for
    /// a whole call / for connecting (defaults 30 and 10). `max_retries`: retries after
    /// a 429 (default 2; 0 raises `RateLimitError` at once).
    #[new]
    #[pyo3(signature = (access_token, *, base_url=None, encoding="multipart".to_owned(),
                        timeout=None, connect_timeout=None, max_retries=None,
                        allow_insecure_http=false),
           text_signature = "(access_token, *, base_url=None, encoding='multipart', \
                             timeout=None, connect_timeout=None, max_retries=None, \
                             allow_insecure_http=False)")]
    fn new(
        access_token: String,
        base_url: Option<String>,
        encoding: String,
        timeout: Option<f64>,
        connect_timeout: Option<f64>,
        max_retries: Option<i64>,
        allow_insecure_http: bool,
    ) -> PyResult<Self> {
        let credentials = Credentials::access_token(&access_token)?;
        let options = Options {
            base_url,
            oauth_url: None,
            encoding,
            timeout,
            connect_timeout,
            max_retries,
            allow_insecure_http,
        };
        options.build(credentials, "access_token")
    }

    /// A client using a Server-to-Server OAuth app: tokens are fetched from `oauth_url`
    /// (default `https://zoom.us/oauth/token`) when needed, cached, shared by all
    /// threads and refreshed before they expire or when Zoom refuses one. The other
    /// options are as for `Client(...)`.
    #[staticmethod]
    #[pyo3(signature = (account_id, client_id, client_secret, *, base_url=None, oauth_url=None,
                        encoding="multipart".to_owned(), timeout=None, connect_timeout=None,
                        max_retries=None, allow_insecure_http=false),
           text_signature = "(account_id, client_id, client_secret, *, base_url=None, \
                             oauth_url=None, encoding='multipart', timeout=None, \
                             connect_timeout=None, max_retries=None, allow_insecure_http=False)")]
    #[allow(clippy::too_many_arguments)]
    fn server_to_server(
        account_id: String,
        client_id: String,
        client_secret: String,
        base_url: Option<String>,
        oauth_url: Option<String>,
        encoding: String,
        timeout: Option<f64>,
        connect_timeout: Option<f64>,
        max_retries: Option<i64>,
        allow_insecure_http: bool,
    ) -> PyResult<Self> {
        let credentials = Credentials::server_to_server(&account_id, &client_id, &client_secret)?;
        let options = Options {
            base_url,
            oauth_url,
            encoding,
            timeout,
            connect_timeout,
            max_retries,
            allow_insecure_http,
        };
        options.build(credentials, "server_to_server")
    }

    /// The API base URL in use, without a trailing `/`.
    #[getter]
    fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The body encoding in use: `"multipart"` or `"json"`.
    #[getter]
    fn encoding(&self) -> &'static str {
        self.encoding.as_str()
    }

    /// True once `close()` was called (or the `with` block ended).
    #[getter]
    fn closed(&self) -> bool {
        self.inner
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .is_none()
    }

    /// Releases the client's connections; later calls raise `RuntimeError`. Calls
    /// already running in other threads finish normally. Closing twice is harmless.
    fn close(&self) {
        self.inner
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
    }

    /// Returns the client itself.
    fn __enter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    /// Closes the client; exceptions propagate.
    #[pyo3(signature = (exc_type, exc_value, traceback))]
    fn __exit__(
        &self,
        exc_type: Option<Bound<'_, PyAny>>,
        exc_value: Option<Bound<'_, PyAny>>,
        traceback: Option<Bound<'_, PyAny>>,
    ) {
        let _ = (exc_type, exc_value, traceback);
        self.close();
    }

    /// `<zoomlive.Client base_url='...' encoding='...' auth='...'>`, never a credential.
    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!(
            "<zoomlive.Client base_url={} encoding='{}' auth='{}'{}>",
            py_repr(py, &self.base_url)?,
            self.encoding.as_str(),
            self.auth,
            if self.closed() { " closed" } else { "" }
        ))
    }

    /// Starts or stops a meeting's live stream: `PATCH /meetings/{id}/livestream/status`.
    ///
    /// `meeting_id`: an int or a str of decimal digits. `action`: `"start"` or `"stop"`.
    /// Settings (only accepted by Zoom while the stream is stopped) come from
    /// `settings` (a dict, or a JSON object as str) and the keywords, which win over
    /// the same key in `settings`. Returns None; raises a `zoomlive.ZoomLiveError`.
    #[pyo3(signature = (meeting_id, action, *, settings=None, active_speaker_name=None,
                        display_name=None, layout=None, close_caption=None))]
    #[allow(clippy::too_many_arguments)]
    fn update_meeting_livestream_status(
        &self,
        py: Python<'_>,
        meeting_id: &Bound<'_, PyAny>,
        action: String,
        settings: Option<Bound<'_, PyAny>>,
        active_speaker_name: Option<bool>,
        display_name: Option<String>,
        layout: Option<String>,
        close_caption: Option<String>,
    ) -> PyResult<()> {
        let id = MeetingId::parse(&id_text(meeting_id, "meeting_id")?)?;
        let action = Action::parse(&action)?;
        let settings = SettingsArgs {
            settings,
            active_speaker_name,
            display_name,
            layout,
            close_caption,
        }
        .into_settings()?;
        let client = self.core()?;
        py.detach(move || client.update_meeting_livestream_status(id, action, settings.as_ref()))?;
        Ok(())
    }

    /// Starts or stops a webinar's live stream: `PATCH /webinars/{id}/livestream/status`.
    /// Arguments as for `update_meeting_livestream_status`.
    #[pyo3(signature = (webinar_id, action, *, settings=None, active_speaker_name=None,
                        display_name=None))]
    fn update_webinar_livestream_status(
        &self,
        py: Python<'_>,
        webinar_id: &Bound<'_, PyAny>,
        action: String,
        settings: Option<Bound<'_, PyAny>>,
        active_speaker_name: Option<bool>,
        display_name: Option<String>,
    ) -> PyResult<()> {
        let id = WebinarId::parse(&id_text(webinar_id, "webinar_id")?)?;
        let action = Action::parse(&action)?;
        let settings = SettingsArgs {
            settings,
            active_speaker_name,
            display_name,
            layout: None,
            close_caption: None,
        }
        .into_settings()?;
        let client = self.core()?;
        py.detach(move || client.update_webinar_livestream_status(id, action, settings.as_ref()))?;
        Ok(())
    }

    /// Sets where a meeting streams to: `PATCH /meetings/{id}/livestream`.
    ///
    /// `stream_url` (≤ 1024 characters), `stream_key` (≤ 512, never shown in errors) and
    /// `page_url` (an absolute http(s) URL) are required; `resolution` is `"720p"` or
    /// `"1080p"`. Returns None.
    #[pyo3(signature = (meeting_id, *, stream_url, stream_key, page_url, resolution=None))]
    fn update_meeting_livestream(
        &self,
        py: Python<'_>,
        meeting_id: &Bound<'_, PyAny>,
        stream_url: String,
        stream_key: String,
        page_url: String,
        resolution: Option<String>,
    ) -> PyResult<()> {
        let id = MeetingId::parse(&id_text(meeting_id, "meeting_id")?)?;
        let update = crate::LivestreamUpdate::with_optional_resolution(
            &stream_url,
            &stream_key,
            &page_url,
            resolution.as_deref(),
        )?;
        let client = self.core()?;
        py.detach(move || client.update_meeting_livestream(id, &update))?;
        Ok(())
    }

    /// Sets where a webinar streams to: `PATCH /webinars/{id}/livestream`. Arguments as
    /// for `update_meeting_livestream`.
    #[pyo3(signature = (webinar_id, *, stream_url, stream_key, page_url, resolution=None))]
    fn update_webinar_livestream(
        &self,
        py: Python<'_>,
        webinar_id: &Bound<'_, PyAny>,
        stream_url: String,
        stream_key: String,
        page_url: String,
        resolution: Option<String>,
    ) -> PyResult<()> {
        let id = WebinarId::parse(&id_text(webinar_id, "webinar_id")?)?;
        let update = crate::LivestreamUpdate::with_optional_resolution(
            &stream_url,
            &stream_key,
            &page_url,
            resolution.as_deref(),
        )?;
        let client = self.core()?;
        py.detach(move || client.update_webinar_livestream(id, &update))?;
        Ok(())
    }

    /// Reads a meeting's live stream configuration: `GET /meetings/{id}/livestream`.
    fn get_meeting_livestream(
        &self,
        py: Python<'_>,
        meeting_id: &Bound<'_, PyAny>,
    ) -> PyResult<Livestream> {
        let id = MeetingId::parse(&id_text(meeting_id, "meeting_id")?)?;
        let client = self.core()?;
        Ok(py.detach(move || client.get_meeting_livestream(id))?.into())
    }

    /// Reads a webinar's live stream configuration: `GET /webinars/{id}/livestream`.
    fn get_webinar_livestream(
        &self,
        py: Python<'_>,
        webinar_id: &Bound<'_, PyAny>,
    ) -> PyResult<Livestream> {
        let id = WebinarId::parse(&id_text(webinar_id, "webinar_id")?)?;
        let client = self.core()?;
        Ok(py.detach(move || client.get_webinar_livestream(id))?.into())
    }
}

/// A live stream's configuration, as `get_meeting_livestream` /
/// `get_webinar_livestream` return it. Immutable; compares by value; its `repr()`
/// hides the stream key.
#[pyclass(frozen, eq, hash, module = "zoomlive._zoomlive")]
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Livestream {
    /// The streaming endpoint URL (`rtmp://...`).
    #[pyo3(get)]
    stream_url: String,
    /// The stream key.
    #[pyo3(get)]
    stream_key: String,
    /// The page where viewers watch the stream.
    #[pyo3(get)]
    page_url: String,
    /// `"720p"`, `"1080p"`, or None when Zoom reports none.
    #[pyo3(get)]
    resolution: Option<String>,
}

impl From<crate::Livestream> for Livestream {
    fn from(ls: crate::Livestream) -> Self {
        Livestream {
            stream_url: ls.stream_url,
            stream_key: ls.stream_key,
            page_url: ls.page_url,
            resolution: ls.resolution,
        }
    }
}

#[pymethods]
impl Livestream {
    /// A live stream configuration (for tests and fakes; the client builds them).
    #[new]
    #[pyo3(signature = (*, stream_url, stream_key, page_url, resolution=None))]
    fn new(
        stream_url: String,
        stream_key: String,
        page_url: String,
        resolution: Option<String>,
    ) -> Self {
        Livestream {
            stream_url,
            stream_key,
            page_url,
            resolution,
        }
    }

    /// The fields as a dict (the stream key included).
    fn to_dict(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let dict = PyDict::new(py);
        dict.set_item("stream_url", &self.stream_url)?;
        dict.set_item("stream_key", &self.stream_key)?;
        dict.set_item("page_url", &self.page_url)?;
        dict.set_item("resolution", &self.resolution)?;
        Ok(dict.into_any().unbind())
    }

    /// `Livestream(stream_url=..., stream_key='***', page_url=..., resolution=...)`.
    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let resolution = match &self.resolution {
            Some(r) => py_repr(py, r)?,
            None => "None".to_owned(),
        };
        Ok(format!(
            "Livestream(stream_url={}, stream_key='***', page_url={}, resolution={resolution})",
            py_repr(py, &self.stream_url)?,
            py_repr(py, &self.page_url)?
        ))
    }
}
