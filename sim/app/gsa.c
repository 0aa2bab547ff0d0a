/* gsa.c: Morris and Saltelli designs and the sensitivity estimators (gsa.h).
 * Invariant: every design point lies in [0, 1]^k; the estimators read a design
 * back only through its block structure, never through stored metadata. */
#include "gsa.h"

#include <gsl/gsl_math.h>
#include <gsl/gsl_qrng.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ======================================================== Morris design == */

double sim_gsa_morris_delta(int levels) { return (double)levels / (2.0 * (double)(levels - 1)); }

/* One trajectory (k + 1 rows of k levels in 0..levels-1) into lv. */
static void one_trajectory(gsl_rng *rng, size_t k, int levels, size_t *order, int *lv)
{
    int half = levels / 2;   /* delta in level steps */
    for (size_t j = 0; j < k; j++) {
        lv[j] = (int)gsl_rng_uniform_int(rng, (unsigned long)levels);
        order[j] = j;
    }
    gsl_ran_shuffle(rng, order, k, sizeof *order);
    for (size_t i = 0; i < k; i++) {
        memcpy(lv + (i + 1) * k, lv + i * k, k * sizeof *lv);
        size_t j = order[i];
        int *x = &lv[(i + 1) * k + j];
        *x += *x + half <= levels - 1 ? half : -half;
    }
}

/* Summed Euclidean distance between the points of trajectories a and b. */
static double spread(const double *a, const double *b, size_t k)
{
    double sum = 0.0;
    for (size_t p = 0; p <= k; p++)
        for (size_t q = 0; q <= k; q++) {
            double d2 = 0.0;
            for (size_t j = 0; j < k; j++) {
                double d = a[p * k + j] - b[q * k + j];
                d2 += d * d;
            }
            sum += sqrt(d2);
        }
    return sum;
}

/* Keep the r of m trajectories that are most spread out (Campolongo's criterion,
 * the sum of squared trajectory distances): drop, one at a time, the trajectory
 * whose squared distances to those still kept sum to the least. */
static void select_spread(size_t m, size_t r, const double *dist, char *keep)
{
    memset(keep, 1, m);
    for (size_t left = m; left > r; left--) {
        size_t worst = 0;
        double low = INFINITY;
        for (size_t a = 0; a < m; a++) {
            if (!keep[a]) continue;
            double s = 0.0;
            for (size_t b = 0; b < m; b++) s += keep[b] && b != a ? dist[a * m + b] * dist[a * m + b] : 0.0;
            if (s < low) { low = s; worst = a; }
        }
        keep[worst] = 0;
    }
}

int sim_gsa_morris_design(gsl_rng *rng, size_t k, size_t r, int levels, size_t candidates, double *out)
{
    size_t m = candidates < r ? r : candidates, rows = (k + 1) * k;
    int *lv = malloc(rows * sizeof *lv);
    size_t *order = malloc(k * sizeof *order);
    double *cand = malloc(m * rows * sizeof *cand), *dist = calloc(m * m, sizeof *dist);
    char *keep = malloc(m);
    int rc = lv && order && cand && dist && keep ? 0 : -1;
    /* Distinct candidates where the grid has enough of them (a small grid may not). */
    for (size_t t = 0, tries = 0; rc == 0 && t < m; tries++) {
        one_trajectory(rng, k, levels, order, lv);
        double *c = cand + t * rows;
        for (size_t i = 0; i < rows; i++) c[i] = (double)lv[i] / (double)(levels - 1);
        int seen = 0;
        for (size_t o = 0; o < t && !seen && tries < 50 * m; o++) seen = !memcmp(cand + o * rows, c, rows * sizeof *c);
        t += !seen;
    }
    for (size_t a = 0; rc == 0 && m > r && a < m; a++)
        for (size_t b = a + 1; b < m; b++) dist[a * m + b] = dist[b * m + a] = spread(cand + a * rows, cand + b * rows, k);
    if (rc == 0) select_spread(m, r, dist, keep);
    for (size_t t = 0, n = 0; rc == 0 && t < m; t++)
        if (keep[t]) memcpy(out + n++ * rows, cand + t * rows, rows * sizeof *out);
    free(lv); free(order); free(cand); free(dist); free(keep);
    return rc;
}

/* ====================================================== Saltelli design == */

int sim_gsa_saltelli_design(size_t k, size_t n, double *out)
{
    if (k < 1 || k > SIM_GSA_SOBOL_MAX_K) return -1;
    gsl_qrng *q = gsl_qrng_alloc(gsl_qrng_sobol, (unsigned)(2 * k));
    double *x = malloc(2 * k * sizeof *x);
    if (!q || !x) { free(x); if (q) gsl_qrng_free(q); return -1; }
    gsl_qrng_get(q, x);   /* the first point is the origin: skipped */
    for (size_t i = 0; i < n; i++) {
        gsl_qrng_get(q, x);
        memcpy(out + i * k, x, k * sizeof *x);                     /* A */
        memcpy(out + (n + i) * k, x + k, k * sizeof *x);           /* B */
        for (size_t b = 0; b < k; b++) {                            /* A_B^b */
            double *row = out + ((2 + b) * n + i) * k;
            memcpy(row, x, k * sizeof *x);
            row[b] = x[k + b];
        }
    }
    free(x);
    gsl_qrng_free(q);
    return 0;
}

/* ================================================================ helpers == */

/* The percentile interval of v[0..n) at level conf (v is sorted in place). */
static void interval(double *v, size_t n, double conf, double *lo, double *hi)
{
    if (n == 0) { *lo = *hi = NAN; return; }
    gsl_sort(v, 1, n);
    *lo = gsl_stats_quantile_from_sorted_data(v, 1, n, (1.0 - conf) / 2.0);
    *hi = gsl_stats_quantile_from_sorted_data(v, 1, n, 1.0 - (1.0 - conf) / 2.0);
}

/* ================================================================= Morris == */

/* The elementary effects ee[r][k] of a Morris design; -1 if a step is not a
 * one-factor move or a factor does not move exactly once per trajectory. */
static int elementary_effects(size_t k, size_t r, const double *u, const double *y, double *ee)
{
    for (size_t t = 0; t < r; t++) {
        for (size_t j = 0; j < k; j++) ee[t * k + j] = INFINITY;   /* not yet seen */
        for (size_t i = 0; i < k; i++) {
            const double *a = u + (t * (k + 1) + i) * k, *b = a + k;
            size_t moved = k, nmoved = 0;
            for (size_t j = 0; j < k; j++)
                if (fabs(b[j] - a[j]) > 1e-12) { moved = j; nmoved++; }
            if (nmoved != 1 || !isinf(ee[t * k + moved])) return -1;
            size_t row = t * (k + 1) + i;
            ee[t * k + moved] = (y[row + 1] - y[row]) / (b[moved] - a[moved]);
        }
    }
    return 0;
}

/* mu* of factor j over the trajectories pick[0..r) (NaN effects left out). */
static double mu_star_of(const double *ee, size_t k, size_t j, const size_t *pick, size_t r)
{
    double s = 0.0;
    size_t n = 0;
    for (size_t t = 0; t < r; t++) {
        double e = ee[pick[t] * k + j];
        if (!isnan(e)) { s += fabs(e); n++; }
    }
    return n ? s / (double)n : NAN;
}

static void morris_point(const double *ee, size_t k, size_t r, size_t j, double *tmp, const sim_gsa_morris_out *o)
{
    size_t n = 0;
    double abs_sum = 0.0;
    for (size_t t = 0; t < r; t++)
        if (!isnan(ee[t * k + j])) { tmp[n++] = ee[t * k + j]; abs_sum += fabs(ee[t * k + j]); }
    o->mu[j] = n ? gsl_stats_mean(tmp, 1, n) : NAN;
    o->mu_star[j] = n ? abs_sum / (double)n : NAN;
    o->sigma[j] = n > 1 ? gsl_stats_sd(tmp, 1, n) : NAN;
}

int sim_gsa_morris(size_t k, size_t r, const double *u, const double *y, gsl_rng *rng, int nboot,
                   double conf, const sim_gsa_morris_out *out)
{
    double *ee = malloc(r * k * sizeof *ee), *tmp = malloc((r + (size_t)nboot) * sizeof *tmp);
    size_t *pick = malloc(r * sizeof *pick);
    int rc = ee && tmp && pick ? elementary_effects(k, r, u, y, ee) : -1;
    for (size_t j = 0; rc == 0 && j < k; j++) morris_point(ee, k, r, j, tmp, out);
    double *boot = nboot > 0 && rc == 0 ? malloc((size_t)nboot * k * sizeof *boot) : NULL;
    for (int b = 0; boot && b < nboot; b++) {
        for (size_t t = 0; t < r; t++) pick[t] = (size_t)gsl_rng_uniform_int(rng, (unsigned long)r);
        for (size_t j = 0; j < k; j++) boot[j * (size_t)nboot + (size_t)b] = mu_star_of(ee, k, j, pick, r);
    }
    for (size_t j = 0; rc == 0 && j < k; j++) {
        if (!boot) { out->mu_star_lo[j] = out->mu_star_hi[j] = NAN; continue; }
        size_t n = 0;
        for (int b = 0; b < nboot; b++)
            if (!isnan(boot[j * (size_t)nboot + (size_t)b])) tmp[n++] = boot[j * (size_t)nboot + (size_t)b];
        interval(tmp, n, conf, &out->mu_star_lo[j], &out->mu_star_hi[j]);
    }
    free(boot); free(ee); free(tmp); free(pick);
    return rc;
}

/* ================================================================== Sobol == */

/* S1 (Saltelli et al. 2010, on outputs centred by the mean of f(A) and f(B), as
 * SALib does: uncentred, its error grows with the output's mean over its spread) and
 * ST (Jansen 1999) of every factor from the base rows rows[0..m) of y. -1 when the
 * variance is zero or undefined. */
static int sobol_from(size_t k, size_t n, const double *y, const size_t *rows, size_t m, double *ab,
                      double *s1, double *st)
{
    for (size_t i = 0; i < m; i++) {
        ab[i] = y[rows[i]];
        ab[m + i] = y[n + rows[i]];
    }
    double mu = gsl_stats_mean(ab, 1, 2 * m);
    double v = gsl_stats_variance_m(ab, 1, 2 * m, mu);
    if (!(v > 0.0)) return -1;
    for (size_t b = 0; b < k; b++) {
        double first = 0.0, total = 0.0;
        for (size_t i = 0; i < m; i++) {
            double fa = y[rows[i]], fb = y[n + rows[i]], fab = y[(2 + b) * n + rows[i]];
            first += (fb - mu) * (fab - fa);   /* centred: S1 does not move when a constant is added to y */
            total += (fa - fab) * (fa - fab);
        }
        s1[b] = first / (double)m / v;
        st[b] = total / (2.0 * (double)m) / v;
    }
    return 0;
}

/* The base rows whose k + 2 outputs are all defined. */
static size_t usable_rows(size_t k, size_t n, const double *y, size_t *rows)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        int ok = 1;
        for (size_t b = 0; b < k + 2 && ok; b++) ok = !isnan(y[b * n + i]);
        if (ok) rows[m++] = i;
    }
    return m;
}

int sim_gsa_sobol(size_t k, size_t n, const double *y, gsl_rng *rng, int nboot, double conf,
                  const sim_gsa_sobol_out *out)
{
    size_t nb = nboot > 0 ? (size_t)nboot : 0;
    size_t *rows = malloc(n * sizeof *rows), *pick = malloc(n * sizeof *pick);
    double *ab = malloc(2 * n * sizeof *ab), *bs1 = malloc((nb * k + 1) * sizeof *bs1), *bst = malloc((nb * k + 1) * sizeof *bst);
    double *s1 = malloc(k * sizeof *s1), *st = malloc(k * sizeof *st);
    int rc = rows && pick && ab && bs1 && bst && s1 && st ? 0 : -1;
    size_t m = rc == 0 ? usable_rows(k, n, y, rows) : 0;
    if (rc == 0 && (m < 2 || sobol_from(k, n, y, rows, m, ab, out->s1, out->st) != 0)) rc = -1;
    size_t got = 0;   /* bootstrap resamples with a defined variance */
    for (size_t b = 0; rc == 0 && b < nb; b++) {
        for (size_t i = 0; i < m; i++) pick[i] = rows[gsl_rng_uniform_int(rng, (unsigned long)m)];
        if (sobol_from(k, n, y, pick, m, ab, s1, st) != 0) continue;
        for (size_t j = 0; j < k; j++) { bs1[j * nb + got] = s1[j]; bst[j * nb + got] = st[j]; }
        got++;
    }
    for (size_t j = 0; rc == 0 && j < k; j++) {
        interval(bs1 + j * nb, got, conf, &out->s1_lo[j], &out->s1_hi[j]);
        interval(bst + j * nb, got, conf, &out->st_lo[j], &out->st_hi[j]);
    }
    free(rows); free(pick); free(ab); free(bs1); free(bst); free(s1); free(st);
    return rc;
}

/* ================================================================ noise == */

/* Noise variance of mean(v[p2]) - mean(v[p1]) over reps replications: the
 * variance of the per-replication differences (defined in both) over their
 * number *m; NaN below 2. */
static double pair_noise(const double *v, size_t reps, size_t p1, size_t p2, size_t *used)
{
    double s = 0.0, ss = 0.0;
    size_t m = 0;
    for (size_t q = 0; q < reps; q++) {
        double d = v[p2 * reps + q] - v[p1 * reps + q];
        if (isnan(d)) continue;
        s += d;
        ss += d * d;
        m++;
    }
    *used = m;
    if (m < 2) return NAN;
    double mean = s / (double)m, var = (ss - (double)m * mean * mean) / (double)(m - 1);
    return (var > 0.0 ? var : 0.0) / (double)m;
}

/* E[s] / sigma for a sample standard deviation s of m normal values (c4): the
 * mean of sd estimates from a few replications is low by this factor. */
static double c4(size_t m)
{
    double n = (double)m;
    return sqrt(2.0 / (n - 1.0)) * exp(gsl_sf_lngamma(n / 2.0) - gsl_sf_lngamma((n - 1.0) / 2.0));
}

void sim_gsa_morris_noise(size_t k, size_t r, const double *u, const double *v, size_t reps, double *noise)
{
    size_t *cnt = calloc(k ? k : 1, sizeof *cnt);
    for (size_t j = 0; j < k; j++) noise[j] = 0.0;
    for (size_t t = 0; cnt && t < r; t++)
        for (size_t i = 0; i < k; i++) {
            size_t row = t * (k + 1) + i, moved = k, m;
            const double *a = u + row * k, *b = a + k;
            for (size_t j = 0; j < k; j++)
                if (fabs(b[j] - a[j]) > 1e-12) moved = j;   /* one factor moves per step */
            double var = pair_noise(v, reps, row, row + 1, &m);
            if (moved == k || isnan(var)) continue;
            noise[moved] += sqrt(2.0 / M_PI) * sqrt(var) / c4(m) / fabs(b[moved] - a[moved]);
            cnt[moved]++;
        }
    for (size_t j = 0; j < k; j++) noise[j] = cnt && cnt[j] ? noise[j] / (double)cnt[j] : NAN;
    free(cnt);
}

void sim_gsa_sobol_noise(size_t k, size_t n, const double *v, size_t reps, double *noise)
{
    double *ab = malloc(2 * n * sizeof *ab);
    size_t m = 0;
    for (size_t i = 0; ab && i < n; i++)   /* the point means of A and B, as sim_gsa_sobol sees them */
        for (size_t blk = 0; blk < 2; blk++) {
            double s = 0.0;
            size_t c = 0;
            for (size_t q = 0; q < reps; q++)
                if (!isnan(v[(blk * n + i) * reps + q])) { s += v[(blk * n + i) * reps + q]; c++; }
            if (c) ab[m++] = s / (double)c;
        }
    double vy = ab && m >= 2 ? gsl_stats_variance(ab, 1, m) : NAN;
    free(ab);
    for (size_t b = 0; b < k; b++) {
        double acc = 0.0;
        size_t cnt = 0, used;
        for (size_t i = 0; i < n; i++) {
            double var = pair_noise(v, reps, i, (2 + b) * n + i, &used);
            if (!isnan(var)) { acc += var; cnt++; }
        }
        noise[b] = cnt && vy > 0.0 ? acc / (double)cnt / (2.0 * vy) : NAN;
    }
}
