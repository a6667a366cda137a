/* options.h - the daemon's command line (and the PXINIT_* environment knobs). */
#ifndef PXINIT_OPTIONS_H
#define PXINIT_OPTIONS_H

#include <signal.h>
#include <stdbool.h>

#include "config/conf.h"
#include "base/strv.h"

#define PXINIT_DEFAULT_UNITS_DIR "/etc/pxinit/units"
#define PXINIT_DEFAULT_CONFIG "/etc/pxinit/pxinit.conf"
#define PXINIT_DEFAULT_RUNTIME_DIR "/run/pxinit"
#define PXINIT_DEFAULT_STATE_DIR "/var/lib/pxinit"

struct options {
    struct strv unit_dirs; /* -u; the default when none was given */
    const char *config;    /* -c */
    bool config_given;
    const char *runtime_dir; /* -R, PXINIT_RUNTIME_DIR */
    const char *state_dir;   /* --state-dir: what outlives a restart (timer stamps) */
    int rewrite[NSIG];       /* --rewrite FROM:TO; 0 = unchanged, -1 = dropped */
    bool single_child;
    bool remap_exit[256];
    double grace_sec;
    bool no_units;
    bool systemd_units;
    bool user;                /* --user: the user's directories (config/paths.h) */
    bool runtime_dir_private; /* --user without -R: the directory must be the user's, 0700 */
    struct strv systemd_dirs; /* with --systemd: systemd's unit tree, first = where .wants/ are */
    int log_level; /* enum log_level from --log-level, -v, -q or the environment; -1: the default */
    const char *log_prefix; /* --log-prefix, overrides pxinit.conf */
    enum log_prefix log_prefix_value;
    char **command;    /* after "--", NULL-terminated; NULL when none */
    struct strv owned; /* the absolute forms of relative paths given (freed with o) */
};

enum options_result {
    OPTIONS_OK,
    OPTIONS_EXIT_OK,    /* --help or --version printed */
    OPTIONS_USAGE_ERROR /* message printed */
};

/* Parses argv (and the environment knobs) into o. Prints usage errors and
 * help text itself. */
enum options_result options_parse(struct options *o, int argc, char **argv);
void options_free(struct options *o);

#endif
