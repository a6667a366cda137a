/* notify.c - receives sd_notify(3) datagrams, parses them, tells who sent
 * them, and hands them to the delivery function given at notify_init() (the
 * supervisor's): a reader, it changes no service itself.
 *
 * Senders are identified by SCM_CREDENTIALS (SO_PASSCRED), not by anything in
 * the message, and attributed to a unit through the pid index: the main or a
 * control process, or (NotifyAccess=all) any other process of the unit, as
 * pid_claim.c tells them (their sessions, groups, descendants, or the run's
 * $INVOCATION_ID).
 * File descriptors sent along go with the message to deliver(), which may
 * keep them for the fd store (FDSTORE=1, fdstore.c); every one it does not
 * keep is closed here, as is every fd of a datagram that is not delivered
 * (no credentials, truncated, a sender NotifyAccess= refuses): a leaked fd
 * would pin whatever it refers to.
 */
#include "run/notify.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "base/fd_close.h"
#include "base/log.h"
#include "run/pid_claim.h"
#include "core/service.h"
#include "run/signals.h"

#define NOTIFY_BUFFER_MAX 4096
/* Fds one datagram may carry; with more, the datagram is refused. */
#define NOTIFY_FDS_MAX 32
/* The most one datagram can carry (the kernel's SCM_MAX_FD): room for all
 * of them, since those the kernel drops for want of room are released by
 * it in pxinit, lingering sockets included (fd_close.h). */
#define NOTIFY_FDS_ROOM 253
/* Warnings about bad datagrams per second: per sender pid, and overall. */
#define NOTIFY_WARN_BURST 3
#define NOTIFY_WARN_TOTAL 10

static bool parse_u64(const char *s, size_t n, uint64_t *out)
{
    uint64_t v = 0;
    if (n == 0 || n > 20)
        return false;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        uint64_t d = (uint64_t)(s[i] - '0');
        if (v > (UINT64_MAX - d) / 10)
            return false;
        v = v * 10 + d;
    }
    *out = v;
    return true;
}

static bool is(const char *line, size_t n, const char *assignment)
{
    size_t a = strlen(assignment);
    return n == a && memcmp(line, assignment, a) == 0;
}

static const char *value_of(const char *line, size_t n, const char *key, size_t *vlen)
{
    size_t k = strlen(key);
    if (n < k || memcmp(line, key, k) != 0)
        return NULL;
    *vlen = n - k;
    return line + k;
}

void notify_parse(const char *buf, size_t len, struct notify_msg *m)
{
    memset(m, 0, sizeof(*m));
    size_t pos = 0;
    while (pos < len) {
        const char *line = buf + pos;
        const char *nl = memchr(line, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - line) : len - pos;
        pos += n + 1;
        const char *v;
        size_t vn;
        uint64_t u;

        if (is(line, n, "READY=1"))
            m->ready = true;
        else if (is(line, n, "RELOADING=1"))
            m->reloading = true;
        else if (is(line, n, "STOPPING=1"))
            m->stopping = true;
        else if (is(line, n, "WATCHDOG=1"))
            m->watchdog_ping = true;
        else if (is(line, n, "WATCHDOG=trigger"))
            m->watchdog_trigger = true;
        else if ((v = value_of(line, n, "STATUS=", &vn))) {
            m->status = v;
            m->status_len = vn;
        } else if ((v = value_of(line, n, "MAINPID=", &vn))) {
            if (parse_u64(v, vn, &u) && u > 0 && u < (uint64_t)INT32_MAX) {
                m->has_mainpid = true;
                m->mainpid = (pid_t)u;
            }
        } else if ((v = value_of(line, n, "ERRNO=", &vn))) {
            if (parse_u64(v, vn, &u) && u < 4096) {
                m->has_errno = true;
                m->err = (int)u;
            }
        } else if ((v = value_of(line, n, "EXTEND_TIMEOUT_USEC=", &vn))) {
            if (parse_u64(v, vn, &u)) {
                m->has_extend = true;
                m->extend_usec = u;
            }
        } else if (is(line, n, "FDSTORE=1")) {
            m->fdstore = true;
        } else if (is(line, n, "FDSTOREREMOVE=1")) {
            m->fdstore_remove = true;
        } else if (is(line, n, "FDPOLL=0")) {
            m->fdpoll_off = true;
        } else if ((v = value_of(line, n, "FDNAME=", &vn))) {
            m->fdname = v;
            m->fdname_len = vn;
        } else if ((v = value_of(line, n, "WATCHDOG_USEC=", &vn))) {
            if (parse_u64(v, vn, &u) && u > 0) {
                m->has_watchdog_usec = true;
                m->watchdog_usec = u;
            }
        }
    }
}

/* Which unit a sender belongs to, honouring NotifyAccess=. */
static struct service *notify_sender(struct pxinit *px, pid_t pid)
{
    struct pid_entry *e = pidmap_get(&px->pids, pid);
    struct service *s = NULL;
    bool is_main = false, is_control = false;

    if (e && (e->role == PID_ROLE_MAIN || e->role == PID_ROLE_CONTROL)) {
        s = e->owner;
        is_main = s->main.pid == pid;
        is_control = s->control.pid == pid;
    } else if (!e) {
        /* Not a tracked pid: another process of a unit, perhaps in a
         * session of its own (pid_claim.h). */
        s = pid_claim_owner(px, pid);
    }
    if (!s)
        return NULL;
    switch (s->unit->notify_access) {
    case NOTIFY_ACCESS_NONE:
        break;
    case NOTIFY_ACCESS_MAIN:
        if (is_main)
            return s;
        break;
    case NOTIFY_ACCESS_EXEC:
        if (is_main || is_control)
            return s;
        break;
    case NOTIFY_ACCESS_ALL:
        return s;
    }
    log_unit_debug(s->name, "notification from pid %d refused by NotifyAccess=", (int)pid);
    return NULL;
}

/* The fds of mh's SCM_RIGHTS, copied into fds (room for max); what does
 * not fit is closed, and mh marked truncated. Their number. */
static size_t take_passed_fds(struct msghdr *mh, int *fds, size_t max)
{
    size_t got = 0;
    for (struct cmsghdr *c = CMSG_FIRSTHDR(mh); c; c = CMSG_NXTHDR(mh, c)) {
        if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
            continue;
        size_t n = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
        const unsigned char *data = CMSG_DATA(c);
        for (size_t i = 0; i < n; i++) {
            int fd;
            memcpy(&fd, data + i * sizeof(int), sizeof(int));
            if (got < max) {
                fds[got++] = fd;
            } else {
                fd_close_foreign(fd);
                mh->msg_flags |= MSG_CTRUNC;
            }
        }
    }
    return got;
}

static void close_fds(int *fds, size_t n)
{
    for (size_t i = 0; i < n; i++)
        fd_close_foreign(fds[i]);
}

static void notify_handle(struct pxinit *px, const struct msghdr *mh, const char *buf, size_t n,
                          int *fds, size_t nfds);

static void notify_read_cb(struct ev_loop *loop, ev_io *w, int revents)
{
    struct pxinit *px = ev_userdata(loop);
    signals_poll_again(&px->signals); /* more than a batch may wait */
    notify_drain(px);
}

void notify_drain(struct pxinit *px)
{
    ev_io *w = &px->notify_watcher;
    if (!px->notify_path)
        return;
    char buf[NOTIFY_BUFFER_MAX + 1];
    union {
        struct cmsghdr align;
        char space[CMSG_SPACE(sizeof(struct ucred)) + CMSG_SPACE(sizeof(int) * NOTIFY_FDS_ROOM)];
    } control;
    int fds[NOTIFY_FDS_MAX];

    /* A bounded number per wakeup, so a flood cannot starve the loop. */
    for (int round = 0; round < 64; round++) {
        struct iovec iov = {.iov_base = buf, .iov_len = sizeof(buf) - 1};
        struct msghdr mh = {
            .msg_iov = &iov,
            .msg_iovlen = 1,
            .msg_control = &control,
            .msg_controllen = sizeof(control),
        };
        ssize_t n = recvmsg(w->fd, &mh, MSG_DONTWAIT | MSG_CMSG_CLOEXEC | MSG_TRUNC);
        if (n < 0) {
            if (errno != EAGAIN && errno != EINTR)
                log_warn("notify socket");
            return;
        }
        size_t nfds = take_passed_fds(&mh, fds, NOTIFY_FDS_MAX);
        notify_handle(px, &mh, buf, (size_t)n, fds, nfds);
        close_fds(fds, nfds);
    }
}

/* One datagram of n bytes: its sender, then delivery, which may take fds. */
static void notify_handle(struct pxinit *px, const struct msghdr *mh, const char *buf, size_t n,
                          int *fds, size_t nfds)
{
    struct ucred *cred = NULL;
    for (struct cmsghdr *c = CMSG_FIRSTHDR(mh); c; c = CMSG_NXTHDR((struct msghdr *)mh, c))
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_CREDENTIALS &&
            c->cmsg_len == CMSG_LEN(sizeof(struct ucred)))
            cred = (struct ucred *)(void *)CMSG_DATA(c);
    /* Any local user can send these: a few lines a second at most. */
    unsigned long held;
    if (!cred || cred->pid <= 0) {
        /* From another PID namespace: pid 0, one sender for the limit. */
        if (ratelimit_allow(&px->notify_warnings, 0, ev_now(px->loop), &held)) {
            if (held)
                log_debug("%lu warnings about notifications suppressed", held);
            log_debug("notification without credentials, ignoring");
        }
        return;
    }
    if (n > NOTIFY_BUFFER_MAX || (mh->msg_flags & (MSG_TRUNC | MSG_CTRUNC))) {
        if (!ratelimit_allow(&px->notify_warnings, cred->pid, ev_now(px->loop), &held))
            return;
        if (held)
            log_warnx("%lu warnings about notifications suppressed", held);
        log_warnx("notification from pid %d too long, ignoring", (int)cred->pid);
        return;
    }
    struct service *s = notify_sender(px, cred->pid);
    if (!s && px->jobs) {
        /* The sender's pid (or its leader's) may still sit in a spawn
         * report pipe: it was written before the service could exec. */
        px->notify_ops->catch_up(px);
        s = notify_sender(px, cred->pid);
    }
    if (!s)
        return;
    struct notify_msg m;
    notify_parse(buf, n, &m);
    m.fds = fds;
    m.nfds = nfds;
    px->notify_ops->deliver(px, s, cred, &m);
}

int notify_init(struct pxinit *px, const struct notify_ops *ops)
{
    px->notify_ops = ops;
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    ratelimit_init(&px->notify_warnings, 1.0, NOTIFY_WARN_BURST, NOTIFY_WARN_TOTAL);
    /* No runtime directory: the control plane said so once already. */
    if (!px->opts.runtime_dir || access(px->opts.runtime_dir, W_OK) < 0)
        return -1;
    int n = snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/notify", px->opts.runtime_dir);
    if (n < 0 || (size_t)n >= sizeof(sa.sun_path)) {
        log_warnx("runtime directory path too long for the notify socket");
        return -1;
    }
    int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) {
        log_warn("notify socket");
        return -1;
    }
    int one = 1;
    (void)unlink(sa.sun_path); /* a stale one from an earlier run */
    if (setsockopt(fd, SOL_SOCKET, SO_PASSCRED, &one, sizeof(one)) < 0 ||
        bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        log_warn("notify socket %s", sa.sun_path);
        close(fd);
        return -1;
    }
    /* Services under any User= must reach it; senders are told apart by
     * their kernel-checked credentials. */
    (void)chmod(sa.sun_path, 0777);
    px->notify_path = strdup(sa.sun_path);
    if (!px->notify_path) {
        close(fd);
        return -1;
    }
    ev_io_init(&px->notify_watcher, notify_read_cb, fd, EV_READ);
    ev_io_start(px->loop, &px->notify_watcher);
    (void)signals_arm_io(&px->signals, &px->notify_watcher); /* else it keeps pxinit in epoll */
    return 0;
}

void notify_close(struct pxinit *px)
{
    if (!px->notify_path)
        return;
    ev_io_stop(px->loop, &px->notify_watcher);
    signals_disarm_io(&px->signals, &px->notify_watcher);
    close(px->notify_watcher.fd);
    (void)unlink(px->notify_path);
    free(px->notify_path);
    px->notify_path = NULL;
}
