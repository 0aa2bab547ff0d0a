#!/usr/bin/env python3
"""check_output.py FILE.h5 SEED REPS CUSTOMERS STEP: check an mm1 run written with
-d events field by field, as a reader (h5py, xarray, R) would see it.
Prints FAIL lines and a final "N passed, M failed"; exit 1 on any failure."""
import datetime
import re
import sys

import h5py
import numpy as np

passed = failed = 0


def check(cond, msg):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAIL: " + msg)
    return cond


def text(v):
    """A fixed-length string attribute or element as str."""
    if isinstance(v, np.ndarray):
        v = v.item() if v.shape == () else v[0]
    return v.decode() if isinstance(v, (bytes, np.bytes_)) else str(v)


def check_integrity(f):
    """Format 2: the contents list names every dataset, each non-empty dataset is
    chunked with a Fletcher-32 checksum."""
    found = []
    f.visititems(lambda name, obj: found.append(name) if hasattr(obj, "dtype") else None)
    listed = [text(np.array([c])) for c in f.attrs.get("contents", [])]
    check(sorted(listed) == sorted(found), "contents lists every dataset (%d listed, %d found)"
          % (len(listed), len(found)))
    unprotected = [n for n in found if f[n].size > 0 and not f[n].fletcher32]
    check(not unprotected, "every non-empty dataset has a Fletcher-32 checksum (missing: %s)" % unprotected)


def check_root(f, seed, reps, path):
    a = f.attrs
    for name in ("title", "scenario", "model", "toolkit_version", "git_hash", "command_line",
                 "created", "time_origin", "seed", "replications", "format_version"):
        check(name in a, "root attribute %s present" % name)
    check(re.fullmatch(r"\d+\.\d+\.\d+", text(a["toolkit_version"])) is not None,
          "toolkit_version looks like x.y.z: %r" % text(a["toolkit_version"]))
    check(re.fullmatch(r"[0-9a-f]{4,40}(-dirty(-[0-9a-f]{7})?)?|unknown", text(a["git_hash"])) is not None,
          "git_hash is a hash or 'unknown': %r" % text(a["git_hash"]))
    cl = text(a["command_line"])
    check(" run " in cl and path in cl and "mm1.customers=" in cl, "command_line records the call: %r" % cl)
    created = text(a["created"])
    try:
        t = datetime.datetime.strptime(created, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.timezone.utc)
        age = abs((datetime.datetime.now(datetime.timezone.utc) - t).total_seconds())
        check(age < 3600, "created is now (UTC): %s" % created)
    except ValueError:
        check(False, "created is ISO 8601 UTC: %r" % created)
    check(a["seed"].dtype == np.int64, "seed is int64 (%s)" % a["seed"].dtype)
    check(int(a["seed"]) == seed, "seed == %d (%s)" % (seed, a["seed"]))
    check(np.issubdtype(a["replications"].dtype, np.integer) and int(a["replications"]) == reps,
          "replications == %d (%r)" % (reps, a["replications"]))
    check(np.issubdtype(a["format_version"].dtype, np.integer) and int(a["format_version"]) == 2,
          "format_version == 2 (%r)" % a["format_version"])
    check(text(a["time_origin"]) == "2019-01-01", "time_origin 2019-01-01: %r" % text(a["time_origin"]))
    check(text(a["model"]) == "mm1", "model mm1")
    check(text(a["scenario"]).endswith("mm1.cfg"), "scenario names the file")


def check_parameters(f, customers):
    check("parameters/scenario" in f and "parameters/values" in f, "/parameters has scenario and values")
    scen = text(f["parameters/scenario"][()])
    check("arrival_rate" in scen, "/parameters/scenario contains arrival_rate")
    check(re.search(r"customers\s*=\s*%d\b" % customers, scen) is not None,
          "/parameters/scenario has the --set value customers = %d" % customers)
    v = f["parameters/values"][()]
    check(v.dtype.names == ("path", "value"), "/parameters/values fields (path, value): %s" % (v.dtype.names,))
    vals = {text(p): float(x) for p, x in zip(v["path"], v["value"])}
    check(vals.get("mm1.arrival_rate") == 0.9, "mm1.arrival_rate == 0.9 (%s)" % vals.get("mm1.arrival_rate"))
    check(vals.get("mm1.service_rate") == 1.0, "mm1.service_rate == 1.0")
    check(vals.get("mm1.customers") == customers, "mm1.customers == %d" % customers)
    check(vals.get("seed") == 20190101, "seed row == 20190101")


def check_summary(f, reps, customers):
    s = f["summary"][()]
    check(s.shape == (reps,), "/summary has %d rows: %s" % (reps, s.shape))
    names = s.dtype.names
    check(names[:3] == ("replication", "customers_served", "mean_wait"), "summary fields %s" % (names,))
    check(list(s["replication"]) == list(range(reps)), "replication 0..%d: %s" % (reps - 1, s["replication"]))
    check(np.all(s["customers_served"] == customers), "customers_served == %d" % customers)
    check(np.all((s["utilisation"] > 0.8) & (s["utilisation"] < 1.0)), "utilisation plausible: %s" % s["utilisation"])
    units = f["summary"].attrs.get("units")
    check(units is not None and len(units) == len(names), "/summary has one unit per field")
    return s


def check_events(f, reps, customers, summary):
    d = f["events"]
    fields = ("replication", "time", "customer", "kind", "from_state", "to_state")
    check(d.dtype.names == fields, "/events fields: the M/M/1 model's record in its order: %s" % (d.dtype.names,))
    offsets = [d.dtype.fields[n][1] for n in d.dtype.names]
    sizes = [d.dtype.fields[n][0].itemsize for n in d.dtype.names]
    check(offsets == [sum(sizes[:i]) for i in range(len(sizes))] and d.dtype.itemsize == sum(sizes),
          "/events fields at packed offsets: %s, row size %d" % (offsets, d.dtype.itemsize))
    kinds = h5py.check_enum_dtype(d.dtype["kind"])
    check(kinds == {"arrival": 0, "service_start": 1, "departure": 2}, "kind enum labels: %s" % kinds)
    states = h5py.check_enum_dtype(d.dtype["from_state"])
    check(states is not None and set(states) == {"outside", "waiting", "in_service", "departed"},
          "from_state enum labels: %s" % states)
    check(h5py.check_enum_dtype(d.dtype["to_state"]) == states, "to_state has the same enum")
    units = [text(u) for u in d.attrs.get("units", [])]
    check(units == ["", "days since 2019-01-01", "", "", "", ""], "one unit per field (units attribute; time in CF): %s" % units)
    check(d.chunks is not None and d.compression == "gzip" and d.shuffle, "chunked, shuffle + deflate")
    check(text(d.attrs.get("time_units", b"")).startswith("days since 2019-01-01"), "events time_units attribute")
    e = d[()]
    check(len(e) == 3 * customers * reps, "3 events per customer: %d rows" % len(e))
    rep = e["replication"].astype(np.int64)
    check(np.all(np.diff(rep) >= 0), "events sorted by replication")
    check(list(np.unique(rep)) == list(range(reps)), "every replication present")
    waits_ok = order_ok = states_ok = True
    for r in range(reps):
        x = e[rep == r]
        if not check(np.all(np.diff(x["time"]) >= 0), "replication %d sorted by time" % r):
            continue
        counts = np.bincount(x["customer"].astype(np.int64), minlength=customers)
        check(len(counts) == customers and np.all(counts == 3), "replication %d: customers 0..%d with 3 events each" % (r, customers - 1))
        # per customer: arrival <= service_start <= departure, with matching states
        by = np.lexsort((x["time"], x["customer"]))
        y = x[by].reshape(customers, 3)
        k = y["kind"].astype(np.int64)
        order_ok &= bool(np.all(k == [0, 1, 2]))
        states_ok &= bool(np.all(y["from_state"].astype(np.int64) == [0, 1, 2])
                          and np.all(y["to_state"].astype(np.int64) == [1, 2, 3]))
        wait = y["time"][:, 1] - y["time"][:, 0]
        system = y["time"][:, 2] - y["time"][:, 0]
        waits_ok &= bool(abs(wait.mean() - summary["mean_wait"][r]) <= 1e-9 * summary["mean_wait"][r]
                         and abs(system.mean() - summary["mean_system_time"][r]) <= 1e-9 * summary["mean_system_time"][r])
    check(order_ok, "each customer: arrival, service_start, departure in time order")
    check(states_ok, "state transitions outside->waiting->in_service->departed")
    check(waits_ok, "waits and system times from /events reproduce /summary")
    return e


def dim_name(ds, i):
    try:
        return ds.dims[i][0].name
    except (IndexError, RuntimeError, KeyError):
        return None


def check_series(f, reps, step, events):
    q = f["series/queue_length"]
    check(q.shape == (reps, 100, 1), "/series/queue_length shape %s" % (q.shape,))
    check("DIMENSION_LIST" in q.attrs, "queue_length has a DIMENSION_LIST attribute")
    check(dim_name(q, 0) == "/series/replication", "dim 0 scale: %s" % dim_name(q, 0))
    check(dim_name(q, 1) == "/series/time", "dim 1 scale: %s" % dim_name(q, 1))
    check(dim_name(q, 2) == "/series/server", "dim 2 scale: %s" % dim_name(q, 2))
    t = f["series/time"]
    check(t.is_scale if hasattr(t, "is_scale") else text(t.attrs.get("CLASS", b"")) == "DIMENSION_SCALE",
          "/series/time is a dimension scale")
    check(text(t.attrs.get("units", b"")).startswith("days since 2019-01-01"), "time units: %r" % t.attrs.get("units"))
    check(np.allclose(t[()], step * np.arange(0, 100)), "time values are the interval starts 0, step, 2 step, ...")
    check(text(t.attrs.get("bounds", b"")) == "time_bnds", "time has CF bounds time_bnds")
    b = f["series/time_bnds"][()]
    check(b.shape == (100, 2) and np.allclose(b[:, 0], t[()]) and np.allclose(b[:, 1], step * np.arange(1, 101)),
          "time_bnds: [start, end] of each interval, the end at step, 2 step, ...")
    # the series agrees with the events: waiting = arrived - started service
    qv = q[()][:, :, 0]
    ok = True
    rep = events["replication"].astype(np.int64)
    for r in range(reps):
        x = events[rep == r]
        arr = np.sort(x["time"][x["kind"] == 0])
        start = np.sort(x["time"][x["kind"] == 1])
        tt = b[:, 1]   # stocks are observed at the end of each interval
        waiting = np.searchsorted(arr, tt, side="right") - np.searchsorted(start, tt, side="right")
        ok &= bool(np.array_equal(waiting, qv[r]))
    check(ok, "queue length at each observation equals arrivals minus service starts from /events")
    check(qv.max() > 0, "the queue is sometimes non-empty")


def main():
    path, seed, reps, customers, step = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
    with h5py.File(path, "r") as f:
        check_root(f, seed, reps, path)
        check_integrity(f)
        check_parameters(f, customers)
        s = check_summary(f, reps, customers)
        e = check_events(f, reps, customers, s)
        check_series(f, reps, step, e)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
