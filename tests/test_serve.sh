#!/bin/sh
# test_serve.sh: `sim serve` over HTTP with curl (issue 17): the page and its assets,
# the reference list, form checks (field messages from the CLI's own loader), the
# alternative built on the reference's world (its Covid-19 shock and cooperation; a
# different value, or a reference that differs in more, is refused), the report window
# checked against the horizon, the budget shared by the regions named, bad requests
# answered 4xx with a message, path traversal refused, non-loopback clients refused
# unless --allow-remote, the queue cap, cancel (nothing half-written left), a small run
# to the end with its downloads and provenance, runs kept across a restart, the server
# alive after clients that hang up or send garbage, retention (--keep: the runs that
# finished last kept, nothing else removed), and a port in use or an address not this machine's
# (nothing created; the hint names what to change).
# Nothing is written outside the results directory.
set -u
. "$(dirname "$0")/lib.sh"   # ROOT, BUILD, SIM; ok, no, check, checks, skip, die, finish
no() { fail=$((fail + 1)); echo "FAIL: $*"; [ -s body ] && head -c 400 body | sed 's/^/  body: /'; echo; }

. "$ROOT/tests/pyfind.sh"
PY3=${PY:-/usr/bin/python3}
command -v curl >/dev/null 2>&1 || die "curl is missing"
[ -x "$SIM" ] || die "no $SIM (run make all)"
T=$(mktemp -d /tmp/serve-test.XXXXXX) || exit 1
PIDS=""
cleanup() { for p in $PIDS; do kill "$p" 2>/dev/null; done; sleep 0.3; rm -rf "$T"; }
trap cleanup EXIT
mkdir "$T/cwd" && cd "$T/cwd" || exit 1

free_port() { "$PY3" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
# served_port FILE: the port of the "sim serve: http://HOST:PORT/" line in FILE, or nothing
served_port() { sed -n 's|^sim serve: http://[^:]*:\([0-9]*\)/ .*|\1|p' "$1"; }
# start ARGS...: start a server on a port the system picks (--port 0: no other test can take
# it between a probe and the bind), remember its pid in $pid and port in $port, wait until it answers
start() {
  "$SIM" serve --port 0 -q -t 2 "$@" >"$T/serve.out" 2>"$T/serve.err" &
  pid=$!; PIDS="$PIDS $pid"; port=""
  for i in $(seq 1 50); do
    [ -n "$port" ] || port=$(served_port "$T/serve.out")
    [ -n "$port" ] && curl -s -o /dev/null "http://127.0.0.1:$port/" && return 0
    sleep 0.1
  done
  return 1
}
# stop_server: stop the server started last and wait until it has exited (its lock on the
# results directory is released only then: a server started before would be refused)
stop_server() { kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; }
# req METHOD PATH [curl args]: status in $code, body in ./body
req() { m=$1; p=$2; shift 2; code=$(curl -s --path-as-is -o body -w '%{http_code}' -X "$m" "$@" "http://127.0.0.1:$port$p"); }
has() { grep -q -- "$1" body; }
FORM='reference=pow-incidental&title=Structural+test&kind=structural&budget=70&budget_unit=total&start=2019-09-01&end=2029-01-01&regions=all&underspend=20&substitution=35&covid=off&cooperation=0&share=0.01&reps=2&lang=en&from=&to='
form() { printf '%s' "$FORM" | sed "$1"; }
alive() { req GET /api/runs; [ "$code" = 200 ]; }
state() { curl -s "http://127.0.0.1:$port/api/runs/$1" | sed -n 's/.*"state": "\([a-z]*\)".*/\1/p'; }
wait_state() {   # wait_state ID STATE SECONDS
  for i in $(seq 1 $(($3 * 5))); do [ "$(state "$1")" = "$2" ] && return 0; sleep 0.2; done; return 1
}

RES="$T/res"
start -o "$RES" --max-queue 1
pid_res=$pid   # this server keeps $RES until the restart below
checks "serve starts and answers" '[ $? -eq 0 ]'
checks "--port 0: the first line names the free port the system gave" \
  '[ -n "$port" ] && [ "$port" -gt 0 ] && grep -q "^sim serve: http://127.0.0.1:$port/ " "$T/serve.out"'

# ---- the page, its assets, the reference list
req GET /
checks "GET /: 200, the page" '[ "$code" = 200 ] && has "<form id=\"form\""'
checks "the page loads nothing from another host (works offline)" '! grep -Eq "(src|href)=\"(https?:)?//" body'
req GET /static/app.js
checks "GET /static/app.js: 200" '[ "$code" = 200 ] && has "showResult"'
req GET /static/style.css
checks "GET /static/style.css: 200" '[ "$code" = 200 ]'
req GET /api/scenarios
checks "reference list: the library's scenarios with their titles" \
  '[ "$code" = 200 ] && has "\"pow-incidental\", \"title\": \"Perspectief op Werk as it was" && has "\"baseline\""'
checks "reference list: no parts, model tests or sweeps" '! has "\"mm1\"" && ! has "\"history\"" && ! has "sweep" && ! has "\"base\""'

# ---- form checks: messages per field, the CLI loader's own words
req POST /api/validate --data "$FORM"
checks "a valid form: 200, no errors" '[ "$code" = 200 ] && has "\"errors\": \[\]"'
req POST /api/validate --data "$(form 's/regions=all/regions=Atlantis/')"
checks "unknown region: the loader's message, on the regions field" \
  '[ "$code" = 200 ] && has "\"field\": \"regions\", \"message\": \"programmes.\[0\].regions.\[0\]: unknown region \\\\\"Atlantis\\\\\""'
req POST /api/validate --data "$(form 's/regions=all/regions=Utrecht/')"
checks "a near-miss region (Utrecht): the message suggests Midden-Utrecht and says how many names there are" \
  '[ "$code" = 200 ] && has "\"field\": \"regions\", .*unknown region .*Utrecht.* (did you mean .*Midden-Utrecht.*? allowed: .*one of the 35 region names"'
# a long message comes whole: the 35 allowed names after a misspelt region, as `sim validate` prints it
req POST /api/validate --data "$(form 's/regions=all/regions=Groningen,Atlantis/')"
msg=$("$PY3" -c 'import json; print(json.load(open("body"))["errors"][0]["message"])' 2>/dev/null)
cli=$("$SIM" validate "$RES/validate/alt.cfg" 2>&1 >/dev/null | head -n 1)
checks "regions=Groningen,Atlantis: the message names all 35 regions, up to the list's closing parenthesis" \
  '[ "$code" = 200 ] && [ "$(printf "%s" "$msg" | grep -o "\"[^\"]*\"" | wc -l)" = 37 ] && case $msg in *"\"Zuid-Limburg\")") true ;; *) false ;; esac'
checks "... and it is the CLI's message, character for character" '[ -n "$msg" ] && [ "${cli#*alt.cfg:*: }" = "$msg" ]'
req POST /api/validate --data "$(form 's/end=2029-01-01/end=2019-06-01/')"
checks "end before start: on the end field, in the form's words" \
  '[ "$code" = 200 ] && has "\"field\": \"end\", \"message\": \"2019-06-01 is not after the start 2019-09-01 (allowed: a later date, up to 2029-01-01)"'
req POST /api/validate --data "$(form 's/reps=2/reps=two/')"
checks "replications not a number: on the reps field" '[ "$code" = 200 ] && has "\"field\": \"reps\""'
req POST /api/validate --data "$(form 's/reps=2/reps=0/; s/share=0.01/share=2/')"
checks "replications 0 and share 2: each message echoes the value sent and says what is allowed" \
  '[ "$code" = 200 ] && has "\"field\": \"reps\", \"message\": \"'"'"'0'"'"' (allowed: a whole number from 1 to 200)" && has "\"field\": \"share\", \"message\": \"'"'"'2'"'"' (allowed: a share of the population from"'
req POST /api/validate --data "$(form 's/title=Structural+test/title=a%22%3B+seed+%3D+1%3B/')"
checks "a title with a quote (scenario injection) is refused on the title field" '[ "$code" = 200 ] && has "\"field\": \"title\""'
req POST /api/validate --data "$(form 's/reference=pow-incidental/reference=..%2F..%2Fetc%2Fpasswd/')"
checks "a reference outside the list is refused" '[ "$code" = 200 ] && has "\"field\": \"reference\""'
req POST /api/runs --data "$(form 's/kind=structural/kind=forever/')"
checks "an invalid run: 422 with the field, nothing queued" '[ "$code" = 422 ] && has "\"field\": \"kind\"" && [ ! -d "$RES/runs/000001" ]'
req POST /api/validate --data "$(form 's/covid=off/covid=maybe/')"
checks "covid=maybe is refused on the covid field with the allowed values" '[ "$code" = 200 ] && has "\"field\": \"covid\", \"message\": \"allowed: on, off"'
# how cooperation grows with the money: the reference's rule where it has a programme, the user's against the baseline
req POST /api/validate --data "$(form 's/covid=off/covid=off\&cooperation_rule=proportional/')"
checks "cooperation_rule=proportional against pow-incidental (any amount) is refused on that field, naming the way out" \
  '[ "$code" = 200 ] && has "\"field\": \"cooperation_rule\", \"message\": \"the reference.s programme lets cooperation grow fully for any amount" && has "pow-incidental-dose, or the baseline"'
req POST /api/validate --data "$(form 's/reference=pow-incidental/reference=baseline/; s/covid=off/covid=off\&cooperation_rule=proportional/')"
checks "... against the baseline it is accepted and the alternative's programme carries the rule (EUR 100,000)" \
  '[ "$code" = 200 ] && has "\"errors\": \[\]" && grep -q "cooperation_money_for_full_gain = 100000.0;" "$RES/validate/alt.cfg"'
req POST /api/validate --data "$(form 's/reference=pow-incidental/reference=pow-incidental-dose/')"
checks "... a dose reference passes its rule on when the form leaves it out" \
  '[ "$code" = 200 ] && has "\"errors\": \[\]" && grep -q "cooperation_money_for_full_gain = 100000.0;" "$RES/validate/alt.cfg"'
req POST /api/validate --data "$FORM"
checks "... and the library's rule (0: any amount) otherwise" \
  '[ "$code" = 200 ] && grep -q "cooperation_money_for_full_gain = 0.0;" "$RES/validate/alt.cfg"'
req POST /api/validate --data "$(form 's/covid=off/covid=off\&cooperation_rule=sometimes/')"
checks "cooperation_rule=sometimes is refused with the allowed values" '[ "$code" = 200 ] && has "\"field\": \"cooperation_rule\", \"message\": \"allowed: any, proportional"'
req GET /api/scenarios
checks "the scenario list gives each reference's cooperation rule" \
  'has "\"name\": \"pow-incidental-dose\"" && has "\"cooperation_rule\": \"proportional\"" && has "\"cooperation_rule\": \"any\""'
# the programme ends within the simulated horizon (a budget "in total" is then spread over simulated years only)
req POST /api/validate --data "$(form 's/end=2029-01-01/end=2031-01-01/')"
checks "an end after the horizon: refused on the end field, with the allowed range" \
  '[ "$code" = 200 ] && has "\"field\": \"end\", \"message\": \"2031-01-01 is after the end of the simulated horizon (allowed: after the start 2019-09-01, up to 2029-01-01"'
req POST /api/runs --data "$(form 's/end=2029-01-01/end=2029-01-02/')"
checks "... also when queued directly (one day after): 422, nothing queued" '[ "$code" = 422 ] && has "\"field\": \"end\"" && [ ! -d "$RES/runs/000001" ]'
# the period's other problems in the form's words, with the same range (not the loader's key names or its 1900-2200)
req POST /api/validate --data "$(form 's/start=2019-09-01/start=2018-01-01/')"
checks "a start before the simulated period: refused on the start field with the period" \
  '[ "$code" = 200 ] && has "\"field\": \"start\", \"message\": \"'"'"'2018-01-01'"'"' (allowed: a date YYYY-MM-DD from 2019-01-01, the start of the simulated period, to before 2029-01-01" && ! has "programmes"'
req POST /api/validate --data "$(form 's/end=2029-01-01/end=/')"
checks "an empty end: refused on the end field with the period" \
  '[ "$code" = 200 ] && has "\"field\": \"end\", \"message\": \"'"'"''"'"' (allowed: a date YYYY-MM-DD after the start, up to 2029-01-01" && ! has "programmes"'
# a Dutch decimal comma is a decimal point; a malformed number says how to write one
req POST /api/validate --data "$(form 's/budget=70/budget=70%2C5/')"
checks "budget 70,5 (decimal comma): valid, EUR 70.5M (215,748.61 per region per year)" \
  '[ "$code" = 200 ] && has "\"errors\": \[\]" && grep -q "budget_per_region = 215748.61;" "$RES/validate/alt.cfg"'
req POST /api/validate --data "$(form 's/budget=70/budget=7O/; s/underspend=20/underspend=20%2C5/')"
checks "budget 7O: refused on the budget field, saying how to write a number; under-spending 20,5 accepted" \
  '[ "$code" = 200 ] && has "\"field\": \"budget\", \"message\": \".7O. is not a number (allowed: a number of EUR million from 0 to 100000; use digits and one decimal point or comma" \
   && ! has "\"field\": \"underspend\""'
req POST /api/validate --data "$(form 's/budget=70/budget=1%2C000/')"
checks "budget 1,000 (a thousand or one?): refused as not a number, no thousands separators" \
  '[ "$code" = 200 ] && has "\"field\": \"budget\", \"message\": \".1,000. is not a number.*no thousands separators"'
req POST /api/validate --data "$(form 's/budget=70/budget=1.000/')"
checks "budget 1.000 (a thousand in Dutch, one in English): refused, not read as EUR 1M" \
  '[ "$code" = 200 ] && has "\"field\": \"budget\", \"message\": \".1.000. is not a number.*1.000 and 1,000 could be a thousand"'
req POST /api/validate --data "$(form 's/budget=70/budget=0.125/')"
checks "budget 0.125: three decimals after 0 are decimals" '[ "$code" = 200 ] && has "\"errors\": \[\]"'
req POST /api/validate --data "$(form 's/budget=70/budget=200000/')"
checks "budget 200000: refused with the range" '[ "$code" = 200 ] && has "\"field\": \"budget\", \"message\": \"a number of EUR million from 0 to 100000\""'

# ---- the alternative is built on the reference's world: only the programme differs
req GET /api/scenarios
checks "reference list: each reference's Covid shock, cooperation, regions, horizon and programme" \
  'has "\"pow-incidental-covid\", \"title\": \"[^\"]*\", \"covid\": true, \"cooperation\": 0, \"cooperation_rule\": \"any\", \"regions\": 35, \"horizon\": \[\"2019-01-01\", \"2029-01-01\"\]" \
   && has "\"cooperation-high\", \"title\": \"[^\"]*\", \"covid\": false, \"cooperation\": 0.2," && has "\"kind\": \"incidental\", \"budget_per_region\": 2000000, \"region_names\": \"all\""'
req POST /api/validate --data "$(form 's/reference=pow-incidental/reference=pow-incidental-covid/')"
checks "a reference with Covid and an alternative without: refused on the covid field (the verdict would mix both effects)" \
  '[ "$code" = 200 ] && has "\"field\": \"covid\", \"message\": \"the reference has the Covid-19 shock on;.*allowed: on"'
req POST /api/validate --data "$(form 's/reference=pow-incidental/reference=pow-incidental-covid/; s/covid=off//')"
checks "covid left out: as the reference (Covid on), valid" '[ "$code" = 200 ] && has "\"errors\": \[\]"'
checks "... and the alternative includes the reference's Covid shock" 'grep -q "^@include \".*/scenarios/parts/covid.cfg\"" "$RES/validate/alt.cfg"'
req POST /api/validate --data "$(form 's/reference=pow-incidental/reference=pow-incidental-covid/; s/covid=off/covid=on/')"
checks "covid on with a Covid reference: valid" '[ "$code" = 200 ] && has "\"errors\": \[\]"'
req POST /api/validate --data "$(form 's/reference=pow-incidental/reference=cooperation-high/')"
checks "cooperation as it is against a reference with cooperation +0.2: refused on the cooperation field" \
  '[ "$code" = 200 ] && has "\"field\": \"cooperation\", \"message\": \"the reference has more mature regional cooperation (+0.2);.*allowed: 0.2"'
req POST /api/validate --data "$(form 's/cooperation=0/cooperation=0.2/')"
checks "cooperation +0.2 against a reference with cooperation as it is: the message says 'as it is', not '+0'" \
  '[ "$code" = 200 ] && has "\"field\": \"cooperation\", \"message\": \"the reference has regional cooperation as it is (0);.*allowed: 0;" && ! has "+0;"'
req POST /api/validate --data "$(form 's/reference=pow-incidental/reference=cooperation-high/; s/cooperation=0/cooperation=/')"
checks "cooperation left out: as the reference, in the alternative" \
  '[ "$code" = 200 ] && has "\"errors\": \[\]" && grep -q "^cooperation = { maturity_offset = 0.2; };" "$RES/validate/alt.cfg"'
req POST /api/validate --data "$(form 's/reference=pow-incidental/reference=baseline/')"
checks "baseline (no programme) as the reference: valid, no Covid, no cooperation line" \
  '[ "$code" = 200 ] && has "\"errors\": \[\]" && ! grep -q "covid.cfg\|^cooperation" "$RES/validate/alt.cfg"'

# ---- the report window is checked against the run's horizon at Check time
req POST /api/validate --data "$(form 's/from=/from=2031-01-01/')"
checks "a window from after the horizon: on the from field, with the allowed range" \
  '[ "$code" = 200 ] && has "\"field\": \"from\", \"message\": \"2031-01-01 is after the midpoint of the run.s last month (2028-12-16), and a period counts in the window when its midpoint does (allowed: 2019-01-01 to 2028-12-16"'
req POST /api/validate --data "$(form 's/from=/from=2028-12-20/')"
checks "a window from inside the run's last month but after its midpoint: the rule is said, not 'outside the horizon'" \
  '[ "$code" = 200 ] && has "\"field\": \"from\", \"message\": \"2028-12-20 is after the midpoint of the run.s last month (2028-12-16)" && ! has "horizon"'
req POST /api/validate --data "$(form 's/to=/to=2018-06-01/')"
checks "a window to before the horizon: on the to field" '[ "$code" = 200 ] && has "\"field\": \"to\", \"message\": \"2018-06-01 is not after the run.s start (allowed: 2019-01-17 to 2029-01-01"'
req POST /api/validate --data "$(form 's/to=/to=2019-01-10/')"
checks "a window to inside the first month but before its midpoint: the rule is said" \
  '[ "$code" = 200 ] && has "\"field\": \"to\", \"message\": \"2019-01-10 is not after the midpoint of the run.s first month (2019-01-16), and a period counts"'
req POST /api/validate --data "$(form 's/from=/from=2021-01-01/; s/to=/to=2021-01-10/')"
checks "a window that holds no series step's midpoint: on the to field, with the first end that would" \
  '[ "$code" = 200 ] && has "\"field\": \"to\", \"message\": \"the window 2021-01-01 to 2021-01-10 holds no series step .*2021-01-17 or later"'
req POST /api/validate --data "$(form 's/regions=all/regions=+all+/')"
checks "\" all \" (spaces around, as the page trims them) is all regions" '[ "$code" = 200 ] && has "\"errors\": \[\]"'
req POST /api/validate --data "$(form 's/from=/from=2021-02-01/; s/to=/to=2021-03-01/')"
checks "February alone (28 days) is a valid window: its midpoint is in it" '[ "$code" = 200 ] && has "\"errors\": \[\]"'
req POST /api/validate --data "$(form 's/from=/from=2021-01-01/; s/to=/to=2020-01-01/')"
checks "a window that ends before it starts: on the to field" '[ "$code" = 200 ] && has "\"field\": \"to\""'
req POST /api/validate --data "$(form 's/from=/from=2020-01-01/; s/to=/to=2022-01-01/')"
checks "a window inside the horizon: valid" '[ "$code" = 200 ] && has "\"errors\": \[\]"'

# ---- the window against the steps the model writes when the origin is not a 1st and a step is
# 3 months: boundaries on the 1st of every 3rd month after the origin's month, whole steps only
# (origin 2018-12-15, end 2020-02-01: steps end 2019-03-01, 06-01, 09-01, 12-01; midpoints
# 2019-01-22 .. 2019-10-16). A second server on a copy of the scenarios with that horizon.
mkdir -p "$T/root2" && cp -r "$ROOT/scenarios" "$T/root2/scenarios" && ln -s "$ROOT/analysis" "$T/root2/analysis" \
  && ln -s "$ROOT/sim" "$T/root2/sim"
sed -i 's/^origin = "2019-01-01";/origin = "2018-12-15";/; s/^  end = "2029-01-01";/  end = "2020-02-01";/; s/^  series_step_months = 1.0;/  series_step_months = 3.0;/' \
  "$T/root2/scenarios/base.cfg"
port1=$port
start --root "$T/root2" -o "$T/res2"
req POST /api/validate --data "$(form 's/from=/from=2020-01-01/')"
checks "3-month steps from the 15th: from after the last step's midpoint is refused, with the model's range" \
  '[ "$code" = 200 ] && has "\"field\": \"from\", \"message\": \"2020-01-01 is after the midpoint of the run.s last 3-month period (2019-10-16), and a period counts in the window when its midpoint does (allowed: 2018-12-15 to 2019-10-16"'
req POST /api/validate --data "$(form 's/to=/to=2019-01-25/')"
checks "... and to just after the first step's midpoint (2019-01-22) is accepted" '[ "$code" = 200 ] && ! has "\"field\": \"to\""'
port=$port1

# ---- regions: the budget is divided by the regions named (as the page says)
req POST /api/validate --data "$(form 's/regions=all/regions=Groningen%2C+Drenthe%2C/')"
checks "two regions and a trailing comma: EUR 70M in total over 9.34 years is 3.75M per region per year" \
  '[ "$code" = 200 ] && has "\"errors\": \[\]" && grep -q "regions = \[\"Groningen\", \"Drenthe\"\];" "$RES/validate/alt.cfg" \
   && grep -q "budget_per_region = 3748823.31;" "$RES/validate/alt.cfg"'
req POST /api/validate --data "$(form 's/regions=all/regions=Groningen%2C+Groningen/')"
checks "a region named twice: on the regions field" '[ "$code" = 200 ] && has "\"field\": \"regions\", \"message\": \"Groningen is named twice"'

# ---- a field sent twice is refused by name (its values were joined: "2029-01-012020-01-01" is not a valid date)
req POST /api/validate --data "$FORM&end=2020-01-01"
checks "end sent twice: 400, naming the field" \
  '[ "$code" = 400 ] && has "\"error\": \"the field \\\\\"end\\\\\" is sent more than once (allowed: each field once)\"" && ! has "2029-01-012020"'
# ---- a hand-made form: a raw "=" in a value is named
req POST /api/validate --data "$FORM&reps2=2=3"
checks "a raw = in a value: 400, naming the field and %3D" \
  '[ "$code" = 400 ] && has "the field ..reps2.. holds an unencoded ..=.. (send it as %3D"'
req POST /api/runs --data "reference=x&$FORM"
checks "reference sent twice to /api/runs: 400, nothing queued" '[ "$code" = 400 ] && has "reference" && [ ! -d "$RES/runs/000001" ]'
req POST /api/validate --data "$(form "s/title=Structural+test/title=$(head -c 6000 /dev/zero | tr '\0' x)/")"
checks "a long value arrives in pieces and is not a field sent twice: the title's own message" \
  '[ "$code" = 200 ] && has "\"field\": \"title\"" && ! has "more than once"'

# ---- a regions line longer than 1 KiB in the overlay is written whole (it was cut, and the loader
# then reported a syntax error on the start field)
req POST /api/validate --data "$(form "s/regions=all/regions=$(for i in $(seq 10 49); do printf 'Region%sxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx%%2C' "$i"; done)/")"
checks "40 long unknown region names: the loader's unknown region, on the regions field (no syntax error)" \
  '[ "$code" = 200 ] && has "\"field\": \"regions\", \"message\": \"programmes.\[0\].regions.\[0\]: unknown region" && ! has "syntax error"'

# ---- bad requests: 4xx with a message
req GET /nowhere
checks "unknown page: 404 with a message" '[ "$code" = 404 ] && has "\"error\""'
req PUT /api/runs --data x
checks "PUT: 405" '[ "$code" = 405 ] && has "\"error\""'
req POST /api/runs -H 'Content-Type: application/json' --data '{"a":1}'
checks "JSON body: 415" '[ "$code" = 415 ] && has "urlencoded"'
head -c 20000 /dev/zero | tr '\0' 'a' > big
req POST /api/runs -H "Content-Type: application/x-www-form-urlencoded" --data-binary @big
checks "a 20 KB form: 413" '[ "$code" = 413 ]'
many=$(seq 1 40 | sed 's/.*/f&=1/' | tr '\n' '&')
req POST /api/validate --data "$many"
checks "40 fields: 400, saying what a form may hold" '[ "$code" = 400 ] && has "malformed form (allowed: at most 24 fields"'
req POST /api/runs/999/cancel
checks "cancel an unknown run: 404" '[ "$code" = 404 ]'
req POST /api/runs/abc/cancel
checks "cancel with a malformed id: 404" '[ "$code" = 404 ]'

# ---- path traversal: no request path reaches the file system
for p in /runs/../../etc/passwd /runs/000001/../../../../etc/passwd /static/../serve.c /static/../../../../etc/passwd \
         /runs/1/..%2F..%2F..%2Fetc%2Fpasswd /%2e%2e/%2e%2e/etc/passwd /runs/1/job.txt /runs/0000001/alt.cfg /runs/-1/alt.cfg \
         "/runs/1/alt.cfg%00.txt" /static/app.js/../../serve.c; do
  req GET "$p"
  checks "traversal $p: 404, no file content" '[ "$code" = 404 ] && ! has "root:" && ! has "#include"'
done

# ---- queue cap and cancel
req POST /api/runs --data "$(form 's/reps=2/reps=40/; s/share=0.01/share=0.05/')"
checks "a run is queued: 201" '[ "$code" = 201 ] && has "\"id\": 1"'
req POST /api/runs --data "$FORM"
checks "queue cap 1: the second run is refused with 429" '[ "$code" = 429 ] && has "queue is full"'
wait_state 1 running 10
sleep 1
req POST /api/runs/1/cancel
checks "cancel a running run: 202" '[ "$code" = 202 ]'
wait_state 1 cancelled 20
checks "the run ends as cancelled" '[ "$(state 1)" = cancelled ]'
checks "cancel leaves no half-written file" '[ -z "$(ls "$RES/runs/000001" | grep -e partial -e "\.h5$")" ]'
req POST /api/runs/1/cancel
checks "cancel it again: 409" '[ "$code" = 409 ]'

# ---- a small run to the end, with its downloads
req POST /api/runs --data "$(form 's/share=0.01/share=0.05/')"
checks "a small run is queued" '[ "$code" = 201 ] && has "\"id\": 2"'
# a client that hangs up mid-run, and one that sends garbage: the server goes on
curl -s -m 0.05 "http://127.0.0.1:$port/api/runs" >/dev/null 2>&1
"$PY3" -c '
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1]))); s.sendall(b"GARBAGE \x00\xff\r\n\r\n"); print(s.recv(200)[:12]); s.close()
s = socket.create_connection(("127.0.0.1", int(sys.argv[1]))); s.sendall(b"POST /api/runs HTTP/1.1\r\nHost: x\r\nContent-Length: 900\r\n\r\nref"); s.close()
' "$port" >garbage.out 2>&1
checks "garbage request line: a 4xx answer" 'grep -q "HTTP/1.1 4" garbage.out'
checks "alive after a hang-up, garbage and a cut body" alive
# its progress until it ends, one "state done total seconds_left" line per poll
: >phases
for i in $(seq 1 2400); do
  curl -s "http://127.0.0.1:$port/api/runs/2" \
    | sed -n 's/.*"state": "\([a-z]*\)".*"done": \([0-9]*\), "total": \([0-9]*\),.*"seconds_left": \(-*[0-9]*\),.*/\1 \2 \3 \4/p' >>phases
  case $(tail -n 1 phases) in done* | failed* | cancelled*) break ;; esac
  sleep 0.1
done
checks "the small run finishes" '[ "$(state 2)" = done ]'
checks "after the replications the run is in state report (all done, no time left claimed), never '0 s left'" \
  'grep -q "^report 4 4 -1$" phases && ! grep -Eq "^(running|report) 4 4 [0-9]" phases && ! grep -q "^report [0-3] " phases'
req GET /runs/000002/report.html
checks "report.html: the verdict first" '[ "$code" = 200 ] && has "<h2>Verdict</h2>" && has "Net cost to the public purse"'
checks "report.html: who is placed because of the policy, with data (the runs trace people)" \
  'has "<section id=\"who-is-placed-because-of-the-policy\">" && has "as well (deadweight)" && ! has "not available; both files need"'
checks "report.html: the regional table has deadweight and net placements (n/a in at most 3 of 35 regions, not all)" \
  'sed -n "/<section id=\"results-by-region\">/,/<\/section>/p" body >regions.html \
   && [ "$(grep -c "^<tr[^>]*><td class=\"l\">" regions.html)" = 35 ] && [ "$(grep -c "<td>n/a</td></tr>" regions.html)" -le 3 ]'
code=$(curl -s -D hdr -o body -w '%{http_code}' "http://127.0.0.1:$port/runs/2/alt.cfg")
checks "alt.cfg: a download named run-000002-alt.cfg, an overlay of base.cfg" \
  '[ "$code" = 200 ] && grep -qi "content-disposition: attachment; filename=\"run-000002-alt.cfg\"" hdr && has "kind = \"structural\";"'
checks "alt.cfg: its header runs it under the download's name from the repository root" \
  'has "^#   sim run scenarios/run-000002-alt.cfg -r 2 --set labour_market.scale=0.05 -d events --sample 0.2$" && ! has "sim run alt.cfg"'
checks "alt.cfg: includes relative to the repository's scenarios/, not the server's directory" \
  'has "^@include \"base.cfg\"$" && ! grep -qF "$ROOT" body && [ "$(grep -c "^@include" body)" = 1 ]'
mkdir -p repo && cp -r "$ROOT/scenarios" repo/ && cp body repo/scenarios/run-000002-alt.cfg
(cd repo && "$SIM" validate scenarios/run-000002-alt.cfg >/dev/null 2>../val.err)
checks "alt.cfg saved as its header says is a normal scenario (sim validate: 0)" '[ $? -eq 0 ]'
checks "... and the file the server ran still names its own scenarios (what was run)" \
  'grep -qF "@include \"$ROOT/scenarios/base.cfg\"" "$RES/runs/000002/alt.cfg"'
code=$(curl -s -D hdr -o body -w '%{http_code}' "http://127.0.0.1:$port/runs/2/alt.h5")
checks "alt.h5: HDF5, as an attachment" '[ "$code" = 200 ] && head -c 8 body | grep -q HDF && grep -qi "content-disposition: attachment" hdr'
checks "provenance: the scale as the user gave it (--set labour_market.scale=0.05, not 0.050000000000000003)" \
  'grep -aq "labour_market.scale=0.05[^0-9]" body && ! grep -aq "scale=0.0500000" body'
checks "provenance: traced at -d events, 1% of the national population (--sample 0.2 at 5%)" \
  'grep -aq "labour_market.scale=0.05 -d events --sample 0.2 " body'
req GET /runs/2/compare.csv
checks "compare.csv: the paired table" '[ "$code" = 200 ] && has "^metric,region,base_mean"'
# a Dutch report's reader gets the table for a spreadsheet with Dutch settings (sim compare --csv-nl)
req POST /api/runs --data "$(form 's/lang=en/lang=nl/')"
checks "a small run with a Dutch report is queued" '[ "$code" = 201 ] && has "\"id\": 3"'
wait_state 3 done 300
req GET /runs/3/compare.csv
checks "... its compare.csv has ';' between fields and decimal commas" \
  '[ "$code" = 200 ] && has "^metric;region;base_mean" && grep -q "^placements;;.*[0-9],[0-9]" body'
checks "nothing half-written in the run directory" '[ -z "$(ls "$RES/runs/000002" | grep partial)" ]'

# ---- runs persist across a restart; nothing outside the results directory
stop_server; pid=$pid_res; stop_server   # the server on res2, then the first one, which holds $RES
start -o "$RES"
req GET /api/runs
checks "after a restart the runs are listed again" '[ "$code" = 200 ] && has "\"id\": 2, \"state\": \"done\"" && has "\"id\": 1, \"state\": \"cancelled\""'
checks "a run's record names its report language (the page labels the CSV by it)" 'has "\"id\": 2, [^}]*\"lang\": \"en\""'
checks "the server wrote nothing outside its results directory" '[ -z "$(ls -A "$T/cwd" | grep -v -e "^body$" -e "^big$" -e "^hdr$" -e "^garbage.out$" -e "^repo$" -e "^val.err$" -e "^phases$" -e "^regions.html$")" ]'
stop_server

# ---- clients that are not on the loopback interface
IP=$(hostname -I 2>/dev/null | tr ' ' '\n' | grep -E '^[0-9]+\.' | grep -v '^127\.' | head -n 1)
if [ -n "$IP" ]; then
  start -o "$RES" --bind 0.0.0.0
  code=$(curl -s -o body -w '%{http_code}' "http://$IP:$port/")
  checks "a non-loopback client is refused: 403 with a message" '[ "$code" = 403 ] && has "allow-remote"'
  stop_server
  start -o "$RES" --bind 0.0.0.0 --allow-remote
  code=$(curl -s -o body -w '%{http_code}' "http://$IP:$port/")
  checks "--allow-remote serves it" '[ "$code" = 200 ]'
  stop_server
else
  skip "no non-loopback IPv4 address on this machine: the remote-client checks did not run"
fi

# ---- a reference the page cannot rebuild (more than a programme, Covid and cooperation): refused
mkdir -p "$T/root/sim/app" && ln -s "$ROOT/sim/app/web" "$T/root/sim/app/web" && cp -r "$ROOT/scenarios" "$T/root/scenarios"
printf '@include "base.cfg"\ntitle = "Shorter durable";\noverrides = ( { key = "labour_market.durable_months"; value = 6.0; } );\n' >"$T/root/scenarios/odd.cfg"
start -o "$T/res-odd" --root "$T/root"
LONGT="A title of 250 characters $(printf '%224s' '' | tr ' ' x)"
printf '@include "base.cfg"\ntitle = "%s";\n' "$LONGT" >"$T/root/scenarios/long-title.cfg"
req GET /api/scenarios
checks "a reference's title of 250 characters is listed whole (it was cut at 199 bytes)" \
  '[ "$code" = 200 ] && has "{\"name\": \"long-title\", \"title\": \"$LONGT\","'
req POST /api/validate --data "$(form 's/reference=pow-incidental/reference=odd/')"
checks "a reference that differs from base.cfg in more than its policy: refused on the reference field, naming the key" \
  '[ "$code" = 200 ] && has "\"field\": \"reference\", \"message\": \"the alternative cannot be built on odd.cfg: it would also differ in labour_market.durable_months"'
stop_server

# ---- retention (--keep N): the N runs that finished last are kept; older ones are removed at
# start-up and when a run finishes, never a run that waits or works, nor anything that is not a run
# directory the server made (RESULTS/runs/NNNNNN holding job.txt), nor anything through a symbolic
# link. Finished runs are made by hand (job.txt is the marker); the runs started here are cancelled.
K="$T/keep"; O="$T/outside"
mkdir -p "$K/runs" "$O/run" "$O/exp"
hand_run() {   # hand_run NNNNNN [ENDED]: a finished run as the server leaves one (ended= its end time; none: made before
               # --keep existed), a link to outside in it
  mkdir "$K/runs/$1" && printf 'state=done\nref=pow-incidental\ntitle=hand-made %s\nlang=en\nreps=1\nshare=0.01\n%s' "$1" \
    "${2:+ended=$2
}" >"$K/runs/$1/job.txt" \
    && echo data >"$K/runs/$1/alt.h5" && mkdir "$K/runs/$1/sub" && ln -s "$O/run" "$K/runs/$1/sub/link"
}
wait_gone() { for i in $(seq 1 $(($2 * 5))); do [ -e "$1" ] || return 0; sleep 0.2; done; return 1; }   # wait_gone PATH SECONDS
run_id() { sed -n 's/^{"id": \([0-9]*\),.*/\1/p' body; }
for r in 000001 000003 000005 000006; do hand_run $r "170000${r#0000}"; done   # ended in the order of their numbers
hand_run 000004                                                                  # from before --keep: no end time
mkdir "$K/runs/000002" && echo mine >"$K/runs/000002/notes.txt"                 # six digits but no job.txt: not a run
mkdir "$K/runs/mine" && echo mine >"$K/runs/mine/notes.txt"
printf 'state=done\n' >"$O/run/job.txt" && ln -s "$O/run" "$K/runs/000007"      # a link to a run-like directory outside
echo mine >"$K/runs/000008" && echo mine >"$K/notes.txt"                         # a file named as a run; a file beside runs/
mkdir "$K/runs/.expired-000009" && echo data >"$K/runs/.expired-000009/ref.h5"  # a removal cut short by a stop
echo mine >"$O/exp/notes.txt" && ln -s "$O/exp" "$K/runs/.expired-000010"
mkdir "$K/runs/000011" && echo 'x = 1;' >"$K/runs/000011/alt.cfg" && echo checking >"$K/runs/000011/alt.cfg.validate"   # a form check cut short
mkdir "$K/runs/000012" && echo 'x = 1;' >"$K/runs/000012/alt.cfg" && echo mine >"$K/runs/000012/notes.txt"
start -o "$K" --keep 2 --max-queue 3
checks "--keep 2: the first line says the 2 runs that finished last are kept" \
  'grep -q "^sim serve: http://127.0.0.1:$port/ .*the 2 runs that finished last kept" "$T/serve.out"'
checks "--keep 2 at start-up: the two finished runs that ended first are removed, each named on stderr" \
  '[ ! -e "$K/runs/000001" ] && [ ! -e "$K/runs/000003" ] \
   && [ "$(grep -c "^sim serve: removed run 00000[13] and its files (--keep 2" "$T/serve.err")" = 2 ]'
req GET /api/runs
checks "... the two that ended last are kept whole; a run from before --keep (no end time) is neither counted nor removed" \
  '[ -f "$K/runs/000005/alt.h5" ] && [ -L "$K/runs/000006/sub/link" ] && [ -f "$K/runs/000004/alt.h5" ] \
   && [ "$(grep -c "\"id\": " body)" = 3 ] && has "\"id\": 6," && has "\"id\": 5," && has "\"id\": 4,"'
checks "... a link in a removed run is removed, not what it points to" '[ -f "$O/run/job.txt" ]'
checks "not runs, untouched: NNNNNN without job.txt, another directory, a file named as a run, a file beside runs/" \
  '[ -f "$K/runs/000002/notes.txt" ] && [ -f "$K/runs/mine/notes.txt" ] && [ -f "$K/runs/000008" ] && [ -f "$K/notes.txt" ]'
checks "a link named as a run (to a directory with job.txt): not listed, not removed, its target untouched" \
  '[ -L "$K/runs/000007" ] && [ -f "$O/run/job.txt" ] && ! has "\"id\": 7,"'
checks "a removal cut short (runs/.expired-NNNNNN) is finished at start-up; a link of that name is left, and its target" \
  '[ ! -e "$K/runs/.expired-000009" ] && [ -L "$K/runs/.expired-000010" ] && [ -f "$O/exp/notes.txt" ]'
checks "a form check cut short (NNNNNN holding alt.cfg and its check log only, no job.txt) is removed at start-up; with another file it is left" \
  '[ ! -e "$K/runs/000011" ] && [ -f "$K/runs/000012/notes.txt" ] && [ -f "$K/runs/000012/alt.cfg" ]'
req GET /api/settings
checks "GET /api/settings: --keep and --max-queue, for the page" '[ "$code" = 200 ] && has "{\"keep\": 2, \"max_queue\": 3, "'
checks "GET /api/settings: the form's ranges Check applies, for the page's preview (replications up to 200)" \
  '[ "$code" = 200 ] && has "\"limits\": {\"budget_max\": 100000, \"percent_max\": 100, \"share_min\": 0.001, \"reps_max\": 200}"'
LONG=$(form 's/reps=2/reps=40/; s/share=0.01/share=0.05/')
req POST /api/runs --data "$LONG"; a=$(run_id)
checks "a new run is numbered above every run name in runs/ (it is never written into another's directory)" \
  '[ "$code" = 201 ] && [ "$a" = 13 ]'
wait_state "$a" running 10
req POST /api/runs --data "$LONG"; b=$(run_id)   # waits behind a
req POST /api/runs --data "$FORM"; c=$(run_id)
req POST "/api/runs/$c/cancel"
req POST /api/runs --data "$FORM"; d=$(run_id)
req POST "/api/runs/$d/cancel"                   # c and d end before a, b; 5 and 6 ended before them (no time)
req POST "/api/runs/$a/cancel"                   # a ends last
wait_gone "$K/runs/0000$c" 20
checks "when run $a ends: of the finished runs 5, 6, $c, $d, $a the two that ended last ($d, $a) are kept, the others removed" \
  '[ ! -e "$K/runs/000005" ] && [ ! -e "$K/runs/000006" ] && [ ! -e "$K/runs/0000$c" ] \
   && [ -f "$K/runs/0000$a/job.txt" ] && [ -f "$K/runs/0000$d/job.txt" ] && [ -f "$K/runs/000004/job.txt" ]'
checks "... run $b, older than the kept $d but waiting or running, is untouched" \
  '[ -f "$K/runs/0000$b/alt.cfg" ] && case $(state "$b") in queued | running) true ;; *) false ;; esac'
req GET /api/runs/5
checks "... a removed run is gone from the list (404)" '[ "$code" = 404 ]'
wait_state "$b" running 10
req POST "/api/runs/$b/cancel"
wait_gone "$K/runs/0000$d" 20
checks "when run $b ends: $b and $a (ended last) kept, $d removed, though numbered after $b" \
  '[ ! -e "$K/runs/0000$d" ] && [ -f "$K/runs/0000$a/job.txt" ] && [ -f "$K/runs/0000$b/job.txt" ] && [ -f "$K/runs/000002/notes.txt" ]'
stop_server
hand_run 000001
start -o "$K" --keep 0
checks "--keep 0: every run kept (the first line says so), an old one too" \
  'grep -q "^sim serve: http://.*every run kept" "$T/serve.out" && [ -f "$K/runs/000001/job.txt" ] && [ -f "$K/runs/0000$a/job.txt" ]'
timeout 20 "$SIM" serve --port 0 -q -o "$K" >out 2>err
checks "a second server on the same results directory: refused (exit 1, one line naming it and what to do)" \
  '[ $? -eq 1 ] && [ "$(wc -l <err)" = 1 ] && grep -q "^sim: serve: $K: another sim serve uses this results directory (allowed: stop the other" err'
stop_server
# a run that was working when its server stopped ended when its job.txt was last written, not at the restart:
# it must not push out runs that finished after it
K2="$T/keep2"; now=$(date +%s)
for r in 1 2; do mkdir -p "$K2/runs/00000$r" && printf 'state=done\nref=pow-incidental\ntitle=t\nlang=en\nreps=1\nshare=0.01\nended=%s\n' \
  $((now - 100 + r)) >"$K2/runs/00000$r/job.txt"; done
mkdir "$K2/runs/000003" && printf 'state=running\nref=pow-incidental\ntitle=t\nlang=en\nreps=1\nshare=0.01\n' >"$K2/runs/000003/job.txt" \
  && touch -d "@$((now - 1000))" "$K2/runs/000003/job.txt"
start -o "$K2" --keep 2
checks "--keep 2 after a restart: the run the stop cut short (written before the others ended) is removed, the two done kept" \
  '[ ! -e "$K2/runs/000003" ] && [ -f "$K2/runs/000001/job.txt" ] && [ -f "$K2/runs/000002/job.txt" ]'
stop_server
mkdir -p "$T/linked/res" "$T/linked/elsewhere" && ln -s "$T/linked/elsewhere" "$T/linked/res/runs"
timeout 20 "$SIM" serve --port 0 -q -o "$T/linked/res" >out 2>err
checks "runs/ a symbolic link: refused at start (exit 1, one line), --keep never removes through it" \
  '[ $? -eq 1 ] && [ "$(wc -l <err)" = 1 ] && grep -q "^sim: serve: .*/runs: a symbolic link; --keep removes old runs only .*(allowed: -o the directory it points to, or --keep 0)" err'

# ---- a port in use: one sim: line, and no directory left behind
start -o "$RES"
mkdir "$T/bindcwd" && (cd "$T/bindcwd" && timeout 20 "$SIM" serve --port "$port" -q >out 2>err; echo $? >rc)
checks "a port in use: exit 1" '[ "$(cat "$T/bindcwd/rc")" = 1 ]'
checks "a port in use: every message starts with sim: and names the port" \
  '[ -s "$T/bindcwd/err" ] && ! grep -qv "^sim: " "$T/bindcwd/err" && grep -q ":$port" "$T/bindcwd/err"'
checks "a port in use: the hint is a free port (--port), not another address" \
  'grep -q "Address already in use (allowed: a free port, see --port)" "$T/bindcwd/err" && ! grep -q -- "--bind" "$T/bindcwd/err"'
checks "a port in use: no results directory created" '[ -z "$(ls -A "$T/bindcwd" | grep -v -e "^out$" -e "^err$" -e "^rc$")" ]'
timeout 20 "$SIM" serve --port "$port" -q -o "$T/res-bind" >out 2>err
checks "a port in use with -o DIR: DIR not created" '[ $? -eq 1 ] && [ ! -e "$T/res-bind" ]'
stop_server

# ---- an address that is not this machine's (192.0.2.1: TEST-NET-1, never assigned): the hint is about the address
timeout 20 "$SIM" serve --bind 192.0.2.1 --port "$(free_port)" -q -o "$T/res-addr" >out 2>err
checks "--bind 192.0.2.1: exit 1, one sim: line naming the address" \
  '[ $? -eq 1 ] && [ "$(wc -l <err)" = 1 ] && grep -q "^sim: serve: cannot listen on 192.0.2.1:[0-9]*: " err && [ ! -e "$T/res-addr" ]'
checks "--bind 192.0.2.1: the hint is an address of this machine (--bind), not a free port" \
  'grep -q "(allowed: an address of this machine, e.g. 127.0.0.1 or 0.0.0.0 for all of them, see --bind)" err && ! grep -q "free port" err'

# ---- usage errors
timeout 20 "$SIM" serve --port 65536 >out 2>err
checks "--port 65536: usage error (exit 2), the range named" '[ $? -eq 2 ] && grep -q "port: .65536. is not an integer in 0..65535 (0: any free port)" err'
for k in -1 x 1001; do
  timeout 20 "$SIM" serve --port 0 --keep "$k" >out 2>err
  checks "--keep $k: usage error (exit 2), one line naming the range" \
    '[ $? -eq 2 ] && grep -q "^sim: --keep: .$k. is not an integer in 0..1000 (0: keep every run)$" err'
done
timeout 20 "$SIM" serve --help >out 2>err
checks "sim serve --help: --keep, its default and what is never removed" \
  'grep -q -- "--keep N  *finished runs kept: the N that finished last (default 20; 0: every run)" out && grep -q "never touched" out'
timeout 20 "$SIM" serve --port "$(free_port)" --root "$T/nowhere" >out 2>err
checks "--root without the web assets: exit 1, one line" '[ $? -eq 1 ] && grep -q "sim/app/web/index.html: missing" err'

finish
