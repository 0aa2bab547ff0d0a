"""corrupt_files.py SIM BASE.h5 N: the HDF5 reader side against damaged files.
Writes N mutated copies of BASE.h5 (random bytes overwritten, some truncated; fixed
seed) and runs `sim info` and `sim compare BASE mutated --regions` on each: the exit
code must be 0 (the damage missed what is read) or 1 (a clear error), never a crash
or a hang. Prints one line per failure and "N passed, M failed"."""
import random
import subprocess
import sys

sim, base, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
random.seed(20190101)
data = open(base, "rb").read()
passed = failed = 0
for i in range(n):
    b = bytearray(data)
    for _ in range(random.choice([1, 4, 16, 64])):
        b[random.randrange(len(b))] = random.randrange(256)
    if random.random() < 0.2:
        b = b[:random.randrange(len(b))]
    path = "mutated-%03d.h5" % i
    open(path, "wb").write(b)
    for cmd in ([sim, "info", path], [sim, "compare", base, path, "--regions"]):
        try:
            rc = subprocess.run(cmd, capture_output=True, timeout=30).returncode
        except subprocess.TimeoutExpired:
            rc = "timeout"
        if rc in (0, 1):
            passed += 1
        else:
            failed += 1
            print("FAIL: %s on %s: exit %s (kept as %s)" % (cmd[1], path, rc, path))
            continue
    if not failed:
        import os
        os.remove(path)
print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
