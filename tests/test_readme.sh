#!/bin/sh
# test_readme.sh: the example commands of README.md and analysis/README.md run as
# written, at a tiny scale (tests/readme_commands.py extracts them and adds
# --scale 0.01 -r 2), in document order, in an empty directory with scenarios/,
# analysis/ and build/sim linked in: each must exit as documented (issue 16). A
# README example that stops working fails here.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD="$PWD/$BUILD" ;; esac
pass=0; fail=0; skipped=0
. "$ROOT/tests/pyfind.sh"
[ -x "$BUILD/sim" ] || { echo "FAIL: no $BUILD/sim (run make all)"; echo "0 passed, 1 failed"; exit 1; }
[ -n "$PY" ] || { echo "FAIL: no python3 with h5py"; echo "0 passed, 1 failed"; exit 1; }
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
"$PY" "$ROOT/tests/readme_commands.py" "$ROOT/README.md" "$ROOT/analysis/README.md" >"$T/commands" \
  || { echo "FAIL: cannot extract the commands"; echo "0 passed, 1 failed"; exit 1; }
n=$(wc -l <"$T/commands")
mkdir "$T/wd" "$T/wd/build" && cd "$T/wd" || exit 1
ln -s "$ROOT/scenarios" scenarios && ln -s "$ROOT/analysis" analysis && ln -s "$BUILD/sim" build/sim
export MPLCONFIGDIR="$T/mpl" PYTHONDONTWRITEBYTECODE=1
TAB=$(printf '\t')
while IFS="$TAB" read -r want cmd; do
  if [ "$want" = SKIP ]; then skipped=$((skipped + 1)); echo "skip: $cmd"; continue; fi
  sh -c "$cmd" >"$T/out" 2>"$T/err" </dev/null; rc=$?
  case "|$want|" in
    *"|$rc|"*) pass=$((pass + 1)) ;;
    *) fail=$((fail + 1)); echo "FAIL (exit $rc, want $want): $cmd"; tail -n 3 "$T/err" | sed 's/^/  /' ;;
  esac
done <"$T/commands"
# the extraction itself: the examples of both files are there
if [ "$n" -ge 25 ] && grep -q "build/sim report" "$T/commands" && grep -q "python3 -m analysis.survival" "$T/commands"; then
  pass=$((pass + 1))
else
  fail=$((fail + 1)); echo "FAIL: only $n example commands found in README.md and analysis/README.md"
fi
echo "$pass passed, $fail failed, $skipped skipped"
[ "$fail" -eq 0 ]
