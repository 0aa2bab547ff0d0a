/* calibrate_internal.h: the state of one `sim calibrate` (calibrate.c), shared
 * with the module that writes its results (calibrate_output.c). Private to
 * those two files: nothing else includes it. */
#ifndef SIM_CALIBRATE_INTERNAL_H
#define SIM_CALIBRATE_INTERNAL_H

#include <math.h>
#include <nlopt.h>
#include <stdint.h>
#include <stdio.h>

#include "calibrate_request.h"
#include "fit_posterior.h"
#include "fit_uncertainty.h"

#define CAL_MAX_PARAMS 32
#define CAL_MAX_TARGETS 128
#define CAL_NAME 64
#define CAL_KEY 256
#define CAL_MAX_SETS (256 + CAL_MAX_PARAMS + 1)
#define CAL_MAX_LAYERS 999          /* overlays of overlays: overrides_calibrated, _2 .. _999 */
#define CAL_MAX_ROUNDS SIM_CALIBRATE_MAX_ROUNDS

typedef enum { TG_SUMMARY, TG_SERIES_AT, TG_SERIES_SUM } tg_kind;

typedef struct {
    char    name[CAL_NAME], field[CAL_NAME], per[CAL_NAME];
    char    loc[CAL_KEY];           /* "file:line" of the target, for messages */
    char   *source;
    tg_kind kind;
    double  at, rel, from, to;      /* days since the origin; rel < -1e8: none */
    double  rel_from, rel_to;       /* a sum's base period (rel > -1e8): the value is sum / base sum - 1 */
    double  value, tol;
    int     fit;
    int     idx, per_idx, extensive;   /* resolved against the schema */
    double  mean, lo, hi;           /* model: mean and 95% interval over replications */
} target;

typedef struct {
    char   key[CAL_KEY], loc[CAL_KEY];
    char  *source;
    double lo, hi, start;
} param;

typedef struct {
    const sim_calibrate_request *req;
    param   par[CAL_MAX_PARAMS];
    int     npar;
    target  tg[CAL_MAX_TARGETS];
    int     ntg;
    char    scale_key[CAL_KEY];
    double  scale0;                 /* the scenario's own population scale */
    int64_t seed0;                  /* the scenario's seed (for the record when -s is not given) */
    char    origin[16];
    char    list[CAL_NAME];         /* the overlay's overrides list: a name the scenario does not use */
    int     nrep;
    double *rec_x, *rec_t, *rec_obj;   /* evaluation record: [n][npar], [n][ntg], [n] */
    int     nrec, caprec, best;
    double *jx, *jt, *jobj;         /* journal being replayed */
    long   *joff;                   /* byte offset of journal line i; joff[nj] = end of the last whole line */
    int     nj, replaying;
    FILE   *journal;
    char   *journal_path, *journal_head;
    int     failed;
    double  t0;
    uint64_t scenario_hash;         /* FNV-1a of the resolved scenario text */
    nlopt_opt opt;
    /* --uncertainty: the Jacobian at the fitted point and what follows from it */
    int     have_unc;
    double  at[CAL_MAX_PARAMS];     /* the parameters' values there */
    double  jac[CAL_MAX_TARGETS * CAL_MAX_PARAMS], prior[CAL_MAX_PARAMS];
    double  cov[CAL_MAX_PARAMS * CAL_MAX_PARAMS], corr[CAL_MAX_PARAMS * CAL_MAX_PARAMS];
    double  se[CAL_MAX_PARAMS], ident[CAL_MAX_PARAMS], tsd[CAL_MAX_TARGETS];
    double  jac_se[CAL_MAX_TARGETS * CAL_MAX_PARAMS], noise[CAL_MAX_PARAMS];
    sim_fit_uncertainty unc;
    double *rep_t;                  /* the last evaluation's targets per replication [nrep][ntg] */
    size_t  rep_cap;
    /* --draws: parameter sets drawn from the linearised joint normal and the targets there */
    int     ndraw;
    double *draw_x, *draw_t;        /* [ndraw][npar], [ndraw][ntg] */
    double  sim_mean[CAL_MAX_TARGETS], sim_sd[CAL_MAX_TARGETS];
    /* --posterior: parameter sets from the defensive proposal, run and weighted (fit_posterior.h) */
    int     npost;
    double *post_x, *post_t;        /* [npost][npar], [npost][ntg] */
    double *post_logq, *post_loglik, *post_w, *post_noise;   /* [npost]; noise: sd of the log-likelihood
                                                              * from the replications' spread */
    double  post_mean[CAL_MAX_PARAMS], post_sd[CAL_MAX_PARAMS], post_q025[CAL_MAX_PARAMS];
    double  post_q500[CAL_MAX_PARAMS], post_q975[CAL_MAX_PARAMS], post_corr[CAL_MAX_PARAMS * CAL_MAX_PARAMS];
    double  post_tmean[CAL_MAX_TARGETS], post_tsd[CAL_MAX_TARGETS];
    double *post_round;             /* [npost]: the round that drew each set (a double: written with the
                                     * record's other vectors by write_matrix) */
    int     post_rounds, post_n[CAL_MAX_ROUNDS];      /* rounds, and sets drawn in each */
    double  post_at[CAL_MAX_ROUNDS * CAL_MAX_PARAMS]; /* each round's proposal centre */
    double  post_logz[CAL_MAX_ROUNDS];                /* log of each proposal's mass inside the bounds */
    double  post_ess_round[CAL_MAX_ROUNDS];           /* the effective sample size after each round */
    sim_posterior post;
} calib;

/* A target passes when the model mean lies within its tolerance of the value. */
static inline int passes(const target *t) { return isfinite(t->mean) && fabs(t->mean - t->value) <= t->tol; }

/* A parameter's value at normalised coordinate x in [0, 1]. */
static inline double value_of(const param *p, double x) { return p->lo + x * (p->hi - p->lo); }

#endif
