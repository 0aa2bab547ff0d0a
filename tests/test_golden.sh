#!/bin/sh
# test_golden.sh: golden /summary checksums. A few scenarios at 1% scale (M/M/1 at
# 20000 customers) with fixed seeds, 2 replications on 2 threads; the SHA-256 of
# each /summary table's bytes must equal tests/golden/summary.sha256. The
# model-fact tests pass for many wrong models; these fail on any change of a
# single bit of any outcome, so a change to the model's results shows up here.
#
# After an intended change of results (a model change, a new outcome field):
#   tests/test_golden.sh --update      # rewrites tests/golden/summary.sha256
# and commit the new file with the change that explains it.
set -u
. "$(dirname "$0")/lib.sh"   # ROOT, BUILD, SIM; ok, no, check, checks, skip, die, finish
GOLDEN="$ROOT/tests/golden/summary.sha256"
UPDATE=0; [ "${1:-}" = "--update" ] && UPDATE=1
. "$ROOT/tests/pyfind.sh"
[ -x "$SIM" ] || die "no $SIM (run make all)"
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT

# name | scenario | options (seed fixed in each)
CASES='baseline|scenarios/baseline.cfg|-s 20190101 --set labour_market.scale=0.01
pow-incidental-covid|scenarios/pow-incidental-covid.cfg|-s 7 --set labour_market.scale=0.01
cooperation-high|scenarios/cooperation-high.cfg|-s 11 --set labour_market.scale=0.01
mm1|scenarios/mm1.cfg|-s 3 --set mm1.customers=20000'
NCASES=4

if [ -z "$PY" ]; then
  echo "skipped: no python3 with h5py and numpy"; echo "0 passed, 0 failed, $NCASES skipped"; exit 0
fi
: > "$T/new.sha256"
echo "$CASES" | while IFS='|' read -r name scen opts; do
  # shellcheck disable=SC2086
  if ! "$SIM" run "$ROOT/$scen" -q -r 2 -t 2 -d summary $opts -o "$T/$name.h5" 2>"$T/$name.err"; then
    echo "$name: run failed: $(head -n 1 "$T/$name.err")" >> "$T/new.sha256"; continue
  fi
  sum=$("$PY" -c 'import hashlib, sys, h5py
s = h5py.File(sys.argv[1], "r")["summary"][()]
print(hashlib.sha256(s.dtype.descr.__repr__().encode() + s.tobytes()).hexdigest())' "$T/$name.h5")
  echo "$name $sum" >> "$T/new.sha256"
done
if [ "$UPDATE" -eq 1 ]; then
  mkdir -p "$(dirname "$GOLDEN")"
  { echo "# SHA-256 of /summary (dtype + bytes) per case of tests/test_golden.sh; regenerate with --update"; cat "$T/new.sha256"; } > "$GOLDEN"
  echo "wrote $GOLDEN"; cat "$T/new.sha256"
fi
[ -f "$GOLDEN" ] || die "no $GOLDEN (tests/test_golden.sh --update writes it)"
for name in $(echo "$CASES" | cut -d'|' -f1); do
  want=$(sed -n "s/^$name //p" "$GOLDEN"); got=$(sed -n "s/^$name //p" "$T/new.sha256")
  if [ -n "$want" ] && [ "$want" = "$got" ]; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1))
    echo "FAIL: $name: /summary checksum ${got:-missing} differs from the golden ${want:-missing}"
    echo "      (an intended change of results? tests/test_golden.sh --update, and commit tests/golden/summary.sha256)"
  fi
done
finish
