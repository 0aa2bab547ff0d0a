/* lm_policy.c: reading and evaluating programmes, shocks and cooperation.
 * Money becomes capacity as follows (per region r, per programme):
 *   effective money  M = budget * (1 - underspend) * (1 - substitution_r),
 *   substitution_r   = clamp(substitution - substitution_maturity * maturity_r),
 *   instrument i     places = M * spend_i / unit_cost_i * mean_duration_i / spend_days,
 *   staff            FTE    = M * spend_staff / (FTE cost per day * spend_days),
 * where spend_days is the execution window after ramp-up (structural: one year,
 * and M is the yearly budget). Places close at the end; participants finish. */
#include "lm_policy.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const spend_names[LM_NSPEND] = {
    "barrier_removal", "workfit", "praktijkleren", "bbl", "sector_training", "retraining",
    "jobcoach", "client_managers", "cooperation"};
static const char *const kind_names[] = {"incidental", "structural"};

#define MONTH LM_DAYS_PER_MONTH

/* 1 if `part` occurs in `whole`, letters compared without case. */
static int contains_nocase(const char *whole, const char *part)
{
    size_t n = strlen(part);
    for (; n && *whole; whole++)
        if (strncasecmp(whole, part, n) == 0) return 1;
    return 0;
}

/* The region whose name is nearest to `name` within a typing slip (sim_config_near, without
 * case; the first of equals), or -1. */
static int nearest_by_spelling(const lm_params *p, const char *name)
{
    int best = -1, bestd = SIM_CONFIG_NEAR + 1;
    for (int r = 0; r < p->nregions; r++) {
        int d = sim_config_near(name, p->region[r].name, 1);
        if (d < bestd) best = r, bestd = d;
    }
    return best;
}

/* Into out: 'did you mean "A" or "B"? ' with the region names nearest to `name`: the
 * same name in another case, else names that contain it (3 letters or more) or that it
 * contains (at most three), else the one nearest by spelling; '' when none is near. */
static void nearest_regions(const lm_params *p, const char *name, char *out, size_t size)
{
    int hit[3], n = 0;
    for (int r = 0; r < p->nregions && n < 1; r++)
        if (strcasecmp(p->region[r].name, name) == 0) hit[n++] = r;
    if (n == 0)
        for (int r = 0; *name && r < p->nregions && n < 3; r++)
            if ((strlen(name) >= 3 && contains_nocase(p->region[r].name, name)) || contains_nocase(name, p->region[r].name))
                hit[n++] = r;
    if (n == 0) hit[0] = nearest_by_spelling(p, name), n = hit[0] >= 0;
    size_t k = 0;
    out[0] = 0;
    for (int i = 0; i < n && k < size; i++)
        k += (size_t)snprintf(out + k, size - k, "%s\"%s\"", i == 0 ? "did you mean " : i == n - 1 ? " or " : ", ",
                              p->region[hit[i]].name);
    if (n && k < size) snprintf(out + k, size - k, "? ");
}

/* Regions named in list `key` ("all" = every region); records unknown names, with the
 * nearest valid names (a web user cannot look into regions.cfg). */
static uint64_t read_regions(sim_config *c, sim_node *g, const lm_params *p)
{
    int n = 0;
    sim_node *list = sim_cfg_list(c, g, "regions", &n);
    uint64_t bits = 0;
    for (int i = 0; list && i < n; i++) {
        const char *name = sim_cfg_string(c, sim_cfg_elem(list, i), NULL);
        if (strcmp(name, "all") == 0) { bits = ~(uint64_t)0; continue; }
        int found = -1;
        for (int r = 0; r < p->nregions; r++)
            if (strcmp(p->region[r].name, name) == 0) found = r;
        if (found < 0) {
            char near[400], all[LM_MAX_REGIONS * 48];
            nearest_regions(p, name, near, sizeof near);
            if (near[0]) {
                sim_config_error(c, sim_cfg_elem(list, i), "unknown region \"%s\" (%sallowed: \"all\" or one of the %d "
                                 "region names, see scenarios/regions.cfg)", name, near, p->nregions);
                continue;
            }
            size_t k = 0;   /* nothing near: every name, since the page's user cannot open regions.cfg */
            all[0] = 0;
            for (int r = 0; r < p->nregions && k < sizeof all; r++)
                k += (size_t)snprintf(all + k, sizeof all - k, ", \"%s\"", p->region[r].name);
            sim_config_error(c, sim_cfg_elem(list, i), "unknown region \"%s\" (allowed: \"all\"%s)", name, all);
        }
        else bits |= (uint64_t)1 << found;
    }
    if (list && n == 0) sim_config_error(c, list, "empty region list (allowed: \"all\" or region names)");
    return bits;
}

static int in_region(uint64_t bits, int r) { return (int)((bits >> r) & 1u); }

static void read_tranches(sim_config *c, sim_node *g, lm_programme *pr)
{
    int n = 0;
    sim_node *list = sim_cfg_list(c, g, "tranches", &n);
    if (list && n > LM_MAX_TRANCHES) sim_config_error(c, list, "%d tranches (allowed: 0 to %d)", n, LM_MAX_TRANCHES);
    pr->ntranches = n > LM_MAX_TRANCHES ? LM_MAX_TRANCHES : n;
    double sum = 0;
    for (int i = 0; i < pr->ntranches; i++) {
        sim_node *t = sim_cfg_elem(list, i);
        pr->tranche_t[i] = sim_cfg_date(c, t, "date", 0.0, SIM_DATE_NO_LIMIT);
        sum += pr->tranche_share[i] = sim_cfg_real(c, t, "share", 0.0, 1.0);
        if (pr->tranche_t[i] > pr->end)
            sim_config_error(c, t, "tranche after the programme end (allowed: on or before the end date)");
        if (i > 0 && pr->tranche_t[i] < pr->tranche_t[i - 1])
            sim_config_error(c, t, "tranche dates go back in time (allowed: non-decreasing dates)");
    }
    if (n > 0 && fabs(sum - 1.0) > 1e-6) sim_config_error(c, list, "tranche shares sum to %g (allowed: they must sum to 1)", sum);
}

static void read_programme(sim_config *c, sim_node *g, const lm_params *p, lm_programme *pr)
{
    sim_cfg_name(c, g, "name", pr->name, sizeof pr->name);
    pr->structural = sim_cfg_enum(c, g, "kind", kind_names, 2);
    pr->regions = read_regions(c, g, p);
    pr->budget = sim_cfg_real(c, g, "budget_per_region", 0.0, 1e10) * p->scale;   /* money scales with the population */
    size_t nerr = sim_config_nerrors(c);
    pr->start = sim_cfg_date(c, g, "start", 0.0, p->end);
    size_t nerr_end = sim_config_nerrors(c);
    pr->end = sim_cfg_date(c, g, "end", 0.0, SIM_DATE_NO_LIMIT);
    if (sim_config_nerrors(c) > nerr_end) pr->end = p->end;   /* reported; no second report from the tranches */
    if (pr->end <= pr->start && sim_config_nerrors(c) == nerr)   /* a date missing or bad is reported already */
        sim_config_error(c, sim_cfg_lookup(c, g, "end"), "end is not after start (allowed: a later date)");
    read_tranches(c, g, pr);
    pr->ramp_up = sim_cfg_real(c, g, "ramp_up_months", 0.0, 120.0) * MONTH;
    pr->weak_extra = sim_cfg_real(c, g, "weak_extra_months", 0.0, 120.0) * MONTH;
    pr->underspend = sim_cfg_real(c, g, "underspend", 0.0, 1.0);
    pr->substitution = sim_cfg_real(c, g, "substitution", 0.0, 1.0);
    pr->substitution_maturity = sim_cfg_real(c, g, "substitution_maturity", 0.0, 1.0);
    pr->maturity_gain = sim_cfg_real(c, g, "maturity_gain_per_year", 0.0, 10.0) / 365.25;
    pr->coop_full = sim_cfg_has(c, g, "cooperation_money_for_full_gain")   /* optional: 0 is the rule before it */
                  ? sim_cfg_real(c, g, "cooperation_money_for_full_gain", 0.0, 1e10) * p->scale : 0.0;
    sim_node *s = sim_cfg_group(c, g, "spending");
    double sum = 0;
    for (int i = 0; s && i < LM_NSPEND; i++) sum += pr->spend[i] = sim_cfg_real(c, s, spend_names[i], 0.0, 1.0);
    if (s && fabs(sum - 1.0) > 1e-6) sim_config_error(c, s, "spending shares sum to %g (allowed: they must sum to 1)", sum);
}

static void read_windows(sim_config *c, sim_node *g, lm_shock *sh)
{
    int n = 0;
    sim_node *list = sim_cfg_list(c, g, "suspensions", &n);
    if (list && n > LM_MAX_WINDOWS) sim_config_error(c, list, "%d windows (allowed: 0 to %d)", n, LM_MAX_WINDOWS);
    sh->nsusp = n > LM_MAX_WINDOWS ? LM_MAX_WINDOWS : n;
    for (int i = 0; i < sh->nsusp; i++) {
        sim_node *wn = sim_cfg_elem(list, i);
        sh->susp_start[i] = sim_cfg_date(c, wn, "start", 0.0, SIM_DATE_NO_LIMIT);
        sh->susp_end[i] = sim_cfg_date(c, wn, "end", 0.0, SIM_DATE_NO_LIMIT);
        if (sh->susp_end[i] <= sh->susp_start[i])
            sim_config_error(c, wn, "suspension ends before it starts (allowed: end after start)");
        if (i > 0 && sh->susp_start[i] < sh->susp_end[i - 1])
            sim_config_error(c, wn, "suspension windows overlap (allowed: each starts after the previous ends)");
    }
}

/* extra_inflow.held_until and held_factor: optional, as a pair; without them the newcomers'
 * multiplier is search_factor throughout (held_until = -INFINITY). */
static void read_held(sim_config *c, sim_node *in, lm_shock *sh)
{
    int has_until = sim_cfg_has(c, in, "held_until"), has_factor = sim_cfg_has(c, in, "held_factor");
    sh->held_until = -INFINITY;
    sh->held_factor = sh->search_factor;
    if (has_until) sh->held_until = sim_cfg_date(c, in, "held_until", 0.0, SIM_DATE_NO_LIMIT);
    if (has_factor) sh->held_factor = sim_cfg_real(c, in, "held_factor", 0.0, 10.0);
    if (has_until && sh->held_until < sh->inflow_start)
        sim_config_error(c, sim_cfg_lookup(c, in, "held_until"),
                         "held_until before extra_inflow.start (allowed: on or after start)");
    if (has_until != has_factor)
        sim_config_error(c, sim_cfg_lookup(c, in, has_until ? "held_until" : "held_factor"),
                         "held_until and held_factor come as a pair (allowed: both, or neither)");
}

double lm_shock_search_factor(const lm_shock *sh, double t)
{
    return t < sh->held_until ? sh->held_factor : sh->search_factor;
}

static void read_shock(sim_config *c, sim_node *g, const lm_params *p, lm_shock *sh)
{
    sim_cfg_name(c, g, "name", sh->name, sizeof sh->name);
    sh->regions = read_regions(c, g, p);
    sh->onset = sim_cfg_date(c, g, "onset", 0.0, p->end);
    lm_path_read(c, g, "demand", &sh->demand);
    sh->search_factor = sh->held_factor = 1.0;
    sh->held_until = -INFINITY;   /* no extra inflow: no newcomers, nothing held */
    sim_node *in = sim_cfg_group(c, g, "extra_inflow");
    if (in) {
        sh->inflow = sim_cfg_real(c, in, "per_month", 0.0, 1.0) / MONTH;
        sh->inflow_start = sim_cfg_date(c, in, "start", 0.0, SIM_DATE_NO_LIMIT);
        sh->inflow_young = sim_cfg_has(c, in, "young_share") ? sim_cfg_real(c, in, "young_share", 0.0, 1.0) : -1.0;
        sh->inflow_end = sim_cfg_date(c, in, "end", 0.0, SIM_DATE_NO_LIMIT);
        sh->inflow_decay = sim_cfg_has(c, in, "decay_months") ? sim_cfg_real(c, in, "decay_months", 0.1, 120.0) * MONTH : 0.0;
        sh->search_factor = sim_cfg_has(c, in, "search_factor") ? sim_cfg_real(c, in, "search_factor", 0.1, 10.0) : 1.0;
        read_held(c, in, sh);
        if (sh->inflow_end < sh->inflow_start) sim_config_error(c, in, "end before start (allowed: end on or after start)");
    }
    read_windows(c, g, sh);
    sim_node *d = sim_cfg_group(c, g, "staff_diverted");
    if (d) {
        sh->staff_diverted = sim_cfg_real(c, d, "share", 0.0, 1.0);
        sh->divert_start = sim_cfg_date(c, d, "start", 0.0, SIM_DATE_NO_LIMIT);
        sh->divert_end = sim_cfg_date(c, d, "end", 0.0, SIM_DATE_NO_LIMIT);
        if (sh->divert_end < sh->divert_start) sim_config_error(c, d, "end before start (allowed: end on or after start)");
    }
    sh->online_share = sim_cfg_real(c, g, "online_share", 0.0, 1.0);
    sh->online_effect = sim_cfg_real(c, g, "online_effect", 0.0, 1.0);
    sh->employer_availability = sim_cfg_real(c, g, "employer_availability", 0.0, 1.0);
}

void lm_policy_read(sim_config *c, lm_params *p, lm_policy *pol)
{
    memset(pol, 0, sizeof *pol);
    int n = 0;
    sim_node *list = sim_cfg_has(c, NULL, "programmes") ? sim_cfg_list(c, NULL, "programmes", &n) : NULL;
    if (list && n > LM_MAX_PROGRAMMES) sim_config_error(c, list, "%d programmes (allowed: 0 to %d)", n, LM_MAX_PROGRAMMES);
    pol->nprog = n > LM_MAX_PROGRAMMES ? LM_MAX_PROGRAMMES : n;
    for (int i = 0; i < pol->nprog; i++) read_programme(c, sim_cfg_elem(list, i), p, &pol->prog[i]);
    list = sim_cfg_has(c, NULL, "shocks") ? sim_cfg_list(c, NULL, "shocks", &n) : NULL;
    if (!list) n = 0;
    if (list && n > LM_MAX_SHOCKS) sim_config_error(c, list, "%d shocks (allowed: 0 to %d)", n, LM_MAX_SHOCKS);
    pol->nshock = n > LM_MAX_SHOCKS ? LM_MAX_SHOCKS : n;
    for (int i = 0; i < pol->nshock; i++) read_shock(c, sim_cfg_elem(list, i), p, &pol->shock[i]);
    sim_node *co = sim_cfg_has(c, NULL, "cooperation") ? sim_cfg_group(c, NULL, "cooperation") : NULL;
    if (co) pol->maturity_offset = sim_cfg_real(c, co, "maturity_offset", -1.0, 1.0);
    sim_node *lm = sim_cfg_lookup(c, NULL, "labour_market");
    if (lm) pol->maturity_decay = sim_cfg_real(c, lm, "maturity_decay_per_year", 0.0, 10.0) / 365.25;
}

/* ------------------------------------------------------------ evaluation -- */

static int shock_applies(const lm_shock *s, int r, double t) { return in_region(s->regions, r) && t >= s->onset; }

double lm_policy_demand(const lm_policy *pol, int r, double t)
{
    double m = 1.0;
    for (int i = 0; i < pol->nshock; i++)
        if (shock_applies(&pol->shock[i], r, t)) m *= lm_path_at(&pol->shock[i].demand, t);
    return m;
}

int lm_policy_suspended(const lm_policy *pol, int r, double t)
{
    return lm_policy_suspension_end(pol, r, t) > t;
}

double lm_policy_suspension_end(const lm_policy *pol, int r, double t)
{
    for (int i = 0; i < pol->nshock; i++) {
        const lm_shock *s = &pol->shock[i];
        for (int k = 0; in_region(s->regions, r) && k < s->nsusp; k++)
            if (t >= s->susp_start[k] && t < s->susp_end[k]) return s->susp_end[k];
    }
    return t;
}

double lm_policy_staff(const lm_policy *pol, int r, double t)
{
    double f = 1.0;
    for (int i = 0; i < pol->nshock; i++) {
        const lm_shock *s = &pol->shock[i];
        if (in_region(s->regions, r) && t >= s->divert_start && t < s->divert_end) f *= 1.0 - s->staff_diverted;
    }
    return f;
}

double lm_policy_employers(const lm_policy *pol, int r, double t)
{
    double f = 1.0;
    for (int i = 0; i < pol->nshock; i++)
        if (lm_policy_suspended(pol, r, t) && in_region(pol->shock[i].regions, r))
            f *= pol->shock[i].employer_availability;
    return f;
}

void lm_policy_online(const lm_policy *pol, int r, double t, double *share, double *effect)
{
    *share = 0.0;
    *effect = 1.0;
    for (int i = 0; i < pol->nshock; i++)
        if (shock_applies(&pol->shock[i], r, t)) {
            *share = pol->shock[i].online_share;
            *effect = pol->shock[i].online_effect;
        }
}

/* Day from which programme money buys capacity in region r. */
static double capacity_from(const lm_programme *pr, double m0)
{
    double from = pr->start + pr->ramp_up + (m0 < 0.5 ? pr->weak_extra : 0.0);
    if (pr->ntranches > 0 && pr->tranche_t[0] > from) from = pr->tranche_t[0];
    return from;
}

/* Cumulative distribution and quantile of a duration family (GSL), in days. */
static double duration_cdf(const lm_duration *d, double x)
{
    switch (d->family) {
    case LM_WEIBULL: return gsl_cdf_weibull_P(x, d->median / pow(log(2.0), 1.0 / d->shape), d->shape);
    case LM_LOGNORMAL: return x > 0 ? gsl_cdf_lognormal_P(x, log(d->median), d->shape) : 0.0;
    default: return gsl_cdf_exponential_P(x, d->median / log(2.0));
    }
}

static double duration_quantile(const lm_duration *d, double p)
{
    switch (d->family) {
    case LM_WEIBULL: return gsl_cdf_weibull_Pinv(p, d->median / pow(log(2.0), 1.0 / d->shape), d->shape);
    case LM_LOGNORMAL: return gsl_cdf_lognormal_Pinv(p, log(d->median), d->shape);
    default: return gsl_cdf_exponential_Pinv(p, d->median / log(2.0));
    }
}

/* Mean of the duration truncated to [min, max] (the model redraws outside it):
 * midpoint rule in probability space between F(min) and F(max). */
static double mean_duration(const lm_duration *d)
{
    enum { N = 512 };
    double lo = duration_cdf(d, d->min), hi = duration_cdf(d, d->max), sum = 0.0;
    if (!(hi > lo)) return 0.5 * (d->min + d->max);
    for (int i = 0; i < N; i++) sum += duration_quantile(d, lo + (hi - lo) * (i + 0.5) / N);
    return sum / N;
}

/* Effective money per day of spending, or 0 when not active at t. */
static double money_per_day(const lm_programme *pr, int r, double t, double m0)
{
    if (!in_region(pr->regions, r)) return 0.0;
    double from = capacity_from(pr, m0);
    if (t < from || t >= pr->end) return 0.0;
    double subst = fmin(1.0, fmax(0.0, pr->substitution - pr->substitution_maturity * m0));
    double money = pr->budget * (1.0 - pr->underspend) * (1.0 - subst);
    return pr->structural ? money / 365.25 : money / (pr->end - from);
}

/* The part of a programme's maturity gain its cooperation money buys: 1 without a
 * cooperation_money_for_full_gain (any funded cooperation work, the rule before it), else
 * the effective cooperation money per year over that amount, at most 1. */
static double gain_part(const lm_programme *pr, double perday)
{
    if (pr->coop_full <= 0.0) return 1.0;
    double per_year = perday * pr->spend[LM_SPEND_COOPERATION] * 365.25;
    return per_year >= pr->coop_full ? 1.0 : per_year / pr->coop_full;
}

double lm_policy_initial_maturity(const lm_policy *pol, const lm_params *p, int r)
{
    return fmin(1.0, fmax(0.0, p->region[r].maturity + pol->maturity_offset));
}

double lm_policy_capacity(const lm_policy *pol, const lm_params *p, int r, double t,
                          double places[LM_NTRAJ], double *coach, double *staff)
{
    double m0 = lm_policy_initial_maturity(pol, p, r);
    double gain = 0.0;
    for (int i = 0; i < LM_NTRAJ; i++) places[i] = 0.0;
    *coach = *staff = 0.0;
    for (int k = 0; k < pol->nprog; k++) {
        const lm_programme *pr = &pol->prog[k];
        double perday = money_per_day(pr, r, t, m0);
        if (perday <= 0) continue;
        for (int i = 0; i < LM_NTRAJ; i++)
            if (p->traj[i].unit_cost > 0 && (p->region[r].portfolio >> i & 1u))
                places[i] += perday * pr->spend[i] / p->traj[i].unit_cost * mean_duration(&p->traj[i].duration);
        if (p->jobcoach_cost > 0) *coach += perday * pr->spend[LM_SPEND_JOBCOACH] / p->jobcoach_cost * p->jobcoach_days;
        if (p->cm_per_day > 0) *staff += perday * pr->spend[LM_SPEND_STAFF] / p->cm_per_day;
        if (pr->spend[LM_SPEND_COOPERATION] > 0) gain += pr->maturity_gain * gain_part(pr, perday);
    }
    return gain;
}

/* Appends t (a time after the origin; the origin is a regime time of its own). The caller's
 * array holds LM_MAX_BOUNDARIES, the most a scenario within the limits can have. */
static int add_time(double *out, int n, int max, double t)
{
    SIM_ASSERT(n < max || !(t > 0));
    if (n < max && t > 0) out[n++] = t;
    return n;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int lm_policy_boundaries(const lm_policy *pol, double *out, int max)
{
    int n = 0;
    for (int k = 0; k < pol->nprog; k++) {
        const lm_programme *pr = &pol->prog[k];
        n = add_time(out, n, max, pr->start);
        n = add_time(out, n, max, pr->start + pr->ramp_up);
        n = add_time(out, n, max, pr->start + pr->ramp_up + pr->weak_extra);
        n = add_time(out, n, max, pr->end);
        for (int i = 0; i < pr->ntranches; i++) n = add_time(out, n, max, pr->tranche_t[i]);
    }
    for (int k = 0; k < pol->nshock; k++) {
        const lm_shock *s = &pol->shock[k];
        n = add_time(out, n, max, s->onset);
        for (int i = 0; i < s->nsusp; i++) {
            n = add_time(out, n, max, s->susp_start[i]);
            n = add_time(out, n, max, s->susp_end[i]);
        }
        n = add_time(out, n, max, s->divert_start);
        n = add_time(out, n, max, s->divert_end);
        if (isfinite(s->held_until)) n = add_time(out, n, max, s->held_until);
    }
    qsort(out, (size_t)n, sizeof *out, cmp_double);
    return n;
}
