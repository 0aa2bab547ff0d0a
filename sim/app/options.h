/* options.h: the one message for a command-line option getopt_long rejects, shared by
 * every command (cli.c, sensitivity.c), so that each names the option, the nearest
 * known one and the command's help in the same words. */
#ifndef SIM_OPTIONS_H
#define SIM_OPTIONS_H

#include <getopt.h>

/* getopt_long (with opterr = 0) returned '?' or ':' for command `cmd`: print to stderr
 * "sim: CMD: '--name' needs a value" for a known option without its value, else
 * "sim: CMD: unknown option or missing value: 'ARG'" with "; did you mean '--x'?" when
 * one of `opts` (a getopt_long table, terminated by a zero entry; may be NULL) is near
 * it, then where the help is. argv is the command's, optind getopt_long's. Returns
 * SIM_EXIT_USAGE. */
int sim_option_error(const char *cmd, char **argv, const struct option *opts);

#endif
