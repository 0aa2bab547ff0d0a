/* rng.c: Philox4x64-10 as a gsl_rng_type. Key = (seed, replication);
 * counter = (entity, purpose, block, 0). One block gives four 64-bit words; the
 * state caches the current block. Position p lives in block p/4, word p%4. */
#include "rng.h"

#include <Random123/philox.h>
#include <math.h>
#include <string.h>

#include "common.h"

/* 64-bit words per Philox4x64 block. */
#define WORDS_PER_BLOCK 4

typedef struct {
    philox4x64_key_t key;
    philox4x64_ctr_t ctr;   /* ctr.v[2] is the block index */
    philox4x64_ctr_t out;   /* output of block ctr.v[2] */
    unsigned         word;  /* next word of `out` to hand out, 0..4 (4 = refill) */
} philox_state;

static inline uint64_t next_word(philox_state *s)
{
    if (s->word == WORDS_PER_BLOCK) {
        s->ctr.v[2]++;
        s->out = philox4x64(s->ctr, s->key);
        s->word = 0;
    }
    return s->out.v[s->word++];
}

static unsigned long philox_get(void *vs)
{
    return (unsigned long)(next_word(vs) >> 32);
}

static double philox_get_double(void *vs)
{
    return (double)(next_word(vs) >> 11) * 0x1.0p-53;
}

/* Position the state at word `position` of its current key/counter prefix. */
static void seek(philox_state *s, uint64_t position)
{
    s->ctr.v[2] = position / WORDS_PER_BLOCK;
    s->out = philox4x64(s->ctr, s->key);
    s->word = (unsigned)(position % WORDS_PER_BLOCK);
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

uint64_t sim_rng_tell(const gsl_rng *r)
{
    SIM_ASSERT(r && r->type == &philox_type);
    const philox_state *s = r->state;
    SIM_ASSERT(s->word <= WORDS_PER_BLOCK);
    return s->ctr.v[2] * WORDS_PER_BLOCK + s->word;
}

double sim_rng_exponential(gsl_rng *r, double mean)
{   /* no assertion here: the hottest call of a queueing model (mean >= 0 is the caller's) */
    if (r->type != &philox_type) return -mean * log(gsl_rng_uniform_pos(r));
    philox_state *s = r->state;
    uint64_t w;
    do w = next_word(s) >> 11; while (w == 0);   /* U in (0, 1): never log(0) */
    return -mean * log((double)w * 0x1.0p-53);
}
