#!/bin/sh
# test_cli.sh: the `sim` command as a user meets it: help and version on stdout
# with exit 0, usage errors on stderr with exit 2, scenario and I/O problems with
# exit 1 and no output file (final or partial) left behind, overrides, `info`,
# a file-size limit and an interrupted run. Works in a mktemp -d directory.
set -u
. "$(dirname "$0")/lib.sh"   # ROOT, BUILD, SIM; ok, no, check, checks, skip, die, finish
[ -x "$SIM" ] || die "no $SIM (run make all)"
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 1
cp "$ROOT/scenarios/mm1.cfg" mm1.cfg
SMALL="--set mm1.customers=20000"

# check DESCRIPTION TEST...: count a pass if the test command succeeds
# checks DESCRIPTION 'SHELL CONDITION': the same for a compound condition (eval'ed)
# run CMD...: run with stdout in ./out, stderr in ./err, exit status in $rc
run() { "$@" >out 2>err; rc=$?; }
has() { grep -q -- "$2" "$1"; }
empty() { [ ! -s "$1" ]; }
no_output() { [ ! -e "$1" ] && [ -z "$(ls -a | grep -F "$1.partial-")" ]; }

# ---- help, version, usage errors
run "$SIM" --help
check "--help exits 0" [ "$rc" -eq 0 ]
check "--help prints usage on stdout" has out "usage: sim"
check "--help prints nothing on stderr" empty err
run "$SIM" -h
checks "-h exits 0 with usage on stdout" '[ "$rc" -eq 0 ] && has out "usage: sim"'
"$SIM" --help >full-help.txt 2>/dev/null
for c in run validate info compare report sweep merge calibrate sensitivity serve; do   # help2man's man page is sim --help
  run "$SIM" $c --help
  checks "sim --help holds every line of sim $c --help" '[ "$rc" -eq 0 ] && [ -s out ] && ! grep -vxF -f full-help.txt out >/dev/null'
done
run "$SIM" run --help
check "run --help exits 0 with usage on stdout" [ "$rc" -eq 0 ]
check "run --help on stdout" has out "--set"
# every command's options stand under its "options for CMD:" heading, none above it
for cmd in run validate info compare report sweep merge sensitivity calibrate serve; do
  "$SIM" "$cmd" --help >h.out 2>/dev/null
  above=$(awk '/^options for / {exit} /^ *-[-a-z]/ {print}' h.out)
  checks "$cmd --help: no option line above its 'options for' heading" \
    '[ -z "$above" ] && { ! grep -q "^ *-[-a-z]" h.out || grep -q "^options for \(.* \)\{0,1\}$cmd[: ]" h.out; }'
done
run "$SIM" --version
check "--version exits 0" [ "$rc" -eq 0 ]
check "--version on stdout" has out "^sim [0-9][0-9.]*"
check "--version prints nothing on stderr" empty err

run "$SIM"
check "no arguments: exit 2" [ "$rc" -eq 2 ]
check "no arguments: message on stderr, nothing on stdout" has err "missing command"
check "no arguments: stdout empty" empty out
run "$SIM" frobnicate mm1.cfg
check "unknown command: exit 2" [ "$rc" -eq 2 ]
check "unknown command: named on stderr" has err "frobnicate"
check "unknown command: stdout empty" empty out
# the allowed list: every command, the same in every message (one table in cli.c)
run "$SIM" runn x
allowed=$(sed -n "s/^sim: unknown command 'runn' (allowed: \(.*\))\$/\1/p" err)
check "unknown command: the allowed list names every command, sensitivity and serve too ($allowed)" \
  [ "$allowed" = "run, validate, info, compare, report, sweep, merge, calibrate, sensitivity, serve" ]
run "$SIM"
check "no command: the same allowed list" has err "(allowed: $allowed)"
run "$SIM" help runn
checks "help of an unknown command: exit 2, the same allowed list" '[ "$rc" -eq 2 ] && has err "(allowed: $allowed)"'
n=0
for c in $(printf '%s' "$allowed" | tr -d ','); do "$SIM" help "$c" >/dev/null 2>&1 && n=$((n + 1)); done
check "every listed command has help: sim help NAME exits 0 ($n of 10)" [ "$n" -eq 10 ]
# the overview of `sim help` (written apart from the table) lists every command of the table
"$SIM" help >"$T/overview.txt" 2>&1
missing=""
for c in $(printf '%s' "$allowed" | tr -d ','); do grep -q "^  $c\b" "$T/overview.txt" || missing="$missing $c"; done
check "sim help: the overview names every command of the table${missing:+ (missing:$missing)}" [ -z "$missing" ]
run "$SIM" run --bogus mm1.cfg
check "bad option: exit 2" [ "$rc" -eq 2 ]
check "bad option: named on stderr" has err "bogus"
run "$SIM" run --replicatons 3 mm1.cfg
checks "a misspelt option: the nearest one suggested (--replications)" \
  '[ "$rc" -eq 2 ] && has err "^sim: run: unknown option or missing value: .--replicatons.; did you mean .--replications.?$"'
run "$SIM" compare a.h5 b.h5 --metrics durable
checks "compare --metrics: did you mean '--metric'?" '[ "$rc" -eq 2 ] && has err "did you mean .--metric.?"'
run "$SIM" sensitivity a.h5 --outcomes x
checks "sensitivity names a bad option and suggests the nearest (it had said 'bad option')" \
  '[ "$rc" -eq 2 ] && has err "^sim: sensitivity: unknown option or missing value: .--outcomes.; did you mean .--outcome.?$"'
run "$SIM" compare a.h5 b.h5 --metric
checks "a known option without its value: says it needs one" '[ "$rc" -eq 2 ] && has err "^sim: compare: .--metric. needs a value$"'
run "$SIM" run -t 0 mm1.cfg
check "--threads 0: exit 2" [ "$rc" -eq 2 ]
check "--threads 0: message" has err "threads"
check "--threads 0: points to the command's own help (Try 'sim run --help')" has err "Try 'sim run --help'."
run "$SIM" sweep mm1.cfg --task abc
checks "sweep --task abc: exit 2, points to 'sim sweep --help'" '[ "$rc" -eq 2 ] && has err "Try .sim sweep --help.\."'
run "$SIM" frobnicate
checks "an unknown command points to 'sim --help'" '[ "$rc" -eq 2 ] && has err "Try .sim --help.\."'
run "$SIM" run -t two mm1.cfg
check "--threads two: exit 2" [ "$rc" -eq 2 ]
run "$SIM" run -d everything mm1.cfg
check "--detail everything: exit 2" [ "$rc" -eq 2 ]
check "--detail lists the allowed values" has err "summary, series, events"
run "$SIM" run --sample 1.5 mm1.cfg
check "--sample 1.5: exit 2" [ "$rc" -eq 2 ]
rm -f s.h5
run "$SIM" run --sample 0.2 mm1.cfg -q -o s.h5
checks "--sample without -d events, the scenario's detail not events (nothing to sample): one line naming both, nothing run" \
  '[ "$rc" -eq 1 ] && [ "$(wc -l <err)" -eq 1 ] && has err "mm1.cfg: --sample needs detail events (the scenario.s output.detail is \"series\"; allowed: -d events" && [ ! -e s.h5 ]'
printf '@include "mm1.cfg"\noverrides = ( { key = "output.detail"; value = "events"; } );\n' >ev.cfg
run "$SIM" run --sample 0.2 ev.cfg -q -o s.h5
"$SIM" run ev.cfg -q -o all.h5 2>/dev/null
rows() { h5ls "$1/events" 2>/dev/null | sed -n 's/.*Dataset {\([0-9]*\)\/.*/\1/p'; }
checks "--sample without -d, the scenario's own detail events: runs and samples (fewer /events rows than the scenario's 1.0)" \
  '[ "$rc" -eq 0 ] && [ -n "$(rows s.h5)" ] && [ -n "$(rows all.h5)" ] && [ "$(rows s.h5)" -lt "$(rows all.h5)" ]'
rm -f s.h5 all.h5 ev.cfg
run "$SIM" run --sample 0.2 -d series mm1.cfg -q -o s.h5
checks "--sample with -d series: exit 2" '[ "$rc" -eq 2 ] && has err "needs -d events" && [ ! -e s.h5 ]'
run "$SIM" run -d events --sample 0.2 mm1.cfg -q -o s.h5
checks "--sample with -d events: runs" '[ "$rc" -eq 0 ] && [ -s s.h5 ]'
rm -f s.h5
run "$SIM" run -s -1 mm1.cfg
check "--seed -1: exit 2" [ "$rc" -eq 2 ]
run "$SIM" run
check "run without a scenario: exit 2" [ "$rc" -eq 2 ]
run "$SIM" run mm1.cfg mm1.cfg
check "run with two scenarios: exit 2" [ "$rc" -eq 2 ]
run "$SIM" info
check "info without a file: exit 2" [ "$rc" -eq 2 ]
check "usage errors create no results directory" [ ! -e results ]

# ---- validate
run "$SIM" validate mm1.cfg
check "validate mm1.cfg: exit 0" [ "$rc" -eq 0 ]
check "validate says valid" has out "valid"
run "$SIM" validate "$ROOT/scenarios/mm1.cfg"
check "validate scenarios/mm1.cfg by its path: exit 0" [ "$rc" -eq 0 ]
check "validate runs nothing" [ ! -e results ]

cat > bad.cfg <<'EOF'
model = "mm1";
seed = 20190101L;
replications = 0;
origin = "2019-02-30";
output = {
  detail = "everything";
  sample = 1.5;
};
mm1 = {
  arrival_rate = "fast";
  service_rate = 1.0;
  customers = 1000;
  observe_step = 1.0;
  observe_count = 10;
  nope = 3;
};
extra = 1;
EOF
run "$SIM" validate bad.cfg
check "validate bad.cfg: exit 1" [ "$rc" -eq 1 ]
n=$(grep -c '^bad\.cfg:[0-9][0-9]*: ' err)
check "validate lists all 7 problems as file:line (got $n)" [ "$n" -eq 7 ]
check "problem: replications range" has err "^bad.cfg:3: replications: .*allowed: 1 to"
check "problem: invalid origin date" has err "^bad.cfg:4: origin: .*not a valid date"
check "problem: unknown enum value with allowed values" has err "^bad.cfg:6: output.detail: .*allowed: summary, series, events"
check "problem: out-of-range share" has err "^bad.cfg:7: output.sample: .*allowed: 0 to 1"
check "problem: wrong type" has err "^bad.cfg:10: mm1.arrival_rate: expected a number"
check "problem: unknown key in a group" has err "^bad.cfg:15: mm1.nope: unknown key"
check "problem: unknown top-level key" has err "^bad.cfg:17: extra: unknown key"
check "validate: nothing on stdout" empty out

printf 'model = "mm1";\nseed = 1;\n\0\0\0junk\n' > junk.cfg
run "$SIM" validate junk.cfg
check "binary junk: exit 1" [ "$rc" -eq 1 ]
check "binary junk: message names the file (no line: never file:0)" has err "^junk.cfg: .*NUL"
run "$SIM" validate missing.cfg
checks "missing scenario: exit 1 with a message" '[ "$rc" -eq 1 ] && has err "missing.cfg"'

# the --set string example of `sim run --help` (and the README) works on the default scenario
ex=$("$SIM" run --help | sed -n "s/.*strings in double quotes: --set '\(.*\)')\$/\1/p")
run "$SIM" validate "$ROOT/scenarios/base.cfg" --set "$ex"
checks "run --help's --set string example ($ex) validates on base.cfg" '[ -n "$ex" ] && [ "$rc" -eq 0 ]'
checks "README gives the same example" 'grep -qF -- "--set '"'"'$ex'"'"'" "$ROOT/README.md"'
# a date of the file out of range after --set origin=...: the message names the override
run "$SIM" validate "$ROOT/scenarios/base.cfg" --set 'origin="2020-01-01"'
checks "a file's date out of range after --set origin: the message says so" \
  '[ "$rc" -eq 1 ] && has err "base.cfg:[0-9]*: .*date 2019-01-01 is out of range (allowed: 2020-01-01 to .*, after origin=\"2020-01-01\" from command line (--set))\$"'

# ---- run failures leave nothing behind
run "$SIM" run -q -o out.h5 bad.cfg
check "run bad.cfg: exit 1" [ "$rc" -eq 1 ]
check "run bad.cfg: no output and no partial file" no_output out.h5
check "run bad.cfg: nothing run" has err "nothing was run"

run "$SIM" run -q $SMALL -o nonexistent/dir/out.h5 mm1.cfg
check "-o into a missing directory: exit 1" [ "$rc" -eq 1 ]
check "-o into a missing directory: clear message" has err "nonexistent/dir/out.h5: cannot create output file: No such file or directory"
check "-o into a missing directory: no directory created" [ ! -e nonexistent ]

echo "precious" > keep.h5
run "$SIM" run -q -o keep.h5 bad.cfg
check "failed run: exit 1" [ "$rc" -eq 1 ]
check "failed run leaves an existing output untouched" [ "$(cat keep.h5)" = "precious" ]
run "$SIM" run -q --set mm1.nope=1 -o keep.h5 mm1.cfg
check "--set of an unknown key: exit 1" [ "$rc" -eq 1 ]
check "--set of an unknown key: message" has err "mm1.nope: unknown key"
check "--set of an unknown key leaves the output untouched" [ "$(cat keep.h5)" = "precious" ]
check "--set of an unknown key far from any: no suggestion" has err "mm1.nope: unknown key (not in the scenario mm1.cfg)\$"
# a bad horizon is one problem, not also the checks that depend on it (series step, programme dates)
for v in '"2030-02-30"' '"2018-01-01"'; do
  run "$SIM" validate "$ROOT/scenarios/pow-incidental.cfg" --set "labour_market.end=$v"
  checks "--set labour_market.end=$v: one problem, at the override" \
    '[ "$rc" -eq 1 ] && [ "$(wc -l <err)" -eq 2 ] && has err "^command line (--set): labour_market.end: " && has err ": 1 problem; nothing was run"'
done
# a programme's bad end date: one problem, not also the order of dates or the tranches after it
for v in '"nope"' '"2018-01-01"'; do
  run "$SIM" validate "$ROOT/scenarios/pow-incidental.cfg" --set "programmes.[0].end=$v"
  checks "--set programmes.[0].end=$v: one problem" '[ "$rc" -eq 1 ] && [ "$(wc -l <err)" -eq 2 ] && has err ": 1 problem; nothing was run"'
done
# a long unknown key in a scenario with a long path: the message holds both whole
long=$(printf 'k%.0s' $(seq 1 480)); dir=$(printf 'd%.0s' $(seq 1 200))
deep="$dir/$dir/$dir/$dir/$dir"
mkdir -p "$deep" && printf '@include "%s/scenarios/base.cfg"\n' "$ROOT" >"$deep/s.cfg"
run "$SIM" validate "$deep/s.cfg" --set "labour_market.$long=1"
checks "--set of a 494-character unknown key, scenario path of 1000: both whole, the parenthesis closed" \
  '[ "$rc" -eq 1 ] && has err "labour_market.$long: unknown key (not in the scenario $deep/s.cfg)\$"'
rm -rf "$dir"
# a programme without dates: the missing keys, not also "end is not after start"
printf '@include "%s/scenarios/base.cfg"\nprogrammes = ( { name = "p"; kind = "structural"; } );\n' "$ROOT" >nodates.cfg
run "$SIM" validate nodates.cfg
checks "a programme without start and end: both missing, no order complaint" \
  '[ "$rc" -eq 1 ] && has err "missing key '"'"'start'"'"'" && has err "missing key '"'"'end'"'"'" && ! has err "end is not after start"'
# a misspelt key: the message names the existing key nearest to it, member by member
run "$SIM" validate "$ROOT/scenarios/base.cfg" --set labour_markt.regions.[0].caseloda=10
checks "--set of a misspelt key: the nearest existing key suggested" \
  '[ "$rc" -eq 1 ] && has err "labour_markt.regions.\[0\].caseloda: unknown key (not in the scenario .*base.cfg; did you mean '"'"'labour_market.regions.\[0\].caseload'"'"'?)\$"'
run "$SIM" run -q --set mm1.customers=lots -o keep.h5 mm1.cfg
checks "--set with a wrong type: exit 1" '[ "$rc" -eq 1 ] && has err "mm1.customers"'
run "$SIM" run -q --set mm1.customers=0.5 -o keep.h5 mm1.cfg
checks "--set float into int: exit 1" '[ "$rc" -eq 1 ] && has err "integer"'
run "$SIM" run -q -r 1 --scale 0.01 --set labour_market.aftercare.places_per_1000=abc -o lm.h5 "$ROOT/scenarios/pow-incidental.cfg"
check "--set of a word where a number is expected: one clear line" \
  [ "$(head -n 1 err)" = "command line (--set): labour_market.aftercare.places_per_1000: 'abc' is not a number (the scenario has a number here)" ]
check "and still untouched" [ "$(cat keep.h5)" = "precious" ]
# a --set value the model's range refuses: reported at the command line (README), not at
# the line of the included base.cfg that first set the key; nothing written
run "$SIM" run -q -r 1 --scale 0.01 --set labour_market.aftercare.places_per_1000=-5 -o lm.h5 "$ROOT/scenarios/pow-incidental.cfg"
checks "--set out of range: exit 1, no output" '[ "$rc" -eq 1 ] && no_output lm.h5'
check "--set out of range: reported as command line (--set), not at base.cfg" \
  [ "$(head -n 1 err)" = "command line (--set): labour_market.aftercare.places_per_1000: -5 is out of range (allowed: 0 to 1000)" ]
check "no partial files anywhere" [ -z "$(ls -a | grep partial)" ]

# ---- successful runs
run "$SIM" run $SMALL -o ok.h5 mm1.cfg
check "--set mm1.customers=20000: exit 0" [ "$rc" -eq 0 ]
check "output file written" [ -s ok.h5 ]
check "summary on stdout shows 20000 served" has out "customers_served *20000 "
check "stdout names the output" has out "output: ok.h5"
checks "progress on stderr, not stdout" 'has err "replications done" && ! has out "replications done"'
check "no partial file after success" [ -z "$(ls -a | grep partial)" ]
run "$SIM" run -q $SMALL --set mm1.arrival_rate=0.5 -o keep.h5 mm1.cfg
checks "a successful run replaces an existing file" '[ "$rc" -eq 0 ] && [ "$(head -c 4 keep.h5 | tail -c 3)" = HDF ]'
run "$SIM" run mm1.cfg -q --set mm1.customers=2000 -r 1 -o after.h5
checks "options after the scenario are accepted" '[ "$rc" -eq 0 ] && [ -s after.h5 ]'
run "$SIM" run -q $SMALL -r 2 -s 99 -o r2.h5 mm1.cfg
checks "-q run: exit 0, nothing on stdout" '[ "$rc" -eq 0 ] && empty out'

# ---- info
run "$SIM" info ok.h5
check "info on a good file: exit 0" [ "$rc" -eq 0 ]
check "info shows the seed" has out "seed *20190101"
check "info shows the summary" has out "customers_served *20,000$"
# (the exponent is looked for in the summary's lines only: a git hash such as 25e83f5 reads as one)
checks "info: the summary means a measure, never the replication index; no exponent" \
  'has out "^summary (mean over" && ! grep -q "^  replication " out && ! sed -n "/^summary (/,\$p" out | grep -Eq "^  [a-z_]+ +-?[0-9.,]+e[+-]?[0-9]"'
checks "info shows the population the run had (the model's population key and its value)" \
  'has out "^  population_key *mm1.customers$" && has out "^  population *20000$"'
"$SIM" run mm1.cfg -q -r 1 --set mm1.customers=2000 --set mm1.arrival_rate=0.0005 --set mm1.service_rate=50.0 -o tiny.h5 2>err
run "$SIM" info tiny.h5
checks "info: a nonzero mean below 1e-4 is never 0 (utilisation about 1e-5), an exact 0 is 0" \
  '[ "$rc" -eq 0 ] && grep -Eq "^  utilisation +[1-9][0-9.]*e-0[5-6]$" out && grep -Eq "^  mean_wait +0$" out'
run "$SIM" info r2.h5
checks "info shows -r and -s" 'has out "replications *2\$" && has out "seed *99\$"'
head -c 3000 ok.h5 > trunc.h5
run "$SIM" info trunc.h5
check "info on a truncated file: exit 1" [ "$rc" -eq 1 ]
check "info on a truncated file: message" has err "trunc.h5: not a readable HDF5 file (truncated, damaged or not HDF5)"
checks "info: no HDF5 error stack on stderr" '! has err "HDF5-DIAG"'
run "$SIM" info mm1.cfg
checks "info on a text file: exit 1, says it is a text file such as a scenario" \
  '[ "$rc" -eq 1 ] && has err "mm1.cfg: not a readable HDF5 file (a text file, such as a scenario: sim run reads it)"'
printf '<!DOCTYPE html>\n<html><body>report</body></html>\n' > page.html
run "$SIM" info page.html
checks "info on an HTML report: says it is one, to open in a browser" \
  '[ "$rc" -eq 1 ] && has err "page.html: not a readable HDF5 file (an HTML file: a report to open in a browser)"'
run "$SIM" compare ok.h5 page.html
checks "compare with an HTML report as ALT: the same words" '[ "$rc" -eq 1 ] && has err "page.html: not a readable HDF5 file (an HTML file"'
: > empty.h5
run "$SIM" info empty.h5
checks "info on an empty file: says empty" '[ "$rc" -eq 1 ] && has err "empty.h5: not a readable HDF5 file (empty)"'
run "$SIM" info nothere.h5
checks "info on a missing file: exit 1, says missing" '[ "$rc" -eq 1 ] && has err "nothere.h5: not a readable HDF5 file (missing)"'

# ---- a file-size limit while writing events
run sh -c "ulimit -f 10; exec \"$SIM\" run -q -d events $SMALL -o full.h5 mm1.cfg"
check "file-size limit: non-zero exit" [ "$rc" -ne 0 ]
check "file-size limit: exit 1, not killed by SIGXFSZ" [ "$rc" -eq 1 ]
check "file-size limit: clear message" has err "full.h5: cannot write"
check "file-size limit: no file under the final name, no partial file" no_output full.h5
echo "precious" > full.h5
run sh -c "ulimit -f 10; exec \"$SIM\" run -q -t 1 -d events $SMALL -o full.h5 mm1.cfg"
check "file-size limit (1 thread): exit 1" [ "$rc" -eq 1 ]
check "file-size limit leaves an existing file untouched" [ "$(cat full.h5)" = "precious" ]
check "file-size limit: no partial file" [ -z "$(ls -a | grep partial)" ]

# ---- SIGKILL during a run: nothing under the final name; the same command rerun completes
KILLED_RUN="run -q -d series --set mm1.customers=1000000 -r 8 -t 1 -o killed.h5 mm1.cfg"
"$SIM" $KILLED_RUN >out 2>err &
pid=$!
i=0
while [ $i -lt 50 ] && [ -z "$(ls -a | grep 'killed.h5.partial-')" ]; do sleep 0.1; i=$((i + 1)); done
check "SIGKILL: the run had a partial file before the kill" [ -n "$(ls -a | grep 'killed.h5.partial-')" ]
kill -KILL "$pid"; wait "$pid" 2>/dev/null
check "SIGKILL: killed before it finished (no file under the final name)" [ ! -e killed.h5 ]
check "SIGKILL: the partial file stays until the next run" [ -n "$(ls -a | grep 'killed.h5.partial-')" ]
host=$(hostname | tr -c 'A-Za-z0-9._\n-' '_' | cut -c1-64)
check "SIGKILL: the partial file is named by host and pid" [ -e "killed.h5.partial-$host-$pid" ]
# beside it: a live process's file on this host, another host's file, another output's file
sleep 30 & live=$!
: > "killed.h5.partial-$host-$live"; : > "killed.h5.partial-elsewhere-$pid"; : > "other.h5.partial-$host-$pid"
run "$SIM" $KILLED_RUN
checks "SIGKILL: the same command rerun completes" '[ "$rc" -eq 0 ] && [ -s killed.h5 ] && "$SIM" info killed.h5 | grep -q "replications *8$"'
check "SIGKILL: the rerun removed the killed run's partial file" [ ! -e "killed.h5.partial-$host-$pid" ]
check "SIGKILL: a live process's partial file stays" [ -e "killed.h5.partial-$host-$live" ]
check "SIGKILL: another host's partial file stays (NFS)" [ -e "killed.h5.partial-elsewhere-$pid" ]
check "SIGKILL: another output's partial file stays" [ -e "other.h5.partial-$host-$pid" ]
kill "$live" 2>/dev/null; wait "$live" 2>/dev/null
rm -f killed.h5.partial-* other.h5.partial-*

# ---- a read-only file system (needs root to mount a tmpfs; skipped otherwise)
mkdir -p rofs
if mount -t tmpfs -o ro,size=1m tmpfs rofs 2>/dev/null; then
  run "$SIM" run -q $SMALL -o rofs/x.h5 mm1.cfg
  check "read-only file system: exit 1" [ "$rc" -eq 1 ]
  check "read-only file system: the message says so" has err "Read-only file system"
  check "read-only file system: nothing written" [ -z "$(ls -A rofs)" ]
  umount rofs
else
  skip "cannot mount a read-only tmpfs here (not root; 3 checks)" 3
fi

# ---- interrupted run: the temporary file is removed
"$SIM" run -q -d series --set mm1.customers=1000000 -r 400 -o int.h5 mm1.cfg >out 2>err &
pid=$!
i=0
while [ $i -lt 50 ] && [ -z "$(ls -a | grep 'int.h5.partial-')" ]; do sleep 0.1; i=$((i + 1)); done
check "a running job writes a partial file" [ -n "$(ls -a | grep 'int.h5.partial-')" ]
kill -INT "$pid"
wait "$pid"; rc=$?
check "SIGINT: killed by the signal (status $rc)" [ "$rc" -eq 130 ]
check "SIGINT: message on stderr" has err "interrupted"
check "SIGINT: no output and no partial file" no_output int.h5

finish
