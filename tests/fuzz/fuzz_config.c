/* fuzz_config.c: libFuzzer harness for scenario loading and validation.
 *
 * Each input is scenario text. For each model linked into `sim` (labour_market and
 * mm1, the list sim/app/cli.c's main passes down) it is parsed with sim_config_parse (includes
 * resolved relative to $FUZZ_INCLUDE_DIR, default tests/bad-input, so the corpus
 * files' `@include "../../scenarios/base.cfg"` works), the engine keys are read as
 * sim/app/run.c does, the model's configure runs, then sim_config_check_unused; when
 * nothing is wrong the provenance writers of a run (resolved text, numeric values)
 * run too. Every error message is formatted. The harness must never crash, leak or
 * trip UBSan: any finding is a bug in sim/, models/ or libconfig.
 *
 * Findings so far (fixed, kept as corpus cases fuzz-*.cfg): a scenario without a
 * labour_market group made lm_configure convert NaN to a size, and one without
 * labour_market.macro made lm_path_at read before its array.
 *
 * Build and run: `make fuzz [FUZZ_SECONDS=60]` (clang, -fsanitize=fuzzer,address,undefined). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../models/lm_model.h"
#include "../../models/mm1.h"
#include "../../sim/io/config.h"
#include "../../sim/core/model.h"

/* The models of `sim` (sim/app/cli.c). */
static const sim_model_type *const models[] = {&lm_model, &lm_mm1_model, NULL};

static FILE *sink;
static const char *include_dir;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    sink = fopen("/dev/null", "w");
    include_dir = getenv("FUZZ_INCLUDE_DIR");
    if (!include_dir || !*include_dir) include_dir = "tests/bad-input";
    return 0;
}

/* The engine keys, read as sim/app/run.c's read_engine_keys does. */
static void engine_keys(sim_config *c, sim_setup *setup)
{
    const char *names[SIM_MODELS_MAX];
    int n = 0;
    for (; models[n] && n < SIM_MODELS_MAX; n++) names[n] = models[n]->name;
    (void)sim_cfg_enum(c, NULL, "model", names, n);
    setup->seed = (uint64_t)sim_cfg_int(c, NULL, "seed", 0, INT64_MAX);
    setup->replications = (int)sim_cfg_int(c, NULL, "replications", 1, 1000000);
    const char *origin = sim_cfg_string(c, NULL, "origin");
    long days = 0;
    if (sim_date_parse(origin, &days) == 0) sim_config_set_origin(c, origin);
    setup->origin_days = days;
    static const char *const detail[] = {"summary", "series", "events"};
    sim_node *o = sim_cfg_group(c, NULL, "output");
    if (o) {
        (void)sim_cfg_enum(c, o, "detail", detail, 3);
        (void)sim_cfg_real(c, o, "sample", 0.0, 1.0);
    }
}


static void count_value(const char *path, double value, void *user)
{
    (void)value;
    *(size_t *)user += strlen(path);
}

static void one_model(const char *text, const char *model)
{
    const sim_model_type *m = sim_model_find(models, model);
    if (!m) abort();   /* the list changed: fix the harness */
    sim_config *c = sim_config_parse(text, "fuzz.cfg", include_dir);
    if (!c) return;   /* out of memory */
    if (sim_cfg_lookup(c, NULL, NULL)) {   /* parsed */
        sim_setup setup = {0};
        engine_keys(c, &setup);
        void *params = m->configure(c, &setup);
        sim_config_check_unused(c);
        if (params && sim_config_nerrors(c) == 0) {
            (void)m->schema(params);
            free(sim_config_resolved_text(c));
            size_t total = 0;
            sim_config_each_number(c, count_value, &total);
        }
        if (params) m->destroy(params);
    }
    for (size_t i = 0; i < sim_config_nerrors(c); i++)
        if (!sim_config_error_at(c, i)) abort();
    sim_config_print_errors(c, sink, 0);
    sim_config_destroy(c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text) return 0;
    memcpy(text, data, size);
    text[size] = '\0';   /* a NUL inside the input ends the text, as for a C string */
    one_model(text, "labour_market");
    one_model(text, "mm1");
    free(text);
    return 0;
}
