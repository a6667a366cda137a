/* pxtest-fdstore - a Type=notify service that uses the fd store (FDSTORE=1),
 * for end-to-end tests.
 *
 *   pxtest-fdstore [-n COUNT] [-N NAME] [-R] DIR
 *
 * At each start it appends one line to DIR/starts:
 *   pid=P listen_pid=L fds=N names=A:B inodes=I1,I2,
 * (L and the names "-" when unset; the inodes of fds 3 .. 3+N-1, each
 * checked to be open). When it was given no fd named NAME (default x) it
 * makes COUNT listening unix sockets (default 1; they never hang up),
 * writes their inodes to DIR/made (same form) and sends them in one
 * datagram with FDSTORE=1, FDNAME=NAME and READY=1. Given such fds, with
 * -R it sends FDSTOREREMOVE=1 FDNAME=NAME and READY=1, else READY=1 alone.
 * Then it waits for SIGTERM. Every line it writes is complete before
 * READY=1.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#define MAX_FDS 16

static int send_msg(const char *msg, const int *fds, int n)
{
    const char *path = getenv("NOTIFY_SOCKET");
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    if (!path || strlen(path) >= sizeof(sa.sun_path))
        return -1;
    strcpy(sa.sun_path, path);
    int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    struct iovec iov = {.iov_base = (void *)msg, .iov_len = strlen(msg)};
    union {
        struct cmsghdr align;
        char space[CMSG_SPACE(sizeof(int) * MAX_FDS)];
    } control;
    struct msghdr mh = {
        .msg_name = &sa, .msg_namelen = sizeof(sa), .msg_iov = &iov, .msg_iovlen = 1};
    if (n > 0) {
        memset(&control, 0, sizeof(control));
        mh.msg_control = &control;
        mh.msg_controllen = CMSG_SPACE(sizeof(int) * (size_t)n);
        struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(sizeof(int) * (size_t)n);
        memcpy(CMSG_DATA(c), fds, sizeof(int) * (size_t)n);
    }
    ssize_t r = sendmsg(fd, &mh, 0);
    close(fd);
    return r < 0 ? -1 : 0;
}

static void on_term(int sig)
{
    (void)sig;
    _exit(0);
}

static int append(const char *dir, const char *file, const char *line)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s", dir, file);
    FILE *f = fopen(path, "a");
    if (!f)
        return -1;
    fputs(line, f);
    return fclose(f);
}

/* A listening unix socket, bound to an abstract name the kernel picks. */
static int listener(void)
{
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sa_family_t fam = AF_UNIX;
    if (fd < 0 || bind(fd, (struct sockaddr *)&fam, sizeof(fam)) < 0 || listen(fd, 4) < 0)
        return -1;
    return fd;
}

int main(int argc, char **argv)
{
    int count = 1, remove = 0, c;
    const char *name = "x";
    while ((c = getopt(argc, argv, "n:N:R")) != -1) {
        switch (c) {
        case 'n':
            count = atoi(optarg);
            break;
        case 'N':
            name = optarg;
            break;
        case 'R':
            remove = 1;
            break;
        default:
            return 2;
        }
    }
    if (optind != argc - 1 || count < 0 || count > MAX_FDS)
        return 2;
    const char *dir = argv[optind];
    signal(SIGTERM, on_term);

    const char *lfds = getenv("LISTEN_FDS"), *lpid = getenv("LISTEN_PID");
    const char *lnames = getenv("LISTEN_FDNAMES");
    int n = lfds ? atoi(lfds) : 0;
    char line[4096];
    int len =
        snprintf(line, sizeof(line), "pid=%d listen_pid=%s fds=%d names=%s inodes=", (int)getpid(),
                 lpid ? lpid : "-", n, lnames ? lnames : "-");
    for (int i = 0; i < n && len < (int)sizeof(line) - 32; i++) {
        struct stat st;
        if (fstat(3 + i, &st) < 0)
            len += snprintf(line + len, sizeof(line) - (size_t)len, "closed,");
        else
            len +=
                snprintf(line + len, sizeof(line) - (size_t)len, "%lu,", (unsigned long)st.st_ino);
    }
    snprintf(line + len, sizeof(line) - (size_t)len, "\n");
    if (append(dir, "starts", line) < 0)
        return 1;

    /* Whether NAME is among LISTEN_FDNAMES. */
    int named = 0;
    size_t nl = strlen(name);
    for (const char *p = lnames; p && *p;) {
        const char *colon = strchr(p, ':');
        size_t len_p = colon ? (size_t)(colon - p) : strlen(p);
        if (len_p == nl && memcmp(p, name, nl) == 0)
            named = 1;
        p = colon ? colon + 1 : p + len_p;
    }
    char msg[512];
    if (!named && count > 0) {
        int fds[MAX_FDS];
        len = 0;
        line[0] = '\0';
        for (int i = 0; i < count; i++) {
            struct stat st;
            if ((fds[i] = listener()) < 0 || fstat(fds[i], &st) < 0)
                return 1;
            len +=
                snprintf(line + len, sizeof(line) - (size_t)len, "%lu,", (unsigned long)st.st_ino);
        }
        snprintf(line + len, sizeof(line) - (size_t)len, "\n");
        if (append(dir, "made", line) < 0)
            return 1;
        snprintf(msg, sizeof(msg), "FDSTORE=1\nFDNAME=%s\nREADY=1", name);
        if (send_msg(msg, fds, count) < 0)
            return 1;
    } else if (named && remove) {
        snprintf(msg, sizeof(msg), "FDSTOREREMOVE=1\nFDNAME=%s\nREADY=1", name);
        if (send_msg(msg, NULL, 0) < 0)
            return 1;
    } else if (send_msg("READY=1", NULL, 0) < 0) {
        return 1;
    }
    for (;;)
        pause();
}
