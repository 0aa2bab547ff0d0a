/* files.c: the input registry and the output-path checks (files.h). */
#define _GNU_SOURCE
#include "files.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "../core/common.h"

typedef struct {
    dev_t dev;
    ino_t ino;
} file_id;

static file_id *inputs;
static size_t   ninputs, capinputs;

void sim_input_note(const struct stat *st)
{
    if (sim_input_is_noted(st)) return;
    if (ninputs == capinputs) {
        size_t cap = capinputs ? 2 * capinputs : 16;
        file_id *p = realloc(inputs, cap * sizeof *p);
        if (!p) return;   /* the check then misses this input; nothing else depends on it */
        inputs = p;
        capinputs = cap;
    }
    inputs[ninputs++] = (file_id){st->st_dev, st->st_ino};
}

void sim_input_note_path(const char *path)
{
    struct stat st;
    if (stat(path, &st) == 0) sim_input_note(&st);
}

int sim_input_is_noted(const struct stat *st)
{
    for (size_t i = 0; i < ninputs; i++)
        if (inputs[i].dev == st->st_dev && inputs[i].ino == st->st_ino) return 1;
    return 0;
}

static const char *kind_of(mode_t m)
{
    return S_ISDIR(m) ? "a directory" : S_ISCHR(m) ? "a character device" : S_ISBLK(m) ? "a block device"
         : S_ISFIFO(m) ? "a FIFO" : S_ISSOCK(m) ? "a socket" : "not a regular file";
}

/* A new output file: its directory must exist and be writable, so that a bad -o
 * is refused before anything runs, not when the results are written. */
static int new_file_check(const char *path)
{
    int err = errno;
    if (err == ENOENT) {
        const char *slash = strrchr(path, '/');
        char *dir = slash ? strndup(path, slash == path ? 1 : (size_t)(slash - path)) : strdup(".");
        struct stat st;
        if (!dir) err = ENOMEM;
        else if (stat(dir, &st) != 0) err = errno;
        else if (!S_ISDIR(st.st_mode)) err = ENOTDIR;
        else if (access(dir, W_OK | X_OK) != 0) err = errno;
        else err = 0;
        free(dir);
    }
    if (!err) return 0;
    sim_log_error("%s: cannot create output file: %s (allowed: a new file in an existing, writable directory)", path,
                  strerror(err));
    return -1;
}

int sim_output_check(const char *path)
{
    size_t n = strlen(path);
    if (n == 0) {
        sim_log_error("the output path is empty (allowed: a file name, e.g. -o results/run.h5)");
        return -1;
    }
    if (path[n - 1] == '/') {
        sim_log_error("%s: the output path names a directory (allowed: a file name, e.g. %sout.h5)", path, path);
        return -1;
    }
    struct stat st;
    if (stat(path, &st) != 0) return new_file_check(path);
    if (!S_ISREG(st.st_mode)) {
        sim_log_error("%s: the output path exists and is %s; refusing to replace it (allowed: a regular file or a new name)",
                      path, kind_of(st.st_mode));
        return -1;
    }
    if (sim_input_is_noted(&st)) {
        sim_log_error("%s: the output path is one of the input files; refusing to overwrite it (choose another -o)", path);
        return -1;
    }
    return 0;
}

FILE *sim_input_open(const char *path, const char **why)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) { *why = strerror(errno); return NULL; }
    struct stat st;
    int statrc = fstat(fd, &st);
    if (statrc != 0 || !S_ISREG(st.st_mode)) {
        *why = statrc != 0 ? strerror(errno)
             : S_ISDIR(st.st_mode) ? "Is a directory (allowed: a regular file)"
             : S_ISFIFO(st.st_mode) ? "Is a FIFO (allowed: a regular file)"
                                    : "Is a device or socket (allowed: a regular file)";
        close(fd);
        return NULL;
    }
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0) fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
    FILE *f = fdopen(fd, "rb");
    if (!f) { *why = strerror(errno); close(fd); return NULL; }
    sim_input_note(&st);
    return f;
}

/* 1 if the first n bytes of b are text: printable ASCII, white space or UTF-8 (no NUL or
 * other control bytes, which every HDF5 file has in its first block). */
static int looks_like_text(const unsigned char *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (b[i] < 0x20 && b[i] != '\n' && b[i] != '\r' && b[i] != '\t') return 0;
    return n > 0;
}

/* 1 if the text in b (NUL-terminated) starts, after white space, with an HTML tag. */
static int looks_like_html(const char *b)
{
    while (isspace((unsigned char)*b)) b++;
    return !strncasecmp(b, "<!doctype html", 14) || !strncasecmp(b, "<html", 5);
}

const char *sim_unreadable_why(const char *path, const char *otherwise)
{
    struct stat st;
    if (stat(path, &st) != 0) return errno == ENOENT ? "missing" : "cannot be read";
    if (S_ISDIR(st.st_mode)) return "a directory";
    if (!S_ISREG(st.st_mode)) return "not a regular file";
    if (st.st_size == 0) return "empty";
    FILE *f = fopen(path, "rb");
    if (!f) return "cannot be read";
    char b[513];
    size_t n = fread(b, 1, sizeof b - 1, f);
    fclose(f);
    b[n] = '\0';
    if (!looks_like_text((const unsigned char *)b, n)) return otherwise;
    return looks_like_html(b) ? "an HTML file: a report to open in a browser"
                              : "a text file, such as a scenario: sim run reads it";
}

char *sim_scenario_stem(const char *scenario)
{
    const char *base = strrchr(scenario, '/');
    base = base ? base + 1 : scenario;
    const char *dot = strrchr(base, '.');
    size_t len = dot && dot != base ? (size_t)(dot - base) : strlen(base);
    return strndup(base, len);
}

int sim_stdout_close(void)
{
    int bad = fflush(stdout) != 0 || ferror(stdout);
    int err = errno;
    if (fclose(stdout) != 0 && !bad) { bad = 1; err = errno; }
    if (!bad) return 0;
    sim_log_error("cannot write to standard output: %s", err ? strerror(err) : "write error");
    return -1;
}

void sim_stdout_exit_check(void)
{
    if (sim_stdout_close() != 0) _exit(SIM_EXIT_RUNTIME);
}

/* fsync the file or directory at path: 0, or -1 with errno set. */
static int sync_path(const char *path, int flags)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | flags);
    if (fd < 0) return -1;
    int rc = fsync(fd), err = errno;
    close(fd);
    errno = err;
    return rc;
}

int sim_file_publish(const char *tmp, const char *path)
{
    if (sync_path(tmp, 0) != 0 || rename(tmp, path) != 0) return -1;
    /* The file is in place. Syncing its directory makes the new name survive a crash;
     * where that fails (some filesystems refuse it) the file is still whole, so it is
     * not reported as an error. */
    const char *slash = strrchr(path, '/');
    char *dir = slash ? strndup(path, slash == path ? 1 : (size_t)(slash - path)) : strdup(".");
    if (dir) (void)sync_path(dir, O_DIRECTORY);
    free(dir);
    return 0;
}

/* ------------------------------------------------------- temporary names -- */

/* This host's name as it goes into temporary names (see sim_partial_name). */
static void host_tag(char out[SIM_PARTIAL_HOST_MAX + 1])
{
    char h[256] = "";
    if (gethostname(h, sizeof h - 1) != 0 || !h[0]) strcpy(h, "localhost");
    size_t i = 0;
    for (; h[i] && i < SIM_PARTIAL_HOST_MAX; i++) {
        unsigned char c = (unsigned char)h[i];
        out[i] = (char)(isalnum(c) || c == '.' || c == '_' || c == '-' ? c : '_');
    }
    out[i] = '\0';
}

char *sim_partial_name(const char *path)
{
    char host[SIM_PARTIAL_HOST_MAX + 1], *tmp = NULL;
    host_tag(host);
    if (asprintf(&tmp, "%s.partial-%s-%ld", path, host, (long)getpid()) < 0) return NULL;
    return tmp;
}

/* The pid of `name` if it is "<prefix><digits>" exactly, else 0. */
static pid_t partial_pid(const char *name, const char *prefix, size_t n)
{
    if (strncmp(name, prefix, n) != 0 || !isdigit((unsigned char)name[n])) return 0;
    char *end;
    errno = 0;
    long v = strtol(name + n, &end, 10);
    return (*end || errno || v <= 0 || v != (pid_t)v) ? 0 : (pid_t)v;
}

int sim_partial_clean(const char *path)
{
    char host[SIM_PARTIAL_HOST_MAX + 1];
    host_tag(host);
    const char *slash = strrchr(path, '/');
    char *dir = slash ? strndup(path, slash == path ? 1 : (size_t)(slash - path)) : strdup(".");
    char *prefix = NULL;
    if (!dir || asprintf(&prefix, "%s.partial-%s-", slash ? slash + 1 : path, host) < 0) {
        free(dir);
        return 0;
    }
    size_t n = strlen(prefix);
    int removed = 0;
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d))) {
        pid_t pid = partial_pid(e->d_name, prefix, n);
        if (pid <= 0 || pid == getpid() || kill(pid, 0) == 0 || errno != ESRCH) continue;   /* alive, or not ours to judge */
        char *stale = NULL;
        if (asprintf(&stale, "%s/%s", dir, e->d_name) >= 0 && unlink(stale) == 0) removed++;
        free(stale);
    }
    if (d) closedir(d);
    free(prefix);
    free(dir);
    return removed;
}
