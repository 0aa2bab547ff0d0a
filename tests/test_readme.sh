#!/bin/sh
# test_readme.sh: the example commands of README.md and analysis/README.md run as
# written, at a tiny scale (tests/readme_commands.py extracts them and adds
# --scale 0.01 -r 2), in document order, in an empty directory with scenarios/,
# analysis/ and build/sim linked in: each must exit as documented (issue 16). A
# README example that stops working fails here.
set -u
. "$(dirname "$0")/lib.sh"   # ROOT, BUILD, SIM; ok, no, check, checks, skip, die, finish
. "$ROOT/tests/pyfind.sh"
[ -x "$BUILD/sim" ] || die "no $BUILD/sim (run make all)"
[ -n "$PY" ] || die "no python3 with h5py"
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
"$PY" "$ROOT/tests/readme_commands.py" "$ROOT/README.md" "$ROOT/analysis/README.md" >"$T/commands" \
  || die "cannot extract the commands"
n=$(wc -l <"$T/commands")
mkdir "$T/wd" "$T/wd/build" && cd "$T/wd" || exit 1
ln -s "$ROOT/scenarios" scenarios && ln -s "$ROOT/analysis" analysis && ln -s "$BUILD/sim" build/sim
export MPLCONFIGDIR="$T/mpl" PYTHONDONTWRITEBYTECODE=1
TAB=$(printf '\t')
while IFS="$TAB" read -r want cmd; do
  if [ "$want" = SKIP ]; then skipped=$((skipped + 1)); echo "skip: $cmd"; continue; fi
  sh -c "$cmd" >"$T/out" 2>"$T/err" </dev/null; rc=$?
  case "|$want|" in
    *"|$rc|"*) pass=$((pass + 1)) ;;
    *) fail=$((fail + 1)); echo "FAIL (exit $rc, want $want): $cmd"; tail -n 3 "$T/err" | sed 's/^/  /' ;;
  esac
done <"$T/commands"
# the extraction itself: the examples of both files are there
if [ "$n" -ge 25 ] && grep -q "build/sim report" "$T/commands" && grep -q "python3 -m analysis.survival" "$T/commands"; then
  pass=$((pass + 1))
else
  fail=$((fail + 1)); echo "FAIL: only $n example commands found in README.md and analysis/README.md"
fi
# the compare excerpt's numbers: README's two runs at --scale 0.05 -r 6 must print its rows verbatim
"$BUILD/sim" run scenarios/base.cfg -q -o ex-base.h5 --scale 0.05 -r 6 2>/dev/null \
  && "$BUILD/sim" run scenarios/base.cfg -q -o ex-alt.h5 --set labour_market.aftercare.places_per_1000=0.0 \
       --scale 0.05 -r 6 2>/dev/null \
  && "$BUILD/sim" compare ex-base.h5 ex-alt.h5 >"$T/cmp" 2>/dev/null
awk '/the table begins \(excerpt\):/ { on = 1 } on && /^```$/ { if (++f == 2) exit; next } on && f == 1' "$ROOT/README.md" \
  | grep -E '^(placements|durable_placements|durable_share|cost_aftercare) ' >"$T/excerpt"
missing=$(grep -cvxF -f "$T/cmp" "$T/excerpt")
if [ -s "$T/excerpt" ] && [ "$(wc -l <"$T/excerpt")" -eq 4 ] && [ "$missing" -eq 0 ]; then
  pass=$((pass + 1))
else
  fail=$((fail + 1)); echo "FAIL: README's sim compare excerpt is not what the commands print now ($missing of 4 rows differ):"
  grep -vxF -f "$T/cmp" "$T/excerpt" | sed 's/^/  README: /'
fi
# the report's sentence the README quotes: pow-incidental against the baseline at 5% of the population, 20
# replications (an evaluator found the quoted one no longer printed)
said=$(sed -n 's/.*(such as "\(Durable placements rise by [^"]*\)": pow-incidental against the baseline at 5% of the population, 20 replications).*/\1/p' "$ROOT/README.md")
"$BUILD/sim" run scenarios/baseline.cfg scenarios/pow-incidental.cfg -q --scale 0.05 -r 20 -d summary --output-dir ex20 2>/dev/null \
  && "$BUILD/sim" report ex20/baseline.h5 ex20/pow-incidental.h5 -o ex20.html >/dev/null 2>&1
if [ -n "$said" ] && grep -qF "$said" ex20.html; then
  pass=$((pass + 1))
else
  fail=$((fail + 1)); echo "FAIL: README's quoted report sentence (${said:-not found}) is not what sim report writes now:"
  grep -o "Durable placements [^<]*" ex20.html 2>/dev/null | head -n 1 | sed 's/^/  now: /'
fi
finish
