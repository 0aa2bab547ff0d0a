#!/bin/sh
# test_corrupt_files.sh: `sim info` and `sim compare` on 60 damaged copies of an output
# file exit 0 or 1 with a message, never crash or hang; on 60 copies with one bit
# flipped they refuse the file or answer exactly as for the intact one, never a
# silently different answer (tests/corrupt_files.py); and the files fuzzing found
# (tests/fuzz/found-h5/) are refused by info, compare and merge.
set -u
. "$(dirname "$0")/lib.sh"   # ROOT, BUILD, SIM; ok, no, check, checks, skip, die, finish
. "$ROOT/tests/pyfind.sh"
[ -n "$PY" ] || die "no python3 with h5py"
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 1
"$BUILD/sim" run "$ROOT/scenarios/baseline.cfg" -q -r 2 --set labour_market.scale=0.01 -o base.h5 \
  || die "run"
# files that once crashed a reader (tests/fuzz/found-h5/README.md): refused, exit 1, one line
for found in "$ROOT"/tests/fuzz/found-h5/*.h5; do
  name=$(basename "$found")
  mkdir -p merge-$name && cp "$found" merge-$name/point-00000.h5
  for cmd in "info $found" "compare base.h5 $found" "merge merge-$name -o merged-$name"; do
    "$BUILD/sim" $cmd >out 2>err; rc=$?
    if [ "$rc" -eq 1 ] && [ "$(wc -l <err)" -eq 1 ] && grep -q "$name" err && [ ! -e "merged-$name" ]; then
      pass=$((pass + 1))
    else
      fail=$((fail + 1)); echo "FAIL: sim ${cmd%% *} on $name: exit $rc, $(head -c 200 err)"
    fi
  done
done
"$PY" "$ROOT/tests/corrupt_files.py" "$BUILD/sim" base.h5 60 >py.out; rc=$?
sed '$d' py.out   # its failures; its counts are added to these
set -- $(tail -n 1 py.out)
pass=$((pass + $1)); fail=$((fail + $3))
[ "$rc" -eq 0 ] || [ "$3" -gt 0 ] || no "corrupt_files.py stopped (exit $rc)"
finish
