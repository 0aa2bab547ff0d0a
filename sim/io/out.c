/* out.c: HDF5 writer. Everything goes to "<path>.partial-<pid>" and is renamed
 * on commit. Events are buffered to whole chunks (EVENTS_CHUNK rows) and written
 * with one hyperslab write per chunk: row-at-a-time writes are orders slower. */
#define _GNU_SOURCE
#include "out.h"
#include "files.h"

#include <errno.h>
#include <fcntl.h>
#include <hdf5_hl.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "version.h"

#define EVENTS_CHUNK 16384
#define PATH_FIELD 256
/* Most elements an attribute list is read with (string lists, a scale's REFERENCE_LIST):
 * sim writes far fewer; a larger count is a damaged or foreign file, not a reason to allocate. */
#define ATTR_LIST_MAX (1 << 24)

struct sim_out {
    char     *path, *tmp;
    hid_t     file;
    hid_t     ev_dset, ev_mtype;
    unsigned char *ev_buf;   /* EVENTS_CHUNK rows of ev_size bytes (the model's trace record) */
    size_t    ev_size, ev_n;
    hsize_t   ev_rows;
};

/* Temporary files of the outputs being written (several at once with `sim run
 * A B ...`), removed if a signal stops us: a slot holds one, NULL when free. */
static char *volatile pending_tmp[SIM_OUT_MAX_OPEN];

static int pending_add(char *tmp)
{
    for (int i = 0; i < SIM_OUT_MAX_OPEN; i++)
        if (!pending_tmp[i]) {
            pending_tmp[i] = tmp;
            return 0;
        }
    return -1;
}

static void pending_remove(const char *tmp)
{
    for (int i = 0; i < SIM_OUT_MAX_OPEN; i++)
        if (pending_tmp[i] == tmp) pending_tmp[i] = NULL;
}

void sim_out_quiet_hdf5(void)
{
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
}

static void fail(const sim_out *out, const char *what)
{
    sim_log_error("%s: cannot write %s (HDF5 error; disk full or file system read-only?)",
                  out->path, what);
}

/* ------------------------------------------------------------ contents -- */

typedef struct {
    char  **v;
    size_t  n, cap;
    int     failed;
} name_list;

static herr_t add_dataset(hid_t loc, const char *name, const H5O_info_t *info, void *user)
{
    (void)loc;
    name_list *l = user;
    if (info->type != H5O_TYPE_DATASET) return 0;
    if (l->n == l->cap) {
        char **p = realloc(l->v, (l->cap = l->cap ? 2 * l->cap : 32) * sizeof *p);
        if (!p) { l->failed = 1; return -1; }
        l->v = p;
    }
    if (!(l->v[l->n] = strdup(name))) { l->failed = 1; return -1; }
    l->n++;
    return 0;
}

/* The root attribute "contents": the path of every dataset. HDF5 1.10 can drop
 * the links of a damaged object-header chunk without an error, so readers check
 * this list (sim_out_verify) to tell a damaged file from a complete one. */
static int write_contents(hid_t f)
{
    name_list l = {0};
    int rc = H5Ovisit2(f, H5_INDEX_NAME, H5_ITER_INC, add_dataset, &l, H5O_INFO_BASIC) < 0 || l.failed
             || sim_out_attr_strings(f, "contents", (const char *const *)l.v, l.n) != 0;
    sim_out_free_strings(l.v, l.n);
    return rc ? -1 : 0;
}

static int SIM_PRINTF(3, 4) verify_fail(char *why, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, size, fmt, ap);
    va_end(ap);
    return -1;
}

/* Every dataset named in "contents" is there and intact. */
static int verify_contents(hid_t f, char *why, size_t size)
{
    size_t n = 0;
    char **c = sim_out_attr_read_strings(f, "contents", &n);
    if (!c) return verify_fail(why, size, "its contents list is missing or unreadable (damaged file)");
    int rc = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        hid_t d = H5LTpath_valid(f, c[i], 1) > 0 ? H5Dopen2(f, c[i], H5P_DEFAULT) : H5I_INVALID_HID;
        if (d < 0) rc = verify_fail(why, size, "dataset /%s is missing (damaged file)", c[i]);
        else if (!sim_out_dataset_intact(d)) rc = verify_fail(why, size, "dataset /%s is damaged", c[i]);
        if (d >= 0) H5Dclose(d);
    }
    sim_out_free_strings(c, n);
    return rc;
}

int sim_out_verify(hid_t f, char *why, size_t size)
{
    static const char *const required[] = {"title", "scenario", "model", "toolkit_version", "git_hash",
                                           "command_line", "created", "time_origin", "seed", "replications"};
    /* First the superblock (already checked by H5Fopen): without metadata checksums
     * HDF5 1.10 decodes damaged attribute messages past its buffers, so nothing of
     * such a file is read. */
    H5F_info2_t fi;
    if (H5Fget_info2(f, &fi) < 0 || fi.super.version < 2)
        return verify_fail(why, size, "HDF5 metadata without checksums: not an output file of this sim (an earlier "
                                      "sim's format 1, or rewritten by another tool such as h5repack); rerun the scenario");
    long long fmt = 0;
    if (H5Aexists(f, "format_version") <= 0 || H5LTget_attribute_long_long(f, "/", "format_version", &fmt) < 0)
        return verify_fail(why, size, "no format_version attribute (not an output file of sim, or damaged)");
    if (fmt > SIM_FORMAT_VERSION)
        return verify_fail(why, size, "format_version %lld is newer than this sim reads (%d); use a newer sim",
                           fmt, SIM_FORMAT_VERSION);
    if (fmt < 2)
        return verify_fail(why, size, "format_version %lld is older than this sim reads (2); rerun the scenario", fmt);
    for (size_t i = 0; i < SIM_ARRAY_LEN(required); i++)
        if (H5Aexists(f, required[i]) <= 0)
            return verify_fail(why, size, "attribute %s is missing (damaged file)", required[i]);
    return verify_contents(f, why, size);
}

/* Keep an object's attributes (and a group's links) in its object header, which
 * carries a checksum, however many there are: HDF5's "dense" storage for more than
 * eight of them uses a fractal heap whose blocks are not checksummed, and HDF5 1.10
 * crashes on some damaged ones. 0 or -1. */
static int set_compact(hid_t plist, int links)
{
    if (H5Pset_attr_phase_change(plist, SIM_OUT_MAX_COMPACT, SIM_OUT_MAX_COMPACT) < 0) return -1;
    return (links && H5Pset_link_phase_change(plist, SIM_OUT_MAX_COMPACT, SIM_OUT_MAX_COMPACT) < 0) ? -1 : 0;
}

hid_t sim_out_group(hid_t loc, const char *name)
{
    hid_t pl = H5Pcreate(H5P_GROUP_CREATE);
    hid_t g = (pl >= 0 && set_compact(pl, 1) == 0) ? H5Gcreate2(loc, name, H5P_DEFAULT, pl, H5P_DEFAULT)
                                                   : H5I_INVALID_HID;
    if (pl >= 0) H5Pclose(pl);
    return g;
}

static sim_out *create(const char *path, int in_memory);

sim_out *sim_out_create(const char *path) { return create(path, 0); }
sim_out *sim_out_create_in_memory(const char *path) { return create(path, 1); }

/* in_memory: HDF5's core driver, whose image reaches the disk only at commit. */
static sim_out *create(const char *path, int in_memory)
{
    if (sim_output_check(path) != 0) return NULL;
    sim_out *out = calloc(1, sizeof *out);
    if (!out) return NULL;
    out->file = out->ev_dset = out->ev_mtype = H5I_INVALID_HID;
    out->path = strdup(path);
    if (!out->path || !(out->tmp = sim_partial_name(path))) {
        free(out->path);
        free(out);
        return NULL;
    }
    (void)sim_partial_clean(path);   /* what a killed earlier run on this host left */
    int fd = -1;
    if (pending_add(out->tmp) != 0)
        sim_log_error("%s: more than %d output files open at once (allowed: %d)", path, SIM_OUT_MAX_OPEN, SIM_OUT_MAX_OPEN);
    else if ((fd = open(out->tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644)) < 0)
        sim_log_error("%s: cannot create output file: %s", path, strerror(errno));
    if (fd < 0) {
        pending_remove(out->tmp);
        free(out->tmp);
        free(out->path);
        free(out);
        return NULL;
    }
    close(fd);
    /* The HDF5 1.10 object format: checksummed metadata and chunk indexes (see the
     * header); readable by HDF5 >= 1.10 and so by h5py, netCDF-4 and R's hdf5r
     * built on it. The root group keeps links and attributes compact. */
    hid_t fapl = H5Pcreate(H5P_FILE_ACCESS), fcpl = H5Pcreate(H5P_FILE_CREATE);
    if (fapl >= 0 && fcpl >= 0 && H5Pset_libver_bounds(fapl, H5F_LIBVER_V110, H5F_LIBVER_V110) >= 0
        && set_compact(fcpl, 1) == 0 && (!in_memory || H5Pset_fapl_core(fapl, (size_t)1 << 14, 1) >= 0))
        out->file = H5Fcreate(out->tmp, H5F_ACC_TRUNC, fcpl, fapl);
    if (fapl >= 0) H5Pclose(fapl);
    if (fcpl >= 0) H5Pclose(fcpl);
    if (out->file < 0) {
        sim_log_error("%s: cannot create the HDF5 file (disk full or file system read-only?)", path);
        sim_out_abort(out);
        return NULL;
    }
    return out;
}

hid_t sim_out_file(const sim_out *out) { return out->file; }

static void release(sim_out *out)
{
    if (out->ev_dset >= 0) H5Dclose(out->ev_dset);
    if (out->ev_mtype >= 0) H5Tclose(out->ev_mtype);
    pending_remove(out->tmp);
    free(out->ev_buf);
    free(out->tmp);
    free(out->path);
    free(out);
}

void sim_out_abort(sim_out *out)
{
    if (!out) return;
    if (out->file >= 0) H5Fclose(out->file);
    unlink(out->tmp);
    release(out);
}

int sim_out_finish(sim_out *out)
{
    int rc = 0;
    if (out->ev_dset >= 0 && sim_out_events_end(out) != 0) rc = -1;
    if (rc == 0 && write_contents(out->file) != 0) { fail(out, "the contents list"); rc = -1; }
    if (rc == 0 && H5Fflush(out->file, H5F_SCOPE_GLOBAL) < 0) { fail(out, "the file"); rc = -1; }
    if (H5Fclose(out->file) < 0 && rc == 0) { fail(out, "the file"); rc = -1; }
    out->file = H5I_INVALID_HID;
    if (rc == 0 && sim_output_check(out->path) != 0) rc = -1;   /* replaced by a device or an input meanwhile */
    return rc;
}

int sim_out_publish(sim_out *out)
{
    SIM_ASSERT(out->file < 0);   /* finished */
    int rc = 0;
    if (sim_file_publish(out->tmp, out->path) != 0) {
        sim_log_error("%s: cannot put the finished output in place: %s", out->path, strerror(errno));
        unlink(out->tmp);
        rc = -1;
    }
    release(out);
    return rc;
}

int sim_out_commit(sim_out *out)
{
    if (sim_out_finish(out) != 0) {
        sim_out_abort(out);
        return -1;
    }
    return sim_out_publish(out);
}

/* ------------------------------------------------------------- helpers -- */

int sim_out_attr_string(hid_t obj, const char *name, const char *value)
{
    hid_t t = H5Tcopy(H5T_C_S1);
    H5Tset_size(t, strlen(value) + 1);
    hid_t sp = H5Screate(H5S_SCALAR);
    hid_t a = H5Acreate2(obj, name, t, sp, H5P_DEFAULT, H5P_DEFAULT);
    herr_t rc = a >= 0 ? H5Awrite(a, t, value) : -1;
    if (a >= 0) H5Aclose(a);
    H5Sclose(sp);
    H5Tclose(t);
    return rc < 0 ? -1 : 0;
}

static int attr_scalar(hid_t obj, const char *name, hid_t type, const void *v);

int sim_out_attr_int(hid_t obj, const char *name, int value)
{
    int32_t v = value;
    return attr_scalar(obj, name, H5T_NATIVE_INT32, &v);
}

static int attr_scalar(hid_t obj, const char *name, hid_t type, const void *v)
{
    hid_t sp = H5Screate(H5S_SCALAR);
    hid_t a = H5Acreate2(obj, name, type, sp, H5P_DEFAULT, H5P_DEFAULT);
    herr_t rc = a >= 0 ? H5Awrite(a, type, v) : -1;
    if (a >= 0) H5Aclose(a);
    H5Sclose(sp);
    return rc < 0 ? -1 : 0;
}

/* Pack strings v[0..n) into one buffer of fixed width; the caller frees it. */
static char *pack_strings(const char *const *v, size_t n, size_t *width)
{
    size_t w = 1;
    for (size_t i = 0; i < n; i++)
        if (strlen(v[i]) + 1 > w) w = strlen(v[i]) + 1;
    char *buf = calloc(n ? n : 1, w);
    if (buf)
        for (size_t i = 0; i < n; i++) memcpy(buf + i * w, v[i], strlen(v[i]));
    *width = w;
    return buf;
}

hid_t sim_out_string_table(hid_t loc, const char *name, const char *const *v, size_t n)
{
    size_t w;
    char *buf = pack_strings(v, n, &w);
    if (!buf) return H5I_INVALID_HID;
    hid_t t = H5Tcopy(H5T_C_S1);
    H5Tset_size(t, w);
    hid_t d = sim_out_table(loc, name, t, n, buf);
    H5Tclose(t);
    free(buf);
    return d;
}

int sim_out_strings(hid_t loc, const char *name, const char *const *v, size_t n)
{
    hid_t d = sim_out_string_table(loc, name, v, n);
    if (d >= 0) H5Dclose(d);
    return d < 0 ? -1 : 0;
}

/* A type that readers may convert: numbers, strings, enums, compounds of those. */
static int type_intact(hid_t t, int depth)
{
    size_t size = H5Tget_size(t);
    H5T_class_t cls = H5Tget_class(t);
    if (size == 0 || size > (1u << 20) || depth > 4) return 0;
    if (cls == H5T_INTEGER || cls == H5T_FLOAT || cls == H5T_ENUM) return size <= 16;
    if (cls == H5T_STRING) return 1;
    if (cls != H5T_COMPOUND) return 0;
    int n = H5Tget_nmembers(t), ok = n > 0 && n < 4096;
    for (int i = 0; ok && i < n; i++) {
        hid_t m = H5Tget_member_type(t, (unsigned)i);
        ok = m >= 0 && type_intact(m, depth + 1)
          && H5Tget_member_offset(t, (unsigned)i) + H5Tget_size(m) <= size;
        if (m >= 0) H5Tclose(m);
    }
    return ok;
}

int sim_out_dataset_intact(hid_t d)
{
    hid_t t = H5Dget_type(d), sp = H5Dget_space(d), pl = H5Dget_create_plist(d);
    int ok = t >= 0 && sp >= 0 && pl >= 0 && H5Sis_simple(sp) > 0 && type_intact(t, 0);
    hssize_t n = ok ? H5Sget_simple_extent_npoints(sp) : -1;
    ok = ok && n >= 0 && n < ((hssize_t)1 << 40);
    if (ok && H5Pget_layout(pl) == H5D_CONTIGUOUS)
        ok = H5Dget_storage_size(d) >= (hsize_t)n * H5Tget_size(t);
    if (t >= 0) H5Tclose(t);
    if (sp >= 0) H5Sclose(sp);
    if (pl >= 0) H5Pclose(pl);
    return ok;
}

int sim_out_is_group(hid_t loc, const char *name)
{
    H5O_info_t oi;
    return H5Lexists(loc, name, H5P_DEFAULT) > 0 && H5Oget_info_by_name2(loc, name, &oi, H5O_INFO_BASIC, H5P_DEFAULT) >= 0
        && oi.type == H5O_TYPE_GROUP;
}

/* One element of H5DS's REFERENCE_LIST attribute: a dataset the scale is attached to. */
typedef struct {
    hobj_ref_t ref;   /* HDF5 1.10: the object's address */
    int        dim;
} scale_ref;

int sim_out_scale_attached(hid_t d, unsigned dim, hid_t scale)
{
    H5O_info_t di;
    if (H5Oget_info2(d, &di, H5O_INFO_BASIC) < 0 || H5Aexists(scale, "REFERENCE_LIST") <= 0) return 0;
    hid_t a = H5Aopen(scale, "REFERENCE_LIST", H5P_DEFAULT);
    hid_t sp = a >= 0 ? H5Aget_space(a) : H5I_INVALID_HID;
    hssize_t n = sp >= 0 ? H5Sget_simple_extent_npoints(sp) : -1;
    hid_t mt = H5Tcreate(H5T_COMPOUND, sizeof(scale_ref));
    int ok = mt >= 0 && H5Tinsert(mt, "dataset", HOFFSET(scale_ref, ref), H5T_STD_REF_OBJ) >= 0
             && H5Tinsert(mt, "dimension", HOFFSET(scale_ref, dim), H5T_NATIVE_INT) >= 0;
    scale_ref *v = ok && n > 0 && n < ATTR_LIST_MAX ? calloc((size_t)n, sizeof *v) : NULL;
    int yes = 0;
    if (v && H5Aread(a, mt, v) >= 0)
        for (hssize_t i = 0; !yes && i < n; i++) yes = v[i].dim == (int)dim && v[i].ref == di.addr;
    free(v);
    if (mt >= 0) H5Tclose(mt);
    if (sp >= 0) H5Sclose(sp);
    if (a >= 0) H5Aclose(a);
    return yes;
}

int sim_out_dataset_reads(hid_t f, const char *name)
{
    hid_t d = H5LTpath_valid(f, name, 1) > 0 ? H5Dopen2(f, name, H5P_DEFAULT) : H5I_INVALID_HID;
    hid_t t = d >= 0 && sim_out_dataset_intact(d) ? H5Dget_type(d) : H5I_INVALID_HID;
    hid_t nt = t >= 0 ? H5Tget_native_type(t, H5T_DIR_DEFAULT) : H5I_INVALID_HID, sp = d >= 0 ? H5Dget_space(d) : -1;
    hssize_t n = sp >= 0 ? H5Sget_simple_extent_npoints(sp) : -1;
    size_t bytes = nt >= 0 && n >= 0 ? (size_t)n * H5Tget_size(nt) : 0;
    void *buf = nt >= 0 && n >= 0 && bytes <= SIM_OUT_READ_CHECK_MAX ? malloc(bytes ? bytes : 1) : NULL;
    int ok = buf && sim_out_read(d, nt, buf) >= 0;
    free(buf);
    if (sp >= 0) H5Sclose(sp);
    if (nt >= 0) H5Tclose(nt);
    if (t >= 0) H5Tclose(t);
    if (d >= 0) H5Dclose(d);
    return ok;
}

herr_t sim_out_read(hid_t d, hid_t mem_type, void *buf)
{
    hid_t ft = H5Dget_type(d), sp = H5Dget_space(d), pl = H5Pcreate(H5P_DATASET_XFER);
    hssize_t n = sp >= 0 ? H5Sget_simple_extent_npoints(sp) : -1;
    size_t fs = ft >= 0 ? H5Tget_size(ft) : 0, ms = H5Tget_size(mem_type), elem = fs > ms ? fs : ms;
    herr_t rc = -1;
    if (ft >= 0 && sp >= 0 && pl >= 0 && n >= 0 && elem > 0) {
        size_t bytes = (size_t)n > SIM_OUT_TCONV_MAX / elem ? SIM_OUT_TCONV_MAX : (size_t)n * elem;
        if (bytes < elem) bytes = elem;
        if (H5Pset_buffer(pl, bytes, NULL, NULL) >= 0) rc = H5Dread(d, mem_type, H5S_ALL, H5S_ALL, pl, buf);
    }
    if (ft >= 0) H5Tclose(ft);
    if (sp >= 0) H5Sclose(sp);
    if (pl >= 0) H5Pclose(pl);
    return rc;
}

/* A dataset-creation property list (the caller closes it): chunks of extent `chunk`,
 * each with a Fletcher-32 checksum, after shuffle + deflate level 1 when `compress`;
 * chunk NULL (a dataset with a zero dimension: nothing to protect, and HDF5 needs
 * chunk extents > 0) gives contiguous storage. Attributes stay compact either way. */
static hid_t checked_dcpl(int rank, const hsize_t *chunk, int compress)
{
    hid_t pl = H5Pcreate(H5P_DATASET_CREATE);
    if (pl >= 0 && set_compact(pl, 0) != 0) {
        H5Pclose(pl);
        return H5I_INVALID_HID;
    }
    if (pl < 0 || !chunk) return pl;
    int rc = H5Pset_chunk(pl, rank, chunk) < 0;
    if (!rc && compress) rc = H5Pset_shuffle(pl) < 0 || H5Pset_deflate(pl, 1) < 0;
    /* Last in the write pipeline, so first on read: stored bytes are checked
     * before anything (inflate included) interprets them. */
    if (!rc) rc = H5Pset_fletcher32(pl) < 0;
    if (rc) {
        H5Pclose(pl);
        return H5I_INVALID_HID;
    }
    return pl;
}

/* Chunks of whole rows (all but the first dimension) holding about SIM_OUT_CHUNK_BYTES:
 * HDF5 limits a chunk to 4 GiB, and a reader decodes and checks whole chunks. Leaves
 * chunk untouched and returns NULL when a dimension is 0 (no chunking). */
static const hsize_t *row_chunks(hid_t type, int rank, const hsize_t *dims, hsize_t *chunk)
{
    hsize_t row = H5Tget_size(type);
    for (int i = 0; i < rank; i++)
        if (dims[i] == 0) return NULL;
    for (int i = 1; i < rank; i++) row *= (chunk[i] = dims[i]);
    hsize_t rows = row ? SIM_OUT_CHUNK_BYTES / row : 1;
    chunk[0] = rows < 1 ? 1 : rows < dims[0] ? rows : dims[0];
    return chunk;
}

hid_t sim_out_array(hid_t loc, const char *name, hid_t type, int rank, const hsize_t *dims, const void *data)
{
    hsize_t chunk[H5S_MAX_RANK];
    if (rank < 1 || rank > H5S_MAX_RANK) return H5I_INVALID_HID;
    hid_t sp = H5Screate_simple(rank, dims, NULL), pl = checked_dcpl(rank, row_chunks(type, rank, dims, chunk), 0);
    hid_t d = (sp >= 0 && pl >= 0) ? H5Dcreate2(loc, name, type, sp, H5P_DEFAULT, pl, H5P_DEFAULT) : H5I_INVALID_HID;
    if (sp >= 0) H5Sclose(sp);
    if (pl >= 0) H5Pclose(pl);
    if (d >= 0 && H5Dwrite(d, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) < 0) {
        H5Dclose(d);
        return H5I_INVALID_HID;
    }
    return d;
}

hid_t sim_out_table(hid_t loc, const char *name, hid_t type, size_t n, const void *rows)
{
    hsize_t dim = n;
    return sim_out_array(loc, name, type, 1, &dim, rows);
}

int sim_out_attr_strings(hid_t obj, const char *name, const char *const *v, size_t n)
{
    size_t w;
    char *buf = pack_strings(v, n, &w);
    if (!buf) return -1;
    hid_t t = H5Tcopy(H5T_C_S1);
    H5Tset_size(t, w);
    hsize_t dim = n;
    hid_t sp = H5Screate_simple(1, &dim, NULL);
    hid_t a = H5Acreate2(obj, name, t, sp, H5P_DEFAULT, H5P_DEFAULT);
    herr_t rc = a >= 0 ? H5Awrite(a, t, buf) : -1;
    if (a >= 0) H5Aclose(a);
    H5Sclose(sp);
    H5Tclose(t);
    free(buf);
    return rc < 0 ? -1 : 0;
}

void sim_out_free_strings(char **v, size_t n)
{
    for (size_t i = 0; v && i < n; i++) free(v[i]);
    free(v);
}

char *sim_out_attr_pairs(hid_t f, const char *names, const char *values)
{
    size_t n = 0, size = 1, len = 0;
    hsize_t dims[1] = {0};
    H5T_class_t cls;
    size_t tsize;
    char **k = sim_out_attr_read_strings(f, names, &n), *out = NULL;
    double *v = n ? calloc(n, sizeof *v) : NULL;
    if (v && H5Aexists(f, values) > 0 && H5LTget_attribute_info(f, "/", values, dims, &cls, &tsize) >= 0
        && dims[0] == n && H5LTget_attribute_double(f, "/", values, v) >= 0) {
        for (size_t j = 0; j < n; j++) size += strlen(k[j]) + 32;   /* " key=" and a %.15g number */
        out = malloc(size);
        for (size_t j = 0; out && j < n; j++) len += (size_t)snprintf(out + len, size - len, " %s=%.15g", k[j], v[j]);
        if (out && !n) out[0] = '\0';
    }
    free(v);
    sim_out_free_strings(k, n);
    return out;
}

char **sim_out_attr_read_strings(hid_t obj, const char *name, size_t *n)
{
    *n = 0;
    if (H5Aexists(obj, name) <= 0) return NULL;
    hid_t a = H5Aopen(obj, name, H5P_DEFAULT);
    hid_t t = a >= 0 ? H5Aget_type(a) : H5I_INVALID_HID;
    hid_t sp = a >= 0 ? H5Aget_space(a) : H5I_INVALID_HID;
    hssize_t count = sp >= 0 ? H5Sget_simple_extent_npoints(sp) : -1;
    int ok = t >= 0 && count > 0 && count < ATTR_LIST_MAX && H5Tget_class(t) == H5T_STRING && H5Tis_variable_str(t) == 0;
    size_t w = ok ? H5Tget_size(t) : 0;
    char *buf = ok ? calloc((size_t)count, w) : NULL;
    char **v = buf && H5Aread(a, t, buf) >= 0 ? calloc((size_t)count, sizeof *v) : NULL;
    for (size_t i = 0; v && i < (size_t)count; i++, (*n)++)
        if (!(v[i] = strndup(buf + i * w, w))) break;
    free(buf);
    if (sp >= 0) H5Sclose(sp);
    if (t >= 0) H5Tclose(t);
    if (a >= 0) H5Aclose(a);
    if (v && *n != (size_t)count) { sim_out_free_strings(v, *n); v = NULL; *n = 0; }
    return v;
}

static void cf_units(long origin_days, char *buf, size_t size)
{
    char date[16];
    sim_date_format(origin_days, date);
    snprintf(buf, size, "days since %s", date);
}

/* ---------------------------------------------------------- provenance -- */

int sim_out_provenance(sim_out *out, const sim_provenance *p)
{
    char created[32], origin[16];
    time_t now = time(NULL);
    struct tm tm;
    strftime(created, sizeof created, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&now, &tm));
    sim_date_format(p->origin_days, origin);
    int64_t seed = (int64_t)p->seed;
    int32_t reps = p->replications, fmt = SIM_FORMAT_VERSION;
    hid_t root = out->file;
    int rc = sim_out_attr_string(root, "title", p->title)
           | sim_out_attr_string(root, "scenario", p->scenario)
           | sim_out_attr_string(root, "model", p->model)
           | sim_out_attr_string(root, "toolkit_version", SIM_VERSION)
           | sim_out_attr_string(root, "git_hash", SIM_GIT_HASH)
           | sim_out_attr_string(root, "command_line", p->command_line)
           | sim_out_attr_string(root, "created", created)
           | sim_out_attr_string(root, "time_origin", origin)
           | attr_scalar(root, "seed", H5T_NATIVE_INT64, &seed)
           | attr_scalar(root, "replications", H5T_NATIVE_INT32, &reps)
           | attr_scalar(root, "format_version", H5T_NATIVE_INT32, &fmt);
    if (p->population_key && isfinite(p->population))
        rc |= sim_out_attr_string(root, "population_key", p->population_key)
            | attr_scalar(root, "population", H5T_NATIVE_DOUBLE, &p->population);
    if (rc) fail(out, "provenance attributes");
    return rc ? -1 : 0;
}

int sim_out_time_end(sim_out *out, long origin_days, double end)
{
    if (!isfinite(end)) return 0;
    char date[16];
    sim_date_format(origin_days + (long)floor(end), date);
    if (sim_out_attr_string(out->file, "time_end", date) == 0) return 0;
    fail(out, "the time_end attribute");
    return -1;
}

/* ---------------------------------------------------------- parameters -- */

typedef struct {
    char  (*path)[PATH_FIELD];
    double *value;
    size_t  n, cap;
} param_rows;

static void collect_param(const char *path, double value, void *user)
{
    param_rows *r = user;
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 256;
        void *p = realloc(r->path, cap * sizeof *r->path);
        if (!p) return;
        r->path = p;
        void *v = realloc(r->value, cap * sizeof *r->value);
        if (!v) return;
        r->value = v;
        r->cap = cap;
    }
    memset(r->path[r->n], 0, PATH_FIELD);   /* fixed-width field: no stray bytes on disk */
    snprintf(r->path[r->n], PATH_FIELD, "%s", path);
    r->value[r->n++] = value;
}

static int write_param_values(hid_t grp, const param_rows *r)
{
    typedef struct { char path[PATH_FIELD]; double value; } row;
    row *rows = calloc(r->n ? r->n : 1, sizeof *rows);
    if (!rows) return -1;
    for (size_t i = 0; i < r->n; i++) {
        memcpy(rows[i].path, r->path[i], PATH_FIELD);
        rows[i].value = r->value[i];
    }
    hid_t st = H5Tcopy(H5T_C_S1);
    H5Tset_size(st, PATH_FIELD);
    hid_t t = H5Tcreate(H5T_COMPOUND, sizeof(row));
    H5Tinsert(t, "path", HOFFSET(row, path), st);
    H5Tinsert(t, "value", HOFFSET(row, value), H5T_NATIVE_DOUBLE);
    hid_t d = sim_out_table(grp, "values", t, r->n, rows);
    if (d >= 0) H5Dclose(d);
    H5Tclose(t);
    H5Tclose(st);
    free(rows);
    return d < 0 ? -1 : 0;
}

int sim_out_parameters(sim_out *out, const sim_config *cfg)
{
    char *text = sim_config_resolved_text(cfg);
    param_rows rows = {0};
    sim_config_each_number(cfg, collect_param, &rows);
    hid_t g = sim_out_group(out->file, "parameters");
    const char *one[1] = {text ? text : ""};
    int rc = g < 0 || !text;
    if (!rc) rc = sim_out_strings(g, "scenario", one, 1) | write_param_values(g, &rows);
    if (g >= 0) H5Gclose(g);
    free(rows.path);
    free(rows.value);
    free(text);
    if (rc) fail(out, "/parameters");
    return rc ? -1 : 0;
}

/* ------------------------------------------------------------- summary -- */

/* /outcomes/<field>: the /summary columns again as 1-D datasets over the
 * `replication` scale, each with CF `units` and `long_name`, so that a generic
 * reader (xarray, netCDF, R) sees every field's unit; /summary stays the table. */
static int outcomes(hid_t f, const sim_schema *s, size_t nrep, const double *data)
{
    hid_t g = sim_out_group(f, "outcomes");
    int32_t *reps = malloc((nrep ? nrep : 1) * sizeof *reps);
    double *col = malloc((nrep ? nrep : 1) * sizeof *col);
    int rc = g < 0 || !reps || !col;
    for (size_t r = 0; !rc && r < nrep; r++) reps[r] = (int32_t)r;
    hid_t sc = rc ? H5I_INVALID_HID : sim_out_table(g, "replication", H5T_NATIVE_INT32, nrep, reps);
    rc = rc || sc < 0 || H5DSset_scale(sc, "replication") < 0;
    for (size_t k = 0; !rc && k < s->n_summary; k++) {
        for (size_t r = 0; r < nrep; r++) col[r] = data[r * s->n_summary + k];
        hid_t d = sim_out_table(g, s->summary[k].name, H5T_NATIVE_DOUBLE, nrep, col);
        rc = d < 0 || H5DSattach_scale(d, sc, 0) < 0 || sim_out_attr_string(d, "units", s->summary[k].unit)
          || sim_out_attr_string(d, "long_name", s->summary[k].description);
        if (d >= 0) H5Dclose(d);
    }
    if (sc >= 0) H5Dclose(sc);
    if (g >= 0) H5Gclose(g);
    free(reps);
    free(col);
    return rc ? -1 : 0;
}

int sim_out_summary(sim_out *out, const sim_schema *s, size_t nrep, const double *data)
{
    size_t rowsize = sizeof(double) * (s->n_summary + 1);
    hid_t t = H5Tcreate(H5T_COMPOUND, rowsize);
    H5Tinsert(t, "replication", 0, H5T_NATIVE_INT32);
    for (size_t f = 0; f < s->n_summary; f++)
        H5Tinsert(t, s->summary[f].name, sizeof(double) * (f + 1), H5T_NATIVE_DOUBLE);
    char *buf = calloc(nrep ? nrep : 1, rowsize);
    for (size_t r = 0; buf && r < nrep; r++) {
        int32_t rep = (int32_t)r;
        memcpy(buf + r * rowsize, &rep, sizeof rep);
        memcpy(buf + r * rowsize + sizeof(double), data + r * s->n_summary, sizeof(double) * s->n_summary);
    }
    hid_t d = buf ? sim_out_table(out->file, "summary", t, nrep, buf) : H5I_INVALID_HID;
    int rc = d < 0;
    const char **units = malloc((s->n_summary + 1) * sizeof *units);
    const char **descr = malloc((s->n_summary + 1) * sizeof *descr);
    if (!rc && units && descr) {
        units[0] = "1";
        descr[0] = "replication index";
        for (size_t f = 0; f < s->n_summary; f++) {
            units[f + 1] = s->summary[f].unit;
            descr[f + 1] = s->summary[f].description;
        }
        rc = sim_out_attr_strings(d, "units", units, s->n_summary + 1)
           | sim_out_attr_strings(d, "descriptions", descr, s->n_summary + 1);
    }
    free(units);
    free(descr);
    if (d >= 0) H5Dclose(d);
    H5Tclose(t);
    free(buf);
    if (!rc) rc = outcomes(out->file, s, nrep, data);
    if (rc) fail(out, "/summary");
    return rc ? -1 : 0;
}

/* -------------------------------------------------------------- series -- */

/* time_bnds [time][nv]: the interval each row covers (CF cell boundaries), with
 * its own two-value scale `nv` so that netCDF readers see named dimensions. */
static int series_bounds(hid_t g, const sim_schema *s, hid_t time_scale)
{
    size_t nt = s->n_steps;
    double *b = malloc((nt ? 2 * nt : 2) * sizeof *b);
    if (!b) return -1;
    for (size_t i = 0; i < nt; i++) b[2 * i] = sim_schema_obs_start(s, i), b[2 * i + 1] = sim_schema_obs_time(s, i);
    static const int32_t nv_values[2] = {0, 1};
    hid_t nv = sim_out_table(g, "nv", H5T_NATIVE_INT32, 2, nv_values);
    hsize_t dims[2] = {nt, 2};
    hid_t d = sim_out_array(g, "time_bnds", H5T_NATIVE_DOUBLE, 2, dims, b);
    int rc = nv < 0 || d < 0 || H5DSset_scale(nv, "nv") < 0 || H5DSattach_scale(d, time_scale, 0) < 0
          || H5DSattach_scale(d, nv, 1) < 0 || sim_out_attr_string(time_scale, "bounds", "time_bnds");
    if (d >= 0) H5Dclose(d);
    if (nv >= 0) H5Dclose(nv);
    free(b);
    return rc ? -1 : 0;
}

/* Create the three dimension-scale datasets in group g. A row's time is the start
 * of the interval it covers (the calendar month for the labour-market model):
 * flows are sums over the interval, stocks are observed at its end (time_bnds). */
static int series_scales(hid_t g, const sim_schema *s, size_t nrep, long origin_days, hid_t sc[3])
{
    int rc = 0;
    int32_t *reps = malloc((nrep ? nrep : 1) * sizeof *reps);
    double *times = malloc((s->n_steps ? s->n_steps : 1) * sizeof *times);
    if (!reps || !times) rc = -1;
    for (size_t i = 0; !rc && i < nrep; i++) reps[i] = (int32_t)i;
    for (size_t i = 0; !rc && i < s->n_steps; i++) times[i] = sim_schema_obs_start(s, i);
    sc[0] = rc ? H5I_INVALID_HID : sim_out_table(g, "replication", H5T_NATIVE_INT32, nrep, reps);
    sc[1] = rc ? H5I_INVALID_HID : sim_out_table(g, "time", H5T_NATIVE_DOUBLE, s->n_steps, times);
    if (!rc) rc = sim_out_strings(g, s->column_dim, s->columns, s->n_columns);
    free(reps);
    free(times);
    sc[2] = rc ? H5I_INVALID_HID : H5Dopen2(g, s->column_dim, H5P_DEFAULT);
    if (sc[0] < 0 || sc[1] < 0 || sc[2] < 0) return -1;
    char units[64];
    cf_units(origin_days, units, sizeof units);
    rc = H5DSset_scale(sc[0], "replication") < 0 || H5DSset_scale(sc[1], "time") < 0
       || H5DSset_scale(sc[2], s->column_dim) < 0 || sim_out_attr_string(sc[1], "units", units)
       || sim_out_attr_string(sc[1], "calendar", "proleptic_gregorian")
       || sim_out_attr_string(sc[1], "long_name", "start of the interval (stocks at its end, flows over it)")
       || series_bounds(g, s, sc[1]);
    return rc ? -1 : 0;
}

/* One series dataset: copy series f out of the interleaved data. */
static int series_one(hid_t g, const sim_schema *s, size_t f, size_t nrep, const double *data,
                      const hid_t sc[3])
{
    size_t nt = s->n_steps, nc = s->n_columns, ns = s->n_series;
    size_t total = nrep * nt * nc;
    double *buf = malloc((total ? total : 1) * sizeof *buf);
    if (!buf) return -1;
    for (size_t r = 0; r < nrep; r++)
        for (size_t t = 0; t < nt; t++)
            memcpy(buf + (r * nt + t) * nc, data + ((r * nt + t) * ns + f) * nc, nc * sizeof *buf);
    hsize_t dims[3] = {nrep, nt, nc};
    hid_t sp = H5Screate_simple(3, dims, NULL);
    /* One chunk per replication, shuffle + deflate: counts compress several-fold. */
    hsize_t chunk[3] = {1, nt, nc};
    hid_t pl = checked_dcpl(3, (nrep && nt && nc) ? chunk : NULL, 1);
    hid_t d = pl < 0 ? H5I_INVALID_HID : H5Dcreate2(g, s->series[f].name, H5T_NATIVE_DOUBLE, sp, H5P_DEFAULT, pl, H5P_DEFAULT);
    if (pl >= 0) H5Pclose(pl);
    int rc = d < 0 || H5Dwrite(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) < 0;
    for (unsigned i = 0; !rc && i < 3; i++) rc = H5DSattach_scale(d, sc[i], i) < 0;
    if (!rc) rc = sim_out_attr_string(d, "units", s->series[f].unit)
                | sim_out_attr_string(d, "long_name", s->series[f].description);
    if (d >= 0) H5Dclose(d);
    H5Sclose(sp);
    free(buf);
    return rc ? -1 : 0;
}

int sim_out_series(sim_out *out, const sim_schema *s, size_t nrep, const double *data,
                   long origin_days)
{
    if (s->n_steps == 0 || s->n_series == 0) return 0;
    hid_t g = sim_out_group(out->file, "series");
    hid_t sc[3] = {H5I_INVALID_HID, H5I_INVALID_HID, H5I_INVALID_HID};
    int rc = g < 0 || series_scales(g, s, nrep, origin_days, sc) != 0;
    for (size_t f = 0; !rc && f < s->n_series; f++) rc = series_one(g, s, f, nrep, data, sc);
    for (int i = 0; i < 3; i++)
        if (sc[i] >= 0) H5Dclose(sc[i]);
    if (g >= 0) H5Gclose(g);
    if (rc) fail(out, "/series");
    return rc ? -1 : 0;
}

/* -------------------------------------------------------------- events -- */

static hid_t scalar_type(sim_scalar t)
{
    switch (t) {
    case SIM_U8: return H5T_NATIVE_UINT8;
    case SIM_U16: return H5T_NATIVE_UINT16;
    case SIM_U32: return H5T_NATIVE_UINT32;
    case SIM_F32: return H5T_NATIVE_FLOAT;
    case SIM_F64: return H5T_NATIVE_DOUBLE;
    }
    return H5I_INVALID_HID;
}

/* The HDF5 type of one field (the caller closes it): an enum over the field's
 * integer type when it has labels, else a copy of the scalar type. */
static hid_t field_type(const sim_record_field *f)
{
    hid_t base = scalar_type(f->type);
    if (f->labels.n == 0) return H5Tcopy(base);
    SIM_ASSERT(f->type == SIM_U8 || f->type == SIM_U16);
    SIM_ASSERT(f->labels.n <= (f->type == SIM_U8 ? 256u : 65536u));
    hid_t t = H5Tenum_create(base);
    for (size_t i = 0; i < f->labels.n; i++) {
        uint8_t v8 = (uint8_t)i;
        uint16_t v16 = (uint16_t)i;
        H5Tenum_insert(t, f->labels.names[i], f->type == SIM_U8 ? (const void *)&v8 : (const void *)&v16);
    }
    return t;
}

/* The row type of /events from the model's record: in memory (mtype) the fields
 * at the model's offsets in a row of rec->size bytes; on disk (*ftype) the same
 * fields in table order at packed offsets. H5Dwrite converts by name. */
static hid_t events_types(const sim_record *rec, hid_t *ftype)
{
    size_t packed = 0;
    for (size_t i = 0; i < rec->n_fields; i++) {
        hid_t ft = field_type(&rec->fields[i]);
        packed += H5Tget_size(ft);
        H5Tclose(ft);
    }
    hid_t mtype = H5Tcreate(H5T_COMPOUND, rec->size);
    *ftype = H5Tcreate(H5T_COMPOUND, packed);
    size_t offset = 0;
    for (size_t i = 0; i < rec->n_fields; i++) {
        const sim_record_field *f = &rec->fields[i];
        hid_t ft = field_type(f);
        SIM_ASSERT(f->offset + H5Tget_size(ft) <= rec->size);   /* the record invariant */
        H5Tinsert(mtype, f->name, f->offset, ft);
        H5Tinsert(*ftype, f->name, offset, ft);
        offset += H5Tget_size(ft);
        H5Tclose(ft);
    }
    return mtype;
}

/* The record's units, one per field in table order, as the dataset's "units"
 * (a field `time` in "days" is written with CF units "days since <origin>"),
 * and each unit again as "<field>_units" (time_units, cost_units, ...). */
static int events_units(hid_t d, const sim_record *rec, const char *cf_time)
{
    const char **units = malloc((rec->n_fields ? rec->n_fields : 1) * sizeof *units);
    if (!units) return -1;
    int rc = 0;
    for (size_t i = 0; i < rec->n_fields; i++) {
        const sim_record_field *f = &rec->fields[i];
        units[i] = !strcmp(f->name, "time") && !strcmp(f->unit, "days") ? cf_time : f->unit;
        char name[80];
        snprintf(name, sizeof name, "%s_units", f->name);
        if (units[i][0]) rc |= sim_out_attr_string(d, name, units[i]);
    }
    rc |= sim_out_attr_strings(d, "units", units, rec->n_fields);
    free(units);
    return rc ? -1 : 0;
}

int sim_out_events_begin(sim_out *out, const sim_schema *s, long origin_days)
{
    SIM_ASSERT(s->trace.size > 0 && s->trace.n_fields > 0);
    hid_t ftype;
    out->ev_mtype = events_types(&s->trace, &ftype);
    out->ev_size = s->trace.size;
    out->ev_buf = malloc(EVENTS_CHUNK * out->ev_size);
    hsize_t dim = 0, maxdim = H5S_UNLIMITED, chunk = EVENTS_CHUNK;
    hid_t sp = H5Screate_simple(1, &dim, &maxdim);
    hid_t pl = checked_dcpl(1, &chunk, 1);
    out->ev_dset = pl < 0 ? H5I_INVALID_HID : H5Dcreate2(out->file, "events", ftype, sp, H5P_DEFAULT, pl, H5P_DEFAULT);
    if (pl >= 0) H5Pclose(pl);
    H5Sclose(sp);
    H5Tclose(ftype);
    char units[64];
    cf_units(origin_days, units, sizeof units);
    int rc = !out->ev_buf || out->ev_dset < 0 || events_units(out->ev_dset, &s->trace, units);
    if (rc) fail(out, "/events");
    return rc ? -1 : 0;
}

static int events_flush(sim_out *out)
{
    if (out->ev_n == 0) return 0;
    hsize_t start = out->ev_rows, count = out->ev_n, total = out->ev_rows + out->ev_n;
    int rc = H5Dset_extent(out->ev_dset, &total) < 0;
    hid_t fs = rc ? -1 : H5Dget_space(out->ev_dset);
    hid_t ms = H5Screate_simple(1, &count, NULL);
    if (!rc) rc = H5Sselect_hyperslab(fs, H5S_SELECT_SET, &start, NULL, &count, NULL) < 0
                || H5Dwrite(out->ev_dset, out->ev_mtype, ms, fs, H5P_DEFAULT, out->ev_buf) < 0;
    if (fs >= 0) H5Sclose(fs);
    H5Sclose(ms);
    if (rc) { fail(out, "/events"); return -1; }
    out->ev_rows = total;
    out->ev_n = 0;
    return 0;
}

int sim_out_events_append(sim_out *out, const void *rows, size_t n)
{
    const unsigned char *src = rows;
    while (n > 0) {
        size_t take = EVENTS_CHUNK - out->ev_n < n ? EVENTS_CHUNK - out->ev_n : n;
        memcpy(out->ev_buf + out->ev_n * out->ev_size, src, take * out->ev_size);
        out->ev_n += take;
        src += take * out->ev_size;
        n -= take;
        if (out->ev_n == EVENTS_CHUNK && events_flush(out) != 0) return -1;
    }
    return 0;
}

int sim_out_events_end(sim_out *out)
{
    int rc = events_flush(out);
    H5Dclose(out->ev_dset);
    out->ev_dset = H5I_INVALID_HID;
    return rc;
}

/* ------------------------------------------------------------- signals -- */

static void on_signal(int sig)
{
    static const char removed[] = "\nsim: interrupted; removed the unfinished output file\n";
    static const char plain[] = "\nsim: interrupted\n";
    int any = 0;
    for (int i = 0; i < SIM_OUT_MAX_OPEN; i++) {
        char *tmp = pending_tmp[i];
        if (tmp) unlink(tmp), any = 1;
    }
    const char *msg = any ? removed : plain;
    size_t len = any ? sizeof removed - 1 : sizeof plain - 1;
    if ((any || sig != SIGPIPE) && write(STDERR_FILENO, msg, len) < 0) { /* nothing more to do */ }
    signal(sig, SIG_DFL);
    raise(sig);
}

void sim_out_install_signal_cleanup(void)
{
    /* Every signal whose default action ends the process without a crash report
     * (crash signals keep the sanitizers' and the core dump's handlers; SIGPROF and
     * SIGVTALRM stay with profilers). INT and TERM always (as before); another one
     * the caller ignores (nohup: SIGHUP) stays ignored. */
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGALRM, SIGUSR1, SIGUSR2, SIGXCPU};
    for (size_t i = 0; i < SIM_ARRAY_LEN(sigs); i++) {
        struct sigaction old;
        if (i >= 2 && sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN) continue;
        signal(sigs[i], on_signal);
    }
    signal(SIGXFSZ, SIG_IGN);   /* a file-size limit becomes a write error, not a kill */
}

char *sim_out_attr_read_string(hid_t obj, const char *name)
{
    if (H5Aexists(obj, name) <= 0) return NULL;
    hid_t a = H5Aopen(obj, name, H5P_DEFAULT);
    hid_t t = a >= 0 ? H5Aget_type(a) : H5I_INVALID_HID;
    char *s = NULL;
    if (t >= 0 && H5Tget_class(t) == H5T_STRING && H5Tis_variable_str(t) > 0) {
        hid_t m = H5Tcopy(H5T_C_S1);
        H5Tset_size(m, H5T_VARIABLE);
        char *v = NULL;
        if (H5Aread(a, m, &v) >= 0 && v) { s = strdup(v); H5free_memory(v); }
        H5Tclose(m);
    } else if (t >= 0 && H5Tget_class(t) == H5T_STRING) {
        size_t n = H5Tget_size(t);
        s = calloc(n + 1, 1);
        if (s && H5Aread(a, t, s) < 0) { free(s); s = NULL; }
    }
    if (t >= 0) H5Tclose(t);
    if (a >= 0) H5Aclose(a);
    return s;
}
