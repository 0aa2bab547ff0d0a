/* run.c: scenario → model → replications → HDF5, with every user error reported
 * as file:line before anything runs and no output left behind on failure. */
#define _GNU_SOURCE
#include "run.h"

#include <errno.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../io/config.h"
#include "experiment.h"
#include "../io/files.h"
#include "../io/out.h"
#include "../core/runner.h"
#include "uncertainty.h"

static const char *const detail_names[] = {"summary", "series", "events"};

/* Engine-level scenario keys (everything else belongs to the model). */
typedef struct {
    const sim_model_type *model;
    sim_setup             setup;
    sim_detail            detail;
    double                sample;
} engine_keys;

static void read_engine_keys(sim_config *cfg, const sim_model_type *const *models, engine_keys *k)
{
    const char *names[SIM_MODELS_MAX];
    int n = 0;
    for (; models[n] && n < SIM_MODELS_MAX; n++) names[n] = models[n]->name;
    k->model = models[sim_cfg_enum(cfg, NULL, "model", names, n)];
    k->setup.seed = (uint64_t)sim_cfg_int(cfg, NULL, "seed", 0, INT64_MAX);
    k->setup.replications = (int)sim_cfg_int(cfg, NULL, "replications", 1, 1000000);
    const char *origin = sim_cfg_string(cfg, NULL, "origin");
    long days = 0;
    if (sim_date_parse(origin, &days) == 0) sim_config_set_origin(cfg, origin);
    else if (sim_cfg_has(cfg, NULL, "origin"))
        sim_config_error(cfg, sim_cfg_lookup(cfg, NULL, "origin"),
                         "\"%s\" is not a valid date (allowed: \"YYYY-MM-DD\", years %d-%d)", origin, SIM_DATE_FIRST_YEAR,
                         SIM_DATE_LAST_YEAR);
    k->setup.origin_days = days;
    if (sim_cfg_has(cfg, NULL, "title")) {   /* a human title for reports; checked, not used here */
        char title[256];
        sim_cfg_name(cfg, NULL, "title", title, sizeof title);
    }
    sim_node *o = sim_cfg_group(cfg, NULL, "output");
    k->detail = o ? (sim_detail)sim_cfg_enum(cfg, o, "detail", detail_names, 3) : SIM_DETAIL_SUMMARY;
    k->sample = o ? sim_cfg_real(cfg, o, "sample", 0.0, 1.0) : 1.0;
}

void sim_run_apply_scale(sim_config *cfg, const sim_model_type *const *models, double scale)
{
    sim_node *m = sim_cfg_lookup(cfg, NULL, "model");
    const sim_model_type *type = m ? sim_model_find(models, sim_cfg_string(cfg, NULL, "model")) : NULL;
    if (!type) return;   /* read_engine_keys reports the model */
    sim_node *n = type->scale_key ? sim_cfg_lookup(cfg, NULL, type->scale_key) : NULL;
    if (!n) {
        sim_config_error(cfg, m, "--scale: model %s has no population key%s%s in the scenario", type->name,
                         type->scale_key ? " " : "", type->scale_key ? type->scale_key : "");
        return;
    }
    char set[256];
    double v = sim_cfg_real(cfg, NULL, type->scale_key, -1e300, 1e300) * scale;
    if (sim_cfg_is_integer(n)) snprintf(set, sizeof set, "%s=%lld", type->scale_key, v < 1 ? 1LL : llround(v));
    else snprintf(set, sizeof set, "%s=%.17g", type->scale_key, v);
    sim_config_override_at(cfg, set, "command line (--scale)");
}

/* The request's overrides, in order, each with its origin, until the first problem. */
static void apply_sets(sim_config *cfg, const sim_run_request *req)
{
    for (int i = 0; i < req->nsets && sim_config_nerrors(cfg) == 0; i++)
        sim_config_override_at(cfg, req->sets[i], req->set_origins ? req->set_origins[i] : NULL);
}

/* Load, override, read engine and model keys; on any problem print them all and
 * return NULL (and *params NULL). On success *params holds the configured model parameters. */
static sim_config *prepare(const sim_run_request *req, engine_keys *k, void **params)
{
    sim_config *cfg = sim_config_load(req->scenario);
    if (!cfg) { sim_log_error("out of memory"); return NULL; }
    apply_sets(cfg, req);
    if (req->scale > 0 && sim_config_nerrors(cfg) == 0 && sim_cfg_lookup(cfg, NULL, NULL))
        sim_run_apply_scale(cfg, req->models, req->scale);
    *params = NULL;
    if (sim_cfg_lookup(cfg, NULL, NULL)) {   /* parsed: read every key so all problems are listed */
        read_engine_keys(cfg, req->models, k);
        sim_sweep_check_block(cfg);   /* checks the experiment block; `sim sweep` runs it */
        *params = k->model->configure(cfg, &k->setup);
        sim_config_check_unused(cfg);
    }
    if (sim_config_nerrors(cfg) == 0 && *params) return cfg;
    sim_config_print_errors(cfg, stderr, 0);
    fprintf(stderr, "sim: %s: %zu problem%s%s%s; nothing was run\n", req->scenario, sim_config_nerrors(cfg),
            sim_config_nerrors(cfg) == 1 ? "" : "s", req->context ? " " : "", req->context ? req->context : "");
    if (*params) k->model->destroy(*params);
    *params = NULL;   /* the caller's release_all frees what is left: nothing here */
    sim_config_destroy(cfg);
    return NULL;
}

/* results/<stem>.h5 for a scenario path (sim_scenario_stem); NULL after a message. */
static char *default_output(const char *scenario)
{
    char *stem = sim_scenario_stem(scenario), *path = NULL;
    if (!stem || asprintf(&path, "results/%s.h5", stem) < 0) {
        free(stem);
        sim_log_error("out of memory");
        return NULL;
    }
    free(stem);
    if (mkdir("results", 0755) != 0 && errno != EEXIST) {
        sim_log_error("results: cannot create the default output directory: %s (use -o FILE)", strerror(errno));
        free(path);
        return NULL;
    }
    return path;
}

static void apply_cli(const sim_run_request *req, engine_keys *k, sim_run_opts *o)
{
    o->threads = req->threads > 0 ? req->threads : omp_get_max_threads();
    o->replications = req->replications > 0 ? req->replications : k->setup.replications;
    o->seed = req->seed >= 0 ? (uint64_t)req->seed : k->setup.seed;
    o->detail = req->detail >= 0 ? (sim_detail)req->detail : k->detail;
    o->sample = req->sample >= 0 ? req->sample : k->sample;
    o->progress = !req->quiet;
    o->progress_within = !req->quiet && (req->progress || isatty(STDERR_FILENO));
    o->origin_days = k->setup.origin_days;
    /* SIM_PROGRESS_SECONDS: the interval between progress lines (tests use a short one) */
    const char *ps = getenv("SIM_PROGRESS_SECONDS");
    o->progress_seconds = ps ? atof(ps) : 0.0;
    o->first_rep = 0;
    k->setup.seed = o->seed;
    k->setup.replications = o->replications;
}

/* Record the settings that run in the scenario, so /parameters describes the run
 * that was made (-r, -s, -d, --sample), whatever type the scenario gave them.
 * 0, or -1 after a message: provenance never disagrees with what ran. */
static int record_cli(sim_config *cfg, const sim_run_opts *o)
{
    char buf[4][96];
    snprintf(buf[0], sizeof buf[0], "seed=%llu", (unsigned long long)o->seed);
    snprintf(buf[1], sizeof buf[1], "replications=%d", o->replications);
    snprintf(buf[2], sizeof buf[2], "output.detail=\"%s\"", detail_names[o->detail]);
    snprintf(buf[3], sizeof buf[3], "output.sample=%.17g", o->sample);
    for (int i = 0; i < 4; i++) {
        if (sim_config_record(cfg, buf[i]) != 0) {
            sim_log_error("cannot record %s in /parameters (out of memory?); nothing was run", buf[i]);
            return -1;
        }
    }
    return 0;
}

/* Write everything except /events (written during the run). */
static int write_results(sim_out *out, const engine_keys *k, const void *params,
                         const sim_schema *s, const sim_results *res)
{
    if (sim_out_summary(out, s, res->nrep, res->summary) != 0) return -1;
    if (sim_out_time_end(out, k->setup.origin_days, res->end) != 0) return -1;
    if (res->series && sim_out_series(out, s, res->nrep, res->series, k->setup.origin_days) != 0) return -1;
    return k->model->write ? k->model->write(params, out) : 0;
}

/* The runner's trace sink: rows to /events of the output file (out). The runner
 * calls it from any of its threads, and HDF5's error-printing switch is per
 * thread, so it is turned off here. */
static int append_events(void *out, const void *rows, size_t n)
{
    sim_out_quiet_hdf5();
    return sim_out_events_append(out, rows, n);
}

/* One scenario being run: what prepare() made of it and its open output file. */
typedef struct {
    sim_run_request   req;      /* the request, naming this scenario */
    sim_config       *cfg;
    engine_keys       k;
    void             *params;
    sim_run_opts      o;
    const sim_schema *s;
    char             *path;
    sim_out          *out;
} scenario_run;

/* ================================ --draw-parameters (issue 14) ============ */
/* Replication r runs alone (first_rep = r), configured with the scenario, the --set
 * overrides and its own parameter set from the scenario's uncertainty list
 * (sim_uncertainty_draw: keyed by seed and r only, so BASE and ALT draw the same set
 * in replication r), one replication after the other; its results land in slot r
 * exactly as in a run of all replications together. */

typedef struct {
    sim_uncertainty *u;
    double          *values;   /* [replication][parameter] */
} draws;

/* The scenario's uncertainty list, its ranges checked; NULL after a message. */
static sim_uncertainty *draw_list(const sim_run_request *req)
{
    sim_config *cfg = sim_config_load(req->scenario);
    if (!cfg) return NULL;
    apply_sets(cfg, req);
    sim_uncertainty *u = sim_config_nerrors(cfg) ? NULL : sim_uncertainty_read(cfg);
    if (sim_config_nerrors(cfg)) sim_config_print_errors(cfg, stderr, 0);
    else if (!u) sim_log_error("%s: --draw-parameters needs a top-level uncertainty list in the scenario (docs/sensitivity.md)", req->scenario);
    sim_config_destroy(cfg);
    if (u && sim_uncertainty_check(u, req->models, req->scenario, req->sets, req->nsets) != 0) {
        sim_uncertainty_destroy(u);
        return NULL;
    }
    return u;
}

/* Replication r's configuration: the scenario with its --set overrides and r's
 * drawn values (kept while r runs). */
typedef struct {
    sim_config  *cfg;
    engine_keys  k;
    void        *params;
} drawn_config;

static void release_drawn(drawn_config *c)
{
    if (c->params) c->k.model->destroy(c->params);
    sim_config_destroy(c->cfg);
    *c = (drawn_config){0};
}

/* Configure req's scenario for replication r with d's values (checked against s,
 * the shape of the scenario's output). 0, or -1 after a message. */
static int prepare_drawn(const sim_run_request *req, const draws *d, int r, const sim_schema *s, drawn_config *c)
{
    size_t k = sim_uncertainty_n(d->u), n = (size_t)req->nsets + k;
    char (*buf)[SIM_MESSAGE_MAX] = malloc(k * sizeof *buf), context[64];
    const char **sets = malloc(n * sizeof *sets), **origins = malloc(n * sizeof *origins);
    int rc = buf && sets && origins ? 0 : -1;
    for (int i = 0; rc == 0 && i < req->nsets; i++) {
        sets[i] = req->sets[i];
        origins[i] = req->set_origins ? req->set_origins[i] : NULL;
    }
    for (size_t j = 0; rc == 0 && j < k; j++) {   /* a drawn value's problem: at its uncertainty entry */
        sets[(size_t)req->nsets + j] = sim_uncertainty_assignment(d->u, j, d->values[(size_t)r * k + j], buf[j], sizeof buf[j]);
        origins[(size_t)req->nsets + j] = sim_uncertainty_where(d->u, j);
    }
    snprintf(context, sizeof context, "in the parameter set of replication %d", r);
    sim_run_request sub = *req;
    sub.sets = sets;
    sub.set_origins = origins;
    sub.nsets = (int)n;
    sub.context = context;
    *c = (drawn_config){0};
    c->cfg = rc == 0 ? prepare(&sub, &c->k, &c->params) : NULL;
    const sim_schema *sr = c->cfg ? c->k.model->schema(c->params) : NULL;
    if (sr && (sr->n_summary != s->n_summary || sr->n_series != s->n_series || sr->n_steps != s->n_steps || sr->n_columns != s->n_columns)) {
        sim_log_error("%s: the parameter set of replication %d changes the shape of the output; nothing was written", req->scenario, r);
        sr = NULL;
    }
    free(buf);
    free(sets);
    free(origins);
    if (sr) return 0;
    release_drawn(c);
    return -1;
}

/* Copy one replication's results into slot r of res (allocated at r = 0). */
static int keep_slot(const sim_schema *s, int nrep, int r, sim_results *one, sim_results *res)
{
    size_t per = s->n_steps * s->n_series * s->n_columns;
    if (r == 0) {
        res->nrep = (size_t)nrep;
        res->end = one->end;   /* replication 0's end of simulated time, as the runner gives it (time_end) */
        res->summary = calloc((size_t)nrep * s->n_summary + 1, sizeof *res->summary);
        res->series = one->series ? calloc((size_t)nrep * per, sizeof *res->series) : NULL;
        if (!res->summary || (one->series && !res->series)) { sim_log_error("out of memory"); return -1; }
    }
    memcpy(res->summary + (size_t)r * s->n_summary, one->summary, s->n_summary * sizeof *res->summary);
    if (res->series) memcpy(res->series + (size_t)r * per, one->series, per * sizeof *res->series);
    res->events += one->events;   /* seconds: the caller's, the wall time of all */
    return 0;
}

/* Replications run together with drawn parameter sets: four per thread, at most
 * this many (each configured, about 0.3 MB, and kept while its batch runs; a
 * progress line per batch), or one at detail events, so that trajectory rows
 * reach every file in replication order. */
#define DRAW_BATCH 64

/* Draw the parameter sets of runs[i] for all its replications into d[i]. 0, or -1. */
static int draw_all(const scenario_run *r, draws *d)
{
    if (!(d->u = draw_list(&r->req))) return -1;
    size_t k = sim_uncertainty_n(d->u), nrep = (size_t)r->o.replications;
    if (!(d->values = malloc(nrep * k * sizeof *d->values + 1))) { sim_log_error("out of memory"); return -1; }
    for (size_t i = 0; i < nrep; i++)
        switch (sim_uncertainty_draw(d->u, r->o.seed, (uint32_t)i, d->values + i * k)) {
        case 0: break;
        case -2: return -1;   /* the block was named on stderr */
        default: sim_log_error("out of memory"); return -1;
        }
    return 0;
}

/* The replications of n scenarios, replication r of each with its own parameter
 * set d[i] (keyed by seed and r only, so r's set is the same in every scenario
 * with the same list): each (replication, scenario) of a batch is a job of the
 * runner, so replications run in parallel and a scenario that differs from an
 * earlier one only in its policy continues from its burn-in in each replication.
 * Results into res[i]; base[i] receives the scenario it continued from (its own
 * index if none). 0, or -1 after a message. */
static int run_drawn(scenario_run *runs, int n, draws *d, sim_results *res, int *base)
{
    int nrep = runs[0].o.replications, events = 0;
    for (int i = 0; i < n; i++) {
        base[i] = i;
        events |= runs[i].o.detail == SIM_DETAIL_EVENTS;
        if (draw_all(&runs[i], &d[i]) != 0) return -1;
    }
    int batch = events ? 1 : 4 * runs[0].o.threads < DRAW_BATCH ? 4 * runs[0].o.threads : DRAW_BATCH;
    double t0 = omp_get_wtime();
    size_t cap = (size_t)n * (size_t)batch;
    drawn_config *cfg = calloc(cap, sizeof *cfg);
    sim_run_job *jobs = calloc(cap, sizeof *jobs);
    int rc = cfg && jobs ? 0 : -1;
    if (rc) sim_log_error("out of memory");
    for (int r0 = 0; rc == 0 && r0 < nrep; r0 += batch) {
        int nb = nrep - r0 < batch ? nrep - r0 : batch;
        size_t nj = 0;
        for (int r = r0; rc == 0 && r < r0 + nb; r++)   /* replication-major: r's scenarios side by side */
            for (int i = 0; rc == 0 && i < n; i++, nj++) {
                scenario_run *x = &runs[i];
                rc = prepare_drawn(&x->req, &d[i], r, x->s, &cfg[nj]);
                if (rc == 0)
                    jobs[nj] = (sim_run_job){cfg[nj].params, cfg[nj].k.model->schema(cfg[nj].params), x->o.seed,
                                             x->o.detail, x->o.sample, append_events, x->out, (uint32_t)r, {0}, (int)nj};
            }
        sim_run_opts o = runs[0].o;
        o.first_rep = 0;
        o.replications = 1;
        o.progress = o.progress_within = 0;
        if (rc == 0) rc = sim_runner_run_jobs(cfg[0].k.model, jobs, nj, &o);
        for (size_t j = 0; rc == 0 && j < nj; j++) {
            int i = (int)(j % (size_t)n), r = r0 + (int)(j / (size_t)n);
            rc = keep_slot(runs[i].s, nrep, r, &jobs[j].res, &res[i]);
            if (jobs[j].base != (int)j) base[i] = jobs[j].base % n;
        }
        for (size_t j = 0; j < nj; j++) {
            sim_results_free(&jobs[j].res);
            release_drawn(&cfg[j]);
        }
        if (rc == 0 && runs[0].o.progress)
            fprintf(stderr, "sim: %d of %d replications done, each with its own parameter set\n", r0 + nb, nrep);
    }
    for (int i = 0; i < n; i++) res[i].seconds = omp_get_wtime() - t0;
    free(cfg);
    free(jobs);
    return rc;
}

/* /parameter_draws [replication][parameter], with the keys, distributions and
 * sources (a source starting "calibrated" marks a calibrated parameter). */
static int write_draws(sim_out *out, const draws *d, int nrep)
{
    size_t k = sim_uncertainty_n(d->u);
    const char **keys = malloc(k * sizeof *keys), **dist = malloc(k * sizeof *dist), **src = malloc(k * sizeof *src);
    hsize_t dims[2] = {(hsize_t)nrep, k};
    hid_t ds = keys && dist && src ? sim_out_array(sim_out_file(out), "parameter_draws", H5T_NATIVE_DOUBLE, 2, dims, d->values) : -1;
    for (size_t j = 0; keys && dist && src && j < k; j++) {
        keys[j] = sim_uncertainty_key(d->u, j);
        dist[j] = sim_uncertainty_dist(d->u, j);
        src[j] = sim_uncertainty_source(d->u, j);
    }
    int rc = ds < 0 ? -1 : sim_out_attr_strings(ds, "parameters", keys, k) | sim_out_attr_strings(ds, "distributions", dist, k)
             | sim_out_attr_strings(ds, "sources", src, k)
             | sim_out_attr_string(ds, "description", "replication r ran with parameter r's values (sim run --draw-parameters)");
    if (ds >= 0 && H5Dclose(ds) < 0) rc = -1;
    free(keys);
    free(dist);
    free(src);
    if (rc) sim_log_error("cannot write /parameter_draws");
    return rc ? -1 : 0;
}


/* The output path: req->output, else <output_dir>/<stem>.h5 (output_dir
 * results/ by default, created if missing). NULL after a message. */
static char *output_path(const sim_run_request *req)
{
    if (req->output) return strdup(req->output);
    if (!req->output_dir) return default_output(req->scenario);
    char *stem = sim_scenario_stem(req->scenario), *path = NULL;
    if (!stem || asprintf(&path, "%s/%s.h5", req->output_dir, stem) < 0) path = NULL;
    free(stem);
    if (!path) sim_log_error("out of memory");
    else if (mkdir(req->output_dir, 0755) != 0 && errno != EEXIST) {
        sim_log_error("%s: cannot create the output directory: %s", req->output_dir, strerror(errno));
        free(path);
        path = NULL;
    }
    return path;
}

/* Settle the run's options, open the output file and write what precedes the
 * results (provenance, parameters, the /events table). 0, or -1 after a message
 * (nothing left behind). */
static int open_run(scenario_run *r)
{
    apply_cli(&r->req, &r->k, &r->o);
    if (r->req.sample >= 0 && r->o.detail != SIM_DETAIL_EVENTS) {   /* -d not given: the scenario's detail decides */
        sim_log_error("%s: --sample needs detail events (the scenario's output.detail is \"%s\"; allowed: -d events "
                      "--sample SHARE; the summary and series cover everyone)", r->req.scenario, detail_names[r->o.detail]);
        return -1;
    }
    if (record_cli(r->cfg, &r->o) != 0) return -1;
    r->s = r->k.model->schema(r->params);
    r->path = output_path(&r->req);
    r->out = r->path ? sim_out_create(r->path) : NULL;
    if (!r->out) return -1;
    const char *pkey = r->k.model->scale_key;
    sim_provenance p = {r->k.model->description, r->req.scenario, r->k.model->name,
                        r->req.command_line ? r->req.command_line : "", r->o.seed, r->o.replications,
                        r->k.setup.origin_days, pkey,
                        pkey && sim_cfg_lookup(r->cfg, NULL, pkey) ? sim_cfg_real(r->cfg, NULL, pkey, -1e300, 1e300) : NAN};
    int rc = sim_out_provenance(r->out, &p) | sim_out_parameters(r->out, r->cfg);
    if (!rc && r->o.detail == SIM_DETAIL_EVENTS && r->s->trace.size)   /* a model without a record writes no /events */
        rc = sim_out_events_begin(r->out, r->s, r->k.setup.origin_days);
    if (rc) {
        sim_out_abort(r->out);
        r->out = NULL;
    }
    return rc ? -1 : 0;
}

/* The readable report of one scenario's results (after its file is complete). */
static void print_report(const scenario_run *r, const sim_results *res, FILE *report)
{
    if (r->k.model->report) r->k.model->report(r->params, res->summary, res->series, res->nrep, report);
    else sim_print_summary_table(r->s, res->summary, res->nrep, report);
    fprintf(report, "output: %s\n", r->path);
}

static double peak_rss_mb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_maxrss / 1024.0;
}

/* Finish the output after a run that returned rc: write the results and commit
 * the file, or remove it. 0, or -1 after printing why. */
static int close_run(scenario_run *r, int rc, const sim_results *res)
{
    if (!r->out) return -1;
    if (!rc) rc = write_results(r->out, &r->k, r->params, r->s, res);
    if (rc) sim_out_abort(r->out);
    else rc = sim_out_commit(r->out);
    r->out = NULL;
    return rc ? -1 : 0;
}

/* Run and write the file; with report != NULL print the run's line, the model's
 * summary and the output path there. 0, or -1 after printing why. */
static int run_and_write(const sim_run_request *req, sim_config *cfg, engine_keys *k, void *params,
                         FILE *report, sim_run_result *result)
{
    scenario_run r = {*req, cfg, *k, params, {0}, NULL, NULL, NULL};
    int rc = open_run(&r);
    sim_results res = {0};
    draws d = {0};
    int base;
    if (!rc) rc = req->draw_parameters ? run_drawn(&r, 1, &d, &res, &base)
                                       : sim_runner_run(k->model, params, r.s, &r.o, append_events, r.out, &res);
    if (!rc && d.u) rc = write_draws(r.out, &d, r.o.replications);
    sim_uncertainty_destroy(d.u);
    free(d.values);
    rc = close_run(&r, rc, &res);
    if (!rc && report) {
        fprintf(report, "%s: %d replication%s, %.3g events, %.2f s on %d thread%s (%.3g events/s), peak RSS %.0f MB\n",
                req->scenario, r.o.replications, r.o.replications == 1 ? "" : "s", (double)res.events,
                res.seconds, r.o.threads, r.o.threads == 1 ? "" : "s", (double)res.events / res.seconds, peak_rss_mb());
        print_report(&r, &res, report);
    }
    if (!rc) {
        result->replications = r.o.replications;
        result->events = res.events;
        result->seconds = res.seconds;
    }
    sim_results_free(&res);
    free(r.path);
    return rc ? -1 : 0;
}

/* ======================== several scenarios, one run (shared burn-in) ===== */

/* Prepare every scenario (all problems of all of them listed) and check that
 * they name one model (the CLI has checked that their file names differ).
 * 0, or -1 after messages. */
static int prepare_all(const sim_run_request *req, scenario_run *runs, int n)
{
    int rc = 0;
    for (int i = 0; i < n; i++) {
        runs[i].req = *req;
        runs[i].req.scenario = req->scenarios[i];
        runs[i].cfg = prepare(&runs[i].req, &runs[i].k, &runs[i].params);
        if (!runs[i].cfg) rc = -1;
    }
    for (int i = 1; rc == 0 && i < n; i++)
        if (runs[i].k.model != runs[0].k.model) {
            sim_log_error("%s: model %s, but %s is model %s (allowed: one model per run)", runs[i].req.scenario,
                          runs[i].k.model->name, runs[0].req.scenario, runs[0].k.model->name);
            rc = -1;
        }
    return rc;
}

static void release_all(scenario_run *runs, int n)
{
    for (int i = 0; i < n; i++) {
        if (runs[i].out) sim_out_abort(runs[i].out);
        if (runs[i].params) runs[i].k.model->destroy(runs[i].params);
        sim_config_destroy(runs[i].cfg);
        free(runs[i].path);
    }
}

/* Finish every output after a run that returned rc: all files appear under
 * their final names, or none (every result is written and every file closed
 * before the first is renamed; only a failed rename can leave the earlier ones,
 * and the message names the file). 0, or -1 after printing why. */
static int close_all(scenario_run *runs, int n, const sim_run_job *jobs, int rc)
{
    for (int i = 0; rc == 0 && i < n; i++)
        if (write_results(runs[i].out, &runs[i].k, runs[i].params, runs[i].s, &jobs[i].res) != 0) rc = -1;
    for (int i = 0; rc == 0 && i < n; i++)
        if (sim_out_finish(runs[i].out) != 0) rc = -1;
    for (int i = 0; i < n; i++) {
        if (rc == 0 && sim_out_publish(runs[i].out) != 0) rc = -1;
        else if (rc != 0) sim_out_abort(runs[i].out);
        runs[i].out = NULL;
    }
    return rc;
}

/* Run req->scenarios together: the same replications of each, a scenario that
 * differs from an earlier one only where the model allows (its policy, from the
 * origin on) continuing from that one's burn-in in every replication. Every file
 * is as its own `sim run` writes it, bit for bit, but for the command line and
 * the time in /provenance. */
static int run_several(const sim_run_request *req, FILE *report)
{
    int n = req->nscenarios;
    scenario_run *runs = calloc((size_t)n, sizeof *runs);
    sim_run_job *jobs = calloc((size_t)n, sizeof *jobs);
    if (!runs || !jobs) {
        free(runs);
        free(jobs);
        sim_log_error("out of memory");
        return -1;
    }
    int rc = prepare_all(req, runs, n);
    if (rc == 0 && req->validate_only) {
        for (int i = 0; i < n && rc == 0; i++)   /* each declared range, as --set would (uncertainty.h) */
            rc = sim_uncertainty_check_scenario(req->models, runs[i].req.scenario, req->sets, req->nsets);
        for (int i = 0; rc == 0 && report && i < n; i++)
            fprintf(report, "%s: valid (model %s)\n", runs[i].req.scenario, runs[i].k.model->name);
        release_all(runs, n);
        free(runs);
        free(jobs);
        return rc;
    }
    for (int i = 0; rc == 0 && i < n; i++) {   /* one replication count: the files are paired replication by replication */
        apply_cli(&runs[i].req, &runs[i].k, &runs[i].o);
        if (runs[i].o.replications != runs[0].o.replications) {
            sim_log_error("%s asks for %d replications, %s for %d (allowed: one count for all; use -r N)",
                          runs[i].req.scenario, runs[i].o.replications, runs[0].req.scenario, runs[0].o.replications);
            rc = -1;
        }
    }
    for (int i = 0; rc == 0 && i < n; i++) rc = open_run(&runs[i]);
    for (int i = 0; rc == 0 && i < n; i++)
        jobs[i] = (sim_run_job){runs[i].params, runs[i].s, runs[i].o.seed, runs[i].o.detail, runs[i].o.sample,
                                append_events, runs[i].out, 0, {0}, i};
    sim_run_opts o = n > 0 ? runs[0].o : (sim_run_opts){0};
    draws *d = req->draw_parameters ? calloc((size_t)n, sizeof *d) : NULL;
    int *base = calloc((size_t)n, sizeof *base);
    if (rc == 0 && (!base || (req->draw_parameters && !d))) { sim_log_error("out of memory"); rc = -1; }
    if (rc == 0 && d) {
        sim_results *res = calloc((size_t)n, sizeof *res);
        if (!res) sim_log_error("out of memory");
        rc = res ? run_drawn(runs, n, d, res, base) : -1;
        for (int i = 0; res && i < n; i++) jobs[i].res = res[i];
        free(res);
        for (int i = 0; rc == 0 && i < n; i++) rc = write_draws(runs[i].out, &d[i], runs[i].o.replications);
    } else if (rc == 0) {
        rc = sim_runner_run_jobs(runs[0].k.model, jobs, (size_t)n, &o);
        for (int i = 0; i < n; i++) base[i] = jobs[i].base;
    }
    for (int i = 0; d && i < n; i++) {
        sim_uncertainty_destroy(d[i].u);
        free(d[i].values);
    }
    free(d);
    rc = close_all(runs, n, jobs, rc);
    int shared = 0;
    uint64_t events = 0;
    for (int i = 0; i < n; i++) {
        shared += base && base[i] != i;
        events += jobs[i].res.events;
    }
    for (int i = 0; rc == 0 && report && i < n; i++) {
        fprintf(report, "%s: %d replication%s, %.3g events", runs[i].req.scenario, runs[i].o.replications,
                runs[i].o.replications == 1 ? "" : "s", (double)jobs[i].res.events);
        if (base[i] != i) fprintf(report, ", continued from the burn-in of %s", runs[base[i]].req.scenario);
        fputc('\n', report);
        print_report(&runs[i], &jobs[i].res, report);
    }
    if (rc == 0 && report && n > 0)
        fprintf(report, "%d scenarios (%d continued from another's burn-in): %.3g events (a shared burn-in counted "
                "in each), %.2f s on %d thread%s, peak RSS %.0f MB\n", n, shared, (double)events, jobs[0].res.seconds, o.threads,
                o.threads == 1 ? "" : "s", peak_rss_mb());
    for (int i = 0; i < n; i++) sim_results_free(&jobs[i].res);
    free(base);
    release_all(runs, n);
    free(runs);
    free(jobs);
    return rc;
}

/* sim_run_file, with the readable report of a run on `report` (NULL = none). */
static int run_request(const sim_run_request *req, FILE *report, sim_run_result *result)
{
    engine_keys k = {0};
    void *params = NULL;
    sim_config *cfg = prepare(req, &k, &params);
    if (!cfg) return -1;
    *result = (sim_run_result){.model = k.model->name};
    int rc = req->validate_only ? 0 : run_and_write(req, cfg, &k, params, report, result);
    k.model->destroy(params);
    sim_config_destroy(cfg);
    return rc;
}

int sim_run_file(const sim_run_request *req, sim_run_result *result)
{
    sim_run_result ignored;
    return run_request(req, NULL, result ? result : &ignored);
}

int sim_run_main(const sim_run_request *req)
{
    if (req->nscenarios > 1) return run_several(req, req->quiet && !req->validate_only ? NULL : stdout) ? SIM_EXIT_RUNTIME : SIM_EXIT_OK;
    sim_run_result r;
    if (run_request(req, req->quiet ? NULL : stdout, &r) != 0) return SIM_EXIT_RUNTIME;
    if (req->validate_only && sim_uncertainty_check_scenario(req->models, req->scenario, req->sets, req->nsets) != 0)
        return SIM_EXIT_RUNTIME;   /* each declared range, as --set would (uncertainty.h) */
    if (req->validate_only) printf("%s: valid (model %s)\n", req->scenario, r.model);
    return SIM_EXIT_OK;
}

int sim_run_in_memory(const sim_run_request *req, int (*use)(const sim_run_view *v, void *user), void *user)
{
    engine_keys k = {0};
    void *params = NULL;
    sim_config *cfg = prepare(req, &k, &params);
    if (!cfg) return -1;
    sim_run_opts o;
    apply_cli(req, &k, &o);
    o.detail = SIM_DETAIL_SERIES;
    o.progress = o.progress_within = 0;
    const sim_schema *s = k.model->schema(params);
    sim_results res = {0};
    int rc = req->validate_only ? 0 : sim_runner_run(k.model, params, s, &o, NULL, NULL, &res);
    if (rc == 0) {
        sim_run_view view = {s, &res, k.setup.origin_days};
        rc = use(&view, user);
    }
    sim_results_free(&res);
    k.model->destroy(params);
    sim_config_destroy(cfg);
    return rc;
}

void sim_print_summary_table(const sim_schema *s, const double *summary, size_t nrep, FILE *f)
{
    double *col = malloc((nrep ? nrep : 1) * sizeof *col);
    if (!col) return;
    fprintf(f, "  %-28s %14s %14s   %s\n", "outcome", "mean", "95% CI +/-", "unit");
    for (size_t i = 0; i < s->n_summary; i++) {
        size_t n = 0;   /* the replications where the field is defined (not NaN) */
        for (size_t r = 0; r < nrep; r++)
            if (!isnan(summary[r * s->n_summary + i])) col[n++] = summary[r * s->n_summary + i];
        double t = n > 1 ? gsl_cdf_tdist_Pinv(0.975, (double)(n - 1)) : NAN;
        double half = n > 1 ? t * gsl_stats_sd(col, 1, n) / sqrt((double)n) : NAN;
        char mean[32];
        if (n) snprintf(mean, sizeof mean, "%14.6g", gsl_stats_mean(col, 1, n));
        else snprintf(mean, sizeof mean, "%14s", "n/a");
        fprintf(f, "  %-28s %s %14.3g   %s", s->summary[i].name, mean, half, s->summary[i].unit);
        if (n < nrep) fprintf(f, "  (defined in %zu of %zu replications)", n, nrep);
        fputc('\n', f);
    }
    free(col);
}
