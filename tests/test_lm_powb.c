/* test_lm_powb.c: unit tests of models/lm_powb.h, the brackets of x^k and the lower
 * bound of -log u that let the labour-market model skip the exact Weibull inversion for
 * candidates that cannot win. A bound that misses pow(x, k) or log(u) by one unit in the
 * last place would let the model skip a candidate that should have won, so every check
 * here is against pow and log themselves, at the tables' own grid points (where a bound is
 * tightest) and at random points. */
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

/* x^k inside its bracket with room to spare (the margins of 1e-12, which cover the tables'
 * roundings and the callers' own, must be there: 1e-14 is checked), and the bracket no
 * wider than (65/64)^k plus the margins. */
static int bracket_holds(const lm_powb *b, double x, double *width)
{
    double lo, hi, y = pow(x, b->k);
    if (!lm_powb_bracket(b, x, &lo, &hi)) return 0;
    *width = hi / lo;
    return lo <= y * (1.0 - 1e-14) && y * (1.0 + 1e-14) <= hi && hi / lo <= pow(65.0 / 64.0, b->k) * (1.0 + 3e-12);
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

/* -log(u) >= the bound >= -log(u) - log(65/64) - 1e-11 (where it is a bound at all), and
 * the bound lies below by a margin (at least 1e-14 of the terms' size). */
static int neglog_holds(const lm_powb *b, double u)
{
    double lower = lm_powb_neglog_lower(b, u), exact = -log(u);
    return lower <= exact - 1e-14 * (1.0 + exact) && lower >= exact - log(65.0 / 64.0) - 1e-11 * (1.0 + exact);
}

static void test_neglog(void)
{
    lm_powb b;
    lm_powb_init(&b, 0.6);
    int grid_ok = 1, random_ok = 1;
    for (int e = -53; e < 0; e++)   /* the draws' range: u = w 2^-53, w in [1, 2^53) */
        for (int j = 0; j < LM_POWB_FRAC; j++) {
            double u = ldexp(1.0 + (double)j / LM_POWB_FRAC, e);
            grid_ok &= neglog_holds(&b, u) && neglog_holds(&b, nextafter(u, 0.0));
            grid_ok &= neglog_holds(&b, nextafter(u, 1.0));
        }
    CHECK(grid_ok, "-log u bounded below at every grid point 2^e (1 + j/64) in (0, 1) and its neighbours");
    uint64_t s = 7;
    for (int i = 0; i < 200000; i++) {
        uint64_t w;
        do w = (s = s * 6364136223846793005ULL + 1442695040888963407ULL) >> 11; while (w == 0);
        random_ok &= neglog_holds(&b, (double)w * 0x1p-53);
    }
    CHECK(random_ok, "-log u bounded below for 200 000 draws u = w 2^-53 as the model takes them");
    CHECK(neglog_holds(&b, 0x1p-53) && neglog_holds(&b, 1.0 - 0x1p-53) && lm_powb_neglog_lower(&b, 1.0) <= 0.0,
          "the ends: 2^-53, 1 - 2^-53, 1");
    const double none[] = {0.0, -0.5, 1.5, 2.0, INFINITY, NAN};
    int refused = 1;
    for (size_t i = 0; i < sizeof none / sizeof none[0]; i++)
        refused &= lm_powb_neglog_lower(&b, none[i]) == -INFINITY;
    CHECK(refused, "no bound (-inf) for 0, negatives, above 1, infinity, NaN");
}

int main(void)
{
    const double ks[] = {0.1, 0.6, 1.0 / 0.6, 1.0, 3.0, 5.0, 8.0};   /* the model's range of shapes and inverses */
    for (size_t i = 0; i < sizeof ks / sizeof ks[0]; i++) test_brackets(ks[i]);
    test_outside();
    test_neglog();
    return check_summary();
}
