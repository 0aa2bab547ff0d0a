/* serve_keep.c: see serve_keep.h. */
#define _GNU_SOURCE
#include "serve_keep.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* 1 if run a ended after run b (by when, then by number). */
static int ended_after(const serve_keep_run *a, const serve_keep_run *b)
{
    return a->ended > b->ended || (a->ended == b->ended && a->id > b->id);
}

int serve_keep_choose(const serve_keep_run *runs, int n, int keep, unsigned char *expire)
{
    int marked = 0;
    for (int i = 0; i < n; i++) {
        int later = 0;   /* finished runs that ended after this one */
        for (int k = 0; runs[i].finished && keep > 0 && k < n; k++) later += runs[k].finished && ended_after(&runs[k], &runs[i]);
        expire[i] = keep > 0 && runs[i].finished && later >= keep;
        marked += expire[i];
    }
    return marked;
}

/* 1 if name is six digits (a run's directory name, NNNNNN). */
static int run_name(const char *name)
{
    return strlen(name) == 6 && strspn(name, "0123456789") == 6;
}

int serve_run_dir(int runs, const char *name)
{
    struct stat st;
    char state[16];   /* "NNNNNN/job.txt" */
    if (!run_name(name)) return 0;
    if (fstatat(runs, name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISDIR(st.st_mode)) return 0;
    snprintf(state, sizeof state, "%s/job.txt", name);
    return fstatat(runs, state, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode);
}

int serve_check_cut_short(int runs, const char *name)
{
    struct stat st;
    if (!run_name(name)) return 0;
    if (fstatat(runs, name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISDIR(st.st_mode)) return 0;
    int fd = openat(runs, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC), other = 0;
    DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
    if (!d) {
        if (fd >= 0) close(fd);
        return 0;
    }
    for (struct dirent *e; (e = readdir(d));) {
        const char *n = e->d_name;
        if (!strcmp(n, ".") || !strcmp(n, "..")) continue;
        int check_file = !strcmp(n, "alt.cfg") || !strcmp(n, "alt.cfg.validate") || !strncmp(n, "alt.cfg.partial-", 16);
        if (!check_file || fstatat(fd, n, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode)) other = 1;
    }
    closedir(d);   /* closes fd */
    return !other;   /* the form check's files only, or none (stopped right after mkdir) */
}

int serve_remove_tree(int parent, const char *name, dev_t dev)
{
    struct stat st;
    if (fstatat(parent, name, &st, AT_SYMLINK_NOFOLLOW) != 0) return -1;
    if (!S_ISDIR(st.st_mode)) return unlinkat(parent, name, 0);
    if (st.st_dev != dev) { errno = EXDEV; return -1; }
    int fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC), bad = 0;
    DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
    if (!d) {
        if (fd >= 0) close(fd);
        return -1;
    }
    for (struct dirent *e; (e = readdir(d));)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) bad |= serve_remove_tree(fd, e->d_name, dev) != 0;
    closedir(d);
    return bad || unlinkat(parent, name, AT_REMOVEDIR) != 0 ? -1 : 0;
}
