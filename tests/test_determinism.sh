#!/bin/sh
# test_determinism.sh: the same scenario gives bitwise identical datasets for
# 1, 2 and 4 threads (root attributes `created` and `command_line` legitimately
# differ, so datasets are compared, not files); a replication's results do not
# depend on how many replications run; another seed gives other results.
set -u
. "$(dirname "$0")/lib.sh"   # ROOT, BUILD, SIM; ok, no, check, checks, skip, die, finish

. "$ROOT/tests/pyfind.sh"   # PY: the first python3 with h5py and numpy
[ -x "$SIM" ] || die "no $SIM"
command -v h5diff >/dev/null 2>&1 || die "no h5diff (apt-get install hdf5-tools)"
[ -n "$PY" ] || die "no python3 with h5py"

T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 1
cp "$ROOT/scenarios/mm1.cfg" mm1.cfg

run() {   # run OUT THREADS [extra options]
  out=$1; th=$2; shift 2
  "$SIM" run -q -d events --set mm1.customers=5000 --set mm1.observe_step=50.0 -r 6 -t "$th" "$@" -o "$out" mm1.cfg
  check "run $out (-t $th $*): exit 0" [ $? -eq 0 ]
}
run t1.h5 1
run t2.h5 2
run t4.h5 4
run t4b.h5 4
run seed.h5 2 -s 20190102

DATASETS="/summary /events /series/queue_length /series/time /series/replication /series/server /parameters/values /parameters/scenario"
for other in t2.h5 t4.h5 t4b.h5; do
  for d in $DATASETS; do
    h5diff t1.h5 "$other" "$d" "$d" >diff.out 2>&1
    rc=$?
    check "h5diff t1.h5 $other $d: identical" [ "$rc" -eq 0 ]
    [ "$rc" -eq 0 ] || head -n 5 diff.out
  done
done

# bitwise, over every dataset in the file (h5diff compares values, not bytes)
"$PY" - t1.h5 t2.h5 t4.h5 >bytes.out 2>&1 <<'EOF'
import sys, h5py
def datasets(f):
    out = {}
    f.visititems(lambda n, o: out.__setitem__(n, o[()].tobytes()) if isinstance(o, h5py.Dataset) else None)
    return out
ref = datasets(h5py.File(sys.argv[1], "r"))
assert len(ref) >= 8, sorted(ref)
for other in sys.argv[2:]:
    d = datasets(h5py.File(other, "r"))
    assert sorted(d) == sorted(ref), (other, sorted(d))
    bad = [n for n in ref if d[n] != ref[n]]
    assert not bad, (other, bad)
print("bitwise identical:", len(ref), "datasets")
EOF
brc=$?
check "every dataset bitwise identical for 1, 2, 4 threads" [ "$brc" -eq 0 ]
[ "$brc" -eq 0 ] || cat bytes.out

# the attributes that may differ are the only ones that do
"$PY" - t1.h5 t4.h5 >attrs.out 2>&1 <<'EOF'
import sys, h5py, numpy as np
a, b = h5py.File(sys.argv[1], "r").attrs, h5py.File(sys.argv[2], "r").attrs
diff = sorted(k for k in a if k not in b or not np.array_equal(a[k], b[k]))
assert set(diff) <= {"created", "command_line"} and "command_line" in diff, diff
EOF
check "root attributes differ only in created/command_line" [ $? -eq 0 ]

# a different seed gives a different /summary, and h5diff notices
h5diff t1.h5 seed.h5 /summary /summary >/dev/null 2>&1
check "another seed: /summary differs" [ $? -eq 1 ]
h5diff t1.h5 seed.h5 /events /events >/dev/null 2>&1
check "another seed: /events differs" [ $? -eq 1 ]

# replication r does not depend on the replication count: -r 2 equals the first two of -r 6
"$SIM" run -q -d series --set mm1.customers=5000 --set mm1.observe_step=50.0 -r 2 -t 2 -o r2.h5 mm1.cfg
"$PY" - t1.h5 r2.h5 >reps.out 2>&1 <<'EOF'
import sys, h5py, numpy as np
a, b = h5py.File(sys.argv[1], "r"), h5py.File(sys.argv[2], "r")
assert a["summary"][:2].tobytes() == b["summary"][()].tobytes()
assert np.array_equal(a["series/queue_length"][:2], b["series/queue_length"][()])
EOF
rrc=$?
check "-r 2 equals the first two replications of -r 6" [ "$rrc" -eq 0 ]
[ "$rrc" -eq 0 ] || cat reps.out

finish
