/* test_config.c: scenario loading. Every class of user error must give a
 * message "file:line: key: what is wrong (allowed: ...)" that points at the
 * right file and line even through nested @includes; overrides, the resolved
 * text and calendar dates are checked as well. Files live in a mkdtemp dir. */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../sim/io/config.h"
#include "check.h"

static char tmpdir[] = "/tmp/sim-test-config-XXXXXX";

/* Write `text` (len bytes, or strlen when len is 0) to tmpdir/rel; returns the full path (static). */
static const char *write_file_n(const char *rel, const char *text, size_t len)
{
    static char path[4][1024];
    static int slot;
    char *p = path[slot++ % 4];
    snprintf(p, 1024, "%s/%s", tmpdir, rel);
    for (char *s = strchr(p + strlen(tmpdir) + 1, '/'); s; s = strchr(s + 1, '/')) {
        *s = '\0';
        mkdir(p, 0755);
        *s = '/';
    }
    FILE *f = fopen(p, "wb");
    if (!f) { printf("cannot write %s\n", p); exit(1); }
    fwrite(text, 1, len ? len : strlen(text), f);
    fclose(f);
    return p;
}
static const char *write_file(const char *rel, const char *text) { return write_file_n(rel, text, 0); }

/* Index of the first error containing every needle (NULL-terminated), or -1. */
static int find_error(const sim_config *c, ...)
{
    for (size_t i = 0; i < sim_config_nerrors(c); i++) {
        const char *e = sim_config_error_at(c, i);
        va_list ap;
        va_start(ap, c);
        int all = 1;
        for (const char *n; (n = va_arg(ap, const char *)) != NULL;)
            if (!strstr(e, n)) all = 0;
        va_end(ap);
        if (all) return (int)i;
    }
    return -1;
}

static void dump_errors(const sim_config *c, const char *label)
{
    if (sim_config_nerrors(c) == 0) return;
    printf("  [%s] %zu problem(s):\n", label, sim_config_nerrors(c));
    for (size_t i = 0; i < sim_config_nerrors(c); i++) printf("    %s\n", sim_config_error_at(c, i));
}

/* "<path>:<line>: " as the start of error i. */
static int starts_at(const sim_config *c, int i, const char *file, int line)
{
    if (i < 0) return 0;
    char prefix[1200];
    snprintf(prefix, sizeof prefix, "%s:%d: ", file, line);
    return strncmp(sim_config_error_at(c, (size_t)i), prefix, strlen(prefix)) == 0;
}

/* `prefix` as the start of error i. */
static int starts_with(const sim_config *c, int i, const char *prefix)
{
    return i >= 0 && strncmp(sim_config_error_at(c, (size_t)i), prefix, strlen(prefix)) == 0;
}

#define ERR(c, ...) find_error(c, __VA_ARGS__, (const char *)NULL)

/* ------------------------------------------------------------ syntax -- */

static void test_syntax_line_mapping(void)
{
    write_file("syn/inc/multi.cfg",
               "# an included file of several lines\n"
               "i1 = 1;\n"
               "i2 = {\n"
               "  x = 2;\n"
               "};\n"
               "i3 = \"three\";\n");
    const char *main_cfg = write_file("syn/main.cfg",
                                      "# line 1\n"
                                      "a = 1;\n"
                                      "@include \"inc/multi.cfg\"\n"
                                      "b = 2;\n"
                                      "c = ;\n"
                                      "d = 4;\n");
    sim_config *c = sim_config_load(main_cfg);
    int i = ERR(c, "syntax error");
    CHECK(sim_config_nerrors(c) == 1 && starts_at(c, i, main_cfg, 5),
          "syntax error after a 6-line include maps to main.cfg:5");
    dump_errors(c, "syntax after include");
    sim_config_destroy(c);

    /* the error inside the included file maps to that file and line */
    write_file("syn/inc/bad.cfg", "ok1 = 1;\nok2 = 2;\n\nbroken = [1, 2;\nok3 = 3;\n");
    const char *m2 = write_file("syn/main2.cfg", "a = 1;\nb = 2;\n@include \"inc/bad.cfg\"\nz = 9;\n");
    c = sim_config_load(m2);
    i = ERR(c, "syntax error");
    CHECK(i >= 0 && strstr(sim_config_error_at(c, (size_t)i), "bad.cfg:4: "),
          "syntax error inside an include maps to bad.cfg:4: %s", i >= 0 ? sim_config_error_at(c, (size_t)i) : "none");
    sim_config_destroy(c);

    /* an included file without a final newline, then an error in the includer */
    write_file("syn/inc/nonl.cfg", "n1 = 1;\nn2 = 2;");
    const char *m3 = write_file("syn/main3.cfg", "@include \"inc/nonl.cfg\"\nok = 1;\nbad = ;\n");
    c = sim_config_load(m3);
    i = ERR(c, "syntax error");
    CHECK(starts_at(c, i, m3, 3), "include without final newline: error still at main3.cfg:3");
    sim_config_destroy(c);

    /* in-memory text: the name given stands for the file */
    c = sim_config_parse("x = 1;\ny = ;\nz = 3;\n", "memory.cfg", NULL);
    i = ERR(c, "syntax error");
    CHECK(starts_at(c, i, "memory.cfg", 2),
          "syntax error in parsed text names memory.cfg and its line");
    /* readers on an unparsed config do not crash and add nothing */
    size_t before = sim_config_nerrors(c);
    CHECK(sim_cfg_real(c, NULL, "x", 0, 10) == 0 && sim_cfg_lookup(c, NULL, "x") == NULL,
          "readers on a failed parse return the fallback");
    CHECK(sim_config_nerrors(c) == before, "and record no extra errors");
    sim_config_destroy(c);

    /* a malformed include directive */
    c = sim_config_parse("a = 1;\n@include inc/multi.cfg\n", "malformed.cfg", tmpdir);
    i = ERR(c, "malformed @include");
    CHECK(starts_at(c, i, "malformed.cfg", 2), "malformed @include at line 2");
    sim_config_destroy(c);
}

/* ------------------------------------------------------------ includes -- */

static void test_includes(void)
{
    /* missing include */
    const char *m = write_file("inc1/main.cfg", "a = 1;\n@include \"nothere.cfg\"\n");
    sim_config *c = sim_config_load(m);
    int i = ERR(c, "nothere.cfg", "cannot read");
    CHECK(starts_at(c, i, m, 2), "missing include reported at main.cfg:2");
    dump_errors(c, "missing include");
    sim_config_destroy(c);

    /* self include, two-file cycle */
    m = write_file("cyc/self.cfg", "a = 1;\n\n@include \"self.cfg\"\n");
    c = sim_config_load(m);
    i = ERR(c, "cycle");
    CHECK(i >= 0 && strstr(sim_config_error_at(c, (size_t)i), "self.cfg:3: "),
          "self include: cycle at self.cfg:3");
    dump_errors(c, "self include");
    sim_config_destroy(c);
    write_file("cyc/b.cfg", "b = 1;\n@include \"a.cfg\"\n");
    m = write_file("cyc/a.cfg", "@include \"b.cfg\"\na = 2;\n");
    c = sim_config_load(m);
    i = ERR(c, "cycle");
    CHECK(i >= 0 && sim_config_nerrors(c) >= 1, "a -> b -> a: cycle reported");
    CHECK(i >= 0 && (strstr(sim_config_error_at(c, (size_t)i), "b.cfg:2: ")
                     || strstr(sim_config_error_at(c, (size_t)i), "a.cfg:1: ")),
          "cycle reported at the @include line: %s", i >= 0 ? sim_config_error_at(c, (size_t)i) : "none");
    sim_config_destroy(c);

    /* relative to the including file's directory, nested; decoys at the top */
    write_file("rel/b.cfg", "from_b = \"decoy\";\n");
    write_file("rel/d.cfg", "from_d = \"decoy\";\n");
    write_file("rel/sub/b.cfg", "from_b = \"sub\";\n");
    write_file("rel/sub/d.cfg", "# d\nfrom_d = \"sub\";\n");
    write_file("rel/sub/deep/c.cfg", "from_c = 3;\n@include \"../d.cfg\"\nstray = 1;\n");
    write_file("rel/sub/a.cfg", "from_a = 1;\n@include \"b.cfg\"\n@include \"deep/c.cfg\"\n");
    m = write_file("rel/main.cfg", "top = 0;\n@include \"sub/a.cfg\"\nlast = 9;\n");
    c = sim_config_load(m);
    CHECK(sim_config_nerrors(c) == 0, "nested relative includes load");
    dump_errors(c, "nested includes");
    CHECK(strcmp(sim_cfg_string(c, NULL, "from_b"), "sub") == 0, "sub/a.cfg's \"b.cfg\" is sub/b.cfg");
    CHECK(strcmp(sim_cfg_string(c, NULL, "from_d"), "sub") == 0, "sub/deep/c.cfg's \"../d.cfg\" is sub/d.cfg");
    CHECK(sim_cfg_int(c, NULL, "from_c", 0, 10) == 3 && sim_cfg_int(c, NULL, "from_a", 0, 10) == 1
              && sim_cfg_int(c, NULL, "top", 0, 10) == 0 && sim_cfg_int(c, NULL, "last", 0, 10) == 9,
          "values from every level");
    sim_config_check_unused(c);
    i = ERR(c, "stray", "unknown key");
    CHECK(i >= 0 && strstr(sim_config_error_at(c, (size_t)i), "deep/c.cfg:3: stray: "),
          "unknown key in a nested include maps to deep/c.cfg:3: %s", i >= 0 ? sim_config_error_at(c, (size_t)i) : "none");
    CHECK(sim_config_nerrors(c) == 1, "only the stray key is unknown (%zu problems)", sim_config_nerrors(c));
    /* last = 9 sits on main.cfg:3 after 6 included lines */
    sim_config_error(c, sim_cfg_lookup(c, NULL, "last"), "custom problem");
    i = ERR(c, "custom problem");
    CHECK(starts_at(c, i, m, 3), "a setting after includes maps to main.cfg:3");
    sim_config_destroy(c);

    /* parse with an include directory */
    char dir[1100];
    snprintf(dir, sizeof dir, "%s/rel", tmpdir);
    c = sim_config_parse("@include \"sub/a.cfg\"\n", "virtual.cfg", dir);
    CHECK(sim_config_nerrors(c) == 0 && strcmp(sim_cfg_string(c, NULL, "from_d"), "sub") == 0,
          "sim_config_parse resolves includes against dir");
    sim_config_destroy(c);
}

/* ------------------------------------------------------------ readers -- */

static const char *const detail_names[] = {"summary", "series", "events"};

static void test_reader_errors(void)
{
    const char *text =
        "model = \"mm1\";\n"                        /* 1 */
        "rate = \"fast\";\n"                        /* 2 */
        "share = 1.5;\n"                            /* 3 */
        "count = 2000;\n"                           /* 4 */
        "output = { detail = \"everything\"; };\n"  /* 5 */
        "start = \"2019-02-29\";\n"                 /* 6 */
        "later = \"2030-01-01\";\n"                 /* 7 */
        "whole = 1;\n"                              /* 8 */
        "real_as_int = 2.5;\n"                      /* 9 */
        "flag = 1;\n"                               /* 10 */
        "g = { a = 1; b = 2;\n"                     /* 11 */
        "      sub = { x = 1; }; };\n"              /* 12 */
        "good_date = \"2020-03-15\";\n"             /* 13 */
        "list = ( 1, 2, 3 );\n";                    /* 14 */
    sim_config *c = sim_config_parse(text, "r.cfg", NULL);
    CHECK(sim_config_nerrors(c) == 0, "the reader scenario parses");

    CHECK(sim_cfg_real(c, NULL, "rate", 0.0, 10.0) == 0.0, "wrong type returns the fallback");
    int i = ERR(c, "rate", "expected a number", "string");
    CHECK(starts_at(c, i, "r.cfg", 2), "wrong type: r.cfg:2: rate: expected a number, got a string");

    sim_cfg_real(c, NULL, "share", 0.0, 1.0);
    i = ERR(c, "share", "1.5", "out of range", "allowed: 0 to 1");
    CHECK(starts_at(c, i, "r.cfg", 3), "out-of-range real with the allowed range");
    CHECK(sim_cfg_int(c, NULL, "count", 1, 1000) == 1, "out-of-range int returns lo");
    i = ERR(c, "count", "2000", "allowed: 1 to 1000");
    CHECK(starts_at(c, i, "r.cfg", 4), "out-of-range int with the allowed range");

    sim_node *o = sim_cfg_group(c, NULL, "output");
    CHECK(sim_cfg_enum(c, o, "detail", detail_names, 3) == 0, "bad enum returns 0");
    i = ERR(c, "output.detail", "everything", "allowed: summary, series, events");
    CHECK(starts_at(c, i, "r.cfg", 5), "unknown enum value lists the allowed values");

    sim_cfg_date(c, NULL, "start", 0, 3650);
    i = ERR(c, "start", "2019-02-29", "not a valid date", "YYYY-MM-DD");
    CHECK(starts_at(c, i, "r.cfg", 6), "invalid date");
    sim_cfg_date(c, NULL, "later", 0, 3650);
    i = ERR(c, "later", "out of range", "allowed: 2019-01-01 to 2028-12-29");
    CHECK(starts_at(c, i, "r.cfg", 7), "date out of range with the allowed dates");
    CHECK(sim_cfg_date(c, NULL, "good_date", 0, 3650) == 439.0, "2020-03-15 is day 439 after 2019-01-01");
    CHECK(sim_config_set_origin(c, "2020-01-01") == 0 && sim_cfg_date(c, NULL, "good_date", 0, 3650) == 74.0,
          "with origin 2020-01-01 it is day 74");
    CHECK(sim_config_set_origin(c, "2020-13-01") == -1, "an invalid origin is refused");

    /* autoconvert: an integer reads as a real; a real is not an integer */
    CHECK(sim_cfg_real(c, NULL, "whole", 0, 10) == 1.0, "integer literal reads as a real");
    sim_cfg_int(c, NULL, "real_as_int", 0, 10);
    i = ERR(c, "real_as_int", "expected an integer", "number");
    CHECK(starts_at(c, i, "r.cfg", 9), "a real where an integer is wanted");
    sim_cfg_bool(c, NULL, "flag");
    i = ERR(c, "flag", "expected true or false", "integer");
    CHECK(starts_at(c, i, "r.cfg", 10), "an integer where a boolean is wanted");
    CHECK(sim_cfg_group(c, NULL, "model") == NULL && ERR(c, "model", "expected a group") >= 0,
          "a string where a group is wanted");
    int n = -1;
    CHECK(sim_cfg_list(c, NULL, "list", &n) != NULL && n == 3, "a list of 3 (n=%d)", n);
    CHECK(sim_cfg_list(c, NULL, "output", &n) == NULL && n == 0, "a group is not a list");
    CHECK(strcmp(sim_cfg_string(c, NULL, "model"), "mm1") == 0, "string reader");
    sim_cfg_real(c, NULL, "absent", 0, 1);
    CHECK(ERR(c, "absent", "missing key", "expected a number") >= 0, "missing top-level key");
    sim_node *g = sim_cfg_group(c, NULL, "g");
    sim_cfg_int(c, g, "nothere", 0, 1);
    i = ERR(c, "g", "missing key 'nothere'");
    CHECK(starts_at(c, i, "r.cfg", 11), "missing key inside a group points at the group");

    /* unknown keys: read only some of g */
    size_t before = sim_config_nerrors(c);
    CHECK(sim_cfg_int(c, g, "a", 0, 5) == 1, "g.a");
    sim_config_check_unused(c);
    CHECK(sim_config_nerrors(c) == before + 2, "two unknown keys (g.b, g.sub as one), got %zu",
          sim_config_nerrors(c) - before);
    i = ERR(c, "g.b", "unknown key");
    CHECK(starts_at(c, i, "r.cfg", 11), "unknown key g.b at r.cfg:11");
    i = ERR(c, "g.sub", "unknown key");
    CHECK(starts_at(c, i, "r.cfg", 12), "unknown group g.sub reported once at r.cfg:12");
    CHECK(ERR(c, "g.sub.x") < 0, "not again for its member");
    dump_errors(c, "readers");
    sim_config_destroy(c);

    /* check_unused finds nothing once everything was read */
    c = sim_config_parse("a = 1;\ng = { b = [1.0, 2.0]; c = { d = true; }; };\n", "all.cfg", NULL);
    sim_cfg_int(c, NULL, "a", 0, 1);
    g = sim_cfg_group(c, NULL, "g");
    sim_cfg_list(c, g, "b", &n);
    sim_cfg_bool(c, sim_cfg_group(c, g, "c"), "d");
    sim_config_check_unused(c);
    CHECK(sim_config_nerrors(c) == 0, "no unknown keys when all were read");
    dump_errors(c, "all read");
    char buf[64];
    sim_node *b1 = sim_cfg_elem(sim_cfg_lookup(c, g, "b"), 1);
    CHECK(b1 && strcmp(sim_config_path(b1, buf, sizeof buf), "g.b.[1]") == 0, "path of an element: %s", buf);
    sim_config_destroy(c);
}

/* ------------------------------------------------------- int literals -- */

static void test_int_literals(void)
{
    sim_config *c = sim_config_parse("x = 1;\nseed = 3000000000;\n", "seed.cfg", NULL);
    int i = ERR(c, "seed", "32 bits", "L");
    CHECK(starts_at(c, i, "seed.cfg", 2), "seed 3000000000 without L is rejected at seed.cfg:2");
    dump_errors(c, "seed no L");
    sim_config_destroy(c);

    c = sim_config_parse("x = 1;\nseed = 4294967297;\n", "wrap.cfg", NULL);
    CHECK(ERR(c, "seed", "32 bits") >= 0, "2^32+1 (which wraps to 1) is rejected");
    sim_config_destroy(c);
    c = sim_config_parse("g = { n = -3000000000; };\n", "neg.cfg", NULL);
    CHECK(ERR(c, "g.n", "32 bits") >= 0, "-3000000000 without L is rejected");
    sim_config_destroy(c);

    c = sim_config_parse("x = 1;\nseed = 3000000000L;\nbig = 2147483647;\nsmall = -2147483648;\n",
                         "seedL.cfg", NULL);
    CHECK(sim_config_nerrors(c) == 0, "3000000000L and the 32-bit extremes are accepted");
    dump_errors(c, "seed L");
    CHECK(sim_cfg_int(c, NULL, "seed", 0, INT64_MAX) == 3000000000LL, "seed reads as 3000000000");
    CHECK(sim_cfg_int(c, NULL, "big", 0, INT64_MAX) == 2147483647LL, "2^31-1 reads back");
    CHECK(sim_cfg_int(c, NULL, "small", INT64_MIN, 0) == -2147483648LL, "-2^31 reads back");
    sim_config_destroy(c);
}

/* -------------------------------------------------------- bad files -- */

static void test_bad_files(void)
{
    const char junk[] = "a = 1;\nb = \0\0\x01\x02 2;\n";
    const char *p = write_file_n("junk.cfg", junk, sizeof junk - 1);
    sim_config *c = sim_config_load(p);
    int i = ERR(c, "NUL");
    CHECK(i >= 0 && strncmp(sim_config_error_at(c, (size_t)i), p, strlen(p)) == 0
              && sim_config_error_at(c, (size_t)i)[strlen(p)] == ':',
          "binary junk rejected with the file name");
    CHECK(sim_cfg_lookup(c, NULL, "a") == NULL, "and nothing is parsed from it");
    sim_config_destroy(c);

    write_file_n("inc_junk.cfg", "x\0y", 3);
    p = write_file("incl_junk.cfg", "a = 1;\n@include \"inc_junk.cfg\"\n");
    c = sim_config_load(p);
    i = ERR(c, "inc_junk.cfg", "NUL");
    CHECK(starts_at(c, i, p, 2), "an included binary file is reported at the @include line");
    sim_config_destroy(c);

    p = write_file_n("empty.cfg", "", 0);
    FILE *f = fopen(p, "w");   /* truncate to zero bytes */
    fclose(f);
    c = sim_config_load(p);
    CHECK(sim_config_nerrors(c) == 0, "an empty file parses (to nothing)");
    sim_cfg_string(c, NULL, "model");
    i = ERR(c, "model", "missing key");
    CHECK(i >= 0 && strncmp(sim_config_error_at(c, (size_t)i), p, strlen(p)) == 0,
          "reading from an empty file reports missing keys with the file name");
    sim_config_destroy(c);

    char missing[1200];
    snprintf(missing, sizeof missing, "%s/does-not-exist.cfg", tmpdir);
    c = sim_config_load(missing);
    i = ERR(c, "does-not-exist.cfg", "cannot read");
    CHECK(i >= 0 && strncmp(sim_config_error_at(c, (size_t)i), missing, strlen(missing)) == 0,
          "a missing scenario names the file");
    CHECK(strcmp(sim_config_file(c), missing) == 0, "sim_config_file returns the name");
    sim_config_destroy(c);
    sim_config_destroy(NULL);
}

/* A key set twice: libconfig says only "duplicate setting name"; the message names
 * the key, where it was first set and how to change a value an included file sets. */
static void test_duplicate_keys(void)
{
    write_file("dup/base.cfg", "model = \"mm1\";\nreplications = 4;\nmm1 = {\n  customers = 10;\n};\n");
    const char *top = write_file("dup/top.cfg", "# an overlay\n@include \"base.cfg\"\nreplications = 0;\n");
    sim_config *c = sim_config_load(top);
    int i = ERR(c, "replications: already set at", "dup/base.cfg:2",
                "overrides = ( { key = \"replications\"; value = ...; } );", "--set replications=...");
    CHECK(starts_at(c, i, top, 3) && sim_config_nerrors(c) == 1,
          "an overlay setting a key its include sets: named, with where and how to change it");
    dump_errors(c, "duplicate (expected)");
    sim_config_destroy(c);

    top = write_file("dup/group.cfg", "@include \"base.cfg\"\n\nmm1 = { customers = 5; };\n");
    c = sim_config_load(top);
    i = ERR(c, "mm1: already set at", "key = \"mm1.KEY\"", "--set mm1.KEY=...");
    CHECK(starts_at(c, i, top, 3), "a group set twice: the hint names a key inside it");
    sim_config_destroy(c);

    top = write_file("dup/twice.cfg", "@include \"base.cfg\"\n@include \"base.cfg\"\n");
    c = sim_config_load(top);
    CHECK(ERR(c, "base.cfg:1: model: set twice: the file is included twice") >= 0, "a file included twice");
    sim_config_destroy(c);

    c = sim_config_parse("s = \"b = 1; # b = 2\"; # b = 3\n"
                         "l = ( { a = 1; n = 1.5e-3; }, { a = 1; } );\n"
                         "g = { h = { b = 1; }; };\n"
                         "b = [1, -2]; /* b = 4 */\n"
                         "x = 0x1F; b = 2;\n",
                         "one.cfg", NULL);
    i = ERR(c, "b: already set at line 4 of this file (allowed: each key once; delete one)");
    CHECK(starts_at(c, i, "one.cfg", 5), "the first repeat in one file, past strings, comments, numbers and "
          "same names in other groups: %s", sim_config_nerrors(c) ? sim_config_error_at(c, 0) : "none");
    sim_config_destroy(c);

    c = sim_config_parse("l = ( 1, { a = 1; }, { a = 2;\n a = 3; } );\n", "list.cfg", NULL);
    CHECK(starts_at(c, ERR(c, "l.[2].a: already set at line 1 of this file"), "list.cfg", 2),
          "a repeat inside a list element names the element: %s", sim_config_nerrors(c) ? sim_config_error_at(c, 0) : "none");
    sim_config_destroy(c);
}

/* ------------------------------------------------------------ overrides -- */

static const char *const base_text =
    "model = \"mm1\";\n"
    "seed = 20190101L;\n"
    "name = \"base\";\n"
    "flag = false;\n"
    "weights = [1.0, 2.0];\n"
    "counts = [1, 2, 3];\n"
    "mm1 = {\n"
    "  arrival_rate = 0.9;\n"
    "  customers = 1000000;\n"
    "};\n";

static void sum_numbers(const char *path, double v, void *user)
{
    double *acc = user;
    if (strcmp(path, "mm1.arrival_rate") == 0) acc[0] = v;
    if (strcmp(path, "counts.[2]") == 0) acc[1] = v;
    if (strcmp(path, "flag") == 0) acc[2] = v;
    acc[3] += 1;
}

static void test_overrides(void)
{
    sim_config *c = sim_config_parse(base_text, "o.cfg", NULL);
    CHECK(sim_config_override(c, "mm1.customers=20000") == 0, "int override");
    CHECK(sim_config_override(c, "mm1.arrival_rate=0.5") == 0, "float override");
    CHECK(sim_config_override(c, "name=\"policy\"") == 0, "string override");
    CHECK(sim_config_override(c, "flag=true") == 0, "bool override");
    CHECK(sim_config_override(c, "weights=[0.25, 0.5, 0.75]") == 0, "float array override (new length)");
    CHECK(sim_config_override(c, "counts=[7, 8]") == 0, "int array override");
    CHECK(sim_config_override(c, "seed=3000000000L") == 0, "64-bit override");
    CHECK(sim_config_nerrors(c) == 0, "no errors from good overrides");
    dump_errors(c, "good overrides");
    sim_node *g = sim_cfg_group(c, NULL, "mm1");
    CHECK(sim_cfg_int(c, g, "customers", 1, 2000000000) == 20000, "customers now 20000");
    CHECK(sim_cfg_real(c, g, "arrival_rate", 0, 10) == 0.5, "arrival_rate now 0.5");
    CHECK(strcmp(sim_cfg_string(c, NULL, "name"), "policy") == 0, "name now policy");
    CHECK(sim_cfg_bool(c, NULL, "flag") == 1, "flag now true");
    CHECK(sim_cfg_int(c, NULL, "seed", 0, INT64_MAX) == 3000000000LL, "seed now 3000000000");
    int n = 0;
    sim_node *w = sim_cfg_list(c, NULL, "weights", &n);
    CHECK(n == 3 && sim_cfg_real(c, sim_cfg_elem(w, 2), NULL, 0, 1) == 0.75, "weights now 3 long (%d)", n);
    sim_node *k = sim_cfg_list(c, NULL, "counts", &n);
    CHECK(n == 2 && sim_cfg_int(c, sim_cfg_elem(k, 0), NULL, 0, 100) == 7, "counts now [7, 8] (%d)", n);
    CHECK(sim_config_override(c, "mm1.arrival_rate=1") == 0
              && sim_cfg_real(c, g, "arrival_rate", 0, 10) == 1.0, "an integer may set a float");
    CHECK(sim_config_override(c, "weights=[1, 2]") == 0, "an integer array may set a float array");
    CHECK(sim_config_nerrors(c) == 0, "still no errors");

    char *text = sim_config_resolved_text(c);
    CHECK(text && strstr(text, "customers = 20000") && !strstr(text, "1000000"),
          "resolved text has the overridden customers");
    CHECK(text && strstr(text, "\"policy\"") && strstr(text, "true") && strstr(text, "3000000000L"),
          "resolved text has the string, bool and 64-bit overrides:\n%s", text ? text : "(null)");
    free(text);
    double acc[4] = {0, 0, -1, 0};
    sim_config_each_number(c, sum_numbers, acc);
    CHECK(acc[0] == 1.0 && acc[2] == 1.0, "each_number sees overridden values (%g, %g)", acc[0], acc[2]);
    CHECK(acc[1] == 0.0 && acc[3] == 8.0, "each_number visits 8 scalars (%g)", acc[3]);

    /* errors */
    size_t before = sim_config_nerrors(c);
    CHECK(sim_config_override(c, "mm1.nope=1") == -1, "unknown key refused");
    int i = ERR(c, "--set", "mm1.nope", "unknown key");
    CHECK(i >= 0, "unknown override key message");
    CHECK(sim_config_override(c, "mm1.customers=0.5") == -1, "float into int refused");
    CHECK(ERR(c, "--set", "mm1.customers", "number", "integer") >= 0, "wrong type message names both types");
    CHECK(sim_config_override(c, "mm1.customers=\"many\"") == -1, "string into int refused");
    CHECK(sim_config_override(c, "flag=1") == -1, "int into bool refused");
    CHECK(sim_config_override(c, "name=42") == -1, "int into string refused");
    CHECK(sim_config_override(c, "name=unquoted") == -1, "unparseable value refused");
    CHECK(sim_config_override(c, "weights=[\"a\"]") == -1, "string array into float array refused");
    CHECK(sim_config_override(c, "weights=3.0") == -1, "scalar into array refused");
    CHECK(sim_config_override(c, "mm1=1") == -1, "scalar into group refused");
    CHECK(sim_config_override(c, "mm1.arrival_rate") == -1, "missing '=' refused");
    CHECK(sim_config_override(c, "=5") == -1, "missing key refused");
    CHECK(sim_config_override(c, "mm1.arrival_rate=") == -1, "missing value refused");
    CHECK(sim_config_nerrors(c) == before + 12, "one message per bad override (%zu)",
          sim_config_nerrors(c) - before);
    /* the wording: what the value is not, and what the scenario has */
    i = ERR(c, "mm1.customers: '0.5'");
    CHECK(i >= 0 && !strcmp(sim_config_error_at(c, (size_t)i),
                            "command line (--set): mm1.customers: '0.5' is a number, not an integer (the scenario has an integer here)"),
          "a value of another type: %s", i >= 0 ? sim_config_error_at(c, (size_t)i) : "none");
    i = ERR(c, "flag: '1'");
    CHECK(i >= 0 && strstr(sim_config_error_at(c, (size_t)i), "flag: '1' is an integer, not true or false (the scenario has a boolean here)"),
          "a boolean names true or false: %s", i >= 0 ? sim_config_error_at(c, (size_t)i) : "none");
    i = ERR(c, "weights: '[\"a\"]'");
    CHECK(i >= 0 && strstr(sim_config_error_at(c, (size_t)i), "is an array [ ] of strings, not an array [ ] of numbers"),
          "arrays name their element type: %s", i >= 0 ? sim_config_error_at(c, (size_t)i) : "none");
    CHECK(sim_config_override(c, "mm1.arrival_rate=abc") == -1, "a word into a number refused");
    i = ERR(c, "'abc'");
    CHECK(i >= 0 && !strcmp(sim_config_error_at(c, (size_t)i),
                            "command line (--set): mm1.arrival_rate: 'abc' is not a number (the scenario has a number here)"),
          "a value that is no value: %s", i >= 0 ? sim_config_error_at(c, (size_t)i) : "none");
    CHECK(sim_config_override(c, "mm1.arrival_rate=1; seed=2") == -1
              && ERR(c, "'1; seed=2' is not a number", "; one key=value per --set") >= 0, "two assignments in one --set");
    CHECK(ERR(c, "name: 'unquoted' is not a string", "--set 'name=\"...\"'") >= 0, "a bare string: how to quote it");
    CHECK(sim_cfg_real(c, g, "arrival_rate", 0, 10) == 1.0
              && sim_cfg_int(c, g, "customers", 1, 2000000000) == 20000,
          "failed overrides leave values alone");
    dump_errors(c, "bad overrides (expected)");
    sim_config_destroy(c);

    /* override then unknown-key check: an overridden key counts as present, not used */
    c = sim_config_parse("a = 1;\nb = 2;\n", "u.cfg", NULL);
    sim_config_override(c, "b=5");
    sim_cfg_int(c, NULL, "a", 0, 10);
    sim_config_check_unused(c);
    i = ERR(c, "b", "unknown key");
    CHECK(starts_at(c, i, "u.cfg", 2) && sim_config_nerrors(c) == 1, "overridden but unread key is unknown");
    sim_config_destroy(c);
}

/* A value an override set is checked later (ranges, enums, dates): its problems are
 * reported where the override came from, never at the line of the file that first
 * defined the key (README: "command line (--set): ..."). */
static void test_override_origins(void)
{
    write_file("orig/base.cfg", base_text);
    const char *top = write_file("orig/top.cfg",
                                 "@include \"base.cfg\"\n"
                                 "overrides = (\n"
                                 "  { key = \"mm1.arrival_rate\";\n"
                                 "    value = 50.0; }\n"
                                 ");\n");
    sim_config *c = sim_config_load(top);
    CHECK(sim_config_nerrors(c) == 0, "overlay with an overrides list loads");
    dump_errors(c, "overrides list");
    CHECK(sim_config_override(c, "mm1.customers=-5") == 0, "an out-of-range --set is accepted (checked later)");
    CHECK(sim_config_override_at(c, "weights=[1.0, -2.0]", "sweep.cfg:7") == 0, "an override from a sweep file");
    sim_config_override(c, "seed=3");   /* a later override of another key changes nothing here */
    sim_node *g = sim_cfg_group(c, NULL, "mm1");
    sim_cfg_int(c, g, "customers", 1, 2000000000);
    int i = ERR(c, "mm1.customers", "-5 is out of range");
    CHECK(starts_with(c, i, "command line (--set): mm1.customers: "),
          "a --set value out of range is reported at the command line: %s", i >= 0 ? sim_config_error_at(c, (size_t)i) : "none");
    sim_cfg_real(c, g, "arrival_rate", 0, 10);
    i = ERR(c, "mm1.arrival_rate", "50 is out of range");
    CHECK(starts_at(c, i, top, 4), "an overrides-list value out of range is reported at the override's line: %s",
          i >= 0 ? sim_config_error_at(c, (size_t)i) : "none");
    int n = 0;
    sim_node *w = sim_cfg_list(c, NULL, "weights", &n);
    sim_cfg_real(c, sim_cfg_elem(w, 1), NULL, 0, 10);
    i = ERR(c, "weights.[1]", "-2 is out of range");
    CHECK(starts_with(c, i, "sweep.cfg:7: weights.[1]: "),
          "an element of an overridden array is reported at the override's origin: %s",
          i >= 0 ? sim_config_error_at(c, (size_t)i) : "none");
    sim_cfg_string(c, NULL, "name");
    sim_config_error(c, sim_cfg_lookup(c, NULL, "name"), "not overridden");
    i = ERR(c, "name: not overridden");
    CHECK(i >= 0 && strstr(sim_config_error_at(c, (size_t)i), "orig/base.cfg:3: name: "),
          "a value no override set is reported at its own file and line");
    char where[64];
    CHECK(strcmp(sim_config_where(c, sim_cfg_lookup(c, NULL, "weights"), where, sizeof where), "sweep.cfg:7") == 0,
          "sim_config_where of an overridden value is the override's origin (%s)", where);
    sim_config_destroy(c);
}

/* ---------------------------------------------------------------- dates -- */

static void test_dates(void)
{
    long d = -1;
    char buf[16];
    CHECK(sim_date_parse("1970-01-01", &d) == 0 && d == 0, "1970-01-01 is day 0 (%ld)", d);
    CHECK(sim_date_parse("2019-01-01", &d) == 0 && d == 17897, "2019-01-01 is day 17897 (%ld)", d);
    CHECK(sim_date_parse("2000-03-01", &d) == 0 && d == 11017, "2000-03-01 is day 11017 (%ld)", d);
    CHECK(sim_date_parse("1900-01-01", &d) == 0 && d == -25567, "1900-01-01 is day -25567 (%ld)", d);
    static const char *const good[] = {"2020-02-29", "2000-02-29", "2024-02-29", "2019-12-31",
                                       "1900-01-01", "2200-12-31", "2019-04-30"};
    for (size_t j = 0; j < SIM_ARRAY_LEN(good); j++) {
        int ok = sim_date_parse(good[j], &d) == 0;
        if (ok) sim_date_format(d, buf);
        CHECK(ok && strcmp(buf, good[j]) == 0, "%s parses and formats back (%s)", good[j], ok ? buf : "-");
    }
    static const char *const bad[] = {"2019-02-29", "2020-02-30", "1900-02-29", "2100-02-29",
                                      "2019-1-1", "2019-01-1", "2019-13-01", "2019-00-10",
                                      "2019-04-31", "2019-01-32", "2019-01-00", "", "2019/01/01",
                                      "2019-01-01x", "20190101", "1899-12-31", "2201-01-01",
                                      "19-01-01", "abcd-ef-gh", "2019-01-01 "};
    for (size_t j = 0; j < SIM_ARRAY_LEN(bad); j++) {
        d = 12345;
        CHECK(sim_date_parse(bad[j], &d) == -1 && d == 12345, "\"%s\" is rejected", bad[j]);
    }
    /* every day 1900-01-01 .. 2200-12-31 round-trips and dates advance by one */
    long first = 0, last = 0;
    sim_date_parse("1900-01-01", &first);
    sim_date_parse("2200-12-31", &last);
    long fails = 0, leapdays = 0;
    for (long day = first; day <= last; day++) {
        long back = 0;
        sim_date_format(day, buf);
        if (sim_date_parse(buf, &back) != 0 || back != day) fails++;
        if (strcmp(buf + 4, "-02-29") == 0) leapdays++;
    }
    CHECK(fails == 0, "%ld days fail to round-trip", fails);
    CHECK(last - first + 1 == 301 * 365 + 73, "day count 1900..2200 (%ld)", last - first + 1);
    CHECK(leapdays == 73, "73 leap days 1900..2200, got %ld", leapdays);

    /* a date range names the calendar's end (years 1900-2200), never a day past it */
    sim_config *c = sim_config_parse("early = \"2018-06-01\";\nlast = \"2200-12-31\";\nfirst = \"1900-01-01\";\n",
                                     "dates.cfg", NULL);
    sim_cfg_date(c, NULL, "early", 0.0, SIM_DATE_NO_LIMIT);
    int i = ERR(c, "early: date 2018-06-01 is out of range (allowed: 2019-01-01 to 2200-12-31)");
    CHECK(starts_at(c, i, "dates.cfg", 1), "a date with no limit of its own: allowed up to 2200-12-31: %s",
          sim_config_nerrors(c) ? sim_config_error_at(c, 0) : "none");
    sim_cfg_date(c, NULL, "early", 0.0, 1e6);
    CHECK(ERR(c, "early: date 2018-06-01 is out of range (allowed: 2019-01-01 to 2200-12-31)") >= 0
              && sim_config_nerrors(c) == 2, "a limit past the calendar is cut to 2200-12-31 in the message");
    long days = 0;
    sim_date_parse("2200-12-31", &days);
    CHECK(sim_cfg_date(c, NULL, "last", 0.0, SIM_DATE_NO_LIMIT) == (double)(days - 17897), "2200-12-31 is accepted");
    sim_date_parse("1900-01-01", &days);
    CHECK(sim_cfg_date(c, NULL, "first", -1e300, 0.0) == (double)(days - 17897) && sim_config_nerrors(c) == 2,
          "1900-01-01 is accepted with no lower limit");
    sim_config_destroy(c);
}

int main(void)
{
    if (!mkdtemp(tmpdir)) { perror("mkdtemp"); return 1; }
    test_syntax_line_mapping();
    test_includes();
    test_reader_errors();
    test_int_literals();
    test_bad_files();
    test_duplicate_keys();
    test_overrides();
    test_override_origins();
    test_dates();
    char cmd[1100];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (system(cmd) != 0) printf("warning: could not remove %s\n", tmpdir);
    return check_summary();
}
