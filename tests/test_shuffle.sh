#!/bin/sh
# test_shuffle.sh: determinism stress. build-shuffle/sim is the same code with
# equal-time events processed in a scrambled order (make shuffle); every scenario
# of the library must give the same /summary, /series and /events as the normal
# build, i.e. no result hinges on the accidental order of simultaneous events.
# Also: every library scenario gives identical results on 1 and 2 threads.
set -u
. "$(dirname "$0")/lib.sh"   # ROOT, BUILD, SIM; ok, no, check, checks, skip, die, finish
SHUF="$ROOT/build-shuffle/sim"
. "$ROOT/tests/pyfind.sh"
check() { d=$1; shift; if "$@" >/dev/null; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $d"; fi; }
[ -x "$SHUF" ] || die "$SHUF missing (make shuffle)"
[ -n "$PY" ] || die "no python3 with h5py"
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
opts="-q -r 2 -d events --sample 0.3"
check "mm1 shuffled ties" sh -c "'$BUILD/sim' run '$ROOT/scenarios/mm1.cfg' $opts --set mm1.customers=20000 -o '$T/a.h5' && '$SHUF' run '$ROOT/scenarios/mm1.cfg' $opts --set mm1.customers=20000 -o '$T/b.h5' && '$PY' '$ROOT/tests/same_data.py' '$T/a.h5' '$T/b.h5'"
for s in baseline covid pow-incidental pow-structural pow-incidental-covid pow-structural-covid cooperation-high cooperation-low; do
  f="$ROOT/scenarios/$s.cfg"; small="$opts --set labour_market.scale=0.02"
  "$BUILD/sim" run "$f" $small -t 1 -o "$T/n1.h5" && "$BUILD/sim" run "$f" $small -t 2 -o "$T/n2.h5" \
    && "$SHUF" run "$f" $small -t 2 -o "$T/s2.h5" || { fail=$((fail + 1)); echo "FAIL: run $s"; continue; }
  check "$s: shuffled ties give the same results" "$PY" "$ROOT/tests/same_data.py" "$T/n1.h5" "$T/s2.h5"
  check "$s: 1 and 2 threads give the same results" "$PY" "$ROOT/tests/same_data.py" "$T/n1.h5" "$T/n2.h5"
done
finish
