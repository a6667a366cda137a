/* sigloop.c - a minimal PID 1 that forwards signals to its command, with the
 * waiting and the session selectable, to split a signal round trip
 * (workload rtt) into its parts. No reaping beyond the command, no safety.
 * Usage: sigloop WAIT SESSION CMD [ARG...]
 *   WAIT     wait   sigwaitinfo loop (as dumb-init, tini)
 *            sfd    blocking read of a signalfd (as catatonit)
 *            epoll  epoll_wait on a non-blocking signalfd, then one read
 *            ev     a libev loop with an ev_io on the signalfd (as pxinit)
 *            handler  as ev for SIGCHLD alone; the other signals stay
 *                   unblocked and a sigaction handler forwards each while
 *                   the loop sleeps in epoll_wait
 *            hwait, hepoll  the same handler, waiting as wait or epoll
 *            evwait  as ev, but the loop waits in sigwaitinfo while its
 *                   signalfd is its only watcher (as pxinit since issue 3's
 *                   signals_sleep): the signalfd stays in libev's epoll set
 *   SESSION  0: the command in its own process group; 1: in its own session
 * Every signal goes to the command's process group with
 * pidfd_send_signal(PIDFD_SIGNAL_PROCESS_GROUP), as pxinit sent it until it
 * took kill(-pgid) (the same within this benchmark's resolution).
 * Build: cc -O2 -o sigloop bench/sigloop.c -lev */
#define _GNU_SOURCE
#include <errno.h>
#include <ev.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef PIDFD_SIGNAL_PROCESS_GROUP
#define PIDFD_SIGNAL_PROCESS_GROUP (1U << 2)
#endif

static pid_t child;
static int pidfd = -1;

static void handle(int sig)
{
    if (sig != SIGCHLD) {
        syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, PIDFD_SIGNAL_PROCESS_GROUP);
        return;
    }
    int status;
    pid_t p;
    while ((p = waitpid(-1, &status, WNOHANG)) > 0)
        if (p == child)
            exit(WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
}

static void read_once(int fd)
{
    struct signalfd_siginfo si[16];
    ssize_t n = read(fd, si, sizeof(si));
    for (ssize_t i = 0; i < n / (ssize_t)sizeof(si[0]); i++)
        handle((int)si[i].ssi_signo);
}

static void wait_loop(const sigset_t *waited)
{
    for (;;) {
        siginfo_t si;
        int sig = sigwaitinfo(waited, &si);
        if (sig > 0)
            handle(sig);
    }
}

static void io_cb(struct ev_loop *loop, ev_io *w, int revents)
{
    read_once(w->fd);
}

/* Runs on a signal frame wherever PID 1 sleeps: the forward, nothing else. */
static void forward_handler(int sig)
{
    int saved = errno;
    syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, PIDFD_SIGNAL_PROCESS_GROUP);
    errno = saved;
}

/* Unblocks every signal but SIGCHLD and forwards it from a handler. */
static void handler_setup(void)
{
    struct sigaction sa = {.sa_handler = forward_handler, .sa_flags = SA_RESTART};
    sigfillset(&sa.sa_mask);
    for (int sig = 1; sig < NSIG; sig++)
        if (sig != SIGCHLD && sig != SIGKILL && sig != SIGSTOP)
            sigaction(sig, &sa, NULL);
    sigset_t chld;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    sigprocmask(SIG_SETMASK, &chld, NULL);
}

int main(int argc, char **argv)
{
    if (argc < 4)
        return 2;
    const char *mode = argv[1];
    int own_session = atoi(argv[2]);
    sigset_t all;
    sigfillset(&all);
    sigprocmask(SIG_SETMASK, &all, NULL);
    child = fork();
    if (child < 0)
        return 1;
    if (child == 0) {
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        if (own_session)
            setsid();
        else
            setpgid(0, 0);
        execvp(argv[3], argv + 3);
        _exit(127);
    }
    if (!own_session) /* both sides; with setsid the child must stay no group leader */
        setpgid(child, child);
    pidfd = (int)syscall(SYS_pidfd_open, child, 0);
    /* hwait, hepoll, handler: as wait, epoll, ev, for SIGCHLD only; the
     * other signals are forwarded by a handler, which interrupts the wait. */
    int by_handler = mode[0] == 'h';
    if (by_handler) {
        mode = strcmp(mode, "handler") == 0 ? "ev" : mode + 1;
        handler_setup();
    }
    sigset_t waited = all;
    if (by_handler) {
        sigemptyset(&waited);
        sigaddset(&waited, SIGCHLD);
    }
    if (strcmp(mode, "wait") == 0)
        wait_loop(&waited);
    int blocking = strcmp(mode, "sfd") == 0;
    int fd = signalfd(-1, &waited, SFD_CLOEXEC | (blocking ? 0 : SFD_NONBLOCK));
    if (fd < 0)
        return 1;
    if (blocking)
        for (;;)
            read_once(fd);
    if (strcmp(mode, "epoll") == 0) {
        int ep = epoll_create1(EPOLL_CLOEXEC);
        struct epoll_event e = {.events = EPOLLIN};
        if (ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, fd, &e) < 0)
            return 1;
        for (;;)
            if (epoll_wait(ep, &e, 1, -1) == 1)
                read_once(fd);
    }
    struct ev_loop *loop = ev_loop_new(EVFLAG_NOENV);
    ev_io w;
    ev_io_init(&w, io_cb, fd, EV_READ);
    ev_io_start(loop, &w);
    if (strcmp(mode, "evwait") == 0) {
        ev_run(loop, EVRUN_NOWAIT); /* the signalfd is in the epoll set now */
        wait_loop(&waited);
    }
    ev_run(loop, 0);
    return 1;
}
