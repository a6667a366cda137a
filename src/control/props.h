/* props.h - a unit's properties as `systemctl show` prints them: (KEY,
 * VALUE) pairs in systemd's order, for the `show` request
 * (control_show.c, doc/protocol.md).
 *
 * The values are the text systemctl prints after "KEY=", except what the
 * protocol says the client formats: a ...Timestamp is Unix microseconds (0:
 * never), UnitFileState and UnitFilePreset are empty, Listen is "TYPE
 * ADDRESS". Pure functions of the unit's record: they read no file and
 * never block (a time zone already loaded formats ExecStart='s times).
 */
#ifndef PXINIT_PROPS_H
#define PXINIT_PROPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/service.h"

/* Where the pairs go, and which ones are wanted. */
struct props_out {
    void (*emit)(void *ctx, const char *key, const char *value);
    void *ctx;
    char *const *only; /* -p names; NULL or nonly 0: every property */
    size_t nonly;
};

/* What a unit's properties need from beyond its record. */
struct props_env {
    uint64_t realtime_now, monotonic_now; /* usec: ...Monotonic from realtime stamps */
    /* The units that trigger s (timers, sockets), space-separated; NULL:
     * none. Called only when TriggeredBy is wanted. */
    void (*triggered_by)(void *ctx, const struct service *s, char *buf, size_t size);
    void *ctx;
};

/* The manager's properties (systemctl show without a unit). */
struct props_manager {
    const char *version;
    const char *system_state; /* running, degraded, starting, stopping */
    const char *unit_path;    /* ':'-separated */
    const char *environment;  /* space-separated KEY=VALUE; "" none */
    unsigned n_names, n_failed_units, n_jobs;
    uint64_t userspace_timestamp; /* realtime usec pxinit started */
};

/* --- props_fmt.c: the shapes of values -------------------------------------- */
bool props_want(const struct props_out *o, const char *key);
/* KEY=value (NULL as ""), when wanted. */
void props_str(const struct props_out *o, const char *key, const char *value);
void props_fmt(const struct props_out *o, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void props_bool(const struct props_out *o, const char *key, bool v);
void props_u64(const struct props_out *o, const char *key, uint64_t v);
/* A time span as systemd prints it ("1min 30s", "infinity", "0"). */
void props_span(const struct props_out *o, const char *key, uint64_t usec);
/* KEY (Unix usec) and KEYMonotonic (usec since boot, 0 when never). */
void props_stamp(const struct props_out *o, const char *key, uint64_t realtime,
                 const struct props_env *env);
/* A list, space-separated. */
void props_list(const struct props_out *o, const char *key, char *const *v, size_t n);
/* A Unix time in usec as systemd prints it ("Mon 2026-12-07 18:05:01
 * UTC", in the local zone), "n/a" for 0. */
void props_time_text(uint64_t usec, char *buf, size_t size);

/* --- props_unit.c ------------------------------------------------------------ */
/* Every property of the loaded unit s, its type's first, then the Unit
 * interface's, as systemd orders them. */
void props_unit(const struct props_out *o, const struct service *s, const struct props_env *env);
/* A unit that is not loaded: name (full, "x.service"), masked or not found. */
void props_unloaded(const struct props_out *o, const char *name, bool masked);

/* --- props_service.c, props_trigger.c: what a type adds ------------------------ */
void props_service(const struct props_out *o, const struct service *s, const struct props_env *env);
/* KillMode= and its siblings (a service's and a socket's). */
void props_kill(const struct props_out *o, const struct unit *u);
void props_timer(const struct props_out *o, const struct service *s, const struct props_env *env);
void props_socket(const struct props_out *o, const struct service *s, const struct props_env *env);

/* --- props_manager.c --------------------------------------------------------- */
void props_manager(const struct props_out *o, const struct props_manager *m);

#endif
