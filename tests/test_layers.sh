#!/bin/sh
# test_layers.sh: the layer rule of docs/architecture.md, checked on the sources
# and on the built objects.
#   sim/core    includes nothing from sim/io, sim/app, models/ or analysis/, and
#               no <hdf5.h>, <hdf5_hl.h>, <libconfig.h> or <nlopt.h>;
#   sim/io      includes nothing from sim/app, models/ or analysis/;
#   models/     includes nothing from sim/app or analysis/;
#   no C file includes analysis/ (Python only), and no module pair includes
#   each other (no file-level cycles);
#   symbols: the core's objects need no symbol defined above the core, io's none
#   from models or app, the models' none from app;
#   the core compiles alone (its sources only, GSL flags only, no generated
#   header) and test_evq, test_rng, test_engine and test_pages link against it and pass.
set -u
. "$(dirname "$0")/lib.sh"   # ROOT, BUILD, SIM; ok, no, check, checks, skip, die, finish
CC=${CC:-cc}
check() {  # check "what" command...
  what=$1; shift
  if "$@"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $what"; fi
}
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
cd "$ROOT" || exit 1

# includes FILES... : "file: include-target" for every #include line
includes() { grep -H '^[[:space:]]*#[[:space:]]*include' "$@" | sed 's/:[[:space:]]*#[[:space:]]*include[[:space:]]*/: /'; }

# forbidden LAYER PATTERN FILES... : prints offending lines; true when there are none
forbidden() {
  layer=$1; pat=$2; shift 2
  bad=$(includes "$@" | grep -E "$pat")
  [ -z "$bad" ] && return 0
  printf '%s\n' "$bad" | sed "s/^/  $layer: /"
  return 1
}

check "sim/core includes nothing from sim/io, sim/app, models/ or analysis/" \
  forbidden core '"[^"]*(io/|app/|models/|analysis/|\.\./)' sim/core/*.[ch]
check "sim/core includes no HDF5, libconfig or NLopt header" \
  forbidden core '<(hdf5|hdf5_hl|libconfig|nlopt)\.h>' sim/core/*.[ch]
check "sim/io includes nothing from sim/app, models/ or analysis/" \
  forbidden io '"[^"]*(app/|models/|analysis/)' sim/io/*.[ch]
check "models/ include nothing from sim/app or analysis/" \
  forbidden models '"[^"]*(app/|analysis/)' models/*.[ch]
check "no C file includes analysis/" \
  forbidden any '"[^"]*analysis/' sim/*/*.[ch] models/*.[ch] tests/*.c tests/fuzz/*.c bench/*.c

# Module cycles: module = file name without extension; a -> b when a.c or a.h
# includes b.h. Any strongly connected pair or longer loop fails.
cycles() {
  for f in sim/*/*.[ch] models/*.[ch]; do
    m=$(basename "$f"); m=${m%.*}
    includes "$f" | sed -n 's/^[^:]*: "\(.*\)\.h".*/\1/p' | while read -r h; do
      h=$(basename "$h"); [ "$h" != "$m" ] && echo "$m $h"
    done
  done | sort -u > "$T/edges"
  # tsort reports a loop on stderr ("input contains a loop") for any cycle
  tsort "$T/edges" >/dev/null 2>"$T/tsort.err"
  [ ! -s "$T/tsort.err" ] && return 0
  sed 's/^/  /' "$T/tsort.err"
  return 1
}
check "no file-level include cycles between modules" cycles

# ---- symbols: nothing crosses upward at link level
defined() { nm --defined-only -g "$@" 2>/dev/null | awk 'NF == 3 {print $3}' | sort -u; }
undefined() { nm -u "$@" 2>/dev/null | awk '{print $NF}' | sort -u; }
objs() { for s in "$@"; do printf '%s/obj/%s.o\n' "$BUILD" "${s%.c}"; done; }
core_o=$(objs sim/core/*.c); io_o=$(objs sim/io/*.c); models_o=$(objs models/*.c)
app_o=$(objs sim/app/*.c)
have_objs=1
for o in $core_o $io_o $models_o $app_o; do [ -f "$o" ] || have_objs=0; done
if [ "$have_objs" -eq 1 ]; then
  # upward LOWER_OBJS -- UPPER_OBJS: symbols the lower objects need that only the upper define
  upward() {
    lower=""; while [ "$1" != "--" ]; do lower="$lower $1"; shift; done; shift
    undefined $lower > "$T/need"
    defined "$@" > "$T/above"
    comm -12 "$T/need" "$T/above" > "$T/cross"
    [ ! -s "$T/cross" ] && return 0
    sed 's/^/  needs from above: /' "$T/cross"
    return 1
  }
  check "core objects use no symbol of io, models or app" upward $core_o -- $io_o $models_o $app_o
  check "io objects use no symbol of models or app" upward $io_o -- $models_o $app_o
  check "models' objects use no symbol of app" upward $models_o -- $app_o
else
  echo "FAIL: objects missing under $BUILD/obj (run make all)"; fail=$((fail + 1))
fi

# ---- the core alone: compile its sources with GSL flags only, link the core tests
GSL_CFLAGS=$(pkg-config --cflags gsl 2>/dev/null)
GSL_LIBS=$(pkg-config --libs gsl 2>/dev/null || echo "-lgsl -lgslcblas")
core_alone() {
  for c in sim/core/*.c; do
    o="$T/core-$(basename "${c%.c}").o"
    # shellcheck disable=SC2086
    $CC -std=c11 -Wall -Wextra -Wshadow -Wconversion -O2 -fopenmp -DHAVE_INLINE $GSL_CFLAGS \
        -c "$c" -o "$o" 2>"$T/cc.err" || { sed 's/^/  /' "$T/cc.err"; return 1; }
  done
  ar rcs "$T/libcore.a" "$T"/core-*.o
}
check "sim/core compiles on its own (GSL only, no generated header)" core_alone
for t in test_evq test_rng test_engine test_pages; do
  # shellcheck disable=SC2086
  if $CC -std=c11 -O2 -fopenmp -DHAVE_INLINE $GSL_CFLAGS "tests/$t.c" "$T/libcore.a" $GSL_LIBS -lm \
       -o "$T/$t" 2>"$T/ld.err"; then
    out=$("$T/$t" 2>&1); rc=$?
    check "$t links against the core alone and passes" [ "$rc" -eq 0 ]
    [ "$rc" -eq 0 ] || printf '%s\n' "$out" | tail -n 5
  else
    sed 's/^/  /' "$T/ld.err"
    check "$t links against the core alone" false
  fi
done

finish
