/* compare_draws.h: the parameter-uncertainty part of `sim compare` (issue 14).
 * When BASE and ALT both ran with `sim run --draw-parameters`, replication r of
 * both drew the same parameter set (keyed by seed and r), so ALT[r] - BASE[r] is
 * the effect under one draw of chance and of the parameters. For each headline
 * metric this prints the mean effect with its 95% t interval (the precision of the
 * mean over the replications), the 95% uncertainty interval of the effect (the
 * 2.5% and 97.5% quantiles of the paired differences: chance plus parameter
 * uncertainty) and P(ALT beats BASE), the share of replications where ALT is
 * better (ties count half). Only reads the files. */
#ifndef SIM_COMPARE_DRAWS_H
#define SIM_COMPARE_DRAWS_H

#include <stdio.h>

/* Print the section on o when both files carry /parameter_draws (a note when one
 * does; nothing when neither). 0, or -1 after a one-line message on stderr when the
 * draws differ (the replications are not paired over the parameters) or a file
 * cannot be read. */
int sim_compare_draws(FILE *o, const char *base, const char *alt);

#endif
