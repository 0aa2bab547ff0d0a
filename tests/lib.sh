# tests/lib.sh: what every test script shares. A script sources it first:
#     . "$(dirname "$0")/lib.sh"
# and ends with `finish`. It sets
#   ROOT   the repository (the folder above tests/);
#   BUILD  the build folder, absolute (BUILD from the environment, default build; a
#          relative one is the repository's, wherever the script runs from);
#   SIM    $BUILD/sim;
# and counts checks:
#   ok [WHAT]                one check passed (printed as "ok   WHAT" when named);
#   no WHAT                  one check failed: prints "FAIL: WHAT" (and the first lines of
#                            ./err, the convention for the command under test's stderr);
#   check WHAT CMD [ARG...]  runs the command: ok if it succeeds, else no WHAT;
#   checks WHAT 'EXPR'       evaluates a shell expression: ok if true, else no WHAT;
#   skip WHAT [N]            a check (or N checks) that cannot run here: counted as
#                            skipped, never as passed;
#   die WHAT                 a precondition failed: prints FAIL: WHAT and the summary
#                            with this failure counted, and exits 1;
#   finish                   prints "N passed, M failed, K skipped" (the line
#                            tests/run-all.sh reads) and exits 0 only if nothing failed.
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD="$ROOT/$BUILD" ;; esac
SIM="$BUILD/sim"
pass=0; fail=0; skipped=0
ok() { pass=$((pass + 1)); if [ $# -gt 0 ]; then echo "ok   $*"; fi; }
no() { fail=$((fail + 1)); echo "FAIL: $*"; if [ -s err ]; then sed 's/^/  stderr: /' err | head -n 5; fi; }
check() { d=$1; shift; if "$@"; then ok; else no "$d"; fi; }
checks() { if eval "$2"; then ok; else no "$1"; fi; }
skip() { skipped=$((skipped + ${2:-1})); echo "skip: $1"; }
summary() { echo "$pass passed, $fail failed, $skipped skipped"; }
die() { fail=$((fail + 1)); echo "FAIL: $*"; summary; exit 1; }
finish() { summary; [ "$fail" -eq 0 ] && exit 0; exit 1; }
