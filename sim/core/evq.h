/* evq.h: the future event set: a sorted run of the bucket the clock is in and a
 * small 4-ary min-heap of events pushed into it, in front of unsorted far-future
 * buckets.
 *
 * Ordering key: (time, priority, insertion sequence). Equal times are broken by
 * priority (lower first) and then by the order of sim_evq_push calls, so the
 * processing order is a pure function of the pushes: never of memory layout,
 * thread or rank, and never of how the events are spread over run, heap and buckets.
 *
 * Storage: near events live inline in the run and heap arrays; far events in
 * fixed-size chunks of a pool, one chunk list per bucket. Both only grow (doubling), and
 * sim_evq_reset keeps the memory, so a replication allocates nothing once the
 * pools have reached their high-water mark.
 *
 * Cancellation is lazy: an event carries a `stamp` that the model compares
 * with a per-entity version counter when the event is popped (see sim/core/model.h).
 * A model may also register a liveness test (sim_evq_set_live); then cancelled
 * far events are dropped when their bucket is brought forward, and never reach
 * the run. */
#ifndef SIM_EVQ_H
#define SIM_EVQ_H

#include "common.h"

/* One scheduled event: 32 bytes, copied by value. */
typedef struct sim_event {
    double   time;     /* days since the time origin */
    uint64_t order;    /* priority (high 16 bits) | insertion sequence (low 48) */
    uint32_t kind;     /* model-defined event kind */
    uint32_t entity;   /* model-defined entity id (person, region, ...) */
    uint32_t stamp;    /* entity version when scheduled (lazy invalidation) */
    uint32_t arg;      /* model-defined argument */
} sim_event;

typedef struct sim_evq sim_evq;

/* Largest priority, and the number of insertions allowed between resets. */
#define SIM_EVQ_MAX_PRIORITY 0xFFFFu
#define SIM_EVQ_MAX_PUSHES ((uint64_t)1 << 48)

/* Keep-or-drop test for pending events: returns 0 for an event that is no
 * longer meaningful (lazily cancelled). */
typedef int (*sim_evq_keep_fn)(const sim_event *ev, void *user);

/* Create an empty queue with room for `capacity` near events (0 = a default).
 * Returns NULL when out of memory; the caller owns the queue. */
sim_evq *sim_evq_create(size_t capacity);
/* Free the queue; NULL is a no-op. */
void sim_evq_destroy(sim_evq *q);
/* Empty the queue, restart the insertion sequence and forget the liveness test;
 * keeps the memory and the high-water mark. */
void sim_evq_reset(sim_evq *q);

/* Make dst hold exactly what src holds: the same pending events with the same
 * keys, the same sequence number for the next push and the same internal layout,
 * so both hand out the same events in the same order from now on. dst's liveness
 * test and hint are cleared (its owner registers its own); dst's memory is grown
 * as needed and kept. 0, or -1 when out of memory (dst is then reset, empty). */
int sim_evq_copy(sim_evq *dst, const sim_evq *src);

/* Schedule an event. time must not be NaN; priority 0..SIM_EVQ_MAX_PRIORITY,
 * lower runs first at equal time; at most SIM_EVQ_MAX_PUSHES pushes per reset.
 * Returns 0, or -1 when growing a pool failed (queue unchanged). */
int sim_evq_push(sim_evq *q, double time, unsigned priority, uint32_t kind,
                 uint32_t entity, uint32_t stamp, uint32_t arg);
/* Remove the earliest event into *out. Returns 1, or 0 when empty. May drop
 * cancelled far events (see sim_evq_set_live). If bringing the next bucket
 * forward runs out of memory, sim_evq_failed turns 1: pop may still hand out events
 * already in the near tier, but no far event again (until reset), so the caller
 * treats the run as failed. */
int sim_evq_pop(sim_evq *q, sim_event *out);
/* Earliest event without removing it, or NULL when empty. Valid until the next
 * push/pop/filter. */
const sim_event *sim_evq_peek(const sim_evq *q);
/* Pending events (near and far, including cancelled ones not yet dropped). */
size_t sim_evq_size(const sim_evq *q);
/* Largest number of events held at once since creation. */
size_t sim_evq_high_water(const sim_evq *q);
/* Register keep (NULL: none; user is borrowed). The queue calls it on far
 * events when it moves them (bucket brought forward, re-spread) and drops those
 * for which it returns 0. keep must be monotone: once it returns 0 for an event
 * it must return 0 for it at every later call (e.g. stamp != current version
 * with versions that only grow). Dropping never changes the order of the others. */
void sim_evq_set_live(sim_evq *q, sim_evq_keep_fn keep, void *user);
/* A prefetch hint: touch(ev, user) may start loading the memory an event
 * refers to; it must change nothing observable. The queue calls it on the
 * events of a bucket before testing their liveness (so that the tests' cache
 * misses overlap). NULL: none. Forgotten by reset. */
typedef void (*sim_evq_touch_fn)(const sim_event *ev, void *user);
void sim_evq_set_touch(sim_evq *q, sim_evq_touch_fn touch, void *user);
/* Events dropped by the liveness test since the last reset. */
uint64_t sim_evq_dropped(const sim_evq *q);
/* 1 if a pop or filter could not get memory to bring far events forward: the
 * queue then stops handing out events. Treat it like a failed push. Cleared by
 * reset. */
int sim_evq_failed(const sim_evq *q);
/* Drop every event for which keep(ev, user) returns 0 (used to purge lazily
 * cancelled events). The order of the kept events is unchanged: it depends on
 * their keys only. Returns the number removed. */
size_t sim_evq_filter(sim_evq *q, sim_evq_keep_fn keep, void *user);
/* Check every invariant of the structure (heap property, bucket ranges, counts).
 * O(n): for tests and debug builds. Returns 1 if they hold. */
int sim_evq_check(const sim_evq *q);

#endif
