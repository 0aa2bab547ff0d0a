/* gsa.h: global sensitivity analysis on the unit cube (issue 14): the sample
 * designs (Morris trajectories, Saltelli's A, B, A_B^i matrices) and the
 * estimators (Morris elementary effects; Sobol first-order, Saltelli 2010, and
 * total, Jansen 1999; bootstrap percentile intervals). Pure numerics: no files,
 * no scenarios; the caller owns every array it passes. Points are rows of k
 * coordinates in [0, 1], row-major. */
#ifndef SIM_GSA_H
#define SIM_GSA_H

#include <gsl/gsl_rng.h>
#include <stddef.h>
#include <stdint.h>

/* Most factors of a Saltelli design: gsl_qrng_sobol has 40 dimensions and the
 * design takes two per factor. */
#define SIM_GSA_SOBOL_MAX_K 20

/* Morris's step on the unit scale for p levels: p / (2 (p - 1)). */
double sim_gsa_morris_delta(int levels);
/* r trajectories of k + 1 points each into out[r (k + 1)][k]: a random base point
 * on the grid of `levels` (even, >= 2) levels, then each factor in a random order
 * moves by +delta or -delta (whichever stays in [0, 1]). `candidates` (>= r)
 * trajectories are drawn from rng and the r most spread out are kept
 * (Campolongo, Cariboni & Saltelli 2007: greedy removal of the trajectory with the
 * smallest summed distance to the rest). 0, or -1 when out of memory. */
int sim_gsa_morris_design(gsl_rng *rng, size_t k, size_t r, int levels, size_t candidates, double *out);
/* Saltelli's design from a Sobol sequence of dimension 2k (the first point, all
 * zeros, skipped): blocks A, B, A_B^1 .. A_B^k of n rows each, into
 * out[n (k + 2)][k]; A_B^i is A with column i from B. k <= SIM_GSA_SOBOL_MAX_K.
 * 0, or -1 (k too large, out of memory). */
int sim_gsa_saltelli_design(size_t k, size_t n, double *out);

/* Morris indices from the outputs y[r (k + 1)] at a Morris design u: per factor
 * the mean mu, the mean absolute value mu_star and the standard deviation sigma
 * (n - 1) of its r elementary effects (y' - y) / (u' - u), and a bootstrap
 * percentile interval of mu_star over trajectories (nboot resamples, level conf,
 * drawn from rng). Effects with a NaN output are left out. Every output array has
 * k entries. 0, or -1 (not a Morris design: a step changes no or several
 * factors; out of memory). */
typedef struct {
    double *mu, *mu_star, *sigma, *mu_star_lo, *mu_star_hi;
} sim_gsa_morris_out;
int sim_gsa_morris(size_t k, size_t r, const double *u, const double *y, gsl_rng *rng, int nboot,
                   double conf, const sim_gsa_morris_out *out);

/* Sobol indices from the outputs y[n (k + 2)] of a Saltelli design (blocks A, B,
 * A_B^1..A_B^k): first order S1 (Saltelli et al. 2010) and total ST (Jansen),
 * both over the variance of the A and B outputs, with bootstrap percentile
 * intervals over the n base rows. Rows with a NaN output are left out. Arrays of
 * k entries. 0, or -1 (fewer than 2 usable rows, zero variance, out of memory). */
typedef struct {
    double *s1, *s1_lo, *s1_hi, *st, *st_lo, *st_hi;
} sim_gsa_sobol_out;
int sim_gsa_sobol(size_t k, size_t n, const double *y, gsl_rng *rng, int nboot, double conf,
                  const sim_gsa_sobol_out *out);

/* The chance noise under the indices, per factor, from replicated outputs
 * v[point][reps] (NaN where undefined; the point means are what the estimators
 * above get). Each index is built from differences of two point means, and with
 * common random numbers the two are correlated: the noise variance of such a
 * difference is estimated from the spread of its per-replication differences,
 * s^2 / reps. noise[j] is the part of factor j's index that chance alone would
 * give: an index not clearly above its noise cannot be told from no effect. A
 * factor without any effect has identical outputs at both ends of its steps (the
 * same random numbers), so its index and its noise are both 0.
 *
 * Morris: the mean over j's steps of sqrt(2/pi) sd / |u' - u| (E|N(0, sd^2)| per
 * unit step; each sd from m replications divided by c4(m), which makes its mean
 * unbiased), in mu_star's unit. Sobol: the mean over rows of the noise variance of
 * f(A) - f(A_B^j) over 2 V, V the variance of the A and B point means, in ST's
 * unit (Jansen's ST carries it as a bias). NaN where fewer than 2 replications. */
void sim_gsa_morris_noise(size_t k, size_t r, const double *u, const double *v, size_t reps, double *noise);
void sim_gsa_sobol_noise(size_t k, size_t n, const double *v, size_t reps, double *noise);

#endif
