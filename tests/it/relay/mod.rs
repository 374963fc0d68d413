//! A loopback relay that delays every packet and counts round trips.
//!
//! Each relay listens on a loopback address and forwards every connection to an
//! upstream server. Every chunk read from either side is forwarded `one_way` later; the
//! client's first bytes on a connection go no earlier than one round trip after it
//! connected, as if the TCP handshake had crossed the delayed link too.
//!
//! Round trips are counted from what each chunk waited for, not from clocks: a
//! connection opened when the answers of depth `d` (at most) had reached the client is
//! at depth `d + 1` (its TCP handshake); a chunk from the client is at depth `1 + max(its
//! connection's depth, the deepest answer delivered to the client so far)`; a chunk
//! from the server answers the deepest client chunk forwarded to it on that connection.
//! Relays made from one [`Link`] share the count, so a call that talks to two hosts is
//! counted across both. A call's round trips are the deepest client chunk's depth.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The most connections one relay accepts.
const MAX_CONNECTIONS: usize = 64;
/// The most chunks forwarded in one direction of one connection.
const MAX_CHUNKS: usize = 10_000;

/// One chunk as the relay read it.
#[derive(Clone, Debug)]
pub struct Chunk {
    /// The connection, numbered across the link in order of acceptance.
    pub conn: usize,
    /// The listening address the connection came to.
    pub relay: SocketAddr,
    pub from_client: bool,
    pub depth: u32,
    pub bytes: Vec<u8>,
}

#[derive(Default)]
struct Log {
    /// The deepest server chunk handed to the client so far.
    delivered: u32,
    /// Connections accepted since the last reset.
    connections: usize,
    /// The depth of each connection accepted since the last reset (older ones: 0).
    floors: std::collections::HashMap<usize, u32>,
    chunks: Vec<Chunk>,
}

/// The delayed link that several relays share.
#[derive(Clone)]
pub struct Link {
    one_way: Duration,
    log: Arc<Mutex<Log>>,
    numbered: Arc<std::sync::atomic::AtomicUsize>,
}

impl Link {
    pub fn new(one_way: Duration) -> Link {
        Link {
            one_way,
            log: Arc::default(),
            numbered: Arc::default(),
        }
    }

    /// Forgets what was seen (depths start again from 0, also on open connections).
    pub fn reset(&self) {
        *self.log.lock().unwrap() = Log::default();
    }

    /// Every chunk read so far, in the order read.
    pub fn chunks(&self) -> Vec<Chunk> {
        self.log.lock().unwrap().chunks.clone()
    }

    /// The deepest client chunk: the round trips the client has waited for.
    pub fn round_trips(&self) -> u32 {
        let log = self.log.lock().unwrap();
        log.chunks
            .iter()
            .filter(|c| c.from_client)
            .map(|c| c.depth)
            .max()
            .unwrap_or(0)
    }

    pub fn connections(&self) -> usize {
        self.log.lock().unwrap().connections
    }

    /// A relay listening on `ip` (a loopback address) forwarding to `upstream`.
    pub fn relay(&self, ip: &str, upstream: SocketAddr) -> SocketAddr {
        let listener = TcpListener::bind((ip, 0)).unwrap();
        let addr = listener.local_addr().unwrap();
        let link = self.clone();
        std::thread::spawn(move || {
            for client in listener.incoming().take(MAX_CONNECTIONS) {
                let Ok(client) = client else { continue };
                let link = link.clone();
                std::thread::spawn(move || link.carry(client, addr, upstream));
            }
        });
        addr
    }

    fn carry(&self, client: TcpStream, relay: SocketAddr, upstream: SocketAddr) {
        let accepted = Instant::now();
        let conn = self.numbered.fetch_add(1, Ordering::SeqCst);
        let conn_depth = {
            let mut log = self.log.lock().unwrap();
            log.connections += 1;
            let depth = log.delivered + 1;
            log.floors.insert(conn, depth);
            depth
        };
        let Ok(server) = TcpStream::connect(upstream) else {
            return;
        };
        let _ = client.set_nodelay(true);
        let _ = server.set_nodelay(true);
        // The last client chunk forwarded to the server on this connection.
        let forwarded = Arc::new(AtomicU32::new(conn_depth));
        let one_way = self.one_way;

        // Client to server: a chunk's depth is fixed when it is read.
        let (to_server, due_server) = mpsc::channel::<(Instant, u32, Vec<u8>)>();
        let link = self.clone();
        let mut from = client.try_clone().unwrap();
        std::thread::spawn(move || {
            let earliest = accepted + 3 * one_way;
            let mut buf = vec![0; 64 * 1024];
            for _ in 0..MAX_CHUNKS {
                let n = match from.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => n,
                };
                let depth = {
                    let mut log = link.log.lock().unwrap();
                    let floor = log.floors.get(&conn).copied().unwrap_or(0);
                    let depth = 1 + floor.max(log.delivered);
                    log.chunks.push(Chunk {
                        conn,
                        relay,
                        from_client: true,
                        depth,
                        bytes: buf[..n].to_vec(),
                    });
                    depth
                };
                let due = (Instant::now() + one_way).max(earliest);
                if to_server.send((due, depth, buf[..n].to_vec())).is_err() {
                    break;
                }
            }
        });
        let mut into = server.try_clone().unwrap();
        let seen = forwarded.clone();
        std::thread::spawn(move || {
            for (due, depth, bytes) in due_server.iter().take(MAX_CHUNKS) {
                std::thread::sleep(due.saturating_duration_since(Instant::now()));
                seen.store(depth, Ordering::SeqCst);
                if into.write_all(&bytes).is_err() {
                    break;
                }
            }
            let _ = into.shutdown(Shutdown::Write);
        });

        // Server to client: the client may act on a chunk as soon as it is written, so
        // its depth counts as delivered just before.
        let (to_client, due_client) = mpsc::channel::<(Instant, u32, Vec<u8>)>();
        let link = self.clone();
        let mut from = server;
        std::thread::spawn(move || {
            let mut buf = vec![0; 64 * 1024];
            for _ in 0..MAX_CHUNKS {
                let n = match from.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => n,
                };
                let depth = forwarded.load(Ordering::SeqCst);
                link.log.lock().unwrap().chunks.push(Chunk {
                    conn,
                    relay,
                    from_client: false,
                    depth,
                    bytes: buf[..n].to_vec(),
                });
                if to_client
                    .send((Instant::now() + one_way, depth, buf[..n].to_vec()))
                    .is_err()
                {
                    break;
                }
            }
        });
        let mut into = client;
        for (due, depth, bytes) in due_client.iter().take(MAX_CHUNKS) {
            std::thread::sleep(due.saturating_duration_since(Instant::now()));
            {
                let mut log = self.log.lock().unwrap();
                log.delivered = log.delivered.max(depth);
            }
            if into.write_all(&bytes).is_err() {
                break;
            }
        }
        let _ = into.shutdown(Shutdown::Write);
    }
}

/// The TLS records in `bytes` (which must hold whole records): (content type, length).
pub fn tls_records(bytes: &[u8]) -> Vec<(u8, usize)> {
    let mut records = Vec::new();
    let mut at = 0;
    while at + 5 <= bytes.len() && records.len() < MAX_CHUNKS {
        let len = usize::from(u16::from_be_bytes([bytes[at + 3], bytes[at + 4]]));
        records.push((bytes[at], len));
        at += 5 + len;
    }
    assert_eq!(
        at,
        bytes.len(),
        "a chunk that does not end on a record boundary"
    );
    records
}
