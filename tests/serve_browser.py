#!/usr/bin/env python3
"""serve_browser.py: drive the `sim serve` page in headless Chromium over the DevTools
protocol (python3-websocket), as a user would: a validation error shows next to its
field, the budget sentence counts the regions named, the page lists what the alternative
changes against the reference and keeps the reference's Covid-19 and cooperation, the run
list says how many finished runs the server keeps (--keep), then
build an alternative, run it at a small scale, wait for completion, check
the verdict text, who is placed because of the policy and the regional table (which the
charts' captions refer to), that every chart image loaded, that the page fits 480 px, and that
the console has no errors. Also what a usability review found: problems counted next to the
buttons with the first marked field focused and tied to its message (aria-invalid,
aria-describedby), a live preview without "NaN" or negative money and with the allowed
range of replications, a double click on Run queues one run, one polling timer however
often Run is pressed, "Show the result" scrolls to the result and names the run, and a
server stopped mid-run (SERVE_PID) and started again (SERVE_SIM, SERVE_RESULTS): the page
says it lost contact, keeps polling without an uncaught error, and recovers (the run failed,
its log linked). Prints one line per check and "N passed, M failed".

Usage: serve_browser.py CHROMIUM SERVER_URL WORKDIR [SCREENSHOT_DIR]
"""
import base64
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request

import websocket

passed = failed = 0


def check(what, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print("ok   " + what)
    else:
        failed += 1
        print("FAIL " + what + ((": " + str(detail)[:400]) if detail else ""))


class Page:
    """One DevTools session on a page target; console errors are collected."""

    def __init__(self, ws_url):
        self.ws = websocket.create_connection(ws_url, timeout=60)
        self.n = 0
        self.errors = []
        for m in ("Runtime.enable", "Log.enable", "Page.enable"):
            self.call(m)

    def _event(self, msg):
        m, p = msg.get("method"), msg.get("params", {})
        if m == "Runtime.exceptionThrown":
            self.errors.append(p["exceptionDetails"].get("text", "exception") + " " +
                               str(p["exceptionDetails"].get("exception", {}).get("description", "")))
        elif m == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
            self.errors.append("console.%s: %s" % (p["type"], [a.get("value") for a in p.get("args", [])]))
        elif m == "Log.entryAdded" and p["entry"].get("level") == "error":
            self.errors.append("log: %s %s" % (p["entry"].get("text"), p["entry"].get("url", "")))

    def call(self, method, **params):
        self.n += 1
        self.ws.send(json.dumps({"id": self.n, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == self.n:
                if "error" in msg:
                    raise RuntimeError("%s: %s" % (method, msg["error"]))
                return msg.get("result", {})
            self._event(msg)

    def js(self, expr):
        r = self.call("Runtime.evaluate", expression=expr, awaitPromise=True, returnByValue=True)
        if "exceptionDetails" in r:
            raise RuntimeError("js %s: %s" % (expr[:80], r["exceptionDetails"]))
        return r["result"].get("value")

    def wait(self, expr, seconds):
        end = time.time() + seconds
        while time.time() < end:
            try:
                if self.js(expr):
                    return True
            except RuntimeError:
                pass
            time.sleep(0.3)
        return False

    def width(self, w, h=900):
        self.call("Emulation.setDeviceMetricsOverride", width=w, height=h, deviceScaleFactor=1, mobile=w < 600)

    def screenshot(self, path, w):
        self.width(w)
        time.sleep(0.5)
        hgt = self.js("Math.ceil(document.documentElement.scrollHeight)")
        shot = self.call("Page.captureScreenshot", format="png", captureBeyondViewport=True,
                         clip={"x": 0, "y": 0, "width": w, "height": min(hgt, 3000), "scale": 1})
        with open(path, "wb") as out:
            out.write(base64.b64decode(shot["data"]))


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def start_chromium(exe, workdir):
    port = free_port()
    args = [exe, "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
            "--no-default-browser-check", "--disable-extensions", "--user-data-dir=" + os.path.join(workdir, "chrome"),
            "--remote-debugging-port=%d" % port, "--remote-allow-origins=*", "--window-size=1400,900", "about:blank"]
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=open(os.path.join(workdir, "chrome.log"), "w"))
    end = time.time() + 30
    while time.time() < end:
        try:
            pages = json.load(urllib.request.urlopen("http://127.0.0.1:%d/json/list" % port, timeout=2))
            pages = [p for p in pages if p.get("type") == "page"]
            if pages:
                return proc, pages[0]["webSocketDebuggerUrl"]
        except OSError:
            pass
        time.sleep(0.3)
    proc.kill()
    raise RuntimeError("chromium did not open its DevTools port (see chrome.log)")


# Installed before the page's own script: counts the pending timers (the page's one use of
# setTimeout is its poll; __timers.max is the most pending at once since it was reset) and
# the polls of the run list (GET /api/runs).
INSTRUMENT = """(() => {
  const set = window.setTimeout.bind(window), clear = window.clearTimeout.bind(window), get = window.fetch.bind(window);
  const pending = new Set();
  window.__timers = {pending, max: 0};
  window.__polls = 0;
  window.setTimeout = function (f, ms, ...args) {
    const id = set(function () { pending.delete(id); if (typeof f === "function") f(...args); }, ms);
    pending.add(id);
    window.__timers.max = Math.max(window.__timers.max, pending.size);
    return id;
  };
  window.clearTimeout = function (id) { pending.delete(id); clear(id); };
  window.fetch = function (url, opts) {
    if (String(url) === "/api/runs" && !(opts && opts.method)) window.__polls++;
    return get(url, opts);
  };
})();"""

# Console lines a stopped server causes in any page (a refused connection), not the page's errors.
NET_ERRORS = ("net::ERR_CONNECTION_REFUSED", "net::ERR_CONNECTION_RESET", "net::ERR_EMPTY_RESPONSE",
              "net::ERR_CONNECTION_CLOSED")


def max_timers(p, seconds):
    """The most polling timers pending at once over the next seconds."""
    p.js("window.__timers.max = window.__timers.pending.size")
    time.sleep(seconds)
    return p.js("window.__timers.max")


def in_view(p, selector):
    return p.js("(() => { const r = document.querySelector(%s).getBoundingClientRect();"
                " return r.bottom > 0 && r.top < innerHeight; })()" % json.dumps(selector))


def answers(url):
    try:
        urllib.request.urlopen(url + "api/settings", timeout=2).read()
        return True
    except OSError:
        return False


def stop_server(url):
    """Stop the server the shell started (SERVE_PID); True when it no longer answers."""
    os.kill(int(os.environ["SERVE_PID"]), signal.SIGTERM)
    end = time.time() + 20
    while time.time() < end and answers(url):
        time.sleep(0.2)
    return not answers(url)


def start_server(url, workdir):
    """Start a server on url's port and SERVE_RESULTS (retried while the old one lets go)."""
    port = str(urllib.parse.urlparse(url).port)
    end = time.time() + 30
    while time.time() < end:
        proc = subprocess.Popen([os.environ["SERVE_SIM"], "serve", "--port", port, "-q", "-t", "2", "-o",
                                 os.environ["SERVE_RESULTS"]], stdout=subprocess.DEVNULL,
                                stderr=open(os.path.join(workdir, "serve2.err"), "a"))
        for _ in range(50):
            if proc.poll() is not None:
                break
            if answers(url):
                return proc
            time.sleep(0.1)
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        time.sleep(0.5)
    return None


def set_value(p, field_id, value):
    p.js("(() => { const e = document.getElementById(%s); e.value = %s; "
         "e.dispatchEvent(new Event('input', {bubbles: true})); e.dispatchEvent(new Event('change', {bubbles: true})); })()"
         % (json.dumps(field_id), json.dumps(value)))


def scenario(p, url, shots, workdir):
    p.width(1400)
    p.call("Page.addScriptToEvaluateOnNewDocument", source=INSTRUMENT)
    p.call("Page.navigate", url=url)
    check("the page loads", p.wait("document.readyState === 'complete' && document.getElementById('reference').options.length > 3", 20))
    note = p.js("document.getElementById('keep-note').textContent")
    check("the run list says how many finished runs are kept (sim serve's default --keep 20)",
          (note or "").startswith("The 20 runs that finished last are kept with their files"), note)
    check("the reference menu offers Perspectief op Werk as it was",
          p.js("[...document.getElementById('reference').options].some(o => o.selected && /Perspectief op Werk as it was/.test(o.text))"))
    # a validation error next to its field
    set_value(p, "regions", "Atlantis")
    p.js("document.getElementById('check').click()")
    ok = p.wait("/unknown region/.test(document.querySelector('.field[data-field=regions] .error').textContent)", 20)
    check("a validation error shows next to its field (regions)", ok,
          p.js("document.querySelector('.field[data-field=regions] .error').textContent"))
    check("the field is marked invalid", p.js("document.querySelector('.field[data-field=regions]').classList.contains('invalid')"))
    check("no other field shows an error",
          p.js("[...document.querySelectorAll('.error:not(#form-summary)')].filter(e => e.textContent).length === 1"))
    # the alternative: the same EUR 70M as a structural budget, small scale
    set_value(p, "regions", "all")
    set_value(p, "title", "The same EUR 70M as a structural budget")
    p.js("document.querySelector('input[name=kind][value=structural]').click()")
    set_value(p, "budget", "70")
    set_value(p, "budget_unit", "total")
    set_value(p, "share", "0.01")
    set_value(p, "reps", "2")
    check("the time estimate is shown", p.js("/Estimated time: about/.test(document.getElementById('estimate').textContent)"))
    check("the budget is restated in words", p.js("/EUR 70.0M in total for 35 regions/.test(document.getElementById('budget_words').textContent)"))
    # the budget sentence counts the regions named, as the server divides the budget
    set_value(p, "regions", "Groningen, Drenthe,")
    words = p.js("document.getElementById('budget_words').textContent")
    check("two regions named: the sentence says 2 regions and EUR 3.75M per region per year (what the scenario gets)",
          "for 2 regions" in words and "EUR 3.75M per region per year" in words, words)
    set_value(p, "regions", "all")
    # a Dutch decimal comma is read as a point, on the page as on the server
    set_value(p, "budget", "70,5")
    words = p.js("document.getElementById('budget_words').textContent")
    check("budget 70,5 (decimal comma): the sentence says EUR 70.5M, not 70.0M", "EUR 70.5M in total" in words, words)
    p.js("document.getElementById('check').click()")
    ok = p.wait("/No problems found/.test(document.getElementById('form-ok').textContent)", 20)
    check("... and Check finds no problem with it", ok, p.js(
          "[...document.querySelectorAll('.error')].map(e => e.textContent).join(' | ')"))
    set_value(p, "budget", "70")
    # a programme end after the simulated horizon is refused next to the end field
    set_value(p, "end", "2031-01-01")
    p.js("document.getElementById('check').click()")
    ok = p.wait("/after the end of the simulated horizon.*up to 2029-01-01/.test("
                "document.querySelector('.field[data-field=end] .error').textContent)", 20)
    check("an end after the horizon: refused next to the end field, with the allowed range", ok,
          p.js("document.querySelector('.field[data-field=end] .error').textContent"))
    set_value(p, "end", "2029-01-01")
    # the live preview: a dash or the allowed range, never NaN, negative money or an estimate for
    # replications Check refuses (the limit is the server's, from GET /api/settings)
    set_value(p, "underspend", "abc")
    changes = p.js("document.getElementById('changes').textContent")
    check("under-spending 'abc': the changes table shows a dash, not NaN%",
          "NaN" not in changes and "Under-spending20%\u2014" in changes, changes)
    set_value(p, "underspend", "20")
    set_value(p, "budget", "-5")
    words = p.js("document.getElementById('budget_words').textContent")
    changes = p.js("document.getElementById('changes').textContent")
    check("budget -5: no negative money in the budget sentence or the table, the allowed range instead",
          "-" not in words.replace("\u2014", "") and "from 0 to 100000" in words
          and "EUR -" not in changes, (words, changes))
    set_value(p, "reps", "100000")
    est = p.js("document.getElementById('estimate').textContent")
    check("replications 100000: no estimate, the maximum (200, the server's) instead",
          "a whole number from 1 to 200" in est and "about" not in est, est)
    set_value(p, "reps", "abc")
    est = p.js("document.getElementById('estimate').textContent")
    check("replications 'abc': no '0 replications, about 6 s'", "0 replications" not in est and "about" not in est, est)
    set_value(p, "reps", "2")
    # a problem far above the buttons: counted next to them, the field focused and scrolled
    # to, marked invalid and described by its message for assistive technology
    set_value(p, "budget", "-5")
    p.js("document.getElementById('check').scrollIntoView({block: 'end'})")
    p.js("document.getElementById('check').click()")
    ok = p.wait("/from 0 to/.test(document.querySelector('.field[data-field=budget] .error').textContent)", 20)
    summary = p.js("(document.getElementById('form-summary') || {}).textContent || ''")
    near = p.js("(() => { const s = document.getElementById('form-summary'), b = document.getElementById('check');"
                " if (!s) return 1e9; const r = s.getBoundingClientRect(), q = b.getBoundingClientRect();"
                " return Math.abs(r.top - q.top); })()")
    check("budget -5, Check: '1 problem: see the marked field' next to the buttons", ok
          and summary == "1 problem: see the marked field." and near < 80, (summary, near))
    check("... the budget field is focused and in view",
          p.js("document.activeElement && document.activeElement.id === 'budget'") and in_view(p, "#budget"),
          p.js("document.activeElement && document.activeElement.id"))
    desc = p.js("(() => { const b = document.getElementById('budget'), d = b.getAttribute('aria-describedby');"
                " return [b.getAttribute('aria-invalid'), d && document.getElementById(d) ? document.getElementById(d).textContent : null]; })()")
    check("... aria-invalid on the budget, aria-describedby its message", desc[0] == "true" and "from 0 to" in (desc[1] or ""), desc)
    set_value(p, "budget", "70")
    p.js("document.getElementById('check').click()")
    p.wait("/No problems found/.test(document.getElementById('form-ok').textContent)", 20)
    check("fixed and checked again: aria-invalid and aria-describedby gone, no summary",
          p.js("(() => { const b = document.getElementById('budget'); return !b.hasAttribute('aria-invalid') &&"
               " !b.hasAttribute('aria-describedby') && !(document.getElementById('form-summary') || {}).textContent; })()"))
    # the alternative against the reference: what changes, and Covid-19 and cooperation kept
    changes = p.js("document.getElementById('changes').textContent")
    check("the page lists what the alternative changes against the reference",
          "Kind of fundingincidentalstructural" in changes and "Budget in totalEUR 70.0MEUR 70.0M" in changes
          and p.js("document.querySelector('#changes tr.changed th').textContent") == "Kind of funding", changes)
    set_value(p, "reference", "pow-incidental-covid")
    check("a reference with Covid: the Covid-19 field follows it (on) and cannot be changed",
          p.js("document.getElementById('covid').value === 'on' && document.getElementById('covid').disabled"))
    check("... and the list says Covid-19 is on in both", "Covid-19 shockon in both" in
          p.js("document.getElementById('changes').textContent"), p.js("document.getElementById('changes').textContent"))
    set_value(p, "reference", "cooperation-high")
    check("a reference with cooperation +0.2: the cooperation field follows it",
          p.js("document.getElementById('cooperation').value === '0.2' && document.getElementById('cooperation').disabled"))
    set_value(p, "reference", "pow-incidental-dose")
    rule = "document.getElementById('cooperation_rule')"
    check("a reference whose cooperation grows with its money: the rule field follows it and cannot be changed",
          p.js(rule + ".value === 'proportional' && " + rule + ".disabled"))
    set_value(p, "reference", "baseline")
    check("against the baseline (no programme) the rule is the user's choice",
          p.js("!" + rule + ".disabled"))
    set_value(p, "cooperation_rule", "proportional")
    check("... and the list shows the alternative's rule",
          "Cooperation growsnonein proportion to its money" in p.js("document.getElementById('changes').textContent"),
          p.js("document.getElementById('changes').textContent"))
    set_value(p, "reference", "pow-incidental")
    check("back to Perspectief op Werk as it was: Covid-19 off, cooperation as it is",
          p.js("document.getElementById('covid').value === 'off' && document.getElementById('cooperation').value === '0'"))
    # three quick clicks (a double click and one more): one run queued, one polling timer
    p.js("(() => { const b = document.getElementById('run'); b.click(); b.click(); b.click(); })()")
    check("the run appears in the list", p.wait("document.querySelector('#runs li[id^=run-]') !== null", 20))
    time.sleep(1)
    ids = p.js("fetch('/api/runs').then(r => r.json()).then(b => b.map(r => r.id))")
    check("three quick clicks on Run queue one run", len(ids) == 1, ids)
    for extra in ids[:-1]:   # newest first: keep the oldest, cancel the others (the test's time)
        p.js("fetch('/api/runs/%d/cancel', {method: 'POST'}).then(r => r.status)" % extra)
    timers = max_timers(p, 2)
    check("one polling timer after pressing Run (not one more per press)", timers == 1, timers)
    check("the error is gone after a valid submit", p.js("document.querySelector('.field[data-field=regions] .error').textContent === ''"))
    check("after its replications the run says it is making the report (no '0 s left')",
          p.wait("/making the report/.test(document.getElementById('runs').textContent)", 300)
          and not p.js("/0 s left/.test(document.getElementById('runs').textContent)"),
          p.js("document.getElementById('runs').textContent"))
    done = p.wait("!document.getElementById('result').hidden && document.querySelector('#result #verdict') !== null", 300)
    check("the run completes and the result is shown", done, p.js("document.getElementById('runs').textContent"))
    if not done:
        return
    # "Show the result" from the top of the page: the result is scrolled to, its heading
    # (naming the run) focused
    run_id = ids[-1] if ids else 1
    p.js("window.scrollTo(0, 0)")
    p.js("document.querySelector('[data-show]').click()")
    ok = p.wait("document.activeElement && document.activeElement.id === 'result-h'", 10)
    heading = p.js("document.getElementById('result-h').textContent")
    check("'Show the result': the result scrolled into view, its heading focused and naming run #%d" % run_id,
          ok and in_view(p, "#result-h") and ("#%d" % run_id) in heading, heading)
    verdict = p.js("document.querySelector('#result #verdict').textContent")
    check("the verdict comes first in the result",
          p.js("document.querySelector('#result-body > section').id === 'verdict'"))
    check("the verdict names the durable-placement result",
          "gives more durable placements" in verdict or "neither scenario is clearly better" in verdict, verdict[:300])
    check("the verdict states the net cost to the public purse per year",
          "Net cost to the public purse" in verdict and " a year" in verdict, verdict[:300])
    check("the verdict uses the human titles", "The same EUR 70M as a structural budget" in verdict
          and "Perspectief op Werk as it was" in verdict)
    check("the caveats warn about fewer than 20 replications", "fewer than 20 replications" in verdict)
    # the person-level section has data (page runs trace people), and the regional table the
    # chart captions refer to is on the page
    who = p.js("(document.querySelector('#result #who-is-placed-because-of-the-policy') || {}).textContent || ''")
    check("the result says who is placed because of the policy, with data", "as well (deadweight)" in who
          and "not available" not in who, who[:300])
    rows = p.js("document.querySelectorAll('#result #results-by-region tbody tr').length")
    check("the result shows the regional table (35 regions)", rows == 35, rows)
    caption = p.js("[...document.querySelectorAll('#result #charts figcaption')].map(f => f.textContent)"
                   ".filter(t => /regional table/.test(t)).length")
    check("a chart caption that refers to the regional table has the table on the page",
          caption == 0 or rows == 35, (caption, rows))
    shade = p.js("(() => { const t = document.createElement('table'); t.innerHTML = '<tr class=\"sig\"><td>x</td></tr>';"
                 " document.getElementById('result-body').appendChild(t);"
                 " const c = getComputedStyle(t.querySelector('td')).backgroundColor; t.remove(); return c; })()")
    check("shaded rows (the 'Shaded rows' of the tables) are shaded on the page as in the report",
          shade == "rgb(238, 247, 238)", shade)
    p.wait("[...document.querySelectorAll('#result img')].every(i => i.complete)", 20)
    imgs = p.js("[...document.querySelectorAll('#result img')].map(i => [i.complete, i.naturalWidth, i.alt])")
    check("charts are shown (%d images)" % len(imgs), len(imgs) >= 2, imgs)
    check("every chart image loaded", all(c and w > 0 for c, w, _ in imgs), imgs)
    links = p.js("[...document.querySelectorAll('#result .downloads a')].map(a => a.getAttribute('href'))")
    check("downloads: report, .cfg, CSV, both HDF5 files", len(links) == 5 and any(l.endswith("alt.cfg") for l in links), links)
    codes = p.js("Promise.all([...document.querySelectorAll('#result .downloads a')].map(a => fetch(a.href).then(r => r.status)))")
    check("every download answers 200", codes == [200] * 5, codes)
    # a reload loses nothing: the runs, and the form as typed
    typed = {"title": "Kept over a reload", "budget": "55", "regions": "Groningen, Drenthe"}
    before = {k: p.js("document.getElementById(%s).value" % json.dumps(k)) for k in typed}
    for k, v in typed.items():
        set_value(p, k, v)
    p.js("document.querySelector('input[name=kind][value=incidental]').click()")
    p.call("Page.reload")
    check("after a reload the run and its result are still there",
          p.wait("!document.getElementById('result').hidden && /Net cost to the public purse/.test(document.getElementById('result').textContent)", 30))
    kept = {k: p.js("document.getElementById(%s).value" % json.dumps(k)) for k in typed}
    kind = p.js("document.querySelector('input[name=kind]:checked').value")
    check("after a reload the form is as typed (title, budget, regions, kind)", kept == typed and kind == "incidental",
          (kept, kind))
    for k, v in before.items():
        set_value(p, k, v)
    p.js("document.querySelector('input[name=kind][value=structural]').click()")
    if shots:
        p.screenshot(os.path.join(shots, "serve-1400.png"), 1400)
    p.width(480)
    time.sleep(0.5)
    sw = p.js("document.documentElement.scrollWidth")
    check("usable at 480 px: no sideways scrolling of the page (%s px)" % sw, sw <= 481)
    check("at 480 px the form is one column",
          p.js("document.getElementById('build').getBoundingClientRect().width <= 480"))
    if shots:
        p.screenshot(os.path.join(shots, "serve-480.png"), 480)
    p.width(1400)
    lost_contact(p, url, workdir)


def lost_contact(p, url, workdir):
    """Stop the server while a run works and start it again: the page says so, keeps polling
    (less often) without an uncaught error, and recovers; the run the stop cut short failed
    and links its log. The new server is left in `restarted` (stopped at the end)."""
    global restarted
    set_value(p, "reps", "40")
    p.js("document.getElementById('run').click()")
    running = p.wait("/running/.test(document.getElementById('runs').textContent) && "
                     "document.querySelector('#runs progress') !== null", 60)
    check("a second run works (the one the server's stop cuts short)", running, p.js("document.getElementById('runs').textContent"))
    before = len(p.errors)
    check("the server stopped (SIGTERM)", stop_server(url))
    contact = "(document.getElementById('contact') || {}).textContent || ''"
    ok = p.wait("/Lost contact with the server; retrying/.test(%s)" % contact, 10)
    check("server gone: the page says 'Lost contact with the server; retrying...' above the runs", ok, p.js(contact))
    polls = p.js("window.__polls")
    time.sleep(3.5)
    polls = p.js("window.__polls") - polls
    check("... and keeps polling while the server is away, backing off (%s polls in 3.5 s)" % polls, 2 <= polls <= 4, polls)
    p.js("document.getElementById('check').click()")
    ok = p.wait("/Lost contact with the server: the form was not checked/.test("
                "(document.getElementById('form-summary') || {}).textContent)", 10)
    check("... Check says next to the buttons that the form was not checked", ok,
          p.js("(document.getElementById('form-summary') || {}).textContent"))
    away = [e for e in p.errors[before:] if not any(n in e for n in NET_ERRORS)]
    check("... no uncaught error while the server is away (e.g. 'Failed to fetch')", not away, away)
    p.errors[before:] = away   # a refused connection is logged by the browser, not by the page
    restarted = start_server(url, workdir)
    check("the server started again on the same port and results directory", restarted is not None)
    ok = p.wait("!(%s) && /the server stopped before this run finished/.test(document.getElementById('runs').textContent)"
                % contact, 30)
    check("server back: the lost-contact line is gone and the run shows as failed (the server stopped)", ok,
          (p.js(contact), p.js("document.getElementById('runs').textContent")))
    check("... and the stale 'not checked' message next to the buttons is cleared",
          not p.js("(document.getElementById('form-summary') || {}).textContent"))
    log = p.js("(() => { const a = document.querySelector('#runs a[href$=\"/log.txt\"]'); return a ? a.href : null; })()")
    code = p.js("fetch(%s).then(r => r.status)" % json.dumps(log)) if log else None
    check("the failed run links its log (log.txt), which answers 200", code == 200, (log, code))
    timers = max_timers(p, 1.5)
    check("one polling timer after the outage", timers == 1, timers)
    p.errors[before:] = [e for e in p.errors[before:] if not any(n in e for n in NET_ERRORS)]


restarted = None   # the server lost_contact started (stopped at the end)


def main():
    exe, url, workdir = sys.argv[1:4]
    shots = sys.argv[4] if len(sys.argv) > 4 else None
    proc, ws = start_chromium(exe, workdir)
    try:
        p = Page(ws)
        scenario(p, url, shots, workdir)
        time.sleep(0.3)
        check("no console errors", not p.errors, p.errors)
    except Exception as err:  # noqa: BLE001 (a broken page or browser is a failure, not a crash)
        check("the browser session ran to the end", False, err)
    finally:
        if restarted is not None:
            restarted.terminate()
            restarted.wait(20)
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
