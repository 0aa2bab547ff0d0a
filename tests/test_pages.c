/* test_pages.c: sim/core/pages.c, large arrays on huge pages. A resize keeps the contents
 * whichever way it goes (heap to heap, heap to mapping, mapping to a larger mapping, back
 * to the heap); arrays of SIM_PAGES_HUGE bytes or more start on a 2 MiB boundary (Linux);
 * where the kernel offers transparent huge pages for madvise'd memory, a grown array that
 * has been written is backed by them (else that check is reported as skipped). */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#ifdef __linux__
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#endif

#include "../sim/core/pages.h"
#include "check.h"

static int skipped;

/* Fill p[0 .. n) with a pattern keyed by `key`; 1 when it is there. */
static void fill(uint32_t *p, size_t n, uint32_t key)
{
    for (size_t i = 0; i < n; i++) p[i] = (uint32_t)(i * 2654435761u) ^ key;
}
static int holds(const uint32_t *p, size_t n, uint32_t key)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != ((uint32_t)(i * 2654435761u) ^ key)) return 0;
    return 1;
}

static int aligned_2m(const void *p) { return ((uintptr_t)p & (SIM_PAGES_HUGE - 1)) == 0; }

/* The kernel region (VMA) that contains p, from /proc/self/smaps: its bounds and its kB of
 * AnonHugePages. 0, or -1 when there is no such region (or no /proc). */
static int region_of(const void *p, uintptr_t *lo, uintptr_t *hi, long *huge_kb)
{
    FILE *f = fopen("/proc/self/smaps", "r");
    if (!f) return -1;
    char line[512];
    int inside = 0, found = -1;
    uintptr_t a = (uintptr_t)p;
    while (fgets(line, sizeof line, f)) {
        unsigned long l, h;
        if (sscanf(line, "%lx-%lx ", &l, &h) == 2) {   /* a region's first line */
            if (inside) break;
            inside = a >= l && a < h;
            if (inside) *lo = l, *hi = h, *huge_kb = -1, found = 0;
            continue;
        }
        if (inside && sscanf(line, "AnonHugePages: %ld kB", huge_kb) == 1) break;
    }
    fclose(f);
    return found;
}

/* 1 when [p, p + bytes) lies in one kernel region. */
static int one_region(const void *p, size_t bytes)
{
    uintptr_t lo, hi;
    long kb;
    return region_of(p, &lo, &hi, &kb) == 0 && lo <= (uintptr_t)p && (uintptr_t)p + bytes <= hi;
}

/* 1 when the kernel gives huge pages to madvise'd memory ("[always]" or "[madvise]"). */
static int thp_offered(void)
{
    FILE *f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");
    if (!f) return 0;
    char s[128] = {0};
    int ok = fgets(s, sizeof s, f) && (strstr(s, "[always]") || strstr(s, "[madvise]"));
    fclose(f);
    return ok;
}

static void test_grow_and_shrink(void)
{
    const size_t small = 1000, big = (3 * SIM_PAGES_HUGE) / sizeof(uint32_t) + 7, bigger = 4 * big;
    uint32_t *p = sim_pages_resize(NULL, 0, small * sizeof *p);
    CHECK(p != NULL, "a new small array");
    fill(p, small, 1);
    p = sim_pages_resize(p, small * sizeof *p, 2 * small * sizeof *p);
    CHECK(p && holds(p, small, 1), "heap to heap keeps the contents");
    fill(p, 2 * small, 2);

    p = sim_pages_resize(p, 2 * small * sizeof *p, big * sizeof *p);
    CHECK(p && holds(p, 2 * small, 2), "heap to mapping keeps the contents");
#ifdef __linux__
    CHECK(aligned_2m(p), "an array of 2 MiB or more starts on a 2 MiB boundary (%p)", (void *)p);
#endif
    fill(p, big, 3);
    uint32_t *q = sim_pages_resize(p, big * sizeof *p, bigger * sizeof *p);
    CHECK(q && holds(q, big, 3), "mapping to a larger mapping keeps the contents");
#ifdef __linux__
    CHECK(one_region(q, bigger * sizeof *q), "the grown mapping is one kernel region (VMA)");
#endif
    fill(q, bigger, 4);
    if (thp_offered()) {
        uintptr_t lo, hi;
        long kb = -1;
        (void)region_of(q, &lo, &hi, &kb);
        CHECK(kb >= 2048, "a written array of %zu MB is on huge pages (AnonHugePages %ld kB)",
              bigger * sizeof *q >> 20, kb);
    } else {
        printf("skip huge pages: the kernel offers none to madvise'd memory\n");
        skipped++;
    }
    uint32_t *same = sim_pages_resize(q, bigger * sizeof *q, bigger * sizeof *q - 5);
    CHECK(same == q && holds(same, bigger - 2, 4), "a resize within the mapping's size keeps it in place");
    p = sim_pages_resize(same, bigger * sizeof *q - 5, big * sizeof *p);
    CHECK(p && holds(p, big, 4), "a smaller mapping keeps the first bytes");
    p = sim_pages_resize(p, big * sizeof *p, small * sizeof *p);
    CHECK(p && holds(p, small, 4), "back to the heap keeps the first bytes");
    sim_pages_free(p, small * sizeof *p);
    sim_pages_free(NULL, 0);   /* nothing */
}

/* Many arrays grown step by step, as the chunk pool grows: each keeps its own contents. */
static void test_many(void)
{
    enum { N = 3 };
    uint32_t *a[N] = {0};
    size_t n[N] = {0};
    int ok = 1;
    for (int step = 0; step < 16; step++)   /* 1 KiB to 32 MiB: heap, then five mapped growths */
        for (int k = 0; k < N; k++) {
            size_t want = ((size_t)256 << step) + (size_t)k;
            uint32_t *p = sim_pages_resize(a[k], n[k] * sizeof *p, want * sizeof *p);
            if (!p || !holds(p, n[k], (uint32_t)k)) ok = 0;
            if (!p) break;
            fill(p, want, (uint32_t)k);
            a[k] = p, n[k] = want;
        }
    CHECK(ok, "three arrays doubled fifteen times (1 KiB to 32 MiB) in turn keep their contents");
#ifdef __linux__
    int one = 1;
    for (int k = 0; k < N; k++) one &= a[k] != NULL && one_region(a[k], n[k] * sizeof *a[k]);
    CHECK(one, "after five growths each mapped array is still one kernel region (older kernels move only one)");
#endif
    for (int k = 0; k < N; k++) sim_pages_free(a[k], n[k] * sizeof *a[k]);
}

/* A growth the system refuses (an address-space limit, in a child process) returns NULL
 * and leaves the array as it was. Not under AddressSanitizer, which needs the address space. */
static void test_refusal(void)
{
#if defined(__linux__) && !defined(__SANITIZE_ADDRESS__)
    const size_t n = 3 * SIM_PAGES_HUGE / sizeof(uint32_t);
    uint32_t *p = sim_pages_resize(NULL, 0, n * sizeof *p);
    CHECK(p != NULL, "a 6 MiB array");
    if (!p) return;
    fill(p, n, 7);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        long pages = 0;
        FILE *f = fopen("/proc/self/statm", "r");
        if (!f || fscanf(f, "%ld", &pages) != 1) _exit(2);
        fclose(f);
        struct rlimit rl;
        if (getrlimit(RLIMIT_AS, &rl) != 0) _exit(2);
        rl.rlim_cur = (rlim_t)pages * (rlim_t)sysconf(_SC_PAGESIZE) + (4u << 20);
        if (setrlimit(RLIMIT_AS, &rl) != 0) _exit(2);
        uint32_t *q = sim_pages_resize(p, n * sizeof *p, (size_t)1 << 30);
        _exit(q == NULL && holds(p, n, 7) ? 0 : 1);
    }
    int status = 0;
    CHECK(pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0,
          "a growth the system refuses returns NULL and leaves the array as it was (child status %d)", status);
    sim_pages_free(p, n * sizeof *p);
#else
    printf("skip refusal: needs Linux and no AddressSanitizer (which needs the address space)\n");
    skipped++;
#endif
}

int main(void)
{
    test_refusal();
    test_grow_and_shrink();
    test_many();
    if (skipped) {
        printf("%d passed, %d failed, %d skipped\n", check_passed, check_failed, skipped);
        return check_failed ? 1 : 0;
    }
    return check_summary();
}
