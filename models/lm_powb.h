/* lm_powb.h: cheap brackets lo <= x^k <= hi of a power with a fixed exponent k > 0,
 * from two small tables indexed by the binary exponent of x and the top six bits of
 * its mantissa; hi / lo is at most (65/64)^k (0.9% for k = 0.6) plus 2e-12. Also a
 * lower bound of -log(u), from a third table, short of it by at most log(65/64) = 0.016.
 *
 * Purpose: the labour-market model draws an own-search exit candidate (a Weibull
 * inversion, two calls of pow) at every reschedule of a person, and about nine in ten
 * of those candidates lose to an earlier event. The brackets decide most of the losers
 * without pow (lm_model.c, draw_self_exit); whenever a candidate can matter, its time
 * is still computed with pow, so the results are the same to the last bit. The -log
 * bound decides the same without the logarithm of the candidate's exponential draw, and
 * of the competing hazards' draw (schedule_next); it does not depend on k.
 *
 * A value type with no resources: lm_params holds one, built by lm_powb_init. */
#ifndef LM_POWB_H
#define LM_POWB_H

#include <math.h>
#include <stdint.h>
#include <string.h>

#define LM_POWB_EXP 64   /* brackets cover x in [2^-64, 2^64); outside it, no bracket */
#define LM_POWB_FRAC 64  /* mantissa intervals per binade (the top six bits) */

typedef struct {
    double k;                            /* the exponent, > 0 */
    double by_exp[2 * LM_POWB_EXP];      /* (2^e)^k for e = -LM_POWB_EXP .. LM_POWB_EXP - 1 */
    double lo_frac[LM_POWB_FRAC];        /* (1 + j/64)^k, lowered by 1e-12 */
    double hi_frac[LM_POWB_FRAC];        /* (1 + (j+1)/64)^k, raised by 1e-12 */
    double log_hi_frac[LM_POWB_FRAC];    /* log(1 + (j+1)/64), raised by 1e-12 */
} lm_powb;

/* Fill b for the exponent k (needs 0 < k <= 8, so that every table entry is a finite,
 * normal double). */
void lm_powb_init(lm_powb *b, double k);

/* Bracket x^k: 1 with lo <= x^k <= hi (the exact power, and so also pow's result, which
 * glibc rounds to within one unit in the last place), or 0 when x is not a normal
 * number in [2^-64, 2^64) (zero, negative, subnormal, huge, infinite or NaN). */
static inline int lm_powb_bracket(const lm_powb *b, double x, double *lo, double *hi)
{
    uint64_t u;
    memcpy(&u, &x, sizeof u);
    int e = (int)(u >> 52) - 1023;   /* the sign bit set makes e >= 1025: out of range */
    if (e < -LM_POWB_EXP || e >= LM_POWB_EXP) return 0;
    unsigned j = (unsigned)(u >> (52 - 6)) & (LM_POWB_FRAC - 1);   /* x in 2^e [1 + j/64, 1 + (j+1)/64) */
    double s = b->by_exp[e + LM_POWB_EXP];
    *lo = s * b->lo_frac[j];
    *hi = s * b->hi_frac[j];
    return 1;
}

/* A lower bound of -log(u) for u in (0, 1] (below the exact value, and so below glibc's
 * log, which is within one unit in the last place), short by at most 0.016; -INFINITY
 * for any other u (no bound). From u = 2^e (1 + f): -log u = -e ln 2 - log(1 + f). */
static inline double lm_powb_neglog_lower(const lm_powb *b, double u)
{
    uint64_t bits;
    memcpy(&bits, &u, sizeof bits);
    int e = (int)(bits >> 52) - 1023;   /* subnormal or 0: -1023; negative: >= 1025 */
    if (e <= -1023 || e > 0 || !(u <= 1.0)) return -INFINITY;
    unsigned j = (unsigned)(bits >> (52 - 6)) & (LM_POWB_FRAC - 1);
    /* both terms lowered by 1e-12 of their size, far beyond their few roundings */
    return (double)(-e) * 0.69314718055994530942 * (1.0 - 1e-12) - b->log_hi_frac[j];
}

#endif
