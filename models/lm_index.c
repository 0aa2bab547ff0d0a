/* lm_index.c: id sets (swap-remove arrays) and intrusive FIFO queues.
 * Invariants: for a set, items[people[s].link] == s for every member s;
 * for a queue, link = next, link2 = previous, both LM_NONE at the ends. */
#include "lm_index.h"

#include <stdlib.h>
#include <string.h>

int lm_idset_add(lm_idset *set, lm_person *people, uint32_t s)
{
    if (set->n == set->cap) {
        uint32_t cap = set->cap ? set->cap * 2 : 256;
        uint32_t *items = realloc(set->items, cap * sizeof *items);
        if (!items) return -1;
        set->items = items;
        set->cap = cap;
    }
    people[s].link = set->n;
    set->items[set->n++] = s;
    return 0;
}

void lm_idset_remove(lm_idset *set, lm_person *people, uint32_t s)
{
    uint32_t pos = people[s].link, last = set->items[--set->n];
    set->items[pos] = last;
    people[last].link = pos;
    people[s].link = LM_NONE;
}

/* floor(u * n), or n - 1 should rounding reach n. */
static uint32_t pick_pos(uint32_t n, double u)
{
    uint32_t i = (uint32_t)(u * n);
    return i < n ? i : n - 1;
}

uint32_t lm_idset_pick(const lm_idset *set, double u)
{
    return set->items[pick_pos(set->n, u)];
}

uint32_t lm_idset_pick_pos(const lm_idset *set, double u)
{
    return pick_pos(set->n, u);
}

uint32_t lm_idset_pick_after_remove(const lm_idset *set, double u, uint32_t gone)
{
    SIM_ASSERT(set->n >= 2 && gone < set->n);
    uint32_t last = set->n - 1, i = pick_pos(last, u);
    return set->items[i == gone ? last : i];
}

void lm_idset_touch_pos(const lm_idset *set, double u, uint32_t removed)
{
    SIM_ASSERT(set->n > removed);
    SIM_PREFETCH(&set->items[pick_pos(set->n - removed, u)]);
}

int lm_idset_copy(lm_idset *dst, const lm_idset *src)
{
    if (src->n > dst->cap) {
        uint32_t *items = realloc(dst->items, src->cap * sizeof *items);
        if (!items) return -1;
        dst->items = items;
        dst->cap = src->cap;
    }
    if (src->n) memcpy(dst->items, src->items, src->n * sizeof *dst->items);
    dst->n = src->n;
    return 0;
}

void lm_idset_free(lm_idset *set)
{
    free(set->items);
    set->items = NULL;
    set->n = set->cap = 0;
}

void lm_fifo_reset(lm_fifo *q)
{
    q->head = q->tail = LM_NONE;
    q->n = 0;
}

void lm_fifo_push(lm_fifo *q, lm_person *people, uint32_t s)
{
    people[s].link = LM_NONE;
    people[s].link2 = q->tail;
    if (q->tail != LM_NONE) people[q->tail].link = s;
    else q->head = s;
    q->tail = s;
    q->n++;
}

void lm_fifo_remove(lm_fifo *q, lm_person *people, uint32_t s)
{
    uint32_t next = people[s].link, prev = people[s].link2;
    if (prev != LM_NONE) people[prev].link = next;
    else q->head = next;
    if (next != LM_NONE) people[next].link2 = prev;
    else q->tail = prev;
    people[s].link = people[s].link2 = LM_NONE;
    q->n--;
}

uint32_t lm_fifo_pop(lm_fifo *q, lm_person *people)
{
    uint32_t s = q->head;
    if (s != LM_NONE) lm_fifo_remove(q, people, s);
    return s;
}
