/* info.h: `sim info FILE.h5`: provenance, contents and summary means of an output file. */
#ifndef SIM_INFO_H
#define SIM_INFO_H

/* Print a description of the file on stdout; returns an exit code (SIM_EXIT_*):
 * SIM_EXIT_RUNTIME when the file is not HDF5 or any dataset in it is damaged
 * (those are listed as [damaged] and the rest is still described). */
int sim_info_main(const char *path);

#endif
