/* client_request.c - one request over the control socket
 * ($RUNTIME_DIR/control): the request line, then reply lines until
 * `end CODE` (doc/protocol.md), with a deadline for requests that do not
 * wait for a job, so a wedged daemon cannot hang a script.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "client/client_int.h"
#include "wire/proto_journal.h"
#include "wire/protocol.h"

static double now_sec(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int connect_daemon(struct client *cl)
{
    char *path = client_path(cl, "control");
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    if (!path || strlen(path) >= sizeof(sa.sun_path)) {
        fprintf(stderr, "pxinit %s: runtime directory path too long\n", cl->verb);
        free(path);
        return -1;
    }
    strcpy(sa.sun_path, path);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0) {
        free(path);
        return fd;
    }
    if (!cl->quiet)
        fprintf(stderr, "pxinit %s: cannot reach the daemon at %s: %s\n", cl->verb, path,
                strerror(errno));
    if (fd >= 0)
        close(fd);
    free(path);
    return -1;
}

/* Handles one reply line; returns the exit code at `end`, else -1. */
static int reply_line(struct client *cl, char *line)
{
    if (strncmp(line, "end ", 4) == 0)
        return atoi(line + 4);
    if (cl->line_hook && cl->line_hook(cl->hook_ctx, line))
        return -1;
    if (strncmp(line, "unit ", 5) == 0) {
        struct sb_unit u;
        if (proto_parse_unit(line + 5, &u) == 0 && client_unit_push(cl, &u) < 0)
            fprintf(stderr, "pxinit %s: out of memory\n", cl->verb);
    } else if (strncmp(line, "timer ", 6) == 0) {
        /* A timer's times, right after its unit line (doc/protocol.md). */
        if (cl->nunits > 0)
            (void)proto_parse_timer(line + 6, &cl->units[cl->nunits - 1]);
    } else if (strncmp(line, "socket ", 7) == 0 || strncmp(line, "listen ", 7) == 0) {
        /* A socket's details, right after its unit line. */
        if (client_socket_line(cl, line + 7, line[0] == 'l') < 0)
            fprintf(stderr, "pxinit %s: out of memory\n", cl->verb);
    } else if (strncmp(line, "error ", 6) == 0) {
        char *text = strchr(line + 6, ' ');
        if (!cl->quiet)
            fprintf(stderr, "pxinit %s: %s\n", cl->verb, text ? text + 1 : line + 6);
    } else if (strncmp(line, "msg ", 4) == 0) {
        if (!cl->quiet)
            printf("%s\n", line + 4);
    } else if (strncmp(line, "line ", 5) == 0) {
        if (!cl->quiet) {
            printf("%s\n", line + 5);
            if (cl->follow)
                fflush(stdout);
        }
    }
    return -1;
}

int client_request(struct client *cl, const char *req, bool waits)
{
    int fd = connect_daemon(cl);
    if (fd < 0)
        return PROTO_EXIT_UNREACHABLE;
    size_t len = strlen(req), off = 0;
    while (off < len) {
        ssize_t n = send(fd, req + off, len - off, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            /* The daemon may have answered and closed already (a refusal):
             * what it said is still there to read. */
            break;
        }
        off += (size_t)n;
    }
    /* Requests that do not wait for a unit answer at once; 30s means a wedged daemon. */
    double limit = cl->timeout > 0 ? cl->timeout : waits ? 0 : 30;
    double deadline = limit > 0 ? now_sec() + limit : 0;
    /* An `entry` line's message may be escaped to 4 bytes a byte. */
    char buf[2 * PROTO_MAX_REQUEST + 4 * PROTO_JOURNAL_MSG_MAX + 1024];
    size_t have = 0;
    for (;;) {
        char *nl;
        while ((nl = memchr(buf, '\n', have))) {
            *nl = '\0';
            int code = reply_line(cl, buf);
            size_t used = (size_t)(nl - buf) + 1;
            memmove(buf, nl + 1, have - used);
            have -= used;
            if (code >= 0) {
                close(fd);
                return code;
            }
        }
        if (have == sizeof(buf)) {
            fprintf(stderr, "pxinit %s: reply line too long\n", cl->verb);
            break;
        }
        int ms = -1;
        if (deadline > 0) {
            double left = deadline - now_sec();
            if (left <= 0) {
                fprintf(stderr,
                        "pxinit %s: timed out after %gs waiting for the daemon (the job goes "
                        "on)\n",
                        cl->verb, limit);
                break;
            }
            ms = (int)(left * 1000) + 1;
        }
        struct pollfd pfd = {.fd = fd, .events = POLLIN};
        int r = poll(&pfd, 1, ms);
        if (r < 0 && errno != EINTR) {
            perror("pxinit: poll");
            break;
        }
        if (r <= 0)
            continue;
        ssize_t n = read(fd, buf + have, sizeof(buf) - have);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            if (!cl->quiet)
                fprintf(stderr, "pxinit %s: the daemon closed the connection\n", cl->verb);
            break;
        }
        have += (size_t)n;
    }
    close(fd);
    return PROTO_EXIT_FAILED;
}

char *client_request_line(const struct client *cl, const char *extra)
{
    const char *verb = verb_name(cl->id);
    size_t len = strlen(verb) + (extra ? strlen(extra) + 1 : 0) + 2;
    for (int i = 0; i < cl->nargs; i++)
        len += strlen(cl->args[i]) + 1;
    if (len > PROTO_MAX_REQUEST)
        return NULL;
    char *s = malloc(len + 1);
    if (!s)
        return NULL;
    strcpy(s, verb);
    if (extra) {
        strcat(s, " ");
        strcat(s, extra);
    }
    for (int i = 0; i < cl->nargs; i++) {
        strcat(s, " ");
        strcat(s, cl->args[i]);
    }
    strcat(s, "\n");
    return s;
}
