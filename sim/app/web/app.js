// app.js: the sim serve page. Fills the reference menu (Covid-19 and cooperation follow
// the reference chosen), restates the budget and what the alternative changes against
// the reference, checks the form with the server (the same loader as `sim validate`;
// messages next to their field), queues runs, polls their progress, and shows a
// finished run: verdict first, then the tables (regions, who is placed because of the
// policy) and charts of its report, then the downloads. One polling timer at a time; when
// the server cannot be reached the page says so and keeps trying, less often, until it
// answers again. No external resources.
"use strict";
const $ = (id) => document.getElementById(id);
const form = $("form");
let shown = null;       // the run whose result is on the page (-1: its run was deleted, none)
let keep = 0;           // finished runs the server keeps (sim serve --keep; 0: all)
let limits = {};        // the form's ranges (GET /api/settings: budget_max, percent_max, reps_max)
let timer = null;       // the one pending poll of the run list (refresh)
let lost = 0;           // polls in a row that could not reach the server (0: in contact)
let sending = false;    // a run's POST is on its way: Run does nothing until it is answered
const LOST = "Lost contact with the server";
const DASH = "\u2014";  // a preview value the form does not give yet (Check names the problem)

function esc(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c]));
}

async function getJSON(url, opts) {
  const r = await fetch(url, opts);
  let body = null;
  try { body = await r.json(); } catch (e) { body = {error: "the server sent no JSON (" + r.status + ")"}; }
  return {status: r.status, body};
}

// The controls of a field box (a fieldset's radio buttons, or its one input or select).
function controls(box) { return box.querySelectorAll("input, select, textarea"); }

function clearErrors() {
  $("form-ok").textContent = "";
  form.querySelectorAll(".field.invalid").forEach((f) => {
    f.classList.remove("invalid");
    const err = f.querySelector(".error");
    controls(f).forEach((c) => {
      c.removeAttribute("aria-invalid");
      const ids = (c.getAttribute("aria-describedby") || "").split(" ").filter((t) => t && t !== err.id);
      if (ids.length) c.setAttribute("aria-describedby", ids.join(" ")); else c.removeAttribute("aria-describedby");
    });
  });
  form.querySelectorAll(".error").forEach((e) => { e.textContent = ""; });
  delete $("form-summary").dataset.lost;
}

// Problems next to their fields (the field marked invalid for assistive technology too, its
// message its description), a count of them next to the buttons, and the first marked field
// focused and scrolled to (a closed "Report options" is opened).
function showErrors(errors) {
  clearErrors();
  for (const e of errors) {
    const box = form.querySelector('.field[data-field="' + e.field + '"]');
    const target = box ? box.querySelector(".error") : $("form-error");
    if (box) {
      box.classList.add("invalid");
      target.id = target.id || "error-" + e.field;
      controls(box).forEach((c) => {
        c.setAttribute("aria-invalid", "true");
        const ids = (c.getAttribute("aria-describedby") || "").split(" ").filter((t) => t);
        if (!ids.includes(target.id)) c.setAttribute("aria-describedby", ids.concat(target.id).join(" "));
      });
    }
    target.textContent = (target.textContent ? target.textContent + " " : "") + e.message;
  }
  const n = errors.length, marked = form.querySelectorAll(".field.invalid").length;
  $("form-summary").textContent = n === 1 ? "1 problem: " : n + " problems: ";
  $("form-summary").textContent += marked === 0 ? "see above." : marked === 1 ? "see the marked field." : "see the marked fields.";
  const first = form.querySelector(".field.invalid");
  if (first) {
    const details = first.closest("details");
    if (details) details.open = true;
    const c = [...controls(first)].find((x) => !x.disabled) || first;
    if (c.focus) c.focus({preventScroll: true});
    first.scrollIntoView({block: "center"});
  }
}

// The server did not answer a form's check or run (what: "the form was not checked"):
// said next to the buttons, and cleared when the server answers again.
function lostOnSubmit(what) {
  $("form-summary").textContent = LOST + ": " + what + ". Try again when it is back.";
  $("form-summary").dataset.lost = "1";
}

function fmtSeconds(s) {
  if (s < 90) return Math.round(s) + " s";
  if (s < 5400) return Math.round(s / 60) + " min";
  return (s / 3600).toFixed(1) + " h";
}

// The selected reference as GET /api/scenarios describes it (its Covid-19 shock,
// cooperation, regions, horizon and first programme), or null before the list arrives.
let refs = {};
function reference() { return refs[$("reference").value] || null; }

// The regions the budget is shared by, by the server's rule (serve.c region_list):
// "all" is the reference's count, otherwise the names between commas, trimmed, empty
// ones skipped.
function regionCount(text, ref) {
  if (text.trim() === "all") return ref ? ref.regions : 35;
  return text.split(",").map((t) => t.trim()).filter((t) => t !== "").length;
}

// A form number within the server's range (limits from GET /api/settings), else NaN.
function formNumber(id, lo, hi) {
  const v = parseFloat(decimal($(id).value));
  return v >= lo && (hi === undefined || v <= hi) ? v : NaN;
}
// f(x) for a number the form gives, DASH for one it does not (yet).
function known(x, f) { return isFinite(x) ? f(x) : DASH; }
function upTo(x) { return x === undefined ? "" : " to " + x; }

// Years from start to end in calendar months (2020-01-01 to 2022-01-01 is 2.0, not 731 days'
// 2.0014), the days of a part month as a share of an average month.
function years(start, end) {
  const a = new Date(start), b = new Date(end);
  const months = (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + b.getUTCMonth() - a.getUTCMonth() +
    (b.getUTCDate() - a.getUTCDate()) / 30.436875;
  return months / 12;
}

// A number as typed, with one decimal comma read as a point ("70,5" is 70.5), by the
// server's rule (serve.c decimal_point): a second separator, or a comma or point with three
// digits after it and a whole part other than 0 ("1,000", "1.000": a thousand or one?), is
// no number. The text with a point, or null.
function decimal(text) {
  const s = String(text).trim(), m = /^([+-]?\d*)([.,]?)(\d*)$/.exec(s);
  if (!m || !(m[1] + m[3]).replace(/[+-]/, "") || (m[2] && m[3].length === 3 && !/^[+-]?0*$/.test(m[1]))) return null;
  return m[1] + (m[2] ? "." : "") + m[3];
}
const DECIMAL_FIELDS = ["budget", "underspend", "substitution"];

// The form as sent: decimal fields with a point, so the page and the server read one number.
function formBody() {
  const body = new URLSearchParams(new FormData(form));
  for (const name of DECIMAL_FIELDS) {
    const d = decimal(body.get(name));
    if (d !== null) body.set(name, d);
  }
  return body;
}

// Problems the page can name before asking the server (which checks them again): a
// malformed number, and a programme end after the reference's horizon.
function localProblems() {
  const out = [], ref = reference();
  for (const name of DECIMAL_FIELDS)
    if (decimal($(name).value) === null)
      out.push({field: name, message: "'" + $(name).value + "' is not a number (allowed: use digits and one decimal point or comma, e.g. 70.5 or 70,5; no thousands separators)"});
  if (ref && $("end").value > ref.horizon[1])
    out.push({field: "end", message: $("end").value + " is after the end of the simulated horizon (allowed: after the start " +
      $("start").value + ", up to " + ref.horizon[1] + ", the reference's labour_market.end)"});
  return out;
}

function eur(x) { return x >= 1e6 ? "EUR " + (x / 1e6).toFixed(2) + "M" : "EUR " + (x / 1e3).toFixed(0) + "k"; }

// The alternative's programme from the form, in the units the server converts to.
// A number the form does not give (malformed, or out of the range Check allows), a period
// that does not end after it starts, or no region named, is NaN: the preview shows DASH.
function alternative() {
  const ref = reference(), b = formNumber("budget", 0, limits.budget_max), unit = $("budget_unit").value;
  let y = years($("start").value, $("end").value), n = regionCount($("regions").value, ref);
  if (!(y > 0)) y = NaN;
  if (!(n >= 1)) n = NaN;
  const total = (unit === "total" ? b : unit === "region_total" ? b * n : b * n * y) * 1e6;
  return {kind: form.elements.kind.value, total, n, y, perYear: total / n / y, regions: $("regions").value.trim(),
          start: $("start").value, end: $("end").value, underspend: formNumber("underspend", 0, limits.percent_max),
          substitution: formNumber("substitution", 0, limits.percent_max), tranches: 0, rule: $("cooperation_rule").value};
}

// The reference's first programme in the same terms (null: it has none).
function referenceProgramme(ref) {
  const p = ref && ref.programme;
  if (!p) return null;
  const y = years(p.start, p.end), n = regionCount(p.region_names, ref);
  const total = p.budget_per_region * n * (p.kind === "structural" ? y : 1);
  return {kind: p.kind, total, n, y, perYear: total / n / y, regions: p.region_names, start: p.start, end: p.end,
          underspend: Math.round(p.underspend * 1e8) / 1e6, substitution: Math.round(p.substitution * 1e8) / 1e6,
          tranches: p.tranches, rule: ref.cooperation_rule};
}

// A replication of the whole country with its burn-in and people traced (-d events --sample)
// takes about 6.2 s on one core; the alternative usually continues from the reference's burn-in
// (6 of 16 simulated years), so both take about 1.6 times one; two cores. Then the comparison
// and the report: about 6 s. Measured on an idle 2-core machine (2026-12-02: 5.0 s for the runs,
// 5.8 s for compare and report at 5% and 20 replications); other work on the machine can double it.
// Replications the form gives (a whole number in the server's range), else an estimate of
// nothing: the allowed range instead.
function updateEstimate() {
  const reps = formNumber("reps", 1, limits.reps_max), share = parseFloat($("share").value) || 0;
  const s = 1.6 * reps * share * 6.2 / 2 + 6;
  $("estimate").textContent = Number.isInteger(reps)
    ? "Estimated time: about " + fmtSeconds(s) + " for " + reps +
      " replications of both scenarios at " + Math.round(share * 1000) / 10 + "% of the population" +
      " (longer while the computer does other work)."
    : "Estimated time: " + DASH + " (replications: a whole number from 1" + upTo(limits.reps_max) + ")";
  const a = alternative();
  $("budget_words").textContent = !isFinite(a.total / a.y / a.n)
    ? DASH + " (" + (!isFinite(a.y) ? "the end must lie after the start" : !isFinite(a.n) ? "name a region, or all"
      : "the budget: a number of EUR million from 0" + upTo(limits.budget_max)) + ")"
    : "That is EUR " + (a.total / 1e6).toFixed(1) + "M in total for " + a.n +
      (a.n === 1 ? " region" : " regions") + " over " + a.y.toFixed(1) + " years (" + eur(a.perYear) +
      " per region per year).";
  updateChanges();
}

// What the alternative changes relative to the reference: its programme against the
// reference's; Covid-19 and cooperation stay the reference's (the server refuses others).
function updateChanges() {
  const ref = reference(), box = $("changes");
  if (!ref) { box.innerHTML = ""; return; }
  const a = alternative(), r = referenceProgramme(ref), none = "none";
  const period = (p) => known(p.y, (y) => p.start + " to " + p.end + " (" + y.toFixed(1) + " years)");
  const rows = [
    ["Kind of funding", (p) => p.kind],
    ["Budget in total", (p) => known(p.total, (t) => "EUR " + (t / 1e6).toFixed(1) + "M")],
    ["Per region per year", (p) => known(p.perYear, eur)],
    ["Period", period],
    ["Regions", (p) => p.regions + (p.regions === "all" ? " (" + p.n + ")" : "")],
    ["Under-spending", (p) => known(p.underspend, (x) => x + "%")],
    ["Substitution", (p) => known(p.substitution, (x) => x + "%")],
    ["Payment", (p) => p.tranches ? "in " + p.tranches + " instalments (tranches)" : "spread evenly over the period (the page's alternatives)"],
    ["Cooperation grows", (p) => p.rule === "proportional" ? "in proportion to its money" : "fully for any amount"],
  ];
  let html = "<table class=\"changes\"><caption>What the alternative changes, against the reference" +
    (r ? "" : " (it has no programme: the alternative adds one)") + "</caption>" +
    "<tr><th></th><th>Reference</th><th>Alternative</th></tr>";
  for (const [label, f] of rows) {
    const before = r ? f(r) : none, after = f(a);
    html += "<tr class=\"" + (before === after ? "same" : "changed") + "\"><th>" + esc(label) + "</th><td>" + esc(before) +
      "</td><td>" + esc(after) + "</td></tr>";
  }
  const coop = ref.cooperation === 0 ? "as it is" : (ref.cooperation > 0 ? "+" : "") + ref.cooperation;
  html += "<tr class=\"same\"><th>Covid-19 shock</th><td colspan=\"2\">" + (ref.covid ? "on" : "off") +
    " in both (as the reference)</td></tr><tr class=\"same\"><th>Cooperation</th><td colspan=\"2\">" + esc(coop) +
    " in both (as the reference)</td></tr></table>";
  box.innerHTML = html;
}

// A reference chosen: Covid-19, cooperation and the report window follow it.
function referenceChanged() {
  const ref = reference();
  if (!ref) return;
  $("covid").value = ref.covid ? "on" : "off";
  const coop = $("cooperation"), v = String(ref.cooperation);
  if (![...coop.options].some((o) => o.value === v)) {
    const o = document.createElement("option");
    o.value = v; o.textContent = (ref.cooperation > 0 ? "+" : "") + v;
    coop.appendChild(o);
  }
  coop.value = v;
  // the rule follows a reference with a programme (the server refuses another); against one
  // without (the baseline) it is the user's choice
  const rule = $("cooperation_rule");
  if (ref.programmes > 0) rule.value = ref.cooperation_rule;
  rule.disabled = ref.programmes > 0;
  for (const id of ["from", "to"]) { $(id).min = ref.horizon[0]; $(id).max = ref.horizon[1]; }
  $("end").max = ref.horizon[1];   // a programme ends within the simulated horizon
  updateEstimate();
}

async function loadScenarios() {
  const {body} = await getJSON("/api/scenarios");
  const sel = $("reference");
  sel.innerHTML = "";
  refs = {};
  for (const s of body) {
    refs[s.name] = s;
    const o = document.createElement("option");
    o.value = s.name; o.textContent = s.title; o.title = "scenarios/" + s.name + ".cfg";
    if (s.name === "pow-incidental") o.selected = true;
    sel.appendChild(o);
  }
  referenceChanged();
}

async function check() {
  const local = localProblems();
  if (local.length) { showErrors(local); return false; }
  let answer;
  try {
    answer = await getJSON("/api/validate", {method: "POST", body: formBody()});
  } catch (e) {
    lostOnSubmit("the form was not checked");
    return false;
  }
  const {status, body} = answer;
  if (status === 200 && body.errors && !body.errors.length) { clearErrors(); $("form-ok").textContent = "No problems found: ready to run."; return true; }
  showErrors(body.errors || [{field: "form", message: body.error || "error " + status}]);
  return false;
}

// Run: one POST at a time (the button is disabled until it is answered, so a double click
// queues one run).
async function submit(ev) {
  ev.preventDefault();
  if (sending) return;
  const local = localProblems();
  if (local.length) { showErrors(local); return; }
  sending = true;
  $("run").disabled = true;
  let answer;
  try {
    answer = await getJSON("/api/runs", {method: "POST", body: formBody()});
  } catch (e) {
    lostOnSubmit("the run was not queued");
    return;
  } finally {
    sending = false;
    $("run").disabled = false;
  }
  const {status, body} = answer;
  if (status === 201) { clearErrors(); shown = null; await refresh(); return; }
  showErrors(body.errors || [{field: "form", message: body.error || "error " + status}]);
}

// A run waits or works: queued, running its replications, or making the report (the
// server's states; "report" comes after the last replication, with no time left known).
function active(r) { return r.state === "queued" || r.state === "running" || r.state === "report"; }
const STATE_WORDS = {report: "making the report"};

function progressNote(r) {
  if (r.state === "report")
    return "all " + r.total + " replications done; making the report (comparison, charts and tables)";
  return r.done + " of " + r.total + " replications done" +
    (r.seconds_left >= 0 ? ", about " + fmtSeconds(r.seconds_left) + " left" : "");
}

function runItem(r) {
  const li = document.createElement("li");
  li.id = "run-" + r.id;
  let html = "<div><span class=\"state " + esc(r.state) + "\">" + esc(STATE_WORDS[r.state] || r.state) + "</span> #" +
    r.id + " <strong>" + esc(r.title) + "</strong> against <em>" + esc(refs[r.reference] ? refs[r.reference].title : r.reference) + "</em>, " + r.replications +
    " replications at " + (r.share * 100) + "%</div>";
  if (active(r)) {
    html += "<progress max=\"" + r.total + "\" value=\"" + r.done + "\"></progress><div class=\"note\">" +
      esc(progressNote(r)) + "</div><button type=\"button\" class=\"secondary\" data-cancel=\"" + r.id + "\">Cancel</button>";
  } else if (r.state === "done") {
    html += "<button type=\"button\" class=\"secondary\" data-show=\"" + r.id + "\">Show the result</button>";
  }
  if (r.message && r.message !== r.state) html += "<div class=\"note\">" + esc(r.message) + "</div>";   // not "cancelled" twice
  if (r.state === "failed")
    html += "<div class=\"note\"><a href=\"/runs/" + r.id + "/log.txt\">the run's log (log.txt)</a></div>";
  li.innerHTML = html;
  return li;
}

// The next poll in ms, replacing any pending one: one timer, however often refresh is called.
function poll(ms) {
  clearTimeout(timer);
  timer = setTimeout(refresh, ms);
}

// The run list, polled (0.7 s while a run waits or works, else 4 s). A server that does not
// answer (stopped, restarting) is said above the list, which stays as last seen, and asked
// again after 1, 2, 4, 8, then every 10 s; when it answers, the line and a check or run
// refused for the same reason are cleared.
async function refresh() {
  clearTimeout(timer);
  let body;
  try {
    const answer = await getJSON("/api/runs");
    if (answer.status !== 200 || !Array.isArray(answer.body)) throw new Error("status " + answer.status);
    body = answer.body;
  } catch (e) {
    lost++;
    const wait = Math.min(1000 * 2 ** (lost - 1), 10000);
    $("contact").textContent = LOST + "; retrying in " + Math.round(wait / 1000) + " s\u2026 (the runs below are as last seen)";
    $("runs").classList.add("stale");
    poll(wait);
    return;
  }
  if (lost) {
    lost = 0;
    $("contact").textContent = "";
    $("runs").classList.remove("stale");
    if ($("form-summary").dataset.lost) { $("form-summary").textContent = ""; delete $("form-summary").dataset.lost; }
    if (!Object.keys(refs).length) loadSettings().then(loadScenarios).then(restoreForm).catch(() => {});
  }
  const ul = $("runs");
  ul.innerHTML = "";
  if (!body.length) ul.innerHTML = "<li class=\"note\">No runs yet.</li>";
  for (const r of body) ul.appendChild(runItem(r));
  if (shown > 0 && !body.some((r) => r.id === shown)) {   // deleted: only the runs that finished last are kept
    $("result-body").textContent = "Run " + shown + " was deleted with its files: the server keeps the " + keep +
      " runs that finished last.";
    shown = -1;   // not shown, and no other result opened in its place
  }
  const latest = body.find((r) => r.state === "done");
  if (shown === null && latest && !body.some(active)) showResult(latest);
  poll(body.some(active) ? 700 : 4000);
}

// Say above the list how many finished runs the server keeps: an older run is deleted with
// its files when a run finishes.
async function loadSettings() {
  const {status, body} = await getJSON("/api/settings");
  if (status !== 200) return;
  keep = body.keep;
  limits = body.limits || {};
  $("keep-note").textContent = keep > 0
    ? "The " + keep + " runs that finished last are kept with their files; when a run finishes, older ones are " +
      "deleted. Download what you want to keep."
    : "Every run is kept with its files (the server was started with --keep 0).";
}

// A finished run's result; reveal (the user asked for it): scrolled to, its heading focused.
async function showResult(r, reveal) {
  const before = shown;
  shown = r.id;
  const base = "/runs/" + r.id + "/";
  const box = $("result-body"), heading = $("result-h");
  const open = () => {
    heading.textContent = "3. Result of run #" + r.id;
    $("result").hidden = false;
    if (reveal) { heading.focus({preventScroll: true}); $("result").scrollIntoView({block: "start"}); }
  };
  let res = null;
  try { res = await fetch(base + "report.html"); } catch (e) { /* no contact: refresh says so */ }
  if (!res) { shown = before; return; }   // as it was: a result refresh opens is opened when the server is back
  if (!res.ok) { box.textContent = "The report of run " + r.id + " is missing."; open(); return; }
  const doc = new DOMParser().parseFromString(await res.text(), "text/html");
  box.innerHTML = "";
  const h = document.createElement("h3");
  h.textContent = doc.querySelector("h1") ? doc.querySelector("h1").textContent : r.title;
  box.appendChild(h);
  // The report's sections the page shows, in the report's order. The regional table is
  // among them because the charts' captions refer to it (it marks the regions that stay
  // clear after Holm's correction), and page runs trace people (-d events) so that
  // "Who is placed because of the policy" and the table's deadweight columns have data.
  for (const id of ["verdict", "over-time", "budget", "headline-results", "results-by-region",
                    "who-is-placed-because-of-the-policy", "charts", "scenarios-in-words"]) {
    const s = doc.getElementById(id);
    if (s) box.appendChild(document.importNode(s, true));
  }
  const dl = document.createElement("p");
  dl.className = "downloads";
  dl.innerHTML = "<strong>Downloads:</strong> " + [["report.html", "the full report (HTML)"], ["alt.cfg", "the scenario (.cfg)"],
    ["compare.csv", r.lang === "nl" ? "all paired differences (CSV for Excel with Dutch settings: ';' and decimal commas)" : "all paired differences (CSV)"], ["alt.h5", "alternative (HDF5)"], ["ref.h5", "reference (HDF5)"]]
    .map(([f, t]) => "<a href=\"" + base + f + "\">" + t + "</a>").join(" ");
  box.appendChild(dl);
  open();
}

// The form as typed survives a reload (this tab only: sessionStorage), as the runs do.
// Disabled fields are not kept: they follow the reference.
const SAVED = "sim-serve-form";
function saveForm() {
  try { sessionStorage.setItem(SAVED, new URLSearchParams(new FormData(form)).toString()); } catch (e) { /* no storage: nothing kept */ }
}
function restoreForm() {
  let saved = null;
  try { saved = sessionStorage.getItem(SAVED); } catch (e) { return; }
  if (!saved) return;
  const v = new URLSearchParams(saved);
  if (!refs[v.get("reference")]) return;   // its reference is gone: the fields were typed against it
  $("reference").value = v.get("reference");
  referenceChanged();
  for (const [k, x] of v) {
    const el = form.elements[k];
    if (k === "reference" || !el || el.disabled) continue;
    if (el.tagName === "SELECT" && ![...el.options].some((o) => o.value === x)) continue;   // no longer offered
    el.value = x;   // a radio group (kind) takes .value too
  }
  updateEstimate();
}

document.addEventListener("click", async (ev) => {
  const c = ev.target.getAttribute("data-cancel"), s = ev.target.getAttribute("data-show");
  if (!c && !s) return;
  try {
    if (c) await fetch("/api/runs/" + c + "/cancel", {method: "POST"});
    if (s) {
      const {status, body} = await getJSON("/api/runs/" + s);
      if (status === 200) showResult(body, true);
    }
  } catch (e) {
    if (s) refresh();   // no contact: the poll says so (after a cancel it runs anyway)
  }
  if (c) refresh();
});
$("check").addEventListener("click", check);
form.addEventListener("submit", submit);
form.addEventListener("input", updateEstimate);
form.addEventListener("change", updateEstimate);
form.addEventListener("input", saveForm);
form.addEventListener("change", saveForm);
$("reference").addEventListener("change", referenceChanged);
loadSettings().then(loadScenarios).then(restoreForm).catch(() => {}).then(refresh);
