#!/usr/bin/env bash
# `make test-windows-proxy` (mk/proxy.mk): Windows' own proxy settings, under Wine, for
# the 32- and 64-bit DLLs. The proxy (squid's open port, tests/proxy/rig.py) is written
# into the Wine prefix's registry as Internet Options writes it (ProxyEnable,
# ProxyServer in both forms, ProxyOverride with <local>, and the binary
# DefaultConnectionSettings WinHTTP reads), then as the machine's WinHTTP setting
# (WinHttpSettings, what `netsh winhttp set proxy` writes), then as a PAC URL served on
# loopback; tests/windows/proxy/proxy_host.c sets nothing about proxies and must reach
# the API (a name only squid resolves) through it; with the system switch off it goes
# direct. Needs the DLLs (make windows, any profile), Wine (make deps) and the rig's
# tools; without them: SKIPPED (exit 0; 1 under ZOOMLIVE_REQUIRE_ALL=1).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
cd "$ROOT"
export ZOOMLIVE_ROOT=$ROOT
OUT=target/windows-proxy
mkdir -p "$OUT"
skip() {
  echo "SKIPPED: $*"
  [ "${ZOOMLIVE_REQUIRE_ALL:-0}" = 1 ] && exit 1
  exit 0
}
declare -A MINGW=([i686]=i686-w64-mingw32 [x86_64]=x86_64-w64-mingw32)
for a in i686 x86_64; do
  [ -f "target/windows/$a/zoomlive.dll" ] || skip "no target/windows/$a/zoomlive.dll (make windows)"
  command -v "${MINGW[$a]}-gcc" >/dev/null || skip "no ${MINGW[$a]}-gcc (make deps)"
done
python=$ROOT/.venv/bin/python
[ -x /usr/sbin/squid ] && "$python" -c 'import spnego' 2>/dev/null || skip "no squid or pyspnego (make deps)"
# shellcheck source=../../../scripts/windows/wine.sh
. scripts/windows/wine.sh
[ -x "$WINE64" ] || skip "no private Wine in $WINE_DIST (make deps)"
# WinHTTP under Wine falls back to $http_proxy: nothing of the host's may leak in.
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY no_proxy NO_PROXY

for a in i686 x86_64; do
  "${MINGW[$a]}-gcc" -std=c99 -Wall -Wextra -Werror -O1 -Iinclude tests/windows/proxy/proxy_host.c \
    -o "$OUT/proxy_host-$a.exe" -L"target/windows/$a" -lzoomlive
  cp "target/windows/$a/zoomlive.dll" "$OUT/$a-zoomlive.dll"
  mkdir -p "$OUT/$a" && cp "target/windows/$a/zoomlive.dll" "$OUT/$a/" && mv "$OUT/proxy_host-$a.exe" "$OUT/$a/"
done
wine_build_standin >"$OUT/standin.log" 2>&1 || { echo "FAIL: the bcryptprimitives stand-in"; exit 1; }
wine_prefix "$ROOT/target/windows-proxy/prefix" --standin

rig_dir=$(mktemp -d)
chmod 755 "$rig_dir"
coproc RIG { exec "$python" tests/proxy/rig.py "$rig_dir/rig"; }
trap 'exec {RIG[1]}>&- 2>/dev/null || true; wait "$RIG_PID" 2>/dev/null || true; rm -rf "$rig_dir"; wine_stop' EXIT
read -r -t 60 info <&"${RIG[0]}"
field() { printf '%s' "$info" | python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }
API=$(field api) OPEN=$(field squid_open) PAC=$(field pac)
cp "$(field ca)" "$OUT/ca.pem"
CA=$(wine_path "$OUT/ca.pem")

IE='HKCU\Software\Microsoft\Windows\CurrentVersion\Internet Settings'
MACHINE='HKLM\Software\Microsoft\Windows\CurrentVersion\Internet Settings\Connections'
reg() { wine_run reg "$@" >/dev/null 2>&1 || { echo "FAIL: reg $*" >&2; exit 1; }; }
reg_delete() { wine_run reg delete "$@" /f >/dev/null 2>&1 || true; } # absent is fine
ie_settings() { # FLAGS PROXYSERVER OVERRIDE PAC: what the Internet Options dialog writes
  local flags=$1 server=$2 override=$3 pac=$4 enable=0
  [ $((flags & 2)) = 0 ] || enable=1
  for view in 32 64; do
    reg add "$IE" /v ProxyEnable /t REG_DWORD /d "$enable" /f /reg:$view
    reg add "$IE" /v ProxyServer /t REG_SZ /d "$server" /f /reg:$view
    reg add "$IE" /v ProxyOverride /t REG_SZ /d "$override" /f /reg:$view
    if [ -n "$pac" ]; then
      reg add "$IE" /v AutoConfigURL /t REG_SZ /d "$pac" /f /reg:$view
    else
      reg_delete "$IE" /v AutoConfigURL /reg:$view
    fi
    reg add "$IE\\Connections" /v DefaultConnectionSettings /t REG_BINARY \
      /d "$(python3 tests/windows/proxy/regblob.py ie "$flags" "$server" "$override" "$pac")" /f /reg:$view
  done
}
winhttp_settings() { # PROXY BYPASS ("" "": direct), as netsh winhttp set proxy writes it
  for view in 32 64; do
    reg add "$MACHINE" /v WinHttpSettings /t REG_BINARY \
      /d "$(python3 tests/windows/proxy/regblob.py winhttp "$1" "$2")" /f /reg:$view
  done
}

passed=0 failed=0
check() { # NAME ARCH ARGS...: runs proxy_host, which prints ok/not ok lines
  local name=$1 a=$2 log
  shift 2
  log="$OUT/$name-$a.log"
  if (cd "$OUT/$a" && wine_run ./proxy_host-$a.exe "$API" "$CA" "$@") >"$log" 2>&1; then
    passed=$((passed + 1)); echo "ok - $name ($a)"
  else
    failed=$((failed + 1)); echo "not ok - $name ($a): see $log"; sed 's/^/    /' "$log" | tail -15
  fi
}

for a in i686 x86_64; do
  winhttp_settings "" ""
  # Internet Options, the per-scheme form (the https entry is Zoom's), <local> bypass.
  ie_settings 3 "http=127.0.0.1:9;https=$OPEN" "<local>" ""
  check internet-options-per-scheme "$a" internet-options "http://$OPEN"
  # The single form; the bypass list names the API's domain with a wildcard.
  ie_settings 3 "$OPEN" "*.zoomlive.test;<local>" ""
  check internet-options-bypass "$a" "bypass:*.zoomlive.test" -
  ie_settings 3 "$OPEN" "<local>" ""
  check internet-options-single "$a" internet-options "http://$OPEN"
  # The system switch off: direct, whatever Windows says.
  check system-proxy-off "$a" none - --no-system
  # A PAC URL on loopback.
  ie_settings 5 "" "" "$PAC"
  check pac "$a" "pac:$PAC" "http://$OPEN"
  # The machine's WinHTTP setting, with Internet Options saying direct (a service).
  ie_settings 1 "" "" ""
  winhttp_settings "$OPEN" "<local>"
  check winhttp "$a" winhttp "http://$OPEN"
done
winhttp_settings "" ""

# Explicit credentials through Windows' SSPI (NTLM, and Negotiate falling back to NTLM)
# against the proxy that checks the password. Wine's SSPI NTLM needs Samba's ntlm_auth
# (Debian package winbind); without it zoomlive falls back to its own NTLM, which the
# Authenticate message's flags tell apart (SSPI's negotiates key exchange, ours never).
NTLM_PROXY=$(field ntlm_proxy) NTLM_USER=$(field user) NTLM_PASSWORD=$(field password)
for a in i686 x86_64; do
  for s in ntlm negotiate; do
    check "sspi-$s" "$a" explicit "$NTLM_PROXY" --auth "$s" "$NTLM_USER" "$NTLM_PASSWORD"
    check "sspi-$s-wrong-password" "$a" explicit "$NTLM_PROXY" --auth "$s" "$NTLM_USER" Wr0ng-Passw0rd --refused
  done
done
printf 'stats\n' >&"${RIG[1]}"
read -r -t 30 stats <&"${RIG[0]}"
echo "# the checking proxy saw: $stats"
sspi=$(printf '%s' "$stats" | python3 -c 'import json,sys; f=json.load(sys.stdin)["flags"]; print(sum(1 for x in f if x & 0x40000000), len(f))')
if command -v ntlm_auth >/dev/null; then
  if [ "${sspi%% *}" -gt 0 ] && [ "${sspi%% *}" = "${sspi#* }" ]; then
    passed=$((passed + 1)); echo "ok - Windows' SSPI made every NTLM Authenticate message (${sspi#* })"
  else
    failed=$((failed + 1)); echo "not ok - ntlm_auth is installed but no NTLM message came from SSPI"
  fi
else
  echo "# no ntlm_auth (winbind): Wine's SSPI NTLM cannot run; zoomlive's own NTLM answered"
fi

# The COM object, both bitnesses, registered in this prefix: Internet Options' proxy,
# UseSystemProxy = False, the proxy properties, NTLM against the checking proxy.
declare -A DIR=([i686]='C:\zoomlive\x86' [x86_64]='C:\zoomlive\x64')
declare -A SYS=([i686]='C:\windows\syswow64' [x86_64]='C:\windows\system32')
mkdir -p "$WINEPREFIX/drive_c/zoomlive/x86" "$WINEPREFIX/drive_c/zoomlive/x64" "$WINEPREFIX/drive_c/zoomlive/tests"
cp target/windows/i686/zoomlive.dll "$WINEPREFIX/drive_c/zoomlive/x86/"
cp target/windows/x86_64/zoomlive.dll "$WINEPREFIX/drive_c/zoomlive/x64/"
cp tests/windows/proxy/proxy.vbs "$WINEPREFIX/drive_c/zoomlive/tests/"
ie_settings 3 "$OPEN" "<local>" ""
for a in i686 x86_64; do
  log=$OUT/com-$a.log
  if ! timeout -k 10 "$WINE_TIMEOUT" "$WINE64" "${SYS[$a]}\\regsvr32.exe" /s "${DIR[$a]}\\zoomlive.dll" 2>>"$OUT/wine.err"; then
    failed=$((failed + 1)); echo "not ok - regsvr32 ($a)"; continue
  fi
  timeout -k 10 "$WINE_TIMEOUT" "$WINE64" "${SYS[$a]}\\cscript.exe" //nologo 'C:\zoomlive\tests\proxy.vbs' \
    "$API" "$CA" "$a" "$OPEN" "$(field ntlm_proxy)" "$(field user)" "$(field password)" 2>>"$OUT/wine.err" | tr -d '\r' >"$log" || true
  summary=$(grep "^com-proxy-$a: " "$log" || true)
  if [[ "$summary" == *" 0 failed" ]]; then
    passed=$((passed + 1)); echo "ok - COM object ($a): ${summary#*: }"
  else
    failed=$((failed + 1)); echo "not ok - COM object ($a): ${summary:-no summary}"; grep -v '^ok' "$log" | head -15 | sed 's/^/    /'
  fi
  timeout -k 10 "$WINE_TIMEOUT" "$WINE64" "${SYS[$a]}\\regsvr32.exe" /s /u "${DIR[$a]}\\zoomlive.dll" 2>>"$OUT/wine.err" || true
done
# Nothing set at all, as in a fresh prefix: Wine then reports "detect automatically",
# and no WPAD answers here: direct, with the reason as the note, in bounded time.
for view in 32 64; do
  reg_delete "$IE\\Connections" /v DefaultConnectionSettings /reg:$view
  reg_delete "$IE" /v ProxyEnable /reg:$view
  reg_delete "$IE" /v ProxyServer /reg:$view
  reg_delete "$MACHINE" /v WinHttpSettings /reg:$view
done
for a in i686 x86_64; do
  started=$(date +%s)
  check nothing-set "$a" none -
  echo "# nothing-set ($a): $(($(date +%s) - started)) s; $(grep '# decision' "$OUT/nothing-set-$a.log")"
done
echo "windows-proxy: $passed passed, $failed failed"
[ "$failed" = 0 ]
