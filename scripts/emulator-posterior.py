#!/usr/bin/env python3
"""emulator-posterior.py: the calibrated parameters' posterior through an emulator
of the targets, corrected by model runs (docs/calibration.md, "The posterior
through an emulator").

    emulator-posterior.py [options] SCENARIO TARGETS RECORD.h5 [RECORD.h5 ...] -- [sim calibrate options]

1. The emulator: every target's model mean in the parameters (standardised by
   the runs' mean and sd) as a quadratic (least squares with a ridge of 1e-6 on all
   coefficients but the intercept) or as a thin-plate-spline radial basis function
   with a quadratic polynomial, smoothed (scipy's RBFInterpolator, the targets in
   tolerances); --emulator auto (the default) takes whichever of the quadratic and
   the RBF at smoothings 0.001 to 100 has the lowest mean 10-fold cross-validated
   error over the in-sample targets, and prints them all. It is fitted to every parameter set
   the RECORDs ran (`sim calibrate --uncertainty --draws N` and `--posterior N`
   write them: /calibration/uncertainty/draws and /calibration/posterior/draws with
   the targets there; an OUT.h5 of this script adds its runs, for a second round).
   The first RECORD must be a `sim calibrate --uncertainty` record. Its 10-fold cross-validated error is printed per target, in
   tolerances.
2. The emulated posterior: a random-walk Metropolis chain on exp(-RSS_emu / 2 s2)
   inside the bounds (s2 and Sigma, the proposal's shape, from the first RECORD's
   /calibration/uncertainty), its step scaled during the first fifth toward a
   quarter accepted; the first fifth is dropped. Its acceptance rate and how many
   independent states it is worth (the slowest integrated autocorrelation time of
   the parameters and the emulated likelihood) are printed, with a warning when
   that is fewer than the runs.
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
--steps N (200000), --seed N (1), --sim PATH (build/sim), --markdown FILE,
--emulator auto|quadratic|rbf (auto).
Needs numpy, scipy and h5py (find the interpreter as tests/pyfind.sh does). Exit 1 with
one line naming the problem on a missing record, too few runs to fit the
emulator, or a run that fails.
"""
import argparse
import datetime
import os
import subprocess
import sys

import h5py
import numpy as np

# as sim calibrate --posterior (SIM_POSTERIOR_MIN_ESS, _MAX_WEIGHT, _CARE_SHARE in sim/app/fit_posterior.h)
NOT_USED_ESS, NOT_USED_WEIGHT, CARE_SHARE = 20.0, 0.2, 0.1


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
                   "fit": tab["in_sample"].astype(bool), "git_hash": text(f.attrs.get("git_hash", b""))}
    for path in paths:
        with h5py.File(path, "r") as f:
            for group in ("calibration/uncertainty", "calibration/posterior", "emulator_posterior"):
                if group in f and "draws" in f[group]:
                    g = f[group]
                    if [text(k) for k in g["draws"].attrs["columns"]] != setting["keys"]:
                        raise ValueError(f"{path}: {group}: other parameters than {paths[0]}")
                    if [text(k) for k in g["draw_targets"].attrs["columns"]] != setting["names"]:
                        raise ValueError(f"{path}: {group}: other targets than {paths[0]}")
                    xs.append(g["draws"][()])
                    ys.append(g["draw_targets"][()])
    if not xs:
        raise ValueError(f"{', '.join(paths)}: no parameter sets (allowed: records of --draws N or --posterior N)")
    x, y = np.vstack(xs), np.vstack(ys)
    ok = np.isfinite(y).all(axis=1)
    return x[ok], y[ok], setting


def features(z):
    """1, z_i and z_i z_j (i <= j) of the standardised parameters z [n][k]."""
    z = np.atleast_2d(z)
    k = z.shape[1]
    cols = [np.ones(len(z))] + [z[:, i] for i in range(k)] + [z[:, i] * z[:, j] for i in range(k) for j in range(i, k)]
    return np.column_stack(cols)


class Emulator:
    """Every target's model mean in the parameters, standardised by the training runs'
    mean and sd. kind "quadratic": least squares with a small ridge on every coefficient
    but the intercept (the quadratic columns are nearly collinear where the runs cluster).
    kind "rbf": a thin-plate-spline radial basis function with a quadratic polynomial
    (scipy's RBFInterpolator) of the targets in tolerances, smoothed by `smoothing` (the
    runs are model means with chance in them, so it need not pass through them); one
    kernel for all targets."""

    def __init__(self, x, y, tol, kind="quadratic", smoothing=1.0, ridge=1e-6):
        self.mu, self.sd = x.mean(axis=0), x.std(axis=0)
        self.sd[self.sd == 0] = 1.0
        self.kind, self.smoothing, self.tol = kind, smoothing, np.asarray(tol, dtype=float)
        if kind == "rbf":
            from scipy.interpolate import RBFInterpolator   # only the RBF needs scipy
            self.rbf = RBFInterpolator(self.z(x), y / self.tol, kernel="thin_plate_spline", degree=2,
                                       smoothing=smoothing)
            return
        f = features(self.z(x))
        pen = ridge * np.eye(f.shape[1])
        pen[0, 0] = 0.0
        self.coef = np.linalg.solve(f.T @ f + pen, f.T @ y)

    def z(self, x):
        return (np.atleast_2d(x) - self.mu) / self.sd

    def __call__(self, x):
        if self.kind == "rbf":
            return self.rbf(self.z(x)) * self.tol
        return features(self.z(x)) @ self.coef

    def describe(self):
        return emulator_name(self.kind, self.smoothing)


def emulator_name(kind, smoothing):
    return f"thin-plate-spline RBF with a quadratic, smoothing {smoothing:g}" if kind == "rbf" else "quadratic"


def cross_validated_error(x, y, tol, kind="quadratic", smoothing=1.0, folds=10, seed=1):
    """rms of the 10-fold cross-validated emulator error of every target, in tolerances."""
    idx = np.random.default_rng(seed).permutation(len(y))
    res = np.zeros_like(y)
    for part in np.array_split(idx, folds):
        train = np.setdiff1d(idx, part)
        res[part] = Emulator(x[train], y[train], tol, kind, smoothing)(x[part]) - y[part]
    return np.sqrt(((res / tol) ** 2).mean(axis=0))


# the RBF smoothings tried (in tolerances squared, roughly: the kernel's diagonal is raised by it)
SMOOTHINGS = (1e-3, 1e-2, 0.1, 1.0, 10.0, 100.0)


def choose_emulator(x, y, s, kind):
    """The emulator of the lowest mean cross-validated error over the in-sample targets
    among those `kind` allows ("auto": the quadratic and the RBF at each smoothing), its
    errors per target, and one line per candidate tried."""
    cands = ([("quadratic", 1.0)] if kind in ("auto", "quadratic") else []) \
        + ([("rbf", sm) for sm in SMOOTHINGS] if kind in ("auto", "rbf") else [])
    tried, lines = [], []
    for k, sm in cands:
        try:
            cv = cross_validated_error(x, y, s["tol"], k, sm)
        except (np.linalg.LinAlgError, ValueError, ImportError) as e:   # a singular fit, or no scipy
            if kind != "auto":
                raise ValueError(f"emulator {emulator_name(k, sm)}: {e}") from e
            lines.append(f"{emulator_name(k, sm)} not fitted ({str(e).splitlines()[0] if str(e) else type(e).__name__})")
            continue
        tried.append((float(cv[s["fit"]].mean()), k, sm, cv))
        lines.append(f"{emulator_name(k, sm)} {tried[-1][0]:.3f}")
    if not tried:
        raise ValueError("no emulator could be fitted: " + "; ".join(lines))
    best = min(tried, key=lambda t: t[0])
    return Emulator(x, y, s["tol"], best[1], best[2]), best[3], lines


def log_lik(y, s):
    r = ((y - s["value"]) / s["tol"])[..., s["fit"]]
    return -0.5 * (r * r).sum(axis=-1) / s["s2"]


def chain(s, emulator, steps, rng):
    """Random-walk Metropolis on the emulated likelihood inside the bounds, from the
    point assessed; the states after the first fifth (every 10th), the emulated
    log-likelihood, and the acceptance rate after the first fifth."""
    lo, hi, k = s["lo"], s["hi"], len(s["keys"])
    def emu(th):
        inside = (th >= lo).all() and (th <= hi).all()
        return float(log_lik(emulator(th), s)[0]) if inside else -np.inf
    chol = np.linalg.cholesky(s["cov"])
    scale, th = 2.38 / np.sqrt(k), s["at"].copy()
    ll, kept, acc, burn, acc_after = emu(th), [], 0, steps // 5, 0
    for it in range(steps):
        prop = th + scale * (chol @ rng.standard_normal(k))
        lp = emu(prop)
        if np.log(rng.random()) < lp - ll:
            th, ll = prop, lp
            acc += 1
            acc_after += it >= burn
        if it < burn and (it + 1) % 500 == 0:   # toward a quarter accepted
            scale *= np.exp(acc / 500.0 - 0.25)
            acc = 0
        if it >= burn and it % 10 == 0:
            kept.append(th.copy())
    return np.array(kept), emu, acc_after / max(1, steps - burn)


def autocorrelation_time(v, limit=2000):
    """Integrated autocorrelation time of a series (in its own steps), summed until the
    autocorrelation first falls below 0.05."""
    v = np.asarray(v, dtype=float) - np.mean(v)
    n, var = len(v), float(v @ v)
    if var == 0.0:
        return float("inf")
    tau = 1.0
    for lag in range(1, min(n - 1, limit)):
        r = float(v[:-lag] @ v[lag:]) / var
        if r < 0.05:
            break
        tau += 2.0 * r
    return tau


def run_model(args, s, theta):
    cmd = [args.sim, "calibrate", "--check", args.scenario, args.targets, "-q"] + args.passthrough
    for key, v in zip(s["keys"], theta):
        cmd += ["--set", f"{key}={v:.17g}"]
    p = subprocess.run(cmd, capture_output=True, text=True)
    means = {}
    for line in p.stdout.splitlines():
        c = line.split()
        if len(c) >= 4 and c[0] in s["names"] and c[0] not in means:   # the target table comes first
            means[c[0]] = float(c[3])
    if p.returncode not in (0, 1) or len(means) != len(s["names"]):
        raise RuntimeError(f"{args.scenario}: the run at {dict(zip(s['keys'], theta))} failed: "
                           + (p.stderr.strip().splitlines() or ["no table"])[-1])
    y = np.array([means[n] for n in s["names"]])
    if not np.isfinite(y).all():
        raise RuntimeError(f"{args.scenario}: the run at {dict(zip(s['keys'], theta))} left a target undefined")
    return y


def weighted(x, w):
    m = w @ x
    return m, np.sqrt(w @ (x - m) ** 2)


def verdict(ess, max_w, n):
    if not np.isfinite(ess) or ess < NOT_USED_ESS or max_w > NOT_USED_WEIGHT:
        return "too few effective draws: not to be used"
    return "usable with care: the emulator fits the posterior poorly" if ess / n < CARE_SHARE else "usable"


def write_h5(path, s, cv, picks, ll, ll_emu, w, y, summary, emulator, provenance):
    tmp = f"{path}.partial-{os.getpid()}"
    try:
        with h5py.File(tmp, "w") as f:
            g = f.create_group("emulator_posterior")
            g.attrs["parameters"] = s["keys"]
            g.attrs["targets"] = s["names"]
            for name, data in (("draws", picks), ("draw_targets", y), ("log_likelihood", ll),
                               ("log_likelihood_emulated", ll_emu), ("weight", w), ("emulator_cv_error", cv)):
                g.create_dataset(name, data=data)
            g["draws"].attrs["columns"] = s["keys"]            # so that a later round can read its runs
            g["draw_targets"].attrs["columns"] = s["names"]
            for name, data in summary.items():
                g.create_dataset(name, data=data)
            g.attrs["effective_sample_size"] = 1.0 / float((w * w).sum())
            g.attrs["max_weight"] = float(w.max())
            g.attrs["emulator"] = emulator
            for name, value in provenance.items():
                g.attrs[name] = value
            g.attrs["method"] = ("an emulator of the targets (attribute emulator), Metropolis on its likelihood, runs of "
                                 "the model at draws of that chain weighted by likelihood over emulated likelihood; "
                                 "docs/calibration.md")
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def tables(s, cv, n_fit, picks, w, y, args, acceptance, chain_ess, emulator, tried):
    ess, max_w, n = 1.0 / float((w * w).sum()), float(w.max()), len(w)
    pm, psd = weighted(picks, w)
    tm, tsd = weighted(y, w)
    se = np.sqrt(np.diag(s["cov"]))
    out = [f"Emulators tried (mean 10-fold cross-validated error over the in-sample targets, in tolerances): "
           f"{'; '.join(tried)}.", "",
           f"Emulator ({emulator.describe()}) fitted to {n_fit} runs (10-fold cross-validated error, in tolerances: "
           f"{cv[s['fit']].min():.2f} to {cv[s['fit']].max():.2f} over the in-sample targets); {args.steps} Metropolis "
           f"steps, {100 * acceptance:.0f}% accepted after the first fifth, worth about {chain_ess:.0f} independent "
           f"states (the slowest of the parameters and the emulated likelihood); {n} runs of the model at draws of "
           f"that chain. Effective sample size {ess:.1f} of {n} ({100 * ess / n:.0f}%), largest weight {max_w:.3f}: "
           f"{verdict(ess, max_w, n)}.", "",
           "| parameter | linearised: value | standard error | posterior mean | posterior sd |", "|---|---:|---:|---:|---:|"]
    for k, a, e, m, d in zip(s["keys"], s["at"], se, pm, psd):
        out.append(f"| `{k}` | {a:.4g} | {e:.3g} | {m:.4g} | {d:.3g} |")
    out += ["", "| target | value | posterior mean | posterior sd | z (out of sample) | emulator error (tolerances) | sample |",
            "|---|---:|---:|---:|---:|---:|---|"]
    for i, name in enumerate(s["names"]):
        z = "" if s["fit"][i] else f"{(tm[i] - s['value'][i]) / np.sqrt(s['s2'] * s['tol'][i] ** 2 + tsd[i] ** 2):+.2f}"
        out.append(f"| {name} | {s['value'][i]:.6g} | {tm[i]:.6g} | {tsd[i]:.3g} | {z} | {cv[i]:.2f} | "
                   f"{'in' if s['fit'][i] else 'out'} |")
    if chain_ess < n:
        out.insert(1, f"\nThe chain is worth fewer independent states ({chain_ess:.0f}) than the runs ({n}): the runs "
                      "are not independent draws of the emulated posterior; use more --steps.")
    return "\n".join(out) + "\n", {"mean": pm, "sd": psd, "target_mean": tm, "target_sd": tsd}


def main(argv):
    argv_all = list(argv)
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
    ap.add_argument("--emulator", choices=("auto", "quadratic", "rbf"), default="auto")
    args = ap.parse_args(argv[1:])
    args.passthrough = passthrough
    if args.runs < 2 or args.steps < 5000:
        print("emulator-posterior.py: --runs at least 2, --steps at least 5000", file=sys.stderr)
        return 2
    try:
        x, y0, s = read_records(args.records)
        ncoef = features(x[:1]).shape[1]
        if len(x) < 2 * ncoef:
            raise ValueError(f"{len(x)} runs in the records for {ncoef} emulator coefficients a target "
                             f"(allowed: at least {2 * ncoef})")
        emulator, cv, tried = choose_emulator(x, y0, s, args.emulator)
        rng = np.random.default_rng(args.seed)
        states, emu, acceptance = chain(s, emulator, args.steps, rng)
        if args.runs > len(states):
            raise ValueError(f"--runs {args.runs}: the chain kept {len(states)} states (allowed: fewer runs or more --steps)")
        tau = max(autocorrelation_time([emu(th) for th in states]),
                  max(autocorrelation_time(states[:, j]) for j in range(states.shape[1])))
        picks = states[rng.choice(len(states), size=args.runs, replace=False)]
        y = np.array([run_model(args, s, th) for th in picks])
    except (OSError, ValueError, RuntimeError, KeyError, np.linalg.LinAlgError) as e:
        print(f"emulator-posterior.py: {e}", file=sys.stderr)
        return 1
    ll, ll_emu = log_lik(y, s), np.array([emu(th) for th in picks])
    lw = ll - ll_emu
    w = np.exp(lw - lw.max())
    w /= w.sum()
    md, summary = tables(s, cv, len(x), picks, w, y, args, acceptance, len(states) / tau, emulator, tried)
    sys.stdout.write(md)
    try:
        os.makedirs(os.path.dirname(args.output) or ".", exist_ok=True)
        provenance = {"command_line": " ".join(argv_all), "git_hash": s["git_hash"]}
        write_h5(args.output, s, cv, picks, ll, ll_emu, w, y, summary, emulator.describe(), provenance)
        if args.markdown:
            tmp = f"{args.markdown}.partial-{os.getpid()}"
            try:
                with open(tmp, "w", encoding="utf-8") as fh:
                    fh.write("# The calibrated parameters' posterior through an emulator\n\n"
                             "<!-- generated by scripts/emulator-posterior.py (docs/calibration.md; `make "
                             "calibration-posterior`) on " + datetime.date.today().isoformat() + "; do not edit -->\n`" + " ".join(os.path.basename(a) if i == 0 else a
                                                               for i, a in enumerate(argv_all)) + "`\n\n" + md)
                os.replace(tmp, args.markdown)
            finally:
                if os.path.exists(tmp):
                    os.unlink(tmp)
    except OSError as e:
        print(f"emulator-posterior.py: {e}", file=sys.stderr)
        return 1
    print(f"output: {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
