/* files.h: which paths the sim may read and write.
 *
 * Every input file (scenario, @include, point file, ...) is noted by device and
 * inode when it is opened; an output path is checked before anything runs: it must
 * be a non-empty name of a regular file (or of nothing yet, in an existing, writable
 * directory), never one of the inputs under any name, never a directory, device,
 * FIFO or socket. The registry is process-wide and append-only; it is not
 * thread-safe (inputs are read before the parallel part of a run). */
#ifndef SIM_FILES_H
#define SIM_FILES_H

#include <stdio.h>
#include <sys/stat.h>

/* Remember st (of a file just opened for reading) as an input of this process. */
void sim_input_note(const struct stat *st);
/* The same for a path (nothing happens if it cannot be stat'ed). */
void sim_input_note_path(const char *path);
/* 1 if st is the file of a noted input. */
int sim_input_is_noted(const struct stat *st);

/* 0 if `path` may be created or replaced as an output file (a new one: in an
 * existing, writable directory); otherwise -1 after a one-line message on stderr
 * that names the path and the reason. */
int sim_output_check(const char *path);

/* Open `path` for reading, refusing (without blocking on a FIFO) anything that is
 * not a regular file, and note it as an input. NULL with a reason in *why (static
 * text or strerror) on failure. */
FILE *sim_input_open(const char *path, const char **why);

/* Put the finished file `tmp` in place under `path` so that a crash of the machine
 * cannot leave an empty or partial file there: fsync tmp, rename it to path, then
 * fsync path's directory (best effort: the file is whole either way). 0, or -1 with
 * errno set when the fsync of tmp or the rename failed (tmp is then still there, for
 * the caller to remove). */
int sim_file_publish(const char *tmp, const char *path);

/* The temporary name under which an output is written before sim_file_publish:
 * "<path>.partial-<host>-<pid>", host being this machine's name with anything but
 * letters, digits, '.', '_' and '-' as '_' (at most SIM_PARTIAL_HOST_MAX bytes). The
 * host keeps the names of processes on different machines sharing a directory (NFS)
 * apart, and tells sim_partial_clean whose files it may judge. malloc'ed; NULL if out
 * of memory. */
#define SIM_PARTIAL_HOST_MAX 64
char *sim_partial_name(const char *path);

/* Remove what processes that no longer run left of `path`: the files
 * "<path>.partial-<this host>-<pid>" whose pid is not a live process here (a run
 * killed by SIGKILL, a crashed node). Files of live processes, of other hosts and of
 * other names stay. Best effort; returns the number removed. A pid reused by an
 * unrelated process keeps its file: the safe side. */
int sim_partial_clean(const char *path);

/* Why `path`, which HDF5 could not open, is not an output file of sim, as a phrase for
 * "PATH: not a readable HDF5 file (PHRASE)": "missing", "a directory", "empty", "an HTML
 * file: a report to open in a browser", "a text file, such as a scenario: sim run reads
 * it", or `otherwise` (the caller's words for a damaged file). Static text. */
const char *sim_unreadable_why(const char *path, const char *otherwise);

/* The scenario's file name without its directory and its last extension
 * ("a/base.v1.cfg" -> "base.v1"; ".cfg" stays ".cfg"), for default output names:
 * distinct scenario names give distinct outputs. malloc'ed; NULL if out of memory. */
char *sim_scenario_stem(const char *scenario);

/* Flush and check stdout at the end of a command: 0, or -1 after a message
 * (a full disk or a closed pipe behind stdout must not end in exit 0). */
int sim_stdout_close(void);
/* For atexit(): sim_stdout_close, and _exit(1) if it failed (so every way out of
 * main, exit(0) after --help included, reports a lost stdout). */
void sim_stdout_exit_check(void);

#endif
