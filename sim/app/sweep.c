/* sweep.c: `sim sweep`, the points of an experiment (experiment.h) run one by one.
 * Each point is one ordinary run of the scenario with --set overrides, written
 * under a temporary name, stamped with the experiment id and its values, and
 * renamed to DIR/point-NNNNN.h5: a file under its final name is always complete.
 * Invariant: a point's file depends only on the scenario, the point's values and
 * the experiment, never on which task, rank or thread ran it. */
#define _GNU_SOURCE
#include "sweep.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <hdf5.h>
#include <hdf5_hl.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "experiment.h"
#include "../io/files.h"
#include "merge.h"
#include "../io/out.h"
#include "../io/version.h"
#include "points.h"
#include "run.h"
#include "uncertainty.h"

#ifdef SIM_WITH_MPI
#include <mpi.h>
#include <pthread.h>
#include <time.h>
#endif

/* ============================================================ the command == */

enum { POINT_TODO = 0, POINT_DONE = 1 };

typedef struct {
    const sim_sweep_request *req;
    sim_sweep  *sw;
    sim_config *cfg;
    char       *dir;
    char        id[17];
    int         rank;      /* MPI rank, or -1 */
    size_t     *todo;      /* point indices to run, ascending */
    int         lockfd;    /* DIR/.sim-sweep.lock holding our points' locks, or -1 */
    size_t      ntodo, ndone;
    double      t0;
} sweep_run;

/* The request that runs (or validates) point i: the experiment's fixed overrides,
 * the sweep's --set overrides, then the point's (sets[] receives those); setp and
 * originp (where a problem with each is reported: its line in the sweep file, or
 * NULL = the command line) hold SWEEP_SETP pointers. */
#define SWEEP_SETP (SIM_SWEEP_MAX_FIXED + SIM_SWEEP_MAX_SETS + SIM_SWEEP_MAX_PARAMS)
static sim_run_request point_request(const sweep_run *w, size_t i, char (*sets)[SIM_SWEEP_OVERRIDE_MAX],
                                     const char **setp, const char **originp)
{
    int n = 0;
    size_t nf = sim_sweep_nfixed(w->sw);   /* the experiment's fixed overrides, then the command line's */
    for (size_t j = 0; j < nf; j++, n++) {
        setp[n] = sim_sweep_fixed(w->sw, j);
        originp[n] = sim_sweep_fixed_where(w->sw, j);
    }
    for (int j = 0; j < w->req->nsets; j++, n++) {
        setp[n] = w->req->sets[j];
        originp[n] = NULL;
    }
    for (size_t j = 0; j < sim_sweep_nparams(w->sw); j++, n++) {
        setp[n] = sim_sweep_override(w->sw, i, j, sets[j], SIM_SWEEP_OVERRIDE_MAX);
        originp[n] = sim_sweep_where(w->sw, j);
    }
    return (sim_run_request){.models = w->req->models, .scenario = w->req->scenario, .sets = setp, .nsets = n,
                             .set_origins = originp, .threads = w->req->threads,
                             .replications = sim_sweep_replications(w->sw),
                             .seed = -1, .detail = -1, .sample = -1, .quiet = 1, .scale = w->req->scale,
                             .command_line = w->req->command_line};
}

/* Check point i as `sim validate --set ...` would; every problem is printed, a
 * value of the point's at its line in the sweep file, and the closing line names
 * the point. */
static int validate_point(const sweep_run *w, size_t i)
{
    char sets[SIM_SWEEP_MAX_PARAMS][SIM_SWEEP_OVERRIDE_MAX], label[2048], context[2100];
    const char *setp[SWEEP_SETP], *originp[SWEEP_SETP];
    sim_run_request r = point_request(w, i, sets, setp, originp);
    r.validate_only = 1;
    snprintf(context, sizeof context, "at point %zu (%s)", i, sim_sweep_point_label(w->sw, i, label, sizeof label));
    r.context = context;
    return sim_run_file(&r, NULL) == 0 ? 0 : -1;
}

/* ------------------------------------------------------------ files -- */

/* 1 if the point file's /summary reads back whole (its Fletcher-32 checksums hold). */
static int summary_reads(const char *path)
{
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    int ok = f >= 0 && sim_out_dataset_reads(f, "summary");
    if (f >= 0) H5Fclose(f);
    return ok;
}

/* What a point file of DIR is to this sweep (file_matches). */
enum { POINT_DAMAGED = -1, POINT_OTHER = 0, POINT_OURS = 1, POINT_OTHER_BUILD = 2 };

/* The experiment_id attribute of a point file: POINT_OURS if it is `id`, POINT_OTHER if
 * another, POINT_OTHER_BUILD if another because another build wrote it, POINT_DAMAGED if
 * unreadable, refused by sim_out_verify, or ours with a /summary that fails its
 * checksums (the reason in why[size]). */
static int file_matches(const char *path, const char *id, char *why, size_t size)
{
    sim_point_stamp st;
    int rc = sim_point_stamp_read(path, &st, why, size) != 0 ? POINT_DAMAGED
           : strcmp(st.id, id) == 0 ? POINT_OURS : POINT_OTHER;
    if (rc == POINT_OTHER && st.git && strcmp(st.git, SIM_GIT_HASH) != 0) {
        snprintf(why, size, "written by build %s, and this sim is build %s (a sweep resumes only with the build "
                 "that began it: rerun it with that build)", st.git, SIM_GIT_HASH);
        rc = POINT_OTHER_BUILD;
    } else if (rc == POINT_OTHER)
        snprintf(why, size, "from another experiment (other scenario, values, seed, replications, scale or toolkit "
                 "version)");
    else if (rc == POINT_OURS && !summary_reads(path)) {   /* merge reads it whole: a checksum error would stop it there */
        snprintf(why, size, "dataset /summary fails its checksum (damaged file)");
        rc = POINT_DAMAGED;
    }
    sim_point_stamp_free(&st);
    return rc;
}

static int mkdir_p(const char *dir)
{
    char *p = strdup(dir);
    int rc = p ? 0 : -1;
    for (char *s = p ? p + 1 : NULL; s && *s && rc == 0; s++) {
        if (*s != '/') continue;
        *s = '\0';
        if (mkdir(p, 0755) != 0 && errno != EEXIST) rc = -1;
        *s = '/';
    }
    if (rc == 0 && mkdir(dir, 0755) != 0 && errno != EEXIST) rc = -1;
    if (rc != 0) sim_log_error("%s: cannot create the output directory: %s", dir, strerror(errno));
    free(p);
    return rc;
}

/* results/<scenario name> unless -o was given. */
static char *output_dir(const sim_sweep_request *req)
{
    if (req->outdir) {
        size_t n = strlen(req->outdir);
        while (n > 1 && req->outdir[n - 1] == '/') n--;
        return strndup(req->outdir, n);
    }
    char *stem = sim_scenario_stem(req->scenario), *d = NULL;
    if (!stem || asprintf(&d, "results/%s", stem) < 0) d = NULL;
    free(stem);
    return d;
}

/* Point files scan_dir names one by one; the rest are counted. */
#define SWEEP_NAMED_MAX 5

/* Mark the points of DIR already done for this experiment; returns how many point
 * files belong to another experiment (or are unreadable), naming the first few, and
 * in *rebuilt how many of them are this experiment's by another build. */
static size_t scan_dir(const sweep_run *w, unsigned char *state, size_t *rebuilt)
{
    DIR *d = opendir(w->dir);
    *rebuilt = 0;
    if (!d) return 0;
    size_t other = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        long i = sim_point_index(e->d_name);
        if (i < 0) continue;
        char *path = NULL;
        if (asprintf(&path, "%s/%s", w->dir, e->d_name) < 0) continue;
        char why[SIM_MESSAGE_MAX];
        int m = file_matches(path, w->id, why, sizeof why);
        free(path);
        if (m == POINT_OURS && (size_t)i < sim_sweep_npoints(w->sw)) { state[i] = POINT_DONE; continue; }
        *rebuilt += m == POINT_OTHER_BUILD;
        if (w->req->force && !w->req->dry_run) {   /* --force: start over without it */
            if (asprintf(&path, "%s/%s", w->dir, e->d_name) >= 0 && unlink(path) != 0 && errno != ENOENT)   /* another task's */
                sim_log_error("%s: cannot remove: %s", path, strerror(errno));
            free(path);
        } else if (other < SWEEP_NAMED_MAX) {
            sim_log_error("%s/%s: %s", w->dir, e->d_name, why);
        }
        other++;
    }
    closedir(d);
    if (other > SWEEP_NAMED_MAX && !(w->req->force && !w->req->dry_run))
        sim_log_error("%s: and %zu more such point file%s", w->dir, other - SWEEP_NAMED_MAX,
                      other - SWEEP_NAMED_MAX == 1 ? "" : "s");
    return other;
}

/* Claim the points to run: a write lock (fcntl, so it also holds across NFS and
 * ends with the process) on byte i of DIR/.sim-sweep.lock for every point i of
 * todo. Two sweeps on one directory never run the same point; Slurm tasks with
 * disjoint slices share the directory. 0, or -1 after a message naming the
 * other sweep's process. */
static int claim_points(sweep_run *w)
{
    char *path = NULL;
    if (asprintf(&path, "%s/.sim-sweep.lock", w->dir) < 0) { sim_log_error("out of memory"); return -1; }
    w->lockfd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (w->lockfd < 0) {
        sim_log_error("%s: cannot open the sweep lock file: %s", path, strerror(errno));
        free(path);
        return -1;
    }
    free(path);
    for (size_t k = 0; k < w->ntodo; k++) {
        struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = (off_t)w->todo[k], .l_len = 1};
        if (fcntl(w->lockfd, F_SETLK, &fl) == 0) continue;
        int err = errno;
        struct flock who = fl;
        char pid[40] = "";
        if (fcntl(w->lockfd, F_GETLK, &who) == 0 && who.l_type != F_UNLCK && who.l_pid > 0)
            snprintf(pid, sizeof pid, " (process %ld)", (long)who.l_pid);
        if (err == EACCES || err == EAGAIN)
            sim_log_error("%s: another sweep%s is running point %zu of this directory; nothing was run "
                          "(wait for it to finish, or use another -o DIR)", w->dir, pid, w->todo[k]);
        else
            sim_log_error("%s: cannot lock the sweep directory: %s", w->dir, strerror(err));
        return -1;
    }
    return 0;
}

/* Remove leftovers "point-NNNNN.h5.partial-*" of point i (a killed run's). Point i
 * is claimed by this sweep (claim_points), so nobody else is writing them. */
static void remove_stale(const char *dir, size_t i)
{
    char prefix[64];
    int n = snprintf(prefix, sizeof prefix, "point-%05zu.h5.partial-", i);
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d))) {
        if (strncmp(e->d_name, prefix, (size_t)n) != 0) continue;
        char *path = NULL;
        if (asprintf(&path, "%s/%s", dir, e->d_name) >= 0) unlink(path);
        free(path);
    }
    if (d) closedir(d);
}

/* ------------------------------------------------------------- stamping -- */

/* The varied keys as one string-array attribute. */
static int attr_keys(hid_t obj, const char *name, const sim_sweep *s)
{
    size_t n = sim_sweep_nparams(s);
    const char **keys = malloc((n ? n : 1) * sizeof *keys);
    if (!keys) return -1;
    for (size_t j = 0; j < n; j++) keys[j] = sim_sweep_key(s, j);
    int rc = sim_out_attr_strings(obj, name, keys, n);
    free(keys);
    return rc;
}

/* Add the sweep attributes to a finished point file (still under its temporary name). */
static int stamp(const sweep_run *w, const char *path, size_t i)
{
    hid_t f = H5Fopen(path, H5F_ACC_RDWR, H5P_DEFAULT);
    if (f < 0) return -1;
    int rc = sim_out_attr_string(f, "experiment_id", w->id)
           | sim_out_attr_string(f, "design", sim_sweep_design_name(sim_sweep_get_design(w->sw)))
           | sim_out_attr_int(f, "point", (int)i) | sim_out_attr_int(f, "points", (int)sim_sweep_npoints(w->sw))
           | attr_keys(f, "parameter_names", w->sw)
           | (H5LTset_attribute_double(f, "/", "parameter_values", sim_sweep_point(w->sw, i),
                                       sim_sweep_nparams(w->sw)) < 0);
    if (H5Fclose(f) < 0) rc = -1;
    return rc ? -1 : 0;
}

/* Run point i: the run pipeline writes <final>.partial-<host>-<pid> (itself through a
 * temporary), the sweep attributes are added, and the file is renamed into place. */
static int run_point(const sweep_run *w, size_t i)
{
    char sets[SIM_SWEEP_MAX_PARAMS][SIM_SWEEP_OVERRIDE_MAX], label[2048];
    const char *setp[SWEEP_SETP], *originp[SWEEP_SETP];
    char *final = sim_point_path(w->dir, i), *stage = NULL;
    if (!final || !(stage = sim_partial_name(final))) {
        free(final);
        sim_log_error("out of memory");
        return SIM_EXIT_RUNTIME;
    }
    remove_stale(w->dir, i);
    double t0 = omp_get_wtime();
    sim_run_request r = point_request(w, i, sets, setp, originp);
    r.output = stage;
    int rc = sim_run_file(&r, NULL) == 0 ? SIM_EXIT_OK : SIM_EXIT_RUNTIME;
    if (rc == SIM_EXIT_OK && stamp(w, stage, i) != 0) {
        sim_log_error("%s: cannot add the sweep attributes", stage);
        rc = SIM_EXIT_RUNTIME;
    }
    if (rc == SIM_EXIT_OK && sim_file_publish(stage, final) != 0) {
        sim_log_error("%s: cannot put the finished point in place: %s", final, strerror(errno));
        rc = SIM_EXIT_RUNTIME;
    }
    if (rc != SIM_EXIT_OK) unlink(stage);
    if (rc == SIM_EXIT_OK && !w->req->quiet) {
        char who[32] = "";
        if (w->rank >= 0) snprintf(who, sizeof who, " on rank %d", w->rank);
        fprintf(stderr, "sim: point %zu of 0..%zu done%s in %.2f s: %s\n", i, sim_sweep_npoints(w->sw) - 1, who,
                omp_get_wtime() - t0, sim_sweep_point_label(w->sw, i, label, sizeof label));
    }
    if (rc != SIM_EXIT_OK)
        sim_log_error("%s: point %zu failed, %s not written (%s)", w->req->scenario, i, final,
                      sim_sweep_point_label(w->sw, i, label, sizeof label));
    free(stage);
    free(final);
    return rc;
}

/* -------------------------------------------------------------- dry run -- */

static int in_slice(const sim_sweep_request *req, size_t i)
{
    return (int)(i % (size_t)req->tasks) == req->task;
}

static void print_header(const sweep_run *w, FILE *f)
{
    fprintf(f, "%s: experiment %s, design %s, %zu point%s x %d replication%s, seed %llu\n",
            w->req->scenario, w->id, sim_sweep_design_name(sim_sweep_get_design(w->sw)), sim_sweep_npoints(w->sw),
            sim_sweep_npoints(w->sw) == 1 ? "" : "s", sim_sweep_replications(w->sw), sim_sweep_replications(w->sw) == 1 ? "" : "s",
            (unsigned long long)sim_sweep_seed(w->sw));
}

static void print_points(const sweep_run *w)
{
    const sim_sweep *s = w->sw;
    print_header(w, stdout);
    printf("point");
    size_t np = sim_sweep_nparams(s);
    char value[64];
    for (size_t j = 0; j < np; j++) printf("  %14s", sim_sweep_key(s, j));
    printf("\n");
    for (size_t i = 0; i < sim_sweep_npoints(s); i++) {
        if (!in_slice(w->req, i)) continue;
        printf("%5zu", i);
        for (size_t j = 0; j < np; j++) {
            int width = (int)(strlen(sim_sweep_key(s, j)) > 14 ? strlen(sim_sweep_key(s, j)) : 14);
            printf("  %*s", width, sim_sweep_format(s, i, j, value, sizeof value));
        }
        printf("\n");
    }
}

/* ------------------------------------------------------------ preparing -- */

/* Load the experiment (quietly when print is 0) and compute its id. */
static int load(sweep_run *w, int print)
{
    w->cfg = sim_config_load(w->req->scenario);
    if (!w->cfg) { sim_log_error("out of memory"); return SIM_EXIT_RUNTIME; }
    /* --set and --scale enter the resolved scenario, and so the experiment id */
    for (int i = 0; i < w->req->nsets && sim_config_nerrors(w->cfg) == 0; i++) sim_config_override(w->cfg, w->req->sets[i]);
    if (w->req->scale > 0 && sim_config_nerrors(w->cfg) == 0 && sim_cfg_lookup(w->cfg, NULL, NULL))
        sim_run_apply_scale(w->cfg, w->req->models, w->req->scale);
    w->sw = sim_config_nerrors(w->cfg) ? NULL : sim_sweep_read(w->cfg);
    if (w->sw && w->req->replications > 0) sim_sweep_set_replications(w->sw, w->req->replications);
    if (!w->sw && sim_config_nerrors(w->cfg) == 0 && print)
        sim_log_error("%s: no experiment block (a sweep file adds experiment = { design = \"grid\"; parameters = ( { key = \"...\"; values = [...]; } ); };)",
                      w->req->scenario);
    else if (!w->sw && print)
        sim_config_print_errors(w->cfg, stderr, 0);
    if (!w->sw) return SIM_EXIT_RUNTIME;
    if (sim_sweep_experiment_id(w->cfg, w->sw, w->id) != 0) { sim_log_error("out of memory"); return SIM_EXIT_RUNTIME; }
    w->dir = output_dir(w->req);
    return w->dir ? SIM_EXIT_OK : SIM_EXIT_RUNTIME;
}

static int validate_base(const sweep_run *w)
{
    sim_run_request r = {.models = w->req->models, .scenario = w->req->scenario, .seed = -1, .detail = -1, .sample = -1,
                         .quiet = 1, .validate_only = 1, .sets = w->req->sets, .nsets = w->req->nsets, .scale = w->req->scale};
    return sim_run_file(&r, NULL) == 0 ? SIM_EXIT_OK : SIM_EXIT_RUNTIME;
}

/* Decide which points of this slice to run; refuse a directory that holds another
 * experiment's points (unless --force). */
static int plan(sweep_run *w)
{
    size_t n = sim_sweep_npoints(w->sw);
    unsigned char *state = calloc(n, 1);
    w->todo = malloc(n * sizeof *w->todo);
    if (!state || !w->todo) { free(state); sim_log_error("out of memory"); return SIM_EXIT_RUNTIME; }
    size_t rebuilt = 0, other = scan_dir(w, state, &rebuilt);
    if (other && !w->req->force) {
        const char *them = other == 1 ? "it" : "them", *es = other == 1 ? "" : "s";
        if (rebuilt == other)   /* this experiment's finished points, by another build */
            sim_log_error("%s: %zu point file%s written by another build; nothing was run (resume with the build "
                          "named above, use another -o DIR, or --force to delete %s and run every point again)",
                          w->dir, other, es, them);
        else
            sim_log_error("%s: %zu point file%s of another experiment or damaged; nothing was run (delete %s to keep "
                          "this experiment's finished points, use another -o DIR, or --force to delete %s and run "
                          "every point again)", w->dir, other, es, them, them);
        free(state);
        return SIM_EXIT_RUNTIME;
    }
    for (size_t i = 0; i < n; i++) {
        if (!in_slice(w->req, i)) continue;
        if (state[i] == POINT_DONE && !w->req->force) w->ndone++;
        else w->todo[w->ntodo++] = i;
    }
    free(state);
    return SIM_EXIT_OK;
}

/* Points with problems reported before a check stops (each lists all of its own). */
#define SWEEP_CHECK_MAX_BAD 3

/* After several points' closing lines ("1 problem at point 3 ..."), one line that says how
 * many points have problems, so that the last "1 problem" is not read as the total. */
static void bad_points_line(const sweep_run *w, int bad, int stopped)
{
    if (bad < 2) return;
    fprintf(stderr, "sim: %s: %s%d points with problems, listed above%s; nothing was run\n", w->req->scenario,
            stopped ? "at least " : "", bad, stopped ? " (the check stops at the third)" : "");
}

static size_t check_points(const sim_sweep *sw, size_t *pick);
#define SWEEP_CHECK_ALL 64
#define SWEEP_PICK_MAX (SWEEP_CHECK_ALL > 2 * SIM_SWEEP_MAX_PARAMS ? SWEEP_CHECK_ALL : 2 * SIM_SWEEP_MAX_PARAMS)

/* Check the points this process will run, and the experiment's points that sim validate
 * checks (all of them up to SWEEP_CHECK_ALL, else each parameter's extremes) that it does not
 * run (another --task slice's, or done): a value the model refuses then stops every task of an
 * array at its start, not only the one whose slice holds it. */
static int validate_todo(const sweep_run *w)
{
    size_t pick[SWEEP_PICK_MAX], np = check_points(w->sw, pick), k = 0, j = 0;
    int bad = 0;
    for (; k < w->ntodo && bad < SWEEP_CHECK_MAX_BAD; k++) bad += validate_point(w, w->todo[k]) != 0;
    for (; j < np && bad < SWEEP_CHECK_MAX_BAD; j++) {
        int mine = 0;   /* already checked above */
        for (size_t t = 0; t < w->ntodo && !mine; t++) mine = w->todo[t] == pick[j];
        if (!mine) bad += validate_point(w, pick[j]) != 0;
    }
    bad_points_line(w, bad, bad == SWEEP_CHECK_MAX_BAD && (k < w->ntodo || j < np));
    return bad ? SIM_EXIT_RUNTIME : SIM_EXIT_OK;
}

/* The declared ranges of a morris or sobol design, with the fixed overrides. */
static int check_ranges(const sweep_run *w)
{
    const char *fixed[SIM_SWEEP_MAX_FIXED];
    for (size_t j = 0; j < sim_sweep_nfixed(w->sw); j++) fixed[j] = sim_sweep_fixed(w->sw, j);
    return sim_uncertainty_check(sim_sweep_uncertainty(w->sw), w->req->models, w->req->scenario, fixed,
                                 (int)sim_sweep_nfixed(w->sw));
}

/* -o names the directory of the point files: an existing file there is refused
 * plainly (not as a lock file "inside" it); a new name is created as a directory. */
static int dir_allowed(const sweep_run *w)
{
    struct stat st;
    if (stat(w->dir, &st) != 0 || S_ISDIR(st.st_mode)) return SIM_EXIT_OK;
    sim_log_error("%s: %s (allowed: an existing directory or a new name; the sweep writes DIR/point-NNNNN.h5, one "
                  "file per point, and `sim merge DIR -o OUT.h5` makes one file)", w->dir,
                  w->req->outdir ? "-o must be a directory" : "the default output directory is a file here; use -o DIR");
    return SIM_EXIT_USAGE;
}

/* Everything before the first point runs; rank 0 (or the only process) only. */
static int prepare(sweep_run *w)
{
    int rc = validate_base(w);
    if (rc == SIM_EXIT_OK) rc = load(w, 1);
    if (rc == SIM_EXIT_OK) rc = dir_allowed(w);
    if (rc == SIM_EXIT_OK && sim_sweep_uncertainty(w->sw)   /* morris, sobol: each declared range, as --set would */
        && check_ranges(w) != 0)
        rc = SIM_EXIT_RUNTIME;
    if (rc != SIM_EXIT_OK) return rc;
    if (w->req->dry_run) {
        for (size_t i = 0; i < sim_sweep_npoints(w->sw) && rc == SIM_EXIT_OK; i++)
            if (in_slice(w->req, i)) rc = validate_point(w, i) ? SIM_EXIT_RUNTIME : SIM_EXIT_OK;
        if (rc == SIM_EXIT_OK) print_points(w);
        return rc;
    }
    rc = plan(w);
    if (rc == SIM_EXIT_OK) rc = validate_todo(w);
    if (rc == SIM_EXIT_OK && mkdir_p(w->dir) != 0) rc = SIM_EXIT_RUNTIME;
    if (rc == SIM_EXIT_OK && claim_points(w) != 0) rc = SIM_EXIT_RUNTIME;
    if (rc == SIM_EXIT_OK && !w->req->quiet) {
        print_header(w, stderr);
        fprintf(stderr, "sim: %zu point%s to run, %zu already done, output %s/\n", w->ntodo,
                w->ntodo == 1 ? "" : "s", w->ndone, w->dir);
    }
    return rc;
}

static void finish_line(const sweep_run *w, size_t ran, int rc)
{
    if (w->req->quiet || w->req->dry_run || rc != SIM_EXIT_OK) return;
    char slice[48] = "";
    if (w->req->tasks > 1) snprintf(slice, sizeof slice, " (task %d of %d)", w->req->task, w->req->tasks);
    printf("%s%s: %zu point%s run, %zu already done, of %zu in experiment %s; %.2f s; output %s/\n",
           w->req->scenario, slice, ran, ran == 1 ? "" : "s", w->ndone, sim_sweep_npoints(w->sw), w->id,
           omp_get_wtime() - w->t0, w->dir);
}

static void sweep_free(sweep_run *w)
{
    sim_sweep_destroy(w->sw);
    sim_config_destroy(w->cfg);
    free(w->dir);
    free(w->todo);
    if (w->lockfd >= 0) close(w->lockfd);   /* releases the point locks */
}

/* The points sim validate checks: all of them up to SWEEP_CHECK_ALL; beyond, the points that
 * hold each parameter's smallest and largest value (a value the model refuses lies at an
 * end of its range; `sim sweep` still checks every point before it runs). Their indices,
 * ascending, into pick[2 * nparams or SWEEP_CHECK_ALL]; returns how many. */
static size_t check_points(const sim_sweep *sw, size_t *pick)
{
    size_t n = sim_sweep_npoints(sw), k = sim_sweep_nparams(sw), m = 0;
    if (n <= SWEEP_CHECK_ALL) {
        for (size_t i = 0; i < n; i++) pick[m++] = i;
        return m;
    }
    for (size_t j = 0; j < k; j++) {
        size_t lo = 0, hi = 0;
        for (size_t i = 1; i < n; i++) {
            if (sim_sweep_value(sw, i, j) < sim_sweep_value(sw, lo, j)) lo = i;
            if (sim_sweep_value(sw, i, j) > sim_sweep_value(sw, hi, j)) hi = i;
        }
        pick[m++] = lo;
        pick[m++] = hi;
    }
    for (size_t a = 1; a < m; a++)   /* ascending, then without repeats */
        for (size_t b = a; b > 0 && pick[b - 1] > pick[b]; b--) { size_t t = pick[b]; pick[b] = pick[b - 1]; pick[b - 1] = t; }
    size_t u = 0;
    for (size_t a = 0; a < m; a++)
        if (u == 0 || pick[u - 1] != pick[a]) pick[u++] = pick[a];
    return u;
}

int sim_sweep_check(const sim_sweep_request *req)
{
    sweep_run w = {.req = req, .rank = -1, .lockfd = -1};
    int rc = load(&w, 0);
    if (rc != SIM_EXIT_OK || !w.sw) {   /* no experiment block, or a refused one: sim validate says so */
        sweep_free(&w);
        return SIM_EXIT_OK;
    }
    rc = validate_base(&w);
    if (rc == SIM_EXIT_OK && sim_sweep_uncertainty(w.sw) && check_ranges(&w) != 0) rc = SIM_EXIT_RUNTIME;
    size_t pick[SWEEP_PICK_MAX];
    size_t np = rc == SIM_EXIT_OK ? check_points(w.sw, pick) : 0, k = 0;
    int bad = 0;
    for (; k < np && bad < SWEEP_CHECK_MAX_BAD; k++) bad += validate_point(&w, pick[k]) != 0;
    bad_points_line(&w, bad, bad == SWEEP_CHECK_MAX_BAD && k < np);
    if (rc == SIM_EXIT_OK && !bad && np < sim_sweep_npoints(w.sw))
        printf("%s: %zu of the experiment's %zu points checked (each parameter's smallest and largest value); "
               "sim sweep checks every point before it runs\n", req->scenario, np, sim_sweep_npoints(w.sw));
    sweep_free(&w);
    return rc != SIM_EXIT_OK || bad ? SIM_EXIT_RUNTIME : SIM_EXIT_OK;
}

/* ------------------------------------------------------- one process -- */

static int run_serial(sweep_run *w, size_t *ran)
{
    for (size_t k = 0; k < w->ntodo; k++) {
        int rc = run_point(w, w->todo[k]);
        if (rc != SIM_EXIT_OK) return rc;
        (*ran)++;
    }
    return SIM_EXIT_OK;
}

#ifdef SIM_WITH_MPI
/* ================================================================== MPI == */
/* Rank 0 prepares, then hands out point indices on request (a request carries the
 * status of the requester's previous point); it also runs points itself in a
 * second thread, so N ranks are N workers. Only rank 0's main thread calls MPI
 * (MPI_THREAD_FUNNELED). A failure stops the hand-out; finished points stay. */

enum { TAG_REQUEST = 1, TAG_ASSIGN = 2 };

typedef struct {
    sweep_run      *w;
    pthread_mutex_t lock;
    size_t          next, ran;
    int             failed;
} dispatch;

static long take_next(dispatch *d)
{
    pthread_mutex_lock(&d->lock);
    long i = d->failed || d->next >= d->w->ntodo ? -1 : (long)d->w->todo[d->next++];
    pthread_mutex_unlock(&d->lock);
    return i;
}

static void *local_worker(void *arg)
{
    dispatch *d = arg;
    long i;
    while ((i = take_next(d)) >= 0) {
        int rc = run_point(d->w, (size_t)i);
        pthread_mutex_lock(&d->lock);
        if (rc != SIM_EXIT_OK) d->failed = 1;
        else d->ran++;
        pthread_mutex_unlock(&d->lock);
    }
    return NULL;
}

static void serve(dispatch *d, int nworkers)
{
    struct timespec pause = {0, 2000000};   /* poll every 2 ms instead of spinning in MPI_Recv */
    while (nworkers > 0) {
        int flag = 0;
        MPI_Status st;
        MPI_Iprobe(MPI_ANY_SOURCE, TAG_REQUEST, MPI_COMM_WORLD, &flag, &st);
        if (!flag) { nanosleep(&pause, NULL); continue; }
        int status[2];
        MPI_Recv(status, 2, MPI_INT, st.MPI_SOURCE, TAG_REQUEST, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        pthread_mutex_lock(&d->lock);
        if (status[0] != SIM_EXIT_OK) d->failed = 1;
        d->ran += (size_t)status[1];
        pthread_mutex_unlock(&d->lock);
        long i = take_next(d);
        int assign = (int)i;
        MPI_Send(&assign, 1, MPI_INT, st.MPI_SOURCE, TAG_ASSIGN, MPI_COMM_WORLD);
        if (i < 0) nworkers--;
    }
}

static int mpi_master(sweep_run *w, int size, size_t *ran)
{
    dispatch d = {.w = w};
    pthread_mutex_init(&d.lock, NULL);
    pthread_t th;
    int started = pthread_create(&th, NULL, local_worker, &d) == 0;
    if (!started) local_worker(&d);   /* cannot happen in practice; then rank 0 works first */
    serve(&d, size - 1);
    if (started) pthread_join(th, NULL);
    pthread_mutex_destroy(&d.lock);
    *ran = d.ran;
    return d.failed ? SIM_EXIT_RUNTIME : SIM_EXIT_OK;
}

static void mpi_worker(sweep_run *w, int ok)
{
    int status[2] = {ok ? SIM_EXIT_OK : SIM_EXIT_RUNTIME, 0};
    for (;;) {
        MPI_Send(status, 2, MPI_INT, 0, TAG_REQUEST, MPI_COMM_WORLD);
        int i;
        MPI_Recv(&i, 1, MPI_INT, 0, TAG_ASSIGN, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        if (i < 0) return;
        status[0] = run_point(w, (size_t)i);
        status[1] = status[0] == SIM_EXIT_OK;
    }
}

static int under_mpirun(void)
{
    return getenv("OMPI_COMM_WORLD_SIZE") || getenv("PMIX_RANK") || getenv("PMI_RANK") || getenv("PMI_SIZE");
}

static int sweep_mpi(sweep_run *w)
{
    int provided, rank, size;
    MPI_Init_thread(NULL, NULL, MPI_THREAD_FUNNELED, &provided);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    w->rank = rank;
    int rc = rank == 0 ? prepare(w) : SIM_EXIT_OK;
    MPI_Bcast(&rc, 1, MPI_INT, 0, MPI_COMM_WORLD);
    size_t ran = 0;
    if (rc == SIM_EXIT_OK && !w->req->dry_run) {
        if (rank == 0) rc = mpi_master(w, size, &ran);
        else mpi_worker(w, load(w, 0) == SIM_EXIT_OK);
    }
    MPI_Bcast(&rc, 1, MPI_INT, 0, MPI_COMM_WORLD);
    if (rank == 0) finish_line(w, ran, rc);
    fflush(stdout);
    MPI_Finalize();
    return rc;
}
#endif

int sim_sweep_main(const sim_sweep_request *req)
{
    sweep_run w = {.req = req, .rank = -1, .lockfd = -1, .t0 = omp_get_wtime()};
    int rc;
#ifdef SIM_WITH_MPI
    if (under_mpirun()) {
        rc = sweep_mpi(&w);
        sweep_free(&w);
        return rc;
    }
#endif
    rc = prepare(&w);
    size_t ran = 0;
    if (rc == SIM_EXIT_OK && !req->dry_run) rc = run_serial(&w, &ran);
    finish_line(&w, ran, rc);
    sweep_free(&w);
    return rc;
}
