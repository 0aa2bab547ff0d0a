"""sensitivity.py: charts of the indices `sim sensitivity` writes to /sensitivity.

  Morris: the mu*-sigma chart (one point per parameter; mu* with its 95% bootstrap
          interval as a horizontal bar), one panel per outcome; --top N names N points,
          those told apart from chance (blue) first, then the largest others (grey).
  Sobol:  horizontal bars of the first-order (S1) and total (ST) indices with their 95%
          bootstrap intervals, one panel per outcome, parameters by ST.

The numbers are the C side's (sim sensitivity); this module only draws them.

Usage: python3 -m analysis.sensitivity SENS.h5 -o OUT.png [--top N] [--outcome NAME]
"""
import argparse
import sys

import h5py
import numpy as np

import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def text(v):
    return v.decode() if isinstance(v, bytes) else str(v)


def read(path):
    """The /sensitivity group as a dict of numpy arrays and attributes."""
    with h5py.File(path, "r") as f:
        if "sensitivity" not in f:
            raise SystemExit(f"sensitivity.py: {path}: no /sensitivity group (write it with sim sensitivity)")
        g = f["sensitivity"]
        d = {k: g[k][()] for k in g}
        for k in g.attrs:
            v = g.attrs[k]
            d[k] = [text(x) for x in v] if isinstance(v, np.ndarray) and v.dtype.kind in "SOU" else (
                text(v) if isinstance(v, (bytes, str)) else v)
    return d


def short(key):
    """labour_market.placements.job_loss_per_month -> placements.job_loss_per_month;
    programmes.[0].underspend -> programme.underspend"""
    if key.startswith("programmes.["):
        return "programme." + key.split(".", 2)[2]
    parts = key.split(".")
    return ".".join(parts[1:]) if len(parts) > 2 else key


def title(d, o):
    what = d["outcomes"][o] + (" (ALT - BASE)" if d.get("alt_file") else "")
    return f"{what}: {d['base_points']} {'trajectories' if d['design'] == 'morris' else 'base points'}"


def _noise(d, o):
    """The chance part of each parameter's index for outcome o (/sensitivity/noise
    [outcome][parameter]), or None in files written before sim sensitivity estimated it."""
    v = d.get("noise")
    return np.asarray(v[o], float) if v is not None and np.ndim(v) == 2 else None


LABEL_OFFSET = (3, 3)   # points right of and above the marker


def spread_labels(ax, step=8.0, tries=12):
    """Move each label of ax.labels (most important first) that would overlap one placed
    before it up or down in steps of `step` points, nearest free place first, and join a
    moved label to its point with a thin line. Call once the figure's layout is final.
    Returns how many labels still overlap (0 unless `tries` steps each way were not enough)."""
    r = ax.figure.canvas.get_renderer()
    placed, left = [], 0
    for a in getattr(ax, "labels", []):
        for k in [0] + [s * i for i in range(1, tries + 1) for s in (-1, 1)]:
            a.set_position((LABEL_OFFSET[0], LABEL_OFFSET[1] + k * step))
            box = a.get_window_extent(r)
            if not any(box.overlaps(b) for b in placed):
                break
        else:
            left += 1
        if k:
            ax.annotate("", a.xy, xytext=(LABEL_OFFSET[0], LABEL_OFFSET[1] + k * step + 3), textcoords="offset points",
                        arrowprops={"arrowstyle": "-", "color": "0.6", "lw": 0.5, "shrinkA": 0, "shrinkB": 2})
        placed.append(a.get_window_extent(r))
    return left


def label_order(ms, real, top):
    """The `top` points to name, most important first: those whose mu* is at least twice
    its noise (real, drawn blue: the ones told apart from chance) by mu*, then the
    others (grey) by mu*, so a grey point never takes a blue one's label."""
    return np.lexsort((-np.nan_to_num(ms), ~np.asarray(real, bool)))[:top]


def morris_panel(ax, d, o, top):
    ms, sd = d["mu_star"][o], d["sigma"][o]
    lo, hi = d["mu_star_low"][o], d["mu_star_high"][o]
    noise = _noise(d, o)
    # at least twice its chance part: an effect; below, it may be chance (grey)
    known = noise is not None and np.isfinite(noise).any()   # NaN with 1 replication: nothing to grey out
    real = np.where(np.isfinite(noise), ms >= 2 * noise, True) & (ms > 0) if known else np.ones_like(ms, bool)
    for sel, color, label in ((real, "tab:blue", "mu* at least twice its noise"),
                              (~real, "0.6", "mu* below twice its noise: may be chance")):
        if sel.any():
            ax.errorbar(ms[sel], sd[sel], xerr=[np.maximum(ms - lo, 0)[sel], np.maximum(hi - ms, 0)[sel]], fmt="o",
                        ms=4, color=color, ecolor="0.8", elinewidth=1, label=label if known else None)
    ax.labels = [ax.annotate(short(d["parameters"][j]), (ms[j], sd[j]), fontsize=7, xytext=LABEL_OFFSET,
                             textcoords="offset points")
                 for j in label_order(ms, real, top)]
    m = np.nanmax(np.concatenate([hi, sd])) if np.isfinite(np.nanmax(np.concatenate([hi, sd]))) else 1.0
    ax.plot([0, m], [0, m], ls=":", color="0.5", lw=0.8)   # sigma = mu*: effects as non-linear as large
    if known:   # files written before sim sensitivity estimated it have none
        ax.legend(fontsize=7, loc="upper left")
    ax.set_xlabel("mu* (mean |elementary effect|, outcome per full range)")
    ax.set_ylabel("sigma (interaction / non-linearity)")
    ax.set_title(title(d, o), fontsize=9)


def sobol_panel(ax, d, o, top):
    st, s1 = d["ST"][o], d["S1"][o]
    order = np.argsort(-np.nan_to_num(st))[:top][::-1]
    y = np.arange(len(order))
    ax.barh(y + 0.2, st[order], height=0.4, color="tab:orange", label="total (ST)",
            xerr=[np.maximum(st[order] - d["ST_low"][o][order], 0), np.maximum(d["ST_high"][o][order] - st[order], 0)],
            error_kw={"ecolor": "0.4", "lw": 1})
    ax.barh(y - 0.2, s1[order], height=0.4, color="tab:blue", label="first order (S1)",
            xerr=[np.maximum(s1[order] - d["S1_low"][o][order], 0), np.maximum(d["S1_high"][o][order] - s1[order], 0)],
            error_kw={"ecolor": "0.4", "lw": 1})
    ax.set_yticks(y)
    ax.set_yticklabels([short(d["parameters"][j]) for j in order], fontsize=7)
    ax.axvline(0, color="0.3", lw=0.8)
    noise = _noise(d, o)
    if noise is not None and np.isfinite(noise[order]).any():
        ax.scatter(noise[order], y + 0.2, marker="|", s=160, color="black", zorder=3, label="chance part of ST")
    ax.set_xlabel("share of the outcome's variance (95% bootstrap intervals)")
    ax.set_title(title(d, o), fontsize=9)
    ax.legend(fontsize=7, loc="lower right")


def chart(d, out, top=8, outcome=None):
    outs = list(range(len(d["outcomes"])))
    if outcome:
        if outcome not in d["outcomes"]:
            raise SystemExit(f"sensitivity.py: no outcome {outcome} (allowed: {', '.join(d['outcomes'])})")
        outs = [d["outcomes"].index(outcome)]
    fig, axes = plt.subplots(1, len(outs), figsize=(6.2 * len(outs), 4.6), squeeze=False)
    for ax, o in zip(axes[0], outs):
        (morris_panel if d["design"] == "morris" else sobol_panel)(ax, d, o, top)
    if d.get("warning"):
        fig.text(0.01, 0.01, d["warning"], fontsize=7, color="tab:red")
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    for ax in axes[0]:
        spread_labels(ax)
    fig.savefig(out, dpi=100)
    plt.close(fig)


def main(argv=None):
    p = argparse.ArgumentParser(prog="python3 -m analysis.sensitivity", description=__doc__.split("\n")[0])
    p.add_argument("file")
    p.add_argument("-o", "--output", required=True)
    p.add_argument("--top", type=int, default=8, help="parameters named (Morris: the blue ones first) or shown (Sobol)")
    p.add_argument("--outcome")
    a = p.parse_args(argv)
    chart(read(a.file), a.output, a.top, a.outcome)
    print(f"chart: {a.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
