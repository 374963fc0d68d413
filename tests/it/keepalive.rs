//! A kept-alive connection the server closes just as it is reused is not an error
//! (issue 10 §4): the request is sent once more on a new connection.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use crate::common::*;
use zoomlive::{Action, Client, Credentials, ErrorKind, MeetingId};

/// Reads one request's head and body; false when the connection ended first.
fn read_request(conn: &mut BufReader<TcpStream>) -> bool {
    let mut length = 0;
    loop {
        let mut line = String::new();
        if conn.read_line(&mut line).unwrap_or(0) == 0 {
            return false;
        }
        if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
            length = v.trim().parse().unwrap();
        }
        if line == "\r\n" {
            break;
        }
    }
    let mut body = vec![0; length];
    conn.read_exact(&mut body).is_ok()
}

/// How a server treats each connection.
#[derive(Clone, Copy)]
enum Server {
    /// Answers the first request (keeping the connection alive), and closes the
    /// connection as soon as the next one arrives: the worst moment. Every other
    /// connection is reset (unread data), the others end cleanly.
    ClosesWhenReused,
    /// Resets the connection when its first request arrives.
    ResetsEveryRequest,
}

/// Starts a server; returns its port, the requests answered and the connections made.
fn server(kind: Server) -> (u16, Arc<AtomicUsize>, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let answered = Arc::new(AtomicUsize::new(0));
    let connections = Arc::new(AtomicUsize::new(0));
    let (a, c) = (answered.clone(), connections.clone());
    std::thread::spawn(move || {
        for conn in listener.incoming().take(200) {
            let Ok(conn) = conn else { return };
            let n = c.fetch_add(1, Ordering::SeqCst);
            let a = a.clone();
            std::thread::spawn(move || {
                if let Server::ResetsEveryRequest = kind {
                    // Closing with unread data resets the connection.
                    let mut conn = conn;
                    let _ = conn.read(&mut [0u8; 1]);
                    std::thread::sleep(Duration::from_millis(50));
                    return;
                }
                let mut conn = BufReader::new(conn);
                if !read_request(&mut conn) {
                    return;
                }
                a.fetch_add(1, Ordering::SeqCst);
                let stream = conn.get_mut();
                stream
                    .write_all(b"HTTP/1.1 204 No Content\r\nConnection: keep-alive\r\n\r\n")
                    .unwrap();
                // Wait for the next request to start, then close without answering.
                if n % 2 == 0 {
                    // Closing with unread data resets the connection.
                    let _ = conn.get_mut().read(&mut [0u8; 1]);
                    std::thread::sleep(Duration::from_millis(20));
                } else {
                    // Or reads it all and closes cleanly: the answer never starts.
                    let _ = read_request(&mut conn);
                }
            });
        }
    });
    (port, answered, connections)
}

fn client(port: u16) -> Client {
    Client::builder(Credentials::access_token(TOKEN).unwrap())
        .base_url(format!("http://127.0.0.1:{port}/v2"))
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap()
}

fn stop(c: &Client) -> zoomlive::Result<()> {
    c.update_meeting_livestream_status(MeetingId::parse(MEETING).unwrap(), Action::Stop, None)
}

#[test]
fn twenty_of_twenty_calls_succeed_when_the_server_closes_reused_connections() {
    let (port, answered, connections) = server(Server::ClosesWhenReused);
    let c = client(port);
    for i in 0..20 {
        stop(&c).unwrap_or_else(|e| panic!("call {i}: {e}"));
        if i % 5 == 0 {
            // Some calls come after a pause.
            std::thread::sleep(Duration::from_millis(20));
        }
    }
    assert_eq!(answered.load(Ordering::SeqCst), 20);
    // Each call after the first found its connection closed, and used a new one.
    assert_eq!(connections.load(Ordering::SeqCst), 20);
}

#[test]
fn threads_sharing_a_client_all_succeed_too() {
    let (port, answered, _) = server(Server::ClosesWhenReused);
    let c = client(port);
    let threads: Vec<_> = (0..4)
        .map(|_| {
            let c = c.clone();
            std::thread::spawn(move || (0..5).map(|_| stop(&c).is_ok()).filter(|ok| *ok).count())
        })
        .collect();
    let ok: usize = threads.into_iter().map(|t| t.join().unwrap()).sum();
    assert_eq!(ok, 20);
    assert_eq!(answered.load(Ordering::SeqCst), 20);
}

#[test]
fn a_new_connection_reset_before_the_answer_is_not_sent_again() {
    let (port, _, connections) = server(Server::ResetsEveryRequest);
    let err = stop(&client(port)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Transport, "{err}");
    // The server may have handled it: it is not sent twice.
    assert_eq!(connections.load(Ordering::SeqCst), 1);
}
