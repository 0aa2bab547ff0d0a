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

#include "common.h"

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
/* Move r to `position` words from the start of its current stream (O(1)).
 * sim_rng_tell, sim_rng_uniform and sim_rng_exponential (the per-draw calls)
 * are inline; they, like every call here, need a generator of sim_rng_philox,
 * except that uniform and exponential fall back to any gsl_rng. */
void sim_rng_seek(gsl_rng *r, uint64_t position);
/* Words drawn from the current stream so far (inline, below). */
static inline uint64_t sim_rng_tell(const gsl_rng *r);
/* Uniform double in [0, 1): the same word and value as gsl_rng_uniform(r), but
 * inline for a Philox generator (no call through the type's function pointer). */
static inline double sim_rng_uniform(gsl_rng *r);
/* Uniform double in (0, 1), never 0: the U of sim_rng_exponential (the same words drawn),
 * for a caller that needs the exponential -log(U) only sometimes. */
static inline double sim_rng_uniform_pos(gsl_rng *r);
/* Exponential variate with the given mean: -mean * log(U), U uniform on (0, 1).
 * Same law as gsl_ran_exponential, which uses log1p(-U): glibc's log1p costs
 * about five times log, and this draw is the hottest call of a queueing model. */
static inline double sim_rng_exponential(gsl_rng *r, double mean);
/* The uniform the next sim_rng_uniform(r) will return, without drawing it: the
 * stream's values and position (sim_rng_tell) are the same after the call as
 * before. For guesses such as prefetch hints. A Philox generator only. */
static inline double sim_rng_peek_uniform(gsl_rng *r);
/* The uniform that the (k+1)-th next sim_rng_uniform(r) will return (k = 0: the
 * same as sim_rng_peek_uniform), without drawing it or changing the state; a word
 * beyond the current block costs one Philox block. For deeper prefetch hints. A
 * Philox generator only. */
static inline double sim_rng_peek_uniform_ahead(const gsl_rng *r, unsigned k);

/* ---------------------------------------------------------------------------
 * Inline fast paths. What follows is the generator's state, exposed only so
 * that the per-draw calls above compile to a few instructions in the models'
 * hot loops; nothing outside rng.h/rng.c may touch these fields. A block of four
 * words is computed out of line (sim_rng_refill_), once per four draws. */
#include <Random123/philox.h>
#include <math.h>

/* 64-bit words per Philox4x64 block. */
#define SIM_RNG_WORDS_PER_BLOCK 4

typedef struct sim_rng_state_ {
    philox4x64_key_t key;
    philox4x64_ctr_t ctr;   /* ctr.v[2] is the block index */
    philox4x64_ctr_t out;   /* output of block ctr.v[2] */
    unsigned         word;  /* next word of `out` to hand out, 0..4 (4 = refill) */
} sim_rng_state_;

/* Compute the next block into s->out and set s->word to 0 (rng.c). */
void sim_rng_refill_(sim_rng_state_ *s);

static inline uint64_t sim_rng_next_word_(sim_rng_state_ *s)
{
    if (s->word == SIM_RNG_WORDS_PER_BLOCK) sim_rng_refill_(s);
    return s->out.v[s->word++];
}

/* A word's top 53 bits as a double in [0, 1): what every uniform draw returns. */
static inline double sim_rng_unit_(uint64_t word)
{
    return (double)(word >> 11) * 0x1.0p-53;
}

static inline uint64_t sim_rng_tell(const gsl_rng *r)
{
    SIM_ASSERT(r->type == sim_rng_philox);
    const sim_rng_state_ *s = r->state;
    return s->ctr.v[2] * SIM_RNG_WORDS_PER_BLOCK + s->word;
}

static inline double sim_rng_uniform(gsl_rng *r)
{
    if (r->type != sim_rng_philox) return gsl_rng_uniform(r);
    return sim_rng_unit_(sim_rng_next_word_(r->state));
}

static inline double sim_rng_peek_uniform(gsl_rng *r)
{
    SIM_ASSERT(r->type == sim_rng_philox);
    sim_rng_state_ *s = r->state;
    /* At the end of a block, compute the next one now instead of at the next
     * draw: block b + 1 at word 0 is the same position as block b at word 4. */
    if (s->word == SIM_RNG_WORDS_PER_BLOCK) sim_rng_refill_(s);
    return sim_rng_unit_(s->out.v[s->word]);
}

static inline double sim_rng_peek_uniform_ahead(const gsl_rng *r, unsigned k)
{
    SIM_ASSERT(r->type == sim_rng_philox);
    const sim_rng_state_ *s = r->state;
    unsigned w = s->word + k;   /* word w of the current block; w >= 4 lies in a later one */
    if (w < SIM_RNG_WORDS_PER_BLOCK) return sim_rng_unit_(s->out.v[w]);
    philox4x64_ctr_t ctr = s->ctr;
    ctr.v[2] += w / SIM_RNG_WORDS_PER_BLOCK;
    return sim_rng_unit_(philox4x64(ctr, s->key).v[w % SIM_RNG_WORDS_PER_BLOCK]);
}

static inline double sim_rng_uniform_pos(gsl_rng *r)
{
    if (r->type != sim_rng_philox) return gsl_rng_uniform_pos(r);
    uint64_t w;
    do w = sim_rng_next_word_(r->state) >> 11; while (w == 0);   /* U in (0, 1): never log(0) */
    return (double)w * 0x1.0p-53;
}

static inline double sim_rng_exponential(gsl_rng *r, double mean)
{
    return -mean * log(sim_rng_uniform_pos(r));
}

#endif
