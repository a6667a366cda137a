/* client.c - the client role: `pxinit VERB ...`.
 *
 * `check` works offline. `status` and `list` read the status board
 * ($RUNTIME_DIR/status) directly and fall back to the control socket; every
 * other verb sends one request line over the socket and reads reply lines
 * until `end CODE` (doc/protocol.md). Exit codes are SPEC's: 0 ok, 1 failed,
 * 2 usage, 3 a named unit is not active, 4 no such unit, 5 unreachable.
 */
#include "client/client.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "config/options.h"
#include "wire/protocol.h"
#include "base/signame.h"
#include "wire/status_board.h"
#include "unit/unit_load.h"
#include "unit/unit_parse.h"

static const char *const verbs[] = {
    "start", "stop", "restart",       "reload",   "kill",  "status",
    "list",  "logs", "daemon-reload", "shutdown", "check",
};

bool client_is_verb(const char *word)
{
    for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
        if (strcmp(word, verbs[i]) == 0)
            return true;
    return false;
}

/* Edits (insert, delete, change, swap of neighbours) from a to b, or more
 * than max: then max + 1. Words longer than a verb are not verbs. */
static size_t edit_distance(const char *a, const char *b, size_t max)
{
    enum { LEN = 24 };
    size_t la = strlen(a), lb = strlen(b);
    if (la >= LEN || lb >= LEN)
        return max + 1;
    size_t d[LEN][LEN];
    for (size_t i = 0; i <= la; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= la; i++) {
        for (size_t j = 1; j <= lb; j++) {
            size_t best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            if (d[i - 1][j] + 1 < best)
                best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best)
                best = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    }
    return d[la][lb] <= max ? d[la][lb] : max + 1;
}

const char *client_closest_verb(const char *word)
{
    const char *best = NULL;
    size_t best_d = 0;
    for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++) {
        /* Close: two edits for a long verb, one for a short one (start and
         * stop are one apart from each other). */
        size_t max = strlen(verbs[i]) >= 6 ? 2 : 1;
        size_t d = edit_distance(word, verbs[i], max);
        if (d <= max && (!best || d < best_d)) {
            best = verbs[i];
            best_d = d;
        }
    }
    return best;
}

/* The first word that is neither -R DIR nor --runtime-dir[=]DIR. */
static int verb_index(int argc, char **argv)
{
    int i = 1;
    while (i < argc) {
        if (strcmp(argv[i], "-R") == 0 || strcmp(argv[i], "--runtime-dir") == 0)
            i += 2;
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
    return i < argc && client_is_verb(argv[i]);
}

struct client {
    const char *verb;
    const char *runtime_dir;
    bool json, quiet, no_block;
    bool follow;       /* logs -f */
    const char *lines; /* logs -n N, status -n N */
    double timeout;    /* seconds; 0 = none */
    const char *signal;
    char **args; /* units or files */
    int nargs;
    struct sb_unit *units;
    size_t nunits, cap;
};

static int usage_error(const struct client *cl, const char *what, const char *arg)
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
        return usage_error(cl, "no unit file given (usage: pxinit check FILE...)", "");
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

/* --- output ---------------------------------------------------------------------- */

static int unit_push(struct client *cl, const struct sb_unit *u)
{
    if (cl->nunits == cl->cap) {
        size_t cap = cl->cap ? cl->cap * 2 : 64;
        struct sb_unit *v = realloc(cl->units, cap * sizeof(*v));
        if (!v)
            return -1;
        cl->units = v;
        cl->cap = cap;
    }
    cl->units[cl->nunits++] = *u;
    return 0;
}

static int unit_cmp(const void *a, const void *b)
{
    return strcmp(((const struct sb_unit *)a)->name, ((const struct sb_unit *)b)->name);
}

static void render(struct client *cl, bool named)
{
    if (cl->quiet)
        return;
    if (!named && cl->nunits > 1) /* none: units is NULL, which qsort may not get */
        qsort(cl->units, cl->nunits, sizeof(*cl->units), unit_cmp);
    if (cl->json) {
        proto_print_json(stdout, cl->units, cl->nunits);
        return;
    }
    /* One line per unit (SPEC), named units in the order given; the
     * legend only for a person at a terminal, so scripts get units alone. */
    proto_print_table(stdout, cl->units, cl->nunits, (int64_t)time(NULL), isatty(STDOUT_FILENO));
}

static char *path_of(const struct client *cl, const char *name)
{
    size_t n = strlen(cl->runtime_dir) + strlen(name) + 2;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s/%s", cl->runtime_dir, name);
    return p;
}

/* --- status and list from the board ------------------------------------------------ */

/* Returns an exit code, or -1 when the socket should answer instead. */
static int board_status(struct client *cl)
{
    const char *env = getenv("PXINIT_NO_BOARD");
    if (env && *env && strcmp(env, "0") != 0)
        return -1;
    char *path = path_of(cl, "status");
    struct sb_reader r;
    if (!path || sb_reader_open(&r, path) != SB_OPEN_OK) {
        free(path);
        return -1;
    }
    if (r.stale) {
        if (!cl->quiet)
            fprintf(stderr,
                    "pxinit %s: the daemon is not running: %s is stale (last written by "
                    "pid %d)\n",
                    cl->verb, path, (int)r.hdr->daemon_pid);
        sb_reader_close(&r);
        free(path);
        return PROTO_EXIT_UNREACHABLE;
    }
    free(path);
    bool overflow = __atomic_load_n(&r.hdr->flags, __ATOMIC_ACQUIRE) & SB_FLAG_OVERFLOW;
    int code = PROTO_EXIT_OK;
    bool named = strcmp(cl->verb, "status") == 0 && cl->nargs > 0;
    struct sb_unit u;
    if (named) {
        for (int i = 0; i < cl->nargs; i++) {
            char name[SB_NAME_MAX];
            proto_short_name(cl->args[i], name, sizeof(name));
            int f = sb_reader_find(&r, name, &u);
            /* Not found on a board that was cut short, or overflowed: the
             * socket knows. */
            if (f < 0 || (f == 0 && (overflow || !sb_reader_intact(&r)))) {
                sb_reader_close(&r);
                cl->nunits = 0;
                return -1;
            }
            if (f == 0) {
                /* Not on the board: the daemon knows whether it is masked,
                 * an instance to make, or no unit at all. */
                sb_reader_close(&r);
                return -1;
            }
            if (!proto_unit_active(&u))
                code = code ? code : PROTO_EXIT_NOT_ACTIVE;
            if (unit_push(cl, &u) < 0) {
                sb_reader_close(&r);
                cl->nunits = 0;
                return -1;
            }
        }
    } else {
        if (overflow) {
            sb_reader_close(&r);
            return -1;
        }
        uint32_t used = sb_reader_used(&r);
        for (uint32_t i = 0; i < used; i++) {
            int g = sb_reader_get(&r, i, &u);
            if (g < 0 || (g == 1 && unit_push(cl, &u) < 0)) {
                sb_reader_close(&r);
                cl->nunits = 0;
                return -1;
            }
        }
        /* A list from a board cut short would miss units. */
        if (!sb_reader_intact(&r)) {
            sb_reader_close(&r);
            cl->nunits = 0;
            return -1;
        }
    }
    sb_reader_close(&r);
    render(cl, named);
    return code;
}

/* --- the socket ---------------------------------------------------------------------- */

static double now_sec(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int connect_daemon(struct client *cl)
{
    char *path = path_of(cl, "control");
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    if (!path || strlen(path) >= sizeof(sa.sun_path)) {
        fprintf(stderr, "pxinit %s: runtime directory path too long\n", cl->verb);
        free(path);
        return -1;
    }
    strcpy(sa.sun_path, path);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0) {
        free(path);
        return fd;
    }
    if (!cl->quiet)
        fprintf(stderr, "pxinit %s: cannot reach the daemon at %s: %s\n", cl->verb, path,
                strerror(errno));
    if (fd >= 0)
        close(fd);
    free(path);
    return -1;
}

/* Handles one reply line; returns the exit code at `end`, else -1. */
static int reply_line(struct client *cl, char *line)
{
    if (strncmp(line, "end ", 4) == 0)
        return atoi(line + 4);
    if (strncmp(line, "unit ", 5) == 0) {
        struct sb_unit u;
        if (proto_parse_unit(line + 5, &u) == 0 && unit_push(cl, &u) < 0)
            fprintf(stderr, "pxinit %s: out of memory\n", cl->verb);
    } else if (strncmp(line, "error ", 6) == 0) {
        char *text = strchr(line + 6, ' ');
        if (!cl->quiet)
            fprintf(stderr, "pxinit %s: %s\n", cl->verb, text ? text + 1 : line + 6);
    } else if (strncmp(line, "msg ", 4) == 0) {
        if (!cl->quiet)
            printf("%s\n", line + 4);
    } else if (strncmp(line, "line ", 5) == 0) {
        if (!cl->quiet) {
            printf("%s\n", line + 5);
            if (cl->follow)
                fflush(stdout);
        }
    }
    return -1;
}

static int request(struct client *cl, const char *req, bool waits)
{
    int fd = connect_daemon(cl);
    if (fd < 0)
        return PROTO_EXIT_UNREACHABLE;
    size_t len = strlen(req), off = 0;
    while (off < len) {
        ssize_t n = send(fd, req + off, len - off, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            /* The daemon may have answered and closed already (a refusal):
             * what it said is still there to read. */
            break;
        }
        off += (size_t)n;
    }
    /* Requests that do not wait for a unit answer at once; 30s means a wedged daemon. */
    double limit = cl->timeout > 0 ? cl->timeout : waits ? 0 : 30;
    double deadline = limit > 0 ? now_sec() + limit : 0;
    char buf[2 * PROTO_MAX_REQUEST + 1024];
    size_t have = 0;
    for (;;) {
        char *nl;
        while ((nl = memchr(buf, '\n', have))) {
            *nl = '\0';
            int code = reply_line(cl, buf);
            size_t used = (size_t)(nl - buf) + 1;
            memmove(buf, nl + 1, have - used);
            have -= used;
            if (code >= 0) {
                close(fd);
                return code;
            }
        }
        if (have == sizeof(buf)) {
            fprintf(stderr, "pxinit %s: reply line too long\n", cl->verb);
            break;
        }
        int ms = -1;
        if (deadline > 0) {
            double left = deadline - now_sec();
            if (left <= 0) {
                fprintf(stderr,
                        "pxinit %s: timed out after %gs waiting for the daemon (the job goes "
                        "on)\n",
                        cl->verb, limit);
                break;
            }
            ms = (int)(left * 1000) + 1;
        }
        struct pollfd pfd = {.fd = fd, .events = POLLIN};
        int r = poll(&pfd, 1, ms);
        if (r < 0 && errno != EINTR) {
            perror("pxinit: poll");
            break;
        }
        if (r <= 0)
            continue;
        ssize_t n = read(fd, buf + have, sizeof(buf) - have);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            if (!cl->quiet)
                fprintf(stderr, "pxinit %s: the daemon closed the connection\n", cl->verb);
            break;
        }
        have += (size_t)n;
    }
    close(fd);
    return PROTO_EXIT_FAILED;
}

/* Builds "verb [extra] args...\n"; NULL when too long. */
static char *request_line(const struct client *cl, const char *extra)
{
    size_t len = strlen(cl->verb) + (extra ? strlen(extra) + 1 : 0) + 2;
    for (int i = 0; i < cl->nargs; i++)
        len += strlen(cl->args[i]) + 1;
    if (len > PROTO_MAX_REQUEST)
        return NULL;
    char *s = malloc(len + 1);
    if (!s)
        return NULL;
    strcpy(s, cl->verb);
    if (extra) {
        strcat(s, " ");
        strcat(s, extra);
    }
    for (int i = 0; i < cl->nargs; i++) {
        strcat(s, " ");
        strcat(s, cl->args[i]);
    }
    strcat(s, "\n");
    return s;
}

/* --- argv -------------------------------------------------------------------------- */

static int parse_args(struct client *cl, int argc, char **argv)
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
            strcmp(a, "-n") == 0 || strcmp(a, "--lines") == 0) {
            if (i + 1 >= argc)
                return usage_error(cl, "option needs a value:", a);
            val = argv[++i];
        } else if (strncmp(a, "--", 2) == 0 && strchr(a, '=')) {
            val = strchr(a, '=') + 1;
        } else if (strncmp(a, "-R", 2) == 0 && a[2]) {
            val = a + 2;
            a = "-R";
        }
        if (strcmp(a, "-R") == 0 || strncmp(a, "--runtime-dir", 13) == 0) {
            cl->runtime_dir = val;
        } else if (strncmp(a, "--timeout", 9) == 0) {
            char *end;
            cl->timeout = strtod(val, &end);
            if (end == val || *end || cl->timeout <= 0 || cl->timeout > 1e7)
                return usage_error(cl, "invalid --timeout (want seconds):", val);
        } else if (strcmp(a, "-s") == 0 || strncmp(a, "--signal", 8) == 0) {
            cl->signal = val;
        } else if (strcmp(a, "-n") == 0 || strncmp(a, "--lines", 7) == 0) {
            char *end;
            unsigned long n = strtoul(val, &end, 10);
            if (end == val || *end || n > 1000000)
                return usage_error(cl, "invalid -n (want a number of lines):", val);
            cl->lines = val;
        } else if (strcmp(a, "--json") == 0) {
            cl->json = true;
        } else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
            cl->quiet = true;
        } else if (strcmp(a, "--no-block") == 0) {
            cl->no_block = true;
        } else if (strcmp(a, "-f") == 0 || strcmp(a, "--follow") == 0) {
            cl->follow = true;
        } else if (a[0] == '-' && a[1]) {
            return usage_error(cl, "unknown option", a);
        } else {
            cl->args[cl->nargs++] = argv[i];
        }
    }
    return -1;
}

static bool verb_is(const struct client *cl, const char *v)
{
    return strcmp(cl->verb, v) == 0;
}

/* `status UNIT` for a person (a terminal, or -n N given) ends with the unit's
 * recent output, as systemctl status does; scripts and probes reading a pipe
 * get only the status, from the board, without a round trip. */
static void status_recent_output(struct client *cl, int code)
{
    if (!verb_is(cl, "status") || cl->nargs != 1 || cl->json || cl->quiet ||
        code == PROTO_EXIT_NO_UNIT || code == PROTO_EXIT_UNREACHABLE)
        return;
    if (!cl->lines && !isatty(STDOUT_FILENO))
        return;
    if (cl->lines && strcmp(cl->lines, "0") == 0)
        return;
    char req[PROTO_MAX_REQUEST];
    int n =
        snprintf(req, sizeof(req), "logs -n %s %s\n", cl->lines ? cl->lines : "10", cl->args[0]);
    if (n < 0 || (size_t)n >= sizeof(req))
        return;
    printf("\nRecent output:\n");
    fflush(stdout);
    (void)request(cl, req, false);
}

static int run_verb(struct client *cl)
{
    if (verb_is(cl, "check"))
        return client_check(cl);
    bool needs_units = verb_is(cl, "start") || verb_is(cl, "stop") || verb_is(cl, "restart") ||
                       verb_is(cl, "reload") || verb_is(cl, "kill") || verb_is(cl, "logs");
    if (needs_units && cl->nargs == 0)
        return usage_error(cl, "no unit given", "");
    if ((verb_is(cl, "list") || verb_is(cl, "daemon-reload") || verb_is(cl, "shutdown")) &&
        cl->nargs > 0)
        return usage_error(cl, "unexpected argument", cl->args[0]);
    for (int i = 0; i < cl->nargs; i++) {
        if (!proto_unit_name_ok(cl->args[i])) {
            if (!cl->quiet)
                fprintf(stderr, "pxinit %s: %s: invalid unit name\n", cl->verb, cl->args[i]);
            return PROTO_EXIT_NO_UNIT;
        }
    }
    if (verb_is(cl, "status") || verb_is(cl, "list")) {
        int code = board_status(cl);
        if (code >= 0) {
            status_recent_output(cl, code);
            return code;
        }
    }
    const char *extra = NULL;
    char sigbuf[32];
    if (verb_is(cl, "kill")) {
        const char *sig = cl->signal ? cl->signal : "TERM";
        int n = signal_from_string(sig);
        if (n <= 0)
            return usage_error(cl, "invalid signal", sig);
        snprintf(sigbuf, sizeof(sigbuf), "%d", n);
        extra = sigbuf;
    } else if (cl->no_block) {
        extra = "--no-block";
    } else if (verb_is(cl, "logs")) {
        if (cl->nargs != 1)
            return usage_error(cl, "one unit at a time", "");
        snprintf(sigbuf, sizeof(sigbuf), "%s%s%s", cl->lines ? "-n " : "",
                 cl->lines ? cl->lines : "", cl->follow ? (cl->lines ? " -f" : "-f") : "");
        extra = sigbuf[0] ? sigbuf : NULL;
    }
    char *req = request_line(cl, extra);
    if (!req)
        return usage_error(cl, "request too long", "");
    bool waits = verb_is(cl, "start") || verb_is(cl, "stop") || verb_is(cl, "restart") ||
                 verb_is(cl, "reload") || (verb_is(cl, "logs") && cl->follow);
    int code = request(cl, req, waits);
    free(req);
    if (verb_is(cl, "status") || verb_is(cl, "list")) {
        render(cl, verb_is(cl, "status") && cl->nargs > 0);
        status_recent_output(cl, code);
    }
    return code;
}

int client_main(int argc, char **argv)
{
    struct client cl = {0};
    cl.runtime_dir = getenv("PXINIT_RUNTIME_DIR");
    if (!cl.runtime_dir || !*cl.runtime_dir)
        cl.runtime_dir = PXINIT_DEFAULT_RUNTIME_DIR;
    int code = parse_args(&cl, argc, argv);
    if (code < 0)
        code = cl.verb ? run_verb(&cl) : usage_error(&cl, "no verb given", "");
    fflush(stdout);
    free(cl.args);
    free(cl.units);
    return code;
}
