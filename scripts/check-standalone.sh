#!/usr/bin/env bash
# `make check-standalone` (part of `make test`): the repository must stand alone, so a
# fresh clone with nothing beside it passes `make demo` and `make test`. Fails when a
# tracked file reads or names something outside the repository:
#   - the folder of shared material beside the checkout ("..", then "shared"), or its
#     seeds / wire / hooks sub-folders by name;
#   - the legacy programs by their file names there (NNN_<16 hex digits>.txt): the
#     examples describe them in examples/README.md instead;
#   - an absolute path into the workspace the project was developed in;
#   - a tracked symbolic link pointing outside the repository.
# The patterns are assembled from pieces, so that this script does not match itself.
set -euo pipefail
cd "$(dirname "$0")/.."

up='\.\.'
sh='shar''ed'
patterns=(
  "${up}[/\\\\]+${sh}\\b"                       # the folder beside the checkout
  "${sh}[/\\\\]+(seeds|wire|hooks)\\b"         # its sub-folders, by name
  "\\b[0-9]{3}_[0-9a-f]{16}\\.txt\\b"          # a legacy program's file name
  "/wo""rk/(${sh}|main)\\b"                     # absolute workspace paths
)
args=()
for p in "${patterns[@]}"; do args+=(-e "$p"); done

problems=0
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  if git grep -n -I -E "${args[@]}"; then
    problems=1
  fi
  # Symbolic links must resolve inside the repository.
  root=$(pwd -P)
  while IFS= read -r link; do
    target=$(cd "$(dirname "$link")" && realpath -m "$(readlink "$(basename "$link")")")
    case $target in
      "$root" | "$root"/*) ;;
      *)
        echo "$link: a symbolic link to $target, outside the repository"
        problems=1
        ;;
    esac
  done < <(git ls-files -s | awk '$1 == "120000" { $1 = $2 = $3 = ""; sub(/^ +/, ""); print }')
else
  # Not a git checkout (an unpacked archive): every file but build outputs.
  if grep -rn -I -E "${args[@]}" --exclude-dir=.git --exclude-dir=target \
    --exclude-dir=.venv --exclude-dir=__pycache__ .; then
    problems=1
  fi
fi

if [ "$problems" -ne 0 ]; then
  echo "check-standalone: the files above read or name something outside the repository;" >&2
  echo "keep test data in the repository (e.g. tests/wire/) and describe, don't point." >&2
  exit 1
fi
echo "check-standalone: no tracked file reads or names anything outside the repository"
