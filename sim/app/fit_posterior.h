/* fit_posterior.h: the calibrated parameters' posterior by importance sampling
 * (`sim calibrate --uncertainty --posterior N`, docs/calibration.md "The
 * posterior by simulation").
 *
 * The statistical model is fit_uncertainty.h's: target i is the model's value
 * plus an independent normal error of sd sqrt(s2) tol_i, so the likelihood of a
 * parameter set theta is exp(-RSS(theta) / (2 s2)), RSS the sum of squared
 * standardised misses over the in-sample targets. The prior is uniform on the
 * bounds (what the bounds say: nothing is known inside them). The posterior
 * needs no linearisation:
 *
 *     p(theta | targets)  proportional to  exp(-RSS(theta) / (2 s2))  on the bounds.
 *
 * It is sampled by importance sampling. The proposal q is the linearised
 * (Laplace) normal N(at, Sigma), with its spread doubled in half the draws (a
 * "defensive" mixture, Hesterberg 1995, so that the tails the linearisation
 * understates are still reached), truncated to the bounds by rejection. Every
 * draw is run; its weight is likelihood / q, normalised to sum 1. The weighted
 * draws then estimate every posterior expectation: the parameters' means, sds,
 * quantiles and correlations, and each target's value under the posterior,
 * in sample and out (the posterior predictive of the model's mean).
 *
 * How far to trust it: the effective sample size (Kish, (sum w)^2 / sum w^2)
 * says how many equally weighted draws the weighted ones are worth; a few per
 * cent of the draws, or one draw holding most of the weight, means the proposal
 * missed the posterior, and the estimates are not to be used. The simulation
 * noise of RSS (the replications' spread) enters the weights as well: its sd
 * in log-weight units is reported per draw. */
#ifndef SIM_FIT_POSTERIOR_H
#define SIM_FIT_POSTERIOR_H

#include <gsl/gsl_matrix.h>
#include <gsl/gsl_rng.h>

/* The proposal: mean `at`, lower Cholesky factor `chol` of Sigma (npar x npar,
 * borrowed), the bounds lo/hi, and the spread factor of the wide half (> 1). */
typedef struct sim_posterior_proposal {
    int               npar;
    const double     *at, *lo, *hi;
    const gsl_matrix *chol;
    double            widen;
} sim_posterior_proposal;

/* The spread factor of the proposal's wide half (widen = 1: the plain truncated
 * normal, which `--draws` uses to check the linearisation). */
#define SIM_POSTERIOR_WIDEN 2.0

/* One parameter set from the proposal, inside the bounds, by rejection (at
 * most `tries` draws): a uniform picks the half (only when widen > 1), then
 * npar normals by inversion. 0, or -1 when none fell inside. */
int sim_posterior_draw(const sim_posterior_proposal *q, gsl_rng *r, long tries, double *theta);

/* log q(theta) up to a constant common to all draws (the truncation's). */
double sim_posterior_log_proposal(const sim_posterior_proposal *q, const double *theta);

/* The draws and what the model gave there. */
typedef struct sim_posterior_problem {
    int           npar, ntg, ndraw;
    const double *x;          /* [ndraw][npar]: the parameter sets */
    const double *t;          /* [ndraw][ntg]: the model's mean of every target there (NAN: undefined) */
    const double *log_q;      /* [ndraw]: sim_posterior_log_proposal of each */
    const double *value, *tol;/* [ntg]: the targets */
    const int    *fit;        /* [ntg]: 1 = in sample (enters the likelihood) */
    double        s2;         /* the variance factor (fit_uncertainty.h) */
} sim_posterior_problem;

/* Results; the caller provides the arrays. */
typedef struct sim_posterior {
    double *log_lik;          /* [ndraw]: -RSS / (2 s2); -INFINITY where an in-sample target is undefined */
    double *w;                /* [ndraw]: normalised weights (sum 1) */
    double  ess;              /* effective sample size, (sum w)^2 / sum w^2 */
    double  max_w;            /* the largest weight */
    double *mean, *sd;        /* [npar] */
    double *q025, *q500, *q975;   /* [npar]: weighted quantiles */
    double *corr;             /* [npar][npar] */
    double *t_mean, *t_sd;    /* [ntg]: the model's value under the posterior (over the defined draws) */
} sim_posterior;

/* Fill r from p. 0; -1 when no draw has a finite likelihood; -2 out of memory. */
int sim_posterior_compute(const sim_posterior_problem *p, sim_posterior *r);

/* The weighted quantile of column `col` of x ([n][stride]) at probability prob:
 * the smallest value whose cumulative weight reaches prob. Exposed for tests. */
double sim_posterior_quantile(const double *x, int stride, int col, const double *w, int n, double prob);

#endif
