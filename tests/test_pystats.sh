#!/bin/sh
# test_pystats.sh: analysis/ statistics come from scipy (Student t quantile) and
# statsmodels (Kaplan-Meier, Greenwood) and agree within 1e-9 with the hand-written
# code they replaced (tests/stats_reference.py), on random samples and on two small
# runs with -d events; /events codes are read from the file's enums (issue 16).
set -u
. "$(dirname "$0")/lib.sh"   # ROOT, BUILD, SIM; ok, no, check, checks, skip, die, finish
. "$ROOT/tests/pyfind.sh"
[ -x "$SIM" ] || die "no $SIM (run make all)"
if [ -z "$PY" ] || ! "$PY" -c 'import scipy.stats, statsmodels.duration.survfunc' >/dev/null 2>&1; then
  die "no python3 with h5py, numpy, scipy and statsmodels (Debian: python3-scipy python3-statsmodels)"
fi
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
for s in baseline pow-incidental; do
  "$SIM" run "$ROOT/scenarios/$s.cfg" -q -r 2 -t 2 -d events --sample 0.2 --scale 0.02 -o "$T/$s.h5" 2>"$T/err" \
    || die "run $s: $(head -n 1 "$T/err")"
done
PYTHONDONTWRITEBYTECODE=1 PYTHONPATH="$ROOT${PYTHONPATH:+:$PYTHONPATH}" "$PY" "$ROOT/tests/pystats_check.py" "$T/baseline.h5" "$T/pow-incidental.h5" >"$T/out" 2>&1; rc=$?
grep -v '^ok ' "$T/out"
pass=$(grep -c '^ok ' "$T/out"); fail=$(grep -c '^FAIL' "$T/out")
[ "$rc" -eq 0 ] || { echo "FAIL: pystats_check.py stopped (exit $rc)"; fail=$((fail + 1)); }
finish
