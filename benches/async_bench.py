"""The asyncio rows of `make bench` (run by benches/run.sh after tls_bench.py): an asyncio
program issuing 1,000 calls against the emulator (`zoomlive emulator`, release build),
through zoomlive.AsyncClient and through httpx.AsyncClient, at the same concurrency.

Each run is its own process (so peak RSS and CPU time are its client's): 50 warm-up
calls, then N calls started at once, at most C at a time (an asyncio.Semaphore(C) for
both clients; zoomlive with max_concurrency=C, httpx with a pool of C connections), while
a ticker coroutine measures how late the event loop wakes it every 5 ms. A call's latency
runs from when it gets its slot to its result (the answer parsed: zoomlive's Livestream,
httpx's r.json()). Workloads: GET a live stream's configuration, PATCH it (JSON body),
and GET again with the emulator holding every answer 20 ms (a slow network: both clients
should then reach about C calls per 20 ms). Under asyncio's own loop, and uvloop's when
installed. Runs of all rows alternate, repetition after repetition.

httpx is measured as `make deps` installs it, with sniffio (see scripts/deps.sh).

Prints a table and writes target/bench/async_results.json and async_table.md.

    python async_bench.py --cli ZOOMLIVE --out DIR [--n 1000] [--concurrency 16] [--reps 3]
"""

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

TOKEN = "eyJhbGciOiJIUzI1NiJ9.FAKE-ZOOM-TOKEN-0123456789abcdef"
MEETING = 68423085
STREAM = {
    "stream_url": "rtmp://a.rtmp.youtube.com/live2",
    "stream_key": "auteofficia",
    "page_url": "https://example.com/live",
}
WARMUP = 50
TICK_S = 0.005
WORKLOADS = {
    "get": ("GET a live stream (JSON answer parsed)", 0),
    "update": ("PATCH a live stream (JSON body, 204)", 0),
    "get-20ms": ("GET, every answer held 20 ms by the emulator", 20),
}
CLIENTS = {"zoomlive": "zoomlive AsyncClient", "httpx": "httpx AsyncClient"}


def _installed(module):
    try:
        __import__(module)
        return True
    except ImportError:
        return False


def log(msg):
    print(f"async bench: {msg}", file=sys.stderr, flush=True)


def percentile(sorted_values, q):
    k = max(0, min(len(sorted_values) - 1, int(round(q * len(sorted_values) + 0.5)) - 1))
    return sorted_values[k]


# --- the child: one client, one loop, N calls ----------------------------------------------


def child(lib, loop_name, base_url, workload, n, concurrency):
    import asyncio

    if lib == "zoomlive":
        import zoomlive

        client = zoomlive.AsyncClient(
            TOKEN, base_url=base_url, encoding="json", max_concurrency=concurrency
        )
        if workload == "update":
            async def call():
                await client.update_meeting_livestream(MEETING, **STREAM)
        else:
            async def call():
                got = await client.get_meeting_livestream(MEETING)
                assert got.page_url is not None

        close = client.aclose
    else:
        import httpx

        limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
        headers = {"Authorization": f"Bearer {TOKEN}", "Accept": "application/json"}
        url = f"{base_url}/meetings/{MEETING}/livestream"
        holder = {}

        if workload == "update":
            async def call():
                r = await holder["c"].patch(url, json=STREAM, headers=headers)
                if r.status_code != 204:
                    raise SystemExit(f"httpx: HTTP {r.status_code}")
        else:
            async def call():
                r = await holder["c"].get(url, headers=headers)
                if r.status_code != 200:
                    raise SystemExit(f"httpx: HTTP {r.status_code}")
                assert "page_url" in r.json()

        async def close():
            await holder["c"].aclose()

    clock = time.perf_counter_ns

    async def main():
        if lib == "httpx":
            holder["c"] = httpx.AsyncClient(limits=limits, timeout=30)
        sem = asyncio.Semaphore(concurrency)
        lat = []

        async def one(record):
            async with sem:
                t = clock()
                await call()
                if record:
                    lat.append(clock() - t)

        await asyncio.gather(*(one(False) for _ in range(WARMUP)))
        lags = []
        done = asyncio.Event()

        async def ticker():
            while not done.is_set():
                t = time.perf_counter()
                await asyncio.sleep(TICK_S)
                lags.append(time.perf_counter() - t - TICK_S)

        ticking = asyncio.create_task(ticker())
        await asyncio.sleep(TICK_S * 2)
        cpu0 = time.process_time()
        start = clock()
        await asyncio.gather(*(one(True) for _ in range(n)))
        wall = clock() - start
        cpu = time.process_time() - cpu0
        done.set()
        await ticking
        await close()
        return wall, cpu, lat, max(lags)

    if loop_name == "uvloop":
        import uvloop

        wall, cpu, lat, lag = uvloop.run(main())
    else:
        wall, cpu, lat, lag = asyncio.run(main())
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"n": len(lat), "wall_ns": wall, "cpu_s": cpu, "lat_ns": lat,
                      "max_lag_s": lag, "rss_kib": rss}))


# --- the parent: the emulator, the runs, the table --------------------------------------------


class Emulator:
    def __init__(self, cli):
        self.proc = subprocess.Popen(
            [cli, "emulator", "--bind", "127.0.0.1:0", "--meeting", str(MEETING)],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        )
        self.url = self.proc.stdout.readline().strip()
        if not self.url.startswith("http://"):
            raise SystemExit(f"async bench: the emulator did not start ({self.url!r})")
        self.base_url = self.url + "/v2"

    def control(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(f"{self.url}/_emulator/{path}", data=data, method=method)
        if data is not None:
            req.add_header("Content-Type", "application/json")
        with urllib.request.urlopen(req, timeout=30) as r:
            text = r.read()
        return json.loads(text) if text else None

    def stop(self):
        self.proc.kill()
        self.proc.wait()


def run_one(args, emu, lib, loop_name, workload):
    emu.control("POST", "reset")
    delay = WORKLOADS[workload][1]
    if delay:
        emu.control("POST", "faults", {"delay_ms": delay, "times": WARMUP + args.n})
    argv = [sys.executable, __file__, "--child", lib, loop_name, emu.base_url, workload,
            str(args.n), str(args.concurrency)]
    proc = subprocess.run(argv, stdout=subprocess.PIPE, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"async bench: {lib} {loop_name} {workload} exited {proc.returncode}")
    data = json.loads(proc.stdout)
    seen = emu.control("GET", "requests")
    expected = WARMUP + args.n
    good = sum(1 for r in seen if r["status"] in (200, 204))
    if len(seen) != expected or good != expected:
        raise SystemExit(
            f"async bench: {lib} {loop_name} {workload}: the emulator answered {good} of "
            f"{len(seen)} requests well (expected {expected})"
        )
    return data


def combine(runs):
    lat = sorted(x for r in runs for x in r["lat_ns"])
    calls = sum(r["n"] for r in runs)
    wall = sum(r["wall_ns"] for r in runs) / 1e9
    return {
        "runs": len(runs),
        "calls": calls,
        "wall_s_per_run": [round(r["wall_ns"] / 1e9, 3) for r in runs],
        "calls_per_s": calls / wall,
        "median_ms": statistics.median(lat) / 1e6,
        "p99_ms": percentile(lat, 0.99) / 1e6,
        "cpu_ms_per_1000_calls": 1000 * sum(r["cpu_s"] for r in runs) / calls * 1000,
        "max_loop_lag_ms": max(r["max_lag_s"] for r in runs) * 1000,
        "rss_kib": max(r["rss_kib"] for r in runs),
    }


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        lib, loop_name, base_url, workload, n, conc = sys.argv[2:8]
        child(lib, loop_name, base_url, workload, int(n), int(conc))
        return
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", required=True, help="the zoomlive CLI (release), for the emulator")
    ap.add_argument("--out", default="target/bench")
    ap.add_argument("--n", type=int, default=int(os.environ.get("BENCH_ASYNC_N", "1000")))
    ap.add_argument("--concurrency", type=int, default=int(os.environ.get("BENCH_ASYNC_C", "16")))
    ap.add_argument("--reps", type=int, default=int(os.environ.get("BENCH_REPS", "3")))
    args = ap.parse_args()

    try:
        import uvloop  # noqa: F401

        loops = ["asyncio", "uvloop"]
    except ImportError:
        loops = ["asyncio"]
        log("uvloop is not installed (make deps): asyncio's loop only")
    rows = [(w, loop, lib) for w in WORKLOADS for loop in loops for lib in CLIENTS]
    emu = Emulator(args.cli)
    runs = {row: [] for row in rows}
    started = time.time()
    try:
        for rep in range(args.reps):
            log(f"repetition {rep + 1} of {args.reps}")
            for row in rows:
                runs[row].append(run_one(args, emu, row[2], row[1], row[0]))
    finally:
        emu.stop()
    results = {
        "rows": [dict(workload=w, loop=loop, client=lib, **combine(runs[(w, loop, lib)]))
                 for (w, loop, lib) in rows],
        "meta": {
            "n": args.n, "concurrency": args.concurrency, "reps": args.reps, "warmup": WARMUP,
            "cpus": os.cpu_count(), "python": platform.python_version(),
            "httpx": __import__("httpx").__version__,
            "httpcore": __import__("httpcore").__version__,
            # Absent, httpcore retries `import sniffio` on every request (encode/httpcore#1103).
            "sniffio": _installed("sniffio"),
            "uvloop": __import__("uvloop").__version__ if "uvloop" in loops else None,
            "measure_seconds": round(time.time() - started, 1),
            "date": time.strftime("%Y-%m-%d %H:%M:%S %z"),
        },
    }
    out = ["| workload | loop | client | calls/s | latency median / p99 | CPU per 1,000 calls | "
           "max loop lag | peak RSS |", "|---|---|---|---:|---:|---:|---:|---:|"]
    for r in results["rows"]:
        out.append(
            f"| {WORKLOADS[r['workload']][0]} | {r['loop']} | {CLIENTS[r['client']]} | "
            f"{r['calls_per_s']:,.0f}/s | {r['median_ms']:.2f} ms / {r['p99_ms']:.2f} ms | "
            f"{r['cpu_ms_per_1000_calls']:.0f} ms | {r['max_loop_lag_ms']:.1f} ms | "
            f"{r['rss_kib'] / 1024:.1f} MiB |"
        )
    table = "\n".join(out)
    out_dir = Path(args.out)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "async_results.json").write_text(json.dumps(results, indent=2) + "\n")
    (out_dir / "async_table.md").write_text(table + "\n")
    print()
    print(table)
    print()
    print(
        f"asyncio rows: each {args.reps} processes of {args.n} calls started at once, at most "
        f"{args.concurrency} at a time, after {WARMUP} warm-up calls; against the emulator "
        "(release build) on loopback. CPU: the client process's user+sys time over the N "
        "calls (zoomlive's worker threads included). Loop lag: how late a 5 ms ticker "
        "woke, at worst."
    )
    print(f"JSON: {out_dir / 'async_results.json'}; table: {out_dir / 'async_table.md'}")


if __name__ == "__main__":
    main()
