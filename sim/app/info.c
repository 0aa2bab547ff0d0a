/* info.c: a readable description of an output file, using only what the file
 * itself says (attributes, dataset shapes, /summary fields). */
#include "info.h"

#include <hdf5.h>
#include <hdf5_hl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "../core/common.h"
#include "../io/out.h"

static void print_attr(hid_t f, const char *name)
{
    H5T_class_t cls;
    size_t size;
    hsize_t dims[1] = {0};
    if (H5LTget_attribute_info(f, "/", name, dims, &cls, &size) < 0) return;
    if (cls == H5T_STRING) {
        char *buf = calloc(size + 1, 1);
        if (buf && H5LTget_attribute_string(f, "/", name, buf) >= 0) printf("  %-16s %s\n", name, buf);
        free(buf);
    } else if (cls == H5T_INTEGER) {
        long long v = 0;
        if (H5LTget_attribute_long_long(f, "/", name, &v) >= 0) printf("  %-16s %lld\n", name, v);
    }
}

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

/* Mean of each double field of /summary; returns how many fields could not be read
 * (a failed Fletcher-32 check, say), each printed as [damaged]. A table whose header
 * is damaged is listed by print_object and not read here. */
static int print_summary(hid_t f)
{
    hid_t d = H5Lexists(f, "summary", H5P_DEFAULT) > 0 ? H5Dopen2(f, "summary", H5P_DEFAULT) : H5I_INVALID_HID;
    if (d < 0 || !sim_out_dataset_intact(d)) {
        if (d >= 0) H5Dclose(d);
        return 0;
    }
    hid_t t = H5Dget_type(d), sp = H5Dget_space(d);
    hssize_t n = H5Sget_simple_extent_npoints(sp);
    int nf = H5Tget_nmembers(t), bad = 0;
    printf("summary (mean over %lld replications):\n", (long long)n);
    for (int i = 0; i < nf; i++) {
        char *name = H5Tget_member_name(t, (unsigned)i);
        hid_t mt = H5Tcreate(H5T_COMPOUND, sizeof(double));
        H5Tinsert(mt, name, 0, H5T_NATIVE_DOUBLE);
        double *v = malloc((size_t)(n > 0 ? n : 1) * sizeof *v), sum = 0;
        if (v && H5Dread(d, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) >= 0) {
            hssize_t k = 0;   /* replications where the field is defined (not NaN) */
            for (hssize_t r = 0; r < n; r++)
                if (!isnan(v[r])) sum += v[r], k++;
            if (k == 0) printf("  %-28s %14s", name, "n/a");
            else printf("  %-28s %14.6g", name, sum / (double)k);
            if (k < n) printf("  (defined in %lld of %lld replications)", (long long)k, (long long)n);
            printf("\n");
        } else {
            printf("  %-28s %14s\n", name, "[damaged]");
            bad++;
        }
        free(v);
        H5Tclose(mt);
        H5free_memory(name);
    }
    H5Sclose(sp);
    H5Tclose(t);
    H5Dclose(d);
    return bad;
}

int sim_info_main(const char *path)
{
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (f < 0) {
        sim_log_error("%s: not a readable HDF5 file (missing, truncated or not HDF5)", path);
        return SIM_EXIT_RUNTIME;
    }
    char why[SIM_MESSAGE_MAX];
    if (sim_out_verify(f, why, sizeof why) != 0) {   /* nothing more of it is read */
        H5Fclose(f);
        sim_log_error("%s: %s", path, why);
        return SIM_EXIT_RUNTIME;
    }
    printf("%s\n", path);
    static const char *const attrs[] = {"title", "scenario", "model", "toolkit_version", "git_hash",
                                        "format_version", "created", "command_line", "seed",
                                        "replications", "time_origin"};
    for (size_t i = 0; i < SIM_ARRAY_LEN(attrs); i++) print_attr(f, attrs[i]);
    printf("datasets:\n");
    int damaged = 0;
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
