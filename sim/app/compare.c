/* compare.c: `sim compare`: read a BASE and one or more ALT output files, check
 * that they can be paired (same model, seed, replications, summary fields and,
 * for --regions, regions and series), and print per metric the mean of
 * ALT[r] - BASE[r] over replications r with a 95% t interval: table, CSV or JSON.
 * Files are read whole and closed before anything is printed. */
#define _GNU_SOURCE
#include "compare.h"

#include <errno.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>
#include <hdf5.h>
#include <hdf5_hl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../core/common.h"
#include "compare_draws.h"
#include "../io/numtext.h"
#include "../io/config.h"
#include "../io/files.h"
#include "../io/out.h"

/* One metric of a file: a /summary field (one column) or a /series reduced to
 * one value per region (flows summed over time, stocks at the last step). */
typedef struct {
    char   *name;
    char   *unit;     /* of a row: /summary's units entry; a series flow summed over
                         time in "persons", not "persons per month"; "" if unknown */
    int     stock;    /* series only: 0 for a flow (units "persons per month": " per ") */
    int     share;    /* series only: units "1" (a share or level): the national row is the mean */
    size_t  nsteps;   /* series only */
    double *v;        /* [column][replication]; 1 column for /summary fields */
    double *nat;      /* series only: [replication] over all regions (sum, or mean for shares) */
} metric;

/* What a file holds, read whole. */
typedef struct {
    const char *path;
    char       *model, *scenario, *cmdline;
    char       *origin, *end;     /* time_origin and time_end attributes (NULL if absent: time_end is new) */
    char       *build;            /* git_hash attribute */
    long long   seed, reps;
    char       *pop_key;          /* population_key and population attributes (NULL, NAN if absent) */
    char       *point;            /* a sweep's point file: ", sweep point I: k=v ..." (NULL for a plain run) */
    double      pop;
    size_t      n;                /* /summary rows */
    int32_t    *rep;              /* the /summary replication field, or NULL */
    metric     *sum, *ser;        /* /summary fields (not replication); /series */
    size_t      nsum, nser;
    char      **region;           /* /series/region labels */
    size_t      nregion;
    /* --from/--to: the window in days since 1970-01-01 (NAN = open), and the time
     * steps [w0, w1) of /series whose midpoints lie in it (all steps without one). */
    double      from, to;
    size_t      w0, w1;
} cfile;

/* One output row: a metric, for all regions (region NULL) or one. */
typedef struct {
    const char      *metric, *region, *unit;
    sim_compare_stat st;
    double           p_holm;   /* st.p after Holm's correction over the rows of its family (holm_rows) */
} crow;

/* ------------------------------------------------------------ statistics -- */

/* Mean as sum / n: exact for counts (whole numbers below 2^53), where the running
 * mean of gsl_stats_mean leaves residues such as -4e-19 for a difference of 0. */
static double mean(const double *x, size_t n)
{
    double s = 0.0;
    for (size_t i = 0; i < n; i++) s += x[i];
    return s / (double)n;
}

/* Fieller's 95% interval of rel = mean(a) / mean(b) - 1 over the defined pairs: the
 * ratios theta whose paired t test of mean(a - theta * b) = 0 does not reject, i.e.
 * (A - theta B)^2 <= t^2 Var(A - theta B) / m with A, B the means. At theta = 1 that is
 * the difference's own t test, so the interval excludes 0 exactly when the difference's
 * interval does (the row's star). Where no value is negative (counts, costs, shares)
 * the ratio cannot be, so the interval is cut at -100% (a confidence set intersected
 * with the possible values keeps its coverage). NaN
 * bounds when the set is not an interval: the base mean is not clearly away from 0
 * (t^2 Var(B) / m >= B^2). ALT 0 in every replication gives [-100%, -100%] when the
 * base mean is clearly away from 0, else NaN. Needs s->n >= 2, base_mean != 0.
 * Computed on a / base_mean and b / base_mean (theta is unchanged), so that euro sums
 * of 10^8 do not lose the discriminant to rounding. */
static void rel_interval(sim_compare_stat *s, const double *base, const double *alt, size_t n)
{
    double m = (double)s->n, ma = s->alt_mean / s->base_mean, saa = 0.0, sbb = 0.0, sab = 0.0;
    int negative = 0;
    for (size_t r = 0; r < n; r++) {
        if (isnan(base[r]) || isnan(alt[r])) continue;
        negative |= base[r] < 0.0 || alt[r] < 0.0;
        double da = alt[r] / s->base_mean - ma, db = base[r] / s->base_mean - 1.0;
        saa += da * da, sbb += db * db, sab += da * db;
    }
    double t = gsl_cdf_tdist_Pinv(0.975, m - 1.0), q = t * t / (m * (m - 1.0));   /* sums, not variances: / (m - 1) here */
    double qa = 1.0 - q * sbb, qb = ma - q * sab, qc = ma * ma - q * saa;
    s->rel_low = s->rel_high = NAN;
    if (qa <= 0.0) return;
    double disc = sqrt(fmax(0.0, qb * qb - qa * qc));
    s->rel_low = (qb - disc) / qa - 1.0;
    if (!negative) s->rel_low = fmax(s->rel_low, -1.0);
    s->rel_high = (qb + disc) / qa - 1.0;
}

sim_compare_stat sim_compare_paired(const double *base, const double *alt, size_t n, double *work)
{
    sim_compare_stat s = {.base_mean = NAN, .alt_mean = NAN, .diff = NAN, .ci_low = NAN, .ci_high = NAN,
                          .rel_change = NAN, .rel_low = NAN, .rel_high = NAN, .n = 0, .same = 0, .p = NAN};
    /* Only the pairs where both values are defined: an undefined ratio is NaN
     * (lm_output.c), never a 0 that would bias the means. s.n counts the pairs. */
    double sb = 0.0, sa = 0.0;
    size_t m = 0;
    for (size_t r = 0; r < n; r++) {
        if (isnan(base[r]) || isnan(alt[r])) continue;
        work[m++] = alt[r] - base[r];
        sb += base[r];
        sa += alt[r];
    }
    s.n = m;
    if (m == 0) return s;
    int same = 1;
    for (size_t r = 0; r < m; r++) same &= work[r] == work[0];
    s.base_mean = sb / (double)m;
    s.alt_mean = sa / (double)m;
    s.diff = same ? work[0] : mean(work, m);
    s.same = same && m >= 2;
    if (m >= 2) {
        double se = same ? 0.0 : gsl_stats_sd_m(work, 1, m, s.diff) / sqrt((double)m);
        double half = same ? 0.0 : gsl_cdf_tdist_Pinv(0.975, (double)(m - 1)) * se;
        s.ci_low = s.diff - half;
        s.ci_high = s.diff + half;
        if (!same && se > 0.0) s.p = 2.0 * gsl_cdf_tdist_Q(fabs(s.diff) / se, (double)(m - 1));
    }
    s.rel_change = s.base_mean != 0.0 ? s.diff / s.base_mean : NAN;
    if (m >= 2 && s.base_mean != 0.0) rel_interval(&s, base, alt, n);
    return s;
}

static int excludes_zero(const sim_compare_stat *s)
{
    return s->ci_low > 0.0 || s->ci_high < 0.0;
}

/* The table's mark of a row: "*" when an interval with spread excludes 0, "="
 * when every replication gave the same difference, 0 included (s->same, JSON's
 * `same`: the interval [d, d] has no spread behind it; with 2 or 3 replications
 * of a small count that can be chance, not a certainty), else nothing. */
static const char *row_mark(const sim_compare_stat *s)
{
    return s->same ? "  =" : excludes_zero(s) ? "  *" : "";
}

/* --------------------------------------------------------------- reading -- */

/* "sim: FILE: what is wrong" on stderr; returns -1. */
static int SIM_PRINTF(2, 3) refuse(const cfile *cf, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "sim: %s: ", cf->path);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return -1;
}

/* A fixed-length string attribute of loc/obj, or NULL if absent. Caller frees. */
static char *attr_text(hid_t loc, const char *obj, const char *name)
{
    H5T_class_t cls;
    size_t size;
    hsize_t dims[1] = {0};
    if (H5Aexists_by_name(loc, obj, name, H5P_DEFAULT) <= 0
        || H5LTget_attribute_info(loc, obj, name, dims, &cls, &size) < 0 || cls != H5T_STRING)
        return NULL;
    char *buf = calloc(size + 1, 1);
    if (buf && H5LTget_attribute_string(loc, obj, name, buf) < 0) {
        free(buf);
        buf = NULL;
    }
    return buf;
}

/* An integer attribute of the root group; -1 if absent or not an integer. */
static int attr_int(hid_t f, const char *name, long long *v)
{
    if (H5Aexists(f, name) <= 0) return -1;
    return H5LTget_attribute_long_long(f, "/", name, v) < 0 ? -1 : 0;
}

/* ", sweep point I: key=value ..." for a point file of sim sweep (its command line does not
 * hold the point's values), NULL otherwise. The caller frees it. */
static char *point_words(hid_t f)
{
    long long point = 0;
    if (H5Aexists(f, "point") <= 0 || H5LTget_attribute_long_long(f, "/", "point", &point) < 0) return NULL;
    char *pairs = sim_out_attr_pairs(f, "parameter_names", "parameter_values"), *out = NULL;
    if (pairs && asprintf(&out, ", sweep point %lld:%s", point, pairs) < 0) out = NULL;
    free(pairs);
    return out;
}

static int read_header(cfile *cf, hid_t f)
{
    char why[512];
    if (sim_out_verify(f, why, sizeof why) != 0) return refuse(cf, "%s", why);
    /* a merged sweep (sim merge: a /summary group of [point][replication] arrays rather
     * than a run's compound table), which compare does not read */
    if (sim_out_is_group(f, "summary"))
        return refuse(cf, "a merged sweep file (sim merge); sim compare reads run files: compare the sweep's point "
                          "files (DIR/point-NNNNN.h5) instead");
    /* sim sensitivity's and sim calibrate's files carry no runs to pair: say what they are */
    if (sim_out_is_group(f, "sensitivity"))
        return refuse(cf, "a sensitivity file (sim sensitivity), not a run; sim compare reads run files (sim run -o): "
                          "read its indices with sim info or python3 -m analysis.sensitivity");
    if (sim_out_is_group(f, "calibration"))
        return refuse(cf, "a calibration record (sim calibrate), not a run; sim compare reads run files (sim run -o): "
                          "read it with sim info; for a fit, run the overlay written beside it (OUT.cfg) with sim run -o");
    cf->model = attr_text(f, "/", "model");
    cf->scenario = attr_text(f, "/", "scenario");
    cf->cmdline = attr_text(f, "/", "command_line");
    if (!cf->model) return refuse(cf, "no model attribute (not an output file of sim)");
    if (attr_int(f, "seed", &cf->seed)) return refuse(cf, "no seed attribute (not an output file of sim)");
    if (attr_int(f, "replications", &cf->reps))
        return refuse(cf, "no replications attribute (not an output file of sim)");
    cf->origin = attr_text(f, "/", "time_origin");
    cf->end = attr_text(f, "/", "time_end");
    cf->build = attr_text(f, "/", "git_hash");
    cf->point = point_words(f);
    cf->pop_key = attr_text(f, "/", "population_key");   /* absent in files written before it */
    cf->pop = NAN;
    if (cf->pop_key && H5LTget_attribute_double(f, "/", "population", &cf->pop) < 0) cf->pop = NAN;
    return 0;
}

/* Read field `name` of every row of compound dataset d as mtype. */
static int read_column(hid_t d, const char *name, hid_t mtype, size_t size, void *buf)
{
    hid_t ct = H5Tcreate(H5T_COMPOUND, size);
    herr_t rc = ct < 0 ? -1 : H5Tinsert(ct, name, 0, mtype);
    if (rc >= 0) rc = sim_out_read(d, ct, buf);
    if (ct >= 0) H5Tclose(ct);
    return rc < 0 ? -1 : 0;
}

static int read_field(cfile *cf, hid_t d, const char *name)
{
    size_t rows = cf->n ? cf->n : 1;
    if (strcmp(name, "replication") == 0) {
        cf->rep = malloc(rows * sizeof *cf->rep);
        return cf->rep ? read_column(d, name, H5T_NATIVE_INT32, sizeof(int32_t), cf->rep) : -1;
    }
    metric *m = &cf->sum[cf->nsum++];
    m->name = strdup(name);
    m->v = malloc(rows * sizeof *m->v);
    return m->name && m->v ? read_column(d, name, H5T_NATIVE_DOUBLE, sizeof(double), m->v) : -1;
}

/* The /summary "units" attribute: one per member, in member order (absent: ""). */
static void read_units(cfile *cf, hid_t d, hid_t t)
{
    size_t nu = 0;
    char **u = H5Aexists(d, "units") > 0 ? sim_out_attr_read_strings(d, "units", &nu) : NULL;
    size_t k = 0;
    for (unsigned i = 0; i < (unsigned)H5Tget_nmembers(t) && k < cf->nsum; i++) {
        char *name = H5Tget_member_name(t, i);
        if (name && strcmp(name, "replication") != 0)
            cf->sum[k++].unit = strdup(u && i < nu ? u[i] : "");
        if (name) H5free_memory(name);
    }
    if (u) sim_out_free_strings(u, nu);
}

static int read_fields(cfile *cf, hid_t d, hid_t t)
{
    int nf = H5Tget_nmembers(t);
    cf->sum = nf > 0 ? calloc((size_t)nf, sizeof *cf->sum) : NULL;
    if (!cf->sum) return -1;
    for (unsigned i = 0; i < (unsigned)nf; i++) {
        char *name = H5Tget_member_name(t, i);
        int rc = name ? read_field(cf, d, name) : -1;
        if (name) H5free_memory(name);
        if (rc) return -1;
    }
    read_units(cf, d, t);
    return 0;
}

static int read_summary(cfile *cf, hid_t f)
{
    if (H5Lexists(f, "summary", H5P_DEFAULT) <= 0)
        return refuse(cf, "no /summary dataset (not an output file of sim, or an unfinished one)");
    hid_t d = H5Dopen2(f, "summary", H5P_DEFAULT);
    hid_t t = d >= 0 ? H5Dget_type(d) : H5I_INVALID_HID;
    hid_t sp = d >= 0 ? H5Dget_space(d) : H5I_INVALID_HID;
    hssize_t n = sp >= 0 ? H5Sget_simple_extent_npoints(sp) : -1;
    int rc = t < 0 || n < 0 || H5Tget_class(t) != H5T_COMPOUND || !sim_out_dataset_intact(d);
    if (!rc) {
        cf->n = (size_t)n;
        rc = read_fields(cf, d, t);
    }
    if (sp >= 0) H5Sclose(sp);
    if (t >= 0) H5Tclose(t);
    if (d >= 0) H5Dclose(d);
    return rc ? refuse(cf, "cannot read /summary (not a compound table of numbers, or a damaged file)") : 0;
}

/* /series/region: the fixed-length region labels. */
static int read_regions(cfile *cf, hid_t g)
{
    if (H5Lexists(g, "region", H5P_DEFAULT) <= 0)
        return refuse(cf, "no /series/region scale (the model writes no per-region series)");
    hid_t d = H5Dopen2(g, "region", H5P_DEFAULT);
    hid_t t = d >= 0 ? H5Dget_type(d) : H5I_INVALID_HID;
    hid_t sp = d >= 0 ? H5Dget_space(d) : H5I_INVALID_HID;
    hssize_t n = sp >= 0 ? H5Sget_simple_extent_npoints(sp) : -1;
    int ok = n > 0 && t >= 0 && H5Tget_class(t) == H5T_STRING && H5Tis_variable_str(t) == 0
          && sim_out_dataset_intact(d);
    size_t w = ok ? H5Tget_size(t) : 0;
    char *buf = ok ? calloc((size_t)n, w) : NULL;
    ok = buf && H5Dread(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) >= 0;
    cf->region = ok ? calloc((size_t)n, sizeof *cf->region) : NULL;
    for (size_t i = 0; cf->region && i < (size_t)n; i++, cf->nregion++)
        if (!(cf->region[i] = strndup(buf + i * w, w))) break;
    free(buf);
    if (sp >= 0) H5Sclose(sp);
    if (t >= 0) H5Tclose(t);
    if (d >= 0) H5Dclose(d);
    return ok && cf->nregion == (size_t)n ? 0 : refuse(cf, "cannot read /series/region");
}

/* x is [replication][time][region]; v becomes [region][replication] over the time
 * steps [w0, w1): flows summed, stocks at step w1 - 1. */
static void reduce_series(const double *x, size_t n, size_t nt, size_t nr, int stock,
                          size_t w0, size_t w1, double *v)
{
    for (size_t c = 0; c < nr; c++)
        for (size_t r = 0; r < n; r++) {
            const double *p = x + r * nt * nr + c;
            double s = stock ? (w1 > w0 ? p[(w1 - 1) * nr] : NAN) : 0.0;
            for (size_t t = w0; !stock && t < w1; t++) s += p[t * nr];
            v[c * n + r] = s;
        }
}

/* m->nat[r]: the regions' values summed (the mean for a share). */
static void national(metric *m, size_t n, size_t nr)
{
    for (size_t r = 0; r < n; r++) {
        double s = 0.0;
        for (size_t c = 0; c < nr; c++) s += m->v[c * n + r];
        m->nat[r] = m->share && nr ? s / (double)nr : s;
    }
}

/* Read /series/<name> into m: values [n][nt][nregion] reduced per region. */
static int read_series_values(cfile *cf, hid_t d, const char *name, size_t nt, metric *m)
{
    size_t total = cf->n * nt * cf->nregion, nv = cf->n * cf->nregion;
    double *x = malloc((total ? total : 1) * sizeof *x);
    m->name = strdup(name);
    m->nsteps = nt;
    m->v = malloc((nv ? nv : 1) * sizeof *m->v);
    m->nat = malloc((cf->n ? cf->n : 1) * sizeof *m->nat);
    int rc = !x || !m->name || !m->v || !m->nat
          || H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, x) < 0;
    if (!rc && cf->w1 > nt) rc = 1;   /* shorter than /series/time: damaged */
    if (!rc) reduce_series(x, cf->n, nt, cf->nregion, m->stock, cf->w0, cf->w1 ? cf->w1 : nt, m->v);
    if (!rc) national(m, cf->n, cf->nregion);
    free(x);
    return rc ? refuse(cf, "cannot read /series/%s", name) : 0;
}

/* The dimensions of dataset d when it has rank 3; returns the rank (-1 on error). */
static int dims3(hid_t d, hsize_t dims[3])
{
    hid_t sp = H5Dget_space(d);
    int rank = sp >= 0 ? H5Sget_simple_extent_ndims(sp) : -1;
    if (rank == 3 && H5Sget_simple_extent_dims(sp, dims, NULL) < 0) rank = -1;
    if (sp >= 0) H5Sclose(sp);
    return rank;
}

/* One link of /series: a [replication][time][region] dataset is read; scales
 * (rank 1) and anything else are skipped. */
static int read_series_one(cfile *cf, hid_t g, const char *name)
{
    hid_t d = H5Dopen2(g, name, H5P_DEFAULT);
    if (d < 0) return 0;
    hsize_t dims[3] = {0, 0, 0};
    int rank = dims3(d, dims), rc = 0;
    if (rank == 3 && (dims[0] != cf->n || dims[2] != cf->nregion)) {
        rc = refuse(cf, "/series/%s is %llu x %llu x %llu, expected %zu replications x time x %zu regions",
                    name, (unsigned long long)dims[0], (unsigned long long)dims[1],
                    (unsigned long long)dims[2], cf->n, cf->nregion);
    } else if (rank == 3 && !sim_out_dataset_intact(d)) {
        rc = refuse(cf, "/series/%s is damaged", name);
    } else if (rank == 3) {
        metric *m = &cf->ser[cf->nser++];
        char *units = attr_text(g, name, "units");
        m->stock = !(units && strstr(units, " per "));
        m->share = units && strcmp(units, "1") == 0;
        if (units && !m->stock) *strstr(units, " per ") = 0;   /* a flow summed over time */
        m->unit = units ? units : strdup("");
        rc = read_series_values(cf, d, name, (size_t)dims[1], m);
    }
    H5Dclose(d);
    return rc;
}

static int read_series_group(cfile *cf, hid_t g)
{
    H5G_info_t info;
    if (H5Gget_info(g, &info) < 0) return refuse(cf, "cannot read /series");
    cf->ser = calloc(info.nlinks ? info.nlinks : 1, sizeof *cf->ser);
    if (!cf->ser) return refuse(cf, "out of memory");
    for (hsize_t i = 0; i < info.nlinks; i++) {
        char name[256];
        if (H5Lget_name_by_idx(g, ".", H5_INDEX_NAME, H5_ITER_INC, i, name, sizeof name, H5P_DEFAULT) < 0)
            return refuse(cf, "cannot read the names in /series");
        if (read_series_one(cf, g, name)) return -1;
    }
    return 0;
}

/* Read /series/time_bnds ([nt][2], days since the origin) into b (caller frees);
 * files before calendar months (no time_bnds) have steps ending at their time
 * value and starting at the previous one (or 0). NULL when unreadable. */
static double *read_bounds(hid_t g, const double *t, size_t nt)
{
    double *b = malloc(2 * (nt ? nt : 1) * sizeof *b);
    if (!b) return NULL;
    if (H5Lexists(g, "time_bnds", H5P_DEFAULT) > 0) {
        hid_t d = H5Dopen2(g, "time_bnds", H5P_DEFAULT);
        hid_t sp = d >= 0 ? H5Dget_space(d) : H5I_INVALID_HID;
        int ok = sp >= 0 && H5Sget_simple_extent_npoints(sp) == (hssize_t)(2 * nt)
              && H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, b) >= 0;
        if (sp >= 0) H5Sclose(sp);
        if (d >= 0) H5Dclose(d);
        if (ok) return b;
        free(b);
        return NULL;
    }
    for (size_t i = 0; i < nt; i++) b[2 * i] = i ? t[i - 1] : 0.0, b[2 * i + 1] = t[i];
    return b;
}

/* The time steps [w0, w1) of /series whose midpoints lie in [from, to) (a step's
 * interval from /series/time_bnds, read_bounds). Refused when the window holds no
 * step. Without a window: every step (w1 = 0 means "all"). */
static int read_window(cfile *cf, hid_t f, hid_t g)
{
    cf->w0 = cf->w1 = 0;
    if (isnan(cf->from) && isnan(cf->to)) return 0;
    char *origin = attr_text(f, "/", "time_origin");
    long o = 0;
    int bad = !origin || sim_date_parse(origin, &o) != 0;
    free(origin);
    hid_t d = bad ? H5I_INVALID_HID : H5Dopen2(g, "time", H5P_DEFAULT);
    hid_t sp = d >= 0 ? H5Dget_space(d) : H5I_INVALID_HID;
    hssize_t nt = sp >= 0 ? H5Sget_simple_extent_npoints(sp) : -1;
    double *t = nt > 0 ? malloc((size_t)nt * sizeof *t) : NULL;
    bad = !t || H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, t) < 0;
    double *bnd = bad ? NULL : read_bounds(g, t, (size_t)nt);
    bad = bad || !bnd;
    size_t w0 = (size_t)(nt > 0 ? nt : 0), w1 = 0, near = 0;   /* near: the step whose midpoint is nearest the window */
    double near_d = INFINITY;
    for (size_t i = 0; !bad && i < (size_t)nt; i++) {
        double mid = (double)o + 0.5 * (bnd[2 * i] + bnd[2 * i + 1]);
        if ((isnan(cf->from) || mid >= cf->from) && (isnan(cf->to) || mid < cf->to)) {
            if (i < w0) w0 = i;
            w1 = i + 1;
        }
        double dist = !isnan(cf->from) && mid < cf->from ? cf->from - mid : !isnan(cf->to) && mid >= cf->to ? mid - cf->to : 0;
        if (dist < near_d) near_d = dist, near = i;
    }
    char first[16], last[16], n0[16], n1[16], nmid[16];
    if (!bad && nt > 0) {
        sim_date_format(o + (long)floor(bnd[0]), first);
        sim_date_format(o + (long)floor(bnd[2 * nt - 1]), last);
        sim_date_format(o + (long)floor(bnd[2 * near]), n0);
        sim_date_format(o + (long)floor(bnd[2 * near + 1]), n1);
        sim_date_format(o + (long)floor(0.5 * (bnd[2 * near] + bnd[2 * near + 1])), nmid);
    }
    free(t);
    free(bnd);
    if (sp >= 0) H5Sclose(sp);
    if (d >= 0) H5Dclose(d);
    if (bad) return refuse(cf, "cannot read /series/time or the time_origin attribute (needed by --from/--to)");
    if (w1 == 0)
        return refuse(cf, "the window --from/--to holds no time step of /series: a step counts when its midpoint lies in "
                      "[from, to), and the nearest, [%s, %s), has its midpoint on %s (allowed: a window holding a "
                      "step's midpoint; the steps run from %s to %s)", n0, n1, nmid, first, last);
    cf->w0 = w0, cf->w1 = w1;
    return 0;
}

static int read_series(cfile *cf, hid_t f)
{
    if (H5Lexists(f, "series", H5P_DEFAULT) <= 0)
        return refuse(cf, "no /series (--regions needs a run with -d series or -d events)");
    hid_t g = H5Gopen2(f, "series", H5P_DEFAULT);
    if (g < 0) return refuse(cf, "cannot open /series");
    int rc = read_regions(cf, g);
    if (!rc) rc = read_window(cf, f, g);
    if (!rc) rc = read_series_group(cf, g);
    H5Gclose(g);
    return rc;
}

static void metrics_free(metric *m, size_t n)
{
    for (size_t i = 0; m && i < n; i++) {
        free(m[i].name);
        free(m[i].v);
        free(m[i].nat);
        free(m[i].unit);
    }
    free(m);
}

static void cfile_free(cfile *cf)
{
    free(cf->model);
    free(cf->scenario);
    free(cf->pop_key);
    free(cf->origin);
    free(cf->end);
    free(cf->build);
    free(cf->point);
    free(cf->cmdline);
    free(cf->rep);
    metrics_free(cf->sum, cf->nsum);
    metrics_free(cf->ser, cf->nser);
    for (size_t i = 0; cf->region && i < cf->nregion; i++) free(cf->region[i]);
    free(cf->region);
}

/* --------------------------------------------------------------- pairing -- */

static int check_fields(const cfile *b, const cfile *a)
{
    for (size_t i = 0; i < a->nsum && i < b->nsum; i++)
        if (strcmp(a->sum[i].name, b->sum[i].name) != 0)
            return refuse(a, "/summary fields differ from %s's: '%s' where it has '%s'", b->path,
                          a->sum[i].name, b->sum[i].name);
    if (a->nsum != b->nsum)
        return refuse(a, "/summary has %zu fields, %s has %zu", a->nsum, b->path, b->nsum);
    if ((a->rep == NULL) != (b->rep == NULL) || (a->rep && memcmp(a->rep, b->rep, a->n * sizeof *a->rep)))
        return refuse(a, "/summary replication numbers differ from %s's; rows cannot be paired", b->path);
    return 0;
}

static int check_regions(const cfile *b, const cfile *a)
{
    if (a->nregion != b->nregion)
        return refuse(a, "%zu regions in /series/region, %s has %zu", a->nregion, b->path, b->nregion);
    for (size_t i = 0; i < a->nregion; i++)
        if (strcmp(a->region[i], b->region[i]) != 0)
            return refuse(a, "region list differs from %s's: region %zu is '%s' where it has '%s'",
                          b->path, i + 1, a->region[i], b->region[i]);
    for (size_t i = 0; i < a->nser && i < b->nser; i++) {
        const metric *x = &a->ser[i], *y = &b->ser[i];
        if (strcmp(x->name, y->name) != 0)
            return refuse(a, "/series differ from %s's: /series/%s where it has /series/%s", b->path, x->name, y->name);
        if (x->nsteps != y->nsteps || x->stock != y->stock)
            return refuse(a, "/series/%s has %zu time steps (%s), %s has %zu (%s)", x->name, x->nsteps,
                          x->stock ? "stock" : "flow", b->path, y->nsteps, y->stock ? "stock" : "flow");
    }
    if (a->nser != b->nser)
        return refuse(a, "%zu series in /series, %s has %zu", a->nser, b->path, b->nser);
    if (a->w0 != b->w0 || a->w1 != b->w1)
        return refuse(a, "the window --from/--to covers time steps %zu..%zu, in %s %zu..%zu", a->w0, a->w1,
                      b->path, b->w0, b->w1);
    return 0;
}

/* x and y as text with 15 significant digits, or 17 where 15 would print two
 * different values alike (0.02 and 0.020000000000000004). */
static void distinct_numbers(double x, double y, char *tx, char *ty, size_t size)
{
    int digits = 15;
    snprintf(tx, size, "%.*g", digits, x);
    snprintf(ty, size, "%.*g", digits, y);
    if (x != y && !strcmp(tx, ty)) {
        digits = 17;
        snprintf(tx, size, "%.*g", digits, x);
        snprintf(ty, size, "%.*g", digits, y);
    }
}

static int same_text(const char *x, const char *y) { return x && y && !strcmp(x, y); }

/* The simulated period as "ORIGIN to END" ("from ORIGIN" for a file without time_end). */
static void period_words(const cfile *cf, char *buf, size_t size)
{
    if (cf->end) snprintf(buf, size, "%s to %s", cf->origin ? cf->origin : "?", cf->end);
    else snprintf(buf, size, "from %s", cf->origin ? cf->origin : "?");
}

/* Runs of different periods (origin, end, or series length) cannot be paired: their
 * counts differ by the horizon alone. -1 with one line naming alt if they differ. */
static int check_period(const cfile *b, const cfile *a)
{
    size_t nb = b->nser ? b->ser[0].nsteps : 0, na = a->nser ? a->ser[0].nsteps : 0;
    int differs = (a->origin && b->origin && strcmp(a->origin, b->origin)) || (a->end && b->end && strcmp(a->end, b->end))
                || (na && nb && na != nb);
    if (!differs) return 0;
    char pa[64], pb[64];
    period_words(a, pa, sizeof pa);
    period_words(b, pb, sizeof pb);
    if (na && nb && na != nb)
        return refuse(a, "simulates %s (%zu series steps), %s %s (%zu); paired differences need the same period "
                      "(the scenarios' origin and end)", pa, na, b->path, pb, nb);
    return refuse(a, "simulates %s, %s %s; paired differences need the same period (the scenarios' origin and end)",
                  pa, b->path, pb);
}

/* Files of two builds may pair other random numbers (a model change reorders the draws):
 * a note on stderr, not a refusal (a fix that changes nothing in these runs is fine). */
static void note_builds(const cfile *b, const cfile *a)
{
    if (!a->build || !b->build || same_text(a->build, b->build)) return;
    fprintf(stderr, "sim: note: %s was written by build %s, %s by build %s; if the model changed between them, the "
            "difference includes that change, not only the scenarios'\n", a->path, a->build, b->path, b->build);
}

/* Can alt be paired with base (header and /summary)? -1 with one line naming alt if not. */
static int check_pair(const cfile *b, const cfile *a)
{
    if (strcmp(a->model, b->model) != 0)
        return refuse(a, "model '%s' differs from %s's '%s'; only runs of one model can be compared",
                      a->model, b->path, b->model);
    if (a->seed != b->seed)
        return refuse(a, "seed %lld differs from %s's %lld; paired differences need the same seed "
                      "(run both with the same -s, or neither)", a->seed, b->path, b->seed);
    if (a->reps != b->reps || a->n != b->n)
        return refuse(a, "%lld replication%s, %s has %lld; replications are paired one to one "
                      "(run both with the same -r)", a->reps, a->reps == 1 ? "" : "s", b->path, b->reps);
    /* Another population has other people: replication r of the two runs shares no
     * random numbers, and every count differs by the scale alone. */
    if (a->pop_key && b->pop_key && !strcmp(a->pop_key, b->pop_key) && isfinite(a->pop) && isfinite(b->pop)
        && a->pop != b->pop) {
        char va[32], vb[32];
        distinct_numbers(a->pop, b->pop, va, vb, sizeof va);
        return refuse(a, "population %s = %s differs from %s's %s; paired differences need the same population "
                      "(run both with the same --scale)", a->pop_key, va, b->path, vb);
    }
    if (check_period(b, a) != 0 || sim_compare_draws_check(b->path, a->path) != 0) return -1;
    note_builds(b, a);
    return check_fields(b, a);
}

/* Read everything compare needs from path and, when base is not NULL, check that
 * it can be paired with base; -1 with a message naming the file. */
static int cfile_load(cfile *cf, const char *path, const cfile *base, const double window[2], int regions)
{
    struct stat st;
    cf->path = path;
    cf->from = window[0], cf->to = window[1];
    if (stat(path, &st) != 0) return refuse(cf, "cannot open: %s", strerror(errno));
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (f < 0) return refuse(cf, "not a readable HDF5 file (%s)", sim_unreadable_why(path, "truncated, damaged or not HDF5"));
    int rc = read_header(cf, f);
    if (!rc) rc = read_summary(cf, f);
    if (!rc && base) rc = check_pair(base, cf);
    if (!rc && regions) rc = read_series(cf, f);
    if (!rc && regions && base) rc = check_regions(base, cf);
    H5Fclose(f);
    return rc;
}

static const metric *find_metric(const metric *m, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(m[i].name, name) == 0) return &m[i];
    return NULL;
}

static int wanted(const sim_compare_request *req, const char *name)
{
    if (req->nmetrics == 0) return 1;
    for (size_t i = 0; i < req->nmetrics; i++)
        if (strcmp(req->metrics[i], name) == 0) return 1;
    return 0;
}

/* 1 if field is near the unknown --metric `name`: it contains it, is contained in it, or is a
 * typing slip away (sim_config_near). An empty name is near nothing. */
static int metric_near(const char *field, const char *name)
{
    return *name && (strstr(field, name) || strstr(name, field) || sim_config_near(name, field, 0) <= SIM_CONFIG_NEAR);
}

/* The choices for an unknown --metric: "did you mean A or B? allowed: a, b, ..." (at most
 * three near names; the /summary fields, and the /series when `series`); a malloc'd
 * string, NULL if out of memory. */
static char *metric_choices(const cfile *b, const char *name, int series)
{
    const char *near[3];
    int k = 0;
    for (size_t i = 0; i < b->nsum && k < 3; i++)
        if (metric_near(b->sum[i].name, name)) near[k++] = b->sum[i].name;
    for (size_t i = 0; series && i < b->nser && k < 3; i++)
        if (metric_near(b->ser[i].name, name)) near[k++] = b->ser[i].name;
    char *text = NULL;
    size_t len = 0;
    FILE *o = open_memstream(&text, &len);
    if (!o) return NULL;
    for (int j = 0; j < k; j++) fprintf(o, "%s%s", j ? " or " : "did you mean ", near[j]);
    fputs(k ? "? allowed: " : "allowed: ", o);
    for (size_t i = 0; i < b->nsum; i++) fprintf(o, "%s%s", i ? ", " : "", b->sum[i].name);
    for (size_t i = 0; series && i < b->nser; i++) fprintf(o, "%s%s", b->nsum + i ? ", " : "", b->ser[i].name);
    if (fclose(o) != 0) { free(text); return NULL; }
    return text;
}

/* With --from/--to or --regions, which apply to /series only, a --metric list must pick at
 * least one series: else the window or the regions would silently vanish from the table. */
static int check_series_picked(const cfile *b, const sim_compare_request *req)
{
    if (req->nmetrics == 0 || !(req->regions || req->from || req->to)) return 0;
    for (size_t i = 0; i < req->nmetrics; i++)
        if (find_metric(b->ser, b->nser, req->metrics[i])) return 0;
    size_t len = 1;
    for (size_t i = 0; i < b->nser; i++) len += strlen(b->ser[i].name) + 2;
    char *names = calloc(len, 1);
    for (size_t i = 0; names && i < b->nser; i++) {
        if (i) strcat(names, ", ");
        strcat(names, b->ser[i].name);
    }
    sim_log_error("%s to /series only, and no --metric names one (%s %s a /summary field, over the whole run): "
                  "add a series, e.g. --metric durable (allowed series: %s)",
                  req->regions ? "--regions applies" : "--from/--to apply",
                  req->metrics[0], req->nmetrics == 1 ? "is" : "and the others are", names ? names : "out of memory");
    free(names);
    return -1;
}

/* Every --metric must name a /summary field of base (or a series with --regions). */
static int check_metrics(const cfile *b, const sim_compare_request *req)
{
    for (size_t i = 0; i < req->nmetrics; i++) {
        const char *m = req->metrics[i];
        int series = req->regions || req->from || req->to;
        if (find_metric(b->sum, b->nsum, m) || (series && find_metric(b->ser, b->nser, m))) continue;
        char *choices = metric_choices(b, m, series);
        sim_log_error("--metric %s: %s has no such /summary field%s (%s)", m, b->path, series ? " or /series" : "",
                      choices ? choices : "out of memory listing them");
        free(choices);
        return -1;
    }
    return check_series_picked(b, req);
}

/* A p-value and its row, so that qsort can sort one family without global state. */
typedef struct {
    double p;
    size_t row;
} ptest;

static int by_p(const void *x, const void *y)
{
    double a = ((const ptest *)x)->p, b = ((const ptest *)y)->p;
    return a < b ? -1 : a > b;
}

/* Holm's step-down adjustment of one family of k tests: with the p-values sorted
 * ascending, p_(j) becomes max over i <= j of min(1, (k - i) p_(i)). It holds the chance
 * of any false alarm among the k at the level, whatever their dependence. */
static void holm_family(crow *rows, ptest *t, size_t k)
{
    qsort(t, k, sizeof *t, by_p);
    double run = 0.0;
    for (size_t j = 0; j < k; j++) {
        run = fmax(run, fmin(1.0, (double)(k - j) * t[j].p));
        rows[t[j].row].p_holm = run;
    }
}

/* Whether two rows are in one family of tests, as sim report reads them: the /summary
 * rows together (its headline table), the national window rows together, and one
 * series over the regions (its regional table). */
static int same_family(const crow *a, const crow *b)
{
    if (!a->region || !b->region) return !a->region && !b->region;
    int na = !strcmp(a->region, "national"), nb = !strcmp(b->region, "national");
    if (na || nb) return na && nb;
    return !strcmp(a->metric, b->metric);
}

/* p_holm of every row over its family (same_family). Rows without a test (p NaN) keep
 * p_holm NaN and are not counted. t is scratch for n entries. */
static void holm_rows(crow *rows, size_t n, ptest *t)
{
    for (size_t i = 0; i < n; i++) rows[i].p_holm = NAN;
    for (size_t i = 0; i < n; i++) {
        int seen = 0;
        for (size_t j = 0; j < i && !seen; j++) seen = same_family(&rows[j], &rows[i]);
        if (seen) continue;   /* the family was adjusted at its first row */
        size_t k = 0;
        for (size_t j = i; j < n; j++)
            if (same_family(&rows[j], &rows[i]) && !isnan(rows[j].st.p))
                t[k++] = (ptest){rows[j].st.p, j};
        holm_family(rows, t, k);
    }
}

/* The rows of one comparison (caller frees), or NULL when out of memory. */
static crow *build_rows(const cfile *b, const cfile *a, const sim_compare_request *req, size_t *nrows)
{
    size_t n = b->n, k = 0, cap = b->nsum + b->nser * (b->nregion + 1);
    int window = req->from || req->to;
    crow *rows = malloc((cap ? cap : 1) * sizeof *rows);
    double *work = malloc((n ? n : 1) * sizeof *work);
    for (size_t i = 0; rows && work && i < b->nsum; i++)
        if (wanted(req, b->sum[i].name))
            rows[k++] = (crow){b->sum[i].name, NULL, b->sum[i].unit ? b->sum[i].unit : "",
                               sim_compare_paired(b->sum[i].v, a->sum[i].v, n, work), NAN};
    for (size_t i = 0; rows && work && window && i < b->nser; i++)
        if (wanted(req, b->ser[i].name))
            rows[k++] = (crow){b->ser[i].name, "national", b->ser[i].unit ? b->ser[i].unit : "",
                               sim_compare_paired(b->ser[i].nat, a->ser[i].nat, n, work), NAN};
    for (size_t i = 0; rows && work && req->regions && i < b->nser; i++)
        for (size_t c = 0; wanted(req, b->ser[i].name) && c < b->nregion; c++)
            rows[k++] = (crow){b->ser[i].name, b->region[c], b->ser[i].unit ? b->ser[i].unit : "",
                               sim_compare_paired(b->ser[i].v + c * n, a->ser[i].v + c * n, n, work), NAN};
    ptest *tests = malloc((k ? k : 1) * sizeof *tests);
    if (!work || !tests) {
        free(rows);
        rows = NULL;
    } else if (rows) {
        holm_rows(rows, k, tests);
    }
    free(tests);
    free(work);
    *nrows = k;
    return rows;
}

/* ---------------------------------------------------------- CSV and JSON -- */

static const char *const stat_keys[] = {"base_mean", "alt_mean", "diff", "ci_low", "ci_high", "rel_change",
                                        "rel_low", "rel_high"};
#define NSTAT (sizeof stat_keys / sizeof stat_keys[0])

static void stat_values(const sim_compare_stat *s, double v[NSTAT])
{
    v[0] = s->base_mean;
    v[1] = s->alt_mean;
    v[2] = s->diff;
    v[3] = s->ci_low;
    v[4] = s->ci_high;
    v[5] = s->rel_change;
    v[6] = s->rel_low;
    v[7] = s->rel_high;
}

/* A JSON number at full precision; null when undefined or infinite. */
static void json_number(FILE *o, double x)
{
    if (isnan(x) || isinf(x)) fputs("null", o);
    else fprintf(o, "%.17g", x);
}

/* A CSV number at full precision ("n/a" when undefined); nl: a decimal comma. */
static void csv_number(FILE *o, double x, int nl)
{
    char buf[40];
    if (isnan(x)) snprintf(buf, sizeof buf, "n/a");
    else snprintf(buf, sizeof buf, "%.17g", x);
    for (char *c = buf; nl && *c; c++)
        if (*c == '.') *c = ',';
    fputs(buf, o);
}

/* A CSV text field, quoted when it holds the separator, a quote or a line break. */
static void csv_text(FILE *o, const char *s, int nl)
{
    if (!strpbrk(s, nl ? ";\"\n" : ",\"\n")) {
        fputs(s, o);
        return;
    }
    fputc('"', o);
    for (; *s; s++) {
        if (*s == '"') fputc('"', o);
        fputc(*s, o);
    }
    fputc('"', o);
}

static void json_text(FILE *o, const char *s)
{
    if (!s) {
        fputs("null", o);
        return;
    }
    fputc('"', o);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') fprintf(o, "\\%c", c);
        else if (c < 0x20) fprintf(o, "\\u%04x", c);
        else fputc(c, o);
    }
    fputc('"', o);
}

static void print_csv_header(FILE *o, int with_alt, int nl)
{
    const char sep = nl ? ';' : ',';
    fprintf(o, "metric%cregion", sep);
    for (size_t k = 0; k < SIM_ARRAY_LEN(stat_keys); k++) fprintf(o, "%c%s", sep, stat_keys[k]);
    fprintf(o, "%cn%csame%cunit", sep, sep, sep);
    if (with_alt) fprintf(o, "%calt", sep);
    fprintf(o, "%cp%cp_holm\n", sep, sep);
}

/* alt: the ALT file name, a column only when several ALT files are compared;
 * nl: ';' between fields and decimal commas (sim compare --csv-nl). */
static void print_csv_row(FILE *o, const crow *r, const char *alt, int nl)
{
    const char sep = nl ? ';' : ',';
    double v[NSTAT];
    stat_values(&r->st, v);
    csv_text(o, r->metric, nl);
    fputc(sep, o);
    csv_text(o, r->region ? r->region : "", nl);
    for (size_t k = 0; k < NSTAT; k++) {
        fputc(sep, o);
        csv_number(o, v[k], nl);
    }
    fprintf(o, "%c%zu%c%d%c", sep, r->st.n, sep, r->st.same, sep);
    csv_text(o, r->unit, nl);
    if (alt) {
        fputc(sep, o);
        csv_text(o, alt, nl);
    }
    fputc(sep, o);
    csv_number(o, r->st.p, nl);
    fputc(sep, o);
    csv_number(o, r->p_holm, nl);
    fputc('\n', o);
}

static void print_json_row(FILE *o, const crow *r, const char *alt)
{
    double v[NSTAT];
    stat_values(&r->st, v);
    fputs("  {\"metric\": ", o);
    json_text(o, r->metric);
    fputs(", \"region\": ", o);
    json_text(o, r->region);
    for (size_t k = 0; k < NSTAT; k++) {
        fprintf(o, ", \"%s\": ", stat_keys[k]);
        json_number(o, v[k]);
    }
    fprintf(o, ", \"n\": %zu, \"same\": %s, \"unit\": ", r->st.n, r->st.same ? "true" : "false");
    json_text(o, r->unit);
    if (alt) {
        fputs(", \"alt\": ", o);
        json_text(o, alt);
    }
    fputs(", \"p\": ", o);
    json_number(o, r->st.p);
    fputs(", \"p_holm\": ", o);
    json_number(o, r->p_holm);
    fputc('}', o);
}

/* ----------------------------------------------------------------- table -- */

enum { COL_UNIT, COL_BASE, COL_ALT, COL_DIFF, COL_CI, COL_REL, COL_N, NCOLS };
typedef char cells[NCOLS][80];
static const char *const col_head[NCOLS] = {"unit", "base mean", "alt mean", "diff", "95% CI of diff", "change [95% CI]", "n"};

static void format_cells(const crow *r, char c[NCOLS][80])
{
    const sim_compare_stat *s = &r->st;
    int dec = sim_unit_decimals(r->unit);
    char lo[80], hi[80];
    snprintf(c[COL_UNIT], 80, "%s", r->unit[0] ? r->unit : "-");
    sim_number_text(s->base_mean, dec, c[COL_BASE]);
    sim_number_text(s->alt_mean, dec, c[COL_ALT]);
    sim_number_text(s->diff, dec, c[COL_DIFF]);
    if (isnan(s->ci_low)) snprintf(c[COL_CI], 80, "n/a");
    else {
        sim_number_bounds(s->ci_low, s->ci_high, dec, lo, hi);   /* a bound never reads 0 with the other sign */
        snprintf(c[COL_CI], 80, "[%.37s, %.37s]", lo, hi);   /* each at most 37: 80 bytes in all */
    }
    if (isnan(s->rel_change)) snprintf(c[COL_REL], 80, "n/a");
    else if (s->same || s->n < 2) snprintf(c[COL_REL], 80, "%+.2f%%", 100.0 * s->rel_change);
    else if (isnan(s->rel_low)) snprintf(c[COL_REL], 80, "%+.2f%% [n/a]", 100.0 * s->rel_change);
    else snprintf(c[COL_REL], 80, "%+.2f%% [%+.2f, %+.2f]", 100.0 * s->rel_change, 100.0 * s->rel_low,
                  100.0 * s->rel_high);
    snprintf(c[COL_N], 80, "%zu", s->n);
}

/* The --set and --scale overrides recorded in a command line, " --set k=v" and
 * " --scale F" each (caller frees). */
static char *overrides(const char *cmdline)
{
    size_t len = cmdline ? strlen(cmdline) : 0;
    char *out = calloc(2 * len + 1, 1), *copy = strdup(cmdline ? cmdline : "");
    const char *next = NULL;   /* the option whose value is the next token */
    for (char *save = NULL, *tok = copy && out ? strtok_r(copy, " ", &save) : NULL; tok;
         tok = strtok_r(NULL, " ", &save)) {
        const char *opt = next, *value = next ? tok : NULL;
        if (!next && strncmp(tok, "--set=", 6) == 0) opt = " --set ", value = tok + 6;
        if (!next && strncmp(tok, "--scale=", 8) == 0) opt = " --scale ", value = tok + 8;
        if (value) strcat(strcat(out, opt), value);
        next = value ? NULL : !strcmp(tok, "--set") ? " --set " : !strcmp(tok, "--scale") ? " --scale " : NULL;
    }
    free(copy);
    return out;
}

static void print_headline(FILE *o, const cfile *b, const cfile *a)
{
    const cfile *f[2] = {b, a};
    for (int i = 0; i < 2; i++) {
        char *sets = overrides(f[i]->cmdline);
        fprintf(o, "%-5s %s: scenario %s%s%s\n", i ? "alt" : "base", f[i]->path,
                f[i]->scenario ? f[i]->scenario : "?", sets ? sets : "", f[i]->point ? f[i]->point : "");
        free(sets);
    }
    fprintf(o, "model %s, seed %lld, %lld replication%s paired one to one (common random numbers)\n",
            b->model, b->seed, b->reps, b->reps == 1 ? "" : "s");
    if (b->reps > 1)
        fprintf(o, "diff = mean of alt - base per replication; 95%% t interval with %lld df; "
                   "* = interval excludes 0\n\n", b->reps - 1);
    else
        fprintf(o, "diff = alt - base; no interval from one replication (n/a; run -r 2 or more)\n\n");
}

static size_t max_size(size_t a, size_t b) { return a > b ? a : b; }

/* Column widths: [0] metric, [1] region, [2..] the numbers. */
static void table_widths(const crow *rows, const cells *c, size_t n, size_t w[NCOLS + 2])
{
    w[0] = strlen("metric");
    w[1] = strlen("region");
    for (int k = 0; k < NCOLS; k++) w[k + 2] = strlen(col_head[k]);
    for (size_t i = 0; i < n; i++) {
        w[0] = max_size(w[0], strlen(rows[i].metric));
        if (rows[i].region) w[1] = max_size(w[1], strlen(rows[i].region));
        for (int k = 0; k < NCOLS; k++) w[k + 2] = max_size(w[k + 2], strlen(c[i][k]));
    }
}

static void table_line(FILE *o, const size_t w[NCOLS + 2], int regions, const char *name,
                       const char *region, const char *const num[NCOLS], const char *mark)
{
    fprintf(o, "%-*s", (int)w[0], name);
    if (regions) fprintf(o, "  %-*s", (int)w[1], region);
    for (int k = 0; k < NCOLS; k++) fprintf(o, "  %*s", (int)w[k + 2], num[k]);
    fprintf(o, "%s\n", mark);
}

static void print_table(FILE *o, const cfile *b, const cfile *a, const crow *rows, size_t n, int regions)
{
    cells *c = malloc((n ? n : 1) * sizeof *c);
    if (!c) return;
    size_t w[NCOLS + 2];
    for (size_t i = 0; i < n; i++) format_cells(&rows[i], c[i]);
    table_widths(rows, c, n, w);
    print_headline(o, b, a);
    table_line(o, w, regions, "metric", "region", col_head, "");
    for (size_t i = 0; i < n; i++) {
        const char *num[NCOLS];
        for (int k = 0; k < NCOLS; k++) num[k] = c[i][k];
        if (i > 0 && rows[i].region && (!rows[i - 1].region || strcmp(rows[i].metric, rows[i - 1].metric)))
            fputc('\n', o);
        table_line(o, w, regions, rows[i].metric, rows[i].region ? rows[i].region : "", num,
                   row_mark(&rows[i].st));
    }
    int same = 0;
    for (size_t i = 0; i < n; i++) same |= rows[i].st.same;
    if (same)
        fputs("\n= : the same difference in every replication (0 included), so no spread to estimate an interval from; "
              "not starred (with few replications of a small count this can be chance)\n", o);
    int partial = 0;
    for (size_t i = 0; i < n; i++) partial |= rows[i].st.n < (size_t)b->reps;
    if (partial)
        fprintf(o, "\nn < %lld: the value is undefined (NaN, e.g. a ratio with nothing to divide by) in some "
                   "replications; those rows are over the n replications where it is defined in both files\n",
                b->reps);
    if (regions)
        fputs("\nregion rows: /series per region (\"national\": all regions, summed; shares averaged); "
              "flows (units \"persons per month\") summed over time, stocks at the last time step; "
              "one interval per region, not corrected for their number: with no effect about 1 in 20 is starred "
              "by chance (--csv and --json give p_holm, Holm's correction over the regions of each series; "
              "sim report marks regions after it)\n", o);
    if (b->w1)
        fprintf(o, "window --from/--to: /series time steps %zu to %zu of the file (monthly steps whose midpoint "
                   "lies in the window); /summary rows cover the whole run\n", b->w0 + 1, b->w1);
    free(c);
}

/* ------------------------------------------------------------------ main -- */

static int print_one(const sim_compare_request *req, const cfile *b, const cfile *a, size_t *printed)
{
    size_t n;
    crow *rows = build_rows(b, a, req, &n);
    if (!rows) {
        sim_log_error("out of memory");
        return SIM_EXIT_RUNTIME;
    }
    const char *alt = req->nalts > 1 ? a->path : NULL;
    for (size_t i = 0; req->format != SIM_COMPARE_TABLE && i < n; i++, (*printed)++) {
        if (req->format == SIM_COMPARE_CSV) print_csv_row(stdout, &rows[i], alt, req->csv_nl);
        else {
            fputs(*printed ? ",\n" : "\n", stdout);
            print_json_row(stdout, &rows[i], alt);
        }
    }
    if (req->format == SIM_COMPARE_TABLE) {
        if (*printed) fputc('\n', stdout);
        print_table(stdout, b, a, rows, n, req->regions || req->from || req->to);
        (*printed)++;
    }
    free(rows);
    if (req->format == SIM_COMPARE_TABLE && sim_compare_draws(stdout, b->path, a->path) != 0)   /* issue 14; checked at load */
        return SIM_EXIT_RUNTIME;
    return SIM_EXIT_OK;
}

static int print_all(const sim_compare_request *req, const cfile *files)
{
    size_t printed = 0;
    int rc = SIM_EXIT_OK;
    if (req->format == SIM_COMPARE_CSV) print_csv_header(stdout, req->nalts > 1, req->csv_nl);
    if (req->format == SIM_COMPARE_JSON) fputc('[', stdout);
    for (size_t i = 1; rc == SIM_EXIT_OK && i <= req->nalts; i++)
        rc = print_one(req, &files[0], &files[i], &printed);
    if (req->format == SIM_COMPARE_JSON) fputs(printed ? "\n]\n" : "]\n", stdout);
    return rc;
}

/* --from/--to as days since 1970-01-01 (NAN when not given); -1 after a usage error. */
static int parse_window(const sim_compare_request *req, double window[2])
{
    const char *d[2] = {req->from, req->to}, *opt[2] = {"--from", "--to"};
    for (int i = 0; i < 2; i++) {
        long days = 0;
        window[i] = NAN;
        if (!d[i]) continue;
        if (sim_date_parse(d[i], &days) != 0) {
            sim_log_error("%s: '%s' is not a date (allowed: YYYY-MM-DD, years %d-%d)", opt[i], d[i], SIM_DATE_FIRST_YEAR,
                          SIM_DATE_LAST_YEAR);
            fputs("Try 'sim --help'.\n", stderr);
            return -1;
        }
        window[i] = (double)days;
    }
    if (window[0] >= window[1]) {
        sim_log_error("--from %s is not before --to %s (allowed: an earlier --from)", req->from, req->to);
        fputs("Try 'sim --help'.\n", stderr);
        return -1;
    }
    return 0;
}

static int load_all(const sim_compare_request *req, cfile *files)
{
    double window[2];
    int series = req->regions || req->from || req->to;
    if (parse_window(req, window)) return SIM_EXIT_USAGE;
    if (cfile_load(&files[0], req->base, NULL, window, series)) return SIM_EXIT_RUNTIME;
    if (check_metrics(&files[0], req)) return SIM_EXIT_USAGE;
    for (size_t i = 1; i <= req->nalts; i++)
        if (cfile_load(&files[i], req->alts[i - 1], &files[0], window, series)) return SIM_EXIT_RUNTIME;
    return SIM_EXIT_OK;
}

int sim_compare_main(const sim_compare_request *req)
{
    cfile *files = calloc(req->nalts + 1, sizeof *files);
    if (!files) {
        sim_log_error("out of memory");
        return SIM_EXIT_RUNTIME;
    }
    int rc = load_all(req, files);
    if (rc == SIM_EXIT_OK) rc = print_all(req, files);
    for (size_t i = 0; i <= req->nalts; i++) cfile_free(&files[i]);
    free(files);
    return rc;
}
