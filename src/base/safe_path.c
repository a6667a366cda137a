/* safe_path.c - reaching the directory of a path another user may control
 * (safe_path.h).
 *
 * The walk resolves symlinks itself (readlinkat on an O_PATH fd of the
 * link) instead of letting openat() follow them: the kernel would follow
 * whatever is there at the moment of the call, while here the link that
 * was checked is the link that is read.
 */
#include "base/safe_path.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define LINKS_MAX 40 /* the kernel's limit */

static int fail(int fd, int err)
{
    if (fd >= 0)
        close(fd);
    errno = err;
    return -1;
}

/* Opens comp under dfd without following it, making it when missing. */
static int open_step(int dfd, const char *comp, bool create, mode_t dir_mode)
{
    int fd = openat(dfd, comp, O_PATH | O_NOFOLLOW | O_CLOEXEC);
    if (fd >= 0 || errno != ENOENT || !create)
        return fd;
    /* Exactly dir_mode, whatever pxinit's umask is; pxinit is
     * single-threaded, so nothing else runs under this umask. */
    mode_t old = umask(0);
    int r = mkdirat(dfd, comp, dir_mode & 07777);
    int err = errno;
    umask(old);
    if (r < 0 && err != EEXIST) {
        errno = err;
        return -1;
    }
    return openat(dfd, comp, O_PATH | O_NOFOLLOW | O_CLOEXEC);
}

/* Replaces the walk's remaining path with the link's target followed by
 * rest. */
static int splice_link(int lfd, char *buf, size_t size, const char *rest)
{
    char target[PATH_MAX];
    ssize_t n = readlinkat(lfd, "", target, sizeof(target) - 1);
    if (n < 0)
        return -1;
    if (n == 0) {
        errno = ENOENT;
        return -1;
    }
    target[n] = '\0';
    char joined[PATH_MAX];
    int k = snprintf(joined, sizeof(joined), "%s/%s", target, rest);
    if (k < 0 || (size_t)k >= sizeof(joined) || (size_t)k >= size) {
        errno = ENAMETOOLONG;
        return -1;
    }
    memcpy(buf, joined, (size_t)k + 1);
    return 0;
}

int safe_path_parent(const char *path, bool create, mode_t dir_mode, char *name, size_t nsize)
{
    char buf[PATH_MAX];
    if (path[0] != '/')
        return fail(-1, EINVAL);
    size_t len = strlen(path);
    if (len >= sizeof(buf))
        return fail(-1, ENAMETOOLONG);
    memcpy(buf, path, len + 1);
    char *slash = strrchr(buf, '/');
    const char *last = slash + 1;
    if (!*last || strcmp(last, ".") == 0 || strcmp(last, "..") == 0)
        return fail(-1, EINVAL);
    if (strlen(last) >= nsize)
        return fail(-1, ENAMETOOLONG);
    strcpy(name, last);
    *slash = '\0';

    int dfd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0)
        return -1;
    uid_t me = geteuid();
    unsigned links = 0;
    char *rest = buf;
    while (*rest) {
        char *comp = rest;
        char *end = strchr(rest, '/');
        if (end) {
            *end = '\0';
            rest = end + 1;
        } else {
            rest += strlen(rest);
        }
        if (!*comp || strcmp(comp, ".") == 0)
            continue;
        int fd = open_step(dfd, comp, create, dir_mode);
        if (fd < 0)
            return fail(dfd, errno);
        struct stat st;
        if (fstat(fd, &st) < 0) {
            int err = errno;
            close(fd);
            return fail(dfd, err);
        }
        if (S_ISDIR(st.st_mode)) {
            close(dfd);
            dfd = fd;
            continue;
        }
        if (!S_ISLNK(st.st_mode)) {
            close(fd);
            return fail(dfd, ENOTDIR);
        }
        /* Only root's links (/var/run -> /run) and the caller's own: a
         * service user's link would let it choose where root creates,
         * removes or chowns. */
        if ((st.st_uid != 0 && st.st_uid != me) || ++links > LINKS_MAX) {
            close(fd);
            return fail(dfd, ELOOP);
        }
        char restcopy[PATH_MAX];
        strcpy(restcopy, rest);
        int r = splice_link(fd, buf, sizeof(buf), restcopy);
        int err = errno;
        close(fd);
        if (r < 0)
            return fail(dfd, err);
        rest = buf;
        if (buf[0] == '/') {
            close(dfd);
            if ((dfd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
                return -1;
        }
    }
    return dfd;
}
