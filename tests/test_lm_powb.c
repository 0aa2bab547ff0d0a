/* test_lm_powb.c: unit tests of models/lm_powb.h, the brackets of x^k that let the
 * labour-market model skip the exact Weibull inversion for candidates that cannot win.
 * A bracket that misses pow(x, k) by one unit in the last place would let the model skip
 * a candidate that should have won, so every check here is against pow itself, at the
 * table's own grid points (where a bracket is tightest) and at random points. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "../models/lm_powb.h"
#include "check.h"

/* A reproducible uniform in [0, 1) (the test needs no statistical quality). */
static double unit(uint64_t *s)
{
    *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)(*s >> 11) * 0x1p-53;
}

/* x^k inside its bracket, and the bracket no wider than (65/64)^k plus the margins. */
static int bracket_holds(const lm_powb *b, double x, double *width)
{
    double lo, hi, y = pow(x, b->k);
    if (!lm_powb_bracket(b, x, &lo, &hi)) return 0;
    *width = hi / lo;
    return lo <= y && y <= hi && hi / lo <= pow(65.0 / 64.0, b->k) * (1.0 + 3e-12);
}

static void test_brackets(double k)
{
    lm_powb b;
    lm_powb_init(&b, k);
    int grid_ok = 1, random_ok = 1;
    double widest = 1.0, w;
    for (int e = -LM_POWB_EXP; e < LM_POWB_EXP; e++)
        for (int j = 0; j < LM_POWB_FRAC; j++) {   /* the grid points and their neighbours */
            double x = ldexp(1.0 + (double)j / LM_POWB_FRAC, e);
            grid_ok &= bracket_holds(&b, x, &w) && bracket_holds(&b, nextafter(x, INFINITY), &w);
            if (e > -LM_POWB_EXP || j > 0) grid_ok &= bracket_holds(&b, nextafter(x, 0.0), &w);
        }
    CHECK(grid_ok, "k = %g: every grid point 2^e (1 + j/64) and its neighbours bracketed", k);
    uint64_t s = 42;
    for (int i = 0; i < 200000; i++) {
        double x = ldexp(1.0 + unit(&s), (int)(unit(&s) * 2 * LM_POWB_EXP) - LM_POWB_EXP);
        random_ok &= bracket_holds(&b, x, &w);
        widest = fmax(widest, w);
    }
    CHECK(random_ok, "k = %g: 200 000 random x in [2^-64, 2^64) bracketed", k);
    CHECK(widest > 1.0 && widest <= pow(65.0 / 64.0, k) * (1.0 + 3e-12), "k = %g: widest bracket %.6f", k,
          widest);
}

static void test_outside(void)
{
    lm_powb b;
    lm_powb_init(&b, 0.6);
    double lo, hi;
    const double none[] = {0.0, -0.0, -1.0, 0x1p-65, nextafter(0x1p-64, 0.0), 0x1p-1070, 0x1p64, 1e300,
                           INFINITY, -INFINITY, NAN};
    int refused = 1;
    for (size_t i = 0; i < sizeof none / sizeof none[0]; i++) refused &= !lm_powb_bracket(&b, none[i], &lo, &hi);
    CHECK(refused, "no bracket for 0, negatives, below 2^-64, 2^64 and above, infinities, NaN");
    CHECK(lm_powb_bracket(&b, 0x1p-64, &lo, &hi) && lm_powb_bracket(&b, nextafter(0x1p64, 0.0), &lo, &hi),
          "brackets at both ends of the range");
    CHECK(lm_powb_bracket(&b, 1.0, &lo, &hi) && lo < 1.0 && hi > 1.0 && hi < 1.01, "1^0.6 in [%.17g, %.17g]",
          lo, hi);
}

int main(void)
{
    const double ks[] = {0.1, 0.6, 1.0 / 0.6, 1.0, 3.0, 5.0, 8.0};   /* the model's range of shapes and inverses */
    for (size_t i = 0; i < sizeof ks / sizeof ks[0]; i++) test_brackets(ks[i]);
    test_outside();
    return check_summary();
}
