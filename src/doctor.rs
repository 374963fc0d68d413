//! `zoomlive doctor`: checks this machine's path to Zoom with a client's settings, one
//! step at a time, each `ok`, `warn` or `fail` with its reason (and advice where there
//! is one): the proxy for the API and OAuth hosts, name resolution, TCP and TLS to
//! each (the certificate's issuer; a TLS-inspecting proxy's CA named as such), the
//! clock against the server's `Date`, the token and its scopes, and a read-only GET.

use std::time::{Duration, SystemTime};

use serde::Serialize;

use crate::client::Client;
use crate::exchange::deadline::Deadline;
use crate::model::Owner;
use crate::trace::event::Event;
use crate::trace::{self};

/// How a check ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CheckStatus {
    /// Nothing to worry about.
    Ok,
    /// Works, but something deserves a look (a clock skew, a TLS-inspecting proxy).
    Warn,
    /// This step fails: calls will fail the same way.
    Fail,
}

impl CheckStatus {
    /// `ok`, `warn` or `fail`.
    pub fn as_str(self) -> &'static str {
        match self {
            CheckStatus::Ok => "ok",
            CheckStatus::Warn => "warn",
            CheckStatus::Fail => "fail",
        }
    }
}

/// One step of `zoomlive doctor`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Check {
    /// The step's name (`proxy api.zoom.us`, `tls api.zoom.us`, `clock`, `token`, ...).
    pub check: String,
    /// How it ended.
    pub status: CheckStatus,
    /// What was found, with no secret in it.
    pub detail: String,
    /// What to do about it, when there is something to do.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub advice: Option<String>,
}

/// What `zoomlive doctor` checks beyond what needs no credentials.
#[derive(Clone, Debug, Default)]
pub struct DoctorOptions {
    /// The client's credentials are the caller's real ones (`false`: a placeholder,
    /// the token is not checked).
    pub no_credentials: bool,
    /// A meeting or webinar whose live stream to read (a read-only GET).
    pub owner: Option<Owner>,
}

/// The checks as the JSON array the faces print:
/// `[{"check","status","detail"[,"advice"]}, ...]`.
pub fn doctor_json(checks: &[Check]) -> String {
    serde_json::to_string(checks).unwrap_or_else(|_| "[]".to_owned())
}

/// A clock further than this from the server's is named.
const CLOCK_SKEW_LIMIT: Duration = Duration::from_secs(300);

/// The advice for a certificate the client does not trust.
const EXTRA_CA_ADVICE: &str = "If a TLS-inspecting proxy sits between this machine and Zoom, give zoomlive that proxy's CA certificate (a PEM file from the network team): CLI --extra-ca-file PATH (or ZOOMLIVE_EXTRA_CA_FILE), COM ExtraCaFile, C zoomlive_client_set_extra_ca_file, Python extra_ca_file=..., Rust ClientBuilder::extra_ca_file.";

/// The scopes each operation needs: any one of them will do (Zoom's classic scopes,
/// then its granular ones).
const NEEDED: [(&str, &[&str]); 4] = [
    (
        "meeting status/update",
        &[
            "meeting:write:admin",
            "meeting:write",
            "meeting:update:livestream_status:admin",
            "meeting:update:livestream_status",
        ],
    ),
    (
        "meeting get",
        &[
            "meeting:read:admin",
            "meeting:read",
            "meeting:read:livestream:admin",
            "meeting:read:livestream",
        ],
    ),
    (
        "webinar status/update",
        &[
            "webinar:write:admin",
            "webinar:write",
            "webinar:update:livestream_status:admin",
            "webinar:update:livestream_status",
        ],
    ),
    (
        "webinar get",
        &[
            "webinar:read:admin",
            "webinar:read",
            "webinar:read:livestream:admin",
            "webinar:read:livestream",
        ],
    ),
];

fn check(name: impl Into<String>, status: CheckStatus, detail: impl Into<String>) -> Check {
    Check {
        check: name.into(),
        status,
        detail: detail.into(),
        advice: None,
    }
}

fn host_of(url: &str) -> String {
    url.parse::<ureq::http::Uri>()
        .ok()
        .and_then(|u| u.host().map(str::to_owned))
        .unwrap_or_else(|| url.to_owned())
}

/// What one probe of a host found.
struct Probe {
    events: Vec<Event>,
    /// The answer's status and `Date`, or the failure.
    answer: Result<(u16, Option<String>), crate::Error>,
}

/// Sends one unauthenticated GET to `url` through `agent` (so the proxy, resolver and
/// TLS settings are the client's), recording what happened.
fn probe(agent: &ureq::Agent, url: &str, deadline: &Deadline) -> Probe {
    let call = trace::begin();
    let answer = deadline
        .remaining("before the probe")
        .and_then(|left| {
            agent
                .get(url)
                .config()
                .timeout_global(Some(left))
                .build()
                .call()
                .map_err(|e| crate::exchange::outcome::classify(e, &[] as &[&str]).error)
        })
        .map(|resp| {
            let date = resp
                .headers()
                .get("date")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned);
            (resp.status().as_u16(), date)
        });
    let trace = call.finish(0);
    Probe {
        events: trace.events().iter().map(|(_, e)| e.clone()).collect(),
        answer,
    }
}

/// The connection checks of one host: DNS, TCP, TLS (and the answer's `Date`).
fn connection_checks(host: &str, url: &str, probe: &Probe, checks: &mut Vec<Check>) {
    let https = url.starts_with("https://");
    for event in &probe.events {
        match event {
            Event::Dns(d) => {
                let (addrs, took) = (&d.addrs, &d.took);
                let list: Vec<String> = addrs.iter().map(|a| a.ip().to_string()).collect();
                checks.push(check(
                    format!("dns {host}"),
                    CheckStatus::Ok,
                    format!(
                        "{} ({:.1} ms)",
                        list.join(", "),
                        took.as_secs_f64() * 1000.0
                    ),
                ));
            }
            Event::DnsFailed { reason, .. } => checks.push(check(
                format!("dns {host}"),
                CheckStatus::Fail,
                reason.clone(),
            )),
            Event::Connect { addr, took } => checks.push(check(
                format!("tcp {host}"),
                CheckStatus::Ok,
                format!(
                    "connected to {} in {:.1} ms",
                    addr.map_or("?".to_owned(), |a| a.to_string()),
                    took.as_secs_f64() * 1000.0
                ),
            )),
            Event::Tls(t) => {
                let (version, verifier, subject, issuer) =
                    (&t.version, &t.verifier, &t.subject, &t.issuer);
                let detail = format!(
                    "{version}, certificate {subject:?} issued by {issuer:?}, trusted through {verifier}"
                );
                let mut c = check(format!("tls {host}"), CheckStatus::Ok, detail);
                if *verifier == "extra-ca" {
                    c.status = CheckStatus::Warn;
                    c.detail.push_str(
                        " (the extra CA vouched for it: a TLS-inspecting proxy sits on the way)",
                    );
                }
                checks.push(c);
            }
            Event::TlsFailed(why) => {
                let mut c = check(format!("tls {host}"), CheckStatus::Fail, why.clone());
                let lower = why.to_ascii_lowercase();
                if lower.contains("trust")
                    || lower.contains("issuer")
                    || lower.contains("self-signed")
                {
                    c.detail
                        .push_str(" (not publicly trusted: a TLS-inspecting proxy?)");
                    c.advice = Some(EXTRA_CA_ADVICE.to_owned());
                }
                checks.push(c);
            }
            _ => {}
        }
    }
    if !https {
        checks.push(check(
            format!("tls {host}"),
            CheckStatus::Warn,
            "not used: the URL is http:// (a test rig such as the emulator)",
        ));
    }
    match &probe.answer {
        Ok((status, _)) => checks.push(check(
            format!("http {host}"),
            CheckStatus::Ok,
            format!("answered HTTP {status}"),
        )),
        Err(e)
            if !probe
                .events
                .iter()
                .any(|e| matches!(e, Event::TlsFailed(_) | Event::DnsFailed { .. })) =>
        {
            checks.push(check(
                format!("http {host}"),
                CheckStatus::Fail,
                e.to_string(),
            ))
        }
        Err(_) => {}
    }
}

/// The clock against the server's `Date` header.
fn clock_check(date: Option<&str>) -> Option<Check> {
    let server = httpdate::parse_http_date(date?).ok()?;
    let now = SystemTime::now();
    let (skew, ahead) = match now.duration_since(server) {
        Ok(d) => (d, true),
        Err(e) => (e.duration(), false),
    };
    let mut c = check(
        "clock",
        CheckStatus::Ok,
        format!(
            "{} s {} the server's",
            skew.as_secs(),
            if ahead { "ahead of" } else { "behind" }
        ),
    );
    if skew > CLOCK_SKEW_LIMIT {
        c.status = CheckStatus::Warn;
        c.detail = format!(
            "this machine's clock is {} s {} the server's (over {} s: tokens may be taken as expired or not yet valid)",
            skew.as_secs(),
            if ahead { "ahead of" } else { "behind" },
            CLOCK_SKEW_LIMIT.as_secs()
        );
        c.advice = Some("Set the clock right (Windows: w32tm /resync).".to_owned());
    }
    Some(c)
}

/// The token's scopes against what the operations need.
fn scope_check(scopes: &[String], owner: Option<&Owner>) -> Check {
    let held = |s: &&str| scopes.iter().any(|h| h == s);
    let mut missing = Vec::new();
    for (what, accepted) in NEEDED {
        if !accepted.iter().any(held) {
            missing.push(format!("{what} needs {} (or {})", accepted[0], accepted[2]));
        }
    }
    let needed_for_owner = owner.is_some_and(|o| {
        let kind = o.kind().as_str();
        missing.iter().any(|m| m.starts_with(kind))
    });
    if missing.is_empty() {
        check(
            "scopes",
            CheckStatus::Ok,
            format!(
                "every live-stream operation is allowed ({})",
                scopes.join(" ")
            ),
        )
    } else {
        let mut c = check(
            "scopes",
            if missing.len() == NEEDED.len() || needed_for_owner {
                CheckStatus::Fail
            } else {
                CheckStatus::Warn
            },
            format!("missing: {}", missing.join("; ")),
        );
        c.advice = Some(
            "Add the missing scopes to the Server-to-Server OAuth app in Zoom's App Marketplace, then activate it again.".to_owned(),
        );
        c
    }
}

impl Client {
    /// Runs `zoomlive doctor` with this client's settings (see the module): each step's
    /// result, in order. Nothing is changed on Zoom's side: the only API call is the
    /// read-only GET of `options.owner`.
    pub fn doctor(&self, options: &DoctorOptions) -> Vec<Check> {
        let parts = self.parts();
        let deadline = Deadline::after(self.config().timeout);
        let mut checks = Vec::new();
        let api_host = host_of(self.base_url());
        let oauth_host = host_of(parts.oauth_url);
        let s2s = matches!(
            self.config().credentials,
            crate::auth::Credentials::ServerToServer { .. }
        );
        checks.push(check(
            format!("proxy {api_host}"),
            CheckStatus::Ok,
            self.proxy_line(self.base_url()),
        ));
        if s2s {
            checks.push(check(
                format!("proxy {oauth_host}"),
                CheckStatus::Ok,
                self.proxy_line(parts.oauth_url),
            ));
        }
        let api_url = format!("{}/", self.base_url());
        let api = probe(parts.agent, &api_url, &deadline);
        connection_checks(&api_host, &api_url, &api, &mut checks);
        if s2s {
            let oauth = probe(parts.oauth_agent, parts.oauth_url, &deadline);
            connection_checks(&oauth_host, parts.oauth_url, &oauth, &mut checks);
        }
        if let Some(c) = api
            .answer
            .as_ref()
            .ok()
            .and_then(|(_, d)| clock_check(d.as_deref()))
        {
            checks.push(c);
        }
        if !options.no_credentials {
            if s2s {
                let started = std::time::Instant::now();
                match parts.tokens.probe(parts.oauth_agent, &deadline) {
                    Ok(Some((lifetime, scopes))) => {
                        checks.push(check(
                            "token",
                            CheckStatus::Ok,
                            format!(
                                "fetched in {:.0} ms, valid for {} s",
                                started.elapsed().as_secs_f64() * 1000.0,
                                lifetime.as_secs()
                            ),
                        ));
                        checks.push(scope_check(&scopes, options.owner.as_ref()));
                    }
                    Ok(None) => {}
                    Err(e) => {
                        let mut c = check("token", CheckStatus::Fail, e.to_string());
                        c.advice = Some("Check the account id, client id and client secret of the Server-to-Server OAuth app (Zoom App Marketplace), and that the app is activated.".to_owned());
                        checks.push(c);
                    }
                }
            } else {
                checks.push(check(
                    "token",
                    CheckStatus::Ok,
                    "a bearer token is set (its expiry and scopes are Zoom's to check)",
                ));
            }
        }
        if let Some(owner) = &options.owner {
            let name = format!("get {} {}", owner.kind().as_str(), owner.id());
            checks.push(match self.get_livestream(*owner) {
                Ok(ls) => check(
                    name,
                    CheckStatus::Ok,
                    format!(
                        "stream_url={:?} page_url={:?} (the stream key is not shown)",
                        ls.stream_url.as_deref().unwrap_or(""),
                        ls.page_url.as_deref().unwrap_or("")
                    ),
                ),
                Err(e) => check(name, CheckStatus::Fail, e.to_string()),
            });
        }
        checks
    }
}
