/* mm1.h: the M/M/1 queue as a model on the engine interface. It serves as the
 * engine benchmark (bench/mm1) and as a model with a known analytic answer for
 * the engine's tests (mean wait in queue = rho / (mu - lambda)). */
#ifndef LM_MM1_H
#define LM_MM1_H

#include "../sim/core/model.h"

extern const sim_model_type lm_mm1_model;

#endif
