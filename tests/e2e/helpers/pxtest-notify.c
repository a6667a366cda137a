/* pxtest-notify - a tiny sd_notify(3) daemon for end-to-end tests.
 *
 *   pxtest-notify [-d MS] [-c] [-m] [-w MS] [-x CODE] [MESSAGE...]
 *
 * Waits -d milliseconds, sends each MESSAGE (e.g. READY=1, STATUS=up) as one
 * datagram to $NOTIFY_SOCKET (from a forked child with -c; with -m a forked
 * child becomes the main process: it is announced with MAINPID= and the
 * parent exits), pings WATCHDOG=1 every -w milliseconds, and then either
 * exits with -x CODE or waits for SIGTERM and exits 0.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int send_msg(const char *msg)
{
    const char *path = getenv("NOTIFY_SOCKET");
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    if (!path || strlen(path) >= sizeof(sa.sun_path)) {
        fprintf(stderr, "pxtest-notify: no usable NOTIFY_SOCKET\n");
        return -1;
    }
    strcpy(sa.sun_path, path);
    int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    ssize_t n = sendto(fd, msg, strlen(msg), 0, (struct sockaddr *)&sa, sizeof(sa));
    close(fd);
    return n < 0 ? -1 : 0;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) < 0)
        ;
}

static void on_term(int sig)
{
    (void)sig;
    _exit(0);
}

int main(int argc, char **argv)
{
    long delay = 0, watchdog = 0;
    int exit_code = -1, from_child = 0, new_main = 0, c;
    while ((c = getopt(argc, argv, "d:cmw:x:")) != -1) {
        switch (c) {
        case 'd':
            delay = atol(optarg);
            break;
        case 'c':
            from_child = 1;
            break;
        case 'm':
            new_main = 1;
            break;
        case 'w':
            watchdog = atol(optarg);
            break;
        case 'x':
            exit_code = atoi(optarg);
            break;
        default:
            return 2;
        }
    }
    signal(SIGTERM, on_term);
    sleep_ms(delay);
    if (new_main) {
        pid_t pid = fork();
        if (pid < 0)
            return 1;
        if (pid > 0) {
            /* One datagram, as sd_notifyf() sends it: MAINPID= and the rest
             * are taken together, before the sender stops being main. */
            char buf[1024];
            int len = snprintf(buf, sizeof(buf), "MAINPID=%d", (int)pid);
            for (int i = optind; i < argc && len > 0 && (size_t)len < sizeof(buf); i++)
                len += snprintf(buf + len, sizeof(buf) - (size_t)len, "\n%s", argv[i]);
            send_msg(buf);
            return 0;
        }
        for (;;)
            pause();
    }
    for (int i = optind; i < argc; i++) {
        if (from_child) {
            pid_t pid = fork();
            if (pid == 0) {
                int r = send_msg(argv[i]);
                /* Linger: a sender gone before pxinit reads its datagram
                 * cannot be attributed (systemd has the same limit). */
                sleep_ms(300);
                _exit(r < 0);
            }
            waitpid(pid, NULL, 0);
        } else if (send_msg(argv[i]) < 0) {
            perror("pxtest-notify: send");
        }
    }
    if (exit_code >= 0)
        return exit_code;
    for (;;) {
        if (watchdog > 0) {
            sleep_ms(watchdog);
            send_msg("WATCHDOG=1");
        } else {
            pause();
        }
    }
}
