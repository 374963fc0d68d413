//! `zoomlive`: the live-stream operations from the command line (for scripts, SQL
//! Server jobs through xp_cmdshell, and trying things), plus the local emulator.
//!
//! Credentials come from the environment, never from the command line:
//! `ZOOM_ACCESS_TOKEN`, or a token file, or `ZOOM_ACCOUNT_ID` + `ZOOM_CLIENT_ID` +
//! `ZOOM_CLIENT_SECRET` for Server-to-Server OAuth.

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};
use serde_json::{Value, json};
use zoomlive::emulator::{self, Emulator, OAuthApp};
use zoomlive::{
    Action, BodyEncoding, Client, Credentials, Error, ErrorKind, LivestreamSettings,
    LivestreamUpdate, MeetingId, RetryPolicy, WebinarId,
};

#[derive(Parser)]
#[command(
    name = "zoomlive",
    version,
    about = "Start, stop and configure Zoom live streams"
)]
struct Cli {
    /// API base URL (the emulator prints its own).
    #[arg(long, global = true, env = "ZOOM_BASE_URL")]
    base_url: Option<String>,
    /// Server-to-Server OAuth token URL.
    #[arg(long, global = true, env = "ZOOM_OAUTH_URL")]
    oauth_url: Option<String>,
    /// Request body encoding.
    #[arg(
        long,
        global = true,
        value_enum,
        default_value = "multipart",
        env = "ZOOMLIVE_ENCODING"
    )]
    encoding: EncodingArg,
    /// Seconds allowed for one call.
    #[arg(long, global = true)]
    timeout: Option<f64>,
    /// Retries after a 429 (0: none).
    #[arg(long, global = true)]
    max_retries: Option<u32>,
    /// A file holding the access token (first line), instead of ZOOM_ACCESS_TOKEN.
    #[arg(long, global = true, env = "ZOOM_TOKEN_FILE")]
    token_file: Option<PathBuf>,
    /// `text` for people, `json` (one object on stdout) for scripts.
    #[arg(long, global = true, value_enum, default_value = "text")]
    output: Output,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum EncodingArg {
    Multipart,
    Json,
}

#[derive(Clone, Copy, PartialEq, ValueEnum)]
enum Output {
    Text,
    Json,
}

#[derive(Subcommand)]
enum Command {
    /// Start or stop a meeting's live stream (PATCH /meetings/{id}/livestream/status).
    MeetingStatus(StatusArgs),
    /// Start or stop a webinar's live stream (PATCH /webinars/{id}/livestream/status).
    WebinarStatus(StatusArgs),
    /// Set where a meeting streams to (PATCH /meetings/{id}/livestream).
    MeetingUpdate(UpdateArgs),
    /// Set where a webinar streams to (PATCH /webinars/{id}/livestream).
    WebinarUpdate(UpdateArgs),
    /// Show a meeting's live stream configuration (GET /meetings/{id}/livestream).
    MeetingGet(GetArgs),
    /// Show a webinar's live stream configuration (GET /webinars/{id}/livestream).
    WebinarGet(GetArgs),
    /// Run the local Zoom emulator; prints its URL as the first line.
    Emulator(EmulatorArgs),
}

#[derive(Args)]
struct StatusArgs {
    /// The meeting or webinar id.
    id: String,
    /// start or stop.
    action: String,
    /// All settings as one JSON object.
    #[arg(long)]
    settings: Option<String>,
    /// settings.display_name (1-50 characters).
    #[arg(long)]
    display_name: Option<String>,
    /// settings.active_speaker_name.
    #[arg(long)]
    active_speaker_name: Option<bool>,
    /// settings.layout (meetings).
    #[arg(long)]
    layout: Option<String>,
    /// settings.close_caption (meetings).
    #[arg(long)]
    close_caption: Option<String>,
}

#[derive(Args)]
struct UpdateArgs {
    /// The meeting or webinar id.
    id: String,
    /// The streaming endpoint URL.
    #[arg(long)]
    stream_url: String,
    /// The stream key (better passed through ZOOM_STREAM_KEY).
    #[arg(long, env = "ZOOM_STREAM_KEY", hide_env_values = true)]
    stream_key: String,
    /// The page where viewers watch.
    #[arg(long)]
    page_url: String,
    /// 720p or 1080p.
    #[arg(long)]
    resolution: Option<String>,
}

#[derive(Args)]
struct GetArgs {
    /// The meeting or webinar id.
    id: String,
}

#[derive(Args)]
struct EmulatorArgs {
    /// Address to listen on (port 0: any free port).
    #[arg(long, default_value = "127.0.0.1:0")]
    bind: SocketAddr,
    /// A known meeting id (repeatable; default: 68423085).
    #[arg(long = "meeting")]
    meetings: Vec<u64>,
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
    /// Refuse form data, as a strict JSON-only Zoom would.
    #[arg(long)]
    json_only: bool,
    /// Answer 429 to a start of the same meeting within this many ms (0: off).
    #[arg(long, default_value_t = 0)]
    start_cooldown_ms: u64,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let output = cli.output;
    let result = match &cli.command {
        Command::Emulator(args) => return run_emulator(args),
        command => run(&cli, command),
    };
    match result {
        Ok(value) => {
            if output == Output::Json {
                println!("{value}");
            } else if let Some(text) = value.get("text").and_then(Value::as_str) {
                println!("{text}");
            }
            ExitCode::SUCCESS
        }
        Err(err) => {
            if output == Output::Json {
                println!("{}", json!({"ok": false, "error": error_json(&err)}));
            } else {
                eprintln!("zoomlive: {err}");
            }
            ExitCode::from(exit_code(err.kind()))
        }
    }
}

/// Exit status per error kind (2 is clap's usage error).
fn exit_code(kind: ErrorKind) -> u8 {
    match kind {
        ErrorKind::InvalidInput => 3,
        ErrorKind::Transport => 4,
        ErrorKind::Timeout => 5,
        ErrorKind::Auth => 6,
        ErrorKind::NotFound => 7,
        ErrorKind::RateLimited => 8,
        ErrorKind::Api => 9,
        _ => 1,
    }
}

fn error_json(err: &Error) -> Value {
    let api = err.api();
    json!({
        "kind": err.kind().as_str(),
        "message": err.to_string(),
        "field": err.field(),
        "http_status": api.map(|a| a.status),
        "zoom_code": api.and_then(|a| a.code),
        "zoom_message": api.map(|a| a.message.clone()),
        "errors": api.map(|a| a.errors.iter().map(|e| json!({"field": e.field, "message": e.message})).collect::<Vec<_>>()),
        "tracking_id": api.and_then(|a| a.tracking_id.clone()),
        "retry_after_secs": api.and_then(|a| a.retry_after).map(|d| d.as_secs_f64()),
    })
}

fn credentials(token_file: Option<&PathBuf>) -> Result<Credentials, Error> {
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    if let Some(token) = env("ZOOM_ACCESS_TOKEN") {
        return Credentials::access_token(token.trim());
    }
    if let Some(path) = token_file {
        let text = std::fs::read_to_string(path).map_err(|e| Error::InvalidInput {
            field: "token_file",
            reason: format!("cannot be read: {e}"),
        })?;
        return Credentials::access_token(text.lines().next().unwrap_or("").trim());
    }
    match (
        env("ZOOM_ACCOUNT_ID"),
        env("ZOOM_CLIENT_ID"),
        env("ZOOM_CLIENT_SECRET"),
    ) {
        (Some(a), Some(c), Some(s)) => Credentials::server_to_server(&a, &c, &s),
        _ => Err(Error::InvalidInput {
            field: "credentials",
            reason: "none found: set ZOOM_ACCESS_TOKEN, or --token-file, or ZOOM_ACCOUNT_ID, \
                     ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET"
                .into(),
        }),
    }
}

fn client(cli: &Cli) -> Result<Client, Error> {
    let mut builder =
        Client::builder(credentials(cli.token_file.as_ref())?).encoding(match cli.encoding {
            EncodingArg::Multipart => BodyEncoding::Multipart,
            EncodingArg::Json => BodyEncoding::Json,
        });
    if let Some(url) = &cli.base_url {
        builder = builder.base_url(url);
    }
    if let Some(url) = &cli.oauth_url {
        builder = builder.oauth_url(url);
    }
    if let Some(secs) = cli.timeout {
        let timeout = Duration::try_from_secs_f64(secs).map_err(|_| Error::InvalidInput {
            field: "timeout",
            reason: "must be a positive number of seconds".into(),
        })?;
        builder = builder.timeout(timeout);
    }
    if let Some(n) = cli.max_retries {
        builder = builder.retry_policy(RetryPolicy {
            max_retries: n,
            ..RetryPolicy::default()
        });
    }
    builder.build()
}

fn settings(args: &StatusArgs) -> Result<LivestreamSettings, Error> {
    let base = match &args.settings {
        Some(text) => LivestreamSettings::from_json(text)?,
        None => LivestreamSettings::new(),
    };
    base.with_fields(
        args.active_speaker_name,
        args.display_name.as_deref(),
        args.layout.as_deref(),
        args.close_caption.as_deref(),
    )
}

fn update(args: &UpdateArgs) -> Result<LivestreamUpdate, Error> {
    LivestreamUpdate::with_optional_resolution(
        &args.stream_url,
        &args.stream_key,
        &args.page_url,
        args.resolution.as_deref(),
    )
}

fn run(cli: &Cli, command: &Command) -> Result<Value, Error> {
    // Every argument is checked before credentials are looked at or anything is sent.
    let (operation, id, outcome) = match command {
        Command::MeetingStatus(a) => {
            let (id, action, s) = (
                MeetingId::parse(&a.id)?,
                Action::parse(&a.action)?,
                settings(a)?,
            );
            client(cli)?.update_meeting_livestream_status(id, action, Some(&s))?;
            (
                "meeting-status",
                id.to_string(),
                json!({"action": action.as_str()}),
            )
        }
        Command::WebinarStatus(a) => {
            let (id, action, s) = (
                WebinarId::parse(&a.id)?,
                Action::parse(&a.action)?,
                settings(a)?,
            );
            client(cli)?.update_webinar_livestream_status(id, action, Some(&s))?;
            (
                "webinar-status",
                id.to_string(),
                json!({"action": action.as_str()}),
            )
        }
        Command::MeetingUpdate(a) => {
            let (id, u) = (MeetingId::parse(&a.id)?, update(a)?);
            client(cli)?.update_meeting_livestream(id, &u)?;
            ("meeting-update", id.to_string(), json!({}))
        }
        Command::WebinarUpdate(a) => {
            let (id, u) = (WebinarId::parse(&a.id)?, update(a)?);
            client(cli)?.update_webinar_livestream(id, &u)?;
            ("webinar-update", id.to_string(), json!({}))
        }
        Command::MeetingGet(a) => {
            let id = MeetingId::parse(&a.id)?;
            let ls = client(cli)?.get_meeting_livestream(id)?;
            ("meeting-get", id.to_string(), livestream_json(&ls))
        }
        Command::WebinarGet(a) => {
            let id = WebinarId::parse(&a.id)?;
            let ls = client(cli)?.get_webinar_livestream(id)?;
            ("webinar-get", id.to_string(), livestream_json(&ls))
        }
        Command::Emulator(_) => unreachable!("handled in main"),
    };
    let text = match (operation, outcome.get("action").and_then(Value::as_str)) {
        (_, Some(action)) => format!("ok: {operation} {id} {action}"),
        (_, None) if operation.ends_with("-get") => {
            let ls = &outcome["livestream"];
            format!(
                "stream_url: {}\npage_url: {}\nresolution: {}",
                ls["stream_url"].as_str().unwrap_or(""),
                ls["page_url"].as_str().unwrap_or(""),
                ls["resolution"].as_str().unwrap_or("-")
            )
        }
        _ => format!("ok: {operation} {id}"),
    };
    let mut value = json!({"ok": true, "operation": operation, "id": id, "text": text});
    if let Value::Object(extra) = outcome {
        value.as_object_mut().expect("object").extend(extra);
    }
    if cli.output == Output::Json {
        value.as_object_mut().expect("object").remove("text");
    }
    Ok(value)
}

fn livestream_json(ls: &zoomlive::Livestream) -> Value {
    json!({"livestream": {
        "stream_url": ls.stream_url,
        "stream_key": ls.stream_key,
        "page_url": ls.page_url,
        "resolution": ls.resolution,
    }})
}

fn run_emulator(args: &EmulatorArgs) -> ExitCode {
    let mut config = emulator::Config {
        bind: args.bind,
        token_ttl: Duration::from_secs(args.token_ttl_secs.max(1)),
        json_only: args.json_only,
        start_cooldown: Duration::from_millis(args.start_cooldown_ms),
        ..emulator::Config::default()
    };
    if !args.meetings.is_empty() {
        config.meetings = args.meetings.clone();
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
