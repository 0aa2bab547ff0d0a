"""survival.py: Kaplan-Meier curves from the /events table of sim output files.

Two durations per traced person (one subject = one person in one replication):
  placement  from the first profiling (to_in_view; or arrival on the caseload with
             --origin caseload) to the first placement (to_placed); censored when the
             person leaves benefit otherwise (exit to work found alone, other exits) or
             at the horizon.
  job loss   from the first placement to losing that job (a row from placed to in_view);
             censored when the placement becomes durable, ends without conversion (back
             to the matching pool) or at the horizon.
Groups (--by): region group (the WSP structure in /regions, the default), region, or
distance to work (the /events field `group` at the start of the spell).

The table's S(6), S(12), S(24) read "n/a*" where the month lies beyond a group's longest
follow-up (job loss: 12 months, when a placement becomes durable), with a footnote; --csv
lists each curve at its event times only, so nothing beyond the follow-up.

Usage: python3 -m analysis.survival FILE.h5 [FILE.h5 ...] [--by none|wsp|region|distance] [--origin profile|caseload]
       [--what placement|jobloss] [--csv]
"""
import argparse
import math
import re
import sys

import numpy as np

if not __package__:   # run as a file: the sibling modules are found only in the package
    sys.exit("survival.py is part of the analysis package: run python3 -m analysis.survival from the directory that holds analysis/ (analysis/README.md)")
from . import counterfactual as cf  # noqa: E402  (open_checked: the common file checks)

DAYS_PER_MONTH = 365.2425 / 12.0
Z95 = 1.959963984540054

# The /events codes are read from the file's enums (kind "to_placed", state "placed", ...):
# event_codes() below; nothing here assumes a numbering.


# --------------------------------------------------------------------- Kaplan-Meier --

def kaplan_meier(time, event, conf="plain"):
    """Product-limit estimate and Greenwood standard error from statsmodels
    (SurvfuncRight): S(t) = prod over event times t_j <= t of (1 - d_j / n_j), with n_j
    the subjects still at risk at t_j (a subject censored at t_j counts as at risk) and
    d_j the events at t_j; Var S(t) = S(t)^2 * sum_j d_j / (n_j (n_j - d_j)). 95% band:
    "plain" S +- 1.96 se clipped to [0, 1], or "loglog" (exp(-exp(log(-log S) +- 1.96
    se / (S |log S|)))); statsmodels gives no pointwise band, so it is computed here.
    Returns a dict of arrays over the distinct event times: t, n, d, S, se, lo, hi, and
    subjects, events and followup (the longest time observed, event or censored: beyond
    it S is not estimated, km_at). Where S reaches 0 (n_j = d_j) the Greenwood se is
    undefined: NaN."""
    from statsmodels.duration.survfunc import SurvfuncRight
    time = np.asarray(time, dtype=float)
    event = np.asarray(event, dtype=bool)
    if event.any():
        with np.errstate(divide="ignore", invalid="ignore"):
            sf = SurvfuncRight(time, event.astype(float))
            t, n, d = sf.surv_times, sf.n_risk.astype(int), sf.n_events.astype(int)
            S, se = sf.surv_prob, np.where(n > d, sf.surv_prob_se, np.nan)
    else:
        t, n, d, S, se = (np.zeros(0),) * 5
    with np.errstate(divide="ignore", invalid="ignore"):
        g = (se / S) ** 2
        if conf == "loglog":
            sel = np.sqrt(g) / np.abs(np.log(S))
            lo = np.exp(-np.exp(np.log(-np.log(S)) + Z95 * sel))
            hi = np.exp(-np.exp(np.log(-np.log(S)) - Z95 * sel))
            lo = np.where(np.isfinite(lo), lo, np.where(S > 0, S, 0.0))
            hi = np.where(np.isfinite(hi), hi, np.where(S > 0, S, 0.0))
        else:
            lo = np.clip(S - Z95 * se, 0.0, 1.0)
            hi = np.clip(S + Z95 * se, 0.0, 1.0)
    se = np.where(np.isfinite(se), se, np.nan)
    return {"t": t, "n": n, "d": d, "S": S, "se": se, "lo": np.nan_to_num(lo), "hi": np.nan_to_num(hi, nan=1.0),
            "subjects": len(time), "events": int(event.sum()), "followup": float(time.max()) if len(time) else 0.0}


def beyond(km, when):
    """True when `when` lies beyond the longest follow-up (nobody observed that long, e.g.
    job loss after 12 months: a placement becomes durable then and leaves the risk set), so
    S there is not observed; not when S already reached 0 (it stays 0)."""
    last = km.get("followup", math.inf)
    return when > last * (1 + 1e-9) + 1e-9 and not (len(km["S"]) and km["S"][-1] == 0)


def km_at(km, when):
    """S at time `when` (step function, right-continuous; 1 before the first event); NaN
    beyond the longest follow-up (beyond()): the curve is not observed there, and its last
    value is no estimate of it."""
    if beyond(km, when):
        return float("nan")
    i = np.searchsorted(km["t"], when, side="right") - 1
    return 1.0 if i < 0 else float(km["S"][i])


def km_median(km):
    """The first time at which S <= 0.5, or NaN if the curve stays above 0.5."""
    i = np.nonzero(km["S"] <= 0.5)[0]
    return float(km["t"][i[0]]) if len(i) else float("nan")


# ----------------------------------------------------------------------- the files --

def text(x):
    return x.decode("utf-8", "replace") if isinstance(x, bytes) else str(x)


def horizon_days(f):
    """Days from the time origin to the model's end date (labour_market.end in the
    resolved scenario); otherwise the last time seen in /series or /events."""
    origin = text(f.attrs.get("time_origin", b"2019-01-01"))
    scen = text(f["parameters/scenario"][0]) if "parameters/scenario" in f else ""
    stack, end = [], None                     # names of the enclosing { } blocks
    for line in scen.splitlines():
        m = re.match(r'\s*end\s*=\s*"(\d{4}-\d\d-\d\d)"', line)
        if m and stack == ["labour_market"]:
            end = m.group(1)
            break
        name = re.match(r'\s*(\w+)\s*=\s*\{', line)
        for ch in line:
            if ch == "{":
                stack.append(name.group(1) if name else None)
                name = None
            elif ch == "}" and stack:
                stack.pop()
    if end:
        return float((np.datetime64(end) - np.datetime64(origin)) / np.timedelta64(1, "D"))
    if "series/time_bnds" in f and f["series/time_bnds"].shape[0]:   # calendar months: the last one's end
        last = [float(f["series/time_bnds"][-1, 1])]
    else:
        last = [float(f["series/time"][-1])] if "series/time" in f else []
    if "events" in f and f["events"].shape[0]:
        last.append(float(f["events"]["time"].max()))
    return max(last) if last else float("nan")


def h5py_enum_labels(dtype, field):
    """{value: label} of an HDF5 enum field ({} if the field is absent or not an enum)."""
    import h5py
    if dtype.names is None or field not in dtype.names:
        return {}
    enum = h5py.check_enum_dtype(dtype[field]) or {}
    return {int(v): k for k, v in enum.items()}


def event_codes(dtype):
    """{label: code} of the /events enums `kind` and `from_state` (the same states as
    `to_state`), e.g. {"kind": {"to_placed": 5, ...}, "state": {"placed": 5, ...}}."""
    import h5py
    def enum(field):
        e = h5py.check_enum_dtype(dtype[field]) if field in (dtype.names or ()) else None
        if not e:
            raise KeyError("/events %s is not an HDF5 enum" % field)
        return {k: int(v) for k, v in e.items()}
    return {"kind": enum("kind"), "state": enum("from_state")}


def region_groups(f, by):
    """(group index of every region, group labels) for by = none | wsp | region."""
    reg = f["regions"][:] if "regions" in f else None
    if by == "none" or reg is None:
        return np.zeros(len(reg) if reg is not None else 1 << 16, dtype=int), ["all"]
    if by == "region":
        return np.arange(len(reg)), [text(x) for x in reg["name"]]
    labels = {str(k): v for k, v in h5py_enum_labels(f["regions"].dtype, "wsp").items()} or \
        dict(re.findall(r"(\d+) (\w+)", text(f["regions"].attrs.get("wsp_labels", b""))))   # files before the enum
    codes = sorted(set(int(x) for x in reg["wsp"]))
    names = [labels.get(str(c), "wsp %d" % c).replace("_", "+") + " WSP" for c in codes]
    return np.searchsorted(codes, reg["wsp"]), names


_events_cache = {}


def read_events(f):
    """The /events columns needed here, ordered by (replication, person, time) with the
    file's order kept among equal times; None if the file has no /events. Kept per open
    file: charts and the report ask for the same table several times (and what is
    derived from it, memo(), with it)."""
    if "events" not in f:
        return None
    ck = (f.filename, f.id.id)
    if ck in _events_cache:
        return _events_cache[ck]
    names = ["replication", "person", "time", "region", "kind", "from_state", "to_state"]
    has_group = "group" in f["events"].dtype.names
    e = f["events"].fields(names + (["group"] if has_group else []))[:]
    key = (e["replication"].astype(np.uint64) << np.uint64(32)) | e["person"].astype(np.uint64)
    dr = np.diff(e["replication"].astype(np.int64))
    if np.all(dr >= 0) and np.all((dr > 0) | (np.diff(e["time"]) >= 0)):
        order = np.argsort(key, kind="stable")   # rows in (replication, time) order, as sim writes them: the same
    else:                                        # order as the lexsort below, in a third of its time
        order = np.lexsort((e["time"], key))
    out = {"key": key[order], "time": e["time"][order].astype(float), "region": e["region"][order].astype(int),
           "kind": e["kind"][order].astype(int), "from": e["from_state"][order].astype(int),
           "to": e["to_state"][order].astype(int),
           "group": e["group"][order].astype(int) if has_group else np.zeros(len(order), dtype=int),
           "codes": event_codes(f["events"].dtype)}
    _events_cache[ck] = out
    return out


def memo(ev, key, make):
    """make(), computed once per events table: kept in the table (ev["memo"]), which
    read_events keeps per open file, so the survival chart's curves by WSP and overall and
    the counterfactual of each outcome against each ALT share one pass over the traced
    people. The values are shared: callers must not change them."""
    box = ev.setdefault("memo", {})
    if key not in box:
        box[key] = make()
    return box[key]


def _first_time(ev, mask, ukeys):
    """Per subject (ukeys), the first time where mask holds, +inf where it never does."""
    out = np.full(len(ukeys), np.inf)
    idx = np.searchsorted(ukeys, ev["key"][mask])
    np.minimum.at(out, idx, ev["time"][mask])
    return out


def _first_value(ev, mask, ukeys, field):
    """Per subject, `field` on the first row (earliest time) where mask holds; -1 if none
    (also when the table has no such column)."""
    out = np.full(len(ukeys), -1)
    keys = ev["key"][mask]
    if len(keys) and field in ev:
        k, first = np.unique(keys, return_index=True)   # rows are in (key, time) order
        out[np.searchsorted(ukeys, k)] = ev[field][mask][first]
    return out


def subjects(ev):
    """The sorted subject keys and each one's region (on its first row), once per table."""
    def make():
        ukeys, first = np.unique(ev["key"], return_index=True)
        return ukeys, ev["region"][first]
    return memo(ev, "subjects", make)


def durations(ev, what, horizon, origin="profile"):
    """(duration in months, event flag, region, group at the start) per subject at risk,
    for what = placement | jobloss (see the top of the file); once per table and arguments."""
    if what not in ("placement", "jobloss"):
        raise ValueError("what must be placement or jobloss")
    return memo(ev, ("durations", what, float(horizon), origin), lambda: _durations(ev, what, horizon, origin))


def _durations(ev, what, horizon, origin):
    ukeys, region = subjects(ev)
    k, st = ev["codes"]["kind"], ev["codes"]["state"]
    IN_VIEW, NOT_IN_VIEW, PLACED = k["to_in_view"], k["to_not_in_view"], k["to_placed"]
    EXIT_WORK, EXIT_OTHER = k["to_exit_work"], k["to_exit_other"]
    S_NOT_ARRIVED, S_PLACED, S_IN_VIEW = st["not_arrived"], st["placed"], st["in_view"]
    if what == "placement":
        start_rows = (ev["kind"] == IN_VIEW) if origin == "profile" \
            else (ev["kind"] == NOT_IN_VIEW) & (ev["from"] == S_NOT_ARRIVED)
        start = _first_time(ev, start_rows, ukeys)
        group = _first_value(ev, start_rows, ukeys, "group")
        hit = _first_time(ev, ev["kind"] == PLACED, ukeys)
        stop = _first_time(ev, (ev["kind"] == EXIT_WORK) | (ev["kind"] == EXIT_OTHER), ukeys)
    elif what == "jobloss":
        start = _first_time(ev, ev["kind"] == PLACED, ukeys)
        group = _first_value(ev, ev["kind"] == PLACED, ukeys, "group")
        ends = (ev["from"] == S_PLACED) & (ev["to"] != S_PLACED)
        first_end = _first_time(ev, ends, ukeys)
        lost = _first_time(ev, ends & (ev["to"] == S_IN_VIEW), ukeys)
        hit = np.where(lost == first_end, lost, np.inf)       # the first placement spell ended in job loss
        stop = np.where(lost == first_end, np.inf, first_end)
    else:
        raise ValueError("what must be placement or jobloss")
    at_risk = np.isfinite(start) & (start < horizon)
    start, hit, stop, region, group = start[at_risk], hit[at_risk], stop[at_risk], region[at_risk], group[at_risk]
    event = np.isfinite(hit) & (hit <= horizon)
    end = np.where(event, hit, np.minimum(stop, horizon))
    return np.maximum(end - start, 0.0) / DAYS_PER_MONTH, event, region, group


def curves(f, what="placement", by="wsp", origin="profile", conf="loglog"):
    """{group label: Kaplan-Meier dict} for one open h5py file (empty without /events)."""
    ev = read_events(f)
    if ev is None or len(ev["key"]) == 0:
        return {}
    t, e, region, group = durations(ev, what, horizon_days(f), origin)
    if by == "distance":   # the model's /events `group` (labour market: distance to work) at the start
        labels = h5py_enum_labels(f["events"].dtype, "group")
        names = [labels.get(v, "group %d" % v).replace("_", " ") for v in range(max(labels, default=-1) + 1)]
        g = group
    else:
        gidx, names = region_groups(f, by)
        g = gidx[np.minimum(region, len(gidx) - 1)]
    out = {}
    for i, name in enumerate(names):
        sel = g == i
        if sel.any():
            out[name] = kaplan_meier(t[sel], e[sel], conf)
    return out


# --------------------------------------------------------------------------- CLI --

def _fmt(x):
    return "n/a" if x is None or (isinstance(x, float) and math.isnan(x)) else "%.3f" % x


AT = (6, 12, 24)   # the months of the text table's S(t) columns
UNOBSERVED = "n/a*"   # S(t) beyond the follow-up, explained under the table


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python3 -m analysis.survival", description="Kaplan-Meier summaries of sim output files.")
    ap.add_argument("files", nargs="+")
    ap.add_argument("--by", choices=["none", "wsp", "region", "distance"], default="wsp")
    ap.add_argument("--origin", choices=["profile", "caseload"], default="profile")
    ap.add_argument("--what", choices=["placement", "jobloss"], default="placement")
    ap.add_argument("--csv", action="store_true", help="the whole curves as CSV")
    a = ap.parse_args(argv)
    if a.csv:
        print("file,group,months,at_risk,events,survival,se,ci_low,ci_high")
    for path in a.files:
        try:
            with cf.open_checked(path) as f:
                c = curves(f, a.what, a.by, a.origin)
        except cf.Refused as err:
            print("survival.py: %s" % err, file=sys.stderr)
            return 1
        except (OSError, KeyError) as err:
            print("survival.py: %s: cannot read: %s" % (path, err), file=sys.stderr)
            return 1
        if not c:
            print("survival.py: %s: no /events (run with -d events)" % path, file=sys.stderr)
            return 1
        if not a.csv:
            print("%s: time to %s (months), Kaplan-Meier, 95%% Greenwood band" % (path, a.what))
            print("  %-26s %9s %8s %7s %7s %7s %7s" % (("group", "subjects", "events", "median") + tuple("S(%d)" % m for m in AT)))
        unobserved = []   # the groups' longest follow-up where a column lies beyond it
        for name, km in c.items():
            if a.csv:   # the curve at its event times: none lies beyond the follow-up
                for row in zip(km["t"], km["n"], km["d"], km["S"], km["se"], km["lo"], km["hi"]):
                    print('%s,"%s",%.6g,%d,%d,%.6g,%.6g,%.6g,%.6g' % ((path, name) + row))
            else:
                cols = [UNOBSERVED if beyond(km, m) else _fmt(km_at(km, m)) for m in AT]
                unobserved += [km["followup"]] if UNOBSERVED in cols else []
                print("  %-26s %9d %8d %7s %7s %7s %7s" % ((name[:26], km["subjects"], km["events"], _fmt(km_median(km))) + tuple(cols)))
        if unobserved:
            print("  %s beyond the longest follow-up (%s months%s): not observed, so not estimated"
                  % (UNOBSERVED, "%.1f" % max(unobserved) if max(unobserved) - min(unobserved) < 0.05 else
                     "%.1f to %.1f" % (min(unobserved), max(unobserved)),
                     "; a placement that lasts that long is durable and no longer at risk" if a.what == "jobloss" else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
