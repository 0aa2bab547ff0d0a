#!/bin/sh
# test_serve_browser.sh: the `sim serve` page end to end in headless Chromium
# (tests/serve_browser.py over the DevTools protocol): a validation error next to its
# field, the budget sentence for the regions named, what the alternative changes against
# the reference (Covid-19 and cooperation its own), an alternative built and run at a
# small scale, the verdict, every chart loaded,
# 480 px, no console errors; and the page's robustness: problems counted next to the
# buttons with the first field focused (aria-invalid, aria-describedby), no "NaN" or
# negative money in the live preview, a double click on Run queues one run, one polling
# timer, "Show the result" scrolls to it, and a server stopped mid-run: the page says it lost
# contact, keeps polling, and recovers when the server is back (the run failed, its log
# linked). Without Debian's chromium or python3-websocket it prints
# SKIP and counts one skipped check (never a pass). SERVE_SCREENSHOTS=DIR also writes
# DIR/serve-1400.png and DIR/serve-480.png (how docs/serve-*.png are made).
set -u
. "$(dirname "$0")/lib.sh"   # ROOT, BUILD, SIM; ok, no, check, checks, skip, die, finish
PY3=/usr/bin/python3
[ -x "$SIM" ] || die "no $SIM (run make all)"
CHROME=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROME" ] || ! "$PY3" -c 'import websocket' 2>/dev/null; then
  echo "SKIP: the browser test needs Debian's chromium and python3-websocket (scripts/deps.sh test installs them where it can)"
  echo "0 passed, 0 failed, 1 skipped"
  exit 0
fi
T=$(mktemp -d /tmp/serve-browser.XXXXXX) || exit 1
spid=""
trap '[ -n "$spid" ] && kill "$spid" 2>/dev/null; sleep 0.3; rm -rf "$T"' EXIT
"$SIM" serve --port 0 -q -t 2 -o "$T/res" >"$T/serve.out" 2>"$T/serve.err" &   # a port the system picks
spid=$!
port=""
for i in $(seq 1 50); do
  [ -n "$port" ] || port=$(sed -n 's|^sim serve: http://[^:]*:\([0-9]*\)/ .*|\1|p' "$T/serve.out")
  [ -n "$port" ] && curl -s -o /dev/null "http://127.0.0.1:$port/" && break
  sleep 0.1
done
# the script stops this server (SERVE_PID) mid-run and starts another on the same port and
# results directory (SERVE_SIM, SERVE_RESULTS), which it stops at its end
SERVE_PID=$spid SERVE_SIM="$SIM" SERVE_RESULTS="$T/res" \
  "$PY3" "$ROOT/tests/serve_browser.py" "$CHROME" "http://127.0.0.1:$port/" "$T" ${SERVE_SCREENSHOTS:+"$SERVE_SCREENSHOTS"}
