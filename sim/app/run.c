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
                         "\"%s\" is not a valid date (allowed: \"YYYY-MM-DD\", years 1900-2200)", origin);
    k->setup.origin_days = days;
    sim_node *o = sim_cfg_group(cfg, NULL, "output");
    k->detail = o ? (sim_detail)sim_cfg_enum(cfg, o, "detail", detail_names, 3) : SIM_DETAIL_SUMMARY;
    k->sample = o ? sim_cfg_real(cfg, o, "sample", 0.0, 1.0) : 1.0;
}

/* Load, override, read engine and model keys; on any problem print them all and
 * return NULL. On success *params holds the configured model parameters. */
static sim_config *prepare(const sim_run_request *req, engine_keys *k, void **params)
{
    sim_config *cfg = sim_config_load(req->scenario);
    if (!cfg) { sim_log_error("out of memory"); return NULL; }
    for (int i = 0; i < req->nsets && sim_config_nerrors(cfg) == 0; i++)
        sim_config_override(cfg, req->sets[i]);
    *params = NULL;
    if (sim_cfg_lookup(cfg, NULL, NULL)) {   /* parsed: read every key so all problems are listed */
        read_engine_keys(cfg, req->models, k);
        sim_sweep_destroy(sim_sweep_read(cfg));   /* checks the experiment block; `sim sweep` runs it */
        *params = k->model->configure(cfg, &k->setup);
        sim_config_check_unused(cfg);
    }
    if (sim_config_nerrors(cfg) == 0 && *params) return cfg;
    sim_config_print_errors(cfg, stderr, 0);
    fprintf(stderr, "sim: %s: %zu problem%s; nothing was run\n", req->scenario,
            sim_config_nerrors(cfg), sim_config_nerrors(cfg) == 1 ? "" : "s");
    if (*params) k->model->destroy(*params);
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

/* Run and write the file; with report != NULL print the run's line, the model's
 * summary and the output path there. 0, or -1 after printing why. */
static int run_and_write(const sim_run_request *req, sim_config *cfg, engine_keys *k, void *params,
                         FILE *report, sim_run_result *result)
{
    sim_run_opts o;
    apply_cli(req, k, &o);
    if (record_cli(cfg, &o) != 0) return -1;
    const sim_schema *s = k->model->schema(params);
    char *path = req->output ? strdup(req->output) : default_output(req->scenario);
    sim_out *out = path ? sim_out_create(path) : NULL;
    if (!out) { free(path); return -1; }
    sim_provenance p = {k->model->description, req->scenario, k->model->name,
                        req->command_line ? req->command_line : "", o.seed, o.replications,
                        k->setup.origin_days};
    int rc = sim_out_provenance(out, &p) | sim_out_parameters(out, cfg);
    if (!rc && o.detail == SIM_DETAIL_EVENTS && s->trace.size)   /* a model without a record writes no /events */
        rc = sim_out_events_begin(out, s, k->setup.origin_days);
    sim_results res = {0};
    if (!rc) rc = sim_runner_run(k->model, params, s, &o, append_events, out, &res);
    if (!rc) rc = write_results(out, k, params, s, &res);
    if (rc) sim_out_abort(out);
    else rc = sim_out_commit(out);
    if (!rc && report) {
        struct rusage ru;
        getrusage(RUSAGE_SELF, &ru);
        fprintf(report, "%s: %d replication%s, %.3g events, %.2f s on %d thread%s (%.3g events/s), peak RSS %.0f MB\n",
                req->scenario, o.replications, o.replications == 1 ? "" : "s", (double)res.events,
                res.seconds, o.threads, o.threads == 1 ? "" : "s", (double)res.events / res.seconds,
                (double)ru.ru_maxrss / 1024.0);
        if (k->model->report) k->model->report(params, res.summary, res.series, res.nrep, report);
        else sim_print_summary_table(s, res.summary, res.nrep, report);
        fprintf(report, "output: %s\n", path);
    }
    if (!rc) {
        result->replications = o.replications;
        result->events = res.events;
        result->seconds = res.seconds;
    }
    sim_results_free(&res);
    free(path);
    return rc ? -1 : 0;
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
    o.progress = 0;
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
