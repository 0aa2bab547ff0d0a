/* model.h: the contract between the engine and a model.
 *
 * A model is a table of function pointers (sim_model_type) registered by name,
 * in the manner of gsl_rng_type. The engine calls:
 *   configure  once per run: read and validate the scenario, build immutable
 *              parameters shared read-only by all threads;
 *   schema     what the model reports (summary fields, series, trace record);
 *   workspace_create/destroy  once per thread;
 *   start      once per replication: reset the workspace, schedule first events;
 *   handle     for every event popped from the queue;
 *   observe    at every series time step, to fill one row of the series;
 *   finish     at the end of a replication, to fill the summary row;
 *   write      optionally, to add model tables (e.g. /regions) to the output;
 *   report     optionally, to print a human summary of the results.
 * The engine never includes anything from models/ and keeps no list of models:
 * `main` (sim/app/cli.c) names the models linked into the program and passes that
 * list down to the commands (sim_run_request.models). */
#ifndef SIM_MODEL_H
#define SIM_MODEL_H

#include <stdio.h>

#include "common.h"
#include "evq.h"

typedef struct sim_ctx sim_ctx;   /* per-replication engine context (sim/core/engine.h) */
/* Known to the engine by name only: the application's scenario reader and
 * output file, handed through to the model's configure and write. */
typedef struct sim_config sim_config;   /* a loaded scenario (sim/io/config.h) */
typedef struct sim_out sim_out;         /* an output file being written (sim/io/out.h) */

/* A named quantity in /summary or /series. */
typedef struct sim_field {
    const char *name;
    const char *unit;
    const char *description;
} sim_field;

/* Labels of an enum field of a trace record: value i is named names[i]. */
typedef struct sim_labels {
    size_t             n;
    const char *const *names;
} sim_labels;

/* Scalar types of a trace-record field (native byte order in memory). */
typedef enum { SIM_U8, SIM_U16, SIM_U32, SIM_F32, SIM_F64 } sim_scalar;

/* One field of a model's trace record: a column of /events. */
typedef struct sim_record_field {
    const char *name;     /* column name, unique in the record */
    sim_scalar  type;
    size_t      offset;   /* offsetof the field in the model's row struct */
    sim_labels  labels;   /* n > 0: an enum with values 0 .. n-1 (type SIM_U8 or SIM_U16,
                           * n <= 256 or 65536); n = 0: a plain number */
    const char *unit;     /* "" when none */
} sim_record_field;

/* A model's trace record: its own row struct (size bytes), described field by
 * field in the order the columns are written. The engine stores rows as opaque
 * records of `size` bytes and never reads a field; the output module builds the
 * /events type from the table. Invariant: every field lies inside `size`.
 * size = 0: the model writes no trajectory rows. */
typedef struct sim_record {
    size_t                  size;
    const sim_record_field *fields;
    size_t                  n_fields;
} sim_record;

/* What a configured model reports. Owned by the model's parameters. */
typedef struct sim_schema {
    const sim_field   *summary;       /* one value per replication */
    size_t             n_summary;
    const sim_field   *series;        /* [replication][time][column] each */
    size_t             n_series;
    const char        *column_dim;    /* name of the column dimension, e.g. "region" */
    const char *const *columns;       /* column labels */
    size_t             n_columns;
    double             series_step;   /* days between observations (the mean, with obs_times) */
    size_t             n_steps;       /* observations at step, 2*step, ... (0 = none) */
    sim_record         trace;         /* the rows of /events (sim_ctx_trace) */
    /* NULL, or the n_steps observation times (days since the origin, ascending,
     * > 0), e.g. calendar month boundaries; owned by the model's parameters.
     * Observation k closes the interval [time of k-1 (or 0), time of k): it sees
     * the state before any event at its own time (sim/core/engine.c). */
    const double      *obs_times;
} sim_schema;

/* Time of observation k (the end of interval k): obs_times[k] or (k + 1) * step. */
static inline double sim_schema_obs_time(const sim_schema *s, size_t k)
{
    return s->obs_times ? s->obs_times[k] : (double)(k + 1) * s->series_step;
}

/* Start of interval k: 0 for the first, else the previous observation. */
static inline double sim_schema_obs_start(const sim_schema *s, size_t k)
{
    return k == 0 ? 0.0 : sim_schema_obs_time(s, k - 1);
}

/* Run-level settings the engine read from the scenario before the model. */
typedef struct sim_setup {
    uint64_t seed;
    int      replications;
    long     origin_days;   /* days since 1970-01-01 of time 0 */
} sim_setup;

typedef struct sim_model_type {
    const char *name;
    const char *description;
    /* Returns parameters (owned by the caller, freed with destroy) or NULL after
     * recording every problem in cfg. */
    void *(*configure)(sim_config *cfg, const sim_setup *setup);
    void (*destroy)(void *params);
    const sim_schema *(*schema)(const void *params);
    /* Per-thread workspace; NULL when out of memory. */
    void *(*workspace_create)(const void *params);
    void (*workspace_destroy)(void *ws);
    void (*start)(void *ws, sim_ctx *ctx);
    void (*handle)(void *ws, sim_ctx *ctx, const sim_event *ev);
    /* Fill row[series * n_columns + column] for the current time step. */
    void (*observe)(void *ws, sim_ctx *ctx, double *row);
    /* Fill summary[0 .. n_summary). */
    void (*finish)(void *ws, sim_ctx *ctx, double *summary);
    /* Optional (may be NULL): add tables to the output. 0 or -1 (message printed). */
    int (*write)(const void *params, sim_out *out);
    /* Optional: print a readable summary; summary is [nrep][n_summary], series is
     * [nrep][n_steps][n_series][n_columns] or NULL (detail summary). */
    void (*report)(const void *params, const double *summary, const double *series,
                   size_t nrep, FILE *f);
    /* Optional: the scenario key that sets the population (a number, or an integer
     * count), which `--scale F` multiplies by F; NULL = the model has none. */
    const char *scale_key;
    /* Optional (both or neither): continuing one scenario from another's state,
     * so that scenarios which share a warm-up run it once (sim_runner_run_jobs).
     * branch_time(a, b): a time t such that, for the same seed and replication,
     * a run with parameters b handles exactly the events of a run with parameters
     * a, in the same states, at every time before t; NAN when there is none.
     * The runner branches only when t is not after b's first series observation.
     * branch(ws, src, ctx): make ws (a workspace of b's parameters) continue from
     * src (a's workspace, advanced to t by sim_engine_advance), in ctx (already a
     * sim_ctx_copy of src's context); the result must equal b's own run bit for
     * bit. 0, or -1 when out of memory. */
    double (*branch_time)(const void *params_a, const void *params_b);
    int (*branch)(void *ws, const void *src, sim_ctx *ctx);
} sim_model_type;

/* Most models one program may link (names offered by the scenario key `model`). */
#define SIM_MODELS_MAX 32

/* Find a model by name in `models`, a NULL-terminated list (borrowed); NULL if
 * it is not there. */
const sim_model_type *sim_model_find(const sim_model_type *const *models, const char *name);

/* ---- services the engine offers a model during a replication ---- */

/* The leading fields of every sim_ctx, visible here only so that the getter
 * below compiles to one load in a model's handlers (the rest of the context is
 * opaque; engine.c owns these fields and nothing else may write them). */
typedef struct sim_ctx_head_ {
    double now;   /* the clock: days since the time origin */
} sim_ctx_head_;

/* Current simulation time (days). */
static inline double sim_ctx_now(const sim_ctx *ctx)
{
    return ((const sim_ctx_head_ *)(const void *)ctx)->now;   /* head is sim_ctx's first member */
}
uint32_t sim_ctx_replication(const sim_ctx *ctx);
uint64_t sim_ctx_seed(const sim_ctx *ctx);
/* Stop processing events later than t (default: never). */
void sim_ctx_set_end(sim_ctx *ctx, double t);
/* Start the clock at t <= 0 instead of 0 (a warm-up before the time origin: its
 * events run, series observations still start at the first step after 0). Call
 * in start() before scheduling anything. */
void sim_ctx_set_start(sim_ctx *ctx, double t);
/* Schedule an event; priority 0..65534 (lower first at equal time). Time must be
 * >= now. On out-of-memory the replication is marked failed and the run reports it. */
void sim_ctx_schedule(sim_ctx *ctx, double time, unsigned priority, uint32_t kind,
                      uint32_t entity, uint32_t stamp, uint32_t arg);
/* 1 if trajectory rows are being collected for this entity (detail = events and
 * the entity falls in the deterministic sample). */
int sim_ctx_tracing(const sim_ctx *ctx, uint32_t entity);
/* Drop pending events for which keep(ev, user) returns 0 (lazily cancelled ones),
 * to keep the queue small; does not change the order of the others. */
void sim_ctx_purge(sim_ctx *ctx, sim_evq_keep_fn keep, void *user);
/* Register the model's liveness test for the rest of this replication (call it
 * in start; user is borrowed). The queue then drops far-future events for which
 * keep returns 0 before they reach its heap, and they are never handled. keep
 * must be monotone: once 0 for an event, always 0 (sim/core/evq.h). */
void sim_ctx_set_live(sim_ctx *ctx, sim_evq_keep_fn keep, void *user);
/* Register a prefetch hint for the rest of this replication (optional; user is
 * borrowed): touch(ev, user) may start loading the memory an event refers to
 * and must change nothing else. The engine calls it on the next event before
 * handling the current one, and the queue on events about to be tested by keep. */
void sim_ctx_set_touch(sim_ctx *ctx, sim_evq_touch_fn touch, void *user);
/* Number of pending events. */
size_t sim_ctx_pending(const sim_ctx *ctx);
/* Mark the replication as failed (the model ran out of memory); the run reports it. */
void sim_ctx_fail(sim_ctx *ctx);
/* Append a trajectory row: schema.trace.size bytes of the model's row struct,
 * copied (the model fills every field, the replication too if its record has
 * one). Call only when sim_ctx_tracing said 1. */
void sim_ctx_trace(sim_ctx *ctx, const void *row);

#endif
