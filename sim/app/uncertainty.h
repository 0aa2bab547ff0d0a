/* uncertainty.h: what we do not know about a scenario's parameters, declared
 * once (issue 14): the optional top-level `uncertainty` list of a scenario, one
 * group per parameter
 *
 *   { key = "labour_market.hazards.barrier_multiplier"; dist = "uniform";
 *     min = 0.5; max = 0.9; source = "assumption: ..."; }
 *
 * dist and its arguments: "uniform" (min, max), "loguniform" (min, max > 0),
 * "triangular" (min, mode, max), "normal" (mean, sd, min, max: the normal
 * truncated to [min, max]). Every distribution has the support [min, max], and
 * both ends must be values the scenario accepts for the key (checked by
 * sim_uncertainty_check with the model's own validation, as for --set).
 *
 * The list may also hold correlation blocks (written by `sim calibrate
 * --uncertainty`, docs/calibration.md):
 *
 *   { correlation = ["a.x", "a.y"]; matrix = [1.0, -0.6, -0.6, 1.0];
 *     source = "calibrated: ..."; }
 *
 * naming two or more parameters declared in the same list (each in one block at
 * most) and their correlation matrix row by row (symmetric, unit diagonal,
 * positive definite). How they are coupled:
 *  - draws (sim_uncertainty_draw) of a block whose members are all "normal" come
 *    from the multivariate normal (their means and sds, the correlations)
 *    truncated to the box of their bounds, by rejection: the joint truncation
 *    keeps the correlations (a calibration's trade-offs) where a bound cuts;
 *  - otherwise, and in the unit-cube map of the designs (sim_uncertainty_map), by
 *    a Gaussian copula: the marginals stay as declared (each truncated on its
 *    own), and the probabilities p_k = Phi(z_k) with z = L Phi^-1(u) (L the
 *    Cholesky factor) replace the independent u_k. Where no bound cuts much, the
 *    two agree.
 *
 * A sample entry declares parameters by a table of joint draws instead (written
 * by scripts/uncertainty-part.py from a posterior sample, docs/calibration.md):
 *
 *   { sample = ["a.x", "a.y"]; values = [0.1, 2.0,  0.3, 1.5,  0.2, 1.8];
 *     weights = [0.5, 0.2, 0.3]; source = "calibrated: ..."; }
 *
 * one row per draw in the keys' order (an array is all floats, or all integers, in
 * libconfig: write 2.0; an integer setting's values must be whole), and
 * optionally a weight per row (>= 0, summing to more than 0; default equal). Its
 * keys become parameters of dist "sample" (not a dist a { key = ...; } group may
 * name) with the entry's source and "file:line", min and max their smallest and
 * largest value in a row of positive weight, and quantiles those of their
 * weighted marginal. They take the values of one row together: the row whose
 * cumulative weight first exceeds the coordinate (or drawn uniform) of the
 * entry's first key (the uniform of its place in the list); the other keys'
 * coordinates are not used. --draw-parameters resamples the rows with their
 * weights; the sweep designs refuse a sample entry (experiment.c), which has no
 * independent coordinates to vary.
 *
 * The sweep designs "morris" and "sobol" (experiment.h) vary exactly these
 * parameters, mapping a point u of the unit cube through sim_uncertainty_map:
 * for a parameter outside every block that is its quantile at u_j; inside a
 * block, coordinate k moves the block's parameters k, k+1, ... (the Cholesky
 * factor's column), so an index of a block's coordinate includes what it
 * shares with the parameters after it. */
#ifndef SIM_UNCERTAINTY_H
#define SIM_UNCERTAINTY_H

#include <stddef.h>
#include <stdint.h>

#include "../io/config.h"

struct sim_model_type;

/* Most parameters an uncertainty list may declare; most numbers (rows x keys) of a
 * sample entry (every replication's configuration holds the table). */
#define SIM_UNCERTAINTY_MAX 64
#define SIM_UNCERTAINTY_MAX_NUMBERS 100000

typedef struct sim_uncertainty sim_uncertainty;

/* Read and check the top-level `uncertainty` list of cfg, marking it used. Keys
 * must be number settings of cfg. Problems are recorded in cfg as
 * "file:line: uncertainty...: what (allowed: ...)". Returns NULL when there is no
 * list, when it has problems or when out of memory; otherwise the caller owns the
 * result (sim_uncertainty_destroy). */
sim_uncertainty *sim_uncertainty_read(sim_config *cfg);
void sim_uncertainty_destroy(sim_uncertainty *u);   /* NULL is a no-op */

size_t sim_uncertainty_n(const sim_uncertainty *u);
/* Parameter j's key, distribution name, source text and "file:line"; valid while u lives. */
const char *sim_uncertainty_key(const sim_uncertainty *u, size_t j);
const char *sim_uncertainty_dist(const sim_uncertainty *u, size_t j);
const char *sim_uncertainty_source(const sim_uncertainty *u, size_t j);
const char *sim_uncertainty_where(const sim_uncertainty *u, size_t j);
/* 1 if parameter j is an integer setting (its values are rounded). */
int sim_uncertainty_is_int(const sim_uncertainty *u, size_t j);
double sim_uncertainty_min(const sim_uncertainty *u, size_t j);
double sim_uncertainty_max(const sim_uncertainty *u, size_t j);
/* The value of parameter j at probability p in [0, 1] (its quantile function;
 * p = 0 gives min, p = 1 max; integer settings rounded). */
double sim_uncertainty_quantile(const sim_uncertainty *u, size_t j, double p);

/* Number of correlation blocks; the block of parameter j, or -1. */
size_t sim_uncertainty_nblocks(const sim_uncertainty *u);
int sim_uncertainty_block_of(const sim_uncertainty *u, size_t j);
/* Number of sample entries; the entry of parameter j, or -1. */
size_t sim_uncertainty_nsamples(const sim_uncertainty *u);
int sim_uncertainty_sample_of(const sim_uncertainty *u, size_t j);

/* The parameter values at the point unit[0..n) of the unit cube: each
 * parameter outside a block at its quantile unit[j] (exactly
 * sim_uncertainty_quantile), a block's through its Gaussian copula, a sample
 * entry's as the row its first key's coordinate picks. */
void sim_uncertainty_map(const sim_uncertainty *u, const double *unit, double *values);

/* Parameter set of replication `rep` (`sim run --draw-parameters`): value j is the
 * quantile of a uniform draw from the stream (seed, rep, j, "DRAW"), coupled
 * within correlation blocks (a block of normals drawn jointly from its own stream
 * (seed, rep, first member, "DRJN"); others through the copula; a sample entry's
 * row picked by its first key's uniform), so it depends
 * only on (seed, rep) and the declaration: BASE and ALT runs with the same seed and
 * the same list draw the same set in replication r. values has n entries.
 * 0; -1 when out of memory; -2 when a block of normals found no draw inside its
 * members' bounds (message on stderr naming the block's file:line). */
int sim_uncertainty_draw(const sim_uncertainty *u, uint64_t seed, uint32_t rep, double *values);
/* "key=value" for parameter j (exact: %.17g, or the integer) into buf; returns buf. */
const char *sim_uncertainty_assignment(const sim_uncertainty *u, size_t j, double value, char *buf, size_t size);

/* Check that both ends of every declared range are values `scenario` (with the
 * overrides sets[0..nsets)) accepts: the model is configured with key=min and
 * with key=max, nothing runs. Prints one line per bad end,
 * "file:line: uncertainty KEY: max 1.5 is outside the allowed range (allowed: 0 to 1)",
 * on stderr. A sample entry is checked row by row instead (every row of positive
 * weight, its keys set together; the first bad row of an entry is named). 0 when
 * all are accepted, else -1. */
int sim_uncertainty_check(const sim_uncertainty *u, const struct sim_model_type *const *models,
                          const char *scenario, const char *const *sets, int nsets);

/* The same for the `uncertainty` list of `scenario` itself (after the overrides),
 * for `sim validate`: 0 when it has none or every range is accepted, else -1. */
int sim_uncertainty_check_scenario(const struct sim_model_type *const *models, const char *scenario,
                                   const char *const *sets, int nsets);

#endif
