/* unit_diag.c - formats and counts unit file diagnostics (unit_diag.h). */
#include "unit/unit_diag.h"

#include <stdio.h>

#include "base/log.h"

void diag_vreport(struct diag_file *d, enum diag_level level, unsigned lineno, const char *fmt,
                  va_list ap)
{
    char msg[4096];
    size_t len;
    int n;

    if (lineno)
        n = snprintf(msg, sizeof(msg), "%s:%u: ", d->path, lineno);
    else
        n = snprintf(msg, sizeof(msg), "%s: ", d->path);
    len = n < 0 ? 0 : (size_t)n < sizeof(msg) ? (size_t)n : sizeof(msg) - 1;
    vsnprintf(msg + len, sizeof(msg) - len, fmt, ap);

    if (level == DIAG_ERROR)
        d->failed = true;
    if (!d->sink) {
        log_msg(level == DIAG_ERROR ? LOG_LEVEL_ERROR : LOG_LEVEL_WARNING, NULL, "%s", msg);
        return;
    }
    if (level == DIAG_ERROR)
        d->sink->errors++;
    else
        d->sink->warnings++;
    if (d->sink->emit)
        d->sink->emit(d->sink->ctx, level, msg);
}

void diag_report(struct diag_file *d, enum diag_level level, unsigned lineno, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    diag_vreport(d, level, lineno, fmt, ap);
    va_end(ap);
}
