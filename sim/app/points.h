/* points.h: the names of a sweep's point files, DIR/point-NNNNN.h5, shared by
 * `sim sweep` (which writes them, sim/app/sweep.h) and `sim merge` (which reads them,
 * sim/app/merge.h). A file under such a name is always complete: writers use a
 * temporary name and rename. */
#ifndef SIM_POINTS_H
#define SIM_POINTS_H

#include <stddef.h>

/* "DIR/point-NNNNN.h5" of point i (i < SIM_SWEEP_MAX_POINTS, sim/app/experiment.h);
 * the caller frees it. NULL when out of memory. */
char *sim_point_path(const char *dir, size_t i);
/* Index of a final point file name "point-NNNNN.h5" (no directory); -1 for
 * anything else, including temporary names. */
long sim_point_index(const char *name);

#endif
