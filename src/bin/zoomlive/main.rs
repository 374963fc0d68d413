//! `zoomlive`: the live-stream operations from the command line (for scripts, SQL
//! Server jobs through xp_cmdshell, and trying things), plus the local emulator.
//!
//! Credentials come from the environment, never from the command line:
//! `ZOOM_ACCESS_TOKEN`, or a token file, or `ZOOM_ACCOUNT_ID` + `ZOOM_CLIENT_ID` +
//! `ZOOM_CLIENT_SECRET` for Server-to-Server OAuth. The stream key likewise comes from
//! `ZOOM_STREAM_KEY` or `--stream-key-file PATH` (`-`: standard input), never from argv.

mod batch;
mod emulator;
mod secrets;

use std::cell::RefCell;
use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use emulator::EmulatorArgs;
use serde_json::{Value, json};
use zoomlive::{
    Action, BodyEncoding, CheckStatus, Client, ClientBuilder, Credentials, DoctorOptions, Error,
    ErrorKind, Livestream, LivestreamSettings, LivestreamUpdate, OwnerKind, ProxyAuth,
    ProxyDecision,
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
    /// Request body encoding: auto (multipart as the legacy code sends, then JSON for
    /// good once Zoom refuses multipart with HTTP 415), multipart or json.
    #[arg(long, global = true, default_value = "auto", env = "ZOOMLIVE_ENCODING")]
    encoding: BodyEncoding,
    /// Seconds allowed for one call.
    #[arg(long, global = true)]
    timeout: Option<f64>,
    /// Retries after a 429 (0: none).
    #[arg(long, global = true)]
    max_retries: Option<u32>,
    /// A file holding the access token (first line; `-`: standard input, from a pipe),
    /// instead of ZOOM_ACCESS_TOKEN.
    #[arg(long, global = true, env = "ZOOM_TOKEN_FILE")]
    token_file: Option<PathBuf>,
    /// A PEM file of CA certificates trusted in addition to the operating system's (a
    /// corporate TLS-inspecting proxy's CA); checked as the C setter checks it.
    #[arg(
        long,
        global = true,
        env = "ZOOMLIVE_EXTRA_CA_FILE",
        value_name = "PATH"
    )]
    extra_ca_file: Option<PathBuf>,
    /// Where Server-to-Server OAuth tokens are kept between runs (default
    /// $XDG_CACHE_HOME/zoomlive or ~/.cache/zoomlive; %LOCALAPPDATA%\zoomlive on Windows).
    #[arg(long, global = true, value_name = "DIR")]
    token_cache_dir: Option<PathBuf>,
    /// Neither read nor write the token cache: fetch a token for this run only.
    #[arg(long, global = true, conflicts_with = "token_cache_dir")]
    no_token_cache: bool,
    /// The proxy for every destination but loopback: a URL
    /// (http://[user:password@]host:port) or `direct`; unset, the proxy variables, then
    /// the Windows settings decide (see `zoomlive proxy-for URL`).
    #[arg(long, global = true, value_name = "URL|direct")]
    proxy: Option<String>,
    /// Hosts reached without a proxy (NO_PROXY syntax: names, .suffixes, addresses,
    /// CIDR blocks, *).
    #[arg(long, global = true, value_name = "LIST")]
    no_proxy: Option<String>,
    /// Do not follow the Windows proxy settings (Internet Options, PAC, netsh winhttp).
    #[arg(long, global = true)]
    no_system_proxy: bool,
    /// The user answering a proxy's 407 (DOMAIN\user accepted); the password comes
    /// from ZOOMLIVE_PROXY_PASSWORD or --proxy-password-file, never from the command line.
    #[arg(long, global = true, value_name = "USER")]
    proxy_user: Option<String>,
    /// A file holding the proxy password (first line; `-`: standard input).
    #[arg(long, global = true, value_name = "PATH")]
    proxy_password_file: Option<PathBuf>,
    /// How a proxy's 407 is answered: auto (the strongest scheme offered: Negotiate on
    /// Windows, NTLM, Basic), basic, ntlm, negotiate (Windows) or none.
    #[arg(long, global = true, value_name = "SCHEME")]
    proxy_auth: Option<String>,
    /// `text` for people, `json` (one object on stdout) for scripts.
    #[arg(long, global = true, value_enum, default_value = "text")]
    output: Output,
    /// Print the call's trace on stderr (every step, with no secret in it).
    #[arg(short, long, global = true)]
    verbose: bool,
    /// Append the call's trace to this file (as Chilkat's SessionLogFilename).
    #[arg(long, global = true, value_name = "PATH")]
    trace_file: Option<PathBuf>,
    /// Refused: a stream key on the command line is visible to every user (`ps`).
    #[arg(long, global = true, hide = true, value_name = "REFUSED")]
    stream_key: Option<OsString>,
    #[command(subcommand)]
    command: Command,
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
    /// Run many operations from a CSV or JSON Lines file: paced, one at a time per
    /// meeting or webinar, journaled and resumable (exit 12: some failed; 13: some
    /// deferred). Ctrl-C stops sending (calls in flight finish; the rest are deferred).
    Batch(batch::BatchArgs),
    /// Show which proxy a URL goes through, and why (nothing is sent; no credentials
    /// needed).
    ProxyFor(ProxyForArgs),
    /// Run the local Zoom emulator; prints its URL as the first line.
    Emulator(EmulatorArgs),
    /// Check this machine's path to Zoom: proxy, DNS, TCP, TLS, clock, token and its
    /// scopes, and (with --meeting or --webinar) a read-only GET. Exit 0 when nothing
    /// failed, 20 otherwise.
    Doctor(DoctorArgs),
}

impl Command {
    /// The subcommand's name, as typed.
    fn name(&self) -> &'static str {
        match self {
            Command::MeetingStatus(_) => "meeting-status",
            Command::WebinarStatus(_) => "webinar-status",
            Command::MeetingUpdate(_) => "meeting-update",
            Command::WebinarUpdate(_) => "webinar-update",
            Command::MeetingGet(_) => "meeting-get",
            Command::WebinarGet(_) => "webinar-get",
            Command::Emulator(_) => "emulator",
            Command::Doctor(_) => "doctor",
            Command::Batch(_) => "batch",
            Command::ProxyFor(_) => "proxy-for",
        }
    }
}

#[derive(Args)]
struct DoctorArgs {
    /// Also read this meeting's live stream (GET, changes nothing).
    #[arg(long, conflicts_with = "webinar")]
    meeting: Option<String>,
    /// Also read this webinar's live stream (GET, changes nothing).
    #[arg(long)]
    webinar: Option<String>,
}

#[derive(Args)]
struct ProxyForArgs {
    /// The destination (for example https://api.zoom.us).
    url: String,
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
    /// A file holding the stream key (`-`: standard input), instead of ZOOM_STREAM_KEY.
    /// Never on the command line: every user of the machine sees it there (`ps`).
    #[arg(long)]
    stream_key_file: Option<PathBuf>,
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

/// Exit status when the result could not be written (stdout closed, disk full).
const EXIT_OUTPUT_FAILED: u8 = 10;
/// Exit status of `zoomlive doctor` when a check failed.
const EXIT_DOCTOR_FAILED: u8 = 20;

thread_local! {
    /// The trace of the call this run made, if it made one.
    static TRACE: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Keeps the trace of the call just made on `client` (success or failure).
fn keep_trace(client: &Client) {
    TRACE.with(|t| *t.borrow_mut() = client.last_trace());
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => return usage_error(&err),
    };
    let result = match &cli.command {
        Command::Emulator(args) => return emulator::run(args),
        Command::Batch(_) if cli.stream_key.is_some() => Err(stream_key_on_argv()),
        Command::Batch(args) => return finish_batch(cli.output, batch::run(args, || client(&cli))),
        _ if cli.stream_key.is_some() => Err(stream_key_on_argv()),
        Command::Doctor(args) => return doctor(&cli, args),
        command => run(&cli, command),
    };
    show_trace(&cli);
    finish(cli.output, result)
}

/// `-v` prints the trace on stderr; `--trace-file` appends it (with a header line).
fn show_trace(cli: &Cli) {
    let Some(trace) = TRACE.with(|t| t.borrow().clone()) else {
        return;
    };
    if cli.verbose {
        let _ = write!(std::io::stderr(), "{trace}");
    }
    if let Some(path) = &cli.trace_file
        && let Err(e) = append_trace(path, cli.command.name(), &trace)
    {
        let _ = writeln!(
            std::io::stderr(),
            "zoomlive: the trace could not be appended to {}: {e}",
            path.display()
        );
    }
}

/// Appends one call's trace to `path`, after a line naming the time and the command.
fn append_trace(path: &Path, command: &str, trace: &str) -> std::io::Result<()> {
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    let when = httpdate::fmt_http_date(std::time::SystemTime::now());
    write!(file, "=== {when} zoomlive {command}\n{trace}")?;
    file.flush()
}

/// Whether any credential is given (a token file, or one of the variables).
fn credentials_given(cli: &Cli) -> bool {
    cli.token_file.is_some()
        || [
            "ZOOM_ACCESS_TOKEN",
            "ZOOM_ACCOUNT_ID",
            "ZOOM_CLIENT_ID",
            "ZOOM_CLIENT_SECRET",
        ]
        .iter()
        .any(|name| std::env::var_os(name).is_some_and(|v| !v.is_empty()))
}

/// `zoomlive doctor`: the checks, one line each (or a JSON array); exit 0 when none
/// failed. Without credentials, only what needs none is checked.
fn doctor(cli: &Cli, args: &DoctorArgs) -> ExitCode {
    let owner = match (&args.meeting, &args.webinar) {
        (Some(id), _) => OwnerKind::Meeting.parse(id).map(Some),
        (_, Some(id)) => OwnerKind::Webinar.parse(id).map(Some),
        _ => Ok(None),
    };
    let no_credentials = !credentials_given(cli);
    let built = owner.and_then(|owner| {
        let client = if no_credentials {
            client_with(
                cli,
                zoomlive::Credentials::access_token("no-credentials-given")?,
            )
        } else {
            client(cli)
        }?;
        Ok((client, owner))
    });
    let (client, owner) = match built {
        Ok(found) => found,
        Err(e) => return finish(cli.output, Err(e)),
    };
    let checks = client.doctor(&DoctorOptions {
        no_credentials,
        owner,
    });
    let text = match cli.output {
        Output::Json => zoomlive::doctor_json(&checks),
        Output::Text => {
            let mut lines: Vec<String> = checks
                .iter()
                .map(|c| {
                    let mut line = format!("{:<4} {}: {}", c.status.as_str(), c.check, c.detail);
                    if let Some(advice) = &c.advice {
                        line.push_str(&format!("\n     advice: {advice}"));
                    }
                    line
                })
                .collect();
            if no_credentials {
                lines.push("note: no credentials given: the token was not checked".to_owned());
            }
            lines.join("\n")
        }
    };
    if write_line(&mut std::io::stdout(), &text).is_err() {
        return ExitCode::from(EXIT_OUTPUT_FAILED);
    }
    if checks.iter().any(|c| c.status == CheckStatus::Fail) {
        ExitCode::from(EXIT_DOCTOR_FAILED)
    } else {
        ExitCode::SUCCESS
    }
}

/// Prints a batch's counts (stdout) or its error as `finish` does; exit 0, or
/// `batch::EXIT_FAILED` / `batch::EXIT_DEFERRED`.
fn finish_batch(output: Output, result: Result<batch::Finished, Error>) -> ExitCode {
    match result {
        Ok(done) => {
            let text = match output {
                Output::Json => done.json().to_string(),
                Output::Text => done.text(),
            };
            match write_line(&mut std::io::stdout(), &text) {
                Ok(()) => ExitCode::from(done.exit_code()),
                Err(_) => ExitCode::from(EXIT_OUTPUT_FAILED),
            }
        }
        Err(err) => finish(output, Err(err)),
    }
}

/// `--stream-key` is refused (exit 3, nothing sent): everyone sees the command line.
fn stream_key_on_argv() -> Error {
    Error::InvalidInput {
        field: "stream_key",
        reason: "not accepted on the command line, where every user of the machine \
                 sees it (ps): set ZOOM_STREAM_KEY or pass --stream-key-file PATH \
                 (- reads it from standard input)"
            .into(),
    }
}

/// Prints the outcome (stdout) or the error (stderr, or stdout as JSON); the exit code.
fn finish(output: Output, result: Result<Outcome, Error>) -> ExitCode {
    // A closed stdout (`| head`) or a full disk ends the program quietly: nothing
    // more is printed and the exit status says so.
    match result {
        Ok(outcome) => {
            let text = match output {
                Output::Json => outcome.json().to_string(),
                Output::Text => outcome.text(),
            };
            match write_line(&mut std::io::stdout(), &text) {
                Ok(()) => ExitCode::SUCCESS,
                Err(_) => ExitCode::from(EXIT_OUTPUT_FAILED),
            }
        }
        Err(err) => {
            let _ = match output {
                Output::Json => write_line(
                    &mut std::io::stdout(),
                    &json!({"ok": false, "error": error_json(&err)}).to_string(),
                ),
                Output::Text => write_line(&mut std::io::stderr(), &format!("zoomlive: {err}")),
            };
            ExitCode::from(exit_code(err.kind()))
        }
    }
}

/// Writes one line and flushes it; an error (EPIPE, ENOSPC) is returned, never a panic.
fn write_line(out: &mut impl Write, text: &str) -> std::io::Result<()> {
    writeln!(out, "{text}")?;
    out.flush()
}

/// The environment variables clap reads for options (`env = ...` above).
const CLAP_ENV_VARS: [&str; 3] = ["ZOOM_BASE_URL", "ZOOM_OAUTH_URL", "ZOOMLIVE_ENCODING"];

/// clap's refusal of the command line: its own text (help and version go to stdout,
/// exit 0), or with `--output json` one object `{"ok":false,"error":{"kind":"usage",..}}`
/// on stdout; exit 2.
fn usage_error(err: &clap::Error) -> ExitCode {
    use clap::error::{ContextKind, ErrorKind as ClapKind};
    let args: Vec<OsString> = std::env::args_os().skip(1).collect();
    let json = json_requested(&args);
    if args
        .iter()
        .any(|a| a == "--stream-key" || a.as_encoded_bytes().starts_with(b"--stream-key="))
    {
        let output = if json { Output::Json } else { Output::Text };
        return finish(output, Err(stream_key_on_argv()));
    }
    // clap's own message for a variable it reads that is not UTF-8 does not say which.
    if err.kind() == ClapKind::InvalidUtf8 {
        for name in CLAP_ENV_VARS {
            if let Err(e) = secrets::env_var(name) {
                let output = if json { Output::Json } else { Output::Text };
                return finish(output, Err(e));
            }
        }
    }
    let informational = matches!(err.kind(), ClapKind::DisplayHelp | ClapKind::DisplayVersion);
    if informational || !json {
        let _ = err.print();
        return ExitCode::from(u8::try_from(err.exit_code()).unwrap_or(2));
    }
    let rendered = err.render().to_string();
    let message = rendered
        .lines()
        .next()
        .unwrap_or("")
        .trim_start_matches("error: ")
        .to_owned();
    let argument = err.get(ContextKind::InvalidArg).map(ToString::to_string);
    let value = json!({"ok": false, "error": {
        "kind": "usage", "message": message, "argument": argument, "usage": rendered.trim_end(),
    }});
    let _ = write_line(&mut std::io::stdout(), &value.to_string());
    ExitCode::from(2)
}

/// Whether the command line asks for `--output json` (read without clap, which just
/// refused it): `--output json` or `--output=json`.
fn json_requested(args: &[OsString]) -> bool {
    args.iter().enumerate().any(|(i, a)| {
        a == "--output=json" || (a == "--output" && args.get(i + 1).is_some_and(|v| v == "json"))
    })
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
        ErrorKind::ProxyAuth => 11,
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
        "missing_scopes": api.map(|a| a.missing_scopes()).unwrap_or_default(),
        "rate_limit_type": api.and_then(|a| a.rate_limit_type.clone()),
        "rate_limit_category": api.and_then(|a| a.rate_limit_category.clone()),
        "rate_limit_limit": api.and_then(|a| a.rate_limit_limit),
        "rate_limit_remaining": api.and_then(|a| a.rate_limit_remaining),
        "trace": err.trace().map(|t| t.lines().collect::<Vec<_>>()).unwrap_or_default(),
    })
}

fn client(cli: &Cli) -> Result<Client, Error> {
    client_with(cli, secrets::credentials(cli.token_file.as_ref())?)
}

/// The proxy options applied to a builder.
fn with_proxy(cli: &Cli, mut builder: ClientBuilder) -> Result<ClientBuilder, Error> {
    if let Some(proxy) = &cli.proxy {
        builder = builder.proxy(proxy);
    }
    if let Some(list) = &cli.no_proxy {
        builder = builder.no_proxy(list);
    }
    if let Some(user) = &cli.proxy_user {
        let password = secrets::proxy_password(cli.proxy_password_file.as_ref())?;
        builder = builder.proxy_credentials(user, &password);
    }
    if let Some(auth) = &cli.proxy_auth {
        builder = builder.proxy_auth(ProxyAuth::parse(auth)?);
    }
    Ok(builder.system_proxy(!cli.no_system_proxy))
}

fn client_with(cli: &Cli, credentials: Credentials) -> Result<Client, Error> {
    let mut builder = with_proxy(cli, Client::builder(credentials).encoding(cli.encoding))?;
    if let Some(url) = &cli.base_url {
        builder = builder.base_url(url);
    }
    if let Some(url) = &cli.oauth_url {
        builder = builder.oauth_url(url);
    }
    if let Some(secs) = cli.timeout {
        builder = builder.timeout_secs(secs)?;
    }
    if let Some(n) = cli.max_retries {
        builder = builder.max_retries(n);
    }
    if let Some(path) = &cli.extra_ca_file {
        builder = builder.extra_ca_file(path);
    }
    if !cli.no_token_cache
        && let Some(dir) = cli
            .token_cache_dir
            .clone()
            .or_else(zoomlive::default_token_cache_dir)
    {
        builder = builder.token_cache_dir(dir);
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

fn stream_update(args: &UpdateArgs) -> Result<LivestreamUpdate, Error> {
    LivestreamUpdate::with_optional_resolution(
        &args.stream_url,
        &secrets::stream_key(args.stream_key_file.as_ref())?,
        &args.page_url,
        args.resolution.as_deref(),
    )
}

/// What a successful operation did, printed as text or as one JSON object.
enum Outcome {
    /// A status change or stream update was accepted.
    Done {
        operation: String,
        id: u64,
        action: Option<Action>,
    },
    /// A live stream configuration was read.
    Got {
        operation: String,
        id: u64,
        livestream: Livestream,
    },
    /// The proxy decision for a URL.
    Proxy(ProxyDecision),
}

impl Outcome {
    /// For people: `ok: meeting-status 68423085 start`, or the stream's fields.
    fn text(&self) -> String {
        match self {
            Outcome::Done {
                operation,
                id,
                action: Some(action),
            } => format!("ok: {operation} {id} {action}"),
            Outcome::Done { operation, id, .. } => format!("ok: {operation} {id}"),
            Outcome::Proxy(decision) => decision.to_string(),
            Outcome::Got { livestream: ls, .. } => format!(
                "stream_url: {}\npage_url: {}\nresolution: {}",
                ls.stream_url.as_deref().unwrap_or("-"),
                ls.page_url.as_deref().unwrap_or("-"),
                ls.resolution.as_deref().unwrap_or("-")
            ),
        }
    }

    /// For scripts: `{"ok":true,"operation":..,"id":..}` plus `action` or `livestream`
    /// (the core's serialisation, `null` for what Zoom did not send).
    fn json(&self) -> Value {
        match self {
            Outcome::Done {
                operation,
                id,
                action,
            } => {
                let mut value = json!({"ok": true, "operation": operation, "id": id.to_string()});
                if let Some(action) = action {
                    value["action"] = json!(action.as_str());
                }
                value
            }
            Outcome::Got {
                operation,
                id,
                livestream,
            } => json!({"ok": true, "operation": operation, "id": id.to_string(),
                        "livestream": livestream.to_json()}),
            Outcome::Proxy(decision) => {
                json!({"proxy": decision.proxy(), "source": decision.source()})
            }
        }
    }
}

/// `{meeting|webinar}-status`: every argument is checked before credentials are looked
/// at or anything is sent.
fn status(cli: &Cli, kind: OwnerKind, a: &StatusArgs) -> Result<Outcome, Error> {
    let (owner, action, s) = (kind.parse(&a.id)?, Action::parse(&a.action)?, settings(a)?);
    let c = client(cli)?;
    let done = c.update_livestream_status(owner, action, Some(&s));
    keep_trace(&c);
    done?;
    Ok(Outcome::Done {
        operation: format!("{}-status", kind.as_str()),
        id: owner.id(),
        action: Some(action),
    })
}

/// `{meeting|webinar}-update`.
fn update(cli: &Cli, kind: OwnerKind, a: &UpdateArgs) -> Result<Outcome, Error> {
    let (owner, u) = (kind.parse(&a.id)?, stream_update(a)?);
    let c = client(cli)?;
    let done = c.update_livestream(owner, &u);
    keep_trace(&c);
    done?;
    Ok(Outcome::Done {
        operation: format!("{}-update", kind.as_str()),
        id: owner.id(),
        action: None,
    })
}

/// `{meeting|webinar}-get`.
fn get(cli: &Cli, kind: OwnerKind, a: &GetArgs) -> Result<Outcome, Error> {
    let owner = kind.parse(&a.id)?;
    let c = client(cli)?;
    let got = c.get_livestream(owner);
    keep_trace(&c);
    let livestream = got?;
    Ok(Outcome::Got {
        operation: format!("{}-get", kind.as_str()),
        id: owner.id(),
        livestream,
    })
}

/// `proxy-for URL`: the decision a client with these options makes; no credentials
/// are read (a placeholder token, never sent: nothing is sent).
fn proxy_for(cli: &Cli, a: &ProxyForArgs) -> Result<Outcome, Error> {
    let client = client_with(cli, Credentials::access_token("proxy-for")?)?;
    Ok(Outcome::Proxy(client.proxy_for(&a.url)?))
}

fn run(cli: &Cli, command: &Command) -> Result<Outcome, Error> {
    use OwnerKind::{Meeting, Webinar};
    match command {
        Command::MeetingStatus(a) => status(cli, Meeting, a),
        Command::WebinarStatus(a) => status(cli, Webinar, a),
        Command::MeetingUpdate(a) => update(cli, Meeting, a),
        Command::WebinarUpdate(a) => update(cli, Webinar, a),
        Command::MeetingGet(a) => get(cli, Meeting, a),
        Command::WebinarGet(a) => get(cli, Webinar, a),
        Command::ProxyFor(a) => proxy_for(cli, a),
        Command::Emulator(_) | Command::Doctor(_) | Command::Batch(_) => {
            unreachable!("handled in main")
        }
    }
}
