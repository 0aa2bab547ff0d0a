/* evq.h: the future event set, a 4-ary min-heap of small event records.
 *
 * Ordering key: (time, priority, insertion sequence). Equal times are broken by
 * priority (lower first) and then by the order of sim_evq_push calls, so the
 * processing order is a pure function of the pushes: never of memory layout,
 * thread or rank. The heap array is the event pool: records live inline, its
 * capacity only grows (doubling), and sim_evq_reset keeps the memory, so a
 * replication allocates nothing once the pool has reached its high-water mark.
 *
 * Cancellation is lazy: an event carries a `stamp` that the model compares
 * with a per-entity version counter when the event is popped (see sim/model.h).
 */
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

/* Create an empty queue with room for `capacity` events (0 = a default).
 * Returns NULL when out of memory; the caller owns the queue. */
sim_evq *sim_evq_create(size_t capacity);
/* Free the queue; NULL is a no-op. */
void sim_evq_destroy(sim_evq *q);
/* Empty the queue and restart the insertion sequence; keeps the memory. */
void sim_evq_reset(sim_evq *q);

/* Schedule an event. Priority 0..65535, lower runs first at equal time.
 * Returns 0, or -1 when growing the pool failed (queue unchanged). */
int sim_evq_push(sim_evq *q, double time, unsigned priority, uint32_t kind,
                 uint32_t entity, uint32_t stamp, uint32_t arg);
/* Remove the earliest event into *out. Returns 1, or 0 when empty. */
int sim_evq_pop(sim_evq *q, sim_event *out);
/* Earliest event without removing it, or NULL when empty. Valid until the next push/pop. */
const sim_event *sim_evq_peek(const sim_evq *q);
size_t sim_evq_size(const sim_evq *q);
/* Largest number of events held at once since creation. */
size_t sim_evq_high_water(const sim_evq *q);
/* Drop every event for which keep(ev, user) returns 0 and restore the heap in
 * O(n) (used to purge lazily cancelled events). The order of the kept events is
 * unchanged: it depends on their keys only. Returns the number removed. */
size_t sim_evq_filter(sim_evq *q, int (*keep)(const sim_event *ev, void *user), void *user);
/* Check the heap property over the whole array (tests, debug builds). Returns 1 if it holds. */
int sim_evq_check(const sim_evq *q);

#endif
