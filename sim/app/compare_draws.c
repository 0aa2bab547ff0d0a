/* compare_draws.c: chance-plus-parameter intervals and P(ALT beats BASE) for two
 * runs with parameter draws (compare_draws.h).
 * Invariant: a difference is only formed between replications with the same
 * parameter set (checked bit for bit). */
#include "compare_draws.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <hdf5.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../core/common.h"
#include "../io/out.h"
#include "../io/numtext.h"

/* The headline metrics and which way is better (+1 higher, -1 lower). */
static const struct { const char *name; int better; } headline[] = {
    {"durable_placements", +1}, {"placements", +1}, {"cost_per_durable", -1},
    {"cost_total", -1}, {"benefit_months", -1}, {"caseload_end", -1},
};

typedef struct {
    hid_t   f;
    double *draws;      /* [reps][k] */
    hsize_t dims[2];
    size_t  calibrated; /* parameters whose source starts "calibrated" (files before it was recorded: 0) */
} dfile;

/* How many of the drawn parameters' sources (attribute "sources") start "calibrated". */
static size_t count_calibrated(hid_t ds)
{
    size_t n = 0, c = 0;
    char **src = H5Aexists(ds, "sources") > 0 ? sim_out_attr_read_strings(ds, "sources", &n) : NULL;
    for (size_t j = 0; src && j < n; j++) c += !strncmp(src[j], "calibrated", 10);
    if (src) sim_out_free_strings(src, n);
    return c;
}

/* /parameter_draws of f, or dims[0] = 0 when absent; -1 when unreadable. */
static int read_draws(dfile *d)
{
    if (H5Lexists(d->f, "parameter_draws", H5P_DEFAULT) <= 0) return 0;
    hid_t ds = H5Dopen2(d->f, "parameter_draws", H5P_DEFAULT), sp = ds >= 0 ? H5Dget_space(ds) : -1;
    int ok = sp >= 0 && H5Sget_simple_extent_ndims(sp) == 2 && H5Sget_simple_extent_dims(sp, d->dims, NULL) == 2;
    if (ok && (d->draws = malloc((size_t)(d->dims[0] * d->dims[1] + 1) * sizeof *d->draws)))
        ok = H5Dread(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, d->draws) >= 0;
    else ok = 0;
    if (ok) d->calibrated = count_calibrated(ds);
    if (sp >= 0) H5Sclose(sp);
    if (ds >= 0) H5Dclose(ds);
    return ok ? 0 : -1;
}

/* Field `name` of the /summary table into v[reps]; -1 when it has none. */
static int read_summary_field(hid_t f, const char *name, double *v, int *decimals)
{
    hid_t ds = H5Dopen2(f, "summary", H5P_DEFAULT);
    hid_t t = ds >= 0 ? H5Dget_type(ds) : -1;
    int member = t >= 0 ? H5Tget_member_index(t, name) : -1, rc = member >= 0 ? 0 : -1;
    hid_t m = H5Tcreate(H5T_COMPOUND, sizeof(double));
    if (rc == 0 && (H5Tinsert(m, name, 0, H5T_NATIVE_DOUBLE) < 0 || sim_out_read(ds, m, v) < 0)) rc = -1;
    size_t nu = 0;   /* the "units" attribute: one per member, as sim compare's table reads it */
    char **units = rc == 0 && H5Aexists(ds, "units") > 0 ? sim_out_attr_read_strings(ds, "units", &nu) : NULL;
    *decimals = sim_unit_decimals(units && (size_t)member < nu ? units[member] : "");
    sim_out_free_strings(units, nu);
    H5Tclose(m);
    if (t >= 0) H5Tclose(t);
    if (ds >= 0) H5Dclose(ds);
    return rc;
}

/* The defined paired differences a[r] - b[r] into d; their number. */
static size_t differences(const double *b, const double *a, size_t n, double *d)
{
    size_t m = 0;
    for (size_t r = 0; r < n; r++)
        if (!isnan(a[r]) && !isnan(b[r])) d[m++] = a[r] - b[r];
    return m;
}

/* The distribution-free interval of the effect of a new draw from m sorted
 * differences: [d_(k), d_(m+1-k)] (1-based) with the largest k >= 1 whose coverage
 * (m + 1 - 2k) / (m + 1) is at least 95%; with fewer than 39 replications that is
 * the range (k = 1), whose coverage is lower and is returned in *coverage. */
static void effect_interval(const double *sorted, size_t m, double *lo, double *hi, double *coverage)
{
    *lo = *hi = *coverage = NAN;
    if (m < 2) return;
    size_t k = (size_t)floor(0.025 * (double)(m + 1));
    if (k < 1) k = 1;
    *lo = sorted[k - 1];
    *hi = sorted[m - k];
    *coverage = (double)(m + 1 - 2 * k) / (double)(m + 1);
}

/* The p-quantile of the Beta(a, b) distribution by bisection on its CDF: GSL's
 * gsl_cdf_beta_Pinv fails to converge (NaN) for many arguments from a few
 * hundred replications on; 100 halvings reach the double's resolution. */
static double beta_quantile(double p, double a, double b)
{
    double lo = 0.0, hi = 1.0;
    for (int i = 0; i < 100 && lo < hi; i++) {
        double mid = 0.5 * (lo + hi);
        if (mid <= lo || mid >= hi) break;
        if (gsl_cdf_beta_P(mid, a, b) < p) lo = mid;
        else hi = mid;
    }
    return 0.5 * (lo + hi);
}

void sim_clopper_pearson(double xlo, double xhi, size_t m, double *lo, double *hi)
{
    double n = (double)m;
    *lo = xlo <= 0 ? 0.0 : beta_quantile(0.025, xlo, n - xlo + 1);
    *hi = xhi >= n ? 1.0 : beta_quantile(0.975, xhi + 1, n - xhi);
}

/* (compare_draws.h) */
int sim_share_decimals(int dec, const double *xs, size_t n)
{
    char buf[32];
    for (size_t i = 0; i < n; i++)
        while (xs[i] > 0.0 && xs[i] < 1.0 && dec < 6) {
            snprintf(buf, sizeof buf, "%.*f", dec, xs[i]);
            double shown = strtod(buf, NULL);
            if (shown != 0.0 && shown != 1.0) break;
            dec++;
        }
    return dec;
}

/* P(ALT better) over the m defined differences of b and a (d: room for n), with its
 * Clopper-Pearson interval, into shares[0..2]; returns m (0: nothing defined). */
static size_t better_shares(int better, const double *b, const double *a, size_t n, double *d, double shares[3])
{
    size_t m = differences(b, a, n, d);
    double wins = 0.0, ties = 0.0;
    for (size_t r = 0; r < m; r++) {
        wins += d[r] * better > 0;
        ties += d[r] == 0.0;
    }
    shares[0] = shares[1] = shares[2] = NAN;
    if (m > 0) {
        shares[0] = (wins + 0.5 * ties) / (double)m;
        sim_clopper_pearson(wins, wins + ties, m, &shares[1], &shares[2]);
    }
    return m;
}

/* Width of the P(ALT better) [CI] column with pd decimals: " 0.50 [0.30, 0.70]" at 2. */
static int share_width(int pd) { return 3 * pd + 12; }

/* One metric's line: mean diff [t interval], the interval of a draw's effect with
 * its coverage, P(ALT better) [Clopper-Pearson] with pd decimals (the table's). */
static void print_metric(FILE *o, const char *name, int better, int dec, int pd, const double *b, const double *a,
                         size_t n, double *d)
{
    char x0[SIM_NUMTEXT_MAX], x1[SIM_NUMTEXT_MAX], mean_text[SIM_NUMTEXT_MAX];
    double shares[3];
    size_t m = better_shares(better, b, a, n, d, shares);
    if (m == 0) {   /* no replication defines the metric in both files */
        fprintf(o, "  %-22s %12s  %-26s  %-31s  %-*s  %3zu\n", name, "n/a", "n/a", "n/a", share_width(pd), "n/a", m);
        return;
    }
    double mean = gsl_stats_mean(d, 1, m);
    char ci[2 * SIM_NUMTEXT_MAX + 8] = "n/a";   /* the t interval of the mean needs two replications */
    if (m > 1) {
        double half = gsl_cdf_tdist_Pinv(0.975, (double)(m - 1)) * gsl_stats_sd(d, 1, m) / sqrt((double)m);
        sim_number_bounds(mean - half, mean + half, dec, x0, x1);
        snprintf(ci, sizeof ci, "[%s, %s]", x0, x1);
    }
    gsl_sort(d, 1, m);
    double lo, hi, cover;
    effect_interval(d, m, &lo, &hi, &cover);
    char eff[2 * SIM_NUMTEXT_MAX + 16] = "n/a";   /* a draw's effect needs two replications too */
    if (isfinite(lo) && isfinite(hi) && isfinite(cover)) {
        sim_number_bounds(lo, hi, dec, x0, x1);
        snprintf(eff, sizeof eff, "[%s, %s] %3.0f%%", x0, x1, 100.0 * cover);
    }
    char share[96];
    snprintf(share, sizeof share, "%*.*f [%.*f, %.*f]", pd + 3, pd, shares[0], pd, shares[1], pd, shares[2]);
    fprintf(o, "  %-22s %12s  %-26s  %-31s  %-*s  %3zu\n", name, sim_number_text(mean, dec, mean_text), ci, eff,
            share_width(pd), share, m);
}

static void dfile_close(dfile *d)
{
    if (d->f > 0) H5Fclose(d->f);
    free(d->draws);
    d->f = H5I_INVALID_HID;
    d->draws = NULL;
}

static int same_draws(const dfile *b, const dfile *a)
{
    return b->dims[0] == a->dims[0] && b->dims[1] == a->dims[1]
        && !memcmp(b->draws, a->draws, (size_t)(b->dims[0] * b->dims[1]) * sizeof *b->draws);
}

static void print_section(FILE *o, const dfile *b, const dfile *a, const char *bp, const char *ap)
{
    size_t n = (size_t)b->dims[0];
    double *vb = malloc(n * sizeof *vb), *va = malloc(n * sizeof *va), *w = malloc(n * sizeof *w);
    fprintf(o, "\nparameter uncertainty: %s vs %s, %zu replication%s, each with its own draw of %llu parameter%s\n", ap, bp,
            n, n == 1 ? "" : "s", (unsigned long long)b->dims[1], b->dims[1] == 1 ? "" : "s");
    /* one number of decimals for every row's shares, so that the columns stay aligned */
    int dec = 1, pd = 2;
    double shares[3];
    for (size_t i = 0; vb && va && w && i < SIM_ARRAY_LEN(headline); i++)
        if (read_summary_field(b->f, headline[i].name, vb, &dec) == 0 && read_summary_field(a->f, headline[i].name, va, &dec) == 0
            && better_shares(headline[i].better, vb, va, n, w, shares) > 0) {
            int need = sim_share_decimals(2, shares, 3);
            pd = need > pd ? need : pd;
        }
    fprintf(o, "  %-22s %12s  %-26s  %-31s  %-*s  %3s\n", "metric", "mean diff", "95% CI of the mean",
            "a draw's effect, coverage", share_width(pd), "P(ALT better) [CI]", "n");
    for (size_t i = 0; vb && va && w && i < SIM_ARRAY_LEN(headline); i++)
        if (read_summary_field(b->f, headline[i].name, vb, &dec) == 0 && read_summary_field(a->f, headline[i].name, va, &dec) == 0)
            print_metric(o, headline[i].name, headline[i].better, dec, pd, vb, va, n, w);
    fprintf(o, "  (a draw's effect: the interval between order statistics of the differences that holds the effect of\n"
               "   a new draw of chance and parameters with the coverage shown, 95%% from 39 replications on;\n"
               "   P(ALT better): the share of replications, each a draw of chance and parameters, where ALT is better:\n"
               "   higher for placements, lower for costs, benefit months and caseload; [CI]: its 95%% Clopper-Pearson\n"
               "   interval. The draws come from the scenario's uncertainty list: ");
    if (b->calibrated) {
        unsigned long long assumed = (unsigned long long)b->dims[1] - b->calibrated;
        fprintf(o, "%llu assumed range%s set beforehand and\n   %zu calibrated parameter%s with the spread the fit to Dutch "
                   "history gives, drawn jointly (docs/calibration.md))\n", assumed, assumed == 1 ? "" : "s", b->calibrated,
                b->calibrated == 1 ? "" : "s");
    } else {
        fprintf(o, "ranges set beforehand, not fitted to\n   history; no calibrated parameter is drawn)\n");
    }
    free(vb); free(va); free(w);
}

/* Open and read both files' draws; 0, or -1 after a message (files closed then). */
static int open_pair(dfile *b, dfile *a, const char *base, const char *alt)
{
    b->f = H5Fopen(base, H5F_ACC_RDONLY, H5P_DEFAULT);
    a->f = H5Fopen(alt, H5F_ACC_RDONLY, H5P_DEFAULT);
    const char *bad = b->f < 0 || read_draws(b) != 0 ? base : a->f < 0 || read_draws(a) != 0 ? alt : NULL;
    if (!bad) return 0;
    sim_log_error("%s: cannot read /parameter_draws", bad);
    dfile_close(b);
    dfile_close(a);
    return -1;
}

/* 0 when b and a can be paired over their parameters; -1 after a message naming alt. */
static int pairable(const dfile *b, const dfile *a, const char *base, const char *alt)
{
    if (!b->dims[0] && !a->dims[0]) return 0;
    if (!b->dims[0] || !a->dims[0]) {
        sim_log_error("%s: ran %s parameter draws and %s %s (sim run --draw-parameters), so replication r would differ in "
                      "its parameters as well as its policy; run both with --draw-parameters or both without", alt,
                      a->dims[0] ? "with" : "without", base, b->dims[0] ? "with them" : "without");
        return -1;
    }
    if (!same_draws(b, a)) {
        sim_log_error("%s: its parameter draws differ from %s's (the same seed, replications and uncertainty list are needed "
                      "for replication r to draw the same set in both)", alt, base);
        return -1;
    }
    return 0;
}

int sim_compare_draws_check(const char *base, const char *alt)
{
    dfile b = {0}, a = {0};
    if (open_pair(&b, &a, base, alt) != 0) return -1;
    int rc = pairable(&b, &a, base, alt);
    dfile_close(&b);
    dfile_close(&a);
    return rc;
}

int sim_compare_draws(FILE *o, const char *base, const char *alt)
{
    dfile b = {0}, a = {0};
    if (open_pair(&b, &a, base, alt) != 0) return -1;
    int rc = pairable(&b, &a, base, alt);
    if (rc == 0 && b.dims[0]) print_section(o, &b, &a, base, alt);
    dfile_close(&b);
    dfile_close(&a);
    return rc;
}
