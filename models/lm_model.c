/* lm_model.c: the labour-market model's event handlers. A person carries at most
 * one pending event (stamped with their version); regions carry three chains:
 * inflow arrivals, vacancy arrivals (thinned against the macro demand path) and
 * weekly profiling rounds. See docs/model.md for the ODD description.
 *
 * Random numbers: person k draws attributes from stream (seed, rep, k, INIT) and
 * journey decisions from (seed, rep, k, JOURNEY) at a stored position, so the
 * same person sees the same numbers in every scenario (common random numbers). */
#include <assert.h>
#include <stddef.h>
#include <gsl/gsl_integration.h>
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../sim/core/pages.h"
#include "../sim/core/rng.h"
#include "lm_index.h"
#include "lm_model.h"
#include "lm_policy.h"
#include "lm_stats.h"

enum { EV_INFLOW, EV_PERSON, EV_VACANCY, EV_PROFILE, EV_COACH_END, EV_REGIME, EV_SHOCK_INFLOW };
enum { PURPOSE_INIT = 1, PURPOSE_JOURNEY, PURPOSE_INFLOW, PURPOSE_VACANCY, PURPOSE_PROFILE, PURPOSE_DURATION,
       PURPOSE_SHOCK_INFLOW, PURPOSE_SHOCK_AGE, PURPOSE_VACANCY_COUNT, PURPOSE_MATCH };
/* What a person's pending event does. */
enum { T_SELF_EXIT, T_OTHER_EXIT, T_STAGE_END, T_DROPOUT, T_RELAPSE, T_RECOVER, T_JOB_LOSS };

#define PROFILE_ROUND_DAYS 7.0
#define STAGE_JITTER_DAYS 7.0
#define YEAR 365.25
#define GL_NODES 8             /* Gauss-Legendre nodes per regime interval (vacancy integral) */
#define VACANCY_COUNT_SHIFT 24 /* words of the VACANCY_COUNT stream per grid time: 2^24 */

typedef struct {
    lm_idset not_in_view;
    lm_idset pool[LM_BANDS];
    lm_fifo  queue[LM_NTRAJ];
    int      used[LM_NTRAJ], places[LM_NTRAJ];
    int      coach_used, coach_places, basis_used, basis_places;
    uint32_t next_inflow, end_inflow;      /* this region's part of lm_ws.arrival, in time order */
    uint32_t next_shock, end_shock;        /* this region's part of lm_ws.shock, in time order */
    double   maturity, floor;              /* cooperation maturity now; level kept if funding stops */
    double   client_managers;              /* FTE now: base plus programme staff */
    int      suspended;                    /* face-to-face services suspended by a shock */
    double   on_benefit, benefit_area, last;
    double   young_on_benefit;             /* of on_benefit: age band 18-26 */
    double   invite_carry;                 /* fractional invitations carried to the next round */
    double   reach, reach_max;             /* share of vacancies reaching the WSP now; its maximum */
    double   vac_rate;                     /* candidate rate of the WSP vacancy chain (per day) */
    double   search_tightness;             /* own-search factor of the region's tightness, sqrt(1.3 / tightness) */
    double   unreached_mean;               /* expected vacancies not reaching the WSP since the last grid time */
    gsl_rng *vac, *match;           /* WSP vacancy chain (times, thinning), its matches */
    gsl_rng *prof;                  /* profiling rounds */
} region_ws;

/* A regime change: its time, and whether it lies on the grid every scenario
 * shares (the first of a month, the origin, the end) or only on this scenario's
 * policy boundaries. Draws made only on grid times keep common random numbers. */
typedef struct {
    double t;
    int    grid;
} regime_time;

/* A newcomer of a shock's extra inflow, drawn at the start, created on arrival. */
typedef struct {
    double   time;
    uint32_t id;
    uint32_t shock;     /* index of the shock in the policy */
} shock_arrival;

/* People are created when they arrive and their records are reused once they
 * have left, so the array holds the caseload, not everyone who ever passes:
 * slots [0, npeople) are in use or on the free list (linked through `link`,
 * terminal state kept, version kept so that their stale events stay stale).
 * A person's `order` is their position in the order of creation (stock, then
 * regular inflow, then shock inflow region by region), which is what passes over
 * the whole caseload follow where the order shows (sums, trajectory rows). */
struct lm_ws {
    const lm_params *p;
    lm_person *people;
    uint32_t   npeople, cap;
    uint32_t   free_head;                  /* first free slot, LM_NONE if none */
    uint64_t  *scratch;                    /* cap entries: (order << 32 | slot), for passes in creation order */
    double    *arrival;                    /* regular inflow times, region by region: index i is
                                              id nstock + i (narrival of them, capacity arrival_cap) */
    uint32_t   narrival, arrival_cap, nstock;
    shock_arrival *shock;                  /* shock inflow, region by region, each in time order */
    uint32_t   nshock, shock_cap;
    uint32_t  *shock_rank;                 /* shock_cap entries: index in `shock` of id nstock + narrival + k */
    uint32_t   shock_rank_cap;
    region_ws  region[LM_MAX_REGIONS];
    gsl_rng   *rng;                        /* re-keyed per person */
    gsl_integration_glfixed_table *gl;     /* nodes for the vacancy integral (owned) */
    uint32_t   rng_id;                     /* id whose journey stream rng holds, at that person's
                                              rng_pos; LM_NONE after any other use of rng */
    sim_ctx   *ctx;
    lm_stats   st;
    regime_time *regime;                   /* regime changes: months, origin, end and policy boundaries */
    int        nregime, regime_cap;
    double     last_regime;
    int        origin_pending;             /* the burn-in has not reached the origin yet */
    long       grid_k;                     /* grid regime times (months, origin, end) passed */
    double     trace_cost;                 /* cost carried by the next trajectory row (then reset) */
    size_t     live_events;                /* pending events after the start or the last purge */
    uint64_t   seed;
    uint32_t   rep;
};

/* ------------------------------------------------------ prefetch hints -- */

/* Start loading the record of slot s (LM_NONE: nothing), which is about to be
 * read: a hint that changes nothing, so a wrong guess costs only the load. */
static inline void touch_person(const lm_ws *w, uint32_t s)
{
    if (s == LM_NONE) return;
    const char *p = (const char *)&w->people[s];
    SIM_PREFETCH(p);
    SIM_PREFETCH(p + sizeof(lm_person) - 1);   /* a record may straddle two cache lines */
}

/* ------------------------------------------------------- random numbers -- */

/* LM_CHECK_SKIP(cond): a draw whose exact value was skipped because a cheap bound showed
 * it could not matter (lm_powb.h) really could not: cond computes it after all. Checked in
 * the sanitizer build (check-asan runs the whole suite with it; GCC says so with
 * __SANITIZE_ADDRESS__, clang with __has_feature) and with -DLM_CHECK_SKIPS, free elsewhere. */
#if defined(__SANITIZE_ADDRESS__) && !defined(LM_CHECK_SKIPS)
#define LM_CHECK_SKIPS 1
#endif
#if defined(__has_feature) && !defined(LM_CHECK_SKIPS)
#if __has_feature(address_sanitizer)
#define LM_CHECK_SKIPS 1
#endif
#endif
#ifdef LM_CHECK_SKIPS
#define LM_CHECK_SKIP(cond) SIM_ASSERT(cond)
#else
#define LM_CHECK_SKIP(cond) ((void)0)
#endif

/* max(lo, x) and min(hi, x) as compare-and-select: libm's fmax/fmin are calls
 * (NaN rules keep GCC from inlining them). Same value as fmax(lo, x) and
 * fmin(hi, x) for every x, NaN included (it gives the bound). */
static inline double at_least(double lo, double x) { return x > lo ? x : lo; }
static inline double at_most(double hi, double x) { return x < hi ? x : hi; }

/* The person's journey stream at their stored position. Consecutive draws for
 * the same person (routing, then scheduling) find it still in place: only a
 * change of person costs a Philox block. Pair every call with person_rng_done. */
static gsl_rng *person_rng(lm_ws *w, lm_person *p)
{
    if (w->rng_id != p->id) {
        sim_rng_stream_at(w->rng, w->seed, w->rep, p->id, PURPOSE_JOURNEY, p->rng_pos);
        w->rng_id = p->id;
    }
    SIM_ASSERT(sim_rng_tell(w->rng) == p->rng_pos);
    return w->rng;
}

/* w->rng is about to be keyed to another stream (attributes, durations). */
static gsl_rng *other_rng(lm_ws *w)
{
    w->rng_id = LM_NONE;
    return w->rng;
}

static void person_rng_done(lm_ws *w, lm_person *p)
{
    p->rng_pos = (uint32_t)sim_rng_tell(w->rng);
}

static double draw_untruncated(gsl_rng *r, const lm_duration *d)
{
    switch (d->family) {
    case LM_WEIBULL: return gsl_ran_weibull(r, d->median / pow(log(2.0), 1.0 / d->shape), d->shape);
    case LM_LOGNORMAL: return exp(log(d->median) + d->shape * gsl_ran_gaussian_ziggurat(r, 1.0));   /* GSL's lognormal, by ziggurat */
    default: return sim_rng_exponential(r, d->median / log(2.0));
    }
}

/* A duration from the family, truncated to [min, max] by redrawing (at most 16
 * times, then clamping, so a badly placed range cannot loop for long). */
static double draw_duration(gsl_rng *r, const lm_duration *d)
{
    double x = draw_untruncated(r, d);
    for (int i = 0; i < 16 && (x < d->min || x > d->max); i++) x = draw_untruncated(r, d);
    return at_most(d->max, at_least(d->min, x));
}

/* ------------------------------------------------------------ helpers -- */

static double quality(const lm_person *p) { return 0.5 * (p->hard + p->soft); }

static int band_of(double q)
{
    int b = (int)(q * LM_BANDS);
    return b < 0 ? 0 : b >= LM_BANDS ? LM_BANDS - 1 : b;
}

static uint32_t slot_of(const lm_ws *w, const lm_person *p) { return (uint32_t)(p - w->people); }

static int on_benefit_state(const lm_person *p, const lm_params *prm)
{
    switch (p->state) {
    case LM_NOT_IN_VIEW: case LM_IN_VIEW: case LM_WAITING: case LM_IN_PROGRAMME: case LM_POOL:
        return 1;
    case LM_PLACED:
        return prm->place[p->instrument].benefit_continues > 0.5;
    default:
        return 0;
    }
}

/* Integrate the region's benefit person-days up to now, then apply a change. */
static void benefit_change(lm_ws *w, int region, double delta)
{
    region_ws *r = &w->region[region];
    double now = sim_ctx_now(w->ctx);
    r->benefit_area += r->on_benefit * (now - r->last);
    r->last = now;
    r->on_benefit += delta;
}

/* Write the transition from -> to of p to /events. instr is p->instrument's
 * value for the row; what it names depends on the state it belongs to: the
 * state entered, or the state left when the person leaves the model (the
 * terminal states keep the instrument of the state left). */
static void trace(lm_ws *w, const lm_person *p, int from, int to, int instr)
{
    double cost = w->trace_cost;
    w->trace_cost = 0.0;
    if (sim_ctx_now(w->ctx) < 0.0 || !sim_ctx_tracing(w->ctx, p->id)) return;   /* the burn-in is not written */
    int of = to >= LM_DURABLE && to != LM_NOT_ARRIVED ? from : to;
    int in_traj = of == LM_WAITING || of == LM_IN_PROGRAMME, in_place = of == LM_PLACED;
    lm_trace_row row = {sim_ctx_now(w->ctx), sim_ctx_replication(w->ctx), p->id, (float)cost, p->region,
                        (uint8_t)to, (uint8_t)from, (uint8_t)to,
                        (uint8_t)(in_traj ? instr : LM_TRACE_NONE_INSTR),
                        (uint8_t)(in_place ? instr : LM_TRACE_NONE_PLACE), p->distance};
    sim_ctx_trace(w->ctx, &row);
}

/* Leave whatever index structure the current state keeps the person in. */
static void leave_index(lm_ws *w, lm_person *p)
{
    region_ws *r = &w->region[p->region];
    uint32_t s = slot_of(w, p);
    if (p->state == LM_NOT_IN_VIEW) lm_idset_remove(&r->not_in_view, w->people, s);
    else if (p->state == LM_POOL) lm_idset_remove(&r->pool[band_of(quality(p))], w->people, s);
    else if (p->state == LM_WAITING) lm_fifo_remove(&r->queue[p->instrument], w->people, s);
}

/* Move to a new state: index bookkeeping, benefit accounting, counts, trace. */
static void set_state(lm_ws *w, lm_person *p, int state, int instr)
{
    const lm_params *prm = w->p;
    int from = p->state, was = from != LM_NOT_ARRIVED && on_benefit_state(p, prm);
    if (from != LM_NOT_ARRIVED) leave_index(w, p);
    w->st.count[p->region][from]--;
    p->state = (uint8_t)state;
    p->instrument = (uint8_t)instr;
    p->state_since = sim_ctx_now(w->ctx);
    w->st.count[p->region][state]++;
    int is = on_benefit_state(p, prm);
    if (is != was) {
        benefit_change(w, p->region, is - was);
        if (p->age_band == 0) w->region[p->region].young_on_benefit += is - was;
        if (is) w->st.region_starts[p->region]++;
        else w->st.region_ends[p->region]++;
    }
    region_ws *r = &w->region[p->region];
    uint32_t s = slot_of(w, p);
    int fail = 0;
    if (state == LM_NOT_IN_VIEW) fail = lm_idset_add(&r->not_in_view, w->people, s);
    else if (state == LM_POOL) fail = lm_idset_add(&r->pool[band_of(quality(p))], w->people, s);
    else if (state == LM_WAITING) lm_fifo_push(&r->queue[instr], w->people, s);
    if (fail) sim_ctx_fail(w->ctx);
    trace(w, p, from, state, instr);
}

/* --------------------------------------------------- hazards and timing -- */

/* Multiplier of the own-search hazard after a completed instrument, at time t. */
static double boost_at(const lm_ws *w, const lm_person *p, double t)
{
    return t < p->boost_until ? w->p->traj[p->boost_instr].boost : 1.0;
}

/* Person-level multiplier of the own-search (self-exit) hazard, without the
 * time-limited post-training boost. Constant between two scheduling calls. */
static double search_multiplier(const lm_ws *w, const lm_person *p)
{
    const lm_params *prm = w->p;
    double m = prm->dist_mult[p->distance];
    for (unsigned b = p->barriers; b; b &= b - 1) m *= prm->barrier_mult;
    m *= at_least(0.05, 1.0 + prm->skill_slope * (quality(p) - 0.5));
    m *= at_least(0.05, 1.0 + prm->motivation_slope * (p->motivation - 0.5));
    m *= prm->age_mult[p->age_band];
    m *= w->region[p->region].search_tightness;
    if (p->state == LM_IN_PROGRAMME) m *= prm->traj[p->instrument].lock_in;
    if (p->flags & LM_F_SHOCK) m *= lm_shock_search_factor(&prm->policy->shock[p->shock], sim_ctx_now(w->ctx));
    return m;
}

/* Elasticity of a person's own search to tension, and its thinning bound over
 * time and regions: the 18-26s have their own (docs/model.md, the tension mechanism). */
static double search_elasticity(const lm_params *prm, const lm_person *p)
{
    return prm->el_search_at[p->age_band == 0][p->distance];
}

static double search_demand_max(const lm_params *prm, const lm_person *p)
{
    return prm->search_max_at[p->age_band == 0][p->distance];
}

/* Labour-demand multiplier in a region at t: base path times every shock's path,
 * times labour-market tension relative to its reference raised to `elasticity`. */
static double demand_at(const lm_ws *w, int region, double t, double elasticity)
{
    return lm_path_at(&w->p->demand, t) * lm_policy_demand(w->p->policy, region, t)
         * lm_tension_factor(w->p, t, elasticity);
}

static int searches(const lm_person *p)
{
    return p->state <= LM_POOL;   /* every on-benefit state before placement */
}

/* 1 when the self-exit candidate bs + lambda (x0^k + e)^(1/k) (x0 = d0 / lambda, e the
 * exponential draw over the multiplier, of which e_lo is a lower bound) is sure to come out
 * of the exact computation in draw_self_exit at or after `beat`: that is, when x0^k + e_lo
 * exceeds ((beat - bs) / lambda)^k on the brackets of lm_powb.h, with `beat` raised by
 * 1e-9 of the times' size (days), far more than the exact path's roundings (up to about
 * 5e-15 of it, the exponent 1/k being rounded too). 0 when not sure. */
static int self_exit_too_late(const lm_params *prm, double x0, double e_lo, double bs, double beat)
{
    double margin = 1e-9 * (fabs(beat) + fabs(bs) + 1.0);
    double x1 = (beat + margin - bs) / prm->self_exit_scale, lo0 = 0.0, lo1, hi0, hi1;
    if (x0 > 0 && !lm_powb_bracket(&prm->self_exit_powb, x0, &lo0, &hi0)) return 0;
    if (!lm_powb_bracket(&prm->self_exit_powb, x1, &lo1, &hi1)) return 0;   /* x1 <= 0, NaN, huge: exact */
    return lo0 + e_lo > hi1;   /* rounding is monotone: the exact path's x0^k + e is at least lo0 + e_lo */
}

/* The self-exit candidate bs + lambda (x0^k + e)^(1/k), x0 = d0 / lambda, computed exactly. */
static double self_exit_exact(const lm_params *prm, double bs, double d0, double e)
{
    double k = prm->self_exit_shape, lambda = prm->self_exit_scale;
    double h0 = d0 > 0 ? pow(d0 / lambda, k) : 0.0;   /* pow(0, k > 0) is +0: one call fewer at arrival */
    return bs + lambda * pow(h0 + e, prm->self_exit_inv_shape);
}

/* Candidate self-exit time by inversion of the Weibull cumulative hazard in benefit
 * duration, with multiplier `m` (an upper bound for thinning); +INFINITY instead when the
 * candidate would come at or after `beat` (the earliest time it must beat to matter), which
 * the brackets decide without pow for most draws. The same draws are consumed either way. */
static double draw_self_exit(const lm_ws *w, gsl_rng *r, const lm_person *p, double now, double m,
                             double beat)
{
    const lm_params *prm = w->p;
    double d0 = at_least(0.0, now - p->benefit_start);
    double u = sim_rng_uniform_pos(r);   /* the exponential draw E = -log(u), taken only if needed */
    double e_lo = lm_powb_neglog_lower(&prm->self_exit_powb, u) / m;   /* at most the exact E / m */
    if (self_exit_too_late(prm, d0 / prm->self_exit_scale, e_lo, p->benefit_start, beat)) {
        LM_CHECK_SKIP(self_exit_exact(prm, p->benefit_start, d0, -log(u) / m) >= beat);
        return INFINITY;
    }
    return self_exit_exact(prm, p->benefit_start, d0, -log(u) / m);   /* as sim_rng_exponential(r, 1.0) / m */
}

/* Sum of the exponential (memoryless) hazards that apply in the current state. */
static double exp_rates(const lm_ws *w, const lm_person *p, double rates[4])
{
    const lm_params *prm = w->p;
    rates[0] = rates[1] = rates[2] = rates[3] = 0;
    if (p->state == LM_PLACED) {
        double loss = prm->job_loss * prm->place[p->instrument].loss;
        if (p->flags & LM_F_JOBCOACH) loss *= prm->jobcoach_loss;
        if (p->flags & LM_F_VERKLARING) loss *= prm->verklaring_loss;
        if (p->flags & LM_F_SUBSIDY) loss *= prm->subsidy_loss;
        rates[3] = loss;
    } else {
        rates[0] = prm->other_exit * prm->other_exit_max;   /* x 1 without a level path: the same double */
        if (p->distance < 2) rates[1] = prm->relapse;
        if (p->distance == 2 && p->state <= LM_IN_VIEW) rates[2] = prm->recover;
        if (p->state == LM_IN_PROGRAMME) rates[3] = prm->traj[p->instrument].dropout;
    }
    return rates[0] + rates[1] + rates[2] + rates[3];
}

/* Thinning bound of the person's own-search draw: the multiplier (constant
 * between two schedulings), the boost if it was running when the draw was made
 * (LM_F_BOOSTED_BOUND: a boost only ends, so the bound holds until the next
 * scheduling) and the demand maximum. The same value at the draw and at the
 * candidate's event, so it is recomputed there rather than stored (4 bytes less
 * per person); the acceptance test reads it rounded to float, as when it was. */
static double search_bound(const lm_ws *w, const lm_person *p)
{
    double boost = p->flags & LM_F_BOOSTED_BOUND ? w->p->traj[p->boost_instr].boost : 1.0;
    return search_multiplier(w, p) * at_least(1.0, boost) * search_demand_max(w->p, p);
}

/* Draw the person's next event among competing risks and schedule it. */
static void schedule_next(lm_ws *w, lm_person *p)
{
    double now = sim_ctx_now(w->ctx), rates[4];
    gsl_rng *r = person_rng(w, p);
    double t = p->stage_end, total = exp_rates(w, p, rates);
    int what = T_STAGE_END;
    if (total > 0) {
        /* te = now + Exp(mean) with U = u. Most people in a programme or placement see their
         * stage end first; then the lower bound of -log u (any shape's table has it) shows it
         * without the logarithm: rounding is monotone, so the exact te is at least the bound's. */
        double mean = 1.0 / total, ue = sim_rng_uniform_pos(r);
        double te = now + mean * lm_powb_neglog_lower(&w->p->self_exit_powb, ue);
        if (te < t) te = now + -mean * log(ue);   /* as sim_rng_exponential(r, mean) */
        else LM_CHECK_SKIP(now + -mean * log(ue) >= t);
        if (te < t) {
            t = te;
            double u = sim_rng_uniform(r) * total;
            static const int kinds_out[4] = {T_OTHER_EXIT, T_RELAPSE, T_RECOVER, T_DROPOUT};
            what = p->state == LM_PLACED ? T_JOB_LOSS : T_OTHER_EXIT;
            for (int i = 0; i < 4 && p->state != LM_PLACED; i++) {
                if (u < rates[i]) { what = kinds_out[i]; break; }
                u -= rates[i];
            }
        }
    }
    if (searches(p)) {
        if (now < p->boost_until) p->flags |= LM_F_BOOSTED_BOUND;
        else p->flags &= (uint16_t)~LM_F_BOOSTED_BOUND;
        /* only a candidate before t and before the horizon (below) can change what is scheduled */
        double ts = draw_self_exit(w, r, p, now, search_bound(w, p), at_most(t, w->p->end + 1.0));
        if (ts < t) { t = ts; what = T_SELF_EXIT; }
    }
    person_rng_done(w, p);
    p->version++;
    if (t < w->p->end + 1.0) sim_ctx_schedule(w->ctx, t, 1, EV_PERSON, slot_of(w, p), p->version, (uint32_t)what);
}

/* ------------------------------------------------------------ journeys -- */

static void route(lm_ws *w, lm_person *p);
static void start_placement(lm_ws *w, lm_person *p, int type, int partner);

static void start_programme(lm_ws *w, lm_person *p, int instr)
{
    const lm_params *prm = w->p;
    double now = sim_ctx_now(w->ctx);
    w->region[p->region].used[instr]++;
    w->trace_cost = prm->traj[instr].unit_cost;
    set_state(w, p, LM_IN_PROGRAMME, instr);
    gsl_rng *r = person_rng(w, p);
    p->stage_end = now + draw_duration(r, &prm->traj[instr].duration);
    person_rng_done(w, p);
    w->st.starts[instr]++;
    w->st.cost_programmes += prm->traj[instr].unit_cost;
    if (now <= prm->end - YEAR) {
        p->flags |= LM_F_COHORT;
        p->cohort_instr = (uint8_t)(instr & 15);
        p->cohort_start = (float)now;
        w->st.cohort[instr]++;
    }
}

/* Start the head of the queue of `instr` if a place is free; 1 if someone started. */
static int start_from_queue(lm_ws *w, int region, int instr)
{
    region_ws *r = &w->region[region];
    uint32_t s = r->queue[instr].head;
    if (s == LM_NONE || r->used[instr] >= r->places[instr] || r->suspended) return 0;
    lm_person *q = &w->people[s];
    w->st.wait_days += sim_ctx_now(w->ctx) - q->state_since;
    w->st.waited++;
    start_programme(w, q, instr);
    schedule_next(w, q);
    return 1;
}

/* A place of `instr` in the region became free: serve the queue. */
static void free_place(lm_ws *w, int region, int instr)
{
    w->region[region].used[instr]--;
    start_from_queue(w, region, instr);
}

/* End of a fixed-length stage (profile validity, pool spell, longest wait) that
 * starts now: its nominal length plus a day within the following week (the client
 * manager's diary). People routed together in a profiling round would otherwise
 * all reach the end at the same instant, in an order nothing in reality decides. */
static double fixed_stage_end(lm_ws *w, lm_person *p, double length)
{
    double jitter = STAGE_JITTER_DAYS * sim_rng_uniform(person_rng(w, p));
    person_rng_done(w, p);
    return sim_ctx_now(w->ctx) + length + jitter;
}

static void enqueue(lm_ws *w, lm_person *p, int instr)
{
    region_ws *r = &w->region[p->region];
    if (r->used[instr] < r->places[instr] && !r->suspended) {
        start_programme(w, p, instr);
        return;
    }
    set_state(w, p, LM_WAITING, instr);
    p->stage_end = fixed_stage_end(w, p, w->p->profile_valid);   /* waiting lists lose people from view */
}

static void idle_in_view(lm_ws *w, lm_person *p)
{
    set_state(w, p, LM_IN_VIEW, 0);
    p->stage_end = fixed_stage_end(w, p, w->p->profile_valid);
}

static void enter_pool(lm_ws *w, lm_person *p)
{
    set_state(w, p, LM_POOL, 0);
    p->stage_end = fixed_stage_end(w, p, w->p->pool_max_days);
}

static int has(const lm_ws *w, const lm_person *p, int instr)
{
    return w->region[p->region].places[instr] > 0;
}

/* Pick a training instrument by weight among those the region offers; -1 if none. */
static int pick_training(lm_ws *w, lm_person *p)
{
    static const int train[] = {LM_PRAKTIJK, LM_BBL, LM_SECTOR, LM_RETRAIN};
    double total = 0, cum = 0;
    for (int i = 0; i < 4; i++) total += has(w, p, train[i]) ? w->p->training_weight[train[i]] : 0;
    if (total <= 0) return -1;
    double u = sim_rng_uniform(person_rng(w, p)) * total;
    person_rng_done(w, p);
    for (int i = 0; i < 4; i++) {
        cum += has(w, p, train[i]) ? w->p->training_weight[train[i]] : 0;
        if (u < cum) return train[i];
    }
    return -1;
}

/* The client manager's routing decision for a person in view (seed 004 §3.5). */
static void route(lm_ws *w, lm_person *p)
{
    const lm_params *prm = w->p;
    int train = -1;
    if (p->flags & LM_F_UNWILLING) {
        idle_in_view(w, p);
    } else if (p->distance == 2) {
        if (p->barriers && has(w, p, LM_BARRIER)) enqueue(w, p, LM_BARRIER);
        else idle_in_view(w, p);
    } else if (p->distance == 1) {
        if (p->soft < prm->soft_needed && has(w, p, LM_WORKFIT)) enqueue(w, p, LM_WORKFIT);
        else if ((train = pick_training(w, p)) >= 0) enqueue(w, p, train);
        else if (has(w, p, LM_WORKFIT)) enqueue(w, p, LM_WORKFIT);
        else idle_in_view(w, p);
    } else if (p->hard < prm->hard_needed && (train = pick_training(w, p)) >= 0) {
        enqueue(w, p, train);
    } else {
        enter_pool(w, p);
    }
    schedule_next(w, p);
}

/* Work entry bookkeeping shared by placements and own exits. */
static void count_work_entry(lm_ws *w, lm_person *p)
{
    double now = sim_ctx_now(w->ctx);
    if ((p->flags & LM_F_COHORT) && now - p->cohort_start <= YEAR) w->st.work12[p->cohort_instr]++;
    p->flags &= (uint16_t)~LM_F_COHORT;
}

/* The person leaves the model; their slot goes to the free list (the caller
 * must not touch p afterwards). */
static void leave_model(lm_ws *w, lm_person *p, int state)
{
    if (p->state == LM_IN_PROGRAMME) free_place(w, p->region, p->instrument);
    set_state(w, p, state, p->instrument);
    p->version++;   /* cancel anything pending */
    p->link = w->free_head;
    w->free_head = slot_of(w, p);
}

static void complete_programme(lm_ws *w, lm_person *p)
{
    const lm_params *prm = w->p;
    int instr = p->instrument;
    const lm_traj_params *t = &prm->traj[instr];
    double share, effect = 1.0;
    if (p->flags & LM_F_ONLINE) lm_policy_online(prm->policy, p->region, sim_ctx_now(w->ctx), &share, &effect);
    p->flags &= (uint16_t)~LM_F_ONLINE;
    gsl_rng *r = person_rng(w, p);
    int improved = sim_rng_uniform(r) < t->improve * effect;
    int guaranteed = sim_rng_uniform(r) < t->job_guarantee;
    person_rng_done(w, p);
    p->hard = (float)fmin(1.0, p->hard + t->hard_gain * effect);
    p->soft = (float)fmin(1.0, p->soft + t->soft_gain * effect);
    if (improved && p->distance > 0) p->distance--;
    if (improved && instr == LM_BARRIER) p->barriers &= (uint8_t)(p->barriers - 1);   /* one barrier solved */
    if (instr == LM_PRAKTIJK) p->flags |= LM_F_VERKLARING;
    p->boost_until = (float)(sim_ctx_now(w->ctx) + t->boost_days);
    p->boost_instr = (uint8_t)(instr & 15);
    w->st.completions[instr]++;
    set_state(w, p, LM_IN_VIEW, 0);
    free_place(w, p->region, instr);
    int learn_work = instr == LM_PRAKTIJK && (prm->region[p->region].portfolio >> (LM_NTRAJ + LM_P_LEARNWORK) & 1u);
    if (guaranteed && p->distance <= 1) start_placement(w, p, learn_work ? LM_P_LEARNWORK : LM_P_REGULAR, 1);
    else route(w, p);
}

/* -------------------------------------------------------------- placements -- */

static void pay_placement_costs(lm_ws *w, lm_person *p, int type)
{
    const lm_params *prm = w->p;
    w->st.cost_subsidies += prm->place[type].cost;
    double now = sim_ctx_now(w->ctx);
    gsl_rng *r = person_rng(w, p);
    if (now - p->benefit_start >= prm->long_term_days && sim_rng_uniform(r) < prm->werkcheque_uptake)
        w->st.cost_subsidies += prm->werkcheque;
    person_rng_done(w, p);
}

static void start_placement(lm_ws *w, lm_person *p, int type, int partner)
{
    const lm_params *prm = w->p;
    region_ws *r = &w->region[p->region];
    double now = sim_ctx_now(w->ctx);
    if (p->state == LM_IN_PROGRAMME) free_place(w, p->region, p->instrument);
    count_work_entry(w, p);
    w->trace_cost = prm->place[type].cost;
    set_state(w, p, LM_PLACED, type);
    if (type == LM_P_BASISBAAN) r->basis_used++;
    if (!(p->flags & LM_F_EVER_PLACED) && p->first_view >= 0) {
        w->st.time_to_placement += now - p->first_view;
        w->st.first_placements++;
    }
    p->flags |= LM_F_EVER_PLACED;
    p->placements++;
    w->st.placements[type]++;
    w->st.partner_placements += partner;
    w->st.region_placements[p->region]++;
    if (p->flags & LM_F_SUBSIDY) w->st.subsidised++;
    if (r->coach_used < r->coach_places) {
        r->coach_used++;
        p->flags |= LM_F_JOBCOACH | LM_F_COACHED;
        w->st.cost_aftercare += prm->jobcoach_cost;
        sim_ctx_schedule(w->ctx, now + prm->jobcoach_days, 2, EV_COACH_END, slot_of(w, p), p->placements, p->id);
    }
    pay_placement_costs(w, p, type);
    double convert = prm->place[type].convert_days;
    p->stage_end = now + (convert > 0 ? convert : prm->durable_days);
    schedule_next(w, p);
}

/* Werkbonus (seed 004 §4b #33): age >= 27, >= 9 months on benefit before the job,
 * and taken up (a draw). The work condition is checked by the caller. */
static int werkbonus_eligible(lm_ws *w, lm_person *p)
{
    if (p->age_band < 1 || p->state_since - p->benefit_start < 9.0 * LM_DAYS_PER_MONTH) return 0;
    int yes = sim_rng_uniform(person_rng(w, p)) < w->p->werkbonus_uptake;
    person_rng_done(w, p);
    return yes;
}

/* End of a placement (job loss, durability, or failed conversion): free places, pay. */
static void end_placement(lm_ws *w, lm_person *p)
{
    const lm_params *prm = w->p;
    region_ws *r = &w->region[p->region];
    double days = sim_ctx_now(w->ctx) - p->state_since;
    if (p->flags & LM_F_JOBCOACH) r->coach_used--;
    if (p->instrument == LM_P_BASISBAAN) r->basis_used--;
    if (p->flags & LM_F_SUBSIDY)
        w->st.cost_subsidies += fmin(days, prm->subsidy_max_days) * prm->subsidy_per_month / LM_DAYS_PER_MONTH;
    if (days >= prm->werkbonus_days && werkbonus_eligible(w, p)) w->st.cost_subsidies += prm->werkbonus;
    p->flags &= (uint16_t)~(LM_F_JOBCOACH | LM_F_SUBSIDY | LM_F_COACHED);
}

static void placement_stage_end(lm_ws *w, lm_person *p)
{
    const lm_params *prm = w->p;
    const lm_place_params *t = &prm->place[p->instrument];
    double now = sim_ctx_now(w->ctx), started = p->state_since;
    if (t->convert_days > 0 && p->instrument != LM_P_REGULAR) {
        gsl_rng *r = person_rng(w, p);
        int kept = sim_rng_uniform(r) < t->convert_p;
        person_rng_done(w, p);
        if (!kept) {
            end_placement(w, p);
            w->st.not_converted++;
            enter_pool(w, p);
            schedule_next(w, p);
            return;
        }
        /* Converted into a regular job: the benefit stops, the durability clock runs on. */
        if (p->instrument == LM_P_BASISBAAN) w->region[p->region].basis_used--;
        w->st.converted++;
        set_state(w, p, LM_PLACED, LM_P_REGULAR);
        p->state_since = started;
        p->stage_end = started + prm->durable_days;
        if (p->stage_end <= now) p->stage_end = now;
        schedule_next(w, p);
        return;
    }
    if (p->flags & LM_F_COACHED) w->st.durable_coached++;
    end_placement(w, p);
    w->st.durable++;
    w->st.region_durable[p->region]++;
    leave_model(w, p, LM_DURABLE);
}

static void job_loss(lm_ws *w, lm_person *p)
{
    if (p->flags & LM_F_COACHED) w->st.lost_coached++;
    end_placement(w, p);
    w->st.job_losses++;
    p->benefit_start = sim_ctx_now(w->ctx);   /* a new benefit spell */
    set_state(w, p, LM_IN_VIEW, 0);
    route(w, p);
}

/* ------------------------------------------------------------- matching -- */

/* Choose a placement type for candidate p (weights over what the region offers). */
static int choose_type(lm_ws *w, lm_person *p, gsl_rng *r)
{
    const lm_params *prm = w->p;
    const region_ws *rw = &w->region[p->region];
    unsigned portfolio = prm->region[p->region].portfolio;
    double weight[LM_NPLACE], total = 0;
    for (int i = 0; i < LM_NPLACE; i++) {
        int ok = (portfolio >> (LM_NTRAJ + i)) & 1u;
        if (i == LM_P_BASISBAAN) ok = ok && rw->basis_used < rw->basis_places && quality(p) < prm->subsidy_threshold;
        total += weight[i] = ok ? prm->place[i].weight : 0.0;
    }
    double u = sim_rng_uniform(r) * total;
    for (int i = 0; i < LM_NPLACE; i++) {
        if (u < weight[i]) return i;
        u -= weight[i];
    }
    return LM_P_REGULAR;
}

/* Employer acceptance of candidate p for a job requiring `req` (seed 003 §3.1). */
static double acceptance(const lm_ws *w, const lm_person *p, double req, int type, int subsidy)
{
    const lm_params *prm = w->p;
    double q = quality(p);
    double a = prm->accept_base * at_least(0.0, 1.0 + prm->accept_fit * (q - req));
    a *= prm->place[type].accept;
    if (p->barriers & LM_B_LANGUAGE) a *= 1.0 - prm->accept_language;
    if (q < prm->subsidy_threshold) a *= prm->act;   /* far from the market: few employers act */
    if (subsidy) a *= prm->subsidy_accept;
    a *= lm_policy_employers(prm->policy, p->region, sim_ctx_now(w->ctx));
    a *= lm_tension_factor(prm, sim_ctx_now(w->ctx), prm->el_accept);   /* tight markets: employers look further */
    return at_most(1.0, a);
}

/* Members of the pool bands lo .. LM_BANDS-1 of region r. */
static uint32_t pool_total(const region_ws *r, int lo)
{
    uint32_t total = 0;
    for (int b = lo; b < LM_BANDS; b++) total += r->pool[b].n;
    return total;
}

/* Member k of the bands lo .. LM_BANDS-1 taken in band order; LM_NONE if k is
 * not below their total. */
static uint32_t pool_member(const region_ws *r, int lo, uint32_t k)
{
    for (int b = lo; b < LM_BANDS; b++) {
        if (k < r->pool[b].n) return r->pool[b].items[k];
        k -= r->pool[b].n;
    }
    return LM_NONE;
}

/* Share of vacancies that reach the WSP's pool (employer funnel, seed 003 §5H). */
static double reach(const lm_params *prm, const lm_region_params *rp, double maturity)
{
    double v = prm->awareness * (1.0 + prm->awareness_maturity * (maturity - 0.5));
    v *= 1.0 + prm->account_reach * (rp->account_managers / (rp->caseload / 1000.0) - 1.7);
    v *= prm->visibility_pool[rp->pool] * (rp->vacancy_sharing ? 1.0 : prm->visibility_no_sharing);
    return at_most(1.0, at_least(0.0, v * prm->willing));
}

/* Offer the vacancy (required quality drawn from g) to up to max_candidates random
 * pool members of a band >= floor(req), until one is accepted. The pool does not
 * change until then, so the next candidate is known from g's next uniform: its
 * record is prefetched while the current one is considered. */
static void try_match(lm_ws *w, int region, gsl_rng *g)
{
    const lm_params *prm = w->p;
    region_ws *r = &w->region[region];
    double req = sim_rng_uniform(g);
    if (sim_rng_uniform(g) < prm->carving_share) req = fmax(0.0, req - prm->carving_reduction);
    w->st.vacancies_wsp++;
    int lo = band_of(req);
    uint32_t total = pool_total(r, lo);
    if (total == 0) return;
    for (int tries = 0; tries < prm->max_candidates; tries++) {
        uint32_t s = pool_member(r, lo, (uint32_t)(sim_rng_uniform(g) * total));
        if (s == LM_NONE) return;
        if (tries + 1 < prm->max_candidates)
            touch_person(w, pool_member(r, lo, (uint32_t)(sim_rng_peek_uniform(g) * total)));
        lm_person *p = &w->people[s];
        gsl_rng *pr = person_rng(w, p);
        int type = choose_type(w, p, pr);
        int subsidy = quality(p) < prm->subsidy_threshold && (prm->region[region].portfolio >> 14 & 1u);
        int yes = sim_rng_uniform(pr) < acceptance(w, p, req, type, subsidy);
        person_rng_done(w, p);
        if (!yes) continue;
        if (subsidy) p->flags |= LM_F_SUBSIDY;
        start_placement(w, p, type, 0);
        return;
    }
}

/* --------------------------------------------------------- region chains -- */

/* Rate of the region's vacancies at demand 1 (per day): vacancies_per_1000 per
 * 1000 people on benefit at U/V 1.3, scaled by the region's tightness (§7.7). */
static double vacancy_base_rate(const lm_params *prm, int region)
{
    const lm_region_params *rp = &prm->region[region];
    return prm->vacancies_per_1000 * rp->caseload / 1000.0 * (1.3 / rp->tightness);
}

/* The region's WSP vacancy chain: candidates at the constant bound rate
 * base x max demand x max reach, each accepted with probability
 * demand(t) reach(t) / (max demand x max reach): a thinning, so the accepted
 * ones are the vacancies that reach the WSP (§7.7). The bound depends on the
 * demand paths (shocks included) but on no programme or cooperation setting, and
 * the chain's stream holds only the candidates' times and thinning draws (matches
 * draw from their own stream), so two scenarios with one seed and the same demand
 * paths draw the same candidates at the same times. */
static void next_vacancy(lm_ws *w, int region, double t)
{
    region_ws *r = &w->region[region];
    if (!(r->vac_rate > 0)) return;
    t += sim_rng_exponential(r->vac, 1.0 / r->vac_rate);
    if (t <= w->p->end) sim_ctx_schedule(w->ctx, t, 0, EV_VACANCY, (uint32_t)region, 0, 0);
}

/* A candidate of the WSP chain: if accepted, a vacancy reaches the WSP; it is
 * counted and a match is tried. */
static void on_vacancy(lm_ws *w, int region)
{
    const lm_params *prm = w->p;
    region_ws *r = &w->region[region];
    double now = sim_ctx_now(w->ctx);
    double u = sim_rng_uniform(r->vac) * prm->vacancy_max * r->reach_max;
    if (u < demand_at(w, region, now, prm->el_vacancies) * r->reach) {
        w->st.vacancies++;
        try_match(w, region, r->match);
    }
    next_vacancy(w, region, now);
}

/* Integrand of count_unreached_vacancies: the demand of a region at t. */
typedef struct { const lm_ws *w; int region; } vacancy_arg;
static double demand_of(double t, void *params)
{
    const vacancy_arg *a = params;
    return demand_at(a->w, a->region, t, a->w->p->el_vacancies);
}

/* The regime interval [a, b) of a region ends. The vacancies that did not reach
 * the WSP are an independent Poisson process (the other side of the thinning):
 * its mean over the interval, (1 - reach) x base rate x the demand integrated by
 * Gauss-Legendre (exact up to rounding where demand is smooth inside the
 * interval; a path point inside it, like the mid-quarter CBS tension dates,
 * costs ~1e-5 relative), is added up. On the k-th grid time (grid_k >= 0) a
 * count is drawn from the region's VACANCY_COUNT stream, positioned at word 2^24 k:
 * each month's draw starts at the same place in every scenario, whatever the
 * draws of earlier months took. So the vacancy count has the distribution of
 * one candidate per vacancy, with about 1/reach times fewer draws. */
static void count_unreached_vacancies(lm_ws *w, int region, double a, double b, long grid_k)
{
    region_ws *r = &w->region[region];
    double base = vacancy_base_rate(w->p, region);
    if (b > a && base > 0 && r->reach < 1.0) {
        vacancy_arg arg = {w, region};
        gsl_function f = {demand_of, &arg};
        r->unreached_mean += (1.0 - r->reach) * base * gsl_integration_glfixed(&f, a, b, w->gl);
    }
    if (grid_k >= 0 && r->unreached_mean > 0) {
        gsl_rng *g = other_rng(w);   /* keyed afresh for each draw: no state of its own */
        sim_rng_stream_at(g, w->seed, w->rep, (uint32_t)region, PURPOSE_VACANCY_COUNT,
                          (uint64_t)grid_k << VACANCY_COUNT_SHIFT);
        w->st.vacancies += gsl_ran_poisson(g, r->unreached_mean);
        r->unreached_mean = 0;
    }
}

/* Share of vacancies reaching the WSP at the region's maturity now. */
static void update_reach(lm_ws *w, int region)
{
    const lm_params *prm = w->p;
    w->region[region].reach = reach(prm, &prm->region[region], w->region[region].maturity);
}

/* The chain of a region starts at t (the start of the run). */
static void start_vacancies(lm_ws *w, int region, double t)
{
    const lm_params *prm = w->p;
    region_ws *r = &w->region[region];
    update_reach(w, region);
    /* reach never falls as maturity rises (a clamped line; rounding keeps the order), and
     * maturity stays in 0..1: its maximum is at 0 or 1, and the chain's bound holds */
    r->reach_max = fmax(reach(prm, &prm->region[region], 0.0), reach(prm, &prm->region[region], 1.0));
    r->unreached_mean = 0;
    r->vac_rate = vacancy_base_rate(prm, region) * prm->vacancy_max * r->reach_max;
    next_vacancy(w, region, t);
}

/* Profiling round: client managers invite people not in view (seed 004 §4a). */
static void invite(lm_ws *w, lm_person *p)
{
    const lm_params *prm = w->p;
    gsl_rng *r = person_rng(w, p);
    double u = sim_rng_uniform(r);
    person_rng_done(w, p);
    w->st.invited++;
    if (u < prm->noshow) { w->st.noshow++; return; }
    if (p->first_view < 0) p->first_view = (float)sim_ctx_now(w->ctx);
    w->st.profiled++;
    if (u < prm->noshow + prm->unwilling) {
        w->st.unwilling++;
        p->flags |= LM_F_UNWILLING;
    } else {
        p->flags &= (uint16_t)~LM_F_UNWILLING;
    }
    set_state(w, p, LM_IN_VIEW, 0);
    route(w, p);
}

static void on_profile_round(lm_ws *w, int region)
{
    const lm_params *prm = w->p;
    region_ws *r = &w->region[region];
    double now = sim_ctx_now(w->ctx);
    double staff = r->suspended ? 0.0 : r->client_managers * lm_policy_staff(prm->policy, region, now);
    double want = staff * prm->invites_per_fte * PROFILE_ROUND_DAYS
                * (1.0 + prm->maturity_reach * (r->maturity - 0.5)) + r->invite_carry;
    int n = (int)want;
    r->invite_carry = want - n;
    lm_idset *set = &r->not_in_view;
    for (int i = 0; i < n && set->n > 0; i++) {
        double u = sim_rng_uniform(r->prof);
        uint32_t pos = lm_idset_pick_pos(set, u), s = set->items[pos];
        /* Prefetch the next invitee while this one is served: invite takes s out
         * of the set (and, as a rule, changes it no further); and the set's entry
         * of the one after, whose position is guessed from the stream's next-but-one
         * uniform, so that the next iteration finds its invitee's slot in cache. */
        if (i + 1 < n && set->n > 1)
            touch_person(w, lm_idset_pick_after_remove(set, sim_rng_peek_uniform(r->prof), pos));
        if (i + 2 < n && set->n > 2)
            lm_idset_touch_pos(set, sim_rng_peek_uniform_ahead(r->prof, 1), 2);
        invite(w, &w->people[s]);
    }
    sim_ctx_schedule(w->ctx, now + PROFILE_ROUND_DAYS, 0, EV_PROFILE, (uint32_t)region, 0, 0);
}

/* The next person of an inflow chain (regular or shock) arrives on the caseload. */
static uint32_t arrive(lm_ws *w, int region, int shock);
static void schedule_arrival(lm_ws *w, int region, int shock);

/* The next person of an inflow chain (regular or shock) arrives on the caseload. */
static void on_inflow(lm_ws *w, int region, int shock)
{
    uint32_t s = arrive(w, region, shock);
    if (s == LM_NONE) { sim_ctx_fail(w->ctx); return; }
    lm_person *p = &w->people[s];
    w->st.region_inflow[region]++;
    set_state(w, p, LM_NOT_IN_VIEW, 0);
    p->stage_end = INFINITY;
    schedule_next(w, p);
    schedule_arrival(w, region, shock);
}

/* ------------------------------------------------------------- regimes -- */

/* Start queued people while places are free (after capacity rose or a suspension ended). */
static void serve_queues(lm_ws *w, int region)
{
    for (int k = 0; k < LM_NTRAJ; k++)
        while (start_from_queue(w, region, k)) {}
}

/* Maturity moves towards 1 while cooperation work is funded (faster where it is low,
 * seed 002 §7.5) and decays back towards the embedded level once it stops. */
static void update_maturity(lm_ws *w, int region, double gain, double dt)
{
    region_ws *r = &w->region[region];
    double m0 = lm_policy_initial_maturity(w->p->policy, w->p, region);
    if (gain > 0) {
        r->maturity += (1.0 - r->maturity) * (1.0 - exp(-gain * dt));
        r->floor = m0 + r->maturity * (r->maturity - m0);   /* embedded share = maturity */
    } else if (r->maturity > r->floor) {
        r->maturity = r->floor + (r->maturity - r->floor) * exp(-w->p->policy->maturity_decay * dt);
    }
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* Position of p in the order of creation: stock, then regular inflow (both in id
 * order), then shock inflow region by region, each in time order (ids of several
 * shocks interleave there, hence the rank table). */
static uint32_t creation_order(const lm_ws *w, const lm_person *p)
{
    uint32_t first_shock = w->nstock + w->narrival;
    return p->id < first_shock ? p->id : first_shock + w->shock_rank[p->id - first_shock];
}

/* Collect the slots for which want(p) holds into w->scratch, in creation order
 * (slot s is w->scratch[i] & 0xFFFFFFFF); returns their number. */
static uint32_t in_creation_order(lm_ws *w, int (*want)(const lm_ws *, const lm_person *, const void *),
                                  const void *arg)
{
    uint32_t n = 0;
    for (uint32_t s = 0; s < w->npeople; s++)
        if (want(w, &w->people[s], arg)) w->scratch[n++] = (uint64_t)creation_order(w, &w->people[s]) << 32 | s;
    qsort(w->scratch, n, sizeof *w->scratch, cmp_u64);
    return n;
}

static lm_person *scratch_person(const lm_ws *w, uint32_t i)
{
    return &w->people[(uint32_t)(w->scratch[i] & 0xFFFFFFFFu)];
}

static int in_starting_programme(const lm_ws *w, const lm_person *p, const void *starting)
{
    (void)w;
    return p->state == LM_IN_PROGRAMME && ((const int *)starting)[p->region];
}

/* A suspension starts: programmes move online (a share) or pause until it ends. */
static void suspend_programmes(lm_ws *w, const int *starting)
{
    double now = sim_ctx_now(w->ctx);
    uint32_t n = in_creation_order(w, in_starting_programme, starting);
    for (uint32_t i = 0; i < n; i++) {
        lm_person *p = scratch_person(w, i);
        double share, effect;
        lm_policy_online(w->p->policy, p->region, now, &share, &effect);
        gsl_rng *r = person_rng(w, p);
        int online = sim_rng_uniform(r) < share;
        person_rng_done(w, p);
        if (online) p->flags |= LM_F_ONLINE;
        else p->stage_end += lm_policy_suspension_end(w->p->policy, p->region, now) - now;
        schedule_next(w, p);   /* a regime change: redraw the competing risks */
    }
}

/* Events still meaningful: person events whose stamp matches the person's version. */
static int event_live(const sim_event *ev, void *user)
{
    const lm_ws *w = user;
    return ev->kind != EV_PERSON || ev->stamp == w->people[ev->entity].version;
}

/* Prefetch hint for the engine (sim_ctx_set_touch): the person an event is about. */
static void event_touch(const sim_event *ev, void *user)
{
    const lm_ws *w = user;
    if (ev->kind == EV_PERSON || ev->kind == EV_COACH_END) touch_person(w, ev->entity);
}

/* Lazily cancelled events pile up (a rescheduled person leaves the old event in the
 * queue until its time); purge them when they outnumber the live ones, which keeps
 * the heap shallow. Purging never changes the order of live events. */
static void purge_stale(lm_ws *w)
{
    size_t pending = sim_ctx_pending(w->ctx);
    if (2 * pending > 3 * w->live_events + 8192) {   /* stale > ~1/3 of the queue */
        sim_ctx_purge(w->ctx, event_live, w);
        w->live_events = sim_ctx_pending(w->ctx);
    }
}

static void on_origin(lm_ws *w);
static int start_shock_inflow(lm_ws *w);

static int traced_on_caseload(const lm_ws *w, const lm_person *p, const void *arg)
{
    (void)arg;
    return p->state < LM_DURABLE && sim_ctx_tracing(w->ctx, p->id);
}

static int held_newcomer(const lm_ws *w, const lm_person *p, const void *shock)
{
    (void)w;
    return (p->flags & LM_F_SHOCK) && p->shock == *(const int *)shock && searches(p);
}

/* Shocks whose newcomers' search was held until a time in (from, to]: their searching
 * newcomers' own search changes, so their competing risks are drawn again (the thinning
 * bound of a draw holds only while the multiplier stays what it was). */
static void release_held(lm_ws *w, double from, double to)
{
    const lm_policy *pol = w->p->policy;
    for (int k = 0; k < pol->nshock; k++) {
        double t = pol->shock[k].held_until;
        if (!(from < t && t <= to)) continue;
        uint32_t n = in_creation_order(w, held_newcomer, &k);
        for (uint32_t i = 0; i < n; i++) schedule_next(w, scratch_person(w, i));
    }
}

/* Apply programmes, staff and suspensions for every region at a regime change. */
static void on_regime(lm_ws *w, uint32_t index)
{
    const lm_params *prm = w->p;
    double now = sim_ctx_now(w->ctx), dt = now - w->last_regime;
    release_held(w, w->last_regime, now);
    int starting[LM_MAX_REGIONS] = {0}, any = 0;
    long grid_k = w->regime[index].grid ? w->grid_k++ : -1;
    for (int g = 0; g < prm->nregions; g++) count_unreached_vacancies(w, g, w->last_regime, now, grid_k);
    if (w->origin_pending && now >= 0.0) {   /* first, so nothing at time 0 is counted before it */
        if (start_shock_inflow(w) != 0) sim_ctx_fail(w->ctx);
        on_origin(w);
        w->origin_pending = 0;
    }
    w->last_regime = now;
    for (int g = 0; g < prm->nregions; g++) {
        region_ws *r = &w->region[g];
        const lm_region_params *rp = &prm->region[g];
        double extra[LM_NTRAJ], coach, staff;
        w->st.cost_extra_staff += (r->client_managers - rp->client_managers) * prm->cm_per_day * dt;
        double gain = lm_policy_capacity(prm->policy, prm, g, now, extra, &coach, &staff);
        update_maturity(w, g, gain, dt);
        for (int k = 0; k < LM_NTRAJ; k++) r->places[k] = (int)lround(rp->places[k] + extra[k]);
        r->coach_places = (int)lround(rp->jobcoach_places + coach);
        r->client_managers = rp->client_managers + staff;
        int susp = lm_policy_suspended(prm->policy, g, now);
        any |= starting[g] = susp && !r->suspended;
        r->suspended = susp;
        serve_queues(w, g);
        update_reach(w, g);
    }
    if (any) suspend_programmes(w, starting);
    purge_stale(w);
    if (index + 1 < (uint32_t)w->nregime)
        sim_ctx_schedule(w->ctx, w->regime[index + 1].t, 0, EV_REGIME, 0, 0, index + 1);
}

/* Capacity of the regime table: the policy boundaries, one per calendar month of
 * burn-in and horizon (months of at least 28 days, a month of slack at each end),
 * the origin and the end. */
static int regime_capacity(const lm_params *prm)
{
    return LM_MAX_BOUNDARIES + (int)ceil((prm->burn_in + prm->end) / 28.0) + 4;
}

static int cmp_regime(const void *a, const void *b)
{
    double x = ((const regime_time *)a)->t, y = ((const regime_time *)b)->t;
    return (x > y) - (x < y);
}

/* Regime-change times, sorted and distinct: every policy boundary, the origin
 * (where a burn-in ends) and the first day of every calendar month from the
 * first inside the burn-in to the end (which closes the last interval of
 * staff-cost accounting). A boundary on a grid time is that grid time. */
static void plan_regimes(lm_ws *w)
{
    const lm_params *prm = w->p;
    double bounds[LM_MAX_BOUNDARIES];
    int nb = lm_policy_boundaries(prm->policy, bounds, LM_MAX_BOUNDARIES), n = 0;
    for (int i = 0; i < nb; i++) w->regime[n++] = (regime_time){bounds[i], 0};
    w->regime[n++] = (regime_time){0.0, 1};
    long k = -(long)ceil(prm->burn_in / 28.0) - 1;
    while (lm_month_start(prm->origin_days, k) < -prm->burn_in) k++;
    for (double t; (t = lm_month_start(prm->origin_days, k)) < prm->end; k++) {
        SIM_ASSERT(n < w->regime_cap - 1);
        w->regime[n++] = (regime_time){t, 1};
    }
    SIM_ASSERT(isfinite(lm_month_start(prm->origin_days, k)));   /* dates the calendar code knows */
    w->regime[n++] = (regime_time){prm->end, 1};
    qsort(w->regime, (size_t)n, sizeof *w->regime, cmp_regime);
    int m = 0;
    for (int i = 0; i < n; i++) {
        if (m > 0 && w->regime[i].t == w->regime[m - 1].t) w->regime[m - 1].grid |= w->regime[i].grid;
        else w->regime[m++] = w->regime[i];
    }
    w->nregime = m;
}

/* The origin after a burn-in: flows counted so far are forgotten (stocks stay),
 * so /summary and /series describe the horizon only. Programme starts before the
 * origin leave the 12-month outflow cohort: their start was not counted. Every
 * person on the caseload gets a trajectory row "arrived in their state" at the
 * origin, as the stock did before burn-ins existed. */
static void on_origin(lm_ws *w)
{
    int32_t count[LM_MAX_REGIONS][LM_NSTATES];
    memcpy(count, w->st.count, sizeof count);
    lm_stats_reset(&w->st);
    memcpy(w->st.count, count, sizeof count);
    for (int g = 0; g < w->p->nregions; g++) {
        w->region[g].benefit_area = 0.0;
        w->region[g].last = 0.0;
    }
    for (uint32_t s = 0; s < w->npeople; s++) w->people[s].flags &= (uint16_t)~LM_F_COHORT;
    /* /events starts here: everyone on the caseload enters it as if arriving now */
    uint32_t n = in_creation_order(w, traced_on_caseload, NULL);
    for (uint32_t i = 0; i < n; i++) {
        lm_person *p = scratch_person(w, i);
        trace(w, p, LM_NOT_ARRIVED, p->state, p->instrument);
    }
}

/* ------------------------------------------------------ person transitions -- */

static void on_stage_end(lm_ws *w, lm_person *p)
{
    switch (p->state) {
    case LM_IN_PROGRAMME: complete_programme(w, p); break;
    case LM_PLACED: placement_stage_end(w, p); break;
    case LM_POOL: set_state(w, p, LM_IN_VIEW, 0); route(w, p); break;   /* pool spell over: re-route */
    case LM_WAITING:   /* waited a whole profile period: dropped from the list */
        w->st.queue_timeouts++;
        /* fall through */
    case LM_IN_VIEW:   /* profile gone stale: out of view until invited again */
        set_state(w, p, LM_NOT_IN_VIEW, 0);
        p->stage_end = INFINITY;
        schedule_next(w, p);
        break;
    default: schedule_next(w, p); break;
    }
}

static void on_self_exit(lm_ws *w, lm_person *p)
{
    double now = sim_ctx_now(w->ctx);
    double actual = search_multiplier(w, p) * boost_at(w, p, now) * demand_at(w, p->region, now, search_elasticity(w->p, p));
    gsl_rng *r = person_rng(w, p);
    int accept = sim_rng_uniform(r) * (float)search_bound(w, p) < actual;
    person_rng_done(w, p);
    if (!accept) { schedule_next(w, p); return; }   /* thinned: not a real exit */
    count_work_entry(w, p);
    w->st.exits_work++;
    w->st.region_exits_work[p->region]++;
    leave_model(w, p, LM_EXIT_WORK);
}

/* An other-exit candidate: drawn at the hazard times the level path's bound and
 * kept with level(now) / bound (thinning). Where the level is at its bound, and
 * always without a path, it is kept without a draw. A path whose levels never
 * exceed 1 therefore changes nothing before it first falls below 1, and one that
 * stays at 1 gives the results of no path bit for bit (history-2024.cfg). */
static void on_other_exit(lm_ws *w, lm_person *p)
{
    const lm_params *prm = w->p;
    if (prm->other_exit_level.n > 0) {
        double level = lm_path_at(&prm->other_exit_level, sim_ctx_now(w->ctx));
        if (level < prm->other_exit_max) {
            gsl_rng *r = person_rng(w, p);
            int keep = sim_rng_uniform(r) * prm->other_exit_max < level;
            person_rng_done(w, p);
            if (!keep) { schedule_next(w, p); return; }
        }
    }
    w->st.exits_other++;
    w->st.region_exits_other[p->region]++;
    leave_model(w, p, LM_EXIT_OTHER);
}

static void on_relapse_or_recover(lm_ws *w, lm_person *p, int worse)
{
    int was_pool = p->state == LM_POOL;
    if (worse && p->distance < 2) p->distance++;
    if (!worse && p->distance > 0) p->distance--;
    if (was_pool || (!worse && p->state == LM_IN_VIEW)) {
        set_state(w, p, LM_IN_VIEW, 0);
        route(w, p);
    } else {
        schedule_next(w, p);
    }
}

static void on_person(lm_ws *w, lm_person *p, int what)
{
    switch (what) {
    case T_SELF_EXIT: on_self_exit(w, p); break;
    case T_OTHER_EXIT: on_other_exit(w, p); break;
    case T_STAGE_END: on_stage_end(w, p); break;
    case T_DROPOUT:
        w->st.programme_dropouts++;
        free_place(w, p->region, p->instrument);
        idle_in_view(w, p);
        schedule_next(w, p);
        break;
    case T_RELAPSE: on_relapse_or_recover(w, p, 1); break;
    case T_RECOVER: on_relapse_or_recover(w, p, 0); break;
    case T_JOB_LOSS: job_loss(w, p); break;
    default: break;
    }
}

/* The coaching of placement number `placement_no` of person `id` ends (the slot
 * may have passed to someone else since). */
static void on_coach_end(lm_ws *w, lm_person *p, uint32_t placement_no, uint32_t id)
{
    if (p->id != id || p->state != LM_PLACED || !(p->flags & LM_F_JOBCOACH) || p->placements != placement_no) return;
    w->region[p->region].coach_used--;
    p->flags &= (uint16_t)~LM_F_JOBCOACH;
    schedule_next(w, p);   /* job-loss hazard back to its uncoached level */
}

void lm_handle(void *ws, sim_ctx *ctx, const sim_event *ev)
{
    lm_ws *w = ws;
    w->ctx = ctx;
    switch (ev->kind) {
    case EV_PERSON: {
        lm_person *p = &w->people[ev->entity];
        if (ev->stamp == p->version) on_person(w, p, (int)ev->arg);
        break;
    }
    case EV_INFLOW: on_inflow(w, (int)ev->entity, 0); break;
    case EV_SHOCK_INFLOW: on_inflow(w, (int)ev->entity, 1); break;
    case EV_REGIME: on_regime(w, ev->arg); break;
    case EV_VACANCY: on_vacancy(w, (int)ev->entity); break;
    case EV_PROFILE: on_profile_round(w, (int)ev->entity); break;
    case EV_COACH_END: on_coach_end(w, &w->people[ev->entity], ev->stamp, ev->arg); break;
    default: break;
    }
}

/* -------------------------------------------------- population and start -- */

static int pick_share(const double *share, int n, double u)
{
    for (int i = 0; i < n - 1; i++) {
        if (u < share[i]) return i;
        u -= share[i];
    }
    return n - 1;
}

/* Draw a person's attributes from their own INIT stream (scenario-independent). */
/* `ages`: the age-band shares to draw from (the stock's, or the regular inflow's). */
static void init_person(lm_ws *w, lm_person *p, uint32_t id, int region, double benefit_start, double dur,
                        const double *ages)
{
    const lm_params *prm = w->p;
    gsl_rng *r = other_rng(w);
    sim_rng_stream(r, w->seed, w->rep, id, PURPOSE_INIT);
    uint32_t version = p->version;   /* a reused slot: its stale events must stay stale */
    memset(p, 0, sizeof *p);
    p->version = version;
    p->id = id;
    p->region = (uint8_t)region;
    p->link = p->link2 = LM_NONE;
    p->first_view = -1.0f;
    p->boost_until = -INFINITY;   /* no boost before a completion, burn-in (t < 0) included */
    p->stage_end = INFINITY;
    p->state = LM_NOT_ARRIVED;
    p->benefit_start = benefit_start;
    const double *split = dur >= prm->long_term_days ? prm->split_long : prm->split_short;
    p->distance = (uint8_t)pick_share(split, 3, sim_rng_uniform(r));
    for (int b = 0; b < 5; b++)
        if (sim_rng_uniform(r) < prm->barrier_p[b] * (p->distance == 0 ? 0.5 : 1.0)) p->barriers |= (uint8_t)(1u << b);
    p->age_band = (uint8_t)(pick_share(ages, 4, sim_rng_uniform(r)) & 15);
    p->benefit = (uint8_t)(pick_share(prm->benefit_share, 5, sim_rng_uniform(r)) & 15);
    if (p->benefit == 3 && sim_rng_uniform(r) < prm->statushouder_language) p->barriers |= LM_B_LANGUAGE;
    double base = 0.75 - 0.2 * p->distance;
    p->hard = (float)at_most(1.0, at_least(0.0, base + gsl_ran_gaussian_ziggurat(r, 0.15)));
    p->soft = (float)at_most(1.0, at_least(0.0, base + gsl_ran_gaussian_ziggurat(r, 0.15)));
    p->motivation = (float)sim_rng_uniform(r);
}

/* Initial benefit duration of a stock member from the banded distribution. */
static double stock_duration(const lm_params *prm, gsl_rng *r)
{
    int b = pick_share(prm->dur_share, 5, sim_rng_uniform(r));
    return prm->dur_edge[b] + sim_rng_uniform(r) * (prm->dur_edge[b + 1] - prm->dur_edge[b]);
}

/* Room for n people. The records are read at random over tens of MB: they live on
 * huge pages (sim/core/pages.h), which took about an eighth off the national run when
 * they came (bench/RESULTS.md), and grow without being copied. 0, or -1 (cap unchanged;
 * the scratch array may have grown, which is harmless). */
static int ensure_capacity(lm_ws *w, uint32_t n)
{
    if (n <= w->cap) return 0;
    uint64_t *sc = realloc(w->scratch, n * sizeof *sc);
    if (!sc) return -1;
    w->scratch = sc;
    lm_person *p = sim_pages_resize(w->people, w->cap * sizeof *p, n * sizeof *p);
    if (!p) return -1;
    w->people = p;
    w->cap = n;
    return 0;
}

/* Room for `want` elements of `size` bytes in *items (capacity *cap); the memory
 * is kept for later replications. 0, or -1 when out of memory. */
static int reserve(void **items, size_t want, uint32_t *cap, size_t size)
{
    if (want <= *cap) return 0;
    if (want > UINT32_MAX) return -1;
    void *x = realloc(*items, want * size);
    if (!x) return -1;
    *items = x;
    *cap = (uint32_t)want;
    return 0;
}

/* Room for one more element after n (growing by half when full). */
static int grow(void **items, uint32_t n, uint32_t *cap, size_t size)
{
    return n < *cap ? 0 : reserve(items, (size_t)n + n / 2 + 4096, cap, size);
}

/* A slot for an arriving person: the most recently freed one, else a new one
 * (the array grows by a quarter when full; the memory is kept for later replications).
 * LM_NONE when out of memory. */
static uint32_t take_slot(lm_ws *w)
{
    uint32_t s = w->free_head;
    if (s != LM_NONE) {
        w->free_head = w->people[s].link;
        return s;
    }
    if (w->npeople == w->cap && ensure_capacity(w, w->cap + w->cap / 4 + 1024) != 0) return LM_NONE;
    w->people[w->npeople].version = 0;   /* a new slot: no event refers to it */
    return w->npeople++;
}

/* Stock of region r: ids are assigned region by region, so they do not depend on
 * anything but the scenario's caseloads. */
static int make_stock(lm_ws *w, int region, uint32_t *next_id)
{
    const lm_params *prm = w->p;
    uint32_t n = (uint32_t)lround(prm->region[region].caseload);
    if (ensure_capacity(w, w->npeople + n) != 0) return -1;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t id = (*next_id)++;
        sim_rng_stream(other_rng(w), w->seed, w->rep, id, PURPOSE_DURATION);
        double dur = stock_duration(prm, w->rng);
        lm_person *p = &w->people[w->npeople++];
        p->version = 0;
        init_person(w, p, id, region, -prm->burn_in - dur, dur, prm->age_share);
    }
    return 0;
}

/* Regular inflow of region r over the horizon, in time order (region stream). */
static int make_inflow(lm_ws *w, int region, uint32_t *next_id)
{
    const lm_params *prm = w->p;
    region_ws *r = &w->region[region];
    double rate = prm->inflow_per_day * prm->region[region].caseload;
    r->next_inflow = r->end_inflow = w->narrival;
    if (rate <= 0) return 0;
    gsl_rng *g = other_rng(w);
    sim_rng_stream(g, w->seed, w->rep, (uint32_t)region, PURPOSE_INFLOW);
    /* Thinning: candidates at the bound, kept with (T/T0)^-el_inflow / bound. Without a
     * tension response every candidate is kept and no extra number is drawn. */
    int thin = (prm->tension.n > 0 && prm->el_inflow > 0) || prm->inflow_level.n > 0;
    double bound = thin ? prm->inflow_max : 1.0;
    for (double t = -prm->burn_in + sim_rng_exponential(g, 1.0 / (rate * bound)); t < prm->end;
         t += sim_rng_exponential(g, 1.0 / (rate * bound))) {
        if (thin && sim_rng_uniform(g) * bound >= lm_inflow_factor(prm, t)) continue;
        if (grow((void **)&w->arrival, w->narrival, &w->arrival_cap, sizeof *w->arrival) != 0) return -1;
        w->arrival[w->narrival++] = t;   /* id nstock + index: created on arrival (arrive) */
        (*next_id)++;
    }
    r->end_inflow = w->narrival;
    return 0;
}

/* A shock's newcomer is aged 18-26 with probability `young`, else in an older band
 * with the stock's relative shares (a stream of its own: no other draw moves). */
static void shock_age(lm_ws *w, lm_person *p, double young)
{
    const double *a = w->p->age_share;
    sim_rng_stream(other_rng(w), w->seed, w->rep, p->id, PURPOSE_SHOCK_AGE);
    double u = sim_rng_uniform(w->rng);
    if (u < young) { p->age_band = 0; return; }
    double older[3] = {a[1], a[2], a[3]}, sum = a[1] + a[2] + a[3];
    for (int i = 0; i < 3; i++) older[i] /= sum;
    p->age_band = (uint8_t)((1 + pick_share(older, 3, sim_rng_uniform(w->rng))) & 15);
}

/* Extra inflow of newly unemployed from every shock, after all regular inflow so
 * that nobody else's id (and random numbers) depends on whether a shock is on. */
static int make_shock_inflow(lm_ws *w, int region, uint32_t *next_id)
{
    const lm_params *prm = w->p;
    const lm_policy *pol = prm->policy;
    region_ws *r = &w->region[region];
    r->next_shock = r->end_shock = w->nshock;
    gsl_rng *g = other_rng(w);
    for (int k = 0; k < pol->nshock; k++) {
        const lm_shock *sh = &pol->shock[k];
        double rate = sh->inflow * prm->region[region].caseload;
        if (rate <= 0 || !((sh->regions >> region) & 1u)) continue;
        sim_rng_stream(g, w->seed, w->rep, (uint32_t)(region * LM_MAX_SHOCKS + k), PURPOSE_SHOCK_INFLOW);
        double end = fmin(sh->inflow_end, prm->end);
        for (double t = sh->inflow_start + sim_rng_exponential(g, 1.0 / rate); t < end; t += sim_rng_exponential(g, 1.0 / rate)) {
            /* A decaying surge: candidates at the initial rate, kept with exp(-age/decay). */
            if (sh->inflow_decay > 0 && sim_rng_uniform(g) >= exp(-(t - sh->inflow_start) / sh->inflow_decay)) continue;
            if (grow((void **)&w->shock, w->nshock, &w->shock_cap, sizeof *w->shock) != 0) return -1;
            w->shock[w->nshock++] = (shock_arrival){t, (*next_id)++, (uint32_t)k};   /* created on arrival */
        }
    }
    /* Several shocks interleave: keep the chain in time order (insertion sort; short). */
    for (uint32_t i = r->next_shock + 1; i < w->nshock; i++)
        for (uint32_t j = i; j > r->next_shock && w->shock[j].time < w->shock[j - 1].time; j--) {
            shock_arrival x = w->shock[j];
            w->shock[j] = w->shock[j - 1];
            w->shock[j - 1] = x;
        }
    r->end_shock = w->nshock;
    return 0;
}

/* Reserve the memory a replication is expected to need: the stock plus an eighth
 * (the caseload grows little beyond the stock; the national baseline peaks at
 * +6%), and the expected regular inflow plus a tenth. More grows on demand. */
static int reserve_population(lm_ws *w)
{
    const lm_params *prm = w->p;
    double stock = 0, inflow = 0;
    for (int r = 0; r < prm->nregions; r++) {
        stock += (double)lround(prm->region[r].caseload);
        inflow += prm->inflow_per_day * prm->region[r].caseload * (prm->burn_in + prm->end);
    }
    if (stock + inflow > (double)UINT32_MAX / 2) return -1;
    if (ensure_capacity(w, (uint32_t)(stock + stock / 8 + 1024)) != 0) return -1;
    return reserve((void **)&w->arrival, (size_t)(inflow * 1.1) + 4096, &w->arrival_cap, sizeof *w->arrival);
}

/* The age shares of a regular newcomer arriving at t: inflow_age_share, with the
 * 18-26s' share times young_inflow_level(t) (capped at 1) and the older bands
 * sharing the rest in the stock's proportions, as inflow_young_share does. Where
 * the level is 1 (and without a path) the shares themselves, so the same uniform
 * picks the same band as without a path; with nobody older in age_shares there
 * is no rest to share, and the level cannot act. */
static const double *arrival_ages(const lm_params *prm, double t, double out[4])
{
    if (prm->young_inflow_level.n == 0) return prm->inflow_age_share;
    double level = lm_path_at(&prm->young_inflow_level, t);
    const double *a = prm->age_share;
    double older = a[1] + a[2] + a[3];
    if (level == 1.0 || older <= 0.0) return prm->inflow_age_share;
    double young = at_most(1.0, prm->inflow_age_share[0] * level);
    out[0] = young;
    for (int b = 1; b < 4; b++) out[b] = (1.0 - young) * a[b] / older;
    return out;
}

/* Create the next person of the region's regular (shock = 0) or shock inflow in
 * a free slot, as they would have been drawn at the start: same id, same
 * attribute streams. Returns the slot, or LM_NONE when out of memory. */
static uint32_t arrive(lm_ws *w, int region, int shock)
{
    region_ws *r = &w->region[region];
    uint32_t s = take_slot(w);
    if (s == LM_NONE) return LM_NONE;
    lm_person *p = &w->people[s];
    if (!shock) {
        uint32_t i = r->next_inflow++;
        double ages[4];
        init_person(w, p, w->nstock + i, region, w->arrival[i], 0.0, arrival_ages(w->p, w->arrival[i], ages));
        return s;
    }
    uint32_t i = r->next_shock++;
    const shock_arrival *a = &w->shock[i];
    init_person(w, p, a->id, region, a->time, 0.0, w->p->age_share);
    p->flags |= LM_F_SHOCK;
    p->shock = (uint8_t)a->shock;
    p->benefit = 1;   /* newly unemployed: WW first */
    double young = w->p->policy->shock[a->shock].inflow_young;
    if (young >= 0) shock_age(w, p, young);
    return s;
}

/* The creation rank of every shock newcomer (creation_order): their ids were
 * given shock by shock, their places in `shock` are in time order. 0, or -1. */
static int rank_shock_inflow(lm_ws *w)
{
    uint32_t first = w->nstock + w->narrival;
    if (reserve((void **)&w->shock_rank, w->nshock, &w->shock_rank_cap, sizeof *w->shock_rank) != 0) return -1;
    for (uint32_t i = 0; i < w->nshock; i++) {
        SIM_ASSERT(w->shock[i].id >= first && w->shock[i].id - first < w->nshock);   /* ids follow the regular inflow's */
        w->shock_rank[w->shock[i].id - first] = i;
    }
    return 0;
}

/* Schedule the region's next regular (shock = 0) or shock arrival, if any. */
static void schedule_arrival(lm_ws *w, int region, int shock)
{
    const region_ws *r = &w->region[region];
    if (!shock && r->next_inflow < r->end_inflow)
        sim_ctx_schedule(w->ctx, w->arrival[r->next_inflow], 0, EV_INFLOW, (uint32_t)region, 0, 0);
    if (shock && r->next_shock < r->end_shock)
        sim_ctx_schedule(w->ctx, w->shock[r->next_shock].time, 0, EV_SHOCK_INFLOW, (uint32_t)region, 0, 0);
}

/* The shocks' extra inflow: drawn, counted as not arrived and its chains
 * started at the origin (every shock date lies on or after it), so the burn-in
 * is the same for scenarios that differ only in their shocks and can be shared
 * (lm_branch). Their ids follow the regular inflow's. 0, or -1 out of memory. */
static int start_shock_inflow(lm_ws *w)
{
    const lm_params *prm = w->p;
    uint32_t next_id = w->nstock + w->narrival;
    w->nshock = 0;
    for (int r = 0; r < prm->nregions; r++)
        if (make_shock_inflow(w, r, &next_id) != 0) return -1;
    if (rank_shock_inflow(w) != 0) return -1;
    for (int r = 0; r < prm->nregions; r++) {
        const region_ws *rw = &w->region[r];
        w->st.count[r][LM_NOT_ARRIVED] += (int32_t)(rw->end_shock - rw->next_shock);
        schedule_arrival(w, r, 1);
    }
    return 0;
}

static void reset_regions(lm_ws *w)
{
    const lm_params *prm = w->p;
    for (int i = 0; i < prm->nregions; i++) {
        region_ws *r = &w->region[i];
        const lm_region_params *rp = &prm->region[i];
        r->not_in_view.n = 0;
        for (int b = 0; b < LM_BANDS; b++) r->pool[b].n = 0;
        for (int k = 0; k < LM_NTRAJ; k++) {
            lm_fifo_reset(&r->queue[k]);
            r->used[k] = 0;
            r->places[k] = (int)lround(rp->places[k]);
        }
        r->coach_used = r->basis_used = 0;
        r->coach_places = (int)lround(rp->jobcoach_places);
        r->basis_places = (int)lround(rp->basisbaan_places);
        r->on_benefit = r->benefit_area = r->last = r->invite_carry = r->young_on_benefit = 0;
        r->maturity = r->floor = lm_policy_initial_maturity(prm->policy, prm, i);
        r->client_managers = rp->client_managers;
        r->suspended = 0;
        r->search_tightness = sqrt(1.3 / rp->tightness);   /* tightness: seed 002 §6.5 */
    }
}

/* Put the stock into its initial state: a share `in_view_share` is in view and is
 * routed at the origin (filling places and queues); the rest waits for profiling. */
static void place_stock(lm_ws *w, uint32_t nstock)
{
    const lm_params *prm = w->p;
    for (uint32_t s = 0; s < nstock; s++) {
        lm_person *p = &w->people[s];
        gsl_rng *r = person_rng(w, p);
        double u = sim_rng_uniform(r), age = sim_rng_uniform(r);
        person_rng_done(w, p);
        if (u >= prm->in_view_share) {
            set_state(w, p, LM_NOT_IN_VIEW, 0);
            schedule_next(w, p);
            continue;
        }
        p->first_view = (float)sim_ctx_now(w->ctx);   /* in view at the start: routed now */
        set_state(w, p, LM_IN_VIEW, 0);
        route(w, p);
        /* Spells in progress at the origin have run for a while: a fixed-length stage
         * (profile, pool spell, queue limit) ends after a uniform share of its length,
         * so the stock does not move in lockstep (and no two events tie). */
        if (p->state == LM_IN_VIEW || p->state == LM_POOL || p->state == LM_WAITING) {
            p->stage_end *= age;
            schedule_next(w, p);
        }
    }
}

void lm_start(void *ws, sim_ctx *ctx)
{
    lm_ws *w = ws;
    const lm_params *prm = w->p;
    SIM_ASSERT(prm->self_exit_powb.k == prm->self_exit_shape);   /* the brackets were built (lm_powb_init) */
    w->ctx = ctx;
    w->seed = sim_ctx_seed(ctx);
    w->rep = sim_ctx_replication(ctx);
    w->rng_id = LM_NONE;
    lm_stats_reset(&w->st);
    reset_regions(w);
    sim_ctx_set_start(ctx, -prm->burn_in);
    sim_ctx_set_end(ctx, prm->end);
    w->origin_pending = prm->burn_in > 0;   /* at the regime change at time 0 (plan_regimes) */
    w->grid_k = 0;
    sim_ctx_set_live(ctx, event_live, w);   /* cancelled far events never reach the heap */
    sim_ctx_set_touch(ctx, event_touch, w);
    w->npeople = w->narrival = w->nshock = 0;
    w->free_head = LM_NONE;
    uint32_t next_id = 0;
    if (reserve_population(w) != 0) { sim_ctx_fail(ctx); return; }
    for (int r = 0; r < prm->nregions; r++)
        if (make_stock(w, r, &next_id) != 0) { sim_ctx_fail(ctx); return; }
    uint32_t nstock = w->nstock = w->npeople;
    for (int r = 0; r < prm->nregions; r++)
        if (make_inflow(w, r, &next_id) != 0) { sim_ctx_fail(ctx); return; }
    for (uint32_t s = 0; s < w->npeople; s++) w->st.count[w->people[s].region][LM_NOT_ARRIVED]++;
    for (int r = 0; r < prm->nregions; r++) {
        region_ws *rw = &w->region[r];
        w->st.count[r][LM_NOT_ARRIVED] += (int32_t)(rw->end_inflow - rw->next_inflow);
        rw->next_shock = rw->end_shock = 0;
    }
    place_stock(w, nstock);
    /* the stock taking its places is the start, not a flow of the horizon */
    memset(w->st.region_starts, 0, sizeof w->st.region_starts);
    memset(w->st.region_ends, 0, sizeof w->st.region_ends);
    plan_regimes(w);
    w->last_regime = -prm->burn_in;
    if (w->nregime > 0) sim_ctx_schedule(ctx, w->regime[0].t, 0, EV_REGIME, 0, 0, 0);
    for (int r = 0; r < prm->nregions; r++) {
        region_ws *rw = &w->region[r];
        sim_rng_stream(rw->vac, w->seed, w->rep, (uint32_t)r, PURPOSE_VACANCY);
        sim_rng_stream(rw->prof, w->seed, w->rep, (uint32_t)r, PURPOSE_PROFILE);
        schedule_arrival(w, r, 0);
        sim_rng_stream(rw->match, w->seed, w->rep, (uint32_t)r, PURPOSE_MATCH);
        start_vacancies(w, r, -prm->burn_in);
        sim_ctx_schedule(ctx, -prm->burn_in + PROFILE_ROUND_DAYS * sim_rng_uniform(rw->prof), 0, EV_PROFILE,
                         (uint32_t)r, 0, 0);
    }
    if (!w->origin_pending && start_shock_inflow(w) != 0) sim_ctx_fail(ctx);   /* else at the origin */
    /* The purge's baseline is the queue the start leaves, superseded events included
     * (17-33% of it by the first regime event's count). Counting from 0
     * made the first regime event sweep the whole queue for them: 33 ms at scale 1,
     * 102 ms at scale 2 (bench/RESULTS.md, session 25), while the far tier drops each
     * when its bucket comes forward, with the same live test the sweep makes. */
    w->live_events = sim_ctx_pending(ctx);
}

/* ------------------------------------------------- a shared burn-in -- */

/* Scenario b runs exactly as a up to the origin when a has a burn-in and the two
 * differ only in their policy, and only where the policy acts from the origin on:
 * every parameter before `policy` in lm_params is the same (a flat struct, calloc'd
 * by lm_params_create, so its padding is zero and memcmp compares values), and so
 * are the two policy values that act before it, the initial maturity offset and
 * the maturity decay. Programme, shock, suspension and diversion dates are on or
 * after the origin (lm_policy.c refuses earlier ones), and the shocks' extra
 * inflow is drawn at the origin (start_shock_inflow). Returns 0 (the origin), or
 * NAN when b needs its own burn-in. */
double lm_branch_time(const void *pa, const void *pb)
{
    const lm_params *a = pa, *b = pb;
    if (!(a->burn_in > 0) || memcmp(a, b, offsetof(lm_params, policy)) != 0) return NAN;
    if (a->policy->maturity_offset != b->policy->maturity_offset
        || a->policy->maturity_decay != b->policy->maturity_decay)
        return NAN;
    return 0.0;
}

/* Copy src's region state into w's, keeping w's own index memory and streams. */
static int copy_region(region_ws *d, const region_ws *s)
{
    lm_idset nv = d->not_in_view, pool[LM_BANDS];
    memcpy(pool, d->pool, sizeof pool);
    gsl_rng *vac = d->vac, *match = d->match, *prof = d->prof;
    *d = *s;
    d->not_in_view = nv;
    memcpy(d->pool, pool, sizeof pool);
    d->vac = vac, d->match = match, d->prof = prof;
    int fail = lm_idset_copy(&d->not_in_view, &s->not_in_view);
    for (int b = 0; b < LM_BANDS; b++) fail |= lm_idset_copy(&d->pool[b], &s->pool[b]);
    gsl_rng_memcpy(d->vac, s->vac);
    gsl_rng_memcpy(d->match, s->match);
    gsl_rng_memcpy(d->prof, s->prof);
    return fail ? -1 : 0;
}

/* Continue from src, advanced to the origin (lm_branch_time), with w's own
 * parameters: the people, the regions, the counters and the regime position are
 * src's; the regime table is planned from w's policy (the same up to the origin,
 * whose pending event ctx holds); the shocks' extra inflow is drawn when that
 * event is handled, as in w's own run. */
int lm_branch(void *ws, const void *srcv, sim_ctx *ctx)
{
    lm_ws *w = ws;
    const lm_ws *s = srcv;
    SIM_ASSERT(s->origin_pending && s->nshock == 0 && w->p->nregions == s->p->nregions);
    if (ensure_capacity(w, s->npeople) != 0
        || reserve((void **)&w->arrival, s->narrival, &w->arrival_cap, sizeof *w->arrival) != 0)
        return -1;
    memcpy(w->people, s->people, (size_t)s->npeople * sizeof *w->people);
    if (s->narrival) memcpy(w->arrival, s->arrival, (size_t)s->narrival * sizeof *w->arrival);
    for (int g = 0; g < s->p->nregions; g++)
        if (copy_region(&w->region[g], &s->region[g]) != 0) return -1;
    w->npeople = s->npeople, w->free_head = s->free_head;
    w->narrival = s->narrival, w->nstock = s->nstock, w->nshock = 0;
    w->rng_id = LM_NONE;   /* w->rng is re-keyed at the next draw */
    w->ctx = ctx;
    w->st = s->st;
    w->last_regime = s->last_regime;
    w->origin_pending = s->origin_pending;
    w->grid_k = s->grid_k;
    w->trace_cost = s->trace_cost;
    w->live_events = s->live_events;
    w->seed = s->seed, w->rep = s->rep;
    plan_regimes(w);
    for (int i = 0; i < w->nregime && w->regime[i].t <= 0.0; i++)   /* lm_branch_time: the same up to the origin */
        SIM_ASSERT(i < s->nregime && w->regime[i].t == s->regime[i].t && w->regime[i].grid == s->regime[i].grid);
    sim_ctx_set_live(ctx, event_live, w);
    sim_ctx_set_touch(ctx, event_touch, w);
    return 0;
}

/* ------------------------------------------------------------ workspace -- */

void *lm_ws_create(const void *params)
{
    lm_ws *w = calloc(1, sizeof *w);
    if (!w) return NULL;
    w->p = params;
    w->rng = sim_rng_create();
    w->regime_cap = regime_capacity(w->p);
    w->regime = malloc((size_t)w->regime_cap * sizeof *w->regime);
    w->gl = gsl_integration_glfixed_table_alloc(GL_NODES);
    int ok = w->rng != NULL && w->regime != NULL && w->gl != NULL;
    for (int r = 0; ok && r < w->p->nregions; r++) {
        w->region[r].vac = sim_rng_create();
        w->region[r].prof = sim_rng_create();
        w->region[r].match = sim_rng_create();
        ok = w->region[r].vac && w->region[r].prof && w->region[r].match;
    }
    if (!ok) { lm_ws_destroy(w); return NULL; }
    return w;
}

void lm_ws_destroy(void *ws)
{
    lm_ws *w = ws;
    if (!w) return;
    for (int r = 0; r < LM_MAX_REGIONS; r++) {
        lm_idset_free(&w->region[r].not_in_view);
        for (int b = 0; b < LM_BANDS; b++) lm_idset_free(&w->region[r].pool[b]);
        if (w->region[r].vac) gsl_rng_free(w->region[r].vac);
        if (w->region[r].prof) gsl_rng_free(w->region[r].prof);
        if (w->region[r].match) gsl_rng_free(w->region[r].match);
    }
    if (w->rng) gsl_rng_free(w->rng);
    free(w->regime);
    if (w->gl) gsl_integration_glfixed_table_free(w->gl);
    sim_pages_free(w->people, w->cap * sizeof *w->people);
    free(w->scratch);
    free(w->arrival);
    free(w->shock);
    free(w->shock_rank);
    free(w);
}

/* ---------------------------------------------------- observe and finish -- */

static int in_subsidised_job(const lm_ws *w, const lm_person *p, const void *arg)
{
    (void)w, (void)arg;
    return p->state == LM_PLACED && (p->flags & LM_F_SUBSIDY);
}

void lm_settle_costs(lm_ws *w, double t)
{
    const lm_params *prm = w->p;
    uint32_t n = in_creation_order(w, in_subsidised_job, NULL);   /* a sum: its order shows in the last bits */
    for (uint32_t i = 0; i < n; i++) {
        const lm_person *p = scratch_person(w, i);
        w->st.cost_subsidies += fmin(t - p->state_since, prm->subsidy_max_days) * prm->subsidy_per_month / LM_DAYS_PER_MONTH;
    }
}

const lm_stats *lm_ws_stats(const lm_ws *w) { return &w->st; }
lm_stats *lm_ws_stats_mut(lm_ws *w) { return &w->st; }
const lm_params *lm_ws_params(const lm_ws *w) { return w->p; }
double lm_region_on_benefit(const lm_ws *w, int region) { return w->region[region].on_benefit; }
double lm_region_maturity(const lm_ws *w, int region) { return w->region[region].maturity; }
double lm_region_on_benefit_young(const lm_ws *w, int region) { return w->region[region].young_on_benefit; }
const lm_person *lm_ws_people(const lm_ws *w, uint32_t *n) { *n = w->npeople; return w->people; }

double lm_region_benefit_days(const lm_ws *w, int region, double t)
{
    const region_ws *r = &w->region[region];
    return r->benefit_area + r->on_benefit * (t - r->last);
}

double lm_region_place_use(const lm_ws *w, int region, double *places)
{
    double used = 0;
    *places = 0;
    for (int k = 0; k < LM_NTRAJ; k++) {
        used += w->region[region].used[k];
        *places += w->region[region].places[k];
    }
    return used;
}
