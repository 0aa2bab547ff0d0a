#!/usr/bin/env python3
"""compare_check.py: independent checks of `sim compare` output for tests/test_compare.sh.

  compare_check.py ci BASE.h5 ALT.h5 OUT.csv [--regions]
      recompute every row of the CSV from the HDF5 files with numpy (paired
      differences, t interval with n-1 df) and compare to 1e-9 relative
  compare_check.py holm OUT.csv          p_holm is Holm's adjustment of p over each family
  compare_check.py zero OUT.csv          every diff and interval is exactly 0
  compare_check.py effect OUT.csv METRIC +|-
      the /summary row METRIC has a diff of that sign and an interval excluding 0
  compare_check.py json OUT.json OUT.csv  the JSON is strict JSON with the CSV's rows
  compare_check.py undefined OUT.json ZERO_METRIC NAN_METRIC REPS
      rel_change is null where the base mean is 0; a NaN in one replication leaves
      the row over the REPS - 1 others, with n = REPS - 1
  compare_check.py param FILE.h5 PATH    print a numeric parameter from /parameters/values
  compare_check.py damage SRC.h5 ALT.h5  write the damaged copies test_compare.sh refuses

The t quantile comes from the closed-form Student t CDF for integer degrees of
freedom (Abramowitz & Stegun 26.7.3-4) inverted by bisection, and is also
compared with scipy.stats.t when scipy is importable. Prints FAIL lines and
"N passed, M failed"; exit 1 on any failure."""
import csv
import json
import math
import shutil
import sys

import h5py
import numpy as np

RTOL = 1e-9
passed = failed = 0


STATS = ("base_mean", "alt_mean", "diff", "ci_low", "ci_high", "rel_change", "rel_low", "rel_high")

def check(cond, msg):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAIL: " + msg)
    return cond


def text(v):
    return v.decode().rstrip("\0") if isinstance(v, (bytes, np.bytes_)) else str(v)


# ------------------------------------------------------------ t quantile --

def t_two_sided(t, df):
    """P(|T| < t) for Student's t with integer df >= 1."""
    theta = math.atan(t / math.sqrt(df))
    c2, s = math.cos(theta) ** 2, math.sin(theta)
    if df % 2 == 1:
        total = term = math.cos(theta) if df > 1 else 0.0
        for k in range(1, (df - 3) // 2 + 1):
            term *= c2 * (2 * k) / (2 * k + 1)
            total += term
        return 2 / math.pi * (theta + s * total)
    total = term = 1.0
    for k in range(1, (df - 2) // 2 + 1):
        term *= c2 * (2 * k - 1) / (2 * k)
        total += term
    return s * total


def t_quantile_975(df):
    lo, hi = 0.0, 1e4
    for _ in range(200):
        mid = (lo + hi) / 2
        if t_two_sided(mid, df) < 0.95:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def check_quantile(df):
    q = t_quantile_975(df)
    try:
        from scipy.stats import t as student
    except ImportError:
        return q
    ref = float(student.ppf(0.975, df))
    # The closed form is solved numerically like GSL's gsl_cdf_tdist_Pinv; both agree
    # with scipy to about 4e-10 relative, which is far below any reported digit.
    check(abs(q - ref) <= 1e-8 * ref, "t quantile df=%d: closed form %.17g, scipy %.17g" % (df, q, ref))
    return q


# ------------------------------------------------------------ expectations --

def metrics(f, regions):
    """(metric, region or '', values per replication) in the order sim compare uses."""
    s = f["summary"][()]
    out = [(n, "", s[n].astype(float)) for n in s.dtype.names if n != "replication"]
    if regions:
        g = f["series"]
        names = [text(x) for x in g["region"][()]]
        for k in sorted(g):
            d = g[k]
            if d.ndim != 3:
                continue
            x = d[()]
            per_step = " per " in text(d.attrs.get("units", b""))   # "persons per month" (format 2 before: "per step")
            v = x.sum(axis=1) if per_step else x[:, -1, :]
            out += [(k, names[c], v[:, c]) for c in range(len(names))]
    return out


def expected(b, a, q):
    """Over the replications where both values are defined (an undefined ratio is
    NaN): n counts them; all NaN when there is none. q: the quantile for len(b) - 1 df."""
    keep = ~(np.isnan(b) | np.isnan(a))
    if not keep.all():
        b, a = b[keep], a[keep]
        q = t_quantile_975(len(b) - 1) if len(b) >= 2 else math.nan
    d = a - b
    n = len(d)
    if n == 0:
        r = {k: math.nan for k in STATS}
        r["n"] = 0
        return r, {k: 0.0 for k in r}, False
    r = {"base_mean": b.mean(), "alt_mean": a.mean(), "diff": d.mean(), "n": n}
    half = 0.0 if np.all(d == d[0]) else q * d.std(ddof=1) / math.sqrt(n) if n >= 2 else math.nan
    r["ci_low"], r["ci_high"] = (r["diff"] - half, r["diff"] + half) if n >= 2 else (math.nan, math.nan)
    r["rel_change"] = r["diff"] / r["base_mean"] if r["base_mean"] != 0 else math.nan
    # the relative change's interval by Fieller: the ratios th = mean(a) / mean(b) whose t test of
    # mean(a - th b) = 0 does not reject, the roots of a quadratic in th (numpy's covariance and
    # polynomial roots here; sim sums per replication), in units of the base mean; undefined
    # (NaN) when the base mean's own interval reaches 0
    r["rel_low"] = r["rel_high"] = math.nan
    rhalf = 0.0
    if n >= 2 and r["base_mean"] != 0:
        bm = r["base_mean"]
        c = np.cov(np.vstack([a / bm, b / bm]), ddof=1)
        ma, k = r["alt_mean"] / bm, q * q / n
        quad = [1.0 - k * c[1, 1], -2.0 * (ma - k * c[0, 1]), ma * ma - k * c[0, 0]]
        if quad[0] > 0:
            disc = max(0.0, quad[1] ** 2 - 4 * quad[0] * quad[2])
            roots = sorted(((-quad[1] - s * math.sqrt(disc)) / (2 * quad[0]) for s in (1, -1)))
            r["rel_low"], r["rel_high"] = roots[0] - 1.0, roots[1] - 1.0
            if np.all(a >= 0) and np.all(b >= 0):   # no ratio of non-negative means lies below 0
                r["rel_low"] = max(r["rel_low"], -1.0)
            rhalf = roots[1] - roots[0]
    dmax = float(np.max(np.abs(d))) if n else 0.0
    scale = {"base_mean": np.max(np.abs(b)), "alt_mean": np.max(np.abs(a)), "diff": dmax,
             "ci_low": max(dmax, half), "ci_high": max(dmax, half),
             "rel_change": dmax / abs(r["base_mean"]) if r["base_mean"] else 0.0}
    scale["rel_low"] = scale["rel_high"] = max(scale["rel_change"], abs(rhalf) if math.isfinite(rhalf) else 0.0)
    return r, scale, bool(np.all(d == d[0]))


def number(s):
    return math.nan if s == "n/a" else float(s)


def close(got, want, scale):
    if math.isnan(want):
        return math.isnan(got)
    return abs(got - want) <= RTOL * max(abs(want), scale)


def mode_ci(base, alt, out_csv, regions):
    """One check per column over all rows; failures name the first offending rows."""
    with h5py.File(base, "r") as fb, h5py.File(alt, "r") as fa:
        mb, ma = metrics(fb, regions), metrics(fa, regions)
    rows = list(csv.DictReader(open(out_csv, newline="")))
    order = [(r["metric"], r["region"]) for r in rows]
    if not check(order == [(m, r) for m, r, _ in mb], "CSV rows are every metric (x region) of %s in order" % base):
        return
    q = check_quantile(len(mb[0][2]) - 1)
    bad = {k: [] for k in ("n",) + STATS + ("[d, d]",)}
    for row, (name, region, b), (_, _, a) in zip(rows, mb, ma):
        where = "%s[%s]" % (name, region)
        want, scale, same = expected(b, a, q)
        if int(row["n"]) != want["n"]:
            bad["n"].append("%s: %s" % (where, row["n"]))
        for k in STATS:
            got = number(row[k])
            if not close(got, want[k], scale[k]):
                bad[k].append("%s: %.17g, numpy %.17g" % (where, got, want[k]))
        if same and not number(row["ci_low"]) == number(row["ci_high"]) == number(row["diff"]):
            bad["[d, d]"].append(where)
    for k, v in bad.items():
        what = "identical differences give exactly [d, d]" if k == "[d, d]" else "%s within %g relative of numpy" % (k, RTOL)
        check(not v, "%s in all %d rows; not in %d: %s" % (what, len(rows), len(v), "; ".join(v[:3])))
    check_p(rows, mb, ma)


def expected_p(b, a):
    """Two-sided p of the paired t test of mean(a - b) = 0 over the defined pairs, from the
    closed-form t CDF; NaN with fewer than 2 pairs or no spread."""
    keep = ~(np.isnan(b) | np.isnan(a))
    d = a[keep] - b[keep]
    if len(d) < 2 or np.all(d == d[0]):
        return math.nan
    t = abs(d.mean()) / (d.std(ddof=1) / math.sqrt(len(d)))
    return 1.0 - t_two_sided(t, len(d) - 1)


def holm(ps):
    """Holm's step-down adjustment written out: sorted ascending, p_(j) -> max over i <= j of
    min(1, (k - i) p_(i)) with i, j from 0."""
    order = sorted(range(len(ps)), key=lambda i: ps[i])
    out, run = [0.0] * len(ps), 0.0
    for j, i in enumerate(order):
        run = max(run, min(1.0, (len(ps) - j) * ps[i]))
        out[i] = run
    return out


def check_p(rows, mb, ma):
    """The p column against the closed-form t CDF (1e-12 absolute, 1e-6 relative), and
    p_holm against Holm's adjustment of the CSV's own p over each family: the /summary rows
    (region empty) together, the national window rows together, one series over the regions."""
    bad = []
    for row, (name, region, b), (_, _, a) in zip(rows, mb, ma):
        want, got = expected_p(b, a), number(row["p"])
        if not ((math.isnan(want) and math.isnan(got)) or abs(got - want) <= 1e-12 + 1e-6 * abs(want)):
            bad.append("%s[%s]: %.17g, t CDF %.17g" % (name, region, got, want))
    check(not bad, "p is the paired t test's two-sided p in all %d rows; not in %d: %s"
          % (len(rows), len(bad), "; ".join(bad[:3])))
    check_holm(rows)


def check_holm(rows):
    """p_holm against Holm's adjustment of the CSV's own p over each family."""
    family = lambda r: r["region"] if r["region"] in ("", "national") else "series " + r["metric"]
    bad = []
    for fam_id in dict.fromkeys(family(r) for r in rows):
        fam = [r for r in rows if family(r) == fam_id and not math.isnan(number(r["p"]))]
        for r, want in zip(fam, holm([number(r["p"]) for r in fam])):
            if abs(number(r["p_holm"]) - want) > 1e-12 * max(1.0, want):
                bad.append("%s[%s]: %s, Holm %.17g" % (r["metric"], r["region"], r["p_holm"], want))
        bad += ["%s[%s]: p_holm %s without a test" % (r["metric"], r["region"], r["p_holm"])
                for r in rows if family(r) == fam_id and math.isnan(number(r["p"])) and r["p_holm"] != "n/a"]
    check(not bad, "p_holm is Holm's adjustment over each family (/summary, national window, one series over "
          "the regions); not in %d: %s" % (len(bad), "; ".join(bad[:3])))


def mode_zero(out_csv):
    rows = list(csv.DictReader(open(out_csv, newline="")))
    check(len(rows) > 0, "zero-effect CSV has rows")
    bad = [r["metric"] + "[" + r["region"] + "]" for r in rows
           if not (r["diff"] == r["ci_low"] == r["ci_high"] == "0" and r["rel_change"] in ("0", "n/a"))]
    check(not bad, "zero effect: diff and interval exactly 0 (not so for %s)" % bad[:5])


def mode_effect(out_csv, metric, sign):
    rows = [r for r in csv.DictReader(open(out_csv, newline="")) if r["metric"] == metric and r["region"] == ""]
    if not check(len(rows) == 1, "one /summary row for %s" % metric):
        return
    r = rows[0]
    d, lo, hi = number(r["diff"]), number(r["ci_low"]), number(r["ci_high"])
    if sign == "+":
        check(d > 0 and lo > 0, "%s: diff %g > 0 with interval [%g, %g] above 0" % (metric, d, lo, hi))
    else:
        check(d < 0 and hi < 0, "%s: diff %g < 0 with interval [%g, %g] below 0" % (metric, d, lo, hi))


def strict_json(path):
    def no_constant(name):
        raise ValueError("not JSON: " + name)
    return json.loads(open(path).read(), parse_constant=no_constant)


def mode_json(out_json, out_csv):
    try:
        data = strict_json(out_json)
    except ValueError as e:
        check(False, "%s parses as strict JSON: %s" % (out_json, e))
        return
    rows = list(csv.DictReader(open(out_csv, newline="")))
    if not check(isinstance(data, list) and len(data) == len(rows), "JSON array with one object per CSV row"):
        return
    check(all(set(obj) == set(rows[0]) | {"same"} for obj in data),
          "every JSON object has the CSV columns as keys, and 'same'")
    check(all(isinstance(obj["same"], bool) and obj["same"] == (obj["n"] >= 2 and obj["ci_low"] is not None
                                                                 and obj["ci_low"] == obj["ci_high"])
              for obj in data), "'same' is a boolean, true exactly where the interval has no spread")
    differ = []
    for obj, row in zip(data, rows):
        same = obj.get("metric") == row["metric"] and (obj.get("region") or "") == row["region"]
        for k in STATS:
            v, c = obj.get(k), number(row[k])
            same &= (v is None and math.isnan(c)) or (v is not None and v == c)
        same &= obj.get("same") == (row["same"] == "1")
        if not (same and obj.get("n") == int(row["n"])):
            differ.append("%s[%s]" % (row["metric"], row["region"]))
    check(not differ, "JSON values equal the CSV values (null for n/a); differ: %s" % differ[:3])


def mode_undefined(out_json, zero_metric, nan_metric, reps):
    reps = int(reps)
    data = {o["metric"]: o for o in strict_json(out_json) if o["region"] is None}
    z, n = data.get(zero_metric), data.get(nan_metric)
    check(z is not None and z["base_mean"] == 0 and z["rel_change"] is None,
          "base mean 0: rel_change is null (%s)" % z)
    check(n is not None and n["n"] == reps - 1 and None not in (n["alt_mean"], n["diff"], n["ci_low"]),
          "a NaN in one replication: the row is over the %d others, n says so (%s)" % (reps - 1, n))


def mode_param(path, key):
    with h5py.File(path, "r") as f:
        v = f["parameters/values"][()]
    values = {text(p): float(x) for p, x in zip(v["path"], v["value"])}
    if key not in values:
        sys.exit("no parameter %s in %s" % (key, path))
    print(repr(values[key]))


def rewrite_summary(path, change):
    with h5py.File(path, "r+") as f:
        s = f["summary"][()]
        attrs = dict(f["summary"].attrs)
        s = change(s)
        del f["summary"]
        f["summary"] = s
        for k, v in attrs.items():
            f["summary"].attrs[k] = v


def mode_damage(src, alt):
    """nosum.h5, newer.h5, fields.h5, regions.h5, lost.h5, nolist.h5, earliest.h5, shift.h5
    from src; zero_a/zero_b.h5 from src and alt."""
    for name in ("nosum", "newer", "fields", "regions", "zero_a", "lost", "nolist"):
        shutil.copy(src, name + ".h5")
    shutil.copy(alt, "zero_b.h5")
    with h5py.File("nosum.h5", "r+") as f:
        del f["summary"]
    with h5py.File("lost.h5", "r+") as f:          # as if a damaged header dropped a link
        del f["series/placements"]
    with h5py.File("nolist.h5", "r+") as f:
        del f.attrs["contents"]
    # the same objects in HDF5's earliest format: no metadata checksums (like format 1)
    with h5py.File(src, "r") as f, h5py.File("earliest.h5", "w", libver="earliest") as g:
        for name in f:
            f.copy(f[name], g, name)
        for k, v in f.attrs.items():
            g.attrs[k] = v
    with h5py.File("newer.h5", "r+") as f:
        f.attrs["format_version"] = np.int32(int(f.attrs["format_version"]) + 1)
    with h5py.File("regions.h5", "r+") as f:
        f["series/region"][1] = b"Atlantis"
    rewrite_summary("fields.h5", lambda s: s[list(s.dtype.names[:-1])])
    with h5py.File(src, "r") as f:
        zero, nan = f["summary"].dtype.names[1:3]

    def set_zero(s):
        s[zero] = 0.0
        return s

    def set_zero_and_nan(s):
        s[nan][0] = math.nan
        return set_zero(s)
    def shift(s):
        s[zero] = s[zero] + 5.0
        return s
    rewrite_summary("zero_a.h5", set_zero)
    rewrite_summary("zero_b.h5", set_zero_and_nan)
    shutil.copy(src, "shift.h5")
    rewrite_summary("shift.h5", shift)   # the same difference, +5, in every replication
    print(zero, nan)


def main():
    mode, args = sys.argv[1], sys.argv[2:]
    if mode == "param":
        return mode_param(*args)
    if mode == "damage":
        return mode_damage(*args)
    if mode == "ci":
        mode_ci(args[0], args[1], args[2], "--regions" in args[3:])
    elif mode == "holm":
        check_holm(list(csv.DictReader(open(args[0], newline=""))))
    elif mode == "zero":
        mode_zero(*args)
    elif mode == "effect":
        mode_effect(*args)
    elif mode == "json":
        mode_json(*args)
    elif mode == "undefined":
        mode_undefined(*args)
    else:
        sys.exit("unknown mode " + mode)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
