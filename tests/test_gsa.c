/* test_gsa.c: the sensitivity designs and estimators (sim/app/gsa.h) against
 * known answers: Sobol indices of the Ishigami function (a = 7, b = 0.1) and of
 * a linear model (analytic), Morris's ranking on a function with known effects,
 * the shape of both designs, and bootstrap intervals that cover the truth and
 * shrink with more points. */
#include <gsl/gsl_math.h>
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdlib.h>

#include "../sim/app/gsa.h"
#include "../sim/core/rng.h"
#include "check.h"

#define PI 3.14159265358979323846

/* Ishigami on [-pi, pi]^3 from the unit cube. */
static double ishigami(const double *u)
{
    double x1 = -PI + 2 * PI * u[0], x2 = -PI + 2 * PI * u[1], x3 = -PI + 2 * PI * u[2];
    return sin(x1) + 7.0 * sin(x2) * sin(x2) + 0.1 * pow(x3, 4) * sin(x1);
}

/* Ishigami plus 13 (about 3.5 standard deviations): the same indices. */
static double ishigami_shifted(const double *u) { return ishigami(u) + 13.0; }

/* y = sum a_j x_j, x_j uniform on [0, 1]: S1_j = ST_j = a_j^2 / sum a^2. */
static const double lin_a[4] = {4.0, 2.0, 1.0, 0.0};
static double linear(const double *u)
{
    double y = 0.0;
    for (int j = 0; j < 4; j++) y += lin_a[j] * u[j];
    return y;
}

/* Morris: effects 10, 5 and 1 in x1..x3, none in x4; x5 only through an
 * interaction with x1 (mu* > 0 and a large sigma). */
static double ranked(const double *u) { return 10 * u[0] + 5 * u[1] + u[2] + 0 * u[3] + 8 * (u[0] - 0.5) * (u[4] - 0.5); }

typedef struct { double s1[8], s1_lo[8], s1_hi[8], st[8], st_lo[8], st_hi[8]; } sobol_res;

static int run_sobol(size_t k, size_t n, double (*f)(const double *), int nboot, sobol_res *r)
{
    size_t rows = n * (k + 2);
    double *u = malloc(rows * k * sizeof *u), *y = malloc(rows * sizeof *y);
    gsl_rng *g = sim_rng_create();
    sim_rng_stream(g, 42, 0, 0, 1);
    int rc = sim_gsa_saltelli_design(k, n, u);
    for (size_t i = 0; rc == 0 && i < rows; i++) y[i] = f(u + i * k);
    sim_gsa_sobol_out o = {r->s1, r->s1_lo, r->s1_hi, r->st, r->st_lo, r->st_hi};
    if (rc == 0) rc = sim_gsa_sobol(k, n, y, g, nboot, 0.95, &o);
    free(u); free(y); gsl_rng_free(g);
    return rc;
}

static void test_ishigami(void)
{
    const double S1[3] = {0.314, 0.442, 0.0}, ST[3] = {0.558, 0.442, 0.244};
    sobol_res r;
    CHECK(run_sobol(3, 8192, ishigami, 200, &r) == 0, "sobol on Ishigami failed");
    for (int j = 0; j < 3; j++) {
        CHECK(fabs(r.s1[j] - S1[j]) < 0.02, "Ishigami S1[%d] = %.4f, expected %.3f", j, r.s1[j], S1[j]);
        CHECK(fabs(r.st[j] - ST[j]) < 0.02, "Ishigami ST[%d] = %.4f, expected %.3f", j, r.st[j], ST[j]);
        CHECK(r.s1_lo[j] <= S1[j] + 0.01 && r.s1_hi[j] >= S1[j] - 0.01, "Ishigami S1[%d] interval [%.3f, %.3f] misses %.3f", j, r.s1_lo[j], r.s1_hi[j], S1[j]);
        CHECK(r.st_lo[j] <= ST[j] + 0.01 && r.st_hi[j] >= ST[j] - 0.01, "Ishigami ST[%d] interval [%.3f, %.3f] misses %.3f", j, r.st_lo[j], r.st_hi[j], ST[j]);
    }
    /* Few points: the intervals are wide, and wider than with many. */
    sobol_res few;
    CHECK(run_sobol(3, 32, ishigami, 200, &few) == 0, "sobol on 32 points failed");
    CHECK(few.st_hi[0] - few.st_lo[0] > 4 * (r.st_hi[0] - r.st_lo[0]), "32-point interval [%.3f, %.3f] not wider than 8192-point [%.3f, %.3f]",
          few.st_lo[0], few.st_hi[0], r.st_lo[0], r.st_hi[0]);
}

/* S1 and ST do not move when a constant is added to the output (the estimator
 * is centred): with 256 points the uncentred S1 of x1 moved from 0.35 to 0.34 and
 * its interval from [0.15, 0.57] to [-0.31, 0.94]. */
static void test_shift(void)
{
    sobol_res a, b;
    CHECK(run_sobol(3, 256, ishigami, 200, &a) == 0 && run_sobol(3, 256, ishigami_shifted, 200, &b) == 0,
          "sobol on 256 points failed");
    for (int j = 0; j < 3; j++) {
        CHECK(fabs(a.s1[j] - b.s1[j]) < 1e-9 && fabs(a.st[j] - b.st[j]) < 1e-9,
              "x%d: S1 %.6f vs %.6f, ST %.6f vs %.6f after adding 13", j + 1, a.s1[j], b.s1[j], a.st[j], b.st[j]);
        CHECK(fabs(a.s1_lo[j] - b.s1_lo[j]) < 1e-9 && fabs(a.s1_hi[j] - b.s1_hi[j]) < 1e-9,
              "x%d: S1 interval [%.3f, %.3f] vs [%.3f, %.3f] after adding 13", j + 1, a.s1_lo[j], a.s1_hi[j], b.s1_lo[j], b.s1_hi[j]);
    }
}

/* The noise columns against their analytic values: outputs f(u) + e with e
 * independent N(0, sd^2) at every point and replication, so a difference of two
 * point means has variance 2 sd^2 / R. The tolerance (4%) is about four standard
 * errors here and half the bias that leaving out c4 would cause (8% at R = 4). */
static void test_noise(void)
{
    const size_t k = 4, R = 4;
    const double sd = 3.0;
    gsl_rng *g = sim_rng_create();
    sim_rng_stream(g, 11, 0, 0, 3);
    /* Morris: 400 trajectories, 4 levels (step 2/3), no effect at all: mu* is noise */
    size_t r = 400, np = r * (k + 1);
    double *u = malloc(np * k * sizeof *u), *v = malloc(np * R * sizeof *v), *y = malloc(np * sizeof *y);
    CHECK(sim_gsa_morris_design(g, k, r, 4, r, u) == 0, "morris design failed");
    for (size_t i = 0; i < np; i++) {
        y[i] = 0.0;
        for (size_t q = 0; q < R; q++) { v[i * R + q] = gsl_ran_gaussian(g, sd); y[i] += v[i * R + q] / (double)R; }
    }
    double want = sqrt(2.0 / M_PI) * sqrt(2.0 * sd * sd / (double)R) / (2.0 / 3.0), noise[4], mean = 0.0;
    sim_gsa_morris_noise(k, r, u, v, R, noise);
    for (size_t j = 0; j < k; j++) mean += noise[j] / (double)k;
    CHECK(fabs(mean / want - 1.0) < 0.04, "morris noise %.4f, analytic %.4f", mean, want);
    double mu[4], ms[4], sg[4], lo[4], hi[4];
    sim_gsa_morris_out o = {mu, ms, sg, lo, hi};
    CHECK(sim_gsa_morris(k, r, u, y, g, 0, 0.95, &o) == 0, "morris failed");
    for (size_t j = 0; j < k; j++)
        CHECK(fabs(ms[j] / noise[j] - 1.0) < 0.1, "no effect: mu*[%zu] = %.3f is its noise %.3f", j, ms[j], noise[j]);
    /* a factor whose steps change nothing (common random numbers): noise exactly 0 */
    for (size_t t = 0; t < r; t++)
        for (size_t i = 0; i < k; i++) {
            size_t row = t * (k + 1) + i;
            if (fabs(u[(row + 1) * k + 3] - u[row * k + 3]) > 1e-12)
                for (size_t q = 0; q < R; q++) v[(row + 1) * R + q] = v[row * R + q];
        }
    sim_gsa_morris_noise(k, r, u, v, R, noise);
    CHECK(noise[3] == 0.0, "a factor without effect under common random numbers: noise %g, not 0", noise[3]);
    /* one replication: no estimate */
    sim_gsa_morris_noise(k, r, u, v, 1, noise);
    CHECK(isnan(noise[0]), "one replication: morris noise %g, not NaN", noise[0]);
    free(u); free(v); free(y);
    /* Sobol: the linear model plus noise; ST noise = (2 sd^2 / R) / (2 V) */
    size_t n = 1024, rows = n * (k + 2);
    u = malloc(rows * k * sizeof *u);
    v = malloc(rows * R * sizeof *v);
    CHECK(sim_gsa_saltelli_design(k, n, u) == 0, "saltelli design failed");
    for (size_t i = 0; i < rows; i++)
        for (size_t q = 0; q < R; q++) v[i * R + q] = linear(u + i * k) + gsl_ran_gaussian(g, sd);
    double var = 0.0;
    for (int j = 0; j < 4; j++) var += lin_a[j] * lin_a[j] / 12.0;
    var += sd * sd / (double)R;   /* the point means' variance holds the noise too */
    want = (2.0 * sd * sd / (double)R) / (2.0 * var);
    sim_gsa_sobol_noise(k, n, v, R, noise);
    for (size_t j = 0; j < k; j++)
        CHECK(fabs(noise[j] / want - 1.0) < 0.04, "sobol ST noise[%zu] %.4f, analytic %.4f", j, noise[j], want);
    sim_gsa_sobol_noise(k, n, v, 1, noise);
    CHECK(isnan(noise[0]), "one replication: sobol noise %g, not NaN", noise[0]);
    free(u); free(v);
    gsl_rng_free(g);
}

static void test_linear(void)
{
    sobol_res r;
    CHECK(run_sobol(4, 4096, linear, 100, &r) == 0, "sobol on the linear model failed");
    double sum = 0.0;
    for (int j = 0; j < 4; j++) sum += lin_a[j] * lin_a[j];
    for (int j = 0; j < 4; j++) {
        double s = lin_a[j] * lin_a[j] / sum;
        CHECK(fabs(r.s1[j] - s) < 0.01, "linear S1[%d] = %.4f, expected %.4f", j, r.s1[j], s);
        CHECK(fabs(r.st[j] - s) < 0.01, "linear ST[%d] = %.4f, expected %.4f", j, r.st[j], s);
    }
    CHECK(r.st[3] == 0.0 && r.st_hi[3] == 0.0, "a factor without effect has ST exactly 0 (%g, hi %g)", r.st[3], r.st_hi[3]);
}

static void test_saltelli_design(void)
{
    size_t k = 3, n = 16;
    double u[16 * 5 * 3];
    CHECK(sim_gsa_saltelli_design(k, n, u) == 0, "design failed");
    int ok = 1;
    for (size_t i = 0; i < n; i++)
        for (size_t b = 0; b < k; b++)
            for (size_t j = 0; j < k; j++) {
                double want = j == b ? u[(n + i) * k + j] : u[i * k + j];
                ok &= u[((2 + b) * n + i) * k + j] == want;
            }
    CHECK(ok, "A_B^i is A with column i from B");
    CHECK(sim_gsa_saltelli_design(SIM_GSA_SOBOL_MAX_K + 1, 4, u) == -1, "more factors than the Sobol generator has dimensions are refused");
}

static void test_morris(void)
{
    size_t k = 5, r = 20;
    double *u = malloc(r * (k + 1) * k * sizeof *u), y[20 * 6];
    gsl_rng *g = sim_rng_create();
    sim_rng_stream(g, 7, 0, 0, 2);
    CHECK(sim_gsa_morris_design(g, k, r, 4, 10 * r, u) == 0, "morris design failed");
    int grid = 1;
    for (size_t i = 0; i < r * (k + 1) * k; i++) {
        double l = u[i] * 3.0;
        grid &= fabs(l - nearbyint(l)) < 1e-12 && u[i] >= 0.0 && u[i] <= 1.0;
    }
    CHECK(grid, "every coordinate is one of the 4 levels 0, 1/3, 2/3, 1");
    for (size_t i = 0; i < r * (k + 1); i++) y[i] = ranked(u + i * k);
    double mu[5], ms[5], sd[5], lo[5], hi[5];
    sim_gsa_morris_out o = {mu, ms, sd, lo, hi};
    CHECK(sim_gsa_morris(k, r, u, y, g, 200, 0.95, &o) == 0, "morris estimator failed");
    CHECK(ms[0] > ms[1] && ms[1] > ms[2] && ms[2] > ms[3], "mu* ranks x1 > x2 > x3 > x4: %.3g %.3g %.3g %.3g", ms[0], ms[1], ms[2], ms[3]);
    CHECK(fabs(ms[1] - 5.0) < 1e-9 && fabs(sd[1]) < 1e-9, "a linear effect: mu* = 5, sigma = 0 (%.6g, %.3g)", ms[1], sd[1]);
    CHECK(ms[3] == 0.0, "no effect: mu* = 0 (%.3g)", ms[3]);
    CHECK(ms[4] > 0.5 && sd[4] > 0.5, "an interaction only: mu* and sigma > 0 (%.3g, %.3g)", ms[4], sd[4]);
    CHECK(lo[1] <= 5.0 + 1e-9 && hi[1] >= 5.0 - 1e-9, "mu* interval [%.3g, %.3g] holds 5", lo[1], hi[1]);
    y[1] += 1.0;
    u[k + 0] += 0.5;   /* a second factor moves in the first step: not a Morris design */
    CHECK(sim_gsa_morris(k, r, u, y, g, 0, 0.95, &o) == -1, "a step that moves two factors is refused");
    free(u);
    gsl_rng_free(g);
}

int main(void)
{
    test_ishigami();
    test_shift();
    test_noise();
    test_linear();
    test_saltelli_design();
    test_morris();
    return check_summary();
}
