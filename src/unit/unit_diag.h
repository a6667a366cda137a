/* unit_diag.h - diagnostics about a unit file: "PATH:LINE: text", counted
 * and handed to a sink the caller provides (`pxinit check` prints them, the
 * loader logs them, daemon-reload forwards them to the client).
 *
 * The leaf of the unit reader: the syntax reader (unit_reader.c), the key
 * table and value parsers (unit_keys.c, unit_values*.c) and the driver
 * (unit_parse.c) all report through it, and it knows none of them.
 */
#ifndef PXINIT_UNIT_DIAG_H
#define PXINIT_UNIT_DIAG_H

#include <stdarg.h>
#include <stdbool.h>

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
    /* The daemon's: keys accepted but not enforced are kept on the unit
     * (unit_deps.not_enforced) for one summary line, not reported per file. */
    bool not_enforced_quiet;
};

/* One file being reported on. */
struct diag_file {
    const char *path;
    struct diag_sink *sink; /* NULL: straight to the log */
    bool failed;            /* an error was reported for this file */
};

/* Reports "PATH:LINE: message" (or "PATH: message" when lineno is 0) through
 * d's sink, counting it; an error marks d as failed. */
void diag_report(struct diag_file *d, enum diag_level level, unsigned lineno, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void diag_vreport(struct diag_file *d, enum diag_level level, unsigned lineno, const char *fmt,
                  va_list ap) __attribute__((format(printf, 4, 0)));

#endif
