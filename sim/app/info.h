/* info.h: `sim info FILE.h5`: provenance, contents and summary means of an output file. */
#ifndef SIM_INFO_H
#define SIM_INFO_H

/* Print a description of the file on stdout; returns an exit code (SIM_EXIT_*):
 * SIM_EXIT_RUNTIME, with one line on stderr and nothing on stdout, when the file
 * is not HDF5 or fails sim_out_verify (sim/io/out.h); SIM_EXIT_RUNTIME also when a
 * dataset or a /summary field cannot be read (listed as [damaged]). */
int sim_info_main(const char *path);

#endif
