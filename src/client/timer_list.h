/* timer_list.h - `pxinit list-timers`: the timers as systemctl list-timers
 * (v252) shows them.
 *
 * The columns NEXT LEFT LAST PASSED UNIT ACTIVATES, one space apart, the
 * times as systemd formats them ("Mon 2026-12-07 12:00:00 UTC" in the local
 * zone, "5min left", "2h 3min ago", "-" for none), sorted by next elapse,
 * then the footer; or, with --json, an array of objects with those keys
 * (the times in Unix microseconds, as systemctl -o json). Pure functions of
 * the records and a "now" the caller passes, so tests pin both.
 */
#ifndef PXINIT_TIMER_LIST_H
#define PXINIT_TIMER_LIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "wire/status_board.h"

/* Longest timestamp or relative time, NUL included. */
#define TL_TIME_MAX 64

/* usec (Unix microseconds) in the local time zone: "Mon 2026-12-07
 * 12:00:00 UTC"; "-" for 0. Returns buf. */
const char *tl_timestamp(char *buf, size_t size, int64_t usec);
/* usec relative to now_usec: "5min left", "2h 3min ago", "now"; "-" for 0.
 * Returns buf. */
const char *tl_relative(char *buf, size_t size, int64_t usec, int64_t now_usec);

/* Sorts the timers as systemctl does: by next elapse (none first), then by
 * name. */
void tl_sort(struct sb_unit *t, size_t n);
/* The table (header, rows, footer) of the n timers, sorted; all: inactive
 * timers were included (no hint to pass --all). */
void tl_print_table(FILE *f, const struct sb_unit *t, size_t n, int64_t now_usec, bool all);
/* The JSON array of the n timers, sorted. */
void tl_print_json(FILE *f, const struct sb_unit *t, size_t n);

#endif
