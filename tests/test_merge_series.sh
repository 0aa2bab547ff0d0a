#!/bin/sh
# test_merge_series.sh: `sim merge --series` and `sim info` on merged files (issue 16).
# A small M/M/1 grid sweep with output.detail = "series" is merged with and without
# --series: the merged /series/<name>[k] must equal point k's /series/<name> and the
# shared scales must equal the point files'; without --series there is no /series; a
# point without /series refuses the merge (one line naming it, no output, an existing
# output intact). `sim info` on the merged file prints the experiment, every point with
# its parameter values and the outcomes; on a non-sim HDF5 file it fails with one line
# and exit 1. Runs in a mktemp -d directory.
set -u
. "$(dirname "$0")/lib.sh"   # ROOT, BUILD, SIM; ok, no, check, checks, skip, die, finish
[ -x "$SIM" ] || die "no $SIM (run make all)"
. "$ROOT/tests/pyfind.sh"
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 1

run() { "$@" >out 2>err; rc=$?; }
has() { grep -q -- "$2" "$1"; }
lines() { wc -l < "$1" | tr -d ' '; }

sweep() {   # sweep DETAIL: a 2 x 2 grid of M/M/1 points, 2 replications, 5 monthly-ish observations
  cat <<EOF
model = "mm1";
seed = 20190101L;
replications = 3;
origin = "2019-01-01";
output = { detail = "$1"; sample = 1.0; };
mm1 = { arrival_rate = 0.9; service_rate = 1.0; customers = 2000; observe_step = 100.0; observe_count = 5; };
experiment = {
  design = "grid";
  replications = 2;
  parameters = (
    { key = "mm1.arrival_rate"; values = [0.5, 0.7]; },
    { key = "mm1.service_rate"; values = [1.0, 1.5]; }
  );
};
EOF
}
sweep series > series.cfg
sweep summary > summary.cfg

# ---- merge --series
run "$SIM" sweep series.cfg -o pts -q
check "sweep with series: exit 0" [ "$rc" -eq 0 ]
run "$SIM" merge pts -o merged.h5 --series
check "merge --series: exit 0" [ "$rc" -eq 0 ]
check "merge --series: the file is there" [ -s merged.h5 ]
checks "merge --series: no temporary file left" '[ -z "$(ls | grep partial)" ]'
run "$SIM" merge pts -o plain.h5
check "merge without --series: exit 0" [ "$rc" -eq 0 ]

# same_series MERGED DIR: every data variable of the point files' /series equals the
# merged one at the point's row; the scales and time_bnds equal the first point's;
# the point scale lists the points; the attributes (units, long_name) are kept.
cat > same.py <<'EOF'
import sys, h5py, numpy as np
m = h5py.File(sys.argv[1], "r")
s = m["series"]
bad = []
points = list(s["point"][:])
if points != list(m["points"]["point"]): bad.append("point scale != /points")
for k, p in enumerate(points):
    f = h5py.File("%s/point-%05d.h5" % (sys.argv[2], p), "r")["series"]
    if set(f) | {"point"} != set(s): bad.append("names %s vs %s" % (sorted(f), sorted(s)))
    for name, d in f.items():
        stacked = d.dims[0] and d.dims[0][0].name.endswith("/replication") and not h5py.h5ds.is_scale(d.id)
        got = s[name][k] if stacked else s[name][()]
        if got.shape != d.shape or not np.array_equal(got, d[()]): bad.append("%s at point %d" % (name, p))
        for a in ("units", "long_name", "calendar"):
            if a in d.attrs and (a not in s[name].attrs or s[name].attrs[a] != d.attrs[a]): bad.append("@%s of %s" % (a, name))
    for name, d in f.items():
        if not h5py.h5ds.is_scale(d.id) and d.dims[0] and d.dims[0][0].name.endswith("/replication"):
            if s[name].dims[0][0].name != "/series/point": bad.append("%s: dim 0 is not point" % name)
            if s[name].shape[0] != len(points): bad.append("%s: %d rows" % (name, s[name].shape[0]))
print("\n".join("differs: " + b for b in bad))
sys.exit(1 if bad else 0)
EOF
if [ -n "$PY" ]; then
  run "$PY" same.py merged.h5 pts
  checks "merged /series equals every point file's /series" '[ "$rc" -eq 0 ]'
  [ "$rc" -eq 0 ] || sed 's/^/  /' out | head -n 5
  run "$PY" -c 'import sys, h5py; sys.exit("series" in h5py.File("plain.h5", "r"))'
  check "without --series the merged file has no /series" [ "$rc" -eq 0 ]
  run "$PY" -c 'import sys, h5py; f = h5py.File("merged.h5", "r"); sys.exit(f["series/queue_length"].shape != (4, 2, 5, 1))'
  check "merged /series/queue_length is [point][replication][time][region]" [ "$rc" -eq 0 ]
  if "$PY" -c 'import xarray, h5netcdf' >/dev/null 2>&1; then
    run "$PY" -c 'import sys, xarray as xr
ds = xr.open_dataset("merged.h5", group="series", engine="h5netcdf")
sys.exit(ds["queue_length"].dims != ("point", "replication", "time", "server") or str(ds.time.values[0])[:10] != "2019-01-01")'
    check "xarray opens /series with dims (point, replication, time, server)" [ "$rc" -eq 0 ]
  else
    skip "xarray/h5netcdf not installed"
  fi
else
  skip "no python3 with h5py: merged /series not compared (4 checks)" 4
fi

# ---- merge --series refusals: a point without /series, an existing output intact
run "$SIM" sweep summary.cfg -o nosr -q
cp merged.h5 keep.h5
run "$SIM" merge nosr -o keep.h5 --series
checks "merge --series of points without /series: exit 1, one line naming the point file" \
  '[ "$rc" -eq 1 ] && [ "$(lines err)" -eq 1 ] && has err "nosr/point-00000.h5: no /series"'
check "the refused merge left the existing output intact" cmp -s keep.h5 merged.h5
checks "the refused merge left no temporary file" '[ -z "$(ls | grep partial)" ]'
run "$SIM" merge nosr -o new.h5 --series
check "a refused merge creates no output" [ ! -e new.h5 ]

# points on another calendar (observation step varied): the shared time axis differs
sed 's/key = "mm1.service_rate"; values = \[1.0, 1.5\]/key = "mm1.observe_step"; values = [100.0, 50.0]/' series.cfg > steps.cfg
run "$SIM" sweep steps.cfg -o steps -q
run "$SIM" merge steps -o steps.h5 --series
checks "merge --series of points with different time axes: exit 1, one line naming the point, no output" \
  '[ "$rc" -eq 1 ] && [ "$(lines err)" -eq 1 ] && has err "steps/point-00001.h5: its /series/time differs" && [ ! -e steps.h5 ]'

# ---- sim info on a merged file
run "$SIM" info merged.h5
check "info merged: exit 0" [ "$rc" -eq 0 ]
check "info merged: says it is a merged sweep" has out "^merged sweep:"
check "info merged: the design" has out "^  design  *grid$"
check "info merged: points merged" has out "^  points_merged  *4$"
check "info merged: the varied parameters" has out "^  parameters  *mm1.arrival_rate mm1.service_rate$"
checks "info merged: every point with its parameter values" \
  '[ "$(sed -n "/^points (/,/^outcomes/p" out | sed "1d;\$d" | tr -s " " | tr "\n" ";")" = " 0 0.5 1; 1 0.5 1.5; 2 0.7 1; 3 0.7 1.5;" ]'
check "info merged: a summary outcome with its unit" has out "^  mean_wait  *time$"
check "info merged: the series" has out "^  queue_length  *customers$"
check "info merged: replications" has out "^  replications  *2$"
run "$SIM" info plain.h5
checks "info merged without --series: exit 0, no series section" '[ "$rc" -eq 0 ] && ! has out "^series ("'
run "$SIM" info pts/point-00001.h5
checks "info on a point file: a run output, not a merged sweep" '[ "$rc" -eq 0 ] && ! has out "merged sweep" && has out "^summary (mean"'

# ---- sim info on HDF5 files that sim did not write
if [ -n "$PY" ]; then
  "$PY" -c 'import h5py; h5py.File("other.h5", "w")["x"] = [1, 2]'
  run "$SIM" info other.h5
  checks "info on a non-sim HDF5 file: exit 1, one line naming it" \
    '[ "$rc" -eq 1 ] && [ "$(lines err)" -eq 1 ] && has err "^sim: other.h5: " && [ ! -s out ]'
  # sim's provenance attributes and checksummed metadata, but neither /summary nor /points
  "$PY" - <<'EOF'
import h5py, numpy as np
f = h5py.File("lookalike.h5", "w", libver="latest")
f.create_dataset("x", data=[1.0, 2.0], chunks=(2,), fletcher32=True)
f.attrs["format_version"] = np.int32(2)
for a in ["title", "scenario", "model", "toolkit_version", "git_hash", "command_line", "created", "time_origin"]:
    f.attrs[a] = np.bytes_("x")
f.attrs["seed"] = np.int64(1)
f.attrs["replications"] = np.int32(1)
f.attrs["contents"] = np.array([b"/x"])
EOF
  run "$SIM" info lookalike.h5
  checks "info on a file that is no output of sim: exit 1, one line" \
    '[ "$rc" -eq 1 ] && [ "$(lines err)" -eq 1 ] && has err "lookalike.h5: not an output of sim" && [ ! -s out ]'
else
  skip "no python3 with h5py: info on non-sim files (2 checks)" 2
fi

finish
