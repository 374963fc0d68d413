"""Constructors of batch operations for :meth:`zoomlive.Client.batch`.

Each returns a dict with the batch CSV file's names, so dicts read from a database or
a CSV work the same way::

    ops = [
        zoomlive.op.start(meeting=68423085, display_name="Town hall", key="row-1"),
        zoomlive.op.stop(webinar=91234567890),
        zoomlive.op.update(meeting=68423085, stream_url="rtmp://a/live",
                           stream_key=key, page_url="https://example.com/live"),
        zoomlive.op.get(meeting=68423085),
    ]
    for result in client.batch(ops):
        print(result.index, result.outcome)

Nothing is checked here: :meth:`Client.batch` checks every operation before it sends any.
"""

from typing import Dict, Optional, Union

__all__ = ["Op", "start", "stop", "update", "get"]

Op = Dict[str, Union[str, int, bool, None]]
"""One batch operation: ``op``, ``kind``, ``id`` and the operation's own fields."""

_Id = Union[int, str]


def _owner(meeting: Optional[_Id], webinar: Optional[_Id]) -> Op:
    if (meeting is None) == (webinar is None):
        raise TypeError("give exactly one of meeting= or webinar=")
    if meeting is not None:
        return {"kind": "meeting", "id": meeting}
    return {"kind": "webinar", "id": webinar}


def _status(
    action: str,
    meeting: Optional[_Id],
    webinar: Optional[_Id],
    display_name: Optional[str],
    active_speaker_name: Optional[bool],
    layout: Optional[str],
    close_caption: Optional[str],
    key: Optional[str],
) -> Op:
    op: Op = {"op": action, **_owner(meeting, webinar)}
    op.update(
        display_name=display_name,
        active_speaker_name=active_speaker_name,
        layout=layout,
        close_caption=close_caption,
        key=key,
    )
    return op


def start(
    *,
    meeting: Optional[_Id] = None,
    webinar: Optional[_Id] = None,
    display_name: Optional[str] = None,
    active_speaker_name: Optional[bool] = None,
    layout: Optional[str] = None,
    close_caption: Optional[str] = None,
    key: Optional[str] = None,
) -> Op:
    """Start a meeting's or webinar's live stream (settings optional; ``layout`` and
    ``close_caption`` are for meetings only)."""
    return _status(
        "start", meeting, webinar, display_name, active_speaker_name, layout, close_caption, key
    )


def stop(*, meeting: Optional[_Id] = None, webinar: Optional[_Id] = None, key: Optional[str] = None) -> Op:
    """Stop a meeting's or webinar's live stream (Zoom takes settings only while a stream
    is stopped, so a stop carries none)."""
    return {"op": "stop", **_owner(meeting, webinar), "key": key}


def update(
    *,
    meeting: Optional[_Id] = None,
    webinar: Optional[_Id] = None,
    stream_url: str,
    stream_key: str,
    page_url: str,
    resolution: Optional[str] = None,
    key: Optional[str] = None,
) -> Op:
    """Set where a meeting or webinar streams to (the stream key never reaches a
    journal, results file or error: only a hash of it does)."""
    return {
        "op": "update",
        **_owner(meeting, webinar),
        "stream_url": stream_url,
        "stream_key": stream_key,
        "page_url": page_url,
        "resolution": resolution,
        "key": key,
    }


def get(*, meeting: Optional[_Id] = None, webinar: Optional[_Id] = None, key: Optional[str] = None) -> Op:
    """Read a meeting's or webinar's live stream configuration (``result.livestream``)."""
    return {"op": "get", **_owner(meeting, webinar), "key": key}
