/* test_evq.c: the future event set against a sorted reference. Every popped
 * event must be the reference's next one on (time, priority, insertion
 * sequence), for random, interleaved and adversarial inputs; the heap invariant,
 * reset, growth and the high-water mark are checked on the side. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../sim/evq.h"
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

int main(void)
{
    test_filter();
    test_random_batches();
    test_adversarial();
    test_interleaved(200000, 0, "interleaved continuous");
    test_interleaved(200000, 3, "interleaved coarse");
    test_reset_and_high_water();
    return check_summary();
}
