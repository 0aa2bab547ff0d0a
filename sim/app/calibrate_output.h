/* calibrate_output.h: the results of a `sim calibrate` run (calibrate.c), from
 * its state (calibrate_internal.h), which is only read: the target table, the
 * Markdown tables, the record OUT.h5, the overlay OUT.cfg and, with
 * --uncertainty, OUT-uncertainty.cfg. A function that writes a file writes it
 * whole under a temporary name and renames it, or leaves nothing; 0, or -1
 * after a message. */
#ifndef SIM_CALIBRATE_OUTPUT_H
#define SIM_CALIBRATE_OUTPUT_H

#include <stdio.h>

#include "calibrate_internal.h"

/* A file written under `tmp`, to be renamed to `path` once the run's other
 * outputs are written (calib_write_hdf5) or removed (calib_stage_discard).
 * Owns both strings. */
typedef struct { char *path, *tmp; } staged;

/* OUT.h5's sibling: OUT<suffix> (".cfg", ".journal", "-uncertainty.cfg"); the
 * caller frees it; NULL when out of memory. */
char *calib_sibling_path(const char *h5path, const char *suffix);

/* The target table (value, tolerance, model mean, interval, sample, pass). */
void calib_print_table(const calib *cal, FILE *f);
/* The --uncertainty tables: parameters, correlations, the targets' spread and,
 * with --draws, the simulated spread. */
void calib_print_uncertainty(const calib *cal, FILE *f);
/* The target table as Markdown (and the uncertainty tables when computed). */
int calib_write_markdown(const calib *cal, const char *path);
/* OUT.h5: provenance and /calibration (record, table, uncertainty). With `list`
 * (staged, or NULL; consumed) both files appear under their final names or
 * neither does, but for a failed last rename, which is reported. */
int calib_write_hdf5(const calib *cal, const char *path, const char *status, staged *list);
/* OUT.cfg: the calibrated scenario with the best values as an overrides list. */
int calib_write_overlay(const calib *cal, const char *h5path, double obj, const char *status);
/* OUT-uncertainty.cfg, staged: the fitted parameters as an `uncertainty` list. */
int calib_stage_uncertainty_list(const calib *cal, const char *h5path, staged *st);
/* Remove a staged file that will not be published. */
void calib_stage_discard(staged *st);
/* A fit written without --uncertainty: remove an earlier OUT-uncertainty.cfg, with a note. */
void calib_remove_stale_list(const char *h5path);

#endif
