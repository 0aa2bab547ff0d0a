#!/bin/sh
# test_model_facts.sh: stylised facts of the labour-market baseline (issue 4 §7) on
# a 5% population, 4 seeded replications, plus a paired run without aftercare.
set -u
. "$(dirname "$0")/lib.sh"   # ROOT, BUILD, SIM; ok, no, check, checks, skip, die, finish
. "$ROOT/tests/pyfind.sh"
[ -n "$PY" ] || die "no python3 with h5py"
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
small="--set labour_market.scale=0.05 -r 4 -q"
"$BUILD/sim" run "$ROOT/scenarios/base.cfg" $small -o "$T/base.h5" || die "base run"
"$BUILD/sim" run "$ROOT/scenarios/base.cfg" $small --set labour_market.aftercare.places_per_1000=0.0 \
  -o "$T/noac.h5" || die "no-aftercare run"
"$PY" "$ROOT/tests/model_facts.py" "$T/base.h5" "$T/noac.h5"
