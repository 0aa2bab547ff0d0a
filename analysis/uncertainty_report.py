"""uncertainty_report.py: the parameter-uncertainty section of `sim report` (issue 14).

When the compared files ran with `sim run --draw-parameters`, replication r of every file
drew the same parameter set (keyed by seed and r), so ALT[r] - BASE[r] is the effect under
one draw of chance and of the parameters. Per headline metric the section shows, as
`sim compare` does (sim/app/compare_draws.c): the mean effect with its 95% t interval (how
precisely the mean is known), the 95% uncertainty interval of the effect (2.5% and 97.5%
quantiles of the paired differences: chance plus parameter uncertainty) and P(ALT beats
BASE); then one sentence on whether the ranking is robust. html() returns "" when the
files carry no draws.
"""
import html as _html

import numpy as np

from . import counterfactual as cf

# (summary field, label, +1 when higher is better, -1 when lower is)
METRICS = [("durable_placements", "durable placements", +1), ("placements", "placements", +1),
           ("cost_per_durable", "cost per durable placement (EUR)", -1), ("cost_total", "activation cost (EUR)", -1),
           ("benefit_months", "benefit months", -1), ("caseload_end", "caseload at the end", -1)]
ROBUST = 0.95   # P(ALT better) at least this (or at most 1 - this): the ranking is robust


def draws(f):
    return f["parameter_draws"][()] if "parameter_draws" in f else None


def effect(base, alt, better):
    """dict diff, lo, hi (t interval of the mean), ulo, uhi (uncertainty interval), p, n."""
    r = cf.paired(base, alt)
    b, a = np.asarray(base, float), np.asarray(alt, float)
    keep = ~(np.isnan(b) | np.isnan(a))
    d = a[keep] - b[keep]
    if len(d) == 0:
        return dict(r, ulo=float("nan"), uhi=float("nan"), p=float("nan"))
    ulo, uhi = np.quantile(d, [0.025, 0.975])
    p = (np.sum(d * better > 0) + 0.5 * np.sum(d == 0)) / len(d)
    return dict(r, ulo=float(ulo), uhi=float(uhi), p=float(p))


def _g(x):
    return "n/a" if not np.isfinite(x) else ("%.0f" % x if abs(x) >= 100 else "%.3g" % x)


def verdict(name, base_name, e):
    """One sentence on the ranking by durable placements."""
    if not np.isfinite(e["p"]):
        return "Whether %s beats %s cannot be told: the effect is undefined." % (name, base_name)
    pct = 100 * e["p"]
    if e["p"] >= ROBUST or e["p"] <= 1 - ROBUST:
        who, other = (name, base_name) if e["p"] >= ROBUST else (base_name, name)
        return ("The ranking is robust to the parameter uncertainty: %s has more durable placements than %s "
                "in %.0f%% of the parameter draws." % (who, other, pct if who == name else 100 - pct))
    return ("The ranking is not robust to the parameter uncertainty: %s has more durable placements than %s in "
            "%.0f%% of the parameter draws, so which scenario is better depends on assumptions we do not know well "
            "(docs/sensitivity.md shows which)." % (name, base_name, pct))


def html(files, names):
    """The section as HTML, or "" when not every file carries the same parameter draws."""
    d0 = draws(files[0])
    if d0 is None or any(draws(f) is None or draws(f).shape != d0.shape or not np.array_equal(draws(f), d0)
                         for f in files[1:]):
        return ""
    e = _html.escape
    fields = files[0]["summary"].dtype.names
    out = ['<section id="parameter-uncertainty">\n<h2>Parameter uncertainty</h2>',
           "<p>Every replication ran with its own draw of %d uncertain parameters (the same draw in every "
           "scenario). The uncertainty interval holds 95%% of the effects over chance and parameter draws; "
           "the interval of the mean says how precisely the average effect is known.</p>" % d0.shape[1]]
    for f, n in zip(files[1:], names[1:]):
        rows = []
        lead = None
        for key, label, better in METRICS:
            if key not in fields:
                continue
            r = effect(cf.summary_column(files[0], key), cf.summary_column(f, key), better)
            lead = lead or (r if key == "durable_placements" else None)
            rows.append("<tr><td class=\"l\">%s</td><td>%s</td><td>[%s, %s]</td><td>[%s, %s]</td><td>%.2f</td><td>%d</td></tr>"
                        % (e(label), _g(r["diff"]), _g(r["lo"]), _g(r["hi"]), _g(r["ulo"]), _g(r["uhi"]), r["p"], r["n"]))
        out.append("<h3>%s compared with %s</h3>" % (e(n), e(names[0])))
        if lead:
            out.append("<p><strong>%s</strong></p>" % e(verdict(n, names[0], lead)))
        out.append("<table>\n<thead><tr><th class=\"l\">metric</th><th>mean effect</th><th>95%% interval of the mean</th>"
                   "<th>95%% uncertainty interval (chance + parameters)</th><th>P(%s better)</th><th>n</th></tr></thead>\n"
                   "<tbody>\n%s\n</tbody>\n</table>" % (e(n), "\n".join(rows)))
    out.append("</section>\n")
    return "\n".join(out)
