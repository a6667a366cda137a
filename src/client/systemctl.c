/* systemctl.c - the binary started as `systemctl` (systemctl.h): argv as
 * systemctl(1) reads it, options before or after the verb, then the verb's
 * file. Unit-file verbs go to systemctl_files.c; the runtime verbs talk to
 * the daemon found with paths_runtime_dir(); a verb pxinit has no
 * counterpart for is refused with one line and exit 1.
 */
#include "client/systemctl.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/systemctl_files.h"
#include "client/systemctl_int.h"
#include "config/paths.h"
#include "wire/status_line.h"

enum {
    OPT_NO_BLOCK = 0x100,
    OPT_NO_PAGER,
    OPT_NO_LEGEND,
    OPT_PLAIN,
    OPT_NOW,
    OPT_STATE,
    OPT_VALUE,
    OPT_USER,
    OPT_SYSTEM,
    OPT_VERSION,
    OPT_FAILED,
    OPT_ROOT,
    OPT_NO_RELOAD,
    OPT_PRESET_MODE,
    OPT_UNSUPPORTED,
};

static const struct option options[] = {
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, OPT_VERSION},
    {"quiet", no_argument, NULL, 'q'},
    {"no-block", no_argument, NULL, OPT_NO_BLOCK},
    {"no-pager", no_argument, NULL, OPT_NO_PAGER},
    {"no-legend", no_argument, NULL, OPT_NO_LEGEND},
    {"plain", no_argument, NULL, OPT_PLAIN},
    {"full", no_argument, NULL, 'l'},
    {"now", no_argument, NULL, OPT_NOW},
    {"all", no_argument, NULL, 'a'},
    {"type", required_argument, NULL, 't'},
    {"state", required_argument, NULL, OPT_STATE},
    {"failed", no_argument, NULL, OPT_FAILED},
    {"property", required_argument, NULL, 'p'},
    {"value", no_argument, NULL, OPT_VALUE},
    {"signal", required_argument, NULL, 's'},
    {"lines", required_argument, NULL, 'n'},
    {"user", no_argument, NULL, OPT_USER},
    {"system", no_argument, NULL, OPT_SYSTEM},
    {"force", no_argument, NULL, 'f'},
    {"root", required_argument, NULL, OPT_ROOT},
    {"no-reload", no_argument, NULL, OPT_NO_RELOAD},
    {"preset-mode", required_argument, NULL, OPT_PRESET_MODE},
    /* systemctl's, without a pxinit counterpart: named in the refusal. */
    {"runtime", no_argument, NULL, OPT_UNSUPPORTED},
    {"global", no_argument, NULL, OPT_UNSUPPORTED},
    {"host", required_argument, NULL, OPT_UNSUPPORTED},
    {"machine", required_argument, NULL, OPT_UNSUPPORTED},
    {"job-mode", required_argument, NULL, OPT_UNSUPPORTED},
    {"wait", no_argument, NULL, OPT_UNSUPPORTED},
    {NULL, 0, NULL, 0},
};

static void usage(void)
{
    printf(
        "systemctl [OPTIONS...] COMMAND ...\n\n"
        "pxinit's systemctl: query or send control commands to pxinit.\n\n"
        "Unit Commands:\n"
        "  list-units [PATTERN...]      List units pxinit has loaded\n"
        "  list-sockets                 List socket units\n"
        "  list-timers                  List timer units\n"
        "  is-active UNIT...            Check whether units are active\n"
        "  is-failed UNIT...            Check whether units are failed\n"
        "  status [UNIT...]             Show runtime status of units\n"
        "  show [UNIT...]               Show properties of units or of pxinit\n"
        "  cat UNIT...                  Show the files of units\n"
        "  start, stop, restart, try-restart, reload, reload-or-restart,\n"
        "  try-reload-or-restart UNIT...\n"
        "  kill UNIT...                 Send a signal (-s) to the processes of units\n"
        "  reset-failed [UNIT...]       Reset the failed state of units\n\n"
        "Unit File Commands:\n"
        "  list-unit-files, enable, disable, reenable, mask, unmask, is-enabled, preset\n\n"
        "Manager Commands:\n"
        "  daemon-reload, is-system-running, poweroff, halt, reboot\n\n"
        "Options:\n"
        "  -h --help --version --user --system -q --quiet --no-block --no-pager\n"
        "  --no-legend --plain -l --full --now -a --all -t --type=TYPE --state=STATE\n"
        "  --failed -p --property=NAME --value -s --signal=SIGNAL -n --lines=N --force\n"
        "  --root=DIR --no-reload --preset-mode=MODE (unit-file commands only)\n\n"
        "See doc/systemctl.md for what differs from systemd's systemctl.\n");
}

/* "a,b" appended to *list, a NULL-terminated array of copies. 0, or -1. */
static int add_list(char ***list, const char *arg)
{
    size_t n = 0;
    while (*list && (*list)[n])
        n++;
    char *copy = strdup(arg), *save = NULL;
    if (!copy)
        return -1;
    for (char *w = strtok_r(copy, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
        char **l = realloc(*list, (n + 2) * sizeof(*l));
        if (!l) {
            free(copy);
            return -1;
        }
        *list = l;
        if (!(l[n] = strdup(w))) {
            free(copy);
            return -1;
        }
        l[++n] = NULL;
    }
    free(copy);
    return 0;
}

static void free_list(char **list)
{
    for (char **p = list; p && *p; p++)
        free(*p);
    free(list);
}

/* 0 when parsed, else the exit code (help and version: 0 as well). */
static int parse(struct systemctl *sc, int argc, char **argv, bool *done)
{
    int c;
    opterr = 0;
    optind = 1;
    *done = false;
    while ((c = getopt_long(argc, argv, ":hqlat:p:s:n:f", options, NULL)) != -1) {
        int r = 0;
        switch (c) {
        case 'h':
            usage();
            *done = true;
            return 0;
        case OPT_VERSION:
            /* Tools read systemd's version from the first line's second word. */
            printf("systemd 252 (pxinit %s)\n", PACKAGE_VERSION);
            *done = true;
            return 0;
        case 'q':
            sc->quiet = true;
            break;
        case OPT_NO_BLOCK:
            sc->no_block = true;
            break;
        case OPT_NO_PAGER:
            sc->no_pager = true;
            break;
        case OPT_NO_LEGEND:
            sc->no_legend = true;
            break;
        case OPT_PLAIN:
            sc->plain = true;
            break;
        case 'l':
            sc->full = true;
            break;
        case OPT_NOW:
            sc->now = true;
            break;
        case 'a':
            sc->all = true;
            break;
        case 't':
            r = add_list(&sc->types, optarg);
            break;
        case OPT_STATE:
            r = add_list(&sc->states, optarg);
            break;
        case OPT_FAILED:
            r = add_list(&sc->states, "failed");
            break;
        case 'p':
            r = add_list(&sc->props, optarg);
            break;
        case OPT_VALUE:
            sc->value = true;
            break;
        case 's':
            sc->signal = optarg;
            break;
        case 'n':
            sc->lines = optarg;
            break;
        case OPT_USER:
            sc->user = true;
            break;
        case OPT_SYSTEM:
            sc->user = false;
            break;
        case 'f':
            sc->force = true;
            break;
        case OPT_ROOT:
            sc->root = optarg;
            break;
        case OPT_NO_RELOAD:
            sc->no_reload = true;
            break;
        case OPT_PRESET_MODE:
            if (strcmp(optarg, "full") != 0 && strcmp(optarg, "enable-only") != 0 &&
                strcmp(optarg, "disable-only") != 0) {
                fprintf(stderr, "Failed to parse preset mode: %s.\n", optarg);
                return 1;
            }
            sc->preset_mode = optarg;
            break;
        case OPT_UNSUPPORTED:
            fprintf(stderr, "systemctl: option '%s' is not supported by pxinit\n",
                    argv[optind - 1]);
            return 1;
        case ':':
            fprintf(stderr, "systemctl: option '%s' requires an argument\n", argv[optind - 1]);
            return 1;
        default:
            if (optopt && optopt < 0x100)
                fprintf(stderr, "systemctl: invalid option -- '%c'\n", optopt);
            else
                fprintf(stderr, "systemctl: unrecognized option '%s'\n", argv[optind - 1]);
            return 1;
        }
        if (r < 0) {
            fprintf(stderr, "systemctl: out of memory\n");
            return 1;
        }
    }
    if (optind < argc) {
        sc->verb = argv[optind];
        sc->args = argv + optind + 1;
        sc->nargs = argc - optind - 1;
    } else {
        sc->verb = "list-units"; /* systemctl with no verb */
        sc->args = argv + argc;
        sc->nargs = 0;
    }
    return 0;
}

/* A verb that needs units and got none. */
static int need_units(const struct systemctl *sc)
{
    if (sc->nargs > 0)
        return 0;
    fprintf(stderr, "Too few arguments.\n");
    return 1;
}

/* Unit names go into a request line as words: nothing else may. */
static bool names_ok(const struct systemctl *sc)
{
    for (int i = 0; i < sc->nargs; i++) {
        if (!proto_unit_name_ok(sc->args[i])) {
            fprintf(stderr, "Invalid unit name \"%s\".\n", sc->args[i]);
            return false;
        }
    }
    return true;
}

static int run(struct systemctl *sc)
{
    const char *v = sc->verb;
    static const char *const jobs[] = {"start",
                                       "stop",
                                       "restart",
                                       "try-restart",
                                       "reload",
                                       "reload-or-restart",
                                       "try-reload-or-restart",
                                       "condrestart",
                                       "force-reload"};
    if (systemctl_files_verb(v))
        return systemctl_files_run(sc);
    if (sc->root) {
        fprintf(stderr, "systemctl: --root works for the unit-file commands only, not '%s'\n", v);
        return 1;
    }
    /* list-units takes glob patterns, matched here and never sent. */
    if (strcmp(v, "list-units") != 0 && !names_ok(sc))
        return 1;
    for (size_t i = 0; i < sizeof(jobs) / sizeof(jobs[0]); i++)
        if (strcmp(v, jobs[i]) == 0)
            return need_units(sc) ? 1 : sc_job_verb(sc);
    if (strcmp(v, "status") == 0)
        return sc_status(sc);
    if (strcmp(v, "show") == 0)
        return sc_show(sc);
    if (strcmp(v, "list-units") == 0)
        return sc_list_units(sc);
    if (strcmp(v, "list-timers") == 0)
        return sc_list_timers(sc);
    if (strcmp(v, "list-sockets") == 0)
        return sc_list_sockets(sc);
    if (strcmp(v, "kill") == 0)
        return need_units(sc) ? 1 : sc_kill(sc);
    if (strcmp(v, "is-active") == 0 || strcmp(v, "is-failed") == 0)
        return need_units(sc) ? 1 : sc_is_active(sc, v[3] == 'f');
    if (strcmp(v, "is-system-running") == 0)
        return sc_is_system_running(sc);
    if (strcmp(v, "daemon-reload") == 0 || strcmp(v, "reset-failed") == 0 ||
        strcmp(v, "poweroff") == 0 || strcmp(v, "halt") == 0 || strcmp(v, "reboot") == 0 ||
        strcmp(v, "daemon-reexec") == 0)
        return sc_simple_verb(sc);
    fprintf(stderr, "systemctl: '%s' is not supported by pxinit\n", v);
    return 1;
}

int systemctl_main(int argc, char **argv)
{
    static struct systemctl sc;
    static char dir[4096];
    bool done;
    int code = parse(&sc, argc, argv, &done);
    if (code != 0 || done)
        goto out;
    if (paths_runtime_dir(sc.user, dir, sizeof(dir)) < 0) {
        fprintf(stderr, "systemctl: cannot find the %s runtime directory: %m\n",
                sc.user ? "user's" : "system's");
        code = 1;
        goto out;
    }
    /* As pxinit --user: another user may have made /tmp/pxinit-UID first. */
    const char *why = sc.user ? paths_runtime_dir_refused(dir) : NULL;
    if (why) {
        fprintf(stderr, "systemctl: runtime directory %s refused: %s\n", dir, why);
        code = 1;
        goto out;
    }
    sc.runtime_dir = dir;
    code = run(&sc);
out:
    fflush(stdout);
    free_list(sc.types);
    free_list(sc.states);
    free_list(sc.props);
    return code;
}
