#!/bin/sh
# scaling.sh: issue 12's linearity figure, twice the country against the country. Runs the
# national run (scenarios/base.cfg, no burn-in, 1 replication, 1 thread, summary output) at
# scale S and 2S in alternating pairs, every run pinned to one CPU (bench/pin.sh), and prints
# each pair's user-CPU seconds and ratio, the median of the pairs' ratios with a
# distribution-free 95% interval (bench/median_ci.awk), and the ratio of the median times.
# The target is at most 2.1. On a shared VM single pairs range over +-15% (bench/RESULTS.md,
# session 25): use 11 pairs or more, and more than one set.
# Usage: bench/scaling.sh [PAIRS] [-- sim-run options]   (default 11 pairs)
# Environment: SIM (default build/sim), SCALE (S, default 1), BENCH_CPU (bench/pin.sh).
# Needs /usr/bin/time (Debian: time).
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SIM=${SIM:-$ROOT/build/sim}
S=${SCALE:-1}
PAIRS=11
if [ $# -gt 0 ] && [ "$1" != "--" ]; then PAIRS=$1; shift; fi
[ $# -gt 0 ] && [ "$1" = "--" ] && shift
case $PAIRS in ''|*[!0-9]*|0) echo "usage: bench/scaling.sh [PAIRS] [-- sim-run options]" >&2; exit 2 ;; esac
command -v /usr/bin/time >/dev/null 2>&1 || { echo "scaling.sh: needs /usr/bin/time (apt-get install time)" >&2; exit 2; }
[ -x "$SIM" ] || { echo "scaling.sh: no $SIM (make all)" >&2; exit 2; }
S2=$(awk -v s="$S" 'BEGIN { print 2 * s }')
. "$ROOT/bench/pin.sh"   # PIN: taskset -c CPU (BENCH_CPU)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
one() {   # one run at scale $1 (options after it); prints user-CPU seconds
  sc=$1
  shift
  /usr/bin/time -f '%U' -o "$T/t" $PIN "$SIM" run "$ROOT/scenarios/base.cfg" -r 1 -t 1 -d summary -o "$T/x.h5" -q \
    --set labour_market.burn_in_years=0 --set labour_market.scale="$sc" "$@" >/dev/null 2>&1 \
    || { echo "scaling.sh: a run at scale $sc failed" >&2; exit 1; }
  cat "$T/t"
}
median() { sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
i=1
while [ "$i" -le "$PAIRS" ]; do
  a=$(one "$S" "$@"); b=$(one "$S2" "$@")
  echo "$a" >>"$T/a"; echo "$b" >>"$T/b"
  awk -v a="$a" -v b="$b" 'BEGIN { if (a > 0) print b / a }' >>"$T/q"
  printf 'pair %d: scale %s %s s, scale %s %s s, ratio %s\n' "$i" "$S" "$a" "$S2" "$b" "$(tail -n 1 "$T/q")"
  i=$((i + 1))
done
ma=$(median <"$T/a"); mb=$(median <"$T/b")
printf 'median user seconds: scale %s %s, scale %s %s: %s\n' "$S" "$ma" "$S2" "$mb" \
  "$(awk -v a="$ma" -v b="$mb" 'BEGIN { if (a > 0) printf "%.3fx", b / a; else print "no ratio (0 s)" }')"
sort -g "$T/q" | awk -f "$ROOT/bench/median_ci.awk" | awk '{
  printf "ratio per pair: median %.3fx over %d pairs", $2, $1
  if (NF == 4) printf ", 95%% interval %.3fx to %.3fx", $3, $4
  else printf " (too few pairs for an interval)"
  printf "; target 2.1x or less\n" }'
