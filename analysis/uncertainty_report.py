"""uncertainty_report.py: the parameter-uncertainty section of `sim report` (issue 14).

When the compared files ran with `sim run --draw-parameters`, replication r of every file
drew the same parameter set (keyed by seed and r), so ALT[r] - BASE[r] is the effect under
one draw of chance and of the parameters. Per headline metric the section shows, as
`sim compare` does (sim/app/compare_draws.c): the mean effect with its 95% t interval (how
precisely the mean is known), the distribution-free interval of a draw's effect (between
order statistics of the paired differences, with its coverage: chance plus parameter
uncertainty) and P(ALT beats BASE) with its Clopper-Pearson interval; then one sentence on
whether the ranking is robust. Its texts are texts.py's "u_" keys, in the report's
language (--lang); html() returns "" when the files carry no draws.
"""
import html as _html

import numpy as np

from . import counterfactual as cf
from .texts import T, count, decimals, num, safe_digits, share_digits, tr

# (summary field, +1 when higher is better, -1 when lower is); the label is texts.py's "u_" + field
METRICS = [("durable_placements", +1), ("placements", +1), ("cost_per_durable", -1), ("cost_total", -1),
           ("benefit_months", -1), ("caseload_end", -1)]
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


def _g(x, lang="en"):
    """A statistic to about three significant figures, n/a when undefined. English keeps
    the section's own format (whole with thousands commas from 100 on, else %.3g); other languages write it as
    the rest of the report does (texts.num: thousands points and a decimal comma in Dutch)."""
    if not np.isfinite(x):
        return tr(lang, "n_a")
    if lang == "en":   # thousands commas from 1,000 on, as sim compare writes them
        return "{:,.0f}".format(x) if abs(x) >= 100 else "%.3g" % x
    return num(x, safe_digits(decimals(x), x), lang=lang)   # a nonzero bound never reads 0


def _f(x, digits, lang="en"):
    """x with `digits` decimals: printf's %.*f in English (the section's own format),
    texts.num in other languages; n/a when undefined (a metric no draw defines)."""
    if not np.isfinite(x):
        return tr(lang, "n_a")
    return "%.*f" % (digits, x) if lang == "en" else num(x, digits, lang=lang)


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


def verdict(name, base_name, e, lang="en"):
    """One sentence on the ranking by durable placements, in lang. Robust when the share of
    draws in which one scenario leads is at least ROBUST and its Clopper-Pearson interval
    stays above ROBUST_LOW (a handful of draws that all agree is not yet evidence); not
    robust when the interval lies below ROBUST; else too few draws to tell."""
    if not np.isfinite(e["p"]):
        return tr(lang, "u_undefined", alt=name, base=base_name)
    alt_leads = e["p"] >= 0.5
    who, other = (name, base_name) if alt_leads else (base_name, name)
    p, lo, hi = (e["p"], e["plo"], e["phi"]) if alt_leads else (1 - e["p"], 1 - e["phi"], 1 - e["plo"])
    n = _f(e["n"], 0, lang)
    d = share_digits(0, 100, 100 * p, 100 * lo, 100 * hi)   # 99.6%, never 100%, for a bound below 1
    share = tr(lang, "u_share", p=_f(100 * p, d, lang), n=n, lo=_f(100 * lo, d, lang), hi=_f(100 * hi, d, lang))
    if p >= ROBUST and lo >= ROBUST_LOW:
        return tr(lang, "u_robust", who=who, other=other, share=share)
    if hi >= ROBUST:   # neither robust nor shown not to be
        need = draws_needed(p)
        more = tr(lang, "u_settle", n=_f(need, 0, lang)) if need else tr(lang, "u_more")
        return tr(lang, "u_too_few", who=who, other=other, share=share, n=n, more=more)
    return tr(lang, "u_not_robust", who=who, other=other, share=share)


def intro(f, lang="en"):
    """The paragraph on the draws: how many parameters, and from where (ranges set
    beforehand, or also calibrated parameters with their spread)."""
    k = f["parameter_draws"].shape[1]
    src = [s.decode() if isinstance(s, bytes) else str(s) for s in f["parameter_draws"].attrs.get("sources", [])]
    ncal = sum(s.startswith("calibrated") for s in src)
    origin = (tr(lang, "u_origin_cal", a=count(lang, k - ncal, "w_assumption"), c=count(lang, ncal, "w_calibrated"))
              if ncal else tr(lang, "u_origin"))
    return "<p>%s</p>" % tr(lang, "u_intro", k=k, origin=origin)


def _row(label, r, lang):
    """One metric's table row: the mean effect, the interval of the mean, a draw's effect
    with its coverage, P(ALT better) with its interval, and n."""
    def g(x):
        return _g(x, lang)

    pd = share_digits(2, 1, r["p"], r["plo"], r["phi"])   # 0.996, never 1.00, for a bound below 1

    def p2(x):
        return _f(x, pd, lang)

    def iv(lo, hi, fmt):
        return tr(lang, "u_interval", lo=fmt(lo), hi=fmt(hi))
    cover = _f(100 * r["cover"], 0, lang) + "%" if np.isfinite(r["cover"]) else tr(lang, "n_a")
    return ('<tr><td class="l">%s</td><td>%s</td><td>%s</td><td>%s (%s)</td><td>%s %s</td><td>%s</td></tr>'
            % (_html.escape(label), g(r["diff"]), iv(r["lo"], r["hi"], g), iv(r["ulo"], r["uhi"], g), cover,
               p2(r["p"]), iv(r["plo"], r["phi"], p2), _f(r["n"], 0, lang)))


def comparison(base, f, base_name, name, lang="en"):
    """ALT (f, name) against BASE: the heading, the sentence on the ranking and the table."""
    e = _html.escape
    fields = base["summary"].dtype.names
    rows, lead = [], None
    for key, better in METRICS:
        if key not in fields:
            continue
        r = effect(cf.summary_column(base, key), cf.summary_column(f, key), better)
        lead = lead or (r if key == "durable_placements" else None)
        rows.append(_row(tr(lang, "u_" + key), r, lang))
    out = ["<h3>%s</h3>" % tr(lang, "compared_with", alt=e(name), base=e(base_name))]
    if lead:
        out.append("<p><strong>%s</strong></p>" % e(verdict(name, base_name, lead, lang)))
    head = [h.format(alt=e(name)) for h in T[lang]["u_head"]]
    out.append('<table>\n<thead><tr><th class="l">%s</th>%s</tr></thead>\n<tbody>\n%s\n</tbody>\n</table>'
               % (head[0], "".join("<th>%s</th>" % h for h in head[1:]), "\n".join(rows)))
    return "\n".join(out)


def html(files, names, lang="en"):
    """The section as HTML in lang, or "" when not every file carries the same parameter
    draws. Its id stays parameter-uncertainty in every language (sim serve picks sections by id)."""
    d0 = draws(files[0])
    if d0 is None or any(draws(f) is None or draws(f).shape != d0.shape or not np.array_equal(draws(f), d0)
                         for f in files[1:]):
        return ""
    out = ['<section id="parameter-uncertainty">\n<h2>%s</h2>' % tr(lang, "u_heading"), intro(files[0], lang)]
    out += [comparison(files[0], f, names[0], n, lang) for f, n in zip(files[1:], names[1:])]
    out.append("</section>\n")
    return "\n".join(out)
