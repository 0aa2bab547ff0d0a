"""report.py: one self-contained HTML report comparing a baseline with policy scenarios
(`sim report BASE.h5 ALT.h5 [ALT2.h5 ...] -o report.html` runs this script).

For a reader without the tool: first the verdict (the better scenario on durable
placements, cost per durable placement and net fiscal effect, with intervals), its
caveats, the monthly paired difference and the budget (analysis/verdict.py), the
scenarios in words; then the question, the scenarios and what differs between
them, headline contrasts in plain words with 95% intervals (paired over replications, as
`sim compare`), a regional table, the person-level counterfactual (deadweight, net
effect) when the files hold /events, charts embedded as base64 PNG, and provenance.
Files that cannot be paired (model, seed, replications, summary fields, regions) are
refused with exit 1 and nothing is written; the report is written under a temporary
name and renamed when complete. The page is a Jinja2 template
(analysis/templates/report.html.j2); --lang en|nl chooses the language of the verdict,
caveats and charts; --from/--to a window on the series-based figures (as sim compare).
"""
import argparse
import base64
import datetime
import hashlib
import html
import math
import os
import platform
import re
import stat
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

SECTIONS = ("The question", "Scenarios compared", "Headline results", "Results by region",
            "Who is placed because of the policy", "Charts", "How to read this report", "Provenance")

# /summary fields in the headline, in order: (label, plural, kind); kind decides the format.
HEADLINE = [
    ("placements", "Placements by the WSP", True, "count"),
    ("durable_placements", "Durable placements", True, "count"),
    ("durable_share", "The share of placements that last", False, "share"),
    ("job_losses", "Placements ended early", True, "count"),
    ("exits_work_own", "Exits to work found without the WSP", True, "count"),
    ("programme_dropouts", "Drop-outs from programmes", True, "count"),
    ("mean_months_to_placement", "The time from profiling to placement", False, "months"),
    ("caseload_end", "The number of people on benefit at the end", False, "count"),
    ("benefit_months", "Benefit months", True, "count"),
    ("cost_total", "The total cost of activation (excl. benefits)", False, "eur"),
    ("cost_benefits", "Benefit payments", True, "eur"),
    ("cost_per_durable", "The cost per durable placement", False, "eur"),
]

CSS = """
.verdict{font-size:1.08em;background:#f3f8ff;border-left:4px solid #2f6fb0;padding:.4em 1em;margin:.6em 0}
.verdict p{margin:.45em 0}.caveats{border:1px solid #d0d7de;background:#fafbfc;padding:.3em 1em;margin:1em 0}
.caveats.warn{border-color:#c9a227;background:#fff8e1}.caveats h3{margin:.4em 0;font-size:1em}
.warning{color:#8a5a00}dt{font-weight:600;margin-top:.6em}details{margin:.6em 0}
@media (max-width:600px){body{padding:0 .5em}table{display:block;overflow-x:auto}}
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;max-width:1100px;margin:2em auto;
padding:0 1.2em;color:#1d2329;line-height:1.45}
h1{font-size:1.7em;margin-bottom:.2em}h2{border-bottom:2px solid #d0d7de;padding-bottom:.2em;margin-top:2em}
table{border-collapse:collapse;margin:.6em 0 1.2em;font-size:.9em}
th,td{border:1px solid #d0d7de;padding:.25em .55em;text-align:right;vertical-align:top}
th{background:#f3f5f7}td.l,th.l{text-align:left}td{white-space:nowrap}td.l{white-space:normal;overflow-wrap:break-word}tr.sig td{background:#eef7ee}
.lead{font-size:1.1em}.note{color:#57606a;font-size:.9em}
ul.headline li{margin:.3em 0}figure{margin:1.2em 0}figure img{max-width:100%;border:1px solid #e1e4e8}
figcaption{color:#57606a;font-size:.9em}code,pre{font-size:.85em;background:#f6f8fa}
pre{padding:.6em;overflow-x:auto;white-space:pre-wrap}
"""


class Usage(Exception):
    pass


def esc(x):
    return html.escape(str(x), quote=True)


# ------------------------------------------------------------------- numbers --

def _finite(x):
    return x is not None and isinstance(x, (int, float)) and math.isfinite(x)


def _num(x, digits=0, plus=False):
    """x with thousands separators, a real minus sign and, with plus, a '+' sign."""
    if not _finite(x):
        return "n/a"
    s = "{:,.{d}f}".format(abs(x), d=digits)
    zero = float(s.replace(",", "")) == 0
    return ("\u2212" if x < 0 and not zero else "+" if plus and x > 0 and not zero else "") + s


def _digits(x):
    """Decimals that keep about three significant figures for small numbers."""
    a = abs(x) if _finite(x) else 0
    return 0 if a >= 100 else 1 if a >= 10 else 2 if a >= 0.1 else 3


def fmt(x, kind, signed=False, digits=None):
    """A value: counts with thousands separators, EUR amounts, shares in per cent (a
    signed share is a difference, in percentage points), months."""
    if not _finite(x):
        return "n/a"
    if kind == "share":
        return _num(100 * x, 1, signed) + (" percentage points" if signed else "%")
    if kind == "months":
        return _num(x, _digits(x) if digits is None else digits, signed) + " months"
    if kind == "eur":
        if abs(x) >= 1e6:
            return ("+" if signed and x > 0 else "") + "EUR " + _num(x / 1e6, 2) + " million"
        return ("+" if signed and x > 0 else "") + "EUR " + _num(x, 0)
    return _num(x, _digits(x) if digits is None else digits, signed)


def fmt_range(lo, hi, kind, digits=None):
    """'1,610 to 2,070', 'EUR 2.27 to 2.91 million', '-0.3 to 0.7 percentage points'."""
    if not (_finite(lo) and _finite(hi)):
        return "n/a"
    d = max(_digits(lo), _digits(hi)) if digits is None else digits
    if kind == "share":
        return "%s to %s percentage points" % (_num(100 * lo, 1), _num(100 * hi, 1))
    if kind == "months":
        return "%s to %s months" % (_num(lo, d), _num(hi, d))
    if kind == "eur":
        if max(abs(lo), abs(hi)) >= 1e6:
            return "EUR %s to %s million" % (_num(lo / 1e6, 2), _num(hi / 1e6, 2))
        return "EUR %s to %s" % (_num(lo, 0), _num(hi, 0))
    return "%s to %s" % (_num(lo, d), _num(hi, d))


def fmt_rel(rel):
    return _num(100 * rel, 1, True) + "%" if _finite(rel) else "n/a"


def sentence(label, plural, kind, r):
    """'Durable placements rise by 1,840 (95% interval 1,610 to 2,070), +12%.' A fall is
    told as a positive amount with the interval of that amount."""
    d, lo, hi = r["diff"], r["lo"], r["hi"]
    relt = "" if not _finite(r["rel"]) or kind == "share" else ", " + fmt_rel(r["rel"])
    if d == 0 and lo == hi:
        return "%s %s not change (the same in every replication)." % (label, "do" if plural else "does")
    if r.get("same"):
        return ("%s %s by %s in every replication%s: with no spread there is no interval, so this is not "
                "counted as a clear change." % (label, "change" if plural else "changes", fmt(d, kind, signed=True), relt))
    if not (_finite(lo) and _finite(hi)):
        return "%s %s by %s (no interval from one replication)%s." % (
            label, "change" if plural else "changes", fmt(d, kind, signed=True), relt)
    if lo <= 0 <= hi:
        return ("%s %s by %s (95%% interval %s)%s: the interval includes zero, so the change cannot be told "
                "apart from chance." % (label, "change" if plural else "changes", fmt(d, kind, signed=True),
                                        fmt_range(lo, hi, kind, _digits(d)), relt))
    verb = ("rise" if d > 0 else "fall") if plural else ("rises" if d > 0 else "falls")
    m, mlo, mhi = (d, lo, hi) if d > 0 else (-d, -hi, -lo)
    amount = _num(100 * m, 1) + " percentage points" if kind == "share" else fmt(m, kind)
    return "%s %s by %s (95%% interval %s)%s." % (label, verb, amount, fmt_range(mlo, mhi, kind, _digits(m)), relt)


# ------------------------------------------------------------------ scenarios --

def scenario_name(f):
    return os.path.splitext(os.path.basename(cf.text(f.attrs.get("scenario", b"?"))))[0]


def scenario_file(f):
    """The scenario file the run used, if it can still be found."""
    s = cf.text(f.attrs.get("scenario", b""))
    for p in (s, os.path.join(ROOT, s), os.path.join(ROOT, "scenarios", os.path.basename(s))):
        if s and os.path.isfile(p):
            return p
    return None


def docs_questions():
    """{scenario name: question} from the table in docs/scenarios.md."""
    out = {}
    try:
        with open(os.path.join(ROOT, "docs", "scenarios.md"), encoding="utf-8") as fh:
            for line in fh:
                m = re.match(r"\|\s*`([\w.-]+)`\s*\|\s*(.+?)\s*\|", line)
                if m:
                    out[m.group(1)] = re.sub(r"[*`]", "", m.group(2))
    except OSError:
        pass
    return out


def question(f):
    """The scenario's question: its '# Question:' comment line, else docs/scenarios.md."""
    p = scenario_file(f)
    if p:
        with open(p, encoding="utf-8", errors="replace") as fh:
            for line in fh:
                if not line.startswith("#"):
                    break
                m = re.match(r"#\s*Question:\s*(.+)", line)
                if m:
                    return m.group(1).strip()
    return docs_questions().get(scenario_name(f))


def overrides(f):
    """The --set overrides on the file's command line."""
    toks = cf.text(f.attrs.get("command_line", b"")).split()
    out = []
    for i, t in enumerate(toks):
        if t == "--set" and i + 1 < len(toks):
            out.append(toks[i + 1])
        elif t.startswith("--set="):
            out.append(t[6:])
    return out


def param_values(f):
    if "parameters/values" not in f:
        return {}
    v = f["parameters/values"][:]
    return {cf.text(p): float(x) for p, x in zip(v["path"], v["value"])}


def policy_blocks(f):
    """[(block, [{key: scalar}])] for the top-level policy blocks of the resolved scenario
    (programmes, shocks, cooperation, ...): their direct scalar settings."""
    text = cf.text(f["parameters/scenario"][0]) if "parameters/scenario" in f else ""
    skip = {"model", "seed", "replications", "origin", "output", "labour_market", "mm1"}
    out, depth, block, is_list, elem = [], 0, None, False, None
    for line in text.splitlines():
        s = line.strip()
        if depth == 0:
            m = re.match(r"(\w+)\s*=\s*([({]?)", s)
            if m and m.group(2) and m.group(1) not in skip:
                block, is_list, elem = m.group(1), m.group(2) == "(", None
                out.append((block, [] if is_list else [{}]))
            elif m:
                block = None
        m = re.match(r'(\w+)\s*=\s*("[^"]*"|[-+\d.eE]+L?|true|false)\s*;?$', s)
        want = 2 if is_list else 1
        if block and m and depth == want and out[-1][1]:
            out[-1][1][-1][m.group(1)] = m.group(2).strip('"')
        for ch in s:
            if ch in "({[":
                depth += 1
                if block and is_list and ch == "{" and depth == 2:
                    out[-1][1].append({})
            elif ch in ")}]":
                depth -= 1
        if depth == 0:
            block = None
    return out


def describe_block(block, elems):
    keys = ("kind", "start", "end", "onset", "budget_per_region", "maturity_offset", "substitution", "underspend")
    parts = []
    for e in elems:
        bits = []
        for k in keys:
            if k in e:
                v = e[k]
                if k == "budget_per_region":   # its unit follows the kind: a yearly or a one-off budget
                    unit = "per region per year" if e.get("kind") == "structural" else "per region in total"
                    bits.append("EUR %s %s" % (_num(float(v), 0), unit))
                else:
                    bits.append("%s %s" % (k.replace("_", " "), v))
        name = e.get("name")
        parts.append(("%s: " % name if name else "") + ", ".join(bits))
    return "%s: %s" % (block, "; ".join(parts) if parts else "(set)")


# ------------------------------------------------------------------- sections --

def section(title, body):
    assert title in SECTIONS
    return '<section id="%s">\n<h2>%s</h2>\n%s\n</section>\n' % (re.sub(r"\W+", "-", title.lower()), esc(title), body)


def table(head, rows, left=1, classes=None):
    h = "".join('<th%s>%s</th>' % (' class="l"' if i < left else "", esc(x)) for i, x in enumerate(head))
    body = []
    for j, r in enumerate(rows):
        cls = ' class="%s"' % classes[j] if classes and classes[j] else ""
        body.append("<tr%s>%s</tr>" % (cls, "".join('<td%s>%s</td>' % (' class="l"' if i < left else "", esc(x))
                                                    for i, x in enumerate(r))))
    return "<table>\n<thead><tr>%s</tr></thead>\n<tbody>\n%s\n</tbody>\n</table>" % (h, "\n".join(body))


def s_question(files, names):
    base, alts = files[0], files[1:]
    items = []
    for f, n in zip(alts, names[1:]):
        q = question(f)
        items.append("<li><strong>%s</strong> against <strong>%s</strong>%s</li>"
                     % (esc(n), esc(names[0]), (": " + esc(q)) if q else ""))
    qb = question(base)
    lead = ("What changes when the policy of each scenario below is applied to the same people, "
            "in the same regions, with the same chance events as in the reference scenario <strong>%s</strong>?"
            % esc(names[0]))
    return ('<p class="lead">%s</p>\n<ul>\n%s\n</ul>\n%s' %
            (lead, "\n".join(items), "<p class=\"note\">Reference scenario: %s</p>" % esc(qb) if qb else ""))


def s_scenarios(files, names):
    base = files[0]
    pv = [param_values(f) for f in files]
    scale = pv[0].get("labour_market.scale", float("nan"))
    sample = pv[0].get("output.sample", float("nan"))
    origin = cf.text(base.attrs.get("time_origin", b"?"))
    horizon = sv.horizon_days(base)
    end = (datetime.date.fromisoformat(origin) + datetime.timedelta(days=horizon)).isoformat() \
        if math.isfinite(horizon) and re.match(r"\d{4}-\d\d-\d\d$", origin) else "?"
    rows = []
    for i, (f, n) in enumerate(zip(files, names)):
        blocks = "; ".join(describe_block(b, e) for b, e in policy_blocks(f)) or "none (no programme or shock)"
        rows.append((n, "reference" if i == 0 else "policy", cf.text(f.attrs.get("scenario", b"?")),
                     blocks, " ".join(overrides(f)) or "none"))
    out = [table(("scenario", "role", "file", "policy blocks", "--set overrides"), rows, left=5)]
    common = ("All runs: model <code>%s</code>, %d regions, %s to %s, seed %s, %d replications paired one to one"
              % (esc(cf.text(base.attrs["model"])), len(cf.region_names(base)) if "series/region" in base or "regions" in base else 0,
                 esc(origin), esc(end), esc(base.attrs["seed"]), int(base.attrs["replications"])))
    if math.isfinite(scale) and scale != 1.0:
        common += ("; population scale %g: the runs simulate %s%% of the national caseload, so counts and "
                   "costs below are for that simulated population (roughly %s times smaller than national figures)"
                   % (scale, _num(100 * scale, 0 if scale >= 0.1 else 1), _num(1 / scale, 0)))
    if math.isfinite(sample) and all("events" in f for f in files):   # a trace only where /events holds one
        common += "; trajectories traced for %s%% of people" % _num(100 * sample, 0)
    out.append("<p>%s.</p>" % common)
    for f, n, v in zip(files[1:], names[1:], pv[1:]):
        diff = sorted(k for k in set(v) | set(pv[0]) if v.get(k) != pv[0].get(k)
                      and k not in ("output.sample",) and not k.startswith("programmes."))
        if not diff:
            out.append("<p><strong>%s</strong>: every numeric parameter equals the reference's.</p>" % esc(n))
            continue
        rows = [(k, _fmtp(pv[0].get(k)), _fmtp(v.get(k))) for k in diff[:40]]
        more = "<p class=\"note\">... and %d more.</p>" % (len(diff) - 40) if len(diff) > 40 else ""
        out.append("<details><summary>Other numeric parameters of %s that differ from %s (raw values; the "
                   "programmes are described in words above)</summary>\n%s%s</details>"
                   % (esc(n), esc(names[0]), table(("parameter", names[0], n), rows), more))
    return "\n".join(out)


def _fmtp(x):
    if x is None:
        return "(not set)"
    return ("%d" % x) if float(x).is_integer() and abs(x) < 1e15 else "%.6g" % x


def s_headline(files, names):
    base = files[0]
    fields = base["summary"].dtype.names
    out = []
    for f, n in zip(files[1:], names[1:]):
        items, rows, classes = [], [], []
        for key, label, plural, kind in HEADLINE:
            if key not in fields:
                continue
            r = cf.paired(cf.summary_column(base, key), cf.summary_column(f, key))
            items.append("<li>%s</li>" % esc(sentence(label, plural, kind, r)))
            sig = cf.clear(r)
            rows.append((key, fmt(r["base_mean"], kind), fmt(r["alt_mean"], kind), fmt(r["diff"], kind, signed=True),
                         fmt_range(r["lo"], r["hi"], kind), fmt_rel(r["rel"])))
            classes.append("sig" if sig else "")
        cpa = cf.cost_per_additional(base, f)
        if cpa["ratio_defined"] and cpa["durable"]["diff"] > 0:
            cp = ("Each additional durable placement costs about %s (95%% interval %s): %s more spent on "
                  "activation for %s more durable placements." % (fmt(cpa["ratio"], "eur"),
                                                                   fmt_range(cpa["lo"], cpa["hi"], "eur"),
                                                                   fmt(cpa["cost"]["diff"], "eur"),
                                                                   fmt(cpa["durable"]["diff"], "count")))
        elif cpa["ratio_defined"]:
            cp = ("There are fewer durable placements than in the reference (%s), so there is no cost per "
                  "additional durable placement; activation cost changes by %s."
                  % (fmt(cpa["durable"]["diff"], "count", signed=True), fmt(cpa["cost"]["diff"], "eur", signed=True)))
        else:
            cp = ("The change in durable placements cannot be told apart from zero, so the cost per additional "
                  "durable placement is not defined (activation cost changes by %s)."
                  % fmt(cpa["cost"]["diff"], "eur", signed=True))
        out.append("<h3>%s compared with %s</h3>\n<ul class=\"headline\">\n%s\n<li><strong>%s</strong></li>\n</ul>\n%s"
                   % (esc(n), esc(names[0]), "\n".join(items), esc(cp),
                      table(("metric", names[0] + " mean", n + " mean", "difference", "95% interval", "change"),
                            rows, classes=classes)))
    out.append("<p class=\"note\">Shaded rows: the 95% interval excludes zero.</p>")
    return "\n".join(out)


def _counterfactual(base, f):
    try:
        return cf.classify(base, f, "placed"), cf.classify(base, f, "durable")
    except cf.Refused:
        return None, None


def s_regions(files, names, cfs):
    base = files[0]
    if "series/durable" not in base:
        return "<p>Not available: the files hold no per-region series (run with <code>-d series</code> or <code>-d events</code>).</p>"
    regions = cf.region_names(base)
    wsp_idx, wsp_names = sv.region_groups(base, "wsp")
    out = ["<p>Durable placements over the whole period per region: the mean of each scenario and the paired "
           "difference with its 95%% interval. These are %d comparisons at once: with no effect anywhere, about %s "
           "of the %d intervals would still exclude zero by chance. So the shaded rows are those whose difference "
           "stays clear after Holm's correction for the %d regions (p, Holm: below 0.05; the chance of even one "
           "false alarm among all regions stays at 5%%). Deadweight and net effect are from the person-level "
           "comparison (placements; see the next section).</p>"
           % (len(regions), _num(0.05 * len(regions), 1) if len(regions) > 20 else "one in twenty",
              len(regions), len(regions))]
    for (f, n), (c, _) in zip(zip(files[1:], names[1:]), cfs):
        if "series/durable" not in f:
            out.append("<h3>%s compared with %s</h3>\n<p>Not available: %s holds no per-region series.</p>"
                       % (esc(n), esc(names[0]), esc(f.filename)))
            continue
        fr = dict(charts.forest_rows(base, f, "durable"))
        cft = {r["region"]: r for r in cf.region_table(c, regions)} if c is not None else {}
        rows, classes = [], []
        padj = dict(zip(regions, cf.holm([fr[reg] for reg in regions])))
        for i, reg in enumerate(regions):
            r = fr[reg]
            x = cft.get(reg)
            rows.append((reg, wsp_names[wsp_idx[i]].replace(" WSP", "") if i < len(wsp_idx) else "", fmt(r["base_mean"], "count", digits=1),
                         fmt(r["alt_mean"], "count", digits=1), fmt(r["diff"], "count", signed=True, digits=1),
                         fmt_range(r["lo"], r["hi"], "count", 1),
                         "n/a" if not _finite(padj[reg]) else "<0.001" if padj[reg] < 0.001 else "%.3f" % padj[reg],
                         fmt_rel(r["rel"]),
                         fmt(x["deadweight_share"], "share") if x else "n/a",
                         fmt(x["net_effect"], "count", signed=True, digits=1) if x else "n/a"))
            classes.append("sig" if _finite(padj[reg]) and padj[reg] < 0.05 else "")
        out.append("<h3>%s compared with %s</h3>\n%s" % (esc(n), esc(names[0]), table(
            ("region", "WSP structure", names[0], n, "difference", "95% interval", "p (Holm)", "change", "deadweight",
             "net placements"),
            rows, left=2, classes=classes)))
    return "\n".join(out)


def s_counterfactual(files, names, cfs):
    out = []
    for (f, n), (cp, cd) in zip(zip(files[1:], names[1:]), cfs):
        if cp is None:
            out.append("<p><strong>%s</strong>: not available; both files need <code>-d events</code> with the same "
                       "<code>--sample</code>.</p>" % esc(n))
            continue
        rows = []
        text = ""
        for label, c in (("placed", cp), ("placed durably", cd)):
            nat = cf.region_table(c, [])[-1]
            rows.append((label, _num(nat["traced"]), _num(nat["both"]), _num(nat["policy_only"]), _num(nat["base_only"]),
                         _num(nat["neither"]), fmt(nat["deadweight_share"], "share"),
                         fmt(nat["net_effect"], "count", signed=True)))
            if label == "placed":
                text = ("<p>Of the people placed under <strong>%s</strong>, %s would have been placed in <strong>%s</strong> "
                        "as well (deadweight). The policy places %s people per replication who would not have been "
                        "placed otherwise, while %s people placed in the reference are not placed with it "
                        "(displacement, or lock-in in a programme): a net effect of %s people placed per replication, "
                        "for the simulated population.</p>"
                        % (esc(n), fmt(nat["deadweight_share"], "share"), esc(names[0]),
                           fmt(nat["gained"], "count"), fmt(nat["lost"], "count"),
                           fmt(nat["net_effect"], "count", signed=True)))
        extra = ""
        if cp["only_alt"] or cp["only_base"]:
            extra = ("<p class=\"note\">%s traced people appear only in %s and %s only in %s (e.g. extra inflow); "
                     "they are left out.</p>" % (_num(cp["only_alt"]), esc(n), _num(cp["only_base"]), esc(names[0])))
        out.append("<h3>%s compared with %s</h3>\n%s\n%s%s\n<p class=\"note\">Counts are traced people (not placements: a person can "
                   "be placed more than once) summed over replications; deadweight = both / placed with the policy; net = (policy only - reference only) "
                   "per replication, scaled to the simulated population by 1/sample.</p>"
                   % (esc(n), esc(names[0]), text, table(("outcome", "traced", "both", "policy only", "reference only",
                                                          "neither", "deadweight", "net per replication"), rows), extra))
    return "\n".join(out)


def s_charts(figs):
    captions = {
        "series": "National placements per month and caseload: mean over replications (line) and the 5-95% range of "
                  "the replications (band).",
        "forest": "Difference in durable placements per region against the reference, with 95% intervals (not "
                  "corrected for comparing many regions: with no effect, about one in twenty would miss the vertical "
                  "line by chance; the regional table marks the regions that stay clear after Holm's correction).",
        "survival": "How quickly people are placed after their first profiling, and how long placements last before "
                    "a job loss (Kaplan-Meier estimates with 95% bands).",
        "scatter": "Cost against durable placements: each dot is one replication; grey lines join replications with "
                   "the same chance events; ringed dots are the means.",
    }
    out = []
    for name, png in figs.items():
        out.append('<figure>\n<img src="data:image/png;base64,%s" alt="%s chart">\n<figcaption>%s</figcaption>\n</figure>'
                   % (base64.b64encode(png).decode("ascii"), esc(name), esc(captions.get(name, name))))
    return "\n".join(out) if out else "<p>No charts could be drawn from these files.</p>"


def s_reading(files):
    reps = int(files[0].attrs["replications"])
    return ("<p>Each scenario was simulated %d times (replications). Replication <em>r</em> of every scenario uses the "
            "same random numbers for the same person, so the two runs differ only by the policy: the difference is "
            "computed per replication and then averaged. The 95%% interval is a t interval over the %d paired "
            "differences; when it excludes zero the change is unlikely to be chance. The regional table makes one "
            "comparison per region, so by chance alone about one in twenty of its intervals would exclude zero: it "
            "marks the regions that stay clear after Holm's correction. Percentages are relative to "
            "the reference mean.</p>\n<p>The person-level comparison uses the same property: a person traced in both "
            "runs is the same person, so one can see whether he or she was placed with and without the policy. "
            "Kaplan-Meier curves treat people who leave benefit otherwise, or who are still waiting at the end of "
            "the simulated period, as censored.</p>" % (reps, reps))


def _sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def s_provenance(files, names, argv):
    fields = [("file", lambda f: f.filename), ("scenario file", lambda f: cf.text(f.attrs.get("scenario", b""))),
              ("created (UTC)", lambda f: cf.text(f.attrs.get("created", b""))),
              ("toolkit", lambda f: "%s (git %s)" % (cf.text(f.attrs.get("toolkit_version", b"?")),
                                                     cf.text(f.attrs.get("git_hash", b"?")))),
              ("seed", lambda f: str(f.attrs["seed"])), ("replications", lambda f: str(int(f.attrs["replications"]))),
              ("format version", lambda f: str(f.attrs.get("format_version", "?"))),
              ("command line", lambda f: cf.text(f.attrs.get("command_line", b""))),
              ("sha256 (first 16 hex)", lambda f: _sha256(f.filename)[:16])]
    rows = [[label] + [get(f) for f in files] for label, get in fields]
    import h5py
    import matplotlib
    import numpy
    tool = os.environ.get("SIM_VERSION", "") or "python3 -m analysis.report (run directly)"
    cmd = os.environ.get("SIM_COMMAND_LINE") or " ".join(["python3 -m analysis.report"] + list(argv))
    made = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return ("%s\n<p>Report made %s by %s with <code>%s</code>; Python %s, numpy %s, h5py %s (HDF5 %s), matplotlib %s.</p>"
            % (table([""] + list(names), rows, left=len(names) + 1),
               esc(made), esc(tool), esc(cmd), esc(platform.python_version()), esc(numpy.__version__),
               esc(h5py.__version__), esc(h5py.version.hdf5_version), esc(matplotlib.__version__)))


def verdict_context(files, names, lang, window):
    """What the template shows first: per ALT the verdict sentences and the monthly
    difference chart, then the caveats, the budget and the scenarios in words."""
    years = vd.horizon_years(files[0])
    out, summs = [], []
    for f, n in zip(files[1:], names[1:]):
        summ, ser = vd.compare_rows(files[0], f, window)
        summs.append(summ)
        chart = None
        if "series/durable" in files[0] and "series/durable" in f:
            png = charts.png_bytes(vd.difference_figure(files[0], f, [names[0], n], lang, window))
            chart = base64.b64encode(png).decode("ascii")
        out.append({"heading": vd.tr(lang, "compared_with", alt=n, base=names[0]),
                    "sentences": vd.verdict(files[0], f, [esc(names[0]), esc(n)], summ, ser, lang, years, window),
                    "chart": chart, "chart_alt": vd.tr(lang, "chart_title", alt=n, base=names[0]),
                    "caption": vd.tr(lang, "chart_caption", alt=n)})
    cav, few = vd.caveats(files, lang)
    return {"verdicts": out, "caveats": cav, "few_reps": few, "few_text": vd.tr(lang, "c_few"),
            "budget": vd.budget(files, names, summs, lang), "t": vd.T[lang],
            "scenarios": [{"title": n, "file": os.path.basename(cf.text(f.attrs.get("scenario", b"?"))),
                           "phrases": vd.describe(f, lang)} for f, n in zip(files, names)]}


def build_html(files, names, argv, metric="durable", lang="en", window=(None, None)):
    import jinja2
    cfs = [_counterfactual(files[0], f) for f in files[1:]]
    figs = {k: charts.png_bytes(v) for k, v in charts.all_figures(files, names, metric).items()
            if k != "series"}   # the national curves overlap: the verdict's difference chart replaces them
    title = vd.tr(lang, "compared_with", alt=", ".join(names[1:]), base=names[0])
    body = [section("The question", s_question(files, names)),
            section("Scenarios compared", s_scenarios(files, names)),
            section("Headline results", s_headline(files, names)),
            uncertainty_report.html(files, names),   # "" unless the runs drew parameters (issue 14)
            section("Results by region", s_regions(files, names, cfs)),
            section("Who is placed because of the policy", s_counterfactual(files, names, cfs)),
            section("Charts", s_charts(figs)),
            section("How to read this report", s_reading(files)),
            section("Provenance", s_provenance(files, names, argv))]
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(os.path.join(HERE, "templates")),
                             autoescape=True, undefined=jinja2.StrictUndefined)
    ctx = verdict_context(files, names, lang, window)
    return env.get_template("report.html.j2").render(
        lang=lang, title=title, subtitle=cf.text(files[0].attrs.get("title", b"")), css=CSS, sections=body, **ctx)


def check_output(path, inputs):
    """Raise Refused unless path may be written: a non-empty name of a regular file or of
    nothing yet, never a directory, device or FIFO, never one of the inputs under any
    name (the same rule as sim/io/files.c)."""
    if not path:
        raise cf.Refused("the output path is empty (allowed: a file name, e.g. -o report.html)")
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return
    if not stat.S_ISREG(st.st_mode):
        raise cf.Refused("%s: the output path exists and is not a regular file; refusing to replace it "
                         "(allowed: a regular file or a new name)" % path)
    for p in inputs:
        try:
            if os.path.samefile(p, path):
                raise cf.Refused("%s: the output path is one of the input files; refusing to overwrite it "
                                 "(choose another -o)" % path)
        except OSError:
            pass


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    ap = argparse.ArgumentParser(prog="sim report", description="One self-contained HTML report: BASE against each ALT.")
    ap.add_argument("base", metavar="BASE.h5")
    ap.add_argument("alts", metavar="ALT.h5", nargs="+")
    ap.add_argument("-o", "--output", required=True, metavar="REPORT.html")
    ap.add_argument("--metric", default="durable", help="/series for the regional forest plot (default durable)")
    ap.add_argument("--lang", default="en", choices=vd.LANGS, help="language of the verdict, caveats and charts")
    ap.add_argument("--from", dest="frm", metavar="DATE", help="window start (YYYY-MM-DD) for series-based figures")
    ap.add_argument("--to", metavar="DATE", help="window end (YYYY-MM-DD, exclusive)")
    a = ap.parse_args(argv)
    files = []
    try:
        check_output(a.output, [a.base] + a.alts)
        files = [cf.open_checked(p) for p in [a.base] + a.alts]
        for f in files[1:]:
            cf.check_pair(files[0], f)
        if a.metric not in (files[0]["series"] if "series" in files[0] else {}) and "series" in files[0]:
            raise Usage("--metric %s: %s has no /series/%s" % (a.metric, a.base, a.metric))
        outdir = os.path.dirname(os.path.abspath(a.output))
        if not os.path.isdir(outdir):
            raise cf.Refused("%s: the directory %s does not exist" % (a.output, outdir))
        for opt, d in (("--from", a.frm), ("--to", a.to)):
            if d is not None:
                try:
                    datetime.date.fromisoformat(d)
                except ValueError:
                    raise Usage("%s: '%s' is not a date (allowed: YYYY-MM-DD)" % (opt, d))
        if a.frm and a.to and a.frm >= a.to:
            raise Usage("--from %s is not before --to %s" % (a.frm, a.to))
        text = build_html(files, vd.titles(files), argv, a.metric, a.lang, (a.frm, a.to))
        check_output(a.output, [a.base] + a.alts)   # again: the report took a while
        cf.write_atomic(a.output, text)
    except cf.Refused as err:
        print("sim report: %s" % err, file=sys.stderr)
        return 1
    except Usage as err:
        print("sim report: %s" % err, file=sys.stderr)
        return 2
    except OSError as err:
        print("sim report: %s: %s" % (a.output, err), file=sys.stderr)
        return 1
    except Exception as err:            # a file this code did not expect: no report, exit 1
        if os.environ.get("SIM_DEBUG"):
            raise
        print("sim report: cannot make the report (%s: %s); SIM_DEBUG=1 shows where"
              % (type(err).__name__, err), file=sys.stderr)
        return 1
    finally:
        for f in files:
            f.close()
    print("report: %s" % a.output, file=sys.stderr)
    return 0


if not __package__:   # run as a file: the sibling modules are found only in the package
    sys.exit("report.py is part of the analysis package: run python3 -m analysis.report from the directory that holds analysis/ (analysis/README.md)")
try:
    from . import charts  # noqa: E402  (imports matplotlib with the Agg backend)
    from . import counterfactual as cf  # noqa: E402
    from . import uncertainty_report  # noqa: E402  (the parameter-uncertainty section, issue 14)
    from . import survival as sv  # noqa: E402
    from . import verdict as vd  # noqa: E402
    import jinja2  # noqa: E402,F401  (the page template)
except ImportError as err:           # h5py, numpy, matplotlib or jinja2 missing
    print("sim report: %s; install python3-h5py python3-numpy python3-matplotlib python3-jinja2 (Debian)" % err,
          file=sys.stderr)
    sys.exit(1)

if __name__ == "__main__":
    sys.exit(main())
