/* control.c - the control socket server and the status board writer.
 *
 * Never blocks on a client: the listening socket and every connection are
 * non-blocking in the libev loop; a request line is capped at
 * PROTO_MAX_REQUEST bytes, replies to a slow reader are buffered up to
 * CTL_MAX_OUTPUT; at most CTL_MAX_CLIENTS connections; a client that makes
 * no progress for CTL_IDLE_TIMEOUT is dropped. Timers exist only while
 * clients do. A client's request is read as soon as it is accepted: in a
 * burst it is there already, and most are answered before the next accept.
 * At the cap a new client evicts one that has sent nothing for
 * CTL_EVICT_IDLE; while every slot's client has just come (its request is on
 * its way) the rest wait in the listen backlog, not accepted, until a slot
 * frees; only when every slot waits on a job or follows output is a new
 * client refused, with an error. Each connection is checked with SO_PEERCRED (and SO_PEERGROUPS) at
 * accept. EMFILE on accept evicts an idle client as at the cap; with none to evict it gives up a
 * reserve fd to accept and refuse the client, then pauses accepting briefly, so the loop never
 * spins.
 */
#include "control/control.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "control/control_int.h"
#include "core/unit_type.h"
#include "base/log.h"
#include "run/signals.h"

static struct ctl *ctl_of(struct pxinit *px)
{
    return px->ctl;
}

/* --- the status board ------------------------------------------------------- */

void ctl_unit_record(struct ctl *ctl, struct service *s, struct sb_unit *out)
{
    struct sb_unit u;
    memset(&u, 0, sizeof(u));
    snprintf(u.name, sizeof(u.name), "%s", s->name);
    u.state = unit_state_of(s); /* the codes are wire/unit_state.h's */
    u.sub = unit_sub_of(s);
    u.pid = s->main.pid > 0 ? s->main.pid : -1;
    u.pgid = s->main.pgid > 0 ? s->main.pgid : s->control.pgid > 0 ? s->control.pgid : -1;
    u.restarts = s->restarts;
    u.exit_code = u.exit_signal = -1;
    if (s->have_exit) {
        if (WIFEXITED(s->last_status))
            u.exit_code = WEXITSTATUS(s->last_status);
        else if (WIFSIGNALED(s->last_status))
            u.exit_signal = WTERMSIG(s->last_status);
    }
    /* since_usec is ev_now()'s, which is wall-clock time: Unix seconds as
     * they are, so the board and the socket give the same value (a
     * conversion through "now" used to drift by a second between them). */
    if (s->since_usec)
        u.since = (int64_t)(s->since_usec / 1000000u);
    *out = u;
}

void ctl_publish(struct ctl *ctl, struct service *s)
{
    if (!ctl || s->board_slot < 0)
        return;
    struct sb_unit u;
    ctl_unit_record(ctl, s, &u);
    if (sb_publish(&ctl->board, s->board_slot, &u) < 0)
        log_warn("cannot write the status board %s; it is removed, status goes through the socket",
                 ctl->board_path);
}

/* --- clients ----------------------------------------------------------------- */

static void client_free(struct ctl_client *c)
{
    struct ctl *ctl = c->ctl;
    ev_io_stop(ctl->px->loop, &c->io);
    ev_timer_stop(ctl->px->loop, &c->idle);
    close(c->fd);
    if (c->prev)
        c->prev->next = c->next;
    else
        ctl->clients = c->next;
    if (c->next)
        c->next->prev = c->prev;
    ctl->nclients--;
    if (ctl->full_pause) { /* a slot for the clients waiting in the backlog */
        ctl->full_pause = false;
        ev_timer_stop(ctl->px->loop, &ctl->accept_pause);
        ev_io_start(ctl->px->loop, &ctl->listen_io);
        signals_poll_again(); /* they raised their signals long ago */
    }
    if (c->following)
        output_unfollow(&c->follow);
    free(c->out);
    free(c->jobs);
    free(c);
}

/* Starts io for what the client needs now; frees it when it needs nothing. */
static void client_update(struct ctl_client *c)
{
    int want = 0;
    bool pending_out = c->outoff < c->outlen;
    if (pending_out)
        want |= EV_WRITE;
    /* A follower keeps reading: its EOF is how pxinit learns it left. */
    if ((!c->busy || c->following) && !c->closing && !c->eof)
        want |= EV_READ;
    if (!want && !c->busy) {
        client_free(c);
        return;
    }
    if (want != c->io_events) {
        struct ev_loop *loop = c->ctl->px->loop;
        ev_io_stop(loop, &c->io);
        ev_io_set(&c->io, c->fd, want);
        if (want)
            ev_io_start(loop, &c->io);
        c->io_events = want;
    }
}

/* Writes what it can; false when the client is gone (freed). */
static bool client_flush(struct ctl_client *c)
{
    while (c->outoff < c->outlen) {
        ssize_t n = send(c->fd, c->out + c->outoff, c->outlen - c->outoff, MSG_NOSIGNAL);
        if (n > 0) {
            c->outoff += (size_t)n;
            ev_timer_again(c->ctl->px->loop, &c->idle);
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return true;
        /* EPIPE, ECONNRESET: the reader left. */
        client_free(c);
        return false;
    }
    c->outoff = c->outlen = 0;
    return true;
}

static void client_append(struct ctl_client *c, const char *s, size_t len)
{
    if (c->outlen + len > CTL_MAX_OUTPUT) {
        log_debug("control: client %d reads too slowly, dropping it", (int)c->pid);
        c->closing = true;
        c->eof = true;
        c->outoff = c->outlen; /* nothing more will be written */
        return;
    }
    if (c->outlen + len > c->outcap) {
        size_t cap = c->outcap ? c->outcap : 4096;
        while (cap < c->outlen + len)
            cap *= 2;
        char *p = realloc(c->out, cap);
        if (!p) {
            log_warnx("control: out of memory for a reply, dropping the client");
            c->closing = true;
            c->eof = true;
            c->outoff = c->outlen;
            return;
        }
        c->out = p;
        c->outcap = cap;
    }
    memcpy(c->out + c->outlen, s, len);
    c->outlen += len;
}

void ctl_reply(struct ctl_client *c, const char *fmt, ...)
{
    char buf[PROTO_MAX_REQUEST + 512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof(buf) - 1, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    size_t len = (size_t)n < sizeof(buf) - 1 ? (size_t)n : sizeof(buf) - 2;
    buf[len] = '\0';
    proto_sanitize(buf);
    buf[len++] = '\n';
    client_append(c, buf, len);
}

void ctl_error(struct ctl_client *c, int code, const char *fmt, ...)
{
    char buf[PROTO_MAX_REQUEST + 256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    if (c->code == 0)
        c->code = code;
    ctl_reply(c, "error %d %s", code, buf);
}

static void client_process_input(struct ctl_client *c);

void ctl_reply_line(struct ctl_client *c, const char *text, size_t len)
{
    char buf[16 * 1024 + 16];
    if (len > sizeof(buf) - 7)
        len = sizeof(buf) - 7;
    memcpy(buf, "line ", 5);
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)text[i];
        buf[5 + i] = ch < 0x20 || ch == 0x7f ? '?' : (char)ch;
    }
    buf[5 + len] = '\n';
    client_append(c, buf, len + 6);
    if (c->closing && c->following) {
        client_free(c); /* too slow a follower: it must not hold memory */
        return;
    }
    if (!c->in_dispatch)
        client_update(c);
}

void ctl_request_done(struct ctl_client *c)
{
    ctl_reply(c, "end %d", c->code);
    c->code = 0;
    c->busy = false;
    free(c->jobs);
    c->jobs = NULL;
    c->njobs = 0;
    /* Inside ctl_dispatch() the input loop goes on by itself; after a wait,
     * a pipelined request may sit in the buffer already. */
    if (!c->in_dispatch)
        client_process_input(c);
}

/* Handles every complete line in c->in (one at a time while a request
 * waits); at EOF the rest counts as a line. Ends by updating the watcher. */
static void client_process_input(struct ctl_client *c)
{
    while (!c->busy && !c->closing && c->inlen > 0) {
        char *nl = memchr(c->in, '\n', c->inlen);
        size_t len;
        if (nl) {
            len = (size_t)(nl - c->in);
        } else if (c->eof) {
            len = c->inlen;
        } else if (c->inlen >= sizeof(c->in)) {
            ctl_error(c, PROTO_EXIT_USAGE, "request too long (more than %d bytes)",
                      PROTO_MAX_REQUEST - 1);
            ctl_reply(c, "end %d", PROTO_EXIT_USAGE);
            c->closing = true;
            break;
        } else {
            break;
        }
        char line[PROTO_MAX_REQUEST + 1];
        memcpy(line, c->in, len);
        line[len] = '\0';
        size_t used = nl ? len + 1 : len;
        memmove(c->in, c->in + used, c->inlen - used);
        c->inlen -= used;

        if (!proto_request_valid(line, len) || memchr(line, '\0', len)) {
            ctl_error(c, PROTO_EXIT_USAGE, "malformed request (control characters or NUL)");
            ctl_reply(c, "end %d", PROTO_EXIT_USAGE);
            c->closing = true;
            break;
        }
        char *argv[PROTO_MAX_ARGS];
        int argc = proto_split(line, argv, PROTO_MAX_ARGS);
        if (argc == 0)
            continue; /* empty lines are ignored */
        c->code = 0;
        c->busy = true;
        c->in_dispatch = true;
        if (argc < 0) {
            ctl_error(c, PROTO_EXIT_USAGE, "too many words in request");
            ctl_request_done(c);
        } else {
            /* Ends the request at once, or leaves jobs waiting (busy). */
            ctl_dispatch(c, argc, argv);
        }
        c->in_dispatch = false;
    }
    if (client_flush(c))
        client_update(c);
}

static void client_read(struct ctl_client *c)
{
    for (;;) {
        if (c->inlen >= sizeof(c->in))
            break; /* full: the line is too long, handled below */
        ssize_t n = read(c->fd, c->in + c->inlen, sizeof(c->in) - c->inlen);
        if (n > 0) {
            c->inlen += (size_t)n;
            ev_timer_again(c->ctl->px->loop, &c->idle);
            continue;
        }
        if (n == 0) {
            c->eof = true;
            break;
        }
        if (errno == EINTR)
            continue;
        if (errno != EAGAIN && errno != EWOULDBLOCK) {
            client_free(c);
            return;
        }
        break;
    }
    if (c->following && c->eof) {
        client_free(c);
        return;
    }
    client_process_input(c);
}

static void client_io_cb(struct ev_loop *loop, ev_io *w, int revents)
{
    struct ctl_client *c = (struct ctl_client *)((char *)w - offsetof(struct ctl_client, io));
    if (revents & EV_WRITE) {
        if (!client_flush(c))
            return;
        if (c->outoff == c->outlen && !(revents & EV_READ)) {
            client_update(c);
            return;
        }
    }
    if (revents & EV_READ)
        client_read(c);
}

static void client_idle_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
    struct ctl_client *c = (struct ctl_client *)((char *)w - offsetof(struct ctl_client, idle));
    if (c->busy && c->outoff == c->outlen) {
        ev_timer_again(loop, w); /* waiting for a unit is not idling */
        return;
    }
    log_debug("control: dropping idle client (pid %d)", (int)c->pid);
    client_free(c);
}

/* Root, the daemon's uid, or the configured group (primary or supplementary). */
static bool peer_allowed(struct ctl *ctl, int fd, struct ucred *cred)
{
    if (cred->uid == 0 || cred->uid == geteuid())
        return true;
    if (!ctl->px->conf.control_group_set)
        return false;
    if (cred->gid == ctl->px->conf.control_group)
        return true;
    gid_t groups[256];
    socklen_t len = sizeof(groups);
    if (getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, groups, &len) < 0)
        return false; /* ERANGE (more groups than that) or old kernel: deny */
    for (size_t i = 0; i < len / sizeof(gid_t); i++)
        if (groups[i] == ctl->px->conf.control_group)
            return true;
    return false;
}

static void log_denied(struct ctl *ctl, const struct ucred *cred)
{
    ev_tstamp now = ev_now(ctl->px->loop);
    if (now - ctl->deny_window > 10.) {
        if (ctl->deny_count > 5)
            log_warnx("control: %u more connections were refused", ctl->deny_count - 5);
        ctl->deny_window = now;
        ctl->deny_count = 0;
    }
    /* pid is 0 when the peer lives in a PID namespace we cannot see. */
    if (++ctl->deny_count <= 5)
        log_warnx("control: permission denied for uid %u gid %u%s%.0d", (unsigned)cred->uid,
                  (unsigned)cred->gid, cred->pid > 0 ? " pid " : "", (int)cred->pid);
}

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
    client_free(victim);
    return ROOM_MADE;
}

static void client_new(struct ctl *ctl, int fd)
{
    struct ucred cred = {0};
    socklen_t len = sizeof(cred);
    if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0) {
        log_warn("control: SO_PEERCRED");
        close(fd);
        return;
    }
    if (ctl->nclients >= CTL_MAX_CLIENTS) { /* every slot waits on a job or follows */
        static const char busy[] = "error 1 too many clients, try again\nend 1\n";
        (void)send(fd, busy, sizeof(busy) - 1, MSG_NOSIGNAL | MSG_DONTWAIT);
        close(fd);
        return;
    }
    struct ctl_client *c = calloc(1, sizeof(*c));
    if (!c) {
        close(fd);
        return;
    }
    c->ctl = ctl;
    c->fd = fd;
    c->uid = cred.uid;
    c->pid = cred.pid;
    c->next = ctl->clients;
    if (c->next)
        c->next->prev = c;
    ctl->clients = c;
    ctl->nclients++;
    ev_io_init(&c->io, client_io_cb, fd, 0);
    ev_init(&c->idle, client_idle_cb);
    c->idle.repeat = CTL_IDLE_TIMEOUT;
    ev_timer_again(ctl->px->loop, &c->idle);
    c->allowed = peer_allowed(ctl, fd, &cred);
    if (!c->allowed) {
        log_denied(ctl, &cred);
        ctl_reply(c, "error 1 permission denied (uid %u may not use %s)", (unsigned)cred.uid,
                  ctl->sock_path);
        ctl_reply(c, "end 1");
        c->closing = true;
    }
    if (!client_flush(c))
        return;
    if (c->allowed)
        client_read(c); /* its request may be here: answered now, the slot freed */
    else
        client_update(c);
}

static void accept_pause_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
    struct ctl *ctl = (struct ctl *)((char *)w - offsetof(struct ctl, accept_pause));
    ctl->full_pause = false;
    ev_io_start(loop, &ctl->listen_io);
    signals_poll_again(); /* clients that came meanwhile raised no signal we kept */
}

static void accept_pause(struct ctl *ctl)
{
    ev_io_stop(ctl->px->loop, &ctl->listen_io);
    ev_timer_set(&ctl->accept_pause, 0.1, 0.);
    ev_timer_start(ctl->px->loop, &ctl->accept_pause);
}

/* Whether the next client may be accepted now; false: accepting has stopped
 * until a slot frees (client_free()) or, at the latest, a silent client has
 * been so for CTL_EVICT_IDLE. */
static bool accept_room(struct ctl *ctl)
{
    if (ctl->nclients < CTL_MAX_CLIENTS || make_room(ctl, "too many clients") != ROOM_SOON)
        return true; /* ROOM_NONE: client_new() refuses it with an error */
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
    signals_poll_again(); /* more than 64 may wait */
    for (int i = 0; i < 64; i++) {
        if (!accept_room(ctl))
            return;
        int fd = accept4(ctl->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd >= 0) {
            client_new(ctl, fd);
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
    ctl_jobs_check(ctl);
}

void ctl_settle_soon(struct ctl *ctl)
{
    if (!ev_is_active(&ctl->settle))
        ev_idle_start(ctl->px->loop, &ctl->settle);
}

void control_start(struct pxinit *px)
{
    struct ctl *ctl = calloc(1, sizeof(*ctl));
    if (!ctl) {
        log_warnx("out of memory: running without control socket and status board");
        return;
    }
    ctl->px = px;
    ctl->listen_fd = -1;
    ctl->board.fd = -1;
    ctl->reserve_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    ev_io_init(&ctl->listen_io, listen_cb, -1, EV_READ);
    ev_timer_init(&ctl->accept_pause, accept_pause_cb, 0.1, 0.);
    ev_idle_init(&ctl->settle, settle_cb);
    px->ctl = ctl;
    px->table.watch = &ctl_table_watch;
    px->table.watch_ctx = ctl;

    const char *dir = px->opts.runtime_dir;
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
        ctl->listen_signalled = signals_arm_fd(ctl->listen_fd);
    }
    if (sb_create(&ctl->board, ctl->board_path, CTL_BOARD_MODE) < 0) {
        log_warn("cannot create the status board %s; status goes through the socket",
                 ctl->board_path);
    } else {
        for (size_t i = 0; i < px->table.n; i++) {
            px->table.svc[i]->board_slot = sb_slot_alloc(&ctl->board);
            ctl_publish(ctl, px->table.svc[i]);
        }
    }
}

void control_unit_changed(struct pxinit *px, struct service *s)
{
    struct ctl *ctl = ctl_of(px);
    if (!ctl)
        return;
    ctl_publish(ctl, s);
    if (ctl->clients)
        ctl_settle_soon(ctl);
}

int control_signalled_watchers(struct pxinit *px)
{
    struct ctl *ctl = ctl_of(px);
    return ctl && ctl->listen_signalled && ev_is_active(&ctl->listen_io);
}

void control_daemon_reload(struct pxinit *px)
{
    if (ctl_of(px))
        ctl_daemon_reload(ctl_of(px), NULL);
}

void control_stop(struct pxinit *px)
{
    struct ctl *ctl = ctl_of(px);
    if (!ctl)
        return;
    ctl->full_pause = false; /* client_free() must not resume accepting */
    while (ctl->clients)
        client_free(ctl->clients);
    ev_idle_stop(px->loop, &ctl->settle);
    ev_timer_stop(px->loop, &ctl->accept_pause);
    if (ctl->listen_fd >= 0) {
        ev_io_stop(px->loop, &ctl->listen_io);
        close(ctl->listen_fd);
        unlink(ctl->sock_path);
    }
    if (ctl->reserve_fd >= 0)
        close(ctl->reserve_fd);
    sb_close(&ctl->board);
    px->table.watch = NULL;
    free(ctl->sock_path);
    free(ctl->board_path);
    free(ctl);
    px->ctl = NULL;
}
