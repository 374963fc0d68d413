//! A loopback HTTPS rig for the TLS tests: a CA made by rcgen, a keep-alive server with
//! a certificate for localhost and 127.0.0.1/127.0.0.2 that reports each connection's
//! handshake (full or resumed), answers the OAuth token endpoint and the API, and
//! counts what it served.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair};

/// The most connections one rig accepts (every loop is bounded).
const MAX_CONNECTIONS: usize = 2000;
/// The most requests served on one connection.
const MAX_REQUESTS: usize = 1000;

/// A CA and a server certificate it issued.
pub struct Pki {
    pub ca_pem: String,
    pub cert: rustls::pki_types::CertificateDer<'static>,
    pub key_der: Vec<u8>,
}

pub fn pki() -> Pki {
    let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.distinguished_name
        .push(DnType::CommonName, "zoomlive test CA");
    let ca = CertifiedIssuer::self_signed(ca, KeyPair::generate().unwrap()).unwrap();
    let key = KeyPair::generate().unwrap();
    let leaf = CertificateParams::new(vec![
        "localhost".to_owned(),
        "127.0.0.1".to_owned(),
        "127.0.0.2".to_owned(),
    ])
    .unwrap()
    .signed_by(&key, &ca)
    .unwrap();
    Pki {
        ca_pem: ca.pem(),
        cert: leaf.der().clone(),
        key_der: key.serialize_der(),
    }
}

/// What the server saw.
#[derive(Default)]
pub struct Seen {
    /// Per accepted connection, in order: whether its handshake resumed a session.
    pub resumed: Mutex<Vec<bool>>,
    pub token_fetches: AtomicUsize,
    pub api_calls: AtomicUsize,
    /// API calls still to refuse with 401 (a token the server no longer accepts).
    pub refuse_next: AtomicUsize,
    /// The bearer tokens the API calls carried.
    pub bearers: Mutex<Vec<String>>,
}

pub struct Server {
    pub ca_pem: String,
    pub port: u16,
    pub ip: String,
    pub seen: Arc<Seen>,
}

impl Server {
    pub fn start(pki: &Pki, ip: &str) -> Server {
        let key = rustls::pki_types::PrivateKeyDer::Pkcs8(pki.key_der.clone().into());
        let config = rustls::ServerConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(vec![pki.cert.clone()], key)
        .unwrap();
        let config = Arc::new(config);
        let listener = TcpListener::bind((ip, 0)).unwrap();
        let port = listener.local_addr().unwrap().port();
        let seen = Arc::new(Seen::default());
        let shared = seen.clone();
        std::thread::spawn(move || {
            for tcp in listener.incoming().take(MAX_CONNECTIONS) {
                let Ok(tcp) = tcp else { continue };
                let _ = tcp.set_nodelay(true);
                let (config, seen) = (config.clone(), shared.clone());
                std::thread::spawn(move || serve(config, tcp, &seen));
            }
        });
        Server {
            ca_pem: pki.ca_pem.clone(),
            port,
            ip: ip.to_owned(),
            seen,
        }
    }

    pub fn base_url(&self) -> String {
        format!("https://{}:{}/v2", self.ip, self.port)
    }

    pub fn oauth_url(&self) -> String {
        format!("https://{}:{}/oauth/token", self.ip, self.port)
    }

    pub fn resumed(&self) -> Vec<bool> {
        self.seen.resumed.lock().unwrap().clone()
    }

    pub fn token_fetches(&self) -> usize {
        self.seen.token_fetches.load(Ordering::SeqCst)
    }

    pub fn api_calls(&self) -> usize {
        self.seen.api_calls.load(Ordering::SeqCst)
    }
}

fn serve(config: Arc<rustls::ServerConfig>, tcp: std::net::TcpStream, seen: &Seen) {
    let mut conn = rustls::ServerConnection::new(config).unwrap();
    let mut tcp = tcp;
    if conn.complete_io(&mut tcp).is_err() {
        return;
    }
    // The handshake's last step (the client's Finished) may come with the first request.
    let mut tls = BufReader::new(rustls::StreamOwned::new(conn, tcp));
    let mut recorded = false;
    for _ in 0..MAX_REQUESTS {
        let mut head = Vec::new();
        let mut length = 0;
        loop {
            let mut line = String::new();
            if tls.read_line(&mut line).unwrap_or(0) == 0 {
                return;
            }
            if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                length = v.trim().parse().unwrap();
            }
            if line == "\r\n" {
                break;
            }
            head.push(line);
        }
        if !recorded {
            let kind = tls.get_ref().conn.handshake_kind();
            seen.resumed
                .lock()
                .unwrap()
                .push(kind == Some(rustls::HandshakeKind::Resumed));
            recorded = true;
        }
        let mut body = vec![0; length];
        if tls.read_exact(&mut body).is_err() {
            return;
        }
        let answer = if head[0].contains("/oauth/token") {
            let n = seen.token_fetches.fetch_add(1, Ordering::SeqCst) + 1;
            let json = format!(
                "{{\"access_token\":\"rig-token-{n}\",\"token_type\":\"bearer\",\"expires_in\":3600}}"
            );
            format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{json}",
                json.len()
            )
        } else {
            seen.api_calls.fetch_add(1, Ordering::SeqCst);
            let bearer = head
                .iter()
                .find_map(|l| l.strip_prefix("Authorization: Bearer "))
                .unwrap_or("")
                .trim()
                .to_owned();
            seen.bearers.lock().unwrap().push(bearer);
            let refuse = seen
                .refuse_next
                .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
                .is_ok();
            if refuse {
                let json = r#"{"code":124,"message":"Invalid access token."}"#;
                format!(
                    "HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{json}",
                    json.len()
                )
            } else {
                "HTTP/1.1 204 No Content\r\n\r\n".to_owned()
            }
        };
        let stream = tls.get_mut();
        if stream.write_all(answer.as_bytes()).is_err() || stream.flush().is_err() {
            return;
        }
    }
}
