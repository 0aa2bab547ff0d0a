/* serve.h: `sim serve`: a local web page (GNU libmicrohttpd) where a user picks a
 * reference scenario, builds an alternative from plain choices, runs both and reads
 * the verdict (issue 17).
 *
 * The server writes only below its results directory: each run is a directory
 * RESULTS/runs/NNNNNN/ holding the overlay it built (alt.cfg, a normal scenario file),
 * its state (job.txt), the log, both output files, compare.csv and report.html. Only
 * the `keep` runs that finished last are kept: when a run finishes, and at start-up, an
 * older finished run's directory is removed (never a run that waits or works, nor
 * anything in the results directory that is not such a run directory). Runs
 * are done one at a time by a worker thread that starts `sim run`, `sim compare` and
 * `sim report` as child processes of the same executable (so cancel is a signal and
 * progress is the child's stderr). Inputs are checked by `sim validate`: the same
 * loader as the CLI, its messages mapped back to the form field of their line. The
 * alternative takes the reference's world (its Covid-19 shock and cooperation) and
 * is refused if it would differ from the reference anywhere but in its programme. */
#ifndef SIM_SERVE_H
#define SIM_SERVE_H

/* Finished runs kept by default (`sim serve --help` says 20): at the page's default
 * settings a run writes about 25 MB, so 20 runs hold about half a gigabyte. */
#define SIM_SERVE_KEEP 20

typedef struct sim_serve_request {
    const char *results;       /* results directory (created if missing); default results/serve */
    const char *root;          /* repository root holding scenarios/, analysis/, sim/app/web/;
                                  NULL = the directory above the executable's */
    const char *bind;          /* IPv4 address to listen on; default 127.0.0.1 */
    int         port;          /* TCP port, 1..65535 */
    int         allow_remote;  /* serve clients that are not on the loopback interface */
    int         max_queue;     /* runs waiting or running at most (default 4) */
    int         keep;          /* finished runs kept, those that finished last (SIM_SERVE_KEEP
                                  by default); 0 = every run */
    int         threads;       /* threads for each run; 0 = the OpenMP default */
    int         quiet;         /* no request log on stderr */
} sim_serve_request;

/* Serve until killed. All strings are borrowed. Returns a process exit code (only on
 * a start-up error: port in use, results directory not writable, assets missing). */
int sim_serve_main(const sim_serve_request *req);

#endif
