/* pidfile.c - reads a PIDFile= as root without being steered by its path.
 *
 * A service may write its PID file itself, and may own directories or
 * symlinks on the way to it: pxinit, reading as root, must neither follow a
 * symlink of that user to a file the user cannot read (the number would be a
 * secret pxinit then acts on and logs), nor trust a number such a user could
 * have put there. The path is walked one component at a time (openat,
 * O_NOFOLLOW), symlinks resolved by hand, and the owners looked at on the way,
 * as systemd's "safe" path resolution does for the same reason.
 */
#include "base/pidfile.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PIDFILE_MAX_BYTES 64 /* a number and a newline; more is not a PID file */
#define PIDFILE_MAX_HOPS 40  /* symlinks followed, as the kernel's limit */

/* A directory another user could replace entries of. */
static bool dir_open_to_others(const struct stat *st)
{
    if (st->st_uid != 0)
        return true;
    return (st->st_mode & (S_IWGRP | S_IWOTH)) && !(st->st_mode & S_ISVTX);
}

/* Takes the next component of *rest into comp; false at the end. */
static bool next_component(const char **rest, char comp[NAME_MAX + 1], int *err)
{
    const char *p = *rest;
    while (*p == '/')
        p++;
    size_t n = strcspn(p, "/");
    if (n == 0)
        return false;
    if (n > NAME_MAX) {
        *err = ENAMETOOLONG;
        return false;
    }
    memcpy(comp, p, n);
    comp[n] = '\0';
    *rest = p + n;
    return true;
}

pid_t pidfile_parse(const char *buf, size_t len)
{
    char tmp[PIDFILE_MAX_BYTES + 1];
    if (len == 0 || len > PIDFILE_MAX_BYTES || memchr(buf, '\0', len))
        return -1;
    memcpy(tmp, buf, len);
    tmp[len] = '\0';
    const char *start = tmp + strspn(tmp, " \t\r\n");
    if (*start < '0' || *start > '9') /* no sign */
        return -1;
    char *end;
    errno = 0;
    long pid = strtol(start, &end, 10);
    end += strspn(end, " \t\r\n");
    if (errno || *end || pid <= 1 || pid > INT32_MAX)
        return -1;
    return (pid_t)pid;
}

/* Reads the number in name, the regular file st was taken of (checked
 * again once open: it may have been swapped in between). */
static int read_number(int dirfd, const char *name, const struct stat *st, pid_t *pid)
{
    int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    struct stat now;
    if (fstat(fd, &now) < 0 || now.st_dev != st->st_dev || now.st_ino != st->st_ino) {
        close(fd); /* swapped between the look and the open */
        errno = EAGAIN;
        return -1;
    }
    char buf[PIDFILE_MAX_BYTES + 1];
    size_t got = 0;
    while (got < sizeof(buf)) {
        ssize_t n = read(fd, buf + got, sizeof(buf) - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int saved = errno;
            close(fd);
            errno = saved;
            return -1;
        }
        if (n == 0)
            break;
        got += (size_t)n;
    }
    close(fd);
    *pid = pidfile_parse(buf, got);
    if (*pid < 0) {
        errno = EINVAL;
        return -1;
    }
    return 0;
}

int pidfile_read(const char *path, pid_t *pid, bool *trusted)
{
    /* The path still to walk: the rest of PIDFile=, with each symlink's
     * target put in front of what followed it. */
    char *rest_buf = malloc(2 * PATH_MAX);
    char *tmp = malloc(2 * PATH_MAX);
    char comp[NAME_MAX + 1];
    int dirfd = -1, fd = -1, err = 0, hops = 0;
    uid_t link_owner = (uid_t)-1; /* of the last symlink not root's */
    bool all_root = true;

    if (!rest_buf || !tmp) {
        err = ENOMEM;
        goto out;
    }
    if (path[0] != '/' || strlen(path) >= PATH_MAX) {
        err = EINVAL;
        goto out;
    }
    strcpy(rest_buf, path);
    const char *rest = rest_buf;
    dirfd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (dirfd < 0) {
        err = errno;
        goto out;
    }
    struct stat st;
    if (fstat(dirfd, &st) < 0) {
        err = errno;
        goto out;
    }
    all_root = !dir_open_to_others(&st);

    for (;;) {
        if (!next_component(&rest, comp, &err)) {
            if (!err)
                err = EISDIR; /* the path ends at a directory */
            goto out;
        }
        fd = openat(dirfd, comp, O_PATH | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0 || fstat(fd, &st) < 0) {
            err = errno;
            goto out;
        }
        bool last = rest[strspn(rest, "/")] == '\0';
        if (S_ISLNK(st.st_mode)) {
            /* Another user's symlink leads only to what that user owns:
             * never to a file pxinit alone may read. */
            if (st.st_uid != 0) {
                if (link_owner != (uid_t)-1 && link_owner != st.st_uid) {
                    err = EPERM;
                    goto out;
                }
                link_owner = st.st_uid;
                all_root = false;
            }
            if (++hops > PIDFILE_MAX_HOPS) {
                err = ELOOP;
                goto out;
            }
            ssize_t n = readlinkat(fd, "", tmp, PATH_MAX);
            if (n < 0 || n >= PATH_MAX) {
                err = n < 0 ? errno : ENAMETOOLONG;
                goto out;
            }
            size_t rl = strlen(rest);
            if ((size_t)n + rl + 2 > 2 * PATH_MAX) {
                err = ENAMETOOLONG;
                goto out;
            }
            tmp[n] = '/';
            memcpy(tmp + n + 1, rest, rl + 1);
            memcpy(rest_buf, tmp, (size_t)n + rl + 2);
            rest = rest_buf;
            close(fd);
            fd = -1;
            if (rest[0] == '/') {
                close(dirfd);
                dirfd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
                if (dirfd < 0) {
                    err = errno;
                    goto out;
                }
            }
            continue;
        }
        if (S_ISDIR(st.st_mode)) {
            if (dir_open_to_others(&st))
                all_root = false;
            close(dirfd);
            dirfd = fd;
            fd = -1;
            continue;
        }
        if (!last || !S_ISREG(st.st_mode)) {
            err = last ? EINVAL : ENOTDIR; /* a FIFO or device is no PID file */
            goto out;
        }
        if (link_owner != (uid_t)-1 && st.st_uid != link_owner) {
            err = EPERM;
            goto out;
        }
        if (st.st_uid != 0)
            all_root = false;
        if (read_number(dirfd, comp, &st, pid) < 0)
            err = errno;
        goto out;
    }
out:
    if (fd >= 0)
        close(fd);
    if (dirfd >= 0)
        close(dirfd);
    free(rest_buf);
    free(tmp);
    *trusted = err == 0 && all_root;
    if (err) {
        errno = err;
        return -1;
    }
    return 0;
}
