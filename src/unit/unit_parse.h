/* unit_parse.h - reading .service files into struct unit.
 *
 * inih (Debian's libinih, built with its defaults) provides the structure:
 * sections and dispatch. A systemd-aware line reader sits in front of it via
 * ini_parse_stream(): it joins backslash continuations, keeps line numbers, and
 * hands values inih would mangle (longer than 200 bytes, containing " ;",
 * indented continuation lines) through a side channel.
 */
#ifndef PXINIT_UNIT_PARSE_H
#define PXINIT_UNIT_PARSE_H

#include <stdio.h>

#include "unit/unit.h"

enum diag_level {
    DIAG_WARNING, /* unknown key or section, ignored setting: the unit still loads */
    DIAG_ERROR,   /* malformed value: the unit fails to load */
};

/* Where diagnostics go. Each message is complete: "PATH:LINE: text" (or
 * "PATH: text" when no line applies). */
struct diag_sink {
    void (*emit)(void *ctx, enum diag_level level, const char *message);
    void *ctx;
    unsigned warnings;
    unsigned errors;
};

/* Parses the file at path into u, on top of what u already holds (so drop-ins
 * can be applied in turn). Systemd's rules: a repeated list key appends, an
 * empty assignment resets it; a scalar key's last assignment wins. Every
 * problem is reported through sink; all of them, not only the first.
 * Returns 0 when the file had no error, -1 when it had any error (u->loaded is
 * then false) or could not be read. */
int unit_parse_file(struct unit *u, const char *path, struct diag_sink *sink);

/* The same for an already open stream; path is only used in messages. */
int unit_parse_stream(struct unit *u, FILE *f, const char *path, struct diag_sink *sink);

/* After all files: fills in defaults that depend on other keys (Type=oneshot
 * when there is no ExecStart=, StandardError= following StandardOutput=) and
 * checks combinations (a non-oneshot service needs exactly one ExecStart=).
 * Returns 0 or -1 (reported through sink, u->loaded false). */
int unit_finalize(struct unit *u, struct diag_sink *sink);

#endif
