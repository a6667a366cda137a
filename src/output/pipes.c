/* pipes.c - output pipes, their write ends and the descriptor budget
 * (pipes.h). Owns the pipe-reopen trick and its plain way beside it.
 *
 * The trick: pxinit holds a pipe's read end, so opening /proc/self/fd/RFD
 * for writing cannot wait for a reader (a FIFO's open would), and Linux
 * opens the same pipe: same buffer, same size, whatever is unread stays in
 * order, and a process spawned beside running ones or their orphans writes
 * into the same stream. Should reopening fail later (/proc unmounted), the
 * plain way takes over for good, and the stream gets a new pipe while the
 * old one is read until its last writer is gone (capture.c).
 */
#include "output/pipes.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "base/log.h"
#include "base/tricks.h"

/* Does opening /proc/self/fd/N of a pipe's read end for writing give a
 * write end of that pipe? (No /proc in the image, or not mounted yet.) Also
 * tells how many descriptors pxinit has open now (the lowest free one). */
static bool reopen_works(size_t *base)
{
    int fds[2];
    *base = 16;
    if (pipe2(fds, O_CLOEXEC | O_NONBLOCK) < 0)
        return true; /* cannot tell; the first spawn will, and falls back */
    *base = (size_t)fds[0];
    char path[40], c = 0;
    snprintf(path, sizeof(path), "/proc/self/fd/%d", fds[0]);
    int w = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
    bool ok = w >= 0 && write(w, "x", 1) == 1 && read(fds[0], &c, 1) == 1 && c == 'x';
    if (w >= 0)
        close(w);
    close(fds[0]);
    close(fds[1]);
    return ok;
}

/* Units' descriptors (with what pxinit had at start) stay below this: an
 * eighth of the limit, 16 to 128, is left for the rest of pxinit (the
 * control socket and its clients, the notify socket, the status board,
 * spawns' temporaries). */
static size_t fd_high_mark(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur == RLIM_INFINITY ||
        rl.rlim_cur > (rlim_t)SIZE_MAX / 2)
        return SIZE_MAX / 2;
    rlim_t reserve = rl.rlim_cur / 8;
    reserve = reserve < 16 ? 16 : reserve > 128 ? 128 : reserve;
    return rl.rlim_cur > reserve ? (size_t)(rl.rlim_cur - reserve) : 0;
}

void pipes_init(struct output_pipes *p, const size_t *shared)
{
    p->nfds = 0;
    p->shared = shared;
    bool works = reopen_works(&p->fd_base);
    p->fd_high = fd_high_mark();
    p->reopen = works && trick_on(TRICK_PIPE_REOPEN);
    if (!works)
        log_debug("no /proc/self/fd: pipes' write ends are kept (two descriptors per unit)");
    else if (!p->reopen)
        log_debug(
            "pipe-reopen is off (PXINIT_PLAIN): pipes' write ends are kept (two "
            "descriptors per unit)");
}

int pipes_new(struct output_pipes *p, int fds[2])
{
    /* Units must leave pxinit room for control clients, spawns and files:
     * past the mark the unit fails with EMFILE now, rather than pxinit
     * later. Counted, not judged by the number pipe2() gives, which is the
     * lowest free one wherever holes are. */
    size_t kept = p->reopen ? 1 : 2; /* the read end, and the write end the plain way */
    size_t shared = p->shared ? *p->shared : 0;
    if (p->fd_base + p->nfds + shared + kept > p->fd_high) {
        errno = EMFILE;
        return -1;
    }
    if (pipe2(fds, O_CLOEXEC) < 0)
        return -1;
    int fl = fcntl(fds[0], F_GETFL);
    if (fl < 0 || fcntl(fds[0], F_SETFL, fl | O_NONBLOCK) < 0) {
        int saved = errno;
        close(fds[0]);
        close(fds[1]);
        errno = saved;
        return -1;
    }
    p->nfds += 2;
    return 0;
}

int pipes_writer(struct output_pipes *p, int rfd, int *wfd, const char *name)
{
    if (*wfd >= 0)
        return 0; /* a new pipe's own, or kept (the plain way) */
    if (!p->reopen)
        return 1; /* the plain way after the trick failed: a new pipe */
    char path[40];
    snprintf(path, sizeof(path), "/proc/self/fd/%d", rfd);
    int fd;
    do
        fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
    while (fd < 0 && errno == EINTR);
    if (fd >= 0) {
        *wfd = fd;
        p->nfds++;
        return 0;
    }
    if (errno == EMFILE || errno == ENFILE || errno == ENOMEM)
        return -1; /* a new pipe would need as much: the spawn fails */
    log_unit_warn(name,
                  "cannot reopen the output pipe through /proc (%s): keeping pipes' write "
                  "ends from now on",
                  strerror(errno));
    p->reopen = false;
    return 1;
}

void pipes_spawn_done(struct output_pipes *p, int *wfd)
{
    if (p->reopen)
        pipes_close(p, wfd);
}

void pipes_close(struct output_pipes *p, int *fd)
{
    if (*fd < 0)
        return;
    close(*fd);
    *fd = -1;
    p->nfds--;
}
