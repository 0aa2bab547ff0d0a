/* sensitivity.h: `sim sensitivity MERGED.h5 [--alt ALT.h5]`: Morris or Sobol
 * indices per outcome from a merged sweep of design "morris" or "sobol"
 * (experiment.h, merge.h), of the outcome's level or, with --alt, of the
 * contrast ALT - BASE: ALT.h5 is the merged sweep of the same experiment block
 * over another scenario (same seed, same points, so replication r of point i
 * draws the same random numbers in both: common random numbers). The design is
 * regenerated from the scenario text the file carries and checked against its
 * /points. Writes the table on stdout and /sensitivity to OUT.h5 (temporary
 * name, renamed when complete). */
#ifndef SIM_SENSITIVITY_H
#define SIM_SENSITIVITY_H

/* The command with its own options (argv[0] = "sensitivity"); returns a
 * process exit code (0, 1 runtime or input error, 2 usage error). */
int sim_sensitivity_cli(int argc, char **argv, const char *command_line);

/* Its help text (`sim sensitivity --help`; `sim --help` prints it with the others'). */
extern const char sim_sensitivity_help[];

#endif
