#!/bin/sh
# ab.sh: compare the speed of two builds of sim on the same run, alternating them
# so that a shared machine's changing load falls on both alike (bench/RESULTS.md).
# Prints the user-CPU seconds and peak RSS of every run, then the median of each
# build, their ratio, and whether /summary came out bit for bit the same.
# Usage: bench/ab.sh OLD_SIM NEW_SIM [ROUNDS] [-- sim-run options]
#   default run: scenarios/base.cfg, 1 replication, 1 thread, summary output;
#   options after -- are added (e.g. -- --set labour_market.scale=0.25).
# Every run is pinned to one CPU (bench/pin.sh; BENCH_CPU chooses it, BENCH_CPU= turns it off).
# Needs /usr/bin/time (Debian: time) and h5dump (hdf5-tools).
set -eu
[ $# -ge 2 ] || { echo "usage: bench/ab.sh OLD_SIM NEW_SIM [ROUNDS] [-- sim-run options]" >&2; exit 2; }
ROOT=$(cd "$(dirname "$0")/.." && pwd)
A=$1 B=$2
shift 2
ROUNDS=5
if [ $# -gt 0 ] && [ "$1" != "--" ]; then ROUNDS=$1; shift; fi
[ $# -gt 0 ] && [ "$1" = "--" ] && shift
for x in "$A" "$B"; do [ -x "$x" ] || { echo "ab.sh: $x: not an executable" >&2; exit 2; }; done
command -v /usr/bin/time >/dev/null 2>&1 || { echo "ab.sh: needs /usr/bin/time (apt-get install time)" >&2; exit 2; }
. "$ROOT/bench/pin.sh"   # PIN: taskset -c CPU (BENCH_CPU)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
one() {   # one run of binary $1 into $2.h5 with options $3...; prints "user-seconds rss-KB"
  bin=$1 out=$2
  shift 2
  /usr/bin/time -f '%U %M' -o "$T/t" $PIN "$bin" run "$ROOT/scenarios/base.cfg" -r 1 -t 1 -d summary \
    -o "$T/$out.h5" -q "$@" >/dev/null 2>&1 || { echo "ab.sh: $bin failed" >&2; exit 1; }
  cat "$T/t"
}
median() { sort -n | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
i=1
while [ "$i" -le "$ROUNDS" ]; do
  ra=$(one "$A" a "$@"); rb=$(one "$B" b "$@")
  echo "$ra" | cut -d' ' -f1 >>"$T/a"; echo "$rb" | cut -d' ' -f1 >>"$T/b"
  printf 'round %d: old %s s (%s KB), new %s s (%s KB)\n' "$i" ${ra% *} ${ra#* } ${rb% *} ${rb#* }
  i=$((i + 1))
done
ma=$(median <"$T/a"); mb=$(median <"$T/b")
la=$(sort -n "$T/a" | head -n 1); lb=$(sort -n "$T/b" | head -n 1)
printf 'median user seconds: old %s, new %s, new/old %.3f\n' "$ma" "$mb" "$(echo "$mb $ma" | awk '{print $1 / $2}')"
printf 'least user seconds:  old %s, new %s, new/old %.3f\n' "$la" "$lb" "$(echo "$lb $la" | awk '{print $1 / $2}')"
if command -v h5dump >/dev/null 2>&1; then
  if [ "$(h5dump -d /summary "$T/a.h5" | tail -n +2 | md5sum)" = "$(h5dump -d /summary "$T/b.h5" | tail -n +2 | md5sum)" ]; then
    echo "/summary: bitwise identical"
  else
    echo "/summary: DIFFERS"
  fi
fi
