"""`make bench`: runs every client against the loopback 204 server, prints one table
(markdown) and writes the same figures as JSON under target/bench/.

Started by benches/run.sh (which builds everything first); run with .venv's Python.
Every client is its own process doing the same N calls, so its peak RSS (the OS's
`ru_maxrss`, from wait4) is comparable; in-process latencies come from each client's own
clock around each call; the server counts what it accepted, which is checked after every
run (the right calls, none refused, one keep-alive connection per thread).
"""

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

TOKEN = "eyJhbGciOiJIUzI1NiJ9.FAKE-ZOOM-TOKEN-0123456789abcdef"
MEETING = 68423085
SETTINGS_TEXT = '{"active_speaker_name":false,"display_name":"dolore ullamco irur"}'
STREAM = [
    ("stream_url", "rtmp://a.rtmp.youtube.com/live2"),
    ("stream_key", "auteofficia"),
    ("page_url", "https://example.com/live"),
]
WORKLOADS = ["status-multipart", "status-json", "update-multipart"]
WORKLOAD_TITLES = {
    "status-multipart": "status update, multipart (the seed's call)",
    "status-json": "status update, JSON body",
    "update-multipart": "live-stream update, multipart",
}
CLIENTS = ["raw", "rust", "c", "python", "requests", "urllib3", "curl"]
CLIENT_TITLES = {
    "raw": "raw socket (floor)",
    "rust": "zoomlive Rust",
    "c": "zoomlive C (.so)",
    "python": "zoomlive Python",
    "requests": "requests.Session",
    "urllib3": "urllib3",
    "curl": "curl (1 process)",
}
BENCH_DIR = Path(__file__).resolve().parent


def log(msg):
    print(f"bench: {msg}", file=sys.stderr, flush=True)


def percentile(sorted_values, q):
    """Nearest-rank percentile of an ascending list."""
    if not sorted_values:
        return float("nan")
    k = max(0, min(len(sorted_values) - 1, int(round(q * len(sorted_values) + 0.5)) - 1))
    return sorted_values[k]


class Server:
    def __init__(self, binary):
        self.proc = subprocess.Popen([binary, "serve"], stdout=subprocess.PIPE, text=True)
        self.url = self.proc.stdout.readline().strip()
        if not self.url.startswith("http://"):
            raise SystemExit(f"bench: the server did not start ({self.url!r})")
        self.base = self.url + "/v2"

    def stats(self):
        with urllib.request.urlopen(self.url + "/_stats", timeout=10) as r:
            return json.load(r)

    def stop(self):
        self.proc.kill()
        self.proc.wait()


LAUNCHER = None  # benches/c/rss_launch.c, built by run.sh


def run_measured(argv):
    """Runs argv to completion through the RSS launcher; returns (stdout, wall seconds,
    peak RSS in KiB)."""
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as rss_file:
        start = time.perf_counter()
        proc = subprocess.run([LAUNCHER, rss_file.name, *argv], stdout=subprocess.PIPE)
        wall = time.perf_counter() - start
        if proc.returncode != 0:
            raise SystemExit(f"bench: {argv[0]} {' '.join(argv[1:4])} exited {proc.returncode}")
        rss = int(Path(rss_file.name).read_text())
    return proc.stdout.decode(), wall, rss


def curl_argv(server, workload, count):
    """One curl process making `count` transfers of the workload's call, one after the
    other on one connection: a URL glob over the fragment, which curl never sends, so
    every request is the same and curl keeps one set of options."""
    if workload == "update-multipart":
        url = f"{server.base}/meetings/{MEETING}/livestream"
        body = [a for k, v in STREAM for a in ("--form-string", f"{k}={v}")]
    else:
        url = f"{server.base}/meetings/{MEETING}/livestream/status"
        if workload == "status-json":
            body = ["-H", "Content-Type: application/json"]
            body += ["--data-raw", f'{{"action":"start","settings":{SETTINGS_TEXT}}}']
        else:
            body = ["--form-string", "action=start", "--form-string", f"settings={SETTINGS_TEXT}"]
    return [
        "curl",
        "--silent",
        "--show-error",
        "-X",
        "PATCH",
        "-H",
        f"Authorization: Bearer {TOKEN}",
        "-H",
        "Accept: application/json",
        *body,
        # A 204 has no body, so stdout carries only these lines.
        "--write-out",
        "%{http_code} %{time_total}\\n",
        f"{url}#[1-{count}]",
    ]


def summarize(lat_ns, calls, wall_s):
    lat = sorted(lat_ns)
    return {
        "calls": calls,
        "median_us": statistics.median(lat) / 1e3,
        "p99_us": percentile(lat, 0.99) / 1e3,
        "mean_us": statistics.fmean(lat) / 1e3,
        "throughput_per_s": calls / wall_s if wall_s > 0 else float("nan"),
    }


class Bench:
    def __init__(self, args):
        self.args = args
        self.server = Server(args.bin)
        self.python = sys.executable
        self.results = {"latency": {}, "concurrency": {}, "rss_kib": {}, "checks": []}
        # What every RSS figure carries over from the launcher's fork.
        self.results["launcher_rss_kib"] = run_measured(["true"])[2]

    def check_server(self, before, after, workload, expected, connections, who):
        got = after["requests"][workload] - before["requests"][workload]
        bad = after["bad"] - before["bad"]
        conns = after["connections"] - before["connections"]
        req_bytes = after["bytes"][workload] - before["bytes"][workload]
        if got != expected or bad:
            raise SystemExit(
                f"bench: {who}: the server accepted {got} {workload} calls (expected {expected}), refused {bad}"
            )
        if conns != connections:
            self.results["checks"].append(f"{who}: {conns} connections (expected {connections})")
            log(f"note: {who} used {conns} connections, expected {connections}")
        return {"connections": conns, "request_bytes": req_bytes / max(got, 1)}

    def client_argv(self, client, workload, n, warmup, threads):
        base = self.server.base
        if client == "raw":
            return [self.args.bin, "raw", base, workload, str(n), str(warmup), str(threads)]
        if client == "rust":
            return [self.args.bin, "rust", base, workload, str(n), str(warmup), str(threads)]
        if client == "c":
            return [self.args.capi, base, workload, str(n), str(warmup)]
        lib = {"python": "zoomlive"}.get(client, client)
        script = str(BENCH_DIR / "py" / "client.py")
        return [self.python, script, lib, base, workload, str(n), str(warmup), str(threads)]

    def run_client(self, client, workload, n, warmup, threads=1):
        """One process doing `n` calls; returns its raw samples (see `combine`)."""
        who = f"{client} {workload} x{threads}"
        before = self.server.stats()
        if client == "curl":
            return self.run_curl(workload, n, warmup, before)
        out, wall, rss = run_measured(self.client_argv(client, workload, n, warmup, threads))
        data = json.loads(out)
        after = self.server.stats()
        expected = data["n"] + warmup * threads
        info = self.check_server(before, after, workload, expected, threads, who)
        return dict(info, lat_ns=data["lat_ns"], calls=data["n"], wall_s=data["wall_ns"] / 1e9, rss_kib=rss)

    def run_curl(self, workload, n, warmup, before):
        out, wall_full, rss = run_measured(curl_argv(self.server, workload, warmup + n))
        after = self.server.stats()
        info = self.check_server(before, after, workload, warmup + n, 1, f"curl {workload}")
        # The same process with only the warm-up transfers: its startup and connection
        # are what the full run's wall time has beyond the N calls.
        walls = [run_measured(curl_argv(self.server, workload, warmup))[1] for _ in range(3)]
        lines = out.split()
        codes, times = lines[0::2], lines[1::2]
        if len(codes) != warmup + n or any(c != "204" for c in codes):
            raise SystemExit(f"bench: curl {workload}: unexpected answers")
        lat_ns = [float(t) * 1e9 for t in times[warmup:]]
        wall = wall_full - statistics.median(walls)
        return dict(info, lat_ns=lat_ns, calls=n, wall_s=wall, rss_kib=rss)

    @staticmethod
    def combine(runs):
        """The repetitions of one row as one figure: latencies pooled, throughput = all
        calls / all wall time, RSS the highest."""
        lat = [x for r in runs for x in r["lat_ns"]]
        out = summarize(lat, sum(r["calls"] for r in runs), sum(r["wall_s"] for r in runs))
        out["runs"] = len(runs)
        out["median_us_per_run"] = [round(statistics.median(r["lat_ns"]) / 1e3, 1) for r in runs]
        out["rss_kib"] = max(r["rss_kib"] for r in runs)
        out["connections"] = max(r["connections"] for r in runs)
        out["request_bytes"] = runs[0]["request_bytes"]
        return out

    def measure(self):
        """Every row, repeated `reps` times; the rows of one repetition run one after
        the other so that a burst of load elsewhere on the machine spreads over them."""
        n, nc, warmup, reps = self.args.n, self.args.n_concurrent, self.args.warmup, self.args.reps
        rows = [("latency", w, c, 1, n) for w in WORKLOADS for c in CLIENTS]
        rows += [("concurrency", "status-multipart", c, t, nc) for c in ["raw", "rust", "python"] for t in [1, 2, 4]]
        runs = {row: [] for row in rows}
        for rep in range(reps):
            log(f"repetition {rep + 1} of {reps}")
            for row in rows:
                _, workload, client, threads, calls = row
                runs[row].append(self.run_client(client, workload, calls, warmup, threads))
        for row in rows:
            kind, workload, client, threads, _ = row
            r = self.combine(runs[row])
            if kind == "latency":
                self.results["latency"].setdefault(workload, {})[client] = r
                if workload == "status-multipart":
                    self.results["rss_kib"][client] = r["rss_kib"]
            else:
                self.results["concurrency"].setdefault(client, {})[str(threads)] = r

    def import_times(self):
        def in_process(module):
            """`import module` timed inside a fresh interpreter (its startup excluded)."""
            code = (
                "import time; t = time.perf_counter_ns(); import "
                + module
                + "; print(time.perf_counter_ns() - t)"
            )
            proc = subprocess.run([self.python, "-c", code], capture_output=True, text=True, check=True)
            return int(proc.stdout) / 1e6

        def importtime(module):
            """-X importtime: the module's cumulative time and its costliest imports."""
            proc = subprocess.run(
                [self.python, "-X", "importtime", "-c", f"import {module}"],
                capture_output=True,
                text=True,
                check=True,
            )
            # Children are printed before their parent: the module's own subtree is
            # what comes after the previous top-level line, up to the module's line.
            entries, total = [], None
            for line in proc.stderr.splitlines():
                m = re.match(r"import time:\s*(\d+) \|\s*(\d+) \| (\s*)(\S+)$", line)
                if not m:
                    continue
                entries.append((m.group(4), int(m.group(1)) / 1e3, int(m.group(2)) / 1e3))
                if not m.group(3):
                    if m.group(4) == module:
                        total = int(m.group(2)) / 1e3
                        break
                    entries = []
            if total is None:
                raise SystemExit(f"bench: no import time for {module}")
            top = sorted(entries, key=lambda e: -e[1])[:6]
            return total, [{"module": e[0], "self_ms": e[1], "cumulative_ms": e[2]} for e in top]

        out = {}
        runs = self.args.import_runs
        for module in ["zoomlive", "requests"]:
            in_process(module)  # the first import may write .pyc files
            times = [in_process(module) for _ in range(runs)]
            profiled = [importtime(module) for _ in range(5)]
            median_total = statistics.median(p[0] for p in profiled)
            breakdown = min(profiled, key=lambda p: abs(p[0] - median_total))[1]
            out[module] = {
                "median_ms": statistics.median(times),
                "min_ms": min(times),
                "importtime_cumulative_ms": median_total,
                "importtime_costliest_self": breakdown,
            }
        self.results["import_ms"] = out

    def sizes(self):
        with tempfile.TemporaryDirectory() as tmp:
            so = Path(tmp, "libzoomlive.so")
            shutil.copy(self.args.so, so)
            subprocess.run(["strip", "--strip-all", str(so)], check=True)
            so_size = so.stat().st_size
        site = Path(
            subprocess.run(
                [self.python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                capture_output=True,
                text=True,
                check=True,
            ).stdout.strip()
        )

        def installed(names):
            total = 0
            for name in names:
                for p in site.glob(name):
                    files = p.rglob("*") if p.is_dir() else [p]
                    total += sum(f.stat().st_size for f in files if f.is_file())
            return total

        self.results["sizes"] = {
            "so_stripped_bytes": so_size,
            "wheel_bytes": Path(self.args.wheel).stat().st_size,
            "wheel": Path(self.args.wheel).name,
            "installed_zoomlive_bytes": installed(["zoomlive", "zoomlive-*.dist-info"]),
            "installed_requests_stack_bytes": installed(
                [
                    f"{p}{s}"
                    for p in ["requests", "urllib3", "idna", "certifi", "charset_normalizer"]
                    for s in ["", "-*.dist-info"]
                ]
            ),
        }

    def run(self):
        try:
            self.measure()
        finally:
            self.server.stop()
        log("import times and sizes")
        self.import_times()
        self.sizes()
        return self.results


# ---------------------------------------------------------------------------------
# The table


def fmt_ratio(x):
    if x is None or x != x:
        return "–"
    return f"{x:.2f}x" if x < 10 else f"{x:.1f}x"


def build_rows(res):
    """Rows of (section, client, figure, ratio to floor, ratio to requests)."""
    rows = []
    lat = res["latency"]
    for workload in WORKLOADS:
        w = lat[workload]
        floor, req = w["raw"], w["requests"]
        for client in CLIENTS:
            r = w[client]
            rows.append(
                (
                    f"{WORKLOAD_TITLES[workload]}: latency median / p99; calls/s",
                    CLIENT_TITLES[client],
                    f"{r['median_us']:.1f} µs / {r['p99_us']:.1f} µs; {r['throughput_per_s']:,.0f}/s",
                    r["median_us"] / floor["median_us"],
                    r["median_us"] / req["median_us"],
                )
            )
    floor_t = lat["status-multipart"]["raw"]["throughput_per_s"]
    req_t = lat["status-multipart"]["requests"]["throughput_per_s"]
    for client, by_threads in res["concurrency"].items():
        one = by_threads["1"]["throughput_per_s"]
        for threads, r in by_threads.items():
            t = r["throughput_per_s"]
            rows.append(
                (
                    "threads sharing one client: total calls/s (× 1 thread) [ratios: floor or requests ÷ this]",
                    f"{CLIENT_TITLES[client]} ×{threads}",
                    f"{t:,.0f}/s ({t / one:.2f}×)",
                    floor_t / t,
                    req_t / t,
                )
            )
    rss = res["rss_kib"]
    for client in CLIENTS:
        rows.append(
            (
                "whole-process peak RSS, status update ×N",
                CLIENT_TITLES[client],
                f"{rss[client] / 1024:.1f} MiB",
                rss[client] / rss["raw"],
                rss[client] / rss["requests"],
            )
        )
    imp = res["import_ms"]
    for module in ["zoomlive", "requests"]:
        i = imp[module]
        rows.append(
            (
                "import time, in a fresh interpreter: median (min)",
                f"import {module}",
                f"{i['median_ms']:.1f} ms ({i['min_ms']:.1f} ms)",
                None,
                i["median_ms"] / imp["requests"]["median_ms"],
            )
        )
    s = res["sizes"]
    rows.append(("size", "libzoomlive.so (release, stripped)", f"{s['so_stripped_bytes'] / 1e6:.2f} MB", None, None))
    rows.append(
        (
            "size",
            "wheel (abi3) [vs requests+urllib3+idna+certifi+charset_normalizer installed]",
            f"{s['wheel_bytes'] / 1e6:.2f} MB",
            None,
            s["wheel_bytes"] / s["installed_requests_stack_bytes"],
        )
    )
    return rows


def render_table(res):
    out = ["| measure | client | figure | × floor | × requests |", "|---|---|---|---:|---:|"]
    last = None
    for section, client, figure, r_floor, r_req in build_rows(res):
        shown = section if section != last else ""
        last = section
        out.append(f"| {shown} | {client} | {figure} | {fmt_ratio(r_floor)} | {fmt_ratio(r_req)} |")
    return "\n".join(out)


def targets(res):
    lat = res["latency"]["status-multipart"]
    conc = res["concurrency"]
    imp = res["import_ms"]["zoomlive"]["median_ms"]
    rss = res["rss_kib"]
    floor = lat["raw"]["median_us"]
    checks = [
        ("Rust call within 1.3x of the raw-socket floor", lat["rust"]["median_us"] / floor, "<=", 1.3),
        ("C call within 1.3x of the raw-socket floor", lat["c"]["median_us"] / floor, "<=", 1.3),
        ("Python call within 1.2x of the Rust call", lat["python"]["median_us"] / lat["rust"]["median_us"], "<=", 1.2),
        (
            "Python call at least 5x faster than requests",
            lat["requests"]["median_us"] / lat["python"]["median_us"],
            ">=",
            5.0,
        ),
        ("import zoomlive under 10 ms", imp, "<", 10.0),
        ("Python client peak RSS below requests'", rss["python"] / rss["requests"], "<", 1.0),
    ]
    for client in ["rust", "python"]:
        speedup = conc[client]["2"]["throughput_per_s"] / conc[client]["1"]["throughput_per_s"]
        checks.append((f"{client}: 2 threads >= 1.6x the throughput of 1", speedup, ">=", 1.6))
    out = []
    for name, value, op, limit in checks:
        met = value <= limit if op == "<=" else value >= limit if op == ">=" else value < limit
        out.append({"target": name, "value": round(value, 3), "limit": f"{op} {limit}", "met": met})
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True, help="the zoomlive_bench binary")
    ap.add_argument("--capi", required=True, help="the C client")
    ap.add_argument("--so", required=True, help="the release libzoomlive.so")
    ap.add_argument("--launcher", required=True, help="benches/c/rss_launch.c, built")
    ap.add_argument("--wheel", required=True)
    ap.add_argument("--out", default="target/bench")
    ap.add_argument("--n", type=int, default=int(os.environ.get("BENCH_N", "2000")))
    ap.add_argument("--n-concurrent", type=int, default=int(os.environ.get("BENCH_N_CONCURRENT", "6000")))
    ap.add_argument("--reps", type=int, default=int(os.environ.get("BENCH_REPS", "3")))
    ap.add_argument("--warmup", type=int, default=100)
    ap.add_argument("--import-runs", type=int, default=15)
    ap.add_argument("--build-seconds", type=float, default=None)
    args = ap.parse_args()

    global LAUNCHER
    LAUNCHER = args.launcher
    started = time.time()
    res = Bench(args).run()
    res["targets"] = targets(res)
    res["meta"] = {
        "n": args.n,
        "n_concurrent": args.n_concurrent,
        "reps": args.reps,
        "warmup": args.warmup,
        "cpus": os.cpu_count(),
        "machine": platform.machine(),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "curl": subprocess.run(["curl", "--version"], capture_output=True, text=True).stdout.split("\n")[0],
        "build_seconds": args.build_seconds,
        "measure_seconds": round(time.time() - started, 1),
        "date": time.strftime("%Y-%m-%d %H:%M:%S %z"),
    }
    table = render_table(res)
    out_dir = Path(args.out)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "results.json").write_text(json.dumps(res, indent=2) + "\n")
    (out_dir / "table.md").write_text(table + "\n")

    print(table)
    print()
    print(
        f"Each row: {args.reps} runs (processes) of N = {args.n} sequential calls after "
        f"{args.warmup} warm-up calls, latencies pooled; threads rows: {args.n_concurrent} calls "
        f"per run in all. × floor / × requests: the row's figure ÷ the raw-socket "
        "floor's / requests' (latency, RSS, import, size: lower is better; threads rows: "
        "the reference's calls/s ÷ this row's, so lower is better too)."
    )
    print()
    for t in res["targets"]:
        print(f"  [{'met' if t['met'] else 'MISSED'}] {t['target']}: {t['value']} (goal {t['limit']})")
    raw = res["concurrency"]["raw"]
    print(
        "  context: the raw-socket floor itself scales "
        f"{raw['2']['throughput_per_s'] / raw['1']['throughput_per_s']:.2f}x with 2 threads and "
        f"{raw['4']['throughput_per_s'] / raw['1']['throughput_per_s']:.2f}x with 4 on this "
        f"{os.cpu_count()}-CPU machine (the server shares the CPUs); RSS figures include "
        f"{res['launcher_rss_kib'] / 1024:.1f} MiB carried over from the launcher's fork."
    )
    top = res["import_ms"]["zoomlive"]["importtime_costliest_self"]
    print(
        "  import zoomlive under -X importtime: "
        f"{res['import_ms']['zoomlive']['importtime_cumulative_ms']:.1f} ms; costliest (self): "
        + ", ".join(f"{e['module']} {e['self_ms']:.1f} ms" for e in top)
    )
    for c in res["checks"]:
        print(f"  note: {c}")
    print(f"\nJSON: {out_dir / 'results.json'}; table: {out_dir / 'table.md'}")


if __name__ == "__main__":
    main()
