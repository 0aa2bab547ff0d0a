#!/bin/sh
# run-all.sh: run every test program and script; print one summary line.
# Each tests/test_*.c program and tests/test_*.sh script ends with
# "N passed, M failed" or "N passed, M failed, K skipped". Skipped checks are
# counted on their own, never as passed. A test that exits non-zero or prints no
# summary line counts max(M, 1) failures (once).
#
# JOBS tests run at once (default: the number of processors; JOBS=1 runs them one
# after another). Every test works in its own temporary directory and picks free
# ports, so they do not share files. Each test's output is kept until it ends and then
# printed whole, with its time; the longest ones start first (SLOW_FIRST, measured on
# 2 cores) so that they do not end the run alone. The totals do not depend on JOBS.
set -u
BUILD=${BUILD:-build}
export BUILD

# The tests that take longest (most first); the rest follow in name order.
SLOW_FIRST="test_serve.sh test_analysis.sh test_sensitivity.sh test_corrupt_files.sh test_sweep.sh
test_bad_input.sh test_calibrate.sh test_valgrind.sh test_shuffle.sh test_scenarios.sh test_compare.sh
test_reliability.sh test_branch.sh test_headline.sh test_serve_browser.sh test_readme.sh"

# summary_of FILE: the test's summary line ("N passed, M failed[, K skipped]"), or nothing
summary_of() { grep -E '^[0-9]+ passed, [0-9]+ failed(, [0-9]+ skipped)?$' "$1" | tail -n 1; }

# One test (run by xargs): its output and "exit seconds" into $2/NAME.out and .rc,
# then one "ok" line, or its last 30 lines and a "FAIL" line, printed at once.
if [ "${1:-}" = "--one" ]; then
  t=$2 d=$3
  name=$(basename "$t")
  start=$(date +%s)
  sh -c "\"$t\"" >"$d/$name.out" 2>&1; rc=$?
  secs=$(($(date +%s) - start))
  echo "$rc $secs" >"$d/$name.rc"
  line=$(summary_of "$d/$name.out")
  if [ -z "$line" ] || [ "$rc" -ne 0 ]; then
    printf '%s\nFAIL %s (exit %s, %s s)\n' "$(tail -n 30 "$d/$name.out")" "$name" "$rc" "$secs"
  else
    printf 'ok   %s: %s (%s s)\n' "$name" "$line" "$secs"
  fi
  exit 0
fi

JOBS=${JOBS:-$(nproc 2>/dev/null || echo 1)}
case $JOBS in ''|*[!0-9]*|0*) echo "run-all.sh: JOBS=$JOBS (allowed: a whole number >= 1)"; exit 2 ;; esac
R=$(mktemp -d) || exit 1
trap 'rm -rf "$R"' EXIT
trap 'exit 130' INT   # interrupted: no totals (they would count the unfinished tests as failed)
trap 'exit 143' TERM

all=""
for t in "$BUILD"/tests/test_* tests/test_*.sh; do
  [ -e "$t" ] || continue
  case "$t" in *.d|*.o) continue ;; esac
  all="$all $t"
done
SLOW_FIRST=$(echo $SLOW_FIRST)   # one line, names separated by single spaces (the case below)
order=""
for s in $SLOW_FIRST; do
  for t in $all; do [ "$(basename "$t")" = "$s" ] && order="$order $t"; done
done
for t in $all; do
  case " $SLOW_FIRST " in *" $(basename "$t") "*) ;; *) order="$order $t" ;; esac
done

start=$(date +%s)
printf '%s\n' $order | xargs -P "$JOBS" -I{} sh "$0" --one {} "$R"

pass=0; fail=0; skip=0; broken=""
for t in $all; do
  name=$(basename "$t")
  rc=1; [ -s "$R/$name.rc" ] && read -r rc _ <"$R/$name.rc"
  line=""; [ -e "$R/$name.out" ] && line=$(summary_of "$R/$name.out")
  p=$(printf '%s' "$line" | sed -n 's/^\([0-9]*\) passed.*/\1/p')
  f=$(printf '%s' "$line" | sed -n 's/^[0-9]* passed, \([0-9]*\) failed.*/\1/p')
  s=$(printf '%s' "$line" | sed -n 's/.* \([0-9]*\) skipped$/\1/p')
  if [ -z "$line" ] || [ "$rc" -ne 0 ]; then
    broken="$broken $name"
    if [ "${f:-0}" -gt 0 ]; then fail=$((fail + f)); else fail=$((fail + 1)); fi
  fi
  pass=$((pass + ${p:-0})); skip=$((skip + ${s:-0}))
done
[ -n "$broken" ] && echo "failed:$broken"
echo "($(($(date +%s) - start)) s with JOBS=$JOBS)"
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
