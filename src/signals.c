/* signals.c - signal watchers: forward to the main command, or act.
 *
 * As PID 1 the kernel only delivers signals pxinit has a handler for, so every
 * signal it honours or forwards gets an ev_signal watcher. SIGCHLD belongs to
 * libev (it reaps through it). Synchronous fault signals (SEGV, BUS, ...) are
 * not forwarded: they are about pxinit itself.
 */
#include "signals.h"

#include <string.h>

#include "control.h"
#include "log.h"
#include "mainproc.h"
#include "phase.h"

static const int forwarded[] = {
    SIGHUP, SIGINT, SIGQUIT, SIGUSR1, SIGUSR2, SIGTERM, SIGALRM, SIGCONT,
    SIGWINCH, SIGURG, SIGIO, SIGPWR, SIGVTALRM, SIGPROF, SIGXCPU, SIGXFSZ,
};

void signals_save_launch(struct pxinit *px)
{
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, &px->launch_mask);
    for (int sig = 1; sig < NSIG; sig++) {
        if (sigaction(sig, NULL, &px->launch_actions[sig]) < 0) {
            memset(&px->launch_actions[sig], 0, sizeof(px->launch_actions[sig]));
            px->launch_actions[sig].sa_handler = SIG_DFL;
        }
        /* A caught signal cannot stay caught across exec: the kernel resets it. */
        if (px->launch_actions[sig].sa_handler != SIG_IGN)
            px->launch_actions[sig].sa_handler = SIG_DFL;
        px->launch_actions[sig].sa_flags &= ~SA_SIGINFO;
    }
}

static void signal_cb(struct ev_loop *loop, ev_signal *w, int revents)
{
    struct pxinit *px = ev_userdata(loop);
    int sig = w->signum;

    if (px->opts.command && px->main.started) {
        mainproc_forward(px, sig);
        if (sig == SIGTERM && mainproc_alive(px))
            mainproc_terminate(px);
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

static void watch(struct pxinit *px, int sig)
{
    ev_signal_init(&px->signal_watchers[sig], signal_cb, sig);
    ev_signal_start(px->loop, &px->signal_watchers[sig]);
}

void signals_start(struct pxinit *px)
{
    signal(SIGPIPE, SIG_IGN);
    signal(SIGTTIN, SIG_IGN);
    signal(SIGTTOU, SIG_IGN);
    if (!px->opts.command)
        signal(SIGTSTP, SIG_IGN);
    else
        watch(px, SIGTSTP);
    for (size_t i = 0; i < sizeof(forwarded) / sizeof(forwarded[0]); i++)
        watch(px, forwarded[i]);
    for (int sig = SIGRTMIN; sig <= SIGRTMAX; sig++)
        watch(px, sig);
}
