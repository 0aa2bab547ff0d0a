"""conventions_check.py FILE.h5 [FILE3.h5]: the output follows netCDF/CF conventions
that generic readers pick up (tests/test_conventions.sh). FILE.h5: a labour-market
run from 2019-01-01 to 2029-01-01 with -d events; FILE3.h5 (optional): the same with
series_step_months = 3 and the origin 2018-12-15. Prints "ok ..." / "FAIL ..." lines;
"skip ..." when xarray is missing (the caller counts those as skipped)."""
import sys
import h5py
import numpy as np

def check(desc, cond):
    print(("ok " if cond else "FAIL ") + desc)

def text(v):
    return v.decode() if isinstance(v, bytes) else str(v)

def month_starts(first, n, step=1):
    y, m = first
    out = []
    for k in range(n):
        mm = m - 1 + k * step
        out.append(np.datetime64("%04d-%02d-01" % (y + mm // 12, mm % 12 + 1), "ns"))
    return np.array(out)

def series_checks(xr, path):
    ds = xr.open_dataset(path, group="series", engine="h5netcdf")
    t = ds.time.values
    check("series: 120 monthly rows decode to 2019-01-01, 2019-02-01, ... 2028-12-01",
          len(t) == 120 and np.array_equal(t, month_starts((2019, 1), 120)))
    b = ds.time_bnds.values
    check("series: time_bnds decode to [month start, next month start], contiguous up to 2029-01-01",
          b.shape == (120, 2) and np.array_equal(b[:, 0], t) and np.array_equal(b[:-1, 1], t[1:])
          and b[-1, 1] == np.datetime64("2029-01-01", "ns"))
    check("series: time has CF bounds = time_bnds", ds.time.attrs.get("bounds") == "time_bnds"
          or ds.time.encoding.get("bounds") == "time_bnds")
    flows = [v for v in ds.data_vars if v != "time_bnds" and " per " in ds[v].attrs.get("units", "")]
    check("series: flows are in persons per month (%s)" % ", ".join(flows),
          set(flows) == {"placements", "durable", "exits_work_own", "work_entries", "inflow", "benefit_starts", "benefit_ends",
                         "exits_other"}
          and all(ds[v].attrs["units"] == "persons per month" for v in flows))
    check("series: every variable has units and long_name",
          all("units" in ds[v].attrs and ds[v].attrs.get("long_name") for v in ds.data_vars if v != "time_bnds"))
    with h5py.File(path, "r") as f:
        raw = f["series/placements"][()]
    check("series: values read by xarray equal the raw dataset", np.array_equal(ds.placements.values, raw))

def outcomes_checks(xr, path):
    ds = xr.open_dataset(path, group="outcomes", engine="h5netcdf")
    with h5py.File(path, "r") as f:
        s = f["summary"][()]
        units = [text(u) for u in f["summary"].attrs["units"]]
        descr = [text(u) for u in f["summary"].attrs["descriptions"]]
    names = list(s.dtype.names)
    fields = names[1:]
    check("outcomes: one variable per /summary field (%d)" % len(fields), sorted(ds.data_vars) == sorted(fields))
    check("outcomes: dimension replication", all(ds[v].dims == ("replication",) for v in ds.data_vars)
          and list(ds.replication.values) == list(s["replication"]))
    # xarray decodes CF units "days" as a duration (mean_wait_days becomes timedelta64);
    # the unit then moves from attrs to encoding. decode_timedelta=False keeps numbers.
    check("outcomes: units and long_name of every field equal /summary's units and descriptions",
          all((ds[k].attrs.get("units") or ds[k].encoding.get("units")) == units[i + 1]
              and ds[k].attrs.get("long_name") == descr[i + 1] for i, k in enumerate(fields)))
    check("outcomes: xarray decodes mean_wait_days (units days) as a duration",
          ds.mean_wait_days.dtype.kind == "m")
    ds = xr.open_dataset(path, group="outcomes", engine="h5netcdf", decode_timedelta=False)
    check("outcomes: e.g. cost_total in EUR, placements in persons, durable_share in 1",
          ds.cost_total.attrs["units"] == "EUR" and ds.placements.attrs["units"] == "persons"
          and ds.durable_share.attrs["units"] == "1")
    check("outcomes: values equal /summary's (NaN where /summary has NaN)",
          all(np.array_equal(ds[k].values, s[k], equal_nan=True) for k in fields))

def events_checks(xr, path):
    with h5py.File(path, "r") as f:
        e = f["events"]
        a = {k: v for k, v in e.attrs.items()}
        units = [text(u) for u in a["units"]]
        names = list(e.dtype.names)
        tv = e["time"][:]
    check("events: time_units is CF 'days since 2019-01-01'", text(a.get("time_units", b"")) == "days since 2019-01-01")
    check("events: units[time] is the same CF unit, units[cost] is EUR",
          units[names.index("time")] == "days since 2019-01-01" and units[names.index("cost")] == "EUR")
    check("events: cost_units is EUR", text(a.get("cost_units", b"")) == "EUR")
    d = xr.coding.times.decode_cf_datetime(tv, text(a["time_units"]), "proleptic_gregorian")
    check("events: times decode (xarray's CF decoder) to dates from 2019-01-01 up to 2029-01-01",
          len(d) > 0 and d.min() >= np.datetime64("2019-01-01") and d.max() <= np.datetime64("2029-01-01"))

def regions_checks(path):
    with h5py.File(path, "r") as f:
        r = f["regions"]
        wsp = h5py.check_enum_dtype(r.dtype["wsp"])
        pool = h5py.check_enum_dtype(r.dtype["pool"])
        units = [text(u) for u in r.attrs["units"]]
        names = list(r.dtype.names)
        caseload_units = text(r.attrs.get("caseload_units", b""))
        codes = r["wsp"][()]
    check("regions: wsp is an HDF5 enum regional/central_sub/subregional",
          wsp == {"regional": 0, "central_sub": 1, "subregional": 2})
    check("regions: pool is an HDF5 enum joint/depends/own", pool == {"joint": 0, "depends": 1, "own": 2})
    check("regions: codes within the enum", set(int(c) for c in codes) <= {0, 1, 2})
    check("regions: a unit per column (caseload persons, tightness unemployed per vacancy)",
          len(units) == len(names) and units[names.index("caseload")] == "persons" and caseload_units == "persons"
          and units[names.index("tightness")] == "unemployed per vacancy")

def quarterly_checks(xr, path):
    ds = xr.open_dataset(path, group="series", engine="h5netcdf")
    t = ds.time.values
    # the last whole interval ends 2028-12-01; December 2028 (after it) is not a row
    want = np.concatenate([[np.datetime64("2018-12-15", "ns")], month_starts((2019, 3), 39, 3)])
    check("3-month step, origin 2018-12-15: rows 2018-12-15, 2019-03-01, 2019-06-01, ... 2028-09-01",
          len(t) == 40 and np.array_equal(t, want) and ds.time_bnds.values[-1, 1] == np.datetime64("2028-12-01", "ns"))
    check("3-month step: flows in persons per (3 months)", ds.placements.attrs.get("units") == "persons per (3 months)")
    names = {v: ds[v].attrs.get("long_name", "") for v in ds.data_vars if v != "time_bnds"}
    check("3-month step: descriptions say 'the 3-month period', never 'the month'",
          names["placements"] == "placements during the 3-month period"
          and names["caseload"] == "people on benefit at the end of the 3-month period"
          and not [v for v, n in names.items() if "the month" in n])

def main():
    try:
        import xarray as xr
    except ImportError:
        print("skip xarray not importable (Debian: python3-xarray python3-h5netcdf)")
        xr = None
    regions_checks(sys.argv[1])
    if xr is not None:
        series_checks(xr, sys.argv[1])
        outcomes_checks(xr, sys.argv[1])
        events_checks(xr, sys.argv[1])
        if len(sys.argv) > 2:
            quarterly_checks(xr, sys.argv[2])
        for g in (None, "parameters", "series", "outcomes"):
            try:
                xr.open_dataset(sys.argv[1], group=g, engine="h5netcdf", phony_dims="sort").close()
                ok = True
            except Exception as exc:   # noqa: BLE001 (report any reader failure)
                ok = False
                print("  %s: %s" % (g, exc))
            check("xarray opens group %s" % (g or "/"), ok)

main()
