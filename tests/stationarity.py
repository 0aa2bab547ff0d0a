"""stationarity.py FILE.h5 LIMIT: the national headline series of a run change by less than
LIMIT (a share) per year on average over the horizon (issue 13): the least-squares trend
of the yearly values (stocks as yearly means, flows as yearly sums) divided by their mean.
Also prints the mean year-on-year change |y[i+1] / y[i] - 1|, which includes the
replications' noise. Exits 1 if any series trends faster than the limit."""
import sys

import h5py
import numpy as np

STOCKS = ("caseload", "in_programme", "waiting", "matching_pool")
FLOWS = ("placements", "durable")


def yearly(f, name, steps_per_year=12):
    a = f["series"][name][...].sum(axis=2).mean(axis=0)
    n = len(a) // steps_per_year
    y = a[: n * steps_per_year].reshape(n, steps_per_year)
    return y.sum(axis=1) if name in FLOWS else y.mean(axis=1)


def main(path, limit):
    bad = 0
    with h5py.File(path, "r") as f:
        for name in STOCKS + FLOWS:
            y = yearly(f, name)
            trend = float(np.polyfit(np.arange(len(y)), y, 1)[0] / np.mean(y))
            change = float(np.mean(np.abs(np.diff(y) / y[:-1])))
            ok = abs(trend) < limit
            bad += not ok
            print("%-4s %-14s trend %+5.2f%%/yr (limit %.1f%%), mean year-on-year change %4.2f%%: %s" % (
                "ok" if ok else "FAIL", name, 100 * trend, 100 * limit, 100 * change, " ".join("%.0f" % v for v in y)))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], float(sys.argv[2])))
