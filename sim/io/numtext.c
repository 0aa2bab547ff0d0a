/* numtext.c: see numtext.h. */
#include "numtext.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

int sim_unit_decimals(const char *unit)
{
    if (!unit) return 1;
    if (!strcmp(unit, "1")) return 4;
    if (!strcmp(unit, "EUR")) return 0;
    if (!strcmp(unit, "days") || !strcmp(unit, "months")) return 2;
    return 1;
}

const char *sim_number_text(double x, int decimals, char *buf)
{
    if (isnan(x)) return strcpy(buf, "n/a");
    if (isinf(x) || fabs(x) >= 1e18) {
        snprintf(buf, SIM_NUMTEXT_MAX, "%.6g", x);
        return buf;
    }
    char raw[64];
    snprintf(raw, sizeof raw, "%.*f", decimals, fabs(x));
    if (strspn(raw, "0.") == strlen(raw)) x = 0;   /* no "-0.0" */
    size_t ndig = strcspn(raw, "."), o = 0;
    if (x < 0) buf[o++] = '-';
    for (size_t i = 0; raw[i]; i++) {
        if (i < ndig && i > 0 && (ndig - i) % 3 == 0) buf[o++] = ',';
        buf[o++] = raw[i];
    }
    buf[o] = 0;
    return buf;
}

const char *sim_number_sig(double x, int sig, char *buf)
{
    if (!isfinite(x) || x == 0.0) return sim_number_text(x, 0, buf);
    int mag = (int)floor(log10(fabs(x)));   /* 10^mag <= |x| < 10^(mag + 1) */
    int dec = sig - 1 - mag;
    if (dec > 0 && fabs(x) * pow(10.0, dec) + 0.5 >= pow(10.0, sig)) dec--;   /* 9.9996 -> 10.00, not 10.000 */
    if (dec > 9) return sim_number_text(0.0, 0, buf);   /* |x| below 10^(sig - 10): 0 (no 14-digit tail) */
    return sim_number_text(x, dec < 0 ? 0 : dec, buf);
}

/* 1 if x is nonzero but reads as zero with `decimals` decimals. */
static int reads_zero(double x, int decimals)
{
    return isfinite(x) && x != 0.0 && fabs(x) < 0.5 * pow(10.0, -decimals);
}

void sim_number_bounds(double lo, double hi, int decimals, char *lo_buf, char *hi_buf)
{
    int d = decimals;
    while (d < 9 && (reads_zero(lo, d) || reads_zero(hi, d))) d++;
    sim_number_text(lo, d, lo_buf);
    sim_number_text(hi, d, hi_buf);
}
