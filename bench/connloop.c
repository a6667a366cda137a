/* bench/connloop.c - connects to 127.0.0.1:PORT in a tight loop and reads
 * the first line of each connection, until SIGTERM/SIGINT or SECONDS pass.
 *
 *     connloop PORT [SECONDS]
 *
 * Prints one line of counts: ok (a line came back), refused (connect()
 * failed with ECONNREFUSED), lost (connected, but the connection was reset
 * or closed before a line came: the server died holding it), timeout (no
 * line within 5 s), other; and the longest wait of an ok connection, in ms
 * (a client that waited in the backlog through a restart). */
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
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t stop;
static void on_stop(int sig)
{
    (void)sig;
    stop = 1;
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    struct sockaddr_in a = {.sin_family = AF_INET};
    unsigned long ok = 0, refused = 0, lost = 0, timeout = 0, other = 0;
    double end, worst = 0;
    struct sigaction sa = {.sa_handler = on_stop};

    if (argc < 2) {
        fprintf(stderr, "usage: connloop PORT [SECONDS]\n");
        return 2;
    }
    a.sin_port = htons(atoi(argv[1]));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    end = now() + (argc > 2 ? atof(argv[2]) : 1e9);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    while (!stop && now() < end) {
        double t0 = now();
        int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            other++;
            usleep(1000);
            continue;
        }
        if (connect(fd, (struct sockaddr *)&a, sizeof a) < 0) {
            if (errno == ECONNREFUSED)
                refused++;
            else if (errno != EINTR)
                other++;
            close(fd);
            continue;
        }
        struct pollfd p = {.fd = fd, .events = POLLIN};
        char buf[128];
        int r = poll(&p, 1, 5000);
        if (r == 0) {
            timeout++;
        } else if (r < 0) {
            if (errno != EINTR)
                other++;
        } else {
            ssize_t n = read(fd, buf, sizeof buf);
            if (n > 0) {
                ok++;
                if (now() - t0 > worst)
                    worst = now() - t0;
            } else if (n == 0 || errno == ECONNRESET) {
                lost++;
            } else {
                other++;
            }
        }
        close(fd);
    }
    printf("ok %lu refused %lu lost %lu timeout %lu other %lu worst_ms %.1f\n", ok, refused, lost,
           timeout, other, worst * 1e3);
    return 0;
}
