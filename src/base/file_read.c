/* file_read.c - reads a whole configuration file for PID 1: regular files
 * only, opened non-blocking, size-capped, so that a FIFO, a device or a huge
 * file among the unit files or environment files can neither hang nor spin
 * the daemon. */
#include "base/file_read.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char *file_read_regular(const char *path, size_t max, size_t *len)
{
    /* O_NONBLOCK: opening a FIFO must not wait for a writer (it is refused
     * below); O_NOCTTY: a terminal never becomes PID 1's. */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0)
        return NULL;
    struct stat st;
    if (fstat(fd, &st) < 0) {
        int saved = errno;
        close(fd);
        errno = saved;
        return NULL;
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        errno = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
        return NULL;
    }
    if (st.st_size < 0 || (unsigned long long)st.st_size > max) {
        close(fd);
        errno = EFBIG;
        return NULL;
    }
    /* The size is a hint: the file may grow or shrink while it is read. */
    size_t cap = (size_t)st.st_size + 1, n = 0;
    char *buf = malloc(cap + 1);
    if (!buf) {
        close(fd);
        errno = ENOMEM;
        return NULL;
    }
    for (;;) {
        if (n == cap) {
            if (n > max)
                break;
            size_t ncap = cap * 2 > max + 1 ? max + 1 : cap * 2;
            char *p = realloc(buf, ncap + 1);
            if (!p) {
                free(buf);
                close(fd);
                errno = ENOMEM;
                return NULL;
            }
            buf = p;
            cap = ncap;
        }
        ssize_t r = read(fd, buf + n, cap - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            int saved = errno;
            free(buf);
            close(fd);
            errno = saved;
            return NULL;
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    close(fd);
    if (n > max) {
        free(buf);
        errno = EFBIG;
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

const char *file_read_strerror(int err, size_t max)
{
    static char msg[64];
    if (err == EINVAL)
        return "not a regular file";
    if (err == EFBIG) {
        snprintf(msg, sizeof(msg), "larger than %zu KiB", max / 1024);
        return msg;
    }
    return strerror(err);
}
