"""verdict.py: what the top of a report says, for a reader without the tool (issue 17).

The verdict names the better scenario on durable placements, on cost per durable
placement and on the net fiscal effect (activation cost minus benefit savings), each
with its 95% paired interval; the caveats say what the intervals cover, how many
parameters are assumptions and how many replications were used; the scenarios are
described in words with units (budget per region in total or per year). Paired
statistics come from `sim compare --json` (the C side computes them once); only the net
fiscal effect, a sum of two /summary fields per replication, is paired here with the
same formula (counterfactual.paired). Texts exist in English and Dutch (LANGS).
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

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
LANGS = ("en", "nl")

# ------------------------------------------------------------------- texts --

T = {
    "en": {
        "compared_with": "{alt} compared with {base}",
        "verdict": "Verdict",
        "caveats": "What these results rest on",
        "budget": "Budget",
        "over_time": "When each scenario leads",
        "scenarios_words": "The scenarios in words",
        "details": "Details",
        "more": "more", "fewer": "fewer",
        "v_durable_better": "<b>{better}</b> gives more durable placements (in work for 12 months or more): "
                            "{amount} over {years} years ({per_year} a year; 95% interval {lo} to {hi}).",
        "v_durable_none": "On durable placements neither scenario is clearly better: the difference is {amount} "
                          "over {years} years (95% interval {lo} to {hi}, which includes zero).",
        "v_durable_same": "Durable placements differ by {amount} over {years} years in every replication alike: "
                          "with no spread there is no interval, so neither scenario is shown to be better.",
        "v_cpd_same": "Cost per durable placement differs by EUR {amount} in every replication alike: with no "
                      "spread there is no interval, so neither is shown to be cheaper.",
        "v_cpd_better": "<b>{better}</b> is cheaper per durable placement: EUR {amount} less "
                        "(95% interval EUR {lo} to {hi}; {better_value} against {other_value}).",
        "v_cpd_none": "On cost per durable placement neither is clearly cheaper: the difference is EUR {amount} "
                      "(95% interval EUR {lo} to {hi}).",
        "v_net": "Net fiscal effect of <b>{alt}</b> against <b>{base}</b> (activation cost minus benefit savings, "
                 "benefits at EUR {benefit} per person-month): {total} over {years} years, {per_year} a year "
                 "(95% interval {lo} to {hi} over the whole period). {meaning}",
        "v_net_costs": "It costs the public purse more than it saves in benefits, so <b>{base}</b> is better on "
                       "this count.",
        "v_net_saves": "It saves more in benefits than it costs, so <b>{alt}</b> is better on this count.",
        "v_net_none": "The interval includes zero: neither is clearly better on this count.",
        "v_net_same": "It is the same in every replication, so there is no interval: neither is shown to be better "
                      "on this count.",
        "v_one": "With a single replication there are no intervals: none of the differences below can be told "
                 "apart from chance. Run 20 or more replications before drawing conclusions.",
        "v_durable_one": "Durable placements differ by {amount} over {years} years (no interval with one "
                         "replication).",
        "v_cpd_one": "Cost per durable placement differs by EUR {amount} (no interval with one replication).",
        "v_net_one": "Net fiscal effect of <b>{alt}</b> against <b>{base}</b> (activation cost minus benefit savings, "
                     "benefits at EUR {benefit} per person-month): {total} over {years} years, {per_year} a year (no "
                     "interval with one replication, so neither is shown to be better on this count).",
        "v_scale": "All counts and amounts are for the simulated population, {pct} of the national caseload "
                   "(national figures are roughly {factor} times larger).",
        "v_window_one": "Window {frm} to {to}: durable placements in it, {amount} (no interval with one "
                        "replication).",
        "v_window": "Window {frm} to {to}: durable placements in it, {amount} ({lo} to {hi}).",
        "c_intervals": "The 95% intervals cover chance only: the variation between the {n} replications (random "
                       "events such as who finds a vacancy). They do not cover uncertainty in the parameters or "
                       "in the model itself.",
        "c_intervals_draws": "The 95% intervals cover chance and the parameter uncertainty drawn for this run: "
                             "each of the {n} replications drew its own values of the uncertain parameters from "
                             "their stated ranges (set beforehand, not fitted to Dutch history). They do not cover "
                             "uncertainty in the calibrated parameters or in the model itself.",
        "c_intervals_draws_cal": "The 95% intervals cover chance and the parameter uncertainty drawn for this run: "
                                 "each of the {n} replications drew its own values of {k} uncertain parameters, {a} "
                                 "of them assumptions from ranges set beforehand and {c} calibrated ones with the "
                                 "spread that Dutch history leaves them (drawn jointly, docs/calibration.md). They "
                                 "do not cover uncertainty in the model itself.",
        "c_assumptions": "{k} of the {m} parameter values in the scenario files are marked as an assumption in "
                         "their source (the rest come from reports, statistics or calibration); see "
                         "docs/parameters.md.",
        "c_reps": "Replications used: {n}.",
        "c_few": "Warning: fewer than 20 replications. Intervals are wide and can shift noticeably with more "
                 "replications; use 20 or more before drawing conclusions.",
        "c_scale": "The runs simulate {pct} of the national caseload to save time.",
        "b_none": "{name}: no programme budget.",
        "b_prog": "{name} — {prog}: budget {budget}; planned {planned} in total over all regions; never spent "
                  "(under-spending {under}): {unspent}; so at most {spent} is spent.",
        "b_diff_one": "Measured difference in activation cost (all instruments, staff, subsidies) of {alt} against "
                      "{base}: {amount} (no interval with one replication).",
        "b_diff": "Measured difference in activation cost (all instruments, staff, subsidies) of {alt} against "
                  "{base}: {amount} (95% interval {lo} to {hi}).",
        "incidental": "incidental", "structural": "structural",
        "budget_total": "EUR {amount} per region in total over {years} years ({start} to {end})",
        "budget_year": "EUR {amount} per region per year, {start} to {end} (EUR {total} per region in total)",
        "prog_words": "{name}: {kind} funding, {budget}, in {regions}; under-spending {under} (share of the money "
                      "never spent); substitution {subst} (share that replaces money the region spent already, "
                      "at the weakest cooperation)",
        "all_regions": "all 35 regions", "n_regions": "{n} regions",
        "covid_on": "Covid-19 shock from {onset}", "covid_off": "no Covid-19 shock",
        "coop": "cooperation maturity {sign}{x:.1f} against the regions' own level",
        "no_prog": "no programme",
        "chart_title": "Monthly paired difference, {alt} minus {base}",
        "chart_durable": "durable placements per month\n(persons, difference)",
        "chart_caseload": "people on benefit\n(persons, difference)",
        "chart_cumulative": "durable placements so far\n(persons, cumulative difference)",
        "chart_x": "month (calendar date)",
        "chart_band": "mean difference and 95% interval",
        "chart_window": "window",
        "chart_caption": "Above zero: {alt} has more in that month (top) or up to that month (middle); the band is "
                         "the 95% paired interval over the replications. The lower panel is the caseload: below zero "
                         "means fewer people on benefit.",
        "eur_m": "EUR {x} million", "eur": "EUR {x}",
    },
    "nl": {
        "compared_with": "{alt} vergeleken met {base}",
        "verdict": "Conclusie",
        "caveats": "Waar deze uitkomsten op rusten",
        "budget": "Budget",
        "over_time": "Wanneer welk scenario voorligt",
        "scenarios_words": "De scenario's in woorden",
        "details": "Details",
        "more": "meer", "fewer": "minder",
        "v_durable_better": "<b>{better}</b> geeft meer duurzame plaatsingen (12 maanden of langer aan het werk): "
                            "{amount} in {years} jaar ({per_year} per jaar; 95%-interval {lo} tot {hi}).",
        "v_durable_none": "Op duurzame plaatsingen is geen van beide duidelijk beter: het verschil is {amount} in "
                          "{years} jaar (95%-interval {lo} tot {hi}, inclusief nul).",
        "v_durable_same": "Duurzame plaatsingen verschillen {amount} in {years} jaar, in elke herhaling even veel: "
                          "zonder spreiding is er geen interval, dus geen van beide is aantoonbaar beter.",
        "v_cpd_same": "Kosten per duurzame plaatsing verschillen EUR {amount}, in elke herhaling even veel: zonder "
                      "spreiding is er geen interval, dus geen van beide is aantoonbaar goedkoper.",
        "v_cpd_better": "<b>{better}</b> is goedkoper per duurzame plaatsing: EUR {amount} minder "
                        "(95%-interval EUR {lo} tot {hi}; {better_value} tegenover {other_value}).",
        "v_cpd_none": "Op kosten per duurzame plaatsing is geen van beide duidelijk goedkoper: het verschil is "
                      "EUR {amount} (95%-interval EUR {lo} tot {hi}).",
        "v_net": "Netto effect voor de overheid van <b>{alt}</b> tegenover <b>{base}</b> (activeringskosten min "
                 "besparing op uitkeringen, uitkering EUR {benefit} per persoon per maand): {total} in {years} "
                 "jaar, {per_year} per jaar (95%-interval {lo} tot {hi} over de hele periode). {meaning}",
        "v_net_costs": "Het kost de overheid meer dan het aan uitkeringen bespaart; op dit punt is <b>{base}</b> "
                       "beter.",
        "v_net_saves": "Het bespaart meer aan uitkeringen dan het kost; op dit punt is <b>{alt}</b> beter.",
        "v_net_none": "Het interval bevat nul: geen van beide is op dit punt duidelijk beter.",
        "v_net_same": "Het is in elke herhaling gelijk, dus er is geen interval: geen van beide is op dit punt "
                      "aantoonbaar beter.",
        "v_one": "Met één herhaling zijn er geen intervallen: geen van de verschillen hieronder is van toeval te "
                 "onderscheiden. Gebruik 20 of meer herhalingen voordat u conclusies trekt.",
        "v_durable_one": "Duurzame plaatsingen verschillen {amount} in {years} jaar (geen interval bij één "
                         "herhaling).",
        "v_cpd_one": "Kosten per duurzame plaatsing verschillen EUR {amount} (geen interval bij één herhaling).",
        "v_net_one": "Netto effect voor de overheid van <b>{alt}</b> tegenover <b>{base}</b> (activeringskosten min "
                     "besparing op uitkeringen, uitkering EUR {benefit} per persoon per maand): {total} in {years} "
                     "jaar, {per_year} per jaar (geen interval bij één herhaling, dus geen van beide is op dit punt "
                     "aantoonbaar beter).",
        "v_scale": "Alle aantallen en bedragen gelden voor de gesimuleerde populatie, {pct} van het landelijke "
                   "bestand (landelijk ongeveer {factor} keer zo groot).",
        "v_window_one": "Periode {frm} tot {to}: duurzame plaatsingen daarin {amount} (geen interval bij één "
                        "herhaling).",
        "v_window": "Periode {frm} tot {to}: duurzame plaatsingen daarin {amount} ({lo} tot {hi}).",
        "c_intervals": "De 95%-intervallen dekken alleen toeval: de spreiding tussen de {n} herhalingen "
                       "(willekeurige gebeurtenissen, zoals wie een vacature vindt). Onzekerheid in de parameters "
                       "of in het model zelf valt erbuiten.",
        "c_intervals_draws": "De 95%-intervallen dekken toeval en de parameteronzekerheid die voor deze run is "
                             "getrokken: elk van de {n} herhalingen trok eigen waarden van de onzekere parameters "
                             "uit hun opgegeven bereik (vooraf vastgesteld, niet gefit op de Nederlandse "
                             "geschiedenis). Onzekerheid in de gekalibreerde parameters of in het model zelf valt "
                             "erbuiten.",
        "c_intervals_draws_cal": "De 95%-intervallen dekken toeval en de parameteronzekerheid die voor deze run is "
                                 "getrokken: elk van de {n} herhalingen trok eigen waarden van {k} onzekere "
                                 "parameters, {a} aannames uit vooraf vastgestelde bereiken en {c} gekalibreerde met "
                                 "de spreiding die de Nederlandse geschiedenis ze laat (samen getrokken, "
                                 "docs/calibration.md). Onzekerheid in het model zelf valt erbuiten.",
        "c_assumptions": "{k} van de {m} parameterwaarden in de scenariobestanden zijn in hun bron als aanname "
                         "gemarkeerd (de rest komt uit rapporten, statistiek of kalibratie); zie docs/parameters.md.",
        "c_reps": "Gebruikte herhalingen: {n}.",
        "c_few": "Waarschuwing: minder dan 20 herhalingen. De intervallen zijn breed en kunnen met meer "
                 "herhalingen merkbaar verschuiven; gebruik er 20 of meer voordat u conclusies trekt.",
        "c_scale": "De runs simuleren {pct} van het landelijke bestand om tijd te sparen.",
        "b_none": "{name}: geen programmabudget.",
        "b_prog": "{name} — {prog}: budget {budget}; gepland {planned} in totaal over alle regio's; nooit "
                  "besteed (onderbesteding {under}): {unspent}; er wordt dus hoogstens {spent} besteed.",
        "b_diff_one": "Gemeten verschil in activeringskosten (alle instrumenten, personeel, subsidies) van {alt} "
                      "tegenover {base}: {amount} (geen interval bij één herhaling).",
        "b_diff": "Gemeten verschil in activeringskosten (alle instrumenten, personeel, subsidies) van {alt} "
                  "tegenover {base}: {amount} (95%-interval {lo} tot {hi}).",
        "incidental": "incidentele", "structural": "structurele",
        "budget_total": "EUR {amount} per regio in totaal over {years} jaar ({start} tot {end})",
        "budget_year": "EUR {amount} per regio per jaar, {start} tot {end} (EUR {total} per regio in totaal)",
        "prog_words": "{name}: {kind} financiering, {budget}, in {regions}; onderbesteding {under} (deel van het "
                      "geld dat nooit wordt besteed); substitutie {subst} (deel dat geld vervangt dat de regio al "
                      "uitgaf, bij de zwakste samenwerking)",
        "all_regions": "alle 35 regio's", "n_regions": "{n} regio's",
        "covid_on": "Covid-19-schok vanaf {onset}", "covid_off": "geen Covid-19-schok",
        "coop": "volwassenheid van de samenwerking {sign}{x:.1f} ten opzichte van het eigen niveau van de regio's",
        "no_prog": "geen programma",
        "chart_title": "Verschil per maand (gepaard), {alt} min {base}",
        "chart_durable": "duurzame plaatsingen per maand\n(personen, verschil)",
        "chart_caseload": "mensen in de uitkering\n(personen, verschil)",
        "chart_cumulative": "duurzame plaatsingen tot dan\n(personen, cumulatief verschil)",
        "chart_x": "maand (kalenderdatum)",
        "chart_band": "gemiddeld verschil en 95%-interval",
        "chart_window": "periode",
        "chart_caption": "Boven nul: {alt} heeft in die maand (boven) of tot die maand (midden) meer; de band is "
                         "het gepaarde 95%-interval over de herhalingen. Het onderste paneel is het bestand: onder nul betekent minder mensen in de "
                         "uitkering.",
        "eur_m": "EUR {x} miljoen", "eur": "EUR {x}",
    },
}


def tr(lang, key, **kw):
    return T[lang][key].format(**kw)


# ---------------------------------------------------------------- numbers --

def num(x, digits=0, plus=False, lang="en"):
    """Thousands separators (a point in Dutch, with a decimal comma), real minus sign."""
    if x is None or not math.isfinite(x):
        return "n/a"
    s = "{:,.{d}f}".format(abs(x), d=digits)
    if lang == "nl":
        s = s.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    zero = float(re.sub(r"[^\d]", "", s) or 0) == 0
    return ("\u2212" if x < 0 and not zero else "+" if plus and x > 0 and not zero else "") + s


def eur(x, lang, plus=False):
    if x is None or not math.isfinite(x):
        return "n/a"
    if abs(x) >= 1e6:
        return tr(lang, "eur_m", x=num(x / 1e6, 2, plus, lang))
    return tr(lang, "eur", x=num(x, 0, plus, lang))


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
    keys = ("name", "kind", "regions", "budget_per_region", "start", "end", "underspend", "substitution")
    return [{k: _value(e, k) for k in keys} for e in _elements(_block(scenario_text(f), "programmes"))]


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


def planned_total(p, scale):
    """EUR over all its regions for the simulated population (money scales with it)."""
    b, y = p.get("budget_per_region") or 0.0, _years(p.get("start"), p.get("end"))
    return b * n_regions(p) * scale * (y if p.get("kind") == "structural" else 1.0)


def describe(f, lang):
    """Phrases describing a scenario's policy: programmes, shock, cooperation."""
    out = []
    for p in programmes(f):
        regions = tr(lang, "all_regions") if n_regions(p) == 35 else tr(lang, "n_regions", n=n_regions(p))
        out.append(tr(lang, "prog_words", name=p.get("name") or "programme", kind=tr(lang, p.get("kind") or "incidental"),
                      budget=budget_words(p, lang), regions=regions, under=pct(p.get("underspend") or 0, lang),
                      subst=pct(p.get("substitution") or 0, lang)))
    if not out:
        out.append(tr(lang, "no_prog"))
    s = shocks(f)
    out.append(tr(lang, "covid_on", onset=s[0].get("onset")) if s else tr(lang, "covid_off"))
    mo = maturity_offset(f)
    if mo:
        out.append(tr(lang, "coop", sign="+" if mo > 0 else "\u2212", x=abs(mo)))
    return out


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
    if "series/time_bnds" in f and f["series/time_bnds"].shape[0]:   # calendar months: the last one's end
        return float(f["series/time_bnds"][-1, 1]) / 365.2425
    t = f["series/time"][:] if "series/time" in f else None
    if t is not None and len(t):   # files before calendar months: steps end at their time
        return float(t[-1]) / 365.2425
    pv = _param_values(f)
    return pv.get("horizon_years", float("nan"))


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
    if one:
        out.append(tr(lang, "v_one"))
    if d and one:
        out.append(tr(lang, "v_durable_one", amount=num(d["diff"], 0, True, lang), years=ys))
    elif d and d.get("same") and d["diff"] != 0:
        out.append(tr(lang, "v_durable_same", amount=num(d["diff"], 0, True, lang), years=ys))
    elif d:
        better = an if d["diff"] > 0 else bn
        m, lo, hi = (d["diff"], d["lo"], d["hi"]) if d["diff"] > 0 else (-d["diff"], -d["hi"], -d["lo"])
        if cf.clear(d):
            out.append(tr(lang, "v_durable_better", better=better, amount=num(m, 0, lang=lang), years=ys,
                          per_year=num(m / years, 0, lang=lang), lo=num(lo, 0, lang=lang), hi=num(hi, 0, lang=lang)))
        else:
            out.append(tr(lang, "v_durable_none", amount=num(d["diff"], 0, True, lang), years=ys,
                          lo=num(d["lo"], 0, True, lang), hi=num(d["hi"], 0, True, lang)))
    c = summ.get("cost_per_durable")
    if c and math.isfinite(c["diff"]) and one:
        out.append(tr(lang, "v_cpd_one", amount=num(c["diff"], 0, True, lang)))
    elif c and math.isfinite(c["diff"]) and c.get("same") and c["diff"] != 0:
        out.append(tr(lang, "v_cpd_same", amount=num(c["diff"], 0, True, lang)))
    elif c and math.isfinite(c["diff"]):
        if cf.clear(c):
            alt_cheaper = c["diff"] < 0
            better = an if alt_cheaper else bn
            m, lo, hi = (-c["diff"], -c["hi"], -c["lo"]) if alt_cheaper else (c["diff"], c["lo"], c["hi"])
            # the cheaper scenario is the sentence's subject: its figure comes first
            mine, other = (c["alt_mean"], c["base_mean"]) if alt_cheaper else (c["base_mean"], c["alt_mean"])
            out.append(tr(lang, "v_cpd_better", better=better, amount=num(m, 0, lang=lang), lo=num(lo, 0, lang=lang),
                          hi=num(hi, 0, lang=lang), better_value=eur(mine, lang), other_value=eur(other, lang)))
        else:
            out.append(tr(lang, "v_cpd_none", amount=num(c["diff"], 0, True, lang), lo=num(c["lo"], 0, True, lang),
                          hi=num(c["hi"], 0, True, lang)))
    nf = net_fiscal(base, alt)
    meaning = (tr(lang, "v_net_same") if nf.get("same") else tr(lang, "v_net_none") if not cf.clear(nf) else tr(lang, "v_net_costs", base=bn) if nf["lo"] > 0
               else tr(lang, "v_net_saves", alt=an))
    out.append(tr(lang, "v_net_one" if one else "v_net", alt=an, base=bn, benefit=num(benefit_per_month(base), 0, lang=lang), total=eur(nf["diff"], lang, True),
                  years=ys, per_year=eur(nf["diff"] / years, lang, True), lo=eur(nf["lo"], lang, True),
                  hi=eur(nf["hi"], lang, True), meaning=meaning))
    w = ser.get("durable")
    if w and (window[0] or window[1]):
        out.append(tr(lang, "v_window_one" if one else "v_window", frm=window[0] or "…", to=window[1] or "…",
                      amount=num(w["diff"], 0, True, lang),
                      lo=num(w["lo"], 0, True, lang), hi=num(w["hi"], 0, True, lang)))
    s = scale(base)
    if s != 1.0:
        out.append(tr(lang, "v_scale", pct=pct(s, lang), factor=num(1 / s, 0, lang=lang)))
    return out


def drawn_counts(f):
    """(parameters drawn, of which calibrated): a source starting "calibrated" marks one
    (the attribute "sources" of /parameter_draws; files written before it count 0)."""
    d = f["parameter_draws"]
    src = [s.decode() if isinstance(s, bytes) else str(s) for s in d.attrs.get("sources", [])]
    return d.shape[1], sum(s.startswith("calibrated") for s in src)


def caveats(files, lang):
    n = int(files[0].attrs["replications"])
    drawn = all("parameter_draws" in f for f in files)   # --draw-parameters: the intervals hold those draws too
    k, c = drawn_counts(files[0]) if drawn else (0, 0)
    key = "c_intervals" if not drawn else "c_intervals_draws_cal" if c else "c_intervals_draws"
    out = [tr(lang, key, n=n, k=k, a=k - c, c=c)] if n >= 2 else []
    counts = [count_assumptions(f) for f in files]
    counts = [c for c in counts if c]
    if counts:
        k, m = max(counts, key=lambda c: c[0])
        out.append(tr(lang, "c_assumptions", k=k, m=m))
    out.append(tr(lang, "c_reps", n=n))
    s = scale(files[0])
    if s != 1.0:
        out.append(tr(lang, "c_scale", pct=pct(s, lang)))
    return out, n < 20


def budget(files, names, summ_rows, lang):
    """Sentences on each scenario's programme money and the measured cost difference."""
    out = []
    for f, name in zip(files, names):
        progs = programmes(f)
        if not progs:
            out.append(tr(lang, "b_none", name=name))
        s = scale(f)
        for p in progs:
            planned = planned_total(p, s)
            under = p.get("underspend") or 0.0
            out.append(tr(lang, "b_prog", name=name, prog=p.get("name") or "programme", budget=budget_words(p, lang),
                          planned=eur(planned, lang), under=pct(under, lang), unspent=eur(planned * under, lang),
                          spent=eur(planned * (1 - under), lang)))
    for f, name, summ in zip(files[1:], names[1:], summ_rows):
        c = summ.get("cost_total")
        if c:
            out.append(tr(lang, "b_diff" if c["n"] >= 2 else "b_diff_one", alt=name, base=names[0], amount=eur(c["diff"], lang, True),
                          lo=eur(c["lo"], lang, True), hi=eur(c["hi"], lang, True)))
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
    for ax, (name, label, cumulative) in zip(axes, panels):
        if "series/" + name not in base or "series/" + name not in alt:
            continue
        x, m, lo, hi = monthly_difference(base, alt, name, cumulative)
        if int(base.attrs["replications"]) >= 2:   # one replication has no band to draw
            ax.fill_between(x, lo, hi, color=charts.COLORS[1], alpha=0.25, lw=0, label=tr(lang, "chart_band"))
        ax.plot(x, m, color=charts.COLORS[1], lw=1.6)
        ax.axhline(0, color="black", lw=0.8)
        ax.set_ylabel(tr(lang, label))
        ax.grid(alpha=0.3)
        ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: num(v, 0, True, lang)))
        if window[0] or window[1]:
            lo_d = np.datetime64(window[0]) if window[0] else x[0]
            hi_d = np.datetime64(window[1]) if window[1] else x[-1]
            ax.axvspan(lo_d, hi_d, color="grey", alpha=0.12, lw=0, label=tr(lang, "chart_window"))
    if axes[0].get_legend_handles_labels()[0]:
        axes[0].legend(loc="best", fontsize=8)
    axes[-1].set_xlabel(tr(lang, "chart_x"))
    fig.suptitle("\n".join(textwrap.wrap(tr(lang, "chart_title", alt=names[1], base=names[0]), 110)), fontsize=10)
    fig.tight_layout()
    return fig
