/* socket.h - a socket unit's state machine (systemd.socket(5)).
 *
 * Pure, like service.c, target.c and timer.c: it runs on the generic
 * runtime record (struct service) and reaches the world only through the
 * socket ops the supervisor gives it (run/socket_run.c: opening and closing
 * the fds, watching them, starting the unit it activates, accepting a
 * connection into an instance). Sub-states are systemd's, as far as pxinit
 * has them: dead, start-pre, start-post, listening (fds open and watched),
 * running (Accept=no: its service was triggered and is active, the fds
 * are not watched), stop-pre, stop-post, failed.
 *
 * This header is the contract the control plane reads (socket_view_of());
 * the machine's ops and runtime are declared below it by core/socket.c's
 * owner.
 */
#ifndef PXINIT_SOCKET_H
#define PXINIT_SOCKET_H

#include <stdbool.h>
#include <stdint.h>

#include "core/service.h"

/* What the client shows of a socket (status --json, list-sockets). */
struct socket_view {
    const struct unit_socket *def; /* the Listen*= entries (def->v, def->n) and options */
    const int *fds;                /* def->n entries: the open fd, -1 when not open */
    const char *activates;         /* "web.service"; "web@.service" for Accept=yes */
    uint64_t n_accepted;           /* connections accepted (Accept=yes), since pxinit started */
    unsigned n_connections;        /* Accept=yes instances running now */
    uint64_t n_triggers;           /* times it started its service (Accept=no) */
};

/* Fills *v for the socket s; false when s is not a socket. The pointers
 * are valid until the loop runs again. */
bool socket_view_of(const struct service *s, struct socket_view *v);

/* --- the machine (core/socket.c) ------------------------------------------ */

/* A socket's own sub-state; its code on the board is socket_sub_code()'s.
 * The record's s->sub holds the generic one the rest of pxinit reads
 * (SUB_DEAD, SUB_RUNNING for listening and running, SUB_FAILED), as a
 * timer's does. start-pre to stop-post run ExecStartPre=, ExecStartPost=,
 * ExecStopPre= and ExecStopPost= as control processes. */
enum socket_sub {
    SOCKET_SUB_DEAD,
    SOCKET_SUB_START_PRE,
    SOCKET_SUB_START_POST,
    SOCKET_SUB_LISTENING,
    SOCKET_SUB_RUNNING,
    SOCKET_SUB_STOP_PRE,
    SOCKET_SUB_STOP_POST,
    SOCKET_SUB_FAILED,
};

/* Where the machine reaches the world (run/socket_run.c has the real ones;
 * check_socket.c fakes them). */
struct socket_ops {
    /* Opens every Listen*= entry and makes Symlinks=. 0, or -1 with
     * everything opened closed again (logged with the entry and step). */
    int (*open)(struct service *s);
    /* Closes every fd (RemoveOnStop= removes the paths). */
    void (*close)(struct service *s);
    /* Watches the fds for traffic (on) or stops. 0, or -1 (ENOMEM). */
    int (*watch)(struct service *s, bool on);
    /* Accept=no: the service it activates is active or on its way (not
     * inactive or failed). */
    bool (*service_active)(struct service *s);
    /* Accept=no: starts that service. 0, or -1 with *result why it
     * cannot be (not loaded: RESULT_RESOURCES; masked or past its start
     * limit: RESULT_SERVICE_START_LIMIT). */
    int (*trigger)(struct service *s, enum service_result *result);
    /* Accept=yes: accepts what waits, each connection after a
     * socket_conn_allowed() (the run layer's loop). */
    void (*accept)(struct service *s);
};

/* A socket's runtime: hangs off s->socket_rt (only sockets have one). The
 * supervisor embeds it in its own record (run/socket_run.c). */
struct socket_rt {
    const struct socket_ops *ops;
    char *default_service; /* NAME.service or NAME@.service: without Service= */
    int *fds;              /* one per Listen*= entry of the definition it opened */
    size_t nfds;
    uint64_t trigger_window; /* TriggerLimit*: the current interval's start (usec) */
    unsigned trigger_count;  /* triggers in it */
    uint64_t n_accepted, n_triggers;
    unsigned n_connections;
    enum socket_sub sub : 8;
    bool triggering : 1; /* inside ops->trigger */
    bool watching : 1;   /* ops->watch(on) done */
};

/* Sets rt up for the socket unit u. 0, or -1 (ENOMEM). */
int socket_rt_init(struct socket_rt *rt, const struct unit *u, const struct socket_ops *ops);
void socket_rt_release(struct socket_rt *rt);

/* The unit s activates: Service=, or NAME.service (Accept=no), or the
 * template NAME@.service (Accept=yes). */
const char *socket_activates(const struct service *s);

/* Requests (the unit-type ops). A stop leaves what it started running. */
void socket_start(struct service *s, bool explicit_request);
void socket_stop(struct service *s);
void socket_restart(struct service *s);

/* Events from the supervisor. */
/* Its control process exited, or could not be spawned (unit_type_ops). */
void socket_proc_exited(struct service *s, struct svc_proc *p, int wait_status);
void socket_spawn_failed(struct service *s, struct svc_proc *p);
/* Its command's timeout passed. */
void socket_timer_fired(struct service *s);
/* Traffic on a watched fd. */
void socket_readable(struct service *s);
/* Accept=no: the service it activates changed (inactive or failed
 * versus anything else; auto_restart: it is about to start again). */
void socket_service_changed(struct service *s, bool now_inactive, bool auto_restart);
/* Accept=yes: one connection was accepted; false when the trigger limit
 * is hit (the socket failed: the caller drops the connection and stops
 * accepting). */
bool socket_conn_allowed(struct service *s);
/* Accept=yes: its listening fd broke (accept() failed for good, as after a
 * service given it shut it down) or its instances cannot be loaded: the
 * socket fails (result resources), as systemd's, instead of being woken
 * up for ever. */
void socket_accept_failed(struct service *s);

/* The codes the board and the client show (wire/unit_state.h). */
uint8_t socket_sub_code(const struct service *s);
uint8_t socket_state_code(const struct service *s);
const char *socket_sub_name(enum socket_sub sub);

#endif
