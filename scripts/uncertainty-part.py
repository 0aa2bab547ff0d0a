#!/usr/bin/env python3
"""uncertainty-part.py: some of a calibration's parameters, with their joint
uncertainty, as entries of a scenario's `uncertainty` list (docs/calibration.md,
"How well the history pins the parameters down").

    uncertainty-part.py [--posterior | --sample] [--force] CALIBRATION.h5 OUT.cfg KEY [KEY ...]

CALIBRATION.h5 is the output of `sim calibrate --uncertainty` (its group
/calibration/uncertainty). For the KEYs, in the order given, OUT.cfg gets one
truncated normal per parameter (mean: the value assessed; sd: its standard error;
min and max: the calibration's bounds) and one correlation block with their
correlations: the marginal of the calibration's Gaussian copula over those
parameters, so the other parameters (a Covid shock the policy scenarios do not
have, say) can be left out. With --posterior the means, sds and correlations are
the posterior's of `--posterior N` instead (its group /calibration/posterior: a
normal with the posterior's first two moments). A posterior the tool itself calls
not to be used (fewer than 20 effective draws, or one draw with more than 20% of
the weight: docs/calibration.md) is refused unless --force is given. Needs h5py (find the interpreter as tests/pyfind.sh
does). Written atomically; exit 1 with one line naming the problem and the keys
the file has when a KEY is not one of its parameters or the file has no group.

With --sample OUT.cfg gets the posterior's weighted draws themselves instead of a
normal: one sample entry (sim/app/uncertainty.h) whose rows are the draws' values
of the KEYs and whose weights are their importance weights, so that `sim run
--draw-parameters` resamples the posterior (its skew, its bounds, its ridges)
rather than a normal with its moments. CALIBRATION.h5 is then the output of
scripts/emulator-posterior.py (group /emulator_posterior) or of `sim calibrate
--posterior` (/calibration/posterior); the same refusal applies. A single KEY is enough (the other modes need two or more).
"""
import datetime
import os
import sys

import h5py
import numpy as np


def read(path, posterior=False):
    with h5py.File(path, "r") as f:
        if "calibration/uncertainty" not in f:
            raise KeyError(f"{path}: no /calibration/uncertainty (allowed: the output of sim calibrate --uncertainty)")
        if posterior and "calibration/posterior" not in f:
            raise KeyError(f"{path}: no /calibration/posterior (allowed: the output of sim calibrate --uncertainty --posterior N)")
        g = f["calibration/uncertainty"]
        keys = [k.decode() if isinstance(k, bytes) else str(k) for k in g.attrs["parameters"]]
        data = {name: np.asarray(g[name][()], dtype=float)
                for name in ("value", "standard_error", "lower", "upper", "correlation", "identified")}
        if posterior:
            p = f["calibration/posterior"]
            data["value"] = np.asarray(p["mean"][()], dtype=float)
            data["standard_error"] = np.asarray(p["sd"][()], dtype=float)
            data["correlation"] = np.asarray(p["correlation"][()], dtype=float)
            prior_var = (data["upper"] - data["lower"]) ** 2 / 12.0
            # a posterior on a box can be wider than the uniform over it: then 0, not negative
            data["identified"] = np.maximum(0.0, 1.0 - data["standard_error"] ** 2 / prior_var)
            ess = float(p.attrs["effective_sample_size"])
            max_w = float(p.attrs["max_weight"])
        def text(obj, name):
            v = obj.attrs.get(name, b"")
            return v.decode() if isinstance(v, bytes) else str(v)
        meta = {"command": text(f, "command_line"), "commit": text(f, "git_hash"),
                "targets": text(f["calibration"], "targets_file"), "s2": float(g.attrs["variance_factor"]),
                "ess": ess if posterior else None, "max_w": max_w if posterior else None}
    return keys, data, meta


def read_sample(path):
    """The weighted draws of a posterior: (keys, draws n x k, weights, meta)."""
    with h5py.File(path, "r") as f:
        name = next((g for g in ("emulator_posterior", "calibration/posterior") if g in f), None)
        if name is None:
            raise KeyError(f"{path}: no /emulator_posterior or /calibration/posterior (allowed: the output of "
                           "scripts/emulator-posterior.py or of sim calibrate --uncertainty --posterior N)")
        g = f[name]
        keys = [k.decode() if isinstance(k, bytes) else str(k) for k in g["draws"].attrs["columns"]]
        x = np.asarray(g["draws"][()], dtype=float)
        w = np.asarray(g["weight"][()], dtype=float)
        def text(obj, key):
            v = obj.attrs.get(key, b"")
            return v.decode() if isinstance(v, bytes) else str(v)
        meta = {"group": name, "command": text(f, "command_line") or text(g, "command_line"),
                "commit": text(f, "git_hash") or text(g, "git_hash"),
                "ess": float(np.ravel(g.attrs["effective_sample_size"])[0]),
                "max_w": float(np.ravel(g.attrs["max_weight"])[0])}
    return keys, x, w, meta


def sample_entry(keys, x, w, chosen, source):
    idx = [keys.index(k) for k in chosen]
    keep = w > 0
    rows = [",  ".join(repr(float(x[r, i])) for i in idx) for r in np.flatnonzero(keep)]
    names = ", ".join(f'"{k}"' for k in chosen)
    weights = ", ".join(repr(float(v)) for v in w[keep])
    return (f"  {{ sample = [{names}];\n    values = [" + ",\n              ".join(rows) + "];\n"
            f"    weights = [{weights}];\n    source = \"{source}\"; }}\n")


def write_atomic(out, text, prog="uncertainty-part.py"):
    """text into out under a temporary name, then renamed: 0, or 1 after one line on stderr."""
    tmp = f"{out}.partial-{os.getpid()}"
    try:
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, out)
    except OSError as e:
        print(f"{prog}: {out}: {e.strerror}", file=sys.stderr)
        if os.path.exists(tmp):
            os.unlink(tmp)
        return 1
    return 0


def refused(h5, meta):
    """One line when the posterior is one the tools call not to be used (fit_posterior.h thresholds)."""
    if meta["ess"] < 20 or meta["max_w"] > 0.2:
        return (f"uncertainty-part.py: {h5}: the posterior is not to be used (effective sample size {meta['ess']:.1f}, "
                f"largest weight {meta['max_w']:.3f}; allowed: at least 20 and at most 0.2, or --force)")
    return None


def main_sample(h5, out, chosen, force):
    try:
        keys, x, w, meta = read_sample(h5)
    except (OSError, KeyError) as e:
        print(f"uncertainty-part.py: {e.args[0] if isinstance(e, KeyError) else e}", file=sys.stderr)
        return 1
    unknown = [k for k in chosen if k not in keys]
    if unknown or len(set(chosen)) != len(chosen):
        why = f"{unknown[0]} is not a parameter of it" if unknown else "each key once"
        print(f"uncertainty-part.py: {h5}: {why} (allowed: {', '.join(keys)})", file=sys.stderr)
        return 1
    if not force and refused(h5, meta):
        print(refused(h5, meta), file=sys.stderr)
        return 1
    how = "scripts/emulator-posterior.py" if meta["group"] == "emulator_posterior" else "sim calibrate --posterior"
    n = int((w > 0).sum())
    source = (f"calibrated: the posterior of {how} (docs/calibration.md), {n} weighted draws, effective sample "
              f"size {meta['ess']:.0f}")
    head = (f"# {os.path.basename(out)}: {len(chosen)} calibrated parameters as the weighted draws of a posterior\n"
            f"# sample ({how}; docs/calibration.md), written {datetime.date.today().isoformat()} by\n"
            f"# scripts/uncertainty-part.py --sample from {os.path.basename(h5)} ({meta['command'] or 'no command recorded'};\n"
            f"# commit {meta['commit'] or 'unknown'}). Units: each key's own, as in scenarios/base.cfg. Rows: one draw\n"
            f"# each, in the keys' order; weights: the importance weights (effective sample size {meta['ess']:.1f},\n"
            f"# largest weight {meta['max_w']:.3f}). Not a scenario: an entry to @include inside `uncertainty = ( ... );`.\n")
    return write_atomic(out, head + sample_entry(keys, x, w, chosen, source))


def entries(keys, data, meta, chosen, source):
    idx = [keys.index(k) for k in chosen]
    out = []
    for i in idx:
        out.append(f'  {{ key = "{keys[i]}"; dist = "normal"; mean = {data["value"][i]:.10g}; '
                   f'sd = {data["standard_error"][i]:.6g}; min = {data["lower"][i]:.10g}; max = {data["upper"][i]:.10g};\n'
                   f'    source = "{source}; identified {100 * data["identified"][i]:.0f}%"; }},')
    r = data["correlation"]
    # exact (the shortest repr that reads back to the same double), so the block read back is
    # the positive-definite matrix computed; always with a point: a libconfig array mixes no types
    rows = [", ".join("1.0" if a == b else repr(float(r[max(a, b), min(a, b)])) for b in idx) for a in idx]
    names = ", ".join(f'"{keys[i]}"' for i in idx)
    what = "the posterior's correlations" if meta["ess"] is not None else "correlations of the linearised covariance"
    out.append(f"  {{ correlation = [{names}];\n    matrix = [" + ",\n              ".join(rows) + "];\n"
               f'    source = "{source}: {what}"; }}')
    return "\n".join(out) + "\n"


def main(argv):
    if len(argv) < 4 or argv[1] in ("-h", "--help"):
        print(__doc__.strip())
        return 0 if len(argv) > 1 and argv[1] in ("-h", "--help") else 2
    posterior, sample = argv[1] == "--posterior", argv[1] == "--sample"
    force = (posterior or sample) and len(argv) > 2 and argv[2] == "--force"
    if posterior or sample:
        argv = argv[:1] + argv[2 + force:]
        if len(argv) < 4:
            print(__doc__.strip())
            return 2
    h5, out, chosen = argv[1], argv[2], argv[3:]
    if sample:
        return main_sample(h5, out, chosen, force)
    try:
        keys, data, meta = read(h5, posterior)
    except (OSError, KeyError) as e:
        print(f"uncertainty-part.py: {e.args[0] if isinstance(e, KeyError) else e}", file=sys.stderr)
        return 1
    unknown = [k for k in chosen if k not in keys]
    if unknown or len(set(chosen)) != len(chosen) or len(chosen) < 2:
        why = f"{unknown[0]} is not a parameter of it" if unknown else "each key once, at least two"
        print(f"uncertainty-part.py: {h5}: {why} (allowed: {', '.join(keys)})", file=sys.stderr)
        return 1
    if posterior and not force and refused(h5, meta):
        print(refused(h5, meta), file=sys.stderr)
        return 1
    day = datetime.date.today().isoformat()
    if posterior:
        source = (f"calibrated: {meta['targets']} (docs/calibration.md), posterior mean and sd by importance "
                  f"sampling (effective sample size {meta['ess']:.0f})")
        how = "sim calibrate --uncertainty --posterior"
    else:
        source = f"calibrated: {meta['targets']} (docs/calibration.md), standard error from the targets' Jacobian"
        how = "sim calibrate --uncertainty"
    head = (f"# {os.path.basename(out)}: {len(chosen)} calibrated parameters with their joint uncertainty, the\n"
            f"# marginal over them of `{how}` (docs/calibration.md, written {day} by\n"
            f"# scripts/uncertainty-part.py from: {meta['command']}; commit {meta['commit']}).\n"
            f"# Units: each key's own, as in scenarios/base.cfg. Variance factor s2 = {meta['s2']:.3g}.\n"
            "# Not a scenario: list entries to @include inside `uncertainty = ( ... );`.\n")
    return write_atomic(out, head + entries(keys, data, meta, chosen, source))


if __name__ == "__main__":
    sys.exit(main(sys.argv))
