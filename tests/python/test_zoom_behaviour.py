"""Issue 11 through the Python face: encoding "auto" (the default), errors classified by
Zoom's codes (scopes, 124, webinar 3001/1001 on 400), rate limits read fully, webinar
settings refused before sending, and the JSON bodies zoomlive sends validated against
Zoom's published request schemas (tests/schemas/)."""

from __future__ import annotations

import email.parser
import email.policy
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Dict, Iterator, List, Tuple

import jsonschema
import pytest

import zoomlive
from conftest import MEETING, ROOT, TOKEN, WEBINAR, Emulator, make_client

# Every test runs against the sync client and, through conftest.AsyncAsSync, against
# zoomlive.AsyncClient.
pytestmark = pytest.mark.usefixtures("face")

SCHEMAS = ROOT / "tests" / "schemas"
M, W = str(MEETING), str(WEBINAR)


# ---- §1: encoding auto ---------------------------------------------------------------


def test_auto_is_the_default() -> None:
    with zoomlive.Client(TOKEN) as c:
        assert c.encoding == "auto"
    with zoomlive.Client(TOKEN, encoding="AUTO") as c:
        assert c.encoding == "auto"
    with pytest.raises(zoomlive.InvalidInputError) as e:
        zoomlive.Client(TOKEN, encoding="xml")
    assert e.value.field == "encoding" and "auto" in e.value.reason


def test_auto_falls_back_to_json_once_against_a_json_only_zoom(
    make_emulator: Callable[..., Emulator],
) -> None:
    emu = make_emulator("--json-only")
    with zoomlive.Client(TOKEN, base_url=emu.base_url) as c:
        c.update_meeting_livestream_status(M, "start", display_name="Quarterly review")
        c.update_meeting_livestream_status(M, "stop")
    encodings = [r["encoding"] for r in emu.api_requests()]
    assert encodings == ["multipart", "json", "json"], encodings
    with zoomlive.Client(TOKEN, base_url=emu.base_url, encoding="multipart") as c:
        with pytest.raises(zoomlive.ApiError) as e:
            c.update_meeting_livestream_status(M, "start")
    assert type(e.value) is zoomlive.ApiError
    assert (e.value.status, e.value.code) == (415, 300)
    assert e.value.message == "Unsupported Content Type"


# ---- §2: errors classified by Zoom's code --------------------------------------------


def test_scope_errors_are_auth_errors_listing_the_missing_scopes(emu: Emulator) -> None:
    emu.fault(scopes=["meeting:write:admin", "meeting:write"])
    with make_client(emu, encoding="auto") as c, pytest.raises(zoomlive.AuthError) as e:
        c.update_meeting_livestream_status(M, "start")
    assert e.value.code == 4700 and e.value.kind == "auth"
    assert e.value.missing_scopes == ["meeting:write:admin", "meeting:write"]
    assert "add these scopes to the Zoom app: meeting:write:admin, meeting:write" in str(e.value)
    emu.fault(scopes=["webinar:write:admin"], code=4711)
    with make_client(emu) as c, pytest.raises(zoomlive.AuthError) as e:
        c.update_webinar_livestream_status(W, "start")
    assert e.value.missing_scopes == ["webinar:write:admin"]
    assert len(emu.api_requests()) == 2


def test_code_124_on_a_400_is_auth_and_oauth_refetches_once(s2s_emu: Emulator) -> None:
    emu = s2s_emu
    emu.fault(status=400, code=124, message="Invalid access token.")
    with make_client(emu) as c, pytest.raises(zoomlive.AuthError) as e:
        c.update_meeting_livestream_status(M, "stop")
    assert (e.value.status, e.value.code, e.value.missing_scopes) == (400, 124, [])
    emu.reset()
    emu.fault(path="/livestream", status=400, code=124, message="Invalid access token.")
    with make_client(emu, auth="s2s") as c:
        c.update_meeting_livestream_status(M, "stop")
    assert len(emu.api_requests()) == 2
    assert len(emu.token_requests()) == 2


def test_webinar_3001_and_1001_on_400_are_not_found(emu: Emulator) -> None:
    with make_client(emu) as c:
        with pytest.raises(zoomlive.NotFoundError) as e:
            c.update_webinar_livestream_status("99999999999", "start")
        assert (e.value.status, e.value.code) == (400, 3001)
        emu.fault(missing_user="abc")
        with pytest.raises(zoomlive.NotFoundError) as e:
            c.update_webinar_livestream_status(W, "start")
        assert (e.value.status, e.value.code) == (400, 1001)
        assert e.value.message == "User does not exist: abc."


@pytest.mark.parametrize(
    "code, message",
    [
        (200, "Custom live streaming is not enabled for this webinar."),
        (3000, "Cannot update live stream settings while the meeting is live."),
        (3161, "Meeting hosting and scheduling capabilities are not allowed for your user account."),
    ],
)
def test_codes_200_3000_3161_stay_api_errors(emu: Emulator, code: int, message: str) -> None:
    emu.fault(status=400, code=code, message=message)
    with make_client(emu) as c, pytest.raises(zoomlive.ApiError) as e:
        c.update_webinar_livestream_status(W, "start")
    assert type(e.value) is zoomlive.ApiError
    assert (e.value.code, e.value.message) == (code, message)


# ---- §3: rate limits -----------------------------------------------------------------


@pytest.mark.parametrize(
    "message",
    [
        "You can only start the live stream once, please retry after 30 seconds.",
        "Too many requests. Retry making a new request after 30 seconds.",
    ],
)
def test_a_wait_stated_in_the_message_is_not_retried_inside(emu: Emulator, message: str) -> None:
    emu.fault(status=429, code=429, message=message)
    started = time.monotonic()
    with make_client(emu) as c, pytest.raises(zoomlive.RateLimitError) as e:
        c.update_meeting_livestream_status(M, "start")
    assert time.monotonic() - started < 0.9
    assert e.value.retry_after == 30.0
    assert e.value.rate_limit_type is None and e.value.rate_limit_limit is None
    assert len(emu.api_requests()) == 1


def test_iso_retry_after_and_every_rate_limit_header(emu: Emulator) -> None:
    emu.fault(
        status=429, code=429, message="Too many requests.", retry_after="iso:+30",
        headers={"X-RateLimit-Type": "QPS", "X-RateLimit-Category": "Medium",
                 "X-RateLimit-Limit": "30", "X-RateLimit-Remaining": "0"},
    )
    with make_client(emu) as c, pytest.raises(zoomlive.RateLimitError) as e:
        c.update_meeting_livestream_status(M, "start")
    err = e.value
    assert err.retry_after is not None and 27 < err.retry_after <= 30
    assert (err.rate_limit_type, err.rate_limit_category) == ("QPS", "Medium")
    assert (err.rate_limit_limit, err.rate_limit_remaining) == (30, 0)
    assert len(emu.api_requests()) == 1


def test_daily_limits_are_never_retried_and_say_when_they_reset(emu: Emulator) -> None:
    emu.fault(daily_limit=True)
    with make_client(emu) as c, pytest.raises(zoomlive.RateLimitError) as e:
        c.update_meeting_livestream_status(M, "start")
    err = e.value
    assert err.rate_limit_type == "Daily-limit" and err.rate_limit_remaining == 0
    assert err.retry_after is not None and 0 <= err.retry_after <= 86400
    assert "daily limit; it resets in" in str(err)
    assert len(emu.api_requests()) == 1


# ---- §4: webinar settings ------------------------------------------------------------


@pytest.mark.parametrize("key", ["layout", "close_caption"])
def test_webinar_meeting_only_settings_are_refused_before_sending(emu: Emulator, key: str) -> None:
    with make_client(emu) as c:
        with pytest.raises(zoomlive.InvalidInputError) as e:
            c.update_webinar_livestream_status(W, "start", settings={key: "anything"})
        assert e.value.field == f"settings.{key}"
        assert "meetings only" in str(e.value)
        assert emu.api_requests() == []
        c.update_meeting_livestream_status(M, "start", **{key: "anything"})
    assert len(emu.api_requests()) == 1


# ---- request bodies against Zoom's published schemas ---------------------------------


Captured = Tuple[str, str, bytes]  # path, content type, body


@pytest.fixture
def capture() -> Iterator[Tuple[str, List[Captured]]]:
    """A server on 127.0.0.1 that records every request's raw body and answers 204."""
    seen: List[Captured] = []

    class Handler(BaseHTTPRequestHandler):
        def do_PATCH(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            seen.append((self.path, self.headers.get("Content-Type", ""), self.rfile.read(length)))
            self.send_response(204)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v2", seen
    finally:
        server.shutdown()
        server.server_close()


def decoded(content_type: str, body: bytes) -> Dict[str, Any]:
    """The body as the object Zoom reads: JSON as is; multipart parts as fields, with
    the `settings` part's JSON text decoded."""
    if content_type == "application/json":
        value: Dict[str, Any] = json.loads(body)
        return value
    assert content_type.startswith("multipart/form-data; boundary="), content_type
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body
    )
    fields: Dict[str, Any] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        text = part.get_payload(decode=True).decode()
        fields[str(name)] = json.loads(text) if name == "settings" else text
    return fields


def validator(name: str) -> jsonschema.protocols.Validator:
    schema = json.loads((SCHEMAS / name).read_text())
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def test_the_schemas_refuse_what_zoom_refuses() -> None:
    status, stream = validator("livestream_status_update.json"), validator("livestream_update.json")
    assert status.is_valid({"action": "start", "settings": {"active_speaker_name": False,
                                                            "display_name": "x" * 50}})
    for bad in [
        {"action": "pause"},
        {"action": "start", "settings": {"display_name": ""}},
        {"action": "start", "settings": {"display_name": "x" * 51}},
        {"action": "start", "settings": {"active_speaker_name": "false"}},
        {"action": "start", "settings": {"layout": 1}},
    ]:
        assert not status.is_valid(bad), bad
    good = {"stream_url": "rtmp://a/b", "stream_key": "k", "page_url": "https://e.example/p"}
    assert stream.is_valid(good)
    for bad in [
        {**good, "stream_url": "r" * 1025},
        {**good, "stream_key": "k" * 513},
        {**good, "page_url": "https://e.example/" + "p" * 1024},
        {**good, "resolution": "4k"},
        {k: v for k, v in good.items() if k != "stream_key"},
    ]:
        assert not stream.is_valid(bad), bad


@pytest.mark.parametrize("encoding", ["json", "multipart", "auto"])
def test_sent_bodies_validate_against_zoom_schemas(
    capture: Tuple[str, List[Captured]], encoding: str
) -> None:
    base_url, seen = capture
    status, stream = validator("livestream_status_update.json"), validator("livestream_update.json")
    longest = "é" * 50  # 50 characters, 100 bytes
    with zoomlive.Client(TOKEN, base_url=base_url, encoding=encoding) as c:
        c.update_meeting_livestream_status(M, "start")
        c.update_meeting_livestream_status(M, "STOP", active_speaker_name=True, display_name=longest,
                                           layout="gallery_view", close_caption="burnt-in")
        c.update_webinar_livestream_status(W, "start", settings={"active_speaker_name": False,
                                                                 "display_name": "Webinar"})
        c.update_meeting_livestream(M, stream_url="rtmp://live.example.com/app",
                                    stream_key="k" * 512, page_url="https://example.com/live")
        c.update_webinar_livestream(W, stream_url="rtmps://live.example.com:443/app/" + "u" * 900,
                                    stream_key="key", page_url="https://example.com/" + "p" * 1000,
                                    resolution="1080p")
    assert len(seen) == 5
    bodies = [decoded(ct, body) for _, ct, body in seen]
    for (path, content_type, _), body in zip(seen, bodies):
        if encoding == "json":
            assert content_type == "application/json"
        else:
            assert content_type.startswith("multipart/form-data")
        schema = status if path.endswith("/status") else stream
        errors = [e.message for e in schema.iter_errors(body)]
        assert errors == [], (path, body, errors)
    assert bodies[1]["action"] == "stop"
    assert bodies[1]["settings"]["display_name"] == longest
    assert set(bodies[2]["settings"]) == {"active_speaker_name", "display_name"}
    assert bodies[4]["resolution"] == "1080p"
