#!/bin/sh
# test_analysis.sh: the Python analysis layer (analysis/*.py) and `sim report` on small
# labour-market runs (scale 0.05, 6 replications, 20% of people traced): Kaplan-Meier
# against a hand-computed example, event-to-duration logic on a hand-made table, the
# person-level counterfactual (categories add up; a zero-effect twin has no effect),
# paired intervals against `sim compare`, PNG charts, the HTML report (sections,
# embedded images, tag balance, optional headless Chromium screenshot), refusals, and
# the one-line readers of analysis/README.md where pandas/xarray/R are installed; the
# analysis package runs as python3 -m analysis.NAME with no sys.path edits.
set -u
. "$(dirname "$0")/lib.sh"   # ROOT, BUILD, SIM; ok, no, check, checks, skip, die, finish

PY=""
for p in python3 /usr/bin/python3; do
  command -v "$p" >/dev/null 2>&1 && "$p" -c 'import h5py, numpy, matplotlib' >/dev/null 2>&1 && { PY=$p; break; }
done
[ -n "$PY" ] || die "no python3 with h5py, numpy and matplotlib (apt-get install python3-h5py python3-matplotlib)"
[ -x "$SIM" ] || die "no $SIM (run make all)"
# apy ARGS...: that python3 with the repository (and tests/, for report_tables) on PYTHONPATH, so the analysis package
# imports and runs as `python3 -m analysis.NAME` from this scratch directory
apy() { PYTHONPATH="$ROOT:$ROOT/tests${PYTHONPATH:+:$PYTHONPATH}" "$PY" "$@"; }
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 1
export PYTHONDONTWRITEBYTECODE=1 MPLCONFIGDIR="$T/mpl"

# pycheck DESCRIPTION ARGS...: run check.py; each "ok ..." line passes, each "FAIL ..." fails
pycheck() {
  d=$1; shift
  apy check.py "$@" >py.out 2>&1; prc=$?
  n_ok=$(grep -c '^ok ' py.out); n_no=$(grep -c '^FAIL' py.out)
  grep -v '^ok ' py.out | sed "s/^/  [$d] /"
  pass=$((pass + n_ok)); fail=$((fail + n_no))
  checks "$d: checker ran to the end" '[ "$prc" -eq 0 ] && [ "$n_ok" -gt 0 ]'
}

cat >check.py <<'EOF'
import base64, math, os, re, sys
from html.parser import HTMLParser
import numpy as np

def check(desc, cond):
    print(("ok " if cond else "FAIL ") + desc)

def close(a, b, tol=1e-9):
    return np.allclose(np.asarray(a, float), np.asarray(b, float), rtol=tol, atol=tol, equal_nan=True)

def km_hand():
    from analysis import survival as sv
    # times 1, 2, 2, 3, 5; the second 2 and the 5 censored. By hand:
    # t=1: n=5 d=1 S=4/5; t=2: n=4 d=1 S=4/5*3/4=0.6; t=3: n=2 d=1 S=0.3
    # Greenwood sums: 1/20, 1/20+1/12, 1/20+1/12+1/2 -> Var = S^2 * sum = 0.032, 0.048, 0.057
    k = sv.kaplan_meier([1, 2, 2, 3, 5], [1, 1, 0, 1, 0], conf="plain")
    check("KM event times", close(k["t"], [1, 2, 3]))
    check("KM at risk", close(k["n"], [5, 4, 2]) and close(k["d"], [1, 1, 1]))
    check("KM survival 0.8, 0.6, 0.3", close(k["S"], [0.8, 0.6, 0.3]))
    check("Greenwood variance 0.032, 0.048, 0.057", close(k["se"] ** 2, [0.032, 0.048, 0.057]))
    z = 1.959963984540054
    check("plain band clipped to [0, 1]", close(k["lo"], [0.8 - z * 0.032 ** .5, 0.6 - z * 0.048 ** .5, 0.0])
          and close(k["hi"], [1.0, 1.0, 0.3 + z * 0.057 ** .5]))
    kl = sv.kaplan_meier([1, 2, 2, 3, 5], [1, 1, 0, 1, 0], conf="loglog")
    s, v = 0.6, 0.048
    sel = math.sqrt(v) / s / abs(math.log(s))
    check("log-log band at t=2", close([kl["lo"][1], kl["hi"][1]],
          [s ** math.exp(z * sel), s ** math.exp(-z * sel)]))
    check("median 3, S(2.5) 0.6, S(0.5) 1", sv.km_median(k) == 3 and close(sv.km_at(k, 2.5), 0.6) and sv.km_at(k, 0.5) == 1.0)
    n = sv.kaplan_meier([4, 7], [0, 0])
    check("all censored: no event times, median n/a", len(n["t"]) == 0 and math.isnan(sv.km_median(n)))

def durations_hand():
    from analysis import survival as sv
    P, IV, PL, DU, EO, NA, NV, POOL = 0, 1, 5, 6, 8, 9, 0, 4
    # (person, time, kind, from, to); replication 0; horizon 3653
    rows = [(1, 0, NV, NA, NV), (1, 10, IV, NV, IV), (1, 40, PL, POOL, PL), (1, 100, IV, PL, IV), (1, 200, PL, POOL, PL),
            (2, 0, NV, NA, NV), (2, 5, IV, NV, IV), (2, 65, EO, IV, EO),
            (3, 0, NV, NA, NV), (3, 3650, IV, NV, IV),
            (4, 0, NV, NA, NV),
            (5, 0, NV, NA, NV), (5, 1, IV, NV, IV), (5, 2, PL, IV, PL), (5, 367, DU, PL, DU),
            (6, 0, NV, NA, NV), (6, 3, IV, NV, IV), (6, 5, PL, POOL, PL), (6, 65, PL, PL, PL), (6, 205, IV, PL, IV),
            (7, 0, NV, NA, NV), (7, 3, IV, NV, IV), (7, 5, PL, POOL, PL), (7, 65, POOL, PL, POOL)]
    ev = {"key": np.array([r[0] for r in rows], np.uint64), "time": np.array([r[1] for r in rows], float),
          "region": np.zeros(len(rows), int), "kind": np.array([r[2] for r in rows]),
          "from": np.array([r[3] for r in rows]), "to": np.array([r[4] for r in rows]),
          "codes": {"kind": {"to_not_in_view": NV, "to_in_view": IV, "to_pool": POOL, "to_placed": PL,
                             "to_durable": DU, "to_exit_work": 7, "to_exit_other": EO},
                    "state": {"not_in_view": NV, "in_view": IV, "matching_pool": POOL, "placed": PL,
                              "durable_work": DU, "exit_other": EO, "not_arrived": NA}}}
    m = sv.DAYS_PER_MONTH
    t, e, *_ = sv.durations(ev, "placement", 3653.0)
    check("time to placement: 30 d event, 60 d censored (exit), 3 d censored (horizon), 1, 2, 2 d events",
          close(t * m, [30, 60, 3, 1, 2, 2]) and list(e) == [True, False, False, True, True, True])
    t, e, *_ = sv.durations(ev, "placement", 3653.0, origin="caseload")
    check("from arrival on the caseload: 40, 65, 3653, 2, 5, 5 days; person 4 censored at the horizon",
          close(t * m, [40, 65, 3653, 3653, 2, 5, 5]) and list(e) == [True, False, False, False, True, True, True])
    t, e, *_ = sv.durations(ev, "jobloss", 3653.0)
    check("time to job loss: 60 d event, 365 d censored (durable), 200 d event through a conversion, 60 d censored (unconverted)",
          close(t * m, [60, 365, 200, 60]) and list(e) == [True, False, True, False])

def counterfactual(base, pol, twin, sample):
    import h5py
    from analysis import counterfactual as cf
    b, p, z = cf.open_checked(base), cf.open_checked(pol), cf.open_checked(twin)
    names = cf.region_names(b)
    e = b["events"][:]
    traced = len(np.unique(e["replication"].astype(np.uint64) << np.uint64(32) | e["person"].astype(np.uint64)))
    for outcome in ("placed", "durable"):
        c = cf.classify(b, p, outcome)
        rows = cf.region_table(c, names)
        nat = rows[-1]
        check("%s: every traced person in exactly one category" % outcome,
              len(c["keys"]) == traced and sum(nat[k] for k in cf.CATEGORIES) == traced == nat["traced"])
        check("%s: region rows add up to the national row" % outcome,
              all(sum(r[k] for r in rows[:-1]) == nat[k] for k in cf.CATEGORIES))
        check("%s: the policy places people who would not have been placed" % outcome, nat["policy_only"] > 0)
        check("%s: deadweight share in (0, 1)" % outcome, 0 < nat["deadweight_share"] < 1)
        placed_b = len(np.unique((e["replication"].astype(np.uint64) << np.uint64(32) | e["person"].astype(np.uint64))[
            e["kind"] == (5 if outcome == "placed" else 6)]))
        check("%s: both + base_only = traced people with the outcome in BASE" % outcome,
              nat["both"] + nat["base_only"] == placed_b)
        ct = cf.classify(b, z, outcome)
        nz = cf.region_table(ct, names)[-1]
        check("%s: zero-effect twin: no net effect, no displacement, deadweight 100%%" % outcome,
              nz["policy_only"] == 0 and nz["base_only"] == 0 and nz["net_effect"] == 0 and nz["deadweight_share"] == 1.0)
    cpa = cf.cost_per_additional(b, p)
    check("cost per additional durable placement = d cost / d durable, positive",
          cpa["ratio"] > 0 and close(cpa["ratio"], (cf.summary_column(p, "cost_total").mean() - cf.summary_column(b, "cost_total").mean())
                                     / (cf.summary_column(p, "durable_placements").mean() - cf.summary_column(b, "durable_placements").mean()), 1e-9))
    check("twin: cost per additional durable placement undefined", not cf.cost_per_additional(b, z)["ratio_defined"])
    check("cost per additional durable placement: Fieller's interval holds the ratio",
          cpa["lo"] <= cpa["ratio"] <= cpa["hi"] and cpa["lo"] < cpa["hi"])
    # Fieller's set found independently: the R on a fine grid where the t statistic of
    # mean(c) - R mean(d) is within the t quantile (scipy), against the closed form.
    rng = np.random.default_rng(7)
    dd = 40 + 10 * rng.standard_normal(6)
    cc = 9000 * dd + 60000 * rng.standard_normal(6)
    lo, hi = cf.fieller(cc, dd)
    from scipy import stats
    tq = stats.t.ppf(0.975, 5)
    grid = np.linspace(lo - 0.5 * (hi - lo), hi + 0.5 * (hi - lo), 200001)
    inside = [abs((cc - r * dd).mean()) <= tq * (cc - r * dd).std(ddof=1) / np.sqrt(6) for r in grid[::100]]
    g = grid[::100][np.array(inside)]
    step = 100 * (grid[1] - grid[0])
    check("fieller: the closed form matches the grid (%.1f, %.1f) vs (%.1f, %.1f)" % (lo, hi, g.min(), g.max()),
          abs(g.min() - lo) <= step and abs(g.max() - hi) <= step)
    lo, hi = cf.fieller(3.0 * dd, dd)
    check("fieller: an exactly proportional cost gives the point [3, 3]", close(lo, 3.0, 1e-6) and close(hi, 3.0, 1e-6))
    check("fieller: a denominator indistinguishable from 0 gives no interval",
          all(math.isnan(x) for x in cf.fieller(cc, rng.standard_normal(6))))
    try:
        cf.classify(b, cf.open_checked(sample), "placed")
        check("a file traced with another --sample is refused", False)
    except cf.Refused as err:
        check("a file traced with another --sample is refused, naming it", sample in str(err))

def versus_compare(base, pol, csv):
    import csv as csvmod
    from analysis import counterfactual as cf
    b, p = cf.open_checked(base), cf.open_checked(pol)
    rows = list(csvmod.DictReader(open(csv)))
    bad, n = [], 0
    for r in rows:
        if r["region"]:
            i = cf.region_names(b).index(r["region"])
            mine = cf.paired(cf.region_totals(b, r["metric"])[i], cf.region_totals(p, r["metric"])[i])
        else:
            mine = cf.paired(cf.summary_column(b, r["metric"]), cf.summary_column(p, r["metric"]))
        for k, c in (("diff", "diff"), ("lo", "ci_low"), ("hi", "ci_high"), ("base_mean", "base_mean")):
            theirs = float("nan") if r[c] == "n/a" else float(r[c])
            n += 1
            if not close(mine[k], theirs, 1e-7):
                bad.append((r["metric"], r["region"], k, mine[k], theirs))
    check("paired mean and 95%% t interval equal sim compare --csv --regions (%d values)" % n, n > 1000 and not bad)
    for x in bad[:5]:
        print("  differs:", x)

def png(path, min_w=400):
    data = open(path, "rb").read()
    w, h = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    good = data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR" and w >= min_w and h >= 300
    check("%s: a PNG %dx%d of %d bytes" % (os.path.basename(path), w, h, len(data)), good and 10_000 < len(data) < 3_000_000)

class Balance(HTMLParser):
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
    def __init__(self):
        super().__init__()
        self.stack, self.errors, self.imgs = [], [], []
    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.imgs.append(dict(attrs).get("src", ""))
        if tag not in self.VOID:
            self.stack.append((tag, self.getpos()))
    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        if not self.stack or self.stack[-1][0] != tag:
            self.errors.append("</%s> at %s closes %s" % (tag, self.getpos(), self.stack[-1] if self.stack else "nothing"))
        else:
            self.stack.pop()

def report(path, sections, *needles):
    text = open(path, encoding="utf-8").read()
    for s in sections.split("|"):
        check("report has the section '%s'" % s, "<h2>%s</h2>" % s in text)
    p = Balance()
    p.feed(text)
    p.close()
    check("report parses with balanced tags", not p.errors and not p.stack and text.startswith("<!DOCTYPE html>"))
    for e in p.errors[:3] + [str(x) for x in p.stack[:3]]:
        print("  ", e)
    pngs = [s for s in p.imgs if s.startswith("data:image/png;base64,")]
    check("report embeds at least 3 PNG images (%d)" % len(pngs), len(pngs) >= 3 and len(pngs) == len(p.imgs))
    check("every embedded image decodes to a PNG",
          all(base64.b64decode(s.split(",", 1)[1])[:8] == b"\x89PNG\r\n\x1a\n" for s in pngs))
    check("no external resources (self-contained)", not re.search(r'(src|href)="(?!data:|#)', text))
    for n in needles:
        check("report mentions %r" % n, n in text)
    check("headline sentence in plain words with an interval",
          re.search(r"Durable placements (rise|fall) by [\d,]+ \(95% interval [\d,.]+ to [\d,.]+\), [+\u2212][\d.]+%", text) is not None)

def nonblank(path):
    import matplotlib.image as mpimg
    a = mpimg.imread(path)
    check("screenshot %dx%d is not blank (pixel sd %.3f)" % (a.shape[1], a.shape[0], float(a[..., :3].std())),
          a.shape[0] > 300 and float(a[..., :3].std()) > 0.02)

def readers(f, which):
    import h5py
    if which == "pandas":
        import pandas as pd
        df = pd.DataFrame(h5py.File(f)["summary"][:])
        check("pandas one-liner: /summary as a DataFrame", df.shape[0] == 6 and "durable_placements" in df.columns)
    else:
        import xarray as xr
        ds = xr.open_dataset(f, group="series", engine="h5netcdf")
        check("xarray one-liner: /series as a Dataset with replication, time, region",
              dict(ds.sizes) == {"replication": 6, "time": 120, "region": 35, "nv": 2} and "caseload" in ds
              and str(ds.time.values[0]).startswith("2019-01-01") and str(ds.time.values[1]).startswith("2019-02-01")
              and str(ds.time.values[-1]).startswith("2028-12-01"))

def fmt_version(src, dst, attr, value):
    import h5py, shutil
    shutil.copy(src, dst)
    with h5py.File(dst, "r+") as f:
        f.attrs[attr] = np.int64(value) if isinstance(value, int) else np.bytes_(value)
    print("ok made %s with %s=%r" % (dst, attr, value))

def net_by_hand(base, pol, kind="to_placed"):
    """The net effect per region and nationally, per replication, from the two files' /events
    alone (sets of people with a row of `kind`; not the analysis package): {region index or
    None: [net_r]}, sample."""
    import h5py
    fb, fp = h5py.File(base), h5py.File(pol)
    vals = dict(zip(fb["parameters/values"]["path"], fb["parameters/values"]["value"]))
    sample, reps = float(vals[b"output.sample"]), int(fb.attrs["replications"])
    def people(f):
        e = f["events"][:]
        placed = h5py.check_enum_dtype(f["events"].dtype["kind"])[kind]
        region, hit = {}, set()
        for i in np.lexsort((e["time"], e["person"], e["replication"])):   # a subject's region: its first row's
            k = (int(e["replication"][i]), int(e["person"][i]))
            region.setdefault(k, int(e["region"][i]))
            if e["kind"][i] == placed:
                hit.add(k)
        return region, hit
    (rb, hb), (rp, hp) = people(fb), people(fp)
    out = {None: np.zeros(reps)}
    for k in set(rb) & set(rp):
        d = (k in hp and k not in hb) - (k in hb and k not in hp)
        for g in (None, rb[k]):
            out.setdefault(g, np.zeros(reps))[k[0]] += d / sample
    return out, reps

def t_interval(x):
    from scipy import stats
    n = len(x)
    if n < 2:
        return float("nan"), float("nan")
    half = stats.t.ppf(0.975, n - 1) * np.std(x, ddof=1) / math.sqrt(n)
    return x.mean() - half, x.mean() + half

def regional_cells(page, which):
    """{region: last cell} of the which-th regional table of a report, and the note after the tables."""
    text = open(page, encoding="utf-8").read()
    sec = text[text.find('<section id="results-by-region">'):]
    sec = sec[:sec.find("</section>")]
    tab = sec.split("<table>")[1 + which]
    return dict(re.findall(r'<tr[^>]*><td class="l">([^<]*)</td>.*?<td>([^<]*)</td></tr>', tab)), sec

def national_row(page, which, lang="en"):
    text = open(page, encoding="utf-8").read()
    sec = text[text.find('<section id="who-is-placed-because-of-the-policy">'):]
    part = sec.split("<h3>")[1 + which]
    label = {"en": "placed", "nl": "geplaatst"}[lang]
    row = re.search(r'<tr><td class="l">%s</td>(.*?)</tr>' % label, part).group(1)
    return re.findall(r"<td>([^<]*)</td>", row), part

def net_interval(base, pol, twin, page, page_nl):
    from analysis import counterfactual as cf, report
    net, reps = net_by_hand(base, pol)
    netd, _ = net_by_hand(base, pol, "to_durable")   # the regional table: durable placements, as its difference
    b = cf.open_checked(base)
    names = cf.region_names(b)
    rows = cf.region_table(cf.classify(b, cf.open_checked(pol), "placed"), names)
    bad = []
    for i, r in enumerate(rows):
        x = net.get(i if i < len(names) else None, np.zeros(reps))
        lo, hi = t_interval(x)
        if not (close(r["net_effect"], x.mean(), 1e-9) and close(r["net_lo"], lo, 1e-7) and close(r["net_hi"], hi, 1e-7)
                and r["net_n"] == reps and r["net_same"] == bool(np.all(x == x[0]))):
            bad.append((r["region"], r["net_effect"], r["net_lo"], r["net_hi"], x.mean(), lo, hi))
    check("region_table: net effect and its 95%% t interval (%d df) = by hand from /events, %d regions and national"
          % (reps - 1, len(names)), not bad and len(rows) == len(names) + 1)
    for x in bad[:3]:
        print("  differs:", x)
    check("the national net interval is not degenerate (lo < net < hi)", rows[-1]["net_lo"] < rows[-1]["net_effect"] < rows[-1]["net_hi"])
    for lang, pg in (("en", page), ("nl", page_nl)):
        cells, sec = regional_cells(pg, 0)
        want = {}
        for i, reg in enumerate(names):
            x = netd.get(i, np.zeros(reps))
            ci = report.tr(lang, "no_spread") if np.all(x == x[0]) else report.fmt_range(*t_interval(x), "count", 1, lang)
            want[reg] = "%s (%s)" % (report.fmt(x.mean(), "count", signed=True, digits=1, lang=lang), ci)
        diff = [(k, cells.get(k), v) for k, v in want.items() if cells.get(k) != v]
        check("%s: regional table: net people durably placed with their 95%% interval by hand in all %d regions"
              % (lang, len(names)),
              not diff and len(cells) == len(names))
        for x in diff[:3]:
            print("  differs:", x)
        check("%s: regional table: the header names the interval and a note says what the net figure is" % lang,
              report.T[lang]["h_regions"][-1] in sec and report.tr(lang, "reg_net_note") in sec
              and "(95" in report.T[lang]["h_regions"][-1])
        cells, part = national_row(pg, 0, lang)
        x = net[None]
        lo, hi = t_interval(x)
        d = report.decimals(x.mean())
        ci = report.fmt_range(lo, hi, "count", d, lang)
        check("%s: counterfactual table: net per replication and its 95%% interval by hand (%s, %s)" % (lang, cells[-2:], ci),
              cells[-2:] == [report.fmt(x.mean(), "count", signed=True, lang=lang), ci])
        check("%s: counterfactual paragraph: the net effect with its interval" % lang,
              report.fmt(x.mean(), "count", signed=True, lang=lang) + report.T[lang]["cf_text"].split("{net}")[1].split("{ci}")[0]
              + report.tr(lang, "cf_ci", range=ci) in part)
    # the zero-effect twin: the same net (0) in every replication, no interval to show
    cells, _ = regional_cells(page, 1)
    check("twin: every region's net people durably placed 0.0 (no spread)", set(cells.values()) == {"0.0 (no spread)"} and len(cells) == len(names))
    cells, part = national_row(page, 1)
    zero = report.fmt(0.0, "count", signed=True)
    check("twin: national net %s with no spread, said so in the paragraph" % zero, cells[-2:] == [zero, "no spread"]
          and zero + " people placed per replication (the same in every replication: no interval)" in part)

def net_one(page, page_nl, nregions):
    for lang, pg, na in (("en", page, "n/a"), ("nl", page_nl, "n.v.t.")):
        cells, _ = regional_cells(pg, 0)
        check("%s, one replication: every region's net interval is %s" % (lang, na),
              len(cells) == int(nregions) and all(c.endswith(" (%s)" % na) for c in cells.values()))
        cells, part = national_row(pg, 0, lang)
        check("%s, one replication: the national net interval is %s, in the table and the paragraph" % (lang, na),
              cells[-1] == na and "(95%s %s)" % ("% interval" if lang == "en" else "%-interval", na) in part)

def event_order(base, pol):
    """read_events takes a fast path when /events is in (replication, time) order, as sim writes it;
    a file whose replications come in another order takes the general sort: the same tables either way,
    and what the report derives from them (the counterfactual, the survival durations) is the same."""
    import shutil, h5py
    from analysis import counterfactual as cf, survival as sv
    shutil.copy(base, "reordered.h5")
    with h5py.File("reordered.h5", "r+") as f:
        e = f["events"][:]
        order = np.argsort(-e["replication"].astype(np.int64), kind="stable")   # last replication first
        f["events"][:] = e[order]
    b, r, p = cf.open_checked(base), cf.open_checked("reordered.h5"), cf.open_checked(pol)
    eb, er = sv.read_events(b), sv.read_events(r)
    dr = np.diff(r["events"]["replication"].astype(np.int64))
    check("the reordered copy is not in replication order (the general sort)", (dr < 0).any())
    check("read_events: the same table from both orders",
          all(np.array_equal(eb[k], er[k]) for k in ("key", "time", "region", "kind", "from", "to", "group")))
    for outcome in ("placed", "durable"):
        cb, cr = cf.classify(b, p, outcome), cf.classify(r, p, outcome)
        check("%s: the same counterfactual from both orders" % outcome,
              all(np.array_equal(cb[k], cr[k]) for k in ("keys", "region", "category")))
    h = sv.horizon_days(b)
    check("the same survival durations from both orders",
          all(np.array_equal(x, y) for x, y in zip(sv.durations(eb, "jobloss", h), sv.durations(er, "jobloss", h))))
    shutil.copy(base, "reversed.h5")
    with h5py.File("reversed.h5", "r+") as f:
        f["events"][:] = f["events"][:][::-1]                                   # every person's rows backwards
    ev = sv.read_events(cf.open_checked("reversed.h5"))
    dk, dt = np.diff(ev["key"].astype(np.int64)), np.diff(ev["time"])
    check("a file in reverse order: read_events still sorts by (person, time)",
          np.all((dk > 0) | ((dk == 0) & (dt >= 0))) and np.array_equal(np.sort(ev["time"]), np.sort(eb["time"])))
    check("read_events keeps one table per open file, and derived values with it",
          sv.read_events(b) is eb and sv.durations(eb, "jobloss", h)[0] is sv.durations(eb, "jobloss", h)[0])

mode, args = sys.argv[1], sys.argv[2:]
{"km": km_hand, "durations": durations_hand, "counterfactual": counterfactual, "compare": versus_compare,
 "png": lambda *a: [png(x) for x in a], "report": report, "nonblank": nonblank, "readers": readers,
 "net": net_interval, "net_one": net_one, "order": event_order,
 "attr": lambda s, d, a, v: fmt_version(s, d, a, int(v) if v.isdigit() else v)}[mode](*args)
EOF

# ---- Kaplan-Meier and durations by hand
pycheck "Kaplan-Meier" km
pycheck "durations" durations

# ---- small runs: baseline, policy, zero-effect twin (budget 0: bit-identical to the baseline)
LM="--set labour_market.scale=0.05 -r 6 -q"
EV="-d events --sample 0.2"
"$SIM" run "$ROOT/scenarios/baseline.cfg" $LM $EV -o base.h5 2>err &&
"$SIM" run "$ROOT/scenarios/pow-incidental.cfg" $LM $EV -o pow.h5 2>>err &&
"$SIM" run "$ROOT/scenarios/pow-incidental.cfg" $LM $EV -o twin.h5 --set "programmes.[0].budget_per_region=0.0" 2>>err &&
"$SIM" run "$ROOT/scenarios/baseline.cfg" --set labour_market.scale=0.05 -r 2 -q -d events --sample 0.1 -o s10.h5 2>>err
check "runs: baseline, pow-incidental, zero-budget twin, 10% sample" [ -s base.h5 ] && [ -s pow.h5 ] && [ -s twin.h5 ] && [ -s s10.h5 ]
: >err

# ---- analysis.survival and analysis.counterfactual as commands (python3 -m)
apy -m analysis.survival base.h5 pow.h5 >out 2>err
checks "survival.py: a table per file and WSP group" '[ $? -eq 0 ] && [ $(grep -c "WSP" out) -eq 6 ]'
apy -m analysis.survival base.h5 --what jobloss --by region --csv >out 2>err
checks "survival.py --csv: curves of 35 regions" '[ $? -eq 0 ] && [ $(cut -d, -f2 out | sort -u | wc -l) -eq 36 ]'
# S(t) beyond the longest follow-up is not observed: job loss is followed for 12 months (then the placement is
# durable), so S(24) is "n/a*" with a footnote, never S(12) again; the CSV holds the curves at their event times only
apy -m analysis.survival base.h5 --what jobloss >out 2>err
checks "survival.py --what jobloss: S(24) n/a* (beyond the 12 months of follow-up) with a footnote; S(6), S(12) estimated" \
  '[ $? -eq 0 ] && [ $(grep -c "WSP .* [01]\.[0-9][0-9][0-9]   [01]\.[0-9][0-9][0-9]    n/a\*$" out) -eq 3 ] \
   && grep -q "^  n/a\* beyond the longest follow-up (12.0 months; a placement that lasts that long is durable" out'
apy -m analysis.survival base.h5 >out 2>err
checks "survival.py (time to placement, 10 years of follow-up): S(24) estimated, no footnote" \
  '[ $? -eq 0 ] && [ $(grep -c "WSP .* [01]\.[0-9][0-9][0-9]$" out) -eq 3 ] && ! grep -q "n/a\*" out'
apy -m analysis.survival base.h5 --what jobloss --by region --csv >out 2>err
apy - out <<'PYEOF' >kmcheck.out 2>&1
import csv, math, sys
from analysis import survival as sv
bad = 0
def check(what, ok, detail=""):
    global bad
    print(("ok   " if ok else "FAIL ") + what + ("" if ok else ": %s" % (detail,))); bad += not ok
k = sv.kaplan_meier([1, 2, 2, 3, 5], [1, 1, 0, 1, 0])
check("S(5) 0.3 at the longest follow-up; S(6) beyond it, censored: NaN", abs(sv.km_at(k, 5) - 0.3) < 1e-12 and math.isnan(sv.km_at(k, 6)),
      (sv.km_at(k, 5), sv.km_at(k, 6)))
z = sv.kaplan_meier([1, 2], [1, 1])
check("a curve that reached 0 stays 0 beyond the follow-up", sv.km_at(z, 10) == 0.0, sv.km_at(z, 10))
months = [float(r["months"]) for r in csv.DictReader(open(sys.argv[1]))]
check("CSV: no row beyond the 12 months of job-loss follow-up", months and max(months) <= 12.0 + 1e-6, max(months or [0]))
sys.exit(1 if bad else 0)
PYEOF
checks "Kaplan-Meier: S beyond the follow-up is NaN (0 where the curve reached 0); the CSV stays within it" '[ $? -eq 0 ]' \
  || grep -v '^ok' kmcheck.out | sed 's/^/  /'
apy -m analysis.survival base.h5 --by distance >out 2>err
checks "survival.py --by distance: three distance groups" '[ $? -eq 0 ] && grep -q "^  ready " out && grep -q "^  needs activation " out && grep -q "^  not placeable now " out'
apy -c "
import sys, h5py
from analysis import survival
c = survival.curves(h5py.File('base.h5'), 'placement', by='distance')
s = lambda name: c[name]['S'][max(c[name]['t'].searchsorted(12.0, side='right') - 1, 0)] if name in c else None
r, a, n = s('ready'), s('needs activation'), s('not placeable now')
sys.exit(0 if r is not None and a is not None and n is not None and r < a < n else 1)
" >out 2>err
checks "survival by distance: the ready are placed fastest, the not-placeable slowest (S(12))" '[ $? -eq 0 ]'
apy -m analysis.counterfactual base.h5 pow.h5 >out 2>err
checks "counterfactual.py: national row and cost per additional durable placement" \
  '[ $? -eq 0 ] && grep -q "^National" out && grep -q "cost per additional durable placement" out'
pycheck "counterfactual" counterfactual base.h5 pow.h5 twin.h5 s10.h5
pycheck "events in another order" order base.h5 pow.h5

# ---- paired intervals as sim compare computes them
"$SIM" compare base.h5 pow.h5 --csv --regions >cmp.csv 2>err
check "sim compare --csv --regions" [ -s cmp.csv ]
pycheck "paired vs compare" compare base.h5 pow.h5 cmp.csv

# ---- charts
apy -m analysis.charts all base.h5 pow.h5 -o charts >out 2>err
checks "charts.py all: four charts" '[ $? -eq 0 ] && [ $(wc -l <out) -eq 4 ]'
pycheck "charts" png charts/series.png charts/forest.png charts/survival.png charts/scatter.png
apy -m analysis.charts series base.h5 -o one.png 2>err
pycheck "series chart of one run" png one.png
checks "no temporary chart files left" '[ -z "$(ls charts one.png* | grep partial)" ]'
apy -m analysis.charts series base.h5 -o nodir/x.png >out 2>err
checks "charts.py -o into a missing directory: exit 1, one line naming it, no traceback" \
  '[ $? -eq 1 ] && [ $(wc -l <err) -eq 1 ] && grep -q "^charts.py: nodir/x.png: the directory .*nodir does not exist" err'
for m in nv durabel; do
  apy -m analysis.charts forest base.h5 pow.h5 --metric $m -o bad.png >out 2>err
  checks "charts.py forest --metric $m: exit 2, one line with the allowed series, no chart" \
    '[ $? -eq 2 ] && [ $(wc -l <err) -eq 1 ] && grep -q "^charts.py: --metric $m: .*allowed: .*durable" err && [ ! -e bad.png ]'
done

# ---- sim report
SECTIONS="The question|Scenarios compared|Headline results|Results by region|Who is placed because of the policy|Charts|How to read this report|Provenance"
"$SIM" report base.h5 pow.h5 twin.h5 -o report.html >out 2>err
check "sim report: exit 0" [ $? -eq 0 ]
GIT=$("$PY" -c 'import h5py; print(h5py.File("base.h5").attrs["git_hash"].decode())')
pycheck "report" report report.html "$SECTIONS" "20190101" "$GIT" "Perspectief op Werk" "deadweight" \
  "sim report base.h5 pow.h5 twin.h5 -o report.html" "sim 0."
checks "zero-effect twin reported as no change" 'grep -q "Durable placements do not change" report.html'
apy - base.h5 pow.h5 report.html >hcheck.out 2>&1 <<'PYEOF'
import re, sys, h5py, numpy as np
from scipy import stats
from statsmodels.stats.multitest import multipletests
from analysis import counterfactual as cf, charts
b, a, text = h5py.File(sys.argv[1]), h5py.File(sys.argv[2]), open(sys.argv[3], encoding="utf-8").read()
bt, at = cf.region_totals(b, "durable"), cf.region_totals(a, "durable")
p = np.array([stats.ttest_rel(at[i], bt[i]).pvalue for i in range(len(bt))])
ref = multipletests(p, method="holm")[1]
got = cf.holm([r for _, r in charts.forest_rows(b, a, "durable")])
ok = np.allclose(got, ref, rtol=1e-9, atol=1e-12)
sec = text[text.find('id="results-by-region"'):]
ok &= "p (Holm)" in sec and "Holm's correction" in sec
print("holm", ok, got[:3], ref[:3]); sys.exit(0 if ok else 1)
PYEOF
checks "regional table: Holm-adjusted p-values (= scipy's paired t test + statsmodels' Holm) and the shading rule stated" \
  '[ $? -eq 0 ]' || sed 's/^/  /' hcheck.out
apy - base.h5 pow.h5 report.html >h2check.out 2>&1 <<'PYEOF'
# the headline table's p (Holm): scipy's paired t test per outcome, then statsmodels' Holm over the
# outcomes of the table (those with spread), against the page's column (3 decimals or "<0.001")
import re, sys, h5py, numpy as np
from scipy import stats
from statsmodels.stats.multitest import multipletests
from analysis import report
from report_tables import headline, tables
b, a, text = h5py.File(sys.argv[1]), h5py.File(sys.argv[2]), open(sys.argv[3], encoding="utf-8").read()
keys = [k for k, _ in report.HEADLINE if k in b["summary"].dtype.names]
p = np.full(len(keys), np.nan)
for i, k in enumerate(keys):
    x, y = np.asarray(b["summary"][k], float), np.asarray(a["summary"][k], float)
    keep = ~(np.isnan(x) | np.isnan(y))
    d = y[keep] - x[keep]
    if len(d) >= 2 and not np.all(d == d[0]):
        p[i] = stats.ttest_rel(y[keep], x[keep]).pvalue
ok_ = ~np.isnan(p)
p[ok_] = multipletests(p[ok_], method="holm")[1]
rows = tables(headline(text))[0]
bad = 0 if rows[0][5] == "p (Holm)" else 1
page = {re.search(r"\((\w+)\)$", r[0]).group(1): r[5] for r in rows[1:]}   # "Durable placements (durable_placements)"
for k, q in zip(keys, p):
    want = "n/a" if np.isnan(q) else "<0.001" if q < 0.001 else "%.3f" % q
    if page.get(k) != want:
        print("%s: page %s, scipy+statsmodels %s" % (k, page.get(k), want)); bad += 1
print("headline holm", "ok" if not bad else "bad", len(keys), "outcomes"); sys.exit(1 if bad else 0)
PYEOF
checks "headline table: p (Holm) over its outcomes (= scipy's paired t test + statsmodels' Holm)" \
  '[ $? -eq 0 ]' || sed 's/^/  /' h2check.out
checks "no temporary report files left" '[ -z "$(ls | grep partial)" ]'
apy - report.html >dcheck.out 2>&1 <<'PYEOF'
import html, re, sys
from report_tables import tables
text = open(sys.argv[1], encoding="utf-8").read()
bad = 0
dec = lambda s: len(s.split(".")[1]) if "." in s else 0
nums = lambda s: re.findall(r"[0-9][0-9,]*(?:\.[0-9]+)?", s)
for rows in tables(text):
    if not rows or rows[0][3:5] != ["difference", "95% interval"]:
        continue
    for r in rows[1:]:
        d, lo_hi = nums(r[3]), nums(r[4])
        if len(d) == 1 and len(lo_hi) == 2:   # no more decimals than the difference (more only where a bound reads 0)
            want = dec(d[0])
            small = min(float(x.replace(",", "")) for x in lo_hi) < 0.5 * 10 ** -want   # would read 0: more decimals
            ok = all(dec(x) <= want for x in lo_hi) or (small and all(dec(x) > want for x in lo_hi))
            if not ok: print("decimals differ:", r); bad += 1
signs = re.findall(r"[+\u2212-]EUR", html.unescape(re.sub("<[^>]+>", "", text)))
if signs: print("a sign before EUR:", signs[:3]); bad += 1
print("rows ok" if not bad else "bad"); sys.exit(1 if bad else 0)
PYEOF
checks "headline table: no interval with more decimals than its difference; amounts as 'EUR +2.59 million', never '+EUR'" \
  '[ $? -eq 0 ]' || sed 's/^/  /' dcheck.out

# ---- the verdict first (issue 17): numbers checked against /summary independently of sim compare
"$SIM" report base.h5 pow.h5 -o verdict.html --from 2020-01-01 --to 2022-01-01 >out 2>err
check "sim report --from/--to: exit 0" [ $? -eq 0 ]
apy - base.h5 pow.h5 verdict.html >vcheck.out 2>&1 <<'PYEOF'
import re, sys, h5py, numpy as np
from analysis import verdict as vd
b, a, text = h5py.File(sys.argv[1]), h5py.File(sys.argv[2]), open(sys.argv[3], encoding="utf-8").read()
bad = 0
def check(what, ok):
    global bad
    print(("ok   " if ok else "FAIL ") + what); bad += not ok
main = text[text.find("<main>"):]
check("the verdict is the first section", main.find('<h2>Verdict</h2>') != -1 and main.find("<h2>") == main.find("<h2>Verdict</h2>"))
check("the verdict comes before the question", 0 < text.find("<h2>Verdict</h2>") < text.find("<h2>The question</h2>"))
check("human titles from the scenario files in the page title",
      "Perspectief op Werk as it was" in re.search(r"<h1>(.*?)</h1>", text).group(1)
      and "No programme, no shock" in re.search(r"<h1>(.*?)</h1>", text).group(1))
col = lambda f, n: f["summary"][n].astype(float)
d = col(a, "durable_placements") - col(b, "durable_placements")
half = vd.cf.t_quantile(0.975, len(d) - 1) * d.std(ddof=1) / np.sqrt(len(d))
verdict = text[text.find('<section id="verdict">'):text.find('<section id="over-time">')]
if d.mean() - half > 0:
    check("durable: the programme named as better", "<b>Perspectief op Werk as it was" in verdict and "gives more durable placements" in verdict)
elif d.mean() + half < 0:
    check("durable: the reference named as better", "<b>No programme" in verdict and "gives more durable placements" in verdict)
else:
    check("durable: no clear winner said", "neither scenario is clearly better" in verdict)
net = (col(a, "cost_total") + col(a, "cost_benefits")) - (col(b, "cost_total") + col(b, "cost_benefits"))
years = b["series/time_bnds"][-1, 1] / 365.2425   # calendar months: the end of the last one
check("net cost to the public purse over the horizon (%s)" % vd.eur(net.mean(), "en", True), "Net cost to the public purse" in verdict and vd.eur(net.mean(), "en", True) + " over 10.0 years" in verdict)
check("net cost to the public purse per year", vd.eur(net.mean() / years, "en", True) + " a year" in verdict)
check("the benefit cost per month is stated", "EUR 1,130 per person-month" in verdict)
m = re.search(r"(\d+) of the (\d+) parameter values in the scenario files are marked as an assumption", verdict)
check("caveat: assumptions counted", m is not None and 0 < int(m.group(1)) <= int(m.group(2)))
check("caveat: replications and the warning below 20", "Replications used: 6." in verdict and "fewer than 20 replications" in verdict)
check("caveat: what the intervals cover", "cover chance only" in verdict)
check("caveat: the cooperation rule in force and that it sets the size of a programme's effect (baseline against a programme)",
      "grows fully whenever any cooperation work is funded" in verdict and "changes how large a programme" in verdict
      and "can decide the funding choice" not in verdict)
check("window sentence", "Window 2020-01-01 to 2022-01-01: durable placements in it" in verdict)
ot = text[text.find('<section id="over-time">'):text.find('<section id="budget">')]
check("monthly difference chart embedded", ot.count("data:image/png;base64,") == 1)
bud = text[text.find('<section id="budget">'):text.find('<section id="scenarios-in-words">')]
check("budget in words with its unit", "EUR 2.0M per region in total over 2 years" in bud and "Measured difference in activation cost" in bud)
check("the overlapping national curves are not drawn", 'alt="chart: placements and caseload, all regions"' not in text)
print("bad", bad); sys.exit(1 if bad else 0)
PYEOF
vrc=$?
checks "report verdict, caveats, budget and chart agree with /summary" '[ $vrc -eq 0 ]' || grep -v '^ok' vcheck.out | sed 's/^/  /'
# the cost sentence's subject is the cheaper scenario: its figure comes first, in either direction
apy - base.h5 pow.h5 >cpd.out 2>&1 <<'PYEOF'
import sys, h5py
from analysis import verdict as vd
b, a = h5py.File(sys.argv[1]), h5py.File(sys.argv[2])
bad = 0
for lang, against in (("en", "against"), ("nl", "tegenover")):
    for base_mean, alt_mean, cheaper in ((32294.0, 30907.0, "ALT"), (30907.0, 32294.0, "BASE")):
        d = alt_mean - base_mean
        c = {"base_mean": base_mean, "alt_mean": alt_mean, "diff": d, "lo": d - 300, "hi": d + 300, "n": 6}
        s = [x for x in vd.verdict(b, a, ["BASE", "ALT"], {"cost_per_durable": c}, {}, lang, 10.0) if "EUR 30" in x]
        want = "<b>%s</b>" % cheaper, "EUR 30%s907 %s EUR 32%s294" % (vd.num(1000, lang=lang)[1], against, vd.num(1000, lang=lang)[1])
        ok = len(s) == 1 and s[0].startswith(want[0]) and want[1] in s[0]
        print(("ok   " if ok else "FAIL ") + lang, cheaper, s); bad += not ok
sys.exit(1 if bad else 0)
PYEOF
checks "verdict: the cheaper scenario's cost per durable placement comes first (en, nl; either one cheaper)" '[ $? -eq 0 ]' \
  || grep -v '^ok' cpd.out | sed 's/^/  /'
# an interval's bounds never round to a sign-hiding 0, and the window sentence says when its interval includes
# zero, as the whole period's sentences do (en, nl); the report's window line agrees with sim compare's signs
apy - base.h5 pow.h5 >bounds.out 2>&1 <<'PYEOF'
import sys, h5py
from analysis import report, texts, verdict as vd
b, a = h5py.File(sys.argv[1]), h5py.File(sys.argv[2])
bad = 0
def check(what, ok, detail=""):
    global bad
    print(("ok   " if ok else "FAIL ") + what + ("" if ok else ": %s" % (detail,))); bad += not ok
win = ("2020-01-01", "2021-01-01")
w = {"base_mean": 20.0, "alt_mean": 21.75, "diff": 1.75, "lo": -0.2522, "hi": 3.7522, "rel": 0.0875, "n": 4, "same": False}
for lang, want in (("en", "Window 2020-01-01 to 2021-01-01: durable placements in it, +2 (95% interval \u22120.3 to +3.8): "
                          "the interval includes zero, so the change cannot be told apart from chance."),
                   ("nl", "Periode 2020-01-01 tot 2021-01-01: duurzame plaatsingen daarin +2 (95%-interval \u22120,3 tot +3,8): "
                          "het interval bevat nul, dus de verandering is niet van toeval te onderscheiden.")):
    s = [x for x in vd.verdict(b, a, ["B", "A"], {}, {"durable": w}, lang, 10.0, win) if x.startswith(want[:6])]
    check("%s: a window interval -0.25 to 3.75 reads \u22120.3 to +3.8 and includes zero" % lang, s == [want], s)
    clear = dict(w, lo=0.3, hi=3.2)
    s = [x for x in vd.verdict(b, a, ["B", "A"], {}, {"durable": clear}, lang, 10.0, win) if x.startswith(want[:6])]
    check("%s: a clear window interval 0.3 to 3.2 reads +0.3 to +3.2, no 'includes zero'" % lang,
          len(s) == 1 and ("+0.3 to +3.2)." if lang == "en" else "+0,3 tot +3,2).") in s[0], s)
    d = {"base_mean": 20.0, "alt_mean": 21.75, "diff": 1.75, "lo": -0.04, "hi": 3.5, "rel": 0.0875, "n": 4, "same": False}
    s = [x for x in vd.verdict(b, a, ["B", "A"], {"durable_placements": d}, {}, lang, 10.0) if "+2 " in x]
    check("%s: durable placements' interval -0.04 to 3.5 keeps its minus sign" % lang,
          len(s) == 1 and ("\u22120.04 to +3.50" if lang == "en" else "\u22120,04 tot +3,50") in s[0], s)
    r = report.fmt_range(-0.04, 2.3, "count", 1, lang)
    check("%s: the regional table's interval -0.04 to 2.3 is %r, not 0.0 to 2.3" % (lang, r),
          r == ("\u22120.04 to 2.30" if lang == "en" else "\u22120,04 tot 2,30"), r)
    r = report.fmt_range(-0.0004, 0.02, "share", lang=lang)
    check("%s: a share's interval -0.04 to 2 points keeps its sign (%r)" % (lang, r),
          r.startswith("\u22120.04 to 2.00" if lang == "en" else "\u22120,04 tot 2,00"), r)
check("bounds: nothing changes where no bound rounds to 0",
      texts.bounds(-12.4, 30.6, 0, True) == ("\u221212", "+31") and texts.bounds(0.0, 4.2, 0) == ("0", "4"))
for lang, first in (("en", "All counts and amounts in this verdict are for the simulated population, 5.0%"),
                    ("nl", "Alle aantallen en bedragen in deze conclusie gelden voor de gesimuleerde populatie, 5,0%")):
    v = vd.verdict(b, a, ["B", "A"], {}, {}, lang, 10.0)
    check("%s: the verdict of a 5%% run says first that its counts are the simulated population's" % lang,
          v[:1] and v[0].startswith(first) and sum("gesimuleerde populatie" in x or "simulated population" in x for x in v) == 1, v[:2])
check("an exact zero count reads 0, not 0.000 (en, nl): the counterfactual sentence of a near-null policy",
      [report.fmt(0.0, "count", lang=l) for l in ("en", "nl")] == ["0", "0"]
      and [report.fmt(0.004, "count", lang=l) for l in ("en", "nl")] == ["0.004", "0,004"])
sys.exit(1 if bad else 0)
PYEOF
checks "intervals: a nonzero bound never reads 0 (verdict, window, tables; en, nl), the window says when it includes zero" \
  '[ $? -eq 0 ]' || grep -v '^ok' bounds.out | sed 's/^/  /'
"$SIM" compare base.h5 pow.h5 --from 2020-01-01 --to 2021-01-01 --csv --metric durable >wcmp.csv 2>err
"$SIM" report base.h5 pow.h5 -o window.html --from 2020-01-01 --to 2021-01-01 >out 2>>err
apy - wcmp.csv window.html >wcheck.out 2>&1 <<'PYEOF'
import csv, re, sys
rows = [r for r in csv.DictReader(open(sys.argv[1])) if r["metric"] == "durable" and r["region"] in ("", "national")]
text = open(sys.argv[2], encoding="utf-8").read()
m = re.search(r"Window 2020-01-01 to 2021-01-01: durable placements in it, \S+ \(95% interval (\S+) to (\S+)\)(: the interval "
              r"includes zero)?", text)
num = lambda s: float(s.replace("\u2212", "-").replace(",", ""))
sign = lambda x: (x > 0) - (x < 0)
ok = len(rows) == 1 and m is not None
if ok:
    lo, hi = float(rows[0]["ci_low"]), float(rows[0]["ci_high"])
    ok = sign(num(m.group(1))) == sign(lo) and sign(num(m.group(2))) == sign(hi) and bool(m.group(3)) == (lo <= 0 <= hi)
print(("ok " if ok else "FAIL ") + str(rows[:1]) + " " + (m.group(0) if m else "no window sentence"))
sys.exit(0 if ok else 1)
PYEOF
checks "sim report --from/--to: the window's bounds have sim compare's signs, 'includes zero' exactly when they straddle it" \
  '[ $? -eq 0 ]' || sed 's/^/  /' wcheck.out
# the same difference in every replication (durable +5, cost +50,000): no spread, so nothing is "clear",
# as sim compare's "=" says; the report must not name a winner or a cost per additional placement
"$PY" - base.h5 <<'PYEOF'
import shutil, sys, h5py
shutil.copy(sys.argv[1], "same.h5")
with h5py.File("same.h5", "r+") as f:
    s, attrs = f["summary"][()], dict(f["summary"].attrs)
    s["durable_placements"] += 5
    s["cost_total"] += 50000
    del f["summary"]
    f["summary"] = s
    for k, v in attrs.items():
        f["summary"].attrs[k] = v
PYEOF
"$SIM" report base.h5 same.h5 -o same.html >out 2>err
checks "a difference the same in every replication: no winner, no interval, no cost per additional placement" \
  '[ $? -eq 0 ] && grep -q "in every replication alike: with no spread there is no interval" same.html \
   && grep -q "Durable placements, <b>[^<]*(same.h5)</b> minus <b>[^<]*(base.h5)</b>: +5 over" same.html \
   && grep -q "neither is clearly cheaper: <b>[^<]*(same.h5)</b> minus <b>[^<]*(base.h5)</b> is EUR" same.html \
   && grep -q "Durable placements change by +5.00 in every replication" same.html \
   && ! grep -q "gives more durable placements" same.html && ! grep -q "Each additional durable placement costs" same.html'
"$SIM" compare base.h5 same.h5 --json --metric durable_placements >out 2>err
checks "sim compare --json says \"same\": true for it" 'grep -q "\"same\": true" out'
# one replication: no intervals, and the report says so instead of "n/a to n/a"
"$SIM" run "$ROOT/scenarios/baseline.cfg" --set labour_market.scale=0.02 -r 1 -q -o one-b.h5 2>err
"$SIM" run "$ROOT/scenarios/pow-incidental.cfg" --set labour_market.scale=0.02 -r 1 -q -o one-p.h5 2>err
"$SIM" report one-b.h5 one-p.h5 -o one.html --from 2020-01-01 --to 2022-01-01 >out 2>err
checks "sim report of one replication: says there are no intervals, never \"n/a to n/a\" or \"cover chance only\", no warnings" \
  '[ $? -eq 0 ] && grep -q "With a single replication there are no intervals" one.html && ! grep -q "n/a to n/a" one.html \
   && ! grep -q "cover chance only" one.html && ! grep -q "Warning:.*NaN\|RuntimeWarning" err'
checks "files without /events: the report claims no traced trajectories; with them it does" \
  '! grep -q "trajectories traced" one.html && grep -q "trajectories traced for 20% of people" report.html'
# each run's own traced share: a report of a 20% and a 10% trace says both, not the reference's alone
apy - base.h5 s10.h5 >traced.out 2>&1 <<'PYEOF'
import sys, h5py
from analysis import report
files = [h5py.File(p, "r") for p in sys.argv[1:3]]
en, nl = (report.s_scenarios(files, ["base.h5", "s10.h5"], lang) for lang in ("en", "nl"))
same = report.s_scenarios([files[0], files[0]], ["a", "b"])
print(en, nl, same, sep="\n")
assert ("the runs do not trace the same share of people: 20% in base.h5, 10% in s10.h5 (so \u201cWho is placed "
        "because of the policy\u201d is not available") in en
assert ("de runs volgen niet hetzelfde deel van de mensen: 20% in base.h5, 10% in s10.h5 (dus ontbreekt \u201cWie "
        "door het beleid geplaatst wordt\u201d") in nl
assert "trajectories traced for 20% of people" in same and "same share" not in same
three = report.s_scenarios([files[0], files[0], files[1]], ["a", "b", "c"])
assert "20% in a, 20% in b, 10% in c" in three, three
# shares never read as 100% below it, as 0% above it, or alike when they differ
assert report.traced_shares([0.996, 0.5]) == ["99.6", "50.0"], report.traced_shares([0.996, 0.5])
assert report.traced_shares([0.125, 0.12]) == ["12.5", "12.0"], report.traced_shares([0.125, 0.12])
assert report.traced_shares([0.001, 1.0]) == ["0.1", "100.0"]
assert report.traced_shares([0.2, 0.1], "nl") == ["20", "10"]
PYEOF
checks "Scenarios compared: each run's traced share when they differ (20% and 10%; 99.6%, never 100%; 12.5% and 12.0%), one share when alike (en, nl)" \
  '[ $? -eq 0 ]' || grep -i "traced\|gevolgd\|Error" traced.out | sed 's/^/  /'
"$SIM" run "$ROOT/scenarios/pow-structural.cfg" --set labour_market.scale=0.02 -r 1 -q -o one-s.h5 2>err
"$SIM" report one-b.h5 one-s.h5 -o one-s.html >out 2>err
checks "Scenarios compared: a budget with its unit (per region in total, per region per year)" \
  'grep -q "kind incidental, [^<]*EUR 2,000,000 per region in total," report.html \
   && grep -q "kind structural, [^<]*EUR 214,000 per region per year," one-s.html'
# a series step of 3 months: the charts and captions say "per 3 months", not "per month" (flows are 3-month sums)
"$SIM" run "$ROOT/scenarios/baseline.cfg" --set labour_market.scale=0.02 --set labour_market.series_step_months=3.0 \
  -r 2 -q -o q-b.h5 2>err &&
"$SIM" run "$ROOT/scenarios/pow-incidental.cfg" --set labour_market.scale=0.02 --set labour_market.series_step_months=3.0 \
  -r 2 -q -o q-p.h5 2>>err &&
"$SIM" report q-b.h5 q-p.h5 -o q.html >out 2>>err && "$SIM" report q-b.h5 q-p.h5 -o q-nl.html --lang nl >out 2>>err
checks "3-month step: the report says per 3 months (en, nl), never per month for its flows; a monthly one says per month" \
  'grep -q "Paired difference per 3 months" q.html && grep -q "more in that 3-month period (top)" q.html \
   && ! grep -q "difference per month" q.html && grep -q "Verschil per 3 maanden (gepaard)" q-nl.html \
   && grep -q "in die periode van 3 maanden (boven)" q-nl.html && ! grep -q "Verschil per maand" q-nl.html \
   && grep -q "Paired difference per month" report.html && grep -q "more in that month (top)" report.html'
apy -c "import h5py; from analysis import texts as t; f, g = h5py.File('q-b.h5'), h5py.File('base.h5')
print(t.step_months(f), t.step_months(g), t.tr('en', 'ch_placements', **t.step_words(t.step_months(f), 'en')))" >out 2>err
checks "step_months: 3 for the 3-month file, 1 for a monthly one; the series chart's title per 3 months" \
  '[ "$(cat out)" = "3 1 Placements by the WSP per 3 months" ]'
apy -c "import h5py; from analysis import charts as c, texts as t; f, g = h5py.File('q-b.h5'), h5py.File('base.h5')
print(c.forest_title(f, 'durable', 'en')); print(c.forest_title(f, 'caseload', 'nl')); print(c.forest_title(g, 'durable', 'en'))
print(t.for_period(f['series/durable'].attrs['long_name'].decode(), 'en', *c.period(f)))
print(t.for_period(t.tr('en', 'sr_durable'), 'en', *c.period(f)))" >out 2>err
checks "3-month step: the regional chart's title says the whole period (en, nl; the file's 3-month long_name too), as a monthly one" \
  '[ "$(sed -n 1p out)" = "durable: paired difference per region in placements reaching durability over the whole period (2019-01-01 to 2029-01-01)" ] \
   && [ "$(sed -n 2p out)" = "caseload: gepaard verschil per regio in mensen met een uitkering aan het eind van de hele periode (2029-01-01)" ] \
   && [ "$(sed -n 3p out)" = "$(sed -n 1p out)" ] && [ "$(sed -n 4p out)" = "$(sed -n 5p out)" ]'
"$SIM" report base.h5 pow.h5 -o verdict-nl.html --lang nl >out 2>err
checks "sim report --lang nl: Dutch verdict and caveats (the cooperation rule's too)" \
  '[ $? -eq 0 ] && grep -q "<h2>Conclusie</h2>" verdict-nl.html && grep -q "Waarschuwing: minder dan 20 herhalingen" verdict-nl.html \
   && grep -q "bepaalt hoe groot het effect" verdict-nl.html && grep -q "lang=\"nl\"" verdict-nl.html'
checks "Budget: the measured cost difference is said to need not match the money spent (subsidies, aftercare, staff), en and nl" \
  'grep -q "It can differ from the money spent from the budget above: it also holds the wage subsidies" report.html \
   && grep -q "Het kan afwijken van het geld dat uit het budget hierboven wordt uitgegeven" verdict-nl.html'
"$SIM" report pow.h5 base.h5 -o reversed.html >out 2>err
"$SIM" report pow.h5 base.h5 -o reversed-nl.html --lang nl >>out 2>>err
checks "files the wrong way round (a programme as the reference, none in the alternative): a warning first among the caveats, en and nl; none in the right order" \
  'grep -q "<li class=\"warning\"><strong>Check the order of the files: the reference (the first file, " reversed.html \
   && grep -q "Controleer de volgorde van de bestanden" reversed-nl.html && ! grep -q "Check the order" report.html \
   && ! grep -q "Controleer de volgorde" verdict-nl.html'
# the rule caveat for each rule: none without funded cooperation, the dose amount, the mixed case
apy - <<'PYEOF' >out 2>&1
import sys
from analysis import verdict as vd
coop = lambda full: {"cooperation": 1.0, "maturity_gain_per_year": 0.1, "cooperation_money_for_full_gain": full}
# both sides fund cooperation: the rule can reverse the funding choice (EUR 55,000);
# one side only (baseline against a programme): the rule sets the effect's size
choice = lambda got: "55,000" in got or "55.000" in got
size = lambda got: ("12,208" in got and "5,086" in got) or ("12.208" in got and "5.086" in got)
cases = {"none": ([[], [{"cooperation": 0.0, "maturity_gain_per_year": 0.1}]], None, None),
         "any": ([[coop(0.0)], [coop(None)]], "grows fully whenever", choice),
         "dose": ([[coop(100000.0)], [coop(100000.0)]], "fully from EUR 100k per region per year", choice),
         "mixed": ([[coop(0.0)], [coop(100000.0)]], "use different rules", choice),
         "one side": ([[], [coop(0.0)]], "changes how large a programme's effect is", size),
         "other side": ([[coop(0.0)], [{"cooperation": 0.0, "maturity_gain_per_year": 0.1}]], "changes how large", size)}
bad = 0
for name, (progs, want, which) in cases.items():
    for lang in ("en", "nl"):
        vd.programmes = lambda f, _p=progs: _p[0] if f == "b" else _p[1]
        got = vd.rule_caveat(["b", "a"], lang)
        other = size if which is choice else choice
        ok = got is None if want is None else (got is not None and which(got) and not other(got) and (lang == "nl" or want in got))
        print(name, lang, "ok" if ok else "bad: %r" % got)
        bad += not ok
import os
doc = open(os.path.join(os.path.dirname(vd.__file__), "..", "docs", "sensitivity.md"), encoding="utf-8").read()
ok = "more than about EUR 55,000 a year per region" in doc
print("the caveat's EUR 55,000 is docs/sensitivity.md's", "ok" if ok else "bad")
bad += not ok
doc = open(os.path.join(os.path.dirname(vd.__file__), "..", "docs", "scenarios.md"), encoding="utf-8").read()
for row, v in (("(pow-structural − baseline) | +", vd.RULE_SIZE_SHIPPED), ("(pow-structural-dose − baseline) | +", vd.RULE_SIZE_DOSE)):
    ok = (row + "{:,} |".format(v)) in doc
    print("the caveat's %d is docs/scenarios.md's" % v, "ok" if ok else "bad")
    bad += not ok
sys.exit(1 if bad else 0)
PYEOF
checks "verdict caveat on the cooperation rule: absent without funded cooperation; the rule in force (any amount, a dose, mixed; en, nl); the funding choice when both sides fund cooperation, the effect's size (figures of docs/scenarios.md) when one does" \
  '[ $? -eq 0 ]' || sed 's/^/  /' out
apy - report.html verdict-nl.html >h3check.out 2>&1 <<'PYEOF'
# the Dutch headline table has the same p (Holm) column as the English one (decimal commas) and its note
import html, re, sys
from report_tables import headline, tables
def col(path):
    sec = headline(open(path, encoding="utf-8").read())
    rows = tables(sec)[0]
    return rows[0][5], [r[5] for r in rows[1:]], html.unescape(re.sub("<[^>]+>", "", sec))
(he, en, _), (hn, nl, text) = col(sys.argv[1]), col(sys.argv[2])
ok = he == hn == "p (Holm)" and ["n.v.t." if x == "n/a" else x.replace(".", ",") for x in en] == nl
ok &= "p (Holm): de p-waarde van elke uitkomst na de correctie van Holm" in text and "ten hoogste 5%" in text
print("nl holm", ok, en[:3], nl[:3]); sys.exit(0 if ok else 1)
PYEOF
checks "sim report --lang nl: the headline table's p (Holm) as in English (decimal commas) and its Dutch note" \
  '[ $? -eq 0 ]' || sed 's/^/  /' h3check.out
# the person-level net effect's 95% interval over replications, against a count by hand from /events (en, nl; the twin:
# no spread); with one replication: n/a
pycheck "net effect interval" net base.h5 pow.h5 twin.h5 report.html verdict-nl.html
"$SIM" run "$ROOT/scenarios/baseline.cfg" --set labour_market.scale=0.02 -r 1 -q $EV -o one-eb.h5 2>err &&
"$SIM" run "$ROOT/scenarios/pow-incidental.cfg" --set labour_market.scale=0.02 -r 1 -q $EV -o one-ep.h5 2>>err &&
"$SIM" report one-eb.h5 one-ep.h5 -o one-e.html >out 2>>err && "$SIM" report one-eb.h5 one-ep.h5 -o one-e-nl.html --lang nl >out 2>>err
checks "one replication traced: runs and reports (en, nl)" '[ -s one-e.html ] && [ -s one-e-nl.html ]'
apy -m analysis.counterfactual one-eb.h5 one-ep.h5 >out 2>err
checks "analysis.counterfactual, one replication: says there is no interval, no '(0 df)'" \
  '[ $? -eq 0 ] && grep -q "1 replication: no interval (n/a)" out && ! grep -q "0 df" out'
pycheck "net effect, one replication" net_one one-e.html one-e-nl.html 35
# --lang nl: the whole page in Dutch (headings, table headers, fixed sentences); the English page keeps its
# headings in order; both have the same section ids (sim serve's page picks sections by id)
apy - report.html verdict-nl.html base.h5 pow.h5 >nl.out 2>&1 <<'PYEOF'
import html, re, sys, h5py
from analysis import report, verdict as vd
en, nl = (open(p, encoding="utf-8").read() for p in sys.argv[1:3])
files = [h5py.File(p) for p in sys.argv[3:5]]
from_files = vd.titles(files) + [report.question(f) or "" for f in files]   # the scenario files' own words
bad = 0
def check(what, ok, detail=""):
    global bad
    print(("ok   " if ok else "FAIL ") + what + ("" if ok else ": %s" % detail)); bad += not ok
h2 = lambda t: re.findall(r"<h2>(.*?)</h2>", t)
want = ["Verdict", "Over time", "Budget", "The scenarios in words", "The question", "Scenarios compared",
        "Headline results", "Results by region", "Who is placed because of the policy", "Charts",
        "How to read this report", "Provenance"]
check("English headings unchanged, in order", h2(en) == want, h2(en))
flat = lambda t: " ".join(html.unescape(re.sub(r"<[^>]+>", " ", t)).split())
for page, phrase in ((en, "Only the net effect, with its interval, measures the policy."),
                     (nl, "Alleen het netto-effect, met zijn interval, meet het beleid."),
                     (en, "so a month where the line crosses zero is not itself a tested result"),
                     (en, "with no effect at all about one in twenty of their intervals would still exclude zero"),
                     (en, "grows at the same rate whenever any cooperation work is funded, whatever its amount"),
                     (nl, "ongeacht het bedrag")):
    check("the report says what its figures do not show: %r" % phrase[:50], phrase in flat(page), phrase)
english = [h for h in want if h != "Budget"] + ["What these results rest on"]
check("Dutch report: none of the English section headings", not [h for h in english if h in nl],
      [h for h in english if h in nl])
check("Dutch report: Dutch headings", h2(nl)[4:] == ["De vraag", "De vergeleken scenario&#x27;s", "Belangrijkste uitkomsten",
      "Uitkomsten per regio", "Wie door het beleid geplaatst wordt", "Grafieken", "Hoe u dit rapport leest", "Herkomst"], h2(nl))
ids = lambda t: re.findall(r'<section id="([^"]+)"', t)
check("the same section ids in both languages", ids(nl) == ids(en)[:len(ids(nl))] and len(ids(nl)) >= 12, (ids(en), ids(nl)))
text = re.sub(r"<[^>]+>", " ", re.sub(r"<(style|title|h1|h3|dt|strong|b)\b.*?</\1>|<td class=\"l\">[^<]*</td>|<code>.*?</code>", " ",
              nl, flags=re.S))
text = html.unescape(re.sub(r'data:image/png;base64,[^"]*', "", text))
for words in from_files:
    text = text.replace(words, " ")
for phrase in ("compared with", " against ", "95% interval", "percentage points", "Shaded rows", "deadweight", "replications",
               "Not available", "not available", "Report made", " months", " million", "n/a", "Each additional",
               "cannot be told apart", "traced", "policy only", "difference", " mean ", "scenario file", "per region"):
    check("Dutch report: no %r outside titles, keys and file names" % phrase.strip(), phrase not in text,
          text[max(0, text.find(phrase) - 80):text.find(phrase) + 80])
cells = lambda t: re.findall(r'<td class="l">([a-z+]+)</td>', t)
check("the regional tables' WSP column: Dutch words in Dutch, English in English",
      "regionaal" in cells(nl) and "regional" not in cells(nl) and "centraal+sub" in cells(nl)
      and "regional" in cells(en) and "regionaal" not in cells(en), (sorted(set(cells(nl))), sorted(set(cells(en)))))
check("Dutch report: Dutch numbers in the tables (thousands point, decimal comma)",
      re.search(r"<td>[+\u2212]?\d{1,3}\.\d{3}</td>", nl) is not None and re.search(r"\d,\d%", nl) is not None)
sys.exit(1 if bad else 0)
PYEOF
checks "sim report --lang nl: the whole report in Dutch; English headings unchanged" '[ $? -eq 0 ]' || grep -v '^ok' nl.out | sed 's/^/  /'
# --lang nl beyond the headings: the model's description under the title (Dutch for labour_market, the file's own
# for a model texts.py does not know), the scenarios' questions (their '# Vraag:' line; an English one quoted and
# labelled), the images' alt texts and the counterfactual's footnote; a question's '(vs X.cfg)' note only where X is
# this report's reference
apy - base.h5 pow.h5 report.html verdict-nl.html >nl3.out 2>&1 <<'PYEOF'
import html, os, re, sys, h5py
from analysis import report, texts
b, p = h5py.File(sys.argv[1]), h5py.File(sys.argv[2])
en, nl = (open(x, encoding="utf-8").read() for x in sys.argv[3:5])
bad = 0
def check(what, ok, detail=""):
    global bad
    print(("ok   " if ok else "FAIL ") + what + ("" if ok else ": %s" % (detail,))); bad += not ok
sub = lambda t: html.unescape(re.search(r'</h1>\s*<p class="note">(.*?)</p>', t, re.S).group(1))
own = b.attrs["title"].decode()
check("en: the subtitle is the file's model description", sub(en) == own == texts.T["en"].get("model_labour_market"), sub(en))
check("nl: the subtitle is Dutch", sub(nl) == texts.T["nl"].get("model_labour_market") and sub(nl) != own, sub(nl))
class Stub:
    filename = "x.h5"
    def __init__(self, **attrs):
        self.attrs = {k: v.encode() for k, v in attrs.items()}
    def __contains__(self, key):
        return False
check("nl: a model texts.py does not know keeps the file's description",
      hasattr(report, "model_description")
      and report.model_description(Stub(model="other", title="Another model"), "nl") == "Another model")
q = lambda t: html.unescape(t[t.find('<section id="the-question">'):t.find('<section id="scenarios-compared">')])
check("nl: the questions of the library's scenarios in Dutch", "Referentiescenario: wat gebeurt er zonder programma of schok?" in q(nl)
      and "wat voegt Perspectief op Werk toe als impuls van twee jaar" in q(nl) and "what " not in q(nl), q(nl))
check("en: the questions as before", "Reference scenario: what happens without any programme or shock? The reference for "
      "every comparison." in q(en) and ": what does Perspectief op Werk add as a two-year impulse of EUR 2M per region? "
      "(vs baseline.cfg)</li>" in q(en), q(en))
with open("custom.cfg", "w") as fh:
    fh.write("# custom.cfg\n# Question: what if nobody waits? (vs pow-incidental.cfg)\n@include \"base.cfg\"\n")
c = Stub(scenario=os.path.abspath("custom.cfg"))
if not hasattr(report, "question_in"):   # without it, every check below fails
    report.question_in = lambda f, lang, base=None: (report.question(f), False)
    report.said = lambda q, quoted, lang: q
qc, quoted = report.question_in(c, "nl", b)
check("nl: a question only in English is quoted and said to be the scenario file's, in English",
      quoted and report.said(qc, quoted, "nl") == "\u201cwhat if nobody waits?\u201d (de vraag zoals het scenariobestand haar "
      "stelt, in het Engels)", report.said(qc, quoted, "nl"))
check("a '(vs X.cfg)' note is kept where X is the reference, left out where it is not, and for the reference itself",
      report.question_in(c, "en", p) == ("what if nobody waits? (vs pow-incidental.cfg)", False)
      and report.question_in(c, "en", b)[0] == "what if nobody waits?"
      and report.question_in(p, "en")[0] == "what does Perspectief op Werk add as a two-year impulse of EUR 2M per region?"
      and report.question_in(p, "nl")[0] == "wat voegt Perspectief op Werk toe als impuls van twee jaar met EUR 2M per regio?",
      (report.question_in(c, "en", p), report.question_in(p, "en"), report.question_in(p, "nl")))
alts = lambda t: re.findall(r'<img src="data:image/png;base64,[^"]*" alt="([^"]*)"', t)
check("nl: the charts' alt texts in Dutch", "grafiek: verschil per regio" in alts(nl)
      and not [a for a in alts(nl) if re.search(r"\b(forest|survival|scatter|series)\b", a)], alts(nl))
check("en: the charts' alt texts say what each shows, as the Dutch do",
      {"chart: difference per region", "chart: survival curves (Kaplan-Meier)", "chart: cost against durable placements"}
      <= set(alts(en)), alts(en))
check("nl: the counterfactual's footnote without '1/sample'", "1/sample" not in nl and "gevolgde aandeel" in nl)
sys.exit(1 if bad else 0)
PYEOF
checks "sim report --lang nl: the model's description, the questions, alt texts and footnotes in Dutch; English as before" \
  '[ $? -eq 0 ]' || grep -v '^ok' nl3.out | sed 's/^/  /'
# the Budget paragraph at a reduced scale (0.05): the programme's money on one footing, national (per region
# times regions = planned), then the simulated population's share of it, said so; in English and Dutch
apy - base.h5 verdict.html verdict-nl.html >budget.out 2>&1 <<'PYEOF'
import html, re, sys, h5py
from analysis import verdict as vd
scale = vd.scale(h5py.File(sys.argv[1]))
bad = 0
def check(what, ok, detail=""):
    global bad
    print(("ok   " if ok else "FAIL ") + what + ("" if ok else ": %s" % detail)); bad += not ok
N = r"(\d[\d.,]*)"
PATTERNS = {
    "en": (r"budget EUR N+M per region in total over .*?; planned EUR N+ million in total over all N+ regions; never spent "
           r"\(under-spending N+%\): EUR N+ million; so at most EUR N+ million is spent\. The simulated population, N+% of "
           r"the national caseload, gets the same share of this money: EUR N+ million planned, at most EUR N+ million spent\.",
           "Measured difference in activation cost in the simulated population"),
    "nl": (r"budget EUR N+M per regio in totaal over .*?; gepland EUR N+ miljoen in totaal over alle N+ regio's; nooit besteed "
           r"\(onderbesteding N+%\): EUR N+ miljoen; er wordt dus hoogstens EUR N+ miljoen besteed\. De gesimuleerde populatie, "
           r"N+% van het landelijke bestand, krijgt hetzelfde deel van dit geld: gepland EUR N+ miljoen, hoogstens EUR N+ "
           r"miljoen besteed\.", "Gemeten verschil in activeringskosten in de gesimuleerde populatie"),
}
for lang, page in zip(("en", "nl"), sys.argv[2:4]):
    text = html.unescape(open(page, encoding="utf-8").read())
    bud = text[text.find('<section id="budget">'):text.find('<section id="scenarios-in-words">')]
    m = re.search(PATTERNS[lang][0].replace("N+", N), bud)
    check("%s: the budget sentence national, then the simulated share" % lang, m, bud)
    if not m:
        continue
    x = [float(v.replace(".", "").replace(",", ".") if lang == "nl" else v.replace(",", "")) for v in m.groups()]
    region, planned, n, under, unspent, spent, pct, sim_planned, sim_spent = x
    check("%s: EUR %gM per region x %d regions = the planned EUR %g million" % (lang, region, n, planned),
          abs(region * n - planned) < 0.05 * n + 0.01)
    check("%s: planned - never spent = at most spent, national" % lang, abs(planned - unspent - spent) < 0.015)
    check("%s: the simulated share is the run's scale (%g%%)" % (lang, pct), abs(pct / 100 - scale) < 1e-9)
    check("%s: the simulated money is that share of the national money" % lang,
          abs(sim_planned - planned * scale) < 0.006 and abs(sim_spent - spent * scale) < 0.006)
    check("%s: the measured cost difference is said to be the simulated population's" % lang, PATTERNS[lang][1] in bud)
p = {"name": "P", "kind": "incidental", "regions": ["all"], "budget_per_region": 2e6, "start": "2019-09-01",
     "end": "2021-09-01", "underspend": 0.2}
check("at scale 1 the national figures stand alone", vd.programme_money(p, "S", 1.0, "en").endswith(
      "planned EUR 70.00 million in total over all 35 regions; never spent (under-spending 20%): EUR 14.00 million; "
      "so at most EUR 56.00 million is spent."), vd.programme_money(p, "S", 1.0, "en"))
sys.exit(1 if bad else 0)
PYEOF
checks "Budget at a reduced scale: national figures, the simulated share stated; consistent sums (en, nl)" '[ $? -eq 0 ]' \
  || grep -v '^ok' budget.out | sed 's/^/  /'
# an uncertainty list and an experiment block are not policy: not listed as policy blocks
apy - >ublocks.out 2>&1 <<'PYEOF'
import h5py, numpy as np
from analysis import report
text = """model = "labour_market";
uncertainty = (
  { key = "labour_market.no_show"; min = 0.1; max = 0.2; source = "assumption"; },
  { key = "labour_market.relapse"; min = 0.001; max = 0.002; source = "assumption"; }
);
experiment = { design = "grid"; parameters = ( { key = "labour_market.no_show"; values = [0.1, 0.2]; } ); };
programmes = ( { name = "p"; kind = "incidental"; budget_per_region = 1000.0; } );
overrides_dose = ( { key = "programmes.[0].budget_per_region"; value = 1000.0; source = "dose"; } );
tension = { reference = 100.0; series = ( { date = "2019-01-01"; value = 80.0; source = "x"; } ); };
other_exit_level = ( { date = "2022-07-01"; value = 0.7; source = "x"; } );
"""
f = h5py.File("ublocks.h5", "w", driver="core", backing_store=False)
f.create_dataset("parameters/scenario", data=np.array([text.encode()]))
got = [b for b, _ in report.policy_blocks(f)]
print(got)
assert got == ["programmes"], got
PYEOF
checks "policy blocks: an uncertainty list, an experiment, an overrides list and history inputs are not listed (they had shown as 'uncertainty: ; ; ;')" '[ $? -eq 0 ]' \
  || sed 's/^/  /' ublocks.out
# P(ALT better) and its Clopper-Pearson bounds: a share strictly inside (0, 1) never reads 0 or 1 (5 of 6 draws:
# upper bound 0.9958, printed 0.996 and 99.6%, not 1.00 and 100%); plain shares keep their 2 decimals
apy - >share.out 2>&1 <<'PYEOF'
import numpy as np
from analysis import uncertainty_report as u
e = u.effect(np.zeros(6), np.array([1.0, 2, 3, 4, 5, -1]), +1)
row, row_nl = u._row("durable placements", e, "en"), u._row("durable placements", e, "nl")
said = u.verdict("ALT", "BASE", e)
print(row, row_nl, said, sep="\n")
assert abs(e["phi"] - 0.99579) < 1e-5, e
assert "<td>0.833 [0.359, 0.996]</td>" in row and "<td>0,833 [0,359; 0,996]</td>" in row_nl
assert "in 83.3% of the 6 parameter draws (95% interval 35.9% to 99.6%)" in said
e = u.effect(np.zeros(4), np.array([1.0, 2, -3, -4]), +1)
assert "<td>0.50 [0.07, 0.93]</td>" in u._row("durable placements", e, "en")
PYEOF
checks "P(ALT better): a bound below 1 never reads 1.00 or 100% (5 of 6: 0.996, 99.6%), in English and Dutch" '[ $? -eq 0 ]' \
  || sed 's/^/  /' share.out
# the policy blocks of "Scenarios compared" and the cooperation offset of "The scenarios in words": numbers with a
# decimal comma in Dutch, as written in English
apy - pow.h5 verdict.html verdict-nl.html >blocks.out 2>&1 <<'PYEOF'
import re, sys, h5py
from analysis import report
prog = dict(report.policy_blocks(h5py.File(sys.argv[1])))["programmes"][0]
bad = 0
def check(what, ok, detail=""):
    global bad
    print(("ok   " if ok else "FAIL ") + what + ("" if ok else ": %s" % detail)); bad += not ok
for lang, page in zip(("en", "nl"), sys.argv[2:4]):
    text = open(page, encoding="utf-8").read()
    sec = text[text.find('<section id="scenarios-compared">'):]
    cell = re.findall(r'<tr><td class="l">.*?</tr>', sec[:sec.find("</section>")])[1].split('<td class="l">')[4]
    for k in ("substitution", "underspend"):
        want = "%s %s" % (k, prog[k] if lang == "en" else prog[k].replace(".", ","))
        check("%s: %r in the policy blocks" % (lang, want), want in cell, cell)
    if lang == "nl":
        plain = re.sub(r"\d{1,3}(\.\d{3})+(?![\d,])", "#", cell)   # thousands points are Dutch
        check("nl: no decimal point in the policy blocks", not re.search(r"\d\.\d", plain), cell)
from analysis import verdict as vd   # the scenarios in words: a cooperation offset, signed
check("cooperation offset: +0.1 in English, \u22120,1 in Dutch", "maturity +0.1 against" in vd.coop_words(0.1, "en")
      and "samenwerking \u22120,1 ten" in vd.coop_words(-0.1, "nl"), (vd.coop_words(0.1, "en"), vd.coop_words(-0.1, "nl")))
check("cooperation offset: the decimals it was written with (-0.15 is \u22120,15, not \u22120,1)",
      "samenwerking \u22120,15 ten" in vd.coop_words(-0.15, "nl") and "maturity +0.25 against" in vd.coop_words(0.25, "en"),
      (vd.coop_words(-0.15, "nl"), vd.coop_words(0.25, "en")))
sys.exit(1 if bad else 0)
PYEOF
checks "Scenarios compared: the settings' numbers with a decimal comma in Dutch (substitution 0,35)" '[ $? -eq 0 ]' \
  || grep -v '^ok' blocks.out | sed 's/^/  /'
# the parameter-uncertainty section in the report's language: runs with parameter draws (4 replications,
# scale 0.02), the same report in both languages; in Dutch no English phrase and Dutch numbers; in English
# the texts and number formats as before (numbers masked, the scenario titles named BASE and ALT)
"$SIM" run "$ROOT/scenarios/uncertainty-incidental.cfg" "$ROOT/scenarios/uncertainty-structural.cfg" --draw-parameters \
  -r 4 --scale 0.02 -d summary -q --output-dir drawn >out 2>err
"$SIM" report drawn/uncertainty-incidental.h5 drawn/uncertainty-structural.h5 -o drawn-en.html >out 2>err
"$SIM" report drawn/uncertainty-incidental.h5 drawn/uncertainty-structural.h5 -o drawn-nl.html --lang nl >out 2>err
checks "a report of summary-only files: the period's length from the files' dates (over 10.0 years), never 'n/a years'" \
  'grep -q "over 10.0 years" drawn-en.html && ! grep -q "n/a years" drawn-en.html && grep -q "10,0 jaar" drawn-nl.html'
# runs with draws record the period they simulated (time_end was the origin), so a pair of different periods is refused
"$SIM" info drawn/uncertainty-structural.h5 >dinfo.out 2>&1
"$SIM" run "$ROOT/scenarios/uncertainty-structural.cfg" --draw-parameters -r 4 --scale 0.02 -d summary -q \
  --set 'labour_market.end="2024-01-01"' -o drawn-short.h5 2>err
"$SIM" compare drawn/uncertainty-incidental.h5 drawn-short.h5 >dcmp.out 2>dcmp.err; drc=$?
checks "--draw-parameters: the file's time_end is the period's end; a pair of different periods is refused" \
  'grep -q "^  time_end  *2029-01-01$" dinfo.out && [ "$drc" -eq 1 ] && grep -q "drawn-short.h5: simulates 2019-01-01 to 2024-01-01" dcmp.err && [ ! -s dcmp.out ]' \
  || sed 's/^/  /' dinfo.out dcmp.err | grep -v "^  /"
apy - drawn-en.html drawn-nl.html drawn/uncertainty-incidental.h5 drawn/uncertainty-structural.h5 >unl.out 2>&1 <<'PYEOF'
import html, re, sys, h5py
from analysis import verdict as vd
en, nl = (open(p, encoding="utf-8").read() for p in sys.argv[1:3])
base, alt = (html.escape(t) for t in vd.titles([h5py.File(p) for p in sys.argv[3:5]]))
bad = 0
def check(what, ok, detail=""):
    global bad
    print(("ok   " if ok else "FAIL ") + what + ("" if ok else ": %s" % detail)); bad += not ok
def section(page):
    m = re.search(r'<section id="parameter-uncertainty">.*?</section>', page, re.S)
    return m.group(0).replace(alt, "ALT").replace(base, "BASE") if m else ""
s_en, s_nl = section(en), section(nl)
check("both reports have the section, id parameter-uncertainty", s_en and s_nl, (len(s_en), len(s_nl)))
check("Dutch section: Dutch heading", "<h2>Onzekerheid in de parameters</h2>" in s_nl)
text = html.unescape(re.sub(r"<[^>]+>", " ", s_nl))
for phrase in ("Parameter uncertainty", "compared with", "parameter draws", "robust", "replications", "interval of the mean",
               "metric", "mean effect", "draw's effect", "better", "durable placements", "activation cost",
               "benefit months", "caseload", "assumptions", "calibrated parameters", "too few", "n/a"):
    check("Dutch section: no %r" % phrase, phrase not in text, text[max(0, text.find(phrase) - 80):text.find(phrase) + 80])
rows = re.findall(r"<tr><td.*?</tr>", s_nl)
check("Dutch section: P(better) with decimal commas and intervals [lo; hi] in every row", len(rows) == 6 and all(
      re.search(r"<td>\d,\d\d \[\d,\d\d; \d,\d\d\]</td>", r) for r in rows), rows)
check("Dutch section: thousands points and a real minus sign (activation cost)",
      re.search(r"activeringskosten \(EUR\)</td><td>\u2212?\d{1,3}(\.\d{3})+</td>", s_nl), rows)
masked = re.sub(r"(?<![a-z])-?\d+(,\d{3})*(\.\d+)?", "#", s_en)   # not the 2 of h2
said = re.search(r"<p><strong>(.*?)</strong></p>", masked)
sentence = (r"(The ranking is (not )?robust to the parameter uncertainty: )?(ALT|BASE) has more durable placements than "
            r"(ALT|BASE) in #% of the # parameter draws \(#% interval #% to #%\)(\.|: # draws are too few to tell whether "
            r"the ranking is robust to the parameter uncertainty; run more replications \((about # would settle it if the "
            r"share held|more would tell)\)\.|, so which scenario is better depends on chance and on assumptions we do not "
            r"know well \(docs/sensitivity\.md shows which\)\.)")
check("English section: the sentence on the ranking as before", said and re.fullmatch(sentence, said.group(1)), said)
row = '<tr><td class="l">%s</td><td>#</td><td>[#, #]</td><td>[#, #] (#%%)</td><td># [#, #]</td><td>#</td></tr>'
want = "\n".join([
    '<section id="parameter-uncertainty">', "<h2>Parameter uncertainty</h2>",
    "<p>Every replication ran with its own draw of # uncertain parameters (the same draw in every scenario), from the "
    "scenario's uncertainty list: # assumptions from ranges set beforehand and # calibrated parameters with the spread "
    "that the fit to Dutch history gives, drawn jointly (docs/calibration.md). The interval of a draw's effect holds the effect "
    "of a new draw of chance and parameters with the coverage shown (the range of the replications below # of them, #% "
    "from # on); the interval of the mean says how precisely the average effect is known. P(better) is the share of draws "
    "in which the alternative is better, with its #% Clopper-Pearson interval.</p>",
    "<h3>ALT compared with BASE</h3>", "<p><strong>SENTENCE</strong></p>", "<table>",
    '<thead><tr><th class="l">metric</th><th>mean effect</th><th>#% interval of the mean</th><th>a draw\'s effect '
    "(coverage)</th><th>P(ALT better) [#% interval]</th><th>n</th></tr></thead>", "<tbody>"]
    + [row % m for m in ("durable placements", "placements", "cost per durable placement (EUR)", "activation cost (EUR)",
                         "benefit months", "caseload at the end")] + ["</tbody>", "</table>", "</section>"])
got = masked.replace(said.group(0), "<p><strong>SENTENCE</strong></p>") if said else masked
check("English section: texts and number formats as before", got == want, got)
check("English section: thousands commas in large numbers (activation cost), never 6 digits in a row",
      not re.search(r"\d{4}", re.sub(r"<[^>]+>", " ", s_en)) and re.search(r"\d,\d{3}", s_en), s_en[-800:])
sys.exit(1 if bad else 0)
PYEOF
checks "sim report with parameter draws: the uncertainty section in Dutch with --lang nl, in English as before" '[ $? -eq 0 ]' \
  || grep -v '^ok' unl.out | sed 's/^/  /'
# the charts' own labels (titles, axes) in the report's language; English by default
apy - base.h5 pow.h5 >ch.out 2>&1 <<'PYEOF'
import sys, h5py
from analysis import charts, texts
files = [h5py.File(p) for p in sys.argv[1:3]]
def labels(lang):
    figs = charts.all_figures(files, ["a", "b"], lang=lang) if lang else charts.all_figures(files, ["a", "b"])
    out = set()
    for fig in figs.values():
        out |= {t for ax in fig.axes for t in (ax.get_title(), ax.get_xlabel(), ax.get_ylabel()) if t}
        out |= {fig._suptitle.get_text()} if fig._suptitle else set()
    return out
en, nl, default = labels("en"), labels("nl"), labels(None)
want_en = {texts.tr("en", k) for k in ("ch_forest_x", "ch_durable", "ch_cost", "ch_scatter", "ch_months", "ch_km")}
want_nl = {texts.tr("nl", k) for k in ("ch_forest_x", "ch_durable", "ch_cost", "ch_scatter", "ch_months", "ch_km")}
ok = want_en <= en and want_nl <= nl and not (want_en & nl) and default == en
print("ok" if ok else "FAIL: en %s nl %s" % (sorted(en), sorted(nl)))
sys.exit(0 if ok else 1)
PYEOF
checks "charts: titles and axes in the report's language (nl: none of the English ones), English by default" '[ $? -eq 0 ]' || sed 's/^/  /' ch.out
# the regional chart's title says what its series holds in the report's language: English as the file's long_name,
# Dutch in Dutch, for every series --metric may name; no Dutch chart carries a file's English long_name
apy - base.h5 pow.h5 >chs.out 2>&1 <<'PYEOF'
import sys, h5py
from analysis import charts, report, texts
files = [h5py.File(p) for p in sys.argv[1:3]]
bad = 0
def check(what, ok, detail=""):
    global bad
    print(("ok   " if ok else "FAIL ") + what + ("" if ok else ": %s" % detail)); bad += not ok
names = report.series_names(files[0])
long = {m: files[0]["series"][m].attrs["long_name"].decode() for m in names}
frm, to = charts.period(files[0])
en = {m: charts.forest_title(files[0], m, "en") for m in names}
nl = {m: charts.forest_title(files[0], m, "nl") for m in names}
check("texts.py's English series texts are the files' long_names, and the English titles are made from them",
      all(texts.tr("en", "sr_" + m) == long[m] and en[m] == texts.tr("en", "ch_forest_title", metric=m,
          what=texts.for_period(long[m], "en", frm, to)) for m in names),
      [(en[m], long[m]) for m in names if texts.tr("en", "sr_" + m) != long[m]])
check("every series has a Dutch title of its own", all(nl[m].startswith(m + ": ") and long[m] not in nl[m] for m in names),
      [nl[m] for m in names if not nl[m].startswith(m + ": ") or long[m] in nl[m]])
check("every regional chart's title says the whole period (its dates), never a month: the points are whole-period "
      "totals or end values (en, nl)", all("whole period" in en[m] and "hele periode" in nl[m] and to in en[m] and to in nl[m]
      and "month" not in en[m] and "maand" not in nl[m] for m in names), [(en[m], nl[m]) for m in names])
want = {"en": "durable: paired difference per region in placements reaching durability over the whole period (%s to %s)" % (frm, to),
        "nl": "durable: gepaard verschil per regio in plaatsingen die over de hele periode (%s tot %s) duurzaam worden" % (frm, to)}
for lang in ("en", "nl"):
    fig = charts.all_figures(files, ["a", "b"], "durable", lang)["forest"]
    title = " ".join(fig.axes[0].get_title().split("\n"))
    check("%s forest chart titled %r (what it plots: the whole period's paired difference per region)" % (lang, want[lang]),
          title == want[lang], title)
figs = charts.all_figures(files, ["a", "b"], "maturity", "nl")
said = [t for fig in figs.values() for ax in fig.axes for t in (ax.get_title(), ax.get_xlabel(), ax.get_ylabel())]
check("no Dutch chart carries an English long_name", not [t for t in said for m in names if long[m] in t], said)
# the WSP structures (the survival chart's legend) in the chart's language
for lang, want, unwanted in (("en", "regional WSP", "regionaal"), ("nl", "regionaal WSP", "regional WSP")):
    fig = charts.survival_figure(files, ["a", "b"], lang=lang)
    legend = [t.get_text() for ax in fig.axes if ax.get_legend() for t in ax.get_legend().get_texts()]
    check("%s survival legend: %r, never %r" % (lang, want, unwanted),
          any(t.startswith(want + ", ") for t in legend) and not [t for t in legend if unwanted in t], legend)
sys.exit(1 if bad else 0)
PYEOF
checks "charts: the regional chart's title in the report's language (nl: Dutch for every series)" '[ $? -eq 0 ]' \
  || grep -v '^ok' chs.out | sed 's/^/  /'
"$SIM" report base.h5 pow.h5 -o lang.html --lang fr >out 2>err
checks "sim report --lang fr: usage error, no file" '[ $? -eq 2 ] && grep -q "invalid choice" err && [ ! -e lang.html ]'
# usage errors as the README says: one line on stderr starting "sim: ", exit 2
for args in "--lang de" "-r 20" "--metric durable_placements" ""; do
  if [ -n "$args" ]; then "$SIM" report base.h5 pow.h5 -o usage.html $args >out 2>err; else "$SIM" report base.h5 pow.h5 >out 2>err; fi
  checks "sim report ${args:-without -o}: exit 2, one line 'sim: report: ...', no file" \
    '[ $? -eq 2 ] && [ $(wc -l <err) -eq 1 ] && grep -q "^sim: report: " err && [ ! -e usage.html ]'
  case $args in
    --lang*) checks "... naming the allowed languages" 'grep -q "invalid choice: .de. (choose from .en., .nl.)" err' ;;
    -r*) checks "... naming the option it does not know" 'grep -q "unrecognized arguments: -r 20" err' ;;
    --metric*) checks "... suggesting the nearest series and listing the allowed ones" \
      'grep -q "has no /series/durable_placements (did you mean durable or placements? allowed: benefit_ends, benefit_starts, caseload, " err' ;;
    "") checks "... naming -o" 'grep -q "required: -o/--output" err' ;;
  esac
done
# every --metric the report lists as allowed draws its chart; a coordinate of /series (nv, time_bnds) is
# not listed and is refused as a usage error naming it, not a crash
"$SIM" report base.h5 pow.h5 -o metric.html --metric nv >out 2>err
checks "sim report --metric nv: exit 2, one line saying it is a coordinate, not a series; no file" \
  '[ $? -eq 2 ] && [ $(wc -l <err) -eq 1 ] && grep -q "^sim: report: --metric nv: /series/nv in base.h5 is a coordinate, not a series (allowed: " err && [ ! -e metric.html ]'
"$SIM" report base.h5 pow.h5 -o metric.html --metric no_such_series >out 2>err
allowed=$(sed -n 's/.*allowed: \([^)]*\)).*/\1/p' err)
checks "the allowed metrics: the series, no coordinate ($allowed)" \
  'echo "$allowed" | grep -q "^benefit_ends, .*durable, .*work_entries$" && ! echo ", $allowed," | grep -Eq ", (nv|time|time_bnds|region|replication),"'
apy - base.h5 pow.h5 "$allowed" >metric.out 2>&1 <<'PYEOF'
import sys, h5py
from analysis import charts, report
base, alt = h5py.File(sys.argv[1]), h5py.File(sys.argv[2])
names = sys.argv[3].split(", ")
bad = []
for m in names:
    try:
        report.check_metric(m, base)   # accepted, and then drawn
        charts.png_bytes(charts.forest_figure(base, [alt], ["a", "b"], m))
    except Exception as err:
        bad.append("%s (%s: %s)" % (m, type(err).__name__, err))
print("ok" if names and not bad else "FAIL: %s" % bad)
sys.exit(1 if bad or not names else 0)
PYEOF
checks "every allowed --metric draws the regional chart of the report" '[ $? -eq 0 ]' || sed 's/^/  /' metric.out
"$SIM" report base.h5 pow.h5 -o metric.html --metric maturity >out 2>err
checks "sim report --metric maturity (a series that is not a count): exit 0, report written" '[ $? -eq 0 ] && [ -s metric.html ]'
checks "... its regional chart's caption names maturity, not durable placements" \
  'grep -q "<figcaption>Difference per region against the reference in maturity, the series of the chart" metric.html \
   && ! grep -q "<figcaption>Difference in durable placements" metric.html'
checks "the regional chart's caption says the whole period, as its title does (en, nl; with a window too)" \
  'grep -q "<figcaption>Difference in durable placements over the whole period per region" verdict.html \
   && grep -q "<figcaption>Verschil in duurzame plaatsingen over de hele periode per regio" verdict-nl.html'
"$SIM" report base.h5 pow.h5 -o win.html --from 2020-02-30 >out 2>err
checks "sim report --from with an invalid date: usage error naming it, no file" '[ $? -eq 2 ] && grep -q "from: .2020-02-30. is not a date" err && [ ! -e win.html ]'
"$SIM" report --help >out 2>err
checks "sim report --help: usage on stdout, exit 0" '[ $? -eq 0 ] && grep -q "usage: sim report" out'
"$SIM" report base.h5 >out 2>err
checks "sim report with one file: usage error, exit 2" '[ $? -eq 2 ]'
SIM_ANALYSIS_DIR="$T/nowhere" "$SIM" report base.h5 pow.h5 -o nowhere.html >out 2>err
checks "SIM_ANALYSIS_DIR without report.py: exit 1, a clear message" \
  '[ $? -eq 1 ] && grep -q "cannot read .*nowhere/report.py" err && [ ! -e nowhere.html ]'

mkdir -p "$T/pkgs" "$T/link" && cp -r "$ROOT/analysis" "$T/pkgs/analysis-2" && rm -rf "$T/pkgs/analysis-2/__pycache__"
ln -s "$T/pkgs/analysis-2" "$T/link/analysis"
SIM_ANALYSIS_DIR="$T/link/analysis/" "$SIM" report base.h5 pow.h5 -o linked.html >out 2>err
checks "SIM_ANALYSIS_DIR a symlink named analysis to analysis-2/: imported under the link's name, report written" \
  '[ $? -eq 0 ] && grep -q "<h2>Verdict</h2>" linked.html' || sed 's/^/  /' err

# ---- refusals: exit 1, the file named, no report (an existing file untouched)
"$SIM" run "$ROOT/scenarios/baseline.cfg" --set labour_market.scale=0.05 -r 4 -q -d summary -o r4.h5 2>err
apy check.py attr base.h5 seed7.h5 seed 7 >/dev/null
apy check.py attr base.h5 newer.h5 format_version 99 >/dev/null
apy check.py attr base.h5 model.h5 model mm1 >/dev/null
head -c 4000 base.h5 >trunc.h5
"$PY" -c 'import h5py, shutil; shutil.copy("base.h5", "lost.h5"); f = h5py.File("lost.h5", "r+"); del f["parameters/values"]; f.close()'
echo "previous" >keep.html
for bad in seed7 r4 newer model trunc missing lost; do
  "$SIM" report base.h5 $bad.h5 -o refused.html >out 2>err; rc=$?
  checks "mismatched $bad.h5: exit 1, one line naming it, no report" \
    '[ $rc -eq 1 ] && grep -q "^sim: report: $bad.h5: " err && [ $(wc -l <err) -eq 1 ] && [ ! -e refused.html ]'
done
"$SIM" report base.h5 seed7.h5 -o keep.html >out 2>err
checks "a refused report leaves an existing file untouched" '[ $? -eq 1 ] && [ "$(cat keep.html)" = previous ]'
checks "refusals name what differs" 'grep -q "seed 7 differs" err'
"$SIM" report base.h5 lost.h5 -o refused.html >out 2>err
checks "a file that lost a dataset of its contents list is refused as damaged" \
  'grep -q "lost.h5: dataset /parameters/values is missing (damaged file)" err'
apy -m analysis.survival lost.h5 >out 2>err
checks "survival.py refuses it too, naming it" '[ $? -eq 1 ] && grep -q "^survival.py: lost.h5: dataset /parameters/values is missing" err'

# ---- the parameter-uncertainty statistics (uncertainty_report, as sim/app/compare_draws.c)
apy - >ucheck.out 2>&1 <<'PYEOF'
import sys, numpy as np
from scipy import stats
from analysis import uncertainty_report as ur
bad = 0
def check(what, ok):
    global bad
    print(("ok   " if ok else "FAIL ") + what); bad += not ok
for x, n in ((6, 6), (4, 6), (0, 6), (19, 20), (38, 40)):
    lo, hi = ur.proportion_interval(x, x, n)
    ref = stats.binomtest(x, n).proportion_ci(0.95, method="exact")
    check("Clopper-Pearson %d of %d = scipy's exact interval" % (x, n), abs(lo - ref.low) < 1e-9 and abs(hi - ref.high) < 1e-9)
d = np.arange(1.0, 7.0)[::-1]
check("6 differences: the range, coverage 5/7", ur.effect_interval(d) == (1.0, 6.0, 5 / 7))
lo, hi, cover = ur.effect_interval(np.arange(1.0, 41.0))
check("40 differences: still the range, coverage 39/41 >= 95%%: %s" % ((lo, hi, cover),),
      (lo, hi) == (1.0, 40.0) and abs(cover - 39 / 41) < 1e-12)
lo, hi, cover = ur.effect_interval(np.arange(1.0, 81.0))
check("80 differences: the 2nd smallest and largest, coverage 77/81 >= 95%%: %s" % ((lo, hi, cover),),
      (lo, hi) == (2.0, 79.0) and abs(cover - 77 / 81) < 1e-12)
rng = np.random.default_rng(3)
draws = [rng.standard_normal(40) for _ in range(4000)]
hits = np.mean([(lambda l, h, c: l <= x[-1] <= h)(*ur.effect_interval(x[:-1])) for x in draws])
check("the interval of 39 holds a new draw about 95%% of the time (%.3f)" % hits, 0.93 < hits < 0.97)
e = lambda p, plo, phi, n: {"p": p, "plo": plo, "phi": phi, "n": n}
check("20 of 20: robust", "is robust" in ur.verdict("A", "B", e(1.0, *ur.proportion_interval(20, 20, 20), 20)))
check("6 of 6: too few to tell, and 17 all agreeing would do",
      "too few to tell" in ur.verdict("A", "B", e(1.0, *ur.proportion_interval(6, 6, 6), 6))
      and "about 17 would settle it" in ur.verdict("A", "B", e(1.0, *ur.proportion_interval(6, 6, 6), 6)))
v = ur.verdict("A", "B", e(0.9, *ur.proportion_interval(36, 36, 40), 40))
check("36 of 40: too few to tell, with no promise of a number that would do", "too few to tell" in v and "more would tell" in v)
check("30 of 60: not robust", "is not robust" in ur.verdict("A", "B", e(0.5, *ur.proportion_interval(30, 30, 60), 60)))
check("0 of 20: robust, the reference leads", "is robust" in ur.verdict("A", "B", e(0.0, *ur.proportion_interval(0, 0, 20), 20))
      and "B has more durable placements than A" in ur.verdict("A", "B", e(0.0, *ur.proportion_interval(0, 0, 20), 20)))
nan = float("nan")
row = ur._row("x", ur.effect([nan] * 4, [nan] * 4, 1), "en")
check("a metric no draw defines: its row says n/a, never nan", "nan" not in row and "n/a [n/a, n/a]" in row)
from analysis.texts import count
check("counted nouns agree: 1 assumption, 34 assumptions, 1 aanname, 2 gekalibreerde parameters",
      (count("en", 1, "w_assumption"), count("en", 34, "w_assumption"), count("nl", 1, "w_assumption"),
       count("nl", 2, "w_calibrated")) == ("1 assumption", "34 assumptions", "1 aanname", "2 gekalibreerde parameters"))
print("bad", bad); sys.exit(1 if bad else 0)
PYEOF
urc=$?
checks "uncertainty statistics: Clopper-Pearson, order-statistic interval and its coverage, the ranking sentence" '[ $urc -eq 0 ]' \
  || grep -v '^ok' ucheck.out | sed 's/^/  /'

# ---- one package (issue 16): imported as analysis.*, no sys.path edits, files not run directly
checks "no sys.path edits in analysis/*.py or tests/*.py" '! grep -n "sys\.path" "$ROOT"/analysis/*.py "$ROOT"/tests/*.py'
apy -c "import analysis, analysis.report, analysis.charts, analysis.survival, analysis.counterfactual, analysis.verdict, analysis.uncertainty_report, analysis.sensitivity" >out 2>err
checks "every module imports as analysis.NAME" '[ $? -eq 0 ]'
"$PY" "$ROOT/analysis/survival.py" base.h5 >out 2>err
checks "python3 analysis/survival.py (a file, not the module): exit 1, says to run python3 -m analysis.survival" \
  '[ $? -eq 1 ] && grep -q "run python3 -m analysis.survival" err && [ ! -s out ]'

# ---- optional: headless Chromium renders the report
if command -v chromium >/dev/null 2>&1; then
  prof=$(mktemp -d)
  timeout 60 chromium --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update \
    --disable-sync --no-first-run --user-data-dir="$prof" --window-size=1200,1600 --screenshot="$T/shot.png" \
    "file://$T/report.html" >chrome.log 2>&1
  rm -rf "$prof"
  if [ -s shot.png ]; then pycheck "chromium screenshot" nonblank shot.png; else no "chromium wrote no screenshot"; fi
else
  skip "chromium not installed: no rendering check (apt-get install chromium to add it)"
fi

# ---- the budget section names the maturity rule a run used (shipped: any amount; *-dose: in proportion)
"$SIM" run "$ROOT/scenarios/pow-incidental-dose.cfg" "$ROOT/scenarios/pow-structural-dose.cfg" --set labour_market.scale=0.01 -r 2 -q \
  -d summary --output-dir dose >/dev/null 2>&1
apy - base.h5 pow.h5 dose/pow-incidental-dose.h5 dose/pow-structural-dose.h5 >dose.out 2>&1 <<'PYEOF'
import sys, h5py
from analysis import verdict as vd
base, pow_, di, ds = (h5py.File(p, "r") for p in sys.argv[1:5])
words = lambda fs: " ".join(vd.budget(fs, ["a", "b"], [{}], "en"))
shipped, dose, mixed = words([base, pow_]), words([di, ds]), words([pow_, ds])
ok = ("whatever its amount" in shipped and "In these runs" not in shipped and "different rules" not in shipped
      and "In these runs cooperation" in dose and "fully from EUR 100k per region per year" in dose
      and "whatever its amount" not in dose and "different rules" not in dose
      and "different rules" in mixed and "whatever its amount" not in mixed and "In these runs" not in mixed)
print("ok" if ok else "FAIL\n" + shipped + "\n" + dose + "\n" + mixed)
PYEOF
checks "the budget section names the cooperation rule of the runs: any amount (shipped), in proportion (*-dose), or mixed" 'grep -qx ok dose.out' \
  || sed 's/^/  /' dose.out

# ---- optional: the readers of analysis/README.md
for m in pandas xarray; do
  mod=$m; [ $m = xarray ] && mod="xarray, h5netcdf"
  if "$PY" -c "import $mod" >/dev/null 2>&1; then pycheck "reader $m" readers base.h5 $m
  else skip "$mod not importable (Debian: python3-pandas, python3-xarray python3-h5netcdf)"; fi
done
if command -v Rscript >/dev/null 2>&1 && Rscript -e 'library(hdf5r)' >/dev/null 2>&1; then
  Rscript -e 'library(hdf5r); f <- H5File$new("base.h5", mode = "r"); s <- f[["summary"]]$read(); x <- f[["series/caseload"]]$read(); cat(nrow(s), paste(dim(x), collapse = "x"), "\n")' >out 2>err
  checks "R hdf5r one-liners: /summary 6 rows, /series/caseload 35x120x6 (R reverses dimensions)" 'grep -q "^6 35x120x6" out'
else
  skip "R with hdf5r not installed (apt-get install r-cran-hdf5r)"
fi

finish
