/* control.h - the control plane in the daemon: the control socket
 * ($RUNTIME_DIR/control, doc/protocol.md), the status board
 * ($RUNTIME_DIR/status, doc/status-board.md), the verbs, daemon-reload.
 * Its state hangs off px->ctl; without a runtime directory pxinit runs on
 * with neither socket nor board. */
#ifndef PXINIT_CONTROL_H
#define PXINIT_CONTROL_H

#include "run/pxinit.h"

/* Reads pxinit.conf, creates the runtime directory, the socket and the
 * board, and publishes every loaded unit. Never fails: problems are warned
 * about once and the daemon runs without what could not be made. */
void control_start(struct pxinit *px);

/* A service changed (state, pid): update its record, wake waiting clients. */
void control_unit_changed(struct pxinit *px, struct service *s);

/* 1 while the listening socket is watched and raises a signal when a client
 * comes (signals_sleep()), else 0. */
int control_signalled_watchers(struct pxinit *px);

/* daemon-reload (SIGHUP or the verb without a client). */
void control_daemon_reload(struct pxinit *px);

/* At exit: closes clients and the socket, marks the board closed, frees what
 * daemon-reload still held (retired services, pending definitions). */
void control_stop(struct pxinit *px);

#endif
