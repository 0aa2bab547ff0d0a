"""report.py: one self-contained HTML report comparing a baseline with policy scenarios
(`sim report BASE.h5 ALT.h5 [ALT2.h5 ...] -o report.html` runs this script).

For a reader without the tool: first the verdict (the better scenario on durable
placements, cost per durable placement and net cost to the public purse, with intervals), its
caveats, the monthly paired difference and the budget (analysis/verdict.py), the
scenarios in words; then the question, the scenarios and what differs between
them, headline contrasts in plain words with 95% intervals (paired over replications, as
`sim compare`), a regional table, the person-level counterfactual (deadweight, net
effect) when the files hold /events, charts embedded as base64 PNG, and provenance.
Files that cannot be paired (model, seed, replications, summary fields, regions) are
refused with exit 1 and nothing is written; the report is written under a temporary
name and renamed when complete. The page is a Jinja2 template
(analysis/templates/report.html.j2); --lang en|nl chooses the language of the whole page
(its texts are in texts.py; values from the files, such as titles, keys and file names,
stay as they are; the charts and the parameter-uncertainty section are in that language
too); --from/--to a window on the series-based figures (as sim compare).
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

# The detailed sections in order, by their key in texts.py; each section's id is made
# from its English heading in every language (the page of sim serve picks sections by id).
SECTIONS = ("sec_question", "sec_scenarios", "sec_headline", "sec_regions", "sec_counterfactual", "sec_charts",
            "sec_reading", "sec_provenance")

# /summary fields in the headline, in order: (field, kind); kind decides the format, the
# label and its number (singular or plural) are texts.py's "hl_" + field.
HEADLINE = [
    ("placements", "count"),
    ("durable_placements", "count"),
    ("durable_share", "share"),
    ("job_losses", "count"),
    ("exits_work_own", "count"),
    ("programme_dropouts", "count"),
    ("mean_months_to_placement", "months"),
    ("caseload_end", "count"),
    ("benefit_months", "count"),
    ("cost_total", "eur"),
    ("cost_benefits", "eur"),
    ("cost_per_durable", "eur"),
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

def _g(x, lang):
    """A setting's value as %g, with a decimal comma in Dutch."""
    return dutch("%g" % x) if lang == "nl" else "%g" % x


def setting(v, lang):
    """A scenario setting's value as written ('0.35', '2019-09-01', 'incidental'); a
    number with a decimal comma in Dutch ('0,35')."""
    try:
        return _g(float(v[:-1] if v.endswith("L") else v), lang)
    except ValueError:
        return v


def fmt(x, kind, signed=False, digits=None, lang="en"):
    """A value: counts with thousands separators, EUR amounts, shares in per cent (a
    signed share is a difference, in percentage points), months."""
    if not finite(x):
        return tr(lang, "n_a")
    if kind == "share":
        s = num(100 * x, 1, signed, lang)
        return tr(lang, "pp", x=s) if signed else s + "%"
    if kind == "months":
        return tr(lang, "months", x=num(x, decimals(x) if digits is None else digits, signed, lang))
    if kind == "eur":
        sign = "+" if signed and x > 0 else ""
        if abs(x) >= 1e6:
            return tr(lang, "eur_million", sign=sign, x=num(x / 1e6, 2, lang=lang))
        return tr(lang, "eur_plain", sign=sign, x=num(x, 0, lang=lang))
    return num(x, decimals(x) if digits is None else digits, signed, lang)


def fmt_range(lo, hi, kind, digits=None, lang="en"):
    """'1,610 to 2,070', 'EUR 2.27 to 2.91 million', '-0.3 to 0.7 percentage points'."""
    if not (finite(lo) and finite(hi)):
        return tr(lang, "n_a")
    d = max(decimals(lo), decimals(hi)) if digits is None else digits
    key = {"share": "range_pp", "months": "range_months"}.get(kind, "range")
    if kind == "share":
        lo, hi, d = 100 * lo, 100 * hi, 1
    elif kind == "eur" and max(abs(lo), abs(hi)) >= 1e6:
        key, lo, hi, d = "range_eur_m", lo / 1e6, hi / 1e6, 2
    elif kind == "eur":
        key, d = "range_eur", 0
    lo, hi = bounds(lo, hi, d, lang=lang)   # more decimals where a nonzero bound would read 0 (its sign hidden)
    return tr(lang, key, lo=lo, hi=hi)


def interval_digits(r):
    """Decimals of a table row's interval: those of its larger bound, and no more than its
    difference shows (-183 with -308 to -57, not -308.4 to -57.3; -57.0 with -603 to 489;
    -8.7 to 10.1, not -8.70 to 10.10); bounds() still adds decimals where a bound would
    read 0."""
    if not (finite(r["lo"]) and finite(r["hi"])):
        return None
    d = min(decimals(r["lo"]), decimals(r["hi"]))
    return min(d, decimals(r["diff"])) if finite(r["diff"]) else d


def fmt_rel(rel, lang="en"):
    return num(100 * rel, 1, True, lang) + "%" if finite(rel) else tr(lang, "n_a")


def fmt_p(p, lang="en"):
    """A Holm-adjusted p-value: '<0.001', '0.042' (a decimal comma in Dutch)."""
    if not finite(p):
        return tr(lang, "n_a")
    s = "<0.001" if p < 0.001 else "%.3f" % p
    return dutch(s) if lang == "nl" else s


def metric_name(key, lang="en"):
    """A headline outcome as a reader and a script both find it: its label, then its /summary
    field ('Durable placements (durable_placements)')."""
    return "%s (%s)" % (T[lang]["hl_" + key][0], key)


def sentence(key, kind, r, lang="en"):
    """'Durable placements rise by 1,840 (95% interval 1,610 to 2,070), +12%.' for the
    /summary field key (its label from texts.py). A fall is told as a positive amount
    with the interval of that amount."""
    label, plural = T[lang]["hl_" + key]
    d, lo, hi = r["diff"], r["lo"], r["hi"]
    relt = "" if not finite(r["rel"]) or kind == "share" else ", " + fmt_rel(r["rel"], lang)
    if d == 0 and lo == hi:
        return tr(lang, "s_nochange", label=label, verb=word(lang, "w_do", plural))
    change = word(lang, "w_change", plural)
    if r.get("same"):
        return tr(lang, "s_same", label=label, verb=change, amount=fmt(d, kind, signed=True, lang=lang), rel=relt)
    if not (finite(lo) and finite(hi)):
        return tr(lang, "s_one", label=label, verb=change, amount=fmt(d, kind, signed=True, lang=lang), rel=relt)
    if lo <= 0 <= hi:
        return tr(lang, "s_zero", label=label, verb=change, amount=fmt(d, kind, signed=True, lang=lang),
                  range=fmt_range(lo, hi, kind, decimals(d), lang), rel=relt)
    verb = word(lang, "w_rise" if d > 0 else "w_fall", plural)
    m, mlo, mhi = (d, lo, hi) if d > 0 else (-d, -hi, -lo)
    amount = tr(lang, "pp", x=num(100 * m, 1, lang=lang)) if kind == "share" else fmt(m, kind, lang=lang)
    return tr(lang, "s_clear", label=label, verb=verb, amount=amount, range=fmt_range(mlo, mhi, kind, decimals(m), lang),
              rel=relt)

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


# The question line of a scenario file's header comment in each language (LANGS): the
# scenario's own words, like its title; English is the one every scenario has.
QUESTION_LINE = {"en": "Question", "nl": "Vraag"}


def header_question(f, lang):
    """The scenario file's '# Question:' (lang "en") or '# Vraag:' ("nl") header line, or None."""
    p = scenario_file(f)
    if p:
        with open(p, encoding="utf-8", errors="replace") as fh:
            for line in fh:
                if not line.startswith("#"):
                    break
                m = re.match(r"#\s*%s:\s*(.+)" % QUESTION_LINE[lang], line)
                if m:
                    return m.group(1).strip()
    return None


def question(f):
    """The scenario's question: its '# Question:' comment line, else docs/scenarios.md."""
    return header_question(f, "en") or docs_questions().get(scenario_name(f))


def question_in(f, lang, base=None):
    """(question, quoted) for the report in lang: the scenario's own question in lang if it
    has one ('# Vraag:'), else its English question, quoted (it is the scenario's text, as
    its title). A closing note naming the scenario files it was written to be compared with
    ('(vs baseline.cfg)') is left out unless base, this report's reference, is among them:
    the reference's own note is never about this comparison."""
    q, quoted = (header_question(f, lang), False) if lang != "en" else (None, False)
    if not q:
        q, quoted = question(f), lang != "en"
    if q:
        m = re.search(r"\s*\(([^()]*\.cfg[^()]*)\)$", q)
        name = os.path.basename(cf.text(base.attrs.get("scenario", b""))) if base is not None else None
        if m and not (name and re.search(r"(?<![\w.-])%s(?![\w.-])" % re.escape(name), m.group(1))):
            q = q[:m.start()]
    return q, quoted


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


# The top-level blocks of a scenario that are policy (models/lm_policy.c reads them). Every
# other block is not: the run's settings, the model's parameters, the overrides lists (already
# applied), the history's input paths (tension, *_level), an uncertainty list, an experiment.
POLICY_BLOCKS = ("programmes", "shocks", "cooperation")


def policy_blocks(f):
    """[(block, [{key: scalar}])] for the top-level policy blocks (POLICY_BLOCKS) of the
    resolved scenario: their direct scalar settings."""
    text = cf.text(f["parameters/scenario"][0]) if "parameters/scenario" in f else ""
    out, depth, block, is_list = [], 0, None, False
    for line in text.splitlines():
        s = line.strip()
        if depth == 0:
            m = re.match(r"(\w+)\s*=\s*([({]?)", s)
            if m and m.group(2) and m.group(1) in POLICY_BLOCKS:
                block, is_list = m.group(1), m.group(2) == "("
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


def describe_block(block, elems, lang="en"):
    """'programmes: NAME: kind incidental, start ..., EUR 2,000,000 per region in total, ...':
    the block's settings by their keys, numbers as lang writes them, the budget with its unit."""
    keys = ("kind", "start", "end", "onset", "budget_per_region", "maturity_offset", "substitution", "underspend")
    parts = []
    for e in elems:
        bits = []
        for k in keys:
            if k in e:
                v = e[k]
                if k == "budget_per_region":   # its unit follows the kind: a yearly or a one-off budget
                    unit = "per_region_year" if e.get("kind") == "structural" else "per_region_total"
                    bits.append(tr(lang, unit, amount=num(float(v), 0, lang=lang)))
                else:
                    bits.append("%s %s" % (k.replace("_", " "), setting(v, lang)))
        name = e.get("name")
        parts.append(("%s: " % name if name else "") + ", ".join(bits))
    return "%s: %s" % (block, "; ".join(parts) if parts else tr(lang, "block_set"))


# ------------------------------------------------------------------- sections --

def section(key, body, lang="en"):
    """A detailed section: its heading in lang, its id from the English heading."""
    assert key in SECTIONS
    sid = re.sub(r"\W+", "-", tr("en", key).lower())
    return '<section id="%s">\n<h2>%s</h2>\n%s\n</section>\n' % (sid, esc(tr(lang, key)), body)


def table(head, rows, left=1, classes=None):
    h = "".join('<th%s>%s</th>' % (' class="l"' if i < left else "", esc(x)) for i, x in enumerate(head))
    body = []
    for j, r in enumerate(rows):
        cls = ' class="%s"' % classes[j] if classes and classes[j] else ""
        body.append("<tr%s>%s</tr>" % (cls, "".join('<td%s>%s</td>' % (' class="l"' if i < left else "", esc(x))
                                                    for i, x in enumerate(r))))
    return "<table>\n<thead><tr>%s</tr></thead>\n<tbody>\n%s\n</tbody>\n</table>" % (h, "\n".join(body))


def compared(n, names, lang):
    """'<h3>ALT compared with BASE</h3>', escaped."""
    return "<h3>%s</h3>" % tr(lang, "compared_with", alt=esc(n), base=esc(names[0]))


def said(q, quoted, lang):
    """A scenario's question, escaped; in another language than its own, quoted as written."""
    return tr(lang, "q_quoted", question=esc(q)) if quoted else esc(q)


def s_question(files, names, lang="en"):
    base, alts = files[0], files[1:]
    items = []
    for f, n in zip(alts, names[1:]):
        q, quoted = question_in(f, lang, base)
        items.append(tr(lang, "q_item", alt=esc(n), base=esc(names[0]), question=(": " + said(q, quoted, lang)) if q else ""))
    qb, quoted = question_in(base, lang)
    lead = tr(lang, "q_lead", base=esc(names[0]))
    note = "<p class=\"note\">%s</p>" % tr(lang, "q_reference", question=said(qb, quoted, lang)) if qb else ""
    return '<p class="lead">%s</p>\n<ul>\n%s\n</ul>\n%s' % (lead, "\n".join(items), note)


def s_scenarios(files, names, lang="en"):
    base = files[0]
    pv = [param_values(f) for f in files]
    scale = pv[0].get("labour_market.scale", float("nan"))
    samples = [v.get("output.sample", float("nan")) for v in pv]   # each run's own: --sample may differ
    origin, end = charts.period(base)   # the whole period, as the regional chart's title says it
    rows = []
    for i, (f, n) in enumerate(zip(files, names)):
        blocks = "; ".join(describe_block(b, e, lang) for b, e in policy_blocks(f)) or tr(lang, "no_blocks")
        rows.append((n, tr(lang, "role_reference" if i == 0 else "role_policy"), cf.text(f.attrs.get("scenario", b"?")),
                     blocks, " ".join(overrides(f)) or tr(lang, "none")))
    out = [table(T[lang]["h_scenarios"], rows, left=5)]
    nreg = len(cf.region_names(base)) if "series/region" in base or "regions" in base else 0
    common = tr(lang, "all_runs", model=esc(cf.text(base.attrs["model"])), n="%d" % nreg, origin=esc(origin),
                end=esc(end), seed=esc(base.attrs["seed"]), reps="%d" % int(base.attrs["replications"]))
    if math.isfinite(scale) and scale != 1.0:
        common += tr(lang, "scaled", scale=_g(scale, lang), pct=num(100 * scale, 0 if scale >= 0.1 else 1, lang=lang),
                     factor=num(1 / scale, 0, lang=lang))
    if all(math.isfinite(x) for x in samples) and all("events" in f for f in files):   # a trace only where /events holds one
        pct = traced_shares(samples, lang)
        common += (tr(lang, "traced", pct=pct[0]) if len(set(samples)) == 1 else tr(
            lang, "traced_each", section=tr(lang, "sec_counterfactual"),
            list=", ".join(tr(lang, "traced_item", pct=p, name=esc(n)) for p, n in zip(pct, names))))
    out.append("<p>%s.</p>" % common)
    for f, n, v in zip(files[1:], names[1:], pv[1:]):
        diff = sorted(k for k in set(v) | set(pv[0]) if v.get(k) != pv[0].get(k)
                      and k not in ("output.sample",) and not k.startswith("programmes."))
        if not diff:
            out.append(tr(lang, "params_same", alt=esc(n)))
            continue
        rows = [(k, _fmtp(pv[0].get(k), lang), _fmtp(v.get(k), lang)) for k in diff[:40]]
        more = tr(lang, "params_more", n=len(diff) - 40) if len(diff) > 40 else ""
        out.append(tr(lang, "params_differ", alt=esc(n), base=esc(names[0]),
                      table=table((tr(lang, "h_parameter"), names[0], n), rows), more=more))
    return "\n".join(out)


def traced_shares(samples, lang="en"):
    """The traced shares (0-1) as percentages with the fewest decimals (at most 6) that
    write a share below 100% as below it, a nonzero one as nonzero, and different shares
    differently (12.5% and 12%, not 12% twice)."""
    pct = [100 * x for x in samples]
    d = safe_digits(share_digits(0, 100, *pct), *pct)
    while d < 6 and len({num(x, d, lang=lang) for x in pct}) < len(set(pct)):
        d += 1
    return [num(x, d, lang=lang) for x in pct]


def _fmtp(x, lang="en"):
    """A raw parameter value as the scenario holds it (not localised: it is a setting)."""
    if x is None:
        return tr(lang, "not_set")
    return ("%d" % x) if float(x).is_integer() and abs(x) < 1e15 else "%.6g" % x


def cost_per_additional(cpa, lang="en"):
    """The sentence on the cost per additional durable placement (Fieller's interval)."""
    if cpa["ratio_defined"] and cpa["durable"]["diff"] > 0:
        return tr(lang, "cpa_ratio", ratio=fmt(cpa["ratio"], "eur", lang=lang),
                  range=fmt_range(cpa["lo"], cpa["hi"], "eur", lang=lang), cost=fmt(cpa["cost"]["diff"], "eur", lang=lang),
                  n=fmt(cpa["durable"]["diff"], "count", lang=lang))
    if cpa["ratio_defined"]:
        return tr(lang, "cpa_fewer", n=fmt(cpa["durable"]["diff"], "count", signed=True, lang=lang),
                  cost=fmt(cpa["cost"]["diff"], "eur", signed=True, lang=lang))
    return tr(lang, "cpa_none", cost=fmt(cpa["cost"]["diff"], "eur", signed=True, lang=lang))


def s_headline(files, names, lang="en"):
    base = files[0]
    fields = base["summary"].dtype.names
    out = []
    for f, n in zip(files[1:], names[1:]):
        items, rows, classes, tests = [], [], [], []
        for key, kind in HEADLINE:
            if key not in fields:
                continue
            r = cf.paired(cf.summary_column(base, key), cf.summary_column(f, key))
            items.append("<li>%s</li>" % esc(sentence(key, kind, r, lang)))
            rows.append((metric_name(key, lang), fmt(r["base_mean"], kind, lang=lang), fmt(r["alt_mean"], kind, lang=lang),
                         fmt(r["diff"], kind, signed=True, lang=lang),
                         fmt_range(r["lo"], r["hi"], kind, interval_digits(r), lang),
                         fmt_rel(r["rel"], lang)))
            classes.append("sig" if cf.clear(r) else "")
            tests.append(r)
        # the table is one family of outcomes read together: Holm's p over all of them (valid
        # whatever their correlation), beside each outcome's own interval, in the regional table's
        # column order (difference, interval, p (Holm), change)
        rows = [row[:5] + (fmt_p(p, lang),) + row[5:] for row, p in zip(rows, cf.holm(tests))]
        cp = cost_per_additional(cf.cost_per_additional(base, f), lang)
        head = (tr(lang, "h_metric"), tr(lang, "h_mean", name=names[0]), tr(lang, "h_mean", name=n),
                tr(lang, "h_difference"), tr(lang, "h_interval"), tr(lang, "h_holm"), tr(lang, "h_change"))
        out.append("%s\n<ul class=\"headline\">\n%s\n<li><strong>%s</strong></li>\n</ul>\n%s"
                   % (compared(n, names, lang), "\n".join(items), esc(cp), table(head, rows, classes=classes)))
    out.append(tr(lang, "shaded_holm"))
    return "\n".join(out)


def _counterfactual(base, f):
    try:
        return cf.classify(base, f, "placed"), cf.classify(base, f, "durable")
    except cf.Refused:
        return None, None


def net_interval(x, digits, lang):
    """The 95% interval of a net effect (a row of counterfactual.region_table): 'lo to hi',
    'n/a' with fewer than 2 replications, 'no spread' when every replication gave the same
    net effect (a zero-width interval that says nothing)."""
    if x["net_same"]:
        return tr(lang, "no_spread")
    return fmt_range(x["net_lo"], x["net_hi"], "count", digits, lang)


def region_rows(base, f, c, regions, lang):
    """The rows of one regional table and their shading ("sig" after Holm's correction)."""
    wsp_idx, wsp_names = sv.region_groups(base, "wsp")
    fr = dict(charts.forest_rows(base, f, "durable"))
    cft = {r["region"]: r for r in cf.region_table(c, regions)} if c is not None else {}
    padj = dict(zip(regions, cf.holm([fr[reg] for reg in regions])))
    na = tr(lang, "n_a")
    rows, classes = [], []
    for i, reg in enumerate(regions):
        r, x = fr[reg], cft.get(reg)
        rows.append((reg, wsp_label(lang, wsp_names[wsp_idx[i]]).replace(" WSP", "") if i < len(wsp_idx) else "",
                     fmt(r["base_mean"], "count", digits=1, lang=lang), fmt(r["alt_mean"], "count", digits=1, lang=lang),
                     fmt(r["diff"], "count", signed=True, digits=1, lang=lang),
                     fmt_range(r["lo"], r["hi"], "count", 1, lang), fmt_p(padj[reg], lang), fmt_rel(r["rel"], lang),
                     fmt(x["deadweight_share"], "share", lang=lang) if x else na,
                     "%s (%s)" % (fmt(x["net_effect"], "count", signed=True, digits=1, lang=lang),
                                  net_interval(x, 1, lang)) if x else na))
        classes.append("sig" if finite(padj[reg]) and padj[reg] < 0.05 else "")
    return rows, classes


def s_regions(files, names, cfs, lang="en"):
    base = files[0]
    if "series/durable" not in base:
        return tr(lang, "reg_none")
    regions = cf.region_names(base)
    n = len(regions)
    out = [tr(lang, "reg_intro", n=n, expect=num(0.05 * n, 1, lang=lang) if n > 20 else tr(lang, "one_in_twenty"))]
    h = T[lang]["h_regions"]
    for (f, alt), (_, c) in zip(zip(files[1:], names[1:]), cfs):   # the durable classification: one outcome per row
        if "series/durable" not in f:
            out.append("%s\n%s" % (compared(alt, names, lang), tr(lang, "reg_file_none", file=esc(f.filename))))
            continue
        rows, classes = region_rows(base, f, c, regions, lang)
        out.append("%s\n%s" % (compared(alt, names, lang),
                               table(h[:2] + (names[0], alt) + h[2:], rows, left=2, classes=classes)))
        if c is not None:
            out.append(tr(lang, "reg_net_note"))
    return "\n".join(out)


def s_counterfactual(files, names, cfs, lang="en"):
    out = []
    for (f, n), (cp, cd) in zip(zip(files[1:], names[1:]), cfs):
        if cp is None:
            out.append(tr(lang, "cf_none", alt=esc(n)))
            continue
        rows = []
        text = ""
        for label, c in (("cf_placed", cp), ("cf_durable", cd)):
            nat = cf.region_table(c, [])[-1]
            rows.append((tr(lang, label), num(nat["traced"], lang=lang), num(nat["both"], lang=lang),
                         num(nat["policy_only"], lang=lang), num(nat["base_only"], lang=lang),
                         num(nat["neither"], lang=lang), fmt(nat["deadweight_share"], "share", lang=lang),
                         fmt(nat["net_effect"], "count", signed=True, lang=lang),
                         net_interval(nat, decimals(nat["net_effect"]), lang)))
            if label == "cf_placed":
                text = tr(lang, "cf_text", alt=esc(n), dw=fmt(nat["deadweight_share"], "share", lang=lang),
                          base=esc(names[0]), gained=fmt(nat["gained"], "count", lang=lang),
                          lost=fmt(nat["lost"], "count", lang=lang),
                          net=fmt(nat["net_effect"], "count", signed=True, lang=lang),
                          ci=tr(lang, "cf_ci_same") if nat["net_same"] else
                          tr(lang, "cf_ci", range=net_interval(nat, decimals(nat["net_effect"]), lang)))
        extra = ""
        if cp["only_alt"] or cp["only_base"]:
            extra = tr(lang, "cf_only", a=num(cp["only_alt"], lang=lang), alt=esc(n), b=num(cp["only_base"], lang=lang),
                       base=esc(names[0]))
        out.append("%s\n%s\n%s%s\n%s" % (compared(n, names, lang), text, table(T[lang]["h_counterfactual"], rows),
                                         extra, tr(lang, "cf_note")))
    return "\n".join(out)


def caption(name, lang, metric="durable", months=1):
    """A chart's caption; the regional chart's names its series when it is not durable;
    flows are per step of `months` months."""
    if name == "forest" and metric != "durable":
        return tr(lang, "cap_forest_metric", metric=metric)
    key = "cap_" + name
    return tr(lang, key, **vd.step_words(months, lang)) if key in T[lang] else name


def s_charts(figs, lang="en", metric="durable", months=1):
    out = []
    for name, png in figs.items():
        out.append('<figure>\n<img src="data:image/png;base64,%s" alt="%s">\n<figcaption>%s</figcaption>\n</figure>'
                   % (base64.b64encode(png).decode("ascii"), esc(tr(lang, "alt_" + name) if "alt_" + name in T[lang] else tr(lang, "chart_alt", name=name)),
                      esc(caption(name, lang, metric, months))))
    return "\n".join(out) if out else tr(lang, "no_charts")


def s_reading(files, lang="en"):
    return tr(lang, "reading", reps=int(files[0].attrs["replications"]))


def _sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def s_provenance(files, names, argv, lang="en"):
    getters = [lambda f: f.filename, lambda f: cf.text(f.attrs.get("scenario", b"")),
               lambda f: cf.text(f.attrs.get("created", b"")),
               lambda f: "%s (git %s)" % (cf.text(f.attrs.get("toolkit_version", b"?")), cf.text(f.attrs.get("git_hash", b"?"))),
               lambda f: str(f.attrs["seed"]), lambda f: str(int(f.attrs["replications"])),
               lambda f: str(f.attrs.get("format_version", "?")), lambda f: cf.text(f.attrs.get("command_line", b"")),
               lambda f: _sha256(f.filename)[:16]]
    rows = [[label] + [get(f) for f in files] for label, get in zip(T[lang]["h_provenance"], getters)]
    import h5py
    import matplotlib
    import numpy
    tool = os.environ.get("SIM_VERSION", "") or tr(lang, "run_directly")
    cmd = os.environ.get("SIM_COMMAND_LINE") or " ".join(["python3 -m analysis.report"] + list(argv))
    made = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return "%s\n%s" % (table([""] + list(names), rows, left=len(names) + 1),
                       tr(lang, "made", made=esc(made), tool=esc(tool), cmd=esc(cmd), python=esc(platform.python_version()),
                          numpy=esc(numpy.__version__), h5py=esc(h5py.__version__), hdf5=esc(h5py.version.hdf5_version),
                          mpl=esc(matplotlib.__version__)))


def verdict_context(files, names, lang, window):
    """What the template shows first: per ALT the verdict sentences and the monthly
    difference chart, then the caveats, the budget and the scenarios in words."""
    years = vd.horizon_years(files[0])
    words = vd.step_words(vd.step_months(files[0]), lang)   # "per month", or "per 3 months"
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
                    "chart": chart, "chart_alt": vd.tr(lang, "chart_title", alt=n, base=names[0], **words),
                    "caption": vd.tr(lang, "chart_caption" if int(files[0].attrs["replications"]) >= 2
                                     else "chart_caption_one", alt=n, **words)})
    cav, few = vd.caveats(files, lang)
    return {"verdicts": out, "caveats": cav, "few_reps": few, "few_text": vd.tr(lang, "c_few"),
            "order_text": vd.order_warning(files, names, lang),
            "budget": vd.budget(files, names, summs, lang), "t": vd.T[lang],
            "scenarios": [{"title": n, "file": os.path.basename(cf.text(f.attrs.get("scenario", b"?"))),
                           "phrases": vd.describe(f, lang)} for f, n in zip(files, names)]}


def build_html(files, names, argv, metric="durable", lang="en", window=(None, None)):
    cfs = [_counterfactual(files[0], f) for f in files[1:]]
    figs = {k: charts.png_bytes(v) for k, v in charts.all_figures(files, names, metric, lang).items()
            if k != "series"}   # the national curves overlap: the verdict's difference chart replaces them
    title = vd.tr(lang, "compared_with", alt=", ".join(names[1:]), base=names[0])
    body = [section("sec_question", s_question(files, names, lang), lang),
            section("sec_scenarios", s_scenarios(files, names, lang), lang),
            section("sec_headline", s_headline(files, names, lang), lang),
            uncertainty_report.html(files, names, lang),   # "" unless the runs drew parameters (issue 14)
            section("sec_regions", s_regions(files, names, cfs, lang), lang),
            section("sec_counterfactual", s_counterfactual(files, names, cfs, lang), lang),
            section("sec_charts", s_charts(figs, lang, metric, vd.step_months(files[0])), lang),
            section("sec_reading", s_reading(files, lang), lang),
            section("sec_provenance", s_provenance(files, names, argv, lang), lang)]
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(os.path.join(HERE, "templates")),
                             autoescape=True, undefined=jinja2.StrictUndefined)
    ctx = verdict_context(files, names, lang, window)
    return env.get_template("report.html.j2").render(
        lang=lang, title=title, subtitle=model_description(files[0], lang), css=CSS, sections=body, **ctx)


def model_description(f, lang):
    """The line under the page's title: the model's description as the file holds it (the
    model writes it in English, models/lm_output.c); in another language texts.py's text for
    a model it knows ("model_" + its name), the file's own for one it does not."""
    own = cf.text(f.attrs.get("title", b""))
    key = "model_" + cf.text(f.attrs.get("model", b""))
    return tr(lang, key) if lang != "en" and key in T[lang] else own


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


PREFIX = "sim: report: "   # every message on stderr starts so, on one line (README "Using it")


class Parser(argparse.ArgumentParser):
    """argparse with its usage errors on one line, 'sim: report: ...', exit 2."""

    def error(self, message):
        print("%s%s (sim report --help lists the options)" % (PREFIX, message), file=sys.stderr)
        sys.exit(2)


def series_names(f):
    """The /series a --metric may name (counterfactual.series_names)."""
    return cf.series_names(f)


def check_metric(metric, f):
    """Raise Usage unless /series/metric is a series of f (not a coordinate); the message
    suggests the nearest names (counterfactual.metric_problem)."""
    problem = cf.metric_problem(metric, f)
    if problem:
        raise Usage(problem)


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    ap = Parser(prog="sim report", description="One self-contained HTML report: BASE against each ALT.")
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
        check_metric(a.metric, files[0])
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
        print(PREFIX + str(err), file=sys.stderr)
        return 1
    except Usage as err:
        print(PREFIX + str(err), file=sys.stderr)
        return 2
    except OSError as err:
        print("%s%s: %s" % (PREFIX, a.output, err), file=sys.stderr)
        return 1
    except Exception as err:            # a file this code did not expect: no report, exit 1
        if os.environ.get("SIM_DEBUG"):
            raise
        print(PREFIX + "cannot make the report (%s: %s); SIM_DEBUG=1 shows where"
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
    from .texts import T, bounds, decimals, dutch, finite, num, safe_digits, share_digits, tr, word, wsp_label  # noqa: E402  (every text, every number, in every language)
    import jinja2  # noqa: E402  (the page template)
except ImportError as err:           # h5py, numpy, matplotlib or jinja2 missing
    print("sim: report: %s; install python3-h5py python3-numpy python3-matplotlib python3-jinja2 (Debian)" % err,
          file=sys.stderr)
    sys.exit(1)

if __name__ == "__main__":
    sys.exit(main())
