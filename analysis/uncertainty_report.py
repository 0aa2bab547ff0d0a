"""uncertainty_report.py: the parameter-uncertainty section of `sim report` (issue 14).

When the compared files ran with `sim run --draw-parameters`, replication r of every file
drew the same parameter set (keyed by seed and r), so ALT[r] - BASE[r] is the effect under
one draw of chance and of the parameters. Per headline metric the section shows, as
`sim compare` does (sim/app/compare_draws.c): the mean effect with its 95% t interval (how
precisely the mean is known), the distribution-free interval of a draw's effect (between
order statistics of the paired differences, with its coverage: chance plus parameter
uncertainty) and P(ALT beats BASE) with its Clopper-Pearson interval; then one sentence on
whether the ranking is robust. html() returns "" when the
files carry no draws.
"""
import html as _html

import numpy as np

from . import counterfactual as cf

# (summary field, label, +1 when higher is better, -1 when lower is)
METRICS = [("durable_placements", "durable placements", +1), ("placements", "placements", +1),
           ("cost_per_durable", "cost per durable placement (EUR)", -1), ("cost_total", "activation cost (EUR)", -1),
           ("benefit_months", "benefit months", -1), ("caseload_end", "caseload at the end", -1)]
ROBUST = 0.95       # P(one scenario leads) at least this, and ...
ROBUST_LOW = 0.80   # ... its 95% interval above this (17 draws of 17 or more): the ranking is robust


def draws(f):
    return f["parameter_draws"][()] if "parameter_draws" in f else None


def effect_interval(d):
    """(lo, hi, coverage): the distribution-free interval [d_(k), d_(n+1-k)] between order
    statistics of the n differences that holds the effect of a new draw with probability
    (n + 1 - 2k) / (n + 1), for the largest k >= 1 giving at least 95% (the range, with
    less, below 39 replications); NaN below 2. As sim/app/compare_draws.c."""
    d = np.sort(np.asarray(d, float))
    n = len(d)
    if n < 2:
        return float("nan"), float("nan"), float("nan")
    k = max(1, int(np.floor(0.025 * (n + 1))))
    return float(d[k - 1]), float(d[n - k]), (n + 1 - 2 * k) / (n + 1)


def proportion_interval(xlo, xhi, n):
    """Clopper-Pearson 95% interval of a proportion of n: at least xlo, at most xhi
    successes (ties counted as neither and as both)."""
    from scipy.stats import beta
    lo = 0.0 if xlo <= 0 else float(beta.ppf(0.025, xlo, n - xlo + 1))
    hi = 1.0 if xhi >= n else float(beta.ppf(0.975, xhi + 1, n - xhi))
    return lo, hi


def effect(base, alt, better):
    """dict diff, lo, hi (t interval of the mean), ulo, uhi, cover (interval of a draw's
    effect and its coverage), p, plo, phi (P(ALT better) and its interval), n."""
    r = cf.paired(base, alt)
    b, a = np.asarray(base, float), np.asarray(alt, float)
    keep = ~(np.isnan(b) | np.isnan(a))
    d = a[keep] - b[keep]
    nan = float("nan")
    if len(d) == 0:
        return dict(r, ulo=nan, uhi=nan, cover=nan, p=nan, plo=nan, phi=nan)
    ulo, uhi, cover = effect_interval(d)
    wins, ties = int(np.sum(d * better > 0)), int(np.sum(d == 0))
    plo, phi = proportion_interval(wins, wins + ties, len(d))
    return dict(r, ulo=ulo, uhi=uhi, cover=cover, p=(wins + 0.5 * ties) / len(d), plo=plo, phi=phi)


def _g(x):
    return "n/a" if not np.isfinite(x) else ("%.0f" % x if abs(x) >= 100 else "%.3g" % x)


def draws_needed(p, most=2000):
    """The fewest draws n at which a share p (>= ROBUST) of leads would be called robust
    (Clopper-Pearson lower bound of round(p n) of n at least ROBUST_LOW); None when p is
    below ROBUST or more than `most` would be needed."""
    if p < ROBUST:
        return None
    for n in range(2, most + 1):
        x = int(round(p * n))
        if x / n >= ROBUST and proportion_interval(x, x, n)[0] >= ROBUST_LOW:
            return n
    return None


def verdict(name, base_name, e):
    """One sentence on the ranking by durable placements. Robust when the share of draws
    in which one scenario leads is at least ROBUST and its Clopper-Pearson interval stays
    above ROBUST_LOW (a handful of draws that all agree is not yet evidence); not robust
    when the interval lies below ROBUST; else too few draws to tell."""
    if not np.isfinite(e["p"]):
        return "Whether %s beats %s cannot be told: the effect is undefined." % (name, base_name)
    alt_leads = e["p"] >= 0.5
    who, other = (name, base_name) if alt_leads else (base_name, name)
    p, lo, hi = (e["p"], e["plo"], e["phi"]) if alt_leads else (1 - e["p"], 1 - e["phi"], 1 - e["plo"])
    share = "in %.0f%% of the %d parameter draws (95%% interval %.0f%% to %.0f%%)" % (100 * p, e["n"], 100 * lo, 100 * hi)
    if p >= ROBUST and lo >= ROBUST_LOW:
        return ("The ranking is robust to the parameter uncertainty: %s has more durable placements than %s %s."
                % (who, other, share))
    if hi >= ROBUST:   # neither robust nor shown not to be
        need = draws_needed(p)
        more = ("about %d would settle it if the share held" % need if need else "more would tell")
        return ("%s has more durable placements than %s %s: %d draws are too few to tell whether the ranking is "
                "robust to the parameter uncertainty; run more replications (%s)." % (who, other, share, e["n"], more))
    return ("The ranking is not robust to the parameter uncertainty: %s has more durable placements than %s %s, so "
            "which scenario is better depends on chance and on assumptions we do not know well "
            "(docs/sensitivity.md shows which)." % (who, other, share))


def html(files, names):
    """The section as HTML, or "" when not every file carries the same parameter draws."""
    d0 = draws(files[0])
    if d0 is None or any(draws(f) is None or draws(f).shape != d0.shape or not np.array_equal(draws(f), d0)
                         for f in files[1:]):
        return ""
    e = _html.escape
    fields = files[0]["summary"].dtype.names
    src = [s.decode() if isinstance(s, bytes) else str(s) for s in files[0]["parameter_draws"].attrs.get("sources", [])]
    ncal = sum(s.startswith("calibrated") for s in src)
    origin = ("from the scenario's uncertainty list: %d assumptions from ranges set beforehand and %d calibrated "
              "parameters with the spread that Dutch history leaves them, drawn jointly (docs/calibration.md)"
              % (d0.shape[1] - ncal, ncal) if ncal else
              "from the ranges declared in the scenario's uncertainty list: ranges set beforehand, not fitted to "
              "Dutch history, and the calibrated parameters are not drawn")
    out = ['<section id="parameter-uncertainty">\n<h2>Parameter uncertainty</h2>',
           ("<p>Every replication ran with its own draw of %d uncertain parameters (the same draw in every "
            "scenario), " % d0.shape[1]) + origin + (
            ". The interval of a draw's effect "
            "holds the effect of a new draw of chance and parameters with the coverage shown (the range of the "
            "replications below 39 of them, 95% from 39 on); the interval of the mean says how precisely the "
            "average effect is known. P(better) is the share of draws in which the alternative is better, with its "
            "95% Clopper-Pearson interval.</p>")]
    for f, n in zip(files[1:], names[1:]):
        rows = []
        lead = None
        for key, label, better in METRICS:
            if key not in fields:
                continue
            r = effect(cf.summary_column(files[0], key), cf.summary_column(f, key), better)
            lead = lead or (r if key == "durable_placements" else None)
            rows.append("<tr><td class=\"l\">%s</td><td>%s</td><td>[%s, %s]</td><td>[%s, %s] (%s)</td>"
                        "<td>%.2f [%.2f, %.2f]</td><td>%d</td></tr>"
                        % (e(label), _g(r["diff"]), _g(r["lo"]), _g(r["hi"]), _g(r["ulo"]), _g(r["uhi"]),
                           "n/a" if not np.isfinite(r["cover"]) else "%.0f%%" % (100 * r["cover"]),
                           r["p"], r["plo"], r["phi"], r["n"]))
        out.append("<h3>%s compared with %s</h3>" % (e(n), e(names[0])))
        if lead:
            out.append("<p><strong>%s</strong></p>" % e(verdict(n, names[0], lead)))
        out.append("<table>\n<thead><tr><th class=\"l\">metric</th><th>mean effect</th><th>95%% interval of the mean</th>"
                   "<th>a draw's effect (coverage)</th><th>P(%s better) [95%% interval]</th><th>n</th></tr></thead>\n"
                   "<tbody>\n%s\n</tbody>\n</table>" % (e(n), "\n".join(rows)))
    out.append("</section>\n")
    return "\n".join(out)
