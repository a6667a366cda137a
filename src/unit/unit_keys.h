/* unit_keys.h - internal to the unit parser: the reader and dispatcher
 * (unit_parse.c) hand each assignment to the key table (unit_keys.c), whose
 * rows point at value parsers (there and in unit_values.c). Not for use
 * outside those three files.
 */
#ifndef PXINIT_UNIT_KEYS_H
#define PXINIT_UNIT_KEYS_H

#include <stdbool.h>
#include <stddef.h>

#include "unit/unit_parse.h"

/* One file being parsed into one unit. */
struct unit_parse_ctx {
    struct unit *u;
    const char *path;
    struct diag_sink *sink;
    unsigned lineno;        /* where the assignment being applied started */
    const char *reason;     /* a value parser's explanation of its EINVAL, or NULL */
    bool failed;            /* an error was reported for this file */
    char not_enforced[512]; /* "PrivateTmp= (line 7), ..." for one warning at the end */
    size_t not_enforced_len;
    unsigned not_enforced_more; /* names that did not fit */
};

/* Reports "PATH:LINE: message" (or "PATH: message" when lineno is 0) through
 * the sink, counting it; an error also marks the unit as not loaded. */
void unit_diag(struct unit_parse_ctx *ctx, enum diag_level level, unsigned lineno, const char *fmt,
               ...) __attribute__((format(printf, 4, 5)));

/* A row of the key table (unit_keys.c). */
struct unit_key;
typedef int (*unit_key_parser)(struct unit_parse_ctx *ctx, const struct unit_key *k,
                               const char *value);

struct unit_key {
    const char *section;
    const char *name;
    unit_key_parser parse; /* NULL: accepted and stored nowhere ([Install]) */
    size_t at;             /* the part it writes and the field there: UNIT_KEY_AT() */
    long arg;              /* parser-specific: a default, a resource, which stream */
};

/* A row's `at`: the part of struct unit the key writes (allocated before its
 * parser runs) and the offset of the field a generic parser writes in it. */
#define UNIT_KEY_AT(part, type, field) (((size_t)(part) << 24) | offsetof(type, field))
#define UNIT_KEY_IN(part) ((size_t)(part) << 24) /* a parser that finds its fields */
#define UNIT_KEY_PART(k) ((enum unit_part)((k)->at >> 24))

/* The field of ctx->u that row k names. unit_keys_apply() allocated the
 * row's part before calling its parser, so this cannot fail there. */
#define UNIT_KEY_FIELD(ctx, k, type) \
    ((type *)(void *)((char *)unit_part((ctx)->u, UNIT_KEY_PART(k)) + ((k)->at & 0xffffff)))

/* Value parsers return 0, or -1 with errno: ENOMEM, or EINVAL after
 * unit_key_invalid() has set ctx->reason (NULL when the value speaks for itself). */
int unit_key_invalid(struct unit_parse_ctx *ctx, const char *reason);

/* Small value helpers (unit_values.c). */
struct value_name {
    const char *name;
    int value;
};
/* Finds s in a {NULL, 0}-terminated table; false when absent. */
bool value_lookup(const struct value_name *table, const char *s, int *value);
/* systemd's booleans: 1 yes y true t on / 0 no n false f off, any case; -1 otherwise. */
int value_parse_bool(const char *s);
/* Whole-string unsigned number in base 8 or 10, at most max; 0 or -1. */
int value_parse_ull(const char *s, int base, unsigned long long max, unsigned long long *out);
int value_parse_ll(const char *s, long long min, long long max, long long *out);
bool value_user_name_valid(const char *s);

/* The parsers of the keys with more than a scalar behind them (unit_values.c). */
int value_parse_unit_list(struct unit_parse_ctx *ctx, const struct unit_key *k, const char *value);
#define COND_ASSERT 0x100 /* in a key row's arg: Assert*= rather than Condition*= */
int value_parse_condition_path(struct unit_parse_ctx *ctx, const struct unit_key *k,
                               const char *value);
/* ConditionCapability=, ConditionVirtualization=, ConditionACPower= (and
 * Assert*): '|' and '!' as above, then a word. */
int value_parse_condition_word(struct unit_parse_ctx *ctx, const struct unit_key *k,
                               const char *value);
/* CPUScheduling*= and IOScheduling*= (unit_sched.c); the row's arg says which. */
enum {
    KEY_SCHED_POLICY,
    KEY_SCHED_PRIORITY,
    KEY_SCHED_RESET_ON_FORK,
    KEY_IOPRIO_CLASS,
    KEY_IOPRIO_LEVEL,
};
int value_parse_sched(struct unit_parse_ctx *ctx, const struct unit_key *k, const char *value);
int value_parse_exec(struct unit_parse_ctx *ctx, const struct unit_key *k, const char *value);
int value_parse_pid_file(struct unit_parse_ctx *ctx, const struct unit_key *k, const char *value);
int value_parse_exit_status(struct unit_parse_ctx *ctx, const struct unit_key *k,
                            const char *value);
int value_parse_groups(struct unit_parse_ctx *ctx, const struct unit_key *k, const char *value);
int value_parse_working_directory(struct unit_parse_ctx *ctx, const struct unit_key *k,
                                  const char *value);
int value_parse_environment(struct unit_parse_ctx *ctx, const struct unit_key *k,
                            const char *value);
int value_parse_environment_file(struct unit_parse_ctx *ctx, const struct unit_key *k,
                                 const char *value);
int value_parse_limit(struct unit_parse_ctx *ctx, const struct unit_key *k, const char *value);
int value_parse_output(struct unit_parse_ctx *ctx, const struct unit_key *k, const char *value);
int value_parse_log_rotation(struct unit_parse_ctx *ctx, const struct unit_key *k,
                             const char *value);

/* Resolves systemd's %-specifiers in value for unit u (unit_specifier.c).
 * Returns a new string, or NULL with errno ENOMEM, or EINVAL with the
 * unknown specifier character in *bad ('\0' for a trailing '%'). */
char *unit_specifier_expand(const struct unit *u, const char *value, char *bad);

/* True for the sections whose keys we read: Unit, Service, Install. */
bool unit_section_known(const char *section);

/* Applies key=value, written in section at ctx->lineno, to ctx->u: parses it
 * through the key table, or warns about an unknown or unsupported key.
 * Malformed values are reported and parsing goes on. Returns 0, or -1 with
 * errno ENOMEM (already reported). */
int unit_keys_apply(struct unit_parse_ctx *ctx, const char *section, const char *key,
                    const char *value);

#endif
