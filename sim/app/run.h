/* run.h: the `run` and `validate` pipelines: load a scenario, apply overrides,
 * read the engine's keys, configure the model, run the replications and write
 * the output file. Shared by the CLI and the tests. Strings and lists in a
 * request are borrowed. */
#ifndef SIM_RUN_H
#define SIM_RUN_H

#include "../core/engine.h"
#include "../core/runner.h"

typedef struct sim_run_request {
    const sim_model_type *const *models;   /* NULL-terminated list of the models a scenario may name */
    const char        *scenario;      /* scenario file */
    const char        *output;        /* output path; NULL = <output_dir>/<name>.h5 */
    const char        *output_dir;    /* NULL = results */
    const char *const *scenarios;     /* sim_run_main only: with nscenarios > 1, run these together */
    int                nscenarios;    /* (sharing their burn-in where the model allows; output must be NULL) */
    const char *const *sets;          /* --set overrides */
    int                nsets;
    const char *const *set_origins;   /* NULL, or per set where a problem with its value is reported
                                         ("sweep.cfg:7"; a NULL entry = "command line (--set)") */
    const char        *context;       /* NULL, or what the sets stand for, named in the closing line of
                                         problems: "sim: FILE: 1 problem at point 3 (k=v); nothing was run" */
    int                threads;       /* 0 = OpenMP default */
    int                replications;  /* 0 = from the scenario */
    int64_t            seed;          /* -1 = from the scenario */
    int                detail;        /* -1 = from the scenario, else sim_detail */
    double             sample;        /* < 0 = from the scenario */
    int                quiet;         /* no progress, no summary */
    double             scale;         /* > 0: --scale, the model's scale_key times this; 0 = none */
    int                progress;      /* 1: progress within replications even off a terminal */
    int                validate_only;
    const char        *command_line;  /* recorded in the output */
    int                draw_parameters;   /* replication r runs with its own parameter set drawn from
                                             the scenario's uncertainty list (uncertainty.h); sim_run_file only */
} sim_run_request;

/* What sim_run_file did. */
typedef struct sim_run_result {
    const char *model;          /* name of the scenario's model (static) */
    int         replications;   /* replications run (0 with validate_only) */
    uint64_t    events;         /* events handled, all replications */
    double      seconds;        /* wall time of the replications */
} sim_run_result;

/* Run one request and write its output file (req->output, else
 * results/<name>.h5); with req->validate_only only check the scenario and write
 * nothing. Prints nothing on stdout: problems go to stderr, and progress too
 * unless req->quiet. Returns 0 and fills *result (may be NULL), or -1 after
 * printing why; a failed run leaves no output file. For commands that run a
 * scenario as one step (sweep points). */
int sim_run_file(const sim_run_request *req, sim_run_result *result);

/* The `sim run` / `sim validate` command: sim_run_file, then (unless req->quiet)
 * the run's line, the model's summary and the output path on stdout, or the
 * "valid" line. Returns a process exit code (SIM_EXIT_*). */
int sim_run_main(const sim_run_request *req);

/* What sim_run_in_memory hands over: the model's schema and the results of every
 * replication (detail series), borrowed for the duration of the callback. */
typedef struct sim_run_view {
    const sim_schema  *schema;
    const sim_results *results;
    long               origin_days;   /* days since 1970-01-01 of time 0 */
} sim_run_view;

/* Run a request without writing a file (calibration, checks): load, override,
 * configure, run the replications at detail series, then call use(view, user)
 * before anything is freed. With req->validate_only nothing runs and
 * view->results is NULL (the schema only). Returns use's result (0 = fine), or -1
 * after printing why the scenario could not be run. req->output, detail and
 * sample are ignored. */
int sim_run_in_memory(const sim_run_request *req, int (*use)(const sim_run_view *v, void *user), void *user);

/* --scale F: multiply the value of the scenario's model's scale_key (sim/core/model.h)
 * by F in cfg (an integer key is rounded, at least 1), as a --set would; problems
 * (no such model or key, a model without a scale) are recorded in cfg. */
void sim_run_apply_scale(sim_config *cfg, const sim_model_type *const *models, double scale);

/* Print mean and 95% t-interval over replications of every summary field. */
void sim_print_summary_table(const sim_schema *s, const double *summary, size_t nrep, FILE *f);

#endif
