/* engine.c: the event loop. Pops events in (time, priority, sequence) order,
 * advances the clock, and dispatches to the model. Series observation k closes
 * the half-open interval [start of k, time of k): it runs before any event at its
 * time is handled (a policy that starts on the 1st of a month shows in that
 * month's row, as calendar months do). Observations are not queue events. */
#include "engine.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MODEL_MAX_PRIORITY (SIM_EVQ_MAX_PRIORITY - 1)   /* the model API's range: 0..65534 */
/* Trajectory rows reserved at the first trace of a replication (then doubling). */
#define TRACE_INITIAL_ROWS 65536

struct sim_ctx {
    sim_ctx_head_     head;        /* first: sim_ctx_now reads it inline (model.h) */
    sim_evq          *q;
    const sim_schema *schema;
    double            end;
    uint64_t          seed;
    uint32_t          rep;
    uint64_t          events;
    int               failed;      /* out of memory during the replication */
    sim_detail        detail;
    sim_evq_touch_fn  touch;       /* the model's prefetch hint, or NULL */
    void             *touch_user;
    sim_tick_fn       tick;        /* progress hook, or NULL (sim_ctx_set_tick) */
    void             *tick_user;
    double            start;       /* the clock after the model's start */
    uint64_t          sample_cut;  /* trace entity if hash < sample_cut */
    unsigned char    *trace;       /* ntrace rows of row_size bytes (capacity captrace) */
    size_t            row_size;    /* schema->trace.size */
    size_t            ntrace, captrace;
    size_t            obs_step;    /* series observations made so far */
    sim_event         held;        /* popped but not handled: the first event at or after
                                      the time sim_engine_advance stopped at */
    int               has_held;
};

sim_ctx *sim_ctx_create(const sim_schema *schema, uint64_t seed, sim_detail detail, double sample)
{
    SIM_ASSERT(schema);
    SIM_ASSERT(sample >= 0.0 && sample <= 1.0);
    SIM_ASSERT(detail >= SIM_DETAIL_SUMMARY && detail <= SIM_DETAIL_EVENTS);
    sim_ctx *ctx = calloc(1, sizeof *ctx);
    if (!ctx) return NULL;
    ctx->q = sim_evq_create(0);
    if (!ctx->q) { free(ctx); return NULL; }
    ctx->schema = schema;
    ctx->row_size = schema->trace.size;
    ctx->seed = seed;
    ctx->detail = detail;
    ctx->sample_cut = sample >= 1.0 ? UINT64_MAX : (uint64_t)(sample * 18446744073709551615.0);
    return ctx;
}

void sim_ctx_destroy(sim_ctx *ctx)
{
    if (!ctx) return;
    sim_evq_destroy(ctx->q);
    free(ctx->trace);
    free(ctx);
}

uint32_t sim_ctx_replication(const sim_ctx *ctx) { return ctx->rep; }
uint64_t sim_ctx_seed(const sim_ctx *ctx) { return ctx->seed; }
void sim_ctx_set_end(sim_ctx *ctx, double t) { ctx->end = t; }
void sim_ctx_set_tick(sim_ctx *ctx, sim_tick_fn tick, void *user) { ctx->tick = tick, ctx->tick_user = user; }
void sim_ctx_span(const sim_ctx *ctx, double *start, double *end) { *start = ctx->start, *end = ctx->end; }
void sim_ctx_set_start(sim_ctx *ctx, double t) { ctx->head.now = t; }
void sim_ctx_fail(sim_ctx *ctx) { ctx->failed = 1; }
size_t sim_ctx_pending(const sim_ctx *ctx) { return sim_evq_size(ctx->q); }

void sim_ctx_purge(sim_ctx *ctx, sim_evq_keep_fn keep, void *user)
{
    SIM_ASSERT(ctx && keep);
    sim_evq_filter(ctx->q, keep, user);
}

void sim_ctx_set_live(sim_ctx *ctx, sim_evq_keep_fn keep, void *user)
{
    SIM_ASSERT(ctx);
    sim_evq_set_live(ctx->q, keep, user);
}

void sim_ctx_set_touch(sim_ctx *ctx, sim_evq_touch_fn touch, void *user)
{
    SIM_ASSERT(ctx);
    ctx->touch = touch;
    ctx->touch_user = user;
    sim_evq_set_touch(ctx->q, touch, user);
}

uint64_t sim_ctx_cancelled(const sim_ctx *ctx) { return sim_evq_dropped(ctx->q); }
uint64_t sim_ctx_events(const sim_ctx *ctx) { return ctx->events; }
size_t sim_ctx_trace_count(const sim_ctx *ctx) { return ctx->ntrace; }

/* Push an event (model or engine); out of memory marks the replication failed. */
static void enqueue(sim_ctx *ctx, double time, unsigned priority, uint32_t kind,
                    uint32_t entity, uint32_t stamp, uint32_t arg)
{
    if (SIM_UNLIKELY(sim_evq_push(ctx->q, time < ctx->head.now ? ctx->head.now : time, priority,
                                  kind, entity, stamp, arg) != 0))
        ctx->failed = 1;
}

void sim_ctx_schedule(sim_ctx *ctx, double time, unsigned priority, uint32_t kind,
                      uint32_t entity, uint32_t stamp, uint32_t arg)
{
    /* The clock never runs backwards: the queue pops in order, and nothing is
     * scheduled in the past (this also refuses NaN). */
    SIM_ASSERT(time >= ctx->head.now);
    SIM_ASSERT(priority <= MODEL_MAX_PRIORITY);
    enqueue(ctx, time, priority, kind, entity, stamp, arg);
}

/* SplitMix64 finaliser: a fixed hash so the traced sample depends on (seed, entity) only. */
static uint64_t mix64(uint64_t x)
{
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

int sim_ctx_tracing(const sim_ctx *ctx, uint32_t entity)
{
    if (ctx->detail != SIM_DETAIL_EVENTS) return 0;
    return ctx->sample_cut == UINT64_MAX || mix64(ctx->seed ^ mix64(entity)) < ctx->sample_cut;
}

/* Room for n trajectory rows (doubling from TRACE_INITIAL_ROWS). 0, or -1. */
static int ensure_trace(sim_ctx *ctx, size_t n)
{
    if (n <= ctx->captrace) return 0;
    size_t cap = ctx->captrace ? ctx->captrace : TRACE_INITIAL_ROWS;
    while (cap < n) cap *= 2;
    unsigned char *t = realloc(ctx->trace, cap * ctx->row_size);
    if (!t) return -1;
    ctx->trace = t;
    ctx->captrace = cap;
    return 0;
}

void sim_ctx_trace(sim_ctx *ctx, const void *row)
{
    SIM_ASSERT(ctx->detail == SIM_DETAIL_EVENTS && row);
    SIM_ASSERT(ctx->row_size > 0);   /* the model declared a trace record */
    if (ctx->ntrace == ctx->captrace && ensure_trace(ctx, ctx->ntrace + 1) != 0) { ctx->failed = 1; return; }
    memcpy(ctx->trace + ctx->ntrace++ * ctx->row_size, row, ctx->row_size);
}

void *sim_ctx_take_trace(sim_ctx *ctx, size_t *n)
{
    void *rows = ctx->trace;
    *n = ctx->ntrace;
    ctx->trace = NULL;
    ctx->ntrace = ctx->captrace = 0;
    return rows;
}

static void reset(sim_ctx *ctx, uint32_t rep)
{
    sim_evq_reset(ctx->q);   /* also forgets the model's liveness test and hint */
    ctx->touch = NULL;
    ctx->touch_user = NULL;
    ctx->head.now = 0.0;
    ctx->end = INFINITY;
    ctx->rep = rep;
    ctx->events = 0;
    ctx->failed = 0;
    ctx->ntrace = 0;
    ctx->obs_step = 0;
    ctx->has_held = 0;
}

/* The next event: the held one if any, else the queue's. 0 when there is none. */
static SIM_ALWAYS_INLINE int next_event(sim_ctx *ctx, sim_event *ev)
{
    if (SIM_UNLIKELY(ctx->has_held)) {
        *ev = ctx->held;
        ctx->has_held = 0;
        return 1;
    }
    return sim_evq_pop(ctx->q, ev);
}

/* Pop and dispatch every event before `until` until the queue is empty, the end
 * time is passed or the replication failed; the first event at or after `until`
 * is held for the next call (before the observations due ahead of it). With
 * `touching` (a literal, so each call is specialised), the model's prefetch hint
 * sees the next event before the current one is handled. */
static SIM_ALWAYS_INLINE void event_loop(sim_ctx *ctx, const sim_model_type *m, void *ws,
                                         double *series, double until, int touching)
{
    const sim_schema *s = ctx->schema;
    size_t row_len = s->n_series * s->n_columns, step = ctx->obs_step, nobs = series ? s->n_steps : 0;
    double next_obs = step < nobs ? sim_schema_obs_time(s, step) : INFINITY;
    sim_event ev;
    while (!ctx->failed && next_event(ctx, &ev)) {
        if (ev.time > ctx->end) break;
        if (SIM_UNLIKELY(ev.time >= until)) {
            ctx->held = ev;
            ctx->has_held = 1;
            break;
        }
        while (ev.time >= next_obs) {   /* observations due before this event */
            ctx->head.now = next_obs;
            m->observe(ws, ctx, series + step * row_len);
            next_obs = ++step < nobs ? sim_schema_obs_time(s, step) : INFINITY;
        }
        ctx->head.now = ev.time;
        if ((++ctx->events & (SIM_TICK_EVENTS - 1)) == 0 && ctx->tick) ctx->tick(ctx->tick_user, ctx);
        if (touching) {
            const sim_event *next = sim_evq_peek(ctx->q);
            if (next) ctx->touch(next, ctx->touch_user);
        }
        m->handle(ws, ctx, &ev);
    }
    ctx->obs_step = step;
}

void sim_engine_begin(sim_ctx *ctx, const sim_model_type *m, void *ws, uint32_t rep)
{
    SIM_ASSERT(ctx && m);
    SIM_ASSERT(m->start && m->handle && m->observe && m->finish);
    SIM_ASSERT(ctx->schema->n_steps == 0 || ctx->schema->series_step > 0 || ctx->schema->obs_times);
    reset(ctx, rep);
    m->start(ws, ctx);
    ctx->start = ctx->head.now;
}

void sim_engine_advance(sim_ctx *ctx, const sim_model_type *m, void *ws, double until, double *series)
{
    SIM_ASSERT(ctx && m && !isnan(until));
    if (ctx->touch) event_loop(ctx, m, ws, series, until, 1);
    else event_loop(ctx, m, ws, series, until, 0);
}

int sim_engine_finish(sim_ctx *ctx, const sim_model_type *m, void *ws, double *summary, double *series)
{
    SIM_ASSERT(ctx && m && summary);
    const sim_schema *s = ctx->schema;
    size_t row_len = s->n_series * s->n_columns;
    /* Observations after the last event (or after the end) see the final state. */
    for (size_t step = ctx->obs_step; series && step < s->n_steps && !ctx->failed; step++) {
        ctx->head.now = sim_schema_obs_time(s, step);
        m->observe(ws, ctx, series + step * row_len);
    }
    if (sim_evq_failed(ctx->q)) ctx->failed = 1;
    m->finish(ws, ctx, summary);
    return ctx->failed ? -1 : 0;
}

int sim_engine_run(sim_ctx *ctx, const sim_model_type *m, void *ws, uint32_t rep,
                   double *summary, double *series)
{
    sim_engine_begin(ctx, m, ws, rep);
    sim_engine_advance(ctx, m, ws, INFINITY, series);
    return sim_engine_finish(ctx, m, ws, summary, series);
}

size_t sim_ctx_obs_step(const sim_ctx *ctx) { return ctx->obs_step; }
int sim_ctx_failed(const sim_ctx *ctx) { return ctx->failed || sim_evq_failed(ctx->q); }

int sim_ctx_copy(sim_ctx *dst, const sim_ctx *src)
{
    SIM_ASSERT(dst && src && dst != src);
    SIM_ASSERT(dst->seed == src->seed && dst->row_size == src->row_size);
    reset(dst, src->rep);
    if (src->ntrace && ensure_trace(dst, src->ntrace) != 0) return -1;
    if (sim_evq_copy(dst->q, src->q) != 0) return -1;
    if (src->ntrace) memcpy(dst->trace, src->trace, src->ntrace * src->row_size);
    dst->ntrace = src->ntrace;
    dst->head = src->head;
    dst->end = src->end;
    dst->events = src->events;
    dst->failed = src->failed;
    dst->start = src->start;
    dst->obs_step = src->obs_step;
    dst->held = src->held;
    dst->has_held = src->has_held;
    return 0;
}
