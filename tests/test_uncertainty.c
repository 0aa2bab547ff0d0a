/* test_uncertainty.c: the declared parameter distributions (sim/app/uncertainty.h):
 * quantile functions against closed forms, the support never left, integer settings
 * rounded, and bad declarations reported as file:line. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>

#include "../sim/app/compare_draws.h"
#include "../sim/app/uncertainty.h"
#include "check.h"

static const char good[] =
    "a = { u = 1.0; l = 1.0; t = 1.0; n = 1.0; i = 3; };\n"
    "uncertainty = (\n"
    "  { key = \"a.u\"; dist = \"uniform\"; min = 2.0; max = 6.0; source = \"assumption\"; },\n"
    "  { key = \"a.l\"; dist = \"loguniform\"; min = 1.0; max = 100.0; source = \"assumption\"; },\n"
    "  { key = \"a.t\"; dist = \"triangular\"; min = 0.0; mode = 1.0; max = 4.0; source = \"assumption\"; },\n"
    "  { key = \"a.n\"; dist = \"normal\"; mean = 0.5; sd = 0.1; min = 0.3; max = 0.7; source = \"assumption\"; },\n"
    "  { key = \"a.i\"; dist = \"uniform\"; min = 1; max = 4; source = \"assumption\"; }\n"
    ");\n";

static void test_quantiles(void)
{
    sim_config *c = sim_config_parse(good, "good.cfg", NULL);
    sim_uncertainty *u = sim_uncertainty_read(c);
    CHECK(u && sim_uncertainty_n(u) == 5, "five declarations read (%zu errors: %s)", sim_config_nerrors(c),
          sim_config_nerrors(c) ? sim_config_error_at(c, 0) : "");
    if (!u) { sim_config_destroy(c); return; }
    CHECK(sim_uncertainty_quantile(u, 0, 0.25) == 3.0, "uniform quartile");
    CHECK(fabs(sim_uncertainty_quantile(u, 1, 0.5) - 10.0) < 1e-12, "loguniform median = sqrt(min max)");
    /* triangular(0, 1, 4): F(1) = 1/4; F(x) = x^2 / 4 below the mode */
    CHECK(fabs(sim_uncertainty_quantile(u, 2, 0.25) - 1.0) < 1e-12, "triangular: the mode at F = (mode - min) / (max - min)");
    CHECK(fabs(sim_uncertainty_quantile(u, 2, 1.0 / 16.0) - 0.5) < 1e-12, "triangular below the mode");
    CHECK(fabs(sim_uncertainty_quantile(u, 3, 0.5) - 0.5) < 1e-12, "truncated normal, symmetric: median = mean");
    double lo = sim_uncertainty_quantile(u, 3, 0.0), hi = sim_uncertainty_quantile(u, 3, 1.0);
    CHECK(lo == 0.3 && hi == 0.7, "truncated normal: p = 0 and 1 give min and max (%g, %g)", lo, hi);
    CHECK(sim_uncertainty_quantile(u, 3, 0.975) < 0.7 && sim_uncertainty_quantile(u, 3, 0.975) > 0.6, "truncated normal tail");
    CHECK(sim_uncertainty_is_int(u, 4) && sim_uncertainty_quantile(u, 4, 0.4) == 2.0, "integer settings are rounded (1 + 0.4 * 3 = 2.2 -> 2)");
    int inside = 1;
    for (size_t j = 0; j < 5; j++)
        for (int k = 0; k <= 100; k++) {
            double v = sim_uncertainty_quantile(u, j, k / 100.0);
            inside &= v >= sim_uncertainty_min(u, j) && v <= sim_uncertainty_max(u, j);
        }
    CHECK(inside, "every quantile lies in min..max");
    CHECK(!strcmp(sim_uncertainty_where(u, 2), "good.cfg:5"), "where: %s", sim_uncertainty_where(u, 2));
    sim_uncertainty_destroy(u);
    sim_config_check_unused(c);   /* reports group a (nobody reads it here), never the list */
    int listed = 0;
    for (size_t i = 0; i < sim_config_nerrors(c); i++) listed |= strstr(sim_config_error_at(c, i), "uncertainty") != NULL;
    CHECK(!listed && sim_config_nerrors(c) > 0, "the list is marked used (%zu errors)", sim_config_nerrors(c));
    sim_config_destroy(c);
}

/* One bad declaration: NULL, and the first error names the line and the fragment. */
static void bad(const char *entry, const char *fragment)
{
    char text[1024];
    snprintf(text, sizeof text, "a = { u = 1.0; v = 1.0; w = 1.0; };\nuncertainty = (\n  %s\n);\n", entry);
    sim_config *c = sim_config_parse(text, "bad.cfg", NULL);
    sim_uncertainty *u = sim_uncertainty_read(c);
    const char *e = sim_config_nerrors(c) ? sim_config_error_at(c, 0) : "";
    CHECK(!u && !strncmp(e, "bad.cfg:3: ", 11) && strstr(e, fragment), "%s: got \"%s\", expected \"%s\"", entry, e, fragment);
    sim_uncertainty_destroy(u);
    sim_config_destroy(c);
}

/* Correlation blocks: a parameter outside the block keeps its quantile exactly,
 * the block's medians meet at the centre, and drawn sets carry the declared
 * correlation (normal marginals, little truncation: the multivariate normal). */
static const char copula_text[] =
    "a = { x = 1.0; y = 1.0; z = 1.0; w = 1.0; };\n"
    "uncertainty = (\n"
    "  { key = \"a.w\"; dist = \"uniform\"; min = 0.0; max = 1.0; source = \"assumption\"; },\n"
    "  { correlation = [\"a.y\", \"a.x\"]; matrix = [1.0, -0.8, -0.8, 1.0]; source = \"calibrated\"; },\n"
    "  { key = \"a.x\"; dist = \"normal\"; mean = 1.0; sd = 0.1; min = 0.0; max = 2.0; source = \"assumption\"; },\n"
    "  { key = \"a.y\"; dist = \"normal\"; mean = 5.0; sd = 2.0; min = -5.0; max = 15.0; source = \"assumption\"; },\n"
    "  { key = \"a.z\"; dist = \"uniform\"; min = 0.0; max = 4.0; source = \"assumption\"; }\n"
    ");\n";

static void test_copula(void)
{
    sim_config *c = sim_config_parse(copula_text, "copula.cfg", NULL);
    sim_uncertainty *u = sim_uncertainty_read(c);
    CHECK(u && sim_uncertainty_n(u) == 4 && sim_uncertainty_nblocks(u) == 1, "four parameters and a block (%s)",
          sim_config_nerrors(c) ? sim_config_error_at(c, 0) : "");
    if (!u) { sim_config_destroy(c); return; }
    CHECK(sim_uncertainty_block_of(u, 0) == -1 && sim_uncertainty_block_of(u, 1) == 0 && sim_uncertainty_block_of(u, 2) == 0,
          "block membership by key, whatever the order of declaration");
    double unit[4] = {0.3, 0.5, 0.5, 0.7}, v[4];
    sim_uncertainty_map(u, unit, v);
    CHECK(v[0] == sim_uncertainty_quantile(u, 0, 0.3) && v[3] == sim_uncertainty_quantile(u, 3, 0.7),
          "outside the block: the quantile itself");
    CHECK(fabs(v[1] - 1.0) < 1e-12 && fabs(v[2] - 5.0) < 1e-12, "the centre maps to the medians (%g, %g)", v[1], v[2]);
    /* the block's first coordinate is a.y's own: moving it moves both, the second moves a.x alone */
    double up[4] = {0.3, 0.5, 0.9, 0.7}, w[4];
    sim_uncertainty_map(u, up, w);
    CHECK(w[2] > v[2] && w[1] < v[1], "the first coordinate of the block moves a.y up and a.x down (%g, %g)", w[2], w[1]);
    double side[4] = {0.3, 0.9, 0.5, 0.7};
    sim_uncertainty_map(u, side, w);
    CHECK(w[2] == v[2] && w[1] > v[1], "the second coordinate moves a.x only");
    enum { N = 4000 };
    double *x = malloc(N * sizeof *x), *y = malloc(N * sizeof *y);
    for (uint32_t r = 0; x && y && r < N; r++) {
        sim_uncertainty_draw(u, 42, r, v);
        x[r] = v[1];
        y[r] = v[2];
    }
    double rho = x && y ? gsl_stats_correlation(x, 1, y, 1, N) : 0.0;
    CHECK(fabs(rho + 0.8) < 0.03, "drawn correlation %.3f, declared -0.8", rho);
    double sx = x ? gsl_stats_sd(x, 1, N) : 0.0;
    CHECK(fabs(sx - 0.1) < 0.01, "the marginal sd stays as declared: %.4f", sx);
    free(x);
    free(y);
    sim_uncertainty_destroy(u);
    sim_config_destroy(c);
}

/* Sample entries: the keys take one row together, picked with probability
 * proportional to its weight by the first key's coordinate; rows of weight 0
 * are never taken and do not count for min, max or the marginal. */
static const char sample_text[] =
    "a = { x = 1.0; y = 1.0; w = 1.0; i = 2; };\n"
    "uncertainty = (\n"
    "  { key = \"a.w\"; dist = \"uniform\"; min = 0.0; max = 1.0; source = \"assumption\"; },\n"
    "  { sample = [\"a.x\", \"a.y\", \"a.i\"];\n"
    "    values = [0.1, 10.0, 1.0,  0.9, 90.0, 2.0,  0.3, 30.0, 3.0,  0.5, 50.0, 4.0];\n"
    "    weights = [0.2, 0.0, 0.6, 0.2]; source = \"calibrated: posterior\"; }\n"
    ");\n";

static void test_sample(void)
{
    sim_config *c = sim_config_parse(sample_text, "sample.cfg", NULL);
    sim_uncertainty *u = sim_uncertainty_read(c);
    CHECK(u && sim_uncertainty_n(u) == 4 && sim_uncertainty_nsamples(u) == 1 && sim_uncertainty_nblocks(u) == 0,
          "a parameter and a sample entry of three keys (%s)", sim_config_nerrors(c) ? sim_config_error_at(c, 0) : "");
    if (!u) { sim_config_destroy(c); return; }
    CHECK(sim_uncertainty_sample_of(u, 0) == -1 && sim_uncertainty_sample_of(u, 1) == 0 && sim_uncertainty_sample_of(u, 3) == 0,
          "membership");
    CHECK(!strcmp(sim_uncertainty_key(u, 2), "a.y") && !strcmp(sim_uncertainty_dist(u, 2), "sample")
          && !strcmp(sim_uncertainty_source(u, 2), "calibrated: posterior") && !strcmp(sim_uncertainty_where(u, 2), "sample.cfg:4"),
          "a member's key, dist, source and where (%s, %s)", sim_uncertainty_dist(u, 2), sim_uncertainty_where(u, 2));
    CHECK(sim_uncertainty_min(u, 1) == 0.1 && sim_uncertainty_max(u, 1) == 0.5 && sim_uncertainty_is_int(u, 3),
          "support over the rows of positive weight: %g to %g (the 0.9 of weight 0 left out)", sim_uncertainty_min(u, 1),
          sim_uncertainty_max(u, 1));
    CHECK(sim_uncertainty_quantile(u, 1, 0.0) == 0.1 && sim_uncertainty_quantile(u, 1, 0.2) == 0.1
          && sim_uncertainty_quantile(u, 1, 0.5) == 0.3 && sim_uncertainty_quantile(u, 1, 0.81) == 0.5
          && sim_uncertainty_quantile(u, 1, 1.0) == 0.5, "the weighted marginal's quantiles");
    /* cumulative weights 0.2, 0.2, 0.8, 1: coordinates below 0.2 pick row 1, up to 0.8 row 3, then row 4 */
    static const struct { double at; double x, y, i; } pick[] = {
        {0.0, 0.1, 10.0, 1}, {0.19, 0.1, 10.0, 1}, {0.2, 0.3, 30.0, 3}, {0.79, 0.3, 30.0, 3}, {0.8, 0.5, 50.0, 4}, {1.0, 0.5, 50.0, 4}};
    for (size_t t = 0; t < sizeof pick / sizeof pick[0]; t++) {
        double unit[4] = {0.5, pick[t].at, 0.99, 0.01}, v[4];
        sim_uncertainty_map(u, unit, v);
        CHECK(v[1] == pick[t].x && v[2] == pick[t].y && v[3] == pick[t].i && v[0] == 0.5,
              "coordinate %g picks the row (%g, %g, %g): got (%g, %g, %g)", pick[t].at, pick[t].x, pick[t].y, pick[t].i, v[1], v[2], v[3]);
    }
    enum { N = 20000 };
    int count[4] = {0}, joint = 1, drawn = 1;
    for (uint32_t r = 0; r < N; r++) {
        double v[4];
        drawn &= sim_uncertainty_draw(u, 9, r, v) == 0;
        int row = v[3] >= 1 && v[3] <= 4 ? (int)v[3] - 1 : 0;
        count[row]++;
        joint &= v[2] == 100.0 * v[1] && v[3] == (double)(row + 1);
    }
    CHECK(drawn && joint, "every draw is one row, all its keys together");
    static const double share[4] = {0.2, 0.0, 0.6, 0.2};
    for (int k = 0; k < 4; k++) {
        double sd = sqrt(N * share[k] * (1.0 - share[k])) + 1e-9;
        CHECK(fabs(count[k] - N * share[k]) < 4.0 * sd + (share[k] == 0.0 ? 0.5 : 0.0),
              "row %d drawn %d times of %d, weight %.1f", k + 1, count[k], N, share[k]);
    }
    sim_uncertainty_destroy(u);
    sim_config_destroy(c);
    c = sim_config_parse("a = { i = 2; };\nuncertainty = (\n  { sample = [\"a.i\"]; values = [1.0, 2.5]; source = \"x\"; }\n);\n",
                         "int.cfg", NULL);
    u = sim_uncertainty_read(c);
    CHECK(!u && sim_config_nerrors(c) && strstr(sim_config_error_at(c, 0), "row 2: 2.5 for the integer setting a.i"),
          "an integer setting's rows must be whole: %s", sim_config_nerrors(c) ? sim_config_error_at(c, 0) : "");
    sim_uncertainty_destroy(u);
    sim_config_destroy(c);
}

/* Two sample entries and a correlation block in one list: each entry picks its
 * row by its own first key's coordinate (independently of the other entry), and
 * the block keeps its copula whatever the entries around it. */
static const char mixed_text[] =
    "a = { x = 1.0; y = 1.0; p = 1.0; q = 1.0; s = 1.0; };\n"
    "uncertainty = (\n"
    "  { sample = [\"a.p\", \"a.q\"]; values = [1.0, -1.0,  2.0, -2.0]; weights = [0.5, 0.5]; source = \"x\"; },\n"
    "  { correlation = [\"a.x\", \"a.y\"]; matrix = [1.0, 0.7, 0.7, 1.0]; source = \"x\"; },\n"
    "  { key = \"a.x\"; dist = \"normal\"; mean = 0.0; sd = 1.0; min = -9.0; max = 9.0; source = \"x\"; },\n"
    "  { key = \"a.y\"; dist = \"normal\"; mean = 0.0; sd = 1.0; min = -9.0; max = 9.0; source = \"x\"; },\n"
    "  { sample = [\"a.s\"]; values = [10.0, 20.0, 30.0]; weights = [0.2, 0.3, 0.5]; source = \"x\"; }\n"
    ");\n";

static void test_mixed(void)
{
    sim_config *c = sim_config_parse(mixed_text, "mixed.cfg", NULL);
    sim_uncertainty *u = sim_uncertainty_read(c);
    CHECK(u && sim_uncertainty_n(u) == 5 && sim_uncertainty_nsamples(u) == 2 && sim_uncertainty_nblocks(u) == 1,
          "two sample entries and a block (%s)", sim_config_nerrors(c) ? sim_config_error_at(c, 0) : "");
    if (!u) { sim_config_destroy(c); return; }
    int ip = -1, iq = -1, is = -1, ix = -1, iy = -1;
    for (size_t j = 0; j < sim_uncertainty_n(u); j++) {
        const char *k = sim_uncertainty_key(u, j);
        int *slot = !strcmp(k, "a.p") ? &ip : !strcmp(k, "a.q") ? &iq : !strcmp(k, "a.s") ? &is : !strcmp(k, "a.x") ? &ix : &iy;
        *slot = (int)j;
    }
    CHECK(ip >= 0 && iq >= 0 && is >= 0 && ix >= 0 && iy >= 0, "every key has its parameter");
    if (ip < 0 || iq < 0 || is < 0 || ix < 0 || iy < 0) { sim_uncertainty_destroy(u); sim_config_destroy(c); return; }
    CHECK(sim_uncertainty_sample_of(u, (size_t)ip) == sim_uncertainty_sample_of(u, (size_t)iq)
          && sim_uncertainty_sample_of(u, (size_t)ip) != sim_uncertainty_sample_of(u, (size_t)is)
          && sim_uncertainty_sample_of(u, (size_t)is) >= 0 && sim_uncertainty_sample_of(u, (size_t)ix) == -1
          && sim_uncertainty_block_of(u, (size_t)ix) == 0 && sim_uncertainty_block_of(u, (size_t)ip) == -1,
          "membership: p and q in one entry, s in another, x and y in the block");
    /* the coordinate of a.s alone moves a.s; a.p's picks p and q together */
    double unit[5], v[5];
    for (int j = 0; j < 5; j++) unit[j] = 0.5;
    unit[ip] = 0.1;
    unit[is] = 0.1;
    sim_uncertainty_map(u, unit, v);
    CHECK(v[ip] == 1.0 && v[iq] == -1.0 && v[is] == 10.0, "low coordinates pick the first rows (%g, %g, %g)", v[ip], v[iq], v[is]);
    unit[is] = 0.6;
    sim_uncertainty_map(u, unit, v);
    CHECK(v[ip] == 1.0 && v[iq] == -1.0 && v[is] == 30.0, "a.s's coordinate moves a.s only (%g, %g, %g)", v[ip], v[iq], v[is]);
    unit[ip] = 0.9;
    sim_uncertainty_map(u, unit, v);
    CHECK(v[ip] == 2.0 && v[iq] == -2.0 && v[is] == 30.0, "a.p's coordinate moves p and q only (%g, %g, %g)", v[ip], v[iq], v[is]);
    CHECK(fabs(v[ix]) < 1e-12 && fabs(v[iy]) < 1e-12, "the block at its centre whatever the entries (%g, %g)", v[ix], v[iy]);
    enum { N = 20000 };
    int cell[2][3] = {{0}}, ok = 1;
    double *x = malloc(N * sizeof *x), *y = malloc(N * sizeof *y);
    for (uint32_t r = 0; x && y && r < N; r++) {
        ok &= sim_uncertainty_draw(u, 5, r, v) == 0 && v[iq] == -v[ip];
        int a = v[ip] == 2.0, b = v[is] == 10.0 ? 0 : v[is] == 20.0 ? 1 : 2;
        cell[a][b]++;
        x[r] = v[ix];
        y[r] = v[iy];
    }
    CHECK(ok, "every draw takes one row of each entry");
    /* independence: each cell near N * 0.5 * weight of s */
    static const double ws[3] = {0.2, 0.3, 0.5};
    int near = 1;
    for (int a = 0; a < 2; a++)
        for (int b = 0; b < 3; b++) {
            double e = N * 0.5 * ws[b], sd = sqrt(e * (1.0 - 0.5 * ws[b]));
            near &= fabs(cell[a][b] - e) < 4.0 * sd;
        }
    CHECK(near, "the two entries' rows are drawn independently (cells %d %d %d / %d %d %d)", cell[0][0], cell[0][1],
          cell[0][2], cell[1][0], cell[1][1], cell[1][2]);
    double rho = x && y ? gsl_stats_correlation(x, 1, y, 1, N) : 0.0;
    CHECK(fabs(rho - 0.7) < 0.03, "the block's correlation %.3f, declared 0.7, beside two sample entries", rho);
    free(x);
    free(y);
    sim_uncertainty_destroy(u);
    sim_config_destroy(c);
}

/* A mistake in a sample entry is one message, whatever follows it: the entry's
 * other members are read (not reported again as unknown keys), and so are the
 * entries after it. Integer settings: whole numbers, exact in a double. */
static void test_one_mistake_one_message(void)
{
    static const char text[] =
        "a = { u = 1.0; v = 1.0; i = 2; };\n"
        "uncertainty = (\n"
        "  { sample = [\"a.z\", \"a.u\"]; values = [1.0, 2.0]; weights = [1.0]; source = \"x\"; },\n"
        "  { key = \"a.v\"; dist = \"uniform\"; min = 0.0; max = 2.0; source = \"x\"; }\n"
        ");\n";
    sim_config *c = sim_config_parse(text, "one.cfg", NULL);
    sim_uncertainty *u = sim_uncertainty_read(c);
    sim_config_check_unused(c);
    size_t about_list = 0;   /* the test's `a` group is read by no model, so it is unknown too: not counted */
    for (size_t i = 0; i < sim_config_nerrors(c); i++) about_list += strstr(sim_config_error_at(c, i), "uncertainty") != NULL;
    CHECK(!u && about_list == 1 && strstr(sim_config_error_at(c, 0), "\"a.z\" is not a key of the scenario"),
          "one message (%zu: %s)", about_list, sim_config_nerrors(c) ? sim_config_error_at(c, sim_config_nerrors(c) - 1) : "");
    sim_uncertainty_destroy(u);
    sim_config_destroy(c);
    c = sim_config_parse("a = { i = 2; };\nuncertainty = (\n  { sample = [\"a.i\"]; values = [1.0, 1e19]; source = \"x\"; }\n);\n",
                         "big.cfg", NULL);
    u = sim_uncertainty_read(c);
    CHECK(!u && sim_config_nerrors(c) && strstr(sim_config_error_at(c, 0), "row 2: 1e+19 for the integer setting a.i (allowed: whole numbers, |x| <= 2^53)"),
          "an integer beyond 2^53: %s", sim_config_nerrors(c) ? sim_config_error_at(c, 0) : "");
    sim_uncertainty_destroy(u);
    sim_config_destroy(c);
}

/* A block of normals is drawn from the joint normal truncated to the box: with
 * x, y ~ N(0, 1), correlation 0.9 and y >= 0, E[x] = 0.9 sqrt(2 / pi) = 0.718 (a
 * copula of the marginals would leave x's mean at 0); a box the joint normal
 * almost never reaches is an error (after 10^6 tries), not a silent bad draw. */
static void test_joint_truncation(void)
{
    static const char text[] =
        "a = { x = 0.0; y = 1.0; };\n"
        "uncertainty = (\n"
        "  { key = \"a.x\"; dist = \"normal\"; mean = 0.0; sd = 1.0; min = -5.0; max = 5.0; source = \"calibrated\"; },\n"
        "  { key = \"a.y\"; dist = \"normal\"; mean = 0.0; sd = 1.0; min = 0.0; max = 5.0; source = \"calibrated\"; },\n"
        "  { correlation = [\"a.x\", \"a.y\"]; matrix = [1.0, 0.9, 0.9, 1.0]; source = \"calibrated\"; }\n"
        ");\n";
    sim_config *c = sim_config_parse(text, "joint.cfg", NULL);
    sim_uncertainty *u = sim_uncertainty_read(c);
    CHECK(u != NULL, "read (%s)", sim_config_nerrors(c) ? sim_config_error_at(c, 0) : "");
    if (!u) { sim_config_destroy(c); return; }
    enum { N = 4000 };
    double v[2], sx = 0.0, ymin = 1.0;
    int ok = 1;
    for (uint32_t r = 0; r < N; r++) {
        ok &= sim_uncertainty_draw(u, 7, r, v) == 0;
        sx += v[0];
        ymin = v[1] < ymin ? v[1] : ymin;
    }
    CHECK(ok && ymin >= 0.0, "every draw inside the box (smallest y %g)", ymin);
    CHECK(fabs(sx / N - 0.9 * sqrt(2.0 / 3.14159265358979323846)) < 0.04, "E[x | y >= 0] = %.3f, the joint truncation's 0.718", sx / N);
    sim_uncertainty_destroy(u);
    sim_config_destroy(c);
    static const char far[] =
        "a = { x = 0.0; y = 1.0; };\n"
        "uncertainty = (\n"
        "  { key = \"a.x\"; dist = \"normal\"; mean = 0.0; sd = 1.0; min = 0.0; max = 1e-4; source = \"calibrated\"; },\n"
        "  { key = \"a.y\"; dist = \"normal\"; mean = 0.0; sd = 1.0; min = 0.0; max = 1e-4; source = \"calibrated\"; },\n"
        "  { correlation = [\"a.x\", \"a.y\"]; matrix = [1.0, 0.0, 0.0, 1.0]; source = \"calibrated\"; }\n"
        ");\n";
    c = sim_config_parse(far, "far.cfg", NULL);
    u = sim_uncertainty_read(c);
    CHECK(u && sim_uncertainty_draw(u, 7, 0, v) == -2, "a box the joint normal does not reach (about 1.6e-9 of it): -2");
    sim_uncertainty_destroy(u);
    sim_config_destroy(c);
}

/* Clopper-Pearson (sim compare's P(ALT better) interval): scipy's exact binomial
 * interval at a few points, and finite, ordered and at the 2.5% / 97.5% tails for
 * every m up to 1000 (GSL's own beta quantile gave NaN for most m above 260). */
static void test_clopper_pearson(void)
{
    static const struct { double x, m, lo, hi; } want[] = {
        {6, 6, 0.5407418735600995, 1.0}, {4, 6, 0.22277809550354957, 0.9567281317071105},
        {394, 400, 0.9676387055192373, 0.9944758904954196}, {941, 1000, 0.9245509269157591, 0.9547866455972034},
        {500, 1000, 0.46854917297179194, 0.531450827028208},
    };
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
        double lo, hi;
        sim_clopper_pearson(want[i].x, want[i].x, (size_t)want[i].m, &lo, &hi);
        CHECK(fabs(lo - want[i].lo) < 1e-9 && fabs(hi - want[i].hi) < 1e-9, "%g of %g: [%.12f, %.12f], scipy [%.12f, %.12f]",
              want[i].x, want[i].m, lo, hi, want[i].lo, want[i].hi);
    }
    int bad = 0;
    for (size_t m = 2; m <= 1000; m++) {
        const double xs[5] = {0, 1, (double)(m / 2), (double)(m - 1), (double)m};
        for (int k = 0; k < 5; k++) {
            double x = xs[k], lo, hi;
            sim_clopper_pearson(x, x, m, &lo, &hi);
            int ok = isfinite(lo) && isfinite(hi) && 0 <= lo && lo <= x / (double)m && x / (double)m <= hi && hi <= 1;
            ok = ok && (x == 0 || fabs(gsl_cdf_binomial_Q((unsigned)x - 1, lo, (unsigned)m) - 0.025) < 1e-9);
            ok = ok && (x == (double)m || fabs(gsl_cdf_binomial_P((unsigned)x, hi, (unsigned)m) - 0.025) < 1e-9);
            if (!ok && bad++ < 3) CHECK(0, "%g of %zu: [%g, %g] not a 95%% Clopper-Pearson interval", x, m, lo, hi);
        }
    }
    CHECK(bad == 0, "%d of the intervals for m = 2..1000 are not Clopper-Pearson's", bad);
}

/* P(ALT better) and its bounds print with 2 decimals, more where a share strictly
 * inside (0, 1) would read 0 or 1 (5 of 6: Clopper-Pearson's upper bound 0.9958). */
static void test_share_decimals(void)
{
    double lo, hi;
    sim_clopper_pearson(5, 5, 6, &lo, &hi);
    double cp[3] = {5.0 / 6.0, lo, hi}, plain[3] = {0.5, 0.2, 0.97}, ends[3] = {1.0, 0.54, 0.0};
    double low[2] = {0.0004, 0.5}, tiny[1] = {1e-9};
    CHECK(sim_share_decimals(2, cp, 3) == 3, "5 of 6 (upper bound %.4f): %d decimals, 3 expected", hi,
          sim_share_decimals(2, cp, 3));
    CHECK(sim_share_decimals(2, plain, 3) == 2, "shares that read as they are keep 2 decimals");
    CHECK(sim_share_decimals(2, ends, 3) == 2, "an exact 0 or 1 keeps 2 decimals");
    CHECK(sim_share_decimals(2, low, 2) == 4, "0.0004: 4 decimals, not 0.00 (got %d)", sim_share_decimals(2, low, 2));
    CHECK(sim_share_decimals(2, tiny, 1) == 6, "at most 6 decimals");
}

int main(void)
{
    test_share_decimals();
    test_quantiles();
    test_clopper_pearson();
    test_copula();
    test_joint_truncation();
    test_sample();
    test_mixed();
    bad("{ key = \"a.u\"; dist = \"uniform\"; min = 3.0; max = 1.0; source = \"x\"; }", "min 3 is not below max 1");
    bad("{ key = \"a.u\"; dist = \"normal\"; mean = 9.0; sd = 1.0; min = 0.0; max = 2.0; source = \"x\"; }", "mean 9 is outside the truncation");
    bad("{ key = \"a.u\"; dist = \"normal\"; mean = 1.0; sd = -1.0; min = 0.0; max = 2.0; source = \"x\"; }", "out of range");
    bad("{ key = \"a.u\"; dist = \"loguniform\"; min = -1.0; max = 2.0; source = \"x\"; }", "needs 0 < min < max");
    bad("{ key = \"a.z\"; dist = \"uniform\"; min = 0.0; max = 2.0; source = \"x\"; }", "\"a.z\" is not a key of the scenario");
    bad("{ key = \"a\"; dist = \"uniform\"; min = 0.0; max = 2.0; source = \"x\"; }", "\"a\" is not a number in the scenario");
    bad("{ key = \"a.u\"; dist = \"uniform\"; min = 0.0; max = 2.0; source = \"\"; }", "empty source");
    bad("{ key = \"a.u\"; dist = \"triangular\"; min = 0.0; max = 2.0; source = \"x\"; }", "mode");
    bad("{ key = \"a.u\"; dist = \"uniform\"; min = 0.0; max = 2.0; sd = 1.0; source = \"x\"; }", "sd is not an argument of dist \"uniform\"");
    const char *x = "{ key = \"a.u\"; dist = \"uniform\"; min = 0.0; max = 2.0; source = \"x\"; }, "
                    "{ key = \"a.v\"; dist = \"uniform\"; min = 0.0; max = 2.0; source = \"x\"; }, ";
    char e[512];
    snprintf(e, sizeof e, "%s{ correlation = [\"a.u\", \"a.w\"]; matrix = [1.0, 0.5, 0.5, 1.0]; source = \"x\"; }", x);
    bad(e, "a.w is not declared in this uncertainty list");
    snprintf(e, sizeof e, "%s{ correlation = [\"a.u\"]; matrix = [1.0]; source = \"x\"; }", x);
    bad(e, "1 keys (allowed: 2 or more");
    snprintf(e, sizeof e, "%s{ correlation = [\"a.u\", \"a.v\"]; matrix = [1.0, 0.5, 1.0]; source = \"x\"; }", x);
    bad(e, "3 numbers for 2 parameters (allowed: 4");
    snprintf(e, sizeof e, "%s{ correlation = [\"a.u\", \"a.v\"]; matrix = [1.0, 0.5, 0.4, 1.0]; source = \"x\"; }", x);
    bad(e, "entry (2, 1) = 0.4 (allowed: a correlation matrix");
    snprintf(e, sizeof e, "%s{ correlation = [\"a.u\", \"a.v\"]; matrix = [0.9, 0.5, 0.5, 1.0]; source = \"x\"; }", x);
    bad(e, "entry (1, 1) = 0.9");
    snprintf(e, sizeof e, "%s{ correlation = [\"a.u\", \"a.v\"]; matrix = [1.0, 1.0, 1.0, 1.0]; source = \"x\"; }", x);
    bad(e, "not positive definite");
    snprintf(e, sizeof e, "%s{ correlation = [\"a.u\", \"a.v\"]; matrix = [1.0, 0.1, 0.1, 1.0]; source = \"x\"; }, "
             "{ correlation = [\"a.v\", \"a.u\"]; matrix = [1.0, 0.1, 0.1, 1.0]; source = \"x\"; }", x);
    bad(e, "a.v is in two correlation blocks");
    snprintf(e, sizeof e, "%s{ correlation = [\"a.u\", \"a.u\"]; matrix = [1.0, 0.1, 0.1, 1.0]; source = \"x\"; }", x);
    bad(e, "a.u is listed twice in this block");
    bad("{ sample = [\"a.u\", \"a.v\"]; values = [1.0, 2.0, 3.0]; source = \"x\"; }", "3 numbers for 2 keys (allowed: rows of 2");
    bad("{ sample = [\"a.u\", \"a.v\"]; values = []; source = \"x\"; }", "0 numbers for 2 keys");
    bad("{ sample = [\"a.u\"]; values = [1.0, 2.0]; weights = [1.0]; source = \"x\"; }", "1 weights for 2 rows");
    bad("{ sample = [\"a.u\"]; values = [1.0, 2.0]; weights = [1.0, -1.0]; source = \"x\"; }", "out of range");
    bad("{ sample = [\"a.u\"]; values = [1.0, 2.0]; weights = [0.0, 0.0]; source = \"x\"; }", "the weights sum to 0");
    bad("{ sample = [\"a.z\"]; values = [1.0]; source = \"x\"; }", "\"a.z\" is not a key of the scenario");
    snprintf(e, sizeof e, "%s{ sample = []; values = [1.0]; source = \"x\"; }", x);
    bad(e, "0 keys (allowed: 1 or more");
    bad("{ sample = [\"a.u\"]; values = [1.0]; source = \"\"; }", "empty source");
    bad("{ key = \"a.u\"; dist = \"sample\"; min = 0.0; max = 2.0; source = \"x\"; }", "allowed");
    snprintf(e, sizeof e, "{ sample = [\"a.u\", \"a.v\"]; values = [1.0, 2.0]; source = \"x\"; }, "
             "{ key = \"a.u\"; dist = \"uniform\"; min = 0.0; max = 2.0; source = \"x\"; }");
    bad(e, "a.u is declared twice");
    snprintf(e, sizeof e, "{ sample = [\"a.u\", \"a.v\"]; values = [1.0, 2.0]; source = \"x\"; }, "
             "{ key = \"a.w\"; dist = \"uniform\"; min = 0.0; max = 2.0; source = \"x\"; }, "
             "{ correlation = [\"a.w\", \"a.u\"]; matrix = [1.0, 0.1, 0.1, 1.0]; source = \"x\"; }");
    bad(e, "a.u is drawn from a sample entry");
    snprintf(e, sizeof e, "{ sample = [\"a.u\", \"a.v\"]; values = [1.0, 2.0]; source = \"x\"; }, "
             "{ sample = [\"a.w\", \"a.u\"]; values = [1.0, 2.0]; source = \"x\"; }");
    bad(e, "a.u is declared twice");
    bad("{ sample = [\"a.u\"]; values = [1.0, 2.0]; weights = [1e308, 1e308]; source = \"x\"; }", "the weights sum to inf");
    bad("{ sample = [\"a.u\"]; key = \"a.v\"; values = [1.0]; source = \"x\"; }", "key is not part of a sample entry");
    test_one_mistake_one_message();
    return check_summary();
}
