/* compare.h: `sim compare BASE.h5 ALT.h5 ...`: paired contrasts between output files.
 *
 * Random numbers are common across scenarios (DESIGN.md §3): replication r of two
 * runs with the same seed drew the same numbers, so ALT[r] - BASE[r] is a
 * low-variance estimate of the scenario's effect. This module only reads files. */
#ifndef SIM_COMPARE_H
#define SIM_COMPARE_H

#include <stddef.h>

typedef enum { SIM_COMPARE_TABLE, SIM_COMPARE_CSV, SIM_COMPARE_JSON } sim_compare_format;

/* What to compare. Every pointer is borrowed for the duration of sim_compare_main. */
typedef struct sim_compare_request {
    const char        *base;       /* BASE.h5 */
    const char *const *alts;       /* ALT.h5 files, each compared with base */
    size_t             nalts;      /* >= 1 */
    const char *const *metrics;    /* names to report; nmetrics == 0: every /summary field */
    size_t             nmetrics;
    sim_compare_format format;
    int                csv_nl;     /* with SIM_COMPARE_CSV: ';' between fields and decimal commas
                                      (spreadsheets with Dutch settings) */
    int                regions;    /* also region totals of /series (flows summed, stocks at the end) */
    const char        *from, *to;  /* --from/--to "YYYY-MM-DD" or NULL: a window on the /series rows
                                      (time steps whose midpoint lies in [from, to)); with a window,
                                      every /series also gets a national row (region "national") */
} sim_compare_request;

/* The paired contrast of one metric over n replications; NaN where undefined. */
typedef struct sim_compare_stat {
    double base_mean, alt_mean;
    double diff;              /* mean of alt[r] - base[r] */
    double ci_low, ci_high;   /* 95% t interval of diff with n-1 df; exactly [diff, diff]
                                 when all differences are equal; NaN when n < 2 */
    double rel_change;        /* diff / base_mean; NaN when base_mean is 0 */
    double rel_low, rel_high; /* Fieller's 95% interval of rel_change (the ratio of the means
                                 minus 1): it excludes 0 exactly when [ci_low, ci_high] does;
                                 [rel, rel] when nothing varies; cut at -1 when no value is
                                 negative; NaN when n < 2, base_mean is 0 or the interval is
                                 unbounded (the base mean not clearly away from 0) */
    size_t n;                 /* replications where both values are defined (not NaN) */
    int    same;              /* every one of the n >= 2 differences is the same: no spread,
                                 so no interval can be estimated (never "clear"; `=` in tables) */
    double p;                 /* two-sided p-value of the paired t test of diff = 0 (n-1 df), the
                                 test whose 95% interval is [ci_low, ci_high]; NaN when n < 2 or same */
} sim_compare_stat;

/* Paired statistics of alt - base over the replications where both are defined
 * (an undefined ratio is NaN); all NaN when none is. base and alt are borrowed;
 * work (n doubles, owned by the caller) is overwritten with the differences. */
sim_compare_stat sim_compare_paired(const double *base, const double *alt, size_t n, double *work);

/* Read, check and compare the files; print the result on stdout and errors as one
 * line on stderr. Nothing is printed on stdout unless every file can be paired.
 * Returns SIM_EXIT_OK, SIM_EXIT_RUNTIME (a file is unreadable or cannot be paired
 * with BASE) or SIM_EXIT_USAGE (a --metric that BASE does not have). */
int sim_compare_main(const sim_compare_request *req);

#endif
