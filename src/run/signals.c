/* signals.c - the signals pxinit receives: forward to the main command, act,
 * or hand SIGCHLD to the reaper.
 *
 * As PID 1 the kernel only delivers signals pxinit catches or blocks. Every
 * signal pxinit honours or forwards, and SIGCHLD, is blocked and read from
 * one signalfd, one siginfo at a time: a realtime signal queued 250 times is
 * forwarded 250 times (libev's ev_signal ran its watcher once for a pile),
 * and a SIGCHLD names the child (reap.c). One signalfd, because the kernel
 * wakes every signalfd of a process for every signal it gets. Synchronous
 * fault signals (SEGV, BUS, ILL, FPE, TRAP, SYS, ABRT) are not forwarded:
 * they are about pxinit itself; nor is SIGPIPE, which pxinit ignores. A storm
 * of one standard signal coalesces in the kernel into fewer deliveries, never
 * into none.
 *
 * While nothing but a signal can need pxinit, it waits in sigwaitinfo rather
 * than in libev's epoll_wait (signals_sleep): a forwarded signal then costs
 * two system calls, the wait and the forward, as in catatonit and dumb-init,
 * instead of three (epoll_wait, the signalfd's read, the forward) and a loop
 * iteration (bench/README.md, issue 3). "Nothing but a signal" is when every
 * active watcher's event also comes as one: the signalfd itself; the control
 * and notify sockets, which raise a signal when readable (signals_arm_fd); the
 * pidfd set while it holds only the main command's pidfd, whose exit brings a
 * SIGCHLD too. Any other watcher (a client, a timer, an output pipe, a
 * unit's pidfd) sends pxinit back to epoll_wait.
 *
 * Job control (SIGTSTP, SIGTTIN, SIGTTOU) as dumb-init does it: forwarded
 * (as SIGSTOP to a main in its own session, see mainproc_forward), then
 * pxinit stops itself too, unless it is PID 1, so the shell that started it
 * sees it stopped. A container's PID 1 never stops.
 */
#include "run/signals.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "control/control.h"
#include "base/log.h"
#include "run/mainproc.h"
#include "run/notify.h"
#include "run/phase.h"
#include "run/reap.h"
#include "exec/spawn.h"
#include "base/tty.h"

static const int forwarded[] = {
    SIGHUP,    SIGINT, SIGQUIT, SIGUSR1, SIGUSR2,   SIGTERM, SIGALRM, SIGCONT,
    SIGWINCH,  SIGURG, SIGIO,   SIGPWR,  SIGVTALRM, SIGPROF, SIGXCPU, SIGXFSZ,
#ifdef SIGSTKFLT
    SIGSTKFLT,
#endif
};

void signals_save_launch(struct pxinit *px)
{
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, &px->launch_mask);
    for (int sig = 1; sig < NSIG; sig++) {
        if (sigaction(sig, NULL, &px->launch_actions[sig]) < 0) {
            /* One of glibc's own (32, 33): its disposition is inherited
             * all the same, and the main must get it as launched. */
            void (*h)(int) = SIG_DFL;
            memset(&px->launch_actions[sig], 0, sizeof(px->launch_actions[sig]));
            (void)spawn_raw_disposition(sig, NULL, &h);
            px->launch_actions[sig].sa_handler = h;
        }
        /* A caught signal cannot stay caught across exec: the kernel resets it. */
        if (px->launch_actions[sig].sa_handler != SIG_IGN)
            px->launch_actions[sig].sa_handler = SIG_DFL;
        px->launch_actions[sig].sa_flags &= ~SA_SIGINFO;
    }
}

#define SIGINFO_BATCH 16   /* siginfos per read */
#define SIGINFO_READS 8    /* reads per wakeup before other watchers get a turn */
#define SLEEP_FORWARDS 128 /* forwards in a row in signals_sleep, likewise */

static sigset_t taken;       /* what signals_start() blocked, for sigwaitinfo */
static bool poll_due = true; /* a signalled socket may hold more than its signal told */
static bool sleep_broken;    /* sigwaitinfo failed: wait in epoll_wait from then on */

static void signal_handle(struct pxinit *px, int sig)
{
    if (px->opts.command && px->main.started) {
        bool alive = mainproc_alive(px);
        mainproc_forward(px, sig);
        if (sig == SIGTERM && mainproc_alive(px))
            mainproc_terminate(px);
        if (alive && !px->is_pid1 && (sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU))
            raise(SIGSTOP); /* resumed by SIGCONT, which is forwarded too */
        return;
    }
    switch (sig) {
    case SIGTERM:
    case SIGINT:
        log_info("received %s", sig == SIGTERM ? "SIGTERM" : "SIGINT");
        phase_shutdown(px);
        break;
    case SIGHUP:
        log_info("received SIGHUP: daemon-reload");
        control_daemon_reload(px);
        break;
    default:
        log_debug("ignoring signal %d", sig);
        break;
    }
}

/* What a socket of pxinit's raises when it becomes readable
 * (signals_arm_fd): a realtime signal, which the kernel queues once per
 * event. SIGIO, a standard signal, is not queued twice: a socket's would
 * absorb a SIGIO someone sent for the main command, or be absorbed by it.
 * When the realtime queue is full (RLIMIT_SIGPENDING) the kernel raises a
 * plain SIGIO instead. */
#define SOCKET_SIGNAL SIGRTMIN

/* A socket's signal from the kernel (si_code > 0, which no other process can
 * send), for the loop to poll; one someone sent, of the same number, is
 * forwarded like any other. */
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

static void take(struct pxinit *px, int sig, pid_t pid, int code)
{
    if (sig == SIGCHLD) {
        reap_sigchld(px, pid, code);
        return;
    }
    /* A socket's signal read from the signalfd may have come after this
     * iteration's poll, which then did not see the socket: the loop must
     * look again before it sleeps, since no other signal will come for what
     * waits there. */
    if (may_be_socket(sig, code))
        poll_due = true;
    if (!socket_ready(sig, code))
        signal_handle(px, sig);
}

static void signalfd_cb(struct ev_loop *loop, ev_io *w, int revents)
{
    struct pxinit *px = ev_userdata(loop);
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
            take(px, (int)si[i].ssi_signo, (pid_t)si[i].ssi_pid, si[i].ssi_code);
        if (count < SIGINFO_BATCH)
            return; /* drained; else more may wait */
    }
}

static void watch(sigset_t *set, int sig)
{
    sigaddset(set, sig);
}

int signals_start(struct pxinit *px)
{
    sigset_t set;
    sigemptyset(&set);
    watch(&set, SIGCHLD);
    signal(SIGPIPE, SIG_IGN);
    if (!px->opts.command) {
        signal(SIGTTIN, SIG_IGN);
        signal(SIGTTOU, SIG_IGN);
        signal(SIGTSTP, SIG_IGN);
    } else if (px->main.tty_mode == TTY_MODE_FOREGROUND ||
               px->main.tty_mode == TTY_MODE_BACKGROUND) {
        /* pxinit keeps a controlling terminal, and the main's group gets
         * these from it directly. Caught, SIGTTOU would restart a background
         * write to the terminal forever; ignored, the write proceeds. */
        signal(SIGTTIN, SIG_IGN);
        signal(SIGTTOU, SIG_IGN);
        watch(&set, SIGTSTP);
    } else {
        watch(&set, SIGTSTP);
        watch(&set, SIGTTIN);
        watch(&set, SIGTTOU);
    }
    for (size_t i = 0; i < sizeof(forwarded) / sizeof(forwarded[0]); i++)
        watch(&set, forwarded[i]);
    for (int sig = SIGRTMIN; sig <= SIGRTMAX; sig++)
        watch(&set, sig);
    /* Blocked is not ignored: as PID 1 too they stay pending for the
     * signalfd. Children get the launch mask back. */
    if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
        return -1;
    taken = set;
    int fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
    if (fd < 0)
        return -1;
    ev_io_init(&px->signal_watcher, signalfd_cb, fd, EV_READ);
    /* First in an iteration: a SIGCHLD names its child before the pidfds
     * report (reap.c), and a signal is acted on before anything else. */
    ev_set_priority(&px->signal_watcher, EV_MAXPRI);
    ev_io_start(px->loop, &px->signal_watcher);
    return 0;
}

void signals_stop(struct pxinit *px)
{
    if (!ev_is_active(&px->signal_watcher))
        return;
    ev_io_stop(px->loop, &px->signal_watcher);
    close(px->signal_watcher.fd);
}

bool signals_arm_fd(int fd)
{
    int fl = fcntl(fd, F_GETFL);
    /* SOCKET_SIGNAL and SIGIO are blocked and taken like the others
     * (signals_start): they can only wake pxinit, never end it. */
    return fl >= 0 && fcntl(fd, F_SETOWN, getpid()) == 0 &&
           fcntl(fd, F_SETSIG, SOCKET_SIGNAL) == 0 && fcntl(fd, F_SETFL, fl | O_ASYNC) == 0;
}

void signals_poll_again(void)
{
    poll_due = true;
}

/* Active watchers whose events come as signals too (top of this file). */
static int signalled_watchers(struct pxinit *px)
{
    return ev_is_active(&px->signal_watcher) + control_signalled_watchers(px) +
           notify_signalled_watchers(px) + reap_signalled_watchers(px);
}

/* A signal that only goes on to the main command: handling it changes
 * nothing the loop watches, so the wait in sigwaitinfo can go on. */
static bool forward_only(const struct pxinit *px, int sig)
{
    return px->opts.command && px->main.started && sig != SIGCHLD && sig != SIGTERM &&
           sig != SIGTSTP && sig != SIGTTIN && sig != SIGTTOU;
}

int signals_sleep(struct pxinit *px, int active)
{
    if (sleep_broken || active != signalled_watchers(px))
        return EVRUN_ONCE;
    if (poll_due || ev_pending_count(px->loop)) {
        poll_due = false;
        return EVRUN_NOWAIT;
    }
    for (int n = 0; n < SLEEP_FORWARDS; n++) {
        log_flush();
        siginfo_t si;
        int sig = sigwaitinfo(&taken, &si);
        if (sig < 0 && errno == EINTR)
            continue;
        if (sig < 0) {
            log_warn("waiting for signals (the event loop waits for them from now on)");
            sleep_broken = true;
            break;
        }
        if (may_be_socket(sig, si.si_code)) {
            /* A readable socket, or a SIGIO someone sent, which may have
             * absorbed a socket's: forwarded, and the loop polls either way. */
            if (!socket_ready(sig, si.si_code))
                signal_handle(px, sig);
            break;
        }
        if (forward_only(px, sig)) {
            signal_handle(px, sig);
            continue;
        }
        ev_now_update(px->loop); /* its clock stood still: timers started now */
        take(px, sig, si.si_pid, si.si_code);
        break;
    }
    return EVRUN_NOWAIT;
}
