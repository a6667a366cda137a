/* reap.c - reaping: every child of pxinit, services, intermediates, the main
 * command and reparented orphans, with no cost per exit that grows with the
 * number of children.
 *
 * libev's default loop reaps with waitpid(-1, WNOHANG) until it returns 0 on
 * every SIGCHLD, and the kernel answers waitpid(-1) by walking the caller's
 * whole list of children: with 10,000 running services each exit cost two
 * walks over all of them (bench/README.md, scale.sh). So pxinit runs its own
 * loop (not the default one, which would reap behind our back) and reaps by
 * pid, which the kernel looks up directly:
 *  - SIGCHLD, read with the other signals from signals.c's signalfd: its
 *    siginfo names the child that changed;
 *  - the pidfds pxinit holds (for signalling) in an epoll set, one shot
 *    each: a known process is reaped the moment it exits, even when its
 *    SIGCHLD merged with another's (a pending signal is not queued twice).
 *    For its own children these are a convenience, not a need, and cost a
 *    descriptor each: they are opened only while what pxinit holds per unit
 *    (these and the output pipes) stays below half of RLIMIT_NOFILE, so that
 *    10,000 units fit in 20,000 descriptors with room to spare. A child
 *    without one is reaped by its SIGCHLD or, if that merged, by the sweep;
 *    it is signalled by pid, which is safe because pxinit alone reaps it (see
 *    reap_pidfd_open());
 *  - the pids of spawn intermediates, which exit as soon as their service has
 *    exec'd: tried by pid at every spawn, SIGCHLD and sweep (reap_expect()),
 *    so a boot of 10,000 units does not leave 10,000 zombies to sweeps that
 *    each walk every child;
 *  - a catch-all sweep, waitpid(-1) until nothing is left, for an orphan whose
 *    SIGCHLD merged with another's: after SIGCHLDs, and once at start for
 *    children that died before. A sweep walks every child, so sweeps are
 *    spaced: REAP_SWEEP_GAP apart while they find something, twice as far
 *    each time they find nothing, up to REAP_SWEEP_GAP_MAX (a crash loop
 *    beside 10,000 idle services then costs 8 walks a second, not 50).
 * Every path reaps by waitpid and hands (pid, status) to one function, so a
 * pid is reported once, by whichever path gets there first.
 */
#include "run/reap.h"

#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/log.h"
#include "output/output.h"
#include "base/proc.h"
#include "run/pxinit.h"

#define REAP_SWEEP_GAP 0.02      /* seconds between two catch-all sweeps, at least */
#define REAP_SWEEP_GAP_MAX 0.128 /* ... and at most, after SIGCHLDs */
#define REAP_SWEEP_MAX 4096      /* pids per sweep before other watchers get a turn */
#define REAP_BATCH 16            /* epoll events per read */

static struct reaper *reaper_of(struct ev_loop *loop)
{
    return &((struct pxinit *)ev_userdata(loop))->reaper;
}

/* Reaps pid if it has exited; anything else (still running, reaped already,
 * not ours) is left alone. Returns true when it reaped. */
static bool reap_pid(struct pxinit *px, pid_t pid)
{
    int status;
    pid_t r;
    if (pid <= 0)
        return false;
    do
        r = waitpid(pid, &status, WNOHANG);
    while (r < 0 && errno == EINTR);
    if (r != pid)
        return false;
    px->reaper.fn(px, pid, status);
    return true;
}

/* Reaps the expected children that have exited and forgets those reaped
 * already by another path; keeps the running ones. fn may spawn, and so
 * append here: the loop re-reads the array and its length. */
static void reap_expected(struct pxinit *px)
{
    struct reaper *r = &px->reaper;
    if (r->expecting)
        return;
    r->expecting = true;
    size_t k = 0;
    for (size_t i = 0; i < r->nexpect; i++) {
        pid_t pid = r->expect[i], w;
        int status;
        do
            w = waitpid(pid, &status, WNOHANG);
        while (w < 0 && errno == EINTR);
        if (w == 0) {
            r->expect[k++] = pid; /* not exited yet */
        } else if (w == pid) {
            r->expect_done[r->expect_done_next++ % REAP_EXPECT_DONE] = pid;
            r->fn(px, pid, status);
        }
        /* else ECHILD: reaped already, through its SIGCHLD or a sweep */
    }
    r->nexpect = k;
    r->expecting = false;
}

void reap_expect(struct pxinit *px, pid_t pid)
{
    struct reaper *r = &px->reaper;
    reap_expected(px); /* the previous spawn's is gone by now */
    if (r->nexpect == r->expect_cap) {
        size_t cap = r->expect_cap ? 2 * r->expect_cap : 16;
        pid_t *v = realloc(r->expect, cap * sizeof(*v));
        if (!v)
            return; /* a sweep will find it */
        r->expect = v;
        r->expect_cap = cap;
    }
    r->expect[r->nexpect++] = pid;
}

static void sweep_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
    struct pxinit *px = ev_userdata(loop);
    struct reaper *r = &px->reaper;
    int n = 0;
    r->sweeps++;
    reap_expected(px);
    while (n < REAP_SWEEP_MAX) {
        int status;
        pid_t pid = waitpid(-1, &status, WNOHANG);
        if (pid < 0 && errno == EINTR)
            continue;
        if (pid <= 0)
            break; /* 0: none has exited; ECHILD: no children at all */
        n++;
        r->fn(px, pid, status);
    }
    r->last_sweep = ev_now(loop);
    if (n > 0 || r->gap < REAP_SWEEP_GAP)
        r->gap = REAP_SWEEP_GAP;
    else if (2 * r->gap < REAP_SWEEP_GAP_MAX)
        r->gap = 2 * r->gap;
    else
        r->gap = REAP_SWEEP_GAP_MAX;
    if (n == REAP_SWEEP_MAX) {
        ev_timer_set(w, 0., 0.); /* more to come, after the others' turn */
        ev_timer_start(loop, w);
    }
}

static void sweep_soon(struct ev_loop *loop, struct reaper *r)
{
    if (ev_is_active(&r->sweep))
        return;
    ev_tstamp due = r->last_sweep + r->gap - ev_now(loop);
    ev_timer_set(&r->sweep, due > 0 ? due : 0., 0.);
    ev_timer_start(loop, &r->sweep);
}

/* Whether pid is an intermediate reap_expected() reaped lately. Then its own
 * SIGCHLD, read after, is no reason for a walk over every child at once:
 * each restart's intermediate would cost one (0.5 ms at 10,000 units). */
static bool expect_done(const struct reaper *r, pid_t pid)
{
    for (unsigned i = 0; i < REAP_EXPECT_DONE; i++)
        if (r->expect_done[i] == pid)
            return true;
    return false;
}

void reap_sigchld(struct pxinit *px, pid_t pid, int code)
{
    struct reaper *r = &px->reaper;
    if (!r->fn)
        return;
    bool exited = code == CLD_EXITED || code == CLD_KILLED || code == CLD_DUMPED;
    /* Another child may have exited while this SIGCHLD was pending: its own
     * was merged into this one and names nobody. When the pid it names was
     * reaped already behind the signal's back (through its pidfd, or by a
     * sweep), that is likely: sweep at once then, else soon. An intermediate
     * reaped by pid is the common case of a late SIGCHLD, and says nothing
     * of a merge (expect_done). */
    bool reaped = exited && reap_pid(px, pid);
    if (exited && r->nexpect)
        reap_expected(px);
    if (exited && !reaped && !expect_done(r, pid)) {
        ev_timer_stop(px->loop, &r->sweep);
        ev_timer_set(&r->sweep, 0., 0.);
        ev_timer_start(px->loop, &r->sweep);
    } else {
        sweep_soon(px->loop, r);
    }
}

static void pidfd_cb(struct ev_loop *loop, ev_io *w, int revents)
{
    struct pxinit *px = ev_userdata(loop);
    struct reaper *r = reaper_of(loop);
    struct epoll_event ev[REAP_BATCH];
    int n;
    do
        n = epoll_wait(r->epfd, ev, REAP_BATCH, 0);
    while (n < 0 && errno == EINTR);
    /* One shot each: an event names a pid whose pidfd reported once, so a
     * pid reaped by another path meanwhile costs one failed waitpid. */
    for (int i = 0; i < n; i++)
        reap_pid(px, (pid_t)(uint32_t)ev[i].data.u64);
}

void reap_watch(struct pxinit *px, pid_t pid, int pidfd)
{
    struct reaper *r = &px->reaper;
    if (r->epfd < 0 || pidfd < 0 || pid <= 0)
        return;
    /* Closing the pidfd (on reap, or when the service forgets the process)
     * takes it out of the set. */
    struct epoll_event ev = {.events = EPOLLIN | EPOLLONESHOT, .data.u64 = (uint32_t)pid};
    if (epoll_ctl(r->epfd, EPOLL_CTL_ADD, pidfd, &ev) < 0)
        log_debug("watching pid %d: %s (its SIGCHLD will do)", (int)pid, strerror(errno));
}

int reap_pidfd_open(struct pxinit *px, pid_t pid, bool own_child)
{
    struct reaper *r = &px->reaper;
    /* A child pxinit spawned is re-parented to pxinit (PID 1 or subreaper)
     * and the intermediate never waits for it: until pxinit's own waitpid
     * returns it, its pid is at worst a zombie's and cannot name anyone
     * else. Its owner forgets the pid in the same call that reaps it (or
     * before letting it go as an orphan), so a signal by pid never reaches a
     * reaped pid. Without the pidfd, only a merged SIGCHLD waits for the
     * sweep (at most REAP_SWEEP_GAP_MAX). */
    if (own_child && r->npidfds + output_fd_count(px->output) >= r->fd_room)
        return -1;
    int fd = proc_pidfd_open(pid);
    if (fd < 0)
        return -1;
    r->npidfds++;
    reap_watch(px, pid, fd);
    return fd;
}

int reap_signalled_watchers(struct pxinit *px)
{
    /* Without a unit's pidfd the set holds at most the main command's. The
     * main is pxinit's own child: its exit brings a SIGCHLD, and a merged one
     * still starts a sweep. */
    const struct reaper *r = &px->reaper;
    return r->epfd >= 0 && r->npidfds == 0 && ev_is_active(&r->ep_io);
}

void reap_pidfd_close(struct pxinit *px, int *pidfd)
{
    if (*pidfd < 0)
        return;
    close(*pidfd);
    *pidfd = -1;
    px->reaper.npidfds--;
}

/* Half of the descriptor limit (as pxinit raised it) for what pxinit holds
 * per unit: the rest is left for spawns, clients and files. */
static size_t fd_room(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur == RLIM_INFINITY ||
        rl.rlim_cur > (rlim_t)SIZE_MAX)
        return SIZE_MAX;
    return (size_t)(rl.rlim_cur / 2);
}

int reap_start(struct pxinit *px, reap_fn *fn)
{
    struct reaper *r = &px->reaper;
    r->fn = fn;
    r->npidfds = 0;
    r->fd_room = fd_room();
    r->epfd = -1;
    r->gap = REAP_SWEEP_GAP;
    r->epfd = epoll_create1(EPOLL_CLOEXEC);
    if (r->epfd < 0) {
        log_warn("epoll for pidfds (exits are reaped on SIGCHLD only)");
    } else {
        ev_io_init(&r->ep_io, pidfd_cb, r->epfd, EV_READ);
        /* After the SIGCHLD: a pid its siginfo names is then reaped there, and
         * a stale name means a merged SIGCHLD (see reap_sigchld). */
        ev_set_priority(&r->ep_io, EV_MAXPRI - 1);
        ev_io_start(px->loop, &r->ep_io);
    }

    ev_timer_init(&r->sweep, sweep_cb, 0., 0.);
    ev_set_priority(&r->sweep, EV_MAXPRI);
    ev_timer_start(px->loop, &r->sweep); /* children that died before */
    return 0;
}

void reap_stop(struct pxinit *px)
{
    struct reaper *r = &px->reaper;
    if (!r->fn)
        return;
    ev_io_stop(px->loop, &r->ep_io);
    ev_timer_stop(px->loop, &r->sweep);
    if (r->epfd >= 0)
        close(r->epfd);
    r->epfd = -1;
    r->fn = NULL;
    free(r->expect);
    r->expect = NULL;
    r->nexpect = r->expect_cap = 0;
}
