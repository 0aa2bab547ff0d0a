/* sweep.h: parameter sweeps (DESIGN.md §3). The optional top-level `experiment`
 * block of a scenario names the parameters to vary and how (grid, list, Latin
 * hypercube); `sim sweep` runs every point of it through the ordinary run
 * pipeline (sim_run_file with --set overrides, sim/app/run.h) and writes one file per point,
 * atomically, so a killed sweep resumes by skipping finished points. Points are
 * spread over Slurm array tasks (--task I --tasks N) and, when built with
 * SIM_WITH_MPI and started by mpirun, over MPI ranks (rank 0 hands out point
 * indices). Random streams are keyed by seed and replication only, so a point's
 * results depend on neither its index nor the task, rank or thread that ran it. */
#ifndef SIM_SWEEP_H
#define SIM_SWEEP_H

/* What `sim sweep` was asked. Strings are borrowed. */
typedef struct sim_sweep_request {
    const struct sim_model_type *const *models;   /* NULL-terminated list of the models (sim/core/model.h) */
    const char *scenario;      /* the sweep file */
    const char *outdir;        /* NULL = results/<scenario name>/ */
    int         dry_run;       /* list the points and stop */
    int         task, tasks;   /* run points with index % tasks == task (tasks >= 1) */
    int         force;         /* rerun points whose files exist */
    int         threads;       /* 0 = OpenMP default */
    int         quiet;
    const char *command_line;
    const char *const *sets;   /* --set overrides applied at every point (before the point's own) */
    int         nsets;         /* at most SIM_SWEEP_MAX_SETS */
    int         replications;  /* > 0: replications per point instead of the experiment's */
    double      scale;         /* > 0: --scale (sim_run_apply_scale) */
} sim_sweep_request;

/* Most --set overrides a sweep takes. */
#define SIM_SWEEP_MAX_SETS 256

/* Run (or list) the points; returns a process exit code (SIM_EXIT_*). Messages on
 * stderr, the point list (--dry-run) and the closing line on stdout. */
int sim_sweep_main(const sim_sweep_request *req);

/* What `sim sweep` checks before its first point, for `sim validate` of a sweep file:
 * the scenario, each declared range of a morris or sobol design, and every point's values
 * (problems on stderr as `sim sweep` prints them, the first three points with problems).
 * Runs and writes nothing; uses scenario, models, sets, nsets and scale of req. SIM_EXIT_OK
 * also when the file has no experiment block or one sim_sweep_read refuses (`sim validate`
 * reports that itself), else SIM_EXIT_RUNTIME. */
int sim_sweep_check(const sim_sweep_request *req);

#endif
