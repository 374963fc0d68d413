//! The Python classes `Client` and `Livestream`.

use std::sync::{Mutex, PoisonError};

use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::types::PyDict;

use super::batch::{self, BatchRun};
use super::convert::{self, SettingsArgs, id_text, py_repr};
use super::livestream::Livestream;
use crate::{Action, BodyEncoding, ClientBuilder, Credentials, OwnerKind, ProxyAuth};

/// Performs Zoom's REST v2 live-stream operations.
///
/// `Client(access_token, *, base_url=None, encoding="auto", timeout=None,
/// connect_timeout=None, max_retries=None, allow_insecure_http=False)`, or
/// `Client.server_to_server(account_id, client_id, client_secret, *, oauth_url=None,
/// ...)`. `encoding` is `"auto"` (default: multipart, what the legacy code sends, then
/// JSON for good once Zoom refuses multipart with HTTP 415), `"multipart"` or `"json"`;
/// `timeout` / `connect_timeout` are seconds (defaults 30 and 10); `max_retries` counts
/// retries after a 429 asking for a short wait (default 2; 0 raises at once);
/// `extra_ca_file` names a PEM file of CA certificates trusted in addition to the
/// operating system's (a corporate TLS-inspecting proxy's CA); `token_cache_dir`
/// (Server-to-Server only, off by default) keeps OAuth tokens between processes in that
/// folder (one 0600 file per credential set, named by a hash).
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
    /// The core client's number, whose traces `last_trace` reads (also after close).
    trace_id: u64,
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
    extra_ca_file: Option<std::path::PathBuf>,
    token_cache_dir: Option<std::path::PathBuf>,
    proxy: ProxyOptions,
}

/// The proxy keywords both constructors share.
struct ProxyOptions {
    proxy: Option<String>,
    no_proxy: Option<String>,
    system_proxy: bool,
    proxy_user: Option<String>,
    proxy_password: Option<String>,
    proxy_auth: String,
}

impl ProxyOptions {
    fn apply(self, mut builder: ClientBuilder) -> PyResult<ClientBuilder> {
        if let Some(proxy) = &self.proxy {
            builder = builder.proxy(proxy);
        }
        if let Some(list) = &self.no_proxy {
            builder = builder.no_proxy(list);
        }
        if let Some(user) = &self.proxy_user {
            builder = builder.proxy_credentials(user, self.proxy_password.as_deref().unwrap_or(""));
        }
        Ok(builder
            .system_proxy(self.system_proxy)
            .proxy_auth(ProxyAuth::parse(&self.proxy_auth)?))
    }
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
            builder = builder.timeout_secs(secs)?;
        }
        if let Some(secs) = self.connect_timeout {
            builder = builder.connect_timeout_secs(secs)?;
        }
        if let Some(n) = self.max_retries {
            builder = builder.max_retries(convert::retry_count(n)?);
        }
        if let Some(path) = self.extra_ca_file {
            builder = builder.extra_ca_file(path);
        }
        if let Some(dir) = self.token_cache_dir {
            builder = builder.token_cache_dir(dir);
        }
        let client = self.proxy.apply(builder)?.build()?;
        Ok(Client {
            base_url: client.base_url().to_owned(),
            encoding: client.encoding(),
            trace_id: client.trace_id(),
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
    /// to loopback unless `allow_insecure_http`). `encoding`: `"auto"` (default:
    /// multipart as the legacy code sends, JSON once Zoom refuses it), `"multipart"` or
    /// `"json"`. `timeout` / `connect_timeout`: seconds for
    /// a whole call / for connecting (defaults 30 and 10). `max_retries`: retries after
    /// a 429 (default 2; 0 raises `RateLimitError` at once). `extra_ca_file`: a PEM
    /// file of CA certificates trusted in addition to the operating system's.
    #[new]
    #[pyo3(signature = (access_token, *, base_url=None, encoding="auto".to_owned(),
                        timeout=None, connect_timeout=None, max_retries=None,
                        allow_insecure_http=false, extra_ca_file=None, token_cache_dir=None,
                        proxy=None, no_proxy=None, system_proxy=true, proxy_user=None,
                        proxy_password=None, proxy_auth="auto".to_owned()),
           text_signature = "(access_token, *, base_url=None, encoding='auto', \
                             timeout=None, connect_timeout=None, max_retries=None, \
                             allow_insecure_http=False, extra_ca_file=None, \
                             token_cache_dir=None, proxy=None, no_proxy=None, \
                             system_proxy=True, proxy_user=None, proxy_password=None, \
                             proxy_auth='auto')")]
    #[allow(clippy::too_many_arguments)]
    fn new(
        access_token: String,
        base_url: Option<String>,
        encoding: String,
        timeout: Option<f64>,
        connect_timeout: Option<f64>,
        max_retries: Option<i64>,
        allow_insecure_http: bool,
        extra_ca_file: Option<std::path::PathBuf>,
        token_cache_dir: Option<std::path::PathBuf>,
        proxy: Option<String>,
        no_proxy: Option<String>,
        system_proxy: bool,
        proxy_user: Option<String>,
        proxy_password: Option<String>,
        proxy_auth: String,
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
            extra_ca_file,
            token_cache_dir,
            proxy: ProxyOptions {
                proxy,
                no_proxy,
                system_proxy,
                proxy_user,
                proxy_password,
                proxy_auth,
            },
        };
        options.build(credentials, "access_token")
    }

    /// A client using a Server-to-Server OAuth app: tokens are fetched from `oauth_url`
    /// (default `https://zoom.us/oauth/token`) when needed, cached, shared by all
    /// threads and refreshed before they expire or when Zoom refuses one. The other
    /// options are as for `Client(...)`.
    #[staticmethod]
    #[pyo3(signature = (account_id, client_id, client_secret, *, base_url=None, oauth_url=None,
                        encoding="auto".to_owned(), timeout=None, connect_timeout=None,
                        max_retries=None, allow_insecure_http=false, extra_ca_file=None,
                        token_cache_dir=None, proxy=None, no_proxy=None, system_proxy=true,
                        proxy_user=None, proxy_password=None, proxy_auth="auto".to_owned()),
           text_signature = "(account_id, client_id, client_secret, *, base_url=None, \
                             oauth_url=None, encoding='auto', timeout=None, \
                             connect_timeout=None, max_retries=None, allow_insecure_http=False, \
                             extra_ca_file=None, token_cache_dir=None, proxy=None, \
                             no_proxy=None, system_proxy=True, proxy_user=None, \
                             proxy_password=None, proxy_auth='auto')")]
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
        extra_ca_file: Option<std::path::PathBuf>,
        token_cache_dir: Option<std::path::PathBuf>,
        proxy: Option<String>,
        no_proxy: Option<String>,
        system_proxy: bool,
        proxy_user: Option<String>,
        proxy_password: Option<String>,
        proxy_auth: String,
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
            extra_ca_file,
            token_cache_dir,
            proxy: ProxyOptions {
                proxy,
                no_proxy,
                system_proxy,
                proxy_user,
                proxy_password,
                proxy_auth,
            },
        };
        options.build(credentials, "server_to_server")
    }

    /// The API base URL in use, without a trailing `/`.
    #[getter]
    fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The body encoding configured: `"auto"`, `"multipart"` or `"json"`.
    #[getter]
    fn encoding(&self) -> &'static str {
        self.encoding.as_str()
    }

    /// The trace of this thread's last call on this client, success or failure: one
    /// event per line (`+12.4ms tls TLSv1.3 ...`), with no token, secret or stream key
    /// in it; `""` before the first call.
    #[getter]
    fn last_trace(&self) -> String {
        crate::Client::last_trace_of(self.trace_id).unwrap_or_default()
    }

    /// True once `close()` was called (or the `with` block ended).
    #[getter]
    fn closed(&self) -> bool {
        self.inner
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .is_none()
    }

    /// The proxy decision for `url`: `{"proxy": "http://host:port" or None, "source":
    /// "explicit"}` (sources: `explicit`, the variable's name, `internet-options`,
    /// `pac:<url>`, `wpad`, `winhttp`, `loopback`, `bypass:<rule>`, `none`); never with
    /// a password. Made once per destination and kept for the client's life.
    fn proxy_for<'py>(&self, py: Python<'py>, url: String) -> PyResult<Bound<'py, PyDict>> {
        let client = self.core()?;
        let decision = py.detach(move || client.proxy_for(&url))?;
        let dict = PyDict::new(py);
        dict.set_item("proxy", decision.proxy())?;
        dict.set_item("source", decision.source())?;
        Ok(dict)
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
        let settings = SettingsArgs::new(settings, active_speaker_name, display_name)
            .with_meeting_fields(layout, close_caption);
        self.status(py, OwnerKind::Meeting, meeting_id, &action, settings)
    }

    /// Starts or stops a webinar's live stream: `PATCH /webinars/{id}/livestream/status`.
    /// Arguments as for `update_meeting_livestream_status` (webinars have no `layout`
    /// or `close_caption`).
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
        let settings = SettingsArgs::new(settings, active_speaker_name, display_name);
        self.status(py, OwnerKind::Webinar, webinar_id, &action, settings)
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
        let stream = [stream_url, stream_key, page_url];
        self.update(py, OwnerKind::Meeting, meeting_id, stream, resolution)
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
        let stream = [stream_url, stream_key, page_url];
        self.update(py, OwnerKind::Webinar, webinar_id, stream, resolution)
    }

    /// Reads a meeting's live stream configuration: `GET /meetings/{id}/livestream`.
    fn get_meeting_livestream(
        &self,
        py: Python<'_>,
        meeting_id: &Bound<'_, PyAny>,
    ) -> PyResult<Livestream> {
        self.get(py, OwnerKind::Meeting, meeting_id)
    }

    /// Runs many operations: `ops` is an iterable of dicts with the batch CSV's names
    /// (`op`, `kind`, `id`, `display_name`, ..., `key`; see `zoomlive.op`), all checked
    /// before anything is sent (a refused one names its 1-based row). Returns a
    /// `BatchRun`, an iterator of `BatchResult` in completion order.
    ///
    /// `concurrency`: calls in flight (default 4). `rate`: calls per second (default
    /// half the `plan`'s Light limit: free 4, pro 30, business 80 per second).
    /// `deadline`: seconds after which nothing more is sent. `journal`: a JSON Lines
    /// file making the batch resumable (`resume=True`; `resume_uncertain=True` also
    /// resends what a dead run left in flight). `on_result`: called with each result
    /// as the iterator yields it. The GIL is released while waiting; Ctrl-C stops
    /// dispatching, lets calls in flight finish and raises `KeyboardInterrupt`.
    #[pyo3(signature = (ops, *, concurrency=4, rate=None, plan="pro".to_owned(), deadline=None,
                        journal=None, resume=false, resume_uncertain=false, on_result=None),
           text_signature = "($self, ops, *, concurrency=4, rate=None, plan='pro', \
                             deadline=None, journal=None, resume=False, \
                             resume_uncertain=False, on_result=None)")]
    #[allow(clippy::too_many_arguments)]
    fn batch(
        &self,
        py: Python<'_>,
        ops: &Bound<'_, PyAny>,
        concurrency: usize,
        rate: Option<f64>,
        plan: String,
        deadline: Option<f64>,
        journal: Option<std::path::PathBuf>,
        resume: bool,
        resume_uncertain: bool,
        on_result: Option<Py<PyAny>>,
    ) -> PyResult<BatchRun> {
        let ops = batch::read_ops(ops)?;
        let options = batch::options(
            concurrency,
            rate,
            &plan,
            deadline,
            journal,
            resume,
            resume_uncertain,
        )?;
        let client = self.core()?;
        let running = py.detach(move || crate::batch::Batch::start(&client, ops, &options))?;
        Ok(BatchRun::new(running, on_result))
    }

    /// Reads a webinar's live stream configuration: `GET /webinars/{id}/livestream`.
    fn get_webinar_livestream(
        &self,
        py: Python<'_>,
        webinar_id: &Bound<'_, PyAny>,
    ) -> PyResult<Livestream> {
        self.get(py, OwnerKind::Webinar, webinar_id)
    }
}

/// The operations, each written once for either owner; the Python methods above only
/// take their arguments and call these. The GIL is released while Zoom is called.
impl Client {
    fn status(
        &self,
        py: Python<'_>,
        kind: OwnerKind,
        id: &Bound<'_, PyAny>,
        action: &str,
        settings: SettingsArgs<'_>,
    ) -> PyResult<()> {
        let owner = kind.parse(&id_text(id, kind.id_field())?)?;
        let action = Action::parse(action)?;
        let settings = settings.into_settings()?;
        // Every argument is checked before the client is looked at, so a closed client
        // still reports bad arguments (the AsyncClient checks them on a closed one).
        if let Some(settings) = &settings {
            settings.check_for(kind)?;
        }
        let client = self.core()?;
        py.detach(move || client.update_livestream_status(owner, action, settings.as_ref()))?;
        Ok(())
    }

    fn update(
        &self,
        py: Python<'_>,
        kind: OwnerKind,
        id: &Bound<'_, PyAny>,
        [stream_url, stream_key, page_url]: [String; 3],
        resolution: Option<String>,
    ) -> PyResult<()> {
        let owner = kind.parse(&id_text(id, kind.id_field())?)?;
        let update = crate::LivestreamUpdate::with_optional_resolution(
            &stream_url,
            &stream_key,
            &page_url,
            resolution.as_deref(),
        )?;
        let client = self.core()?;
        py.detach(move || client.update_livestream(owner, &update))?;
        Ok(())
    }

    fn get(&self, py: Python<'_>, kind: OwnerKind, id: &Bound<'_, PyAny>) -> PyResult<Livestream> {
        let owner = kind.parse(&id_text(id, kind.id_field())?)?;
        let client = self.core()?;
        Ok(Livestream(py.detach(move || client.get_livestream(owner))?))
    }
}
