/* systemctl.h - the systemctl personality: the binary started under the
 * name `systemctl` answers systemctl's command line (SPEC "systemctl and
 * journalctl"). systemctl.c parses argv into struct systemctl and runs the
 * verb: the daemon's verbs through the control socket (start, stop, show,
 * ...), the unit-file verbs offline (systemctl_files.c: enable, disable,
 * mask, unmask, is-enabled, list-unit-files, cat).
 */
#ifndef PXINIT_SYSTEMCTL_H
#define PXINIT_SYSTEMCTL_H

#include <stdbool.h>

/* The parsed command line. */
struct systemctl {
    const char *verb; /* as typed */
    char **args;      /* the words after the verb: units, or a file for cat */
    int nargs;
    bool user; /* --user (else --system, the default) */
    bool quiet, no_block, no_pager, no_legend, plain, full, now, all, value;
    bool force;
    bool no_reload;          /* --no-reload: unit-file verbs leave the daemon as it is */
    const char *preset_mode; /* --preset-mode: full (NULL), enable-only, disable-only */
    char **types;            /* --type=a,b (split), NULL-terminated; NULL when not given */
    char **states;           /* --state=a,b */
    char **props;            /* -p/--property (repeatable, each may be a,b) */
    const char *signal;      /* -s/--signal */
    const char *runtime_dir; /* where the daemon is: paths_runtime_dir(user) */
    const char *root;        /* --root=DIR: the unit-file verbs work on the tree under DIR */
    const char *lines;       /* -n/--lines: status's output lines (NULL: 10) */
};

/* main() under the name systemctl: the exit code. */
int systemctl_main(int argc, char **argv);

#endif
