/* merge.h: `sim merge DIR -o OUT.h5`: the point files of one sweep (written by
 * `sim sweep`, sim/app/sweep.h) stacked into one tidy file: a /points table, the
 * per-replication summaries as [point][replication] arrays, and provenance.
 * Only reads DIR; OUT is written under a temporary name and renamed when
 * complete, so a refused or failed merge leaves no file and an existing OUT intact. */
#ifndef SIM_MERGE_H
#define SIM_MERGE_H

/* What to merge. Strings are borrowed. */
typedef struct sim_merge_request {
    const char *dir;            /* directory of point-NNNNN.h5 files */
    const char *output;         /* OUT.h5 */
    int         allow_missing;  /* merge an incomplete set (missing points are listed in OUT) */
    int         series;         /* also stack each point's /series (merge_series.h) */
    int         quiet;
    const char *command_line;   /* recorded in OUT */
} sim_merge_request;

/* Check and merge; returns SIM_EXIT_OK or SIM_EXIT_RUNTIME (missing points, files
 * of different experiments or toolkit versions, unreadable files, I/O errors),
 * with one message per problem on stderr and a closing line on stdout. */
int sim_merge_main(const sim_merge_request *req);


#endif
