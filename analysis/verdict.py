"""verdict.py: what the top of a report says, for a reader without the tool (issue 17).

The verdict names the better scenario on durable placements, on cost per durable
placement and on the net cost to the public purse (activation cost minus benefit savings; negative is a saving), each
with its 95% paired interval; the caveats say what the intervals cover, how many
parameters are assumptions and how many replications were used; the scenarios are
described in words with units (budget per region in total or per year). Paired
statistics come from `sim compare --json` (the C side computes them once); only the net
fiscal effect, a sum of two /summary fields per replication, is paired here with the
same formula (counterfactual.paired). Texts exist in English and Dutch (texts.py).
Used by report.py; nothing here writes files.
"""
import datetime
import json
import math
import os
import re
import shutil
import subprocess

import numpy as np

from . import counterfactual as cf
from .texts import LANGS, T, bounds, count, finite, num, safe_digits, step_months, step_words, tr  # noqa: F401  (the texts live in texts.py; report.py reads them here)

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


# ---------------------------------------------------------------- numbers --

def eur(x, lang, plus=False):
    """'EUR 1,331', 'EUR −14.11 million'; an amount that is not zero never reads 'EUR 0'
    (texts.safe_digits: an interval's bound keeps its sign)."""
    if not finite(x):
        return tr(lang, "n_a")
    if abs(x) >= 1e6:
        return tr(lang, "eur_m", x=num(x / 1e6, 2, plus, lang))
    return tr(lang, "eur", x=num(x, safe_digits(0, x), plus, lang))


def short_eur(x, lang):
    """2,000,000 -> 2.0M; 214,000 -> 214k (EUR prefix added by the caller)."""
    if abs(x) >= 1e6:
        return num(x / 1e6, 1, lang=lang) + "M"
    if abs(x) >= 1e3:
        return num(x / 1e3, 0, lang=lang) + "k"
    return num(x, 0, lang=lang)


def pct(x, lang):
    return num(100 * x, 0 if x >= 0.1 else 1, lang=lang) + "%"


# --------------------------------------------------------------- scenarios --

def scenario_text(f):
    return cf.text(f["parameters/scenario"][0]) if "parameters/scenario" in f else ""


def title(f):
    """The scenario's `title` string, else its file name without .cfg."""
    m = re.search(r'^title\s*=\s*"((?:[^"\\]|\\.)*)"', scenario_text(f), re.M)
    if m:
        return m.group(1).replace('\\"', '"')
    return os.path.splitext(os.path.basename(cf.text(f.attrs.get("scenario", f.filename))))[0]


def titles(files):
    """Distinct titles: a repeated title gets the output file's name added."""
    t = [title(f) for f in files]
    return [x if t.count(x) == 1 else "%s (%s)" % (x, os.path.basename(f.filename)) for x, f in zip(t, files)]


def _block(text, name):
    """The text of the top-level list or group `name = ( ... )` / `{ ... }`, or ''."""
    m = re.search(r"^%s\s*=\s*([({])" % name, text, re.M)
    if not m:
        return ""
    depth, i = 0, m.start(1)
    for j in range(i, len(text)):
        depth += text[j] in "({["
        depth -= text[j] in ")}]"
        if depth == 0:
            return text[i:j + 1]
    return text[i:]


def _elements(block):
    """The top-level { ... } elements of a list's text."""
    out, depth, start = [], 0, None
    for j, ch in enumerate(block):
        if ch in "({[":
            depth += 1
            if ch == "{" and depth == 2:
                start = j
        elif ch in ")}]":
            if ch == "}" and depth == 2 and start is not None:
                out.append(block[start:j + 1])
            depth -= 1
    return out


def _value(elem, key):
    m = re.search(r'^\s*%s\s*=\s*("(?:[^"\\]|\\.)*"|\[[^\]]*\]|[-+\d.eE]+L?|true|false)' % key, elem, re.M)
    if not m:
        return None
    v = m.group(1)
    if v.startswith('"'):
        return v[1:-1]
    if v.startswith("["):
        return re.findall(r'"([^"]*)"', v)
    if v in ("true", "false"):
        return v == "true"
    return float(v.rstrip("L"))


def programmes(f):
    keys = ("name", "kind", "regions", "budget_per_region", "start", "end", "underspend", "substitution",
            "maturity_gain_per_year", "cooperation_money_for_full_gain")
    out = []
    for e in _elements(_block(scenario_text(f), "programmes")):
        p = {k: _value(e, k) for k in keys}
        m = re.search(r"\bspending\s*=\s*\{[^}]*?\bcooperation\s*=\s*([-+\d.eE]+)", e)
        p["cooperation"] = float(m.group(1)) if m else 0.0   # the share of the money spent on cooperation work
        out.append(p)
    return out


def shocks(f):
    return [{k: _value(e, k) for k in ("name", "onset")} for e in _elements(_block(scenario_text(f), "shocks"))]


def maturity_offset(f):
    v = _value(_block(scenario_text(f), "cooperation"), "maturity_offset")
    return v or 0.0


def _years(start, end):
    try:
        d = (datetime.date.fromisoformat(end) - datetime.date.fromisoformat(start)).days
        return d / 365.2425
    except (TypeError, ValueError):
        return float("nan")


def n_regions(p):
    r = p.get("regions") or ["all"]
    return 35 if "all" in r else len(r)


def budget_words(p, lang):
    """'EUR 2.0M per region in total over 2 years (...)' or 'EUR 214k per region per year, ...'."""
    b, y = p.get("budget_per_region") or 0.0, _years(p.get("start"), p.get("end"))
    ys = num(y, 0 if abs(y - round(y)) < 0.05 else 1, lang=lang)
    if p.get("kind") == "structural":
        return tr(lang, "budget_year", amount=short_eur(b, lang), start=p.get("start"), end=p.get("end"),
                  total=short_eur(b * y, lang) if math.isfinite(y) else "?")
    return tr(lang, "budget_total", amount=short_eur(b, lang), years=ys, start=p.get("start"), end=p.get("end"))


def regions_words(p, lang):
    """'all 35 regions' or '3 regions': where a programme runs."""
    return tr(lang, "all_regions") if n_regions(p) == 35 else tr(lang, "n_regions", n=n_regions(p))


def planned_total(p, scale=1.0):
    """EUR over all its regions: the scenario's national money, or with a run's scale the
    simulated population's share of it (the model scales money with the population)."""
    b, y = p.get("budget_per_region") or 0.0, _years(p.get("start"), p.get("end"))
    return b * n_regions(p) * scale * (y if p.get("kind") == "structural" else 1.0)


def describe(f, lang):
    """Phrases describing a scenario's policy: programmes, shock, cooperation."""
    out = []
    for p in programmes(f):
        out.append(tr(lang, "prog_words", name=p.get("name") or "programme", kind=tr(lang, p.get("kind") or "incidental"),
                      budget=budget_words(p, lang), regions=regions_words(p, lang), under=pct(p.get("underspend") or 0, lang),
                      subst=pct(p.get("substitution") or 0, lang)))
    if not out:
        out.append(tr(lang, "no_prog"))
    s = shocks(f)
    out.append(tr(lang, "covid_on", onset=s[0].get("onset")) if s else tr(lang, "covid_off"))
    mo = maturity_offset(f)
    if mo:
        out.append(coop_words(mo, lang))
    return out


def coop_words(mo, lang):
    """'cooperation maturity +0.1 against ...', '... −0,15 ...' in Dutch: the offset signed, with
    the decimals it was written with (up to 3; one decimal would show -0.15 as -0.1)."""
    d = next((d for d in range(1, 4) if abs(round(mo, d) - mo) < 1e-9), 3)
    return tr(lang, "coop", sign="+" if mo > 0 else "\u2212", x=num(abs(mo), d, lang=lang))


def count_assumptions(f):
    """(assumption, sourced) counts over the value lines of the scenario file and its
    @includes: a line 'key = value; # ... assumption ...' counts as an assumption."""
    path = cf.text(f.attrs.get("scenario", b""))
    for p in (path, os.path.join(ROOT, path), os.path.join(ROOT, "scenarios", os.path.basename(path))):
        if path and os.path.isfile(p):
            path = p
            break
    else:
        return None
    seen, k, m = set(), 0, 0

    def visit(p, depth):
        nonlocal k, m
        p = os.path.realpath(p)
        if p in seen or depth > 10 or not os.path.isfile(p):
            return
        seen.add(p)
        with open(p, encoding="utf-8", errors="replace") as fh:
            for line in fh:
                inc = re.match(r'\s*@include\s+"([^"]+)"', line)
                if inc:
                    visit(os.path.join(os.path.dirname(p), inc.group(1)), depth + 1)
                    continue
                code, _, comment = line.partition("#")
                if "=" in code and comment.strip():
                    m += 1
                    k += "assumption" in comment.lower()
    visit(path, 0)
    return k, m


# -------------------------------------------------------- paired statistics --

def sim_binary():
    for p in (os.environ.get("SIM_EXE"), os.path.join(ROOT, "build", "sim"), shutil.which("sim")):
        if p and os.access(p, os.X_OK):
            return p
    return None


def compare_rows(base, alt, window=(None, None)):
    """{metric: row} (summary fields) and {series: national row} from `sim compare --json`;
    rows hold base_mean, alt_mean, diff, lo, hi, rel, n like counterfactual.paired. With
    no sim binary at hand, the summary rows are computed with counterfactual.paired."""
    exe = sim_binary()
    if exe:
        cmd = [exe, "compare", base.filename, alt.filename, "--json"]
        frm, to = window
        if frm:
            cmd += ["--from", frm]
        if to:
            cmd += ["--to", to]
        r = subprocess.run(cmd, capture_output=True, text=True)
        if r.returncode != 0:
            raise cf.Refused((r.stderr.strip().splitlines() or ["sim compare failed"])[-1].replace("sim: ", ""))
        summ, ser = {}, {}
        for row in json.loads(r.stdout):
            x = {"base_mean": row["base_mean"], "alt_mean": row["alt_mean"], "diff": row["diff"],
                 "lo": row["ci_low"], "hi": row["ci_high"], "rel": row["rel_change"], "n": row["n"]}
            x = {k: (float("nan") if v is None else v) for k, v in x.items()}
            x["same"] = bool(row.get("same", False))
            (ser if row["region"] == "national" else summ)[row["metric"]] = x
        return summ, ser
    fields = [n for n in base["summary"].dtype.names if n != "replication"]
    return {n: cf.paired(cf.summary_column(base, n), cf.summary_column(alt, n)) for n in fields}, {}


def net_fiscal(base, alt):
    """Activation cost minus benefit savings of alt against base, paired per replication:
    (cost_total + cost_benefits)[alt] - (...)[base]. Positive: costs the public purse more."""
    def col(f):
        return cf.summary_column(f, "cost_total") + cf.summary_column(f, "cost_benefits")
    return cf.paired(col(base), col(alt))


def benefit_per_month(f):
    for path, v in _param_values(f).items():
        if path.endswith("benefit_per_month"):
            return v
    return float("nan")


def _param_values(f):
    if "parameters/values" not in f:
        return {}
    v = f["parameters/values"][:]
    return {cf.text(p): float(x) for p, x in zip(v["path"], v["value"])}


def horizon_years(f):
    """The simulated period of f in years: from its series' calendar, else from its
    time_origin and time_end attributes (a -d summary file), else NaN."""
    if "series/time_bnds" in f and f["series/time_bnds"].shape[0]:   # calendar months: the last one's end
        return float(f["series/time_bnds"][-1, 1]) / 365.2425
    t = f["series/time"][:] if "series/time" in f else None
    if t is not None and len(t):   # files before calendar months: steps end at their time
        return float(t[-1]) / 365.2425
    origin, end = (cf.text(f.attrs[k]) if k in f.attrs else "" for k in ("time_origin", "time_end"))
    if origin and end:   # a summary-only file: the period its root attributes name
        try:
            days = (datetime.date.fromisoformat(end[:10]) - datetime.date.fromisoformat(origin[:10])).days
            return days / 365.2425
        except ValueError:
            pass
    return _param_values(f).get("horizon_years", float("nan"))


def scale(f):
    return _param_values(f).get("labour_market.scale", 1.0)


# ------------------------------------------------------------------ verdict --

def verdict(base, alt, names, summ, ser, lang, years, window=(None, None)):
    """[sentence HTML] naming the better scenario on each count; names are escaped."""
    bn, an = names
    out = []
    d = summ.get("durable_placements")
    ys = num(years, 1, lang=lang)
    one = int(base.attrs["replications"]) < 2   # no interval: say so rather than "n/a to n/a"
    s = scale(base)
    if s != 1.0:   # first, so that no count below is read as the country's
        out.append(tr(lang, "v_scale", pct=pct(s, lang), factor=num(1 / s, 0, lang=lang)))
    if one:
        out.append(tr(lang, "v_one"))
    if d and one:
        out.append(tr(lang, "v_durable_one", alt=an, base=bn, amount=num(d["diff"], 0, True, lang), years=ys))
    elif d and d.get("same") and d["diff"] != 0:
        out.append(tr(lang, "v_durable_same", alt=an, base=bn, amount=num(d["diff"], 0, True, lang), years=ys))
    elif d:
        better = an if d["diff"] > 0 else bn
        m, lo, hi = (d["diff"], d["lo"], d["hi"]) if d["diff"] > 0 else (-d["diff"], -d["hi"], -d["lo"])
        if cf.clear(d):
            lo, hi = bounds(lo, hi, 0, lang=lang)
            out.append(tr(lang, "v_durable_better", better=better, amount=num(m, 0, lang=lang), years=ys,
                          per_year=num(m / years, 0, lang=lang), lo=lo, hi=hi))
        else:
            lo, hi = bounds(d["lo"], d["hi"], 0, True, lang)
            out.append(tr(lang, "v_durable_none", alt=an, base=bn, amount=num(d["diff"], 0, True, lang), years=ys,
                          lo=lo, hi=hi))
    c = summ.get("cost_per_durable")
    if c and math.isfinite(c["diff"]) and one:
        out.append(tr(lang, "v_cpd_one", alt=an, base=bn, amount=num(c["diff"], 0, True, lang)))
    elif c and math.isfinite(c["diff"]) and c.get("same") and c["diff"] != 0:
        out.append(tr(lang, "v_cpd_same", alt=an, base=bn, amount=num(c["diff"], 0, True, lang)))
    elif c and math.isfinite(c["diff"]):
        if cf.clear(c):
            alt_cheaper = c["diff"] < 0
            better = an if alt_cheaper else bn
            m, lo, hi = (-c["diff"], -c["hi"], -c["lo"]) if alt_cheaper else (c["diff"], c["lo"], c["hi"])
            # the cheaper scenario is the sentence's subject: its figure comes first
            mine, other = (c["alt_mean"], c["base_mean"]) if alt_cheaper else (c["base_mean"], c["alt_mean"])
            lo, hi = bounds(lo, hi, 0, lang=lang)
            out.append(tr(lang, "v_cpd_better", better=better, amount=num(m, 0, lang=lang), lo=lo,
                          hi=hi, better_value=eur(mine, lang), other_value=eur(other, lang)))
        else:
            lo, hi = bounds(c["lo"], c["hi"], 0, True, lang)
            out.append(tr(lang, "v_cpd_none", alt=an, base=bn, amount=num(c["diff"], 0, True, lang), lo=lo, hi=hi))
    nf = net_fiscal(base, alt)
    meaning = (tr(lang, "v_net_same") if nf.get("same") else tr(lang, "v_net_none") if not cf.clear(nf) else tr(lang, "v_net_costs", base=bn) if nf["lo"] > 0
               else tr(lang, "v_net_saves", alt=an))
    out.append(tr(lang, "v_net_one" if one else "v_net", alt=an, base=bn, benefit=num(benefit_per_month(base), 0, lang=lang), total=eur(nf["diff"], lang, True),
                  years=ys, per_year=eur(nf["diff"] / years, lang, True), lo=eur(nf["lo"], lang, True),
                  hi=eur(nf["hi"], lang, True), meaning=meaning))
    w = ser.get("durable")
    if w and (window[0] or window[1]):   # said as the whole period's sentences say it: clear, includes zero, no spread
        key = "v_window_one" if one else "v_window_same" if w.get("same") else \
            "v_window" if cf.clear(w) else "v_window_zero"
        lo, hi = bounds(w["lo"], w["hi"], 0, True, lang)
        out.append(tr(lang, key, frm=window[0] or "…", to=window[1] or "…", amount=num(w["diff"], 0, True, lang),
                      lo=lo, hi=hi))
    return out


def drawn_counts(f):
    """(parameters drawn, of which calibrated): a source starting "calibrated" marks one
    (the attribute "sources" of /parameter_draws; files written before it count 0)."""
    d = f["parameter_draws"]
    src = [s.decode() if isinstance(s, bytes) else str(s) for s in d.attrs.get("sources", [])]
    return d.shape[1], sum(s.startswith("calibrated") for s in src)


def cooperation_programmes(f):
    """The programmes of file f that fund cooperation that matures (docs/model.md §7.15)."""
    return [p for p in programmes(f) if p["cooperation"] > 0 and (p.get("maturity_gain_per_year") or 0) > 0]


def cooperation_rule(files):
    """The amounts of cooperation money that buy the whole maturity gain over the funded
    cooperation programmes of the files, sorted and distinct ([0.0]: the shipped rule, any
    amount; [] when no programme funds cooperation that matures; docs/model.md §7.15)."""
    return sorted({p.get("cooperation_money_for_full_gain") or 0.0 for f in files for p in cooperation_programmes(f)})


# docs/scenarios.md's national contrasts of structural PoW over the baseline under the two
# rules (pow-structural − baseline, pow-structural-dose − baseline); a test reads them there.
RULE_SIZE_SHIPPED, RULE_SIZE_DOSE = 12208, 5086


def rule_caveat(files, lang):
    """The caveat that the answer can turn on the cooperation rule, or None when no
    programme funds cooperation (the rule then plays no part). When the first file (the
    base) and another both fund cooperation, the question is how to fund it, and the rule
    can reverse that answer; when only one side does, the rule sets the size of the effect."""
    full = cooperation_rule(files)
    if not full:
        return None
    here = (tr(lang, "c_rule_any") if full == [0.0] else
            tr(lang, "c_rule_dose", amount=short_eur(full[0], lang)) if full[0] > 0 and len(full) == 1 else
            tr(lang, "c_rule_mixed"))
    choice = bool(cooperation_programmes(files[0])) and any(cooperation_programmes(f) for f in files[1:])
    turns = tr(lang, "c_rule_turns") if choice else \
        tr(lang, "c_rule_size", shipped=num(RULE_SIZE_SHIPPED, 0, lang=lang), dose=num(RULE_SIZE_DOSE, 0, lang=lang))
    return here + " " + turns


def order_warning(files, names, lang):
    """A warning when the reference (the first file) runs a programme and an alternative
    runs none: most likely the files were given the wrong way round, and every effect is
    the programme taken away. None otherwise (two programmes compared is a real question)."""
    def funded(f):   # a programme with money (uncertainty-baseline.cfg's has none: it is the baseline)
        return any((p.get("budget_per_region") or 0.0) > 0 for p in programmes(f))
    if not funded(files[0]):
        return None
    bare = [n for f, n in zip(files[1:], names[1:]) if not funded(f)]
    return tr(lang, "c_order", base=names[0], alt=", ".join(bare)) if bare else None


def caveats(files, lang):
    n = int(files[0].attrs["replications"])
    drawn = all("parameter_draws" in f for f in files)   # --draw-parameters: the intervals hold those draws too
    k, c = drawn_counts(files[0]) if drawn else (0, 0)
    key = "c_intervals" if not drawn else "c_intervals_draws_cal" if c else "c_intervals_draws"
    out = [tr(lang, key, n=n, k=k, a=count(lang, k - c, "w_assumption"), c=count(lang, c, "w_calibrated"))] if n >= 2 else []
    counts = [count_assumptions(f) for f in files]
    counts = [c for c in counts if c]
    if counts:
        k, m = max(counts, key=lambda c: c[0])
        out.append(tr(lang, "c_assumptions", k=k, m=m))
    rule = rule_caveat(files, lang)
    if rule:
        out.append(rule)
    out.append(tr(lang, "c_reps", n=n))
    s = scale(files[0])
    if s != 1.0:
        out.append(tr(lang, "c_scale", pct=pct(s, lang)))
    return out, n < 20


def programme_money(p, name, s, lang):
    """One programme's money in one footing: the scenario's national figures (per region
    and over its regions), then, when the run simulates a share s of the population, the
    same share of the money, which is what the simulated regions got."""
    planned, under = planned_total(p), p.get("underspend") or 0.0
    out = tr(lang, "b_prog", name=name, prog=p.get("name") or "programme", budget=budget_words(p, lang),
             planned=eur(planned, lang), regions=regions_words(p, lang), under=pct(under, lang),
             unspent=eur(planned * under, lang), spent=eur(planned * (1 - under), lang))
    if s != 1.0:
        out += " " + tr(lang, "b_scaled", pct=pct(s, lang), planned=eur(planned * s, lang),
                        spent=eur(planned * s * (1 - under), lang))
    return out


def budget(files, names, summ_rows, lang):
    """Sentences on each scenario's programme money and the measured cost difference (for
    the simulated population, said so when it is a share of the national one)."""
    out = []
    for f, name in zip(files, names):
        progs = programmes(f)
        if not progs:
            out.append(tr(lang, "b_none", name=name))
        out += [programme_money(p, name, scale(f), lang) for p in progs]
    pop = tr(lang, "b_simulated") if scale(files[0]) != 1.0 else ""
    full = cooperation_rule(files)
    if full == [0.0]:   # the shipped rule: the part of an effect the amount does not buy (docs/model.md §7.15)
        out.append(tr(lang, "b_maturity"))
    elif full and full[0] > 0 and len(full) == 1:   # a *-dose rule: cooperation grows with its money up to an amount
        out.append(tr(lang, "b_maturity_dose", amount=short_eur(full[0], lang)))
    elif full:   # the scenarios compared differ in the rule
        out.append(tr(lang, "b_maturity_mixed", amount=short_eur(full[-1], lang)))
    measured = False
    for f, name, summ in zip(files[1:], names[1:], summ_rows):
        c = summ.get("cost_total")
        if c:
            out.append(tr(lang, "b_diff" if c["n"] >= 2 else "b_diff_one", alt=name, base=names[0], pop=pop,
                          amount=eur(c["diff"], lang, True), lo=eur(c["lo"], lang, True), hi=eur(c["hi"], lang, True)))
            measured = True
    if measured and any(programmes(f) for f in files):   # the measured cost beside a budget: why they need not agree
        out.append(tr(lang, "b_diff_why"))
    return out


# ------------------------------------------------------------------- chart --

def monthly_difference(base, alt, name, cumulative=False):
    """dates, mean, lo, hi of the paired monthly difference of a national /series
    (with cumulative, of its running total)."""
    from . import charts
    b = base["series"][name][:].sum(axis=2)
    a = alt["series"][name][:].sum(axis=2)
    d = a - b
    if cumulative:
        d = np.cumsum(d, axis=1)
    n = d.shape[0]
    m = d.mean(axis=0)
    if n >= 2:
        half = cf.t_quantile(0.975, n - 1) * d.std(axis=0, ddof=1) / math.sqrt(n)
    else:
        half = np.zeros_like(m)
    return charts.dates(base), m, m - half, m + half


def difference_figure(base, alt, names, lang, window=(None, None)):
    from . import charts
    import matplotlib.ticker
    import matplotlib.pyplot as plt
    import textwrap
    fig, axes = plt.subplots(3, 1, figsize=(10, 8.4), sharex=True)
    panels = (("durable", "chart_durable", False), ("durable", "chart_cumulative", True),
              ("caseload", "chart_caseload", False))
    words = step_words(step_months(base), lang)   # "per month", or "per 3 months" for a 3-month step
    for ax, (name, label, cumulative) in zip(axes, panels):
        if "series/" + name not in base or "series/" + name not in alt:
            continue
        x, m, lo, hi = monthly_difference(base, alt, name, cumulative)
        if int(base.attrs["replications"]) >= 2:   # one replication has no band to draw
            ax.fill_between(x, lo, hi, color=charts.COLORS[1], alpha=0.25, lw=0, label=tr(lang, "chart_band"))
        ax.plot(x, m, color=charts.COLORS[1], lw=1.6)
        ax.axhline(0, color="black", lw=0.8)
        ax.set_ylabel(tr(lang, label, **words))
        ax.grid(alpha=0.3)
        ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: num(v, 0, True, lang)))
        if window[0] or window[1]:
            lo_d = np.datetime64(window[0]) if window[0] else x[0]
            hi_d = np.datetime64(window[1]) if window[1] else x[-1]
            ax.axvspan(lo_d, hi_d, color="grey", alpha=0.12, lw=0, label=tr(lang, "chart_window"))
    if axes[0].get_legend_handles_labels()[0]:
        axes[0].legend(loc="best", fontsize=8)
    axes[-1].set_xlabel(tr(lang, "chart_x", **words))
    fig.suptitle("\n".join(textwrap.wrap(tr(lang, "chart_title", alt=names[1], base=names[0], **words), 110)),
                 fontsize=10)
    fig.tight_layout()
    return fig
