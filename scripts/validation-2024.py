#!/usr/bin/env python3
"""validation-2024.py: an outflow channel fitted to CBS's 2022-2023 and tested on 2024
(docs/validation-2024.md, `make validate-2024`).

scenarios/history-2024.cfg is scenarios/history.cfg (round 2, fitted to 2017-2021) run to
2025-01-01 with a dated level of the other-exit hazard (scenarios/parts/other-exit-history.cfg);
scenarios/targets/history-2024.cfg fits its two levels to CBS's stock and outflow of 2022-2023 and
holds out CBS's 2024 figures. This script runs, with the sim it is given:

  1. the fit itself (scale 0.2, 8 replications, from the starting values below), and checks that
     the levels written in parts/other-exit-history.cfg are its result to four decimals;
  2. `sim calibrate --check` of the shipped scenario at full scale (the table of the page);
  3. the same with both levels 1: the round-2 model without the channel;
  4. the same with CBS's own 2023-2024 tension instead of the 2022 Q4 value held;
  5. `--check --uncertainty --draws 40` at scale 0.2: the levels' standard errors and each
     target's spread from them (z of the held-out targets);

and writes the page from their results (every number on it comes from these runs or from the
targets file). About two minutes on 2 cores. Standard library only.
Usage: scripts/validation-2024.py [-o docs/validation-2024.md] [-r 8] [-j 2] [--sim build/sim]
"""
import argparse
import datetime as dt
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))   # historylib.py beside this file, however loaded
from historylib import ROOT, SCEN, SIM, parse, pct, scenario_dir  # noqa: E402

SCENARIO = os.path.join("scenarios", "history-2024.cfg")
TARGETS = os.path.join("scenarios", "targets", "history-2024.cfg")
PART = os.path.join(SCEN, "parts", "other-exit-history.cfg")
LEVELS = ["other_exit_level.points.[1].level", "other_exit_level.points.[2].level"]
FIT_START = ["0.85", "0.72"]   # the fit's starting point: 15% and 28% lower, the CBS outflow's own fall

# CBS's tension after 2022, vacancies per 100 unemployed on the new basis (seasonally adjusted,
# quarterly), spliced onto the old basis of parts/tension-cbs.cfg (x 126/93) for step 4.
SPLICE = 126.0 / 93.0
TENSION_AFTER_2022 = [
    ("2023-02-15", 122, "CBS, 2023 Q1 (news release May 2023)"),
    ("2023-05-15", 122, "CBS, 2023 Q2: about 122 (news release Aug 2023)"),
    ("2023-08-15", 114, "CBS, 2023 Q3"),
    ("2023-11-15", 114, "CBS, 2023 Q4"),
    ("2024-02-15", 110, "CBS, 2024 Q1 (dashboard Spanning op de arbeidsmarkt)"),
    ("2024-05-15", 108, "CBS, 2024 Q2 (news release Aug 2024)"),
    ("2024-08-15", 106, "CBS, 2024 Q3 (news release Nov 2024)"),
    ("2024-11-15", 108, "CBS, 2024 Q4 (news release Feb 2025)"),
]
HELD_OUT_STOCKS = ["stock_2024q1", "stock_2024q2", "stock_2024q4"]
HELD_OUT_YOUNG = ["young_2024q1", "young_2024q2", "young_2024q4", "young_growth_2024"]


def calibrate(args, scenario, targets, options):
    """stdout and stderr of one `sim calibrate` (exits 1 when an in-sample target fails: kept)."""
    cmd = [args.sim, "calibrate", scenario, targets, "-t", str(args.jobs)] + options
    p = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    if p.returncode not in (0, 1) or "stock_2024q4" not in p.stdout:
        sys.exit("validation-2024: %s gave no target table (exit %d): %s"
                 % (" ".join(cmd[1:4]), p.returncode, p.stderr.strip()[-300:]))
    return p.stdout + p.stderr


def tolerances():
    """name -> tolerance of the targets file (the runs' tables print the value, not the tolerance)."""
    with open(os.path.join(ROOT, TARGETS)) as f:
        return {m.group(1): float(m.group(2)) for m in
                re.finditer(r'name = "(\w+)";[^}]*?tolerance = ([0-9.]+);', f.read())}


def shipped_levels():
    with open(PART) as f:
        found = re.findall(r'level = ([0-9.]+); source = "calibrated', f.read())
    if len(found) != 2:
        sys.exit("validation-2024: %s: expected two calibrated levels, found %d" % (PART, len(found)))
    return [float(x) for x in found]


def fit(args, tmp):
    """The fit from FIT_START: its two levels, objective and evaluation count."""
    out = os.path.join(tmp, "fit.h5")
    opts = ["--scale", "0.02" if args.quick else "0.2", "-r", str(args.replications), "--fresh", "-o", out]
    for key, start in zip(LEVELS, FIT_START):
        opts += ["--set", "%s=%s" % (key, start)]
    text = calibrate(args, SCENARIO, TARGETS, opts)
    best = re.search(r"(converged|did not converge)[^\n]*objective ([0-9.]+) \(best of ([0-9]+) evaluations", text)
    with open(os.path.join(tmp, "fit.cfg")) as f:
        overlay = f.read()
    values = [re.search(r'key = "%s"; value = ([0-9.eE+-]+);' % re.escape(k), overlay) for k in LEVELS]
    if not best or not all(values):
        sys.exit("validation-2024: the fit's result could not be read")
    return dict(levels=[float(v.group(1)) for v in values], objective=float(best.group(2)),
                evals=int(best.group(3)), converged=best.group(1) == "converged")


def check(args, options=(), scenario=SCENARIO, targets=TARGETS, tmp=None):
    out = os.path.join(tmp, "check-%d.h5" % len(os.listdir(tmp)))
    scale = ["--scale", "0.02"] if args.quick else []
    return parse(calibrate(args, scenario, targets, ["--check", "-r", str(args.replications), "-q", "-o", out]
                           + scale + list(options)))


def uncertainty(args, tmp):
    """Standard error of each level, and (sd from the parameters, z) of each held-out target."""
    text = calibrate(args, SCENARIO, TARGETS, ["--check", "--uncertainty", "--draws", "4" if args.quick else "40",
                                               "--scale", "0.02" if args.quick else "0.2",
                                               "-r", str(args.replications), "-q",
                                               "-o", os.path.join(tmp, "unc.h5")])
    se, z = {}, {}
    for line in text.splitlines():
        f = line.split()
        if len(f) >= 3 and f[0] in LEVELS:
            se[f[0]] = float(f[2])
        if len(f) == 8 and f[5] == "out":
            z[f[0]] = (float(f[3]), float(f[4]))
    if len(se) != 2 or not all(k in z for k in HELD_OUT_STOCKS):
        sys.exit("validation-2024: the uncertainty run's tables could not be read")
    return se, z


def with_cbs_tension(text):
    """parts/tension-cbs.cfg with CBS's 2023-2024 quarters after its last point (2022 Q4)."""
    last = text.rindex("}")
    close = text.rindex(");", 0, last)
    body = text[:close].rstrip()
    add = "".join(',\n    { date = "%s"; value = %.1f; source = "%s, new method %d x 126/93"; }'
                  % (d, v * SPLICE, src, v) for d, v, src in TENSION_AFTER_2022)
    return body + add + "\n  " + text[close:]


def thousands(x):
    return "{:,.0f}".format(x)


def signed(x):
    return "{:+,.0f}".format(x)


def row_md(name, row, z=None):
    value, model, sample, result = row
    return "| %s | %s | %s | %s | %s | %s |" % (
        name, fmt(name, value), fmt(name, model), "in" if sample == "in" else "held out" if name in
        HELD_OUT_STOCKS + HELD_OUT_YOUNG else "out", "pass" if result == "pass" else "**fail**",
        "" if z is None else "%+.2f" % z)


def fmt(name, x):
    return pct(x) if "change" in name or "growth" in name else thousands(x)


def page(args, f, main, round2, tension, se, z):
    ins = [k for k, r in main.items() if r[2] == "in"]
    n_in = sum(main[k][3] == "pass" for k in ins)
    held = HELD_OUT_STOCKS + HELD_OUT_YOUNG
    n_stock = sum(main[k][3] == "pass" for k in HELD_OUT_STOCKS)
    n_young = sum(main[k][3] == "pass" for k in HELD_OUT_YOUNG)
    last = main["stock_2023q4"][0]   # CBS's last in-sample stock: the persistence forecast
    err = {k: main[k][1] - main[k][0] for k in HELD_OUT_STOCKS}
    naive = {k: last - main[k][0] for k in HELD_OUT_STOCKS}
    tol = tolerances()
    l22, l23 = f["levels"]
    lines = [
        "# Validation 2024: an outflow channel fitted to 2022-2023, tested on 2024",
        "",
        "Generated by `make validate-2024` (`scripts/validation-2024.py`, %s; do not edit). Read after"
        % dt.date.today().isoformat(),
        "docs/validation.md, whose blind test found that the round-2 model (fitted to 2017-2021) keeps",
        "the caseload falling through 2023 while CBS's stopped falling in 2022, and that the miss lies in",
        "the outflow: CBS's fell by about a quarter from 2021 to 2023 while the labour market stayed tight,",
        "and no labour-market channel of the model makes its outflow fall.",
        "",
        "## What was done",
        "",
        "One reduced-form channel was added and fitted, nothing else: a dated level of the hazard of leaving",
        "for other reasons than work (`other_exit_level`, docs/model.md; `scenarios/parts/other-exit-history.cfg`),",
        "1 up to the end of 2021, fitted in the middle of 2022 and of 2023, linear between, and held at",
        "its 2023 level afterwards. Its two levels were fitted to CBS's stock at the end of each quarter of",
        "2022-2023 and the change of all benefit ends against 2021 (CBS's outflow plus the exits at the",
        "state pension age its stock and flows imply), 8 targets, by `sim calibrate` (BOBYQA, scale 0.2,",
        "%d replications, from %s and %s): **%.4f in mid-2022 and %.4f in mid-2023** (standard errors"
        % (args.replications, FIT_START[0], FIT_START[1], l22, l23),
        "%.2f and %.2f from the targets' Jacobian), objective %.3f after %d evaluations%s. The 14"
        % (se[LEVELS[0]], se[LEVELS[1]], f["objective"], f["evals"], "" if f["converged"] else " (not converged)"),
        "parameters of round 2 were not refitted, so the policy scenarios, which have no level path, are",
        "unchanged, and the model up to 2021 is round 2's (the path changes no random number before it",
        "first falls below 1). The labour-market tension holds its 2022 Q4 value after 2022, as in",
        "docs/validation.md: 2024 is predicted with the inputs known at the end of 2022.",
        "",
        "The 2024 figures (CBS's quarterly releases of May 2024, August 2024 and February 2025, as",
        "reported; docs/sources.md) were **held out, not blind**: the optimiser never saw them and the",
        "form of the channel (two levels, held after mid-2023) was fixed before any run, but the person",
        "who set it had read CBS's 2024 headline figures, and every run prints their rows.",
        "",
        "## The table",
        "",
        "`sim calibrate --check scenarios/history-2024.cfg scenarios/targets/history-2024.cfg -r %d` at full"
        % args.replications,
        "scale; z: (model - CBS) over the prediction's spread from the two levels' uncertainty and the",
        "tolerance combined, at scale 0.2 (held-out rows only).",
        "",
        "| target | CBS | model mean | sample | result | z (held out) |",
        "|---|---:|---:|---|---|---:|",
    ]
    for name, row in main.items():
        zz = None
        if name in z and name in held:
            zz = z[name][1]
        lines.append(row_md(name, row, zz))
    miss_in = [k for k in ins if main[k][3] != "pass"]
    stocks_in = [k for k in ins if k.startswith("stock_")]
    worst = max(abs(main[k][1] / main[k][0] - 1) for k in stocks_in)
    held_r2 = sum(round2[k][3] == "pass" for k in HELD_OUT_STOCKS)
    naive_pass = all(abs(naive[k]) <= tol[k] for k in HELD_OUT_STOCKS)
    cbs_2024 = main["stock_2024q4"][0] - last
    young = main["young_2024q4"]
    share_model = young[1] / main["stock_2024q4"][1]
    share_cbs = young[0] / main["stock_2024q4"][0]
    same_verdicts = all(tension[k][3] == main[k][3] for k in held)
    lines += [
        "",
        "## Reading the table",
        "",
        "- **Fitted (%d of %d in sample).** The stock of 2022-2023 within %.1f%% of CBS's in every quarter"
        % (n_in, len(ins), 100 * worst),
        "  (%s at the end of 2023 against %s) and the change of all ends from 2021 to 2023 (%s against %s)."
        % (thousands(main["stock_2023q4"][1]), thousands(main["stock_2023q4"][0]),
           pct(main["all_ends_change_2023"][1]), pct(main["all_ends_change_2023"][0])),
    ]
    if miss_in:
        lines += [
            "  Missed: %s." % ", ".join("%s (%s against %s)" % (k, fmt(k, main[k][1]), fmt(k, main[k][0])) for k in miss_in),
            "  A steeper fall of the 2022 outflow would lift the stock above CBS's, which moved only from",
            "  %s to %s over 2023; the fit trades the two off. The model's base year is part of it: its"
            % (thousands(main["stock_2022q4"][0]), thousands(main["stock_2023q4"][0])),
            "  Covid newcomers left sooner than CBS's (docs/validation.md), so its ends of 2021 were lower.",
        ]
    lines += [
        "- **Held out, the caseload: %d of %d.** %s at the ends of 2024 Q1, Q2 and Q4 against CBS's %s"
        % (n_stock, len(HELD_OUT_STOCKS), ", ".join(thousands(main[k][1]) for k in HELD_OUT_STOCKS),
           ", ".join(thousands(main[k][0]) for k in HELD_OUT_STOCKS)),
        "  (errors %s; z %s with the levels' uncertainty)."
        % (", ".join(signed(err[k]) for k in HELD_OUT_STOCKS), ", ".join("%+.2f" % z[k][1] for k in HELD_OUT_STOCKS)),
        "  **Read it with two benchmarks.** The round-2 model without the channel (both levels 1) gives %s"
        % thousands(round2["stock_2024q4"][1]),
        "  at the end of 2024, %s from CBS (%d of 3 held-out quarters within the tolerance)."
        % (signed(round2["stock_2024q4"][1] - round2["stock_2024q4"][0]), held_r2),
        "  Carrying CBS's end-2023 stock (%s) forward unchanged gives errors of %s (%s)."
        % (thousands(last), ", ".join(signed(naive[k]) for k in HELD_OUT_STOCKS),
           "every quarter within the tolerance" if naive_pass else "not every quarter within the tolerance"),
    ]
    if naive_pass:
        lines += [
            "  CBS's caseload moved by %s in 2024; a model whose flows were fitted to balance at the end of"
            % signed(cbs_2024),
            "  2023 and held there could hardly miss. This test says the fitted outflow is consistent with",
            "  2024; it cannot tell the model from persistence.",
        ]
    lines += [
        "- **Held out, the young (under 27): %d of %d.** The model's young %s, to %s at the end of"
        % (n_young, len(HELD_OUT_YOUNG), "keep falling" if main["young_growth_2024"][1] < 0 else "change",
           thousands(young[1])),
        "  2024 (%s in the year), while CBS's rose for a second year, to %s (%s). The channel acts on every"
        % (pct(main["young_growth_2024"][1]), thousands(young[0]), pct(main["young_growth_2024"][0])),
        "  age alike, and the young's response to tension, the strongest in the model, pushes them down",
        "  for as long as the market is tight. Their rise since 2022 is not in the model (docs/validation.md",
        "  found the same for 2023): they are %.1f%% of the model's stock at the end of 2024 and %.1f%% of CBS's."
        % (100 * share_model, 100 * share_cbs),
        "- **The inputs after 2022.** With CBS's own tension for 2023-2024 (%s vacancies per 100"
        % ", ".join("%d" % v for _, v, _ in TENSION_AFTER_2022),
        "  unemployed on the new basis, quarter by quarter, against 123 held) the end-2024 stock is %s"
        % thousands(tension["stock_2024q4"][1]),
        "  instead of %s and the young's %s instead of %s; %s."
        % (thousands(main["stock_2024q4"][1]), thousands(tension["young_2024q4"][1]), thousands(young[1]),
           "every held-out verdict is the same" if same_verdicts else "some held-out verdicts change ("
           + ", ".join(k for k in held if tension[k][3] != main[k][3]) + ")"),
        "",
        "## How large the channel is, and what it is not",
        "",
        "The fitted levels say that the model's exits for other reasons than work, about half of all its",
        "ends, would have had to fall to %.0f%% of their 2021 rate by mid-2022 and to %.0f%% by mid-2023 for"
        % (100 * l22, 100 * l23),
        "its caseload to follow CBS's. Read literally that is implausible: the exits at the state pension",
        "age fell by about a quarter (9,400 in 2021, 7,000 in 2023, docs/validation.md) and nothing known",
        "halved the other reasons. The level is a reduced form: it carries every part of the outflow's fall",
        "that the model has no mechanism for, exits to work that fell because those still on benefit are",
        "further from work (which the model attributes to tension and keeps high) among them. What the",
        "page shows is the size of what is missing, and that with it the stock of 2024 follows; not which",
        "mechanism it is. That needs CBS's outflow split by reason for 2022-2024.",
        "",
        "## What it means for users",
        "",
        "- The policy scenarios are unchanged: they hold the conditions of 2019 and have no level path.",
        "- `scenarios/history-2024.cfg` is the model's best account of 2017-2024 in total, with the",
        "  outflow after 2021 fitted rather than explained; do not read its exits by reason, or its young,",
        "  as predictions.",
        "- The history of the young after 2021 is not reproduced by any scenario here.",
        "",
        "Reproduce: `make validate-2024` (about three minutes on 2 cores).",
    ]
    if args.quick:
        lines[2:2] = ["**Quick run (`--quick`, population scale 0.02): a test of the script, not the page.**", ""]
    return "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-o", "--output")
    ap.add_argument("-r", "--replications", type=int, default=8)
    ap.add_argument("-j", "--jobs", type=int, default=2)
    ap.add_argument("--sim", default=SIM)
    ap.add_argument("--quick", action="store_true",
                    help="every run at population scale 0.02 and no comparison of the fit with the shipped "
                         "levels: for tests of this script, not the page")
    args = ap.parse_args()
    args.sim = os.path.abspath(args.sim)
    if not os.access(args.sim, os.X_OK):
        sys.exit("validation-2024: no %s (make all)" % args.sim)
    tmp = tempfile.mkdtemp(prefix="validation-2024-")
    try:
        f = fit(args, tmp)
        shipped = shipped_levels()
        if not args.quick and [round(x, 4) for x in f["levels"]] != shipped:
            sys.exit("validation-2024: the fit gives levels %s, %s writes %s (update it from the fit)"
                     % (", ".join("%.4f" % x for x in f["levels"]), os.path.relpath(PART, ROOT),
                        ", ".join("%.4f" % x for x in shipped)))
        main_rows = check(args, tmp=tmp)
        round2 = check(args, [x for k in LEVELS for x in ("--set", "%s=1" % k)], tmp=tmp)
        d = scenario_dir(tmp, {"parts/tension-cbs.cfg": with_cbs_tension})
        tension = check(args, scenario=os.path.join(d, "history-2024.cfg"),
                        targets=os.path.join(d, "targets", "history-2024.cfg"), tmp=tmp)
        se, z = uncertainty(args, tmp)
        text = page(args, f, main_rows, round2, tension, se, z)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if args.output:
        partial = args.output + ".partial"
        with open(partial, "w") as out:
            out.write(text)
        os.replace(partial, args.output)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
