/* pages.c: large arrays on transparent huge pages (pages.h).
 * Invariant (Linux): an array of b bytes is heap memory when b < SIM_PAGES_HUGE, else a
 * private anonymous mapping of mapped_size(b) bytes in one kernel region (VMA), which
 * starts on a 2 MiB boundary when it is made and, on Linux 6.7 and later, when it moves.
 * Elsewhere every array is heap memory. */
#define _GNU_SOURCE   /* mremap, MREMAP_MAYMOVE, MADV_HUGEPAGE */
#include "pages.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"

#if defined(__linux__)
#include <sys/mman.h>
#endif

#if defined(__linux__) && defined(MREMAP_MAYMOVE)
#define PAGES_MAPPED 1

/* Bytes of the mapping that holds an array of b >= SIM_PAGES_HUGE bytes. */
static size_t mapped_size(size_t b)
{
    return (b + SIM_PAGES_HUGE - 1) & ~(SIM_PAGES_HUGE - 1);
}

/* A fresh mapping of `bytes` (a multiple of SIM_PAGES_HUGE) on a 2 MiB boundary, marked
 * for huge pages; NULL when out of memory. Maps 2 MiB more and unmaps the ends. */
static char *map_aligned(size_t bytes)
{
    size_t span = bytes + SIM_PAGES_HUGE;
    char *raw = mmap(NULL, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (raw == MAP_FAILED) return NULL;
    char *p = (char *)(((uintptr_t)raw + SIM_PAGES_HUGE - 1) & ~(uintptr_t)(SIM_PAGES_HUGE - 1));
    if (p > raw) (void)munmap(raw, (size_t)(p - raw));
    size_t tail = (size_t)(raw + span - (p + bytes));
    if (tail) (void)munmap(p + bytes, tail);
#ifdef MADV_HUGEPAGE
    (void)madvise(p, bytes, MADV_HUGEPAGE);   /* a hint: refused or absent, pages stay 4 KiB */
#endif
    return p;
}
#else
#define PAGES_MAPPED 0
#endif

void *sim_pages_resize(void *p, size_t old_bytes, size_t new_bytes)
{
    SIM_ASSERT(new_bytes > 0 && (p != NULL || old_bytes == 0));
#if PAGES_MAPPED
    if (new_bytes > SIZE_MAX - 2 * SIM_PAGES_HUGE) return NULL;   /* mapped_size would wrap */
    int was_mapped = old_bytes >= SIM_PAGES_HUGE, mapped = new_bytes >= SIM_PAGES_HUGE;
    if (!mapped && !was_mapped) return realloc(p, new_bytes);
    if (!mapped) {   /* shrinking below the threshold: back to the heap */
        void *h = malloc(new_bytes);
        if (!h) return NULL;
        memcpy(h, p, new_bytes);
        (void)munmap(p, mapped_size(old_bytes));
        return h;
    }
    size_t size = mapped_size(new_bytes);
    if (!was_mapped) {   /* from the heap: a copy of less than 2 MiB */
        char *q = map_aligned(size);
        if (!q) return NULL;
        if (old_bytes) memcpy(q, p, old_bytes);
        free(p);
        return q;
    }
    size_t old_size = mapped_size(old_bytes);
    if (size == old_size) return p;
    /* The mapping is one kernel region (map_aligned makes it so, and mremap keeps it so):
     * the kernel grows it in place or moves its pages, never copying them. A moved mapping
     * larger than 2 MiB lands on a 2 MiB boundary on Linux 6.7 and later, where huge pages
     * move whole; elsewhere they are split, and only the new part gets huge pages. A
     * refusal changes nothing, and the array is copied instead. */
    void *r = mremap(p, old_size, size, MREMAP_MAYMOVE);
    if (r != MAP_FAILED) {
#ifdef MADV_HUGEPAGE
        (void)madvise(r, size, MADV_HUGEPAGE);
#endif
        return r;
    }
    char *q = map_aligned(size);
    if (!q) return NULL;
    memcpy(q, p, old_bytes < new_bytes ? old_bytes : new_bytes);
    (void)munmap(p, old_size);
    return q;
#else
    (void)old_bytes;
    return realloc(p, new_bytes);
#endif
}

void sim_pages_free(void *p, size_t bytes)
{
    if (!p) return;
#if PAGES_MAPPED
    if (bytes >= SIM_PAGES_HUGE) {
        (void)munmap(p, mapped_size(bytes));
        return;
    }
#else
    (void)bytes;
#endif
    free(p);
}
