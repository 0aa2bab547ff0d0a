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

/* A job's share of the loop: its commit queue, its results and the events
 * handled per replication. */
typedef struct {
    commit_queue cq;
    uint64_t    *events;
    double       end;     /* replication 0's end of simulated time (sim_results.end) */
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
 * first earlier job that runs on its own, has the same seed, replications and
 * trace record and whose run the model says this one follows up to a time
 * (branch_time) that lies before the first series observation of both (so the
 * copy takes no observations over from the base). */
static void plan_branches(const sim_model_type *m, sim_run_job *jobs, job_state *js, size_t njobs)
{
    for (size_t i = 0; i < njobs; i++) {
        jobs[i].base = (int)i;
        js[i].at = NAN;
        for (size_t k = 0; m->branch_time && m->branch && k < i; k++) {
            if (jobs[k].base != (int)k || jobs[k].seed != jobs[i].seed || jobs[k].rep_offset != jobs[i].rep_offset
                || jobs[k].schema->trace.size != jobs[i].schema->trace.size)
                continue;
            double t = m->branch_time(jobs[k].params, jobs[i].params);
            const sim_schema *s = jobs[i].schema, *sk = jobs[k].schema;   /* neither observes before t */
            if (isnan(t) || (s->n_steps > 0 && t > sim_schema_obs_time(s, 0))
                || (sk->n_steps > 0 && t > sim_schema_obs_time(sk, 0)))
                continue;
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

/* failed: 0, or why the run stopped; once set no further replication starts */
enum { RUN_OK, RUN_NOMEM, RUN_OUTPUT };

/* What one thread's loop works with: the run (shared) and its own model states,
 * one slot per job, created when first needed. With several jobs a state is
 * freed once its job's replication is done (a base after its members), so a
 * thread holds at most two at a time; a single job keeps its state across
 * replications, allocating nothing after the first. */
typedef struct {
    const sim_model_type *m;
    sim_run_job  *jobs;
    job_state    *js;
    size_t        njobs;
    int          *failed;     /* the run's, written atomically inside the critical section */
    progress     *pg;
    within       *wi;
    sim_tick_fn   tick;
    void        **ws;         /* this thread's */
    sim_ctx     **ctx;
} loop;

static void drop_state(loop *l, size_t i)
{
    if (l->ws[i]) l->m->workspace_destroy(l->ws[i]);
    sim_ctx_destroy(l->ctx[i]);
    l->ws[i] = NULL;
    l->ctx[i] = NULL;
}

/* Job i's workspace and context, created if missing. 0, or -1 (out of memory). */
static int need_state(loop *l, size_t i)
{
    if (l->ws[i] && l->ctx[i]) return 0;
    const sim_run_job *j = &l->jobs[i];
    if (!l->ws[i]) l->ws[i] = l->m->workspace_create(j->params);
    if (!l->ctx[i]) {
        l->ctx[i] = sim_ctx_create(j->schema, j->seed, j->detail, j->sample);
        if (l->ctx[i] && l->tick) sim_ctx_set_tick(l->ctx[i], l->tick, l->wi);
    }
    return l->ws[i] && l->ctx[i] ? 0 : -1;
}

static double *series_slot(sim_run_job *j, size_t r)
{
    const sim_schema *s = j->schema;
    return j->res.series ? j->res.series + r * s->n_steps * s->n_series * s->n_columns : NULL;
}

/* Job i's replication r is over (failed if `bad`): hand its trajectory rows to
 * the commit queue and count it; with several jobs, free its state. */
static void settle(loop *l, size_t i, size_t r, int bad)
{
    size_t n = 0;
    void *rows = l->ctx[i] ? sim_ctx_take_trace(l->ctx[i], &n) : NULL;
    if (l->ctx[i]) l->js[i].events[r] = sim_ctx_events(l->ctx[i]);
    if (l->ctx[i] && r == 0) {
        double t0, t1;
        sim_ctx_span(l->ctx[i], &t0, &t1);
        l->js[i].end = t1;   /* only replication 0's thread writes it */
    }
#pragma omp critical(sim_runner_commit)
    {
        int why = bad ? RUN_NOMEM : commit(&l->js[i].cq, r, rows, n) != 0 ? RUN_OUTPUT : RUN_OK;
        if (bad) free(rows);
        if (why && !*l->failed) {
#pragma omp atomic write
            *l->failed = why;
        }
        progress_update(l->pg);
    }
    if (l->njobs > 1) drop_state(l, i);
}

/* Replication r of base job g and every job that continues from it: g runs to
 * each member's branch time, the member is copied from it and runs to its end,
 * then g runs to its own. Results land in the jobs' slots r. */
static void run_group(loop *l, size_t g, size_t r, uint32_t rep)
{
    const sim_model_type *m = l->m;
    sim_run_job *jobs = l->jobs;
    int gbad = need_state(l, g) != 0;
    if (!gbad) sim_engine_begin(l->ctx[g], m, l->ws[g], rep);
    double *gseries = series_slot(&jobs[g], r);
    const sim_schema *gs = jobs[g].schema;
    for (size_t n = 0;; n++) {   /* the members in their order */
        size_t k = l->njobs;
        for (size_t i = 0; i < l->njobs && k == l->njobs; i++)
            if (i != g && jobs[i].base == (int)g && l->js[i].order == n) k = i;
        if (k == l->njobs) break;
        int kbad = gbad || need_state(l, k) != 0;
        if (!kbad) {
            sim_engine_advance(l->ctx[g], m, l->ws[g], l->js[k].at, gseries);
            kbad = sim_ctx_failed(l->ctx[g])   /* the base stopped short: nothing to continue from */
                   || sim_ctx_copy(l->ctx[k], l->ctx[g]) != 0 || m->branch(l->ws[k], l->ws[g], l->ctx[k]) != 0;
        }
        double *kseries = series_slot(&jobs[k], r);
        SIM_ASSERT(kbad || sim_ctx_obs_step(l->ctx[k]) == 0);   /* plan_branches: no observation before the branch */
        if (!kbad) {
            sim_engine_advance(l->ctx[k], m, l->ws[k], INFINITY, kseries);
            kbad = sim_engine_finish(l->ctx[k], m, l->ws[k], jobs[k].res.summary + r * jobs[k].schema->n_summary,
                                     kseries) != 0;
        }
        settle(l, k, r, kbad);
    }
    if (!gbad) {
        sim_engine_advance(l->ctx[g], m, l->ws[g], INFINITY, gseries);
        gbad = sim_engine_finish(l->ctx[g], m, l->ws[g], jobs[g].res.summary + r * gs->n_summary, gseries) != 0;
    }
    settle(l, g, r, gbad);
}

int sim_runner_run_jobs(const sim_model_type *m, sim_run_job *jobs, size_t njobs, const sim_run_opts *o)
{
    SIM_ASSERT(m && jobs && njobs >= 1 && o);
    SIM_ASSERT(o->threads >= 1 && o->replications >= 1);
    size_t nrep = (size_t)o->replications;
    for (size_t i = 0; i < njobs; i++) jobs[i].res = (sim_results){0};
    job_state *js = calloc(njobs, sizeof *js);
    progress pg = {o->progress, isatty(STDERR_FILENO), 0, nrep * njobs, 0, omp_get_wtime(), 0.0};
    within wi = {njobs == 1 ? calloc(nrep, sizeof(double)) : NULL, o->first_rep, nrep, pg.tty, o->origin_days, pg.t0,
                 pg.t0, o->progress_seconds > 0 ? o->progress_seconds : pg.tty ? 1.0 : 5.0};
    int ticking = o->progress_within && wi.frac;
    int failed = RUN_OK;   /* written atomically inside the critical section only */
    int ok = js != NULL;
    if (!ok) sim_log_error("out of memory; nothing was run");
    for (size_t i = 0; ok && i < njobs; i++) ok = alloc_job(&jobs[i], &js[i], nrep) == 0;
    if (!ok) {
        for (size_t i = 0; js && i < njobs; i++) { free_job(&js[i]); sim_results_free(&jobs[i].res); }
        free(js);
        free(wi.frac);
        return -1;
    }
    plan_branches(m, jobs, js, njobs);

    size_t nroots = 0;   /* the jobs that run on their own: work items are (replication, root) */
    for (size_t i = 0; i < njobs; i++) nroots += jobs[i].base == (int)i;
#pragma omp parallel num_threads(o->threads)
    {
        loop l = {m, jobs, js, njobs, &failed, &pg, &wi, ticking ? within_tick : NULL,
                  calloc(njobs, sizeof(void *)), calloc(njobs, sizeof(sim_ctx *))};
#pragma omp for schedule(dynamic, 1)
        for (size_t item = 0; item < nrep * nroots; item++) {
            int stop;
#pragma omp atomic read
            stop = failed;
            if (stop) continue;   /* an earlier replication failed: the run is lost */
            size_t r = item / nroots, g = 0;
            for (size_t k = item % nroots;; g++)   /* the k-th root */
                if (jobs[g].base == (int)g && k-- == 0) break;
            if (l.ws && l.ctx) run_group(&l, g, r, o->first_rep + jobs[g].rep_offset + (uint32_t)r);
            else {
#pragma omp critical(sim_runner_commit)
                if (!failed) {
#pragma omp atomic write
                    failed = RUN_NOMEM;
                }
            }
            if (wi.frac) {
#pragma omp atomic write
                wi.frac[r] = 1.0;
            }
        }
        for (size_t i = 0; l.ws && l.ctx && i < njobs; i++) drop_state(&l, i);
        free(l.ws);
        free(l.ctx);
    }
    for (size_t i = 0; i < njobs; i++) {
        for (size_t r = 0; r < nrep; r++) jobs[i].res.events += js[i].events[r];
        jobs[i].res.seconds = omp_get_wtime() - pg.t0;
        jobs[i].res.end = js[i].end;
        free_job(&js[i]);
    }
    free(js);
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
    sim_run_job job = {params, s, o->seed, o->detail, o->sample, sink, sink_user, 0, {0}, 0};
    int rc = sim_runner_run_jobs(m, &job, 1, o);
    *res = job.res;
    return rc;
}
