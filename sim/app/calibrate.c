/* calibrate.c: `sim calibrate`: targets file -> parameters and targets checked
 * against the scenario and the model's schema (nothing runs on a bad file) ->
 * NLopt over the parameters scaled to [0,1] -> evaluation record (journal, HDF5),
 * target table, and an overlay scenario holding the fitted values; with
 * --uncertainty the targets' Jacobian there and the linearised covariance
 * (fit_uncertainty.h), with --draws its check by simulation, with --posterior
 * the posterior by importance sampling (fit_posterior.h). What is written
 * is calibrate_output.c's; the state both share is calibrate_internal.h.
 *
 * Invariant of the journal: line i (after the header) is evaluation i of this
 * calibration, with the parameter values in exact hexadecimal; the optimiser is
 * deterministic, so a rerun asks for the same points in the same order and the
 * recorded ones are answered from the journal until the first that differs. */
#define _GNU_SOURCE
#include "calibrate.h"

#include <errno.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_statistics_double.h>
#include <limits.h>
#include <math.h>
#include <nlopt.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../core/rng.h"
#include "../io/config.h"
#include "../io/files.h"
#include "calibrate_internal.h"
#include "calibrate_output.h"
#include "fit_uncertainty.h"
#include "run.h"


/* ----------------------------------------------------------- targets file -- */

static void set_loc(sim_config *c, sim_node *n, char *loc) { sim_config_where(c, n, loc, CAL_KEY); }

static void copy_name(char *dst, const char *src) { snprintf(dst, CAL_NAME, "%s", src); }

static void read_param(sim_config *c, sim_node *e, param *p)
{
    snprintf(p->key, CAL_KEY, "%s", sim_cfg_string(c, e, "key"));
    p->lo = sim_cfg_real(c, e, "lower", -1e300, 1e300);
    p->hi = sim_cfg_real(c, e, "upper", -1e300, 1e300);
    p->source = strdup(sim_cfg_has(c, e, "source") ? sim_cfg_string(c, e, "source") : "");
    for (char *q = p->source; q && *q; q++)   /* it is echoed inside a quoted string of the overlay */
        if (*q == '"' || *q == '\\') *q = '\'';
    if (!(p->lo < p->hi)) sim_config_error(c, e, "bounds: lower must be below upper (got %g and %g)", p->lo, p->hi);
}

/* A sum's optional base period: relative_from and relative_to, both or neither.
 * With them the target is the relative change of the sum against the base sum. */
static void read_base_period(sim_config *c, sim_node *e, target *t)
{
    int has_from = sim_cfg_has(c, e, "relative_from"), has_to = sim_cfg_has(c, e, "relative_to");
    if (!has_from && !has_to) return;
    if (has_from) t->rel_from = sim_cfg_date(c, e, "relative_from", 0.0, SIM_DATE_NO_LIMIT);
    if (has_to) t->rel_to = sim_cfg_date(c, e, "relative_to", 0.0, SIM_DATE_NO_LIMIT);
    if (!has_from || !has_to) {
        sim_config_error(c, sim_cfg_lookup(c, e, has_from ? "relative_from" : "relative_to"),
                         "a sum relative to a base period needs both relative_from and relative_to");
        return;
    }
    t->rel = t->rel_from;
    if (!(t->rel_from < t->rel_to)) {
        sim_config_error(c, e, "relative_from must be before relative_to (got %s and %s)",
                         sim_cfg_string(c, e, "relative_from"), sim_cfg_string(c, e, "relative_to"));
    }
}

/* What a target measures: exactly one of `summary` and `series`. */
static void read_target_kind(sim_config *c, sim_node *e, target *t)
{
    int has_sum = sim_cfg_has(c, e, "summary"), has_ser = sim_cfg_has(c, e, "series");
    if (has_sum == has_ser) {
        sim_config_error(c, e, "a target names exactly one of summary = \"field\" or series = \"name\"");
        return;
    }
    t->rel = -1e9;
    if (sim_cfg_has(c, e, "relative_from") && !(has_ser && sim_cfg_has(c, e, "from"))) {
        sim_cfg_date(c, e, "relative_from", 0.0, SIM_DATE_NO_LIMIT);   /* read: reported here, not as unknown */
        sim_config_error(c, sim_cfg_lookup(c, e, "relative_from"),
                         "only on a sum over a period (allowed: from, to, relative_from and relative_to together; "
                         "at with relative_to for a growth rate)");
    }
    if (has_sum) {
        t->kind = TG_SUMMARY;
        copy_name(t->field, sim_cfg_string(c, e, "summary"));
        if (sim_cfg_has(c, e, "per")) copy_name(t->per, sim_cfg_string(c, e, "per"));
        return;
    }
    copy_name(t->field, sim_cfg_string(c, e, "series"));
    if (sim_cfg_has(c, e, "at")) {
        t->kind = TG_SERIES_AT;
        t->at = sim_cfg_date(c, e, "at", 0.0, SIM_DATE_NO_LIMIT);
        if (sim_cfg_has(c, e, "relative_to")) t->rel = sim_cfg_date(c, e, "relative_to", 0.0, SIM_DATE_NO_LIMIT);
    } else if (sim_cfg_has(c, e, "from") && sim_cfg_has(c, e, "to")) {
        t->kind = TG_SERIES_SUM;
        t->from = sim_cfg_date(c, e, "from", 0.0, SIM_DATE_NO_LIMIT);
        t->to = sim_cfg_date(c, e, "to", 0.0, SIM_DATE_NO_LIMIT);
        if (!(t->from < t->to)) sim_config_error(c, e, "from must be before to");
        read_base_period(c, e, t);
    } else {
        sim_config_error(c, e, "a series target needs at = \"date\" (optionally relative_to) or from and to "
                               "(optionally relative_from and relative_to)");
    }
}

static void read_target(sim_config *c, sim_node *e, target *t)
{
    set_loc(c, e, t->loc);
    copy_name(t->name, sim_cfg_string(c, e, "name"));
    read_target_kind(c, e, t);
    t->value = sim_cfg_real(c, e, "value", -1e300, 1e300);
    t->tol = sim_cfg_real(c, e, "tolerance", 0.0, 1e300);
    if (sim_cfg_has(c, e, "tolerance") && !(t->tol > 0))
        sim_config_error(c, sim_cfg_lookup(c, e, "tolerance"), "tolerance must be positive (allowed: > 0)");
    t->fit = sim_cfg_bool(c, e, "fit");
    t->source = strdup(sim_cfg_string(c, e, "source"));
}

/* Read the `calibration` group; every problem recorded in tc. */
static void read_targets_file(sim_config *tc, calib *cal)
{
    sim_node *g = sim_cfg_group(tc, NULL, "calibration");
    if (!g) return;   /* scale_key was read by prepare_calibration, before the scenario */
    int n = 0;   /* parameters may be left out of a file only checked (--check without --uncertainty) */
    sim_node *l = sim_cfg_has(tc, g, "parameters") ? sim_cfg_list(tc, g, "parameters", &n) : NULL;
    if (l && n > CAL_MAX_PARAMS) sim_config_error(tc, l, "%d parameters (allowed: at most %d)", n, CAL_MAX_PARAMS);
    for (int i = 0; l && i < n && i < CAL_MAX_PARAMS; i++) {
        sim_node *e = sim_cfg_elem(l, i);
        set_loc(tc, e, cal->par[i].loc);
        read_param(tc, e, &cal->par[cal->npar++]);
    }
    l = sim_cfg_list(tc, g, "targets", &n);
    if (l && (n < 1 || n > CAL_MAX_TARGETS))
        sim_config_error(tc, l, "%d targets (allowed: 1 to %d)", n, CAL_MAX_TARGETS);
    for (int i = 0; l && i < n && i < CAL_MAX_TARGETS; i++) read_target(tc, sim_cfg_elem(l, i), &cal->tg[cal->ntg++]);
}

/* ------------------------------------------------ checks against the model -- */

static int field_index(const sim_field *f, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(f[i].name, name)) return (int)i;
    return -1;
}

/* Observation index of the series value at day t: the nearest observation
 * (sim_schema_obs_time: calendar month ends for the labour-market model) within
 * half a (mean) step, or -1. */
static int step_at(const sim_schema *s, double t)
{
    int best = -1;
    for (size_t k = 0; k < s->n_steps; k++) {
        double d = fabs(sim_schema_obs_time(s, k) - t);
        if (d <= 0.5 * s->series_step && (best < 0 || d < fabs(sim_schema_obs_time(s, (size_t)best) - t))) best = (int)k;
    }
    return best;
}

/* Whether day t is a boundary between observation steps (the start of the first step, or
 * an observation time), within half a day. */
static int step_boundary(const sim_schema *s, double t)
{
    for (size_t k = 0; k <= s->n_steps; k++) {
        double b = k == 0 ? sim_schema_obs_start(s, 0) : sim_schema_obs_time(s, k - 1);
        if (fabs(b - t) < 0.5) return 1;
    }
    return 0;
}

static int resolve_summary(target *t, const sim_schema *s)
{
    t->idx = field_index(s->summary, s->n_summary, t->field);
    if (t->idx < 0) {
        fprintf(stderr, "%s: target %s: summary = \"%s\": unknown /summary field of this model\n", t->loc, t->name, t->field);
        return -1;
    }
    t->extensive = !strncmp(s->summary[t->idx].unit, "persons", 7);
    if (!t->per[0]) return 0;
    t->per_idx = field_index(s->summary, s->n_summary, t->per);
    t->extensive = 0;
    if (t->per_idx >= 0) return 0;
    fprintf(stderr, "%s: target %s: per = \"%s\": unknown /summary field of this model\n", t->loc, t->name, t->per);
    return -1;
}

static int resolve_series(target *t, const sim_schema *s)
{
    t->idx = field_index(s->series, s->n_series, t->field);
    if (t->idx < 0) {
        fprintf(stderr, "%s: target %s: series = \"%s\": unknown /series name of this model (or the run writes no series)\n",
                t->loc, t->name, t->field);
        return -1;
    }
    t->extensive = !strncmp(s->series[t->idx].unit, "persons", 7) && t->rel < -1e8;
    double last = s->n_steps ? sim_schema_obs_time(s, s->n_steps - 1) : 0.0;
    int bad = t->kind == TG_SERIES_AT ? step_at(s, t->at) < 0 || (t->rel > -1e8 && step_at(s, t->rel) < 0)
                                      : t->from < 0 || t->to > last + 0.5 * s->series_step
                                        || (t->rel > -1e8 && (t->rel_from < 0 || t->rel_to > last + 0.5 * s->series_step));
    if (bad) {
        fprintf(stderr, "%s: target %s: a date outside the run (allowed: observations from day %.0f to day %.0f after the origin)\n",
                t->loc, t->name, s->n_steps ? sim_schema_obs_time(s, 0) : 0.0, last);
        return -1;
    }
    if (t->kind != TG_SERIES_SUM) return 0;
    /* a sum covers whole steps: a date inside a step would silently take the whole step or none */
    const char *key[4] = {"from", "to", "relative_from", "relative_to"};
    double day[4] = {t->from, t->to, t->rel_from, t->rel_to};
    for (int i = 0; i < (t->rel > -1e8 ? 4 : 2); i++) {
        if (step_boundary(s, day[i])) continue;
        fprintf(stderr, "%s: target %s: %s = day %.0f after the origin lies inside an observation step of %.0f days "
                        "(allowed: a boundary between steps: the first of a month, or of a step's first month with "
                        "series_step_months)\n", t->loc, t->name, key[i], day[i], s->series_step);
        return -1;
    }
    return 0;
}

static int check_schema(const sim_run_view *v, void *user)
{
    calib *cal = user;
    int bad = 0;
    for (int i = 0; i < cal->ntg; i++) {
        target *t = &cal->tg[i];
        bad |= (t->kind == TG_SUMMARY ? resolve_summary(t, v->schema) : resolve_series(t, v->schema)) != 0;
    }
    return bad ? -1 : 0;
}

/* A request for the scenario with the --set overrides, extra assignments, and
 * the calibration's population scale. `sets` and `origins` must hold CAL_MAX_SETS
 * entries; extra_where[i] (NULL = the command line) is where a problem with the
 * value of extra[i] is reported (a parameter's line in the targets file). */
static sim_run_request base_request(const calib *cal, const char **sets, const char **origins,
                                    char (*extra)[CAL_KEY + 64], const char *const *extra_where, int nextra)
{
    const sim_calibrate_request *r = cal->req;
    int n = 0;
    for (int i = 0; i < r->nsets; i++, n++) {
        sets[n] = r->sets[i];
        origins[n] = NULL;
    }
    for (int i = 0; i < nextra; i++, n++) {
        sets[n] = extra[i];
        origins[n] = extra_where[i];
    }
    sim_run_request q = {.models = r->models, .scenario = r->scenario, .sets = sets, .set_origins = origins,
                         .nsets = n, .threads = r->threads,
                         .replications = r->replications, .seed = r->seed, .detail = -1, .sample = -1,
                         .quiet = 1, .command_line = r->command_line};
    return q;
}

static void scale_assignment(const calib *cal, char *buf)
{
    if (cal->scale_key[0]) snprintf(buf, CAL_KEY + 64, "%s=%.17g", cal->scale_key, cal->scale0 * cal->req->scale);
    else snprintf(buf, CAL_KEY + 64, "%s", "");
}

/* Each parameter's bounds must be values the scenario accepts: configure the
 * model at each bound (nothing runs). */
static int check_bounds(calib *cal)
{
    const char *sets[CAL_MAX_SETS], *origins[CAL_MAX_SETS];
    char extra[2][CAL_KEY + 64];
    int bad = 0;
    for (int i = 0; i < cal->npar; i++)
        for (int b = 0; b < 2; b++) {
            param *p = &cal->par[i];
            const char *where[1] = {p->loc};
            snprintf(extra[0], sizeof extra[0], "%s=%.17g", p->key, b ? p->hi : p->lo);
            sim_run_request q = base_request(cal, sets, origins, extra, where, 1);
            q.validate_only = 1;
            if (sim_run_in_memory(&q, check_schema, cal) == 0) continue;
            fprintf(stderr, "%s: parameter %s: the %s bound %g is not a value the scenario accepts (see above)\n",
                    p->loc, p->key, b ? "upper" : "lower", b ? p->hi : p->lo);
            bad = 1;
        }
    return bad ? -1 : 0;
}

/* The overlay's list name: overrides_calibrated, or overrides_calibrated_2, _3, ...
 * when the scenario (an earlier stage's overlay, say) already has that list, so that
 * an overlay of an overlay loads (libconfig refuses a name set twice). */
static int pick_list_name(const sim_config *c, char *name, size_t size)
{
    snprintf(name, size, "overrides_calibrated");
    for (int k = 2; sim_cfg_has(c, NULL, name) && k <= CAL_MAX_LAYERS; k++) snprintf(name, size, "overrides_calibrated_%d", k);
    return sim_cfg_has(c, NULL, name) ? -1 : 0;
}

/* The scenario as the runs will see it: origin, population scale, and the
 * parameters' current values (the optimiser's start), and a free name for the
 * overlay's list. */
static int probe_scenario(calib *cal)
{
    const sim_calibrate_request *r = cal->req;
    sim_config *c = sim_config_load(r->scenario);
    if (!c) { sim_log_error("out of memory"); return -1; }
    for (int i = 0; i < r->nsets && sim_config_nerrors(c) == 0; i++) sim_config_override(c, r->sets[i]);
    int bad = sim_config_nerrors(c) > 0;
    snprintf(cal->origin, sizeof cal->origin, "%s",
             sim_cfg_has(c, NULL, "origin") ? sim_cfg_string(c, NULL, "origin") : "2019-01-01");
    cal->scale0 = 1.0;
    if (!bad && cal->scale_key[0]) {
        sim_node *s = sim_cfg_lookup(c, NULL, cal->scale_key);
        if (s) cal->scale0 = sim_cfg_real(c, s, NULL, 1e-300, 1e300);
        else fprintf(stderr, "%s: scale_key \"%s\": not a key of the scenario\n", r->targets, cal->scale_key), bad = 1;
    }
    if (!cal->scale_key[0] && r->scale != 1.0)
        fprintf(stderr, "%s: --scale needs scale_key in the calibration group\n", r->targets), bad = 1;
    for (int i = 0; !bad && i < cal->npar; i++) {
        param *p = &cal->par[i];
        sim_node *s = sim_cfg_lookup(c, NULL, p->key);
        if (!s) { fprintf(stderr, "%s: parameter %s: not a key of the scenario\n", p->loc, p->key); bad = 1; continue; }
        p->start = sim_cfg_real(c, s, NULL, -1e300, 1e300);
    }
    sim_node *sd = sim_cfg_lookup(c, NULL, "seed");
    if (sd && sim_cfg_is_integer(sd)) cal->seed0 = config_setting_get_int64(sd);
    if (!bad && !r->check_only && pick_list_name(c, cal->list, sizeof cal->list) != 0)
        fprintf(stderr, "%s: the scenario already has overrides_calibrated .. overrides_calibrated_%d (allowed: at most "
                "%d calibrations layered on each other; start from a scenario with the values written in)\n",
                r->scenario, CAL_MAX_LAYERS, CAL_MAX_LAYERS), bad = 1;
    char *text = bad ? NULL : sim_config_resolved_text(c);
    cal->scenario_hash = 1469598103934665603ull;
    for (const char *q = text; q && *q; q++) cal->scenario_hash = (cal->scenario_hash ^ (unsigned char)*q) * 1099511628211ull;
    free(text);
    if (sim_config_nerrors(c)) sim_config_print_errors(c, stderr, 0);
    sim_config_destroy(c);
    return bad ? -1 : 0;
}

/* ------------------------------------------------------ target arithmetic -- */

/* National value (sum over columns) of series idx at observation k, replication r. */
static double series_value(const sim_run_view *v, size_t r, int idx, int k)
{
    const sim_schema *s = v->schema;
    size_t row = s->n_series * s->n_columns;
    const double *x = v->results->series + (r * s->n_steps + (size_t)k) * row + (size_t)idx * s->n_columns;
    double sum = 0.0;
    for (size_t c = 0; c < s->n_columns; c++) sum += x[c];
    return sum;
}

/* Sum of the target's series over the observations that end in (from, to]. */
static double series_sum(const target *t, const sim_run_view *v, size_t r, double from, double to)
{
    const sim_schema *s = v->schema;
    double sum = 0.0, half = 0.5 * s->series_step;
    for (size_t k = 0; k < s->n_steps; k++) {
        double time = sim_schema_obs_time(s, k);
        if (time > from + half && time <= to + half) sum += series_value(v, r, t->idx, (int)k);
    }
    return sum;
}

/* The target's value in replication r, national and (for counts of persons)
 * divided by the population scale, so it compares with the national statistic. */
static double target_rep(const target *t, const sim_run_view *v, size_t r, double scale)
{
    const sim_schema *s = v->schema;
    double x;
    if (t->kind == TG_SUMMARY) {
        const double *row = v->results->summary + r * s->n_summary;
        x = t->per[0] ? row[t->idx] / row[t->per_idx] : row[t->idx];
    } else if (t->kind == TG_SERIES_AT) {
        x = series_value(v, r, t->idx, step_at(s, t->at));
        if (t->rel > -1e8) x = x / series_value(v, r, t->idx, step_at(s, t->rel)) - 1.0;
    } else {
        x = series_sum(t, v, r, t->from, t->to);
        if (t->rel > -1e8) x = x / series_sum(t, v, r, t->rel_from, t->rel_to) - 1.0;
    }
    return t->extensive ? x / scale : x;
}

/* Mean and 95% t-interval over the replications where the value is defined. */
static void mean_ci(const double *x, size_t n, double *mean, double *lo, double *hi)
{
    double *ok = malloc((n ? n : 1) * sizeof *ok);
    size_t m = 0;
    for (size_t i = 0; ok && i < n; i++)
        if (isfinite(x[i])) ok[m++] = x[i];
    *mean = m ? gsl_stats_mean(ok, 1, m) : NAN;
    double half = m > 1 ? gsl_cdf_tdist_Pinv(0.975, (double)(m - 1)) * gsl_stats_sd(ok, 1, m) / sqrt((double)m) : NAN;
    *lo = *mean - half;
    *hi = *mean + half;
    free(ok);
}

static int collect(const sim_run_view *v, void *user)
{
    calib *cal = user;
    size_t n = v->results->nrep, need = n * (size_t)cal->ntg;
    double *x = malloc(n * sizeof *x);
    if (x && need > cal->rep_cap) {
        double *g = realloc(cal->rep_t, need * sizeof *g);
        if (g) cal->rep_t = g, cal->rep_cap = need;
        else free(x), x = NULL;
    }
    if (!x) { sim_log_error("out of memory"); return -1; }
    double scale = cal->scale0 * cal->req->scale;
    for (int i = 0; i < cal->ntg; i++) {
        target *t = &cal->tg[i];
        for (size_t r = 0; r < n; r++) x[r] = cal->rep_t[r * (size_t)cal->ntg + (size_t)i] = target_rep(t, v, r, scale);
        mean_ci(x, n, &t->mean, &t->lo, &t->hi);
    }
    cal->nrep = (int)n;
    free(x);
    return 0;
}

/* Mean squared standardised miss over the in-sample targets; an undefined
 * target value counts as a miss of 1000 tolerances. */
static double objective(const calib *cal)
{
    double sum = 0.0;
    int n = 0;
    for (int i = 0; i < cal->ntg; i++) {
        const target *t = &cal->tg[i];
        if (!t->fit) continue;
        double z = isfinite(t->mean) ? (t->mean - t->value) / t->tol : 1000.0;
        sum += z * z;
        n++;
    }
    return n ? sum / n : 0.0;
}


/* ---------------------------------------------------- evaluation record -- */


static int record(calib *cal, const double *x, double obj)
{
    if (cal->nrec == cal->caprec) {
        int cap = cal->caprec ? 2 * cal->caprec : 64;
        double *a = realloc(cal->rec_x, (size_t)cap * (size_t)(cal->npar ? cal->npar : 1) * sizeof *a);
        if (a) cal->rec_x = a;
        double *b = realloc(cal->rec_t, (size_t)cap * (size_t)cal->ntg * sizeof *b);
        if (b) cal->rec_t = b;
        double *o = realloc(cal->rec_obj, (size_t)cap * sizeof *o);
        if (o) cal->rec_obj = o;
        if (!a || !b || !o) { sim_log_error("out of memory"); return -1; }
        cal->caprec = cap;
    }
    for (int j = 0; j < cal->npar; j++) cal->rec_x[cal->nrec * cal->npar + j] = value_of(&cal->par[j], x[j]);
    for (int j = 0; j < cal->ntg; j++) cal->rec_t[cal->nrec * cal->ntg + j] = cal->tg[j].mean;
    cal->rec_obj[cal->nrec] = obj;
    if (cal->nrec == 0 || obj < cal->rec_obj[cal->best]) cal->best = cal->nrec;
    cal->nrec++;
    return 0;
}

/* The replay ends before line i: drop the journal from there (a line that
 * differs or was torn by a kill) and append new evaluations after it. */
static int journal_cut(calib *cal, int i)
{
    cal->replaying = 0;
    if (!cal->journal || cal->nj == 0) return 0;
    if (fflush(cal->journal) != 0 || ftruncate(fileno(cal->journal), cal->joff[i]) != 0
        || fseek(cal->journal, 0, SEEK_END) != 0) {
        sim_log_error("%s: cannot write the journal: %s", cal->journal_path, strerror(errno));
        return -1;
    }
    return 0;
}

/* Append the last evaluation to the journal (exact hexadecimal) and flush it to disk. */
static int journal_append(calib *cal, const double *x, double obj)
{
    FILE *f = cal->journal;
    if (!f || cal->replaying) return 0;
    fprintf(f, "%d %a", cal->nrec - 1, obj);
    for (int j = 0; j < cal->npar; j++) fprintf(f, " %a", x[j]);
    for (int j = 0; j < cal->ntg; j++) fprintf(f, " %a", cal->tg[j].mean);
    fputc('\n', f);
    if (fflush(f) != 0 || fsync(fileno(f)) != 0) {
        sim_log_error("%s: cannot write the journal: %s", cal->journal_path, strerror(errno));
        return -1;
    }
    return 0;
}

/* The recorded answer for the optimiser's i-th request, if it asks for exactly
 * the recorded point; the first difference ends the replay. */
static int replayed(calib *cal, const double *x, double *obj)
{
    int i = cal->nrec;
    if (!cal->replaying) return 0;
    if (i >= cal->nj || memcmp(x, cal->jx + (size_t)i * (size_t)cal->npar, (size_t)cal->npar * sizeof *x) != 0) {
        if (journal_cut(cal, i) != 0) cal->failed = 1;
        return 0;
    }
    for (int j = 0; j < cal->ntg; j++) {
        cal->tg[j].mean = cal->jt[(size_t)i * (size_t)cal->ntg + (size_t)j];
        cal->tg[j].lo = cal->tg[j].hi = NAN;
    }
    *obj = cal->jobj[i];
    return 1;
}

/* Run the scenario at normalised point x; fills the targets' model values. */
static int simulate(calib *cal, const double *x)
{
    const char *sets[CAL_MAX_SETS], *origins[CAL_MAX_SETS], *where[CAL_MAX_PARAMS + 1];
    char extra[CAL_MAX_PARAMS + 1][CAL_KEY + 64];
    int n = 0;
    for (int j = 0; j < cal->npar; j++) {
        where[n] = cal->par[j].loc;
        snprintf(extra[n++], sizeof extra[0], "%s=%.17g", cal->par[j].key, value_of(&cal->par[j], x[j]));
    }
    if (cal->scale_key[0]) {
        where[n] = "command line (--scale)";
        scale_assignment(cal, extra[n++]);
    }
    sim_run_request q = base_request(cal, sets, origins, extra, where, n);
    return sim_run_in_memory(&q, collect, cal);
}

static void progress(const calib *cal, const double *x, double obj, int from_journal)
{
    if (cal->req->quiet) return;
    fprintf(stderr, "eval %3d: objective %10.4g  best %10.4g  %6.1f s%s  [", cal->nrec, obj,
            cal->rec_obj[cal->best], omp_get_wtime() - cal->t0, from_journal ? " (journal)" : "");
    for (int j = 0; j < cal->npar; j++) fprintf(stderr, "%s%.6g", j ? " " : "", value_of(&cal->par[j], x[j]));
    fputs("]\n", stderr);
}

static double evaluate(calib *cal, const double *x)
{
    double obj;
    int from_journal = replayed(cal, x, &obj);
    if (cal->failed) return HUGE_VAL;
    if (!from_journal) {
        if (simulate(cal, x) != 0) { cal->failed = 1; return HUGE_VAL; }
        obj = objective(cal);
    }
    if (record(cal, x, obj) != 0 || journal_append(cal, x, obj) != 0) { cal->failed = 1; return HUGE_VAL; }
    progress(cal, x, obj, from_journal);
    return obj;
}

static double nlopt_objective(unsigned n, const double *x, double *grad, void *data)
{
    (void)n;
    (void)grad;
    calib *cal = data;
    double obj = cal->failed ? HUGE_VAL : evaluate(cal, x);
    if (cal->failed) nlopt_force_stop(cal->opt);
    return obj;
}

/* ------------------------------------------------------------- journal -- */

/* Everything that decides the evaluations; a journal is replayed only when its
 * header carries the same text. */
static char *fingerprint(const calib *cal)
{
    const sim_calibrate_request *r = cal->req;
    char *s = NULL, *t = NULL;
    if (asprintf(&s, "scenario %s %016llx; seed %lld; replications %d; scale %.17g; algorithm %s;",
                 r->scenario, (unsigned long long)cal->scenario_hash, (long long)r->seed, r->replications,
                 r->scale, r->algorithm) < 0) return NULL;
    for (int i = 0; s && i < r->nsets; i++, free(s), s = t)
        if (asprintf(&t, "%s set %s;", s, r->sets[i]) < 0) t = NULL;
    for (int i = 0; s && i < cal->npar; i++, free(s), s = t)
        if (asprintf(&t, "%s %s [%a, %a];", s, cal->par[i].key, cal->par[i].lo, cal->par[i].hi) < 0) t = NULL;
    for (int i = 0; s && i < cal->ntg; i++, free(s), s = t)
        if (asprintf(&t, "%s %s=%a/%a/%d %d:%s/%s@%a,%a,%a,%a,%a,%a;", s, cal->tg[i].name, cal->tg[i].value, cal->tg[i].tol,
                     cal->tg[i].fit, (int)cal->tg[i].kind, cal->tg[i].field, cal->tg[i].per, cal->tg[i].at, cal->tg[i].rel,
                     cal->tg[i].from, cal->tg[i].to, cal->tg[i].rel_from, cal->tg[i].rel_to) < 0) t = NULL;
    return s;
}

/* Read the evaluations of an earlier run with the same header. 0 (maybe none), -1 refused. */
static int journal_load(calib *cal, FILE *f)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t len = getline(&line, &cap, f);
    if (len <= 0) { free(line); return 0; }
    line[strcspn(line, "\n")] = 0;
    if (strcmp(line, cal->journal_head) != 0) {
        sim_log_error("%s belongs to another calibration (other scenario, targets, seed, replications, scale or "
                      "algorithm); remove it or rerun with --fresh", cal->journal_path);
        free(line);
        return -1;
    }
    size_t np = (size_t)cal->npar, nt = (size_t)cal->ntg;
    long off = ftell(f);
    while ((len = getline(&line, &cap, f)) > 0) {
        size_t i = (size_t)cal->nj;
        long *jo = realloc(cal->joff, (i + 2) * sizeof *jo);
        if (!jo) break;
        cal->joff = jo;
        jo[i] = off;
        double *a = realloc(cal->jx, (i + 1) * (np ? np : 1) * sizeof *a);
        if (a) cal->jx = a;
        double *b = realloc(cal->jt, (i + 1) * nt * sizeof *b);
        if (b) cal->jt = b;
        double *o = realloc(cal->jobj, (i + 1) * sizeof *o);
        if (o) cal->jobj = o;
        if (!a || !b || !o) break;
        char *p = line, *end;
        long idx = strtol(p, &end, 10);
        int ok = end != p && idx == (long)i;
        o[i] = strtod(p = end, &end), ok = ok && end != p;
        for (size_t j = 0; ok && j < np; j++) a[i * np + j] = strtod(p = end, &end), ok = end != p;
        for (size_t j = 0; ok && j < nt; j++) b[i * nt + j] = strtod(p = end, &end), ok = end != p;
        if (!ok || line[len - 1] != '\n') break;   /* a torn last line (killed while writing) */
        cal->nj++;
        off = ftell(f);
        jo[i + 1] = off;
    }
    free(line);
    return 0;
}

/* Open OUT.journal: load a matching earlier one (unless --fresh), then rewrite
 * it from the header; replayed evaluations are appended again as they are used. */
static int journal_open(calib *cal, const char *output)
{
    if (!(cal->journal_path = calib_sibling_path(output, ".journal"))) return -1;
    char *fp = fingerprint(cal);
    if (!fp || asprintf(&cal->journal_head, "# sim calibrate journal 1: %s", fp) < 0) { free(fp); return -1; }
    free(fp);
    FILE *old = cal->req->fresh ? NULL : fopen(cal->journal_path, "r+");
    if (old && journal_load(cal, old) != 0) { fclose(old); return -1; }
    cal->replaying = cal->nj > 0;
    if (cal->replaying) {   /* keep the recorded lines until the replay ends (journal_cut) */
        cal->journal = old;
        if (!cal->req->quiet)
            fprintf(stderr, "sim: %s: replaying %d recorded evaluations\n", cal->journal_path, cal->nj);
        return 0;
    }
    if (old) fclose(old);
    cal->journal = fopen(cal->journal_path, "w");
    if (!cal->journal) {
        sim_log_error("%s: cannot write the journal: %s", cal->journal_path, strerror(errno));
        return -1;
    }
    fprintf(cal->journal, "%s\n", cal->journal_head);
    return fflush(cal->journal) == 0 ? 0 : -1;
}

/* ------------------------------------------------- parameter uncertainty -- */

/* The scenario as it is (its own parameter values, nothing assigned). */
static int simulate_as_is(calib *cal)
{
    int npar = cal->npar;
    double x[1] = {0};
    cal->npar = 0;
    int rc = simulate(cal, x);
    cal->npar = npar;
    return rc;
}

/* The targets' means into m[ntg] and their values per replication into reps
 * [nrep][ntg], at normalised point x. */
static int means_at(calib *cal, const double *x, double *m, double *reps)
{
    if (simulate(cal, x) != 0) return -1;
    for (int i = 0; i < cal->ntg; i++) m[i] = cal->tg[i].mean;
    memcpy(reps, cal->rep_t, (size_t)cal->nrep * (size_t)cal->ntg * sizeof *reps);
    return 0;
}

/* Standard error of a Jacobian entry: the spread over replications of the paired
 * differences (the same seeds on both sides), sd / sqrt(n) / |dv|; NAN below 2. */
static double entry_se(const calib *cal, const double *rp, const double *rm, int i, double dv)
{
    double mean = 0.0, m2 = 0.0;   /* Welford */
    size_t n = 0, nt = (size_t)cal->ntg;
    for (size_t r = 0; r < (size_t)cal->nrep; r++) {
        double a = rp[r * nt + (size_t)i], b = rm[r * nt + (size_t)i];
        if (!isfinite(a) || !isfinite(b)) continue;
        double d = a - b, delta = d - mean;
        mean += delta / (double)++n;
        m2 += delta * (d - mean);
    }
    return n > 1 ? sqrt(m2 / (double)(n - 1)) / sqrt((double)n) / fabs(dv) : NAN;
}

/* Column j of the Jacobian: central differences of +-h in the parameter's
 * normalised [0, 1] units, one-sided where a bound is closer than h; with each
 * entry's standard error from the replications. rep0 [nrep][ntg]: the point's own. */
static int jacobian_column(calib *cal, const double *x0, const double *m0, const double *rep0, int j, double h)
{
    double x[CAL_MAX_PARAMS], mp[CAL_MAX_TARGETS], mm[CAL_MAX_TARGETS];
    size_t cells = (size_t)cal->nrep * (size_t)cal->ntg;
    double *rp = malloc(cells * sizeof *rp), *rm = malloc(cells * sizeof *rm);
    const param *p = &cal->par[j];
    memcpy(x, x0, (size_t)cal->npar * sizeof *x);
    double up = fmin(1.0, x0[j] + h), dn = fmax(0.0, x0[j] - h);
    int rc = rp && rm ? 0 : -1;
    if (rc) sim_log_error("out of memory");
    x[j] = up;
    if (rc == 0 && up > x0[j]) rc = means_at(cal, x, mp, rp);
    else if (rc == 0) memcpy(mp, m0, sizeof mp), memcpy(rp, rep0, cells * sizeof *rp);
    x[j] = dn;
    if (rc == 0 && dn < x0[j]) rc = means_at(cal, x, mm, rm);
    else if (rc == 0) memcpy(mm, m0, sizeof mm), memcpy(rm, rep0, cells * sizeof *rm);
    double dv = value_of(p, up) - value_of(p, dn);
    for (int i = 0; rc == 0 && i < cal->ntg; i++) {
        cal->jac[i * cal->npar + j] = (mp[i] - mm[i]) / dv;
        cal->jac_se[i * cal->npar + j] = entry_se(cal, rp, rm, i, dv);
    }
    free(rp);
    free(rm);
    if (rc) return -1;
    if (!cal->req->quiet)
        fprintf(stderr, "uncertainty: %d/%d %s (%.6g to %.6g)  %6.1f s\n", j + 1, cal->npar, p->key, value_of(p, dn),
                value_of(p, up), omp_get_wtime() - cal->t0);
    return 0;
}

/* The targets' Jacobian at the current point (the fitted one, or the scenario's
 * values with --check), then the linearised covariance (fit_uncertainty.h). The
 * target table (means and intervals) is left as it was at that point. */
static int assess_uncertainty(calib *cal, int as_is)
{
    double x0[CAL_MAX_PARAMS], m0[CAL_MAX_TARGETS], lo0[CAL_MAX_TARGETS], hi0[CAL_MAX_TARGETS], rss = 0.0;
    for (int j = 0; j < cal->npar; j++) {
        const param *p = &cal->par[j];
        cal->at[j] = as_is ? p->start : cal->rec_x[cal->best * cal->npar + j];
        x0[j] = (cal->at[j] - p->lo) / (p->hi - p->lo);
        cal->prior[j] = (p->hi - p->lo) / sqrt(12.0);
    }
    for (int i = 0; i < cal->ntg; i++) {
        const target *t = &cal->tg[i];
        m0[i] = t->mean, lo0[i] = t->lo, hi0[i] = t->hi;
        double z = (t->mean - t->value) / t->tol;
        if (t->fit) rss += isfinite(z) ? z * z : HUGE_VAL;
    }
    size_t cells = (size_t)cal->nrep * (size_t)cal->ntg;
    double *rep0 = malloc((cells ? cells : 1) * sizeof *rep0);   /* the point's own replications */
    int rc = rep0 ? 0 : -1;
    if (rep0) memcpy(rep0, cal->rep_t, cells * sizeof *rep0);
    else sim_log_error("out of memory");
    for (int j = 0; rc == 0 && j < cal->npar; j++) rc = jacobian_column(cal, x0, m0, rep0, j, cal->req->step);
    for (int i = 0; i < cal->ntg; i++) cal->tg[i].mean = m0[i], cal->tg[i].lo = lo0[i], cal->tg[i].hi = hi0[i];
    free(rep0);
    if (rc != 0) return -1;
    int fit[CAL_MAX_TARGETS];
    double tol[CAL_MAX_TARGETS];
    for (int i = 0; i < cal->ntg; i++) fit[i] = cal->tg[i].fit, tol[i] = cal->tg[i].tol;
    sim_fit_problem fp = {cal->npar, cal->ntg, cal->jac, tol, fit, cal->prior, rss, cal->jac_se};
    cal->unc = (sim_fit_uncertainty){.cov = cal->cov, .se = cal->se, .corr = cal->corr, .identified = cal->ident,
                                     .target_sd = cal->tsd, .noise_share = cal->noise};
    for (int i = 0; i < cal->ntg * cal->npar; i++)
        if (!isfinite(cal->jac[i])) {
            sim_log_error("%s: target %s is undefined near the point assessed: no uncertainty", cal->req->targets,
                          cal->tg[i / cal->npar].name);
            return -1;
        }
    rc = sim_fit_uncertainty_compute(&fp, &cal->unc);
    if (rc != 0) {
        sim_log_error(rc == -2 ? "out of memory" : "%s: the precision matrix is not positive definite: no uncertainty",
                      cal->req->targets);
        return -1;
    }
    cal->have_unc = 1;
    return 0;
}


/* The seed of every run of this calibration: -s, or the scenario's. */
static uint64_t run_seed(const calib *cal)
{
    return (uint64_t)(cal->req->seed < 0 ? cal->seed0 : cal->req->seed);
}

/* Stream purposes of the --draws and --posterior parameter sets (the draw's
 * number in the stream's replication slot). */
#define CHECK_DRAW_PURPOSE 0x43484b44u
#define POSTERIOR_DRAW_PURPOSE 0x43484b50u
#define CHECK_DRAW_TRIES 1000000L

/* The lower Cholesky factor of the covariance cov [k][k] (NULL, with the error
 * said, when it has none). */
static gsl_matrix *factor_of(const double *cov, int k)
{
    size_t kk = (size_t)k;
    gsl_matrix *chol = gsl_matrix_alloc(kk, kk);
    if (!chol) { sim_log_error("out of memory"); return NULL; }
    for (size_t a = 0; a < kk; a++)
        for (size_t b = 0; b < kk; b++) gsl_matrix_set(chol, a, b, cov[a * kk + b]);
    gsl_error_handler_t *old = gsl_set_error_handler_off();
    int bad = gsl_linalg_cholesky_decomp1(chol) != GSL_SUCCESS;
    gsl_set_error_handler(old);
    if (bad) { sim_log_error("the covariance is not positive definite"); gsl_matrix_free(chol); return NULL; }
    return chol;
}

/* sd of the log-likelihood -RSS / (2 s2) from the simulation noise of the last
 * evaluation (its replications' spread), by the delta method: RSS = sum z_i^2
 * over the in-sample targets moves by 2 z_i dz_i. */
static double log_lik_noise(const calib *cal, double s2)
{
    double var = 0.0;
    size_t nt = (size_t)cal->ntg;
    for (int i = 0; i < cal->ntg; i++) {
        const target *t = &cal->tg[i];
        if (!t->fit || cal->nrep < 2) continue;
        double mean = 0.0, m2 = 0.0;   /* Welford over the replications */
        size_t n = 0;
        for (size_t r = 0; r < (size_t)cal->nrep; r++) {
            double v = cal->rep_t[r * nt + (size_t)i];
            if (!isfinite(v)) continue;
            double delta = v - mean;
            mean += delta / (double)++n;
            m2 += delta * (v - mean);
        }
        if (n < 2) continue;
        double se = sqrt(m2 / (double)(n - 1) / (double)n) / t->tol, z = (t->mean - t->value) / t->tol;
        var += 4.0 * z * z * se * se;
    }
    return sqrt(var) / (2.0 * s2);
}

/* Run the scenario at n parameter sets from q, numbered first .. first + n - 1
 * of `total` (stream `purpose`, that number in the replication slot; the same seed and
 * replications as every evaluation, so chance is common to all): their values
 * into x [n][npar], the targets' means there into t [n][ntg], and, when noise is
 * not NULL, the log-likelihood's simulation noise into noise [n]. The target
 * table is left as it was. */
static int run_drawn_sets(calib *cal, const sim_posterior_proposal *q, uint32_t purpose, const char *what, int first,
                          int n, int total, double *x, double *t, double *noise)
{
    int k = cal->npar, rc = 0;
    gsl_rng *r = sim_rng_create();
    if (!r) { sim_log_error("out of memory"); return -1; }
    double m0[CAL_MAX_TARGETS], lo0[CAL_MAX_TARGETS], hi0[CAL_MAX_TARGETS], u[CAL_MAX_PARAMS];
    for (int i = 0; i < cal->ntg; i++) m0[i] = cal->tg[i].mean, lo0[i] = cal->tg[i].lo, hi0[i] = cal->tg[i].hi;
    uint64_t seed = run_seed(cal);
    for (int d = 0; rc == 0 && d < n; d++) {
        double *theta = x + (size_t)d * (size_t)k;
        sim_rng_stream(r, seed, (uint32_t)(first + d), 0, purpose);
        if (sim_posterior_draw(q, r, CHECK_DRAW_TRIES, theta) != 0) {
            sim_log_error("no parameter set inside the bounds in %ld tries", CHECK_DRAW_TRIES);
            rc = -1;
            break;
        }
        for (int j = 0; j < k; j++) u[j] = (theta[j] - cal->par[j].lo) / (cal->par[j].hi - cal->par[j].lo);
        if (simulate(cal, u) != 0) { rc = -1; break; }
        for (int i = 0; i < cal->ntg; i++) t[(size_t)d * (size_t)cal->ntg + (size_t)i] = cal->tg[i].mean;
        if (noise) noise[d] = log_lik_noise(cal, cal->unc.s2);
        if (!cal->req->quiet) fprintf(stderr, "%s: %d/%d  %6.1f s\n", what, first + d + 1, total, omp_get_wtime() - cal->t0);
    }
    for (int i = 0; i < cal->ntg; i++) cal->tg[i].mean = m0[i], cal->tg[i].lo = lo0[i], cal->tg[i].hi = hi0[i];
    gsl_rng_free(r);
    return rc;
}

/* The proposal around `at` with the covariance factor `chol` (both borrowed),
 * truncated to the parameters' bounds (filled into lo and hi). */
static sim_posterior_proposal proposal_of(const calib *cal, const double *at, const gsl_matrix *chol, double *lo, double *hi,
                                          double widen)
{
    for (int j = 0; j < cal->npar; j++) lo[j] = cal->par[j].lo, hi[j] = cal->par[j].hi;
    return (sim_posterior_proposal){cal->npar, at, lo, hi, chol, widen};
}

/* --draws: run the scenario at req->draws parameter sets drawn from the
 * linearised joint normal truncated to the bounds, and keep each target's mean
 * and sd over them: where the model is linear over the parameters' intervals,
 * that sd is the linearised one (target_sd). */
static int simulate_draws(calib *cal)
{
    int n = cal->req->draws, rc = 0;
    gsl_matrix *chol = factor_of(cal->cov, cal->npar);
    cal->draw_x = malloc((size_t)n * (size_t)cal->npar * sizeof *cal->draw_x);
    cal->draw_t = malloc((size_t)n * (size_t)cal->ntg * sizeof *cal->draw_t);
    if (!chol || !cal->draw_x || !cal->draw_t) rc = -1;
    if (chol && rc) sim_log_error("out of memory");
    double lo[CAL_MAX_PARAMS], hi[CAL_MAX_PARAMS];
    sim_posterior_proposal q = proposal_of(cal, cal->at, chol, lo, hi, 1.0);
    if (rc == 0) rc = run_drawn_sets(cal, &q, CHECK_DRAW_PURPOSE, "draws", 0, n, n, cal->draw_x, cal->draw_t, NULL);
    for (int i = 0; rc == 0 && i < cal->ntg; i++) {
        double *col = malloc((size_t)n * sizeof *col);
        size_t m = 0;
        for (int d = 0; col && d < n; d++) {
            double v = cal->draw_t[(size_t)d * (size_t)cal->ntg + (size_t)i];
            if (isfinite(v)) col[m++] = v;
        }
        cal->sim_mean[i] = m ? gsl_stats_mean(col, 1, m) : NAN;
        cal->sim_sd[i] = m > 1 ? gsl_stats_sd(col, 1, m) : NAN;
        free(col);
    }
    if (chol) gsl_matrix_free(chol);
    if (rc == 0) cal->ndraw = n;
    return rc;
}

/* Allocate the --posterior arrays for n draws; -1 (said) when out of memory. */
static int posterior_alloc(calib *cal, int n)
{
    size_t nn = (size_t)n;
    cal->post_x = malloc(nn * (size_t)cal->npar * sizeof *cal->post_x);
    cal->post_t = malloc(nn * (size_t)cal->ntg * sizeof *cal->post_t);
    cal->post_logq = malloc(nn * sizeof *cal->post_logq);
    cal->post_loglik = malloc(nn * sizeof *cal->post_loglik);
    cal->post_w = malloc(nn * sizeof *cal->post_w);
    cal->post_noise = malloc(nn * sizeof *cal->post_noise);
    cal->post_round = malloc(nn * sizeof *cal->post_round);
    if (cal->post_x && cal->post_t && cal->post_logq && cal->post_loglik && cal->post_w && cal->post_noise && cal->post_round)
        return 0;
    sim_log_error("out of memory");
    return -1;
}

/* Weight the first n draws of --posterior against the mixture of the rounds so
 * far (q[0..rounds), cal->post_n, cal->post_logz) into cal->post. */
static int posterior_weigh(calib *cal, const sim_posterior_proposal *q, int rounds, int n)
{
    int k = cal->npar;
    for (int d = 0; d < n; d++)
        cal->post_logq[d] = sim_posterior_log_mixture(q, cal->post_n, cal->post_logz, rounds, cal->post_x + (size_t)d * (size_t)k);
    double value[CAL_MAX_TARGETS], tol[CAL_MAX_TARGETS];
    int fit[CAL_MAX_TARGETS];
    for (int i = 0; i < cal->ntg; i++) value[i] = cal->tg[i].value, tol[i] = cal->tg[i].tol, fit[i] = cal->tg[i].fit;
    sim_posterior_problem p = {k, cal->ntg, n, cal->post_x, cal->post_t, cal->post_logq, value, tol, fit, cal->unc.s2};
    cal->post = (sim_posterior){.log_lik = cal->post_loglik, .w = cal->post_w, .mean = cal->post_mean, .sd = cal->post_sd,
                                .q025 = cal->post_q025, .q500 = cal->post_q500, .q975 = cal->post_q975,
                                .corr = cal->post_corr, .t_mean = cal->post_tmean, .t_sd = cal->post_tsd};
    int rc = sim_posterior_compute(&p, &cal->post);
    if (rc != 0)
        sim_log_error(rc == -2 ? "out of memory" : "%s: no parameter set of --posterior has every in-sample target defined",
                      cal->req->targets);
    return rc;
}

/* Stream purpose of the draws that measure a proposal's mass inside the bounds
 * (the round in the replication slot), and how many. */
#define POSTERIOR_INSIDE_PURPOSE 0x43484b5au
#define POSTERIOR_INSIDE_DRAWS 200000L

/* --posterior: req->posterior parameter sets in req->rounds rounds
 * (fit_posterior.h): round 0 from the linearisation, each later one from the
 * weighted draws so far; every set run, and all weighted into the posterior. */
static int simulate_posterior(calib *cal)
{
    int n = cal->req->posterior, k = cal->npar, rounds = cal->req->rounds, rc = 0, done = 0;
    size_t kk = (size_t)k;
    gsl_matrix *chol[CAL_MAX_ROUNDS] = {0};
    sim_posterior_proposal q[CAL_MAX_ROUNDS];
    double lo[CAL_MAX_PARAMS], hi[CAL_MAX_PARAMS], cov[CAL_MAX_PARAMS * CAL_MAX_PARAMS];
    gsl_rng *r = sim_rng_create();
    if (!r) sim_log_error("out of memory");
    if (!r || posterior_alloc(cal, n) != 0) rc = -1;
    memcpy(cov, cal->cov, kk * kk * sizeof *cov);
    memcpy(cal->post_at, cal->at, kk * sizeof *cal->at);
    uint64_t seed = run_seed(cal);
    for (int s = 0; rc == 0 && s < rounds; s++) {
        double *at = cal->post_at + (size_t)s * kk;
        chol[s] = factor_of(cov, k);
        if (!chol[s]) { rc = -1; break; }
        q[s] = proposal_of(cal, at, chol[s], lo, hi, SIM_POSTERIOR_WIDEN);
        sim_rng_stream(r, seed, (uint32_t)s, 0, POSTERIOR_INSIDE_PURPOSE);
        cal->post_logz[s] = sim_posterior_log_inside(&q[s], r, POSTERIOR_INSIDE_DRAWS);
        if (!isfinite(cal->post_logz[s])) {
            sim_log_error("--posterior: round %d's proposal has no measurable mass inside the bounds (none of %ld draws)",
                          s + 1, POSTERIOR_INSIDE_DRAWS);
            rc = -1;
            break;
        }
        cal->post_n[s] = n / rounds + (s < n % rounds);
        if (run_drawn_sets(cal, &q[s], POSTERIOR_DRAW_PURPOSE, "posterior", done, cal->post_n[s], n,
                           cal->post_x + (size_t)done * kk, cal->post_t + (size_t)done * (size_t)cal->ntg,
                           cal->post_noise + done) != 0) { rc = -1; break; }
        for (int d = done; d < done + cal->post_n[s]; d++) cal->post_round[d] = s;
        done += cal->post_n[s];
        if (posterior_weigh(cal, q, s + 1, done) != 0) { rc = -1; break; }
        cal->post_ess_round[s] = cal->post.ess;
        if (!cal->req->quiet)
            fprintf(stderr, "posterior: round %d/%d, %d sets: effective sample size %.1f\n", s + 1, rounds, done, cal->post.ess);
        if (s + 1 < rounds) {   /* the next round's proposal */
            memcpy(cal->post_at + (size_t)(s + 1) * kk, cal->post_mean, kk * sizeof *cal->post_mean);
            if (sim_posterior_next_cov(&cal->post, cal->cov, k, cov) != 0) memcpy(cov, cal->cov, kk * kk * sizeof *cov);
        }
    }
    for (int s = 0; s < rounds; s++)
        if (chol[s]) gsl_matrix_free(chol[s]);
    if (r) gsl_rng_free(r);
    if (rc != 0) return -1;
    cal->npost = n;
    cal->post_rounds = rounds;
    return 0;
}

/* --uncertainty and what goes with it: the Jacobian and the linearised
 * covariance at the point assessed, then --draws and --posterior. 0; -1 when
 * the uncertainty or --draws failed (none of it is kept); -2 when only
 * --posterior failed (the rest stands and is written; said on stderr). */
static int assess_all(calib *cal, int as_is)
{
    if (assess_uncertainty(cal, as_is) != 0 || (cal->req->draws && simulate_draws(cal) != 0)) {
        cal->have_unc = cal->ndraw = 0;
        return -1;
    }
    if (cal->req->posterior && simulate_posterior(cal) != 0) {
        cal->npost = 0;
        fprintf(stderr, "sim: calibrate: written without the posterior\n");
        return -2;
    }
    return 0;
}

/* -------------------------------------------------------------- driver -- */

static nlopt_algorithm algorithm_of(const char *name)
{
    if (!strcmp(name, "bobyqa")) return NLOPT_LN_BOBYQA;
    if (!strcmp(name, "sbplx")) return NLOPT_LN_SBPLX;
    if (!strcmp(name, "neldermead")) return NLOPT_LN_NELDERMEAD;
    if (!strcmp(name, "cobyla")) return NLOPT_LN_COBYLA;
    return NLOPT_NUM_ALGORITHMS;
}

static const char *status_of(nlopt_result r)
{
    switch (r) {
    case NLOPT_SUCCESS: case NLOPT_STOPVAL_REACHED: case NLOPT_FTOL_REACHED: case NLOPT_XTOL_REACHED:
        return "converged";
    case NLOPT_MAXEVAL_REACHED: return "did not converge: stopped at --max-evals (best point kept)";
    case NLOPT_MAXTIME_REACHED: return "did not converge: out of time (best point kept)";
    case NLOPT_ROUNDOFF_LIMITED: return "did not converge: limited by roundoff (best point kept)";
    case NLOPT_FORCED_STOP: return "stopped: an evaluation failed (best point kept)";
    default: return "did not converge: the optimiser failed (best point kept)";
    }
}

/* Read and check everything before anything runs: targets file, scenario, schema, bounds. */
static int prepare_calibration(calib *cal)
{
    const sim_calibrate_request *r = cal->req;
    sim_config *tc = sim_config_load(r->targets);
    if (!tc) { sim_log_error("out of memory"); return -1; }
    sim_node *g = sim_cfg_lookup(tc, NULL, "calibration");
    if (g && sim_cfg_has(tc, g, "scale_key")) snprintf(cal->scale_key, CAL_KEY, "%s", sim_cfg_string(tc, g, "scale_key"));
    int bad = probe_scenario(cal) != 0;
    sim_config_set_origin(tc, cal->origin);
    read_targets_file(tc, cal);
    sim_config_check_unused(tc);
    if (sim_config_nerrors(tc)) {
        sim_config_print_errors(tc, stderr, 0);
        bad = 1;
    }
    sim_config_destroy(tc);
    int need_params = !r->check_only || r->uncertainty;
    if (!bad && need_params && cal->npar == 0)
        fprintf(stderr, "%s: no parameters to %s (allowed: a parameters list; or use --check)\n", r->targets,
                r->check_only ? "assess with --uncertainty" : "fit"), bad = 1;
    if (!bad && need_params) bad = probe_scenario(cal) != 0;   /* start values, now that the keys are known */
    const char *sets[CAL_MAX_SETS], *origins[CAL_MAX_SETS];
    sim_run_request q = base_request(cal, sets, origins, NULL, NULL, 0);
    q.validate_only = 1;
    if (!bad) bad = sim_run_in_memory(&q, check_schema, cal) != 0;
    if (!bad && need_params) bad = check_bounds(cal) != 0;
    for (int i = 0; !bad && r->check_only && r->uncertainty && i < cal->npar; i++) {   /* assessed where it is */
        const param *p = &cal->par[i];
        if (p->start < p->lo || p->start > p->hi)
            fprintf(stderr, "%s: parameter %s: the scenario's value %g is outside the bounds %g..%g (allowed: bounds "
                    "around the value assessed)\n", p->loc, p->key, p->start, p->lo, p->hi), bad = 1;
    }
    if (bad) fprintf(stderr, "sim: %s: nothing was run\n", r->targets);
    return bad ? -1 : 0;
}

static int optimise(calib *cal, const char *output, double *best_obj, const char **status)
{
    const sim_calibrate_request *r = cal->req;
    double x[CAL_MAX_PARAMS], lo = 0.0;
    for (int i = 0; i < cal->npar; i++) {
        const param *p = &cal->par[i];
        x[i] = fmin(1.0, fmax(0.0, (p->start - p->lo) / (p->hi - p->lo)));
    }
    if (journal_open(cal, output) != 0) return -1;
    cal->opt = nlopt_create(algorithm_of(r->algorithm), (unsigned)cal->npar);
    if (!cal->opt) { sim_log_error("out of memory"); return -1; }
    nlopt_set_lower_bounds1(cal->opt, lo);
    nlopt_set_upper_bounds1(cal->opt, 1.0);
    nlopt_set_min_objective(cal->opt, nlopt_objective, cal);
    nlopt_set_maxeval(cal->opt, r->max_evals);
    nlopt_set_xtol_abs1(cal->opt, 1e-3);
    nlopt_set_ftol_abs(cal->opt, 1e-3);
    nlopt_set_initial_step1(cal->opt, 0.15);
    double f = HUGE_VAL;
    nlopt_result res = nlopt_optimize(cal->opt, x, &f);
    nlopt_destroy(cal->opt);
    cal->opt = NULL;
    if (cal->replaying && journal_cut(cal, cal->nrec) != 0) return -1;
    *status = status_of(res);
    if (cal->nrec == 0) return -1;
    *best_obj = cal->rec_obj[cal->best];
    return 0;
}

/* Evaluate once more at the best point for the intervals of the table. */
static int final_evaluation(calib *cal)
{
    double x[CAL_MAX_PARAMS];
    for (int i = 0; i < cal->npar; i++) {
        const param *p = &cal->par[i];
        x[i] = (cal->rec_x[cal->best * cal->npar + i] - p->lo) / (p->hi - p->lo);
    }
    return simulate(cal, x);
}

/* results/<targets>-<what>.h5: "calibration" for a fit, "check" for
 * --check --uncertainty (so that it never replaces a fit's record). */
static char *default_output(const char *targets, const char *what)
{
    const char *base = strrchr(targets, '/');
    base = base ? base + 1 : targets;
    size_t n = strlen(base);
    if (n > 4 && !strcmp(base + n - 4, ".cfg")) n -= 4;
    char *path = NULL;
    if (mkdir("results", 0755) != 0 && errno != EEXIST) return NULL;
    return asprintf(&path, "results/%.*s-%s.h5", (int)n, base, what) < 0 ? NULL : path;
}

/* Every file this command writes or replaces, checked against the inputs read
 * (scenario, targets file, their @includes) before anything runs (files.h):
 * OUT.h5; with a fit OUT.cfg and OUT.journal; OUT-uncertainty.cfg (written with
 * --uncertainty, removed by a fit without it); the --markdown file. An overlay
 * derived from -o must never replace the scenario it includes. 0, or -1 after
 * a one-line message. */
/* The same file: the same name, or two existing names of one inode. */
static int same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    return strcmp(a, b) == 0 || (stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino);
}

/* Every file calibrate writes passes the output check (not an input, a writable
 * place), and --markdown is none of the files derived from -o. */
static int outputs_allowed(const calib *cal, const char *output)
{
    const sim_calibrate_request *r = cal->req;
    static const char *const sibling[3] = {".cfg", ".journal", "-uncertainty.cfg"};
    if (r->markdown && sim_output_check(r->markdown) != 0) return -1;
    if (!output) return 0;
    if (sim_output_check(output) != 0) return -1;
    if (r->markdown && same_file(r->markdown, output)) {
        sim_log_error("%s: --markdown names the record -o writes (allowed: another file)", r->markdown);
        return -1;
    }
    for (int i = r->check_only ? 2 : 0; i < 3; i++) {
        char *path = calib_sibling_path(output, sibling[i]);
        int rc = path ? sim_output_check(path) : (sim_log_error("out of memory"), -1);
        if (rc == 0 && r->markdown && same_file(r->markdown, path)) {
            sim_log_error("%s: --markdown names the file %s that calibrate writes beside -o (allowed: another file)",
                          r->markdown, sibling[i]);
            rc = -1;
        }
        free(path);
        if (rc != 0) return -1;
    }
    return 0;
}

static void calib_free(calib *cal)
{
    for (int i = 0; i < CAL_MAX_PARAMS; i++) free(cal->par[i].source);   /* all: --check sets npar to 0 */
    for (int i = 0; i < CAL_MAX_TARGETS; i++) free(cal->tg[i].source);
    free(cal->rec_x), free(cal->rec_t), free(cal->rec_obj), free(cal->rep_t), free(cal->draw_x), free(cal->draw_t);
    free(cal->post_x), free(cal->post_t), free(cal->post_logq), free(cal->post_loglik), free(cal->post_w), free(cal->post_noise);
    free(cal->post_round);
    free(cal->jx), free(cal->jt), free(cal->jobj), free(cal->joff);
    if (cal->journal) fclose(cal->journal);
    free(cal->journal_path), free(cal->journal_head);
}

/* --check: the scenario as it is against the targets; with --uncertainty also
 * the parameters' uncertainty there (its exit status then says whether that was
 * computed and written, --posterior included: a failed posterior leaves the rest
 * written and exits 1; the table still marks every failed target). */
static int check_targets(calib *cal, const char *output)
{
    if (simulate_as_is(cal) != 0) return SIM_EXIT_RUNTIME;
    calib_print_table(cal, stdout);
    int posterior_failed = 0;
    if (cal->req->uncertainty) {
        int a = assess_all(cal, 1);
        if (a == -1) return SIM_EXIT_RUNTIME;
        posterior_failed = a == -2;
        calib_print_uncertainty(cal, stdout);
    }
    if (cal->req->markdown && calib_write_markdown(cal, cal->req->markdown) != 0) return SIM_EXIT_RUNTIME;
    int failed = 0;
    for (int i = 0; i < cal->ntg; i++) failed += cal->tg[i].fit && !passes(&cal->tg[i]);
    fflush(stdout);   /* the table whole before the verdict, when both streams go to one file */
    if (failed) fprintf(stderr, "sim: calibrate --check: %d in-sample target%s outside tolerance\n", failed, failed == 1 ? "" : "s");
    if (!cal->req->uncertainty) return failed ? SIM_EXIT_RUNTIME : SIM_EXIT_OK;
    staged st = {0};
    if (calib_stage_uncertainty_list(cal, output, &st) != 0
        || calib_write_hdf5(cal, output, "check: the scenario's values, not fitted", &st) != 0)
        return SIM_EXIT_RUNTIME;
    if (!cal->req->quiet) printf("output: %s\n", output);
    return posterior_failed ? SIM_EXIT_RUNTIME : SIM_EXIT_OK;
}

int sim_calibrate_main(const sim_calibrate_request *req)
{
    calib *cal = calloc(1, sizeof *cal);
    if (!cal) { sim_log_error("out of memory"); return SIM_EXIT_RUNTIME; }
    cal->req = req;
    cal->t0 = omp_get_wtime();
    if (req->posterior && (req->rounds < 1 || req->rounds > CAL_MAX_ROUNDS || req->posterior < 2 * req->rounds)) {
        sim_log_error("--posterior %d in %d rounds (allowed: 1..%d rounds of at least 2 sets)", req->posterior, req->rounds,
                      CAL_MAX_ROUNDS);
        free(cal);
        return SIM_EXIT_USAGE;
    }
    int rc = SIM_EXIT_RUNTIME;
    char *output = NULL;
    if (prepare_calibration(cal) != 0) goto done;
    if (!req->check_only || req->uncertainty)
        output = req->output ? strdup(req->output) : default_output(req->targets, req->check_only ? "check" : "calibration");
    if (outputs_allowed(cal, output) != 0) {
        rc = SIM_EXIT_USAGE;
        goto done;
    }
    if (req->check_only) {   /* at the scenario's values */
        rc = req->uncertainty && !output ? SIM_EXIT_RUNTIME : check_targets(cal, output);
        goto done;
    }
    double best = HUGE_VAL;
    const char *status = "";
    if (!output || optimise(cal, output, &best, &status) != 0 || final_evaluation(cal) != 0) goto done;
    calib_print_table(cal, stdout);
    printf("%s: %s; objective %.6g (best of %d evaluations, evaluation %d)\n", req->targets, status, best,
           cal->nrec, cal->best);
    int assessed = req->uncertainty ? assess_all(cal, 0) : 0, unc_failed = assessed != 0;   /* the fit is written all the same */
    if (assessed == -1) fprintf(stderr, "sim: calibrate: the fit is written without its uncertainty\n");
    if (req->uncertainty && assessed != -1) calib_print_uncertainty(cal, stdout);
    staged st = {0};
    if (req->markdown && calib_write_markdown(cal, req->markdown) != 0) goto done;
    int listed = cal->have_unc && calib_stage_uncertainty_list(cal, output, &st) == 0;
    unc_failed |= cal->have_unc && !listed;
    if (calib_write_hdf5(cal, output, status, listed ? &st : NULL) != 0 || calib_write_overlay(cal, output, best, status) != 0) goto done;
    if (!req->uncertainty) calib_remove_stale_list(output);
    if (!req->quiet) printf("output: %s\n", output);
    rc = unc_failed ? SIM_EXIT_RUNTIME : SIM_EXIT_OK;
done:
    free(output);
    calib_free(cal);
    free(cal);
    return rc;
}
