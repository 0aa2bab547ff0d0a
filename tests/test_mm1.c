/* test_mm1.c: the engine against queueing theory, through the API a program
 * uses (sim_config_parse, lm_mm1_model.configure, sim_runner_run). An M/M/1
 * queue at rho = 0.8 must reproduce the analytic mean wait rho/(mu-lambda) = 4
 * within a 95% t-interval over replications, and the runner's results must not
 * depend on the thread count, the replication slice or the entry point. */
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../models/mm1.h"
#include "../sim/io/config.h"
#include "../sim/core/runner.h"
#include "check.h"

enum { F_SERVED, F_WAIT, F_SYSTEM, F_QUEUE, F_UTIL, F_MAXQ };

static void *configure(const char *mm1_group, sim_config **cfg_out)
{
    char text[1024];
    snprintf(text, sizeof text, "mm1 = { %s };\n", mm1_group);
    sim_config *cfg = sim_config_parse(text, "mm1-test.cfg", NULL);
    sim_setup setup = {20190101, 1, 17897};
    void *params = lm_mm1_model.configure(cfg, &setup);
    sim_config_check_unused(cfg);
    CHECK(params != NULL && sim_config_nerrors(cfg) == 0, "mm1 configures: %s",
          sim_config_nerrors(cfg) ? sim_config_error_at(cfg, 0) : "params NULL");
    *cfg_out = cfg;
    return params;
}

static sim_run_opts opts(int threads, int reps, sim_detail detail)
{
    sim_run_opts o = {threads, reps, 0, 20190101, detail, 1.0, 0, 0, 0, 0};
    return o;
}

static void test_analytic(void)
{
    sim_config *cfg;
    void *p = configure("arrival_rate = 0.8; service_rate = 1.0; customers = 200000;"
                        "observe_step = 0.0; observe_count = 0;", &cfg);
    if (!p) return;
    const sim_schema *s = lm_mm1_model.schema(p);
    CHECK(s->n_summary == 6 && strcmp(s->summary[F_WAIT].name, "mean_wait") == 0
              && strcmp(s->summary[F_UTIL].name, "utilisation") == 0,
          "summary layout: field 1 is mean_wait, 4 is utilisation");
    sim_run_opts o = opts(2, 10, SIM_DETAIL_SUMMARY);
    sim_results res;
    CHECK(sim_runner_run(&lm_mm1_model, p, s, &o, NULL, NULL, &res) == 0, "runner succeeds");
    size_t n = res.nrep, k = s->n_summary;
    CHECK(n == 10 && res.series == NULL, "10 replications, no series at detail summary");
    CHECK(res.events == 2ull * 200000 * 10, "one arrival and one departure per customer: %llu events",
          (unsigned long long)res.events);

    double sum = 0, ss = 0, util = 0, served_ok = 1, little = 0, sys = 0;
    for (size_t r = 0; r < n; r++) {
        const double *row = res.summary + r * k;
        sum += row[F_WAIT];
        util += row[F_UTIL];
        sys += row[F_SYSTEM] - row[F_WAIT];
        little += row[F_QUEUE] / (0.8 * row[F_WAIT]);
        served_ok = served_ok && row[F_SERVED] == 200000 && row[F_MAXQ] >= 1;
    }
    double mean = sum / (double)n;
    for (size_t r = 0; r < n; r++) ss += pow(res.summary[r * k + F_WAIT] - mean, 2);
    double sd = sqrt(ss / (double)(n - 1));
    double half = gsl_cdf_tdist_Pinv(0.975, (double)(n - 1)) * sd / sqrt((double)n);
    double exact = 0.8 / (1.0 - 0.8), margin = 0.05 * exact;
    printf("  mean wait %.4f +/- %.4f (95%% t), analytic %.4f; utilisation %.4f\n", mean, half, exact,
           util / (double)n);
    CHECK(sd > 0, "replications differ (sd %g)", sd);
    CHECK(half < 0.5, "the interval is informative (half-width %g)", half);
    CHECK(fabs(mean - exact) <= half + margin, "Wq: |%.4f - 4| > %.4f + %.4f", mean, half, margin);
    CHECK(fabs(util / (double)n - 0.8) < 0.01, "utilisation %.4f within 0.01 of 0.8", util / (double)n);
    CHECK(served_ok, "every replication served 200000 customers");
    CHECK(fabs(sys / (double)n - 1.0) < 0.02, "W - Wq = mean service time 1 (%.4f)", sys / (double)n);
    CHECK(fabs(little / (double)n - 1.0) < 0.02, "Little's law Lq = lambda Wq (ratio %.4f)", little / (double)n);
    sim_results_free(&res);
    lm_mm1_model.destroy(p);
    sim_config_destroy(cfg);
}

static int same_results(const sim_results *a, const sim_results *b, size_t nsum, size_t nser)
{
    return a->nrep == b->nrep && a->events == b->events
        && memcmp(a->summary, b->summary, a->nrep * nsum * sizeof(double)) == 0
        && (nser == 0 || (a->series && b->series
                          && memcmp(a->series, b->series, a->nrep * nser * sizeof(double)) == 0));
}

static void test_thread_identity(void)
{
    sim_config *cfg;
    void *p = configure("arrival_rate = 0.9; service_rate = 1.0; customers = 30000;"
                        "observe_step = 500.0; observe_count = 40;", &cfg);
    if (!p) return;
    const sim_schema *s = lm_mm1_model.schema(p);
    size_t nser = s->n_steps * s->n_series * s->n_columns;
    CHECK(nser == 40, "40 series values per replication (%zu)", nser);
    sim_results r1, r3, r4;
    sim_run_opts o = opts(1, 7, SIM_DETAIL_SERIES);
    CHECK(sim_runner_run(&lm_mm1_model, p, s, &o, NULL, NULL, &r1) == 0, "1 thread");
    o.threads = 3;
    CHECK(sim_runner_run(&lm_mm1_model, p, s, &o, NULL, NULL, &r3) == 0, "3 threads");
    CHECK(same_results(&r1, &r3, s->n_summary, nser), "1 and 3 threads: identical summary and series");
    o.threads = 4;
    o.detail = SIM_DETAIL_EVENTS;   /* trajectories collected (no output file) */
    CHECK(sim_runner_run(&lm_mm1_model, p, s, &o, NULL, NULL, &r4) == 0, "4 threads with traces");
    CHECK(same_results(&r1, &r4, s->n_summary, nser), "tracing does not change the results");
    double q = 0;
    for (size_t i = 0; i < 7 * nser; i++) q += r1.series[i];
    CHECK(q > 0, "the queue-length series is not all zeros");

    /* a slice of replications (sweeps) equals the same replications of the whole run */
    sim_results slice;
    o = opts(2, 3, SIM_DETAIL_SERIES);
    o.first_rep = 4;
    CHECK(sim_runner_run(&lm_mm1_model, p, s, &o, NULL, NULL, &slice) == 0, "slice 4..6");
    CHECK(memcmp(slice.summary, r1.summary + 4 * s->n_summary, 3 * s->n_summary * sizeof(double)) == 0
              && memcmp(slice.series, r1.series + 4 * nser, 3 * nser * sizeof(double)) == 0,
          "replications 4..6 alone equal replications 4..6 of the full run");

    /* a different seed changes the results */
    sim_results other;
    o = opts(2, 7, SIM_DETAIL_SERIES);
    o.seed = 20190102;
    CHECK(sim_runner_run(&lm_mm1_model, p, s, &o, NULL, NULL, &other) == 0, "other seed");
    CHECK(memcmp(other.summary, r1.summary, 7 * s->n_summary * sizeof(double)) != 0,
          "another seed gives other results");

    /* sim_engine_run directly, replication 2, reused context and workspace */
    sim_ctx *ctx = sim_ctx_create(s, 20190101, SIM_DETAIL_SERIES, 1.0);
    void *ws = lm_mm1_model.workspace_create(p);
    double sum[6], ser[40];
    int rc = sim_engine_run(ctx, &lm_mm1_model, ws, 5, sum, ser);   /* dirty the workspace first */
    rc |= sim_engine_run(ctx, &lm_mm1_model, ws, 2, sum, ser);
    CHECK(rc == 0 && memcmp(sum, r1.summary + 2 * s->n_summary, sizeof sum) == 0
              && memcmp(ser, r1.series + 2 * nser, sizeof ser) == 0,
          "sim_engine_run on a reused context equals the runner's replication 2");
    CHECK(sim_ctx_events(ctx) == 2 * 30000, "events = 2 per customer; the 40 observations are not events (%llu)",
          (unsigned long long)sim_ctx_events(ctx));
    lm_mm1_model.workspace_destroy(ws);
    sim_ctx_destroy(ctx);
    sim_ctx_destroy(NULL);

    sim_results_free(&r1);
    sim_results_free(&r3);
    sim_results_free(&r4);
    sim_results_free(&slice);
    sim_results_free(&other);
    lm_mm1_model.destroy(p);
    sim_config_destroy(cfg);
}

/* Offset of the field `name` in the model's trace record; the test stops on a
 * missing field (the record is read the way the output module reads it). */
static size_t field_offset(const sim_record *rec, const char *name, sim_scalar type)
{
    for (size_t i = 0; i < rec->n_fields; i++)
        if (strcmp(rec->fields[i].name, name) == 0 && rec->fields[i].type == type) return rec->fields[i].offset;
    fprintf(stderr, "no %s field in the trace record\n", name);
    exit(1);
}

static double row_f64(const sim_record *rec, const void *rows, size_t i, size_t off)
{
    double v;
    memcpy(&v, (const unsigned char *)rows + i * rec->size + off, sizeof v);
    return v;
}

static uint32_t row_u32(const sim_record *rec, const void *rows, size_t i, size_t off)
{
    uint32_t v;
    memcpy(&v, (const unsigned char *)rows + i * rec->size + off, sizeof v);
    return v;
}

/* Trajectory rows: the traced sample, 3 rows per traced customer, in time order. */
static void test_traces(void)
{
    sim_config *cfg;
    void *p = configure("arrival_rate = 0.5; service_rate = 1.0; customers = 4000;"
                        "observe_step = 0.0; observe_count = 0;", &cfg);
    if (!p) return;
    const sim_schema *s = lm_mm1_model.schema(p);
    double sum[6];
    void *ws = lm_mm1_model.workspace_create(p);

    sim_ctx *all = sim_ctx_create(s, 7, SIM_DETAIL_EVENTS, 1.0);
    sim_engine_run(all, &lm_mm1_model, ws, 3, sum, NULL);
    size_t n = 0;
    const sim_record *rec = &s->trace;
    size_t o_time = field_offset(rec, "time", SIM_F64), o_rep = field_offset(rec, "replication", SIM_U32);
    size_t o_who = field_offset(rec, "customer", SIM_U32);
    void *rows = sim_ctx_take_trace(all, &n);
    int sorted = 1, rep_ok = 1;
    for (size_t i = 0; i < n; i++) {
        if (i && row_f64(rec, rows, i, o_time) < row_f64(rec, rows, i - 1, o_time)) sorted = 0;
        if (row_u32(rec, rows, i, o_rep) != 3) rep_ok = 0;
    }
    CHECK(n == 3 * 4000, "sample 1.0: 3 rows per customer (%zu)", n);
    CHECK(sorted && rep_ok, "rows in time order and stamped with the replication");
    CHECK(sim_ctx_trace_count(all) == 0, "take_trace empties the context");
    free(rows);

    sim_ctx *half = sim_ctx_create(s, 7, SIM_DETAIL_EVENTS, 0.25);
    sim_engine_run(half, &lm_mm1_model, ws, 3, sum, NULL);
    rows = sim_ctx_take_trace(half, &n);
    size_t *per = calloc(4000, sizeof *per), persons = 0, whole = 1;
    for (size_t i = 0; i < n; i++) per[row_u32(rec, rows, i, o_who)]++;
    for (size_t i = 0; i < 4000; i++) {
        persons += per[i] > 0;
        if (per[i] != 0 && per[i] != 3) whole = 0;
        if ((per[i] > 0) != sim_ctx_tracing(half, (uint32_t)i)) whole = 0;
    }
    CHECK(whole, "a traced customer has all 3 rows and sim_ctx_tracing agrees");
    CHECK(persons > 850 && persons < 1150, "sample 0.25 traces about 1000 of 4000 (%zu)", persons);
    free(rows);
    free(per);

    sim_ctx *none = sim_ctx_create(s, 7, SIM_DETAIL_SERIES, 1.0);
    sim_engine_run(none, &lm_mm1_model, ws, 3, sum, NULL);
    CHECK(sim_ctx_trace_count(none) == 0 && !sim_ctx_tracing(none, 0), "no rows below detail events");
    sim_ctx_destroy(all);
    sim_ctx_destroy(half);
    sim_ctx_destroy(none);
    lm_mm1_model.workspace_destroy(ws);
    lm_mm1_model.destroy(p);
    sim_config_destroy(cfg);
}

static void test_model_config_errors(void)
{
    sim_config *cfg = sim_config_parse("mm1 = { arrival_rate = -1.0; service_rate = 1.0; customers = 0;"
                                       " observe_step = 1.0; observe_count = 5; colour = 1; };\n",
                                       "bad.cfg", NULL);
    sim_setup setup = {1, 1, 17897};
    void *p = lm_mm1_model.configure(cfg, &setup);
    sim_config_check_unused(cfg);
    CHECK(sim_config_nerrors(cfg) == 3, "three problems: rate, customers, colour (%zu)", sim_config_nerrors(cfg));
    for (size_t i = 0; i < sim_config_nerrors(cfg); i++) printf("  (expected) %s\n", sim_config_error_at(cfg, i));
    if (p) lm_mm1_model.destroy(p);
    sim_config_destroy(cfg);
    static const sim_model_type *const models[] = {&lm_mm1_model, NULL};
    CHECK(sim_model_find(models, "mm1") == &lm_mm1_model && sim_model_find(models, "nope") == NULL,
          "model lookup in a list");
}

int main(void)
{
    gsl_set_error_handler_off();
    test_analytic();
    test_thread_identity();
    test_traces();
    test_model_config_errors();
    return check_summary();
}
