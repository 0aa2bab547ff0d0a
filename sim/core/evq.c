/* evq.c: a two-tier future event set. Far events sit unsorted in buckets of equal
 * time width, each a list of fixed-size chunks. When the clock reaches a bucket, its
 * events are sorted into the *run*, an array popped from the front; events pushed
 * into the time already reached (the near future) go into a 4-ary min-heap on
 * (time, order), and a pop takes the earlier of the run's head and the heap's top.
 * A model with a million far-future events (one per person) thus pops from a few
 * hundred events that stay in cache, a push to the far future is an append, and
 * most events (3.7 of 4.8 million in the national run) leave through the run in
 * O(1) after a distribution sort, instead of by a sift down a heap of a few hundred
 * (bench/RESULTS.md, session 24: 0.915 of the national run's time). Cancelled
 * far events are dropped when their bucket is brought forward (sim_evq_set_live), so
 * they never reach the run.
 *
 * Buckets come in groups of EVQ_GROUP_BUCKETS. A group the clock has not reached
 * yet keeps its events on one list of its own, and they are moved into their
 * buckets when the clock enters the group: so a push appends to one of a few
 * hundred lists (their open chunks stay in cache) instead of one of thousands
 * (a cache miss each), and each event is copied once more, in cache.
 *
 * Bucket of a time t: x(t) = (t - origin) * inv_width, rounded down. Because
 * subtraction and multiplication by a positive constant are monotone in IEEE
 * arithmetic, x never decreases when t grows, so t_a < t_b whenever a lies in a
 * lower bucket than b: the tiers never disagree with the total order.
 *
 * Invariants (sim_evq_check; after every operation with -DSIM_DEBUG_EVQ):
 *  I1 heap[0 .. hn) is a 4-ary min-heap on before(); run[rh .. rn) is sorted by
 *     before(), and rh == rn only when rn == 0 (an emptied run is reset);
 *  I2 far tier off (nb == 0): every event is in the near tier, far_n == 0;
 *  I3 far tier on: heap and run events have x < cur; bucket b in [cur, nb) holds events
 *     with b <= x < b + 1; bucket nb (overflow) holds events with x >= nb;
 *     buckets below cur are empty; groups 0..open_g are open: their list is
 *     empty, and cur lies in group open_g or open_g + 1 (opened when the clock
 *     gets there: refill); the buckets of a group g > open_g are
 *     empty and its list (bkt[nb + 1 + g]) holds the events with x < nb whose
 *     bucket lies in g; far_n counts the events in buckets and group lists;
 *  I4 an empty near tier (heap and run) implies far_n == 0 (the earlier of the
 *     heap's top and the run's head is the earliest event), unless a refill failed
 *     for lack of memory (q->failed);
 *  I5 every chunk is on exactly one list: a bucket's or the free list, or is
 *     above the pool's bump mark chunk_used.
 * I1, I3 and monotone x give: the near tier's earliest runs before every far event. */
#include "evq.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pages.h"

#define EVQ_ARITY 4
#define EVQ_SEQ_BITS 48
#define EVQ_DEFAULT_CAPACITY 1024
/* Far events per pool chunk: 127 x 32 bytes + an 8-byte header, just under 4 KiB. A
 * list is walked chunk by chunk, each step a dependent load of a cold chunk and a new
 * stream for the hardware prefetcher: 2 KiB chunks took 1.04 times as long at twice
 * the country, 1.01 at the country's size (bench/RESULTS.md, session 25; chunks of
 * 8 KiB were no faster, and page-aligned 4 KiB ones cost 5 MB more to grow). */
#define EVQ_CHUNK_EVENTS 127
/* A heap larger than this triggers the first spread into buckets; below it the
 * queue is a plain heap (an M/M/1 queue never leaves this mode). */
#define EVQ_SPILL_MIN 4096
/* Mean events per bucket aimed at by a spread: the run's size after a refill.
 * (-DEVQ_BUCKET_TARGET=n for experiments; 64 was fastest of 16..1024 in noisy trials.) */
#ifndef EVQ_BUCKET_TARGET
#define EVQ_BUCKET_TARGET 64
#endif
#define EVQ_MAX_BUCKETS ((size_t)1 << 20)
/* Buckets per group (a power of two): 64 buckets of about 64 events. */
#define EVQ_GROUP_SHIFT 6
#define EVQ_GROUP_BUCKETS ((size_t)1 << EVQ_GROUP_SHIFT)
/* A spread of n events is done only if n <= EVQ_SPREAD_COST x the pushes since
 * the previous one: spreads cost O(1) amortised per push. */
#define EVQ_SPREAD_COST 4
#define EVQ_NIL UINT32_MAX

typedef struct evq_chunk {
    uint32_t  next;   /* next chunk of the same list, or EVQ_NIL */
    uint32_t  n;      /* used entries of ev; stale in a bucket's first chunk (see evq_bucket) */
    sim_event ev[EVQ_CHUNK_EVENTS];
} evq_chunk;

/* A bucket: its first chunk (the one being filled; EVQ_NIL when empty) and that
 * chunk's fill. The fill lives here, in a small dense array, so that an append
 * reads nothing from the (cache-cold) chunk; seal() copies it into the chunk
 * before a list is walked. */
typedef struct evq_bucket {
    uint32_t chunk;
    uint32_t fill;
} evq_bucket;

struct sim_evq {
    sim_event *heap;        /* near tier, pushed: heap[0] is its earliest event */
    size_t     hn, hcap;
    sim_event *run;         /* near tier, a bucket brought forward: run[rh .. rn) sorted */
    sim_event *run_tmp;     /* the sort's second buffer, rcap events too */
    size_t    *run_count;   /* the sort's slice counts, rcap + 1 */
    size_t     rh, rn, rcap;
    size_t     heap_limit;  /* min(hcap, spill_at), see set_heap_limit */
    evq_chunk *chunk;       /* the chunk pool, addressed by index */
    uint32_t   chunk_used;  /* chunks [0, chunk_used) have been handed out */
    uint32_t   chunk_cap;
    uint32_t   free_chunk;  /* free list through evq_chunk.next */
    evq_bucket *bkt;        /* bkt[0 .. nb]: the buckets; bkt[nb] is the overflow;
                             * bkt[nb + 1 + g]: the list of group g (g < ngroups) */
    size_t     bkt_cap;
    size_t     nb;          /* buckets; 0 = far tier off */
    size_t     cur;         /* first bucket not yet brought into the run */
    size_t     open_g;      /* last group whose events are in their buckets */
    double     origin, inv_width;
    size_t     far_n;       /* events in the far tier */
    size_t     spill_at;    /* near-tier size (heap and run) that asks for a spread */
    uint64_t   spread_seq;  /* next_seq at the last spread */
    size_t     high_water;
    uint64_t   next_seq;    /* insertion counter, < 2^48 */
    uint64_t   dropped;
    int        failed;
    sim_evq_keep_fn live;
    void      *live_user;
    sim_evq_touch_fn touch;
    void      *touch_user;
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
#define EVQ_CHECK(q) SIM_ASSERT(sim_evq_check(q))
#else
#define EVQ_CHECK(q) ((void)0)
#endif

/* Strict "a runs before b". */
static inline int before(const sim_event *a, const sim_event *b)
{
    if (a->time != b->time) return a->time < b->time;
    return a->order < b->order;
}

/* Unrounded bucket coordinate of t (far tier on). */
static inline double coord(const sim_evq *q, double t)
{
    return (t - q->origin) * q->inv_width;
}

/* ------------------------------------------------------------- the heap -- */

static SIM_ALWAYS_INLINE void sift_up(sim_event *h, size_t i, sim_event ev)
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

/* Floyd's O(n) construction over heap[0 .. hn). */
static void heapify(sim_evq *q)
{
    size_t n = q->hn;
    for (size_t i = n / EVQ_ARITY + 1; i-- > 0;)
        if (i < n) sift_down(q->heap, n, i, q->heap[i]);
}

/* heap_limit = min(hcap, spill_at): while the near tier is smaller, a push needs
 * neither room nor a spill. Called whenever hcap or spill_at changes. */
static void set_heap_limit(sim_evq *q)
{
    q->heap_limit = q->hcap < q->spill_at ? q->hcap : q->spill_at;
}

/* Room for `extra` more heap entries. 0, or -1 (nothing changed). */
static int heap_reserve(sim_evq *q, size_t extra)
{
    if (q->hn + extra <= q->hcap) return 0;
    size_t cap = q->hcap;
    while (cap < q->hn + extra) cap *= 2;
    sim_event *h = realloc(q->heap, cap * sizeof *h);
    if (!h) return -1;
    q->heap = h;
    q->hcap = cap;
    set_heap_limit(q);
    return 0;
}

/* ------------------------------------------------------------- the run -- */

/* Events in the near tier (heap and run). */
static inline size_t near_n(const sim_evq *q)
{
    return q->hn + (q->rn - q->rh);
}

/* Room for n run events (and as many in run_tmp), the run being empty. 0, or -1
 * (nothing changed). */
static int run_reserve(sim_evq *q, size_t n)
{
    SIM_ASSERT(q->rn == 0 && q->rh == 0);
    if (n <= q->rcap) return 0;
    size_t cap = q->rcap ? q->rcap : 256;
    while (cap < n) cap *= 2;
    sim_event *a = malloc(cap * sizeof *a), *b = malloc(cap * sizeof *b);
    size_t *count = malloc((cap + 1) * sizeof *count);
    if (!a || !b || !count) { free(a); free(b); free(count); return -1; }
    free(q->run);
    free(q->run_tmp);
    free(q->run_count);
    q->run = a, q->run_tmp = b, q->run_count = count, q->rcap = cap;
    return 0;
}

/* Insertion sort of a[0 .. n) by before() (n small). */
static void insertion_sort(sim_event *a, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        sim_event ev = a[i];
        size_t j = i;
        for (; j > 0 && before(&ev, &a[j - 1]); j--) a[j] = a[j - 1];
        a[j] = ev;
    }
}

/* Merge the sorted a[lo .. mid) and a[mid .. hi) into out[lo .. hi). */
static void merge(const sim_event *a, size_t lo, size_t mid, size_t hi, sim_event *out)
{
    size_t i = lo, j = mid, k = lo;
    while (i < mid && j < hi) out[k++] = before(&a[j], &a[i]) ? a[j++] : a[i++];
    while (i < mid) out[k++] = a[i++];
    while (j < hi) out[k++] = a[j++];
}

/* Sort a[0 .. n) by before(), with tmp[0 .. n) as scratch: insertion sort of
 * blocks of 16, then bottom-up merge passes (keys are unique: no ties to keep). */
static void merge_sort(sim_event *a, sim_event *tmp, size_t n)
{
    enum { BLOCK = 16 };
    for (size_t lo = 0; lo < n; lo += BLOCK) insertion_sort(a + lo, n - lo < BLOCK ? n - lo : BLOCK);
    sim_event *src = a, *dst = tmp;
    for (size_t w = BLOCK; w < n; w *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * w) {
            size_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
            merge(src, lo, mid, hi, dst);
        }
        sim_event *t = src;
        src = dst, dst = t;
    }
    if (src != a) memcpy(a, src, n * sizeof *a);
}

/* Slot of an event of bucket b among n equal slices of the bucket: a monotone
 * function of its time (like the bucket coordinate itself), so a lower slot never
 * holds a later event. The overflow's events (b = nb, any x >= nb) and infinite
 * times clamp to the last slot. */
static inline size_t run_slot(const sim_evq *q, size_t b, size_t n, const sim_event *ev)
{
    double d = (coord(q, ev->time) - (double)b) * (double)n;
    return d < (double)n ? (d > 0.0 ? (size_t)d : 0) : n - 1;
}

/* Sort run[0 .. rn), the events of bucket b, by before(). A distribution sort: the
 * events are counted into rn slices of the bucket's time span and scattered into
 * run_tmp by slice (one pass each, O(n)); then each slice, about one event on
 * average, is sorted on its own (insertion sort, or merge sort when it is large:
 * events at one time, or a crowded overflow). A merge sort of the whole run cost
 * nearly as much as the heap it replaced: its comparisons are coin flips to the
 * branch predictor, five passes of them. */
static void sort_run(sim_evq *q, size_t b)
{
    enum { SMALL = 24 };
    size_t n = q->rn, *end = q->run_count;
    if (n <= SMALL) { insertion_sort(q->run, n); return; }
    memset(end, 0, (n + 1) * sizeof *end);
    for (size_t i = 0; i < n; i++) end[run_slot(q, b, n, &q->run[i]) + 1]++;
    for (size_t k = 1; k <= n; k++) end[k] += end[k - 1];   /* end[k]: start of slice k */
    for (size_t i = 0; i < n; i++) q->run_tmp[end[run_slot(q, b, n, &q->run[i])]++] = q->run[i];
    sim_event *sorted = q->run_tmp;   /* now end[k] is the end of slice k */
    q->run_tmp = q->run;
    q->run = sorted;
    for (size_t k = 0, lo = 0; k < n; lo = end[k++]) {
        size_t len = end[k] - lo;
        if (len <= SMALL) insertion_sort(q->run + lo, len);
        else merge_sort(q->run + lo, q->run_tmp, len);
    }
}

/* ------------------------------------------------------- the chunk pool -- */

/* Give the pool room for `cap` chunks (cap >= chunk_used). 0, or -1 (unchanged). The pool
 * lives on huge pages once it reaches 2 MiB (sim/core/pages.h): its chunks are visited at
 * random, and with 4 KiB pages opening a group spent most of its time on page walks. */
static int pool_resize(sim_evq *q, size_t cap)
{
    SIM_ASSERT(cap >= q->chunk_used);
    if (cap >= EVQ_NIL) return -1;
    evq_chunk *c = sim_pages_resize(q->chunk, q->chunk_cap * sizeof *c, cap * sizeof *c);
    if (!c) return -1;
    q->chunk = c;
    q->chunk_cap = (uint32_t)cap;
    return 0;
}

/* Make sure `n` chunks can be taken without allocating. 0, or -1. */
static int pool_reserve(sim_evq *q, size_t n)
{
    size_t avail = q->chunk_cap - q->chunk_used;
    for (uint32_t c = q->free_chunk; c != EVQ_NIL && avail < n; c = q->chunk[c].next) avail++;
    if (avail >= n) return 0;
    size_t cap = q->chunk_cap ? q->chunk_cap : 64;
    while (cap - q->chunk_used < n) cap *= 2;
    return pool_resize(q, cap);
}

/* Index of a fresh empty chunk, or EVQ_NIL when out of memory. */
static uint32_t chunk_take(sim_evq *q)
{
    uint32_t c = q->free_chunk;
    if (c != EVQ_NIL) {
        q->free_chunk = q->chunk[c].next;
    } else {
        if (q->chunk_used == q->chunk_cap && pool_reserve(q, 1) != 0) return EVQ_NIL;
        c = q->chunk_used++;
    }
    q->chunk[c].next = EVQ_NIL;
    q->chunk[c].n = 0;
    return c;
}

static void chunk_free(sim_evq *q, uint32_t c)
{
    q->chunk[c].next = q->free_chunk;
    q->free_chunk = c;
}

/* Groups of the far tier (nb buckets, the overflow in none). */
static inline size_t ngroups(const sim_evq *q)
{
    return (q->nb + EVQ_GROUP_BUCKETS - 1) >> EVQ_GROUP_SHIFT;
}

/* Append ev to list b (a bucket, b <= nb, or a group list); far_n unchanged.
 * 0, or -1 when out of memory (unchanged). */
static int list_add(sim_evq *q, size_t b, const sim_event *ev)
{
    SIM_ASSERT(b >= q->cur && b <= q->nb + ngroups(q));
    evq_bucket *k = &q->bkt[b];
    if (SIM_UNLIKELY(k->chunk == EVQ_NIL || k->fill == EVQ_CHUNK_EVENTS)) {
        uint32_t fresh = chunk_take(q);
        if (fresh == EVQ_NIL) return -1;
        if (k->chunk != EVQ_NIL) q->chunk[k->chunk].n = k->fill;   /* sealed: no longer first */
        q->chunk[fresh].next = k->chunk;
        k->chunk = fresh;
        k->fill = 0;
    }
    q->chunk[k->chunk].ev[k->fill++] = *ev;
    return 0;
}

/* Append a far event that belongs in bucket b (cur <= b <= nb): to the bucket if
 * its group is open or it is the overflow, else to its group's list. */
static int far_add(sim_evq *q, size_t b, const sim_event *ev)
{
    size_t g = b >> EVQ_GROUP_SHIFT;
    if (list_add(q, b < q->nb && g > q->open_g ? q->nb + 1 + g : b, ev) != 0) return -1;
    q->far_n++;
    return 0;
}

/* Make every chunk of bucket b carry its own count (before walking the list)
 * and return the first chunk. */
static uint32_t seal(sim_evq *q, size_t b)
{
    const evq_bucket *k = &q->bkt[b];
    if (k->chunk != EVQ_NIL) q->chunk[k->chunk].n = k->fill;
    return k->chunk;
}

/* Set bucket b to the list starting at chunk c (sealed counts). */
static void set_bucket(sim_evq *q, size_t b, uint32_t c)
{
    q->bkt[b].chunk = c;
    q->bkt[b].fill = c == EVQ_NIL ? 0 : q->chunk[c].n;
}

/* Bucket of a far event: x in [cur, nb) gives floor(x), larger x the overflow. */
static inline size_t bucket_of(const sim_evq *q, double x)
{
    return x >= (double)q->nb ? q->nb : (size_t)x;
}

/* Events on a chunk list. */
static size_t list_count(const sim_evq *q, uint32_t c)
{
    size_t n = 0;
    for (; c != EVQ_NIL; c = q->chunk[c].next) n += q->chunk[c].n;
    return n;
}

/* ------------------------------------------------------- moving events -- */

static int keep_event(sim_evq *q, const sim_event *ev)
{
    if (!q->live || q->live(ev, q->live_user)) return 1;
    q->dropped++;
    return 0;
}

/* Move the live events of bucket b into the empty run, sorted, and free its
 * chunks. 0, or -1 when the run cannot grow (nothing moved). */
static int bucket_to_run(sim_evq *q, size_t b)
{
    SIM_ASSERT(near_n(q) == 0);
    uint32_t c = seal(q, b);
    size_t n = list_count(q, c);
    if (run_reserve(q, n) != 0) return -1;
    while (c != EVQ_NIL) {
        const evq_chunk *ch = &q->chunk[c];
        if (q->touch && q->live)   /* start every miss of the chunk before the first test */
            for (uint32_t i = 0; i < ch->n; i++) q->touch(&ch->ev[i], q->touch_user);
        for (uint32_t i = 0; i < ch->n; i++)
            if (keep_event(q, &ch->ev[i])) q->run[q->rn++] = ch->ev[i];
        uint32_t next = ch->next;
        chunk_free(q, c);
        c = next;
    }
    set_bucket(q, b, EVQ_NIL);
    q->far_n -= n;
    sort_run(q, b);
    return 0;
}

static void far_off(sim_evq *q)
{
    SIM_ASSERT(q->far_n == 0);
    q->nb = 0;
    q->cur = 0;
    q->open_g = 0;
}

/* The clock enters group open_g + 1: move its list's events into its buckets
 * (sequential reads; the group's open chunks stay in cache). 0, or -1 when out
 * of memory (nothing moved). */
static int open_group(sim_evq *q)
{
    size_t g = q->open_g + 1, list = q->nb + 1 + g;
    SIM_ASSERT(g < ngroups(q) && (q->cur >> EVQ_GROUP_SHIFT) == g);
    /* each source chunk is freed once read: at most one partial chunk per bucket more */
    if (pool_reserve(q, EVQ_GROUP_BUCKETS + 1) != 0) return -1;
    uint32_t c = seal(q, list);
    set_bucket(q, list, EVQ_NIL);
    q->open_g = g;
    while (c != EVQ_NIL) {
        uint32_t next = q->chunk[c].next;
        if (next != EVQ_NIL) SIM_PREFETCH(&q->chunk[next]);   /* cold: its header is the next step */
        for (uint32_t i = 0; i < q->chunk[c].n; i++) {
            sim_event ev = q->chunk[c].ev[i];
            (void)list_add(q, bucket_of(q, coord(q, ev.time)), &ev);   /* reserved: cannot fail */
        }
        chunk_free(q, c);
        c = next;
    }
    return 0;
}

static int spread(sim_evq *q);

/* Restore I4 after the near tier ran empty: bring the next non-empty bucket forward
 * (dropping cancelled events), or spread the overflow when every bucket is used.
 * The overflow goes into the run as it is when spreading it makes no progress
 * (its events cannot be spread, or all of them land in the new overflow).
 * Sets q->failed when out of memory. */
static void refill(sim_evq *q)
{
    while (near_n(q) == 0 && q->far_n > 0) {
        while (q->cur < q->nb) {
            if ((q->cur >> EVQ_GROUP_SHIFT) > q->open_g) {
                if (open_group(q) != 0) { q->failed = 1; return; }
                continue;
            }
            if (q->bkt[q->cur].chunk != EVQ_NIL) break;
            q->cur++;
        }
        if (q->cur < q->nb) {
            size_t b = q->cur++;
            if (bucket_to_run(q, b) != 0) { q->failed = 1; return; }
            continue;
        }
        size_t before_spread = q->far_n;   /* all in the overflow */
        if (spread(q) == 0 && (near_n(q) > 0 || q->far_n == 0 || list_count(q, seal(q, q->nb)) < before_spread))
            continue;
        if (bucket_to_run(q, q->nb) != 0) { q->failed = 1; return; }
    }
    if (q->far_n == 0 && q->nb > 0) far_off(q);
    SIM_ASSERT(near_n(q) > 0 || q->far_n == 0 || q->failed);   /* I4 */
}

/* Append ev to the gathered list *all (a chunk reserved when a fresh one is needed). */
static void gather_one(sim_evq *q, uint32_t *all, const sim_event *ev)
{
    if (*all == EVQ_NIL || q->chunk[*all].n == EVQ_CHUNK_EVENTS) {
        uint32_t fresh = chunk_take(q);   /* reserved: cannot fail */
        q->chunk[fresh].next = *all;
        *all = fresh;
    }
    q->chunk[*all].ev[q->chunk[*all].n++] = *ev;
}

/* Link every far list and, if `with_near`, the near tier's events (heap and run)
 * into one chunk list (the near tier becomes empty). Needs the chunks for the near
 * tier reserved. */
static uint32_t gather(sim_evq *q, int with_near)
{
    uint32_t all = EVQ_NIL;
    for (size_t b = q->cur; q->nb > 0 && b <= q->nb + ngroups(q); b++) {
        uint32_t c = seal(q, b);
        if (c == EVQ_NIL) continue;
        uint32_t tail = c;
        while (q->chunk[tail].next != EVQ_NIL) tail = q->chunk[tail].next;
        q->chunk[tail].next = all;
        all = c;
        set_bucket(q, b, EVQ_NIL);
    }
    if (!with_near) return all;
    for (size_t i = 0; i < q->hn; i++) gather_one(q, &all, &q->heap[i]);
    for (size_t i = q->rh; i < q->rn; i++) gather_one(q, &all, &q->run[i]);
    q->hn = q->rh = q->rn = 0;
    return all;
}

/* Widen [*lo, *hi] to the finite times of ev[0 .. n). */
static void time_range(const sim_event *ev, size_t n, double *lo, double *hi)
{
    for (size_t i = 0; i < n; i++)
        if (isfinite(ev[i].time)) { *lo = fmin(*lo, ev[i].time); *hi = fmax(*hi, ev[i].time); }
}

/* Spread every pending event (near tier included) over fresh buckets whose width
 * puts about EVQ_BUCKET_TARGET events in each; the near tier is left empty (but for
 * events at -inf, in the heap) and the caller refills it. Returns 0, or 1 when the
 * events cannot be spread (no finite time, or a range that overflows), or -1 out of
 * memory; in both cases nothing changed. */
static int spread(sim_evq *q)
{
    size_t n = near_n(q) + q->far_n;
    double lo = INFINITY, hi = -INFINITY;
    time_range(q->heap, q->hn, &lo, &hi);
    time_range(q->run + q->rh, q->rn - q->rh, &lo, &hi);
    for (size_t b = q->cur; q->nb > 0 && b <= q->nb + ngroups(q); b++)
        for (uint32_t c = seal(q, b); c != EVQ_NIL; c = q->chunk[c].next)
            time_range(q->chunk[c].ev, q->chunk[c].n, &lo, &hi);
    if (!(lo <= hi) || !isfinite(hi - lo)) return 1;
    size_t nb = n / EVQ_BUCKET_TARGET;
    nb = nb < 1 ? 1 : nb > EVQ_MAX_BUCKETS ? EVQ_MAX_BUCKETS : nb;
    double inv = hi > lo ? (double)nb / (hi - lo) : 1.0;
    if (!isfinite(inv) || !(inv > 0)) return 1;
    size_t ng = (nb + EVQ_GROUP_BUCKETS - 1) >> EVQ_GROUP_SHIFT;
    /* chunks: the near tier's events, one partial chunk per new bucket and group, slack */
    if (pool_reserve(q, near_n(q) / EVQ_CHUNK_EVENTS + nb + ng + 4) != 0) return -1;
    if (q->bkt_cap < nb + 1 + ng) {
        evq_bucket *k = realloc(q->bkt, (nb + 1 + ng) * sizeof *k);
        if (!k) return -1;
        q->bkt = k;
        q->bkt_cap = nb + 1 + ng;
    }
    uint32_t all = gather(q, 1);
    q->nb = nb;
    q->cur = 0;
    q->open_g = 0;
    q->origin = lo;
    q->inv_width = inv;
    q->far_n = 0;
    for (size_t b = 0; b <= nb + ng; b++) set_bucket(q, b, EVQ_NIL);
    /* Redistribute: x < 0 only for -inf, which belongs in the heap (and the heap
     * has room: it held at least as many events before, because an event at -inf
     * is always near: never in a bucket or the run). A source chunk is freed
     * once read, so the pool never needs more than reserved. */
    while (all != EVQ_NIL) {
        uint32_t c = all;
        for (uint32_t i = 0; i < q->chunk[c].n; i++) {
            sim_event ev = q->chunk[c].ev[i];
            if (!keep_event(q, &ev)) continue;
            double x = coord(q, ev.time);
            if (x < 0) {
                SIM_ASSERT(q->hn < q->hcap);
                q->heap[q->hn++] = ev;
            } else {
                (void)far_add(q, bucket_of(q, x), &ev);   /* reserved: cannot fail */
            }
        }
        all = q->chunk[c].next;
        chunk_free(q, c);
    }
    heapify(q);
    q->spread_seq = q->next_seq;
    return 0;
}

/* The near tier outgrew spill_at: spread if that is affordable, else let it grow.
 * (The near tier, not the heap alone: the run holds what the heap held before the run
 * existed, so the spreads, and the cancelled events they drop, come where they did.) */
static void spill(sim_evq *q)
{
    size_t n = near_n(q) + q->far_n;
    if (n <= EVQ_SPREAD_COST * (q->next_seq - q->spread_seq) && spread(q) == 0) {
        refill(q);
        q->spill_at = near_n(q) > EVQ_SPILL_MIN / 2 ? 2 * near_n(q) : EVQ_SPILL_MIN;
    } else {
        q->spill_at = 2 * near_n(q);
    }
    set_heap_limit(q);
}

/* ----------------------------------------------------------- public API -- */

sim_evq *sim_evq_create(size_t capacity)
{
    sim_evq *q = calloc(1, sizeof *q);
    if (!q) return NULL;
    q->hcap = capacity ? capacity : EVQ_DEFAULT_CAPACITY;
    q->heap = malloc(q->hcap * sizeof *q->heap);
    if (!q->heap) { free(q); return NULL; }
    q->free_chunk = EVQ_NIL;
    q->spill_at = EVQ_SPILL_MIN;
    set_heap_limit(q);
    return q;
}

void sim_evq_destroy(sim_evq *q)
{
    if (!q) return;
    free(q->heap);
    free(q->run);
    free(q->run_tmp);
    free(q->run_count);
    sim_pages_free(q->chunk, q->chunk_cap * sizeof *q->chunk);
    free(q->bkt);
    free(q);
}

void sim_evq_reset(sim_evq *q)
{
    SIM_ASSERT(q);
    q->hn = q->rh = q->rn = 0;
    q->chunk_used = 0;   /* every chunk back in the pool */
    q->free_chunk = EVQ_NIL;
    q->nb = q->cur = q->far_n = q->open_g = 0;
    q->spill_at = EVQ_SPILL_MIN;
    set_heap_limit(q);
    q->spread_seq = 0;
    q->next_seq = 0;
    q->dropped = 0;
    q->failed = 0;
    q->live = NULL;
    q->live_user = NULL;
    q->touch = NULL;
    q->touch_user = NULL;
    EVQ_CHECK(q);
}

/* Grow *items to hold at least `want` elements of `size` bytes (capacity *cap,
 * unchanged on failure). 0, or -1 when out of memory. */
static int ensure(void **items, size_t *cap, size_t want, size_t size)
{
    if (want <= *cap) return 0;
    void *x = realloc(*items, want * size);
    if (!x) return -1;
    *items = x;
    *cap = want;
    return 0;
}

int sim_evq_copy(sim_evq *dst, const sim_evq *src)
{
    SIM_ASSERT(dst && src && dst != src);
    size_t nbkt = src->nb > 0 ? src->nb + 1 + ngroups(src) : 0;
    dst->rh = dst->rn = 0;
    if (ensure((void **)&dst->heap, &dst->hcap, src->hcap, sizeof *dst->heap) != 0
        || run_reserve(dst, src->rn) != 0
        || (src->chunk_used > dst->chunk_cap && pool_resize(dst, src->chunk_used) != 0)
        || ensure((void **)&dst->bkt, &dst->bkt_cap, nbkt, sizeof *dst->bkt) != 0) {
        sim_evq_reset(dst);
        return -1;
    }
    /* the state as a whole, then the arrays and capacities that are dst's own */
    sim_event *heap = dst->heap, *run = dst->run, *run_tmp = dst->run_tmp;
    size_t *run_count = dst->run_count;
    evq_chunk *chunk = dst->chunk;
    evq_bucket *bkt = dst->bkt;
    size_t hcap = dst->hcap, bkt_cap = dst->bkt_cap, rcap = dst->rcap;
    uint32_t ccap = dst->chunk_cap;
    *dst = *src;
    dst->heap = heap, dst->hcap = hcap;
    dst->run = run, dst->run_tmp = run_tmp, dst->run_count = run_count, dst->rcap = rcap;
    dst->chunk = chunk, dst->chunk_cap = ccap;
    dst->bkt = bkt, dst->bkt_cap = bkt_cap;
    if (src->hn) memcpy(dst->heap, src->heap, src->hn * sizeof *dst->heap);
    if (src->rn) memcpy(dst->run, src->run, src->rn * sizeof *dst->run);   /* rh as in src */
    if (src->chunk_used) memcpy(dst->chunk, src->chunk, src->chunk_used * sizeof *dst->chunk);
    if (nbkt) memcpy(dst->bkt, src->bkt, nbkt * sizeof *dst->bkt);
    set_heap_limit(dst);   /* heap_limit = min(hcap, spill_at): the spread points are spill_at's, as in src */
    dst->live = NULL, dst->live_user = NULL;
    dst->touch = NULL, dst->touch_user = NULL;
    EVQ_CHECK(dst);
    return 0;
}

void sim_evq_set_live(sim_evq *q, sim_evq_keep_fn keep, void *user)
{
    SIM_ASSERT(q);
    q->live = keep;
    q->live_user = user;
}

void sim_evq_set_touch(sim_evq *q, sim_evq_touch_fn touch, void *user)
{
    SIM_ASSERT(q);
    q->touch = touch;
    q->touch_user = user;
}

/* Make room for one heap insertion of an event at `time` when the heap is full
 * or the near tier would outgrow spill_at: grow, or spread first (which may move the event's
 * place to the far tier). Returns 0 (insert into the heap), 1 (the event now
 * belongs in bucket *b), or -1 out of memory. */
static int heap_prepare(sim_evq *q, double time, size_t *b)
{
    if (near_n(q) >= q->spill_at) {
        spill(q);
        double x;
        if (q->nb > 0 && (x = coord(q, time)) >= (double)q->cur) {
            *b = bucket_of(q, x);
            return 1;
        }
    }
    return q->hn == q->hcap ? heap_reserve(q, 1) : 0;
}

/* A push into a queue whose far tier is on, or whose heap is full or near tier
 * would outgrow spill_at. */
static SIM_NOINLINE int push_slow(sim_evq *q, const sim_event *ev)
{
    double x;
    size_t b = 0;   /* set by heap_prepare when it returns 1 */
    if (q->nb > 0 && (x = coord(q, ev->time)) >= (double)q->cur) {
        if (far_add(q, bucket_of(q, x), ev) != 0) return -1;
    } else {
        int where = near_n(q) >= q->heap_limit ? heap_prepare(q, ev->time, &b) : 0;
        if (where < 0 || (where > 0 && far_add(q, b, ev) != 0)) return -1;
        if (where == 0) sift_up(q->heap, q->hn++, *ev);
    }
    q->next_seq++;
    size_t size = near_n(q) + q->far_n;
    if (size > q->high_water) q->high_water = size;
    EVQ_CHECK(q);
    return 0;
}

int sim_evq_push(sim_evq *q, double time, unsigned priority, uint32_t kind,
                 uint32_t entity, uint32_t stamp, uint32_t arg)
{
    SIM_ASSERT(!isnan(time));
    SIM_ASSERT(priority <= SIM_EVQ_MAX_PRIORITY);
    SIM_ASSERT(q->next_seq < SIM_EVQ_MAX_PUSHES);
    sim_event ev = {time, ((uint64_t)priority << EVQ_SEQ_BITS) | tie_key(q->next_seq),
                    kind, entity, stamp, arg};
    if (SIM_UNLIKELY(q->nb > 0 || near_n(q) >= q->heap_limit)) return push_slow(q, &ev);
    /* far tier off, heap with room: far_n == 0, so the size is the near tier's */
    sift_up(q->heap, q->hn++, ev);
    q->next_seq++;
    if (near_n(q) > q->high_water) q->high_water = near_n(q);
    EVQ_CHECK(q);
    return 0;
}

/* The near tier may have run empty: reset an emptied run (I1) and bring the next
 * bucket forward (I4). */
static void near_emptied(sim_evq *q)
{
    if (q->rh == q->rn) q->rh = q->rn = 0;
    if (near_n(q) == 0 && q->far_n > 0) refill(q);
}

/* pop of the heap's top when it holds at most one event (and it runs before the
 * run's head, if any): the queue may be empty, or the near tier runs empty and the
 * next bucket comes forward. */
static SIM_NOINLINE int pop_last(sim_evq *q, sim_event *out)
{
    SIM_ASSERT(out);
    if (q->hn == 0 || q->failed) return 0;
    *out = q->heap[0];
    q->hn = 0;
    near_emptied(q);
    EVQ_CHECK(q);
    return 1;
}

/* 1 when the run's head is the near tier's earliest event (rn != 0 means a
 * non-empty run, I1: one test for a queue that never uses it, such as M/M/1's). */
static inline int run_first(const sim_evq *q)
{
    return q->rn != 0 && (q->hn == 0 || before(&q->run[q->rh], &q->heap[0]));
}

int sim_evq_pop(sim_evq *q, sim_event *out)
{
    if (run_first(q)) {
        *out = q->run[q->rh++];
        if (SIM_UNLIKELY(q->rh == q->rn)) near_emptied(q);
        EVQ_CHECK(q);
        return 1;
    }
    if (SIM_UNLIKELY(q->hn <= 1)) return pop_last(q, out);
    *out = q->heap[0];
    size_t n = --q->hn;
    sift_down(q->heap, n, 0, q->heap[n]);
    EVQ_CHECK(q);
    return 1;
}

const sim_event *sim_evq_peek(const sim_evq *q)
{
    if (run_first(q)) return &q->run[q->rh];
    return q->hn ? &q->heap[0] : NULL;
}

size_t sim_evq_size(const sim_evq *q) { return near_n(q) + q->far_n; }
size_t sim_evq_high_water(const sim_evq *q) { return q->high_water; }
uint64_t sim_evq_dropped(const sim_evq *q) { return q->dropped; }
int sim_evq_failed(const sim_evq *q) { return q->failed; }

/* Keep the events of bucket b that pass keep(), compacting them towards the
 * list's front; emptied chunks go back to the pool. Returns the kept count. */
static size_t filter_bucket(sim_evq *q, size_t b, sim_evq_keep_fn keep, void *user)
{
    uint32_t head = seal(q, b), w = head, r = head, wi = 0;
    size_t kept = 0;
    while (r != EVQ_NIL) {
        for (uint32_t i = 0; i < q->chunk[r].n; i++) {
            const sim_event *ev = &q->chunk[r].ev[i];
            if (!keep(ev, user)) continue;
            if (wi == EVQ_CHUNK_EVENTS) { q->chunk[w].n = wi; w = q->chunk[w].next; wi = 0; }
            q->chunk[w].ev[wi++] = *ev;   /* w is at or before r: never overwrites unread entries */
            kept++;
        }
        r = q->chunk[r].next;
    }
    if (w == EVQ_NIL) return 0;
    uint32_t rest = q->chunk[w].next;
    q->chunk[w].n = wi;
    q->chunk[w].next = EVQ_NIL;
    if (kept == 0) { chunk_free(q, w); head = EVQ_NIL; }
    while (rest != EVQ_NIL) {
        uint32_t next = q->chunk[rest].next;
        chunk_free(q, rest);
        rest = next;
    }
    set_bucket(q, b, head);
    return kept;
}

size_t sim_evq_filter(sim_evq *q, sim_evq_keep_fn keep, void *user)
{
    SIM_ASSERT(q && keep);
    size_t n = 0, old = near_n(q) + q->far_n;
    for (size_t i = 0; i < q->hn; i++)
        if (keep(&q->heap[i], user)) q->heap[n++] = q->heap[i];
    q->hn = n;
    heapify(q);
    n = 0;   /* the run stays sorted: kept events keep their order, from the front */
    for (size_t i = q->rh; i < q->rn; i++)
        if (keep(&q->run[i], user)) q->run[n++] = q->run[i];
    q->rh = 0, q->rn = n;
    q->far_n = 0;
    for (size_t b = q->cur; q->nb > 0 && b <= q->nb + ngroups(q); b++)
        q->far_n += filter_bucket(q, b, keep, user);
    if (near_n(q) == 0) refill(q);
    EVQ_CHECK(q);
    return old - (near_n(q) + q->far_n);
}

/* ------------------------------------------------------------ checking -- */

static int check_heap(const sim_evq *q)
{
    for (size_t i = 1; i < q->hn; i++)
        if (before(&q->heap[i], &q->heap[(i - 1) / EVQ_ARITY])) return 0;
    return 1;
}

static int check_run(const sim_evq *q)
{
    if (q->rh > q->rn || q->rn > q->rcap || (q->rh == q->rn && q->rn != 0)) return 0;
    for (size_t i = q->rh + 1; i < q->rn; i++)
        if (!before(&q->run[i - 1], &q->run[i])) return 0;
    return 1;
}

/* I3 for list b (a bucket or a group list): every event's coordinate is at
 * least cur and its bucket lies in [lo, hi). Adds the list's events to *count
 * and its chunks to *chunks. */
static int check_list(const sim_evq *q, size_t b, size_t lo, size_t hi, size_t *count, size_t *chunks)
{
    for (uint32_t c = q->bkt[b].chunk; c != EVQ_NIL; c = q->chunk[c].next) {
        uint32_t n = c == q->bkt[b].chunk ? q->bkt[b].fill : q->chunk[c].n;
        if (c >= q->chunk_used || n > EVQ_CHUNK_EVENTS || ++*chunks > q->chunk_used) return 0;
        for (uint32_t i = 0; i < n; i++) {
            double x = coord(q, q->chunk[c].ev[i].time);
            size_t k = bucket_of(q, x);
            if (k < lo || k >= hi || x < (double)q->cur) return 0;
        }
        *count += n;
    }
    return 1;
}

int sim_evq_check(const sim_evq *q)
{
    if (!check_heap(q) || q->hn > q->hcap || !check_run(q)) return 0;       /* I1 */
    size_t chunks = 0, far = 0;
    for (uint32_t c = q->free_chunk; c != EVQ_NIL; c = q->chunk[c].next)
        if (c >= q->chunk_used || ++chunks > q->chunk_used) return 0;
    if (q->nb == 0) return q->far_n == 0 && chunks == q->chunk_used;          /* I2, I5 */
    if (near_n(q) == 0 && q->far_n > 0 && !q->failed) return 0;             /* I4 */
    for (size_t i = 0; i < q->hn; i++)
        if (!(coord(q, q->heap[i].time) < (double)q->cur)) return 0;         /* I3, heap */
    for (size_t i = q->rh; i < q->rn; i++)
        if (!(coord(q, q->run[i].time) < (double)q->cur)) return 0;          /* I3, run */
    size_t cg = q->cur >> EVQ_GROUP_SHIFT;   /* the group of cur: open, or next to be opened */
    if (q->cur < q->nb && (cg < q->open_g || cg > q->open_g + 1)) return 0;
    size_t ng = ngroups(q);
    for (size_t b = 0; b <= q->nb; b++) {
        int closed = b < q->nb && (b >> EVQ_GROUP_SHIFT) > q->open_g;
        if ((b < q->cur || closed) && q->bkt[b].chunk != EVQ_NIL) return 0;
        if (!check_list(q, b, b, b + 1, &far, &chunks)) return 0;
    }
    for (size_t g = 0; g < ng; g++) {
        size_t lo = g << EVQ_GROUP_SHIFT, hi = lo + EVQ_GROUP_BUCKETS < q->nb ? lo + EVQ_GROUP_BUCKETS : q->nb;
        if (g <= q->open_g && q->bkt[q->nb + 1 + g].chunk != EVQ_NIL) return 0;
        if (!check_list(q, q->nb + 1 + g, lo, hi, &far, &chunks)) return 0;
    }
    return far == q->far_n && chunks == q->chunk_used;                       /* I3, I5 */
}
