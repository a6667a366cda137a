/* journalctl_int.h - what journalctl.c (argv) hands journalctl_run.c (the
 * requests and the printing). */
#ifndef PXINIT_JOURNALCTL_INT_H
#define PXINIT_JOURNALCTL_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "base/strv.h"
#include "client/journal_format.h"

#define JCTL_LINES_ALL -1
#define JCTL_LINES_DEFAULT -2

struct jctl_opts {
    struct strv units;  /* as typed, "web" made "web.service"; may hold globs */
    struct strv idents; /* -t, SYSLOG_IDENTIFIER= */
    struct strv pids;   /* _PID= */
    int prio_mask;      /* -p: bit N set when priority N is shown */
    int lines;          /* -n: N, or JCTL_LINES_* */
    bool follow, reverse, quiet, user;
    bool since_set, until_set;
    uint64_t since, until;
    struct jf_ctx fmt;
    char runtime_dir[4096];
};

/* Runs the query: the exit code. */
int jctl_run(struct jctl_opts *o);

#endif
