/* engine.h: one replication of a model: the clock, the event loop and the
 * per-replication buffers (series row, trajectory rows). A sim_ctx is a
 * per-thread workspace: created once, reset at the start of every replication. */
#ifndef SIM_ENGINE_H
#define SIM_ENGINE_H

#include "model.h"

/* Output detail levels (scenario key output.detail). */
typedef enum { SIM_DETAIL_SUMMARY = 0, SIM_DETAIL_SERIES = 1, SIM_DETAIL_EVENTS = 2 } sim_detail;

/* Create a context for `schema` (borrowed; must outlive the context). `sample` is
 * the share of entities traced at detail EVENTS. NULL when out of memory. */
sim_ctx *sim_ctx_create(const sim_schema *schema, uint64_t seed, sim_detail detail, double sample);
void sim_ctx_destroy(sim_ctx *ctx);   /* NULL is a no-op */

/* Run replication `rep` of model m on workspace ws. summary receives n_summary
 * values; series (may be NULL) receives n_steps * n_series * n_columns values.
 * Returns 0, or -1 when the replication ran out of memory. */
int sim_engine_run(sim_ctx *ctx, const sim_model_type *m, void *ws, uint32_t rep,
                   double *summary, double *series);

/* The same replication in steps (sim_engine_run is begin, advance to INFINITY,
 * finish): begin resets ctx and starts the model; advance handles every event
 * before `until` (the first one at or after it is held, unhandled, for the next
 * advance) and makes the series observations due before the last one handled;
 * finish makes the remaining observations and fills summary (0, or -1 when the
 * replication ran out of memory). Between two steps ctx and ws may be copied:
 * sim_ctx_copy and the model's branch (model.h) give a second replication that
 * continues from the same state. */
void sim_engine_begin(sim_ctx *ctx, const sim_model_type *m, void *ws, uint32_t rep);
void sim_engine_advance(sim_ctx *ctx, const sim_model_type *m, void *ws, double until, double *series);
int sim_engine_finish(sim_ctx *ctx, const sim_model_type *m, void *ws, double *summary, double *series);

/* Make dst (a context with the same seed and trace record size) continue where
 * src stands: its clock, pending and held events, event count, observation step
 * and trajectory rows; dst keeps its own schema, detail, sample and progress hook,
 * and forgets src's liveness test and prefetch hint (the model's branch registers
 * its own). 0, or -1 when out of memory (dst is then reset). */
int sim_ctx_copy(sim_ctx *dst, const sim_ctx *src);
/* Series observations made so far in the current replication. */
size_t sim_ctx_obs_step(const sim_ctx *ctx);
/* 1 if the current replication ran out of memory (it cannot be continued or copied). */
int sim_ctx_failed(const sim_ctx *ctx);

/* Progress hook (optional, for the runner): tick(user, ctx) is called from the
 * event loop every SIM_TICK_EVENTS events of a replication, before the event is
 * handled; it may read the clock (sim_ctx_now, sim_ctx_span) and must change
 * nothing the model sees. NULL turns it off; kept across replications. */
#define SIM_TICK_EVENTS 65536u
typedef void (*sim_tick_fn)(void *user, const sim_ctx *ctx);
void sim_ctx_set_tick(sim_ctx *ctx, sim_tick_fn tick, void *user);
/* The current replication's first time (after the model's start, e.g. -burn-in)
 * and end (sim_ctx_set_end; INFINITY when the model set none). */
void sim_ctx_span(const sim_ctx *ctx, double *start, double *end);

/* Model events handled in the last replication (observations are not events). */
uint64_t sim_ctx_events(const sim_ctx *ctx);
/* Cancelled events the queue dropped unhandled in the last replication (sim_ctx_set_live). */
uint64_t sim_ctx_cancelled(const sim_ctx *ctx);
/* Trajectory rows collected in the last replication, each schema.trace.size
 * bytes. Ownership stays with ctx; sim_ctx_take_trace moves them out (the caller
 * frees the result with free()). */
size_t sim_ctx_trace_count(const sim_ctx *ctx);
void *sim_ctx_take_trace(sim_ctx *ctx, size_t *n);

#endif
