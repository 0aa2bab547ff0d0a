"""scenario_facts.py DIR: directional tests of the policy scenarios (issue 5) on
reduced-population runs in DIR (written by tests/test_scenarios.sh). Each check
prints one line; the last line is "N passed, M failed"."""
import sys

import h5py
import numpy as np

d = sys.argv[1]
passed = failed = 0


def check(name, ok, detail):
    global passed, failed
    passed, failed = passed + bool(ok), failed + (not ok)
    print(("ok   " if ok else "FAIL ") + f"{name}: {detail}")


def load(name):
    return h5py.File(f"{d}/{name}.h5", "r")


def monthly(f, series):
    """National series per month, mean over replications."""
    return f["series/" + series][:].mean(axis=0).sum(axis=1)


def month_index(f, date):
    y, m = map(int, date.split("-")[:2])
    return (y - 2019) * 12 + (m - 1)


base, covid = load("baseline"), load("covid")
inc, struct = load("pow-incidental"), load("pow-structural")

# Covid on vs off: placements fall during the suspension and recover after; the caseload rises.
i0, i1 = month_index(base, "2020-04"), month_index(base, "2020-06")
pb, pc = monthly(base, "placements"), monthly(covid, "placements")
check("covid: placements fall in the first suspension", pc[i0:i1].sum() < 0.8 * pb[i0:i1].sum(),
      f"{pc[i0:i1].sum():.0f} vs {pb[i0:i1].sum():.0f}")
j0, j1 = month_index(base, "2022-01"), month_index(base, "2024-01")
check("covid: placements recover after", pc[j0:j1].sum() > 0.95 * pb[j0:j1].sum(),
      f"{pc[j0:j1].sum():.0f} vs {pb[j0:j1].sum():.0f}")
k = month_index(base, "2021-01")
cb, cc = monthly(base, "caseload"), monthly(covid, "caseload")
check("covid: caseload rises", cc[k] > cb[k], f"{cc[k]:.0f} vs {cb[k]:.0f} in January 2021")

# Incidental vs structural with equal money: incidental front-loads, structural lasts.
w0, w1 = month_index(base, "2019-12"), month_index(base, "2021-09")
pi, ps = monthly(inc, "placements"), monthly(struct, "placements")
check("incidental: more placements in the programme window", pi[w0:w1].sum() > ps[w0:w1].sum(),
      f"{pi[w0:w1].sum():.0f} vs {ps[w0:w1].sum():.0f}")
a0 = month_index(base, "2024-01")
check("structural: more placements after the window", ps[a0:].sum() > pi[a0:].sum(),
      f"{ps[a0:].sum():.0f} vs {pi[a0:].sum():.0f}")
placesi = monthly(inc, "places")
check("incidental: places close at the end", placesi[w1 + 2] < placesi[w1 - 2],
      f"{placesi[w1 + 2]:.0f} after vs {placesi[w1 - 2]:.0f} before")

# A budget ending mid-trajectory lets current participants finish: with a large
# programme, right after the end more people are in programmes than places remain.
big = load("big")
e = w1
inprog, placesb = monthly(big, "in_programme"), monthly(big, "places")
check("programme end: places close at once", placesb[e] < 0.7 * placesb[e - 1],
      f"{placesb[e - 1]:.0f} -> {placesb[e]:.0f} places")
check("programme end: participants finish, they are not sent away", inprog[e] > 0.8 * inprog[e - 1],
      f"{inprog[e - 1]:.0f} -> {inprog[e]:.0f} people in programmes")
check("programme end: no drop-out spike", abs(big["summary"]["programme_dropouts"].mean() / big["summary"]["starts_workfit"].mean()
      - inc["summary"]["programme_dropouts"].mean() / inc["summary"]["starts_workfit"].mean()) < 0.05, "drop-outs per start similar")

# Substitution 1.0 gives no net effect (identical, with common random numbers); 0.0 the full effect.
s1, s0 = load("subst1"), load("subst0")
check("substitution 1.0: identical to the baseline", all(np.array_equal(s1["summary"][n], base["summary"][n])
      for n in base["summary"].dtype.names), "every /summary field equal")
check("substitution 0.0: the full effect", s0["summary"]["placements"].mean() > 1.05 * base["summary"]["placements"].mean(),
      f"{s0['summary']['placements'].mean():.0f} vs {base['summary']['placements'].mean():.0f} without the programme")
z = load("zero")
check("zero budget: identical to the baseline", all(np.array_equal(z["summary"][n], base["summary"][n])
      for n in base["summary"].dtype.names) and np.array_equal(z["events"][:], base["events"][:]),
      "every /summary field and /events equal")

# Weak-cooperation regions gain more maturity but start later (seed 002 §7.5 facts 1, 8).
m0 = inc["regions"]["maturity"][:]
mat = inc["series/maturity"][:].mean(axis=0)            # [time][region]
weak, strong = m0 < 0.5, m0 >= 0.5
gain = mat[w1 - 1] - mat[0]
check("weak regions gain more maturity", gain[weak].mean() > gain[strong].mean(),
      f"{gain[weak].mean():.3f} vs {gain[strong].mean():.3f}")
pl = inc["series/places"][:].mean(axis=0)
first = np.argmax(pl > pl[0] + 0.5, axis=0)              # first month with programme places
check("weak regions start later", first[weak].min() > first[strong].max(),
      f"first month {first[weak].min()} (weak) vs {first[strong].max()} (strong, latest)")

# The proportional maturity rule (cooperation_money_for_full_gain, pow-*-dose.cfg): PoW's own
# cooperation money lies above the level that buys the whole gain, so incidental PoW is unchanged
# bit for bit; the structural programme's smaller yearly money buys a part of the gain, more than
# none (its yearly cooperation money is 19-22% of the level).
inc_d, struct_d = load("pow-incidental-dose"), load("pow-structural-dose")
check("dose rule: incidental PoW unchanged (its money buys the whole gain)",
      all(np.array_equal(inc_d["summary"][n], inc["summary"][n], equal_nan=True) for n in inc["summary"].dtype.names)
      and np.array_equal(inc_d["series/maturity"][:], inc["series/maturity"][:]), "every /summary field and maturity equal")
ms, md = struct["series/maturity"][:].mean(axis=(0, 2)), struct_d["series/maturity"][:].mean(axis=(0, 2))
k = month_index(struct, "2021-01")
g_full, g_dose = ms[k] - ms[0], md[k] - md[0]
check("dose rule: structural PoW's maturity grows, by less than under the whole-gain rule, by 2021",
      0 < g_dose < 0.6 * g_full, f"mean gain {g_dose:.4f} against {g_full:.4f}")

print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
