#!/bin/sh
# run-all.sh: run every test program and script; print one summary line.
# Each tests/test_*.c program and tests/test_*.sh script ends with
# "N passed, M failed" or "N passed, M failed, K skipped". Skipped checks are
# counted on their own, never as passed. A test that exits non-zero or prints no
# summary line counts max(M, 1) failures (once).
set -u
BUILD=${BUILD:-build}
export BUILD
pass=0; fail=0; skip=0; broken=""
for t in "$BUILD"/tests/test_* tests/test_*.sh; do
  [ -e "$t" ] || continue
  case "$t" in *.d|*.o) continue ;; esac
  name=$(basename "$t")
  out=$(sh -c "\"$t\"" 2>&1); rc=$?
  line=$(printf '%s\n' "$out" | grep -E '^[0-9]+ passed, [0-9]+ failed(, [0-9]+ skipped)?$' | tail -n 1)
  p=$(printf '%s' "$line" | sed -n 's/^\([0-9]*\) passed.*/\1/p')
  f=$(printf '%s' "$line" | sed -n 's/^[0-9]* passed, \([0-9]*\) failed.*/\1/p')
  s=$(printf '%s' "$line" | sed -n 's/.* \([0-9]*\) skipped$/\1/p')
  if [ -z "$line" ] || [ "$rc" -ne 0 ]; then
    printf '%s\n' "$out" | tail -n 30
    echo "FAIL $name (exit $rc)"
    broken="$broken $name"
    if [ "${f:-0}" -gt 0 ]; then fail=$((fail + f)); else fail=$((fail + 1)); fi
  else
    echo "ok   $name: $line"
  fi
  pass=$((pass + ${p:-0})); skip=$((skip + ${s:-0}))
done
[ -n "$broken" ] && echo "failed:$broken"
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
