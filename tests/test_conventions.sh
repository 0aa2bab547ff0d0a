#!/bin/sh
# test_conventions.sh: output files that generic readers understand (issue 16):
# /series/time on calendar months with CF bounds (xarray decodes 2019-01-01,
# 2019-02-01, ...), flows in "persons per month", /outcomes (every /summary field as
# a 1-D dataset with CF units and long_name), /events time and cost units, /regions
# enums and units; checked with xarray (tests/conventions_check.py) and R hdf5r, and
# the CF rules that matter here (units parse with UDUNITS-2, time with calendar and
# bounds, every dimension scale present, netCDF-C reads it) with tests/cf_check.py.
# Checks need xarray / R / UDUNITS where installed; a missing reader counts as skipped.
set -u
. "$(dirname "$0")/lib.sh"   # ROOT, BUILD, SIM; ok, no, check, checks, skip, die, finish
. "$ROOT/tests/pyfind.sh"
[ -x "$SIM" ] || die "no $SIM (run make all)"
T=$(mktemp -d /tmp/conv-XXXXXX 2>/dev/null || mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 1

S="$ROOT/scenarios/baseline.cfg"
"$SIM" run "$S" -q -r 2 -t 2 -d events --sample 0.05 --set labour_market.scale=0.01 -o m.h5 2>err
checks "monthly run with events" '[ $? -eq 0 ] && [ -f m.h5 ]'
"$SIM" run "$S" -q -r 2 -t 2 --set labour_market.scale=0.01 --set labour_market.series_step_months=3.0 \
  --set 'origin="2018-12-15"' -o q.h5 2>err
checks "3-month run from a mid-month origin" '[ $? -eq 0 ] && [ -f q.h5 ]'
"$SIM" validate "$S" --set labour_market.series_step_months=1.5 >out 2>err
checks "a step that is not a whole number of months is refused with its allowed values" \
  '[ $? -eq 1 ] && grep -q "series_step_months: 1.5 is not a whole number of months (allowed: 1, 2, ... 120" err'

if [ -n "$PY" ]; then
  "$PY" "$ROOT/tests/conventions_check.py" m.h5 q.h5 >py.out 2>&1; prc=$?
  pass=$((pass + $(grep -c '^ok ' py.out))); fail=$((fail + $(grep -c '^FAIL' py.out)))
  skipped=$((skipped + $(grep -c '^skip ' py.out)))
  grep -v '^ok ' py.out
  checks "conventions_check.py ran to the end" '[ "$prc" -eq 0 ]'
else
  skip "no python3 with h5py and numpy: conventions_check.py"
fi

# CF conformance (tests/cf_check.py): no CF checker is a Debian package (cfchecker and
# compliance-checker are on PyPI only), so the checks that matter for these files run
# here with UDUNITS-2, cftime and netCDF-C; a missing library counts as skipped and
# "note" lines name what a strict CF checker would also report.
if [ -n "$PY" ]; then
  "$PY" "$ROOT/tests/cf_check.py" m.h5 q.h5 >cf.out 2>&1; prc=$?
  pass=$((pass + $(grep -c '^ok ' cf.out))); fail=$((fail + $(grep -c '^FAIL' cf.out)))
  skipped=$((skipped + $(grep -c '^skip ' cf.out)))
  grep -v '^ok ' cf.out
  checks "cf_check.py ran to the end" '[ "$prc" -eq 0 ] && grep -q "^ok " cf.out'
else
  skip "no python3 with h5py and numpy: cf_check.py"
fi

if command -v Rscript >/dev/null 2>&1 && Rscript -e 'library(hdf5r)' >/dev/null 2>&1; then
  Rscript -e 'library(hdf5r); f <- H5File$new("m.h5", mode = "r")
    t <- f[["series/time"]]; b <- f[["series/time_bnds"]]$read()
    cat("time", h5attr(t, "units"), t$read()[1:3], "\n")
    cat("bnds", dim(b), b[, 1], "\n")
    o <- f[["outcomes/cost_total"]]; cat("cost_total", h5attr(o, "units"), length(o$read()), "\n")
    r <- f[["regions"]]$read(); cat("wsp", is.factor(r$wsp) || is.factor_ext(r$wsp), levels(r$wsp), "\n")
    cat("events", h5attr(f[["events"]], "time_units"), h5attr(f[["events"]], "cost_units"), "\n")' >r.out 2>r.err
  checks "R hdf5r: /series/time in days since 2019-01-01 at 0, 31, 59 (Jan, Feb, Mar)" \
    'grep -q "^time days since 2019-01-01 0 31 59 $" r.out'
  checks "R hdf5r: time_bnds 2 x 120 (R reverses), first interval 0..31" 'grep -q "^bnds 2 120 0 31 $" r.out'
  checks "R hdf5r: /outcomes/cost_total has units EUR, 2 replications" 'grep -q "^cost_total EUR 2 $" r.out'
  checks "R hdf5r: /regions wsp reads as a factor with the enum labels" \
    'grep -q "^wsp TRUE regional central_sub subregional $" r.out'
  checks "R hdf5r: /events time_units and cost_units" 'grep -q "^events days since 2019-01-01 EUR $" r.out'
  [ "$fail" -eq 0 ] || { cat r.out; head -n 5 r.err; }
else
  skip "R with hdf5r not installed (apt-get install r-cran-hdf5r)"
fi

finish
