/* log.h - pxinit's own diagnostics, on stderr, one line each.
 *
 * Format: "pxinit: LEVEL: [UNIT: ]message"; a notice (what a user running
 * pxinit wants to see by default: a unit started, stopped, failed) has no
 * LEVEL word: "pxinit: web: started". Once the daemon's loop runs, a
 * stalled stderr never blocks: lines wait in a bounded queue, and what does
 * not fit is dropped and counted. log_warn() appends strerror(errno),
 * log_warnx() does not (OpenBSD style). fatal() is only for use before the
 * event loop starts: once running, PID 1 logs and degrades instead.
 */
#ifndef PXINIT_LOG_H
#define PXINIT_LOG_H

#include <stdarg.h>
#include <stdbool.h>

enum log_level {
    LOG_LEVEL_ERROR = 0,
    LOG_LEVEL_WARNING = 1,
    LOG_LEVEL_NOTICE = 2, /* the default: one line per event that matters */
    LOG_LEVEL_INFO = 3,   /* every state change, requests, reloads */
    LOG_LEVEL_DEBUG = 4,
};

/* "error", "warning", "notice", "info" or "debug" (also 0..4) to a level;
 * -1 when it is none of them. */
int log_level_parse(const char *s);
/* "notice" for LOG_LEVEL_NOTICE. */
const char *log_level_name(enum log_level level);

/* Batching (log.c): on, lines wait for log_flush() or a full PIPE_BUF;
 * off flushes. Only for the daemon's loop, which flushes before it sleeps. */
void log_batch(bool on);
void log_flush(void);

/* Bytes of lines that may wait for a stalled stderr; more are dropped and
 * counted ("N log lines dropped" once stderr takes lines again). */
#define LOG_QUEUE_MAX (64 * 1024)
/* From now on stderr is written without ever blocking (log.c says how). */
void log_nonblocking(void);
/* The fd to wait on for writability while lines wait for stderr, else -1. */
int log_pending_fd(void);

void log_set_level(enum log_level level);
enum log_level log_get_level(void);

void log_msg(enum log_level level, const char *unit, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void log_vmsg(enum log_level level, const char *unit, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_notice(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
void fatalx(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* Unit-scoped variants: the unit name is printed before the message. */
#define log_unit_notice(u, ...) log_msg(LOG_LEVEL_NOTICE, (u), __VA_ARGS__)
#define log_unit_info(u, ...) log_msg(LOG_LEVEL_INFO, (u), __VA_ARGS__)
#define log_unit_warn(u, ...) log_msg(LOG_LEVEL_WARNING, (u), __VA_ARGS__)
#define log_unit_error(u, ...) log_msg(LOG_LEVEL_ERROR, (u), __VA_ARGS__)
#define log_unit_debug(u, ...) log_msg(LOG_LEVEL_DEBUG, (u), __VA_ARGS__)

#endif
