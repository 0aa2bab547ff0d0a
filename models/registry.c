/* registry.c: the models linked into the `sim` program. Add a model here and
 * nowhere in sim/. */
#include "lm_model.h"
#include "mm1.h"

const sim_model_type *const sim_builtin_models[] = {
    &lm_model,
    &lm_mm1_model,
    NULL,
};
