"""The trace from Python (issue 19 §2): ``client.last_trace`` after a success and a
failure, ``.trace`` on every ``ZoomLiveError`` (kept through pickling), and the records
on the ``logging`` logger ``"zoomlive"`` (debug per event, info per call), with no
token or stream key anywhere and nothing from the HTTP or TLS libraries."""

from __future__ import annotations

import logging
import pickle
import threading

import pytest

import zoomlive
from conftest import MEETING, TOKEN, Emulator


def _kinds(trace: str) -> list[str]:
    return [line.split(" ")[1] for line in trace.splitlines()]


def test_last_trace_after_a_success_and_a_failure(emu: Emulator) -> None:
    client = zoomlive.Client(TOKEN, base_url=emu.base_url, encoding="multipart")
    assert client.last_trace == ""
    client.update_meeting_livestream_status(MEETING, "start", display_name="Town hall")
    trace = client.last_trace
    kinds = _kinds(trace)
    assert kinds[:4] == ["config", "proxy", "token", "request"], trace
    assert kinds[-2:] == ["answer", "outcome"], trace
    assert f"request PATCH /v2/meetings/{MEETING}/livestream/status encoding=multipart" in trace
    assert "header Authorization: Bearer <redacted>\n" in trace
    assert 'field settings size=28 value="{\\"display_name\\":\\"Town hall\\"}"' in trace
    assert TOKEN not in trace
    assert all(line.startswith("+") and "ms " in line for line in trace.splitlines())

    client.update_meeting_livestream(MEETING, stream_url="rtmp://a/live",
                                     stream_key="py-key-31337", page_url="https://e.example/p")
    assert "field stream_key size=12 value=<redacted>" in client.last_trace
    assert "py-key-31337" not in client.last_trace

    with pytest.raises(zoomlive.NotFoundError) as info:
        client.get_meeting_livestream(1234)
    assert info.value.trace is not None
    assert info.value.trace == client.last_trace
    assert " answer 404 " in info.value.trace
    assert " outcome failed kind=not_found " in info.value.trace
    # Kept through pickling (ProcessPoolExecutor workers send errors back so).
    assert pickle.loads(pickle.dumps(info.value)).trace == info.value.trace
    # Still readable once closed.
    client.close()
    assert " answer 404 " in client.last_trace


def test_input_errors_have_no_trace_and_threads_keep_their_own(emu: Emulator) -> None:
    client = zoomlive.Client(TOKEN, base_url=emu.base_url)
    with pytest.raises(zoomlive.InvalidInputError) as info:
        client.update_meeting_livestream_status(0, "start")
    assert info.value.trace is None
    client.get_meeting_livestream(MEETING)
    seen: list[str] = []
    worker = threading.Thread(target=lambda: seen.append(client.last_trace))
    worker.start()
    worker.join()
    assert seen == [""]
    assert client.last_trace != ""


def test_log_records_reach_the_zoomlive_logger(emu: Emulator,
                                               caplog: pytest.LogCaptureFixture) -> None:
    client = zoomlive.Client(TOKEN, base_url=emu.base_url)
    with caplog.at_level(logging.DEBUG):
        zoomlive.reset_logging()
        client.update_meeting_livestream_status(MEETING, "stop")
    zoomlive.reset_logging()
    ours = [r for r in caplog.records if r.name == "zoomlive"]
    debug = [r.getMessage() for r in ours if r.levelno == logging.DEBUG]
    info = [r.getMessage() for r in ours if r.levelno == logging.INFO]
    assert debug == client.last_trace.splitlines()
    assert len(info) == 1 and info[0].startswith(
        f"PATCH /meetings/{MEETING}/livestream/status: ok in "), info
    assert not any(r.name.startswith(("ureq", "rustls")) for r in caplog.records)
    assert not any(TOKEN in r.getMessage() for r in caplog.records)


def test_an_async_clients_error_carries_its_trace(emu: Emulator) -> None:
    import asyncio

    async def fail() -> zoomlive.ZoomLiveError:
        async with zoomlive.AsyncClient(TOKEN, base_url=emu.base_url) as client:
            try:
                await client.get_meeting_livestream(1234)
            except zoomlive.NotFoundError as e:
                return e
        raise AssertionError("the call did not fail")

    error = asyncio.run(fail())
    assert error.trace is not None
    assert " request GET /v2/meetings/1234/livestream" in error.trace
    assert " outcome failed kind=not_found " in error.trace
    assert TOKEN not in error.trace
