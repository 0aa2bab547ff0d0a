/* common.h: definitions shared by every engine module: version, status codes,
 * attributes. The engine core (sim/core/) includes nothing from sim/io/, sim/app/,
 * models/ or analysis/ (docs/architecture.md; tests/test_layers.sh checks). */
#ifndef SIM_COMMON_H
#define SIM_COMMON_H

#include <assert.h>
#include <stddef.h>
#include <stdint.h>

#define SIM_VERSION "0.1.0"
/* Output format version written to every file; readers refuse newer ones.
 * 1: the first layout. 2: the same layout in the HDF5 1.10 object format with
 * checksummed metadata and chunks, and a root "contents" list (sim/io/out.h). */
#define SIM_FORMAT_VERSION 2

/* A one-line diagnostic (why a file or value was refused), terminator included. */
#define SIM_MESSAGE_MAX 512

/* Process exit codes (DESIGN.md §7). */
enum { SIM_EXIT_OK = 0, SIM_EXIT_RUNTIME = 1, SIM_EXIT_USAGE = 2 };

#if defined(__GNUC__)
#define SIM_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define SIM_LIKELY(x) __builtin_expect(!!(x), 1)
#define SIM_UNLIKELY(x) __builtin_expect(!!(x), 0)
#define SIM_ALWAYS_INLINE inline __attribute__((always_inline))
#define SIM_NOINLINE __attribute__((noinline))
/* SIM_PREFETCH(addr): start loading the line at addr (a hint). The empty volatile asm
 * that takes the address keeps the hint: GCC 12 at -O2 judged a helper that did only
 * prefetches (three of them) free of effects and deleted its calls, prefetches and
 * all (bench/RESULTS.md, session 26; tests/test_prefetch.sh). */
#define SIM_PREFETCH(addr) do { const void *sim_pf_ = (addr); __builtin_prefetch(sim_pf_); \
                                __asm__ volatile("" : : "r"(sim_pf_)); } while (0)
#else
#define SIM_PRINTF(f, a)
#define SIM_LIKELY(x) (x)
#define SIM_UNLIKELY(x) (x)
#define SIM_ALWAYS_INLINE inline
#define SIM_NOINLINE
#define SIM_PREFETCH(addr) ((void)(addr))
#endif

/* SIM_ASSERT(cond): a precondition or invariant of the core, checked unless
 * NDEBUG is defined. No build in the Makefile defines NDEBUG: the default
 * (-O2 -g), check-asan, shuffle and fuzz builds all check; a production build may
 * add EXTRA_CFLAGS=-DNDEBUG. Per-event paths use only O(1) checks; the O(n)
 * structure checks run after every queue operation only with -DSIM_DEBUG_EVQ. */
#define SIM_ASSERT(cond) assert(cond)

#define SIM_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Print "sim: <message>" on stderr (one line). */
void sim_log_error(const char *fmt, ...) SIM_PRINTF(1, 2);
/* Print "sim: PATH: <message>" on stderr (one line); returns -1, for `return
 * sim_log_path_error(...)` in functions that refuse an input file. */
int sim_log_path_error(const char *path, const char *fmt, ...) SIM_PRINTF(2, 3);

#endif
