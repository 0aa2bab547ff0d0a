#!/bin/sh
# test_sweep.sh: parameter sweeps (`sim sweep`, `sim merge`, the Slurm scripts):
# the points of grid, list and Latin hypercube designs; one process vs task slices
# vs 1 and 2 threads give identical merged files; common random numbers across
# points; a sweep killed with SIGKILL resumes without losing or duplicating a point;
# merge refuses missing points and mixed experiments; bad experiment blocks give
# file:line errors; bad --task values are usage errors. Small M/M/1 sweeps plus one
# tiny labour-market sweep, in a mktemp -d directory.
# With SWEEP_MPI=1 (make test-mpi) it also runs sweeps under mpirun -np 1 and 2.
set -u
. "$(dirname "$0")/lib.sh"   # ROOT, BUILD, SIM; ok, no, check, checks, skip, die, finish
[ -x "$SIM" ] || die "no $SIM (run make all)"
. "$ROOT/tests/pyfind.sh"
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 1

run() { "$@" >out 2>err; rc=$?; }
has() { grep -q -- "$2" "$1"; }
py() { [ -n "$PY" ] && "$PY" "$@"; }
# rows FILE: the point rows of a --dry-run listing, fields separated by one space
rows() { awk 'NR > 2 { $1 = $1; print }' "$1"; }
# npoints DIR: final point files in DIR
npoints() { n=$(ls "$1" 2>/dev/null | grep -c '^point-[0-9]*\.h5$'); echo "$n"; }

# same_merge A B: every dataset and every root attribute except created and
# command_line are identical (also /provenance's per-point created and command_line).
cat > same.py <<'EOF'
import sys, h5py, numpy as np
a, b = h5py.File(sys.argv[1], "r"), h5py.File(sys.argv[2], "r")
names = []
a.visititems(lambda n, o: names.append(n) if isinstance(o, h5py.Dataset) else None)
other = []
b.visititems(lambda n, o: other.append(n) if isinstance(o, h5py.Dataset) else None)
skip = {"created", "command_line"}
bad = sorted(set(names) ^ set(other))
bad += [n for n in names if n in b and n not in {"provenance/" + k for k in skip}
        and not np.array_equal(a[n][()], b[n][()])]
keys = (set(a.attrs) | set(b.attrs)) - skip
bad += ["@" + k for k in keys if k not in a.attrs or k not in b.attrs
        or not np.array_equal(np.asarray(a.attrs[k]), np.asarray(b.attrs[k]))]
print("\n".join("differs: " + n for n in bad))
sys.exit(1 if bad else 0)
EOF
same_merge() { py same.py "$1" "$2"; }

# ---- sweep files (M/M/1, few customers, summary output)
base() {
  cat <<EOF
model = "mm1";
seed = ${SEED:-20190101}L;
replications = 4;
origin = "2019-01-01";
output = { detail = "summary"; sample = 1.0; };
mm1 = {
  arrival_rate = 0.9;
  service_rate = 1.0;
  customers = ${CUSTOMERS:-3000};
  observe_step = 10000.0;
  observe_count = 100;
};
EOF
}
{ base; cat <<'EOF'
experiment = {
  design = "grid";
  replications = 3;
  parameters = (
    { key = "mm1.arrival_rate"; values = [0.5, 0.7]; },
    { key = "mm1.service_rate"; values = [1.0, 1.5, 2.0]; }
  );
};
EOF
} > grid.cfg
{ base; cat <<'EOF'
experiment = {
  design = "list";
  parameters = (
    { key = "mm1.arrival_rate"; values = [0.7, 0.5, 0.7]; },
    { key = "mm1.customers"; values = [2000, 2000, 2000]; }
  );
};
EOF
} > list.cfg
lhs_block='experiment = {
  design = "lhs";
  points = 8;
  replications = 2;
  parameters = (
    { key = "mm1.arrival_rate"; min = 0.1; max = 0.9; },
    { key = "mm1.service_rate"; min = 1.0; max = 3.0; }
  );
};'
{ base; echo "$lhs_block"; } > lhs.cfg
{ SEED=7 base; echo "$lhs_block"; } > lhs7.cfg
{ CUSTOMERS=150000 base; cat <<'EOF'
experiment = {
  design = "grid";
  replications = 4;
  parameters = (
    { key = "mm1.arrival_rate"; values = [0.5, 0.6, 0.7, 0.8]; },
    { key = "mm1.service_rate"; values = [1.0, 1.2]; }
  );
};
EOF
} > slow.cfg

# ---- dry runs: the points of each design
run "$SIM" sweep grid.cfg --dry-run
check "grid --dry-run: exit 0" [ "$rc" -eq 0 ]
check "grid --dry-run: header" has out "^grid.cfg: experiment [0-9a-f]\{16\}, design grid, 6 points x 3 replications"
checks "grid --dry-run: 6 points, first parameter slowest" \
  '[ "$(rows out | tr "\n" ";")" = "0 0.5 1;1 0.5 1.5;2 0.5 2;3 0.7 1;4 0.7 1.5;5 0.7 2;" ]'
check "--dry-run creates nothing" [ ! -e results ]
run "$SIM" sweep grid.cfg --dry-run --task 1 --tasks 4
checks "--dry-run --task 1 --tasks 4 lists points 1 and 5" '[ "$(rows out | cut -d" " -f1 | tr "\n" " ")" = "1 5 " ]'
run "$SIM" sweep list.cfg --dry-run
checks "list --dry-run: the i-th values together" \
  '[ "$rc" -eq 0 ] && [ "$(rows out | tr "\n" ";")" = "0 0.7 2000;1 0.5 2000;2 0.7 2000;" ]'
check "list: replications default to the scenario's" has out "3 points x 4 replications"
run "$SIM" sweep lhs.cfg --dry-run
cp out lhs1.out
checks "lhs --dry-run: exit 0, 8 points" '[ "$rc" -eq 0 ] && [ "$(rows out | wc -l)" -eq 8 ]'
strata() { rows "$1" | awk -v c="$2" -v lo="$3" -v hi="$4" '{ printf "%d\n", ($c - lo) / (hi - lo) * 8 }' | sort -n | tr "\n" " "; }
checks "lhs: one point in each of the 8 strata of arrival_rate" '[ "$(strata lhs1.out 2 0.1 0.9)" = "0 1 2 3 4 5 6 7 " ]'
checks "lhs: one point in each of the 8 strata of service_rate" '[ "$(strata lhs1.out 3 1.0 3.0)" = "0 1 2 3 4 5 6 7 " ]'
run "$SIM" sweep lhs.cfg --dry-run
check "lhs: the same points every time (seeded from the scenario seed)" cmp -s out lhs1.out
run "$SIM" sweep lhs7.cfg --dry-run
checks "lhs: another seed, other points" '[ "$rc" -eq 0 ] && [ "$(rows out)" != "$(rows lhs1.out)" ]'

# ---- bad experiment blocks: file:line, exit 1, nothing created
bad() {   # bad NAME 'experiment block' 'expected message (grep pattern)'
  { base; printf '%s\n' "$2"; } > "$1.cfg"
  run "$SIM" sweep "$1.cfg" -o "d-$1"
  if [ "$rc" -eq 1 ] && has err "^$1.cfg:[0-9][0-9]*: $3" && [ ! -e "d-$1" ]; then ok
  else no "bad experiment $1 (exit $rc)"; fi
}
bad unknown-key 'experiment = { design = "grid"; parameters = ({ key = "mm1.arrival_rat"; values = [0.5]; }); };' \
  'experiment.parameters.\[0\].key: "mm1.arrival_rat" is not a key of the scenario (allowed: an existing key, as for --set; did you mean .mm1.arrival_rate.?)'
bad empty-values 'experiment = { design = "grid"; parameters = ({ key = "mm1.arrival_rate"; values = []; }); };' \
  'experiment.parameters.\[0\].values: empty list of values'
bad min-max 'experiment = { design = "lhs"; points = 4; parameters = ({ key = "mm1.arrival_rate"; min = 0.9; max = 0.9; }); };' \
  'experiment.parameters.\[0\].min: min 0.9 is not below max 0.9'
bad zero-points 'experiment = { design = "lhs"; points = 0; parameters = ({ key = "mm1.arrival_rate"; min = 0.1; max = 0.9; }); };' \
  'experiment.points: 0 is out of range'
bad design 'experiment = { design = "random"; parameters = ({ key = "mm1.arrival_rate"; values = [0.5]; }); };' \
  'experiment.design: unknown value "random" (allowed: grid, list, lhs, morris, sobol, saltelli)'
bad wrong-type 'experiment = { design = "grid"; parameters = ({ key = "mm1.customers"; values = [0.5]; }); };' \
  'experiment.parameters.\[0\].values.\[0\]: a number does not fit mm1.customers'
bad list-lengths 'experiment = { design = "list"; parameters = ({ key = "mm1.arrival_rate"; values = [0.5, 0.6]; }, { key = "mm1.service_rate"; values = [1.0]; }); };' \
  'experiment.parameters.\[1\]: mm1.service_rate has 1 values but mm1.arrival_rate has 2'
bad extra-key 'experiment = { design = "grid"; parameters = ({ key = "mm1.arrival_rate"; values = [0.5]; }); repeats = 3; };' \
  'experiment.repeats: unknown key'
{ base; echo 'experiment = { design = "grid"; parameters = ({ key = "mm1.arrival_rate"; values = [0.5, -1.0]; }); };'; } > range.cfg
run "$SIM" sweep range.cfg -o d-range
checks "a value out of the model's range: exit 1, named with its point, nothing run" \
  '[ "$rc" -eq 1 ] && has err "mm1.arrival_rate: -1 is out of range" && has err "at point 1 (mm1.arrival_rate=-1)" && [ ! -e d-range ]'
L=$(grep -n '^experiment' range.cfg | cut -d: -f1)
check "a point's value out of range is reported at the sweep file's line, not the base's" \
  [ "$(head -n 1 err)" = "range.cfg:$L: mm1.arrival_rate: -1 is out of range (allowed: 1e-09 to 1e+09)" ]
check "the closing line names the point (no separate line after it)" \
  [ "$(tail -n 1 err)" = "sim: range.cfg: 1 problem at point 1 (mm1.arrival_rate=-1); nothing was run" ]
{ base; echo 'experiment = { design = "grid"; parameters = ({ key = "mm1.arrival_rate"; values = [0.4, 0.5, -1.0, 0.6]; }); };'; } > slice-bad.cfg
run "$SIM" sweep slice-bad.cfg --task 1 --tasks 2 -o d-slice
checks "a --task slice is refused for a bad point in another slice (point 2, task 1 of 2): nothing run" \
  '[ "$rc" -eq 1 ] && has err "at point 2 (mm1.arrival_rate=-1)" && [ ! -e d-slice/point-00001.h5 ]'
run "$SIM" validate range.cfg
checks "validate of a sweep file checks every point as sweep does: exit 1, the same line, no 'valid'" \
  '[ "$rc" -eq 1 ] && [ "$(head -n 1 err)" = "range.cfg:$L: mm1.arrival_rate: -1 is out of range (allowed: 1e-09 to 1e+09)" ] && ! has out "valid"'
{ base; echo 'experiment = { design = "lhs"; points = 4; parameters = ({ key = "mm1.arrival_rate"; min = -1.0; max = 0.5; }); };'; } > lhs-range.cfg
{ base; echo 'experiment = { design = "grid"; parameters = ({ key = "mm1.arrival_rate"; values = [-1.0, 0.5, -2.0]; }); };'; } > two-bad.cfg
run "$SIM" sweep two-bad.cfg -o d-two
checks "two points with problems: each closing line, then one that counts them (not read as '1 problem')" \
  '[ "$rc" -eq 1 ] && has err "1 problem at point 2 (mm1.arrival_rate=-2)" && [ "$(tail -n 1 err)" = "sim: two-bad.cfg: 2 points with problems, listed above; nothing was run" ] && [ ! -e d-two ]'
run "$SIM" validate lhs-range.cfg
checks "... also a range of a latin hypercube that reaches out of the model's range" '[ "$rc" -eq 1 ] && has err "mm1.arrival_rate: .* is out of range"'
{ base; echo 'experiment = { design = "lhs"; points = 100; parameters = ({ key = "mm1.arrival_rate"; min = 0.1; max = 0.9; }, { key = "mm1.service_rate"; min = -1.0; max = 2.0; }); };'; } > lhs-big.cfg
run "$SIM" validate lhs-big.cfg
checks "validate of a large design (100 points): the points at each parameter's ends are checked, so an end out of range is found" \
  '[ "$rc" -eq 1 ] && has err "mm1.service_rate: .* is out of range"'
{ base; echo 'experiment = { design = "lhs"; points = 100; parameters = ({ key = "mm1.arrival_rate"; min = 0.1; max = 0.9; }); };'; } > lhs-ok.cfg
run "$SIM" validate lhs-ok.cfg
checks "... and says how many of its points it checked (sim sweep checks all)" \
  '[ "$rc" -eq 0 ] && has out "^lhs-ok.cfg: 2 of the experiment.s 100 points checked" && has out "^lhs-ok.cfg: valid"'
{ base; echo 'experiment = { design = "grid"; set = ["mm1.service_rate=-2.0"];'
  echo '  parameters = ({ key = "mm1.arrival_rate"; values = [0.5]; }); };'; } > fixed.cfg
run "$SIM" sweep fixed.cfg --dry-run
checks "a fixed override (set) out of range: reported at its line of the sweep file" \
  '[ "$rc" -eq 1 ] && has err "^fixed.cfg:$L: mm1.service_rate: -2 is out of range" && ! has err "^fixed.cfg:[0-9]*: .*arrival_rate"'
base > plain.cfg
run "$SIM" sweep plain.cfg
checks "a scenario without an experiment block: exit 1" '[ "$rc" -eq 1 ] && has err "plain.cfg: no experiment block"'
run "$SIM" validate unknown-key.cfg
checks "validate reports experiment problems too" '[ "$rc" -eq 1 ] && has err "^unknown-key.cfg:[0-9]*: experiment.parameters"'
run "$SIM" validate two-bad.cfg plain.cfg unknown-key.cfg
checks "validate of several files: each checked in turn whatever the others gave (a bad sweep does not hide the next file's problem)" \
  '[ "$rc" -eq 1 ] && has err "2 points with problems" && has out "^plain.cfg: valid" && has err "^unknown-key.cfg:[0-9]*: experiment"'
check "no results directory from failed sweeps" [ ! -e results ]

# ---- usage errors
run "$SIM" sweep grid.cfg --task 2 --tasks 2
checks "--task 2 --tasks 2: exit 2" '[ "$rc" -eq 2 ] && has err "outside 0..1"'
run "$SIM" sweep grid.cfg --task -1 --tasks 2
check "--task -1: exit 2" [ "$rc" -eq 2 ]
run "$SIM" sweep grid.cfg --task 0 --tasks 0
check "--tasks 0: exit 2" [ "$rc" -eq 2 ]
run "$SIM" sweep grid.cfg --task 1
check "--task without --tasks: exit 2" [ "$rc" -eq 2 ]
run "$SIM" sweep
check "sweep without a file: exit 2" [ "$rc" -eq 2 ]
run "$SIM" merge somewhere
checks "merge without -o: exit 2" '[ "$rc" -eq 2 ] && has err "\-o OUT.h5 is required"'
echo 'not a directory' > afile.h5
run "$SIM" sweep grid.cfg -o afile.h5
checks "-o naming an existing file: exit 2, one plain line (not a lock file error), the file untouched" \
  '[ "$rc" -eq 2 ] && [ "$(wc -l <err)" -eq 1 ] && has err "^sim: afile.h5: -o must be a directory (allowed: " && ! has err "lock" && [ "$(cat afile.h5)" = "not a directory" ]'
rm -f afile.h5
check "usage errors create nothing" [ ! -e results ]

# ---- run: one process (2 threads) vs two task slices (1 thread each)
run "$SIM" sweep grid.cfg -t 2 -o one
checks "grid sweep: exit 0, 6 point files" '[ "$rc" -eq 0 ] && [ "$(npoints one)" -eq 6 ]'
check "grid sweep: closing line on stdout" has out "6 points run, 0 already done, of 6"
check "grid sweep: progress on stderr" has err "point 5 of 0..5 done"
check "no partial files" [ -z "$(ls one | grep partial)" ]
run "$SIM" sweep grid.cfg -q -t 1 -o sliced --task 0 --tasks 2
checks "slice 0 of 2: points 0, 2, 4" '[ "$rc" -eq 0 ] && [ "$(ls sliced | tr "\n" " ")" = "point-00000.h5 point-00002.h5 point-00004.h5 " ]'
run "$SIM" sweep grid.cfg -q -t 1 -o sliced --task 1 --tasks 2
check "slice 1 of 2: exit 0" [ "$rc" -eq 0 ]
run "$SIM" merge one -o one.h5
checks "merge: exit 0, closing line" '[ "$rc" -eq 0 ] && has out "one.h5: 6 of 6 points x 3 replications"'
run "$SIM" merge -q sliced -o sliced.h5
check "merge of the slices: exit 0" [ "$rc" -eq 0 ]
check "one process (2 threads) and two slices (1 thread) merge to identical data" same_merge one.h5 sliced.h5
checks "the merged file keeps each point's command line (the sweep's, by --task slice) and created time in /provenance" 'py - <<EOF
import h5py
f = h5py.File("sliced.h5", "r")
assert b"merge" in f.attrs["command_line"]
for k in range(6):
    g = h5py.File("sliced/point-%05d.h5" % k, "r")
    assert f["provenance/command_line"][k] == g.attrs["command_line"], (k, f["provenance/command_line"][k])
    assert f["provenance/created"][k] == g.attrs["created"] and len(f["provenance/created"][k]) == 20
    assert b"--task %d" % (k % 2) in f["provenance/command_line"][k]
EOF'
checks "the merged file: /points, /summary [point][replication] with scales, provenance" 'py - <<EOF
import h5py, numpy as np
f = h5py.File("one.h5", "r")
p = f["points"][:]
assert list(p["point"]) == list(range(6)) and list(p["mm1.service_rate"]) == [1, 1.5, 2] * 2, p
s = f["summary/customers_served"]
assert s.shape == (6, 3) and (s[()] == 3000).all()
assert list(f["summary/point"][:]) == list(range(6)) and list(f["summary/replication"][:]) == [0, 1, 2]
assert list(f["summary/mm1.arrival_rate"][:]) == [0.5] * 3 + [0.7] * 3
assert s.attrs["coordinates"] == b"mm1.arrival_rate mm1.service_rate"
for k in ("experiment_id", "toolkit_version", "seed", "replications", "points", "points_merged", "design"):
    assert k in f.attrs, k
assert f.attrs["points"] == 6 and f.attrs["replications"] == 3 and f.attrs["seed"] == 20190101
assert len(f.attrs["missing_points"]) == 0
u = f["summary/utilisation"][()]
assert u[3].mean() > u[0].mean() and u[0].mean() > u[2].mean()   # rho = lambda / mu
EOF'
checks "a point file carries experiment_id, point and its values" 'py - <<EOF
import h5py
f = h5py.File("one/point-00004.h5", "r")
g = h5py.File("one.h5", "r")
assert f.attrs["experiment_id"] == g.attrs["experiment_id"] and f.attrs["point"] == 4 and f.attrs["points"] == 6
assert list(f.attrs["parameter_values"]) == [0.7, 1.5] and list(f.attrs["parameter_names"]) == [b"mm1.arrival_rate", b"mm1.service_rate"]
EOF'
run "$SIM" info one/point-00004.h5
checks "sim info of a point file names its experiment, index and values (key=value)" \
  '[ "$rc" -eq 0 ] && has out "^sweep point:" && has out "^  point  *4$" && has out "^  values  *mm1.arrival_rate=0.7 mm1.service_rate=1.5$"'
run "$SIM" compare one/point-00000.h5 one/point-00003.h5
checks "sim compare of two point files names each one's point and values in the headline" \
  '[ "$rc" -eq 0 ] && has out "^base .*, sweep point 0: mm1.arrival_rate=0.5 mm1.service_rate=1$" && has out "^alt .*, sweep point 3: mm1.arrival_rate=0.7 mm1.service_rate=1$"'

run "$SIM" compare one.h5 one/point-00001.h5
checks "compare with a merged file as BASE: exit 1, one line naming it as a merged sweep file, the point files instead" \
  '[ "$rc" -eq 1 ] && [ "$(wc -l < err)" -eq 1 ] && [ ! -s out ] \
   && has err "^sim: one.h5: a merged sweep file (sim merge); sim compare reads run files: compare the sweep.s point files"'
run "$SIM" compare one/point-00000.h5 one.h5
checks "compare with a merged file as ALT: the same line" '[ "$rc" -eq 1 ] && [ "$(wc -l < err)" -eq 1 ] && has err "^sim: one.h5: a merged sweep file"'
run "$SIM" compare one/point-00000.h5 one/point-00001.h5
checks "compare of two point files of the sweep: exit 0" '[ "$rc" -eq 0 ] && has out "sweep point 1"'

# ---- resume: nothing to do, --force, another experiment in the directory
inodes() { ls -i "$1" | grep -v partial | sort; }
inodes one > inodes1
run "$SIM" sweep grid.cfg -o one
checks "rerun: every point skipped" '[ "$rc" -eq 0 ] && has out "0 points run, 6 already done"'
inodes one > inodes2
check "rerun: the files are untouched" cmp -s inodes1 inodes2
run "$SIM" sweep grid.cfg -q -o one --force
check "--force: exit 0" [ "$rc" -eq 0 ]
inodes one > inodes3
check "--force: every point rewritten" [ -z "$(comm -12 inodes1 inodes3)" ]
run "$SIM" sweep list.cfg -q -o listed
mkdir mixed && cp one/point-00000.h5 one/point-00002.h5 mixed/ && cp listed/point-00001.h5 mixed/
run "$SIM" sweep grid.cfg -o mixed
checks "a directory holding another experiment's point: exit 1, nothing run" \
  '[ "$rc" -eq 1 ] && has err "mixed/point-00001.h5: from another experiment" && [ "$(npoints mixed)" -eq 3 ]'
checks "... and the message says how to keep the finished points (delete it) and what --force does" \
  'has err "delete it to keep this experiment.s finished points, use another -o DIR, or --force to delete it and run every point again"'
mkdir otherbuild && cp one/point-0000[0-5].h5 otherbuild/
py - <<'EOF'
import h5py, numpy as np   # as if an earlier build (another git_hash, so another experiment id) wrote point 3
with h5py.File("otherbuild/point-00003.h5", "r+") as f:
    for k, v in (("git_hash", "0123abc"), ("experiment_id", "00000000000000ff")):
        del f.attrs[k]
        f.attrs.create(k, np.bytes_(v))
EOF
run "$SIM" sweep grid.cfg -q -o otherbuild
checks "a point written by another build: exit 1, both builds named, nothing run (a resumed sweep never mixes two models)" \
  '[ "$rc" -eq 1 ] && has err "otherbuild/point-00003.h5: written by build 0123abc, and this sim is build " && [ "$(npoints otherbuild)" -eq 6 ]'
checks "... and the closing line says to resume with that build, not to delete this experiment's points" \
  'has err "1 point file written by another build; nothing was run (resume with the build named above" && ! has err "delete it to keep"'
mkdir many && for i in 0 1 2 3 4 5 6; do cp listed/point-00001.h5 "many/point-0000$i.h5"; done
run "$SIM" sweep grid.cfg -q -o many
checks "seven other experiment's points: five named, then 'and 2 more such point files'" \
  '[ "$rc" -eq 1 ] && [ "$(grep -c "from another experiment" err)" -eq 5 ] && has err "many: and 2 more such point files"'
cp listed/point-00001.h5 otherbuild/point-00009.h5
run "$SIM" sweep grid.cfg -q -t 1 --force -o otherbuild
checks "--force deletes the other experiments' point files (3, and 9 beyond the 6 points) and reruns: the merge equals the first" \
  '[ "$rc" -eq 0 ] && [ ! -e otherbuild/point-00009.h5 ] && "$SIM" merge -q otherbuild -o ob.h5 && same_merge one.h5 ob.h5'
checks "the merged file names the points' build (points_git_hash), the same as each point's git_hash" 'py - <<EOF
import h5py
f, g = h5py.File("ob.h5", "r"), h5py.File("otherbuild/point-00000.h5", "r")
assert f.attrs["points_git_hash"] == g.attrs["git_hash"] and len(f.attrs["points_git_hash"]) >= 4
EOF'

# ---- common random numbers: the point index does not change the draws
checks "list points 0 and 2 (same values) have identical summaries; point 1 differs" \
  'py "$ROOT/tests/same_data.py" listed/point-00000.h5 listed/point-00002.h5 summary \
   && ! py "$ROOT/tests/same_data.py" listed/point-00000.h5 listed/point-00001.h5 summary >/dev/null'
"$SIM" run -q --set mm1.arrival_rate=0.7 --set mm1.customers=2000 -o direct.h5 list.cfg
check "a point equals sim run --set with the same values" py "$ROOT/tests/same_data.py" listed/point-00002.h5 direct.h5 summary

# ---- merge refuses missing points and mixed experiments; no partial output
mkdir gaps && cp one/point-00000.h5 one/point-00002.h5 one/point-00003.h5 one/point-00005.h5 gaps/
echo precious > keep.h5
run "$SIM" merge gaps -o keep.h5
checks "merge with missing points: exit 1, lists them" '[ "$rc" -eq 1 ] && has err "2 of 6 points missing: 1, 4"'
check "refused merge leaves the existing output untouched" [ "$(cat keep.h5)" = precious ]
check "refused merge: no partial file" [ -z "$(ls | grep partial)" ]
run "$SIM" merge gaps -o gaps.h5 --allow-missing
checks "--allow-missing: exit 0, names the missing points" '[ "$rc" -eq 0 ] && has out "4 of 6 points" && has out "missing points (2): 1, 4"'
checks "--allow-missing: /points has the 4 present points, missing_points lists the others" 'py - <<EOF
import h5py
f = h5py.File("gaps.h5", "r")
assert list(f["points"]["point"]) == [0, 2, 3, 5] and f["summary/customers_served"].shape == (4, 3)
assert list(f.attrs["missing_points"]) == [1, 4] and f.attrs["points_merged"] == 4
EOF'
run "$SIM" merge mixed -o keep.h5 --allow-missing
checks "merge of mixed experiments: exit 1 even with --allow-missing" '[ "$rc" -eq 1 ] && has err "point-00001.h5: from another experiment"'
check "and the existing output is untouched" [ "$(cat keep.h5)" = precious ]
"$SIM" sweep grid.cfg -q -t 1 --set seed=7 --task 0 --tasks 6 -o seed7 >/dev/null 2>&1
mkdir stray0 && cp one/point-0000[0-5].h5 stray0/ && cp seed7/point-00000.h5 stray0/
run "$SIM" merge stray0 -o s0.h5
checks "merge with another seed's file as point 0: exit 1, names point-00000.h5 (not a good file), no output" \
  '[ "$rc" -eq 1 ] && has err "stray0/point-00000.h5: from another experiment (id [0-9a-f]*, but 5 of the 6 point files have" \
   && ! has err "point-0000[1-5]" && [ "$(wc -l < err)" -eq 1 ] && [ ! -e s0.h5 ]'
run "$SIM" sweep grid.cfg -q -o stray0
checks "... the file sim sweep names on that directory too" '[ "$rc" -eq 1 ] && has err "stray0/point-00000.h5: from another experiment"'
mkdir split && cp one/point-00001.h5 seed7/point-00000.h5 split/
run "$SIM" merge split -o sp.h5 --allow-missing
checks "merge of 1 + 1 files of two experiments: exit 1, one line naming both experiments with their files" \
  '[ "$rc" -eq 1 ] && [ "$(wc -l < err)" -eq 1 ] && has err "split: point files of 2 experiments and none holds a majority" \
   && has err "point-00000.h5 (1 file)" && has err "point-00001.h5 (1 file)" && [ ! -e sp.h5 ]'
mkdir version && cp one/point-0000[0-5].h5 version/
py - <<'EOF'
import h5py, numpy as np
with h5py.File("version/point-00003.h5", "r+") as f:
    del f.attrs["toolkit_version"]
    f.attrs.create("toolkit_version", np.bytes_("9.9.9"))
EOF
run "$SIM" merge version -o v.h5
checks "merge of files from another toolkit version: exit 1" '[ "$rc" -eq 1 ] && has err "point-00003.h5: written by toolkit version 9.9.9" && [ ! -e v.h5 ]'
mkdir damaged && cp one/point-0000[0-5].h5 damaged/
py - <<'EOF'
import h5py
with h5py.File("damaged/point-00002.h5", "r+") as f:   # as if a damaged header dropped a link
    del f["summary"]
EOF
run "$SIM" merge damaged -o d.h5
checks "merge of a damaged point file: exit 1, names it, no output" \
  '[ "$rc" -eq 1 ] && has err "point-00002.h5: dataset /summary is missing (damaged file)" && [ ! -e d.h5 ]'
run "$SIM" sweep grid.cfg -q -o damaged
checks "sweep into a directory with a damaged point: exit 1, names it, runs nothing" \
  '[ "$rc" -eq 1 ] && has err "point-00002.h5: dataset /summary is missing (damaged file)" && has err "nothing was run"'
run "$SIM" sweep grid.cfg -q -t 1 --force -o damaged
run "$SIM" merge -q damaged -o d.h5
checks "sweep --force reruns it; the merge then matches" '[ "$rc" -eq 0 ] && same_merge one.h5 d.h5'
mkdir flipped && cp one/point-0000[0-5].h5 flipped/
py - <<'EOF'
import h5py
with h5py.File("flipped/point-00004.h5", "r") as f:   # one byte of /summary's data flipped on disk
    d = f["summary"]
    c = d.id.get_chunk_info(0) if d.chunks else None
    at = c.byte_offset + c.size // 2 if c else d.id.get_offset() + 8
with open("flipped/point-00004.h5", "r+b") as g:
    g.seek(at); b = g.read(1); g.seek(at); g.write(bytes([b[0] ^ 0xff]))
EOF
run "$SIM" sweep grid.cfg -q -o flipped
checks "resume with a point whose /summary fails its checksum: not counted done; exit 1, names it, runs nothing" \
  '[ "$rc" -eq 1 ] && has err "point-00004.h5: dataset /summary fails its checksum (damaged file)" && has err "nothing was run"'
run "$SIM" info one
checks "sim info on a sweep directory: exit 1, says it is a directory and how to read its points (merge)" \
  '[ "$rc" -eq 1 ] && has err "one: a directory (sim info reads one .h5 file; a sweep.s points: sim merge one -o FILE.h5"'
mkdir empty
run "$SIM" merge empty -o e.h5
checks "merge of an empty directory: exit 1" '[ "$rc" -eq 1 ] && has err "no point files" && [ ! -e e.h5 ]'

# ---- the root provenance of a sweep over the seed or the population key: per point, not point 0's
{ base; cat <<'EOF'
experiment = {
  design = "list";
  replications = 2;
  parameters = ( { key = "seed"; values = [1L, 2L]; }, { key = "mm1.customers"; values = [2000, 2500]; } );
};
EOF
} > seeds.cfg
"$SIM" sweep -q -t 1 seeds.cfg -o seeds >/dev/null 2>&1
run "$SIM" merge -q seeds -o seeds.h5
checks "merge of a sweep over seed and population: the root says they vary, /provenance has each point's" '[ "$rc" -eq 0 ] && py - <<EOF
import h5py
f = h5py.File("seeds.h5", "r")
assert f.attrs["seed"] == b"varies by point: /provenance/seed", f.attrs["seed"]
assert f.attrs["population"] == b"varies by point: /provenance/population", f.attrs["population"]
assert f.attrs["population_key"] == b"mm1.customers"
p = f["provenance"]
assert list(p["point"]) == [0, 1] and list(p["seed"]) == [1, 2] and list(p["population"]) == [2000, 2500]
assert p["seed"].dtype == "int64"
for k in range(2):
    g = h5py.File("seeds/point-%05d.h5" % k, "r")
    assert p["seed"][k] == g.attrs["seed"] and p["population"][k] == g.attrs["population"]
EOF'
run "$SIM" info seeds.h5
checks "sim info of that merged file: exit 0, says the seed varies" '[ "$rc" -eq 0 ] && has out "seed  *varies by point: /provenance/seed"'
run "$SIM" sensitivity seeds.h5 -o seeds-sens.h5
checks "sim sensitivity of that merged file: exit 1, says its points do not share one seed, no output" \
  '[ "$rc" -eq 1 ] && has err "seeds.h5: no integer seed attribute: its points do not share one seed" && [ ! -e seeds-sens.h5 ]'
checks "a sweep with one seed keeps the integer root seed and population; /provenance repeats them per point" 'py - <<EOF
import h5py
f = h5py.File("one.h5", "r")
assert f.attrs["seed"] == 20190101 and f.attrs["seed"].dtype == "int64" and f.attrs["population"] == 3000
assert list(f["provenance/seed"]) == [20190101] * 6 and list(f["provenance/population"]) == [3000] * 6
assert list(f["provenance/point"]) == list(f["points"]["point"])
EOF'

# ---- kill -9 during a sweep, resume, compare with an uninterrupted run
"$SIM" sweep slow.cfg -q -t 1 -o ref && "$SIM" merge -q ref -o ref.h5
check "uninterrupted slow sweep: 8 points" [ "$(npoints ref)" -eq 8 ]
"$SIM" sweep slow.cfg -q -t 1 -o killed >/dev/null 2>&1 &
pid=$!
i=0
while [ $i -lt 200 ] && [ "$(npoints killed)" -lt 2 ]; do sleep 0.02; i=$((i + 1)); done
kill -9 "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
before=$(npoints killed)
checks "SIGKILL after some points ($before of 8 done)" '[ "$before" -ge 2 ] && [ "$before" -lt 8 ]'
inodes killed > kinodes1
run "$SIM" sweep slow.cfg -t 1 -o killed
checks "resume: runs only the missing points" '[ "$rc" -eq 0 ] && has out "$((8 - before)) points run, $before already done"'
check "resume: every point present" [ "$(npoints killed)" -eq 8 ]
inodes killed > kinodes2
check "resume: the points done before the kill were kept" [ "$(comm -12 kinodes1 kinodes2 | wc -l)" -eq "$before" ]
check "resume: leftovers of the killed point are gone" [ -z "$(ls killed | grep partial)" ]
run "$SIM" merge killed -o killed.h5
checks "resumed merge: each point exactly once" 'py -c "import h5py; p = h5py.File(\"killed.h5\")[\"points\"][\"point\"]; assert list(p) == list(range(8)), p"'
check "resumed sweep merges to the same data as the uninterrupted one" same_merge ref.h5 killed.h5

# ---- SIGINT during a sweep: a message, the finished points kept, no partial file
"$SIM" sweep slow.cfg -q -t 1 -o interrupted >/dev/null 2>interrupted.err &
pid=$!
i=0
while [ $i -lt 200 ] && [ "$(npoints interrupted)" -lt 2 ]; do sleep 0.02; i=$((i + 1)); done
kill -INT "$pid" 2>/dev/null
wait "$pid"; rc=$?
before=$(npoints interrupted)
checks "SIGINT during a sweep: killed by the signal (status $rc), says so" \
  '[ "$rc" -eq 130 ] && grep -q "interrupted" interrupted.err'
checks "SIGINT: the $before finished points are kept, no partial file" \
  '[ "$before" -ge 2 ] && [ -z "$(ls interrupted | grep partial)" ]'
run "$SIM" sweep slow.cfg -q -t 1 -o interrupted
run "$SIM" merge -q interrupted -o interrupted.h5
checks "the interrupted sweep resumes and merges to the uninterrupted result" '[ "$rc" -eq 0 ] && same_merge ref.h5 interrupted.h5'

# ---- the Slurm scripts, run outside Slurm with the environment an array task gets
for i in 0 1 2; do
  SIM="$SIM" SLURM_ARRAY_TASK_ID=$i SLURM_ARRAY_TASK_MIN=0 SLURM_ARRAY_TASK_COUNT=3 SLURM_CPUS_PER_TASK=1 \
    sh "$ROOT/scripts/slurm/sweep.sbatch" grid.cfg slurm >/dev/null 2>err || no "sweep.sbatch task $i"
done
SIM="$SIM" sh "$ROOT/scripts/slurm/merge.sbatch" slurm slurm.h5 >/dev/null 2>err
checks "sweep.sbatch (3 array tasks) + merge.sbatch give the one-process result" '[ -s slurm.h5 ] && same_merge one.h5 slurm.h5'
SIM="$SIM" SLURM_ARRAY_TASK_ID=3 SLURM_ARRAY_TASK_MIN=1 SLURM_ARRAY_TASK_COUNT=3 sh "$ROOT/scripts/slurm/sweep.sbatch" grid.cfg slurm >/dev/null 2>err
check "sweep.sbatch with --array=1-3: task 3 is the third slice (exit 0)" [ $? -eq 0 ]
rm -rf slurm-step
for i in 1 3; do   # --array=1-3:2: two tasks, indices 1 and 3
  SIM="$SIM" SLURM_ARRAY_TASK_ID=$i SLURM_ARRAY_TASK_MIN=1 SLURM_ARRAY_TASK_MAX=3 SLURM_ARRAY_TASK_STEP=2 \
    SLURM_ARRAY_TASK_COUNT=2 sh "$ROOT/scripts/slurm/sweep.sbatch" grid.cfg slurm-step >/dev/null 2>err || no "sweep.sbatch step task $i"
done
run "$SIM" merge -q slurm-step -o slurm-step.h5
checks "sweep.sbatch with --array=1-3:2: the two tasks run every point (merge gives the one-process result)" \
  '[ "$rc" -eq 0 ] && same_merge one.h5 slurm-step.h5'
rm -rf slurm-list
for i in 0 2; do   # --array=0,2: Slurm's step is 1, so the indices are not a stepped range
  SIM="$SIM" SLURM_ARRAY_TASK_ID=$i SLURM_ARRAY_TASK_MIN=0 SLURM_ARRAY_TASK_MAX=2 SLURM_ARRAY_TASK_STEP=1 \
    SLURM_ARRAY_TASK_COUNT=2 sh "$ROOT/scripts/slurm/sweep.sbatch" grid.cfg slurm-list >/dev/null 2>"err$i"
  echo $? >"rc$i"
done
checks "sweep.sbatch with a list (--array=0,2): every task refuses (exit 2) before running, naming the fix" \
  '[ "$(cat rc0)" -eq 2 ] && [ "$(cat rc2)" -eq 2 ] && [ ! -e slurm-list ] && grep -q "array=A-B:S" err0'
SIM=echo SLURM_ARRAY_TASK_ID=0 SLURM_ARRAY_TASK_MIN=0 SLURM_ARRAY_TASK_MAX=7 SLURM_ARRAY_TASK_STEP=3 SLURM_ARRAY_TASK_COUNT=3 \
  sh "$ROOT/scripts/slurm/sweep.sbatch" grid.cfg slurm-list >/dev/null 2>&1
check "sweep.sbatch with a list whose gaps a step of 3 seems to fit (--array=0,3,7): refused too" [ $? -eq 2 ]
out=$(SIM=echo SLURM_ARRAY_TASK_ID=2 SLURM_ARRAY_TASK_MIN=2 SLURM_ARRAY_TASK_MAX=2 SLURM_ARRAY_TASK_STEP=0 SLURM_ARRAY_TASK_COUNT=1 \
  sh "$ROOT/scripts/slurm/sweep.sbatch" grid.cfg slurm)
check "sweep.sbatch with one resubmitted index (--array=2, whatever its step): task 0 of 1 ($out)" \
  [ "$out" = "sweep grid.cfg --task 0 --tasks 1 -t 1 -o slurm" ]
out=$(SIM=echo SLURM_ARRAY_TASK_ID=0 SLURM_ARRAY_TASK_COUNT=2 sh "$ROOT/scripts/slurm/sweep.sbatch" grid.cfg slurm --scale 0.05 -r 3)
check "sweep.sbatch passes the sim sweep options after DIR on ($out)" \
  [ "$out" = "sweep grid.cfg --task 0 --tasks 2 -t 1 -o slurm --scale 0.05 -r 3" ]

# ---- sim run ignores the experiment block
run "$SIM" run -q -o plain.h5 grid.cfg
check "sim run of a sweep file runs the base scenario" [ "$rc" -eq 0 ]
run "$SIM" validate grid.cfg
check "sim validate of a sweep file: valid" [ "$rc" -eq 0 ]

# ---- the labour-market model: the example scenario and a tiny sweep
run "$SIM" sweep "$ROOT/scenarios/sweep-aftercare.cfg" --dry-run
checks "scenarios/sweep-aftercare.cfg: 4 points" '[ "$rc" -eq 0 ] && [ "$(rows out | cut -d" " -f2 | tr "\n" " ")" = "0 5 10 20 " ]'
run "$SIM" sweep "$ROOT/scenarios/sweep-aftercare.cfg" --scale 0.01 -r 1 -t 1 -q -o aftercare
run "$SIM" merge -q aftercare -o aftercare.h5
checks "a merged sweep keeps its points' population (--scale 0.01: not a full sweep)" 'py - <<EOF
import h5py
f, g = h5py.File("aftercare.h5", "r"), h5py.File("aftercare/point-00000.h5", "r")
assert f.attrs["population_key"] == g.attrs["population_key"] == b"labour_market.scale", dict(f.attrs)
assert f.attrs["population"] == g.attrs["population"] == 0.01
EOF'
cat > lm.cfg <<EOF
@include "$ROOT/scenarios/base.cfg"
experiment = {
  design = "grid";
  replications = 2;
  parameters = (
    { key = "labour_market.scale"; values = [0.02]; },
    { key = "labour_market.aftercare.places_per_1000"; values = [0.0, 20.0]; }
  );
};
EOF
run "$SIM" sweep lm.cfg -q -o lm
run2=$rc
run "$SIM" merge -q lm -o lm.h5
checks "labour-market sweep: no aftercare costs nothing, 20 places cost something" '[ "$run2" -eq 0 ] && [ "$rc" -eq 0 ] && py - <<EOF
import h5py
c = h5py.File("lm.h5", "r")["summary/cost_aftercare"][()]
assert c.shape == (2, 2) and (c[0] == 0).all() and (c[1] > 0).all(), c
EOF'

# ---- MPI (make test-mpi): 1 and 2 ranks give the one-process result
if [ "${SWEEP_MPI:-0}" = 1 ]; then
  export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
  for np in 1 2; do
    run mpirun -np $np --oversubscribe --bind-to none "$SIM" sweep grid.cfg -t 1 -o mpi$np
    checks "mpirun -np $np: exit 0, 6 points" '[ "$rc" -eq 0 ] && [ "$(npoints mpi$np)" -eq 6 ]'
    "$SIM" merge -q mpi$np -o mpi$np.h5
    check "mpirun -np $np merges to the one-process data" same_merge one.h5 mpi$np.h5
  done
  check "-np 2: both ranks ran points" sh -c 'grep -q "on rank 0" err && grep -q "on rank 1" err'
  run mpirun -np 2 --oversubscribe --bind-to none "$SIM" sweep grid.cfg -o mpi2
  checks "mpirun rerun: every point skipped" '[ "$rc" -eq 0 ] && has out "0 points run, 6 already done"'
  run mpirun -np 2 --oversubscribe --bind-to none "$SIM" sweep unknown-key.cfg -o mpibad
  checks "mpirun with a bad experiment: exit 1, one message" '[ "$rc" -ne 0 ] && [ "$(grep -c "not a key of the scenario" err)" -eq 1 ]'
fi

# ---- a point that cannot be written (a file-size limit, as a full disk): the message names the point's file
sed 's/detail = "summary"/detail = "events"/' grid.cfg > events.cfg
run sh -c "ulimit -f 20; exec \"$SIM\" sweep events.cfg -q -t 1 -o full"
checks "a point that cannot be written: exit 1" '[ "$rc" -eq 1 ]'
checks "a point that cannot be written: named by its final file" 'has err "point 0 failed, full/point-00000.h5 not written (mm1.arrival_rate=0.5"'
checks "a point that cannot be written: no temporary file left" '[ -z "$(ls full | grep partial)" ] && [ "$(npoints full)" -eq 0 ]'

finish
