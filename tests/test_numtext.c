/* test_numtext.c: numbers for people in the command-line tables (sim/io/numtext.h):
 * fixed decimals by unit with thousands commas, significant digits without exponents,
 * interval bounds that never hide a sign, and the edge cases (NaN, infinities, a negative
 * value that rounds to zero). */
#include <math.h>
#include <string.h>

#include "../sim/io/numtext.h"
#include "check.h"

static int is(const char *got, const char *want)
{
    return strcmp(got, want) == 0;
}

int main(void)
{
    char b[SIM_NUMTEXT_MAX];
    CHECK(sim_unit_decimals("EUR") == 0 && sim_unit_decimals("1") == 4 && sim_unit_decimals("months") == 2
              && sim_unit_decimals("days") == 2 && sim_unit_decimals("persons") == 1 && sim_unit_decimals(NULL) == 1,
          "decimals by unit: EUR 0, shares 4, days and months 2, anything else 1");
    CHECK(is(sim_number_text(1158810.4, 0, b), "1,158,810"), "EUR: %s", b);
    CHECK(is(sim_number_text(-10783333.0, 0, b), "-10,783,333"), "a negative million: %s", b);
    CHECK(is(sim_number_text(12398.45, 1, b), "12,398.5") || is(b, "12,398.4"), "one decimal: %s", b);
    CHECK(is(sim_number_text(999.0, 0, b), "999"), "no comma below a thousand: %s", b);
    CHECK(is(sim_number_text(1000.0, 0, b), "1,000"), "a comma at a thousand: %s", b);
    CHECK(is(sim_number_text(-0.04, 1, b), "0.0"), "no -0.0: %s", b);
    CHECK(is(sim_number_text(NAN, 2, b), "n/a"), "NaN: %s", b);
    CHECK(is(sim_number_text(INFINITY, 2, b), "inf"), "infinity: %s", b);
    CHECK(is(sim_number_sig(14804.2, 4, b), "14,804"), "4 significant digits keep the integer part: %s", b);
    CHECK(is(sim_number_sig(21760.0, 4, b), "21,760"), "no 2.176e+04: %s", b);
    CHECK(is(sim_number_sig(-14800.0, 4, b), "-14,800"), "negative: %s", b);
    CHECK(is(sim_number_sig(1.3694, 4, b), "1.369"), "1.369: %s", b);
    CHECK(is(sim_number_sig(0.048721, 4, b), "0.04872"), "small values keep 4 digits: %s", b);
    CHECK(is(sim_number_sig(1.5e-5, 2, b), "0.000015"), "no 1.5e-05: %s", b);
    CHECK(is(sim_number_sig(0.0, 4, b), "0"), "zero: %s", b);
    CHECK(strchr(sim_number_sig(1.234e-30, 4, b), 'e') == NULL, "a tiny value: no exponent (%s)", b);
    CHECK(is(sim_number_sig(9.9996, 4, b), "10.00"), "a value that rounds up keeps 4 digits: %s", b);
    CHECK(is(sim_number_sig(999.96, 4, b), "1,000"), "999.96: %s", b);
    CHECK(is(sim_number_sig(1.234e-30, 4, b), "0"), "a tiny value is 0: %s", b);
    char lo[SIM_NUMTEXT_MAX], hi[SIM_NUMTEXT_MAX];
    sim_number_bounds(0.04331, 17.96, 1, lo, hi);
    CHECK(is(lo, "0.04") && is(hi, "17.96"), "a bound that would read 0.0 gets decimals (both alike): %s %s", lo, hi);
    sim_number_bounds(-0.25, 3.75, 0, lo, hi);
    CHECK(is(lo, "-0.2") || is(lo, "-0.3"), "-0.25 with 0 decimals keeps its sign: %s %s", lo, hi);
    sim_number_bounds(-308.4, -57.3, 0, lo, hi);
    CHECK(is(lo, "-308") && is(hi, "-57"), "no extra decimals when no bound reads 0: %s %s", lo, hi);
    sim_number_bounds(0.0, 5.0, 1, lo, hi);
    CHECK(is(lo, "0.0") && is(hi, "5.0"), "an exact 0 stays 0.0: %s %s", lo, hi);
    return check_summary();
}
