/* config.c: scenario loading (include expansion with a line map), typed readers
 * that record problems instead of stopping, overrides, unknown-key detection.
 * Invariant: map_file/map_line have one entry per line of `text`, so every
 * libconfig line number maps back to (file, line) in the user's files. */
#define _GNU_SOURCE
#include "config.h"
#include "files.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_INCLUDE_DEPTH 16
#define MAX_FILE_BYTES (16L << 20)
/* Caps on the whole expansion, so a fan-out of includes cannot run for minutes or
 * exhaust memory: text after includes, and @include lines expanded in total. */
#define MAX_EXPANDED_BYTES ((size_t)64 << 20)
#define MAX_INCLUDES 1000
#define READ_CHUNK_BYTES 8192        /* fread block while reading a scenario file */
#define INCLUDE_PATH_MAX 1024        /* an @include target, terminator included */
#define KEY_PATH_MAX 512             /* a dotted key path (a.b.[2].c), terminator included */
#define ALLOWED_LIST_MAX 1024        /* the "allowed: ..." list of an enum message */
#define ASKED_MAX 65536              /* keys asked for and absent that are kept for "did you mean" */
#define USED_MARK ((void *)&used_sentinel)

static const char used_sentinel = 1;

typedef struct {
    char  *data;
    size_t len, cap;
} strbuf;

struct sim_config {
    config_t cfg;
    int      parsed;        /* 1 when libconfig accepted the text */
    char    *name;          /* file name as given */
    strbuf   text;          /* expanded text */
    int     *map_file;      /* per expanded line: index into files */
    int     *map_line;      /* per expanded line: line in that file */
    size_t   nlines, caplines;
    char   **files;         /* every file read (stable storage for messages) */
    size_t   nfiles;
    char   **errors;
    size_t   nerrors, caperrors;
    size_t   nfirst;        /* errors[0 .. nfirst): misspelt keys (report_unknown), listed first */
    long     origin;        /* days since 1970-01-01 of day 0 */
    size_t   nincludes;     /* @include lines expanded so far (MAX_INCLUDES) */
    int      expand_failed; /* the expansion stopped (cap or out of memory); error recorded */
    struct origin {         /* a setting an override replaced, and where that override came from */
        const config_setting_t *s;
        char                   *where;   /* "command line (--set)", "sweep.cfg:7", ... */
    }       *origins;
    size_t   norigins, caporigins;
    struct asked *asked;    /* keys readers asked for and did not find (NULL: out of memory) */
};

/* A key a reader looked for in a group and did not find: when a key nobody read is
 * reported, the nearest of these in the same group is the likely intended one
 * ("held_untill" for the optional "held_until", which the reader simply saw as absent).
 * Kept in a separate block so that the const readers (sim_cfg_has) can record. */
struct asked {
    struct asked_key {
        const config_setting_t *parent;
        char                   *key;
    }     *v;
    size_t n, cap;
};

/* ---------------------------------------------------------------- helpers -- */

static int sb_append(strbuf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + n + 1) cap *= 2;
        char *d = realloc(b->data, cap);
        if (!d) return -1;
        b->data = d;
        b->cap = cap;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
    return 0;
}

static void add_error_text(sim_config *c, char *msg)
{
    if (!msg) return;
    if (c->nerrors == c->caperrors) {
        size_t cap = c->caperrors ? c->caperrors * 2 : 16;
        char **e = realloc(c->errors, cap * sizeof *e);
        if (!e) { free(msg); return; }
        c->errors = e;
        c->caperrors = cap;
    }
    c->errors[c->nerrors++] = msg;
}

/* Where problems of a --set override are reported (it has no file or line). */
#define SET_WHERE "command line (--set)"

/* Record "file:line: message", or "file: message" when there is no line (a
 * command-line override, a whole file): never "file:0". */
static void error_at(sim_config *c, const char *file, int line, const char *fmt, ...)
    SIM_PRINTF(4, 5);
static void error_at(sim_config *c, const char *file, int line, const char *fmt, ...)
{
    char *body = NULL, *msg = NULL;
    va_list ap;
    va_start(ap, fmt);
    int ok = vasprintf(&body, fmt, ap);
    va_end(ap);
    if (ok < 0) return;
    int n = line > 0 ? asprintf(&msg, "%s:%d: %s", file, line, body) : asprintf(&msg, "%s: %s", file, body);
    if (n < 0) msg = NULL;
    free(body);
    /* one line per problem: a value echoed in the message may hold control characters */
    for (char *p = msg; p && *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f) *p = '?';
    add_error_text(c, msg);
}

/* ------------------------------------------------------ override origins -- */

/* Note that an override from `where` set s: problems with s (or inside it) are then
 * reported there, not at the line of the file that first defined it. A later
 * override of the same setting replaces the note. */
static void note_origin(sim_config *c, const config_setting_t *s, const char *where)
{
    char *w = strdup(where);
    if (!w) return;
    for (size_t i = 0; i < c->norigins; i++)
        if (c->origins[i].s == s) { free(c->origins[i].where); c->origins[i].where = w; return; }
    if (c->norigins == c->caporigins) {
        size_t cap = c->caporigins ? c->caporigins * 2 : 16;
        struct origin *o = realloc(c->origins, cap * sizeof *o);
        if (!o) { free(w); return; }
        c->origins = o;
        c->caporigins = cap;
    }
    c->origins[c->norigins++] = (struct origin){s, w};
}

/* Drop the note of s (before libconfig frees it, so a new setting at its address
 * inherits nothing). */
static void forget_origin(sim_config *c, const config_setting_t *s)
{
    for (size_t i = 0; i < c->norigins; i++)
        if (c->origins[i].s == s) {
            free(c->origins[i].where);
            c->origins[i] = c->origins[--c->norigins];
            return;
        }
}

/* Drop the notes of the elements of s, whose elements an override is about to replace. */
static void forget_elements(sim_config *c, const config_setting_t *s)
{
    for (int i = 0; i < config_setting_length(s); i++)
        forget_origin(c, config_setting_get_elem(s, (unsigned)i));
}

/* Where the override that set s, or a setting holding s, came from; NULL if none did. */
static const char *origin_of(const sim_config *c, const config_setting_t *s)
{
    for (; s; s = s->parent)
        for (size_t i = 0; i < c->norigins; i++)
            if (c->origins[i].s == s) return c->origins[i].where;
    return NULL;
}

static int add_line(sim_config *c, int file, int line)
{
    if (c->nlines == c->caplines) {
        size_t cap = c->caplines ? c->caplines * 2 : 256;
        int *f = realloc(c->map_file, cap * sizeof *f);
        if (!f) return -1;
        c->map_file = f;
        int *l = realloc(c->map_line, cap * sizeof *l);
        if (!l) return -1;
        c->map_line = l;
        c->caplines = cap;
    }
    c->map_file[c->nlines] = file;
    c->map_line[c->nlines] = line;
    c->nlines++;
    return 0;
}

/* Map a line of the expanded text (1-based) to its file and line. */
static void locate(const sim_config *c, int merged, const char **file, int *line)
{
    if (merged > 0 && (size_t)merged > c->nlines && c->nlines > 0) merged = (int)c->nlines;   /* at end of text */
    if (merged >= 1 && (size_t)merged <= c->nlines) {
        *file = c->files[c->map_file[merged - 1]];
        *line = c->map_line[merged - 1];
    } else {
        *file = c->name;
        *line = merged > 0 ? merged : 1;
    }
}

/* ------------------------------------------------------ include expansion -- */

/* Read a whole regular file (noted as an input, files.h); NULL with the reason in
 * *why on failure. Rejects NUL bytes; never blocks on a FIFO. */
static char *slurp(const char *path, size_t *len, const char **why)
{
    FILE *f = sim_input_open(path, why);
    if (!f) return NULL;
    strbuf b = {0};
    char chunk[READ_CHUNK_BYTES];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (memchr(chunk, '\0', n)) { *why = "binary data (NUL byte) in a scenario file"; break; }
        if ((long)(b.len + n) > MAX_FILE_BYTES) { *why = "file larger than 16 MiB"; break; }
        if (sb_append(&b, chunk, n) != 0) { *why = "out of memory"; break; }
    }
    int bad = ferror(f) || n > 0;
    if (ferror(f)) *why = strerror(errno);
    fclose(f);
    if (bad) { free(b.data); return NULL; }
    if (!b.data && sb_append(&b, "", 0) != 0) { *why = "out of memory"; return NULL; }
    *len = b.len;
    return b.data;
}

/* If `line` is an @include directive, copy its file name into name and return 1. */
static int include_target(const char *line, size_t len, char *name, size_t size)
{
    size_t i = 0;
    while (i < len && isspace((unsigned char)line[i])) i++;
    if (len - i < 8 || strncmp(line + i, "@include", 8) != 0) return 0;
    i += 8;
    while (i < len && isspace((unsigned char)line[i])) i++;
    if (i >= len || line[i] != '"') return -1;
    size_t start = ++i;
    while (i < len && line[i] != '"') i++;
    if (i >= len || i - start + 1 > size) return -1;
    memcpy(name, line + start, i - start);
    name[i - start] = '\0';
    return 1;
}

static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash) return strdup(".");
    return strndup(path, (size_t)(slash - path) + (slash == path));
}

static int register_file(sim_config *c, const char *path)
{
    char **f = realloc(c->files, (c->nfiles + 1) * sizeof *f);
    if (!f) return -1;
    c->files = f;
    if (!(c->files[c->nfiles] = strdup(path))) return -1;
    return (int)c->nfiles++;
}

static void expand(sim_config *c, const char *text, size_t len, int file,
                   const char *dir, const char **stack, int depth);
static void expand_stop(sim_config *c, int file, int line, const char *why);

/* Expand the file named by an @include on line `line` of file `file`. */
static void expand_include(sim_config *c, const char *target, int file, int line,
                           const char *dir, const char **stack, int depth)
{
    char *path = NULL;
    if (target[0] == '/' ? (path = strdup(target)) == NULL
                         : asprintf(&path, "%s/%s", dir, target) < 0) {
        expand_stop(c, file, line, "out of memory while reading the scenario and its @include files");
        return;
    }
    char *canon = realpath(path, NULL);   /* "./a.cfg" and "sub/../a.cfg" are one file */
    for (int i = 0; canon && i < depth; i++) {
        if (strcmp(stack[i], canon) == 0) {
            error_at(c, c->files[file], line, "@include \"%s\": include cycle (file includes itself)", target);
            free(canon);
            free(path);
            return;
        }
    }
    if (depth + 1 >= MAX_INCLUDE_DEPTH) {
        error_at(c, c->files[file], line, "@include \"%s\": includes nested deeper than %d", target, MAX_INCLUDE_DEPTH);
        free(canon);
        free(path);
        return;
    }
    const char *why = NULL;
    size_t n = 0;
    char *body = slurp(path, &n, &why);
    if (!body) {
        error_at(c, c->files[file], line, "@include \"%s\": cannot read %s: %s", target, path, why);
        free(canon);
        free(path);
        return;
    }
    int idx = register_file(c, path);
    char *sub = dir_of(path);
    stack[depth] = canon ? canon : path;
    if (idx >= 0 && sub) expand(c, body, n, idx, sub, stack, depth + 1);
    else expand_stop(c, file, line, "out of memory while reading the scenario and its @include files");
    free(sub);
    free(body);
    free(canon);
    free(path);
}

/* Update *in_comment (inside a block comment) over one line of scenario text:
 * strings, # and // comments are skipped, so a block-comment opener inside them opens nothing. */
static void comment_state(const char *s, size_t n, int *in_comment)
{
    for (size_t i = 0; i < n; i++) {
        if (*in_comment) {
            if (s[i] == '*' && i + 1 < n && s[i + 1] == '/') { *in_comment = 0; i++; }
        } else if (s[i] == '#' || (s[i] == '/' && i + 1 < n && s[i + 1] == '/')) {
            return;
        } else if (s[i] == '/' && i + 1 < n && s[i + 1] == '*') {
            *in_comment = 1;
            i++;
        } else if (s[i] == '"') {
            for (i++; i < n && s[i] != '"'; i++) i += s[i] == '\\';
        }
    }
}

/* Stop the expansion with an error at file:line (the text is incomplete). */
static void expand_stop(sim_config *c, int file, int line, const char *why)
{
    if (!c->expand_failed) error_at(c, c->files[file], line, "%s", why);
    c->expand_failed = 1;
}

/* Append one line (n bytes, without its newline) and its place in the line map. */
static int append_line(sim_config *c, const char *s, size_t n, int file, int line)
{
    if (c->text.len + n + 1 > MAX_EXPANDED_BYTES) {
        expand_stop(c, file, line, "the scenario is larger than 64 MiB after @include expansion (allowed: at most 64 MiB)");
        return -1;
    }
    if (sb_append(&c->text, s, n) != 0 || sb_append(&c->text, "\n", 1) != 0 || add_line(c, file, line) != 0) {
        expand_stop(c, file, line, "out of memory while reading the scenario and its @include files");
        return -1;
    }
    return 0;
}

/* Append `text` (from file index `file`) to c->text line by line, expanding includes
 * outside comments. Every failure is recorded as an error: no line is ever dropped
 * silently. */
static void expand(sim_config *c, const char *text, size_t len, int file,
                   const char *dir, const char **stack, int depth)
{
    size_t pos = 0;
    int line = 0, in_comment = 0;
    while (pos < len && !c->expand_failed) {
        const char *start = text + pos;
        const char *nl = memchr(start, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - start) : len - pos;
        line++;
        char target[INCLUDE_PATH_MAX];
        int inc = in_comment ? 0 : include_target(start, n, target, sizeof target);
        if (inc == 1 && ++c->nincludes > MAX_INCLUDES) {
            expand_stop(c, file, line, "more than 1000 @include lines expanded in total (allowed: at most 1000)");
            return;
        }
        if (inc == 1) expand_include(c, target, file, line, dir, stack, depth);
        else if (inc < 0) error_at(c, c->files[file], line, "malformed @include (expected: @include \"file.cfg\")");
        else comment_state(start, n, &in_comment);
        /* an included or malformed line stays as an empty line to keep counting simple */
        if (append_line(c, start, inc ? 0 : n, file, line) != 0) return;
        pos += n + (nl != NULL);
    }
}

/* --------------------------------------------------------------- parsing -- */

static void check_int_literals(sim_config *c);
static void apply_overrides(sim_config *c);
typedef struct literal literal;
static int scan_text(const char *t, literal **lits, size_t *nlits);

static sim_config *config_new(const char *name)
{
    sim_config *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    config_init(&c->cfg);
    config_set_options(&c->cfg, CONFIG_OPTION_AUTOCONVERT);
    c->name = strdup(name);
    c->asked = calloc(1, sizeof *c->asked);   /* optional: without it, no suggestions */
    sim_date_parse("2019-01-01", &c->origin);
    if (!c->name || register_file(c, name) < 0) { sim_config_destroy(c); return NULL; }
    return c;
}

/* libconfig's scanner (flex) calls exit(2) when it runs out of memory, which is the
 * usage-error code; while it parses, an exit handler turns that into a message and
 * exit 1. Not thread-safe (scenarios are parsed on one thread). */
static volatile int in_libconfig;

static void libconfig_exit_guard(void)
{
    static const char msg[] = "sim: out of memory while parsing the scenario\n";
    if (!in_libconfig) return;
    if (write(STDERR_FILENO, msg, sizeof msg - 1) < 0) { /* nothing more to do */ }
    _exit(SIM_EXIT_RUNTIME);
}

static int read_with_exit_guard(config_t *cfg, const char *text)
{
    static int registered;
    if (!registered) registered = atexit(libconfig_exit_guard) == 0;
    in_libconfig = 1;
    int ok = config_read_string(cfg, text);
    in_libconfig = 0;
    return ok;
}

/* ------------------------------------------------ a key set twice -- */

/* libconfig refuses a key set twice in one group ("duplicate setting name") without
 * naming it. report_duplicate reads the expanded text as libconfig does and finds the
 * first `name =` (or `name :`) whose group already has that name: every definition
 * with its scope (the group, list or array it lies in), sorted. */
typedef struct {
    const char *name, *value;   /* the name, and the text after its = or : */
    int         len, scope, line;
    size_t      order;
} key_def;

typedef struct {
    int         parent;         /* -1 for the top level */
    const char *name;           /* NULL: element `index` of a list */
    int         len, index, commas;
} key_scope;

/* Skip blanks and comments (#, //, block), counting lines. */
static const char *skip_blank(const char *p, int *line)
{
    for (;;) {
        if (isspace((unsigned char)*p)) *line += *p++ == '\n';
        else if (*p == '#' || (p[0] == '/' && p[1] == '/')) p += strcspn(p, "\n");
        else if (p[0] == '/' && p[1] == '*') {
            const char *e = strstr(p + 2, "*/");
            for (e = e ? e + 2 : p + strlen(p); p < e; p++) *line += *p == '\n';
        } else return p;
    }
}

static int same_key(const key_def *x, const key_def *y)
{
    return x->scope == y->scope && x->len == y->len && !memcmp(x->name, y->name, (size_t)x->len);
}

/* By scope and name, then in text order. */
static int def_cmp(const void *a, const void *b)
{
    const key_def *x = a, *y = b;
    if (x->scope != y->scope) return x->scope < y->scope ? -1 : 1;
    if (x->len != y->len) return x->len < y->len ? -1 : 1;
    int c = memcmp(x->name, y->name, (size_t)x->len);
    if (c) return c;
    return x->order < y->order ? -1 : x->order > y->order;
}

static int ident_char(int ch);

/* Every definition of text t into *defs (scopes into *scopes); 0, or -1 out of memory. */
static int collect_defs(const char *t, key_def **defs, size_t *ndefs, key_scope **scopes, size_t *nscopes)
{
    size_t capd = 0, caps = 0;
    int line = 1, cur = -1;
    const char *ident = NULL;
    int ident_len = 0, ident_line = 0;
    long pending = -1;   /* the definition whose value comes next */
    for (const char *p = skip_blank(t, &line); *p; p = skip_blank(p, &line)) {
        const char *start = p;
        if (isalpha((unsigned char)*p) || *p == '*') {
            while (ident_char((unsigned char)*p)) p++;
            ident = start;
            ident_len = (int)(p - start);
            ident_line = line;
            pending = -1;
            continue;
        }
        if ((*p == '=' || *p == ':') && ident) {
            if (*ndefs == capd) {
                key_def *d = realloc(*defs, (capd = capd ? 2 * capd : 256) * sizeof *d);
                if (!d) return -1;
                *defs = d;
            }
            (*defs)[*ndefs] = (key_def){ident, p + 1, ident_len, cur, ident_line, *ndefs};
            pending = (long)(*ndefs)++;
            ident = NULL;
            p++;
            continue;
        }
        if (*p == '{' || *p == '(' || *p == '[') {
            if (*nscopes == caps) {
                key_scope *s = realloc(*scopes, (caps = caps ? 2 * caps : 64) * sizeof *s);
                if (!s) return -1;
                *scopes = s;
            }
            key_scope sc = {cur, NULL, 0, cur >= 0 ? (*scopes)[cur].commas : 0, 0};
            if (pending >= 0) {
                sc.name = (*defs)[pending].name;
                sc.len = (*defs)[pending].len;
            }
            (*scopes)[*nscopes] = sc;
            cur = (int)(*nscopes)++;
        } else if (*p == '}' || *p == ')' || *p == ']') {
            if (cur >= 0) cur = (*scopes)[cur].parent;
        } else if (*p == ',' && cur >= 0) {
            (*scopes)[cur].commas++;
        } else if (*p == '"') {
            for (p++; *p && *p != '"'; p++) {
                if (*p == '\\' && p[1]) p++;
                line += *p == '\n';
            }
        } else if (isdigit((unsigned char)*p) || *p == '-' || *p == '+' || *p == '.') {
            for (p++; isalnum((unsigned char)*p) || *p == '.' || ((*p == '-' || *p == '+') && (p[-1] == 'e' || p[-1] == 'E')); p++) {}
            p--;
        }
        ident = NULL;
        pending = -1;
        if (*p) p++;
    }
    return 0;
}

/* "a.b.[2]" of scope i (with a trailing dot when not empty) into buf. */
static void scope_path(const key_scope *scopes, int i, char *buf, size_t size)
{
    if (i < 0) { buf[0] = '\0'; return; }
    scope_path(scopes, scopes[i].parent, buf, size);
    size_t n = strlen(buf);
    if (scopes[i].name) snprintf(buf + n, size - n, "%.*s.", scopes[i].len, scopes[i].name);
    else snprintf(buf + n, size - n, "[%d].", scopes[i].index);
}

/* Record a key set twice as "file:line: key: already set at file:line (allowed: ...,
 * with how to change a value another file sets); 1, or 0 if none was found. */
static int report_duplicate(sim_config *c)
{
    key_def *defs = NULL;
    key_scope *scopes = NULL;
    size_t nd = 0, ns = 0;
    const key_def *dup = NULL, *first = NULL;
    if (collect_defs(c->text.data, &defs, &nd, &scopes, &ns) == 0 && nd > 1) {
        qsort(defs, nd, sizeof *defs, def_cmp);
        /* in each run of one key, the first is the original and the second the first
         * repeat; libconfig stops at the earliest repeat in the text */
        for (size_t i = 0, j; i < nd; i = j) {
            for (j = i + 1; j < nd && same_key(&defs[i], &defs[j]); j++) {}
            if (j - i > 1 && (!dup || defs[i + 1].order < dup->order)) {
                first = &defs[i];
                dup = &defs[i + 1];
            }
        }
    }
    if (dup) {
        char path[KEY_PATH_MAX], hint[KEY_PATH_MAX + 16];
        scope_path(scopes, dup->scope, path, sizeof path);
        size_t n = strlen(path);
        snprintf(path + n, sizeof path - n, "%.*s", dup->len, dup->name);
        int line = 1;
        const char *v = skip_blank(dup->value, &line);   /* a group or list: name a key inside it */
        snprintf(hint, sizeof hint, "%s%s", path, *v == '{' ? ".KEY" : *v == '(' ? ".[I].KEY" : "");
        const char *file, *file1;
        int at, at1;
        locate(c, dup->line, &file, &at);
        locate(c, first->line, &file1, &at1);
        if (file == file1)   /* one reading of one file (each @include registers its file anew) */
            error_at(c, file, at, "%s: already set at line %d of this file (allowed: each key once; delete one)", path, at1);
        else if (strcmp(file, file1) == 0 && at == at1)
            error_at(c, file, at, "%s: set twice: the file is included twice (allowed: each file once)", path);
        else
            error_at(c, file, at, "%s: already set at %s:%d (allowed: each key once; to change a value an included "
                     "file sets, list it after the @include as overrides = ( { key = \"%s\"; value = ...; } ); or "
                     "use --set %s=... on the command line; docs/calibration.md)", path, file1, at1, hint, hint);
    }
    free(defs);
    free(scopes);
    return dup != NULL;
}

static void parse_expanded(sim_config *c)
{
    if (c->nerrors) return;   /* include problems: the text is incomplete */
    int open = scan_text(c->text.data ? c->text.data : "", NULL, NULL);
    if (open) {   /* libconfig would accept it and silently drop the rest of the text */
        const char *file;
        int line;
        locate(c, open, &file, &line);
        error_at(c, file, line, "syntax error: /* comment never closed (allowed: /* ... */, # or //)");
        return;
    }
    int ok = read_with_exit_guard(&c->cfg, c->text.data ? c->text.data : "");
    if (!ok && c->text.data && !strcmp(config_error_text(&c->cfg), "duplicate setting name") && report_duplicate(c))
        return;
    if (!ok) {
        const char *file;
        int line;
        locate(c, config_error_line(&c->cfg), &file, &line);
        error_at(c, file, line, "syntax error: %s", config_error_text(&c->cfg));
        return;
    }
    c->parsed = 1;
    check_int_literals(c);
    apply_overrides(c);
}

sim_config *sim_config_parse(const char *text, const char *name, const char *dir)
{
    sim_config *c = config_new(name);
    if (!c) return NULL;
    const char *stack[MAX_INCLUDE_DEPTH] = {name};
    expand(c, text, strlen(text), 0, dir ? dir : ".", stack, 1);
    parse_expanded(c);
    return c;
}

sim_config *sim_config_load(const char *path)
{
    sim_config *c = config_new(path);
    if (!c) return NULL;
    const char *why = NULL;
    size_t n = 0;
    char *body = slurp(path, &n, &why);
    if (!body) {
        error_at(c, path, 0, "cannot read scenario: %s", why);
        return c;
    }
    char *dir = dir_of(path), *canon = realpath(path, NULL);
    const char *stack[MAX_INCLUDE_DEPTH] = {canon ? canon : path};
    if (dir) expand(c, body, n, 0, dir, stack, 1);
    free(canon);
    free(dir);
    free(body);
    parse_expanded(c);
    return c;
}

void sim_config_destroy(sim_config *c)
{
    if (!c) return;
    config_destroy(&c->cfg);
    for (size_t i = 0; i < c->nerrors; i++) free(c->errors[i]);
    for (size_t i = 0; i < c->nfiles; i++) free(c->files[i]);
    for (size_t i = 0; i < c->norigins; i++) free(c->origins[i].where);
    free(c->origins);
    if (c->asked)
        for (size_t i = 0; i < c->asked->n; i++) free(c->asked->v[i].key);
    free(c->asked ? c->asked->v : NULL);
    free(c->asked);
    free(c->errors);
    free(c->files);
    free(c->map_file);
    free(c->map_line);
    free(c->text.data);
    free(c->name);
    free(c);
}

/* ------------------------------------------------------------- reporting -- */

const char *sim_config_path(const sim_node *s, char *buf, size_t size)
{
    const config_setting_t *chain[64];
    int n = 0;
    for (const config_setting_t *p = s; p && p->parent && n < 64; p = p->parent) chain[n++] = p;
    size_t len = 0;
    buf[0] = '\0';
    for (int i = n - 1; i >= 0 && len < size; i--) {
        const char *sep = len ? "." : "";
        int w = chain[i]->name ? snprintf(buf + len, size - len, "%s%s", sep, chain[i]->name)
                               : snprintf(buf + len, size - len, "%s[%d]", sep, config_setting_index(chain[i]));
        if (w < 0) break;
        len += (size_t)w;
    }
    if (n == 0) snprintf(buf, size, "(top level)");
    return buf;
}

/* Record "file:line: path: body" about setting s (NULL = the file as a whole). A
 * value an override set is reported where the override came from, unless in_file
 * (a problem of the key's presence in the file, such as an unknown key). */
static void setting_error(sim_config *c, const sim_node *s, int in_file, const char *body)
{
    const char *file = c->name;
    int line = 0;
    char path[KEY_PATH_MAX] = "";
    if (s) {
        locate(c, (int)config_setting_source_line(s), &file, &line);
        sim_config_path(s, path, sizeof path);
    }
    const char *where = s && !in_file ? origin_of(c, s) : NULL;
    if (where) error_at(c, where, 0, "%s: %s", path, body);
    else error_at(c, file, line, "%s%s%s", path, s ? ": " : "", body);
}

void sim_config_error(sim_config *c, const sim_node *s, const char *fmt, ...)
{
    char *body = NULL;
    va_list ap;
    va_start(ap, fmt);
    int ok = vasprintf(&body, fmt, ap);
    va_end(ap);
    if (ok < 0) return;
    setting_error(c, s, 0, body);
    free(body);
}

const char *sim_config_where(const sim_config *c, const sim_node *s, char *buf, size_t size)
{
    const char *file = c->name;
    int line = 0;
    const char *where = s ? origin_of(c, s) : NULL;
    if (s) locate(c, (int)config_setting_source_line(s), &file, &line);
    if (where) snprintf(buf, size, "%s", where);
    else if (line > 0) snprintf(buf, size, "%s:%d", file, line);
    else snprintf(buf, size, "%s", file);
    return buf;
}

size_t sim_config_nerrors(const sim_config *c) { return c->nerrors; }

const char *sim_config_error_at(const sim_config *c, size_t i)
{
    return i < c->nerrors ? c->errors[i] : NULL;
}

void sim_config_print_errors(const sim_config *c, FILE *f, size_t max)
{
    size_t n = max && max < c->nerrors ? max : c->nerrors;
    for (size_t i = 0; i < n; i++) fprintf(f, "%s\n", c->errors[i]);
    if (n < c->nerrors) fprintf(f, "... and %zu more problems\n", c->nerrors - n);
}

const char *sim_config_file(const sim_config *c) { return c->name; }

/* Edits from a to b (as sim_config_near counts them), capped at SIM_CONFIG_NEAR + 1. */
static int edit_distance(const char *a, const char *b, int nocase)
{
    enum { W = 64 };   /* keys and region names are shorter; longer ones are "far" */
    size_t m = strlen(a), n = strlen(b);
    if (m >= W || n >= W || (m > n ? m - n : n - m) > SIM_CONFIG_NEAR) return SIM_CONFIG_NEAR + 1;
    int d[W][W];
    for (size_t i = 0; i <= m; i++) d[i][0] = (int)i;
    for (size_t j = 0; j <= n; j++) d[0][j] = (int)j;
#define SAME(x, y) (nocase ? tolower((unsigned char)(x)) == tolower((unsigned char)(y)) : (x) == (y))
    for (size_t i = 1; i <= m; i++)
        for (size_t j = 1; j <= n; j++) {
            int sub = d[i - 1][j - 1] + !SAME(a[i - 1], b[j - 1]);
            int del = d[i - 1][j] + 1, ins = d[i][j - 1] + 1;
            int best = sub < del ? sub : del;
            best = best < ins ? best : ins;
            if (i > 1 && j > 1 && SAME(a[i - 1], b[j - 2]) && SAME(a[i - 2], b[j - 1]) && d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
#undef SAME
    return d[m][n] > SIM_CONFIG_NEAR ? SIM_CONFIG_NEAR + 1 : d[m][n];
}

int sim_config_near(const char *name, const char *candidate, int nocase)
{
    int d = edit_distance(name, candidate, nocase);
    return d <= SIM_CONFIG_NEAR && 3 * (size_t)d < strlen(name) ? d : SIM_CONFIG_NEAR + 1;
}

/* The key asked for in s's group that is nearest to s's name (sim_config_near), or NULL. */
static const char *suggest_key(const sim_config *c, const config_setting_t *s)
{
    const char *best = NULL;
    int bestd = SIM_CONFIG_NEAR + 1;
    for (size_t i = 0; c->asked && i < c->asked->n; i++) {
        const struct asked_key *k = &c->asked->v[i];
        int d = k->parent == s->parent ? sim_config_near(s->name, k->key, 0) : bestd;
        if (d < bestd) bestd = d, best = k->key;
    }
    return best;
}

static void report_unknown(sim_config *c, const config_setting_t *s)
{
    const char *near = suggest_key(c, s);
    char body[KEY_PATH_MAX + 96];
    if (near) snprintf(body, sizeof body, "unknown key (not a parameter of this model; did you mean '%s'?)", near);
    else snprintf(body, sizeof body, "unknown key (not a parameter of this model; check the spelling)");
    size_t n = c->nerrors;
    setting_error(c, s, 1, body);
    /* A misspelt key is found only after the readers have run, but it is often the cause of
     * what they reported (a pair or a required key "missing"): it goes before those. */
    if (near && c->nerrors == n + 1 && n > c->nfirst) {
        char *msg = c->errors[n];
        memmove(&c->errors[c->nfirst + 1], &c->errors[c->nfirst], (n - c->nfirst) * sizeof *c->errors);
        c->errors[c->nfirst] = msg;
    }
    if (near && c->nerrors == n + 1) c->nfirst++;
}

/* Recursively report unmarked settings, inside groups and lists alike (list
 * elements are groups too: regions, programmes, ...); a whole unmarked
 * aggregate is one report. */
static void report_unused(sim_config *c, config_setting_t *s)
{
    int element = s->parent && !s->name;   /* a list or array element: judged by its members */
    if (s->parent && config_setting_get_hook(s) != USED_MARK) {
        /* an element nobody read lies beyond a list's allowed length, which its reader reported */
        if (!element) report_unknown(c, s);
        return;
    }
    if (config_setting_is_group(s) || config_setting_is_list(s))
        for (int i = 0; i < config_setting_length(s); i++)
            report_unused(c, config_setting_get_elem(s, (unsigned)i));
}

void sim_config_check_unused(sim_config *c)
{
    if (c->parsed) report_unused(c, config_root_setting(&c->cfg));
}

/* libconfig 1.5 silently wraps integer literals beyond 32 bits (and saturates
 * 64-bit ones), and accepts an unclosed block comment, dropping the rest of the
 * text. scan_text reads the expanded text the way libconfig's lexer does and
 * collects every numeric literal with its line and whether it fits its type. */
struct literal {
    const char *text;
    int len, line, bad;   /* bad: 0, or 32 / 64 = does not fit that many bits */
};

static int ident_char(int ch) { return isalnum(ch) || ch == '_' || ch == '-' || ch == '*'; }

/* Length of a numeric literal at p and whether it fits (l->bad); 0 if none. */
static int scan_number(const char *p, literal *l)
{
    const char *q = p + (*p == '-' || *p == '+');
    if (!(isdigit((unsigned char)*q) || (*q == '.' && isdigit((unsigned char)q[1])))) return 0;
    int is_int = 1, is64 = 0, hex = q == p && q[0] == '0' && (q[1] == 'x' || q[1] == 'X');
    if (hex) {
        for (q += 2; isxdigit((unsigned char)*q); q++) {}
    } else {
        while (isdigit((unsigned char)*q)) q++;
        if (*q == '.') { is_int = 0; for (q++; isdigit((unsigned char)*q); q++) {} }
        if ((*q == 'e' || *q == 'E') && (isdigit((unsigned char)q[1])
                                         || ((q[1] == '-' || q[1] == '+') && isdigit((unsigned char)q[2])))) {
            is_int = 0;
            for (q += 2; isdigit((unsigned char)*q); q++) {}
        }
    }
    if (is_int && *q == 'L') { is64 = 1; q += 1 + (q[1] == 'L'); }
    l->text = p;
    l->len = (int)(q - p);
    l->bad = 0;
    if (is_int) {
        errno = 0;
        if (hex) {
            unsigned long long u = strtoull(p, NULL, 16);
            if (errno == ERANGE || u > (is64 ? (unsigned long long)INT64_MAX : (unsigned long long)INT32_MAX))
                l->bad = is64 ? 64 : 32;
        } else {
            long long v = strtoll(p, NULL, 10);
            if (errno == ERANGE) l->bad = is64 ? 64 : 32;
            else if (!is64 && (v < INT32_MIN || v > INT32_MAX)) l->bad = 32;
        }
    }
    return 1;
}

/* Collect the numeric literals of t (lits may be NULL to only check comments).
 * Returns the line of an unclosed block comment, or 0. */
static int scan_text(const char *t, literal **lits, size_t *nlits)
{
    size_t n = 0, cap = 0;
    int line = 1;
    for (const char *p = t; *p;) {
        if (*p == '\n') { line++; p++; continue; }
        if (*p == '#' || (p[0] == '/' && p[1] == '/')) { p += strcspn(p, "\n"); continue; }
        if (p[0] == '/' && p[1] == '*') {
            const char *e = strstr(p + 2, "*/");
            if (!e) return line;
            for (; p < e; p++) line += *p == '\n';
            p = e + 2;
            continue;
        }
        if (*p == '"') {
            for (p++; *p && *p != '"'; p++) {
                if (*p == '\\' && p[1]) p++;
                line += *p == '\n';
            }
            if (*p) p++;
            continue;
        }
        if (isalpha((unsigned char)*p) || *p == '*') { while (ident_char((unsigned char)*p)) p++; continue; }
        literal l;
        if (!scan_number(p, &l)) { p++; continue; }
        l.line = line;
        if (lits && n == cap) {
            literal *m = realloc(*lits, (cap = cap ? 2 * cap : 256) * sizeof *m);
            if (!m) break;
            *lits = m;
        }
        if (lits) (*lits)[n] = l;
        n++;
        p += l.len;
    }
    if (nlits) *nlits = n;
    return 0;
}

/* Every numeric setting in text order (libconfig makes one per literal). */
static void numeric_settings(config_setting_t *s, config_setting_t ***out, size_t *n, size_t *cap)
{
    int type = config_setting_type(s);
    if (type == CONFIG_TYPE_GROUP || type == CONFIG_TYPE_LIST || type == CONFIG_TYPE_ARRAY) {
        for (int i = 0; i < config_setting_length(s); i++)
            numeric_settings(config_setting_get_elem(s, (unsigned)i), out, n, cap);
        return;
    }
    if (type != CONFIG_TYPE_INT && type != CONFIG_TYPE_INT64 && type != CONFIG_TYPE_FLOAT) return;
    if (*n == *cap) {
        config_setting_t **m = realloc(*out, (*cap = *cap ? 2 * *cap : 256) * sizeof *m);
        if (!m) return;
        *out = m;
    }
    (*out)[(*n)++] = s;
}

static void check_int_literals(sim_config *c)
{
    literal *lits = NULL;
    config_setting_t **sets = NULL;
    size_t nl = 0, ns = 0, cap = 0;
    scan_text(c->text.data ? c->text.data : "", &lits, &nl);
    numeric_settings(config_root_setting(&c->cfg), &sets, &ns, &cap);
    for (size_t i = 0; i < nl; i++) {
        if (!lits[i].bad) continue;
        const char *file;
        int line;
        char path[KEY_PATH_MAX] = "";
        locate(c, lits[i].line, &file, &line);
        if (ns == nl) sim_config_path(sets[i], path, sizeof path);   /* else: no path */
        if (lits[i].bad == 32)
            error_at(c, file, line, "%s%sinteger %.*s does not fit in 32 bits (write 64-bit integers with an L suffix, e.g. 3000000000L; allowed: -2147483648 to 2147483647 without L)",
                     path, *path ? ": " : "", lits[i].len, lits[i].text);
        else
            error_at(c, file, line, "%s%sinteger %.*s does not fit in 64 bits (allowed: -9223372036854775808L to 9223372036854775807L)",
                     path, *path ? ": " : "", lits[i].len, lits[i].text);
    }
    free(lits);
    free(sets);
}

/* ------------------------------------------------------------- readers -- */

static const char *type_name(int type)
{
    switch (type) {
    case CONFIG_TYPE_GROUP: return "a group { }";
    case CONFIG_TYPE_INT: return "an integer";
    case CONFIG_TYPE_INT64: return "a 64-bit integer";
    case CONFIG_TYPE_FLOAT: return "a number";
    case CONFIG_TYPE_STRING: return "a string";
    case CONFIG_TYPE_BOOL: return "a boolean";
    case CONFIG_TYPE_ARRAY: return "an array [ ]";
    case CONFIG_TYPE_LIST: return "a list ( )";
    default: return "nothing";
    }
}

static void mark_used(config_setting_t *s)
{
    for (; s; s = s->parent) {
        if (config_setting_get_hook(s) == USED_MARK) break;
        config_setting_set_hook(s, USED_MARK);
    }
}

void sim_cfg_mark_used(sim_node *n) { mark_used(n); }

/* Remember that a reader asked for p.key and found nothing (a plain name only; dotted
 * paths are not one group's member). Best effort: no memory, no suggestion. */
static void note_absent(const sim_config *c, const config_setting_t *p, const char *key)
{
    struct asked *a = c->asked;
    if (!a || !p || strchr(key, '.') || a->n >= ASKED_MAX) return;
    for (size_t i = a->n; i-- > 0 && i + 8 >= a->n;)   /* the same key asked twice in a row */
        if (a->v[i].parent == p && strcmp(a->v[i].key, key) == 0) return;
    if (a->n == a->cap) {
        size_t cap = a->cap ? 2 * a->cap : 64;
        struct asked_key *v = realloc(a->v, cap * sizeof *v);
        if (!v) return;
        a->v = v, a->cap = cap;
    }
    char *k = strdup(key);
    if (k) a->v[a->n++] = (struct asked_key){p, k};
}

/* parent.key, or NULL when absent (recorded for "did you mean"). */
static config_setting_t *find(const sim_config *c, const config_setting_t *p, const char *key)
{
    config_setting_t *s = config_setting_lookup((config_setting_t *)p, key);
    if (!s) note_absent(c, p, key);
    return s;
}

int sim_cfg_has(const sim_config *c, const sim_node *parent, const char *key)
{
    if (!c->parsed) return 0;
    if (!key) return parent != NULL;
    const config_setting_t *p = parent ? parent : config_root_setting(&c->cfg);
    return find(c, p, key) != NULL;
}

sim_node *sim_cfg_lookup(sim_config *c, sim_node *parent, const char *key)
{
    if (!c->parsed) return NULL;
    config_setting_t *p = parent ? parent : config_root_setting(&c->cfg);
    return key ? find(c, p, key) : p;
}

/* Find parent.key, mark it used, check its type against the wanted types.
 * Returns NULL (after recording an error) when missing or of another type. */
#define T(type) (1u << (type))

static config_setting_t *fetch(sim_config *c, sim_node *parent, const char *key,
                               unsigned want, const char *wanted)
{
    if (!c->parsed) return NULL;
    config_setting_t *p = parent ? parent : config_root_setting(&c->cfg);
    config_setting_t *s = key ? find(c, p, key) : p;
    if (!s) {
        char path[KEY_PATH_MAX];
        const char *where = p->parent ? sim_config_path(p, path, sizeof path) : NULL;
        if (where) sim_config_error(c, p, "missing key '%s' (expected %s)", key, wanted);
        else error_at(c, c->name, 0, "%s: missing key (expected %s)", key, wanted);
        return NULL;
    }
    mark_used(s);
    int t = config_setting_type(s);
    if (!(want & T(t))) {
        sim_config_error(c, s, "expected %s, got %s", wanted, type_name(t));
        return NULL;
    }
    return s;
}

sim_node *sim_cfg_group(sim_config *c, sim_node *parent, const char *key)
{
    return fetch(c, parent, key, T(CONFIG_TYPE_GROUP), "a group { ... }");
}

sim_node *sim_cfg_list(sim_config *c, sim_node *parent, const char *key, int *n)
{
    config_setting_t *s = fetch(c, parent, key, T(CONFIG_TYPE_LIST) | T(CONFIG_TYPE_ARRAY),
                                "a list ( ... ) or array [ ... ]");
    *n = s ? config_setting_length(s) : 0;
    return s;
}

sim_node *sim_cfg_elem(sim_node *list, int i)
{
    config_setting_t *e = config_setting_get_elem(list, (unsigned)i);
    if (e) mark_used(e);
    return e;
}

int sim_cfg_is_integer(const sim_node *n)
{
    return n && (config_setting_type(n) == CONFIG_TYPE_INT || config_setting_type(n) == CONFIG_TYPE_INT64);
}

double sim_cfg_real(sim_config *c, sim_node *parent, const char *key, double lo, double hi)
{
    config_setting_t *s = fetch(c, parent, key,
                                T(CONFIG_TYPE_FLOAT) | T(CONFIG_TYPE_INT) | T(CONFIG_TYPE_INT64), "a number");
    if (!s) return lo;
    double v = config_setting_type(s) == CONFIG_TYPE_FLOAT ? config_setting_get_float(s)
                                                           : (double)config_setting_get_int64(s);
    if (!(v >= lo && v <= hi)) {
        sim_config_error(c, s, "%g is out of range (allowed: %g to %g)", v, lo, hi);
        return lo;
    }
    return v;
}

long long sim_cfg_int(sim_config *c, sim_node *parent, const char *key, long long lo, long long hi)
{
    config_setting_t *s = fetch(c, parent, key, T(CONFIG_TYPE_INT) | T(CONFIG_TYPE_INT64), "an integer");
    if (!s) return lo;
    long long v = config_setting_type(s) == CONFIG_TYPE_INT ? config_setting_get_int(s)
                                                           : config_setting_get_int64(s);
    if (v < lo || v > hi) {
        sim_config_error(c, s, "%lld is out of range (allowed: %lld to %lld)", v, lo, hi);
        return lo;
    }
    return v;
}

int sim_cfg_bool(sim_config *c, sim_node *parent, const char *key)
{
    config_setting_t *s = fetch(c, parent, key, T(CONFIG_TYPE_BOOL), "true or false");
    return s ? config_setting_get_bool(s) : 0;
}

const char *sim_cfg_string(sim_config *c, sim_node *parent, const char *key)
{
    config_setting_t *s = fetch(c, parent, key, T(CONFIG_TYPE_STRING), "a string \"...\"");
    return s ? config_setting_get_string(s) : "";
}

/* 1 if s is valid UTF-8 (no overlong forms, surrogates or code points past U+10FFFF). */
static int utf8_valid(const unsigned char *s)
{
    while (*s) {
        unsigned c = *s++;
        int more = c < 0x80 ? 0 : (c >> 5) == 6 ? 1 : (c >> 4) == 14 ? 2 : (c >> 3) == 30 ? 3 : -1;
        if (more < 0) return 0;
        unsigned cp = more == 0 ? c : c & (0x3fu >> more);
        for (int k = 0; k < more; k++, s++) {
            if ((*s & 0xc0) != 0x80) return 0;
            cp = (cp << 6) | (*s & 0x3fu);
        }
        static const unsigned min[4] = {0, 0x80, 0x800, 0x10000};
        if (cp < min[more] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
    }
    return 1;
}

void sim_cfg_name(sim_config *c, sim_node *parent, const char *key, char *buf, size_t size)
{
    const char *v = sim_cfg_string(c, parent, key);
    size_t n = strlen(v);
    buf[0] = '\0';
    sim_node *s = sim_cfg_lookup(c, parent, key);
    if (n >= size)
        sim_config_error(c, s, "name is %zu bytes long (allowed: at most %zu bytes of UTF-8)", n, size - 1);
    else if (!utf8_valid((const unsigned char *)v))
        sim_config_error(c, s, "name is not valid UTF-8 (allowed: UTF-8 text)");
    else
        memcpy(buf, v, n + 1);
}

int sim_cfg_enum(sim_config *c, sim_node *parent, const char *key,
                 const char *const *names, int n)
{
    config_setting_t *s = fetch(c, parent, key, T(CONFIG_TYPE_STRING), "a string \"...\"");
    if (!s) return 0;
    const char *v = config_setting_get_string(s);
    for (int i = 0; i < n; i++)
        if (strcmp(v, names[i]) == 0) return i;
    char allowed[ALLOWED_LIST_MAX] = "";
    size_t len = 0;
    for (int i = 0; i < n && len < sizeof allowed; i++) {
        int w = snprintf(allowed + len, sizeof allowed - len, "%s%s", i ? ", " : "", names[i]);
        if (w > 0) len += (size_t)w;
    }
    sim_config_error(c, s, "unknown value \"%s\" (allowed: %s)", v, allowed);
    return 0;
}

static long days_from_civil(long y, long m, long d);

double sim_cfg_date(sim_config *c, sim_node *parent, const char *key, double lo, double hi)
{
    config_setting_t *s = fetch(c, parent, key, T(CONFIG_TYPE_STRING), "a date \"YYYY-MM-DD\"");
    if (!s) return lo;
    long days;
    if (sim_date_parse(config_setting_get_string(s), &days) != 0) {
        sim_config_error(c, s, "\"%s\" is not a valid date (allowed: \"YYYY-MM-DD\", years %d-%d)",
                         config_setting_get_string(s), SIM_DATE_FIRST_YEAR, SIM_DATE_LAST_YEAR);
        return lo;
    }
    double t = (double)(days - c->origin);
    /* the calendar's ends bound every range */
    long first = days_from_civil(SIM_DATE_FIRST_YEAR, 1, 1), last = days_from_civil(SIM_DATE_LAST_YEAR, 12, 31);
    if (lo < (double)(first - c->origin)) lo = (double)(first - c->origin);
    if (hi > (double)(last - c->origin)) hi = (double)(last - c->origin);
    if (t < lo || t > hi) {
        char a[16], b[16];
        sim_date_format(c->origin + (long)lo, a);
        sim_date_format(c->origin + (long)hi, b);
        /* the range follows the origin: an override of it (--set origin=...) is the
         * likely cause of a problem reported at a line of the file */
        config_setting_t *o = config_lookup(&c->cfg, "origin");
        const char *ow = o && o != s && config_setting_type(o) == CONFIG_TYPE_STRING ? origin_of(c, o) : NULL;
        if (ow)
            sim_config_error(c, s, "date %s is out of range (allowed: %s to %s, after origin=\"%s\" from %s)",
                             config_setting_get_string(s), a, b, config_setting_get_string(o), ow);
        else
            sim_config_error(c, s, "date %s is out of range (allowed: %s to %s)", config_setting_get_string(s), a, b);
        return lo;
    }
    return t;
}

/* ------------------------------------------------------------- dates -- */

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar. */
static long days_from_civil(long y, long m, long d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

int sim_date_parse(const char *s, long *days)
{
    int y, m, d, n = 0;
    for (int i = 0; s[i] && i < 10; i++)   /* digits and dashes only: sscanf would take " 1" or "+1" */
        if (i == 4 || i == 7 ? s[i] != '-' : !isdigit((unsigned char)s[i])) return -1;
    if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || n != 10) return -1;
    if (y < SIM_DATE_FIRST_YEAR || y > SIM_DATE_LAST_YEAR || m < 1 || m > 12 || d < 1) return -1;
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (d > mdays[m - 1] + (m == 2 && leap)) return -1;
    *days = days_from_civil(y, m, d);
    return 0;
}

void sim_date_format(long days, char *buf)
{
    long z = days + 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    long d = doy - (153 * mp + 2) / 5 + 1;
    long m = mp < 10 ? mp + 3 : mp - 9;
    long y = yoe + era * 400 + (m <= 2);
    snprintf(buf, 16, "%04d-%02d-%02d", (int)(y % 10000), (int)(m % 100), (int)(d % 100));
}

int sim_config_set_origin(sim_config *c, const char *date)
{
    return sim_date_parse(date, &c->origin);
}

/* ------------------------------------------------------------ overrides -- */

/* Parse `value` with libconfig itself, as "v = value;". libconfig 1.5 silently
 * wraps a plain integer literal beyond 32 bits (as in the file, see
 * check_one_literal), so such a literal is read again as a 64-bit one. */
static config_setting_t *parse_value(config_t *tmp, const char *value)
{
    config_init(tmp);
    config_set_options(tmp, CONFIG_OPTION_AUTOCONVERT);
    for (int pass = 0; pass < 2; pass++) {
        char *text = NULL;
        if (asprintf(&text, "v = %s%s;", value, pass ? "L" : "") < 0) return NULL;
        int ok = config_read_string(tmp, text);
        free(text);
        config_setting_t *v = ok ? config_lookup(tmp, "v") : NULL;
        if (v && config_setting_length(config_root_setting(tmp)) != 1)
            return NULL;   /* "1; b = 2": one value only, never a second assignment */
        if (!v || config_setting_type(v) != CONFIG_TYPE_INT) return v;
        char *end;
        errno = 0;
        long long x = strtoll(value, &end, 0);
        if (errno == ERANGE) return NULL;   /* beyond 64 bits */
        if (*end != '\0' || x == config_setting_get_int(v)) return v;
        config_destroy(tmp);
        config_init(tmp);
        config_set_options(tmp, CONFIG_OPTION_AUTOCONVERT);
    }
    return NULL;
}

/* Copy scalar `src` into `dst` if the types agree (int may become float or int64). */
static int assign_scalar(config_setting_t *dst, const config_setting_t *src)
{
    int dt = config_setting_type(dst), st = config_setting_type(src);
    switch (dt) {
    case CONFIG_TYPE_INT:
        return st == CONFIG_TYPE_INT && config_setting_set_int(dst, config_setting_get_int(src));
    case CONFIG_TYPE_INT64:
        return (st == CONFIG_TYPE_INT || st == CONFIG_TYPE_INT64)
               && config_setting_set_int64(dst, config_setting_get_int64(src));
    case CONFIG_TYPE_FLOAT:
        return (st == CONFIG_TYPE_INT || st == CONFIG_TYPE_FLOAT || st == CONFIG_TYPE_INT64)
               && config_setting_set_float(dst, config_setting_get_float(src));
    case CONFIG_TYPE_BOOL:
        return st == CONFIG_TYPE_BOOL && config_setting_set_bool(dst, config_setting_get_bool(src));
    case CONFIG_TYPE_STRING:
        return st == CONFIG_TYPE_STRING && config_setting_set_string(dst, config_setting_get_string(src));
    default:
        return 0;
    }
}

/* Replace array `dst` with the elements of array `src` (same element type). */
static int assign_array(config_setting_t *dst, const config_setting_t *src)
{
    if (config_setting_type(src) != CONFIG_TYPE_ARRAY) return 0;
    int n = config_setting_length(src), old = config_setting_length(dst);
    if (old > 0 && n > 0) {
        int want = config_setting_type(config_setting_get_elem(dst, 0));
        int have = config_setting_type(config_setting_get_elem(src, 0));
        if (want != have && !(want == CONFIG_TYPE_FLOAT && have == CONFIG_TYPE_INT)) return 0;
    }
    int type = old > 0 ? config_setting_type(config_setting_get_elem(dst, 0))
                       : (n > 0 ? config_setting_type(config_setting_get_elem(src, 0)) : CONFIG_TYPE_INT);
    while (config_setting_length(dst) > 0) config_setting_remove_elem(dst, 0);
    for (int i = 0; i < n; i++) {
        config_setting_t *e = config_setting_add(dst, NULL, type);
        if (!e || !assign_scalar(e, config_setting_get_elem(src, (unsigned)i))) return 0;
    }
    return 1;
}

/* What a value of type `type` is, in the plural: "numbers". */
static const char *plural_name(int type)
{
    switch (type) {
    case CONFIG_TYPE_INT: return "integers";
    case CONFIG_TYPE_INT64: return "64-bit integers";
    case CONFIG_TYPE_FLOAT: return "numbers";
    case CONFIG_TYPE_STRING: return "strings";
    case CONFIG_TYPE_BOOL: return "booleans";
    default: return "values";
    }
}

/* What setting s holds, for messages: type_name, or "an array [ ] of numbers". */
static const char *value_kind(const config_setting_t *s, char *buf, size_t size)
{
    if (config_setting_type(s) != CONFIG_TYPE_ARRAY || config_setting_length(s) == 0)
        return type_name(config_setting_type(s));
    snprintf(buf, size, "an array [ ] of %s", plural_name(config_setting_type(config_setting_get_elem(s, 0))));
    return buf;
}

/* Record why `value` cannot replace dst (src: the value parsed, NULL if it is not
 * one value): "key: 'abc' is not a number (the scenario has a number here)", or
 * "key: '0.5' is a number, not an integer (...)", with a hint for the usual slips. */
static void override_type_error(sim_config *c, const char *where, const char *key, const char *value,
                                const config_setting_t *dst, const config_setting_t *src)
{
    char have[64], want[64];
    int dt = config_setting_type(dst);
    const char *kind = value_kind(dst, want, sizeof want);
    const char *expected = dt == CONFIG_TYPE_BOOL ? "true or false" : kind;
    /* A string written without quotes (--set origin=2020-01-01) is the usual slip. */
    int bare = dt == CONFIG_TYPE_STRING && (!src || config_setting_type(src) != CONFIG_TYPE_STRING);
    char hint[KEY_PATH_MAX + 96] = "";
    if (bare)
        snprintf(hint, sizeof hint, "; write a string in double quotes, quoted for the shell: --set '%s=\"...\"'", key);
    else if (dt == CONFIG_TYPE_GROUP)
        snprintf(hint, sizeof hint, "; set a key inside it: --set %s.NAME=VALUE", key);
    else if (!src && strchr(value, ';'))
        snprintf(hint, sizeof hint, "; one key=value per --set");
    if (src)
        error_at(c, where, 0, "%s: '%s' is %s, not %s (the scenario has %s here)%s", key, value,
                 value_kind(src, have, sizeof have), expected, kind, hint);
    else
        error_at(c, where, 0, "%s: '%s' is not %s (the scenario has %s here)%s", key, value, expected, kind, hint);
}

/* The existing key path nearest to `key` (a.b.c or a.[2].c): each member that is not there
 * replaced by the nearest of its group (sim_config_near), if exactly that makes
 * the path exist. Into out, "" when none; out holds KEY_PATH_MAX. */
static void suggest_path(const sim_config *c, const char *key, char *out)
{
    char buf[KEY_PATH_MAX], *save = NULL;
    const config_setting_t *at = config_root_setting(&c->cfg);
    size_t len = 0;
    out[0] = '\0';
    if (strlen(key) >= sizeof buf) return;   /* no path is that long */
    snprintf(buf, sizeof buf, "%s", key);
    for (char *part = strtok_r(buf, ".", &save); part; part = strtok_r(NULL, ".", &save)) {
        const config_setting_t *next = NULL;
        char idx;
        unsigned i;
        if (sscanf(part, "[%u%c", &i, &idx) == 2 && idx == ']' && strchr(part, ']') == part + strlen(part) - 1)   /* "[N]" whole */
            next = config_setting_is_aggregate(at) ? config_setting_get_elem(at, i) : NULL;
        else if (config_setting_is_group(at)) {
            next = config_setting_get_member(at, part);
            const config_setting_t *best = NULL;
            int bestd = SIM_CONFIG_NEAR + 1;
            for (int m = 0; !next && m < config_setting_length(at); m++) {   /* the nearest member */
                const config_setting_t *s = config_setting_get_elem(at, (unsigned)m);
                int d = sim_config_near(part, s->name, 0);
                if (d < bestd) bestd = d, best = s;
            }
            if (!next) next = best;
            if (next) part = next->name;
        }
        if (!next) { out[0] = '\0'; return; }
        int w = snprintf(out + len, KEY_PATH_MAX - len, "%s%s", len ? "." : "", part);
        if (w < 0 || (size_t)w >= KEY_PATH_MAX - len) { out[0] = '\0'; return; }
        len += (size_t)w;
        at = next;
    }
    if (strcmp(out, key) == 0 || strncmp(out, "overrides", 9) == 0) out[0] = '\0';
}

/* Into hint[KEY_PATH_MAX + 32]: "; did you mean 'a.b.c'?" with the existing key nearest to
 * `key` (suggest_path), or "" when none is near. */
static void unknown_key_hint(const sim_config *c, const char *key, char *hint)
{
    char near[KEY_PATH_MAX];
    suggest_path(c, key, near);
    if (near[0]) snprintf(hint, KEY_PATH_MAX + 32, "; did you mean '%s'?", near);
    else hint[0] = '\0';
}

void sim_config_key_hint(const sim_config *c, const char *key, char *hint, size_t size)
{
    char h[KEY_PATH_MAX + 32];
    unknown_key_hint(c, key, h);
    snprintf(hint, size, "%s", h);
}

int sim_config_override_at(sim_config *c, const char *assignment, const char *origin)
{
    const char *where = origin ? origin : SET_WHERE;
    const char *eq = strchr(assignment, '=');
    if (!eq || eq == assignment) {
        error_at(c, where, 0, "'%s': expected path.to.key=value", assignment);
        return -1;
    }
    char key[KEY_PATH_MAX];
    size_t klen = (size_t)(eq - assignment);
    if (klen >= sizeof key || !c->parsed) {
        error_at(c, where, 0, "'%s': key too long or scenario not loaded", assignment);
        return -1;
    }
    memcpy(key, assignment, klen);
    key[klen] = '\0';
    config_setting_t *dst = config_lookup(&c->cfg, key);
    if (!dst) {
        char hint[KEY_PATH_MAX + 32];
        unknown_key_hint(c, key, hint);
        error_at(c, where, 0, "%s: unknown key (not in the scenario %s%s)", key, c->name, hint);
        return -1;
    }
    config_t tmp;
    config_setting_t *src = parse_value(&tmp, eq + 1);
    if (src && config_setting_type(dst) == CONFIG_TYPE_ARRAY) forget_elements(c, dst);
    int ok = src && (config_setting_type(dst) == CONFIG_TYPE_ARRAY ? assign_array(dst, src)
                                                                   : assign_scalar(dst, src));
    if (ok) note_origin(c, dst, where);   /* later problems with the value: reported at `where` */
    else override_type_error(c, where, key, eq + 1, dst, src);
    config_destroy(&tmp);
    return ok ? 0 : -1;
}

int sim_config_override(sim_config *c, const char *assignment)
{
    return sim_config_override_at(c, assignment, NULL);
}

/* A scenario's own overrides, the optional top-level list
 *   overrides = ( { key = "path.to.key"; value = <number, string, bool or array>; source = "..."; }, ... );
 * (or overrides_<name> = ..., so that an overlay can add a list to a scenario that has one)
 * sets keys that an included file already defines (libconfig cannot define a key
 * twice), in order, once the includes are expanded and before any reader runs;
 * --set comes later and wins. Each problem is reported at the override's line. */
static void apply_one_override(sim_config *c, config_setting_t *e)
{
    config_setting_t *k = config_setting_get_member(e, "key"), *v = config_setting_get_member(e, "value");
    for (int i = 0; i < config_setting_length(e); i++) {
        config_setting_t *m = config_setting_get_elem(e, (unsigned)i);
        mark_used(m);
        const char *name = config_setting_name(m);
        if (m != k && m != v && (!name || strcmp(name, "source") != 0))
            sim_config_error(c, m, "unknown key in an override (allowed: key, value, source)");
    }
    if (!config_setting_is_group(e) || !k || !v || config_setting_type(k) != CONFIG_TYPE_STRING) {
        sim_config_error(c, e, "an override needs key = \"path.to.key\" and value (allowed: { key; value; source; })");
        return;
    }
    const char *key = config_setting_get_string(k);
    config_setting_t *dst = config_lookup(&c->cfg, key);
    if (!dst || strncmp(key, "overrides", 9) == 0) {   /* an override cannot change an override */
        char hint[KEY_PATH_MAX + 32];
        unknown_key_hint(c, key, hint);
        sim_config_error(c, k, "%s: unknown key (not in the scenario or its includes%s)", key, hint);
        return;
    }
    if (config_setting_type(dst) == CONFIG_TYPE_ARRAY) forget_elements(c, dst);
    int ok = config_setting_type(dst) == CONFIG_TYPE_ARRAY ? assign_array(dst, v) : assign_scalar(dst, v);
    char where[KEY_PATH_MAX];
    if (!ok)
        sim_config_error(c, v, "%s: the override is %s but the scenario has %s here", key,
                         type_name(config_setting_type(v)), type_name(config_setting_type(dst)));
    else   /* a problem with the value is reported at the override's line */
        note_origin(c, dst, sim_config_where(c, v, where, sizeof where));
}

static void apply_override_list(sim_config *c, config_setting_t *list)
{
    mark_used(list);
    if (!config_setting_is_list(list)) {
        sim_config_error(c, list, "expected a list ( { key; value; source; }, ... ), got %s",
                         type_name(config_setting_type(list)));
        return;
    }
    for (int i = 0; i < config_setting_length(list); i++)
        apply_one_override(c, config_setting_get_elem(list, (unsigned)i));
}

/* Every top-level list named overrides or overrides_<anything>, in file order
 * (an overlay of a scenario that has its own list adds another name). */
static void apply_overrides(sim_config *c)
{
    config_setting_t *root = config_root_setting(&c->cfg);
    for (int i = 0; i < config_setting_length(root); i++) {
        config_setting_t *s = config_setting_get_elem(root, (unsigned)i);
        const char *name = config_setting_name(s);
        if (name && (!strcmp(name, "overrides") || !strncmp(name, "overrides_", 10))) apply_override_list(c, s);
    }
}

/* The group at the dotted path (created where missing); NULL if a part is not a group. */
static config_setting_t *group_at(config_setting_t *g, char *path)
{
    for (char *dot; g && (dot = strchr(path, '.')); path = dot + 1) {
        *dot = '\0';
        config_setting_t *n = config_setting_get_member(g, path);
        if (!n) n = config_setting_add(g, path, CONFIG_TYPE_GROUP);
        g = n && config_setting_type(n) == CONFIG_TYPE_GROUP ? n : NULL;
        *dot = '.';
    }
    return g;
}

int sim_config_record(sim_config *c, const char *assignment)
{
    const char *eq = strchr(assignment, '=');
    if (!eq || eq == assignment || !c->parsed) return -1;
    char *key = strndup(assignment, (size_t)(eq - assignment));
    config_t tmp;
    config_setting_t *src = key ? parse_value(&tmp, eq + 1) : NULL;
    config_setting_t *g = src && !config_setting_is_aggregate(src) ? group_at(config_root_setting(&c->cfg), key) : NULL;
    const char *name = strrchr(key ? key : "", '.');
    name = name ? name + 1 : key;
    config_setting_t *dst = g ? config_setting_get_member(g, name) : NULL;
    int ok = dst && assign_scalar(dst, src);
    if (g && !ok) {   /* absent, or of another type: a new setting of the value's type */
        if (dst) {
            forget_origin(c, dst);
            config_setting_remove(g, name);
        }
        dst = config_setting_add(g, name, config_setting_type(src));
        ok = dst && assign_scalar(dst, src);
    }
    if (key) config_destroy(&tmp);
    free(key);
    return ok ? 0 : -1;
}

/* --------------------------------------------------------- provenance -- */

char *sim_config_resolved_text(const sim_config *c)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f) return NULL;
    if (c->parsed) config_write(&c->cfg, f);
    if (fclose(f) != 0) { free(buf); return NULL; }
    return buf;
}

static void each_number(const config_setting_t *s,
                        void (*fn)(const char *, double, void *), void *user)
{
    int t = config_setting_type(s);
    if (t == CONFIG_TYPE_GROUP || t == CONFIG_TYPE_LIST || t == CONFIG_TYPE_ARRAY) {
        for (int i = 0; i < config_setting_length(s); i++)
            each_number(config_setting_get_elem(s, (unsigned)i), fn, user);
        return;
    }
    double v;
    if (t == CONFIG_TYPE_FLOAT) v = config_setting_get_float(s);
    else if (t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64) v = (double)config_setting_get_int64(s);
    else if (t == CONFIG_TYPE_BOOL) v = config_setting_get_bool(s);
    else return;
    char path[KEY_PATH_MAX];
    fn(sim_config_path(s, path, sizeof path), v, user);
}

void sim_config_each_number(const sim_config *c,
                            void (*fn)(const char *path, double value, void *user), void *user)
{
    if (c->parsed) each_number(config_root_setting(&c->cfg), fn, user);
}
