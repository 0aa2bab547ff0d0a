/* compare_draws.h: the parameter-uncertainty part of `sim compare` (issue 14).
 * When BASE and ALT both ran with `sim run --draw-parameters`, replication r of
 * both drew the same parameter set (keyed by seed and r), so ALT[r] - BASE[r] is
 * the effect under one draw of chance and of the parameters. For each headline
 * metric this prints the mean effect with its 95% t interval (the precision of the
 * mean over the replications), the interval of a draw's effect (between order
 * statistics of the paired differences, with its coverage: chance plus parameter
 * uncertainty) and P(ALT beats BASE), the share of replications where ALT is
 * better (ties count half), with its Clopper-Pearson interval. Only reads the
 * files; analysis/uncertainty_report.py is its twin in sim report. */
#ifndef SIM_COMPARE_DRAWS_H
#define SIM_COMPARE_DRAWS_H

#include <stddef.h>
#include <stdio.h>

/* 0 when base and alt can be paired over their parameters: neither ran with
 * draws, or both drew the same sets bit for bit. -1 after a one-line message on
 * stderr naming alt when only one of them drew, when the draws differ, or when a
 * file cannot be read. sim compare calls it before printing anything. */
int sim_compare_draws_check(const char *base, const char *alt);

/* Print the section on o when both files carry /parameter_draws (nothing when
 * neither). 0, or -1 after the message of sim_compare_draws_check. */
int sim_compare_draws(FILE *o, const char *base, const char *alt);

/* Clopper-Pearson 95% interval [*lo, *hi] of a proportion of m trials with at
 * least xlo and at most xhi successes (ties counted as neither and as both). */
void sim_clopper_pearson(double xlo, double xhi, size_t m, double *lo, double *hi);

/* Decimals to print the shares xs[0..n) (each in [0, 1]) with: `dec`, or more (at
 * most 6) where a share strictly between 0 and 1 would print as 0 or 1 with `dec`:
 * a bound of 0.9958 prints as 0.996, never 1.00, which would claim every draw agrees. */
int sim_share_decimals(int dec, const double *xs, size_t n);

#endif
