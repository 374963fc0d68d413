"""zoomlive.AsyncClient from asyncio: set where several meetings stream to, start their
live streams concurrently, read one back, and stop them.

    ZOOM_ACCESS_TOKEN=... python async_livestream.py MEETING_ID [MEETING_ID...]

ZOOM_BASE_URL, when set, replaces Zoom's API (e.g. the emulator's URL + /v2). Exits 0
when every call succeeded, 1 otherwise (each failure printed on stderr).
"""

from __future__ import annotations

import asyncio
import os
import sys
from typing import List, Sequence

import zoomlive


async def run(token: str, base_url: str | None, meetings: Sequence[int]) -> List[str]:
    """The failures, one line each."""
    failures: List[str] = []
    async with zoomlive.AsyncClient(token, base_url=base_url, max_concurrency=8) as client:
        # At most 8 calls talk to Zoom at once; the event loop keeps running meanwhile.
        await asyncio.gather(
            *(
                client.update_meeting_livestream(
                    meeting,
                    stream_url="rtmp://live.example.com/app",
                    stream_key=f"key-{meeting}",
                    page_url=f"https://example.com/live/{meeting}",
                    resolution="720p",
                )
                for meeting in meetings
            )
        )
        started = await asyncio.gather(
            *(
                client.update_meeting_livestream_status(
                    meeting, "start", active_speaker_name=False, display_name="Town hall"
                )
                for meeting in meetings
            ),
            return_exceptions=True,  # one refusal does not hide the others' outcome
        )
        for meeting, outcome in zip(meetings, started):
            if isinstance(outcome, zoomlive.ZoomLiveError):
                failures.append(f"{meeting}: start: {outcome}")
            elif isinstance(outcome, BaseException):
                raise outcome

        stream: zoomlive.Livestream = await client.get_meeting_livestream(meetings[0])
        print(f"{meetings[0]}: streams to {stream.stream_url} ({stream.resolution}), "
              f"watch at {stream.page_url}")

        for meeting in meetings:
            try:
                await client.update_meeting_livestream_status(meeting, "stop")
            except zoomlive.ApiError as err:  # Zoom said no: status, code, message
                failures.append(f"{meeting}: stop: HTTP {err.status}: {err.message}")
    return failures


def main(argv: Sequence[str]) -> int:
    token = os.environ.get("ZOOM_ACCESS_TOKEN")
    if not token or len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        failures = asyncio.run(run(token, os.environ.get("ZOOM_BASE_URL"), [int(a) for a in argv[1:]]))
    except zoomlive.ZoomLiveError as err:  # never shows the token
        print(f"failed: {err}", file=sys.stderr)
        return 1
    for line in failures:
        print(line, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
