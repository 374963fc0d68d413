#!/usr/bin/env bash
# `make deps`: installs every tool the Makefile's targets use, in one place. The test and
# demo scripts install nothing themselves; they say "run make deps" when a tool is
# missing.
#
#   scripts/deps.sh [GROUP...]     (no GROUP: all of them)
#     demo     a C compiler and python3: what `make demo` uses
#     apt      the Debian packages: C/C++ compilers, valgrind, Free Pascal, Mono (with
#              System.Data), Ruby with ffi, curl and binutils (make bench), squid (the
#              proxy tests), winbind (Samba's ntlm_auth, for Wine's SSPI NTLM)
#     python   .venv with maturin, pytest, mypy and jsonschema (make test), pyspnego
#              (the NTLM-checking proxy of tests/proxy/), requests and urllib3 (make bench),
#              httpx, sniffio and uvloop (make bench's asyncio rows; the AsyncClient tests
#              also run under uvloop when it is there)
#     cargo    cbindgen (make header) and cargo-fuzz (make fuzz), pinned, built into
#              target/tools
#     docs     mdbook (make docs), pinned, built into target/tools
#     rust     the rustup components rustfmt and clippy (make lint)
#     windows  scripts/windows-deps.sh, when that script exists (the Windows builds
#              and tests); what it cannot install counts as missing, as below
#
# Idempotent: when everything is present it only probes (about a second) and
# touches no network. Debian packages are installed with apt-get when running as root
# (a failing `apt-get update` is not fatal: the install is tried anyway); otherwise it
# says what to install. A Python or cargo tool that cannot be installed is an error.
# With ZOOMLIVE_REQUIRE_ALL=1 (CI) anything still missing at the end is an error too;
# without it, the suites that need a missing tool report it as skipped.
set -euo pipefail

ROOT=${ZOOMLIVE_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
cd "$ROOT"
LOG_DIR=target/deps
VENV=.venv
PYTHON=${PYTHON:-python3}
TOOLS=target/tools
# The pinned cargo tools (scripts/header.sh and fuzz/run.sh use these builds).
CBINDGEN_VERSION=0.29.4
CARGO_FUZZ_VERSION=0.13.2
# mdbook builds the book (scripts/docs.sh). Without its default features `serve` and
# `watch` (a web server and a file watcher: `mdbook build` uses neither), only `search`
# (the book's search box): 123 crates built instead of about 190, about 5 minutes on
# a 2-core machine.
MDBOOK_VERSION=0.5.4
# sniffio: without it httpcore retries a failed `import sniffio` on every request since
# anyio stopped requiring it (encode/httpcore#1103), which the httpx row would measure.
PIP_PACKAGES=("maturin>=1.9,<2" "pytest>=8" "mypy>=1.10" "requests" "urllib3" "jsonschema>=4"
  "pyspnego>=0.10" "httpx" "sniffio" "uvloop")

say() { echo "deps: $*"; }
still_missing=()

# --- Debian packages ----------------------------------------------------------------
# Each probe names the package that satisfies it.
have_ruby_ffi() { command -v ruby >/dev/null && ruby -e 'require "ffi"' >/dev/null 2>&1; }
have_venv() { command -v "$PYTHON" >/dev/null && "$PYTHON" -c 'import venv, ensurepip' 2>/dev/null; }
probe_apt() { # GROUP: prints the packages missing for it, one per line
  local group=$1
  command -v cc >/dev/null || echo gcc libc6-dev
  command -v "$PYTHON" >/dev/null || echo python3
  [ "$group" = demo ] && return 0
  command -v c++ >/dev/null || echo g++
  have_venv || echo python3-venv
  command -v valgrind >/dev/null || echo valgrind
  command -v fpc >/dev/null || echo fp-compiler
  command -v mcs >/dev/null || echo mono-mcs
  command -v mono >/dev/null || echo mono-runtime
  [ -e /usr/lib/mono/4.5/System.Data.dll ] || echo libmono-system-data4.0-cil
  command -v ruby >/dev/null || echo ruby
  have_ruby_ffi || echo ruby-ffi
  command -v curl >/dev/null || echo curl
  # The proxy tests (tests/proxy/): squid with its Basic and NTLM helpers.
  [ -x /usr/sbin/squid ] && [ -x /usr/lib/squid/ntlm_fake_auth ] || echo squid
  # Samba's ntlm_auth, which Wine's SSPI NTLM runs (tests/windows/proxy/).
  command -v ntlm_auth >/dev/null || echo winbind
  { command -v strip >/dev/null && command -v nm >/dev/null; } || echo binutils
}

apt_group() { # GROUP
  local group=$1 missing
  # shellcheck disable=SC2207  # package names have no spaces
  missing=($(probe_apt "$group"))
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    mkdir -p "$LOG_DIR"
    say "installing ${missing[*]} (apt-get; log in $LOG_DIR/apt.log)"
    {
      # A stale or unreachable mirror makes `update` exit non-zero; the packages may
      # still be installable from the lists already there, so it is never fatal.
      apt-get update || echo "deps: apt-get update failed; trying the install anyway"
      DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}"
    } >"$LOG_DIR/apt.log" 2>&1 || say "apt-get install failed; see $LOG_DIR/apt.log"
    # shellcheck disable=SC2207
    missing=($(probe_apt "$group"))
  else
    say "not root (or no apt-get): not installing ${missing[*]}"
  fi
  if [ ${#missing[@]} -gt 0 ]; then
    say "still missing Debian packages: ${missing[*]} (as root: apt-get install ${missing[*]})"
    still_missing+=("${missing[@]}")
  fi
}

# --- .venv --------------------------------------------------------------------------------
python_group() {
  if [ -x "$VENV/bin/python" ] && [ -x "$VENV/bin/maturin" ] &&
    "$VENV/bin/python" -c 'import maturin, pytest, mypy.stubtest, requests, urllib3, jsonschema, spnego, httpx, sniffio, uvloop' 2>/dev/null; then
    return 0
  fi
  if ! [ -x "$VENV/bin/python" ]; then
    say "creating $VENV"
    "$PYTHON" -m venv "$VENV"
  fi
  say "installing ${PIP_PACKAGES[*]} into $VENV"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "${PIP_PACKAGES[@]}"
}

# --- cargo tools, pinned, in target/tools ---------------------------------------------------
cargo_tool() { # CRATE BINARY VERSION
  local crate=$1 binary=$2 version=$3
  if "$TOOLS/bin/$binary" --version 2>/dev/null | grep -qF "$version"; then
    return 0
  fi
  say "building $crate $version into $TOOLS (once; a few minutes)"
  cargo install "$crate" --version "=$version" --locked --root "$TOOLS" --quiet
}

cargo_group() {
  cargo_tool cbindgen cbindgen "$CBINDGEN_VERSION"
  cargo_tool cargo-fuzz cargo-fuzz "$CARGO_FUZZ_VERSION"
}

# mdbook, at lower priority: on a fresh CI machine it builds while other jobs compete.
docs_group() {
  if "$TOOLS/bin/mdbook" --version 2>/dev/null | grep -qF "v$MDBOOK_VERSION"; then
    return 0
  fi
  say "building mdbook $MDBOOK_VERSION into $TOOLS (once; about 5 minutes)"
  nice -n 5 cargo install mdbook --version "=$MDBOOK_VERSION" --locked --root "$TOOLS" \
    --no-default-features --features search --quiet
}

# --- rustup components ------------------------------------------------------------------
rust_group() {
  local missing=()
  cargo fmt --version >/dev/null 2>&1 || missing+=(rustfmt)
  cargo clippy --version >/dev/null 2>&1 || missing+=(clippy)
  [ ${#missing[@]} -eq 0 ] && return 0
  if command -v rustup >/dev/null; then
    say "rustup component add ${missing[*]}"
    rustup component add "${missing[@]}" || say "rustup could not add ${missing[*]}"
  fi
  missing=()
  cargo fmt --version >/dev/null 2>&1 || missing+=(rustfmt)
  cargo clippy --version >/dev/null 2>&1 || missing+=(clippy)
  if [ ${#missing[@]} -gt 0 ]; then
    say "still missing rustup components: ${missing[*]}"
    still_missing+=("${missing[@]}")
  fi
}

# --- Windows cross-building: its own script, when there is one ----------------------------
windows_group() {
  if [ -f scripts/windows-deps.sh ] && ! bash scripts/windows-deps.sh; then
    say "scripts/windows-deps.sh could not install everything (see above)"
    still_missing+=("windows-tools")
  fi
}

groups=("$@")
[ ${#groups[@]} -eq 0 ] && groups=(all)
for group in "${groups[@]}"; do
  case $group in
    demo) apt_group demo ;;
    apt) apt_group all ;;
    python) python_group ;;
    cargo) cargo_group ;;
    docs) docs_group ;;
    rust) rust_group ;;
    windows) windows_group ;;
    all)
      apt_group all
      python_group
      cargo_group
      docs_group
      rust_group
      windows_group
      ;;
    *)
      echo "usage: scripts/deps.sh [demo|apt|python|cargo|docs|rust|windows|all]..." >&2
      exit 2
      ;;
  esac
done

if [ ${#still_missing[@]} -gt 0 ]; then
  if [ "${ZOOMLIVE_REQUIRE_ALL:-0}" = 1 ]; then
    say "ZOOMLIVE_REQUIRE_ALL=1: missing ${still_missing[*]}, which is a failure" >&2
    exit 1
  fi
  say "missing ${still_missing[*]}: the tests that need them will say SKIPPED"
fi
