#!/bin/sh
# test_output.sh: write an mm1 run with full trajectories and check the HDF5
# file field by field with h5py (tests/check_output.py), plus h5dump's view of
# the layout. Needs python3 with h5py and numpy (`make test` installs them).
set -u
. "$(dirname "$0")/lib.sh"   # ROOT, BUILD, SIM; ok, no, check, checks, skip, die, finish

. "$ROOT/tests/pyfind.sh"   # PY: the first python3 with h5py and numpy
[ -n "$PY" ] || die "no python3 with h5py and numpy (apt-get install python3-h5py)"
[ -x "$SIM" ] || die "no $SIM"

T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 1
cp "$ROOT/scenarios/mm1.cfg" mm1.cfg

CUST=5000 REPS=3 STEP=50.0
"$SIM" run mm1.cfg -q -d events --set mm1.customers=$CUST --set mm1.observe_step=$STEP -r $REPS -o X.h5 2>err
rc=$?
check "sim run -d events -r 3: exit 0" [ "$rc" -eq 0 ]
[ -s err ] && sed 's/^/  stderr: /' err
check "X.h5 written" [ -s X.h5 ]

# field by field with h5py
"$PY" "$ROOT/tests/check_output.py" X.h5 20190101 $REPS $CUST $STEP >py.out 2>&1
prc=$?
grep -v '^[0-9]* passed, [0-9]* failed$' py.out
line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' py.out | tail -n 1)
p=$(printf '%s' "$line" | sed -n 's/^\([0-9]*\) passed.*/\1/p')
f=$(printf '%s' "$line" | sed -n 's/.* \([0-9]*\) failed$/\1/p')
pass=$((pass + ${p:-0})); fail=$((fail + ${f:-0}))
consistent=no
[ -n "$line" ] && [ $(( ${f:-1} > 0 )) -eq $(( prc != 0 )) ] && consistent=yes
check "check_output.py ran to the end and agrees with its exit status" [ "$consistent" = yes ]

# the checker can fail: wrong expectations must be reported
"$PY" "$ROOT/tests/check_output.py" X.h5 20190102 $REPS 4999 $STEP >neg.out 2>&1
nrc=$?
check "check_output.py rejects a wrong seed and customer count" [ "$nrc" -ne 0 ]
check "and names the seed" grep -q 'FAIL: seed == 20190102' neg.out

# the layout as h5dump reports it (independent of h5py)
if command -v h5dump >/dev/null 2>&1; then
  h5dump -H X.h5 >dump.txt 2>&1
  check "h5dump reads the file" [ $? -eq 0 ]
  check "h5dump: /events kind is an H5T_ENUM" grep -q 'H5T_ENUM' dump.txt
  check "h5dump: seed attribute is H5T_STD_I64LE" sh -c "grep -A1 'ATTRIBUTE \"seed\"' dump.txt | grep -q H5T_STD_I64LE"
  check "h5dump: /series/queue_length is 3 x 100 x 1" grep -q 'SIMPLE { ( 3, 100, 1 ) / ( 3, 100, 1 ) }' dump.txt
  check "h5dump: /events rows" grep -q "SIMPLE { ( $((3 * CUST * REPS)) ) / ( H5S_UNLIMITED ) }" dump.txt
else
  no "h5dump not found (apt-get install hdf5-tools)"
fi

# summary-only and series-only runs write no /events, and only what they should
"$SIM" run -q -d summary --set mm1.customers=1000 -r 2 -o S.h5 mm1.cfg 2>/dev/null
"$SIM" run -q -d series --set mm1.customers=1000 -r 2 -o R.h5 mm1.cfg 2>/dev/null
"$PY" - S.h5 R.h5 >detail.out 2>&1 <<'EOF'
import sys, h5py
s, r = h5py.File(sys.argv[1], "r"), h5py.File(sys.argv[2], "r")
print("summary-only:", sorted(s.keys()), "series:", sorted(r.keys()))
assert sorted(s.keys()) == ["outcomes", "parameters", "summary"]
assert sorted(r.keys()) == ["outcomes", "parameters", "series", "summary"]
assert r["series/queue_length"].shape == (2, 100, 1)
EOF
drc=$?
check "-d summary writes /parameters, /summary and /outcomes only; -d series adds /series" [ "$drc" -eq 0 ]
[ "$drc" -eq 0 ] || cat detail.out

finish
