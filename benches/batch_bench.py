"""`make bench`, batch rows (issue 20 §5): 400 status operations against the emulator
with `--qps 20 --latency-ms 80` (a Pro account's share across the internet):

- the one-at-a-time loop the legacy apps run (the zoomlive Python module, one call
  after another in one process): the floor they live with, about 400 x 80 ms;
- `zoomlive batch --rate 20`: goal within 10% of 400 / 20 = 20 s, at most 1% of calls
  answered 429;
- the same with the emulator's limit lowered to 10/s after 5 s (no rate-limit headers:
  the batch learns from the 429s alone);
- the same with a daily limit of 300 (100 deferred, exit code 13).

Prints a markdown table and writes target/bench/batch_results.json. Run by
benches/run.sh with .venv's Python: batch_bench.py --cli PATH --out DIR.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

TOKEN = "eyJhbGciOiJIUzI1NiJ9.FAKE-ZOOM-TOKEN-0123456789abcdef"
N = int(os.environ.get("BENCH_BATCH_N", "400"))
QPS, LATENCY_MS = 20, 80
FIRST = 1000


def log(msg):
    print(f"batch bench: {msg}", file=sys.stderr, flush=True)


class Emulator:
    """`zoomlive emulator` with N meetings; stopped on exit."""

    def __init__(self, cli, *extra):
        args = [cli, "emulator", "--bind", "127.0.0.1:0",
                "--meeting-range", f"{FIRST}-{FIRST + N - 1}",
                "--qps", str(QPS), "--latency-ms", str(LATENCY_MS), *extra]
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, text=True)
        self.url = self.proc.stdout.readline().strip()
        if not self.url.startswith("http://127.0.0.1:"):
            raise SystemExit(f"emulator did not start: {self.url!r}")

    def control(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(f"{self.url}/_emulator/{path}", data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=30) as resp:
            text = resp.read()
        return json.loads(text) if text else None

    def statuses(self):
        reqs = [r for r in self.control("GET", "requests") if r["path"].startswith("/v2/")]
        return [r["status"] for r in reqs]

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.proc.kill()
        self.proc.wait()


def serial_loop(emu):
    """The legacy loop: one call after another, in one process."""
    code = (
        "import sys, time, zoomlive\n"
        "c = zoomlive.Client(access_token=sys.argv[1], base_url=sys.argv[2])\n"
        "t = time.perf_counter()\n"
        f"for i in range({FIRST}, {FIRST + N}):\n"
        "    c.update_meeting_livestream_status(i, 'start')\n"
        "print(time.perf_counter() - t)\n"
    )
    out = subprocess.run([sys.executable, "-c", code, TOKEN, f"{emu.url}/v2"],
                         capture_output=True, text=True, check=True)
    return float(out.stdout.strip())


def batch(cli, emu, *extra, during=None):
    """`zoomlive batch` over N starts; returns (seconds, exit code, counts)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "in.csv"
        rows = ["op,kind,id"] + [f"start,meeting,{i}" for i in range(FIRST, FIRST + N)]
        path.write_text("\r\n".join(rows) + "\r\n")
        env = {"PATH": os.environ.get("PATH", ""), "ZOOM_ACCESS_TOKEN": TOKEN,
               "ZOOM_BASE_URL": f"{emu.url}/v2"}
        args = [cli, "--encoding", "json", "--output", "json", "batch", str(path), *extra]
        t = time.perf_counter()
        proc = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True)
        if during:
            threading.Thread(target=during, daemon=True).start()
        out, err = proc.communicate(timeout=600)
        seconds = time.perf_counter() - t
    summary = json.loads(out.strip().splitlines()[-1])
    return seconds, proc.returncode, summary["counts"]


def row(name, seconds, statuses, code=None, counts=None, goal=None):
    refused = sum(1 for s in statuses if s == 429)
    r = {"row": name, "seconds": round(seconds, 2), "calls": len(statuses),
         "answered_429": refused, "share_429": round(refused / max(1, len(statuses)), 4),
         "exit": code, "counts": counts, "goal": goal}
    log(json.dumps(r))
    return r


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--skip-serial", action="store_true")
    a = ap.parse_args()
    rows = []
    ideal = N / QPS
    if not a.skip_serial:
        with Emulator(a.cli) as emu:
            secs = serial_loop(emu)
            rows.append(row("one-at-a-time loop (Python module)", secs, emu.statuses(),
                            goal=f"floor: {N} x {LATENCY_MS} ms = {N * LATENCY_MS / 1000:.0f} s"))
    with Emulator(a.cli) as emu:
        secs, code, counts = batch(a.cli, emu, "--rate", str(QPS))
        r = row(f"zoomlive batch --rate {QPS}", secs, emu.statuses(), code, counts,
                goal=f"<= {ideal * 1.1:.0f} s, <= 1% 429")
        r["met"] = secs <= ideal * 1.1 and r["share_429"] <= 0.01 and code == 0
        rows.append(r)
    with Emulator(a.cli) as emu:
        def lower():
            time.sleep(5)
            emu.control("PUT", "qps", {"qps": QPS / 2})
        secs, code, counts = batch(a.cli, emu, "--rate", str(QPS), during=lower)
        best = 5 + (N - 5 * QPS) / (QPS / 2)
        rows.append(row(f"qps {QPS} -> {QPS // 2} after 5 s (429s only)", secs, emu.statuses(),
                        code, counts, goal=f"all ok; best possible {best:.0f} s"))
    with Emulator(a.cli, "--daily-limit", str(N - 100)) as emu:
        secs, code, counts = batch(a.cli, emu, "--rate", str(QPS))
        r = row(f"daily limit {N - 100}", secs, emu.statuses(), code, counts,
                goal="100 deferred, exit 13")
        r["met"] = counts["deferred"] == 100 and code == 13
        rows.append(r)
    print()
    print(f"Batch: {N} status operations, emulator --qps {QPS} --latency-ms {LATENCY_MS}")
    print()
    print("| row | seconds | calls | 429s | exit | ok / failed / deferred | goal |")
    print("|---|---:|---:|---:|---:|---|---|")
    for r in rows:
        c = r["counts"] or {}
        counts = f'{c.get("ok", "-")} / {c.get("failed", "-")} / {c.get("deferred", "-")}' if c else "-"
        print(f'| {r["row"]} | {r["seconds"]:.1f} | {r["calls"]} | {r["answered_429"]} '
              f'| {"-" if r["exit"] is None else r["exit"]} | {counts} | {r["goal"]} |')
    Path(a.out).mkdir(parents=True, exist_ok=True)
    (Path(a.out) / "batch_results.json").write_text(json.dumps(rows, indent=2) + "\n")


if __name__ == "__main__":
    main()
