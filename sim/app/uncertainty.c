/* uncertainty.c: the `uncertainty` list of a scenario (uncertainty.h): reading
 * and checking the declarations, the quantile functions, the correlation blocks
 * (a Gaussian copula in designs; drawn blocks of normals from their joint normal
 * truncated to the box), and the check of each range against the model's own
 * validation of the key.
 * Invariants: a declared parameter has min < max and a valid distribution on them
 * (a sample entry's member min <= max: its smallest and largest value of positive
 * weight); a block holds at least two distinct declared parameters, none in
 * another block or a sample entry, and the Cholesky factor of a positive-definite
 * correlation matrix; a sample entry's cumulative weights rise to exactly 1. */
#define _GNU_SOURCE
#include "uncertainty.h"

#include <float.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/model.h"
#include "../core/rng.h"

/* D_SAMPLE is not a `dist` a declaration may name: a sample entry's members get it. */
typedef enum { D_UNIFORM = 0, D_LOGUNIFORM, D_TRIANGULAR, D_NORMAL, D_SAMPLE } dist_kind;
static const char *const dist_names[] = {"uniform", "loguniform", "triangular", "normal", "sample"};
#define N_DECLARABLE 4   /* the dists a { key = ...; dist = ...; } may name */

typedef struct {
    char     *key, *source;
    char      where[SIM_MESSAGE_MAX];
    sim_node *node;                /* its group, for messages while reading */
    dist_kind kind;
    int       is_int;
    double    lo, hi, mode, mean, sd;
    size_t    qn;                  /* D_SAMPLE: its marginal, the rows of positive weight */
    double   *qv, *qc;             /* sorted values; cumulative weights over their sum */
} uparam;

/* A correlation block: its parameters coupled by the declared correlation
 * matrix (uncertainty.h: a copula, or for a block of normals in draws their
 * joint normal truncated to the box). */
typedef struct {
    size_t  m;
    size_t *idx;                 /* the parameters, in the block's order */
    double *chol;                /* m x m lower Cholesky factor, row-major */
    int     joint;               /* every member normal: draws from the joint normal truncated to the box */
    char    where[SIM_MESSAGE_MAX];
} ublock;

/* A sample entry: its parameters take the values of one row of a table of joint
 * draws (e.g. a posterior sample), picked with probability proportional to the
 * row's weight. */
typedef struct {
    size_t  m, rows;
    size_t *idx;                 /* the parameters, in the entry's order */
    double *values;              /* rows x m, row-major */
    double *cum;                 /* rows: cumulative weights over their sum; cum[rows - 1] = 1 */
} usample;

struct sim_uncertainty {
    size_t   n;
    uparam  *p;
    size_t   nb;
    ublock  *b;
    int     *block_of;           /* per parameter: its block, or -1 */
    size_t   ns;
    usample *s;
    int     *sample_of;          /* per parameter: its sample entry, or -1 */
};

size_t sim_uncertainty_n(const sim_uncertainty *u) { return u->n; }
const char *sim_uncertainty_key(const sim_uncertainty *u, size_t j) { return u->p[j].key; }
const char *sim_uncertainty_dist(const sim_uncertainty *u, size_t j) { return dist_names[u->p[j].kind]; }
const char *sim_uncertainty_source(const sim_uncertainty *u, size_t j) { return u->p[j].source; }
const char *sim_uncertainty_where(const sim_uncertainty *u, size_t j) { return u->p[j].where; }
int sim_uncertainty_is_int(const sim_uncertainty *u, size_t j) { return u->p[j].is_int; }
double sim_uncertainty_min(const sim_uncertainty *u, size_t j) { return u->p[j].lo; }
double sim_uncertainty_max(const sim_uncertainty *u, size_t j) { return u->p[j].hi; }

void sim_uncertainty_destroy(sim_uncertainty *u)
{
    if (!u) return;
    for (size_t j = 0; u->p && j < u->n; j++) {
        free(u->p[j].key);
        free(u->p[j].source);
        free(u->p[j].qv);
        free(u->p[j].qc);
    }
    for (size_t b = 0; u->b && b < u->nb; b++) {
        free(u->b[b].idx);
        free(u->b[b].chol);
    }
    for (size_t k = 0; u->s && k < u->ns; k++) {
        free(u->s[k].idx);
        free(u->s[k].values);
        free(u->s[k].cum);
    }
    free(u->s);
    free(u->sample_of);
    free(u->b);
    free(u->block_of);
    free(u->p);
    free(u);
}

size_t sim_uncertainty_nblocks(const sim_uncertainty *u) { return u->nb; }
int sim_uncertainty_block_of(const sim_uncertainty *u, size_t j) { return u->block_of[j]; }
size_t sim_uncertainty_nsamples(const sim_uncertainty *u) { return u->ns; }
int sim_uncertainty_sample_of(const sim_uncertainty *u, size_t j) { return u->sample_of[j]; }

/* ------------------------------------------------------------ quantiles -- */

static double triangular_q(const uparam *p, double q)
{
    double w = p->hi - p->lo, c = (p->mode - p->lo) / w;
    return q < c ? p->lo + sqrt(q * w * (p->mode - p->lo)) : p->hi - sqrt((1.0 - q) * w * (p->hi - p->mode));
}

/* The normal(mean, sd) truncated to [lo, hi], by inversion. */
static double normal_q(const uparam *p, double q)
{
    double a = gsl_cdf_ugaussian_P((p->lo - p->mean) / p->sd);
    double b = gsl_cdf_ugaussian_P((p->hi - p->mean) / p->sd);
    double x = p->mean + p->sd * gsl_cdf_ugaussian_Pinv(a + q * (b - a));
    return isnan(x) ? (q < 0.5 ? p->lo : p->hi) : x;
}

/* The first of n nondecreasing cumulative weights (the last one 1) above u in
 * [0, 1]: the row a uniform picks. Rows of weight 0 are never picked. */
static size_t first_above(const double *cum, size_t n, double u)
{
    size_t lo = 0, hi = n - 1;
    if (u >= 1.0) u = nextafter(1.0, 0.0);
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cum[mid] > u) hi = mid;
        else lo = mid + 1;
    }
    return lo;
}

/* A sample member's marginal: the smallest value whose weighted share of the
 * rows at or below it reaches q (q = 0 gives the smallest value of positive weight). */
static double sample_q(const uparam *p, double q)
{
    size_t i = 0;
    while (i + 1 < p->qn && p->qc[i] < q) i++;
    return p->qv[i];
}

double sim_uncertainty_quantile(const sim_uncertainty *u, size_t j, double q)
{
    const uparam *p = &u->p[j];
    q = q < 0.0 ? 0.0 : q > 1.0 ? 1.0 : q;
    double x;
    switch (p->kind) {
    case D_LOGUNIFORM: x = exp(log(p->lo) + q * (log(p->hi) - log(p->lo))); break;
    case D_TRIANGULAR: x = triangular_q(p, q); break;
    case D_NORMAL: x = normal_q(p, q); break;
    case D_SAMPLE: x = sample_q(p, q); break;
    default: x = p->lo + q * (p->hi - p->lo); break;
    }
    x = x < p->lo ? p->lo : x > p->hi ? p->hi : x;   /* rounding never leaves the support */
    return p->is_int ? nearbyint(x) : x;
}

/* Stream purpose of the per-replication parameter draws (entity = parameter). */
#define DRAW_PURPOSE 0x44524157u

/* Block b's parameters from their coordinates in unit: independent standard
 * normals e = Phi^-1(unit), correlated z = L e, each value the quantile of Phi(z). */
static void copula(const sim_uncertainty *u, const ublock *b, const double *unit, double *values)
{
    double e[SIM_UNCERTAINTY_MAX];
    for (size_t k = 0; k < b->m; k++) {
        double q = unit[b->idx[k]];
        q = q < 1e-12 ? 1e-12 : q > 1.0 - 1e-12 ? 1.0 - 1e-12 : q;   /* the ends of a design: 7 sd out */
        e[k] = gsl_cdf_ugaussian_Pinv(q);
    }
    for (size_t k = 0; k < b->m; k++) {
        double z = 0.0;
        for (size_t l = 0; l <= k; l++) z += b->chol[k * b->m + l] * e[l];
        values[b->idx[k]] = sim_uncertainty_quantile(u, b->idx[k], gsl_cdf_ugaussian_P(z));
    }
}

/* A sample entry's parameters: the row picked by its first member's coordinate. */
static void sample_row(const usample *sm, const double *unit, double *values)
{
    size_t r = first_above(sm->cum, sm->rows, unit[sm->idx[0]]);
    for (size_t k = 0; k < sm->m; k++) values[sm->idx[k]] = sm->values[r * sm->m + k];
}

void sim_uncertainty_map(const sim_uncertainty *u, const double *unit, double *values)
{
    for (size_t j = 0; j < u->n; j++)
        if (u->block_of[j] < 0 && u->sample_of[j] < 0) values[j] = sim_uncertainty_quantile(u, j, unit[j]);
    for (size_t b = 0; b < u->nb; b++) copula(u, &u->b[b], unit, values);
    for (size_t k = 0; k < u->ns; k++) sample_row(&u->s[k], unit, values);
}

/* Stream purpose of a joint block's draws (entity = its first parameter), and how
 * many draws it may reject before giving up. */
#define BLOCK_PURPOSE 0x44524a4eu
#define JOINT_TRIES 1000000L

/* A block of normals: the multivariate normal (the members' means and sds, the
 * declared correlations) truncated to the box of their bounds, by rejection from
 * the block's own stream, so that the correlations that hold a calibration's
 * targets in place survive the bounds (a copula of marginally truncated normals
 * would not keep them). 0, or -1 when no draw fell inside in JOINT_TRIES. */
static int joint_normal(const sim_uncertainty *u, const ublock *b, gsl_rng *r, double *values)
{
    double e[SIM_UNCERTAINTY_MAX], x[SIM_UNCERTAINTY_MAX];
    for (long t = 0; t < JOINT_TRIES; t++) {
        for (size_t k = 0; k < b->m; k++) e[k] = gsl_cdf_ugaussian_Pinv(gsl_rng_uniform_pos(r));
        int inside = 1;
        for (size_t k = 0; inside && k < b->m; k++) {
            const uparam *p = &u->p[b->idx[k]];
            double z = 0.0;
            for (size_t l = 0; l <= k; l++) z += b->chol[k * b->m + l] * e[l];
            x[k] = p->mean + p->sd * z;
            inside = x[k] >= p->lo && x[k] <= p->hi;
        }
        if (!inside) continue;
        for (size_t k = 0; k < b->m; k++) values[b->idx[k]] = u->p[b->idx[k]].is_int ? nearbyint(x[k]) : x[k];
        return 0;
    }
    return -1;
}

int sim_uncertainty_draw(const sim_uncertainty *u, uint64_t seed, uint32_t rep, double *values)
{
    double unit[SIM_UNCERTAINTY_MAX];
    gsl_rng *r = sim_rng_create();
    if (!r) return -1;
    for (size_t j = 0; j < u->n; j++) {
        sim_rng_stream(r, seed, rep, (uint32_t)j, DRAW_PURPOSE);
        unit[j] = gsl_rng_uniform(r);
    }
    sim_uncertainty_map(u, unit, values);
    int rc = 0;
    for (size_t b = 0; rc == 0 && b < u->nb; b++) {
        if (!u->b[b].joint) continue;
        sim_rng_stream(r, seed, rep, (uint32_t)u->b[b].idx[0], BLOCK_PURPOSE);
        if (joint_normal(u, &u->b[b], r, values) != 0) {
            sim_log_error("%s: correlation block: no draw of replication %u inside the members' bounds in %ld tries "
                          "(allowed: bounds that keep a fair share of the joint normal)", u->b[b].where, rep, JOINT_TRIES);
            rc = -2;
        }
    }
    gsl_rng_free(r);
    return rc;
}

/* "key=value" for p (exact: %.17g, or the integer) into buf; returns buf. */
static const char *assignment(const uparam *p, double value, char *buf, size_t size)
{
    if (p->is_int) snprintf(buf, size, "%s=%lld", p->key, (long long)nearbyint(value));
    else snprintf(buf, size, "%s=%.17g", p->key, value);
    return buf;
}

const char *sim_uncertainty_assignment(const sim_uncertainty *u, size_t j, double value, char *buf, size_t size)
{
    return assignment(&u->p[j], value, buf, size);
}

/* -------------------------------------------------------------- reading -- */

/* The setting a parameter varies must exist (as for --set) and be a number;
 * kn is the node that names it (for messages). */
static int check_key(sim_config *cfg, sim_node *kn, const char *key, uparam *p)
{
    if (!kn || !*key) return -1;
    p->key = strdup(key);
    if (!p->key) {
        sim_config_error(cfg, kn, "out of memory");
        return -1;
    }
    if (!strcmp(key, "uncertainty") || !strncmp(key, "uncertainty.", 12) || !strncmp(key, "experiment", 10)
        || !strcmp(key, "seed") || !strcmp(key, "replications")) {
        sim_config_error(cfg, kn, "\"%s\" cannot be uncertain (allowed: a number setting of the model)", key);
        return -1;
    }
    sim_node *t = sim_cfg_lookup(cfg, NULL, key);
    int type = t ? config_setting_type(t) : CONFIG_TYPE_NONE;
    if (!t) {
        char hint[600];
        sim_config_key_hint(cfg, key, hint, sizeof hint);
        sim_config_error(cfg, kn, "\"%s\" is not a key of the scenario (allowed: an existing key, as for --set%s)", key, hint);
        return -1;
    }
    if (type != CONFIG_TYPE_FLOAT && type != CONFIG_TYPE_INT && type != CONFIG_TYPE_INT64) {
        sim_config_error(cfg, kn, "\"%s\" is not a number in the scenario (allowed: a number setting)", key);
        return -1;
    }
    p->is_int = type != CONFIG_TYPE_FLOAT;
    return 0;
}

static int read_key(sim_config *cfg, sim_node *g, uparam *p)
{
    const char *key = sim_cfg_string(cfg, g, "key");
    return check_key(cfg, sim_cfg_lookup(cfg, g, "key"), key, p);
}

/* An entry's `source` is required (sim_cfg_string records it missing) and not empty. */
static const char *read_source(sim_config *cfg, sim_node *g)
{
    const char *source = sim_cfg_string(cfg, g, "source");
    sim_node *n = sim_cfg_lookup(cfg, g, "source");
    if (n && !*source)
        sim_config_error(cfg, n, "empty source (allowed: a reference key of docs/sources.md, or \"assumption: why\")");
    return source;
}

/* A key that the distribution does not take: read it (so it is not also
 * reported as unknown) and say which distributions take it. */
static void not_taken(sim_config *cfg, sim_node *g, const char *key, const char *dist)
{
    sim_node *n = sim_cfg_lookup(cfg, g, key);
    if (!n) return;
    sim_cfg_real(cfg, g, key, -DBL_MAX, DBL_MAX);
    sim_config_error(cfg, n, "%s is not an argument of dist \"%s\" (allowed: uniform and loguniform take min, max; "
                     "triangular min, mode, max; normal mean, sd, min, max)", key, dist);
}

static void read_arguments(sim_config *cfg, sim_node *g, uparam *p)
{
    p->lo = sim_cfg_real(cfg, g, "min", -DBL_MAX, DBL_MAX);
    p->hi = sim_cfg_real(cfg, g, "max", -DBL_MAX, DBL_MAX);
    sim_node *mn = sim_cfg_lookup(cfg, g, "min");
    if (mn && sim_cfg_lookup(cfg, g, "max") && !(p->lo < p->hi))
        sim_config_error(cfg, mn, "min %g is not below max %g (allowed: min < max)", p->lo, p->hi);
    if (p->kind == D_LOGUNIFORM && mn && !(p->lo > 0.0))
        sim_config_error(cfg, mn, "min %g: dist \"loguniform\" needs 0 < min < max", p->lo);
    if (p->kind == D_TRIANGULAR) {
        p->mode = sim_cfg_real(cfg, g, "mode", -DBL_MAX, DBL_MAX);
        sim_node *n = sim_cfg_lookup(cfg, g, "mode");
        if (n && !(p->mode >= p->lo && p->mode <= p->hi))
            sim_config_error(cfg, n, "mode %g is outside min..max %g..%g (allowed: min <= mode <= max)", p->mode, p->lo, p->hi);
    } else not_taken(cfg, g, "mode", dist_names[p->kind]);
    if (p->kind == D_NORMAL) {
        p->mean = sim_cfg_real(cfg, g, "mean", -DBL_MAX, DBL_MAX);
        p->sd = sim_cfg_real(cfg, g, "sd", 0.0, DBL_MAX);
        sim_node *n = sim_cfg_lookup(cfg, g, "sd");
        if (n && !(p->sd > 0.0)) sim_config_error(cfg, n, "sd %g (allowed: sd > 0)", p->sd);
        n = sim_cfg_lookup(cfg, g, "mean");
        if (n && !(p->mean >= p->lo && p->mean <= p->hi))
            sim_config_error(cfg, n, "mean %g is outside the truncation min..max %g..%g (allowed: min <= mean <= max)", p->mean, p->lo, p->hi);
    } else {
        not_taken(cfg, g, "mean", dist_names[p->kind]);
        not_taken(cfg, g, "sd", dist_names[p->kind]);
    }
}

static void read_param(sim_config *cfg, sim_node *elem, uparam *p)
{
    sim_node *g = elem ? sim_cfg_group(cfg, elem, NULL) : NULL;
    if (!g) return;
    p->node = g;
    sim_config_where(cfg, g, p->where, sizeof p->where);
    int key_ok = read_key(cfg, g, p) == 0;
    p->kind = (dist_kind)sim_cfg_enum(cfg, g, "dist", dist_names, N_DECLARABLE);
    p->source = strdup(read_source(cfg, g));
    read_arguments(cfg, g, p);
    if (key_ok && p->is_int && (p->lo < -9007199254740992.0 || p->hi > 9007199254740992.0))
        sim_config_error(cfg, g, "%s is an integer: min and max must be exact in a double (|x| <= 2^53)", p->key);
}

static void check_duplicates(sim_config *cfg, const sim_uncertainty *u)
{
    for (size_t j = 0; j < u->n; j++)
        for (size_t k = 0; k < j; k++)
            if (u->p[j].key && u->p[k].key && !strcmp(u->p[j].key, u->p[k].key)) {
                sim_config_error(cfg, u->p[j].node, "%s is declared twice (allowed: each key once)", u->p[j].key);
                break;
            }
}

/* ------------------------------------------------- correlation blocks -- */

static int is_block(sim_node *elem) { return elem && config_setting_get_member(elem, "correlation") != NULL; }

/* The declared parameter named by element k of the block's `correlation` array,
 * or -1 after recording why not. */
static int block_member(sim_config *cfg, sim_node *keys, int k, const sim_uncertainty *u, size_t nb)
{
    sim_node *e = sim_cfg_elem(keys, k);
    const char *key = sim_cfg_string(cfg, e, NULL);
    for (size_t j = 0; *key && j < u->n; j++) {
        if (!u->p[j].key || strcmp(u->p[j].key, key)) continue;
        if (u->block_of[j] >= 0) {
            sim_config_error(cfg, e, u->block_of[j] == (int)nb ? "%s is listed twice in this block (allowed: each key once)"
                                     : "%s is in two correlation blocks (allowed: each parameter in one block)", key);
            return -1;
        }
        if (u->p[j].kind == D_SAMPLE) {
            sim_config_error(cfg, e, "%s is drawn from a sample entry, whose rows hold its correlations "
                             "(allowed: parameters declared with a dist)", key);
            return -1;
        }
        u->block_of[j] = (int)nb;
        return (int)j;
    }
    if (*key) sim_config_error(cfg, e, "%s is not declared in this uncertainty list (allowed: the key of a parameter "
                               "declared in it, { key = \"%s\"; dist = ...; })", key, key);
    return -1;
}

/* The correlation matrix (row-major m x m): symmetric, unit diagonal, entries in
 * [-1, 1], positive definite; its Cholesky factor into b->chol. */
static int read_matrix(sim_config *cfg, sim_node *g, ublock *b)
{
    int len = 0;
    sim_node *mat = sim_cfg_list(cfg, g, "matrix", &len);
    if (!mat) return -1;
    if ((size_t)len != b->m * b->m) {
        sim_config_error(cfg, mat, "%d numbers for %zu parameters (allowed: %zu, the correlation matrix row by row)",
                         len, b->m, b->m * b->m);
        return -1;
    }
    for (int i = 0; i < len; i++) b->chol[i] = sim_cfg_real(cfg, sim_cfg_elem(mat, i), NULL, -1.0, 1.0);
    for (size_t i = 0; i < b->m; i++)
        for (size_t k = 0; k <= i; k++) {
            double a = b->chol[i * b->m + k], c = b->chol[k * b->m + i];
            if (i == k ? a != 1.0 : fabs(a - c) > 1e-9) {
                sim_config_error(cfg, mat, "entry (%zu, %zu) = %g (allowed: a correlation matrix: 1 on the diagonal, "
                                 "symmetric, entries in -1..1)", i + 1, k + 1, a);
                return -1;
            }
        }
    gsl_matrix_view v = gsl_matrix_view_array(b->chol, b->m, b->m);
    gsl_error_handler_t *old = gsl_set_error_handler_off();
    int rc = gsl_linalg_cholesky_decomp1(&v.matrix);
    gsl_set_error_handler(old);
    if (rc != GSL_SUCCESS) {
        sim_config_error(cfg, mat, "the correlation matrix is not positive definite (allowed: a valid correlation "
                         "matrix; perfectly correlated parameters belong in one key)");
        return -1;
    }
    for (size_t i = 0; i < b->m; i++)   /* keep the lower factor only */
        for (size_t k = i + 1; k < b->m; k++) b->chol[i * b->m + k] = 0.0;
    return 0;
}

static void read_block(sim_config *cfg, sim_node *elem, sim_uncertainty *u)
{
    sim_node *g = sim_cfg_group(cfg, elem, NULL);
    ublock *b = &u->b[u->nb];
    int m = 0;
    sim_node *keys = g ? sim_cfg_list(cfg, g, "correlation", &m) : NULL;
    if (!keys) return;
    sim_config_where(cfg, g, b->where, sizeof b->where);
    sim_cfg_string(cfg, g, "source");   /* required, as for a parameter */
    if (m < 2) {
        sim_config_error(cfg, keys, "%d keys (allowed: 2 or more declared parameters)", m);
        return;
    }
    b->m = (size_t)m;
    b->idx = calloc(b->m, sizeof *b->idx);
    b->chol = calloc(b->m * b->m, sizeof *b->chol);
    if (!b->idx || !b->chol) {
        sim_config_error(cfg, g, "out of memory");
        free(b->idx);
        free(b->chol);
        *b = (ublock){0};
        return;
    }
    int ok = 1;
    for (int k = 0; k < m; k++) {
        int j = block_member(cfg, keys, k, u, u->nb);
        ok &= j >= 0;
        b->idx[k] = j >= 0 ? (size_t)j : 0;
    }
    if (ok && read_matrix(cfg, g, b) == 0) {
        b->joint = 1;
        for (size_t k = 0; k < b->m; k++) b->joint &= u->p[b->idx[k]].kind == D_NORMAL;
        u->nb++;
        return;
    }
    free(b->idx);   /* a refused block is not counted, so the list's destroy would not free it */
    free(b->chol);
    *b = (ublock){0};
}

/* ------------------------------------------------------- sample entries -- */

static int is_sample(sim_node *elem) { return elem && config_setting_get_member(elem, "sample") != NULL; }

/* Number of keys a sample entry names (0 when `sample` is not a list). */
static int sample_keys(sim_node *elem)
{
    sim_node *k = config_setting_get_member(elem, "sample");
    int t = config_setting_type(k);
    return t == CONFIG_TYPE_ARRAY || t == CONFIG_TYPE_LIST ? config_setting_length(k) : 0;
}

/* The table of draws: `vals` row by row (an integer setting's values whole and
 * exact in a double), `w` one weight per row or NULL (>= 0, a finite positive sum;
 * NULL: all equal) as cumulative shares in sm->cum. 0, or -1 after recording why not. */
static int read_rows(sim_config *cfg, sim_node *g, sim_node *vals, int len, sim_node *w, int nw,
                     const sim_uncertainty *u, size_t first, usample *sm)
{
    if (len == 0 || (size_t)len % sm->m || len > SIM_UNCERTAINTY_MAX_NUMBERS) {
        sim_config_error(cfg, vals, "%d numbers for %zu keys (allowed: rows of %zu, one row per draw in the keys' order, "
                         "at most %d numbers)", len, sm->m, sm->m, SIM_UNCERTAINTY_MAX_NUMBERS);
        return -1;
    }
    sm->rows = (size_t)len / sm->m;
    if (w && (size_t)nw != sm->rows) {
        sim_config_error(cfg, w, "%d weights for %zu rows (allowed: one weight per row)", nw, sm->rows);
        return -1;
    }
    sm->values = malloc((size_t)len * sizeof *sm->values);
    sm->cum = malloc(sm->rows * sizeof *sm->cum);
    if (!sm->values || !sm->cum) {
        sim_config_error(cfg, g, "out of memory");
        return -1;
    }
    for (int i = 0; i < len; i++) {
        const uparam *p = &u->p[first + (size_t)i % sm->m];
        double v = sim_cfg_real(cfg, sim_cfg_elem(vals, i), NULL, -DBL_MAX, DBL_MAX);
        if (p->is_int && (v != nearbyint(v) || fabs(v) > 9007199254740992.0))
            sim_config_error(cfg, vals, "row %d: %.17g for the integer setting %s (allowed: whole numbers, |x| <= 2^53)",
                             i / (int)sm->m + 1, v, p->key);
        sm->values[i] = v;
    }
    double sum = 0.0;
    for (size_t r = 0; r < sm->rows; r++) sm->cum[r] = sum += w ? sim_cfg_real(cfg, sim_cfg_elem(w, (int)r), NULL, 0.0, DBL_MAX) : 1.0;
    if (!(sum > 0.0) || !isfinite(sum)) {
        sim_config_error(cfg, w, "the weights sum to %g (allowed: weights >= 0 with a finite, positive sum)", sum);
        return -1;
    }
    for (size_t r = 0; r < sm->rows; r++) sm->cum[r] /= sum;
    sm->cum[sm->rows - 1] = 1.0;
    return 0;
}

typedef struct { double v, w; } vw_pair;

static int by_value(const void *a, const void *b)
{
    double x = ((const vw_pair *)a)->v, y = ((const vw_pair *)b)->v;
    return (x > y) - (x < y);
}

/* Member k's support (the smallest and largest value of a row of positive
 * weight) and its marginal (qv, qc: sim_uncertainty_quantile). 0, or -1. */
static int member_marginal(const usample *sm, size_t k, uparam *p)
{
    vw_pair *t = malloc(sm->rows * sizeof *t);
    p->qv = malloc(sm->rows * sizeof *p->qv);
    p->qc = malloc(sm->rows * sizeof *p->qc);
    if (!t || !p->qv || !p->qc) {
        free(t);
        return -1;
    }
    size_t n = 0;
    for (size_t r = 0; r < sm->rows; r++) {
        double w = sm->cum[r] - (r ? sm->cum[r - 1] : 0.0);
        if (w > 0.0) t[n++] = (vw_pair){sm->values[r * sm->m + k], w};
    }
    qsort(t, n, sizeof *t, by_value);
    double c = 0.0;
    for (size_t i = 0; i < n; i++) {
        p->qv[i] = t[i].v;
        p->qc[i] = c += t[i].w;
    }
    p->qn = n;
    p->lo = t[0].v;
    p->hi = t[n - 1].v;
    free(t);
    return 0;
}

/* A sample entry { sample = [keys]; values = [rows]; weights = [...]; source = "..."; }:
 * its keys become parameters u->p[first ..] of dist "sample" with the entry's source. */
static void read_sample(sim_config *cfg, sim_node *elem, sim_uncertainty *u)
{
    sim_node *g = sim_cfg_group(cfg, elem, NULL);
    if (!g) return;
    /* every member is read before anything can fail, so that one mistake is one
     * message (an unread member would also be reported as an unknown key) */
    int m = 0, len = 0, nw = 0;
    sim_node *keys = sim_cfg_list(cfg, g, "sample", &m);
    sim_node *vals = sim_cfg_list(cfg, g, "values", &len);
    sim_node *w = sim_cfg_lookup(cfg, g, "weights") ? sim_cfg_list(cfg, g, "weights", &nw) : NULL;
    const char *source = read_source(cfg, g);
    static const char *const not_taken_here[] = {"key", "dist", "min", "max", "mean", "sd", "mode", "correlation", "matrix"};
    for (size_t i = 0; i < sizeof not_taken_here / sizeof not_taken_here[0]; i++) {
        sim_node *n = sim_cfg_lookup(cfg, g, not_taken_here[i]);
        if (!n) continue;
        sim_cfg_mark_used(n);   /* reported here, not again as an unknown key */
        sim_config_error(cfg, n, "%s is not part of a sample entry (allowed: sample, values, weights, source)", not_taken_here[i]);
    }
    if (!keys) return;
    if (m < 1) {
        sim_config_error(cfg, keys, "0 keys (allowed: 1 or more keys of the scenario)");
        return;
    }
    char where[SIM_MESSAGE_MAX];
    sim_config_where(cfg, g, where, sizeof where);
    size_t first = u->n;
    int ok = 1;
    for (int k = 0; k < m; k++) {
        uparam *p = &u->p[u->n++];
        sim_node *e = sim_cfg_elem(keys, k);
        p->node = g;
        p->kind = D_SAMPLE;
        snprintf(p->where, sizeof p->where, "%s", where);
        p->source = strdup(source);
        ok &= check_key(cfg, e, sim_cfg_string(cfg, e, NULL), p) == 0;
    }
    usample *sm = &u->s[u->ns];
    sm->m = (size_t)m;
    if (!(sm->idx = malloc(sm->m * sizeof *sm->idx))) {
        sim_config_error(cfg, g, "out of memory");
        ok = 0;
    }
    if (ok && vals && read_rows(cfg, g, vals, len, w, nw, u, first, sm) == 0) {
        for (size_t k = 0; ok && k < sm->m; k++) {
            sm->idx[k] = first + k;
            u->sample_of[first + k] = (int)u->ns;
            if (member_marginal(sm, k, &u->p[first + k]) != 0) {
                sim_config_error(cfg, g, "out of memory");
                ok = 0;
            }
        }
        if (ok) {
            u->ns++;
            return;
        }
    }
    free(sm->idx);   /* a refused entry is not counted, so the list's destroy would not free it */
    free(sm->values);
    free(sm->cum);
    *sm = (usample){0};
}

/* A correlation block not read because an earlier entry failed: its settings are marked
 * read, so that they are not reported as unknown keys after the real problem. */
static void mark_block_read(sim_node *block)
{
    for (unsigned k = 0; k < (unsigned)config_setting_length(block); k++)
        sim_cfg_mark_used(config_setting_get_elem(block, k));
}

/* ---------------------------------------------------------------- list -- */

sim_uncertainty *sim_uncertainty_read(sim_config *cfg)
{
    if (!sim_cfg_has(cfg, NULL, "uncertainty")) return NULL;
    size_t errors = sim_config_nerrors(cfg);
    int n = 0, np = 0, nb = 0, ns = 0;
    sim_node *list = sim_cfg_list(cfg, NULL, "uncertainty", &n);
    for (int i = 0; list && i < n; i++) {
        sim_node *e = config_setting_get_elem(list, (unsigned)i);
        if (is_block(e)) nb++;
        else if (is_sample(e)) {
            ns++;
            np += sample_keys(e);
        } else np++;
    }
    if (list && (np == 0 || np > SIM_UNCERTAINTY_MAX))
        sim_config_error(cfg, list, "%d parameters (allowed: 1 to %d, each group { key = \"...\"; dist = \"...\"; ... } "
                         "and each key of a sample entry counting one)", np, SIM_UNCERTAINTY_MAX);
    sim_uncertainty *u = calloc(1, sizeof *u);
    if (!u) return NULL;
    int fits = list && np > 0 && np <= SIM_UNCERTAINTY_MAX;
    if (fits && (!(u->p = calloc((size_t)np, sizeof *u->p)) || !(u->block_of = malloc((size_t)np * sizeof *u->block_of))
                 || !(u->sample_of = malloc((size_t)np * sizeof *u->sample_of))
                 || !(u->b = calloc((size_t)nb + 1, sizeof *u->b)) || !(u->s = calloc((size_t)ns + 1, sizeof *u->s))))
        sim_config_error(cfg, list, "out of memory");
    else if (fits) {
        for (int j = 0; j < np; j++) u->block_of[j] = u->sample_of[j] = -1;
        for (int i = 0; i < n; i++) {
            sim_node *e = sim_cfg_elem(list, i);
            if (is_block(e)) continue;
            if (is_sample(e)) read_sample(cfg, e, u);
            else read_param(cfg, e, &u->p[u->n++]);
        }
        check_duplicates(cfg, u);
        int clean = sim_config_nerrors(cfg) == errors;   /* blocks refer to the parameters: read only then */
        for (int i = 0; i < n; i++) {
            sim_node *e = config_setting_get_elem(list, (unsigned)i);
            if (is_block(e) && clean) read_block(cfg, e, u);
            else if (is_block(e)) mark_block_read(e);
        }
    }
    if (sim_config_nerrors(cfg) == errors && u->p) return u;
    sim_uncertainty_destroy(u);
    return NULL;
}

/* ------------------------------------------------- the allowed range -- */

/* The model named by the scenario's `model` key, or NULL. */
static const sim_model_type *model_of(sim_config *cfg, const sim_model_type *const *models)
{
    sim_node *m = sim_cfg_lookup(cfg, NULL, "model");
    const char *name = m && config_setting_type(m) == CONFIG_TYPE_STRING ? config_setting_get_string(m) : "";
    for (int i = 0; models[i]; i++)
        if (!strcmp(models[i]->name, name)) return models[i];
    return NULL;
}

/* The model's verdict on the scenario with key=value: NULL if accepted, else
 * its first message (the caller frees it). */
static char *probe(const sim_model_type *const *models, const char *scenario, const char *const *sets, int nsets,
                   const char *const *assign, int nassign)
{
    sim_config *cfg = sim_config_load(scenario);
    if (!cfg) return strdup("out of memory");
    for (int i = 0; i < nsets && sim_config_nerrors(cfg) == 0; i++) sim_config_override(cfg, sets[i]);
    for (int i = 0; i < nassign && sim_config_nerrors(cfg) == 0; i++) sim_config_override(cfg, assign[i]);
    const sim_model_type *model = sim_config_nerrors(cfg) == 0 ? model_of(cfg, models) : NULL;
    if (model) {
        sim_node *o = sim_cfg_lookup(cfg, NULL, "origin");
        if (o && config_setting_type(o) == CONFIG_TYPE_STRING) sim_config_set_origin(cfg, config_setting_get_string(o));
        sim_setup setup = {.seed = 1, .replications = 1};
        void *params = model->configure(cfg, &setup);
        if (params) model->destroy(params);
    }
    char *msg = sim_config_nerrors(cfg) ? strdup(sim_config_error_at(cfg, 0))
              : model ? NULL : strdup("the scenario names no known model");
    sim_config_destroy(cfg);
    return msg;
}

/* The part of a model message after "KEY: " (its "what is wrong (allowed: ...)"). */
static const char *after_key(const char *msg, const char *key)
{
    const char *k = strstr(msg, key);
    return k && !strncmp(k + strlen(key), ": ", 2) ? k + strlen(key) + 2 : msg;
}

static int check_end(const uparam *p, const sim_model_type *const *models, const char *scenario,
                     const char *const *sets, int nsets, int upper)
{
    char buf[SIM_MESSAGE_MAX];
    double v = upper ? p->hi : p->lo;
    const char *one[1] = {assignment(p, v, buf, sizeof buf)};
    char *msg = probe(models, scenario, sets, nsets, one, 1);
    if (!msg) return 0;
    fprintf(stderr, "%s: uncertainty %s: %s %g is outside the allowed range: %s\n", p->where, p->key,
            upper ? "max" : "min", v, after_key(msg, p->key));
    free(msg);
    return -1;
}

/* Every row of positive weight of a sample entry, all its keys set together (a
 * row's values need not be accepted one key at a time, nor only one at a time). */
static int check_rows(const sim_uncertainty *u, const usample *sm, const sim_model_type *const *models,
                      const char *scenario, const char *const *sets, int nsets)
{
    char buf[SIM_UNCERTAINTY_MAX][SIM_MESSAGE_MAX];
    const char *assign[SIM_UNCERTAINTY_MAX];
    for (size_t r = 0; r < sm->rows; r++) {
        if (!(sm->cum[r] > (r ? sm->cum[r - 1] : 0.0))) continue;
        for (size_t k = 0; k < sm->m; k++)
            assign[k] = sim_uncertainty_assignment(u, sm->idx[k], sm->values[r * sm->m + k], buf[k], sizeof buf[k]);
        char *msg = probe(models, scenario, sets, nsets, assign, (int)sm->m);
        if (!msg) continue;
        const uparam *p = &u->p[sm->idx[0]];
        fprintf(stderr, "%s: uncertainty sample row %zu is not a set the model accepts: %s\n", p->where, r + 1, msg);
        free(msg);
        return -1;   /* one row named is enough to act on; the others may share the cause */
    }
    return 0;
}

int sim_uncertainty_check(const sim_uncertainty *u, const sim_model_type *const *models,
                          const char *scenario, const char *const *sets, int nsets)
{
    int bad = 0;
    for (size_t j = 0; j < u->n; j++) {
        if (u->sample_of[j] >= 0) continue;
        int lo = check_end(&u->p[j], models, scenario, sets, nsets, 0);
        int hi = check_end(&u->p[j], models, scenario, sets, nsets, 1);
        bad |= lo | hi;
    }
    for (size_t k = 0; k < u->ns; k++) bad |= check_rows(u, &u->s[k], models, scenario, sets, nsets);
    return bad ? -1 : 0;
}

int sim_uncertainty_check_scenario(const sim_model_type *const *models, const char *scenario,
                                   const char *const *sets, int nsets)
{
    sim_config *cfg = sim_config_load(scenario);
    if (!cfg) return -1;
    for (int i = 0; i < nsets && sim_config_nerrors(cfg) == 0; i++) sim_config_override(cfg, sets[i]);
    sim_uncertainty *u = sim_config_nerrors(cfg) ? NULL : sim_uncertainty_read(cfg);
    int rc = sim_config_nerrors(cfg) ? -1 : u ? sim_uncertainty_check(u, models, scenario, sets, nsets) : 0;
    if (sim_config_nerrors(cfg)) sim_config_print_errors(cfg, stderr, 0);
    sim_uncertainty_destroy(u);
    sim_config_destroy(cfg);
    return rc;
}
