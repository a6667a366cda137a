/* client_int.h - what the client's files share: the request being run, and
 * the two ways to an answer (the status board, client_board.c; the control
 * socket, client_request.c). client.c parses argv and picks the way. */
#ifndef PXINIT_CLIENT_INT_H
#define PXINIT_CLIENT_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "wire/status_board.h"
#include "wire/verbs.h"

struct client {
    const char *verb; /* as typed, for messages */
    enum verb_id id;
    const char *runtime_dir;
    bool json, quiet, no_block;
    bool follow;       /* logs -f */
    bool all;          /* list-timers/list-sockets --all: inactive units too */
    const char *lines; /* logs -n N, status -n N */
    double timeout;    /* seconds; 0 = none */
    const char *signal;
    const char *iterations, *base_time; /* calendar */
    char **args;                        /* units or files */
    int nargs;
    struct sb_unit *units; /* the records to show (status, list) */
    size_t nunits, cap;
    /* Sockets' details from `socket` lines, pointed to by units[].socket
     * (which may be copied around); freed here, at the end. */
    struct proto_socket **socks;
    size_t nsocks;
    /* Sees each reply line but `end` first (systemctl's `prop` lines,
     * journalctl's `entry` lines); true when it took the line. */
    bool (*line_hook)(void *ctx, char *line);
    void *hook_ctx;
};

/* Prints a usage error naming arg (when not empty); returns exit code 2. */
int client_usage_error(const struct client *cl, const char *what, const char *arg);
/* $RUNTIME_DIR/name, malloc'ed; NULL when out of memory. */
char *client_path(const struct client *cl, const char *name);
/* Adds a record to show. 0, or -1 when out of memory. */
int client_unit_push(struct client *cl, const struct sb_unit *u);
/* Shows the records: the table or --json; named: in the order asked for. */
void client_render(struct client *cl, bool named);

/* A socket's `socket` or `listen` line (what follows the word, is_listen
 * for the second), put on the unit it follows when it names that unit.
 * 0, or -1 when out of memory. */
int client_socket_line(struct client *cl, const char *rest, bool is_listen);
/* Frees what client_socket_line() kept. */
void client_sockets_free(struct client *cl);

/* calendar (offline, client_calendar.c): the exit code. */
int client_calendar(const struct client *cl);

/* status or list from the board: the exit code, or -1 when the socket must
 * answer instead (no board, a stale one is exit 5 here). */
int client_board_status(struct client *cl);

/* "verb [extra] args...\n", malloc'ed; NULL when too long (or no memory). */
char *client_request_line(const struct client *cl, const char *extra);
/* Sends req and handles the reply lines until `end CODE`; returns CODE, or
 * 5 (unreachable) or 1 (the conversation broke). waits: no time limit
 * unless --timeout (the reply comes when the job ends). */
int client_request(struct client *cl, const char *req, bool waits);

#endif
