#!/bin/sh
# test_horizon.sh: issue 15 item 14. The model's table of regime changes (monthly
# updates of capacity and cooperation maturity, policy boundaries) is sized from the
# burn-in and the horizon: with the longest allowed horizon the monthly updates go on
# to the end (they stopped at month 503 with a fixed table of 512).
set -u
. "$(dirname "$0")/lib.sh"   # ROOT, BUILD, SIM; ok, no, check, checks, skip, die, finish
. "$ROOT/tests/pyfind.sh"
[ -n "$PY" ] || die "no python3 with h5py"
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
cat >"$T/long.cfg" <<CFG
@include "$ROOT/scenarios/pow-structural.cfg"
overrides = (
  { key = "labour_market.end"; value = "2078-01-01"; },
  { key = "programmes.[0].start"; value = "2070-01-01"; },
  { key = "programmes.[0].end"; value = "2078-01-01"; }
);
CFG
"$BUILD/sim" run "$T/long.cfg" -q -r 1 --set labour_market.scale=0.003 --set labour_market.burn_in_years=1 \
  --set labour_market.series_step_months=1.0 -o "$T/long.h5" || die "59-year run"
"$PY" - "$T/long.h5" <<'PY'
import sys
import h5py, numpy as np
m = h5py.File(sys.argv[1], "r")["series"]["maturity"][0].mean(axis=1)   # [step], national mean
fund = m[612:700]                      # 2070-2077: funded cooperation work, months 613-700
steps = np.diff(fund)
quarters = np.diff(fund[::3])
# The model updates maturity on the first day of every calendar month, the days
# /series observes (issue 16): once funding has worked through (two months), every
# month rises. Updates that stopped (the bug) would leave both flat.
ok = len(fund) == 88 and np.all(quarters > 0) and np.all(steps[2:] > 0)
print("%s maturity rises quarter by quarter while funded, 51-58 years in (%d of %d quarterly, %d of %d monthly steps up)" % (
    "ok  " if ok else "FAIL", int(np.sum(quarters > 0)), len(quarters), int(np.sum(steps > 0)), len(steps)))
print("%d passed, %d failed" % (int(ok), int(not ok)))
sys.exit(0 if ok else 1)
PY
