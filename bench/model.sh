#!/bin/sh
# model.sh: benchmarks of the labour-market model (DESIGN.md §8, issue 4; figures in bench/RESULTS.md).
#  1. the whole country, 10 years, 1 replication, 1 thread, summary output: seconds, events/s, peak RSS,
#     and the CPU (user) seconds, which a shared machine disturbs less than the wall time; with the
#     model's 6-year burn-in, and without it (the 10 simulated years issue 12's target was set for);
#  2. how time grows with the population: 1/4, 1/2, 1 and 2 times the country, and the 2x/1x ratio;
#  3. replications on 1 vs 2 threads (speed-up).
# "events" is what `sim run` prints: events handled. What counts as an event changed with the
# model (vacancies that do not reach the WSP are counted per month, not drawn: bench/RESULTS.md,
# session 4): compare runs of different versions by time (bench/ab.sh), not by events/s.
# Usage: bench/model.sh [replications-for-the-speed-up-test]   (default 4)
# Environment: SIM (the binary, default build/sim); PERF=1 also records a perf
# profile of run 1 and prints its top functions (needs perf). The 1-thread runs are pinned
# to one CPU (bench/pin.sh; BENCH_CPU chooses it, BENCH_CPU= turns it off).
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SIM=${SIM:-$ROOT/build/sim}
REPS=${1:-4}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
. "$ROOT/bench/pin.sh"   # PIN: taskset -c CPU (BENCH_CPU)
# One run: the sim's own line (events, wall seconds, events/s, peak RSS) plus user CPU seconds.
line() {   # options; a run with -t 1 is pinned ($PIN), others are not
  pin=
  case " $* " in *" -t 1 "*) pin=$PIN ;; esac
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -f '%U' -o "$T/cpu" $pin "$SIM" run "$ROOT/scenarios/base.cfg" -d summary -o "$T/b.h5" "$@" \
      2>/dev/null | head -n 1 | tr -d '\n'
    printf ', %s s CPU\n' "$(cat "$T/cpu")"
  else
    $pin "$SIM" run "$ROOT/scenarios/base.cfg" -d summary -o "$T/b.h5" "$@" 2>/dev/null | head -n 1
  fi
}
secs() { sed -n 's/.* \([0-9.]*\) s on.*/\1/p'; }
echo "== national baseline, 1 replication, 1 thread, summary output (10 years after a 6-year burn-in)"
line -r 1 -t 1
echo "== the same without the burn-in: 10 simulated years, as issue 12's target was set (before issue 13 added it)"
line -r 1 -t 1 --set labour_market.burn_in_years=0
if [ "${PERF:-0}" = 1 ] && command -v perf >/dev/null 2>&1; then
  perf record -q -g -o "$T/perf.data" "$SIM" run "$ROOT/scenarios/base.cfg" -d summary -o "$T/b.h5" -r 1 -t 1 \
    >/dev/null 2>&1
  echo "-- perf: top functions (self)"
  perf report -i "$T/perf.data" --no-children --stdio 2>/dev/null | grep -E '^ +[0-9]+\.[0-9]+%' | head -n 15
fi
echo "== scaling with population (1 replication, 1 thread)"
for s in 0.25 0.5 1.0 2.0; do
  r=$(line -r 1 -t 1 --set labour_market.scale=$s | sed 's/^[^:]*: //')
  printf 'scale %-5s %s\n' "$s" "$r"
  eval "t_$(echo "$s" | tr -d .)=$(echo "$r" | secs)"
done
echo "time(2x) / time(1x): $(echo "$t_20 $t_10" | awk '{printf "%.2f", $1 / $2}')"
echo "== $REPS replications: 1 thread vs 2 threads"
a=$(line -r "$REPS" -t 1); b=$(line -r "$REPS" -t 2)
echo "1 thread:  $a"; echo "2 threads: $b"
ta=$(echo "$a" | secs); tb=$(echo "$b" | secs)
echo "speed-up: $(echo "$ta $tb" | awk '{printf "%.2f", $1 / $2}')x"
