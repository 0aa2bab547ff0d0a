/* experiment.c: the `experiment` block of a scenario (grid, list, Latin
 * hypercube) resolved into points, and the experiment id (experiment.h).
 * Invariant: the points depend only on the block and the scenario's seed. */
#define _GNU_SOURCE
#include "experiment.h"

#include <float.h>
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/rng.h"
#include "../io/version.h"
#include "gsa.h"
#include "uncertainty.h"

/* Stream purpose of the Latin hypercube draws (entity = parameter index); no
 * replication ever uses replication 0 with this purpose for anything else. */
#define LHS_PURPOSE 0x53575045u
/* Stream purpose of the Morris trajectories (replication 0, entity 0). */
#define MORRIS_PURPOSE 0x4d4f5252u

typedef struct {
    char     *key;
    int       type;       /* libconfig type of the scenario setting: INT, INT64, FLOAT, BOOL */
    int       nvalues;    /* grid, list */
    double   *values;
    long long *ivalues;   /* the same, exact, for integer settings (a double holds 2^53 at most) */
    double    lo, hi;     /* lhs */
    sim_node *node;       /* the parameter's group, for messages */
    char     *where;      /* "file:line" of its values (min for lhs; morris, sobol: its uncertainty entry) */
} param;

struct sim_sweep {
    sim_sweep_design design;
    int              replications;
    uint64_t         seed;
    size_t           nparams, npoints;
    param           *p;
    double          *v;   /* [npoints][nparams] */
    long long       *iv;  /* [npoints][nparams]: exact values of integer parameters */
    sim_uncertainty *unc;   /* morris, sobol: the declared parameters */
    double          *unit;  /* morris, sobol: [npoints][nparams] on the unit cube */
    int              levels;        /* morris */
    long long        base, candidates;   /* morris: trajectories, candidates; sobol: N */
    char            *fixed[SIM_SWEEP_MAX_FIXED];   /* `set`: overrides of every point */
    char            *fixed_where[SIM_SWEEP_MAX_FIXED];   /* "file:line" of each */
    size_t           nfixed;
    int              no_points;   /* sim_sweep_check_block: count the points, do not compute them */
};

/* "saltelli" is read as "sobol" (the design of Saltelli 2010 for Sobol indices). */
static const char *const design_names[] = {"grid", "list", "lhs", "morris", "sobol", "saltelli"};
static int is_gsa(sim_sweep_design d) { return d == SIM_SWEEP_MORRIS || d == SIM_SWEEP_SOBOL; }

/* ================================================================ reading == */

const char *sim_sweep_design_name(sim_sweep_design d) { return design_names[d]; }
sim_sweep_design sim_sweep_get_design(const sim_sweep *s) { return s->design; }
size_t sim_sweep_npoints(const sim_sweep *s) { return s->npoints; }
size_t sim_sweep_nparams(const sim_sweep *s) { return s->nparams; }
uint64_t sim_sweep_seed(const sim_sweep *s) { return s->seed; }
const double *sim_sweep_point(const sim_sweep *s, size_t i) { return s->v + i * s->nparams; }
int sim_sweep_replications(const sim_sweep *s) { return s->replications; }
void sim_sweep_set_replications(sim_sweep *s, int replications) { s->replications = replications; }
const char *sim_sweep_key(const sim_sweep *s, size_t j) { return s->p[j].key; }
double sim_sweep_value(const sim_sweep *s, size_t i, size_t j) { return s->v[i * s->nparams + j]; }
static long long int_value(const sim_sweep *s, size_t i, size_t j) { return s->iv[i * s->nparams + j]; }
const double *sim_sweep_unit_point(const sim_sweep *s, size_t i) { return s->unit ? s->unit + i * s->nparams : NULL; }
const sim_uncertainty *sim_sweep_uncertainty(const sim_sweep *s) { return s->unc; }
size_t sim_sweep_nfixed(const sim_sweep *s) { return s->nfixed; }
const char *sim_sweep_fixed(const sim_sweep *s, size_t i) { return s->fixed[i]; }
const char *sim_sweep_fixed_where(const sim_sweep *s, size_t i) { return s->fixed_where[i]; }
const char *sim_sweep_where(const sim_sweep *s, size_t j) { return s->p[j].where; }
int sim_sweep_levels(const sim_sweep *s) { return s->levels; }
size_t sim_sweep_base_points(const sim_sweep *s) { return is_gsa(s->design) ? (size_t)s->base : 0; }
static int is_int(int type) { return type == CONFIG_TYPE_INT || type == CONFIG_TYPE_INT64; }

void sim_sweep_destroy(sim_sweep *s)
{
    if (!s) return;
    for (size_t j = 0; s->p && j < s->nparams; j++) {
        free(s->p[j].key);
        free(s->p[j].values);
        free(s->p[j].ivalues);
        free(s->p[j].where);
    }
    free(s->p);
    free(s->v);
    free(s->iv);
    free(s->unit);
    for (size_t i = 0; i < s->nfixed; i++) {
        free(s->fixed[i]);
        free(s->fixed_where[i]);
    }
    sim_uncertainty_destroy(s->unc);
    free(s);
}

const char *sim_sweep_override(const sim_sweep *s, size_t i, size_t j, char *buf, size_t size)
{
    double v = sim_sweep_value(s, i, j);
    switch (s->p[j].type) {
    case CONFIG_TYPE_BOOL: snprintf(buf, size, "%s=%s", s->p[j].key, v != 0.0 ? "true" : "false"); break;
    case CONFIG_TYPE_FLOAT: snprintf(buf, size, "%s=%.17g", s->p[j].key, v); break;
    default: snprintf(buf, size, "%s=%lld", s->p[j].key, int_value(s, i, j)); break;
    }
    return buf;
}

const char *sim_sweep_format(const sim_sweep *s, size_t i, size_t j, char *buf, size_t size)
{
    double v = sim_sweep_value(s, i, j);
    if (s->p[j].type == CONFIG_TYPE_BOOL) snprintf(buf, size, "%s", v != 0.0 ? "true" : "false");
    else if (is_int(s->p[j].type)) snprintf(buf, size, "%lld", int_value(s, i, j));
    else snprintf(buf, size, "%.10g", v);
    return buf;
}

const char *sim_sweep_point_label(const sim_sweep *s, size_t i, char *buf, size_t size)
{
    char value[64];
    size_t len = 0;
    buf[0] = '\0';
    for (size_t j = 0; j < s->nparams && len < size; j++) {
        int w = snprintf(buf + len, size - len, "%s%s=%s", j ? ", " : "", s->p[j].key,
                         sim_sweep_format(s, i, j, value, sizeof value));
        if (w < 0) break;
        len += (size_t)w;
    }
    return buf;
}

/* An integer setting at the top level, or `fallback` when absent or not an integer. */
static long long top_int(sim_config *cfg, const char *key, long long fallback)
{
    sim_node *n = sim_cfg_lookup(cfg, NULL, key);
    int t = n ? config_setting_type(n) : CONFIG_TYPE_NONE;
    return t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64 ? config_setting_get_int64(n) : fallback;
}

static const char *kind_of(int type)
{
    switch (type) {
    case CONFIG_TYPE_INT: case CONFIG_TYPE_INT64: return "an integer";
    case CONFIG_TYPE_FLOAT: return "a number";
    case CONFIG_TYPE_BOOL: return "a boolean";
    case CONFIG_TYPE_STRING: return "a string";
    default: return "a group, list or array";
    }
}

/* The scenario setting a parameter varies: it must exist (as for --set) and be a
 * number or boolean. Returns its libconfig type, or CONFIG_TYPE_NONE after an error. */
static int target_type(sim_config *cfg, sim_node *kn, const char *key)
{
    if (!strcmp(key, "experiment") || !strncmp(key, "experiment.", 11) || !strcmp(key, "replications")) {
        sim_config_error(cfg, kn, "\"%s\" cannot be varied (set experiment.replications for the replications per point)", key);
        return CONFIG_TYPE_NONE;
    }
    sim_node *t = *key ? sim_cfg_lookup(cfg, NULL, key) : NULL;
    if (!t) {
        char hint[600];
        sim_config_key_hint(cfg, key, hint, sizeof hint);
        sim_config_error(cfg, kn, "\"%s\" is not a key of the scenario (allowed: an existing key, as for --set%s)", key, hint);
        return CONFIG_TYPE_NONE;
    }
    int type = config_setting_type(t);
    if (type != CONFIG_TYPE_INT && type != CONFIG_TYPE_INT64 && type != CONFIG_TYPE_FLOAT && type != CONFIG_TYPE_BOOL) {
        sim_config_error(cfg, kn, "\"%s\" is %s in the scenario (allowed: a number or boolean setting)", key, kind_of(type));
        return CONFIG_TYPE_NONE;
    }
    return type;
}

/* One element of `values`: its type must fit the target's. *iout: the exact integer. */
static int read_value(sim_config *cfg, param *p, sim_node *e, double *out, long long *iout)
{
    int t = config_setting_type(e);
    int ok = p->type == CONFIG_TYPE_FLOAT ? t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64 || t == CONFIG_TYPE_FLOAT
           : p->type == CONFIG_TYPE_BOOL ? t == CONFIG_TYPE_BOOL
           : t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64;
    if (p->type == CONFIG_TYPE_INT && t == CONFIG_TYPE_INT64) {
        long long x = config_setting_get_int64(e);
        ok = x >= INT32_MIN && x <= INT32_MAX;
    }
    if (!ok) {
        sim_config_error(cfg, e, "%s does not fit %s, which is %s in the scenario",
                         kind_of(t), p->key, kind_of(p->type));
        return -1;
    }
    *iout = t == CONFIG_TYPE_FLOAT ? 0 : t == CONFIG_TYPE_BOOL ? config_setting_get_bool(e) : config_setting_get_int64(e);
    *out = t == CONFIG_TYPE_FLOAT ? config_setting_get_float(e) : (double)*iout;
    return 0;
}

/* A key that belongs to another design: read it (so it is not also reported as
 * unknown) and say which design takes it. */
static void not_for(sim_config *cfg, sim_node *g, const char *key, const char *why)
{
    sim_node *n = sim_cfg_lookup(cfg, g, key);
    if (!n) return;
    int len;
    if (config_setting_is_aggregate(n)) sim_cfg_list(cfg, g, key, &len);
    else sim_cfg_real(cfg, g, key, -DBL_MAX, DBL_MAX);
    sim_config_error(cfg, n, "%s", why);
}

static void read_values(sim_config *cfg, sim_node *g, param *p)
{
    int n = 0;
    sim_node *list = sim_cfg_list(cfg, g, "values", &n);
    if (list && n == 0)
        sim_config_error(cfg, list, "empty list of values (allowed: one or more numbers, e.g. [0.5, 0.7])");
    p->values = calloc(n > 0 ? (size_t)n : 1, sizeof *p->values);
    p->ivalues = calloc(n > 0 ? (size_t)n : 1, sizeof *p->ivalues);
    if (!p->values || !p->ivalues) {
        sim_config_error(cfg, list, "out of memory");
        return;
    }
    for (int i = 0; i < n; i++) {
        sim_node *e = sim_cfg_elem(list, i);
        if (p->type != CONFIG_TYPE_NONE && e && read_value(cfg, p, e, &p->values[p->nvalues], &p->ivalues[p->nvalues]) == 0) p->nvalues++;
    }
    not_for(cfg, g, "min", "min and max are for design \"lhs\" (grid and list take values = [...])");
    not_for(cfg, g, "max", "min and max are for design \"lhs\" (grid and list take values = [...])");
}

static void read_range(sim_config *cfg, sim_node *g, param *p)
{
    p->lo = sim_cfg_real(cfg, g, "min", -DBL_MAX, DBL_MAX);
    p->hi = sim_cfg_real(cfg, g, "max", -DBL_MAX, DBL_MAX);
    sim_node *mn = sim_cfg_lookup(cfg, g, "min");
    if (mn && sim_cfg_lookup(cfg, g, "max") && !(p->lo < p->hi))
        sim_config_error(cfg, mn, "min %g is not below max %g (allowed: min < max)", p->lo, p->hi);
    double lim = p->type == CONFIG_TYPE_INT ? 2147483647.0 : 9007199254740992.0;   /* int32, or exact in a double */
    if (p->type == CONFIG_TYPE_BOOL)
        sim_config_error(cfg, g, "%s is a boolean; design \"lhs\" varies numbers (use design \"grid\")", p->key);
    else if (p->type != CONFIG_TYPE_FLOAT && mn && (p->lo < -lim || p->hi > lim))
        sim_config_error(cfg, mn, "%s is an integer: min and max must lie in %.0f to %.0f", p->key, -lim, lim);
    not_for(cfg, g, "values", "values are for designs \"grid\" and \"list\" (lhs takes min and max)");
}

static void read_param(sim_config *cfg, sim_sweep *s, sim_node *elem, param *p)
{
    sim_node *g = elem ? sim_cfg_group(cfg, elem, NULL) : NULL;
    if (!g) return;
    p->node = g;
    p->key = strdup(sim_cfg_string(cfg, g, "key"));
    sim_node *kn = sim_cfg_lookup(cfg, g, "key");
    p->type = kn && p->key && config_setting_type(kn) == CONFIG_TYPE_STRING ? target_type(cfg, kn, p->key)
                                                                            : CONFIG_TYPE_NONE;
    if (s->design == SIM_SWEEP_LHS) read_range(cfg, g, p);
    else read_values(cfg, g, p);
    sim_node *v = sim_cfg_lookup(cfg, g, s->design == SIM_SWEEP_LHS ? "min" : "values");
    char where[SIM_SWEEP_OVERRIDE_MAX];
    p->where = strdup(sim_config_where(cfg, v ? v : g, where, sizeof where));
}

static void check_duplicates(sim_config *cfg, const sim_sweep *s)
{
    for (size_t j = 0; j < s->nparams; j++)
        for (size_t k = 0; k < j; k++)
            if (s->p[j].key && s->p[k].key && *s->p[j].key && !strcmp(s->p[j].key, s->p[k].key)) {
                sim_config_error(cfg, s->p[j].node, "%s is varied twice (allowed: each key once)", s->p[j].key);
                break;
            }
}

/* ------------------------------------------------------------- points -- */

/* Grid: every combination, the first parameter varying slowest (like nested loops). */
static void grid_points(sim_sweep *s)
{
    for (size_t i = 0; i < s->npoints; i++) {
        size_t rest = i;
        for (size_t j = s->nparams; j-- > 0;) {
            size_t n = (size_t)s->p[j].nvalues;
            s->v[i * s->nparams + j] = s->p[j].values[rest % n];
            s->iv[i * s->nparams + j] = s->p[j].ivalues[rest % n];
            rest /= n;
        }
    }
}

static void list_points(sim_sweep *s)
{
    for (size_t i = 0; i < s->npoints; i++)
        for (size_t j = 0; j < s->nparams; j++) {
            s->v[i * s->nparams + j] = s->p[j].values[i];
            s->iv[i * s->nparams + j] = s->p[j].ivalues[i];
        }
}

/* Latin hypercube: parameter j's range is cut into npoints equal strata, a random
 * permutation assigns one stratum per point and a uniform draw places the value
 * inside it. Parameter j draws from stream (seed, 0, j, LHS_PURPOSE): the same
 * points for the same seed, whatever the machine. Integer settings are rounded. */
static int lhs_points(sim_sweep *s)
{
    gsl_rng *r = sim_rng_create();
    size_t *perm = malloc(s->npoints * sizeof *perm);
    if (!r || !perm) { free(perm); if (r) gsl_rng_free(r); return -1; }
    for (size_t j = 0; j < s->nparams; j++) {
        const param *p = &s->p[j];
        sim_rng_stream(r, s->seed, 0, (uint32_t)j, LHS_PURPOSE);
        for (size_t i = 0; i < s->npoints; i++) perm[i] = i;
        gsl_ran_shuffle(r, perm, s->npoints, sizeof *perm);
        for (size_t i = 0; i < s->npoints; i++) {
            double u = ((double)perm[i] + gsl_rng_uniform(r)) / (double)s->npoints;
            double v = p->lo + (p->hi - p->lo) * u;
            if (p->type != CONFIG_TYPE_FLOAT) v = nearbyint(v);
            s->v[i * s->nparams + j] = v;
            s->iv[i * s->nparams + j] = (long long)v;   /* |v| <= 2^53 (read_range): exact */
        }
    }
    free(perm);
    gsl_rng_free(r);
    return 0;
}

/* Number of points of a grid or list; 0 after an error. */
static size_t count_points(sim_config *cfg, sim_sweep *s, sim_node *list)
{
    size_t n = 1;
    for (size_t j = 0; j < s->nparams; j++) {
        size_t k = (size_t)s->p[j].nvalues;
        if (s->design == SIM_SWEEP_LIST && j > 0 && k != (size_t)s->p[0].nvalues) {
            sim_config_error(cfg, s->p[j].node, "%s has %zu values but %s has %d (design \"list\" takes the i-th value of every parameter; use \"grid\" for all combinations)",
                             s->p[j].key, k, s->p[0].key, s->p[0].nvalues);
            return 0;
        }
        n = s->design == SIM_SWEEP_LIST ? k : n * k;
        if (n > SIM_SWEEP_MAX_POINTS) {
            sim_config_error(cfg, list, "more than %d points (allowed: at most %d)", SIM_SWEEP_MAX_POINTS, SIM_SWEEP_MAX_POINTS);
            return 0;
        }
    }
    return n;
}

/* Morris or Sobol: the unit-cube design, then every point through the quantiles
 * (and the copula of correlated parameters: sim_uncertainty_map). */
static int gsa_points(sim_sweep *s)
{
    size_t k = s->nparams;
    s->unit = malloc(s->npoints * k * sizeof *s->unit);
    if (!s->unit) return -1;
    int rc;
    if (s->design == SIM_SWEEP_SOBOL) rc = sim_gsa_saltelli_design(k, (size_t)s->base, s->unit);
    else {
        gsl_rng *r = sim_rng_create();
        if (!r) return -1;
        sim_rng_stream(r, s->seed, 0, 0, MORRIS_PURPOSE);
        rc = sim_gsa_morris_design(r, k, (size_t)s->base, s->levels, (size_t)s->candidates, s->unit);
        gsl_rng_free(r);
    }
    for (size_t i = 0; rc == 0 && i < s->npoints; i++) {
        sim_uncertainty_map(s->unc, s->unit + i * k, s->v + i * k);
        for (size_t j = 0; j < k; j++)
            s->iv[i * k + j] = (long long)s->v[i * k + j];   /* integer settings: rounded, |v| <= 2^53 (uncertainty.c) */
    }
    return rc;
}

/* Points of a sensitivity design: r (k + 1) or N (k + 2); 0 after an error. */
static size_t gsa_count(sim_config *cfg, const sim_sweep *s, sim_node *ex)
{
    double n = (double)s->base * (double)(s->nparams + (s->design == SIM_SWEEP_SOBOL ? 2 : 1));
    if (n <= SIM_SWEEP_MAX_POINTS) return (size_t)n;
    sim_config_error(cfg, ex, "%.0f points for %zu parameters (allowed: at most %d; fewer %s or parameters)", n, s->nparams,
                     SIM_SWEEP_MAX_POINTS, s->design == SIM_SWEEP_SOBOL ? "base points" : "trajectories");
    return 0;
}

static int make_points(sim_config *cfg, sim_sweep *s, sim_node *list, long long lhs_n)
{
    s->npoints = is_gsa(s->design) ? gsa_count(cfg, s, list)
               : s->design == SIM_SWEEP_LHS ? (size_t)lhs_n : count_points(cfg, s, list);
    if (s->npoints == 0) return -1;
    if (s->no_points) return 0;
    s->v = calloc(s->npoints * s->nparams, sizeof *s->v);
    s->iv = calloc(s->npoints * s->nparams, sizeof *s->iv);
    if (!s->v || !s->iv) return -1;
    if (s->design == SIM_SWEEP_GRID) grid_points(s);
    else if (s->design == SIM_SWEEP_LIST) list_points(s);
    else if (is_gsa(s->design)) return gsa_points(s);
    else return lhs_points(s);
    return 0;
}

/* Morris: r trajectories (>= 2: sigma needs two effects), an even number of
 * levels (Morris 1991: p even, delta = p / (2 (p - 1))), and the candidates
 * the most spread r are chosen from (Campolongo et al. 2007; default 10 r, at most 500). */
static void read_morris(sim_config *cfg, sim_node *ex, sim_sweep *s)
{
    s->base = sim_cfg_int(cfg, ex, "trajectories", 2, SIM_SWEEP_MAX_POINTS);
    s->levels = sim_cfg_has(cfg, ex, "levels") ? (int)sim_cfg_int(cfg, ex, "levels", 2, 100) : 4;
    if (s->levels % 2)
        sim_config_error(cfg, sim_cfg_lookup(cfg, ex, "levels"), "%d levels (allowed: an even number 2 to 100, e.g. 4)", s->levels);
    long long dflt = 10 * s->base < 500 ? 10 * s->base : (s->base > 500 ? s->base : 500);
    s->candidates = sim_cfg_has(cfg, ex, "candidates") ? sim_cfg_int(cfg, ex, "candidates", s->base, 5000) : dflt;
}

/* Keys that only design "morris" takes. */
static void not_gsa(sim_config *cfg, sim_node *ex, const char *a, const char *b, const char *c, const char *why)
{
    not_for(cfg, ex, a, why);
    not_for(cfg, ex, b, why);
    not_for(cfg, ex, c, why);
}

/* `set`: overrides "key=value" for every point (checked when the points are
 * validated, as --set); a key the experiment varies cannot be fixed. */
static void read_fixed(sim_config *cfg, sim_node *ex, sim_sweep *s)
{
    int n = 0;
    sim_node *list = sim_cfg_has(cfg, ex, "set") ? sim_cfg_list(cfg, ex, "set", &n) : NULL;
    if (list && n > SIM_SWEEP_MAX_FIXED)
        sim_config_error(cfg, list, "%d overrides (allowed: at most %d \"key=value\" strings)", n, SIM_SWEEP_MAX_FIXED);
    for (int i = 0; list && i < n && i < SIM_SWEEP_MAX_FIXED; i++) {
        sim_node *e = sim_cfg_elem(list, i);
        const char *v = e && config_setting_type(e) == CONFIG_TYPE_STRING ? config_setting_get_string(e) : NULL;
        if (!v || !strchr(v, '=') || strlen(v) >= SIM_SWEEP_OVERRIDE_MAX) {
            sim_config_error(cfg, e ? e : list, "not an override (allowed: \"path.to.key=value\", as for --set)");
            continue;
        }
        char where[SIM_SWEEP_OVERRIDE_MAX];
        s->fixed_where[s->nfixed] = strdup(sim_config_where(cfg, e, where, sizeof where));
        s->fixed[s->nfixed++] = strdup(v);
    }
}

/* design, replications and points of the block. Returns the lhs point count. */
static long long read_header(sim_config *cfg, sim_node *ex, sim_sweep *s)
{
    int d = sim_cfg_enum(cfg, ex, "design", design_names, 6);
    s->design = (sim_sweep_design)(d == 5 ? SIM_SWEEP_SOBOL : d);
    s->replications = sim_cfg_has(cfg, ex, "replications")
                          ? (int)sim_cfg_int(cfg, ex, "replications", 1, 1000000)
                          : (int)top_int(cfg, "replications", 1);
    s->seed = (uint64_t)top_int(cfg, "seed", 0);
    read_fixed(cfg, ex, s);
    if (s->design == SIM_SWEEP_MORRIS) read_morris(cfg, ex, s);
    else not_gsa(cfg, ex, "trajectories", "levels", "candidates", "trajectories, levels and candidates are for design \"morris\"");
    if (s->design == SIM_SWEEP_SOBOL) s->base = sim_cfg_int(cfg, ex, "points", 8, SIM_SWEEP_MAX_POINTS);
    if (s->design == SIM_SWEEP_LHS) return sim_cfg_int(cfg, ex, "points", 1, SIM_SWEEP_MAX_POINTS);
    if (s->design != SIM_SWEEP_SOBOL)
        not_for(cfg, ex, "points", "points is for designs \"lhs\" and \"sobol\" (a grid or list has as many points as its values give; morris takes trajectories)");
    return 0;
}

/* The parameters of a Morris or Sobol design: the scenario's uncertainty list. */
static sim_sweep *read_gsa(sim_config *cfg, sim_node *ex, sim_sweep *s, size_t errors)
{
    not_for(cfg, ex, "parameters", "design \"morris\" and \"sobol\" vary the parameters of the top-level uncertainty list (no parameters here)");
    s->unc = sim_uncertainty_read(cfg);
    if (!s->unc && sim_config_nerrors(cfg) == errors)
        sim_config_error(cfg, ex, "design \"%s\" varies the parameters of the top-level uncertainty list, and there is none "
                         "(allowed: uncertainty = ( { key = \"...\"; dist = \"uniform\"; min = ...; max = ...; source = \"...\"; } );)",
                         design_names[s->design]);
    size_t k = s->unc ? sim_uncertainty_n(s->unc) : 0;
    for (size_t j = 0; s->unc && j < k; j++)
        if (sim_uncertainty_sample_of(s->unc, j) >= 0) {
            sim_config_error(cfg, ex, "design \"%s\" with the sample entry at %s in the uncertainty list (allowed: "
                             "parameters declared with a dist; a sample entry is for `sim run --draw-parameters`, "
                             "which resamples its rows)", design_names[s->design], sim_uncertainty_where(s->unc, j));
            break;
        }
    if (s->unc && s->design == SIM_SWEEP_SOBOL && k > SIM_GSA_SOBOL_MAX_K)
        sim_config_error(cfg, ex, "design \"sobol\" with %zu uncertain parameters (allowed: at most %d; screen with design \"morris\" first and keep the top ones)",
                         k, SIM_GSA_SOBOL_MAX_K);
    if (sim_config_nerrors(cfg) == errors && (s->p = calloc(k, sizeof *s->p))) {
        s->nparams = k;
        for (size_t j = 0; j < k; j++) {
            s->p[j].key = strdup(sim_uncertainty_key(s->unc, j));
            s->p[j].type = sim_uncertainty_is_int(s->unc, j) ? CONFIG_TYPE_INT64 : CONFIG_TYPE_FLOAT;
            s->p[j].where = strdup(sim_uncertainty_where(s->unc, j));
        }
    }
    if (sim_config_nerrors(cfg) == errors && s->p && make_points(cfg, s, ex, 0) == 0 && sim_config_nerrors(cfg) == errors)
        return s;
    sim_sweep_destroy(s);
    return NULL;
}

static sim_sweep *sweep_read(sim_config *cfg, int no_points)
{
    if (!sim_cfg_has(cfg, NULL, "experiment")) {
        sim_uncertainty_destroy(sim_uncertainty_read(cfg));   /* a scenario may declare it without a sweep */
        return NULL;
    }
    size_t errors = sim_config_nerrors(cfg);
    sim_node *ex = sim_cfg_group(cfg, NULL, "experiment");
    sim_sweep *s = ex ? calloc(1, sizeof *s) : NULL;
    if (!s) return NULL;
    s->no_points = no_points;
    long long lhs_n = read_header(cfg, ex, s);
    if (is_gsa(s->design)) return read_gsa(cfg, ex, s, errors);
    sim_uncertainty_destroy(sim_uncertainty_read(cfg));   /* checked (and marked) even when not varied */
    int n = 0;
    sim_node *list = sim_cfg_list(cfg, ex, "parameters", &n);
    if (list && (n == 0 || n > SIM_SWEEP_MAX_PARAMS))
        sim_config_error(cfg, list, "%d parameters (allowed: 1 to %d groups { key = \"...\"; ... })", n, SIM_SWEEP_MAX_PARAMS);
    if (list && n > 0 && n <= SIM_SWEEP_MAX_PARAMS && (s->p = calloc((size_t)n, sizeof *s->p))) {
        s->nparams = (size_t)n;
        for (int j = 0; j < n; j++) read_param(cfg, s, sim_cfg_elem(list, j), &s->p[j]);
        check_duplicates(cfg, s);
    }
    if (sim_config_nerrors(cfg) == errors && s->p && make_points(cfg, s, list, lhs_n) == 0
        && sim_config_nerrors(cfg) == errors)
        return s;
    sim_sweep_destroy(s);
    return NULL;
}

sim_sweep *sim_sweep_read(sim_config *cfg) { return sweep_read(cfg, 0); }

void sim_sweep_check_block(sim_config *cfg) { sim_sweep_destroy(sweep_read(cfg, 1)); }

/* ========================================================= experiment id == */

static uint64_t fnv1a(uint64_t h, const void *data, size_t n)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 0x100000001b3ULL;
    return h;
}

static uint64_t fnv_str(uint64_t h, const char *s) { return fnv1a(h, s, strlen(s) + 1); }

int sim_sweep_experiment_id(const sim_config *cfg, const sim_sweep *s, char id[17])
{
    char *text = sim_config_resolved_text(cfg);
    if (!text) return -1;
    uint64_t h = fnv_str(0xcbf29ce484222325ULL, "sim sweep experiment 1");
    h = fnv_str(h, SIM_VERSION);
    h = fnv_str(h, SIM_GIT_HASH);   /* another build is another experiment: a resumed sweep never mixes two models */
    h = fnv_str(h, text);
    free(text);
    char buf[SIM_SWEEP_OVERRIDE_MAX];
    snprintf(buf, sizeof buf, "%s %d %zu %zu", design_names[s->design], s->replications, s->npoints, s->nparams);
    h = fnv_str(h, buf);
    for (size_t i = 0; i < s->nfixed; i++) h = fnv_str(h, s->fixed[i]);
    for (size_t i = 0; i < s->npoints; i++)
        for (size_t j = 0; j < s->nparams; j++) h = fnv_str(h, sim_sweep_override(s, i, j, buf, sizeof buf));
    snprintf(id, 17, "%016llx", (unsigned long long)h);
    return 0;
}
