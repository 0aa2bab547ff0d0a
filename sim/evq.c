/* evq.c: 4-ary min-heap on (time, order). A 4-ary heap halves the depth of a
 * binary heap and keeps the four children of a node in one or two cache lines
 * (4 x 32 bytes), which is what a pop spends its time on.
 *
 * Invariant (checked by sim_evq_check, and after every operation when built with
 * -DSIM_DEBUG_EVQ): for every i > 0, before(heap[(i-1)/4], heap[i]) or equal key. */
#include "evq.h"

#include <assert.h>
#include <stdlib.h>

#define EVQ_ARITY 4
#define EVQ_SEQ_BITS 48
#define EVQ_DEFAULT_CAPACITY 1024

struct sim_evq {
    sim_event *heap;     /* heap[0] is the earliest event */
    size_t     size;
    size_t     capacity;
    size_t     high_water;
    uint64_t   next_seq; /* insertion counter, < 2^48 */
};

/* Tie-break key of the n-th push. Normally n itself (first pushed, first served).
 * Built with -DSIM_SHUFFLE_TIES (make check-shuffle) it is a fixed bijective
 * scramble of n, so events at equal (time, priority) run in an arbitrary but
 * reproducible order: a model whose results change under it depends on
 * accidental ordering. */
static inline uint64_t tie_key(uint64_t n)
{
#ifdef SIM_SHUFFLE_TIES
    n = (n * 0x9E3779B97F4Bull) & ((1ull << 48) - 1);   /* odd multiplier: a bijection mod 2^48 */
    n ^= n >> 23;
#endif
    return n;
}

#ifdef SIM_DEBUG_EVQ
#define EVQ_CHECK(q) assert(sim_evq_check(q))
#else
#define EVQ_CHECK(q) ((void)0)
#endif

/* Strict "a runs before b". */
static inline int before(const sim_event *a, const sim_event *b)
{
    if (a->time != b->time) return a->time < b->time;
    return a->order < b->order;
}

sim_evq *sim_evq_create(size_t capacity)
{
    sim_evq *q = calloc(1, sizeof *q);
    if (!q) return NULL;
    q->capacity = capacity ? capacity : EVQ_DEFAULT_CAPACITY;
    q->heap = malloc(q->capacity * sizeof *q->heap);
    if (!q->heap) { free(q); return NULL; }
    return q;
}

void sim_evq_destroy(sim_evq *q)
{
    if (!q) return;
    free(q->heap);
    free(q);
}

void sim_evq_reset(sim_evq *q)
{
    q->size = 0;
    q->next_seq = 0;
}

static int grow(sim_evq *q)
{
    size_t cap = q->capacity * 2;
    sim_event *h = realloc(q->heap, cap * sizeof *h);
    if (!h) return -1;
    q->heap = h;
    q->capacity = cap;
    return 0;
}

static void sift_up(sim_event *h, size_t i, sim_event ev)
{
    while (i > 0) {
        size_t parent = (i - 1) / EVQ_ARITY;
        if (!before(&ev, &h[parent])) break;
        h[i] = h[parent];
        i = parent;
    }
    h[i] = ev;
}

/* Place `ev` at hole i and move it down until no child runs before it. */
static void sift_down(sim_event *h, size_t n, size_t i, sim_event ev)
{
    for (;;) {
        size_t first = i * EVQ_ARITY + 1;
        if (first >= n) break;
        size_t last = first + EVQ_ARITY < n ? first + EVQ_ARITY : n;
        size_t best = first;
        for (size_t c = first + 1; c < last; c++)
            if (before(&h[c], &h[best])) best = c;
        if (!before(&h[best], &ev)) break;
        h[i] = h[best];
        i = best;
    }
    h[i] = ev;
}

int sim_evq_push(sim_evq *q, double time, unsigned priority, uint32_t kind,
                 uint32_t entity, uint32_t stamp, uint32_t arg)
{
    assert(priority <= 0xFFFFu);
    assert(q->next_seq < ((uint64_t)1 << EVQ_SEQ_BITS));
    if (SIM_UNLIKELY(q->size == q->capacity) && grow(q) != 0) return -1;
    sim_event ev = {time, ((uint64_t)priority << EVQ_SEQ_BITS) | tie_key(q->next_seq++),
                    kind, entity, stamp, arg};
    sift_up(q->heap, q->size++, ev);
    if (q->size > q->high_water) q->high_water = q->size;
    EVQ_CHECK(q);
    return 0;
}

int sim_evq_pop(sim_evq *q, sim_event *out)
{
    if (q->size == 0) return 0;
    *out = q->heap[0];
    size_t n = --q->size;
    if (n > 0) sift_down(q->heap, n, 0, q->heap[n]);
    EVQ_CHECK(q);
    return 1;
}

const sim_event *sim_evq_peek(const sim_evq *q)
{
    return q->size ? &q->heap[0] : NULL;
}

size_t sim_evq_size(const sim_evq *q) { return q->size; }
size_t sim_evq_high_water(const sim_evq *q) { return q->high_water; }

size_t sim_evq_filter(sim_evq *q, int (*keep)(const sim_event *ev, void *user), void *user)
{
    size_t n = 0, before = q->size;
    for (size_t i = 0; i < q->size; i++)
        if (keep(&q->heap[i], user)) q->heap[n++] = q->heap[i];
    q->size = n;
    for (size_t i = n / EVQ_ARITY + 1; i-- > 0;)   /* Floyd: sift down every internal node */
        if (i < n) sift_down(q->heap, n, i, q->heap[i]);
    EVQ_CHECK(q);
    return before - n;
}

int sim_evq_check(const sim_evq *q)
{
    for (size_t i = 1; i < q->size; i++)
        if (before(&q->heap[i], &q->heap[(i - 1) / EVQ_ARITY])) return 0;
    return 1;
}
