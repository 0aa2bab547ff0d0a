/* cli.c: the `sim` command: sub-command dispatch and option parsing (getopt_long).
 * --help/--version go to stdout with exit 0; usage errors to stderr with exit 2;
 * runtime errors exit 1. */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <gsl/gsl_errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compare.h"
#include "../../models/lm_model.h"
#include "../../models/mm1.h"
#include "calibrate.h"
#include "../io/config.h"
#include "../io/files.h"
#include "info.h"
#include "merge.h"
#include "options.h"
#include "../io/out.h"
#include "run.h"
#include "sensitivity.h"
#include "serve.h"
#include "sweep.h"
#include "../io/version.h"

#define MAX_SETS 256
#define MAX_METRICS 256

/* The models linked into `sim`, the only place that names them: a scenario's
 * `model` key chooses among these. Add a model here and nowhere else in sim/. */
static const sim_model_type *const models[] = {
    &lm_model,
    &lm_mm1_model,
    NULL,
};

/* Help: an overview, then one text per command (`sim COMMAND --help`, `sim help
 * COMMAND`); `sim --help` prints them all, and help2man builds the man page from it. */
static const char overview_text[] =
    "usage: sim <command> [options]\n"
    "       sim help COMMAND | sim COMMAND --help | sim --version\n"
    "\n"
    "A discrete-event simulator of activation policy for people on social assistance\n"
    "(bijstand) in the 35 Dutch labour-market regions.\n"
    "\n"
    "commands:\n"
    "  run SCENARIO        run a scenario and write an HDF5 file\n"
    "  validate SCENARIO   check a scenario and list every problem\n"
    "  info FILE.h5        describe an output file\n"
    "  compare BASE.h5 ALT.h5 [ALT2.h5 ...]\n"
    "                      paired differences ALT - BASE per replication with 95% intervals\n"
    "  report BASE.h5 ALT.h5 [ALT2.h5 ...] -o REPORT.html\n"
    "                      one self-contained HTML report with charts (python3 with h5py, numpy,\n"
    "                      scipy, statsmodels, matplotlib and Jinja2)\n"
    "  sweep FILE          run every point of FILE's experiment block, one file per point\n"
    "  merge DIR -o OUT.h5 merge a sweep's point files into one file\n"
    "  sensitivity MERGED.h5 [--alt ALT.h5]\n"
    "                      Morris or Sobol indices of a merged morris/sobol sweep\n"
    "  calibrate SCENARIO TARGETS\n"
    "                      fit parameters to targets (NLopt); --check: compare with the targets only;\n"
    "                      --uncertainty: how well the targets pin the parameters down\n"
    "  serve               a local web page: build an alternative, run it, read the verdict\n"
    "  help [COMMAND]      this text, or one command's\n"
    "\n"
    "Messages on stderr start with \"sim: \" (scenario problems with FILE:LINE:).\n"
    "Exit codes: 0 success, 1 runtime or scenario error, 2 usage error, 130 interrupted (143 terminated).\n";

#define RUN_OPTIONS \
    "  -o, --output FILE       output file (default results/<scenario>.h5; one scenario only)\n" \
    "      --output-dir DIR    write DIR/<scenario>.h5 instead (created if missing)\n" \
    "  -t, --threads N         OpenMP threads (default: all cores)\n" \
    "  -r, --replications N    override the scenario's replication count\n" \
    "  -s, --seed N            override the master seed (0 to 2^63-1)\n" \
    "      --set KEY=VALUE     override a scenario value, e.g. --set mm1.arrival_rate=0.8\n" \
    "                          (repeatable; the key must exist, the type must match;\n" \
    "                          strings in double quotes: --set 'labour_market.end=\"2030-01-01\"')\n" \
    "      --scale F           quick preset: population share F in (0, 10] on top of the\n" \
    "                          scenario's (labour_market.scale; M/M/1: customers), e.g. 0.05\n" \
    "  -d, --detail LEVEL      summary | series | events\n" \
    "      --sample SHARE      share of people traced at detail events (0..1; needs detail\n" \
    "                          events: -d events or the scenario's own output.detail)\n" \
    "      --progress          progress lines within a replication even when stderr is not a terminal\n" \
    "  -q, --quiet             no progress and no summary\n" \
    "      --draw-parameters   replication r draws its own parameter set from the scenario's\n" \
    "                          uncertainty list, keyed by (seed, r) (docs/sensitivity.md)\n" \
    "  -h, --help              this text\n"

static const char help_run[] =
    "usage: sim run SCENARIO [SCENARIO ...] [options]\n"
    "Run a scenario's replications and write one HDF5 file (README \"Output\").\n"
    "On a terminal (or with --progress) a line on stderr every few seconds gives the\n"
    "simulated date and the share done.\n"
    "Several scenarios run together, one file each (results/<scenario>.h5 or --output-dir),\n"
    "with the same options; a scenario that differs from an earlier one only in its policy\n"
    "(programmes; shocks that do not raise demand) continues from that one's burn-in instead\n"
    "of running its own: the same files bit for bit, in less time, all written or none\n"
    "(README \"The scenario library\"). Progress then comes as a line per replication of\n"
    "each scenario.\n"
    "\n"
    "options for run and validate:\n" RUN_OPTIONS;

static const char help_validate[] =
    "usage: sim validate SCENARIO [SCENARIO ...] [options]\n"
    "Check a scenario (includes, --set overrides, every key and value) and list every\n"
    "problem as FILE:LINE: ...; nothing runs and nothing is written. Options as for run.\n"
    "Several files are checked one by one. A sweep file's points are checked as\n"
    "`sim sweep` checks them (all up to 64; beyond, those at each parameter's ends).\n";

static const char help_info[] =
    "usage: sim info FILE.h5\n"
    "Describe an output file: provenance, contents, and a run file's summary means.\n";

static const char help_compare[] =
    "usage: sim compare BASE.h5 ALT.h5 [ALT2.h5 ...] [options]\n"
    "Paired contrasts ALT - BASE over replications (files of one model, seed and\n"
    "replication count) with 95% t intervals. Run files or a sweep's point files\n"
    "(DIR/point-NNNNN.h5), not a merged sweep file.\n"
    "\n"
    "options for compare:\n"
    "      --csv               CSV: metric,region,base_mean,alt_mean,diff,ci_low,ci_high,rel_change,rel_low,rel_high,n,same,unit,p,p_holm\n"
    "      --csv-nl            the same CSV for spreadsheets with Dutch settings (Excel nl-NL):\n"
    "                          ';' between fields, decimal commas\n"
    "      --json              the same rows as a JSON array (undefined values are null)\n"
    "      --metric NAME       only this /summary field (or /series with --regions); repeatable\n"
    "      --regions           also per region: /series flows summed over time, stocks at the end\n"
    "      --from DATE --to DATE  a window (YYYY-MM-DD, either may be left out) on the /series rows:\n"
    "                          one national row per series (and per region with --regions)\n"
    "  -h, --help              this text\n";

static const char help_report[] =
    "usage: sim report BASE.h5 ALT.h5 [ALT2.h5 ...] -o REPORT.html [options]\n"
    "One self-contained HTML report that opens with the verdict (python3 -m analysis.report,\n"
    "with h5py, numpy, scipy, statsmodels, matplotlib and Jinja2: $SIM_PYTHON, python3 or\n"
    "/usr/bin/python3; the analysis/ package next to sim, as installed, or $SIM_ANALYSIS_DIR).\n"
    "\n"
    "options for report:\n"
    "  -o, --output FILE       the HTML file (required)\n"
    "      --lang en|nl        the report's language (default en)\n"
    "      --from DATE --to DATE  also the durable placements in this window\n"
    "      --metric NAME       /series for the regional forest plot (default durable)\n"
    "  -h, --help              this text\n";

static const char help_sweep[] =
    "usage: sim sweep FILE [options]\n"
    "Run every point of FILE's experiment block (points already in DIR for the same\n"
    "experiment are skipped). Built with make WITH_MPI=1 and started by mpirun, the\n"
    "points are spread over the ranks.\n"
    "\n"
    "options for sweep:\n"
    "  -o, --output DIR        point files DIR/point-NNNNN.h5 (default results/<scenario>/)\n"
    "      --dry-run           list the points (index and values) and stop\n"
    "      --task I --tasks N  run only the points with index % N == I (Slurm array tasks)\n"
    "      --force             delete point files of other experiments and rerun every point\n"
    "  -t, --threads N         OpenMP threads per point\n"
    "  -r, --replications N    replications per point (default: the experiment's)\n"
    "      --set KEY=VALUE     override a scenario value at every point (repeatable)\n"
    "      --scale F           population share on top of the scenario's (as for run)\n"
    "  -q, --quiet             no progress\n"
    "  -h, --help              this text\n";

static const char help_merge[] =
    "usage: sim merge DIR -o OUT.h5 [options]\n"
    "Merge a sweep's point files into one file (written to a temporary name, then renamed).\n"
    "Each point's own seed, population, command line (the sweep's) and creation time are\n"
    "kept in /provenance; the root seed and population say \"varies by point\" when the\n"
    "points differ, and the root command_line and created are the merge's (README: Merged file).\n"
    "\n"
    "options for merge:\n"
    "  -o, --output OUT.h5     the merged file (required)\n"
    "      --allow-missing     merge an incomplete sweep (the missing points are listed)\n"
    "      --series            also keep each point's /series, as /series/<name> [point][replication][time][region]\n"
    "  -q, --quiet             no progress\n"
    "  -h, --help              this text\n";

static const char help_calibrate[] =
    "usage: sim calibrate SCENARIO TARGETS [options]\n"
    "Fit the parameters listed in TARGETS (format: docs/calibration.md) with NLopt.\n"
    "\n"
    "options for calibrate:\n"
    "  -o, --output OUT.h5     evaluation record; also OUT.cfg (fitted overlay) and OUT.journal\n"
    "                          (resume record) (default results/<targets>-calibration.h5)\n"
    "      --check             evaluate the scenario as it is; exit 1 if an in-sample target fails\n"
    "      --uncertainty       also the parameters' standard errors and correlations from the targets'\n"
    "                          Jacobian at the fitted point (with --check: at the scenario's values;\n"
    "                          exit 0 once written): OUT.h5 and OUT-uncertainty.cfg (2 runs per parameter)\n"
    "      --step H            its finite-difference step, in units of each bound range (default 0.05)\n"
    "      --draws N           also run N parameter sets drawn from that uncertainty and set the\n"
    "                          simulated spread of every target beside the linearised one\n"
    "      --posterior N       also run N parameter sets and weight them into the posterior by\n"
    "                          importance sampling: means, sds, intervals, predictions, and the\n"
    "                          effective sample size that says whether to use them\n"
    "      --rounds R          draw them in R rounds: the first from that uncertainty (its spread\n"
    "                          doubled in half), each later one around the weighted draws so far\n"
    "                          (default 4; 1: plain importance sampling from the linearisation)\n"
    "      --markdown FILE     also write the target table as Markdown\n"
    "      --scale F           population factor on top of the scenario's (e.g. 0.1 for speed)\n"
    "      --max-evals N       optimiser budget in evaluations (default 60)\n"
    "      --algorithm NAME    bobyqa | sbplx | neldermead | cobyla (default bobyqa)\n"
    "      --fresh             ignore an existing journal (default: replay it and go on)\n"
    "  -r, -t, -s, --set, -q   as for run\n"
    "  -h, --help              this text\n";

static const char help_serve[] =
    "usage: sim serve [options]\n"
    "A local web page (README \"The web page\"): build an alternative to a reference\n"
    "scenario from plain choices, run it, follow it, read the verdict and download the files.\n"
    "\n"
    "options for serve:\n"
    "      --port N            TCP port (default 8080; 0: any free one, named in the first line)\n"
    "      --bind ADDR         IPv4 address to listen on (default 127.0.0.1)\n"
    "      --allow-remote      also serve clients that are not on this machine (default: refused, 403)\n"
    "  -o, --output DIR        results directory (default results/serve)\n"
    "      --max-queue N       runs waiting or running at most (default 4)\n"
    "      --keep N            finished runs kept: the N that finished last (default 20; 0: every run).\n"
    "                          When a run finishes, and at start-up, older finished runs are removed with\n"
    "                          their files; runs that wait or work, and anything else in DIR, are never touched\n"
    "      --root DIR          repository with scenarios/, analysis/, sim/app/web/ (default: next to sim)\n"
    "  -t, --threads N         threads per run;  -q, --quiet  no request log\n"
    "  -h, --help              this text\n";

/* What runs a command: argv[0] is the command's name; cmdline the whole command line. */
typedef int command_fn(int argc, char **argv, const char *cmdline);
static command_fn cmd_run, cmd_validate, cmd_info, cmd_compare, cmd_report, cmd_sweep, cmd_merge,
                  cmd_calibrate, cmd_sensitivity, cmd_serve;

/* Every command, in the order `sim --help` prints their help and the messages list
 * them: the one list of commands (a help text may live with its command, as
 * sensitivity.c's; help NULL: the command prints its own and `sim --help` omits it). */
static const struct { const char *name, *help; command_fn *run; } commands[] = {
    {"run", help_run, cmd_run}, {"validate", help_validate, cmd_validate}, {"info", help_info, cmd_info},
    {"compare", help_compare, cmd_compare}, {"report", help_report, cmd_report}, {"sweep", help_sweep, cmd_sweep},
    {"merge", help_merge, cmd_merge}, {"calibrate", help_calibrate, cmd_calibrate},
    {"sensitivity", sim_sensitivity_help, cmd_sensitivity}, {"serve", help_serve, cmd_serve},
};

/* "allowed: run, validate, ..." from the table, for usage messages. */
static const char *command_names(char *buf, size_t size)
{
    size_t len = (size_t)snprintf(buf, size, "allowed:");
    for (size_t i = 0; i < SIM_ARRAY_LEN(commands) && len < size; i++)
        len += (size_t)snprintf(buf + len, size - len, "%s %s", i ? "," : "", commands[i].name);
    return buf;
}

/* `sim --help`: the overview and every command's help. */
static void print_full_help(void)
{
    fputs(overview_text, stdout);
    for (size_t i = 0; i < SIM_ARRAY_LEN(commands); i++) {
        if (!commands[i].help) continue;
        fputc('\n', stdout);
        fputs(commands[i].help, stdout);
    }
}

/* `sim help [COMMAND]`; an exit code. */
static int cmd_help(int argc, char **argv)
{
    if (argc < 3) { print_full_help(); return SIM_EXIT_OK; }
    for (size_t i = 0; i < SIM_ARRAY_LEN(commands); i++) {
        if (strcmp(argv[2], commands[i].name)) continue;
        if (commands[i].help) { fputs(commands[i].help, stdout); return SIM_EXIT_OK; }
        char *args[] = {argv[2], (char *)"--help", NULL};   /* its help lives with the command */
        return commands[i].run(2, args, "sim help");
    }
    char names[256];
    fprintf(stderr, "sim: help: unknown command '%s' (%s)\n", argv[2], command_names(names, sizeof names));
    return SIM_EXIT_USAGE;
}

/* The command being parsed (set once by main before its options are read), so that a
 * usage error points to that command's help; NULL before a command is known. */
static const char *usage_command;

static int usage_error(const char *fmt, const char *arg)
{
    fputs("sim: ", stderr);
    fprintf(stderr, fmt, arg);
    if (usage_command) fprintf(stderr, "\nTry 'sim %s --help'.\n", usage_command);
    else fputs("\nTry 'sim --help'.\n", stderr);
    return SIM_EXIT_USAGE;
}


/* Parse a whole decimal integer in [lo, hi]; -1 on failure. */
static int parse_ll(const char *s, long long lo, long long hi, long long *v)
{
    char *end;
    errno = 0;
    long long x = strtoll(s, &end, 10);
    if (errno || end == s || *end || x < lo || x > hi) return -1;
    *v = x;
    return 0;
}

/* --scale F: a population share in (0, 10]; 0, or -1 after a usage message. */
static int parse_scale(const char *s, double *f)
{
    char *end;
    *f = strtod(s, &end);
    if (*end || end == s || !(*f > 0 && *f <= 10)) {
        usage_error("--scale: '%s' is not a population share in (0, 10] (e.g. 0.05)", s);
        return -1;
    }
    return 0;
}

static char *join_args(int argc, char **argv)
{
    size_t len = 1;
    for (int i = 0; i < argc; i++) len += strlen(argv[i]) + 1;
    char *s = calloc(len, 1);
    for (int i = 0; s && i < argc; i++) {
        if (i) strcat(s, " ");
        strcat(s, argv[i]);
    }
    return s;
}

_Static_assert(SIM_OUT_MAX_OPEN == 64, "the usage error of parse_run_options says 64");

/* The options of run and validate (parse_run_options; sim_option_error suggests from them). */
static const struct option run_opts[] = {
    {"output", required_argument, 0, 'o'}, {"threads", required_argument, 0, 't'},
    {"replications", required_argument, 0, 'r'}, {"seed", required_argument, 0, 's'},
    {"set", required_argument, 0, 'S'}, {"detail", required_argument, 0, 'd'},
    {"sample", required_argument, 0, 'P'}, {"quiet", no_argument, 0, 'q'},
    {"scale", required_argument, 0, 'x'}, {"progress", no_argument, 0, 'g'},
    {"draw-parameters", no_argument, 0, 'D'}, {"output-dir", required_argument, 0, 'O'},
    {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};

/* Options of run/validate into req; returns 0 or an exit code. */
static int parse_run_options(int argc, char **argv, sim_run_request *req, const char **sets)
{
    long long v;
    int c;
    while ((c = getopt_long(argc, argv, "o:t:r:s:d:qh", run_opts, NULL)) != -1) {
        switch (c) {
        case 'o': req->output = optarg; break;
        case 'O': req->output_dir = optarg; break;
        case 't': if (parse_ll(optarg, 1, 1024, &v)) return usage_error("--threads: '%s' is not an integer in 1..1024", optarg);
                  req->threads = (int)v; break;
        case 'r': if (parse_ll(optarg, 1, 1000000, &v)) return usage_error("--replications: '%s' is not an integer in 1..1000000", optarg);
                  req->replications = (int)v; break;
        case 's': if (parse_ll(optarg, 0, INT64_MAX, &v)) return usage_error("--seed: '%s' is not an integer in 0..9223372036854775807", optarg);
                  req->seed = v; break;
        case 'S': if (req->nsets == MAX_SETS) return usage_error("--set: more than %s overrides", "256");
                  sets[req->nsets++] = optarg; break;
        case 'd':
            if (!strcmp(optarg, "summary")) req->detail = SIM_DETAIL_SUMMARY;
            else if (!strcmp(optarg, "series")) req->detail = SIM_DETAIL_SERIES;
            else if (!strcmp(optarg, "events")) req->detail = SIM_DETAIL_EVENTS;
            else return usage_error("--detail: '%s' (allowed: summary, series, events)", optarg);
            break;
        case 'P': {
            char *end;
            req->sample = strtod(optarg, &end);
            if (*end || end == optarg || !(req->sample >= 0 && req->sample <= 1))
                return usage_error("--sample: '%s' is not a share in 0..1", optarg);
            break;
        }
        case 'q': req->quiet = 1; break;
        case 'x': if (parse_scale(optarg, &req->scale)) return SIM_EXIT_USAGE; break;
        case 'g': req->progress = 1; break;
        case 'D': req->draw_parameters = 1; break;
        case 'h': fputs(!strcmp(argv[0], "validate") ? help_validate : help_run, stdout); exit(SIM_EXIT_OK);
        default: return SIM_EXIT_USAGE + 100;
        }
    }
    if (req->sample >= 0 && req->detail >= 0 && req->detail != SIM_DETAIL_EVENTS)   /* else ignored: only /events is sampled */
        return usage_error("%s: --sample needs -d events (allowed: -d events --sample SHARE; the summary and "
                           "series cover everyone)", argv[0]);
    if (optind >= argc) return usage_error("%s: expected a scenario file", argv[0]);
    req->scenario = argv[optind];
    req->scenarios = (const char *const *)argv + optind;
    req->nscenarios = argc - optind;
    if (req->nscenarios > SIM_OUT_MAX_OPEN)
        return usage_error("%s: more than 64 scenarios (allowed: up to 64 in one run, SIM_OUT_MAX_OPEN)", argv[0]);
    if (req->nscenarios > 1 && req->output)
        return usage_error("%s: -o names one file; with several scenarios use --output-dir DIR (DIR/<scenario>.h5)", argv[0]);
    for (int i = 1; i < req->nscenarios; i++)
        for (int j = 0; j < i; j++) {
            char *a = sim_scenario_stem(req->scenarios[i]), *b = sim_scenario_stem(req->scenarios[j]), msg[1024];
            int same = a && b && !strcmp(a, b);
            if (same)
                snprintf(msg, sizeof msg, "%s: %s and %s would both write %s.h5 (allowed: scenario files with "
                         "different names)", argv[0], req->scenarios[j], req->scenarios[i], a);
            free(a);
            free(b);
            if (same) return usage_error("%s", msg);
        }
    if (req->output && req->output_dir)
        return usage_error("%s: -o and --output-dir both name the output (allowed: one of them)", argv[0]);
    return 0;
}

/* validate: each file on its own, in the order given, every file checked whatever the
 * others gave: as `sim run` reads it, and a sweep file first as `sim sweep` checks it before
 * its first point (sim_sweep_check), so that "valid" means both will start. */
static int validate_each(const sim_run_request *req, const char *cmdline)
{
    int worst = SIM_EXIT_OK;
    for (int i = 0; i < req->nscenarios; i++) {
        sim_run_request one = *req;
        one.scenario = req->scenarios[i];
        one.scenarios = req->scenarios + i;
        one.nscenarios = 1;
        sim_sweep_request s = {.models = models, .scenario = one.scenario, .sets = req->sets, .nsets = req->nsets,
                               .scale = req->scale, .command_line = cmdline};
        int rc = sim_sweep_check(&s);
        if (rc == SIM_EXIT_OK) rc = sim_run_main(&one);
        if (rc > worst) worst = rc;
    }
    return worst;
}

static int run_or_validate(int argc, char **argv, int validate, const char *cmdline)
{
    const char *sets[MAX_SETS];
    sim_run_request req = {.models = models, .seed = -1, .detail = -1, .sample = -1, .sets = sets,
                           .validate_only = validate, .command_line = cmdline};
    int rc = parse_run_options(argc, argv, &req, sets);
    if (rc == SIM_EXIT_USAGE + 100) return sim_option_error(argv[0], argv, run_opts);
    if (rc) return rc;
    return validate ? validate_each(&req, cmdline) : sim_run_main(&req);
}

static int cmd_run(int argc, char **argv, const char *cmdline) { return run_or_validate(argc, argv, 0, cmdline); }
static int cmd_validate(int argc, char **argv, const char *cmdline) { return run_or_validate(argc, argv, 1, cmdline); }

/* `sim info FILE.h5` */
static int cmd_info(int argc, char **argv, const char *cmdline)
{
    (void)cmdline;
    if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        fputs(help_info, stdout);
        return SIM_EXIT_OK;
    }
    return argc == 2 ? sim_info_main(argv[1]) : usage_error("%s", "info: expected one FILE.h5");
}

/* `sim sensitivity ...`: options and help in sensitivity.c */
static int cmd_sensitivity(int argc, char **argv, const char *cmdline)
{
    return sim_sensitivity_cli(argc, argv, cmdline);
}

/* `sim compare BASE.h5 ALT.h5 [ALT2.h5 ...] [--csv | --json] [--metric NAME ...] [--regions]` */
static int cmd_compare(int argc, char **argv, const char *cmdline)
{
    (void)cmdline;
    static const struct option opts[] = {
        {"csv", no_argument, 0, 'c'}, {"csv-nl", no_argument, 0, 'n'}, {"json", no_argument, 0, 'j'},
        {"metric", required_argument, 0, 'm'}, {"regions", no_argument, 0, 'R'},
        {"from", required_argument, 0, 'F'}, {"to", required_argument, 0, 'T'},
        {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    const char *metrics[MAX_METRICS];
    sim_compare_request req = {.format = SIM_COMPARE_TABLE, .metrics = metrics};
    int c;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        sim_compare_format f = c == 'c' || c == 'n' ? SIM_COMPARE_CSV : SIM_COMPARE_JSON;
        switch (c) {
        case 'c': case 'n': case 'j':
            if (req.format != SIM_COMPARE_TABLE && req.format != f)
                return usage_error("compare: %s", "--csv (or --csv-nl) and --json exclude each other");
            req.format = f;
            req.csv_nl |= c == 'n';
            break;
        case 'm': if (req.nmetrics == MAX_METRICS) return usage_error("--metric: more than %s names", "256");
                  metrics[req.nmetrics++] = optarg; break;
        case 'R': req.regions = 1; break;
        case 'F': req.from = optarg; break;
        case 'T': req.to = optarg; break;
        case 'h': fputs(help_compare, stdout); exit(SIM_EXIT_OK);
        default: return sim_option_error("compare", argv, opts);
        }
    }
    if (argc - optind < 2) return usage_error("compare: %s", "expected BASE.h5 and at least one ALT.h5");
    req.base = argv[optind];
    req.alts = (const char *const *)argv + optind + 1;
    req.nalts = (size_t)(argc - optind - 1);
    return sim_compare_main(&req);
}

/* `sim sweep FILE [--dry-run] [--task I --tasks N] [--force] [-t N] [-o DIR] [-q]` */
static int cmd_sweep(int argc, char **argv, const char *cmdline)
{
    static const struct option opts[] = {
        {"output", required_argument, 0, 'o'}, {"threads", required_argument, 0, 't'},
        {"dry-run", no_argument, 0, 'n'}, {"task", required_argument, 0, 'I'},
        {"tasks", required_argument, 0, 'N'}, {"force", no_argument, 0, 'f'},
        {"replications", required_argument, 0, 'r'}, {"set", required_argument, 0, 'S'},
        {"scale", required_argument, 0, 'x'},
        {"quiet", no_argument, 0, 'q'}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    const char *sets[MAX_SETS];
    sim_sweep_request req = {.models = models, .task = -1, .tasks = -1, .command_line = cmdline, .sets = sets};
    long long v;
    int c;
    while ((c = getopt_long(argc, argv, "o:t:r:qh", opts, NULL)) != -1) {
        switch (c) {
        case 'o': req.outdir = optarg; break;
        case 't': if (parse_ll(optarg, 1, 1024, &v)) return usage_error("--threads: '%s' is not an integer in 1..1024", optarg);
                  req.threads = (int)v; break;
        case 'n': req.dry_run = 1; break;
        case 'I': if (parse_ll(optarg, 0, 1000000, &v)) return usage_error("--task: '%s' is not an integer in 0..1000000", optarg);
                  req.task = (int)v; break;
        case 'N': if (parse_ll(optarg, 1, 1000000, &v)) return usage_error("--tasks: '%s' is not an integer in 1..1000000", optarg);
                  req.tasks = (int)v; break;
        case 'f': req.force = 1; break;
        case 'r': if (parse_ll(optarg, 1, 1000000, &v)) return usage_error("--replications: '%s' is not an integer in 1..1000000", optarg);
                  req.replications = (int)v; break;
        case 'S': if (req.nsets == MAX_SETS) return usage_error("--set: more than %s overrides", "256");
                  sets[req.nsets++] = optarg; break;
        case 'x': if (parse_scale(optarg, &req.scale)) return SIM_EXIT_USAGE; break;
        case 'q': req.quiet = 1; break;
        case 'h': fputs(help_sweep, stdout); exit(SIM_EXIT_OK);
        default: return sim_option_error("sweep", argv, opts);
        }
    }
    if ((req.task < 0) != (req.tasks < 0)) return usage_error("sweep: %s", "--task and --tasks go together");
    if (req.tasks < 0) req.task = 0, req.tasks = 1;
    if (req.task >= req.tasks) {
        char msg[96];
        snprintf(msg, sizeof msg, "--task %d is outside 0..%d (--tasks %d)", req.task, req.tasks - 1, req.tasks);
        return usage_error("sweep: %s", msg);
    }
    if (optind != argc - 1) return usage_error("%s: expected exactly one sweep file", argv[0]);
    req.scenario = argv[optind];
    return sim_sweep_main(&req);
}

/* `sim merge DIR -o OUT.h5 [--allow-missing] [--series] [-q]` */
static int cmd_merge(int argc, char **argv, const char *cmdline)
{
    static const struct option opts[] = {
        {"output", required_argument, 0, 'o'}, {"allow-missing", no_argument, 0, 'a'},
        {"series", no_argument, 0, 's'}, {"quiet", no_argument, 0, 'q'}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    sim_merge_request req = {.command_line = cmdline};
    int c;
    while ((c = getopt_long(argc, argv, "o:qh", opts, NULL)) != -1) {
        switch (c) {
        case 'o': req.output = optarg; break;
        case 'a': req.allow_missing = 1; break;
        case 's': req.series = 1; break;
        case 'q': req.quiet = 1; break;
        case 'h': fputs(help_merge, stdout); exit(SIM_EXIT_OK);
        default: return sim_option_error("merge", argv, opts);
        }
    }
    if (optind != argc - 1) return usage_error("%s: expected exactly one sweep directory", argv[0]);
    if (!req.output) return usage_error("merge: %s", "-o OUT.h5 is required");
    req.dir = argv[optind];
    return sim_merge_main(&req);
}

_Static_assert(SIM_CALIBRATE_MAX_ROUNDS == 16, "the --rounds message names the range 1..16");

/* `sim calibrate SCENARIO TARGETS [-o OUT.h5] [--check] [--uncertainty] [--step H] [--draws N] [--posterior N] [--rounds R]
 *  [--markdown F] [--scale F]
 *  [--max-evals N] [--algorithm A] [--fresh] [-r N] [-t N] [-s N] [--set K=V] [-q]` */
static int cmd_calibrate(int argc, char **argv, const char *cmdline)
{
    static const struct option opts[] = {
        {"output", required_argument, 0, 'o'}, {"threads", required_argument, 0, 't'},
        {"replications", required_argument, 0, 'r'}, {"seed", required_argument, 0, 's'},
        {"set", required_argument, 0, 'S'}, {"check", no_argument, 0, 'c'},
        {"markdown", required_argument, 0, 'm'}, {"scale", required_argument, 0, 'x'},
        {"max-evals", required_argument, 0, 'n'}, {"algorithm", required_argument, 0, 'a'},
        {"fresh", no_argument, 0, 'f'}, {"quiet", no_argument, 0, 'q'}, {"help", no_argument, 0, 'h'},
        {"uncertainty", no_argument, 0, 'u'}, {"step", required_argument, 0, 'H'}, {"draws", required_argument, 0, 'D'},
        {"posterior", required_argument, 0, 'P'}, {"rounds", required_argument, 0, 'R'}, {0, 0, 0, 0}};
    const char *sets[MAX_SETS];
    sim_calibrate_request req = {.models = models, .seed = -1, .scale = 1.0, .max_evals = 60, .algorithm = "bobyqa",
                                 .sets = sets, .command_line = cmdline, .step = 0.05, .rounds = 4};
    char *end;
    int step_given = 0, rounds_given = 0;
    long long v;
    int c;
    while ((c = getopt_long(argc, argv, "o:t:r:s:qh", opts, NULL)) != -1) {
        switch (c) {
        case 'o': req.output = optarg; break;
        case 't': if (parse_ll(optarg, 1, 1024, &v)) return usage_error("--threads: '%s' is not an integer in 1..1024", optarg);
                  req.threads = (int)v; break;
        case 'r': if (parse_ll(optarg, 1, 1000000, &v)) return usage_error("--replications: '%s' is not an integer in 1..1000000", optarg);
                  req.replications = (int)v; break;
        case 's': if (parse_ll(optarg, 0, INT64_MAX, &v)) return usage_error("--seed: '%s' is not an integer in 0..9223372036854775807", optarg);
                  req.seed = v; break;
        case 'S': if (req.nsets == MAX_SETS) return usage_error("--set: more than %s overrides", "256");
                  sets[req.nsets++] = optarg; break;
        case 'c': req.check_only = 1; break;
        case 'm': req.markdown = optarg; break;
        case 'x': if (parse_scale(optarg, &req.scale)) return SIM_EXIT_USAGE; break;
        case 'n': if (parse_ll(optarg, 1, 100000, &v)) return usage_error("--max-evals: '%s' is not an integer in 1..100000", optarg);
                  req.max_evals = (int)v; break;
        case 'a': if (strcmp(optarg, "bobyqa") && strcmp(optarg, "sbplx") && strcmp(optarg, "neldermead") && strcmp(optarg, "cobyla"))
                      return usage_error("--algorithm: '%s' (allowed: bobyqa, sbplx, neldermead, cobyla)", optarg);
                  req.algorithm = optarg; break;
        case 'f': req.fresh = 1; break;
        case 'u': req.uncertainty = 1; break;
        case 'D': if (parse_ll(optarg, 2, 10000, &v)) return usage_error("--draws: '%s' is not an integer in 2..10000", optarg);
                  req.draws = (int)v; break;
        case 'P': if (parse_ll(optarg, 2, 100000, &v)) return usage_error("--posterior: '%s' is not an integer in 2..100000", optarg);
                  req.posterior = (int)v; break;
        case 'R': if (parse_ll(optarg, 1, SIM_CALIBRATE_MAX_ROUNDS, &v))
                      return usage_error("--rounds: '%s' is not an integer in 1..16", optarg);
                  req.rounds = (int)v, rounds_given = 1; break;
        case 'H': step_given = 1;
                  req.step = strtod(optarg, &end);
                  if (end == optarg || *end || !(req.step > 0.0 && req.step <= 0.5))
                      return usage_error("--step: '%s' is not a number in (0, 0.5] (a share of each bound range)", optarg);
                  break;
        case 'q': req.quiet = 1; break;
        case 'h': fputs(help_calibrate, stdout); exit(SIM_EXIT_OK);
        default: return sim_option_error("calibrate", argv, opts);
        }
    }
    if (optind != argc - 2) return usage_error("%s: expected SCENARIO and TARGETS", argv[0]);
    if (step_given && !req.uncertainty) return usage_error("--step: %s (allowed: with --uncertainty)", "the step of --uncertainty");
    if (req.draws && !req.uncertainty) return usage_error("--draws: %s (allowed: with --uncertainty)", "draws from the uncertainty of --uncertainty");
    if (req.posterior && !req.uncertainty)
        return usage_error("--posterior: %s (allowed: with --uncertainty)", "its proposal is the uncertainty of --uncertainty");
    if (rounds_given && !req.posterior) return usage_error("--rounds: %s (allowed: with --posterior)", "the rounds of --posterior");
    if (req.posterior && req.posterior < 2 * req.rounds) {
        char what[64];
        snprintf(what, sizeof what, "%d sets in %d rounds", req.posterior, req.rounds);
        return usage_error("--posterior: %s (allowed: at least 2 sets per round)", what);
    }
    req.scenario = argv[optind];
    req.targets = argv[optind + 1];
    return sim_calibrate_main(&req);
}

/* The package directory `pkg` as an absolute PARENT/NAME in out[size]: the parent
 * resolved (realpath), the last component kept as given, so that a symlink named
 * analysis -> /elsewhere/analysis-2 is imported under its link name. Trailing
 * slashes are dropped. 0, or -1 (the parent cannot be resolved, or too long). */
static int package_path(const char *pkg, char *out, size_t size)
{
    char given[4200], parent[4096];
    snprintf(given, sizeof given, "%s", pkg);
    size_t n = strlen(given);
    while (n > 1 && given[n - 1] == '/') given[--n] = 0;
    char *slash = strrchr(given, '/');
    const char *name = slash ? slash + 1 : given;
    if (slash) *slash = 0;
    if (!realpath(slash ? (*given ? given : "/") : ".", parent)) return -1;
    if (!strcmp(name, ".") || !strcmp(name, "..")) {   /* no name given: resolve it all */
        char whole[4096];
        if (!realpath(pkg, whole) || (size_t)snprintf(out, size, "%s", whole) >= size) return -1;
        return 0;
    }
    return (size_t)snprintf(out, size, "%s/%s", strcmp(parent, "/") ? parent : "", name) >= size ? -1 : 0;
}

/* `sim report BASE.h5 ALT.h5 ... -o REPORT.html`: exec the first python3 that has h5py,
 * numpy, matplotlib, scipy, statsmodels and jinja2 as `python3 -m analysis.report ARGS`
 * with the package's parent directory first on PYTHONPATH. The package: $SIM_ANALYSIS_DIR,
 * else ../analysis next to the executable, else ../share/bijstand-sim/analysis as `make
 * install` lays it out; its directory name is the package name. PYTHONSAFEPATH (Python
 * 3.11+) keeps an analysis/ in the working directory from shadowing it. The module
 * checks and writes everything. */
static int cmd_report(int argc, char **argv, const char *cmdline)
{
    static const char sh[] =
        "s=$1; shift; for p in ${SIM_PYTHON:-} python3 /usr/bin/python3; do "
        "command -v \"$p\" >/dev/null 2>&1 && \"$p\" -c 'import h5py, numpy, matplotlib, scipy, statsmodels, jinja2' 2>/dev/null "
        "&& exec \"$p\" -m \"$s\" \"$@\"; done; echo 'sim: report: needs python3 with h5py, numpy, matplotlib, "
        "scipy, statsmodels and jinja2 (Debian: apt-get install python3-h5py python3-numpy python3-matplotlib "
        "python3-scipy python3-statsmodels python3-jinja2)' >&2; exit 1";
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) { fputs(help_report, stdout); return SIM_EXIT_OK; }
    char exe[4096] = "", pkg[4200], script[4300], real[4096], module[4200];
    const char *dir = getenv("SIM_ANALYSIS_DIR");
    if (dir && *dir) snprintf(pkg, sizeof pkg, "%s", dir);
    else {
        ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
        char *slash = n > 0 ? (exe[n] = 0, strrchr(exe, '/')) : NULL;
        if (slash) *slash = 0;
        snprintf(pkg, sizeof pkg, "%s/../analysis", slash ? exe : ".");
        snprintf(script, sizeof script, "%s/report.py", pkg);
        if (access(script, R_OK) != 0)   /* installed: PREFIX/bin/sim, PREFIX/share/bijstand-sim/analysis */
            snprintf(pkg, sizeof pkg, "%s/../share/bijstand-sim/analysis", slash ? exe : ".");
    }
    snprintf(script, sizeof script, "%s/report.py", pkg);
    if (access(script, R_OK) != 0 || package_path(pkg, real, sizeof real) != 0) {
        fprintf(stderr, "sim: report: cannot read %s; set SIM_ANALYSIS_DIR to the analysis/ directory\n", script);
        return SIM_EXIT_RUNTIME;
    }
    /* real = PARENT/NAME: python3 -m NAME.report with PARENT first on PYTHONPATH */
    char *name = strrchr(real, '/') + 1;   /* package_path gives an absolute path */
    int ident = *name && !(*name >= '0' && *name <= '9');
    for (const char *c = name; *c; c++)
        ident &= (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || *c == '_';
    if (!ident) {
        fprintf(stderr, "sim: report: %s: the package directory's name '%s' is not a Python module name "
                "(letters, digits, _); rename it (analysis)\n", pkg, name);
        return SIM_EXIT_RUNTIME;
    }
    snprintf(module, sizeof module, "%s.report", name);
    name[-1] = 0;
    const char *old = getenv("PYTHONPATH");
    size_t plen = strlen(real) + (old ? strlen(old) : 0) + 3;
    char *pypath = malloc(plen);
    if (!pypath) return SIM_EXIT_RUNTIME;
    snprintf(pypath, plen, "%s%s%s", *real ? real : "/", old && *old ? ":" : "", old && *old ? old : "");
    setenv("PYTHONPATH", pypath, 1);
    free(pypath);
    setenv("PYTHONSAFEPATH", "1", 1);
    char **args = calloc((size_t)argc + 5, sizeof *args);
    if (!args) return SIM_EXIT_RUNTIME;
    args[0] = "/bin/sh", args[1] = "-c", args[2] = (char *)sh, args[3] = "sim-report", args[4] = module;
    for (int i = 1; i < argc; i++) args[4 + i] = argv[i];
    setenv("SIM_VERSION", "sim " SIM_VERSION " (git " SIM_GIT_HASH ")", 1);
    char self[4096];
    ssize_t len = readlink("/proc/self/exe", self, sizeof self - 1);
    if (len > 0) self[len] = 0, setenv("SIM_EXE", self, 1);   /* report.py calls `sim compare --json` */
    setenv("SIM_COMMAND_LINE", cmdline ? cmdline : "sim report", 1);
    fflush(NULL);
    execv("/bin/sh", args);
    fprintf(stderr, "sim: report: cannot run /bin/sh: %s\n", strerror(errno));
    free(args);
    return SIM_EXIT_RUNTIME;
}

/* `sim serve [--port N] [--bind ADDR] [--allow-remote] [-o DIR] [--max-queue N] [--keep N] [--root DIR] [-t N] [-q]` */
static int cmd_serve(int argc, char **argv, const char *cmdline)
{
    (void)cmdline;
    static const struct option opts[] = {
        {"port", required_argument, 0, 'p'}, {"bind", required_argument, 0, 'b'},
        {"allow-remote", no_argument, 0, 'A'}, {"output", required_argument, 0, 'o'},
        {"max-queue", required_argument, 0, 'Q'}, {"root", required_argument, 0, 'R'},
        {"keep", required_argument, 0, 'K'},
        {"threads", required_argument, 0, 't'}, {"quiet", no_argument, 0, 'q'},
        {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    sim_serve_request req = {.port = 8080, .max_queue = 4, .keep = SIM_SERVE_KEEP};
    long long v;
    int c;
    while ((c = getopt_long(argc, argv, "o:t:qh", opts, NULL)) != -1) {
        switch (c) {
        case 'p': if (parse_ll(optarg, 0, 65535, &v)) return usage_error("--port: '%s' is not an integer in 0..65535 (0: any free port)", optarg);
                  req.port = (int)v; break;
        case 'b': req.bind = optarg; break;
        case 'A': req.allow_remote = 1; break;
        case 'o': req.results = optarg; break;
        case 'Q': if (parse_ll(optarg, 1, 1000, &v)) return usage_error("--max-queue: '%s' is not an integer in 1..1000", optarg);
                  req.max_queue = (int)v; break;
        case 'K': if (parse_ll(optarg, 0, 1000, &v)) return usage_error("--keep: '%s' is not an integer in 0..1000 (0: keep every run)", optarg);
                  req.keep = (int)v; break;
        case 'R': req.root = optarg; break;
        case 't': if (parse_ll(optarg, 1, 1024, &v)) return usage_error("--threads: '%s' is not an integer in 1..1024", optarg);
                  req.threads = (int)v; break;
        case 'q': req.quiet = 1; break;
        case 'h': fputs(help_serve, stdout); exit(SIM_EXIT_OK);
        default: return sim_option_error("serve", argv, opts);
        }
    }
    if (optind != argc) return usage_error("serve: unexpected argument '%s'", argv[optind]);
    return sim_serve_main(&req);
}

int main(int argc, char **argv)
{
    gsl_set_error_handler_off();
    opterr = 0;   /* sim_option_error reports bad options */
    atexit(sim_stdout_exit_check);   /* stdout on a full disk: exit 1 with a message, never 0 */
    /* No HDF5 clean-up at exit: every file is closed explicitly, and after a write
     * failure (full disk, ulimit -f) HDF5 1.10 keeps the file it could not close and
     * crashes closing it again at exit. The first HDF5 call of the process. */
    H5dont_atexit();
    sim_out_quiet_hdf5();
    sim_out_install_signal_cleanup();
    char names[256];
    if (argc < 2) return usage_error("missing command (%s)", command_names(names, sizeof names));
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h")) {
        print_full_help();
        return SIM_EXIT_OK;
    }
    if (!strcmp(cmd, "help")) return cmd_help(argc, argv);
    if (!strcmp(cmd, "--version") || !strcmp(cmd, "-V")) {
        printf("sim %s (git %s, output format %d)\n", SIM_VERSION, SIM_GIT_HASH, SIM_FORMAT_VERSION);
        return SIM_EXIT_OK;
    }
    for (size_t i = 0; i < SIM_ARRAY_LEN(commands); i++) {
        if (strcmp(cmd, commands[i].name)) continue;
        char *cmdline = join_args(argc, argv);
        usage_command = commands[i].name;
        int rc = commands[i].run(argc - 1, argv + 1, cmdline);
        free(cmdline);
        return rc;
    }
    char msg[512];
    snprintf(msg, sizeof msg, "unknown command '%s' (%s)", cmd, command_names(names, sizeof names));
    return usage_error("%s", msg);
}
