#!/bin/sh
# test_reliability.sh: regression tests of issue 15 (output paths, write failures,
# low memory, concurrent sweeps, provenance, silent wrong numbers). Each section
# names the issue's item. Checks that need root (mknod, tmpfs) or python3 with
# h5py are reported as skipped, never counted as passed. Works in a mktemp -d
# directory; ends with "N passed, M failed, K skipped".
set -u
. "$(dirname "$0")/lib.sh"   # ROOT, BUILD, SIM; ok, no, check, checks, skip, die, finish
[ -x "$SIM" ] || die "no $SIM (run make all)"
. "$ROOT/tests/pyfind.sh"
T=$(mktemp -d) || exit 1
MOUNTS=""
cleanup() { for m in $MOUNTS; do umount "$m" 2>/dev/null; done; rm -rf "$T"; }
trap cleanup EXIT
cd "$T" || exit 1
cp "$ROOT/scenarios/mm1.cfg" mm1.cfg
cp -r "$ROOT/scenarios" sc
SMALL="--set mm1.customers=2000"
LM="sc/baseline.cfg -q -r 2 --set labour_market.scale=0.005"

run() { "$@" >out 2>err; rc=$?; }
has() { grep -q -- "$2" "$1"; }
no_partial() { [ -z "$(find . -name '*.partial-*' 2>/dev/null)" ]; }
# clean: remove partial files a failed case left, so the next case starts clean
clean() { find . -name '*.partial-*' -exec rm -f {} + 2>/dev/null; }
is_root() { [ "$(id -u)" -eq 0 ]; }
# tmpfs DIR SIZE: mount a small tmpfs (root only); 0 if mounted
tmpfs() { mkdir -p "$1" && mount -t tmpfs -o "size=$2" tmpfs "$1" 2>/dev/null && MOUNTS="$MOUNTS $T/$1"; }

clean
# ---- 1. output onto a device or special file ---------------------------------
if is_root && mknod null-copy c 1 3 2>/dev/null; then
  run "$SIM" run -q $SMALL -o null-copy mm1.cfg
  checks "1: run -o CHARDEV: exit 1, refused" '[ "$rc" -eq 1 ] && has err "null-copy: the output path exists and is a character device"'
  check "1: run -o CHARDEV: still a character device" [ -c null-copy ]
  "$SIM" sweep -q -o swd "$ROOT/tests/fuzz/sweep-seed.cfg" >/dev/null 2>&1
  run "$SIM" merge swd -q -o null-copy
  checks "1: merge -o CHARDEV: exit 1, still a device" '[ "$rc" -eq 1 ] && [ -c null-copy ] && has err "character device"'
  if [ -n "$PY" ]; then
    "$SIM" run -q $SMALL -o a.h5 mm1.cfg 2>/dev/null
    run env SIM_PYTHON="$PY" "$SIM" report a.h5 a.h5 -o null-copy
    checks "1: report -o CHARDEV: exit 1, still a device" '[ "$rc" -ne 0 ] && [ -c null-copy ] && has err "not a regular file"'
  else skip "1: report -o CHARDEV (no python3 with h5py)"; fi
else
  skip "1: run/merge/report -o CHARDEV (mknod needs root)" 4
fi
mkfifo fifo-out
run "$SIM" run -q $SMALL -o fifo-out mm1.cfg
checks "1: run -o FIFO: exit 1, still a FIFO" '[ "$rc" -eq 1 ] && [ -p fifo-out ] && has err "is a FIFO"'
mkdir adir
run "$SIM" run -q $SMALL -o adir mm1.cfg
checks "1/13: run -o DIR: exit 1 at once, directory kept" '[ "$rc" -eq 1 ] && [ -d adir ] && has err "adir: the output path exists and is a directory"'
run "$SIM" run -q $SMALL -o "" mm1.cfg
checks "13: run -o '': exit 1 with a message" '[ "$rc" -eq 1 ] && has err "output path is empty"'
run "$SIM" run -q $SMALL -o / mm1.cfg
checks "13: run -o /: exit 1 with a message" '[ "$rc" -eq 1 ] && has err "names a directory"'
long=$(printf 'x%.0s' $(seq 1 250))
run "$SIM" run -q $SMALL -o "$long.h5" mm1.cfg
checks "13: a name too long for its temporary suffix: exit 1 before running" '[ "$rc" -eq 1 ] && has err "File name too long" && no_partial'
check "1/13: no partial files" no_partial

clean
# ---- 2. crash after a write failure -------------------------------------------
for f in 5 20 50 100; do
  run sh -c "ulimit -f $f; exec \"$SIM\" run $LM -o fsize.h5"
  checks "2: run under ulimit -f $f: exit 1 (not a crash: $rc) with a message, nothing left" \
    '[ "$rc" -eq 1 ] && has err "fsize.h5: cannot write" && [ ! -e fsize.h5 ] && no_partial'
  clean
done
"$SIM" sweep -q -o swm "$ROOT/tests/fuzz/sweep-seed.cfg" >/dev/null 2>&1
for f in 4 8 16; do
  run sh -c "ulimit -f $f; exec \"$SIM\" merge swm -q -o merged-f.h5"
  checks "2: merge under ulimit -f $f: exit 1 (not a crash: $rc), nothing left" \
    '[ "$rc" -eq 1 ] && has err "merged-f.h5: cannot" && [ ! -e merged-f.h5 ] && no_partial'
  clean
done
if is_root && tmpfs full 48k; then
  cat > swfull.cfg <<EOF
@include "sc/mm1.cfg"
experiment = { design = "list"; replications = 20;
  parameters = ({ key = "mm1.customers"; values = [200, 300, 400, 500, 600, 700, 800, 900]; }); };
EOF
  run "$SIM" sweep swfull.cfg -q -o full/sw
  checks "2: sweep onto a full tmpfs: exit 1 (not a crash: $rc) with a message" '[ "$rc" -eq 1 ] && has err "cannot write"'
  check "2: sweep onto a full tmpfs: no partial file" no_partial
  umount full; MOUNTS=""
  cnt=0
  if tmpfs near 200k; then
    for fill in 150 170 176 180 184 188 192 196; do
      rm -rf near/*; head -c ${fill}k /dev/zero > near/fill
      run "$SIM" merge swm -q -o near/m.h5
      checks "2: merge onto a nearly full disk ($fill of 200 KiB used): exit 0 or 1 (not a crash: $rc)" \
        '{ [ "$rc" -eq 0 ] && [ -s near/m.h5 ]; } || { [ "$rc" -eq 1 ] && has err "near/m.h5: cannot" && [ ! -e near/m.h5 ]; }'
      check "2: merge onto a nearly full disk ($fill KiB): no partial file" no_partial
      clean
    done
    umount near; MOUNTS=""
  fi
else
  skip "2: sweep and merge onto a full tmpfs (mount needs root)" 18
fi

clean
# ---- 3. memory runs short ---------------------------------------------------
case $BUILD in *asan*) NOVLIMIT=1 ;; *) NOVLIMIT=0 ;; esac   # ASan reserves terabytes of address space
if [ "$NOVLIMIT" -eq 1 ]; then skip "3: allocation failures (ulimit -v under ASan)" 5; else
run sh -c "ulimit -v 300000; exec timeout 60 \"$SIM\" run sc/baseline.cfg -q -t 2 -r 1000000 -o mem.h5"
checks "3: results that do not fit: exit 1 (not a crash: $rc) with a clear message" \
  '[ "$rc" -eq 1 ] && has err "out of memory: cannot hold the results of 1000000 replications" && ! has err "a replication failed"'
check "3: nothing left" no_partial
run sh -c "ulimit -v 300000; exec timeout 60 \"$SIM\" run sc/baseline.cfg -q -t 2 -r 20000 -d series -o mem.h5"
checks "3: the series buffer does not fit: exit 1 at once, a clear message" \
  '[ "$rc" -eq 1 ] && has err "out of memory: cannot hold the results of 20000 replications" && has err "\-d summary"'
for v in 100000 200000; do
  run sh -c "ulimit -v $v; exec timeout 60 \"$SIM\" run sc/baseline.cfg -q -t 2 -r 2 -d summary -o mem.h5"
  checks "3: a workspace that does not fit (ulimit -v $v): exit 1 (not a crash: $rc), a clear message" \
    '[ "$rc" -eq 1 ] && has err "out of memory" && [ ! -e mem.h5 ] && no_partial'
done
fi

clean
# ---- 4. /parameters records what ran --------------------------------------------
cat > prov.cfg <<'EOF'
model = "mm1";
seed = 5;
replications = 2;
origin = "2019-01-01";
output = { detail = "summary"; sample = 1; };
mm1 = { arrival_rate = 0.9; service_rate = 1.0; customers = 2000; observe_step = 10.0; observe_count = 10; };
EOF
if [ -n "$PY" ]; then
  for args in "-s 3000000000 -d events --sample 0.05|3000000000|0.05" "-s 7 -d events --sample 0.5|7|0.5" "|5|1"; do
    opt=${args%%|*}; rest=${args#*|}; seed=${rest%%|*}; sample=${rest#*|}
    rm -f prov.h5
    "$SIM" run prov.cfg -q $opt -o prov.h5 2>err
    got=$("$PY" - <<EOF
import h5py, re
f = h5py.File("prov.h5", "r")
v = {r[0].decode(): r[1] for r in f["parameters/values"][:]}
text = f["parameters/scenario"][()]
text = (text.flat[0] if hasattr(text, "flat") else text).decode()
seed = re.search(r"^seed = (\d+)L?$", text, re.M).group(1)
sample = re.search(r"^\s*sample = ([0-9.e-]+)$", text, re.M).group(1)
print("%s %g %g %d" % (seed, float(sample), v["output.sample"], int(f.attrs["seed"])))
EOF
)
    checks "4: '$opt' records seed $seed and sample $sample (got: $got)" "[ \"\$got\" = \"$seed $sample $sample $seed\" ]"
  done
else
  skip "4: /parameters after --sample and --seed (no python3 with h5py)" 3
fi

clean
# ---- 5. an output path equal to an input ------------------------------------------
cp mm1.cfg s.cfg; cp s.cfg s.orig
run "$SIM" run -q $SMALL -o s.cfg s.cfg
checks "5: run s.cfg -o s.cfg: exit 1, scenario kept" '[ "$rc" -eq 1 ] && cmp -s s.cfg s.orig && has err "one of the input files"'
ln -s s.cfg s-link.h5
run "$SIM" run -q $SMALL -o s-link.h5 s.cfg
checks "5: -o a symlink to the scenario: refused" '[ "$rc" -eq 1 ] && cmp -s s.cfg s.orig'
ln s.cfg s-hard.h5
run "$SIM" run -q $SMALL -o s-hard.h5 s.cfg
checks "5: -o a hard link to the scenario: refused" '[ "$rc" -eq 1 ] && cmp -s s.cfg s.orig'
mkdir -p inc; printf 'replications = 2;\n' > inc/part.cfg; cp inc/part.cfg inc/part.orig
sed '/^replications/d' mm1.cfg > withinc.cfg; echo '@include "inc/part.cfg"' >> withinc.cfg
run "$SIM" run -q $SMALL -o inc/part.cfg withinc.cfg
checks "5: -o an @included file: refused, kept" '[ "$rc" -eq 1 ] && cmp -s inc/part.cfg inc/part.orig'
"$SIM" sweep -q -o sw5 "$ROOT/tests/fuzz/sweep-seed.cfg" >/dev/null 2>&1
cp sw5/point-00000.h5 p0.orig
run "$SIM" merge sw5 -q -o sw5/point-00000.h5
checks "5: merge -o DIR/point-00000.h5: refused, point kept" '[ "$rc" -eq 1 ] && cmp -s sw5/point-00000.h5 p0.orig'
run "$SIM" merge sw5 -q -o sw5/point-00009.h5
checks "5: merge -o a new point file name in DIR: refused" '[ "$rc" -eq 1 ] && [ ! -e sw5/point-00009.h5 ] && has err "point file name"'
run "$SIM" merge sw5 -q -o sw5/merged.h5
checks "5: merge -o another name in DIR: fine" '[ "$rc" -eq 0 ] && [ -s sw5/merged.h5 ]'
if [ -n "$PY" ]; then
  "$SIM" run -q $SMALL -o r5.h5 mm1.cfg 2>/dev/null; cp r5.h5 r5.orig
  run env SIM_PYTHON="$PY" "$SIM" report r5.h5 r5.h5 -o r5.h5
  checks "5: report -o an input: refused, input kept" '[ "$rc" -ne 0 ] && cmp -s r5.h5 r5.orig && has err "one of the input files"'
else skip "5: report -o an input (no python3 with h5py)"; fi

clean
# ---- 6. default output names use the whole stem ----------------------------------
mkdir d6; cp mm1.cfg d6/base.cfg; cp mm1.cfg d6/base.v1.cfg; cp mm1.cfg d6/base.v2.cfg
( cd d6 && for s in base base.v1 base.v2; do "$SIM" run -q --set mm1.customers=2000 -r 1 -s $((${#s} + 1)) "$s.cfg"; done )
checks "6: base.cfg, base.v1.cfg, base.v2.cfg write three files" \
  '[ -s d6/results/base.h5 ] && [ -s d6/results/base.v1.h5 ] && [ -s d6/results/base.v2.h5 ]'
checks "6: each file is its own run" '"$SIM" info d6/results/base.v1.h5 | grep -q "scenario *base.v1.cfg"'
( cd d6 && cp "$ROOT/tests/fuzz/sweep-seed.cfg" sweep.v1.cfg && sed -i 's|../../scenarios/mm1.cfg|base.cfg|' sweep.v1.cfg \
  && "$SIM" sweep -q sweep.v1.cfg >/dev/null 2>&1 )
check "6: sweep.v1.cfg sweeps into results/sweep.v1/" [ -s d6/results/sweep.v1/point-00000.h5 ]

clean
# ---- 7. two sweeps on one directory ----------------------------------------------
cat > sw7.cfg <<'EOF'
@include "sc/mm1.cfg"
experiment = { design = "list"; replications = 2;
  parameters = ({ key = "mm1.customers"; values = [300000, 300001, 300002, 300003, 300004, 300005, 300006, 300007]; }); };
EOF
"$SIM" sweep -q -t 1 -o sw7 sw7.cfg >outA 2>errA &
pidA=$!
i=0
while [ $i -lt 100 ] && [ -z "$(ls sw7 2>/dev/null | grep partial)" ]; do sleep 0.05; i=$((i + 1)); done
run "$SIM" sweep -q -t 1 -o sw7 sw7.cfg
wait "$pidA"; rcA=$?
if [ $i -lt 100 ]; then
  checks "7: the second sweep is refused (exit $rc) and says another sweep holds the directory" '[ "$rc" -eq 1 ] && has err "another sweep (process [0-9]*) is running point"'
  checks "7: the first sweep completes (exit $rcA), all 8 points" '[ "$rcA" -eq 0 ] && [ "$(ls sw7 | grep -c "^point-.*h5$")" -eq 8 ]'
  run "$SIM" merge sw7 -q -o sw7.h5
  check "7: and merges" [ "$rc" -eq 0 ]
else
  no "7: the first sweep wrote no partial file within 5 s"
fi
run "$SIM" sweep -q -t 1 --task 0 --tasks 2 -o sw7b sw7.cfg &
pidB=$!
"$SIM" sweep -q -t 1 --task 1 --tasks 2 -o sw7b sw7.cfg >out2 2>err2; rc2=$?
wait "$pidB"; rcB=$?
checks "7: two Slurm tasks (disjoint slices) share a directory" '[ "$rcB" -eq 0 ] && [ "$rc2" -eq 0 ] && [ "$(ls sw7b | grep -c "^point-.*h5$")" -eq 8 ]'

clean
# ---- 8. write errors on stdout ----------------------------------------------------
if [ -w /dev/full ]; then
  "$SIM" run -q $SMALL -r 2 -o c1.h5 mm1.cfg 2>/dev/null
  "$SIM" run -q $SMALL -r 2 --set mm1.arrival_rate=0.8 -o c2.h5 mm1.cfg 2>/dev/null
  for cmd in "compare c1.h5 c2.h5 --csv" "compare c1.h5 c2.h5" "info c1.h5" "sweep --dry-run $ROOT/tests/fuzz/sweep-seed.cfg" \
             "validate mm1.cfg" "--help" "--version" "run $SMALL -r 1 -o c3.h5 mm1.cfg"; do
    "$SIM" $cmd >/dev/full 2>err; rc=$?
    checks "8: sim $cmd > /dev/full: exit 1 with a message" '[ "$rc" -eq 1 ] && has err "cannot write to standard output"'
  done
else
  skip "8: stdout on a full device (no /dev/full)" 8
fi

clean
# ---- 9. undefined ratios are NaN, never 0 -----------------------------------------------
# Five months at 0.5% scale without the burn-in: no durable placement (12 months) and
# nobody 12 months past an instrument start yet, so cost_per_durable and work12_* are undefined.
NAN_RUN="sc/baseline.cfg -r 3 --set labour_market.scale=0.005 --set labour_market.end=\"2019-06-01\" --set labour_market.burn_in_years=0"
run "$SIM" run $NAN_RUN -o nan1.h5
checks "9: the text report says n/a for an undefined cost per durable placement" \
  '[ "$rc" -eq 0 ] && has out "cost per durable placement (EUR) *n/a" && ! grep -qiw nan out'
checks "the text report at 0.5% scale says its figures are the simulated population's, not national ones" \
  'has out "^  Results for the simulated population (0.5% of the country.s caseload; national figures are about 200 times larger)$" && ! has out "National results"'
run "$SIM" info nan1.h5
checks "9: info says n/a and how many replications define a value" \
  'has out "cost_per_durable  *n/a  (defined in 0 of 3 replications)" && ! grep -qiw nan out'
"$SIM" run $NAN_RUN -q --set labour_market.aftercare.places_per_1000=0.0 -o nan2.h5 2>/dev/null
run "$SIM" compare nan1.h5 nan2.h5 --csv
cp out nan.csv
if [ -n "$PY" ]; then
  got=$("$PY" - <<'PYEOF'
import csv, h5py, numpy as np
a, b = h5py.File("nan1.h5", "r")["summary"][:], h5py.File("nan2.h5", "r")["summary"][:]
bad, nans = [], 0
for n in ("cost_per_durable", "durable_share", "mean_wait_days") + tuple(k for k in a.dtype.names if k.startswith("work12_")):
    nans += int(np.isnan(a[n]).sum())
if not (np.isnan(a["cost_per_durable"]) == (a["durable_placements"] == 0)).all():
    bad.append("cost_per_durable is NaN exactly where there is no durable placement")
for r in csv.DictReader(open("nan.csv")):
    if r["region"]:
        continue
    x, y = a[r["metric"]], b[r["metric"]]
    keep = ~(np.isnan(x) | np.isnan(y))
    k = int(keep.sum())
    if int(r["n"]) != k:
        bad.append("n of " + r["metric"])
    if k and abs(float(r["base_mean"]) - x[keep].mean()) > 1e-9 * max(1.0, float(abs(x[keep]).max())):
        bad.append("mean of " + r["metric"])
    if k == 0 and r["base_mean"] != "n/a":
        bad.append("n/a of " + r["metric"])
print(nans, " ".join(bad) or "ok")
PYEOF
)
  checks "9: NaN where a ratio is undefined; compare averages the defined replications, n says how many ($got)" \
    'case "$got" in "0 "*) false ;; *" ok") true ;; *) false ;; esac'
else skip "9: NaN in /summary and compare's n (no python3 with h5py)"; fi

clean
# ---- 11. long region names --------------------------------------------------------------
sed 's/name = "Groningen";/name = "Groningen Groningen Groningen Groningen Groningen Grö";/' sc/regions.cfg > sc/regions-long.cfg
sed 's/@include "regions.cfg"/@include "regions-long.cfg"/' sc/base.cfg > sc/base-long.cfg
run "$SIM" validate sc/base-long.cfg
checks "11: a 54-byte region name is refused with the limit, file and line" \
  '[ "$rc" -eq 1 ] && has err "regions-long.cfg:[0-9]*: labour_market.regions.\[0\].name: name is 54 bytes long (allowed: at most 47 bytes"'
sed 's/name = "Groningen";/name = "Groningen Groningen Groningen Groningen Grönin";/' sc/regions.cfg > sc/regions-long.cfg
run "$SIM" validate sc/base-long.cfg
check "11: a 47-byte name with a two-byte character is accepted" [ "$rc" -eq 0 ]
sed "s/name = \"Groningen\";/name = \"Gr$(printf '\366')ningen\";/" sc/regions.cfg > sc/regions-long.cfg
run "$SIM" validate sc/base-long.cfg
checks "11: a name in Latin-1 (invalid UTF-8) is refused" '[ "$rc" -eq 1 ] && has err "not valid UTF-8"'

clean
# ---- 12. 64-bit sweep values stay exact -----------------------------------------------------
sed 's/customers = 1000000;/customers = 2000;/' sc/mm1.cfg > mm1-small.cfg
for design in grid list; do
  cat > sw12.cfg <<EOF
@include "mm1-small.cfg"
experiment = { design = "$design"; replications = 1;
  parameters = ({ key = "seed"; values = [9007199254740993L, 9007199254740992L]; }); };
EOF
  rm -rf sw12
  run "$SIM" sweep -q sw12.cfg -o sw12 --dry-run
  checks "12: $design: --dry-run lists 2^53 + 1 exactly" 'has out " 9007199254740993" && has out " 9007199254740992"'
  "$SIM" sweep -q sw12.cfg -o sw12 >/dev/null 2>&1
  s0=$("$SIM" info sw12/point-00000.h5 | sed -n 's/^ *seed  *//p'); s1=$("$SIM" info sw12/point-00001.h5 | sed -n 's/^ *seed  *//p')
  checks "12: $design: the points ran with seeds $s0 and $s1" '[ "$s0" = 9007199254740993 ] && [ "$s1" = 9007199254740992 ]'
done

clean
# ---- 13 (report). report on a merged sweep file -------------------------------------------
if [ -n "$PY" ]; then
  run env SIM_PYTHON="$PY" "$SIM" report sw5/merged.h5 sw5/merged.h5 -o merged.html
  checks "13: report on a merged sweep file: exit 1, says what to give instead" \
    '[ "$rc" -eq 1 ] && has err "a merged sweep file" && ! has err "Traceback\|AttributeError" && [ ! -e merged.html ]'
else skip "13: report on a merged sweep file (no python3 with h5py)"; fi

# ---- 13 (series). a series step longer than the horizon ------------------------------------
run "$SIM" validate sc/baseline.cfg --set labour_market.end='"2019-06-01"' --set labour_market.series_step_months=6.0
checks "13: a series step longer than the horizon is refused" '[ "$rc" -eq 1 ] && has err "series_step_months: 6 months is longer than the horizon"'

clean
# ---- 10. caps on @include ------------------------------------------------------------
mkdir fan
for d in 0 1 2 3 4 5 6 7; do
  : > fan/l$d.cfg
  for k in 0 1 2 3 4 5 6 7 8 9; do
    if [ $d -lt 7 ]; then echo "@include \"l$((d + 1)).cfg\"" >> fan/l$d.cfg; else echo "# leaf" >> fan/l$d.cfg; fi
  done
done
cp mm1.cfg fan/top.cfg; echo '@include "l0.cfg"' >> fan/top.cfg
run timeout 20 "$SIM" validate fan/top.cfg
checks "10: 10 includes per level, 8 deep: exit 1 at once with the cap ($rc)" '[ "$rc" -eq 1 ] && has err "more than 1000 @include lines"'
awk 'BEGIN { s = sprintf("%1000s", ""); gsub(/ /, "c", s); for (i = 0; i < 15000; i++) print "# " s }' > big-comment.cfg
cp mm1.cfg big.cfg; for k in $(seq 1 60); do echo '@include "big-comment.cfg"' >> big.cfg; done
if [ "$NOVLIMIT" -eq 1 ]; then run timeout 60 "$SIM" validate big.cfg; else run sh -c "ulimit -v 1000000; exec timeout 60 \"$SIM\" validate big.cfg"; fi
checks "10: 60 includes of a 15 MB file: exit 1 with the size cap ($rc)" '[ "$rc" -eq 1 ] && has err "larger than 64 MiB after @include"'
# 60 MB of comments, then a bad key: under any memory limit the answer is the bad key
# or "out of memory" with exit 1: never lines dropped silently (exit 0), never
# libconfig's exit 2 (the usage-error code)
cp mm1.cfg big4.cfg; for k in 1 2 3 4; do echo '@include "big-comment.cfg"' >> big4.cfg; done; echo 'bogus_key = 1;' >> big4.cfg
case $BUILD in
  *asan*) skip "10: allocation failures while expanding and parsing (ulimit -v under ASan)" 5 ;;
  *)
    for v in 100000 120000 140000 160000 200000; do
      run sh -c "ulimit -v $v; exec timeout 60 \"$SIM\" validate big4.cfg"
      checks "10: 60 MB scenario under ulimit -v $v: exit 1 (got $rc), the bad key or out of memory" \
        '[ "$rc" -eq 1 ] && { has err "bogus_key: unknown key" || has err "^sim: out of memory while parsing\|out of memory while reading the scenario"; }'
    done ;;
esac

clean
# ---- 13. silent or late failures ---------------------------------------------------------
if is_root && tmpfs ro 1m && mount -o remount,ro "$T/ro" 2>/dev/null; then
  cp mm1.cfg ro-src.cfg
  run sh -c "cd ro && exec \"$SIM\" run -q $SMALL ../ro-src.cfg"
  checks "13: default output in an unwritable directory: exit 1 with a message" '[ "$rc" -eq 1 ] && has err "results: cannot create the default output directory"'
else
  skip "13: default output in an unwritable directory (needs root for a read-only tmpfs)"
fi
# (not QUIT: a non-interactive shell starts background jobs with SIGINT and SIGQUIT ignored)
# A signal the caller ignores (nohup make test: SIGHUP) stays ignored in sim, as designed
# (sim/io/out.c): that case is skipped, not counted as passed.
for sig in HUP USR1 ALRM XCPU; do
  if [ -n "$PY" ] && "$PY" -c "import signal, sys; sys.exit(signal.getsignal(signal.SIG$sig) != signal.SIG_IGN)" 2>/dev/null; then
    skip "13: SIG$sig: ignored by the caller (e.g. nohup), so sim keeps it ignored"
    continue
  fi
  rm -f sig.h5
  "$SIM" run -q -d series --set mm1.customers=1000000 -r 400 -o sig.h5 mm1.cfg >out 2>err &
  pid=$!
  i=0
  while [ $i -lt 100 ] && [ -z "$(ls -a | grep 'sig.h5.partial-')" ]; do sleep 0.05; i=$((i + 1)); done
  check "13: SIG$sig: the run had a partial file before the signal" [ -n "$(ls -a | grep 'sig.h5.partial-')" ]
  kill -"$sig" "$pid"; wait "$pid"
  checks "13: SIG$sig: the partial file is removed, with a message" 'no_partial && [ ! -e sig.h5 ] && has err "removed the unfinished output file"'
done
printf 'model = "mm1";\n/*\n@include "nonexistent.cfg"\n*/\n' > c13.cfg; grep -v '^model' mm1.cfg >> c13.cfg
run "$SIM" validate c13.cfg
check "13: @include inside a /* */ comment is not expanded" [ "$rc" -eq 0 ]
printf 'seed = 3; /* a comment\n @include "nonexistent.cfg" still inside */\n' > c13b.cfg; sed '/^seed/d' mm1.cfg >> c13b.cfg
run "$SIM" validate c13b.cfg
check "13: ... also when the comment opens on an earlier line after a setting" [ "$rc" -eq 0 ]
printf 'name = "/* not a comment";\n' > c13c.cfg
cat mm1.cfg >> c13c.cfg; echo '@include "nonexistent.cfg"' >> c13c.cfg
run "$SIM" validate c13c.cfg
checks "13: /* inside a string opens no comment (the include is expanded)" '[ "$rc" -eq 1 ] && has err "nonexistent.cfg"'
mkfifo scen.fifo
run timeout 10 "$SIM" run -q scen.fifo
checks "13: a FIFO as the scenario: exit 1 at once with a message ($rc)" '[ "$rc" -eq 1 ] && has err "Is a FIFO"'
run "$SIM" run -q --set 'mm1.customers=2000; seed=2' -o set.h5 mm1.cfg
checks "13: --set 'a=1; b=2' is refused" '[ "$rc" -eq 1 ] && has err "one key=value per --set" && [ ! -e set.h5 ]'
run "$SIM" run -q --set 'mm1.customers=2000' --set 'seed=2' -o set.h5 mm1.cfg
check "13: two --set options still work" [ "$rc" -eq 0 ]
"$SIM" validate big.cfg >out 2>err &
pid=$!; sleep 0.1
kill -INT "$pid" 2>/dev/null; wait "$pid"; rc=$?
if [ "$rc" -eq 130 ]; then
  checks "13: SIGINT during validate: interrupted, but no claim to remove an output file" 'has err "interrupted" && ! has err "removed the unfinished output file"'
else
  skip "13: SIGINT during validate (validate ended before the signal)"
fi

# ---- durability: a finished output is synced before it gets its name ---------------------
# (a crash of the machine after the rename must not leave an empty file under the final name)
if command -v strace >/dev/null 2>&1 && strace -f -o /dev/null true 2>/dev/null; then
  strace -f -y -e trace=fsync,rename,renameat,renameat2 -o trace "$SIM" run mm1.cfg -q $SMALL -o durable.h5 >out 2>err
  # (-y names each descriptor's file) the temporary file synced before its rename into
  # durable.h5, and a directory synced after it
  awk '/fsync\([0-9]+<[^>]*durable\.h5\.partial-[^>]*-[0-9]+>/ { f = 1 } /rename.*"durable\.h5"/ { if (f) r = 1 }
       /fsync\([0-9]+<[^>]*>/ && r && !/durable\.h5/ { a = 1 } END { exit !(r && a) }' trace
  checks "sim run: fsync of the file before its rename into place, fsync of the directory after" \
    '[ $? -eq 0 ] && [ -s durable.h5 ]' || sed 's/^/  trace: /' trace | tail -n 5
else
  skip "durability: fsync before rename (no strace, or ptrace not allowed here)"
fi

finish
