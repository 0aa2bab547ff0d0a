"""cf_check.py FILE.h5 [FILE.h5 ...]: the CF conventions that matter for sim's output,
checked with the reference libraries Debian has (tests/test_conventions.sh). No CF
checker (cfchecker, compliance-checker) is a Debian package, so this is a small one:

  units   every units attribute in /series and /outcomes parses with UDUNITS-2 (the
          library CF names, through ctypes: libudunits2-0), or, for counted things and
          money that UDUNITS has no unit for (persons, places, vacancies, FTE, EUR), the
          rest of the string does once each such word reads as 1; the rate units are
          then UDUNITS frequencies equal to 1 / (the series step);
  time    /series/time is the coordinate variable of its dimension, its units are a
          UDUNITS time with an origin, `calendar` is a CF calendar, cftime decodes it to
          strictly increasing dates, and `bounds` names an existing (time, 2) dataset
          without other units or calendar whose rows start at time and join up;
  dims    every dimension of every data variable has its dimension scale: it exists,
          is a dimension scale of that group, has the dimension's length and lists the
          variable back; numeric coordinate variables are strictly monotonic;
  netCDF  netCDF-C (python3-netcdf4) opens the file and reads the same dimensions,
          dates and values.

Prints "ok ..." / "FAIL ..." lines, "skip ..." when a library is missing (counted as
skipped) and "note ..." for what a strict CF checker would also report (not failures)."""
import ctypes
import re
import sys

import h5py
import numpy as np

CF_CALENDARS = {"standard", "gregorian", "proleptic_gregorian", "noleap", "365_day", "all_leap",
                "366_day", "360_day", "julian", "none"}
COUNTED = re.compile(r"\b(persons|person|places|vacancies|vacancy|FTE|unemployed|EUR)\b")


def check(desc, cond):
    print(("ok " if cond else "FAIL ") + desc)
    return cond


def text(v):
    return v.decode() if isinstance(v, bytes) else str(v)


class Udunits:
    """UDUNITS-2 through ctypes: parse, convertibility and conversion factors."""

    def __init__(self):
        lib = ctypes.CDLL("libudunits2.so.0")
        lib.ut_set_error_message_handler.restype = ctypes.c_void_p
        lib.ut_set_error_message_handler.argtypes = [ctypes.c_void_p]
        lib.ut_set_error_message_handler(ctypes.cast(lib.ut_ignore, ctypes.c_void_p))
        lib.ut_read_xml.restype = ctypes.c_void_p
        lib.ut_read_xml.argtypes = [ctypes.c_char_p]
        lib.ut_parse.restype = ctypes.c_void_p
        lib.ut_parse.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
        lib.ut_are_convertible.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
        lib.ut_divide.restype = ctypes.c_void_p
        lib.ut_divide.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
        lib.ut_get_converter.restype = ctypes.c_void_p
        lib.ut_get_converter.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
        lib.cv_convert_double.restype = ctypes.c_double
        lib.cv_convert_double.argtypes = [ctypes.c_void_p, ctypes.c_double]
        self.lib = lib
        self.system = lib.ut_read_xml(None)
        if not self.system:
            raise OSError("ut_read_xml: no UDUNITS-2 database (libudunits2-data)")

    def parse(self, s):
        return self.lib.ut_parse(self.system, s.encode(), 0) or None   # 0: UT_ASCII

    def convertible(self, a, b):
        """UDUNITS also converts between reciprocal units (s and Hz): see factor."""
        return bool(a and b and self.lib.ut_are_convertible(a, b))

    def factor(self, a, b):
        """How many b one a is, when a and b have the same dimension (a / b is a
        number; not reciprocals, which ut_are_convertible accepts), else None."""
        ratio = self.lib.ut_divide(a, b) if a and b else None
        one = self.parse("1")
        conv = self.lib.ut_get_converter(ratio, one) if ratio and self.convertible(ratio, one) else None
        return self.lib.cv_convert_double(conv, 1.0) if conv else None


def data_variables(g):
    """(name, dataset) of the datasets of group g that are not dimension scales."""
    return [(k, v) for k, v in g.items()
            if isinstance(v, h5py.Dataset) and text(v.attrs.get("CLASS", b"")) != "DIMENSION_SCALE"]


def units_checks(f, path, ud):
    bounds = {text(f["series/time"].attrs.get("bounds", b""))} if "series/time" in f else set()
    seen, counted = {}, set()
    for gname in ("series", "outcomes"):
        if gname not in f:
            continue
        for k, v in data_variables(f[gname]):
            if k in bounds:
                continue
            seen.setdefault(text(v.attrs["units"]) if "units" in v.attrs else None, []).append("%s/%s" % (gname, k))
    check("%s: every data variable of /series and /outcomes has units%s"
          % (path, ": not " + ", ".join(seen[None]) if None in seen else ""), None not in seen)
    seen.pop(None, None)
    bad = []
    for u in sorted(seen):
        if ud.parse(u):
            continue
        rest = COUNTED.sub("1", u)
        counted.update(COUNTED.findall(u))
        if not ud.parse(rest):
            bad.append("%r (as %r; %s)" % (u, rest, seen[u][0]))
    check("%s: %d units strings parse with UDUNITS-2 (counted things and money read as 1)%s"
          % (path, len(seen), ": not " + ", ".join(bad) if bad else ""), not bad)
    if counted:
        print("note %s: units that UDUNITS-2 has no unit for (CF 3.1 asks for UDUNITS units; "
              "a strict CF checker reports them): %s" % (path, ", ".join(sorted(counted))))
    # rates: "X per N months" is a frequency of 1 / (the series step)
    if "series/time_bnds" in f:
        b = f["series/time_bnds"][()]
        # months per step: the intervals between month starts (the first may start mid-month)
        t = f["series/time"]
        try:
            import cftime
            d = cftime.num2date(b, text(t.attrs["units"]), text(t.attrs["calendar"]))
            months = sorted({(y.year - x.year) * 12 + y.month - x.month for x, y in d if x.day == 1 and y.day == 1})
        except ImportError:   # from the lengths in days (28..31 per month)
            months = sorted({int(round((x[1] - x[0]) / 30.436875)) for x in b[1:]})
        rates = sorted(u for u in seen if " per " in u)
        n = months[0] if len(months) == 1 else 0
        parsed = [ud.parse(COUNTED.sub("1", u)) for u in rates]
        factors = [ud.factor(p, ud.parse("month-1")) for p in parsed]
        good = [x is not None and abs(x - 1.0 / n) < 1e-12 for x in factors] if n else [False]
        # "persons per (3 months)" is the UDUNITS rate; "persons per 3 months" would read
        # as persons x months / 3, a time, and fails here.
        check("%s: rates (%s) are UDUNITS frequencies of 1 per %d month(s), the series step"
              % (path, ", ".join(rates), n), bool(rates) and n > 0 and all(good))


def time_checks(f, path, ud):
    if not check("%s: /series/time exists" % path, "series/time" in f):
        return
    t = f["series/time"]
    a = {k: text(v) for k, v in t.attrs.items() if k in ("CLASS", "NAME", "units", "calendar", "bounds")}
    check("%s: time is the coordinate variable of dimension time (1-D dimension scale named time)" % path,
          t.ndim == 1 and a.get("CLASS") == "DIMENSION_SCALE" and a.get("NAME") == "time")
    u = a.get("units", "")
    check("%s: time units %r are a UDUNITS-2 time with an origin (convertible to seconds since 1970-01-01)"
          % (path, u), " since " in u and ud.convertible(ud.parse(u), ud.parse("seconds since 1970-01-01")))
    cal = a.get("calendar")
    check("%s: time calendar %r is a CF calendar" % (path, cal), cal in CF_CALENDARS)
    tv = t[()]
    check("%s: time strictly increasing (CF 5)" % path, len(tv) > 1 and bool(np.all(np.diff(tv) > 0)))
    try:
        import cftime
    except ImportError:
        print("skip %s: cftime decoding (apt-get install python3-cftime)" % path)
    else:
        try:
            d = cftime.num2date(tv, u, cal)
            o = cftime.num2date(0.0, u, cal).strftime("%Y-%m-%d")
            ok = (all(x < y for x, y in zip(d[:-1], d[1:]))
                  and all((x.hour, x.minute, x.second) == (0, 0, 0) for x in d))
            what = "strictly increasing dates at midnight from %s (%s, %s ...)" % (
                o, d[0].strftime("%Y-%m-%d"), d[1].strftime("%Y-%m-%d"))
        except ValueError as err:
            ok, what = False, "dates: %s" % err
        check("%s: cftime decodes time to %s" % (path, what), ok)
    bname = a.get("bounds", "")
    ok = check("%s: time has bounds = %r, an existing dataset of /series" % (path, bname),
               bool(bname) and bname in f["series"] and isinstance(f["series"][bname], h5py.Dataset))
    if not ok:
        return
    bd = f["series"][bname]
    check("%s: %s is (time, 2): %s" % (path, bname, bd.shape), bd.shape == (len(tv), 2))
    ba = {k: text(v) for k, v in bd.attrs.items() if k in ("units", "calendar")}
    check("%s: %s has no units or calendar other than time's (CF 7.1)" % (path, bname),
          ba.get("units", u) == u and ba.get("calendar", cal) == cal)
    b = bd[()]
    check("%s: %s rows start at time, end after it and join up (contiguous intervals)" % (path, bname),
          bd.shape == (len(tv), 2) and np.array_equal(b[:, 0], tv) and bool(np.all(b[:, 1] > b[:, 0]))
          and np.array_equal(b[:-1, 1], b[1:, 0]))


def dims_checks(f, path, ud=None):
    n, bad, nonmono, strings = 0, [], [], []
    for gname in ("series", "outcomes"):
        if gname not in f:
            continue
        g = f[gname]
        for k, v in data_variables(g):
            for i, dim in enumerate(v.dims):
                n += 1
                scales = list(dim.values())
                if len(scales) != 1:
                    bad.append("%s/%s dim %d: %d scales" % (gname, k, i, len(scales)))
                    continue
                s = scales[0]
                name = s.name.rsplit("/", 1)[-1]
                back = [f[r[0]].name for r in s.attrs.get("REFERENCE_LIST", [])]
                if (s.parent.name != g.name or text(s.attrs.get("CLASS", b"")) != "DIMENSION_SCALE"
                        or s.ndim != 1 or s.shape[0] != v.shape[i] or v.name not in back):
                    bad.append("%s/%s dim %d (%s)" % (gname, k, i, name))
        for k, s in g.items():
            if isinstance(s, h5py.Dataset) and text(s.attrs.get("CLASS", b"")) == "DIMENSION_SCALE":
                x = s[()]
                if x.dtype.kind in "iuf":
                    if len(x) > 1 and not (np.all(np.diff(x) > 0) or np.all(np.diff(x) < 0)):
                        nonmono.append("%s/%s" % (gname, k))
                else:
                    strings.append("%s/%s" % (gname, k))
    check("%s: every dimension of every data variable (%d) has its dimension scale: in the group, "
          "its length, listing the variable back%s" % (path, n, ": not " + "; ".join(bad[:5]) if bad else ""),
          n > 0 and not bad)
    check("%s: numeric coordinate variables strictly monotonic (CF 5)%s"
          % (path, ": not " + ", ".join(nonmono) if nonmono else ""), not nonmono)
    if strings:
        print("note %s: string-valued coordinate variables (%s): CF 5 wants coordinate variables numeric "
              "(labels as auxiliary coordinates); xarray and netCDF-C read them" % (path, ", ".join(strings)))
    if "Conventions" not in f.attrs:
        print("note %s: no global Conventions attribute: the file does not claim a CF version" % path)


def netcdf_checks(f, path, ud=None):
    try:
        import netCDF4
    except ImportError:
        print("skip %s: netCDF-C reading (apt-get install python3-netcdf4)" % path)
        return
    with netCDF4.Dataset(path, "r") as nc:
        s = nc["series"]
        h = f["series"]
        want = {k: h[k].shape[0] for k in h if isinstance(h[k], h5py.Dataset)
                and text(h[k].attrs.get("CLASS", b"")) == "DIMENSION_SCALE"}
        check("%s: netCDF-C opens /series with dimensions %s" % (path, ", ".join("%s=%d" % kv for kv in sorted(want.items()))),
              {k: len(d) for k, d in s.dimensions.items()} == want)
        t = s["time"]
        d = netCDF4.num2date(t[:], t.units, t.calendar)
        check("%s: netCDF-C's time decodes as cftime does and its bounds are %s" % (path, t.bounds),
              len(d) == h["time"].shape[0] and t.bounds in s.variables
              and s[t.bounds].dimensions == ("time", s[t.bounds].dimensions[1]))
        scale_names = lambda v: tuple(list(x.values())[0].name.rsplit("/", 1)[-1] for x in v.dims)
        same = all(s[k].dimensions == scale_names(v) and np.array_equal(
            np.ma.filled(s[k][:], np.nan), h[k][()], equal_nan=True)
            for k, v in data_variables(h) if h[k].dtype.kind == "f")
        check("%s: netCDF-C reads every /series variable with the same dimensions and values as h5py" % path, same)
        o = nc["outcomes"]
        check("%s: netCDF-C reads /outcomes: one variable per field on dimension replication" % path,
              all(o[k].dimensions == ("replication",) for k, _ in data_variables(f["outcomes"])))


def main(paths):
    try:
        ud = Udunits()
    except OSError as err:
        ud = None
        print("skip UDUNITS-2 not available (%s; apt-get install libudunits2-0): units and time checks" % err)
    for p in paths:
        with h5py.File(p, "r") as f:
            for what, fn in (("units", units_checks), ("time", time_checks), ("dims", dims_checks),
                             ("netCDF", netcdf_checks)):
                if ud is None and fn in (units_checks, time_checks):
                    continue
                try:   # a file these checks did not foresee fails its section, the rest go on
                    fn(f, p, ud)
                except Exception as err:
                    check("%s: %s checks stopped: %s: %s" % (p, what, type(err).__name__, err), False)


if __name__ == "__main__":
    main(sys.argv[1:])
