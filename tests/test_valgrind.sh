#!/bin/sh
# test_valgrind.sh: memcheck on short runs of the CLI (run with trajectories, a
# policy scenario with a shock, info and compare): no invalid access, no use of
# uninitialised memory, no leak. Where valgrind is absent (scripts/deps.sh test
# installs it) or under the sanitizer build, the six checks are reported as skipped.
set -u
. "$(dirname "$0")/lib.sh"   # ROOT, BUILD, SIM; ok, no, check, checks, skip, die, finish
NCHECKS=6
case $BUILD in *asan*) echo "skipped under the sanitizer build"; echo "0 passed, 0 failed, $NCHECKS skipped"; exit 0 ;; esac
command -v valgrind >/dev/null 2>&1 || { echo "skipped: valgrind not installed (apt-get install valgrind)"; echo "0 passed, 0 failed, $NCHECKS skipped"; exit 0; }
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
vg() {   # vg NAME EXPECTED_EXIT COMMAND...
  name=$1; want=$2; shift 2
  valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect --error-exitcode=99 "$@" >/dev/null 2>"$T/vg.txt"
  if [ $? -eq "$want" ]; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1)); echo "FAIL: $name"; head -n 30 "$T/vg.txt"
  fi
}
small="-q -r 2 -t 1 --set labour_market.scale=0.01"
vg "run with events" 0 "$BUILD/sim" run "$ROOT/scenarios/pow-incidental-covid.cfg" $small -d events -o "$T/a.h5"
vg "run baseline" 0 "$BUILD/sim" run "$ROOT/scenarios/baseline.cfg" $small -o "$T/b.h5"
vg "info" 0 "$BUILD/sim" info "$T/a.h5"
vg "compare" 0 "$BUILD/sim" compare "$T/b.h5" "$T/a.h5" --regions
vg "validate a bad scenario" 1 "$BUILD/sim" validate "$ROOT/tests/bad-input/key-region.cfg"
vg "a missing file" 1 "$BUILD/sim" run "$T/none.cfg" -q
[ $((pass + fail)) -eq "$NCHECKS" ] || { echo "FAIL: $((pass + fail)) checks ran, NCHECKS says $NCHECKS"; fail=$((fail + 1)); }
finish
