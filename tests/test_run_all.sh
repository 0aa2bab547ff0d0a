#!/bin/sh
# test_run_all.sh: tests/run-all.sh itself, on a directory of made-up tests: the totals
# are the sum of the tests' own summary lines whatever JOBS is; a skipped check is
# counted as skipped, never as passed; a test that fails, exits non-zero or prints no
# summary line is a failure (max(M, 1), once) and is named; every test runs exactly once,
# the listed slow ones first; a bad JOBS is a usage error.
set -u
. "$(dirname "$0")/lib.sh"   # ROOT, BUILD, SIM; ok, no, check, checks, skip, die, finish
no() { fail=$((fail + 1)); echo "FAIL: $1"; sed 's/^/  /' "$T/out" | tail -n 8; }
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
mkdir -p "$T/p/tests" "$T/p/b/tests"
# fake NAME BODY: a test script that also notes that it ran (in $T/ran)
fake() { printf '#!/bin/sh\necho %s >>"%s/ran"\n%s\n' "$1" "$T" "$2" >"$T/p/tests/$1"; chmod +x "$T/p/tests/$1"; }
fake test_a.sh 'echo "3 passed, 0 failed"'
fake test_b.sh 'echo "ok thing"; echo "2 passed, 0 failed, 4 skipped"'
fake test_c.sh 'echo "5 passed, 2 failed"; exit 1'
fake test_d.sh 'echo "no summary here"'
fake test_e.sh 'echo "1 passed, 0 failed"; exit 3'
fake test_serve.sh 'echo "7 passed, 0 failed"'
fake test_bad_input.sh 'echo "6 passed, 0 failed"'   # on a later line of SLOW_FIRST
printf '#!/bin/sh\necho test_prog >>"%s/ran"\necho "10 passed, 0 failed"\n' "$T" >"$T/p/b/tests/test_prog"
chmod +x "$T/p/b/tests/test_prog"
for jobs in 1 3; do
  rm -f "$T/ran"
  (cd "$T/p" && BUILD=b JOBS=$jobs sh "$ROOT/tests/run-all.sh") >"$T/out" 2>&1; rc=$?
  # a: 3; b: 2 + 4 skipped; c: 5 + 2 failed; d: 1 failed; e: 1 + 1 failed; serve: 7; bad_input: 6; prog: 10
  checks "JOBS=$jobs: totals 34 passed, 4 failed, 4 skipped; exit 1" \
    '[ "$rc" -eq 1 ] && [ "$(tail -n 1 "$T/out")" = "34 passed, 4 failed, 4 skipped" ]'
  checks "JOBS=$jobs: the failing tests named, in name order" \
    'grep -qx "failed: test_c.sh test_d.sh test_e.sh" "$T/out" && grep -q "^FAIL test_e.sh (exit 3, " "$T/out"'
  checks "JOBS=$jobs: every test ran once" '[ "$(sort "$T/ran" | uniq -c | awk "\$1 == 1" | wc -l)" -eq 8 ] && [ "$(wc -l <"$T/ran")" -eq 8 ]'
  [ "$jobs" -eq 1 ] && checks "JOBS=1: a slow one (test_serve.sh) first" '[ "$(head -n 1 "$T/ran")" = test_serve.sh ]'
done
rm -f "$T/p/tests/test_c.sh" "$T/p/tests/test_d.sh" "$T/p/tests/test_e.sh"
(cd "$T/p" && BUILD=b JOBS=2 sh "$ROOT/tests/run-all.sh") >"$T/out" 2>&1; rc=$?
checks "all passing: exit 0, no 'failed:' line" '[ "$rc" -eq 0 ] && [ "$(tail -n 1 "$T/out")" = "28 passed, 0 failed, 4 skipped" ] && ! grep -q "^failed:" "$T/out"'
for j in 0 00 two; do
  (cd "$T/p" && BUILD=b JOBS=$j sh "$ROOT/tests/run-all.sh") >"$T/out" 2>&1; rc=$?
  checks "JOBS=$j: exit 2, allowed values named" '[ "$rc" -eq 2 ] && grep -q "JOBS=$j (allowed: a whole number >= 1)" "$T/out"'
done
# stopped (SIGTERM; a background job here ignores SIGINT, which gets the same treatment; the
# shell acts on it when the test it waits for ends): exit 143 and no totals line, which would
# count the unfinished tests as failed
fake test_slow.sh 'sleep 2; echo "1 passed, 0 failed"'
(cd "$T/p" && BUILD=b JOBS=1 exec sh "$ROOT/tests/run-all.sh") >"$T/out" 2>&1 &
pid=$!
i=0; while [ $i -lt 100 ] && ! grep -q test_slow "$T/ran" 2>/dev/null; do sleep 0.05; i=$((i + 1)); done
kill -TERM $pid; wait $pid; rc=$?
checks "SIGTERM: exit 143, no totals printed" '[ "$rc" -eq 143 ] && ! grep -Eq "^[0-9]+ passed, [0-9]+ failed" "$T/out"'
finish
