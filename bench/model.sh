#!/bin/sh
# model.sh: benchmarks of the labour-market model (DESIGN.md §8, issue 4).
#  1. the whole country, 10 years, 1 replication, 1 thread, summary output: seconds, events/s, peak RSS;
#  2. how time grows with the population: 1/4, 1/2, 1 and 2 times the country;
#  3. replications on 1 vs 2 threads (speed-up).
# Usage: bench/model.sh [replications-for-the-speed-up-test]   (default 4)
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SIM=${SIM:-$ROOT/build/sim}
REPS=${1:-4}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
line() { "$SIM" run "$ROOT/scenarios/base.cfg" -d summary -o "$T/b.h5" "$@" 2>/dev/null | head -n 1; }
echo "== national baseline, 1 replication, 1 thread, summary output"
line -r 1 -t 1
echo "== scaling with population (1 replication, 1 thread)"
for s in 0.25 0.5 1.0 2.0; do
  printf 'scale %-5s ' "$s"; line -r 1 -t 1 --set labour_market.scale=$s | sed 's/^[^:]*: //'
done
echo "== $REPS replications: 1 thread vs 2 threads"
a=$(line -r "$REPS" -t 1); b=$(line -r "$REPS" -t 2)
echo "1 thread:  $a"; echo "2 threads: $b"
ta=$(echo "$a" | sed -n 's/.* \([0-9.]*\) s on.*/\1/p'); tb=$(echo "$b" | sed -n 's/.* \([0-9.]*\) s on.*/\1/p')
echo "speed-up: $(echo "$ta $tb" | awk '{printf "%.2f", $1 / $2}')x"
