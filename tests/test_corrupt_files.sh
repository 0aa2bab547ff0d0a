#!/bin/sh
# test_corrupt_files.sh: `sim info` and `sim compare` on 60 damaged copies of an output
# file exit 0 or 1 with a message, never crash or hang; on 60 copies with one bit
# flipped they refuse the file or answer exactly as for the intact one, never a
# silently different answer (tests/corrupt_files.py).
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD="$ROOT/$BUILD" ;; esac
. "$ROOT/tests/pyfind.sh"
[ -n "$PY" ] || { echo "FAIL: no python3 with h5py"; echo "0 passed, 1 failed"; exit 1; }
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 1
"$BUILD/sim" run "$ROOT/scenarios/baseline.cfg" -q -r 2 --set labour_market.scale=0.01 -o base.h5 \
  || { echo "FAIL: run"; echo "0 passed, 1 failed"; exit 1; }
"$PY" "$ROOT/tests/corrupt_files.py" "$BUILD/sim" base.h5 60
