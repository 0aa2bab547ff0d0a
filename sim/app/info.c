/* info.c: a readable description of an output file, using only what the file
 * itself says (attributes, dataset shapes, /summary fields). Four kinds of file:
 * a run output (`sim run`, or a sweep's point file: a compound /summary table),
 * a merged sweep (`sim merge`: root experiment_id and points_merged, a /points
 * table and a /summary group), sensitivity indices (`sim sensitivity`: a
 * /sensitivity group) and a calibration record (`sim calibrate`: a /calibration
 * group); anything else is refused. */
#include "info.h"

#include <hdf5.h>
#include <hdf5_hl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../core/common.h"
#include "../io/files.h"
#include "../io/numtext.h"
#include "../io/out.h"

/* Attribute `name` of object `obj` ("/" for the root) on one line; a list of
 * strings as words. Nothing when it is absent or of another kind. */
static void print_attr_of(hid_t f, const char *obj, const char *name)
{
    H5T_class_t cls;
    size_t size;
    hsize_t dims[1] = {0};
    if (H5Aexists_by_name(f, obj, name, H5P_DEFAULT) <= 0 || H5LTget_attribute_info(f, obj, name, dims, &cls, &size) < 0)
        return;
    if (cls == H5T_STRING && dims[0] > 1) {
        hid_t o = H5Oopen(f, obj, H5P_DEFAULT);
        size_t n = 0;
        char **v = o >= 0 ? sim_out_attr_read_strings(o, name, &n) : NULL;
        printf("  %-16s", name);
        for (size_t i = 0; i < n; i++) printf(" %s", v[i]);
        printf("\n");
        sim_out_free_strings(v, n);
        if (o >= 0) H5Oclose(o);
    } else if (cls == H5T_STRING) {
        char *buf = calloc(size + 1, 1);
        if (buf && H5LTget_attribute_string(f, obj, name, buf) >= 0) printf("  %-16s %s\n", name, buf);
        free(buf);
    } else if (cls == H5T_INTEGER) {
        long long v = 0;
        if (H5LTget_attribute_long_long(f, obj, name, &v) >= 0) printf("  %-16s %lld\n", name, v);
    } else if (cls == H5T_FLOAT) {
        double v = 0;
        if (H5LTget_attribute_double(f, obj, name, &v) >= 0) printf("  %-16s %.15g\n", name, v);
    }
}

static void print_attr(hid_t f, const char *name) { print_attr_of(f, "/", name); }

/* One line per dataset: its path and shape, or "[damaged]" when HDF5 cannot open
 * it or its shape; *user counts the damaged ones. */
static herr_t print_object(hid_t loc, const char *name, const H5O_info_t *info, void *user)
{
    if (info->type != H5O_TYPE_DATASET) return 0;
    hid_t d = H5Dopen2(loc, name, H5P_DEFAULT);
    hid_t sp = d >= 0 ? H5Dget_space(d) : H5I_INVALID_HID;
    hsize_t dims[H5S_MAX_RANK];
    int rank = sp >= 0 ? H5Sget_simple_extent_dims(sp, dims, NULL) : -1;
    printf("  /%-28s ", name);
    if (rank < 0 || d < 0 || !sim_out_dataset_intact(d)) {
        printf("[damaged]\n");
        ++*(int *)user;
    } else {
        printf("[");
        for (int i = 0; i < rank; i++) printf("%s%llu", i ? " x " : "", (unsigned long long)dims[i]);
        printf("]\n");
    }
    if (sp >= 0) H5Sclose(sp);
    if (d >= 0) H5Dclose(d);
    return 0;
}

/* x to 6 significant digits without trailing zeros, as %g writes it, but without an
 * exponent and with thousands commas (1,158,810, not 1.15881e+06; 3,000, not 3000.00);
 * a nonzero x below 10^-4, which that would write as 0, as %g writes it (2.5e-05). */
static const char *mean_text(double x, char *buf)
{
    sim_number_sig(x, 6, buf);
    if (x != 0.0 && strtod(buf, NULL) == 0.0) {
        snprintf(buf, SIM_NUMTEXT_MAX, "%.6g", x);
        return buf;
    }
    if (strchr(buf, '.')) {
        size_t len = strlen(buf);
        while (buf[len - 1] == '0') buf[--len] = '\0';
        if (buf[len - 1] == '.') buf[--len] = '\0';
    }
    return buf;
}

/* Field i's mean over the replications that define it (not NaN) as one line (mean_text);
 * -1 when it cannot be read (a failed Fletcher-32 check, say), printed as [damaged]. */
static int print_field_mean(hid_t d, hid_t t, int i, hssize_t n)
{
    char *name = H5Tget_member_name(t, (unsigned)i), text[SIM_NUMTEXT_MAX];
    hid_t mt = H5Tcreate(H5T_COMPOUND, sizeof(double));
    if (name) H5Tinsert(mt, name, 0, H5T_NATIVE_DOUBLE);
    double *v = malloc((size_t)(n > 0 ? n : 1) * sizeof *v), sum = 0;
    int rc = name && v && sim_out_read(d, mt, v) >= 0 ? 0 : -1;
    if (rc == 0) {
        hssize_t k = 0;   /* replications where the field is defined (not NaN) */
        for (hssize_t r = 0; r < n; r++)
            if (!isnan(v[r])) sum += v[r], k++;
        printf("  %-28s %16s", name, k ? mean_text(sum / (double)k, text) : "n/a");
        if (k < n) printf("  (defined in %lld of %lld replications)", (long long)k, (long long)n);
        printf("\n");
    } else {
        printf("  %-28s %16s\n", name ? name : "?", "[damaged]");
    }
    free(v);
    H5Tclose(mt);
    if (name) H5free_memory(name);
    return rc;
}

/* The mean of each measure of /summary (every field but the replication index, which is
 * a label); returns how many fields could not be read. A table whose header is damaged
 * is listed by print_object and not read here. */
static int print_summary(hid_t f)
{
    hid_t d = H5Lexists(f, "summary", H5P_DEFAULT) > 0 ? H5Dopen2(f, "summary", H5P_DEFAULT) : H5I_INVALID_HID;
    if (d < 0 || !sim_out_dataset_intact(d)) {
        if (d >= 0) H5Dclose(d);
        return 0;
    }
    hid_t t = H5Dget_type(d), sp = H5Dget_space(d);
    hssize_t n = H5Sget_simple_extent_npoints(sp);
    int nf = H5Tget_nmembers(t), bad = 0, index = H5Tget_member_index(t, "replication");
    printf("summary (mean over %lld replication%s):\n", (long long)n, n == 1 ? "" : "s");
    for (int i = 0; i < nf; i++)
        if (i != index) bad += print_field_mean(d, t, i, n) != 0;
    H5Sclose(sp);
    H5Tclose(t);
    H5Dclose(d);
    return bad;
}

/* ------------------------------------------------------- merged sweeps -- */

typedef enum { FILE_OTHER, FILE_RUN, FILE_MERGED, FILE_SENSITIVITY, FILE_CALIBRATION } file_kind;

/* 1 if f has a group called name. */
static file_kind kind_of(hid_t f)
{
    H5O_info_t oi;
    int summary = H5Lexists(f, "summary", H5P_DEFAULT) > 0
               && H5Oget_info_by_name2(f, "summary", &oi, H5O_INFO_BASIC, H5P_DEFAULT) >= 0;
    if (H5Aexists(f, "experiment_id") > 0 && H5Aexists(f, "points_merged") > 0
        && H5Lexists(f, "points", H5P_DEFAULT) > 0 && summary && oi.type == H5O_TYPE_GROUP)
        return FILE_MERGED;
    if (summary && oi.type == H5O_TYPE_DATASET) return FILE_RUN;
    if (!summary && sim_out_is_group(f, "sensitivity")) return FILE_SENSITIVITY;
    return !summary && sim_out_is_group(f, "calibration") ? FILE_CALIBRATION : FILE_OTHER;
}

/* The group's own attributes that say what the file holds (sensitivity.c,
 * calibrate_output.c); its datasets are listed with the others. */
static void print_group_attrs(hid_t f, file_kind kind)
{
    static const char *const sens[] = {"design", "base_file", "alt_file", "quantity", "outcomes", "parameters",
                                       "base_points", "points", "replications", "bootstrap", "levels", "warning"};
    static const char *const cal[] = {"targets_file", "status", "algorithm", "best_evaluation"};
    int s = kind == FILE_SENSITIVITY;
    printf(s ? "sensitivity indices (sim sensitivity):\n" : "calibration record (sim calibrate):\n");
    size_t n = s ? SIM_ARRAY_LEN(sens) : SIM_ARRAY_LEN(cal);
    for (size_t i = 0; i < n; i++) print_attr_of(f, s ? "/sensitivity" : "/calibration", s ? sens[i] : cal[i]);
}

/* The /points table: one line per merged point with its parameter values. 0 or -1. */
static int print_points(hid_t f)
{
    hid_t d = H5Dopen2(f, "points", H5P_DEFAULT);
    hid_t t = d >= 0 && sim_out_dataset_intact(d) ? H5Dget_type(d) : H5I_INVALID_HID;
    hid_t sp = t >= 0 ? H5Dget_space(d) : H5I_INVALID_HID;
    hssize_t n = sp >= 0 ? H5Sget_simple_extent_npoints(sp) : -1;
    int nm = t >= 0 && H5Tget_class(t) == H5T_COMPOUND ? H5Tget_nmembers(t) : -1;
    double *v = nm > 0 && n >= 0 ? malloc(((size_t)n * (size_t)nm + 1) * sizeof *v) : NULL;
    int rc = !v;
    /* every column (the int32 point index too) read as double, row-major */
    hid_t mt = v ? H5Tcreate(H5T_COMPOUND, (size_t)nm * sizeof(double)) : H5I_INVALID_HID;
    for (int j = 0; !rc && j < nm; j++) {
        char *name = H5Tget_member_name(t, (unsigned)j);
        rc = !name || H5Tinsert(mt, name, (size_t)j * sizeof(double), H5T_NATIVE_DOUBLE) < 0;
        printf(j ? "  %s" : "points (%s", name ? name : "?");
        if (name) H5free_memory(name);
    }
    if (!rc) printf("):\n");
    if (!rc && sim_out_read(d, mt, v) < 0) rc = 1;
    for (hssize_t r = 0; !rc && r < n; r++) {
        printf("  %5.0f", v[r * nm]);
        for (int j = 1; j < nm; j++) printf("  %.10g", v[r * nm + j]);
        printf("\n");
    }
    if (rc) printf("  [damaged]\n");
    if (mt >= 0) H5Tclose(mt);
    free(v);
    if (sp >= 0) H5Sclose(sp);
    if (t >= 0) H5Tclose(t);
    if (d >= 0) H5Dclose(d);
    return rc ? -1 : 0;
}

/* The names of the datasets of group `name` that carry a leading point dimension
 * (outcomes), with their units; the scales, coordinates and time bounds are left out. */
static void print_outcomes(hid_t f, const char *name, const char *label)
{
    hid_t g = H5Lexists(f, name, H5P_DEFAULT) > 0 ? H5Gopen2(f, name, H5P_DEFAULT) : H5I_INVALID_HID;
    H5G_info_t gi;
    if (g < 0 || H5Gget_info(g, &gi) < 0) { if (g >= 0) H5Gclose(g); return; }
    printf("%s:", label);
    /* outcomes: the datasets with the point scale (g/point) on dimension 0 */
    hid_t ps = H5Lexists(g, "point", H5P_DEFAULT) > 0 ? H5Dopen2(g, "point", H5P_DEFAULT) : H5I_INVALID_HID;
    for (hsize_t i = 0; i < gi.nlinks; i++) {
        char field[256];
        if (H5Lget_name_by_idx(g, ".", H5_INDEX_NAME, H5_ITER_INC, i, field, sizeof field, H5P_DEFAULT) < 0) continue;
        hid_t d = H5Dopen2(g, field, H5P_DEFAULT);
        hid_t sp = d >= 0 ? H5Dget_space(d) : H5I_INVALID_HID;
        int rank = sp >= 0 ? H5Sget_simple_extent_ndims(sp) : 0;
        if (d >= 0 && rank >= 2 && ps >= 0 && sim_out_scale_attached(d, 0, ps) > 0) {
            char *units = sim_out_attr_read_string(d, "units");
            printf("\n  %-28s %s", field, units ? units : "");
            free(units);
        }
        if (sp >= 0) H5Sclose(sp);
        if (d >= 0) H5Dclose(d);
    }
    printf("\n");
    if (ps >= 0) H5Dclose(ps);
    H5Gclose(g);
}

/* A point file of a sweep (sim sweep's extra root attributes): its experiment, index and
 * values as key=value, so that two points can be told apart without opening them. */
static void print_point(hid_t f)
{
    if (H5Aexists(f, "point") <= 0 || H5Aexists(f, "parameter_names") <= 0) return;
    static const char *const attrs[] = {"experiment_id", "point", "points"};
    printf("sweep point:\n");
    for (size_t i = 0; i < SIM_ARRAY_LEN(attrs); i++) print_attr(f, attrs[i]);
    char *pairs = sim_out_attr_pairs(f, "parameter_names", "parameter_values");
    printf("  %-16s%s\n", "values", pairs ? pairs : " (unreadable)");
    free(pairs);
}

/* What a merged sweep holds: experiment, points with their values, outcomes. */
static int print_merged(hid_t f)
{
    static const char *const attrs[] = {"experiment_id", "design", "points", "points_merged"};
    printf("merged sweep:\n");
    for (size_t i = 0; i < SIM_ARRAY_LEN(attrs); i++) print_attr(f, attrs[i]);
    size_t np = 0;
    char **names = sim_out_attr_read_strings(f, "parameters", &np);
    printf("  %-16s", "parameters");
    for (size_t j = 0; j < np; j++) printf(" %s", names[j]);
    printf("\n");
    sim_out_free_strings(names, np);
    hsize_t dims[1] = {0};
    H5T_class_t cls;
    size_t size;
    if (H5LTget_attribute_info(f, "/", "missing_points", dims, &cls, &size) >= 0 && dims[0] > 0) {
        int *miss = malloc(dims[0] * sizeof *miss);
        if (miss && H5LTget_attribute_int(f, "/", "missing_points", miss) >= 0) {
            printf("  %-16s", "missing_points");
            for (hsize_t i = 0; i < dims[0]; i++) printf(" %d", miss[i]);
            printf("\n");
        }
        free(miss);
    }
    int rc = print_points(f);
    print_outcomes(f, "summary", "outcomes (/summary/<field> [point][replication])");
    if (H5Lexists(f, "series", H5P_DEFAULT) > 0)
        print_outcomes(f, "series", "series (/series/<name> [point][replication][time][region])");
    return rc;
}

int sim_info_main(const char *path)
{
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        sim_log_error("%s: a directory (sim info reads one .h5 file; a sweep's points: sim merge %s -o FILE.h5, "
                      "then sim info FILE.h5)", path, path);
        return SIM_EXIT_RUNTIME;
    }
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (f < 0) {
        sim_log_error("%s: not a readable HDF5 file (%s)", path, sim_unreadable_why(path, "truncated, damaged or not HDF5"));
        return SIM_EXIT_RUNTIME;
    }
    char why[SIM_MESSAGE_MAX];
    if (sim_out_verify(f, why, sizeof why) != 0) {   /* nothing more of it is read */
        H5Fclose(f);
        sim_log_error("%s: %s", path, why);
        return SIM_EXIT_RUNTIME;
    }
    file_kind kind = kind_of(f);
    if (kind == FILE_OTHER) {
        H5Fclose(f);
        sim_log_error("%s: not an output of sim (no /summary table of a run, /points and /summary group of a merged "
                      "sweep, /sensitivity group or /calibration group)", path);
        return SIM_EXIT_RUNTIME;
    }
    printf("%s\n", path);
    static const char *const attrs[] = {"title", "scenario", "model", "toolkit_version", "git_hash",
                                        "format_version", "created", "command_line", "seed",
                                        "replications", "time_origin", "time_end", "population_key", "population"};
    for (size_t i = 0; i < SIM_ARRAY_LEN(attrs); i++) print_attr(f, attrs[i]);
    int damaged = kind == FILE_MERGED && print_merged(f) != 0;
    if (kind == FILE_RUN) print_point(f);
    if (kind == FILE_SENSITIVITY || kind == FILE_CALIBRATION) print_group_attrs(f, kind);
    printf("datasets:\n");
    herr_t walked = H5Ovisit2(f, H5_INDEX_NAME, H5_ITER_INC, print_object, &damaged, H5O_INFO_BASIC);
    damaged += print_summary(f);
    H5Fclose(f);
    if (walked < 0 || damaged > 0) {
        sim_log_error("%s: damaged file: %s", path, walked < 0 ? "its groups cannot be walked"
                                                               : "the parts marked [damaged] cannot be read");
        return SIM_EXIT_RUNTIME;
    }
    return SIM_EXIT_OK;
}
