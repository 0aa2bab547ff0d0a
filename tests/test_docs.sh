#!/bin/sh
# test_docs.sh: the README and docs/*.md keep their sections. tests/docs-sections.txt lists
# every heading (levels 1-3, outside code blocks) as "FILE<TAB>HEADING"; a heading that disappears fails here, so
# a cut file (an edit that dropped the rest of a page) cannot pass. A heading renamed or
# added on purpose goes into the list too; regenerate it with
#   for f in README.md docs/*.md; do awk -v f="$f" '/^```/ {c = !c; next} !c && /^(#|##|###) / {print f "\t" $0}' "$f"; done > tests/docs-sections.txt
set -u
. "$(dirname "$0")/lib.sh"   # ROOT, BUILD, SIM; ok, no, check, checks, skip, die, finish
LIST="$ROOT/tests/docs-sections.txt"
TAB=$(printf '\t')
while IFS="$TAB" read -r file heading; do
  if [ -f "$ROOT/$file" ] && grep -Fxq -- "$heading" "$ROOT/$file"; then pass=$((pass + 1))
  else fail=$((fail + 1)); echo "FAIL: $file has lost the heading \"$heading\""; fi
done <"$LIST"
# every page of docs/ is in the list (a new page adds its headings)
for f in "$ROOT"/docs/*.md; do
  rel=${f#"$ROOT"/}
  if grep -q "^$rel$TAB" "$LIST"; then pass=$((pass + 1))
  else fail=$((fail + 1)); echo "FAIL: $rel has no headings in tests/docs-sections.txt (add them)"; fi
done
# the README's count of the bad-input corpus is the corpus's (it drifted once, 408 against 421)
n=$(ls "$ROOT"/tests/bad-input/*.cfg | wc -l | tr -d ' ')
if grep -q "(\`tests/bad-input/\`): $n scenarios" "$ROOT/README.md"; then pass=$((pass + 1))
else fail=$((fail + 1)); echo "FAIL: README.md's bad-input corpus count is not the $n files of tests/bad-input/"; fi
finish
