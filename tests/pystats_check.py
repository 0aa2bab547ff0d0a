"""pystats_check.py BASE.h5 POW.h5: analysis/ statistics from scipy and statsmodels
agree with the hand-written code they replaced (tests/stats_reference.py) within 1e-9,
and the /events codes come from the file's enums. Prints "ok ..." / "FAIL ..." lines.
Run with the repository on PYTHONPATH (tests/test_pystats.sh) so that the analysis
package imports; stats_reference sits next to this file."""
import math
import os
import sys

import h5py
import numpy as np

import stats_reference as ref
from analysis import counterfactual as cf
from analysis import survival as sv

FIELDS = ("t", "n", "d", "S", "se", "lo", "hi")


def check(desc, cond):
    print(("ok " if cond else "FAIL ") + desc)


def same_km(a, b):
    for k in FIELDS:
        x, y = np.asarray(a[k], float), np.asarray(b[k], float)
        if x.shape != y.shape or not np.allclose(x, y, rtol=1e-9, atol=1e-12, equal_nan=True):
            return "%s: %s vs %s" % (k, x[:4], y[:4])
    return "" if (a["subjects"], a["events"]) == (b["subjects"], b["events"]) else "counts"


def quantiles():
    rel = max(abs(cf.t_quantile(0.975, df) - ref.t_quantile(0.975, df)) / ref.t_quantile(0.975, df)
              for df in range(1, 1001))
    check("t quantile (scipy t.ppf + Newton) = the former incomplete-beta bisection within 1e-9, df 1..1000 (max %.1e)"
          % rel, rel < 1e-9)
    exact = abs(cf.t_quantile(0.975, 1) - math.tan(math.pi * 0.475)) / math.tan(math.pi * 0.475)
    two = 0.95 / math.sqrt(2 * 0.975 * 0.025)
    exact = max(exact, abs(cf.t_quantile(0.975, 2) - two) / two)
    check("t quantile at df 1 and 2 equals the closed forms within 1e-13 (%.1e)" % exact, exact < 1e-13)


def random_samples():
    rng = np.random.default_rng(16)
    bad = ""
    for trial in range(300):
        n = int(rng.integers(1, 80))
        t = np.round(rng.exponential(5.0, n), int(rng.integers(0, 3)))     # ties when rounded
        e = rng.random(n) < rng.random()                                   # all censored sometimes
        for conf in ("plain", "loglog"):
            why = same_km(sv.kaplan_meier(t, e, conf), ref.kaplan_meier(t, e, conf))
            if why and not bad:
                bad = "trial %d %s: %s" % (trial, conf, why)
    check("Kaplan-Meier (statsmodels SurvfuncRight) = the former product-limit code on 300 random samples "
          "with ties, censoring and S reaching 0%s" % (": " + bad if bad else ""), not bad)


def files(paths):
    for path in paths:
        with cf.open_checked(path) as f:
            ev = sv.read_events(f)
            horizon = sv.horizon_days(f)
            for what in ("placement", "jobloss"):
                t, e, region, group = sv.durations(ev, what, horizon)
                bad = same_km(sv.kaplan_meier(t, e, "loglog"), ref.kaplan_meier(t, e, "loglog")) or \
                    same_km(sv.kaplan_meier(t, e, "plain"), ref.kaplan_meier(t, e, "plain"))
                check("%s, time to %s (%d subjects, %d events): statsmodels = former code within 1e-9%s"
                      % (os.path.basename(path), what, len(t), int(e.sum()), ": " + bad if bad else ""), not bad and e.sum() > 0)
            enum = h5py.check_enum_dtype(f["events"].dtype["kind"])
            codes = sv.event_codes(f["events"].dtype)
            check("%s: event codes are the file's enums (to_placed = %d, placed = %d)"
                  % (os.path.basename(path), codes["kind"]["to_placed"], codes["state"]["placed"]),
                  codes["kind"] == {k: int(v) for k, v in enum.items()} and "placed" in codes["state"])
            # Renumber every code (a file whose enums are in another order): same durations
            k_perm = {v: 100 + (7 * v) % 23 for v in codes["kind"].values()}
            s_perm = {v: 200 + (5 * v) % 29 for v in codes["state"].values()}
            ev2 = dict(ev)
            ev2["kind"] = np.vectorize(k_perm.get)(ev["kind"])
            ev2["from"] = np.vectorize(s_perm.get)(ev["from"])
            ev2["to"] = np.vectorize(s_perm.get)(ev["to"])
            ev2["codes"] = {"kind": {k: k_perm[v] for k, v in codes["kind"].items()},
                            "state": {k: s_perm[v] for k, v in codes["state"].items()}}
            same = all(np.array_equal(a, b) for what in ("placement", "jobloss")
                       for a, b in zip(sv.durations(ev, what, horizon), sv.durations(ev2, what, horizon)))
            check("%s: durations do not depend on the enums' numbering" % os.path.basename(path), same)


quantiles()
random_samples()
files(sys.argv[1:])
