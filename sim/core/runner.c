/* runner.c: OpenMP replication loop, ordered commit of trajectory rows, and
 * progress reporting. Reductions are never done with OpenMP reduction clauses:
 * every replication writes its own slot, and sums are taken later in index order. */
#include "runner.h"

#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

/* A job's share of the loop: its commit queue, its results and the events
 * handled per replication. */
typedef struct {
    commit_queue cq;
    uint64_t    *events;
    size_t       order;   /* position among the members of its base (branch time, then index) */
    double       at;      /* branch time (NAN: runs on its own) */
} job_state;

/* Allocate what the loop shares for job j; 0, or -1 after a message naming what did not fit. */
static int alloc_job(sim_run_job *j, job_state *js, size_t nrep)
{
    const sim_schema *s = j->schema;
    int series = j->detail >= SIM_DETAIL_SERIES, tracing = j->detail == SIM_DETAIL_EVENTS && j->sink;
    js->cq = (commit_queue){calloc(nrep, sizeof(void *)), calloc(nrep, sizeof(size_t)), calloc(nrep, 1), 0, nrep,
                            tracing ? j->sink : NULL, tracing ? j->sink_user : NULL, 0};
    js->events = calloc(nrep, sizeof *js->events);
    if (alloc_results(&j->res, s, nrep, series) == 0 && js->cq.rows && js->cq.n && js->cq.ready && js->events) return 0;
    double mb = (double)(nrep * (s->n_summary + (series ? s->n_steps * s->n_series * s->n_columns : 0))
                         * sizeof(double)) / 1048576.0;
    sim_log_error("out of memory: cannot hold the results of %zu replication%s (%.0f MB); nothing was run "
                  "(use fewer replications%s)", nrep, nrep == 1 ? "" : "s", mb, series ? " or -d summary" : "");
    return -1;
}

static void free_job(job_state *js)
{
    for (size_t r = 0; js->cq.rows && r < js->cq.nrep; r++) free(js->cq.rows[r]);
    free(js->cq.rows);
    free(js->cq.n);
    free(js->cq.ready);
    free(js->events);
}

/* Which job each job continues from (itself when none) and at what time: the
 * first earlier job that runs on its own, has the same seed and trace record and
 * whose run the model says this one follows up to a time (branch_time). */
static void plan_branches(const sim_model_type *m, sim_run_job *jobs, job_state *js, size_t njobs)
{
    for (size_t i = 0; i < njobs; i++) {
        jobs[i].base = (int)i;
        js[i].at = NAN;
        for (size_t k = 0; m->branch_time && m->branch && k < i; k++) {
            if (jobs[k].base != (int)k || jobs[k].seed != jobs[i].seed
                || jobs[k].schema->trace.size != jobs[i].schema->trace.size)
                continue;
            double t = m->branch_time(jobs[k].params, jobs[i].params);
            if (isnan(t)) continue;
            jobs[i].base = (int)k;
            js[i].at = t;
            break;
        }
    }
    for (size_t i = 0; i < njobs; i++) {   /* members of a base in order of branch time, then index */
        js[i].order = 0;
        for (size_t k = 0; k < njobs; k++)
            if (k != i && jobs[k].base == jobs[i].base && jobs[k].base != (int)k && jobs[i].base != (int)i
                && (js[k].at < js[i].at || (js[k].at == js[i].at && k < i)))
                js[i].order++;
    }
}

/* One thread's model workspaces and contexts, one per job (NULL when creating
 * one ran out of memory: the replications then fail). */
typedef struct {
    void   **ws;
    sim_ctx **ctx;
} thread_state;

static void thread_free(const sim_model_type *m, thread_state *t, size_t njobs)
{
    for (size_t i = 0; t->ws && i < njobs; i++) if (t->ws[i]) m->workspace_destroy(t->ws[i]);
    for (size_t i = 0; t->ctx && i < njobs; i++) sim_ctx_destroy(t->ctx[i]);
    free(t->ws);
    free(t->ctx);
}

static int thread_init(const sim_model_type *m, const sim_run_job *jobs, size_t njobs, thread_state *t,
                       sim_tick_fn tick, void *tick_user)
{
    t->ws = calloc(njobs, sizeof *t->ws);
    t->ctx = calloc(njobs, sizeof *t->ctx);
    int ok = t->ws && t->ctx;
    for (size_t i = 0; ok && i < njobs; i++) {
        t->ws[i] = m->workspace_create(jobs[i].params);
        t->ctx[i] = sim_ctx_create(jobs[i].schema, jobs[i].seed, jobs[i].detail, jobs[i].sample);
        ok = t->ws[i] && t->ctx[i];
        if (ok && tick) sim_ctx_set_tick(t->ctx[i], tick, tick_user);
    }
    return ok ? 0 : -1;
}

static double *series_slot(sim_run_job *j, size_t r)
{
    const sim_schema *s = j->schema;
    return j->res.series ? j->res.series + r * s->n_steps * s->n_series * s->n_columns : NULL;
}

/* Replication r of base job g and every job that continues from it: g runs to
 * each member's branch time, the member is copied from it and runs to its end,
 * then g runs to its own. bad[i] turns 1 where job i failed. Results land in the
 * jobs' slots r; trajectory rows are left in the contexts. */
static void run_group(const sim_model_type *m, sim_run_job *jobs, const job_state *js, size_t njobs, size_t g,
                     thread_state *t, size_t r, uint32_t rep, char *bad)
{
    sim_engine_begin(t->ctx[g], m, t->ws[g], rep);
    double *gseries = series_slot(&jobs[g], r);
    const sim_schema *gs = jobs[g].schema;
    for (size_t n = 0;; n++) {   /* the members in their order */
        size_t k = njobs;
        for (size_t i = 0; i < njobs && k == njobs; i++)
            if (i != g && jobs[i].base == (int)g && js[i].order == n) k = i;
        if (k == njobs) break;
        sim_engine_advance(t->ctx[g], m, t->ws[g], js[k].at, gseries);
        double *kseries = series_slot(&jobs[k], r);
        if (sim_ctx_copy(t->ctx[k], t->ctx[g]) != 0 || m->branch(t->ws[k], t->ws[g], t->ctx[k]) != 0) {
            bad[k] = 1;
            continue;
        }
        size_t made = sim_ctx_obs_step(t->ctx[g]);   /* observations before the branch: the base's */
        if (kseries && gseries && made)
            memcpy(kseries, gseries, made * gs->n_series * gs->n_columns * sizeof *kseries);
        sim_engine_advance(t->ctx[k], m, t->ws[k], INFINITY, kseries);
        bad[k] = sim_engine_finish(t->ctx[k], m, t->ws[k], jobs[k].res.summary + r * jobs[k].schema->n_summary,
                                   kseries) != 0;
    }
    sim_engine_advance(t->ctx[g], m, t->ws[g], INFINITY, gseries);
    bad[g] = sim_engine_finish(t->ctx[g], m, t->ws[g], jobs[g].res.summary + r * gs->n_summary, gseries) != 0;
}

int sim_runner_run_jobs(const sim_model_type *m, sim_run_job *jobs, size_t njobs, const sim_run_opts *o)
{
    SIM_ASSERT(m && jobs && njobs >= 1 && o);
    SIM_ASSERT(o->threads >= 1 && o->replications >= 1);
    size_t nrep = (size_t)o->replications;
    for (size_t i = 0; i < njobs; i++) jobs[i].res = (sim_results){0};
    job_state *js = calloc(njobs, sizeof *js);
    char *bad_all = calloc(njobs * (size_t)o->threads, 1);
    progress pg = {o->progress, isatty(STDERR_FILENO), 0, nrep * njobs, 0, omp_get_wtime(), 0.0};
    within wi = {njobs == 1 ? calloc(nrep, sizeof(double)) : NULL, o->first_rep, nrep, pg.tty, o->origin_days, pg.t0,
                 pg.t0, o->progress_seconds > 0 ? o->progress_seconds : pg.tty ? 1.0 : 5.0};
    int ticking = o->progress_within && wi.frac;
    /* failed: 0, or why the run stopped; once set no further replication starts */
    enum { RUN_OK, RUN_NOMEM, RUN_OUTPUT };
    int failed = RUN_OK;   /* written atomically inside the critical section only */
    int ok = js && bad_all;
    if (!ok) sim_log_error("out of memory; nothing was run");
    for (size_t i = 0; ok && i < njobs; i++) ok = alloc_job(&jobs[i], &js[i], nrep) == 0;
    if (!ok) {
        for (size_t i = 0; js && i < njobs; i++) { free_job(&js[i]); sim_results_free(&jobs[i].res); }
        free(js);
        free(bad_all);
        free(wi.frac);
        return -1;
    }
    plan_branches(m, jobs, js, njobs);

#pragma omp parallel num_threads(o->threads)
    {
        thread_state t = {0};
        int tbad = thread_init(m, jobs, njobs, &t, ticking ? within_tick : NULL, &wi) != 0;
        char *bad = bad_all + (size_t)omp_get_thread_num() * njobs;
#pragma omp for schedule(dynamic, 1)
        for (size_t r = 0; r < nrep; r++) {
            int stop;
#pragma omp atomic read
            stop = failed;
            if (stop) continue;   /* an earlier replication failed: the run is lost */
            uint32_t rep = o->first_rep + (uint32_t)r;
            memset(bad, tbad, njobs);
            for (size_t g = 0; !tbad && g < njobs; g++)
                if (jobs[g].base == (int)g) run_group(m, jobs, js, njobs, g, &t, r, rep, bad);
            if (wi.frac) {
#pragma omp atomic write
                wi.frac[r] = 1.0;
            }
            for (size_t i = 0; i < njobs; i++) {
                size_t n = 0;
                void *rows = t.ctx && t.ctx[i] ? sim_ctx_take_trace(t.ctx[i], &n) : NULL;
                if (t.ctx && t.ctx[i]) js[i].events[r] = sim_ctx_events(t.ctx[i]);
#pragma omp critical(sim_runner_commit)
                {
                    int why = bad[i] ? RUN_NOMEM : commit(&js[i].cq, r, rows, n) != 0 ? RUN_OUTPUT : RUN_OK;
                    if (bad[i]) free(rows);
                    if (why && !failed) {
#pragma omp atomic write
                        failed = why;
                    }
                    progress_update(&pg);
                }
            }
        }
        thread_free(m, &t, njobs);
    }
    for (size_t i = 0; i < njobs; i++) {
        for (size_t r = 0; r < nrep; r++) jobs[i].res.events += js[i].events[r];
        jobs[i].res.seconds = omp_get_wtime() - pg.t0;
        free_job(&js[i]);
    }
    free(js);
    free(bad_all);
    free(wi.frac);
    if (failed == RUN_NOMEM)
        sim_log_error("out of memory during a replication (workspace, event queue or trace); nothing was written "
                      "(use fewer threads with -t, a smaller scale or -d summary)");
    else if (failed == RUN_OUTPUT)
        sim_log_error("writing the trajectory rows failed (see above); nothing was written");
    if (failed)
        for (size_t i = 0; i < njobs; i++) sim_results_free(&jobs[i].res);
    return failed ? -1 : 0;
}

int sim_runner_run(const sim_model_type *m, const void *params, const sim_schema *s,
                   const sim_run_opts *o, sim_trace_sink sink, void *sink_user, sim_results *res)
{
    SIM_ASSERT(m && params && s && o && res);
    sim_run_job job = {params, s, o->seed, o->detail, o->sample, sink, sink_user, {0}, 0};
    int rc = sim_runner_run_jobs(m, &job, 1, o);
    *res = job.res;
    return rc;
}
