#!/bin/sh
# test_calibrate.sh: issue 13. The burn-in makes the baseline stationary; scenario
# overrides lists; `sim calibrate`: bad targets files refused before anything runs,
# --check, a small fit with its record, overlay and journal, resume from the journal.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD="$ROOT/$BUILD" ;; esac
SIM="$BUILD/sim"
. "$ROOT/tests/pyfind.sh"
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
pass=0; fail=0
ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; }
check() { if eval "$2"; then ok "$1"; else bad "$1"; fi; }
S="$ROOT/scenarios"

# 1. Stationary start: the baseline's headline series trend by less than 2% a year.
if [ -n "$PY" ] && "$SIM" run "$S/baseline.cfg" -r 2 -q --set labour_market.scale=0.1 -o "$T/st.h5"; then
  if "$PY" "$ROOT/tests/stationarity.py" "$T/st.h5" 0.02 >"$T/st.txt"; then ok "baseline stationary (trend < 2%/yr, scale 0.1)"
  else cat "$T/st.txt"; bad "baseline stationary (trend < 2%/yr, scale 0.1)"; fi
  "$SIM" run "$S/baseline.cfg" -r 2 -q --set labour_market.scale=0.1 --set labour_market.burn_in_years=0 -o "$T/st0.h5"
  check "without the burn-in the same check fails (it can fail)" "! \"$PY\" \"$ROOT/tests/stationarity.py\" \"$T/st0.h5\" 0.02 >/dev/null 2>&1"
else
  bad "baseline run for the stationarity check (needs python3 with h5py)"
fi

# 2. overrides lists: applied in order, --set wins, problems at their line.
cat >"$T/ov.cfg" <<CFG
@include "$S/baseline.cfg"
overrides = ( { key = "labour_market.end"; value = "2021-01-01"; source = "test"; } );
overrides_more = ( { key = "replications"; value = 3; } );
CFG
check "overrides: the scenario validates" "\"$SIM\" validate \"$T/ov.cfg\" >/dev/null"
"$SIM" run "$T/ov.cfg" -q --set labour_market.scale=0.01 -r 2 -o "$T/ov.h5" && h5dump -a /replications "$T/ov.h5" >"$T/ov.txt" 2>&1
check "overrides: --set wins over an overrides list (2 replications)" "grep -q '(0): 2' \"$T/ov.txt\""
cat >"$T/ovbad.cfg" <<CFG
@include "$S/baseline.cfg"
overrides = (
  { key = "labour_market.nope"; value = 1; },
  { key = "seed"; value = "x"; },
  { key = "labour_market.scale"; valu = 0.5; }
);
CFG
"$SIM" validate "$T/ovbad.cfg" >"$T/ovbad.out" 2>&1; rc=$?
check "overrides: bad entries exit 1" "[ $rc -eq 1 ]"
check "overrides: unknown key at its line" "grep -q 'ovbad.cfg:3: .*labour_market.nope: unknown key' \"$T/ovbad.out\""
check "overrides: wrong type at its line" "grep -q 'ovbad.cfg:4: .*seed: the override is a string' \"$T/ovbad.out\""
check "overrides: unknown member named" "grep -q 'ovbad.cfg:5: .*unknown key in an override' \"$T/ovbad.out\""

# 3. Bad targets files: file:line, exit 1, nothing run, no output.
targets() {   # $1 = parameters list, $2 = targets list
  printf 'calibration = {\n  scale_key = "labour_market.scale";\n  parameters = ( %s );\n  targets = (\n%s\n  );\n};\n' "$1" "$2" >"$T/t.cfg"
}
P='{ key = "labour_market.hazards.other_exit_per_month"; lower = 0.005; upper = 0.02; }'
G='    { name = "stock"; series = "caseload"; at = "2019-12-31"; value = 415000.0; tolerance = 8000.0; fit = true; source = "test"; }'
try_bad() {   # $1 = description, $2 = expected fragment
  "$SIM" calibrate "$S/history.cfg" "$T/t.cfg" -r 1 --scale 0.01 -q -o "$T/bad.h5" >"$T/bad.out" 2>&1; rc=$?
  if [ $rc -eq 1 ] && grep -q -- "$2" "$T/bad.out" && grep -q "nothing was run" "$T/bad.out" && [ ! -e "$T/bad.h5" ] && [ ! -e "$T/bad.journal" ]; then
    ok "bad targets: $1"
  else cat "$T/bad.out"; bad "bad targets: $1 (exit $rc)"; fi
}
targets "$P" "$(echo "$G" | sed 's/series = "caseload"/series = "caseloud"/')"; try_bad "unknown series" 't.cfg:5: target stock: series = "caseloud": unknown /series'
targets "$P" "$(echo "$G" | sed 's/series = "caseload"; at = "2019-12-31"/summary = "durables"/')"; try_bad "unknown summary field" 't.cfg:5: target stock: summary = "durables": unknown /summary field'
targets "$P" "$(echo "$G" | sed 's/2019-12-31/2031-12-31/')"; try_bad "date outside the run" 't.cfg:5: target stock: a date outside the run'
targets "$P" "$(echo "$G" | sed 's/tolerance = 8000.0/tolerance = 0.0/')"; try_bad "non-positive tolerance" 't.cfg:5: .*tolerance must be positive'
targets '{ key = "labour_market.hazards.other_exit_per_month"; lower = 0.005; }' "$G"; try_bad "parameter without an upper bound" "t.cfg:3: .*missing key 'upper'"
targets '{ key = "labour_market.hazards.other_exit_per_month"; lower = 0.005; upper = 50.0; }' "$G"; try_bad "bound outside the allowed range" 't.cfg:3: parameter labour_market.hazards.other_exit_per_month: the upper bound 50'
targets '{ key = "labour_market.hazards.nope"; lower = 0.005; upper = 0.02; }' "$G"; try_bad "parameter not in the scenario" 't.cfg:3: parameter labour_market.hazards.nope: not a key'
targets "$P" "$(echo "$G" | sed 's/fit = true;/fit = true; colour = 1;/')"; try_bad "unknown key in a target" 't.cfg:5: .*colour: unknown key'

# 4. --check: the table, exit 0 when every in-sample target is met, 1 otherwise.
targets "$P" "$G"
"$SIM" calibrate "$S/history.cfg" "$T/t.cfg" --check -r 2 --scale 0.02 -q --markdown "$T/v.md" >"$T/check.out" 2>&1; rc=$?
check "--check prints the target table" "grep -q '^  stock ' \"$T/check.out\""
check "--check: the stock at end 2019 is within 2% of CBS (exit $rc)" "[ $rc -eq 0 ]"
check "--check writes the Markdown table" "grep -q '^| stock | test | 415000 ' \"$T/v.md\""
targets "$P" "$(echo "$G" | sed 's/value = 415000.0/value = 215000.0/')"
"$SIM" calibrate "$S/history.cfg" "$T/t.cfg" --check -r 2 --scale 0.02 -q >"$T/check2.out" 2>&1; rc=$?
check "--check exits 1 when an in-sample target is missed" "[ $rc -eq 1 ] && grep -q 'FAIL' \"$T/check2.out\""

# 5. A small fit (the stock level through the other-exit hazard): record, overlay, journal, resume.
targets "$P" "$(echo "$G" | sed 's/value = 415000.0/value = 380000.0/; s/tolerance = 8000.0/tolerance = 4000.0/')"
fit() { "$SIM" calibrate "$S/history.cfg" "$T/t.cfg" -r 2 -t 2 --scale 0.02 --max-evals 8 -o "$T/fit.h5" "$@"; }
fit >"$T/fit.out" 2>"$T/fit.err"; rc=$?
check "calibrate exits 0 and reports its status" "[ $rc -eq 0 ] && grep -q 'objective' \"$T/fit.out\""
check "every evaluation reported on stderr" "[ \$(grep -c '^eval ' \"$T/fit.err\") -ge 3 ]"
first=$(grep '^eval ' "$T/fit.err" | head -1 | sed 's/.*objective *\([^ ]*\).*/\1/')
best=$(tail -1 "$T/fit.err" | sed 's/.*best *\([^ ]*\).*/\1/')
check "the fit improves the objective ($first -> $best)" "awk 'BEGIN{exit !($best < $first)}'"
check "the record: /calibration parameters, targets, objective, table" \
  "h5dump -H \"$T/fit.h5\" 2>/dev/null | grep -q 'DATASET \"objective\"' && h5dump -H \"$T/fit.h5\" | grep -q 'DATASET \"table\"'"
check "the overlay includes the scenario and holds the fitted value with provenance" \
  "grep -q '@include \".*history.cfg\"' \"$T/fit.cfg\" && grep -q 'key = \"labour_market.hazards.other_exit_per_month\"; value = .*source = \"calibrated: ' \"$T/fit.cfg\""
check "the overlay is a valid scenario" "\"$SIM\" validate \"$T/fit.cfg\" >/dev/null"
n1=$(grep -c '^eval ' "$T/fit.err")
check "the journal holds every evaluation" "[ \$(grep -vc '^#' \"$T/fit.journal\") -eq $n1 ]"
# resume after an interruption: keep the first 3 evaluations and a torn line, rerun
head -n 4 "$T/fit.journal" >"$T/j" && printf '3 0x1.8p+0 0x1' >>"$T/j" && mv "$T/j" "$T/fit.journal"
cp "$T/fit.out" "$T/fit1.out"
fit >"$T/fit.out" 2>"$T/fit2.err"; rc=$?
check "resume: replays the recorded evaluations" "grep -q 'replaying 3 recorded evaluations' \"$T/fit2.err\" && [ \$(grep -c '(journal)' \"$T/fit2.err\") -eq 3 ]"
check "resume: the same result as the uninterrupted run" "[ $rc -eq 0 ] && diff \"$T/fit1.out\" \"$T/fit.out\" >/dev/null"
check "resume: the journal is whole again" "[ \$(grep -vc '^#' \"$T/fit.journal\") -eq $n1 ]"
fit --set labour_market.population.inflow_per_month=0.019 >"$T/fit3.out" 2>&1; rc=$?
check "a journal of another calibration is refused" "[ $rc -eq 1 ] && grep -q 'belongs to another calibration' \"$T/fit3.out\""

# 6. The shipped history at a tenth of the population: every target that passes in
#    docs/validation.md (make validate, full scale) passes here too, and none of the
#    in-sample ones that pass there is lost (a regression guard on the calibrated model).
"$SIM" calibrate --check "$S/history.cfg" "$S/targets/history.cfg" -r 8 --scale 0.1 -q >"$T/h.out" 2>&1
awk -F'|' '$9 ~ /pass/ {gsub(/ /, "", $2); print $2}' "$ROOT/docs/validation.md" | sort >"$T/want"
awk '$NF == "pass" {print $1}' "$T/h.out" | sort >"$T/have"
lost=$(comm -23 "$T/want" "$T/have" | tr '\n' ' ')
check "history at scale 0.1: the $(wc -l <"$T/want") targets that pass in docs/validation.md pass${lost:+ (lost: $lost)}" \
  "[ -s \"$T/want\" ] && [ -z \"$lost\" ]"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
