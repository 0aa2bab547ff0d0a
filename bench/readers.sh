#!/bin/sh
# readers.sh: the time of the commands that read output files (`sim info`, `sim compare`,
# `sim compare --regions`, `sim merge`) on a small file (1% of the country, 2 replications)
# and on a national one (4 replications, series output), and the merge of a small sweep
# (scenarios/sweep-aftercare.cfg at 1%): the median and least of ROUNDS
# runs, wall and user CPU seconds. A sweep's merge and a report read many such files, and
# the test suite runs these commands some thousand times (bench/RESULTS.md, session 15).
# Usage: bench/readers.sh [ROUNDS]   (default 7)
# Environment: SIM (the binary, default build/sim); OLD (a second binary: both timed,
# alternating, on the same files, and their outputs compared byte for byte).
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SIM=${SIM:-$ROOT/build/sim}
OLD=${OLD:-}
ROUNDS=${1:-7}
case $ROUNDS in ''|*[!0-9]*|0) echo "readers.sh: ROUNDS=$ROUNDS (allowed: a whole number >= 1)" >&2; exit 2 ;; esac
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
"$SIM" run "$ROOT/scenarios/baseline.cfg" -q -r 2 --scale 0.01 -o "$T/small.h5"
"$SIM" run "$ROOT/scenarios/pow-incidental.cfg" -q -r 2 --scale 0.01 -o "$T/small-alt.h5"
"$SIM" run "$ROOT/scenarios/baseline.cfg" -q -r 4 -o "$T/nat.h5"
"$SIM" run "$ROOT/scenarios/pow-incidental.cfg" -q -r 4 -o "$T/nat-alt.h5"
"$SIM" sweep "$ROOT/scenarios/sweep-aftercare.cfg" -q -r 2 --scale 0.01 -o "$T/points"
npoints=$(ls "$T/points" | grep -c '^point-.*\.h5$')

# one BIN LABEL CMD...: ROUNDS runs of BIN CMD; "LABEL median-wall least-wall median-user" (s)
one() {
  bin=$1 label=$2; shift 2
  : >"$T/times"
  r=0
  while [ "$r" -lt "$ROUNDS" ]; do
    rm -f "$T/merged.h5"
    /usr/bin/time -f "%e %U" -o "$T/t1" "$bin" "$@" >"$T/out.$label" 2>/dev/null || true
    cat "$T/t1" >>"$T/times"
    r=$((r + 1))
  done
  sort -n "$T/times" | awk -v l="$label" '{w[NR] = $1; u[NR] = $2} END {
    m = int((NR + 1) / 2); printf "%-34s median %6.3f s  least %6.3f s  (user, median run %6.3f s)\n", l, w[m], w[1], u[m] }'
}

bench() {   # bench NAME CMD...: the new binary, then the old one when given, and their outputs
  name=$1; shift
  one "$SIM" "$name" "$@"
  if [ -n "$OLD" ]; then
    one "$OLD" "$name (OLD)" "$@"
    # (merge's line ends with its own time: left out of the comparison)
    if [ "$(sed 's/, [0-9.]* s$//' "$T/out.$name")" = "$(sed 's/, [0-9.]* s$//' "$T/out.$name (OLD)")" ]; then
      echo "  output: identical"; else echo "  output: DIFFERS"; fi
  fi
}

echo "readers: $ROUNDS rounds each; $(nproc) processors; SIM=$SIM${OLD:+, OLD=$OLD}"
bench "info small" info "$T/small.h5"
bench "info national" info "$T/nat.h5"
bench "compare small" compare "$T/small.h5" "$T/small-alt.h5"
bench "compare --regions small" compare "$T/small.h5" "$T/small-alt.h5" --regions --csv
bench "compare --regions national" compare "$T/nat.h5" "$T/nat-alt.h5" --regions --csv
bench "merge $npoints small points" merge "$T/points" -o "$T/merged.h5"
