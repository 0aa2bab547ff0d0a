/* check.h: the in-house test harness. CHECK(cond, fmt, ...) counts a pass or
 * prints "file:line: failed: cond: message" and counts a failure; main ends
 * with `return check_summary();`, which prints "N passed, M failed" as the
 * last line and returns the process exit code (0 only when nothing failed).
 * Header-only: each test program is one translation unit. */
#ifndef SIM_TEST_CHECK_H
#define SIM_TEST_CHECK_H

#include <stdio.h>

static int check_passed, check_failed;

/* fmt and its arguments describe the failure (printf style); fmt is required. */
#define CHECK(cond, ...)                                                        \
    do {                                                                        \
        if (cond) {                                                             \
            check_passed++;                                                     \
        } else {                                                                \
            check_failed++;                                                     \
            printf("%s:%d: failed: %s: ", __FILE__, __LINE__, #cond);           \
            printf(__VA_ARGS__);                                                \
            putchar('\n');                                                      \
            fflush(stdout);                                                     \
        }                                                                       \
    } while (0)

static inline int check_summary(void)
{
    printf("%d passed, %d failed\n", check_passed, check_failed);
    fflush(stdout);
    return check_failed ? 1 : 0;
}

#endif
