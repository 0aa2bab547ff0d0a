/* test_lm_index.c: unit tests of models/lm_index.c, the id sets and FIFO queues
 * the labour-market model picks and queues people with. The model-level tests
 * (model facts, determinism) still pass when lm_idset_pick always returns the
 * first member; these do not: every member must be reachable, at the position
 * floor(u * n), and the set/queue invariants must hold after any add/remove. */
#include <stdlib.h>
#include <string.h>

#include "../models/lm_index.h"
#include "check.h"

#define NPEOPLE 1000

/* items[people[s].link] == s for every member; every other person's link is LM_NONE. */
static int set_consistent(const lm_idset *set, const lm_person *people, const char *member)
{
    for (uint32_t k = 0; k < set->n; k++)
        if (people[set->items[k]].link != k || !member[set->items[k]]) return 0;
    uint32_t n = 0;
    for (uint32_t s = 0; s < NPEOPLE; s++) n += member[s] != 0;
    return n == set->n;
}

static void test_idset(lm_person *people)
{
    lm_idset set = {0};
    char member[NPEOPLE] = {0};
    int ok = 1;
    for (uint32_t s = 0; s < NPEOPLE; s += 2) {   /* the even slots, past the first growth (256) */
        ok &= lm_idset_add(&set, people, s) == 0;
        member[s] = 1;
    }
    CHECK(ok && set.n == NPEOPLE / 2, "500 adds: n = %u", set.n);
    CHECK(set_consistent(&set, people, member), "after adds: items[link] == s for every member");

    /* pick: u = (k + 0.5) / n reaches member number k, so every member exactly once */
    char seen[NPEOPLE] = {0};
    int distinct = 1, positions = 1;
    for (uint32_t k = 0; k < set.n; k++) {
        uint32_t s = lm_idset_pick(&set, ((double)k + 0.5) / set.n);
        positions &= s == set.items[k];
        distinct &= member[s] && !seen[s];
        seen[s] = 1;
    }
    CHECK(positions, "pick(u) is member number floor(u * n)");
    CHECK(distinct, "picks over u in [0, 1) reach every member once");
    CHECK(lm_idset_pick(&set, 0.0) == set.items[0], "pick(0) is the first member");
    CHECK(lm_idset_pick(&set, 0.999999999999) == set.items[set.n - 1], "pick(u -> 1) is the last member");

    /* remove every third member, the last one and the first one: swap-remove keeps the invariants */
    for (uint32_t s = 0; s < NPEOPLE; s += 6) {
        lm_idset_remove(&set, people, s);
        member[s] = 0;
    }
    uint32_t last = set.items[set.n - 1], first = set.items[0];
    lm_idset_remove(&set, people, last);
    member[last] = 0;
    lm_idset_remove(&set, people, first);
    member[first] = 0;
    CHECK(set_consistent(&set, people, member), "after removes: invariants hold (n = %u)", set.n);
    CHECK(people[first].link == LM_NONE && people[last].link == LM_NONE, "a removed person's link is LM_NONE");
    int never_removed = 1;
    for (uint32_t k = 0; k < set.n; k++) never_removed &= member[lm_idset_pick(&set, ((double)k + 0.5) / set.n)];
    CHECK(never_removed, "no pick returns a removed person");

    /* pick_pos is pick's position; pick_after_remove foretells pick after a removal */
    int pos_ok = 1, foretold = 1;
    for (uint32_t k = 0; k < 40; k++) {
        double u = ((double)k * 7 + 0.3) / 280, v = ((double)k * 11 + 0.6) / 440;
        uint32_t pos = lm_idset_pick_pos(&set, u), s = set.items[pos];
        pos_ok &= s == lm_idset_pick(&set, u);
        uint32_t guess = lm_idset_pick_after_remove(&set, v, pos);
        lm_idset_remove(&set, people, s);
        foretold &= guess == lm_idset_pick(&set, v);
        lm_idset_add(&set, people, s);   /* back, at the end: the set changes from try to try */
    }
    CHECK(pos_ok, "items[pick_pos(u)] == pick(u)");
    CHECK(foretold, "pick_after_remove(v, pos) == pick(v) after removing the member at pos");
    CHECK(lm_idset_pick_after_remove(&set, 0.999999999999, set.n - 1) == set.items[set.n - 2],
          "removing the last member: u -> 1 foretells the new last one");
    lm_idset_free(&set);
    CHECK(set.items == NULL && set.n == 0 && set.cap == 0, "free empties the set");
}

static void test_fifo(lm_person *people)
{
    lm_fifo q;
    lm_fifo_reset(&q);
    CHECK(lm_fifo_pop(&q, people) == LM_NONE && q.n == 0, "an empty queue pops LM_NONE");
    for (uint32_t s = 10; s < 20; s++) lm_fifo_push(&q, people, s);
    CHECK(q.n == 10 && q.head == 10 && q.tail == 19, "push: head 10, tail 19, n 10");
    lm_fifo_remove(&q, people, 15);   /* middle */
    lm_fifo_remove(&q, people, 10);   /* head */
    lm_fifo_remove(&q, people, 19);   /* tail */
    CHECK(q.n == 7 && q.head == 11 && q.tail == 18, "remove middle, head, tail: n 7, head 11, tail 18");
    CHECK(people[15].link == LM_NONE && people[15].link2 == LM_NONE, "a removed person's links are LM_NONE");
    static const uint32_t want[] = {11, 12, 13, 14, 16, 17, 18};
    int order = 1;
    for (size_t k = 0; k < sizeof want / sizeof want[0]; k++) order &= lm_fifo_pop(&q, people) == want[k];
    CHECK(order, "pop returns the rest in arrival order");
    CHECK(q.n == 0 && q.head == LM_NONE && q.tail == LM_NONE && lm_fifo_pop(&q, people) == LM_NONE,
          "empty again after popping everything");
    lm_fifo_push(&q, people, 3);
    lm_fifo_remove(&q, people, 3);
    CHECK(q.n == 0 && q.head == LM_NONE && q.tail == LM_NONE, "removing the only member empties the queue");
}

int main(void)
{
    lm_person *people = calloc(NPEOPLE, sizeof *people);
    if (!people) return 1;
    for (uint32_t s = 0; s < NPEOPLE; s++) people[s].link = people[s].link2 = LM_NONE;
    test_idset(people);
    test_fifo(people);
    free(people);
    return check_summary();
}
