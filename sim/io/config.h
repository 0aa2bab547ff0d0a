/* config.h: scenario loading and validation on top of libconfig 1.5.
 *
 * A scenario is a libconfig file; `@include "x.cfg"` lines are expanded by this
 * module relative to the including file's directory (libconfig 1.5 only knows
 * one include directory), with cycle and depth checks, while a line map keeps
 * every setting traceable to its own file and line.
 *
 * Readers (sim_cfg_*) never stop at the first problem: each problem is recorded
 * as "file:line: key: what is wrong (allowed: ...)" and a harmless fallback is
 * returned, so `sim validate` can list every problem at once. Every setting a
 * reader touches is marked; sim_config_check_unused then reports each setting
 * nobody asked for as an unknown key. */
#ifndef SIM_CONFIG_H
#define SIM_CONFIG_H

#include <libconfig.h>
#include <stdio.h>

#include "../core/common.h"

typedef struct sim_config sim_config;
typedef config_setting_t sim_node;   /* a setting inside a sim_config; owned by it */

/* Load and parse `path` (includes expanded). Never returns NULL except when out of
 * memory; check sim_config_nerrors. The caller owns the result. */
sim_config *sim_config_load(const char *path);
/* Parse scenario text held in memory; `name` stands for the file name in messages
 * and `dir` resolves includes (NULL = current directory). */
sim_config *sim_config_parse(const char *text, const char *name, const char *dir);
void sim_config_destroy(sim_config *c);   /* NULL is a no-op */

/* Apply an override "path.to.key=value". The key must exist in the scenario and the
 * value must have its type (an integer may stand for a float). Records an error and
 * returns -1 otherwise. */
int sim_config_override(sim_config *c, const char *assignment);
/* The same, for an override from `origin` ("sweep.cfg:7", "command line (--scale)";
 * NULL = "command line (--set)"): every later problem with the value it set (a range,
 * an enum, a date) is reported at origin, not at the line of the file that first
 * defined the key. sim_config_override is this with NULL. */
int sim_config_override_at(sim_config *c, const char *assignment, const char *origin);

/* Into hint[size]: "; did you mean 'a.b.c'?" with the scenario's existing key nearest to
 * `key` (as --set and overrides suggest), or "" when none is near. */
void sim_config_key_hint(const sim_config *c, const char *key, char *hint, size_t size);
/* Record a scalar "path.to.key=value" that ran (provenance, e.g. --seed): unlike an
 * override it creates missing groups and the key, and replaces a setting of another
 * type (seed = 5; recorded as 3000000000L, sample = 1; as 0.05). 0, or -1 (out of
 * memory, or a value that is not a scalar); no error is added to the list. */
int sim_config_record(sim_config *c, const char *assignment);

/* Problems recorded so far, and printing them (one per line, at most `max`, 0 = all). */
size_t sim_config_nerrors(const sim_config *c);
const char *sim_config_error_at(const sim_config *c, size_t i);
void sim_config_print_errors(const sim_config *c, FILE *f, size_t max);
/* Record a problem about setting `s` (NULL = the file as a whole). */
void sim_config_error(sim_config *c, const sim_node *s, const char *fmt, ...) SIM_PRINTF(3, 4);
/* "file:line" of setting s (its own file, after include expansion) into buf; for a
 * value an override set, where that override came from. */
const char *sim_config_where(const sim_config *c, const sim_node *s, char *buf, size_t size);
/* Record "unknown key" for every setting no reader has touched. */
void sim_config_check_unused(sim_config *c);

/* The scenario file name as given to load. */
const char *sim_config_file(const sim_config *c);
/* The resolved scenario (after includes and overrides) as libconfig text;
 * the caller frees it. NULL when out of memory. */
char *sim_config_resolved_text(const sim_config *c);
/* Visit every numeric or boolean scalar: fn(path, value, user). */
void sim_config_each_number(const sim_config *c,
                            void (*fn)(const char *path, double value, void *user), void *user);
/* "a.b.[2].c" path of a setting, written into buf. */
const char *sim_config_path(const sim_node *s, char *buf, size_t size);
/* The measure of "did you mean" suggestions: the edits (insertions, deletions, substitutions,
 * swaps of neighbours; letters compared without case when nocase) from the unknown `name` to
 * `candidate` when they are near enough to suggest (at most SIM_CONFIG_NEAR edits, and fewer
 * than a third of name's length), else SIM_CONFIG_NEAR + 1. Smaller is nearer. */
#define SIM_CONFIG_NEAR 2
int sim_config_near(const char *name, const char *candidate, int nocase);

/* ---- readers: `parent` NULL = the root group; `key` NULL = `parent` itself ----
 * Every reader that looks for a key and does not find it records the key (a name asked for
 * in that group), so that a misspelt key in the file is reported with the one meant
 * ("did you mean"); that is why the readers, like the whole config, are for one thread. */

/* 1 if the key exists (does not mark it; records it when absent). */
int sim_cfg_has(const sim_config *c, const sim_node *parent, const char *key);
/* The setting parent.key without marking it or complaining; NULL if missing (recorded). */
sim_node *sim_cfg_lookup(sim_config *c, sim_node *parent, const char *key);
/* Mark a setting read without reading it: for a caller that has reported it itself
 * (so that it is not reported again as an unknown key). NULL is a no-op. */
void sim_cfg_mark_used(sim_node *n);
/* A group; records an error and returns NULL when missing or not a group. */
sim_node *sim_cfg_group(sim_config *c, sim_node *parent, const char *key);
/* A list or array; *n receives its length. NULL (n = 0) when missing/wrong type. */
sim_node *sim_cfg_list(sim_config *c, sim_node *parent, const char *key, int *n);
/* Element i of a list or array. */
sim_node *sim_cfg_elem(sim_node *list, int i);
/* Number in [lo, hi]; integers are accepted. */
double sim_cfg_real(sim_config *c, sim_node *parent, const char *key, double lo, double hi);
/* 1 if n holds an integer (32 or 64 bit), 0 otherwise (n may be NULL). */
int sim_cfg_is_integer(const sim_node *n);
/* Integer in [lo, hi] (32- or 64-bit literal). */
long long sim_cfg_int(sim_config *c, sim_node *parent, const char *key, long long lo, long long hi);
int sim_cfg_bool(sim_config *c, sim_node *parent, const char *key);
/* String; "" on error. Valid while the config lives. */
const char *sim_cfg_string(sim_config *c, sim_node *parent, const char *key);
/* A name (string) into buf[size]: valid UTF-8 of at most size - 1 bytes, else an
 * error naming the limit (never a silent cut, which could split a character or make
 * distinct names equal). buf is "" after an error. */
void sim_cfg_name(sim_config *c, sim_node *parent, const char *key, char *buf, size_t size);
/* Index of the string value in names[0..n), or 0 (after recording an error). */
int sim_cfg_enum(sim_config *c, sim_node *parent, const char *key,
                 const char *const *names, int n);
/* Calendar date "YYYY-MM-DD" as days since the origin (see sim_config_set_origin),
 * required to lie in [lo, hi] days and in the calendar sim_date_parse accepts (years
 * 1900-2200): the message names the narrower range, e.g. "allowed: 2019-01-01 to
 * 2200-12-31". hi = SIM_DATE_NO_LIMIT for a date with no upper limit of its own. */
double sim_cfg_date(sim_config *c, sim_node *parent, const char *key, double lo, double hi);
#define SIM_DATE_NO_LIMIT 1e300
/* The calendar sim_date_parse accepts: years SIM_DATE_FIRST_YEAR to SIM_DATE_LAST_YEAR. */
#define SIM_DATE_FIRST_YEAR 1900
#define SIM_DATE_LAST_YEAR 2200

/* Set the time origin used by sim_cfg_date from a "YYYY-MM-DD" string. 0 or -1. */
int sim_config_set_origin(sim_config *c, const char *date);
/* Days since 1970-01-01 of a valid "YYYY-MM-DD" date; 0 on success, -1 if invalid. */
int sim_date_parse(const char *s, long *days);
/* Write "YYYY-MM-DD" for days since 1970-01-01 into buf (>= 16 bytes). */
void sim_date_format(long days, char *buf);

#endif
