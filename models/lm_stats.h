/* lm_stats.h: the counters one replication of the labour-market model keeps;
 * lm_output.c turns them into /summary and /series. All plain sums, reset at
 * the start of every replication. */
#ifndef LM_STATS_H
#define LM_STATS_H

#include "lm.h"

typedef struct lm_stats {
    int32_t count[LM_MAX_REGIONS][LM_NSTATES];   /* people per region and state */
    double starts[LM_NTRAJ], completions[LM_NTRAJ];
    double cohort[LM_NTRAJ], work12[LM_NTRAJ];   /* starters (>= 1 year before the end), in work within a year */
    double placements[LM_NPLACE];
    double partner_placements, subsidised, converted, not_converted;
    double durable, durable_coached, lost_coached, job_losses;
    double exits_work, exits_other, programme_dropouts;
    double invited, noshow, profiled, unwilling;
    double wait_days, waited, queue_timeouts;
    double time_to_placement, first_placements;
    double cost_programmes, cost_aftercare, cost_subsidies, cost_extra_staff;
    double vacancies, vacancies_wsp;
    double region_placements[LM_MAX_REGIONS], region_durable[LM_MAX_REGIONS];
    double region_exits_work[LM_MAX_REGIONS], region_inflow[LM_MAX_REGIONS];
    double region_exits_other[LM_MAX_REGIONS];   /* left for other reasons than work (§7.5) */
    /* Every change of the caseload: a benefit starting (a newcomer, a return after a lost
     * job) or ending (work, a placement off benefit, any other exit). Invariant: the
     * caseload moves by exactly starts - ends between two observations. */
    double region_starts[LM_MAX_REGIONS], region_ends[LM_MAX_REGIONS];
    double seen_placements[LM_MAX_REGIONS], seen_durable[LM_MAX_REGIONS];   /* at the last observation */
    double seen_exits_work[LM_MAX_REGIONS], seen_inflow[LM_MAX_REGIONS];
    double seen_starts[LM_MAX_REGIONS], seen_ends[LM_MAX_REGIONS], seen_exits_other[LM_MAX_REGIONS];
} lm_stats;

static inline void lm_stats_reset(lm_stats *s) { *s = (lm_stats){0}; }

#endif
