"""historylib.py: what the scripts that run scenarios/history*.cfg share (outflow-channels.py,
validation-2024.py): a scratch copy of scenarios/ with some files edited, and the target table
that `sim calibrate --check` prints. Standard library only."""
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SIM = os.path.join(ROOT, "build", "sim")
SCEN = os.path.join(ROOT, "scenarios")


def scenario_dir(tmp, edits=None):
    """A copy of scenarios/ under tmp (symbolic links) in which each file of `edits` ({path
    under scenarios/: function of its text}) is written edited; the scenarios' relative
    includes resolve unchanged. Returns the copy's path."""
    edits = edits or {}
    d = os.path.join(tmp, "scenarios")
    for sub in ("", "parts", "targets"):
        os.makedirs(os.path.join(d, sub), exist_ok=True)
        for name in os.listdir(os.path.join(SCEN, sub)):
            rel = os.path.join(sub, name)
            if sub == "" and name in ("parts", "targets"):
                continue
            src, dst = os.path.join(SCEN, rel), os.path.join(d, rel)
            if rel in edits:
                with open(src) as f, open(dst, "w") as g:
                    g.write(edits[rel](f.read()))
            else:
                os.symlink(src, dst)
    return d


def parse(text):
    """Target rows of `sim calibrate --check`: name -> (value, model mean, in/out, pass/FAIL)."""
    rows = {}
    for line in text.splitlines():
        f = line.split()
        if len(f) >= 7 and f[-2] in ("in", "out") and f[-1] in ("pass", "FAIL"):   # the interval is "n/a" at -r 1
            rows[f[0]] = (float(f[1]), float(f[3]), f[-2], f[-1])
    return rows


def pct(x):
    return "%+.1f%%" % (100 * x)


def publish(text, output):
    """Write text to `output` whole or not at all (a .partial file renamed), or to stdout without one."""
    if not output:
        sys.stdout.write(text)
        return
    partial = output + ".partial"
    with open(partial, "w") as f:
        f.write(text)
    os.replace(partial, output)
