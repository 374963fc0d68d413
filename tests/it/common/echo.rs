//! A hostile server for the tests: it answers each request with what a test builds
//! from it (typically the request echoed back in one response shape).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::thread;
use std::time::Duration;

/// What a server answers: status line suffix (`400 Bad Request`), extra headers, body.
pub type Reply = (String, Vec<(String, String)>, String);

/// Reads one HTTP request: its head (lines) and body.
pub fn read_request(stream: &mut TcpStream) -> (Vec<String>, String) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let (mut head, mut length) = (Vec::new(), 0);
    for _ in 0..100 {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            break;
        }
        let line = line.trim_end().to_owned();
        if line.is_empty() {
            break;
        }
        if let Some((k, v)) = line.split_once(':')
            && k.eq_ignore_ascii_case("content-length")
        {
            length = v.trim().parse().unwrap_or(0);
        }
        head.push(line);
    }
    let mut body = vec![0; length];
    let _ = reader.read_exact(&mut body);
    (head, String::from_utf8_lossy(&body).into_owned())
}

/// Starts a server on 127.0.0.1 answering each request with `answer(head, body)`, one
/// request per connection, for at most `max` connections; returns its `http://` URL.
pub fn serve(max: usize, answer: impl Fn(&[String], &str) -> Reply + Send + 'static) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    thread::spawn(move || {
        for stream in listener.incoming().take(max) {
            let Ok(mut stream) = stream else { continue };
            let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
            let (head, body) = read_request(&mut stream);
            let (status, headers, text) = answer(&head, &body);
            let mut out = format!(
                "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n",
                text.len()
            );
            for (k, v) in headers {
                out.push_str(&format!("{k}: {v}\r\n"));
            }
            out.push_str("\r\n");
            out.push_str(&text);
            let _ = stream.write_all(out.as_bytes());
        }
    });
    url
}

/// A request header's value ("" when absent).
pub fn header(head: &[String], name: &str) -> String {
    head.iter()
        .find_map(|l| {
            l.split_once(':')
                .filter(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.trim().to_owned())
        })
        .unwrap_or_default()
}
