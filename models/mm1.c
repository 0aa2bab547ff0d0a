/* mm1.c: M/M/1 queue. Customers arrive at rate lambda, one server serves at
 * rate mu, first come first served. Scenario group:
 *   mm1 = { arrival_rate; service_rate; customers; observe_step; observe_count; };
 * Streams: arrivals (entity 0, purpose 1) and services (entity 0, purpose 2). */
#include "mm1.h"

#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdlib.h>

#include "../sim/io/config.h"
#include "../sim/core/rng.h"

enum { EV_ARRIVAL, EV_DEPARTURE };
enum { PURPOSE_ARRIVAL = 1, PURPOSE_SERVICE = 2 };
enum { SUM_SERVED, SUM_WAIT, SUM_SYSTEM, SUM_QUEUE, SUM_UTIL, SUM_MAX_QUEUE, SUM_N };

typedef struct {
    double     lambda, mu;
    uint32_t   customers;
    sim_schema schema;
} mm1_params;

/* Workspace: FIFO of waiting customers (arrival times) as a growable ring. */
typedef struct {
    const mm1_params *p;
    gsl_rng  *arrivals, *service;
    double   *ring;
    size_t    cap, head, len;       /* invariant: len <= cap, cap a power of two */
    int       busy;
    double    in_service_since;     /* arrival time of the customer in service */
    uint32_t  arrived, served, in_service_id, next_waiting_id;
    double    sum_wait, sum_system, area_queue, area_busy, last, max_queue;
} mm1_ws;

static const sim_field summary_fields[SUM_N] = {
    {"customers_served", "customers", "customers who completed service"},
    {"mean_wait", "time", "mean time in queue before service (Wq)"},
    {"mean_system_time", "time", "mean time in system (W)"},
    {"mean_queue_length", "customers", "time-average number waiting (Lq)"},
    {"utilisation", "1", "share of time the server is busy"},
    {"max_queue_length", "customers", "largest number waiting at once"},
};
static const sim_field series_fields[] = {{"queue_length", "customers", "number waiting"}};
static const char *const columns[] = {"server"};
static const char *const kinds[] = {"arrival", "service_start", "departure"};
static const char *const states[] = {"outside", "waiting", "in_service", "departed"};

/* One row of /events: a customer's transition. */
typedef struct {
    double   time;
    uint32_t replication, customer;
    uint8_t  kind, from, to;
} mm1_trace_row;

static const sim_record_field trace_fields[] = {
    {"replication", SIM_U32, offsetof(mm1_trace_row, replication), {0, NULL}, ""},
    {"time", SIM_F64, offsetof(mm1_trace_row, time), {0, NULL}, "days"},
    {"customer", SIM_U32, offsetof(mm1_trace_row, customer), {0, NULL}, ""},
    {"kind", SIM_U8, offsetof(mm1_trace_row, kind), {SIM_ARRAY_LEN(kinds), kinds}, ""},
    {"from_state", SIM_U8, offsetof(mm1_trace_row, from), {SIM_ARRAY_LEN(states), states}, ""},
    {"to_state", SIM_U8, offsetof(mm1_trace_row, to), {SIM_ARRAY_LEN(states), states}, ""},
};

static void *mm1_configure(sim_config *cfg, const sim_setup *setup)
{
    (void)setup;
    mm1_params *p = calloc(1, sizeof *p);
    if (!p) return NULL;
    sim_node *g = sim_cfg_group(cfg, NULL, "mm1");
    if (!g) { free(p); return NULL; }
    p->lambda = sim_cfg_real(cfg, g, "arrival_rate", 1e-9, 1e9);
    p->mu = sim_cfg_real(cfg, g, "service_rate", 1e-9, 1e9);
    p->customers = (uint32_t)sim_cfg_int(cfg, g, "customers", 1, 2000000000);
    double step = sim_cfg_real(cfg, g, "observe_step", 0.0, 1e12);
    long long count = sim_cfg_int(cfg, g, "observe_count", 0, 1000000);
    p->schema = (sim_schema){summary_fields, SUM_N, series_fields, 1, "server", columns, 1,
                             step, step > 0 ? (size_t)count : 0,
                             {sizeof(mm1_trace_row), trace_fields, SIM_ARRAY_LEN(trace_fields)}, NULL};
    return p;
}

static void mm1_destroy(void *params) { free(params); }
static const sim_schema *mm1_schema(const void *params) { return &((const mm1_params *)params)->schema; }

static void *mm1_ws_create(const void *params)
{
    mm1_ws *w = calloc(1, sizeof *w);
    if (!w) return NULL;
    w->p = params;
    w->cap = 1024;
    w->ring = malloc(w->cap * sizeof *w->ring);
    w->arrivals = sim_rng_create();
    w->service = sim_rng_create();
    if (!w->ring || !w->arrivals || !w->service) {
        free(w->ring);
        gsl_rng_free(w->arrivals);
        gsl_rng_free(w->service);
        free(w);
        return NULL;
    }
    return w;
}

static void mm1_ws_destroy(void *ws)
{
    mm1_ws *w = ws;
    free(w->ring);
    gsl_rng_free(w->arrivals);
    gsl_rng_free(w->service);
    free(w);
}

static void trace(sim_ctx *ctx, uint32_t who, int kind, int from, int to)
{
    if (!sim_ctx_tracing(ctx, who)) return;
    mm1_trace_row row = {sim_ctx_now(ctx), sim_ctx_replication(ctx), who, (uint8_t)kind, (uint8_t)from, (uint8_t)to};
    sim_ctx_trace(ctx, &row);
}

static void mm1_start(void *ws, sim_ctx *ctx)
{
    mm1_ws *w = ws;
    const mm1_params *p = w->p;
    uint64_t seed = sim_ctx_seed(ctx);
    uint32_t rep = sim_ctx_replication(ctx);
    sim_rng_stream(w->arrivals, seed, rep, 0, PURPOSE_ARRIVAL);
    sim_rng_stream(w->service, seed, rep, 0, PURPOSE_SERVICE);
    w->head = w->len = 0;
    w->busy = 0;
    w->arrived = w->served = w->next_waiting_id = 0;
    w->sum_wait = w->sum_system = w->area_queue = w->area_busy = w->last = w->max_queue = 0;
    sim_ctx_schedule(ctx, sim_rng_exponential(w->arrivals, 1.0 / p->lambda), 0, EV_ARRIVAL, 0, 0, 0);
}

/* Accumulate time-weighted areas up to now. */
static void advance(mm1_ws *w, double now)
{
    double dt = now - w->last;
    w->area_queue += dt * (double)w->len;
    w->area_busy += dt * w->busy;
    w->last = now;
}

static int ring_push(mm1_ws *w, double t)
{
    if (w->len == w->cap) {   /* grow: rare, amortised, keeps FIFO order */
        double *r = malloc(2 * w->cap * sizeof *r);
        if (!r) return -1;
        for (size_t i = 0; i < w->len; i++) r[i] = w->ring[(w->head + i) & (w->cap - 1)];
        free(w->ring);
        w->ring = r;
        w->head = 0;
        w->cap *= 2;
    }
    w->ring[(w->head + w->len++) & (w->cap - 1)] = t;
    return 0;
}

static double ring_pop(mm1_ws *w)
{
    double t = w->ring[w->head];
    w->head = (w->head + 1) & (w->cap - 1);
    w->len--;
    return t;
}

static void begin_service(mm1_ws *w, sim_ctx *ctx, double arrived_at, uint32_t who)
{
    double now = sim_ctx_now(ctx);
    w->busy = 1;
    w->in_service_since = arrived_at;
    w->in_service_id = who;
    w->sum_wait += now - arrived_at;
    sim_ctx_schedule(ctx, now + sim_rng_exponential(w->service, 1.0 / w->p->mu), 0, EV_DEPARTURE, who, 0, 0);
    trace(ctx, who, 1, 1, 2);
}

static void on_arrival(mm1_ws *w, sim_ctx *ctx)
{
    double now = sim_ctx_now(ctx);
    uint32_t who = w->arrived++;
    trace(ctx, who, 0, 0, 1);
    if (w->arrived < w->p->customers)
        sim_ctx_schedule(ctx, now + sim_rng_exponential(w->arrivals, 1.0 / w->p->lambda), 0, EV_ARRIVAL, 0, 0, 0);
    if (!w->busy) {
        begin_service(w, ctx, now, who);
    } else if (ring_push(w, now) == 0) {
        if ((double)w->len > w->max_queue) w->max_queue = (double)w->len;
    }
}

static void on_departure(mm1_ws *w, sim_ctx *ctx)
{
    w->served++;
    w->sum_system += sim_ctx_now(ctx) - w->in_service_since;
    trace(ctx, w->in_service_id, 2, 2, 3);
    w->busy = 0;
    if (w->len > 0) {
        uint32_t next = w->in_service_id + 1;   /* FIFO: customers are served in arrival order */
        begin_service(w, ctx, ring_pop(w), next);
    }
}

static void mm1_handle(void *ws, sim_ctx *ctx, const sim_event *ev)
{
    mm1_ws *w = ws;
    advance(w, ev->time);
    if (ev->kind == EV_ARRIVAL) on_arrival(w, ctx);
    else on_departure(w, ctx);
}

static void mm1_observe(void *ws, sim_ctx *ctx, double *row)
{
    (void)ctx;
    row[0] = (double)((mm1_ws *)ws)->len;
}

static void mm1_finish(void *ws, sim_ctx *ctx, double *s)
{
    (void)ctx;
    mm1_ws *w = ws;
    /* means over nobody or over no time are undefined: NaN, never 0 (lm_output.c's share) */
    double n = (double)w->served;
    s[SUM_SERVED] = w->served;
    s[SUM_WAIT] = n > 0 ? w->sum_wait / n : NAN;
    s[SUM_SYSTEM] = n > 0 ? w->sum_system / n : NAN;
    s[SUM_QUEUE] = w->last > 0 ? w->area_queue / w->last : NAN;
    s[SUM_UTIL] = w->last > 0 ? w->area_busy / w->last : NAN;
    s[SUM_MAX_QUEUE] = w->max_queue;
}

const sim_model_type lm_mm1_model = {
    "mm1", "M/M/1 queue (engine benchmark and test model)",
    mm1_configure, mm1_destroy, mm1_schema, mm1_ws_create, mm1_ws_destroy,
    mm1_start, mm1_handle, mm1_observe, mm1_finish, NULL, NULL, "mm1.customers", NULL, NULL,
};
