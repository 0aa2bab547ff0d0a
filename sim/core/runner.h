/* runner.h: replications in parallel. One whole replication per OpenMP thread
 * (schedule(dynamic)); each thread owns one model workspace and one sim_ctx,
 * reset between replications. Results land in per-replication slots, and
 * trajectory rows are handed to a sink (the caller's: a file, a buffer) in
 * replication order, so every output is identical for any thread count. The
 * runner knows no file format. */
#ifndef SIM_RUNNER_H
#define SIM_RUNNER_H

#include "engine.h"

/* Receives the trajectory rows of one replication at a time, in replication
 * order, never concurrently (called inside one critical section, from any
 * worker thread); rows are n records of schema.trace.size bytes, borrowed for
 * the call. Returns 0, or -1 to stop the
 * run after printing why. */
typedef int (*sim_trace_sink)(void *user, const void *rows, size_t n);

typedef struct sim_run_opts {
    int        threads;       /* >= 1 */
    int        replications;  /* >= 1 */
    uint32_t   first_rep;     /* index of the first replication (sweeps, slices) */
    uint64_t   seed;
    sim_detail detail;
    double     sample;        /* traced share of entities at SIM_DETAIL_EVENTS */
    int        progress;      /* print progress on stderr */
    int        progress_within;   /* also within replications: every few seconds the
                                     simulated date and the share done (a live line on
                                     a terminal, plain lines otherwise) */
    long       origin_days;   /* days since 1970-01-01 of time 0 (dates in progress lines) */
    double     progress_seconds;  /* between progress lines within replications (0: 1 s on a
                                     terminal, 5 s otherwise) */
} sim_run_opts;

/* Results of a run; free with sim_results_free. */
typedef struct sim_results {
    size_t    nrep;
    double   *summary;        /* [nrep][n_summary] */
    double   *series;         /* [nrep][n_steps][n_series][n_columns] or NULL */
    uint64_t  events;         /* events handled, all replications */
    double    seconds;        /* wall time of the replications */
    double    end;            /* the replications' end of simulated time (sim_ctx_span; the
                                 model sets it alike in all; INFINITY when it set none) */
} sim_results;

/* Run all replications. At detail SIM_DETAIL_EVENTS the trajectory rows go to
 * sink(sink_user, ...) when sink is not NULL, and are dropped otherwise. Returns
 * 0, or -1 after printing why (out of memory, the sink failed). */
int sim_runner_run(const sim_model_type *m, const void *params, const sim_schema *s,
                   const sim_run_opts *o, sim_trace_sink sink, void *sink_user, sim_results *res);
void sim_results_free(sim_results *r);

/* One scenario of a run of several (sim_runner_run_jobs). */
typedef struct sim_run_job {
    const void       *params;     /* the model's parameters (borrowed) */
    const sim_schema *schema;     /* their schema (borrowed) */
    uint64_t          seed;
    sim_detail        detail;
    double            sample;
    sim_trace_sink    sink;       /* trajectory rows at detail events (NULL: dropped) */
    void             *sink_user;
    uint32_t          rep_offset; /* runs replications first_rep + rep_offset + r (0: the run's own) */
    sim_results       res;        /* out: the results (free with sim_results_free) */
    int               base;       /* out: the job whose run this one continued (its own index if none) */
} sim_run_job;

/* Run replications (o: threads, replications, first_rep, progress; its seed,
 * detail and sample are the jobs') of several scenarios of one model, in
 * parallel over replications and over the jobs that run on their own.
 * Where the model can branch (sim_model_type.branch_time) a job continues, in
 * every replication, from an earlier job's state at the branch time instead of
 * running that part itself (a shared burn-in): the same results bit for bit,
 * less work. With several jobs a thread holds at most two model states at a
 * time (a base and one member), freed when their replication is done; with one
 * job it keeps its state across replications. Progress lines count
 * (replication, job) pairs. Returns 0, or -1 after printing why (then no job's
 * results are kept). */
int sim_runner_run_jobs(const sim_model_type *m, sim_run_job *jobs, size_t njobs, const sim_run_opts *o);

#endif
