/* fuzz_h5.c: libFuzzer harness for the HDF5 reader side. Each input is written as
 * a file and read as `sim info FILE` and `sim compare SEED FILE --regions` would,
 * with SEED a valid output file (FUZZ_H5_BASE, default build-fuzz/h5seeds/base.h5).
 * Neither may crash, leak or trip UBSan, whatever the bytes. Seeds: small output
 * files written by `make fuzz-h5`. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "../../analysis/compare.h"
#include "../../sim/info.h"
#include "../../sim/out.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char path[64];
    static const char *base;
    if (!path[0]) {
        snprintf(path, sizeof path, "/tmp/fuzz-h5-%ld.h5", (long)getpid());
        base = getenv("FUZZ_H5_BASE") ? getenv("FUZZ_H5_BASE") : "build-fuzz/h5seeds/base.h5";
        sim_out_quiet_hdf5();
        H5set_free_list_limits(0, 0, 0, 0, 0, 0);   /* HDF5's free lists look like leaks to LSan */
        if (!freopen("/dev/null", "w", stdout)) return 0;
        if (!getenv("FUZZ_VERBOSE") && !freopen("/dev/null", "w", stderr)) return 0;
    }
    FILE *f = fopen(path, "wb");
    if (!f) return 0;
    fwrite(data, 1, size, f);
    fclose(f);
    sim_info_main(path);
    const char *alts[1] = {path};
    sim_compare_request req = {base, alts, 1, NULL, 0, SIM_COMPARE_TABLE, 1};
    sim_compare_main(&req);
    unlink(path);
    return 0;
}
