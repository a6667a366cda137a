/* bench/sockserv.c - a banner server for the socket benchmarks (issue 18).
 *
 *     sockserv PORT        binds 127.0.0.1:PORT itself, or
 *     sockserv             with LISTEN_FDS=1 and LISTEN_PID=its pid: fd 3
 *
 * It accepts a connection, writes one line ("sockserv PID\n") and closes
 * it, until SIGTERM: then it finishes the connection in hand and exits,
 * as a well-behaved daemon stops (what is still in the backlog is the
 * listening socket's: reset when sockserv bound it, kept when pxinit holds
 * it). An inherited socket may be non-blocking (pxinit, as
 * systemd, opens it so): EAGAIN means wait in poll(). Single-threaded: a connection waits in the
 * backlog while an earlier one is served, as with any simple daemon. Built with plain gcc by
 * bench/sockets.sh. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static volatile sig_atomic_t stopping;
static void on_term(int sig)
{
    (void)sig;
    stopping = 1;
}

static int inherited(void)
{
    const char *fds = getenv("LISTEN_FDS"), *pid = getenv("LISTEN_PID");
    if (!fds || !pid || atol(pid) != (long)getpid() || atoi(fds) < 1)
        return -1;
    return 3;
}

static int bind_own(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
    if (fd < 0)
        return -1;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0 || listen(fd, 128) < 0)
        return -1;
    return fd;
}

int main(int argc, char **argv)
{
    int lfd = inherited();
    char line[64];
    int n;

    struct sigaction sa = {.sa_handler = on_term}; /* no SA_RESTART: accept/poll return EINTR */
    signal(SIGPIPE, SIG_IGN);
    sigaction(SIGTERM, &sa, NULL);
    if (lfd < 0 && argc > 1)
        lfd = bind_own(atoi(argv[1]));
    if (lfd < 0) {
        fprintf(stderr, "sockserv: no LISTEN_FDS and cannot bind: %s\n", strerror(errno));
        return 1;
    }
    n = snprintf(line, sizeof line, "sockserv %ld\n", (long)getpid());
    while (!stopping) {
        int c = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
        if (c < 0) {
            if (errno == EINTR || errno == ECONNABORTED || errno == EMFILE)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK) {
                struct pollfd p = {.fd = lfd, .events = POLLIN};
                poll(&p, 1, -1);
                continue;
            }
            perror("sockserv: accept");
            return 1;
        }
        if (write(c, line, n) < 0 && errno != EPIPE && errno != ECONNRESET)
            perror("sockserv: write");
        close(c);
    }
    return 0;
}
