/* lm.h: the labour-market model's shared types: the jobseeker record, the
 * journey states, the instruments, and the configured parameters. Internal to
 * models/lm_*.c; the engine only sees lm_model (models/lm_model.c).
 * Units: time in days since the origin, money in euro, rates per day inside
 * the model (scenario files speak months; lm_config.c converts). */
#ifndef LM_H
#define LM_H

#include <stdint.h>

#include "../sim/core/model.h"
#include "lm_path.h"
#include "lm_powb.h"

#define LM_DAYS_PER_MONTH 30.436875
#define LM_MAX_REGIONS 64
#define LM_MAX_HORIZON (365.25 * 60)   /* days from origin to end: 60 years at most */
#define LM_BANDS 5              /* skill bands of the matching-pool index */

/* Journey states (seed 002 §3.3, seed 003 §3.3, seed 004 §3.5). */
typedef enum {
    LM_NOT_IN_VIEW,   /* on benefit, no current profile */
    LM_IN_VIEW,       /* profiled, between steps (care first, unwilling, re-assessment) */
    LM_WAITING,       /* in the queue of a full instrument */
    LM_IN_PROGRAMME,  /* in a trajectory instrument (barrier removal .. retraining) */
    LM_POOL,          /* in the matching pool, ready for a vacancy */
    LM_PLACED,        /* in a placement (work), possibly with aftercare */
    LM_DURABLE,       /* in work beyond the durability threshold: leaves the model */
    LM_EXIT_WORK,     /* found work on their own: leaves the model */
    LM_EXIT_OTHER,    /* left benefit for another reason: leaves the model */
    LM_NOT_ARRIVED,   /* inflow that has not arrived yet */
    LM_NSTATES
} lm_state;

/* Trajectory instruments with places and a waiting queue (seed 002 §4, seed 004 §4b). */
typedef enum {
    LM_BARRIER, LM_WORKFIT, LM_PRAKTIJK, LM_BBL, LM_SECTOR, LM_RETRAIN, LM_NTRAJ
} lm_traj;

/* Placement types (seed 002 §3.3, seed 003 §4.3). */
typedef enum {
    LM_P_REGULAR, LM_P_LEARNWORK, LM_P_BASISBAAN, LM_P_TRIAL, LM_P_SECONDMENT, LM_P_INTERNSHIP, LM_NPLACE
} lm_place;

/* One row of /events (the model's trace record, declared field by field in
 * lm_output.c): a state transition of a traced person. `instrument` is set on
 * rows entering or leaving a trajectory instrument (waiting, in_programme) and
 * `placement` on rows entering or leaving a placement; the other is
 * LM_TRACE_NONE_INSTR / LM_TRACE_NONE_PLACE. */
typedef struct {
    double   time;
    uint32_t replication, person;
    float    cost;         /* EUR booked with the transition */
    uint16_t region;
    uint8_t  kind, from, to;
    uint8_t  instrument;   /* lm_traj, or LM_TRACE_NONE_INSTR */
    uint8_t  placement;    /* lm_place, or LM_TRACE_NONE_PLACE */
    uint8_t  group;        /* distance to the labour market */
} lm_trace_row;
#define LM_TRACE_NONE_INSTR LM_NTRAJ
#define LM_TRACE_NONE_PLACE LM_NPLACE

/* Person flags. */
enum {
    LM_F_UNWILLING = 1u << 0,   /* refused at profiling (seed 004: 20%) */
    LM_F_VERKLARING = 1u << 1,  /* holds a praktijkverklaring */
    LM_F_SUBSIDY = 1u << 2,     /* current placement carries a wage-cost subsidy */
    LM_F_JOBCOACH = 1u << 3,    /* current placement has a jobcoach place */
    LM_F_SHOCK = 1u << 4,       /* arrived with a macro shock's extra inflow */
    LM_F_EVER_PLACED = 1u << 5,
    LM_F_COHORT = 1u << 6,      /* last instrument start counts for the 12-month outflow */
    LM_F_COACHED = 1u << 7,     /* current placement had a jobcoach (kept after coaching ends) */
    LM_F_ONLINE = 1u << 8,      /* current programme moved online during a suspension */
    LM_F_BOOSTED_BOUND = 1u << 9, /* the pending own-search draw's thinning bound includes the post-training boost */
};

/* Barrier flags (seed 004 §6.2). */
enum { LM_B_DEBTS = 1, LM_B_HEALTH = 2, LM_B_CARE = 4, LM_B_LANGUAGE = 8, LM_B_POVERTY = 16 };

/* The jobseeker: 80 bytes (at most 128: issue 4; its size is the model's speed, bench/RESULTS.md session 5); records are created on arrival and reused after leaving (lm_model.c). `link`/`link2` thread the person into the one index
 * structure their state calls for (not-in-view set, waiting queue, pool band). */
typedef struct lm_person {
    uint32_t id;             /* stable id: RNG key and /events person */
    uint32_t version;        /* stamp of the pending event; bump to cancel it */
    uint32_t rng_pos;        /* words drawn from the person's journey stream */
    uint32_t link, link2;    /* set position / queue next,prev; free list next (lm_model.c) */
    float    first_view;     /* first profiled (origin of time to placement), or -1 */
    /* Times that become event times are doubles: float would round ~10^7 event
     * times onto far fewer values and create ties whose order is accidental. */
    double   benefit_start;  /* day the benefit spell began (negative for the stock) */
    double   stage_end;      /* fixed end of the current stage, or +inf */
    double   state_since;
    float    cohort_start;   /* start of the last instrument (12-month outflow) */
    float    boost_until;    /* post-training search boost lasts until then (-inf: none yet) */
    float    hard, soft, motivation;   /* 0..1 */
    uint16_t flags;
    uint8_t  region;         /* < LM_MAX_REGIONS */
    uint8_t  distance, barriers, state, instrument;
    uint8_t  age_band : 4;   /* 0..3: 18-26, 27-39, 40-54, 55-66 (labour_market.age_shares) */
    uint8_t  benefit : 4;    /* benefit type, index of labour_market.benefit_share (0..4) */
    uint8_t  placements;     /* placements so far (tells a jobcoach end which placement it belongs to) */
    uint8_t  cohort_instr : 4;  /* instrument of the last start (12-month outflow), < LM_NTRAJ */
    uint8_t  boost_instr : 4;   /* instrument whose completion gave the search boost, < LM_NTRAJ */
    uint8_t  shock;          /* index of the shock whose extra inflow brought them (valid with LM_F_SHOCK) */
} lm_person;
_Static_assert(sizeof(lm_person) <= 80, "the jobseeker record is 80 bytes (at most 128: issue 4)");
_Static_assert(LM_MAX_REGIONS <= 256, "lm_person.region is a byte");
_Static_assert(LM_NTRAJ <= 16, "lm_person.cohort_instr and boost_instr are 4 bits");

/* A hazard family for durations (exponential, Weibull, log-normal; GSL draws). */
typedef enum { LM_EXPONENTIAL, LM_WEIBULL, LM_LOGNORMAL } lm_family;
typedef struct {
    lm_family family;
    double    median;   /* days */
    double    shape;    /* Weibull shape k, or log-normal sigma; unused for exponential */
    double    min, max; /* days: draws outside are redrawn (then clamped): the documented range */
} lm_duration;

/* A trajectory instrument. */
typedef struct {
    lm_duration duration;
    double places_per_1000;   /* concurrent places per 1,000 caseload, where adopted */
    double unit_cost;         /* euro per participant */
    double dropout;           /* per day */
    double lock_in;           /* multiplier on own job search while in it */
    double improve;           /* P(distance improves one step) on completion */
    double hard_gain, soft_gain;
    double boost;             /* search multiplier after completion */
    double boost_days;
    double job_guarantee;     /* P(completion ends in a placement with a partner employer) */
    int    in_portfolio_default;
} lm_traj_params;

typedef struct {
    double weight;            /* relative choice weight when eligible */
    double accept;            /* employer acceptance multiplier */
    double loss;              /* job-loss hazard multiplier */
    double benefit_continues; /* 1 if the benefit continues during the placement */
    double convert_days;      /* trial/internship/learn-work end after this (0 = none) */
    double convert_p;         /* P(conversion to a regular job) at that end */
    double cost;              /* euro per placement (subsidies, stipends) */
} lm_place_params;

typedef struct {
    char   name[48];
    double caseload;          /* persons on benefit at the origin (scaled) */
    int    wsp, pool;         /* structure and pool-policy enums */
    int    vacancy_sharing;
    double maturity;
    double client_managers, account_managers;
    double tightness;
    unsigned portfolio;       /* bit per trajectory instrument and placement type */
    double places[LM_NTRAJ];  /* concurrent places */
    double jobcoach_places, basisbaan_places;
} lm_region_params;

typedef struct lm_params {
    double end;                   /* days */
    long   origin_days;           /* days since 1970-01-01 of time 0 (calendar months) */
    double burn_in;               /* days simulated before the origin, not reported (ODD 5) */
    double scale;
    double durable_days;
    double series_step;           /* days: series_months * LM_DAYS_PER_MONTH (the mean step) */
    int    series_months;         /* calendar months between series observations */
    int    nregions;
    lm_region_params region[LM_MAX_REGIONS];
    /* population */
    double long_term_days;
    double dur_share[5], dur_edge[6];        /* initial benefit-duration bands */
    double split_long[3], split_short[3];    /* distance: ready / activation / not now */
    double barrier_p[5];
    double age_share[4];
    double inflow_age_share[4];              /* age bands of the regular inflow (default: age_share) */
    double benefit_share[5];
    double statushouder_language;            /* P(language barrier) for statushouders */
    double in_view_share;                    /* share of the stock in view at the origin */
    double inflow_per_day;                   /* share of the caseload */
    /* hazards */
    double self_exit_scale, self_exit_shape; /* Weibull in benefit duration (days) */
    double self_exit_inv_shape;              /* 1 / self_exit_shape (the same double as computed per draw) */
    lm_powb self_exit_powb;                  /* brackets of x^self_exit_shape (lm_powb.h) */
    double dist_mult[3], barrier_mult, skill_slope, motivation_slope, age_mult[4];
    double other_exit;                       /* per day */
    double relapse, recover;                 /* per day */
    /* profiling */
    double invites_per_fte;                  /* per day */
    double noshow, unwilling, profile_valid, pool_max_days, maturity_reach;
    double soft_needed, hard_needed;         /* routing thresholds */
    double training_weight[LM_NTRAJ];
    /* instruments and placements */
    lm_traj_params  traj[LM_NTRAJ];
    lm_place_params place[LM_NPLACE];
    double jobcoach_per_1000, jobcoach_days, jobcoach_cost, jobcoach_loss;
    double basisbaan_per_1000;
    double subsidy_threshold, subsidy_accept, subsidy_loss, subsidy_per_month, subsidy_max_days;
    double job_loss, verklaring_loss;        /* per day, multiplier */
    double werkcheque, werkcheque_uptake, werkbonus, werkbonus_uptake, werkbonus_days;
    /* employers */
    double vacancies_per_1000;               /* per day, at tightness 1.3 */
    double awareness, awareness_maturity, account_reach;
    double willing, act;
    double visibility_pool[3], visibility_no_sharing;
    double carving_share, carving_reduction;
    double accept_base, accept_fit, accept_language;
    int    max_candidates;
    /* costs */
    double benefit_per_day, cm_per_day, am_per_day;
    /* macro */
    lm_path demand;                           /* labour-demand multiplier path */
    lm_path tension;                          /* vacancies per 100 unemployed (top-level `tension`), n = 0: none */
    double tension_ref;                       /* tension at which the multipliers below are 1 */
    double el_search, el_vacancies, el_accept; /* elasticities of own search, vacancies, acceptance to tension */
    double el_search_young;                   /* elasticity of own search for the 18-26s (default: el_search) */
    double el_distance_factor;                /* phi in [0, 1]: own search's elasticity is multiplied by phi per
                                                 step of distance (ready 1, needs activation phi, not placeable
                                                 now phi^2); 1 (default): the same for everyone */
    double el_search_at[2][3];                /* the elasticity of own search applied, [is_young][distance]
                                                 (is_young: age band 0, the 18-26s) */
    double el_inflow;                         /* elasticity of the inflow to tension (the inflow falls as tension rises) */
    double tension_sat;                       /* saturation s >= 0 of the response: the ratio x = tension / reference
                                                 enters as x (1 + s) / (1 + s x), below (1 + s) / s; 0: x itself */
    lm_path inflow_level;                     /* dated multiplier of the regular inflow (n = 0: none) */
    double inflow_max;                        /* thinning bound of the inflow: max of lm_inflow_factor */
    lm_path other_exit_level;                 /* dated multiplier of the other-exit hazard (n = 0: none) */
    double other_exit_max;                    /* its thinning bound: the path's largest level (1 without it) */
    lm_path young_inflow_level;               /* dated multiplier of the 18-26s' share of the regular inflow
                                                 (capped at a share of 1; n = 0: none) */
    double search_max_at[2][3];               /* thinning bound of own search, [is_young][distance]: max over
                                                 time and regions of demand x shocks x (tension ratio)^el_search_at */
    double vacancy_max;                       /* the same for WSP vacancies (elasticity el_vacancies) */
    struct lm_policy *policy;                 /* programmes, shocks, cooperation (owned) */
    sim_schema schema;
} lm_params;

/* Configure from the scenario (models/lm_config.c). NULL after recording errors. */
lm_params *lm_params_create(sim_config *cfg, const sim_setup *setup);
void lm_params_destroy(lm_params *p);
/* Labour-market tension relative to its reference at t, saturated (tension_sat),
 * raised to `elasticity` (1 when the scenario has no tension series). */
double lm_tension_factor(const lm_params *p, double t, double elasticity);
/* Days since the origin of the first day of the k-th calendar month after the
 * origin's month (k = 0: that month's first day, at or before the origin; k may
 * be negative). The model's monthly grid and the /series observations use it. */
double lm_month_start(long origin_days, long k);
/* Multiplier of the regular inflow at t: (T/T0)^-elasticity_inflow times the
 * population's `inflow_level` path (1 without either). */
double lm_inflow_factor(const lm_params *p, double t);

extern const char *const lm_traj_names[LM_NTRAJ];
extern const char *const lm_place_names[LM_NPLACE];
extern const char *const lm_state_names[LM_NSTATES];
/* Labels of the region enums wsp and pool (scenario values and /regions enum names). */
extern const char *const lm_wsp_names[3];
extern const char *const lm_pool_names[3];

#endif
