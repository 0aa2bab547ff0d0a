#!/bin/sh
# test_bench.sh: bench/ab.sh, the alternating A/B timing of two builds, and bench/scaling.sh,
# the twice-the-country pairs (bench/RESULTS.md).
# At 2% scale, 2 rounds: a line per round with both builds' seconds and peak RSS, the
# medians and least times with their ratio, and the bitwise verdict on /summary, which
# must say "identical" for the same build and "DIFFERS" for a build whose results differ
# (here: the same binary with another seed); wrong calls are usage errors (exit 2).
set -u
. "$(dirname "$0")/lib.sh"   # ROOT, BUILD, SIM; ok, no, check, checks, skip, die, finish
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
AB="$ROOT/bench/ab.sh"
if ! command -v /usr/bin/time >/dev/null 2>&1 || ! command -v h5dump >/dev/null 2>&1; then
  echo "skip bench/ab.sh needs /usr/bin/time and h5dump (apt-get install time hdf5-tools)"
  echo "0 passed, 0 failed, 1 skipped"; exit 0
fi
"$AB" "$BUILD/sim" "$BUILD/sim" 2 -- --set labour_market.scale=0.02 >"$T/same" 2>"$T/err"
rc=$?
[ $rc -eq 0 ] && ok "ab.sh runs two builds alternately (exit 0)" || no "ab.sh failed ($rc): $(tail -n 1 "$T/err")"
n=$(grep -c '^round [12]: old [0-9.]* s ([0-9]* KB), new [0-9.]* s ([0-9]* KB)$' "$T/same")
[ "$n" -eq 2 ] && ok "a line per round: seconds and peak RSS of both" || no "round lines: $n (want 2)"
grep -q '^median user seconds: old [0-9.]*, new [0-9.]*, new/old [0-9.]*$' "$T/same" \
  && grep -q '^least user seconds:  old [0-9.]*, new [0-9.]*, new/old [0-9.]*$' "$T/same" \
  && ok "medians and least times with their ratio" || no "summary lines: $(tail -n 3 "$T/same")"
grep -qx '/summary: bitwise identical' "$T/same" && ok "the same build: /summary bitwise identical" \
  || no "the same build not reported identical: $(tail -n 1 "$T/same")"
printf '#!/bin/sh\nexec "%s" "$@" --seed 99\n' "$BUILD/sim" >"$T/other-seed"
chmod +x "$T/other-seed"
"$AB" "$BUILD/sim" "$T/other-seed" 1 -- --set labour_market.scale=0.02 >"$T/diff" 2>&1
grep -qx '/summary: DIFFERS' "$T/diff" && ok "another seed: /summary DIFFERS" \
  || no "a different result not reported: $(tail -n 1 "$T/diff")"
# Pinning (bench/pin.sh): every run on one CPU, the first allowed unless BENCH_CPU names
# another; BENCH_CPU= (empty) leaves the runs as free as the caller. A wrapper records the
# CPUs each run may use.
skipped=0
allowed=$(taskset -pc $$ 2>/dev/null | sed 's/.*: *//')
if command -v taskset >/dev/null 2>&1 && [ -n "$allowed" ] && [ "$allowed" != "${allowed%[-,]*}" ]; then
  printf '#!/bin/sh\ntaskset -pc $$ | sed "s/.*: *//" >>"%s"\nexec "%s" "$@"\n' "$T/aff" "$BUILD/sim" >"$T/spy"
  chmod +x "$T/spy"
  first=${allowed%%[-,]*}
  "$AB" "$T/spy" "$T/spy" 1 -- --set labour_market.scale=0.02 >/dev/null 2>&1
  [ "$(sort -u "$T/aff")" = "$first" ] && ok "runs pinned to the first allowed CPU ($first)" \
    || no "pinned runs may use: $(sort -u "$T/aff" | tr '\n' ' ') (want $first)"
  rm -f "$T/aff"
  BENCH_CPU= "$AB" "$T/spy" "$T/spy" 1 -- --set labour_market.scale=0.02 >/dev/null 2>&1
  [ "$(sort -u "$T/aff")" = "$allowed" ] && ok "BENCH_CPU= (empty): not pinned ($allowed)" \
    || no "unpinned runs may use: $(sort -u "$T/aff" | tr '\n' ' ') (want $allowed)"
else
  echo "skip pinning needs taskset and more than one allowed CPU (allowed: ${allowed:-unknown})"
  skipped=2
fi
# bench/scaling.sh: pairs at scale S and 2S (tiny here), a line per pair, the medians, and the
# median pair ratio with its interval once there are 6 pairs; a bad pair count is a usage error.
SCALE=0.02 SIM="$BUILD/sim" "$ROOT/bench/scaling.sh" 6 >"$T/scale" 2>"$T/err"
rc=$?
[ $rc -eq 0 ] && [ "$(grep -c '^pair [1-6]: scale 0.02 [0-9.]* s, scale 0.04 [0-9.]* s, ratio [0-9.]*$' "$T/scale")" -eq 6 ] \
  && ok "scaling.sh: a line per pair at scale 0.02 and 0.04" || no "scaling.sh ($rc): $(head -n 2 "$T/scale") $(tail -n 1 "$T/err")"
grep -q '^median user seconds: scale 0.02 [0-9.]*, scale 0.04 [0-9.]*: ' "$T/scale" \
  && grep -q '^ratio per pair: median [0-9.]*x over 6 pairs, 95% interval [0-9.]*x to [0-9.]*x; target 2.1x or less$' "$T/scale" \
  && ok "scaling.sh: medians, and the median pair ratio with its interval" || no "scaling.sh summary: $(tail -n 2 "$T/scale")"
SIM="$BUILD/sim" "$ROOT/bench/scaling.sh" x >"$T/out" 2>&1
[ $? -eq 2 ] && grep -q '^usage: bench/scaling.sh' "$T/out" && ok "scaling.sh: a bad pair count is a usage error" \
  || no "scaling.sh x: $(cat "$T/out")"
"$AB" "$BUILD/sim" >"$T/out" 2>&1
[ $? -eq 2 ] && grep -q '^usage: bench/ab.sh' "$T/out" && ok "one build only: usage, exit 2" || no "one build: no usage error"
"$AB" "$BUILD/sim" "$T/nothing" 1 >"$T/out" 2>&1
[ $? -eq 2 ] && grep -q 'not an executable' "$T/out" && ok "a missing build: named, exit 2" || no "missing build: $(cat "$T/out")"
finish
