/* client_board.c - `pxinit status` and `list` from the status board
 * ($RUNTIME_DIR/status, doc/status-board.md): no round trip to the daemon.
 * Whenever the board cannot be trusted to answer in full (missing, stale,
 * overflowed, cut short, a unit not on it), the socket answers instead;
 * either way the records are shown here. A socket's `--json` always asks
 * the socket: the board has no addresses.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "client/client_int.h"
#include "wire/protocol.h"

char *client_path(const struct client *cl, const char *name)
{
    size_t n = strlen(cl->runtime_dir) + strlen(name) + 2;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s/%s", cl->runtime_dir, name);
    return p;
}

int client_unit_push(struct client *cl, const struct sb_unit *u)
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

void client_render(struct client *cl, bool named)
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

static bool any_socket(const struct client *cl)
{
    static const char suffix[] = ".socket";
    for (size_t i = 0; i < cl->nunits; i++) {
        size_t n = strlen(cl->units[i].name);
        if (n > sizeof(suffix) - 1 &&
            strcmp(cl->units[i].name + n - (sizeof(suffix) - 1), suffix) == 0)
            return true;
    }
    return false;
}

int client_board_status(struct client *cl)
{
    const char *env = getenv("PXINIT_NO_BOARD");
    if (env && *env && strcmp(env, "0") != 0)
        return -1;
    char *path = client_path(cl, "status");
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
    bool named = cl->id == VERB_STATUS && cl->nargs > 0;
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
            if (client_unit_push(cl, &u) < 0) {
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
            if (g < 0 || (g == 1 && client_unit_push(cl, &u) < 0)) {
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
    /* A socket's --json has its addresses and counters, which only the
     * socket's `socket` and `listen` lines carry. */
    if (cl->json && any_socket(cl)) {
        cl->nunits = 0;
        return -1;
    }
    client_render(cl, named);
    return code;
}
