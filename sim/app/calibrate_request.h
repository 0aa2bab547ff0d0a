/* calibrate_request.h: what a `sim calibrate` run is asked to do (calibrate.h
 * runs it); a header of its own so that the run's private state
 * (calibrate_internal.h) can name it without including the command's header. */
#ifndef SIM_CALIBRATE_REQUEST_H
#define SIM_CALIBRATE_REQUEST_H

#include <stdint.h>

#define SIM_CALIBRATE_MAX_ROUNDS 16   /* --rounds of --posterior: 1 .. this */

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
    int                posterior;     /* with uncertainty: also this many parameter sets, each run and weighted
                                       * into the posterior by importance sampling (fit_posterior.h; 0 = none) */
    int                rounds;        /* ... drawn in this many adaptive rounds: the first from the linearised
                                       * normal (its spread doubled in half), each later one around the weighted
                                       * draws so far (1 .. SIM_CALIBRATE_MAX_ROUNDS; 1 = plain importance
                                       * sampling from the linearisation) */
    int                fresh;         /* ignore (and replace) an existing journal */
    int                quiet;
    const char        *command_line;
} sim_calibrate_request;

#endif
