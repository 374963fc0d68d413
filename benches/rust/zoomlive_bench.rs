//! The Rust side of `make bench` (see benches/run.sh and benches/bench.py):
//!
//! - `serve [PORT]`: the minimal loopback HTTP/1.1 keep-alive server every client talks
//!   to. One thread per connection; it parses each request (Content-Length or chunked
//!   body, `Expect: 100-continue`), checks that it is the benchmark's call with the
//!   benchmark's token and fields, and answers `204 No Content` at once (400 otherwise).
//!   `GET /_stats` reports how many requests of each kind it accepted, over how many
//!   keep-alive connections, and how many it refused.
//! - `raw BASE_URL WORKLOAD N WARMUP THREADS`: the floor: writes pre-built request bytes
//!   on one socket per thread and reads the 204, N times in all.
//! - `rust BASE_URL WORKLOAD N WARMUP THREADS`: the same N calls through one shared
//!   `zoomlive::Client` (N split between THREADS threads).
//!
//! - `tls-rig ONE_WAY_MS DIR`: loopback HTTPS servers and a delaying relay that counts
//!   round trips, for the TLS rows (benches/rust/tls_rows.rs).
//!
//! The clients print one JSON line: `{"n", "threads", "wall_ns", "lat_ns": [...]}`.

mod tls_rows;

use std::io::{self, BufRead, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Barrier};
use std::time::Instant;

use serde_json::{Value, json};
use zoomlive::{
    Action, BodyEncoding, Client, Credentials, LivestreamSettings, LivestreamUpdate, MeetingId,
};

/// The fake token of the wire captures.
const TOKEN: &str = "eyJhbGciOiJIUzI1NiJ9.FAKE-ZOOM-TOKEN-0123456789abcdef";
const MEETING: u64 = 68423085;
const DISPLAY_NAME: &str = "dolore ullamco irur";
const SETTINGS_JSON: &str = r#"{"active_speaker_name":false,"display_name":"dolore ullamco irur"}"#;
const STREAM_URL: &str = "rtmp://a.rtmp.youtube.com/live2";
const STREAM_KEY: &str = "auteofficia";
const PAGE_URL: &str = "https://example.com/live";
const RESPONSE_204: &[u8] = b"HTTP/1.1 204 No Content\r\n\r\n";

/// The three calls measured.
#[derive(Clone, Copy, PartialEq)]
enum Workload {
    /// `PATCH /meetings/{id}/livestream/status`, multipart (the seed's call).
    StatusMultipart,
    /// The same call with a JSON body.
    StatusJson,
    /// `PATCH /meetings/{id}/livestream`, multipart.
    UpdateMultipart,
}

const KINDS: [&str; 3] = ["status-multipart", "status-json", "update-multipart"];

impl Workload {
    fn parse(text: &str) -> Workload {
        match text {
            "status-multipart" => Workload::StatusMultipart,
            "status-json" => Workload::StatusJson,
            "update-multipart" => Workload::UpdateMultipart,
            other => die(&format!("unknown workload {other:?}")),
        }
    }

    fn path(self) -> String {
        match self {
            Workload::StatusMultipart | Workload::StatusJson => {
                format!("/v2/meetings/{MEETING}/livestream/status")
            }
            Workload::UpdateMultipart => format!("/v2/meetings/{MEETING}/livestream"),
        }
    }
}

fn die(message: &str) -> ! {
    eprintln!("zoomlive_bench: {message}");
    std::process::exit(2)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |i: usize| -> &str {
        args.get(i)
            .map(String::as_str)
            .unwrap_or_else(|| die("missing argument (see the module doc)"))
    };
    let num = |i: usize| -> usize {
        arg(i)
            .parse()
            .unwrap_or_else(|_| die(&format!("argument {i} is not a number")))
    };
    match arg(0) {
        "serve" => serve(args.get(1).map_or(0, |p| p.parse().unwrap_or(0))),
        "raw" => {
            let out = raw_client(arg(1), Workload::parse(arg(2)), num(3), num(4), num(5));
            println!("{out}");
        }
        "rust" => {
            let out = rust_client(arg(1), Workload::parse(arg(2)), num(3), num(4), num(5));
            println!("{out}");
        }
        "tls-rig" => tls_rows::run(num(1) as u64, arg(2)),
        "trace-overhead" => println!("{}", trace_overhead(arg(1), num(2), None)),
        "trace-mode" => println!("{}", trace_overhead(arg(1), num(2), Some(arg(3)))),
        other => die(&format!("unknown command {other:?}")),
    }
}

// ---------------------------------------------------------------------------------
// The server

#[derive(Default)]
struct Stats {
    requests: [AtomicU64; 3],
    bytes: [AtomicU64; 3],
    bad: AtomicU64,
    connections: AtomicU64,
    expect_continue: AtomicU64,
}

impl Stats {
    fn to_json(&self) -> String {
        let per_kind = |counters: &[AtomicU64; 3]| {
            KINDS
                .iter()
                .zip(counters)
                .map(|(k, c)| ((*k).to_owned(), json!(c.load(Ordering::Relaxed))))
                .collect::<serde_json::Map<_, _>>()
        };
        json!({
            "requests": per_kind(&self.requests),
            "bytes": per_kind(&self.bytes),
            "bad": self.bad.load(Ordering::Relaxed),
            "connections": self.connections.load(Ordering::Relaxed),
            "expect_continue": self.expect_continue.load(Ordering::Relaxed),
        })
        .to_string()
    }
}

fn serve(port: u16) {
    let listener = TcpListener::bind(("127.0.0.1", port)).unwrap_or_else(|e| die(&e.to_string()));
    let addr = listener
        .local_addr()
        .unwrap_or_else(|e| die(&e.to_string()));
    println!("http://{addr}");
    let _ = io::stdout().flush();
    let stats = Arc::new(Stats::default());
    for conn in listener.incoming() {
        let Ok(conn) = conn else { continue };
        let stats = Arc::clone(&stats);
        std::thread::spawn(move || {
            let _ = serve_connection(conn, &stats);
        });
    }
}

/// One parsed request head.
struct Head {
    method: String,
    path: String,
    content_type: String,
    authorization: String,
    content_length: Option<usize>,
    chunked: bool,
    expect_continue: bool,
    close: bool,
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn parse_head(head: &[u8]) -> Option<Head> {
    let text = std::str::from_utf8(head).ok()?;
    let mut lines = text.split("\r\n");
    let mut request_line = lines.next()?.split(' ');
    let method = request_line.next()?.to_owned();
    let path = request_line.next()?.to_owned();
    if request_line.next()? != "HTTP/1.1" {
        return None;
    }
    let mut h = Head {
        method,
        path,
        content_type: String::new(),
        authorization: String::new(),
        content_length: None,
        chunked: false,
        expect_continue: false,
        close: false,
    };
    for line in lines {
        let (name, value) = line.split_once(':')?;
        let value = value.trim();
        match name.to_ascii_lowercase().as_str() {
            "content-type" => h.content_type = value.to_owned(),
            "authorization" => h.authorization = value.to_owned(),
            "content-length" => h.content_length = Some(value.parse().ok()?),
            "transfer-encoding" => h.chunked = value.eq_ignore_ascii_case("chunked"),
            "expect" => h.expect_continue = value.eq_ignore_ascii_case("100-continue"),
            "connection" => h.close = value.eq_ignore_ascii_case("close"),
            _ => {}
        }
    }
    Some(h)
}

/// Reads more bytes into `buf`; false at end of stream.
fn fill(conn: &mut TcpStream, buf: &mut Vec<u8>) -> io::Result<bool> {
    let mut chunk = [0u8; 16 * 1024];
    let n = conn.read(&mut chunk)?;
    buf.extend_from_slice(&chunk[..n]);
    Ok(n > 0)
}

fn serve_connection(mut conn: TcpStream, stats: &Stats) -> io::Result<()> {
    conn.set_nodelay(true)?;
    let mut buf: Vec<u8> = Vec::with_capacity(32 * 1024);
    let mut counted = false;
    loop {
        // The head.
        let head_end = loop {
            if let Some(i) = find(&buf, b"\r\n\r\n") {
                break i;
            }
            if !fill(&mut conn, &mut buf)? {
                return Ok(());
            }
        };
        let Some(head) = parse_head(&buf[..head_end]) else {
            stats.bad.fetch_add(1, Ordering::Relaxed);
            conn.write_all(b"HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n")?;
            return Ok(());
        };
        let mut pos = head_end + 4;
        if head.expect_continue && buf.len() == pos {
            stats.expect_continue.fetch_add(1, Ordering::Relaxed);
            conn.write_all(b"HTTP/1.1 100 Continue\r\n\r\n")?;
        }
        // The body.
        let body: Vec<u8> = if head.chunked {
            let mut body = Vec::new();
            loop {
                let line_end = loop {
                    if let Some(i) = find(&buf[pos..], b"\r\n") {
                        break pos + i;
                    }
                    if !fill(&mut conn, &mut buf)? {
                        return Ok(());
                    }
                };
                let size_text = std::str::from_utf8(&buf[pos..line_end]).unwrap_or("x");
                let size_text = size_text.split(';').next().unwrap_or("x").trim();
                let Ok(size) = usize::from_str_radix(size_text, 16) else {
                    stats.bad.fetch_add(1, Ordering::Relaxed);
                    return Ok(());
                };
                pos = line_end + 2;
                while buf.len() < pos + size + 2 {
                    if !fill(&mut conn, &mut buf)? {
                        return Ok(());
                    }
                }
                body.extend_from_slice(&buf[pos..pos + size]);
                pos += size + 2;
                if size == 0 {
                    break body;
                }
            }
        } else {
            let len = head.content_length.unwrap_or(0);
            while buf.len() < pos + len {
                if !fill(&mut conn, &mut buf)? {
                    return Ok(());
                }
            }
            let body = buf[pos..pos + len].to_vec();
            pos += len;
            body
        };
        let request_bytes = pos as u64;
        buf.drain(..pos);

        if head.method == "GET" && head.path == "/_stats" {
            let text = stats.to_json();
            let reply = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{text}",
                text.len()
            );
            conn.write_all(reply.as_bytes())?;
        } else {
            match classify(&head, &body) {
                Some(kind) => {
                    stats.requests[kind].fetch_add(1, Ordering::Relaxed);
                    stats.bytes[kind].fetch_add(request_bytes, Ordering::Relaxed);
                    if !counted {
                        counted = true;
                        stats.connections.fetch_add(1, Ordering::Relaxed);
                    }
                    conn.write_all(RESPONSE_204)?;
                }
                None => {
                    stats.bad.fetch_add(1, Ordering::Relaxed);
                    if std::env::var_os("ZOOMLIVE_BENCH_DUMP").is_some() {
                        eprintln!(
                            "refused: {} {} [{}] {}",
                            head.method,
                            head.path,
                            head.content_type,
                            String::from_utf8_lossy(&body)
                        );
                    }
                    conn.write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")?;
                }
            }
        }
        if head.close {
            return Ok(());
        }
    }
}

/// Which benchmark call this is (index into `KINDS`), or None when it is not exactly one.
fn classify(head: &Head, body: &[u8]) -> Option<usize> {
    if head.method != "PATCH" || head.authorization != format!("Bearer {TOKEN}") {
        return None;
    }
    let status = head.path == Workload::StatusMultipart.path();
    let update = head.path == Workload::UpdateMultipart.path();
    let ct = head.content_type.to_ascii_lowercase();
    if ct.starts_with("multipart/form-data") {
        let fields = multipart_fields(&head.content_type, body)?;
        let get = |name: &str| {
            fields
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.as_str())
        };
        if status && fields.len() == 2 && get("action") == Some("start") {
            let settings: Value = serde_json::from_str(get("settings")?).ok()?;
            return settings_ok(&settings).then_some(0);
        }
        if update
            && fields.len() == 3
            && get("stream_url") == Some(STREAM_URL)
            && get("stream_key") == Some(STREAM_KEY)
            && get("page_url") == Some(PAGE_URL)
        {
            return Some(2);
        }
        return None;
    }
    if status && ct.starts_with("application/json") {
        let v: Value = serde_json::from_slice(body).ok()?;
        let ok = v.as_object()?.len() == 2 && v["action"] == "start" && settings_ok(&v["settings"]);
        return ok.then_some(1);
    }
    None
}

fn settings_ok(settings: &Value) -> bool {
    settings.as_object().is_some_and(|o| o.len() == 2)
        && settings["active_speaker_name"] == false
        && settings["display_name"] == DISPLAY_NAME
}

/// The text parts of a multipart/form-data body: (name, value), in order.
fn multipart_fields(content_type: &str, body: &[u8]) -> Option<Vec<(String, String)>> {
    let boundary = content_type
        .split(';')
        .find_map(|p| p.trim().strip_prefix("boundary="))?
        .trim_matches('"');
    let delimiter = format!("--{boundary}");
    let text = std::str::from_utf8(body).ok()?;
    let rest = text.strip_prefix(&delimiter)?;
    let mut fields = Vec::new();
    let separator = format!("\r\n{delimiter}");
    let mut parts = rest.split(separator.as_str());
    let mut last = parts.next()?;
    for next in parts {
        // `last` is "\r\n<headers>\r\n\r\n<value>".
        let part = last.strip_prefix("\r\n")?;
        let (headers, value) = part.split_once("\r\n\r\n")?;
        let name = headers
            .lines()
            .find(|l| {
                l.to_ascii_lowercase()
                    .starts_with("content-disposition: form-data")
            })?
            .split(';')
            .find_map(|p| p.trim().strip_prefix("name="))?
            .trim_matches('"');
        fields.push((name.to_owned(), value.to_owned()));
        last = next;
    }
    // What follows the last delimiter must be the closing "--".
    last.starts_with("--").then_some(fields)
}

// ---------------------------------------------------------------------------------
// The clients

fn host_port(base_url: &str) -> &str {
    let rest = base_url
        .strip_prefix("http://")
        .unwrap_or_else(|| die("the base URL must be http://"));
    rest.split('/').next().unwrap_or(rest)
}

fn multipart_body(boundary: &str, fields: &[(&str, &str)]) -> String {
    let mut body = String::new();
    for (name, value) in fields {
        body.push_str(&format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
        ));
    }
    body.push_str(&format!("--{boundary}--\r\n"));
    body
}

/// The bytes one call sends, as zoomlive sends them (same headers, same body shape).
fn prebuilt_request(base_url: &str, workload: Workload) -> Vec<u8> {
    let boundary = "----formdata-zoomlive-0123456789abcdef";
    let (content_type, body) = match workload {
        Workload::StatusMultipart => (
            format!("multipart/form-data; boundary={boundary}"),
            multipart_body(
                boundary,
                &[("action", "start"), ("settings", SETTINGS_JSON)],
            ),
        ),
        Workload::StatusJson => (
            "application/json".to_owned(),
            format!(r#"{{"action":"start","settings":{SETTINGS_JSON}}}"#),
        ),
        Workload::UpdateMultipart => (
            format!("multipart/form-data; boundary={boundary}"),
            multipart_body(
                boundary,
                &[
                    ("stream_url", STREAM_URL),
                    ("stream_key", STREAM_KEY),
                    ("page_url", PAGE_URL),
                ],
            ),
        ),
    };
    format!(
        "PATCH {} HTTP/1.1\r\nhost: {}\r\nauthorization: Bearer {TOKEN}\r\nuser-agent: {}\r\n\
         accept: application/json\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\n\r\n{body}",
        workload.path(),
        host_port(base_url),
        zoomlive::USER_AGENT,
        body.len()
    )
    .into_bytes()
}

fn report(n: usize, threads: usize, wall_ns: u128, lat_ns: &[u64]) -> String {
    json!({"n": n, "threads": threads, "wall_ns": wall_ns as u64, "lat_ns": lat_ns}).to_string()
}

/// The floor: pre-built bytes on one keep-alive socket per thread, one write and the
/// 204 read back.
fn raw_client(
    base_url: &str,
    workload: Workload,
    n: usize,
    warmup: usize,
    threads: usize,
) -> String {
    let threads = threads.max(1);
    let request = prebuilt_request(base_url, workload);
    let per_thread = n / threads;
    let barrier = Barrier::new(threads + 1);
    let (wall, lat) = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                let (barrier, request) = (&barrier, &request);
                s.spawn(move || {
                    let mut conn = RawConnection::open(base_url);
                    for _ in 0..warmup {
                        conn.call(request);
                    }
                    barrier.wait();
                    let mut lat = Vec::with_capacity(per_thread);
                    for _ in 0..per_thread {
                        let t = Instant::now();
                        conn.call(request);
                        lat.push(t.elapsed().as_nanos() as u64);
                    }
                    lat
                })
            })
            .collect();
        barrier.wait();
        let start = Instant::now();
        let lat: Vec<u64> = handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|_| die("a client thread panicked")))
            .collect();
        (start.elapsed().as_nanos(), lat)
    });
    report(per_thread * threads, threads, wall, &lat)
}

struct RawConnection {
    writer: TcpStream,
    reader: io::BufReader<TcpStream>,
    line: Vec<u8>,
}

impl RawConnection {
    fn open(base_url: &str) -> RawConnection {
        let conn = TcpStream::connect(host_port(base_url)).unwrap_or_else(|e| die(&e.to_string()));
        conn.set_nodelay(true)
            .unwrap_or_else(|e| die(&e.to_string()));
        let writer = conn.try_clone().unwrap_or_else(|e| die(&e.to_string()));
        RawConnection {
            writer,
            reader: io::BufReader::new(conn),
            line: Vec::with_capacity(64),
        }
    }

    fn call(&mut self, request: &[u8]) {
        self.try_call(request)
            .unwrap_or_else(|e| die(&e.to_string()));
    }

    fn try_call(&mut self, request: &[u8]) -> io::Result<()> {
        self.writer.write_all(request)?;
        // The status line, then header lines up to the empty one (a 204 has no body).
        self.line.clear();
        self.reader.read_until(b'\n', &mut self.line)?;
        if !self.line.starts_with(b"HTTP/1.1 204") {
            return Err(io::Error::other(format!(
                "unexpected answer {:?}",
                String::from_utf8_lossy(&self.line)
            )));
        }
        loop {
            self.line.clear();
            if self.reader.read_until(b'\n', &mut self.line)? == 0 {
                return Err(io::ErrorKind::UnexpectedEof.into());
            }
            if self.line == b"\r\n" {
                return Ok(());
            }
        }
    }
}

/// N calls through one `zoomlive::Client` shared by `threads` threads.
/// The benchmarks' client (the fake token, `encoding`), meeting and seed settings.
fn bench_client(base_url: &str, encoding: BodyEncoding) -> (Client, MeetingId, LivestreamSettings) {
    let fail = |e: zoomlive::Error| -> ! { die(&e.to_string()) };
    let client = Client::builder(Credentials::access_token(TOKEN).unwrap_or_else(|e| fail(e)))
        .base_url(base_url)
        .encoding(encoding)
        .build()
        .unwrap_or_else(|e| fail(e));
    let meeting = MeetingId::new(MEETING).unwrap_or_else(|e| fail(e));
    let settings = LivestreamSettings::new()
        .active_speaker_name(false)
        .display_name(DISPLAY_NAME)
        .unwrap_or_else(|e| fail(e));
    (client, meeting, settings)
}

fn rust_client(
    base_url: &str,
    workload: Workload,
    n: usize,
    warmup: usize,
    threads: usize,
) -> String {
    let threads = threads.max(1);
    let encoding = if workload == Workload::StatusJson {
        BodyEncoding::Json
    } else {
        BodyEncoding::Multipart
    };
    let fail = |e: zoomlive::Error| -> ! { die(&e.to_string()) };
    let (client, meeting, settings) = bench_client(base_url, encoding);
    let update =
        LivestreamUpdate::new(STREAM_URL, STREAM_KEY, PAGE_URL).unwrap_or_else(|e| fail(e));
    let call = |client: &Client| {
        let result = match workload {
            Workload::StatusMultipart | Workload::StatusJson => {
                client.update_meeting_livestream_status(meeting, Action::Start, Some(&settings))
            }
            Workload::UpdateMultipart => client.update_meeting_livestream(meeting, &update),
        };
        result.unwrap_or_else(|e| fail(e));
    };
    let per_thread = n / threads;
    let barrier = Barrier::new(threads + 1);
    let (wall, lat) = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                let client = client.clone();
                let (barrier, call) = (&barrier, &call);
                s.spawn(move || {
                    // Each thread opens (and keeps) its own pooled connection first.
                    for _ in 0..warmup {
                        call(&client);
                    }
                    barrier.wait();
                    let mut lat = Vec::with_capacity(per_thread);
                    for _ in 0..per_thread {
                        let t = Instant::now();
                        call(&client);
                        lat.push(t.elapsed().as_nanos() as u64);
                    }
                    lat
                })
            })
            .collect();
        barrier.wait();
        let start = Instant::now();
        let lat: Vec<u64> = handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|_| die("a client thread panicked")))
            .collect();
        (start.elapsed().as_nanos(), lat)
    });
    report(per_thread * threads, threads, wall, &lat)
}

// ---------------------------------------------------------------------------------
// What keeping the trace costs a warm call (issue 19 §2)

/// A `log` consumer that formats every record (into a reused buffer) and keeps
/// nothing: what a real logger pays before its I/O.
struct Formatting;

impl log::Log for Formatting {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        true
    }
    fn log(&self, record: &log::Record<'_>) {
        use std::fmt::Write as _;
        thread_local!(static BUF: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) });
        BUF.with(|b| {
            let mut b = b.borrow_mut();
            b.clear();
            let _ = write!(b, "{} {}", record.level(), record.args());
            std::hint::black_box(b.len());
        });
    }
    fn flush(&self) {}
}

static FORMATTING: Formatting = Formatting;

/// Warm status calls on one kept-alive connection in three modes, in interleaved
/// rounds so that the machine's drift hits all three alike: the trace recorded with
/// no `log` consumer (the default), recording turned off (the floor), and recorded
/// with a consumer formatting every event. Prints the medians in µs as JSON.
///
/// With `only` (`on`, `off` or `logged`), makes `n` calls in that mode alone, for
/// counting instructions under callgrind (`make bench` subtracts the modes).
fn trace_overhead(base_url: &str, n: usize, only: Option<&str>) -> String {
    let fail = |e: zoomlive::Error| -> ! { die(&e.to_string()) };
    let (client, meeting, settings) = bench_client(base_url, BodyEncoding::Multipart);
    // The calling thread's CPU time: what recording adds is work on this thread, and
    // CPU time does not count the waits for the server or for a busy machine's cores.
    let cpu_ns = || {
        let mut ts = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // SAFETY: a valid timespec to fill.
        unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
        ts.tv_sec as u64 * 1_000_000_000 + ts.tv_nsec as u64
    };
    let call = || {
        let (t, c) = (Instant::now(), cpu_ns());
        client
            .update_meeting_livestream_status(meeting, Action::Start, Some(&settings))
            .unwrap_or_else(|e| fail(e));
        (t.elapsed().as_nanos() as u64, cpu_ns() - c)
    };
    for _ in 0..200 {
        call();
    }
    let _ = log::set_logger(&FORMATTING);
    if let Some(mode) = only {
        match mode {
            "on" => zoomlive::set_trace_recording(true),
            "off" => zoomlive::set_trace_recording(false),
            "logged" => log::set_max_level(log::LevelFilter::Debug),
            other => die(&format!("unknown mode {other:?}")),
        }
        for _ in 0..n {
            call();
        }
        return format!(r#"{{"mode":"{mode}","calls":{n}}}"#);
    }
    let (mut on, mut off, mut logged) = (Vec::new(), Vec::new(), Vec::new());
    let rounds = 20;
    for _ in 0..rounds {
        log::set_max_level(log::LevelFilter::Off);
        zoomlive::set_trace_recording(true);
        on.extend((0..n / rounds).map(|_| call()));
        zoomlive::set_trace_recording(false);
        off.extend((0..n / rounds).map(|_| call()));
        zoomlive::set_trace_recording(true);
        log::set_max_level(log::LevelFilter::Debug);
        logged.extend((0..n / rounds).map(|_| call()));
    }
    log::set_max_level(log::LevelFilter::Off);
    let median = |v: &[(u64, u64)], cpu: bool| {
        let mut v: Vec<u64> = v.iter().map(|p| if cpu { p.1 } else { p.0 }).collect();
        v.sort_unstable();
        v[v.len() / 2] as f64 / 1000.0
    };
    format!(
        r#"{{"calls":{},"trace_no_consumer_us":{:.2},"no_trace_us":{:.2},"trace_logged_us":{:.2},"cpu_trace_no_consumer_us":{:.2},"cpu_no_trace_us":{:.2},"cpu_trace_logged_us":{:.2}}}"#,
        on.len(),
        median(&on, false),
        median(&off, false),
        median(&logged, false),
        median(&on, true),
        median(&off, true),
        median(&logged, true)
    )
}
