#!/bin/sh
# test_install.sh: `make install PREFIX=...` into a temporary prefix lays out the
# binary, the Python analysis package (with its report template), the help2man man
# page and bash completion; the installed sim runs a scenario (from another
# directory), writes a report with the installed package (`python3 -m
# analysis.report`, not an analysis/ in the working directory), the installed
# package runs with its directory on PYTHONPATH, and `make uninstall` removes every
# installed file (and Python's bytecode cache). `make clean` never deletes results/
# (issue 16).
set -u
. "$(dirname "$0")/lib.sh"   # ROOT, BUILD, SIM; ok, no, check, checks, skip, die, finish
[ -x "$ROOT/$BUILD/sim" ] || [ -x "$BUILD/sim" ] || die "no $BUILD/sim (run make all)"
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
# make install works on a copy of the build tree: were the commit to change while the suite
# runs, its make would rebuild the version header and relink a sim that other tests are running
case $BUILD in /*) src=$BUILD ;; *) src=$ROOT/$BUILD ;; esac
B="$T/build"
cp -a "$src" "$B" || die "cannot copy $src"
P="$T/prefix"   # (make cannot quote a PREFIX with spaces)

if ! command -v help2man >/dev/null 2>&1; then
  skip "help2man not installed (apt-get install help2man): make install not tested"
  finish
fi
make -s -C "$ROOT" --no-print-directory BUILD="$B" install PREFIX="$P" >"$T/make.out" 2>&1
checks "make install PREFIX=...: exit 0" '[ $? -eq 0 ]' || cat "$T/make.out"
for f in bin/sim share/man/man1/sim.1 share/bash-completion/completions/sim \
         share/bijstand-sim/analysis/__init__.py share/bijstand-sim/analysis/report.py \
         share/bijstand-sim/analysis/survival.py share/bijstand-sim/analysis/counterfactual.py \
         share/bijstand-sim/analysis/charts.py share/bijstand-sim/analysis/verdict.py \
         share/bijstand-sim/analysis/templates/report.html.j2; do
  checks "installed $f" "[ -s \"\$P/$f\" ]"
done
checks "the man page is help2man's, with every command's options" \
  'grep -q "^\.TH SIM" "$P/share/man/man1/sim.1" && grep -q "help2man" "$P/share/man/man1/sim.1" && grep -q "dry\\\\-run" "$P/share/man/man1/sim.1"'
checks "bash completion defines _sim for sim" \
  'bash -c ". \"\$0\"; complete -p sim" "$P/share/bash-completion/completions/sim" 2>/dev/null | grep -q "_sim"'

# the installed binary runs a scenario from another directory
mkdir "$T/work" && cd "$T/work" || exit 1
"$P/bin/sim" run "$ROOT/scenarios/mm1.cfg" --scale 0.01 -r 2 -q -d events -o mm1.h5 2>err
checks "installed sim runs a scenario (M/M/1, --scale 0.01)" '[ $? -eq 0 ] && [ -s mm1.h5 ]'
"$P/bin/sim" run "$ROOT/scenarios/baseline.cfg" --scale 0.005 -r 2 -q -d events -o base.h5 2>err
checks "installed sim runs the labour-market baseline (--scale 0.005)" '[ $? -eq 0 ] && [ -s base.h5 ]'
"$P/bin/sim" run "$ROOT/scenarios/pow-incidental.cfg" --scale 0.005 -r 2 -q -d events -o pow.h5 2>err
checks "installed sim runs a policy scenario (--scale 0.005)" '[ $? -eq 0 ] && [ -s pow.h5 ]'
"$P/bin/sim" info base.h5 >out 2>err
checks "installed sim info reads it" '[ $? -eq 0 ] && grep -q "labour_market" out'
"$P/bin/sim" report base.h5 pow.h5 >out 2>err; rc=$?
checks "installed sim report finds the installed package (its usage error, not 'cannot read')" \
  '[ $rc -eq 2 ] && ! grep -q "cannot read" err && grep -q "required: -o" err'
. "$ROOT/tests/pyfind.sh"
if [ -n "$PY" ] && "$PY" -c 'import matplotlib, scipy, statsmodels, jinja2' 2>/dev/null; then
  # a decoy analysis/ here: python3 -m would find it first without PYTHONSAFEPATH (3.11+)
  mkdir analysis && echo 'raise SystemExit("the decoy analysis/ in the working directory ran")' >analysis/report.py
  : >analysis/__init__.py
  # with bytecode written, as by default: make uninstall must remove analysis/__pycache__ too
  env -u PYTHONDONTWRITEBYTECODE "$P/bin/sim" report base.h5 pow.h5 -o report.html >out 2>err; rc=$?
  if "$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    checks "installed sim report writes a report with the installed package and template, not a decoy analysis/ here" \
      '[ $rc -eq 0 ] && grep -q "<h2>Verdict</h2>" report.html && ! grep -q decoy err' || sed 's/^/  /' err
  else
    skip "$PY is older than 3.11 (no PYTHONSAFEPATH): the decoy check"
    checks "installed sim report writes a report" '[ $rc -eq 0 ] || grep -q decoy err'
  fi
  rm -r analysis
  PYTHONPATH="$P/share/bijstand-sim" "$PY" -m analysis.survival base.h5 >out 2>err
  checks "the installed package runs with PYTHONPATH=PREFIX/share/bijstand-sim (python3 -m analysis.survival)" \
    '[ $? -eq 0 ] && grep -q "Kaplan-Meier" out'
else
  skip "no python3 with h5py, numpy, matplotlib, scipy, statsmodels and jinja2: the installed report not run"
fi
"$P/bin/sim" --version >out 2>&1
checks "installed sim --version" 'grep -q "^sim " out'

make -s -C "$ROOT" --no-print-directory BUILD="$B" uninstall PREFIX="$P" >"$T/make.out" 2>&1
checks "make uninstall: exit 0, no file left under the prefix" '[ $? -eq 0 ] && [ -z "$(find "$P" -type f)" ]'

# make clean keeps results/ (dry run: nothing is deleted here)
make -s -n -C "$ROOT" clean >"$T/clean.out" 2>&1
checks "make clean never deletes results/" '[ -s "$T/clean.out" ] && ! grep -qw results "$T/clean.out"'

finish
