/* fit_uncertainty.c: the linearised covariance of fitted parameters
 * (fit_uncertainty.h): precision G'G / s2 + P, inverted by Cholesky (GSL). */
#include "fit_uncertainty.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <math.h>
#include <stdlib.h>

/* s2 = max(1, RSS / (n - p)) with n in-sample targets, or 1 when n <= p. */
static double variance_factor(const sim_fit_problem *p)
{
    int n = 0;
    for (int i = 0; i < p->ntg; i++) n += p->fit[i] != 0;
    double s2 = n > p->npar ? p->rss / (double)(n - p->npar) : 1.0;
    return s2 > 1.0 ? s2 : 1.0;
}

/* A = G'G / s2 + P over the in-sample targets, G_ij = jac_ij / tol_i. */
static void precision(const sim_fit_problem *p, double s2, gsl_matrix *a)
{
    int k = p->npar;
    gsl_matrix_set_zero(a);
    for (int i = 0; i < p->ntg; i++) {
        if (!p->fit[i]) continue;
        const double *g = p->jac + (size_t)i * (size_t)k;
        double w = 1.0 / (p->tol[i] * p->tol[i] * s2);
        for (int r = 0; r < k; r++)
            for (int c = 0; c < k; c++) *gsl_matrix_ptr(a, (size_t)r, (size_t)c) += w * g[r] * g[c];
    }
    for (int j = 0; p->prior_sd && j < k; j++) *gsl_matrix_ptr(a, (size_t)j, (size_t)j) += 1.0 / (p->prior_sd[j] * p->prior_sd[j]);
}

/* Noise share of each parameter's information (fit_uncertainty.h). */
static void noise_shares(const sim_fit_problem *p, sim_fit_uncertainty *u)
{
    int k = p->npar;
    for (int j = 0; u->noise_share && j < k; j++) {
        double info = 0.0, noise = 0.0;
        for (int i = 0; p->jac_se && i < p->ntg; i++) {
            if (!p->fit[i]) continue;
            double g = p->jac[i * k + j] / p->tol[i], e = p->jac_se[i * k + j] / p->tol[i];
            info += g * g;
            noise += isfinite(e) ? e * e : 0.0;
        }
        u->noise_share[j] = p->jac_se && info > 0.0 ? noise / info : NAN;
    }
}

/* From u->cov: standard errors, identified shares, correlations, the targets' sd. */
static void derived(const sim_fit_problem *p, sim_fit_uncertainty *u)
{
    int k = p->npar;
    for (int j = 0; j < k; j++) {
        u->se[j] = sqrt(u->cov[j * k + j]);
        u->identified[j] = p->prior_sd ? 1.0 - u->cov[j * k + j] / (p->prior_sd[j] * p->prior_sd[j]) : NAN;
    }
    for (int r = 0; r < k; r++)
        for (int c = 0; c < k; c++) u->corr[r * k + c] = r == c ? 1.0 : u->cov[r * k + c] / (u->se[r] * u->se[c]);
    for (int i = 0; i < p->ntg; i++) {
        const double *g = p->jac + (size_t)i * (size_t)k;
        double v = 0.0;
        for (int r = 0; r < k; r++)
            for (int c = 0; c < k; c++) v += g[r] * u->cov[r * k + c] * g[c];
        u->target_sd[i] = sqrt(v > 0.0 ? v : 0.0);
    }
    noise_shares(p, u);
}

int sim_fit_uncertainty_compute(const sim_fit_problem *p, sim_fit_uncertainty *u)
{
    size_t k = (size_t)p->npar;
    gsl_matrix *a = gsl_matrix_alloc(k, k);
    if (!a) return -2;
    u->s2 = variance_factor(p);
    precision(p, u->s2, a);
    gsl_error_handler_t *old = gsl_set_error_handler_off();
    int rc = gsl_linalg_cholesky_decomp1(a);
    if (rc == GSL_SUCCESS) rc = gsl_linalg_cholesky_invert(a);
    gsl_set_error_handler(old);
    if (rc == GSL_SUCCESS) {
        for (size_t r = 0; r < k; r++)
            for (size_t c = 0; c < k; c++) u->cov[r * k + c] = gsl_matrix_get(a, r, c);
        derived(p, u);
    }
    gsl_matrix_free(a);
    return rc == GSL_SUCCESS ? 0 : -1;
}
