#!/bin/sh
# test_sensitivity.sh: sensitivity analysis end to end (issue 14): Morris and Sobol
# sweeps over a declared uncertainty list (M/M/1, a few thousand customers), merged and
# analysed by `sim sensitivity`, of levels and of a contrast ALT - BASE; the same
# indices for 1 and 2 threads; a tiny labour-market contrast (incidental vs structural
# funding); bad input: a range outside the parameter's allowed range, invalid
# distribution arguments, too few points, an unknown outcome, files that do not pair.
set -u
. "$(dirname "$0")/lib.sh"   # ROOT, BUILD, SIM; ok, no, check, checks, skip, die, finish
[ -x "$SIM" ] || die "no $SIM (run make all)"
. "$ROOT/tests/pyfind.sh"
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 1

run() { "$@" >out 2>err; rc=$?; }
has() { grep -q -- "$2" "$1"; }
py() { "$PY" "$@"; }
pyskip() { skip "$1 (no python3 with h5py)"; }

# scen NAME 'DESIGN KEYS' [SERVICE_RATE]: an M/M/1 sweep file over three uncertain settings.
scen() {
  cat > "$1.cfg" <<EOF
model = "mm1";
seed = 20190101L;
replications = 3;
origin = "2019-01-01";
output = { detail = "summary"; sample = 1.0; };
mm1 = { arrival_rate = 0.7; service_rate = ${3:-1.0}; customers = 1000000; observe_step = 10.0; observe_count = 10; };
uncertainty = (
  { key = "mm1.arrival_rate"; dist = "uniform"; min = 0.4; max = 0.8; source = "assumption: test"; },
  { key = "mm1.service_rate"; dist = "triangular"; min = 1.0; mode = 1.2; max = 2.0; source = "assumption: test"; },
  { key = "mm1.observe_step"; dist = "loguniform"; min = 5.0; max = 20.0; source = "assumption: test (no effect on the waits)"; }
);
experiment = { $2 set = ["mm1.customers=3000"]; };
EOF
}
# sweep NAME [THREADS]: sweep NAME.cfg into NAME[THREADS]/ and merge into NAME[THREADS].h5
sweep() { "$SIM" sweep "$1.cfg" -q -t "${2:-2}" -o "$1${2:-}" 2>err && "$SIM" merge "$1${2:-}" -q -o "$1${2:-}.h5" 2>>err; }

# ---- Morris: sweep, merge, indices, chart
scen mo 'design = "morris"; trajectories = 12;'
checks "morris sweep of 3 parameters: 12 x 4 points" 'sweep mo && [ "$(ls mo | grep -c "^point-")" -eq 48 ]'
run "$SIM" sensitivity mo.h5 --outcome mean_wait --outcome utilisation -o mo-s.h5
checks "sim sensitivity on a morris sweep: exit 0, a mu* table" \
  '[ "$rc" -eq 0 ] && has out "mu\*" && has out "95% interval of mu\*" && has out "^output: mo-s.h5"'
checks "no warning with 12 trajectories" '! has err warning'
checks "the mu* table: no exponent notation (sim_number_sig; its cases in test_numtext), observe_step exactly 0" \
  '! grep -Eq "^  mm1\.[a-z_]+ .*[0-9]e[+-]?[0-9]" out && grep -Eq "^  mm1\.observe_step +0  \[ +0, +0\]" out' \
  || grep "^  mm1" out | sed 's/^/  /'
"$SIM" compare mo-s.h5 mo-s.h5 >cmp.out 2>cmp.err; crc=$?
checks "sim compare on a sensitivity file: refused in one line that names it and what reads it" \
  '[ "$crc" -eq 1 ] && [ "$(wc -l <cmp.err)" -eq 1 ] && has cmp.err "mo-s.h5: a sensitivity file (sim sensitivity), not a run; sim compare reads run files (sim run -o): read its indices with sim info" && [ ! -s cmp.out ]'
"$SIM" sensitivity mo.h5 --outcome mean_wait -o nodir/mo-s.h5 >nd.out 2>nd.err; ndrc=$?
checks "sim sensitivity -o in a missing directory: one line naming what is allowed, no table, nothing written" \
  '[ "$ndrc" -ne 0 ] && [ "$(wc -l <nd.err)" -eq 1 ] && has nd.err "nodir/mo-s.h5: cannot create output file: .*(allowed: " && ! has nd.out "mu" && [ ! -e nodir ]'
"$SIM" info mo-s.h5 >info.out 2>info.err; irc=$?
checks "sim info describes the output: the root provenance of every output (format_version, git_hash, created, the sweep's seed) and its kind" \
  '[ "$irc" -eq 0 ] && [ ! -s info.err ] && grep -q "^  format_version   2$" info.out && grep -q "^  git_hash  " info.out && grep -q "^  created  " info.out && grep -q "^  seed             20190101$" info.out && grep -q "^  command_line  .*sensitivity mo.h5" info.out && grep -q "^sensitivity indices (sim sensitivity):$" info.out && grep -q "^  design           morris$" info.out && grep -q "^  /sensitivity/mu_star " info.out'
checks "a noise column in each table, explained under it" \
  '[ "$(grep -c "^  parameter .* sigma  *noise$" out)" -eq 2 ] && [ "$(grep -c "^  noise: the part of mu\* that chance alone gives" out)" -eq 2 ]'
checks "observe_step (no effect, common random numbers): mu* 0 and noise 0 for mean_wait" \
  'awk "/^mean_wait/{f=1;next} /^\$/{f=0} f && /mm1.observe_step/{ok = (\$2 == 0 && \$NF == 0)} END{exit !ok}" out'
checks "observe_step (no effect on the waits) ranks last for mean_wait, with mu* = 0" \
  'awk "/^mean_wait/{f=1;next} /^\$/{f=0} f && /mm1\\./{last=\$1; v=\$2} END{exit !(last==\"mm1.observe_step\" && v==0)}" out'
if [ -n "$PY" ]; then
  checks "/sensitivity: mu, mu_star, sigma, intervals [outcome][parameter], outcome names" 'py - <<PYEOF
import h5py, numpy as np
g = h5py.File("mo-s.h5", "r")["sensitivity"]
assert [x.decode() if isinstance(x, bytes) else x for x in g.attrs["outcomes"]] == ["mean_wait", "utilisation"], g.attrs["outcomes"]
for k in ("mu", "mu_star", "sigma", "mu_star_low", "mu_star_high"): assert g[k].shape == (2, 3), k
assert g["outcome_values"].shape == (2, 48)
assert g["noise"].shape == (2, 3) and np.isfinite(g["noise"][()]).all() and (g["noise"][()] >= 0).all()
m = g["mu_star"][()]; lo = g["mu_star_low"][()]; hi = g["mu_star_high"][()]
assert (lo <= m + 1e-12).all() and (m <= hi + 1e-12).all()
assert m[0, 1] > 0 and m[0, 2] == 0
PYEOF'
  checks "the mu*-sigma chart" 'PYTHONPATH="$ROOT" py -m analysis.sensitivity mo-s.h5 -o mo.png >/dev/null 2>err && [ -s mo.png ]'
  checks "the mu*-sigma chart: labels of nearby points are moved apart, none overlaps" 'PYTHONPATH="$ROOT" py - <<PYEOF
import numpy as np
import matplotlib; matplotlib.use("Agg")
import matplotlib.pyplot as plt
from analysis import sensitivity as S
n = 5
d = {"design": "morris", "outcomes": ["durable_placements"], "base_points": 6,
     "parameters": ["x.instruments.workfit.improve", "x.profiling.maturity_reach", "x.a.b", "x.c.d", "x.e.f"],
     "mu_star": np.array([[110.0, 112.0, 111.0, 40.0, 150.0]]), "sigma": np.array([[96.0, 97.0, 95.5, 20.0, 120.0]]),
     "mu_star_low": np.array([[90.0] * n]), "mu_star_high": np.array([[130.0] * n])}
fig, ax = plt.subplots()
S.morris_panel(ax, d, 0, 8)
fig.tight_layout()
r = fig.canvas.get_renderer()
def overlaps():
    bs = [a.get_window_extent(r) for a in ax.labels]
    return sum(b.overlaps(c) for i, b in enumerate(bs) for c in bs[:i])
assert overlaps() > 0
assert S.spread_labels(ax) == 0 and overlaps() == 0
PYEOF'
  checks "the mu*-sigma chart: every blue point (mu* at least twice its noise) is named before any grey one" 'PYTHONPATH="$ROOT" py - <<PYEOF
import numpy as np
import matplotlib; matplotlib.use("Agg")
import matplotlib.colors as mc
import matplotlib.pyplot as plt
from analysis import sensitivity as S
# 3 small effects told apart from chance, 9 larger ones that may be chance; 8 names to give
ms = np.array([[30.0, 120.0, 25.0, 110.0, 100.0, 95.0, 90.0, 85.0, 80.0, 75.0, 20.0, 70.0]])
noise = np.array([[5.0, 80.0, 4.0, 70.0, 60.0, 55.0, 50.0, 45.0, 42.0, 40.0, 3.0, 38.0]])
n = ms.shape[1]
d = {"design": "morris", "outcomes": ["durable_placements"], "base_points": 6,
     "parameters": ["x.group.p%d" % j for j in range(n)], "mu_star": ms, "sigma": 0.8 * ms, "noise": noise,
     "mu_star_low": 0.5 * ms, "mu_star_high": 1.5 * ms}
fig, ax = plt.subplots()
S.morris_panel(ax, d, 0, 8)
fig.tight_layout()
S.spread_labels(ax)
blue = [tuple(xy) for c in ax.containers if mc.same_color(c.lines[0].get_color(), "tab:blue") for xy in c.lines[0].get_xydata()]
named = {(float(a.xy[0]), float(a.xy[1])): a.get_text() for a in ax.labels}
assert len(blue) == 3, blue
assert all(named.get((float(x), float(y))) for x, y in blue), (blue, named)
assert [a.get_text() for a in ax.labels][:3] == ["group.p0", "group.p2", "group.p10"], named   # placed first
assert set(named.values()) == {"group.p%d" % j for j in (0, 2, 10, 1, 3, 4, 5, 6)}, named   # then the largest grey ones
PYEOF'
else pyskip "/sensitivity contents"; pyskip "mu*-sigma chart"; pyskip "chart labels"; pyskip "blue labels first"; fi

# ---- one replication per point: no noise estimate, said as n/a, and the chart greys nothing out
scen mor1 'design = "morris"; trajectories = 12; replications = 1;'
checks "morris sweep with 1 replication per point" 'sweep mor1'
run "$SIM" sensitivity mor1.h5 --outcome mean_wait -o mor1-s.h5
checks "1 replication: the noise column says n/a, never nan" \
  '[ "$rc" -eq 0 ] && has out "mm1.arrival_rate .* n/a$" && ! grep -qi " nan" out'
if [ -n "$PY" ]; then
  checks "1 replication: the mu*-sigma chart is still drawn" \
    'PYTHONPATH="$ROOT" py -m analysis.sensitivity mor1-s.h5 -o mor1.png >/dev/null 2>err && [ -s mor1.png ]'
else pyskip "1-replication chart"; fi

# ---- same seed, same bits: 1 thread and 2 threads
checks "morris sweep with 1 thread" 'sweep mo 1'
run "$SIM" sensitivity mo1.h5 --outcome mean_wait --outcome utilisation -o mo1-s.h5
if [ -n "$PY" ]; then
  checks "identical indices from the 1-thread and the 2-thread sweep" '[ "$rc" -eq 0 ] && py - <<PYEOF
import h5py, numpy as np
a, b = h5py.File("mo-s.h5", "r")["sensitivity"], h5py.File("mo1-s.h5", "r")["sensitivity"]
for k in a: assert np.array_equal(a[k][()], b[k][()], equal_nan=True), k
PYEOF'
  "$SIM" sensitivity mo.h5 --outcome utilisation -q -o mo-u.h5 2>err
  checks "an outcome's intervals do not depend on the other outcomes asked for" 'py - <<PYEOF
import h5py, numpy as np
a, b = h5py.File("mo-s.h5", "r")["sensitivity"], h5py.File("mo-u.h5", "r")["sensitivity"]
for k in ("mu_star_low", "mu_star_high"): assert np.array_equal(a[k][1], b[k][0]), k
PYEOF'
else pyskip "1 vs 2 threads"; pyskip "intervals per outcome"; fi

# ---- Sobol (Saltelli): few points give a warning and intervals, never bare numbers
scen so 'design = "saltelli"; points = 16;'
checks "sobol sweep: 16 x (3 + 2) points" 'sweep so && [ "$(ls so | grep -c "^point-")" -eq 80 ]'
run "$SIM" sensitivity so.h5 --outcome mean_wait
checks "sobol indices with intervals and a few-points warning" \
  '[ "$rc" -eq 0 ] && has out "S1 *95% interval *ST" && has out "mm1.arrival_rate .*\[.*\].*\[.*\]" && has out "^warning: only 16 base points" && has err "warning: only 16 base points" && [ -s so-sensitivity.h5 ]'
checks "the Sobol table has a noise column, explained under it" 'has out "S1 .*ST .* noise$" && has out "^  noise: the part of ST that chance alone gives"'
if [ -n "$PY" ]; then
  checks "the Sobol bar chart" 'PYTHONPATH="$ROOT" py -m analysis.sensitivity so-sensitivity.h5 -o so.png >/dev/null 2>err && [ -s so.png ]'
else pyskip "Sobol bar chart"; fi

# ---- contrast: the same experiment over another scenario, ALT - BASE
scen moalt 'design = "morris"; trajectories = 12;' 1.5
checks "the ALT sweep" 'sweep moalt'
run "$SIM" sensitivity mo.h5 --alt moalt.h5 --outcome mean_wait -o c.h5
checks "contrast indices: exit 0, ALT - BASE in the title" '[ "$rc" -eq 0 ] && has out "^mean_wait, ALT - BASE"'
if [ -n "$PY" ]; then
  checks "the contrast's values are the mean paired differences ALT - BASE" 'py - <<PYEOF
import h5py, numpy as np
b, a = h5py.File("mo.h5", "r"), h5py.File("moalt.h5", "r")
want = (a["summary/mean_wait"][()] - b["summary/mean_wait"][()]).mean(axis=1)
got = h5py.File("c.h5", "r")["sensitivity/outcome_values"][0]
assert np.allclose(got, want, rtol=1e-12, atol=0), (got[:3], want[:3])
PYEOF'
else pyskip "contrast values"; fi
if [ -n "$PY" ]; then
  # ALT swept at another --scale (its points' /provenance/population differ): other people, nothing pairs
  py - <<'PYEOF' 2>err
import shutil, h5py
shutil.copy("moalt.h5", "mohalf.h5")
with h5py.File("mohalf.h5", "r+") as f:
    p = f["provenance/population"]
    p[...] = p[()] * 0.5
PYEOF
  run "$SIM" sensitivity mo.h5 --alt mohalf.h5 --outcome mean_wait -o half.h5
  checks "a contrast of sweeps of different populations is refused" \
    '[ "$rc" -eq 1 ] && has err "mohalf.h5: point 0 simulated population 1500, in mo.h5 3000; paired differences need the same population" && [ ! -e half.h5 ]'
else pyskip "contrast of populations"; fi
scen mofew 'design = "morris"; trajectories = 4;'
sweep mofew
run "$SIM" sensitivity mo.h5 --alt mofew.h5
checks "a contrast of two different experiments is refused" \
  '[ "$rc" -eq 1 ] && has err "mofew.h5: not the same experiment as mo.h5" && [ ! -e mo-sensitivity.h5 ]'
run "$SIM" sensitivity mofew.h5 --outcome mean_wait
checks "4 trajectories: a warning, with intervals" '[ "$rc" -eq 0 ] && has out "^warning: only 4 trajectories" && has out "mm1.arrival_rate .*\[.*\]"'

# ---- bad input to sim sensitivity
run "$SIM" sensitivity mo.h5 --outcome no_such_thing
checks "unknown outcome: exit 1, the allowed names, no file" \
  '[ "$rc" -eq 1 ] && has err "mo.h5: --outcome no_such_thing: no such outcome (allowed: .*mean_wait" && [ ! -e mo-sensitivity.h5 ]'
scen gr 'design = "grid"; parameters = ( { key = "mm1.arrival_rate"; values = [0.5, 0.6]; } );'
sweep gr
run "$SIM" sensitivity gr.h5
checks "a grid sweep is refused" '[ "$rc" -eq 1 ] && has err "gr.h5: a sweep of design \"grid\" (allowed: a merged sweep of design morris or sobol)"'
rm mo/point-00003.h5 && "$SIM" merge mo -q --allow-missing -o part.h5 2>/dev/null
run "$SIM" sensitivity part.h5
checks "an incomplete sweep is refused" '[ "$rc" -eq 1 ] && has err "part.h5: 47 of the design.s 48 points"'
# a merged file whose seed or time_origin is missing or unreadable (the output repeats them)
for c in "seed|del|no integer seed" "seed|str|no integer seed" "time_origin|del|no time_origin attribute" \
         "time_origin|str|no time_origin attribute of the form YYYY-MM-DD"; do
  a=${c%%|*}; rest=${c#*|}; how=${rest%%|*}; msg=${rest#*|}
  cp mo.h5 bad-$a-$how.h5 && h5py_err=$("$PY" -c 'import sys, h5py
with h5py.File(sys.argv[1], "r+") as f:
    del f.attrs[sys.argv[2]]
    if sys.argv[3] == "str": f.attrs[sys.argv[2]] = "garbage"' bad-$a-$how.h5 $a $how 2>&1)
  run "$SIM" sensitivity bad-$a-$how.h5 -o bad-out.h5
  what="missing"; [ "$how" = str ] && what="a string"
  checks "a merged file whose $a is $what: refused as input, nothing written" \
    '[ -z "$h5py_err" ] && [ "$rc" -eq 1 ] && has err "bad-$a-$how.h5: $msg" && [ ! -e bad-out.h5 ]'
done
run "$SIM" sensitivity nothing.h5
checks "a missing file: exit 1" '[ "$rc" -eq 1 ] && has err "nothing.h5: not a readable HDF5 file"'
run "$SIM" sensitivity mo.h5 --bootstrap x
checks "a bad option value is a usage error" '[ "$rc" -eq 2 ]'

# ---- bad uncertainty lists and designs: file:line, nothing run
# bad NAME 'DESIGN KEYS' 'ENTRY replacing the observe_step one' FRAGMENT
bad() {
  scen "$1" "$2"
  sed -i "s|^  { key = \"mm1.observe_step\".*|  $3|" "$1.cfg"
  run "$SIM" sweep "$1.cfg" -q -o "$1"
  name=$1 frag=$4
  checks "bad input $1" '[ "$rc" -eq 1 ] && grep -q "$name.cfg:[0-9]*: .*$frag" err && [ ! -e "$name" ]'
}
M='design = "morris"; trajectories = 4;'
E='{ key = "mm1.observe_step"; dist = "uniform"; min = 5.0; max = 20.0; source = "x"; }'
bad tri "$M" '{ key = "mm1.observe_step"; dist = "triangular"; min = 5.0; mode = 30.0; max = 20.0; source = "x"; }' 'mode 30 is outside min..max 5..20'
bad sd0 "$M" '{ key = "mm1.observe_step"; dist = "normal"; mean = 10.0; sd = 0.0; min = 5.0; max = 20.0; source = "x"; }' 'sd 0 (allowed: sd > 0)'
bad logu "$M" '{ key = "mm1.observe_step"; dist = "loguniform"; min = 0.0; max = 20.0; source = "x"; }' 'dist "loguniform" needs 0 < min < max'
bad minmax "$M" '{ key = "mm1.observe_step"; dist = "uniform"; min = 20.0; max = 5.0; source = "x"; }' 'min 20 is not below max 5'
bad gamma "$M" '{ key = "mm1.observe_step"; dist = "gamma"; min = 5.0; max = 20.0; source = "x"; }' 'unknown value "gamma" (allowed: uniform, loguniform, triangular, normal)'
bad nokey "$M" '{ key = "mm1.observe_stp"; dist = "uniform"; min = 5.0; max = 20.0; source = "x"; }' '"mm1.observe_stp" is not a key of the scenario (allowed: an existing key, as for --set; did you mean .mm1.observe_step.?)'
bad modeu "$M" '{ key = "mm1.observe_step"; dist = "uniform"; min = 5.0; mode = 6.0; max = 20.0; source = "x"; }' 'mode is not an argument of dist "uniform"'
bad range "$M" '{ key = "mm1.observe_step"; dist = "uniform"; min = -5.0; max = 20.0; source = "x"; }' 'uncertainty mm1.observe_step: min -5 is outside the allowed range: .*allowed'
bad fewtraj 'design = "morris"; trajectories = 1;' "$E" 'experiment.trajectories: 1 is out of range (allowed: 2 to'
bad fewsobol 'design = "sobol"; points = 4;' "$E" 'experiment.points: 4 is out of range (allowed: 8 to'
bad oddlev 'design = "morris"; trajectories = 4; levels = 5;' "$E" '5 levels (allowed: an even number'
scen nolist 'design = "morris"; trajectories = 4;'
sed -i '/^uncertainty = (/,/^);/d' nolist.cfg
run "$SIM" sweep nolist.cfg -q -o nolist
checks "morris without an uncertainty list" \
  '[ "$rc" -eq 1 ] && has err "nolist.cfg:[0-9]*: .*varies the parameters of the top-level uncertainty list, and there is none"'

# ---- the labour-market model, tiny: incidental vs structural funding, contrast screening
lm() {
  cat > "lm-$1.cfg" <<EOF
@include "$ROOT/scenarios/pow-$1.cfg"
uncertainty = (
  { key = "labour_market.maturity_decay_per_year"; dist = "uniform"; min = 0.05; max = 0.3; source = "assumption"; },
  { key = "programmes.[0].underspend"; dist = "uniform"; min = 0.05; max = 0.35; source = "assumption"; },
  { key = "labour_market.placements.job_loss_per_month"; dist = "normal"; mean = 0.04; sd = 0.01; min = 0.02; max = 0.06; source = "assumption"; }
);
experiment = { design = "morris"; trajectories = 2; replications = 2; set = ["labour_market.scale=0.005", "labour_market.end=\"2022-01-01\""]; };
EOF
}
lm incidental; lm structural
checks "tiny labour-market morris sweeps, incidental and structural" 'sweep lm-incidental && sweep lm-structural'
run "$SIM" sensitivity lm-incidental.h5 --alt lm-structural.h5
checks "the funding contrast: durable placements and cost per durable, with a warning" \
  '[ "$rc" -eq 0 ] && has out "^durable_placements, ALT - BASE" && has out "^cost_per_durable, ALT - BASE" && has out "programmes.\[0\].underspend" && has err "warning: only 2 trajectories"'
sed 's/max = 0.35;/max = 1.5;/' lm-incidental.cfg > lm-range.cfg
run "$SIM" sweep lm-range.cfg -q -o lm-range
checks "a range beyond the model's own limit, named with the allowed range" \
  '[ "$rc" -eq 1 ] && has err "lm-range.cfg:4: uncertainty programmes.\[0\].underspend: max 1.5 is outside the allowed range: 1.5 is out of range (allowed: 0 to 1)" && [ ! -e lm-range ]'
run "$SIM" validate lm-range.cfg
checks "sim validate checks the declared ranges too" '[ "$rc" -eq 1 ] && has err "lm-range.cfg:4: uncertainty programmes.\[0\].underspend: max 1.5 is outside"'
run "$SIM" validate "$ROOT/scenarios/uncertainty.cfg"
checks "scenarios/uncertainty.cfg validates" '[ "$rc" -eq 0 ]'

# ---- parameter draws per replication (sim run --draw-parameters) and sim compare
# draws NAME SERVICE_RATE: M/M/1 with the arrival rate uncertain; ALT differs in the service rate.
draws() {
  cat > "$1.cfg" <<EOF
model = "mm1";
seed = 77L;
replications = 6;
origin = "2019-01-01";
output = { detail = "summary"; sample = 1.0; };
mm1 = { arrival_rate = 0.7; service_rate = $2; customers = 3000; observe_step = 10.0; observe_count = 10; };
uncertainty = (
  { key = "mm1.arrival_rate"; dist = "triangular"; min = 0.4; mode = 0.7; max = 0.9; source = "assumption: test"; },
  { key = "mm1.observe_step"; dist = "uniform"; min = 5.0; max = 20.0; source = "assumption: test"; }
);
EOF
}
draws db 1.0; draws da 1.3
run "$SIM" run db.cfg --draw-parameters -q -t 2 -o db.h5
checks "a run with parameter draws" '[ "$rc" -eq 0 ] && [ -s db.h5 ]'
run "$SIM" run da.cfg --draw-parameters -q -t 1 -o da.h5
run "$SIM" run db.cfg --draw-parameters -q -t 1 -o db1.h5
if [ -n "$PY" ]; then
  checks "BASE and ALT drew the same set in every replication, a different one per replication" 'py - <<PYEOF
import h5py, numpy as np
b, a = h5py.File("db.h5", "r")["parameter_draws"], h5py.File("da.h5", "r")["parameter_draws"]
assert b.shape == (6, 2) and np.array_equal(b[()], a[()])
assert len(set(b[:, 0])) == 6 and (b[:, 0] >= 0.4).all() and (b[:, 0] <= 0.9).all()
assert [x.decode() if isinstance(x, bytes) else x for x in b.attrs["parameters"]] == ["mm1.arrival_rate", "mm1.observe_step"]
PYEOF'
  checks "same seed, same bits: 1 and 2 threads give the same draws and summaries" 'py - <<PYEOF
import h5py, numpy as np
a, b = h5py.File("db.h5", "r"), h5py.File("db1.h5", "r")
assert np.array_equal(a["parameter_draws"][()], b["parameter_draws"][()])
assert a["summary"][()].tobytes() == b["summary"][()].tobytes()
PYEOF'
  # Replication 4 of the drawn run is replication 4 of a plain run with its values set.
  sets=$(py -c 'import h5py; d = h5py.File("db.h5", "r")["parameter_draws"][4]; print("--set mm1.arrival_rate=%.17g --set mm1.observe_step=%.17g" % (d[0], d[1]))')
  "$SIM" run db.cfg -q -t 2 $sets -o plain.h5 2>err
  checks "replication r with draws = replication r of a plain run with r's values" 'py - <<PYEOF
import h5py
a, b = h5py.File("db.h5", "r")["summary"][4], h5py.File("plain.h5", "r")["summary"][4]
assert a.tobytes() == b.tobytes(), (a, b)
PYEOF'
else pyskip "draws pairing"; pyskip "draws threads"; pyskip "draws slot"; fi
run "$SIM" compare db.h5 da.h5
checks "sim compare: the parameter-uncertainty section with P(ALT better)" \
  '[ "$rc" -eq 0 ] && has out "^parameter uncertainty: da.h5 vs db.h5, 6 replications" && has out "P(ALT better) \[CI\]" && has out "a draw.s effect, coverage"'
# the section's columns stay aligned when a row needs more decimals: headline fields added to copies of the
# drawn runs, ALT better in 5 of 6 replications (upper bound 0.9958: 0.996, never 1.00) and in 6 of 6
if [ -n "$PY" ]; then
  py - <<'PYEOF' 2>err
import h5py, numpy as np, shutil
for src, dst, shift in (("db.h5", "hb.h5", 0.0), ("da.h5", "ha.h5", 1.0)):
    shutil.copy(src, dst)
    with h5py.File(dst, "r+") as f:
        s, attrs = f["summary"][()], dict(f["summary"].attrs)
        names = list(s.dtype.names) + ["durable_placements", "placements", "cost_total"]
        t = np.zeros(len(s), dtype=[(n, s.dtype[n]) if n in s.dtype.names else (n, "f8") for n in names])
        for n in s.dtype.names:
            t[n] = s[n]
        t["durable_placements"] = 100 + shift * np.array([1, 2, 3, 4, 5, -1])
        t["placements"] = 200 + shift * np.arange(1, 7)
        t["cost_total"] = 1000.0
        del f["summary"]
        f["summary"] = t
        for k, v in attrs.items():
            f["summary"].attrs[k] = v
PYEOF
  "$SIM" compare hb.h5 ha.h5 >cmp.out 2>>err
  checks "sim compare, parameter uncertainty: one share format for the table (0.833 [0.359, 0.996]; 1.000 [0.541, 1.000]), columns aligned" \
    'sed -n "/^parameter uncertainty/,/^  (a draw/p" cmp.out >sec.out && grep -q "durable_placements .* 0.833 \[0.359, 0.996\]  *6$" sec.out \
     && grep -q "placements .* 1.000 \[0.541, 1.000\]  *6$" sec.out && [ "$(sed -n "2,5p" sec.out | awk "{ print length }" | sort -u | wc -l)" -eq 1 ]' \
    || sed 's/^/  /' cmp.out err | tail -n 12
else pyskip "aligned shares"; fi
"$SIM" run db.cfg -q -o nodraw.h5 2>err
run "$SIM" compare db.h5 nodraw.h5
checks "only one file with draws: refused before anything is printed" \
  '[ "$rc" -eq 1 ] && has err "nodraw.h5: ran without parameter draws and db.h5 with them" && [ ! -s out ]'
sed 's/max = 20.0;/max = 30.0;/' da.cfg > dx.cfg
"$SIM" run dx.cfg --draw-parameters -q -o dx.h5 2>err
run "$SIM" compare db.h5 dx.h5
checks "different draws are refused" '[ "$rc" -eq 1 ] && has err "dx.h5: its parameter draws differ from db.h5"'
run "$SIM" compare db.h5 da.h5
checks "sim compare: draws of assumptions only are said to be ranges set beforehand" \
  'has out "ranges set beforehand, not fitted to" && has out "no calibrated parameter is drawn"'
# a calibrated parameter (its source says so) drawn jointly with an assumption, correlation -0.9
sed 's/source = "assumption: test"; },$/source = "calibrated: test"; },\n  { correlation = ["mm1.observe_step", "mm1.arrival_rate"]; matrix = [1.0, -0.9, -0.9, 1.0]; source = "calibrated: test"; },/' db.cfg > dc.cfg
sed 's/service_rate = 1.0;/service_rate = 1.3;/' dc.cfg > dd.cfg
sed 's/key = "mm1.arrival_rate"; dist/key = "mm1.arival_rate"; dist/' dc.cfg > dbad.cfg
run "$SIM" validate dbad.cfg
checks "an uncertainty list with a misspelt key before a correlation block: that key alone, not the block's settings as unknown keys" \
  '[ "$rc" -eq 1 ] && has err "uncertainty.\[0\].key: \"mm1.arival_rate\" is not a key of the scenario" && ! has err "unknown key" \
   && has err "dbad.cfg: 1 problem; nothing was run"' || sed 's/^/  /' err
run "$SIM" run dc.cfg --draw-parameters -q -r 40 -t 2 -o dc.h5
"$SIM" run dc.cfg --draw-parameters -q -r 40 -t 1 -o dc1.h5 2>err
"$SIM" run dd.cfg --draw-parameters -q -r 40 -o dd.h5 2>err
if [ -n "$PY" ]; then
  checks "a correlation block: the drawn values carry the declared correlation (-0.9), the sources are recorded" 'py - <<PYEOF
import h5py, numpy as np
d = h5py.File("dc.h5", "r")["parameter_draws"]
r = np.corrcoef(d[:, 0], d[:, 1])[0, 1]
src = [x.decode() if isinstance(x, bytes) else x for x in d.attrs["sources"]]
assert r < -0.75, r
assert src == ["calibrated: test", "assumption: test"], src
PYEOF'
  checks "a correlation block: same seed, same bits on 1 and 2 threads (draws and summaries)" 'py - <<PYEOF
import h5py, numpy as np
a, b = h5py.File("dc.h5", "r"), h5py.File("dc1.h5", "r")
assert a["parameter_draws"][()].tobytes() == b["parameter_draws"][()].tobytes()
assert a["summary"][()].tobytes() == b["summary"][()].tobytes()
PYEOF'
else pyskip "draws with a correlation block"; fi
run "$SIM" compare dc.h5 dd.h5
checks "sim compare: a calibrated parameter drawn is named as such" \
  '[ "$rc" -eq 0 ] && has out "1 assumed range set beforehand and" && has out "1 calibrated parameter with the spread the fit to Dutch history gives"'
# a sample entry (a posterior's weighted draws): its keys take one row together, rows by weight
sed 's/^  { key = "mm1.observe_step".*$/  { sample = ["mm1.observe_step", "mm1.service_rate"]; values = [6.0, 1.1,  8.0, 1.2,  12.0, 1.5]; weights = [0.25, 0.0, 0.75]; source = "calibrated: test posterior"; }/' db.cfg > ds.cfg
run "$SIM" run ds.cfg --draw-parameters -q -r 40 -t 2 -o ds.h5
checks "a sample entry: a run with draws" '[ "$rc" -eq 0 ] && [ -s ds.h5 ]'
"$SIM" run ds.cfg --draw-parameters -q -r 40 -t 1 -o ds1.h5 2>err
if [ -n "$PY" ]; then
  checks "a sample entry: every drawn set is a row of weight > 0, both rows drawn, dist and source recorded" 'py - <<PYEOF
import h5py, numpy as np
d = h5py.File("ds.h5", "r")["parameter_draws"]
rows = {(6.0, 1.1), (12.0, 1.5)}
got = [(d[r, 1], d[r, 2]) for r in range(d.shape[0])]
assert set(got) == rows, set(got)
n12 = sum(1 for g in got if g[0] == 12.0)
assert 20 <= n12 <= 39, n12
names = [x.decode() if isinstance(x, bytes) else x for x in d.attrs["parameters"]]
dists = [x.decode() if isinstance(x, bytes) else x for x in d.attrs["distributions"]]
src = [x.decode() if isinstance(x, bytes) else x for x in d.attrs["sources"]]
assert names == ["mm1.arrival_rate", "mm1.observe_step", "mm1.service_rate"], names
assert dists == ["triangular", "sample", "sample"], dists
assert src[1:] == ["calibrated: test posterior"] * 2, src
PYEOF'
  checks "a sample entry: same seed, same bits on 1 and 2 threads" 'py - <<PYEOF
import h5py
a, b = h5py.File("ds.h5", "r"), h5py.File("ds1.h5", "r")
assert a["parameter_draws"][()].tobytes() == b["parameter_draws"][()].tobytes()
assert a["summary"][()].tobytes() == b["summary"][()].tobytes()
PYEOF'
else pyskip "draws of a sample entry"; pyskip "a sample entry on 1 and 2 threads"; fi
scen smo 'design = "morris"; trajectories = 4;'
sed -i 's/^  { key = "mm1.observe_step".*$/  { sample = ["mm1.observe_step"]; values = [6.0, 8.0]; source = "calibrated: test"; }/' smo.cfg
run "$SIM" sweep smo.cfg -q -o smo
checks "a morris design refuses a sample entry, naming the entry's file and line" \
  '[ "$rc" -eq 1 ] && has err "smo.cfg:[0-9]*: .*design \"morris\" with the sample entry at smo.cfg:[0-9]* in the uncertainty list" && [ ! -e smo/point-000000.h5 ]'
sed 's/design = "morris"; trajectories = 4;/design = "sobol"; points = 8;/' smo.cfg > sso.cfg
run "$SIM" sweep sso.cfg -q -o sso
checks "a sobol design refuses it too" '[ "$rc" -eq 1 ] && has err "design \"sobol\" with the sample entry at sso.cfg:"'
# rows are checked by the model as sets: row 2 (service rate -1) is refused, named; at weight 0 it is never drawn and not checked
sed 's/^  { key = "mm1.observe_step".*$/  { sample = ["mm1.observe_step", "mm1.service_rate"]; values = [6.0, 1.1,  8.0, -1.0]; weights = [0.5, W]; source = "calibrated: test"; }/' db.cfg > drow.cfg
sed 's/W\]/0.5]/' drow.cfg > drow1.cfg; sed 's/W\]/0.0]/' drow.cfg > drow0.cfg
run "$SIM" validate drow1.cfg
checks "sim validate: a sample row the model refuses is named (file:line, row 2, the model's allowed range)" \
  '[ "$rc" -ne 0 ] && has err "drow1.cfg:[0-9]*: uncertainty sample row 2 is not a set the model accepts: .*service_rate.*allowed"'
run "$SIM" validate drow0.cfg
checks "sim validate: the same row at weight 0 is never drawn and not checked" '[ "$rc" -eq 0 ]'
run "$SIM" run "$ROOT/scenarios/mm1.cfg" --draw-parameters -q -o none.h5
checks "--draw-parameters without an uncertainty list: exit 1, no file" '[ "$rc" -eq 1 ] && has err "needs a top-level uncertainty list" && [ ! -e none.h5 ]'
sed 's/max = 0.9;/max = 0.9; sd = 1.0;/' db.cfg > dbad.cfg
run "$SIM" run dbad.cfg --draw-parameters -q -o dbad.h5
checks "a bad declaration: file:line, no file" '[ "$rc" -eq 1 ] && has err "dbad.cfg:[0-9]*: .*sd is not an argument" && [ ! -e dbad.h5 ]'

for k in incidental structural; do
  "$SIM" run lm-$k.cfg --draw-parameters -q -r 1 --set labour_market.scale=0.005 --set 'labour_market.end="2022-01-01"' -o r1-$k.h5 2>err
done
run "$SIM" compare r1-incidental.h5 r1-structural.h5
checks "sim compare of one drawn replication: every metric's row, the interval of the mean n/a, never nan" \
  '[ "$rc" -eq 0 ] && has out "^parameter uncertainty: .*, 1 replication, " && has out "^  durable_placements .* n/a " && ! grep -qi "nan" out' \
  || grep -in "nan\|durable_placements" out | sed 's/^/  /'

if [ -n "$PY" ] && "$PY" -c 'import matplotlib' 2>/dev/null; then
  for k in incidental structural; do
    "$SIM" run lm-$k.cfg --draw-parameters -q -r 4 --set labour_market.scale=0.005 --set 'labour_market.end="2022-01-01"' -o rd-$k.h5 2>err
  done
  run "$SIM" compare rd-incidental.h5 rd-structural.h5
  checks "sim compare, parameter uncertainty: numbers for people (EUR whole, thousands commas), never 1.2e+06" \
    '[ "$rc" -eq 0 ] && grep -Eq "^  cost_total +-?[0-9]{1,3}(,[0-9]{3})* +\[-?[0-9,]+, -?[0-9,]+\]" out && ! grep -Eq "[0-9]e[+-]?[0-9]" out' \
    || grep -n "cost_total" out | sed 's/^/  /'
  run "$SIM" report rd-incidental.h5 rd-structural.h5 -o rep.html
  checks "sim report: the parameter-uncertainty section and a sentence on the ranking" \
    '[ "$rc" -eq 0 ] && grep -q "<h2>Parameter uncertainty</h2>" rep.html && grep -Eq "The ranking is (not )?robust to the parameter uncertainty|draws are too few to tell whether the ranking is robust" rep.html'
  checks "sim report with draws: the caveat says the intervals hold the drawn parameter uncertainty too, bound the average effect, and where a single draw's effect is" \
    'grep -q "cover chance and the parameter uncertainty drawn" rep.html && ! grep -q "cover chance only" rep.html \
     && grep -q "They bound the average effect over the draws: how far the effect of a single draw can range, and whether the ranking holds across the draws, is in the section" rep.html'
  for k in incidental structural; do
    "$SIM" run "$ROOT/scenarios/uncertainty-$k.cfg" --draw-parameters -q -r 4 --set labour_market.scale=0.005 --set 'labour_market.end="2022-01-01"' -o ru-$k.h5 2>err
  done
  run "$SIM" report ru-incidental.h5 ru-structural.h5 -o repu.html
  checks "sim report of scenarios/uncertainty-*.cfg: 34 assumptions and 5 calibrated parameters drawn, said in the section and the caveat" \
    '[ "$rc" -eq 0 ] && grep -q "34 assumptions from ranges set beforehand and 5 calibrated parameters" repu.html && grep -q "uncertain parameters: 34 assumptions from ranges set beforehand and 5 calibrated parameters with the spread" repu.html'
  # scenarios/uncertainty-baseline.cfg: the reference with the programmes' list. Its claim: with no money the
  # programme runs as baseline.cfg bit for bit, whatever its four drawn settings; and it pairs with the programmes
  SHORT="-q -r 2 --set labour_market.scale=0.005 --set labour_market.end=\"2021-01-01\" -d summary"
  "$SIM" run "$ROOT/scenarios/baseline.cfg" $SHORT -o ub0.h5 2>err
  "$SIM" run "$ROOT/scenarios/uncertainty-baseline.cfg" $SHORT -o ub1.h5 2>>err
  "$SIM" run "$ROOT/scenarios/uncertainty-baseline.cfg" $SHORT --set "programmes.[0].underspend=0.3" \
    --set "programmes.[0].substitution=0.5" --set "programmes.[0].maturity_gain_per_year=0.3" --set "programmes.[0].ramp_up_months=5.0" -o ub2.h5 2>>err
  checks "uncertainty-baseline.cfg runs as baseline.cfg bit for bit, whatever the programme's four uncertain settings" 'py - <<PYEOF
import h5py
a, b, c = (h5py.File(p, "r")["summary"][()].tobytes() for p in ("ub0.h5", "ub1.h5", "ub2.h5"))
assert a == b and b == c
PYEOF'
  "$SIM" run "$ROOT/scenarios/uncertainty-baseline.cfg" --draw-parameters -q -r 4 --set labour_market.scale=0.005 --set 'labour_market.end="2022-01-01"' -o ru-baseline.h5 2>err
  run "$SIM" compare ru-baseline.h5 ru-incidental.h5 --metric durable_placements
  checks "uncertainty-baseline.cfg with draws pairs with uncertainty-incidental.cfg (the same list): the parameter-uncertainty section" \
    '[ "$rc" -eq 0 ] && has out "^parameter uncertainty: ru-incidental.h5 vs ru-baseline.h5, 4 replications, each with its own draw of 39 parameters"'
  "$SIM" run lm-incidental.cfg -q -r 2 --set labour_market.scale=0.005 --set 'labour_market.end="2022-01-01"' -o p1.h5 2>err
  "$SIM" run lm-structural.cfg -q -r 2 --set labour_market.scale=0.005 --set 'labour_market.end="2022-01-01"' -o p2.h5 2>err
  run "$SIM" report p1.h5 p2.h5 -o rep1.html
  checks "no draws: no parameter-uncertainty section" '[ "$rc" -eq 0 ] && ! grep -q "Parameter uncertainty" rep1.html'
  checks "no draws: the caveat says the intervals cover chance only" 'grep -q "cover chance only" rep1.html'
else pyskip "report with draws (matplotlib)"; pyskip "report without draws"; fi

finish
