/* options.c: the message for a rejected command-line option (options.h). */
#include "options.h"

#include <stdio.h>
#include <string.h>

#include "../core/common.h"
#include "../io/config.h"

int sim_option_error(const char *cmd, char **argv, const struct option *opts)
{
    const char *arg = optind > 0 ? argv[optind - 1] : "";
    char name[64] = "", hint[96] = "";
    if (!strncmp(arg, "--", 2)) snprintf(name, sizeof name, "%.*s", (int)strcspn(arg + 2, "="), arg + 2);
    int bestd = SIM_CONFIG_NEAR + 1;   /* 0: the option is known, so its value is what is missing */
    for (const struct option *o = opts; name[0] && o && o->name; o++) {
        int d = strcmp(name, o->name) ? sim_config_near(name, o->name, 0) : 0;
        if (d < bestd) {
            bestd = d;
            snprintf(hint, sizeof hint, d ? "; did you mean '--%s'?" : "", o->name);
        }
    }
    if (bestd == 0)
        fprintf(stderr, "sim: %s: '--%s' needs a value\nTry 'sim %s --help'.\n", cmd, name, cmd);
    else
        fprintf(stderr, "sim: %s: unknown option or missing value: '%s'%s\nTry 'sim %s --help'.\n", cmd, arg, hint, cmd);
    return SIM_EXIT_USAGE;
}
