//! The TLS side shared by a process (issue 12 §3, §5): the OS trust store is read once
//! however many clients are built and whatever the C setters rebuild; a client that
//! reconnects to a host the process already talked to resumes the TLS session.

use std::ffi::CString;
use std::time::Duration;

use crate::common::{MEETING, TOKEN, alone};
use crate::tls_rig::{Server, pki};
use zoomlive::{Action, Client, Credentials, MeetingId};

fn start(c: &Client) -> zoomlive::Result<()> {
    c.update_meeting_livestream_status(MeetingId::parse(MEETING).unwrap(), Action::Start, None)
}

fn tls_client(server: &Server) -> Client {
    Client::builder(Credentials::access_token(TOKEN).unwrap())
        .base_url(server.base_url())
        .extra_ca_pem(server.ca_pem.clone())
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap()
}

#[test]
fn the_os_trust_store_is_read_once_per_process() {
    let server = Server::start(&pki(), "127.0.0.1");
    // Clients without and with an extra CA, each making a TLS call.
    for _ in 0..5 {
        let plain = Client::builder(Credentials::access_token(TOKEN).unwrap())
            .base_url(server.base_url())
            .build()
            .unwrap();
        assert!(
            start(&plain).is_err(),
            "the rig's CA is not in the OS store"
        );
        start(&tls_client(&server)).unwrap();
    }
    // A C handle whose every setter rebuilds the client, after the extra CA is set.
    let file = std::env::temp_dir().join(format!("zoomlive-tls-ca-{}.pem", server.port));
    std::fs::write(&file, &server.ca_pem).unwrap();
    let (token, url, path) = (
        CString::new(TOKEN).unwrap(),
        CString::new(server.base_url()).unwrap(),
        CString::new(file.to_str().unwrap()).unwrap(),
    );
    let (id, action) = (
        CString::new(MEETING).unwrap(),
        CString::new("start").unwrap(),
    );
    use zoomlive::capi::*;
    unsafe {
        let mut c = std::ptr::null_mut();
        assert_eq!(
            zoomlive_client_new(token.as_ptr(), &mut c),
            ZOOMLIVE_STATUS_OK
        );
        assert_eq!(
            zoomlive_client_set_extra_ca_file(c, path.as_ptr()),
            ZOOMLIVE_STATUS_OK
        );
        assert_eq!(
            zoomlive_client_set_base_url(c, url.as_ptr()),
            ZOOMLIVE_STATUS_OK
        );
        for ms in [5000, 6000, 7000] {
            assert_eq!(zoomlive_client_set_timeout_ms(c, ms), ZOOMLIVE_STATUS_OK);
            assert_eq!(
                zoomlive_client_set_connect_timeout_ms(c, ms),
                ZOOMLIVE_STATUS_OK
            );
            assert_eq!(zoomlive_client_set_max_retries(c, 1), ZOOMLIVE_STATUS_OK);
            let status = zoomlive_meeting_livestream_status(
                c,
                id.as_ptr(),
                action.as_ptr(),
                std::ptr::null(),
            );
            assert_eq!(status, ZOOMLIVE_STATUS_OK);
        }
        zoomlive_client_free(c);
    }
    let _ = std::fs::remove_file(file);
    assert_eq!(zoomlive::os_trust_store_loads(), 1);
    assert_eq!(server.api_calls(), 5 + 3);
}

#[test]
fn a_new_client_resumes_the_tls_session_of_an_earlier_one() {
    // Alone in a process: the sessions the process keeps are per host name, and another
    // test's server on 127.0.0.2 (round_trips) would leave its own in between.
    if !alone(
        module_path!(),
        "a_new_client_resumes_the_tls_session_of_an_earlier_one",
    ) {
        return;
    }
    let server = Server::start(&pki(), "127.0.0.2");
    for _ in 0..3 {
        start(&tls_client(&server)).unwrap();
    }
    // The first connection was a full handshake; every later one (a new client, and a
    // new connection) resumed.
    assert_eq!(server.resumed(), vec![false, true, true]);
}
