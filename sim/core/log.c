/* log.c: one-line error messages and the lookup of a model in a list. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "model.h"

void sim_log_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("sim: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

int sim_log_path_error(const char *path, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "sim: %s: ", path);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return -1;
}

const sim_model_type *sim_model_find(const sim_model_type *const *models, const char *name)
{
    for (size_t i = 0; models[i]; i++)
        if (strcmp(models[i]->name, name) == 0) return models[i];
    return NULL;
}
