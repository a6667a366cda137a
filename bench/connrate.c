/* bench/connrate.c - connections per second to a per-connection echo
 * service on 127.0.0.1:PORT.
 *
 *     connrate PORT N [PARALLEL]
 *
 * N connections in all, PARALLEL processes at once (default 1): each
 * connects, sends one line, reads it back whole, closes. Prints
 * "conns N failed F secs S rate R" (R: successful connections per second of
 * wall time), then the failures by kind: connect() failed, write() failed,
 * EOF or reset before the whole line came back, no answer within 10 s,
 * another line. */
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

enum { F_CONNECT, F_WRITE, F_EOF, F_TIMEOUT, F_MISMATCH, F_KINDS };

/* One round trip: -1 when the line came back whole, else why it did not. */
static int one(const struct sockaddr_in *a, int i)
{
    char line[64], back[64];
    int n = snprintf(line, sizeof line, "connrate line %d\n", i), got = 0;
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int why = -1;
    if (fd < 0)
        return F_CONNECT;
    if (connect(fd, (const struct sockaddr *)a, sizeof *a) < 0) {
        close(fd);
        return F_CONNECT;
    }
    if (write(fd, line, n) != n) {
        close(fd);
        return F_WRITE;
    }
    while (got < n) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (poll(&p, 1, 10000) <= 0) {
            why = F_TIMEOUT;
            break;
        }
        ssize_t r = read(fd, back + got, sizeof back - got);
        if (r <= 0) {
            why = F_EOF;
            break;
        }
        got += r;
    }
    close(fd);
    if (why < 0 && memcmp(line, back, n) != 0)
        why = F_MISMATCH;
    return why;
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
    failed = mmap(NULL, sizeof *failed * F_KINDS * par, PROT_READ | PROT_WRITE,
                  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (failed == MAP_FAILED)
        return 1;
    t0 = now();
    for (k = 0; k < par; k++) {
        pid_t p = fork();
        if (p < 0)
            return 1;
        if (p == 0) {
            for (int i = k; i < n; i += par) {
                int why = one(&a, i);
                if (why >= 0)
                    failed[k * F_KINDS + why]++;
            }
            _exit(0);
        }
    }
    while (wait(NULL) > 0 || errno == EINTR)
        ;
    t1 = now();
    unsigned long f = 0, kind[F_KINDS] = {0};
    for (k = 0; k < par * F_KINDS; k++) {
        f += failed[k];
        kind[k % F_KINDS] += failed[k];
    }
    printf(
        "conns %d failed %lu secs %.3f rate %.1f connect %lu write %lu eof %lu timeout %lu "
        "mismatch %lu\n",
        n, f, t1 - t0, (n - f) / (t1 - t0), kind[F_CONNECT], kind[F_WRITE], kind[F_EOF],
        kind[F_TIMEOUT], kind[F_MISMATCH]);
    return 0;
}
