/* numtext.h: numbers for people in printed tables (sim run's summary, sim compare, its parameter-
 * uncertainty section, sim sensitivity): fixed decimals chosen by the unit and a comma every
 * three digits of the integer part (12,398.5; -10,783,333), never "1.15881e+06".
 * Pure functions; the caller owns every buffer. */
#ifndef SIM_NUMTEXT_H
#define SIM_NUMTEXT_H

#include <stddef.h>

/* Room for any text of sim_number_text. */
#define SIM_NUMTEXT_MAX 80

/* Decimals for a value in `unit` (a /summary or /series units text): shares ("1") 4, EUR 0,
 * days and months 2, anything else (counts of people, places, vacancies: means over
 * replications) 1. */
int sim_unit_decimals(const char *unit);

/* x with `decimals` decimals and thousands commas into buf[SIM_NUMTEXT_MAX]; "n/a" for NaN,
 * %.6g beyond 1e18 or infinite; a value that rounds to zero has no minus sign ("0.0", not
 * "-0.0"). Returns buf. */
const char *sim_number_text(double x, int decimals, char *buf);

/* The bounds of an interval with `decimals` decimals, or more (both alike, at most 9) where
 * a nonzero bound would read 0 and hide its sign: [-0.25, 3.75] with 0 decimals reads
 * "-0.2" to "3.8", never "0" to "4". Into lo_buf and hi_buf (SIM_NUMTEXT_MAX each). */
void sim_number_bounds(double lo, double hi, int decimals, char *lo_buf, char *hi_buf);

/* x with `sig` significant digits (at least every digit of its integer part) in the form of
 * sim_number_text, never an exponent: 14,804; 1.369; 0.04872; 0. A nonzero |x| below
 * 10^(sig - 10) (more than 9 decimals) is written "0": callers that must not show a nonzero
 * value as 0 check for it. For tables whose values span orders of magnitude (sensitivity
 * indices). Returns buf. */
const char *sim_number_sig(double x, int sig, char *buf);

#endif
