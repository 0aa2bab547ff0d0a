/* test_engine.c: the engine core on its own. Linked against the core library
 * only (no sim/io, no models, no sim/app: Makefile CORE_TESTS), with a tiny
 * model defined here, so a model with its own trace record runs through the
 * engine and the runner without any change to the core.
 *
 * The tick model: entity e (0 <= e < n) fires first at time e + 1, then every
 * e + 1 + rep days, until the end time. Every firing is counted and traced with
 * a record of this file's own layout (tick_row). */
#include <stdlib.h>
#include <string.h>

#include "../sim/core/runner.h"
#include "check.h"

enum { TICK_FIRST, TICK_AGAIN };
static const char *const tick_kinds[] = {"first", "again"};

/* The model's trace record: a layout the engine has never seen. */
typedef struct {
    double   time;
    uint32_t replication, entity;
    uint8_t  kind;
} tick_row;

static const sim_record_field tick_fields[] = {
    {"replication", SIM_U32, offsetof(tick_row, replication), {0, NULL}, ""},
    {"time", SIM_F64, offsetof(tick_row, time), {0, NULL}, "days"},
    {"entity", SIM_U32, offsetof(tick_row, entity), {0, NULL}, ""},
    {"kind", SIM_U8, offsetof(tick_row, kind), {SIM_ARRAY_LEN(tick_kinds), tick_kinds}, ""},
};
static const sim_field tick_summary[] = {{"fired", "events", "firings"}, {"time_sum", "days", "sum of firing times"}};
static const sim_field tick_series[] = {{"fired", "events", "firings so far"}};
static const char *const tick_columns[] = {"all"};

typedef struct {
    uint32_t   n;
    double     end;
    sim_schema schema;
} tick_params;

typedef struct {
    const tick_params *p;
    double             fired, time_sum;
} tick_ws;

static void *tick_ws_create(const void *params)
{
    tick_ws *w = calloc(1, sizeof *w);
    if (w) w->p = params;
    return w;
}

static void tick_ws_destroy(void *ws) { free(ws); }

static void tick_start(void *ws, sim_ctx *ctx)
{
    tick_ws *w = ws;
    w->fired = w->time_sum = 0.0;
    sim_ctx_set_end(ctx, w->p->end);
    for (uint32_t e = 0; e < w->p->n; e++) sim_ctx_schedule(ctx, e + 1.0, 0, TICK_FIRST, e, 0, 0);
}

static void tick_handle(void *ws, sim_ctx *ctx, const sim_event *ev)
{
    tick_ws *w = ws;
    double now = sim_ctx_now(ctx);
    w->fired++;
    w->time_sum += now;
    if (sim_ctx_tracing(ctx, ev->entity)) {
        tick_row row = {now, sim_ctx_replication(ctx), ev->entity, (uint8_t)ev->kind};
        sim_ctx_trace(ctx, &row);
    }
    sim_ctx_schedule(ctx, now + ev->entity + 1.0 + sim_ctx_replication(ctx), 0, TICK_AGAIN, ev->entity, 0, 0);
}

static void tick_observe(void *ws, sim_ctx *ctx, double *row)
{
    (void)ctx;
    row[0] = ((const tick_ws *)ws)->fired;
}

static void tick_finish(void *ws, sim_ctx *ctx, double *summary)
{
    (void)ctx;
    const tick_ws *w = ws;
    summary[0] = w->fired;
    summary[1] = w->time_sum;
}

/* Only what the engine and the runner call: configure, write and report belong
 * to the application's pipeline. */
static const sim_model_type tick_model = {
    "tick", "test model of test_engine.c", NULL, NULL, NULL,
    tick_ws_create, tick_ws_destroy, tick_start, tick_handle, tick_observe, tick_finish, NULL, NULL, NULL, NULL, NULL};

static tick_params make_params(uint32_t n, double end)
{
    tick_params p = {n, end, {0}};
    p.schema = (sim_schema){tick_summary, 2, tick_series, 1, "total", tick_columns, 1, 10.0, 3,
                            {sizeof(tick_row), tick_fields, SIM_ARRAY_LEN(tick_fields)}, NULL};
    return p;
}

/* Firings of entity e in replication rep up to `end`, and the sum of their times. */
static void expected(uint32_t n, double end, uint32_t rep, double *fired, double *time_sum)
{
    *fired = *time_sum = 0.0;
    for (uint32_t e = 0; e < n; e++)
        for (double t = e + 1.0; t <= end; t += e + 1.0 + rep) {
            *fired += 1.0;
            *time_sum += t;
        }
}

/* 1 if the n rows of a and b hold the same field values (padding is not compared:
 * its bytes are unspecified). */
static int same_rows(const tick_row *a, const tick_row *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (a[i].time != b[i].time || a[i].replication != b[i].replication || a[i].entity != b[i].entity
            || a[i].kind != b[i].kind)
            return 0;
    return 1;
}

/* The sink: copies rows, checks they arrive in replication order. */
typedef struct {
    tick_row *rows;
    size_t    n, cap, calls;
    int       in_order, fail;
} collector;

static int collect(void *user, const void *rows, size_t n)
{
    collector *c = user;
    c->calls++;
    if (c->fail) {
        fputs("test_engine: the sink refuses the rows (expected)\n", stderr);
        return -1;
    }
    if (c->n + n > c->cap) {
        size_t cap = (c->n + n) * 2;
        tick_row *r = realloc(c->rows, cap * sizeof *r);
        if (!r) return -1;
        c->rows = r;
        c->cap = cap;
    }
    memcpy(c->rows + c->n, rows, n * sizeof *c->rows);
    for (size_t i = c->n; i < c->n + n; i++)
        if (i > 0 && c->rows[i].replication < c->rows[i - 1].replication) c->in_order = 0;
    c->n += n;
    return 0;
}

static void test_one_replication(void)
{
    tick_params p = make_params(5, 30.0);
    void *ws = tick_model.workspace_create(&p);
    sim_ctx *ctx = sim_ctx_create(&p.schema, 1, SIM_DETAIL_EVENTS, 1.0);
    double summary[2], series[3], fired, time_sum;
    CHECK(ws && ctx, "workspace and context");
    CHECK(sim_engine_run(ctx, &tick_model, ws, 2, summary, series) == 0, "replication runs");
    expected(5, 30.0, 2, &fired, &time_sum);
    CHECK(summary[0] == fired && summary[1] == time_sum, "summary %g %g, expected %g %g",
          summary[0], summary[1], fired, time_sum);
    CHECK(series[2] <= summary[0] && series[0] <= series[1] && series[1] <= series[2], "series grows");
    size_t n = 0;
    tick_row *rows = sim_ctx_take_trace(ctx, &n);
    CHECK(n == (size_t)fired, "one row per firing (%zu)", n);
    int ok = 1;
    for (size_t i = 0; i < n; i++) {
        if (rows[i].replication != 2 || rows[i].entity >= 5 || rows[i].time > 30.0) ok = 0;
        if (i && rows[i].time < rows[i - 1].time) ok = 0;
        if ((rows[i].kind == TICK_FIRST) != (rows[i].time == rows[i].entity + 1.0)) ok = 0;
    }
    CHECK(ok, "rows are the model's records, byte for byte, in time order");
    CHECK(sim_ctx_trace_count(ctx) == 0, "take_trace empties the context");
    free(rows);
    sim_ctx_destroy(ctx);
    tick_model.workspace_destroy(ws);
}

static void test_runner(void)
{
    tick_params p = make_params(40, 200.0);
    sim_run_opts o = {1, 6, 0, 9, SIM_DETAIL_EVENTS, 1.0, 0, 0, 0, 0};
    collector one = {NULL, 0, 0, 0, 1, 0}, three = {NULL, 0, 0, 0, 1, 0};
    sim_results r1, r3;
    CHECK(sim_runner_run(&tick_model, &p, &p.schema, &o, collect, &one, &r1) == 0, "1 thread");
    o.threads = 3;
    CHECK(sim_runner_run(&tick_model, &p, &p.schema, &o, collect, &three, &r3) == 0, "3 threads");
    double total = 0.0;
    for (uint32_t r = 0; r < 6; r++) {
        double fired, time_sum;
        expected(40, 200.0, r, &fired, &time_sum);
        CHECK(r1.summary[2 * r] == fired && r1.summary[2 * r + 1] == time_sum, "replication %u summary", r);
        total += fired;
    }
    CHECK(one.n == (size_t)total && one.calls == 6, "the sink got every row, once per replication");
    CHECK(one.in_order && three.in_order, "rows reach the sink in replication order");
    CHECK(three.n == one.n && same_rows(three.rows, one.rows, one.n), "rows identical on 1 and 3 threads");
    CHECK(memcmp(r1.summary, r3.summary, 12 * sizeof *r1.summary) == 0 && r1.series && r3.series
              && memcmp(r1.series, r3.series, 6 * 3 * sizeof *r1.series) == 0,
          "summary and series identical on 1 and 3 threads");
    sim_results_free(&r1);
    sim_results_free(&r3);

    collector failing = {NULL, 0, 0, 0, 1, 1};
    CHECK(sim_runner_run(&tick_model, &p, &p.schema, &o, collect, &failing, &r1) == -1, "a failing sink stops the run");
    sim_results_free(&r1);

    collector unused = {NULL, 0, 0, 0, 1, 0};
    o.detail = SIM_DETAIL_SERIES;
    CHECK(sim_runner_run(&tick_model, &p, &p.schema, &o, collect, &unused, &r1) == 0 && unused.calls == 0,
          "below detail events the sink is never called");
    sim_results_free(&r1);
    free(one.rows);
    free(three.rows);
    free(failing.rows);
    free(unused.rows);
}

int main(void)
{
    test_one_replication();
    test_runner();
    return check_summary();
}
