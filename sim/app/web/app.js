// app.js: the sim serve page. Fills the reference menu, checks the form with the
// server (the same loader as `sim validate`; messages next to their field), queues
// runs, polls their progress, and shows a finished run: verdict first, then the
// charts and tables of its report, then the downloads. No external resources.
"use strict";
const $ = (id) => document.getElementById(id);
const form = $("form");
let shown = null;       // the run whose result is on the page

function esc(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c]));
}

async function getJSON(url, opts) {
  const r = await fetch(url, opts);
  let body = null;
  try { body = await r.json(); } catch (e) { body = {error: "the server sent no JSON (" + r.status + ")"}; }
  return {status: r.status, body};
}

function clearErrors() {
  $("form-ok").textContent = "";
  document.querySelectorAll(".field.invalid").forEach((f) => f.classList.remove("invalid"));
  document.querySelectorAll(".error").forEach((e) => { e.textContent = ""; });
}

function showErrors(errors) {
  clearErrors();
  for (const e of errors) {
    const box = document.querySelector('.field[data-field="' + e.field + '"]');
    const target = box ? box.querySelector(".error") : $("form-error");
    if (box) box.classList.add("invalid");
    target.textContent = (target.textContent ? target.textContent + " " : "") + e.message;
  }
}

function fmtSeconds(s) {
  if (s < 90) return Math.round(s) + " s";
  if (s < 5400) return Math.round(s / 60) + " min";
  return (s / 3600).toFixed(1) + " h";
}

// A replication of the whole country takes about 4.5 s on one core (bench/RESULTS.md); the
// alternative usually continues from the reference's burn-in (6 of 16 simulated years), so both
// take about 1.6 times one; two cores.
function updateEstimate() {
  const reps = parseInt($("reps").value, 10) || 0, share = parseFloat($("share").value) || 0;
  const s = 1.6 * reps * share * 4.5 / 2 + 5;
  $("estimate").textContent = "Estimated time: about " + fmtSeconds(s) + " for " + reps +
    " replications of both scenarios at " + Math.round(share * 1000) / 10 + "% of the population.";
  const b = parseFloat($("budget").value), unit = $("budget_unit").value;
  const y = (new Date($("end").value) - new Date($("start").value)) / (365.2425 * 864e5);
  let words = "";
  if (isFinite(b) && y > 0) {
    const total = unit === "total" ? b : unit === "region_total" ? b * 35 : b * 35 * y;
    words = "That is EUR " + total.toFixed(1) + "M in total for 35 regions over " + y.toFixed(1) + " years (EUR " +
      (total / 35 / y * 1000).toFixed(0) + "k per region per year).";
  }
  $("budget_words").textContent = words;
}

async function loadScenarios() {
  const {body} = await getJSON("/api/scenarios");
  const sel = $("reference");
  sel.innerHTML = "";
  for (const s of body) {
    const o = document.createElement("option");
    o.value = s.name; o.textContent = s.title + " (" + s.name + ".cfg)";
    if (s.name === "pow-incidental") o.selected = true;
    sel.appendChild(o);
  }
}

async function check() {
  const {status, body} = await getJSON("/api/validate", {method: "POST", body: new URLSearchParams(new FormData(form))});
  if (status === 200 && body.errors && !body.errors.length) { clearErrors(); $("form-ok").textContent = "No problems found: ready to run."; return true; }
  showErrors(body.errors || [{field: "form", message: body.error || "error " + status}]);
  return false;
}

async function submit(ev) {
  ev.preventDefault();
  const {status, body} = await getJSON("/api/runs", {method: "POST", body: new URLSearchParams(new FormData(form))});
  if (status === 201) { clearErrors(); shown = null; await refresh(); return; }
  showErrors(body.errors || [{field: "form", message: body.error || "error " + status}]);
}

function runItem(r) {
  const li = document.createElement("li");
  li.id = "run-" + r.id;
  let html = "<div><span class=\"state " + r.state + "\">" + esc(r.state) + "</span> #" + r.id + " <strong>" +
    esc(r.title) + "</strong> against <em>" + esc(r.reference) + "</em>, " + r.replications +
    " replications at " + (r.share * 100) + "%</div>";
  if (r.state === "running" || r.state === "queued") {
    html += "<progress max=\"" + r.total + "\" value=\"" + r.done + "\"></progress><div class=\"note\">" + r.done + " of " +
      r.total + " replications done" + (r.seconds_left >= 0 ? ", about " + fmtSeconds(r.seconds_left) + " left" : "") +
      "</div><button type=\"button\" class=\"secondary\" data-cancel=\"" + r.id + "\">Cancel</button>";
  } else if (r.state === "done") {
    html += "<button type=\"button\" class=\"secondary\" data-show=\"" + r.id + "\">Show the result</button>";
  }
  if (r.message) html += "<div class=\"note\">" + esc(r.message) + "</div>";
  li.innerHTML = html;
  return li;
}

async function refresh() {
  const {body} = await getJSON("/api/runs");
  const ul = $("runs");
  ul.innerHTML = "";
  if (!body.length) ul.innerHTML = "<li class=\"note\">No runs yet.</li>";
  for (const r of body) ul.appendChild(runItem(r));
  const latest = body.find((r) => r.state === "done");
  if (shown === null && latest && !body.some((r) => r.state === "running" || r.state === "queued")) showResult(latest);
  setTimeout(refresh, body.some((r) => r.state === "running" || r.state === "queued") ? 700 : 4000);
}

async function showResult(r) {
  shown = r.id;
  const base = "/runs/" + r.id + "/";
  const res = await fetch(base + "report.html");
  const box = $("result-body");
  if (!res.ok) { box.textContent = "The report of run " + r.id + " is missing."; $("result").hidden = false; return; }
  const doc = new DOMParser().parseFromString(await res.text(), "text/html");
  box.innerHTML = "";
  const h = document.createElement("h3");
  h.textContent = doc.querySelector("h1") ? doc.querySelector("h1").textContent : r.title;
  box.appendChild(h);
  for (const id of ["verdict", "over-time", "budget", "headline-results", "charts", "scenarios-in-words"]) {
    const s = doc.getElementById(id);
    if (s) box.appendChild(document.importNode(s, true));
  }
  const dl = document.createElement("p");
  dl.className = "downloads";
  dl.innerHTML = "<strong>Downloads:</strong> " + [["report.html", "the full report (HTML)"], ["alt.cfg", "the scenario (.cfg)"],
    ["compare.csv", "all paired differences (CSV)"], ["alt.h5", "alternative (HDF5)"], ["ref.h5", "reference (HDF5)"]]
    .map(([f, t]) => "<a href=\"" + base + f + "\">" + t + "</a>").join(" ");
  box.appendChild(dl);
  $("result").hidden = false;
}

document.addEventListener("click", async (ev) => {
  const c = ev.target.getAttribute("data-cancel"), s = ev.target.getAttribute("data-show");
  if (c) { await fetch("/api/runs/" + c + "/cancel", {method: "POST"}); refresh(); }
  if (s) {
    const {body} = await getJSON("/api/runs/" + s);
    showResult(body);
  }
});
$("check").addEventListener("click", check);
form.addEventListener("submit", submit);
form.addEventListener("input", updateEstimate);
loadScenarios().then(() => { updateEstimate(); refresh(); });
