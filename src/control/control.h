/* control.h - the control plane in the daemon: the control socket
 * ($RUNTIME_DIR/control, doc/protocol.md) and the status board
 * ($RUNTIME_DIR/status, doc/status-board.md). The server frames requests and
 * hands them to a dispatcher (control_verbs.c's), which it knows only
 * through struct ctl_dispatcher. Its state hangs off px->ctl; without a
 * runtime directory pxinit runs on with neither socket nor board. */
#ifndef PXINIT_CONTROL_H
#define PXINIT_CONTROL_H

#include "run/pxinit.h"

struct ctl;
struct ctl_client;

/* What the server hands requests to. */
struct ctl_dispatcher {
    /* One request, split into words (argc > 0): ends it with
     * ctl_request_done() now, or leaves the client busy until it does. */
    void (*request)(struct ctl_client *c, int argc, char **argv);
    /* Once the loop is idle after changes (ctl_settle_soon()): the jobs
     * clients wait for. May be NULL. */
    void (*settle)(struct ctl *ctl);
    /* daemon-reload without a client (SIGHUP, through px->hooks). May be NULL. */
    void (*reload)(struct ctl *ctl);
    /* At control_stop(), after the clients are gone: frees what it holds.
     * May be NULL. */
    void (*stop)(struct ctl *ctl);
};

/* Creates the runtime directory, the socket and the board, publishes every
 * loaded unit, and fills in px->hooks (unit changes, SIGHUP's reload).
 * Requests go to d. Never fails: problems are warned about once and the
 * daemon runs without what could not be made. */
void control_start(struct pxinit *px, const struct ctl_dispatcher *d);

/* At exit: closes clients and the socket, marks the board closed, lets the
 * dispatcher free what it still holds (retired services, pending
 * definitions). */
void control_stop(struct pxinit *px);

#endif
