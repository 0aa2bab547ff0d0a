/* lm_path.c: piecewise-linear paths over dated points (lm_path.h). */
#include "lm_path.h"

void lm_path_read_points(sim_config *c, sim_node *list, int n, lm_path *out, const char *value_key,
                         double lo, double hi, double date_lo)
{
    if (list && (n < 1 || n > LM_PATH_MAX))
        sim_config_error(c, list, "%d points (allowed: 1 to %d)", n, LM_PATH_MAX);
    out->n = n < LM_PATH_MAX ? n : LM_PATH_MAX;
    for (int i = 0; i < out->n; i++) {
        sim_node *pt = sim_cfg_elem(list, i);
        out->t[i] = sim_cfg_date(c, pt, "date", date_lo, SIM_DATE_NO_LIMIT);
        out->v[i] = sim_cfg_real(c, pt, value_key, lo, hi);
        if (sim_cfg_has(c, pt, "source")) (void)sim_cfg_string(c, pt, "source");
        if (i > 0 && out->t[i] <= out->t[i - 1])
            sim_config_error(c, pt, "dates must increase (allowed: strictly later than the previous point)");
    }
}

void lm_path_read(sim_config *c, sim_node *parent, const char *key, lm_path *out)
{
    int n = 0;
    sim_node *path = sim_cfg_list(c, parent, key, &n);
    lm_path_read_points(c, path, n, out, "level", 0.05, 5.0, 0.0);
    if (out->n == 0) { out->n = 1; out->t[0] = 0.0; out->v[0] = 1.0; }
}

double lm_path_at(const lm_path *p, double t)
{
    if (t <= p->t[0] || p->n == 1) return p->v[0];
    for (int i = 1; i < p->n; i++)
        if (t < p->t[i])
            return p->v[i - 1] + (p->v[i] - p->v[i - 1]) * (t - p->t[i - 1]) / (p->t[i] - p->t[i - 1]);
    return p->v[p->n - 1];
}
