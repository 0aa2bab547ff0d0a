#!/bin/sh
# morris.sh: the Morris screening of issue 14 (scenarios/sens-screening.cfg: 30 parameters,
# r = 10, 310 points, 4 replications each, scale 0.1) timed end to end: sweep (with its
# validation of every point) and sim sensitivity. TASKS=k runs only every k-th point
# (--task 0 --tasks k) and extrapolates the wall time to all 310 points.
# Usage: [SIM=build/sim] [TASKS=1] [THREADS=2] bench/morris.sh
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SIM=${SIM:-$ROOT/build/sim}
TASKS=${TASKS:-1}
THREADS=${THREADS:-2}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
t0=$(date +%s.%N)
"$SIM" sweep "$ROOT/scenarios/sens-screening.cfg" -q -t "$THREADS" --task 0 --tasks "$TASKS" -o "$T/points"
t1=$(date +%s.%N)
n=$(ls "$T/points" | grep -c '^point-')
awk -v n="$n" -v t0="$t0" -v t1="$t1" -v th="$THREADS" -v l="$(cut -d' ' -f1 /proc/loadavg)" 'BEGIN {
  s = t1 - t0
  printf "morris screening: %d of 310 points in %.1f s on %s threads (%.2f s per point, load %s); all 310: %.1f min\n",
         n, s, th, s / n, l, s / n * 310 / 60 }'
if [ "$TASKS" -eq 1 ]; then
  "$SIM" merge "$T/points" -q -o "$T/s.h5"
  /usr/bin/time -f 'sim sensitivity: %e s' "$SIM" sensitivity "$T/s.h5" -q -o "$T/i.h5"
fi
