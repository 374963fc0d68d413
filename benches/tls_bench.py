"""The TLS rows of `make bench` (run by benches/run.sh after bench.py).

Against loopback HTTPS servers with a local CA (`zoomlive_bench tls-rig`: the API on
127.0.0.1, the OAuth token endpoint on 127.0.0.2):

- cold one-shot calls: one process per call (create a client, one status update, exit)
  for the C library (benches/c/once.c), the CLI, Python and curl; bearer token and
  Server-to-Server OAuth (token fetched in the same process; the CLI with
  --no-token-cache). Clients take turns, run after run, so drift hits all alike.
- round trips per cold call, counted by the rig's relay, which delays every packet
  (ONE_WAY ms each way) and counts what each segment waited for; also the CLI with its
  token already in its cache folder.
- warm keep-alive calls over TLS: N calls on one connection (bench_capi, the Python
  client, curl with a URL glob).

Prints a table and writes target/bench/tls_results.json.

    python tls_bench.py --bin ZOOMLIVE_BENCH --once ONCE --cli ZOOMLIVE --capi BENCH_CAPI --out DIR
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

TOKEN = "eyJhbGciOiJIUzI1NiJ9.FAKE-ZOOM-TOKEN-0123456789abcdef"
MEETING = "68423085"
SETTINGS = '{"active_speaker_name":false,"display_name":"dolore ullamco irur"}'
ONE_WAY_MS = 25
HERE = os.path.dirname(os.path.abspath(__file__))

PY_ONCE = """
import sys, zoomlive
base, ca, mode = sys.argv[1:4]
kw = dict(base_url=base, extra_ca_file=ca, encoding="multipart")
if mode == "s2s":
    c = zoomlive.Client.server_to_server("acct", "cid", "bench-secret", oauth_url=sys.argv[4], **kw)
else:
    c = zoomlive.Client(sys.argv[5], **kw)
c.update_meeting_livestream_status(%s, "start", active_speaker_name=False, display_name="dolore ullamco irur")
""" % MEETING


class Rig:
    def __init__(self, binary, out):
        self.proc = subprocess.Popen(
            [binary, "tls-rig", str(ONE_WAY_MS), out],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.urls = json.loads(self.proc.stdout.readline())

    def command(self, what):
        self.proc.stdin.write(what + "\n")
        self.proc.stdin.flush()
        return self.proc.stdout.readline().strip()

    def close(self):
        self.proc.stdin.close()
        self.proc.wait(timeout=10)


def argv_for(client, mode, api, oauth, ca, args, cache_dir):
    """The command making one cold call; `cache_dir` (CLI only): keep the token there."""
    if client == "c":
        return [args.once, api, ca, mode] + ([oauth] if mode == "s2s" else [])
    if client == "python":
        return [sys.executable, "-c", PY_ONCE, api, ca, mode, oauth, TOKEN]
    if client == "cli":
        cache = ["--token-cache-dir", cache_dir] if cache_dir else ["--no-token-cache"]
        return [
            args.cli, "--base-url", api, "--oauth-url", oauth, "--extra-ca-file", ca,
            "--encoding", "multipart", *cache,
            "meeting-status", MEETING, "start", "--settings", SETTINGS,
        ]
    patch = [
        "-sSf", "--cacert", ca, "-o", "/dev/null", "-X", "PATCH", "-H", "Accept: application/json",
        "-F", "action=start", "-F", f"settings={SETTINGS}",
        f"{api}/meetings/{MEETING}/livestream/status",
    ]
    if mode == "bearer":
        return ["curl", "-H", f"Authorization: Bearer {TOKEN}", *patch]
    token = [
        "-sSf", "--cacert", ca, "-o", "/dev/null", "-u", "cid:bench-secret", "-d", "grant_type=account_credentials", "-d", "account_id=acct",
        oauth,
    ]
    # Two transfers in one process, as a script would do it (the API accepts the bearer).
    return ["curl", *token, "--next", "-H", f"Authorization: Bearer {TOKEN}", *patch]


def env_for(client, mode):
    env = dict(os.environ)
    for k in ["ZOOM_ACCESS_TOKEN", "ZOOM_ACCOUNT_ID", "ZOOM_CLIENT_ID", "ZOOM_CLIENT_SECRET"]:
        env.pop(k, None)
    if client == "cli":
        if mode == "s2s":
            env.update(ZOOM_ACCOUNT_ID="acct", ZOOM_CLIENT_ID="cid", ZOOM_CLIENT_SECRET="bench-secret")
        else:
            env["ZOOM_ACCESS_TOKEN"] = TOKEN
    return env


def run_once(argv, env):
    """Runs argv (posix_spawn: little overhead from this process) with stdout discarded;
    returns its wall time in seconds."""
    with open(os.devnull, "wb") as null, tempfile.TemporaryFile() as err:
        actions = [
            (os.POSIX_SPAWN_DUP2, null.fileno(), 0),
            (os.POSIX_SPAWN_DUP2, null.fileno(), 1),
            (os.POSIX_SPAWN_DUP2, err.fileno(), 2),
        ]
        t0 = time.perf_counter()
        pid = os.posix_spawnp(argv[0], argv, env, file_actions=actions)
        _, status = os.waitpid(pid, 0)
        took = time.perf_counter() - t0
        if os.waitstatus_to_exitcode(status) != 0:
            err.seek(0)
            raise SystemExit(f"tls_bench: {argv[0]} failed: {err.read()[-500:]!r}")
    return took


CLIENTS = ["c", "cli", "python", "curl"]
NAMES = {"c": "zoomlive C (one-shot .so)", "cli": "zoomlive CLI", "python": "zoomlive Python", "curl": "curl"}
GOALS = {"bearer": 3, "s2s": 4, "s2s-cached": 3}


def main():
    ap = argparse.ArgumentParser()
    for name in ["bin", "once", "cli", "capi", "out"]:
        ap.add_argument(f"--{name}", required=True)
    ap.add_argument("--n", type=int, default=int(os.environ.get("BENCH_TLS_N", "20")))
    ap.add_argument("--warm-n", type=int, default=500)
    args = ap.parse_args()
    rig = Rig(args.bin, args.out)
    u = rig.urls
    res = {"one_way_ms": ONE_WAY_MS, "n": args.n, "cold_ms": {}, "round_trips": {}, "warm_us": {}}
    try:
        # Cold one-shot calls, straight to the servers.
        times = {(c, m): [] for m in ["bearer", "s2s"] for c in CLIENTS}
        for _ in range(2):  # warm the page cache
            for (c, m) in times:
                run_once(argv_for(c, m, u["api"], u["oauth"], u["ca"], args, None), env_for(c, m))
        for _ in range(args.n):
            for (c, m) in times:
                argv = argv_for(c, m, u["api"], u["oauth"], u["ca"], args, None)
                times[(c, m)].append(run_once(argv, env_for(c, m)))
        base = sorted(run_once(["true"], dict(os.environ)) for _ in range(args.n * 4))
        res["process_start_ms"] = statistics.median(base) * 1e3
        for (c, m), ts in times.items():
            ts.sort()
            res["cold_ms"][f"{c}/{m}"] = {
                "median": statistics.median(ts) * 1e3,
                "p90": ts[int(0.9 * (len(ts) - 1))] * 1e3,
                "min": ts[0] * 1e3,
            }
        # Round trips through the delaying relay.
        with tempfile.TemporaryDirectory() as cache:
            runs = [(c, m, None) for m in ["bearer", "s2s"] for c in CLIENTS]
            runs.append(("cli", "s2s", cache))  # fills the cache
            runs.append(("cli", "s2s-cached", cache))
            for c, m, cache_dir in runs:
                mode = "s2s" if m.startswith("s2s") else m
                argv = argv_for(c, mode, u["relay_api"], u["relay_oauth"], u["ca"], args, cache_dir)
                rig.command("reset")
                took = run_once(argv, env_for(c, mode))
                count = json.loads(rig.command("count"))
                if cache_dir and m == "s2s":
                    continue
                res["round_trips"][f"{c}/{m}"] = {
                    "round_trips": count["round_trips"],
                    "connections": count["connections"],
                    "ms": took * 1e3,
                }
        # Warm keep-alive calls over TLS on one connection.
        env = dict(os.environ, SSL_CERT_FILE=u["ca"], CURL_CA_BUNDLE=u["ca"])
        n, warm = args.warm_n, 50
        outs = {
            "c": [args.capi, u["api"], "status-multipart", str(n), str(warm)],
            "python": [sys.executable, os.path.join(HERE, "py", "client.py"), "zoomlive", u["api"],
                       "status-multipart", str(n), str(warm), "1"],
        }
        for c, argv in outs.items():
            out = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=300, check=True)
            lat = sorted(json.loads(out.stdout.strip().splitlines()[-1])["lat_ns"])
            res["warm_us"][c] = {"median": statistics.median(lat) / 1e3, "p99": lat[int(0.99 * (len(lat) - 1))] / 1e3}
        # curl: n transfers of one process on one kept-alive connection (a URL glob over
        # the fragment, which curl never sends); per call = wall / n.
        url = f"{u['api']}/meetings/{MEETING}/livestream/status#[1-{n}]"
        argv = [
            "curl", "-sS", "--cacert", u["ca"], "-X", "PATCH",
            "-H", f"Authorization: Bearer {TOKEN}", "-H", "Accept: application/json",
            "-F", "action=start", "-F", f"settings={SETTINGS}", url,
        ]
        t0 = time.perf_counter()
        subprocess.run(argv, capture_output=True, timeout=300, check=True)
        res["warm_us"]["curl"] = {"median": (time.perf_counter() - t0) / n * 1e6, "p99": None}
    finally:
        rig.close()
    with open(os.path.join(args.out, "tls_results.json"), "w") as f:
        json.dump(res, f, indent=1)
    print(render(res))


def render(res):
    lines = [
        f"TLS 1.3 on loopback (local CA); cold: one process per call, median / p90 of {res['n']} runs; "
        f"round trips counted by a relay delaying every packet {res['one_way_ms']} ms each way",
        "",
        "| measure | client | bearer token | Server-to-Server OAuth |",
        "|---|---|---|---|",
    ]
    lines.append(f"| starting a process (`true`), in every cold figure | | {res['process_start_ms']:.1f} ms | |")
    cold = res["cold_ms"]
    for c in CLIENTS:
        b, s = cold[f"{c}/bearer"], cold[f"{c}/s2s"]
        lines.append(
            f"| cold one-shot call: median / p90 (min) | {NAMES[c]} | "
            f"{b['median']:.1f} / {b['p90']:.1f} ({b['min']:.1f}) ms | "
            f"{s['median']:.1f} / {s['p90']:.1f} ({s['min']:.1f}) ms |"
        )
    rt = res["round_trips"]
    for c in CLIENTS:
        b, s = rt[f"{c}/bearer"], rt[f"{c}/s2s"]
        lines.append(
            f"| round trips per cold call (connections) | {NAMES[c]} | {b['round_trips']} ({b['connections']}) | "
            f"{s['round_trips']} ({s['connections']}) |"
        )
    cc = rt["cli/s2s-cached"]
    lines.append(f"| round trips, token in the CLI's cache | {NAMES['cli']} | | {cc['round_trips']} ({cc['connections']}) |")
    for c, w in res["warm_us"].items():
        p99 = f" / {w['p99']:.1f} µs" if w["p99"] is not None else " (wall ÷ calls)"
        name = {"c": "zoomlive C (.so)"}.get(c, NAMES[c])
        lines.append(f"| warm keep-alive call (median / p99) | {name} | {w['median']:.1f} µs{p99} | |")
    lines += ["", "Goals:"]
    for key, goal in [("c/bearer", 3), ("c/s2s", 4), ("cli/s2s", 4), ("python/s2s", 4), ("cli/s2s-cached", 3)]:
        got = rt[key]["round_trips"]
        lines.append(f"- {key}: {got} round trips (goal at most {goal}): {'met' if got <= goal else 'NOT met'}")
    for m in ["bearer", "s2s"]:
        c, k = cold[f"c/{m}"]["median"], cold[f"curl/{m}"]["median"]
        lines.append(
            f"- C cold one-shot {m}: {c:.1f} ms vs curl {k:.1f} ms = {c / k:.2f}x "
            f"(goal at most 0.50x): {'met' if c <= k / 2 else 'NOT met'}"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
