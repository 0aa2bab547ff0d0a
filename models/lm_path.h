/* lm_path.h: a macro path of the labour-market model (demand levels, tension,
 * a shock's demand multiplier): dated points, piecewise linear in time, read
 * from the scenario. Used by lm_config.c and lm_policy.c. */
#ifndef LM_PATH_H
#define LM_PATH_H

#include "../sim/io/config.h"

#define LM_PATH_MAX 32   /* most points of one path */

/* Invariant after reading: n <= LM_PATH_MAX and t strictly increasing;
 * n = 0 only for an optional path that is absent (tension). */
typedef struct {
    int    n;
    double t[LM_PATH_MAX], v[LM_PATH_MAX];
} lm_path;

/* Read a list of { date; <value_key>; } points into a path: dates strictly
 * increasing and not before `date_lo` (days since the origin), values in
 * [lo, hi] (errors recorded in c). */
void lm_path_read_points(sim_config *c, sim_node *list, int n, lm_path *out, const char *value_key,
                         double lo, double hi, double date_lo);
/* Read the list `key` of { date; level; } points of parent into a path; an
 * absent or empty list is the flat path 1 (errors recorded in c). */
void lm_path_read(sim_config *c, sim_node *parent, const char *key, lm_path *out);
/* Value of a path at time t (flat outside its knots); needs n >= 1. */
double lm_path_at(const lm_path *p, double t);

#endif
