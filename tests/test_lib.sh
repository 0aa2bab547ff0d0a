#!/bin/sh
# test_lib.sh: tests/lib.sh, the harness every test script sources: what each helper
# counts and prints, the exit status of finish and die, and BUILD resolved against the
# repository wherever a script runs from. Each case is a small script written into a
# mktemp -d copy of tests/ and run in its own shell, so its counts are not these.
set -u
. "$(dirname "$0")/lib.sh"   # ROOT, BUILD, SIM; ok, no, check, checks, skip, die, finish
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
mkdir -p "$T/tests" "$T/elsewhere"
cp "$ROOT/tests/lib.sh" "$T/tests/"
# case NAME BODY: run a script that sources the harness and then does BODY, from
# $T/elsewhere with BUILD unset; its output goes to $T/NAME.out and its status to $rc
case_() {
  printf '#!/bin/sh\nset -u\n. "$(dirname "$0")/lib.sh"\n%s\n' "$2" >"$T/tests/$1.sh"
  (cd "$T/elsewhere" && unset BUILD && sh "$T/tests/$1.sh") >"$T/$1.out" 2>&1
  rc=$?
}
last() { tail -n 1 "$T/$1.out"; }

case_ counts 'ok; ok named; no "a failure"; check "true passes" true; check "false fails" false
checks "an expression" "[ 1 -eq 1 ]"; checks "a false one" "[ 1 -eq 2 ]"; skip "not here"; skip "three not here" 3
finish'
checks "ok, check and checks count passes; no, a failed check and checks count failures" \
  '[ "$(last counts)" = "4 passed, 3 failed, 4 skipped" ]'
checks "finish exits 1 when a check failed" '[ "$rc" -eq 1 ]'
checks "a failure prints FAIL: and its description; a named ok prints it" \
  'grep -qx "FAIL: a failure" "$T/counts.out" && grep -qx "FAIL: false fails" "$T/counts.out" && grep -qx "ok   named" "$T/counts.out"'
checks "a skip prints its description and counts as skipped, never as passed" \
  'grep -qx "skip: three not here" "$T/counts.out" && ! grep -q "^ok   three" "$T/counts.out"'

case_ clean 'ok; check "passes" true; finish'
checks "finish exits 0 when nothing failed, and prints the skipped count (0)" \
  '[ "$rc" -eq 0 ] && [ "$(last clean)" = "2 passed, 0 failed, 0 skipped" ]'

case_ dies 'ok; die "no such tool"; ok'
checks "die counts its failure, prints the summary and exits 1 at once" \
  '[ "$rc" -eq 1 ] && grep -qx "FAIL: no such tool" "$T/dies.out" && [ "$(last dies)" = "1 passed, 1 failed, 0 skipped" ]'

case_ paths 'echo "ROOT=$ROOT"; echo "BUILD=$BUILD"; echo "SIM=$SIM"; finish'
checks "ROOT is the folder above tests/, BUILD its build/ (not the working directory's), SIM in it" \
  'grep -qx "ROOT=$T" "$T/paths.out" && grep -qx "BUILD=$T/build" "$T/paths.out" && grep -qx "SIM=$T/build/sim" "$T/paths.out"'
printf '#!/bin/sh\n. "$(dirname "$0")/lib.sh"\necho "BUILD=$BUILD"\n' >"$T/tests/rel.sh"
(cd "$T/elsewhere" && BUILD=b2 sh "$T/tests/rel.sh") >"$T/rel.out" 2>&1
(cd "$T/elsewhere" && BUILD=/abs/b3 sh "$T/tests/rel.sh") >>"$T/rel.out" 2>&1
checks "a relative BUILD is the repository's, an absolute one is kept" \
  '[ "$(cat "$T/rel.out")" = "BUILD=$T/b2
BUILD=/abs/b3" ]'

case_ stderr 'printf "line 1\nline 2\n" >err; no "with err"; finish'
checks "no prints the first lines of ./err (the command under test's stderr)" \
  'grep -qx "  stderr: line 1" "$T/stderr.out"'
finish
