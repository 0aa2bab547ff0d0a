"""corrupt_files.py SIM BASE.h5 N: the HDF5 reader side against damaged files.
1. Writes N mutated copies of BASE.h5 (random bytes overwritten, some truncated;
   fixed seed) and runs `sim info` and `sim compare BASE mutated --regions` on each:
   the exit code must be 0 (the damage missed what is read) or 1 (a clear error),
   never a crash or a hang.
2. Flips one bit in each of N more copies at random, and in one copy per chunked
   dataset inside its first chunk: every reader must then either refuse the file
   (exit 1) or print exactly what it prints for the intact file, never a silently
   different answer (checksummed metadata and chunks, the contents list).
Prints one line per failure and "N passed, M failed"."""
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

def run(cmd):
    try:
        r = subprocess.run(cmd, capture_output=True, timeout=30)
    except subprocess.TimeoutExpired:
        return "timeout", b""
    return r.returncode, r.stdout.split(b"\n", 1)[-1]   # info's first line is the file name


def chunk_positions():
    """One byte inside the first stored chunk of every chunked dataset: random flips
    rarely land in small tables such as /summary, so each is hit on purpose."""
    import h5py
    where = []
    with h5py.File(base, "r") as f:
        def visit(name, obj):
            if isinstance(obj, h5py.Dataset) and obj.chunks and obj.id.get_num_chunks() > 0:
                c = obj.id.get_chunk_info(0)
                where.append(c.byte_offset + c.size // 2)
        f.visititems(visit)
    return where


intact = {"info": run([sim, "info", base]), "compare": run([sim, "compare", base, base, "--regions", "--csv"])}
targeted = chunk_positions()
for i in range(n + len(targeted)):
    b = bytearray(data)
    pos = targeted[i - n] if i >= n else random.randrange(len(b))
    b[pos] ^= 1 << random.randrange(8)
    path = "flipped-%03d.h5" % i
    open(path, "wb").write(b)
    bad = False
    for name, cmd in (("info", [sim, "info", path]), ("compare", [sim, "compare", base, path, "--regions", "--csv"])):
        rc, out = run(cmd)
        if rc == 1 or (rc == 0 and out == intact[name][1]):
            passed += 1
        else:
            failed += 1
            bad = True
            print("FAIL: %s on %s (bit flipped at byte %d): exit %s, %s" % (name, path, pos, rc,
                  "a different answer" if rc == 0 else "not a refusal"))
    if not bad:
        import os
        os.remove(path)
print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
