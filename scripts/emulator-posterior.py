#!/usr/bin/env python3
"""emulator-posterior.py: the calibrated parameters' posterior through an emulator
of the targets, corrected by model runs (docs/calibration.md, "The posterior
through an emulator").

    emulator-posterior.py [options] SCENARIO TARGETS RECORD.h5 [RECORD.h5 ...] -- [sim calibrate options]

1. The emulator: every target's model mean as a quadratic in the parameters (scaled
   to their bounds; least squares with a small ridge), fitted to every parameter set
   the RECORDs ran (`sim calibrate --uncertainty --draws N` and `--posterior N`
   write them: /calibration/uncertainty/draws and /calibration/posterior/draws with
   the targets there). Its 10-fold cross-validated error is printed per target, in
   tolerances.
2. The emulated posterior: a random-walk Metropolis chain on exp(-RSS_emu / 2 s2)
   inside the bounds (s2 and Sigma, the proposal's shape, from the first RECORD's
   /calibration/uncertainty), its step scaled during the first fifth toward a
   quarter accepted; the first fifth is dropped.
3. The correction: --runs parameter sets picked at random from the rest of the
   chain are run by `sim calibrate --check SCENARIO TARGETS --set KEY=VALUE ...`
   with the options after `--` (the same replications and scale as the RECORDs),
   and weighted by likelihood over emulated likelihood, exp(-(RSS - RSS_emu) / 2
   s2): self-normalised importance sampling whose proposal is the emulated
   posterior. The effective sample size and the verdict are those of `sim
   calibrate --posterior` (not to be used below 20 effective draws or with a weight
   above 0.2; with care below 10% of the runs).

Writes OUT.h5 (-o, default results/emulator-posterior.h5; atomically) and prints
the tables (Markdown with --markdown FILE). Options: -o OUT.h5, --runs N (60),
--steps N (200000), --seed N (1), --sim PATH (build/sim), --markdown FILE.
Needs numpy and h5py (find the interpreter as tests/pyfind.sh does). Exit 1 with
one line naming the problem on a missing record, too few runs to fit the
emulator, or a run that fails.
"""
import argparse
import os
import subprocess
import sys

import h5py
import numpy as np

NOT_USED_ESS, NOT_USED_WEIGHT, CARE_SHARE = 20.0, 0.2, 0.1   # as sim calibrate --posterior


def text(v):
    return v.decode() if isinstance(v, bytes) else str(v)


def read_records(paths):
    """Parameter sets and target means of every run the records hold, and the
    first record's setting: keys, bounds, point, Sigma, s2, the target table."""
    xs, ys = [], []
    with h5py.File(paths[0], "r") as f:
        if "calibration/uncertainty" not in f:
            raise ValueError(f"{paths[0]}: no /calibration/uncertainty (allowed: sim calibrate --uncertainty output)")
        u, tab = f["calibration/uncertainty"], f["calibration/table"][()]
        setting = {"keys": [text(k) for k in u.attrs["parameters"]], "lo": u["lower"][()], "hi": u["upper"][()],
                   "at": u["value"][()], "cov": u["covariance"][()], "s2": float(u.attrs["variance_factor"][0]),
                   "names": [text(n) for n in tab["name"]], "value": tab["value"], "tol": tab["tolerance"],
                   "fit": tab["in_sample"].astype(bool)}
    for path in paths:
        with h5py.File(path, "r") as f:
            for group in ("calibration/uncertainty", "calibration/posterior"):
                if group in f and "draws" in f[group]:
                    g = f[group]
                    if [text(k) for k in g["draws"].attrs["columns"]] != setting["keys"]:
                        raise ValueError(f"{path}: {group}: other parameters than {paths[0]}")
                    xs.append(g["draws"][()])
                    ys.append(g["draw_targets"][()])
    if not xs:
        raise ValueError(f"{', '.join(paths)}: no parameter sets (allowed: records of --draws N or --posterior N)")
    x, y = np.vstack(xs), np.vstack(ys)
    ok = np.isfinite(y).all(axis=1)
    return x[ok], y[ok], setting


def features(z):
    """1, z_i and z_i z_j (i <= j) of the scaled parameters z [n][k]."""
    z = np.atleast_2d(z)
    k = z.shape[1]
    cols = [np.ones(len(z))] + [z[:, i] for i in range(k)] + [z[:, i] * z[:, j] for i in range(k) for j in range(i, k)]
    return np.column_stack(cols)


def fit(f, y, ridge=1e-3):
    return np.linalg.solve(f.T @ f + ridge * np.eye(f.shape[1]), f.T @ y)


def cross_validated_error(f, y, tol, folds=10, seed=1):
    """rms of the 10-fold cross-validated emulator error of every target, in tolerances."""
    idx = np.random.default_rng(seed).permutation(len(y))
    res = np.zeros_like(y)
    for part in np.array_split(idx, folds):
        train = np.setdiff1d(idx, part)
        res[part] = f[part] @ fit(f[train], y[train]) - y[part]
    return np.sqrt(((res / tol) ** 2).mean(axis=0))


def log_lik(y, s):
    r = ((y - s["value"]) / s["tol"])[..., s["fit"]]
    return -0.5 * (r * r).sum(axis=-1) / s["s2"]


def chain(s, coef, steps, rng):
    """Random-walk Metropolis on the emulated likelihood inside the bounds; the
    states after the first fifth (every 10th)."""
    lo, hi, k = s["lo"], s["hi"], len(s["keys"])
    def emu(th):
        z = (th - lo) / (hi - lo)
        return -np.inf if (z < 0).any() or (z > 1).any() else float(log_lik(features(z) @ coef, s)[0])
    chol = np.linalg.cholesky(s["cov"])
    scale, th = 2.38 / np.sqrt(k), s["at"].copy()
    ll, kept, acc, burn = emu(th), [], 0, steps // 5
    for it in range(steps):
        prop = th + scale * (chol @ rng.standard_normal(k))
        lp = emu(prop)
        if np.log(rng.random()) < lp - ll:
            th, ll, acc = prop, lp, acc + 1
        if it < burn and (it + 1) % 500 == 0:   # toward a quarter accepted
            scale *= np.exp(acc / 500.0 - 0.25)
            acc = 0
        if it >= burn and it % 10 == 0:
            kept.append(th.copy())
    return np.array(kept), emu


def run_model(args, s, theta):
    cmd = [args.sim, "calibrate", "--check", args.scenario, args.targets, "-q"] + args.passthrough
    for key, v in zip(s["keys"], theta):
        cmd += ["--set", f"{key}={v:.17g}"]
    p = subprocess.run(cmd, capture_output=True, text=True)
    means = {}
    for line in p.stdout.splitlines():
        c = line.split()
        if len(c) >= 4 and c[0] in s["names"]:
            means[c[0]] = float(c[3])
    if p.returncode not in (0, 1) or len(means) != len(s["names"]):
        raise RuntimeError(f"{args.scenario}: the run at {dict(zip(s['keys'], theta))} failed: "
                           + (p.stderr.strip().splitlines() or ["no table"])[-1])
    return np.array([means[n] for n in s["names"]])


def weighted(x, w):
    m = w @ x
    return m, np.sqrt(w @ (x - m) ** 2)


def verdict(ess, max_w, n):
    if ess < NOT_USED_ESS or max_w > NOT_USED_WEIGHT:
        return "too few effective draws: not to be used"
    return "usable with care: the emulator fits the posterior poorly" if ess / n < CARE_SHARE else "usable"


def write_h5(path, s, cv, picks, ll, ll_emu, w, y, summary):
    tmp = f"{path}.partial-{os.getpid()}"
    try:
        with h5py.File(tmp, "w") as f:
            g = f.create_group("emulator_posterior")
            g.attrs["parameters"] = s["keys"]
            g.attrs["targets"] = s["names"]
            for name, data in (("draws", picks), ("draw_targets", y), ("log_likelihood", ll),
                               ("log_likelihood_emulated", ll_emu), ("weight", w), ("emulator_cv_error", cv)):
                g.create_dataset(name, data=data)
            for name, data in summary.items():
                g.create_dataset(name, data=data)
            g.attrs["effective_sample_size"] = 1.0 / float((w * w).sum())
            g.attrs["max_weight"] = float(w.max())
            g.attrs["method"] = ("quadratic emulator of the targets, Metropolis on its likelihood, runs of the model at "
                                 "draws of that chain weighted by likelihood over emulated likelihood; docs/calibration.md")
        os.replace(tmp, path)
    except OSError:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def tables(s, cv, n_fit, picks, w, y, args):
    ess, max_w, n = 1.0 / float((w * w).sum()), float(w.max()), len(w)
    pm, psd = weighted(picks, w)
    tm, tsd = weighted(y, w)
    se = np.sqrt(np.diag(s["cov"]))
    out = [f"Emulator fitted to {n_fit} runs (10-fold cross-validated error, in tolerances: "
           f"{cv[s['fit']].min():.2f} to {cv[s['fit']].max():.2f} over the in-sample targets); {args.steps} Metropolis "
           f"steps; {n} runs of the model at draws of that chain. Effective sample size {ess:.1f} of {n} "
           f"({100 * ess / n:.0f}%), largest weight {max_w:.3f}: {verdict(ess, max_w, n)}.", "",
           "| parameter | linearised: value | standard error | posterior mean | posterior sd |", "|---|---:|---:|---:|---:|"]
    for k, a, e, m, d in zip(s["keys"], s["at"], se, pm, psd):
        out.append(f"| `{k}` | {a:.4g} | {e:.3g} | {m:.4g} | {d:.3g} |")
    out += ["", "| target | value | posterior mean | posterior sd | z (out of sample) | emulator error (tolerances) | sample |",
            "|---|---:|---:|---:|---:|---:|---|"]
    for i, name in enumerate(s["names"]):
        z = "" if s["fit"][i] else f"{(tm[i] - s['value'][i]) / np.sqrt(s['s2'] * s['tol'][i] ** 2 + tsd[i] ** 2):+.2f}"
        out.append(f"| {name} | {s['value'][i]:.6g} | {tm[i]:.6g} | {tsd[i]:.3g} | {z} | {cv[i]:.2f} | "
                   f"{'in' if s['fit'][i] else 'out'} |")
    return "\n".join(out) + "\n", {"mean": pm, "sd": psd, "target_mean": tm, "target_sd": tsd}


def main(argv):
    if "--" in argv:
        cut = argv.index("--")
        argv, passthrough = argv[:cut], argv[cut + 1:]
    else:
        passthrough = []
    ap = argparse.ArgumentParser(prog="emulator-posterior.py", description=__doc__.split("\n")[0])
    ap.add_argument("scenario")
    ap.add_argument("targets")
    ap.add_argument("records", nargs="+")
    ap.add_argument("-o", "--output", default="results/emulator-posterior.h5")
    ap.add_argument("--runs", type=int, default=60)
    ap.add_argument("--steps", type=int, default=200000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--sim", default="build/sim")
    ap.add_argument("--markdown")
    args = ap.parse_args(argv[1:])
    args.passthrough = passthrough
    if args.runs < 2 or args.steps < 1000:
        print("emulator-posterior.py: --runs at least 2, --steps at least 1000", file=sys.stderr)
        return 2
    try:
        x, y0, s = read_records(args.records)
        f = features((x - s["lo"]) / (s["hi"] - s["lo"]))
        if len(x) < 2 * f.shape[1]:
            raise ValueError(f"{len(x)} runs in the records for {f.shape[1]} emulator coefficients a target "
                             f"(allowed: at least {2 * f.shape[1]})")
        cv, coef = cross_validated_error(f, y0, s["tol"]), fit(f, y0)
        rng = np.random.default_rng(args.seed)
        states, emu = chain(s, coef, args.steps, rng)
        picks = states[rng.choice(len(states), size=min(args.runs, len(states)), replace=False)]
        y = np.array([run_model(args, s, th) for th in picks])
    except (OSError, ValueError, RuntimeError, KeyError) as e:
        print(f"emulator-posterior.py: {e}", file=sys.stderr)
        return 1
    ll, ll_emu = log_lik(y, s), np.array([emu(th) for th in picks])
    lw = ll - ll_emu
    w = np.exp(lw - lw.max())
    w /= w.sum()
    md, summary = tables(s, cv, len(x), picks, w, y, args)
    sys.stdout.write(md)
    try:
        if args.markdown:
            with open(args.markdown + ".partial", "w", encoding="utf-8") as fh:
                fh.write(md)
            os.replace(args.markdown + ".partial", args.markdown)
        os.makedirs(os.path.dirname(args.output) or ".", exist_ok=True)
        write_h5(args.output, s, cv, picks, ll, ll_emu, w, y, summary)
    except OSError as e:
        print(f"emulator-posterior.py: {e}", file=sys.stderr)
        return 1
    print(f"output: {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
