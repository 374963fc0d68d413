#!/usr/bin/env bash
# `make test-proxy` (mk/proxy.mk): the C face and curl against real proxies on loopback
# (tests/proxy/rig.py: squid with NTLM and Basic, a proxy checking the NTLM password
# with pyspnego, an HTTPS API only they resolve). The Rust, CLI and Python faces run the
# same rig from their own suites (tests/proxy_auth.rs, tests/python/test_proxy.py).
# Without squid or pyspnego (make deps) it says SKIPPED and exits 0, or 1 under
# ZOOMLIVE_REQUIRE_ALL=1.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
libdir=$(dirname "${ZOOMLIVE_LIB:-$root/target/debug/libzoomlive.so}")
python=$root/.venv/bin/python
out=target/proxy
mkdir -p "$out"

if ! [ -x /usr/sbin/squid ] || ! "$python" -c 'import spnego' 2>/dev/null; then
  echo "SKIPPED: the proxy tests need squid and pyspnego in .venv (make deps)"
  [ "${ZOOMLIVE_REQUIRE_ALL:-0}" = 1 ] && exit 1
  exit 0
fi

cc -std=c99 -Wall -Wextra -Wpedantic -Werror -g -Iinclude tests/proxy/test_proxy.c \
  -o "$out/test_proxy" -L"$libdir" -Wl,-rpath,"$libdir" -lzoomlive -lpthread

rig_dir=$(mktemp -d)
chmod 755 "$rig_dir" # squid runs as its own user and must reach the rig folder
coproc RIG { exec "$python" tests/proxy/rig.py "$rig_dir/rig"; }
trap 'exec {RIG[1]}>&- 2>/dev/null || true; wait "$RIG_PID" 2>/dev/null || true; rm -rf "$rig_dir"' EXIT
read -r -t 60 info <&"${RIG[0]}"
field() { printf '%s' "$info" | python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }
export ZL_API ZL_CA ZL_SQUID ZL_NTLM_PROXY ZL_USER ZL_PASSWORD
ZL_API=$(field api) ZL_CA=$(field ca) ZL_SQUID=$(field squid)
ZL_NTLM_PROXY=$(field ntlm_proxy) ZL_USER=$(field user) ZL_PASSWORD=$(field password)

# The control: curl through the same proxies.
curl_code() { curl -sS -o /dev/null -w '%{http_code}' --max-time 10 --proxy "$1" "$2" -U "$3" \
  --cacert "$ZL_CA" "$ZL_API/meetings/68423085/livestream" 2>/dev/null || true; }
[ "$(curl_code "$ZL_SQUID" --proxy-ntlm "$ZL_USER:$ZL_PASSWORD")" = 200 ] || { echo "FAIL: curl NTLM via squid"; exit 1; }
[ "$(curl_code "$ZL_NTLM_PROXY" --proxy-ntlm "$ZL_USER:$ZL_PASSWORD")" = 200 ] || { echo "FAIL: curl NTLM via the checking proxy"; exit 1; }
[ "$(curl_code "$ZL_NTLM_PROXY" --proxy-ntlm "$ZL_USER:wrong")" != 200 ] || { echo "FAIL: curl passed with a wrong password"; exit 1; }
echo "curl control: NTLM via squid and the checking proxy, a wrong password refused"

"$out/test_proxy"
