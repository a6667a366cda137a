/* hooks.h - what the running daemon tells the layers above it, which fill
 * these in when they start (the control plane, control_start()). run/ calls
 * them and never includes their headers: it does not know who listens. */
#ifndef PXINIT_HOOKS_H
#define PXINIT_HOOKS_H

#include <stddef.h>

struct service;

struct run_hooks {
    /* A service changed (state, main pid): its board record, waiting clients. */
    void (*unit_changed)(void *ctx, struct service *s);
    /* daemon-reload without a client (SIGHUP). */
    void (*daemon_reload)(void *ctx);
    void *ctx;
};

static inline void run_hooks_unit_changed(const struct run_hooks *h, struct service *s)
{
    if (h->unit_changed)
        h->unit_changed(h->ctx, s);
}

static inline void run_hooks_daemon_reload(const struct run_hooks *h)
{
    if (h->daemon_reload)
        h->daemon_reload(h->ctx);
}

#endif
