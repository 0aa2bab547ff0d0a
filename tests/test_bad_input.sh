#!/bin/sh
# test_bad_input.sh: the bad-input corpus (tests/bad-input/, written by make-corpus.py).
# For every line of expected.tsv (FILE, EXIT CODE, FRAGMENT), `sim validate FILE`, run
# from an empty temporary directory, must
#   - exit with the expected code (1 for a bad scenario), never by a signal (< 128);
#   - print FRAGMENT on one stderr line ("*" in it matches any text) and nothing on stdout;
#     a misspelt key ("did you mean") on the first line, before what it may have caused;
#   - print every problem as one line "file:line: ..." (^[^:]+:[1-9][0-9]*: ), or "file: ..."
#     for a problem of the whole file (a missing key; never "file:0:"); the only
#     other line allowed is the closing "sim: FILE: N problem(s); nothing was run";
#   - leave the directory empty (no results/, no *.partial-* file).
# A sample of cases also goes through `sim run -r 1 --set labour_market.scale=0.01`
# with the same checks. Cases listed in xfail.tsv (known bugs; "when" = always, or
# sanitizer for a -fsanitize build as in make check-asan) count as XFAIL when they fail
# and as a failure when they pass (then delete them from make-corpus.py). In a sanitizer
# build, LeakSanitizer ignores libconfig's own scanner leaks (tests/fuzz/lsan.supp).
set -u
. "$(dirname "$0")/lib.sh"   # ROOT, BUILD, SIM; ok, no, check, checks, skip, die, finish
CORPUS="$ROOT/tests/bad-input"
[ -x "$SIM" ] || die "no $SIM (run make all)"
[ -f "$CORPUS/expected.tsv" ] || die "no $CORPUS/expected.tsv"
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
cp "$SIM" "$T/sim" && SIM="$T/sim"   # immune to a concurrent relink of build/sim
mkdir "$T/work" && cd "$T/work" || exit 1

pass=0; fail=0; xfail=0
sanitized=always
if grep -q __asan_init "$SIM"; then
  sanitized="always|sanitizer"
  LSAN_OPTIONS="suppressions=$ROOT/tests/fuzz/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
  export LSAN_OPTIONS
fi
TAB=$(printf '\t')
SUMMARY='^sim: .*: [0-9][0-9]* problems\{0,1\}; nothing was run$'

# has_fragment FRAG FILE: FRAG's "*"-separated pieces appear in order on one line of FILE
has_fragment() {
  FRAG=$1 awk 'BEGIN { n = split(ENVIRON["FRAG"], p, "*") }
    { s = $0; ok = 1
      for (i = 1; i <= n; i++) { j = index(s, p[i]); if (!j) { ok = 0; break }; s = substr(s, j + length(p[i])) }
      if (ok) { found = 1; exit } }
    END { exit !found }' "$2"
}

is_xfail() { grep -Eq "^$1$TAB($sanitized)$TAB" "$CORPUS/xfail.tsv" 2>/dev/null; }

# check_case FILE RC FRAGMENT CMD...: run CMD, set $why to the first broken rule ("" = all kept)
check_case() {
  file=$1; want=$2; frag=$3; shift 3
  "$@" >"$T/out" 2>"$T/err"; rc=$?
  why=""
  if [ "$rc" -ge 128 ]; then why="killed by a signal (exit $rc)"
  elif [ "$rc" -ne "$want" ]; then why="exit $rc, expected $want"
  elif ! has_fragment "$frag" "$T/err"; then why="stderr lacks: $frag"
  elif case $frag in *"did you mean"*) head -n 1 "$T/err" >"$T/first"; ! has_fragment "$frag" "$T/first" ;; *) false ;; esac; then
    why="the misspelt key is not the first problem listed (it is the likely cause of the others)"
  elif [ -s "$T/out" ]; then why="output on stdout"
  elif grep -v -e "$SUMMARY" "$T/err" | grep -qv -e '^[^:][^:]*:[1-9][0-9]*: ' -e '^[^:][^:]*\.cfg: '; then
    why="a stderr line without file:line (or file: for the whole file): $(grep -v -e "$SUMMARY" "$T/err" | grep -v -e '^[^:][^:]*:[1-9][0-9]*: ' -e '^[^:][^:]*\.cfg: ' | head -n 1)"
  elif [ -n "$(ls -A)" ]; then why="left files behind: $(ls -A | tr '\n' ' ')"
  fi
  rm -rf ./* ./.[!.]* 2>/dev/null
}

record() {   # record NAME: count the outcome of check_case
  if is_xfail "$1"; then
    if [ -n "$why" ]; then xfail=$((xfail + 1)); echo "XFAIL $1: $why"
    else fail=$((fail + 1)); echo "FAIL $1: XPASS, the bug is fixed: delete it from xfail in tests/bad-input/make-corpus.py and regenerate"
    fi
  elif [ -n "$why" ]; then
    fail=$((fail + 1)); echo "FAIL $1: $why"
    sed 's/^/  stderr: /' "$T/err" | head -n 5
  else
    pass=$((pass + 1))
  fi
}

n=0
while IFS="$TAB" read -r file want frag; do
  case $file in ''|'#'*) continue ;; esac
  n=$((n + 1))
  check_case "$file" "$want" "$frag" "$SIM" validate "$CORPUS/$file"
  record "$file"
done <"$CORPUS/expected.tsv"
[ "$n" -ge 200 ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: only $n cases in expected.tsv (want 200 or more)"; }

# `sim run` on a sample (one per kind of problem): the same checks, and no output file.
for file in syn-unterminated-string.cfg inc-cycle-indirect.cfg inc-missing-file.cfg \
            range-base-duration-shares-sum.cfg range-base-seed-wrap-32.cfg key-base-barriers.cfg \
            date-end-feb-29-non-leap.cfg date-suspensions-overlap.cfg prog-unknown-region.cfg \
            reg-duplicate-name.cfg enum-wsp.cfg file-binary-junk.cfg; do
  line=$(grep "^$file$TAB" "$CORPUS/expected.tsv")
  [ -n "$line" ] || { fail=$((fail + 1)); echo "FAIL run sample: $file is not in expected.tsv"; continue; }
  want=$(printf '%s\n' "$line" | cut -f 2); frag=$(printf '%s\n' "$line" | cut -f 3)
  check_case "$file" "$want" "$frag" "$SIM" run -q -r 1 --set labour_market.scale=0.01 "$CORPUS/$file"
  record "run $file"
done

# The committed corpus should be what make-corpus.py writes today; a scenario edit can
# make it stale without making it wrong, so this is a note, not a failure.
if command -v python3 >/dev/null 2>&1 && ! python3 "$CORPUS/make-corpus.py" --check >"$T/check" 2>&1; then
  echo "note: the corpus differs from what make-corpus.py writes now (python3 tests/bad-input/make-corpus.py):"
  head -n 5 "$T/check" | sed 's/^/  /'
fi

echo "$n cases, $xfail known bugs (XFAIL, tests/bad-input/xfail.tsv)"
finish
