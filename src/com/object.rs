//! The `ZoomLive.Client` object: `IDispatch` over the core's [`Client`], with the
//! configuration as properties and the outcome of the last call as Last* properties.

use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use windows::Win32::Foundation::{
    DISP_E_BADPARAMCOUNT, DISP_E_MEMBERNOTFOUND, DISP_E_NONAMEDARGS, DISP_E_UNKNOWNNAME, E_NOTIMPL,
    E_POINTER,
};
use windows::Win32::System::Com::{
    DISPATCH_FLAGS, DISPATCH_METHOD, DISPATCH_PROPERTYGET, DISPATCH_PROPERTYPUT,
    DISPATCH_PROPERTYPUTREF, DISPPARAMS, EXCEPINFO, IDispatch, IDispatch_Impl, ITypeInfo,
};
use windows::Win32::System::Ole::{DISPID_PROPERTYPUT, DISPID_UNKNOWN};
use windows::Win32::System::Variant::VARIANT;
use windows_core::{GUID, HRESULT, PCWSTR, implement};

use super::last::{Failure, Last};
use super::members::{self, Kind, Op};
use super::variant::{self, Out};
use super::{ObjectCount, boundary, catch};
use crate::batch::Summary;
use crate::{
    Action, BodyEncoding, Client, ClientBuilder, Credentials, DEFAULT_BASE_URL,
    DEFAULT_CONNECT_TIMEOUT, DEFAULT_OAUTH_URL, DEFAULT_TIMEOUT, Livestream, LivestreamSettings,
    LivestreamUpdate, MeetingId, RetryPolicy, WebinarId,
};

/// The configuration the properties show; the client is rebuilt from it on each change.
#[derive(Clone)]
struct Options {
    base_url: String,
    oauth_url: String,
    encoding: BodyEncoding,
    timeout_ms: i64,
    connect_timeout_ms: i64,
    max_retries: i64,
    extra_ca_file: String,
}

impl Default for Options {
    fn default() -> Self {
        let ms = |d: Duration| i64::try_from(d.as_millis()).unwrap_or(i64::MAX);
        Options {
            base_url: DEFAULT_BASE_URL.to_owned(),
            oauth_url: DEFAULT_OAUTH_URL.to_owned(),
            encoding: BodyEncoding::default(),
            timeout_ms: ms(DEFAULT_TIMEOUT),
            connect_timeout_ms: ms(DEFAULT_CONNECT_TIMEOUT),
            max_retries: i64::from(RetryPolicy::default().max_retries),
            extra_ca_file: String::new(),
        }
    }
}

impl Options {
    fn build(&self, credentials: Credentials) -> crate::Result<Client> {
        let millis = |ms: i64| Duration::from_millis(u64::try_from(ms).unwrap_or(0));
        let retry = RetryPolicy {
            max_retries: u32::try_from(self.max_retries).unwrap_or(0),
            ..RetryPolicy::default()
        };
        let mut builder = ClientBuilder::new(credentials)
            .base_url(self.base_url.clone())
            .oauth_url(self.oauth_url.clone())
            .encoding(self.encoding)
            .timeout(millis(self.timeout_ms))
            .connect_timeout(millis(self.connect_timeout_ms))
            .retry_policy(retry);
        if !self.extra_ca_file.is_empty() {
            builder = builder.extra_ca_file(self.extra_ca_file.clone());
        }
        builder.build()
    }
}

#[derive(Default)]
struct State {
    options: Options,
    credentials: Option<Credentials>,
    client: Option<Client>,
    last: Last,
    /// The answer of the last successful Meeting/WebinarLivestreamGet.
    got: Option<Livestream>,
    /// The trace of the last method call ("" when it was refused before it ran), or
    /// the JSON of the last `Doctor()`.
    trace: String,
    /// Where each call's trace is appended ("": nowhere), as Chilkat's
    /// `SessionLogFilename`.
    trace_file: String,
    /// The counts of the last RunBatch (all zero when it ran nothing).
    batch: Summary,
}

/// A `ZoomLive.Client` instance. Its methods may be called from any thread (the
/// registration says `ThreadingModel=Both`); each call reads the configuration under a
/// lock and makes the HTTP call outside it.
#[implement(IDispatch)]
pub(super) struct ZoomLiveClient {
    state: Mutex<State>,
    _count: ObjectCount,
}

impl ZoomLiveClient {
    pub(super) fn new() -> Self {
        ZoomLiveClient {
            state: Mutex::default(),
            _count: ObjectCount::new(),
        }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        // A panic while the lock was held left consistent data: every change is one
        // assignment after the fallible work.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Runs an operation with the current client, outside the lock, and keeps its
    /// trace (LastTrace, TraceFile) when the call ran.
    fn with_client<T>(&self, f: impl FnOnce(&Client) -> Result<T, Failure>) -> Result<T, Failure> {
        let client = self.state().client.clone().ok_or_else(|| {
            Failure::invalid(
                "credentials",
                "call UseAccessToken or UseServerToServer first".into(),
            )
        })?;
        client.forget_last_trace();
        let outcome = f(&client);
        if let Some(trace) = client.last_trace() {
            self.keep_trace(trace);
        }
        outcome
    }

    /// Keeps a call's trace as LastTrace and appends it to TraceFile, if set.
    fn keep_trace(&self, trace: String) {
        let file = {
            let mut state = self.state();
            state.trace = trace.clone();
            state.trace_file.clone()
        };
        if !file.is_empty() {
            let appended = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(&file)
                .and_then(|mut f| {
                    use std::io::Write;
                    let when = httpdate::fmt_http_date(std::time::SystemTime::now());
                    write!(
                        f,
                        "=== {when} ZoomLive.Client\r\n{}",
                        trace.replace('\n', "\r\n")
                    )
                });
            if let Err(e) = appended {
                self.state().last.fail(Failure::invalid(
                    "trace_file",
                    format!("the trace could not be appended to {file}: {e}"),
                ));
            }
        }
    }

    fn use_credentials(&self, credentials: crate::Result<Credentials>) -> Result<(), Failure> {
        let credentials = credentials?;
        let options = self.state().options.clone();
        let client = options.build(credentials.clone())?;
        let mut state = self.state();
        state.credentials = Some(credentials);
        state.client = Some(client);
        Ok(())
    }

    /// Sets one option: checks it by building a client with it, keeps the old one on failure.
    fn set_option(&self, change: impl FnOnce(&mut Options) -> Result<(), Failure>) {
        let (mut options, credentials) = {
            let state = self.state();
            (state.options.clone(), state.credentials.clone())
        };
        let outcome = change(&mut options).and_then(|()| {
            // Without credentials yet, a stand-in token checks everything else.
            let check = credentials
                .clone()
                .map_or_else(|| Credentials::access_token("unset"), Ok)?;
            Ok(options.build(check)?)
        });
        let mut state = self.state();
        match outcome {
            Ok(client) => {
                state.options = options;
                if state.credentials.is_some() {
                    state.client = Some(client);
                }
            }
            Err(failure) => state.last.fail(failure),
        }
    }

    /// Runs a method: its outcome replaces the Last* state; returns the status.
    fn call(&self, op: Op, args: &[*const VARIANT]) -> i32 {
        self.state().trace.clear();
        let outcome = self.run(op, args);
        let mut state = self.state();
        // A trace file that could not be written is this call's failure, if it had none.
        let failed_file = state.last.take_if_field("trace_file");
        let status = state.last.record(outcome);
        if status == 0
            && let Some(failure) = failed_file
        {
            return state.last.record(Err(failure));
        }
        status
    }

    fn run(&self, op: Op, args: &[*const VARIANT]) -> Result<(), Failure> {
        // SAFETY (every variant:: call below): the VARIANTs come from Invoke's DISPPARAMS.
        let arg = |i: usize| args.get(i).copied();
        let text = |i: usize, field| unsafe { variant::text(args[i], field) };
        let id = |i: usize, field| unsafe { variant::id_text(args[i], field) };
        let opt = |i: usize, field| unsafe { variant::optional_text(arg(i), field) };
        let settings = |i: usize| -> Result<Option<LivestreamSettings>, Failure> {
            Ok(opt(i, "settings")?
                .as_deref()
                .map(LivestreamSettings::from_json)
                .transpose()?)
        };
        let update = || -> Result<LivestreamUpdate, Failure> {
            let (url, key, page) = (
                text(1, "stream_url")?,
                text(2, "stream_key")?,
                text(3, "page_url")?,
            );
            let resolution = opt(4, "resolution")?;
            Ok(LivestreamUpdate::with_optional_resolution(
                &url,
                &key,
                &page,
                resolution.as_deref(),
            )?)
        };
        match op {
            Op::UseAccessToken => {
                let token = text(0, "access_token")?;
                self.use_credentials(Credentials::access_token(&token))
            }
            Op::UseServerToServer => {
                let (account, client, secret) = (
                    text(0, "account_id")?,
                    text(1, "client_id")?,
                    text(2, "client_secret")?,
                );
                self.use_credentials(Credentials::server_to_server(&account, &client, &secret))
            }
            Op::MeetingLivestreamStatus => self.with_client(|c| {
                let id = MeetingId::parse(&id(0, "meeting_id")?)?;
                let action = Action::parse(&text(1, "action")?)?;
                let settings = settings(2)?;
                Ok(c.update_meeting_livestream_status(id, action, settings.as_ref())?)
            }),
            Op::WebinarLivestreamStatus => self.with_client(|c| {
                let id = WebinarId::parse(&id(0, "webinar_id")?)?;
                let action = Action::parse(&text(1, "action")?)?;
                let settings = settings(2)?;
                Ok(c.update_webinar_livestream_status(id, action, settings.as_ref())?)
            }),
            Op::MeetingLivestreamUpdate => self.with_client(|c| {
                let (id, update) = (MeetingId::parse(&id(0, "meeting_id")?)?, update()?);
                Ok(c.update_meeting_livestream(id, &update)?)
            }),
            Op::WebinarLivestreamUpdate => self.with_client(|c| {
                let (id, update) = (WebinarId::parse(&id(0, "webinar_id")?)?, update()?);
                Ok(c.update_webinar_livestream(id, &update)?)
            }),
            Op::Doctor => {
                let checks =
                    self.with_client(|c| Ok(c.doctor(&crate::DoctorOptions::default())))?;
                self.state().trace = crate::doctor_json(&checks);
                let failed = checks
                    .iter()
                    .filter(|c| c.status == crate::CheckStatus::Fail)
                    .count();
                if failed > 0 {
                    return Err(Failure::simple(
                        crate::capi::ZOOMLIVE_STATUS_API_ERROR,
                        format!("zoomlive doctor: {failed} check(s) failed (see LastTrace)"),
                        "",
                    ));
                }
                Ok(())
            }
            Op::MeetingLivestreamGet | Op::WebinarLivestreamGet => {
                self.state().got = None;
                let got = self.with_client(|c| {
                    Ok(if op == Op::MeetingLivestreamGet {
                        c.get_meeting_livestream(MeetingId::parse(&id(0, "meeting_id")?)?)?
                    } else {
                        c.get_webinar_livestream(WebinarId::parse(&id(0, "webinar_id")?)?)?
                    })
                })?;
                self.state().got = Some(got);
                Ok(())
            }
            Op::RunBatch => {
                self.state().batch = Summary::default();
                let (input, results) = (text(0, "input_path")?, text(1, "results_path")?);
                let options = opt(2, "options_json")?;
                let summary = self.with_client(|c| {
                    Ok(crate::capi::run_batch(
                        c,
                        &input,
                        &results,
                        options.as_deref(),
                    )?)
                })?;
                self.state().batch = summary;
                match crate::capi::batch_failure(&summary, &results) {
                    Some(failure) => Err(failure),
                    None => Ok(()),
                }
            }
            _ => unreachable!("{op:?} is not a method"),
        }
    }

    fn get(&self, op: Op) -> Out {
        let state = self.state();
        let count = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
        let got = |pick: fn(&Livestream) -> Option<&str>| {
            Out::Text(state.got.as_ref().and_then(pick).unwrap_or("").to_owned())
        };
        let last = &state.last;
        match op {
            Op::BaseUrl => Out::Text(state.options.base_url.clone()),
            Op::OAuthUrl => Out::Text(state.options.oauth_url.clone()),
            Op::Encoding => Out::Text(state.options.encoding.as_str().to_owned()),
            Op::TimeoutMs => Out::Wide(state.options.timeout_ms),
            Op::ConnectTimeoutMs => Out::Wide(state.options.connect_timeout_ms),
            Op::MaxRetries => Out::Wide(state.options.max_retries),
            Op::ExtraCaFile => Out::Text(state.options.extra_ca_file.clone()),
            Op::TraceFile => Out::Text(state.trace_file.clone()),
            Op::LastTrace => Out::Text(state.trace.clone()),
            Op::StreamUrl => got(|l| l.stream_url.as_deref()),
            Op::StreamKey => got(Livestream::stream_key),
            Op::PageUrl => got(|l| l.page_url.as_deref()),
            Op::Resolution => got(|l| l.resolution.as_deref()),
            Op::LivestreamJson => Out::Text(
                state
                    .got
                    .as_ref()
                    .map_or_else(String::new, |l| l.to_json().to_string()),
            ),
            Op::LastStatus => Out::Long(last.status()),
            Op::LastMethodSuccess => Out::Bool(last.success()),
            Op::LastErrorText => Out::Text(last.text(|f| &f.message)),
            Op::LastErrorField => Out::Text(last.text(|f| &f.field)),
            Op::LastHttpStatus => Out::Wide(last.number(|f| i64::from(f.http_status), 0)),
            Op::LastZoomCode => Out::Wide(last.number(|f| f.zoom_code, 0)),
            Op::LastTrackingId => Out::Text(last.text(|f| &f.tracking_id)),
            // As zoomlive_last_retry_after_ms: -1 when there was no Retry-After.
            Op::LastRetryAfterMs => Out::Wide(last.number(|f| f.retry_after_ms, -1)),
            Op::LastMissingScopes => Out::Text(last.text(|f| &f.missing_scopes)),
            Op::LastRateLimit => Out::Text(last.text(|f| &f.rate_limit)),
            Op::Version => Out::Text(crate::VERSION.to_owned()),
            // Uncertain rows count as failed, as in zoomlive_last_batch_counts.
            Op::BatchOk => Out::Wide(count(state.batch.ok)),
            Op::BatchFailed => Out::Wide(count(state.batch.failed + state.batch.uncertain)),
            Op::BatchDeferred => Out::Wide(count(state.batch.deferred)),
            Op::BatchSkipped => Out::Wide(count(state.batch.skipped)),
            _ => Out::Nothing,
        }
    }

    fn put(&self, op: Op, value: *const VARIANT) {
        // SAFETY (every variant:: call below): the VARIANT comes from Invoke's DISPPARAMS.
        let text = |field| unsafe { variant::text(value, field) };
        if op == Op::TraceFile {
            // Not a client setting: "" turns it off, any other path is appended to.
            match text("trace_file") {
                Ok(path) => self.state().trace_file = path,
                Err(failure) => self.state().last.fail(failure),
            }
            return;
        }
        let int = |field, min, max| unsafe { variant::integer(value, field, min, max) };
        const U32: i64 = u32::MAX as i64;
        self.set_option(|o| {
            match op {
                Op::BaseUrl => o.base_url = text("base_url")?,
                Op::OAuthUrl => o.oauth_url = text("oauth_url")?,
                Op::Encoding => o.encoding = BodyEncoding::parse(&text("encoding")?)?,
                Op::TimeoutMs => o.timeout_ms = int("timeout", 1, U32)?,
                Op::ConnectTimeoutMs => o.connect_timeout_ms = int("connect_timeout", 1, U32)?,
                Op::MaxRetries => o.max_retries = int("max_retries", 0, U32)?,
                // "" turns the extra CA file off again.
                Op::ExtraCaFile => o.extra_ca_file = text("extra_ca_file")?,
                _ => unreachable!("{op:?} is not writable"),
            }
            Ok(())
        });
    }

    /// `Invoke` after the panic boundary: checks the member, flags and argument count.
    fn dispatch(
        &self,
        dispid: i32,
        flags: DISPATCH_FLAGS,
        params: &DISPPARAMS,
        result: *mut VARIANT,
    ) -> HRESULT {
        let Some(member) = members::by_dispid(dispid) else {
            return DISP_E_MEMBERNOTFOUND;
        };
        let count = params.cArgs as usize;
        let args: Vec<*const VARIANT> = if params.rgvarg.is_null() {
            Vec::new()
        } else {
            // SAFETY: DISPPARAMS holds cArgs VARIANTs, last argument first (read through
            // raw pointers: hosts may not align them).
            (0..count)
                .rev()
                .map(|i| unsafe { params.rgvarg.add(i) }.cast_const())
                .collect()
        };
        if args.len() != count {
            return DISP_E_BADPARAMCOUNT;
        }
        let named = params.cNamedArgs as usize;
        let putting = flags.0 & (DISPATCH_PROPERTYPUT.0 | DISPATCH_PROPERTYPUTREF.0) != 0;
        if putting {
            if member.kind != Kind::GetPut {
                return DISP_E_MEMBERNOTFOUND;
            }
            if count != 1 {
                return DISP_E_BADPARAMCOUNT;
            }
            // SAFETY: cNamedArgs DISPIDs; a put names its one argument DISPID_PROPERTYPUT.
            let ok = named == 1
                && !params.rgdispidNamedArgs.is_null()
                && unsafe { params.rgdispidNamedArgs.read_unaligned() } == DISPID_PROPERTYPUT;
            if !ok {
                return DISP_E_BADPARAMCOUNT;
            }
            self.put(member.op, args[0]);
            return HRESULT(0);
        }
        if named != 0 {
            return DISP_E_NONAMEDARGS;
        }
        if flags.0 & (DISPATCH_METHOD.0 | DISPATCH_PROPERTYGET.0) == 0 {
            return DISP_E_MEMBERNOTFOUND;
        }
        let out = match member.kind {
            Kind::Method { min, max } => {
                if !(min..=max).contains(&count) {
                    return DISP_E_BADPARAMCOUNT;
                }
                Out::Long(self.call(member.op, &args))
            }
            Kind::Get | Kind::GetPut => {
                if count != 0 {
                    return DISP_E_BADPARAMCOUNT;
                }
                self.get(member.op)
            }
        };
        // SAFETY: `result` is NULL or Invoke's result VARIANT.
        unsafe { variant::put(result, out) };
        HRESULT(0)
    }
}

impl IDispatch_Impl for ZoomLiveClient_Impl {
    fn GetTypeInfoCount(&self) -> windows_core::Result<u32> {
        Ok(0)
    }

    fn GetTypeInfo(&self, _itinfo: u32, _lcid: u32) -> windows_core::Result<ITypeInfo> {
        Err(windows_core::Error::from_hresult(E_NOTIMPL))
    }

    fn GetIDsOfNames(
        &self,
        _riid: *const GUID,
        names: *const PCWSTR,
        count: u32,
        _lcid: u32,
        dispids: *mut i32,
    ) -> windows_core::Result<()> {
        let hr = boundary(|| {
            if names.is_null() || dispids.is_null() {
                return E_POINTER;
            }
            let mut hr = HRESULT(0);
            for i in 0..count as usize {
                // SAFETY: `count` names and `count` DISPID slots, per IDispatch.
                let (name, slot) = unsafe { (names.add(i).read_unaligned(), dispids.add(i)) };
                // The first name is the member; the others would be its parameters,
                // which have no names here.
                let found = (i == 0 && !name.is_null())
                    .then(|| members::by_name(unsafe { name.as_wide() }))
                    .flatten();
                unsafe { slot.write_unaligned(found.map_or(DISPID_UNKNOWN, |m| m.dispid)) };
                if found.is_none() {
                    hr = DISP_E_UNKNOWNNAME;
                }
            }
            hr
        });
        hr.ok()
    }

    fn Invoke(
        &self,
        dispid: i32,
        _riid: *const GUID,
        _lcid: u32,
        flags: DISPATCH_FLAGS,
        params: *const DISPPARAMS,
        result: *mut VARIANT,
        _excepinfo: *mut EXCEPINFO,
        _argerr: *mut u32,
    ) -> windows_core::Result<()> {
        let this: &ZoomLiveClient = self;
        let caught = catch(|| {
            // SAFETY: NULL or a valid DISPPARAMS, per IDispatch.
            let params = if params.is_null() {
                DISPPARAMS::default()
            } else {
                unsafe { params.read_unaligned() }
            };
            this.dispatch(dispid, flags, &params, result)
        });
        let hr = caught.unwrap_or_else(|text| {
            // A call that panicked reports it as a status, as the C API does.
            this.state().last.fail(Failure::panic(text));
            // SAFETY: as in dispatch.
            unsafe { variant::put(result, Out::Long(crate::capi::ZOOMLIVE_STATUS_PANIC)) };
            HRESULT(0)
        });
        hr.ok()
    }
}
