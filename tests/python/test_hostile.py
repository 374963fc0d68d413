"""Hostile servers from Python (issue 10 §1): tests/common/echo_server.py echoes each
request (Authorization, the body with the stream key, the decoded Basic credential)
back in one response shape, chosen by the first path segment. No secret, nor an
8-character prefix of one, may reach ``str(e)``, ``repr(e)``, ``e.args`` or any
attribute (``message``, ``errors``, ``tracking_id``, ``oauth_error``, ``rate_limit_*``,
``missing_scopes``, ...), nor a pickled copy; no bidi control, zero-width character or
ESC either."""

from __future__ import annotations

import base64
import pickle
import sys
import threading
from pathlib import Path
from typing import Iterator, List

import pytest

import zoomlive

# The echoing server the C suite runs too.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "common"))
import echo_server  # noqa: E402

H_TOKEN = "eyJhbGciOiJIUzI1NiJ9.HOSTILE-TOKEN-abcdef0123456789"
H_STREAM_KEY = "live-key-9f8e7d6c5b4a"
H_CLIENT_ID = "cid-hostile-77"
H_CLIENT_SECRET = "csecret-hostile-42"
H_BASIC_DECODED = f"{H_CLIENT_ID}:{H_CLIENT_SECRET}"
H_BASIC = base64.b64encode(H_BASIC_DECODED.encode()).decode()
SECRETS = [H_TOKEN, H_STREAM_KEY, H_CLIENT_SECRET, H_BASIC, H_BASIC_DECODED]
INVISIBLE = ["\u202a", "\u202e", "\u2066", "\u2069", "\u200b", "\u200f", "\u2060", "\ufeff",
             "\x1b"]
SHAPES = list(echo_server.SHAPES)


@pytest.fixture(scope="module")
def echo_url() -> Iterator[str]:
    server = echo_server.start()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _texts(e: BaseException) -> List[str]:
    """Everything a caller can see of an exception, as text."""
    texts = [str(e), repr(e), repr(e.args)]
    for name in dir(e):
        if name.startswith("__"):
            continue
        value = getattr(e, name)
        if callable(value):
            continue
        texts.append(f"{name}={value!r}")
        if isinstance(value, str):
            texts.append(value)
    for fe in getattr(e, "errors", ()):
        texts += [fe.field, fe.message, repr(fe)]
    texts.append(repr(pickle.loads(pickle.dumps(e)).__dict__))
    texts.append(str(pickle.dumps(e)))
    return texts


def _assert_clean(e: BaseException, shape: str) -> None:
    assert isinstance(e, zoomlive.ZoomLiveError), (shape, e)
    for text in _texts(e):
        for secret in SECRETS:
            assert secret[:8] not in text, (shape, secret[:8], text[:2000])
        for c in INVISIBLE:
            assert c not in text, (shape, hex(ord(c)), text[:2000])


@pytest.mark.parametrize("shape", SHAPES)
def test_bearer_client_echoed_shows_no_secret(echo_url: str, shape: str) -> None:
    client = zoomlive.Client(H_TOKEN, base_url=f"{echo_url}/{shape}/v2", max_retries=0,
                             timeout=10)
    with pytest.raises(zoomlive.ZoomLiveError) as info:
        client.update_meeting_livestream(68423085, stream_url="rtmp://a/live2",
                                          stream_key=H_STREAM_KEY,
                                          page_url="https://example.com/live")
    _assert_clean(info.value, shape)
    assert isinstance(info.value, zoomlive.ApiError)
    # A later call still scrubs the stream key sent before.
    for call in (lambda: client.update_meeting_livestream_status(68423085, "start"),
                 lambda: client.update_webinar_livestream_status(91234567890, "stop")):
        with pytest.raises(zoomlive.ZoomLiveError) as info:
            call()
        _assert_clean(info.value, shape)


@pytest.mark.parametrize("shape", SHAPES)
def test_oauth_endpoint_echoed_shows_no_credential(echo_url: str, shape: str) -> None:
    client = zoomlive.Client.server_to_server(
        "acct-9", H_CLIENT_ID, H_CLIENT_SECRET, base_url=f"{echo_url}/{shape}/v2",
        oauth_url=f"{echo_url}/{shape}/oauth/token", max_retries=0, timeout=10)
    with pytest.raises(zoomlive.ZoomLiveError) as info:
        client.update_webinar_livestream(91234567890, stream_url="rtmp://a/live2",
                                         stream_key=H_STREAM_KEY,
                                         page_url="https://example.com/live")
    assert isinstance(info.value, (zoomlive.AuthError, zoomlive.RateLimitError)), info.value
    _assert_clean(info.value, shape)


def test_the_echo_is_really_there(echo_url: str) -> None:
    """The control: the server does echo, and the secret's place shows as ***."""
    client = zoomlive.Client(H_TOKEN, base_url=f"{echo_url}/json/v2", max_retries=0)
    with pytest.raises(zoomlive.ApiError) as info:
        client.update_meeting_livestream(68423085, stream_url="rtmp://a/live2",
                                         stream_key=H_STREAM_KEY,
                                         page_url="https://example.com/live")
    assert "PATCH /json/v2/meetings/68423085/livestream" in info.value.message
    assert "Bearer ***" in info.value.message
    with pytest.raises(zoomlive.ApiError) as info:
        zoomlive.Client(H_TOKEN, base_url=f"{echo_url}/bidi/v2", max_retries=0
                        ).update_meeting_livestream_status(68423085, "stop")
    assert info.value.message.startswith(" PATCH"), info.value.message[:40]
