#!/bin/sh
# test_prefetch.sh: the prefetch hints survive compilation. They are worth about a fifth of
# the national run's time (bench/RESULTS.md, session 26), and a compiler may drop them
# without a word: GCC 12 at -O2 deleted the calls of a helper that did nothing but three
# __builtin_prefetch, so SIM_PREFETCH (sim/core/common.h) pins each with an empty volatile asm.
#   1. a helper with three SIM_PREFETCH, compiled at -O2, keeps all three;
#   2. the built model's engine hint (event_touch) loads both lines of a person record;
#   3. the event queue's and the index sets' objects keep their prefetch.
# Checks 2-3 read the objects with objdump and look for x86-64 prefetch instructions; where
# either is missing they are skipped, and counted as skipped.
set -u
. "$(dirname "$0")/lib.sh"   # ROOT, BUILD, SIM; ok, no, check, checks, skip, die, finish
CC=${CC:-cc}
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT

# 1. the macro itself, in the shape GCC 12 dropped (a static helper of three hints)
cat >"$T/hint.c" <<'EOF'
#include <stdint.h>
#include "common.h"
typedef struct { char bytes[72]; } record;
typedef struct { record *rec; uint32_t *pos; } world;
static inline void touch(const world *w, uint32_t s)
{
    if (s == UINT32_MAX) return;
    const char *p = (const char *)&w->rec[s];
    SIM_PREFETCH(p);
    SIM_PREFETCH(p + sizeof(record) - 1);
    SIM_PREFETCH(&w->pos[s]);
}
void hint(const uint32_t *kind, const world *w);
void hint(const uint32_t *kind, const world *w)
{
    if (kind[0] == 1 || kind[0] == 4) touch(w, kind[1]);
}
EOF
if $CC -std=c11 -O2 -I"$ROOT/sim/core" -S "$T/hint.c" -o "$T/hint.s" 2>"$T/err"; then
  n=$(grep -Ec '^[[:space:]]*(prefetch|prfm|dcbt|pld)' "$T/hint.s")
  [ "$n" -eq 3 ] && ok "a helper of three SIM_PREFETCH keeps all three at -O2" \
    || no "a helper of three SIM_PREFETCH compiles to $n prefetch instructions (want 3)"
else
  no "the hint test does not compile: $(head -n 1 "$T/err")"
fi

# count OBJECT [REGEX]: x86-64 prefetch instructions in the object (in the functions whose
# names match REGEX only, if given: clones such as event_touch.part.0 count as the function)
count() {
  objdump -d --no-show-raw-insn "$1" | awk -v f="${2:-}" '
    /^[0-9a-f]+ <.*>:$/ { name = $2; gsub(/[<>:]/, "", name) }
    /[[:space:]]prefetch/ && (f == "" || name ~ f) { n++ }
    END { print n + 0 }'
}
# has_code OBJECT: the object holds machine code (not, say, LTO bytecode only)
has_code() { objdump -d "$1" 2>/dev/null | grep -q '^[0-9a-f]* <.*>:$'; }
OBJ="$BUILD/obj"
if ! command -v objdump >/dev/null 2>&1 || [ "$(uname -m)" != x86_64 ]; then
  echo "skip objects: needs objdump (binutils) and x86-64 (here: $(uname -m))"
  skipped=3
elif ! has_code "$OBJ/models/lm_model.o"; then
  echo "skip objects: $OBJ/models/lm_model.o holds no machine code (a link-time-optimised build?)"
  skipped=3
else
  n=$(count "$OBJ/models/lm_model.o" '^(event_touch|touch_person)([.].*)?$')
  [ "$n" -ge 2 ] && ok "event_touch loads both lines of a person record ($n prefetches)" \
    || no "event_touch (or touch_person, where it is not inlined) has $n prefetch instructions (want 2 or more)"
  n=$(count "$OBJ/sim/core/evq.o")
  [ "$n" -ge 1 ] && ok "the event queue prefetches the next chunk of a group's list ($n)" \
    || no "evq.o has no prefetch instruction"
  n=$(count "$OBJ/models/lm_index.o" '^lm_idset_touch_pos([.].*)?$')
  [ "$n" -ge 1 ] && ok "lm_idset_touch_pos prefetches a set entry ($n)" \
    || no "lm_idset_touch_pos has no prefetch instruction"
fi

finish
