#!/bin/sh
# test_readme_run.sh: README.md shows what `make run` prints (the national baseline at full
# scale, 4 replications); those numbers are this build's, to the last digit. The run is
# what `make run` does (`build/sim run scenarios/base.cfg`, Makefile target `run`), written
# into a temporary directory. Results do not depend on the thread count, so the figures
# match wherever the same build runs with the same C library (a libm on another processor
# could round a pow or log differently); the wall times in the first two lines are left out,
# the event count (3 significant digits, as printed) is not. README's result lines must appear
# in the output in README's order ("..." stands for lines left out). A stale README block (it
# went stale once, unnoticed) fails here.
set -u
. "$(dirname "$0")/lib.sh"   # ROOT, BUILD, SIM; ok, no, check, checks, skip, die, finish
[ -x "$BUILD/sim" ] || die "no $BUILD/sim (run make all)"
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
grep -q "^run: " "$ROOT/Makefile" && grep -q 'sim run \$(RUN_SCENARIO)$' "$ROOT/Makefile" \
  && grep -qF 'RUN_SCENARIO ?= $(firstword $(wildcard scenarios/base.cfg) ' "$ROOT/Makefile" \
  && ok || no "Makefile's run target no longer runs \$(RUN_SCENARIO) = scenarios/base.cfg (update this test)"

# README's block: the fenced block after "and prints:" in the make-run paragraph
awk '/runs `scenarios\/base.cfg`/ { on = 1 } on && /^```$/ { if (++f == 2) exit; next } on && f == 1' \
  "$ROOT/README.md" >"$T/readme"
[ "$(wc -l <"$T/readme")" -ge 20 ] && ok || no "README's make-run output block not found (or under 20 lines)"

cd "$T" && ln -s "$ROOT/scenarios" scenarios || exit 1
"$BUILD/sim" run scenarios/base.cfg -o "$T/base.h5" >"$T/out" 2>"$T/err"; rc=$?
[ "$rc" -eq 0 ] && ok || { no "sim run scenarios/base.cfg exited $rc"; sed 's/^/  /' "$T/err" | tail -n 3; }

# every result line of README's block appears verbatim ("..." elides the middle of the top/bottom list)
sed -n '/National results/,/all 51 outcomes/p' "$T/readme" | grep -vxF '    ...' >"$T/want"
[ "$(wc -l <"$T/want")" -ge 20 ] && ok || no "README's block has no 'National results' ... 'all 51 outcomes' part"
missing=$(grep -cvxF -f "$T/out" "$T/want")
[ "$missing" -eq 0 ] && ok || {
  no "README's make-run block is not what sim run prints now (lines that differ: $missing; update README.md):"
  grep -vxF -f "$T/out" "$T/want" | sed 's/^/  README: /'
  sed -n '/National results/,/all 51 outcomes/p' "$T/out" | sed 's/^/  now:    /'
}
# ... and in README's order: each line found after the one before it
order=$(awk 'NR == FNR { out[++n] = $0; next } { while (++i <= n && out[i] != $0); if (i > n) { print $0; exit } }' \
  "$T/out" "$T/want")
[ -z "$order" ] && ok || no "README's make-run block lists its lines in another order than sim run prints them (the first out of place: "$order")"
# the header: the replication count and the events (deterministic), not the times
want_ev=$(sed -n 's/^scenarios\/base.cfg: 4 replications, \([0-9.e+]*\) events, .*/\1/p' "$T/readme")
got_ev=$(sed -n 's/^scenarios\/base.cfg: 4 replications, \([0-9.e+]*\) events, .*/\1/p' "$T/out")
[ -n "$want_ev" ] && [ "$want_ev" = "$got_ev" ] && ok \
  || no "events: README says '${want_ev:-nothing}', the run prints '${got_ev:-nothing}'"
grep -q '^sim: 4/4 replications done' "$T/out" 2>/dev/null || grep -q '^sim: 4/4 replications done' "$T/err" \
  && ok || no "no '4/4 replications done' line"
finish
