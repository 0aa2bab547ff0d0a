/* points.h: the names of a sweep's point files, DIR/point-NNNNN.h5, and their
 * experiment stamps, shared by
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

/* What ties a point file to its experiment: its root experiment_id, toolkit_version
 * and git_hash (the last two NULL when absent). `sim sweep` compares it with the
 * experiment it runs, `sim merge` with the other files of the directory. */
typedef struct {
    char *id, *version, *git;
} sim_point_stamp;
/* Read the stamp of the point file at path, after sim_out_verify. 0, or -1 with a
 * one-line reason (no file name) in why[size]: unreadable, refused by sim_out_verify,
 * or no experiment_id (not a point file of sim sweep). Free it with sim_point_stamp_free
 * either way. */
int sim_point_stamp_read(const char *path, sim_point_stamp *st, char *why, size_t size);
void sim_point_stamp_free(sim_point_stamp *st);

#endif
