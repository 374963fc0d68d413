"""One client shared by many threads: correct results, and calls that overlap because
the GIL is released for the whole network call."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import List

import zoomlive
from conftest import MEETING, Emulator, make_client

MEETINGS = [1001, 1002, 1003, 1004, 1005, 1006, 1007, 1008]


def test_threads_sharing_a_client_get_their_own_results(
    emu: Emulator, client: zoomlive.Client
) -> None:
    def work(meeting: int) -> zoomlive.Livestream:
        for round_ in range(3):
            client.update_meeting_livestream(
                meeting,
                stream_url=f"rtmp://live.example/{meeting}/{round_}",
                stream_key=f"key-{meeting}",
                page_url=f"https://example.com/{meeting}",
            )
            client.update_meeting_livestream_status(meeting, "start")
            client.update_meeting_livestream_status(str(meeting), "stop")
        return client.get_meeting_livestream(meeting)

    with ThreadPoolExecutor(max_workers=len(MEETINGS)) as pool:
        results = list(pool.map(work, MEETINGS))
    for meeting, got in zip(MEETINGS, results):
        assert got.stream_url == f"rtmp://live.example/{meeting}/2"
        assert got.stream_key == f"key-{meeting}"
        assert got.page_url == f"https://example.com/{meeting}"
    assert len(emu.api_requests()) == len(MEETINGS) * 10
    assert all(r["status"] in (200, 204) for r in emu.api_requests())


def test_calls_from_threads_overlap(emu: Emulator) -> None:
    n, delay = 6, 0.5
    emu.fault(delay_ms=int(delay * 1000), times=n, path="/livestream")
    with make_client(emu) as client:
        barrier = threading.Barrier(n)

        def work(_: int) -> str:
            barrier.wait()
            return client.get_meeting_livestream(MEETING).page_url

        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=n) as pool:
            pages = list(pool.map(work, range(n)))
        elapsed = time.monotonic() - started
    assert pages == [""] * n
    # One after another they would take n * 0.5 s = 3 s.
    assert elapsed < n * delay / 2, f"{n} delayed calls took {elapsed:.2f}s: not in parallel"


def test_other_python_threads_run_during_a_call(emu: Emulator) -> None:
    emu.fault(delay_ms=1000)
    ticks: List[int] = [0]
    done = threading.Event()

    def tick() -> None:
        while not done.is_set():
            ticks[0] += 1
            time.sleep(0.01)

    ticker = threading.Thread(target=tick)
    with make_client(emu) as client:
        ticker.start()
        try:
            client.update_meeting_livestream_status(MEETING, "start")
        finally:
            done.set()
            ticker.join()
    # Held GIL: the ticker would be stuck for the whole 1 s call (a tick or two).
    assert ticks[0] >= 20, ticks[0]


def test_threads_share_one_oauth_token(s2s_emu: Emulator) -> None:
    emu = s2s_emu
    with make_client(emu, "s2s") as client:
        barrier = threading.Barrier(8)

        def work(meeting: int) -> None:
            barrier.wait()
            client.update_meeting_livestream_status(meeting, "start")

        with ThreadPoolExecutor(max_workers=8) as pool:
            list(pool.map(work, MEETINGS))
    assert len(emu.token_requests()) == 1
    assert [r["status"] for r in emu.api_requests()] == [204] * 8


def test_close_while_other_threads_call(emu: Emulator) -> None:
    emu.fault(delay_ms=500)
    client = make_client(emu)
    outcome: List[object] = []

    def slow() -> None:
        try:
            client.update_meeting_livestream_status(MEETING, "start")
            outcome.append("ok")
        except Exception as e:  # pragma: no cover - reported by the assert
            outcome.append(e)

    t = threading.Thread(target=slow)
    t.start()
    deadline = time.monotonic() + 10
    while not emu.api_requests() and time.monotonic() < deadline:
        time.sleep(0.01)  # until the emulator holds the request
    assert emu.api_requests(), "the call never reached the emulator"
    client.close()
    t.join()
    assert outcome == ["ok"]  # the call already running finishes normally
    assert client.closed


def test_eight_threads_times_500_calls_on_one_client(emu: Emulator) -> None:
    def work(n: int) -> List[object]:
        action = "start" if n % 2 == 0 else "stop"
        return [client.update_meeting_livestream_status(MEETING, action) for _ in range(500)]

    with make_client(emu) as client, ThreadPoolExecutor(max_workers=8) as pool:
        results = [r for rs in pool.map(work, range(8)) for r in rs]
    assert len(results) == 4000 and all(r is None for r in results)
    reqs = emu.api_requests()
    assert len(reqs) == 4000
    assert all(
        r["status"] == 204
        and r["path"] == f"/v2/meetings/{MEETING}/livestream/status"
        and r["fields"]["action"] in ("start", "stop")
        and len(r["fields"]) == 1
        for r in reqs
    )
