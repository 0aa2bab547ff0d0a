/* mm1.c (bench): the engine micro-benchmark. Runs the M/M/1 model through the
 * same model interface as every other model: 1,000,000 customers at rho = 0.9
 * (cimba's benchmark), one replication, one thread, no output. Prints wall time
 * and events/s. Usage: mm1 [customers] [repeats] */
#include <gsl/gsl_errno.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>

#include "../models/mm1.h"
#include "../sim/io/config.h"
#include "../sim/core/runner.h"

static const char scenario[] =
    "model = \"mm1\"; seed = 1L; replications = 1; origin = \"2019-01-01\";\n"
    "output = { detail = \"summary\"; sample = 1.0; };\n"
    "mm1 = { arrival_rate = 0.9; service_rate = 1.0; customers = %ld;"
    " observe_step = 0.0; observe_count = 0; };\n";

int main(int argc, char **argv)
{
    gsl_set_error_handler_off();
    long customers = argc > 1 ? atol(argv[1]) : 1000000;
    int repeats = argc > 2 ? atoi(argv[2]) : 5;
    char text[512];
    snprintf(text, sizeof text, scenario, customers);
    sim_config *cfg = sim_config_parse(text, "bench", NULL);
    sim_setup setup = {1, 1, 0};
    void *params = lm_mm1_model.configure(cfg, &setup);
    if (!params || sim_config_nerrors(cfg)) { sim_config_print_errors(cfg, stderr, 0); return 1; }
    const sim_schema *s = lm_mm1_model.schema(params);
    double best = 1e30, mean_wait = 0;
    uint64_t events = 0;
    for (int i = 0; i < repeats; i++) {
        sim_run_opts o = {1, 1, 0, (uint64_t)i + 1, SIM_DETAIL_SUMMARY, 1.0, 0, 0, 0, 0};
        sim_results res;
        if (sim_runner_run(&lm_mm1_model, params, s, &o, NULL, NULL, &res) != 0) return 1;
        if (res.seconds < best) best = res.seconds;
        events = res.events;
        mean_wait = res.summary[1];
        sim_results_free(&res);
    }
    printf("mm1: %ld customers, rho 0.9, best of %d: %.4f s, %.0f events, %.3g events/s "
           "(mean wait %.2f, analytic 9.00)\n",
           customers, repeats, best, (double)events, (double)events / best, mean_wait);
    lm_mm1_model.destroy(params);
    sim_config_destroy(cfg);
    return 0;
}
