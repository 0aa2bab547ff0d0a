/* points.c: point file names (points.h). */
#define _GNU_SOURCE
#include "points.h"

#include <stdio.h>
#include <string.h>

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
