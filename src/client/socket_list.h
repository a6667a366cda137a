/* socket_list.h - `pxinit list-sockets`: the sockets as systemctl
 * list-sockets (v252) shows them.
 *
 * One row per listen address: LISTEN (the address as systemd writes it,
 * or the FIFO's path), UNIT, ACTIVATES, one space apart, sorted as
 * systemctl sorts (addresses that are not paths first, paths by their
 * components, then by type), then the legend; or, with --json, an array
 * of objects {"listen","type","unit","activates"}. ACTIVATES is what the
 * socket starts: its service, or for Accept=yes the template
 * ("echo@.service"), where systemctl shows the instances running at that
 * moment. Pure functions of the records the caller passes.
 */
#ifndef PXINIT_SOCKET_LIST_H
#define PXINIT_SOCKET_LIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "wire/status_board.h"

/* One row; the strings point into the records it was made from. */
struct socket_row {
    const char *listen;    /* "/run/x.sock", "[::]:80", "@name" */
    const char *type;      /* "Stream", "Datagram", "SequentialPacket", "FIFO" */
    const char *unit;      /* "x.socket" */
    const char *activates; /* "x.service"; "" when unknown */
};

/* The rows of the sockets among the n records (those with socket details),
 * only the ones not inactive unless all, sorted. Returns a malloc'ed array
 * (NULL when there are none: *nrows 0), or NULL with *nrows set to
 * (size_t)-1 when out of memory. */
struct socket_row *socket_rows(const struct sb_unit *units, size_t n, bool all, size_t *nrows);
/* Sorts as systemctl does: addresses that are not paths first (by their
 * text), then paths component by component, then by type (and unit). */
void socket_rows_sort(struct socket_row *r, size_t n);
/* The table: header, rows, legend; all: inactive sockets were included
 * (no hint to pass --all). Addresses are shown with control characters,
 * backslashes and bytes that are not UTF-8 escaped (escape.h). */
void socket_list_print_table(FILE *f, const struct socket_row *r, size_t n, bool all);
/* The JSON array of the rows. */
void socket_list_print_json(FILE *f, const struct socket_row *r, size_t n);

#endif
