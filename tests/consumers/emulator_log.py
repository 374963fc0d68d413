"""The emulator's control API for run.sh: reset it, or compare its request log.

    emulator_log.py URL reset
    emulator_log.py URL expect SPEC_JSON

SPEC_JSON is a list with one object per request expected, in order: "method", "path",
"status", "fields" (each field given must have that value in the log, which shows a
stream key as "***") and "stored" (each field given must be what Zoom's GET of the live
stream at that path answers now, with the token in ZOOM_ACCESS_TOKEN). Exits 1 and says
what differs when the log does not match; the log's redacted authorization must be
"Bearer ***".
"""
import json
import os
import sys
import urllib.request


def call(url, method="GET"):
    req = urllib.request.Request(url, method=method)
    with urllib.request.urlopen(req, timeout=10) as resp:
        body = resp.read().decode("utf-8")
    return json.loads(body) if body else None


def livestream(base, path):
    """Zoom's GET of the live stream at PATH (the stream key included)."""
    token = os.environ["ZOOM_ACCESS_TOKEN"]
    headers = {"Authorization": "Bearer " + token, "Accept": "application/json"}
    req = urllib.request.Request(base + path, headers=headers)
    with urllib.request.urlopen(req, timeout=10) as resp:
        return json.loads(resp.read().decode("utf-8"))


def main():
    base, command = sys.argv[1], sys.argv[2]
    if command == "reset":
        call(base + "/_emulator/reset", "POST")
        return 0
    spec = json.loads(sys.argv[3])
    log = call(base + "/_emulator/requests")
    problems = []
    if len(log) != len(spec):
        problems.append(f"{len(log)} requests received, {len(spec)} expected")
    for i, (want, got) in enumerate(zip(spec, log)):
        for key in ("method", "path", "status"):
            if key in want and got.get(key) != want[key]:
                problems.append(f"request {i + 1}: {key} {got.get(key)!r}, expected {want[key]!r}")
        for name, value in want.get("fields", {}).items():
            if got["fields"].get(name) != value:
                problems.append(
                    f"request {i + 1}: field {name} {got['fields'].get(name)!r}, expected {value!r}"
                )
        stored = livestream(base, want["path"]) if "stored" in want else {}
        for name, value in want.get("stored", {}).items():
            if stored.get(name) != value:
                problems.append(
                    f"request {i + 1}: stored {name} {stored.get(name)!r}, expected {value!r}"
                )
        if got.get("authorization") != "Bearer ***":
            problems.append(f"request {i + 1}: authorization {got.get('authorization')!r}")
    for p in problems:
        print("   ", p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
