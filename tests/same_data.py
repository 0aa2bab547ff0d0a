"""same_data.py A.h5 B.h5 [dataset ...]: exit 0 if the named datasets (default:
summary, events, every series) hold identical values in both files, 1 otherwise."""
import sys

import h5py
import numpy as np


def names(f):
    out = [n for n in ("summary", "events", "regions") if n in f]
    if "series" in f:
        out += ["series/" + k for k in f["series"]]
    return out


a, b = h5py.File(sys.argv[1], "r"), h5py.File(sys.argv[2], "r")
wanted = sys.argv[3:] or sorted(set(names(a)) | set(names(b)))
bad = [n for n in wanted if n not in a or n not in b or a[n].shape != b[n].shape
       or not np.array_equal(a[n][()], b[n][()])]
for n in bad:
    print(f"differs: {n}")
sys.exit(1 if bad else 0)
