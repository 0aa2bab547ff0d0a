#!/bin/sh
# test_scenarios.sh: every scenario in the library validates and runs; the directional
# facts of issue 5 hold on a 5% population (tests/scenario_facts.py); bad policy input
# is rejected with file:line.
set -u
. "$(dirname "$0")/lib.sh"   # ROOT, BUILD, SIM; ok, no, check, checks, skip, die, finish
. "$ROOT/tests/pyfind.sh"
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
small="-q -r 4 --set labour_market.scale=0.05"

for f in "$ROOT"/scenarios/*.cfg; do
  case $(basename "$f") in regions.cfg) continue ;; esac
  if "$SIM" validate "$f" >/dev/null 2>"$T/err"; then ok; else no "validate $(basename "$f"): $(head -n 1 "$T/err")"; fi
done
for s in baseline covid pow-incidental pow-structural pow-incidental-covid pow-structural-covid cooperation-high cooperation-low \
         pow-incidental-dose pow-structural-dose; do
  "$SIM" run "$ROOT/scenarios/$s.cfg" $small -o "$T/$s.h5" 2>"$T/err" || no "run $s: $(head -n 1 "$T/err")"
done
P=labour_market
"$SIM" run "$ROOT/scenarios/pow-incidental.cfg" $small -o "$T/subst1.h5" --set "programmes.[0].substitution=1.0" --set "programmes.[0].substitution_maturity=0.0" || no "run subst1"
"$SIM" run "$ROOT/scenarios/pow-incidental.cfg" $small -o "$T/subst0.h5" --set "programmes.[0].substitution=0.0" --set "programmes.[0].substitution_maturity=0.0" || no "run subst0"
"$SIM" run "$ROOT/scenarios/pow-incidental.cfg" $small -o "$T/big.h5" --set "programmes.[0].budget_per_region=20000000.0" || no "run big"
"$SIM" run "$ROOT/scenarios/baseline.cfg" $small -o "$T/baseline.h5" -d events --sample 0.2 || no "run baseline with events"
"$SIM" run "$ROOT/scenarios/pow-incidental.cfg" $small -o "$T/zero.h5" -d events --sample 0.2 --set "programmes.[0].budget_per_region=0.0" || no "run zero"
if [ -n "$PY" ]; then
  out=$("$PY" "$ROOT/tests/scenario_facts.py" "$T"); rc=$?
  printf '%s\n' "$out" | grep -v '^[0-9]* passed'
  p=$(printf '%s\n' "$out" | sed -n 's/^\([0-9]*\) passed.*/\1/p'); f=$(printf '%s\n' "$out" | sed -n 's/.* \([0-9]*\) failed.*/\1/p')
  pass=$((pass + ${p:-0})); fail=$((fail + ${f:-1})); [ "$rc" -eq 0 ] || [ "${f:-0}" -gt 0 ] || fail=$((fail + 1))
else
  no "no python3 with h5py"
fi

# Bad policy input: each case is a small overlay on base.cfg with the expected message fragment.
bad() {
  name=$1; frag=$2; body=$3
  printf '@include "%s/scenarios/base.cfg"\n%s\n' "$ROOT" "$body" > "$T/$name.cfg"
  "$SIM" validate "$T/$name.cfg" >/dev/null 2>"$T/err"; rc=$?
  if [ "$rc" -eq 1 ] && grep -q "$name.cfg:[0-9]*: .*$frag" "$T/err"; then ok; else no "bad input $name (exit $rc): $(head -n 2 "$T/err")"; fi
}
prog() { printf 'programmes = ( { name = "p"; kind = "incidental"; regions = %s; budget_per_region = 1.0; start = "%s"; end = "%s"; tranches = ( %s ); ramp_up_months = 0.0; weak_extra_months = 0.0; underspend = %s; substitution = 0.0; substitution_maturity = 0.0; spending = { barrier_removal = 0.0; workfit = 1.0; praktijkleren = 0.0; bbl = 0.0; sector_training = 0.0; retraining = 0.0; jobcoach = 0.0; client_managers = 0.0; cooperation = 0.0; }; maturity_gain_per_year = 0.0; } );' "$@"; }
bad inverted "end is not after start" "$(prog '["all"]' 2020-01-01 2019-06-01 '' 0.0)"
bad late_tranche "tranche after the programme end" "$(prog '["all"]' 2019-06-01 2020-01-01 '{ date = "2020-06-01"; share = 1.0; }' 0.0)"
bad tranche_sum "tranche shares sum" "$(prog '["all"]' 2019-06-01 2020-01-01 '{ date = "2019-07-01"; share = 0.5; }' 0.0)"
bad share_range "out of range (allowed: 0 to 1)" "$(prog '["all"]' 2019-06-01 2020-01-01 '' 1.5)"
bad unknown_region "unknown region \"Atlantis\" (allowed: \"all\", \"Groningen\", \"Friesland\", .*\"Zuid-Limburg\")$" "$(prog '["Atlantis"]' 2019-06-01 2020-01-01 '' 0.0)"
# a near miss names the valid region: another case first, then a name containing the text
bad region_case "unknown region \"groningen\" (did you mean \"Groningen\"? allowed: \"all\" or one of the 35" "$(prog '["groningen"]' 2019-06-01 2020-01-01 '' 0.0)"
bad region_part "unknown region \"Utrecht\" (did you mean \"Midden-Utrecht\"? allowed:" "$(prog '["Utrecht"]' 2019-06-01 2020-01-01 '' 0.0)"
bad region_parts "unknown region \"Limburg\" (did you mean \"Noord-Limburg\", \"Midden-Limburg\" or \"Zuid-Limburg\"? allowed:" "$(prog '["Limburg"]' 2019-06-01 2020-01-01 '' 0.0)"
bad region_typo "unknown region \"Drente\" (did you mean \"Drenthe\"? allowed:" "$(prog '["Drente"]' 2019-06-01 2020-01-01 '' 0.0)"
bad before_origin "out of range (allowed: 2019-01-01" "$(prog '["all"]' 2018-06-01 2020-01-01 '' 0.0)"
shock() { printf 'shocks = ( { name = "s"; regions = %s; onset = "2020-03-15"; demand = ( { date = "2020-03-15"; level = 1.0; } ); suspensions = ( %s ); online_share = 0.5; online_effect = 0.7; employer_availability = 0.8; } );' "$@"; }
bad overlap "suspension windows overlap" "$(shock '["all"]' '{ start = "2020-03-16"; end = "2020-06-01"; }, { start = "2020-05-01"; end = "2020-07-01"; }')"
bad backwards "suspension ends before it starts" "$(shock '["all"]' '{ start = "2020-06-01"; end = "2020-03-16"; }')"
bad shock_region "unknown region \"Nowhere\"" "$(shock '["Nowhere"]' '')"
bad unknown_key "unknown key" "$(shock '["all"]' '') cooperation = { maturity_offset = 0.1; speed = 2.0; };"

finish
