/* pages.h: memory for a large array that is read at random and grows, such as the event
 * queue's chunk pool. From SIM_PAGES_HUGE bytes on, the array lives in a mapping of its
 * own, aligned to 2 MiB and marked for transparent huge pages (a hint): one TLB entry then
 * covers 2 MiB instead of 4 KiB, and a walk over cold chunks stops waiting for page walks
 * (bench/RESULTS.md, session 26: the national run 0.92 of the time, twice the country 0.95).
 * It grows in place or by moving its pages (Linux mremap), never copying them, so growth
 * adds nothing to the peak resident size. Smaller arrays, and systems without mremap, use
 * malloc/realloc.
 *
 * The caller keeps the size: every call passes the bytes the array was last given. */
#ifndef SIM_PAGES_H
#define SIM_PAGES_H

#include <stddef.h>

/* Arrays of at least this many bytes get a huge-page mapping (one 2 MiB page). */
#define SIM_PAGES_HUGE ((size_t)2 << 20)

/* Resize the array p of old_bytes (p NULL and old_bytes 0 for a new one) to new_bytes,
 * keeping the first min(old_bytes, new_bytes) bytes. Returns the array, or NULL when out
 * of memory (then p is unchanged and still owned by the caller). new_bytes > 0. */
void *sim_pages_resize(void *p, size_t old_bytes, size_t new_bytes);

/* Release an array of `bytes` (NULL: nothing). */
void sim_pages_free(void *p, size_t bytes);

#endif
