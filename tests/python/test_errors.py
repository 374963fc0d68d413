"""Every exception type: its bases, its attributes, its one-line message, and that no
message ever shows a token, secret or stream key."""

from __future__ import annotations

import builtins
import pickle
import socket
from typing import Callable

import pytest

import zoomlive
from conftest import (
    ACCOUNT,
    CLIENT_ID,
    MEETING,
    SECRET,
    TOKEN,
    Emulator,
    make_client,
)

# Every test runs against the sync client and, through conftest.AsyncAsSync, against
# zoomlive.AsyncClient.
pytestmark = pytest.mark.usefixtures("face")


@pytest.mark.parametrize(
    "cls, bases",
    [
        (zoomlive.ZoomLiveError, [Exception]),
        (zoomlive.InvalidInputError, [zoomlive.ZoomLiveError, ValueError]),
        (zoomlive.TransportError, [zoomlive.ZoomLiveError, ConnectionError]),
        (
            zoomlive.TimeoutError,
            [zoomlive.ZoomLiveError, zoomlive.TransportError, builtins.TimeoutError],
        ),
        (zoomlive.ApiError, [zoomlive.ZoomLiveError]),
        (zoomlive.AuthError, [zoomlive.ApiError]),
        (zoomlive.NotFoundError, [zoomlive.ApiError]),
        (zoomlive.RateLimitError, [zoomlive.ApiError]),
    ],
)
def test_hierarchy(cls: type, bases: list) -> None:
    for base in bases:
        assert issubclass(cls, base), f"{cls.__name__} should subclass {base.__name__}"
    assert cls.__module__ == "zoomlive._errors"
    assert cls.__doc__


def test_http_errors_are_not_value_or_connection_errors() -> None:
    for cls in (zoomlive.ApiError, zoomlive.AuthError, zoomlive.NotFoundError):
        assert not issubclass(cls, (ValueError, ConnectionError))
    assert not issubclass(zoomlive.InvalidInputError, ConnectionError)
    assert zoomlive.TimeoutError is not builtins.TimeoutError


def one_line(err: BaseException) -> str:
    text = str(err)
    assert text and "\n" not in text and "\r" not in text, repr(text)
    return text


# --- InvalidInputError: refused before anything is sent -------------------------------


@pytest.mark.parametrize(
    "call, field, words",
    [
        (lambda c: c.update_meeting_livestream_status("12a", "start"), "meeting_id", "decimal"),
        (lambda c: c.update_meeting_livestream_status("", "start"), "meeting_id", "empty"),
        (lambda c: c.update_meeting_livestream_status(0, "start"), "meeting_id", "greater than zero"),
        (lambda c: c.update_meeting_livestream_status(-5, "start"), "meeting_id", "decimal"),
        (lambda c: c.update_meeting_livestream_status(2**64, "start"), "meeting_id", "64 bits"),
        (lambda c: c.update_meeting_livestream_status("123/../users", "start"), "meeting_id", "decimal"),
        (lambda c: c.get_webinar_livestream("9 1"), "webinar_id", "decimal"),
        (lambda c: c.update_meeting_livestream_status(MEETING, "pause"), "action", "start"),
        (
            lambda c: c.update_meeting_livestream_status(
                MEETING, 'start{"active_speaker_name":false}'
            ),
            "action",
            "glued",
        ),
        (
            lambda c: c.update_meeting_livestream_status(MEETING, "start", display_name="x" * 51),
            "settings.display_name",
            "51 characters",
        ),
        (
            lambda c: c.update_meeting_livestream_status(
                MEETING, "start", settings='start{"display_name":"x"}'
            ),
            "settings",
            "glued",
        ),
        (
            lambda c: c.update_meeting_livestream_status(MEETING, "start", settings="[1]"),
            "settings",
            "JSON object",
        ),
        (
            lambda c: c.update_meeting_livestream_status(
                MEETING, "start", settings={"active_speaker_name": "no"}
            ),
            "settings.active_speaker_name",
            "true or false",
        ),
        (
            lambda c: c.update_webinar_livestream_status(MEETING, "start", display_name="a\r\nb"),
            "settings.display_name",
            "control character",
        ),
        (
            lambda c: c.update_meeting_livestream(
                MEETING, stream_url="rtmp://x", stream_key="k", page_url="auteofficiahttps://x"
            ),
            "page_url",
            "http",
        ),
        (
            lambda c: c.update_meeting_livestream(
                MEETING, stream_url="", stream_key="k", page_url="https://x"
            ),
            "stream_url",
            "required",
        ),
        (
            lambda c: c.update_webinar_livestream(
                MEETING, stream_url="rtmp://x", stream_key="k" * 513, page_url="https://x"
            ),
            "stream_key",
            "512",
        ),
        (
            lambda c: c.update_meeting_livestream(
                MEETING, stream_url="rtmp://x", stream_key="k", page_url="https://x", resolution="4k"
            ),
            "resolution",
            "1080p",
        ),
    ],
)
def test_invalid_input_is_refused_before_sending(
    emu: Emulator,
    token_client: zoomlive.Client,
    call: Callable[[zoomlive.Client], object],
    field: str,
    words: str,
) -> None:
    with pytest.raises(zoomlive.InvalidInputError) as caught:
        call(token_client)
    err = caught.value
    assert isinstance(err, ValueError)
    assert err.field == field
    assert err.kind == "invalid_input"
    assert words in one_line(err)
    assert one_line(err).startswith(f"invalid {field}: ")
    assert err.reason and err.reason in str(err)
    assert emu.api_requests() == []


@pytest.mark.parametrize(
    "make, field",
    [
        (lambda: zoomlive.Client(""), "access_token"),
        (lambda: zoomlive.Client("has space" + TOKEN), "access_token"),
        (lambda: zoomlive.Client(TOKEN, encoding="xml"), "encoding"),
        (lambda: zoomlive.Client(TOKEN, base_url="http://10.0.0.1/v2"), "base_url"),
        (lambda: zoomlive.Client(TOKEN, base_url="ftp://example.com"), "base_url"),
        (lambda: zoomlive.Client(TOKEN, base_url="https://user:pw@api.zoom.us/v2"), "base_url"),
        (lambda: zoomlive.Client(TOKEN, timeout=0), "timeout"),
        (lambda: zoomlive.Client(TOKEN, timeout=-1.5), "timeout"),
        (lambda: zoomlive.Client(TOKEN, timeout=float("inf")), "timeout"),
        (lambda: zoomlive.Client(TOKEN, connect_timeout=float("nan")), "connect_timeout"),
        (lambda: zoomlive.Client(TOKEN, max_retries=-1), "max_retries"),
        (lambda: zoomlive.Client(TOKEN, max_retries=2**32), "max_retries"),
        (lambda: zoomlive.Client.server_to_server("", CLIENT_ID, SECRET), "account_id"),
        (lambda: zoomlive.Client.server_to_server(ACCOUNT, "a:b", SECRET), "client_id"),
        (lambda: zoomlive.Client.server_to_server(ACCOUNT, CLIENT_ID, ""), "client_secret"),
        (
            lambda: zoomlive.Client.server_to_server(
                ACCOUNT, CLIENT_ID, SECRET, oauth_url="http://oauth.example/token"
            ),
            "oauth_url",
        ),
    ],
)
def test_invalid_client_configuration(make: Callable[[], object], field: str) -> None:
    with pytest.raises(zoomlive.InvalidInputError) as caught:
        make()
    assert caught.value.field == field
    text = one_line(caught.value)
    assert TOKEN not in text and SECRET not in text


def test_insecure_http_only_when_allowed() -> None:
    client = zoomlive.Client(TOKEN, base_url="http://10.0.0.1/v2", allow_insecure_http=True)
    assert client.base_url == "http://10.0.0.1/v2"


# --- TransportError and TimeoutError ----------------------------------------------------


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_refused_connection_is_a_transport_error() -> None:
    client = zoomlive.Client(TOKEN, base_url=f"http://127.0.0.1:{closed_port()}/v2")
    with pytest.raises(zoomlive.TransportError) as caught:
        client.update_meeting_livestream_status(MEETING, "start")
    err = caught.value
    assert isinstance(err, ConnectionError) and isinstance(err, zoomlive.ZoomLiveError)
    assert not isinstance(err, builtins.TimeoutError)
    assert err.kind == "transport"
    assert "transport error" in one_line(err)
    assert TOKEN not in str(err)


def test_dropped_connection_is_a_transport_error(
    emu: Emulator, token_client: zoomlive.Client
) -> None:
    emu.fault(drop=True)
    with pytest.raises(zoomlive.TransportError) as caught:
        token_client.get_meeting_livestream(MEETING)
    assert type(caught.value) is zoomlive.TransportError
    one_line(caught.value)


def test_oauth_endpoint_unreachable_is_a_transport_error(emu: Emulator) -> None:
    client = zoomlive.Client.server_to_server(
        ACCOUNT, CLIENT_ID, SECRET,
        base_url=emu.base_url, oauth_url=f"http://127.0.0.1:{closed_port()}/oauth/token",
    )
    with pytest.raises(zoomlive.TransportError):
        client.update_meeting_livestream_status(MEETING, "start")
    assert emu.api_requests() == []


def test_slow_answer_is_a_timeout(emu: Emulator) -> None:
    emu.fault(delay_ms=3000)
    with make_client(emu, timeout=0.3) as client:
        with pytest.raises(zoomlive.TimeoutError) as caught:
            client.update_meeting_livestream_status(MEETING, "start")
    err = caught.value
    assert isinstance(err, builtins.TimeoutError)
    assert isinstance(err, zoomlive.TransportError)
    assert isinstance(err, ConnectionError)
    assert isinstance(err, zoomlive.ZoomLiveError)
    assert err.kind == "timeout"
    assert "timed out" in one_line(err)

    # The builtin catches it too, as a caller of socket code would write it.
    emu.fault(delay_ms=3000)
    with make_client(emu, timeout=0.3) as client:
        try:
            client.get_meeting_livestream(MEETING)
        except builtins.TimeoutError:
            pass
        else:
            pytest.fail("no TimeoutError")


# --- ApiError and its subclasses ------------------------------------------------------------


def test_wrong_token_is_an_auth_error(emu: Emulator) -> None:
    wrong = "eyJ.wrong-token-that-must-not-leak"
    client = zoomlive.Client(wrong, base_url=emu.base_url)
    with pytest.raises(zoomlive.AuthError) as caught:
        client.update_meeting_livestream_status(MEETING, "start")
    err = caught.value
    assert isinstance(err, zoomlive.ApiError)
    assert err.kind == "auth"
    assert err.status == 401
    assert err.code == 124
    assert err.message == "Invalid access token."
    assert err.errors == ()
    assert err.tracking_id is not None and err.tracking_id.startswith("v=2.0;clid=emu")
    assert err.retry_after is None
    text = one_line(err)
    assert text.startswith("authentication failed: HTTP 401, Zoom code 124")
    assert err.tracking_id in text
    assert wrong not in text and wrong not in repr(err)


def test_wrong_client_secret_is_an_auth_error(emu: Emulator) -> None:
    wrong_secret = "not-the-demo-secret-at-all"
    client = zoomlive.Client.server_to_server(
        ACCOUNT, CLIENT_ID, wrong_secret, base_url=emu.base_url, oauth_url=emu.oauth_url
    )
    with pytest.raises(zoomlive.AuthError) as caught:
        client.update_meeting_livestream_status(MEETING, "start")
    err = caught.value
    assert err.status == 400
    assert err.oauth_error == "invalid_client"
    assert err.message == "Invalid client_id or client_secret"
    assert "invalid_client" in one_line(err)
    assert wrong_secret not in str(err) and wrong_secret not in repr(err.args)
    assert emu.api_requests() == []


def test_unknown_meeting_is_not_found(emu: Emulator, client: zoomlive.Client) -> None:
    with pytest.raises(zoomlive.NotFoundError) as caught:
        client.update_meeting_livestream_status(1, "start")
    err = caught.value
    assert isinstance(err, zoomlive.ApiError)
    assert err.kind == "not_found"
    assert (err.status, err.code) == (404, 3001)
    assert err.message == "Meeting does not exist: 1."
    assert err.tracking_id
    assert one_line(err).startswith("not found: HTTP 404, Zoom code 3001: Meeting does not exist: 1.")


def test_xml_error_answers_are_understood(emu: Emulator, token_client: zoomlive.Client) -> None:
    emu.fault(xml=True, status=404, code=3001, message="Meeting does not exist: 5.")
    with pytest.raises(zoomlive.NotFoundError) as caught:
        token_client.get_meeting_livestream(MEETING)
    assert (caught.value.status, caught.value.code) == (404, 3001)
    assert caught.value.message == "Meeting does not exist: 5."


def test_invalid_id_answer_is_an_api_error(emu: Emulator, token_client: zoomlive.Client) -> None:
    emu.fault(status=300, code=300, message="Invalid Meeting ID.")
    with pytest.raises(zoomlive.ApiError) as caught:
        token_client.update_meeting_livestream_status(MEETING, "start")
    err = caught.value
    assert type(err) is zoomlive.ApiError
    assert err.kind == "api"
    assert (err.status, err.code, err.message) == (300, 300, "Invalid Meeting ID.")
    assert one_line(err).startswith("Zoom API error: HTTP 300, Zoom code 300: Invalid Meeting ID.")


def test_settings_while_live_is_an_api_error(emu: Emulator, client: zoomlive.Client) -> None:
    client.update_meeting_livestream_status(MEETING, "start")
    with pytest.raises(zoomlive.ApiError) as caught:
        client.update_meeting_livestream_status(MEETING, "start", display_name="too late")
    err = caught.value
    assert type(err) is zoomlive.ApiError
    assert (err.status, err.code) == (400, 3000)
    assert "only be updated while the live stream is stopped" in err.message


def test_validation_errors_list(emu: Emulator, token_client: zoomlive.Client) -> None:
    body = (
        '{"code":300,"message":"Validation Failed.","errors":['
        '{"field":"settings.display_name","message":"Invalid field."},'
        '{"field":"action","message":"Required field."}]}'
    )
    emu.fault(status=400, body=body)
    with pytest.raises(zoomlive.ApiError) as caught:
        token_client.update_meeting_livestream_status(MEETING, "start")
    err = caught.value
    assert err.errors == (
        zoomlive.FieldError("settings.display_name", "Invalid field."),
        zoomlive.FieldError("action", "Required field."),
    )
    assert err.errors[0].field == "settings.display_name"
    assert "settings.display_name: Invalid field." in one_line(err)


def test_server_error_is_an_api_error(emu: Emulator, token_client: zoomlive.Client) -> None:
    emu.fault(status=503, body="upstream unavailable")
    with pytest.raises(zoomlive.ApiError) as caught:
        token_client.get_meeting_livestream(MEETING)
    assert type(caught.value) is zoomlive.ApiError
    assert caught.value.status == 503
    assert caught.value.code is None
    assert "upstream unavailable" in one_line(caught.value)


def test_rate_limit_is_raised_with_retry_after(emu: Emulator, token_client: zoomlive.Client) -> None:
    emu.fault(
        status=429, code=429, message="Too many requests.", retry_after="2",
        headers={"X-RateLimit-Type": "QPS"},
    )
    with pytest.raises(zoomlive.RateLimitError) as caught:
        token_client.update_meeting_livestream_status(MEETING, "start")
    err = caught.value
    assert isinstance(err, zoomlive.ApiError)
    assert err.kind == "rate_limited"
    assert (err.status, err.code) == (429, 429)
    assert err.retry_after == 2.0 and isinstance(err.retry_after, float)
    assert err.rate_limit_type == "QPS"
    assert "retry after 2s" in one_line(err)
    assert len(emu.api_requests()) == 1


def test_rate_limit_asking_a_long_wait_is_not_waited_for(
    make_emulator: Callable[..., Emulator],
) -> None:
    # Zoom documents this 429 without Retry-After; the emulator adds it on request.
    emu = make_emulator("--start-cooldown-ms", "60000", "--rate-limit-headers")
    with make_client(emu) as client:  # the default retry policy
        client.update_meeting_livestream_status(MEETING, "start")
        client.update_meeting_livestream_status(MEETING, "stop")
        with pytest.raises(zoomlive.RateLimitError) as caught:
            client.update_meeting_livestream_status(MEETING, "start")
    err = caught.value
    assert err.retry_after is not None and 55 <= err.retry_after <= 60
    assert "retry making a new request after" in err.message
    assert len(emu.api_requests()) == 3


def test_secrets_echoed_by_the_server_are_scrubbed(emu: Emulator) -> None:
    emu.fault(status=400, body='{"code":300,"message":"bad token ' + TOKEN + '"}')
    with make_client(emu) as client:
        with pytest.raises(zoomlive.ApiError) as caught:
            client.get_meeting_livestream(MEETING)
    assert TOKEN not in str(caught.value)
    assert TOKEN not in caught.value.message
    assert "***" in caught.value.message


def test_errors_pickle_with_their_attributes(emu: Emulator, token_client: zoomlive.Client) -> None:
    emu.fault(status=429, code=429, message="Slow down.", retry_after="3")
    with pytest.raises(zoomlive.RateLimitError) as caught:
        token_client.get_meeting_livestream(MEETING)
    copy = pickle.loads(pickle.dumps(caught.value))
    assert type(copy) is zoomlive.RateLimitError
    assert (copy.status, copy.code, copy.retry_after) == (429, 429, 3.0)
    assert str(copy) == str(caught.value)
    with pytest.raises(zoomlive.InvalidInputError) as bad:
        token_client.get_meeting_livestream("x")
    assert pickle.loads(pickle.dumps(bad.value)).field == "meeting_id"


def test_one_except_clause_catches_everything(emu: Emulator) -> None:
    failures = [
        lambda c: c.get_meeting_livestream("bad"),
        lambda c: c.get_meeting_livestream(1),
        lambda c: zoomlive.Client("x y"),
    ]
    with make_client(emu) as client:
        for fail in failures:
            with pytest.raises(zoomlive.ZoomLiveError):
                fail(client)


HUGE = "a" * (10 * 1024 * 1024)


@pytest.mark.parametrize(
    "call, field",
    [
        (lambda c: c.update_meeting_livestream_status("7" * (10 * 1024 * 1024), "start"), "meeting_id"),
        (lambda c: c.update_meeting_livestream_status("%2e%2e", "start"), "meeting_id"),
        (lambda c: c.update_meeting_livestream_status("١٢٣", "start"), "meeting_id"),
        (lambda c: c.update_meeting_livestream_status(" 68423085", "start"), "meeting_id"),
        (lambda c: c.update_meeting_livestream_status("+68423085", "start"), "meeting_id"),
        (lambda c: c.update_meeting_livestream_status(MEETING, HUGE), "action"),
        (lambda c: c.update_meeting_livestream_status(MEETING, "start", display_name=HUGE), "settings.display_name"),
        (lambda c: c.update_meeting_livestream_status(MEETING, "start", settings={"x": HUGE}), "settings"),
        (lambda c: c.update_meeting_livestream_status(MEETING, "start", display_name="a\0b"), "settings.display_name"),
        (lambda c: c.update_meeting_livestream_status(MEETING, "start", layout="a\nb"), "settings.layout"),
        (
            lambda c: c.update_meeting_livestream_status(
                MEETING, "start", settings="{" * 40 + "}" * 40
            ),
            "settings",
        ),
        (
            lambda c: c.update_meeting_livestream(
                MEETING, stream_url=HUGE, stream_key="k", page_url="https://e.x"
            ),
            "stream_url",
        ),
        (
            lambda c: c.update_meeting_livestream(
                MEETING, stream_url="rtmp://x", stream_key="k\r\nX-Injected: 1", page_url="https://e.x"
            ),
            "stream_key",
        ),
        (
            lambda c: c.update_meeting_livestream(
                MEETING, stream_url="rtmp://x", stream_key="k", page_url="https://e.x/\0"
            ),
            "page_url",
        ),
    ],
)
def test_hostile_input_is_refused_and_nothing_is_sent(
    emu: Emulator, token_client: zoomlive.Client, call: Callable[[zoomlive.Client], None], field: str
) -> None:
    with pytest.raises(zoomlive.InvalidInputError) as info:
        call(token_client)
    assert info.value.field == field
    assert len(str(info.value)) < 500
    assert emu.requests() == []


@pytest.mark.parametrize("token", ["", "tok\r\nX-Injected: 1", "tok\0en", "tok en", "t" * (10 * 1024 * 1024)])
def test_hostile_tokens_are_refused_without_being_shown(token: str) -> None:
    with pytest.raises(zoomlive.InvalidInputError) as info:
        zoomlive.Client(token)
    assert info.value.field == "access_token"
    if token:
        assert token not in str(info.value) and token not in repr(info.value)


def test_every_exception_round_trips_through_pickle() -> None:
    api = zoomlive.ApiError(
        "Zoom said no", status=400, code=300, message="Validation Failed.",
        errors=[("settings.display_name", "too long")], tracking_id="t-1", retry_after=1.5,
        oauth_error="invalid_client", rate_limit_type="QPS", rate_limit_category="Light",
        rate_limit_limit=30, rate_limit_remaining=0, missing_scopes=["meeting:write"],
    )
    errors: list[zoomlive.ZoomLiveError] = [
        api,
        zoomlive.AuthError("no", status=401, code=4700, missing_scopes=["a:b", "c:d"]),
        zoomlive.NotFoundError("gone", status=400, code=3001),
        zoomlive.RateLimitError("slow", status=429, retry_after=30.0),
        zoomlive.InvalidInputError("bad id", field="meeting_id", reason="is empty"),
        zoomlive.TransportError("reset"),
        zoomlive.TimeoutError("late"),
    ]
    for err in errors:
        back = pickle.loads(pickle.dumps(err))
        assert type(back) is type(err)
        assert str(back) == str(err)
        assert back.__dict__ == err.__dict__
    back_api = pickle.loads(pickle.dumps(api))
    assert isinstance(back_api, zoomlive.ApiError)
    assert back_api.errors == (zoomlive.FieldError("settings.display_name", "too long"),)
    assert back_api.errors[0].field == "settings.display_name"


def test_a_raised_api_error_with_field_errors_round_trips_through_pickle(
    emu: Emulator, token_client: zoomlive.Client
) -> None:
    emu.fault(
        status=400,
        body='{"code":300,"message":"Validation Failed.",'
        '"errors":[{"field":"settings.display_name","message":"too long"}]}',
    )
    with pytest.raises(zoomlive.ApiError) as caught:
        token_client.update_meeting_livestream_status(MEETING, "start")
    back = pickle.loads(pickle.dumps(caught.value))
    assert back.errors == caught.value.errors and back.errors
    assert back.status == 400 and back.code == 300 and str(back) == str(caught.value)
