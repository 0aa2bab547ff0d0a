/* test_rng.c: Philox streams. Reproducibility per key, distinct keys give
 * distinct non-overlapping sequences, O(1) seek equals draw-and-discard, a
 * stream does not depend on other streams or threads, and the output is uniform
 * (chi-square and Kolmogorov-Smirnov) and usable by GSL's distributions. */
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "../sim/core/common.h"
#include "../sim/core/rng.h"
#include "check.h"

#define SEED 20190101u

static void draw_words(gsl_rng *r, unsigned long *out, size_t n)
{
    for (size_t i = 0; i < n; i++) out[i] = gsl_rng_get(r);
}

static double *draw_uniform(uint64_t seed, uint32_t rep, uint32_t ent, uint32_t purpose, size_t n)
{
    gsl_rng *r = sim_rng_create();
    double *u = malloc(n * sizeof *u);
    sim_rng_stream(r, seed, rep, ent, purpose);
    for (size_t i = 0; i < n; i++) u[i] = gsl_rng_uniform(r);
    gsl_rng_free(r);
    return u;
}

static void test_type(void)
{
    gsl_rng *r = sim_rng_create();
    CHECK(r != NULL, "sim_rng_create");
    CHECK(r->type == sim_rng_philox, "type pointer");
    CHECK(strcmp(gsl_rng_name(r), "philox4x64-10") == 0, "name %s", gsl_rng_name(r));
    CHECK(gsl_rng_min(r) == 0 && gsl_rng_max(r) == 0xFFFFFFFFUL, "range [%lu, %lu]",
          gsl_rng_min(r), gsl_rng_max(r));
    /* gsl_rng_set(r, s) is stream (s, 0, 0, 0) at position 0 */
    gsl_rng *a = gsl_rng_alloc(sim_rng_philox);
    gsl_rng_set(a, 777);
    sim_rng_stream(r, 777, 0, 0, 0);
    unsigned long x[64], y[64];
    draw_words(a, x, 64);
    draw_words(r, y, 64);
    CHECK(memcmp(x, y, sizeof x) == 0, "gsl_rng_set(r, s) == sim_rng_stream(r, s, 0, 0, 0)");
    /* clone continues the same sequence */
    gsl_rng *c = gsl_rng_clone(a);
    draw_words(a, x, 64);
    draw_words(c, y, 64);
    CHECK(memcmp(x, y, sizeof x) == 0, "gsl_rng_clone continues the sequence");
    /* top bit of the 32-bit output and the full 53-bit resolution of uniform are used */
    sim_rng_stream(r, SEED, 0, 0, 0);
    unsigned long maxw = 0;
    size_t fine = 0, n = 100000;
    double umin = 1, umax = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned long w = gsl_rng_get(r);
        if (w > maxw) maxw = w;
        double u = gsl_rng_uniform(r);
        if (u < umin) umin = u;
        if (u > umax) umax = u;
        if (ldexp(u, 32) != floor(ldexp(u, 32))) fine++;
    }
    CHECK(maxw > 0xFFF00000UL && maxw <= 0xFFFFFFFFUL, "gsl_rng_get spans 32 bits (max %lx)", maxw);
    CHECK(umin >= 0.0 && umax < 1.0, "gsl_rng_uniform in [0,1): min %g max %.17g", umin, umax);
    CHECK(umin < 1e-4 && umax > 1 - 1e-4, "uniform reaches both ends: %g %g", umin, umax);
    CHECK(fine > n * 99 / 100, "uniform has more than 32 bits of resolution (%zu of %zu)", fine, n);
    gsl_rng_free(a);
    gsl_rng_free(c);
    gsl_rng_free(r);
}

static void test_reproducible_and_distinct(void)
{
    enum { N = 256 };
    static unsigned long base[N], other[N];
    gsl_rng *r = sim_rng_create(), *s = sim_rng_create();
    sim_rng_stream(r, SEED, 3, 1234, 2);
    draw_words(r, base, N);
    sim_rng_stream(s, SEED, 3, 1234, 2);
    draw_words(s, other, N);
    CHECK(memcmp(base, other, sizeof base) == 0, "same key, other generator: same sequence");
    sim_rng_stream(r, SEED, 3, 1234, 2);   /* re-keying restarts at position 0 */
    draw_words(r, other, N);
    CHECK(memcmp(base, other, sizeof base) == 0, "re-keyed generator repeats the sequence");
    CHECK(sim_rng_tell(r) == N, "tell after %d draws: %llu", N, (unsigned long long)sim_rng_tell(r));

    /* change one component at a time (and swaps, and high bits): all different */
    struct { uint64_t seed; uint32_t rep, ent, pur; const char *what; } keys[] = {
        {SEED + 1, 3, 1234, 2, "seed+1"},
        {SEED + ((uint64_t)1 << 32), 3, 1234, 2, "seed high bits"},
        {SEED | ((uint64_t)1 << 63), 3, 1234, 2, "seed top bit"},
        {SEED, 4, 1234, 2, "replication"},
        {SEED, 3, 1235, 2, "entity"},
        {SEED, 3, 1234, 3, "purpose"},
        {SEED, 3, 2, 1234, "entity/purpose swapped"},
        {SEED, 1234, 3, 2, "replication/entity swapped"},
        {SEED, 3, UINT32_MAX, 2, "entity 2^32-1"},
        {3, SEED, 1234, 2, "seed/replication swapped"},
    };
    for (size_t k = 0; k < SIM_ARRAY_LEN(keys); k++) {
        sim_rng_stream(s, keys[k].seed, keys[k].rep, keys[k].ent, keys[k].pur);
        draw_words(s, other, N);
        size_t equal = 0;
        for (size_t i = 0; i < N; i++) equal += base[i] == other[i];
        CHECK(equal < 3, "different %s: %zu of %d words equal", keys[k].what, equal, N);
    }
    gsl_rng_free(r);
    gsl_rng_free(s);
}

/* Streams do not overlap: 200 streams x 1000 draws of 53 bits, no duplicates. */
static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void test_no_overlap(void)
{
    size_t ns = 200, len = 1000, n = ns * len;
    double *all = malloc(n * sizeof *all);
    gsl_rng *r = sim_rng_create();
    for (size_t k = 0; k < ns; k++) {
        /* neighbouring entities, purposes and replications */
        sim_rng_stream(r, SEED, (uint32_t)(k % 4), (uint32_t)(k / 8), (uint32_t)(k / 4 % 2));
        for (size_t i = 0; i < len; i++) all[k * len + i] = gsl_rng_uniform(r);
    }
    qsort(all, n, sizeof *all, cmp_double);
    size_t dup = 0;
    for (size_t i = 1; i < n; i++) dup += all[i] == all[i - 1];
    CHECK(dup == 0, "%zu duplicate 53-bit values among %zu draws of %zu streams", dup, n, ns);
    gsl_rng_free(r);
    free(all);
}

static void test_seek_tell(void)
{
    enum { N = 4200 };
    static unsigned long ref[N];
    gsl_rng *r = sim_rng_create();
    sim_rng_stream(r, SEED, 1, 99, 5);
    CHECK(sim_rng_tell(r) == 0, "tell after stream: %llu", (unsigned long long)sim_rng_tell(r));
    draw_words(r, ref, N);
    CHECK(sim_rng_tell(r) == N, "tell after %d draws", N);
    static const uint64_t pos[] = {0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 1001, 4095, 4096, 4100, 3, 0};
    for (size_t k = 0; k < SIM_ARRAY_LEN(pos); k++) {
        sim_rng_seek(r, pos[k]);
        uint64_t t = sim_rng_tell(r);
        unsigned long w[100];
        draw_words(r, w, 100);
        CHECK(t == pos[k] && memcmp(w, ref + pos[k], sizeof w) == 0,
              "seek(%llu) then draws == draws %llu.. of a fresh stream (tell %llu)",
              (unsigned long long)pos[k], (unsigned long long)pos[k], (unsigned long long)t);
    }
    /* a far position: seek(P + 5) equals seek(P) and 5 discarded draws */
    uint64_t far = ((uint64_t)1 << 40) + 2;
    sim_rng_seek(r, far);
    for (int i = 0; i < 5; i++) gsl_rng_get(r);
    unsigned long a[16], b[16];
    draw_words(r, a, 16);
    CHECK(sim_rng_tell(r) == far + 21, "tell at a far position");
    sim_rng_seek(r, far + 5);
    draw_words(r, b, 16);
    CHECK(memcmp(a, b, sizeof a) == 0, "far seek equals drawing and discarding");
    /* seek then tell round trip for assorted positions */
    int round = 1;
    for (uint64_t p = 0; p < ((uint64_t)1 << 62); p = p * 3 + 1) {
        sim_rng_seek(r, p);
        round &= sim_rng_tell(r) == p;
    }
    CHECK(round, "tell(seek(p)) == p");
    /* uniform and exponential consume one word each, the same word get would */
    sim_rng_stream(r, SEED, 1, 99, 5);
    sim_rng_seek(r, 10);
    double u = gsl_rng_uniform(r);
    CHECK(sim_rng_tell(r) == 11 && (unsigned long)ldexp(u, 32) == ref[10],
          "uniform at position 10 has get's 32 bits on top: %.17g vs %lu", u, ref[10]);
    sim_rng_seek(r, 10);
    double x = sim_rng_exponential(r, 2.5);
    CHECK(sim_rng_tell(r) == 11 && fabs(x - (-2.5 * log(u))) <= 1e-12 * fabs(x),
          "exponential at position 10 is -2.5 log(U) of that word: %g vs %g", x, -2.5 * log(u));
    gsl_rng_free(r);
}

/* peek_uniform returns the next uniform without drawing it: the same value the
 * next draw returns, and the same position, at every word of a block. */
static void test_peek(void)
{
    enum { N = 41 };
    gsl_rng *r = sim_rng_create(), *ref = sim_rng_create();
    sim_rng_stream(r, SEED, 2, 7, 3);
    sim_rng_stream(ref, SEED, 2, 7, 3);
    int same = 1;
    for (int i = 0; i < N; i++) {
        uint64_t t = sim_rng_tell(r);
        double p = sim_rng_peek_uniform(r), q = sim_rng_peek_uniform(r);
        same &= p == q && sim_rng_tell(r) == t;
        same &= sim_rng_uniform(r) == p && p == sim_rng_uniform(ref);
    }
    CHECK(same, "peek == the next uniform, twice, position unchanged (%d draws)", N);
    /* a peek at a block's end (its four words drawn) computes the next block */
    sim_rng_seek(r, 7);
    (void)sim_rng_uniform(r);
    (void)sim_rng_peek_uniform(r);
    CHECK(sim_rng_tell(r) == 8, "tell after a peek at a block boundary");
    sim_rng_seek(ref, 8);
    CHECK(sim_rng_uniform(r) == sim_rng_uniform(ref), "draw after a peek at a block boundary");
    gsl_rng_free(r);
    gsl_rng_free(ref);
}

/* peek_uniform_ahead(r, k) is the (k+1)-th next uniform, whatever the word of the
 * block the stream stands at (0..3, and a drawn-out block) and however far the word
 * lies beyond it; the stream's position and next draws stay the same. */
static void test_peek_ahead(void)
{
    enum { K = 11, START = 9 };
    gsl_rng *r = sim_rng_create(), *ref = sim_rng_create();
    sim_rng_stream(r, SEED, 4, 1, 2);
    sim_rng_stream(ref, SEED, 4, 1, 2);
    int same = 1, kept = 1, cases = 0;
    for (uint64_t at = 0; at < START; at++) {
        sim_rng_seek(r, at);
        if (at % 2) (void)sim_rng_peek_uniform(r);   /* a refilled block at a boundary, too */
        for (unsigned k = 0; k < K; k++, cases++) {
            double p = sim_rng_peek_uniform_ahead(r, k);
            sim_rng_seek(ref, at + k);
            same &= p == sim_rng_uniform(ref);
            kept &= sim_rng_tell(r) == at;
        }
        sim_rng_seek(ref, at);
        kept &= sim_rng_uniform(r) == sim_rng_uniform(ref);
    }
    CHECK(same, "peek ahead k == the (k+1)-th next uniform (%d cases: 9 positions, k < %d)", cases, K);
    CHECK(kept, "peek ahead leaves the position and the next draw unchanged");
    gsl_rng_free(r);
    gsl_rng_free(ref);
}

/* Stream X's draws are the same whether or not other streams are used in
 * between, on other generators or by re-keying the same generator. */
static void test_independence(void)
{
    enum { N = 1000 };
    static double alone[N], mixed[N];
    gsl_rng *r = sim_rng_create();
    sim_rng_stream(r, SEED, 2, 7, 1);
    for (int i = 0; i < N; i++) alone[i] = gsl_rng_uniform(r);

    gsl_rng *others[50];
    for (int k = 0; k < 50; k++) {
        others[k] = sim_rng_create();
        sim_rng_stream(others[k], SEED, 2, (uint32_t)k, 1);
    }
    gsl_rng *x = sim_rng_create(), *shared = sim_rng_create();
    sim_rng_stream(x, SEED, 2, 7, 1);
    for (int i = 0; i < N; i++) {
        for (int k = 0; k < i % 50; k++) gsl_rng_uniform(others[k]);
        mixed[i] = gsl_rng_uniform(x);
    }
    CHECK(memcmp(alone, mixed, sizeof alone) == 0, "other generators in between do not matter");

    /* one generator re-keyed between streams, resuming X with seek */
    uint64_t posx = 0;
    for (int i = 0; i < N; i++) {
        sim_rng_stream(shared, SEED, 2, 7, 1);
        sim_rng_seek(shared, posx);
        mixed[i] = gsl_rng_uniform(shared);
        posx = sim_rng_tell(shared);
        sim_rng_stream(shared, SEED, 2, (uint32_t)(i % 13), 2);
        for (int k = 0; k < i % 7; k++) gsl_rng_uniform(shared);
    }
    CHECK(memcmp(alone, mixed, sizeof alone) == 0, "re-keying one generator and seeking back");

    /* threads: each thread computes some streams; same values as serial */
    enum { M = 2000 };
    static double serial[M], parallel[M];
    for (int e = 0; e < M; e++) {
        sim_rng_stream(r, SEED, 0, (uint32_t)e, 3);
        serial[e] = gsl_rng_uniform(r) + gsl_rng_uniform(r);
    }
#pragma omp parallel num_threads(4)
    {
        gsl_rng *t = sim_rng_create();
#pragma omp for schedule(dynamic, 7)
        for (int e = M - 1; e >= 0; e--) {
            sim_rng_stream(t, SEED, 0, (uint32_t)e, 3);
            parallel[e] = gsl_rng_uniform(t) + gsl_rng_uniform(t);
        }
        gsl_rng_free(t);
    }
    CHECK(memcmp(serial, parallel, sizeof serial) == 0, "4 threads give the serial values");
    for (int k = 0; k < 50; k++) gsl_rng_free(others[k]);
    gsl_rng_free(x);
    gsl_rng_free(shared);
    gsl_rng_free(r);
}

/* Pearson chi-square over `bins` equiprobable bins; returns the p-value. */
static double chisq_p(const double *u, size_t n, size_t bins)
{
    size_t *count = calloc(bins, sizeof *count);
    for (size_t i = 0; i < n; i++) {
        size_t b = (size_t)(u[i] * (double)bins);
        count[b < bins ? b : bins - 1]++;
    }
    double expect = (double)n / (double)bins, stat = 0;
    for (size_t b = 0; b < bins; b++) {
        double d = (double)count[b] - expect;
        stat += d * d / expect;
    }
    free(count);
    return gsl_cdf_chisq_Q(stat, (double)(bins - 1));
}

/* Kolmogorov-Smirnov against U(0,1); returns the asymptotic p-value. Sorts u. */
static double ks_p(double *u, size_t n, double *dstat)
{
    qsort(u, n, sizeof *u, cmp_double);
    double d = 0;
    for (size_t i = 0; i < n; i++) {
        double lo = u[i] - (double)i / (double)n, hi = (double)(i + 1) / (double)n - u[i];
        if (lo > d) d = lo;
        if (hi > d) d = hi;
    }
    double lambda = (sqrt((double)n) + 0.12 + 0.11 / sqrt((double)n)) * d, p = 0;
    for (int k = 1; k <= 100; k++) p += 2 * ((k & 1) ? 1 : -1) * exp(-2.0 * k * k * lambda * lambda);
    *dstat = d;
    return p < 0 ? 0 : p > 1 ? 1 : p;
}

static void test_uniformity(void)
{
    size_t n = 1000000;
    double *u = draw_uniform(SEED, 0, 0, 0, n);
    double p = chisq_p(u, n, 100);
    CHECK(p > 1e-4, "chi-square, 100 bins, 1e6 draws: p = %g", p);
    double d, pk = ks_p(u, n, &d);
    CHECK(pk > 1e-4, "KS, 1e6 draws: D = %g, p = %g", d, pk);
    free(u);
    u = draw_uniform(SEED, 9, 4321, 7, n);
    p = chisq_p(u, n, 1000);
    CHECK(p > 1e-4, "chi-square, 1000 bins, another stream: p = %g", p);
    free(u);

    /* the low byte of gsl_rng_get is uniform too */
    gsl_rng *r = sim_rng_create();
    sim_rng_stream(r, SEED, 1, 2, 3);
    double *lo = malloc(n * sizeof *lo);
    for (size_t i = 0; i < n; i++) lo[i] = (double)(gsl_rng_get(r) & 0xFF) / 256.0;
    p = chisq_p(lo, n, 256);
    CHECK(p > 1e-4, "chi-square of the low byte of gsl_rng_get: p = %g", p);

    /* across streams: the first draw of 100000 consecutive entities (what a
     * model that serves each person from its own stream sees) */
    size_t m = 100000;
    for (size_t e = 0; e < m; e++) {
        sim_rng_stream(r, SEED, 0, (uint32_t)e, 1);
        lo[e] = gsl_rng_uniform(r);
    }
    p = chisq_p(lo, m, 100);
    CHECK(p > 1e-4, "chi-square of first draws across 1e5 entity streams: p = %g", p);
    pk = ks_p(lo, m, &d);
    CHECK(pk > 1e-4, "KS of first draws across entity streams: D = %g, p = %g", d, pk);
    /* and across replications */
    for (size_t k = 0; k < m; k++) {
        sim_rng_stream(r, SEED, (uint32_t)k, 0, 1);
        lo[k] = gsl_rng_uniform(r);
    }
    pk = ks_p(lo, m, &d);
    CHECK(pk > 1e-4, "KS of first draws across replications: D = %g, p = %g", d, pk);
    /* the KS check can fail: a visibly non-uniform sample (u^1.05) is rejected */
    for (size_t k = 0; k < m; k++) lo[k] = pow(lo[k], 1.05);
    pk = ks_p(lo, m, &d);
    CHECK(pk < 1e-4, "KS rejects a distorted sample: D = %g, p = %g", d, pk);
    free(lo);
    gsl_rng_free(r);
}

static void test_distributions(void)
{
    gsl_rng *r = sim_rng_create();
    sim_rng_stream(r, SEED, 0, 0, 11);
    size_t n = 200000;
    double s = 0, s2 = 0;
    for (size_t i = 0; i < n; i++) {
        double g = gsl_ran_gaussian(r, 2.0);
        s += g;
        s2 += g * g;
    }
    double mean = s / (double)n, var = s2 / (double)n - mean * mean;
    CHECK(fabs(mean) < 5 * 2.0 / sqrt((double)n), "gsl_ran_gaussian mean %g", mean);
    CHECK(fabs(var - 4.0) < 0.05, "gsl_ran_gaussian variance %g (want 4)", var);

    s = 0;
    for (size_t i = 0; i < n; i++) s += gsl_ran_gamma(r, 3.0, 2.0);
    CHECK(fabs(s / (double)n - 6.0) < 5 * sqrt(12.0 / (double)n), "gsl_ran_gamma mean %g (want 6)", s / (double)n);
    s = 0;
    for (size_t i = 0; i < n; i++) s += gsl_ran_poisson(r, 4.5);
    CHECK(fabs(s / (double)n - 4.5) < 5 * sqrt(4.5 / (double)n), "gsl_ran_poisson mean %g", s / (double)n);
    s = 0;
    for (size_t i = 0; i < n; i++) s += gsl_ran_weibull(r, 2.0, 1.5);
    double wmean = 2.0 * tgamma(1.0 + 1.0 / 1.5);
    CHECK(fabs(s / (double)n - wmean) < 0.02, "gsl_ran_weibull mean %g (want %g)", s / (double)n, wmean);
    size_t bins[10] = {0};
    for (size_t i = 0; i < n; i++) bins[gsl_rng_uniform_int(r, 10)]++;
    double stat = 0;
    for (int b = 0; b < 10; b++) stat += pow((double)bins[b] - (double)n / 10, 2) / ((double)n / 10);
    CHECK(gsl_cdf_chisq_Q(stat, 9) > 1e-4, "gsl_rng_uniform_int(10) chi-square %g", stat);

    /* sim_rng_exponential: mean, positivity, and the law P(X > mean) = 1/e */
    sim_rng_stream(r, SEED, 0, 0, 12);
    size_t m = 1000000, above = 0;
    double sum = 0, mn = INFINITY;
    int finite = 1;
    for (size_t i = 0; i < m; i++) {
        double x = sim_rng_exponential(r, 2.5);
        sum += x;
        if (x < mn) mn = x;
        finite &= isfinite(x);
        above += x > 2.5;
    }
    CHECK(finite && mn > 0, "exponential draws are finite and positive (min %g)", mn);
    CHECK(fabs(sum / (double)m - 2.5) < 5 * 2.5 / sqrt((double)m), "exponential mean %g (want 2.5)", sum / (double)m);
    double share = (double)above / (double)m, sd = sqrt(exp(-1) * (1 - exp(-1)) / (double)m);
    CHECK(fabs(share - exp(-1)) < 5 * sd, "P(X > mean) = %g (want %g)", share, exp(-1));
    CHECK(sim_rng_tell(r) == m, "one word per exponential draw (tell %llu)", (unsigned long long)sim_rng_tell(r));
    /* exponential on a foreign gsl_rng falls back to the generic path */
    gsl_rng *mt = gsl_rng_alloc(gsl_rng_mt19937);
    sum = 0;
    for (size_t i = 0; i < 100000; i++) sum += sim_rng_exponential(mt, 1.0);
    CHECK(fabs(sum / 100000 - 1.0) < 5 / sqrt(100000.0), "exponential on mt19937: mean %g", sum / 100000);
    gsl_rng_free(mt);
    gsl_rng_free(r);
}

int main(void)
{
    gsl_set_error_handler_off();
    test_type();
    test_reproducible_and_distinct();
    test_no_overlap();
    test_seek_tell();
    test_peek();
    test_peek_ahead();
    test_independence();
    test_uniformity();
    test_distributions();
    return check_summary();
}
