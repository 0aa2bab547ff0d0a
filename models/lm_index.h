/* lm_index.h: the index structures that keep the model from scanning the
 * caseload: an unordered id set with O(1) add/remove/random pick (people not in
 * view, matching-pool bands) and an intrusive FIFO with O(1) removal (waiting
 * queues). Both thread through lm_person.link/link2, so a person belongs to at
 * most one structure at a time (the one their state calls for).
 * Sets grow by doubling and keep their memory across replications: after the
 * first replication the event loop allocates nothing. */
#ifndef LM_INDEX_H
#define LM_INDEX_H

#include "lm.h"

#define LM_NONE UINT32_MAX

typedef struct {
    uint32_t *items;   /* person slots; items[people[s].link] == s */
    uint32_t  n, cap;
} lm_idset;

typedef struct {
    uint32_t head, tail, n;   /* person slots, LM_NONE when empty */
} lm_fifo;

/* Add slot s; -1 when growing failed. */
int lm_idset_add(lm_idset *set, lm_person *people, uint32_t s);
void lm_idset_remove(lm_idset *set, lm_person *people, uint32_t s);
/* Member number floor(u * n) for u in [0, 1); set must be non-empty. */
uint32_t lm_idset_pick(const lm_idset *set, double u);
/* Position of the member lm_idset_pick(set, u) returns; set must be non-empty. */
uint32_t lm_idset_pick_pos(const lm_idset *set, double u);
/* The member lm_idset_pick(set, u) will return once the member at position
 * `gone` has been removed (lm_idset_remove moves the last member into its place);
 * set->n >= 2. Reads the set only: for prefetch hints. */
uint32_t lm_idset_pick_after_remove(const lm_idset *set, double u, uint32_t gone);
/* Start loading the entry that lm_idset_pick(set, u) will read once `removed`
 * members have left (set->n > removed): a prefetch hint, which reads nothing. */
void lm_idset_touch_pos(const lm_idset *set, double u, uint32_t removed);
/* Make dst hold src's members in src's order (the people's links are copied
 * with the person records); dst keeps its memory. 0, or -1 (dst unchanged). */
int lm_idset_copy(lm_idset *dst, const lm_idset *src);
void lm_idset_free(lm_idset *set);

void lm_fifo_reset(lm_fifo *q);
void lm_fifo_push(lm_fifo *q, lm_person *people, uint32_t s);
void lm_fifo_remove(lm_fifo *q, lm_person *people, uint32_t s);
/* Remove and return the head, or LM_NONE when empty. */
uint32_t lm_fifo_pop(lm_fifo *q, lm_person *people);

#endif
