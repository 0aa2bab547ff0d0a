/* runner.c: OpenMP replication loop, ordered commit of trajectory rows, and
 * progress reporting. Reductions are never done with OpenMP reduction clauses:
 * every replication writes its own slot, and sums are taken later in index order. */
#include "runner.h"

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
        fprintf(stderr, "\r  replication %zu/%zu  %3zu%%  %.1f s", p->done, p->total, pct, now - p->t0);
        if (p->done == p->total) fputc('\n', stderr);
    } else {
        if (pct / 10 == p->last_pct / 10 && p->done < p->total) return;
        fprintf(stderr, "sim: %zu/%zu replications done (%.1f s)\n", p->done, p->total, now - p->t0);
        p->last_pct = pct;
    }
    p->last = now;
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
    /* failed: 0, or why the run stopped; once set no further replication starts */
    enum { RUN_OK, RUN_NOMEM, RUN_OUTPUT };
    int failed = RUN_OK;   /* written atomically inside the critical section only */
    if (alloc_run(res, &cq, &events, s, nrep, o->detail >= SIM_DETAIL_SERIES) != 0) {
        free(cq.rows);
        free(cq.n);
        free(cq.ready);
        free(events);
        sim_results_free(res);
        return -1;
    }

#pragma omp parallel num_threads(o->threads)
    {
        void *ws = m->workspace_create(params);
        sim_ctx *ctx = sim_ctx_create(s, o->seed, o->detail, o->sample);
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
    if (failed == RUN_NOMEM)
        sim_log_error("out of memory during a replication (workspace, event queue or trace); nothing was written "
                      "(use fewer threads with -t, a smaller scale or -d summary)");
    else if (failed == RUN_OUTPUT)
        sim_log_error("writing the trajectory rows failed (see above); nothing was written");
    return failed ? -1 : 0;
}
