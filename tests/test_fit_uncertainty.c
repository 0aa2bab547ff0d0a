/* test_fit_uncertainty.c: the linearised covariance of calibrated parameters
 * (sim/app/fit_uncertainty.h) against closed forms: weighted least squares
 * (G'G)^-1, the bounds' prior where a parameter moves no target, the variance
 * factor, the delta method for targets, and refusal of an unidentified problem
 * without a prior. */
#include <math.h>

#include "../sim/app/fit_uncertainty.h"
#include "check.h"

enum { P = 2, T = 4 };

typedef struct {
    double cov[P * P], se[P], corr[P * P], id[P], tsd[T], noise[P];
    sim_fit_uncertainty u;
} result;

static void init(result *r)
{
    r->u = (sim_fit_uncertainty){.cov = r->cov, .se = r->se, .corr = r->corr, .identified = r->id, .target_sd = r->tsd,
                                 .noise_share = r->noise};
}

static int near(double a, double b) { return fabs(a - b) <= 1e-10 * (1.0 + fabs(b)); }

/* Three in-sample targets and one out of sample; no prior: Sigma = (G'G)^-1. */
static void test_least_squares(void)
{
    const double jac[T * P] = {1.0, 0.0, 1.0, 1.0, 0.0, 2.0, 3.0, -1.0};
    const double tol[T] = {1.0, 0.5, 2.0, 1.0};
    const int fit[T] = {1, 1, 1, 0};
    sim_fit_problem p = {P, T, jac, tol, fit, NULL, 0.5, NULL};
    result r;
    init(&r);
    CHECK(sim_fit_uncertainty_compute(&p, &r.u) == 0, "computed");
    /* G'G = sum over fitted rows g g' / tol^2 = [[1 + 4, 4], [4, 4 + 1]] */
    double a = 5.0, b = 4.0, d = 5.0, det = a * d - b * b;
    CHECK(near(r.cov[0], d / det) && near(r.cov[1], -b / det) && near(r.cov[2], -b / det) && near(r.cov[3], a / det),
          "Sigma = (G'G)^-1: [%g %g; %g %g]", r.cov[0], r.cov[1], r.cov[2], r.cov[3]);
    CHECK(r.u.s2 == 1.0, "s2 = 1: RSS 0.5 over 1 degree of freedom is below 1 (got %g)", r.u.s2);
    CHECK(near(r.se[0], sqrt(d / det)) && near(r.corr[1], -b / sqrt(a * d)), "standard error and correlation");
    /* the out-of-sample target 3 x0 - x1: variance 9 S00 - 6 S01 + S11 */
    double v = 9.0 * r.cov[0] - 6.0 * r.cov[1] + r.cov[3];
    CHECK(near(r.tsd[3], sqrt(v)) && near(r.tsd[0], r.se[0]), "delta method: target sd %g, want %g", r.tsd[3], sqrt(v));
    CHECK(isnan(r.id[0]), "no prior: identified share undefined");
    p.rss = 8.0;   /* 3 targets, 2 parameters: s2 = 8 */
    CHECK(sim_fit_uncertainty_compute(&p, &r.u) == 0 && r.u.s2 == 8.0 && near(r.cov[0], 8.0 * d / det),
          "a misfit beyond the tolerances widens Sigma by RSS / (n - p): s2 %g", r.u.s2);
}

/* Parameter 1 moves no target: with the prior its sd is the prior's, and the
 * targets identify none of it; without the prior there is no covariance. */
static void test_unidentified(void)
{
    const double jac[T * P] = {2.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0, 0.0};
    const double tol[T] = {1.0, 1.0, 1.0, 1.0};
    const int fit[T] = {1, 1, 0, 0};
    const double prior[P] = {10.0, 0.3};
    sim_fit_problem p = {P, T, jac, tol, fit, prior, 1.0, NULL};
    result r;
    init(&r);
    CHECK(sim_fit_uncertainty_compute(&p, &r.u) == 0, "computed with the prior");
    CHECK(near(r.se[1], 0.3) && near(r.id[1], 0.0), "unmoved parameter: sd %g = the prior's, identified %g", r.se[1], r.id[1]);
    CHECK(near(r.cov[0], 1.0 / (5.0 + 0.01)) && r.id[0] > 0.99, "moved parameter: precision 5 + 1/100, identified %g", r.id[0]);
    CHECK(r.u.s2 == 1.0, "two targets, two parameters: s2 = 1");
    p.prior_sd = NULL;
    CHECK(sim_fit_uncertainty_compute(&p, &r.u) == -1, "no prior and a direction no target moves: refused");
}

/* The noise share: sum_i (se_ij / tol_i)^2 / sum_i (J_ij / tol_i)^2 over the fitted
 * targets; NAN without standard errors or where no fitted target moves. */
static void test_noise_share(void)
{
    const double jac[T * P] = {1.0, 0.0, 1.0, 0.0, 0.0, 0.0, 9.0, 9.0};
    const double se[T * P] = {0.5, 0.1, 0.0, 0.2, 0.0, 0.0, 9.0, 9.0};
    const double tol[T] = {1.0, 0.5, 1.0, 1.0};
    const int fit[T] = {1, 1, 1, 0};
    const double prior[P] = {1.0, 1.0};
    sim_fit_problem p = {P, T, jac, tol, fit, prior, 1.0, se};
    result r;
    init(&r);
    CHECK(sim_fit_uncertainty_compute(&p, &r.u) == 0, "computed");
    /* parameter 0: noise 0.25 + 0 = 0.25 over information 1 + 4 = 5; the unfitted row does not count */
    CHECK(near(r.noise[0], 0.05), "noise share of parameter 0: %g, want 0.05", r.noise[0]);
    CHECK(isnan(r.noise[1]), "parameter 1 moves no fitted target: NAN (%g)", r.noise[1]);
    p.jac_se = NULL;
    CHECK(sim_fit_uncertainty_compute(&p, &r.u) == 0 && isnan(r.noise[0]), "no standard errors: NAN");
}

int main(void)
{
    test_least_squares();
    test_unidentified();
    test_noise_share();
    return check_summary();
}
