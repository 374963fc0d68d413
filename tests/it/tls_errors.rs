//! TLS failures read as sentences, not Debug dumps (issue 10 §5): servers on 127.0.0.1
//! with a self-signed, an expired and a wrong-name certificate (made by rcgen), one
//! that offers only TLS 1.1, one that refuses the version, and a plain HTTP one.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use crate::common::{MEETING, TOKEN};
use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, IsCa, KeyPair};
use zoomlive::{Action, Client, Credentials, Error, MeetingId, TransportKind};

/// A server that performs one TLS handshake (at most) with `cert`.
fn tls_server(cert: rustls::pki_types::CertificateDer<'static>, key: Vec<u8>) -> u16 {
    let key = rustls::pki_types::PrivateKeyDer::Pkcs8(key.into());
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(vec![cert], key)
    .unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        if let Ok((mut tcp, _)) = listener.accept() {
            let mut conn = rustls::ServerConnection::new(Arc::new(config)).unwrap();
            let _ = tcp.set_read_timeout(Some(Duration::from_secs(5)));
            while conn.is_handshaking() {
                if conn.complete_io(&mut tcp).is_err() {
                    break;
                }
            }
        }
    });
    port
}

/// A server that reads the ClientHello and answers `reply` bytes.
fn raw_server(reply: Vec<u8>) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        if let Ok((mut tcp, _)) = listener.accept() {
            let mut hello = [0u8; 512];
            let _ = tcp.read(&mut hello);
            let _ = tcp.write_all(&reply);
            std::thread::sleep(Duration::from_millis(200));
        }
    });
    port
}

/// A CA, and a certificate it issued for `names` (expired when `expired`).
fn issued(
    names: &[&str],
    expired: bool,
) -> (String, rustls::pki_types::CertificateDer<'static>, Vec<u8>) {
    let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca = CertifiedIssuer::self_signed(ca, KeyPair::generate().unwrap()).unwrap();
    let key = KeyPair::generate().unwrap();
    let mut params =
        CertificateParams::new(names.iter().map(|n| (*n).to_owned()).collect::<Vec<_>>()).unwrap();
    if expired {
        params.not_before = rcgen::date_time_ymd(2019, 1, 1);
        params.not_after = rcgen::date_time_ymd(2020, 1, 1);
    }
    let leaf = params.signed_by(&key, &ca).unwrap();
    (ca.pem(), leaf.der().clone(), key.serialize_der())
}

fn failure(port: u16, extra_ca: Option<&str>) -> String {
    let mut b = Client::builder(Credentials::access_token(TOKEN).unwrap())
        .base_url(format!("https://localhost:{port}/v2"))
        .timeout(Duration::from_secs(10));
    if let Some(pem) = extra_ca {
        b = b.extra_ca_pem(pem);
    }
    let err = b
        .build()
        .unwrap()
        .update_meeting_livestream_status(MeetingId::parse(MEETING).unwrap(), Action::Start, None)
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Transport {
                kind: TransportKind::Tls,
                ..
            }
        ),
        "{err:?}"
    );
    let shown = err.to_string();
    assert!(
        !shown.contains('{') && !shown.contains("Context") && !shown.contains("InvalidCertificate"),
        "a Debug dump: {shown}"
    );
    shown
}

fn assert_says(shown: &str, sentence: &str) {
    assert!(
        shown.contains(sentence),
        "{shown:?} does not say {sentence:?}"
    );
}

#[test]
fn a_self_signed_certificate_is_not_trusted() {
    let cert = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).unwrap();
    let port = tls_server(cert.cert.der().clone(), cert.signing_key.serialize_der());
    assert_says(
        &failure(port, None),
        "certificate is not trusted: self-signed",
    );
}

#[test]
fn an_expired_certificate_says_so() {
    let (ca, cert, key) = issued(&["localhost"], true);
    let port = tls_server(cert, key);
    assert_says(&failure(port, Some(&ca)), "certificate expired");
}

#[test]
fn a_certificate_for_another_name_says_so() {
    let (ca, cert, key) = issued(&["api.example.org"], false);
    let port = tls_server(cert, key);
    assert_says(
        &failure(port, Some(&ca)),
        "certificate is for another host name",
    );
}

#[test]
fn a_server_with_only_tls_1_1_says_so() {
    // A ServerHello choosing TLS 1.1 (0x0302), as an old server answers.
    let mut hello = vec![0x03, 0x02];
    hello.extend([0x42; 32]); // random
    hello.push(0); // no session id
    hello.extend([0xc0, 0x13]); // ECDHE-RSA-AES128-SHA
    hello.push(0); // null compression
    let mut handshake = vec![0x02, 0, 0, u8::try_from(hello.len()).unwrap()];
    handshake.extend(hello);
    let mut record = vec![0x16, 0x03, 0x02, 0, u8::try_from(handshake.len()).unwrap()];
    record.extend(handshake);
    assert_says(
        &failure(raw_server(record), None),
        "server offers only TLS 1.0/1.1",
    );
    // Or refuses the versions offered with a protocol_version alert.
    let alert = vec![0x15, 0x03, 0x01, 0x00, 0x02, 0x02, 0x46];
    assert_says(
        &failure(raw_server(alert), None),
        "server offers only TLS 1.0/1.1",
    );
}

#[test]
fn a_plain_http_server_on_an_https_url_says_so() {
    let reply = b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".to_vec();
    assert_says(&failure(raw_server(reply), None), "did not answer in TLS");
}
