"""Wrong argument types are a TypeError (never a crash, never a request)."""

from __future__ import annotations

import time
from typing import Any, Callable

import pytest

import zoomlive
from conftest import MEETING, TOKEN, Emulator

# Every test runs against the sync client and, through conftest.AsyncAsSync, against
# zoomlive.AsyncClient.
pytestmark = pytest.mark.usefixtures("face")

PAGE = "https://example.com/live"


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.update_meeting_livestream_status(1.5, "start"),
        lambda c: c.update_meeting_livestream_status(None, "start"),
        lambda c: c.update_meeting_livestream_status(True, "start"),
        lambda c: c.update_meeting_livestream_status(b"68423085", "start"),
        lambda c: c.update_meeting_livestream_status([MEETING], "start"),
        lambda c: c.update_meeting_livestream_status(MEETING, 1),
        lambda c: c.update_meeting_livestream_status(MEETING, None),
        lambda c: c.update_meeting_livestream_status(MEETING),
        lambda c: c.update_meeting_livestream_status(MEETING, "start", {"a": 1}),
        lambda c: c.update_meeting_livestream_status(MEETING, "start", settings=[1]),
        lambda c: c.update_meeting_livestream_status(MEETING, "start", settings=b"{}"),
        lambda c: c.update_meeting_livestream_status(MEETING, "start", settings={"x": object()}),
        lambda c: c.update_meeting_livestream_status(MEETING, "start", active_speaker_name="no"),
        lambda c: c.update_meeting_livestream_status(MEETING, "start", active_speaker_name=1),
        lambda c: c.update_meeting_livestream_status(MEETING, "start", display_name=5),
        lambda c: c.update_meeting_livestream_status(MEETING, "start", bogus=1),
        lambda c: c.update_webinar_livestream_status(MEETING, "start", layout="x"),
        lambda c: c.update_webinar_livestream_status(2.0, "stop"),
        lambda c: c.update_meeting_livestream(MEETING, "rtmp://x", "k", PAGE),
        lambda c: c.update_meeting_livestream(MEETING, stream_url="rtmp://x", page_url=PAGE),
        lambda c: c.update_meeting_livestream(
            MEETING, stream_url=None, stream_key="k", page_url=PAGE
        ),
        lambda c: c.update_webinar_livestream(
            MEETING, stream_url="rtmp://x", stream_key=123, page_url=PAGE
        ),
        lambda c: c.update_meeting_livestream(
            MEETING, stream_url="rtmp://x", stream_key="k", page_url=PAGE, resolution=720
        ),
        lambda c: c.get_meeting_livestream(),
        lambda c: c.get_webinar_livestream(object()),
    ],
)
def test_wrong_types_raise_type_error(
    emu: Emulator, token_client: zoomlive.Client, call: Callable[[Any], object]
) -> None:
    with pytest.raises(TypeError) as caught:
        call(token_client)
    assert not isinstance(caught.value, zoomlive.ZoomLiveError)
    assert str(caught.value)
    assert emu.api_requests() == []


def test_type_error_names_the_argument(token_client: zoomlive.Client) -> None:
    with pytest.raises(TypeError, match="meeting_id must be an int or a str.*not float"):
        token_client.get_meeting_livestream(1.0)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="settings must be a dict or a JSON object"):
        token_client.update_meeting_livestream_status(MEETING, "start", settings=[1])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="action"):
        token_client.update_meeting_livestream_status(MEETING, 1)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "make",
    [
        lambda: zoomlive.Client(None),
        lambda: zoomlive.Client(b"token"),
        lambda: zoomlive.Client(),
        lambda: zoomlive.Client(TOKEN, "https://api.zoom.us/v2"),
        lambda: zoomlive.Client(TOKEN, base_url=5),
        lambda: zoomlive.Client(TOKEN, encoding=None),
        lambda: zoomlive.Client(TOKEN, timeout="1"),
        lambda: zoomlive.Client(TOKEN, max_retries=1.5),
        lambda: zoomlive.Client(TOKEN, oauth_url="https://zoom.us/oauth/token"),
        lambda: zoomlive.Client.server_to_server("a", "b"),
        lambda: zoomlive.Client.server_to_server("a", "b", None),
        lambda: zoomlive.Livestream("rtmp://x", "k", PAGE),
    ],
)
def test_wrong_constructor_types_raise_type_error(make: Callable[[], object]) -> None:
    with pytest.raises(TypeError):
        make()


def test_a_type_error_never_shows_the_token() -> None:
    with pytest.raises(TypeError) as caught:
        zoomlive.Client(TOKEN, timeout="soon")  # type: ignore[arg-type]
    assert TOKEN not in str(caught.value)


@pytest.mark.parametrize(
    "timeout, connect_timeout, low, high",
    [(1, 0.25, 0.9, 2.5), (0.5, 5, 0.4, 2.0)],
    ids=["int-timeout", "float-timeout"],
)
def test_timeouts_accept_int_and_float_seconds(
    emu: Emulator, timeout: float, connect_timeout: float, low: float, high: float
) -> None:
    # Taken as seconds, whether int or float: an answer 3 s late times out after about
    # `timeout` seconds (not at once, as milliseconds would; not after 3 s, as no limit).
    client = zoomlive.Client(
        TOKEN, base_url=emu.base_url, timeout=timeout, connect_timeout=connect_timeout,
        max_retries=0,
    )
    client.update_meeting_livestream_status(MEETING, "start")  # no delay: succeeds
    emu.fault(delay_ms=3000)
    started = time.monotonic()
    with pytest.raises(zoomlive.TimeoutError):
        client.update_meeting_livestream_status(MEETING, "stop")
    elapsed = time.monotonic() - started
    assert low <= elapsed < high, f"timeout={timeout!r} gave up after {elapsed:.2f}s"
    assert [r["status"] for r in emu.api_requests()][0] == 204
