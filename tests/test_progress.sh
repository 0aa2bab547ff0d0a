#!/bin/sh
# test_progress.sh: progress within a replication (issue 16). With --progress (or
# on a terminal) `sim run` prints, every few seconds, the replication, the simulated
# date and the share done; without it and off a terminal, or with -q, it does not;
# the output file is bit-for-bit the same with and without progress.
# SIM_PROGRESS_SECONDS=0.02 shortens the interval so that a small run prints lines.
set -u
. "$(dirname "$0")/lib.sh"   # ROOT, BUILD, SIM; ok, no, check, checks, skip, die, finish
. "$ROOT/tests/pyfind.sh"
[ -x "$SIM" ] || die "no $SIM (run make all)"
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 1
S="$ROOT/scenarios/baseline.cfg"
RUN="-r 2 -t 2 --scale 0.1 -d series"   # long enough for several lines at 0.02 s even on an idle machine

SIM_PROGRESS_SECONDS=0.02 "$SIM" run "$S" $RUN --progress -o p.h5 >out 2>err
checks "--progress: exit 0" '[ $? -eq 0 ]'
LINE='^sim: replication [12]/2 at [0-9]\{4\}-[0-9][0-9]-[0-9][0-9]\( (burn-in)\)\? ([0-9]*% of it), [0-9]*% of the run, [0-9.]* s$'
checks "--progress off a terminal: plain lines 'sim: replication R/N at DATE (P% of it), Q% of the run, T s'" \
  '[ $(grep -c "$LINE" err) -ge 3 ]'
checks "progress lines show burn-in dates and dates of the horizon (2019-2028)" \
  'grep -q "(burn-in)" err && grep "$LINE" err | grep -v burn-in | grep -q " at 20[12][0-9]-"'
checks "every stderr line is a progress line or a replications-done line" \
  '! grep -v -e "$LINE" -e "^sim: [12]/2 replications done" err | grep -q .'
SIM_PROGRESS_SECONDS=0.02 "$SIM" run "$S" $RUN -o n.h5 >out 2>err
checks "without --progress and off a terminal: no progress lines within replications" \
  '[ $? -eq 0 ] && ! grep -q "of the run" err'
SIM_PROGRESS_SECONDS=0.02 "$SIM" run "$S" $RUN --progress -q -o q.h5 >out 2>err
checks "-q wins over --progress: nothing on stderr" '[ $? -eq 0 ] && [ ! -s err ]'
if [ -n "$PY" ]; then
  "$PY" - p.h5 q.h5 <<'PYEOF' >same.out 2>&1
import sys, h5py, numpy as np
a, b = h5py.File(sys.argv[1], "r"), h5py.File(sys.argv[2], "r")
same = a["summary"][()].tobytes() == b["summary"][()].tobytes()
same &= all(np.array_equal(a["series"][k][()], b["series"][k][()]) for k in a["series"])
print("same" if same else "differ")
PYEOF
  checks "the file is the same with and without progress (/summary and /series bit for bit)" 'grep -q "^same$" same.out'
else
  skipped=$((skipped + 1)); echo "skip: no python3 with h5py"
fi
finish
