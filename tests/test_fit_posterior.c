/* test_fit_posterior.c: importance sampling of calibrated parameters
 * (sim/app/fit_posterior.h) against closed forms: the weighted quantile, the
 * mixture proposal's density, a one-parameter linear model whose posterior is
 * a known normal (recovered from a proposal centred elsewhere), the rejection
 * draw's bounds, and draws whose targets are undefined. */
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>

#include "../sim/app/fit_posterior.h"
#include "check.h"

static int near(double a, double b, double tol) { return fabs(a - b) <= tol; }

static void test_quantile(void)
{
    double x[100], w[100];
    for (int i = 0; i < 100; i++) x[i] = (double)(100 - i), w[i] = 1.0;   /* 100 .. 1, unsorted on purpose */
    CHECK(sim_posterior_quantile(x, 1, 0, w, 100, 0.5) == 50.0, "median of 1..100 with equal weights: 50");
    CHECK(sim_posterior_quantile(x, 1, 0, w, 100, 0.025) == 3.0, "2.5%% quantile of 1..100: 3");
    CHECK(sim_posterior_quantile(x, 1, 0, w, 100, 0.975) == 98.0, "97.5%% quantile of 1..100: 98");
    for (int i = 0; i < 100; i++) w[i] = x[i] == 7.0 ? 1000.0 : 1.0;   /* one heavy value */
    CHECK(sim_posterior_quantile(x, 1, 0, w, 100, 0.5) == 7.0, "a value with most of the weight is the median");
    const double xy[6] = {1.0, 30.0, 2.0, 10.0, 3.0, 20.0};   /* [3][2]: column 1 */
    const double w3[3] = {0.2, 0.5, 0.3};
    CHECK(sim_posterior_quantile(xy, 2, 1, w3, 3, 0.5) == 10.0 && sim_posterior_quantile(xy, 2, 1, w3, 3, 0.6) == 20.0,
          "a column of a matrix, weighted: 10 holds 0.5, 20 the next 0.3");
}

/* One parameter, sd 0.2: log q = log(0.5 phi(z) + 0.5 phi(z / 2) / 2) + const. */
static void test_log_proposal(void)
{
    gsl_matrix *chol = gsl_matrix_alloc(1, 1);
    gsl_matrix_set(chol, 0, 0, 0.2);
    const double at = 1.0, lo = -10.0, hi = 10.0;
    sim_posterior_proposal q = {1, &at, &lo, &hi, chol, 2.0};
    double base = sim_posterior_log_proposal(&q, &at);
    for (double th = -0.5; th <= 2.5; th += 0.25) {
        double z = (th - at) / 0.2;
        double want = log(0.5 * exp(-0.5 * z * z) + 0.25 * exp(-0.125 * z * z)) - log(0.75);
        double got = sim_posterior_log_proposal(&q, &th) - base;
        CHECK(near(got, want, 1e-12), "log q(%g) - log q(at) = %g, want %g", th, got, want);
    }
    q.widen = 1.0;
    double far = 1.6;
    CHECK(near(sim_posterior_log_proposal(&q, &far) - sim_posterior_log_proposal(&q, &at), -0.5 * 9.0, 1e-12),
          "widen 1: the plain normal");
    gsl_matrix_free(chol);
}

enum { N = 20000 };

/* The model value is the parameter itself; one target at 0.3 with tolerance
 * 0.1, a second out of sample (2 theta), flat prior on [-1, 1]: the posterior
 * is N(0.3, 0.1^2) (truncation negligible). The proposal is centred at 0 with
 * sd 0.1: weighting must move the mean to 0.3 and keep the sd at 0.1. */
static void test_linear_posterior(void)
{
    gsl_matrix *chol = gsl_matrix_alloc(1, 1);
    gsl_matrix_set(chol, 0, 0, 0.1);
    const double at = 0.0, lo = -1.0, hi = 1.0;
    sim_posterior_proposal q = {1, &at, &lo, &hi, chol, 2.0};
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    double *x = malloc(N * sizeof *x), *t = malloc(2 * N * sizeof *t), *lq = malloc(N * sizeof *lq);
    double *ll = malloc(N * sizeof *ll), *w = malloc(N * sizeof *w);
    int inside = 1, drawn = 1;
    for (int d = 0; d < N; d++) {
        drawn &= sim_posterior_draw(&q, r, 1000, &x[d]) == 0;
        inside &= x[d] >= lo && x[d] <= hi;
        t[2 * d] = x[d], t[2 * d + 1] = 2.0 * x[d];
        lq[d] = sim_posterior_log_proposal(&q, &x[d]);
    }
    CHECK(drawn && inside, "every draw made, inside the bounds");
    const double value[2] = {0.3, 0.0}, tol[2] = {0.1, 1.0};
    const int fit[2] = {1, 0};
    sim_posterior_problem p = {1, 2, N, x, t, lq, value, tol, fit, 1.0};
    double mean, sd, q025, q500, q975, corr, tm[2], ts[2];
    sim_posterior res = {ll, w, 0, 0, &mean, &sd, &q025, &q500, &q975, &corr, tm, ts};
    CHECK(sim_posterior_compute(&p, &res) == 0, "computed");
    CHECK(near(mean, 0.3, 0.01), "posterior mean %g, want 0.3 (the proposal's centre is 0)", mean);
    CHECK(near(sd, 0.1, 0.005), "posterior sd %g, want 0.1", sd);
    CHECK(near(q025, 0.3 - 1.96 * 0.1, 0.015) && near(q975, 0.3 + 1.96 * 0.1, 0.015) && near(q500, 0.3, 0.01),
          "posterior quantiles %g %g %g, want 0.104 0.3 0.496", q025, q500, q975);
    CHECK(near(tm[1], 0.6, 0.02) && near(ts[1], 0.2, 0.01), "the out-of-sample target 2 theta: %g +- %g", tm[1], ts[1]);
    CHECK(res.ess > 0.05 * N && res.ess < 0.9 * N, "effective sample size %g of %d: reduced, not collapsed", res.ess, N);
    double sum = 0.0;
    for (int d = 0; d < N; d++) sum += w[d];
    CHECK(near(sum, 1.0, 1e-9) && near(ll[0], -0.5 * pow((x[0] - 0.3) / 0.1, 2.0), 1e-12), "weights sum to 1; log-likelihood");
    /* The same draws centred on the truth: weights near equal, the ESS near N. */
    sim_posterior_proposal q2 = {1, &value[0], &lo, &hi, chol, 2.0};
    for (int d = 0; d < N; d++) x[d] += 0.3, t[2 * d] = x[d], t[2 * d + 1] = 2.0 * x[d], lq[d] = sim_posterior_log_proposal(&q2, &x[d]);
    CHECK(sim_posterior_compute(&p, &res) == 0 && res.ess > 0.6 * N, "a proposal on the posterior: ESS %g of %d", res.ess, N);
    /* An undefined in-sample target gives a draw no weight; all undefined: refused. */
    t[0] = NAN;
    CHECK(sim_posterior_compute(&p, &res) == 0 && w[0] == 0.0 && ll[0] == -INFINITY, "an undefined target: weight 0");
    for (int d = 0; d < N; d++) t[2 * d] = NAN;
    CHECK(sim_posterior_compute(&p, &res) == -1, "no draw with a likelihood: refused");
    free(x), free(t), free(lq), free(ll), free(w);
    gsl_rng_free(r);
    gsl_matrix_free(chol);
}

/* A box the proposal cannot reach: the draw gives up after its tries. */
static void test_unreachable(void)
{
    gsl_matrix *chol = gsl_matrix_alloc(1, 1);
    gsl_matrix_set(chol, 0, 0, 0.01);
    const double at = 0.0, lo = 5.0, hi = 6.0;
    sim_posterior_proposal q = {1, &at, &lo, &hi, chol, 2.0};
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    double x;
    CHECK(sim_posterior_draw(&q, r, 1000, &x) == -1, "nothing inside the bounds: -1");
    gsl_rng_free(r);
    gsl_matrix_free(chol);
}

/* The untruncated mixture's mass inside [-1, 1] for N(0, 1), widen 2:
 * 0.5 (Phi(1) - Phi(-1)) + 0.5 (Phi(0.5) - Phi(-0.5)); and the deterministic
 * mixture of rounds, which with one round is the truncated proposal. */
static void test_inside_and_mixture(void)
{
    gsl_matrix *chol = gsl_matrix_alloc(1, 1);
    gsl_matrix_set(chol, 0, 0, 1.0);
    const double at = 0.0, lo = -1.0, hi = 1.0, at2 = 0.5;
    sim_posterior_proposal q[2] = {{1, &at, &lo, &hi, chol, 2.0}, {1, &at2, &lo, &hi, chol, 2.0}};
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    double want = 0.5 * (0.6826894921) + 0.5 * (0.3829249225);
    double got = exp(sim_posterior_log_inside(&q[0], r, 400000));
    CHECK(near(got, want, 0.003), "mass inside %g, want %g", got, want);
    double x = 0.3, li[2] = {log(want), log(0.6)};
    int n1[1] = {10}, n2[2] = {30, 10};
    CHECK(near(sim_posterior_log_mixture(q, n1, li, 1, &x), sim_posterior_log_proposal(&q[0], &x) - li[0], 1e-12),
          "one round: the truncated proposal");
    double mix = log(0.75 * exp(sim_posterior_log_proposal(&q[0], &x) - li[0]) + 0.25 * exp(sim_posterior_log_proposal(&q[1], &x) - li[1]));
    CHECK(near(sim_posterior_log_mixture(q, n2, li, 2, &x), mix, 1e-12), "two rounds of 30 and 10 draws: 3/4 and 1/4");
    /* normalised: the density integrates to 1 over the real line */
    double integral = 0.0;
    for (double t = -40.0; t < 40.0; t += 0.001) integral += exp(sim_posterior_log_proposal(&q[1], &t)) * 0.001;
    CHECK(near(integral, 1.0, 1e-6), "the mixture density integrates to %g", integral);
    gsl_rng_free(r);
    gsl_matrix_free(chol);
}

/* The next round's covariance: the weighted one shrunk toward the base by ess / (ess + npar). */
static void test_next_cov(void)
{
    double sd[2] = {2.0, 1.0}, corr[4] = {1.0, 0.5, 0.5, 1.0}, base[4] = {1.0, 0.0, 0.0, 1.0}, cov[4];
    sim_posterior r = {.ess = 6.0, .sd = sd, .corr = corr};
    CHECK(sim_posterior_next_cov(&r, base, 2, cov) == 0, "computed");
    double a = 6.0 / 8.0;
    CHECK(near(cov[0], a * 4.0 + (1 - a), 1e-12) && near(cov[1], a * 1.0, 1e-12) && near(cov[3], a * 1.0 + (1 - a), 1e-12),
          "shrunk: %g %g %g", cov[0], cov[1], cov[3]);
}

/* Two parameters with sds 0.5 and 2 and correlation 0.6: the density is the
 * bivariate normal's (widen 1), and with widen 2 the half-and-half mixture of it
 * and the one with doubled sds: the log-determinant and the f^-k terms. */
static void test_log_proposal_2d(void)
{
    const double s1 = 0.5, s2 = 2.0, rho = 0.6, at[2] = {1.0, -1.0}, lo[2] = {-50, -50}, hi[2] = {50, 50};
    gsl_matrix *chol = gsl_matrix_alloc(2, 2);
    gsl_matrix_set(chol, 0, 0, s1), gsl_matrix_set(chol, 0, 1, 0.0);
    gsl_matrix_set(chol, 1, 0, rho * s2), gsl_matrix_set(chol, 1, 1, s2 * sqrt(1.0 - rho * rho));
    sim_posterior_proposal q = {2, at, lo, hi, chol, 1.0};
    int ok1 = 1, ok2 = 1;
    for (double a = -1.0; a <= 3.0; a += 0.5)
        for (double b = -5.0; b <= 3.0; b += 1.0) {
            double th[2] = {a, b};
            double p1 = gsl_ran_bivariate_gaussian_pdf(a - at[0], b - at[1], s1, s2, rho);
            double p2 = gsl_ran_bivariate_gaussian_pdf(a - at[0], b - at[1], 2 * s1, 2 * s2, rho);
            q.widen = 1.0;
            ok1 &= near(sim_posterior_log_proposal(&q, th), log(p1), 1e-10);
            q.widen = 2.0;
            ok2 &= near(sim_posterior_log_proposal(&q, th), log(0.5 * p1 + 0.5 * p2), 1e-10);
        }
    CHECK(ok1, "widen 1: the bivariate normal density (GSL) on a grid");
    CHECK(ok2, "widen 2: half the normal, half the one with doubled sds");
    gsl_matrix_free(chol);
}

/* Equal weights (no in-sample target, a flat proposal density): the posterior
 * correlation is the draws' sample correlation. */
static void test_correlation(void)
{
    enum { M = 500 };
    double x[2 * M], t[M], lq[M], ll[M], w[M], xa[M], xb[M];
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    for (int d = 0; d < M; d++) {
        double u = gsl_ran_ugaussian(r), v = gsl_ran_ugaussian(r);
        xa[d] = x[2 * d] = u, xb[d] = x[2 * d + 1] = 0.8 * u + 0.6 * v, t[d] = 0.0, lq[d] = 0.0;
    }
    const double value[1] = {0.0}, tol[1] = {1.0};
    const int fit[1] = {0};
    sim_posterior_problem p = {2, 1, M, x, t, lq, value, tol, fit, 1.0};
    double mean[2], sd[2], q025[2], q500[2], q975[2], corr[4], tm[1], ts[1];
    sim_posterior res = {ll, w, 0, 0, mean, sd, q025, q500, q975, corr, tm, ts};
    CHECK(sim_posterior_compute(&p, &res) == 0 && near(res.ess, M, 1e-6), "equal weights: ESS = %d (%g)", M, res.ess);
    double want = gsl_stats_correlation(xa, 1, xb, 1, M);
    CHECK(near(corr[1], want, 1e-9) && near(corr[2], want, 1e-9) && corr[0] == 1.0, "correlation %g, want %g", corr[1], want);
    gsl_rng_free(r);
}

int main(void)
{
    test_quantile();
    test_log_proposal();
    test_linear_posterior();
    test_unreachable();
    test_inside_and_mixture();
    test_next_cov();
    test_log_proposal_2d();
    test_correlation();
    return check_summary();
}
