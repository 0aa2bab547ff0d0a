/* calibrate.h: `sim calibrate SCENARIO TARGETS`: fit named scenario parameters,
 * each within bounds, to named targets (a /summary field or ratio of fields, a
 * national /series value at a date, a series sum over a period, or a growth
 * between two dates), each with a value, a tolerance and a source, by minimising
 * the mean squared standardised miss of the in-sample targets with a
 * derivative-free optimiser (NLopt). Out-of-sample targets are reported, never
 * fitted. The targets file format is described in docs/calibration.md.
 *
 * Every evaluation runs the scenario's replications in memory (OpenMP) with the
 * same seed, so the objective is a smooth-ish function of the parameters (common
 * random numbers). Each evaluation is appended to OUT.journal and flushed, so an
 * interrupted calibration rerun with the same arguments replays the recorded
 * evaluations without simulating and goes on where it stopped. */
#ifndef SIM_CALIBRATE_H
#define SIM_CALIBRATE_H

#include "calibrate_request.h"

/* Run a calibration (or a check). Returns a process exit code: 0 done (with
 * --check: every in-sample target within tolerance), 1 a runtime problem or a
 * failed check, messages on stderr, the table on stdout. */
int sim_calibrate_main(const sim_calibrate_request *req);

#endif
