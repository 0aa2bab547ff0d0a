#!/bin/sh
# run-all.sh: run every test program and script; print one summary line.
# Each tests/test_*.c program and tests/test_*.sh script ends with "N passed, M failed".
set -u
BUILD=${BUILD:-build}
export BUILD
pass=0; fail=0; broken=""
for t in "$BUILD"/tests/test_* tests/test_*.sh; do
  [ -e "$t" ] || continue
  case "$t" in *.d|*.o) continue ;; esac
  name=$(basename "$t")
  out=$(sh -c "\"$t\"" 2>&1); rc=$?
  line=$(printf '%s\n' "$out" | grep -E '^[0-9]+ passed, [0-9]+ failed' | tail -n 1)
  p=$(printf '%s' "$line" | sed -n 's/^\([0-9]*\) passed.*/\1/p')
  f=$(printf '%s' "$line" | sed -n 's/.* \([0-9]*\) failed.*/\1/p')
  if [ -z "$line" ] || [ "$rc" -ne 0 ]; then
    printf '%s\n' "$out" | tail -n 30
    echo "FAIL $name (exit $rc)"
    broken="$broken $name"; fail=$((fail + ${f:-1}))
    [ "${f:-0}" -eq 0 ] && fail=$((fail + 1))
  else
    echo "ok   $name: $line"
  fi
  pass=$((pass + ${p:-0}))
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
