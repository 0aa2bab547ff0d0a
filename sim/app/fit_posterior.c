/* fit_posterior.c: importance sampling of the calibrated parameters' posterior
 * (fit_posterior.h). */
#include "fit_posterior.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_math.h>
#include <math.h>
#include <stdlib.h>

#define POST_MAX_PARAMS SIM_POSTERIOR_MAX_PARAMS

/* One point of the untruncated proposal into theta: a uniform picks the half
 * (only when widen > 1), then npar normals by inversion through the factor.
 * 1 when it lies inside the bounds (theta is then whole; otherwise it is
 * filled only up to the first coordinate outside). */
static int propose_once(const sim_posterior_proposal *q, gsl_rng *r, double *theta)
{
    double e[POST_MAX_PARAMS];
    int k = q->npar;
    double f = q->widen > 1.0 && gsl_rng_uniform(r) >= 0.5 ? q->widen : 1.0;
    for (int j = 0; j < k; j++) e[j] = gsl_cdf_ugaussian_Pinv(gsl_rng_uniform_pos(r));
    for (int a = 0; a < k; a++) {
        double z = 0.0;
        for (int b = 0; b <= a; b++) z += gsl_matrix_get(q->chol, (size_t)a, (size_t)b) * e[b];
        theta[a] = q->at[a] + f * z;
        if (theta[a] < q->lo[a] || theta[a] > q->hi[a]) return 0;
    }
    return 1;
}

int sim_posterior_draw(const sim_posterior_proposal *q, gsl_rng *r, long tries, double *theta)
{
    if (q->npar > POST_MAX_PARAMS) return -1;
    for (long t = 0; t < tries; t++)
        if (propose_once(q, r, theta)) return 0;
    return -1;
}

/* log(exp(a) + exp(b)) without overflow. */
static double log_add(double a, double b)
{
    double m = a > b ? a : b;
    if (m == -INFINITY) return m;
    return m + log(exp(a - m) + exp(b - m));
}

double sim_posterior_log_proposal(const sim_posterior_proposal *q, const double *theta)
{
    if (q->npar > POST_MAX_PARAMS) return NAN;
    /* z = L^-1 (theta - at) by forward substitution; the mixture's halves share
     * it: |z|^2 / f^2 and the normalisation's f^-k; both share L's det. */
    double z[POST_MAX_PARAMS], zz = 0.0, log_det = 0.0;
    int k = q->npar;
    for (int a = 0; a < k; a++) {
        double s = theta[a] - q->at[a], l = gsl_matrix_get(q->chol, (size_t)a, (size_t)a);
        for (int b = 0; b < a; b++) s -= gsl_matrix_get(q->chol, (size_t)a, (size_t)b) * z[b];
        z[a] = s / l;
        zz += z[a] * z[a];
        log_det += log(l);
    }
    double f = q->widen;
    double narrow = log(0.5) - 0.5 * zz, wide = log(0.5) - 0.5 * zz / (f * f) - (double)k * log(f);
    return log_add(narrow, wide) - log_det - 0.5 * (double)k * log(2.0 * M_PI);
}

double sim_posterior_log_inside(const sim_posterior_proposal *q, gsl_rng *r, long n)
{
    double theta[POST_MAX_PARAMS];
    long in = 0;
    if (q->npar > POST_MAX_PARAMS || n < 1) return NAN;
    for (long t = 0; t < n; t++) in += propose_once(q, r, theta);
    return in ? log((double)in / (double)n) : -INFINITY;
}

double sim_posterior_log_mixture(const sim_posterior_proposal *q, const int *n, const double *log_inside, int nq,
                                 const double *theta)
{
    double total = 0.0, lm = -INFINITY;
    for (int s = 0; s < nq; s++) total += n[s];
    for (int s = 0; s < nq; s++)
        if (n[s] > 0) lm = log_add(lm, log(n[s] / total) + sim_posterior_log_proposal(&q[s], theta) - log_inside[s]);
    return lm;
}

int sim_posterior_next_cov(const sim_posterior *r, const double *base, int npar, double *cov)
{
    double a = r->ess / (r->ess + (double)npar);
    if (!isfinite(a)) return -1;
    for (int i = 0; i < npar; i++)
        for (int j = 0; j < npar; j++) {
            double c = r->corr[i * npar + j] * r->sd[i] * r->sd[j];
            cov[i * npar + j] = a * c + (1.0 - a) * base[i * npar + j];
        }
    return 0;
}

typedef struct {
    double v, w;
} vw;

static int by_value(const void *a, const void *b)
{
    double x = ((const vw *)a)->v, y = ((const vw *)b)->v;
    return (x > y) - (x < y);
}

/* The weighted quantile with a caller's buffer s of n entries. */
static double quantile_in(vw *s, const double *x, int stride, int col, const double *w, int n, double prob)
{
    int m = 0;
    double total = 0.0;
    for (int i = 0; i < n; i++) {
        double v = x[(size_t)i * (size_t)stride + (size_t)col];
        if (w[i] > 0.0 && isfinite(v)) s[m].v = v, s[m].w = w[i], total += w[i], m++;
    }
    qsort(s, (size_t)m, sizeof *s, by_value);
    double c = 0.0;
    for (int i = 0; i < m; i++) {
        c += s[i].w;
        if (c >= prob * total * (1.0 - 1e-12)) return s[i].v;
    }
    return m ? s[m - 1].v : NAN;
}

double sim_posterior_quantile(const double *x, int stride, int col, const double *w, int n, double prob)
{
    vw *s = malloc((size_t)(n > 0 ? n : 1) * sizeof *s);
    if (!s) return NAN;
    double q = quantile_in(s, x, stride, col, w, n, prob);
    free(s);
    return q;
}

/* -RSS / (2 s2) of draw d over the in-sample targets; -INFINITY if one is undefined. */
static double log_likelihood(const sim_posterior_problem *p, int d)
{
    double rss = 0.0;
    for (int i = 0; i < p->ntg; i++) {
        if (!p->fit[i]) continue;
        double z = (p->t[(size_t)d * (size_t)p->ntg + (size_t)i] - p->value[i]) / p->tol[i];
        if (!isfinite(z)) return -INFINITY;
        rss += z * z;
    }
    return -0.5 * rss / p->s2;
}

/* Normalised weights from log-likelihood minus log-proposal (the prior is flat
 * on the bounds, where every draw lies). -1 when no weight is positive. */
static int weights(const sim_posterior_problem *p, sim_posterior *r)
{
    double top = -INFINITY;
    for (int d = 0; d < p->ndraw; d++) {
        r->log_lik[d] = log_likelihood(p, d);
        double lw = r->log_lik[d] - p->log_q[d];
        r->w[d] = lw;
        if (lw > top) top = lw;
    }
    if (!isfinite(top)) return -1;
    double sum = 0.0;
    for (int d = 0; d < p->ndraw; d++) sum += r->w[d] = exp(r->w[d] - top);   /* exp(-inf) = 0 */
    double sq = 0.0;
    r->max_w = 0.0;
    for (int d = 0; d < p->ndraw; d++) {
        r->w[d] /= sum;
        sq += r->w[d] * r->w[d];
        if (r->w[d] > r->max_w) r->max_w = r->w[d];
    }
    r->ess = 1.0 / sq;
    return 0;
}

/* Weighted mean and sd of column col of x ([n][stride]) over the finite entries,
 * the weights renormalised over them. */
static void moments(const double *x, int stride, int col, const double *w, int n, double *mean, double *sd)
{
    double sw = 0.0, m = 0.0;
    for (int i = 0; i < n; i++) {
        double v = x[(size_t)i * (size_t)stride + (size_t)col];
        if (w[i] > 0.0 && isfinite(v)) sw += w[i], m += w[i] * v;
    }
    if (sw <= 0.0) { *mean = *sd = NAN; return; }
    m /= sw;
    double var = 0.0;
    for (int i = 0; i < n; i++) {
        double v = x[(size_t)i * (size_t)stride + (size_t)col];
        if (w[i] > 0.0 && isfinite(v)) var += w[i] * (v - m) * (v - m);
    }
    *mean = m;
    *sd = sqrt(var / sw);
}

int sim_posterior_compute(const sim_posterior_problem *p, sim_posterior *r)
{
    if (weights(p, r) != 0) return -1;
    int k = p->npar, n = p->ndraw;
    vw *buf = malloc((size_t)(n > 0 ? n : 1) * sizeof *buf);
    if (!buf) return -2;
    for (int j = 0; j < k; j++) {
        moments(p->x, k, j, r->w, n, &r->mean[j], &r->sd[j]);
        r->q025[j] = quantile_in(buf, p->x, k, j, r->w, n, 0.025);
        r->q500[j] = quantile_in(buf, p->x, k, j, r->w, n, 0.5);
        r->q975[j] = quantile_in(buf, p->x, k, j, r->w, n, 0.975);
    }
    free(buf);
    for (int a = 0; a < k; a++)
        for (int b = 0; b < k; b++) {
            double c = 0.0;
            for (int d = 0; d < n; d++)
                c += r->w[d] * (p->x[(size_t)d * (size_t)k + (size_t)a] - r->mean[a]) * (p->x[(size_t)d * (size_t)k + (size_t)b] - r->mean[b]);
            double den = r->sd[a] * r->sd[b];
            r->corr[a * k + b] = a == b ? 1.0 : den > 0.0 ? c / den : 0.0;
        }
    for (int i = 0; i < p->ntg; i++) moments(p->t, p->ntg, i, r->w, n, &r->t_mean[i], &r->t_sd[i]);
    return 0;
}
