/* serve.c: `sim serve` (see serve.h). Three parts: the run queue (a worker thread
 * that starts child processes and persists each run's state in job.txt), the form
 * (fields -> overlay .cfg on the reference's world -> `sim validate` -> the world
 * compared with the reference's -> messages per field) and the HTTP
 * handlers (libmicrohttpd, one internal polling thread). Invariant: no byte of a
 * request reaches a file-system path; paths are built from the results directory,
 * a run number the server chose (parsed back as digits only) and fixed names. */
#define _GNU_SOURCE
#include "serve.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../core/common.h"
#include "../io/config.h"
#include "../io/files.h"
#include "serve_keep.h"

#define MAX_JOBS   4096
#define MAX_BODY   16384
#define MAX_FIELDS 24
#define SERVE_MAX_STEPS 4800      /* series steps checked for a report window: 400 years of months */
#define SERVE_MAX_REGIONS 64      /* region names in the regions field (the model's limit) */
#define REGION_NAMES_MAX (SERVE_MAX_REGIONS * 64)   /* a reference's region names, ", "-joined (a name is short) */
/* The form's numeric fields: what Check accepts and what the overlay reads. */
#define FORM_BUDGET_MAX 1e5       /* EUR million */
#define FORM_PERCENT_MAX 100.0    /* under-spending, substitution */
#define FORM_SHARE_MIN 0.001      /* population share */
#define FORM_REPS_MAX 200
/* Page runs write -d events so that the report can say who is placed because of the
 * policy (deadweight, net effect, per region), tracing a sample of people: about this
 * share of the national population whatever the population share simulated (at the
 * page's 5%, --sample 0.2), which keeps the files and the report's time bounded. */
#define PAGE_TRACED_SHARE 0.01
/* Path capacities. A directory (the repository root, the results directory, the
 * executable) holds at most SERVE_DIR bytes; a path below one, with a run's
 * folder and a short name, fits SERVE_PATH; a file named inside such a path
 * fits SERVE_FILE; a temporary name beside such a file fits SERVE_TMP. Each
 * leaves room for what is appended, so nothing is cut. */
#define SERVE_DIR  4096
#define SERVE_PATH (SERVE_DIR + 104)
#define SERVE_FILE (SERVE_PATH + 200)
#define SERVE_TMP  (SERVE_FILE + 100)

/* ------------------------------------------------------------ small text -- */

/* A growing string; out of memory leaves it NULL (and every later append a no-op). */
typedef struct { char *s; size_t n, cap; } buf;

/* Append fmt's text to b, whole (b grows to its length). */
static void SIM_PRINTF(2, 0) vbprintf(buf *b, const char *fmt, va_list ap)
{
    va_list again;
    va_copy(again, ap);
    int k = vsnprintf(NULL, 0, fmt, ap);
    if (k >= 0 && !(!b->s && b->cap) && b->n + (size_t)k + 1 > b->cap) {
        size_t cap = 2 * (b->n + (size_t)k + 1) + 256;
        char *s = realloc(b->s, cap);
        if (!s) free(b->s), b->cap = 1;
        else b->cap = cap;
        b->s = s;
    }
    if (k >= 0 && b->s) {
        vsnprintf(b->s + b->n, (size_t)k + 1, fmt, again);
        b->n += (size_t)k;
    }
    va_end(again);
}

static void SIM_PRINTF(2, 3) bprintf(buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vbprintf(b, fmt, ap);
    va_end(ap);
}

/* s as a JSON string literal. */
static void bjson(buf *b, const char *s)
{
    bprintf(b, "\"");
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') bprintf(b, "\\%c", c);
        else if (c < 0x20) bprintf(b, "\\u%04x", c);
        else bprintf(b, "%c", c);
    }
    bprintf(b, "\"");
}

static char *read_file(const char *path, size_t max)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    char *s = malloc(max + 1);
    size_t n = s ? fread(s, 1, max, f) : 0;
    fclose(f);
    if (s) s[n] = 0;
    return s;
}

/* Write text to path atomically (temporary name, rename); 0 or -1. */
static int write_file(const char *path, const char *text)
{
    char tmp[SERVE_TMP];
    snprintf(tmp, sizeof tmp, "%s.partial-%d", path, (int)getpid());
    FILE *f = fopen(tmp, "w");
    if (!f) return -1;
    int bad = fputs(text, f) < 0;
    bad |= fclose(f) != 0;
    /* a plain rename, not sim_file_publish: this runs under the server's lock (job.txt),
     * where an fsync could wait for a run's large output to reach the disk; a restart
     * copes with a job.txt that a crash of the machine left older */
    if (bad || rename(tmp, path) != 0) { unlink(tmp); return -1; }
    return 0;
}

/* ---------------------------------------------------------------- the runs -- */

/* A run's state: queued, running its replications, making the report (sim compare and
 * sim report, after every replication is done: no time left can be estimated), then
 * done, failed or cancelled. The first three are active (it waits or works). */
typedef enum { QUEUED, RUNNING, REPORT, DONE, FAILED, CANCELLED } job_state;
static const char *const state_names[] = {"queued", "running", "report", "done", "failed", "cancelled"};

static int active(job_state s) { return s == QUEUED || s == RUNNING || s == REPORT; }

/* One run: what the form asked for and where it stands. */
typedef struct {
    int       id;
    job_state state;
    char      ref[64], title[200], lang[4], from[16], to[16], message[300];
    int       reps, done, total;   /* replications: done so far and in all (both runs) */
    double    share, started, elapsed;
    double    ended;               /* when it finished, in seconds since 1970 (0: not yet, or not known) */
    pid_t     pid;                 /* the running child, or 0 */
    int       cancel;
} job;

static struct {
    sim_serve_request req;
    char              root[SERVE_DIR], results[SERVE_DIR], exe[SERVE_DIR];
    pthread_mutex_t   lock;
    pthread_cond_t    wake;
    job              *jobs;        /* [MAX_JOBS], by position; ids increase */
    int               njobs;
    int               next_id;     /* the next run's number: above every run's, listed or removed, and
                                      above every NNNNNN name in RESULTS/runs (never reused) */
} S = {.lock = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER, .next_id = 1};

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* The wall clock, for when a run ended (kept across a restart, unlike now_s). */
static double wall_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static void job_path(const job *j, const char *name, char *out, size_t size)
{
    snprintf(out, size, "%s/runs/%06d/%s", S.results, j->id, name);
}

/* The name a run's file is downloaded under, "run-NNNNNN-FILE" (FILE: a name of
 * run_files, at most 11 bytes): 4 + 11 digits of any int + 1 + 11 + 1 fit in 48, so
 * nothing is cut. */
typedef struct { char s[48]; } dl_name;

static dl_name download_name(int id, const char *file)
{
    dl_name d;
    snprintf(d.s, sizeof d.s, "run-%06d-%s", id, file);
    return d;
}

/* job.txt: key=value lines, enough to list and show the run after a restart. */
static void job_save(const job *j)
{
    char path[SERVE_PATH];
    buf b = {0};
    bprintf(&b, "state=%s\nref=%s\ntitle=%s\nlang=%s\nfrom=%s\nto=%s\nreps=%d\nshare=%.17g\ndone=%d\ntotal=%d\n"
                "elapsed=%.3f\nended=%.3f\nmessage=%s\n", state_names[j->state], j->ref, j->title, j->lang, j->from, j->to,
            j->reps, j->share, j->done, j->total, j->elapsed, j->ended, j->message);
    job_path(j, "job.txt", path, sizeof path);
    if (b.s) write_file(path, b.s);
    free(b.s);
}

static void kv(const char *text, const char *key, char *out, size_t size)
{
    size_t k = strlen(key);
    for (const char *p = text; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
        if (!strncmp(p, key, k) && p[k] == '=') {
            const char *e = strchr(p + k + 1, '\n');
            const char *v = p + k + 1;
            size_t n = e ? (size_t)(e - v) : strlen(v);
            snprintf(out, size, "%.*s", (int)(n < size ? n : size - 1), v);
            return;
        }
    if (size) out[0] = 0;
}

#define EXPIRED_PREFIX ".expired-"   /* runs/.expired-NNNNNN: a run being removed */

/* A name in RESULTS/runs that is or was a run's, NNNNNN or .expired-NNNNNN (whatever it
 * is now): the next run's number is above it, so that no run is written into it. */
static void name_number(const char *name)
{
    if (!strncmp(name, EXPIRED_PREFIX, strlen(EXPIRED_PREFIX))) name += strlen(EXPIRED_PREFIX);
    if (strlen(name) == 6 && strspn(name, "0123456789") == 6 && atoi(name) >= S.next_id) S.next_id = atoi(name) + 1;
}

/* Runs from an earlier session: listed again; one that was waiting or running when
 * that server stopped is marked failed (its children were stopped with it). */
static void jobs_load(void)
{
    char dir[SERVE_PATH];
    snprintf(dir, sizeof dir, "%s/runs", S.results);
    struct dirent **list = NULL;
    int n = scandir(dir, &list, NULL, alphasort), runs = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    for (int i = 0; i < n; i++) {
        const char *d = list[i]->d_name;
        name_number(d);
        if (runs >= 0 && serve_run_dir(runs, d) && S.njobs < MAX_JOBS) {
            job *j = &S.jobs[S.njobs];
            memset(j, 0, sizeof *j);
            j->id = atoi(d);
            char path[SERVE_FILE], v[320];
            job_path(j, "job.txt", path, sizeof path);
            char *text = read_file(path, 8192);
            if (text) {
                kv(text, "state", v, sizeof v);
                for (size_t s = 0; s < SIM_ARRAY_LEN(state_names); s++)
                    if (!strcmp(v, state_names[s])) j->state = (job_state)s;
                kv(text, "ref", j->ref, sizeof j->ref); kv(text, "title", j->title, sizeof j->title);
                kv(text, "lang", j->lang, sizeof j->lang); kv(text, "from", j->from, sizeof j->from);
                kv(text, "to", j->to, sizeof j->to); kv(text, "message", j->message, sizeof j->message);
                kv(text, "reps", v, sizeof v); j->reps = atoi(v);
                kv(text, "share", v, sizeof v); j->share = atof(v);
                kv(text, "done", v, sizeof v); j->done = atoi(v);
                kv(text, "total", v, sizeof v); j->total = atoi(v);
                kv(text, "elapsed", v, sizeof v); j->elapsed = atof(v);
                kv(text, "ended", v, sizeof v); j->ended = atof(v);   /* 0 in a job.txt from before --keep */
                free(text);
                if (active(j->state)) {
                    struct stat st;   /* it ended when it was last written, not now: a restart must not */
                    j->state = FAILED;   /* make it newer than the runs that finished before it */
                    j->ended = stat(path, &st) == 0 ? (double)st.st_mtime : 1.0;
                    snprintf(j->message, sizeof j->message, "the server stopped before this run finished");
                    job_save(j);
                }
                S.njobs++;
            }
        }
        free(list[i]);
    }
    free(list);
    if (runs >= 0) close(runs);
}

static job *job_find(int id)
{
    for (int i = 0; i < S.njobs; i++)
        if (S.jobs[i].id == id) return &S.jobs[i];
    return NULL;
}

static int jobs_waiting(void)
{
    int n = 0;
    for (int i = 0; i < S.njobs; i++) n += active(S.jobs[i].state);
    return n;
}

/* ---------------------------------------------------------------- retention -- */

/* Only the --keep runs that finished last (done, failed or cancelled) are kept; an older
 * one's directory is removed when a run finishes and at start-up. A run that was waiting
 * or working when an earlier server stopped ended when its job.txt was last written; runs
 * made before --keep existed (no end time in job.txt) are neither counted nor removed.
 * What is removed is
 * chosen from the list of runs (never a run that waits or works) and must still be a
 * run directory (serve_run_dir) in RESULTS/runs itself, reached without following a symbolic
 * link; nothing else in the results directory is touched. Runs are ranked by when they
 * ended, not by number: a long run that ends after later ones were cancelled before they
 * started is kept. */

/* Take the finished runs beyond --keep off the list (serve_keep_choose): their ids go to
 * out[MAX_JOBS]; returns how many. The caller holds the lock and no pointer into S.jobs is
 * held elsewhere (the worker calls this between runs, main before the worker starts): the
 * list is compacted, its order (by number) kept. */
static int jobs_expire(int *out)
{
    static serve_keep_run runs[MAX_JOBS];
    static unsigned char expire[MAX_JOBS];
    for (int i = 0; i < S.njobs; i++)   /* a run from before --keep has no end time: not counted */
        runs[i] = (serve_keep_run){S.jobs[i].id, S.jobs[i].ended, !active(S.jobs[i].state) && S.jobs[i].ended > 0};
    int n = 0, w = 0;
    if (serve_keep_choose(runs, S.njobs, S.req.keep, expire) == 0) return 0;
    for (int i = 0; i < S.njobs; i++) {
        if (expire[i]) out[n++] = S.jobs[i].id;
        else if (w++ != i) S.jobs[w - 1] = S.jobs[i];
    }
    S.njobs = w;
    return n;
}


/* Remove the directory of the expired run id from runs (an fd of RESULTS/runs): only a
 * run directory (serve_run_dir). It is first renamed runs/.expired-NNNNNN, so that a restart
 * half-way lists no half run and finishes the removal. 0, or -1 after a message. */
static int run_remove(int runs, int id)
{
    char name[16], gone[32];
    struct stat st;
    snprintf(name, sizeof name, "%06d", id);
    snprintf(gone, sizeof gone, EXPIRED_PREFIX "%06d", id);
    if (!serve_run_dir(runs, name)) {
        sim_log_error("serve: %s/runs/%s: not removed: not a run directory of this server (allowed: a directory "
                      "holding job.txt, not a symbolic link)", S.results, name);
        return -1;
    }
    if (fstat(runs, &st) != 0 || renameat(runs, name, runs, gone) != 0 || serve_remove_tree(runs, gone, st.st_dev) != 0) {
        sim_log_error("serve: %s/runs/%s: cannot remove this old run: %s", S.results, name, strerror(errno));
        return -1;
    }
    fprintf(stderr, "sim serve: removed run %s and its files (--keep %d: the %d runs that finished last are kept)\n",
            name, S.req.keep, S.req.keep);
    return 0;
}

/* RESULTS/runs as an fd, opened without following a symbolic link; -1 after a message. */
static int runs_open(void)
{
    char dir[SERVE_PATH];
    snprintf(dir, sizeof dir, "%s/runs", S.results);
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) sim_log_error("serve: %s: old runs not removed: %s (allowed: a directory, not a symbolic link)", dir,
                              strerror(errno));
    return fd;
}

/* Remove the directories of the expired runs ids[0 .. n); called without the lock (the
 * runs are off the list: no handler finds them). */
static void runs_remove(const int *ids, int n)
{
    int runs = n > 0 ? runs_open() : -1;
    for (int i = 0; runs >= 0 && i < n; i++) run_remove(runs, ids[i]);
    if (runs >= 0) close(runs);
}

/* At start-up: finish removing runs/.expired-NNNNNN left by a server stopped while it
 * removed a run (such a directory only: not a link, nor another name), and remove the
 * directories of form checks a stopped server cut short (serve_check_cut_short). */
static void runs_remove_leftovers(void)
{
    int runs = runs_open();
    DIR *d = runs >= 0 ? fdopendir(runs) : NULL;
    struct stat st, es;
    size_t k = strlen(EXPIRED_PREFIX);
    if (!d || fstat(runs, &st) != 0) {
        if (d) closedir(d);
        else if (runs >= 0) close(runs);
        return;
    }
    for (struct dirent *e; (e = readdir(d));) {
        const char *digits = e->d_name + k;
        if (serve_check_cut_short(runs, e->d_name)) {
            if (serve_remove_tree(runs, e->d_name, st.st_dev) != 0)
                sim_log_error("serve: %s/runs/%s: cannot remove this run the server stopped before it was queued: %s",
                              S.results, e->d_name, strerror(errno));
            continue;
        }
        if (strncmp(e->d_name, EXPIRED_PREFIX, k) || strlen(digits) != 6 || strspn(digits, "0123456789") != 6) continue;
        if (fstatat(runs, e->d_name, &es, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISDIR(es.st_mode)) continue;
        if (serve_remove_tree(runs, e->d_name, st.st_dev) != 0)
            sim_log_error("serve: %s/runs/%s: cannot remove this old run: %s", S.results, e->d_name, strerror(errno));
    }
    closedir(d);   /* closes runs */
}

/* The finished runs beyond --keep, off the list and removed (the worker, between runs). */
static void jobs_retain(void)
{
    static int expired[MAX_JOBS];
    pthread_mutex_lock(&S.lock);
    int n = jobs_expire(expired);
    pthread_mutex_unlock(&S.lock);
    runs_remove(expired, n);
}

/* ----------------------------------------------------------- child processes -- */

/* Start `sim ARGS...` with stdout to out (or /dev/null) and stderr appended to the
 * run's log; the child gets SIGINT when the server dies. Returns the pid or -1. */
static pid_t spawn(const job *j, char *const argv[], const char *out)
{
    char log[SERVE_PATH];
    job_path(j, "log.txt", log, sizeof log);
    pid_t pid = fork();
    if (pid != 0) return pid;
    prctl(PR_SET_PDEATHSIG, SIGINT);
    setpgid(0, 0);
    int o = open(out ? out : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int e = open(log, O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (o < 0 || e < 0) _exit(127);
    dup2(o, 1), dup2(e, 2);
    close(o), close(e);
    execv(S.exe, argv);
    _exit(127);
}

static long log_size(const job *j)
{
    char log[SERVE_PATH];
    struct stat st;
    job_path(j, "log.txt", log, sizeof log);
    return stat(log, &st) == 0 ? (long)st.st_size : 0;
}

/* The replications done by the running child: the last "sim: K/N replications done"
 * line of the log after byte off (where this child's output starts). */
static int log_done(const job *j, long off)
{
    char log[SERVE_PATH];
    job_path(j, "log.txt", log, sizeof log);
    FILE *f = fopen(log, "rb");
    char *text = f ? malloc(1 << 16) : NULL;
    size_t n = text && fseek(f, off, SEEK_SET) == 0 ? fread(text, 1, (1 << 16) - 1, f) : 0;
    if (f) fclose(f);
    if (text) text[n] = 0;
    int k = 0, of = 0;
    for (char *p = text; p && (p = strstr(p, "sim: ")); p += 5) sscanf(p, "sim: %d/%d replications done", &k, &of);
    free(text);
    return k;
}

/* Wait for the child, following its progress; SIGINT on cancel (sim removes what it
 * was writing). Returns the exit status (or -1 when cancelled). */
static int follow(job *j, pid_t pid, int base_done, long off)
{
    int status = 0;
    pthread_mutex_lock(&S.lock);
    j->pid = pid;
    pthread_mutex_unlock(&S.lock);
    for (;;) {
        pid_t r = waitpid(pid, &status, WNOHANG);
        int k = base_done < j->total ? log_done(j, off) : 0;
        pthread_mutex_lock(&S.lock);
        if (r == 0 && j->cancel) kill(pid, SIGINT);
        j->done = base_done + (k <= j->total - base_done ? k : j->total - base_done);
        j->elapsed = now_s() - j->started;
        int cancelled = j->cancel;
        if (r != 0) j->pid = 0;
        pthread_mutex_unlock(&S.lock);
        if (r == pid || (r < 0 && errno != EINTR)) return cancelled ? -1 : WIFEXITED(status) ? WEXITSTATUS(status) : 128;
        usleep(150000);
    }
}

static int run_step(job *j, char *const argv[], const char *out, int base_done, const char *what)
{
    long off = log_size(j);
    pid_t pid = spawn(j, argv, out);
    int rc = pid < 0 ? 127 : follow(j, pid, base_done, off);
    if (rc != 0 && rc != -1) {
        pthread_mutex_lock(&S.lock);   /* the handlers read the message */
        snprintf(j->message, sizeof j->message, "%s failed (exit %d); see log.txt", what, rc);
        pthread_mutex_unlock(&S.lock);
    }
    return rc;
}

/* The running job j enters state s (saved, for the handlers and a restart); in REPORT
 * every replication is done (the runs ended with exit 0). */
static void job_enter(job *j, job_state s)
{
    pthread_mutex_lock(&S.lock);
    j->state = s;
    if (s == REPORT) j->done = j->total;
    job_save(j);
    pthread_mutex_unlock(&S.lock);
}

/* The --sample of a page run at population share `share` (FORM_SHARE_MIN to 1): traced
 * people make up PAGE_TRACED_SHARE of the national population, or everyone when the
 * share is smaller. "%.6g" of a number from 0.01 to 1 takes at most 9 bytes. */
static void trace_sample(double share, char *out, size_t size)
{
    snprintf(out, size, "%.6g", fmin(1.0, PAGE_TRACED_SHARE / share));
}

/* Both runs, the CSV table and the report, each a child of the same executable. */
static int run_job(job *j)
{
    char dir[SERVE_PATH], ref[SERVE_FILE], cfg[SERVE_FILE], refh5[SERVE_FILE], alth5[SERVE_FILE], csv[SERVE_FILE], html[SERVE_FILE];
    char reps[16], threads[16], scale[64], sample[16];
    snprintf(dir, sizeof dir, "%s/runs/%06d", S.results, j->id);
    snprintf(ref, sizeof ref, "%s/scenarios/%s.cfg", S.root, j->ref);
    snprintf(cfg, sizeof cfg, "%s/alt.cfg", dir);
    snprintf(refh5, sizeof refh5, "%s/ref.h5", dir);
    snprintf(alth5, sizeof alth5, "%s/alt.h5", dir);
    snprintf(csv, sizeof csv, "%s/compare.csv", dir);
    snprintf(html, sizeof html, "%s/report.html", dir);
    snprintf(reps, sizeof reps, "%d", j->reps);
    snprintf(threads, sizeof threads, "%d", S.req.threads > 0 ? S.req.threads : 0);
    snprintf(scale, sizeof scale, "labour_market.scale=%.15g", j->share);   /* 0.05, not 0.050000000000000003 */
    trace_sample(j->share, sample, sizeof sample);
    int rc;
    if (strcmp(j->ref, "alt") != 0) {
        /* Both in one child: the alternative continues from the reference's burn-in
         * where it differs only in its policy (sim run with several scenarios); the
         * files are as two runs write them. Progress counts 2 x reps. */
        char both[SERVE_FILE];
        snprintf(both, sizeof both, "%s/%s.h5", dir, j->ref);
        char *argv[] = {"sim", "run", ref, cfg, "-r", reps, "--set", scale, "-d", "events", "--sample", sample,
                        "--output-dir", dir, S.req.threads > 0 ? "-t" : NULL, threads, NULL};
        rc = run_step(j, argv, NULL, 0, "the runs");
        if (rc == 0 && sim_file_publish(both, refh5) != 0) rc = 1;
    } else {   /* a reference named alt would write alt.h5 too: one run each */
        enum { SCENARIO = 2, OUTPUT = 12 };   /* the arguments that differ between the two runs */
        char *base[] = {"sim", "run", ref, "-r", reps, "--set", scale, "-d", "events", "--sample", sample, "-o", refh5,
                        S.req.threads > 0 ? "-t" : NULL, threads, NULL};
        rc = run_step(j, base, NULL, 0, "the reference run");
        base[SCENARIO] = cfg, base[OUTPUT] = alth5;
        if (rc == 0) rc = run_step(j, base, NULL, j->reps, "the alternative run");
    }
    if (rc == 0) job_enter(j, REPORT);
    /* a Dutch report's reader gets a table that opens in a spreadsheet with Dutch settings */
    char *cmp[] = {"sim", "compare", refh5, alth5, strcmp(j->lang, "nl") ? "--csv" : "--csv-nl", NULL};
    char tmp[SERVE_TMP];
    snprintf(tmp, sizeof tmp, "%s.partial", csv);
    if (rc == 0) rc = run_step(j, cmp, tmp, 2 * j->reps, "sim compare");
    if (rc == 0 && sim_file_publish(tmp, csv) != 0) rc = 1;
    if (rc != 0) unlink(tmp);   /* cancelled or failed: no partial table left behind (ENOENT if never made) */
    char *rep[] = {"sim", "report", refh5, alth5, "-o", html, "--lang", j->lang, NULL, NULL, NULL, NULL, NULL};
    int k = 8;
    if (j->from[0]) rep[k++] = "--from", rep[k++] = j->from;
    if (j->to[0]) rep[k++] = "--to", rep[k++] = j->to;
    if (rc == 0) rc = run_step(j, rep, NULL, 2 * j->reps, "sim report");
    return rc;
}

static void *worker(void *unused)
{
    (void)unused;
    for (;;) {
        pthread_mutex_lock(&S.lock);
        job *j = NULL;
        while (!j) {
            for (int i = 0; i < S.njobs && !j; i++)
                if (S.jobs[i].state == QUEUED) j = &S.jobs[i];
            if (!j) pthread_cond_wait(&S.wake, &S.lock);
        }
        j->state = RUNNING;
        j->started = now_s();
        job_save(j);
        pthread_mutex_unlock(&S.lock);
        int rc = run_job(j);
        pthread_mutex_lock(&S.lock);
        j->state = rc == 0 ? DONE : j->cancel ? CANCELLED : FAILED;
        if (j->state == CANCELLED) snprintf(j->message, sizeof j->message, "cancelled");
        if (j->state == DONE) j->done = j->total, j->message[0] = 0;
        j->elapsed = now_s() - j->started;
        j->ended = wall_s();
        job_save(j);
        pthread_mutex_unlock(&S.lock);
        jobs_retain();   /* j is no longer used: the list may be compacted */
    }
    return NULL;
}

/* -------------------------------------------------------------- the form -- */

/* The fields of a run form, by name; values owned by the form. A field sent twice is
 * not joined or replaced: its name is kept in `repeated` and the form refused. */
typedef struct {
    char  *name[MAX_FIELDS], *value[MAX_FIELDS];
    char  *repeated;        /* the first field sent more than once, or NULL */
    int    n, bad;          /* bad: too many fields or too large */
    size_t bytes;
} form;

static const char *field(const form *f, const char *name)
{
    for (int i = 0; i < f->n; i++)
        if (!strcmp(f->name[i], name)) return f->value[i];
    return "";
}

static void form_free(form *f)
{
    for (int i = 0; i < f->n; i++) free(f->name[i]), free(f->value[i]);
    free(f->repeated);
    f->repeated = NULL;
    f->n = 0;
}

/* Problems found with a form: (field, message) pairs, each message whole (allocated to
 * its length: the loader's list of 35 allowed region names runs past 900 bytes). At
 * most PROBLEMS_MAX are kept; `more` counts the rest, which problems_json reports, so
 * nothing is dropped unsaid. Invariant: n > 0 whenever a problem was found (a message
 * that could not be allocated is kept as NULL and shown as such). */
#define PROBLEMS_MAX 32
typedef struct { const char *field[PROBLEMS_MAX]; char *msg[PROBLEMS_MAX]; int n, more; } problems;

static void SIM_PRINTF(3, 4) problem(problems *p, const char *fieldname, const char *fmt, ...)
{
    if (p->n == PROBLEMS_MAX) { p->more++; return; }
    va_list ap;
    va_start(ap, fmt);
    if (vasprintf(&p->msg[p->n], fmt, ap) < 0) p->msg[p->n] = NULL;
    va_end(ap);
    p->field[p->n++] = fieldname;
}

static void problems_free(problems *p)
{
    for (int i = 0; i < p->n; i++) free(p->msg[i]);
    p->n = p->more = 0;
}

/* A scenario the reference may name: scenarios/NAME.cfg with a title line, not a part,
 * sweep, history or model test. Names are [a-z0-9-] only. */
static int reference_ok(const char *name)
{
    if (!*name || strlen(name) > 60 || strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789-") != strlen(name)) return 0;
    char path[SERVE_PATH];
    snprintf(path, sizeof path, "%s/scenarios/%s.cfg", S.root, name);
    char *text = read_file(path, 1 << 16);
    int ok = text && strstr(text, "\ntitle = \"") != NULL;
    free(text);
    return ok;
}

/* ------------------------------------------------------------ the reference -- */

/* A reference scenario as the page shows it and the alternative inherits it. Its
 * world (everything but its programmes and title: the Covid-19 shock, cooperation,
 * regions, horizon) is the alternative's too; its first programme is what the page
 * sets the user's programme against. */
typedef struct {
    int    covid;                  /* it has a shock (the library's one shock is Covid-19) */
    int    has_cooperation;        /* it has a cooperation block */
    double cooperation;            /* cooperation.maturity_offset, 0 when absent */
    int    nregions;               /* labour_market.regions */
    double step_months;            /* labour_market.series_step_months */
    char   origin[16], end[16];    /* the horizon: origin and labour_market.end */
    int    nprog, ntranches;       /* programmes; tranches of the first */
    char   kind[16], start[16], prog_end[16], region_names[REGION_NAMES_MAX];
    double budget, underspend, substitution;
    double coop_full;              /* its first programme's cooperation_money_for_full_gain (0: any amount) */
} reference;

/* A number (integer or float) of setting n, or fallback when n is absent or not one. */
static double num_of(const sim_node *n, double fallback)
{
    if (!n) return fallback;
    switch (config_setting_type(n)) {
    case CONFIG_TYPE_INT: return config_setting_get_int(n);
    case CONFIG_TYPE_INT64: return (double)config_setting_get_int64(n);
    case CONFIG_TYPE_FLOAT: return config_setting_get_float(n);
    default: return fallback;
    }
}

static void str_of(const sim_node *n, char *out, size_t size)
{
    const char *s = n && config_setting_type(n) == CONFIG_TYPE_STRING ? config_setting_get_string(n) : "";
    snprintf(out, size, "%s", s);
}

/* The first programme of a reference, for the page's "what changes" list. */
static void reference_programme(sim_config *c, reference *r)
{
    sim_node *list = sim_cfg_lookup(c, NULL, "programmes"), *g = list ? config_setting_get_elem(list, 0) : NULL;
    r->nprog = list ? config_setting_length(list) : 0;
    if (!g) return;
    str_of(config_setting_get_member(g, "kind"), r->kind, sizeof r->kind);
    str_of(config_setting_get_member(g, "start"), r->start, sizeof r->start);
    str_of(config_setting_get_member(g, "end"), r->prog_end, sizeof r->prog_end);
    r->budget = num_of(config_setting_get_member(g, "budget_per_region"), 0);
    r->underspend = num_of(config_setting_get_member(g, "underspend"), 0);
    r->substitution = num_of(config_setting_get_member(g, "substitution"), 0);
    r->coop_full = num_of(config_setting_get_member(g, "cooperation_money_for_full_gain"), 0);
    sim_node *t = config_setting_get_member(g, "tranches"), *regions = config_setting_get_member(g, "regions");
    r->ntranches = t ? config_setting_length(t) : 0;
    size_t n = 0;
    for (int i = 0; regions && i < config_setting_length(regions) && n < sizeof r->region_names; i++) {
        const char *name = config_setting_get_string_elem(regions, i);
        n += (size_t)snprintf(r->region_names + n, sizeof r->region_names - n, "%s%s", i ? ", " : "", name ? name : "");
    }
}

/* Load scenarios/NAME.cfg (a name reference_ok accepted) in this process and describe
 * it. 0, or -1 when it does not load (sim validate then names the problem). */
static int reference_load(const char *name, reference *r)
{
    char path[SERVE_PATH];
    snprintf(path, sizeof path, "%s/scenarios/%s.cfg", S.root, name);
    memset(r, 0, sizeof *r);
    sim_config *c = sim_config_load(path);
    if (!c || sim_config_nerrors(c)) { sim_config_destroy(c); return -1; }
    sim_node *shocks = sim_cfg_lookup(c, NULL, "shocks"), *co = sim_cfg_lookup(c, NULL, "cooperation");
    sim_node *regions = sim_cfg_lookup(c, NULL, "labour_market.regions");
    r->covid = shocks && config_setting_length(shocks) > 0;
    r->has_cooperation = co != NULL;
    r->cooperation = num_of(co ? config_setting_get_member(co, "maturity_offset") : NULL, 0);
    r->nregions = regions ? config_setting_length(regions) : 0;
    r->step_months = num_of(sim_cfg_lookup(c, NULL, "labour_market.series_step_months"), 1.0);
    str_of(sim_cfg_lookup(c, NULL, "origin"), r->origin, sizeof r->origin);
    str_of(sim_cfg_lookup(c, NULL, "labour_market.end"), r->end, sizeof r->end);
    reference_programme(c, r);
    sim_config_destroy(c);
    return 0;
}

/* 1 if settings a and b hold the same value (group members by name, lists and arrays
 * in order, numbers by value); else 0 with the path of the first difference in where. */
static int same_setting(const sim_node *a, const sim_node *b, char *where, size_t size)
{
    int ta = config_setting_type(a), tb = config_setting_type(b);
    int na = ta == CONFIG_TYPE_INT || ta == CONFIG_TYPE_INT64 || ta == CONFIG_TYPE_FLOAT;
    int nb = tb == CONFIG_TYPE_INT || tb == CONFIG_TYPE_INT64 || tb == CONFIG_TYPE_FLOAT;
    int same = ta == tb || (na && nb);
    if (same && na) {
        double x = num_of(a, 0), y = num_of(b, 0);
        same = fabs(x - y) <= 1e-12 * fmax(1.0, fabs(x));
    } else if (same && ta == CONFIG_TYPE_STRING) {
        same = !strcmp(config_setting_get_string(a), config_setting_get_string(b));
    } else if (same && ta == CONFIG_TYPE_BOOL) {
        same = config_setting_get_bool(a) == config_setting_get_bool(b);
    } else if (same && ta == CONFIG_TYPE_GROUP) {   /* as many members, each found in b: the same names */
        same = config_setting_length(a) == config_setting_length(b);
        for (int i = 0; same && i < config_setting_length(a); i++) {
            const sim_node *ea = config_setting_get_elem(a, (unsigned)i);
            const sim_node *eb = config_setting_get_member(b, config_setting_name(ea));
            if (!eb) return sim_config_path(ea, where, size), 0;
            if (!same_setting(ea, eb, where, size)) return 0;
        }
    } else if (same) {   /* list or array */
        same = config_setting_length(a) == config_setting_length(b);
        for (int i = 0; same && i < config_setting_length(a); i++)
            if (!same_setting(config_setting_get_elem(a, (unsigned)i), config_setting_get_elem(b, (unsigned)i), where, size))
                return 0;
    }
    if (!same) sim_config_path(a, where, size);
    return same;
}

/* A top-level setting of the world: not the programmes or the title, and not an overrides list,
 * whose values are already in the settings it changed (compared there, or in the programmes). */
static int world_setting(const char *name)
{
    return strcmp(name, "programmes") && strcmp(name, "title") && strncmp(name, "overrides", 9);
}

/* 1 if every top-level setting of x but its programmes and title is in y, the same. */
static int world_within(sim_config *x, sim_config *y, char *where, size_t size)
{
    sim_node *rx = sim_cfg_lookup(x, NULL, NULL), *ry = sim_cfg_lookup(y, NULL, NULL);
    for (int i = 0; i < config_setting_length(rx); i++) {
        const sim_node *e = config_setting_get_elem(rx, (unsigned)i), *o = config_setting_get_member(ry, config_setting_name(e));
        if (!world_setting(config_setting_name(e))) continue;
        if (!o) return sim_config_path(e, where, size), 0;
        if (!same_setting(e, o, where, size)) return 0;
    }
    return 1;
}

/* The guarantee that the verdict is the programme's alone: the alternative at alt_path
 * and the reference have the same world (every setting but programmes and title, after
 * includes and overrides). A difference is a problem of the reference field: the page
 * rebuilds a world from base.cfg, Covid-19 and cooperation only. */
static void check_world(const char *alt_path, const char *ref, problems *p)
{
    char path[SERVE_PATH], where[300] = "";
    snprintf(path, sizeof path, "%s/scenarios/%s.cfg", S.root, ref);
    sim_config *a = sim_config_load(alt_path), *r = sim_config_load(path);
    int loaded = a && r && !sim_config_nerrors(a) && !sim_config_nerrors(r);
    if (!loaded) problem(p, "form", "cannot load %s or %s to compare them", alt_path, path);
    else if (!world_within(r, a, where, sizeof where) || !world_within(a, r, where, sizeof where))
        problem(p, "reference", "the alternative cannot be built on %s.cfg: it would also differ in %s, not only in its "
                "programme (allowed: a reference that is base.cfg with programmes, parts/covid.cfg and cooperation)", ref, where);
    sim_config_destroy(a);
    sim_config_destroy(r);
}
static int text_ok(const char *s, size_t max)
{
    if (strlen(s) > max) return 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20 || *p == '"' || *p == '\\' || *p == 0x7f) return 0;
    return 1;
}

/* s with its one decimal separator as a point ("70,5" as the Dutch write 70.5), into
 * out; 0, or -1 when the separator may be a thousands separator: a second one, or three
 * digits after it and a whole part other than 0 ("1,000" or "1.000": a thousand, in
 * Dutch, or one?). */
static int decimal_point(const char *s, char *out, size_t size)
{
    const char *sep = strpbrk(s, ",.");
    if ((size_t)snprintf(out, size, "%s", s) >= size) return -1;
    if (!sep) return 0;
    size_t after = strspn(sep + 1, "0123456789"), whole = (size_t)(sep - s);
    int zero = strspn(s, "+-0") == whole;
    if (strpbrk(sep + 1, ",.") || (after == 3 && !zero)) return -1;
    out[sep - s] = '.';
    return 0;
}

/* 1 if s is a number (digits with one decimal point or comma) from lo to hi, into *v. */
static int number(const char *s, double lo, double hi, double *v)
{
    char text[64], *end;
    if (decimal_point(s, text, sizeof text)) return 0;
    errno = 0;
    *v = strtod(text, &end);
    return *text && !*end && !errno && isfinite(*v) && *v >= lo && *v <= hi;
}

/* A number field's problem, if any: a malformed number says how to write one, a number
 * out of range says the range (`what` names the unit: "a number of EUR million"). */
static void check_number(problems *p, const form *f, const char *name, double lo, double hi, const char *what)
{
    const char *s = field(f, name);
    char text[64], *end;
    double v = 0;
    if (number(s, lo, hi, &v)) return;
    int malformed = decimal_point(s, text, sizeof text) != 0;
    if (!malformed) {
        strtod(text, &end);
        malformed = !*text || *end;
    }
    if (malformed)
        problem(p, name, "'%.40s' is not a number (allowed: %s from %g to %g; use digits and one decimal point or comma, "
                "e.g. 70.5 or 70,5; no thousands separators, and not three decimals after a whole number: 1.000 and 1,000 "
                "could be a thousand)", s, what, lo, hi);
    else
        problem(p, name, "%s from %g to %g", what, lo, hi);
}

/* Field names by overlay line, so the loader's "file:LINE: message" finds its field. */
typedef struct { const char *field[64]; int nlines; } linemap;

/* One line of the overlay, written whole, and the field it belongs to. */
static void SIM_PRINTF(4, 5) cfg_line(buf *b, linemap *m, const char *fieldname, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vbprintf(b, fmt, ap);
    va_end(ap);
    bprintf(b, "\n");
    if (m->nlines < 64) m->field[m->nlines++] = fieldname;
}

/* s with its leading and trailing spaces cut off (in place). */
static char *trim(char *s)
{
    while (*s == ' ') s++;
    size_t k = strlen(s);
    while (k && s[k - 1] == ' ') s[--k] = 0;
    return s;
}

/* The regions field as a libconfig list into r: "all", or each name once (trimmed;
 * empty names between commas are no region). Returns the number of regions the budget
 * is shared by ("all": the reference's), or 0 after a problem. The page counts alike. */

static int region_list(const char *regions, const reference *ref, buf *r, problems *p)
{
    char *copy = strdup(regions), *save = NULL, *seen[SERVE_MAX_REGIONS];
    int n = 0, bad = !copy;
    if (!bad && !strcmp(trim(copy), "all")) {   /* " all " as the page reads it */
        free(copy);
        bprintf(r, "\"all\"");
        return ref->nregions;
    }
    for (char *t = copy ? strtok_r(copy, ",", &save) : NULL; t && !bad; t = strtok_r(NULL, ",", &save)) {
        t = trim(t);
        if (!*t) continue;
        for (int i = 0; i < n && !bad; i++)
            if (!strcmp(seen[i], t)) {
                problem(p, "regions", "%s is named twice (allowed: each region once)", t);
                bad = 1;
            }
        if (!bad && (!strcmp(t, "all") || n == SERVE_MAX_REGIONS)) {
            problem(p, "regions", "\"all\" on its own or at most %d region names (allowed: \"all\", or names separated "
                    "by commas)", SERVE_MAX_REGIONS);
            bad = 1;
        }
        if (bad) break;
        seen[n++] = t;
        bprintf(r, "%s\"%s\"", n > 1 ? ", " : "", t);
    }
    if (!bad && n == 0) {
        problem(p, "regions", "no region named (allowed: \"all\", or names separated by commas)");
        bad = 1;
    }
    free(copy);
    return bad ? 0 : n;
}

/* A cooperation offset in the page's words ("as it is", "more mature (+0.2)"). */
static const char *cooperation_words(double offset)
{
    return offset > 0 ? "more mature regional cooperation" : offset < 0 ? "less mature regional cooperation"
                                                                        : "regional cooperation as it is";
}

/* The rule by which cooperation grows with a programme's money (docs/model.md §7.15): "any"
 * (any funded amount gives the whole growth, as the library's scenarios) or "proportional"
 * (in proportion, fully from SERVE_COOP_FULL per region per year, as the pow-*-dose ones). */
#define SERVE_COOP_FULL 100000.0
static const char *coop_rule_of(const reference *r)
{
    return r->coop_full > 0 ? "proportional" : "any";
}

/* The rule the alternative uses: the form's, or the reference's when left out. Where the
 * reference has a programme the rules must agree (the verdict is then the funding choice's
 * alone); against a reference without one (the baseline) either may be chosen. */
static const char *coop_rule(const form *f, const reference *r, problems *p)
{
    const char *rule = field(f, "cooperation_rule");
    if (!*rule) return coop_rule_of(r);
    if (strcmp(rule, "any") && strcmp(rule, "proportional")) {
        problem(p, "cooperation_rule", "allowed: any, proportional (or left out: as the reference)");
        return "any";
    }
    if (r->nprog > 0 && strcmp(rule, coop_rule_of(r)))
        problem(p, "cooperation_rule", "the reference's programme lets cooperation grow %s; the alternative keeps that "
                "rule so that the verdict is the funding choice's alone (allowed: %s; for the other rule choose a "
                "reference with it, e.g. pow-%s, or the baseline)", r->coop_full > 0 ? "in proportion to its money"
                : "fully for any amount", coop_rule_of(r), r->coop_full > 0 ? "incidental" : "incidental-dose");
    return rule;
}

/* Covid-19 and cooperation are the reference's (left out: taken from it); another value
 * would mix its own effect into the verdict on the funding choice, so it is refused. */
static void check_context(const form *f, const reference *r, problems *p)
{
    const char *covid = field(f, "covid"), *coop = field(f, "cooperation");
    const char *on = r->covid ? "on" : "off";
    double c = 0;
    if (*covid && strcmp(covid, "on") && strcmp(covid, "off"))
        problem(p, "covid", "allowed: on, off (or left out: as the reference)");
    else if (*covid && strcmp(covid, on))
        problem(p, "covid", "the reference has the Covid-19 shock %s; the alternative keeps it so that the verdict is the "
                "funding choice's alone (allowed: %s; for Covid-19 %s choose a reference %s it)", on, on, covid,
                r->covid ? "without" : "with");
    if (*coop && !number(coop, -1, 1, &c))
        problem(p, "cooperation", "a number from -1 to 1 (or left out: as the reference)");
    else if (*coop && fabs(c - r->cooperation) > 1e-9)
        problem(p, "cooperation", "the reference has %s (%s%.15g); the alternative keeps it so that the verdict is the "
                "funding choice's alone (allowed: %.15g; for other cooperation choose another reference)",
                cooperation_words(r->cooperation), r->cooperation > 0 ? "+" : "", r->cooperation, r->cooperation);
}

/* The day (sim_date_parse's days) of the 1st of the month `months` months after
 * the month of `origin` ("YYYY-MM-DD"), as the model places its series boundaries
 * (lm_month_start); -1 when origin does not parse. */
static long month_start_after(const char *origin, long months)
{
    int y, m, d;
    long days;
    if (sscanf(origin, "%4d-%2d-%2d", &y, &m, &d) != 3) return -1;
    long k = (long)(m - 1) + months;
    char date[48];
    snprintf(date, sizeof date, "%04ld-%02ld-01", (long)y + k / 12, k % 12 + 1);
    return sim_date_parse(date, &days) ? -1 : days;
}

/* The midpoints (in days, halves possible) of the series steps the model writes for
 * the reference's horizon, into mid[0 .. return): the first step starts at the
 * origin, every later boundary is the 1st of every step_months-th month after the
 * origin's month, and only whole steps that end by the end are written
 * (month_boundaries in models/lm_output.c). */
static size_t step_midpoints(const reference *r, long origin, long end, double *mid, size_t cap)
{
    size_t n = 0;
    long k = (long)r->step_months, a = origin;
    for (long i = 1; k > 0 && n < cap; i++) {
        long b = month_start_after(r->origin, i * k);
        if (b < 0 || b > end) break;
        mid[n++] = 0.5 * ((double)a + (double)b);
        a = b;
    }
    return n;
}

/* "month", or "3-month period": one step of the reference's series. */
static const char *step_noun(const reference *r, char *out, size_t size)
{
    if (r->step_months == 1.0) snprintf(out, size, "month");
    else snprintf(out, size, "%.0f-month period", r->step_months);
    return out;
}

/* The report window [from, to) (empty = open) must hold a series step: `sim report`
 * counts a step when its midpoint lies in the window, so from may be at most the
 * last midpoint, to must be after the first, and together they must hold one. */
static void check_window(const char *from, const char *to, const reference *r, problems *p)
{
    char noun[32];
    static double mid[SERVE_MAX_STEPS];
    long o = 0, e = 0, a = 0, b = 0;
    if (sim_date_parse(r->origin, &o) || sim_date_parse(r->end, &e)) return;   /* sim validate names it */
    size_t n = step_midpoints(r, o, e, mid, SERVE_MAX_STEPS);
    if (n == 0) return;
    int fa = *from && !sim_date_parse(from, &a), tb = *to && !sim_date_parse(to, &b);
    long first = (long)floor(mid[0]) + 1, last = (long)floor(mid[n - 1]);   /* to > mid[0]; from <= mid[n - 1] */
    char lo[16], hi[16];
    int bad = 0;
    if (fa && (a < o || a > last)) {   /* before the start, or after the last step's midpoint */
        sim_date_format(o, lo);
        sim_date_format(last, hi);
        if (a < o) problem(p, "from", "%s is before the run's start (allowed: %s to %s, or empty for its start)", from, lo, hi);
        else problem(p, "from", "%s is after the midpoint of the run's last %s (%s), and a period counts in the window when "
                     "its midpoint does (allowed: %s to %s, or empty for its start)", from, step_noun(r, noun, sizeof noun), hi, lo, hi);
        bad = 1;
    }
    if (tb && (b < first || b > e)) {   /* after the end, or not past the first step's midpoint */
        sim_date_format(first, lo);
        sim_date_format(e, hi);
        char m0[16];
        sim_date_format(first - 1, m0);
        if (b > e) problem(p, "to", "%s is after the run's end (allowed: %s to %s, or empty for its end)", to, lo, hi);
        else if (b <= o) problem(p, "to", "%s is not after the run's start (allowed: %s to %s, or empty for its end)", to, lo, hi);
        else problem(p, "to", "%s is not after the midpoint of the run's first %s (%s), and a period counts in the window "
                     "when its midpoint does (allowed: %s to %s, or empty for its end)", to, step_noun(r, noun, sizeof noun), m0, lo, hi);
        bad = 1;
    }
    if (bad || !fa || !tb) return;
    for (size_t i = 0; i < n; i++)
        if ((double)a <= mid[i] && mid[i] < (double)b) return;
    size_t next = 0;   /* the first step whose midpoint is at or after from */
    while (next + 1 < n && mid[next] < (double)a) next++;
    sim_date_format(a, lo);
    sim_date_format((long)floor(mid[next]) + 1, hi);
    problem(p, "to", "the window %s to %s holds no series step (a step counts when its midpoint lies in the window; "
            "allowed from %s: %s or later)", from, to, lo, hi);
}

/* The programme's period in the form's words, with the one range that holds: both dates
 * within the reference's simulated period (origin to labour_market.end), the end after
 * the start. (The loader allows any end up to 2200; but a budget "in total" spread over
 * years that are not simulated would compare unequal money.) */
static void check_period(const char *start, const char *end, const reference *r, problems *p)
{
    long s = 0, e = 0, o = 0, h = 0;
    if (sim_date_parse(r->origin, &o) || sim_date_parse(r->end, &h)) return;   /* the reference's own problem */
    int s_ok = !sim_date_parse(start, &s) && s >= o && s < h, e_date = !sim_date_parse(end, &e);
    if (!s_ok)
        problem(p, "start", "'%.40s' (allowed: a date YYYY-MM-DD from %s, the start of the simulated period, to "
                "before %s, its end)", start, r->origin, r->end);
    if (e_date && e > h)
        problem(p, "end", "%s is after the end of the simulated horizon (allowed: after the start %s, up to %s, the "
                "reference's labour_market.end)", end, start, r->end);
    else if (!e_date || e <= o)
        problem(p, "end", "'%.40s' (allowed: a date YYYY-MM-DD after the start, up to %s, the end of the simulated "
                "period)", end, r->end);
    else if (s_ok && e <= s)
        problem(p, "end", "%s is not after the start %s (allowed: a later date, up to %s)", end, start, r->end);
}

/* The form's own fields (each alone; the loader checks the rest). */
static void check_fields(const form *f, problems *p)
{
    const char *kind = field(f, "kind"), *unit = field(f, "budget_unit"), *regions = field(f, "regions");
    const char *title = field(f, "title"), *lang = field(f, "lang"), *from = field(f, "from"), *to = field(f, "to");
    double v = 0;
    long w = 0;
    if (!reference_ok(field(f, "reference"))) problem(p, "reference", "unknown reference scenario (allowed: one listed in the menu)");
    if (!*title || !text_ok(title, 150)) problem(p, "title", "a title of 1 to 150 characters without quotes or backslashes");
    if (strcmp(kind, "incidental") && strcmp(kind, "structural")) problem(p, "kind", "allowed: incidental, structural");
    if (strcmp(unit, "total") && strcmp(unit, "region_total") && strcmp(unit, "region_year"))
        problem(p, "budget_unit", "allowed: total, region_total, region_year");
    check_number(p, f, "budget", 0, FORM_BUDGET_MAX, "a number of EUR million");
    check_number(p, f, "underspend", 0, FORM_PERCENT_MAX, "a percentage");
    check_number(p, f, "substitution", 0, FORM_PERCENT_MAX, "a percentage");
    if (!number(field(f, "share"), FORM_SHARE_MIN, 1, &v))
        problem(p, "share", "'%.40s' (allowed: a share of the population from %g to 1)", field(f, "share"), FORM_SHARE_MIN);
    if (!number(field(f, "reps"), 1, FORM_REPS_MAX, &v) || v != floor(v))
        problem(p, "reps", "'%.40s' (allowed: a whole number from 1 to %d)", field(f, "reps"), FORM_REPS_MAX);
    if (!*regions || !text_ok(regions, 2000) || strspn(regions, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ,.'()/-") != strlen(regions))
        problem(p, "regions", "\"all\" or region names separated by commas (letters, digits, spaces, - ' . ( ) /)");
    if (strcmp(lang, "en") && strcmp(lang, "nl")) problem(p, "lang", "allowed: en, nl");
    if (*from && sim_date_parse(from, &w)) problem(p, "from", "a date YYYY-MM-DD or empty");
    if (*to && sim_date_parse(to, &w)) problem(p, "to", "a date YYYY-MM-DD or empty");
}

/* The overlay for a form, or NULL with problems: the reference's world (base.cfg, its
 * Covid-19 shock and cooperation; check_world confirms it after sim validate) with the
 * user's programme, so that the alternative differs from the reference only there. */
static char *build_overlay(const form *f, problems *p, linemap *m, job *j)
{
    const char *kind = field(f, "kind"), *unit = field(f, "budget_unit"), *regions = field(f, "regions");
    const char *start = field(f, "start"), *end = field(f, "end"), *title = field(f, "title"), *ref = field(f, "reference");
    check_fields(f, p);
    reference r;
    if (!p->n && reference_load(ref, &r) != 0)
        problem(p, "reference", "scenarios/%s.cfg does not load (sim validate scenarios/%s.cfg names the problem)", ref, ref);
    if (p->n) return NULL;
    check_context(f, &r, p);
    int proportional = !strcmp(coop_rule(f, &r, p), "proportional");
    check_window(field(f, "from"), field(f, "to"), &r, p);
    check_period(start, end, &r, p);
    buf names = {0};
    int nreg = region_list(regions, &r, &names, p);
    if (p->n) { free(names.s); return NULL; }
    /* Convert the budget to what the model reads: per region in total (incidental) or
     * per region per year (structural). Bad dates are left for the loader to name. */
    double budget = 0, under = 0, subst = 0, share = 0, reps = 0;
    long d0 = 0, d1 = 0;
    number(field(f, "budget"), 0, FORM_BUDGET_MAX, &budget);   /* each checked by check_fields */
    number(field(f, "underspend"), 0, FORM_PERCENT_MAX, &under);
    number(field(f, "substitution"), 0, FORM_PERCENT_MAX, &subst);
    number(field(f, "share"), FORM_SHARE_MIN, 1, &share);
    number(field(f, "reps"), 1, FORM_REPS_MAX, &reps);
    double years = !sim_date_parse(start, &d0) && !sim_date_parse(end, &d1) && d1 > d0 ? (double)(d1 - d0) / 365.2425 : 1.0;
    double eur = budget * 1e6, per_region = !strcmp(unit, "total") ? eur / nreg : eur;
    int structural = !strcmp(kind, "structural");
    if (structural && strcmp(unit, "region_year")) per_region /= years;
    if (!structural && !strcmp(unit, "region_year")) per_region *= years;
    buf b = {0};
    dl_name dl = download_name(j->id, "alt.cfg");
    cfg_line(&b, m, "form", "# %s: built by sim serve (run %d). Save the download as scenarios/%s in", title, j->id, dl.s);
    cfg_line(&b, m, "form", "# the repository (its @include lines name files there) and run it from the repository root:");
    char sample[16];
    trace_sample(share, sample, sizeof sample);
    cfg_line(&b, m, "form", "#   sim run scenarios/%s -r %d --set labour_market.scale=%.15g -d events --sample %s", dl.s,
             (int)reps, share, sample);
    cfg_line(&b, m, "form", "# The world of the reference scenarios/%s.cfg (only the programme differs):", ref);
    cfg_line(&b, m, "form", "@include \"%s/scenarios/base.cfg\"", S.root);
    if (r.covid) cfg_line(&b, m, "covid", "@include \"%s/scenarios/parts/covid.cfg\"", S.root);
    if (r.has_cooperation) cfg_line(&b, m, "cooperation", "cooperation = { maturity_offset = %.15g; };", r.cooperation);
    cfg_line(&b, m, "form", "# The alternative's programme:");
    cfg_line(&b, m, "title", "title = \"%s\";", title);
    cfg_line(&b, m, "form", "programmes = (");
    cfg_line(&b, m, "title", "  { name = \"%s\";", title);
    cfg_line(&b, m, "kind", "    kind = \"%s\";", kind);
    cfg_line(&b, m, "regions", "    regions = [%s];", names.s ? names.s : "");
    free(names.s);
    cfg_line(&b, m, "budget", "    budget_per_region = %.2f;   # EUR per region %s", per_region,
             structural ? "per year" : "in total");
    cfg_line(&b, m, "start", "    start = \"%s\";", start);
    cfg_line(&b, m, "end", "    end = \"%s\";", end);
    cfg_line(&b, m, "form", "    tranches = ();");
    cfg_line(&b, m, "form", "    ramp_up_months = 3.0; weak_extra_months = 4.0;   # as scenarios/parts/pow-*.cfg (assumption)");
    cfg_line(&b, m, "underspend", "    underspend = %.6g;", under / 100);
    cfg_line(&b, m, "substitution", "    substitution = %.6g;", subst / 100);
    cfg_line(&b, m, "form", "    substitution_maturity = 0.30;   # (assumption, as scenarios/parts/pow-*.cfg)");
    cfg_line(&b, m, "form", "    spending = { barrier_removal = 0.05; workfit = 0.25; praktijkleren = 0.15; bbl = 0.0; "
                           "sector_training = 0.10; retraining = 0.05; jobcoach = 0.10; client_managers = 0.15; cooperation = 0.15; };");
    cfg_line(&b, m, "form", "    maturity_gain_per_year = 0.30;   # (assumption)");
    double full = !proportional ? 0.0 : r.coop_full > 0 ? r.coop_full : SERVE_COOP_FULL;   /* a dose reference's own amount */
    cfg_line(&b, m, "cooperation_rule", "    cooperation_money_for_full_gain = %.1f;   # %s", full,
             proportional ? "EUR per region per year: cooperation grows in proportion to its money up to this "
                            "(assumption, as scenarios/pow-*-dose.cfg)"
                          : "0: any funded cooperation work gives the whole growth (assumption, as scenarios/parts/pow-*.cfg)");
    cfg_line(&b, m, "form", "  }");
    cfg_line(&b, m, "form", ");");
    snprintf(j->ref, sizeof j->ref, "%s", ref);
    snprintf(j->title, sizeof j->title, "%s", title);
    snprintf(j->lang, sizeof j->lang, "%s", field(f, "lang"));
    snprintf(j->from, sizeof j->from, "%s", field(f, "from"));
    snprintf(j->to, sizeof j->to, "%s", field(f, "to"));
    j->reps = (int)reps, j->share = share, j->total = 2 * (int)reps;
    return b.s;
}

/* `sim validate` on the overlay at path (same loader as the CLI); its "path:LINE: msg"
 * lines become problems of the field of that line. Returns the number of problems. */
static int validate(const char *path, const linemap *m, problems *p)
{
    char log[SERVE_TMP];
    snprintf(log, sizeof log, "%s.validate", path);
    pid_t pid = fork();
    if (pid == 0) {
        int e = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644), o = open("/dev/null", O_WRONLY);
        if (e < 0 || o < 0) _exit(127);
        dup2(o, 1), dup2(e, 2);
        execl(S.exe, "sim", "validate", path, (char *)NULL);
        _exit(127);
    }
    int status = 0;
    if (pid < 0 || waitpid(pid, &status, 0) < 0) {
        problem(p, "form", "cannot start sim validate");
        return p->n;
    }
    char *text = read_file(log, 1 << 16);
    unlink(log);
    size_t plen = strlen(path);
    for (char *line = text, *next; line && *line; line = next) {
        next = strchr(line, '\n');
        if (next) *next++ = 0;
        if (!strncmp(line, "sim: ", 5) && strstr(line, "problem")) continue;   /* the closing count */
        int ln = 0;
        const char *msg = line;
        if (!strncmp(line, path, plen) && line[plen] == ':' && sscanf(line + plen + 1, "%d", &ln) == 1) {
            msg = strchr(line + plen + 1, ':');
            msg = msg ? msg + 1 + (msg[1] == ' ') : line;
        }
        problem(p, ln >= 1 && ln <= m->nlines ? m->field[ln - 1] : "form", "%s", msg);
    }
    free(text);
    if (!p->n && !(WIFEXITED(status) && WEXITSTATUS(status) == 0)) problem(p, "form", "sim validate failed");
    return p->n;
}

/* ------------------------------------------------------------------ HTTP -- */

typedef struct {
    struct MHD_PostProcessor *pp;
    form                      f;
    size_t                    raw;   /* bytes of body received */
    buf                       body;  /* a form POST's body, kept while raw <= MAX_BODY (for error messages) */
} request_state;

static enum MHD_Result reply(struct MHD_Connection *c, unsigned code, const char *type, const char *body,
                             size_t len, const char *disposition)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
    if (!r) return MHD_NO;
    MHD_add_response_header(r, "Content-Type", type);
    MHD_add_response_header(r, "Cache-Control", "no-store");
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    if (disposition) MHD_add_response_header(r, "Content-Disposition", disposition);
    enum MHD_Result ok = MHD_queue_response(c, code, r);
    MHD_destroy_response(r);
    return ok;
}

static enum MHD_Result reply_error(struct MHD_Connection *c, unsigned code, const char *msg)
{
    buf b = {0};
    bprintf(&b, "{\"error\": ");
    bjson(&b, msg);
    bprintf(&b, "}\n");
    enum MHD_Result ok = reply(c, code, "application/json", b.s ? b.s : "{}", b.s ? b.n : 2, NULL);
    free(b.s);
    return ok;
}

static enum MHD_Result reply_buf(struct MHD_Connection *c, unsigned code, buf *b)
{
    if (!b->s) return reply_error(c, 500, "out of memory");
    enum MHD_Result ok = reply(c, code, "application/json", b->s, b->n, NULL);
    free(b->s);
    return ok;
}

/* A file of a fixed table, read whole (assets and run files are small or modest). */
static enum MHD_Result reply_file(struct MHD_Connection *c, const char *path, const char *type, const char *download)
{
    int fd = open(path, O_RDONLY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        if (fd >= 0) close(fd);
        return reply_error(c, 404, "no such file (the run has not written it, or it failed)");
    }
    struct MHD_Response *r = MHD_create_response_from_fd((uint64_t)st.st_size, fd);
    if (!r) { close(fd); return MHD_NO; }
    MHD_add_response_header(r, "Content-Type", type);
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    char disp[128];
    if (download) {
        snprintf(disp, sizeof disp, "attachment; filename=\"%s\"", download);
        MHD_add_response_header(r, "Content-Disposition", disp);
    }
    enum MHD_Result ok = MHD_queue_response(c, 200, r);
    MHD_destroy_response(r);
    return ok;
}

/* The run's alt.cfg as downloaded: its @include lines for the repository's scenarios
 * ("@include \"ROOT/scenarios/base.cfg\"", as the server runs it from its results
 * directory) relative to scenarios/ ("@include \"base.cfg\""), where its header says
 * to save it, as the library's own scenarios include; every other line as written. */
static enum MHD_Result reply_scenario(struct MHD_Connection *c, const char *path, const char *type, const char *download)
{
    char *text = read_file(path, 1 << 20);   /* a few KB as build_overlay writes it */
    if (!text) return reply_error(c, 404, "no such file (the run has not written it, or it failed)");
    buf prefix = {0}, out = {0};
    bprintf(&prefix, "@include \"%s/scenarios/", S.root);
    bprintf(&out, "%s", "");   /* allocated even for an empty file */
    for (char *line = text, *next; prefix.s && *line; line = next) {
        next = strchr(line, '\n');
        next = next ? next + 1 : line + strlen(line);
        int local = !strncmp(line, prefix.s, prefix.n);
        const char *from = local ? line + prefix.n : line;
        bprintf(&out, "%s%.*s", local ? "@include \"" : "", (int)(next - from), from);
    }
    free(text);
    free(prefix.s);
    buf disp = {0};
    bprintf(&disp, "attachment; filename=\"%s\"", download);
    enum MHD_Result ok = out.s && disp.s ? reply(c, 200, type, out.s, out.n, disp.s) : reply_error(c, 500, "out of memory");
    free(out.s);
    free(disp.s);
    return ok;
}

static void job_json(buf *b, const job *j)
{
    bprintf(b, "{\"id\": %d, \"state\": \"%s\", \"reference\": ", j->id, state_names[j->state]);
    bjson(b, j->ref);
    bprintf(b, ", \"title\": ");
    bjson(b, j->title);
    bprintf(b, ", \"lang\": ");
    bjson(b, j->lang);
    bprintf(b, ", \"replications\": %d, \"share\": %g, \"done\": %d, \"total\": %d, \"elapsed\": %.1f, ",
            j->reps, j->share, j->done, j->total, j->elapsed);
    /* -1: not known (before the first replication, after the last, and while the report is made) */
    double left = j->done > 0 && j->done < j->total && j->state == RUNNING ? j->elapsed / j->done * (j->total - j->done) : -1;
    bprintf(b, "\"seconds_left\": %.0f, \"message\": ", left);
    bjson(b, j->message);
    bprintf(b, "}");
}

static enum MHD_Result get_runs(struct MHD_Connection *c)
{
    buf b = {0};
    bprintf(&b, "[");
    pthread_mutex_lock(&S.lock);
    for (int i = S.njobs - 1; i >= 0; i--) {
        bprintf(&b, i < S.njobs - 1 ? ",\n" : "\n");
        job_json(&b, &S.jobs[i]);
    }
    pthread_mutex_unlock(&S.lock);
    bprintf(&b, "\n]\n");
    return reply_buf(c, 200, &b);
}

/* What the page says about the server: how many finished runs it keeps (0: all), how
 * many may wait or work at once, and the form's ranges. */
static enum MHD_Result get_settings(struct MHD_Connection *c)
{
    buf b = {0};
    /* the form's ranges, so that the page's preview says what Check would (check_fields) */
    bprintf(&b, "{\"keep\": %d, \"max_queue\": %d, \"limits\": {\"budget_max\": %g, \"percent_max\": %g, "
            "\"share_min\": %g, \"reps_max\": %d}}\n", S.req.keep, S.req.max_queue, FORM_BUDGET_MAX, FORM_PERCENT_MAX,
            FORM_SHARE_MIN, FORM_REPS_MAX);
    return reply_buf(c, 200, &b);
}

/* A reference's world and first programme (null when it has none), as JSON members:
 * the page keeps Covid-19 and cooperation as the reference's and lists what the
 * alternative changes. */
static void reference_json(buf *b, const reference *r)
{
    bprintf(b, ", \"covid\": %s, \"cooperation\": %.15g, \"cooperation_rule\": \"%s\", \"regions\": %d, \"horizon\": [",
            r->covid ? "true" : "false", r->cooperation, coop_rule_of(r), r->nregions);
    bjson(b, r->origin);
    bprintf(b, ", ");
    bjson(b, r->end);
    bprintf(b, "], \"series_step_months\": %.15g, \"programmes\": %d, \"programme\": ", r->step_months, r->nprog);
    if (!r->nprog) { bprintf(b, "null"); return; }
    bprintf(b, "{\"kind\": ");
    bjson(b, r->kind);
    bprintf(b, ", \"budget_per_region\": %.15g, \"region_names\": ", r->budget);
    bjson(b, r->region_names);
    bprintf(b, ", \"start\": ");
    bjson(b, r->start);
    bprintf(b, ", \"end\": ");
    bjson(b, r->prog_end);
    bprintf(b, ", \"underspend\": %.15g, \"substitution\": %.15g, \"tranches\": %d}", r->underspend, r->substitution,
            r->ntranches);
}

/* The title of the scenario file at path, whole (allocated: no title is cut), as its
 * title line writes it: from the first line starting `title = "` to the closing quote or
 * the line's end; NULL when it has none. reference_ok lists only files with that line. */
static char *scenario_title(const char *path)
{
    char *text = read_file(path, 1 << 16), *p = text ? strstr(text, "\ntitle = \"") : NULL;
    char *t = p ? strndup(p + 10, strcspn(p + 10, "\"\n")) : NULL;
    free(text);
    return t;
}

/* The library's scenarios that can be a reference: name, title and reference_json. */
static enum MHD_Result get_scenarios(struct MHD_Connection *c)
{
    char dir[SERVE_PATH];
    snprintf(dir, sizeof dir, "%s/scenarios", S.root);
    struct dirent **list = NULL;
    int n = scandir(dir, &list, NULL, alphasort);
    buf b = {0};
    bprintf(&b, "[");
    int k = 0;
    for (int i = 0; i < n; i++) {
        char name[256];
        snprintf(name, sizeof name, "%s", list[i]->d_name);
        char *dot = strrchr(name, '.');
        if (dot && !strcmp(dot, ".cfg")) {
            *dot = 0;
            if (reference_ok(name)) {
                char path[SERVE_TMP];
                snprintf(path, sizeof path, "%s/%s.cfg", dir, name);
                char *t = scenario_title(path);
                bprintf(&b, "%s\n{\"name\": ", k++ ? "," : "");
                bjson(&b, name);
                bprintf(&b, ", \"title\": ");
                bjson(&b, t ? t : name);
                free(t);
                reference r;
                if (reference_load(name, &r) == 0) reference_json(&b, &r);
                bprintf(&b, "}");
            }
        }
        free(list[i]);
    }
    free(list);
    bprintf(&b, "\n]\n");
    return reply_buf(c, 200, &b);
}

/* {"errors": [{"field": ..., "message": ...}, ...]}; problems beyond PROBLEMS_MAX are
 * counted in a last entry of the form field. */
static void problems_json(buf *b, const problems *p)
{
    bprintf(b, "{\"errors\": [");
    for (int i = 0; i < p->n; i++) {
        bprintf(b, "%s{\"field\": ", i ? ", " : "");
        bjson(b, p->field[i]);
        bprintf(b, ", \"message\": ");
        bjson(b, p->msg[i] ? p->msg[i] : "(out of memory: this message was lost)");
        bprintf(b, "}");
    }
    if (p->more)
        bprintf(b, ", {\"field\": \"form\", \"message\": \"and %d more problem%s, not shown (fix these first)\"}",
                p->more, p->more == 1 ? "" : "s");
    bprintf(b, "]}\n");
}

/* POST /api/validate (check only) or /api/runs (check, then queue). */
static enum MHD_Result post_form(struct MHD_Connection *c, const form *f, int queue)
{
    problems p = {.n = 0};
    linemap m = {.nlines = 0};
    pthread_mutex_lock(&S.lock);
    int full = queue && jobs_waiting() >= S.req.max_queue, id = S.next_id;
    if (S.njobs >= MAX_JOBS) full = 1;
    pthread_mutex_unlock(&S.lock);
    if (full) return reply_error(c, 429, "the queue is full; wait for a run to finish or cancel one");
    job j = {.id = id, .state = QUEUED};
    char *cfg = build_overlay(f, &p, &m, &j);
    int wrote = cfg != NULL;
    char dir[SERVE_PATH], path[SERVE_FILE];
    snprintf(dir, sizeof dir, "%s/runs/%06d", S.results, id);
    if (cfg) {
        if (!queue) snprintf(dir, sizeof dir, "%s/validate", S.results);
        snprintf(path, sizeof path, "%s/alt.cfg", dir);
        int err = mkdir(dir, 0755) == 0 || (!queue && errno == EEXIST) ? 0 : errno;
        if (err) {   /* a run's directory is new: a name in use is not written into, the next try takes the next one */
            problem(&p, "form", "cannot create %s: %s", dir, strerror(err));
            wrote = 0;
            pthread_mutex_lock(&S.lock);
            if (err == EEXIST && S.next_id == id) S.next_id = id + 1;
            pthread_mutex_unlock(&S.lock);
        } else if (write_file(path, cfg) != 0) problem(&p, "form", "cannot write %s: %s", path, strerror(errno));
        else if (validate(path, &m, &p) == 0) check_world(path, j.ref, &p);
    }
    free(cfg);
    buf b = {0};
    if (p.n) {   /* a check answers 200 with its findings; a refused run is 422 */
        if (queue && wrote) { unlink(path); rmdir(dir); }
        problems_json(&b, &p);
        problems_free(&p);
        return reply_buf(c, queue ? 422 : 200, &b);
    }
    if (!queue) {
        bprintf(&b, "{\"errors\": []}\n");
        return reply_buf(c, 200, &b);
    }
    pthread_mutex_lock(&S.lock);
    S.jobs[S.njobs] = j;
    job_save(&S.jobs[S.njobs]);
    S.njobs++;
    S.next_id = id + 1;
    pthread_cond_signal(&S.wake);
    job_json(&b, &j);
    pthread_mutex_unlock(&S.lock);
    bprintf(&b, "\n");
    return reply_buf(c, 201, &b);
}

static enum MHD_Result cancel_run(struct MHD_Connection *c, int id)
{
    pthread_mutex_lock(&S.lock);
    job *j = job_find(id);
    int ok = j && active(j->state);
    if (ok && j->state == QUEUED) {
        j->state = CANCELLED;
        snprintf(j->message, sizeof j->message, "cancelled before it started");
        j->ended = wall_s();
        job_save(j);
    } else if (ok) {
        j->cancel = 1;
        if (j->pid > 0) kill(j->pid, SIGINT);
    }
    pthread_mutex_unlock(&S.lock);
    if (!j) return reply_error(c, 404, "no such run");
    if (!ok) return reply_error(c, 409, "the run is not waiting or running");
    return reply(c, 202, "application/json", "{\"cancel\": true}\n", 16, NULL);
}

/* "/runs/NNNNNN/FILE" or "/api/runs/N[/cancel]": the run number (digits only, at most
 * 6) and what follows it; -1 if the text is not that. */
static int run_number(const char *s, const char **rest)
{
    size_t n = strspn(s, "0123456789");
    if (n == 0 || n > 6) return -1;
    *rest = s + n;
    return atoi(s);
}

/* The files of a run that may be downloaded: fixed names, never the request's. */
static const struct { const char *name, *type; int attach; } run_files[] = {
    {"alt.cfg", "text/plain; charset=utf-8", 1}, {"ref.h5", "application/x-hdf5", 1},
    {"alt.h5", "application/x-hdf5", 1}, {"compare.csv", "text/csv; charset=utf-8", 1},
    {"report.html", "text/html; charset=utf-8", 0}, {"log.txt", "text/plain; charset=utf-8", 0},
};

static enum MHD_Result get_run_file(struct MHD_Connection *c, const char *url)
{
    const char *rest;
    int id = run_number(url, &rest);
    pthread_mutex_lock(&S.lock);
    job *j = id >= 0 ? job_find(id) : NULL;
    job copy = j ? *j : (job){0};
    pthread_mutex_unlock(&S.lock);
    if (!j || *rest != '/') return reply_error(c, 404, "no such run");
    for (size_t i = 0; i < SIM_ARRAY_LEN(run_files); i++)
        if (!strcmp(rest + 1, run_files[i].name)) {
            char path[SERVE_FILE];
            dl_name dl = download_name(id, run_files[i].name);
            job_path(&copy, run_files[i].name, path, sizeof path);
            if (!strcmp(run_files[i].name, "alt.cfg")) return reply_scenario(c, path, run_files[i].type, dl.s);
            return reply_file(c, path, run_files[i].type, run_files[i].attach ? dl.s : NULL);
        }
    return reply_error(c, 404, "no such file (allowed: alt.cfg, ref.h5, alt.h5, compare.csv, report.html, log.txt)");
}

static const struct { const char *url, *file, *type; } assets[] = {
    {"/", "index.html", "text/html; charset=utf-8"},
    {"/static/app.js", "app.js", "text/javascript; charset=utf-8"},
    {"/static/style.css", "style.css", "text/css; charset=utf-8"},
};

static int loopback(struct MHD_Connection *c)
{
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (!ci || !ci->client_addr) return 0;
    if (ci->client_addr->sa_family == AF_INET)
        return (ntohl(((const struct sockaddr_in *)(const void *)ci->client_addr)->sin_addr.s_addr) >> 24) == 127;
    if (ci->client_addr->sa_family == AF_INET6)
        return IN6_IS_ADDR_LOOPBACK(&((const struct sockaddr_in6 *)(const void *)ci->client_addr)->sin6_addr);
    return 0;
}

static enum MHD_Result route_get(struct MHD_Connection *c, const char *url)
{
    for (size_t i = 0; i < SIM_ARRAY_LEN(assets); i++)
        if (!strcmp(url, assets[i].url)) {
            char path[SERVE_FILE];
            snprintf(path, sizeof path, "%s/sim/app/web/%s", S.root, assets[i].file);
            return reply_file(c, path, assets[i].type, NULL);
        }
    if (!strcmp(url, "/api/scenarios")) return get_scenarios(c);
    if (!strcmp(url, "/api/runs")) return get_runs(c);
    if (!strcmp(url, "/api/settings")) return get_settings(c);
    const char *rest;
    if (!strncmp(url, "/api/runs/", 10) && run_number(url + 10, &rest) >= 0 && !*rest) {
        pthread_mutex_lock(&S.lock);
        job *j = job_find(atoi(url + 10));
        buf b = {0};
        if (j) job_json(&b, j);
        pthread_mutex_unlock(&S.lock);
        if (!j) return reply_error(c, 404, "no such run");
        bprintf(&b, "\n");
        return reply_buf(c, 200, &b);
    }
    if (!strncmp(url, "/runs/", 6)) return get_run_file(c, url + 6);
    return reply_error(c, 404, "no such page");
}

/* One piece of a form field from the post processor: a value may come in pieces (off
 * is where this piece starts in it); off 0 for a field already held is the same name
 * sent again, kept in f->repeated instead of joined to the first value. */
static enum MHD_Result on_field(void *cls, enum MHD_ValueKind kind, const char *key, const char *filename,
                                const char *type, const char *enc, const char *data, uint64_t off, size_t size)
{
    (void)kind, (void)filename, (void)type, (void)enc;
    form *f = cls;
    f->bytes += size;
    if (f->bad || f->bytes > MAX_BODY) { f->bad = 1; return MHD_YES; }
    int i = 0;
    while (i < f->n && strcmp(f->name[i], key)) i++;
    if (i < f->n && off == 0) {   /* a new value (not the next piece of one) for a field we have */
        if (!f->repeated && !(f->repeated = strdup(key))) f->bad = 1;
        return MHD_YES;
    }
    if (i == f->n) {
        if (f->n == MAX_FIELDS) { f->bad = 1; return MHD_YES; }
        f->name[i] = strdup(key), f->value[i] = strdup(""), f->n++;
        if (!f->name[i] || !f->value[i]) { f->bad = 1; return MHD_YES; }
    }
    size_t had = strlen(f->value[i]);
    char *v = realloc(f->value[i], had + size + 1);
    if (!v) { f->bad = 1; return MHD_YES; }
    memcpy(v + had, data, size);
    v[had + size] = 0;
    f->value[i] = v;
    return MHD_YES;
}

/* 400 for a form the post processor refused. A field whose value holds a raw "="
 * (a browser sends it as %3D; a hand-made request may not) is named; otherwise
 * the message says what a form may hold. */
static enum MHD_Result reply_malformed(struct MHD_Connection *c, const buf *body)
{
    buf b = {0};
    const char *p = body->s ? body->s : "";
    while (*p) {
        size_t len = strcspn(p, "&");
        const char *eq = memchr(p, '=', len);
        if (eq && memchr(eq + 1, '=', len - (size_t)(eq + 1 - p))) {
            bprintf(&b, "the field \"%.*s\" holds an unencoded \"=\" (send it as %%3D, as a browser does)",
                    (int)(eq - p > 60 ? 60 : eq - p), p);
            enum MHD_Result ok = reply_error(c, 400, b.s ? b.s : "a field holds an unencoded \"=\" (send it as %3D)");
            free(b.s);
            return ok;
        }
        p += len + (p[len] == '&');
    }
    bprintf(&b, "malformed form (allowed: at most %d fields, each name=value, joined by &, URL-encoded)", MAX_FIELDS);
    enum MHD_Result ok = reply_error(c, 400, b.s ? b.s : "malformed form");
    free(b.s);
    return ok;
}

/* 400 for a form with a field sent twice, naming it (the page sends each field once). */
static enum MHD_Result reply_repeated(struct MHD_Connection *c, const char *name)
{
    buf b = {0};
    bprintf(&b, "the field \"%s\" is sent more than once (allowed: each field once)", name);
    enum MHD_Result ok = reply_error(c, 400, b.s ? b.s : "a field is sent more than once (allowed: each field once)");
    free(b.s);
    return ok;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                              const char *version, const char *data, size_t *size, void **state)
{
    (void)cls, (void)version;
    int post = !strcmp(method, "POST");
    if (!*state) {
        request_state *rs = calloc(1, sizeof *rs);
        if (!rs) return MHD_NO;
        *state = rs;
        if (post) {
            const char *ct = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
            if (ct && !strncasecmp(ct, "application/x-www-form-urlencoded", 33))
                rs->pp = MHD_create_post_processor(c, 4096, on_field, &rs->f);
        }
        return MHD_YES;
    }
    request_state *rs = *state;
    if (*size) {   /* a body (of any method): counted, parsed only for a form POST */
        rs->raw += *size;
        if (rs->raw <= MAX_BODY && rs->pp) {
            bprintf(&rs->body, "%.*s", (int)*size, data);
            if (MHD_post_process(rs->pp, data, *size) != MHD_YES) rs->f.bad = 1;
        }
        *size = 0;
        return MHD_YES;
    }
    if (!S.req.allow_remote && !loopback(c))
        return reply_error(c, 403, "only clients on this machine (loopback) are served; start with --allow-remote to change that");
    if (!S.req.quiet) fprintf(stderr, "sim serve: %s %s\n", method, url);
    if (!strcmp(method, "GET") || !strcmp(method, "HEAD")) return route_get(c, url);
    if (!post) return reply_error(c, 405, "method not allowed (allowed: GET, POST)");
    const char *rest;
    if (!strncmp(url, "/api/runs/", 10) && run_number(url + 10, &rest) >= 0 && !strcmp(rest, "/cancel"))
        return cancel_run(c, atoi(url + 10));
    int runs = !strcmp(url, "/api/runs"), val = !strcmp(url, "/api/validate");
    if (!runs && !val) return reply_error(c, 404, "no such action");
    if (rs->raw > MAX_BODY || rs->f.bytes > MAX_BODY) return reply_error(c, 413, "the form is too large (at most 16 KiB)");
    if (!rs->pp) return reply_error(c, 415, "send the form as application/x-www-form-urlencoded");
    if (rs->f.bad) return reply_malformed(c, &rs->body);
    if (rs->f.repeated) return reply_repeated(c, rs->f.repeated);
    return post_form(c, &rs->f, runs);
}

static void completed(void *cls, struct MHD_Connection *c, void **state, enum MHD_RequestTerminationCode tc)
{
    (void)cls, (void)c, (void)tc;
    request_state *rs = *state;
    if (!rs) return;
    if (rs->pp) MHD_destroy_post_processor(rs->pp);
    form_free(&rs->f);
    free(rs->body.s);
    free(rs);
    *state = NULL;
}

/* ------------------------------------------------------------------ main -- */

/* The executable and the repository root (its web assets checked). 0, or -1 after a message. */
static int setup_root(const sim_serve_request *req)
{
    ssize_t n = readlink("/proc/self/exe", S.exe, sizeof S.exe - 1);
    if (n <= 0) { sim_log_error("serve: cannot find the sim executable (/proc/self/exe)"); return -1; }
    S.exe[n] = 0;
    if (req->root) snprintf(S.root, sizeof S.root, "%s", req->root);
    else {
        snprintf(S.root, sizeof S.root, "%s", S.exe);
        for (int k = 0; k < 2; k++) { char *s = strrchr(S.root, '/'); if (s) *s = 0; }
    }
    char probe[SERVE_PATH];
    snprintf(probe, sizeof probe, "%s/sim/app/web/index.html", S.root);
    if (access(probe, R_OK) != 0) {
        sim_log_error("serve: %s: missing (allowed: --root DIR, the repository holding sim/app/web and scenarios)", probe);
        return -1;
    }
    return 0;
}

/* The results directory and its runs/, created once the port is ours (a failed start
 * leaves nothing behind). 0, or -1 after a message. */
/* One server per results directory: an exclusive lock on RESULTS/.serve.lock, held
 * (its descriptor left open) until the process ends. A second server would mark the
 * first one's running run as failed and remove runs it still lists. 0, or -1 after a
 * message. */
static int lock_results(void)
{
    char path[SERVE_PATH + 16];
    snprintf(path, sizeof path, "%s/.serve.lock", S.results);
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) { sim_log_error("serve: %s: %s", path, strerror(errno)); return -1; }
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        int busy = errno == EWOULDBLOCK;
        sim_log_error("serve: %s: %s (allowed: stop the other sim serve, or -o another results directory)", S.results,
                      busy ? "another sim serve uses this results directory" : strerror(errno));
        close(fd);
        return -1;
    }
    return 0;   /* fd stays open: the lock lasts as long as this server */
}

static int setup_results(const sim_serve_request *req)
{
    const char *res = req->results ? req->results : "results/serve";
    if (!req->results) mkdir("results", 0755);
    if (mkdir(res, 0755) != 0 && errno != EEXIST) {
        sim_log_error("serve: %s: cannot create the results directory: %s", res, strerror(errno));
        return -1;
    }
    if (!realpath(res, S.results)) { sim_log_error("serve: %s: %s", res, strerror(errno)); return -1; }
    if (lock_results() != 0) return -1;
    char probe[SERVE_PATH];
    snprintf(probe, sizeof probe, "%s/runs", S.results);
    if ((mkdir(probe, 0755) != 0 && errno != EEXIST) || access(probe, W_OK) != 0) {
        sim_log_error("serve: %s: not writable: %s", probe, strerror(errno));
        return -1;
    }
    struct stat st;
    if (req->keep > 0 && (lstat(probe, &st) != 0 || !S_ISDIR(st.st_mode))) {   /* old runs are removed only there */
        sim_log_error("serve: %s: a symbolic link; --keep removes old runs only in a directory of the results directory "
                      "itself (allowed: -o the directory it points to, or --keep 0)", probe);
        return -1;
    }
    return 0;
}

/* What to change when bind or listen failed with err: the address when it is not one
 * of this machine's, the port when it is taken or reserved; "" when neither applies. */
static const char *listen_hint(int err)
{
    switch (err) {
    case EADDRNOTAVAIL: return " (allowed: an address of this machine, e.g. 127.0.0.1 or 0.0.0.0 for all of them, see --bind)";
    case EADDRINUSE: return " (allowed: a free port, see --port)";
    case EACCES: return " (allowed: a port from 1024 up, see --port; lower ports need the rights to bind them)";
    default: return "";
    }
}

/* The listening socket, bound before anything is created (libmicrohttpd takes it over);
 * *port 0 asks the system for a free port and receives it. The fd, or -1 after a message
 * naming the address and what to change. */
static int listen_on(const struct sockaddr_in *addr, const char *host, int *port)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), on = 1;
    struct sockaddr_in got;
    socklen_t len = sizeof got;
    if (fd >= 0) setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    if (fd < 0 || bind(fd, (const struct sockaddr *)addr, sizeof *addr) != 0 || listen(fd, 64) != 0
        || getsockname(fd, (struct sockaddr *)&got, &len) != 0) {
        int err = errno;   /* before close() may change it */
        sim_log_error("serve: cannot listen on %s:%d: %s%s", host, *port, strerror(err), listen_hint(err));
        if (fd >= 0) close(fd);
        return -1;
    }
    *port = ntohs(got.sin_port);
    return fd;
}

/* libmicrohttpd's own messages, one line each with the sim: prefix. */
static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    char line[SIM_MESSAGE_MAX];
    vsnprintf(line, sizeof line, fmt, ap);
    line[strcspn(line, "\n")] = 0;
    sim_log_error("serve: %s", line);
}

int sim_serve_main(const sim_serve_request *req)
{
    S.req = *req;
    if (S.req.max_queue <= 0) S.req.max_queue = 4;
    S.jobs = calloc(MAX_JOBS, sizeof *S.jobs);
    if (!S.jobs || setup_root(req) != 0) return SIM_EXIT_RUNTIME;
    const char *host = req->bind ? req->bind : "127.0.0.1";
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)req->port)};
    if (inet_pton(AF_INET, host, &addr.sin_addr) != 1) {
        sim_log_error("serve: --bind %s: not an IPv4 address (e.g. 127.0.0.1)", host);
        return SIM_EXIT_USAGE;
    }
    int port = req->port;
    int fd = listen_on(&addr, host, &port);
    if (fd < 0) return SIM_EXIT_RUNTIME;
    if (setup_results(req) != 0) { close(fd); return SIM_EXIT_RUNTIME; }
    signal(SIGPIPE, SIG_IGN);
    jobs_load();
    if (S.req.keep > 0) {   /* before the worker starts: no run is in progress */
        runs_remove_leftovers();
        jobs_retain();
    }
    pthread_t t;
    if (pthread_create(&t, NULL, worker, NULL) != 0) { sim_log_error("serve: cannot start the worker thread"); return SIM_EXIT_RUNTIME; }
    struct MHD_Daemon *d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG, 0, NULL, NULL, handle, NULL,
                                            MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL, MHD_OPTION_LISTEN_SOCKET, fd,
                                            MHD_OPTION_NOTIFY_COMPLETED, completed, NULL,
                                            MHD_OPTION_CONNECTION_LIMIT, (unsigned)64,
                                            MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30, MHD_OPTION_END);
    if (!d) {
        sim_log_error("serve: cannot serve on %s:%d", host, port);
        return SIM_EXIT_RUNTIME;
    }
    char kept[64] = "every run kept";
    if (S.req.keep > 0) snprintf(kept, sizeof kept, "the %d runs that finished last kept", S.req.keep);
    printf("sim serve: http://%s:%d/  (results in %s, %s; stop with Ctrl-C)\n", host, port, S.results, kept);
    fflush(stdout);
    for (;;) pause();
}
