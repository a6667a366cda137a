/* bench/firstbyte.c - microseconds from connect() to the first byte the
 * server sends, on 127.0.0.1:PORT.
 *
 *     firstbyte PORT     prints "us N" (or an error line, exit 1) */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    struct sockaddr_in a = {.sin_family = AF_INET};
    struct timespec t0, t1;
    char c;

    if (argc < 2)
        return 2;
    a.sin_port = htons(atoi(argv[1]));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return 1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) < 0) {
        perror("firstbyte: connect");
        return 1;
    }
    struct pollfd p = {.fd = fd, .events = POLLIN};
    if (poll(&p, 1, 10000) != 1 || read(fd, &c, 1) != 1) {
        fprintf(stderr, "firstbyte: no byte within 10 s\n");
        return 1;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    printf("us %.1f\n", (t1.tv_sec - t0.tv_sec) * 1e6 + (t1.tv_nsec - t0.tv_nsec) / 1e3);
    return 0;
}
