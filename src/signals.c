/* signals.c - signal watchers: forward to the main command, or act.
 *
 * As PID 1 the kernel only delivers signals pxinit has a handler for, so every
 * signal it honours or forwards gets an ev_signal watcher. SIGCHLD belongs to
 * libev (it reaps through it). Synchronous fault signals (SEGV, BUS, ILL, FPE,
 * TRAP, SYS, ABRT) are not forwarded: they are about pxinit itself; nor is
 * SIGPIPE, which pxinit ignores. A storm of one signal coalesces in the kernel
 * and in libev into fewer deliveries, never into none.
 *
 * Job control (SIGTSTP, SIGTTIN, SIGTTOU) as dumb-init does it: forwarded
 * (as SIGSTOP to a main in its own session, see mainproc_forward), then
 * pxinit stops itself too, unless it is PID 1, so the shell that started it
 * sees it stopped. A container's PID 1 never stops.
 */
#include "signals.h"

#include <string.h>

#include "control.h"
#include "log.h"
#include "mainproc.h"
#include "phase.h"
#include "spawn.h"
#include "tty.h"

static const int forwarded[] = {
    SIGHUP, SIGINT, SIGQUIT, SIGUSR1, SIGUSR2, SIGTERM, SIGALRM, SIGCONT,
    SIGWINCH, SIGURG, SIGIO, SIGPWR, SIGVTALRM, SIGPROF, SIGXCPU, SIGXFSZ,
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

static void signal_cb(struct ev_loop *loop, ev_signal *w, int revents)
{
    struct pxinit *px = ev_userdata(loop);
    int sig = w->signum;

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

static void watch(struct pxinit *px, int sig)
{
    ev_signal_init(&px->signal_watchers[sig], signal_cb, sig);
    ev_signal_start(px->loop, &px->signal_watchers[sig]);
}

void signals_start(struct pxinit *px)
{
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
        watch(px, SIGTSTP);
    } else {
        watch(px, SIGTSTP);
        watch(px, SIGTTIN);
        watch(px, SIGTTOU);
    }
    for (size_t i = 0; i < sizeof(forwarded) / sizeof(forwarded[0]); i++)
        watch(px, forwarded[i]);
    for (int sig = SIGRTMIN; sig <= SIGRTMAX; sig++)
        watch(px, sig);
}
