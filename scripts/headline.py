#!/usr/bin/env python3
"""headline.py: the headline results of the scenario library (docs/scenarios.md).

Runs every policy scenario at the national scale with the same seed and replication
count, then writes a Markdown block: one row per scenario (means over replications with
the 95% interval of the mean) and the paired contrasts that answer the scenarios'
questions (ALT - BASE with common random numbers, from `sim compare --json`).

    python3 scripts/headline.py [--reps 20] [--threads 2] [--scale 1] [--sim build/sim]
                                [--doc docs/scenarios.md]

With --doc the block replaces the text between the markers
`<!-- headline:begin -->` and `<!-- headline:end -->` of that file (written to a
temporary file first, then renamed); without it the block goes to standard output.
`make headline` runs it at full scale (about 4 minutes on 2 cores).
"""
import argparse
import json
import os
import stat
import subprocess
import sys
import tempfile

import h5py
import numpy as np
from scipy import stats

SCENARIOS = ["baseline", "pow-incidental", "pow-structural", "covid", "pow-incidental-covid",
             "pow-structural-covid", "cooperation-high", "cooperation-low", "pow-incidental-dose", "pow-structural-dose"]
# (label, base, alt): the questions the scenario files state in their headers.
CONTRASTS = [
    ("incidental PoW over the baseline", "baseline", "pow-incidental"),
    ("structural PoW over the baseline", "baseline", "pow-structural"),
    ("structural over incidental", "pow-incidental", "pow-structural"),
    ("Covid over the baseline", "baseline", "covid"),
    ("incidental PoW under Covid", "covid", "pow-incidental-covid"),
    ("structural PoW under Covid", "covid", "pow-structural-covid"),
    ("cooperation 0.2 more mature, incidental PoW", "pow-incidental", "cooperation-high"),
    ("cooperation 0.2 less mature, incidental PoW", "pow-incidental", "cooperation-low"),
    ("structural PoW over the baseline, maturity in proportion to its money", "baseline", "pow-structural-dose"),
    ("structural over incidental, maturity in proportion to its money", "pow-incidental-dose", "pow-structural-dose"),
]
# (column header, /summary field, divisor, decimals)
COLUMNS = [
    ("WSP placements", "placements", 1, 0),
    ("durable placements", "durable_placements", 1, 0),
    ("own exits to work", "exits_work_own", 1, 0),
    ("caseload at end", "caseload_end", 1, 0),
    ("activation cost (EUR M)", "cost_total", 1e6, 0),
    ("cost per durable (EUR)", "cost_per_durable", 1, 0),
]
BEGIN, END = "<!-- headline:begin -->", "<!-- headline:end -->"


def fmt(x, decimals=0):
    return f"{x:,.{decimals}f}"


def mean_ci(values):
    """Mean and half-width of its 95% t interval over replications (NaN values left out)."""
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    if len(v) < 2:
        return (float(v.mean()) if len(v) else float("nan")), float("nan")
    half = stats.t.ppf(0.975, len(v) - 1) * v.std(ddof=1) / np.sqrt(len(v))
    return float(v.mean()), float(half)


def run_all(sim, names, outdir, args):
    """One `sim run` of every scenario: those that differ from an earlier one only in their
    policy continue from its burn-in (the files are as separate runs write them)."""
    cmd = [sim, "run"] + [os.path.join("scenarios", n + ".cfg") for n in names] + [
           "-q", "-d", "summary", "-r", str(args.reps), "-t", str(args.threads), "--output-dir", outdir]
    if args.scale != 1.0:
        cmd += ["--scale", repr(args.scale)]
    subprocess.run(cmd, check=True)


def contrast(sim, base, alt, metric):
    out = subprocess.run([sim, "compare", base, alt, "--json", "--metric", metric],
                         check=True, capture_output=True, text=True).stdout
    rows = [r for r in json.loads(out) if r["region"] is None]
    if len(rows) != 1:
        sys.exit(f"headline.py: sim compare gave {len(rows)} national rows for {metric}")
    return rows[0]


def table(files):
    head = "| scenario | " + " | ".join(c[0] for c in COLUMNS) + " |"
    lines = [head, "|---|" + "---:|" * len(COLUMNS)]
    for name in SCENARIOS:
        with h5py.File(files[name], "r") as f:
            s = f["summary"][()]
        cells = []
        for _, field, div, dec in COLUMNS:
            m, h = mean_ci(s[field] / div)
            cells.append(f"{fmt(m, dec)} ± {fmt(h, dec)}" if np.isfinite(h) else fmt(m, dec))
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return lines


def relative(row):
    """'+5.2% [+5.1; +5.3]': the relative change with its delta-method interval (sim compare)."""
    r, lo, hi = row["rel_change"], row.get("rel_low"), row.get("rel_high")
    if r is None:
        return "n/a"
    if lo is None or hi is None:
        return f"{100 * r:+.1f}%"
    return f"{100 * r:+.1f}% [{100 * lo:+.1f}; {100 * hi:+.1f}]"


def contrasts(sim, files):
    lines = ["| question | durable placements, ALT − BASE | 95% interval | relative (95% interval) | caseload at end, ALT − BASE |",
             "|---|---:|---:|---:|---:|"]
    for label, base, alt in CONTRASTS:
        d = contrast(sim, files[base], files[alt], "durable_placements")
        c = contrast(sim, files[base], files[alt], "caseload_end")
        lines.append(f"| {label} ({alt} − {base}) | {d['diff']:+,.0f} | [{d['ci_low']:,.0f}; {d['ci_high']:,.0f}] "
                     f"| {relative(d)} | {c['diff']:+,.0f} [{c['ci_low']:,.0f}; {c['ci_high']:,.0f}] |")
    return lines


def commit():
    """The commit the tables come from, with -dirty when the model, its scenarios or
    the toolkit had uncommitted changes (the table then belongs to no commit)."""
    try:
        git = lambda *a: subprocess.run(["git", *a], check=True, capture_output=True, text=True).stdout.strip()
        dirty = git("status", "--porcelain", "--", "sim", "models", "scenarios")
        return git("rev-parse", "--short", "HEAD") + ("-dirty" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def block(args, sim, files):
    scale = "" if args.scale == 1.0 else f" --scale {args.scale:g}"
    intro = (f"Generated by `make headline` (scripts/headline.py; do not edit by hand): every scenario run with "
             f"`{os.path.relpath(sim)} run scenarios/NAME.cfg -r {args.reps}{scale}`, the scenarios' own seed, "
             f"model at commit {commit()}. ± is the half-width of the 95% interval of the mean over the "
             f"{args.reps} replications (chance only, not parameter uncertainty: docs/sensitivity.md). "
             "Placements, exits and costs are totals over the horizon 2019-2029; the caseload is at its end.")
    out = [BEGIN, intro, ""] + table(files) + ["",
           "Paired contrasts (`sim compare`, common random numbers: the same seed gives the same people "
           "the same random numbers in both scenarios):", ""] + contrasts(sim, files) + [END]
    return "\n".join(out) + "\n"


def read_doc(path):
    """The document's text, refused (before anything runs) without one marker pair."""
    try:
        with open(path, encoding="utf-8") as f:
            doc = f.read()
    except OSError as e:
        sys.exit(f"headline.py: {path}: {e.strerror}")
    if doc.count(BEGIN) != 1 or doc.count(END) != 1 or doc.index(BEGIN) > doc.index(END):
        sys.exit(f"headline.py: {path}: needs exactly one {BEGIN} ... {END} pair")
    return doc


def replace_block(path, text):
    doc = read_doc(path)
    rest = doc[doc.index(END) + len(END):]
    if rest.startswith("\n"):   # the block ends with its own newline
        rest = rest[1:]
    new = doc[:doc.index(BEGIN)] + text + rest
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(os.path.abspath(path)), prefix=".headline-")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(new)
        os.chmod(tmp, stat.S_IMODE(os.stat(path).st_mode))   # mkstemp makes it 0600
        os.replace(tmp, path)
    except OSError as e:
        if os.path.exists(tmp):
            os.unlink(tmp)
        sys.exit(f"headline.py: {path}: {e.strerror}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--reps", type=int, default=20)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--sim", default=os.path.join(os.environ.get("BUILD", "build"), "sim"))
    ap.add_argument("--doc", help="Markdown file whose headline block is replaced")
    args = ap.parse_args()
    if args.reps < 2:
        sys.exit("headline.py: --reps must be at least 2 (intervals need two replications)")
    if args.doc:
        read_doc(args.doc)
    with tempfile.TemporaryDirectory() as tmp:
        files = {name: os.path.join(tmp, name + ".h5") for name in SCENARIOS}
        print(f"headline.py: {len(SCENARIOS)} scenarios in one run ...", file=sys.stderr, flush=True)
        run_all(args.sim, SCENARIOS, tmp, args)
        text = block(args, args.sim, files)
    if args.doc:
        replace_block(args.doc, text)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
