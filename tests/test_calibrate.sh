#!/bin/sh
# test_calibrate.sh: issue 13. The burn-in makes the baseline stationary; scenario
# overrides lists; `sim calibrate`: bad targets files refused before anything runs,
# --check, a small fit with its record, overlay and journal, resume from the journal;
# --uncertainty against the M/M/1 queue's closed form.
set -u
. "$(dirname "$0")/lib.sh"   # ROOT, BUILD, SIM; ok, no, check, checks, skip, die, finish
. "$ROOT/tests/pyfind.sh"
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
S="$ROOT/scenarios"

# 1. Stationary start: the baseline's headline series trend by less than 2% a year.
if [ -n "$PY" ] && "$SIM" run "$S/baseline.cfg" -r 2 -q --set labour_market.scale=0.1 -o "$T/st.h5"; then
  if "$PY" "$ROOT/tests/stationarity.py" "$T/st.h5" 0.02 >"$T/st.txt"; then ok "baseline stationary (trend < 2%/yr, scale 0.1)"
  else cat "$T/st.txt"; no "baseline stationary (trend < 2%/yr, scale 0.1)"; fi
  "$SIM" run "$S/baseline.cfg" -r 2 -q --set labour_market.scale=0.1 --set labour_market.burn_in_years=0 -o "$T/st0.h5"
  checks "without the burn-in the same check fails (it can fail)" "! \"$PY\" \"$ROOT/tests/stationarity.py\" \"$T/st0.h5\" 0.02 >/dev/null 2>&1"
else
  no "baseline run for the stationarity check (needs python3 with h5py)"
fi

# 2. overrides lists: applied in order, --set wins, problems at their line.
cat >"$T/ov.cfg" <<CFG
@include "$S/baseline.cfg"
overrides = ( { key = "labour_market.end"; value = "2021-01-01"; source = "test"; } );
overrides_more = ( { key = "replications"; value = 3; } );
CFG
checks "overrides: the scenario validates" "\"$SIM\" validate \"$T/ov.cfg\" >/dev/null"
"$SIM" run "$T/ov.cfg" -q --set labour_market.scale=0.01 -r 2 -o "$T/ov.h5" && h5dump -a /replications "$T/ov.h5" >"$T/ov.txt" 2>&1
checks "overrides: --set wins over an overrides list (2 replications)" "grep -q '(0): 2' \"$T/ov.txt\""
printf '@include "%s"\noverrides_calibrated_2 = ( { key = "replications"; value = 4; } );\n' "$T/ov.cfg" >"$T/ov2.cfg"
"$SIM" run "$T/ov2.cfg" -q --set labour_market.scale=0.01 -o "$T/ov2.h5" && h5dump -a /replications "$T/ov2.h5" >"$T/ov2.txt" 2>&1
checks "overrides: a later list wins over an earlier one for the same key (an overlay of an overlay: 4 replications, not 3)" \
  "grep -q '(0): 4' \"$T/ov2.txt\""
cat >"$T/ovbad.cfg" <<CFG
@include "$S/baseline.cfg"
overrides = (
  { key = "labour_market.nope"; value = 1; },
  { key = "seed"; value = "x"; },
  { key = "labour_market.scale"; valu = 0.5; }
);
CFG
"$SIM" validate "$T/ovbad.cfg" >"$T/ovbad.out" 2>&1; rc=$?
checks "overrides: bad entries exit 1" "[ $rc -eq 1 ]"
checks "overrides: unknown key at its line" "grep -q 'ovbad.cfg:3: .*labour_market.nope: unknown key' \"$T/ovbad.out\""
checks "overrides: wrong type at its line" "grep -q 'ovbad.cfg:4: .*seed: the override is a string' \"$T/ovbad.out\""
checks "overrides: unknown member named" "grep -q 'ovbad.cfg:5: .*unknown key in an override' \"$T/ovbad.out\""

# 3. Bad targets files: file:line, exit 1, nothing run, no output.
targets() {   # $1 = parameters list, $2 = targets list
  printf 'calibration = {\n  scale_key = "labour_market.scale";\n  parameters = ( %s );\n  targets = (\n%s\n  );\n};\n' "$1" "$2" >"$T/t.cfg"
}
P='{ key = "labour_market.hazards.other_exit_per_month"; lower = 0.005; upper = 0.02; }'
G='    { name = "stock"; series = "caseload"; at = "2019-12-31"; value = 415000.0; tolerance = 12450.0; fit = true; source = "test"; }'
try_bad() {   # $1 = description, $2 = expected fragment
  "$SIM" calibrate "$S/history.cfg" "$T/t.cfg" -r 1 --scale 0.01 -q -o "$T/bad.h5" >"$T/bad.out" 2>&1; rc=$?
  if [ $rc -eq 1 ] && grep -q -- "$2" "$T/bad.out" && grep -q "nothing was run" "$T/bad.out" && [ ! -e "$T/bad.h5" ] && [ ! -e "$T/bad.journal" ]; then
    ok "bad targets: $1"
  else cat "$T/bad.out"; no "bad targets: $1 (exit $rc)"; fi
}
targets "$P" "$(echo "$G" | sed 's/series = "caseload"/series = "caseloud"/')"; try_bad "unknown series" 't.cfg:5: target stock: series = "caseloud": unknown /series'
targets "$P" "$(echo "$G" | sed 's/series = "caseload"; at = "2019-12-31"/summary = "durables"/')"; try_bad "unknown summary field" 't.cfg:5: target stock: summary = "durables": unknown /summary field'
targets "$P" "$(echo "$G" | sed 's/2019-12-31/2031-12-31/')"; try_bad "date outside the run" 't.cfg:5: target stock: a date outside the run'
targets "$P" "$(echo "$G" | sed 's/tolerance = 12450.0/tolerance = 0.0/')"; try_bad "non-positive tolerance" 't.cfg:5: .*tolerance must be positive'
targets '{ key = "labour_market.hazards.other_exit_per_month"; lower = 0.005; }' "$G"; try_bad "parameter without an upper bound" "t.cfg:3: .*missing key 'upper'"
targets '{ key = "labour_market.hazards.other_exit_per_month"; lower = 0.005; upper = 50.0; }' "$G"; try_bad "bound outside the allowed range" 't.cfg:3: parameter labour_market.hazards.other_exit_per_month: the upper bound 50'
targets '{ key = "labour_market.hazards.nope"; lower = 0.005; upper = 0.02; }' "$G"; try_bad "parameter not in the scenario" 't.cfg:3: parameter labour_market.hazards.nope: not a key'
targets "$P" "$(echo "$G" | sed 's/fit = true;/fit = true; colour = 1;/')"; try_bad "unknown key in a target" 't.cfg:5: .*colour: unknown key'

# 3a. Every file calibrate writes is checked before anything runs (exit 2, one line, every
#     input as it was): OUT.cfg and the other siblings of -o never replace the scenario, the
#     targets file or an @included file, and a missing directory is refused at once, not
#     after the runs.
cp -r "$S" "$T/sc" && cp -r "$S" "$T/sc0"
cal_refused() {   # $1 = description, $2 = expected fragment, $3.. = extra arguments
  d=$1; frag=$2; shift 2
  "$SIM" calibrate "$T/sc/history.cfg" "$T/sc/targets/history.cfg" -r 1 --scale 0.01 --max-evals 3 "$@" >"$T/own.out" 2>&1; rc=$?
  if [ $rc -eq 2 ] && [ "$(wc -l <"$T/own.out")" -eq 1 ] && grep -q -- "$frag" "$T/own.out" && diff -r "$T/sc0" "$T/sc" >/dev/null \
     && [ -z "$(find "$T/sc" -name '*.partial-*' -o -name '*.journal' -o -name '*.h5')" ]; then ok "calibrate refuses $d"
  else cat "$T/own.out"; no "calibrate refuses $d (exit $rc)"; rm -rf "$T/sc" "$T/nodir"; cp -r "$T/sc0" "$T/sc"; fi
}
cal_refused "-o beside the scenario (OUT.cfg = the scenario)" "sc/history.cfg: the output path is one of the input files" -o "$T/sc/history.h5"
cal_refused "-o beside the targets file" "sc/targets/history.cfg: the output path is one of the input files" -o "$T/sc/targets/history.h5"
cal_refused "-o beside an @included file" "sc/base.cfg: the output path is one of the input files" -o "$T/sc/base.h5"
cal_refused "--markdown onto the scenario" "sc/history.cfg: the output path is one of the input files" --check --markdown "$T/sc/history.cfg"
cal_refused "-o in a missing directory" "nodir/c.h5: cannot create output file: No such file or directory" -o "$T/nodir/c.h5" --check --uncertainty
cal_refused "--markdown in a missing directory" "nodir/v.md: cannot create output file" --check --markdown "$T/nodir/v.md"
mkdir -p "$T/outs"
cal_refused "--markdown onto the overlay -o writes (OUT.cfg)" "outs/f.cfg: --markdown names the file .cfg that calibrate writes beside -o" \
  -o "$T/outs/f.h5" --markdown "$T/outs/f.cfg"
cal_refused "--markdown onto the record itself" "outs/f.h5: --markdown names the record -o writes" -o "$T/outs/f.h5" --markdown "$T/outs/f.h5"
rm -rf "$T/sc" "$T/sc0"

# 4. --check: the table, exit 0 when every in-sample target is met, 1 otherwise.
targets "$P" "$G"
"$SIM" calibrate "$S/history.cfg" "$T/t.cfg" --check -r 2 --scale 0.02 -q --markdown "$T/v.md" >"$T/check.out" 2>&1; rc=$?
checks "--check prints the target table" "grep -q '^  stock ' \"$T/check.out\""
checks "--check: the stock at end 2019 is within 3% of CBS at scale 0.02 (exit $rc)" "[ $rc -eq 0 ]"
checks "--check writes the Markdown table" "grep -q '^| stock | test | 415000 ' \"$T/v.md\""
targets "$P" "$(echo "$G" | sed 's/value = 415000.0/value = 215000.0/')"
"$SIM" calibrate "$S/history.cfg" "$T/t.cfg" --check -r 2 --scale 0.02 -q >"$T/check2.out" 2>&1; rc=$?
checks "--check exits 1 when an in-sample target is missed" "[ $rc -eq 1 ] && grep -q 'FAIL' \"$T/check2.out\""
# a file only checked needs no parameters list (scenarios/targets/history-2025.cfg); a fit of it is refused
printf 'calibration = {\n  scale_key = "labour_market.scale";\n  targets = (\n%s\n  );\n};\n' "$G" >"$T/nopar.cfg"
"$SIM" calibrate "$S/history.cfg" "$T/nopar.cfg" --check -r 2 --scale 0.02 -q >"$T/nopar.out" 2>&1; rc=$?
checks "--check of a targets file without parameters: the table (exit $rc)" "[ $rc -eq 0 ] && grep -q '^  stock ' \"$T/nopar.out\""
"$SIM" calibrate "$S/history.cfg" "$T/nopar.cfg" -r 1 --scale 0.01 -q -o "$T/nopar.h5" >"$T/nopar2.out" 2>&1; rc=$?
checks "a fit of a targets file without parameters: exit 1, 'no parameters to fit', nothing written" \
  "[ $rc -eq 1 ] && grep -q 'nopar.cfg: no parameters to fit (allowed: a parameters list; or use --check)' \"$T/nopar2.out\" && [ ! -e \"$T/nopar.h5\" ]"

# 5. A small fit (the stock level through the other-exit hazard): record, overlay, journal, resume.
targets "$P" "$(echo "$G" | sed 's/value = 415000.0/value = 380000.0/; s/tolerance = 8000.0/tolerance = 4000.0/')"
fit() { "$SIM" calibrate "$S/history.cfg" "$T/t.cfg" -r 2 -t 2 --scale 0.02 --max-evals 8 -o "$T/fit.h5" "$@"; }
fit >"$T/fit.out" 2>"$T/fit.err"; rc=$?
checks "calibrate exits 0 and reports its status" "[ $rc -eq 0 ] && grep -q 'objective' \"$T/fit.out\""
checks "every evaluation reported on stderr" "[ \$(grep -c '^eval ' \"$T/fit.err\") -ge 3 ]"
first=$(grep '^eval ' "$T/fit.err" | head -1 | sed 's/.*objective *\([^ ]*\).*/\1/')
best=$(tail -1 "$T/fit.err" | sed 's/.*best *\([^ ]*\).*/\1/')
checks "the fit improves the objective ($first -> $best)" "awk 'BEGIN{exit !($best < $first)}'"
checks "the record: /calibration parameters, targets, objective, table" \
  "h5dump -H \"$T/fit.h5\" 2>/dev/null | grep -q 'DATASET \"objective\"' && h5dump -H \"$T/fit.h5\" | grep -q 'DATASET \"table\"'"
checks "the overlay includes the scenario and holds the fitted value with provenance" \
  "grep -q '@include \".*history.cfg\"' \"$T/fit.cfg\" && grep -q 'key = \"labour_market.hazards.other_exit_per_month\"; value = .*source = \"calibrated: ' \"$T/fit.cfg\""
checks "the overlay is a valid scenario" "\"$SIM\" validate \"$T/fit.cfg\" >/dev/null"
"$SIM" info "$T/fit.h5" >"$T/info.out" 2>&1; rc=$?
checks "sim info describes the record: provenance and kind (exit $rc)" \
  "[ $rc -eq 0 ] && grep -q '^  format_version   2$' \"$T/info.out\" && grep -q '^calibration record (sim calibrate):$' \"$T/info.out\" && grep -q '^  targets_file .*t.cfg$' \"$T/info.out\" && grep -q '^  /calibration/objective ' \"$T/info.out\""
"$SIM" compare "$T/fit.h5" "$T/fit.h5" >"$T/cmp.out" 2>"$T/cmp.err"; rc=$?
checks "sim compare on the record: refused, naming it a calibration record (exit $rc)" \
  "[ $rc -eq 1 ] && [ \$(wc -l <\"$T/cmp.err\") -eq 1 ] && grep -q 'fit.h5: a calibration record (sim calibrate), not a run; sim compare reads run files' \"$T/cmp.err\" && [ ! -s \"$T/cmp.out\" ]"
# a second stage calibrates the first stage's overlay: its own overlay names a list the
# first does not use, so it loads too (two lists called overrides_calibrated would not)
"$SIM" calibrate "$T/fit.cfg" "$T/t.cfg" -r 2 -t 2 --scale 0.02 --max-evals 3 -q -o "$T/fit2.h5" >/dev/null 2>&1
checks "an overlay of an overlay is a valid scenario (overrides_calibrated_2)" \
  "grep -q '^overrides_calibrated_2 = (' \"$T/fit2.cfg\" && \"$SIM\" validate \"$T/fit2.cfg\" >/dev/null"
rm -f "$T/fit2.h5" "$T/fit2.cfg" "$T/fit2.journal"
# no free name left (999 layers): refused before anything runs, not a silent clash
{ printf '@include "%s"\noverrides_calibrated = ( { key = "replications"; value = 2; } );\n' "$S/history.cfg"
  k=2; while [ $k -le 999 ]; do printf 'overrides_calibrated_%d = ( { key = "replications"; value = 2; } );\n' $k; k=$((k + 1)); done; } >"$T/layers.cfg"
"$SIM" calibrate "$T/layers.cfg" "$T/t.cfg" -r 1 --scale 0.01 -o "$T/layers.h5" >"$T/layers.out" 2>&1; rc=$?
checks "a scenario with every overlay list name taken is refused (exit 1, nothing written)" \
  "[ $rc -eq 1 ] && grep -q 'already has overrides_calibrated .. overrides_calibrated_999' \"$T/layers.out\" && [ ! -e \"$T/layers.h5\" ] && [ ! -e \"$T/layers.journal\" ]"
n1=$(grep -c '^eval ' "$T/fit.err")
checks "the journal holds every evaluation" "[ \$(grep -vc '^#' \"$T/fit.journal\") -eq $n1 ]"
# resume after an interruption: keep the first 3 evaluations and a torn line, rerun
head -n 4 "$T/fit.journal" >"$T/j" && printf '3 0x1.8p+0 0x1' >>"$T/j" && mv "$T/j" "$T/fit.journal"
cp "$T/fit.out" "$T/fit1.out"
fit >"$T/fit.out" 2>"$T/fit2.err"; rc=$?
checks "resume: replays the recorded evaluations" "grep -q 'replaying 3 recorded evaluations' \"$T/fit2.err\" && [ \$(grep -c '(journal)' \"$T/fit2.err\") -eq 3 ]"
checks "resume: the same result as the uninterrupted run" "[ $rc -eq 0 ] && diff \"$T/fit1.out\" \"$T/fit.out\" >/dev/null"
checks "resume: the journal is whole again" "[ \$(grep -vc '^#' \"$T/fit.journal\") -eq $n1 ]"
fit --set labour_market.population.inflow_per_month=0.019 >"$T/fit3.out" 2>&1; rc=$?
checks "a journal of another calibration is refused" "[ $rc -eq 1 ] && grep -q 'belongs to another calibration' \"$T/fit3.out\""
cp "$T/t.cfg" "$T/t-keep.cfg" && sed -i 's/at = "2019-12-31"/at = "2019-09-30"/' "$T/t.cfg"
fit >"$T/fit4.out" 2>&1; rc=$?
checks "a journal whose targets measured another date is refused (same names and values)" \
  "! cmp -s \"$T/t.cfg\" \"$T/t-keep.cfg\" && [ $rc -eq 1 ] && grep -q 'belongs to another calibration' \"$T/fit4.out\""
mv "$T/t-keep.cfg" "$T/t.cfg"

# 7. The history mechanisms respond as documented (docs/model.md §6, §5 shock inflow):
#    each compared at two settings on the same seed (common random numbers), scale 0.05.
cat >"$T/mech.cfg" <<CFG
calibration = {
  scale_key = "labour_market.scale";
  parameters = ();
  targets = (
    { name = "young"; series = "caseload_under27"; at = "2019-12-31"; value = 34000.0; tolerance = 1e9; fit = true; source = "t"; },
    { name = "young18"; series = "caseload_under27"; at = "2018-12-31"; relative_to = "2017-12-31"; value = 0.0; tolerance = 1e9; fit = true; source = "t"; },
    { name = "stock20"; series = "caseload"; at = "2020-12-31"; value = 4e5; tolerance = 1e9; fit = true; source = "t"; },
    { name = "in20"; series = "inflow"; from = "2020-03-01"; to = "2021-03-01"; value = 2e4; tolerance = 1e9; fit = true; source = "t"; },
    { name = "in17"; series = "inflow"; from = "2017-02-01"; to = "2017-07-01"; value = 2e4; tolerance = 1e9; fit = true; source = "t"; },
    { name = "in19"; series = "inflow"; from = "2019-04-01"; to = "2019-07-01"; value = 2e4; tolerance = 1e9; fit = true; source = "t"; }
  );
};
CFG
mech() {  # mech TARGET --set ...: the model value of TARGET
  name=$1; shift
  "$SIM" calibrate --check "${S_HIST:-$S/history.cfg}" "$T/mech.cfg" -r 2 --scale 0.05 -q "$@" 2>/dev/null | awk -v n="$name" '$1 == n {print $4}'
}
gt() { awk -v a="$1" -v b="$2" 'BEGIN{exit !(a != "" && b != "" && a + 0 > b + 0)}'; }
a=$(mech young --set labour_market.population.inflow_young_share=0.3); b=$(mech young --set labour_market.population.inflow_young_share=0.05)
checks "inflow_young_share: more young in the inflow, more young on the caseload ($a > $b)" "gt '$a' '$b'"
a=$(mech young18 --set labour_market.macro.elasticity_own_search_young=0.2); b=$(mech young18 --set labour_market.macro.elasticity_own_search_young=3.0)
checks "elasticity_own_search_young: the young's caseload falls faster as tension rises in 2018 ($b < $a)" "gt '$a' '$b'"
big="--set shocks.[0].extra_inflow.per_month=0.01 --set shocks.[0].extra_inflow.decay_months=6.0"
a=$(mech stock20 $big --set 'shocks.[0].extra_inflow.search_factor'=1.0); b=$(mech stock20 $big --set 'shocks.[0].extra_inflow.search_factor'=4.0)
c=$(awk -v b="$b" 'BEGIN{if (b != "") print b + 2000}')
checks "search_factor: the Covid newcomers leave faster, a lower stock at end 2020 ($b < $a - 2000)" "gt '$a' '$c'"
# decay: the whole extra inflow (2020-04-01 to 2020-12-31, 274 days) is per_month x caseload
# (400,000 in regions.cfg) x tau x (1 - exp(-274 days/tau)); the regular inflow is unchanged
# (the same people: shocks draw from streams of their own), so the difference is the shock's.
x19=$(mech in19 --set 'shocks.[0].extra_inflow.decay_months'=1.0); y19=$(mech in19 --set 'shocks.[0].extra_inflow.per_month'=0.0)
checks "decay: the regular inflow is the same with and without the shock ($x19 = $y19)" "[ -n '$x19' ] && [ '$x19' = '$y19' ]"
# inflow_level (parts/inflow-history.cfg): the regular inflow of early 2017 scales with the path
printf '@include "%s"\n@include "%s"\n' "$S/history.cfg" "$S/parts/inflow-history.cfg" >"$T/wave.cfg"
a=$(S_HIST="$T/wave.cfg" mech in17 --set 'inflow_level.points.[2].level'=1.3 --set 'inflow_level.points.[3].level'=1.3)
b=$(S_HIST="$T/wave.cfg" mech in17 --set 'inflow_level.points.[2].level'=1.0 --set 'inflow_level.points.[3].level'=1.0)
checks "inflow_level: the inflow of 2017 H1 is 1.3 times as large at level 1.3 as at 1.0 (within 8%: $a / $b)" \
  "awk -v a='$a' -v b='$b' 'BEGIN{exit !(a != \"\" && b > 0 && a / b > 1.3 * 0.92 && a / b < 1.3 * 1.08)}'"
# other_exit_level (parts/other-exit-history.cfg): the other-exit hazard times the level, drawn
# at the path's largest level and thinned. On the baseline (no tension), /summary exits_other
# per benefit month (the rate; their count also moves the caseload), scale 0.05, 2 replications:
# a level of 2 doubles it, 0.5 halves it, and a level of 1 under a bound of 2 (2 before the
# burn-in begins) keeps half the candidates and gives the rate of no path at all.
cat >"$T/oexit.cfg" <<CFG
calibration = { scale_key = "labour_market.scale"; parameters = ();
  targets = ( { name = "other"; summary = "exits_other"; per = "benefit_months"; value = 1.0; tolerance = 1e9; fit = true; source = "t"; } ); };
CFG
oexit() {  # oexit POINTS: exits_other of the baseline with other_exit_level = { points = POINTS }
  if [ -n "$1" ]; then printf '@include "%s"\nother_exit_level = { points = ( %s ); };\n' "$S/baseline.cfg" "$1" >"$T/oe.cfg"
  else printf '@include "%s"\n' "$S/baseline.cfg" >"$T/oe.cfg"; fi
  "$SIM" calibrate --check "$T/oe.cfg" "$T/oexit.cfg" -r 2 --scale 0.05 -q 2>/dev/null | awk '$1 == "other" {print $4}'
}
ratio_in() { awk -v a="$1" -v b="$2" -v lo="$3" -v hi="$4" 'BEGIN{exit !(a != "" && b > 0 && a / b > lo && a / b < hi)}'; }
o1=$(oexit ""); o2=$(oexit '{ date = "2000-01-01"; level = 2.0; }')
o12=$(oexit '{ date = "2000-01-01"; level = 2.0; }, { date = "2005-01-01"; level = 1.0; }')
oh=$(oexit '{ date = "2000-01-01"; level = 0.5; }')
checks "other_exit_level 2: twice the other exits per benefit month (within 3%: $o2 / $o1)" "ratio_in '$o2' '$o1' 1.94 2.06"
checks "other_exit_level 1 under a bound of 2: the rate of no path (within 3%: $o12 / $o1)" "ratio_in '$o12' '$o1' 0.97 1.03"
checks "other_exit_level 0.5: half the other exits per benefit month (within 3%: $oh / $o1)" "ratio_in '$oh' '$o1' 0.485 0.515"
# young_inflow_level (parts/young-inflow-history.cfg): the 18-26s' share of the regular inflow
# times the level; the inflow's count and times do not move (the same newcomers, other ages).
cat >"$T/yinf.cfg" <<CFG
calibration = { scale_key = "labour_market.scale"; parameters = ();
  targets = ( { name = "young"; series = "caseload_under27"; at = "2028-12-31"; value = 1.0; tolerance = 1e9; fit = true; source = "t"; },
              { name = "newcomers"; series = "inflow"; from = "2019-01-01"; to = "2029-01-01"; value = 1.0; tolerance = 1e9; fit = true; source = "t"; } ); };
CFG
yinf() {  # yinf TARGET POINTS: TARGET of the baseline with young_inflow_level = { points = POINTS }
  if [ -n "$2" ]; then printf '@include "%s"\nyoung_inflow_level = { points = ( %s ); };\n' "$S/baseline.cfg" "$2" >"$T/yi.cfg"
  else printf '@include "%s"\n' "$S/baseline.cfg" >"$T/yi.cfg"; fi
  "$SIM" calibrate --check "$T/yi.cfg" "$T/yinf.cfg" -r 2 --scale 0.05 -q 2>/dev/null | awk -v n="$1" '$1 == n {print $4}'
}
y1=$(yinf young ""); y2=$(yinf young '{ date = "2000-01-01"; level = 2.0; }')
n1=$(yinf newcomers ""); n2=$(yinf newcomers '{ date = "2000-01-01"; level = 2.0; }')
checks "young_inflow_level 2: about twice the young on the caseload (1.6 to 2.4 times: $y2 / $y1)" "ratio_in '$y2' '$y1' 1.6 2.4"
checks "young_inflow_level 2: the same newcomers ($n2 = $n1), other ages" "[ -n '$n1' ] && [ '$n1' = '$n2' ]"
base=$(mech in20 --set 'shocks.[0].extra_inflow.per_month'=0.0)
for tau in 1.0 6.0; do
  got=$(mech in20 --set 'shocks.[0].extra_inflow.per_month'=0.01 --set 'shocks.[0].extra_inflow.decay_months'=$tau)
  want=$(awk -v t=$tau 'BEGIN{m=30.436875; print 0.01 * 400000 * t * (1 - exp(-(274/m)/t))}')
  checks "decay_months = $tau: the extra inflow of 2020 is $want within 12% (got $got - $base)" \
    "awk -v g='$got' -v b='$base' -v w='$want' 'BEGIN{d = g - b; exit !(g != \"\" && d > 0.88 * w && d < 1.12 * w)}'"
done

# A flow relative to a base period: benefit_ends in 2020 against 2019 is the ratio of the two
# sums minus 1 (one replication, so the mean of the ratio is the ratio of the means).
cat >"$T/rel.cfg" <<CFG
calibration = {
  scale_key = "labour_market.scale";
  parameters = ();
  targets = (
    { name = "ends19"; series = "benefit_ends"; from = "2019-01-01"; to = "2020-01-01"; value = 1e5; tolerance = 1e9; fit = false; source = "t"; },
    { name = "ends20"; series = "benefit_ends"; from = "2020-01-01"; to = "2021-01-01"; value = 1e5; tolerance = 1e9; fit = false; source = "t"; },
    { name = "endsrel"; series = "benefit_ends"; from = "2020-01-01"; to = "2021-01-01"; relative_from = "2019-01-01";
      relative_to = "2020-01-01"; value = 0.0; tolerance = 1e9; fit = false; source = "t"; }
  );
};
CFG
"$SIM" calibrate --check "$S/history.cfg" "$T/rel.cfg" -r 1 --scale 0.05 -q >"$T/rel.out" 2>&1
a=$(awk '$1 == "ends19" {print $4}' "$T/rel.out"); b=$(awk '$1 == "ends20" {print $4}' "$T/rel.out")
r=$(awk '$1 == "endsrel" {print $4}' "$T/rel.out")
checks "relative_from/relative_to: a sum against a base period's sum ($r = $b / $a - 1)" \
  "awk -v a='$a' -v b='$b' -v r='$r' 'BEGIN{d = r - (b / a - 1); exit !(a > 0 && r != \"\" && d < 1e-5 && d > -1e-5)}'"
sed 's/ relative_from = "2019-01-01";//' "$T/rel.cfg" >"$T/rel1.cfg"
"$SIM" calibrate --check "$S/history.cfg" "$T/rel1.cfg" -r 1 --scale 0.05 -q >"$T/rel1.out" 2>&1; rc=$?
checks "a sum with relative_to but no relative_from is refused at its line" \
  "[ $rc -ne 0 ] && grep -q 'rel1.cfg:8: .*needs both relative_from and relative_to' \"$T/rel1.out\""
sed 's/relative_from = "2019-01-01"/relative_from = "2020-06-01"/; s/relative_to = "2020-01-01"/relative_to = "2020-02-01"/' \
  "$T/rel.cfg" >"$T/rel2.cfg"
"$SIM" calibrate --check "$S/history.cfg" "$T/rel2.cfg" -r 1 --scale 0.05 -q >"$T/rel2.out" 2>&1; rc=$?
checks "a base period that ends before it starts is refused, with both dates" \
  "[ $rc -ne 0 ] && grep -q 'relative_from must be before relative_to (got 2020-06-01 and 2020-02-01)' \"$T/rel2.out\""
sed 's/relative_to = "2020-01-01"/relative_to = "2020-02-01"/' "$T/rel.cfg" >"$T/rel3.cfg"
"$SIM" calibrate --check "$S/history.cfg" "$T/rel3.cfg" -r 1 --scale 0.05 -q >"$T/rel3m.out" 2>&1; rcm=$?
"$SIM" calibrate --check "$S/history.cfg" "$T/rel3.cfg" -r 1 --scale 0.05 -q --set labour_market.series_step_months=3 >"$T/rel3.out" 2>&1; rc=$?
checks "a base period ending on 2020-02-01: summed with monthly steps, refused inside a 3-month step (not summed over the whole step)" \
  "[ $rcm -eq 0 ] && [ $rc -ne 0 ] && grep -q 'rel3.cfg:7: target endsrel: relative_to = day [0-9]* after the origin lies inside an observation step of 9[0-2] days' \"$T/rel3.out\""
sed 's/series = "benefit_ends"; from = "2020-01-01"; to = "2021-01-01"; relative_from/series = "caseload"; at = "2020-12-31"; relative_from/' \
  "$T/rel.cfg" >"$T/rel4.cfg"
"$SIM" calibrate --check "$S/history.cfg" "$T/rel4.cfg" -r 1 --scale 0.05 -q >"$T/rel4.out" 2>&1; rc=$?
checks "relative_from on a value at a date is refused, saying where it belongs" \
  "[ $rc -ne 0 ] && grep -q 'rel4.cfg:7: .*relative_from: only on a sum over a period' \"$T/rel4.out\""

# 6. The shipped history at a tenth of the population: every target that passes in
#    docs/validation.md (make validate, full scale) lies here within 1.25 times its
#    tolerance (a regression guard on the calibrated model; the margin covers the
#    difference between a tenth of the population and the whole).
"$SIM" calibrate --check "$S/history.cfg" "$S/targets/history.cfg" -r 8 --scale 0.1 -q >"$T/h.out" 2>&1
awk -F'|' '$9 ~ /pass/ {gsub(/ /, "", $2); print $2}' "$ROOT/docs/validation.md" | sort >"$T/want"
awk 'NF >= 8 && ($2 + 0 != 0) {d = $4 - $2; if (d < 0) d = -d; if (d <= 1.25 * $3) print $1}' "$T/h.out" | sort >"$T/have"
lost=$(comm -23 "$T/want" "$T/have" | tr '\n' ' ')
checks "history at scale 0.1: the $(wc -l <"$T/want") targets that pass in docs/validation.md are within 1.25 tolerances${lost:+ (lost: $lost)}" \
  "[ -s \"$T/want\" ] && [ -z \"$lost\" ]"

# docs/validation.md is what scripts/validation-doc.py makes of its own table: generated, not
# edited, and its prose quotes the table's figures (the script refuses a table that no longer
# rounds to them).
awk '/^<!-- generated by/ {on = 1} on {print} /^[0-9]+ replications at population scale/ {exit}' \
  "$ROOT/docs/validation.md" >"$T/vtable.md"
checks "docs/validation.md is scripts/validation-doc.py's output for its table, prose and counts included" \
  "python3 \"$ROOT/scripts/validation-doc.py\" \"$T/vtable.md\" \"$T/v.md\" && cmp -s \"$T/v.md\" \"$ROOT/docs/validation.md\""
sed 's/^| stock_2022q4 \(.*\) | \([0-9]*\) | \([0-9.]*\) to /| stock_2022q4 \1 | 300000 | \3 to /' "$T/vtable.md" >"$T/vbad.md"
checks "validation-doc.py refuses a table its prose no longer matches" \
  "! python3 \"$ROOT/scripts/validation-doc.py\" \"$T/vbad.md\" \"$T/vbad-out.md\" 2>/dev/null && [ ! -e \"$T/vbad-out.md\" ]"
sed 's/^| stock_2023q4 \(.*\) | \([0-9]*\) | \([0-9.]*\) to /| stock_2023q4 \1 | 390000 | \3 to /' "$T/vtable.md" >"$T/vbad2.md"
python3 "$ROOT/scripts/validation-doc.py" "$T/vbad2.md" "$T/vbad2-out.md" >"$T/vbad2.txt" 2>&1; rc=$?
checks "validation-doc.py refuses a table whose 2023 rows no longer say what the blind test's prose says (a rise at the end)" \
  "[ $rc -ne 0 ] && grep -q 'blind test: the fitted stock keeps falling through 2023' \"$T/vbad2.txt\" && [ ! -e \"$T/vbad2-out.md\" ]"

# the benchmark bullet: a model whose 2023 stocks came out at CBS's would beat persistence,
# and the script then refuses the words "holding end 2021's caseload forecast CBS's better"
awk -F'|' 'BEGIN { OFS = "|" } $2 ~ /^ stock_2023q[1-4] $/ { $6 = " " $4 + 0 " " } { print }' "$T/vtable.md" >"$T/vbad4.md"
python3 "$ROOT/scripts/validation-doc.py" "$T/vbad4.md" "$T/vbad4-out.md" >"$T/vbad4.txt" 2>&1; rc=$?
checks "validation-doc.py refuses a table whose 2022-2023 stocks beat persistence (the benchmark's words)" \
  "[ $rc -ne 0 ] && grep -q 'benchmarks: persistence beats the model over 2022-2023' \"$T/vbad4.txt\" && [ ! -e \"$T/vbad4-out.md\" ]"
m22=$(sed -n 's/^  In 2022 the model misses by \([0-9.]*\)% on average, persistence by \([0-9.]*\)%.*/\1 \2/p' "$ROOT/docs/validation.md")
want="misses CBS's 2022 stocks by ${m22% *}% on average, ahead of CBS's end-2021 stock held (${m22#* }%)"
checks "README quotes docs/validation.md's 2022 benchmark figures ($m22)" 'grep -qF "$want" "$ROOT/README.md"'

sed 's/^| flows_ends_change_2023 \(.*\) | \([-0-9.e]*\) | \([-0-9.e]*\) to \([-0-9.e]*\) | out | \*\*fail\*\* |$/| flows_ends_change_2023 \1 | -0.25 | -0.26 to -0.24 | out | pass |/' \
  "$T/vtable.md" >"$T/vbad3.md"
python3 "$ROOT/scripts/validation-doc.py" "$T/vbad3.md" "$T/vbad3-out.md" >"$T/vbad3.txt" 2>&1; rc=$?
checks "validation-doc.py refuses a table whose flows no longer say what the flows' prose says (the outflow's fall missed)" \
  "! cmp -s \"$T/vtable.md\" \"$T/vbad3.md\" && [ $rc -ne 0 ] && grep -q \"flows: the outflow's fall of 2022 and 2023 missed\" \"$T/vbad3.txt\" && [ ! -e \"$T/vbad3-out.md\" ]"

# scripts/outflow-channels.py (docs/outflow-channels.md): every channel runs and gives a row;
# the adapted tension series is the input itself at a = 0 and the reference where the series
# starts at a = 1 (the moving average starts at the first value, so x = T/M = 1 there).
python3 "$ROOT/scripts/outflow-channels.py" --sim "$SIM" --scale 0.02 -r 1 -j 2 -o "$T/och.md" >"$T/och.txt" 2>&1; rc=$?
checks "outflow-channels.py: CBS's row and one per channel (8), with the ends' changes, at scale 0.02" \
  "[ $rc -eq 0 ] && [ \$(grep -c '^| ' \"$T/och.md\") -eq 10 ] && grep -Eq '^\\| as fitted \\(round 2\\) \\| [0-9]+ of [0-9]+ \\| [0-9,]+ \\| [-+][0-9.]+% \\|' \"$T/och.md\""
python3 "$ROOT/scripts/outflow-channels.py" --sim "$T/no-such-sim" -o "$T/och2.md" >"$T/och2.txt" 2>&1; rc=$?
checks "outflow-channels.py runs the --sim it is given (a missing one: exit 1, named, no table)" \
  "[ $rc -eq 1 ] && grep -q 'no $T/no-such-sim' \"$T/och2.txt\" && [ ! -e \"$T/och2.md\" ]"
python3 - "$ROOT/scripts/outflow-channels.py" "$S/parts/tension-cbs.cfg" >"$T/adapt.txt" 2>&1 <<'PYEOF'
import importlib.util, re, sys
spec = importlib.util.spec_from_file_location("oc", sys.argv[1]); oc = importlib.util.module_from_spec(spec)
spec.loader.exec_module(oc)
text = open(sys.argv[2]).read()
pts = lambda t: dict(re.findall(r'date = "([\d-]+)"; value = ([\d.]+)', t))
src, same, full = pts(text), pts(oc.adapted_tension(text, 12.0, 0.0)), pts(oc.adapted_tension(text, 12.0, 1.0))
shared = [d for d in src if d in same]
assert len(same) == 32 and len(shared) >= 20 and all(abs(float(src[d]) - float(same[d])) < 1e-3 for d in shared), shared
assert abs(float(full["2016-02-15"]) - 91.0) < 0.05 and float(full["2022-02-15"]) < float(src["2022-02-15"])
PYEOF
checks "outflow-channels.py: the adapted tension is the series at a = 0 and the reference where it starts at a = 1" "[ $? -eq 0 ]" \
  || sed 's/^/  /' "$T/adapt.txt"

# scripts/validation-2024.py (docs/validation-2024.md): every run gives its table and the page has
# a row per target of targets/history-2024.cfg; a missing sim is named and no page is written.
python3 "$ROOT/scripts/validation-2024.py" --sim "$SIM" --quick -r 1 -o "$T/v24.md" >"$T/v24.txt" 2>&1; rc=$?
ntg=$(( $(grep -c '{ name = "' "$S/targets/history-2024.cfg") + $(grep -c '{ name = "' "$S/targets/history-2025.cfg") ))
checks "validation-2024.py --quick: the page, with a row per target of both tables ($ntg) and the held-out verdicts of 2024 and 2025, at scale 0.02" \
  "[ $rc -eq 0 ] && [ $ntg -gt 25 ] && [ \$(grep -c '^| [a-z_0-9]* | [-+0-9]' \"$T/v24.md\") -eq $ntg ] && grep -q '^| stock_2024q4 | 406,000 | [0-9,]* | [0-9,]* | held out | ' \"$T/v24.md\" && grep -q 'Held out, the caseload: [0-3] of 3' \"$T/v24.md\" && grep -q '^| stock_2025q4 | 410,000 | [0-9,]* | 400,000 | 406,000 | 406,000 | ' \"$T/v24.md\" && grep -q 'The caseload in 2025: [0-3] of 3 quarter ends' \"$T/v24.md\""
python3 "$ROOT/scripts/validation-2024.py" --sim "$T/no-such-sim" -o "$T/v24b.md" >"$T/v24b.txt" 2>&1; rc=$?
checks "validation-2024.py runs the --sim it is given (a missing one: exit 1, named, no page)" \
  "[ $rc -eq 1 ] && grep -q 'no $T/no-such-sim' \"$T/v24b.txt\" && [ ! -e \"$T/v24b.md\" ]"

# 8. --uncertainty on the M/M/1 queue, where the Jacobian is known: utilisation
#    lambda/mu and time in system 1/(mu - lambda) at lambda = 0.5, mu = 1 move by
#    (1, -0.5) and (4, -4) per unit of (lambda, mu); with tolerances 0.01 and 0.05 and
#    the bounds' prior 12/0.4^2 on each, the standard errors are 0.0224 and 0.0303
#    and the correlation +0.94 (fit_uncertainty.h). The simulated Jacobian (200,000
#    customers, common random numbers) must give them within 5%.
cat >"$T/mm1t.cfg" <<CFG
calibration = {
  parameters = (
    { key = "mm1.arrival_rate"; lower = 0.3; upper = 0.7; source = "test"; },
    { key = "mm1.service_rate"; lower = 0.8; upper = 1.2; source = "test"; }
  );
  targets = (
    { name = "util"; summary = "utilisation"; value = 0.5; tolerance = 0.01; fit = true; source = "t"; },
    { name = "w"; summary = "mean_system_time"; value = 2.0; tolerance = 0.05; fit = true; source = "t"; },
    { name = "lq"; summary = "mean_queue_length"; value = 0.5; tolerance = 0.05; fit = false; source = "t"; }
  );
};
CFG
MM="--set mm1.arrival_rate=0.5 --set mm1.customers=200000 --set output.detail=\"summary\" -r 4"
"$SIM" calibrate --check --uncertainty "$S/mm1.cfg" "$T/mm1t.cfg" $MM -o "$T/mu.h5" --markdown "$T/mu.md" >"$T/mu.out" 2>"$T/mu.err"; rc=$?
want=$(awk 'BEGIN{p = 12 / 0.16; a = 100*100 + 80*80 + p; b = -(100*50 + 80*80); d = 50*50 + 80*80 + p; det = a*d - b*b;
  printf "%.6f %.6f %.6f", sqrt(d/det), sqrt(a/det), -b/sqrt(a*d)}')
got=$(awk '$1 == "mm1.arrival_rate" && NF == 8 {s1 = $3} $1 == "mm1.service_rate" && NF == 8 {s2 = $3}
  /correlations beyond/ {c = $NF} END {printf "%s %s %s", s1, s2, c}' "$T/mu.out")
checks "--check --uncertainty exits 0 and reports both parameters (rc $rc)" "[ $rc -eq 0 ] && [ -n \"\$(echo $got | awk '{print \$2}')\" ]"
checks "M/M/1: standard errors and correlation within 5% of the closed form (want $want, got $got)" \
  "echo $want $got | awk '{for (i = 1; i <= 3; i++) if (!(\$(i+3) > 0.95 * \$i && \$(i+3) < 1.05 * \$i)) exit 1}'"
checks "the record: /calibration/uncertainty with the Jacobian [targets][parameters] and the covariance" \
  "h5dump -H \"$T/mu.h5\" 2>/dev/null | grep -A3 'DATASET \"jacobian\"' | grep -q '( 3, 2 )' && h5dump -H \"$T/mu.h5\" | grep -q 'DATASET \"covariance\"'"
checks "the Markdown holds the parameter table" "grep -q '^| \`mm1.service_rate\` |' \"$T/mu.md\""
checks "the Jacobian's standard errors [targets][parameters] and each parameter's noise share (under 5% for M/M/1 with common random numbers)" \
  "h5dump -H -d /calibration/uncertainty/jacobian_se \"$T/mu.h5\" | grep -q '( 3, 2 )' && h5dump -y -w 0 -m %.6f -d /calibration/uncertainty/noise_share \"$T/mu.h5\" | awk '/^ *DATA \\{/ && !d {d = 1; next} d == 1 && /\\}/ {d = 2} d == 1 {v = \$1 + 0; n++; if (!(v >= 0 && v < 0.05)) bad = 1} END {exit !(n == 2 && !bad)}'"
printf '@include "%s"\nuncertainty = (\n@include "%s"\n);\n' "$S/mm1.cfg" "$T/mu-uncertainty.cfg" >"$T/mud.cfg"
checks "the uncertainty list it writes is a valid scenario's list (a correlation block included)" \
  "grep -q 'correlation = \[\"mm1.arrival_rate\", \"mm1.service_rate\"\]' \"$T/mu-uncertainty.cfg\" && \"$SIM\" validate \"$T/mud.cfg\" >/dev/null"
"$SIM" run "$T/mud.cfg" --draw-parameters -r 3 -q --set mm1.customers=2000 --set output.detail=\"summary\" -o "$T/mud.h5" >/dev/null 2>&1
checks "and sim run --draw-parameters draws from it" "h5dump -H \"$T/mud.h5\" >/dev/null 2>&1"
# scripts/uncertainty-part.py: some parameters of the record as list entries (the marginal)
if [ -n "$PY" ]; then
  "$PY" "$ROOT/scripts/uncertainty-part.py" "$T/mu.h5" "$T/part.cfg" mm1.service_rate mm1.arrival_rate >"$T/part.txt" 2>&1; rc=$?
  printf '@include "%s"\nuncertainty = (\n@include "%s"\n);\n' "$S/mm1.cfg" "$T/part.cfg" >"$T/partd.cfg"
  checks "uncertainty-part.py: the chosen parameters, in the order given, as a valid list with their correlation" \
    "[ $rc -eq 0 ] && grep -q 'correlation = \[\"mm1.service_rate\", \"mm1.arrival_rate\"\]' \"$T/part.cfg\" && \"$SIM\" validate \"$T/partd.cfg\" >/dev/null"
  "$PY" "$ROOT/scripts/uncertainty-part.py" "$T/mu.h5" "$T/part2.cfg" mm1.service_rate mm1.nope >"$T/part2.txt" 2>&1; rc=$?
  checks "uncertainty-part.py: an unknown key is refused with the keys the record has (exit 1, no file)" \
    "[ $rc -eq 1 ] && grep -q 'mm1.nope is not a parameter of it (allowed: mm1.arrival_rate, mm1.service_rate)' \"$T/part2.txt\" && [ ! -e \"$T/part2.cfg\" ]"
  "$PY" "$ROOT/scripts/uncertainty-part.py" "$T/ov.h5" "$T/part3.cfg" a b >"$T/part3.txt" 2>&1; rc=$?
  checks "uncertainty-part.py: a file without /calibration/uncertainty is refused (exit 1, no file)" \
    "[ $rc -eq 1 ] && grep -q 'no /calibration/uncertainty' \"$T/part3.txt\" && [ ! -e \"$T/part3.cfg\" ]"
else
  no "uncertainty-part.py (needs python3 with h5py)"
fi
"$SIM" calibrate --check --uncertainty "$S/mm1.cfg" "$T/mm1t.cfg" -r 2 -o "$T/out.h5" >"$T/out.txt" 2>&1; rc=$?
checks "a scenario value outside the bounds is refused at the parameter's line (arrival rate 0.9)" \
  "[ $rc -eq 1 ] && grep -q 'mm1t.cfg:3: parameter mm1.arrival_rate: the scenario.s value 0.9 is outside the bounds 0.3..0.7' \"$T/out.txt\" && [ ! -e \"$T/out.h5\" ]"
"$SIM" calibrate --check --uncertainty --step 0.7 "$S/mm1.cfg" "$T/mm1t.cfg" >"$T/step.txt" 2>&1; rc=$?
checks "--step outside (0, 0.5] is a usage error" "[ $rc -eq 2 ] && grep -q -- '--step: .0.7. is not a number in (0, 0.5]' \"$T/step.txt\""
"$SIM" calibrate --step 0.1 "$S/mm1.cfg" "$T/mm1t.cfg" >"$T/step2.txt" 2>&1; rc=$?
checks "--step without --uncertainty is a usage error" "[ $rc -eq 2 ] && grep -q -- '--step: .*(allowed: with --uncertainty)' \"$T/step2.txt\""
mkdir -p "$T/dflt" && (cd "$T/dflt" && "$SIM" calibrate --check --uncertainty "$S/mm1.cfg" "$T/mm1t.cfg" $MM -q >/dev/null 2>&1)
checks "--check --uncertainty without -o writes results/<targets>-check.h5, never a fit's record" \
  "[ -s \"$T/dflt/results/mm1t-check.h5\" ] && [ -s \"$T/dflt/results/mm1t-check-uncertainty.cfg\" ] && [ ! -e \"$T/dflt/results/mm1t-calibration.h5\" ]"
mkdir -p "$T/in-the-way-uncertainty.cfg"
"$SIM" calibrate --check --uncertainty "$S/mm1.cfg" "$T/mm1t.cfg" $MM -q -o "$T/in-the-way.h5" >"$T/way.txt" 2>&1; rc=$?
checks "a directory where the uncertainty list goes: refused before anything runs (exit 2, one line), no OUT.h5, no temporary" \
  "[ $rc -eq 2 ] && [ \$(wc -l <\"$T/way.txt\") -eq 1 ] && grep -q 'in-the-way-uncertainty.cfg: the output path exists and is a directory' \"$T/way.txt\" && [ ! -e \"$T/in-the-way.h5\" ] && ! ls \"$T\" | grep -q partial"
# --draws: the linearisation checked by simulation. For M/M/1 near rho = 0.5 the model is
# nearly linear over the parameters' intervals, so the spread over 200 drawn parameter sets
# must match the linearised one (within 20%; the sampling error of an sd from 200 is 5%).
"$SIM" calibrate --check --uncertainty --draws 200 "$S/mm1.cfg" "$T/mm1t.cfg" --set mm1.arrival_rate=0.5 \
  --set mm1.customers=50000 --set output.detail=\"summary\" -r 2 -q -o "$T/md.h5" --markdown "$T/md.md" >"$T/md.out" 2>&1; rc=$?
checks "--draws 200: every target's simulated spread within 20% of the linearised one (M/M/1)" \
  "[ $rc -eq 0 ] && awk -F'|' '/^\\| (util|w|lq) \\|/ && NF == 8 && \$7 ~ /^ *[0-9.]+ *\$/ {n++; r = \$7 + 0; if (r < 0.8 || r > 1.2) bad = 1} END {exit !(n == 3 && !bad)}' \"$T/md.md\""
checks "--draws: the drawn sets inside the bounds, and the targets there, in the record" \
  "h5dump -H -d /calibration/uncertainty/draws \"$T/md.h5\" | grep -q '( 200, 2 )' && h5dump -H -d /calibration/uncertainty/draw_targets \"$T/md.h5\" | grep -q '( 200, 3 )'"
"$SIM" calibrate --check --draws 5 "$S/mm1.cfg" "$T/mm1t.cfg" >"$T/dr.txt" 2>&1; rc=$?
checks "--draws without --uncertainty is a usage error" "[ $rc -eq 2 ] && grep -q -- '--draws: .*(allowed: with --uncertainty)' \"$T/dr.txt\""
# --posterior: importance sampling from the linearisation. The targets belong to
# lambda = 0.52, mu = 1 (utilisation 0.52, time in system 1/0.48), but the point assessed is
# lambda = 0.5, 2.2 tolerances of utilisation away: the linearisation stays centred there,
# the weighted draws must move to the targets' own point (the posterior mean of utilisation
# within 0.006 of 0.52, lambda's above 0.51) with its spread near the linearised one.
sed -e 's/value = 0.5; tolerance = 0.01/value = 0.52; tolerance = 0.01/' -e 's/value = 2.0; tolerance = 0.05/value = 2.0833; tolerance = 0.05/' \
  "$T/mm1t.cfg" >"$T/mm1s.cfg"
"$SIM" calibrate --check --uncertainty --posterior 300 "$S/mm1.cfg" "$T/mm1s.cfg" --set mm1.arrival_rate=0.5 \
  --set mm1.customers=50000 --set output.detail=\"summary\" -r 2 -q -o "$T/mp.h5" --markdown "$T/mp.md" >"$T/mp.out" 2>&1; rc=$?
checks "--posterior 300: the weighted draws find the targets' point the linearisation misses (M/M/1)" \
  "[ $rc -eq 0 ] && awk -F'|' '/^\\| util \\|/ && NF == 9 {u = \$5 + 0; n++} /^\\| \`mm1.arrival_rate\` \\|/ && NF == 9 {a = \$5 + 0; s = \$7 + 0; n++}
     END {exit !(n == 2 && u > 0.514 && u < 0.526 && a > 0.51 && s > 0.7 && s < 1.4)}' \"$T/mp.md\""
checks "--posterior: draws, weights summing to 1, likelihoods and the effective sample size in the record" \
  "h5dump -H -d /calibration/posterior/draws \"$T/mp.h5\" | grep -q '( 300, 2 )' && h5dump -a /calibration/posterior/effective_sample_size \"$T/mp.h5\" >/dev/null \
   && h5dump -y -w 0 -m %.12f -d /calibration/posterior/weight \"$T/mp.h5\" | awk '/^ *DATA \\{/ && !d {d = 1; next} d == 1 && /\\}/ {d = 2} d == 1 {gsub(/,/, \" \"); for (i = 1; i <= NF; i++) s += \$i} END {exit !(s > 0.999999 && s < 1.000001)}'"
checks "--posterior: the effective sample size and a verdict on it, on stdout and in the Markdown" \
  "grep -q 'effective sample size [0-9.]* ([0-9]*%), largest weight' \"$T/mp.out\" && grep -q 'Effective sample size [0-9.]* of 300' \"$T/mp.md\""
if [ -n "$PY" ]; then
  "$PY" "$ROOT/scripts/uncertainty-part.py" --posterior "$T/mp.h5" "$T/ppart.cfg" mm1.arrival_rate mm1.service_rate >"$T/ppart.txt" 2>&1; rc=$?
  printf '@include "%s"\nuncertainty = (\n@include "%s"\n);\n' "$S/mm1.cfg" "$T/ppart.cfg" >"$T/ppartd.cfg"
  checks "uncertainty-part.py --posterior: the posterior's means and sds as a valid list" \
    "[ $rc -eq 0 ] && \"$SIM\" validate \"$T/ppartd.cfg\" >/dev/null && \"$PY\" - \"$T/mp.h5\" \"$T/ppart.cfg\" <<'PYEOF'
import re, sys, h5py
with h5py.File(sys.argv[1]) as f:
    mean, sd = f['calibration/posterior/mean'][()], f['calibration/posterior/sd'][()]
got = re.findall(r'dist = \"normal\"; mean = ([-0-9.e+]+); sd = ([-0-9.e+]+);', open(sys.argv[2]).read())
assert len(got) == 2 and abs(float(got[0][0]) - mean[0]) < 1e-8 and abs(float(got[1][1]) - sd[1]) < 1e-5 * sd[1], got
assert abs(mean[0] - 0.5) > 0.01, mean   # the posterior's, not the point assessed
PYEOF"
  "$PY" "$ROOT/scripts/uncertainty-part.py" --posterior "$T/mu.h5" "$T/ppart2.cfg" mm1.arrival_rate mm1.service_rate >"$T/ppart2.txt" 2>&1; rc=$?
  checks "uncertainty-part.py --posterior: a record without the posterior is refused (exit 1, no file)" \
    "[ $rc -eq 1 ] && grep -q 'no /calibration/posterior (allowed: the output of sim calibrate --uncertainty --posterior N)' \"$T/ppart2.txt\" && [ ! -e \"$T/ppart2.cfg\" ]"
  "$SIM" calibrate --check --uncertainty --posterior 20 --rounds 1 "$S/mm1.cfg" "$T/mm1s.cfg" --set mm1.arrival_rate=0.5 \
    --set mm1.customers=50000 --set output.detail=\"summary\" -r 2 -q -o "$T/mp20.h5" >"$T/mp20.out" 2>&1
  "$PY" "$ROOT/scripts/uncertainty-part.py" --posterior "$T/mp20.h5" "$T/ppart3.cfg" mm1.arrival_rate mm1.service_rate >"$T/ppart3.txt" 2>&1; rc=$?
  "$PY" "$ROOT/scripts/uncertainty-part.py" --posterior --force "$T/mp20.h5" "$T/ppart4.cfg" mm1.arrival_rate mm1.service_rate >/dev/null 2>&1; rc4=$?
  checks "uncertainty-part.py --posterior: a posterior of under 20 effective draws is refused (exit 1, no file), --force writes it" \
    "grep -q 'not to be used' \"$T/mp20.out\" && [ $rc -eq 1 ] && grep -q 'the posterior is not to be used (effective sample size' \"$T/ppart3.txt\" && [ ! -e \"$T/ppart3.cfg\" ] && [ $rc4 -eq 0 ] && [ -s \"$T/ppart4.cfg\" ]"
  # scripts/emulator-posterior.py: an emulator (the quadratic or an RBF, by cross-validation) fitted to the record's 300 runs, a chain on
  # it, 30 runs of the model at the chain's draws weighted by likelihood over emulated likelihood.
  # On M/M/1 the emulator is close (cross-validated error well under a tenth of a tolerance), so
  # the weights are near equal and the posterior is the targets' point (utilisation 0.52); the
  # chain's acceptance and independent states are reported.
  "$PY" "$ROOT/scripts/emulator-posterior.py" "$S/mm1.cfg" "$T/mm1s.cfg" "$T/mp.h5" -o "$T/emu.h5" --runs 30 --steps 20000 \
    --sim "$SIM" -- --set mm1.customers=50000 --set 'output.detail="summary"' -r 2 >"$T/emu.out" 2>&1; rc=$?
  checks "emulator-posterior.py: usable on M/M/1 (emulator error < 0.1 tolerance, effective sample size > 20 of 30, utilisation 0.52)" \
    "[ $rc -eq 0 ] && grep -q 'in tolerances: 0.0[0-9] to 0.0[0-9] over' \"$T/emu.out\" && grep -q ': usable.\$' \"$T/emu.out\" \
     && grep -q '% accepted after the first fifth, worth about [0-9]* independent' \"$T/emu.out\" \
     && awk -F'|' '/^\\| util \\|/ {u = \$4 + 0} END {exit !(u > 0.514 && u < 0.526)}' \"$T/emu.out\""
  # uncertainty-part.py --sample: the posterior's weighted draws as one sample entry, which
  # sim run --draw-parameters resamples (every drawn value one of the draws of positive weight)
  "$PY" "$ROOT/scripts/uncertainty-part.py" --sample "$T/emu.h5" "$T/spart.cfg" mm1.arrival_rate mm1.service_rate >"$T/spart.txt" 2>&1; rc=$?
  printf '@include "%s"\nuncertainty = (\n@include "%s"\n);\n' "$S/mm1.cfg" "$T/spart.cfg" >"$T/spartd.cfg"
  "$SIM" run "$T/spartd.cfg" --draw-parameters -r 12 -q --set mm1.customers=2000 -o "$T/spart.h5" >/dev/null 2>&1; rc2=$?
  checks "uncertainty-part.py --sample: the emulator posterior's rows and weights as a sample entry that --draw-parameters resamples" \
    "[ $rc -eq 0 ] && [ $rc2 -eq 0 ] && \"$PY\" - \"$T/emu.h5\" \"$T/spart.cfg\" \"$T/spart.h5\" <<'PYEOF'
import re, sys, h5py, numpy as np
with h5py.File(sys.argv[1]) as f:
    g = f['emulator_posterior']
    x, w = g['draws'][()], g['weight'][()]
    cols = [c.decode() if isinstance(c, bytes) else c for c in g['draws'].attrs['columns']]
text = open(sys.argv[2]).read()
vals = [float(v) for v in re.search(r'values = \[([^]]*)\]', text).group(1).replace(',', ' ').split()]
ws = [float(v) for v in re.search(r'weights = \[([^]]*)\]', text).group(1).replace(',', ' ').split()]
keep = w > 0
order = [cols.index('mm1.arrival_rate'), cols.index('mm1.service_rate')]
assert np.array_equal(np.reshape(vals, (-1, 2)), x[keep][:, order]) and np.array_equal(ws, w[keep]), 'rows or weights differ'
with h5py.File(sys.argv[3]) as f:
    d = f['parameter_draws'][()]
rows = {tuple(r) for r in x[keep][:, order]}
assert d.shape == (12, 2) and all(tuple(r) in rows for r in d), d
PYEOF"
  "$PY" "$ROOT/scripts/uncertainty-part.py" --sample "$T/mp20.h5" "$T/spart3.cfg" mm1.arrival_rate >"$T/spart3.txt" 2>&1; rc=$?
  "$PY" "$ROOT/scripts/uncertainty-part.py" --sample "$T/mp.h5" "$T/spart4.cfg" mm1.arrival_rate >/dev/null 2>&1; rc4=$?
  checks "uncertainty-part.py --sample: sim calibrate's posterior too; one under 20 effective draws refused (exit 1, no file)" \
    "[ $rc -eq 1 ] && grep -q 'the posterior is not to be used' \"$T/spart3.txt\" && [ ! -e \"$T/spart3.cfg\" ] && [ $rc4 -eq 0 ] \
     && grep -q '^  { sample = \[\"mm1.arrival_rate\"\];' \"$T/spart4.cfg\""
  "$PY" "$ROOT/scripts/uncertainty-part.py" --sample "$T/emu.h5" "$T/spart5.cfg" mm1.arrival_rate mm1.nope >"$T/spart5.txt" 2>&1; rc=$?
  "$PY" "$ROOT/scripts/uncertainty-part.py" --sample "$T/emu.h5" "$T/spart6.cfg" mm1.arrival_rate mm1.arrival_rate >"$T/spart6.txt" 2>&1; rc6=$?
  checks "uncertainty-part.py --sample: an unknown or repeated key is refused with the record's keys (exit 1, no file)" \
    "[ $rc -eq 1 ] && grep -q 'mm1.nope is not a parameter of it (allowed: .*mm1.arrival_rate' \"$T/spart5.txt\" && [ ! -e \"$T/spart5.cfg\" ] \
     && [ $rc6 -eq 1 ] && grep -q 'each key once (allowed: ' \"$T/spart6.txt\" && [ ! -e \"$T/spart6.cfg\" ]"
  "$PY" "$ROOT/scripts/emulator-posterior.py" "$S/mm1.cfg" "$T/mm1s.cfg" "$T/mp.h5" "$T/emu.h5" -o "$T/emu-2.h5" --runs 10 \
    --steps 20000 --seed 2 --emulator rbf --sim "$SIM" -- --set mm1.customers=50000 --set 'output.detail="summary"' -r 2 >"$T/emu-2.out" 2>&1; rc=$?
  checks "emulator-posterior.py: a second round reads the first one's runs as a record (300 + 30 runs); --emulator rbf tries only RBFs" \
    "[ $rc -eq 0 ] && grep -q '^Emulator (thin-plate-spline RBF with a quadratic, smoothing [0-9.e-]*) fitted to 330 runs' \"$T/emu-2.out\" \
     && grep '^Emulators tried' \"$T/emu-2.out\" | grep -qv 'quadratic [0-9]' \
     && h5dump -a /emulator_posterior/emulator \"$T/emu-2.h5\" | grep -q 'thin-plate-spline RBF'"
  checks "emulator-posterior.py: --emulator auto (the default) tries the quadratic and 6 RBF smoothings, and says which it took" \
    "grep -q '^Emulators tried (mean 10-fold cross-validated error over the in-sample targets, in tolerances): quadratic [0-9.]*; thin-plate-spline RBF with a quadratic, smoothing 0.001 [0-9.]*;.*smoothing 100 [0-9.]*\.\$' \"$T/emu.out\" \
     && grep -q '^Emulator (.*) fitted to 300 runs' \"$T/emu.out\""
  # scripts/posterior-predict.py: the posterior's draws run again on a targets file; the runs
  # reproduce the record's targets exactly with the record's options (so its weights apply),
  # and the table is the weighted summary of those runs. With other options (-r 3) they do not,
  # and it says so.
  "$PY" "$ROOT/scripts/posterior-predict.py" "$S/mm1.cfg" "$T/mm1s.cfg" "$T/emu.h5" --limit 4 --uncertainty "$T/mp.h5" \
    --markdown "$T/pp.md" --sim "$SIM" -- --set mm1.customers=50000 --set 'output.detail="summary"' -r 2 >"$T/pp.out" 2>&1; rc=$?
  checks "posterior-predict.py: the 4 heaviest draws reproduce the record's 3 targets; the table is their weighted mean, sd and z" \
    "[ $rc -eq 0 ] && grep -q 'All 4 runs reproduce the record.s 3 targets exactly' \"$T/pp.out\" && grep -q 'generated by scripts/posterior-predict.py' \"$T/pp.md\" \
     && \"$PY\" - \"$T/emu.h5\" \"$T/pp.out\" \"$T/mp.h5\" <<'PYEOF'
import sys, h5py, numpy as np
with h5py.File(sys.argv[1]) as f:
    g = f['emulator_posterior']
    w, y = g['weight'][()], g['draw_targets'][()]
    cols = [c.decode() if isinstance(c, bytes) else c for c in g['draw_targets'].attrs['columns']]
with h5py.File(sys.argv[3]) as f:
    s2 = float(np.ravel(f['calibration/uncertainty'].attrs['variance_factor'])[0])
top = np.argsort(-w, kind='stable')[:4]
wt = w[top] / w[top].sum()
rows = {l.split('|')[1].strip(): [c.strip() for c in l.split('|')[1:-1]] for l in open(sys.argv[2]) if l.startswith('| ') and '---' not in l}
for name in ('util', 'w', 'lq'):
    v = y[top, cols.index(name)]
    m, sd = wt @ v, np.sqrt(wt @ (v - wt @ v) ** 2)
    r = rows[name]
    assert abs(float(r[3]) - m) <= 1e-5 * abs(m) and abs(float(r[4]) - sd) <= 0.01 * sd + 1e-12, (name, r, m, sd)
    if r[7] == 'out':
        z = (m - float(r[1])) / np.sqrt(s2 * float(r[2]) ** 2 + sd ** 2)
        assert abs(float(r[6]) - z) < 0.006, (name, r, z)
PYEOF"
  "$PY" "$ROOT/scripts/posterior-predict.py" "$S/mm1.cfg" "$T/mm1s.cfg" "$T/emu.h5" --limit 4 --sim "$SIM" \
    -- --set mm1.customers=50000 --set 'output.detail="summary"' -r 3 >"$T/pp3.out" 2>&1; rc=$?
  "$PY" "$ROOT/scripts/posterior-predict.py" "$S/mm1.cfg" "$T/mm1s.cfg" "$T/md.h5" --sim "$SIM" >"$T/pp4.out" 2>&1; rc4=$?
  "$PY" "$ROOT/scripts/posterior-predict.py" "$S/mm1.cfg" "$T/mm1s.cfg" "$T/mp.h5" --limit 3 --sim "$SIM" \
    -- --set mm1.arrival_rate=0.5 --set mm1.customers=50000 --set output.detail=\"summary\" -r 2 >"$T/pp5.out" 2>&1; rc5=$?
  checks "posterior-predict.py: a sim calibrate --posterior record (targets stored in full) is reproduced by its own options" \
    "[ $rc5 -eq 0 ] && grep -q 'All 3 runs reproduce the record.s 3 targets exactly' \"$T/pp5.out\""
  checks "posterior-predict.py: runs that do not reproduce the record are flagged; a record without a posterior is refused (exit 1)" \
    "[ $rc -eq 0 ] && grep -q 'Only 0 of 4 runs reproduce the record.s 3 targets' \"$T/pp3.out\" && grep -q 's2 = 1 (no --uncertainty record' \"$T/pp3.out\" \
     && [ $rc4 -eq 1 ] && grep -q 'no /emulator_posterior or /calibration/posterior (allowed: ' \"$T/pp4.out\""
  # The likelihood with a variance factor s2 > 1: the queue length in sample too, 0.7 tolerances
  # off, so 3 in-sample targets for 2 parameters and s2 = RSS at the point assessed.
  sed -e '/name = "lq"/s/value = [0-9.]*; tolerance = 0.05; fit = false/value = 0.60; tolerance = 0.05; fit = true/' "$T/mm1s.cfg" >"$T/mm1s3.cfg"
  "$SIM" calibrate --check --uncertainty --posterior 60 "$S/mm1.cfg" "$T/mm1s3.cfg" --set mm1.arrival_rate=0.5 \
    --set mm1.customers=50000 --set output.detail=\"summary\" -r 2 -q -o "$T/mp3.h5" >/dev/null 2>&1
  "$PY" "$ROOT/scripts/emulator-posterior.py" "$S/mm1.cfg" "$T/mm1s3.cfg" "$T/mp3.h5" -o "$T/emu3.h5" --runs 12 --steps 20000 \
    --sim "$SIM" -- --set mm1.customers=50000 --set 'output.detail="summary"' -r 2 >"$T/emu3.out" 2>&1; rc=$?
  checks "emulator-posterior.py: each run's likelihood is -RSS/(2 s2) of its in-sample targets (s2 > 1 here), the weights likelihood over emulated likelihood" \
    "[ $rc -eq 0 ] && \"$PY\" - \"$T/emu3.h5\" \"$T/mp3.h5\" <<'PYEOF'
import sys, h5py, numpy as np
with h5py.File(sys.argv[2]) as f:
    s2 = float(f['calibration/uncertainty'].attrs['variance_factor'][0])
with h5py.File(sys.argv[1]) as f:
    g = f['emulator_posterior']
    y, ll, le, w = g['draw_targets'][()], g['log_likelihood'][()], g['log_likelihood_emulated'][()], g['weight'][()]
assert s2 > 1.5, s2
r = (y - [0.52, 2.0833, 0.60]) / [0.01, 0.05, 0.05]
assert np.allclose(ll, -0.5 * (r * r).sum(1) / s2), (ll[:3], r[:3], s2)
assert np.all(np.abs(ll - le) < 0.5 * np.abs(ll).max()), (ll, le)   # the emulator is close here
v = np.exp(ll - le - (ll - le).max()); v /= v.sum()
assert np.allclose(w, v) and abs(w.sum() - 1) < 1e-12
PYEOF"
  "$PY" "$ROOT/scripts/emulator-posterior.py" "$S/mm1.cfg" "$T/mm1s.cfg" "$T/mu.h5" -o "$T/emu2.h5" --sim "$SIM" >"$T/emu2.out" 2>&1; rc=$?
  checks "emulator-posterior.py: a record without runs is refused (exit 1, no file)" \
    "[ $rc -eq 1 ] && grep -q 'no parameter sets (allowed: records of --draws N or --posterior N)' \"$T/emu2.out\" && [ ! -e \"$T/emu2.h5\" ]"
  "$SIM" calibrate --check --uncertainty --draws 5 "$S/mm1.cfg" "$T/mm1s.cfg" --set mm1.arrival_rate=0.5 \
    --set mm1.customers=5000 --set output.detail=\"summary\" -r 2 -q -o "$T/md5.h5" >/dev/null 2>&1
  "$PY" "$ROOT/scripts/emulator-posterior.py" "$S/mm1.cfg" "$T/mm1s.cfg" "$T/md5.h5" -o "$T/emu4.h5" --sim "$SIM" >"$T/emu4.out" 2>&1; rc=$?
  checks "emulator-posterior.py: too few runs for the emulator's coefficients are refused (5 runs for 6 coefficients)" \
    "[ $rc -eq 1 ] && grep -q '5 runs in the records for 6 emulator coefficients a target (allowed: at least 12)' \"$T/emu4.out\" && [ ! -e \"$T/emu4.h5\" ]"
else
  no "uncertainty-part.py --posterior (needs python3 with h5py)"
fi
checks "--posterior: 4 adaptive rounds by default, the effective sample size after each in the record" \
  "h5dump -H -d /calibration/posterior/effective_sample_size_by_round \"$T/mp.h5\" | grep -q '( 4 )'"
checks "--posterior: the verdict on the weighted draws (usable here)" "grep -q 'largest weight [0-9.]*, log-likelihood noise [0-9.]*: usable\$' \"$T/mp.out\""
"$SIM" calibrate --check --uncertainty --posterior 300 --rounds 1 "$S/mm1.cfg" "$T/mm1s.cfg" --set mm1.arrival_rate=0.5 \
  --set mm1.customers=50000 --set output.detail=\"summary\" -r 2 -q -o "$T/mp1.h5" >"$T/mp1.out" 2>&1; rc=$?
e1=$(awk '/effective sample size [0-9.]+ \(/ {print $4; exit}' "$T/mp1.out")
e4=$(awk '/effective sample size [0-9.]+ \(/ {print $4; exit}' "$T/mp.out")
checks "--rounds 1 (plain importance sampling from the linearisation) is worth fewer draws than 4 rounds ($e1 against $e4)" \
  "[ $rc -eq 0 ] && awk -v a=\"$e1\" -v b=\"$e4\" 'BEGIN {exit !(a > 0 && b > 1.5 * a)}'"
"$SIM" calibrate --check --uncertainty --posterior 7 --rounds 4 "$S/mm1.cfg" "$T/mm1t.cfg" >"$T/po4.txt" 2>&1; rc=$?
checks "--posterior with fewer than 2 sets per round is a usage error" "[ $rc -eq 2 ] && grep -q -- '--posterior: 7 sets in 4 rounds (allowed: at least 2 sets per round)' \"$T/po4.txt\""
"$SIM" calibrate --check --uncertainty --rounds 2 "$S/mm1.cfg" "$T/mm1t.cfg" >"$T/po5.txt" 2>&1; rc=$?
checks "--rounds without --posterior is a usage error" "[ $rc -eq 2 ] && grep -q -- '--rounds: .*(allowed: with --posterior)' \"$T/po5.txt\""
"$SIM" calibrate --check --posterior 5 "$S/mm1.cfg" "$T/mm1t.cfg" >"$T/po.txt" 2>&1; rc=$?
checks "--posterior without --uncertainty is a usage error" "[ $rc -eq 2 ] && grep -q -- '--posterior: .*(allowed: with --uncertainty)' \"$T/po.txt\""
"$SIM" calibrate --check --uncertainty --posterior 1 "$S/mm1.cfg" "$T/mm1t.cfg" >"$T/po1.txt" 2>&1; rc=$?
checks "--posterior 1 is a usage error naming the range" "[ $rc -eq 2 ] && grep -q -- \"--posterior: '1' is not an integer in 2..100000\" \"$T/po1.txt\""
# after a fit: at the best point, next to the overlay
"$SIM" calibrate --uncertainty "$S/mm1.cfg" "$T/mm1t.cfg" $MM --set mm1.arrival_rate=0.45 --max-evals 12 -q -o "$T/mf.h5" >"$T/mf.out" 2>&1; rc=$?
checks "a fit with --uncertainty writes the overlay, the record and the list" \
  "[ $rc -eq 0 ] && [ -s \"$T/mf.cfg\" ] && [ -s \"$T/mf-uncertainty.cfg\" ] && h5dump -H \"$T/mf.h5\" | grep -q 'GROUP \"uncertainty\"'"
"$SIM" calibrate "$S/mm1.cfg" "$T/mm1t.cfg" $MM --set mm1.arrival_rate=0.45 --max-evals 4 -q -o "$T/mf.h5" >"$T/mf2.out" 2>&1; rc=$?
checks "the same fit again without --uncertainty removes the earlier list (it described another fit), with a note" \
  "[ $rc -eq 0 ] && [ ! -e \"$T/mf-uncertainty.cfg\" ] && grep -q 'removed .*mf-uncertainty.cfg' \"$T/mf2.out\""

# 9a. The shipped posterior sample: scenarios/parts/uncertainty-calibration-posterior.cfg and
#    docs/calibration-posterior.md come from one `make calibration-posterior`: the weighted mean
#    and sd of each of the part's columns are the table's posterior mean and sd, and its
#    effective sample size is the one the page reports.
checks "parts/uncertainty-calibration-posterior.cfg matches docs/calibration-posterior.md (5 columns: weighted mean and sd; effective sample size)" \
  "python3 - \"$ROOT/docs/calibration-posterior.md\" \"$S/parts/uncertainty-calibration-posterior.cfg\" <<'PYEOF'
import math, re, sys
doc, part = open(sys.argv[1]).read(), open(sys.argv[2]).read()
table = {m.group(1): (float(m.group(2)), float(m.group(3)))
         for m in re.finditer(r'^\| \x60([^\x60]+)\x60 \| [-0-9.e+]+ \| [-0-9.e+]+ \| ([-0-9.e+]+) \| ([-0-9.e+]+) \|', doc, re.M)}
keys = re.findall(r'\"([^\"]+)\"', re.search(r'sample = \[(.*?)\];', part, re.S).group(1))
vals = [float(v) for v in re.search(r'values = \[([^]]*)\]', part).group(1).replace(',', ' ').split()]
w = [float(v) for v in re.search(r'weights = \[([^]]*)\]', part).group(1).replace(',', ' ').split()]
k, tot = len(keys), sum(w)
assert k == 5 and len(vals) == k * len(w), (k, len(vals), len(w))
for j, key in enumerate(keys):
    col = vals[j::k]
    m = sum(a * b for a, b in zip(w, col)) / tot
    sd = math.sqrt(sum(a * (b - m) ** 2 for a, b in zip(w, col)) / tot)
    pm, psd = table[key]
    assert abs(m - pm) <= 5e-3 * abs(pm) and abs(sd - psd) <= 5e-3 * psd, (key, m, pm, sd, psd)
ess = tot * tot / sum(a * a for a in w)
page = float(re.search(r'Effective sample size ([0-9.]+) of', doc).group(1))
assert abs(ess - page) < 0.05 and ('effective sample size %.1f' % page) in part.replace('\n# ', ' '), (ess, page)
PYEOF"
# 9. The shipped uncertainty of the calibration: docs/calibration-uncertainty.md and
#    scenarios/parts/uncertainty-calibration.cfg come from one `make calibration-uncertainty`:
#    the part's means and standard deviations are the table's values and standard errors.
checks "parts/uncertainty-calibration.cfg matches docs/calibration-uncertainty.md (5 parameters, value and standard error)" \
  "python3 - \"$ROOT/docs/calibration-uncertainty.md\" \"$S/parts/uncertainty-calibration.cfg\" <<'PYEOF'
import re, sys
doc, part = open(sys.argv[1]).read(), open(sys.argv[2]).read()
table = {m.group(1): (float(m.group(2)), float(m.group(3)))
         for m in re.finditer(r'^\| \x60([^\x60]+)\x60 \| ([-0-9.e+]+) \| ([-0-9.e+]+) \|', doc, re.M)}
got = re.findall(r'key = \"([^\"]+)\"; dist = \"normal\"; mean = ([-0-9.e+]+); sd = ([-0-9.e+]+);', part)
assert len(got) == 5, got
for key, mean, sd in got:
    v, se = table[key]
    assert abs(float(mean) - v) <= 5e-4 * abs(v), (key, mean, v)
    assert abs(float(sd) - se) <= 5e-3 * se, (key, sd, se)
PYEOF"

finish
