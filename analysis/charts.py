"""charts.py: PNG charts of sim output files with matplotlib (Agg backend, no display).

  series    national placements per month and caseload: mean over replications and the
            5-95% band of the replications, one colour per scenario
  forest    paired difference ALT - BASE per region with 95% t intervals (as sim compare
            --regions) of a /series over the whole horizon, a flow's total or a stock's end
            value (default: durable placements); its title says so (forest_title)
  survival  Kaplan-Meier curves (analysis/survival.py): time to placement and time to
            job loss per scenario with 95% bands, and per WSP structure
  scatter   cost-effectiveness: cost_total against durable_placements, one point per
            replication, the mean of each scenario ringed, paired replications joined

Usage: python3 -m analysis.charts series|survival|scatter FILE.h5 [FILE.h5 ...] -o OUT.png
       python3 -m analysis.charts forest BASE.h5 ALT.h5 [ALT2.h5 ...] [--metric NAME] -o OUT.png
       python3 -m analysis.charts all BASE.h5 [ALT.h5 ...] -o DIR       (every chart that the files allow)
       --lang en|nl: the language of titles and axes (default en; texts.py)
"""
import argparse
import datetime
import io
import math
import os
import re
import sys
import textwrap

import numpy as np

import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import matplotlib.ticker  # noqa: E402

if not __package__:   # run as a file: the sibling modules are found only in the package
    sys.exit("charts.py is part of the analysis package: run python3 -m analysis.charts from the directory that holds analysis/ (analysis/README.md)")
from . import counterfactual as cf  # noqa: E402
from . import survival as sv  # noqa: E402
from . import texts as tx  # noqa: E402

COLORS = plt.get_cmap("tab10").colors
DPI = 100


def labels(files):
    """A short, distinct label per file: the scenario's file name without .cfg, or the
    output file's name where two files ran the same scenario."""
    names = [os.path.splitext(os.path.basename(cf.text(f.attrs.get("scenario", f.filename))))[0] for f in files]
    if len(set(names)) < len(names):
        names = [os.path.splitext(os.path.basename(f.filename))[0] for f in files]
    return names


def dates(f):
    origin = np.datetime64(cf.text(f.attrs.get("time_origin", b"2019-01-01")), "D")
    return origin + (np.asarray(f["series/time"][:], float) * 86400).astype("timedelta64[s]")


def png_bytes(fig):
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI)
    plt.close(fig)
    return buf.getvalue()


def write_png(fig, path):
    """Write atomically: a temporary name in the same directory, then rename."""
    return cf.write_atomic(path, png_bytes(fig))


def _band(ax, x, y, color, label):
    """y is [replication][time]: mean line, 5-95% band over replications."""
    ax.fill_between(x, np.percentile(y, 5, axis=0), np.percentile(y, 95, axis=0), color=color, alpha=0.22, lw=0)
    ax.plot(x, y.mean(axis=0), color=color, lw=1.8, label=label)


def series_figure(files, names=None, lang="en"):
    names = names or labels(files)
    panels = [("placements", tx.tr(lang, "ch_placements", **tx.step_words(tx.step_months(files[0]), lang)), True),
              ("caseload", tx.tr(lang, "ch_caseload"), False)]
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.2))
    for ax, (name, title, from_zero) in zip(axes, panels):
        for i, (f, lab) in enumerate(zip(files, names)):
            if "series/" + name in f:
                _band(ax, dates(f), f["series"][name][:].sum(axis=2), COLORS[i % 10], lab)
        ax.set_title(title)
        ax.grid(alpha=0.3)
        ax.yaxis.set_major_formatter(matplotlib.ticker.StrMethodFormatter("{x:,.0f}"))
        if from_zero:
            ax.set_ylim(bottom=0)
    axes[0].legend(loc="best", fontsize=9)
    reps = int(files[0].attrs["replications"])
    fig.suptitle(tx.tr(lang, "ch_national", reps=reps), fontsize=10)
    fig.tight_layout()
    return fig


def forest_rows(base, alt, metric="durable"):
    """[(region, paired-difference dict)] for /series/<metric> per region."""
    b, a = cf.region_totals(base, metric), cf.region_totals(alt, metric)
    return [(name, cf.paired(b[i], a[i])) for i, name in enumerate(cf.region_names(base))]


def period(f):
    """(first day, end) of a run's whole period as YYYY-MM-DD: the time origin and the
    horizon's end ('?' when the file does not say)."""
    origin = cf.text(f.attrs.get("time_origin", b"?"))
    horizon = sv.horizon_days(f)
    end = (datetime.date.fromisoformat(origin) + datetime.timedelta(days=horizon)).isoformat() \
        if math.isfinite(horizon) and re.match(r"\d{4}-\d\d-\d\d$", origin) else "?"
    return origin, end


def forest_title(f, metric, lang="en"):
    """'durable: paired difference per region in placements reaching durability over the
    whole period (2019-01-01 to 2029-01-01)': what the regional chart plots, the series'
    total over the whole period (a flow) or its value at the end (a stock), as
    forest_rows computes them (counterfactual.region_totals), never one month's."""
    key = "sr_" + metric
    if key in tx.T[lang]:
        what = tx.tr(lang, key)
    else:   # a series texts.py does not know: its long_name in English, its name alone in another language
        what = (cf.text(f["series"][metric].attrs.get("long_name", b"")) if lang == "en" else "") or metric
    frm, to = period(f)
    return tx.tr(lang, "ch_forest_title", metric=metric, what=tx.for_period(what, lang, frm, to))


def forest_figure(base, alts, names=None, metric="durable", lang="en"):
    names = names or labels([base] + list(alts))
    regions = cf.region_names(base)
    nr = len(regions)
    fig, ax = plt.subplots(figsize=(8.5, 1.6 + 0.24 * nr))
    width = 0.7 / max(len(alts), 1)
    for k, alt in enumerate(alts):
        rows = forest_rows(base, alt, metric)
        y = np.arange(nr) - 0.35 + width * (k + 0.5)
        d = np.array([r["diff"] for _, r in rows])
        lo = np.array([r["lo"] for _, r in rows])
        hi = np.array([r["hi"] for _, r in rows])
        bars = [d - lo, hi - d] if np.isfinite(lo).any() else None   # one replication: points, no intervals
        ax.errorbar(d, y, xerr=bars, fmt="o", ms=4, color=COLORS[(k + 1) % 10], ecolor=COLORS[(k + 1) % 10],
                    capsize=2, lw=1.2, label="%s - %s" % (names[k + 1], names[0]))
    ax.axvline(0, color="black", lw=0.8)
    ax.set_yticks(np.arange(nr))
    ax.set_yticklabels(regions, fontsize=8)
    ax.invert_yaxis()
    ax.grid(axis="x", alpha=0.3)
    ax.set_xlabel(tx.tr(lang, "ch_forest_x"))
    ax.set_title("\n".join(textwrap.wrap(forest_title(base, metric, lang), 75)), fontsize=10)
    ax.legend(loc="lower right", fontsize=8)
    fig.tight_layout()
    return fig


def survival_figure(files, names=None, lang="en"):
    names = names or labels(files)
    fig, axes = plt.subplots(2, 2, figsize=(11, 8))
    titles = {"placement": tx.tr(lang, "ch_to_placement"), "jobloss": tx.tr(lang, "ch_to_jobloss")}
    styles = ["-", "--", ":", "-."]
    for col, what in enumerate(("placement", "jobloss")):
        ax = axes[0][col]
        for i, (f, lab) in enumerate(zip(files, names)):
            km = sv.curves(f, what, by="none").get("all")
            if km is None:
                continue
            ax.step(np.r_[0, km["t"]], np.r_[1, km["S"]], where="post", color=COLORS[i % 10], lw=1.6, label=lab)
            ax.fill_between(np.r_[0, km["t"]], np.r_[1, km["lo"]], np.r_[1, km["hi"]], step="post",
                            color=COLORS[i % 10], alpha=0.2, lw=0)
        ax.set_title(tx.tr(lang, "ch_band", title=titles[what]), fontsize=10)
        ax = axes[1][col]
        for i, (f, lab) in enumerate(zip(files, names)):
            for g, (group, km) in enumerate(sv.curves(f, what, by="wsp").items()):
                ax.step(np.r_[0, km["t"]], np.r_[1, km["S"]], where="post", color=COLORS[(g + 3) % 10],
                        ls=styles[i % 4], lw=1.3, label="%s, %s" % (tx.wsp_label(lang, group), lab))
        ax.set_title(tx.tr(lang, "ch_by_wsp", title=titles[what]), fontsize=10)
    for ax in axes.flat:
        ax.set_xlabel(tx.tr(lang, "ch_months"))
        ax.set_ylabel(tx.tr(lang, "ch_not_placed" if ax in axes[:, 0] else "ch_not_lost"))
        ax.set_ylim(0, 1.02)
        ax.grid(alpha=0.3)
        if ax.get_legend_handles_labels()[0]:
            ax.legend(fontsize=7, loc="lower left")
    fig.suptitle(tx.tr(lang, "ch_km"), fontsize=9)
    fig.tight_layout()
    return fig


def scatter_figure(files, names=None, lang="en"):
    names = names or labels(files)
    fig, ax = plt.subplots(figsize=(7.5, 5))
    xb = cf.summary_column(files[0], "durable_placements")
    yb = cf.summary_column(files[0], "cost_total") / 1e6
    for i, (f, lab) in enumerate(zip(files, names)):
        x = cf.summary_column(f, "durable_placements")
        y = cf.summary_column(f, "cost_total") / 1e6
        if i > 0 and len(x) == len(xb):
            for r in range(len(x)):
                ax.plot([xb[r], x[r]], [yb[r], y[r]], color="grey", lw=0.5, alpha=0.5, zorder=1)
        ax.scatter(x, y, s=22, color=COLORS[i % 10], alpha=0.75, label=lab, zorder=2)
        ax.scatter([x.mean()], [y.mean()], s=140, facecolor=COLORS[i % 10], edgecolor="black", lw=1.5, zorder=3)
    ax.set_xlabel(tx.tr(lang, "ch_durable"))
    ax.set_ylabel(tx.tr(lang, "ch_cost"))
    ax.set_title(tx.tr(lang, "ch_scatter"), fontsize=9)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def all_figures(files, names=None, metric="durable", lang="en"):
    """{chart name: Figure} for every chart the files allow, labelled in lang (texts.LANGS)."""
    names = names or labels(files)
    out = {}
    if any("series" in f for f in files):
        out["series"] = series_figure(files, names, lang)        # the files that have /series
    alts = [(f, n) for f, n in zip(files[1:], names[1:]) if "series/" + metric in f]
    if "series/" + metric in files[0] and alts:
        out["forest"] = forest_figure(files[0], [f for f, _ in alts], [names[0]] + [n for _, n in alts], metric, lang)
    if any("events" in f for f in files):
        out["survival"] = survival_figure(files, names, lang)
    out["scatter"] = scatter_figure(files, names, lang)
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python3 -m analysis.charts", description="PNG charts of sim output files.")
    ap.add_argument("chart", choices=["series", "forest", "survival", "scatter", "all"])
    ap.add_argument("files", nargs="+")
    ap.add_argument("-o", "--output", required=True, help="PNG file (a directory for 'all')")
    ap.add_argument("--metric", default="durable", help="/series for the forest plot (default durable)")
    ap.add_argument("--lang", choices=tx.LANGS, default="en", help="language of titles and axes (default en)")
    a = ap.parse_args(argv)
    try:
        files = [cf.open_checked(p) for p in a.files]
        for f in files[1:]:
            if a.chart in ("forest", "scatter", "all"):
                cf.check_pair(files[0], f)
    except cf.Refused as err:
        print("charts.py: %s" % err, file=sys.stderr)
        return 1
    if a.chart in ("series", "forest") and not all("series" in f for f in files):
        print("charts.py: %s needs /series (run with -d series or -d events)" % a.chart, file=sys.stderr)
        return 1
    if a.chart == "survival" and not any("events" in f for f in files):
        print("charts.py: survival needs /events (run with -d events)", file=sys.stderr)
        return 1
    problem = cf.metric_problem(a.metric, files[0]) if a.chart in ("forest", "all") else None
    if problem:
        print("charts.py: %s" % problem, file=sys.stderr)
        return 2
    if a.chart == "forest" and len(files) < 2:
        print("charts.py: forest needs BASE.h5 and at least one ALT.h5", file=sys.stderr)
        return 2
    outdir = a.output if a.chart == "all" else os.path.dirname(os.path.abspath(a.output))
    if a.chart == "all":
        try:
            os.makedirs(a.output, exist_ok=True)
        except OSError as err:
            print("charts.py: %s: cannot create the directory: %s" % (a.output, err.strerror), file=sys.stderr)
            return 1
    elif not os.path.isdir(outdir):
        print("charts.py: %s: the directory %s does not exist" % (a.output, outdir), file=sys.stderr)
        return 1
    try:
        if a.chart == "all":
            for name, fig in all_figures(files, metric=a.metric, lang=a.lang).items():
                print(write_png(fig, os.path.join(a.output, name + ".png")))
            return 0
        fig = {"series": lambda: series_figure(files, lang=a.lang), "survival": lambda: survival_figure(files, lang=a.lang),
               "scatter": lambda: scatter_figure(files, lang=a.lang),
               "forest": lambda: forest_figure(files[0], files[1:], metric=a.metric, lang=a.lang)}[a.chart]()
        write_png(fig, a.output)
    except OSError as err:   # a full disk, a read-only directory: one line, no partial file left
        print("charts.py: %s: cannot write: %s" % (err.filename or a.output, err.strerror), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
