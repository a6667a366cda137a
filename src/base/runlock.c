/* runlock.c - one daemon per runtime directory.
 *
 * A second pxinit on a runtime directory would run every unit again, take
 * over the notify socket and replace the status board of the first. The
 * daemon therefore takes a write lock on $RUNTIME_DIR/lock before it
 * touches anything else there, and keeps it until it exits. The file holds
 * the pid of its holder for people; the pid reported to a refused daemon
 * comes from F_GETLK, which the kernel gives in the caller's PID namespace
 * (the file's number is the holder's own view, often 1).
 *
 * The file is never removed: a daemon unlinking it on exit could let a
 * third one lock a fresh inode while a second still held the old one.
 */
#include "base/runlock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The pid written in the lock file, 0 if unreadable. */
static pid_t pid_in_file(int fd)
{
    char buf[32];
    ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
    if (n <= 0)
        return 0;
    buf[n] = '\0';
    long pid = strtol(buf, NULL, 10);
    return pid > 0 && pid < (1L << 30) ? (pid_t)pid : 0;
}

/* The lock cannot be taken (a user's pxinit on root's directory): still
 * refuse, rather than warn and run beside, when a daemon holds it. */
static bool holder_of(const char *path, struct runlock_holder *holder)
{
    int e = errno;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK);
    struct flock probe = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
    bool held = fd >= 0 && fcntl(fd, F_GETLK, &probe) == 0 && probe.l_type != F_UNLCK;
    if (held) {
        holder->pid = probe.l_pid > 0 ? probe.l_pid : 0;
        holder->own_pid = pid_in_file(fd);
    }
    if (fd >= 0)
        close(fd);
    errno = e;
    return held;
}

static void pid_write(int fd)
{
    char buf[32];
    int len = snprintf(buf, sizeof(buf), "%d\n", (int)getpid());
    /* For people only: the lock is what counts, so a failure changes nothing. */
    if (ftruncate(fd, 0) == 0)
        (void)!pwrite(fd, buf, (size_t)len, 0);
}

enum runlock_result runlock_take(const char *dir, int *fd, struct runlock_holder *holder)
{
    char path[4096];
    *fd = -1;
    holder->pid = holder->own_pid = 0;
    if ((size_t)snprintf(path, sizeof(path), "%s/lock", dir) >= sizeof(path)) {
        errno = ENAMETOOLONG;
        return RUNLOCK_UNAVAILABLE;
    }
    if (mkdir(dir, 0755) < 0 && errno != EEXIST)
        return RUNLOCK_UNAVAILABLE;
    /* O_NOFOLLOW: a symlink planted there must not make root create or
     * truncate a file elsewhere. */
    int lfd;
    do
        lfd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY, 0644);
    while (lfd < 0 && errno == EINTR);
    if (lfd < 0)
        return holder_of(path, holder) ? RUNLOCK_BUSY : RUNLOCK_UNAVAILABLE;
    struct stat st;
    if (fstat(lfd, &st) < 0 || !S_ISREG(st.st_mode)) {
        close(lfd);
        errno = EINVAL;
        return RUNLOCK_UNAVAILABLE;
    }
    /* A holder that exits between the two calls leaves no lock to report:
     * try again. */
    for (int attempt = 0; attempt < 3; attempt++) {
        struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
        if (fcntl(lfd, F_SETLK, &fl) == 0) {
            pid_write(lfd);
            *fd = lfd;
            return RUNLOCK_HELD;
        }
        if (errno == EINTR)
            continue;
        if (errno != EAGAIN && errno != EACCES) {
            int e = errno;
            close(lfd);
            errno = e;
            return RUNLOCK_UNAVAILABLE;
        }
        struct flock probe = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
        if (fcntl(lfd, F_GETLK, &probe) == 0 && probe.l_type == F_UNLCK)
            continue;
        /* l_pid is 0 when the holder lives in a PID namespace this one
         * cannot see: then only its own view of its pid is known. */
        holder->pid = probe.l_pid > 0 ? probe.l_pid : 0;
        holder->own_pid = pid_in_file(lfd);
        close(lfd);
        return RUNLOCK_BUSY;
    }
    close(lfd);
    return RUNLOCK_BUSY; /* held each time, by holders that never stayed */
}
