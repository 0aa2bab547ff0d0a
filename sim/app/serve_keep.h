/* serve_keep.h: the run directories of `sim serve` on disk: which finished runs
 * --keep N removes, which directories are runs the server made, and removing one
 * safely. Nothing here follows a symbolic link or leaves its file system; the
 * caller (serve.c) holds the results directory's lock, keeps the list of runs and
 * says what it removed. */
#ifndef SIM_SERVE_KEEP_H
#define SIM_SERVE_KEEP_H

#include <sys/types.h>

/* A run as the retention rule sees it. finished: done, failed or cancelled with an
 * end time (a run that waits or works, or one made before --keep existed, is not). */
typedef struct {
    int    id;
    double ended;      /* seconds since the epoch when it finished */
    int    finished;
} serve_keep_run;

/* Set expire[i] (n entries) to 1 for every finished run beyond the `keep` that ended
 * last (later `ended`, then higher id, is newer), else 0; keep <= 0 marks none.
 * Runs that are not finished are never marked and not counted. Returns how many
 * are marked. Runs are ranked by when they ended, not by number: a long run that
 * ends after later ones were cancelled before they started is kept. */
int serve_keep_choose(const serve_keep_run *runs, int n, int keep, unsigned char *expire);

/* 1 if NAME in the directory runs (an fd) is a run directory the server made: six
 * digits, a directory itself (not a symbolic link to one) holding a regular file
 * job.txt (written when the run was queued). */
int serve_run_dir(int runs, const char *name);

/* 1 if NAME in runs is what a server stopped during a run's form check leaves: a
 * directory NNNNNN (not a link) holding nothing but the check's regular files (alt.cfg,
 * alt.cfg.validate, alt.cfg.partial-*), or nothing at all (stopped right after mkdir);
 * job.txt, written when the check passed, was never written. */
int serve_check_cut_short(int runs, const char *name);

/* Remove NAME in the directory parent (an fd) and everything below it, on the device
 * dev only (a file system mounted below is left) and never through a symbolic link (a
 * link is unlinked, what it points to is untouched). 0, or -1 when something could not
 * be removed (the rest still is; errno tells the last failure). */
int serve_remove_tree(int parent, const char *name, dev_t dev);

#endif
