/* log.c - pxinit's own log lines on stderr.
 *
 * A whole line is formatted first and written with one write(2), so lines
 * from pxinit never interleave mid-line with service output on a shared fd.
 * A failed or short write is dropped: logging must never stop PID 1.
 */
#include "log.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static enum log_level log_threshold = LOG_LEVEL_INFO;

static const char *const level_names[] = {
    [LOG_LEVEL_ERROR] = "error",
    [LOG_LEVEL_WARNING] = "warning",
    [LOG_LEVEL_INFO] = "info",
    [LOG_LEVEL_DEBUG] = "debug",
};

void log_set_level(enum log_level level) { log_threshold = level; }

enum log_level log_get_level(void) { return log_threshold; }

static void log_emit(enum log_level level, const char *unit, const char *suffix,
                     const char *fmt, va_list ap) __attribute__((format(printf, 4, 0)));

static void log_emit(enum log_level level, const char *unit, const char *suffix,
                     const char *fmt, va_list ap)
{
    char line[2048];
    size_t len;
    int n;

    if (level > log_threshold)
        return;
    n = snprintf(line, sizeof(line), "pxinit: %s: %s%s", level_names[level],
                 unit ? unit : "", unit ? ": " : "");
    len = n < 0 ? 0 : (size_t)n;
    if (len < sizeof(line)) {
        n = vsnprintf(line + len, sizeof(line) - len, fmt, ap);
        if (n > 0)
            len += (size_t)n;
    }
    if (suffix && len < sizeof(line)) {
        n = snprintf(line + len, sizeof(line) - len, ": %s", suffix);
        if (n > 0)
            len += (size_t)n;
    }
    if (len > sizeof(line) - 2)
        len = sizeof(line) - 2;
    line[len++] = '\n';
    while (write(STDERR_FILENO, line, len) < 0 && errno == EINTR)
        ;
}

void log_vmsg(enum log_level level, const char *unit, const char *fmt, va_list ap)
{
    int saved = errno;
    log_emit(level, unit, NULL, fmt, ap);
    errno = saved;
}

void log_msg(enum log_level level, const char *unit, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    log_vmsg(level, unit, fmt, ap);
    va_end(ap);
}

void log_warn(const char *fmt, ...)
{
    int saved = errno;
    va_list ap;
    va_start(ap, fmt);
    log_emit(LOG_LEVEL_WARNING, NULL, strerror(saved), fmt, ap);
    va_end(ap);
    errno = saved;
}

void log_warnx(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    log_vmsg(LOG_LEVEL_WARNING, NULL, fmt, ap);
    va_end(ap);
}

void log_info(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    log_vmsg(LOG_LEVEL_INFO, NULL, fmt, ap);
    va_end(ap);
}

void log_debug(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    log_vmsg(LOG_LEVEL_DEBUG, NULL, fmt, ap);
    va_end(ap);
}

void fatal(const char *fmt, ...)
{
    int saved = errno;
    va_list ap;
    va_start(ap, fmt);
    log_emit(LOG_LEVEL_ERROR, NULL, strerror(saved), fmt, ap);
    va_end(ap);
    exit(1);
}

void fatalx(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    log_emit(LOG_LEVEL_ERROR, NULL, NULL, fmt, ap);
    va_end(ap);
    exit(1);
}
