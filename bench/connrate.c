/* bench/connrate.c - connections per second to a per-connection echo
 * service on 127.0.0.1:PORT.
 *
 *     connrate PORT N [PARALLEL]
 *
 * N connections in all, PARALLEL processes at once (default 1): each
 * connects, sends one line, reads it back whole, closes. Prints
 * "conns N failed F secs S rate R" (R: successful connections per second of
 * wall time). */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

/* One round trip; 0 when the line came back whole. */
static int one(const struct sockaddr_in *a, int i)
{
    char line[64], back[64];
    int n = snprintf(line, sizeof line, "connrate line %d\n", i), got = 0;
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    if (connect(fd, (const struct sockaddr *)a, sizeof *a) < 0 || write(fd, line, n) != n) {
        close(fd);
        return -1;
    }
    while (got < n) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (poll(&p, 1, 10000) <= 0)
            break;
        ssize_t r = read(fd, back + got, sizeof back - got);
        if (r <= 0)
            break;
        got += r;
    }
    close(fd);
    return got == n && memcmp(line, back, n) == 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
    struct sockaddr_in a = {.sin_family = AF_INET};
    int n, par, k;
    unsigned long *failed;
    double t0, t1;

    if (argc < 3) {
        fprintf(stderr, "usage: connrate PORT N [PARALLEL]\n");
        return 2;
    }
    a.sin_port = htons(atoi(argv[1]));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    n = atoi(argv[2]);
    par = argc > 3 ? atoi(argv[3]) : 1;
    if (n < 1 || par < 1)
        return 2;
    signal(SIGPIPE, SIG_IGN);
    failed = mmap(NULL, sizeof *failed * par, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (failed == MAP_FAILED)
        return 1;
    t0 = now();
    for (k = 0; k < par; k++) {
        pid_t p = fork();
        if (p < 0)
            return 1;
        if (p == 0) {
            for (int i = k; i < n; i += par)
                if (one(&a, i) < 0)
                    failed[k]++;
            _exit(0);
        }
    }
    while (wait(NULL) > 0 || errno == EINTR)
        ;
    t1 = now();
    unsigned long f = 0;
    for (k = 0; k < par; k++)
        f += failed[k];
    printf("conns %d failed %lu secs %.3f rate %.1f\n", n, f, t1 - t0, (n - f) / (t1 - t0));
    return 0;
}
