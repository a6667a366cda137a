/* unit_values.h - internal to the unit reader: what a row of the key table
 * is (unit_key_table.c), the context its value parser gets, and the parsers
 * themselves, by kind:
 *   unit_values.c        helpers, scalars, names (Type=, Restart=...), unit lists
 *   unit_values_time.c   time spans, timeouts, Limit*=
 *   unit_values_exec.c   Exec*= command lines, exit statuses
 *   unit_values_paths.c  paths, directories, conditions, StandardOutput=
 *   unit_values_creds.c  User=, Group=, environment
 *   unit_sched.c         scheduling, Nice=, OOMScoreAdjust=
 *   unit_values_timer.c  [Timer]: On*=, Unit=, and a timer's final checks
 *   unit_values_socket.c [Socket]: Listen*=, Service=..., a socket's final
 *                        checks; [Service] Sockets=, StandardInput=
 * Not for use outside src/unit/.
 */
#ifndef PXINIT_UNIT_VALUES_H
#define PXINIT_UNIT_VALUES_H

#include <stdbool.h>
#include <stddef.h>

#include "base/strv.h"
#include "unit/unit.h"
#include "unit/unit_diag.h"

/* One file being parsed into one unit. */
struct unit_parse_ctx {
    struct unit *u;
    struct diag_file diag;  /* the file's path, sink and failed flag */
    unsigned lineno;        /* where the assignment being applied started */
    const char *reason;     /* a value parser's explanation of its EINVAL, or NULL */
    char not_enforced[512]; /* unit_keys.c: "PrivateTmp= (line 7), ..." for one warning */
    size_t not_enforced_len;
    unsigned not_enforced_more; /* names that did not fit */
};

/* Reports through ctx->diag (unit_diag.h); an error also marks the unit as
 * not loaded. */
void unit_diag(struct unit_parse_ctx *ctx, enum diag_level level, unsigned lineno, const char *fmt,
               ...) __attribute__((format(printf, 4, 5)));

/* A row of the key table (unit_key_table.c). */
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

/* ---- helpers (unit_values.c) --------------------------------------------- */
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
/* Splits value into words with systemd's quoting; EINVAL is reported. */
int value_words(struct unit_parse_ctx *ctx, const char *value, struct strv *words);

/* ---- the parsers a row names ---------------------------------------------- */
/* Scalars in the row's field; an empty value restores arg, the default. */
int value_parse_string(struct unit_parse_ctx *ctx, const struct unit_key *k, const char *value);
int value_parse_flag(struct unit_parse_ctx *ctx, const struct unit_key *k, const char *value);
int value_parse_unsigned(struct unit_parse_ctx *ctx, const struct unit_key *k, const char *value);
int value_parse_signal(struct unit_parse_ctx *ctx, const struct unit_key *k, const char *value);
int value_parse_mode(struct unit_parse_ctx *ctx, const struct unit_key *k, const char *value);
/* Restart=, KillMode=, NotifyAccess=: arg says which (no field offset). */
enum { KEY_ENUM_RESTART, KEY_ENUM_KILL_MODE, KEY_ENUM_NOTIFY_ACCESS };
int value_parse_enum(struct unit_parse_ctx *ctx, const struct unit_key *k, const char *value);
int value_parse_notify_access(struct unit_parse_ctx *ctx, const struct unit_key *k,
                              const char *value);
int value_parse_type(struct unit_parse_ctx *ctx, const struct unit_key *k, const char *value);
/* SuccessAction= (arg 0), FailureAction= (arg 1). */
int value_parse_action(struct unit_parse_ctx *ctx, const struct unit_key *k, const char *value);
int value_parse_unit_list(struct unit_parse_ctx *ctx, const struct unit_key *k, const char *value);

/* unit_values_time.c */
int value_parse_timespan(struct unit_parse_ctx *ctx, const struct unit_key *k, const char *value);
/* TimeoutStartSec= (arg 1), TimeoutStopSec= (arg 2), TimeoutSec= (arg 3). */
int value_parse_timeout(struct unit_parse_ctx *ctx, const struct unit_key *k, const char *value);
/* Limit*=: arg is the RLIMIT_ resource. */
int value_parse_limit(struct unit_parse_ctx *ctx, const struct unit_key *k, const char *value);

/* unit_values_exec.c */
int value_parse_exec(struct unit_parse_ctx *ctx, const struct unit_key *k, const char *value);
int value_parse_exit_status(struct unit_parse_ctx *ctx, const struct unit_key *k,
                            const char *value);

/* unit_values_paths.c */
/* systemd's path rule: "//" and "." tidied away in place, ".." refused
 * (EINVAL with the reason set). 0 or -1. */
int value_path_normalize(struct unit_parse_ctx *ctx, char *path);
int value_parse_pid_file(struct unit_parse_ctx *ctx, const struct unit_key *k, const char *value);
int value_parse_working_directory(struct unit_parse_ctx *ctx, const struct unit_key *k,
                                  const char *value);
int value_parse_environment_file(struct unit_parse_ctx *ctx, const struct unit_key *k,
                                 const char *value);
/* RuntimeDirectory= and siblings: arg is the EXEC_DIR_ kind. */
int value_parse_exec_dirs(struct unit_parse_ctx *ctx, const struct unit_key *k, const char *value);
int value_parse_dir_preserve(struct unit_parse_ctx *ctx, const struct unit_key *k,
                             const char *value);
#define COND_ASSERT 0x100 /* in a key row's arg: Assert*= rather than Condition*= */
/* Condition*= and Assert*= on a path: '|' (trigger) and '!' (negate) prefixes,
 * then an absolute path; arg is the condition_kind, with COND_ASSERT. */
int value_parse_condition_path(struct unit_parse_ctx *ctx, const struct unit_key *k,
                               const char *value);
/* ConditionCapability=, ConditionVirtualization=, ConditionACPower= (and
 * Assert*): '|' and '!' as above, then a word. */
int value_parse_condition_word(struct unit_parse_ctx *ctx, const struct unit_key *k,
                               const char *value);
/* StandardOutput= (arg 0), StandardError= (arg 1). */
int value_parse_output(struct unit_parse_ctx *ctx, const struct unit_key *k, const char *value);
/* X-LogMaxSize= (arg 0), X-LogMaxFiles= (arg 1). */
int value_parse_log_rotation(struct unit_parse_ctx *ctx, const struct unit_key *k,
                             const char *value);

/* unit_values_creds.c */
int value_parse_user(struct unit_parse_ctx *ctx, const struct unit_key *k, const char *value);
int value_parse_groups(struct unit_parse_ctx *ctx, const struct unit_key *k, const char *value);
int value_parse_environment(struct unit_parse_ctx *ctx, const struct unit_key *k,
                            const char *value);
/* PassEnvironment=, UnsetEnvironment=. */
int value_parse_env_names(struct unit_parse_ctx *ctx, const struct unit_key *k, const char *value);

/* unit_sched.c: CPUScheduling*= and IOScheduling*=; the row's arg says which. */
enum {
    KEY_SCHED_POLICY,
    KEY_SCHED_PRIORITY,
    KEY_SCHED_RESET_ON_FORK,
    KEY_IOPRIO_CLASS,
    KEY_IOPRIO_LEVEL,
};
int value_parse_sched(struct unit_parse_ctx *ctx, const struct unit_key *k, const char *value);
int value_parse_nice(struct unit_parse_ctx *ctx, const struct unit_key *k, const char *value);
int value_parse_oom_score_adjust(struct unit_parse_ctx *ctx, const struct unit_key *k,
                                 const char *value);

/* unit_values_timer.c: OnActiveSec= ... OnCalendar= (arg: the enum timer_base;
 * an empty value drops every trigger) and Unit= (a row IN(TIMER)). */
int value_parse_timer(struct unit_parse_ctx *ctx, const struct unit_key *k, const char *value);
int value_parse_timer_unit(struct unit_parse_ctx *ctx, const struct unit_key *k, const char *value);
/* Once a .timer's files are read: refuses a timer with no trigger, and
 * fills in Unit='s default (NAME.service). 0, or -1 when it will not load
 * (reported through ctx). */
int unit_timer_finalize(struct unit_parse_ctx *ctx);

/* unit_values_socket.c: ListenStream=... ListenFIFO= (arg: the enum
 * socket_listen_kind; an empty value drops every entry), and the [Socket]
 * keys that find their own field (rows IN(SOCKET)). */
int value_parse_listen(struct unit_parse_ctx *ctx, const struct unit_key *k, const char *value);
int value_parse_socket_service(struct unit_parse_ctx *ctx, const struct unit_key *k,
                               const char *value);
int value_parse_fd_name(struct unit_parse_ctx *ctx, const struct unit_key *k, const char *value);
int value_parse_bind_ipv6_only(struct unit_parse_ctx *ctx, const struct unit_key *k,
                               const char *value);
int value_parse_symlinks(struct unit_parse_ctx *ctx, const struct unit_key *k, const char *value);
/* MaxConnections= (arg 0), MaxConnectionsPerSource= (arg 1). */
int value_parse_max_connections(struct unit_parse_ctx *ctx, const struct unit_key *k,
                                const char *value);
int value_parse_trigger_burst(struct unit_parse_ctx *ctx, const struct unit_key *k,
                              const char *value);
/* ReceiveBuffer= (arg 0), SendBuffer= (arg 1): sizes as systemd's parse_size(). */
int value_parse_socket_buffer(struct unit_parse_ctx *ctx, const struct unit_key *k,
                              const char *value);
/* [Service] Sockets= (a strv field) and StandardInput= (a row IN(EXEC)). */
int value_parse_sockets(struct unit_parse_ctx *ctx, const struct unit_key *k, const char *value);
int value_parse_input(struct unit_parse_ctx *ctx, const struct unit_key *k, const char *value);
/* Once a .socket's files are read: refuses a socket with no Listen*=, an
 * Accept=yes one with a datagram or FIFO entry or with Service=, and fills
 * in TriggerLimitBurst='s and MaxConnectionsPerSource='s defaults. 0, or -1
 * when it will not load (reported through ctx). */
int unit_socket_finalize(struct unit_parse_ctx *ctx);

#endif
