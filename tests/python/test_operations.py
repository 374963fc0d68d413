"""Every operation, for both auth modes and both encodings, checked against what the
emulator received and the state it keeps."""

from __future__ import annotations

import enum

import pytest

import zoomlive
from conftest import MEETING, WEBINAR, Emulator, make_client, sent_settings

# Every test runs against the sync client and, through conftest.AsyncAsSync, against
# zoomlive.AsyncClient.
pytestmark = pytest.mark.usefixtures("face")


def test_start_meeting_stream_with_settings(
    emu: Emulator, client: zoomlive.Client, encoding: str
) -> None:
    result = client.update_meeting_livestream_status(
        MEETING, "start", active_speaker_name=False, display_name="dolore ullamco irur"
    )
    assert result is None
    (req,) = emu.api_requests()
    assert req["method"] == "PATCH"
    assert req["path"] == f"/v2/meetings/{MEETING}/livestream/status"
    assert req["encoding"] == encoding
    assert req["status"] == 204
    assert req["fields"]["action"] == "start"
    assert sent_settings(req) == {
        "active_speaker_name": False,
        "display_name": "dolore ullamco irur",
    }
    assert req["authorization"] == "Bearer ***"
    assert req["user_agent"] == zoomlive.USER_AGENT
    assert req["user_agent"].startswith("zoomlive/")
    assert "application/json" in req["accept"]
    stream = emu.streams()[f"meeting:{MEETING}"]
    assert stream["live"] is True
    assert stream["settings"]["display_name"] == "dolore ullamco irur"


def test_stop_meeting_stream_sends_only_the_action(
    emu: Emulator, client: zoomlive.Client
) -> None:
    client.update_meeting_livestream_status(str(MEETING), "start")
    client.update_meeting_livestream_status(str(MEETING), "STOP")
    start, stop = emu.api_requests()
    assert start["fields"] == {"action": "start"}
    assert stop["fields"] == {"action": "stop"}
    assert emu.streams()[f"meeting:{MEETING}"]["live"] is False


def test_meeting_layout_and_close_caption(emu: Emulator, client: zoomlive.Client) -> None:
    client.update_meeting_livestream_status(
        MEETING, "start", layout="follow_host", close_caption="burnt-in"
    )
    (req,) = emu.api_requests()
    assert sent_settings(req) == {"layout": "follow_host", "close_caption": "burnt-in"}


def test_webinar_status_start_and_stop(emu: Emulator, client: zoomlive.Client) -> None:
    client.update_webinar_livestream_status(
        WEBINAR, "start", active_speaker_name=True, display_name="Town hall"
    )
    assert emu.streams()[f"webinar:{WEBINAR}"]["live"] is True
    client.update_webinar_livestream_status(str(WEBINAR), "stop")
    start, stop = emu.api_requests()
    assert start["path"] == f"/v2/webinars/{WEBINAR}/livestream/status"
    assert sent_settings(start) == {"active_speaker_name": True, "display_name": "Town hall"}
    assert stop["fields"] == {"action": "stop"}
    assert emu.streams()[f"webinar:{WEBINAR}"]["live"] is False


def test_update_and_get_meeting_stream(
    emu: Emulator, client: zoomlive.Client, encoding: str
) -> None:
    result = client.update_meeting_livestream(
        MEETING,
        stream_url="rtmp://a.rtmp.youtube.com/live2",
        stream_key="abcd-efgh-ijkl-mnop",
        page_url="https://example.com/live/68423085?x=a+b&y=c",
        resolution="1080p",
    )
    assert result is None
    (req,) = emu.api_requests()
    assert req["method"] == "PATCH"
    assert req["path"] == f"/v2/meetings/{MEETING}/livestream"
    assert req["encoding"] == encoding
    assert req["fields"] == {
        "stream_url": "rtmp://a.rtmp.youtube.com/live2",
        "stream_key": "***",  # the request log hides stream keys; read back below
        "page_url": "https://example.com/live/68423085?x=a+b&y=c",
        "resolution": "1080p",
    }
    got = client.get_meeting_livestream(MEETING)
    assert isinstance(got, zoomlive.Livestream)
    assert got.stream_url == "rtmp://a.rtmp.youtube.com/live2"
    assert got.stream_key == "abcd-efgh-ijkl-mnop"
    assert got.page_url == "https://example.com/live/68423085?x=a+b&y=c"
    assert got.resolution == "1080p"
    assert emu.api_requests()[-1]["method"] == "GET"


def test_update_and_get_webinar_stream(emu: Emulator, client: zoomlive.Client) -> None:
    client.update_webinar_livestream(
        str(WEBINAR),
        stream_url="rtmp://live.example.net/app",
        stream_key="webinar-key",
        page_url="https://example.com/webinar",
    )
    (req,) = emu.api_requests()
    assert req["path"] == f"/v2/webinars/{WEBINAR}/livestream"
    assert "resolution" not in req["fields"]
    got = client.get_webinar_livestream(WEBINAR)
    assert got == zoomlive.Livestream(
        stream_url="rtmp://live.example.net/app",
        stream_key="webinar-key",
        page_url="https://example.com/webinar",
    )
    assert got.resolution is None


def test_settings_as_dict_json_text_and_keywords_that_win(
    emu: Emulator, token_client: zoomlive.Client
) -> None:
    token_client.update_meeting_livestream_status(
        MEETING, "start", settings={"active_speaker_name": True, "future_key": {"x": [1, 2]}}
    )
    token_client.update_meeting_livestream_status(MEETING, "stop")
    token_client.update_meeting_livestream_status(
        MEETING,
        "start",
        settings='{"active_speaker_name":false,"display_name":"from json"}',
        display_name="keyword wins",
    )
    first, _, third = emu.api_requests()
    assert sent_settings(first) == {"active_speaker_name": True, "future_key": {"x": [1, 2]}}
    assert sent_settings(third) == {"active_speaker_name": False, "display_name": "keyword wins"}


def test_empty_settings_send_no_settings_field(
    emu: Emulator, token_client: zoomlive.Client
) -> None:
    token_client.update_meeting_livestream_status(MEETING, "start", settings={})
    token_client.update_meeting_livestream_status(MEETING, "stop", settings=None)
    assert [r["fields"] for r in emu.api_requests()] == [{"action": "start"}, {"action": "stop"}]


class Ids(enum.IntEnum):
    SEED = MEETING


@pytest.mark.parametrize("meeting_id", [MEETING, str(MEETING), Ids.SEED], ids=["int", "str", "IntEnum"])
def test_meeting_id_as_int_str_or_int_subclass(
    emu: Emulator, token_client: zoomlive.Client, meeting_id: object
) -> None:
    token_client.update_meeting_livestream_status(meeting_id, "start")  # type: ignore[arg-type]
    (req,) = emu.api_requests()
    assert req["path"] == f"/v2/meetings/{MEETING}/livestream/status"


def test_big_webinar_ids_keep_every_digit(emu: Emulator, token_client: zoomlive.Client) -> None:
    with pytest.raises(zoomlive.NotFoundError):
        token_client.get_webinar_livestream(2**64 - 1)
    (req,) = emu.api_requests()
    assert req["path"] == "/v2/webinars/18446744073709551615/livestream"


def test_server_to_server_fetches_one_token_and_reuses_it(s2s_emu: Emulator) -> None:
    emu = s2s_emu
    with make_client(emu, "s2s") as client:
        client.update_meeting_livestream_status(MEETING, "start")
        client.update_meeting_livestream_status(MEETING, "stop")
        client.get_meeting_livestream(MEETING)
    (token_req,) = emu.token_requests()
    assert token_req["method"] == "POST"
    assert token_req["authorization"] == "Basic ***"
    assert token_req["fields"] == {
        "grant_type": "account_credentials",
        "account_id": "demo-account",
    }
    assert [r["status"] for r in emu.api_requests()] == [204, 204, 200]


def test_server_to_server_refreshes_a_refused_token(s2s_emu: Emulator) -> None:
    emu = s2s_emu
    with make_client(emu, "s2s") as client:
        client.update_meeting_livestream_status(MEETING, "start")
        emu.expire_tokens()
        client.update_meeting_livestream_status(MEETING, "stop")
    assert len(emu.token_requests()) == 2
    assert [r["status"] for r in emu.api_requests()] == [204, 401, 204]


def test_json_only_emulator_accepts_json_and_refuses_multipart(
    make_emulator: object,
) -> None:
    emu = make_emulator("--json-only")  # type: ignore[operator]
    with make_client(emu, encoding="json") as client:
        client.update_meeting_livestream_status(MEETING, "start", display_name="JSON")
    with make_client(emu, encoding="multipart") as client:
        with pytest.raises(zoomlive.ApiError) as caught:
            client.update_meeting_livestream_status(MEETING, "stop")
    assert type(caught.value) is zoomlive.ApiError
    # Zoom's answer to form data: HTTP 415, code 300.
    assert caught.value.status == 415
    assert caught.value.code == 300
    assert caught.value.message == "Unsupported Content Type"


def test_rate_limit_within_the_wait_cap_is_retried(emu: Emulator) -> None:
    emu.fault(status=429, code=429, message="Too many requests.", retry_after="1", times=1)
    with make_client(emu) as client:
        client.update_meeting_livestream_status(MEETING, "start")
    assert [r["status"] for r in emu.api_requests()] == [429, 204]
