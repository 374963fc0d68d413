//! HTTP(S) proxies come from the usual environment variables. In a process of its own
//! (`alone`): the environment is process-wide.

use crate::common::*;
use zoomlive::{Action, Client, Credentials, MeetingId};

#[test]
fn requests_go_through_the_proxy_named_by_the_environment() {
    if !alone(
        module_path!(),
        "requests_go_through_the_proxy_named_by_the_environment",
    ) {
        return;
    }
    let proxy = emulator();
    // SAFETY: this test runs alone in its process, so no other thread reads the
    // environment.
    unsafe {
        std::env::set_var("HTTP_PROXY", proxy.url());
        std::env::set_var("http_proxy", proxy.url());
        std::env::remove_var("NO_PROXY");
        std::env::remove_var("no_proxy");
    }
    // A host that does not exist: only the proxy can answer for it.
    let c = Client::builder(Credentials::access_token(TOKEN).unwrap())
        .base_url("http://zoom-api.invalid/v2")
        .allow_insecure_http(true)
        .build()
        .unwrap();
    c.update_meeting_livestream_status(MeetingId::parse(MEETING).unwrap(), Action::Stop, None)
        .unwrap();
    let reqs = proxy.requests();
    assert_eq!(reqs.len(), 2, "{reqs:?}");
    assert_eq!(
        (reqs[0].method.as_str(), reqs[0].path.as_str()),
        ("CONNECT", "zoom-api.invalid:80")
    );
    assert_eq!(reqs[1].path, "/v2/meetings/68423085/livestream/status");
    assert_eq!(reqs[1].fields["action"], "stop");
}
