#!/bin/sh
# test_compare.sh: `sim compare` on small labour-market runs (scale 0.05, 6
# replications): paired intervals against numpy, a zero-effect twin, injected
# effects, every refusal (exit 1, one line naming the file), usage errors,
# CSV/JSON/table output. Independent checks live in tests/compare_check.py.
set -u
. "$(dirname "$0")/lib.sh"   # ROOT, BUILD, SIM; ok, no, check, checks, skip, die, finish
CHECK="$ROOT/tests/compare_check.py"
run() { "$@" >out 2>err; rc=$?; }
has() { grep -q -- "$2" "$1"; }
empty() { [ ! -s "$1" ]; }

. "$ROOT/tests/pyfind.sh"   # PY: the first python3 with h5py and numpy
[ -n "$PY" ] || die "no python3 with h5py and numpy (apt-get install python3-h5py)"
[ -x "$SIM" ] || die "no $SIM (run make all)"
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 1

# pycheck DESCRIPTION MODE ARGS...: add compare_check.py's own counts
pycheck() {
  d=$1; shift
  "$PY" "$CHECK" "$@" >py.out 2>&1; prc=$?
  grep -v '^[0-9]* passed, [0-9]* failed$' py.out | sed "s/^/  [$d] /"
  line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' py.out | tail -n 1)
  p=$(printf '%s' "$line" | sed -n 's/^\([0-9]*\) passed.*/\1/p')
  f=$(printf '%s' "$line" | sed -n 's/.* \([0-9]*\) failed$/\1/p')
  pass=$((pass + ${p:-0})); fail=$((fail + ${f:-0}))
  checks "$d: checker ran to the end and agrees with its exit status" \
    '[ -n "$line" ] && [ $(( ${f:-1} > 0 )) -eq $(( prc != 0 )) ]'
}

LM="$ROOT/scenarios/base.cfg"
SMALL="--set labour_market.scale=0.05"
# lm OUT.h5 [options]: a small labour-market run
lm() { o=$1; shift; "$SIM" run "$LM" $SMALL -r 6 -q -o "$o" "$@" 2>>runs.err; }

# ---- the runs: base, a zero-effect twin and two injected effects
lm A.h5
check "base run" [ -s A.h5 ]
# the twin sets a value to what the base already has (read back from A.h5)
uptake=$("$PY" "$CHECK" param A.h5 labour_market.placements.werkcheque.uptake)
vac=$("$PY" "$CHECK" param A.h5 labour_market.employers.vacancies_per_1000_month)
more=$("$PY" -c "print(repr(1.5 * $vac))" 2>/dev/null)
lm Z.h5 --set labour_market.placements.werkcheque.uptake="$uptake"
lm B.h5 --set labour_market.aftercare.places_per_1000=0.0
lm V.h5 --set labour_market.employers.vacancies_per_1000_month="$more"
checks "twin and effect runs (uptake=$uptake, vacancies $vac -> $more)" '[ -s Z.h5 ] && [ -s B.h5 ] && [ -s V.h5 ]'
[ -s runs.err ] && sed 's/^/  run: /' runs.err | head -n 5

# one replication: the header says so, and that there is no interval
lm A1.h5 -r 1
lm B1.h5 -r 1 --set labour_market.aftercare.places_per_1000=0.0
run "$SIM" compare A1.h5 B1.h5
checks "one replication: '1 replication', no t interval with 0 df" \
  '[ "$rc" -eq 0 ] && has out ", 1 replication paired one to one" && has out "no interval from one replication" && ! has out "0 df"'

# ---- (f) help and usage errors
run "$SIM" compare --help
checks "compare --help: exit 0, usage on stdout" '[ "$rc" -eq 0 ] && has out "compare BASE.h5 ALT.h5" && empty err'
run "$SIM" --help
check "sim --help lists compare and its options" has out "--regions"
run "$SIM" compare A.h5
checks "one file: exit 2" '[ "$rc" -eq 2 ] && has err "at least one ALT" && empty out'
run "$SIM" compare
check "no files: exit 2" [ "$rc" -eq 2 ]
run "$SIM" compare --csv --json A.h5 B.h5
checks "--csv with --json: exit 2" '[ "$rc" -eq 2 ] && has err "exclude"'
run "$SIM" compare --bogus A.h5 B.h5
checks "unknown option: exit 2" '[ "$rc" -eq 2 ] && has err "bogus"'
run "$SIM" compare --metric no_such_field A.h5 B.h5
checks "unknown --metric: exit 2 naming it" '[ "$rc" -eq 2 ] && has err "no_such_field" && empty out'
checks "unknown --metric: the allowed fields listed" \
  'has err "no such /summary field (allowed: placements, .*, cost_total, .*vacancies_wsp)\$" && [ "$(wc -l <err)" -eq 1 ]'
run "$SIM" compare --metric cost A.h5 B.h5
checks "a part of a field's name: the fields that contain it suggested" \
  '[ "$rc" -eq 2 ] && has err "(did you mean cost_programmes or cost_aftercare or cost_subsidies? allowed: placements, "'
run "$SIM" compare --metric placments A.h5 B.h5
checks "a misspelt field: the one meant suggested" '[ "$rc" -eq 2 ] && has err "(did you mean placements? allowed: "'
run "$SIM" compare --metric
check "--metric without a name: exit 2" [ "$rc" -eq 2 ]

# ---- (a) the paired intervals against numpy (and scipy when importable)
run "$SIM" compare A.h5 B.h5 --csv --regions
checks "compare --csv --regions: exit 0" '[ "$rc" -eq 0 ] && empty err'
check "CSV header" [ "$(head -n 1 out)" = "metric,region,base_mean,alt_mean,diff,ci_low,ci_high,rel_change,rel_low,rel_high,n,same,unit,p,p_holm" ]
cp out AB.csv
pycheck "A vs B, every summary field and region" ci A.h5 B.h5 AB.csv --regions
# ---- --csv-nl: the same table for spreadsheets with Dutch settings (';' between fields, decimal commas)
run "$SIM" compare A.h5 B.h5 --csv-nl --regions
cp out AB-nl.csv
checks "compare --csv-nl: exit 0; every field is --csv's, with ';' between fields and a decimal comma in numbers" \
  '[ "$rc" -eq 0 ] && "$PY" - AB.csv AB-nl.csv <<EOF
import csv, sys
en = list(csv.reader(open(sys.argv[1])))
nl = list(csv.reader(open(sys.argv[2]), delimiter=";"))
assert len(en) == len(nl) > 1 and en[0] == nl[0], (len(en), len(nl))
for a, b in zip(en[1:], nl[1:]):
    assert len(a) == len(b), (a, b)
    for x, y in zip(a, b):
        assert y == x.replace(".", ","), (x, y)
assert any("," in y for r in nl[1:] for y in r)
EOF'
run "$SIM" compare --csv-nl --json A.h5 B.h5
checks "--csv-nl with --json: exit 2" '[ "$rc" -eq 2 ] && has err "exclude"'
run "$SIM" compare A.h5 V.h5 --csv
cp out AV.csv
pycheck "A vs V, summary fields" ci A.h5 V.h5 AV.csv
"$PY" "$CHECK" ci A.h5 V.h5 AB.csv --regions >neg.out 2>&1; nrc=$?
checks "the checker rejects the intervals of another comparison" '[ "$nrc" -ne 0 ] && has neg.out "FAIL: diff within"'
# a second number of degrees of freedom, on the M/M/1 model
"$SIM" run "$ROOT/scenarios/mm1.cfg" -q -r 4 --set mm1.customers=3000 -o M1.h5 2>>runs.err
"$SIM" run "$ROOT/scenarios/mm1.cfg" -q -r 4 --set mm1.customers=3000 --set mm1.arrival_rate=0.8 -o M2.h5 2>>runs.err
run "$SIM" compare M1.h5 M2.h5 --csv
cp out M.csv
checks "mm1 compare: exit 0" '[ "$rc" -eq 0 ]'
pycheck "mm1 with 3 degrees of freedom" ci M1.h5 M2.h5 M.csv

# ---- (b) a zero-effect twin: diff exactly 0, interval [0, 0]
run "$SIM" compare A.h5 Z.h5 --csv --regions
cp out AZ.csv
checks "twin: exit 0" '[ "$rc" -eq 0 ]'
pycheck "zero-effect twin" zero AZ.csv
run "$SIM" compare A.h5 Z.h5
checks "twin table: no metric is starred; a difference of exactly 0 in every replication is marked = and explained" \
  '! grep -q " [*]$" out && has out "^placements .*  =\$" && has out "^= : the same difference in every replication (0 included)"'
# the table's = and JSON's same mark the same rows (README: "same" is true for "the rows marked =")
"$SIM" compare A.h5 B.h5 >AB.table 2>/dev/null && "$SIM" compare A.h5 B.h5 --json >AB.same.json 2>/dev/null
awk '/^metric / {on = 1; next} on && NF == 0 {exit} on && / =$/ {print $1}' AB.table | sort >marked.txt
"$PY" -c 'import json, sys; [print(o["metric"]) for o in json.load(open(sys.argv[1])) if o["same"]]' AB.same.json | sort >same.txt
checks "table = and JSON same agree row by row ($(wc -l <same.txt) rows same, among them a 0 difference)" \
  '[ -s same.txt ] && cmp -s marked.txt same.txt && has AB.table "^invited .*  =\$"' 

# ---- (c) injected effects are found with the right sign
pycheck "more vacancies: more placements" effect AV.csv placements +
pycheck "no aftercare places: no aftercare cost" effect AB.csv cost_aftercare -
check "no aftercare places: the coached durability rate is undefined (n = 0), not 0" \
  grep -q '^durable_rate_coached,,n/a,n/a,n/a,n/a,n/a,n/a,n/a,n/a,0,0,1,n/a,n/a$' AB.csv
run "$SIM" compare A.h5 V.h5 --metric placements --metric durable_share
checks "table: headline names both files, seed and replications" \
  'has out "^base  *A.h5: scenario .*base.cfg" && has out "^alt  *V.h5: scenario .*vacancies_per_1000_month" && has out "seed 20190101, 6 replications"'
checks "table: --metric keeps only those rows" '[ "$(grep -c "^placements \|^durable_share " out)" -eq 2 ] && ! has out "^cost_total"'
check "table: an effect whose interval excludes 0 is marked" has out '^placements .* \*$'

# ---- (e) JSON
run "$SIM" compare A.h5 B.h5 --json --regions
cp out AB.json
checks "--json: exit 0" '[ "$rc" -eq 0 ] && empty err'
pycheck "JSON equals the CSV" json AB.json AB.csv
names=$("$PY" "$CHECK" damage A.h5 B.h5) || no "making the damaged copies"
zero=${names% *}; nan=${names#* }
run "$SIM" compare zero_a.h5 zero_b.h5 --json
cp out undef.json
pycheck "undefined values ($zero = 0, $nan has a NaN in one replication)" undefined undef.json "$zero" "$nan" 6
run "$SIM" compare zero_a.h5 zero_b.h5 --csv
check "CSV writes undefined values as n/a" has out "^$zero,,0,0,0,0,0,n/a,n/a,n/a,6,1,[^,]*,n/a,n/a\$"
run "$SIM" compare A.h5 shift.h5
checks "table: the same nonzero difference in every replication is marked =, not starred, and explained" \
  'has out "^$zero .*  =\$" && ! has out "^$zero .*[*]\$" && has out "^= : the same difference in every replication"'

# several ALT files: one headline each, an alt column in CSV
run "$SIM" compare A.h5 Z.h5 V.h5 --csv --metric placements
checks "two ALT files in CSV: alt column and one row each" \
  '[ "$(head -n 1 out)" = "metric,region,base_mean,alt_mean,diff,ci_low,ci_high,rel_change,rel_low,rel_high,n,same,unit,alt,p,p_holm" ] && has out ",Z.h5,[^,]*,[^,]*\$" && has out ",V.h5,[^,]*,[^,]*\$" && [ "$(wc -l <out)" -eq 3 ]'
# units and numbers for people (issue 16)
run "$SIM" compare A.h5 B.h5 --regions
checks "table: a unit column; counts with one decimal and thousands separators (\"persons  12,398.5\")" \
  'has out "^metric  *region  *unit  *base mean" && has out "^placements  *persons  *[0-9]\{1,3\}\(,[0-9][0-9][0-9]\)*\.[0-9] "'
checks "table: EUR without decimals, shares with four; no %g exponents" \
  'has out "^cost_total  *EUR  *[0-9]\{1,3\}\(,[0-9][0-9][0-9]\)\+  " && has out "^durable_share  *1  *0\.[0-9]\{4\} " && ! grep -q "[0-9]e[+-][0-9]" out'
checks "table: region rows of a flow are in persons (per month summed over time)" \
  'has out "^placements  *Groningen  *persons "'
"$SIM" run "$ROOT/scenarios/mm1.cfg" -q -r 2 --scale 0.001 --set mm1.arrival_rate=0.5 -o S1.h5 2>/dev/null
"$SIM" run "$ROOT/scenarios/mm1.cfg" -q -r 2 --scale=0.001 -o S2.h5 2>/dev/null
run "$SIM" compare S2.h5 S1.h5
checks "headline: --scale is listed with the --set overrides, as given" \
  'has out "^base  *S2.h5: scenario .*mm1.cfg --scale 0.001\$" && has out "^alt  *S1.h5: scenario .*mm1.cfg --scale 0.001 --set mm1.arrival_rate=0.5\$"'
run "$SIM" compare A.h5 B.h5 --csv
checks "CSV: unit column (persons, EUR, 1) and full-precision numbers" \
  '[ "$(head -n 1 out)" = "metric,region,base_mean,alt_mean,diff,ci_low,ci_high,rel_change,rel_low,rel_high,n,same,unit,p,p_holm" ] && has out "^placements,,[0-9.]*,.*,persons,[0-9.e-]*,[0-9.e-]*\$" && has out "^cost_total,.*,EUR,[^,]*,[^,]*\$"'
checks "JSON: a unit per row" 'grep -q "\"metric\": \"cost_total\", .*\"unit\": \"EUR\"" AB.json'
run "$SIM" compare A.h5 Z.h5 V.h5
checks "two ALT files in the table: two headlines" '[ "$(grep -c "^alt " out)" -eq 2 ]'

# ---- (d) refusals: exit 1, one line on stderr naming the file, nothing on stdout
lm seed.h5 -s 7
lm reps.h5 -r 5
head -c 3000 A.h5 > trunc.h5
echo "not hdf5" > text.h5
# refused NAME FILE [options]: compare A.h5 with FILE
refused() {
  d=$1; f=$2; shift 2
  run "$SIM" compare A.h5 "$f" "$@"
  checks "$d: exit 1, one line naming $f, nothing on stdout" \
    '[ "$rc" -eq 1 ] && [ "$(wc -l <err)" -eq 1 ] && has err "^sim: $f: " && empty out && ! has err HDF5-DIAG'
}
refused "missing file" nothere.h5
refused "not HDF5" text.h5
refused "truncated" trunc.h5
refused "no /summary" nosum.h5
refused "newer format_version" newer.h5
check "  ... says it is newer" has err "format_version .* newer"
refused "a dataset of the contents list is gone" lost.h5
check "  ... names it" has err "dataset /series/placements is missing (damaged file)"
refused "no contents list" nolist.h5
check "  ... says so" has err "contents list is missing"
refused "HDF5 metadata without checksums (earliest format)" earliest.h5
check "  ... says so" has err "HDF5 metadata without checksums"
run "$SIM" info lost.h5
checks "info on a file that lost a dataset: exit 1, names it, describes nothing" \
  '[ "$rc" -eq 1 ] && has err "lost.h5: dataset /series/placements is missing (damaged file)" && empty out'
refused "different model" M1.h5
check "  ... names both models" has err "model 'mm1' differs .*'labour_market'"
refused "different seed" seed.h5
checks "  ... names the seeds and the fix" 'has err "seed 7 differs .* 20190101; paired differences need the same seed (run both with the same -s, or neither)"'
refused "different replication count" reps.h5
checks "  ... names the counts and the fix" 'has err "5 replications, A.h5 has 6; replications are paired one to one (run both with the same -r)"'
lm one.h5 -r 1 -d summary
run "$SIM" compare A.h5 one.h5
checks "one replication against six: refused in the singular ('1 replication, A.h5 has 6')" '[ "$rc" -eq 1 ] && has err "1 replication, A.h5 has 6"'
run "$SIM" info one.h5
checks "info of one replication: 'mean over 1 replication'" '[ "$rc" -eq 0 ] && has out "^summary (mean over 1 replication):"'
lm pop.h5 --scale 0.5 -d summary   # half the population of A.h5: other people
refused "different population (--scale)" pop.h5
check "  ... names the key and both values" has err "population labour_market.scale = 0.025 differs from A.h5's 0.05"
"$SIM" run "$LM" --set labour_market.scale=0.02 -r 6 -q -d summary -o p02.h5 2>>runs.err
"$SIM" run "$LM" --set labour_market.scale=0.05 --scale 0.4 -r 6 -q -d summary -o p0x.h5 2>>runs.err
run "$SIM" compare p02.h5 p0x.h5
checks "populations that differ only past the 15th digit: refused, and printed so that they differ" \
  '[ "$rc" -eq 1 ] && has err "population labour_market.scale = 0.020000000000000004 differs from p02.h5.s 0.02;"'
run env PYTHONPATH="$ROOT" "$PY" -m analysis.report A.h5 pop.h5 -o pop.html
checks "sim report refuses it too, naming the population, and writes nothing" \
  '[ "$rc" -ne 0 ] && has err "population labour_market.scale" && [ ! -e pop.html ]'
refused "different summary fields" fields.h5
refused "different regions (--regions)" regions.h5 --regions
check "  ... names the region" has err "Atlantis"
lm S.h5 -d summary
refused "no /series for --regions" S.h5 --regions
check "  ... says what is missing" has err "no /series"
run "$SIM" compare trunc.h5 A.h5
checks "a bad BASE file: exit 1 naming it" '[ "$rc" -eq 1 ] && has err "^sim: trunc.h5: " && empty out'
run "$SIM" compare A.h5 Z.h5 reps.h5 --csv
checks "a bad second ALT: exit 1 and nothing on stdout" '[ "$rc" -eq 1 ] && has err "reps.h5" && empty out'

# ---- (g) --from/--to: a window on the /series rows (issue 17)
run "$SIM" compare A.h5 B.h5 --json --from 2021-03-01 --to 2022-03-01 --metric durable --metric caseload --metric maturity --metric placements
checks "window: exit 0, a national row per series (placements is also a /summary field), no regions" \
  '[ "$rc" -eq 0 ] && [ $(grep -c "\"region\": \"national\"" out) -eq 4 ] && [ $(grep -c "\"metric\"" out) -eq 5 ]'
cp out window.json
# independent: steps whose midpoint lies in [from, to); flows summed, stocks at the last step, shares averaged
"$PY" - A.h5 B.h5 window.json >pyw.out 2>&1 <<'PYEOF'
import datetime, json, sys, h5py, numpy as np
a, b = h5py.File(sys.argv[1]), h5py.File(sys.argv[2])
rows = {r["metric"]: r for r in json.load(open(sys.argv[3]))}
o = datetime.date.fromisoformat(a.attrs["time_origin"].decode())
lo, hi = [(datetime.date.fromisoformat(d) - o).days for d in ("2021-03-01", "2022-03-01")]
bnd = a["series/time_bnds"][:]      # calendar months: [start, end) in days since the origin
mid = bnd.mean(axis=1)
m = (mid >= lo) & (mid < hi)
bad = 0
for name, how in (("durable", "flow"), ("caseload", "stock"), ("maturity", "share")):
    x, y = a["series/" + name][:], b["series/" + name][:]
    if how == "flow": f = lambda v: v[:, m, :].sum(axis=(1, 2))
    elif how == "stock": f = lambda v: v[:, np.where(m)[0][-1], :].sum(axis=1)
    else: f = lambda v: v[:, np.where(m)[0][-1], :].mean(axis=1)
    d = (f(y) - f(x)).mean()
    if not abs(d - rows[name]["diff"]) <= 1e-9 * max(1.0, abs(d)) or not abs(f(x).mean() - rows[name]["base_mean"]) <= 1e-9 * max(1.0, abs(f(x).mean())):
        print("mismatch", name, d, rows[name]); bad += 1
print("steps", int(m.sum()), "bad", bad)
sys.exit(1 if bad or m.sum() != 12 else 0)
PYEOF
checks "window: national flows, stocks and shares agree with numpy over the 12 steps" '[ $? -eq 0 ]' || sed 's/^/  /' pyw.out
run "$SIM" compare A.h5 B.h5 --csv --regions --from 2021-03-01 --metric durable
checks "window with --regions: a national row and one per region" '[ "$rc" -eq 0 ] && [ $(grep -c "^durable," out) -eq 36 ]'
cp out win.csv
pycheck "window with --regions: p_holm over the national row apart and over the 35 regions" holm win.csv
run "$SIM" compare A.h5 B.h5 --metric durable --from 2021-03-01
checks "window table: a series --metric is allowed and the window is stated" '[ "$rc" -eq 0 ] && has out "window --from/--to: /series time steps 27 to"'
run "$SIM" compare A.h5 B.h5 --metric durable_placements --from 2021-03-01 --to 2022-03-01
checks "window with only /summary metrics: refused in one line naming the series allowed (the window had silently vanished)" \
  '[ "$rc" -eq 2 ] && [ "$(wc -l <err)" -eq 1 ] && has err "--from/--to apply to /series only, and no --metric names one (durable_placements is a /summary field, over the whole run): add a series, e.g. --metric durable (allowed series: .*durable" && empty out'
run "$SIM" compare A.h5 B.h5 --regions --metric cost_total
checks "--regions with only /summary metrics: refused the same way" '[ "$rc" -eq 2 ] && has err "^sim: --regions applies to /series only" && empty out'
run "$SIM" compare A.h5 B.h5 --from 2021-02-30
checks "window: an invalid date is a usage error naming the option" '[ "$rc" -eq 2 ] && has err "--from: .2021-02-30. is not a date" && empty out'
run "$SIM" compare A.h5 B.h5 --from 2022-01-01 --to 2021-01-01
checks "window: --from after --to is a usage error" '[ "$rc" -eq 2 ] && has err "is not before --to" && empty out'
run "$SIM" compare A.h5 B.h5 --from 2040-01-01
checks "window: outside the run, refused naming the file and the run's dates" '[ "$rc" -eq 1 ] && has err "^sim: A.h5: the window .* holds no time step" && empty out'
AFTER=$("$PY" - A.h5 <<'PYEOF'
import sys, datetime, h5py
f = h5py.File(sys.argv[1], "r")
o = f.attrs["time_origin"]
o = datetime.date.fromisoformat(o.decode() if isinstance(o, bytes) else str(o))
b = f["series/time_bnds"][-1]
print(o + datetime.timedelta(days=int((b[0] + b[1]) // 2) + 1))   # the day after the last step's midpoint
PYEOF
)
run "$SIM" compare A.h5 B.h5 --from "$AFTER" --to 2040-01-01
checks "window: from just after the last step's midpoint is refused with the rule and that step's midpoint (it lies inside the run)" \
  '[ "$rc" -eq 1 ] && has err "a step counts when its midpoint lies in \[from, to), and the nearest, .* has its midpoint on" && empty out'
run "$SIM" compare S.h5 S.h5 --from 2021-01-01
checks "window: a file without /series is refused" '[ "$rc" -eq 1 ] && has err "no /series" && empty out'

# ---- the relative change's interval agrees with the star, and a ratio of counts stays above -100%
"$SIM" compare A.h5 B.h5 --regions --csv >rel.csv 2>err
checks "relative intervals (Fieller): excluding 0 exactly when the difference's interval does; never below -100% for counts" '"$PY" - rel.csv <<PYEOF
import csv, math, sys
bad = []
n = 0
for r in csv.DictReader(open(sys.argv[1])):
    f = lambda k: float(r[k]) if r[k] not in ("", "n/a") else math.nan
    lo, hi, clo, chi = f("rel_low"), f("rel_high"), f("ci_low"), f("ci_high")
    if r["same"] == "1" or not (math.isfinite(lo) and math.isfinite(clo)):
        continue
    n += 1
    if (clo > 0 or chi < 0) != (lo > 0 or hi < 0):
        bad.append("star: %s %s" % (r["metric"], r["region"]))
    if r["unit"] == "persons" and f("base_mean") >= 0 and f("alt_mean") >= 0 and lo < -1 - 1e-12:
        bad.append("below -100%%: %s %s %g" % (r["metric"], r["region"], lo))
assert n > 100 and not bad, (n, bad[:5])
PYEOF'

# ---- another period: refused in every format and by sim report, before anything is printed
lm E.h5 -d summary --set 'labour_market.end="2027-01-01"'
"$PY" -c 'import h5py, sys; print(h5py.File(sys.argv[1], "r").attrs["time_end"].decode())' E.h5 >out 2>err
check "a run records its end of simulated time (time_end)" [ "$(cat out)" = "2027-01-01" ]
for fmt in "" --csv --json; do
  run "$SIM" compare A.h5 E.h5 $fmt
  checks "another end ($fmt): exit 1, one line naming both periods, nothing printed" \
    '[ "$rc" -eq 1 ] && [ "$(wc -l <err)" -eq 1 ] && has err "E.h5: simulates .* to 2027-01-01, A.h5 .* to 2029-01-01; paired differences need the same period" && empty out'
done
lm E2.h5 --set 'labour_market.end="2027-01-01"'
run "$SIM" report A.h5 E2.h5 -o period.html
checks "another period: sim report refuses (not a Python error), no report" \
  '[ "$rc" -ne 0 ] && has err "E2.h5: simulates .* (96 series steps), A.h5 .* (120); paired differences need the same period" && ! has err Error && [ ! -e period.html ]'
"$PY" - A.h5 D1.h5 <<'PYEOF' 2>err
import shutil, sys, h5py
shutil.copy(sys.argv[1], sys.argv[2])
with h5py.File(sys.argv[2], "r+") as f:
    del f.attrs["time_end"]   # a file written before time_end: its series still tell
    f.attrs.modify("time_origin", "2020-01-01")
PYEOF
run "$SIM" compare A.h5 D1.h5 --csv
checks "another origin: refused" '[ "$rc" -eq 1 ] && has err "D1.h5: simulates from 2020-01-01, A.h5 2019-01-01 to 2029-01-01" && empty out'

# ---- parameter draws on one side only, or different draws: refused before anything is printed
"$PY" - A.h5 W1.h5 W2.h5 <<'PYEOF' 2>err
import shutil, sys, numpy as np, h5py
for name, v in ((sys.argv[2], 1.0), (sys.argv[3], 2.0)):
    shutil.copy(sys.argv[1], name)
    with h5py.File(name, "r+") as f:
        f.create_dataset("parameter_draws", data=np.full((6, 2), v))
PYEOF
for fmt in "" --csv --json; do
  run "$SIM" compare A.h5 W1.h5 $fmt
  checks "draws in ALT only ($fmt): exit 1, one line, nothing printed" \
    '[ "$rc" -eq 1 ] && [ "$(wc -l <err)" -eq 1 ] && has err "W1.h5: ran with parameter draws and A.h5 without (sim run --draw-parameters)" && empty out'
done
run "$SIM" compare W1.h5 A.h5 --csv
checks "draws in BASE only: refused" '[ "$rc" -eq 1 ] && has err "A.h5: ran without parameter draws and W1.h5 with them" && empty out'
run "$SIM" compare W1.h5 W2.h5 --json
checks "different draws (--json): refused" '[ "$rc" -eq 1 ] && has err "W2.h5: its parameter draws differ from W1.h5" && empty out'
run "$SIM" report A.h5 W1.h5 -o draws.html
checks "draws in ALT only: sim report refuses, no report" '[ "$rc" -ne 0 ] && has err "W1.h5: ran with parameter draws and A.h5 without" && [ ! -e draws.html ]'

# ---- files of two builds: paired, with a note naming both builds
"$PY" - A.h5 G.h5 <<'PYEOF' 2>err
import shutil, sys, h5py
shutil.copy(sys.argv[1], sys.argv[2])
with h5py.File(sys.argv[2], "r+") as f:
    f.attrs.modify("git_hash", "0000000")
PYEOF
run "$SIM" compare A.h5 G.h5 --csv
checks "another build: compared, with a note naming both builds" \
  '[ "$rc" -eq 0 ] && has err "note: G.h5 was written by build 0000000, A.h5 by build" && [ -s out ]'
run "$SIM" compare A.h5 Z.h5 --csv
check "the same build: no note" empty err

finish
