/* calibrate.h: `sim calibrate SCENARIO TARGETS`: fit named scenario parameters,
 * each within bounds, to named targets (a /summary field or ratio of fields, a
 * national /series value at a date, a series sum over a period, or a growth
 * between two dates), each with a value, a tolerance and a source, by minimising
 * the mean squared standardised miss of the in-sample targets with a
 * derivative-free optimiser (NLopt). Out-of-sample targets are reported, never
 * fitted. The targets file format is described in docs/calibration.md.
 *
 * Every evaluation runs the scenario's replications in memory (OpenMP) with the
 * same seed, so the objective is a smooth-ish function of the parameters (common
 * random numbers). Each evaluation is appended to OUT.journal and flushed, so an
 * interrupted calibration rerun with the same arguments replays the recorded
 * evaluations without simulating and goes on where it stopped. */
#ifndef SIM_CALIBRATE_H
#define SIM_CALIBRATE_H

#include <stdint.h>

typedef struct sim_calibrate_request {
    const struct sim_model_type *const *models;   /* NULL-terminated list of the models (sim/core/model.h) */
    const char        *scenario;      /* scenario file */
    const char        *targets;       /* targets file (a `calibration` group) */
    const char        *output;        /* OUT.h5; also writes OUT.cfg and OUT.journal; NULL = results/<targets>-calibration.h5 */
    const char        *markdown;      /* write the target table as Markdown here (NULL = none) */
    const char *const *sets;          /* --set overrides applied before the parameters */
    int                nsets;
    int                threads;       /* 0 = OpenMP default */
    int                replications;  /* 0 = from the scenario */
    int64_t            seed;          /* -1 = from the scenario */
    double             scale;         /* population factor on top of the scenario's (1 = as is) */
    int                max_evals;     /* optimiser budget (evaluations) */
    const char        *algorithm;     /* bobyqa | sbplx | neldermead | cobyla */
    int                check_only;    /* evaluate once at the scenario's values; no fit */
    int                uncertainty;   /* also the parameters' linearised uncertainty at the fitted point (or,
                                       * with check_only, at the scenario's values): OUT.h5 /calibration/uncertainty
                                       * and OUT-uncertainty.cfg (fit_uncertainty.h) */
    double             step;          /* its finite-difference step, in units of each bound range (0, 0.5] */
    int                draws;         /* with uncertainty: also run this many parameter sets drawn from the
                                       * linearised joint normal truncated to the bounds, and set the
                                       * simulated spread of every target beside the linearised one (0 = none) */
    int                fresh;         /* ignore (and replace) an existing journal */
    int                quiet;
    const char        *command_line;
} sim_calibrate_request;

/* Run a calibration (or a check). Returns a process exit code: 0 done (with
 * --check: every in-sample target within tolerance), 1 a runtime problem or a
 * failed check, messages on stderr, the table on stdout. */
int sim_calibrate_main(const sim_calibrate_request *req);

#endif
