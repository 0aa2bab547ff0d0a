/* lm_config.c: reads the labour_market group of a scenario into lm_params,
 * converting months to days and checking every range and every share sum.
 * All problems are recorded in the sim_config (file:line), none stops reading. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lm.h"
#include "lm_policy.h"

const char *const lm_traj_names[LM_NTRAJ] = {
    "barrier_removal", "workfit", "praktijkleren", "bbl", "sector_training", "retraining"};
const char *const lm_place_names[LM_NPLACE] = {
    "regular", "learn_work", "basisbaan", "trial_placement", "secondment", "internship"};
const char *const lm_state_names[LM_NSTATES] = {
    "not_in_view", "in_view", "waiting", "in_programme", "matching_pool", "placed",
    "durable_work", "exit_work", "exit_other", "not_arrived"};

/* Portfolio vocabulary of regions.cfg: bit i set = adopted. Always-on basics included. */
static const char *const portfolio_names[] = {
    "barrier_removal", "workfit", "praktijkleren", "bbl", "sector_training", "retraining",
    "regular", "learn_work", "basisbaan", "trial_placement", "secondment", "internship",
    "profiling", "jobcoach", "wage_subsidy"};
#define PORTFOLIO_PLACE(i) (1u << (LM_NTRAJ + (i)))
#define PORTFOLIO_JOBCOACH (1u << 13)
#define PORTFOLIO_SUBSIDY (1u << 14)

const char *const lm_wsp_names[3] = {"regional", "central_sub", "subregional"};
const char *const lm_pool_names[3] = {"joint", "depends", "own"};
static const char *const family_names[] = {"exponential", "weibull", "lognormal"};

#define MONTH LM_DAYS_PER_MONTH

static double months(sim_config *c, sim_node *g, const char *key, double lo, double hi)
{
    return sim_cfg_real(c, g, key, lo, hi) * MONTH;
}

static double per_month(sim_config *c, sim_node *g, const char *key, double hi)
{
    return sim_cfg_real(c, g, key, 0.0, hi) / MONTH;
}

/* Read a numeric array of exactly n values in [lo, hi]; if `sum1`, they must sum to 1. */
static void read_vector(sim_config *c, sim_node *g, const char *key, double *out, int n,
                        double lo, double hi, int sum1)
{
    int len = 0;
    sim_node *a = sim_cfg_list(c, g, key, &len);
    if (!a) return;
    if (len != n) {
        sim_config_error(c, a, "expected %d values, got %d", n, len);
        return;
    }
    double sum = 0;
    for (int i = 0; i < n; i++) sum += out[i] = sim_cfg_real(c, sim_cfg_elem(a, i), NULL, lo, hi);
    if (sum1 && fabs(sum - 1.0) > 1e-6)
        sim_config_error(c, a, "shares sum to %.6g (allowed: they must sum to 1)", sum);
}

static void read_duration(sim_config *c, sim_node *g, lm_duration *d)
{
    sim_node *h = sim_cfg_group(c, g, "duration");
    if (!h) return;
    d->family = (lm_family)sim_cfg_enum(c, h, "family", family_names, 3);
    d->median = months(c, h, "median_months", 0.2, 60.0);
    d->shape = sim_cfg_real(c, h, "shape", 0.05, 10.0);
    d->min = months(c, h, "min_months", 0.0, 600.0);
    d->max = months(c, h, "max_months", 0.0, 600.0);
    if (!(d->min <= d->median && d->median <= d->max))
        sim_config_error(c, h, "median_months must lie within min_months..max_months (allowed: min <= median <= max)");
}

static void read_traj(sim_config *c, sim_node *instr, int i, lm_params *p)
{
    lm_traj_params *t = &p->traj[i];
    sim_node *g = sim_cfg_group(c, instr, lm_traj_names[i]);
    if (!g) return;
    read_duration(c, g, &t->duration);
    t->places_per_1000 = sim_cfg_real(c, g, "places_per_1000", 0.0, 1000.0);
    t->unit_cost = sim_cfg_real(c, g, "unit_cost", 0.0, 1e6);
    t->dropout = per_month(c, g, "dropout_per_month", 1.0);
    t->lock_in = sim_cfg_real(c, g, "lock_in", 0.0, 1.0);
    t->improve = sim_cfg_real(c, g, "improve", 0.0, 1.0);
    t->hard_gain = sim_cfg_real(c, g, "hard_gain", 0.0, 1.0);
    t->soft_gain = sim_cfg_real(c, g, "soft_gain", 0.0, 1.0);
    t->boost = sim_cfg_real(c, g, "boost", 0.0, 10.0);
    t->boost_days = months(c, g, "boost_months", 0.0, 120.0);
    t->job_guarantee = sim_cfg_real(c, g, "job_guarantee", 0.0, 1.0);
    p->training_weight[i] = sim_cfg_real(c, g, "choice_weight", 0.0, 1000.0);
}

static void read_place(sim_config *c, sim_node *pl, int i, lm_params *p)
{
    lm_place_params *t = &p->place[i];
    sim_node *g = sim_cfg_group(c, pl, lm_place_names[i]);
    if (!g) return;
    t->weight = sim_cfg_real(c, g, "weight", 0.0, 1000.0);
    t->accept = sim_cfg_real(c, g, "accept_multiplier", 0.0, 10.0);
    t->loss = sim_cfg_real(c, g, "job_loss_multiplier", 0.0, 10.0);
    t->benefit_continues = sim_cfg_bool(c, g, "benefit_continues");
    t->convert_days = months(c, g, "convert_months", 0.0, 60.0);
    t->convert_p = sim_cfg_real(c, g, "convert_probability", 0.0, 1.0);
    t->cost = sim_cfg_real(c, g, "cost", 0.0, 1e6);
}

static unsigned read_portfolio(sim_config *c, sim_node *r)
{
    int n = 0;
    sim_node *a = sim_cfg_list(c, r, "portfolio", &n);
    unsigned bits = PORTFOLIO_PLACE(LM_P_REGULAR);
    for (int i = 0; a && i < n; i++)
        bits |= 1u << sim_cfg_enum(c, sim_cfg_elem(a, i), NULL, portfolio_names,
                                   (int)SIM_ARRAY_LEN(portfolio_names));
    return bits;
}

static void read_region(sim_config *c, sim_node *r, lm_region_params *rp, double scale)
{
    sim_cfg_name(c, r, "name", rp->name, sizeof rp->name);
    rp->caseload = sim_cfg_real(c, r, "caseload", 1.0, 1e7) * scale;
    rp->wsp = sim_cfg_enum(c, r, "wsp", lm_wsp_names, 3);
    rp->pool = sim_cfg_enum(c, r, "pool", lm_pool_names, 3);
    rp->vacancy_sharing = sim_cfg_bool(c, r, "vacancy_sharing");
    rp->maturity = sim_cfg_real(c, r, "maturity", 0.0, 1.0);
    rp->client_managers = sim_cfg_real(c, r, "client_managers", 0.0, 1e5) * scale;
    rp->account_managers = sim_cfg_real(c, r, "account_managers", 0.0, 1e5) * scale;
    rp->tightness = sim_cfg_real(c, r, "tightness", 0.05, 20.0);
    rp->portfolio = read_portfolio(c, r);
}

static void read_regions(sim_config *c, sim_node *lm, lm_params *p)
{
    int n = 0;
    sim_node *list = sim_cfg_list(c, lm, "regions", &n);
    if (list && (n < 1 || n > LM_MAX_REGIONS))
        sim_config_error(c, list, "%d regions (allowed: 1 to %d)", n, LM_MAX_REGIONS);
    p->nregions = n < LM_MAX_REGIONS ? n : LM_MAX_REGIONS;
    for (int i = 0; i < p->nregions; i++) {
        sim_node *r = sim_cfg_elem(list, i);
        read_region(c, r, &p->region[i], p->scale);
        for (int j = 0; j < i; j++)
            if (*p->region[i].name && strcmp(p->region[j].name, p->region[i].name) == 0)
                sim_config_error(c, r, "region name \"%s\" appears twice (allowed: unique names)", p->region[i].name);
    }
}

/* `inflow_young_share` (optional): the share aged 18-26 of the regular inflow, the
 * older bands in the stock's relative shares; without it the inflow is aged as the stock. */
static void read_inflow_ages(sim_config *c, sim_node *g, lm_params *p)
{
    memcpy(p->inflow_age_share, p->age_share, sizeof p->inflow_age_share);
    if (!sim_cfg_has(c, g, "inflow_young_share")) return;
    double young = sim_cfg_real(c, g, "inflow_young_share", 0.0, 1.0);
    double older = p->age_share[1] + p->age_share[2] + p->age_share[3];
    if (older <= 0) {
        sim_config_error(c, sim_cfg_lookup(c, g, "inflow_young_share"), "age_shares has no one over 26 (allowed: with inflow_young_share < 1, some older share)");
        return;
    }
    p->inflow_age_share[0] = young;
    for (int i = 1; i < 4; i++) p->inflow_age_share[i] = (1.0 - young) * p->age_share[i] / older;
}

/* An optional top-level block `key` = { points = ( { date; level; }, ... ); }: a
 * dated multiplier of a rate, a historical input like `tension` (dates allowed
 * before the origin, levels 0 to 10). Absent: n = 0. */
static void read_level_path(sim_config *c, const char *key, lm_path *out)
{
    out->n = 0;
    if (!sim_cfg_has(c, NULL, key)) return;
    sim_node *g = sim_cfg_group(c, NULL, key);
    if (!g) return;
    int n = 0;
    sim_node *pts = sim_cfg_list(c, g, "points", &n);
    if (pts) lm_path_read_points(c, pts, n, out, "level", 0.0, 10.0, -36525.0);
}

/* `inflow_level` multiplies the regular inflow (e.g. the 2015-2017 wave of
 * refugees granted status); `other_exit_level` the hazard of leaving for other
 * reasons than work (the outflow that fell in 2022-2023 while the labour market
 * stayed tight, docs/validation-2024.md), whose thinning bound is the largest
 * level: the path is linear between its points and flat outside them;
 * `young_inflow_level` the 18-26s' share of the regular inflow at arrival. */
static void read_level_paths(sim_config *c, lm_params *p)
{
    read_level_path(c, "inflow_level", &p->inflow_level);
    read_level_path(c, "other_exit_level", &p->other_exit_level);
    read_level_path(c, "young_inflow_level", &p->young_inflow_level);
    p->other_exit_max = p->other_exit_level.n > 0 ? 0.0 : 1.0;
    for (int i = 0; i < p->other_exit_level.n; i++) p->other_exit_max = fmax(p->other_exit_max, p->other_exit_level.v[i]);
}

static void read_population(sim_config *c, sim_node *lm, lm_params *p)
{
    sim_node *g = sim_cfg_group(c, lm, "population");
    if (!g) return;
    p->long_term_days = months(c, g, "long_term_months", 1.0, 120.0);
    read_vector(c, g, "duration_bands_months", p->dur_edge, 6, 0.0, 600.0, 0);
    for (int i = 0; i < 6; i++) p->dur_edge[i] *= MONTH;
    for (int i = 0; i < 5; i++)
        if (p->dur_edge[i + 1] <= p->dur_edge[i])
            sim_config_error(c, sim_cfg_lookup(c, g, "duration_bands_months"),
                             "band edges must increase (allowed: strictly increasing months)");
    read_vector(c, g, "duration_shares", p->dur_share, 5, 0.0, 1.0, 1);
    read_vector(c, g, "distance_long_term", p->split_long, 3, 0.0, 1.0, 1);
    read_vector(c, g, "distance_short_term", p->split_short, 3, 0.0, 1.0, 1);
    read_vector(c, g, "age_shares", p->age_share, 4, 0.0, 1.0, 1);
    read_inflow_ages(c, g, p);
    sim_node *b = sim_cfg_group(c, g, "barriers");
    static const char *const bn[] = {"debts", "health", "care", "language", "poverty_trap"};
    for (int i = 0; b && i < 5; i++) p->barrier_p[i] = sim_cfg_real(c, b, bn[i], 0.0, 1.0);
    sim_node *bs = sim_cfg_group(c, g, "benefit_shares");
    static const char *const bt[] = {"bijstand", "ww", "wajong_wia", "statushouder", "none"};
    double sum = 0;
    for (int i = 0; bs && i < 5; i++) sum += p->benefit_share[i] = sim_cfg_real(c, bs, bt[i], 0.0, 1.0);
    if (bs && fabs(sum - 1.0) > 1e-6)
        sim_config_error(c, bs, "shares sum to %.6g (allowed: they must sum to 1)", sum);
    p->inflow_per_day = per_month(c, g, "inflow_per_month", 1.0);
    p->statushouder_language = sim_cfg_real(c, g, "statushouder_language", 0.0, 1.0);
    p->in_view_share = sim_cfg_real(c, g, "in_view_share", 0.0, 1.0);
}

static void read_hazards(sim_config *c, sim_node *lm, lm_params *p)
{
    sim_node *g = sim_cfg_group(c, lm, "hazards");
    if (!g) return;
    p->self_exit_scale = months(c, g, "self_exit_median_months", 0.1, 10000.0);
    p->self_exit_shape = sim_cfg_real(c, g, "self_exit_shape", 0.1, 5.0);
    /* Weibull with median m: scale = m / ln(2)^(1/k). */
    p->self_exit_scale /= pow(log(2.0), 1.0 / p->self_exit_shape);
    p->self_exit_inv_shape = 1.0 / p->self_exit_shape;
    lm_powb_init(&p->self_exit_powb, p->self_exit_shape);
    read_vector(c, g, "distance_multipliers", p->dist_mult, 3, 0.0, 10.0, 0);
    p->barrier_mult = sim_cfg_real(c, g, "barrier_multiplier", 0.0, 1.0);
    read_vector(c, g, "age_multipliers", p->age_mult, 4, 0.0, 10.0, 0);
    p->skill_slope = sim_cfg_real(c, g, "skill_slope", 0.0, 10.0);
    p->motivation_slope = sim_cfg_real(c, g, "motivation_slope", 0.0, 10.0);
    p->other_exit = per_month(c, g, "other_exit_per_month", 1.0);
    p->relapse = per_month(c, g, "relapse_per_month", 1.0);
    p->recover = per_month(c, g, "recover_per_month", 1.0);
}

static void read_profiling(sim_config *c, sim_node *lm, lm_params *p)
{
    sim_node *g = sim_cfg_group(c, lm, "profiling");
    if (!g) return;
    p->invites_per_fte = per_month(c, g, "invites_per_fte_month", 1000.0);
    p->noshow = sim_cfg_real(c, g, "no_show", 0.0, 1.0);
    p->unwilling = sim_cfg_real(c, g, "unwilling", 0.0, 1.0);
    if (p->noshow + p->unwilling > 1.0)
        sim_config_error(c, g, "no_show + unwilling = %g (allowed: at most 1)", p->noshow + p->unwilling);
    p->profile_valid = months(c, g, "profile_valid_months", 0.5, 120.0);
    p->pool_max_days = months(c, g, "pool_max_months", 0.5, 120.0);
    p->maturity_reach = sim_cfg_real(c, g, "maturity_reach", 0.0, 2.0);
    p->soft_needed = sim_cfg_real(c, g, "soft_needed", 0.0, 1.0);
    p->hard_needed = sim_cfg_real(c, g, "hard_needed", 0.0, 1.0);
}

static void read_placements(sim_config *c, sim_node *lm, lm_params *p)
{
    sim_node *g = sim_cfg_group(c, lm, "placements");
    if (!g) return;
    for (int i = 0; i < LM_NPLACE; i++) read_place(c, g, i, p);
    p->basisbaan_per_1000 = sim_cfg_real(c, g, "basisbaan_places_per_1000", 0.0, 1000.0);
    p->job_loss = per_month(c, g, "job_loss_per_month", 1.0);
    p->verklaring_loss = sim_cfg_real(c, g, "praktijkverklaring_multiplier", 0.0, 10.0);
    sim_node *s = sim_cfg_group(c, g, "wage_subsidy");
    if (s) {
        p->subsidy_threshold = sim_cfg_real(c, s, "productivity_threshold", 0.0, 1.0);
        p->subsidy_accept = sim_cfg_real(c, s, "accept_multiplier", 0.0, 10.0);
        p->subsidy_loss = sim_cfg_real(c, s, "job_loss_multiplier", 0.0, 10.0);
        p->subsidy_per_month = sim_cfg_real(c, s, "per_month", 0.0, 1e5);
        p->subsidy_max_days = months(c, s, "max_months", 0.0, 600.0);
    }
    sim_node *wc = sim_cfg_group(c, g, "werkcheque");
    if (wc) {
        p->werkcheque = sim_cfg_real(c, wc, "amount", 0.0, 4500.0);
        p->werkcheque_uptake = sim_cfg_real(c, wc, "uptake", 0.0, 1.0);
    }
    sim_node *wb = sim_cfg_group(c, g, "werkbonus");
    if (wb) {
        p->werkbonus = sim_cfg_real(c, wb, "amount", 0.0, 1500.0);
        p->werkbonus_uptake = sim_cfg_real(c, wb, "uptake", 0.0, 1.0);
        p->werkbonus_days = months(c, wb, "after_months", 0.0, 60.0);
    }
}

static void read_employers(sim_config *c, sim_node *lm, lm_params *p)
{
    sim_node *g = sim_cfg_group(c, lm, "employers");
    if (!g) return;
    p->vacancies_per_1000 = per_month(c, g, "vacancies_per_1000_month", 1e5);
    p->awareness = sim_cfg_real(c, g, "wsp_awareness", 0.0, 1.0);
    p->awareness_maturity = sim_cfg_real(c, g, "awareness_maturity", 0.0, 10.0);
    p->account_reach = sim_cfg_real(c, g, "account_reach", 0.0, 10.0);
    p->willing = sim_cfg_real(c, g, "willing", 0.0, 1.0);
    p->act = sim_cfg_real(c, g, "act", 0.0, 1.0);
    sim_node *v = sim_cfg_group(c, g, "pool_visibility");
    for (int i = 0; v && i < 3; i++) p->visibility_pool[i] = sim_cfg_real(c, v, lm_pool_names[i], 0.0, 1.0);
    p->visibility_no_sharing = sim_cfg_real(c, g, "no_sharing_visibility", 0.0, 1.0);
    p->carving_share = sim_cfg_real(c, g, "carving_share", 0.0, 1.0);
    p->carving_reduction = sim_cfg_real(c, g, "carving_reduction", 0.0, 1.0);
    p->accept_base = sim_cfg_real(c, g, "accept_base", 0.0, 1.0);
    p->accept_fit = sim_cfg_real(c, g, "accept_fit", 0.0, 10.0);
    p->accept_language = sim_cfg_real(c, g, "language_penalty", 0.0, 1.0);
    p->max_candidates = (int)sim_cfg_int(c, g, "max_candidates", 1, 50);
}

/* The optional top-level `tension` block: labour-market tension (vacancies per 100
 * unemployed) as dated points, and the reference level at which every tension
 * multiplier is 1. Dates may lie before the origin (the burn-in sees the first value). */
static void read_tension(sim_config *c, lm_params *p)
{
    p->tension.n = 0;
    p->tension_ref = 1.0;
    if (!sim_cfg_has(c, NULL, "tension")) return;
    sim_node *g = sim_cfg_group(c, NULL, "tension");
    if (!g) return;
    p->tension_ref = sim_cfg_real(c, g, "reference", 1.0, 1000.0);
    if (sim_cfg_has(c, g, "splice")) (void)sim_cfg_string(c, g, "splice");
    int n = 0;
    sim_node *pts = sim_cfg_list(c, g, "points", &n);
    if (!pts) return;
    lm_path_read_points(c, pts, n, &p->tension, "value", 1.0, 1000.0, -36525.0);
}

static void read_macro(sim_config *c, sim_node *lm, lm_params *p)
{
    sim_node *g = sim_cfg_group(c, lm, "macro");
    if (g) lm_path_read(c, g, "demand", &p->demand);
    else p->demand = (lm_path){.n = 1, .v = {1.0}};   /* error recorded; keep lm_path_at in bounds */
    p->el_distance_factor = 1.0;
    if (g) {
        p->el_search = sim_cfg_real(c, g, "elasticity_own_search", 0.0, 3.0);
        p->el_vacancies = sim_cfg_real(c, g, "elasticity_vacancies", 0.0, 3.0);
        p->el_accept = sim_cfg_real(c, g, "elasticity_acceptance", 0.0, 3.0);
        p->el_inflow = sim_cfg_real(c, g, "elasticity_inflow", 0.0, 3.0);
        p->el_search_young = sim_cfg_has(c, g, "elasticity_own_search_young")
                           ? sim_cfg_real(c, g, "elasticity_own_search_young", 0.0, 3.0) : p->el_search;
        p->el_distance_factor = sim_cfg_has(c, g, "elasticity_distance_factor")
                              ? sim_cfg_real(c, g, "elasticity_distance_factor", 0.0, 1.0) : 1.0;
        p->tension_sat = sim_cfg_has(c, g, "tension_saturation")
                       ? sim_cfg_real(c, g, "tension_saturation", 0.0, 10.0) : 0.0;
    }
    read_tension(c, p);
    read_level_paths(c, p);
}

static void read_costs(sim_config *c, sim_node *lm, lm_params *p)
{
    sim_node *g = sim_cfg_group(c, lm, "costs");
    if (!g) return;
    p->benefit_per_day = sim_cfg_real(c, g, "benefit_per_month", 0.0, 1e5) / MONTH;
    p->cm_per_day = sim_cfg_real(c, g, "client_manager_fte_year", 0.0, 1e7) / 365.25;
    p->am_per_day = sim_cfg_real(c, g, "account_manager_fte_year", 0.0, 1e7) / 365.25;
}

static void read_instruments(sim_config *c, sim_node *lm, lm_params *p)
{
    sim_node *g = sim_cfg_group(c, lm, "instruments");
    for (int i = 0; g && i < LM_NTRAJ; i++) read_traj(c, g, i, p);
    sim_node *a = sim_cfg_group(c, lm, "aftercare");
    if (!a) return;
    p->jobcoach_per_1000 = sim_cfg_real(c, a, "places_per_1000", 0.0, 1000.0);
    p->jobcoach_days = months(c, a, "duration_months", 0.0, 60.0);
    p->jobcoach_cost = sim_cfg_real(c, a, "unit_cost", 0.0, 1e6);
    p->jobcoach_loss = sim_cfg_real(c, a, "job_loss_multiplier", 0.0, 10.0);
}

/* Places per region from the per-1000 rates, only where the instrument is adopted. */
static void derive_places(lm_params *p)
{
    for (int r = 0; r < p->nregions; r++) {
        lm_region_params *rp = &p->region[r];
        for (int i = 0; i < LM_NTRAJ; i++)
            rp->places[i] = (rp->portfolio >> i & 1u) ? rp->caseload * p->traj[i].places_per_1000 / 1000.0 : 0.0;
        rp->jobcoach_places = (rp->portfolio & PORTFOLIO_JOBCOACH) ? rp->caseload * p->jobcoach_per_1000 / 1000.0 : 0.0;
        rp->basisbaan_places = (rp->portfolio & PORTFOLIO_PLACE(LM_P_BASISBAAN))
                                   ? rp->caseload * p->basisbaan_per_1000 / 1000.0 : 0.0;
    }
}

/* Macro multiplier of a region at t: base demand path x shocks x tension^elasticity. */
static double macro_at(const lm_params *p, int r, double t, double elasticity)
{
    return lm_path_at(&p->demand, t) * lm_policy_demand(p->policy, r, t) * lm_tension_factor(p, t, elasticity);
}

/* Upper bound of macro_at over the burn-in and the horizon and all regions,
 * sampled daily and at every knot of the paths, with a margin of 0.1%: the
 * thinning bound must never be exceeded (a day moves any path by far less). */
/* A multiplier of region r at time t (the run's paths, and `arg`). */
typedef double (*run_fn)(const lm_params *p, int r, double t, double arg);

static double inflow_at(const lm_params *p, int r, double t, double arg)
{
    (void)r, (void)arg;
    return lm_inflow_factor(p, t);
}

/* The largest value of f over the run (burn-in to end) on a daily grid and at the
 * knots of the given paths. A smooth stretch is at most 0.1% above its samples
 * (the bound's margin below). */
static double sampled_max(const lm_params *p, run_fn f, int r, double arg, const lm_path *const *paths, size_t npaths)
{
    double best = 0.0;
    for (double t = -p->burn_in; t <= p->end + 1.0; t += 1.0) best = fmax(best, f(p, r, t, arg));
    for (size_t k = 0; k < npaths; k++)
        for (int i = 0; i < paths[k]->n; i++) best = fmax(best, f(p, r, paths[k]->t[i], arg));
    return best;
}

/* The largest value of f at each shock's onset and demand-path knots, where a
 * steep peak of a shock may lie between two daily samples by more than the margin. */
static double shock_knot_max(const lm_params *p, run_fn f, int r, double arg)
{
    double best = 0.0;
    for (int s = 0; p->policy && s < p->policy->nshock; s++) {
        const lm_shock *sh = &p->policy->shock[s];
        best = fmax(best, f(p, r, sh->onset, arg));
        for (int i = 0; i < sh->demand.n; i++) best = fmax(best, f(p, r, sh->demand.t[i], arg));
    }
    return best;
}

/* A thinning bound of f over the run: the sampled maximum with its margin, raised
 * to the maximum at the shocks' knots where that is higher (where it is not, the
 * bound, and so the draws, are those of the samples alone, as before the shocks'
 * knots were looked at). */
static double run_bound(const lm_params *p, run_fn f, int r, double arg, const lm_path *const *paths, size_t npaths)
{
    return fmax(sampled_max(p, f, r, arg, paths, npaths) * 1.001, shock_knot_max(p, f, r, arg));
}

/* Thinning bound of a demand-driven rate: the maximum over regions and time of
 * demand x shocks x (tension ratio)^elasticity. */
static double macro_bound(const lm_params *p, double elasticity)
{
    const lm_path *const paths[] = {&p->tension, &p->demand};
    double best = 0.0;
    for (int r = 0; r < p->nregions; r++)
        best = fmax(best, run_bound(p, macro_at, r, elasticity, paths, SIM_ARRAY_LEN(paths)));
    return best;
}

/* The elasticity of own search for each age group (18-26s, the rest) and distance, and its
 * thinning bound. With el_distance_factor 1 every distance has the group's elasticity exactly
 * (x * 1.0), so the draws are those of the model before the factor existed. */
static void search_bounds(lm_params *p)
{
    for (int young = 0; young < 2; young++) {
        double step = 1.0;
        for (int d = 0; d < 3; d++) {
            p->el_search_at[young][d] = (young ? p->el_search_young : p->el_search) * step;
            p->search_max_at[young][d] = d > 0 && step == 1.0 ? p->search_max_at[young][0]   /* the same exponent */
                                                             : macro_bound(p, p->el_search_at[young][d]);
            step *= p->el_distance_factor;
        }
    }
}

static double inflow_bound(const lm_params *p)
{
    double best = 1.0;
    for (int i = 0; i < p->tension.n; i++) best = fmax(best, lm_tension_factor(p, p->tension.t[i], -p->el_inflow));
    if (p->inflow_level.n == 0) return best * 1.001;   /* as before the level path existed: same draws */
    const lm_path *const paths[] = {&p->tension, &p->inflow_level};
    return run_bound(p, inflow_at, 0, 0.0, paths, SIM_ARRAY_LEN(paths));
}

double lm_inflow_factor(const lm_params *p, double t)
{
    double f = lm_tension_factor(p, t, -p->el_inflow);
    return p->inflow_level.n > 0 ? f * lm_path_at(&p->inflow_level, t) : f;
}

double lm_tension_factor(const lm_params *p, double t, double elasticity)
{
    if (p->tension.n == 0 || elasticity == 0.0) return 1.0;
    double x = lm_path_at(&p->tension, t) / p->tension_ref;
    /* Saturating response: x (1 + s) / (1 + s x) is 1 at the reference, rises with x and
     * stays below (1 + s) / s; with s = 0 it is x exactly (x * 1 / 1), as before s existed. */
    double s = p->tension_sat;
    return pow(x * (1.0 + s) / (1.0 + s * x), elasticity);
}

double lm_month_start(long origin_days, long k)
{
    char date[32];
    int y = 1970, m = 1;
    long d = origin_days;
    sim_date_format(origin_days, date);
    if (sscanf(date, "%d-%d", &y, &m) != 2) return NAN;
    long mm = (long)(m - 1) + k;                     /* months since January of year y */
    long yy = y + (mm >= 0 ? mm / 12 : -((11 - mm) / 12));
    mm -= (yy - y) * 12;                             /* 0..11 */
    snprintf(date, sizeof date, "%04d-%02d-01", (int)yy, (int)mm + 1);
    if (sim_date_parse(date, &d) != 0) return NAN;
    return (double)(d - origin_days);
}

lm_params *lm_params_create(sim_config *c, const sim_setup *setup)
{
    lm_params *p = calloc(1, sizeof *p);
    if (!p) return NULL;
    p->origin_days = setup ? setup->origin_days : 0;
    sim_node *lm = sim_cfg_group(c, NULL, "labour_market");
    if (!lm) return p;
    size_t nerr = sim_config_nerrors(c);
    p->end = sim_cfg_date(c, lm, "end", 30.0, LM_MAX_HORIZON);
    if (sim_config_nerrors(c) > nerr) p->end = LM_MAX_HORIZON;   /* reported; the widest horizon: no second report from what depends on it */
    p->burn_in = sim_cfg_real(c, lm, "burn_in_years", 0.0, 30.0) * 365.25;
    p->scale = sim_cfg_real(c, lm, "scale", 1e-4, 10.0);
    p->durable_days = months(c, lm, "durable_months", 1.0, 120.0);
    /* Observations fall on calendar month boundaries (lm_output.c), so the step is
     * a whole number of months. */
    double step_months = sim_cfg_real(c, lm, "series_step_months", 1.0, 120.0);
    if (step_months != floor(step_months))
        sim_config_error(c, sim_cfg_lookup(c, lm, "series_step_months"),
                         "%.4g is not a whole number of months (allowed: 1, 2, ... 120 calendar months)", step_months);
    p->series_months = (int)step_months;
    p->series_step = step_months * MONTH;
    if (p->series_step > p->end && p->end > 0)   /* else /series would have no step: silently absent */
        sim_config_error(c, sim_cfg_lookup(c, lm, "series_step_months"),
                         "%.4g months is longer than the horizon (allowed: at most %.4g months, the time from origin to end)",
                         p->series_step / LM_DAYS_PER_MONTH, p->end / LM_DAYS_PER_MONTH);
    read_regions(c, lm, p);
    read_population(c, lm, p);
    read_hazards(c, lm, p);
    read_profiling(c, lm, p);
    read_instruments(c, lm, p);
    read_placements(c, lm, p);
    read_employers(c, lm, p);
    read_costs(c, lm, p);
    read_macro(c, lm, p);
    derive_places(p);
    p->policy = calloc(1, sizeof *p->policy);
    if (!p->policy) { free(p); return NULL; }
    lm_policy_read(c, p, p->policy);
    search_bounds(p);
    p->vacancy_max = macro_bound(p, p->el_vacancies);
    p->inflow_max = inflow_bound(p);
    return p;
}

void lm_params_destroy(lm_params *p)
{
    if (!p) return;
    free(p->policy);
    free(p);
}
