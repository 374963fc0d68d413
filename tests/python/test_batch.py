"""Client.batch: typed results in completion order, operations checked before any is
sent, zoomlive.op constructors, the daily limit, the GIL released while waiting, and
Ctrl-C leaving a journal that a resumed batch completes without sending twice; and
AsyncClient.batch: the same results with ``async for``, the loop running meanwhile, and
leaving early, closing the client or the loop stopping the batch."""

from __future__ import annotations

import asyncio
import os
import signal
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Callable, List, Tuple

import pytest

import zoomlive
from conftest import TOKEN, Emulator, make_client

FIRST = 3000
STREAM_KEY = "sk-live-python-batch-42"


@pytest.fixture(scope="module")
def many(make_emulator: Callable[..., Emulator]) -> Emulator:
    return make_emulator("--meeting-range", f"{FIRST}-{FIRST + 39}")


@pytest.fixture
def batch_emu(many: Emulator) -> Emulator:
    many.reset()
    return many


def accepted(emu: Emulator) -> Counter[str]:
    """How many times each (meeting, action) was accepted."""
    done: Counter[str] = Counter()
    for r in emu.api_requests():
        if r["status"] == 204:
            done[r["path"].split("/")[3] + " " + str(r["fields"].get("action"))] += 1
    return done


def test_results_are_typed_and_each_meeting_keeps_its_order(batch_emu: Emulator) -> None:
    ops: List[zoomlive.op.Op] = []
    for i in range(FIRST, FIRST + 6):
        ops.append(zoomlive.op.start(meeting=i, display_name=f"Room {i}", active_speaker_name=False, key=f"k{i}"))
    for i in range(FIRST, FIRST + 6):
        ops.append({"op": "stop", "kind": "meeting", "id": str(i), "layout": ""})
    ops.append(zoomlive.op.update(meeting=FIRST, stream_url="rtmp://a/live", stream_key=STREAM_KEY,
                                  page_url="https://example.com/live", resolution="720p"))
    ops.append(zoomlive.op.get(meeting=FIRST, key="read"))
    seen: List[zoomlive.BatchResult] = []
    with make_client(batch_emu, encoding="json") as client:
        run = client.batch(ops, rate=200, on_result=seen.append)
        assert len(run) == 14 and run.to_send == 14
        results = list(run)
    assert [r.index for r in seen] == [r.index for r in results]
    assert sorted(r.index for r in results) == list(range(1, 15))
    assert all(r.outcome == "ok" and r.attempts == 1 and r.error is None for r in results), results
    first = next(r for r in results if r.index == 1)
    assert (first.key, first.op, first.kind, first.id) == ("k3000", "start", "meeting", "3000")
    got = next(r for r in results if r.index == 14)
    assert got.livestream is not None and got.livestream.stream_key == STREAM_KEY
    assert STREAM_KEY not in repr(got)
    order = [r["fields"].get("action", r["method"]) for r in batch_emu.api_requests() if f"/{FIRST}/" in r["path"]]
    assert order == ["start", "stop", "PATCH", "GET"]
    assert run.summary == {"ok": 14, "failed": 0, "deferred": 0, "skipped": 0, "uncertain": 0}


def test_a_bad_operation_is_refused_before_anything_is_sent(batch_emu: Emulator) -> None:
    ops = [zoomlive.op.start(meeting=FIRST), zoomlive.op.start(webinar=5, layout="gallery")]
    with make_client(batch_emu) as client:
        with pytest.raises(zoomlive.InvalidInputError) as err:
            client.batch(ops)
        assert err.value.field == "settings.layout"
        assert "(row 2)" in str(err.value)
        with pytest.raises(TypeError):
            client.batch([7])  # type: ignore[list-item]
        with pytest.raises(zoomlive.InvalidInputError):
            client.batch(ops[:1], plan="enterprise")
        with pytest.raises(TypeError):
            zoomlive.op.get(meeting=1, webinar=2)
    assert batch_emu.api_requests() == []


def test_a_daily_limit_defers_the_rest(make_emulator: Callable[..., Emulator]) -> None:
    emu = make_emulator("--meeting-range", f"{FIRST}-{FIRST + 5}", "--daily-limit", "2")
    ops = [zoomlive.op.start(meeting=i) for i in range(FIRST, FIRST + 6)]
    with make_client(emu) as client:
        results = sorted(client.batch(ops, concurrency=1, rate=100), key=lambda r: r.index)
    outcomes = [r.outcome for r in results]
    assert outcomes == ["ok", "ok", "deferred", "deferred", "deferred", "deferred"]
    assert isinstance(results[2].error, zoomlive.RateLimitError)
    assert results[2].http_status == 429
    assert all(r.resume_at and r.resume_at.endswith("T00:00:00Z") for r in results[2:])


def test_the_gil_is_released_while_waiting(batch_emu: Emulator) -> None:
    ops = [zoomlive.op.start(meeting=i) for i in range(FIRST, FIRST + 6)]
    ticks = 0
    done = threading.Event()

    def tick() -> None:
        nonlocal ticks
        while not done.is_set():
            ticks += 1
            time.sleep(0.001)

    t = threading.Thread(target=tick)
    t.start()
    try:
        with make_client(batch_emu) as client:
            results = list(client.batch(ops, rate=10))
    finally:
        done.set()
        t.join()
    assert len(results) == 6
    # About 0.5 s of waiting: the other thread ran all along.
    assert ticks > 100, ticks


def test_ctrl_c_stops_and_the_journal_resumes(batch_emu: Emulator, tmp_path: Path) -> None:
    ops = [zoomlive.op.start(meeting=i) for i in range(FIRST, FIRST + 20)]
    journal = tmp_path / "journal.jsonl"
    got: List[zoomlive.BatchResult] = []
    timer = threading.Timer(0.6, lambda: os.kill(os.getpid(), signal.SIGINT))
    # Python's own Ctrl-C handler, whatever this process inherited: a shell starts a
    # background job (`make test &`) with SIGINT ignored, and Python then keeps it so.
    inherited = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with make_client(batch_emu) as client:
            timer.start()
            with pytest.raises(KeyboardInterrupt):
                for r in client.batch(ops, rate=10, journal=journal):
                    got.append(r)
            timer.cancel()
    finally:
        signal.signal(signal.SIGINT, inherited)
    with make_client(batch_emu) as client:
        sent = len(batch_emu.api_requests())
        assert 0 < sent < 20
        with pytest.raises(zoomlive.InvalidInputError):
            client.batch(ops, journal=journal)
        results = list(client.batch(ops, rate=100, journal=journal, resume=True))
    assert all(r.outcome == "ok" for r in results), results
    done = accepted(batch_emu)
    assert len(done) == 20 and set(done.values()) == {1}, done
    text = journal.read_text()
    assert TOKEN not in text and STREAM_KEY not in text


# --- AsyncClient.batch ------------------------------------------------------------------------


def make_async(emu: Emulator) -> zoomlive.AsyncClient:
    return zoomlive.AsyncClient(TOKEN, base_url=emu.base_url)


def test_async_batch_results_come_on_the_loop_which_keeps_running(batch_emu: Emulator) -> None:
    ops = [zoomlive.op.start(meeting=i) for i in range(FIRST, FIRST + 12)]
    ops.append(zoomlive.op.get(meeting=FIRST))
    called_on: List[threading.Thread] = []

    async def main() -> Tuple[List[zoomlive.BatchResult], int]:
        ticks = 0
        done = asyncio.Event()

        async def ticker() -> None:
            nonlocal ticks
            while not done.is_set():
                ticks += 1
                await asyncio.sleep(0.01)

        ticking = asyncio.create_task(ticker())
        async with make_async(batch_emu) as client:
            run = client.batch(ops, rate=20, on_result=lambda r: called_on.append(threading.current_thread()))
            assert (len(run), run.to_send) == (13, 13)
            results = [r async for r in run]
            assert run.summary["ok"] == 13
        done.set()
        await ticking
        return results, ticks

    results, ticks = asyncio.run(main())
    assert sorted(r.index for r in results) == list(range(1, 14))
    assert all(r.outcome == "ok" for r in results), results
    # The get of the first meeting waited for its start (one at a time per meeting).
    assert [r.index for r in results].index(13) > [r.index for r in results].index(1)
    assert len(called_on) == 13 and all(t is threading.main_thread() for t in called_on)
    # 13 calls at 20/s take about 0.6 s, during which the loop ran the ticker.
    assert ticks >= 10, ticks


def test_async_batch_checks_everything_before_sending(batch_emu: Emulator) -> None:
    async def main() -> None:
        client = make_async(batch_emu)
        with pytest.raises(zoomlive.InvalidInputError):
            client.batch([{"op": "begin", "kind": "meeting", "id": FIRST}])
        with pytest.raises(zoomlive.InvalidInputError):
            client.batch([zoomlive.op.start(meeting=FIRST)], concurrency=0)
        with pytest.raises(TypeError):
            client.batch([zoomlive.op.start(meeting=FIRST)], resume="yes")  # type: ignore[arg-type]
        await client.aclose()
        with pytest.raises(RuntimeError):
            client.batch([zoomlive.op.start(meeting=FIRST)])

    asyncio.run(main())
    assert batch_emu.api_requests() == []


def test_leaving_an_async_batch_early_stops_it_and_its_journal_resumes(
    batch_emu: Emulator, tmp_path: Path
) -> None:
    ops = [zoomlive.op.start(meeting=i) for i in range(FIRST, FIRST + 20)]
    journal = tmp_path / "journal.jsonl"

    async def main() -> List[zoomlive.BatchResult]:
        async with make_async(batch_emu) as client:
            async with client.batch(ops, rate=10, journal=journal) as run:
                got = 0
                async for _ in run:
                    got += 1
                    if got == 3:
                        break
            # Closed: the calls in flight finished, nothing more is sent.
            sent = len(batch_emu.api_requests())
            await asyncio.sleep(0.3)
            assert 3 <= sent < 20 and len(batch_emu.api_requests()) == sent
            return [r async for r in client.batch(ops, rate=100, journal=journal, resume=True)]

    rest = asyncio.run(main())
    assert rest and all(r.outcome == "ok" for r in rest), rest
    done = accepted(batch_emu)
    assert len(done) == 20 and set(done.values()) == {1}, done


def test_closing_the_client_or_the_loop_stops_its_batches(batch_emu: Emulator) -> None:
    ops = [zoomlive.op.start(meeting=i) for i in range(FIRST, FIRST + 20)]

    async def close_client() -> None:
        client = make_async(batch_emu)
        run = client.batch(ops, rate=10)
        await run.__anext__()
        await client.aclose()
        assert [r async for r in run] == []  # closed: the rest is dropped

    asyncio.run(close_client())
    sent = len(batch_emu.api_requests())
    assert 1 <= sent < 20
    batch_emu.reset()

    # A loop closed under a batch it was reading: the batch's thread stops it.
    async def leave_loop() -> zoomlive.AsyncBatchRun:
        run = make_async(batch_emu).batch(ops, rate=10)
        await run.__anext__()
        return run

    run = asyncio.run(leave_loop())
    sent = -1
    for _ in range(20):  # until nothing more is sent (the calls in flight end)
        time.sleep(0.3)
        if len(batch_emu.api_requests()) == sent:
            break
        sent = len(batch_emu.api_requests())
    assert 1 <= sent < 20 and len(run) == 20
