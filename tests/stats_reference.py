"""stats_reference.py: the hand-written statistics that analysis/ used before it moved
to scipy and statsmodels (issue 16), kept only as the reference that
tests/pystats_check.py compares the library results with (within 1e-9)."""
import math

import numpy as np

Z95 = 1.959963984540054


def _betacf(a, b, x):
    """Continued fraction of the regularized incomplete beta (modified Lentz)."""
    tiny = 1e-300
    c, d = 1.0, 1.0 - (a + b) * x / (a + 1.0)
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 500):
        for num in (m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
                    -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))):
            d = 1.0 + num * d
            d = 1.0 / (d if abs(d) > tiny else tiny)
            c = 1.0 + num / c
            c = c if abs(c) > tiny else tiny
            h *= d * c
        if abs(d * c - 1.0) < 1e-15:
            break
    return h


def _betainc(a, b, x):
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    lbt = math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    if x < (a + 1.0) / (a + b + 2.0):
        return math.exp(lbt) * _betacf(a, b, x) / a
    return 1.0 - math.exp(lbt) * _betacf(b, a, 1.0 - x) / b


def t_cdf(t, df):
    p = 0.5 * _betainc(df / 2.0, 0.5, df / (df + t * t))
    return 1.0 - p if t > 0 else p


def t_quantile(p, df):
    """The p quantile (p > 0.5) of Student's t, by bisection to machine precision."""
    lo, hi = 0.0, 1.0
    while t_cdf(hi, df) < p:
        hi *= 2.0
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if t_cdf(mid, df) < p:
            lo = mid
        else:
            hi = mid
        if hi - lo <= 1e-15 * hi:
            break
    return 0.5 * (lo + hi)


def kaplan_meier(time, event, conf="plain"):
    """The former analysis/survival.py product-limit estimate with Greenwood bands."""
    time = np.asarray(time, dtype=float)
    event = np.asarray(event, dtype=bool)
    order = np.argsort(time, kind="stable")
    time, event = time[order], event[order]
    t = np.unique(time[event])
    n = len(time) - np.searchsorted(time, t, side="left")
    d = np.searchsorted(time[event], t, side="right") - np.searchsorted(time[event], t, side="left")
    S = np.cumprod(1.0 - d / n)
    with np.errstate(divide="ignore", invalid="ignore"):
        g = np.cumsum(np.where(n > d, d / (n * (n - d)), np.inf))
        se = S * np.sqrt(g)
        if conf == "loglog":
            sel = np.sqrt(g) / np.abs(np.log(S))
            lo = np.exp(-np.exp(np.log(-np.log(S)) + Z95 * sel))
            hi = np.exp(-np.exp(np.log(-np.log(S)) - Z95 * sel))
            lo = np.where(np.isfinite(lo), lo, np.where(S > 0, S, 0.0))
            hi = np.where(np.isfinite(hi), hi, np.where(S > 0, S, 0.0))
        else:
            lo = np.clip(S - Z95 * se, 0.0, 1.0)
            hi = np.clip(S + Z95 * se, 0.0, 1.0)
    se = np.where(np.isfinite(se), se, np.nan)
    return {"t": t, "n": n, "d": d, "S": S, "se": se, "lo": np.nan_to_num(lo), "hi": np.nan_to_num(hi, nan=1.0),
            "subjects": len(time), "events": int(event.sum())}
