/* test_evq.c: the future event set against a sorted reference. Every popped
 * event must be the reference's next one on (time, priority, insertion
 * sequence), for random, interleaved and adversarial inputs, and for a
 * simulation-like load of far-future events with cancellation (liveness test,
 * purges); the structure's invariants, reset, growth and the high-water mark are
 * checked on the side. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../sim/core/evq.h"
#include "check.h"

/* A reference record: the key plus the payload the queue must carry through. */
typedef struct {
    double   time;
    unsigned prio;
    uint32_t seq;   /* insertion sequence since the last reset; also sent as `arg` */
} ref_ev;

static int ref_cmp(const void *pa, const void *pb)
{
    const ref_ev *a = pa, *b = pb;
    if (a->time != b->time) return a->time < b->time ? -1 : 1;
    if (a->prio != b->prio) return a->prio < b->prio ? -1 : 1;
    return (a->seq > b->seq) - (a->seq < b->seq);
}

/* SplitMix64: a tiny deterministic generator independent of the code under test. */
static uint64_t rnd_state = 12345;
static uint64_t rnd(void)
{
    uint64_t z = (rnd_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}
static double rnd_unit(void) { return (double)(rnd() >> 11) * 0x1.0p-53; }

/* Payload derived from the sequence number, to see that records travel intact. */
static uint32_t kind_of(uint32_t seq) { return seq * 7u + 1u; }
static uint32_t entity_of(uint32_t seq) { return seq ^ 0xA5A5A5A5u; }
static uint32_t stamp_of(uint32_t seq) { return ~seq; }

static int push_ref(sim_evq *q, const ref_ev *e)
{
    return sim_evq_push(q, e->time, e->prio, kind_of(e->seq), entity_of(e->seq),
                        stamp_of(e->seq), e->seq);
}

static int same(const sim_event *ev, const ref_ev *e)
{
    return ev->time == e->time && ev->arg == e->seq && ev->kind == kind_of(e->seq)
        && ev->entity == entity_of(e->seq) && ev->stamp == stamp_of(e->seq);
}

/* Push all of v (seq = index), pop everything, compare with v sorted. */
static void run_batch(const char *label, ref_ev *v, size_t n)
{
    sim_evq *q = sim_evq_create(0);
    CHECK(q != NULL, "%s: create", label);
    if (!q) return;
    int push_ok = 1;
    for (size_t i = 0; i < n; i++) {
        v[i].seq = (uint32_t)i;
        push_ok &= push_ref(q, &v[i]) == 0;
    }
    CHECK(push_ok, "%s: every push returned 0", label);
    CHECK(sim_evq_size(q) == n, "%s: size %zu after %zu pushes", label, sim_evq_size(q), n);
    CHECK(sim_evq_check(q), "%s: heap invariant after pushes", label);
    CHECK(sim_evq_high_water(q) == n, "%s: high water %zu, want %zu", label, sim_evq_high_water(q), n);
    qsort(v, n, sizeof *v, ref_cmp);
    size_t bad = n, popped = 0;
    int peek_ok = 1;
    sim_event ev;
    for (size_t i = 0; i < n; i++) {
        const sim_event *pk = sim_evq_peek(q);
        sim_event want_peek = pk ? *pk : (sim_event){0};
        if (!sim_evq_pop(q, &ev)) break;
        popped++;
        peek_ok &= pk && memcmp(&want_peek, &ev, sizeof ev) == 0;
        if (bad == n && !same(&ev, &v[i])) bad = i;
        if (i % 4096 == 0 && !sim_evq_check(q)) { peek_ok = 0; }
    }
    CHECK(popped == n, "%s: popped %zu of %zu", label, popped, n);
    CHECK(bad == n, "%s: first mismatch at rank %zu: got (t=%g arg=%u), want (t=%g prio=%u seq=%u)",
          label, bad, bad < n ? ev.time : 0.0, bad < n ? ev.arg : 0, bad < n ? v[bad].time : 0.0,
          bad < n ? v[bad].prio : 0, bad < n ? v[bad].seq : 0);
    CHECK(peek_ok, "%s: peek equals the next pop and the heap stays valid", label);
    CHECK(sim_evq_size(q) == 0 && sim_evq_peek(q) == NULL && !sim_evq_pop(q, &ev),
          "%s: empty at the end", label);
    sim_evq_destroy(q);
}

static void test_random_batches(void)
{
    static const size_t sizes[] = {1, 2, 3, 4, 5, 6, 17, 64, 1000, 100000};
    for (size_t k = 0; k < SIM_ARRAY_LEN(sizes); k++) {
        size_t n = sizes[k];
        ref_ev *v = malloc(n * sizeof *v);
        char label[64];
        for (size_t i = 0; i < n; i++) v[i] = (ref_ev){rnd_unit() * 1000.0, (unsigned)(rnd() % 4), 0};
        snprintf(label, sizeof label, "random n=%zu", n);
        run_batch(label, v, n);
        /* coarse times: many ties decided by priority and sequence */
        for (size_t i = 0; i < n; i++) v[i] = (ref_ev){(double)(rnd() % 16), (unsigned)(rnd() % 3), 0};
        snprintf(label, sizeof label, "coarse n=%zu", n);
        run_batch(label, v, n);
        free(v);
    }
}

static void test_adversarial(void)
{
    size_t n = 50000;
    ref_ev *v = malloc(n * sizeof *v);
    /* all equal times and priorities: insertion order */
    for (size_t i = 0; i < n; i++) v[i] = (ref_ev){42.0, 0, 0};
    run_batch("all equal", v, n);
    /* all equal times, priorities cycling: by priority, then insertion order */
    for (size_t i = 0; i < n; i++) v[i] = (ref_ev){42.0, (unsigned)(i % 5 == 0 ? 65535 : i % 3), 0};
    run_batch("equal times, mixed priority", v, n);
    /* the largest priority never leaks into the sequence bits */
    for (size_t i = 0; i < n; i++) v[i] = (ref_ev){1.0, i % 2 ? 65535u : 65534u, 0};
    run_batch("priorities 65534/65535", v, n);
    for (size_t i = 0; i < n; i++) v[i] = (ref_ev){(double)(n - i), 0, 0};
    run_batch("descending times", v, n);
    for (size_t i = 0; i < n; i++) v[i] = (ref_ev){(double)i, 0, 0};
    run_batch("ascending times", v, n);
    for (size_t i = 0; i < n; i++) v[i] = (ref_ev){(double)(i % 3), (unsigned)(i % 2), 0};
    run_batch("three distinct times", v, n);
    /* descending blocks of duplicates with descending priorities */
    for (size_t i = 0; i < n; i++) v[i] = (ref_ev){(double)(1000 - i / 100), (unsigned)(9 - i % 10), 0};
    run_batch("descending duplicate blocks", v, n);
    /* extremes: negative, zero, tiny, huge, infinity */
    static const double odd[] = {-1e300, -1.0, 0.0, -0.0, 1e-300, 5e-324, 1.0, 1e300, INFINITY};
    for (size_t i = 0; i < n; i++) v[i] = (ref_ev){odd[rnd() % SIM_ARRAY_LEN(odd)], (unsigned)(rnd() % 2), 0};
    run_batch("extreme times", v, n);
    free(v);
}

/* Reference priority queue for interleaved use: a sorted array, best at the end. */
typedef struct {
    ref_ev *a;
    size_t  n;
} ref_pq;

static void ref_push(ref_pq *r, ref_ev e)
{
    size_t lo = 0, hi = r->n;   /* first index whose element sorts before e */
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (ref_cmp(&r->a[mid], &e) > 0) lo = mid + 1;
        else hi = mid;
    }
    memmove(r->a + lo + 1, r->a + lo, (r->n - lo) * sizeof *r->a);
    r->a[lo] = e;
    r->n++;
}

/* Interleaved pushes and pops, as a simulation does: events scheduled at or
 * after the current time, with occasional bursts and drains. */
static void test_interleaved(size_t ops, unsigned coarse, const char *label)
{
    sim_evq *q = sim_evq_create(1);   /* tiny start: exercises growth */
    ref_pq r = {malloc(ops * sizeof(ref_ev)), 0};
    uint32_t seq = 0;
    double now = 0;
    size_t mismatches = 0, checks_bad = 0, maxsize = 0;
    for (size_t i = 0; i < ops; i++) {
        int push = r.n == 0 || (rnd() % 100) < (i < ops / 2 ? 60u : 40u);
        if (push) {
            double dt = coarse ? (double)(rnd() % coarse) : -log1p(-rnd_unit()) * 10.0;
            ref_ev e = {now + dt, (unsigned)(rnd() % 3), seq++};
            if (push_ref(q, &e) != 0) mismatches++;
            ref_push(&r, e);
            if (r.n > maxsize) maxsize = r.n;
        } else {
            sim_event ev;
            ref_ev want = r.a[--r.n];
            if (!sim_evq_pop(q, &ev) || !same(&ev, &want)) mismatches++;
            now = want.time;
        }
        if (sim_evq_size(q) != r.n) mismatches++;
        if (i % 997 == 0 && !sim_evq_check(q)) checks_bad++;
    }
    CHECK(mismatches == 0, "%s: %zu mismatches against the reference", label, mismatches);
    CHECK(checks_bad == 0, "%s: heap invariant broken %zu times", label, checks_bad);
    CHECK(sim_evq_high_water(q) == maxsize, "%s: high water %zu, want %zu", label,
          sim_evq_high_water(q), maxsize);
    /* drain */
    sim_event ev;
    while (r.n > 0) {
        ref_ev want = r.a[--r.n];
        if (!sim_evq_pop(q, &ev) || !same(&ev, &want)) mismatches++;
    }
    CHECK(mismatches == 0 && sim_evq_size(q) == 0, "%s: drain: %zu mismatches", label, mismatches);
    free(r.a);
    sim_evq_destroy(q);
}

static void test_reset_and_high_water(void)
{
    sim_evq *q = sim_evq_create(2);
    sim_event ev;
    CHECK(sim_evq_size(q) == 0 && sim_evq_peek(q) == NULL && sim_evq_high_water(q) == 0,
          "fresh queue is empty");
    CHECK(sim_evq_pop(q, &ev) == 0, "pop on an empty queue returns 0");
    for (uint32_t i = 0; i < 300; i++) sim_evq_push(q, 5.0, 1, 0, 0, 0, i);
    for (int i = 0; i < 100; i++) sim_evq_pop(q, &ev);
    for (uint32_t i = 0; i < 50; i++) sim_evq_push(q, 5.0, 1, 0, 0, 0, 1000 + i);
    CHECK(sim_evq_size(q) == 250, "size after 350 pushes, 100 pops: %zu", sim_evq_size(q));
    CHECK(sim_evq_high_water(q) == 300, "high water %zu, want 300", sim_evq_high_water(q));
    sim_evq_reset(q);
    CHECK(sim_evq_size(q) == 0 && sim_evq_peek(q) == NULL && sim_evq_pop(q, &ev) == 0,
          "reset empties the queue");
    CHECK(sim_evq_high_water(q) == 300, "high water survives reset: %zu", sim_evq_high_water(q));
    /* after reset: equal-time events still in insertion order, priorities still apply */
    for (uint32_t i = 0; i < 20; i++) sim_evq_push(q, 1.0, i % 2, 0, 0, 0, i);
    sim_evq_push(q, 0.5, 9, 0, 0, 0, 99);
    int ok = sim_evq_pop(q, &ev) && ev.arg == 99;
    for (uint32_t i = 0; i < 20; i += 2) ok &= sim_evq_pop(q, &ev) && ev.arg == i;
    for (uint32_t i = 1; i < 20; i += 2) ok &= sim_evq_pop(q, &ev) && ev.arg == i;
    CHECK(ok && sim_evq_size(q) == 0, "order after reset");
    /* an event pushed after reset must not be ordered behind the old sequence numbers:
     * fill, reset, push two equal events; they come out in push order */
    for (uint32_t i = 0; i < 10; i++) sim_evq_push(q, 3.0, 0, 0, 0, 0, i);
    sim_evq_reset(q);
    sim_evq_push(q, 3.0, 0, 0, 0, 0, 1);
    sim_evq_push(q, 3.0, 0, 0, 0, 0, 2);
    ok = sim_evq_pop(q, &ev) && ev.arg == 1 && sim_evq_pop(q, &ev) && ev.arg == 2;
    CHECK(ok, "two equal events after reset keep push order");
    CHECK(sim_evq_high_water(q) == 300, "high water unchanged by smaller use: %zu", sim_evq_high_water(q));
    for (uint32_t i = 0; i < 5000; i++) sim_evq_push(q, (double)(i % 7), 0, 0, 0, 0, i);
    CHECK(sim_evq_high_water(q) == 5000 && sim_evq_check(q), "growth past the old capacity");
    sim_evq_destroy(q);
    sim_evq_destroy(NULL);   /* a no-op; must not crash */
    CHECK(sizeof(sim_event) == 32, "sim_event is 32 bytes (%zu)", sizeof(sim_event));
}

/* Keep the events whose sequence number is not a multiple of 3. */
static int keep_not_third(const sim_event *ev, void *user)
{
    (void)user;
    return ev->arg % 3 != 0;
}

/* sim_evq_filter drops exactly the rejected events and keeps the others in order. */
static void test_filter(void)
{
    enum { N = 20000 };
    static ref_ev v[N], kept[N];
    sim_evq *q = sim_evq_create(0);
    size_t nk = 0;
    for (uint32_t i = 0; i < N; i++) {
        v[i] = (ref_ev){floor(rnd_unit() * 500.0), (unsigned)(rnd() % 3), i};
        push_ref(q, &v[i]);
        if (i % 3 != 0) kept[nk++] = v[i];
    }
    sim_event ev;
    for (int i = 0; i < 1000; i++) sim_evq_pop(q, &ev);   /* a used heap, not a fresh one */
    qsort(v, N, sizeof *v, ref_cmp);
    size_t removed = sim_evq_filter(q, keep_not_third, NULL);
    size_t want_removed = 0;
    for (size_t i = 1000; i < N; i++) want_removed += v[i].seq % 3 == 0;
    CHECK(removed == want_removed, "filter removed %zu, want %zu", removed, want_removed);
    CHECK(sim_evq_check(q), "heap invariant after filter");
    qsort(kept, nk, sizeof *kept, ref_cmp);
    size_t j = 0, bad = 0;
    for (size_t i = 0; i < nk; i++) {   /* skip the kept ones popped before the filter */
        int popped_before = 0;
        for (size_t k = 0; k < 1000 && !popped_before; k++) popped_before = v[k].seq == kept[i].seq;
        if (popped_before) continue;
        if (!sim_evq_pop(q, &ev) || !same(&ev, &kept[i])) bad++;
        j++;
    }
    CHECK(bad == 0 && sim_evq_size(q) == 0, "kept events pop in reference order (%zu bad of %zu)", bad, j);
    sim_evq_destroy(q);
}


/* ---- far-future events, cancellation and the two tiers ---- */

/* A reference binary heap on ref_cmp (independent of the code under test). */
typedef struct {
    ref_ev  *a;
    size_t   n, cap;
    uint32_t *entity, *stamp;   /* per seq: the entity and stamp the event was pushed with */
} ref_heap;

static void rh_push(ref_heap *h, ref_ev e)
{
    if (h->n == h->cap) {
        h->cap = h->cap ? 2 * h->cap : 1024;
        h->a = realloc(h->a, h->cap * sizeof *h->a);
    }
    size_t i = h->n++;
    while (i > 0 && ref_cmp(&e, &h->a[(i - 1) / 2]) < 0) {
        h->a[i] = h->a[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    h->a[i] = e;
}

static ref_ev rh_pop(ref_heap *h)
{
    ref_ev top = h->a[0], last = h->a[--h->n];
    size_t i = 0;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= h->n) break;
        if (c + 1 < h->n && ref_cmp(&h->a[c + 1], &h->a[c]) < 0) c++;
        if (ref_cmp(&h->a[c], &last) >= 0) break;
        h->a[i] = h->a[c];
        i = c;
    }
    if (h->n > 0) h->a[i] = last;
    return top;
}

/* The simulated model: entities with a version counter; an event of kind 1 is
 * an entity's pending event and is live while its stamp equals the version;
 * kind 0 events are always live. */
enum { ENTITIES = 60000 };
static uint32_t version[ENTITIES];

static int live_event(const sim_event *ev, void *user)
{
    (void)user;
    return ev->kind != 1 || ev->stamp == version[ev->entity];
}

/* A prefetch hint that only counts its calls (it must not change anything). */
static size_t touches;
static void count_touch(const sim_event *ev, void *user)
{
    (void)ev;
    (void)user;
    touches++;
}

/* Push through both the queue and the reference; returns 0 or -1 (push failed). */
static int push_both(sim_evq *q, ref_heap *r, uint32_t *seq, double t, unsigned prio,
                     uint32_t kind, uint32_t entity)
{
    uint32_t stamp = kind == 1 ? version[entity] : 0;
    ref_ev e = {t, prio, (*seq)++};
    r->entity[e.seq] = entity + (kind << 24);
    r->stamp[e.seq] = stamp;
    rh_push(r, e);
    return sim_evq_push(q, t, prio, kind, entity, stamp, e.seq);
}

static int ref_live(const ref_heap *r, const ref_ev *e)
{
    uint32_t k = r->entity[e->seq] >> 24, ent = r->entity[e->seq] & 0xFFFFFFu;
    return k != 1 || r->stamp[e->seq] == version[ent];
}

/* The queue's event is the reference's: key and payload. */
static int same_rh(const ref_heap *r, const sim_event *ev, const ref_ev *e)
{
    uint32_t k = r->entity[e->seq] >> 24, ent = r->entity[e->seq] & 0xFFFFFFu;
    return ev->time == e->time && ev->arg == e->seq && ev->kind == k && ev->entity == ent
        && ev->stamp == r->stamp[e->seq] && ev->order >> 48 == e->prio;
}

/* Next live event of the queue (skipping cancelled ones it still held). */
static int pop_live(sim_evq *q, sim_event *ev, size_t *stale)
{
    while (sim_evq_pop(q, ev)) {
        if (live_event(ev, NULL)) return 1;
        (*stale)++;
    }
    return 0;
}

/* A simulation-like workload: every entity holds one event, mostly far in the
 * future (up to ten years ahead, some at +inf or 1e300), rescheduled and
 * cancelled at random; region events on whole days (many ties, priorities);
 * occasional purges; some pushes earlier than the clock (allowed by the queue).
 * The live events must come out in exactly the reference order, nothing live
 * may be dropped, and the queue's invariants must hold throughout. */
static void test_far_future(uint32_t steps, int use_live, int purge, const char *label)
{
    sim_evq *q = sim_evq_create(1);
    size_t maxev = (size_t)ENTITIES + 8u * steps + 1000;
    ref_heap r = {NULL, 0, 0, malloc(maxev * sizeof(uint32_t)), malloc(maxev * sizeof(uint32_t))};
    memset(version, 0, sizeof version);
    if (use_live) sim_evq_set_live(q, live_event, NULL);
    if (use_live && purge) sim_evq_set_touch(q, count_touch, NULL);
    touches = 0;
    uint32_t seq = 0;
    int push_fail = 0;
    for (uint32_t e = 0; e < ENTITIES; e++) {
        double t = rnd_unit() * 3650.0;
        if (e % 997 == 0) t = e % 2 ? INFINITY : 1e300;
        push_fail |= push_both(q, &r, &seq, t, 1, 1, e);
    }
    for (uint32_t g = 0; g < 40; g++) push_fail |= push_both(q, &r, &seq, (double)(g % 7), g % 3u, 0, g);
    CHECK(sim_evq_check(q), "%s: invariants after the initial pushes", label);
    size_t mismatches = 0, stale_q = 0, stale_r = 0, bad_checks = 0, bad_sizes = 0, popped = 0;
    double now = 0;
    sim_event ev;
    for (uint32_t i = 0; i < steps; i++) {
        int got = pop_live(q, &ev, &stale_q);
        ref_ev want = {0, 0, 0};
        int have = 0;
        while (r.n > 0) {
            want = rh_pop(&r);
            if (ref_live(&r, &want)) { have = 1; break; }
            stale_r++;
        }
        if (got != have || (have && !same_rh(&r, &ev, &want))) mismatches++;
        if (!have) break;
        popped++;
        now = want.time;
        if (!isfinite(now)) continue;
        uint32_t kind = r.entity[want.seq] >> 24, ent = r.entity[want.seq] & 0xFFFFFFu;
        if (kind == 0) {   /* a region event: the next one a whole day later; sometimes a burst now */
            push_fail |= push_both(q, &r, &seq, floor(now) + 1.0, ent % 3, 0, ent);
            if (rnd() % 8 == 0) push_fail |= push_both(q, &r, &seq, now, 2, 0, 1000 + ent);
        } else {           /* the entity's next event: near, far or at a whole day */
            uint64_t u = rnd() % 10;
            double t = u < 4 ? now - log1p(-rnd_unit()) * 3.0
                     : u < 8 ? now + rnd_unit() * 3650.0 : ceil(now) + (double)(rnd() % 30);
            version[ent]++;
            push_fail |= push_both(q, &r, &seq, t, 1, 1, ent);
        }
        if (rnd() % 4 == 0) {   /* cancel and reschedule another entity */
            uint32_t other = (uint32_t)(rnd() % ENTITIES);
            version[other]++;
            push_fail |= push_both(q, &r, &seq, now + rnd_unit() * 2000.0, 1, 1, other);
        }
        if (rnd() % 64 == 0)    /* an event earlier than the clock */
            push_fail |= push_both(q, &r, &seq, now - rnd_unit(), (unsigned)(rnd() % 3), 0, 2000);
        if (purge && i % 20000 == 19999) {
            sim_evq_filter(q, live_event, NULL);
            size_t live_ref = 0;
            for (size_t k = 0; k < r.n; k++) live_ref += (size_t)ref_live(&r, &r.a[k]);
            if (sim_evq_size(q) != live_ref) bad_sizes++;
        }
        if (i % 25000 == 0 && !sim_evq_check(q)) bad_checks++;
    }
    /* drain: the far events at 1e300 and +inf, in order */
    for (;;) {
        int got = pop_live(q, &ev, &stale_q);
        ref_ev want = {0, 0, 0};
        int have = 0;
        while (r.n > 0) {
            want = rh_pop(&r);
            if (ref_live(&r, &want)) { have = 1; break; }
            stale_r++;
        }
        if (got != have || (have && !same_rh(&r, &ev, &want))) mismatches++;
        if (!have) break;
        popped++;
    }
    CHECK(!push_fail, "%s: every push returned 0", label);
    CHECK(mismatches == 0, "%s: %zu mismatches against the reference (%zu live events popped)",
          label, mismatches, popped);
    CHECK(bad_checks == 0, "%s: invariants broken %zu times", label, bad_checks);
    CHECK(bad_sizes == 0, "%s: size after a purge differs from the live count %zu times", label, bad_sizes);
    CHECK(sim_evq_size(q) == 0 && sim_evq_peek(q) == NULL, "%s: empty at the end", label);
    /* every cancelled event was either dropped by the queue or popped stale */
    CHECK(stale_q + sim_evq_dropped(q) <= stale_r && (purge || stale_q + sim_evq_dropped(q) == stale_r),
          "%s: cancelled events: %zu popped + %llu dropped, reference %zu", label, stale_q,
          (unsigned long long)sim_evq_dropped(q), stale_r);
    if (use_live && !purge)
        CHECK(sim_evq_dropped(q) > stale_r / 2, "%s: most cancelled far events never reach the heap"
              " (%llu of %zu dropped)", label, (unsigned long long)sim_evq_dropped(q), stale_r);
    if (!use_live) CHECK(sim_evq_dropped(q) == 0, "%s: nothing dropped without a liveness test", label);
    CHECK(!sim_evq_failed(q), "%s: no allocation failure", label);
    CHECK((use_live && purge) == (touches > 0), "%s: the prefetch hint is called (%zu times) exactly when"
          " registered", label, touches);
    /* reset keeps working on a queue that used its far tier */
    sim_evq_reset(q);
    CHECK(sim_evq_size(q) == 0 && sim_evq_dropped(q) == 0 && sim_evq_check(q), "%s: reset empties", label);
    for (uint32_t i = 0; i < 3; i++) sim_evq_push(q, 7.0, 0, 1, 0, 99, i);   /* stamp 99: dead */
    version[0] = 0;
    int ok = 1;
    for (uint32_t i = 0; i < 3; i++) ok &= sim_evq_pop(q, &ev) && ev.arg == i;
    CHECK(ok && sim_evq_dropped(q) == 0, "%s: reset forgets the liveness test", label);
    free(r.a);
    free(r.entity);
    free(r.stamp);
    sim_evq_destroy(q);
}

/* Arbitrary interleaving (pushes before the clock, far and near, huge values) in
 * a queue large enough to use its buckets, against the sorted reference. */
static void test_unordered_big(void)
{
    enum { OPS = 60000 };
    sim_evq *q = sim_evq_create(0);
    ref_pq r = {malloc(OPS * sizeof(ref_ev)), 0};
    uint32_t seq = 0;
    size_t mismatches = 0, checks_bad = 0;
    static const double odd[] = {-1e300, -INFINITY, INFINITY, 1e300, 0.0, -0.0};
    for (size_t i = 0; i < OPS; i++) {
        if (r.n == 0 || rnd() % 100 < 70) {
            double t = rnd() % 50 == 0 ? odd[rnd() % SIM_ARRAY_LEN(odd)]
                     : rnd() % 2 ? rnd_unit() * 1e4 : (double)(rnd() % 100);
            ref_ev e = {t, (unsigned)(rnd() % 3), seq++};
            if (push_ref(q, &e) != 0) mismatches++;
            ref_push(&r, e);
        } else {
            sim_event ev;
            ref_ev want = r.a[--r.n];
            if (!sim_evq_pop(q, &ev) || !same(&ev, &want)) mismatches++;
        }
        if (sim_evq_size(q) != r.n) mismatches++;
        if (i % 4999 == 0 && !sim_evq_check(q)) checks_bad++;
    }
    sim_event ev;
    while (r.n > 0) {
        ref_ev want = r.a[--r.n];
        if (!sim_evq_pop(q, &ev) || !same(&ev, &want)) mismatches++;
    }
    CHECK(mismatches == 0, "unordered big: %zu mismatches", mismatches);
    CHECK(checks_bad == 0, "unordered big: invariants broken %zu times", checks_bad);
    free(r.a);
    sim_evq_destroy(q);
}

/* Filtering a queue whose far tier is in use, with and without emptying the heap. */
static int keep_odd_arg(const sim_event *ev, void *user)
{
    (void)user;
    return ev->arg % 2 == 1;
}
static int keep_arg_above(const sim_event *ev, void *user)
{
    return ev->arg >= *(const uint32_t *)user;
}
static int keep_time_from(const sim_event *ev, void *user)
{
    return ev->time >= *(const double *)user;
}

static void test_filter_far(void)
{
    enum { N = 100000 };
    static ref_ev v[N];
    sim_evq *q = sim_evq_create(0);
    for (uint32_t i = 0; i < N; i++) {
        v[i] = (ref_ev){rnd_unit() * 3650.0, 1, i};
        push_ref(q, &v[i]);
    }
    sim_event ev;
    int ok = sim_evq_pop(q, &ev);
    uint32_t first = ev.arg;
    size_t removed = sim_evq_filter(q, keep_odd_arg, NULL);
    size_t want = 0;
    for (uint32_t i = 0; i < N; i++) want += i % 2 == 0 && i != first;
    CHECK(ok && removed == want, "far filter removed %zu, want %zu", removed, want);
    CHECK(sim_evq_check(q) && sim_evq_size(q) == N - 1 - want, "far filter: invariants and size");
    qsort(v, N, sizeof *v, ref_cmp);
    size_t bad = 0, n = 0;
    for (size_t i = 0; i < N; i++) {
        if (v[i].seq % 2 == 0 || v[i].seq == first) continue;
        if (!sim_evq_pop(q, &ev) || !same(&ev, &v[i])) bad++;
        n++;
        if (n == 10000) {   /* drop everything with a small arg */
            uint32_t cut = N / 2;
            sim_evq_filter(q, keep_arg_above, &cut);
            if (!sim_evq_check(q)) bad++;
            for (size_t k = i + 1; k < N; k++)
                if (v[k].seq < cut) v[k].seq = 0;   /* mark as removed (seq 0 is even) */
        }
        if (n == 12000) {   /* drop the next 500 days: empties the heap, the next buckets come forward */
            double from = v[i].time + 500.0;
            sim_evq_filter(q, keep_time_from, &from);
            if (!sim_evq_check(q) || !sim_evq_peek(q) || sim_evq_peek(q)->time < from) bad++;
            for (size_t k = i + 1; k < N; k++)
                if (v[k].time < from) v[k].seq = 0;
        }
    }
    CHECK(bad == 0 && sim_evq_size(q) == 0, "far filter: the rest pops in order (%zu bad)", bad);
    /* a filter that removes everything turns the far tier off */
    for (uint32_t i = 0; i < N; i++) sim_evq_push(q, rnd_unit() * 100.0, 0, 0, 0, 0, 2 * i);
    removed = sim_evq_filter(q, keep_odd_arg, NULL);
    CHECK(removed == N && sim_evq_size(q) == 0 && !sim_evq_pop(q, &ev) && sim_evq_check(q),
          "filtering out everything empties the queue");
    sim_evq_push(q, 1.0, 0, 0, 0, 0, 5);
    CHECK(sim_evq_pop(q, &ev) && ev.arg == 5 && sim_evq_check(q), "usable after an all-removing filter");
    sim_evq_destroy(q);
}

/* sim_evq_copy: a queue copied mid-way (far tier on, buckets and group lists in
 * use, cancelled events pending) hands out, in a copy that starts smaller, the
 * same events in the same order as the original, through pushes and pops that
 * follow it (the same sequence numbers); the copy's liveness test is its own. */
static int keep_even_stamp(const sim_event *ev, void *user)
{
    (void)user;
    return (ev->stamp & 1u) == 0;
}

static void test_copy(void)
{
    sim_evq *a = sim_evq_create(0), *b = sim_evq_create(16);
    CHECK(a && b, "copy: create");
    if (!a || !b) { sim_evq_destroy(a); sim_evq_destroy(b); return; }
    rnd_state = 777;
    sim_evq_set_live(a, keep_even_stamp, NULL);
    int ok = 1;
    for (uint32_t i = 0; i < 60000; i++) ok &= sim_evq_push(a, rnd_unit() * 1000.0, i % 3, 1, i, (uint32_t)rnd(), i) == 0;
    sim_event ev, ew;
    for (int i = 0; i < 20000; i++) ok &= sim_evq_pop(a, &ev);
    CHECK(ok && sim_evq_copy(b, a) == 0, "copy: a queue of %zu events with the far tier on", sim_evq_size(a));
    CHECK(sim_evq_size(b) == sim_evq_size(a) && sim_evq_check(b), "copy: same size, invariants hold");
    sim_evq_set_live(b, keep_even_stamp, NULL);
    size_t same = 0, steps = 0;
    double now = 0;
    for (uint32_t i = 0; i < 80000; i++, steps++) {
        if (i % 3 == 0) {   /* the same push on both */
            double t = now + rnd_unit() * 500.0;
            uint32_t st = (uint32_t)rnd();
            sim_evq_push(a, t, 1, 2, i, st, i);
            sim_evq_push(b, t, 1, 2, i, st, i);
            same++;
            continue;
        }
        int pa = sim_evq_pop(a, &ev), pb = sim_evq_pop(b, &ew);
        if (pa != pb) break;
        if (!pa) { same++; continue; }
        now = ev.time;
        if (memcmp(&ev, &ew, sizeof ev) == 0) same++;
    }
    CHECK(same == steps && sim_evq_size(a) == sim_evq_size(b), "copy: %zu of %zu steps hand out the same event",
          same, steps);
    CHECK(sim_evq_dropped(a) == sim_evq_dropped(b), "copy: the same cancelled events dropped (%llu)",
          (unsigned long long)sim_evq_dropped(a));
    sim_evq_destroy(a);
    sim_evq_destroy(b);
}

/* The sorted run (a bucket brought forward) under crowding: thousands of events at one
 * time with mixed priorities and near-duplicate times (a large slice, merge-sorted),
 * infinite times (the overflow), and events pushed into the current bucket meanwhile
 * (the heap beside the run); a copy taken in the middle of a crowded run hands out the
 * same events as the original. */
static void test_crowded_run(void)
{
    enum { SPREAD = 40000, CROWD = 6000, NEAR_DUP = 2000, AT_INF = 300 };
    enum { TOTAL = SPREAD + CROWD + NEAR_DUP + AT_INF, OPS = TOTAL + TOTAL / 4 };
    sim_evq *q = sim_evq_create(0), *c = sim_evq_create(0);
    ref_pq r = {malloc(OPS * sizeof(ref_ev)), 0};
    CHECK(q && c && r.a, "crowded run: create");
    if (!q || !c || !r.a) { sim_evq_destroy(q); sim_evq_destroy(c); free(r.a); return; }
    rnd_state = 4242;
    uint32_t seq = 0;
    int ok = 1;
    for (size_t i = 0; i < TOTAL; i++) {
        double t = i < SPREAD                   ? rnd_unit() * 1000.0
                 : i < SPREAD + CROWD           ? 400.0
                 : i < SPREAD + CROWD + NEAR_DUP ? 400.0 + 1e-9 * (double)(rnd() % 50)
                                                 : INFINITY;
        ref_ev e = {t, (unsigned)(rnd() % 3), seq++};
        ok &= push_ref(q, &e) == 0;
        ref_push(&r, e);
    }
    size_t mismatches = 0, copy_mismatches = 0, checks_bad = 0, copied_at = 0;
    sim_event ev, ec;
    for (size_t i = 0; r.n > 0; i++) {
        ref_ev want = r.a[--r.n];
        if (!sim_evq_pop(q, &ev) || !same(&ev, &want)) mismatches++;
        if (copied_at && (!sim_evq_pop(c, &ec) || memcmp(&ev, &ec, sizeof ev) != 0)) copy_mismatches++;
        if (!copied_at && ev.time == 400.0 && r.n % 2 == 0) {   /* inside the crowd */
            ok &= sim_evq_copy(c, q) == 0;
            copied_at = i + 1;
        }
        if (i % 3 == 0 && isfinite(ev.time) && seq < OPS) {   /* into the current bucket */
            ref_ev e = {ev.time + (rnd() % 4 == 0 ? 0.0 : rnd_unit() * 0.05), (unsigned)(rnd() % 3), seq++};
            ok &= push_ref(q, &e) == 0;
            if (copied_at) ok &= push_ref(c, &e) == 0;
            ref_push(&r, e);
        }
        if (i % 997 == 0 && !(sim_evq_check(q) && (!copied_at || sim_evq_check(c)))) checks_bad++;
    }
    CHECK(ok && copied_at > 0, "crowded run: pushes and the copy succeeded (copied after %zu pops)", copied_at);
    CHECK(mismatches == 0, "crowded run: %zu of %u events out of (time, priority, sequence) order", mismatches,
          (unsigned)seq);
    CHECK(copy_mismatches == 0, "crowded run: the copy differs at %zu pops", copy_mismatches);
    CHECK(checks_bad == 0, "crowded run: invariants broken %zu times", checks_bad);
    CHECK(sim_evq_size(q) == 0 && sim_evq_size(c) == 0, "crowded run: both empty at the end");
    free(r.a);
    sim_evq_destroy(q);
    sim_evq_destroy(c);
}

int main(void)
{
    test_filter();
    test_random_batches();
    test_adversarial();
    test_interleaved(200000, 0, "interleaved continuous");
    test_interleaved(200000, 3, "interleaved coarse");
    test_reset_and_high_water();
    test_far_future(400000, 1, 0, "far future, liveness test");
    test_far_future(400000, 1, 1, "far future, liveness test and purges");
    test_far_future(200000, 0, 1, "far future, purges only");
    test_unordered_big();
    test_filter_far();
    test_copy();
    test_crowded_run();
    return check_summary();
}
