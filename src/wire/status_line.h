/* status_line.h - the line `pxinit status` prints for a unit, and the words
 * in it, written without the C library.
 *
 * protocol.c's table prints every line through sl_format(), and the libc-free
 * `pxinit status UNIT` path (fastpath.c, which runs before glibc is set up)
 * prints its one line through sl_format_record(), so the two cannot drift
 * apart. Everything here is freestanding: no library calls, no tables of
 * pointers (nothing to relocate), compiled with the fast path's flags in the
 * build that has it (Makefile.am).
 */
#ifndef PXINIT_STATUS_LINE_H
#define PXINIT_STATUS_LINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wire/status_board.h"
#include "wire/unit_state.h"

/* What one line shows; the strings are NUL-terminated, state and sub are
 * codes (unit_state.h), signal is the name of exit_signal (looked at only
 * when exit_signal > 0). */
struct sl_unit {
    const char *name;
    uint8_t state, sub;
    int32_t pid;
    uint32_t restarts;
    int32_t exit_code, exit_signal;
    const char *signal;
    int64_t since;
    /* A timer's row adds how long until its next elapse and since its
     * last trigger: "left=5min3s passed=2h10min" ('-' for none). */
    bool timer;
    int64_t next_elapse, last_trigger; /* Unix microseconds, 0 for none */
};

/* Long enough for any line: names have at most SB_NAME_MAX - 1 bytes. */
#define SL_LINE_MAX 1024

/* The table row for u, newline included, with the name and state columns
 * wname and wstate wide (at least), now the current Unix time: name, state,
 * main pid, uptime (active units), restarts, last exit, sub-state, and for
 * a timer the time left to its next elapse and passed since its last. Writes at
 * most size bytes, NUL included; returns the row's length (like snprintf). */
size_t sl_format(char *buf, size_t size, const struct sl_unit *u, int64_t now, int wname,
                 int wstate);
/* The row `pxinit status NAME` prints alone (no legend) for a record copied
 * off the board, whose name is name; real-time signals named as glibc's
 * SIGRTMIN/SIGRTMAX (signame.h) do. */
size_t sl_format_record(char *buf, size_t size, const struct sb_record *rec, const char *name,
                        int64_t now);
/* Uptime as one word: "38s", "5min3s", "2h10min", "3d4h". */
size_t sl_span(char *buf, size_t size, int64_t sec);

/* "web.service" -> "web"; copies at most size-1 bytes. */
void proto_short_name(const char *name, char *out, size_t size);
/* True for names made of [A-Za-z0-9:_.@-\], 1..255 bytes. */
bool proto_unit_name_ok(const char *name);

#endif
