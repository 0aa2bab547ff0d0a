#!/bin/sh
# reference.sh: issue 12's national run on the code the issue measured (commit 9df0b40:
# 5.3 s on the issue's machine) and on this tree, alternating on this machine. Assuming the
# ratio of the two carries over to the issue's machine (both are CPU times of similar code under
# the same load), the issue's 5.3 s divided by it estimates this tree's time there, where the
# target of 1.5 s was set.
# The run: scenarios/base.cfg of each tree, 10 years, 1 replication, 1 thread, summary output;
# this tree's without its burn-in (labour_market.burn_in_years=0), which the reference did
# not have. The two trees' models differ (session 4 changed the draws, bench/RESULTS.md), so
# the runs are the same simulated decade of the same country, not the same events.
# Usage: bench/reference.sh [ROUNDS]   (default 5; 15 or more for an interval worth reading; needs the git history and /usr/bin/time;
# builds the reference in a temporary worktree, removed at the end)
# Both builds run pinned to the same CPU (bench/pin.sh; BENCH_CPU chooses it, BENCH_CPU= turns it off).
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
REF=9df0b40
ISSUE_SECONDS=5.3
ROUNDS=${1:-5}
SIM=${SIM:-$ROOT/build/sim}
command -v /usr/bin/time >/dev/null 2>&1 || { echo "reference.sh: needs /usr/bin/time (apt-get install time)" >&2; exit 2; }
[ -x "$SIM" ] || { echo "reference.sh: no $SIM (make all)" >&2; exit 2; }
git -C "$ROOT" cat-file -e "$REF^{commit}" 2>/dev/null || { echo "reference.sh: commit $REF not in this clone's history" >&2; exit 2; }
. "$ROOT/bench/pin.sh"   # PIN: taskset -c CPU (BENCH_CPU)
T=$(mktemp -d)
cleanup() { git -C "$ROOT" worktree remove --force "$T/ref" >/dev/null 2>&1 || true; rm -rf "$T"; }
trap cleanup EXIT
git -C "$ROOT" worktree add --detach "$T/ref" "$REF" >/dev/null 2>&1
make -C "$T/ref" -j2 all >"$T/build.log" 2>&1 || { echo "reference.sh: the reference did not build ($T/build.log)" >&2; exit 1; }
one() {   # one run: tree root, binary, extra options; prints user-CPU seconds
  root=$1 bin=$2
  shift 2
  /usr/bin/time -f '%U' -o "$T/t" $PIN "$bin" run "$root/scenarios/base.cfg" -r 1 -t 1 -d summary -o "$T/x.h5" -q "$@" \
    >/dev/null 2>&1 || { echo "reference.sh: a run of $bin failed" >&2; exit 1; }
  cat "$T/t"
}
median() { sort -n | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
i=1
while [ "$i" -le "$ROUNDS" ]; do
  # odd rounds run the reference first, even rounds this tree: a drift of the machine's
  # speed within a round then favours neither
  if [ $((i % 2)) -eq 1 ]; then
    r=$(one "$T/ref" "$T/ref/build/sim"); n=$(one "$ROOT" "$SIM" --set labour_market.burn_in_years=0)
  else
    n=$(one "$ROOT" "$SIM" --set labour_market.burn_in_years=0); r=$(one "$T/ref" "$T/ref/build/sim")
  fi
  echo "$r" >>"$T/r"; echo "$n" >>"$T/n"
  awk -v r="$r" -v n="$n" 'BEGIN { if (n > 0) print r / n }' >>"$T/q"
  printf 'round %d: reference %s s, this tree %s s (user CPU), ratio %s\n' "$i" "$r" "$n" "$(tail -n 1 "$T/q")"
  i=$((i + 1))
done
mr=$(median <"$T/r"); mn=$(median <"$T/n")
awk -v r="$mr" -v n="$mn" -v s="$ISSUE_SECONDS" 'BEGIN {
  printf "median user seconds: reference %s, this tree %s: %.2fx faster\n", r, n, r / n
  printf "on the issue'"'"'s machine (reference %.1f s there): about %.2f s (target 1.5 s)\n", s, s * n / r }'
# The rounds' own ratios: their median and a distribution-free 95% interval for it
# (bench/median_ci.awk). The speed of this VM moves by tens of percent within an hour; the
# ratio of two builds run side by side moves much less, and this interval says by how much.
sort -g "$T/q" | awk -f "$ROOT/bench/median_ci.awk" | awk -v s="$ISSUE_SECONDS" '{
  printf "ratio per round: median %.2fx over %d rounds", $2, $1
  if (NF == 4) printf ", 95%% interval %.2fx to %.2fx: about %.2f s (%.2f to %.2f s) on the issue'"'"'s machine\n", $3, $4, s / $2, s / $4, s / $3
  else printf " (too few rounds for an interval): about %.2f s on the issue'"'"'s machine\n", s / $2 }'
