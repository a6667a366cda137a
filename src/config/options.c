/* options.c - argv of the daemon role. */
#include "config/options.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/log.h"
#include "base/signame.h"
#include "config/paths.h"
#include "wire/verbs.h"

/* The verbs of the command line, from the table, wrapped at 80 columns under
 * the first. */
static void usage_verbs(FILE *f)
{
    static const char lead[] = "       pxinit [-R DIR] VERB [ARGS]   (";
    int col = fprintf(f, "%s", lead);
    bool first = true;
    for (int v = 0; v < VERB__COUNT; v++) {
        const char *name = verb_name((enum verb_id)v);
        if (!verb_is_command(name))
            continue;
        int len = (int)strlen(name);
        if (!first && col + 1 + len > 80)
            col = fprintf(f, "\n%*s", (int)sizeof(lead) - 1, "") - 1;
        else if (!first)
            col += fprintf(f, " ");
        col += fprintf(f, "%s", name);
        first = false;
    }
    fprintf(f, ")\n");
}

static void usage(FILE *f)
{
    fprintf(f, "Usage: pxinit [OPTIONS] [-- COMMAND [ARG...]]\n");
    usage_verbs(f);
    fprintf(f,
            "\n"
            "The main command always follows '--'; any other first word must be a verb.\n"
            "A verb's client takes -R DIR, --user (the user's daemon) or --system (the\n"
            "default) before or after the verb.\n"
            "One daemon per runtime directory: a second one refuses to start.\n"
            "\n"
            "  -u, --units DIR         unit directory (repeatable; default %s)\n"
            "  -c, --config FILE       main config (default %s, optional)\n"
            "  -R, --runtime-dir DIR   runtime directory (default %s; env PXINIT_RUNTIME_DIR)\n"
            "      --state-dir DIR     what outlives a restart: timer stamps (default %s)\n"
            "  -r, --rewrite SIG:SIG   rewrite a signal before forwarding it (repeatable;\n"
            "                          SIG:0 drops it; env PXINIT_REWRITE=SIG:SIG,...)\n"
            "      --single-child      forward signals to the main command only\n"
            "                          (env PXINIT_SINGLE_CHILD=1)\n"
            "  -e, --remap-exit CODE   treat the main command's exit code CODE as 0\n"
            "      --grace SECONDS     time left processes get before SIGKILL (default 5)\n"
            "      --no-units          load no unit files\n"
            "      --systemd           also load units enabled for systemd\n"
            "      --user              user mode: units from ~/.config/pxinit/units,\n"
            "                          runtime dir $XDG_RUNTIME_DIR/pxinit (else\n"
            "                          /tmp/pxinit-UID), state dir ~/.local/state/pxinit\n"
            "      --log-prefix FORMAT prefix of service output lines: name (default),\n"
            "                          name+timestamp or none (pxinit.conf LogPrefix=)\n"
            "      --log-level LEVEL   error, warning, notice (default: one line per\n"
            "                          start, stop, exit, restart, failure), info (every\n"
            "                          state change) or debug (env PXINIT_LOG_LEVEL)\n"
            "  -v, --verbose           --log-level=debug (env PXINIT_VERBOSE=1)\n"
            "  -q, --quiet             --log-level=warning: only warnings and errors\n"
            "  -h, --help              this text\n"
            "  -V, --version           print the version\n",
            PXINIT_DEFAULT_UNITS_DIR, PXINIT_DEFAULT_CONFIG, PXINIT_DEFAULT_RUNTIME_DIR,
            PXINIT_DEFAULT_STATE_DIR);
}

static int parse_rewrite(struct options *o, const char *arg)
{
    char buf[64];
    const char *colon = strchr(arg, ':');
    if (!colon || (size_t)(colon - arg) >= sizeof(buf))
        return -1;
    memcpy(buf, arg, (size_t)(colon - arg));
    buf[colon - arg] = '\0';
    int from = signal_from_string(buf);
    /* To 0: not forwarded at all, as dumb-init -r SIG:0. */
    int to = strcmp(colon + 1, "0") == 0 ? -1 : signal_from_string(colon + 1);
    if (from <= 0 || to == 0 || to < -1)
        return -1;
    o->rewrite[from] = to;
    return 0;
}

static void stray_word(const char *word)
{
    const char *near = verb_closest(word);
    if (verb_is_command(word))
        fprintf(stderr,
                "pxinit: '%s' is a control verb: only -R DIR, --user or --system may come "
                "before it\n",
                word);
    else if (near)
        fprintf(stderr, "pxinit: unknown command '%s'; did you mean '%s'?\n", word, near);
    else
        fprintf(stderr, "pxinit: unknown command '%s' (a main command follows '--')\n", word);
    fprintf(stderr, "Try 'pxinit --help'.\n");
}

static bool env_true(const char *name)
{
    const char *v = getenv(name);
    return v && *v && strcmp(v, "0") != 0 && strcasecmp(v, "no") != 0 &&
           strcasecmp(v, "false") != 0;
}

/* path made absolute against the launch directory, NULL with errno. */
static char *absolute(const char *path)
{
    char *cwd = getcwd(NULL, 0), *abs = NULL;
    if (cwd && asprintf(&abs, "%s%s%s", cwd, strcmp(cwd, "/") ? "/" : "", path) < 0)
        abs = NULL;
    free(cwd);
    return abs;
}

/* The daemon moves to "/" before it reads its unit directories or takes
 * its runtime directory: a relative path given on the command line means
 * the launch directory's, as every other program reads it. */
static int absolute_paths(struct options *o)
{
    const char **one[] = {&o->config, &o->runtime_dir, &o->state_dir};
    for (size_t i = 0; i < o->unit_dirs.n; i++) {
        if (o->unit_dirs.v[i][0] == '/')
            continue;
        char *abs = absolute(o->unit_dirs.v[i]);
        if (!abs)
            return -1;
        free(o->unit_dirs.v[i]);
        o->unit_dirs.v[i] = abs;
    }
    for (size_t i = 0; i < sizeof(one) / sizeof(one[0]); i++) {
        if (!*one[i] || !**one[i] || **one[i] == '/')
            continue;
        char *abs = absolute(*one[i]);
        if (strv_push_owned(&o->owned, abs) < 0) /* frees it */
            return -1;
        *one[i] = abs;
    }
    return 0;
}

/* The directories neither -u, -R nor --state-dir gave, for the mode: the
 * system's, or with --user the user's (config/paths.h); with --systemd,
 * systemd's tree for the mode. */
static int mode_paths(struct options *o, bool runtime_given, bool state_given)
{
    char buf[4096];
    if (o->unit_dirs.n == 0 && paths_unit_dirs(o->user, false, &o->unit_dirs) < 0) {
        fprintf(stderr, "pxinit: cannot find the unit directory: %s\n", strerror(errno));
        return -1;
    }
    if (o->user && !runtime_given) {
        if (paths_runtime_dir(true, buf, sizeof(buf)) < 0 || strv_push(&o->owned, buf) < 0) {
            fprintf(stderr, "pxinit: cannot find the runtime directory: %s\n", strerror(errno));
            return -1;
        }
        o->runtime_dir = o->owned.v[o->owned.n - 1];
        o->runtime_dir_private = true;
    }
    if (o->user && !state_given) {
        if (paths_state_dir(true, buf, sizeof(buf)) < 0 || strv_push(&o->owned, buf) < 0) {
            fprintf(stderr, "pxinit: cannot find the state directory: %s\n", strerror(errno));
            return -1;
        }
        o->state_dir = o->owned.v[o->owned.n - 1];
    }
    if (o->systemd_units && paths_systemd_dirs(o->user, &o->systemd_dirs) < 0) {
        fprintf(stderr, "pxinit: cannot find systemd's unit directories: %s\n", strerror(errno));
        return -1;
    }
    return 0;
}

enum options_result options_parse(struct options *o, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"units", required_argument, NULL, 'u'},
        {"config", required_argument, NULL, 'c'},
        {"runtime-dir", required_argument, NULL, 'R'},
        {"state-dir", required_argument, NULL, 'T'},
        {"rewrite", required_argument, NULL, 'r'},
        {"single-child", no_argument, NULL, 's'},
        {"remap-exit", required_argument, NULL, 'e'},
        {"grace", required_argument, NULL, 'g'},
        {"no-units", no_argument, NULL, 'n'},
        {"systemd", no_argument, NULL, 'S'},
        {"user", no_argument, NULL, 'U'},
        {"log-prefix", required_argument, NULL, 'P'},
        {"log-level", required_argument, NULL, 'L'},
        {"verbose", no_argument, NULL, 'v'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    int c;
    bool runtime_given = false, state_given = false;

    memset(o, 0, sizeof(*o));
    o->config = PXINIT_DEFAULT_CONFIG;
    o->runtime_dir = getenv("PXINIT_RUNTIME_DIR");
    if (!o->runtime_dir || !*o->runtime_dir)
        o->runtime_dir = PXINIT_DEFAULT_RUNTIME_DIR;
    o->state_dir = PXINIT_DEFAULT_STATE_DIR;
    o->grace_sec = 5;
    o->single_child = env_true("PXINIT_SINGLE_CHILD");
    o->log_level = -1;
    const char *lv = getenv("PXINIT_LOG_LEVEL");
    if (lv && *lv && (o->log_level = log_level_parse(lv)) < 0) {
        fprintf(stderr,
                "pxinit: invalid PXINIT_LOG_LEVEL '%s' (want error, warning, notice, info or "
                "debug)\n",
                lv);
        return OPTIONS_USAGE_ERROR;
    }
    if (env_true("PXINIT_VERBOSE"))
        o->log_level = LOG_LEVEL_DEBUG;
    const char *rw = getenv("PXINIT_REWRITE");
    if (rw && *rw) {
        char *copy = strdup(rw), *save = NULL;
        if (!copy)
            return OPTIONS_USAGE_ERROR;
        for (char *t = strtok_r(copy, ", ", &save); t; t = strtok_r(NULL, ", ", &save)) {
            if (parse_rewrite(o, t) < 0) {
                fprintf(stderr, "pxinit: invalid PXINIT_REWRITE entry '%s' (want SIG:SIG)\n", t);
                free(copy);
                return OPTIONS_USAGE_ERROR;
            }
        }
        free(copy);
    }

    /* '+': stop at the first non-option, so COMMAND's own options stay its own. */
    opterr = 0;
    optind = 1;
    int before = optind; /* where the last getopt_long() call started */
    while ((before = optind, c = getopt_long(argc, argv, "+u:c:R:r:e:vqhV", longopts, NULL)) !=
           -1) {
        char *end;
        switch (c) {
        case 'u':
            if (strv_push(&o->unit_dirs, optarg) < 0)
                return OPTIONS_USAGE_ERROR;
            break;
        case 'c':
            o->config = optarg;
            o->config_given = true;
            break;
        case 'R':
            o->runtime_dir = optarg;
            runtime_given = true;
            break;
        case 'T':
            o->state_dir = optarg;
            state_given = true;
            break;
        case 'r':
            if (parse_rewrite(o, optarg) < 0) {
                fprintf(stderr, "pxinit: invalid --rewrite '%s' (want SIG:SIG)\n", optarg);
                return OPTIONS_USAGE_ERROR;
            }
            break;
        case 's':
            o->single_child = true;
            break;
        case 'e': {
            errno = 0;
            long code = strtol(optarg, &end, 10);
            if (errno || *end || end == optarg || code < 0 || code > 255) {
                fprintf(stderr, "pxinit: invalid --remap-exit '%s' (want 0..255)\n", optarg);
                return OPTIONS_USAGE_ERROR;
            }
            o->remap_exit[code] = true;
            break;
        }
        case 'g':
            errno = 0;
            o->grace_sec = strtod(optarg, &end);
            if (errno || *end || end == optarg || o->grace_sec < 0 || o->grace_sec > 1e6) {
                fprintf(stderr, "pxinit: invalid --grace '%s' (want seconds)\n", optarg);
                return OPTIONS_USAGE_ERROR;
            }
            break;
        case 'n':
            o->no_units = true;
            break;
        case 'S':
            o->systemd_units = true;
            break;
        case 'U':
            o->user = true;
            break;
        case 'P':
            if (conf_parse_prefix(optarg, &o->log_prefix_value) < 0) {
                fprintf(stderr,
                        "pxinit: invalid --log-prefix '%s' (want name, name+timestamp "
                        "or none)\n",
                        optarg);
                return OPTIONS_USAGE_ERROR;
            }
            o->log_prefix = optarg;
            break;
        case 'L':
            if ((o->log_level = log_level_parse(optarg)) < 0) {
                fprintf(stderr,
                        "pxinit: invalid --log-level '%s' (want error, warning, notice, info or "
                        "debug)\n",
                        optarg);
                return OPTIONS_USAGE_ERROR;
            }
            break;
        case 'v':
            o->log_level = LOG_LEVEL_DEBUG;
            break;
        case 'q':
            o->log_level = LOG_LEVEL_WARNING;
            break;
        case 'h':
            usage(stdout);
            return OPTIONS_EXIT_OK;
        case 'V':
            printf("pxinit %s\n", PACKAGE_VERSION);
            return OPTIONS_EXIT_OK;
        default:
            if (optopt)
                fprintf(stderr, "pxinit: invalid or incomplete option '-%c'\n", optopt);
            else
                fprintf(stderr, "pxinit: invalid option '%s'\n", argv[optind - 1]);
            fprintf(stderr, "Try 'pxinit --help'.\n");
            return OPTIONS_USAGE_ERROR;
        }
    }
    /* The main command only after "--" (getopt_long() stepped over it in
     * its last call): a bare word is a mistyped verb far more often than a
     * command, and must not start a second daemon (SPEC). */
    bool dashdash = optind == before + 1 && strcmp(argv[before], "--") == 0;
    if (optind < argc && !dashdash) {
        stray_word(argv[optind]);
        return OPTIONS_USAGE_ERROR;
    }
    if (optind < argc)
        o->command = &argv[optind];
    if (mode_paths(o, runtime_given, state_given) < 0)
        return OPTIONS_USAGE_ERROR;
    if (absolute_paths(o) < 0) {
        fprintf(stderr, "pxinit: cannot resolve a relative path: %s\n", strerror(errno));
        return OPTIONS_USAGE_ERROR;
    }
    return OPTIONS_OK;
}

void options_free(struct options *o)
{
    strv_clear(&o->unit_dirs);
    strv_clear(&o->owned);
    strv_clear(&o->systemd_dirs);
}
