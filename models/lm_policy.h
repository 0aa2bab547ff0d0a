/* lm_policy.h: the policy levers of issue 5 as data: funding programmes
 * (incidental or structural money that buys places, staff and cooperation work),
 * cooperation maturity dynamics, and macro shocks (Covid as the first instance).
 * Everything here is a pure function of (region, time, maturity); the model
 * applies it at regime-change events (lm_model.c, EV_REGIME). */
#ifndef LM_POLICY_H
#define LM_POLICY_H

#include "lm.h"

#define LM_MAX_PROGRAMMES 8
#define LM_MAX_SHOCKS 4
#define LM_MAX_WINDOWS 4
#define LM_MAX_TRANCHES 8
/* Most policy boundaries (lm_policy_boundaries): per programme its start, end of ramp-up, end of
 * the weak regions' extra time, end and tranches; per shock its onset, suspension windows, the
 * staff diversion's start and end, and held_until. */
#define LM_MAX_BOUNDARIES (LM_MAX_PROGRAMMES * (4 + LM_MAX_TRANCHES) + LM_MAX_SHOCKS * (1 + 2 * LM_MAX_WINDOWS + 2 + 1))

/* Where a programme or shock's money or effect goes: the instruments it buys. */
enum { LM_SPEND_JOBCOACH = LM_NTRAJ, LM_SPEND_STAFF, LM_SPEND_COOPERATION, LM_NSPEND };

typedef struct {
    char     name[128];              /* a label only (never written to a fixed-width field) */
    int      structural;            /* 1: a yearly budget without end of money */
    uint64_t regions;               /* bit per region it funds */
    double   budget;                /* incidental: EUR per region in total; structural: EUR per region per year */
    double   start, end;            /* execution window (days) */
    double   tranche_t[LM_MAX_TRANCHES], tranche_share[LM_MAX_TRANCHES];
    int      ntranches;
    double   ramp_up, weak_extra;   /* days until capacity exists; extra where maturity < 0.5 */
    double   underspend;            /* share of the money never spent */
    double   substitution, substitution_maturity;   /* share replacing existing spending: s - sm * maturity */
    double   spend[LM_NSPEND];      /* shares of the money by use; sum to 1 */
    double   maturity_gain;         /* per year, times (1 - maturity), while cooperation work is funded */
    double   coop_full;             /* EUR per region per year of cooperation money (effective, scaled with the
                                       population) that buys the whole maturity_gain; less buys a proportional
                                       part. 0: any funded cooperation work gives the whole gain */
} lm_programme;

typedef struct {
    char     name[128];              /* a label only (never written to a fixed-width field) */
    uint64_t regions;
    double   onset;
    lm_path  demand;                /* multiplier on labour demand from onset on */
    double   inflow, inflow_start, inflow_end;   /* extra inflow per day per caseload person */
    double   inflow_young;                       /* share aged 18-26 of the extra inflow; < 0: as the stock */
    double   inflow_decay;                       /* e-folding time of the extra inflow's rate in days; 0: constant */
    double   search_factor;                      /* own-search multiplier of the shock's newcomers (1: as anyone) */
    double   held_until, held_factor;            /* before held_until (days; -INFINITY: never) their multiplier is
                                                    held_factor instead (work they could return to was closed) */
    double   susp_start[LM_MAX_WINDOWS], susp_end[LM_MAX_WINDOWS];
    int      nsusp;
    double   staff_diverted, divert_start, divert_end;
    double   online_share, online_effect, employer_availability;
} lm_shock;

/* The own-search multiplier of shock sh's newcomers at time t: held_factor before held_until,
 * search_factor from then on. */
double lm_shock_search_factor(const lm_shock *sh, double t);

typedef struct lm_policy {
    lm_programme prog[LM_MAX_PROGRAMMES];
    int          nprog;
    lm_shock     shock[LM_MAX_SHOCKS];
    int          nshock;
    double       maturity_offset;   /* added to every region's initial maturity (cooperation scenarios) */
    double       maturity_decay;    /* per year, towards the embedded level, once funding stops */
} lm_policy;

/* Read the optional top-level `programmes`, `shocks` and `cooperation` blocks. */
void lm_policy_read(sim_config *c, lm_params *p, lm_policy *pol);

/* Labour-demand multiplier of all shocks at t (1 without shocks). */
double lm_policy_demand(const lm_policy *pol, int region, double t);
/* 1 if face-to-face services are suspended in the region at t. */
int lm_policy_suspended(const lm_policy *pol, int region, double t);
/* End of the suspension window containing t (t itself if none). */
double lm_policy_suspension_end(const lm_policy *pol, int region, double t);
/* Share of staff available at t (1 - diverted share). */
double lm_policy_staff(const lm_policy *pol, int region, double t);
/* Employer availability multiplier at t. */
double lm_policy_employers(const lm_policy *pol, int region, double t);
/* Online-training share and effectiveness of the shock active at t (0 and 1 if none). */
void lm_policy_online(const lm_policy *pol, int region, double t, double *share, double *effect);

/* What the programmes active at t add in region r: places per trajectory
 * instrument, jobcoach places, client-manager FTE. Returns the maturity gain
 * rate per day (times 1 - maturity) of the cooperation work funded at t. */
double lm_policy_capacity(const lm_policy *pol, const lm_params *p, int r, double t,
                          double places[LM_NTRAJ], double *coach, double *staff);
/* Initial maturity of region r (regions.cfg plus the scenario's offset, clamped to 0..1). */
double lm_policy_initial_maturity(const lm_policy *pol, const lm_params *p, int r);

/* Times at which the regime changes (programme and shock boundaries), sorted,
 * into out[0..max); returns the count. Monthly ticks are added by the model. */
int lm_policy_boundaries(const lm_policy *pol, double *out, int max);

#endif
