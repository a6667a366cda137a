/* unit_parse.h - reading unit files into struct unit.
 *
 * pxinit's own reader of systemd's syntax (unit_reader.c) finds the sections
 * and assignments; the key table (unit_keys.c) gives each its meaning.
 * Diagnostics name file:line (unit_diag.h).
 */
#ifndef PXINIT_UNIT_PARSE_H
#define PXINIT_UNIT_PARSE_H

#include <stddef.h>
#include <stdio.h>

#include "unit/unit.h"
#include "unit/unit_diag.h"

/* Parses the file at path into u, on top of what u already holds (so drop-ins
 * can be applied in turn). Systemd's rules: a repeated list key appends, an
 * empty assignment resets it; a scalar key's last assignment wins. Every
 * problem is reported through sink; all of them, not only the first.
 * Returns 0 when the file had no error, -1 when it had any error (u->loaded is
 * then false) or could not be read. */
int unit_parse_file(struct unit *u, const char *path, struct diag_sink *sink);

/* The same for an already open stream (read whole, at most as much as a
 * file); path is only used in messages. */
int unit_parse_stream(struct unit *u, FILE *f, const char *path, struct diag_sink *sink);

/* The same for text in memory (len bytes, which may hold NULs). */
int unit_parse_text(struct unit *u, const char *text, size_t len, const char *path,
                    struct diag_sink *sink);

/* After all files: fills in defaults that depend on other keys (Type=oneshot
 * when there is no ExecStart=, StandardError= following StandardOutput=) and
 * checks combinations (a non-oneshot service needs exactly one ExecStart=).
 * Returns 0 or -1 (reported through sink, u->loaded false). */
int unit_finalize(struct unit *u, struct diag_sink *sink);

#endif
