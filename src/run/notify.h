/* notify.h - the sd_notify(3) protocol: $RUNTIME_DIR/notify, a datagram
 * socket handed to services as NOTIFY_SOCKET, open for pxinit's whole life. */
#ifndef PXINIT_NOTIFY_H
#define PXINIT_NOTIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "run/pxinit.h"

/* What one datagram says (sd_notify(3) assignments, one per line). */
struct notify_msg {
    bool ready, reloading, stopping;
    bool watchdog_ping, watchdog_trigger;
    bool has_mainpid, has_errno, has_extend, has_watchdog_usec;
    pid_t mainpid;
    int err;
    uint64_t extend_usec;
    uint64_t watchdog_usec;
    const char *status; /* points into the buffer; NULL when absent */
    size_t status_len;
    /* The fd store (FDSTORE=1, FDSTOREREMOVE=1, FDNAME=, FDPOLL=0). */
    bool fdstore, fdstore_remove, fdpoll_off;
    const char *fdname; /* points into the buffer; NULL when absent */
    size_t fdname_len;
    /* Fds sent along (SCM_RIGHTS), close-on-exec. deliver() may keep some,
     * setting their slots to -1; notify.c closes the rest after it. */
    int *fds;
    size_t nfds;
};

/* Parses buf[0..len) (need not be NUL-terminated). Unknown assignments are
 * ignored, malformed numbers drop just that assignment. Pure. */
void notify_parse(const char *buf, size_t len, struct notify_msg *m);

struct service;
struct ucred;

/* Where notify.c hands what it read (main.c wires the supervisor's). */
struct notify_ops {
    /* A message from sender (its kernel-checked credentials), attributed
     * to s, NotifyAccess= checked. */
    void (*deliver)(struct pxinit *px, struct service *s, const struct ucred *sender,
                    const struct notify_msg *m);
    /* Brings the pid index up to date: a sender's pid may still sit in a
     * spawn report not read yet (launch.c). Called only while px->jobs. */
    void (*catch_up)(struct pxinit *px);
};

/* Creates the socket in the runtime directory and starts watching it;
 * datagrams go to ops. Returns 0, or -1 (logged): notify units then cannot
 * become ready. */
int notify_init(struct pxinit *px, const struct notify_ops *ops);
void notify_close(struct pxinit *px);
/* Reads every datagram waiting now. Called before a service's exit is
 * handled: what it sent before exiting (MAINPID=, READY=1) comes first, as
 * it did in time. */
void notify_drain(struct pxinit *px);

#endif
