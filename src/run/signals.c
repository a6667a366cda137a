/* signals.c - the signals pxinit receives, taken and handed on: SIGCHLD and
 * everything else go to one callback (main.c), which routes SIGCHLD to the
 * reaper and the rest to phase.c; this file decides nothing about them.
 *
 * As PID 1 the kernel only delivers signals pxinit catches or blocks. Every
 * signal pxinit honours or forwards, and SIGCHLD, is blocked and read from
 * one signalfd, one siginfo at a time: a realtime signal queued 250 times is
 * forwarded 250 times (libev's ev_signal ran its watcher once for a pile),
 * and a SIGCHLD names the child (reap.c). One signalfd, because the kernel
 * wakes every signalfd of a process for every signal it gets. Synchronous
 * fault signals (SEGV, BUS, ILL, FPE, TRAP, SYS, ABRT) are not taken: they
 * are about pxinit itself; nor is SIGPIPE, which pxinit ignores. A storm of
 * one standard signal coalesces in the kernel into fewer deliveries, never
 * into none.
 *
 * The sigwait trick (TRICK_SIGWAIT, tricks.h): while nothing but a signal
 * can need pxinit, it waits in sigwaitinfo rather than in libev's epoll_wait
 * (signals_sleep): a forwarded signal then costs two system calls, the wait
 * and the forward, as in catatonit and dumb-init, instead of three
 * (epoll_wait, the signalfd's read, the forward) and a loop iteration
 * (bench/README.md, issue 3). "Nothing but a signal" is when every active
 * watcher's event also comes as one: the signalfd itself; the watchers in
 * the registry, whose sockets raise a signal when readable (signals_arm_io:
 * control, notify); and what the caller subtracts from libev's count (the
 * pidfd set while it holds only the main command's pidfd, whose exit brings
 * a SIGCHLD too). Any other watcher (a client, a timer, an output pipe, a
 * unit's pidfd) sends pxinit back to epoll_wait. The plain way, with the
 * trick off: no socket is armed and the loop always waits in epoll_wait.
 */
#include "run/signals.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "base/log.h"
#include "base/tricks.h"

/* Taken and handed on; the job control signals too unless ignored. */
static const int taken_signals[] = {
    SIGHUP,    SIGINT, SIGQUIT,   SIGUSR1, SIGUSR2, SIGTERM, SIGALRM, SIGCONT, SIGWINCH, SIGURG,
    SIGIO,     SIGPWR, SIGVTALRM, SIGPROF, SIGXCPU, SIGXFSZ, SIGTSTP, SIGTTIN, SIGTTOU,
#ifdef SIGSTKFLT
    SIGSTKFLT,
#endif
};

#define SIGINFO_BATCH 16   /* siginfos per read */
#define SIGINFO_READS 8    /* reads per wakeup before other watchers get a turn */
#define SLEEP_FORWARDS 128 /* forwards in a row in signals_sleep, likewise */

/* What a socket of pxinit's raises when it becomes readable
 * (signals_arm_io): a realtime signal, which the kernel queues once per
 * event. SIGIO, a standard signal, is not queued twice: a socket's would
 * absorb a SIGIO someone sent for the main command, or be absorbed by it.
 * When the realtime queue is full (RLIMIT_SIGPENDING) the kernel raises a
 * plain SIGIO instead. */
#define SOCKET_SIGNAL SIGRTMIN

/* A socket's signal from the kernel (si_code > 0, which no other process can
 * send), for the loop to poll; one someone sent, of the same number, is
 * handed on like any other. */
static bool socket_ready(int sig, int code)
{
    return (sig == SOCKET_SIGNAL || sig == SIGIO) && code > 0;
}

/* The loop must poll after it: a socket's signal, or a SIGIO someone sent,
 * which may have absorbed a socket's fallback SIGIO. */
static bool may_be_socket(int sig, int code)
{
    return sig == SIGIO || socket_ready(sig, code);
}

static void take(struct signals *sg, int sig, pid_t pid, int code)
{
    /* A socket's signal read from the signalfd may have come after this
     * iteration's poll, which then did not see the socket: the loop must
     * look again before it sleeps, since no other signal will come for what
     * waits there. */
    if (may_be_socket(sig, code))
        sg->poll_due = true;
    if (!socket_ready(sig, code))
        (void)sg->fn(sg->ctx, sig, pid, code);
}

static void signalfd_cb(struct ev_loop *loop, ev_io *w, int revents)
{
    struct signals *sg = (struct signals *)((char *)w - offsetof(struct signals, io));
    struct signalfd_siginfo si[SIGINFO_BATCH];
    for (int reads = 0; reads < SIGINFO_READS; reads++) {
        ssize_t n = read(w->fd, si, sizeof(si));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            if (errno != EAGAIN)
                log_warn("reading signals");
            return;
        }
        size_t count = (size_t)n / sizeof(si[0]);
        for (size_t i = 0; i < count; i++)
            take(sg, (int)si[i].ssi_signo, (pid_t)si[i].ssi_pid, si[i].ssi_code);
        if (count < SIGINFO_BATCH)
            return; /* drained; else more may wait */
    }
}

int signals_start(struct signals *sg, struct ev_loop *loop, const sigset_t *ignored, signals_fn *fn,
                  void *ctx)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGCHLD);
    signal(SIGPIPE, SIG_IGN);
    for (size_t i = 0; i < sizeof(taken_signals) / sizeof(taken_signals[0]); i++) {
        int sig = taken_signals[i];
        if (ignored && sigismember(ignored, sig) == 1)
            signal(sig, SIG_IGN);
        else
            sigaddset(&set, sig);
    }
    for (int sig = SIGRTMIN; sig <= SIGRTMAX; sig++)
        sigaddset(&set, sig);
    /* Blocked is not ignored: as PID 1 too they stay pending for the
     * signalfd. Children get the launch mask back. */
    if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
        return -1;
    int fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
    if (fd < 0)
        return -1;
    sg->loop = loop;
    sg->taken = set;
    sg->fn = fn;
    sg->ctx = ctx;
    sg->poll_due = true;
    sg->sleep_broken = false;
    sg->narmed = 0;
    ev_io_init(&sg->io, signalfd_cb, fd, EV_READ);
    /* First in an iteration: a SIGCHLD names its child before the pidfds
     * report (reap.c), and a signal is acted on before anything else. */
    ev_set_priority(&sg->io, EV_MAXPRI);
    ev_io_start(loop, &sg->io);
    return 0;
}

void signals_stop(struct signals *sg)
{
    if (!ev_is_active(&sg->io))
        return;
    ev_io_stop(sg->loop, &sg->io);
    close(sg->io.fd);
    sg->narmed = 0;
}

bool signals_arm_io(struct signals *sg, const ev_io *w)
{
    /* Only once SOCKET_SIGNAL and SIGIO are blocked (signals_start): they
     * can then only wake pxinit, never end it. */
    if (!trick_on(TRICK_SIGWAIT) || !ev_is_active(&sg->io) || sg->narmed == SIGNALS_MAX_ARMED)
        return false;
    int fd = w->fd;
    int fl = fcntl(fd, F_GETFL);
    if (fl < 0 || fcntl(fd, F_SETOWN, getpid()) < 0 || fcntl(fd, F_SETSIG, SOCKET_SIGNAL) < 0 ||
        fcntl(fd, F_SETFL, fl | O_ASYNC) < 0)
        return false;
    sg->armed[sg->narmed++] = w;
    return true;
}

void signals_disarm_io(struct signals *sg, const ev_io *w)
{
    for (size_t i = 0; i < sg->narmed; i++) {
        if (sg->armed[i] == w) {
            sg->armed[i] = sg->armed[--sg->narmed];
            return;
        }
    }
}

void signals_poll_again(struct signals *sg)
{
    sg->poll_due = true;
}

/* Active watchers whose events come as signals too (top of this file). */
static int signalled_watchers(const struct signals *sg)
{
    int n = ev_is_active(&sg->io);
    for (size_t i = 0; i < sg->narmed; i++)
        n += ev_is_active(sg->armed[i]);
    return n;
}

int signals_sleep(struct signals *sg, int active)
{
    if (!trick_on(TRICK_SIGWAIT) || sg->sleep_broken || active != signalled_watchers(sg))
        return EVRUN_ONCE;
    if (sg->poll_due || ev_pending_count(sg->loop)) {
        sg->poll_due = false;
        return EVRUN_NOWAIT;
    }
    for (int n = 0; n < SLEEP_FORWARDS; n++) {
        log_flush();
        siginfo_t si;
        int sig = sigwaitinfo(&sg->taken, &si);
        if (sig < 0 && errno == EINTR)
            continue;
        if (sig < 0) {
            log_warn("waiting for signals (the event loop waits for them from now on)");
            sg->sleep_broken = true;
            break;
        }
        if (socket_ready(sig, si.si_code))
            break; /* a readable socket: the loop polls */
        /* libev's clock stood still: timers the callback starts count from
         * now. (Two vDSO clock reads, no system call.) */
        ev_now_update(sg->loop);
        bool passed_on = sg->fn(sg->ctx, sig, si.si_pid, si.si_code);
        /* A SIGIO someone sent may have absorbed a socket's: poll either way. */
        if (!passed_on || may_be_socket(sig, si.si_code))
            break;
    }
    return EVRUN_NOWAIT;
}
