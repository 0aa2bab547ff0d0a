#!/usr/bin/env python3
"""posterior-predict.py: what a posterior sample predicts for every target of a
targets file, new ones included (docs/validation.md, "A blind test: 2023").

    posterior-predict.py [options] SCENARIO TARGETS POSTERIOR.h5 -- [sim calibrate options]

POSTERIOR.h5 holds weighted parameter draws: /emulator_posterior (the output of
scripts/emulator-posterior.py) or /calibration/posterior (`sim calibrate
--posterior N`). Every draw of positive weight is run again by `sim calibrate
--check SCENARIO TARGETS --set KEY=VALUE ...` with the options after `--` (use the
replications and scale the record was made with), and every target the TARGETS
file lists is summarised over the draws with the record's weights: the posterior
predictive mean and sd of the model mean, its weighted 5% and 95% quantiles, and,
for out-of-sample targets, z = (model - value) / sqrt(s2 tolerance^2 + sd^2), as in
docs/calibration-posterior.md (s2 is the fit's variance factor, read from the
`sim calibrate --uncertainty` record given with --uncertainty; without it s2 = 1).

The weights belong to the runs the record made. They still apply when the runs
are the same, so every target the record holds is compared with the record's
value in every run: the script says how many agree (they agree exactly when the
scenario, the seed and the options are those of the record, whatever targets were
added) and by how much the others differ, in tolerances. New targets that only
read the model after the fitted period (a later quarter, a later input) leave the
record's targets as they were.

Options: --uncertainty REC.h5 (the fit's variance factor), --markdown FILE (the
table as Markdown, written atomically), --sim PATH (build/sim), --limit N (only
the N heaviest draws: for tests). Needs numpy and h5py (find the interpreter as
tests/pyfind.sh does). Exit 1 with one line naming the problem on a missing or
wrong record or a run that fails; 2 on a usage error.
"""
import argparse
import datetime
import importlib.util
import os
import subprocess
import sys

import h5py
import numpy as np


def text(v):
    return v.decode() if isinstance(v, bytes) else str(v)


def load_script(name):
    """scripts/NAME.py as a module (its file name has a hyphen, so no plain import)."""
    here = os.path.dirname(os.path.abspath(__file__))
    spec = importlib.util.spec_from_file_location(name.replace("-", "_"), os.path.join(here, name + ".py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def read_posterior(path):
    """keys, draws [n][k], weights [n] (summing to 1), the record's target names and
    values [n][m] (none for a record without them), and its provenance: the weighted
    draws as scripts/uncertainty-part.py --sample reads them."""
    keys, x, w, meta = load_script("uncertainty-part").read_sample(path)
    with h5py.File(path, "r") as f:
        g = f[meta["group"]]
        names = [text(k) for k in g["draw_targets"].attrs["columns"]] if "draw_targets" in g else []
        y = np.asarray(g["draw_targets"][()], dtype=float) if names else np.zeros((len(w), 0))
    if y.shape != (len(w), len(names)):
        raise ValueError(f"{path}: {meta['group']}: draw_targets is {y.shape}, not (draws, targets) = ({len(w)}, {len(names)})")
    if x.ndim != 2 or x.shape[0] != len(w) or not len(w) or not (w >= 0).all() or not w.sum() > 0:
        raise ValueError(f"{path}: {meta['group']}: draws and weights do not match (allowed: n rows, n weights >= 0)")
    return keys, x, w / w.sum(), names, y, meta


def variance_factor(path):
    with h5py.File(path, "r") as f:
        if "calibration/uncertainty" not in f:
            raise ValueError(f"{path}: no /calibration/uncertainty (allowed: sim calibrate --uncertainty output)")
        return float(np.ravel(f["calibration/uncertainty"].attrs["variance_factor"])[0])


def parse_table(stdout):
    """The target table `sim calibrate --check` prints first: name -> (value, tolerance, model, in_sample)."""
    rows, started = {}, False
    for line in stdout.splitlines():
        c = line.split()
        if c[:2] == ["target", "value"]:
            started = True
            continue
        if started and len(c) >= 7 and c[0] not in rows and c[-2] in ("in", "out"):
            rows[c[0]] = (float(c[1]), float(c[2]), float(c[3]), c[-2] == "in")
        elif started and rows:
            break
    return rows


def run_at(args, keys, theta):
    cmd = [args.sim, "calibrate", "--check", args.scenario, args.targets, "-q"] + args.passthrough
    for key, v in zip(keys, theta):
        cmd += ["--set", f"{key}={v:.17g}"]
    p = subprocess.run(cmd, capture_output=True, text=True)
    rows = parse_table(p.stdout)
    if p.returncode not in (0, 1) or not rows:
        raise RuntimeError(f"{args.scenario}: the run at {dict(zip(keys, theta))} failed: "
                           + (p.stderr.strip().splitlines() or ["no table"])[-1])
    return rows


def weighted_quantile(v, w, q):
    order = np.argsort(v)
    cum = np.cumsum(w[order])
    return float(v[order][min(np.searchsorted(cum, q), len(v) - 1)])


def printed(v):
    """v as `sim calibrate --check` prints a model value (%12.6g) and this script reads it back."""
    return np.vectorize(lambda x: float(f"{x:.6g}"))(v)


def agreement(names_rec, y_rec, names, model, table):
    """How many runs reproduce every target the record holds, and the largest gap in
    tolerances. The record's values are compared as the table prints them (6 significant
    digits): emulator-posterior.py stores them so, sim calibrate --posterior in full."""
    common = [n for n in names_rec if n in table]
    if not common:
        return 0, 0, 0.0
    ir, im = [names_rec.index(n) for n in common], [names.index(n) for n in common]
    tol = np.array([table[n][1] for n in common])
    gap = np.abs(model[:, im] - printed(y_rec[:, ir])) / tol
    return len(common), int((gap.max(axis=1) == 0).sum()), float(gap.max())


def report(args, keys, w, meta, names, table, model, s2, same):
    n = len(w)
    ncommon, nsame, gap = same
    mean = w @ model
    sd = np.sqrt(w @ (model - mean) ** 2)
    head = (f"{n} weighted draws of {os.path.basename(args.posterior)} (/{meta['group']}; effective sample size "
            f"{meta['ess']:.1f} over the whole record; commit {meta['commit'] or 'unknown'}) run again by `sim calibrate --check "
            f"{args.scenario} {args.targets}"
            + (" " + " ".join(args.passthrough) if args.passthrough else "") + "`. ")
    if ncommon == 0:
        head += "The record holds none of these targets: nothing shows that its weights fit these runs."
    elif nsame == n:
        head += (f"All {n} runs reproduce the record's {ncommon} targets exactly: the weights belong to these runs.")
    else:
        head += (f"**Only {nsame} of {n} runs reproduce the record's {ncommon} targets** (largest difference "
                 f"{gap:.3g} tolerances): the weights were computed for other runs.")
    head += (f" z = (model - value) / sqrt(s2 tolerance^2 + sd^2) with s2 = {s2:.3g}"
             + ("" if args.uncertainty else " (no --uncertainty record: s2 = 1)") + ".")
    out = [head, "", "| target | value | tolerance | posterior predictive mean | sd | 5% to 95% | z | sample |",
           "|---|---:|---:|---:|---:|---:|---:|---|"]
    for j, name in enumerate(names):
        value, tol, _, fit = table[name]
        lo, hi = weighted_quantile(model[:, j], w, 0.05), weighted_quantile(model[:, j], w, 0.95)
        z = "" if fit else f"{(mean[j] - value) / np.sqrt(s2 * tol ** 2 + sd[j] ** 2):+.2f}"
        out.append(f"| {name} | {value:.6g} | {tol:.3g} | {mean[j]:.6g} | {sd[j]:.3g} | {lo:.6g} to {hi:.6g} | {z} | "
                   f"{'in' if fit else 'out'} |")
    return "\n".join(out) + "\n"


def main(argv):
    argv_all = list(argv)
    passthrough = []
    if "--" in argv:
        cut = argv.index("--")
        argv, passthrough = argv[:cut], argv[cut + 1:]
    ap = argparse.ArgumentParser(prog="posterior-predict.py", description=__doc__.split("\n")[0])
    ap.add_argument("scenario")
    ap.add_argument("targets")
    ap.add_argument("posterior")
    ap.add_argument("--uncertainty")
    ap.add_argument("--markdown")
    ap.add_argument("--sim", default="build/sim")
    ap.add_argument("--limit", type=int, default=0)
    args = ap.parse_args(argv[1:])
    args.passthrough = passthrough
    if args.limit < 0:
        print("posterior-predict.py: --limit N: N >= 0 (0: every draw of positive weight)", file=sys.stderr)
        return 2
    try:
        keys, x, w, names_rec, y_rec, meta = read_posterior(args.posterior)
        s2 = variance_factor(args.uncertainty) if args.uncertainty else 1.0
        pick = np.flatnonzero(w > 0)
        if args.limit:
            pick = pick[np.argsort(-w[pick], kind="stable")[:args.limit]]
        tables = [run_at(args, keys, x[i]) for i in pick]
    except (OSError, ValueError, RuntimeError, KeyError) as e:
        print(f"posterior-predict.py: {e.args[0] if isinstance(e, KeyError) else e}", file=sys.stderr)
        return 1
    names = list(tables[0])
    if any(list(t) != names for t in tables):
        print(f"posterior-predict.py: {args.targets}: the runs printed different targets", file=sys.stderr)
        return 1
    model = np.array([[t[n][2] for n in names] for t in tables])
    wp = w[pick] / w[pick].sum()
    same = agreement(names_rec, y_rec[pick], names, model, tables[0])
    md = report(args, keys, wp, meta, names, tables[0], model, s2, same)
    sys.stdout.write(md)
    if args.markdown:
        page = ("# What the calibrated parameters' posterior predicts\n\n"
                "<!-- generated by scripts/posterior-predict.py (docs/validation.md; `make posterior-predictive`) on "
                + datetime.date.today().isoformat() + "; do not edit -->\n`"
                + " ".join(os.path.basename(a) if i == 0 else a for i, a in enumerate(argv_all)) + "`\n\n" + md)
        if load_script("uncertainty-part").write_atomic(args.markdown, page, "posterior-predict.py") != 0:
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
