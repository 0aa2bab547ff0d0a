/* merge_series.c: stack the /series of a sweep's point files (layout in
 * merge_series.h). Data are read dataset by dataset (all points of one series at
 * a time), so memory holds one series of the whole sweep plus the output file. */
#define _GNU_SOURCE
#include "merge_series.h"

#include <hdf5_hl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/common.h"
#include "../io/out.h"

/* The datasets of the first point's /series, split by role. */
typedef struct {
    char  **name;
    int    *stacked;   /* 1: a data variable (dimension 0 is the replication scale) */
    int    *scale;     /* 1: a dimension scale */
    size_t  n;
} layout;

/* --------------------------------------------------------------- layout -- */

static herr_t add_name(hid_t g, const char *name, const H5L_info_t *info, void *user)
{
    (void)g; (void)info;
    layout *l = user;
    char **v = realloc(l->name, (l->n + 1) * sizeof *v);
    if (!v) return -1;
    l->name = v;
    return (l->name[l->n++] = strdup(name)) ? 0 : -1;
}

static void layout_free(layout *l)
{
    sim_out_free_strings(l->name, l->n);
    free(l->stacked);
    free(l->scale);
    *l = (layout){0};
}

static int read_layout(hid_t src, const char *path, layout *l)
{
    hid_t g = H5Lexists(src, "series", H5P_DEFAULT) > 0 ? H5Gopen2(src, "series", H5P_DEFAULT) : H5I_INVALID_HID;
    if (g < 0) return sim_log_path_error(path, "no /series to merge (run the sweep with output.detail = \"series\", or merge without --series)");
    int rc = H5Literate(g, H5_INDEX_NAME, H5_ITER_INC, NULL, add_name, l) < 0;
    l->stacked = calloc(l->n + 1, sizeof *l->stacked);
    l->scale = calloc(l->n + 1, sizeof *l->scale);
    rc = rc || !l->stacked || !l->scale;
    /* data variables: those with the replication scale on dimension 0 (its REFERENCE_LIST) */
    hid_t rep = !rc && H5Lexists(g, "replication", H5P_DEFAULT) > 0 ? H5Dopen2(g, "replication", H5P_DEFAULT) : H5I_INVALID_HID;
    for (size_t i = 0; !rc && i < l->n; i++) {
        hid_t d = H5Dopen2(g, l->name[i], H5P_DEFAULT);
        if (d < 0 || !sim_out_dataset_intact(d)) { rc = 1; if (d >= 0) H5Dclose(d); break; }
        l->scale[i] = H5DSis_scale(d) > 0;
        l->stacked[i] = !l->scale[i] && rep >= 0 && sim_out_scale_attached(d, 0, rep) > 0;
        H5Dclose(d);
    }
    if (rep >= 0) H5Dclose(rep);
    H5Gclose(g);
    return rc ? sim_log_path_error(path, "cannot read the layout of /series (damaged file?)") : 0;
}

/* ----------------------------------------------------------- attributes -- */

/* Copy one attribute, except the dimension-scale bookkeeping that H5DS rebuilds
 * and variable-length types (sim writes none). */
static herr_t copy_attr(hid_t src, const char *name, const H5A_info_t *info, void *user)
{
    (void)info;
    hid_t dst = *(hid_t *)user;
    static const char *const skip[] = {"CLASS", "NAME", "REFERENCE_LIST", "DIMENSION_LIST"};
    for (size_t i = 0; i < SIM_ARRAY_LEN(skip); i++)
        if (!strcmp(name, skip[i])) return 0;
    hid_t a = H5Aopen(src, name, H5P_DEFAULT), t = H5Aget_type(a), sp = H5Aget_space(a);
    int rc = a < 0 || t < 0 || sp < 0;
    if (!rc && H5Tdetect_class(t, H5T_VLEN) <= 0 && !(H5Tget_class(t) == H5T_STRING && H5Tis_variable_str(t) > 0)) {
        size_t bytes = (size_t)H5Sget_simple_extent_npoints(sp) * H5Tget_size(t);
        void *buf = malloc(bytes + 1);
        hid_t b = buf ? H5Acreate2(dst, name, t, sp, H5P_DEFAULT, H5P_DEFAULT) : H5I_INVALID_HID;
        rc = b < 0 || H5Aread(a, t, buf) < 0 || H5Awrite(b, t, buf) < 0;
        if (b >= 0) H5Aclose(b);
        free(buf);
    }
    if (sp >= 0) H5Sclose(sp);
    if (t >= 0) H5Tclose(t);
    if (a >= 0) H5Aclose(a);
    return rc ? -1 : 0;
}

static int copy_attrs(hid_t src, hid_t dst)
{
    return H5Aiterate2(src, H5_INDEX_NAME, H5_ITER_INC, NULL, copy_attr, &dst) < 0 ? -1 : 0;
}

/* ---------------------------------------------------------------- data -- */

/* The whole dataset series/name of file f: its type, rank, dims and bytes. */
typedef struct {
    hid_t   type;
    int     rank;
    hsize_t dims[H5S_MAX_RANK];
    size_t  bytes;
} shape;

static int get_shape(hid_t d, shape *s)
{
    hid_t sp = H5Dget_space(d);
    s->type = H5Dget_type(d);
    s->rank = sp >= 0 ? H5Sget_simple_extent_dims(sp, s->dims, NULL) : -1;
    hssize_t n = sp >= 0 ? H5Sget_simple_extent_npoints(sp) : -1;
    if (sp >= 0) H5Sclose(sp);
    if (s->type < 0 || s->rank < 0 || n < 0 || s->rank >= H5S_MAX_RANK) return -1;
    s->bytes = (size_t)n * H5Tget_size(s->type);
    return 0;
}

static int same_shape(const shape *a, const shape *b)
{
    if (a->rank != b->rank || H5Tequal(a->type, b->type) <= 0) return 0;
    for (int i = 0; i < a->rank; i++)
        if (a->dims[i] != b->dims[i]) return 0;
    return 1;
}

/* Read series/name of the point file at path into buf, checking that its shape
 * equals want. 0 or -1 (message printed). */
static int read_point(const char *path, const char *name, const shape *want, void *buf)
{
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    char link[300];
    snprintf(link, sizeof link, "series/%s", name);
    hid_t d = f >= 0 && H5Lexists(f, "series", H5P_DEFAULT) > 0 && H5Lexists(f, link, H5P_DEFAULT) > 0
                ? H5Dopen2(f, link, H5P_DEFAULT) : H5I_INVALID_HID;
    shape s = {.type = H5I_INVALID_HID};
    int rc = 0;
    if (d < 0 || !sim_out_dataset_intact(d) || get_shape(d, &s) != 0)
        rc = sim_log_path_error(path, "no readable /series/%s (all points of a merge --series need the same series)", name);
    else if (!same_shape(&s, want))
        rc = sim_log_path_error(path, "its /series/%s has another shape or type than the first point's", name);
    else if (H5Dread(d, want->type, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) < 0)
        rc = sim_log_path_error(path, "cannot read /series/%s (damaged data)", name);
    if (s.type >= 0) H5Tclose(s.type);
    if (d >= 0) H5Dclose(d);
    if (f >= 0) H5Fclose(f);
    return rc;
}

/* --------------------------------------------------------------- writing -- */

/* Write dataset i of the layout: stacked over the points, or once (checked equal). */
static int write_one(hid_t g, hid_t src, const layout *l, size_t i, char *const *paths, size_t n, const char *output)
{
    const char *name = l->name[i];
    hid_t sd = H5Dopen2(src, name, H5P_DEFAULT);
    shape s = {.type = H5I_INVALID_HID};
    if (sd < 0 || get_shape(sd, &s) != 0) {
        if (sd >= 0) H5Dclose(sd);
        return sim_log_path_error(paths[0], "cannot read /series/%s", name);
    }
    size_t copies = l->stacked[i] ? n : 1;
    char *buf = malloc(s.bytes * copies + 1), *other = l->stacked[i] ? NULL : malloc(s.bytes + 1);
    int rc = !buf || (!l->stacked[i] && !other) ? sim_log_path_error(output, "out of memory for /series/%s", name) : 0;
    for (size_t k = 0; !rc && k < n; k++) {
        char *at = l->stacked[i] ? buf + k * s.bytes : (k == 0 ? buf : other);
        rc = read_point(paths[k], name, &s, at);
        if (!rc && k > 0 && !l->stacked[i] && memcmp(buf, other, s.bytes) != 0)
            rc = sim_log_path_error(paths[k], "its /series/%s differs from %s's (another calendar or regions); merge without --series",
                      name, paths[0]);
    }
    hsize_t dims[H5S_MAX_RANK] = {n};
    memcpy(dims + l->stacked[i], s.dims, (size_t)s.rank * sizeof *dims);
    hid_t dd = rc ? H5I_INVALID_HID : sim_out_array(g, name, s.type, s.rank + l->stacked[i], dims, buf);
    if (!rc && (dd < 0 || copy_attrs(sd, dd) != 0 || (l->scale[i] && H5DSset_scale(dd, name) < 0)))
        rc = sim_log_path_error(output, "cannot write /series/%s", name);
    if (dd >= 0) H5Dclose(dd);
    free(buf);
    free(other);
    H5Tclose(s.type);
    H5Dclose(sd);
    return rc;
}

/* The name of the scale of the source's /series (src) attached to dimension dim of d,
 * or NULL: read from the scales' REFERENCE_LIST (sim_out_scale_attached), not from d's
 * DIMENSION_LIST in the unchecked global heap. */
static const char *attached(hid_t src, const layout *l, hid_t d, unsigned dim)
{
    for (size_t j = 0; j < l->n; j++) {
        if (!l->scale[j]) continue;
        hid_t sc = H5Dopen2(src, l->name[j], H5P_DEFAULT);
        int yes = sc >= 0 && sim_out_scale_attached(d, dim, sc) > 0;
        if (sc >= 0) H5Dclose(sc);
        if (yes) return l->name[j];
    }
    return NULL;
}

/* Attach to dataset i of the output the scales its source has, shifted by one
 * dimension after the new point scale for a stacked variable. */
static int attach_scales(hid_t g, hid_t src, const layout *l, size_t i)
{
    if (l->scale[i]) return 0;
    hid_t sd = H5Dopen2(src, l->name[i], H5P_DEFAULT), dd = H5Dopen2(g, l->name[i], H5P_DEFAULT);
    shape s = {.type = H5I_INVALID_HID};
    int rc = sd < 0 || dd < 0 || get_shape(sd, &s) != 0;
    if (!rc && l->stacked[i]) {
        hid_t p = H5Dopen2(g, "point", H5P_DEFAULT);
        rc = p < 0 || H5DSattach_scale(dd, p, 0) < 0;
        if (p >= 0) H5Dclose(p);
    }
    for (int k = 0; !rc && k < s.rank; k++) {
        const char *name = attached(src, l, sd, (unsigned)k);
        if (!name || H5Lexists(g, name, H5P_DEFAULT) <= 0) continue;
        hid_t sc = H5Dopen2(g, name, H5P_DEFAULT);
        rc = sc < 0 || H5DSattach_scale(dd, sc, (unsigned)(k + l->stacked[i])) < 0;
        if (sc >= 0) H5Dclose(sc);
    }
    if (s.type >= 0) H5Tclose(s.type);
    if (sd >= 0) H5Dclose(sd);
    if (dd >= 0) H5Dclose(dd);
    return rc ? -1 : 0;
}

/* /series/point: the point indices, the scale of the new leading dimension. */
static int write_point_scale(hid_t g, const size_t *index, size_t n)
{
    int32_t *v = malloc((n + 1) * sizeof *v);
    for (size_t k = 0; v && k < n; k++) v[k] = (int32_t)index[k];
    hid_t d = v ? sim_out_table(g, "point", H5T_NATIVE_INT32, n, v) : H5I_INVALID_HID;
    int rc = d < 0 || H5DSset_scale(d, "point") < 0
          || sim_out_attr_string(d, "long_name", "sweep point (row of /points)");
    if (d >= 0) H5Dclose(d);
    free(v);
    return rc ? -1 : 0;
}

int sim_merge_series(hid_t dst, const char *output, char *const *paths, const size_t *index, size_t n)
{
    hid_t f = H5Fopen(paths[0], H5F_ACC_RDONLY, H5P_DEFAULT);
    if (f < 0) return sim_log_path_error(paths[0], "not a readable HDF5 file");
    layout l = {0};
    int rc = read_layout(f, paths[0], &l);
    for (size_t i = 0; !rc && i < l.n; i++)
        if (!strcmp(l.name[i], "point")) rc = sim_log_path_error(paths[0], "has a /series/point already; cannot add the point dimension");
    hid_t src = rc ? H5I_INVALID_HID : H5Gopen2(f, "series", H5P_DEFAULT);
    hid_t g = rc ? H5I_INVALID_HID : sim_out_group(dst, "series");
    if (!rc && (src < 0 || g < 0 || write_point_scale(g, index, n) != 0)) rc = sim_log_path_error(output, "cannot write /series");
    /* scales first, so that the variables can be attached to them */
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; !rc && i < l.n; i++)
            if (l.scale[i] == !pass) rc = write_one(g, src, &l, i, paths, n, output);
    for (size_t i = 0; !rc && i < l.n; i++)
        if (attach_scales(g, src, &l, i) != 0) rc = sim_log_path_error(output, "cannot attach the dimension scales of /series/%s", l.name[i]);
    if (!rc && sim_out_attr_string(g, "note", "each point file's /series, stacked along the leading dimension point"))
        rc = sim_log_path_error(output, "cannot write /series");
    if (g >= 0) H5Gclose(g);
    if (src >= 0) H5Gclose(src);
    layout_free(&l);
    H5Fclose(f);
    return rc;
}
