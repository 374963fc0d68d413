//! The third source of a decision: the operating system's proxy settings. Only Windows
//! has them (Internet Options, PAC/WPAD, the machine's WinHTTP setting); elsewhere the
//! environment is the system's setting and this source says nothing.

use super::url::ProxyUrl;

/// What the system says about a destination: a proxy (`None`: direct, as a bypass list
/// or a PAC's `DIRECT` says) and the source's name.
pub(crate) struct SystemAnswer {
    pub proxy: Option<ProxyUrl>,
    pub source: String,
}

/// The system's answer for `url` (whose host is `host`), if it names anything.
#[cfg(not(windows))]
pub(crate) fn decide(_url: &str, _host: &str) -> Option<SystemAnswer> {
    None
}

/// The system's answer for `url` (whose host is `host`), if it names anything.
#[cfg(windows)]
pub(crate) fn decide(_url: &str, _host: &str) -> Option<SystemAnswer> {
    // WinHTTP (Internet Options, PAC/WPAD, netsh winhttp) is not read yet.
    let _ = ProxyUrl::shown;
    None
}
