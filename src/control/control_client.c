/* control_client.c - one connection to the control socket: its request
 * lines read and framed (PROTO_MAX_REQUEST bytes at most; a malformed or
 * overlong line ends the connection, never the server), each handed to the
 * dispatcher, and its replies buffered for a slow reader up to
 * CTL_MAX_OUTPUT. Each connection is checked with SO_PEERCRED (and
 * SO_PEERGROUPS) when it comes; a client that makes no progress for
 * CTL_IDLE_TIMEOUT is dropped. Accepting, and the cap on clients, are the
 * server's (control.c).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "control/control.h"
#include "control/control_int.h"
#include "run/signals.h"
#include "base/log.h"

/* A slot for the clients waiting in the backlog (accepting paused at the cap). */
static void ctl_slot_freed(struct ctl *ctl)
{
    if (!ctl->full_pause)
        return;
    ctl->full_pause = false;
    ev_timer_stop(ctl->px->loop, &ctl->accept_pause);
    ev_io_start(ctl->px->loop, &ctl->listen_io);
    signals_poll_again(&ctl->px->signals); /* they raised their signals long ago */
}

void ctl_client_free(struct ctl_client *c)
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
    ctl_slot_freed(ctl);
    if (c->following)
        output_unfollow(&c->follow);
    if (c->journal_free)
        c->journal_free(c); /* through a pointer: control_journal.c calls this file */
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
        ctl_client_free(c);
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
        ctl_client_free(c);
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
        ctl_client_free(c); /* too slow a follower: it must not hold memory */
        return;
    }
    if (!c->in_dispatch)
        client_update(c);
}

bool ctl_reply_raw(struct ctl_client *c, const char *s, size_t len)
{
    client_append(c, s, len);
    if (c->closing && c->following) {
        ctl_client_free(c); /* too slow a follower: it must not hold memory */
        return false;
    }
    if (!c->in_dispatch)
        client_update(c);
    return true;
}

void ctl_request_done(struct ctl_client *c)
{
    ctl_reply(c, "end %d", c->code);
    c->code = 0;
    c->busy = false;
    free(c->jobs);
    c->jobs = NULL;
    c->njobs = 0;
    /* Inside the dispatcher the input loop goes on by itself; after a wait,
     * a pipelined request may sit in the buffer already. */
    if (!c->in_dispatch)
        client_process_input(c);
}

/* Handles every complete line in c->in (one at a time while a request
 * waits); at EOF the rest counts as a line. Ends by updating the watcher. */
void ctl_follow_end(struct ctl_client *c)
{
    c->following = false;
    /* The unit's output is being freed, and maybe the whole table with it:
     * a request pipelined behind the follow must not run in there. The
     * loop runs it, by a read event. */
    c->in_dispatch = true;
    ctl_request_done(c);
    c->in_dispatch = false;
    if (!client_flush(c))
        return;
    if (c->inlen > 0)
        ev_feed_event(c->ctl->px->loop, &c->io, EV_READ);
    client_update(c); /* a freed client's fed event goes with its watcher */
}

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
            c->ctl->dispatcher->request(c, argc, argv);
        }
        c->in_dispatch = false;
    }
    if (!client_flush(c))
        return;
    if (c->following && c->eof) {
        /* It left with its request (EOF read with it): no read will tell
         * again, and a follow of quiet units would hold its slot for good. */
        ctl_client_free(c);
        return;
    }
    client_update(c);
}

static void client_read(struct ctl_client *c)
{
    for (;;) {
        if (c->inlen >= sizeof(c->in) && c->following) {
            /* A follower's input is read only to see it leave. Full, it
             * would stay readable and never be read: the loop would spin. */
            log_debug("control: follower (pid %d) sent too much, dropping it", (int)c->pid);
            ctl_client_free(c);
            return;
        }
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
            ctl_client_free(c);
            return;
        }
        break;
    }
    if (c->following && c->eof) {
        ctl_client_free(c);
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
    ctl_client_free(c);
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

void ctl_client_new(struct ctl *ctl, int fd)
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
