/* systemctl_int.h - what the systemctl personality's files share: a unit's
 * properties as the daemon's `show` sends them (doc/protocol.md), one call
 * to the daemon, and the pure formatting of status and tables
 * (systemctl_fmt.c, unit-tested).
 */
#ifndef PXINIT_SYSTEMCTL_INT_H
#define PXINIT_SYSTEMCTL_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "client/client_int.h"
#include "client/systemctl.h"
#include "wire/status_board.h"

/* systemctl's exit codes (systemctl(1) "EXIT STATUS", LSB). */
enum {
    SC_EXIT_OK = 0,
    SC_EXIT_FAILURE = 1,
    SC_EXIT_NOT_RUNNING = 3, /* a unit is not active */
    SC_EXIT_NO_UNIT = 4,     /* no such unit (status) */
    SC_EXIT_NOT_INSTALLED = 5,
};

struct sc_prop {
    char *key, *value;
};

/* One unit's properties, in the order the daemon sent them. */
struct sc_unit {
    char *name; /* as the daemon named it; "" for the manager */
    struct sc_prop *props;
    size_t n, cap;
};

struct sc_set {
    struct sc_unit *units;
    size_t n, cap;
};

/* The value of key, or NULL when the unit has none. */
const char *sc_get(const struct sc_unit *u, const char *key);
/* The value of key as a number; 0 when absent or not a number. */
int64_t sc_get_num(const struct sc_unit *u, const char *key);
/* Adds key=value to the unit named name (a new one when it differs from
 * the last). 0, or -1 when out of memory. */
int sc_set_add(struct sc_set *s, const char *name, const char *key, const char *value);
void sc_set_free(struct sc_set *s);

/* "web" -> "web.service"; a name with a unit type's suffix is kept. */
void sc_unit_name(const char *in, char *out, size_t size);

/* What a call to the daemon saw, besides the exit code. */
struct sc_reply {
    struct sc_set *props; /* `prop` lines go here when not NULL */
    bool print_lines;     /* `line` lines (logs) to stdout */
    bool keep_lines;      /* else kept in lines (status) */
    char **lines;
    size_t nlines;
    bool print_msgs;       /* `msg` lines to stdout */
    char first_error[512]; /* the first `error` line's text */
    int first_error_code;
    char **errors; /* every `error` line: "CODE TEXT" */
    size_t nerrors;
    bool answered; /* some line came before `end` */
    /* `unit`, `timer`, `socket`, `listen` lines land in cl.units (the
     * client's own parser, client_request.c). */
    struct client cl;
};

/* Sends req (one line, with its \n) and reads the reply. The exit code of
 * `end`, or -1 when the daemon cannot be reached (the message is printed,
 * unless quiet), or 1 when the conversation broke. */
int sc_call(struct systemctl *sc, const char *req, bool waits, struct sc_reply *r);
void sc_reply_free(struct sc_reply *r);
/* The unreachable daemon's message: systemctl's, naming the directory. */
void sc_unreachable(const struct systemctl *sc);

/* The properties of each unit (or of the manager when n is 0, or of every
 * unit when all), with props (NULL: all) as the `-p` list. Falls back to
 * the older `status`/`list` requests when the daemon has no `show`. The
 * exit code of the call; -1 unreachable. */
int sc_fetch(struct systemctl *sc, char **units, int n, bool all, char **props, struct sc_set *out);

/* UnitFileState and UnitFilePreset, sent empty, filled in from the unit
 * files (systemctl_show.c). */
void sc_fill_install(struct systemctl *sc, struct sc_set *set);

/* --- formatting (systemctl_fmt.c: pure) --- */

/* systemd's timestamp ("Mon 2026-12-07 18:05:01 UTC", local time); "" for 0. */
const char *sc_fmt_timestamp(char *buf, size_t size, int64_t usec);
/* "2h 3min ago", "5s left"; "" for 0. */
const char *sc_fmt_relative(char *buf, size_t size, int64_t usec, int64_t now_usec);
/* True for a property whose value is a Unix time in microseconds. */
bool sc_prop_is_timestamp(const char *key);
/* exit status 0 -> "SUCCESS", 1 -> "FAILURE", ...; NULL when it has no name. */
const char *sc_exit_status_name(int status);
/* The `status` block of one unit, up to the journal. comm: the main
 * process's name (/proc/PID/comm) or NULL; color: a terminal; peers: the
 * states of the units in TriggeredBy (may be NULL). */
void sc_print_status(FILE *f, const struct sc_unit *u, int64_t now_usec, const char *comm,
                     bool color, const struct sc_set *peers);
/* The glyph and colours of an active state. */
const char *sc_state_glyph(const char *active_state);

/* --- the verbs (one file each) --- */
int sc_status(struct systemctl *sc);
int sc_show(struct systemctl *sc);
int sc_list_units(struct systemctl *sc);
int sc_list_timers(struct systemctl *sc);
int sc_list_sockets(struct systemctl *sc);
int sc_job_verb(struct systemctl *sc);
int sc_kill(struct systemctl *sc);
int sc_is_active(struct systemctl *sc, bool failed);
int sc_is_system_running(struct systemctl *sc);
int sc_simple_verb(struct systemctl *sc); /* daemon-reload, reset-failed, poweroff, ... */

#endif
