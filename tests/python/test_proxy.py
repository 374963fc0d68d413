"""Proxies from Python (issue 18): the keywords, ``proxy_for``, ``ProxyAuthError``, and
real proxies (tests/proxy/rig.py: squid with NTLM and Basic, and a proxy that checks
the NTLM password with pyspnego) in front of an HTTPS API only they can resolve."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any, Dict, Iterator

import pytest

import zoomlive

from conftest import MEETING, ROOT, TOKEN


def test_proxy_for_and_the_keywords() -> None:
    c = zoomlive.Client(TOKEN, proxy="http://me:pw-12345@corp-proxy:8080", no_proxy="intra.example")
    assert c.proxy_for("https://api.zoom.us") == {
        "proxy": "http://corp-proxy:8080",
        "source": "explicit",
    }
    assert c.proxy_for("https://x.intra.example/v2") == {
        "proxy": None,
        "source": "bypass:intra.example",
    }
    assert c.proxy_for("http://127.0.0.1:9/v2") == {"proxy": None, "source": "loopback"}
    assert "pw-12345" not in repr(c)
    direct = zoomlive.Client(TOKEN, proxy="direct", system_proxy=False)
    assert direct.proxy_for("https://api.zoom.us") == {"proxy": None, "source": "explicit"}
    s2s = zoomlive.Client.server_to_server(
        "a", "b", "c", proxy="http://p:3128", proxy_user="CORP\\me", proxy_password="x",
        proxy_auth="ntlm",
    )
    assert s2s.proxy_for("https://zoom.us/oauth/token")["proxy"] == "http://p:3128"
    with pytest.raises(zoomlive.InvalidInputError) as e:
        zoomlive.Client(TOKEN, proxy="ftp://me:pw-12345@p:21")
    assert e.value.field == "proxy" and "pw-12345" not in str(e.value)
    with pytest.raises(zoomlive.InvalidInputError) as e:
        zoomlive.Client(TOKEN, proxy_auth="kerberos")
    assert e.value.field == "proxy_auth"
    with pytest.raises(zoomlive.InvalidInputError):
        c.proxy_for("not a url")
    assert issubclass(zoomlive.ProxyAuthError, zoomlive.TransportError)
    assert issubclass(zoomlive.ProxyAuthError, ConnectionError)
    assert zoomlive.ProxyAuthError.kind == "proxy_auth"


@pytest.fixture(scope="module")
def rig() -> Iterator[Dict[str, Any]]:
    have_squid = Path("/usr/sbin/squid").exists()
    try:
        import spnego  # noqa: F401

        have_spnego = True
    except ImportError:
        have_spnego = False
    if not (have_squid and have_spnego):
        why = f"proxy rig: squid {have_squid}, pyspnego {have_spnego} (run make deps)"
        if os.environ.get("ZOOMLIVE_REQUIRE_ALL") == "1":
            pytest.fail(why)
        pytest.skip(why)
    d = Path(tempfile.mkdtemp(prefix="zoomlive-proxy-py-"))
    d.chmod(0o755)  # squid runs as its own user and must reach the rig's folder
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "tests" / "proxy" / "rig.py"), str(d / "rig")],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    assert proc.stdout is not None and proc.stdin is not None
    info: Dict[str, Any] = json.loads(proc.stdout.readline())

    def stats() -> Dict[str, Any]:
        assert proc.stdin is not None and proc.stdout is not None
        proc.stdin.write("stats\n")
        proc.stdin.flush()
        return dict(json.loads(proc.stdout.readline()))

    info["stats"] = stats
    yield info
    proc.stdin.close()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
    shutil.rmtree(d, ignore_errors=True)


def client(rig: Dict[str, Any], proxy: str, password: str) -> zoomlive.Client:
    return zoomlive.Client(
        TOKEN, base_url=rig["api"], extra_ca_file=rig["ca"], timeout=15, proxy=proxy,
        proxy_user=rig["user"], proxy_password=password,
    )


def test_ntlm_through_squid_and_the_checking_proxy(rig: Dict[str, Any]) -> None:
    client(rig, rig["squid"], rig["password"]).update_meeting_livestream_status(MEETING, "stop")
    good = client(rig, rig["ntlm_proxy"], rig["password"])
    good.update_meeting_livestream_status(MEETING, "stop")
    assert good.get_meeting_livestream(MEETING).resolution == "720p"
    before = len(rig["stats"]()["judged"])
    with pytest.raises(zoomlive.ProxyAuthError) as e:
        client(rig, rig["ntlm_proxy"], "Wr0ng-Passw0rd").update_meeting_livestream_status(
            MEETING, "stop"
        )
    assert e.value.kind == "proxy_auth"
    assert "NTLM" in str(e.value) and "Wr0ng" not in str(e.value) + repr(e.value)
    assert rig["stats"]()["judged"][before:] == [False], "the wrong password, sent once"
