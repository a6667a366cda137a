/* timer_stamp.c - Persistent= stamps (timer_stamp.h).
 *
 * The state directory is the admin's (--state-dir); below it pxinit follows
 * no symlink and opens nothing but regular files: "timers" is opened with
 * O_NOFOLLOW, a stamp is looked at before it is opened, so a link or a
 * device put there cannot make PID 1 create or touch a file elsewhere. */
#include "run/timer_stamp.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/timespan.h"

/* mkdir -p path: small local calls, no waiting. */
static int mkdir_p(const char *path)
{
    char dir[PATH_MAX];
    size_t n = strlen(path);
    if (n == 0 || n >= sizeof(dir)) {
        errno = ENAMETOOLONG;
        return -1;
    }
    memcpy(dir, path, n + 1);
    for (char *p = dir + 1;; p++) {
        if (*p != '/' && *p != '\0')
            continue;
        char c = *p;
        *p = '\0';
        if (mkdir(dir, 0755) < 0 && errno != EEXIST)
            return -1;
        *p = c;
        if (c == '\0')
            return 0;
    }
}

/* STATE/timers, opened (made when create); -1 with errno. */
static int stamps_dir(const char *state_dir, bool create)
{
    int sfd = open(state_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (sfd < 0 && errno == ENOENT && create && mkdir_p(state_dir) == 0)
        sfd = open(state_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (sfd < 0)
        return -1;
    int fd = openat(sfd, "timers", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT && create) {
        if (mkdirat(sfd, "timers", 0755) == 0 || errno == EEXIST)
            fd = openat(sfd, "timers", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    }
    int e = errno;
    close(sfd);
    errno = e;
    return fd;
}

static int stamp_name(const char *name, char *buf, size_t size)
{
    int n = snprintf(buf, size, "stamp-%s", name);
    if (n < 0 || (size_t)n >= size || strchr(name, '/')) {
        errno = EINVAL;
        return -1;
    }
    return 0;
}

static int stamp_set(int dfd, const char *file, uint64_t usec)
{
    struct stat st;
    if (fstatat(dfd, file, &st, AT_SYMLINK_NOFOLLOW) == 0 && !S_ISREG(st.st_mode)) {
        errno = EINVAL;
        return -1;
    }
    int fd = openat(dfd, file, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY,
                    0644);
    if (fd < 0)
        return -1;
    int r = 0;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        errno = EINVAL;
        r = -1;
    } else {
        struct timespec tv[2];
        tv[0].tv_sec = (time_t)(usec / USEC_PER_SEC);
        tv[0].tv_nsec = (long)(usec % USEC_PER_SEC) * 1000;
        tv[1] = tv[0];
        r = futimens(fd, usec ? tv : NULL);
    }
    int e = errno;
    if (close(fd) < 0 && r == 0)
        return -1;
    errno = e;
    return r;
}

int timer_stamp_write(const char *state_dir, const char *name, uint64_t usec)
{
    char file[NAME_MAX + 1];
    if (stamp_name(name, file, sizeof(file)) < 0)
        return -1;
    int dfd = stamps_dir(state_dir, true);
    if (dfd < 0)
        return -1;
    int r = stamp_set(dfd, file, usec);
    int e = errno;
    close(dfd);
    errno = e;
    return r;
}

int timer_stamp_read(const char *state_dir, const char *name, uint64_t *usec)
{
    char file[NAME_MAX + 1];
    struct stat st;
    *usec = 0;
    if (stamp_name(name, file, sizeof(file)) < 0)
        return -1;
    int dfd = stamps_dir(state_dir, false);
    if (dfd < 0)
        return errno == ENOENT ? timer_stamp_write(state_dir, name, 0) : -1;
    int r = 0;
    if (fstatat(dfd, file, &st, AT_SYMLINK_NOFOLLOW) < 0) {
        r = errno == ENOENT ? stamp_set(dfd, file, 0) : -1; /* never ran */
    } else if (!S_ISREG(st.st_mode) || st.st_mtim.tv_sec < 0 ||
               (uint64_t)st.st_mtim.tv_sec >= USEC_INFINITY / USEC_PER_SEC - 1) {
        errno = EINVAL;
        r = -1;
    } else {
        *usec = (uint64_t)st.st_mtim.tv_sec * USEC_PER_SEC + (uint64_t)st.st_mtim.tv_nsec / 1000;
    }
    int e = errno;
    close(dfd);
    errno = e;
    return r;
}
