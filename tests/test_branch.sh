#!/bin/sh
# test_branch.sh: `sim run` with several scenarios (sim_runner_run_jobs): a scenario
# that differs from an earlier one only in its policy continues from that one's
# burn-in, and every file equals the scenario's own `sim run` bit for bit in
# /summary, /series and /events. Covered: a programme branched from the baseline,
# a programme plus shock branched from the shock scenario, a scenario with other
# parameters (cooperation) that runs its own burn-in, detail events with a sample,
# 2 threads for 3 replications, drawn parameter sets; and the refusals (-o with
# several scenarios, two models, two files of one name, two replication counts),
# each exit 2 or 1 with nothing written.
set -u
. "$(dirname "$0")/lib.sh"   # ROOT, BUILD, SIM; ok, no, check, checks, skip, die, finish
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
S="$ROOT/scenarios"
# differs A.h5 B.h5 DATASET...: the datasets whose values differ (h5diff: exact), or nothing
differs() {
  a=$1 b=$2; shift 2
  for x in "$@"; do h5diff -q "$a" "$b" "$x" "$x" >/dev/null 2>&1 || printf ' %s' "$x"; done
}
OPTS="-r 3 -t 2 --scale 0.03 -d events --sample 0.05"
SCEN="baseline pow-incidental covid pow-structural-covid cooperation-high"

set -- ; for n in $SCEN; do set -- "$@" "$S/$n.cfg"; done
"$SIM" run "$@" $OPTS --output-dir "$T/together" >"$T/out" 2>"$T/err"
rc=$?
[ $rc -eq 0 ] && ok "five scenarios in one run (exit 0)" || no "run of five failed ($rc): $(tail -n 2 "$T/err")"
grep -q "pow-incidental.cfg: 3 replications, .* events, continued from the burn-in of .*/baseline.cfg$" "$T/out" \
  && grep -q "pow-structural-covid.cfg: .*continued from the burn-in of .*/covid.cfg$" "$T/out" \
  && ok "the programmes continue from the baseline's and the shock's burn-in" \
  || no "no branching reported: $(grep 'replications' "$T/out")"
! grep -q "cooperation-high.cfg: .*continued" "$T/out" && ! grep -q "covid.cfg: .*continued from the burn-in of .*/baseline" "$T/out" \
  && ok "other parameters (cooperation, the shock's thinning bounds): their own burn-in" \
  || no "a scenario with other parameters was branched"
grep -q '^5 scenarios (2 continued from another.s burn-in): ' "$T/out" && ok "the closing line counts the shared burn-ins" \
  || no "closing line: $(tail -n 1 "$T/out")"

if ! command -v h5diff >/dev/null 2>&1; then
  skip "bitwise comparison: needs h5diff (apt-get install hdf5-tools)"
else
  for n in $SCEN; do
    "$SIM" run "$S/$n.cfg" $OPTS -q -o "$T/$n.h5" 2>"$T/err.$n" || { no "$n alone failed: $(tail -n 1 "$T/err.$n")"; continue; }
    d=$(differs "$T/$n.h5" "$T/together/$n.h5" /summary /series /events)
    [ -z "$d" ] && ok "$n: /summary, /series, /events bitwise as its own run" || no "$n differs from its own run in$d"
  done
  # the comparison can fail: another seed differs
  "$SIM" run "$S/pow-incidental.cfg" $OPTS -q -s 7 -o "$T/seed7.h5" 2>/dev/null
  h5diff -q "$T/seed7.h5" "$T/together/pow-incidental.h5" /summary /summary >/dev/null 2>&1 \
    && no "h5diff finds no difference between two seeds" || ok "the check can fail (another seed differs)"
fi

"$SIM" run "$S/baseline.cfg" "$S/covid.cfg" -o "$T/x.h5" >"$T/o" 2>&1
[ $? -eq 2 ] && grep -q 'with several scenarios use --output-dir' "$T/o" && [ ! -e "$T/x.h5" ] \
  && ok "-o with two scenarios: usage error (exit 2), nothing written" || no "-o with two: $(cat "$T/o")"
# drawn parameter sets (--draw-parameters): replication r of both scenarios has r's set, so
# the structural funding continues from the incidental one's burn-in in every replication
"$SIM" run "$S/sens-incidental.cfg" "$S/sens-structural.cfg" --draw-parameters -r 3 -t 2 --scale 0.02 -d series \
  --output-dir "$T/drawn" >"$T/o" 2>&1
rc=$?
[ $rc -eq 0 ] && grep -q 'sens-structural.cfg: 3 replications, .*continued from the burn-in of .*sens-incidental.cfg' "$T/o" \
  && ok "--draw-parameters with two scenarios: the second continues from the first's burn-in" \
  || no "--draw-parameters with two: rc $rc: $(tail -n 2 "$T/o")"
if command -v h5diff >/dev/null 2>&1; then
  for n in sens-incidental sens-structural; do
    "$SIM" run "$S/$n.cfg" --draw-parameters -r 3 -t 1 --scale 0.02 -d series -q -o "$T/d-$n.h5" 2>/dev/null
    d=$(differs "$T/d-$n.h5" "$T/drawn/$n.h5" /summary /series /parameter_draws)
    [ -z "$d" ] && ok "$n with draws: bitwise as its own run (1 thread)" || no "$n with draws differs in$d"
  done
else
  skip "draws bitwise: needs h5diff" 2
fi
"$SIM" run "$S/baseline.cfg" "$S/pow-incidental.cfg" -q --scale 0.02 --set replications=3 --output-dir "$T/reps" >"$T/o" 2>&1
[ $? -eq 0 ] && ok "one replication count (--set applies to both)" || no "--set replications for both: $(cat "$T/o")"
cp -r "$S" "$T/sc" && sed -i 's/^replications = 4; /replications = 5; /' "$T/sc/base.cfg" && cp "$T/sc/pow-incidental.cfg" "$T/sc/five.cfg"
"$SIM" run "$S/baseline.cfg" "$T/sc/five.cfg" -q --scale 0.02 --output-dir "$T/reps2" >"$T/o" 2>&1
[ $? -eq 1 ] && grep -q 'asks for 5 replications, .*baseline.cfg for 4 (allowed: one count for all; use -r N)' "$T/o" \
  && [ -z "$(ls "$T/reps2" 2>/dev/null)" ] && ok "different replication counts: refused, nothing written" \
  || no "different counts: $(cat "$T/o")"
"$SIM" run "$S/baseline.cfg" "$S/mm1.cfg" -q --scale 0.02 -r 1 --output-dir "$T/mixed" >"$T/o" 2>&1
[ $? -eq 1 ] && grep -q 'one model per run' "$T/o" && [ -z "$(ls "$T/mixed" 2>/dev/null)" ] \
  && ok "two models: refused (exit 1), nothing written" || no "two models: $(cat "$T/o")"
# a model-level problem in the second scenario (the model configured the first): exit 1, no crash
printf '@include "%s/base.cfg"\nprogrammes = ( { name = "p"; kind = "structurel"; } );\n' "$S" >"$T/badkind.cfg"
for cmd in validate run; do
  "$SIM" $cmd "$S/baseline.cfg" "$T/badkind.cfg" -q --scale 0.02 -r 1 --output-dir "$T/badkind" >"$T/o" 2>&1
  rc=$?
  [ $rc -eq 1 ] && grep -q 'badkind.cfg:2: .*unknown value "structurel"' "$T/o" && [ -z "$(ls "$T/badkind" 2>/dev/null)" ] \
    && ok "$cmd: a model-level problem in the second scenario: exit 1, nothing written" || no "$cmd, bad second scenario: exit $rc, $(cat "$T/o")"
done
mkdir -p "$T/other" && cp "$S/covid.cfg" "$T/other/baseline.cfg" 2>/dev/null
sed -i "s|@include \"|@include \"$S/|" "$T/other/baseline.cfg"
"$SIM" run "$S/baseline.cfg" "$T/other/baseline.cfg" -q --scale 0.02 -r 1 --output-dir "$T/dup" >"$T/o" 2>&1
[ $? -eq 2 ] && grep -q 'would both write' "$T/o" && [ ! -e "$T/dup" ] \
  && ok "two scenarios of one file name: usage error (exit 2), nothing written" || no "same name: $(cat "$T/o")"
# interrupted: every unfinished file is removed (several are open at once)
"$SIM" run "$S/baseline.cfg" "$S/pow-incidental.cfg" "$S/covid.cfg" -r 4 -t 1 --scale 0.2 --output-dir "$T/int" >"$T/o" 2>&1 &
pid=$!
n=0; while [ "$(ls "$T/int" 2>/dev/null | grep -c partial)" -lt 3 ] && [ $n -lt 100 ]; do sleep 0.05; n=$((n + 1)); done
sleep 0.3; kill -INT $pid; wait $pid; rc=$?
[ $rc -ne 0 ] && [ -z "$(ls "$T/int" 2>/dev/null)" ] && grep -q 'removed the unfinished output file' "$T/o" \
  && ok "interrupted with three files open: all three removed" || no "interrupt: rc $rc, left: $(ls "$T/int" 2>/dev/null)"
# memory runs short: the base, a branch or the copy between them cannot get memory
case $BUILD in *asan*) skip "memory limits (ulimit -v under ASan)" 2 ;; *)
  for v in 120000 200000; do
    sh -c "ulimit -v $v; exec timeout 120 \"$SIM\" run \"$S/baseline.cfg\" \"$S/pow-incidental.cfg\" -q -t 2 -r 2 --output-dir \"$T/mem$v\"" >"$T/o" 2>&1
    rc=$?
    [ $rc -eq 1 ] && grep -q 'out of memory' "$T/o" && [ -z "$(ls "$T/mem$v" 2>/dev/null)" ] \
      && ok "under ulimit -v $v: exit 1, out of memory, nothing written" || no "ulimit -v $v: rc $rc: $(tail -n 1 "$T/o")"
  done ;;
esac
# a file that cannot be written (ulimit -f): no file of the run appears, also not the
# smaller one that would fit (every file is finished before the first is renamed)
sed 's/^  detail = "series"; /  detail = "summary";/' "$T/sc/base.cfg" >"$T/sc/base-sum.cfg"
sed 's/@include "base.cfg"/@include "base-sum.cfg"/' "$T/sc/baseline.cfg" >"$T/sc/basesum.cfg"
sh -c "ulimit -f 450; exec \"$SIM\" run \"$T/sc/basesum.cfg\" \"$T/sc/pow-incidental.cfg\" -q --scale 0.02 -r 2 -s 20190101 --output-dir \"$T/fsize\"" >"$T/o" 2>&1
rc=$?
[ $rc -eq 1 ] && grep -q 'pow-incidental.h5: cannot write' "$T/o" && [ -z "$(ls "$T/fsize" 2>/dev/null)" ] \
  && ok "a file too large for ulimit -f: exit 1, named, neither file left" || no "ulimit -f: rc $rc, left: $(ls "$T/fsize" 2>/dev/null): $(tail -n 1 "$T/o")"
"$SIM" validate "$S/baseline.cfg" "$S/pow-incidental.cfg" >"$T/o" 2>&1
[ $? -eq 0 ] && [ "$(grep -c ': valid (model labour_market)$' "$T/o")" -eq 2 ] && ok "validate with two scenarios: a line each" \
  || no "validate two: $(cat "$T/o")"
finish
