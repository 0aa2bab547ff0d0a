/* test_serve_keep.c: the retention rule of `sim serve --keep` and its file-system
 * helpers (sim/app/serve_keep.h): which finished runs go, which directories count as
 * runs, and a removal that never follows a symbolic link. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../sim/app/serve_keep.h"
#include "check.h"

static void put(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (f) fputs(text, f), fclose(f);
}

static int exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

static void choose(void)
{
    /* ids 1..6: 1, 2, 4 and 5 finished (ended 100, 400, 300, 300), 3 works, 6 is from before --keep */
    serve_keep_run r[6] = {{1, 100, 1}, {2, 400, 1}, {3, 0, 0}, {4, 300, 1}, {5, 300, 1}, {6, 0, 0}};
    unsigned char e[6];
    int n = serve_keep_choose(r, 6, 2, e);
    CHECK(n == 2 && e[0] && !e[1] && !e[2] && e[3] && !e[4] && !e[5],
          "keep 2: the two that ended last stay (2 at 400, then 5 over 4 at the same time by number): %d %d%d%d%d%d%d",
          n, e[0], e[1], e[2], e[3], e[4], e[5]);
    n = serve_keep_choose(r, 6, 0, e);
    CHECK(n == 0 && !e[0] && !e[3], "keep 0 keeps every run");
    n = serve_keep_choose(r, 6, 4, e);
    CHECK(n == 0, "keep 4 with 4 finished: none goes (%d)", n);
    n = serve_keep_choose(r, 6, 1, e);
    CHECK(n == 3 && !e[1] && !e[2] && !e[5], "keep 1: the run that ended last stays; a run at work and one without an end time are never marked (%d)", n);
    n = serve_keep_choose(r, 0, 2, e);
    CHECK(n == 0, "no runs");
}

static void directories(void)
{
    char root[] = "/tmp/test_serve_keep.XXXXXX", path[256], outside[300];
    if (!mkdtemp(root)) { CHECK(0, "mkdtemp"); return; }
    snprintf(path, sizeof path, "%s/runs", root);
    mkdir(path, 0755);
    snprintf(outside, sizeof outside, "%s/outside", root);
    mkdir(outside, 0755);
    snprintf(path, sizeof path, "%s/outside/keep.txt", root); put(path, "mine");
    snprintf(path, sizeof path, "%s/runs/000001", root); mkdir(path, 0755);
    snprintf(path, sizeof path, "%s/runs/000001/job.txt", root); put(path, "state=done\n");
    snprintf(path, sizeof path, "%s/runs/000001/sub", root); mkdir(path, 0755);
    snprintf(path, sizeof path, "%s/runs/000001/sub/link", root); (void)symlink(outside, path);
    snprintf(path, sizeof path, "%s/runs/000002", root); mkdir(path, 0755);
    snprintf(path, sizeof path, "%s/runs/000002/notes.txt", root); put(path, "mine");
    snprintf(path, sizeof path, "%s/runs/000003", root); (void)symlink(outside, path);
    snprintf(path, sizeof path, "%s/runs/000004", root); mkdir(path, 0755);
    snprintf(path, sizeof path, "%s/runs/000004/alt.cfg", root); put(path, "x = 1;\n");
    snprintf(path, sizeof path, "%s/runs/000005", root); mkdir(path, 0755);
    snprintf(path, sizeof path, "%s/runs/000005/alt.cfg", root); put(path, "x = 1;\n");
    snprintf(path, sizeof path, "%s/runs/000005/notes.txt", root); put(path, "mine");
    snprintf(path, sizeof path, "%s/runs/12345", root); mkdir(path, 0755);
    snprintf(path, sizeof path, "%s/runs/000006", root); mkdir(path, 0755);
    snprintf(path, sizeof path, "%s/runs/000006/alt.cfg", root); put(path, "x = 1;\n");
    snprintf(path, sizeof path, "%s/runs/000006/alt.cfg.validate", root); put(path, "sim: checking\n");
    snprintf(path, sizeof path, "%s/runs/000007", root); mkdir(path, 0755);
    snprintf(path, sizeof path, "%s/runs/000007/alt.cfg.partial-123", root); put(path, "x =");
    snprintf(path, sizeof path, "%s/runs/000008", root); mkdir(path, 0755);
    snprintf(path, sizeof path, "%s/runs", root);
    int runs = open(path, O_RDONLY | O_DIRECTORY);
    CHECK(runs >= 0, "open runs");
    if (runs < 0) return;
    CHECK(serve_run_dir(runs, "000001"), "NNNNNN holding job.txt is a run");
    CHECK(!serve_run_dir(runs, "000002") && !serve_run_dir(runs, "000003") && !serve_run_dir(runs, "12345")
              && !serve_run_dir(runs, "000004"),
          "not runs: no job.txt, a link to a directory, five digits, a form check");
    CHECK(serve_check_cut_short(runs, "000004"), "NNNNNN holding alt.cfg alone is a form check cut short");
    CHECK(serve_check_cut_short(runs, "000006") && serve_check_cut_short(runs, "000007") && serve_check_cut_short(runs, "000008"),
          "... also with the check's log (alt.cfg.validate), a half-written alt.cfg.partial-PID, or empty");
    CHECK(!serve_check_cut_short(runs, "000005") && !serve_check_cut_short(runs, "000001") && !serve_check_cut_short(runs, "000003"),
          "not a form check cut short: alt.cfg with another file, a run, a link");
    struct stat st;
    fstat(runs, &st);
    CHECK(serve_remove_tree(runs, "000001", st.st_dev) == 0, "a run's tree is removed");
    snprintf(path, sizeof path, "%s/runs/000001", root);
    CHECK(!exists(path), "... all of it");
    snprintf(path, sizeof path, "%s/outside/keep.txt", root);
    CHECK(exists(path), "... and what a link in it pointed to is untouched");
    CHECK(serve_remove_tree(runs, "000003", st.st_dev) == 0, "a link named as a run is unlinked");
    CHECK(exists(path), "... its target untouched");
    CHECK(serve_remove_tree(runs, "000009", st.st_dev) == -1, "a missing name: -1");
    CHECK(serve_remove_tree(runs, "000005", st.st_dev + 1) == -1, "a directory on another device is left");
    snprintf(path, sizeof path, "%s/runs/000005/notes.txt", root);
    CHECK(exists(path), "... whole");
    close(runs);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", root);
}

int main(void)
{
    choose();
    directories();
    return check_summary();
}
