/* ctl_client.c - a raw control-socket client for the end-to-end tests, so
 * they need neither socat nor python:
 *
 *   ctl_client hold SOCKET N        opens N connections, prints "ready", and
 *                                   keeps them open (never writing) until killed
 *   ctl_client send SOCKET FILE     writes FILE's bytes as they are (NULs, a
 *                                   1 MiB line, ...), then prints the reply
 *                                   until the daemon closes or 5 s pass
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static int dial(const char *path)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        perror("connect");
        exit(1);
    }
    return fd;
}

static int hold(const char *path, int n)
{
    for (int i = 0; i < n; i++)
        (void)dial(path);
    printf("ready\n");
    fflush(stdout);
    for (;;)
        pause();
    return 0;
}

static int send_file(const char *path, const char *file)
{
    int in = open(file, O_RDONLY | O_CLOEXEC);
    if (in < 0) {
        perror(file);
        return 1;
    }
    int fd = dial(path);
    signal(SIGPIPE, SIG_IGN);
    char buf[65536];
    ssize_t n;
    fcntl(fd, F_SETFL, O_NONBLOCK);
    /* Write while the daemon reads; read its reply as soon as there is one
     * (it may stop reading and close after an error). */
    int done_writing = 0;
    size_t off = 0, len = 0;
    for (;;) {
        if (!done_writing && off == len) {
            n = read(in, buf, sizeof(buf));
            if (n <= 0) {
                done_writing = 1;
                shutdown(fd, SHUT_WR);
            } else {
                off = 0;
                len = (size_t)n;
            }
        }
        struct pollfd p = {.fd = fd, .events = POLLIN | (done_writing ? 0 : POLLOUT)};
        if (poll(&p, 1, 5000) <= 0)
            return 2;
        if (p.revents & (POLLIN | POLLHUP)) {
            char r[4096];
            n = read(fd, r, sizeof(r));
            if (n <= 0)
                return 0;
            fwrite(r, 1, (size_t)n, stdout);
            fflush(stdout);
        }
        if (!done_writing && (p.revents & POLLOUT)) {
            n = write(fd, buf + off, len - off);
            if (n > 0)
                off += (size_t)n;
            else if (n < 0 && errno != EAGAIN)
                done_writing = 1; /* the daemon closed: read what it said */
        }
    }
}

int main(int argc, char **argv)
{
    if (argc == 4 && strcmp(argv[1], "hold") == 0)
        return hold(argv[2], atoi(argv[3]));
    if (argc == 4 && strcmp(argv[1], "send") == 0)
        return send_file(argv[2], argv[3]);
    fprintf(stderr, "usage: ctl_client hold SOCKET N | send SOCKET FILE\n");
    return 2;
}
