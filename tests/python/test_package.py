"""The installed package: version, files, client properties, repr and context manager."""

from __future__ import annotations

from pathlib import Path

import pytest

import zoomlive
from conftest import (
    ACCOUNT,
    CLIENT_ID,
    MEETING,
    ROOT,
    SECRET,
    TOKEN,
    Emulator,
    cargo_version,
    make_client,
)


def test_version_matches_cargo_toml() -> None:
    assert zoomlive.__version__ == cargo_version()
    assert zoomlive._zoomlive.__version__ == zoomlive.__version__
    assert zoomlive.USER_AGENT == f"zoomlive/{cargo_version()}"


def test_tests_use_the_installed_wheel_not_the_source_tree() -> None:
    installed = Path(zoomlive.__file__).resolve()
    assert "site-packages" in installed.parts, installed
    assert ROOT / "python" not in installed.parents


def test_wheel_ships_an_abi3_module_stubs_and_py_typed() -> None:
    package = Path(zoomlive.__file__).parent
    assert Path(zoomlive._zoomlive.__file__).name.endswith(".abi3.so")
    assert (package / "_zoomlive.pyi").is_file()
    assert (package / "py.typed").is_file()


def test_public_names() -> None:
    for name in zoomlive.__all__:
        assert hasattr(zoomlive, name), name
    for cls in (zoomlive.Client, zoomlive.Livestream):
        assert cls.__doc__
        assert cls.__module__ == "zoomlive._zoomlive"
    assert zoomlive.DEFAULT_BASE_URL == "https://api.zoom.us/v2"
    assert zoomlive.DEFAULT_OAUTH_URL == "https://zoom.us/oauth/token"


def test_public_methods_have_docstrings() -> None:
    for name in dir(zoomlive.Client):
        if not name.startswith("_"):
            assert getattr(zoomlive.Client, name).__doc__, name


def test_default_client_points_at_zoom() -> None:
    client = zoomlive.Client(TOKEN)
    assert client.base_url == "https://api.zoom.us/v2"
    assert client.encoding == "auto"
    assert not client.closed


def test_properties_reflect_the_configuration(emu: Emulator) -> None:
    client = zoomlive.Client(TOKEN, base_url=emu.base_url + "/", encoding="JSON")
    assert client.base_url == emu.base_url  # trailing / dropped
    assert client.encoding == "json"


def test_repr_shows_configuration_never_credentials(emu: Emulator) -> None:
    token_client = zoomlive.Client(TOKEN, base_url=emu.base_url, encoding="json")
    s2s = zoomlive.Client.server_to_server(
        ACCOUNT, CLIENT_ID, SECRET, base_url=emu.base_url, oauth_url=emu.oauth_url
    )
    shown = repr(token_client)
    assert shown == f"<zoomlive.Client base_url='{emu.base_url}' encoding='json' auth='access_token'>"
    assert "server_to_server" in repr(s2s)
    for text in (repr(token_client), str(token_client), repr(s2s), str(s2s)):
        assert TOKEN not in text and SECRET not in text and TOKEN[:12] not in text
    token_client.close()
    assert repr(token_client).endswith(" closed>")


def test_livestream_value_semantics(emu: Emulator, token_client: zoomlive.Client) -> None:
    token_client.update_meeting_livestream(
        MEETING, stream_url="rtmp://x/app", stream_key="secret-stream-key",
        page_url="https://example.com/p", resolution="720p",
    )
    got = token_client.get_meeting_livestream(MEETING)
    assert "secret-stream-key" not in repr(got)
    assert repr(got) == (
        "Livestream(stream_url='rtmp://x/app', stream_key='***', "
        "page_url='https://example.com/p', resolution='720p')"
    )
    same = zoomlive.Livestream(
        stream_url="rtmp://x/app", stream_key="secret-stream-key",
        page_url="https://example.com/p", resolution="720p",
    )
    assert got == same and hash(got) == hash(same)
    assert got != zoomlive.Livestream(stream_url="rtmp://y", stream_key="k", page_url="https://e")
    assert got.to_dict() == {
        "stream_url": "rtmp://x/app", "stream_key": "secret-stream-key",
        "page_url": "https://example.com/p", "resolution": "720p",
    }
    with pytest.raises(AttributeError):
        got.stream_url = "rtmp://changed"  # type: ignore[misc]


def test_context_manager_closes_the_client(emu: Emulator) -> None:
    with make_client(emu) as client:
        assert isinstance(client, zoomlive.Client)
        client.update_meeting_livestream_status(MEETING, "start")
    assert client.closed
    with pytest.raises(RuntimeError, match="closed"):
        client.update_meeting_livestream_status(MEETING, "stop")
    with pytest.raises(RuntimeError):
        client.get_meeting_livestream(MEETING)
    client.close()  # closing again is harmless
    assert len(emu.api_requests()) == 1


def test_context_manager_lets_exceptions_through(emu: Emulator) -> None:
    with pytest.raises(zoomlive.NotFoundError):
        with make_client(emu) as client:
            client.update_meeting_livestream_status(1, "start")
    assert client.closed


def test_clients_cannot_be_subclassed() -> None:
    with pytest.raises(TypeError):
        type("Sub", (zoomlive.Client,), {})


def test_livestream_missing_fields_are_none(emu: Emulator, token_client: zoomlive.Client) -> None:
    emu.fault(path="/livestream", status=200, body='{"stream_url":"rtmp://x/live","stream_key":""}')
    got = token_client.get_meeting_livestream(MEETING)
    assert got.stream_url == "rtmp://x/live"
    assert got.stream_key == ""
    assert got.page_url is None and got.resolution is None
    assert got.to_dict() == {
        "stream_url": "rtmp://x/live", "stream_key": "", "page_url": None, "resolution": None,
    }
    assert repr(got) == (
        "Livestream(stream_url='rtmp://x/live', stream_key='***', page_url=None, resolution=None)"
    )
