/* experiment.h: the optional top-level `experiment` block of a scenario
 * (DESIGN.md §3): the parameters to vary and how (grid, list, Latin hypercube;
 * Morris trajectories and Saltelli's Sobol design over the scenario's declared
 * `uncertainty` list, uncertainty.h), resolved into points. Read by `sim run`/`sim validate` (which check and then
 * ignore the block) and by `sim sweep` (sim/app/sweep.h), which runs the points. */
#ifndef SIM_EXPERIMENT_H
#define SIM_EXPERIMENT_H

#include "../io/config.h"

/* Most points an experiment may have (file names are point-00000.h5 .. point-99999.h5). */
#define SIM_SWEEP_MAX_POINTS 100000
/* Most parameters an experiment may vary. */
#define SIM_SWEEP_MAX_PARAMS 64
/* Most fixed overrides (`set = ["key=value", ...]`) an experiment may apply to every point. */
#define SIM_SWEEP_MAX_FIXED 8
/* Room for one override "key=value" (sim_sweep_override), terminator included. */
#define SIM_SWEEP_OVERRIDE_MAX 600

typedef enum { SIM_SWEEP_GRID = 0, SIM_SWEEP_LIST = 1, SIM_SWEEP_LHS = 2, SIM_SWEEP_MORRIS = 3,
               SIM_SWEEP_SOBOL = 4 } sim_sweep_design;

/* A resolved experiment: its design, parameters and the values of every point. */
typedef struct sim_sweep sim_sweep;

/* Read and check the `experiment` block of cfg, marking every setting in it used
 * (so `sim run` and `sim validate` accept a sweep file and ignore the block).
 * Problems are recorded in cfg as "file:line: experiment...: what (allowed: ...)".
 * Returns NULL when there is no block, when it has problems or when out of memory;
 * otherwise the caller owns the result (free with sim_sweep_destroy). Latin
 * hypercube points are drawn from a Philox stream keyed by the scenario's seed. */
sim_sweep *sim_sweep_read(sim_config *cfg);
/* Check the experiment block as sim_sweep_read does (every problem recorded in cfg, its
 * keys marked as read), without computing the points: for `sim run` and `sim validate`,
 * which only check the block (a Morris design's choice of trajectories takes tens of ms,
 * and `sim sweep` checks every point's scenario before the first runs). */
void sim_sweep_check_block(sim_config *cfg);
void sim_sweep_destroy(sim_sweep *s);   /* NULL is a no-op */

sim_sweep_design sim_sweep_get_design(const sim_sweep *s);
const char *sim_sweep_design_name(sim_sweep_design d);
size_t sim_sweep_npoints(const sim_sweep *s);
size_t sim_sweep_nparams(const sim_sweep *s);
/* The scenario's seed (the Latin hypercube's stream key). */
uint64_t sim_sweep_seed(const sim_sweep *s);
/* Replications per point (the block's `replications`, else the scenario's). */
int sim_sweep_replications(const sim_sweep *s);
/* Replace the replications per point (sim sweep -r); before sim_sweep_experiment_id. */
void sim_sweep_set_replications(sim_sweep *s, int replications);
/* Key of parameter j, e.g. "mm1.arrival_rate"; valid while s lives. */
const char *sim_sweep_key(const sim_sweep *s, size_t j);
/* Value of parameter j at point i (booleans as 0/1), as a double: integers beyond
 * 2^53 are rounded here (metadata such as parameter_values); what runs comes from
 * sim_sweep_override, which is exact. */
double sim_sweep_value(const sim_sweep *s, size_t i, size_t j);
/* The nparams values of point i, as sim_sweep_value; valid while s lives. */
const double *sim_sweep_point(const sim_sweep *s, size_t i);
/* Parameter j at point i for people (true/false, the exact integer, or 10
 * significant digits), written into buf; returns buf. */
const char *sim_sweep_format(const sim_sweep *s, size_t i, size_t j, char *buf, size_t size);
/* "k1=v1, k2=v2" of point i (sim_sweep_format values) into buf; returns buf. */
const char *sim_sweep_point_label(const sim_sweep *s, size_t i, char *buf, size_t size);
/* The override "key=value" of parameter j at point i, exact (%.17g for numbers,
 * the 64-bit integer itself for integer settings), written into buf; returns buf. */
const char *sim_sweep_override(const sim_sweep *s, size_t i, size_t j, char *buf, size_t size);
/* 16 hex digits (and a terminator) naming the experiment: the resolved base
 * scenario (after includes, before any override), the design, replications,
 * every point's overrides and the toolkit version; thread counts, tasks and
 * ranks do not enter. 0, or -1 when out of memory. */
/* The experiment's fixed overrides, applied to every point before its own values
 * (e.g. "labour_market.scale=0.05"); valid while s lives. */
size_t sim_sweep_nfixed(const sim_sweep *s);
const char *sim_sweep_fixed(const sim_sweep *s, size_t i);
/* Where the points' overrides come from, for messages about their values: "file:line"
 * of fixed override i, and of parameter j's values (lhs: its min; morris, sobol: its
 * uncertainty entry). NULL when out of memory; valid while s lives. */
const char *sim_sweep_fixed_where(const sim_sweep *s, size_t i);
const char *sim_sweep_where(const sim_sweep *s, size_t j);
/* Sensitivity designs (morris, sobol; NULL / 0 for the others): point i on the
 * unit cube (each parameter's probability, mapped to its value through the
 * declared distribution), the declared uncertainty, the Morris levels, and the
 * base count (Morris trajectories r: points r (k + 1), in trajectory order; Sobol
 * base points N: points N (k + 2), blocks A, B, A_B^1..A_B^k). Valid while s lives. */
const double *sim_sweep_unit_point(const sim_sweep *s, size_t i);
const struct sim_uncertainty *sim_sweep_uncertainty(const sim_sweep *s);
int sim_sweep_levels(const sim_sweep *s);
size_t sim_sweep_base_points(const sim_sweep *s);
int sim_sweep_experiment_id(const sim_config *cfg, const sim_sweep *s, char id[17]);

#endif
