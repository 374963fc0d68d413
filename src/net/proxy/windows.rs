//! Windows' proxy settings, as Windows itself resolves them (WinHTTP), in the order of
//! issue 18 §1: the current user's Internet Options (a PAC URL or "automatically detect
//! settings" first, through `WinHttpGetProxyForUrl` bounded by a timeout; then the static
//! proxy, per scheme, with its bypass list), then the machine's WinHTTP setting
//! (`netsh winhttp set proxy`, what a service account such as SQL Server's has). A PAC
//! that cannot be fetched or run falls through, its reason kept in the decision's note.
//! Elsewhere the environment is the system's setting: decide.rs has no third source.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use windows::Win32::Foundation::{GlobalFree, HGLOBAL};
use windows::Win32::Networking::WinHttp::{
    WINHTTP_ACCESS_TYPE_NAMED_PROXY, WINHTTP_ACCESS_TYPE_NO_PROXY, WINHTTP_AUTO_DETECT_TYPE_DHCP,
    WINHTTP_AUTO_DETECT_TYPE_DNS_A, WINHTTP_AUTOPROXY_AUTO_DETECT, WINHTTP_AUTOPROXY_CONFIG_URL,
    WINHTTP_AUTOPROXY_OPTIONS, WINHTTP_CURRENT_USER_IE_PROXY_CONFIG, WINHTTP_PROXY_INFO,
    WinHttpCloseHandle, WinHttpGetDefaultProxyConfiguration, WinHttpGetIEProxyConfigForCurrentUser,
    WinHttpGetProxyForUrl, WinHttpOpen, WinHttpSetTimeouts,
};
use windows::core::{PCWSTR, PWSTR};

use super::ie;
use super::url::{self, ProxyUrl};

/// What the system says about a destination: a proxy (`None`: direct, as a bypass list
/// or a PAC's `DIRECT` says), the source's name, and why an earlier system source gave
/// no answer (a PAC that could not be fetched or run).
#[derive(Clone)]
pub(crate) struct SystemAnswer {
    pub proxy: Option<ProxyUrl>,
    pub source: String,
    pub note: Option<String>,
}

impl SystemAnswer {
    pub(crate) fn via(proxy: ProxyUrl, source: impl Into<String>, note: Option<String>) -> Self {
        SystemAnswer {
            proxy: Some(proxy),
            source: source.into(),
            note,
        }
    }

    pub(crate) fn direct(source: String, note: Option<String>) -> Self {
        SystemAnswer {
            proxy: None,
            source,
            note,
        }
    }
}

/// A WinHTTP string, copied and freed (they are allocated with GlobalAlloc).
fn take(s: PWSTR) -> Option<String> {
    if s.is_null() {
        return None;
    }
    // SAFETY: WinHTTP hands a NUL-terminated UTF-16 string we now own.
    let text = unsafe { s.to_string() }.ok();
    // SAFETY: allocated by WinHTTP with GlobalAlloc; freed once.
    let _ = unsafe { GlobalFree(Some(HGLOBAL(s.0.cast()))) };
    text.filter(|t| !t.trim().is_empty())
}

fn wide(s: &str) -> Vec<u16> {
    s.encode_utf16().chain(Some(0)).collect()
}

/// `host:port` (or a list's first entry) as a proxy URL, named by `source` in errors.
fn proxy_from(list: &str, scheme: &str) -> Option<ProxyUrl> {
    let chosen = ie::pick(list, scheme)?;
    url::parse("system_proxy", &chosen).ok()
}

/// How long the system's answer for a destination is reused by the process: a PAC or
/// WPAD lookup can take seconds, and the C handle and the COM object build a client
/// on every setter.
const REUSED_FOR: Duration = Duration::from_secs(300);

/// The system's answers per `scheme://host`, and when each was given.
type Answers = HashMap<String, (Instant, Option<SystemAnswer>)>;

/// The system's answers, process-wide.
static ANSWERS: Mutex<Option<Answers>> = Mutex::new(None);

/// What the system says about `url` (whose host is `host`), if anything; a PAC lookup
/// takes at most `timeout`. Kept for the process [`REUSED_FOR`].
pub(crate) fn decide(url: &str, host: &str, timeout: Duration) -> Option<SystemAnswer> {
    let scheme = if url.starts_with("http://") {
        "http"
    } else {
        "https"
    };
    let key = format!("{scheme}://{host}");
    let lock = || ANSWERS.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some((at, answer)) = lock().get_or_insert_with(HashMap::new).get(&key)
        && at.elapsed() < REUSED_FOR
    {
        return answer.clone();
    }
    let answer = ask(url, host, timeout);
    let mut answers = lock();
    let answers = answers.get_or_insert_with(HashMap::new);
    answers.retain(|_, (at, _)| at.elapsed() < REUSED_FOR);
    answers.insert(key, (Instant::now(), answer.clone()));
    answer
}

/// Asks WinHTTP (see [`decide`]).
fn ask(url: &str, host: &str, timeout: Duration) -> Option<SystemAnswer> {
    let scheme = if url.starts_with("http://") {
        "http"
    } else {
        "https"
    };
    let mut note = None;
    let mut config = WINHTTP_CURRENT_USER_IE_PROXY_CONFIG::default();
    // SAFETY: a valid out-structure; its strings are taken (and freed) below.
    if unsafe { WinHttpGetIEProxyConfigForCurrentUser(&mut config) }.is_ok() {
        let auto_detect = config.fAutoDetect.as_bool();
        let (pac, proxy, bypass) = (
            take(config.lpszAutoConfigUrl),
            take(config.lpszProxy),
            take(config.lpszProxyBypass),
        );
        if pac.is_some() || auto_detect {
            match pac_lookup(url, pac.as_deref(), timeout) {
                Ok(answer) => return Some(answer),
                Err(reason) => note = Some(reason),
            }
        }
        if let Some(list) = proxy {
            if let Some(rule) = bypass.as_deref().and_then(|b| ie::bypass_rule(b, host)) {
                return Some(SystemAnswer::direct(format!("bypass:{rule}"), note));
            }
            if let Some(p) = proxy_from(&list, scheme) {
                return Some(SystemAnswer::via(p, "internet-options", note));
            }
        }
    }
    let mut info = WINHTTP_PROXY_INFO::default();
    // SAFETY: a valid out-structure; its strings are taken (and freed) below.
    if unsafe { WinHttpGetDefaultProxyConfiguration(&mut info) }.is_ok() {
        let (proxy, bypass) = (take(info.lpszProxy), take(info.lpszProxyBypass));
        if info.dwAccessType == WINHTTP_ACCESS_TYPE_NAMED_PROXY
            && let Some(list) = proxy
        {
            if let Some(rule) = bypass.as_deref().and_then(|b| ie::bypass_rule(b, host)) {
                return Some(SystemAnswer::direct(format!("bypass:{rule}"), note));
            }
            if let Some(p) = proxy_from(&list, scheme) {
                return Some(SystemAnswer::via(p, "winhttp", note));
            }
        }
    }
    note.map(|n| SystemAnswer::direct("none".to_owned(), Some(n)))
}

/// The PAC's answer for `url`: the PAC at `pac`, or the one WPAD finds when `pac` is
/// `None`; `Err` with the reason when there is none in time.
fn pac_lookup(url: &str, pac: Option<&str>, timeout: Duration) -> Result<SystemAnswer, String> {
    let source = pac.map_or_else(|| "wpad".to_owned(), |p| format!("pac:{p}"));
    let agent = wide(concat!("zoomlive/", env!("CARGO_PKG_VERSION")));
    // SAFETY: a session with no proxy of its own, closed below.
    let session = unsafe {
        WinHttpOpen(
            PCWSTR(agent.as_ptr()),
            WINHTTP_ACCESS_TYPE_NO_PROXY,
            PCWSTR::null(),
            PCWSTR::null(),
            0,
        )
    };
    if session.is_null() {
        return Err(format!("{source}: WinHttpOpen failed"));
    }
    let ms = i32::try_from(timeout.as_millis())
        .unwrap_or(i32::MAX)
        .max(1);
    // SAFETY: a live session handle.
    let _ = unsafe { WinHttpSetTimeouts(session, ms, ms, ms, ms) };
    let pac_wide = pac.map(wide);
    let mut options = WINHTTP_AUTOPROXY_OPTIONS {
        dwFlags: if pac.is_some() {
            WINHTTP_AUTOPROXY_CONFIG_URL
        } else {
            WINHTTP_AUTOPROXY_AUTO_DETECT
        },
        dwAutoDetectFlags: if pac.is_some() {
            0
        } else {
            WINHTTP_AUTO_DETECT_TYPE_DHCP | WINHTTP_AUTO_DETECT_TYPE_DNS_A
        },
        lpszAutoConfigUrl: pac_wide
            .as_ref()
            .map_or(PCWSTR::null(), |w| PCWSTR(w.as_ptr())),
        fAutoLogonIfChallenged: true.into(),
        ..Default::default()
    };
    let url_wide = wide(url);
    let mut info = WINHTTP_PROXY_INFO::default();
    // SAFETY: the session, a NUL-terminated URL, options whose strings outlive the call.
    let found = unsafe {
        WinHttpGetProxyForUrl(session, PCWSTR(url_wide.as_ptr()), &mut options, &mut info)
    };
    // SAFETY: the session opened above, closed once.
    let _ = unsafe { WinHttpCloseHandle(session) };
    let (proxy, _bypass) = (take(info.lpszProxy), take(info.lpszProxyBypass));
    if let Err(e) = found {
        // The WinHTTP error number (12180: no WPAD found, 12167: the PAC could not be
        // fetched, 12166: it could not be run, ...).
        let code = e.code().0 as u32 & 0xFFFF;
        return Err(format!("{source} gave no answer (WinHTTP error {code})"));
    }
    if info.dwAccessType == WINHTTP_ACCESS_TYPE_NO_PROXY || proxy.is_none() {
        return Ok(SystemAnswer::direct(source, None));
    }
    let list = proxy.unwrap_or_default();
    // A PAC's list: "host:port; host2:port" — the first one.
    let first = list.split([';', ' ']).find(|e| !e.is_empty()).unwrap_or("");
    let p = url::parse("system_proxy", &format!("http://{first}"))
        .map_err(|_| format!("{source} named a proxy that cannot be used"))?;
    Ok(SystemAnswer::via(p, source, None))
}
