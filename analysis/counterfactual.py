"""counterfactual.py: contrasts between a baseline and a policy file of one seed.

Person level: random numbers are common to both runs (DESIGN.md §3), so person p in
replication r is the same person in both files and one can ask whether that person
would have been placed without the policy. Every person traced in both files (-d events,
the same --sample) is one of
  both         placed in both runs: deadweight (the policy's placement would have happened anyway)
  policy_only  placed only with the policy: net effect
  base_only    placed only without the policy: displacement or lock-in
  neither      placed in neither run
Replication level: the paired difference ALT[r] - BASE[r] of a /summary field or of a
/series reduced per region (flows summed over time, stocks at the end) with a 95% t
interval, computed as `sim compare` does; the cost per additional durable placement.

Usage: python3 -m analysis.counterfactual BASE.h5 ALT.h5 [--outcome placed|durable] [--csv]
"""
import argparse
import difflib
import functools
import math
import os
import sys

import numpy as np

if not __package__:   # run as a file: the sibling modules are found only in the package
    sys.exit("counterfactual.py is part of the analysis package: run python3 -m analysis.counterfactual from the directory that holds analysis/ (analysis/README.md)")

FORMAT_VERSION = 2                      # the newest output format this code reads
CATEGORIES = ("both", "policy_only", "base_only", "neither")


class Refused(Exception):
    """A file that cannot be read or paired; str() names the file and the problem."""


def text(x):
    return x.decode("utf-8", "replace") if isinstance(x, bytes) else str(x)


# ------------------------------------------------------------------ statistics --

@functools.lru_cache(maxsize=256)
def t_quantile(p, df):
    """The p quantile of Student's t with df degrees of freedom: scipy.stats.t.ppf,
    polished by one Newton step on scipy's t.cdf. Debian 12's scipy 1.10 ppf (cephes
    stdtrit) is off by up to 4e-9 relative (df 5-80); its cdf is accurate, and the
    step brings the quantile to 1e-15, as GSL's in `sim compare` (tests/pystats_check.py).
    Kept per (p, df): a report asks for the same few some 200 times."""
    from scipy.stats import t as scipy_t   # here, so charts.py runs without scipy
    x = float(scipy_t.ppf(p, df))
    return x - (float(scipy_t.cdf(x, df)) - p) / float(scipy_t.pdf(x, df))


def paired(base, alt):
    """Mean paired difference alt - base with its 95% t interval (n - 1 df), as in
    sim/app/compare.c: dict base_mean, alt_mean, diff, lo, hi, rel, n, same (every
    difference equal: lo = hi, no interval behind it, never clear). Only the
    replications where both values are defined count (an undefined ratio is NaN), n
    says how many; all NaN when there is none."""
    b, a = np.asarray(base, float), np.asarray(alt, float)
    keep = ~(np.isnan(b) | np.isnan(a))
    b, a = b[keep], a[keep]
    n = len(b)
    if n == 0:
        nan = float("nan")
        return {"base_mean": nan, "alt_mean": nan, "diff": nan, "lo": nan, "hi": nan, "rel": nan, "n": 0, "same": False}
    d = a - b
    r = {"base_mean": b.sum() / n, "alt_mean": a.sum() / n, "n": n}
    same = bool(np.all(d == d[0]))
    r["same"] = same and n >= 2   # no spread: no interval, never "clear" (sim compare's "=")
    r["diff"] = float(d[0]) if same else d.sum() / n
    half = float("nan")
    if n >= 2:
        half = 0.0 if same else t_quantile(0.975, n - 1) * np.std(d, ddof=1) / math.sqrt(n)
    r["lo"], r["hi"] = r["diff"] - half, r["diff"] + half
    r["rel"] = r["diff"] / r["base_mean"] if r["base_mean"] != 0 else float("nan")
    return r


# -------------------------------------------------------------------- the files --

def write_atomic(path, data):
    """Write data (str as UTF-8, or bytes) under a temporary name in the same directory
    and rename: a reader never sees a half-written file, and a failure (a full disk, an
    interrupt) leaves any existing file untouched and no temporary behind."""
    tmp = "%s.partial-%d" % (path, os.getpid())
    try:
        with open(tmp, "wb") as out:
            out.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return path


def series_names(f):
    """The /series a --metric may name: the [replication][time][region] datasets, so no
    coordinate (region, replication, time, time_bnds, nv) however the file names it."""
    if "series" not in f:
        return []
    return sorted(k for k, d in f["series"].items() if getattr(d, "ndim", 0) == 3)


def metric_problem(metric, f):
    """None if /series/metric is a series of f (or f has no /series, said elsewhere), else
    the one-line reason with the nearest names and the allowed ones."""
    names = series_names(f)
    if "series" not in f or metric in names:
        return None
    if metric in f["series"]:
        return "--metric %s: /series/%s in %s is a coordinate, not a series (allowed: %s)" % (
            metric, metric, f.filename, ", ".join(names))
    near = [n for n in names if n in metric or metric in n] or difflib.get_close_matches(metric, names, 3, 0.6)
    hint = "did you mean %s? " % " or ".join(near) if near else ""
    return "--metric %s: %s has no /series/%s (%sallowed: %s)" % (metric, f.filename, metric, hint, ", ".join(names))


def open_checked(path):
    """Open a sim output file read-only after checking what every reader here needs;
    raises Refused naming the file."""
    import h5py
    if not os.path.exists(path):
        raise Refused("%s: no such file" % path)
    try:
        f = h5py.File(path, "r")
    except OSError:
        raise Refused("%s: not a readable HDF5 file (truncated, damaged or not HDF5)" % path)
    try:
        if f.id.get_create_plist().get_version()[0] < 2:   # superblock: see sim/io/out.c sim_out_verify
            raise Refused("%s: HDF5 metadata without checksums: not an output file of this sim (an earlier "
                          "sim's format 1, or rewritten by another tool such as h5repack); rerun the scenario" % path)
        if "format_version" not in f.attrs:
            raise Refused("%s: no format_version attribute (not an output file of sim)" % path)
        if int(f.attrs["format_version"]) > FORMAT_VERSION:
            raise Refused("%s: format_version %d is newer than this report reads (%d); use a newer sim"
                          % (path, int(f.attrs["format_version"]), FORMAT_VERSION))
        for a in ("model", "seed", "replications"):
            if a not in f.attrs:
                raise Refused("%s: no %s attribute (not an output file of sim)" % (path, a))
        if int(f.attrs["format_version"]) < 2:
            raise Refused("%s: format_version %d is older than this report reads (2); rerun the scenario"
                          % (path, int(f.attrs["format_version"])))
        if "contents" not in f.attrs:    # a whole file lists its datasets (sim/io/out.h)
            raise Refused("%s: its contents list is missing or unreadable (damaged file)" % path)
        for name in f.attrs["contents"]:
            name = name.decode() if isinstance(name, bytes) else str(name)
            if name not in f:
                raise Refused("%s: dataset /%s is missing (damaged file)" % (path, name))
        if "summary" in f and isinstance(f["summary"], h5py.Group):   # sim merge's layout
            raise Refused("%s: a merged sweep file (sim merge); this compares run files: give the sweep's "
                          "point files (DIR/point-NNNNN.h5) instead" % path)
        if "summary" not in f or f["summary"].dtype.names is None:
            raise Refused("%s: no /summary table (not an output file of sim, or an unfinished one)" % path)
        f["summary"][:]                 # a truncated file fails here rather than later
    except Refused:
        f.close()
        raise
    except (OSError, KeyError, ValueError) as err:
        f.close()
        raise Refused("%s: cannot read (%s)" % (path, err))
    return f


def period_words(f):
    """The simulated period as "ORIGIN to END" ("from ORIGIN" for a file without time_end)."""
    origin = text(f.attrs["time_origin"]) if "time_origin" in f.attrs else "?"
    return "%s to %s" % (origin, text(f.attrs["time_end"])) if "time_end" in f.attrs else "from " + origin


def check_period(base, alt):
    """Raise Refused (naming alt) when the two runs simulate different periods: origin,
    end (files with time_end) or the number of /series steps (as sim compare)."""
    fb, fa = base.filename, alt.filename
    differs = any(k in base.attrs and k in alt.attrs and text(base.attrs[k]) != text(alt.attrs[k])
                  for k in ("time_origin", "time_end"))
    nb = base["series/time"].shape[0] if "series/time" in base else 0
    na = alt["series/time"].shape[0] if "series/time" in alt else 0
    steps = "" if not (na and nb and na != nb) else " (%d series steps)" % na
    if differs or steps:
        raise Refused("%s: simulates %s%s, %s %s%s; paired differences need the same period (the scenarios' "
                      "origin and end)" % (fa, period_words(alt), steps, fb, period_words(base),
                                           " (%d)" % nb if steps else ""))


def check_draws(base, alt):
    """Raise Refused (naming alt) unless both runs drew the same parameter sets bit for bit
    or neither drew any (sim run --draw-parameters; as sim compare)."""
    fb, fa = base.filename, alt.filename
    hb, ha = "parameter_draws" in base, "parameter_draws" in alt
    if hb != ha:
        raise Refused("%s: ran %s parameter draws and %s %s (sim run --draw-parameters), so replication r would "
                      "differ in its parameters as well as its policy; run both with --draw-parameters or both "
                      "without" % (fa, "with" if ha else "without", fb, "with them" if hb else "without"))
    if hb and not np.array_equal(base["parameter_draws"][()], alt["parameter_draws"][()]):
        raise Refused("%s: its parameter draws differ from %s's (the same seed, replications and uncertainty list "
                      "are needed for replication r to draw the same set in both)" % (fa, fb))


def check_pair(base, alt):
    """Raise Refused (naming alt) unless alt pairs with base: model, seed, replications,
    population (when both files record it), the simulated period, the parameter draws,
    /summary fields and, when both have /series, the regions."""
    fb, fa = base.filename, alt.filename
    for a, what in (("model", "only runs of one model can be compared"),
                    ("seed", "paired differences need the same seed"),
                    ("replications", "replications are paired one to one")):
        vb, va = base.attrs[a], alt.attrs[a]
        if text(vb) != text(va):
            raise Refused("%s: %s %s differs from %s's %s; %s" % (fa, a, text(va), fb, text(vb), what))
    if "population_key" in base.attrs and "population_key" in alt.attrs \
            and text(base.attrs["population_key"]) == text(alt.attrs["population_key"]):
        pb, pa = float(base.attrs["population"]), float(alt.attrs["population"])
        if pb != pa:   # other people: nothing is paired, and every count differs by the scale alone
            digits = 15 if "%.15g" % pa != "%.15g" % pb else 17   # never two different values printed alike
            raise Refused("%s: population %s = %.*g differs from %s's %.*g; paired differences need the same "
                          "population (run both with the same --scale)"
                          % (fa, text(alt.attrs["population_key"]), digits, pa, fb, digits, pb))
    check_period(base, alt)
    check_draws(base, alt)
    if base["summary"].dtype.names != alt["summary"].dtype.names or base["summary"].shape != alt["summary"].shape:
        raise Refused("%s: /summary fields or rows differ from %s's; rows cannot be paired" % (fa, fb))
    if "series/region" in base and "series/region" in alt:
        if list(base["series/region"][:]) != list(alt["series/region"][:]):
            raise Refused("%s: region list differs from %s's" % (fa, fb))


def summary_column(f, name):
    return np.asarray(f["summary"][name], dtype=float)


def region_totals(f, name):
    """/series/<name> as [region][replication]: flows (units "persons per month") summed over
    time, stocks at the last step (sim compare --regions)."""
    d = f["series"][name]
    x = d[:].astype(float)
    flow = " per " in text(d.attrs.get("units", b""))   # older files say "per step"
    v = x.sum(axis=1) if flow else x[:, -1, :]
    return v.T


def region_names(f):
    if "series/region" in f:
        return [text(x).rstrip("\0") for x in f["series/region"][:]]
    return [text(x) for x in f["regions"]["name"]]


def param(f, path, default=float("nan")):
    """A numeric parameter from /parameters/values."""
    if "parameters/values" not in f:
        return default
    v = f["parameters/values"][:]
    hit = np.nonzero(v["path"] == path.encode())[0]
    return float(v["value"][hit[0]]) if len(hit) else default


# ------------------------------------------------------------- person level --

def _people(f, outcome):
    """Sorted subject keys (replication << 32 | person) traced in f, their region, and
    the sorted keys with the outcome (to_placed or to_durable) at least once."""
    from . import survival
    ev = survival.read_events(f)               # read once per open file, and so is what follows
    ukeys, region = survival.subjects(ev)
    kind = ev["codes"]["kind"]["to_placed" if outcome == "placed" else "to_durable"]   # from the file's enum
    hit = survival.memo(ev, ("hit", kind), lambda: np.unique(ev["key"][ev["kind"] == kind]))
    return ukeys, region, hit


def classify(base, alt, outcome="placed"):
    """Person-level classification of the subjects traced in both files. Returns a dict:
    keys (sorted subject keys), region, category (index into CATEGORIES) per subject,
    only_base/only_alt (subjects traced in one file only, e.g. extra inflow), sample."""
    if "events" not in base or "events" not in alt:
        raise Refused("%s: no /events (run both files with -d events)" % (alt.filename if "events" in base else base.filename))
    sb, sa = param(base, "output.sample"), param(alt, "output.sample")
    if not (sb == sa or (math.isnan(sb) and math.isnan(sa))):
        raise Refused("%s: traced share %g differs from %s's %g; use the same --sample" % (alt.filename, sa, base.filename, sb))
    kb, rb, hb = _people(base, outcome)
    ka, _, ha = _people(alt, outcome)
    keys = np.intersect1d(kb, ka, assume_unique=True)
    region = rb[np.searchsorted(kb, keys)]
    in_b, in_a = np.isin(keys, hb), np.isin(keys, ha)
    cat = np.where(in_b & in_a, 0, np.where(in_a, 1, np.where(in_b, 2, 3)))
    reps = int(base.attrs["replications"])
    names = base["summary"].dtype.names
    rep_ids = np.unique(base["summary"]["replication"]) if "replication" in names else np.arange(reps)
    return {"keys": keys, "region": region, "category": cat, "sample": sb,
            "only_base": len(kb) - len(keys), "only_alt": len(ka) - len(keys),
            "replications": reps, "rep_ids": rep_ids.astype(np.uint64)}


def region_table(c, names):
    """Per region and nationally: counts per category (mean per replication, scaled by
    1/sample to the simulated population: gained, lost, net_effect, placed_*), deadweight share = both / (both +
    policy_only) and net effect = policy_only - base_only, with its 95% t interval over
    replications (net_lo, net_hi, net_n, net_same: paired() of the scaled per-replication
    counts base_only and policy_only, n - 1 df, a replication without such people counting
    0; NaN with fewer than 2 replications). List of dicts."""
    reps = max(c["replications"], 1)
    scale = 1.0 / c["sample"] if c["sample"] and c["sample"] > 0 and not math.isnan(c["sample"]) else 1.0
    rep = np.asarray(c["keys"], dtype=np.uint64) >> np.uint64(32)            # each subject's replication
    ids = np.union1d(np.asarray(c.get("rep_ids", np.arange(reps)), dtype=np.uint64), rep)
    rix = np.searchsorted(ids, rep)
    rows = []
    for i, name in enumerate(list(names) + ["National"]):
        sel = c["region"] == i if i < len(names) else np.ones(len(c["region"]), bool)
        n = np.bincount(c["category"][sel], minlength=4)
        row = {"region": name, "traced": int(sel.sum())}
        row.update({k: int(v) for k, v in zip(CATEGORIES, n)})
        with_policy = n[0] + n[1]
        row["deadweight_share"] = n[0] / with_policy if with_policy else float("nan")
        row["gained"] = n[1] * scale / reps           # policy_only per replication, scaled
        row["lost"] = n[2] * scale / reps             # base_only per replication, scaled
        row["net_effect"] = row["gained"] - row["lost"]
        per_rep = [np.bincount(rix[sel & (c["category"] == k)], minlength=len(ids)) * scale for k in (2, 1)]
        p = paired(*per_rep)               # base_only, policy_only per replication: diff = net per replication
        row.update(net_lo=p["lo"], net_hi=p["hi"], net_n=p["n"], net_same=p["same"])
        row["placed_base"] = (n[0] + n[2]) * scale / reps
        row["placed_alt"] = with_policy * scale / reps
        rows.append(row)
    return rows


def holm(rows):
    """Holm-adjusted p-values (statsmodels) of the paired t tests of `rows`, dicts from
    paired(): the family-wise error over all of them stays at the level. A row with
    fewer than 2 replications or no spread (the same difference in every replication)
    has no test: NaN, and it is left out of the family."""
    from scipy import stats
    from statsmodels.stats.multitest import multipletests
    p = np.full(len(rows), np.nan)
    for i, r in enumerate(rows):
        half = r["hi"] - r["diff"]
        if r["n"] >= 2 and half > 0:
            se = half / t_quantile(0.975, r["n"] - 1)
            p[i] = 2 * stats.t.sf(abs(r["diff"]) / se, r["n"] - 1)
    ok = ~np.isnan(p)
    if ok.any():
        p[ok] = multipletests(p[ok], alpha=0.05, method="holm")[1]
    return p


def clear(r):
    """A paired contrast (paired()) whose 95% interval excludes zero, with spread behind it
    (the same rule as sim compare's star)."""
    return bool((r["lo"] > 0 or r["hi"] < 0) and not r.get("same"))


def fieller(c, d, level=0.95):
    """Fieller's interval for mean(c) / mean(d) from paired per-replication values c, d
    (replications where either is NaN are left out): the R with
    (mean c - R mean d)^2 <= t^2 Var(mean c - R mean d), Var from the sample
    covariance of (c, d) and t the two-sided t quantile with n - 1 df. Returns
    (lo, hi), or (nan, nan) when the set is not a bounded interval: fewer than 2
    replications, or mean(d) not distinguishable from 0 at this level (then the
    ratio can be any size). Fieller, J. R. Stat. Soc. B 16 (1954) 175-185."""
    c, d = np.asarray(c, float), np.asarray(d, float)
    keep = ~(np.isnan(c) | np.isnan(d))
    c, d = c[keep], d[keep]
    n = len(c)
    nan = float("nan")
    if n < 2:
        return nan, nan
    cm, dm = c.sum() / n, d.sum() / n
    cov = np.cov(np.vstack([c, d]), ddof=1) / n   # covariance of the two means
    t2 = t_quantile(0.5 + level / 2, n - 1) ** 2
    a = dm * dm - t2 * cov[1, 1]
    if not a > 0:
        return nan, nan
    b = cm * dm - t2 * cov[0, 1]
    disc = max(b * b - a * (cm * cm - t2 * cov[0, 0]), 0.0)   # >= 0 up to rounding: cm / dm is inside
    root = math.sqrt(disc)
    return (b - root) / a, (b + root) / a


def cost_per_additional(base, alt):
    """Difference in mean cost_total over the difference in mean durable placements
    (from /summary), with both paired contrasts and Fieller's 95% interval of the
    ratio (lo, hi); ratio NaN when durable placements do not change. ratio_defined
    is False when the durable interval includes 0 (the ratio is then not bounded,
    and lo, hi are NaN)."""
    bc, ac = summary_column(base, "cost_total"), summary_column(alt, "cost_total")
    bd, ad = summary_column(base, "durable_placements"), summary_column(alt, "durable_placements")
    cost, dur = paired(bc, ac), paired(bd, ad)
    ratio = cost["diff"] / dur["diff"] if dur["diff"] != 0 else float("nan")
    defined = clear(dur)
    lo, hi = fieller(np.asarray(ac, float) - bc, np.asarray(ad, float) - bd) if defined else (float("nan"),) * 2
    return {"cost": cost, "durable": dur, "ratio": ratio, "lo": lo, "hi": hi, "ratio_defined": defined}


# ----------------------------------------------------------------------- CLI --

def main(argv=None):
    ap = argparse.ArgumentParser(prog="python3 -m analysis.counterfactual", description="Person-level counterfactual between a baseline and a policy file.")
    ap.add_argument("base")
    ap.add_argument("alt")
    ap.add_argument("--outcome", choices=["placed", "durable"], default="placed")
    ap.add_argument("--csv", action="store_true")
    a = ap.parse_args(argv)
    try:
        base = open_checked(a.base)
        alt = open_checked(a.alt)
        check_pair(base, alt)
        c = classify(base, alt, a.outcome)
        rows = region_table(c, region_names(base))
        cpa = cost_per_additional(base, alt)
    except Refused as err:
        print("counterfactual.py: %s" % err, file=sys.stderr)
        return 1
    cols = ["region", "traced"] + list(CATEGORIES) + ["deadweight_share", "net_effect", "placed_base", "placed_alt",
                                                      "net_lo", "net_hi"]
    if a.csv:
        print(",".join(cols))
        for r in rows:
            print(",".join('"%s"' % r[k] if k == "region" else "%.6g" % r[k] for k in cols))
        return 0
    print("outcome: %s; %d subjects traced in both files (sample %g); %d only in BASE, %d only in ALT"
          % (a.outcome, len(c["keys"]), c["sample"], c["only_base"], c["only_alt"]))
    n = c["replications"]
    print("net effect and placed: mean per replication, scaled to the simulated population; %s"
          % ("95%% t interval of the net effect over %d replications (%d df)" % (n, n - 1) if n >= 2
             else "1 replication: no interval (n/a)"))
    print("%-28s %8s %8s %8s %8s %8s %10s %10s %21s" % ("region", "traced", "both", "policy", "base", "neither", "deadweight",
                                                       "net", "net 95% CI"))
    for r in rows:
        ci = "[%.1f, %.1f]" % (r["net_lo"], r["net_hi"]) if not math.isnan(r["net_lo"]) else "n/a"
        print("%-28s %8d %8d %8d %8d %8d %9.1f%% %10.1f %21s" % (r["region"][:28], r["traced"], r["both"], r["policy_only"],
              r["base_only"], r["neither"], 100 * r["deadweight_share"], r["net_effect"], ci))
    if cpa["ratio_defined"]:
        print("cost per additional durable placement: %.0f EUR, 95%% interval [%.0f, %.0f] (Fieller; cost %+.0f, "
              "durable placements %+.1f [%.1f, %.1f])" % (cpa["ratio"], cpa["lo"], cpa["hi"], cpa["cost"]["diff"],
                                                          cpa["durable"]["diff"], cpa["durable"]["lo"], cpa["durable"]["hi"]))
    else:
        print("cost per additional durable placement: not defined, the change in durable placements %+.1f [%.1f, %.1f] "
              "cannot be told apart from 0 (cost %+.0f)" % (cpa["durable"]["diff"], cpa["durable"]["lo"],
                                                            cpa["durable"]["hi"], cpa["cost"]["diff"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
