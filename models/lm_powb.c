/* lm_powb.c: the tables of lm_powb.h. Each entry comes from one call of pow (within one
 * unit in the last place; for (2^e)^k computed as pow(2, e k), the rounding of e k adds up
 * to about 4e-14 relative for |e k| up to 512) and a bracket multiplies two of them (one
 * more rounding): the factors 1 -+ 1e-12 cover those errors 25 times over. */
#include "lm_powb.h"

#include <math.h>

#include "../sim/core/common.h"

void lm_powb_init(lm_powb *b, double k)
{
    SIM_ASSERT(k > 0 && k <= 8);
    b->k = k;
    for (int e = -LM_POWB_EXP; e < LM_POWB_EXP; e++) b->by_exp[e + LM_POWB_EXP] = pow(2.0, e * k);
    for (int j = 0; j < LM_POWB_FRAC; j++) {
        b->lo_frac[j] = pow(1.0 + (double)j / LM_POWB_FRAC, k) * (1.0 - 1e-12);
        b->hi_frac[j] = pow(1.0 + (double)(j + 1) / LM_POWB_FRAC, k) * (1.0 + 1e-12);
        b->log_hi_frac[j] = log1p((double)(j + 1) / LM_POWB_FRAC) * (1.0 + 1e-12);
    }
}
