"""readme_commands.py FILE.md ...: the example commands of the READMEs (tests/test_readme.sh),
one per line as "EXPECTED_EXIT<TAB>COMMAND", rewritten to run small and fast.
Taken: lines of ```sh blocks that start with build/sim or /usr/bin/python3 -m analysis.
Skipped: lines with placeholders (FILE, BASE.h5, ALT.h5, DIR, ...). Listed as "SKIP<TAB>COMMAND"
(counted as skipped by the test, never as passed): lines whose comment says "test_readme skips"
(a server, or a sweep too long for the suite; each names the test that covers it). Rewritten: every
run, validate, sweep and calibrate gets --scale 0.01 (replacing any --scale) and -r 2
(replacing any -r/--replications); a calibration fit gets --max-evals 2. Exit 0 is
expected, except `calibrate --check` (1 when a target is missed, as documented)."""
import re
import sys

PLACEHOLDER = re.compile(r"\b(FILE|BASE\.h5|ALT2?\.h5|DIR|OUT\.h5|REPORT\.html|SCENARIO|TARGETS)\b|\.\.\.")


def commands(path):
    block = False
    for line in open(path, encoding="utf-8"):
        s = line.strip()
        if s.startswith("```"):
            block = s in ("```sh", "```bash", "```shell") if not block else False
            continue
        if block and (s.startswith("build/sim ") or s.startswith("/usr/bin/python3 -m analysis.")):
            yield s


def rewrite(cmd):
    if "test_readme skips" in cmd:
        return "SKIP", re.sub(r"\s+#.*$", "", cmd)
    cmd = re.sub(r"\s+#.*$", "", cmd)                       # trailing comment
    if PLACEHOLDER.search(cmd):
        return None
    words = cmd.split()
    if words[0] == "build/sim" and len(words) > 1 and words[1] in ("run", "validate", "sweep", "calibrate"):
        cmd = re.sub(r"\s--scale\s+\S+", "", cmd)
        cmd = re.sub(r"\s(-r|--replications)\s+\d+", "", cmd)
        cmd += " --scale 0.01" + ("" if words[1] == "validate" else " -r 2")
        if words[1] == "calibrate" and "--check" not in words:
            cmd += " --max-evals 2"
    expect = "0|1" if words[0] == "build/sim" and "calibrate" in words and "--check" in words else "0"
    return expect, cmd


seen = set()
for path in sys.argv[1:]:
    for c in commands(path):
        r = rewrite(c)
        if r and r[1] not in seen:
            seen.add(r[1])
            print("%s\t%s" % r)
