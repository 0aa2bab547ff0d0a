/* rng.c: Philox4x64-10 as a gsl_rng_type. Key = (seed, replication);
 * counter = (entity, purpose, block, 0). One block gives four 64-bit words; the
 * state caches the current block. Position p lives in block p/4, word p%4. */
#include "rng.h"

#include <string.h>

#include "common.h"

typedef sim_rng_state_ philox_state;

void sim_rng_refill_(philox_state *s)
{
    s->ctr.v[2]++;
    s->out = philox4x64(s->ctr, s->key);
    s->word = 0;
}

static unsigned long philox_get(void *vs)
{
    return (unsigned long)(sim_rng_next_word_(vs) >> 32);
}

static double philox_get_double(void *vs)
{
    return sim_rng_unit_(sim_rng_next_word_(vs));
}

/* Position the state at word `position` of its current key/counter prefix. */
static void seek(philox_state *s, uint64_t position)
{
    s->ctr.v[2] = position / SIM_RNG_WORDS_PER_BLOCK;
    s->out = philox4x64(s->ctr, s->key);
    s->word = (unsigned)(position % SIM_RNG_WORDS_PER_BLOCK);
}

static void philox_set(void *vs, unsigned long seed)
{
    philox_state *s = vs;
    memset(s, 0, sizeof *s);
    s->key.v[0] = seed;
    seek(s, 0);
}

static const gsl_rng_type philox_type = {
    "philox4x64-10", 0xFFFFFFFFUL, 0, sizeof(philox_state),
    philox_set, philox_get, philox_get_double
};

const gsl_rng_type *sim_rng_philox = &philox_type;

gsl_rng *sim_rng_create(void)
{
    return gsl_rng_alloc(sim_rng_philox);
}

void sim_rng_stream(gsl_rng *r, uint64_t seed, uint32_t replication,
                    uint32_t entity, uint32_t purpose)
{
    sim_rng_stream_at(r, seed, replication, entity, purpose, 0);
}

void sim_rng_stream_at(gsl_rng *r, uint64_t seed, uint32_t replication, uint32_t entity,
                       uint32_t purpose, uint64_t position)
{
    SIM_ASSERT(r && r->type == &philox_type);   /* the state is a philox_state */
    philox_state *s = r->state;
    s->key.v[0] = seed;
    s->key.v[1] = replication;
    s->ctr.v[0] = entity;
    s->ctr.v[1] = purpose;
    s->ctr.v[3] = 0;
    seek(s, position);
}

void sim_rng_seek(gsl_rng *r, uint64_t position)
{
    SIM_ASSERT(r && r->type == &philox_type);
    seek(r->state, position);
}
