/* conf.h - pxinit.conf, the daemon's main configuration: its [Manager]
 * section, with defaults for every key. Command-line options override it. */
#ifndef PXINIT_CONF_H
#define PXINIT_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* How captured lines are prefixed on pxinit's stdout (LogPrefix=). */
enum log_prefix {
    LOG_PREFIX_NAME,      /* "web: line" */
    LOG_PREFIX_NAME_TIME, /* "2024-05-01T12:00:00.123Z web: line" (UTC) */
    LOG_PREFIX_NONE,      /* "line" */
};

enum log_color {
    LOG_COLOR_AUTO, /* when stdout is a terminal and NO_COLOR is unset */
    LOG_COLOR_ALWAYS,
    LOG_COLOR_NEVER,
};

struct manager_config {
    enum log_prefix log_prefix;
    enum log_color log_color;
    uint64_t log_max_size;  /* default of X-LogMaxSize=; 0: no rotation */
    unsigned log_max_files; /* default of X-LogMaxFiles= */
    size_t log_lines;       /* recent lines kept in memory per unit */
    size_t log_bytes;       /* ... and their bytes at most */
    bool control_group_set; /* ControlGroup=: members may use the control socket */
    gid_t control_group;
};

#define CONF_DEFAULT_LOG_MAX_FILES 5

void conf_defaults(struct manager_config *c);

/* Reads path into c. A missing file is fine unless must_exist. Malformed
 * values are reported as "path:line: ..." and leave that key's default.
 * Returns 0, or -1 when the file could not be read or had errors. */
int conf_load(const char *path, bool must_exist, struct manager_config *c);

/* "512", "64K", "10M", "1G" (base 1024). Returns 0, or -1. */
int conf_parse_size(const char *s, uint64_t *out);
/* "name", "name+timestamp" (or "timestamp"), "none". Returns 0, or -1. */
int conf_parse_prefix(const char *s, enum log_prefix *out);

#endif
