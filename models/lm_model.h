/* lm_model.h: the labour-market model as seen by the engine (lm_model, a
 * sim_model_type) and the workspace accessors lm_output.c uses. */
#ifndef LM_MODEL_H
#define LM_MODEL_H

#include "lm.h"
#include "lm_stats.h"

extern const sim_model_type lm_model;

typedef struct lm_ws lm_ws;   /* per-thread workspace (lm_model.c) */

void *lm_ws_create(const void *params);
void lm_ws_destroy(void *ws);
void lm_start(void *ws, sim_ctx *ctx);
void lm_handle(void *ws, sim_ctx *ctx, const sim_event *ev);
/* The shared burn-in (sim_model_type.branch_time, branch; lm_model.c). */
double lm_branch_time(const void *params_a, const void *params_b);
int lm_branch(void *ws, const void *src, sim_ctx *ctx);

const lm_stats *lm_ws_stats(const lm_ws *w);
lm_stats *lm_ws_stats_mut(lm_ws *w);
const lm_params *lm_ws_params(const lm_ws *w);
/* People on benefit in a region now. */
double lm_region_on_benefit(const lm_ws *w, int region);
/* People under 27 (age band 18-26) on benefit in a region now. */
double lm_region_on_benefit_young(const lm_ws *w, int region);
/* Cooperation maturity of a region now (0..1). */
double lm_region_maturity(const lm_ws *w, int region);
/* The person array of the current replication (owned by the workspace). */
const lm_person *lm_ws_people(const lm_ws *w, uint32_t *n);
/* Person-days on benefit in a region up to time t (>= the last change). */
double lm_region_benefit_days(const lm_ws *w, int region, double t);
/* Add the costs of placements still running at time t (subsidy months so far). */
void lm_settle_costs(lm_ws *w, double t);
/* Places in use and (through *places) places available, all instruments of a region. */
double lm_region_place_use(const lm_ws *w, int region, double *places);

#endif
