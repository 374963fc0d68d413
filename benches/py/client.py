"""The Python clients of `make bench`: N calls through zoomlive (the wheel), a
`requests.Session` or a `urllib3` pool, timed one by one.

    python client.py LIB BASE_URL WORKLOAD N WARMUP THREADS

LIB: zoomlive | requests | urllib3. Only LIB is imported, so the process's peak RSS is
that library's. Prints {"n", "threads", "wall_ns", "lat_ns": [...]} like the others.
"""

import json
import sys
import threading
import time

TOKEN = "eyJhbGciOiJIUzI1NiJ9.FAKE-ZOOM-TOKEN-0123456789abcdef"
MEETING = 68423085
DISPLAY_NAME = "dolore ullamco irur"
SETTINGS = {"active_speaker_name": False, "display_name": DISPLAY_NAME}
SETTINGS_TEXT = json.dumps(SETTINGS, separators=(",", ":"))
STREAM = {
    "stream_url": "rtmp://a.rtmp.youtube.com/live2",
    "stream_key": "auteofficia",
    "page_url": "https://example.com/live",
}
HEADERS = {"Authorization": f"Bearer {TOKEN}", "Accept": "application/json"}


def zoomlive_call(base_url, workload, threads):
    import zoomlive

    encoding = "json" if workload == "status-json" else "multipart"
    client = zoomlive.Client(TOKEN, base_url=base_url, encoding=encoding)
    if workload == "update-multipart":
        return lambda: client.update_meeting_livestream(MEETING, **STREAM)
    return lambda: client.update_meeting_livestream_status(
        MEETING, "start", active_speaker_name=False, display_name=DISPLAY_NAME
    )


def requests_call(base_url, workload, threads):
    import requests

    session = requests.Session()
    if threads > 1:
        adapter = requests.adapters.HTTPAdapter(pool_maxsize=threads)
        session.mount("http://", adapter)
    status_url = f"{base_url}/meetings/{MEETING}/livestream/status"
    update_url = f"{base_url}/meetings/{MEETING}/livestream"
    status_files = {"action": (None, "start"), "settings": (None, SETTINGS_TEXT)}
    stream_files = {k: (None, v) for k, v in STREAM.items()}
    body = {"action": "start", "settings": SETTINGS}

    def check(r):
        if r.status_code != 204:
            raise SystemExit(f"requests: HTTP {r.status_code}")

    if workload == "status-multipart":
        return lambda: check(session.patch(status_url, files=status_files, headers=HEADERS))
    if workload == "status-json":
        return lambda: check(session.patch(status_url, json=body, headers=HEADERS))
    return lambda: check(session.patch(update_url, files=stream_files, headers=HEADERS))


def urllib3_call(base_url, workload, threads):
    import urllib3

    host_port = base_url.split("://", 1)[1].split("/", 1)[0]
    host, port = host_port.rsplit(":", 1)
    prefix = "/" + base_url.split("://", 1)[1].split("/", 1)[1]
    pool = urllib3.HTTPConnectionPool(host, int(port), maxsize=threads, block=True)
    status_path = f"{prefix}/meetings/{MEETING}/livestream/status"
    update_path = f"{prefix}/meetings/{MEETING}/livestream"
    status_fields = {"action": "start", "settings": SETTINGS_TEXT}
    body = {"action": "start", "settings": SETTINGS}

    def check(r):
        if r.status != 204:
            raise SystemExit(f"urllib3: HTTP {r.status}")

    if workload == "status-multipart":
        return lambda: check(
            pool.request("PATCH", status_path, fields=status_fields, headers=HEADERS)
        )
    if workload == "status-json":
        return lambda: check(pool.request("PATCH", status_path, json=body, headers=HEADERS))
    return lambda: check(pool.request("PATCH", update_path, fields=STREAM, headers=HEADERS))


def main():
    lib, base_url, workload = sys.argv[1], sys.argv[2], sys.argv[3]
    n, warmup, threads = (int(a) for a in sys.argv[4:7])
    make = {"zoomlive": zoomlive_call, "requests": requests_call, "urllib3": urllib3_call}[lib]
    call = make(base_url, workload, threads)
    per_thread = n // threads
    barrier = threading.Barrier(threads + 1)
    results = [None] * threads
    clock = time.perf_counter_ns

    def worker(i):
        for _ in range(warmup):
            call()
        barrier.wait()
        lat = []
        append = lat.append
        for _ in range(per_thread):
            t = clock()
            call()
            append(clock() - t)
        results[i] = lat

    if threads == 1:
        # On the main thread, as a script would call it.
        for _ in range(warmup):
            call()
        lat = []
        start = clock()
        for _ in range(per_thread):
            t = clock()
            call()
            lat.append(clock() - t)
        wall = clock() - start
        results = [lat]
    else:
        workers = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
        for w in workers:
            w.start()
        barrier.wait()
        start = clock()
        for w in workers:
            w.join()
        wall = clock() - start
    lat = [x for r in results for x in r]
    print(json.dumps({"n": len(lat), "threads": threads, "wall_ns": wall, "lat_ns": lat}))


if __name__ == "__main__":
    main()
