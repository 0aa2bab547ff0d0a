/* merge_series.h: the /series part of `sim merge --series`.
 *
 * Every point file of a sweep has the same /series layout (sim_out_series):
 * data variables /series/<name> [replication][time][region] and the dimension
 * scales replication, time, the region scale, nv, plus time_bnds. The merged file
 * gets one /series group in which
 *   - every data variable gains a leading "point" dimension:
 *     /series/<name> [point][replication][time][region] (point k = k-th merged file);
 *   - /series/point (int32, the point indices) is the new dimension scale;
 *   - the other scales and time_bnds are written once, and must be byte-identical
 *     in every point file (same calendar, same regions), or the merge is refused.
 * Attributes (units, long_name, calendar, bounds, ...) are kept; the dimension-scale
 * bookkeeping attributes are rebuilt, not copied. So xarray opens the group as one
 * Dataset: xr.open_dataset(OUT, group="series", engine="h5netcdf"). */
#ifndef SIM_MERGE_SERIES_H
#define SIM_MERGE_SERIES_H

#include <hdf5.h>
#include <stddef.h>

/* Write /series into the open file dst from the n point files paths[] (point
 * indices index[], ascending). 0, or -1 with a one-line message naming the file
 * that is at fault (or the output, for a write error) on stderr. */
int sim_merge_series(hid_t dst, const char *output, char *const *paths, const size_t *index, size_t n);

#endif
