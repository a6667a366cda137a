/* pxtest-sdlisten - a socket-activated service for end-to-end tests.
 *
 *   pxtest-sdlisten [-e KINDS] [-1] [-x] [-n] [-c] [-i] DIR
 *
 * Checks what sd_listen_fds(3) promises: LISTEN_PID is its own pid,
 * LISTEN_FDS the number of KINDS (a comma list of stream, dgram,
 * seqpacket, fifo), fds 3.. open and of those kinds (SO_TYPE, and
 * SO_ACCEPTCONN for listeners), no other fd open beyond them; reports
 * each fd's address and socket options, and a "nonblock=FD" line for each
 * in O_NONBLOCK mode (systemd passes them blocking). Writes
 * DIR/PID.report (key=value lines, "check=ok" or "check=FAIL ...") by a
 * rename, so a reader never sees half of it. Then serves:
 *   listeners: accept and write "pxtest PID NAME" (NAME from
 *   LISTEN_FDNAMES), reply "pxtest PID NAME DATA" to a datagram, append
 *   what a FIFO gives to DIR/PID.fifo;
 *   -1: exit after one client; -x: exit at once, touching no fd; -n:
 *   never accept, sleep; -c: fd 3 is a connection (Accept=yes): write
 *   "pxtest PID connection REMOTE" on it, then echo until EOF; -i: the
 *   connection is stdin and stdout (StandardInput=socket): the same there.
 */

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#define MAX_FDS 16

static char report[8192];
static size_t report_len;
static char failure[1024];

static void add(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(report + report_len, sizeof(report) - report_len, fmt, ap);
    va_end(ap);
    if (n > 0 && report_len + (size_t)n < sizeof(report))
        report_len += (size_t)n;
}

static void failf(const char *fmt, ...)
{
    va_list ap;
    if (failure[0])
        return; /* the first failure says the most */
    va_start(ap, fmt);
    vsnprintf(failure, sizeof(failure), fmt, ap);
    va_end(ap);
}

/* A socket address as the tests write it: 127.0.0.1:80, [::1]:80,
 * /path, @abstract. */
static void addr_text(const struct sockaddr_storage *ss, socklen_t len, char *buf, size_t size)
{
    char ip[INET6_ADDRSTRLEN];
    if (ss->ss_family == AF_INET) {
        const struct sockaddr_in *in = (const void *)ss;
        inet_ntop(AF_INET, &in->sin_addr, ip, sizeof(ip));
        snprintf(buf, size, "%s:%u", ip, ntohs(in->sin_port));
    } else if (ss->ss_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const void *)ss;
        inet_ntop(AF_INET6, &in6->sin6_addr, ip, sizeof(ip));
        snprintf(buf, size, "[%s]:%u", ip, ntohs(in6->sin6_port));
    } else if (ss->ss_family == AF_UNIX) {
        const struct sockaddr_un *un = (const void *)ss;
        size_t n = len > offsetof(struct sockaddr_un, sun_path)
                       ? len - offsetof(struct sockaddr_un, sun_path)
                       : 0;
        if (n == 0)
            snprintf(buf, size, "unnamed");
        else if (un->sun_path[0] == 0)
            snprintf(buf, size, "@%.*s", (int)(n - 1), un->sun_path + 1);
        else
            snprintf(buf, size, "%.*s", (int)strnlen(un->sun_path, n), un->sun_path);
    } else {
        snprintf(buf, size, "family-%d", ss->ss_family);
    }
}

static int sockopt_int(int fd, int level, int name)
{
    int v = -1;
    socklen_t len = sizeof(v);
    if (getsockopt(fd, level, name, &v, &len) < 0)
        return -1;
    return v;
}

/* The options a .socket sets (KeepAlive=, NoDelay=, ReceiveBuffer=, ...),
 * as the kernel reports them; -1 where they do not apply. */
static void add_options(int fd, int family)
{
    int ip = family == AF_INET || family == AF_INET6;
    add("opt%d=keepalive=%d nodelay=%d rcvbuf=%d sndbuf=%d reuseport=%d passcred=%d v6only=%d\n",
        fd, sockopt_int(fd, SOL_SOCKET, SO_KEEPALIVE),
        ip ? sockopt_int(fd, IPPROTO_TCP, TCP_NODELAY) : -1, sockopt_int(fd, SOL_SOCKET, SO_RCVBUF),
        sockopt_int(fd, SOL_SOCKET, SO_SNDBUF), sockopt_int(fd, SOL_SOCKET, SO_REUSEPORT),
        family == AF_UNIX ? sockopt_int(fd, SOL_SOCKET, SO_PASSCRED) : -1,
        family == AF_INET6 ? sockopt_int(fd, IPPROTO_IPV6, IPV6_V6ONLY) : -1);
}

static const char *type_word(int type)
{
    switch (type) {
    case SOCK_STREAM:
        return "stream";
    case SOCK_DGRAM:
        return "dgram";
    case SOCK_SEQPACKET:
        return "seqpacket";
    default:
        return "other";
    }
}

/* What fd is: "stream", "dgram", "seqpacket", "fifo", "closed" or
 * "other"; *listening from SO_ACCEPTCONN. Adds its line to the report. */
static const char *describe_fd(int fd, int *listening)
{
    struct stat st;
    char addr[256] = "-";
    const char *kind;

    *listening = 0;
    if (fstat(fd, &st) < 0) {
        add("fd%d=closed\n", fd);
        return "closed";
    }
    /* systemd clears O_NONBLOCK on what it passes (NonBlocking= is off by
     * default): a daemon's blocking accept() or read() must not see
     * EAGAIN. */
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0 && (fl & O_NONBLOCK))
        add("nonblock=%d\n", fd);
    if (S_ISFIFO(st.st_mode)) {
        char link[64];
        snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
        ssize_t n = readlink(link, addr, sizeof(addr) - 1);
        addr[n > 0 ? n : 0] = 0;
        add("fd%d=fifo %s\n", fd, addr);
        return "fifo";
    }
    if (!S_ISSOCK(st.st_mode)) {
        add("fd%d=other\n", fd);
        return "other";
    }
    int type = 0;
    socklen_t len = sizeof(type);
    if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) < 0)
        failf("fd %d: SO_TYPE: %s", fd, strerror(errno));
    len = sizeof(*listening);
    if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, listening, &len) < 0)
        failf("fd %d: SO_ACCEPTCONN: %s", fd, strerror(errno));
    struct sockaddr_storage ss;
    len = sizeof(ss);
    memset(&ss, 0, sizeof(ss));
    if (getsockname(fd, (struct sockaddr *)&ss, &len) == 0)
        addr_text(&ss, len, addr, sizeof(addr));
    kind = type_word(type);
    add("fd%d=%s %s %s\n", fd, kind, *listening ? "listening" : "not-listening", addr);
    add_options(fd, ss.ss_family);
    return kind;
}

/* Fds open beyond the last one we were given: a leak from PID 1. */
static void check_extra_fds(int last)
{
    DIR *d = opendir("/proc/self/fd");
    if (!d) {
        failf("opendir /proc/self/fd: %s", strerror(errno));
        return;
    }
    struct dirent *e;
    while ((e = readdir(d))) {
        int fd = atoi(e->d_name);
        if (e->d_name[0] == '.' || fd == dirfd(d) || fd <= last)
            continue;
        char link[64], target[256];
        snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
        ssize_t n = readlink(link, target, sizeof(target) - 1);
        target[n > 0 ? n : 0] = 0;
        add("extra_fd=%d %s\n", fd, target);
        failf("fd %d open beyond the passed fds (%s)", fd, target);
    }
    closedir(d);
}

static void env_line(const char *key, const char *name)
{
    const char *v = getenv(name);
    add("%s=%s\n", key, v ? v : "(unset)");
}

static int write_report(const char *dir)
{
    char tmp[4096], path[4096];
    snprintf(tmp, sizeof(tmp), "%s/%d.tmp", dir, (int)getpid());
    snprintf(path, sizeof(path), "%s/%d.report", dir, (int)getpid());
    add("check=%s%s\n", failure[0] ? "FAIL " : "ok", failure);
    FILE *f = fopen(tmp, "w");
    if (!f)
        return -1;
    fwrite(report, 1, report_len, f);
    if (fclose(f) != 0)
        return -1;
    return rename(tmp, path);
}

/* Sends all of buf; false when the peer went away. */
static int send_all(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, buf, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == EAGAIN) {
            struct pollfd p = {.fd = fd, .events = POLLOUT};
            poll(&p, 1, 1000);
            continue;
        }
        if (n <= 0)
            return 0;
        buf += n;
        len -= (size_t)n;
    }
    return 1;
}

/* A connection (Accept=yes): the banner, then what comes back until EOF. */
static int serve_connection(int in, int out, const char *remote)
{
    char buf[4096];
    int n = snprintf(buf, sizeof(buf), "pxtest %d connection %s\n", (int)getpid(), remote);
    if (!send_all(out, buf, (size_t)n))
        return 1;
    for (;;) {
        ssize_t r = read(in, buf, sizeof(buf));
        if (r < 0 && (errno == EINTR || errno == EAGAIN)) {
            struct pollfd p = {.fd = in, .events = POLLIN};
            poll(&p, 1, 1000);
            continue;
        }
        if (r <= 0)
            return 0;
        if (!send_all(out, buf, (size_t)r))
            return 0;
    }
}

/* The name of fd 3+i in LISTEN_FDNAMES ("-" when there is none). */
static void fd_name(int i, char *buf, size_t size)
{
    const char *names = getenv("LISTEN_FDNAMES");
    snprintf(buf, size, "-");
    if (!names)
        return;
    const char *p = names;
    for (int k = 0; k < i && p; k++) {
        p = strchr(p, ':');
        if (p)
            p++;
    }
    if (!p)
        return;
    size_t n = strcspn(p, ":");
    snprintf(buf, size, "%.*s", (int)n, p);
}

/* One ready listener: serves one client. */
static void serve_one(const char *dir, int fd, int idx, const char *kind)
{
    char name[256], buf[4096];
    fd_name(idx, name, sizeof(name));
    if (strcmp(kind, "fifo") == 0) {
        ssize_t r = read(fd, buf, sizeof(buf));
        if (r <= 0)
            return;
        char path[4096];
        snprintf(path, sizeof(path), "%s/%d.fifo", dir, (int)getpid());
        FILE *f = fopen(path, "a");
        if (f) {
            fwrite(buf, 1, (size_t)r, f);
            fclose(f);
        }
    } else if (strcmp(kind, "dgram") == 0) {
        struct sockaddr_storage ss;
        socklen_t len = sizeof(ss);
        char data[2048];
        ssize_t r =
            recvfrom(fd, data, sizeof(data) - 1, MSG_DONTWAIT, (struct sockaddr *)&ss, &len);
        if (r < 0)
            return;
        data[r] = 0;
        int n = snprintf(buf, sizeof(buf), "pxtest %d %s %s", (int)getpid(), name, data);
        if (len > 0)
            sendto(fd, buf, (size_t)n, MSG_DONTWAIT, (struct sockaddr *)&ss, len);
    } else {
        int c = accept4(fd, NULL, NULL, SOCK_CLOEXEC);
        if (c < 0)
            return;
        int n = snprintf(buf, sizeof(buf), "pxtest %d %s\n", (int)getpid(), name);
        send_all(c, buf, (size_t)n);
        close(c);
    }
}

static int count_kinds(const char *kinds, char list[MAX_FDS][16])
{
    int n = 0;
    const char *p = kinds;
    while (p && *p && n < MAX_FDS) {
        size_t len = strcspn(p, ",");
        snprintf(list[n++], 16, "%.*s", (int)len, p);
        p += len;
        if (*p == ',')
            p++;
    }
    return n;
}

static void remote_of(int fd, char *buf, size_t size)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof(ss);
    memset(&ss, 0, sizeof(ss));
    if (getpeername(fd, (struct sockaddr *)&ss, &len) < 0) {
        failf("getpeername: %s", strerror(errno));
        snprintf(buf, size, "none");
        return;
    }
    addr_text(&ss, len, buf, size);
}

int main(int argc, char **argv)
{
    const char *kinds = "", *dir;
    int once = 0, exit_now = 0, never = 0, conn = 0, inetd = 0, opt;
    char expect[MAX_FDS][16];

    while ((opt = getopt(argc, argv, "e:1xnci")) != -1) {
        switch (opt) {
        case 'e':
            kinds = optarg;
            break;
        case '1':
            once = 1;
            break;
        case 'x':
            exit_now = 1;
            break;
        case 'n':
            never = 1;
            break;
        case 'c':
            conn = 1;
            break;
        case 'i':
            inetd = 1;
            break;
        default:
            fprintf(stderr, "usage: pxtest-sdlisten [-e KINDS] [-1xnci] DIR\n");
            return 2;
        }
    }
    if (optind != argc - 1) {
        fprintf(stderr, "usage: pxtest-sdlisten [-e KINDS] [-1xnci] DIR\n");
        return 2;
    }
    dir = argv[optind];
    int n = conn ? 1 : count_kinds(kinds, expect);
    if (conn)
        snprintf(expect[0], 16, "stream");

    add("pid=%d\n", (int)getpid());
    env_line("listen_pid", "LISTEN_PID");
    env_line("listen_fds", "LISTEN_FDS");
    env_line("listen_fdnames", "LISTEN_FDNAMES");
    env_line("remote_addr", "REMOTE_ADDR");
    env_line("remote_port", "REMOTE_PORT");

    const char *lp = getenv("LISTEN_PID"), *lf = getenv("LISTEN_FDS");
    if (inetd) {
        /* The connection is stdin and stdout instead of fd 3. */
        int listening;
        const char *k0 = describe_fd(0, &listening);
        if (strcmp(k0, "stream") != 0 || listening)
            failf("stdin is not a connected stream socket (%s)", k0);
        const char *k1 = describe_fd(1, &listening);
        if (strcmp(k1, "stream") != 0)
            failf("stdout is not a socket (%s)", k1);
        char remote[256];
        remote_of(0, remote, sizeof(remote));
        add("peer=%s\n", remote);
        check_extra_fds(2);
        if (write_report(dir) < 0)
            return 1;
        return serve_connection(0, 1, remote);
    }

    if (!lp || atoi(lp) != (int)getpid())
        failf("LISTEN_PID %s, not my pid %d", lp ? lp : "(unset)", (int)getpid());
    if (!lf || atoi(lf) != n)
        failf("LISTEN_FDS %s, want %d", lf ? lf : "(unset)", n);
    const char *kind[MAX_FDS];
    int listening[MAX_FDS];
    for (int i = 0; i < n; i++) {
        kind[i] = describe_fd(3 + i, &listening[i]);
        if (strcmp(kind[i], expect[i]) != 0)
            failf("fd %d is %s, want %s", 3 + i, kind[i], expect[i]);
        else if (conn && listening[i])
            failf("fd 3 is a listening socket, want a connection");
        else if (!conn && (strcmp(kind[i], "stream") == 0 || strcmp(kind[i], "seqpacket") == 0) &&
                 !listening[i])
            failf("fd %d is not listening (SO_ACCEPTCONN 0)", 3 + i);
    }
    check_extra_fds(2 + n);
    if (conn) {
        char remote[256];
        remote_of(3, remote, sizeof(remote));
        add("peer=%s\n", remote);
        if (write_report(dir) < 0)
            return 1;
        return serve_connection(3, 3, remote);
    }
    if (write_report(dir) < 0)
        return 1;
    if (exit_now)
        return 0;
    if (never)
        for (;;)
            pause();

    struct pollfd p[MAX_FDS];
    for (int i = 0; i < n; i++)
        p[i] = (struct pollfd){.fd = 3 + i, .events = POLLIN};
    for (;;) {
        if (poll(p, (nfds_t)n, -1) < 0) {
            if (errno == EINTR)
                continue;
            return 1;
        }
        for (int i = 0; i < n; i++) {
            if (p[i].revents & POLLNVAL)
                return 1; /* not given that fd: the report says so */
            if (!(p[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            if (strcmp(kind[i], "fifo") == 0 && !(p[i].revents & POLLIN)) {
                /* A FIFO whose writer went away: nothing to read. The
                 * holder keeps a writer open, so this is rare; avoid
                 * spinning. */
                p[i].events = 0;
                continue;
            }
            serve_one(dir, 3 + i, i, kind[i]);
            if (once)
                return 0;
        }
    }
}
