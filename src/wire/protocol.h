/* protocol.h - the control protocol's text forms, shared by daemon and client:
 * request validation and splitting, the `unit ...` record line, and the
 * renderings of unit records for people (status, table) and programs (JSON).
 * The protocol itself is documented in doc/protocol.md.
 */
#ifndef PXINIT_PROTOCOL_H
#define PXINIT_PROTOCOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "wire/status_board.h"
#include "wire/status_line.h"

/* Longest request line, newline included. */
#define PROTO_MAX_REQUEST 4096
/* Most words in a request. */
#define PROTO_MAX_ARGS 256

/* Exit codes (SPEC), also the numbers of `error` and `end` lines. */
enum proto_exit {
    PROTO_EXIT_OK = 0,
    PROTO_EXIT_FAILED = 1,
    PROTO_EXIT_USAGE = 2,
    PROTO_EXIT_NOT_ACTIVE = 3,
    PROTO_EXIT_NO_UNIT = 4,
    PROTO_EXIT_UNREACHABLE = 5,
};

/* True when line[0..len) (no newline) may be a request: no NUL, no control
 * characters but tab; a trailing CR is allowed (and should be cut). */
bool proto_request_valid(const char *line, size_t len);
/* Splits line in place at spaces and tabs. Returns the number of words, or
 * -1 when there are more than max. */
int proto_split(char *line, char **argv, int max);

/* proto_short_name() and proto_unit_name_ok() are in status_line.h: the
 * libc-free status path checks names the same way. */

/* The record line: "unit NAME STATE SUB PID PGID RESTARTS CODE SIGNAL SINCE"
 * ('-' for none). Returns the length written (truncated like snprintf). */
int proto_format_unit(char *buf, size_t size, const struct sb_unit *u);
/* Parses what follows "unit " back. 0, or -1 when malformed. */
int proto_parse_unit(const char *rest, struct sb_unit *u);

/* A timer's line, after its `unit` line: "timer NAME NEXT LAST ACTIVATES",
 * the times in Unix microseconds ('-' for none), ACTIVATES the unit it
 * starts ('-' when unknown). Returns the length (like snprintf). */
int proto_format_timer(char *buf, size_t size, const struct sb_unit *u);
/* Parses what follows "timer " into the timer fields of u (and sets
 * u->timer) when it names u. 1 done, 0 another unit's, -1 malformed. */
int proto_parse_timer(const char *rest, struct sb_unit *u);

/* Replaces control characters (and non-ASCII bytes) with '?', in place, so a
 * message always stays one line of text. */
void proto_sanitize(char *s);

/* True when the unit counts as active for `status` (exit 0). */
bool proto_unit_active(const struct sb_unit *u);

/* s as a JSON string, quoted and escaped (esc_json_string(): bytes that
 * are not UTF-8 become U+FFFD). */
void proto_json_string(FILE *f, const char *s);

/* Renderings. now is the current Unix time (for the uptime). The table is
 * SPEC's: one line per unit with name, state, main pid, uptime, restarts and
 * last exit, then the sub-state, each one word (a timer adds the time left
 * to its next elapse and passed since its last trigger); header adds a
 * legend line. The JSON gives a timer's object "next_elapse" and
 * "last_trigger" (Unix seconds or null), and a socket's (a record with
 * u->socket) its addresses and counters (proto_socket_print_json()). */
void proto_print_json(FILE *f, const struct sb_unit *units, size_t n);
void proto_print_table(FILE *f, const struct sb_unit *units, size_t n, int64_t now, bool header);

#endif
