#!/bin/sh
# test_headline.sh: scripts/headline.py, which writes the headline results of
# docs/scenarios.md (`make headline`). At 1% scale with 2 replications: one row per
# scenario with intervals, one paired contrast per question, the block replaced in
# place between its markers (the text around kept), and a file without the markers
# refused without being changed.
set -u
. "$(dirname "$0")/lib.sh"   # ROOT, BUILD, SIM; ok, no, check, checks, skip, die, finish
. "$ROOT/tests/pyfind.sh"
[ -n "$PY" ] || die "no python3 with h5py"
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
cd "$ROOT" || exit 1
printf 'before\n<!-- headline:begin -->\nold\n<!-- headline:end -->\nafter\n' >"$T/doc.md"
chmod 644 "$T/doc.md"
if "$PY" scripts/headline.py --sim "$BUILD/sim" --reps 2 --scale 0.01 --threads 1 --doc "$T/doc.md" 2>"$T/err"; then
  ok "headline.py runs the 10 scenarios at 1% scale"
else
  no "headline.py failed: $(tail -n 1 "$T/err")"
fi
rows=$(grep -c '^| [a-z-]* | [0-9,]* ± [0-9,]* |' "$T/doc.md")
[ "$rows" -eq 10 ] && ok "10 scenario rows with intervals" || no "scenario rows with intervals: $rows (want 10)"
contrasts=$(grep -c '^| .* − .*) | [+-][0-9,]* | \[' "$T/doc.md")
[ "$contrasts" -eq 10 ] && ok "10 paired contrasts" || no "paired contrasts: $contrasts (want 10)"
rel=$(grep -c '| [+-][0-9.]*% \[[+-][0-9.]*; [+-][0-9.]*\] |' "$T/doc.md")
[ "$rel" -eq 10 ] && ok "10 relative changes with their 95% intervals" || no "relative changes with intervals: $rel (want 10)"
{ head -n 1 "$T/doc.md" | grep -qx before && tail -n 1 "$T/doc.md" | grep -qx after && ! grep -qx old "$T/doc.md"; } \
  && ok "the block is replaced, the text around it kept" || no "the document around the block changed"
grep -q 'run scenarios/NAME.cfg -r 2 --scale 0.01' "$T/doc.md" && ok "the block names the command that made it" \
  || no "the block does not name its command"
[ "$(stat -c %a "$T/doc.md")" = 644 ] && ok "the document keeps its mode (644)" || no "mode now $(stat -c %a "$T/doc.md")"
# The end marker at the end of a line with text after it and no newline: nothing is lost.
printf 'x\n<!-- headline:begin -->\n<!-- headline:end -->after' >"$T/tail.md"
if "$PY" scripts/headline.py --sim "$BUILD/sim" --reps 2 --scale 0.01 --threads 1 --doc "$T/tail.md" 2>/dev/null \
   && [ "$(tail -c 5 "$T/tail.md")" = after ]; then ok "text right after the end marker is kept"
else no "text after the end marker: $(tail -c 8 "$T/tail.md")"; fi
printf 'no markers here\n' >"$T/plain.md"
if "$PY" scripts/headline.py --sim "$BUILD/sim" --reps 2 --scale 0.01 --threads 1 --doc "$T/plain.md" 2>"$T/err2"; then
  no "a document without markers was accepted"
else
  grep -q 'needs exactly one' "$T/err2" && [ "$(cat "$T/plain.md")" = "no markers here" ] \
    && ok "a document without markers is refused and left as it was" || no "refusal message or file: $(cat "$T/err2")"
fi
finish
