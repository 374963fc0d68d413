# Sourced by the shell scripts that need the local Zoom emulator (examples/demo.sh,
# tests/c/run.sh, tests/consumers/run.sh):
#
#   . scripts/emulator.sh
#   start_emulator OUT_DIR [emulator flags...]     e.g. start_emulator target/c --token T
#   echo "$EMULATOR_URL"                           http://127.0.0.1:PORT
#
# start_emulator runs `zoomlive emulator --bind 127.0.0.1:0 FLAGS` ($ZOOMLIVE_BIN, else
# target/debug/zoomlive) in the background, its output in OUT_DIR/emulator.out and
# OUT_DIR/emulator.err, and waits at most $ZOOMLIVE_EMULATOR_WAIT seconds (default 10)
# for the URL it prints as its first line. It sets EMULATOR_URL and EMULATOR_PID. If
# the emulator exits or prints no URL in time, it says so on stderr (with the
# emulator's own stderr) and exits the calling script with status 1: no caller goes on
# without an emulator. Every emulator started is killed when the calling script exits
# (an EXIT trap, added to any the caller already has; INT and TERM exit through it).

_ZOOMLIVE_EMULATOR_PIDS=()

# Kills every emulator start_emulator started (idempotent).
stop_emulators() {
  local pid
  for pid in "${_ZOOMLIVE_EMULATOR_PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  _ZOOMLIVE_EMULATOR_PIDS=()
}

# Adds stop_emulators to the caller's EXIT trap once, keeping what was there.
_zoomlive_emulator_trap() {
  local previous=
  if [ -n "$(trap -p EXIT)" ]; then
    # `trap -p EXIT` prints: trap -- 'COMMANDS' EXIT
    eval "set -- $(trap -p EXIT)"
    previous=$3
  fi
  case $previous in *stop_emulators*) return 0 ;; esac
  # shellcheck disable=SC2064  # expanded now on purpose: the caller's trap as it is
  trap "stop_emulators${previous:+; $previous}" EXIT
  [ -n "$(trap -p INT)" ] || trap 'exit 130' INT
  [ -n "$(trap -p TERM)" ] || trap 'exit 143' TERM
}

start_emulator() {
  if [ $# -lt 1 ]; then
    echo "usage: start_emulator OUT_DIR [emulator flags...]" >&2
    exit 2
  fi
  local out=$1
  shift
  local root
  root=${ZOOMLIVE_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
  local bin=${ZOOMLIVE_BIN:-$root/target/debug/zoomlive}
  local wait_s=${ZOOMLIVE_EMULATOR_WAIT:-10}
  if ! [ -x "$bin" ]; then
    echo "start_emulator: no $bin: run 'make build' (cargo build --features cli) first" >&2
    exit 1
  fi
  mkdir -p "$out"
  : >"$out/emulator.out"
  : >"$out/emulator.err"
  "$bin" emulator --bind 127.0.0.1:0 "$@" >"$out/emulator.out" 2>"$out/emulator.err" &
  EMULATOR_PID=$!
  _ZOOMLIVE_EMULATOR_PIDS+=("$EMULATOR_PID")
  _zoomlive_emulator_trap
  EMULATOR_URL=
  local tries=$((wait_s * 20)) line=
  while [ "$tries" -gt 0 ]; do
    # Only a whole first line counts (a line end after it), never a URL half written.
    line=
    if [ "$(wc -l <"$out/emulator.out")" -ge 1 ]; then
      line=$(head -n 1 "$out/emulator.out")
    fi
    case $line in
      http://127.0.0.1:[0-9]*)
        EMULATOR_URL=$line
        break
        ;;
    esac
    kill -0 "$EMULATOR_PID" 2>/dev/null || break
    sleep 0.05
    tries=$((tries - 1))
  done
  if [ -z "$EMULATOR_URL" ]; then
    # The command as run, with credentials (--token T, --oauth-app A:C:S) hidden.
    local shown="$bin emulator --bind 127.0.0.1:0" arg hide=0
    for arg in "$@"; do
      if [ "$hide" = 1 ]; then
        arg='***'
        hide=0
      fi
      case $arg in
        --token | --oauth-app) hide=1 ;;
        --token=* | --oauth-app=*) arg="${arg%%=*}=***" ;;
      esac
      shown+=" $arg"
    done
    if kill -0 "$EMULATOR_PID" 2>/dev/null; then
      echo "start_emulator: the emulator printed no URL within ${wait_s}s ($shown)" >&2
    else
      echo "start_emulator: the emulator exited before printing its URL ($shown)" >&2
    fi
    if [ -s "$out/emulator.out" ]; then
      echo "--- its stdout ($out/emulator.out):" >&2
      head -n 20 "$out/emulator.out" >&2
    fi
    echo "--- its stderr ($out/emulator.err):" >&2
    head -n 40 "$out/emulator.err" >&2
    exit 1
  fi
}
