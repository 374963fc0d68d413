//! The `zoomlive emulator` subcommand: runs the local Zoom emulator in the foreground.

use std::io::Write;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

use clap::Args;
use zoomlive::emulator::{self, Emulator, OAuthApp};

/// Options of `zoomlive emulator`.
#[derive(Args)]
pub struct EmulatorArgs {
    /// Address to listen on (port 0: any free port).
    #[arg(long, default_value = "127.0.0.1:0")]
    bind: SocketAddr,
    /// A known meeting id (repeatable; default: 68423085).
    #[arg(long = "meeting")]
    meetings: Vec<u64>,
    /// Known meeting ids FIRST to LAST, as FIRST-LAST (repeatable; for batches).
    #[arg(long = "meeting-range", value_name = "FIRST-LAST", value_parser = id_range)]
    meeting_ranges: Vec<(u64, u64)>,
    /// A known webinar id (repeatable; default: 91234567890).
    #[arg(long = "webinar")]
    webinars: Vec<u64>,
    /// A bearer token to accept (repeatable; default: the wire captures' fake token).
    #[arg(long = "token")]
    tokens: Vec<String>,
    /// A Server-to-Server app as ACCOUNT_ID:CLIENT_ID:CLIENT_SECRET (repeatable;
    /// default: demo-account:demo-client:demo-secret).
    #[arg(long = "oauth-app")]
    oauth_apps: Vec<String>,
    /// Lifetime of issued OAuth tokens, in seconds.
    #[arg(long, default_value_t = 3600)]
    token_ttl_secs: u64,
    /// A known webinar whose host user no longer exists (repeatable): calls on it
    /// answer HTTP 400, Zoom code 1001 "User does not exist".
    #[arg(long = "hostless-webinar", value_name = "ID")]
    hostless_webinars: Vec<u64>,
    /// Refuse form data with HTTP 415 {"code":300,"message":"Unsupported Content Type"},
    /// as a strict JSON-only Zoom does.
    #[arg(long)]
    json_only: bool,
    /// Answer Zoom's 429 to a start of the same stream within this many ms (0: off);
    /// its message states the wait in seconds.
    #[arg(long, default_value_t = 0)]
    start_cooldown_ms: u64,
    /// Add Retry-After and X-RateLimit-* headers to the start cooldown's 429 (Zoom
    /// documents it without them), and with --qps to every API answer.
    #[arg(long)]
    rate_limit_headers: bool,
    /// HTTP status of the answer to a malformed meeting or webinar id, with Zoom code
    /// 300: 400 (Zoom's current description) or 300 (the seeds' Postman collection).
    #[arg(long, default_value_t = 400, value_parser = invalid_id_status)]
    invalid_id_status: u16,
    /// A scope the app lacks (repeatable, or comma-separated): every API call answers
    /// HTTP 400, Zoom code 4700 "Invalid access token, does not contain scopes:[...]".
    #[arg(long = "missing-scope", value_name = "SCOPE", value_delimiter = ',')]
    missing_scopes: Vec<String>,
    /// API calls allowed until the emulator is reset; later ones answer Zoom's
    /// daily-limit 429 (X-RateLimit-Type: Daily-limit, Retry-After at 00:00 UTC).
    #[arg(long, value_name = "CALLS")]
    daily_limit: Option<u64>,
    /// Zoom's per-second limit: API calls per second per account (a token bucket);
    /// over it, Zoom's per-second 429 (with --rate-limit-headers, also X-RateLimit-*
    /// on every answer). PUT /_emulator/qps {"qps": N} changes it while running.
    #[arg(long, value_name = "N")]
    qps: Option<f64>,
    /// Delay every answer this many ms (the round trip to Zoom across the internet).
    #[arg(long, value_name = "MS", default_value_t = 0)]
    latency_ms: u64,
}

/// `FIRST-LAST`, at most a million ids.
fn id_range(text: &str) -> Result<(u64, u64), String> {
    let parsed = text
        .split_once('-')
        .and_then(|(a, b)| Some((a.trim().parse::<u64>().ok()?, b.trim().parse::<u64>().ok()?)));
    match parsed {
        Some((first, last)) if first > 0 && first <= last && last - first < 1_000_000 => {
            Ok((first, last))
        }
        _ => Err("FIRST-LAST: two ids, FIRST > 0, at most 1,000,000 apart".into()),
    }
}

fn invalid_id_status(text: &str) -> Result<u16, String> {
    match text {
        "300" => Ok(300),
        "400" => Ok(400),
        _ => Err("300 or 400".into()),
    }
}

/// Starts the emulator, prints its URLs and serves until killed.
pub fn run(args: &EmulatorArgs) -> ExitCode {
    let mut config = emulator::Config {
        bind: args.bind,
        token_ttl: Duration::from_secs(args.token_ttl_secs.max(1)),
        hostless_webinars: args.hostless_webinars.clone(),
        json_only: args.json_only,
        start_cooldown: Duration::from_millis(args.start_cooldown_ms),
        rate_limit_headers: args.rate_limit_headers,
        invalid_id_status: args.invalid_id_status,
        missing_scopes: args.missing_scopes.clone(),
        daily_limit: args.daily_limit,
        qps: args.qps.filter(|q| q.is_finite() && *q > 0.0),
        latency: Duration::from_millis(args.latency_ms),
        ..emulator::Config::default()
    };
    if !args.meetings.is_empty() || !args.meeting_ranges.is_empty() {
        config.meetings = args.meetings.clone();
        for &(first, last) in &args.meeting_ranges {
            config.meetings.extend(first..=last);
        }
    }
    if !args.webinars.is_empty() {
        config.webinars = args.webinars.clone();
    }
    if !args.tokens.is_empty() {
        config.tokens = args.tokens.clone();
    }
    if !args.oauth_apps.is_empty() {
        let mut apps = Vec::new();
        for spec in &args.oauth_apps {
            let mut parts = spec.splitn(3, ':');
            match (parts.next(), parts.next(), parts.next()) {
                (Some(a), Some(c), Some(s)) if !a.is_empty() && !c.is_empty() && !s.is_empty() => {
                    apps.push(OAuthApp {
                        account_id: a.into(),
                        client_id: c.into(),
                        client_secret: s.into(),
                    })
                }
                _ => {
                    eprintln!(
                        "zoomlive emulator: --oauth-app wants ACCOUNT_ID:CLIENT_ID:CLIENT_SECRET"
                    );
                    return ExitCode::from(2);
                }
            }
        }
        config.oauth_apps = apps;
    }
    let emulator = match Emulator::start(config.clone()) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("zoomlive emulator: cannot listen on {}: {e}", args.bind);
            return ExitCode::from(1);
        }
    };
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{}", emulator.url());
    let _ = writeln!(out, "API base URL:    {}", emulator.base_url());
    let _ = writeln!(out, "OAuth token URL: {}", emulator.oauth_url());
    let _ = writeln!(
        out,
        "Meetings: {:?}  Webinars: {:?}",
        config.meetings, config.webinars
    );
    let _ = writeln!(
        out,
        "OAuth apps (account:client): {}",
        config
            .oauth_apps
            .iter()
            .map(|a| format!("{}:{}", a.account_id, a.client_id))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let _ = writeln!(
        out,
        "Control API: {}/_emulator/requests  (Ctrl-C to stop)",
        emulator.url()
    );
    let _ = out.flush();
    drop(out);
    emulator.wait()
}
