/* rng.h: counter-based random streams (Random123 Philox4x64-10) exposed as a
 * gsl_rng_type, so every gsl_ran_* distribution draws from them.
 *
 * A stream is identified by (master seed, replication, entity, purpose) and a
 * position (count of 64-bit words drawn). Nothing else enters the key: never
 * the thread, the MPI rank or the scenario. Hence results do not depend on the
 * thread or rank count, and person k in replication r sees the same draws for
 * the same purpose in every scenario (common random numbers). Re-keying a
 * stream is a few stores, so a model keeps one gsl_rng per workspace and points
 * it at whichever person it is serving. */
#ifndef SIM_RNG_H
#define SIM_RNG_H

#include <gsl/gsl_rng.h>
#include <stdint.h>

/* The generator type: gsl_rng_alloc(sim_rng_philox). gsl_rng_set(r, s) selects
 * stream (seed s, replication 0, entity 0, purpose 0) at position 0. Every
 * gsl_rng_get/gsl_rng_uniform call consumes one 64-bit word; get returns 32 bits,
 * uniform returns 53-bit doubles in [0, 1). */
extern const gsl_rng_type *sim_rng_philox;

/* Allocate a Philox generator; NULL when out of memory. Free with gsl_rng_free. */
gsl_rng *sim_rng_create(void);
/* Point r at stream (seed, replication, entity, purpose), position 0. */
void sim_rng_stream(gsl_rng *r, uint64_t seed, uint32_t replication,
                    uint32_t entity, uint32_t purpose);
/* Point r at a stream and position in one step (one block computation). */
void sim_rng_stream_at(gsl_rng *r, uint64_t seed, uint32_t replication, uint32_t entity,
                       uint32_t purpose, uint64_t position);
/* Move r to `position` words from the start of its current stream (O(1)). */
void sim_rng_seek(gsl_rng *r, uint64_t position);
/* Words drawn from the current stream so far. */
uint64_t sim_rng_tell(const gsl_rng *r);

/* Exponential variate with the given mean: -mean * log(U), U uniform on (0, 1).
 * Same law as gsl_ran_exponential, which uses log1p(-U): glibc's log1p costs
 * about five times log, and this draw is the hottest call of a queueing model. */
double sim_rng_exponential(gsl_rng *r, double mean);

#endif
