"""The C ABI (the DLL/.so that FoxPro, Delphi and C# load), driven from Python with
ctypes against the emulator: the three seed operations, errors and the last-error
getters, so the exported-symbol path is exercised as a legacy host would."""

from __future__ import annotations

import ctypes
import json
from pathlib import Path
from typing import Iterator, Optional

import pytest

from conftest import (
    ACCOUNT,
    CLIENT_ID,
    LIB,
    MEETING,
    SECRET,
    TOKEN,
    WEBINAR,
    Emulator,
    cargo_version,
    sent_settings,
)

OK, INVALID_ARGUMENT, AUTH, NOT_FOUND, RATE_LIMITED, BUFFER_TOO_SMALL = 0, 2, 6, 7, 8, 10
NULL_ARGUMENT = 1

c_char_p, c_int32, c_int64, c_size_t = ctypes.c_char_p, ctypes.c_int32, ctypes.c_int64, ctypes.c_size_t
Handle = ctypes.c_void_p


@pytest.fixture(scope="module")
def lib() -> ctypes.CDLL:
    assert LIB.is_file(), f"{LIB} is missing: run `cargo build --features cli`"
    dll = ctypes.CDLL(str(LIB))
    sig = {
        "zoomlive_version": ([], c_char_p),
        "zoomlive_status_str": ([c_int32], c_char_p),
        "zoomlive_client_new": ([c_char_p, ctypes.POINTER(Handle)], c_int32),
        "zoomlive_client_new_s2s": ([c_char_p, c_char_p, c_char_p, ctypes.POINTER(Handle)], c_int32),
        "zoomlive_client_free": ([Handle], None),
        "zoomlive_client_set_base_url": ([Handle, c_char_p], c_int32),
        "zoomlive_client_set_oauth_url": ([Handle, c_char_p], c_int32),
        "zoomlive_client_set_encoding": ([Handle, c_char_p], c_int32),
        "zoomlive_client_set_timeout_ms": ([Handle, ctypes.c_uint32], c_int32),
        "zoomlive_client_set_token_cache_dir": ([Handle, c_char_p], c_int32),
        "zoomlive_meeting_livestream_status": ([Handle, c_char_p, c_char_p, c_char_p], c_int32),
        "zoomlive_webinar_livestream_status": ([Handle, c_char_p, c_char_p, c_char_p], c_int32),
        "zoomlive_meeting_livestream_update": (
            [Handle, c_char_p, c_char_p, c_char_p, c_char_p, c_char_p], c_int32,
        ),
        "zoomlive_last_http_status": ([], c_int32),
        "zoomlive_last_zoom_code": ([], c_int64),
        "zoomlive_last_error_message": ([c_char_p, c_size_t, ctypes.POINTER(c_size_t)], c_int32),
        "zoomlive_last_retry_after_ms": ([], c_int64),
        "zoomlive_last_missing_scopes": ([c_char_p, c_size_t, ctypes.POINTER(c_size_t)], c_int32),
        "zoomlive_last_rate_limit": ([c_char_p, c_size_t, ctypes.POINTER(c_size_t)], c_int32),
    }
    missing = [name for name in sig if not hasattr(dll, name)]
    assert not missing, f"{LIB} does not export {missing}"
    for name, (args, res) in sig.items():
        fn = getattr(dll, name)
        fn.argtypes, fn.restype = args, res
    return dll


def last_message(lib: ctypes.CDLL) -> str:
    return last_text(lib, "zoomlive_last_error_message")


def last_text(lib: ctypes.CDLL, getter: str) -> str:
    """A copied-out last-error getter's text, by the two-step buffer protocol."""
    fn = getattr(lib, getter)
    needed = c_size_t(0)
    status = fn(None, 0, ctypes.byref(needed))
    assert status == BUFFER_TOO_SMALL and needed.value >= 1
    buf = ctypes.create_string_buffer(needed.value)
    assert fn(buf, needed.value, ctypes.byref(needed)) == OK
    return buf.value.decode()


def new_client(lib: ctypes.CDLL, emu: Emulator, encoding: str = "multipart") -> int:
    handle = Handle()
    assert lib.zoomlive_client_new(TOKEN.encode(), ctypes.byref(handle)) == OK
    assert handle.value
    assert lib.zoomlive_client_set_base_url(handle, emu.base_url.encode()) == OK
    assert lib.zoomlive_client_set_encoding(handle, encoding.encode()) == OK
    assert lib.zoomlive_client_set_timeout_ms(handle, 10_000) == OK
    return int(handle.value)


@pytest.fixture
def handle(lib: ctypes.CDLL, emu: Emulator) -> Iterator[int]:
    h = new_client(lib, emu)
    yield h
    lib.zoomlive_client_free(h)


def b(text: Optional[str]) -> Optional[bytes]:
    return None if text is None else text.encode()


def test_version_and_status_names(lib: ctypes.CDLL) -> None:
    assert lib.zoomlive_version().decode() == cargo_version()
    assert lib.zoomlive_status_str(OK).decode() == "ok"
    assert lib.zoomlive_status_str(NOT_FOUND).decode() == "not found"
    assert lib.zoomlive_status_str(12345).decode() == "unknown status"
    lib.zoomlive_client_free(None)  # NULL is a no-op


@pytest.mark.parametrize("encoding", ["multipart", "json"])
def test_the_three_seed_operations(lib: ctypes.CDLL, emu: Emulator, encoding: str) -> None:
    h = new_client(lib, emu, encoding)
    try:
        settings = '{"active_speaker_name":false,"display_name":"dolore ullamco irur"}'
        assert lib.zoomlive_meeting_livestream_status(h, b(str(MEETING)), b"start", b(settings)) == OK
        assert lib.zoomlive_last_http_status() == 0
        assert lib.zoomlive_webinar_livestream_status(h, b(str(WEBINAR)), b"start", None) == OK
        assert lib.zoomlive_webinar_livestream_status(h, b(str(WEBINAR)), b"stop", b"") == OK
        assert lib.zoomlive_meeting_livestream_update(
            h, b(str(MEETING)), b"rtmp://a.rtmp.youtube.com/live2", b"abcd-efgh",
            b"https://example.com/live", b"720p",
        ) == OK
    finally:
        lib.zoomlive_client_free(h)
    status, web_start, web_stop, update = emu.api_requests()
    assert status["path"] == f"/v2/meetings/{MEETING}/livestream/status"
    assert status["encoding"] == encoding
    assert status["fields"]["action"] == "start"
    assert sent_settings(status) == json.loads(settings)
    assert web_start["path"] == f"/v2/webinars/{WEBINAR}/livestream/status"
    assert web_start["fields"] == {"action": "start"}
    assert web_stop["fields"] == {"action": "stop"}
    assert update["fields"] == {
        "stream_url": "rtmp://a.rtmp.youtube.com/live2",
        "stream_key": "***",  # the request log hides stream keys
        "page_url": "https://example.com/live",
        "resolution": "720p",
    }
    assert emu.livestream("meeting", MEETING)["stream_key"] == "abcd-efgh"
    assert emu.streams()[f"meeting:{MEETING}"]["live"] is True


def test_invalid_input_sets_the_last_error(lib: ctypes.CDLL, emu: Emulator, handle: int) -> None:
    assert lib.zoomlive_meeting_livestream_status(handle, b"12a", b"start", None) == INVALID_ARGUMENT
    assert "meeting_id" in last_message(lib)
    assert lib.zoomlive_last_http_status() == 0
    assert lib.zoomlive_meeting_livestream_update(
        handle, b(str(MEETING)), b"rtmp://x", b"k", b"not a url", None
    ) == INVALID_ARGUMENT
    assert "page_url" in last_message(lib)
    assert emu.api_requests() == []


def test_not_found_reports_http_status_and_zoom_code(
    lib: ctypes.CDLL, emu: Emulator, handle: int
) -> None:
    assert lib.zoomlive_meeting_livestream_status(handle, b"1", b"start", None) == NOT_FOUND
    assert lib.zoomlive_last_http_status() == 404
    assert lib.zoomlive_last_zoom_code() == 3001
    message = last_message(lib)
    assert "Meeting does not exist: 1." in message
    # A successful call clears the last error.
    assert lib.zoomlive_meeting_livestream_status(handle, b(str(MEETING)), b"start", None) == OK
    assert lib.zoomlive_last_http_status() == 0


def test_short_buffer_is_refused_with_the_size_needed(lib: ctypes.CDLL, handle: int) -> None:
    assert lib.zoomlive_meeting_livestream_status(handle, b"0", b"start", None) == INVALID_ARGUMENT
    full = last_message(lib)
    needed = c_size_t(0)
    small = ctypes.create_string_buffer(b"untouched", 10)
    assert lib.zoomlive_last_error_message(small, 4, ctypes.byref(needed)) == BUFFER_TOO_SMALL
    assert needed.value == len(full.encode()) + 1
    assert small.value == b"untouched"


def test_server_to_server_and_auth_failures(lib: ctypes.CDLL, s2s_emu: Emulator) -> None:
    emu = s2s_emu
    good, bad = Handle(), Handle()
    assert lib.zoomlive_client_new_s2s(b(ACCOUNT), b(CLIENT_ID), b(SECRET), ctypes.byref(good)) == OK
    assert lib.zoomlive_client_new_s2s(b(ACCOUNT), b(CLIENT_ID), b"wrong-secret", ctypes.byref(bad)) == OK
    try:
        for h in (good, bad):
            assert lib.zoomlive_client_set_base_url(h, emu.base_url.encode()) == OK
            assert lib.zoomlive_client_set_oauth_url(h, emu.oauth_url.encode()) == OK
        assert lib.zoomlive_meeting_livestream_status(good, b(str(MEETING)), b"start", None) == OK
        assert lib.zoomlive_meeting_livestream_status(bad, b(str(MEETING)), b"stop", None) == AUTH
        message = last_message(lib)
        assert "invalid_client" in message and "wrong-secret" not in message
    finally:
        lib.zoomlive_client_free(good)
        lib.zoomlive_client_free(bad)
    assert len(emu.token_requests()) == 2
    assert len(emu.api_requests()) == 1


def test_token_cache_dir_keeps_the_token_on_disk(
    lib: ctypes.CDLL, s2s_emu: Emulator, tmp_path: Path
) -> None:
    """Two handles with the same credentials share one token in the process; with a
    token cache folder it is also written there (0600 in a 0700 folder, no secret)."""
    emu, folder = s2s_emu, tmp_path / "cache"
    handles = [Handle(), Handle()]
    for h in handles:
        assert lib.zoomlive_client_new_s2s(b(ACCOUNT), b(CLIENT_ID), b(SECRET), ctypes.byref(h)) == OK
    try:
        assert lib.zoomlive_client_set_token_cache_dir(handles[0], None) == NULL_ARGUMENT
        for h in handles:
            assert lib.zoomlive_client_set_token_cache_dir(h, str(folder).encode()) == OK
            assert lib.zoomlive_client_set_base_url(h, emu.base_url.encode()) == OK
            assert lib.zoomlive_client_set_oauth_url(h, emu.oauth_url.encode()) == OK
            assert lib.zoomlive_meeting_livestream_status(h, b(str(MEETING)), b"start", None) == OK
    finally:
        for h in handles:
            lib.zoomlive_client_free(h)
    assert len(emu.token_requests()) == 1
    files = list(folder.iterdir())
    assert len(files) == 1 and files[0].name.endswith(".token")
    assert folder.stat().st_mode & 0o777 == 0o700
    assert files[0].stat().st_mode & 0o777 == 0o600
    assert SECRET not in files[0].read_text()


def test_auto_encoding_scopes_and_rate_limits(lib: ctypes.CDLL, emu: Emulator) -> None:
    """Issue 11: encoding "auto" falls back to JSON after a 415; the missing scopes and
    the rate-limit headers of the last failure are readable."""
    h = new_client(lib, emu, "auto")
    try:
        emu.fault(status=415, code=300, message="Unsupported Content Type")
        assert lib.zoomlive_meeting_livestream_status(h, b(str(MEETING)), b"stop", None) == OK
        assert [r["encoding"] for r in emu.api_requests()] == ["multipart", "json"]

        emu.fault(scopes=["meeting:write:admin", "meeting:write"])
        assert lib.zoomlive_meeting_livestream_status(h, b(str(MEETING)), b"stop", None) == AUTH
        assert last_text(lib, "zoomlive_last_missing_scopes") == "meeting:write:admin,meeting:write"
        assert last_text(lib, "zoomlive_last_rate_limit") == ""

        emu.fault(status=429, code=429, message="Retry making a new request after 30 seconds.")
        assert lib.zoomlive_meeting_livestream_status(h, b(str(MEETING)), b"start", None) == RATE_LIMITED
        assert lib.zoomlive_last_retry_after_ms() == 30_000
        assert last_text(lib, "zoomlive_last_missing_scopes") == ""

        emu.fault(status=429, code=429, message="Too many requests.", retry_after="iso:+30",
                  headers={"X-RateLimit-Type": "QPS", "X-RateLimit-Limit": "30",
                           "X-RateLimit-Remaining": "0"})
        assert lib.zoomlive_meeting_livestream_status(h, b(str(MEETING)), b"start", None) == RATE_LIMITED
        assert last_text(lib, "zoomlive_last_rate_limit") == "QPS;;30;0"
        assert 27_000 < lib.zoomlive_last_retry_after_ms() <= 30_000

        emu.fault(daily_limit=True)
        assert lib.zoomlive_meeting_livestream_status(h, b(str(MEETING)), b"stop", None) == RATE_LIMITED
        assert last_text(lib, "zoomlive_last_rate_limit").startswith("Daily-limit;Light;")
        assert "daily limit; it resets in" in last_message(lib)

        assert lib.zoomlive_webinar_livestream_status(h, b(str(WEBINAR)), b"start", b'{"layout":"x"}') \
            == INVALID_ARGUMENT
        assert "meetings only" in last_message(lib)
        emu.reset()
        assert lib.zoomlive_webinar_livestream_status(h, b"99999999999", b"stop", None) == NOT_FOUND
        assert lib.zoomlive_last_http_status() == 400
    finally:
        lib.zoomlive_client_free(h)
