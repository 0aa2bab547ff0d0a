/* run.h: the `run` and `validate` pipelines: load a scenario, apply overrides,
 * read the engine's keys, configure the model, run the replications and write
 * the output file. Shared by the CLI and the tests. */
#ifndef SIM_RUN_H
#define SIM_RUN_H

#include "engine.h"

typedef struct sim_run_request {
    const char        *scenario;      /* scenario file */
    const char        *output;        /* output path; NULL = results/<name>.h5 */
    const char *const *sets;          /* --set overrides */
    int                nsets;
    int                threads;       /* 0 = OpenMP default */
    int                replications;  /* 0 = from the scenario */
    int64_t            seed;          /* -1 = from the scenario */
    int                detail;        /* -1 = from the scenario, else sim_detail */
    double             sample;        /* < 0 = from the scenario */
    int                quiet;         /* no progress, no summary */
    int                validate_only;
    const char        *command_line;  /* recorded in the output */
} sim_run_request;

/* Execute a request; returns a process exit code (SIM_EXIT_*), messages on stderr,
 * the summary on stdout. */
int sim_run_main(const sim_run_request *req);

/* Print mean and 95% t-interval over replications of every summary field. */
void sim_print_summary_table(const sim_schema *s, const double *summary, size_t nrep, FILE *f);

#endif
