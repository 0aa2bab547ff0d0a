#!/bin/sh
# branch.sh: what a shared burn-in saves (bench/RESULTS.md, session 6). Runs the same
# scenarios once as separate `sim run`s and once as one `sim run A B ...` (where a
# scenario that differs from an earlier one only in its policy continues from that one's
# burn-in), prints user-CPU seconds, wall seconds and peak RSS of both ways, their ratio,
# and whether every /summary came out bit for bit the same.
# Usage: bench/branch.sh [REPS] [-- sim-run options]     (default 2 replications, 1 thread,
#   summary output, the 8 scenarios of `make headline`; e.g. -- --scale 0.25 -t 2)
# Needs /usr/bin/time (Debian: time) and h5diff (hdf5-tools).
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SIM=${SIM:-$ROOT/build/sim}
REPS=2
if [ $# -gt 0 ] && [ "$1" != "--" ]; then REPS=$1; shift; fi
[ $# -gt 0 ] && [ "$1" = "--" ] && shift
OPTS="$*"   # extra sim-run options (words without spaces)
SCEN=${SCENARIOS:-"baseline pow-incidental pow-structural covid pow-incidental-covid pow-structural-covid cooperation-high cooperation-low"}
command -v /usr/bin/time >/dev/null 2>&1 || { echo "branch.sh: needs /usr/bin/time (apt-get install time)" >&2; exit 2; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
mkdir "$T/apart" "$T/together"
cpu=0; wall=0; rss=0
for n in $SCEN; do   # separately: sum the CPU and wall time, the largest RSS
  /usr/bin/time -f '%U %e %M' -o "$T/t" "$SIM" run "$ROOT/scenarios/$n.cfg" -q -r "$REPS" -t 1 -d summary \
    -o "$T/apart/$n.h5" $OPTS >/dev/null
  read -r u e m <"$T/t"
  cpu=$(echo "$cpu $u" | awk '{print $1 + $2}'); wall=$(echo "$wall $e" | awk '{print $1 + $2}')
  [ "$m" -gt "$rss" ] && rss=$m
done
set -- ; for n in $SCEN; do set -- "$@" "$ROOT/scenarios/$n.cfg"; done
/usr/bin/time -f '%U %e %M' -o "$T/t" "$SIM" run "$@" -r "$REPS" -t 1 -d summary --output-dir "$T/together" \
  $OPTS >"$T/out" 2>/dev/null
read -r u2 e2 m2 <"$T/t"
echo "scenarios: $(echo $SCEN | wc -w), $REPS replications each"
tail -n 1 "$T/out"
printf 'separately: %.2f s CPU, %.2f s wall, peak RSS %d MB\n' "$cpu" "$wall" $((rss / 1024))
printf 'together:   %.2f s CPU, %.2f s wall, peak RSS %d MB\n' "$u2" "$e2" $((m2 / 1024))
echo "together/separately, CPU: $(echo "$u2 $cpu" | awk '{printf "%.3f", $1 / $2}')"
same=1
for n in $SCEN; do h5diff -q "$T/apart/$n.h5" "$T/together/$n.h5" /summary /summary >/dev/null 2>&1 || { same=0; echo "/summary of $n DIFFERS"; }; done
[ $same = 1 ] && echo "/summary: bitwise identical in every scenario"
