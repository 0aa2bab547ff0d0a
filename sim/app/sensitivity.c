/* sensitivity.c: `sim sensitivity` (sensitivity.h): a merged Morris or Sobol
 * sweep (or two, for a contrast) -> indices per outcome, as a table on stdout and
 * /sensitivity in an HDF5 file. The estimators are in gsa.c; this file reads,
 * checks, pairs and writes.
 * Invariant: indices are only computed on points whose values are the design's
 * (regenerated from the scenario text in the file), complete and, for a
 * contrast, identical in both files. */
#define _GNU_SOURCE
#include "sensitivity.h"

#include <getopt.h>
#include <hdf5.h>
#include <hdf5_hl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/common.h"
#include "../core/rng.h"
#include "../io/config.h"
#include "../io/files.h"
#include "../io/out.h"
#include "experiment.h"
#include "gsa.h"
#include "options.h"
#include "../io/numtext.h"
#include "uncertainty.h"

#define MAX_OUTCOMES 64
/* Bootstrap stream: (seed, replication 0, entity = hash of the outcome's name, this purpose). */
#define BOOT_PURPOSE 0x53454e53u
/* Below these the intervals are wide and the table says so. */
#define FEW_TRAJECTORIES 10
#define FEW_BASE_POINTS 256

typedef struct {
    const char *base, *alt, *output;
    const char *outcomes[MAX_OUTCOMES];
    int         noutcomes, nboot, quiet;
    const char *command_line;
} request;

/* One merged sweep file and its regenerated design. */
typedef struct {
    const char *path;
    hid_t       f;
    sim_config *cfg;
    sim_sweep  *sw;
    size_t      n, reps, nfields;
    char      **fields;   /* the /summary outcomes ([point][replication] datasets) */
} merged;

/* The indices of every outcome: [outcome][parameter] arrays. */
typedef struct {
    size_t  nout, k;
    const char **names;
    double *a[6];   /* morris: mu, mu_star, lo, hi, sigma; sobol: S1, lo, hi, ST, lo, hi */
    double *y;      /* [outcome][point]: the values the indices are computed from */
    double *noise;  /* [outcome][parameter]: the part of mu* (Morris) or ST (Sobol) that
                       chance alone gives (sim_gsa_*_noise), NaN if unknown */
} indices;

static const char *const morris_sets[] = {"mu", "mu_star", "mu_star_low", "mu_star_high", "sigma"};
static const char *const sobol_sets[] = {"S1", "S1_low", "S1_high", "ST", "ST_low", "ST_high"};

static int is_gsa(const sim_sweep *s)
{
    return sim_sweep_get_design(s) == SIM_SWEEP_MORRIS || sim_sweep_get_design(s) == SIM_SWEEP_SOBOL;
}

/* ============================================================== reading == */

/* /parameters/scenario as a string (the caller frees it), or NULL. */
static char *scenario_text(hid_t f)
{
    if (H5Lexists(f, "/parameters", H5P_DEFAULT) <= 0 || H5Lexists(f, "/parameters/scenario", H5P_DEFAULT) <= 0) return NULL;
    hid_t d = H5Dopen2(f, "/parameters/scenario", H5P_DEFAULT);
    hid_t t = d >= 0 ? H5Dget_type(d) : -1;
    char *text = NULL;
    if (t >= 0 && H5Tget_class(t) == H5T_STRING && !H5Tis_variable_str(t) && sim_out_dataset_intact(d)) {
        size_t size = H5Tget_size(t);
        text = calloc(size + 1, 1);
        if (text && H5Dread(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, text) < 0) { free(text); text = NULL; }
    }
    if (t >= 0) H5Tclose(t);
    if (d >= 0) H5Dclose(d);
    return text;
}

/* The design the file was swept with, from the scenario it carries. */
static int regenerate(merged *m)
{
    char *text = scenario_text(m->f);
    if (!text) return sim_log_path_error(m->path, "no /parameters/scenario (allowed: a file written by sim merge of a morris or sobol sweep)");
    m->cfg = sim_config_parse(text, m->path, NULL);
    free(text);
    if (!m->cfg) return sim_log_path_error(m->path, "out of memory");
    m->sw = sim_config_nerrors(m->cfg) ? NULL : sim_sweep_read(m->cfg);
    if (!m->sw && sim_config_nerrors(m->cfg))
        return sim_log_path_error(m->path, "the scenario it carries has an experiment this build cannot regenerate: %s", sim_config_error_at(m->cfg, 0));
    if (!m->sw) return sim_log_path_error(m->path, "not a sweep (no experiment block; allowed: a merged sweep of design morris or sobol)");
    if (!is_gsa(m->sw))
        return sim_log_path_error(m->path, "a sweep of design \"%s\" (allowed: a merged sweep of design morris or sobol)",
                    sim_sweep_design_name(sim_sweep_get_design(m->sw)));
    return 0;
}

static herr_t add_field(hid_t g, const char *name, const H5L_info_t *info, void *data)
{
    (void)info;
    merged *m = data;
    hid_t d = H5Dopen2(g, name, H5P_DEFAULT);
    hid_t sp = d >= 0 ? H5Dget_space(d) : -1;
    hsize_t dims[2];
    int ok = sp >= 0 && H5Sget_simple_extent_ndims(sp) == 2 && H5Sget_simple_extent_dims(sp, dims, NULL) == 2
             && dims[0] == m->n && dims[1] == m->reps;
    if (sp >= 0) H5Sclose(sp);
    if (d >= 0) H5Dclose(d);
    if (!ok) return 0;
    char **f = realloc(m->fields, (m->nfields + 1) * sizeof *f);
    if (!f || !(f[m->nfields] = strdup(name))) { if (f) m->fields = f; return -1; }
    m->fields = f;
    m->nfields++;
    return 0;
}

/* Complete, and its /summary/<key> columns are the design's values. */
static int check_points(merged *m)
{
    size_t np = sim_sweep_npoints(m->sw), k = sim_sweep_nparams(m->sw);
    if (m->n != np)
        return sim_log_path_error(m->path, "%zu of the design's %zu points (allowed: a complete sweep; run the missing points and merge again)", m->n, np);
    double *col = malloc(np * sizeof *col);
    int rc = col ? 0 : sim_log_path_error(m->path, "out of memory");
    for (size_t j = 0; rc == 0 && j < k; j++) {
        char name[SIM_SWEEP_OVERRIDE_MAX];
        snprintf(name, sizeof name, "/summary/%s", sim_sweep_key(m->sw, j));
        if (H5Lexists(m->f, name, H5P_DEFAULT) <= 0 || H5LTread_dataset_double(m->f, name, col) < 0) {
            rc = sim_log_path_error(m->path, "no %s column (allowed: a file written by sim merge)", name);
            break;
        }
        for (size_t i = 0; rc == 0 && i < np; i++) {
            double want = sim_sweep_value(m->sw, i, j);
            if (fabs(col[i] - want) > 1e-9 * (fabs(want) + 1e-300) && col[i] != want)
                rc = sim_log_path_error(m->path, "point %zu has %s = %.17g, the design says %.17g (the file is not this experiment's)", i,
                          sim_sweep_key(m->sw, j), col[i], want);
        }
    }
    free(col);
    return rc;
}

static int open_merged(merged *m)
{
    sim_input_note_path(m->path);
    m->f = H5Fopen(m->path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (m->f < 0) return sim_log_path_error(m->path, "not a readable HDF5 file (missing, truncated or damaged?)");
    long long reps = 0, np = 0;
    if (H5Aexists(m->f, "replications") <= 0 || H5LTget_attribute_long_long(m->f, "/", "replications", &reps) < 0
        || H5Aexists(m->f, "points_merged") <= 0 || H5LTget_attribute_long_long(m->f, "/", "points_merged", &np) < 0
        || reps < 1 || np < 1)
        return sim_log_path_error(m->path, "not a merged sweep (no replications or points_merged attribute; allowed: a file written by sim merge)");
    /* the output's provenance repeats the seed and the origin: both must be readable */
    long days;
    long long seed;
    char *origin = sim_out_attr_read_string(m->f, "time_origin");
    int dated = origin && sim_date_parse(origin, &days) == 0;
    free(origin);
    if (H5Aexists(m->f, "seed") <= 0 || H5LTget_attribute_long_long(m->f, "/", "seed", &seed) < 0)
        return sim_log_path_error(m->path, "no integer seed attribute: its points do not share one seed (allowed: a "
                                  "file written by sim merge of a sweep whose points share the seed, so that common "
                                  "random numbers pair them)");
    if (!dated)
        return sim_log_path_error(m->path, "no time_origin attribute of the form YYYY-MM-DD (allowed: a file written by sim merge)");
    m->reps = (size_t)reps;
    m->n = (size_t)np;
    if (regenerate(m) != 0 || check_points(m) != 0) return -1;
    hid_t g = H5Gopen2(m->f, "/summary", H5P_DEFAULT);
    if (g < 0) return sim_log_path_error(m->path, "no /summary group");
    herr_t e = H5Literate(g, H5_INDEX_NAME, H5_ITER_INC, NULL, add_field, m);
    H5Gclose(g);
    if (e < 0 || m->nfields == 0) return sim_log_path_error(m->path, "no [point][replication] outcomes in /summary");
    return 0;
}

static void close_merged(merged *m)
{
    if (m->f > 0) H5Fclose(m->f);
    sim_sweep_destroy(m->sw);
    sim_config_destroy(m->cfg);
    for (size_t i = 0; i < m->nfields; i++) free(m->fields[i]);
    free(m->fields);
}

/* Point i's population (after --scale) into pop[n]: /provenance/population when the
 * merge wrote it, else the root attribute when it is a number (all points alike), else
 * NAN (unknown: not compared). 0, or -1 when out of memory. */
static int read_populations(const merged *m, double *pop)
{
    for (size_t i = 0; i < m->n; i++) pop[i] = NAN;
    if (H5Lexists(m->f, "provenance", H5P_DEFAULT) > 0 && H5Lexists(m->f, "provenance/population", H5P_DEFAULT) > 0) {
        hid_t d = H5Dopen2(m->f, "provenance/population", H5P_DEFAULT), sp = d >= 0 ? H5Dget_space(d) : -1;
        if (sp >= 0 && H5Sget_simple_extent_npoints(sp) == (hssize_t)m->n)
            (void)H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, pop);
        if (sp >= 0) H5Sclose(sp);
        if (d >= 0) H5Dclose(d);
        return 0;
    }
    double v;
    H5T_class_t cls;
    size_t size;
    hsize_t dims[1] = {0};
    if (H5Aexists(m->f, "population") > 0 && H5LTget_attribute_info(m->f, "/", "population", dims, &cls, &size) >= 0
        && cls == H5T_FLOAT && H5LTget_attribute_double(m->f, "/", "population", &v) >= 0)
        for (size_t i = 0; i < m->n; i++) pop[i] = v;
    return 0;
}

/* BASE and ALT's points simulated the same population (another has other people:
 * nothing pairs, and every count differs by the scale alone). */
static int same_population(const merged *a, const merged *b)
{
    double *pa = malloc((a->n + 1) * sizeof *pa), *pb = malloc((b->n + 1) * sizeof *pb);
    int rc = pa && pb ? 0 : -1;
    if (rc) sim_log_error("out of memory");
    if (!rc) rc = read_populations(a, pa) | read_populations(b, pb);
    for (size_t i = 0; !rc && i < a->n && i < b->n; i++)
        if (isfinite(pa[i]) && isfinite(pb[i]) && pa[i] != pb[i]) {
            rc = sim_log_path_error(b->path, "point %zu simulated population %.15g, in %s %.15g; paired differences need "
                                    "the same population (sweep both with the same --scale)", i, pb[i], a->path, pa[i]);
        }
    free(pa);
    free(pb);
    return rc;
}

/* BASE and ALT ran the same points with the same seed and replications. */
static int same_design(const merged *a, const merged *b)
{
    const sim_sweep *x = a->sw, *y = b->sw;
    if (sim_sweep_get_design(x) != sim_sweep_get_design(y) || sim_sweep_npoints(x) != sim_sweep_npoints(y)
        || sim_sweep_nparams(x) != sim_sweep_nparams(y) || a->reps != b->reps || sim_sweep_seed(x) != sim_sweep_seed(y))
        return sim_log_path_error(b->path, "not the same experiment as %s (allowed: the same experiment block, seed and replications over another scenario)", a->path);
    for (size_t j = 0; j < sim_sweep_nparams(x); j++)
        if (strcmp(sim_sweep_key(x, j), sim_sweep_key(y, j)) != 0)
            return sim_log_path_error(b->path, "parameter %zu is %s, in %s it is %s", j, sim_sweep_key(y, j), a->path, sim_sweep_key(x, j));
    for (size_t i = 0; i < sim_sweep_npoints(x); i++)
        for (size_t j = 0; j < sim_sweep_nparams(x); j++)
            if (sim_sweep_value(x, i, j) != sim_sweep_value(y, i, j))
                return sim_log_path_error(b->path, "point %zu differs from %s (allowed: the same points)", i, a->path);
    return same_population(a, b);
}

/* ============================================================ outcomes == */

static int field_index(const merged *m, const char *name)
{
    for (size_t i = 0; i < m->nfields; i++)
        if (!strcmp(m->fields[i], name)) return (int)i;
    return -1;
}

/* The outcomes asked for (default: the headline ones when present, else all). */
static int choose_outcomes(request *q, const merged *m, const merged *alt)
{
    if (q->noutcomes == 0) {
        if (field_index(m, "durable_placements") >= 0 && field_index(m, "cost_per_durable") >= 0) {
            q->outcomes[q->noutcomes++] = "durable_placements";
            q->outcomes[q->noutcomes++] = "cost_per_durable";
        } else
            for (size_t i = 0; i < m->nfields && i < MAX_OUTCOMES; i++) q->outcomes[q->noutcomes++] = m->fields[i];
    }
    for (int o = 0; o < q->noutcomes; o++) {
        const merged *w = field_index(m, q->outcomes[o]) < 0 ? m : alt && field_index(alt, q->outcomes[o]) < 0 ? alt : NULL;
        if (!w) continue;
        size_t len = 0;
        for (size_t i = 0; i < w->nfields; i++) len += strlen(w->fields[i]) + 2;
        char *list = calloc(len + 1, 1);
        for (size_t i = 0; list && i < w->nfields; i++) { strcat(list, i ? ", " : ""); strcat(list, w->fields[i]); }
        sim_log_path_error(w->path, "--outcome %s: no such outcome (allowed: %s)", q->outcomes[o], list ? list : "?");
        free(list);
        return -1;
    }
    return 0;
}

/* v[i][k]: the outcome at point i in replication k (of ALT - BASE with alt; NaN
 * where undefined), and y[i] its mean over the replications where it is defined
 * (NaN where none is). */
static int outcome_values(const merged *b, const merged *alt, const char *name, double *y, double *v)
{
    size_t n = b->n, r = b->reps;
    double *vb = malloc(n * r * sizeof *vb), *va = alt ? malloc(n * r * sizeof *va) : NULL;
    char path[SIM_MESSAGE_MAX];
    snprintf(path, sizeof path, "/summary/%s", name);
    int rc = vb && (!alt || va) ? 0 : sim_log_path_error(b->path, "out of memory");
    if (rc == 0 && H5LTread_dataset_double(b->f, path, vb) < 0) rc = sim_log_path_error(b->path, "cannot read %s", path);
    if (rc == 0 && alt && H5LTread_dataset_double(alt->f, path, va) < 0) rc = sim_log_path_error(alt->path, "cannot read %s", path);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        double s = 0.0;
        size_t m = 0;
        for (size_t k = 0; k < r; k++) {
            double x = alt ? va[i * r + k] - vb[i * r + k] : vb[i * r + k];
            v[i * r + k] = x;
            if (!isnan(x)) { s += x; m++; }
        }
        y[i] = m ? s / (double)m : NAN;
    }
    free(vb);
    free(va);
    return rc;
}

/* ============================================================ indices == */

/* The bootstrap stream's entity: a hash of the outcome's name, so an outcome's
 * intervals do not depend on which other outcomes were asked for. */
static uint32_t name_key(const char *name)
{
    uint32_t h = 2166136261u;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) h = (h ^ *p) * 16777619u;
    return h;
}

static int compute(const request *q, const merged *b, const merged *alt, indices *ix)
{
    const sim_sweep *s = b->sw;
    size_t k = ix->k, np = sim_sweep_npoints(s), base = sim_sweep_base_points(s);
    int morris = sim_sweep_get_design(s) == SIM_SWEEP_MORRIS;
    gsl_rng *g = sim_rng_create();
    double *u = malloc(np * k * sizeof *u), *v = malloc(np * b->reps * sizeof *v);
    int rc = g && u && v ? 0 : sim_log_path_error(b->path, "out of memory");
    for (size_t i = 0; rc == 0 && i < np; i++) memcpy(u + i * k, sim_sweep_unit_point(s, i), k * sizeof *u);
    for (size_t o = 0; rc == 0 && o < ix->nout; o++) {
        double *y = ix->y + o * np, *a[6];
        for (int t = 0; t < 6; t++) a[t] = ix->a[t] + o * k;
        rc = outcome_values(b, alt, ix->names[o], y, v);
        if (rc == 0 && morris) sim_gsa_morris_noise(k, base, u, v, b->reps, ix->noise + o * k);
        else if (rc == 0) sim_gsa_sobol_noise(k, base, v, b->reps, ix->noise + o * k);
        sim_rng_stream(g, sim_sweep_seed(s), 0, name_key(ix->names[o]), BOOT_PURPOSE);
        sim_gsa_morris_out mo = {a[0], a[1], a[4], a[2], a[3]};   /* mu, mu*, sigma, lo, hi */
        sim_gsa_sobol_out so = {a[0], a[1], a[2], a[3], a[4], a[5]};
        if (rc == 0 && (morris ? sim_gsa_morris(k, base, u, y, g, q->nboot, 0.95, &mo)
                               : sim_gsa_sobol(k, base, y, g, q->nboot, 0.95, &so)) != 0)
            rc = sim_log_path_error(b->path, "%s: the indices are undefined (no variation in the outcome, or too few points where it is defined)", ix->names[o]);
    }
    free(u);
    free(v);
    if (g) gsl_rng_free(g);
    return rc;
}

/* order[0..k): the parameters by decreasing v (NaN last); insertion sort, k is small. */
static void rank(const double *v, size_t k, size_t *order)
{
    for (size_t j = 0; j < k; j++) {
        size_t i = j;
        for (; i > 0; i--) {
            double prev = v[order[i - 1]];
            if (!(isnan(prev) || (!isnan(v[j]) && v[j] > prev))) break;
            order[i] = order[i - 1];
        }
        order[i] = j;
    }
}

/* The warning that goes with indices from few points, or NULL. */
static const char *few_points(const sim_sweep *s, char *buf, size_t size)
{
    size_t base = sim_sweep_base_points(s);
    int morris = sim_sweep_get_design(s) == SIM_SWEEP_MORRIS;
    if (base >= (size_t)(morris ? FEW_TRAJECTORIES : FEW_BASE_POINTS)) return NULL;
    snprintf(buf, size, "warning: only %zu %s (fewer than %d): the intervals are wide; read the ranking with them, not the point values",
             base, morris ? "trajectories" : "base points", morris ? FEW_TRAJECTORIES : FEW_BASE_POINTS);
    return buf;
}

/* The Morris table of one outcome, rows in `order`: mu*, its interval, mu, sigma and noise
 * in the outcome's units with 4 significant digits (numtext.h). Each column is as wide as
 * its longest entry, at least as wide as for values below a million, so that large
 * amounts (EUR 1,234,567,890) stay in line. */
enum { MO_MUSTAR, MO_LO, MO_HI, MO_MU, MO_SIGMA, MO_NOISE, MO_NCOLS };
static void print_morris(const sim_sweep *s, const double *const a[6], const double *noise, const size_t *order, size_t k,
                         int w)
{
    char (*cell)[MO_NCOLS][SIM_NUMTEXT_MAX] = malloc(k * sizeof *cell);
    int width[MO_NCOLS] = {12, 11, 11, 12, 12, 12};
    if (!cell) { sim_log_error("out of memory"); return; }
    for (size_t j = 0; j < k; j++) {
        sim_number_sig(a[1][j], 4, cell[j][MO_MUSTAR]);
        sim_number_sig(a[2][j], 4, cell[j][MO_LO]);
        sim_number_sig(a[3][j], 4, cell[j][MO_HI]);
        sim_number_sig(a[0][j], 4, cell[j][MO_MU]);
        sim_number_sig(a[4][j], 4, cell[j][MO_SIGMA]);
        if (isnan(noise[j])) snprintf(cell[j][MO_NOISE], SIM_NUMTEXT_MAX, "n/a");   /* fewer than 2 replications */
        else sim_number_sig(noise[j], 4, cell[j][MO_NOISE]);
        for (int c = 0; c < MO_NCOLS; c++)
            if ((int)strlen(cell[j][c]) > width[c]) width[c] = (int)strlen(cell[j][c]);
    }
    printf("  %-*s %*s %*s %*s %*s %*s\n", w, "parameter", width[MO_MUSTAR], "mu*", width[MO_LO] + width[MO_HI] + 5,
           "95% interval of mu*", width[MO_MU], "mu", width[MO_SIGMA], "sigma", width[MO_NOISE], "noise");
    for (size_t t = 0; t < k; t++) {
        size_t j = order[t];
        printf("  %-*s %*s  [%*s, %*s] %*s %*s %*s\n", w, sim_sweep_key(s, j), width[MO_MUSTAR], cell[j][MO_MUSTAR],
               width[MO_LO], cell[j][MO_LO], width[MO_HI], cell[j][MO_HI], width[MO_MU], cell[j][MO_MU],
               width[MO_SIGMA], cell[j][MO_SIGMA], width[MO_NOISE], cell[j][MO_NOISE]);
    }
    free(cell);
}

static void print_outcome(const merged *b, const merged *alt, const indices *ix, size_t o, size_t *order)
{
    const sim_sweep *s = b->sw;
    size_t k = ix->k;
    int morris = sim_sweep_get_design(s) == SIM_SWEEP_MORRIS;
    const double *a[6];
    for (int t = 0; t < 6; t++) a[t] = ix->a[t] + o * k;
    if (alt) printf("\n%s, ALT - BASE (%s - %s)", ix->names[o], alt->path, b->path);
    else printf("\n%s (%s)", ix->names[o], b->path);
    printf(": %s, %zu %s, %zu points x %zu replication%s\n", morris ? "Morris elementary effects" : "Sobol indices",
           sim_sweep_base_points(s), morris ? "trajectories" : "base points", sim_sweep_npoints(s), b->reps,
           b->reps == 1 ? "" : "s");
    rank(morris ? a[1] : a[3], k, order);
    int w = 9;   /* the longest key */
    for (size_t j = 0; j < k; j++) w = (int)strlen(sim_sweep_key(s, j)) > w ? (int)strlen(sim_sweep_key(s, j)) : w;
    const double *noise = ix->noise + o * k;
    if (morris) {
        print_morris(s, a, noise, order, k, w);
    } else {
        printf("  %-*s %8s %19s %8s %19s %8s\n", w, "parameter", "S1", "95% interval", "ST", "95% interval", "noise");
        for (size_t t = 0; t < k; t++) {
            size_t j = order[t];
            char nz[SIM_NUMTEXT_MAX] = "n/a";   /* noise n/a: fewer than 2 replications */
            if (!isnan(noise[j])) snprintf(nz, sizeof nz, "%.3f", noise[j]);
            printf("  %-*s %8.3f  [%7.3f, %7.3f] %8.3f  [%7.3f, %7.3f] %8s\n", w, sim_sweep_key(s, j), a[0][j], a[1][j],
                   a[2][j], a[3][j], a[4][j], a[5][j], nz);
        }
    }
    printf("  noise: the part of %s that chance alone gives, from the spread of the %zu replications of each pair of "
           "points compared (n/a below 2); %s not clearly above it cannot be told from no effect\n",
           morris ? "mu*" : "ST", b->reps, morris ? "a mu*" : "an ST");
}

/* ============================================================== writing == */

static int write_sets(hid_t g, const indices *ix, int morris, size_t np)
{
    hsize_t dims[2] = {ix->nout, ix->k}, ydims[2] = {ix->nout, np};
    int rc = 0;
    for (int t = 0; t < (morris ? 5 : 6) && rc == 0; t++) {
        hid_t d = sim_out_array(g, morris ? morris_sets[t] : sobol_sets[t], H5T_NATIVE_DOUBLE, 2, dims, ix->a[t]);
        rc = d < 0 ? -1 : H5Dclose(d) < 0 ? -1 : 0;
    }
    hid_t d = rc ? -1 : sim_out_array(g, "outcome_values", H5T_NATIVE_DOUBLE, 2, ydims, ix->y);
    rc = d < 0 ? -1 : H5Dclose(d) < 0 ? -1 : 0;
    d = rc ? -1 : sim_out_array(g, "noise", H5T_NATIVE_DOUBLE, 2, dims, ix->noise);
    return d < 0 ? -1 : H5Dclose(d) < 0 ? -1 : 0;
}

/* The root provenance every output of sim carries (sim_out_provenance), of the
 * experiment BASE was swept from: its scenario, model, seed and origin, the
 * replications per point, this command line. 0 or -1. */
static int write_provenance(sim_out *out, const request *q, const merged *b)
{
    char *title = sim_out_attr_read_string(b->f, "title"), *scenario = sim_out_attr_read_string(b->f, "scenario");
    char *model = sim_out_attr_read_string(b->f, "model"), *origin = sim_out_attr_read_string(b->f, "time_origin");
    char *label = NULL;
    long long seed = 0;
    long days = 0;
    int rc = H5Aexists(b->f, "seed") > 0 && H5LTget_attribute_long_long(b->f, "/", "seed", &seed) >= 0 ? 0 : -1;
    if (origin) sim_date_parse(origin, &days);
    if (asprintf(&label, "sensitivity: %s", title ? title : b->path) < 0) label = NULL;
    if (!label) rc = -1;
    sim_provenance p = {label, scenario ? scenario : "", model ? model : "",
                        q->command_line ? q->command_line : "", (uint64_t)seed, (int)b->reps, days, NULL, NAN};
    if (rc == 0) rc = sim_out_provenance(out, &p);
    free(title), free(scenario), free(model), free(origin), free(label);
    return rc;
}

static int write_file(const request *q, const merged *b, const indices *ix, const char *warning)
{
    if (sim_output_check(q->output) != 0) return -1;
    sim_out *out = sim_out_create(q->output);
    if (!out) return -1;
    if (write_provenance(out, q, b) != 0) {
        sim_out_abort(out);
        return sim_log_path_error(q->output, "cannot write the provenance attributes");
    }
    const sim_sweep *s = b->sw;
    int morris = sim_sweep_get_design(s) == SIM_SWEEP_MORRIS;
    hid_t g = sim_out_group(sim_out_file(out), "sensitivity");
    const char **keys = malloc(ix->k * sizeof *keys);
    int rc = g < 0 || !keys ? -1 : 0;
    for (size_t j = 0; keys && j < ix->k; j++) keys[j] = sim_sweep_key(s, j);
    if (rc == 0)
        rc = sim_out_attr_string(g, "design", sim_sweep_design_name(sim_sweep_get_design(s)))
           | sim_out_attr_string(g, "base_file", q->base) | sim_out_attr_string(g, "alt_file", q->alt ? q->alt : "")
           | sim_out_attr_string(g, "quantity", q->alt ? "ALT - BASE, mean over replications" : "mean over replications")
           | sim_out_attr_string(g, "warning", warning ? warning : "")
           | sim_out_attr_string(g, "command_line", q->command_line ? q->command_line : "")
           | sim_out_attr_strings(g, "outcomes", ix->names, ix->nout) | sim_out_attr_strings(g, "parameters", keys, ix->k)
           | sim_out_attr_int(g, "base_points", (int)sim_sweep_base_points(s)) | sim_out_attr_int(g, "points", (int)sim_sweep_npoints(s))
           | sim_out_attr_int(g, "replications", (int)b->reps) | sim_out_attr_int(g, "bootstrap", q->nboot)
           | sim_out_attr_int(g, "levels", sim_sweep_levels(s))
           | write_sets(g, ix, morris, sim_sweep_npoints(s));
    free(keys);
    if (g >= 0) H5Gclose(g);
    if (rc) { sim_out_abort(out); return sim_log_path_error(q->output, "cannot write /sensitivity"); }
    return sim_out_commit(out);
}

/* ============================================================ the command == */

/* MERGED.h5 -> MERGED-sensitivity.h5 (malloc'ed; NULL when out of memory). */
static char *default_output(const char *base)
{
    size_t n = strlen(base);
    if (n > 3 && !strcmp(base + n - 3, ".h5")) n -= 3;
    char *p = NULL;
    return asprintf(&p, "%.*s-sensitivity.h5", (int)n, base) < 0 ? NULL : p;
}

static int run(request *q)
{
    merged b = {.path = q->base, .f = -1}, a = {.path = q->alt, .f = -1};
    indices ix = {0};
    int rc = open_merged(&b);
    if (rc == 0 && q->alt) rc = open_merged(&a);
    if (rc == 0 && q->alt) rc = same_design(&b, &a);
    if (rc == 0) rc = choose_outcomes(q, &b, q->alt ? &a : NULL);
    char *def = NULL;   /* the output is checked before the indices are computed */
    if (rc == 0 && !q->output && !(q->output = def = default_output(q->base))) rc = sim_log_path_error(q->base, "out of memory");
    if (rc == 0 && sim_output_check(q->output) != 0) rc = -1;
    size_t np = rc == 0 ? sim_sweep_npoints(b.sw) : 0;
    if (rc == 0) {
        ix.nout = (size_t)q->noutcomes;
        ix.k = sim_sweep_nparams(b.sw);
        ix.names = q->outcomes;
        ix.y = malloc(ix.nout * np * sizeof *ix.y);
        ix.noise = malloc(ix.nout * ix.k * sizeof *ix.noise);
        for (int t = 0; t < 6; t++) if (!(ix.a[t] = malloc(ix.nout * ix.k * sizeof(double)))) rc = -1;
        if (rc || !ix.y || !ix.noise) rc = sim_log_path_error(q->base, "out of memory");
    }
    if (rc == 0) rc = compute(q, &b, q->alt ? &a : NULL, &ix);
    char buf[SIM_MESSAGE_MAX];
    const char *warning = rc == 0 ? few_points(b.sw, buf, sizeof buf) : NULL;
    if (rc == 0) rc = write_file(q, &b, &ix, warning);
    if (rc == 0 && warning) fprintf(stderr, "sim: %s: %s\n", q->base, warning);
    if (rc == 0 && !q->quiet) {
        size_t *order = malloc(ix.k * sizeof *order);
        for (size_t o = 0; order && o < ix.nout; o++) print_outcome(&b, q->alt ? &a : NULL, &ix, o, order);
        free(order);
        if (warning) printf("%s\n", warning);
        printf("output: %s\n", q->output);
    }
    free(def);
    for (int t = 0; t < 6; t++) free(ix.a[t]);
    free(ix.y);
    free(ix.noise);
    close_merged(&b);
    if (q->alt) close_merged(&a);
    return rc == 0 ? SIM_EXIT_OK : SIM_EXIT_RUNTIME;
}

const char sim_sensitivity_help[] =
    "usage: sim sensitivity MERGED.h5 [options]\n"
    "Morris (mu, mu*, sigma) or Sobol (S1, ST) indices with 95% bootstrap intervals per outcome,\n"
    "from a merged sweep of design morris or sobol (sim sweep, sim merge).\n"
    "\n"
    "options for sensitivity:\n"
    "      --alt ALT.h5        indices of ALT - BASE: ALT is the same experiment over another scenario\n"
    "      --outcome NAME      a /summary field (repeatable; default durable_placements and\n"
    "                          cost_per_durable, else every field)\n"
    "  -o, --output OUT.h5     /sensitivity (default MERGED-sensitivity.h5)\n"
    "      --bootstrap N       bootstrap resamples for the intervals (default 1000; 0 = none)\n"
    "  -q, --quiet             no table\n"
    "  -h, --help              this text\n";

static int usage(const char *fmt, const char *arg)
{
    fputs("sim: sensitivity: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs("\nTry 'sim sensitivity --help'.\n", stderr);
    return SIM_EXIT_USAGE;
}

int sim_sensitivity_cli(int argc, char **argv, const char *command_line)
{
    static const struct option opts[] = {
        {"alt", required_argument, 0, 'a'}, {"outcome", required_argument, 0, 'm'},
        {"output", required_argument, 0, 'o'}, {"bootstrap", required_argument, 0, 'b'},
        {"quiet", no_argument, 0, 'q'}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    request q = {.nboot = 1000, .command_line = command_line};
    int c;
    while ((c = getopt_long(argc, argv, "o:qh", opts, NULL)) != -1) {
        char *end;
        switch (c) {
        case 'a': q.alt = optarg; break;
        case 'm': if (q.noutcomes == MAX_OUTCOMES) return usage("--outcome: more than %s", "64");
                  q.outcomes[q.noutcomes++] = optarg; break;
        case 'o': q.output = optarg; break;
        case 'b': q.nboot = (int)strtol(optarg, &end, 10);
                  if (*end || end == optarg || q.nboot < 0 || q.nboot > 100000) return usage("--bootstrap: '%s' is not an integer in 0..100000", optarg);
                  break;
        case 'q': q.quiet = 1; break;
        case 'h': fputs(sim_sensitivity_help, stdout); return SIM_EXIT_OK;
        default: return sim_option_error("sensitivity", argv, opts);
        }
    }
    if (optind != argc - 1) return usage("%s", "expected exactly one merged sweep file");
    q.base = argv[optind];
    return run(&q);
}
