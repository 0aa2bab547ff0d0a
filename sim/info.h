/* info.h: `sim info FILE.h5`: provenance, contents and summary means of an output file. */
#ifndef SIM_INFO_H
#define SIM_INFO_H

/* Print a description of the file on stdout; returns an exit code (SIM_EXIT_*). */
int sim_info_main(const char *path);

#endif
