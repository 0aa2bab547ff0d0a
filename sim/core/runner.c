/* runner.c: OpenMP replication loop, ordered commit of trajectory rows, and
 * progress reporting. Reductions are never done with OpenMP reduction clauses:
 * every replication writes its own slot, and sums are taken later in index order. */
#include "runner.h"

#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* Trajectory rows of finished replications waiting for their turn. */
typedef struct {
    void      **rows;
    size_t     *n;
    char       *ready;
    size_t      next;     /* next replication to write */
    size_t      nrep;
    sim_trace_sink sink;  /* NULL: rows are dropped */
    void       *user;
    int         failed;   /* the sink failed: hand over nothing more */
} commit_queue;

typedef struct {
    int    enabled, tty;
    size_t done, total, last_pct;
    double t0, last;
} progress;

static void progress_update(progress *p)
{
    p->done++;
    if (!p->enabled) return;
    double now = omp_get_wtime();
    SIM_ASSERT(p->done <= p->total);
    size_t pct = p->done * 100 / p->total;
    if (p->tty) {
        if (now - p->last < 0.2 && p->done < p->total) return;
        fprintf(stderr, "\r  replication %zu/%zu  %3zu%%  %.1f s%28s", p->done, p->total, pct, now - p->t0, "");
        if (p->done == p->total) fputc('\n', stderr);
    } else {
        if (pct / 10 == p->last_pct / 10 && p->done < p->total) return;
        fprintf(stderr, "sim: %zu/%zu replications done (%.1f s)\n", p->done, p->total, now - p->t0);
        p->last_pct = pct;
    }
    p->last = now;
}

/* ---- progress within replications (opts.progress_within) ----
 * Every running replication's share done is written by its own thread at each
 * engine tick (sim_ctx_set_tick); a finished one counts 1. Whichever thread ticks
 * once the interval has passed prints one line. Reading the clock changes nothing
 * the model sees, so results are the same with or without it. */
typedef struct {
    double  *frac;        /* [nrep] share done (atomic access) */
    uint32_t first_rep;
    size_t   nrep;
    int      tty;
    long     origin_days;
    double   t0, last, interval;
} within;

/* "YYYY-MM-DD" of days since 1970-01-01 (proleptic Gregorian; H. Hinnant's algorithm). */
static void format_date(long z, char buf[64])
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153, d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9;
    snprintf(buf, 64, "%04ld-%02ld-%02ld", yoe + era * 400 + (m <= 2), m, d);
}

static void within_print(within *w, size_t r, double now, double f, double wall)
{
    double all = 0;
    for (size_t i = 0; i < w->nrep; i++) {
        double x;
#pragma omp atomic read
        x = w->frac[i];
        all += x;
    }
    char date[64];
    format_date(w->origin_days + (long)floor(now), date);
    const char *phase = now < 0 ? " (burn-in)" : "";
    if (w->tty)
        fprintf(stderr, "\r  replication %zu/%zu at %s%s %3.0f%%, run %3.0f%%  %.1f s   ", r + 1, w->nrep, date, phase,
                100 * f, 100 * all / (double)w->nrep, wall - w->t0);
    else
        fprintf(stderr, "sim: replication %zu/%zu at %s%s (%.0f%% of it), %.0f%% of the run, %.1f s\n", r + 1, w->nrep,
                date, phase, 100 * f, 100 * all / (double)w->nrep, wall - w->t0);
}

static void within_tick(void *user, const sim_ctx *ctx)
{
    within *w = user;
    size_t r = sim_ctx_replication(ctx) - w->first_rep;
    double t0, t1, now = sim_ctx_now(ctx);
    sim_ctx_span(ctx, &t0, &t1);
    double f = isfinite(t1) && t1 > t0 ? fmin(fmax((now - t0) / (t1 - t0), 0.0), 1.0) : 0.0;
#pragma omp atomic write
    w->frac[r] = f;
    double wall = omp_get_wtime(), last;
#pragma omp atomic read
    last = w->last;
    if (wall - last < w->interval) return;
#pragma omp critical(sim_runner_progress)
    if (wall - w->last >= w->interval) {
        within_print(w, r, now, f, wall);
#pragma omp atomic write
        w->last = wall;
    }
}

/* Called inside a critical section: hand over replication i's rows and write
 * every replication that is now next in line. Rows are freed once written. */
static int commit(commit_queue *cq, size_t i, void *rows, size_t n)
{
    SIM_ASSERT(i < cq->nrep && !cq->ready[i]);   /* each replication commits once */
    SIM_ASSERT(rows || n == 0);
    cq->rows[i] = rows;
    cq->n[i] = n;
    cq->ready[i] = 1;
    while (cq->next < cq->nrep && cq->ready[cq->next]) {
        size_t k = cq->next++;
        if (!cq->failed && cq->sink && cq->sink(cq->user, cq->rows[k], cq->n[k]) != 0)
            cq->failed = 1;
        free(cq->rows[k]);
        cq->rows[k] = NULL;
    }
    return cq->failed ? -1 : 0;
}

static int alloc_results(sim_results *res, const sim_schema *s, size_t nrep, int series)
{
    res->nrep = nrep;
    res->summary = calloc(nrep * s->n_summary + 1, sizeof *res->summary);
    size_t per = s->n_steps * s->n_series * s->n_columns;
    res->series = series && per ? calloc(nrep * per, sizeof *res->series) : NULL;
    return !res->summary || (series && per && !res->series) ? -1 : 0;
}

void sim_results_free(sim_results *r)
{
    free(r->summary);
    free(r->series);
    r->summary = r->series = NULL;
}

/* Allocate what the loop shares; 0, or -1 after a message naming what did not fit. */
static int alloc_run(sim_results *res, commit_queue *cq, uint64_t **events, const sim_schema *s,
                     size_t nrep, int series)
{
    cq->rows = calloc(nrep, sizeof(void *));
    cq->n = calloc(nrep, sizeof(size_t));
    cq->ready = calloc(nrep, 1);
    *events = calloc(nrep, sizeof **events);
    if (alloc_results(res, s, nrep, series) == 0 && cq->rows && cq->n && cq->ready && *events) return 0;
    double mb = (double)(nrep * (s->n_summary + (series ? s->n_steps * s->n_series * s->n_columns : 0))
                         * sizeof(double)) / 1048576.0;
    sim_log_error("out of memory: cannot hold the results of %zu replication%s (%.0f MB); nothing was run "
                  "(use fewer replications%s)", nrep, nrep == 1 ? "" : "s", mb, series ? " or -d summary" : "");
    return -1;
}

int sim_runner_run(const sim_model_type *m, const void *params, const sim_schema *s,
                   const sim_run_opts *o, sim_trace_sink sink, void *sink_user, sim_results *res)
{
    SIM_ASSERT(m && params && s && o && res);
    SIM_ASSERT(o->threads >= 1 && o->replications >= 1);
    size_t nrep = (size_t)o->replications, per = s->n_steps * s->n_series * s->n_columns;
    *res = (sim_results){0};
    int tracing = o->detail == SIM_DETAIL_EVENTS && sink;
    commit_queue cq = {NULL, NULL, NULL, 0, nrep, tracing ? sink : NULL, tracing ? sink_user : NULL, 0};
    uint64_t *events = NULL;
    progress pg = {o->progress, isatty(STDERR_FILENO), 0, nrep, 0, omp_get_wtime(), 0.0};
    within wi = {calloc(nrep, sizeof(double)), o->first_rep, nrep, pg.tty, o->origin_days, pg.t0, pg.t0,
                 o->progress_seconds > 0 ? o->progress_seconds : pg.tty ? 1.0 : 5.0};
    int ticking = o->progress_within && wi.frac;
    /* failed: 0, or why the run stopped; once set no further replication starts */
    enum { RUN_OK, RUN_NOMEM, RUN_OUTPUT };
    int failed = RUN_OK;   /* written atomically inside the critical section only */
    if (alloc_run(res, &cq, &events, s, nrep, o->detail >= SIM_DETAIL_SERIES) != 0) {
        free(cq.rows);
        free(cq.n);
        free(cq.ready);
        free(events);
        free(wi.frac);
        sim_results_free(res);
        return -1;
    }

#pragma omp parallel num_threads(o->threads)
    {
        void *ws = m->workspace_create(params);
        sim_ctx *ctx = sim_ctx_create(s, o->seed, o->detail, o->sample);
        if (ctx && ticking) sim_ctx_set_tick(ctx, within_tick, &wi);
#pragma omp for schedule(dynamic, 1)
        for (size_t r = 0; r < nrep; r++) {
            int stop;
#pragma omp atomic read
            stop = failed;
            if (stop) continue;   /* an earlier replication failed: the run is lost */
            int bad = !ws || !ctx;
            double *series = res->series ? res->series + r * per : NULL;
            if (!bad) bad = sim_engine_run(ctx, m, ws, o->first_rep + (uint32_t)r,
                                           res->summary + r * s->n_summary, series) != 0;
            size_t n = 0;
            void *rows = ctx ? sim_ctx_take_trace(ctx, &n) : NULL;
            if (ctx) events[r] = sim_ctx_events(ctx);
            if (wi.frac) {
#pragma omp atomic write
                wi.frac[r] = 1.0;
            }
#pragma omp critical(sim_runner_commit)
            {
                int why = bad ? RUN_NOMEM : commit(&cq, r, rows, n) != 0 ? RUN_OUTPUT : RUN_OK;
                if (bad) free(rows);
                if (why && !failed) {
#pragma omp atomic write
                    failed = why;
                }
                progress_update(&pg);
            }
        }
        sim_ctx_destroy(ctx);
        if (ws) m->workspace_destroy(ws);
    }
    for (size_t r = 0; r < nrep; r++) res->events += events[r];
    res->seconds = omp_get_wtime() - pg.t0;
    for (size_t r = 0; r < nrep; r++) free(cq.rows[r]);
    free(cq.rows);
    free(cq.n);
    free(cq.ready);
    free(events);
    free(wi.frac);
    if (failed == RUN_NOMEM)
        sim_log_error("out of memory during a replication (workspace, event queue or trace); nothing was written "
                      "(use fewer threads with -t, a smaller scale or -d summary)");
    else if (failed == RUN_OUTPUT)
        sim_log_error("writing the trajectory rows failed (see above); nothing was written");
    return failed ? -1 : 0;
}
