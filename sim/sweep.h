/* sweep.h: parameter sweeps (DESIGN.md §3). The optional top-level `experiment`
 * block of a scenario names the parameters to vary and how (grid, list, Latin
 * hypercube); `sim sweep` runs every point of it through the ordinary run
 * pipeline (sim_run_main with --set overrides) and writes one file per point,
 * atomically, so a killed sweep resumes by skipping finished points. Points are
 * spread over Slurm array tasks (--task I --tasks N) and, when built with
 * SIM_WITH_MPI and started by mpirun, over MPI ranks (rank 0 hands out point
 * indices). Random streams are keyed by seed and replication only, so a point's
 * results depend on neither its index nor the task, rank or thread that ran it. */
#ifndef SIM_SWEEP_H
#define SIM_SWEEP_H

#include "config.h"

/* Most points an experiment may have (file names are point-00000.h5 .. point-99999.h5). */
#define SIM_SWEEP_MAX_POINTS 100000

typedef enum { SIM_SWEEP_GRID = 0, SIM_SWEEP_LIST = 1, SIM_SWEEP_LHS = 2 } sim_sweep_design;

/* A resolved experiment: its design, parameters and the values of every point. */
typedef struct sim_sweep sim_sweep;

/* Read and check the `experiment` block of cfg, marking every setting in it used
 * (so `sim run` and `sim validate` accept a sweep file and ignore the block).
 * Problems are recorded in cfg as "file:line: experiment...: what (allowed: ...)".
 * Returns NULL when there is no block, when it has problems or when out of memory;
 * otherwise the caller owns the result (free with sim_sweep_destroy). Latin
 * hypercube points are drawn from a Philox stream keyed by the scenario's seed. */
sim_sweep *sim_sweep_read(sim_config *cfg);
void sim_sweep_destroy(sim_sweep *s);   /* NULL is a no-op */

sim_sweep_design sim_sweep_get_design(const sim_sweep *s);
const char *sim_sweep_design_name(sim_sweep_design d);
size_t sim_sweep_npoints(const sim_sweep *s);
size_t sim_sweep_nparams(const sim_sweep *s);
/* Replications per point (the block's `replications`, else the scenario's). */
int sim_sweep_replications(const sim_sweep *s);
/* Key of parameter j, e.g. "mm1.arrival_rate"; valid while s lives. */
const char *sim_sweep_key(const sim_sweep *s, size_t j);
/* Value of parameter j at point i (booleans as 0/1), as a double: integers beyond
 * 2^53 are rounded here (metadata such as parameter_values); what runs comes from
 * sim_sweep_override, which is exact. */
double sim_sweep_value(const sim_sweep *s, size_t i, size_t j);
/* The override "key=value" of parameter j at point i, exact (%.17g for numbers,
 * the 64-bit integer itself for integer settings), written into buf; returns buf. */
const char *sim_sweep_override(const sim_sweep *s, size_t i, size_t j, char *buf, size_t size);

/* What `sim sweep` was asked. Strings are borrowed. */
typedef struct sim_sweep_request {
    const struct sim_model_type *const *models;   /* NULL-terminated list of the models (sim/model.h) */
    const char *scenario;      /* the sweep file */
    const char *outdir;        /* NULL = results/<scenario name>/ */
    int         dry_run;       /* list the points and stop */
    int         task, tasks;   /* run points with index % tasks == task (tasks >= 1) */
    int         force;         /* rerun points whose files exist */
    int         threads;       /* 0 = OpenMP default */
    int         quiet;
    const char *command_line;
} sim_sweep_request;

/* Run (or list) the points; returns a process exit code (SIM_EXIT_*). Messages on
 * stderr, the point list (--dry-run) and the closing line on stdout. */
int sim_sweep_main(const sim_sweep_request *req);

/* Index of a final point file name "point-NNNNN.h5"; -1 for anything else. */
long sim_sweep_point_index(const char *name);

#endif
