/* merge.c: `sim merge`: read every DIR/point-NNNNN.h5 of one experiment, check
 * that they belong together (same experiment id and toolkit version, same
 * summary fields and replications), and write one file:
 *
 *   /                    provenance: title, scenario, model, toolkit_version, seed,
 *                        replications, ..., experiment_id, design, points (in the
 *                        experiment), points_merged, missing_points, parameters;
 *                        seed and population are the points' when all agree, else
 *                        the words "varies by point: /provenance/<name>" (VARIES)
 *   /points              compound [point]: point (int32) + one double per varied key
 *   /summary/point       int32 [point]        dimension scale
 *   /summary/replication int32 [replication]  dimension scale
 *   /summary/<key>       double [point]       the varied values, as coordinates
 *   /summary/<field>     double [point][replication], one per summary field
 *   /parameters          copied from the first merged point (its resolved scenario)
 *   /provenance/<name>   [point] each point file's own seed, population, command_line
 *                        (the sweep's; the root's is merge's) and created
 *   /series/...          only with --series: every point's /series stacked along a
 *                        leading point dimension (merge_series.h)
 *
 * Why one dataset per field rather than a 2-D compound: xarray (h5netcdf/netCDF4)
 * and R's hdf5 readers do not decode compound types into variables, but they do
 * open plain numeric arrays with HDF5 dimension scales natively:
 * xr.open_dataset(OUT, group="summary", engine="h5netcdf") gives a Dataset with
 * dims (point, replication) and the varied keys as coordinates (CF `coordinates`
 * attribute), and .to_dataframe() the tidy long table for pandas. /points stays a
 * compound table, which pandas reads in one line: pd.DataFrame(f["points"][:]). */
#define _GNU_SOURCE
#include "merge.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <hdf5.h>
#include <hdf5_hl.h>
#include <omp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../core/common.h"
#include "experiment.h"
#include "../io/files.h"
#include "../io/out.h"
#include "merge_series.h"
#include "points.h"

/* What every point file of the experiment shares (taken from the first one). */
typedef struct {
    char     *id, *version, *model, *design, *title, *scenario, *origin;
    char     *git;        /* the points' build (git_hash); NULL in files from before it was written */
    char     *pop_key;    /* the points' population key (a 5% smoke test is not a full sweep);
                           * NULL when the points do not say */
    long long reps, npoints;
    char    **pnames, **fields, **units, **descr;
    size_t    nparams, nfields;
} shared;

typedef struct {
    const sim_merge_request *req;
    char     **paths;     /* present point files, by ascending index */
    size_t    *index;
    size_t     n;
    shared     ex;
    double    *values;    /* [n][nparams] */
    double    *summary;   /* [nfields][n][reps] */
    int32_t   *rep;       /* [reps] replication indices */
    /* [n] each point's seed, and population (NAN when it has none): a sweep may vary
     * either (a key `seed`, or the population key), so the root gives one only when all agree */
    int64_t   *seed;
    double    *pop;
    char     **cmd;       /* [n] each point's command_line (the sweep's, which differ by --task) and */
    char     **created;   /* created time: the root's are the merge's own */
} merge;

/* ---------------------------------------------------------------- files -- */

static int by_index(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;
    return (x > y) - (x < y);
}

/* The final point files of DIR (partial files are ignored), sorted by index. */
static int list_points(merge *m)
{
    DIR *d = opendir(m->req->dir);
    if (!d) return sim_log_path_error(m->req->dir, "cannot open the sweep directory: %s", strerror(errno));
    long *idx = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        long i = sim_point_index(e->d_name);
        if (i < 0) continue;
        if (n == cap) {
            long *p = realloc(idx, (cap = cap ? 2 * cap : 64) * sizeof *idx);
            if (!p) break;
            idx = p;
        }
        idx[n++] = i;
    }
    closedir(d);
    if (n == 0) { free(idx); return sim_log_path_error(m->req->dir, "no point files (point-NNNNN.h5; run sim sweep first)"); }
    qsort(idx, n, sizeof *idx, by_index);
    m->paths = calloc(n, sizeof *m->paths);
    m->index = calloc(n, sizeof *m->index);
    for (size_t k = 0; m->paths && m->index && k < n; k++, m->n++) {
        m->index[k] = (size_t)idx[k];
        if (!(m->paths[k] = sim_point_path(m->req->dir, (size_t)idx[k]))) break;
        sim_input_note_path(m->paths[k]);   /* the output must not replace one (files.h) */
    }
    free(idx);
    return m->n == n ? 0 : sim_log_path_error(m->req->dir, "out of memory");
}

/* ----------------------------------------------------------- attributes -- */


static int attr_ll(hid_t f, const char *name, long long *v)
{
    if (H5Aexists(f, name) <= 0) return -1;
    return H5LTget_attribute_long_long(f, "/", name, v) < 0 ? -1 : 0;
}

static void shared_free(shared *s)
{
    free(s->id); free(s->version); free(s->model); free(s->design); free(s->git); free(s->pop_key);
    free(s->title); free(s->scenario); free(s->origin);
    sim_out_free_strings(s->pnames, s->nparams);
    sim_out_free_strings(s->fields, s->nfields);
    sim_out_free_strings(s->units, s->nfields + 1);
    sim_out_free_strings(s->descr, s->nfields + 1);
    *s = (shared){0};
}

/* ------------------------------------------------------------- /summary -- */

/* Member names of /summary except `replication`; NULL if not a compound table. */
static char **summary_fields(hid_t d, size_t *n)
{
    *n = 0;
    hid_t t = H5Dget_type(d);
    int nm = t >= 0 && H5Tget_class(t) == H5T_COMPOUND ? H5Tget_nmembers(t) : -1;
    char **v = nm > 0 ? calloc((size_t)nm, sizeof *v) : NULL;
    for (unsigned i = 0; v && i < (unsigned)nm; i++) {
        char *name = H5Tget_member_name(t, i);
        if (name && strcmp(name, "replication") != 0) v[(*n)++] = strdup(name);
        if (name) H5free_memory(name);
    }
    if (t >= 0) H5Tclose(t);
    return v;
}

/* Read the fields of /summary as doubles [rows][nfields] plus the replication column. */
static int read_rows(hid_t d, char **fields, size_t nf, double *x, int32_t *rep)
{
    hid_t t = H5Tcreate(H5T_COMPOUND, nf * sizeof(double));
    for (size_t k = 0; k < nf; k++) H5Tinsert(t, fields[k], k * sizeof(double), H5T_NATIVE_DOUBLE);
    herr_t rc = sim_out_read(d, t, x);
    H5Tclose(t);
    if (rc >= 0 && rep) {
        hid_t rt = H5Tcreate(H5T_COMPOUND, sizeof(int32_t));
        H5Tinsert(rt, "replication", 0, H5T_NATIVE_INT32);
        rc = sim_out_read(d, rt, rep);
        H5Tclose(rt);
    }
    return rc < 0 ? -1 : 0;
}

static int same_strings(char **a, size_t na, char **b, size_t nb)
{
    if (na != nb) return 0;
    for (size_t i = 0; i < na; i++)
        if (strcmp(a[i], b[i]) != 0) return 0;
    return 1;
}

/* ----------------------------------------------------------- experiment -- */

/* Two point files belong together when their stamps (points.h) have the same
 * experiment id and toolkit version (the id covers the version, but a file may say otherwise). */
static int stamp_cmp(const sim_point_stamp *x, const sim_point_stamp *y)
{
    int c = strcmp(x->id, y->id);
    return c ? c : strcmp(x->version ? x->version : "", y->version ? y->version : "");
}

/* qsort order of pointers to the stamps of m->paths: by stamp, then by file. */
static int by_stamp(const void *a, const void *b)
{
    const sim_point_stamp *x = *(const sim_point_stamp *const *)a, *y = *(const sim_point_stamp *const *)b;
    int c = stamp_cmp(x, y);
    return c ? c : (x > y) - (x < y);
}

/* The stamp of every file, in file order; NULL after naming an unreadable file. */
static sim_point_stamp *read_stamps(const merge *m)
{
    sim_point_stamp *v = calloc(m->n, sizeof *v);
    if (!v) { sim_log_path_error(m->req->dir, "out of memory"); return NULL; }
    for (size_t k = 0; k < m->n; k++) {
        char why[SIM_MESSAGE_MAX];
        if (sim_point_stamp_read(m->paths[k], &v[k], why, sizeof why) == 0) continue;
        sim_log_path_error(m->paths[k], "%s", why);
        for (size_t j = 0; j <= k; j++) sim_point_stamp_free(&v[j]);
        free(v);
        return NULL;
    }
    return v;
}

/* Files named one by one before a closing count. */
#define MERGE_NAMED_MAX 5

/* Name each file (in file order) whose stamp is not g's, the stamp of nmaj of the
 * files, more than half: another toolkit version, or another experiment. */
static void name_minority(const merge *m, const sim_point_stamp *v, const sim_point_stamp *g, size_t nmaj)
{
    size_t odd = 0, n = m->n;
    for (size_t k = 0; k < n; k++) {
        if (stamp_cmp(&v[k], g) == 0 || odd++ >= MERGE_NAMED_MAX) continue;
        if (v[k].version && g->version && strcmp(v[k].version, g->version) != 0)
            sim_log_path_error(m->paths[k], "written by toolkit version %s, but %zu of the %zu point files by %s; merge "
                               "points of one version (rerun the sweep with one sim)", v[k].version, nmaj, n, g->version);
        else
            sim_log_path_error(m->paths[k], "from another experiment (id %s, but %zu of the %zu point files have %s); "
                               "merge one sweep's directory at a time", v[k].id, nmaj, n, g->id);
    }
    if (odd > MERGE_NAMED_MAX)
        sim_log_path_error(m->req->dir, "%zu point files of another experiment or toolkit version (the first %d named "
                           "above); nothing was merged", odd, MERGE_NAMED_MAX);
}

/* No stamp holds a majority: one line with every group of p (sorted by stamp), its
 * id, version, count and first files. */
static void name_groups(const merge *m, const sim_point_stamp *v, sim_point_stamp *const *p)
{
    char *buf = NULL;
    size_t len = 0, ngroups = 0;
    FILE *f = open_memstream(&buf, &len);
    for (size_t i = 0, j; f && i < m->n; i = j, ngroups++) {
        for (j = i; j < m->n && stamp_cmp(p[j], p[i]) == 0; j++) {}
        fprintf(f, "%sid %s, toolkit %s:", ngroups ? "; " : "", p[i]->id, p[i]->version ? p[i]->version : "?");
        for (size_t x = i; x < j && x < i + 3; x++) {
            const char *path = m->paths[p[x] - v], *slash = strrchr(path, '/');
            fprintf(f, "%s%s", x == i ? " " : ", ", slash ? slash + 1 : path);
        }
        fprintf(f, "%s (%zu file%s)", j - i > 3 ? ", ..." : "", j - i, j - i == 1 ? "" : "s");
    }
    if (f) fclose(f);
    sim_log_path_error(m->req->dir, "point files of %zu experiments and none holds a majority: %s; merge one sweep's "
                       "directory at a time", ngroups, buf ? buf : "(out of memory)");
    free(buf);
}

/* Refuse a directory whose point files are not all of one experiment, naming the odd
 * ones rather than blaming the files that disagree with the first: the files outside
 * the majority (more than half of them), or without one every experiment's files. 0 or -1. */
static int one_experiment(const merge *m)
{
    sim_point_stamp *v = read_stamps(m);
    sim_point_stamp **p = v ? malloc(m->n * sizeof *p) : NULL;
    if (v && !p) sim_log_path_error(m->req->dir, "out of memory");
    for (size_t k = 0; p && k < m->n; k++) p[k] = &v[k];
    if (p) qsort(p, m->n, sizeof *p, by_stamp);
    size_t best = 0, nbest = 0;   /* the largest group: p[best] and the nbest after it */
    for (size_t i = 0, j; p && i < m->n; i = j) {
        for (j = i; j < m->n && stamp_cmp(p[j], p[i]) == 0; j++) {}
        if (j - i > nbest) best = i, nbest = j - i;
    }
    int rc = !p ? -1 : nbest == m->n ? 0 : -1;
    if (p && rc && 2 * nbest > m->n) name_minority(m, v, p[best], nbest);
    else if (p && rc) name_groups(m, v, p);
    for (size_t k = 0; v && k < m->n; k++) sim_point_stamp_free(&v[k]);
    free(v);
    free(p);
    return rc;
}

/* ---------------------------------------------------------- first file -- */

/* Take the experiment's description from the first point file. */
static int read_reference(merge *m, hid_t f, const char *path)
{
    shared *s = &m->ex;
    s->id = sim_out_attr_read_string(f, "experiment_id");
    if (!s->id) return sim_log_path_error(path, "no experiment_id attribute (not a point file of sim sweep)");
    s->version = sim_out_attr_read_string(f, "toolkit_version");
    s->git = sim_out_attr_read_string(f, "git_hash");
    s->pop_key = sim_out_attr_read_string(f, "population_key");
    s->model = sim_out_attr_read_string(f, "model");
    s->design = sim_out_attr_read_string(f, "design");
    s->title = sim_out_attr_read_string(f, "title");
    s->scenario = sim_out_attr_read_string(f, "scenario");
    s->origin = sim_out_attr_read_string(f, "time_origin");
    s->pnames = sim_out_attr_read_strings(f, "parameter_names", &s->nparams);
    if (!s->version || !s->model || !s->design || !s->title || !s->scenario || !s->origin || !s->pnames
        || attr_ll(f, "replications", &s->reps) || attr_ll(f, "points", &s->npoints)
        || s->reps < 1 || s->npoints < 1 || s->npoints > SIM_SWEEP_MAX_POINTS)
        return sim_log_path_error(path, "incomplete sweep attributes (not a point file of this sim version?)");
    hid_t d = H5Lexists(f, "summary", H5P_DEFAULT) > 0 ? H5Dopen2(f, "summary", H5P_DEFAULT) : H5I_INVALID_HID;
    s->fields = d >= 0 ? summary_fields(d, &s->nfields) : NULL;
    size_t nu = 0, nd = 0;
    if (d >= 0) {
        s->units = sim_out_attr_read_strings(d, "units", &nu);
        s->descr = sim_out_attr_read_strings(d, "descriptions", &nd);
        H5Dclose(d);
    }
    if (!s->fields || s->nfields == 0) return sim_log_path_error(path, "no readable /summary table");
    if (nu != s->nfields + 1 || nd != s->nfields + 1) {   /* labels are optional */
        sim_out_free_strings(s->units, nu);
        sim_out_free_strings(s->descr, nd);
        s->units = s->descr = NULL;
    }
    return 0;
}

/* --------------------------------------------------------- every file -- */

/* Check file k's point index (one_experiment has checked its experiment) and read its values. */
static int check_point(merge *m, size_t k, hid_t f)
{
    const shared *s = &m->ex;
    const char *path = m->paths[k];
    long long point = -1;
    if (attr_ll(f, "point", &point) || point != (long long)m->index[k])
        return sim_log_path_error(path, "its point attribute (%lld) does not match its name", point);
    if (m->index[k] >= (size_t)s->npoints)
        return sim_log_path_error(path, "point %zu is beyond the experiment's %lld points", m->index[k], s->npoints);
    hsize_t dims[1] = {0};
    H5T_class_t cls;
    size_t size;
    if (H5LTget_attribute_info(f, "/", "parameter_values", dims, &cls, &size) < 0 || dims[0] != s->nparams
        || H5LTget_attribute_double(f, "/", "parameter_values", m->values + k * s->nparams) < 0)
        return sim_log_path_error(path, "cannot read its parameter_values attribute");
    return 0;
}

static int read_point_summary(merge *m, size_t k, hid_t f)
{
    const shared *s = &m->ex;
    size_t reps = (size_t)s->reps, nf = s->nfields, nfk = 0;
    hid_t d = H5Lexists(f, "summary", H5P_DEFAULT) > 0 ? H5Dopen2(f, "summary", H5P_DEFAULT) : H5I_INVALID_HID;
    hid_t sp = d >= 0 ? H5Dget_space(d) : H5I_INVALID_HID;
    hssize_t rows = sp >= 0 ? H5Sget_simple_extent_npoints(sp) : -1;
    char **fields = d >= 0 ? summary_fields(d, &nfk) : NULL;
    double *x = malloc(reps * nf * sizeof *x);
    int rc = 0;
    if (d < 0 || !fields || rows < 0 || !sim_out_dataset_intact(d)) rc = sim_log_path_error(m->paths[k], "no readable /summary table");
    else if (!same_strings(fields, nfk, s->fields, nf) || (size_t)rows != reps)
        rc = sim_log_path_error(m->paths[k], "its /summary (%zu fields x %lld rows) differs from %s's (%zu x %lld)",
                    nfk, (long long)rows, m->paths[0], nf, s->reps);
    else if (!x || read_rows(d, fields, nf, x, k == 0 ? m->rep : NULL) != 0)
        rc = sim_log_path_error(m->paths[k], "cannot read /summary");
    for (size_t r = 0; !rc && r < reps; r++)
        for (size_t c = 0; c < nf; c++) m->summary[(c * m->n + k) * reps + r] = x[r * nf + c];
    free(x);
    sim_out_free_strings(fields, nfk);
    if (sp >= 0) H5Sclose(sp);
    if (d >= 0) H5Dclose(d);
    return rc;
}

/* Point k's own provenance: its seed and population, which a sweep may vary
 * (a key `seed`, or the population key; the root of the output says whether they
 * do), and the command line and time that wrote it. */
static int read_point_provenance(merge *m, size_t k, hid_t f)
{
    long long seed = 0;
    double pop = NAN;
    if (attr_ll(f, "seed", &seed) != 0)
        return sim_log_path_error(m->paths[k], "no integer seed attribute (not a point file of sim sweep)");
    m->cmd[k] = sim_out_attr_read_string(f, "command_line");
    m->created[k] = sim_out_attr_read_string(f, "created");
    if (!m->cmd[k] || !m->created[k])
        return sim_log_path_error(m->paths[k], "no readable command_line or created attribute (damaged file?)");
    if (m->ex.pop_key && H5Aexists(f, "population") > 0 && H5LTget_attribute_double(f, "/", "population", &pop) < 0)
        pop = NAN;
    m->seed[k] = (int64_t)seed;
    m->pop[k] = pop;
    return 0;
}

/* The experiment's description from the first file, and room for every file's data. */
static int read_first(merge *m, hid_t f)
{
    if (read_reference(m, f, m->paths[0]) != 0) return -1;
    size_t cells = m->ex.nfields * m->n * (size_t)m->ex.reps;
    m->values = calloc(m->n * m->ex.nparams + 1, sizeof *m->values);
    m->summary = calloc(cells + 1, sizeof *m->summary);
    m->rep = calloc((size_t)m->ex.reps, sizeof *m->rep);
    m->seed = calloc(m->n, sizeof *m->seed);
    m->pop = calloc(m->n, sizeof *m->pop);
    m->cmd = calloc(m->n, sizeof *m->cmd);
    m->created = calloc(m->n, sizeof *m->created);
    if (!m->values || !m->summary || !m->rep || !m->seed || !m->pop || !m->cmd || !m->created)
        return sim_log_path_error(m->paths[0], "out of memory");
    return 0;
}

static int read_file(merge *m, size_t k)
{
    hid_t f = H5Fopen(m->paths[k], H5F_ACC_RDONLY, H5P_DEFAULT);
    if (f < 0) return sim_log_path_error(m->paths[k], "not a readable HDF5 file");
    char why[SIM_MESSAGE_MAX];
    int rc = sim_out_verify(f, why, sizeof why) != 0 ? sim_log_path_error(m->paths[k], "%s", why) : 0;
    if (!rc && k == 0) rc = read_first(m, f);
    if (!rc) rc = check_point(m, k, f);
    if (!rc) rc = read_point_provenance(m, k, f);
    if (!rc) rc = read_point_summary(m, k, f);
    H5Fclose(f);
    return rc;
}

/* "3, 5-7, 10" for the points of [0, npoints) that are not in m->index. */
static char *missing_list(const merge *m, size_t *count)
{
    char *buf = NULL;
    size_t len = 0, k = 0, total = (size_t)m->ex.npoints;
    FILE *f = open_memstream(&buf, &len);
    if (!f) return NULL;
    *count = 0;
    for (size_t i = 0; i < total;) {
        while (k < m->n && m->index[k] < i) k++;
        if (k < m->n && m->index[k] == i) { i++; continue; }
        size_t end = k < m->n ? m->index[k] : total;   /* first present index after the gap */
        fprintf(f, "%s%zu", *count ? ", " : "", i);
        if (end - i > 1) fprintf(f, "-%zu", end - 1);
        *count += end - i;
        i = end;
    }
    fclose(f);
    return buf;
}

/* -------------------------------------------------------------- writing -- */

/* The root's value of a provenance attribute the points differ in: words, not a
 * number, so that no reader takes one point's seed or population for the sweep's. */
#define VARIES(name) "varies by point: /provenance/" name

static int same_seed(const merge *m)
{
    for (size_t k = 1; k < m->n; k++)
        if (m->seed[k] != m->seed[0]) return 0;
    return 1;
}

/* Every point has the same population, or none has one (NAN). */
static int same_population(const merge *m)
{
    for (size_t k = 1; k < m->n; k++)
        if (isnan(m->pop[k]) != isnan(m->pop[0]) || (!isnan(m->pop[k]) && m->pop[k] != m->pop[0])) return 0;
    return 1;
}

/* missing_points: the indices of [0, points) not merged; an empty array when complete. */
static int write_missing(const merge *m, hid_t f)
{
    size_t total = (size_t)m->ex.npoints, nmiss = 0;
    int *missing = calloc(total, sizeof *missing);
    for (size_t i = 0, k = 0; missing && i < total; i++) {
        while (k < m->n && m->index[k] < i) k++;
        if (k >= m->n || m->index[k] != i) missing[nmiss++] = (int)i;
    }
    hsize_t dim = nmiss;
    hid_t sp = missing ? H5Screate_simple(1, &dim, NULL) : H5I_INVALID_HID;
    hid_t a = sp >= 0 ? H5Acreate2(f, "missing_points", H5T_NATIVE_INT32, sp, H5P_DEFAULT, H5P_DEFAULT) : H5I_INVALID_HID;
    int rc = a < 0 || (nmiss && H5Awrite(a, H5T_NATIVE_INT32, missing) < 0);
    if (a >= 0) H5Aclose(a);
    if (sp >= 0) H5Sclose(sp);
    free(missing);
    return rc ? -1 : 0;
}

/* The run provenance (seed and population: the points' when they all agree, else
 * VARIES) and the experiment's attributes. */
static int write_root(const merge *m, sim_out *out)
{
    const shared *s = &m->ex;
    long origin = 0;
    sim_date_parse(s->origin, &origin);
    char *title = NULL;
    if (asprintf(&title, "sweep: %s", s->title) < 0) return -1;
    int one_seed = same_seed(m), one_pop = same_population(m);
    sim_provenance p = {title, s->scenario, s->model, m->req->command_line ? m->req->command_line : "",
                        (uint64_t)m->seed[0], (int)s->reps, origin, s->pop_key, one_pop ? m->pop[0] : NAN};
    hid_t f = sim_out_file(out);
    int rc = sim_out_provenance(out, &p) != 0
           || (!one_seed && (H5Adelete(f, "seed") < 0 || sim_out_attr_string(f, "seed", VARIES("seed"))))
           || (!one_pop && (sim_out_attr_string(f, "population_key", s->pop_key)
                            || sim_out_attr_string(f, "population", VARIES("population"))))
           || sim_out_attr_string(f, "experiment_id", s->id) || sim_out_attr_string(f, "design", s->design)
           || sim_out_attr_int(f, "points", (int)s->npoints) || sim_out_attr_int(f, "points_merged", (int)m->n)
           || sim_out_attr_strings(f, "parameters", (const char *const *)s->pnames, s->nparams)
           || (s->git && sim_out_attr_string(f, "points_git_hash", s->git))   /* git_hash is the merging sim's */
           || write_missing(m, f);
    free(title);
    return rc ? -1 : 0;
}

/* /points: compound rows (int32 point, double per key). */
static int write_points(const merge *m, hid_t f)
{
    size_t np = m->ex.nparams, row = sizeof(double) * (np + 1);
    char *buf = calloc(m->n, row);
    if (!buf) return -1;
    hid_t t = H5Tcreate(H5T_COMPOUND, row);
    H5Tinsert(t, "point", 0, H5T_NATIVE_INT32);
    for (size_t j = 0; j < np; j++) H5Tinsert(t, m->ex.pnames[j], sizeof(double) * (j + 1), H5T_NATIVE_DOUBLE);
    for (size_t k = 0; k < m->n; k++) {
        int32_t p = (int32_t)m->index[k];
        memcpy(buf + k * row, &p, sizeof p);
        memcpy(buf + k * row + sizeof(double), m->values + k * np, np * sizeof(double));
    }
    hid_t d = sim_out_table(f, "points", t, m->n, buf);
    int rc = d < 0 || sim_out_attr_string(d, "long_name", "sweep points: index and the values of the varied parameters");
    if (d >= 0) H5Dclose(d);
    H5Tclose(t);
    free(buf);
    return rc ? -1 : 0;
}

/* A key can be a coordinate dataset unless its name is taken by a summary field or a scale. */
static int key_usable(const shared *s, const char *key)
{
    if (!strcmp(key, "point") || !strcmp(key, "replication") || strchr(key, '/')) return 0;
    for (size_t c = 0; c < s->nfields; c++)
        if (!strcmp(s->fields[c], key)) return 0;
    return 1;
}

/* The point dimension scale (the merged points' indices) as dataset `point` of g;
 * the caller closes it. Negative on failure. */
static hid_t point_scale(const merge *m, hid_t g)
{
    int32_t *pt = malloc(m->n * sizeof *pt);
    for (size_t k = 0; pt && k < m->n; k++) pt[k] = (int32_t)m->index[k];
    hid_t d = pt ? sim_out_table(g, "point", H5T_NATIVE_INT32, m->n, pt) : H5I_INVALID_HID;
    free(pt);
    if (d >= 0 && H5DSset_scale(d, "point") < 0) {
        H5Dclose(d);
        return H5I_INVALID_HID;
    }
    return d;
}

/* /summary/point and /summary/replication scales and the key coordinates. */
static int write_scales(const merge *m, hid_t g, hid_t sc[2], char **coords)
{
    const shared *s = &m->ex;
    double *col = malloc(m->n * sizeof *col);
    sc[0] = col ? point_scale(m, g) : H5I_INVALID_HID;
    sc[1] = sc[0] >= 0 ? sim_out_table(g, "replication", H5T_NATIVE_INT32, (size_t)s->reps, m->rep) : H5I_INVALID_HID;
    int rc = sc[0] < 0 || sc[1] < 0 || H5DSset_scale(sc[1], "replication") < 0;
    size_t clen = 0;
    FILE *cf = open_memstream(coords, &clen);
    for (size_t j = 0; !rc && cf && j < s->nparams; j++) {
        if (!key_usable(s, s->pnames[j])) continue;
        for (size_t k = 0; k < m->n; k++) col[k] = m->values[k * s->nparams + j];
        hid_t d = sim_out_table(g, s->pnames[j], H5T_NATIVE_DOUBLE, m->n, col);
        rc = d < 0 || H5DSattach_scale(d, sc[0], 0) < 0 || sim_out_attr_string(d, "long_name", "varied parameter");
        if (d >= 0) H5Dclose(d);
        fprintf(cf, "%s%s", ftell(cf) ? " " : "", s->pnames[j]);
    }
    if (!cf || fclose(cf) != 0) rc = 1;
    free(col);
    return rc ? -1 : 0;
}

static int write_field(const merge *m, hid_t g, size_t c, const hid_t sc[2], const char *coords)
{
    const shared *s = &m->ex;
    hsize_t dims[2] = {m->n, (hsize_t)s->reps};
    hid_t d = sim_out_array(g, s->fields[c], H5T_NATIVE_DOUBLE, 2, dims, m->summary + c * m->n * (size_t)s->reps);
    int rc = d < 0 || H5DSattach_scale(d, sc[0], 0) < 0 || H5DSattach_scale(d, sc[1], 1) < 0;
    if (!rc && s->units) rc = sim_out_attr_string(d, "units", s->units[c + 1])
                            | sim_out_attr_string(d, "long_name", s->descr[c + 1]);
    if (!rc && *coords) rc = sim_out_attr_string(d, "coordinates", coords);
    if (d >= 0) H5Dclose(d);
    return rc ? -1 : 0;
}

static int write_summary(const merge *m, hid_t f)
{
    hid_t g = sim_out_group(f, "summary");
    hid_t sc[2] = {H5I_INVALID_HID, H5I_INVALID_HID};
    char *coords = NULL;
    int rc = g < 0 || write_scales(m, g, sc, &coords) != 0;
    for (size_t c = 0; !rc && c < m->ex.nfields; c++) rc = write_field(m, g, c, sc, coords ? coords : "");
    for (int i = 0; i < 2; i++)
        if (sc[i] >= 0) H5Dclose(sc[i]);
    if (g >= 0) H5Gclose(g);
    free(coords);
    return rc ? -1 : 0;
}

/* /parameters of the first merged point: the resolved scenario, for provenance. */
static int copy_parameters(const merge *m, hid_t dst)
{
    hid_t src = H5Fopen(m->paths[0], H5F_ACC_RDONLY, H5P_DEFAULT);
    if (src < 0) return -1;
    int rc = 0;
    if (H5Lexists(src, "parameters", H5P_DEFAULT) > 0) {
        char note[128];
        snprintf(note, sizeof note, "resolved scenario of point %zu; the points differ only in the keys of /points", m->index[0]);
        rc = H5Ocopy(src, "parameters", dst, "parameters", H5P_DEFAULT, H5P_DEFAULT) < 0;
        hid_t g = rc ? H5I_INVALID_HID : H5Gopen2(dst, "parameters", H5P_DEFAULT);
        if (g >= 0) { rc = sim_out_attr_string(g, "note", note); H5Gclose(g); }
    }
    H5Fclose(src);
    return rc ? -1 : 0;
}

/* Give the open dataset d [point] (closed here) the point scale sc and a long_name. 0 or -1. */
static int on_points(hid_t d, hid_t sc, const char *long_name)
{
    int rc = d < 0 || H5DSattach_scale(d, sc, 0) < 0 || sim_out_attr_string(d, "long_name", long_name);
    if (d >= 0) H5Dclose(d);
    return rc ? -1 : 0;
}

/* Dataset `name` [point] of g: n numbers of type from data, on the point scale sc. */
static int per_point(hid_t g, const char *name, hid_t type, const void *data, size_t n, hid_t sc, const char *long_name)
{
    return on_points(sim_out_table(g, name, type, n, data), sc, long_name);
}

/* Dataset `name` [point] of g: n fixed-length strings, on the point scale sc. */
static int per_point_text(hid_t g, const char *name, char *const *v, size_t n, hid_t sc, const char *long_name)
{
    return on_points(sim_out_string_table(g, name, (const char *const *)v, n), sc, long_name);
}

/* /provenance: each point file's own provenance, row k for row k of /points and of
 * /summary, on its own point scale (xarray opens the group as a Dataset of dim point):
 * seed, population when the model has a population key, and the command line and
 * time (created) of the sweep that wrote the point; the root's are the merge's.
 * Written for every merge, so readers need not check whether the root says VARIES. */
static int write_provenance(const merge *m, hid_t f)
{
    hid_t g = sim_out_group(f, "provenance");
    hid_t sc = g >= 0 ? point_scale(m, g) : H5I_INVALID_HID;
    int rc = sc < 0
          || sim_out_attr_string(g, "long_name", "each point file's own provenance (row k is row k of /points)")
          || per_point(g, "seed", H5T_NATIVE_INT64, m->seed, m->n, sc, "the seed the point ran with")
          || (m->ex.pop_key && per_point(g, "population", H5T_NATIVE_DOUBLE, m->pop, m->n, sc,
                                         "the point's population (the value of its population_key)"))
          || per_point_text(g, "command_line", m->cmd, m->n, sc, "the command line that wrote the point (sim sweep's)")
          || per_point_text(g, "created", m->created, m->n, sc, "when the point was written (UTC)");
    if (sc >= 0) H5Dclose(sc);
    if (g >= 0) H5Gclose(g);
    return rc ? -1 : 0;
}

static int write_output(const merge *m)
{
    sim_out *out = sim_out_create_in_memory(m->req->output);   /* H5Ocopy below: see out.h */
    if (!out) return -1;
    hid_t f = sim_out_file(out);
    int rc = write_root(m, out) || write_points(m, f) || write_summary(m, f) || copy_parameters(m, f)
          || write_provenance(m, f);
    if (rc) {
        sim_log_error("%s: cannot write the merged file (disk full or file system read-only?)", m->req->output);
        sim_out_abort(out);
        return -1;
    }
    /* sim_merge_series names the file at fault itself (a point without /series, say) */
    if (m->req->series && sim_merge_series(f, m->req->output, m->paths, m->index, m->n) != 0) {
        sim_out_abort(out);
        return -1;
    }
    return sim_out_commit(out);
}

/* ----------------------------------------------------------------- main -- */

/* The output is checked before anything is read: not an input or a special file
 * (sim_output_check), and not a point-NNNNN.h5 name inside the sweep directory,
 * which a later sweep or merge would take for a point file. */
static int output_allowed(const merge *m)
{
    if (sim_output_check(m->req->output) != 0) return -1;
    const char *slash = strrchr(m->req->output, '/');
    const char *base = slash ? slash + 1 : m->req->output;
    char *dir = slash ? strndup(m->req->output, (size_t)(slash - m->req->output) + (slash == m->req->output))
                      : strdup(".");
    struct stat a, b;
    int inside = dir && stat(dir, &a) == 0 && stat(m->req->dir, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino;
    free(dir);
    if (inside && sim_point_index(base) >= 0)
        return sim_log_path_error(m->req->output, "is a point file name inside the sweep directory %s; refusing to write it (choose another -o)",
                      m->req->dir);
    return 0;
}

static void merge_free(merge *m)
{
    sim_out_free_strings(m->paths, m->n);
    free(m->index);
    shared_free(&m->ex);
    free(m->values);
    free(m->summary);
    free(m->rep);
    free(m->seed);
    free(m->pop);
    sim_out_free_strings(m->cmd, m->n);
    sim_out_free_strings(m->created, m->n);
}

static void report(const merge *m, size_t nmiss, const char *missing, double seconds)
{
    struct stat st;
    long long bytes = stat(m->req->output, &st) == 0 ? (long long)st.st_size : -1;
    printf("%s: %zu of %lld points x %lld replication%s, %zu summary fields, experiment %s; %lld bytes, %.2f s\n",
           m->req->output, m->n, m->ex.npoints, m->ex.reps, m->ex.reps == 1 ? "" : "s", m->ex.nfields, m->ex.id, bytes, seconds);
    if (nmiss) printf("missing points (%zu): %s\n", nmiss, missing);
}

int sim_merge_main(const sim_merge_request *req)
{
    double t0 = omp_get_wtime();
    merge m = {.req = req};
    int rc = list_points(&m);
    if (!rc) rc = output_allowed(&m);
    if (!rc) rc = one_experiment(&m);
    for (size_t k = 0; !rc && k < m.n; k++) rc = read_file(&m, k);
    size_t nmiss = 0;
    char *missing = rc ? NULL : missing_list(&m, &nmiss);
    if (!rc && !missing) rc = sim_log_path_error(req->dir, "out of memory");
    if (!rc && nmiss && !req->allow_missing) {
        rc = sim_log_path_error(req->dir, "%zu of %lld points missing: %s; nothing was merged (finish them with sim sweep, or use --allow-missing)",
                    nmiss, m.ex.npoints, missing);
    }
    if (!rc) rc = write_output(&m);
    if (!rc && !req->quiet) report(&m, nmiss, missing, omp_get_wtime() - t0);
    free(missing);
    merge_free(&m);
    return rc ? SIM_EXIT_RUNTIME : SIM_EXIT_OK;
}
