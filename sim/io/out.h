/* out.h: the HDF5 output file (layout in DESIGN.md §6 and docs/output.md).
 *
 * A file is written under a temporary name "<path>.partial-<host>-<pid>" in the
 * same directory and renamed to <path> only by sim_out_commit, so a reader never
 * sees a half-written file under its final name; sim_out_abort removes the
 * temporary, and sim_out_create removes those of dead processes on this host
 * (sim_partial_clean).
 * Integrity: files use the HDF5 1.10 object format, whose metadata (superblock,
 * object headers with their links and attributes, chunk indexes) carries checksums;
 * links and attributes stay in the object headers (sim_out_group), and every dataset with
 * data is chunked with a Fletcher-32 checksum per chunk; HDF5
 * verifies both on every read, so a damaged file is refused, never misread.
 * Not thread-safe: one thread at a time (the runner serialises calls). */
#ifndef SIM_OUT_H
#define SIM_OUT_H

#include <hdf5.h>

#include "config.h"
#include "../core/model.h"

/* Provenance written as root attributes. Strings are borrowed. */
typedef struct sim_provenance {
    const char *title;
    const char *scenario;       /* scenario file name */
    const char *model;
    const char *command_line;
    uint64_t    seed;
    int         replications;
    long        origin_days;    /* days since 1970-01-01 of time 0 */
    const char *population_key; /* the model's population key (sim_model_type.scale_key), or NULL */
    double      population;     /* its value in this run (after --scale): runs of different
                                   populations cannot be paired (sim compare) */
} sim_provenance;

/* Silence HDF5's automatic error printing; call once at start-up. */
void sim_out_quiet_hdf5(void);
/* Output files one process may have open at once (sim run with several scenarios). */
#define SIM_OUT_MAX_OPEN 64

/* On SIGINT, SIGTERM and every other terminating signal but the crash ones remove the temporary files of the outputs being written, then
 * die by the signal; ignore SIGXFSZ so a file-size limit surfaces as an I/O error. */
void sim_out_install_signal_cleanup(void);

/* Start a new output file for `path` (at most SIM_OUT_MAX_OPEN at once). NULL
 * (message on stderr) on failure; an existing file at `path` is untouched until commit. */
sim_out *sim_out_create(const char *path);
/* The same for a small file built in memory and written to the disk only at commit:
 * HDF5 1.10 can crash in H5Ocopy when a write fails midway (a nearly full disk), so
 * a file that copies objects (sim merge) meets write errors only at commit. */
sim_out *sim_out_create_in_memory(const char *path);
/* Close and rename to the final name. 0, or -1 (message printed, temporary removed).
 * Frees `out` in both cases. sim_out_finish then sim_out_publish. */
int sim_out_commit(sim_out *out);
/* The two steps of commit, for several files that appear together or not at all:
 * finish writes and closes the temporary file (0, or -1 after a message; then
 * sim_out_abort it); publish renames a finished file to its final name and frees
 * out (0, or -1 after a message, the temporary removed). */
int sim_out_finish(sim_out *out);
int sim_out_publish(sim_out *out);
/* Close and delete the temporary file; frees out. NULL is a no-op. */
void sim_out_abort(sim_out *out);
/* The HDF5 file handle, for model tables (sim_model_type.write). */
hid_t sim_out_file(const sim_out *out);

/* Each returns 0, or -1 with a message printed. */
int sim_out_provenance(sim_out *out, const sim_provenance *p);
/* Root attribute "time_end": the date (YYYY-MM-DD) of the day in which simulated time
 * ended, `end` days after the origin, so that runs of different horizons are not paired
 * (sim compare). Nothing is written when end is not finite (a model without an end). */
int sim_out_time_end(sim_out *out, long origin_days, double end);
/* /parameters/scenario (resolved text) and /parameters/values (path, value). */
int sim_out_parameters(sim_out *out, const sim_config *cfg);
/* /summary: compound [nrep] of replication + schema->summary fields (data [nrep][n_summary]). */
int sim_out_summary(sim_out *out, const sim_schema *s, size_t nrep, const double *data);
/* /series/<name>: [nrep][n_steps][n_columns] per series with dimension scales;
 * data is [nrep][n_steps][n_series][n_columns]. */
int sim_out_series(sim_out *out, const sim_schema *s, size_t nrep, const double *data,
                   long origin_days);
/* /events: call begin once, append rows in replication order, end once. A row is
 * one of the model's trace records (s->trace, size > 0): the table's fields
 * become the columns, enums with their labels, units in the "units" attribute.
 * Rows are buffered and written in whole chunks. */
int sim_out_events_begin(sim_out *out, const sim_schema *s, long origin_days);
int sim_out_events_append(sim_out *out, const void *rows, size_t n);
int sim_out_events_end(sim_out *out);

/* Links and attributes per object kept in the checksummed object header (HDF5's
 * limit for compact storage). */
#define SIM_OUT_MAX_COMPACT 65535
/* Create a group (the caller closes it) whose links and attributes stay compact;
 * negative on failure. */
hid_t sim_out_group(hid_t loc, const char *name);
/* Create and write a dataset of `rank` (1..H5S_MAX_RANK) dimensions `dims` and
 * element `type`, from `data` in C order, in checksummed chunks of whole rows of about
 * SIM_OUT_CHUNK_BYTES. Returns the open dataset (the caller closes it,
 * e.g. after adding attributes), or a negative id on failure. */
#define SIM_OUT_CHUNK_BYTES ((hsize_t)1 << 20)
hid_t sim_out_array(hid_t loc, const char *name, hid_t type, int rank, const hsize_t *dims, const void *data);
/* sim_out_array of rank 1: n rows of (usually compound) `type` (helper for tables). */
hid_t sim_out_table(hid_t loc, const char *name, hid_t type, size_t n, const void *rows);
/* 1 if dataset d looks intact enough to read: a simple dataspace, a numeric, string
 * or compound type whose numeric members lie inside the record, and (for contiguous
 * storage) as many stored bytes as the extent needs. HDF5 1.10 trusts damaged
 * metadata and can read past its buffers; readers check this first. */
int sim_out_dataset_intact(hid_t d);
/* 1 if `name` under loc is a group (0 if absent, a dataset or unreadable). */
int sim_out_is_group(hid_t loc, const char *name);
/* 1 if dimension `dim` of dataset d has the dimension scale `scale` attached, 0 if not or
 * unreadable. Read from the scale's REFERENCE_LIST (fixed-size, in its checksummed object
 * header), never from d's DIMENSION_LIST: that one is variable-length data in HDF5's
 * global heap, which has no checksum, and HDF5 1.10.8 copies past its buffer when an
 * object's size there is damaged (H5DSget_num_scales, H5DSiterate_scales). */
int sim_out_scale_attached(hid_t d, unsigned dim, hid_t scale);
/* 1 if all of dataset `name` of the open file f reads back, which checks the data's
 * Fletcher-32 checksums (what sim_out_verify leaves to the reader); 0 if it is missing,
 * damaged, fails a checksum, or is larger than SIM_OUT_READ_CHECK_MAX bytes in memory.
 * Reads the data into a temporary buffer it frees; for datasets of fixed-size types
 * (every dataset sim writes but string tables: a variable-length one would leak). */
#define SIM_OUT_READ_CHECK_MAX ((size_t)1 << 28)
int sim_out_dataset_reads(hid_t f, const char *name);
/* H5Dread of all of dataset d as mem_type into buf, with a type-conversion buffer sized
 * to the data (one element at least, HDF5's default SIM_OUT_TCONV_MAX at most). HDF5
 * zeroes that buffer at every converting read, so with the default each field of a small
 * table read on its own costs a megabyte of memset (most of `sim info`'s time). */
#define SIM_OUT_TCONV_MAX ((size_t)1 << 20)
herr_t sim_out_read(hid_t d, hid_t mem_type, void *buf);
/* Check that the open file f is an output file of sim this build can read (HDF5
 * metadata with checksums, format_version 2) and that it is whole: the provenance
 * attributes are there and every dataset of its "contents" list opens and looks
 * intact (sim_out_dataset_intact).
 * Data damage inside a dataset is caught later, by the Fletcher-32 check on read.
 * 0, or -1 with a one-line reason (no file name) in why[size]. */
int sim_out_verify(hid_t f, char *why, size_t size);
/* A 1-D fixed-length string-array attribute of obj as *n strings (the caller frees
 * them with sim_out_free_strings); NULL and *n = 0 if absent, empty or unreadable. */
char **sim_out_attr_read_strings(hid_t obj, const char *name, size_t *n);
void sim_out_free_strings(char **v, size_t n);
/* " key=value key=value ...": the root's string-array attribute `names` paired with its
 * double-array attribute `values` of the same length (%.15g), e.g. a sweep point's
 * parameter_names and parameter_values; the caller frees it. NULL if either is absent,
 * unreadable or of another length, or out of memory. */
char *sim_out_attr_pairs(hid_t f, const char *names, const char *values);
/* A string attribute of obj, fixed or variable length (as h5py may write it);
 * NULL if absent or not a string. The caller frees the result. */
char *sim_out_attr_read_string(hid_t obj, const char *name);
/* Write a 1-D dataset of fixed-length strings (helper for model tables). */
int sim_out_strings(hid_t loc, const char *name, const char *const *v, size_t n);
/* The same, returning the open dataset (the caller closes it, e.g. after attaching a
 * dimension scale); negative on failure. */
hid_t sim_out_string_table(hid_t loc, const char *name, const char *const *v, size_t n);
/* Write/attach a string attribute. */
int sim_out_attr_string(hid_t obj, const char *name, const char *value);
/* Write/attach an array of n strings (fixed width) as one attribute. 0 or -1. */
int sim_out_attr_strings(hid_t obj, const char *name, const char *const *v, size_t n);
/* Write/attach an int32 scalar attribute. 0 or -1. */
int sim_out_attr_int(hid_t obj, const char *name, int value);

#endif
