/* fit_uncertainty.h: how well a calibration's targets pin its parameters down,
 * from the Jacobian of the targets at the fitted point (`sim calibrate
 * --uncertainty`, docs/calibration.md "How well the history pins the
 * parameters down").
 *
 * The statistical model behind it: target i is the model's value plus an
 * independent normal error, y_i = m_i(theta) + e_i, e_i ~ N(0, s2 tol_i^2), so
 * the calibration's objective is a log-likelihood and its minimum the maximum-
 * likelihood point. Linearised there (Gauss-Newton / Laplace), with G_ij =
 * (dm_i/dtheta_j) / tol_i over the in-sample targets and the bounds entered as a
 * weak prior (each parameter normal with the sd of a uniform over its bounds,
 * (upper - lower) / sqrt(12)), the parameters' covariance is
 *
 *     Sigma = (G'G / s2 + P)^-1,   P = diag(1 / prior_sd^2),
 *
 * with s2 = max(1, RSS / (n - p)) when there are more in-sample targets n than
 * parameters p (a misfit larger than the tolerances allow widens the intervals;
 * a smaller one never narrows them) and 1 otherwise. The prior keeps Sigma finite
 * where the targets say nothing about a direction: there it falls back to the
 * bounds. Each target's model value then varies with sd sqrt(J_i Sigma J_i')
 * (the delta method), in and out of sample. Local and linear: valid as far as
 * the targets move linearly over the parameters' intervals. */
#ifndef SIM_FIT_UNCERTAINTY_H
#define SIM_FIT_UNCERTAINTY_H

typedef struct sim_fit_problem {
    int           npar, ntg;
    const double *jac;        /* [ntg][npar]: d(model value of target i) / d(parameter j), own units */
    const double *tol;        /* [ntg]: tolerances (> 0) */
    const int    *fit;        /* [ntg]: 1 = in sample */
    const double *prior_sd;   /* [npar]: the bounds' sd; NULL = no prior (Sigma may not exist) */
    double        rss;        /* sum of squared standardised misses over the in-sample targets */
    const double *jac_se;     /* [ntg][npar]: standard errors of the Jacobian's entries (simulation
                               * noise); NULL = not known */
} sim_fit_problem;

/* Results; the caller provides the arrays. */
typedef struct sim_fit_uncertainty {
    double  s2;               /* the variance factor used (>= 1) */
    double *cov;              /* [npar][npar] */
    double *se;               /* [npar]: standard errors, sqrt(diag Sigma) */
    double *corr;             /* [npar][npar]: correlations (1 on the diagonal) */
    double *identified;       /* [npar]: 1 - Sigma_jj / prior_sd_j^2, the share of the bounds' variance the
                               * targets remove (0: they say nothing; near 1: pinned down); NAN without a prior */
    double *target_sd;        /* [ntg]: sd of each target's model value from the parameters */
    double *noise_share;      /* [npar] or NULL: the part of parameter j's information from the
                               * targets, sum_i (J_ij / tol_i)^2 over the in-sample ones, that the
                               * Jacobian's noise alone would give on average, sum_i (se_ij / tol_i)^2
                               * over the same sum (near 0: a measured sensitivity; near or above 1:
                               * the apparent identification is noise). NAN without jac_se */
} sim_fit_uncertainty;

/* Fill u from p. 0; -1 when the precision matrix is not positive definite (only
 * possible without a prior: a direction no target moves); -2 out of memory. */
int sim_fit_uncertainty_compute(const sim_fit_problem *p, sim_fit_uncertainty *u);

#endif
