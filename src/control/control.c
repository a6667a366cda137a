/* control.c - the control socket server: the runtime directory, the
 * listening socket, accepting within limits, and the server's life. Requests
 * are framed per connection (control_client.c) and handed to the dispatcher
 * given at control_start() (control_verbs.c's in the daemon); the status
 * board is written by control_board.c.
 *
 * Never blocks on a client: the listening socket and every connection are
 * non-blocking in the libev loop; at most CTL_MAX_CLIENTS connections.
 * Timers exist only while clients do. A client's request is read as soon as
 * it is accepted: in a burst it is there already, and most are answered
 * before the next accept. At the cap a new client evicts one that has sent
 * nothing for CTL_EVICT_IDLE; while every slot's client has just come (its
 * request is on its way) the rest wait in the listen backlog, not accepted,
 * until a slot frees; only when every slot waits on a job or follows output
 * is a new client refused, with an error. EMFILE on accept evicts an idle
 * client as at the cap; with none to evict it gives up a reserve fd to
 * accept and refuse the client, then pauses accepting briefly, so the loop
 * never spins.
 */
#include "control/control.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "control/control_int.h"
#include "base/log.h"
#include "run/signals.h"

#if defined(SO_PASSRIGHTS)
#define PX_SO_PASSRIGHTS SO_PASSRIGHTS
#elif defined(__x86_64__) || defined(__i386__) || defined(__aarch64__) || defined(__arm__) || \
    defined(__riscv)
#define PX_SO_PASSRIGHTS 83 /* <asm-generic/socket.h> of Linux 6.16 */
#endif

enum room { ROOM_MADE, ROOM_SOON, ROOM_NONE };

/* At the cap, or out of descriptors (why): the client silent the longest
 * makes room if it has been for CTL_EVICT_IDLE. One that has just come is
 * sending its request, and one whose answer is being written or that is
 * closing is nearly done: their slots free soon. Only clients waiting on
 * jobs or following output may hold theirs for long. */
static enum room make_room(struct ctl *ctl, const char *why)
{
    struct ctl_client *victim = NULL;
    ev_tstamp oldest = 0;
    bool soon = false;
    for (struct ctl_client *c = ctl->clients; c; c = c->next) {
        if (c->busy)
            continue;
        if (c->closing || c->outoff < c->outlen) {
            soon = true;
            continue;
        }
        ev_tstamp at = ev_timer_remaining(ctl->px->loop, &c->idle);
        if (!victim || at < oldest) {
            victim = c;
            oldest = at;
        }
    }
    if (!victim)
        return soon ? ROOM_SOON : ROOM_NONE;
    char byte;
    if (CTL_IDLE_TIMEOUT - oldest < CTL_EVICT_IDLE ||
        recv(victim->fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT) > 0)
        return ROOM_SOON; /* young, or its request came since: the loop reads it next */
    log_debug("control: %s, dropping an idle client (pid %d)", why, (int)victim->pid);
    ctl_client_free(victim);
    return ROOM_MADE;
}

static void accept_pause_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
    struct ctl *ctl = (struct ctl *)((char *)w - offsetof(struct ctl, accept_pause));
    ctl->full_pause = false;
    ev_io_start(loop, &ctl->listen_io);
    signals_poll_again(
        &ctl->px->signals); /* clients that came meanwhile raised no signal we kept */
}

static void accept_pause(struct ctl *ctl)
{
    ev_io_stop(ctl->px->loop, &ctl->listen_io);
    ev_timer_set(&ctl->accept_pause, 0.1, 0.);
    ev_timer_start(ctl->px->loop, &ctl->accept_pause);
}

/* Whether the next client may be accepted now; false: accepting has stopped
 * until a slot frees (ctl_slot_freed()) or, at the latest, a silent client has
 * been so for CTL_EVICT_IDLE. */
static bool accept_room(struct ctl *ctl)
{
    if (ctl->nclients < CTL_MAX_CLIENTS || make_room(ctl, "too many clients") != ROOM_SOON)
        return true; /* ROOM_NONE: ctl_client_new() refuses it with an error */
    accept_pause(ctl);
    ctl->full_pause = true;
    return false;
}

/* accept() failed with EMFILE or ENFILE. Idle clients must not starve the
 * rest: the one silent the longest gives its descriptor up, as at the cap;
 * true when the caller may accept again at once. While every client is
 * young, accepting waits for one to age or leave. Only when no client can
 * give way (the descriptors went to units) is the waiting one taken with a
 * reserve descriptor and refused, or it would keep the loop spinning. */
static bool accept_out_of_fds(struct ctl *ctl)
{
    switch (make_room(ctl, "out of file descriptors")) {
    case ROOM_MADE:
        return true;
    case ROOM_SOON:
        accept_pause(ctl);
        ctl->full_pause = true; /* a client leaving resumes accepting */
        return false;
    case ROOM_NONE:
        break;
    }
    log_warnx("control: out of file descriptors, refusing a client");
    if (ctl->reserve_fd >= 0) {
        close(ctl->reserve_fd);
        int fd = accept4(ctl->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd >= 0) {
            static const char busy[] = "error 1 out of file descriptors, try again\nend 1\n";
            (void)send(fd, busy, sizeof(busy) - 1, MSG_NOSIGNAL | MSG_DONTWAIT);
            close(fd);
        }
        ctl->reserve_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    }
    accept_pause(ctl);
    return false;
}

static void listen_cb(struct ev_loop *loop, ev_io *w, int revents)
{
    struct ctl *ctl = (struct ctl *)((char *)w - offsetof(struct ctl, listen_io));
    signals_poll_again(&ctl->px->signals); /* more than 64 may wait */
    for (int i = 0; i < 64; i++) {
        if (!accept_room(ctl))
            return;
        int fd = accept4(ctl->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd >= 0) {
            ctl_client_new(ctl, fd);
            continue;
        }
        switch (errno) {
        case EINTR:
        case ECONNABORTED:
        case EPROTO:
            continue;
        case EAGAIN:
            return;
        case EMFILE:
        case ENFILE:
            if (accept_out_of_fds(ctl))
                continue;
            return;
        default:
            log_warn("control: accept");
            accept_pause(ctl);
            return;
        }
    }
}

/* --- setup --------------------------------------------------------------------- */

static char *path_join(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s/%s", dir, name);
    return p;
}

/* Binds the control socket; a socket left by a dead daemon is replaced, a
 * live one is not taken over. */
static int socket_open(struct ctl *ctl)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    if (strlen(ctl->sock_path) >= sizeof(sa.sun_path)) {
        errno = ENAMETOOLONG;
        return -1;
    }
    strcpy(sa.sun_path, ctl->sock_path);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        if (errno != EADDRINUSE)
            goto fail;
        int probe = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        int r = probe >= 0 ? connect(probe, (struct sockaddr *)&sa, sizeof(sa)) : -1;
        int e = errno;
        if (probe >= 0)
            close(probe);
        if (r == 0 || e == EAGAIN || e == EINPROGRESS) {
            close(fd);
            errno = EADDRINUSE; /* another daemon answers there */
            return -1;
        }
        log_debug("control: replacing stale socket %s", ctl->sock_path);
        if (unlink(ctl->sock_path) < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
            goto fail;
    }
    /* No fds over this socket: the kernel would release them in pxinit
     * when it reads or closes a client, and a socket some local user made
     * linger would hang PID 1 there (base/fd_close.h). Linux 6.16 and
     * later refuse them to the sender (inherited by the accepted ones);
     * older kernels lack the option. */
#ifdef PX_SO_PASSRIGHTS
    int no = 0;
    (void)setsockopt(fd, SOL_SOCKET, PX_SO_PASSRIGHTS, &no, sizeof(no));
#endif
    /* Everyone may connect so that a refused peer is told why and logged;
     * SO_PEERCRED decides who may act. */
    if (chmod(ctl->sock_path, CTL_SOCKET_MODE) < 0 || listen(fd, 128) < 0)
        goto fail;
    ctl->listen_fd = fd;
    return 0;
fail:;
    int e = errno;
    close(fd);
    errno = e;
    return -1;
}

static void settle_cb(struct ev_loop *loop, ev_idle *w, int revents)
{
    struct ctl *ctl = (struct ctl *)((char *)w - offsetof(struct ctl, settle));
    ev_idle_stop(loop, w);
    if (ctl->dispatcher->settle)
        ctl->dispatcher->settle(ctl);
}

void ctl_settle_soon(struct ctl *ctl)
{
    if (!ev_is_active(&ctl->settle))
        ev_idle_start(ctl->px->loop, &ctl->settle);
}

/* px->hooks: a service changed. */
static void unit_changed(void *ctx, struct service *s)
{
    struct ctl *ctl = ctx;
    ctl_publish(ctl, s);
    if (ctl->clients)
        ctl_settle_soon(ctl);
}

/* px->hooks: SIGHUP. */
static void daemon_reload(void *ctx)
{
    struct ctl *ctl = ctx;
    if (ctl->dispatcher->reload)
        ctl->dispatcher->reload(ctl);
}

void control_start(struct pxinit *px, const struct ctl_dispatcher *d)
{
    struct ctl *ctl = calloc(1, sizeof(*ctl));
    if (!ctl) {
        log_warnx("out of memory: running without control socket and status board");
        return;
    }
    ctl->px = px;
    ctl->dispatcher = d;
    ctl->listen_fd = -1;
    ctl->board.fd = -1;
    ctl->reserve_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    ev_io_init(&ctl->listen_io, listen_cb, -1, EV_READ);
    ev_timer_init(&ctl->accept_pause, accept_pause_cb, 0.1, 0.);
    ev_idle_init(&ctl->settle, settle_cb);
    px->ctl = ctl;
    px->hooks = (struct run_hooks){
        .unit_changed = unit_changed, .daemon_reload = daemon_reload, .ctx = ctl};
    px->table.watch = &ctl_table_watch; /* board slots of units a reload adds */
    px->table.watch_ctx = ctl;

    const char *dir = px->opts.runtime_dir;
    if (!dir) /* refused (config/mode_dirs.c), which said so */
        return;
    if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
        log_warn(
            "cannot create runtime directory %s; running without control socket "
            "and status board",
            dir);
        return;
    }
    ctl->sock_path = path_join(dir, "control");
    ctl->board_path = path_join(dir, "status");
    if (!ctl->sock_path || !ctl->board_path) {
        log_warnx("out of memory: running without control socket and status board");
        return;
    }
    if (socket_open(ctl) < 0) {
        log_warn("cannot listen on %s; running without control socket", ctl->sock_path);
    } else {
        ev_io_set(&ctl->listen_io, ctl->listen_fd, EV_READ);
        ev_io_start(px->loop, &ctl->listen_io);
        /* Else the socket keeps pxinit in epoll (signals.c). */
        (void)signals_arm_io(&px->signals, &ctl->listen_io);
    }
    ctl_board_open(ctl);
}

void control_stop(struct pxinit *px)
{
    struct ctl *ctl = px->ctl;
    if (!ctl)
        return;
    px->hooks = (struct run_hooks){0};
    px->table.watch = NULL;
    ctl->full_pause = false; /* ctl_client_free() must not resume accepting */
    while (ctl->clients)
        ctl_client_free(ctl->clients);
    ev_idle_stop(px->loop, &ctl->settle);
    ev_timer_stop(px->loop, &ctl->accept_pause);
    if (ctl->listen_fd >= 0) {
        ev_io_stop(px->loop, &ctl->listen_io);
        signals_disarm_io(&px->signals, &ctl->listen_io);
        close(ctl->listen_fd);
        unlink(ctl->sock_path);
    }
    if (ctl->reserve_fd >= 0)
        close(ctl->reserve_fd);
    sb_close(&ctl->board);
    if (ctl->dispatcher->stop)
        ctl->dispatcher->stop(ctl);
    free(ctl->sock_path);
    free(ctl->board_path);
    free(ctl);
    px->ctl = NULL;
}
