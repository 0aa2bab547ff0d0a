/* runner.h: replications in parallel. One whole replication per OpenMP thread
 * (schedule(dynamic)); each thread owns one model workspace and one sim_ctx,
 * reset between replications. Results land in per-replication slots, and
 * trajectory rows are committed to the output in replication order, so every
 * output is identical for any thread count. */
#ifndef SIM_RUNNER_H
#define SIM_RUNNER_H

#include "engine.h"
#include "out.h"

typedef struct sim_run_opts {
    int        threads;       /* >= 1 */
    int        replications;  /* >= 1 */
    uint32_t   first_rep;     /* index of the first replication (sweeps, slices) */
    uint64_t   seed;
    sim_detail detail;
    double     sample;        /* traced share of entities at SIM_DETAIL_EVENTS */
    int        progress;      /* print progress on stderr */
} sim_run_opts;

/* Results of a run; free with sim_results_free. */
typedef struct sim_results {
    size_t    nrep;
    double   *summary;        /* [nrep][n_summary] */
    double   *series;         /* [nrep][n_steps][n_series][n_columns] or NULL */
    uint64_t  events;         /* events handled, all replications */
    double    seconds;        /* wall time of the replications */
} sim_results;

/* Run all replications. `out` may be NULL (no trajectory output). Returns 0, or -1
 * after printing why (out of memory, output error). */
int sim_runner_run(const sim_model_type *m, const void *params, const sim_schema *s,
                   const sim_run_opts *o, sim_out *out, sim_results *res);
void sim_results_free(sim_results *r);

#endif
