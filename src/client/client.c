/* client.c - the client role: `pxinit VERB ...`.
 *
 * Which verbs there are, and what each needs, is wire/verbs.c's table. An
 * offline verb (check, calendar) is answered here. `status` and `list` read the status
 * board (client_board.c) and fall back to the control socket; every other
 * verb sends one request line over the socket and reads reply lines until
 * `end CODE` (client_request.c, doc/protocol.md). Exit codes are SPEC's: 0
 * ok, 1 failed, 2 usage, 3 a named unit is not active, 4 no such unit, 5
 * unreachable.
 */
#include "client/client.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/signame.h"
#include "client/client_int.h"
#include "client/socket_list.h"
#include "client/timer_list.h"
#include "config/options.h"
#include "config/paths.h"
#include "unit/unit_load.h"
#include "unit/unit_parse.h"
#include "wire/escape.h"
#include "wire/protocol.h"

/* The first word that is none of the client's own options: -R DIR,
 * --runtime-dir[=]DIR, --user, --system. */
static int verb_index(int argc, char **argv)
{
    int i = 1;
    while (i < argc) {
        if (strcmp(argv[i], "-R") == 0 || strcmp(argv[i], "--runtime-dir") == 0)
            i += 2;
        else if (strcmp(argv[i], "--user") == 0 || strcmp(argv[i], "--system") == 0)
            i++;
        else if (strncmp(argv[i], "--runtime-dir=", 14) == 0 ||
                 (strncmp(argv[i], "-R", 2) == 0 && argv[i][2]))
            i++;
        else
            break;
    }
    return i;
}

bool client_role(int argc, char **argv)
{
    int i = verb_index(argc, argv);
    return i < argc && verb_is_command(argv[i]);
}

int client_usage_error(const struct client *cl, const char *what, const char *arg)
{
    fprintf(stderr, "pxinit %s: %s%s%s%s\nTry 'pxinit --help'.\n", cl->verb ? cl->verb : "", what,
            *arg ? " '" : "", arg, *arg ? "'" : "");
    return PROTO_EXIT_USAGE;
}

/* --- check (offline) ------------------------------------------------------------ */

static void diag_print(void *ctx, enum diag_level level, const char *message)
{
    fprintf(stderr, "%s: %s\n", level == DIAG_ERROR ? "error" : "warning", message);
}

static int client_check(const struct client *cl)
{
    int rc = PROTO_EXIT_OK;
    if (cl->nargs == 0)
        return client_usage_error(cl, "no unit file given (usage: pxinit check FILE...)", "");
    for (int i = 0; i < cl->nargs; i++) {
        const char *path = cl->args[i];
        struct diag_sink sink = {.emit = diag_print};
        bool masked;
        /* As the daemon loads it: with the drop-ins beside it. */
        struct unit *u = unit_load_file(path, &sink, &masked);
        if (masked) {
            printf("%s: masked\n", path);
            continue;
        }
        if (!u) {
            perror("pxinit check");
            return PROTO_EXIT_FAILED;
        }
        if (!u->loaded || sink.errors > 0) {
            rc = PROTO_EXIT_FAILED;
            printf("%s: bad\n", path);
        } else {
            printf("%s: ok%s\n", path, sink.warnings ? " (with warnings)" : "");
        }
        unit_free(u);
    }
    return rc;
}

/* --- argv -------------------------------------------------------------------------- */

/* Which daemon: --user's or the system's (the last said wins), and
 * whether -R named its directory, which wins over both. */
struct client_target {
    bool user, dir_given;
};

static int parse_args(struct client *cl, struct client_target *tg, int argc, char **argv)
{
    cl->args = calloc((size_t)argc + 1, sizeof(char *));
    if (!cl->args)
        return PROTO_EXIT_FAILED;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *val = NULL;
        if (!cl->verb && a[0] != '-') {
            cl->verb = a;
            continue;
        }
        if (strcmp(a, "-R") == 0 || strcmp(a, "--runtime-dir") == 0 ||
            strcmp(a, "--timeout") == 0 || strcmp(a, "-s") == 0 || strcmp(a, "--signal") == 0 ||
            strcmp(a, "-n") == 0 || strcmp(a, "--lines") == 0 || strcmp(a, "--iterations") == 0 ||
            strcmp(a, "--base-time") == 0) {
            if (i + 1 >= argc)
                return client_usage_error(cl, "option needs a value:", a);
            val = argv[++i];
        } else if (strncmp(a, "--", 2) == 0 && strchr(a, '=')) {
            val = strchr(a, '=') + 1;
        } else if (strncmp(a, "-R", 2) == 0 && a[2]) {
            val = a + 2;
            a = "-R";
        }
        if (strcmp(a, "-R") == 0 || strncmp(a, "--runtime-dir", 13) == 0) {
            cl->runtime_dir = val;
            tg->dir_given = true;
        } else if (strcmp(a, "--user") == 0 || strcmp(a, "--system") == 0) {
            tg->user = a[2] == 'u';
        } else if (strncmp(a, "--timeout", 9) == 0) {
            char *end;
            cl->timeout = strtod(val, &end);
            if (end == val || *end || cl->timeout <= 0 || cl->timeout > 1e7)
                return client_usage_error(cl, "invalid --timeout (want seconds):", val);
        } else if (strcmp(a, "-s") == 0 || strncmp(a, "--signal", 8) == 0) {
            cl->signal = val;
        } else if (strcmp(a, "-n") == 0 || strncmp(a, "--lines", 7) == 0) {
            char *end;
            unsigned long n = strtoul(val, &end, 10);
            if (end == val || *end || n > 1000000)
                return client_usage_error(cl, "invalid -n (want a number of lines):", val);
            cl->lines = val;
        } else if (strcmp(a, "-a") == 0 || strcmp(a, "--all") == 0) {
            cl->all = true;
        } else if (strncmp(a, "--iterations", 12) == 0) {
            cl->iterations = val;
        } else if (strncmp(a, "--base-time", 11) == 0) {
            cl->base_time = val;
        } else if (strcmp(a, "--json") == 0) {
            cl->json = true;
        } else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
            cl->quiet = true;
        } else if (strcmp(a, "--no-block") == 0) {
            cl->no_block = true;
        } else if (strcmp(a, "-f") == 0 || strcmp(a, "--follow") == 0) {
            cl->follow = true;
        } else if (a[0] == '-' && a[1]) {
            return client_usage_error(cl, "unknown option", a);
        } else {
            cl->args[cl->nargs++] = argv[i];
        }
    }
    return -1;
}

/* A `show` reply's "prop UNIT NotEnforced A B" as "A=, B=". */
static bool not_enforced_line(void *ctx, char *line)
{
    bool *said = ctx;
    char *p = strncmp(line, "prop ", 5) == 0 ? strchr(line + 5, ' ') : NULL;
    if (!p || strncmp(p, " NotEnforced ", 13) != 0)
        return true; /* nothing else of the reply is shown */
    p += 13;
    if (esc_word_decode(p) < 0)
        return true;
    for (char *w = strtok(p, " "); w; w = strtok(NULL, " ")) {
        printf("%s %s=", *said ? "," : "Not enforced by pxinit:", w);
        *said = true;
    }
    return true;
}

/* The keys the unit uses that pxinit accepts without enforcing them. */
static void status_not_enforced(struct client *cl)
{
    char req[PROTO_MAX_REQUEST];
    int n = snprintf(req, sizeof(req), "show -p NotEnforced %s\n", cl->args[0]);
    if (n < 0 || (size_t)n >= sizeof(req))
        return;
    bool said = false;
    bool (*hook)(void *, char *) = cl->line_hook;
    void *ctx = cl->hook_ctx;
    cl->line_hook = not_enforced_line;
    cl->hook_ctx = &said;
    (void)client_request(cl, req, false);
    cl->line_hook = hook;
    cl->hook_ctx = ctx;
    if (said)
        printf("\n");
    fflush(stdout);
}

/* `status UNIT` for a person (a terminal, or -n N given) ends with the unit's
 * recent output, as systemctl status does; scripts and probes reading a pipe
 * get only the status, from the board, without a round trip. */
static void status_recent_output(struct client *cl, int code)
{
    if (cl->id != VERB_STATUS || cl->nargs != 1 || cl->json || cl->quiet ||
        code == PROTO_EXIT_NO_UNIT || code == PROTO_EXIT_UNREACHABLE)
        return;
    if (!cl->lines && !isatty(STDOUT_FILENO))
        return;
    status_not_enforced(cl);
    if (cl->lines && strcmp(cl->lines, "0") == 0)
        return;
    char req[PROTO_MAX_REQUEST];
    int n =
        snprintf(req, sizeof(req), "logs -n %s %s\n", cl->lines ? cl->lines : "10", cl->args[0]);
    if (n < 0 || (size_t)n >= sizeof(req))
        return;
    printf("\nRecent output:\n");
    fflush(stdout);
    (void)client_request(cl, req, false);
}

/* The verbs the client answers alone (VERB_OFFLINE). */
static int run_offline(struct client *cl)
{
    switch (cl->id) {
    case VERB_CHECK:
        return client_check(cl);
    case VERB_CALENDAR:
        return client_calendar(cl);
    default:
        return client_usage_error(cl, "not an offline verb", cl->verb);
    }
}

/* The argument sent with the verb: kill's signal, logs' -n/-f, --no-block.
 * NULL when none; a usage error's exit code in *code. */
static const char *request_extra(struct client *cl, char *buf, size_t size, int *code)
{
    *code = -1;
    if (cl->id == VERB_KILL) {
        const char *sig = cl->signal ? cl->signal : "TERM";
        int n = signal_from_string(sig);
        if (n <= 0) {
            *code = client_usage_error(cl, "invalid signal", sig);
            return NULL;
        }
        snprintf(buf, size, "%d", n);
        return buf;
    }
    if (cl->no_block)
        return "--no-block";
    if (cl->id == VERB_LOGS) {
        if (cl->nargs != 1) {
            *code = client_usage_error(cl, "one unit at a time", "");
            return NULL;
        }
        snprintf(buf, size, "%s%s%s", cl->lines ? "-n " : "", cl->lines ? cl->lines : "",
                 cl->follow ? (cl->lines ? " -f" : "-f") : "");
        return buf[0] ? buf : NULL;
    }
    return NULL;
}

/* list-timers: the daemon's timers (each a unit line and a timer line),
 * shown as systemctl list-timers shows them; inactive ones only with
 * --all, as there. */
static int list_timers(struct client *cl)
{
    int code = client_request(cl, "list-timers\n", false);
    if (code != PROTO_EXIT_OK)
        return code;
    size_t n = 0;
    for (size_t i = 0; i < cl->nunits; i++)
        if (cl->units[i].timer && (cl->all || cl->units[i].state != UNIT_STATE_INACTIVE))
            cl->units[n++] = cl->units[i];
    tl_sort(cl->units, n);
    if (cl->quiet)
        return code;
    if (cl->json) {
        tl_print_json(stdout, cl->units, n);
    } else {
        struct timespec now;
        clock_gettime(CLOCK_REALTIME, &now);
        tl_print_table(stdout, cl->units, n,
                       (int64_t)now.tv_sec * 1000000 + (int64_t)now.tv_nsec / 1000, cl->all);
    }
    return code;
}

/* list-sockets: the daemon's sockets (each a unit line, a socket line and
 * its listen lines), one row per address as systemctl list-sockets shows
 * them; inactive ones only with --all, as there. */
static int list_sockets(struct client *cl)
{
    int code = client_request(cl, "list-sockets\n", false);
    if (code != PROTO_EXIT_OK)
        return code;
    size_t n;
    struct socket_row *rows = socket_rows(cl->units, cl->nunits, cl->all, &n);
    if (n == (size_t)-1) {
        fprintf(stderr, "pxinit %s: out of memory\n", cl->verb);
        return PROTO_EXIT_FAILED;
    }
    if (!cl->quiet) {
        if (cl->json)
            socket_list_print_json(stdout, rows, n);
        else
            socket_list_print_table(stdout, rows, n, cl->all);
    }
    free(rows);
    return code;
}

static int run_verb(struct client *cl)
{
    if (verb_has(cl->id, VERB_OFFLINE))
        return run_offline(cl);
    if (verb_has(cl->id, VERB_UNITS) && cl->nargs == 0)
        return client_usage_error(cl, "no unit given", "");
    if (verb_has(cl->id, VERB_NO_ARGS) && cl->nargs > 0)
        return client_usage_error(cl, "unexpected argument", cl->args[0]);
    for (int i = 0; i < cl->nargs; i++) {
        if (!proto_unit_name_ok(cl->args[i])) {
            if (!cl->quiet)
                fprintf(stderr, "pxinit %s: %s: invalid unit name\n", cl->verb, cl->args[i]);
            return PROTO_EXIT_NO_UNIT;
        }
    }
    if (cl->id == VERB_LIST_TIMERS)
        return list_timers(cl);
    if (cl->id == VERB_LIST_SOCKETS)
        return list_sockets(cl);
    bool board = verb_has(cl->id, VERB_BOARD);
    if (board) {
        int code = client_board_status(cl);
        if (code >= 0) {
            status_recent_output(cl, code);
            return code;
        }
    }
    char buf[32];
    int code;
    const char *extra = request_extra(cl, buf, sizeof(buf), &code);
    if (code >= 0)
        return code;
    char *req = client_request_line(cl, extra);
    if (!req)
        return client_usage_error(cl, "request too long", "");
    bool waits = verb_has(cl->id, VERB_WAITS) || (cl->id == VERB_LOGS && cl->follow);
    code = client_request(cl, req, waits);
    free(req);
    if (board) {
        client_render(cl, cl->id == VERB_STATUS && cl->nargs > 0);
        status_recent_output(cl, code);
    }
    return code;
}

/* --user without -R: the user daemon's directory (config/paths.h), used
 * only when it is the user's own. -1, or the exit code. */
static int user_runtime_dir(struct client *cl, char *buf, size_t size)
{
    if (paths_runtime_dir(true, buf, size) < 0) {
        fprintf(stderr, "pxinit %s: cannot find the user runtime directory: %s\n",
                cl->verb ? cl->verb : "", strerror(errno));
        return PROTO_EXIT_UNREACHABLE;
    }
    const char *why = paths_runtime_dir_refused(buf);
    if (why) {
        fprintf(stderr, "pxinit %s: runtime directory %s refused: %s\n", cl->verb ? cl->verb : "",
                buf, why);
        return PROTO_EXIT_UNREACHABLE;
    }
    cl->runtime_dir = buf;
    return -1;
}

int client_main(int argc, char **argv)
{
    struct client cl = {0};
    struct client_target tg = {0};
    char user_dir[4096];
    cl.runtime_dir = getenv("PXINIT_RUNTIME_DIR");
    if (!cl.runtime_dir || !*cl.runtime_dir)
        cl.runtime_dir = PXINIT_DEFAULT_RUNTIME_DIR;
    int code = parse_args(&cl, &tg, argc, argv);
    if (code < 0 && !cl.verb)
        code = client_usage_error(&cl, "no verb given", "");
    if (code < 0) {
        /* client_role() saw a verb of the command line; this is that word. */
        int id = verb_find(cl.verb);
        if (id < 0 || !verb_is_command(cl.verb))
            code = client_usage_error(&cl, "unknown verb", cl.verb);
        else
            cl.id = (enum verb_id)id;
    }
    /* Offline verbs (check, calendar) reach no daemon. */
    if (code < 0 && tg.user && !tg.dir_given && !verb_has(cl.id, VERB_OFFLINE))
        code = user_runtime_dir(&cl, user_dir, sizeof(user_dir));
    if (code < 0)
        code = run_verb(&cl);
    fflush(stdout);
    free(cl.args);
    free(cl.units);
    client_sockets_free(&cl);
    return code;
}
