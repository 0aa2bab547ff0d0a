/* points.c: point file names and stamps (points.h). */
#define _GNU_SOURCE
#include "points.h"

#include <hdf5.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../io/out.h"

char *sim_point_path(const char *dir, size_t i)
{
    char *p = NULL;
    return asprintf(&p, "%s/point-%05zu.h5", dir, i) < 0 ? NULL : p;
}

long sim_point_index(const char *name)
{
    unsigned n = 0;
    int end = 0;
    if (strlen(name) != 14 || sscanf(name, "point-%5u.h5%n", &n, &end) != 1 || end != 14) return -1;
    for (int k = 6; k < 11; k++)
        if (name[k] < '0' || name[k] > '9') return -1;
    return (long)n;
}

int sim_point_stamp_read(const char *path, sim_point_stamp *st, char *why, size_t size)
{
    *st = (sim_point_stamp){0};
    snprintf(why, size, "not a readable HDF5 file (truncated or damaged?)");
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (f < 0) return -1;
    int rc = sim_out_verify(f, why, size);
    if (rc == 0) {
        st->id = sim_out_attr_read_string(f, "experiment_id");
        st->version = sim_out_attr_read_string(f, "toolkit_version");
        st->git = sim_out_attr_read_string(f, "git_hash");
        if (!st->id) rc = -1, snprintf(why, size, "no experiment_id attribute (not a point file of sim sweep)");
    }
    H5Fclose(f);
    return rc;
}

void sim_point_stamp_free(sim_point_stamp *st)
{
    free(st->id);
    free(st->version);
    free(st->git);
    *st = (sim_point_stamp){0};
}
