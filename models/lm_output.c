/* lm_output.c: what the labour-market model reports: the /summary fields, the
 * per-region /series, the /regions table and the printed summary. The field
 * tables below are the single definition of every output's name and unit. */
#include <gsl/gsl_statistics_double.h>
#include <hdf5.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../sim/io/numtext.h"
#include "../sim/io/out.h"
#include "lm_model.h"

enum {
    S_PLACEMENTS, S_PL_FIRST, S_PL_LAST = S_PL_FIRST + LM_NPLACE - 1,
    S_SUBSIDISED, S_PARTNER, S_DURABLE, S_DURABLE_SHARE, S_JOB_LOSSES, S_EXITS_WORK,
    S_EXITS_OTHER, S_PROG_DROPOUTS, S_INVITED, S_PROFILED, S_NOSHOW, S_UNWILLING,
    S_STARTS_FIRST, S_STARTS_LAST = S_STARTS_FIRST + LM_NTRAJ - 1,
    S_WORK12_FIRST, S_WORK12_LAST = S_WORK12_FIRST + LM_NTRAJ - 1,
    S_MEAN_WAIT, S_TTP, S_BENEFIT_MONTHS, S_CASELOAD_END, S_LT_READY, S_LT_ACTIVATION,
    S_LT_NOTNOW, S_PLACE_USE, S_WAITING_END, S_COST_PROGRAMMES, S_COST_AFTERCARE,
    S_COST_SUBSIDIES, S_COST_STAFF, S_COST_TOTAL, S_COST_BENEFITS, S_COST_PER_DURABLE,
    S_DURABLE_COACHED, S_DURABLE_UNCOACHED, S_VACANCIES, S_VACANCIES_WSP, S_N
};

static const sim_field summary_fields[S_N] = {
    {"placements", "persons", "placements into work by the WSP (all types)"},
    {"placements_regular", "persons", "regular job"},
    {"placements_learn_work", "persons", "learn-work place"},
    {"placements_basisbaan", "persons", "adapted place / basisbaan"},
    {"placements_trial", "persons", "trial placement (proefplaatsing)"},
    {"placements_secondment", "persons", "secondment (detachering)"},
    {"placements_internship", "persons", "internship (stage)"},
    {"placements_subsidised", "persons", "placements with a wage-cost subsidy"},
    {"placements_partner", "persons", "placements guaranteed at the end of a programme"},
    {"durable_placements", "persons", "placements lasting the durability threshold"},
    {"durable_share", "1", "durable placements / placements"},
    {"job_losses", "persons", "placements ended early: back on the caseload"},
    {"exits_work_own", "persons", "left benefit for work found on their own"},
    {"exits_other", "persons", "left benefit for other reasons"},
    {"programme_dropouts", "persons", "drop-outs from trajectory instruments"},
    {"invited", "persons", "profiling invitations"},
    {"profiled", "persons", "invitations that led to a profile"},
    {"no_shows", "persons", "invitations not attended (seed 004: 13%)"},
    {"unwilling", "persons", "profiled but unwilling (seed 004: 20%)"},
    {"starts_barrier_removal", "persons", "starts"}, {"starts_workfit", "persons", "starts"},
    {"starts_praktijkleren", "persons", "starts"}, {"starts_bbl", "persons", "starts"},
    {"starts_sector_training", "persons", "starts"}, {"starts_retraining", "persons", "starts"},
    {"work12_barrier_removal", "1", "share of starters in work within 12 months"},
    {"work12_workfit", "1", "share of starters in work within 12 months"},
    {"work12_praktijkleren", "1", "share of starters in work within 12 months"},
    {"work12_bbl", "1", "share of starters in work within 12 months"},
    {"work12_sector_training", "1", "share of starters in work within 12 months"},
    {"work12_retraining", "1", "share of starters in work within 12 months"},
    {"mean_wait_days", "days", "mean wait for an instrument place, among those who waited"},
    {"mean_months_to_placement", "months", "first profile to first placement"},
    {"benefit_months", "person-months", "months on benefit, all people"},
    {"caseload_end", "persons", "people on benefit at the end"},
    {"long_term_ready", "1", "share of the long-term stock ready for work at the end"},
    {"long_term_activation", "1", "share of the long-term stock needing activation at the end"},
    {"long_term_not_now", "1", "share of the long-term stock not placeable now at the end"},
    {"place_utilisation", "1", "instrument places in use at the end / places"},
    {"waiting_end", "persons", "people in instrument queues at the end"},
    {"cost_programmes", "EUR", "trajectory instruments"},
    {"cost_aftercare", "EUR", "jobcoach aftercare"},
    {"cost_subsidies", "EUR", "wage-cost subsidies, placement costs, Werkcheque, Werkbonus"},
    {"cost_staff", "EUR", "client and account managers"},
    {"cost_total", "EUR", "programmes + aftercare + subsidies + staff (excl. benefits)"},
    {"cost_benefits", "EUR", "benefit payments"},
    {"cost_per_durable", "EUR", "cost_total / durable_placements"},
    {"durable_rate_coached", "1", "durable share of ended placements with a jobcoach"},
    {"durable_rate_uncoached", "1", "durable share of ended placements without a jobcoach"},
    {"vacancies", "vacancies", "vacancies open to the bijstand pool"},
    {"vacancies_wsp", "vacancies", "vacancies that reached the WSP"},
};

/* Room for a series description rewritten for a step of several months (declare_series). */
#define LM_LONG_NAME_MAX 192
enum { R_CASELOAD, R_IN_VIEW, R_WAITING, R_PROGRAMME, R_POOL, R_PLACED, R_PLACEMENTS, R_DURABLE,
       R_MATURITY, R_PLACES, R_EXITS_WORK, R_WORK, R_INFLOW, R_YOUNG, R_STARTS, R_ENDS, R_EXITS_OTHER, R_N };
/* Units and descriptions as written for a one-month step; flows ("persons per
 * month") are sums over the month, stocks are at its end. declare_series rewrites
 * "per month" and "the month" for a step of several months. */
static const sim_field series_fields[R_N] = {
    {"caseload", "persons", "people on benefit at the end of the month"},
    {"in_view", "persons", "profiled people (in view, waiting, in a programme or in the pool) at the end of the month"},
    {"waiting", "persons", "people in instrument queues at the end of the month"},
    {"in_programme", "persons", "people in trajectory instruments at the end of the month"},
    {"matching_pool", "persons", "people in the matching pool at the end of the month"},
    {"placed", "persons", "people in a placement at the end of the month"},
    {"placements", "persons per month", "placements during the month"},
    {"durable", "persons per month", "placements reaching durability during the month"},
    {"maturity", "1", "cooperation maturity of the region (0..1) at the end of the month"},
    {"places", "places", "trajectory-instrument places available at the end of the month"},
    {"exits_work_own", "persons per month", "left benefit for work found on their own during the month"},
    {"work_entries", "persons per month", "entries into work during the month: own exits plus WSP placements"},
    {"inflow", "persons per month", "newcomers during the month (regular and shock inflow; a return after a lost job is in benefit_starts)"},
    {"caseload_under27", "persons", "people on benefit aged 18-26 at the end of the month"},
    {"benefit_starts", "persons per month", "benefits started during the month: newcomers and returns after a lost job"},
    {"benefit_ends", "persons per month", "benefits ended during the month: work, a placement off benefit, any other exit"},
    {"exits_other", "persons per month", "left benefit for other reasons than work during the month (moving, a partner's income, the state pension age, ...)"},
};

static const char *const kind_labels[LM_NSTATES] = {
    "to_not_in_view", "to_in_view", "to_waiting", "to_programme", "to_pool", "to_placed",
    "to_durable", "to_exit_work", "to_exit_other", "to_not_arrived"};
/* Columns of /events (declare_trace). */
#define LM_TRACE_FIELDS 11

/* /events `group`: the person's distance to the labour market at the row (seed 004 §5b). */
static const char *const distance_labels[] = {"ready", "needs_activation", "not_placeable_now"};

/* The configured model: parameters plus the labels its schema points to. */
typedef struct {
    lm_params        *p;
    const char       *columns[LM_MAX_REGIONS];                  /* region names */
    const char       *instrument_labels[LM_TRACE_NONE_INSTR + 1];   /* lm_traj_names, "none" */
    const char       *placement_labels[LM_TRACE_NONE_PLACE + 1];    /* lm_place_names, "none" */
    sim_record_field  fields[LM_TRACE_FIELDS];                   /* the /events record */
    sim_field         series[R_N];                               /* series_fields, units for the step */
    char              flow_unit[32];                             /* "persons per N months" */
    char              long_name[R_N][LM_LONG_NAME_MAX];          /* descriptions for the step */
    double           *obs_times;                                 /* month boundaries (owned) */
} lm_model_params;

/* Observation times: the first day of every series_months-th calendar month after
 * the origin's month, up to the end (days since the origin); the first interval
 * starts at the origin. Returns the count (0 on no memory; *out NULL then). */
static size_t month_boundaries(long origin_days, int step, double end, double **out)
{
    if (step < 1) { *out = NULL; return 0; }
    size_t cap = (size_t)(end / 28.0) / (size_t)step + 2, n = 0;
    double *t = malloc(cap * sizeof *t);
    for (long k = step; t && n < cap; k += step) {
        double d = lm_month_start(origin_days, k);
        if (!(d <= end)) break;
        t[n++] = d;
    }
    *out = t;
    return t ? n : 0;
}

/* dst = src with every "the month" read as "the N-month period" (a step of N months). */
static void period_words(char *dst, size_t size, const char *src, int months)
{
    static const char month[] = "the month";
    size_t n = 0;
    for (const char *s = src; *s && n + 1 < size;) {
        if (!strncmp(s, month, sizeof month - 1)) {
            int k = snprintf(dst + n, size - n, "the %d-month period", months);
            SIM_ASSERT(k > 0 && (size_t)k < size - n);   /* LM_LONG_NAME_MAX holds every description */
            n += (size_t)k;
            s += sizeof month - 1;
        } else {
            dst[n++] = *s++;
        }
    }
    dst[n] = '\0';
}

/* The series table for the step: the flow unit "persons per (3 months)" (the UDUNITS
 * form of a rate: "persons per 3 months" would read as persons x months / 3), and
 * descriptions that say "during the 3-month period", "at the end of the 3-month period". */
static void declare_series(lm_model_params *mp, int months)
{
    memcpy(mp->series, series_fields, sizeof mp->series);
    if (months == 1) return;
    snprintf(mp->flow_unit, sizeof mp->flow_unit, "persons per (%d months)", months);
    for (int i = 0; i < R_N; i++) {
        if (!strcmp(series_fields[i].unit, "persons per month")) mp->series[i].unit = mp->flow_unit;
        period_words(mp->long_name[i], sizeof mp->long_name[i], series_fields[i].description, months);
        mp->series[i].description = mp->long_name[i];
    }
}

/* The /events record (lm_trace_row): the columns of DESIGN.md §6 in its order,
 * with `placement` after `instrument` (README "Output"). */
static void declare_trace(lm_model_params *mp)
{
    for (int i = 0; i < LM_NTRAJ; i++) mp->instrument_labels[i] = lm_traj_names[i];
    mp->instrument_labels[LM_TRACE_NONE_INSTR] = "none";
    for (int i = 0; i < LM_NPLACE; i++) mp->placement_labels[i] = lm_place_names[i];
    mp->placement_labels[LM_TRACE_NONE_PLACE] = "none";
    const sim_labels none = {0, NULL};
    const sim_record_field f[] = {
        {"replication", SIM_U32, offsetof(lm_trace_row, replication), none, ""},
        {"time", SIM_F64, offsetof(lm_trace_row, time), none, "days"},
        {"person", SIM_U32, offsetof(lm_trace_row, person), none, ""},
        {"region", SIM_U16, offsetof(lm_trace_row, region), {(size_t)mp->p->nregions, mp->columns}, ""},
        {"kind", SIM_U8, offsetof(lm_trace_row, kind), {LM_NSTATES, kind_labels}, ""},
        {"from_state", SIM_U8, offsetof(lm_trace_row, from), {LM_NSTATES, lm_state_names}, ""},
        {"to_state", SIM_U8, offsetof(lm_trace_row, to), {LM_NSTATES, lm_state_names}, ""},
        {"instrument", SIM_U8, offsetof(lm_trace_row, instrument), {LM_TRACE_NONE_INSTR + 1, mp->instrument_labels}, ""},
        {"placement", SIM_U8, offsetof(lm_trace_row, placement), {LM_TRACE_NONE_PLACE + 1, mp->placement_labels}, ""},
        {"group", SIM_U8, offsetof(lm_trace_row, group), {SIM_ARRAY_LEN(distance_labels), distance_labels}, ""},
        {"cost", SIM_F32, offsetof(lm_trace_row, cost), none, "EUR"},
    };
    _Static_assert(SIM_ARRAY_LEN(f) == SIM_ARRAY_LEN(mp->fields), "lm_model_params.fields holds the record");
    memcpy(mp->fields, f, sizeof f);
}

static void *lm_configure(sim_config *cfg, const sim_setup *setup)
{
    lm_params *p = lm_params_create(cfg, setup);
    if (!p) return NULL;
    lm_model_params *mp = calloc(1, sizeof *mp);
    if (!mp) { lm_params_destroy(p); return NULL; }
    mp->p = p;
    for (int r = 0; r < p->nregions; r++) mp->columns[r] = p->region[r].name;
    declare_trace(mp);
    declare_series(mp, p->series_months);
    size_t nobs = month_boundaries(setup->origin_days, p->series_months, p->end, &mp->obs_times);
    if (!mp->obs_times) { lm_params_destroy(p); free(mp); return NULL; }
    p->schema = (sim_schema){summary_fields, S_N, mp->series, R_N, "region", mp->columns,
                             (size_t)p->nregions, p->series_step, nobs,
                             {sizeof(lm_trace_row), mp->fields, SIM_ARRAY_LEN(mp->fields)}, mp->obs_times};
    return mp;
}

static void lm_destroy(void *params)
{
    lm_model_params *mp = params;
    if (!mp) return;
    lm_params_destroy(mp->p);
    free(mp->obs_times);
    free(mp);
}

static const sim_schema *lm_schema(const void *params)
{
    return &((const lm_model_params *)params)->p->schema;
}

static void *ws_create(const void *params)
{
    return lm_ws_create(((const lm_model_params *)params)->p);
}

static double branch_time(const void *a, const void *b)
{
    return lm_branch_time(((const lm_model_params *)a)->p, ((const lm_model_params *)b)->p);
}

static void lm_observe(void *ws, sim_ctx *ctx, double *row)
{
    (void)ctx;
    lm_ws *w = ws;
    lm_stats *st = lm_ws_stats_mut(w);
    size_t nr = (size_t)lm_ws_params(w)->nregions;
    for (size_t r = 0; r < nr; r++) {
        const int32_t *c = st->count[r];
        row[R_CASELOAD * nr + r] = lm_region_on_benefit(w, (int)r);
        row[R_IN_VIEW * nr + r] = c[LM_IN_VIEW] + c[LM_WAITING] + c[LM_IN_PROGRAMME] + c[LM_POOL];
        row[R_WAITING * nr + r] = c[LM_WAITING];
        row[R_PROGRAMME * nr + r] = c[LM_IN_PROGRAMME];
        row[R_POOL * nr + r] = c[LM_POOL];
        row[R_PLACED * nr + r] = c[LM_PLACED];
        row[R_PLACEMENTS * nr + r] = st->region_placements[r] - st->seen_placements[r];
        row[R_DURABLE * nr + r] = st->region_durable[r] - st->seen_durable[r];
        double places;
        lm_region_place_use(w, (int)r, &places);
        row[R_MATURITY * nr + r] = lm_region_maturity(w, (int)r);
        row[R_PLACES * nr + r] = places;
        row[R_EXITS_WORK * nr + r] = st->region_exits_work[r] - st->seen_exits_work[r];
        row[R_WORK * nr + r] = row[R_EXITS_WORK * nr + r] + row[R_PLACEMENTS * nr + r];
        row[R_INFLOW * nr + r] = st->region_inflow[r] - st->seen_inflow[r];
        row[R_YOUNG * nr + r] = lm_region_on_benefit_young(w, (int)r);
        row[R_STARTS * nr + r] = st->region_starts[r] - st->seen_starts[r];
        row[R_ENDS * nr + r] = st->region_ends[r] - st->seen_ends[r];
        row[R_EXITS_OTHER * nr + r] = st->region_exits_other[r] - st->seen_exits_other[r];
        st->seen_exits_other[r] = st->region_exits_other[r];
        st->seen_starts[r] = st->region_starts[r];
        st->seen_ends[r] = st->region_ends[r];
        st->seen_placements[r] = st->region_placements[r];
        st->seen_durable[r] = st->region_durable[r];
        st->seen_exits_work[r] = st->region_exits_work[r];
        st->seen_inflow[r] = st->region_inflow[r];
    }
}

/* a / b, or NaN when b is 0: an undefined ratio (no durable placements, no starts,
 * nobody waited) is never written as 0, which would bias means over replications. */
static double share(double a, double b) { return b > 0 ? a / b : NAN; }

static void long_term_split(const lm_ws *w, const lm_params *p, double now, double out[3])
{
    uint32_t n;
    const lm_person *people = lm_ws_people(w, &n);
    double c[3] = {0, 0, 0};
    for (uint32_t i = 0; i < n; i++) {
        const lm_person *q = &people[i];
        if (q->state > LM_POOL || now - q->benefit_start < p->long_term_days) continue;
        c[q->distance]++;
    }
    double t = c[0] + c[1] + c[2];
    for (int k = 0; k < 3; k++) out[k] = share(c[k], t);
}

static double staff_cost(const lm_params *p)
{
    double per_day = 0;
    for (int r = 0; r < p->nregions; r++)
        per_day += p->region[r].client_managers * p->cm_per_day + p->region[r].account_managers * p->am_per_day;
    return per_day * p->end;
}

static void finish_counts(const lm_stats *st, double *s)
{
    s[S_PLACEMENTS] = 0;
    for (int i = 0; i < LM_NPLACE; i++) s[S_PLACEMENTS] += s[S_PL_FIRST + i] = st->placements[i];
    s[S_SUBSIDISED] = st->subsidised;
    s[S_PARTNER] = st->partner_placements;
    s[S_DURABLE] = st->durable;
    s[S_DURABLE_SHARE] = share(st->durable, s[S_PLACEMENTS]);
    s[S_JOB_LOSSES] = st->job_losses;
    s[S_EXITS_WORK] = st->exits_work;
    s[S_EXITS_OTHER] = st->exits_other;
    s[S_PROG_DROPOUTS] = st->programme_dropouts;
    s[S_INVITED] = st->invited;
    s[S_PROFILED] = st->profiled;
    s[S_NOSHOW] = st->noshow;
    s[S_UNWILLING] = st->unwilling;
    for (int i = 0; i < LM_NTRAJ; i++) {
        s[S_STARTS_FIRST + i] = st->starts[i];
        s[S_WORK12_FIRST + i] = share(st->work12[i], st->cohort[i]);
    }
    s[S_MEAN_WAIT] = share(st->wait_days, st->waited);
    s[S_TTP] = share(st->time_to_placement, st->first_placements) / LM_DAYS_PER_MONTH;
    s[S_DURABLE_COACHED] = share(st->durable_coached, st->durable_coached + st->lost_coached);
    s[S_DURABLE_UNCOACHED] = share(st->durable - st->durable_coached,
                                   st->durable - st->durable_coached + st->job_losses - st->lost_coached);
    s[S_VACANCIES] = st->vacancies;
    s[S_VACANCIES_WSP] = st->vacancies_wsp;
}

static void finish_stock(lm_ws *w, const lm_params *p, double *s)
{
    const lm_stats *st = lm_ws_stats(w);
    double benefit_days = 0, caseload = 0, used = 0, places = 0, waiting = 0;
    for (int r = 0; r < p->nregions; r++) {
        double pl;
        benefit_days += lm_region_benefit_days(w, r, p->end);
        caseload += lm_region_on_benefit(w, r);
        used += lm_region_place_use(w, r, &pl);
        places += pl;
        waiting += st->count[r][LM_WAITING];
    }
    double split[3];
    long_term_split(w, p, p->end, split);
    s[S_BENEFIT_MONTHS] = benefit_days / LM_DAYS_PER_MONTH;
    s[S_CASELOAD_END] = caseload;
    s[S_LT_READY] = split[0];
    s[S_LT_ACTIVATION] = split[1];
    s[S_LT_NOTNOW] = split[2];
    s[S_PLACE_USE] = share(used, places);
    s[S_WAITING_END] = waiting;
    s[S_COST_PROGRAMMES] = st->cost_programmes;
    s[S_COST_AFTERCARE] = st->cost_aftercare;
    s[S_COST_SUBSIDIES] = st->cost_subsidies;
    s[S_COST_STAFF] = staff_cost(p) + st->cost_extra_staff;
    s[S_COST_TOTAL] = st->cost_programmes + st->cost_aftercare + st->cost_subsidies + s[S_COST_STAFF];
    s[S_COST_BENEFITS] = benefit_days * p->benefit_per_day;
    s[S_COST_PER_DURABLE] = share(s[S_COST_TOTAL], st->durable);
}

static void lm_finish(void *ws, sim_ctx *ctx, double *s)
{
    (void)ctx;
    lm_ws *w = ws;
    const lm_params *p = lm_ws_params(w);
    lm_settle_costs(w, p->end);
    finish_counts(lm_ws_stats(w), s);
    finish_stock(w, p, s);
}

/* An HDF5 enum over int32 with labels 0..n-1 (the caller closes it): /regions
 * keeps the integer codes, and readers get the names from the type. */
static hid_t int_enum(const char *const *names, int n)
{
    hid_t t = H5Tenum_create(H5T_NATIVE_INT32);
    for (int32_t i = 0; t >= 0 && i < n; i++) H5Tenum_insert(t, names[i], &i);
    return t;
}

/* Units of the /regions columns (table order), as "units" and "<field>_units". */
static int regions_units(hid_t d)
{
    static const char *const names[] = {"name", "caseload", "maturity", "client_managers", "account_managers",
                                        "tightness", "wsp", "pool", "vacancy_sharing"};
    static const char *const units[] = {"", "persons", "1", "FTE", "FTE", "unemployed per vacancy", "", "", "1"};
    int rc = sim_out_attr_strings(d, "units", units, SIM_ARRAY_LEN(units));
    for (size_t i = 0; i < SIM_ARRAY_LEN(names); i++) {
        char key[48];
        snprintf(key, sizeof key, "%s_units", names[i]);
        if (units[i][0]) rc |= sim_out_attr_string(d, key, units[i]);
    }
    return rc;
}

/* /regions: the static description of every region. */
static int lm_write(const void *params, sim_out *out)
{
    const lm_params *p = ((const lm_model_params *)params)->p;
    typedef struct {
        char   name[48];
        double caseload, maturity, client_managers, account_managers, tightness;
        int32_t wsp, pool, vacancy_sharing;
    } row;
    row *rows = calloc((size_t)p->nregions, sizeof *rows);
    if (!rows) return -1;
    for (int r = 0; r < p->nregions; r++) {
        const lm_region_params *rp = &p->region[r];
        rows[r] = (row){.caseload = rp->caseload, .maturity = rp->maturity,
                        .client_managers = rp->client_managers, .account_managers = rp->account_managers,
                        .tightness = rp->tightness, .wsp = rp->wsp, .pool = rp->pool,
                        .vacancy_sharing = rp->vacancy_sharing};
        memcpy(rows[r].name, rp->name, sizeof rows[r].name);
    }
    hid_t st = H5Tcopy(H5T_C_S1);
    H5Tset_size(st, 48);
    hid_t t = H5Tcreate(H5T_COMPOUND, sizeof(row));
    H5Tinsert(t, "name", HOFFSET(row, name), st);
    H5Tinsert(t, "caseload", HOFFSET(row, caseload), H5T_NATIVE_DOUBLE);
    H5Tinsert(t, "maturity", HOFFSET(row, maturity), H5T_NATIVE_DOUBLE);
    H5Tinsert(t, "client_managers", HOFFSET(row, client_managers), H5T_NATIVE_DOUBLE);
    H5Tinsert(t, "account_managers", HOFFSET(row, account_managers), H5T_NATIVE_DOUBLE);
    H5Tinsert(t, "tightness", HOFFSET(row, tightness), H5T_NATIVE_DOUBLE);
    hid_t wsp_t = int_enum(lm_wsp_names, 3), pool_t = int_enum(lm_pool_names, 3);
    H5Tinsert(t, "wsp", HOFFSET(row, wsp), wsp_t);
    H5Tinsert(t, "pool", HOFFSET(row, pool), pool_t);
    H5Tinsert(t, "vacancy_sharing", HOFFSET(row, vacancy_sharing), H5T_NATIVE_INT32);
    hid_t d = sim_out_table(sim_out_file(out), "regions", t, (size_t)p->nregions, rows);
    int rc = d < 0;
    /* The labels also as text attributes, for readers of format-2 files before the enums. */
    if (!rc) rc = sim_out_attr_string(d, "wsp_labels", "0 regional, 1 central_sub, 2 subregional")
                | sim_out_attr_string(d, "pool_labels", "0 joint, 1 depends, 2 own") | regions_units(d);
    if (d >= 0) H5Dclose(d);
    H5Tclose(wsp_t);
    H5Tclose(pool_t);
    H5Tclose(t);
    H5Tclose(st);
    free(rows);
    if (rc) sim_log_error("cannot write /regions");
    return rc ? -1 : 0;
}

/* Mean over the replications where summary field f is defined (not NaN); NaN if none. */
static double mean_of(const double *summary, size_t nrep, int f)
{
    double m = 0;
    size_t n = 0;
    for (size_t r = 0; r < nrep; r++) {
        double x = summary[r * S_N + (size_t)f];
        if (!isnan(x)) m += x, n++;
    }
    return n ? m / (double)n : NAN;
}

typedef struct { int region; double rate; } ranked;

static int by_rate(const void *a, const void *b)
{
    double x = ((const ranked *)a)->rate, y = ((const ranked *)b)->rate;
    return (x < y) - (x > y);
}

/* A line of the printed summary: the label padded to SUMMARY_LABEL, the value right-aligned
 * in SUMMARY_VALUE (room for "4,361,000,000"), then `after` (may be ""). */
#define SUMMARY_LABEL 36
#define SUMMARY_VALUE 14
static void summary_line(FILE *f, const char *label, const char *value, const char *after)
{
    fprintf(f, "%-*s%*s%s\n", SUMMARY_LABEL, label, SUMMARY_VALUE, value, after);
}

/* A whole count or amount for people: 267,895 (numtext.h); "n/a" for NaN. */
static const char *whole(double x, char *buf) { return sim_number_text(x, 0, buf); }

static void report_regions(const lm_params *p, const double *series, size_t nrep, FILE *f)
{
    const sim_schema *s = &p->schema;
    size_t nr = (size_t)p->nregions, row = s->n_series * nr;
    ranked rk[LM_MAX_REGIONS];
    int w = 28;   /* the longest region name ("Stedendriehoek en Noordwest Veluwe": 34) */
    for (size_t r = 0; r < nr; r++) {
        double d = 0;
        for (size_t k = 0; k < nrep; k++)
            for (size_t t = 0; t < s->n_steps; t++) d += series[(k * s->n_steps + t) * row + R_DURABLE * nr + r];
        rk[r] = (ranked){(int)r, d / (double)nrep / (p->region[r].caseload / 1000.0)};
        if ((int)strlen(p->region[r].name) > w) w = (int)strlen(p->region[r].name);
    }
    qsort(rk, nr, sizeof *rk, by_rate);
    fprintf(f, "\n  durable placements per 1,000 people on the initial caseload:\n");
    for (size_t i = 0; i < nr && i < 5; i++)
        fprintf(f, "    top %zu     %-*s %6.1f\n", i + 1, w, p->region[rk[i].region].name, rk[i].rate);
    for (size_t i = nr >= 10 ? nr - 5 : 5; i < nr; i++)   /* with fewer than 10 regions: those not in the top 5 */
        fprintf(f, "    bottom %zu  %-*s %6.1f\n", nr - i, w, p->region[rk[i].region].name, rk[i].rate);
}

static void lm_report(const void *params, const double *summary, const double *series, size_t nrep, FILE *f)
{
    const lm_params *p = ((const lm_model_params *)params)->p;
    double years = p->end / 365.25;
    char v[SIM_NUMTEXT_MAX], x[SIM_NUMTEXT_MAX], label[64], after[96];
    if (p->scale == 1.0)
        fprintf(f, "\n  National results over %.1f years, mean of %zu replication%s:\n", years, nrep, nrep == 1 ? "" : "s");
    else   /* counts and amounts are the simulated population's, not the country's */
        fprintf(f, "\n  Results for the simulated population (%.3g%% of the country's caseload; national figures are "
                   "about %.3g times larger)\n  over %.1f years, mean of %zu replication%s:\n", 100.0 * p->scale,
                1.0 / p->scale, years, nrep, nrep == 1 ? "" : "s");
    double placed = mean_of(summary, nrep, S_PLACEMENTS);
    snprintf(after, sizeof after, "  (%s per year)", whole(placed / years, x));
    summary_line(f, "    placements by the WSP", whole(placed, v), after);
    for (int i = 0; i < LM_NPLACE; i++) {
        snprintf(label, sizeof label, "      %s", lm_place_names[i]);
        summary_line(f, label, whole(mean_of(summary, nrep, S_PL_FIRST + i), v), "");
    }
    snprintf(label, sizeof label, "    durable placements (%.0f months)", p->durable_days / LM_DAYS_PER_MONTH);
    double share = mean_of(summary, nrep, S_DURABLE_SHARE);
    if (isnan(share)) snprintf(after, sizeof after, "  (n/a of placements)");
    else snprintf(after, sizeof after, "  (%.0f%% of placements)", 100 * share);
    summary_line(f, label, whole(mean_of(summary, nrep, S_DURABLE), v), after);
    summary_line(f, "    exits to work found on their own", whole(mean_of(summary, nrep, S_EXITS_WORK), v), "");
    summary_line(f, "    caseload at the end", whole(mean_of(summary, nrep, S_CASELOAD_END), v), "");
    summary_line(f, "    benefit months", whole(mean_of(summary, nrep, S_BENEFIT_MONTHS), v), "");
    summary_line(f, "    cost of activation (EUR)", whole(mean_of(summary, nrep, S_COST_TOTAL), v), "");
    summary_line(f, "    cost per durable placement (EUR)", whole(mean_of(summary, nrep, S_COST_PER_DURABLE), v), "");
    fprintf(f, "    share in work within 12 months of starting:\n");
    for (int i = 0; i < LM_NTRAJ; i++) {
        double w12 = mean_of(summary, nrep, S_WORK12_FIRST + i);
        snprintf(label, sizeof label, "      %s", lm_traj_names[i]);
        if (isnan(w12)) snprintf(v, sizeof v, "n/a");
        else snprintf(v, sizeof v, "%.1f%%", 100 * w12);
        summary_line(f, label, v, "");
    }
    if (series) report_regions(p, series, nrep, f);
    fprintf(f, "  (all %d outcomes per replication are in /summary: sim info FILE, sim compare BASE ALT)\n", S_N);
}

const sim_model_type lm_model = {
    "labour_market", "Activation of jobseekers on social assistance in the 35 Dutch labour-market regions",
    lm_configure, lm_destroy, lm_schema, ws_create, lm_ws_destroy,
    lm_start, lm_handle, lm_observe, lm_finish, lm_write, lm_report, "labour_market.scale",
    branch_time, lm_branch,
};
