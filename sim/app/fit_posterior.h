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
 * It is sampled by adaptive importance sampling in rounds. The first round's
 * proposal is the linearised (Laplace) normal N(at, Sigma), with its spread
 * doubled in half the draws (a "defensive" mixture, Hesterberg 1995, so that
 * the tails the linearisation understates are still reached), truncated to the
 * bounds by rejection. Each later round is centred on the weighted mean so far,
 * with the weighted covariance shrunk toward Sigma by ESS / (ESS + npar) (few
 * effective draws: mostly Sigma). Every draw is run; its weight is likelihood
 * over the deterministic mixture of all rounds' proposals, sum_s (n_s / n)
 * q_s(theta) (the balance heuristic of multiple importance sampling, Veach and
 * Guibas 1995, as in AMIS, Cornuet et al. 2012), normalised to sum 1. The
 * weighted draws then estimate every posterior expectation: the parameters'
 * means, sds, quantiles and correlations, and each target's value under the
 * posterior, in sample and out (the posterior predictive of the model's mean).
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

/* The proposal: mean `at`, lower Cholesky factor `chol` of Sigma (npar x npar),
 * the bounds lo/hi (all borrowed: the caller keeps them alive), and the spread
 * factor of the wide half (> 1; 1 = a plain normal). npar <= SIM_POSTERIOR_MAX_PARAMS:
 * beyond it the draw returns -1 and the densities NAN. */
typedef struct sim_posterior_proposal {
    int               npar;
    const double     *at, *lo, *hi;
    const gsl_matrix *chol;
    double            widen;
} sim_posterior_proposal;

#define SIM_POSTERIOR_MAX_PARAMS 64

/* The spread factor of the proposal's wide half (widen = 1: the plain truncated
 * normal, which `--draws` uses to check the linearisation). */
#define SIM_POSTERIOR_WIDEN 2.0

/* One parameter set from the proposal, inside the bounds, by rejection (at
 * most `tries` draws): a uniform picks the half (only when widen > 1), then
 * npar normals by inversion. 0, or -1 when none fell inside. */
int sim_posterior_draw(const sim_posterior_proposal *q, gsl_rng *r, long tries, double *theta);

/* log of the untruncated mixture density at theta (normalised). The truncated
 * proposal's density is that minus sim_posterior_log_inside. */
double sim_posterior_log_proposal(const sim_posterior_proposal *q, const double *theta);

/* log of the share of the untruncated mixture inside the bounds, estimated
 * from n draws of r (no model runs: cheap), -INFINITY when none fell inside. */
double sim_posterior_log_inside(const sim_posterior_proposal *q, gsl_rng *r, long n);

/* log of the deterministic mixture of nq truncated proposals at theta: round s
 * drew n[s] sets from q[s], whose untruncated mass inside the bounds is
 * exp(log_inside[s]). */
double sim_posterior_log_mixture(const sim_posterior_proposal *q, const int *n, const double *log_inside, int nq,
                                 const double *theta);

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

/* The verdict on weighted draws (docs/calibration.md; scripts/emulator-posterior.py
 * uses the same): not to be used below SIM_POSTERIOR_MIN_ESS effective draws or
 * with one weight above SIM_POSTERIOR_MAX_WEIGHT; with care when the effective
 * draws are below SIM_POSTERIOR_CARE_SHARE of all. */
#define SIM_POSTERIOR_MIN_ESS 20.0
#define SIM_POSTERIOR_MAX_WEIGHT 0.2
#define SIM_POSTERIOR_CARE_SHARE 0.1

/* Fill r from p. 0; -1 when no draw has a finite likelihood; -2 out of memory. */
int sim_posterior_compute(const sim_posterior_problem *p, sim_posterior *r);

/* The next round's covariance [npar][npar]: r's weighted covariance shrunk
 * toward base (the linearised Sigma) by a = ess / (ess + npar): a r + (1 - a)
 * base, positive definite whenever base is. 0; -1 when r has no ESS. */
int sim_posterior_next_cov(const sim_posterior *r, const double *base, int npar, double *cov);

/* The weighted quantile of column `col` of x ([n][stride]) at probability prob:
 * the smallest value whose cumulative weight reaches prob. Exposed for tests. */
double sim_posterior_quantile(const double *x, int stride, int col, const double *w, int n, double prob);

#endif
