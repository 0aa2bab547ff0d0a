/* fuzz_h5.c: libFuzzer harness for the HDF5 reader side. Each input is written as
 * a file and read the way the commands that take output files read them:
 *   - `sim info FILE`;
 *   - `sim compare BASE FILE --regions`, BASE a valid output file
 *     (FUZZ_H5_BASE, default build-fuzz/h5seeds/base.h5);
 *   - `sim merge DIR`, twice: FILE as point 0 beside a valid point 1, and FILE as
 *     point 1 beside a valid point 0 (FUZZ_H5_SWEEP, default build-fuzz/h5seeds/sweep,
 *     the two point files of tests/fuzz/sweep-seed.cfg), so that both the reference
 *     reader and the per-point checks see damaged input.
 * None may crash, overflow a buffer, trip UBSan or leave an HDF5 handle open, whatever
 * the bytes, and a refused merge must leave no output file. Memory leaks are checked
 * by replaying the corpus (tests/fuzz/replay-leaks.sh: HDF5 1.10 leaks by itself on
 * some damaged files).
 * Seeds: small output and point files written by `make fuzz-h5`. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../sim/app/compare.h"
#include "../../sim/app/info.h"
#include "../../sim/app/merge.h"
#include "../../sim/io/out.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char work[64];          /* per-process scratch directory */
static char input[96];         /* the input as a plain file (info, compare) */
static const char *base_file;  /* valid output file for compare */
static const char *sweep_dir;  /* directory with valid point-00000.h5 and point-00001.h5 */

static int write_file(const char *path, const uint8_t *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    if (!f) return -1;
    size_t n = fwrite(data, 1, size, f);
    return (fclose(f) == 0 && n == size) ? 0 : -1;
}

/* Copy the valid point file NAME of sweep_dir into DIR. */
static int copy_point(const char *dir, const char *name)
{
    char src[512], dst[160];
    snprintf(src, sizeof src, "%s/%s", sweep_dir, name);
    snprintf(dst, sizeof dst, "%s/%s", dir, name);
    FILE *in = fopen(src, "rb"), *out = in ? fopen(dst, "wb") : NULL;
    char buf[65536];
    size_t n;
    while (out && (n = fread(buf, 1, sizeof buf, in)) > 0) fwrite(buf, 1, n, out);
    int rc = (in && out) ? 0 : -1;
    if (out && fclose(out) != 0) rc = -1;
    if (in) fclose(in);
    return rc;
}

/* Merge (with --series, which also reads every dimension-scale attachment) a directory
 * holding the input as point FUZZED and the valid other point.
 * A refused merge must not leave its output behind. */
static void merge_with(int fuzzed, const uint8_t *data, size_t size)
{
    char dir[96], mine[160], other[160], out[160];
    snprintf(dir, sizeof dir, "%s/sweep%d", work, fuzzed);
    snprintf(mine, sizeof mine, "%s/point-%05d.h5", dir, fuzzed);
    snprintf(other, sizeof other, "point-%05d.h5", 1 - fuzzed);
    snprintf(out, sizeof out, "%s/merged.h5", work);
    mkdir(dir, 0700);
    if (write_file(mine, data, size) != 0 || copy_point(dir, other) != 0) abort();
    sim_merge_request req = {.dir = dir, .output = out, .series = 1, .quiet = 1, .command_line = "fuzz_h5"};
    int rc = sim_merge_main(&req);
    if (rc != 0 && access(out, F_OK) == 0) abort();   /* refused, yet an output exists */
    unlink(out);
    unlink(mine);
    snprintf(mine, sizeof mine, "%s/%s", dir, other);
    unlink(mine);
}

/* Open HDF5 identifiers of every kind a reader creates (files, groups, datasets,
 * attributes, datatypes, dataspaces, property lists); after an input it must be
 * what it was before, or a handle was left open. */
static hsize_t open_ids(void)
{
    static const H5I_type_t kinds[] = {H5I_FILE, H5I_GROUP, H5I_DATASET, H5I_ATTR,
                                       H5I_DATATYPE, H5I_DATASPACE, H5I_GENPROP_LST};
    hsize_t total = 0, n;
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (H5Inmembers(kinds[i], &n) >= 0) total += n;
    return total;
}

/* Remove the scratch directory when the process ends normally (atexit). */
static void cleanup(void)
{
    char path[128];
    unlink(input);
    for (int i = 0; i < 2; i++) {
        snprintf(path, sizeof path, "%s/sweep%d", work, i);
        rmdir(path);
    }
    rmdir(work);
}

static void setup(void)
{
    snprintf(work, sizeof work, "/tmp/fuzz-h5-%ld", (long)getpid());
    snprintf(input, sizeof input, "%s/input.h5", work);
    if (mkdir(work, 0700) != 0) abort();
    atexit(cleanup);
    base_file = getenv("FUZZ_H5_BASE") ? getenv("FUZZ_H5_BASE") : "build-fuzz/h5seeds/base.h5";
    sweep_dir = getenv("FUZZ_H5_SWEEP") ? getenv("FUZZ_H5_SWEEP") : "build-fuzz/h5seeds/sweep";
    sim_out_quiet_hdf5();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!work[0]) setup();
    hsize_t ids = open_ids();
    if (write_file(input, data, size) != 0) abort();
    sim_info_main(input);
    const char *alts[1] = {input};
    sim_compare_request req = {base_file, alts, 1, NULL, 0, SIM_COMPARE_TABLE, 1};
    sim_compare_main(&req);
    unlink(input);
    merge_with(0, data, size);
    merge_with(1, data, size);
    if (open_ids() != ids) abort();   /* a handle left open */
    return 0;
}
