#!/bin/sh
# test_params_doc.sh: docs/parameters.md is what scripts/params-table.py makes of
# scenarios/base.cfg, and every numeric parameter in base.cfg names a source
# ("seed 00N", "external" or "assumption"). Also checks that the script's own
# --check and --lint modes catch what they are for. Needs only python3.
set -u
. "$(dirname "$0")/lib.sh"   # ROOT, BUILD, SIM; ok, no, check, checks, skip, die, finish
SCRIPT="$ROOT/scripts/params-table.py"
BASE="$ROOT/scenarios/base.cfg"
DOC="$ROOT/docs/parameters.md"

command -v python3 >/dev/null 2>&1 || die "no python3"
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT

# 1. The committed table is up to date with base.cfg.
if python3 "$SCRIPT" --check "$DOC" "$BASE" 2>"$T/check.err"; then
  ok "docs/parameters.md matches scenarios/base.cfg"
else
  cat "$T/check.err"; no "docs/parameters.md is stale (see the hint above)"
fi

# 2. Every numeric parameter of base.cfg names its source.
if python3 "$SCRIPT" --lint "$BASE" >"$T/lint.out" 2>&1; then
  ok "every numeric parameter in base.cfg has a source"
else
  cat "$T/lint.out"; no "base.cfg has numeric parameters without a source (listed above)"
fi

# 3. The output does not depend on the working directory or on how the path is spelt.
(cd "$T" && python3 "$SCRIPT" "$BASE" >"$T/a.md") && (cd "$ROOT" && python3 scripts/params-table.py >"$T/b.md") \
  && cmp -s "$T/a.md" "$T/b.md" && ok "same table from any directory" || no "table depends on the working directory"

# 4. --check catches a changed value and says how to regenerate.
sed 's/`1130.0`/`1131.0`/' "$T/a.md" >"$T/stale.md"
if python3 "$SCRIPT" --check "$T/stale.md" "$BASE" 2>"$T/stale.err"; then
  no "--check accepted a stale table"
elif grep -q 'regenerate: python3 scripts/params-table.py' "$T/stale.err"; then
  ok "--check rejects a stale table with a regenerate hint"
else
  no "--check gave no regenerate hint"
fi

# 5. --lint finds an unsourced number, inherits a blanket source from a comment
#    block, and ignores an unsourced group header over annotated members.
cat >"$T/lint.cfg" <<'EOF'
m = {
  # every value in this group: assumption
  a = 1.0;
  b = [1, 2];
};
n = {                  # described in seed 004 §4b
  c = 2.0;             # per month (assumption)
  d = 3.0;             # per month
};
EOF
python3 "$SCRIPT" --lint "$T/lint.cfg" >"$T/l.out" 2>/dev/null; rc=$?
if [ "$rc" -eq 1 ] && grep -q '^lint.cfg:8: no source for n.d = 3.0' "$T/l.out" && [ "$(wc -l <"$T/l.out")" -eq 1 ]; then
  ok "--lint flags exactly the unsourced line"
else
  cat "$T/l.out"; no "--lint output (exit $rc) is not the one unsourced line"
fi

# 6. The @include is noted, not expanded (no region rows in the table).
if grep -q '`labour_market.@include` | `"regions.cfg"`' "$T/a.md" && ! grep -q 'Groningen' "$T/a.md"; then
  ok "@include noted, not expanded"
else
  no "@include not noted, or regions.cfg expanded"
fi

finish
