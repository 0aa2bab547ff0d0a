"""model_facts.py: the stylised facts the labour-market baseline must reproduce
(issue 4 §7), checked on reduced-population runs. Usage:
    model_facts.py BASE.h5 NO_AFTERCARE.h5
Prints one line per check and ends with "N passed, M failed"."""
import sys

import h5py
import numpy as np

passed = failed = 0


def check(name, ok, detail):
    global passed, failed
    if ok:
        passed += 1
        print(f"ok   {name}: {detail}")
    else:
        failed += 1
        print(f"FAIL {name}: {detail}")


def mean(f, field):
    return float(np.mean(f["summary"][field]))


base = h5py.File(sys.argv[1], "r")
noac = h5py.File(sys.argv[2], "r")

# 1. Long-term stock: ~10% placeable, Den Haag split 10/49/41 within a few points
#    (seed 004 §5b, orig L77-L79), after ten simulated years of dynamics.
split = [mean(base, k) for k in ("long_term_ready", "long_term_activation", "long_term_not_now")]
for got, want, name in zip(split, (0.10, 0.49, 0.41), ("ready", "activation", "not_now")):
    check(f"long-term {name} share", abs(got - want) <= 0.06, f"{got:.3f} vs {want:.2f} +/- 0.06")

# 2. Gradient of work outflow by programme (seed 004 §7): further from work, lower outflow.
w = {k: mean(base, "work12_" + k) for k in
     ("barrier_removal", "workfit", "praktijkleren", "sector_training", "retraining")}
check("diagnosis/barrier route low", w["barrier_removal"] <= 0.06, f"{w['barrier_removal']:.3f} <= 0.06 (seed: ~0.02)")
check("workfit band", 0.15 <= w["workfit"] <= 0.40, f"{w['workfit']:.3f} in [0.15, 0.40] (seed: 0.20-0.37)")
for k in ("praktijkleren", "retraining"):
    check(f"{k} band", 0.20 <= w[k] <= 0.50, f"{w[k]:.3f} in [0.20, 0.50] (seed: 0.30-0.40)")
check("guaranteed-place programme band", 0.45 <= w["sector_training"] <= 0.75,
      f"{w['sector_training']:.3f} in [0.45, 0.75] (seed: 0.54-0.60)")
check("gradient order", w["barrier_removal"] < w["workfit"] < w["sector_training"],
      f"{w['barrier_removal']:.3f} < {w['workfit']:.3f} < {w['sector_training']:.3f}")

# 3. Capacity binds at the scale seed 004 reports: queues and waits exist.
check("queues exist", mean(base, "waiting_end") > 0, f"{mean(base, 'waiting_end'):.0f} waiting at the end")
check("waits are long", mean(base, "mean_wait_days") > 30, f"{mean(base, 'mean_wait_days'):.0f} days mean wait")
check("places mostly used", mean(base, "place_utilisation") > 0.6, f"{mean(base, 'place_utilisation'):.2f}")

# 4. Aftercare raises durability (seed 002 §6.6): within the run and against a paired run without it.
c, u = mean(base, "durable_rate_coached"), mean(base, "durable_rate_uncoached")
check("coached placements last longer", c > u, f"{c:.3f} > {u:.3f}")
d1, d0 = mean(base, "durable_share"), mean(noac, "durable_share")
check("aftercare raises the durable share", d1 > d0, f"{d1:.3f} with vs {d0:.3f} without")
check("no aftercare cost without aftercare", mean(noac, "cost_aftercare") == 0.0, "cost_aftercare == 0")

# 5. Profiling outcomes follow seed 004's Doe je mee shares (13% no-show, 20% unwilling).
inv = mean(base, "invited")
check("no-show share", abs(mean(base, "no_shows") / inv - 0.13) < 0.02, f"{mean(base, 'no_shows') / inv:.3f} vs 0.13")
check("unwilling share", abs(mean(base, "unwilling") / inv - 0.20) < 0.02, f"{mean(base, 'unwilling') / inv:.3f} vs 0.20")

# 6. Accounting identities.
s = base["summary"]
types = ("regular", "learn_work", "basisbaan", "trial", "secondment", "internship")
tot = sum(s["placements_" + t] for t in types)
check("placements add up", np.all(tot == s["placements"]), "sum over types == placements")
check("costs add up", np.allclose(s["cost_programmes"] + s["cost_aftercare"] + s["cost_subsidies"] + s["cost_staff"],
                                  s["cost_total"]), "parts == cost_total")
ser = base["series"]
c, st, en = ser["caseload"][()], ser["benefit_starts"][()], ser["benefit_ends"][()]
gap = np.abs((c[:, 1:, :] - c[:, :-1, :]) - (st[:, 1:, :] - en[:, 1:, :])).max()
check("caseload moves by benefit starts minus ends", gap == 0 and en.sum() > 0,
      f"largest monthly gap over replications and regions {gap:g} (want 0); {en.sum():.0f} ends")
extra = st - ser["inflow"][()]
losses = base["summary"]["job_losses"].sum()
check("benefit starts are the inflow plus returns after a lost job", extra.min() >= 0 and 0 < extra.sum() <= losses,
      f"starts - inflow: least {extra.min():g} (want >= 0), total {extra.sum():.0f} (want > 0 and <= {losses:.0f} job losses)")
oth = ser["exits_other"][()].sum(axis=(1, 2))
check("the exits_other series sums to /summary exits_other in every replication",
      np.array_equal(oth, s["exits_other"]) and oth.sum() > 0, f"{oth.tolist()} vs {s['exits_other'].tolist()}")
own = ser["exits_work_own"][()]
check("own exits to work and other exits are ends of benefit (never more than benefit_ends)",
      np.all(own + ser["exits_other"][()] <= en), "exits_work_own + exits_other <= benefit_ends, every month and region")
check("caseload stays plausible", 0.7 < mean(base, "caseload_end") / base["regions"]["caseload"].sum() < 1.3,
      f"end/start = {mean(base, 'caseload_end') / base['regions']['caseload'].sum():.2f}")

print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
